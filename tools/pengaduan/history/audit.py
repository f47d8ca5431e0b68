"""Replaying main's history into timelines, and the SOP's rules over it (`pengaduan audit`).

How steps map to Git is in the SOP data (`git` of each step): `kedatangan`
is the arrival; `komit` is the pull request commit that sets `langkah` to the
step, by someone holding the step's role; `gabung` (a disposition) is the
merge commit that lands the step, by someone holding the role.

Every commit is judged by the rules as they stood before it: the roster, the SOP
files and the forge keys of tools/config/ at its first parent on main. A change
to those files is itself a step that needs an approved, forge-signed merge, and
takes effect only for the commits after it. Evidence is what the forge signs:
a merge commit signed by a forge key listed in the configuration, whose author
is the person who merged (docs/petugas/ancaman.md).
"""
from __future__ import annotations

import copy
import hashlib
import pickle
import re
import subprocess
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from ..core.cache import read_checked, write_checked
from ..core.clock import WIB
from ..core.config import CONFIG_DIR, Office, Person, Settings, check_config
from ..core.records import RECORDS_DIR, is_loose_allowed
from ..core.sop import REGISTRATION, Sop, Step, for_target
from ..core.wording import person_label
from .reader import (Commit, Facts, History, cache_path, check_signatures_meanwhile, commit_signers, config_at,
                     diff_records, on_first_parent_chain, read_blob_facts, read_commits, read_history, read_since,
                     require_full_history, resolve_head)
from .timeline import StepDone, Timeline

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess

    from ..core.evidence import PublicKey
    from ..core.findings import Finding

REPLAY_CACHE_VERSION = 4
_SQUASH_SUBJECT = re.compile(r"\(#\d+\)$")
_FORGE_EMAILS = {"noreply@github.com", "noreply@gitea.io", "noreply@forgejo.org"}
UNFROZEN = {"langkah", "koreksi", "surat_pemohon"}  # when letters to the reporter were sent: noted after closure
ASSUMED_SIGNED = "(forge)"  # the merge a pull request check imagines: the forge would sign it
_CONFIG_PREFIX = CONFIG_DIR.as_posix() + "/"
_RECORDS_PREFIX = RECORDS_DIR + "/"


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

    def as_json(self) -> dict[str, str]:
        data = asdict(self)
        return {"rekaman": data["record"], "berkas": data["path"], "komit": data["commit"],
                "orang": data["person"], "aturan": data["rule"], "pesan": data["message"], "perbaikan": data["fix"]}


def _who(office: Office | None, name: str, email: str) -> str:
    """Who did it, named as the roster of the time names them (Git's own strings only for strangers)."""
    return person_label(office, name, email) if office is not None else f"{name} <{email}>"


def _day(seconds: int) -> date:
    return datetime.fromtimestamp(seconds, WIB).date()


def _stamp(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, WIB).strftime("%d-%m-%Y %H.%M WIB")


def _may_act(person: Person | None, step: Step, sop: Sop, facts: Facts, when: int) -> bool:
    if person is None:
        return False
    if for_target(sop, step):
        return person.subdivision == facts.target
    return person.holds(step.role, _day(when))


def _landed(commit: Commit) -> int:
    return commit.committed or commit.time


def needs_signature(history: History) -> list[str]:
    """Commits whose forge signature a rule may ask about: main's merges and direct commits, and every
    commit whose author is not its committer (the forge's web-UI edits)."""
    chain = {c.sha for c in history.first_parent_chain()}
    return [c.sha for c in history.commits.values()
            if (c.sha in chain and (len(c.parents) > 1 or c.others)) or c.email.lower() != c.committer_email.lower()]


