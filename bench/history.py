"""Benchmark: `pengaduan audit` against the physical floor (git's own reading), at 1k, 5k and 10k records.

Prints, for each size: the floor (bare `git log --raw -z --no-abbrev` over main plus
`git cat-file --batch` of every record blob it names), the cold audit (empty cache),
and the warm audit after one new merged pull request, with ratios and peak memory.
Both audits include checking the forge signature of every merge commit on main (the
demo's merges are signed by its own forge key; `ttd` is how many); the cold audit checks
them in a second process while it reads the records.
Usage: python bench/history.py [SIZES...]   (default 1000 5000 10000)
"""
from __future__ import annotations

import subprocess
import sys
import time

from pathlib import Path

from common import demo_repo  # noqa: E402 (sets the import path)

import shutil  # noqa: E402

import office  # noqa: E402  (the tests' way of doing one pull request)

BIN = Path(sys.executable).parent


def timed(command: list[str], cwd: Path, stdin: bytes | None = None) -> tuple[float, int, bytes]:
    """Wall seconds, peak RSS in MB (via /usr/bin/time), stdout."""
    start = time.perf_counter()
    result = subprocess.run(["/usr/bin/time", "-f", "%M", *command], cwd=cwd, input=stdin, capture_output=True)
    elapsed = time.perf_counter() - start
    peak_kb = int(result.stderr.decode().strip().splitlines()[-1])
    return elapsed, peak_kb // 1024, result.stdout


def floor(repo: Path) -> float:
    log_time, _, log = timed(["git", "log", "main", "--raw", "-z", "--no-abbrev"], repo)
    blobs = set()
    for field in log.split(b"\0"):
        if field.startswith(b":") or field.startswith(b"\n:"):
            parts = field.strip().split(b" ")
            blobs.update(p for p in parts[2:4] if p.strip(b"0"))
    cat_time, _, _ = timed(["git", "cat-file", "--batch"], repo, b"\n".join(sorted(blobs)) + b"\n")
    return log_time + cat_time


def one_more_pull_request(repo: Path) -> None:
    office.pull_request(repo, "bench-pr", [(office.record(2), office.STAFF, "2026-11-27T09:00:00+07:00")],
                        merged_at="2026-11-27T10:00:00+07:00")


def main(sizes: list[int]) -> None:
    print(f"{'rekaman':>8} {'komit':>7} {'ttd':>6} {'lantai s':>9} {'dingin s':>9} {'rasio':>6} {'MB':>5} "
          f"{'hangat s':>9} {'rasio':>6} {'dingin ms/rekaman':>18}")
    for size in sizes:
        repo = demo_repo(size)
        subprocess.run(["git", "reset", "-q", "--hard", "main"], cwd=repo, check=True)
        commits = int(subprocess.run(["git", "rev-list", "--count", "main"], cwd=repo, capture_output=True,
                                     text=True).stdout)
        signed = int(subprocess.run(["git", "rev-list", "--count", "--first-parent", "--merges", "main"], cwd=repo,
                                    capture_output=True, text=True).stdout)
        bare = floor(repo)
        shutil.rmtree(repo / ".git" / "pengaduan", ignore_errors=True)
        cold, peak, _ = timed([str(BIN / "pengaduan"), "audit"], repo)
        head = subprocess.run(["git", "rev-parse", "main"], cwd=repo, capture_output=True, text=True).stdout.strip()
        one_more_pull_request(repo)
        warm, _, _ = timed([str(BIN / "pengaduan"), "audit"], repo)
        subprocess.run(["git", "reset", "-q", "--hard", head], cwd=repo, check=True)
        subprocess.run(["git", "branch", "-q", "-D", "bench-pr"], cwd=repo, check=True)
        print(f"{size:>8} {commits:>7} {signed:>6} {bare:>9.2f} {cold:>9.2f} {cold / bare:>6.2f} {peak:>5} "
              f"{warm:>9.2f} {warm / bare:>6.2f} {1000 * cold / size:>18.2f}", flush=True)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 5000, 10000])
