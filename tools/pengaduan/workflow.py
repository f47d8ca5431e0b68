"""Staff tooling on Git: new complaints, the next SOP step, and number collisions.

Commits are built with GitPython on a temporary index and only move the
target branch: the working tree and the branch checked out are never touched,
so a batch of e-mails or a step prepared for someone else cannot disturb
anyone's work. Edits are round trips (ruamel.yaml): comments, key order and
quoting that staff wrote by hand stay as they were.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import git
from gitdb.base import IStream
from ruamel.yaml import YAML

from . import yamlio
from .calendar import WorkCalendar
from .config import Person, Settings, Sop, number_pattern
from .history import record_paths_on, records_on
from .intake import Intake, body_fingerprint, record_data
from .records import PLACEHOLDER, SCHEMA_COMMENT, attachment_dir, is_record_path, record_path

MAIN = "main"
_AGENDA = re.compile(rb"(?m)^\s+nomor_agenda:\s*(\d+)\s*$")
_MESSAGE_ID = re.compile(rb"(?m)^\s+message_id:\s*\"?(.*?)\"?\s*$")


class WorkflowError(Exception):
    """A step that cannot be taken; the message says why and what to do."""


@dataclass(frozen=True)
class Done:
    record_id: str
    branch: str
    commit: str
    step: int
    next_actions: list[str]


def _round_trip() -> YAML:
    handler = YAML(typ="rt")
    handler.preserve_quotes = True
    handler.indent(mapping=2, sequence=4, offset=2)
    handler.width = 4096
    return handler


def _fragment(key: str, value):
    """`value` as ruamel nodes written by our emitter: quoted wherever YAML 1.1 would misread it."""
    return _round_trip().load(yamlio.dump({key: value}))[key]


def edit_record(text: str, changes: dict, before: str | None = None) -> str:
    """Set top-level keys in a record's text, keeping everything else exactly as written."""
    handler = _round_trip()
    document = handler.load(text)
    for key, value in changes.items():
        node = _fragment(key, value)
        if key in document:
            document[key] = node
        elif before and before in document:
            document.insert(list(document).index(before), key, node)
        else:
            document[key] = node
    out = io.StringIO()
    handler.dump(document, out)
    return out.getvalue()


class Repository:
    def __init__(self, path: Path):
        try:
            self.git = git.Repo(path)
        except (git.InvalidGitRepositoryError, git.NoSuchPathError):
            raise WorkflowError(f"{path} bukan repositori Git; jalankan dari folder repositori pengaduan.") from None
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

    def branches(self, prefix: str) -> list[str]:
        names = {h.name for h in self.git.heads if h.name.startswith(prefix)}
        names |= {r.remote_head for r in self.git.remotes[0].refs if r.remote_head.startswith(prefix)} \
            if self.git.remotes else set()
        return sorted(names)

    def read(self, commit: git.Commit, path: str) -> bytes | None:
        try:
            return commit.tree[path].data_stream.read()
        except KeyError:
            return None

    def _store(self, content: bytes | Path) -> bytes:
        """A blob from bytes, or streamed from a file (a large attachment never sits in memory)."""
        if isinstance(content, Path):
            with content.open("rb") as handle:
                return self.git.odb.store(IStream("blob", content.stat().st_size, handle)).binsha
        return self.git.odb.store(IStream("blob", len(content), io.BytesIO(content))).binsha

    def commit(self, branch: str, parent: git.Commit, files: dict[str, bytes | Path | None], message: str,
               person: Person, when: datetime) -> str:
        """A commit of `files` (None deletes) on top of `parent`, moving only `branch`."""
        if not self.git.head.is_detached and self.git.head.ref.name == branch:
            raise WorkflowError(f"cabang {branch} sedang dibuka di folder ini; pindah dulu: git switch main")
        index = git.IndexFile.from_tree(self.git, parent)  # in memory: the real index is never touched
        for path, content in files.items():
            index.entries.pop((path, 0), None)
            if content is not None:
                sha = self._store(content)
                index.entries[(path, 0)] = git.IndexEntry.from_base(git.BaseIndexEntry((0o100644, sha, 0, path)))
        tree = index.write_tree()
        actor = git.Actor(person.name, person.emails[0])
        commit = git.Commit.create_from_tree(self.git, tree, message, parent_commits=[parent], head=False,
                                             author=actor, committer=actor, author_date=when, commit_date=when)
        self.git.create_head(branch, commit, force=True)
        return commit.hexsha