class _Replay:
    """The replay's state after main's history so far; `run` continues it with newer commits.

    With `configs` (a function from tools/config/ blob ids to (Settings or None, findings)), every
    commit is judged by the configuration as it stood at its first parent; without it, by `settings`.
    With `signers` given to `run` (commit -> forge key ident), the evidence rules apply too.
    """

    def __init__(self, settings: Settings,
                 configs: Callable[[dict[str, str]], tuple[Settings | None, list[Finding]]] | None = None) -> None:
        self.settings, self.office = settings, settings.office
        self.configs = configs
        self.history: History | None = None
        self.signers: dict[str, str] | None = None
        self.timelines: dict[str, Timeline] = {}
        self.violations: list[Violation] = []
        self.state: dict[str, Facts] = {}  # path -> the record's version on main
        self.config_state: dict[str, str] = {}  # tools/config/ path -> blob id on main
        self.referenced: dict[str, tuple[str, str]] = {}  # SOP version -> (file, blob) when records began using it
        self.superseded: dict[str, int] = {}  # SOP version -> when (landed) a newer SOP took its place on main
        self.numbers: dict[tuple[str, str], str] = {}  # (kind, number) -> the record that used it first
        self.ids: dict[str, str] = {}  # record id -> its path
        self.last_landed = 0  # when the newest commit on main says it landed
        self.last_signed = 0  # when the newest forge-signed commit on main landed (the forge's clock)
        self._unknown_reported: set[str] = set()
        self._once: set[tuple[object, ...]] = set()

    def __getstate__(self) -> dict[str, object]:
        return {k: v for k, v in self.__dict__.items()
                if k not in ("settings", "office", "history", "configs", "signers")}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self.configs = self.signers = self.history = None

    @property
    def blobs(self) -> dict[str, Facts]:
        """The record versions of the history `run` is replaying."""
        if self.history is None:
            raise RuntimeError("_Replay.blobs is read only during run()")
        return self.history.blobs

    def flag(self, facts_or_id: Facts | str, path: str, commit: Commit, rule: str, message: str, fix: str) -> None:
        record = facts_or_id if isinstance(facts_or_id, str) else (facts_or_id.id or path)
        self.violations.append(Violation(record, path, commit.sha, _who(self.office, commit.author, commit.email),
                                         rule, message, fix))

    def flag_once(self, key: tuple[object, ...], facts_or_id: Facts | str, path: str, commit: Commit, rule: str,
                  message: str, fix: str) -> None:
        if key not in self._once:
            self._once.add(key)
            self.flag(facts_or_id, path, commit, rule, message, fix)

    def person(self, commit: Commit, record: str, path: str) -> Person | None:
        person = self.office.person_by_email(commit.email)
        if person is None and commit.sha not in self._unknown_reported:
            self._unknown_reported.add(commit.sha)
            self.flag(record, path, commit, "identitas-asing",
                      f"Identitas Git {commit.email} tidak ada dalam daftar personel.",
                      "Tambahkan surel ini ke orang yang benar di tools/config/kantor.yaml (lewat pull request "
                      "yang disetujui Kasubbag), atau minta pelakunya memakai identitas Git yang terdaftar.")
        return person

    # ------------------------------------------------------------ evidence

    def forge_signed(self, commit: Commit) -> bool:
        """Signed by a forge key valid when it landed. The forge's clock never goes back, so a signature dated
        before main's previous signed merge is judged at that merge's time: a retired key's holder cannot date
        new merges back into the key's period."""
        ident = (self.signers or {}).get(commit.sha, "")
        moment = datetime.fromtimestamp(max(_landed(commit), self.last_signed), WIB)
        return ident == ASSUMED_SIGNED or self.office.forge_signed(ident, moment)

    @property
    def checks_evidence(self) -> bool:
        return self.signers is not None and self.office.require_evidence

    def _authorship(self, commit: Commit, record: str, path: str) -> None:
        """Author and committer must be the same roster person, unless the forge made the commit (signed it)."""
        if self.signers is None or commit.email.lower() == commit.committer_email.lower():
            return
        author = self.office.person_by_email(commit.email)
        if author is not None and author is self.office.person_by_email(commit.committer_email):
            return
        if self.forge_signed(commit):
            return
        if not self.office.forge_keys and commit.committer_email.lower() in _FORGE_EMAILS:
            return  # no key to tell the forge's commits from imitations: reported once as kunci-forge-belum-ada
        self.flag_once(("penulis", commit.sha), record, path, commit, "penulis-bukan-pengomit",
                       f"Komit ini ditulis atas nama {commit.author} <{commit.email}> tetapi dibuat oleh "
                       f"{commit.committer} <{commit.committer_email}>, dan tidak ditandatangani forge.",
                       "Setiap orang mengomit dengan identitas Git-nya sendiri; perubahan atas nama orang lain hanya "
                       "sah bila dibuat forge (antarmuka web atau merge) dan bertanda tangan forge.")

    def _evidence(self, landing: Commit, is_merge: bool, record: str, path: str, what: str) -> bool:
        """Whether the landing carries the forge's evidence; flags it when it does not."""
        if not self.checks_evidence:
            return True
        if not self.office.forge_keys:
            self.flag_once(("tanpa-kunci",), record, path, landing, "kunci-forge-belum-ada",
                           "Konfigurasi mewajibkan bukti persetujuan, tetapi belum ada kunci forge di "
                           "`forge.kunci` (tools/config/kantor.yaml); tidak ada disposisi yang bisa dibuktikan.",
                           "Simpan kunci publik forge di tools/config/kunci/ dan daftarkan di `forge.kunci` lewat "
                           "pull request yang disetujui (lihat docs/petugas/ancaman.md).")
            return False
        if is_merge and self.forge_signed(landing):
            return True
        self.flag(record, path, landing, "disposisi-tanpa-tanda-tangan",
                  f"{what} masuk main lewat komit yang tidak ditandatangani kunci forge yang berlaku; tidak ada bukti "
                  "bahwa forge menggabungkannya atas persetujuan Kasubbag Hukum.",
                  "Gabungkan pull request lewat tombol merge di forge (merge commit ditandatangani forge), bukan "
                  "dengan push dari komputer sendiri; bila kunci forge berganti, daftarkan kunci barunya di "
                  "`forge.kunci`.")
        return False

    # ------------------------------------------------------------ configuration as it stood

    def _apply_config(self, commit: Commit) -> None:
        """Take in the commit's changes to tools/config/ (they apply from the next commit on)."""
        changed = [(p, new) for p, _, new in commit.others if p.startswith(_CONFIG_PREFIX)]
        if not changed or self.configs is None:
            return
        for path, blob in changed:
            if blob:
                self.config_state[path] = blob
            else:
                self.config_state.pop(path, None)
        settings, findings = self.configs(dict(self.config_state))
        if settings is None:
            first = findings[0] if findings else None
            self.flag("-", first.path if first else _CONFIG_PREFIX, commit, "konfigurasi-rusak",
                      "Konfigurasi sesudah komit ini tidak bisa dipakai"
                      + (f": {first.location()}: {first.message}" if first else "."),
                      "Perbaiki konfigurasi lewat pull request (jalankan `pengaduan periksa` dulu); sampai itu, "
                      "audit memakai konfigurasi sebelumnya.")
            return
        for version, (path, blob) in sorted(self.referenced.items()):
            sop = settings.sop(version)
            if sop is None or sop.path != path or self.config_state.get(sop.path) != blob:
                self.flag("-", path, commit, "sop-beku-diubah",
                          f"Berkas SOP versi {version} diubah atau dihapus padahal sudah dipakai rekaman.",
                          "Kembalikan berkas SOP semula; revisi SOP ditulis sebagai berkas baru dengan versi baru "
                          "(rekaman lama tetap memakai versi lamanya).")
                if sop is not None:
                    self.referenced[version] = (sop.path, self.config_state.get(sop.path, ""))
        if commit.parents and settings.current_sop.version != self.settings.current_sop.version:
            self.superseded[self.settings.current_sop.version] = _landed(commit)
        self.settings, self.office = settings, settings.office

    def _governance(self, commit: Commit) -> bool:
        """A change to code, configuration, templates, docs or workflows needs an approved, forge-signed merge."""
        paths = sorted(p for p, _, _ in commit.others if not p.startswith(_RECORDS_PREFIX))
        if not paths or not commit.parents:
            return True
        shown = ", ".join(paths[:3]) + (f" dan {len(paths) - 3} berkas lain" if len(paths) > 3 else "")
        roles = self.office.governance_roles
        names = " atau ".join(sorted({self.office.role_title(r) for r in roles}))
        person = self.office.person_by_email(commit.email)
        on = _day(_landed(commit))
        problem = ""
        if len(commit.parents) < 2:
            problem = "masuk main langsung, tanpa pull request"
        elif person is None or not any(person.holds(r, on) for r in roles):
            problem = f"digabungkan oleh {commit.author}, yang bukan penyetuju tata kelola ({names})"
        elif self.checks_evidence and not self.forge_signed(commit):
            problem = "digabungkan tanpa tanda tangan forge"
        if problem:
            self.flag("-", paths[0], commit, "perubahan-tata-kelola", f"Perubahan {shown} {problem}.",
                      f"Perubahan kode, konfigurasi, templat, dokumen atau alur kerja diajukan lewat pull request dan "
                      f"digabungkan di forge oleh {names}; pulihkan perubahan ini (git revert) lalu ajukan ulang."
                      + (" Sampai itu, audit tetap memakai konfigurasi sebelumnya." if any(
                          p.startswith(_CONFIG_PREFIX) for p in paths) else ""))
        return not problem

    # ------------------------------------------------------------ the replay

    def run(self, history: History, signers: dict[str, str] | None = None) -> None:
        self.history, self.signers = history, signers
        brought_by = history.branch_commits()
        state = self.state
        for commit in history.first_parent_chain():
            if not self.config_state and not commit.parents:
                self._apply_config(commit)  # the founding commit brings the first configuration
            approved = self._governance(commit)
            if commit.changes or commit.others:
                self._record_changes(commit, brought_by.get(commit.sha, []), state)
            if commit.parents and not commit.changes and all(p.startswith(_RECORDS_PREFIX) for p, _, _ in commit.others):
                self._bare_landing(commit)
            landed = _landed(commit)
            if landed < self.last_landed and commit.changes and not self.forge_signed(commit):
                self.flag("-", commit.changes[0][0], commit, "waktu-tidak-wajar",
                          f"Komit ini tercatat masuk main {_stamp(landed)}, sebelum komit main sebelumnya "
                          f"({_stamp(self.last_landed)}).",
                          "Waktu komit tidak boleh diatur mundur; gabungkan lewat forge, yang mencatat waktunya "
                          "sendiri.")
            self.last_landed = max(self.last_landed, landed)  # the forge's clock is trusted as it signed it
            if self.forge_signed(commit):
                self.last_signed = max(self.last_signed, landed)
            if commit.parents and approved:  # an unapproved change is reported and never takes effect
                self._apply_config(commit)

    def _record_changes(self, commit: Commit, brought: list[Commit], state: dict[str, Facts]) -> None:
        is_merge = len(commit.parents) > 1
        self._attachments(commit, is_merge, state)
        added_ids = {self.blobs[new].id: path for path, old, new in commit.changes if new and not old}
        moved = {}  # new path -> old path
        for path, _, new_blob in commit.changes:
            if not new_blob:
                moved_to = self._removed(path, state.get(path), commit, added_ids, state)
                if moved_to:
                    moved[moved_to] = path
        for path, _, new_blob in commit.changes:
            if not new_blob:
                continue
            new = self.blobs[new_blob]
            if path in moved:  # already reported; keep following it at its new place
                state[path] = new
                self.ids[new.id] = path
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
            self._landing(path, old, new, commit, is_merge, brought)
            state[path] = new

    def _attachments(self, commit: Commit, is_merge: bool, state: dict[str, Facts]) -> None:
        """Attachments are part of the complaint as received: once step 2 landed, only an approved `koreksi`."""
        new_versions = {path: self.blobs.get(new) for path, _, new in commit.changes if new}
        for path, _, new_blob in commit.others:
            parts = PurePosixPath(path).parts
            if parts[0] != RECORDS_DIR or is_loose_allowed(path):
                continue
            record_path = "/".join(parts[:4]) + ".yaml"
            if new_blob and (len(parts) < 5 or record_path not in state and record_path not in new_versions):
                self.flag("-", path, commit, "berkas-asing",
                          "Berkas ini masuk records/ tetapi bukan rekaman dan tidak berada di folder lampiran "
                          "rekaman mana pun (misalnya .gitattributes, yang mengubah cara Git menulis rekaman).",
                          "Hapus berkasnya lewat pull request; rekaman: records/TAHUN/BULAN/NOMOR.yaml, lampiran: "
                          "di folder records/TAHUN/BULAN/NOMOR/.")
                continue
            if len(parts) < 5:
                continue
            old = state.get(record_path)
            if old is None or not old.valid or old.step < REGISTRATION:
                continue
            new = new_versions.get(record_path) or old
            declared = {key for entry in new.corrections[len(old.corrections):] for key in entry}
            if "lampiran" in declared and self._approved(commit, is_merge, new, record_path):
                continue
            self.flag_once(("lampiran", commit.sha, record_path), old, record_path, commit, "isi-beku-diubah",
                           f"Lampiran pengaduan diubah sesudah langkah {REGISTRATION}: {path}.",
                           "Kembalikan lampiran semula, atau tambahkan butir `koreksi` (bagian: [lampiran]) dan "
                           "ajukan lewat pull request yang disetujui Kasubbag Hukum.")

    def _approved(self, landing: Commit, is_merge: bool, facts: Facts, path: str) -> bool:
        """A change the Kasubbag (or an active Plh) approved: a merge by them, signed by the forge."""
        merger = self.office.person_by_email(landing.email)
        day = _day(_landed(landing))
        chief = is_merge and merger is not None and any(merger.holds(role, day)
                                                         for role in self.office.disposition_roles)
        return chief and (not self.checks_evidence or self.forge_signed(landing))

    def _removed(self, path: str, old: Facts | None, commit: Commit, added_ids: dict[str, str],
                 state: dict[str, Facts]) -> str | None:
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

    def _numbers(self, path: str, new: Facts, landing: Commit) -> None:
        """Registration, agenda and letter numbers are each used by one complaint only, across history."""
        owner = self.ids.setdefault(new.id, path)
        if owner != path:
            self.flag_once(("id", new.id, path), new, path, landing, "nomor-ganda",
                           f"Nomor registrasi {new.id} juga dipakai {owner}.",
                           f"Beri pengaduan ini nomor baru: pengaduan nomor-ulang {new.id}.")
        for kind, number in new.numbers:
            first = self.numbers.setdefault((kind, number), new.id)
            if first != new.id:
                label = "agenda" if kind == "agenda" else kind.replace("_", " ")
                self.flag_once(("nomor", kind, number, new.id), new, path, landing, "nomor-ganda",
                               f"Nomor {label} {number} juga dipakai {first}.",
                               "Pakai nomor berikutnya yang belum terpakai"
                               + (f": pengaduan nomor-ulang {new.id}." if kind == "agenda" else
                                  " (lihat `penomoran` di tools/config/kantor.yaml)."))

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
        if self.configs is not None and new.sop not in self.referenced:
            self.referenced[new.sop] = (sop.path, self.config_state.get(sop.path, ""))
        if old is None and self.config_state:
            self._sop_in_force(path, new, landing, timeline.received)
        self._numbers(path, new, landing)
        merger = self.person(landing, new.id, path)
        self._authorship(landing, new.id, path)
        units = [(c, self.blobs.get(o), self.blobs[n]) for c in brought
                 for p, o, n in c.changes if p == path and n] if is_merge else [(landing, old, new)]
        if not is_merge:
            self._direct(landing, new, path)
        for unit, before_facts, after_facts in units:
            self.person(unit, new.id, path)
            self._authorship(unit, new.id, path)
            self._step_change(unit, before_facts, after_facts, path)
        before = old.step if old else 1
        landed = _landed(landing)
        numbers = range(before + 1, min(new.step, sop.last_step) + 1)
        unproven = self._unproven_landing(landing, is_merge, new, path,
                                          any(sop.step(n).git == "gabung" for n in numbers))
        for number in numbers:
            spec = sop.step(number)
            if spec.git == "gabung":
                actor, person, facts, when = landing, merger, new, landed
                self._evidence(landing, is_merge, new.id, path, f"Disposisi langkah {number} ({spec.title})")
            else:
                match = next(((c, f) for c, b, f in units if f.valid and f.step >= number
                              and (b is None or not b.valid or b.step < number)), (landing, new))
                actor, facts = match
                person = self.office.person_by_email(actor.email)
                when = actor.time
            doubtful = self._believable(timeline, number, when, landed, new, path, actor) or unproven
            acting = ""
            if person is not None and spec.role not in person.roles and person.stand_in(spec.role, _day(when)):
                acting = f"Plh. {self.office.role_title(spec.role)}"
            done = StepDone(number, landed if doubtful else when, actor.author, actor.email,
                            person.id if person else None, actor.sha, landing.sha if is_merge else None,
                            landing.parents[1] if is_merge else None, doubtful, acting, landed)
            timeline.steps.append(done)
            if person is not None and not _may_act(person, spec, sop, facts, when):
                self.flag(new, path, actor, "peran-salah",
                          f"Langkah {number} ({spec.title}) hanya boleh dilakukan oleh "
                          f"{self.settings.role_name(sop, spec.role, facts.target)}"
                          f"{' (atau Plh-nya pada masa penunjukannya)' if spec.git == 'gabung' else ''}; "
                          f"{person.name} ({person.title}) tidak memegang peran itu pada {_stamp(when)}.",
                          "Minta orang dengan peran tersebut melakukan langkah ini"
                          + (" (menyetujui dan menggabungkan pull request-nya)." if spec.git == "gabung" else "."))
        timeline.current, timeline.target = min(new.step, sop.last_step), new.target
        self._frozen(path, old, new, landing, is_merge, sop)

    def _sop_in_force(self, path: str, new: Facts, landing: Commit, received: datetime | None) -> None:
        """A complaint follows the SOP in force when it was received: the newest on main, or one a newer SOP took
        the place of only after the complaint arrived. Otherwise whoever writes the record picks its rules (an older
        SOP's steps and roles, or a file never in force)."""
        current = self.settings.current_sop.version
        ended = self.superseded.get(new.sop)
        if new.sop == current or (ended is not None and received is not None and received.timestamp() <= ended):
            return
        self.flag(new, path, landing, "sop-bukan-yang-berlaku",
                  f"Pengaduan ini memakai SOP versi {new.sop}, padahal yang berlaku saat diterima adalah versi "
                  f"{current}.",
                  f"Tulis `versi_sop: \"{current}\"` (pengaduan baru selalu memakai SOP terbaru; `pengaduan baru` "
                  "menulisnya sendiri).")

    def _bare_landing(self, commit: Commit) -> None:
        """A commit on main that changes no record (nor anything the governance rule sees) must still be the forge's
        merge: an empty commit or a merge made elsewhere is how main's own history is re-routed (a fast-forward to
        an "Update branch" merge, a `git merge -s ours` of an old head) so that earlier merges are replayed anew."""
        if not self.checks_evidence or not self.office.forge_keys:
            return
        if len(commit.parents) > 1 and self.forge_signed(commit):
            return
        how = ("merge commit yang tidak ditandatangani forge" if len(commit.parents) > 1
               else "komit langsung, bukan merge commit forge")
        self.flag("-", commit.others[0][0] if commit.others else _RECORDS_PREFIX, commit, "langsung-ke-main",
                  f"Komit ini masuk main sebagai {how}. Di main hanya ada merge commit yang dibuat forge; komit lain "
                  "berarti main di-push langsung, dan riwayat main sendiri bisa dibelokkan lewatnya.",
                  "Lindungi cabang main agar hanya forge yang menggabungkan (lihat docs/petugas/alur-git.md); bila main "
                  "dibelokkan, pulihkan dari salinan yang benar.")

    def _unproven_landing(self, landing: Commit, is_merge: bool, facts: Facts, path: str, disposition: bool) -> bool:
        """Whether the landing's times are all the committer's own: a merge the forge did not sign (or a direct
        commit). Its steps are never on time; a merge without a disposition (which `_evidence` reports) is flagged.
        """
        if not self.checks_evidence or not self.office.forge_keys or (is_merge and self.forge_signed(landing)):
            return False
        if is_merge and not disposition:
            self.flag_once(("tanpa-forge", landing.sha), facts, path, landing, "gabung-tanpa-forge",
                           "Rekaman masuk main lewat merge commit yang tidak ditandatangani kunci forge: merge ini "
                           "dibuat di komputer sendiri, bukan lewat pull request yang ditinjau, dan waktunya tidak "
                           "bisa dipercaya; langkahnya tidak dihitung tepat waktu.",
                           "Gabungkan pull request lewat tombol merge di forge; lindungi cabang main agar tidak bisa "
                           "di-push langsung (lihat docs/petugas/alur-git.md).")
        return True

    def _believable(self, timeline: Timeline, number: int, when: int, landed: int, facts: Facts, path: str,
                    actor: Commit) -> bool:
        """A step's time must lie between the previous step (or the arrival) and the moment it landed on main."""
        previous = max((s.time for s in timeline.steps if s.step < number), default=None)
        arrival = int(timeline.received.timestamp()) if timeline.received else None
        problem = ""
        if when > landed:
            problem = f"sesudah langkah itu masuk main ({_stamp(landed)})"
        elif previous is not None and when < previous:
            problem = f"sebelum langkah sebelumnya ({_stamp(previous)})"
        elif arrival is not None and when < arrival:
            problem = f"sebelum pengaduan diterima ({_stamp(arrival)})"
        if number == REGISTRATION and arrival is not None and arrival > landed:
            problem = problem or f"sesudah rekaman masuk main, padahal waktu diterima {_stamp(arrival)}"
        if not problem:
            return False
        self.flag(facts, path, actor, "waktu-tidak-wajar",
                  f"Langkah {number} bertanggal {_stamp(when)}, {problem}. Tenggatnya diukur dengan waktu "
                  "masuk main, dan langkah ini tidak dihitung tepat waktu.",
                  "Jangan mengatur jam komit atau `diterima.waktu`; komit dengan jam komputer yang benar. Bila waktu "
                  "diterima salah catat, betulkan lewat butir `koreksi` yang disetujui Kasubbag Hukum.")
        return True

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

    def _frozen(self, path: str, old: Facts | None, new: Facts, landing: Commit, is_merge: bool, sop: Sop) -> None:
        if old is None or not old.valid:
            return
        if new.corrections[:len(old.corrections)] != old.corrections:
            self.flag(new, path, landing, "isi-beku-diubah",
                      "Butir `koreksi` yang sudah ada dihapus atau diubah; daftar koreksi adalah jejak perubahan dan "
                      "hanya boleh ditambah.",
                      "Kembalikan butir koreksi semula; koreksi baru ditulis sebagai butir tambahan di bawahnya.")
        done = min(old.step, sop.last_step)
        frozen = {key for step in sop.steps[:done] for key in step.frozen}
        before, after = old.digest_of(), new.digest_of()
        changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
        touched = sorted(changed - UNFROZEN if "*" in frozen else changed & frozen)
        if not touched:
            return
        declared = {key for entry in new.corrections[len(old.corrections):] for key in entry}
        if set(touched) <= declared and self._approved(landing, is_merge, new, path):
            return
        closed = done == sop.last_step
        self.flag(new, path, landing, "isi-beku-diubah",
                  f"Isi yang sudah beku diubah: {', '.join(touched)}"
                  + (" (pengaduan sudah selesai)." if closed else f" (langkah {done} sudah selesai)."),
                  "Kembalikan isi semula, atau tambahkan butir `koreksi` (tanggal, bagian: ["
                  + ", ".join(touched) + "], alasan) dan ajukan lewat pull request yang disetujui Kasubbag Hukum.")


