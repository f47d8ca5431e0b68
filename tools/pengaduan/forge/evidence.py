"""The review record of each disposition, kept beside the history as Git notes, never lost.

The authoritative evidence of a disposition is the merge commit itself: signed by the forge's key and
authored by the Kasubbag (checked offline by `pengaduan audit`). The notes in refs/notes/persetujuan are a
convenience record of the review (reviewer, review id, commit reviewed, state, time) written by CI.

`reconcile` writes the missing records for every disposition merge on main; `sync` wraps it in a
fetch / write / push-with-lease loop, so a cancelled or failed run is made good by the next one, the first
push and an empty notes ref need nothing special, and two runs at once cannot overwrite each other.
`gaps` and `online_audit` report what is missing or disagrees with the forge.
"""
from __future__ import annotations

import marshal
import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from ..core import yamlio
from ..core.cache import read_checked, write_checked
from ..core.config import Settings
from ..core.evidence import signer
from ..history.audit import replay_repository
from ..history.reader import cache_path, read_blobs_raw, resolve_head
from .api import Forge, ForgeError
from .approval import Approval, decide_approval

NOTES_REF = "refs/notes/persetujuan"
_GITHUB_MERGE = re.compile(r"^Merge pull request #(\d+) from ")
_FORGEJO_MERGE = re.compile(r"^Merge pull request '.*' \([#!](\d+)\) from .+ into \S+$")
_SQUASH = re.compile(r"\(#(\d+)\)\s*$")


def merged_pull_request(message: str) -> int | None:
    """The pull request number in a forge's merge message: GitHub's `Merge pull request #N from owner/branch`,
    Forgejo's `Merge pull request '<title>' (#N) from <branch> into <base>`, or a squash subject ending `(#N)`.

    A merge message can be edited by whoever merges, so this is a hint; the forge's API has the last word.
    """
    subject = message.split("\n", 1)[0].strip()
    found = _GITHUB_MERGE.match(subject) or _FORGEJO_MERGE.match(subject) or _SQUASH.search(subject)
    return int(found.group(1)) if found else None


def evidence_note(pull_request: int, head: str, approvals: list[Approval]) -> str:
    """The review record written as a Git note on the merge commit."""
    return yamlio.dump({"pull_request": pull_request, "kepala": head,
                        "persetujuan": [{"pengulas": a.reviewer, "ulasan": a.review_id, "komit": a.commit,
                                         "keadaan": a.state, "waktu": a.submitted_at} for a in approvals]})


def read_notes(repo: Path) -> dict[str, tuple[tuple[str, str], ...]]:
    """Merge commit -> (reviewer, approved commit) pairs of its review record, parsed safely.

    Unreadable notes count as no record. A note's content is an immutable blob, so parsed notes are cached
    by blob id in the Git directory: a run reads only notes added or changed since the last one.
    """

    listing = subprocess.run(["git", "notes", f"--ref={NOTES_REF}", "list"], cwd=repo, capture_output=True,
                             text=True)
    pairs = [line.split() for line in listing.stdout.splitlines() if line.strip()]
    cache_file = cache_path(repo, NOTES_REF, "notes")
    payload = read_checked(cache_file)
    try:
        parsed = marshal.loads(payload) if payload is not None else {}
    except (ValueError, EOFError, TypeError):
        parsed = {}
    if not isinstance(parsed, dict):
        parsed = {}
    missing = [note for note in dict.fromkeys(note for note, _ in pairs) if note not in parsed]
    for note, content in read_blobs_raw(repo, missing):
        try:
            approvals = yamlio.load_mapping(content).get("persetujuan")
        except yamlio.YamlProblem:
            approvals = None
        parsed[note] = tuple((str(a.get("pengulas", "")), str(a.get("komit", ""))) for a in approvals
                             if isinstance(a, dict)) if isinstance(approvals, list) else ()
    if missing:
        payload = marshal.dumps(parsed)
        write_checked(cache_file, payload)
    return {commit: parsed[note] for note, commit in pairs if parsed.get(note)}


def _ref(repo: Path, ref: str) -> str:
    """The commit or object `ref` names, or "" when it does not exist."""
    return subprocess.run(["git", "rev-parse", "--verify", "--quiet", ref], cwd=repo, capture_output=True,
                          text=True).stdout.strip()


