"""Working days in WIB around Nyepi and Idul Fitri 2026, year end, and the office's own changes."""
import shutil
from datetime import date, datetime

import pytest

from pengaduan.calendar import WIB, WorkCalendar
from pengaduan.config import load_settings

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
