"""The whole queue: main plus every open pull request branch, and where each complaint stands.

Between two dispositions a complaint lives in an open pull request: a
registration waits on its branch for the Kasubbag, a nota dinas waits for its
merge. `read_queue` sees all of it with a fixed number of `git` processes,
whatever the number of branches: one `git for-each-ref` for the branches, one
`git rev-list BRANCHES --not main` for every commit they hold (and one `git log`
for the commits not read before), one `git ls-tree` for main's records and one
`git cat-file --batch` for record versions not read before.

Record versions are parsed (never matched as text) into `Entry` tuples and
cached by blob id in the Git directory, so numbers, duplicates and deadlines
come from the records' data: text a citizen wrote cannot change them.
"""
from __future__ import annotations

import hashlib
import marshal
import pickle
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple

from .core import yamlio
from .core.cache import read_checked, write_checked
from .core.config import Settings, number_pattern
from .core.records import body_fingerprint, is_record_path, letters
from .core.sop import target_of
from .history.audit import _rules_key, replay_repository
from .history.calendar import WIB, WorkCalendar
from .history.reader import Commit, ensure_commit_graph, read_blobs_raw, read_commits, record_paths_on, resolve_head
from .history.status import OVERDUE, RecordStatus, as_of, record_status
from .history.timeline import StepDone, Timeline

MAIN = "main"
INDEX_VERSION = 2
_PULL_REF = re.compile(r"^refs/(?:pull/(\d+)/head|remotes/[^/]+/pr/(\d+))$")


class Entry(NamedTuple):
    """What the tools need from one version of one record, parsed from its YAML."""
    valid: bool
    id: str
    step: int
    received: str  # diterima.waktu as written
    year: int  # year of receipt in WIB (agenda numbers restart every year); 0 if unknown
    agenda: int  # diterima.nomor_agenda; 0 if missing
    sop: str
    target: str  # disposisi.diteruskan_kepada
    letters: tuple[tuple[str, str], ...]  # (block, nomor) of each letter (records.letters)
    message_id: str
    fingerprint: str  # sender and text of an e-mail complaint ("" without a sender address)


def parse_entry(raw: bytes) -> Entry:
    """The entry of one record version; a version that is not a readable record is `valid=False`."""
    try:
        data = yamlio.load_mapping(raw)
    except yamlio.YamlProblem:
        return Entry(False, "", 0, "", 0, 0, "", "", (), "", "")
    received: dict[str, Any] = data["diterima"] if isinstance(data.get("diterima"), dict) else {}
    reporter: dict[str, Any] = data["pelapor"] if isinstance(data.get("pelapor"), dict) else {}
    step, agenda = data.get("langkah"), received.get("nomor_agenda")
    try:
        year = datetime.fromisoformat(str(received.get("waktu", ""))).astimezone(WIB).year
    except ValueError:
        year = 0
    numbered = tuple(letters(data))
    email, body = reporter.get("email"), data.get("uraian")
    return Entry(isinstance(step, int) and not isinstance(step, bool), str(data.get("id", "")),
                 step if isinstance(step, int) and not isinstance(step, bool) else 0, str(received.get("waktu", "")),
                 year, agenda if isinstance(agenda, int) and not isinstance(agenda, bool) else 0,
                 str(data.get("versi_sop", "")), target_of(data), numbered,
                 str(received.get("message_id", "") or ""),
                 body_fingerprint(email, body) if isinstance(email, str) and email and isinstance(body, str) else "")


def read_entries(repo: Path, blobs: set[str], git_dir: Path | None = None, prune: bool = True) -> dict[str, Entry]:
    """Entries of record blobs; parsed once per blob id, then read from the cache in the Git directory.

    With `prune` (the whole queue was read), entries of blobs no longer in play are dropped from the cache."""
    cache_file = (git_dir or _git_dirs(repo)[0]) / "pengaduan" / "entri.cache"
    known = _load(cache_file)
    missing = sorted(blobs - known.keys())
    for sha, content in read_blobs_raw(repo, missing):
        known[sha] = tuple(parse_entry(content))
    if missing or (prune and len(known) != len(blobs)):
        _save(cache_file, {sha: known[sha] for sha in blobs} if prune else known)
    return _Entries({sha: known[sha] for sha in blobs})


