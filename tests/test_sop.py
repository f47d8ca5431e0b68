"""The SOP data file says exactly what the signed SOP says."""
from pathlib import Path

from pengaduan.config import load_settings

from conftest import PROJECT_ROOT

SEED = Path(__file__).parent / "fixtures" / "sop-04-2022.txt"
# The seed lost the swimlane marks; the actors come from the SOP's columns as read by the office.
ACTORS = {1: "kasubbag_hukum", 2: "staf_pelaksana", 3: "kasubbag_hukum", 4: "staf_pelaksana",
          5: "sub_bagian_terkait", 6: "sub_bagian_umum", 7: "kasubbag_hukum", 8: "staf_pelaksana"}


def seed_rows() -> dict[int, list[str]]:
    rows = {}
    for line in SEED.read_text("utf-8").splitlines():
        cells = line.split("\t")
        if cells[0].isdigit() and len(cells) == 9:
            rows[int(cells[0])] = cells
    return rows


def test_every_step_matches_the_seed_table():
    sop = load_settings(PROJECT_ROOT).sop("4/2022")
    rows = seed_rows()
    assert sorted(rows) == [s.number for s in sop.steps] == list(range(1, 9))
    for step in sop.steps:
        number, activity, _, _, _, _, requirements, output, time_limit = rows[step.number]
        assert step.activity == activity
        assert step.requirements == requirements
        assert step.output == output
        assert time_limit == f"{step.working_days} hari kerja"
        assert step.role == ACTORS[step.number]


def test_identity_and_dispositions():
    sop = load_settings(PROJECT_ROOT).sop("4/2022")
    text = SEED.read_text("utf-8")
    assert f"NOMOR : {sop.number}" in text
    assert sop.approved_on.isoformat() == "2022-04-04"
    assert sop.approved_by["nama"] in text and sop.approved_by["nip"] in text
    assert [s.number for s in sop.steps if s.is_disposition] == [3, 7]
    assert all(s.role == "kasubbag_hukum" for s in sop.steps if s.is_disposition)
    for law in sop.legal_basis:
        assert law.split(" tentang ")[0] in text