def replay(history: History, settings: Settings) -> tuple[dict[str, Timeline], list[Violation]]:
    """Timelines per record path, and every rule broken, oldest first, judged by `settings` throughout.

    The pure form: no repository, so no forge signatures and no configuration history. The audit of a
    repository is `replay_repository` / `audit_repository`.
    """
    run = _Replay(settings)
    run.run(history)
    return run.timelines, run.violations


def _rules_key() -> bytes:
    """What the cached replay depends on besides history (which carries its own configuration): this code."""
    digest = hashlib.sha256(str(REPLAY_CACHE_VERSION).encode())
    package = Path(__file__).parents[1]
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.digest()


def _load_replay(path: Path, key: bytes) -> tuple[str, _Replay] | None:
    payload = read_checked(path)
    if payload is None:
        return None
    try:
        stored_key, head, run = pickle.loads(payload)  # our own file in .git, its digest checked
        return (head, run) if stored_key == key and isinstance(run, _Replay) else None
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError, ImportError):
        return None


class _Configs:
    """Settings for each state of tools/config/ on main, read from Git objects, each loaded once."""

    def __init__(self, repo: Path) -> None:
        self.repo = repo
        self.loaded: dict[frozenset[tuple[str, str]], tuple[Settings | None, list[Finding]]] = {}
        self.keys: dict[str, PublicKey] = {}  # every forge key any configuration listed

    def __call__(self, blobs: dict[str, str]) -> tuple[Settings | None, list[Finding]]:
        key = frozenset(blobs.items())
        if key not in self.loaded:
            self.loaded[key] = check_config(config_at(self.repo, blobs))
            settings = self.loaded[key][0]
            for forge_key in settings.office.forge_keys if settings else ():
                self.keys[forge_key.key.ident] = forge_key.key
        return self.loaded[key]

    def keys_in(self, history: History) -> list[PublicKey]:
        """Every forge key listed by any configuration on main up to the history's head."""
        for commit in history.first_parent_chain():
            if any(p.startswith(_CONFIG_PREFIX) for p, _, _ in commit.others):
                state = config_state_at(self.repo, commit.sha)
                self(state)
        return list(self.keys.values())