class _Entries(dict[str, Any]):
    """blob -> Entry, made from the cached tuple on first use (most commands look at few of 10,000): a value is
    an Entry or that tuple, which only __getitem__ reads."""

    def __getitem__(self, blob: str) -> Entry:
        value = super().__getitem__(blob)
        if not isinstance(value, Entry):  # the plain tuple read from the cache
            value = Entry._make(value)
            self[blob] = value
        return value


def _git_dirs(repo: Path) -> tuple[Path, Path]:
    """(this worktree's Git directory, the shared one holding objects)."""
    own, common = subprocess.run(["git", "rev-parse", "--absolute-git-dir", "--git-common-dir"], cwd=repo,
                                 capture_output=True, text=True, check=True).stdout.split("\n")[:2]
    return Path(own), (repo / common if not Path(common).is_absolute() else Path(common))  # common: from cwd


@dataclass(frozen=True)
class Branch:
    name: str  # as staff know it: the branch name without refs/heads/ or the remote
    ref: str  # the full ref read
    tip: str
    pull_request: int | None = None

    @property
    def place(self) -> str:
        return f"di pull request #{self.pull_request}" if self.pull_request else f"di cabang {self.name}"


@dataclass(frozen=True)
class BranchRecord:
    """A record as one open branch has it: its versions there, oldest first, and the commits that made them."""
    path: str
    branch: Branch
    versions: tuple[tuple[Commit, str], ...]  # (commit, blob) of each branch commit changing the record

    @property
    def blob(self) -> str:
        return self.versions[-1][1]


def list_branches(repo: Path, pull_requests: dict[str, int] | None = None) -> list[list[Branch]]:
    """Local and remote-tracking branches other than main (a name in both: the one that is further on)."""
    listing = subprocess.run(["git", "for-each-ref", "--format=%(objectname) %(refname)", "refs/heads", "refs/remotes",
                              "refs/pull"], cwd=repo, capture_output=True, text=True, check=True).stdout
    found: dict[str, list[Branch]] = {}
    for line in listing.splitlines():
        tip, ref = line.split(" ", 1)
        numbered = _PULL_REF.match(ref)
        if numbered:
            number = int(numbered.group(1) or numbered.group(2))
            found.setdefault(f"#{number}", []).append(Branch(f"pull/{number}", ref, tip, number))
            continue
        if ref.startswith("refs/heads/"):
            name = ref[len("refs/heads/"):]
        else:
            name = ref[len("refs/remotes/"):].split("/", 1)[-1]
        if name in (MAIN, "HEAD"):
            continue
        found.setdefault(name, []).append(Branch(name, ref, tip, (pull_requests or {}).get(name)))
    return list(found.values())  # each group is resolved against the commit graph in read_queue


def _branch_commits(tip: str, commits: dict[str, Commit]) -> list[Commit]:
    """The commits of a branch that main does not have, parents before children (times can be equal)."""
    done, order, stack = set(), [], [(tip, False)]
    while stack:
        sha, expanded = stack.pop()
        if expanded:
            order.append(commits[sha])
            continue
        if sha in done or sha not in commits:
            continue
        done.add(sha)
        stack.append((sha, True))
        stack.extend((parent, False) for parent in reversed(commits[sha].parents))
    return order


def _branch_records(branch: Branch, commits: list[Commit], on_main: dict[str, str]) -> list[BranchRecord]:
    versions: dict[str, list[tuple[Commit, str]]] = {}
    own = {path for c in commits if len(c.parents) < 2 for path, _, _ in c.changes}  # not what `git merge main` brought
    for commit in commits:
        for path, _, new in commit.changes:
            if path in own:
                versions.setdefault(path, []).append((commit, new))
    return [BranchRecord(path, branch, tuple(v)) for path, v in sorted(versions.items())
            if v[-1][1] and v[-1][1] != on_main.get(path)]


