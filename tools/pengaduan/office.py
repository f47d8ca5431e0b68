"""A new office repository (`pengaduan init`): the package's office files in a new Git repository.

The files come from the package data (`data.OFFICE`): tools/config/kantor.yaml to fill (every `ISI: ...`
is reported by `pengaduan periksa` until filled), a copy of the SOP, the forge workflows, mkdocs.yml,
docs/, templates/ and a README for the office; plus the JSON schemas the records' and kantor.yaml's
`$schema` comments point at. Nothing is written into a folder that already holds something.

With `--roda WHEEL`, the office's forge workflows install that wheel of the program, pinned by its SHA-256 in
.ci/pengaduan.lock (see .ci/pasang): without it an office repository holds no program to run.
"""
from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import subprocess
import zipfile
from datetime import datetime
from importlib import metadata
from pathlib import Path

from . import data
from .core.errors import PengaduanError

SCHEMA_DIR = "tools/pengaduan/schema"  # where `$schema` in records and kantor.yaml point (editors validate)
TOOL_IDENTITY = ("pengaduan init", "init@pengaduan.invalid")  # the first commit's author when Git has none set
PROGRAM_LOCK = ".ci/pengaduan.lock"  # the program wheel the workflows install (.ci/pasang)
_WHEEL_NAME = re.compile(r"^pengaduan-[A-Za-z0-9_.+!]+-py3-none-any\.whl$")


class InitError(PengaduanError):
    """A new office repository that cannot be made; the message is for the user."""


def layered_files(*layers: Path) -> dict[str, bytes]:
    """Every file of the folders (relative POSIX path -> content); a later folder's file replaces an earlier one's."""
    files: dict[str, bytes] = {}
    for layer in layers:
        for path in sorted(layer.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                files[path.relative_to(layer).as_posix()] = path.read_bytes()
    return files


def schema_files() -> dict[str, bytes]:
    """The package's JSON schemas, at the place in an office repository its files' `$schema` comments name."""
    return {f"{SCHEMA_DIR}/{path.name}": path.read_bytes()
            for path in sorted((Path(__file__).parent / "schema").glob("*.schema.json"))}


def office_files() -> dict[str, bytes]:
    """What `pengaduan init` writes (relative POSIX path -> content)."""
    return {**layered_files(data.OFFICE), **schema_files()}


def pinned_program(wheel: Path) -> dict[str, bytes]:
    """The program's wheel for the office's workflows, and the lock line that pins it by its SHA-256."""
    if not _WHEEL_NAME.match(wheel.name):
        raise InitError(f"{wheel} bukan wheel program pengaduan: namanya harus pengaduan-VERSI-py3-none-any.whl "
                        "(buat dengan `pip wheel --no-deps .` di repositori program).")
    try:
        raw = wheel.read_bytes()
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            whole = "pengaduan/__init__.py" in archive.namelist() and archive.testzip() is None
    except OSError as error:
        raise InitError(f"wheel {wheel} tidak dapat dibaca: {error.strerror or error}.") from None
    except zipfile.BadZipFile:
        whole = False
    if not whole:
        raise InitError(f"{wheel} bukan wheel program pengaduan yang utuh; buat ulang dengan `pip wheel --no-deps .`.")
    lock = ("# Program pengaduan yang dipasang alur kerja forge (.ci/pasang), dikunci dengan SHA-256-nya. Ganti versi\n"
            "# lewat pull request tata kelola: wheel baru di .ci/ dan baris di bawah (lihat docs/petugas/penyiapan.md).\n"
            f"./.ci/{wheel.name} --hash=sha256:{hashlib.sha256(raw).hexdigest()}\n")
    return {f".ci/{wheel.name}": raw, PROGRAM_LOCK: lock.encode("utf-8")}


def init(folder: Path, now: datetime, wheel: Path | None = None) -> list[str]:
    """Create a new office repository in `folder` (missing or empty) with one first commit; returns its files.
    `wheel`: the program's wheel its forge workflows install (see `pinned_program`)."""
    program = pinned_program(wheel) if wheel else {}
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise InitError(f"Folder {folder} sudah berisi; `pengaduan init` hanya membuat repositori kantor di folder "
                        "baru atau kosong. Pilih folder lain, atau kosongkan dulu folder ini.")
    if shutil.which("git") is None:
        raise InitError("Program git tidak ditemukan; pasang Git dulu (https://git-scm.com), lalu ulangi.")
    files = office_files() | program
    folder.mkdir(parents=True, exist_ok=True)
    for rel, content in files.items():
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    _git(folder, "init", "-q", "-b", "main")
    stamp = now.isoformat(timespec="seconds")
    env = {**os.environ, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
    if subprocess.run(["git", "var", "GIT_COMMITTER_IDENT"], cwd=folder, capture_output=True).returncode != 0:
        env.update(GIT_AUTHOR_NAME=TOOL_IDENTITY[0], GIT_AUTHOR_EMAIL=TOOL_IDENTITY[1],
                   GIT_COMMITTER_NAME=TOOL_IDENTITY[0], GIT_COMMITTER_EMAIL=TOOL_IDENTITY[1])
    _git(folder, "add", "--all")
    _git(folder, "commit", "-q", "--no-verify", "-m",
         f"Siapkan repositori pengaduan kantor (pengaduan init {_version()})\n\n"
         "Konfigurasi kantor untuk diisi (tools/config/kantor.yaml), salinan SOP, alur kerja forge, situs\n"
         "(mkdocs.yml, docs/) dan templat dokumen.\n", env=env)
    return sorted(files)


def _git(folder: Path, *args: str, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        raise InitError(f"git {args[0]} gagal di {folder}: {result.stderr.strip()}")
    return result.stdout


def _version() -> str:
    """The installed pengaduan's version (recorded in the first commit: which defaults the office started from)."""
    try:
        return metadata.version("pengaduan")
    except metadata.PackageNotFoundError:
        return "tanpa versi"
