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
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from . import yamlio
from .records import is_record_path

CACHE_VERSION = 3
_LOG_FORMAT = "%x1e%H%x1f%P%x1f%an%x1f%ae%x1f%at%x1f%cn%x1f%ce%x1f%B%x1f"
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
    digests: tuple[tuple[str, str], ...]  # (top-level key, digest of its content)
    corrections: tuple[tuple[str, ...], ...]  # koreksi[].bagian
    problem: str


def facts_of(raw: bytes) -> Facts:
    try:
        data = yamlio.load_mapping(raw)
        step = data["langkah"]
        if not isinstance(step, int) or isinstance(step, bool):
            raise TypeError
    except (yamlio.YamlProblem, KeyError, TypeError) as error:
        problem = error.message if isinstance(error, yamlio.YamlProblem) else "kunci `langkah` hilang atau bukan angka"
        return Facts(False, "", 0, "", "", "", (), (), problem)
    digests = tuple((key, hashlib.blake2b(json.dumps(value, sort_keys=True, ensure_ascii=False).encode(),
                                           digest_size=8).hexdigest()) for key, value in data.items())
    received = data.get("diterima", {})
    disposition = data.get("disposisi", {})
    corrections = tuple(tuple(c.get("bagian", ())) for c in data.get("koreksi", []) if isinstance(c, dict))
    return Facts(True, str(data.get("id", "")), step,
                 str(received.get("waktu", "")) if isinstance(received, dict) else "",
                 str(disposition.get("diteruskan_kepada", "")) if isinstance(disposition, dict) else "",
                 str(data.get("versi_sop", "")), digests, corrections, "")


def _parse_log(output: bytes) -> dict[str, Commit]:
    commits = {}
    text = output.decode("utf-8", errors="replace")
    position, end = 0, len(text)
    while position < end:
        if text[position] != "\x1e":
            raise ValueError(f"unexpected git log output at {position}")
        header_end = text.index("\x1f\x00", position)
        sha, parents, author, email, time, committer, committer_email, message = (
            text[position + 1:header_end].split("\x1f", 7))
        position = header_end + 2
        changes = []
        while position < end and text[position] != "\x1e":
            if text[position] == "\n":
                position += 1
                continue
            meta_end = text.index("\x00", position)
            path_end = text.index("\x00", meta_end + 1)
            path = text[meta_end + 1:path_end]
            if is_record_path(path):
                _, _, old, new, _status = text[position + 1:meta_end].split(" ")
                changes.append((path, "" if old == _EMPTY else old, "" if new == _EMPTY else new))
            position = path_end + 1
        commits[sha] = Commit(sha, tuple(parents.split()), author, email, int(time), committer, committer_email,
                              message.rstrip("\n"), tuple(changes))
    return commits


def _read_blobs(repo: Path, shas: list[str]) -> dict[str, Facts]:
    """Facts of each blob, through one `git cat-file --batch` process."""
    if not shas:
        return {}
    process = subprocess.Popen(["git", "cat-file", "--batch"], cwd=repo, stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE)

    def feed():
        process.stdin.write("".join(f"{sha}\n" for sha in shas).encode())
        process.stdin.close()
    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    facts = {}
    out = process.stdout
    for sha in shas:
        header = out.readline().split()
        if len(header) < 3:
            raise RuntimeError(f"git cat-file: blob {sha} tidak ditemukan")
        raw = out.read(int(header[2]))
        out.read(1)
        facts[sha] = facts_of(raw)
    writer.join()
    process.wait()
    return facts


@dataclass
class History:
    """Every commit reachable from the branch head, and the facts of every record version."""
    head: str
    commits: dict[str, Commit]
    blobs: dict[str, Facts]

    def first_parent_chain(self) -> list[Commit]:
        """Main's own commits, oldest first."""
        chain, sha = [], self.head
        while sha:
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


def resolve_head(repo: Path, branch: str) -> str:
    return _git(repo, "rev-parse", "--verify", "--quiet", f"{branch}^{{commit}}")


def _cache_path(repo: Path, branch: str) -> Path:
    git_dir = Path(_git(repo, "rev-parse", "--absolute-git-dir"))
    safe = hashlib.sha1(branch.encode()).hexdigest()[:12]
    return git_dir / "pengaduan" / f"riwayat-{safe}.marshal"


def _load_cache(path: Path) -> tuple[str, dict, dict] | None:
    """(head, commits, blobs), or None when missing, corrupt or of another version."""
    try:
        raw = path.read_bytes()
        digest, payload = raw[:32], raw[32:]
        if hashlib.sha256(payload).digest() != digest:
            return None
        version, head, commits, blobs = marshal.loads(payload)
        if version != CACHE_VERSION:
            return None
        return (head, {sha: Commit(*c[:8], tuple(tuple(x) for x in c[8])) for sha, c in commits.items()},
                {sha: Facts(*f) for sha, f in blobs.items()})
    except (OSError, ValueError, EOFError, TypeError):
        return None


def _save_cache(path: Path, history: History) -> None:
    payload = marshal.dumps((CACHE_VERSION, history.head,
                             {sha: tuple(c) for sha, c in history.commits.items()},
                             {sha: tuple(f) for sha, f in history.blobs.items()}))
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_bytes(hashlib.sha256(payload).digest() + payload)
    temporary.replace(path)


def read_history(repo: Path, branch: str = "main", use_cache: bool = True) -> History:
    """The branch's history; with the cache, only commits since the cached head are read."""
    head = resolve_head(repo, branch)
    if not head:
        raise LookupError(branch)
    cache_file = _cache_path(repo, branch)
    cached = _load_cache(cache_file) if use_cache else None
    commits: dict[str, Commit] = {}
    blobs: dict[str, Facts] = {}
    revisions = [head]
    if cached:
        cached_head, commits, blobs = cached
        is_ancestor = subprocess.run(["git", "merge-base", "--is-ancestor", cached_head, head], cwd=repo,
                                     capture_output=True).returncode == 0
        if is_ancestor and cached_head in commits:
            revisions.append(f"^{cached_head}")
        else:  # history was rewritten: nothing cached can be trusted
            commits, blobs = {}, {}
    log = subprocess.run(["git", "log", *revisions, "--raw", "-z", "--no-abbrev", "--no-renames",
                          "--diff-merges=first-parent", f"--format={_LOG_FORMAT}"],
                         cwd=repo, check=True, capture_output=True).stdout
    commits.update(_parse_log(log))
    wanted = sorted({blob for c in commits.values() for _, old, new in c.changes for blob in (old, new)
                     if blob and blob not in blobs})
    blobs.update(_read_blobs(repo, wanted))
    history = History(head, commits, blobs)
    if use_cache and (not cached or cached[0] != head or wanted):
        _save_cache(cache_file, history)
    return history
