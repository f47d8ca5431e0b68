"""A demo repository: about a year of synthetic complaints, walked through the SOP in real Git.

One branch per piece of work, commits by staff, merge commits by the Kasubbag for
dispositions, some late steps, some still open. Written through one `git
fast-import` process (one `git` process per commit does not scale to 10,000
records). Deterministic for a given seed and end date.
"""
from __future__ import annotations

import hashlib
import random
import struct
import subprocess
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import IO, Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from . import data
from .core import yamlio
from .core import sop as sop_rules
from .core.config import CONFIG_DIR, OFFICE_FILE, ConfigError, Person, Settings, check_config
from .core.evidence import sign_ssh, signed_commit, ssh_public_line
from .core.records import SCHEMA_COMMENT, attachment_dir, record_path
from .core.schema import PLACEHOLDER
from .forge import NOTES_REF, Approval, evidence_note
from .history.calendar import WIB, WorkCalendar
from .history.reader import read_blobs_raw
from .office import SCHEMA_DIR, layered_files, schema_files

SCHEMA_FILE = f"{SCHEMA_DIR}/record.schema.json"
FORGE_COMMITTER = "GitHub <noreply@github.com>"
FORGE_KEY_FILE = "kunci/forge-demo.pub"  # under tools/config/
FORGE_PRIVATE_KEY = Path("pengaduan-demo") / "forge-demo"  # under .git: the demo forge's signing key
ORGANISATION = "kpu-pulangpisau"

_FIRST = ["Ahmad", "Budi", "Citra", "Dedi", "Eka", "Fitri", "Gusti", "Hendra", "Indah", "Joko", "Kartini", "Lestari",
          "Maria", "Nanda", "Oktavia", "Putu", "Rizki", "Sari", "Teguh", "Usman", "Wulan", "Yanti", "Zainal", "Desi"]
_LAST = ["Saputra", "Wijaya", "Lestari", "Santoso", "Nugroho", "Rahayu", "Hidayat", "Pratama", "Utami", "Kurniawan",
         "Siregar", "Simanjuntak", "Ginting", "Tarigan", "Ningsih", "Setiawan"]
_PLACES = ["Kahayan Hilir", "Maliku", "Pandih Batu", "Sebangau Kuala", "Jabiren Raya", "Kahayan Tengah",
           "Banama Tingang", "Kahayan Kuala"]