def changed_records(repo: Repository, tip: git.Commit) -> list[tuple[str, bool]]:
    """(path, added?) of record files the branch at `tip` changed since it left main."""
    base = repo.git.merge_base(tip, repo.main())[0]
    return [(d.b_path, d.new_file) for d in base.diff(tip) if d.b_path and is_record_path(d.b_path)]


def _sequence(pattern: re.Pattern, text: str) -> int | None:
    match = pattern.match(text)
    return int(match["urut"]) if match else None


def next_numbers(repo: Repository, settings: Settings, year: int) -> tuple[int, int]:
    """Next tracking and agenda numbers of `year`: after every number on main and on open branches."""
    pattern = settings.office.registration_regex()
    on_main = records_on(repo.path, MAIN, f"records/{year:04d}/")
    used = [_sequence(pattern, Path(path).stem) or 0 for path in on_main]
    used += [_sequence(pattern, name.split("-langkah-")[0]) or 0 for name in repo.branches("")
             if "-langkah-" in name and f"-{year}-" in name]
    agendas = [int(m) for raw in on_main.values() for m in _AGENDA.findall(raw)]
    for name in repo.branches(""):
        commit = repo.ref(name) if "-langkah-2" in name and f"-{year}-" in name else None
        for path, _ in changed_records(repo, commit) if commit else ():
            if path.startswith(f"records/{year:04d}/"):
                agendas += [int(m) for m in _AGENDA.findall(repo.read(commit, path) or b"")]
    return max(used, default=0) + 1, max(agendas, default=0) + 1


def next_letter(repo: Repository, settings: Settings, kind: str, on: date) -> str:
    """The next number of a kind of nota dinas in `on`'s year; a number used on main is never reissued."""
    pattern = re.compile(number_pattern(settings.office.letter_patterns[kind], on.year))
    texts = [raw.decode("utf-8", "replace") for raw in records_on(repo.path, MAIN).values()]
    used = [int(m["urut"]) for text in texts for m in pattern.finditer(text)]
    return settings.office.letter_number(kind, on, max(used, default=0) + 1)


def _duplicate(intake: Intake, on_main: dict[str, bytes]) -> str | None:
    """The record already registered for this e-mail: same Message-ID, or same sender and text."""
    for path, raw in on_main.items():
        if intake.message_id and intake.message_id.encode() in raw:
            found = _MESSAGE_ID.search(raw)
            if found and found.group(1).decode() == intake.message_id:
                return Path(path).stem
        if intake.email and intake.email.encode() in raw:
            data = yamlio.load_mapping(raw)
            if body_fingerprint(data["pelapor"].get("email", ""), data["uraian"]) == intake.fingerprint():
                return data["id"]
    return None


