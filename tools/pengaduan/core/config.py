"""The office configuration and the SOP files, loaded and checked as data."""
from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from . import evidence, schema, yamlio
from . import sop as sop_rules
from .errors import PengaduanError
from .findings import Finding
from .sop import Sop, Step

CONFIG_DIR = Path("tools/config")
ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
OFFICE_FILE = CONFIG_DIR / "kantor.yaml"
SOP_DIR = CONFIG_DIR / "sop"
KEY_DIR = CONFIG_DIR / "kunci"
OFFICE_ROLES = ("sekretaris",)  # roles of the office that no SOP step names (governance)
OFFICE_ROLE_NAMES = {"sekretaris": "Sekretaris"}


def number_pattern(pattern: str, year: int | None = None) -> str:
    """A regular expression for numbers made from a numbering pattern, with groups `urut` and (without `year`)
    `tahun`."""
    regex = re.escape(pattern)
    regex = regex.replace(r"\{tahun\}", str(year) if year else r"(?P<tahun>\d{4})")
    regex = regex.replace(r"\{bulan\}", r"\d+").replace(r"\{bulan_romawi\}", "[IVX]+")
    return re.sub(r"\\\{urut(:0?\d+d)?\\\}", r"(?P<urut>\\d+)", regex)


@functools.lru_cache(maxsize=16)
def _registration_regex(pattern: str) -> re.Pattern[str]:
    return re.compile(f"^{number_pattern(pattern)}$")


@dataclass(frozen=True, kw_only=True)
class StandIn:
    """A *Plh* appointment: the person acts in `role` from `start` to `end` (inclusive, WIB dates)."""
    role: str
    start: date
    end: date
    letter: str


@dataclass(frozen=True, kw_only=True)
class Person:
    id: str
    name: str
    nip: str
    title: str
    subdivision: str
    roles: tuple[str, ...]
    emails: tuple[str, ...]
    forge_users: tuple[str, ...]
    stand_ins: tuple[StandIn, ...] = ()

    def stand_in(self, role: str, on: date) -> StandIn | None:
        """The appointment by which this person acts in `role` on `on`, if any."""
        return next((s for s in self.stand_ins if s.role == role and s.start <= on <= s.end), None)

    def holds(self, role: str, on: date) -> bool:
        return role in self.roles or self.stand_in(role, on) is not None


@dataclass(frozen=True, kw_only=True)
class ForgeKey:
    """A forge signing key and the dates between which its signatures count (end None: still in use)."""
    file: str
    key: evidence.PublicKey
    start: date
    end: date | None

    def valid_on(self, on: date) -> bool:
        return self.start <= on and (self.end is None or on <= self.end)


