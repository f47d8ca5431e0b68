"""Working days in WIB: weekends, national holidays, cuti bersama, and the office's own changes."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

import holidays

from .clock import END_OF_DAY, WIB

if TYPE_CHECKING:
    from .config import Office

__all__ = ["END_OF_DAY", "WIB", "WorkCalendar"]


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

    def effective_day(self, day: date) -> date:
        """Work done on a non-working day counts as done on the next working day."""
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def add_working_days(self, day: date, count: int) -> date:
        """The `count`-th working day after `day` (Alaveteli: counting starts the day after)."""
        while count > 0:
            day += timedelta(days=1)
            if self.is_working_day(day):
                count -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]; 0 when end is not after start."""
        days, count = start, 0
        while days < end:
            days += timedelta(days=1)
            count += self.is_working_day(days)
        return count

    def deadline(self, previous_done: datetime, working_days: int) -> datetime:
        """End (23:59:59 WIB) of the N-th working day after the previous step was done."""
        start = self.effective_day(previous_done.astimezone(WIB).date())
        return datetime.combine(self.add_working_days(start, working_days), END_OF_DAY, WIB)

    def late_by(self, done: datetime, deadline: datetime) -> int:
        """Working days by which `done` missed `deadline`; 0 when on time."""
        return self.working_days_between(deadline.date(), self.effective_day(done.astimezone(WIB).date()))

    def undecided_years(self, years: Iterable[int]) -> list[int]:
        return sorted(y for y in set(years) if not cuti_bersama_known(y))
