"""Reading the register: every commit of main and every record version, in one pass.

One `git log --raw` over the branch and one `git cat-file --batch` process for
the record blobs it names (one `git log -- file` per record costs ~0.4 s each).
What is read is config-independent and keyed by ids that never change (commit
and blob ids), so it is cached in the Git directory; the next run reads only
commits added since. Rules and deadlines are applied afterwards (audit.py).
"""
from __future__ import annotations

import hashlib
import json
import marshal
import multiprocessing
import os
import re
import subprocess
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeGuard

from ..core import yamlio
from ..core.cache import read_checked, write_checked
from ..core.errors import PengaduanError
from ..core.evidence import signer
from ..core.processes import beside
from ..core.records import is_record_path
from ..core.sop import TARGET, target_of

if TYPE_CHECKING:
    from ..core.evidence import PublicKey  # imported where used: cryptography loads only when signatures are checked

CACHE_VERSION = 5
_LOG_FORMAT = "%x1e%H%x1f%P%x1f%an%x1f%ae%x1f%at%x1f%cn%x1f%ce%x1f%ct%x1f%B%x1f"
_EMPTY = "0" * 40


class Commit(NamedTuple):
    sha: str
    parents: tuple[str, ...]
    author: str
    email: str
    time: int  # author time, Unix seconds
    committer: str
    committer_email: str
    message: str
    changes: tuple[tuple[str, str, str], ...]  # (path, old blob or "", new blob or "") of record files
    committed: int = 0  # committer time, Unix seconds
    others: tuple[tuple[str, str, str], ...] = ()  # the same for every other file (attachments, config, code)

    @property
    def subject(self) -> str:
        return self.message.split("\n", 1)[0]


class Facts(NamedTuple):
    """What the rules need from one version of one record."""
    valid: bool
    id: str
    step: int
    received: str
    target: str  # disposisi.diteruskan_kepada
    sop: str
    keys: tuple[str, ...]  # top-level keys, in order (one shared tuple per key layout)
    digests: bytes  # 8 bytes per key: digest of that key's content
    corrections: tuple[tuple[str, ...], ...]  # koreksi[].bagian
    problem: str
    numbers: tuple[tuple[str, str], ...] = ()  # (kind, number): agenda "YEAR/N" and each letter block's `nomor`

    def digest_of(self) -> dict[str, bytes]:
        return {key: self.digests[8 * i:8 * i + 8] for i, key in enumerate(self.keys)}


_WANTED = {"id", "langkah", "diterima", TARGET[0], "versi_sop", "koreksi"}
_TOP_KEY = re.compile(rb"^([A-Za-z_][A-Za-z0-9_]*):(?=[ \n]|$)", re.M)
_COLUMN_ZERO = re.compile(rb"^[^ #\n]", re.M)


def _numbered(value: object) -> TypeGuard[dict[str, Any]]:
    """A letter block: a mapping with a `nomor` (nota dinas and the like)."""
    return isinstance(value, dict) and isinstance(value.get("nomor"), (str, int)) and value.get("nomor") != ""


def _digest(value: object) -> bytes:
    return hashlib.blake2b(json.dumps(value, sort_keys=True, ensure_ascii=False).encode(), digest_size=8).digest()