# category -> (target sub bagian, [(perihal, uraian, ringkasan)]); {tempat} and {tps} are filled in.
_TOPICS = {
    "daftar-pemilih": ("perencanaan", [
        ("Nama tidak terdaftar dalam DPT", "Saya sudah berusia 17 tahun dan tinggal di Kecamatan {tempat}, tetapi "
         "nama saya tidak ada dalam Daftar Pemilih Tetap di TPS {tps}.\nMohon agar dapat diperiksa dan dibantu.",
         "Pemilih di Kecamatan {tempat} melaporkan namanya tidak tercantum dalam DPT TPS {tps}."),
        ("Pemilih meninggal masih terdaftar", "Orang tua saya sudah meninggal dunia dua tahun lalu namun masih "
         "tercantum dalam daftar pemilih di TPS {tps} Kecamatan {tempat}.",
         "Laporan pemilih yang telah meninggal dunia masih tercantum dalam daftar pemilih TPS {tps}, {tempat}."),
    ]),
    "logistik-tps": ("umum", [
        ("Lokasi TPS sulit dijangkau", "Lokasi TPS {tps} di Kecamatan {tempat} berada di seberang sungai dan sulit "
         "dijangkau oleh pemilih lanjut usia. Mohon dipertimbangkan pemindahan lokasi.",
         "Usulan pemindahan lokasi TPS {tps} di Kecamatan {tempat} karena sulit dijangkau."),
        ("Kotak suara rusak", "Kami melihat kotak suara di gudang logistik Kecamatan {tempat} dalam keadaan rusak "
         "dan terkena air hujan.", "Laporan kotak suara rusak di gudang logistik Kecamatan {tempat}."),
    ]),
    "etika-petugas": ("teknis", [
        ("Perilaku petugas KPPS", "Petugas KPPS di TPS {tps} Kecamatan {tempat} bersikap tidak ramah dan "
         "membentak pemilih saat pemungutan suara ulang.",
         "Laporan perilaku tidak patut petugas KPPS di TPS {tps}, {tempat}."),
        ("Anggota PPS diduga berpihak", "Salah satu anggota PPS di Kecamatan {tempat} diduga mengunggah dukungan "
         "kepada peserta pemilu di media sosial.",
         "Dugaan ketidaknetralan anggota PPS di Kecamatan {tempat}."),
    ]),
    "permohonan-informasi": ("perencanaan", [
        ("Permohonan salinan rekapitulasi", "Kami memohon salinan hasil rekapitulasi perolehan suara tingkat "
         "kecamatan untuk Kecamatan {tempat} untuk keperluan penelitian.",
         "Permohonan salinan hasil rekapitulasi tingkat Kecamatan {tempat}."),
        ("Jadwal rekrutmen badan ad hoc", "Mohon informasi jadwal dan persyaratan rekrutmen PPK dan PPS di "
         "Kecamatan {tempat}.", "Permintaan informasi jadwal rekrutmen badan ad hoc di Kecamatan {tempat}."),
    ]),
    "pencalonan": ("teknis", [
        ("Syarat dukungan calon perseorangan", "Kami menanyakan tata cara verifikasi faktual dukungan calon "
         "perseorangan di Kecamatan {tempat} karena petugas datang tanpa pemberitahuan.",
         "Pertanyaan tata cara verifikasi faktual dukungan calon perseorangan di {tempat}."),
    ]),
    "lainnya": ("umum", [
        ("Saran pelayanan kantor", "Ruang tunggu pelayanan di kantor KPU kurang nyaman dan papan informasi sudah "
         "tidak terbaca.", "Saran perbaikan ruang tunggu dan papan informasi kantor."),
    ]),
}
_REPLIES = {
    "perencanaan": "Telah dilakukan pencocokan data pemilih dan hasilnya disampaikan kepada pelapor.",
    "umum": "Telah dilakukan pemeriksaan lapangan dan perbaikan sarana sesuai kewenangan.",
    "teknis": "Telah dilakukan klarifikasi kepada badan ad hoc terkait dan diberikan pembinaan.",
    "hukum": "Telah dilakukan kajian dan tanggapan disampaikan kepada pelapor.",
}
_RESULTS = ["ditindaklanjuti", "ditindaklanjuti", "dijawab", "dijawab", "diteruskan ke instansi lain",
            "tidak dapat ditindaklanjuti"]
_CHANNELS = ["email"] * 6 + ["surat", "surat", "langsung", "telepon", "lapor", "lapor"]


@dataclass
class _Commit:
    when: datetime
    author: Person
    step: int


@dataclass
class _PullRequest:
    record: "_Complaint"
    commits: list[_Commit]
    merged_at: datetime | None
    merger: Person
    number: int = 0
    branch_mark: int = 0
    data: dict[str, Any] = field(default_factory=dict)
    files: dict[str, int] = field(default_factory=dict)  # path -> blob mark, re-stated in the merge commit

    @property
    def branch(self) -> str:
        return f"{self.record.id}-langkah-{self.commits[0].step}"


@dataclass
class _Complaint:
    id: str
    arrival: datetime
    agenda: int
    category: str
    target: str
    topic: tuple[str, str, str]  # perihal, uraian, ringkasan, with {tempat} and {tps} to fill
    place: str
    tps: int
    channel: str
    secrecy: str
    name: str
    attachment: bool
    data: dict[str, Any] | None = None  # as on main

    @property
    def path(self) -> str:
        return record_path(self.id, self.arrival)


