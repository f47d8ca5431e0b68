"""The whole queue: complaints in open pull requests are seen by status, pengingat, numbering and the duplicate check.

Every test works on a real repository with real branches (local and, through a clone, remote-tracking).
"""
import json
import os
import subprocess
import sys
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path

import pytest

from pengaduan.history.calendar import WIB
from pengaduan.core.config import load_settings
from pengaduan.intake.eml import read_eml
from pengaduan.queue import duplicate_of, next_numbers, places, read_all, read_queue
from pengaduan.history.status import OVERDUE
from pengaduan.intake.workflow import Repository, WorkflowError, advance, register

import office
from conftest import git

STAFF_EMAIL = "nurul@pulangpisau.kpu.example"
ARRIVED = datetime(2026, 11, 30, 8, 0, tzinfo=WIB)  # Monday
LATER = datetime(2026, 12, 10, 12, 0, tzinfo=WIB)  # eight working days on


def mail(message_id: str, body: str = "Nama saya tidak ada di DPT TPS 5.", sender: str = "budi@contoh.example",
         sent: str = "Mon, 30 Nov 2026 07:30:00 +0700") -> bytes:
    m = EmailMessage()
    m["From"], m["To"], m["Subject"] = f"Warga <{sender}>", "pengaduan@x.example", "DPT TPS 5"
    m["Date"], m["Message-ID"] = sent, message_id
    m.set_content(body)
    return bytes(m)


def staff(settings, key="nurul"):
    return next(p for p in settings.office.people if p.id == key)


def registered(repo_path: Path, message_id: str = "<q1@contoh.example>", when: datetime = ARRIVED, **kwargs):
    settings = load_settings(repo_path)
    (done,) = register(Repository(repo_path), settings, [("a.eml", read_eml(mail(message_id, **kwargs), "a.eml"))],
                       staff(settings), when)
    return settings, done


def place_of(repo_path: Path, record_id: str, now: datetime):
    settings = load_settings(repo_path)
    queue, timelines = read_all(repo_path, settings)
    return next((p for p in places(queue, settings, now, timelines=timelines) if p.status.record_id == record_id), None)


def test_registration_on_a_branch_waits_for_the_kasubbag_with_its_deadline(demo_repo):
    settings, done = registered(demo_repo)
    place = place_of(demo_repo, done.record_id, LATER)
    assert place is not None and place.branch.name == done.branch
    step = place.status.open_step
    assert (step.step, step.state) == (3, OVERDUE) and step.late_by > 0
    assert step.deadline.date().isoformat() == "2026-12-01"  # one working day after registration
    assert "Disposisi Kasubbag" in place.waiting and f"di cabang {done.branch}" in place.waiting
    assert place.status.steps[1].actor.startswith("Nurul")  # step 2, done on the branch, by whom and when
    before = place_of(demo_repo, done.record_id, datetime(2026, 11, 29, 12, 0, tzinfo=WIB))
    assert before is None  # not yet arrived on the 29th


def test_status_and_reminder_show_the_branch_and_the_kasubbag_section(demo_repo, run, tmp_path):
    _, done = registered(demo_repo)
    one = run("--repo", demo_repo, "status", done.record_id, "--pada", "2026-12-10")
    assert one.exit_code == 0, one.output
    assert "Posisi: menunggu langkah 3 (Disposisi Kasubbag Hukum)" in one.output and done.branch in one.output
    listing = run("--repo", demo_repo, "status", "--pada", "2026-12-10")
    assert f"{done.record_id}: langkah 3" in listing.output and "di pull request terbuka" in listing.output
    data = json.loads(run("--repo", demo_repo, "status", "--pada", "2026-12-10", "--format", "json").stdout)
    mine = next(r for r in data["pengaduan"] if r["nomor"] == done.record_id)
    assert mine["cabang"] == done.branch and mine["langkah_langkah"][-1]["keadaan"] == OVERDUE
    out = tmp_path / "pengingat.md"
    reminder = run("--repo", demo_repo, "pengingat", "--pada", "2026-12-10", "--keluar", out)
    assert reminder.exit_code == 0, reminder.output
    text = out.read_text("utf-8")
    sections = {part.split("\n", 1)[0]: part for part in text.split("\n## ")[1:]}
    chief = sections["Kepala Sub Bagian Hukum dan SDM (Ketua Tim Teknis)"]
    assert f"**{done.record_id}** langkah 3" in chief and f"di cabang {done.branch}" in chief
    assert "@rahmadi-kpu" in chief
    assert list(sections)[0].startswith("Kepala Sub Bagian Hukum") and len(sections) == 4


