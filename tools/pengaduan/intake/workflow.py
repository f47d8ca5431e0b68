"""Staff tooling on Git: new complaints, the next SOP step, and number collisions.

Commits are built with GitPython on a temporary index and only move the
target branch: the working tree and the branch checked out are never touched,
so a batch of e-mails or a step prepared for someone else cannot disturb
anyone's work. Edits replace only the keys they change (yamlio.edit): comments, key
order and quoting that staff wrote by hand elsewhere stay as they were.
"""
from __future__ import annotations

import fcntl
import io
import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import git
from gitdb.base import IStream

from ..core import sop as sop_rules
from ..core import yamlio
from ..core.config import Person, Settings
from ..core.errors import PengaduanError
from ..core.records import SCHEMA_COMMENT, attachment_dir, is_record_path, record_path, register_of
from ..core.schema import PLACEHOLDER
from ..core.sop import Sop, Step
from ..history.calendar import WIB, WorkCalendar
from ..history.reader import cache_path
from ..queue import (MAIN, Queue, duplicate_of, entries_on, next_letter_sequence, next_numbers, parse_entry, read_queue,
                     unique_of)
from .eml import Intake, record_data

_ZERO = "0" * 40


class WorkflowError(PengaduanError):
    """A step that cannot be taken; the message says why and what to do."""


@dataclass(frozen=True)
class Done:
    record_id: str
    branch: str
    commit: str
    step: int
    next_actions: list[str]


class Repository:
    def __init__(self, path: Path) -> None:
        try:
            self.git = git.Repo(path)
        except (git.InvalidGitRepositoryError, git.NoSuchPathError):
            raise WorkflowError(f"{path} bukan repositori Git; jalankan dari folder repositori pengaduan.") from None
        if self.git.working_tree_dir is None:
            raise WorkflowError(f"{path} adalah repositori Git tanpa folder kerja (bare); jalankan dari salinan "
                                "repositori pengaduan hasil git clone.")
        self.path = Path(self.git.working_tree_dir)

    def person(self, settings: Settings) -> Person:
        reader = self.git.config_reader()
        email_address = reader.get_value("user", "email", default="")
        person = settings.office.person_by_email(str(email_address))
        if person is None:
            raise WorkflowError(f"identitas Git Anda ({email_address or 'belum diatur'}) tidak ada di daftar personel "
                                "tools/config/kantor.yaml. Atur dengan: git config user.email ALAMAT-TERDAFTAR")
        return person

    def ref(self, name: str) -> git.Commit | None:
        for candidate in (f"refs/heads/{name}", f"refs/remotes/origin/{name}", name):
            try:
                return self.git.commit(candidate)
            except (git.BadName, git.BadObject, ValueError):
                continue
        return None

    def main(self) -> git.Commit:
        commit = self.ref(MAIN)
        if commit is None:
            raise WorkflowError("cabang main tidak ada; ambil dulu dengan: git fetch origin main")
        return commit

    def local_tip(self, name: str) -> str | None:
        """The commit of the local branch `name`, or None when there is none (only a remote copy, or nothing)."""
        try:
            return self.git.commit(f"refs/heads/{name}").hexsha
        except (git.BadName, git.BadObject, ValueError):
            return None

    def read(self, commit: git.Commit, path: str) -> bytes | None:
        try:
            data: bytes = commit.tree[path].data_stream.read()
            return data
        except KeyError:
            return None

    def _store(self, content: bytes | Path) -> bytes:
        """A blob from bytes, or streamed from a file (a large attachment never sits in memory)."""
        if isinstance(content, Path):
            with content.open("rb") as handle:
                stored: bytes = self.git.odb.store(IStream("blob", content.stat().st_size, handle)).binsha
                return stored
        stored = self.git.odb.store(IStream("blob", len(content), io.BytesIO(content))).binsha
        return stored

    def commit(self, branch: str, parent: git.Commit, files: dict[str, bytes | Path | None], message: str,
               person: Person, when: datetime, expected: str | None = None) -> str:
        """A commit of `files` (None deletes; a Path is streamed) on top of `parent`, moving only `branch`.

        The branch moves only from `expected` (None: it must not exist yet), in one atomic `git update-ref`:
        a colleague's work on the same branch is never overwritten.
        """
        if not self.git.head.is_detached and self.git.head.ref.name == branch:
            raise WorkflowError(f"cabang {branch} sedang dibuka di folder ini; pindah dulu: git switch main")
        tree = self._tree(parent.hexsha, files)
        stamp = f"{int(when.timestamp())} {when.strftime('%z') or '+0000'}"
        environment = {**os.environ, "GIT_AUTHOR_NAME": person.name, "GIT_AUTHOR_EMAIL": person.emails[0],
                       "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_NAME": person.name,
                       "GIT_COMMITTER_EMAIL": person.emails[0], "GIT_COMMITTER_DATE": stamp}
        sha = self._git("commit-tree", tree, "-p", parent.hexsha, "-F", "-", stdin=message, env=environment)
        moved = subprocess.run(["git", "update-ref", "-m", "pengaduan", f"refs/heads/{branch}", sha,
                                expected or _ZERO], cwd=self.path, capture_output=True, text=True)
        if moved.returncode != 0:
            raise WorkflowError(f"cabang {branch} berubah atau sudah dibuat orang lain saat perintah ini berjalan; "
                                "jalankan ulang perintahnya.")
        return sha

    def _git(self, *args: str, stdin: str = "", env: dict[str, str] | None = None) -> str:
        return subprocess.run(["git", *args], cwd=self.path, input=stdin, capture_output=True, text=True, check=True,
                              env=env).stdout.strip()

    def _tree(self, parent: str, files: dict[str, bytes | Path | None]) -> str:
        """`parent`'s tree with `files` written (None deletes), through a temporary index: the staff's own index
        and working tree are never touched, and Git rewrites only the folders that changed."""
        index = cache_path(self.path, f"index-{os.getpid()}", "index")
        index.parent.mkdir(parents=True, exist_ok=True)
        environment = {**os.environ, "GIT_INDEX_FILE": str(index)}
        lines = []
        for path, content in files.items():
            if content is None:
                lines.append(f"0 {_ZERO}\t{path}\0")
            else:
                lines.append(f"100644 {self._store(content).hex()}\t{path}\0")
        try:
            self._git("read-tree", parent, env=environment)
            self._git("update-index", "-z", "--index-info", stdin="".join(lines), env=environment)
            return self._git("write-tree", env=environment)
        finally:
            index.unlink(missing_ok=True)

    @contextmanager
    def numbering(self) -> Iterator[None]:
        """Held while numbers are chosen and branches made: two staff on one repository get distinct numbers."""
        lock = cache_path(self.path, "nomor", "lock")
        lock.parent.mkdir(parents=True, exist_ok=True)
        with lock.open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


