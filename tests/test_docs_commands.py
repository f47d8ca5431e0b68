"""Every `pengaduan` command the README, the role guides and the command page show runs against the demo the
docs name (40 complaints, seed 11, until 2026-11-27: the `demo_repo` fixture), exits 0, and speaks Indonesian.
Help texts too: every command's `--help`, and `pengaduan` alone."""
from __future__ import annotations

import json
import os
import re
import shlex
import zipfile
from email.message import EmailMessage
from pathlib import Path

import pytest
from click.testing import CliRunner

from pengaduan.intake import identity
from pengaduan.core import yamlio
from pengaduan.cli.main import cli
from pengaduan.cli.help import EXAMPLES
from pengaduan.core.config import load_settings
from pengaduan.core.records import SCHEMA_COMMENT

from conftest import PROJECT_ROOT, git
from office import STAFF, propose

DOCS = [PROJECT_ROOT / "README.md", *sorted((PROJECT_ROOT / "docs" / "panduan").glob("*.md")),
        PROJECT_ROOT / "docs" / "petugas" / "perintah.md"]
ONLINE = "# daring"  # the docs' marker for commands that need the forge's API or its checkout (run by the workflows)
NEEDS_FORGE = ("periksa-pr", "komentar", "persetujuan", "bukti", "pengingat --terbitkan", "audit --daring",
               "celah-bukti", "periksa-pengaturan",  # the forge: its API, its checkout, or its signed merges
               "terbitkan", "kembalikan")  # the office's web server (tested against a real sshd in test_publish)
ENGLISH = re.compile(r"\b(Usage|Error|Options|Commands|Arguments|required|Traceback|not found|No such|Invalid|"
                     r"Missing|does not|is not|Aborted|Show this|dynamic|default|Try '|TEXT|INTEGER|PATH|FILE|"
                     r"DIRECTORY|RANGE|integer|float|boolean)\b|<=x")
NOW = "2026-11-30T12:00+07:00"
ANSWER = {"nomor": "903/PP.01-SD/6211/XI/2026", "tanggal": "2026-11-10",
          "isi": "Petugas KPPS yang bersangkutan telah diklarifikasi dan diberi teguran tertulis."}


def shown_commands(page: Path) -> list[tuple[str, str]]:
    """(folder to `cd` into, command line) of every `pengaduan` line in the page's code blocks."""
    found = []
    for block in re.findall(r"^```[\w-]*\n(.*?)^```", page.read_text("utf-8"), re.S | re.M):
        for line in block.splitlines():
            match = re.fullmatch(r"(?:cd (\S+) && )?(pengaduan\b.*)", line.strip())
            if match:
                found.append((match[1] or "", match[2]))
    return found


def _cases():
    for page in DOCS:
        for folder, line in shown_commands(page):
            if ONLINE not in line:
                yield pytest.param(folder, line, id=f"{page.name}: {line}")


def _eml(subject: str, sender: str) -> bytes:
    message = EmailMessage()
    message["From"], message["To"] = sender, "pengaduan@pulangpisau.kpu.example"
    message["Subject"], message["Date"] = subject, "Fri, 27 Nov 2026 08:10:00 +0700"
    message["Message-ID"] = f"<{abs(hash(subject))}@contoh.example>"
    message.set_content(f"Yth. KPU Kabupaten Pulang Pisau,\n\n{subject}: mohon ditindaklanjuti.\n")
    return bytes(message)


def _prepare(repo: Path, argv: list[str]) -> None:
    """What a staff member has in hand before the example: e-mails downloaded, an answer written, a collision."""
    inbox = repo / "unduhan"
    inbox.mkdir(exist_ok=True)
    (inbox / "aduan.eml").write_bytes(_eml("Daftar pemilih ganda di TPS 3", "warga@contoh.example"))
    (inbox / "ADUAN.EML").write_bytes(_eml("Kotak suara rusak", "pemilih@contoh.example"))
    if "--rantai" in argv:  # the chain of heads downloaded from the public site, which published today's main
        head = git(repo, "rev-parse", "main").strip()
        chain = [{"kepala": head, "waktu": "2026-11-27T23:00:00+07:00", "jenis": "terbit"}]
        (repo / argv[argv.index("--rantai") + 1]).write_text(json.dumps(chain), "utf-8")
    if "--roda" in argv:  # the program's wheel, built beforehand with `pip wheel --no-deps .`
        with zipfile.ZipFile(repo / argv[argv.index("--roda") + 1], "w") as wheel:
            wheel.writestr("pengaduan/__init__.py", "")
    if argv[:1] == ["jawaban"]:  # the answer's number, date and words are written into the record first
        path = next(repo.glob(f"records/*/*/{argv[1]}.yaml"))
        data = yamlio.load_mapping(path.read_bytes())
        path.write_text(yamlio.dump({**data, "surat_pemohon": {"jawaban": ANSWER}}, SCHEMA_COMMENT), "utf-8")
        propose(repo, f"{argv[1]}-jawaban")  # committed to a pull request branch, which documents are made from
    if argv[:1] == ["nomor-ulang"]:  # a number taken on main meanwhile by another registration
        branch = f"{argv[1]}-langkah-2"
        path = next(p for p in git(repo, "ls-tree", "-r", "--name-only", branch).split() if p.endswith(f"{argv[1]}.yaml"))
        (repo / path).parent.mkdir(parents=True, exist_ok=True)
        (repo / path).write_text(git(repo, "show", f"{branch}:{path}"))
        git(repo, "add", path)
        git(repo, "commit", "-q", "-m", "Pencatatan lain dengan nomor yang sama", who=STAFF)


