"""Working days in WIB around Nyepi and Idul Fitri 2026, year end, and the office's own changes."""
import shutil
from datetime import date, datetime, timedelta

import pytest

from pengaduan.history.calendar import WIB, WorkCalendar
from pengaduan.core.config import load_settings

from conftest import PROJECT_ROOT


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=WIB)


CALENDAR = WorkCalendar()


@pytest.mark.parametrize("previous, days, deadline", [
    ("2026-11-26 10:00", 1, "2026-11-27"),  # Thursday -> Friday
    ("2026-11-27 10:00", 1, "2026-11-30"),  # Friday -> Monday
    ("2026-11-28 10:00", 1, "2026-12-01"),  # Saturday counts as Monday -> Tuesday
    ("2026-03-17 10:00", 1, "2026-03-25"),  # cuti Nyepi 18, Nyepi 19, cuti 20, weekend, cuti Idul Fitri 23-24
    ("2026-03-21 09:00", 1, "2026-03-26"),  # Idul Fitri (Saturday) counts as the 25th
    ("2026-03-13 16:00", 3, "2026-03-25"),  # Friday + 3 working days: 16, 17, 25
    ("2026-05-13 10:00", 1, "2026-05-18"),  # Kenaikan 14, cuti bersama 15
    ("2026-12-23 15:00", 1, "2026-12-28"),  # cuti Natal 24, Natal 25, weekend
    ("2026-12-31 10:00", 1, "2027-01-04"),  # Tahun Baru 2027 on Friday
    ("2026-12-31 23:59", 1, "2027-01-04"),  # WIB end of day still the 31st
])
def test_deadlines(previous, days, deadline):
    result = CALENDAR.deadline(at(previous), days)
    assert result.date() == date.fromisoformat(deadline)
    assert (result.hour, result.minute, result.tzinfo) == (23, 59, WIB)


def test_utc_times_are_read_in_wib():
    # 17:30 UTC on the 26th is 00:30 WIB on Friday the 27th.
    utc = datetime.fromisoformat("2026-11-26T17:30:00+00:00")
    assert CALENDAR.deadline(utc, 1).date() == date(2026, 11, 30)


@pytest.mark.parametrize("done, deadline, late", [
    ("2026-03-25 10:00", "2026-03-25", 0),
    ("2026-03-26 08:00", "2026-03-25", 1),
    ("2026-03-28 10:00", "2026-03-25", 3),  # Saturday counts as Monday 30th: 26, 27, 30
    ("2026-03-24 10:00", "2026-03-25", 0),
])
def test_late_by(done, deadline, late):
    end = datetime.combine(date.fromisoformat(deadline), datetime.max.time()).replace(tzinfo=WIB)
    assert CALENDAR.late_by(at(done), end) == late


def test_office_extra_holiday_and_cancelled_cuti_bersama():
    office = WorkCalendar(extra_holidays={date(2026, 11, 30): "Libur daerah"},
                          extra_workdays={date(2026, 12, 24): "Cuti bersama dibatalkan"})
    assert office.deadline(at("2026-11-27 10:00"), 1).date() == date(2026, 12, 1)
    assert office.deadline(at("2026-12-23 10:00"), 1).date() == date(2026, 12, 24)
    assert office.holiday_name(date(2026, 11, 30)) == "Libur daerah"
    assert office.holiday_name(date(2026, 12, 24)) is None and office.is_working_day(date(2026, 12, 24))
    assert CALENDAR.holiday_name(date(2026, 12, 24)) is not None and not CALENDAR.is_working_day(date(2026, 12, 24))
    assert not office.is_working_day(date(2026, 11, 30)) and CALENDAR.is_working_day(date(2026, 11, 30))


def test_the_office_names_its_own_day_even_on_a_national_holiday():
    office = WorkCalendar(extra_holidays={date(2026, 12, 25): "Libur kantor"})
    assert office.holiday_name(date(2026, 12, 25)) == "Libur kantor"


def test_a_cancelled_day_counts_even_on_a_weekend():
    office = WorkCalendar(extra_workdays={date(2026, 11, 28): "Sabtu masuk"})
    assert office.is_working_day(date(2026, 11, 28)) and not CALENDAR.is_working_day(date(2026, 11, 28))
    assert office.deadline(at("2026-11-27 10:00"), 1).date() == date(2026, 11, 28)
    assert office.working_days_between(date(2026, 11, 27), date(2026, 11, 30)) == 2


def test_national_days_are_read_in_indonesian_with_cuti_bersama():
    """What we ask of the holidays package: Indonesian names, and the government category (cuti bersama)."""
    assert CALENDAR.holiday_name(date(2026, 3, 20)) == "Cuti Bersama Hari Raya Idul Fitri"
    assert CALENDAR.holiday_name(date(2026, 12, 25)) == "Hari Raya Natal"
    assert CALENDAR.holiday_name(date(2026, 11, 30)) is None


def test_undecided_cuti_bersama_is_said():
    assert CALENDAR.undecided_years([2026, 2027, 2028]) == [2028]


