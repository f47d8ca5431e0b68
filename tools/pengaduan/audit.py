"""Replaying main's history into timelines, and the SOP's rules over it (`pengaduan audit`).

How steps map to Git is in the SOP data (`git` of each step): `kedatangan`
is the arrival; `komit` is the pull request commit that sets `langkah` to the
step, by someone holding the step's role; `gabung` (a disposition) is the
merge commit that lands the step, by someone holding the role.
"""
from __future__ import annotations

import hashlib
import pickle
import re
import subprocess
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from .calendar import WIB
from .config import CONFIG_DIR, Person, Settings, Sop, Step
from .history import (Commit, Facts, History, cache_path, diff_records, is_ancestor, read_blob_facts, read_commits,
                      read_history, read_since, resolve_head, write_atomic)

REPLAY_CACHE_VERSION = 3
_SQUASH_SUBJECT = re.compile(r"\(#\d+\)$")
_FORGE_EMAILS = {"noreply@github.com", "noreply@gitea.io", "noreply@forgejo.org"}
UNFROZEN = {"langkah", "koreksi", "surat_pemohon"}  # when letters to the reporter were sent: noted after closure


class StepDone(NamedTuple):
    """A step done, as read from history. A tuple, so that thousands of them load from the cache quickly."""
    step: int
    time: int  # Unix seconds: when the step counts as done
    actor: str
    email: str
    person: str | None  # roster id
    commit: str
    merge: str | None = None  # the merge commit that landed it on main
    head: str | None = None  # the pull request's last commit, which the approval must be on

    @property
    def at(self) -> datetime:
        return datetime.fromtimestamp(self.time, WIB)


@dataclass
class Timeline:
    record_id: str
    path: str
    sop_version: str
    received: datetime | None
    steps: list[StepDone] = field(default_factory=list)
    current: int = 1
    removed: bool = False
    target: str = ""  # the sub bagian named by the disposition, once given

    def done_at(self, step: int) -> datetime | None:
        if step == 1:
            return self.received
        return next((s.at for s in self.steps if s.step == step), None)


@dataclass(frozen=True)
class Violation:
    record: str
    path: str
    commit: str
    person: str
    rule: str
    message: str
    fix: str

    def render(self) -> str:
        return (f"{self.record} ({self.path}), komit {self.commit[:10]} oleh {self.person}:\n"
                f"    [{self.rule}] {self.message}\n    Perbaikan: {self.fix}")

    def as_json(self) -> dict:
        data = asdict(self)
        return {"rekaman": data["record"], "berkas": data["path"], "komit": data["commit"],
                "orang": data["person"], "aturan": data["rule"], "pesan": data["message"], "perbaikan": data["fix"]}


def _who(commit: Commit) -> str:
    return f"{commit.author} <{commit.email}>"


def _may_act(person: Person | None, step: Step, sop: Sop, facts: Facts) -> bool:
    if person is None:
        return False
    if sop.roles[step.role]["jenis"] == "sub_bagian_tujuan":
        return person.subdivision == facts.target
    return step.role in person.roles


