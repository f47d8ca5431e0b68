"""The one whitelist between records and anything published.

`project` returns, for one record, what totals may count and what the public
may read. Nothing else from a record reaches the public site: not the
complainant, not the description, not attachments, not internal notes; and a
`rahasia` record only ever appears inside totals.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from ..core import yamlio
from ..core.config import Settings, load_settings
from ..core.errors import PengaduanError
from ..core.sop import target_of
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


def project(record: dict[str, Any], status: RecordStatus, settings: Settings) -> Projection:
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
    target = target_of(record)
    public = {
        "nomor": record["id"],
        "diterima": _day(status.received),
        "kategori": counted.category,
        "saluran": counted.channel,
        "langkah": status.current,
        "keadaan": "selesai" if status.closed else "dalam proses",
        "menunggu": None if open_step is None else f"{open_step.title} ({open_step.role})",  # None: closed
        "lewat_tenggat": counted.overdue,
        "sub_bagian": office.subdivisions.get(target) if target else None,
        "hasil": record.get("rekap", {}).get("hasil"),
        "ringkasan": record["ringkasan_publik"],
        "linimasa": [{"langkah": row.step, "judul": row.title, "selesai": _day(row.done_at),
                      "tenggat": _day(row.deadline), "keadaan": row.state, "terlambat_hari_kerja": row.late_by}
                     for row in status.steps[1:]],
        "sop": f"SOP Nomor {sop.number}",
    }
    return Projection(counted, public, status)


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