def register(repo: Repository, settings: Settings, intakes: list[tuple[str, Intake]], person: Person,
             now: datetime) -> list[Done]:
    """`pengaduan baru`: one branch `ID-langkah-2` per complaint, each from main; all checked before any is made."""
    sop = settings.current_sop
    if "staf_pelaksana" not in person.roles:
        raise WorkflowError(f"{person.name} bukan staf pelaksana; pencatatan pengaduan (langkah 2) dilakukan staf "
                            "pelaksana.")
    on_main = records_on(repo.path, MAIN)
    seen: dict[str, str] = {}
    for source, intake in intakes:
        existing = _duplicate(intake, on_main)
        if existing:
            raise WorkflowError(f"{source}: surel ini sudah tercatat sebagai {existing}.")
        key = intake.message_id or intake.fingerprint()
        if key in seen:
            raise WorkflowError(f"{source}: surel yang sama dengan {seen[key]}.")
        seen[key] = source
        if intake.received is None:
            raise WorkflowError(f"{source}: surel tidak punya tanggal (kepala Date); sebut waktunya dengan --waktu.")
    main = repo.main()
    done, numbers = [], {}
    for source, intake in intakes:
        year = intake.received.year
        if year not in numbers:
            numbers[year] = next_numbers(repo, settings, year)
        sequence, agenda = numbers[year]
        numbers[year] = (sequence + 1, agenda + 1)
        record_id = settings.office.registration_number(year, sequence)
        path = record_path(record_id, intake.received)
        data = record_data(intake, record_id, agenda, sop.version, intake.received)
        files = {path: yamlio.dump(data, SCHEMA_COMMENT).encode()}
        files.update({f"{attachment_dir(path)}/{name}": content for name, content in intake.files.items()})
        branch = f"{record_id}-langkah-2"
        sha = repo.commit(branch, main, files, f"{record_id}: langkah 2 — {sop.step(2).title}\n\nSumber: {source}\n",
                          person, now)
        unfilled = sum(1 for line in files[path].decode().splitlines() if PLACEHOLDER in line)
        done.append(Done(record_id, branch, sha, 2, [
            f"git switch {branch}   # lalu lengkapi {unfilled} bagian bertanda `{PLACEHOLDER}` di {path}, dan "
            "tulis `perihal_dinas` (perihal resmi, orang ketiga) untuk nota dinas",
            "pengaduan periksa",
            f"pengaduan tanda-terima {record_id}   # tanda terima untuk pelapor (PDF dan .eml), lalu "
            f"pengaduan terkirim {record_id} --surat tanda-terima",
            f"git commit -am \"{record_id}: lengkapi pencatatan\"",
            f"git push -u origin {branch}",
            f"Buka pull request {branch} → main; Kasubbag Hukum memberi disposisi (langkah 3) dengan "
            f"`pengaduan lanjut {record_id}` lalu menyetujui dan menggabungkannya (merge commit).",
        ]))
    return done


def _find(repo: Repository, record_id: str) -> tuple[str, git.Commit, int, str | None]:
    """(path, commit holding the latest version, its step, open branch or None)."""
    branches = [b for b in repo.branches(f"{record_id}-langkah-") if repo.ref(b) is not None]
    main = repo.main()
    on_main = [path for path in record_paths_on(repo.path, MAIN) if Path(path).stem == record_id]
    latest: tuple[str, git.Commit, int, str | None] | None = None
    if on_main:
        raw = repo.read(main, on_main[0])
        latest = (on_main[0], main, yamlio.load_mapping(raw)["langkah"], None)
    for branch in branches:
        commit = repo.ref(branch)
        if repo.git.is_ancestor(commit, main):
            continue  # merged already
        for path in ([latest[0]] if latest else []) + [p for p, _ in changed_records(repo, commit)
                                                          if Path(p).stem == record_id]:
            raw = repo.read(commit, path)
            if raw is not None:
                step = yamlio.load_mapping(raw)["langkah"]
                if latest is None or step > latest[2]:
                    latest = (path, commit, step, branch)
                break
    if latest is None:
        raise WorkflowError(f"pengaduan {record_id} tidak ditemukan di main maupun di cabang {record_id}-langkah-*.")
    return latest


def _may(person: Person, sop: Sop, step, target: str) -> bool:
    if sop.roles[step.role]["jenis"] == "sub_bagian_tujuan":
        return person.subdivision == target
    return step.role in person.roles


def _block(repo: Repository, settings: Settings, data: dict, number: int, today: date, options: dict) -> dict:
    """What can be known of the step's block; the rest is left as `ISI: ...`."""
    office = settings.office
    target = data.get("disposisi", {}).get("diteruskan_kepada", "")
    if number == 3:
        kepada = options.get("kepada")
        if kepada not in office.subdivisions:
            raise WorkflowError("disposisi perlu sub bagian tujuan: --kepada " + "|".join(office.subdivisions))
        return {"sifat": options.get("sifat") or "segera", "diteruskan_kepada": kepada,
                "instruksi": options.get("instruksi") or "Harap dicermati dan dibuatkan nota dinas tindak lanjut "
                                                         f"kepada {office.subdivisions[kepada]}."}
    signed = WorkCalendar.for_office(office).effective_day(today)  # a letter is dated on a working day
    if number == 4:  # the template already names the complaint, its date and agenda number
        return {"nomor": next_letter(repo, settings, "nota_dinas_tindak_lanjut", signed), "tanggal": signed.isoformat(),
                "hal": f"Tindak lanjut pengaduan masyarakat {data['id']}",
                "isi": "Bersama ini kami teruskan surat pengaduan beserta lampirannya untuk dicermati dan "
                       f"ditindaklanjuti sesuai kewenangan {office.subdivisions.get(target, target)}."}
    if number == 5:
        return {"nomor": next_letter(repo, settings, "nota_dinas_balasan", signed), "tanggal": signed.isoformat(),
                "hal": f"Jawaban tindak lanjut pengaduan {data['id']}",
                "isi": f"{PLACEHOLDER} jawaban tindak lanjut dari {office.subdivisions.get(target, target)}"}
    if number == 6:
        return {"diterima_tanggal": today.isoformat()}
    if number == 7:
        return {"instruksi": options.get("instruksi") or "Harap dicatat dan direkap untuk bahan laporan kegiatan."}
    if number == 8:
        return {"hasil": f"{PLACEHOLDER} ditindaklanjuti, dijawab, diteruskan ke instansi lain, atau "
                         "tidak dapat ditindaklanjuti",
                "catatan": data.get("nota_dinas_balasan", {}).get("isi", f"{PLACEHOLDER} catatan rekap")}
    raise WorkflowError(f"langkah {number} tidak punya isian.")