class _Replay:
    """The replay's state after main's history so far; `run` continues it with newer commits."""

    def __init__(self, settings: Settings):
        self.settings, self.office = settings, settings.office
        self.history: History | None = None
        self.timelines: dict[str, Timeline] = {}
        self.violations: list[Violation] = []
        self.state: dict[str, Facts] = {}  # path -> the record's version on main
        self._unknown_reported: set[str] = set()

    def __getstate__(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k not in ("settings", "office", "history")}

    def flag(self, facts_or_id, path: str, commit: Commit, rule: str, message: str, fix: str) -> None:
        record = facts_or_id if isinstance(facts_or_id, str) else (facts_or_id.id or path)
        self.violations.append(Violation(record, path, commit.sha, _who(commit), rule, message, fix))

    def person(self, commit: Commit, record: str, path: str) -> Person | None:
        person = self.office.person_by_email(commit.email)
        if person is None and commit.sha not in self._unknown_reported:
            self._unknown_reported.add(commit.sha)
            self.flag(record, path, commit, "identitas-asing",
                      f"Identitas Git {commit.email} tidak ada dalam daftar personel.",
                      "Tambahkan surel ini ke orang yang benar di tools/config/kantor.yaml (lewat pull request "
                      "yang disetujui Kasubbag), atau minta pelakunya memakai identitas Git yang terdaftar.")
        return person

    def run(self, history: History) -> None:
        self.history = history
        brought_by = history.branch_commits()
        state = self.state
        for commit in history.first_parent_chain():
            if not commit.changes:
                continue
            is_merge = len(commit.parents) > 1
            added_ids = {self.history.blobs[new].id: path for path, old, new in commit.changes if new and not old}
            moved = {}  # new path -> old path
            for path, _, new_blob in commit.changes:
                if not new_blob:
                    moved_to = self._removed(path, state.get(path), commit, added_ids, state)
                    if moved_to:
                        moved[moved_to] = path
            for path, _, new_blob in commit.changes:
                if not new_blob:
                    continue
                new = self.history.blobs[new_blob]
                if path in moved:  # already reported; keep following it at its new place
                    state[path] = new
                    if moved[path] in self.timelines:
                        self.timelines[path] = self.timelines.pop(moved[path])
                        self.timelines[path].removed = False
                    continue
                old = state.get(path)
                if not new.valid:
                    self.flag(old or new, path, commit, "rekaman-tidak-sah",
                              f"Versi rekaman yang masuk ke main tidak bisa dibaca: {new.problem}",
                              "Perbaiki berkasnya lewat pull request; jalankan `pengaduan periksa` sebelum merge.")
                    continue
                self._landing(path, old, new, commit, is_merge, brought_by.get(commit.sha, []))
                state[path] = new

    def _removed(self, path, old, commit, added_ids, state) -> str | None:
        """Flag a deleted or moved record; returns where it moved to."""
        record = old.id if old else path
        moved_to = added_ids.get(record)
        if moved_to:
            self.flag(record, path, commit, "rekaman-dipindahkan", f"Rekaman dipindahkan ke {moved_to}.",
                      f"Kembalikan berkas ke {path}; letak rekaman tidak boleh berubah.")
        else:
            self.flag(record, path, commit, "rekaman-dihapus", "Rekaman dihapus dari main.",
                      "Pulihkan berkasnya (git revert komit ini); rekaman pengaduan tidak boleh dihapus.")
        state.pop(path, None)
        if path in self.timelines:
            self.timelines[path].removed = True
        return moved_to

    def _landing(self, path: str, old: Facts | None, new: Facts, landing: Commit, is_merge: bool,
                 brought: list[Commit]) -> None:
        sop = self.settings.sop(new.sop)
        timeline = self.timelines.get(path)
        if timeline is None:
            try:
                received = datetime.fromisoformat(new.received).astimezone(WIB)
            except ValueError:
                received = None
            timeline = self.timelines[path] = Timeline(new.id, path, new.sop, received)
        if sop is None:
            self.flag(new, path, landing, "sop-tidak-dikenal", f"SOP versi {new.sop!r} tidak dikenal.",
                      "Pakai versi SOP yang ada di tools/config/sop/.")
            return
        merger = self.person(landing, new.id, path)
        units = [(c, self.history.blobs.get(o), self.history.blobs[n]) for c in brought
                 for p, o, n in c.changes if p == path and n] if is_merge else [(landing, old, new)]
        if not is_merge:
            self._direct(landing, new, path)
        for unit, before_facts, after_facts in units:
            self.person(unit, new.id, path)
            self._step_change(unit, before_facts, after_facts, path)
        before = old.step if old else 1
        for number in range(before + 1, min(new.step, sop.last_step) + 1):
            spec = sop.step(number)
            if spec.git == "gabung":
                actor, person, facts = landing, merger, new
            else:
                match = next(((c, f) for c, b, f in units if f.valid and f.step >= number
                              and (b is None or not b.valid or b.step < number)), (landing, new))
                actor, facts = match
                person = self.office.person_by_email(actor.email)
            done = StepDone(number, actor.time, actor.author, actor.email, person.id if person else None,
                            actor.sha, landing.sha if is_merge else None, landing.parents[1] if is_merge else None)
            timeline.steps.append(done)
            if person is not None and not _may_act(person, spec, sop, facts):
                self.flag(new, path, actor, "peran-salah",
                          f"Langkah {number} ({spec.title}) hanya boleh dilakukan oleh "
                          f"{self.settings.role_name(sop, spec.role, facts.target)}; {person.name} ({person.title}) tidak memegang peran itu.",
                          "Minta orang dengan peran tersebut melakukan langkah ini"
                          + (" (menyetujui dan menggabungkan pull request-nya)." if spec.git == "gabung" else "."))
        timeline.current, timeline.target = min(new.step, sop.last_step), new.target
        self._frozen(path, old, new, landing, is_merge, merger, sop)

    def _direct(self, commit: Commit, facts: Facts, path: str) -> None:
        if _SQUASH_SUBJECT.search(commit.subject) or commit.committer_email in _FORGE_EMAILS:
            self.flag(facts, path, commit, "squash-merge",
                      "Komit ini hasil *squash merge*: komit staf di cabangnya hilang, sehingga siapa melakukan "
                      "langkah apa dan kapan tidak lagi tercatat.",
                      "Atur repositori agar hanya mengizinkan merge commit (lihat docs/petugas/alur-git.md).")
        else:
            self.flag(facts, path, commit, "langsung-ke-main",
                      "Rekaman diubah langsung di main, tanpa pull request yang ditinjau.",
                      "Setiap langkah diajukan lewat pull request; lindungi cabang main (lihat docs/petugas/alur-git.md).")

    def _step_change(self, commit: Commit, before: Facts | None, after: Facts, path: str) -> None:
        if not after.valid:
            return
        old_step = before.step if before and before.valid else 1
        if after.step < old_step:
            self.flag(after, path, commit, "langkah-mundur", f"Langkah turun dari {old_step} ke {after.step}.",
                      "Langkah SOP tidak boleh mundur; kembalikan `langkah` dan pakai blok `koreksi` bila ada isi "
                      "yang salah.")
        elif after.step > old_step + 1:
            self.flag(after, path, commit, "langkah-melompat",
                      f"Langkah naik dari {old_step} ke {after.step} dalam satu komit.",
                      "Setiap langkah SOP dikerjakan dan dikomit sendiri-sendiri oleh pemegang perannya.")

    def _frozen(self, path, old: Facts | None, new: Facts, landing: Commit, is_merge: bool,
                merger: Person | None, sop: Sop) -> None:
        if old is None or not old.valid:
            return
        done = min(old.step, sop.last_step)
        frozen = {key for step in sop.steps[:done] for key in step.frozen}
        before, after = old.digest_of(), new.digest_of()
        changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
        touched = sorted(changed - UNFROZEN if "*" in frozen else changed & frozen)
        if not touched:
            return
        declared = {key for entry in new.corrections[len(old.corrections):] for key in entry}
        approved = is_merge and merger is not None and "kasubbag_hukum" in merger.roles
        if set(touched) <= declared and approved:
            return
        closed = done == sop.last_step
        self.flag(new, path, landing, "isi-beku-diubah",
                  f"Isi yang sudah beku diubah: {', '.join(touched)}"
                  + (" (pengaduan sudah selesai)." if closed else f" (langkah {done} sudah selesai)."),
                  "Kembalikan isi semula, atau tambahkan butir `koreksi` (tanggal, bagian: ["
                  + ", ".join(touched) + "], alasan) dan ajukan lewat pull request yang disetujui Kasubbag Hukum.")


