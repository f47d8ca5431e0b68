"""The CLI speaks Indonesian, exits 0/1/2, and never shows a traceback."""
import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DEMO_UNTIL, git
from pengaduan.core import yamlio
from pengaduan.core.i18n import os_error


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


def _first_record(repo: Path) -> str:
    return sorted((repo / "records").rglob("PGD-*.yaml"))[0].stem


def test_the_repository_is_found_from_any_subfolder(run, demo_repo, monkeypatch):
    number = _first_record(demo_repo)
    monkeypatch.chdir(demo_repo / "records" / number[4:8])
    result = run("status", number)
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"{number} (records/")
    assert run("--repo", demo_repo / "tools", "status", number).exit_code == 0


def test_outside_any_repository_one_line(run, tmp_path, monkeypatch):
    (tmp_path / "lain").mkdir()
    monkeypatch.chdir(tmp_path / "lain")
    for args in (("periksa",), ("status",), ("baru", "--eml", ".")):
        result = run(*args)
        assert result.exit_code == 1 and result.output.count("\n") == 1, result.output
        assert "tidak berada di dalam repositori pengaduan" in result.output and "--repo" in result.output
    git(tmp_path / "lain", "init", "-q")  # another Git repository stops the search, as in git itself
    assert run("periksa").exit_code == 1


def test_a_missing_repo_folder_is_named(run, tmp_path):
    result = run("--repo", tmp_path / "tidak-ada", "status")
    assert result.exit_code == 1 and f"folder --repo {tmp_path / 'tidak-ada'} tidak ada." in result.output
    (tmp_path / "berkas").write_text("x")
    assert "bukan folder" in run("--repo", tmp_path / "berkas", "status").output


def test_configuration_errors_are_not_doubled(run, demo_repo):
    office = demo_repo / "tools" / "config" / "kantor.yaml"
    office.write_text(office.read_text("utf-8").replace("batas_lampiran_mb: 20", "batas_lampiran_mb: [20"), "utf-8")
    result = run("--repo", demo_repo / "records", "status")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith("tools/config/kantor.yaml:") and "GALAT: Kurung siku" in lines[0]
    assert lines[-1].startswith("Galat: konfigurasi di") and not any("Galat" in l and "GALAT" in l for l in lines)


def test_os_errors_in_indonesian(run, demo_repo):
    full = run("--repo", demo_repo, "pengingat", "--keluar", "/dev/full")
    assert full.exit_code == 1 and "disk penuh" in full.output and "No space" not in full.output
    folder = run("--repo", demo_repo, "situs", "--keluar", "/dev/full")
    assert folder.exit_code == 1 and "/dev/full" in folder.output and "bukan folder" in folder.output


@pytest.mark.parametrize("code", sorted(errno.errorcode))
def test_no_operating_system_error_reads_in_english(code):
    message = os_error(OSError(code, os.strerror(code), "/x/berkas"))
    assert message.startswith("tidak bisa membaca atau menulis /x/berkas: ")
    assert os.strerror(code) not in message


@pytest.mark.parametrize("text", ["*", "PGD-*", "../../etc/passwd", "records/2026/01/PGD-2026-00001", "PGD-2026-1x",
                                  "", "PGD-2026-٠٠٠١"])
def test_record_numbers_are_checked_before_any_file(run, demo_repo, tmp_path, text):
    out = tmp_path / "dokumen"
    for command in (("nota", text, "--keluar", out), ("status", text), ("lanjut", text), ("nomor-ulang", text),
                    ("tanda-terima", text, "--keluar", out), ("jawaban", text, "--keluar", out),
                    ("terkirim", text, "--surat", "tanda-terima")):
        result = run("--repo", demo_repo, *command)
        assert result.exit_code == 2 and "bukan nomor registrasi pengaduan" in result.output, result.output
    assert not out.exists()


def test_record_numbers_in_any_case_and_spacing(run, demo_repo):
    number = _first_record(demo_repo)
    typed = f"  {number.lower().replace('-0000', '-').replace('-000', '-')} "
    result = run("--repo", demo_repo, "status", typed)
    assert result.exit_code == 0 and result.output.startswith(number), result.output