@dataclass(frozen=True, kw_only=True)
class Office:
    identity: dict[str, str]  # `kantor`: name, address, contacts of the letterhead
    subdivisions: dict[str, str]
    heads: dict[str, str]  # sub bagian id -> personel id of its head
    hukum: str
    umum: str
    people: tuple[Person, ...]
    registration_pattern: str
    letter_patterns: dict[str, str]
    categories: dict[str, str]
    channels: dict[str, str]
    extra_holidays: dict[date, str]
    extra_workdays: dict[date, str]
    max_attachment_mb: int
    require_evidence: bool
    # `surat_pemohon`: receipt and answer to the reporter
    applicant_letters: dict[str, Any] = field(default_factory=dict)
    forge_kind: str = "github"
    forge_keys: tuple[ForgeKey, ...] = ()
    governance_roles: tuple[str, ...] = ()  # who may approve code/config/docs/workflow changes
    min_public_cell: int = 3  # smallest count a published breakdown cell may show
    disposition_roles: tuple[str, ...] = ()  # roles whose approved merge is a disposition (from the SOP files)
    _by_email: dict[str, Person] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for person in self.people:
            for email in person.emails:
                self._by_email[email.lower()] = person

    def person_by_email(self, email: str) -> Person | None:
        return self._by_email.get(email.lower())

    def person_by_forge_user(self, user: str) -> Person | None:
        return next((p for p in self.people if user.lower() in (u.lower() for u in p.forge_users)), None)

    def head_of(self, subdivision: str) -> Person:
        return next(p for p in self.people if p.id == self.heads[subdivision])

    def with_role(self, role: str) -> list[Person]:
        return [p for p in self.people if role in p.roles]

    def role_title(self, role: str) -> str:
        """The title of whoever holds `role` (what a Plh signs as: "Plh. <title>")."""
        holder = next((p for p in self.people if role in p.roles), None)
        return holder.title if holder else OFFICE_ROLE_NAMES.get(role, role)

    def forge_signed(self, signer: str, at: datetime) -> bool:
        """Whether `signer` (a key ident from evidence.signer) is a forge key valid at `at`."""
        return bool(signer) and any(k.key.ident == signer and k.valid_on(at.date()) for k in self.forge_keys)

    def registration_regex(self) -> re.Pattern[str]:
        return _registration_regex(self.registration_pattern)  # periksa asks once per record

    def registration_number(self, year: int, sequence: int) -> str:
        return self.registration_pattern.format(tahun=year, urut=sequence, bulan=0)

    def canonical_number(self, text: str) -> str | None:
        """A registration number typed in any case and with stray spaces, as the office writes it; None when the
        text is not one (so a `*` or a path never reaches a file look-up)."""
        match = re.fullmatch(number_pattern(self.registration_pattern), text.strip(), re.ASCII | re.IGNORECASE)
        if match is None:
            return None
        return self.registration_number(int(match.groupdict().get("tahun") or 0), int(match["urut"]))

    def letter_number(self, kind: str, on: date, sequence: int) -> str:
        """A nota dinas number from the configured pattern of `kind` (a record block name)."""
        return self.letter_patterns[kind].format(urut=sequence, tahun=on.year, bulan=on.month,
                                                 bulan_romawi=ROMAN_MONTHS[on.month - 1])


@dataclass(frozen=True, kw_only=True)
class Settings:
    office: Office
    sops: dict[str, Sop]

    def sop(self, version: str) -> Sop | None:
        return self.sops.get(version)

    def role_name(self, sop: Sop, role: str, target: str) -> str:
        """The role as people know it: the target sub bagian's own name where the SOP says "sub bagian terkait"."""
        if sop.roles[role]["jenis"] == sop_rules.TARGET_ROLE:
            return self.office.subdivisions.get(target, sop.roles[role]["nama"])
        return sop.roles[role]["nama"]

    @property
    def current_sop(self) -> Sop:
        """The newest SOP by date of approval: new records start under it."""
        return max(self.sops.values(), key=lambda s: s.approved_on)

    @functools.cached_property
    def record_extension(self) -> schema.Extension:
        """The record blocks the SOP files declare beyond the record schema (sop.block_schemas)."""
        return sop_rules.block_schemas(self.sops.values(), schema.load_schema("record")["properties"])


class ConfigError(PengaduanError):
    """The configuration cannot be used; carries every finding."""

    def __init__(self, findings: list[Finding], root: Path):
        super().__init__(f"konfigurasi di {root} tidak sah; perbaiki dulu masalah di atas.")
        self.findings = findings

    def details(self) -> list[str]:
        return [finding.render() for finding in self.findings]


def _read(files: dict[str, bytes], rel: Path, schema_name: str) -> tuple[dict[str, Any] | None, list[Finding]]:
    raw = files.get(rel.as_posix())
    if raw is None:
        return None, [Finding(str(rel), "Berkas konfigurasi tidak ada.",
                              "Salin berkas ini dari repositori pengaduan asli.", "konfig-hilang")]
    try:
        data = yamlio.load_mapping(raw)
    except yamlio.YamlProblem as problem:
        return None, [Finding(str(rel), problem.message, problem.fix, problem.code, problem.line, problem.column)]
    text = yamlio.decode(raw)
    # An SOP's `isian` writes `ISI: ...` into records on purpose (staff complete those there), so only the
    # rest of a configuration file must be free of them.
    unfilled = [_finding(rel, text, path, f"`{'.'.join(map(str, path))}` belum diisi.",
                         f"Ganti teks `ISI: ...` dengan isinya: {hint}", "konfig-belum-diisi")
                for path, hint in schema.placeholders(data) if not (schema_name == "sop" and "isian" in path)]
    marked = {f.line for f in unfilled}
    return data, unfilled + [p for p in schema.validate(schema_name, data, str(rel), text) if p.line not in marked]


