"""Working days in WIB: weekends, national holidays, cuti bersama, and the office's own changes.

`is_working_day` is the definition; counting (`add_working_days`, `working_days_between`, `effective_day`) reads
a table built from it once per year the calendar is asked about, so that the deadlines of 10,000 records cost a
few look-ups each instead of a walk day by day (tests/test_calendar.py checks the table against the walk).
"""
from __future__ import annotations

from array import array
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

import holidays

from ..core.clock import END_OF_DAY, WIB

if TYPE_CHECKING:
    from ..core.config import Office

__all__ = ["END_OF_DAY", "WIB", "WorkCalendar"]
TABLE_YEARS = 40  # the longest span of years one calendar keeps a table for


@lru_cache(maxsize=64)
def _national(year: int) -> dict[date, str]:
    return dict(holidays.country_holidays("ID", years=year, categories=("public", "government"), language="id"))


@lru_cache(maxsize=64)
def cuti_bersama_known(year: int) -> bool:
    """False when the decree for `year` is not in the holidays package yet (it returns nothing, silently)."""
    return bool(holidays.country_holidays("ID", years=year, categories=("government",)))


class WorkCalendar:
    def __init__(self, extra_holidays: dict[date, str] | None = None,
                 extra_workdays: dict[date, str] | None = None) -> None:
        self.extra_holidays = dict(extra_holidays or {})
        self.extra_workdays = dict(extra_workdays or {})
        self._first = self._last = 0  # the table covers the years [_first, _last]; 0: no table yet
        self._base = 0  # ordinal of 1 January of _first
        self._through: array[int] = array("l")  # for each day from _base: working days from _base up to it, inclusive
        self._working: array[int] = array("l")  # ordinals of the working days from _base on, ascending
        self._effective: dict[date, date] = {}  # effective_day, remembered: 10,000 records share a few hundred days
        self._deadlines: dict[tuple[date, int], datetime] = {}  # deadline, likewise

    @classmethod
    def for_office(cls, office: Office) -> "WorkCalendar":
        return cls(office.extra_holidays, office.extra_workdays)

    def holiday_name(self, day: date) -> str | None:
        if day in self.extra_workdays:
            return None
        return self.extra_holidays.get(day) or _national(day.year).get(day)

    def is_working_day(self, day: date) -> bool:
        if day in self.extra_workdays:
            return True
        return day.weekday() < 5 and self.holiday_name(day) is None

    def _table(self, first: int, last: int) -> bool:
        """Extend the table to cover the years `first` to `last`; False (no table) when it would span more than
        TABLE_YEARS years, e.g. for a mistyped year: the walk below answers those."""
        if self._first:
            first, last = min(first, self._first), max(last, self._last)
        if last - first >= TABLE_YEARS:
            return False
        if (first, last) != (self._first, self._last):
            base = date(first, 1, 1).toordinal()
            through, working = array("l"), array("l")
            for ordinal in range(base, date(last, 12, 31).toordinal() + 1):
                if self.is_working_day(date.fromordinal(ordinal)):
                    working.append(ordinal)
                through.append(len(working))
            self._first, self._last, self._base, self._through, self._working = first, last, base, through, working
        return True

    def _count_through(self, day: date) -> int:
        """Working days from the table's start up to and including `day` (the table covers `day.year`)."""
        return self._through[day.toordinal() - self._base]

    def effective_day(self, day: date) -> date:
        """Work done on a non-working day counts as done on the next working day."""
        found = self._effective.get(day)
        if found is None:
            found = self._effective[day] = day if self.is_working_day(day) else self.add_working_days(day, 1)
        return found

    def add_working_days(self, day: date, count: int) -> date:
        """The `count`-th working day after `day` (Alaveteli: counting starts the day after)."""
        if count <= 0:
            return day
        if self._table(day.year, min(date.max.year, day.year + 1 + count // 200)):  # >= 200 working days a year
            wanted = self._count_through(day) + count  # the answer is the table's wanted-th working day
            if wanted <= len(self._working):
                return date.fromordinal(self._working[wanted - 1])
        return self._walk_ahead(day, count)

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]; 0 when end is not after start."""
        if end <= start:
            return 0
        if self._table(start.year, end.year):
            return self._count_through(end) - self._count_through(start)
        return self._walk_between(start, end)

    def _walk_ahead(self, day: date, count: int) -> date:
        """add_working_days, day by day (the definition the table reproduces)."""
        while count > 0:
            day += timedelta(days=1)
            if self.is_working_day(day):
                count -= 1
        return day

    def _walk_between(self, start: date, end: date) -> int:
        """working_days_between, day by day (the definition the table reproduces)."""
        day, count = start, 0
        while day < end:
            day += timedelta(days=1)
            count += self.is_working_day(day)
        return count

    def deadline(self, previous_done: datetime, working_days: int) -> datetime:
        """End (23:59:59 WIB) of the N-th working day after the previous step was done."""
        key = (previous_done.astimezone(WIB).date(), working_days)
        found = self._deadlines.get(key)
        if found is None:
            start = self.effective_day(key[0])
            found = self._deadlines[key] = datetime.combine(self.add_working_days(start, working_days), END_OF_DAY, WIB)
        return found

    def late_by(self, done: datetime, deadline: datetime) -> int:
        """Working days by which `done` missed `deadline`; 0 when on time."""
        return self.working_days_between(deadline.date(), self.effective_day(done.astimezone(WIB).date()))

    def undecided_years(self, years: Iterable[int]) -> list[int]:
        return sorted(y for y in set(years) if not cuti_bersama_known(y))