def test_demo_accounts_for_every_complaint_asked(run, tmp_path):
    result = run("demo", tmp_path / "d", "--jumlah", "300", "--benih", "2022", "--sampai", DEMO_UNTIL.isoformat())
    assert result.exit_code == 0, result.output
    on_main = {p.stem for p in (tmp_path / "d" / "records").rglob("PGD-*.yaml")}
    on_branches = {b.split("-langkah-")[0] for b in git(tmp_path / "d", "branch", "--format=%(refname:short)").split()
                   if "-langkah-" in b} - on_main
    inbox = 300 - len(on_main) - len(on_branches)
    assert inbox > 0 and f": 300 pengaduan masuk; {len(on_main)} di main, {len(on_branches)} baru tercatat di pull " \
        f"request yang belum digabung, {inbox} tiba menjelang 2026-11-27 dan belum dicatat" in result.output


def _mail(date: str, message_id: str) -> bytes:
    from email.message import EmailMessage
    m = EmailMessage()
    m["From"], m["Subject"], m["Date"], m["Message-ID"] = "Budi <budi@contoh.example>", "DPT", date, message_id
    m.set_content("Nama saya   tidak ada di DPT.")
    return bytes(m)


def test_baru_refuses_impossible_arrival_times_and_reads_any_extension_case(run, demo_repo, tmp_path, monkeypatch):
    monkeypatch.setenv("PENGADUAN_SEKARANG", "2026-11-27T10:00:00+07:00")
    git(demo_repo, "config", "user.email", "nurul@pulangpisau.kpu.example")
    inbox = tmp_path / "masuk"
    inbox.mkdir()
    (inbox / "ADUAN.EML").write_bytes(_mail("Tue, 01 Jan 2099 08:00:00 +0700", "<m1@contoh.example>"))
    future = run("--repo", demo_repo, "baru", "--eml", inbox)
    assert future.exit_code == 1 and "ADUAN.EML: waktu diterima 2099-01-01 08:00 WIB ada di masa depan" in future.output
    assert "--waktu 2026-11-27T10:00" in future.output
    typed = run("--repo", demo_repo, "baru", "--saluran", "langsung", "--waktu", "2019-05-01T10:00", "--nama", "W")
    assert typed.exit_code == 1 and "--waktu: waktu diterima 2019-05-01 lebih awal dari berlakunya SOP" in typed.output
    fixed = run("--repo", demo_repo, "baru", "--eml", inbox, "--waktu", "2026-11-27T08:30")
    assert fixed.exit_code == 0, fixed.output
    branch = fixed.output.split("cabang ")[1].split(" ")[0]
    record = git(demo_repo, "show", f"{branch}:records/2026/11/{branch.split('-langkah-')[0]}.yaml")
    data = yamlio.load_mapping(record.encode())
    assert data["uraian"] == "Nama saya   tidak ada di DPT.\n" and data["diterima"]["waktu"] == "2026-11-27T08:30:00+07:00"
    photo = tmp_path / "Foto KTP.JPG"
    photo.write_bytes(bytes(range(256)) * 100)
    walk_in = run("--repo", demo_repo, "baru", "--saluran", "langsung", "--waktu", "2026-11-27T09:00", "--nama", "W",
                  "--uraian", "  menjorok\n\tdengan tab   dan spasi", "--lampiran", photo)
    assert walk_in.exit_code == 0, walk_in.output
    number = walk_in.output.split(":")[0]
    data = yamlio.load_mapping(git(demo_repo, "show", f"{number}-langkah-2:records/2026/11/{number}.yaml").encode())
    assert data["uraian"] == "  menjorok\n\tdengan tab   dan spasi\n"
    stored = subprocess.run(["git", "show", f"{number}-langkah-2:records/2026/11/{number}/Foto KTP.jpg"],
                            cwd=demo_repo, capture_output=True, check=True).stdout
    assert stored == photo.read_bytes()


def test_output_to_a_full_disk_ends_in_indonesian():
    with open("/dev/full", "w") as full:
        result = subprocess.run([str(Path(sys.executable).parent / "pengaduan"), "--help"], stdout=full,
                                stderr=subprocess.PIPE, text=True)
    assert result.returncode == 1 and result.stderr == "Galat: tidak bisa membaca atau menulis berkas: disk penuh.\n"
