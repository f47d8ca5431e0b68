"""`pengaduan init`: a new office repository from the package data; the office-first lookup of templates and
the site; this repository as the Pulang Pisau office made that way; and the package working as a built wheel."""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import zipfile
from datetime import datetime
from pathlib import Path

import pytest

from pengaduan import data
from pengaduan.history.calendar import WIB
from pengaduan.outputs.documents import PACKAGE_TEMPLATES, Renderer, environment
from pengaduan.office import init, office_files
from pengaduan.outputs.site import config_file

from conftest import PROJECT_ROOT, git

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=WIB)
# This repository's files that are the Pulang Pisau office's own, not the package's defaults (penyiapan.md says so).
OFFICE_OWN = {"tools/config/kantor.yaml",  # the office's identity and roster
              "README.md",  # the program's README; the package's is for an office repository without the program
              ".gitignore"}  # the package's lines plus the developers' (checked below as a superset)
# Folders whose every file in this repository must come from the package (a page added here only is drift).
OFFICE_FOLDERS = ("docs/", "templates/", ".github/workflows/", ".github/PULL_REQUEST_TEMPLATE/", ".forgejo/workflows/",
                  "tools/config/sop/")
FILLED = {"nama": "Komisi Pemilihan Umum Kabupaten Contoh", "sekretariat": "Sekretariat KPU Kabupaten Contoh",
          "singkatan": "KPU Kabupaten Contoh", "alamat": "Jalan Merdeka 1, Contoh, Kalimantan Tengah",
          "kota": "Contoh", "kode_wilayah": "62.99", "email_pengaduan": "pengaduan@contoh.example",
          "kode_pos": "74000", "telepon": "(0513) 1234567", "alamat_lacak": "https://pengaduan.contoh.example/lacak/",
          "nota_dinas_tindak_lanjut": "{urut}/HK.06-ND/6299/{bulan_romawi}/{tahun}",
          "nota_dinas_balasan": "{urut}/PP.01-ND/6299/{bulan_romawi}/{tahun}"}
PLACEHOLDER = re.compile(r'^(\s*(?:- )?)(\w+): (\[?)"ISI: [^"]*"(\]?)$')


def fill_office(text: str) -> tuple[str, int]:
    """kantor.yaml as an office fills it: every `ISI: ...` value replaced; returns (text, how many were replaced)."""
    lines, roster, person, replaced = [], False, 0, 0
    for line in text.splitlines():
        roster = roster or line.startswith("personel:")
        person += roster and line.startswith("  - id:")  # the people are numbered 1, 2, ... in the roster's order
        match = PLACEHOLDER.match(line)
        if match:
            key = match[2]
            value = {"nama": f"Pegawai {person}, S.H.", "nip": f"19800101 200501 1 00{person}",
                     "email": f"pegawai{person}@contoh.example", "forge": f"pegawai{person}"}.get(key) \
                if person else None
            line = f'{match[1]}{key}: {match[3]}"{value or FILLED[key]}"{match[4]}'
            replaced += 1
        lines.append(line)
    return "\n".join(lines) + "\n", replaced


def test_init_refuses_a_folder_that_holds_something(run, tmp_path):
    folder = tmp_path / "kantor"
    folder.mkdir()
    (folder / "catatan.txt").write_text("milik kantor")
    result = run("init", folder)
    assert result.exit_code == 1
    assert "sudah berisi" in result.output and str(folder) in result.output
    assert [p.name for p in folder.iterdir()] == ["catatan.txt"]  # nothing written beside it
    (tmp_path / "berkas").write_text("x")
    result = run("init", tmp_path / "berkas")
    assert result.exit_code == 1 and "sudah berisi" in result.output


def test_a_new_office_passes_periksa_and_builds_its_site_once_filled(run, tmp_path):
    office = tmp_path / "kantor"
    result = run("init", office)
    assert result.exit_code == 0, result.output
    assert git(office, "status", "--porcelain") == ""  # everything written is in the first commit
    assert git(office, "log", "--format=%s").strip().startswith("Siapkan repositori pengaduan kantor")
    config = office / "tools/config/kantor.yaml"
    filled, placeholders = fill_office(config.read_text("utf-8"))
    assert placeholders > 20

    result = run("--repo", office, "periksa")
    assert result.exit_code == 1
    unfilled = re.findall(r"^tools/config/kantor.yaml:(\d+):\d+: GALAT: `[^`]+` belum diisi\.$", result.output, re.M)
    assert len(unfilled) == placeholders, result.output  # each one, with its line, and nothing else
    assert "Perbaikan: Ganti teks `ISI: ...` dengan isinya: kode pos" in result.output

    config.write_text(filled, "utf-8")
    git(office, "commit", "-q", "-a", "--amend", "--no-edit")  # the founding configuration, as penyiapan.md says
    result = run("--repo", office, "periksa", "--ketat")
    assert result.exit_code == 0, result.output
    result = run("--repo", office, "audit")
    assert result.exit_code == 0 and "Riwayat 0 rekaman sesuai SOP." in result.output, result.output
    result = run("--repo", office, "situs", "--keluar", tmp_path / "site", "--ketat")
    assert result.exit_code == 0, result.output
    home = (tmp_path / "site" / "index.html").read_text("utf-8")
    assert "<title>Pengaduan Masyarakat KPU Kabupaten Contoh" in home
    assert "Sekretariat KPU Kabupaten Contoh menerima pengaduan" in home
    assert "kantor:" not in home  # every office marker was filled
    assert "Pulang Pisau" not in home


