"""Writing files whole: a reader (or a crash) sees the old file or the new one, never half of one."""
from __future__ import annotations

import os
from pathlib import Path


def write_atomic(path: Path, payload: bytes | str) -> None:
    """Write `payload` (text as UTF-8) to a temporary file beside `path`, then rename it over `path`. The
    temporary file is named for this process, so that two processes writing the same cache never mix their
    bytes, and it is removed when the write fails (a full disk)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(payload.encode("utf-8") if isinstance(payload, str) else payload)
        temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