class _Clock:
    """Working-hours times for the next piece of work; sometimes late."""

    def __init__(self, rng: random.Random, calendar: WorkCalendar, late_rate: float):
        self.rng, self.calendar, self.late_rate = rng, calendar, late_rate

    def after(self, previous: datetime) -> datetime:
        day = self.calendar.effective_day(previous.date())
        lag = self.rng.choice([2, 2, 3, 5]) if self.rng.random() < self.late_rate else self.rng.choice([0, 1, 1])
        day = self.calendar.add_working_days(day, lag)
        start = max(datetime.combine(day, time(8, 0), WIB), previous + timedelta(minutes=20))
        if start.hour >= 16:
            start = datetime.combine(self.calendar.add_working_days(day, 1), time(8, 0), WIB)
        span = int((datetime.combine(start.date(), time(16, 30), WIB) - start).total_seconds() // 60)
        return start + timedelta(minutes=self.rng.randrange(max(span, 1)))

    def soon(self, previous: datetime) -> datetime:
        return previous + timedelta(minutes=self.rng.randrange(10, 90))


def _plan(settings: Settings, count: int, rng: random.Random, until: date) -> list[_Complaint]:
    office = settings.office
    end = datetime.combine(until, time(23, 59), WIB)
    arrivals = sorted(end - timedelta(minutes=rng.randrange(365 * 24 * 60)) for _ in range(count))
    sequence: dict[int, int] = {}
    complaints = []
    for arrival in arrivals:
        sequence[arrival.year] = sequence.get(arrival.year, 0) + 1
        category = rng.choice(list(_TOPICS))
        target, topics = _TOPICS[category]
        complaints.append(_Complaint(
            office.registration_number(arrival.year, sequence[arrival.year]), arrival, sequence[arrival.year],
            category, target, rng.choice(topics), rng.choice(_PLACES), rng.randrange(1, 40), rng.choice(_CHANNELS),
            rng.choices(["terbuka", "anonim", "rahasia"], [6, 3, 1])[0],
            f"{rng.choice(_FIRST)} {rng.choice(_LAST)}", rng.random() < 0.2))
    return complaints


def _pull_requests(complaint: _Complaint, settings: Settings, clock: _Clock, rng: random.Random,
                   cutoff: datetime) -> list[_PullRequest]:
    """The complaint's pull requests as the SOP groups its steps, cut at `cutoff`; some complaints stall.

    A step with `cabang: baru` opens a pull request, `sama` continues it; a disposition is the merge itself (its
    commit just before), any other pull request is merged soon after its last commit.
    """
    office, sop = settings.office, settings.current_sop
    chief = office.with_role(sop_rules.disposition_step(sop).role)[0]
    steps = sop.steps[1:]
    staff = dict.fromkeys(step.role for step in steps
                          if step.role not in office.disposition_roles and not sop_rules.for_target(sop, step))
    people = {role: rng.choice(office.with_role(role)) for role in staff}
    people.update({role: office.with_role(role)[0] for role in office.disposition_roles if office.with_role(role)})
    stall_after = rng.randrange(2, sop.last_step) if rng.random() < 0.04 else 99
    times, merges, previous = {}, {}, complaint.arrival
    for step in steps:
        times[step.number] = previous = clock.after(previous)
        following = sop_rules.next_step(sop, step)
        if step.is_disposition:
            merges[step.number] = previous
        elif following is not None and following.branch == "baru":
            merges[step.number] = previous = clock.soon(previous)
    members = [p for p in office.people if p.subdivision == complaint.target]
    plans: list[tuple[list[_Commit], int]] = []
    for step in steps:
        at = times[step.number]
        if step.is_disposition and step.branch == "sama" and plans:  # its commit: just before the merge
            at = max(at - timedelta(minutes=5), plans[-1][0][-1].when + timedelta(minutes=1))
        author = rng.choice(members) if sop_rules.for_target(sop, step) else people[step.role]
        if step.branch == "baru" or not plans:
            plans.append(([], step.number))
        plans[-1][0].append(_Commit(at, author, step.number))
        plans[-1] = (plans[-1][0], step.number)
    merged_times = [merges.get(last) or clock.soon(times[last]) for _, last in plans]
    prs = []
    for (commits, _), merged_at in zip(plans, merged_times):
        kept = [c for c in commits if c.when <= cutoff and c.step <= stall_after]
        if not kept:
            break
        merged = len(kept) == len(commits) and merged_at <= cutoff
        prs.append(_PullRequest(complaint, kept, merged_at if merged else None, chief))
        if not merged:
            break
    return prs


class _Writer:
    """Streams commits into `git fast-import`."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        if process.stdin is None:
            raise ValueError("git fast-import needs stdin=PIPE")
        self.stream: IO[bytes] = process.stdin
        self.mark = 0

    def _data(self, payload: bytes) -> None:
        self.stream.write(b"data %d\n%s\n" % (len(payload), payload))

    def blob(self, payload: bytes) -> int:
        self.mark += 1
        self.stream.write(b"blob\nmark :%d\n" % self.mark)
        self._data(payload)
        return self.mark

    def commit(self, ref: str, author: str, committer: str, when: datetime, message: str,
               parents: list[int], files: dict[str, int]) -> int:
        self.mark += 1
        stamp = f"{int(when.timestamp())} +0700"
        head = f"commit {ref}\nmark :{self.mark}\nauthor {author} {stamp}\ncommitter {committer} {stamp}\n"
        self.stream.write(head.encode())
        self._data(message.encode())
        for index, parent in enumerate(parents):
            self.stream.write(f"{'from' if index == 0 else 'merge'} :{parent}\n".encode())
        for path, blob in files.items():
            self.stream.write(f"M 100644 :{blob} {path}\n".encode())
        self.stream.write(b"\n")
        return self.mark


def _identity(person: Person, forge: bool = False) -> str:
    email = person.emails[-1] if forge else person.emails[0]
    return f"{person.name} <{email}>"


class _Content:
    """The record's content at each step, with letter numbers drawn in time order."""

    def __init__(self, settings: Settings, rng: random.Random):
        self.settings, self.rng = settings, rng
        self.sequences: dict[tuple[str, int], int] = {}

    def _letter(self, kind: str, on: date) -> str:
        key = (kind, on.year)
        self.sequences[key] = self.sequences.get(key, 0) + 1
        return self.settings.office.letter_number(kind, on, self.sequences[key])

    def apply(self, complaint: _Complaint, data: dict[str, Any], number: int, when: datetime) -> dict[str, Any]:
        data = {**data, "langkah": number}
        rng, office, sop = self.rng, self.settings.office, self.settings.current_sop
        step = sop.step(number)
        if step == sop_rules.registration(sop):
            return self._registration(complaint, data)
        options: dict[str, str | None] = {"kepada": complaint.target}
        if any(isinstance(spec, dict) and spec.get("opsi") == "sifat" for spec in step.fields.values()):
            options["sifat"] = rng.choice(["segera", "segera", "biasa", "sangat segera"])
        block = sop_rules.fill(step, data, office.subdivisions, when.date(), when.date(), options, self._letter)
        if step.block:  # a step without a block of its own only moves `langkah`
            data[step.block] = {name: self._answer(complaint, name, value) for name, value in block.items()}
        return data

    def _answer(self, complaint: _Complaint, name: str, value: object) -> object:
        """What staff write where the SOP's `isian` leaves `ISI:` for them."""
        if not (isinstance(value, str) and value.startswith(PLACEHOLDER)):
            return value
        if name == "hasil":
            return self.rng.choice(_RESULTS)
        return _REPLIES[complaint.target] if name in ("isi", "catatan") else value[len(PLACEHOLDER):].strip()

    def _registration(self, complaint: _Complaint, data: dict[str, Any]) -> dict[str, Any]:
        rng = self.rng
        fill = {"tempat": complaint.place, "tps": complaint.tps}
        perihal, uraian, ringkasan = (text.format(**fill) for text in complaint.topic)
        received = {"waktu": complaint.arrival.isoformat(timespec="seconds"), "saluran": complaint.channel,
                    "nomor_agenda": complaint.agenda}
        if complaint.channel == "email":
            received["message_id"] = f"<{complaint.id.lower()}@mail.example>"
        if complaint.channel == "surat":
            received["nomor_surat"] = f"{rng.randrange(1, 99):02d}/{complaint.place.split()[0].upper()}/"\
                                      f"{complaint.arrival.year}"
            received["tanggal_surat"] = (complaint.arrival.date() - timedelta(days=2)).isoformat()
        login = complaint.name.lower().replace(" ", ".")
        data = {
            "id": complaint.id, "versi_sop": self.settings.current_sop.version, "langkah": data["langkah"],
            "diterima": received,
            "pelapor": {"kerahasiaan": complaint.secrecy, "nama": complaint.name,
                        "nik": "9" + "".join(str(rng.randrange(10)) for _ in range(15)),
                        "email": f"{login}@contoh.example", "telepon": f"0812-{rng.randrange(10**7, 10**8)}",
                        "alamat": f"Jalan Contoh No. {rng.randrange(1, 200)}, Kecamatan {complaint.place}"},
            "perihal": perihal, "uraian": uraian + "\n", "kategori": complaint.category,
            "ringkasan_publik": "" if complaint.secrecy == "rahasia" else ringkasan,
        }
        if complaint.attachment:
            data["lampiran"] = [{"berkas": "surat-pengaduan.txt", "keterangan": "Surat pengaduan yang diunduh"}]
        return data


def _with_demo_key(office_text: str, since: date) -> str:
    """kantor.yaml listing the demo forge's key (besides any the office lists)."""
    entry = (f"    - berkas: {FORGE_KEY_FILE}\n      format: ssh\n      berlaku_dari: \"{since.isoformat()}\"\n"
             "      berlaku_sampai: null\n")
    if "\n  kunci: []\n" in office_text:
        return office_text.replace("\n  kunci: []\n", "\n  kunci:\n" + entry, 1)
    if "\n  kunci:\n" in office_text:
        return office_text.replace("\n  kunci:\n", "\n  kunci:\n" + entry, 1)
    raise ValueError(f"{OFFICE_FILE}: bagian `forge.kunci` tidak ditemukan")


def demo_config() -> dict[str, bytes]:
    """The demo office's tools/config/ (relative path -> content): the package's SOP and key notes for a new office,
    with the demo's kantor.yaml (a synthetic roster) and logo laid over them."""
    prefix = CONFIG_DIR.as_posix() + "/"
    return {path: content for path, content in layered_files(data.OFFICE, data.DEMO).items()
            if path.startswith(prefix)}


def _initial_files(writer: _Writer, config: dict[str, bytes], forge_key: Ed25519PrivateKey,
                   since: date) -> dict[str, int]:
    files = {}
    for path, content in sorted({**config, SCHEMA_FILE: schema_files()[SCHEMA_FILE]}.items()):
        if path == OFFICE_FILE.as_posix():
            content = _with_demo_key(content.decode("utf-8"), since).encode("utf-8")
        files[path] = writer.blob(content)
    files[(CONFIG_DIR / FORGE_KEY_FILE).as_posix()] = writer.blob(
        ssh_public_line(forge_key, "forge-demo@pengaduan.invalid").encode())
    files["records/.gitkeep"] = writer.blob(b"")
    return files


def demo_forge_key(seed: int) -> Ed25519PrivateKey:
    """The demo forge's signing key: made from the seed, so a demo is the same byte for byte."""
    return Ed25519PrivateKey.from_private_bytes(hashlib.sha256(f"pengaduan-demo-forge-{seed}".encode()).digest())


def _save_private_key(dest: Path, key: Ed25519PrivateKey) -> Path:
    """Kept inside .git (never committed), so tests and staff trying the demo can merge "as the forge"."""
    path = dest / ".git" / FORGE_PRIVATE_KEY
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(key.private_bytes(Encoding.PEM, PrivateFormat.OpenSSH, NoEncryption()))
    path.chmod(0o600)
    return path


def _write_pack(dest: Path, bodies: list[bytes]) -> None:
    """Store commit objects through one packfile (one `git` process, not one per commit)."""
    parts = [b"PACK", struct.pack(">II", 2, len(bodies))]
    for body in bodies:
        size = len(body)
        byte, size = (1 << 4) | (size & 15), size >> 4
        header = bytearray()
        while size:
            header.append(byte | 0x80)
            byte, size = size & 0x7F, size >> 7
        header.append(byte)
        parts += [bytes(header), zlib.compress(body, 1)]
    data = b"".join(parts)
    subprocess.run(["git", "index-pack", "--stdin"], cwd=dest, input=data + hashlib.sha1(data).digest(), check=True,
                   capture_output=True)


def _sign_merges(dest: Path, key: Ed25519PrivateKey) -> dict[str, str]:
    """Re-create every commit with main's merge commits signed by the forge key, as the forge signs its merges.

    `git fast-import` (Git 2.39) cannot write signatures, so the commits it made are rewritten here in
    parent-first order; returns old id -> new id.
    """
    refs = [line.split() for line in subprocess.run(
        ["git", "for-each-ref", "--format=%(objectname) %(refname)", "refs/heads", "refs/demo"], cwd=dest,
        capture_output=True, text=True, check=True).stdout.splitlines()]
    order = subprocess.run(["git", "rev-list", "--topo-order", "--reverse", *{sha for sha, _ in refs}], cwd=dest,
                           capture_output=True, text=True, check=True).stdout.split()
    merges = set(subprocess.run(["git", "rev-list", "--first-parent", "--merges", "main"], cwd=dest,
                                capture_output=True, text=True, check=True).stdout.split())
    mapping: dict[str, str] = {}
    bodies = []
    for sha, raw in read_blobs_raw(dest, order):
        end = raw.index(b"\n\n")
        lines = [b"parent " + mapping[line[7:].decode()].encode() if line.startswith(b"parent ") else line
                 for line in raw[:end].split(b"\n")]
        body = b"\n".join(lines) + raw[end:]
        if sha in merges:
            body = signed_commit(body, sign_ssh(key, body))
        mapping[sha] = hashlib.sha1(b"commit %d\0" % len(body) + body).hexdigest()
        bodies.append(body)
    _write_pack(dest, bodies)
    updates = "".join(f"update {ref} {mapping[sha]} {sha}\n" for sha, ref in refs)
    subprocess.run(["git", "update-ref", "--stdin"], cwd=dest, input=updates, text=True, check=True)
    return mapping


def _write_evidence(dest: Path, marks_file: Path, merges: list[tuple[int, int, int, datetime]], settings: Settings,
                    renamed: dict[str, str]) -> None:
    """The approval notes the forge workflow writes after each merge (a convenience record), in one notes commit."""
    shas = {mark: renamed.get(sha, sha) for mark, sha in (line.split() for line in marks_file.read_text().splitlines())}
    marks_file.unlink()
    chief = settings.office.with_role(sop_rules.disposition_step(settings.current_sop).role)[0]
    message = b"Bukti persetujuan pull request\n"
    stamp = int(merges[-1][3].timestamp()) if merges else 0
    stream = [f"commit {NOTES_REF}\ncommitter {FORGE_COMMITTER} {stamp} +0700\n".encode(),
              b"data %d\n%s" % (len(message), message)]
    for merge, number, head, when in merges:
        approval = Approval(chief.forge_users[0], 1_000_000 + number, shas[f":{head}"],
                            (when - timedelta(minutes=2)).isoformat(timespec="seconds"))
        note = evidence_note(number, shas[f":{head}"], [approval]).encode()
        stream.append(b"N inline %s\ndata %d\n%s\n" % (shas[f":{merge}"].encode(), len(note), note))
    subprocess.run(["git", "fast-import", "--quiet"], cwd=dest, input=b"".join(stream), check=True)


def generate(dest: Path, count: int, seed: int, until: date,
             config: dict[str, bytes] | None = None) -> dict[str, int]:
    """Build the demo repository in `dest` (must not exist or be empty); returns a summary. `config`: another
    office's tools/config/ (relative path -> content) instead of the demo office's."""
    config = demo_config() if config is None else config
    settings, findings = check_config(config)
    if settings is None:
        raise ConfigError(findings, dest)
    rng = random.Random(seed)
    calendar = WorkCalendar.for_office(settings.office)
    clock = _Clock(rng, calendar, late_rate=0.12)
    cutoff = datetime.combine(until, time(23, 59, 59), WIB)
    complaints = _plan(settings, count, rng, until)
    prs = [pr for c in complaints for pr in _pull_requests(c, settings, clock, rng, cutoff)]
    events = sorted([(c.when, 0, i, j) for i, pr in enumerate(prs) for j, c in enumerate(pr.commits)]
                    + [(pr.merged_at, 1, i, -1) for i, pr in enumerate(prs) if pr.merged_at], key=lambda e: e[:3])
    dest.mkdir(parents=True, exist_ok=True)
    if any(dest.iterdir()):
        raise FileExistsError(str(dest))
    subprocess.run(["git", "init", "-q", "-b", "main", str(dest)], check=True)
    marks_file = (dest / ".git" / "demo-marks").resolve()  # fast-import runs inside dest
    process = subprocess.Popen(["git", "fast-import", "--quiet", "--done", f"--export-marks={marks_file}"], cwd=dest,
                               stdin=subprocess.PIPE)
    writer = _Writer(process)
    content = _Content(settings, rng)
    sop = settings.current_sop
    chief = settings.office.with_role(sop_rules.disposition_step(sop).role)[0]
    start = complaints[0].arrival - timedelta(days=2) if complaints else cutoff
    forge_key = demo_forge_key(seed)
    main = writer.commit("refs/heads/main", _identity(chief), _identity(chief), start,
                         f"Siapkan repositori pengaduan: SOP No. {sop.number} dan konfigurasi kantor\n", [],
                         _initial_files(writer, config, forge_key, start.date()))
    opened = 0
    merges: list[tuple[int, int, int, datetime]] = []  # (merge mark, pull request, head mark, time)
    for when, kind, index, commit_index in events:
        pr = prs[index]
        complaint = pr.record
        if kind == 0:
            commit = pr.commits[commit_index]
            if commit_index == 0:
                opened += 1
                pr.number, pr.branch_mark, pr.data = opened, main, complaint.data or {}
            pr.data = content.apply(complaint, pr.data, commit.step, when)
            files = {complaint.path: writer.blob(yamlio.dump(pr.data, SCHEMA_COMMENT).encode())}
            if commit.step == sop_rules.registration(sop).number and complaint.attachment:
                files[f"{attachment_dir(complaint.path)}/surat-pengaduan.txt"] = writer.blob(
                    (pr.data["uraian"]).encode())
            pr.files.update(files)
            ref = "refs/demo/scratch" if pr.merged_at else f"refs/heads/{pr.branch}"
            pr.branch_mark = writer.commit(ref, _identity(commit.author), _identity(commit.author), when,
                                           f"{complaint.id}: langkah {commit.step} — {sop.step(commit.step).title}\n",
                                           [pr.branch_mark], files)
        else:
            last = pr.commits[-1].step
            message = (f"Merge pull request #{pr.number} from {ORGANISATION}/{pr.branch}\n\n"
                       f"{complaint.id}: {sop.step(last).title}\n")
            main = writer.commit("refs/heads/main", _identity(pr.merger, forge=True), FORGE_COMMITTER, when,
                                 message, [main, pr.branch_mark], pr.files)
            merges.append((main, pr.number, pr.branch_mark, when))
            complaint.data = pr.data
    writer.stream.write(b"done\n")
    writer.stream.close()
    if process.wait() != 0:
        raise RuntimeError("git fast-import gagal")
    _save_private_key(dest, forge_key)
    _write_evidence(dest, marks_file, merges, settings, _sign_merges(dest, forge_key))
    subprocess.run(["git", "update-ref", "-d", "refs/demo/scratch"], cwd=dest, check=True)
    subprocess.run(["git", "reset", "-q", "--hard", "main"], cwd=dest, check=True)
    steps = [c.data["langkah"] if c.data else 1 for c in complaints]
    return {"rekaman": sum(1 for s in steps if s > 1), "selesai": steps.count(sop.last_step),
            "tercatat": len({id(pr.record) for pr in prs}),
            "pull_request_terbuka": sum(1 for pr in prs if not pr.merged_at), "komit": writer.mark}