def config_state_at(repo: Path, revision: str) -> dict[str, str]:
    listing = subprocess.run(["git", "ls-tree", "-r", "-z", revision, "--", CONFIG_DIR.as_posix()], cwd=repo,
                             capture_output=True, check=True).stdout.decode("utf-8", "replace")
    entries = [line.split("\t", 1) for line in listing.split("\0") if line]
    return {path: meta.split()[2] for meta, path in entries if meta.split()[1] == "blob"}


def _continue(run: _Replay, repo: Path, read: Callable[[Callable[[History], None]], History],
              configs: _Configs) -> None:
    """Read history with `read` and run the replay over it, with the signatures of the commits the rules ask
    about (checked in a second process while the record versions are read, when there are many)."""
    shas: list[str] = []
    keys: list[PublicKey] = []
    workers: list[BaseProcess] = []

    def start(commits_only: History) -> None:
        shas.extend(needs_signature(commits_only))
        keys.extend(configs.keys_in(commits_only))
        worker = check_signatures_meanwhile(repo, shas, keys)
        workers.extend([worker] if worker is not None else [])
    history = read(start)
    for worker in workers:
        worker.join()
    run.configs = configs
    run.run(history, commit_signers(repo, shas, keys))


def _replayed(repo: Path, branch: str, settings: Settings, use_cache: bool) -> _Replay:
    head = resolve_head(repo, branch)
    if not head:
        raise LookupError(branch)
    require_full_history(repo)
    key = _rules_key()
    path = cache_path(repo, branch, "replay")
    cached = _load_replay(path, key) if use_cache else None
    configs = _Configs(repo)
    if cached and cached[0] == head:
        run = cached[1]
    elif cached and on_first_parent_chain(repo, cached[0], head):
        run = cached[1]
        _restore_settings(run, configs, settings)
        _continue(run, repo, lambda start: read_since(repo, head, cached[0], start), configs)
    else:
        run = _Replay(settings, configs)
        _continue(run, repo, lambda start: read_history(repo, branch, use_cache, start), configs)
    _restore_settings(run, configs, settings)
    run.history = run.signers = None
    if use_cache and not (cached and cached[0] == head):
        payload = pickle.dumps((key, head, run), protocol=pickle.HIGHEST_PROTOCOL)
        write_checked(path, payload)
    return run


