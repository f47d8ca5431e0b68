"""Benchmark: a 100 MB e-mail is read as a stream, so memory stays flat.

Measured in fresh processes (peak RSS from `resource`), against floors on the same file:
- floor: Python importing pengaduan (peak memory), and `cat` of the file (time);
- `read_eml` of a message with a 100 MB attachment, accepted (limit 200 MB);
- the same message refused at the office's usual 20 MB limit (reading stops there);
- the whole `pengaduan baru --eml` into a copy of the 40-complaint demo (limit raised to 200 MB): read, commit
  the attachment and the original into Git.
Target: peak memory within 30 MB of the floor whatever the message size.
Usage: python bench/intake.py [MEGABYTES]
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import demo_repo  # noqa: E402 (sets the import path)
from test_intake import write_big_eml  # noqa: E402

PEAK = "import resource; print('|', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)"
READ = """
import sys
from pathlib import Path
from pengaduan.intake.eml import IntakeError, read_eml
try:
    read_eml(Path(sys.argv[1]), "besar.eml", int(sys.argv[2]))
except IntakeError:
    pass
"""
REGISTER = """
import sys
from pengaduan.cli import cli
cli(["--repo", sys.argv[1], "baru", "--eml", sys.argv[2]], standalone_mode=False)
"""


def measure(code: str, *args: str, env: dict | None = None) -> tuple[float, int]:
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", f"{code}\n{PEAK}", *args], capture_output=True, text=True,
                            check=True, env=env)
    return time.perf_counter() - start, int(result.stdout.rsplit("|", 1)[1])


def main() -> None:
    import os
    megabytes = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    work = Path(tempfile.mkdtemp())
    message = work / "besar.eml"
    write_big_eml(message, megabytes)
    size = message.stat().st_size / 1048576
    start = time.perf_counter()
    subprocess.run(["cat", str(message)], stdout=subprocess.DEVNULL, check=True)
    cat = time.perf_counter() - start
    _, floor = measure("import pengaduan.cli, pengaduan.intake.eml")
    rows = [("floor: import (memory), cat (time)", cat, floor)]
    rows.append(("read_eml, accepted", *measure(READ, str(message), str(2 * megabytes * 1048576))))
    rows.append(("read_eml, refused at 20 MB", *measure(READ, str(message), str(20 * 1048576))))
    repo = work / "repo"
    shutil.copytree(demo_repo(40), repo, symlinks=True)
    office = repo / "tools" / "config" / "kantor.yaml"
    office.write_text(office.read_text("utf-8").replace("batas_lampiran_mb: 20",
                                                        f"batas_lampiran_mb: {2 * megabytes}"), "utf-8")
    subprocess.run(["git", "config", "user.email", "nurul@pulangpisau.kpu.example"], cwd=repo, check=True)
    env = {**os.environ, "PENGADUAN_SEKARANG": "2026-11-27T12:00+07:00"}
    rows.append(("pengaduan baru --eml (read + git commit)", *measure(REGISTER, str(repo), str(message), env=env)))
    print(f"Surel {size:.0f} MB (lampiran {megabytes} MB, base64).")
    print(f"{'':44} {'waktu':>8} {'x cat':>7} {'puncak':>8} {'- dasar':>8}")
    for label, seconds, peak in rows:
        print(f"{label:44} {seconds:7.2f}s {seconds / cat:6.1f}x {peak:6d}MB {peak - floor:+7d}MB")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