class FactsReader:
    """Facts of record versions, parsing each distinct top-level entry once.

    Consecutive versions of a record share all but one or two top-level
    entries, so parsing per entry (and reusing what was parsed) cuts YAML work
    several times over. Anything that is not a plain block mapping with its keys
    at column 0 goes through the full parser, which reports the exact problem.
    """

    def __init__(self) -> None:
        self._entries: dict[bytes, tuple[str, object, bytes]] = {}
        self._layouts: dict[tuple[str, ...], tuple[str, ...]] = {}

    def _entry(self, text: bytes) -> tuple[str, object, bytes] | None:
        known = self._entries.get(text)
        if known is None:
            try:
                data = yamlio.load_mapping(text)
            except yamlio.YamlProblem:
                return None
            if len(data) != 1:
                return None
            (key, value), = data.items()
            kept = value if key in _WANTED else {"nomor": value["nomor"]} if _numbered(value) else None
            known = self._entries[text] = (key, kept, _digest(value))
        return known

    def _split(self, raw: bytes) -> dict[str, tuple[str, object, bytes]] | None:
        starts = [m.start() for m in _TOP_KEY.finditer(raw)]
        if not starts or len(raw) > yamlio.MAX_BYTES or len(_COLUMN_ZERO.findall(raw)) != len(starts):
            return None
        entries: dict[str, tuple[str, object, bytes]] = {}
        for begin, end in zip(starts, starts[1:] + [len(raw)]):
            entry = self._entry(raw[begin:end])
            if entry is None or entry[0] in entries:
                return None
            entries[entry[0]] = entry
        return entries

    def facts(self, raw: bytes) -> Facts:
        entries = self._split(raw)
        return self.facts_parsed_whole(raw) if entries is None else self._facts(entries)

    def facts_parsed_whole(self, raw: bytes) -> Facts:
        try:
            data = yamlio.load_mapping(raw)
        except yamlio.YamlProblem as problem:
            return Facts(False, "", 0, "", "", "", (), b"", (), problem.message)
        return self._facts({key: (key, value, _digest(value)) for key, value in data.items()})

    def _facts(self, entries: dict[str, tuple[str, object, bytes]]) -> Facts:
        values = {key: entry[1] for key, entry in entries.items()}
        step = values.get("langkah")
        if not isinstance(step, int) or isinstance(step, bool):
            return Facts(False, "", 0, "", "", "", (), b"", (), "kunci `langkah` hilang atau bukan angka")
        keys = tuple(entries)
        keys = self._layouts.setdefault(keys, keys)
        received = values.get("diterima")
        corrections = values.get("koreksi")
        numbers = tuple((key, str(value["nomor"])) for key, value in values.items() if _numbered(value))
        if isinstance(received, dict) and received.get("nomor_agenda") is not None:
            numbers = (("agenda", f"{str(received.get('waktu', ''))[:4]}/{received['nomor_agenda']}"),) + numbers
        return Facts(True, str(values.get("id", "")), step,
                     str(received.get("waktu", "")) if isinstance(received, dict) else "",
                     target_of(values),
                     str(values.get("versi_sop", "")), keys, b"".join(e[2] for e in entries.values()),
                     tuple(tuple(c.get("bagian", ())) for c in corrections if isinstance(c, dict))
                     if isinstance(corrections, list) else (), "", numbers)


def _parse_log(output: bytes) -> dict[str, Commit]:
    """Commits from `git log --raw -z` output; a message cannot hold NUL, so `\\x1f\\0` ends a header."""
    commits = {}
    position, end = 0, len(output)
    while position < end:
        if output[position] != 0x1E:
            raise ValueError(f"unexpected git log output at {position}")
        header_end = output.index(b"\x1f\x00", position)
        sha, parents, author, email, time, committer, committer_email, committed, message = (
            output[position + 1:header_end].decode("utf-8", errors="replace").split("\x1f", 8))
        position = header_end + 2
        changes: list[tuple[str, str, str]] = []
        others: list[tuple[str, str, str]] = []
        while position < end and output[position] != 0x1E:
            if output[position] == 0x0A:
                position += 1
                continue
            meta_end = output.index(b"\x00", position)
            path_end = output.index(b"\x00", meta_end + 1)
            path = output[meta_end + 1:path_end].decode("utf-8", errors="replace")
            _, _, old, new, _status = output[position + 1:meta_end].decode().split(" ")
            (changes if is_record_path(path) else others).append(
                (path, "" if old == _EMPTY else old, "" if new == _EMPTY else new))
            position = path_end + 1
        commits[sha] = Commit(sha, tuple(parents.split()), author, email, int(time), committer, committer_email,
                              message.rstrip("\n"), tuple(changes), int(committed), tuple(others))
    return commits


def diff_records(repo: Path, old: str, new: str) -> tuple[tuple[str, str, str], ...]:
    """(path, old blob or "", new blob or "") of record files that differ between two commits."""
    output = subprocess.run(["git", "diff", "--raw", "-z", "--no-renames", "--no-abbrev", old, new, "--",
                             "records/"], cwd=repo, capture_output=True, check=True).stdout
    fields = output.split(b"\x00")
    changes = []
    for meta, path in zip(fields[0::2], fields[1::2]):
        if meta.startswith(b":") and is_record_path(path.decode("utf-8", "replace")):
            _, _, before, after, _ = meta[1:].decode().split(" ")
            changes.append((path.decode("utf-8", "replace"), "" if before == _EMPTY else before,
                            "" if after == _EMPTY else after))
    return tuple(changes)