def changed_records(repo: Repository, tip: git.Commit) -> list[tuple[str, bool]]:
    """(path, added?) of record files the branch at `tip` changed since it left main."""
    base = repo.git.merge_base(tip, repo.main())[0]
    return [(d.b_path, d.new_file) for d in base.diff(tip) if d.b_path and is_record_path(d.b_path)]


def next_letter(queue: Queue, settings: Settings, kind: str, on: date) -> str:
    """The next number of a kind of nota dinas in `on`'s year, after every one on main and on open branches."""
    return settings.office.letter_number(kind, on, next_letter_sequence(queue, settings, kind, on.year))


def register(repo: Repository, settings: Settings, intakes: list[tuple[str, Intake]], person: Person,
             now: datetime) -> list[Done]:
    """`pengaduan baru`: one branch `ID-langkah-2` per complaint, each from main; all checked before any is made."""
    sop = settings.current_sop
    step, disposition = sop_rules.registration(sop), sop_rules.disposition_step(sop)
    if not _may(person, sop, step, ""):
        role = _lower(sop.roles[step.role]["nama"])
        raise WorkflowError(f"{person.name} bukan {role}; pencatatan pengaduan (langkah {step.number}) dilakukan "
                            f"{role}.")
    seen: dict[str, str] = {}
    for source, intake in intakes:
        key = intake.message_id or intake.fingerprint()
        if key in seen:
            raise WorkflowError(f"{source}: surel yang sama dengan {seen[key]}.")
        seen[key] = source
        if intake.received is None:
            raise WorkflowError(f"{source}: surel tidak punya tanggal (kepala Date); sebut waktunya dengan --waktu.")
    with repo.numbering():
        queue = read_queue(repo.path)
        for source, intake in intakes:
            existing = duplicate_of(queue, intake.message_id, intake.fingerprint() if intake.email else "")
            if existing:
                raise WorkflowError(f"{source}: surel ini sudah tercatat sebagai {existing[0]} ({existing[1]}).")
        main = repo.main()
        done, numbers = [], {}
        for source, intake in intakes:
            received = intake.received
            assert received is not None  # refused above, before the lock
            year = received.astimezone(WIB).year
            if year not in numbers:
                numbers[year] = next_numbers(queue, settings, year)
            sequence, agenda = numbers[year]
            numbers[year] = (sequence + 1, agenda + 1)
            record_id = settings.office.registration_number(year, sequence)
            path = record_path(record_id, received)
            data = record_data(intake, record_id, agenda, sop.version, received)
            record = yamlio.dump(data, SCHEMA_COMMENT).encode()
            files: dict[str, bytes | Path | None] = {path: record}
            files.update({f"{attachment_dir(path)}/{name}": content for name, content in intake.files.items()})
            branch = f"{record_id}-langkah-{step.number}"
            sha = repo.commit(branch, main, files,
                              f"{record_id}: langkah {step.number} — {step.title}\n\nSumber: {source}\n", person, now)
            unfilled = sum(1 for line in record.decode().splitlines() if PLACEHOLDER in line)
            done.append(Done(record_id, branch, sha, step.number, [
                f"git switch {branch}   # lalu lengkapi {unfilled} bagian bertanda `{PLACEHOLDER}` di {path}, "
                "dan tulis `perihal_dinas` (perihal resmi, orang ketiga) untuk nota dinas",
                "pengaduan periksa --berubah",
                f"pengaduan tanda-terima {record_id}   # tanda terima untuk pelapor (PDF dan .eml), lalu "
                f"pengaduan terkirim {record_id} --surat tanda-terima",
                f"git commit -am \"{record_id}: lengkapi pencatatan\"",
                f"git push -u origin {branch}",
                f"Buka pull request {branch} → main; {_short(settings, disposition.role)} memberi disposisi "
                f"(langkah {disposition.number}) dengan "
                f"`pengaduan lanjut {record_id}` lalu menyetujui dan menggabungkannya (merge commit).",
            ]))
    return done


