"""The SOP data file says exactly what the signed SOP says."""
from pathlib import Path

from pengaduan.core.config import check_config, config_files, load_settings

from conftest import PROJECT_ROOT

SOP_FILE = "tools/config/sop/sop-04-2022.yaml"
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


def test_the_signed_sop_file_keeps_todays_behaviour_from_the_defaults():
    """SOP No. 4 Tahun 2022 as committed has no `isian` or `templat` (records freeze the file): the defaults, keyed
    by block and template name, give it exactly what `lanjut` and `nota` did before they became data."""
    sop = load_settings(PROJECT_ROOT).sop("4/2022")
    raw = (PROJECT_ROOT / sop.path).read_text("utf-8")
    assert "isian:" not in raw and "templat:" not in raw
    fields = {s.number: s.fields for s in sop.steps}
    assert fields[1] == fields[2] == {}
    assert fields[3]["diteruskan_kepada"] == {"opsi": "kepada", "pilihan": "sub_bagian"}
    assert fields[4]["nomor"] == {"nomor_surat": "nota_dinas_tindak_lanjut"}
    assert fields[6] == {"diterima_tanggal": {"tanggal": "hari_ini"}}
    assert fields[8]["catatan"] == {"salin": "nota_dinas_balasan.isi", "bawaan": "ISI: catatan rekap"}
    assert sop.templates["nota-dinas-tindak-lanjut"]["batas_jawaban"] == "nota_dinas_balasan"
    assert sop.templates["nota-dinas-balasan"]["penanda_tangan"] == "kepala_tujuan"


def _checked_with(sop_text: str):
    files = config_files(PROJECT_ROOT)
    files[SOP_FILE] = sop_text.encode()
    return check_config(files)


def test_every_mistake_in_the_new_keys_is_reported_with_its_line():
    text = (PROJECT_ROOT / SOP_FILE).read_text("utf-8")
    text = text.replace("disposisi: true", "disposisi: false").replace(
        "dasar_hukum:", "templat:\n  nota-dinas-balasan:\n    judul: Nota\n    penanda_tangan: ketua_tim\n"
                        "    rujukan: surat_lain\ndasar_hukum:", 1)
    settings, findings = _checked_with(text)
    assert settings is None
    by_code = {f.code: f for f in findings if f.path == SOP_FILE}
    assert set(by_code) == {"sop-peran", "sop-blok", "sop-disposisi"}, [f.render() for f in findings]
    lines = text.splitlines()
    assert "ketua_tim" in by_code["sop-peran"].message
    assert lines[by_code["sop-peran"].line - 1].strip() == "penanda_tangan: ketua_tim"
    assert "surat_lain" in by_code["sop-blok"].message
    assert lines[by_code["sop-blok"].line - 1].strip() == "rujukan: surat_lain"


def test_an_unknown_isian_kind_and_a_misplaced_registration_are_refused():
    text = (PROJECT_ROOT / SOP_FILE).read_text("utf-8")
    text = text.replace("    dokumen: [nota-dinas-tindak-lanjut]\n",
                        "    dokumen: [nota-dinas-tindak-lanjut]\n    isian:\n      nomor: {nomor_acak: 3}\n", 1)
    settings, findings = _checked_with(text)
    (finding,) = [f for f in findings if f.path == SOP_FILE]
    assert settings is None and finding.code == "skema-bentuk" and "langkah.3.isian.nomor" in finding.message
    assert text.splitlines()[finding.line - 1].strip().startswith("nomor: {nomor_acak")
    assert "nomor_surat" in finding.fix
    moved = (PROJECT_ROOT / SOP_FILE).read_text("utf-8").replace("    blok: diterima\n", "    blok: rekap_awal\n", 1)
    _, findings = _checked_with(moved)
    assert {f.code for f in findings} >= {"sop-git"}
