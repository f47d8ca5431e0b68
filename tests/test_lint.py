"""Hygiene of the repository itself: lint, no stray files, lock files that match pyproject.toml."""
import re
import subprocess
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

from conftest import PROJECT_ROOT

# The brief's top level plus what packaging needs; anything else at the root is a mistake (a file named `-`
# once came from `-o -` given to a tool that writes to a file of that name).
TOP_LEVEL = {"records", "docs", "templates", "tools", "mkdocs.yml", ".github", "tests", "README.md", "pyproject.toml",
             "Makefile", ".ci", "bench", ".forgejo", ".gitignore"}
PYPROJECT = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text("utf-8"))


def ruff(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(Path(sys.executable).with_name("ruff")), "check", "--no-cache", *args],
                          cwd=PROJECT_ROOT, capture_output=True, text=True)


def test_ruff_passes():
    result = ruff("tools", "tests", "bench")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_can_fail(tmp_path):
    (tmp_path / "rusak.py").write_text("import os\n\n\ndef f():\n    return undefined_name\n")
    result = ruff(str(tmp_path / "rusak.py"))
    assert result.returncode == 1 and "F401" in result.stdout and "F821" in result.stdout


def test_no_stray_files_at_the_root():
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True)
    top = {name.split("/")[0] for name in tracked.stdout.split("\0") if name}
    assert top <= TOP_LEVEL, sorted(top - TOP_LEVEL)


def _pins(name: str) -> dict[str, str]:
    text = (PROJECT_ROOT / ".ci" / name).read_text("utf-8")
    return {m[1].lower().replace("_", "-").replace(".", "-"): m[2]
            for m in re.finditer(r"^([A-Za-z0-9_.-]+)==([^\s;]+)", text, re.M)}


def _normal(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def test_lock_files_pin_every_dependency_within_its_range():
    """`make test` and the CI jobs install only from the locks: a dependency added to pyproject.toml but not
    locked would be missing there, and a lock outside the declared range would test what users never get."""
    runtime, test = _pins("requirements.lock"), _pins("requirements-test.lock")
    for lock, requirements in ((runtime, PYPROJECT["project"]["dependencies"]),
                               (test, PYPROJECT["project"]["dependencies"]
                                + PYPROJECT["project"]["optional-dependencies"]["test"])):
        for line in requirements:
            requirement = Requirement(line)
            name = _normal(requirement.name)
            assert name in lock, f"{name} tidak ada di lock; jalankan: make kunci"
            assert requirement.specifier.contains(lock[name], prereleases=True), (name, lock[name])
    assert {name: version for name, version in test.items() if name in runtime} == runtime
