"""Where documents with a reporter's name may be written: never where one `git add .` would commit them.

By default outside the repository (`~/dokumen-pengaduan`, or PENGADUAN_DOKUMEN); a folder inside the repository
is accepted only when Git ignores it, checked before anything is written.
"""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

ENVIRONMENT = "PENGADUAN_DOKUMEN"
SHOWN_DEFAULT = "~/dokumen-pengaduan"


def default_folder() -> Path:
    """The documents folder when --keluar is not given: PENGADUAN_DOKUMEN, else dokumen-pengaduan in the home folder."""
    given = os.environ.get(ENVIRONMENT, "").strip()
    return Path(given).expanduser() if given else Path.home() / "dokumen-pengaduan"


def refusal(repo: Path, folder: Path) -> str | None:
    """Why `folder` must not receive documents (inside `repo` and not ignored by Git); None when it is safe."""
    root, target = repo.resolve(), folder.expanduser().resolve()
    if not target.is_relative_to(root):
        return None
    inside = target.relative_to(root).as_posix()
    if inside != ".":
        probe = f"{inside}/dokumen.pdf"  # a file that would be written there
        ignored = subprocess.run(["git", "check-ignore", "-q", "--no-index", probe], cwd=root, capture_output=True)
        if ignored.returncode == 0:
            return None
    shown = inside if inside != "." else "(folder repositori itu sendiri)"
    return (f"folder {folder} berada di dalam repositori {root} ({shown}) dan tidak diabaikan Git: dokumen berisi "
            f"data pelapor bisa ikut terkomit. Hapus --keluar untuk memakai folder bawaan di luar repositori "
            f"({default_folder()}), sebut folder di luar repositori, atau tambahkan baris `{inside}/` ke .gitignore.")
