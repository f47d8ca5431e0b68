"""The history cache: warm runs read only what is new; a corrupt or stale cache is rebuilt, never trusted."""
import pytest

from pengaduan import history
from pengaduan.history import _cache_path, read_history

from conftest import git
from office import RECORD_ID, walk_to


def same(a, b) -> bool:
    return a.head == b.head and a.commits == b.commits and a.blobs == b.blobs


@pytest.fixture
def blob_reads(monkeypatch):
    """Records which blobs each run asks `git cat-file` for (the real reader still runs)."""
    calls = []
    real = history._read_blobs

    def counting(repo, shas):
        calls.append(list(shas))
        return real(repo, shas)
    monkeypatch.setattr(history, "_read_blobs", counting)
    return calls


def test_warm_run_reads_only_the_new_commits(demo_repo, blob_reads):
    read_history(demo_repo)
    assert _cache_path(demo_repo, "main").is_file()
    walk_to(demo_repo, 3)
    warm = read_history(demo_repo)
    assert len(blob_reads[-1]) == 2  # step 2 and step 3 versions of the one new record
    assert same(warm, read_history(demo_repo, use_cache=False))


def test_unchanged_repository_reads_nothing(demo_repo, blob_reads):
    read_history(demo_repo)
    read_history(demo_repo)
    assert blob_reads[-1] == []


@pytest.mark.parametrize("damage", [b"", b"rubbish", None])
def test_corrupt_cache_is_rebuilt(demo_repo, damage):
    read_history(demo_repo)
    path = _cache_path(demo_repo, "main")
    raw = path.read_bytes()
    path.write_bytes(damage if damage is not None else raw[:-10] + b"0123456789")
    assert same(read_history(demo_repo), read_history(demo_repo, use_cache=False))


def test_rewritten_history_is_not_trusted(demo_repo):
    walk_to(demo_repo, 3)
    read_history(demo_repo)
    git(demo_repo, "reset", "-q", "--hard", "HEAD~1")
    git(demo_repo, "branch", "-q", "-D", f"{RECORD_ID}-langkah-2")
    walk_to(demo_repo, 2)  # a different commit in its place
    assert same(read_history(demo_repo), read_history(demo_repo, use_cache=False))
