"""`pengaduan status`: on time, due today, overdue, computed at a time passed in."""
import json
from datetime import datetime

import pytest

from pengaduan.history.audit import replay
from pengaduan.history.calendar import WIB, WorkCalendar
from pengaduan.core.config import load_settings
from pengaduan.history.reader import read_history
from pengaduan.history.status import DUE_TODAY, LATE, ON_TIME, OVERDUE, WAITING, all_statuses

from office import RECORD_ID, walk_to


def status_at(repo, now: str):
    settings = load_settings(repo)
    timelines, _ = replay(read_history(repo, use_cache=False), settings)
    statuses = all_statuses(timelines, settings, WorkCalendar.for_office(settings.office),
                            datetime.fromisoformat(now).replace(tzinfo=WIB))
    return next((s for s in statuses if s.record_id == RECORD_ID), None)


@pytest.mark.parametrize("now, state, late", [
    ("2026-11-04 12:00", WAITING, 0),
    ("2026-11-05 10:00", DUE_TODAY, 0),
    ("2026-11-06 00:01", OVERDUE, 1),
    ("2026-11-09 10:00", OVERDUE, 2),
])
def test_open_step_states(demo_repo, now, state, late):
    walk_to(demo_repo, 4)
    record = status_at(demo_repo, now)
    step = record.open_step
    assert (step.step, step.state, step.late_by) == (5, state, late)
    assert step.role == "Sub Bagian Teknis Penyelenggaraan Pemilu dan Partisipasi Hubungan Masyarakat"


def test_done_steps_on_time_and_late(demo_repo):
    walk_to(demo_repo, 8)
    record = status_at(demo_repo, "2026-11-20 10:00")
    states = {row.step: (row.state, row.late_by) for row in record.steps}
    # step 7 was merged on Monday the 9th; step 6 was done Friday the 6th: on time.
    assert states[2] == (ON_TIME, 0) and states[7] == (ON_TIME, 0) and record.closed
    assert all(state in (ON_TIME, LATE) for state, _ in states.values())


def test_view_as_of_a_date(demo_repo):
    walk_to(demo_repo, 8)
    assert status_at(demo_repo, "2026-11-01 10:00") is None  # not yet arrived
    earlier = status_at(demo_repo, "2026-11-04 12:00")
    assert earlier.current == 4 and earlier.open_step.step == 5


def test_cli_status_on_the_demo_shows_late_steps(demo_repo, run):
    result = run("--repo", demo_repo, "status", "--pada", "2026-11-27")
    assert result.exit_code == 0, result.output
    assert "lewat tenggat" in result.output
    data = json.loads(run("--repo", demo_repo, "status", "--pada", "2026-11-27", "--format", "json").stdout)
    states = [s["keadaan"] for r in data["pengaduan"] for s in r["langkah_langkah"]]
    assert "terlambat" in states and "tepat waktu" in states


def test_cli_status_one_record(demo_repo, run):
    walk_to(demo_repo, 4)
    result = run("--repo", demo_repo, "status", RECORD_ID, "--pada", "2026-11-09")
    assert result.exit_code == 0, result.output
    assert "5. Nota dinas balasan sub bagian terkait" in result.output
    assert "lewat tenggat 2 hari kerja" in result.output
    missing = run("--repo", demo_repo, "status", "PGD-1999-00001")
    assert missing.exit_code == 1 and "tidak ditemukan" in missing.output


def test_status_of_one_record_follows_main_after_a_merge(demo_repo, run):
    import office
    walk_to(demo_repo, 4)
    first = run("--repo", demo_repo, "status", RECORD_ID, "--pada", "2026-11-20")
    again = run("--repo", demo_repo, "status", RECORD_ID, "--pada", "2026-11-20")  # from the index by number
    assert first.output == again.output and "5. Nota dinas balasan" in first.output and "dalam proses" in first.output
    assert (demo_repo / ".git" / "pengaduan" / "linimasa.cache").is_file()
    office.pull_request(demo_repo, f"{RECORD_ID}-langkah-5", [
        (office.record(n), who, f"2026-11-0{n + 1}T09:00:00+07:00")
        for n, who in ((5, office.TEKNIS), (6, office.UMUM), (7, office.CHIEF))], merged_at="2026-11-09T10:00:00+07:00")
    after = run("--repo", demo_repo, "status", RECORD_ID, "--pada", "2026-11-20")
    assert "Posisi: menunggu langkah 8" in after.output and "di main" in after.output