def _find(repo: Repository, queue: Queue, record_id: str) -> tuple[str, git.Commit, int, str | None, str]:
    """(path, commit holding the latest version, its step, open branch or None, that branch's tip)."""
    latest = None
    for path, entry, branch in queue.find(record_id):
        if latest is None or entry.step > latest[2] or (entry.step == latest[2] and latest[3] and not branch):
            latest = (path, entry, entry.step, branch)
    if latest is None:
        raise WorkflowError(f"pengaduan {record_id} tidak ditemukan di main maupun di cabang terbuka mana pun.")
    path, entry, step, branch = latest
    if not entry.valid:
        raise WorkflowError(f"{path} {branch.place if branch else 'di main'} tidak bisa dibaca sebagai rekaman; "
                            "perbaiki dulu (pengaduan periksa --berubah).")
    tip = branch.tip if branch else queue.main_head
    return path, repo.git.commit(tip), step, branch.name if branch else None, tip


def _may(person: Person, sop: Sop, step: Step, target: str) -> bool:
    if sop_rules.for_target(sop, step):
        return person.subdivision == target
    return step.role in person.roles


def _lower(name: str) -> str:
    """A role's name inside a sentence: "Staf Pelaksana Pengelola JDIH" -> "staf pelaksana pengelola JDIH"."""
    return " ".join(word if word.isupper() else word.lower() for word in name.split())


def _short(settings: Settings, role: str) -> str:
    """A role as the office calls its holder in running text (their title in the roster)."""
    return settings.office.role_title(role)


def _block(queue: Queue, settings: Settings, data: dict[str, Any], step: Step, today: date,
           options: dict[str, str | None]) -> dict[str, Any]:
    """What can be known of the step's block (its `isian` in the SOP file); the rest is left as `ISI: ...`."""
    signed = WorkCalendar.for_office(settings.office).effective_day(today)  # a letter is dated on a working day
    try:
        return sop_rules.fill(step, data, settings.office.subdivisions, today, signed, options,
                              lambda kind, day: next_letter(queue, settings, kind, day))
    except sop_rules.FillError as error:
        raise WorkflowError(str(error)) from None


