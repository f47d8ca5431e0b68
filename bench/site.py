"""Benchmark: publishing the demo's public site, cold and warm, beside a bare `mkdocs build`.

- bare: the same mkdocs.yml and docs/ with no generated pages (what MkDocs costs by itself; the floor);
- cold: `pengaduan situs` with no history cache (a fresh CI runner without actions/cache);
- warm: `pengaduan situs` after one more merged pull request, with the cache the cold run left (what CI does
  with actions/cache restoring the previous publish's .git/pengaduan); the median of WARM_RUNS runs;
- scan: of the warm run, the leak scan alone (every personal value of every record against every output file).

Each publish runs as its own process, as in CI. Goals at 10,000 records: cold <= 60 s (the whole public
build), warm <= 5 s.
Usage: python bench/site.py [SIZE]   (default 10000)
"""
from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import time
from datetime import datetime, time as clock
from pathlib import Path

from common import ROOT, UNTIL, demo_repo  # noqa: E402 (sets the import path)

from mkdocs.commands.build import build  # noqa: E402
from mkdocs.config import load_config  # noqa: E402

from pengaduan.outputs import site  # noqa: E402
from pengaduan.history.calendar import WIB  # noqa: E402
from pengaduan.outputs.publish import attachment_files, main_records, own_text, scan  # noqa: E402

from history import one_more_pull_request, timed  # noqa: E402

BIN = Path(sys.executable).parent
COLD_BUDGET = 60.0  # seconds for the 10k-record public build
WARM_GOAL = 5.0
WARM_RUNS = 5  # a warm publish takes a few seconds, so one run is at the mercy of whatever else the machine does


def publish(repo: Path, out: Path) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, peak MB) of one `pengaduan situs` process. On a shared machine the CPU
    seconds are the steadier figure: wall time includes waiting for the other processes' turns."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    seconds, peak, _ = timed([str(BIN / "pengaduan"), "--repo", str(repo), "situs", "--keluar", str(out),
                              "--pada", UNTIL.isoformat()], ROOT)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if not (out / "index.html").is_file():
        raise SystemExit(f"situs tidak terbangun di {out}")
    return seconds, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, peak


def main(size: int) -> None:
    repo = demo_repo(size)
    subprocess.run(["git", "reset", "-q", "--hard", "main"], cwd=repo, check=True)
    head = subprocess.run(["git", "rev-parse", "main"], cwd=repo, capture_output=True, text=True).stdout.strip()
    now = datetime.combine(UNTIL, clock(23, 59), WIB)
    out = ROOT / "build" / "bench" / "site"
    shutil.rmtree(out, ignore_errors=True)
    site.CURRENT = site.SiteBuild(False, now, {}, {})
    start = time.perf_counter()
    build(load_config(str(ROOT / "mkdocs.yml"), site_dir=str(out)))
    bare = time.perf_counter() - start
    site.CURRENT = None
    shutil.rmtree(out)
    shutil.rmtree(repo / ".git" / "pengaduan", ignore_errors=True)
    caches = repo / ".git" / "pengaduan"
    after_cold = ROOT / "build" / "bench" / "cache-setelah-dingin"
    try:
        cold, cold_cpu, cold_peak = publish(repo, out)
        shutil.rmtree(after_cold, ignore_errors=True)
        shutil.copytree(caches, after_cold)
        warm_runs = []
        for _ in range(WARM_RUNS):  # the same publish each time: the caches the cold run left, one more PR
            subprocess.run(["git", "reset", "-q", "--hard", head], cwd=repo, check=True)
            subprocess.run(["git", "branch", "-q", "-D", "bench-pr"], cwd=repo, capture_output=True)
            shutil.rmtree(caches)
            shutil.copytree(after_cold, caches)
            one_more_pull_request(repo)
            warm_runs.append(publish(repo, out))
            if json.loads((out / "versi.json").read_text("utf-8"))["komit"] == head:
                raise SystemExit("penerbitan hangat gagal: situs masih dari komit sebelum pull request")
        warm, warm_cpu, warm_peak = sorted(warm_runs)[len(warm_runs) // 2]
        records = main_records(repo, "main")
        start = time.process_time()
        hits = scan(out, {path: values for path, (_, _, values) in records.items()},
                    attachment_files(repo, "main", records), own_text(ROOT, ROOT / "docs"))
        scanning = time.process_time() - start
    finally:
        subprocess.run(["git", "reset", "-q", "--hard", head], cwd=repo, check=True)
        subprocess.run(["git", "branch", "-q", "-D", "bench-pr"], cwd=repo, capture_output=True)
        shutil.rmtree(after_cold, ignore_errors=True)
    files = sum(1 for p in out.rglob("*") if p.is_file())
    print(f"{size} rekaman, {files} berkas hasil, pemindaian {len(hits)} temuan; beban mesin {os.getloadavg()[0]:.1f} "
          f"pada {os.cpu_count()} inti:")
    print(f"  {'':28} {'dinding s':>9} {'CPU s':>6} {'x lantai':>8} {'puncak MB':>9}")
    print(f"  {'mkdocs build polos (lantai)':28} {bare:9.1f} {'':>6} {1:8.1f}")
    print(f"  {'terbit dingin':28} {cold:9.1f} {cold_cpu:6.1f} {cold / bare:8.1f} {cold_peak:9}"
          f"   (anggaran <= {COLD_BUDGET:.0f} s)")
    print(f"  {'terbit hangat (+1 PR), median':28} {warm:9.1f} {warm_cpu:6.1f} {warm / bare:8.1f} {warm_peak:9}"
          f"   (sasaran <= {WARM_GOAL:.0f} s; {WARM_RUNS} kali: "
          f"{', '.join(f'{run[0]:.1f}' for run in sorted(warm_runs))} s)")
    print(f"  {'pemindaian (dalam hangat)':28} {'':>9} {scanning:6.1f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10000)
