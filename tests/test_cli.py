"""The CLI speaks Indonesian, exits 0/1/2, and never shows a traceback."""
import subprocess
import sys
from pathlib import Path

from conftest import DEMO_UNTIL, git


def test_usage_error_in_indonesian(run):
    result = run("periksa", "--tidak-ada")
    assert result.exit_code == 2
    assert "Opsi '--tidak-ada' tidak dikenal" in result.output
    assert "Traceback" not in result.output


def test_unknown_command(run):
    result = run("hapus-semua")
    assert result.exit_code == 2 and "tidak dikenal" in result.output


def test_not_a_repository(run, tmp_path):
    result = run("--repo", tmp_path, "periksa")
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and "tidak berada di dalam repositori pengaduan" in result.output


def test_demo_is_deterministic_and_refuses_a_full_folder(run, tmp_path):
    for name in ("a", "b"):
        result = run("demo", tmp_path / name, "--jumlah", "15", "--benih", "5", "--sampai", DEMO_UNTIL.isoformat())
        assert result.exit_code == 0, result.output
        assert "Repositori contoh dibuat" in result.output
    heads = {git(tmp_path / n, "rev-parse", "HEAD") for n in ("a", "b")}
    assert len(heads) == 1
    again = run("demo", tmp_path / "a", "--jumlah", "15")
    assert again.exit_code == 1 and "sudah berisi" in again.output


def test_bad_date_option(run, tmp_path):
    result = run("demo", tmp_path / "x", "--sampai", "2026-02-30")
    assert result.exit_code == 2 and "bukan tanggal" in result.output


def test_console_script_installed():
    result = subprocess.run([str(Path(sys.executable).parent / "pengaduan"), "--help"], capture_output=True, text=True)
    assert result.returncode == 0 and "Cara pakai: pengaduan" in result.stdout


def test_demo_into_a_relative_folder(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("demo", "build/demo", "--jumlah", "5", "--sampai", DEMO_UNTIL.isoformat())
    assert result.exit_code == 0, result.output
    assert run("--repo", "build/demo", "audit").exit_code == 0