def read_commits(repo: Path, revisions: list[str]) -> dict[str, Commit]:
    log = subprocess.run(["git", "log", *revisions, "--raw", "-z", "--root", "--no-abbrev", "--no-renames",
                          "--diff-merges=first-parent", f"--format={_LOG_FORMAT}"],
                         cwd=repo, check=True, capture_output=True).stdout
    return _parse_log(log)


def read_blobs_raw(repo: Path, shas: list[str]) -> Iterator[tuple[str, bytes]]:
    """(sha, bytes) of each blob, in order, through one `git cat-file --batch` process."""
    if not shas:
        return
    process = subprocess.Popen(["git", "cat-file", "--batch"], cwd=repo, stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE)
    stdin, out = process.stdin, process.stdout
    assert stdin is not None and out is not None  # both are PIPE

    def feed() -> None:
        stdin.write("".join(f"{sha}\n" for sha in shas).encode())
        stdin.close()
    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    for sha in shas:
        header = out.readline().split()
        if len(header) < 3:
            raise RuntimeError(f"git cat-file: blob {sha} tidak ditemukan")
        raw = out.read(int(header[2]))
        out.read(1)
        yield sha, raw
    writer.join()
    process.wait()


def read_blob_facts(repo: Path, shas: list[str]) -> dict[str, Facts]:
    reader = FactsReader()
    return {sha: reader.facts(raw) for sha, raw in read_blobs_raw(repo, shas)}


def _facts_from(sent: dict[str, Any]) -> dict[str, Facts]:
    return {sha: Facts._make((*f[:10], tuple(tuple(x) for x in f[10]))) for sha, f in sent.items()}


def read_blob_facts_in_two(repo: Path, shas: list[str], at_least: int = 20000, share: float = 0.4) -> dict[str, Facts]:
    """`read_blob_facts`, with a forked second process parsing `share` of many versions meanwhile.

    Parsing YAML is most of a cold audit; on a machine with two cores, the two halves take about the
    time of one. Without `fork`, for few versions, or if the helper fails, one process does it all.
    """
    if len(shas) < at_least or not hasattr(os, "fork"):
        return read_blob_facts(repo, shas)
    cut = int(len(shas) * share)
    theirs, ours = shas[:cut], shas[cut:]
    facts, (sent,) = beside(lambda: read_blob_facts(repo, ours),
                            [lambda: {sha: tuple(f) for sha, f in read_blob_facts(repo, theirs).items()}])
    try:
        helped = _facts_from(sent) if isinstance(sent, dict) else {}
    except (ValueError, TypeError):
        helped = {}
    facts.update(helped if helped.keys() == set(theirs) else read_blob_facts(repo, theirs))
    return facts


def record_paths_on(repo: Path, revision: str, prefix: str = "records/") -> dict[str, str]:
    """Every record file (path -> blob id) in `revision`'s tree under `prefix`, without reading any."""
    listing = subprocess.run(["git", "ls-tree", "-r", "-z", revision, "--", prefix], cwd=repo, capture_output=True,
                             check=True).stdout.decode("utf-8", "replace")
    entries = [line.split("\t", 1) for line in listing.split("\0") if line]
    return {path: meta.split()[2] for meta, path in entries if is_record_path(path)}


@dataclass
class History:
    """Every commit reachable from the branch head, and the facts of every record version."""
    head: str
    commits: dict[str, Commit]
    blobs: dict[str, Facts]

    def first_parent_chain(self) -> list[Commit]:
        """Main's own commits, oldest first (back to the first commit not read, for a partial history)."""
        chain, sha = [], self.head
        while sha in self.commits:
            commit = self.commits[sha]
            chain.append(commit)
            sha = commit.parents[0] if commit.parents else ""
        return chain[::-1]

    def branch_commits(self) -> dict[str, list[Commit]]:
        """Merge commit -> the commits its pull request brought in, oldest first."""
        chain = self.first_parent_chain()
        seen = {c.sha for c in chain}
        result = {}
        for merge in chain:
            if len(merge.parents) < 2:
                continue
            brought, stack = [], list(merge.parents[1:])
            while stack:
                sha = stack.pop()
                if sha in seen or sha not in self.commits:
                    continue
                seen.add(sha)
                commit = self.commits[sha]
                brought.append(commit)
                stack.extend(commit.parents)
            result[merge.sha] = sorted(brought, key=lambda c: c.time)
        return result


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout.strip()


class ShallowClone(PengaduanError):
    """The repository holds only part of its history (`git clone --depth`): an audit of it would be wrong."""

    def __init__(self, repo: str):
        super().__init__(f"{repo} salinan dangkal (git clone --depth): riwayatnya tidak lengkap. "
                         "Jalankan: git fetch --unshallow")


