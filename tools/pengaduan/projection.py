"""The one whitelist between records and anything published.

`project` returns, for one record, what totals may count and what the public
may read. Nothing else from a record reaches the public site: not the
complainant, not the description, not attachments, not internal notes; and a
`rahasia` record only ever appears inside totals.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .calendar import WIB
from .config import Settings
from .sop import target_of
from .status import OVERDUE, RecordStatus


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