def _restore_settings(run: _Replay, configs: _Configs, fallback: Settings) -> None:
    """The settings as they stand at the replay's head (the working tree's, if history has no configuration)."""
    loaded = configs(run.config_state)[0] if run.config_state else None
    run.settings = loaded or fallback
    run.office = run.settings.office
    run.configs = configs


def replay_repository(repo: Path, branch: str, settings: Settings,
                      use_cache: bool = True) -> tuple[dict[str, Timeline], list[Violation]]:
    """Replay the branch with the rules as they stood; with the cache, only commits since the last run."""
    run = _replayed(repo, branch, settings, use_cache)
    return run.timelines, run.violations


def future_violations(timelines: dict[str, Timeline], now: datetime, office: Office | None = None) -> list[Violation]:
    """Steps and arrivals dated after `now`: no one can have done them yet."""
    found = []
    for timeline in timelines.values():
        if timeline.received and timeline.received > now and timeline.steps:
            first = timeline.steps[0]
            found.append(Violation(timeline.record_id, timeline.path, first.commit, _who(office, first.actor, first.email),
                                   "waktu-di-masa-depan",
                                   f"Waktu diterima {timeline.received:%d-%m-%Y %H.%M} WIB ada di masa depan.",
                                   "Betulkan `diterima.waktu` lewat butir `koreksi` yang disetujui Kasubbag Hukum."))
        for step in timeline.steps:
            moment = max(step.time, step.landed)
            if moment > now.timestamp():
                found.append(Violation(timeline.record_id, timeline.path, step.commit, _who(office, step.actor, step.email),
                                       "waktu-di-masa-depan",
                                       f"Langkah {step.step} bertanggal {_stamp(moment)}, di masa depan.",
                                       "Jam komputer yang membuat komit ini salah atau diatur; komit ulang langkah "
                                       "ini dengan jam yang benar lewat pull request."))
    return found