def advance(repo: Repository, settings: Settings, record_id: str, person: Person, now: datetime,
            options: dict[str, str | None]) -> Done:
    """`pengaduan lanjut`: the next step of a record, on the right branch, by someone allowed to take it."""
    with repo.numbering():
        queue = read_queue(repo.path)
        path, commit, current, open_branch, tip = _find(repo, queue, record_id)
        raw = repo.read(commit, path)
        if raw is None:  # the queue found it at that commit; only a concurrent rewrite could lose it
            raise WorkflowError(f"{path} tidak ada lagi di {tip[:10]}; jalankan ulang perintahnya.")
        text = raw.decode("utf-8")
        data = yamlio.load_mapping(text.encode())
        sop = settings.sop(data["versi_sop"]) or settings.current_sop
        if current >= sop.last_step:
            raise WorkflowError(f"{record_id} sudah selesai (langkah {sop.last_step}).")
        step = sop.step(current + 1)
        target = sop_rules.target_of(data)
        role = settings.role_name(sop, step.role, target)
        if step.branch == "baru" and open_branch:
            waiting = sop.step(current)
            raise WorkflowError(f"{record_id} menunggu pull request {open_branch} (langkah {current}: "
                                f"{waiting.title}) disetujui dan digabungkan {_approvers(settings, sop)}; langkah "
                                "berikutnya dimulai setelah itu.")
        if step.branch == "sama" and not open_branch:
            raise WorkflowError(f"langkah {step.number} ({step.title}) dikerjakan di pull request langkah "
                                f"sebelumnya, tetapi tidak ada cabang {record_id}-langkah-* yang terbuka.")
        if not _may(person, sop, step, target):
            raise WorkflowError(f"langkah {step.number} ({step.title}) dilakukan oleh {role}; {person.name} "
                                f"({person.title}) tidak memegang peran itu. {record_id} sedang menunggu {role}.")
        block = _block(queue, settings, data, step, now.astimezone(WIB).date(), options)
        updated = yamlio.edit(text, {"langkah": step.number, **({step.block: block} if step.block else {})},
                              before="koreksi")  # a step without a block of its own only moves `langkah`
        branch = open_branch or f"{record_id}-langkah-{step.number}"
        sha = repo.commit(branch, commit, {path: updated.encode()}, f"{record_id}: langkah {step.number} — "
                          f"{step.title}\n", person, now, expected=repo.local_tip(branch) if open_branch else None)
    chief = settings.office.head_of(settings.office.hukum)
    actions = [f"git push -u origin {branch}"]
    if PLACEHOLDER in updated:
        actions.insert(0, f"git switch {branch}   # lengkapi bagian bertanda `{PLACEHOLDER}` di {path}, lalu "
                          "git commit -am \"lengkapi\"")
    if step.is_disposition:
        actions.append(f"Setujui dan gabungkan pull request {branch} (merge commit): penggabungan inilah "
                       f"disposisi Anda (langkah {step.number}).")
    elif (following := sop_rules.next_step(sop, step)) is not None and following.branch == "sama":
        actions.append(f"Langkah berikutnya ({following.title}) oleh "
                       f"{settings.role_name(sop, following.role, target)} di cabang yang sama: "
                       f"pengaduan lanjut {record_id}")
    else:
        actions.append(f"Buka pull request {branch} → main; yang menyetujui dan menggabungkan: {chief.name} "
                       f"({_approvers(settings, sop)}), dengan merge commit.")
    return Done(record_id, branch, sha, step.number, actions)


def _approvers(settings: Settings, sop: Sop) -> str:
    return " atau ".join(dict.fromkeys(_short(settings, s.role) for s in sop_rules.dispositions(sop)))