def advance(repo: Repository, settings: Settings, record_id: str, person: Person, now: datetime,
            options: dict) -> Done:
    """`pengaduan lanjut`: the next step of a record, on the right branch, by someone allowed to take it."""
    path, commit, current, open_branch = _find(repo, record_id)
    text = repo.read(commit, path).decode("utf-8")
    data = yamlio.load_mapping(text.encode())
    sop = settings.sop(data["versi_sop"]) or settings.current_sop
    if current >= sop.last_step:
        raise WorkflowError(f"{record_id} sudah selesai (langkah {sop.last_step}).")
    step = sop.step(current + 1)
    target = data.get("disposisi", {}).get("diteruskan_kepada", "")
    role = settings.role_name(sop, step.role, target)
    if step.branch == "baru" and open_branch:
        waiting = sop.step(current)
        raise WorkflowError(f"{record_id} menunggu pull request {open_branch} (langkah {current}: {waiting.title}) "
                            "disetujui dan digabungkan Kasubbag Hukum; langkah berikutnya dimulai setelah itu.")
    if step.branch == "sama" and not open_branch:
        raise WorkflowError(f"langkah {step.number} ({step.title}) dikerjakan di pull request langkah sebelumnya, "
                            f"tetapi tidak ada cabang {record_id}-langkah-* yang terbuka.")
    if not _may(person, sop, step, target):
        raise WorkflowError(f"langkah {step.number} ({step.title}) dilakukan oleh {role}; {person.name} "
                            f"({person.title}) tidak memegang peran itu. {record_id} sedang menunggu {role}.")
    block = _block(repo, settings, data, step.number, now.date(), options)
    updated = edit_record(text, {"langkah": step.number, step.block: block}, before="koreksi")
    branch = open_branch or f"{record_id}-langkah-{step.number}"
    parent = repo.ref(open_branch) if open_branch else repo.main()
    sha = repo.commit(branch, parent, {path: updated.encode()}, f"{record_id}: langkah {step.number} — "
                      f"{step.title}\n", person, now)
    chief = settings.office.head_of(settings.office.hukum)
    actions = [f"git push -u origin {branch}"]
    if PLACEHOLDER in updated:
        actions.insert(0, f"git switch {branch}   # lengkapi bagian bertanda `{PLACEHOLDER}` di {path}, lalu "
                          "git commit -am \"lengkapi\"")
    if step.is_disposition:
        actions.append(f"Setujui dan gabungkan pull request {branch} (merge commit): penggabungan inilah "
                       f"disposisi Anda (langkah {step.number}).")
    elif step.number + 1 <= sop.last_step and sop.step(step.number + 1).branch == "sama":
        following = sop.step(step.number + 1)
        actions.append(f"Langkah berikutnya ({following.title}) oleh "
                       f"{settings.role_name(sop, following.role, target)} di cabang yang sama: "
                       f"pengaduan lanjut {record_id}")
    else:
        actions.append(f"Buka pull request {branch} → main; yang menyetujui dan menggabungkan: {chief.name} "
                       "(Kasubbag Hukum), dengan merge commit.")
    return Done(record_id, branch, sha, step.number, actions)


