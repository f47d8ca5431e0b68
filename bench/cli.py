"""Benchmark: staff commands on the demo with its open branches, against the CLI's own start-up and the read floor.

Prints, for a demo of SIZE records (default 10,000; about 330 open pull request branches):
- start-up: `pengaduan --help` (Python, click and the package's imports);
- `baru`, `lanjut` (the Kasubbag's disposition), `status NOMOR` and `periksa --berubah` on a fresh registration,
  each as a ratio to start-up (target: 5x at most), with the number of `git` processes each started;
- full `periksa`, cold (empty cache: the first run, or after the code, configuration or SOP changed) and warm,
  against the floor of reading every record blob on main once (`git ls-tree` plus `git cat-file --batch`;
  target: both within 2x). A cold run shares the records out over the processors, so its CPU time is printed
  too: on a machine whose processors are busy with other work, its wall time says more about them than about it.
Each timing is the median of --ulang runs. The machine's CPU is shared: the load average is printed with the
figures, and ratios taken under load are pessimistic for the command and the floor alike.
Usage: python bench/cli.py [SIZE] [--ulang N]
"""
from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from email.message import EmailMessage
from pathlib import Path

from common import demo_repo  # noqa: E402 (sets the import path)

BIN = Path(sys.executable).parent / "pengaduan"
STAFF, CHIEF = "nurul@pulangpisau.kpu.example", "rahmadi@pulangpisau.kpu.example"


def git(repo: Path, *args: str, stdin: bytes | None = None) -> bytes:
    return subprocess.run(["git", *args], cwd=repo, input=stdin, capture_output=True, check=True).stdout


class GitCounter:
    """A `git` on PATH that logs each start, then runs the real one: how many git processes a command starts."""

    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="bench-git-"))
        self.log = self.folder / "calls"
        real = shutil.which("git")
        (self.folder / "git").write_text(f'#!/bin/sh\necho x >> "{self.log}"\nexec "{real}" "$@"\n')
        (self.folder / "git").chmod(0o755)

    def count(self, command: list[str], cwd: Path) -> tuple[int, str]:
        self.log.write_text("")
        env = {**os.environ, "PATH": f"{self.folder}{os.pathsep}{os.environ['PATH']}"}
        output = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True).stdout
        return len(self.log.read_text().split()), output


