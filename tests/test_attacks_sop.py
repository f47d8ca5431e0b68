"""Attacks on the SOP as data: a staff member choosing, adding or editing the rules a complaint is judged by."""
from datetime import datetime

import pytest

from pengaduan.core.config import load_settings
from pengaduan.history.audit import audit_repository
from pengaduan.history.calendar import WIB

from office import change_file, walk_to

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=WIB)
SOP = "tools/config/sop/sop-04-2022.yaml"
REVISED = "tools/config/sop/sop-01-2027.yaml"


def _revise(repo, when: str) -> None:
    """The Kasubbag merges a revised SOP (1/2027) in which step 4 moves from staff to the Sub Bagian Umum."""
    def revised(_: str) -> str:
        text = (repo / SOP).read_text("utf-8").replace('versi: "4/2022"', 'versi: "1/2027"').replace(
            'tanggal_pengesahan: "2022-04-04"', 'tanggal_pengesahan: "2026-10-30"')
        return text.replace("  - nomor: 4\n    judul: Nota dinas tindak lanjut dikirim\n    peran: staf_pelaksana",
                            "  - nomor: 4\n    judul: Nota dinas tindak lanjut dikirim\n    peran: sub_bagian_umum")
    change_file(repo, REVISED, revised, when=when, branch="sop-revisi")


def _findings(repo, rule: str) -> list[str]:
    return [v.message for v in audit_repository(repo, "main", load_settings(repo), use_cache=False, now=NOW)[1]
            if v.rule == rule]


@pytest.mark.parametrize("version, revised_at, flagged", [
    ("4/2022", "2026-11-01T08:00:00+07:00", True),  # received after the revision, under the old rules: its step 4
    ("1/2027", "2026-11-01T08:00:00+07:00", False),
    ("4/2022", "2026-11-02T10:00:00+07:00", False),  # received before the revision landed: it keeps the old one
])
def test_a_new_complaint_cannot_pick_a_superseded_sop(demo_repo, version, revised_at, flagged):
    """Nothing checked a record's `versi_sop` against the SOP in force: whoever registered a complaint could pick
    an older SOP (its steps and roles: here, staff still sending the nota dinas the revision gave to Sub Bagian
    Umum), and every later step was judged by that choice."""
    _revise(demo_repo, revised_at)
    walk_to(demo_repo, 3, versi_sop=version)
    found = _findings(demo_repo, "sop-bukan-yang-berlaku")
    assert bool(found) is flagged, found
    if flagged:
        assert "versi 4/2022" in found[0] and "versi 1/2027" in found[0]