@dataclass(frozen=True)
class Place:
    """Where one complaint stands."""
    status: "RecordStatus"
    branch: Branch | None  # None: its latest state is on main
    prepared: bool  # the awaited disposition is written on the branch and waits for approval and merge

    @property
    def where(self) -> str:
        return self.branch.place if self.branch else "di main"

    @property
    def waiting(self) -> str:
        """E.g. "menunggu disposisi Kasubbag Hukum sejak 02-01-2026 12.29 WIB, di pull request #12"."""
        step = self.status.open_step
        if step is None:
            return "selesai"
        since = self.status.steps[-2].done_at
        what = f"langkah {step.step} ({step.title}) oleh {step.role}"
        if self.prepared:
            what += ", sudah disiapkan dan menunggu persetujuan serta penggabungan"
        return f"menunggu {what} sejak {since:%d-%m-%Y %H.%M} WIB, {self.where}"


@dataclass
class Queue:
    """Main's records and every open branch's, read once per command."""
    repo: Path
    main_head: str
    on_main: dict[str, str]  # path -> blob
    branches: list[Branch]
    records: list[BranchRecord]  # every record an open branch changed (a record may be on several branches)
    entries: dict[str, Entry]  # blob -> entry, for main's records and every branch version

    def latest(self) -> dict[str, BranchRecord]:
        """Per record path, the branch holding its most advanced version."""
        best: dict[str, BranchRecord] = {}
        for record in self.records:
            current = best.get(record.path)
            if current is None or self.entries[record.blob].step > self.entries[current.blob].step:
                best[record.path] = record
        return best

    def tips(self) -> list[tuple[str, Entry, Branch | None]]:
        """(path, entry, branch or None for main) of every record version now in play."""
        found = [(path, self.entries[blob], None) for path, blob in self.on_main.items()]
        return found + [(r.path, self.entries[r.blob], r.branch) for r in self.records]

    def newest(self, record_id: str) -> tuple[str, str, Branch | None] | None:
        """(path, blob, branch or None for main) of the record's most advanced version anywhere: what `status`
        shows, so documents are made from the same version."""
        versions: list[tuple[str, str, Branch | None]] = [
            (path, blob, None) for path, blob in self.on_main.items() if _stem(path) == record_id]
        versions += [(r.path, r.blob, r.branch) for r in self.latest().values()
                     if _stem(r.path) == record_id or self.entries[r.blob].id == record_id]
        return max(versions, key=lambda v: (self.entries[v[1]].step, v[2] is not None), default=None)

    def find(self, record_id: str) -> list[tuple[str, Entry, Branch | None]]:
        found = [(path, self.entries[blob], None) for path, blob in self.on_main.items() if _stem(path) == record_id]
        return found + [(r.path, self.entries[r.blob], r.branch) for r in self.records
                        if _stem(r.path) == record_id or self.entries[r.blob].id == record_id]


def read_queue(repo: Path, pull_requests: dict[str, int] | None = None) -> Queue:
    """Main's records and every open branch's changes to them, with a fixed number of `git` processes."""
    main_head = resolve_head(repo, MAIN)
    if not main_head:
        raise LookupError(MAIN)
    git_dir, common = _git_dirs(repo)
    ensure_commit_graph(repo, common)
    listing = subprocess.Popen(["git", "ls-tree", "-r", "-z", main_head, "--", "records/"], cwd=repo,
                               stdout=subprocess.PIPE)  # runs while the branches are read
    named = list_branches(repo, pull_requests)
    candidates = [b for group in named for b in group]
    commits = _unmerged_commits(repo, [b.tip for b in candidates], main_head, git_dir) if candidates else {}
    output, _ = listing.communicate()
    entries = [line.split("\t", 1) for line in output.decode("utf-8", "replace").split("\0") if line]
    on_main = {path: meta.split()[2] for meta, path in entries if is_record_path(path)}
    numbered = {b.tip: b.pull_request for group in named for b in group if b.name.startswith("pull/")}
    named_tips = {b.tip for group in named for b in group if not b.name.startswith("pull/")}
    branches, records = [], []
    for group in named:
        chosen = _furthest(group, commits)
        if chosen is None or (chosen.name.startswith("pull/") and chosen.tip in named_tips):
            continue  # merged already, nothing main lacks, or a pull request ref of a branch seen by its name
        if chosen.pull_request is None and chosen.tip in numbered:
            chosen = replace(chosen, pull_request=numbered[chosen.tip])
        branches.append(chosen)
        records += _branch_records(chosen, _branch_commits(chosen.tip, commits), on_main)
    blobs = set(on_main.values()) | {blob for r in records for _, blob in r.versions if blob}
    return Queue(repo, main_head, on_main, branches, records, read_entries(repo, blobs, git_dir))


