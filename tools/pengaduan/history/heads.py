"""The chain of audited and published heads of main: a rewritten history cannot hide from an older copy.

Each `pengaduan audit` (and each publication) records the head of main it saw. A head
that is later no longer an ancestor of main means main was reset and redone. The chain
holds commit ids and times only (no personal data), so the public site can carry it and
anyone can check the office's repository against the chain they downloaded earlier.
"""
from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from ..core import i18n
from ..core.errors import PengaduanError
from ..core.files import write_atomic
from .audit import Violation
from .reader import cache_path, first_parent_ids, resolve_head

AUDITED, PUBLISHED = "audit", "terbit"


class ChainProblem(PengaduanError, ValueError):
    """A chain file that cannot be read; the message is Indonesian and ends with the fix."""

    def __init__(self, problem: str):
        super().__init__(f"{problem} Perbaikan: unduh ulang rantai_kepala.json dari situs publik.")


def _file(repo: Path, branch: str) -> Path:
    return cache_path(repo, branch, "kepala").with_suffix(".json")


def head_chain(repo: Path, branch: str = "main") -> list[dict[str, str]]:
    """The recorded heads, oldest first, as plain data: [{"kepala": id, "waktu": ISO time, "jenis": ...}]."""
    path = _file(repo, branch)
    if not path.is_file():
        return []
    return read_chain(path)


def read_chain(path: Path) -> list[dict[str, str]]:
    """A chain as written by `head_chain` (e.g. downloaded from the public site)."""
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as error:
        raise ChainProblem(f"rantai kepala tidak bisa dibaca: {i18n.json_error(path, error)}") from None
    if not isinstance(data, list) or not all(isinstance(e, dict) and isinstance(e.get("kepala"), str)
                                             for e in data):
        raise ChainProblem(f"{path}: bukan rantai kepala (daftar butir dengan `kepala`).")
    return data


def extended(chain: list[dict[str, str]], head: str, now: datetime, kind: str = AUDITED) -> list[dict[str, str]]:
    """The chain with `head` appended, unless it is already the newest entry."""
    if chain and chain[-1]["kepala"] == head:
        return chain
    return [*chain, {"kepala": head, "waktu": now.isoformat(timespec="seconds"), "jenis": kind}]


def record_head(repo: Path, branch: str, head: str, now: datetime, kind: str = AUDITED) -> list[dict[str, str]]:
    """Append `head` to the branch's chain (unless it is already the newest entry); returns the chain."""
    chain = head_chain(repo, branch)
    longer = extended(chain, head, now, kind)
    if longer is not chain:
        write_atomic(_file(repo, branch), json.dumps(longer, indent=1).encode("utf-8"))
    return longer


def rewrite_violations(repo: Path, head: str, chain: list[dict[str, str]], source: str) -> list[Violation]:
    """Every recorded head that main's own history (its first-parent chain) no longer holds, newest first.

    Every entry is checked, not only those after the newest one main still holds: after a rewrite, the
    heads audited since do not contain the lost one, and the loss must stay visible until main is restored.
    """
    if not chain:
        return []
    own = first_parent_ids(repo, head)
    found = []
    for entry in reversed(chain):
        if entry["kepala"] in own:
            continue
        found.append(Violation("-", source, entry["kepala"], "-", "riwayat-ditulis-ulang",
                               f"Kepala main {entry['kepala'][:10]} yang diaudit atau diterbitkan pada "
                               f"{entry.get('waktu', '?')} tidak lagi ada dalam riwayat main: main diatur ulang "
                               "dan ditulis kembali, sehingga temuan pada riwayat lama bisa tersembunyi.",
                               f"Pulihkan main dari salinan yang memuat komit {entry['kepala']} (git push "
                               "--force-with-lease dari salinan itu, oleh admin forge) dan laporkan kepada "
                               "Sekretaris; jangan pernah mengatur ulang main."))
    return found


def check_and_record(repo: Path, branch: str, now: datetime, published: Path | None = None) -> list[Violation]:
    """`pengaduan audit`'s rewrite check: against this copy's own chain and, if given, a published chain;
    then the current head joins this copy's chain."""
    head = resolve_head(repo, branch)
    found = rewrite_violations(repo, head, head_chain(repo, branch), "rantai kepala salinan ini")
    if published is not None:
        found += rewrite_violations(repo, head, read_chain(published), str(published))
    record_head(repo, branch, head, now)
    return found
