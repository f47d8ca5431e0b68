"""How people read numbers and dates in Indonesian: "29 November 2026", "6,5", "87,5%", "2 (dua) berkas".

Pure functions, shared by the documents and (later) the site. Dates are shown in WIB.
"""
from __future__ import annotations

from datetime import date, datetime

from .clock import WIB

MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember")
DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
_ONES = ("nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan", "sepuluh",
         "sebelas")


def as_day(value: date | str) -> date:
    """A date from a date, a datetime (taken in WIB), or their ISO text."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    return value.astimezone(WIB).date() if isinstance(value, datetime) else value


def long_date(value: date | str) -> str:
    """4 April 2022."""
    day = as_day(value)
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def day_and_date(value: date | str) -> str:
    """Senin, 2 November 2026."""
    return f"{DAYS[as_day(value).weekday()]}, {long_date(value)}"


def long_time(value: datetime) -> str:
    """2 November 2026 pukul 09.15 WIB (Indonesian writes the time with a dot)."""
    moment = value.astimezone(WIB)
    return f"{long_date(moment)} pukul {moment:%H.%M} WIB"


def month_year(value: date | str) -> str:
    """November 2026, from a date or "2026-11"."""
    if isinstance(value, str) and len(value) == 7:
        value = f"{value}-01"
    day = as_day(value)
    return f"{MONTHS[day.month - 1]} {day.year}"


def decimal(value: float | None, places: int = 1) -> str:
    """6,5 and 1.234,5: a decimal comma and dots between thousands; whole numbers without decimals; "-" for None."""
    if value is None:
        return "-"
    if float(value).is_integer():
        places = 0
    text = f"{float(value):,.{places}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def percent(rate: float | None, places: int = 1) -> str:
    """A fraction as a percentage: 0.875 -> 87,5%."""
    return "-" if rate is None else f"{decimal(rate * 100, places)}%"


def in_words(number: int) -> str:
    """A whole number in Indonesian words (terbilang): 21 -> dua puluh satu."""
    if number < 0:
        return "minus " + in_words(-number)
    if number < 12:
        return _ONES[number]
    if number < 20:
        return f"{_ONES[number - 10]} belas"
    for size, name in ((1_000_000_000, "miliar"), (1_000_000, "juta"), (1000, "ribu"), (100, "ratus"), (10, "puluh")):
        if number >= size:
            head, rest = divmod(number, size)
            words = ("se" + name) if head == 1 and size in (100, 1000) else f"{in_words(head)} {name}"
            return f"{words} {in_words(rest)}" if rest else words
    raise AssertionError(number)


def counted(number: int, noun: str) -> str:
    """2 (dua) berkas: how a letter counts things."""
    return f"{number} ({in_words(number)}) {noun}"
