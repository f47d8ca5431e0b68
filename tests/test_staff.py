"""What a staff member meets: the Git identity checked before any commit, documents kept out of the repository,
people named as the roster names them, Git's own short hashes, click's words in Indonesian."""
from __future__ import annotations

import re

import pytest

from conftest import git
from office import CHIEF, STRANGER, commit, record

NO_GLOBAL_IDENTITY = {"GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1"}


@pytest.fixture
def invoke(tmp_path):
    """Run the CLI in-process with no Git identity from the machine; documents default into tmp_path."""
    from click.testing import CliRunner

    from pengaduan.cli.main import cli

    def run(*args, env=None):
        return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False,
                                  env={**NO_GLOBAL_IDENTITY, "PENGADUAN_DOKUMEN": str(tmp_path / "rumah"),
                                       **(env or {})})
    return run


def _branches(repo):
    return git(repo, "branch", "--format=%(refname:short)").split()


@pytest.mark.parametrize("email, problem", [(None, "user.email) belum diatur"),
                                            ("luar@contoh.example", "tidak ada di daftar personel")])
def test_commits_are_refused_until_the_identity_is_in_the_roster(demo_repo, invoke, email, problem):
    if email:
        git(demo_repo, "config", "user.email", email)
        git(demo_repo, "config", "user.name", "Orang Luar")
    before = _branches(demo_repo)
    for args in (["lanjut", "PGD-2026-00018"], ["nomor-ulang", "PGD-2026-00008"],
                 ["baru", "--saluran", "langsung", "--waktu", "2026-11-27T10:00", "--perihal", "x", "--uraian", "y"]):
        result = invoke("--repo", demo_repo, *args)
        assert result.exit_code == 1, result.output
        assert problem in result.output and "pengaduan identitas --atur ID" in result.output
        assert "nurul: Nurul Hidayah, S.Kom. (Staf Pelaksana Pengelola JDIH) — nurul@pulangpisau.kpu.example" \
            in result.output
    assert _branches(demo_repo) == before  # nothing was committed
    checked = invoke("--repo", demo_repo, "identitas")
    assert checked.exit_code == 1 and problem in checked.output


def test_identitas_sets_the_roster_identity_and_then_the_step_is_committed(demo_repo, invoke):
    wrong = invoke("--repo", demo_repo, "identitas", "--atur", "siapa")
    assert wrong.exit_code == 2 and "tidak ada di daftar personel" in wrong.output
    done = invoke("--repo", demo_repo, "identitas", "--atur", " Nurul ")
    assert done.exit_code == 0, done.output
    assert "Terdaftar sebagai Nurul Hidayah, S.Kom. (Staf Pelaksana Pengelola JDIH)" in done.output
    assert git(demo_repo, "config", "user.email").strip() == "nurul@pulangpisau.kpu.example"
    assert git(demo_repo, "config", "user.name").strip() == "Nurul Hidayah, S.Kom."
    result = invoke("--repo", demo_repo, "lanjut", "pgd-2026-18 ")
    assert result.exit_code == 0, result.output
    short = git(demo_repo, "rev-parse", "--short", "PGD-2026-00018-langkah-4").strip()
    assert f"dikomit di cabang PGD-2026-00018-langkah-4 ({short})." in result.output  # Git's own short hash


def test_a_name_that_differs_from_the_roster_is_pointed_out(demo_repo, invoke):
    git(demo_repo, "config", "user.email", "RAHMADI@pulangpisau.kpu.example")
    git(demo_repo, "config", "user.name", "root")
    result = invoke("--repo", demo_repo, "identitas")
    assert result.exit_code == 0, result.output
    assert "Kepala Sub Bagian Hukum dan SDM" in result.output
    assert 'git config user.name "Rahmadi Saputra, S.H."' in result.output
    git(demo_repo, "config", "--unset", "user.name")
    missing = invoke("--repo", demo_repo, "lanjut", "PGD-2026-00008", "--kepada", "teknis")
    assert missing.exit_code == 1 and "user.name) belum diatur" in missing.output
    assert 'git config user.name "Rahmadi Saputra, S.H."' in missing.output