def has_commits(repo: Path, branch: str) -> bool:
    return bool(resolve_head(repo, branch))


def _first_parent_merges(repo: Path, branch: str) -> list[str]:
    """The branch's own merges, oldest first; the branch found as the audit finds it (never a tag of its name)."""
    return subprocess.run(["git", "rev-list", "--first-parent", "--merges", "--reverse", resolve_head(repo, branch)],
                          cwd=repo, capture_output=True, text=True, check=True).stdout.split()


@dataclass
class DispositionMerge:
    merge: str
    head: str  # the pull request's last commit (the merge's second parent)
    steps: list[tuple[str, int]] = field(default_factory=list)  # (record id, step)

    def label(self) -> str:
        return ", ".join(f"{record} langkah {step}" for record, step in self.steps)


def disposition_merges(repo: Path, branch: str, settings: Settings) -> list[DispositionMerge]:
    """Every merge on `branch` that landed a disposition (SOP steps flagged `disposisi`), oldest first."""
    if not has_commits(repo, branch):
        return []  # an empty repository: nothing merged yet
    timelines, _ = replay_repository(repo, branch, settings)
    merges: dict[str, DispositionMerge] = {}
    for timeline in timelines.values():
        sop = settings.sop(timeline.sop_version)
        for step in timeline.steps:
            if sop is not None and step.merge and sop.step(step.step).is_disposition:
                merges.setdefault(step.merge, DispositionMerge(step.merge, step.head or "")).steps.append(
                    (timeline.record_id, step.step))
    order = _first_parent_merges(repo, branch)
    return [merges[sha] for sha in order if sha in merges]


@dataclass
class Outcome:
    merge: DispositionMerge
    number: int | None
    approvals: list[Approval]
    reasons: list[str]


def reconcile(repo: Path, settings: Settings, forge: Forge, branch: str = "main") -> list[Outcome]:
    """Write the review record of every disposition merge that lacks one; each run redoes only what is missing."""
    noted = read_notes(repo)
    outcomes = []
    for item in disposition_merges(repo, branch, settings):
        if noted.get(item.merge):
            continue
        try:
            pull = forge.pull_request_of_merge(item.merge)
            if pull is None:
                outcomes.append(Outcome(item, None, [], ["forge tidak mengenal komit ini sebagai penggabungan pull "
                                                          "request (push langsung, atau digabung di luar forge)"]))
                continue
            approvals, reasons = decide_approval(forge.reviews(pull.number), item.head, pull.author, settings.office)
        except ForgeError as error:
            outcomes.append(Outcome(item, None, [], [str(error)]))
            continue
        if approvals:
            written = subprocess.run(["git", "notes", f"--ref={NOTES_REF}", "add", "-f", "-m",
                                      evidence_note(pull.number, item.head, approvals), item.merge], cwd=repo,
                                     capture_output=True, text=True)
            if written.returncode != 0:
                raise ForgeError(f"catatan ulasan untuk {item.merge[:10]} tidak bisa ditulis: {written.stderr.strip()} "
                                 "(atur identitas Git: git config user.name dan user.email)")
        outcomes.append(Outcome(item, pull.number, approvals, reasons))
    return outcomes




Result = TypeVar("Result")


def sync(repo: Path, remote: str, work: Callable[[], Result], attempts: int = 5) -> Result:
    """Fetch the remote's notes, run `work()` on them, push with a lease; start again if someone pushed first.

    The remote's notes ref is the truth: local notes a cancelled run never pushed are dropped and rewritten.
    A missing remote ref (first run, empty notes) is a lease on absence.
    """
    for _ in range(attempts):
        fetched = subprocess.run(["git", "fetch", "--quiet", remote, f"+{NOTES_REF}:{NOTES_REF}"], cwd=repo,
                                 capture_output=True, text=True)
        if fetched.returncode != 0:
            listed = subprocess.run(["git", "ls-remote", remote, NOTES_REF], cwd=repo, capture_output=True, text=True)
            if listed.returncode != 0 or listed.stdout.strip():
                raise ForgeError(f"catatan {NOTES_REF} tidak bisa diambil dari {remote}: "
                                 f"{(fetched.stderr or listed.stderr).strip()}")
            subprocess.run(["git", "update-ref", "-d", NOTES_REF], cwd=repo, capture_output=True)
        before = _ref(repo, NOTES_REF)
        result = work()
        after = _ref(repo, NOTES_REF)
        if after == before:
            return result
        pushed = subprocess.run(["git", "push", "--quiet", "--porcelain", f"--force-with-lease={NOTES_REF}:{before}",
                                 remote, f"{NOTES_REF}:{NOTES_REF}"], cwd=repo, capture_output=True, text=True)
        if pushed.returncode == 0:
            return result
    raise ForgeError(f"catatan {NOTES_REF} tidak bisa dikirim ke {remote} setelah {attempts} percobaan (proses lain "
                     "terus mendahului); jalankan ulang alur kerja.")


