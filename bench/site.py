"""Benchmark: the public site for the 10,000-record demo (at most 60 s), beside a bare `mkdocs build`.

The bare build is the same mkdocs.yml and docs/ with no generated pages: what MkDocs
costs by itself. Both are cold (no history cache). Usage: python bench/site.py [SIZE]
"""
from __future__ import annotations

import shutil
import sys
import time
from datetime import datetime, time as clock

from common import ROOT, UNTIL, demo_repo  # noqa: E402 (sets the import path)

from mkdocs.commands.build import build  # noqa: E402
from mkdocs.config import load_config  # noqa: E402

from pengaduan import site  # noqa: E402
from pengaduan.calendar import WIB  # noqa: E402

BUDGET = 60.0  # seconds for the 10k-record public build (issue 15)


def public_build(size: int) -> float:
    """Time the cold public build of a `size`-record demo, beside a bare `mkdocs build`; returns seconds."""
    repo = demo_repo(size)
    now = datetime.combine(UNTIL, clock(23, 59), WIB)
    out = ROOT / "build" / "bench" / "site"
    shutil.rmtree(out, ignore_errors=True)
    site.CURRENT = site.SiteBuild(False, now, {}, {})
    start = time.perf_counter()
    build(load_config(str(ROOT / "mkdocs.yml"), site_dir=str(out)))
    bare = time.perf_counter() - start
    site.CURRENT = None
    shutil.rmtree(repo / ".git" / "pengaduan", ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    start = time.perf_counter()
    generated = site.build_site(repo, out, internal=False, now=now)
    full = time.perf_counter() - start
    pages = sum(1 for _ in out.rglob("*.html"))
    size_mb = sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) / 1e6
    verdict = ("dalam anggaran" if full <= BUDGET else "MELEBIHI anggaran") if size >= 10000 else "tidak diuji"
    print(f"{size} rekaman: situs publik {full:.1f} s ({pages} halaman HTML, {generated} berkas dibuat, "
          f"{size_mb:.0f} MB); mkdocs build polos {bare:.1f} s; selisih {full - bare:.1f} s; rasio "
          f"{full / bare:.1f}x; anggaran 10k: {BUDGET:.0f} s ({verdict}). CPU dipakai bersama: angka dapat melebar.")
    return full


def main(size: int) -> None:
    public_build(size)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10000)