def test_documents_never_land_where_git_would_commit_them(demo_repo, invoke, tmp_path):
    inside = invoke("--repo", demo_repo, "nota", "PGD-2026-00018", "--format", "html", "--keluar", demo_repo / "dokumen")
    assert inside.exit_code == 2 and "tidak diabaikan Git" in inside.output and "dokumen/" in inside.output
    assert not (demo_repo / "dokumen").exists()
    for args in (["rekap", "--tahun", "2026", "--format", "csv"], ["evaluasi", "--tahun", "2026", "--format", "html"],
                 ["tanda-terima", "PGD-2026-00012"], ["jawaban", "PGD-2026-00012"]):
        refused = invoke("--repo", demo_repo, *args, "--keluar", demo_repo / "records")
        assert refused.exit_code == 2 and "tidak diabaikan Git" in refused.output, args
    root = invoke("--repo", demo_repo, "nota", "PGD-2026-00018", "--keluar", demo_repo)
    assert root.exit_code == 2
    default = invoke("--repo", demo_repo, "nota", "PGD-2026-00018", "--format", "html")
    assert default.exit_code == 0, default.output
    assert (tmp_path / "rumah" / "PGD-2026-00018-lembar-disposisi.html").exists()
    (demo_repo / ".gitignore").write_text("dokumen/\n")
    ignored = invoke("--repo", demo_repo, "nota", "PGD-2026-00018", "--format", "html", "--keluar",
                     demo_repo / "dokumen")
    assert ignored.exit_code == 0, ignored.output
    assert git(demo_repo, "status", "--porcelain", "--untracked-files=all").split() == ["??", ".gitignore"]


def test_status_names_people_as_the_roster_does(demo_repo, invoke):
    result = invoke("--repo", demo_repo, "status", "PGD-2026-00012")
    assert result.exit_code == 0, result.output
    assert "oleh: Rahmadi Saputra, S.H. (Kepala Sub Bagian Hukum dan SDM)" in result.output
    assert "oleh: Nurul Hidayah, S.Kom. (Staf Pelaksana Pengelola JDIH)" in result.output
    assert not re.search(r"<[^>]+@", result.output)


def test_a_stranger_is_named_as_not_in_the_roster(demo_repo, invoke):
    from pengaduan.core.config import load_settings
    from pengaduan.core.wording import person_label
    office = load_settings(demo_repo).office
    assert person_label(office, "root", CHIEF[1].upper()) == "Rahmadi Saputra, S.H. (Kepala Sub Bagian Hukum dan SDM)"
    assert person_label(office, *STRANGER) == "Orang Luar <luar@contoh.example> (tidak ada di daftar personel)"
    git(demo_repo, "switch", "-q", "main")
    commit(demo_repo, record(2), STRANGER, "2026-11-02T10:00:00+07:00", "langkah 2")
    result = invoke("--repo", demo_repo, "status", "PGD-2026-09001")
    assert "Orang Luar <luar@contoh.example> (tidak ada di daftar personel)" in result.output


def test_clicks_own_words_are_indonesian(demo_repo, invoke):
    out_of_range = invoke("--repo", demo_repo, "rekap", "--tahun", "2026", "--bulan", "13")
    assert out_of_range.exit_code == 2 and "13 di luar rentang 1 sampai 12" in out_of_range.output
    not_a_number = invoke("--repo", demo_repo, "rekap", "--tahun", "dua ribu")
    assert not_a_number.exit_code == 2 and "'dua ribu' bukan bilangan bulat yang sah" in not_a_number.output
    missing = invoke("--repo", demo_repo, "evaluasi")
    assert missing.exit_code == 2 and "Opsi wajib belum diisi" in missing.output
    shown = invoke("--repo", demo_repo, "evaluasi", "--help").output
    assert "[2000 sampai 2100; wajib]" in shown and "--tahun ANGKA" in shown
    alone = invoke()
    assert alone.exit_code == 0 and "Mulai di sini" in alone.output