def replay(history: History, settings: Settings) -> tuple[dict[str, Timeline], list[Violation]]:
    """Timelines per record path, and every rule broken, oldest first."""
    run = _Replay(settings)
    run.run(history)
    return run.timelines, run.violations


def _rules_key(repo: Path) -> bytes:
    """What the cached replay depends on besides history: configuration, SOP files and this code."""
    digest = hashlib.sha256(str(REPLAY_CACHE_VERSION).encode())
    sources = sorted(Path(__file__).parent.glob("*.py")) + sorted((repo / CONFIG_DIR).rglob("*.yaml"))
    for path in sources:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.digest()


def _load_replay(path: Path, key: bytes) -> tuple[str, _Replay] | None:
    try:
        raw = path.read_bytes()
        if hashlib.sha256(raw[32:]).digest() != raw[:32]:
            return None
        stored_key, head, run = pickle.loads(raw[32:])  # our own file in .git, checked above
        return (head, run) if stored_key == key and isinstance(run, _Replay) else None
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError, ImportError):
        return None


def _replayed(repo: Path, branch: str, settings: Settings, use_cache: bool) -> _Replay:
    head = resolve_head(repo, branch)
    if not head:
        raise LookupError(branch)
    key = _rules_key(repo)
    path = cache_path(repo, branch, "replay")
    cached = _load_replay(path, key) if use_cache else None
    if cached and cached[0] == head:
        run = cached[1]
    elif cached and is_ancestor(repo, cached[0], head):
        run = cached[1]
        run.settings, run.office = settings, settings.office
        run.run(read_since(repo, head, cached[0]))
    else:
        run = _Replay(settings)
        run.run(read_history(repo, branch, use_cache))
    run.settings, run.office, run.history = settings, settings.office, None
    if use_cache and not (cached and cached[0] == head):
        payload = pickle.dumps((key, head, run), protocol=pickle.HIGHEST_PROTOCOL)
        write_atomic(path, hashlib.sha256(payload).digest() + payload)
    return run