def collisions(repo: Repository, branch: str) -> list[tuple[str, str, str, str]]:
    """(record id, path, kind, the main record holding the same number) for records this branch adds or changes."""
    tip = repo.ref(branch)
    if tip is None:
        raise WorkflowError(f"cabang {branch} tidak ada.")
    changes = changed_records(repo, tip)
    added = {path for path, new in changes if new}
    held: dict[tuple[str, tuple[object, ...]], str] = {}
    for path, entry in entries_on(repo.path, MAIN).items():
        for kind, number in unique_of(entry):
            held[(register_of(kind), number)] = path
    found = []
    for path in sorted({path for path, _ in changes}):
        raw = repo.read(tip, path)
        for kind, number in unique_of(parse_entry(raw)) if raw is not None else ():
            owner = held.get((register_of(kind), number))
            if owner and (owner != path or path in added):  # same path added twice: two complaints, one number
                found.append((Path(path).stem, path, kind, owner))
    return found


def renumber(repo: Repository, settings: Settings, record_id: str, person: Person, now: datetime) -> Done:
    """`pengaduan nomor-ulang`: give this branch's record the next free numbers for whatever collides with main."""
    with repo.numbering():
        return _renumber(repo, settings, record_id, person, now)


def _renumber(repo: Repository, settings: Settings, record_id: str, person: Person, now: datetime) -> Done:
    queue = read_queue(repo.path)
    branches = sorted({branch.name for _, _, branch in queue.find(record_id) if branch}  # its record changed there
                      | {b.name for b in queue.branches if b.name.startswith(f"{record_id}-langkah-")})  # or named
    if not branches:
        raise WorkflowError(f"tidak ada cabang terbuka {record_id}-langkah-*; nomor yang sudah di main tidak boleh "
                            "diubah.")
    branch = branches[-1]
    commit = repo.ref(branch)
    if commit is None:
        raise WorkflowError(f"cabang {branch} tidak ada.")
    found = [c for c in collisions(repo, branch) if c[0] == record_id]
    if not found:
        raise WorkflowError(f"nomor {record_id} di cabang {branch} tidak bentrok dengan main.")
    path, kinds = found[0][1], {c[2] for c in found}
    raw = repo.read(commit, path)
    if raw is None:  # collisions() read it at this commit
        raise WorkflowError(f"{path} tidak ada di cabang {branch}.")
    step = yamlio.load_mapping(raw)["langkah"]
    if not kinds:
        raise WorkflowError(f"nomor {record_id} di cabang {branch} tidak bentrok dengan main.")
    text = raw.decode("utf-8")
    data = yamlio.load_mapping(text.encode())
    changes: dict[str, Any] = {}
    files: dict[str, bytes | Path | None] = {}
    new_id, new_path, new_branch = record_id, path, branch
    received = datetime.fromisoformat(data["diterima"]["waktu"])
    if kinds & {"id", "agenda"}:
        sequence, agenda = next_numbers(queue, settings, received.astimezone(WIB).year)
        if "id" in kinds:
            new_id = settings.office.registration_number(received.year, sequence)
            new_path = record_path(new_id, received)
            new_branch = branch.replace(record_id, new_id, 1)
            changes["id"] = new_id
        if "agenda" in kinds or "id" in kinds:
            changes["diterima"] = {**data["diterima"], "nomor_agenda": agenda}
    for kind in sorted(kinds & settings.office.letter_patterns.keys()):  # the letters whose numbers collided
        block = data[kind]
        changes[kind] = {**block, "nomor": next_letter(queue, settings, kind, date.fromisoformat(block["tanggal"]))}
    files[new_path] = yamlio.edit(text, changes).encode()
    if new_path != path:
        files[path] = None
        old_folder, new_folder = attachment_dir(path) + "/", attachment_dir(new_path) + "/"
        try:
            folder = list(commit.tree[old_folder[:-1]].traverse())
        except KeyError:
            folder = []
        for blob in folder:
            if blob.type == "blob":
                files[new_folder + blob.path[len(old_folder):]] = blob.data_stream.read()
                files[blob.path] = None
    sha = repo.commit(new_branch, commit, files, f"{new_id}: nomor ulang (semula {record_id}), karena nomor yang "
                      f"sama sudah dipakai di main: {', '.join(sorted(kinds))}\n", person, now,
                      expected=repo.local_tip(branch) if new_branch == branch else None)
    actions = [f"git push -u origin {new_branch}"]
    if new_branch != branch and repo.local_tip(branch):
        repo.git.delete_head(branch, force=True)
        actions += [f"git push origin --delete {branch}   # tutup pull request lama",
                    f"Buka pull request {new_branch} → main."]
    return Done(new_id, new_branch, sha, step, actions)
