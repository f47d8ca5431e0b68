"""The cache files in the Git directory (`.git/pengaduan/`): a payload behind its SHA-256, written whole.

Every cache (history read, replay, queue entries, signatures, notes, periksa results, parsed records) is our
own file, rebuilt from Git whenever it is missing, damaged or of another version: a reader gets the payload
only when its digest matches, so a torn or edited file is never half-read.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from .files import write_atomic


def write_checked(path: Path, payload: bytes) -> None:
    write_atomic(path, hashlib.sha256(payload).digest() + payload)


def read_checked(path: Path) -> bytes | None:
    """The payload written by `write_checked`; None when the file is missing, unreadable or damaged."""
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    return raw[32:] if hashlib.sha256(raw[32:]).digest() == raw[:32] else None
