"""`pengaduan status` as text and as JSON: one complaint's timeline, or the overview of what is due and overdue.

Plain data in (where each complaint stands, from queue.places), lines or a JSON-ready dict out; the CLI prints.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from ..core.config import Settings
from ..history.calendar import WorkCalendar
from ..history.status import DUE_TODAY, OVERDUE, RecordStatus, StepStatus, calendar_warnings
from ..queue import Place


def _stamp(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else "-"


def _late_note(row: StepStatus) -> str:
    return f"{row.state}" + (f" {row.late_by} hari kerja" if row.late_by else "")


def record_lines(place: Place, now: datetime) -> list[str]:
    """One complaint: where it stands, then each step with who did it, when, and its deadline."""
    record = place.status
    lines = [f"{record.record_id} ({record.path}) — {'selesai' if record.closed else 'dalam proses'}, "
             f"per {now:%Y-%m-%d %H:%M} WIB"]
    if not record.closed:
        lines.append(f"  Posisi: {place.waiting}.")
    for row in record.steps:
        lines.append(f"  {row.step}. {row.title}\n     oleh: {row.actor or row.role + ' (belum)'}; "
                     f"selesai: {_stamp(row.done_at)}; tenggat: {_stamp(row.deadline)}; {_late_note(row)}")
    return lines


def overview_lines(found: list[Place], now: datetime) -> list[str]:
    """Every complaint: the counts, then the steps overdue and those due today."""
    open_ones = [p for p in found if not p.status.closed]
    overdue = [p for p in open_ones if p.status.open_step and p.status.open_step.state == OVERDUE]
    due = [p for p in open_ones if p.status.open_step and p.status.open_step.state == DUE_TODAY]
    in_branches = sum(1 for p in open_ones if p.branch)
    lines = [f"Per {now:%Y-%m-%d %H:%M} WIB: {len(found)} pengaduan, {len(open_ones)} dalam proses "
             f"({in_branches} di pull request terbuka), {len(overdue)} lewat tenggat, {len(due)} jatuh tempo "
             "hari ini."]
    for title, rows in (("Lewat tenggat", overdue), ("Jatuh tempo hari ini", due)):
        if rows:
            lines.append(f"\n{title}:")
        for place in rows:
            step = place.status.open_step
            if step is None:  # rows hold open complaints only
                continue
            lines.append(f"  {place.status.record_id}: langkah {step.step} ({step.title}) oleh {step.role}, "
                         f"{place.where}; tenggat {_stamp(step.deadline)}"
                         + (f"; terlambat {step.late_by} hari kerja" if step.late_by else ""))
    return lines


def record_json(record: RecordStatus, place: Place | None = None) -> dict[str, Any]:
    where = {} if place is None else {
        "posisi": place.where, "cabang": place.branch.name if place.branch else None,
        "pull_request": place.branch.pull_request if place.branch else None,
        "menunggu": None if record.closed else place.waiting}
    return {"nomor": record.record_id, "berkas": record.path, "langkah": record.current, "selesai": record.closed,
            **where,
            "diterima": record.received.isoformat(timespec="seconds"),
            "langkah_langkah": [{"langkah": r.step, "judul": r.title, "peran": r.role, "oleh": r.actor,
                                 "selesai_pada": r.done_at.isoformat(timespec="seconds") if r.done_at else None,
                                 "tenggat": r.deadline.isoformat(timespec="seconds") if r.deadline else None,
                                 "keadaan": r.state, "terlambat_hari_kerja": r.late_by} for r in record.steps]}


def report_json(found: list[Place], now: datetime, warnings: list[str]) -> dict[str, Any]:
    return {"pada": now.isoformat(timespec="seconds"), "peringatan": warnings,
            "pengaduan": [record_json(p.status, p) for p in found]}


def report_warnings(found: list[Place], settings: Settings, now: datetime) -> list[str]:
    """What the report cannot vouch for: deadlines in years whose cuti bersama are not yet known."""
    return calendar_warnings([p.status for p in found], WorkCalendar.for_office(settings.office), now)
