"""Summarise a mutmut run (bench/mutasi.sh): killed and surviving mutants per module, and each survivor's diff.

Run from build/mutasi (the script does); the mutant-name patterns given select what counts. Prints Markdown, which
bench/mutation.md quotes. `--sample N PATTERN...` instead prints N of the matching mutant names, the same N for
the same code (seeded), to run a sample of a module too large to run whole.
"""
from __future__ import annotations

import ast
import fnmatch
import functools
import json
import random
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
    for name in survivors:
        print(f"- `{name.split('.', 1)[1]}`: " + " → ".join(f"`{line}`" for line in change(name)))


@functools.cache
def _functions(module: str) -> dict[str, str]:
    """Source of every function in mutmut's copy of `module` (originals and mutants), by name."""
    text = (Path("mutants") / "src" / (module.replace(".", "/") + ".py")).read_text("utf-8")
    lines = text.splitlines()
    return {node.name: "\n".join(lines[node.lineno - 1:node.end_lineno]) for node in ast.walk(ast.parse(text))
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)}


def change(name: str) -> list[str]:
    """The original line and the mutated one (the first that differ)."""
    module, function = module_of(name), name.rsplit(".", 1)[1]
    functions = _functions(module)
    original = functions.get(function.rsplit("__mutmut_", 1)[0] + "__mutmut_orig", "").splitlines()[1:]
    mutated = functions.get(function, "").splitlines()[1:]
    for before, after in zip(original, mutated):
        if before != after:
            return [before.strip(), after.strip()]
    return ["?"]

if __name__ == "__main__":
    if sys.argv[1:2] == ["--sample"]:
        print("\n".join(sorted(random.Random(16).sample(sorted(results(sys.argv[3:])), int(sys.argv[2])))))
    else:
        main(sys.argv[1:] or ["*"])
