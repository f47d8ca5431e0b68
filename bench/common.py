"""Shared by the benchmarks: demo repositories, rebuilt whenever the configuration or the generator changes."""
from __future__ import annotations

import compileall
import hashlib
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tools")]

from pengaduan.demo import generate  # noqa: E402

# The package's bytecode, as `pip install` of the wheel writes it: where PYTHONDONTWRITEBYTECODE is set (this
# machine sets it) an editable install has none, and every command would first compile the whole package from
# source (about 0.4 s of a warm publish), which no installed office does.
compileall.compile_dir(ROOT / "tools" / "pengaduan", quiet=1)

UNTIL = date(2026, 11, 27)


def demo_repo(size: int) -> Path:
    digest = hashlib.sha256()
    package = ROOT / "tools" / "pengaduan"  # what the demo is made from: the package's office data and the generator
    for path in (sorted((package / "data").rglob("*.yaml")) + sorted((package / "schema").glob("*"))
                 + [package / "demo.py", package / "core" / "sop.py"]):
        digest.update(path.read_bytes())
    repo = ROOT / "build" / "bench" / f"demo-{size}-{digest.hexdigest()[:8]}"
    if not repo.exists():
        generate(repo, size, seed=2022, until=UNTIL)
    return repo