def _load(cache_file: Path) -> dict[str, Any]:  # one of our marshal caches: plain tuples and dicts
    payload = read_checked(cache_file)
    try:
        version, known = marshal.loads(payload) if payload is not None else (0, {})
    except (ValueError, EOFError, TypeError):
        return {}
    return known if version == INDEX_VERSION and isinstance(known, dict) else {}


def _save(cache_file: Path, known: dict[str, Any]) -> None:
    payload = marshal.dumps((INDEX_VERSION, known))
    write_checked(cache_file, payload)


def _unmerged_commits(repo: Path, tips: list[str], main_head: str, git_dir: Path) -> dict[str, Commit]:
    """Every commit the branches hold that main does not: one `git rev-list`, and one `git log` for commits not
    read before (a commit never changes, so what it changed is cached by its id)."""
    listed = subprocess.run(["git", "rev-list", "--stdin"], cwd=repo, capture_output=True, text=True, check=True,
                            input="".join(f"{tip}\n" for tip in dict.fromkeys(tips)) + f"^{main_head}\n").stdout.split()
    cache_file = git_dir / "pengaduan" / "komit-cabang.cache"
    known = _load(cache_file)
    missing = [sha for sha in listed if sha not in known]
    if missing:
        known.update((sha, tuple(c)) for sha, c in read_commits(repo, ["--no-walk=unsorted", *missing]).items())
    if missing or len(known) != len(listed):
        _save(cache_file, {sha: known[sha] for sha in listed if sha in known})
    return {sha: Commit(*known[sha]) for sha in listed if sha in known}


def _furthest(group: list[Branch], commits: dict[str, Commit]) -> Branch | None:
    """Of a local branch and its remote-tracking copies, the one containing the others; local when they differ."""
    open_ones = [b for b in group if b.tip in commits]
    if not open_ones:
        return None
    for branch in open_ones:
        reach = {c.sha for c in _branch_commits(branch.tip, commits)}
        if all(other.tip in reach for other in open_ones):
            return branch
    return next((b for b in open_ones if b.ref.startswith("refs/heads/")), open_ones[0])


def entries_on(repo: Path, revision: str) -> dict[str, Entry]:
    """Every record on `revision` (path -> entry), from the cache where read before; a branch by its full ref
    (a tag named like it is not read)."""
    head = resolve_head(repo, revision)
    if not head:
        raise LookupError(revision)
    paths = record_paths_on(repo, head)
    entries = read_entries(repo, set(paths.values()), prune=False)
    return {path: entries[blob] for path, blob in paths.items()}


# -- numbers ------------------------------------------------------------------------------------------------------

def _stem(path: str) -> str:
    return path.rsplit("/", 1)[-1].removesuffix(".yaml")


def _sequence(pattern: re.Pattern[str], value: str) -> int:
    match = pattern.fullmatch(value)
    return int(match["urut"]) if match else 0


def next_numbers(queue: Queue, settings: Settings, year: int) -> tuple[int, int]:
    """Next registration and agenda numbers of `year`, after every number on main and on open branches."""
    pattern = re.compile(number_pattern(settings.office.registration_pattern, year))
    used, agendas = [0], [0]
    for path, entry, _ in queue.tips():
        used += [_sequence(pattern, entry.id), _sequence(pattern, _stem(path))]
        if entry.year == year:
            agendas.append(entry.agenda)
    return max(used) + 1, max(agendas) + 1