def _numbers(raw: bytes, path: str) -> dict[str, tuple]:
    """The numbers a record holds that no other record may hold (see records.unique_numbers)."""
    from .records import unique_numbers
    try:
        data = yamlio.load_mapping(raw)
        return {kind: number for kind, number in unique_numbers(data)}
    except (yamlio.YamlProblem, KeyError, TypeError, ValueError):
        return {}


def collisions(repo: Repository, branch: str) -> list[tuple[str, str, str, str]]:
    """(record id, path, kind, the main record holding the same number) for records this branch adds or changes."""
    tip = repo.ref(branch)
    if tip is None:
        raise WorkflowError(f"cabang {branch} tidak ada.")
    changes = changed_records(repo, tip)
    changed = {path for path, _ in changes}
    added = {path for path, new in changes if new}
    held: dict[tuple, str] = {}
    for path, raw in records_on(repo.path, MAIN).items():
        for kind, number in _numbers(raw, path).items():
            held[("nota" if kind.startswith("nota") else kind, number)] = path
    found = []
    for path in sorted(changed):
        raw = repo.read(tip, path)
        for kind, number in _numbers(raw or b"", path).items():
            owner = held.get(("nota" if kind.startswith("nota") else kind, number))
            if owner and (owner != path or path in added):  # same path added twice: two complaints, one number
                found.append((Path(path).stem, path, kind, owner))
    return found


def renumber(repo: Repository, settings: Settings, record_id: str, person: Person, now: datetime) -> Done:
    """`pengaduan nomor-ulang`: give this branch's record the next free numbers for whatever collides with main."""
    main = repo.main()
    branches = [b for b in repo.branches(f"{record_id}-langkah-") if not repo.git.is_ancestor(repo.ref(b), main)]
    if not branches:
        raise WorkflowError(f"tidak ada cabang terbuka {record_id}-langkah-*; nomor yang sudah di main tidak boleh "
                            "diubah.")
    branch = branches[-1]
    commit = repo.ref(branch)
    found = [c for c in collisions(repo, branch) if c[0] == record_id]
    if not found:
        raise WorkflowError(f"nomor {record_id} di cabang {branch} tidak bentrok dengan main.")
    path, kinds = found[0][1], {c[2] for c in found}
    step = yamlio.load_mapping(repo.read(commit, path))["langkah"]
    if not kinds:
        raise WorkflowError(f"nomor {record_id} di cabang {branch} tidak bentrok dengan main.")
    text = repo.read(commit, path).decode("utf-8")
    data = yamlio.load_mapping(text.encode())
    changes, files = {}, {}
    new_id, new_path, new_branch = record_id, path, branch
    received = datetime.fromisoformat(data["diterima"]["waktu"])
    if kinds & {"id", "agenda"}:
        sequence, agenda = next_numbers(repo, settings, received.year)
        if "id" in kinds:
            new_id = settings.office.registration_number(received.year, sequence)
            new_path = record_path(new_id, received)
            new_branch = branch.replace(record_id, new_id, 1)
            changes["id"] = new_id
        if "agenda" in kinds or "id" in kinds:
            changes["diterima"] = {**data["diterima"], "nomor_agenda": agenda}
    for kind in ("nota_dinas_tindak_lanjut", "nota_dinas_balasan"):
        if kind in kinds:
            block = data[kind]
            changes[kind] = {**block, "nomor": next_letter(repo, settings, kind, date.fromisoformat(block["tanggal"]))}
    files[new_path] = edit_record(text, changes).encode()
    if new_path != path:
        files[path] = None
        old_folder, new_folder = attachment_dir(path) + "/", attachment_dir(new_path) + "/"
        for blob in commit.tree.traverse():
            if blob.type == "blob" and blob.path.startswith(old_folder):
                files[new_folder + blob.path[len(old_folder):]] = blob.data_stream.read()
                files[blob.path] = None
    sha = repo.commit(new_branch, commit, files, f"{new_id}: nomor ulang (semula {record_id}), karena nomor yang "
                      f"sama sudah dipakai di main: {', '.join(sorted(kinds))}\n", person, now)
    actions = [f"git push -u origin {new_branch}"]
    if new_branch != branch:
        repo.git.delete_head(branch, force=True)
        actions += [f"git push origin --delete {branch}   # tutup pull request lama",
                    f"Buka pull request {new_branch} → main."]
    return Done(new_id, new_branch, sha, step, actions)
