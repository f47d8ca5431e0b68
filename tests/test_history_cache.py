"""The history cache: warm runs read only what is new; a corrupt or stale cache is rebuilt, never trusted."""
import pytest

from pengaduan.history import reader as history
from pengaduan.history.audit import replay_repository
from pengaduan.core.config import load_settings
from pengaduan.history.reader import cache_path, read_history

from conftest import git
from office import RECORD_ID, STRANGER, change_file, pull_request, record, walk_to


def same(a, b) -> bool:
    return a.head == b.head and a.commits == b.commits and a.blobs == b.blobs


@pytest.fixture
def blob_reads(monkeypatch):
    """Records which blobs each run asks `git cat-file` for (the real reader still runs)."""
    calls = []
    real = history.read_blob_facts

    def counting(repo, shas):
        calls.append(list(shas))
        return real(repo, shas)
    monkeypatch.setattr(history, "read_blob_facts", counting)
    return calls


def test_warm_run_reads_only_the_new_commits(demo_repo, blob_reads):
    read_history(demo_repo)
    assert cache_path(demo_repo, "main", "facts").is_file()
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
    path = cache_path(demo_repo, "main", "facts")
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


def cold_replay(repo):
    return replay_repository(repo, "main", load_settings(repo), use_cache=False)


def test_replay_continues_from_the_cache(demo_repo):
    settings = load_settings(demo_repo)
    replay_repository(demo_repo, "main", settings)
    walk_to(demo_repo, 3)
    pull_request(demo_repo, "asing", [(record(4), STRANGER, "2026-11-04T09:00:00+07:00")])
    warm = replay_repository(demo_repo, "main", settings)
    assert warm == cold_replay(demo_repo)
    assert [v.rule for v in warm[1]] == ["identitas-asing"]


def test_roster_as_it_stood_not_as_it_is(demo_repo):
    """A roster edit, in the working tree or merged later, never clears a finding on an earlier commit."""
    walk_to(demo_repo, 3)
    pull_request(demo_repo, "asing", [(record(4), STRANGER, "2026-11-04T09:00:00+07:00")])
    assert [v.rule for v in replay_repository(demo_repo, "main", load_settings(demo_repo))[1]] == ["identitas-asing"]

    def add_stranger(text):
        return text.replace("email: [nurul@pulangpisau.kpu.example]",
                            "email: [nurul@pulangpisau.kpu.example, luar@contoh.example]")
    office_file = demo_repo / "tools/config/kantor.yaml"
    office_file.write_text(add_stranger(office_file.read_text("utf-8")), "utf-8")
    assert [v.rule for v in replay_repository(demo_repo, "main", load_settings(demo_repo))[1]] == ["identitas-asing"]
    git(demo_repo, "checkout", "-q", "--", "tools/config/kantor.yaml")
    change_file(demo_repo, "tools/config/kantor.yaml", add_stranger, when="2026-11-05T08:00:00+07:00")
    warm = replay_repository(demo_repo, "main", load_settings(demo_repo))
    assert [v.rule for v in warm[1]] == ["identitas-asing"] and warm == cold_replay(demo_repo)


def test_corrupt_replay_cache_is_rebuilt(demo_repo):
    settings = load_settings(demo_repo)
    replay_repository(demo_repo, "main", settings)
    cache_path(demo_repo, "main", "replay").write_bytes(b"\0" * 64)
    assert replay_repository(demo_repo, "main", settings) == cold_replay(demo_repo)


def test_parsing_in_two_processes_gives_the_same_facts(demo_repo, blob_reads):
    shas = sorted(history.read_history(demo_repo, use_cache=False).blobs)
    blob_reads.clear()
    both = history.read_blob_facts_in_two(demo_repo, shas, at_least=1)
    assert [len(call) for call in blob_reads] == [len(shas) - int(len(shas) * 0.4)]  # the helper did the rest
    assert both == history.read_blob_facts(demo_repo, shas)