def _finding(rel: Path, text: str, path: list[str | int], message: str, fix: str, code: str) -> Finding:
    line, column = yamlio.locate(text, path)
    return Finding(str(rel), message, fix, code, line, column)


def _build_step(data: dict[str, Any]) -> Step:
    return Step(number=data["nomor"], title=data["judul"], role=data["peran"], activity=data["kegiatan"],
                requirements=data["kelengkapan"], output=data["output"], working_days=data["waktu_hari_kerja"],
                is_disposition=data["disposisi"], git=data["git"], branch=data["cabang"], block=data["blok"],
                frozen=tuple(data["beku"]), documents=tuple(data["dokumen"]),
                fields=data.get("isian", sop_rules.default_fields(data["blok"])))


def _build_sop(data: dict[str, Any], rel: Path) -> Sop:  # config data is parsed YAML, checked by the schema
    return Sop(version=data["versi"], number=data["nomor"], name=data["nama"],
               approved_on=date.fromisoformat(data["tanggal_pengesahan"]), approved_by=data["disahkan_oleh"],
               legal_basis=tuple(data["dasar_hukum"]), roles=data["peran"],
               steps=tuple(_build_step(step) for step in data["langkah"]), path=str(rel),
               templates=data.get("templat", sop_rules.default_templates()))


def _check_sop(data: dict[str, Any], rel: Path, text: str) -> list[Finding]:
    found = []
    # a block the record schema does not know is declared by the step that writes it, with its `isian` (the fields:
    # sop.block_schemas makes its schema from them)
    declared = {step["blok"] for step in data["langkah"] if step["blok"] is not None and step.get("isian")}
    blocks = set(schema.load_schema("record")["properties"]) | declared
    for index, step in enumerate(data["langkah"]):
        where: list[str | int] = ["langkah", index]
        if step["nomor"] != index + 1:
            found.append(_finding(rel, text, where + ["nomor"], f"Langkah ke-{index + 1} bernomor {step['nomor']}.",
                                  "Nomori langkah berurutan mulai dari 1.", "sop-nomor"))
        if step["peran"] not in data["peran"]:
            found.append(_finding(rel, text, where + ["peran"], f"Peran `{step['peran']}` tidak didefinisikan.",
                                  "Pakai salah satu kunci di bagian `peran`.", "sop-peran"))
        if step["blok"] is not None and step["blok"] not in blocks:
            found.append(_finding(rel, text, where + ["blok"], f"Blok `{step['blok']}` tidak ada di skema rekaman.",
                                  "Pakai nama blok yang ada di skema rekaman, atau tuliskan `isian` langkah ini "
                                  "(kolom-kolom blok baru itu).", "sop-blok"))
        for key in step["beku"]:
            if key != "*" and key not in blocks:
                found.append(_finding(rel, text, where + ["beku"], f"Kunci beku `{key}` tidak ada di skema rekaman.",
                                      "Pakai nama kunci rekaman, atau '*' untuk seluruh rekaman.", "sop-beku"))
    steps = {step["blok"] for step in data["langkah"]}
    for name, spec in data.get("templat", {}).items():
        for key in ("penanda_tangan", "kepada"):
            who = spec.get(key)
            if who is not None and who not in data["peran"] and who not in sop_rules.PERSON_REFERENCES:
                found.append(_finding(rel, text, ["templat", name, key], f"Peran `{who}` tidak didefinisikan.",
                                      "Pakai kunci di bagian `peran`, `pemberi_disposisi` atau `kepala_tujuan`.",
                                      "sop-peran"))
        for key in ("surat", "blok", "rujukan", "batas_jawaban"):
            if spec.get(key) is not None and spec[key] not in steps:
                found.append(_finding(rel, text, ["templat", name, key],
                                      f"Blok `{spec[key]}` tidak ditulis langkah mana pun.",
                                      "Pakai `blok` salah satu langkah.", "sop-blok"))
    if not any(step["disposisi"] for step in data["langkah"]):
        found.append(_finding(rel, text, ["langkah"], "Tidak ada langkah disposisi.",
                              "Tandai langkah disposisi dengan `disposisi: true` dan `git: gabung`.", "sop-disposisi"))
    if len(data["langkah"]) > 1 and (data["langkah"][1]["blok"], data["langkah"][1]["git"]) != ("diterima", "komit"):
        found.append(_finding(rel, text, ["langkah", 1, "blok"], "Langkah kedua harus `blok: diterima` dan `git: komit`.",
                              "Langkah 2 adalah pencatatan pengaduan (`pengaduan baru`): komit yang membuat rekaman.",
                              "sop-git"))
    if data["langkah"] and data["langkah"][0]["git"] != "kedatangan":
        found.append(_finding(rel, text, ["langkah", 0, "git"], "Langkah pertama harus `git: kedatangan`.",
                              "Langkah 1 adalah perintah tetap Kasubbag; waktunya adalah saat pengaduan tiba.",
                              "sop-git"))
    return found