def next_letter_sequence(queue: Queue, settings: Settings, kind: str, year: int) -> int:
    """The next sequence of a kind of nota dinas in `year`; a number used on main or a branch is never reissued."""
    pattern = re.compile(number_pattern(settings.office.letter_patterns[kind], year))
    used = [_sequence(pattern, number) for _, entry, _ in queue.tips() for _, number in entry.letters]
    return max(used, default=0) + 1


def unique_of(entry: Entry) -> list[tuple[str, tuple[object, ...]]]:
    """(kind, number) pairs no other record may hold, as `records.unique_numbers` has them."""
    if not entry.valid:
        return []
    return [("id", (entry.id,)), ("agenda", (entry.year, entry.agenda))] + [(block, (n,)) for block, n in entry.letters]


def duplicate_of(queue: Queue, message_id: str, fingerprint: str) -> tuple[str, str] | None:
    """(record id, where) of a record already holding this e-mail: same Message-ID, or same sender and text."""
    for path, entry, branch in queue.tips():
        if (message_id and entry.message_id == message_id) or (fingerprint and entry.fingerprint == fingerprint):
            return entry.id or _stem(path), branch.place if branch else "di main"
    return None


# -- status -------------------------------------------------------------------------------------------------------

def _extend(timeline: "Timeline | None", record: BranchRecord, entries: dict[str, Entry],
            settings: Settings) -> tuple["Timeline | None", bool]:
    """The main timeline continued by the branch's commits: steps committed there are done; a disposition
    (a `gabung` step) is done only when merged, so the record waits for it. Returns (timeline, prepared)."""
    tip = entries[record.blob]
    sop = settings.sop(tip.sop) or settings.current_sop
    if timeline is None:
        try:
            received = datetime.fromisoformat(tip.received).astimezone(WIB)
        except ValueError:
            return None, False
        timeline = Timeline(tip.id, record.path, tip.sop, received)
    if timeline.received is None:  # main's arrival time is unreadable: as_of() leaves it out, `audit` names it
        return timeline, False
    steps = list(timeline.steps)
    current = timeline.current
    prepared = False
    for number in range(current + 1, min(tip.step, sop.last_step) + 1):
        if sop.step(number).git == "gabung":
            prepared = True
            break
        found = next(((c, e) for c, blob in record.versions if blob
                      for e in (entries[blob],) if e.valid and e.step >= number), None)
        if found is None:
            break
        commit, _ = found
        person = settings.office.person_by_email(commit.email)
        earliest = max([s.time for s in steps] + [int(timeline.received.timestamp())])
        doubtful = commit.time < earliest  # dated before the step it follows: counted from then, never on time
        steps.append(StepDone(number, max(commit.time, earliest), commit.author, commit.email,
                              person.id if person else None, commit.sha, doubtful=doubtful))
        current = number
    target = tip.target or timeline.target
    return replace(timeline, steps=steps, current=current, target=target), prepared


def places(queue: Queue, settings: Settings, now: datetime, only: str | None = None,
           timelines: "dict[str, Timeline] | None" = None, paths: set[str] | None = None) -> list[Place]:
    """Where every complaint (or only the one numbered `only`, or only those at `paths`) stands at `now`, main and
    open branches alike."""
    if timelines is None:
        timelines, _ = replay_repository(queue.repo, MAIN, settings)
    calendar = WorkCalendar.for_office(settings.office)
    latest = queue.latest()
    result = []
    for path in sorted(timelines.keys() | latest.keys()):
        if (only and _stem(path) != only) or (paths is not None and path not in paths):
            continue
        timeline, branch, prepared = timelines.get(path), None, False
        if timeline is not None and timeline.removed:
            continue
        ahead = path in latest and (timeline is None or queue.entries[latest[path].blob].step > timeline.current)
        if ahead:  # a branch behind main (abandoned, or only correcting text) does not move the complaint
            extended, prepared = _extend(timeline, latest[path], queue.entries, settings)
            if extended is not None:
                timeline, branch = extended, latest[path].branch
        seen = as_of(timeline, now) if timeline is not None else None
        if seen is None or timeline is None:
            continue
        if seen.current < timeline.current:
            prepared = False
        result.append(Place(record_status(seen, settings, calendar, now), branch, prepared))
    return sorted(result, key=lambda p: p.status.record_id)