def _not_forge_signed(repo: Path, commits: list[str], settings: Settings) -> list[str]:
    """The commits that carry no signature by one of the forge keys in `forge.kunci` (unsigned, or signed by
    some other key). Whether the key was valid on that date, by the rules as they stood, is `pengaduan audit`'s."""
    keys = [forge_key.key for forge_key in settings.office.forge_keys]
    return [sha for sha, raw in read_blobs_raw(repo, commits) if not signer(raw, keys)]


def gaps(repo: Path, settings: Settings, branch: str = "main") -> list[tuple[str, str]]:
    """(commit, what is missing): merges on `branch` not signed by a forge key, disposition merges without a record."""
    if not has_commits(repo, branch):
        return []
    merges = _first_parent_merges(repo, branch)
    found = [(sha, "merge ini tidak bertanda tangan kunci forge yang terdaftar di forge.kunci; penggabungan lewat "
                   "forge selalu ditandatangani kunci forge (GitHub: web-flow; Forgejo: [repository.signing] MERGES)")
             for sha in _not_forge_signed(repo, merges, settings)]
    noted = read_notes(repo)
    found += [(item.merge, f"disposisi ({item.label()}) tanpa catatan ulasan di {NOTES_REF}; jalankan "
                           "`pengaduan bukti`")
              for item in disposition_merges(repo, branch, settings) if not noted.get(item.merge)]
    return found


def _messages(repo: Path, commits: list[str]) -> dict[str, str]:
    if not commits:
        return {}
    out = subprocess.run(["git", "log", "--no-walk=unsorted", "--format=%H%x00%B%x1e", *commits], cwd=repo,
                         capture_output=True, text=True, check=True).stdout
    return dict(entry.strip().split("\0", 1) for entry in out.split("\x1e") if "\0" in entry)


def online_audit(repo: Path, settings: Settings, forge: Forge,
                 branch: str = "main") -> list[tuple[DispositionMerge, str]]:
    """`pengaduan audit --daring`: each disposition's review read again from the forge, compared with the history
    and with the review record."""
    noted = read_notes(repo)
    merges = disposition_merges(repo, branch, settings)
    messages = _messages(repo, [item.merge for item in merges])
    found = []
    for item in merges:
        pull = forge.pull_request_of_merge(item.merge)
        if pull is None:
            found.append((item, "forge tidak mengenal merge ini sebagai penggabungan pull request"))
            continue
        named = merged_pull_request(messages.get(item.merge, ""))
        if named is not None and named != pull.number:
            found.append((item, f"pesan merge menyebut #{named}, tetapi forge mencatatnya sebagai #{pull.number}"))
        if pull.head_sha != item.head:
            found.append((item, f"kepala pull request #{pull.number} di forge ({pull.head_sha[:10]}) bukan induk "
                                f"kedua merge ({item.head[:10]})"))
        approvals, reasons = decide_approval(forge.reviews(pull.number), item.head, pull.author, settings.office)
        if not approvals:
            found.append((item, f"#{pull.number}: forge tidak menunjukkan persetujuan Kasubbag yang sah: "
                                + "; ".join(reasons)))
        valid = {a.reviewer.lower() for a in approvals}
        for reviewer, commit in noted.get(item.merge, ()):
            if reviewer.lower() not in valid or commit != item.head:
                found.append((item, f"#{pull.number}: catatan ulasan menyebut persetujuan @{reviewer} pada "
                                    f"{commit[:10]}, tetapi forge tidak (lagi) menunjukkannya"))
    return found