def test_the_office_file_lists_its_own_days(tmp_path):
    """libur_tambahan and hari_kerja_tambahan in kantor.yaml reach the calendar the tools use."""
    shutil.copytree(PROJECT_ROOT / "tools" / "config", tmp_path / "tools" / "config")
    office_file = tmp_path / "tools" / "config" / "kantor.yaml"
    office_file.write_text(office_file.read_text("utf-8").replace(
        "libur_tambahan: []", "libur_tambahan:\n  - {tanggal: 2026-11-30, keterangan: Libur daerah}").replace(
        "hari_kerja_tambahan: []", "hari_kerja_tambahan:\n  - {tanggal: 2026-12-24, keterangan: Masuk}"), "utf-8")
    calendar = WorkCalendar.for_office(load_settings(tmp_path).office)
    assert calendar.holiday_name(date(2026, 11, 30)) == "Libur daerah"
    assert calendar.is_working_day(date(2026, 12, 24))


def _office_changes(tmp_path) -> tuple[dict, dict]:
    """A kantor.yaml with mid-year changes (an extra holiday, a cancelled cuti bersama, a Saturday worked) read
    the way the office's file is read."""
    shutil.copytree(PROJECT_ROOT / "tools" / "config", tmp_path / "tools" / "config")
    kantor = tmp_path / "tools" / "config" / "kantor.yaml"
    text = kantor.read_text("utf-8")
    text = text.replace("libur_tambahan: []", "libur_tambahan:\n"
                        "  - {tanggal: 2025-07-15, keterangan: Libur daerah}\n"
                        "  - {tanggal: 2026-11-30, keterangan: Pilkada ulang}\n"
                        "  - {tanggal: 2027-01-01, keterangan: Tahun Baru (juga daftar kantor)}")
    text = text.replace("hari_kerja_tambahan: []", "hari_kerja_tambahan:\n"
                        "  - {tanggal: 2026-12-24, keterangan: Cuti bersama dibatalkan}\n"
                        "  - {tanggal: 2026-03-21, keterangan: Sabtu masuk kerja}")
    kantor.write_text(text, "utf-8")
    office = load_settings(tmp_path).office
    assert office.extra_holidays and office.extra_workdays
    return office.extra_holidays, office.extra_workdays


@pytest.mark.parametrize("office", [False, True])
def test_counting_table_matches_the_day_by_day_definition(office, tmp_path):
    """Every day of 2024-2028 (Idul Fitri, Nyepi, cuti bersama, year ends, an undecided year) and every count the
    SOP uses, against the walk; the table is built lazily and extended in both directions while asked."""
    extra = _office_changes(tmp_path) if office else ({}, {})
    calendar = WorkCalendar(*extra)
    first, last = date(2024, 1, 1), date(2028, 12, 31)
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    for day in days[len(days) // 2:] + days[:len(days) // 2]:  # starts mid-range: the table grows both ways
        assert calendar.effective_day(day) == walk_to_working_day(calendar, day), day
        for count in (0, 1, 2, 3, 5, 14, 30):
            assert calendar.add_working_days(day, count) == walk_ahead(calendar, day, count), (day, count)
    for start in days[::7]:
        for end in (start - timedelta(days=3), start, start + timedelta(days=1), start + timedelta(days=45),
                    start + timedelta(days=400)):
            assert calendar.working_days_between(start, end) == walk_between(calendar, start, end), (start, end)
    assert calendar._first == 2024 and calendar._last >= 2028  # the table answered, not the walk


def walk_ahead(calendar: WorkCalendar, day: date, count: int) -> date:
    """The definition, day by day, written out here independently of the code it checks."""
    while count > 0:
        day += timedelta(days=1)
        count -= calendar.is_working_day(day)
    return day


def walk_between(calendar: WorkCalendar, start: date, end: date) -> int:
    return sum(calendar.is_working_day(start + timedelta(days=n)) for n in range(1, (end - start).days + 1))


def walk_to_working_day(calendar: WorkCalendar, day: date) -> date:
    return day if calendar.is_working_day(day) else walk_ahead(calendar, day, 1)


def test_counting_far_ahead_and_beyond_the_table():
    """Counts that outgrow the table, a mistyped far year (walked, not tabled) and the end of the calendar."""
    assert CALENDAR.add_working_days(date(2026, 1, 1), 2000) == walk_ahead(CALENDAR, date(2026, 1, 1), 2000)
    assert CALENDAR.working_days_between(date(2206, 3, 1), date(2206, 4, 30)) == \
        walk_between(CALENDAR, date(2206, 3, 1), date(2206, 4, 30))
    assert CALENDAR.add_working_days(date(2206, 3, 1), 3) == walk_ahead(CALENDAR, date(2206, 3, 1), 3)
    assert CALENDAR._last - CALENDAR._first < 40
    end = WorkCalendar()
    assert end.working_days_between(date(9999, 12, 1), date(9999, 12, 31)) == \
        walk_between(end, date(9999, 12, 1), date(9999, 12, 31))
    with pytest.raises(OverflowError):
        end.add_working_days(date(9999, 12, 30), 5)