def audit_repository(repo: Path, branch: str, settings: Settings, use_cache: bool = True,
                     now: datetime | None = None) -> tuple[dict[str, Timeline], list[Violation]]:
    """`pengaduan audit`: the replay's findings (evidence included), and steps dated after `now`."""
    timelines, violations = replay_repository(repo, branch, settings, use_cache)
    if now is not None:
        violations = violations + future_violations(timelines, now, settings.office)
    return timelines, violations


def _on_branch_commit(violation: Violation, imagined: str, commits: dict[str, Commit], office: Office) -> Violation:
    """A finding on the merge a pull request check imagines names instead the pull request's newest commit that
    changed the record: that commit and its author are what the staff member can see and fix."""
    if violation.commit != imagined:
        return violation
    changed = [c for c in commits.values() if c.sha != imagined and any(p == violation.path for p, _, _ in c.changes)]
    if not changed:
        return violation
    commit = max(changed, key=lambda c: c.time)
    return replace(violation, commit=commit.sha, person=_who(office, commit.author, commit.email))


@dataclass(frozen=True)
class PullRequestReview:
    steps: list[tuple[str, str, StepDone]]  # (record id, path, step done by this pull request)
    dispositions: list[tuple[str, int]]  # (record id, step) that become valid only with the Kasubbag's merge
    violations: list[Violation]
    corrections: list[str] = field(default_factory=list)  # records given a new `koreksi` entry: the Kasubbag merges
    disposition_roles: tuple[str, ...] = ()  # the role each disposition's step has in its record's own SOP


