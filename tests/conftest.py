"""Fixtures: real Git repositories built the way the office works (see pengaduan.demo)."""
from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import settings

from pengaduan.cli.main import cli
from pengaduan.demo import generate

PROJECT_ROOT = Path(__file__).resolve().parents[1]
# Git commands in tests that name no one (notes, merges in helpers) must not depend on the machine's identity.
for _key, _value in (("GIT_AUTHOR_NAME", "Uji"), ("GIT_AUTHOR_EMAIL", "uji@pengaduan.invalid"),
                     ("GIT_COMMITTER_NAME", "Uji"), ("GIT_COMMITTER_EMAIL", "uji@pengaduan.invalid")):
    os.environ.setdefault(_key, _value)
DEMO_UNTIL = date(2026, 11, 27)
# Property tests: 300 examples each; the mutation run (bench/mutasi.sh) sets HYPOTHESIS_PROFILE=mutasi for fewer.
settings.register_profile("pengaduan", max_examples=300, deadline=None)
settings.register_profile("mutasi", max_examples=30, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "pengaduan"))


def git(repo: Path, *args: str, who: tuple[str, str] | None = None, when: str | None = None) -> str:
    """Run git in `repo` as `who` (name, email) at `when` (ISO time); returns stdout."""
    env = dict(os.environ)
    if who:
        env.update(GIT_AUTHOR_NAME=who[0], GIT_AUTHOR_EMAIL=who[1], GIT_COMMITTER_NAME=who[0],
                   GIT_COMMITTER_EMAIL=who[1])
    if when:
        env.update(GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when)
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="session")
def _demo_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "repo"
    generate(path, 40, seed=11, until=DEMO_UNTIL)
    return path


@pytest.fixture
def demo_repo(_demo_template, tmp_path) -> Path:
    """A fresh copy of a 40-complaint demo repository, free to change."""
    path = tmp_path / "repo"
    shutil.copytree(_demo_template, path, symlinks=True)
    return path


@pytest.fixture
def run():
    """Run the CLI in-process: run(args...) -> click Result."""
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)
    return invoke