def _check_office(data: dict[str, Any], rel: Path, text: str, roles: set[str]) -> list[Finding]:
    found = []
    subdivisions = {s["id"] for s in data["sub_bagian"]}
    for key, value in data["peran_sub_bagian"].items():
        if value not in subdivisions:
            found.append(_finding(rel, text, ["peran_sub_bagian", key], f"Sub bagian `{value}` tidak ada.",
                                  "Pakai id dari daftar `sub_bagian`.", "kantor-sub-bagian"))
    people = {person["id"] for person in data["personel"]}
    for index, entry in enumerate(data["sub_bagian"]):
        if entry["kepala"] not in people:
            found.append(_finding(rel, text, ["sub_bagian", index, "kepala"],
                                  f"Kepala `{entry['kepala']}` tidak ada di daftar personel.",
                                  "Pakai id dari daftar `personel`.", "kantor-kepala"))
    seen_ids: set[str] = set()
    seen_emails: dict[str, str] = {}
    for index, person in enumerate(data["personel"]):
        where: list[str | int] = ["personel", index]
        if person["id"] in seen_ids:
            found.append(_finding(rel, text, where + ["id"], f"Id personel `{person['id']}` dipakai dua kali.",
                                  "Beri setiap orang id yang berbeda.", "kantor-ganda"))
        seen_ids.add(person["id"])
        if person["sub_bagian"] not in subdivisions:
            found.append(_finding(rel, text, where + ["sub_bagian"], f"Sub bagian `{person['sub_bagian']}` tidak ada.",
                                  "Pakai id dari daftar `sub_bagian`.", "kantor-sub-bagian"))
        for plh_index, entry in enumerate(person.get("plh", [])):
            if entry["untuk"] not in roles:
                found.append(_finding(rel, text, where + ["plh", plh_index, "untuk"],
                                      f"Peran `{entry['untuk']}` tidak ada di SOP.",
                                      "Pakai peran: " + ", ".join(sorted(roles)) + ".", "kantor-peran"))
            if entry["sampai"] < entry["dari"]:
                found.append(_finding(rel, text, where + ["plh", plh_index, "sampai"],
                                      "Tanggal `sampai` Plh lebih awal dari `dari`.",
                                      "Tulis masa Plh sesuai surat perintahnya.", "kantor-plh"))
        for role in person["peran"]:
            if role not in roles:
                found.append(_finding(rel, text, where + ["peran"], f"Peran `{role}` tidak ada di SOP.",
                                      "Pakai peran: " + ", ".join(sorted(roles)) + ".", "kantor-peran"))
        for email in person["email"]:
            if email.lower() in seen_emails:
                found.append(_finding(rel, text, where + ["email"],
                                      f"Surel {email} juga milik `{seen_emails[email.lower()]}`.",
                                      "Setiap identitas Git hanya boleh milik satu orang.", "kantor-ganda"))
            seen_emails[email.lower()] = person["id"]
    signer = data.get("surat_pemohon", {}).get("penanda_tangan")
    if signer is not None and signer not in people:
        found.append(_finding(rel, text, ["surat_pemohon", "penanda_tangan"],
                              f"Penanda tangan `{signer}` tidak ada di daftar personel.",
                              "Pakai id dari daftar `personel`.", "kantor-penanda-tangan"))
    for index, role in enumerate(data.get("tata_kelola", {}).get("penyetuju", [])):
        if role not in roles:
            found.append(_finding(rel, text, ["tata_kelola", "penyetuju", index], f"Peran `{role}` tidak dikenal.",
                                  "Pakai peran: " + ", ".join(sorted(roles)) + ".", "kantor-peran"))
    for listing in ("sub_bagian", "kategori", "saluran"):
        ids = [entry["id"] for entry in data[listing]]
        for duplicate in sorted({i for i in ids if ids.count(i) > 1}):
            found.append(_finding(rel, text, [listing], f"Id `{duplicate}` dipakai dua kali di `{listing}`.",
                                  "Beri setiap entri id yang berbeda.", "kantor-ganda"))
    return found


