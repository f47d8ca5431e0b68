"""Deadlines: derived from a timeline, the SOP and the calendar at a `now` passed in; never stored."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING

from ..core.clock import WIB
from ..core.config import Settings
from ..core.sop import ARRIVAL
from ..core.wording import person_label
from .timeline import Timeline

if TYPE_CHECKING:  # a calendar is passed in; importing it (and the holidays data) here would slow every start-up
    from .calendar import WorkCalendar

ON_TIME, LATE = "tepat waktu", "terlambat"
DOUBTFUL = "waktu diragukan"  # its own time was implausible (see `pengaduan audit`): never on time
WAITING, DUE_TODAY, OVERDUE = "dalam tenggat", "jatuh tempo hari ini", "lewat tenggat"


@dataclass(frozen=True)
class StepStatus:
    step: int
    title: str
    role: str
    done_at: datetime | None
    actor: str
    deadline: datetime | None
    late_by: int  # working days
    state: str


@dataclass(frozen=True)
class RecordStatus:
    record_id: str
    path: str
    received: datetime
    current: int
    closed: bool
    steps: tuple[StepStatus, ...]
    sop_version: str = ""
    target: str = ""

    @property
    def open_step(self) -> StepStatus | None:
        return None if self.closed else self.steps[-1]


def as_of(timeline: Timeline, now: datetime) -> Timeline | None:
    """The timeline as it stood at `now`; None if the complaint had not arrived."""
    if timeline.received is None or timeline.received > now:
        return None
    steps = [s for s in timeline.steps if s.at <= now]
    return replace(timeline, steps=steps, current=max([1] + [s.step for s in steps]))


def record_status(timeline: Timeline, settings: Settings, calendar: WorkCalendar, now: datetime) -> RecordStatus:
    if timeline.received is None:  # as_of() passes on only complaints that have arrived
        raise ValueError(f"{timeline.record_id}: tanpa waktu diterima, tidak ada tenggat")
    sop = settings.sop(timeline.sop_version) or settings.current_sop
    by_step = {s.step: s for s in timeline.steps}
    arrival = sop.step(ARRIVAL)
    rows = [StepStatus(ARRIVAL, arrival.title, sop.roles[arrival.role]["nama"], timeline.received,
                       "(pengaduan tiba)", None, 0, ON_TIME)]
    previous = timeline.received
    for spec in sop.steps[1:timeline.current]:
        done = by_step.get(spec.number)
        deadline = calendar.deadline(previous, spec.working_days)
        at = done.at if done else previous
        late = calendar.late_by(at, deadline)
        actor = (person_label(settings.office, done.actor, done.email)
                 + (f" ({done.acting})" if done.acting else "")) if done else "(tidak tercatat)"
        rows.append(StepStatus(spec.number, spec.title, settings.role_name(sop, spec.role, timeline.target), at,
                               actor, deadline, late, DOUBTFUL if done and done.doubtful else LATE if late else ON_TIME))
        previous = at
    closed = timeline.current >= sop.last_step
    if not closed:
        spec = sop.step(timeline.current + 1)
        deadline = calendar.deadline(previous, spec.working_days)
        if now > deadline:
            state, late = OVERDUE, calendar.late_by(now, deadline)
        else:
            state, late = (DUE_TODAY if now.date() == deadline.date() else WAITING), 0
        rows.append(StepStatus(spec.number, spec.title, settings.role_name(sop, spec.role, timeline.target), None,
                               "", deadline, late,
                               state))
    return RecordStatus(timeline.record_id, timeline.path, timeline.received, timeline.current, closed, tuple(rows),
                        timeline.sop_version, timeline.target)


def all_statuses(timelines: dict[str, Timeline], settings: Settings, calendar: WorkCalendar,
                 now: datetime) -> list[RecordStatus]:
    result = []
    for timeline in timelines.values():
        if timeline.removed:
            continue
        seen = as_of(timeline, now)
        if seen is not None:
            result.append(record_status(seen, settings, calendar, now))
    return sorted(result, key=lambda r: r.record_id)


def calendar_warnings(statuses: list[RecordStatus], calendar: WorkCalendar, now: datetime) -> list[str]:
    years = {s.deadline.year for r in statuses for s in r.steps if s.deadline} | {now.astimezone(WIB).year}
    return [f"Cuti bersama tahun {year} belum ada di pustaka `holidays`; sampai ditetapkan, hari-hari itu dihitung "
            "sebagai hari kerja. Bila SKB sudah terbit, tambahkan tanggalnya di `libur_tambahan` "
            "(tools/config/kantor.yaml)." for year in calendar.undecided_years(years)]
