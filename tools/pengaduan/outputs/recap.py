"""Recap figures for a period: totals, on-time rates, days to close. Pure: projections in, numbers out."""
from __future__ import annotations

import calendar as month_calendar
import math
import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import date

from ..core.formatting import MONTHS, long_date
from ..core.sop import Sop
from ..history.calendar import WIB, WorkCalendar
from ..history.status import LATE, ON_TIME
from .projection import Projection


@dataclass(frozen=True)
class Period:
    """The days a recap covers (by date of receipt), its title and its file name."""
    start: date
    end: date
    label: str
    name: str


def month_or_year(year: int, month: int | None = None) -> Period:
    """One month of `year`, or the whole year."""
    last = month or 12
    return Period(start=date(year, month or 1, 1), end=date(year, last, month_calendar.monthrange(year, last)[1]),
                  label=f"{MONTHS[month - 1]} {year}" if month else f"Tahun {year}",
                  name=f"rekap-{year}" + (f"-{month:02d}" if month else ""))


def date_range(start: date, end: date) -> Period:
    return Period(start=start, end=end, label=f"{long_date(start)} s.d. {long_date(end)}", name=f"rekap-{start}-{end}")


@dataclass(frozen=True)
class StepRate:
    step: int
    title: str
    done: int
    on_time: int

    @property
    def rate(self) -> float | None:
        return self.on_time / self.done if self.done else None


@dataclass(frozen=True)
class Recap:
    total: int
    closed: int
    open: int
    overdue: int
    secret: int
    by_step: list[tuple[str, int]]
    by_category: list[tuple[str, int]]
    by_channel: list[tuple[str, int]]
    by_month: list[tuple[str, int]]
    rates: list[StepRate]
    close_median: float | None
    close_p90: int | None


def percentile(values: list[int], fraction: float) -> int | None:
    """Nearest-rank percentile."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def make_recap(projections: list[Projection], sop: Sop, calendar: WorkCalendar) -> Recap:
    counted = [p.counted for p in projections]
    steps = Counter(c.step for c in counted)
    done = Counter((row.step, row.state) for p in projections for row in p.status.steps
                   if row.state in (ON_TIME, LATE))  # one pass over every step of every complaint
    rates = [StepRate(spec.number, spec.title, done[spec.number, ON_TIME] + done[spec.number, LATE],
                      done[spec.number, ON_TIME]) for spec in sop.steps[1:]]
    to_close = [calendar.working_days_between(p.status.received.astimezone(WIB).date(),
                                              p.status.steps[-1].done_at.astimezone(WIB).date())
                for p in projections if p.status.closed and p.status.steps[-1].done_at]
    return Recap(
        total=len(counted), closed=sum(c.closed for c in counted), open=sum(not c.closed for c in counted),
        overdue=sum(c.overdue for c in counted), secret=sum(c.secret for c in counted),
        by_step=[(f"{s.number}. {s.title}", steps.get(s.number, 0)) for s in sop.steps[1:]],
        by_category=Counter(c.category for c in counted).most_common(),
        by_channel=Counter(c.channel for c in counted).most_common(),
        by_month=sorted(Counter(c.month for c in counted).items()),
        rates=rates,
        close_median=statistics.median(to_close) if to_close else None,
        close_p90=percentile(to_close, 0.9),
    )
