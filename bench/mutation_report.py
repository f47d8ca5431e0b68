"""Summarise a mutmut run (bench/mutasi.sh): killed and surviving mutants per module, and each survivor's diff.

Run from build/mutasi (the script does); the mutant-name patterns given select what counts. Prints Markdown, which
bench/mutation.md quotes.
"""
from __future__ import annotations

import fnmatch
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

from mutmut.stats import status_by_exit_code


def results(patterns: list[str]) -> dict[str, str]:
    """Mutant name -> mutmut's verdict ("killed", "survived", "not checked", ...) for names matching `patterns`."""
    found = {}
    for meta in Path("mutants").rglob("*.py.meta"):
        codes = json.loads(meta.read_text("utf-8"))["exit_code_by_key"]
        for name, code in codes.items():
            if any(fnmatch.fnmatch(name, pattern) for pattern in patterns):
                found[name] = status_by_exit_code[code]
    return found


def module_of(name: str) -> str:
    return name.split(".x")[0]


def main(patterns: list[str]) -> None:
    verdicts = results(patterns)
    by_module: dict[str, Counter] = {}
    for name, verdict in verdicts.items():
        by_module.setdefault(module_of(name), Counter())[verdict] += 1
    print("| Modul | diuji | terbunuh | bertahan | lain-lain | skor |")
    print("|---|---|---|---|---|---|")
    for module, counts in sorted(by_module.items()):
        tested = sum(n for verdict, n in counts.items() if verdict != "not checked")
        killed = counts["killed"] + counts["timeout"]
        other = tested - killed - counts["survived"]
        score = f"{100 * killed / tested:.0f}%" if tested else "-"
        print(f"| `{module}` | {tested} | {killed} | {counts['survived']} | {other} | {score} |")
    survivors = sorted(name for name, verdict in verdicts.items() if verdict == "survived")
    print(f"\nBertahan ({len(survivors)}):\n")
    mutmut = str(Path(sys.executable).with_name("mutmut"))
    for name in survivors:
        shown = subprocess.run([mutmut, "show", name], capture_output=True, text=True).stdout
        diff = [line for line in shown.splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---")]
        print(f"- `{name}`: " + " / ".join(f"`{line.strip()}`" for line in diff[:2]))


if __name__ == "__main__":
    main(sys.argv[1:] or ["*"])