def test_this_repository_is_the_pulang_pisau_office_made_by_init(tmp_path):
    made = tmp_path / "kantor"
    init(made, NOW)
    made_files = set(git(made, "ls-files").splitlines())
    ours = set(git(PROJECT_ROOT, "ls-files", "--cached", "--others", "--exclude-standard").splitlines())
    differ = sorted(f for f in made_files - OFFICE_OWN
                    if f not in ours or (PROJECT_ROOT / f).read_bytes() != (made / f).read_bytes())
    assert not differ, ("These office files differ from the package's defaults (tools/pengaduan/data/kantor/, the one "
                        "source). Edit the package's copy and copy it here, or carry an edit made here into the "
                        "package:\n" + "\n".join(f"  cp {f} tools/pengaduan/data/kantor/{f}" for f in differ))
    extra = sorted(f for f in ours - made_files if f.startswith(OFFICE_FOLDERS))
    assert not extra, "Office files only in this repository; add them to tools/pengaduan/data/kantor/: " + str(extra)
    ignored = {line for line in (PROJECT_ROOT / ".gitignore").read_text("utf-8").splitlines() if line}
    package_ignored = {line for line in (made / ".gitignore").read_text("utf-8").splitlines()
                       if line and not line.startswith("#")}
    assert package_ignored <= ignored
    assert OFFICE_OWN <= made_files  # the office's own files are made by init too, to fill


def test_templates_come_from_the_office_file_by_file_and_the_site_as_a_whole(tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "rekap.md.j2").write_text("Rekap kantor sendiri\n")
    (templates / "surat.typst").write_text("$body$\n")
    renderer = Renderer(templates)
    assert renderer.file("surat.typst") == templates / "surat.typst"
    assert renderer.file("referensi.docx") == PACKAGE_TEMPLATES / "referensi.docx"
    env = environment(templates)
    assert env.get_template("rekap.md.j2").render() == "Rekap kantor sendiri\n"
    assert env.loader.get_source(env, "_kop.md.j2")[1] == str(PACKAGE_TEMPLATES / "_kop.md.j2")
    assert Renderer(tmp_path / "tidak-ada").file("surat.typst") == PACKAGE_TEMPLATES / "surat.typst"

    assert config_file(tmp_path) == data.OFFICE / "mkdocs.yml"
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n")
    assert config_file(tmp_path) == tmp_path / "mkdocs.yml"