def branch_places(timelines: dict[str, Timeline], settings: Settings, now: datetime,
                  only: str | None = None) -> list[Place]:
    """Where every complaint (or the one numbered `only`) stands at `now` by one branch's own history alone."""
    calendar = WorkCalendar.for_office(settings.office)
    seen = [as_of(t, now) for t in timelines.values() if not t.removed and (not only or t.record_id == only)]
    return sorted((Place(record_status(t, settings, calendar, now), None, False) for t in seen if t),
                  key=lambda p: p.status.record_id)


def read_all(repo: Path, settings: Settings, pull_requests: dict[str, int] | None = None,
             only: str | None = None) -> tuple[Queue, "dict[str, Timeline]"]:
    """The queue and main's replayed timelines (with `only`, at least that record's); Git reads the branches
    while Python loads the replay."""
    with ThreadPoolExecutor(1) as pool:
        pending = pool.submit(read_queue, repo, pull_requests)
        timelines = main_timelines(repo, settings, only)
        WorkCalendar.for_office(settings.office).is_working_day(datetime.now(WIB).date())  # loads the holiday tables
        return pending.result(), timelines


def main_timelines(repo: Path, settings: Settings, only: str | None) -> "dict[str, Timeline]":
    """Main's timelines. For one record, from an index of the replay by record number (one small load instead of
    10,000 timelines), valid while main's head and the replay's rules are those it was made from."""

    if not only:
        return replay_repository(repo, MAIN, settings)[0]
    head = resolve_head(repo, MAIN)
    if not head:
        raise LookupError(MAIN)
    index_file = _git_dirs(repo)[0] / "pengaduan" / "linimasa.cache"
    key = hashlib.sha256(head.encode() + _rules_key()).digest()
    index = _load(index_file)
    if index.get("kunci") == key:
        found = index["rekaman"].get(only)
        return dict([pickle.loads(found)]) if found else {}  # our own file in .git, checked by digest
    timelines, _ = replay_repository(repo, MAIN, settings)
    _save(index_file, {"kunci": key, "rekaman": {_stem(path): pickle.dumps((path, timeline), pickle.HIGHEST_PROTOCOL)
                                                 for path, timeline in timelines.items()}})
    return timelines


def in_flight(repo: Path, settings: Settings, now: datetime) -> list[tuple[dict[str, Any], "RecordStatus"]]:
    """(record as its open branch has it, status) of every complaint whose latest state is on an open branch.

    For staff outputs (the recap); readable records only: one a branch has broken is left to `periksa`."""
    queue, timelines = read_all(repo, settings)
    found = []
    wanted = [p for p in places(queue, settings, now, timelines=timelines) if p.branch is not None]
    blobs = {r.path: r.blob for r in queue.latest().values()}
    contents = dict(read_blobs_raw(repo, sorted({blobs[p.status.path] for p in wanted})))
    for place in wanted:
        try:
            found.append((yamlio.load_mapping(contents[blobs[place.status.path]]), place.status))
        except yamlio.YamlProblem:
            continue
    return found


def queued_counts(repo: Path, settings: Settings, now: datetime) -> tuple[int, int]:
    """(complaints registered only on open branches, of which overdue): counts only, for the public totals."""
    queue = read_queue(repo)
    only_on_branches = {path for path in queue.latest() if path not in queue.on_main}  # main's history not needed
    fresh = [p for p in places(queue, settings, now, timelines={}, paths=only_on_branches) if p.branch is not None]
    return len(fresh), sum(1 for p in fresh if p.status.open_step and p.status.open_step.state == OVERDUE)