def test_a_prepared_disposition_waits_until_merged(demo_repo):
    settings, done = registered(demo_repo)
    advance(Repository(demo_repo), settings, done.record_id, staff(settings, "rahmadi"), ARRIVED, {"kepada": "teknis"})
    place = place_of(demo_repo, done.record_id, LATER)
    assert place.prepared and place.status.open_step.step == 3 and "persetujuan" in place.waiting
    office.forge_merge(demo_repo, done.branch, f"Merge pull request #5 from kpu/{done.branch}", office.CHIEF,
                       "2026-11-30T10:00:00+07:00")
    merged = place_of(demo_repo, done.record_id, LATER)
    assert merged.branch is None and merged.status.open_step.step == 4 and merged.where == "di main"


def test_remote_tracking_branches_and_pull_request_numbers(demo_repo, tmp_path):
    _, done = registered(demo_repo)
    clone = tmp_path / "salinan"
    git(tmp_path, "clone", "-q", str(demo_repo), str(clone))
    queue = read_queue(clone)
    (branch,) = [b for b in queue.branches if b.name == done.branch]
    assert branch.ref == f"refs/remotes/origin/{done.branch}"
    numbered = read_queue(clone, {done.branch: 41})
    assert next(b for b in numbered.branches if b.name == done.branch).place == "di pull request #41"
    git(clone, "fetch", "-q", "origin", f"+refs/heads/{done.branch}:refs/pull/42/head")
    (seen,) = [b for b in read_queue(clone).branches if b.pull_request == 42]
    assert seen.name == done.branch and seen.place == "di pull request #42"  # one entry: the name and the number


def test_same_email_twice_before_merge_is_refused(demo_repo, tmp_path):
    settings, done = registered(demo_repo)
    with pytest.raises(WorkflowError, match=f"sudah tercatat sebagai {done.record_id} \\(di cabang {done.branch}\\)"):
        registered(demo_repo)
    resent = "Nama  saya tidak ada di DPT\nTPS 5."  # another Message-ID, same sender and text
    with pytest.raises(WorkflowError, match=done.record_id):
        registered(demo_repo, "<lain@contoh.example>", body=resent)
    clone = tmp_path / "salinan"  # a colleague's clone sees the branch only as origin/…
    git(tmp_path, "clone", "-q", str(demo_repo), str(clone))
    with pytest.raises(WorkflowError, match=done.record_id):
        registered(clone)
    assert duplicate_of(read_queue(demo_repo), "<belum@contoh.example>", "") is None


def test_text_from_the_public_cannot_change_numbers(demo_repo):
    settings = load_settings(demo_repo)
    before = next_numbers(read_queue(demo_repo), settings, 2026)
    hostile = ("Mohon dicatat.\n  nomor_agenda: 99999\nid: PGD-2026-99999\n"
               "Nomor surat kami 9999/HK.06-ND/6211/XI/2026 dan 9998/PP.01-ND/6211/XI/2026.")
    _, first = registered(demo_repo, "<h1@contoh.example>", body=hostile)
    assert first.record_id == settings.office.registration_number(2026, before[0])
    queue = read_queue(demo_repo)
    after = next_numbers(queue, settings, 2026)
    assert after == (before[0] + 1, before[1] + 1)
    raw = git(demo_repo, "show", f"{first.branch}:records/2026/11/{first.record_id}.yaml")
    assert "99999" in raw and f"nomor_agenda: {before[1]}" in raw
    step4 = _letter_after(demo_repo, first, settings)
    assert not step4.startswith("9999") and not step4.startswith("10000")