def _run(command: list, cwd: Path, env: dict) -> str:
    result = subprocess.run([str(c) for c in command], cwd=cwd, env=env, capture_output=True, text=True)
    assert result.returncode == 0, f"{command}:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def test_the_built_wheel_makes_a_working_office_and_demo_outside_the_source_tree(tmp_path):
    """Build the wheel from the tracked sources (a copy: no build/ left in the tree, nothing stale in the wheel),
    install it alone into a folder, and run it from elsewhere with that folder first on the path: the project's
    own editable install (and its source tree) cannot answer for it."""
    source = tmp_path / "sumber"
    for rel in git(PROJECT_ROOT, "ls-files", "--cached", "--others", "--exclude-standard").splitlines():
        if (PROJECT_ROOT / rel).is_file() and not rel.startswith(("tests/", "records/", "bench/")):
            (source / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(PROJECT_ROOT / rel, source / rel)
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", tmp_path / "roda", source], tmp_path, env)
    wheel = next((tmp_path / "roda").glob("pengaduan-*.whl"))
    target = tmp_path / "terpasang"
    _run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "--quiet", "--target", target, wheel],
         tmp_path, env)
    shutil.rmtree(source)
    work = tmp_path / "kerja"
    work.mkdir()
    env["PYTHONPATH"] = str(target)
    where = _run([sys.executable, "-c", "import pengaduan; print(pengaduan.__file__)"], work, env)
    assert Path(where.strip()).is_relative_to(target)
    program = [sys.executable, target / "bin" / "pengaduan"]

    _run(program + ["init", "kantor"], work, env)
    assert set(git(work / "kantor", "ls-files").splitlines()) == set(office_files())  # all the package data shipped
    config = work / "kantor/tools/config/kantor.yaml"
    config.write_text(fill_office(config.read_text("utf-8"))[0], "utf-8")
    git(work / "kantor", "commit", "-q", "-a", "--amend", "--no-edit")
    _run(program + ["--repo", "kantor", "periksa", "--ketat"], work, env)
    _run(program + ["--repo", "kantor", "situs", "--keluar", "situs-kantor", "--ketat"], work, env)
    assert "KPU Kabupaten Contoh" in (work / "situs-kantor/index.html").read_text("utf-8")

    _run(program + ["demo", "contoh", "--jumlah", "12", "--sampai", "2026-11-27"], work, env)
    _run(program + ["--repo", "contoh", "periksa", "--ketat"], work, env)
    _run(program + ["--repo", "contoh", "situs", "--keluar", "situs-contoh", "--ketat"], work, env)
    home = (work / "situs-contoh/index.html").read_text("utf-8")
    assert "<title>Pengaduan Masyarakat KPU Kabupaten Pulang Pisau" in home
    assert (work / "situs-contoh/rekap/index.html").is_file()


def test_an_office_made_with_its_wheel_installs_that_wheel_by_hash_and_nothing_else(tmp_path, run):
    """What the office's workflows run (.ci/pasang's last step) installs exactly the wheel `init --roda` pinned."""
    wheel = tmp_path / "pengaduan-9.9.9-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:  # a wheel pip accepts: a package and its metadata
        archive.writestr("pengaduan/__init__.py", "VERSION = '9.9.9'\n")
        archive.writestr("pengaduan-9.9.9.dist-info/METADATA", "Metadata-Version: 2.1\nName: pengaduan\nVersion: 9.9.9\n")
        archive.writestr("pengaduan-9.9.9.dist-info/WHEEL", "Wheel-Version: 1.0\nGenerator: uji\nRoot-Is-Purelib: true\n"
                                                             "Tag: py3-none-any\n")
        archive.writestr("pengaduan-9.9.9.dist-info/RECORD", "")
    result = run("init", tmp_path / "kantor", "--roda", wheel)
    assert result.exit_code == 0 and "PERINGATAN" not in result.output, result.output
    office = tmp_path / "kantor"
    assert (office / ".ci" / wheel.name).read_bytes() == wheel.read_bytes()
    assert f"./.ci/{wheel.name} --hash=sha256:{hashlib.sha256(wheel.read_bytes()).hexdigest()}" in \
        (office / ".ci/pengaduan.lock").read_text("utf-8")
    assert {".ci/pasang", ".ci/requirements.lock", ".ci/pengaduan.lock", f".ci/{wheel.name}"} <= \
        set(git(office, "ls-files").splitlines())
    install = [sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "--quiet", "--require-hashes",
               "--target", tmp_path / "terpasang", "-r", ".ci/pengaduan.lock"]
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    _run(install, office, env)
    assert (tmp_path / "terpasang/pengaduan/__init__.py").read_text() == "VERSION = '9.9.9'\n"
    (office / ".ci" / wheel.name).write_bytes(wheel.read_bytes() + b"\0")  # a wheel swapped after the lock
    refused = subprocess.run([str(c) for c in install[:-4] + ["--target", tmp_path / "lagi", "-r", ".ci/pengaduan.lock"]],
                             cwd=office, env=env, capture_output=True, text=True)
    assert refused.returncode != 0 and "hash" in refused.stderr.lower()


@pytest.mark.parametrize("name, content, says", [
    ("pengaduan-1.0-py3-none-any.whl", b"bukan zip", "bukan wheel program pengaduan yang utuh"),
    ("lain-1.0-py3-none-any.whl", b"", "namanya harus pengaduan-VERSI-py3-none-any.whl"),
    ("pengaduan-1.0-py3-none-any.whl", None, "tidak dapat dibaca")])
def test_a_wrong_wheel_is_refused_before_anything_is_written(tmp_path, run, name, content, says):
    wheel = tmp_path / name
    if content is not None:
        wheel.write_bytes(content)
    result = run("init", tmp_path / "kantor", "--roda", wheel)
    assert result.exit_code == 1 and says in result.output and "Traceback" not in result.output, result.output
    assert not (tmp_path / "kantor").exists()
