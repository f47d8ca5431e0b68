"""A new office repository (`pengaduan init`): the package's office files in a new Git repository.

The files come from the package data (`data.OFFICE`): tools/config/kantor.yaml to fill (every `ISI: ...`
is reported by `pengaduan periksa` until filled), a copy of the SOP, the forge workflows, mkdocs.yml,
docs/, templates/ and a README for the office; plus the JSON schemas the records' and kantor.yaml's
`$schema` comments point at. Nothing is written into a folder that already holds something.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from datetime import datetime
from importlib import metadata
from pathlib import Path

from . import data
from .core.errors import PengaduanError

SCHEMA_DIR = "tools/pengaduan/schema"  # where `$schema` in records and kantor.yaml point (editors validate)
TOOL_IDENTITY = ("pengaduan init", "init@pengaduan.invalid")  # the first commit's author when Git has none set


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


def init(folder: Path, now: datetime) -> list[str]:
    """Create a new office repository in `folder` (missing or empty) with one first commit; returns its files."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise InitError(f"Folder {folder} sudah berisi; `pengaduan init` hanya membuat repositori kantor di folder "
                        "baru atau kosong. Pilih folder lain, atau kosongkan dulu folder ini.")
    if shutil.which("git") is None:
        raise InitError("Program git tidak ditemukan; pasang Git dulu (https://git-scm.com), lalu ulangi.")
    files = office_files()
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