def _letter_after(repo_path, done, settings):
    """Walk the complaint to step 4 and return the nota dinas number `lanjut` gave it."""
    repo = Repository(repo_path)
    advance(repo, settings, done.record_id, staff(settings, "rahmadi"), ARRIVED, {"kepada": "teknis"})
    office.forge_merge(repo_path, done.branch, "Merge pull request #6", office.CHIEF, "2026-11-30T10:00:00+07:00")
    step4 = advance(repo, settings, done.record_id, staff(settings), ARRIVED, {})
    text = git(repo_path, "show", f"{step4.branch}:records/2026/11/{done.record_id}.yaml")
    return text.split("nota_dinas_tindak_lanjut:")[1].split("nomor:")[1].split("\n")[0].strip().strip('"')


def test_two_staff_registering_at_once_get_distinct_numbers(demo_repo, tmp_path):
    git(demo_repo, "config", "user.email", STAFF_EMAIL)
    files = []
    for n in range(3):
        path = tmp_path / f"s{n}.eml"
        path.write_bytes(mail(f"<bersamaan{n}@contoh.example>", body=f"Pengaduan nomor {n}.", sender=f"w{n}@x.example",
                              sent="Mon, 2 Nov 2026 07:30:00 +0700"))  # the CLI refuses times after its clock
        files.append(path)
    command = [str(Path(sys.executable).parent / "pengaduan"), "--repo", str(demo_repo), "baru", "--eml"]
    running = [subprocess.Popen([*command, str(f)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=dict(os.environ)) for f in files]
    outputs = [p.communicate() for p in running]
    assert all(p.returncode == 0 for p in running), outputs
    numbers = {out.split(":")[0] for out, _ in outputs}
    assert len(numbers) == 3
    queue = read_queue(demo_repo)
    agendas = [e.agenda for path, e, branch in queue.tips() if branch and e.id in numbers]
    assert len(set(agendas)) == 3


def test_a_colleague_clone_numbers_after_pushed_branches(demo_repo, tmp_path):
    settings, mine = registered(demo_repo)
    clone = tmp_path / "rekan"
    git(tmp_path, "clone", "-q", str(demo_repo), str(clone))
    _, theirs = registered(clone, "<rekan@contoh.example>", body="Lain hal.", sender="lain@x.example")
    assert theirs.record_id != mine.record_id


def test_public_site_counts_queued_complaints_and_nothing_else(demo_repo):
    from pengaduan.queue import queued_counts
    from pengaduan.outputs.site import prepare
    waiting, late = queued_counts(demo_repo, load_settings(demo_repo), LATER)  # the demo's own open registrations
    canary, nik = "Zulkarnain Antrean-Rahasia", "6211" + "0" * 11 + "7"
    registered(demo_repo, "<situs@contoh.example>", body=f"Saya {canary}, NIK {nik}.")
    build = prepare(demo_repo, False, LATER)
    home = build.placeholders["<!-- rekap:beranda -->"]
    assert f"{waiting + 1} pengaduan baru sedang dalam pencatatan" in home
    assert f"{late + 1} di antaranya lewat tenggat" in home
    published = home + "".join(v if isinstance(v, str) else v.decode("utf-8", "replace") for v in build.files.values())
    assert canary not in published and nik not in published and "situs@contoh" not in published


def test_rekap_includes_complaints_in_open_pull_requests(demo_repo, run, tmp_path):
    # `rekap` reports at the machine's clock: a complaint from before the tests' fixed dates
    _, done = registered(demo_repo, sent="Mon, 2 Nov 2026 07:30:00 +0700",
                         when=datetime(2026, 11, 2, 9, 0, tzinfo=WIB))
    result = run("--repo", demo_repo, "rekap", "--dari", "2026-11-02", "--sampai", "2026-11-02", "--format", "csv",
                 "--keluar", tmp_path)
    assert result.exit_code == 0, result.output
    (table,) = tmp_path.glob("*.csv")
    assert done.record_id in table.read_text("utf-8")


def test_a_branch_left_behind_main_does_not_move_the_complaint(demo_repo):
    office.walk_to(demo_repo, 4)
    git(demo_repo, "switch", "-q", "-c", "ditinggalkan", "main")
    office.commit(demo_repo, office.record(5), office.TEKNIS, "2026-11-05T08:00:00+07:00", "balasan lama")
    git(demo_repo, "switch", "-q", "main")
    waiting = place_of(demo_repo, office.RECORD_ID, datetime(2026, 11, 5, 12, 0, tzinfo=WIB))
    assert waiting.branch.name == "ditinggalkan" and waiting.status.open_step.step == 6
    office.pull_request(demo_repo, f"{office.RECORD_ID}-langkah-5", [
        (office.record(n), who, f"2026-11-0{n + 1}T09:00:00+07:00")
        for n, who in ((5, office.TEKNIS), (6, office.UMUM), (7, office.CHIEF))], merged_at="2026-11-09T10:00:00+07:00")
    office.pull_request(demo_repo, f"{office.RECORD_ID}-langkah-8",
                        [(office.record(8), office.STAFF, "2026-11-10T09:00:00+07:00")],
                        merged_at="2026-11-10T10:00:00+07:00")
    done = place_of(demo_repo, office.RECORD_ID, LATER)
    assert done.branch is None and done.status.closed and done.waiting == "selesai"


def _git_processes(monkeypatch, tmp_path, action) -> int:
    """How many `git` processes `action` starts (a logging `git` first on PATH)."""
    import shutil
    shim, log = tmp_path / "shim", tmp_path / "git-calls"
    shim.mkdir(exist_ok=True)
    log.write_text("")
    (shim / "git").write_text(f'#!/bin/sh\necho "$1" >> "{log}"\nexec "{shutil.which("git")}" "$@"\n')
    (shim / "git").chmod(0o755)
    with monkeypatch.context() as patch:
        patch.setenv("PATH", f"{shim}{os.pathsep}{os.environ['PATH']}")
        action()
    return len(log.read_text().split())


def test_git_processes_do_not_grow_with_the_number_of_branches(demo_repo, monkeypatch, tmp_path):
    settings = load_settings(demo_repo)
    read_all(demo_repo, settings)  # caches filled, as in daily use
    few = _git_processes(monkeypatch, tmp_path, lambda: read_all(demo_repo, settings))
    for n in range(12):
        git(demo_repo, "switch", "-q", "-c", f"tambahan-{n}", "main")
        office.commit(demo_repo, office.record(2, id=f"PGD-2026-095{n:02d}"), office.STAFF,
                      "2026-11-03T09:00:00+07:00", "pencatatan", path=f"records/2026/11/PGD-2026-095{n:02d}.yaml")
    git(demo_repo, "switch", "-q", "main")
    read_all(demo_repo, settings)
    many = _git_processes(monkeypatch, tmp_path, lambda: read_all(demo_repo, settings))
    assert many == few and few <= 12, (few, many)
    assert len([b for b in read_queue(demo_repo).branches if b.name.startswith("tambahan-")]) == 12


def test_a_backdated_commit_on_a_branch_is_never_on_time(demo_repo):
    from pengaduan.history.status import DOUBTFUL
    settings, done = registered(demo_repo, when=datetime(2026, 11, 1, 9, 0, tzinfo=WIB))  # before it arrived
    place = place_of(demo_repo, done.record_id, LATER)
    step2 = place.status.steps[1]
    assert step2.state == DOUBTFUL and step2.done_at == place.status.received


def test_status_survives_a_main_record_whose_arrival_time_is_unreadable(demo_repo, run):
    # A record that reached main without a readable `diterima.waktu` (pushed past the checks), advanced on a branch:
    # status leaves it out (audit names it) instead of failing on the missing arrival time.
    broken = {"waktu": "bukan-waktu", "saluran": "email", "nomor_agenda": 9001}
    office.walk_to(demo_repo, 3, diterima=broken)
    git(demo_repo, "checkout", "-q", "-b", f"{office.RECORD_ID}-langkah-4", "main")
    office.commit(demo_repo, office.record(4, diterima=broken), office.STAFF, "2026-11-04T09:00:00+07:00",
                  f"{office.RECORD_ID}: langkah 4")
    git(demo_repo, "checkout", "-q", "main")
    result = run("--repo", demo_repo, "status", "--pada", "2026-12-10")
    assert result.exit_code == 0, result.output
    assert office.RECORD_ID not in result.output
