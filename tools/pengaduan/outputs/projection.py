"""The one whitelist between records and anything published.

`project` returns, for one record, what totals may count and what the public
may read. Nothing else from a record reaches the public site: not the
complainant, not the description, not attachments, not internal notes; and a
`rahasia` record only ever appears inside totals.

What the public may read of a record is a row of open data whose columns are declared in
`schema/data-terbuka.yaml` (name, type, description, CSV or JSON only); each column takes one of the
public facts named in `FACTS`, the only place that reads a record for the public. A new column is one
entry in that file; a new kind of fact is one entry in `FACTS`.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from ..core import yamlio
from ..core.config import Settings, load_settings
from ..core.errors import PengaduanError
from ..core.sop import Sop, target_of
from ..history.audit import replay_repository
from ..history.calendar import WIB, WorkCalendar
from ..history.status import OVERDUE, RecordStatus, as_of, record_status


@dataclass(frozen=True)
class Counted:
    """The non-identifying facts a total may count, for every record (rahasia included)."""
    month: str  # "2026-03"
    category: str
    channel: str
    step: int
    closed: bool
    overdue: bool
    secret: bool


@dataclass(frozen=True)
class Projection:
    counted: Counted
    public: dict[str, Any] | None  # the public JSON of one record; None: not shown per record (rahasia)
    status: RecordStatus


def _day(moment: datetime | None) -> str | None:
    return moment.astimezone(WIB).date().isoformat() if moment else None


class _Facts(NamedTuple):
    """What a public fact may be computed from: never the complainant or the description."""
    record: dict[str, Any]
    status: RecordStatus
    counted: Counted
    settings: Settings
    sop: Sop


def _timeline(facts: _Facts) -> list[dict[str, Any]]:
    return [{"langkah": row.step, "judul": row.title, "selesai": _day(row.done_at), "tenggat": _day(row.deadline),
             "keadaan": row.state, "terlambat_hari_kerja": row.late_by} for row in facts.status.steps[1:]]


def _waiting(facts: _Facts) -> str | None:
    step = facts.status.open_step
    return None if step is None else f"{step.title} ({step.role})"  # None: closed


def _target(facts: _Facts) -> str | None:
    target = target_of(facts.record)
    return facts.settings.office.subdivisions.get(target) if target else None


# Every fact a column of open data may publish (`sumber` in schema/data-terbuka.yaml). Each reads only fields
# the leak scan counts as public (publish.PUBLIC and publish.SHOWN) or what pengaduan derives from history.
FACTS: dict[str, Callable[[_Facts], Any]] = {
    "nomor": lambda f: f.record["id"],
    "tanggal_diterima": lambda f: _day(f.status.received),
    "kategori": lambda f: f.counted.category,
    "kode_kategori": lambda f: f.record["kategori"],
    "saluran": lambda f: f.counted.channel,
    "kode_saluran": lambda f: f.record["diterima"]["saluran"],
    "langkah": lambda f: f.status.current,
    "keadaan": lambda f: "selesai" if f.status.closed else "dalam proses",
    "menunggu": _waiting,
    "lewat_tenggat": lambda f: f.counted.overdue,
    "sub_bagian": _target,
    "hasil": lambda f: f.record.get("rekap", {}).get("hasil"),
    "ringkasan": lambda f: f.record["ringkasan_publik"],
    "linimasa": _timeline,
    "sop": lambda f: f"SOP Nomor {f.sop.number}",
    "versi_sop": lambda f: f.record["versi_sop"],
    "tanggal_selesai": lambda f: _day(f.status.steps[-1].done_at) if f.status.closed else None,
    "sifat_disposisi": lambda f: f.record.get("disposisi", {}).get("sifat"),
}


def project(record: dict[str, Any], status: RecordStatus, settings: Settings,
            columns: tuple[Column, ...] | None = None) -> Projection:
    office = settings.office
    sop = settings.sop(record["versi_sop"]) or settings.current_sop
    received = status.received.astimezone(WIB)
    open_step = status.open_step
    counted = Counted(f"{received.year:04d}-{received.month:02d}",
                      office.categories.get(record["kategori"], "Lainnya"),
                      office.channels.get(record["diterima"]["saluran"], "Lainnya"), status.current, status.closed,
                      bool(open_step and open_step.state == OVERDUE), record["pelapor"]["kerahasiaan"] == "rahasia")
    if counted.secret:
        return Projection(counted, None, status)
    facts = _Facts(record, status, counted, settings, sop)
    return Projection(counted, {column.name: FACTS[column.source](facts) for column in columns or open_data()},
                      status)


# ---- the columns of open data (schema/data-terbuka.yaml) ------------------------------------------------------

OPEN_DATA_FILE = Path(__file__).parents[1] / "schema" / "data-terbuka.yaml"
KINDS = ("string", "integer", "boolean", "date", "array")
OFFICE_CHOICES = ("kategori", "saluran")  # `pilihan` naming the office's own names in kantor.yaml
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_KEYS = {"nama", "sumber", "jenis", "isi", "csv", "wajib", "unik", "minimum", "maksimum", "pilihan"}


@dataclass(frozen=True, kw_only=True)
class Column:
    name: str
    source: str  # a key of FACTS
    kind: str  # a Frictionless Data field type, one of KINDS
    about: str  # for readers, Markdown
    csv: bool = True  # also in data/pengaduan.csv (every column is in the JSON file)
    required: bool = False
    unique: bool = False
    minimum: int | None = None
    maximum: int | None = None
    choices: str | tuple[str, ...] | None = None  # fixed values, or one of OFFICE_CHOICES


class OpenDataError(PengaduanError):
    """The open data's column file is wrong; the message names the file, the column and the fix."""


