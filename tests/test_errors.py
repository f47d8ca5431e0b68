"""Exit codes (docs/petugas/perintah.md, "Kode keluar"), mapped in one place; errors reported, never swallowed."""
from __future__ import annotations

import ast
import re

import click
import pytest
from conftest import PROJECT_ROOT, git

# every module below the CLI is loaded, so that every error class is defined
from pengaduan.core import errors  # noqa: F401
from pengaduan.intake import identity  # noqa: F401
from pengaduan.outputs import letters, publish  # noqa: F401
from pengaduan.cli.main import cli
from pengaduan.core.config import load_settings
from pengaduan.forge import gate  # noqa: F401
from pengaduan.queue import next_numbers, read_queue

PACKAGE = PROJECT_ROOT / "tools" / "pengaduan"


def _documented_codes() -> dict[int, str]:
    text = (PROJECT_ROOT / "docs" / "petugas" / "perintah.md").read_text("utf-8")
    section = re.search(r"^## Kode keluar\n(.*?)(?=^## )", text, re.S | re.M)
    assert section, "docs/petugas/perintah.md has no section '## Kode keluar'"
    return {int(code): meaning for code, meaning in re.findall(r"^\| \*\*(\d)\*\* \| (.+?) \|", section[1], re.M)}


def _library_errors() -> list[str]:
    """Every exception class defined in the package, by name (read from the source)."""
    names = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ClassDef) and any(
                    isinstance(base, ast.Name) and (base.id.endswith(("Error", "Problem", "Exception"))
                                                    or base.id in names) for base in node.bases):
                names.append(node.name)
    return names


def test_every_exit_code_is_documented():
    codes = {value for name, value in vars(errors).items() if name.startswith("EXIT_")}
    assert set(_documented_codes()) == codes == {0, 1, 2, 3}


HANDED_OVER = {"_NotPlain"}  # yamlio's fast reader hands a text over to the careful one: it never leaves yamlio


def test_every_library_error_has_the_one_base():
    """A new exception class in the library must derive from PengaduanError, so the CLI maps it (not exit 3)."""
    found = {cls.__name__: cls for cls in _subclasses(Exception) if cls.__module__.startswith("pengaduan")
             and cls.__name__ not in HANDED_OVER}
    assert {"ConfigError", "YamlProblem", "WorkflowError", "IdentityError", "IntakeError", "DocumentError",
            "SiteError", "PublishError", "ForgeError", "ShallowClone", "KeyProblem", "ChainProblem",
            "UnusableRecords"} <= found.keys()
    outside = sorted(name for name, cls in found.items() if not issubclass(cls, errors.PengaduanError))
    assert outside == []
    assert all(cls.exit_code in _documented_codes() for cls in found.values())
    assert set(_library_errors()) - HANDED_OVER <= found.keys()


def _subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub} | _subclasses(sub)
    return found


@pytest.fixture
def failing_command():
    """A command added to the real group for one test: what it raises is what the group must turn into a code."""
    raised: list[BaseException] = []

    @cli.command("uji-galat")
    def command() -> None:
        raise raised[0]
    yield raised
    del cli.commands["uji-galat"]


def test_an_internal_error_shows_the_banner_and_exits_3(run, failing_command, monkeypatch):
    monkeypatch.delenv("PENGADUAN_DEBUG", raising=False)
    failing_command.append(ZeroDivisionError("division by zero"))
    result = run("uji-galat")
    assert result.exit_code == errors.EXIT_INTERNAL == 3
    assert result.output.startswith("Galat: galat internal (ZeroDivisionError: division by zero). Mohon laporkan "
                                    "kepada pengelola sistem; jalankan ulang dengan PENGADUAN_DEBUG=1")
    assert "Traceback" not in result.output