def _days(entries: list[dict[str, str]]) -> dict[date, str]:
    return {date.fromisoformat(e["tanggal"]): e["keterangan"] for e in entries}


def _forge_keys(data: dict[str, Any], files: dict[str, bytes], text: str) -> tuple[tuple[ForgeKey, ...], list[Finding]]:
    keys, found = [], []
    for index, entry in enumerate(data.get("forge", {}).get("kunci", [])):
        where: list[str | int] = ["forge", "kunci", index]
        rel = (CONFIG_DIR / PurePosixPath(entry["berkas"])).as_posix()
        raw = files.get(rel)
        if raw is None or not rel.startswith(KEY_DIR.as_posix() + "/"):
            found.append(_finding(OFFICE_FILE, text, where + ["berkas"], f"Berkas kunci {rel} tidak ada.",
                                  "Simpan kunci publik forge di tools/config/kunci/ dan sebut namanya di sini "
                                  "(mis. kunci/github-web-flow.asc).", "kantor-kunci"))
            continue
        try:
            key = evidence.load_key(entry["format"], raw)
        except evidence.KeyProblem as problem:
            found.append(_finding(OFFICE_FILE, text, where + ["berkas"], f"{rel}: {problem}",
                                  "Unduh ulang kunci publik forge (GitHub: https://github.com/web-flow.gpg; Forgejo: "
                                  "kunci penanda tangan instans) dan simpan apa adanya.", "kantor-kunci"))
            continue
        end = entry.get("berlaku_sampai")
        keys.append(ForgeKey(file=rel, key=key, start=date.fromisoformat(entry["berlaku_dari"]),
                             end=date.fromisoformat(end) if end else None))
    return tuple(keys), found


def _build_person(data: dict[str, Any]) -> Person:
    stand_ins = tuple(StandIn(role=s["untuk"], start=date.fromisoformat(s["dari"]), end=date.fromisoformat(s["sampai"]),
                              letter=s["surat"]) for s in data.get("plh", []))
    return Person(id=data["id"], name=data["nama"], nip=data["nip"], title=data["jabatan"],
                  subdivision=data["sub_bagian"], roles=tuple(data["peran"]), emails=tuple(data["email"]),
                  forge_users=tuple(data.get("forge", [])), stand_ins=stand_ins)


def _build_office(data: dict[str, Any], keys: tuple[ForgeKey, ...] = (),
                  disposition_roles: tuple[str, ...] = ()) -> Office:
    numbering = data["penomoran"]
    return Office(
        identity=data["kantor"],
        subdivisions={s["id"]: s["nama"] for s in data["sub_bagian"]},
        heads={s["id"]: s["kepala"] for s in data["sub_bagian"]},
        hukum=data["peran_sub_bagian"]["hukum"],
        umum=data["peran_sub_bagian"]["umum"],
        people=tuple(_build_person(person) for person in data["personel"]),
        registration_pattern=numbering["registrasi"],
        letter_patterns={kind: pattern for kind, pattern in numbering.items() if kind != "registrasi"},
        categories={c["id"]: c["nama"] for c in data["kategori"]},
        channels={c["id"]: c["nama"] for c in data["saluran"]},
        extra_holidays=_days(data.get("libur_tambahan", [])),
        extra_workdays=_days(data.get("hari_kerja_tambahan", [])),
        max_attachment_mb=data.get("batas_lampiran_mb", 20),
        require_evidence=data.get("bukti_persetujuan", False),
        applicant_letters=data.get("surat_pemohon", {}),
        forge_kind=data.get("forge", {}).get("jenis", "github"),
        forge_keys=keys,
        governance_roles=tuple(data.get("tata_kelola", {}).get("penyetuju", disposition_roles + OFFICE_ROLES)),
        min_public_cell=data.get("sel_minimum_publik", 3),
        disposition_roles=disposition_roles)