def load_open_data(path: Path = OPEN_DATA_FILE) -> tuple[Column, ...]:
    """The columns declared in `path`, every fault reported at once."""
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise OpenDataError(f"{path}: tidak dapat dibaca ({error}).") from None
    entries = data.get("kolom") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        raise OpenDataError(f"{path}: harus berisi `kolom:`, daftar kolom data terbuka.")
    columns: list[Column] = []
    problems: list[str] = []
    names: set[str] = set()
    for number, entry in enumerate(entries, 1):
        found = _column(entry, names)
        if isinstance(found, Column):
            columns.append(found)
            names.add(found.name)
        else:
            problems += [f"kolom ke-{number}: {problem}" for problem in found]
    if problems:
        raise OpenDataError(f"{path}: " + "; ".join(problems) + ".")
    return tuple(columns)


def _column(entry: object, taken: set[str]) -> Column | list[str]:
    """One column, or what is wrong with it."""
    if not isinstance(entry, dict):
        return ["harus berupa `nama: ...`, `sumber: ...`, `jenis: ...`, `isi: ...`"]
    problems = [f"kunci `{key}` tidak dikenal (yang dikenal: {', '.join(sorted(_KEYS))})"
                for key in entry if key not in _KEYS]
    name, source, kind, about = (entry.get(key) for key in ("nama", "sumber", "jenis", "isi"))
    if not isinstance(name, str) or not _NAME.match(name):
        problems.append("`nama` harus huruf kecil, angka dan garis bawah, diawali huruf")
    elif name in taken:
        problems.append(f"`nama` {name} sudah dipakai kolom lain")
    if source not in FACTS:
        problems.append(f"`sumber` {source!r} bukan fakta publik; pilih salah satu: {', '.join(FACTS)}")
    if kind not in KINDS:
        problems.append(f"`jenis` {kind!r} tidak dikenal; pilih salah satu: {', '.join(KINDS)}")
    if not isinstance(about, str) or not about.strip():
        problems.append("`isi` (penjelasan untuk pembaca) wajib diisi")
    flags = {key: entry.get(key, default) for key, default in (("csv", True), ("wajib", False), ("unik", False))}
    problems += [f"`{key}` harus true atau false" for key, value in flags.items() if not isinstance(value, bool)]
    limits = {key: entry.get(key) for key in ("minimum", "maksimum")}
    problems += [f"`{key}` harus bilangan bulat" for key, value in limits.items()
                 if value is not None and (isinstance(value, bool) or not isinstance(value, int))]
    choices = entry.get("pilihan")
    if choices is not None and choices not in OFFICE_CHOICES and not (
            isinstance(choices, list) and choices and all(isinstance(c, str) for c in choices)):
        problems.append(f"`pilihan` harus daftar teks, atau salah satu dari: {', '.join(OFFICE_CHOICES)}")
    if problems:
        return problems
    return Column(name=str(name), source=str(source), kind=str(kind), about=str(about).strip(), csv=flags["csv"],
                  required=flags["wajib"], unique=flags["unik"], minimum=limits["minimum"],
                  maximum=limits["maksimum"], choices=tuple(choices) if isinstance(choices, list) else choices)