def test_a_library_error_exits_with_its_kinds_code(run, failing_command):
    class Refused(errors.PengaduanError):
        exit_code = 2

        def details(self) -> list[str]:
            return ["berkas.yaml:3: baris pertama", "berkas.yaml:9: baris kedua"]
    failing_command.append(Refused("dua masalah; perbaiki dulu."))
    result = run("uji-galat")
    assert result.exit_code == 2
    assert result.output.splitlines() == ["berkas.yaml:3: baris pertama", "berkas.yaml:9: baris kedua",
                                          "Galat: dua masalah; perbaiki dulu."]


def test_each_code_from_the_real_commands(run, demo_repo):
    assert run("--repo", demo_repo, "periksa").exit_code == errors.EXIT_OK
    assert run("--repo", demo_repo, "rekap", "--bulan", "3").exit_code == errors.EXIT_USAGE
    missing = run("--repo", demo_repo, "nota", "PGD-2026-09999", "--keluar", demo_repo.parent / "dokumen")
    assert missing.exit_code == errors.EXIT_REFUSED and "Galat:" in missing.output
    assert "Traceback" not in missing.output


def _break_a_record(repo) -> str:
    """Delete `kategori` from one record on main (YAML still readable, the schema broken): its path."""
    path = sorted((repo / "records").rglob("*.yaml"))[0]
    text = path.read_text("utf-8")
    assert re.search(r"^kategori: .*\n", text, re.M)
    path.write_text(re.sub(r"^kategori: .*\n", "", text, count=1, flags=re.M), "utf-8")
    return path.relative_to(repo).as_posix()


def test_a_recap_refuses_a_record_it_cannot_count(run, demo_repo, tmp_path):
    """It was left out of the totals without a word; a recap for a report counts every complaint or says why."""
    good = run("--repo", demo_repo, "rekap", "--tahun", "2026", "--format", "csv", "--keluar", tmp_path / "a")
    assert good.exit_code == 0
    broken = _break_a_record(demo_repo)
    result = run("--repo", demo_repo, "rekap", "--tahun", "2026", "--format", "csv", "--keluar", tmp_path / "b")
    assert result.exit_code == 1 and broken in result.output and "pengaduan periksa" in result.output
    assert "KeyError" in result.output and not (tmp_path / "b").exists()


def test_a_strict_site_refuses_a_record_it_cannot_publish(run, demo_repo, tmp_path):
    broken = _break_a_record(demo_repo)
    git(demo_repo, "commit", "-qam", "rekaman rusak")
    strict = run("--repo", demo_repo, "situs", "--keluar", tmp_path / "ketat", "--pada", "2026-11-27", "--ketat")
    assert strict.exit_code == 1 and broken in strict.output and not (tmp_path / "ketat").exists()
    lenient = run("--repo", demo_repo, "situs", "--keluar", tmp_path / "site", "--pada", "2026-11-27")
    assert lenient.exit_code == 0, lenient.output  # left out of the public site; `periksa` names it


def test_bentrok_on_a_detached_head_asks_for_the_branch(run, demo_repo):
    git(demo_repo, "checkout", "-q", "--detach")
    result = run("--repo", demo_repo, "bentrok")
    assert result.exit_code == 1 and "HEAD terlepas" in result.output and "--cabang" in result.output
    assert run("--repo", demo_repo, "bentrok", "--cabang", "main").exit_code == 0


def test_click_usage_errors_keep_code_2(run, demo_repo):
    result = run("--repo", demo_repo, "status", "--pada", "kemarin")
    assert result.exit_code == errors.EXIT_USAGE == click.UsageError.exit_code


def test_a_broken_record_still_holds_its_number(demo_repo):
    """Numbering never skips a record it cannot read (it once dropped any record that raised): the number is in
    the file's name too."""
    settings = load_settings(demo_repo)
    before = next_numbers(read_queue(demo_repo), settings, 2026)
    newest = max((demo_repo / "records" / "2026").rglob("*.yaml"), key=lambda p: p.stem)
    assert newest.stem == settings.office.registration_number(2026, before[0] - 1)
    newest.write_text("id: [tidak ditutup\n", "utf-8")
    git(demo_repo, "commit", "-qam", "rekaman rusak")
    assert next_numbers(read_queue(demo_repo), settings, 2026)[0] == before[0]
