"""`pengaduan audit` on histories made with real Git operations: each wrong move gives the right finding."""
import json
from datetime import datetime

import pytest

from pengaduan.history.audit import audit_repository, replay
from pengaduan.core.config import load_settings
from pengaduan.history.reader import read_history

from pengaduan.history.calendar import WIB

import office
from office import CHIEF, RECORD_ID, RECORD_PATH, STAFF, STRANGER, TEKNIS, UMUM, commit, pull_request, record, walk_to


NOW = datetime(2026, 11, 29, 12, 0, tzinfo=WIB)


def audit(repo):
    """The full audit (rules as they stood, forge signatures), on this test's complaint."""
    timelines, violations = audit_repository(repo, "main", load_settings(repo), use_cache=False, now=NOW)
    mine = [v for v in violations if v.record == RECORD_ID]
    for found in mine:  # what staff read: a sentence saying what happened and one saying what to do
        assert isinstance(found.message, str) and isinstance(found.fix, str), found
        assert found.message[:1].isupper() and found.fix[:1].isupper(), found
        assert "None" not in found.message + found.fix, found
    return timelines, mine


def rules(repo) -> list[str]:
    return [v.rule for v in audit(repo)[1]]


def test_demo_audits_clean(demo_repo, run):
    result = run("--repo", demo_repo, "audit")
    assert result.exit_code == 0, result.output
    assert "sesuai SOP" in result.output


def test_a_complaint_walked_by_the_sop_is_clean_and_timed(demo_repo):
    walk_to(demo_repo, 8)
    timelines, violations = audit(demo_repo)
    assert violations == []
    timeline = timelines[RECORD_PATH]
    assert timeline.current == 8
    actors = {s.step: (s.person, s.at.strftime("%d %H:%M")) for s in timeline.steps}
    assert actors == {2: ("nurul", "03 09:00"), 3: ("rahmadi", "03 11:00"), 4: ("nurul", "04 09:00"),
                      5: ("bambang", "05 09:00"), 6: ("siti", "06 09:00"), 7: ("rahmadi", "09 10:00"),
                      8: ("nurul", "10 09:00")}


def test_squash_merge_is_named(demo_repo):
    pull_request(demo_repo, "b", [(record(2), STAFF, "2026-11-03T09:00:00+07:00"),
                                  (record(3), CHIEF, "2026-11-03T10:00:00+07:00")], how="squash")
    found = audit(demo_repo)[1]
    assert "squash-merge" in [v.rule for v in found]
    assert "merge commit" in next(v for v in found if v.rule == "squash-merge").fix


def test_direct_push_to_main(demo_repo):
    commit(demo_repo, record(2), STAFF, "2026-11-03T09:00:00+07:00", "langsung")
    assert rules(demo_repo) == ["langsung-ke-main"]


def test_unknown_identity(demo_repo):
    pull_request(demo_repo, "b", [(record(2), STRANGER, "2026-11-03T09:00:00+07:00")])
    found = audit(demo_repo)[1]
    assert [v.rule for v in found] == ["identitas-asing"]
    assert "luar@contoh.example" in found[0].message and found[0].person.startswith("Orang Luar")


def test_step_by_the_wrong_role(demo_repo):
    walk_to(demo_repo, 3)
    pull_request(demo_repo, "b", [(record(4), TEKNIS, "2026-11-04T09:00:00+07:00")])
    found = audit(demo_repo)[1]
    assert [v.rule for v in found] == ["peran-salah"]
    assert "Langkah 4" in found[0].message and "Staf Pelaksana" in found[0].message


def test_disposition_merged_by_staff(demo_repo):
    pull_request(demo_repo, "b", [(record(2), STAFF, "2026-11-03T09:00:00+07:00"),
                                  (record(3), STAFF, "2026-11-03T10:00:00+07:00")], merger=STAFF)
    found = audit(demo_repo)[1]
    assert [(v.rule, v.person) for v in found] == [("peran-salah", "Nurul Hidayah, S.Kom. (Staf Pelaksana Pengelola JDIH)")]
    assert "Langkah 3" in found[0].message and "menggabungkan" in found[0].fix


def test_reply_by_another_sub_bagian(demo_repo):
    walk_to(demo_repo, 4)
    pull_request(demo_repo, "b", [(record(5), UMUM, "2026-11-05T09:00:00+07:00")])
    found = audit(demo_repo)[1]
    assert [v.rule for v in found] == ["peran-salah"] and "Sub Bagian Teknis" in found[0].message


def test_skipped_step(demo_repo):
    walk_to(demo_repo, 4)
    pull_request(demo_repo, "b", [(record(6), TEKNIS, "2026-11-05T09:00:00+07:00")])
    assert "langkah-melompat" in rules(demo_repo)


def test_backward_step(demo_repo):
    walk_to(demo_repo, 4)
    pull_request(demo_repo, "b", [(record(3), STAFF, "2026-11-05T09:00:00+07:00")])
    assert rules(demo_repo) == ["langkah-mundur", "isi-beku-diubah"]  # it also erased the nota dinas