def require_full_history(repo: Path) -> None:
    found = subprocess.run(["git", "rev-parse", "--is-shallow-repository"], cwd=repo, capture_output=True, text=True)
    if found.stdout.strip() == "true":
        raise ShallowClone(str(repo))


def resolve_head(repo: Path, branch: str) -> str:
    """The branch's commit; in a fresh clone without a local branch of that name, the remote's copy of it.

    Branches are looked up by their full ref names first: Git resolves a bare name as a tag before a branch,
    and anyone who can push could push a tag `main` pointing at a history of their own making.
    """
    for name in (f"refs/heads/{branch}", f"refs/remotes/origin/{branch}", f"refs/remotes/{branch}", branch):
        found = subprocess.run(["git", "rev-parse", "--verify", "--quiet", f"{name}^{{commit}}"], cwd=repo,
                               capture_output=True, text=True)
        if found.returncode == 0:
            return found.stdout.strip()
    return ""


def cache_path(repo: Path, branch: str, kind: str) -> Path:
    """A cache file inside the Git directory: never committed, never published."""
    git_dir = Path(_git(repo, "rev-parse", "--absolute-git-dir"))
    return git_dir / "pengaduan" / f"{kind}-{hashlib.sha1(branch.encode()).hexdigest()[:12]}.cache"


def is_ancestor(repo: Path, older: str, newer: str) -> bool:
    return subprocess.run(["git", "merge-base", "--is-ancestor", older, newer], cwd=repo,
                          capture_output=True).returncode == 0


def on_first_parent_chain(repo: Path, older: str, newer: str) -> bool:
    """Whether `older` is one of the heads main went through on its way to `newer` (newer's first-parent chain).

    Being an ancestor is not enough: a rewritten main can take an old head back in as a side parent
    (`git merge -s ours`), and what that head held is then no longer part of main's own history.
    """
    return older in first_parent_ids(repo, newer, f"{older}^@")


def ensure_commit_graph(repo: Path, common_dir: Path | None = None) -> None:
    """Write Git's commit-graph once if the repository has none (what `git gc` and `git maintenance` write).

    Without it, walking main's history (`git rev-list --first-parent`, `git log BRANCHES --not main`) parses
    every commit: 0.3-0.8 s instead of 0.04-0.07 s at 100k commits. It is Git's own cache file; nothing else
    changes.
    """
    if common_dir is None:
        common_dir = Path(_git(repo, "rev-parse", "--path-format=absolute", "--git-common-dir"))
    info = common_dir / "objects" / "info"
    if not (info / "commit-graph").exists() and not (info / "commit-graphs").is_dir():
        subprocess.run(["git", "commit-graph", "write", "--reachable", "--split"], cwd=repo, capture_output=True)


def first_parent_ids(repo: Path, head: str, *stop: str) -> set[str]:
    """Main's own commits (the first-parent chain of `head`), down to the commits reachable from `stop`."""
    ensure_commit_graph(repo)
    walked = subprocess.run(["git", "rev-list", "--first-parent", head, "--not", *stop], cwd=repo,
                            capture_output=True, text=True)
    return set(walked.stdout.split()) if walked.returncode == 0 else set()


def _load_cache(path: Path) -> tuple[str, dict[str, Commit], dict[str, Facts]] | None:
    """(head, commits, blobs), or None when missing, corrupt or of another version."""
    payload = read_checked(path)
    if payload is None:
        return None
    try:
        version, head, commits, blobs = marshal.loads(payload)
        if version != CACHE_VERSION:
            return None
        return (head, {sha: Commit._make((*c[:8], tuple(tuple(x) for x in c[8]), c[9], tuple(tuple(x) for x in c[10])))
                       for sha, c in commits.items()},
                {sha: Facts._make((*f[:10], tuple(tuple(x) for x in f[10]))) for sha, f in blobs.items()})
    except (ValueError, EOFError, TypeError):
        return None


def _save_cache(path: Path, history: History) -> None:
    payload = marshal.dumps((CACHE_VERSION, history.head,
                             {sha: tuple(c) for sha, c in history.commits.items()},
                             {sha: tuple(f) for sha, f in history.blobs.items()}))
    write_checked(path, payload)


def _blob_ids(commits: Iterable[Commit]) -> set[str]:
    return {blob for c in commits for _, old, new in c.changes for blob in (old, new) if blob}