def timed(command: list[str], cwd: Path, ok: tuple[int, ...] = (0,)) -> tuple[float, str, float]:
    """(wall seconds, stdout, CPU seconds of the command and the git processes it started).

    CPU time is what the command costs the machine; wall time also holds waiting for a shared CPU."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode not in ok:
        raise SystemExit(f"{' '.join(command)} gagal ({result.returncode}):\n{result.stdout}{result.stderr}")
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return elapsed, result.stdout, cpu


def email(number: int) -> bytes:
    message = EmailMessage()
    message["From"], message["To"] = f"Warga {number} <warga{number}@contoh.example>", "pengaduan@kpu.example"
    message["Subject"], message["Date"] = f"Pengaduan uji kecepatan {number}", "Fri, 27 Nov 2026 09:00:00 +0700"
    message["Message-ID"] = f"<bench-{number}-{time.time_ns()}@contoh.example>"
    message.set_content(f"Isi pengaduan uji kecepatan nomor {number}.")
    return bytes(message)


def floor(repo: Path) -> tuple[float, float]:
    """Reading every record blob on main once (the listing, one cat-file process for all blobs): (wall, CPU)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    listing = git(repo, "ls-tree", "-r", "-z", "main", "--", "records/").split(b"\0")
    blobs = [line.split()[2] for line in listing if line.endswith(b".yaml") and line.count(b"/") == 3]
    git(repo, "cat-file", "--batch", stdin=b"\n".join(blobs) + b"\n")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.perf_counter() - start, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def main(size: int, repeat: int) -> None:
    repo = demo_repo(size)
    git(repo, "reset", "-q", "--hard", "main")
    branches = len([b for b in git(repo, "for-each-ref", "--format=%(refname)", "refs/heads").split() if b != b"refs/heads/main"])
    shutil.rmtree(repo / ".git" / "pengaduan", ignore_errors=True)
    subprocess.run([str(BIN), "status"], cwd=repo, capture_output=True)  # warm caches the way daily use has them
    counter = GitCounter()
    starts = [timed([str(BIN), "--help"], repo) for _ in range(max(repeat, 5))]
    startup, startup_cpu = statistics.median(t[0] for t in starts), statistics.median(t[2] for t in starts)
    rows, made = [], []
    samples: dict[str, list[tuple]] = {"baru": [], "lanjut": [], "status NOMOR": [], "periksa --berubah": []}
    processes: dict[str, int] = {}
    source = Path(tempfile.mkdtemp(prefix="bench-eml-"))
    try:
        for run in range(repeat + 1):
            path = source / f"aduan-{run}.eml"
            path.write_bytes(email(run))
            git(repo, "config", "user.email", STAFF)
            command = [str(BIN), "baru", "--eml", str(path)]
            if run == repeat:  # one more, untimed, to count git processes
                processes["baru"], output = counter.count(command, repo)
            else:
                elapsed, output, cpu = timed(command, repo)
                samples["baru"].append((elapsed, cpu))
            record = output.split(":", 1)[0]
            made.append(f"{record}-langkah-2")
            git(repo, "config", "user.email", CHIEF)
            steps = {"lanjut": [str(BIN), "lanjut", record, "--kepada", "teknis"],
                     "status NOMOR": [str(BIN), "status", record],
                     "periksa --berubah": [str(BIN), "periksa", "--berubah"]}
            for name, command in steps.items():
                if name == "periksa --berubah":
                    git(repo, "switch", "-q", made[-1])
                if run == repeat:
                    processes[name] = counter.count(command, repo)[0]
                else:
                    elapsed, _, cpu = timed(command, repo, ok=(0, 1))
                    samples[name].append((elapsed, cpu))
                if name == "periksa --berubah":
                    git(repo, "switch", "-q", "main")
        for name, values in samples.items():
            wall, cpu = statistics.median(v[0] for v in values), statistics.median(v[1] for v in values)
            rows.append((name, wall, wall / startup, cpu, cpu / startup_cpu, processes[name]))
        floors = [floor(repo) for _ in range(3)]
        bare, bare_cpu = statistics.median(f[0] for f in floors), statistics.median(f[1] for f in floors)
        colds = []
        for _ in range(repeat):
            (repo / ".git" / "pengaduan" / "periksa.cache").unlink(missing_ok=True)
            colds.append(timed([str(BIN), "periksa"], repo, ok=(0, 1)))
        cold, cold_cpu = statistics.median(c[0] for c in colds), statistics.median(c[2] for c in colds)
        warms = [timed([str(BIN), "periksa"], repo, ok=(0, 1)) for _ in range(repeat)]
        warm, warm_cpu = statistics.median(w[0] for w in warms), statistics.median(w[2] for w in warms)
        full_processes = counter.count([str(BIN), "periksa"], repo)[0]
    finally:
        git(repo, "switch", "-q", "main")
        for branch in made:
            subprocess.run(["git", "branch", "-q", "-D", branch], cwd=repo, capture_output=True)
        subprocess.run(["git", "config", "--unset", "user.email"], cwd=repo, capture_output=True)
        shutil.rmtree(source, ignore_errors=True)
        shutil.rmtree(counter.folder, ignore_errors=True)
    print(f"{size} rekaman, {branches} cabang terbuka; beban CPU (1/5/15 menit): {load()}")
    print(f"start-up `pengaduan --help`: {startup:.3f} s (CPU {startup_cpu:.3f} s)")
    print(f"{'perintah':<20} {'detik':>7} {'x start-up':>10} {'CPU s':>7} {'x start-up':>10} {'proses git':>10}")
    for name, seconds, ratio, cpu, cpu_ratio, count in rows:
        print(f"{name:<20} {seconds:>7.3f} {ratio:>10.2f} {cpu:>7.3f} {cpu_ratio:>10.2f} {count:>10}")
    print(f"lantai (baca semua blob rekaman di main sekali): {bare:.3f} s (CPU {bare_cpu:.3f} s)")
    print(f"periksa penuh, dingin: {cold:.3f} s ({cold / bare:.2f}x lantai; CPU {cold_cpu:.3f} s, "
          f"{cold_cpu / bare_cpu:.2f}x); hangat: {warm:.3f} s ({warm / bare:.2f}x lantai; CPU {warm_cpu:.3f} s, "
          f"{warm_cpu / bare_cpu:.2f}x); proses git: {full_processes}")


if __name__ == "__main__":
    arguments = sys.argv[1:]
    times = 3
    if "--ulang" in arguments:
        index = arguments.index("--ulang")
        times = int(arguments[index + 1])
        del arguments[index:index + 2]
    main(int(arguments[0]) if arguments else 10_000, times)