@cache
def open_data() -> tuple[Column, ...]:
    """The columns of the package's open data (read once)."""
    return load_open_data()


def internal_view(record: dict[str, Any], projection: Projection) -> dict[str, Any]:
    """For staff only (the INTERNAL build): the public view plus who complained and what they wrote."""
    base = dict(projection.public or {"nomor": record["id"], "ringkasan": "(rahasia)"})
    base.update({"kerahasiaan": record["pelapor"]["kerahasiaan"], "pelapor": record["pelapor"],
                 "perihal": record["perihal"], "uraian": record["uraian"],
                 "lampiran": [item["berkas"] for item in record.get("lampiran", [])]})
    return base


# Small cells. Every breakdown the public site shows (kategori, saluran, langkah, bulan, sub bagian, timings) is
# computed from non-rahasia complaints only, and no shown cell may describe fewer than `minimum` complaints.
MERGED = "Lainnya (digabung)"


def publishable(projections: list[Projection]) -> list[Projection]:
    """The complaints a breakdown may describe: never a rahasia one (those count only in totals)."""
    return [p for p in projections if not p.counted.secret]


def merge_small(rows: list[tuple[str, int]], minimum: int, merged: str = MERGED) -> list[tuple[str, int | None]]:
    """Rows of (label, count) fit to publish: rows of at least `minimum` as they are, smaller ones merged into
    one row, which itself shows None (published as '< minimum') when still below the minimum. Empty rows are
    left out; when everything together is below the minimum, nothing is shown (an empty list)."""
    if sum(count for _, count in rows) < minimum:
        return []
    kept: list[tuple[str, int | None]] = [(label, count) for label, count in rows if count >= minimum]
    small = sum(count for _, count in rows if 0 < count < minimum)
    if small:
        kept.append((merged, small if small >= minimum else None))
    return kept


def cell(count: int, minimum: int) -> int | str:
    """A count as published: 0 and counts of at least `minimum` as they are, anything between as '< minimum'."""
    return count if count == 0 or count >= minimum else f"< {minimum}"


class UnusableRecords(PengaduanError):
    """Records whose data cannot be projected (they break the schema): never half-published, never dropped
    unsaid from a report."""

    def __init__(self, problems: list[str]):
        super().__init__(f"{len(problems)} rekaman tidak bisa dibaca untuk rekap dan situs: " + "; ".join(problems)
                         + ". Perbaikan: jalankan `pengaduan periksa`, perbaiki rekamannya, lalu ulangi.")
        self.problems = problems


def project_each(pairs: list[tuple[dict[str, Any], RecordStatus]], settings: Settings,
                 strict: bool) -> list[tuple[dict[str, Any], Projection]]:
    """Each record with its projection. A record whose data breaks the schema (`pengaduan periksa` names the
    fault) is refused under `strict`, else left out; a fault of pengaduan itself is never caught here."""
    result, problems = [], []
    for record, status in pairs:
        try:
            result.append((record, project(record, status, settings)))
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            problems.append(f"{status.path} ({type(error).__name__}: {error})")
    if problems and strict:
        raise UnusableRecords(problems)
    return result


def collect(repo: Path, now: datetime, source: Path | None = None, records: dict[str, dict[str, Any]] | None = None,
            strict: bool = False) -> tuple[Settings, list[tuple[dict[str, Any], Projection]]]:
    """Settings from `source` (main's tree; default: the working tree), records from `records` (path -> parsed
    record on main, see publish.main_records; default: the files in the working tree), history from main.
    A record that cannot be read or projected is refused under `strict`, else left out (see `project_each`)."""
    settings = load_settings(source or repo)
    timelines, _ = replay_repository(repo, "main", settings)  # the rules as they stood come from history itself
    problems = []
    if records is None:
        records = {}
        for path in timelines:
            try:
                records[path] = yamlio.load_mapping((repo / path).read_bytes())
            except (OSError, yamlio.YamlProblem) as error:
                if not (isinstance(error, FileNotFoundError) and timelines[path].removed):
                    problems.append(f"{path} ({error})")
    if problems and strict:
        raise UnusableRecords(problems)
    calendar = WorkCalendar.for_office(settings.office)
    pairs = []
    for path, timeline in sorted(timelines.items()):
        seen = None if timeline.removed else as_of(timeline, now)
        if seen is not None and path in records:
            pairs.append((records[path], record_status(seen, settings, calendar, now)))
    return settings, project_each(pairs, settings, strict)