def test_deleted_record(demo_repo):
    walk_to(demo_repo, 3)
    pull_request(demo_repo, "b", [(None, STAFF, "2026-11-05T09:00:00+07:00")])
    assert rules(demo_repo) == ["rekaman-dihapus"]


def test_moved_record(demo_repo):
    walk_to(demo_repo, 3)
    office.git(demo_repo, "checkout", "-q", "-b", "pindah")
    (demo_repo / "records/2026/12").mkdir()
    office.git(demo_repo, "mv", RECORD_PATH, f"records/2026/12/{RECORD_ID}.yaml")
    office.git(demo_repo, "commit", "-q", "-m", "pindah", who=STAFF, when="2026-11-05T09:00:00+07:00")
    office.git(demo_repo, "checkout", "-q", "main")
    office.git(demo_repo, "merge", "-q", "--no-ff", "pindah", "-m", "Merge", who=CHIEF,
               when="2026-11-05T10:00:00+07:00")
    assert rules(demo_repo) == ["rekaman-dipindahkan"]


def test_frozen_agenda_number(demo_repo):
    walk_to(demo_repo, 3)
    changed = record(4)
    changed["diterima"] = {**changed["diterima"], "nomor_agenda": 9002}
    pull_request(demo_repo, "b", [(changed, STAFF, "2026-11-04T09:00:00+07:00")])
    found = audit(demo_repo)[1]
    assert [v.rule for v in found] == ["isi-beku-diubah"] and "diterima" in found[0].message


def test_closed_record_is_frozen_entirely(demo_repo):
    walk_to(demo_repo, 8)
    pull_request(demo_repo, "b", [(record(8, perihal="Perihal diganti"), STAFF, "2026-11-11T09:00:00+07:00")])
    found = audit(demo_repo)[1]
    assert [v.rule for v in found] == ["isi-beku-diubah"] and "sudah selesai" in found[0].message


CORRECTION = [{"tanggal": "2026-11-11", "bagian": ["perihal"], "alasan": "Salah ketik perihal saat pencatatan."}]


def test_correction_approved_by_the_kasubbag_is_accepted(demo_repo):
    walk_to(demo_repo, 8)
    fixed = record(8, perihal="Perilaku petugas KPPS di TPS 3", koreksi=CORRECTION)
    pull_request(demo_repo, "b", [(fixed, STAFF, "2026-11-11T09:00:00+07:00")])
    assert rules(demo_repo) == []


def test_correction_merged_by_staff_is_not(demo_repo):
    walk_to(demo_repo, 8)
    fixed = record(8, perihal="Perilaku petugas KPPS di TPS 3", koreksi=CORRECTION)
    pull_request(demo_repo, "b", [(fixed, STAFF, "2026-11-11T09:00:00+07:00")], merger=STAFF)
    assert rules(demo_repo) == ["isi-beku-diubah"]


def test_json_output_names_record_commit_person_rule(demo_repo, run):
    commit(demo_repo, record(2), STAFF, "2026-11-28T09:00:00+07:00", "langsung")
    result = run("--repo", demo_repo, "audit", "--format", "json")
    assert result.exit_code == 1
    (finding,) = json.loads(result.stdout)["temuan"]
    assert finding["rekaman"] == RECORD_ID and finding["aturan"] == "langsung-ke-main"
    assert len(finding["komit"]) == 40 and finding["orang"] == "Nurul Hidayah, S.Kom. (Staf Pelaksana Pengelola JDIH)"


def test_unknown_branch(demo_repo, run):
    result = run("--repo", demo_repo, "audit", "--cabang", "tidak-ada")
    assert result.exit_code == 1 and "tidak ditemukan" in result.output


@pytest.mark.parametrize("use_cache", [False, True])
def test_revised_sop_keeps_old_rules_for_old_records(demo_repo, use_cache):
    """A revision that moves step 4 to another role applies to new records only (SOP point 5)."""
    walk_to(demo_repo, 4)
    sop_dir = demo_repo / "tools/config/sop"
    text = (sop_dir / "sop-04-2022.yaml").read_text("utf-8")
    revised = text.replace('versi: "4/2022"', 'versi: "1/2027"').replace(
        'tanggal_pengesahan: "2022-04-04"', 'tanggal_pengesahan: "2027-01-04"')
    revised = revised.replace("  - nomor: 4\n    judul: Nota dinas tindak lanjut dikirim\n    peran: staf_pelaksana",
                              "  - nomor: 4\n    judul: Nota dinas tindak lanjut dikirim\n    peran: sub_bagian_umum")
    (sop_dir / "sop-01-2027.yaml").write_text(revised, "utf-8")
    settings = load_settings(demo_repo)
    assert settings.current_sop.version == "1/2027"
    _, violations = replay(read_history(demo_repo, use_cache=use_cache), settings)
    assert [v for v in violations if v.record == RECORD_ID] == []