def _invoke(repo: Path, folder: str, argv: list[str], env: dict):
    here = os.getcwd()
    os.chdir(repo / folder)
    try:
        return CliRunner().invoke(cli, argv, env=env)
    finally:
        os.chdir(here)


def _as_everyone(repo: Path):
    """Each person of the roster in turn, as `pengaduan identitas --atur` sets them."""
    for person in load_settings(repo).office.people:
        identity.configure(repo, person)
        yield person


def _check(result, line: str) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), (line, result.output)
    english = ENGLISH.search(result.output)
    assert english is None, f"{line}: English in the output ({english[0]!r}):\n{result.output}"


@pytest.mark.parametrize("folder, line", list(_cases()))
def test_every_command_in_the_docs_runs_on_the_demo(demo_repo, tmp_path, folder, line):
    argv = shlex.split(line, comments=True)[1:]
    while "--repo" in argv:  # the docs' demo folder is this copy; commands find it from the current folder
        del argv[argv.index("--repo"):argv.index("--repo") + 2]
    _prepare(demo_repo, argv)
    env = {"PENGADUAN_DOKUMEN": str(tmp_path / "dokumen"), "PENGADUAN_SEKARANG": NOW}
    result = _invoke(demo_repo, folder, argv, env)
    _check(result, line)
    if result.exit_code != 0 and argv[:1] in (["baru"], ["lanjut"], ["nomor-ulang"], ["identitas"]):
        # a committing command runs for the one person whose role the step is; the others are refused in Indonesian
        for _ in _as_everyone(demo_repo):
            result = _invoke(demo_repo, folder, argv, env)
            _check(result, line)
            if result.exit_code == 0:
                break
    assert result.exit_code == 0, f"{line}:\n{result.output}"


def test_only_forge_commands_are_left_to_the_workflows():
    online = [line for page in DOCS for _, line in shown_commands(page) if ONLINE in line]
    assert online, "the marker is in use"
    for line in online:
        assert line.removeprefix("pengaduan ").startswith(NEEDS_FORGE), f"{line}: runs offline; remove {ONLINE}"


def test_every_help_example_is_on_the_command_page(demo_repo):
    """The examples in `--help` are run through the command page (where each must also appear)."""
    page = {line for _, line in shown_commands(PROJECT_ROOT / "docs" / "petugas" / "perintah.md")}
    page = {line.split(ONLINE)[0].strip() for line in page}
    for name, command in cli.commands.items():
        shown = re.findall(r"^\s*(?:Contoh: )?(?:[A-Z_]+=\S* )*(pengaduan .+)$", command.help or "", re.M)
        assert shown, f"{name} has no example in its help"
        for example in shown:
            if example.removeprefix("pengaduan ").startswith(NEEDS_FORGE):
                continue  # not run here (see test_only_forge_commands_are_left_to_the_workflows)
            assert example.strip() in page, f"{name}: help example {example!r} is not on docs/petugas/perintah.md"
    assert set(EXAMPLES) <= set(cli.commands)


@pytest.mark.parametrize("name", [None, *sorted(cli.commands)])
def test_help_is_indonesian_with_the_offices_ids(demo_repo, name):
    result = _invoke(demo_repo, "", [name, "--help"] if name else [], {})
    assert result.exit_code == 0, result.output
    _check(result, f"pengaduan {name or ''} --help")
    assert ("Cara pakai:" in result.output) and ("Opsi:" in result.output)
    if name == "baru":
        assert "logistik-tps" in result.output and "langsung" in result.output and "anonim" in result.output
    if name == "lanjut":
        assert "teknis" in result.output and "perencanaan" in result.output
        assert re.search(r"3\s+Disposisi Kasubbag Hukum: Kepala Sub Bagian Hukum dan SDM", result.output)
    if name is None:
        assert "Mulai di sini" in result.output and "identitas" in result.output


def test_help_outside_a_repository_says_where_the_ids_come_from(tmp_path):
    here = os.getcwd()
    os.chdir(tmp_path)
    try:
        result = CliRunner().invoke(cli, ["baru", "--help"])
    finally:
        os.chdir(here)
    assert result.exit_code == 0 and "tools/config/kantor.yaml" in result.output
    _check(result, "pengaduan baru --help")



def test_secrecy_is_explained_in_the_same_words_everywhere(demo_repo):
    from pengaduan.core.wording import SECRECY, secrecy_table
    for page in (PROJECT_ROOT / "docs" / "panduan" / "staf-pelaksana.md", PROJECT_ROOT / "docs" / "cara-mengadu.md",
                 PROJECT_ROOT / "docs" / "sampaikan.md"):
        assert secrecy_table() in page.read_text("utf-8"), f"{page.name}: secrecy table differs from wording.SECRECY"
    shown = " ".join(_invoke(demo_repo, "", ["baru", "--help"], {}).output.split())
    for level, meaning in SECRECY.items():
        assert f"{level} {meaning}" in shown, level