def replay_repository(repo: Path, branch: str, settings: Settings,
                      use_cache: bool = True) -> tuple[dict[str, Timeline], list[Violation]]:
    """Replay the branch; with the cache, only commits since the last run are read and replayed."""
    run = _replayed(repo, branch, settings, use_cache)
    return run.timelines, run.violations


def evidence_violations(timelines: dict[str, Timeline], notes: dict[str, tuple], settings: Settings) -> list[Violation]:
    """Dispositions whose merge commit carries no note of an approval by the Kasubbag on the PR's last commit."""
    chiefs = {user.lower() for p in settings.office.with_role("kasubbag_hukum") for user in p.forge_users}
    found = []
    for timeline in timelines.values():
        sop = settings.sop(timeline.sop_version)
        for step in timeline.steps:
            if sop is None or not step.merge or not sop.step(step.step).is_disposition:
                continue
            if not any(commit == step.head and reviewer.lower() in chiefs
                       for reviewer, commit in notes.get(step.merge, ())):
                found.append(Violation(timeline.record_id, timeline.path, step.merge, f"{step.actor} <{step.email}>",
                                       "disposisi-tanpa-bukti",
                                       f"Langkah {step.step} ({sop.step(step.step).title}) digabungkan tanpa bukti "
                                       "persetujuan Kasubbag Hukum pada komit terakhir pull request-nya.",
                                       "Bukti ditulis otomatis oleh alur kerja forge (catatan Git "
                                       "refs/notes/persetujuan); periksa persetujuan pull request ini dan jalankan "
                                       "`pengaduan bukti` untuk komit gabungan ini."))
    return found


def audit_repository(repo: Path, branch: str, settings: Settings,
                     use_cache: bool = True) -> tuple[dict[str, Timeline], list[Violation]]:
    """`pengaduan audit`: the replay's findings, and dispositions lacking approval evidence where required."""
    from .forge import read_notes
    timelines, violations = replay_repository(repo, branch, settings, use_cache)
    if settings.office.require_evidence:
        violations = violations + evidence_violations(timelines, read_notes(repo), settings)
    return timelines, violations


@dataclass(frozen=True)
class PullRequestReview:
    steps: list[tuple[str, str, StepDone]]  # (record id, path, step done by this pull request)
    dispositions: list[tuple[str, int]]  # (record id, step) that become valid only with the Kasubbag's merge
    violations: list[Violation]


def review_pull_request(repo: Path, base: str, head: str, settings: Settings) -> PullRequestReview:
    """The pull request's transitions, replayed on top of its base as if the Kasubbag merged it."""
    import copy
    base_sha, head_sha = resolve_head(repo, base), resolve_head(repo, head)
    if not base_sha or not head_sha:
        raise LookupError(base if not base_sha else head)
    run = copy.deepcopy(_replayed(repo, base, settings, use_cache=True))
    run.settings, run.office = settings, settings.office
    known = len(run.violations)
    commits = read_commits(repo, [head_sha, f"^{base_sha}"])
    merged = subprocess.run(["git", "merge-tree", "--write-tree", base_sha, head_sha], cwd=repo, capture_output=True,
                            text=True)
    if merged.returncode != 0:
        conflict = Violation("-", "-", head_sha, "-", "konflik", "Pull request ini tidak bisa digabungkan tanpa "
                             "konflik dengan cabang dasarnya: " + " ".join(merged.stdout.split("\n")[1:4]).strip(),
                             "Perbarui cabang dari main (git merge main) dan selesaikan konfliknya; bila dua "
                             "pengaduan memakai nomor yang sama: pengaduan nomor-ulang NOMOR.")
        return PullRequestReview([], [], [conflict])
    chief = settings.office.head_of(settings.office.hukum)
    merge = Commit("0" * 39 + "m", (base_sha, head_sha), chief.name, chief.emails[0],
                   max((c.time for c in commits.values()), default=0), "", "", "(penggabungan oleh Kasubbag)",
                   diff_records(repo, base_sha, merged.stdout.split("\n")[0].strip()))
    commits[merge.sha] = merge
    blobs = {b for c in commits.values() for _, old, new in c.changes for b in (old, new) if b}
    run.run(History(merge.sha, commits, read_blob_facts(repo, sorted(blobs))))
    steps = [(t.record_id, t.path, s) for t in run.timelines.values() for s in t.steps if s.merge == merge.sha]
    dispositions = [(record, s.step) for record, path, s in steps
                    if (sop := settings.sop(run.timelines[path].sop_version)) and sop.step(s.step).is_disposition]
    return PullRequestReview(steps, dispositions, run.violations[known:])