def review_pull_request(repo: Path, base: str, head: str, settings: Settings) -> PullRequestReview:
    """The pull request's transitions, replayed on top of its base as if the Kasubbag merged it through the forge.

    The rules are the base's (its roster, SOP and keys): a pull request cannot change them for itself.
    """
    base_sha, head_sha = resolve_head(repo, base), resolve_head(repo, head)
    if not base_sha or not head_sha:
        raise LookupError(base if not base_sha else head)
    run = copy.deepcopy(_replayed(repo, base, settings, use_cache=True))
    configs = _Configs(repo)
    _restore_settings(run, configs, settings)
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
    chief = run.office.head_of(run.office.hukum)
    last = max((c.time for c in commits.values()), default=0)
    merge = Commit("0" * 39 + "m", (base_sha, head_sha), chief.name, chief.emails[0], last, chief.name,
                   chief.emails[0], "(penggabungan oleh Kasubbag)", diff_records(repo, base_sha,
                                                                              merged.stdout.split("\n")[0].strip()),
                   max(last, run.last_landed))
    commits[merge.sha] = merge
    blobs = {b for c in commits.values() for _, old, new in c.changes for b in (old, new) if b}
    history = History(merge.sha, commits, read_blob_facts(repo, sorted(blobs)))
    branch = [c.sha for c in commits.values() if c is not merge and c.email.lower() != c.committer_email.lower()]
    signers = commit_signers(repo, branch, [k.key for k in run.office.forge_keys])
    signers[merge.sha] = ASSUMED_SIGNED
    before = dict(run.state)
    run.run(history, signers)
    run.violations[known:] = [_on_branch_commit(v, merge.sha, commits, run.office) for v in run.violations[known:]]
    steps = [(t.record_id, t.path, s) for t in run.timelines.values() for s in t.steps if s.merge == merge.sha]
    disposed = [(record, sop.step(s.step)) for record, path, s in steps
                if (sop := run.settings.sop(run.timelines[path].sop_version)) and sop.step(s.step).is_disposition]
    corrections = sorted(facts.id for path, facts in run.state.items()
                         if len(facts.corrections) > len(before[path].corrections if path in before else ()))
    return PullRequestReview(steps, [(record, step.number) for record, step in disposed], run.violations[known:],
                             corrections, tuple(dict.fromkeys(step.role for _, step in disposed)))