def _blob_ids_by_record(commits: Iterable[Commit]) -> list[str]:
    """Every record version named by `commits`, each record's versions together (they share most entries,
    so a parser that gets whole records reuses what it parsed)."""
    by_path: dict[str, dict[str, None]] = {}
    for commit in commits:
        for path, old, new in commit.changes:
            versions = by_path.setdefault(path, {})
            for blob in (old, new):
                if blob:
                    versions[blob] = None
    return list(dict.fromkeys(blob for path in sorted(by_path) for blob in by_path[path]))


def read_since(repo: Path, head: str, since: str,
               while_reading: Callable[[History], object] | None = None) -> History:
    """Only the commits after `since` (an ancestor of `head`), and the record versions they name."""
    commits = read_commits(repo, [head, f"^{since}"])
    if while_reading:
        while_reading(History(head, commits, {}))
    return History(head, commits, read_blob_facts(repo, sorted(_blob_ids(commits.values()))))


def read_history(repo: Path, branch: str = "main", use_cache: bool = True,
                 while_reading: Callable[[History], object] | None = None) -> History:
    """The branch's whole history; with the cache, only commits since the cached head are read."""
    head = resolve_head(repo, branch)
    if not head:
        raise LookupError(branch)
    cache_file = cache_path(repo, branch, "facts")
    cached = _load_cache(cache_file) if use_cache else None
    commits: dict[str, Commit] = {}
    blobs: dict[str, Facts] = {}
    revisions = [head]
    if cached and cached[1].get(cached[0]) and is_ancestor(repo, cached[0], head):
        commits, blobs = cached[1], cached[2]
        revisions.append(f"^{cached[0]}")
    commits.update(read_commits(repo, revisions))
    if while_reading:  # e.g. start checking signatures while the record versions are read
        while_reading(History(head, commits, {}))
    wanted = [blob for blob in _blob_ids_by_record(commits.values()) if blob not in blobs]
    blobs.update(read_blob_facts_in_two(repo, wanted))
    history = History(head, commits, blobs)
    if use_cache and (not cached or cached[0] != head):
        _save_cache(cache_file, history)
    return history


def commit_signers(repo: Path, shas: list[str], keys: list[PublicKey]) -> dict[str, str]:
    """Commit -> ident of the key among `keys` that signed it ("" when none did), checked in-process.

    A commit never changes, so verdicts are cached by commit id in the Git directory, one cache per
    set of keys (a verdict "no known key signed it" holds only for the keys it was checked against).
    `keys` are evidence.PublicKey.
    """
    key_set = "\0".join(sorted(k.ident for k in keys))
    cache_file = cache_path(repo, f"tanda-tangan\0{key_set}", "signers")
    verdicts: dict[str, str] = {}
    payload = read_checked(cache_file)
    try:
        stored_keys, stored = marshal.loads(payload) if payload is not None else ("", {})
        verdicts = dict(stored) if stored_keys == key_set else {}
    except (ValueError, EOFError, TypeError):
        verdicts = {}
    missing = [sha for sha in dict.fromkeys(shas) if sha not in verdicts]
    for sha, raw_commit in read_blobs_raw(repo, missing):
        verdicts[sha] = signer(raw_commit, keys)
    if missing:
        payload = marshal.dumps((key_set, verdicts))
        write_checked(cache_file, payload)
    return {sha: verdicts[sha] for sha in shas}


def config_at(repo: Path, blobs: dict[str, str]) -> dict[str, bytes]:
    """The configuration files (path -> content) given as path -> blob id, e.g. as they stood on main."""
    contents = dict(read_blobs_raw(repo, sorted(set(blobs.values()))))
    return {path: contents[blob] for path, blob in blobs.items()}


def check_signatures_meanwhile(repo: Path, shas: list[str], keys: list[PublicKey],
                               at_least: int = 2000) -> BaseProcess | None:
    """Start `commit_signers` in a forked process, which fills the verdict cache while this one reads records.

    Only for many commits (a cold audit of a large register) and where `fork` exists; returns the
    process to join, or None. The caller then calls `commit_signers`, which finds the verdicts cached
    (or, if the worker failed, checks them itself).
    """
    if len(shas) < at_least or "fork" not in multiprocessing.get_all_start_methods():
        return None
    worker = multiprocessing.get_context("fork").Process(target=commit_signers, args=(repo, shas, keys), daemon=True)
    worker.start()
    return worker
