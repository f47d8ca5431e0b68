"""Writing files whole: a reader (or a crash) sees the old file or the new one, never half of one."""
from __future__ import annotations

from pathlib import Path


def write_atomic(path: Path, payload: bytes | str) -> None:
    """Write `payload` (text as UTF-8) to a temporary file beside `path`, then rename it over `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_bytes(payload.encode("utf-8") if isinstance(payload, str) else payload)
    temporary.replace(path)