def config_files(root: Path) -> dict[str, bytes]:
    """Every file under tools/config/ of a working tree (relative POSIX path -> content)."""
    folder = root / CONFIG_DIR
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*"))
            if path.is_file()} if folder.is_dir() else {}


def check_settings(root: Path) -> tuple[Settings | None, list[Finding]]:
    """Load and check every configuration file of a working tree; Settings is None when unusable."""
    return check_config(config_files(root))


# content digest -> (Settings, findings): the same files are checked once
_CHECKED: dict[bytes, tuple[Settings | None, list[Finding]]] = {}


def check_config(files: dict[str, bytes]) -> tuple[Settings | None, list[Finding]]:
    """Load and check a configuration given as files (relative path -> content), e.g. as it stood in a commit."""
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.encode() + b"\0" + hashlib.sha256(files[path]).digest())
    key = digest.digest()
    if key not in _CHECKED:
        _CHECKED[key] = _check_config(files)
    settings, findings = _CHECKED[key]
    return settings, list(findings)


def _check_config(files: dict[str, bytes]) -> tuple[Settings | None, list[Finding]]:
    findings: list[Finding] = []
    sops: dict[str, Sop] = {}
    sop_prefix = SOP_DIR.as_posix() + "/"
    sop_files = sorted(p for p in files
                       if p.startswith(sop_prefix) and p.endswith(".yaml") and "/" not in p[len(sop_prefix):])
    if not sop_files:
        findings.append(Finding(str(SOP_DIR), "Tidak ada berkas SOP.", "Tambahkan berkas SOP di folder ini.",
                                "sop-hilang"))
    for name in sop_files:
        rel = Path(name)
        data, problems = _read(files, rel, "sop")
        findings += problems
        if data is None or problems:
            continue
        text = yamlio.decode(files[name])
        problems = _check_sop(data, rel, text)
        findings += problems
        if data["versi"] in sops:
            findings.append(_finding(rel, text, ["versi"], f"Versi SOP {data['versi']} sudah dipakai oleh "
                                     f"{sops[data['versi']].path}.", "Beri SOP revisi versi baru.", "sop-ganda"))
        elif not problems:
            sops[data["versi"]] = _build_sop(data, rel)
    roles = {role for sop in sops.values() for role in sop.roles} | set(OFFICE_ROLES)
    data, problems = _read(files, OFFICE_FILE, "kantor")
    findings += problems
    office = None
    if data is not None and not problems:
        text = yamlio.decode(files[OFFICE_FILE.as_posix()])
        problems = _check_office(data, OFFICE_FILE, text, roles)
        keys, key_problems = _forge_keys(data, files, text)
        problems += key_problems
        findings += problems
        if not problems:
            office = _build_office(data, keys, sop_rules.disposition_roles(sops.values()))
    if office is None or not sops or findings:
        return None, findings
    return Settings(office=office, sops=sops), findings


def find_root(start: Path) -> Path | None:
    """The pengaduan repository holding `start`, searched upwards as git does: the nearest folder with
    tools/config/ or records/; None when there is none, or another Git repository comes first."""
    for folder in (start, *start.parents):
        if (folder / CONFIG_DIR).is_dir() or (folder / "records").is_dir():
            return folder
        if (folder / ".git").exists():
            return folder if _without_commits(folder / ".git") else None
    return None


def _without_commits(git_dir: Path) -> bool:
    """A freshly created or cloned empty repository (its branch has no commit yet): an office repository
    being set up, which commands such as `bukti` must accept and report as empty."""
    try:
        head = (git_dir / "HEAD").read_text(encoding="utf-8").strip()
    except OSError:
        return False  # a worktree's .git file, or unreadable: not a repository being set up
    if not head.startswith("ref: "):
        return False
    ref = head[5:]
    if (git_dir / ref).exists():
        return False
    packed = git_dir / "packed-refs"
    return not (packed.exists() and f" {ref}" in packed.read_text(encoding="utf-8", errors="replace"))


def load_settings(root: Path) -> Settings:
    settings, findings = check_settings(root)
    if settings is None:
        raise ConfigError(findings, root)
    return settings
