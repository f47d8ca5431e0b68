"""The public whitelist on its own, without a site build: what each field says, and what never leaves.

Fast on purpose (no Git, no MkDocs): the mutation run (bench/mutasi.sh) runs it for every mutant of projection.py.
"""
from dataclasses import replace
from datetime import datetime

import pytest

from conftest import PROJECT_ROOT
from office import RECORD_ID, RECORD_PATH, record
from pengaduan.history.audit import StepDone, Timeline
from pengaduan.history.calendar import WIB, WorkCalendar
from pengaduan.core.config import load_settings
from pengaduan.outputs.projection import (FACTS, MERGED, OPEN_DATA_FILE, OpenDataError, _Facts, cell, internal_view,
                                          load_open_data, merge_small, open_data, project, publishable)
from pengaduan.history.status import record_status
from pengaduan.outputs.site import csv_columns, datapackage, dictionary_markdown, public_csv

SETTINGS = load_settings(PROJECT_ROOT)
CALENDAR = WorkCalendar.for_office(SETTINGS.office)
RECEIVED = datetime(2026, 11, 2, 9, 0, tzinfo=WIB)  # Monday
PERSONAL = {"nama": "KANARINAMA", "nik": "99" + "0011223344" + "5577", "email": "kanari@contoh.invalid", "alamat": "Jl. Kanari"}


def status_at(step: int, now: datetime, days: dict[int, str] | None = None):
    times = {2: "2026-11-03T09:00", 3: "2026-11-03T11:00", 4: "2026-11-04T09:00", 5: "2026-11-05T09:00",
             6: "2026-11-06T09:00", 7: "2026-11-09T10:00", 8: "2026-11-10T09:00"} | (days or {})
    steps = [StepDone(n, int(datetime.fromisoformat(times[n]).replace(tzinfo=WIB).timestamp()), "Nurul",
                      "nurul@contoh.invalid", "nurul", "0" * 40) for n in range(2, step + 1)]
    timeline = Timeline(RECORD_ID, RECORD_PATH, "4/2022", RECEIVED, steps, step, target="teknis" if step >= 3 else "")
    return record_status(timeline, SETTINGS, CALENDAR, now)


def data(step: int, **changes) -> dict:
    base = record(step, **changes)
    base["pelapor"] = {**base["pelapor"], **PERSONAL, **changes.get("pelapor", {})}
    base["lampiran"] = [{"berkas": "KANARILAMPIRAN.pdf"}]
    base["catatan_internal"] = "KANARICATATAN"
    return base


def test_a_finished_complaint_is_published_field_by_field():
    now = datetime(2026, 11, 20, 12, 0, tzinfo=WIB)
    shown = project(data(8), status_at(8, now), SETTINGS)
    assert shown.counted.month == "2026-11" and shown.counted.category == "Etika dan perilaku petugas"
    assert shown.counted.channel == "Surat elektronik" and shown.counted.step == 8
    assert shown.counted.closed is True and shown.counted.overdue is False and shown.counted.secret is False
    public = shown.public
    assert public["nomor"] == RECORD_ID and public["diterima"] == "2026-11-02" and public["langkah"] == 8
    assert public["keadaan"] == "selesai" and public["menunggu"] is None and public["lewat_tenggat"] is False
    assert public["sub_bagian"] == SETTINGS.office.subdivisions["teknis"]
    assert public["hasil"] == "ditindaklanjuti" and public["ringkasan"] == "Laporan perilaku petugas KPPS."
    assert public["sop"] == "SOP Nomor " + SETTINGS.sop("4/2022").number
    assert [row["langkah"] for row in public["linimasa"]] == [2, 3, 4, 5, 6, 7, 8]
    assert public["linimasa"][0] == {"langkah": 2, "judul": SETTINGS.sop("4/2022").step(2).title,
                                     "selesai": "2026-11-03", "tenggat": "2026-11-03", "keadaan": "tepat waktu",
                                     "terlambat_hari_kerja": 0}


def test_an_open_overdue_complaint_says_who_it_waits_for():
    now = datetime(2026, 11, 20, 12, 0, tzinfo=WIB)  # step 4 was due on 2026-11-04
    status = status_at(3, now)
    shown = project(data(3), status, SETTINGS)
    assert shown.counted.closed is False and shown.counted.overdue is True and shown.counted.step == 3
    assert shown.public["keadaan"] == "dalam proses" and shown.public["lewat_tenggat"] is True
    waiting = status.open_step
    assert shown.public["menunggu"] == f"{waiting.title} ({waiting.role})"
    assert shown.public["hasil"] is None
    assert shown.public["linimasa"][-1]["keadaan"] == "lewat tenggat"
    assert shown.public["linimasa"][-1]["selesai"] is None
    on_time = project(data(3), status_at(3, datetime(2026, 11, 3, 12, 0, tzinfo=WIB)), SETTINGS)
    assert on_time.counted.overdue is False and on_time.public["lewat_tenggat"] is False


def test_before_a_disposition_no_sub_bagian_is_named():
    shown = project(data(2), status_at(2, datetime(2026, 11, 3, 12, 0, tzinfo=WIB)), SETTINGS)
    assert shown.public["sub_bagian"] is None and shown.counted.step == 2


def test_unknown_category_and_channel_are_counted_as_lainnya():
    odd = data(2, kategori="tidak-ada")
    odd["diterima"] = {**odd["diterima"], "saluran": "merpati"}
    shown = project(odd, status_at(2, datetime(2026, 11, 3, 12, 0, tzinfo=WIB)), SETTINGS)
    assert shown.counted.category == "Lainnya" and shown.counted.channel == "Lainnya"


def test_month_and_day_are_read_in_wib():
    status = status_at(2, datetime(2026, 11, 3, 12, 0, tzinfo=WIB))
    utc = datetime.fromisoformat("2026-10-31T18:30:00+00:00")  # 01:30 WIB on 1 November
    shown = project(data(2), replace(status, received=utc), SETTINGS)
    assert shown.counted.month == "2026-11" and shown.public["diterima"] == "2026-11-01"


@pytest.mark.parametrize("step", [2, 8])
def test_nothing_personal_is_in_the_public_view(step):
    shown = project(data(step), status_at(step, datetime(2026, 11, 20, 12, 0, tzinfo=WIB)), SETTINGS)
    text = repr(shown.public) + repr(shown.counted)
    for value in [*PERSONAL.values(), "KANARILAMPIRAN", "KANARICATATAN", "Petugas membentak", "Perilaku petugas KPPS"]:
        assert value not in text
    assert set(shown.public) == {"nomor", "diterima", "kategori", "saluran", "langkah", "keadaan", "menunggu",
                                 "lewat_tenggat", "sub_bagian", "hasil", "ringkasan", "linimasa", "sop"}


def test_a_rahasia_complaint_only_counts():
    secret = data(8, pelapor={"kerahasiaan": "rahasia"})
    shown = project(secret, status_at(8, datetime(2026, 11, 20, 12, 0, tzinfo=WIB)), SETTINGS)
    assert shown.public is None and shown.counted.secret is True and shown.counted.step == 8
    assert publishable([shown]) == []
    open_one = project(data(8), status_at(8, datetime(2026, 11, 20, 12, 0, tzinfo=WIB)), SETTINGS)
    assert publishable([shown, open_one]) == [open_one]
    internal = internal_view(secret, shown)
    assert internal["nomor"] == RECORD_ID and internal["ringkasan"] == "(rahasia)"
    assert internal["kerahasiaan"] == "rahasia" and internal["pelapor"]["nama"] == "KANARINAMA"
    assert internal["perihal"] == "Perilaku petugas KPPS" and internal["uraian"] == "Petugas membentak pemilih.\n"
    assert internal["lampiran"] == ["KANARILAMPIRAN.pdf"]
    assert internal_view(data(8), open_one)["langkah"] == 8  # the public fields stay in the internal view


@pytest.mark.parametrize("rows, minimum, expected", [
    ([("a", 5), ("b", 1), ("c", 2), ("d", 0)], 3, [("a", 5), (MERGED, 3)]),
    ([("a", 5), ("b", 1), ("c", 1)], 3, [("a", 5), (MERGED, None)]),
    ([("a", 3), ("b", 3)], 3, [("a", 3), ("b", 3)]),
    ([("a", 1), ("b", 1)], 3, []),
    ([("a", 2), ("b", 1)], 3, [(MERGED, 3)]),
    ([], 3, []),
])
def test_small_cells_are_merged(rows, minimum, expected):
    assert merge_small(rows, minimum) == expected


def test_merged_row_label_can_be_chosen_and_cells_hide_small_counts():
    assert merge_small([("a", 4), ("b", 1)], 2, "lain") == [("a", 4), ("lain", None)]
    assert [cell(n, 3) for n in (0, 1, 2, 3, 4)] == [0, "< 3", "< 3", 3, 4]


def test_the_projection_keeps_its_status_and_reads_the_records_sop():
    status = status_at(8, datetime(2026, 11, 20, 12, 0, tzinfo=WIB))
    assert project(data(8), status, SETTINGS).status is status
    assert project(data(8, pelapor={"kerahasiaan": "rahasia"}), status, SETTINGS).status is status
    unknown = project(data(8, versi_sop="9/2099"), status, SETTINGS)  # falls back to the SOP in force
    assert unknown.public["sop"] == f"SOP Nomor {SETTINGS.current_sop.number}"


def test_internal_view_of_a_record_without_attachments():
    plain = data(2)
    del plain["lampiran"]
    shown = project(plain, status_at(2, datetime(2026, 11, 3, 12, 0, tzinfo=WIB)), SETTINGS)
    assert internal_view(plain, shown)["lampiran"] == []


# ---- the columns of open data are data (schema/data-terbuka.yaml) ---------------------------------------------

def _columns_file(tmp_path, *extra: str):
    path = tmp_path / "data-terbuka.yaml"
    path.write_text(OPEN_DATA_FILE.read_text("utf-8") + "".join(extra), "utf-8")
    return path


def test_a_new_column_is_one_entry_in_the_open_data_file(tmp_path):
    columns = load_open_data(_columns_file(
        tmp_path, "  - nama: selesai_pada\n    sumber: tanggal_selesai\n    jenis: date\n"
                  "    isi: tanggal langkah terakhir selesai\n",
        "  - nama: sifat\n    sumber: sifat_disposisi\n    jenis: string\n    csv: false\n"
        "    pilihan: [biasa, segera]\n    isi: sifat disposisi Kasubbag Hukum\n"))
    now = datetime(2026, 11, 30, 12, 0, tzinfo=WIB)
    row = project(data(8, disposisi={"diteruskan_kepada": "teknis", "sifat": "segera"}), status_at(8, now), SETTINGS,
                  columns).public
    assert row["selesai_pada"] == "2026-11-10" and row["sifat"] == "segera"
    assert csv_columns(columns)[-1] == "selesai_pada" and "sifat" not in csv_columns(columns)
    assert public_csv([row], columns).splitlines()[1].endswith(",2026-11-10")
    package = datapackage(SETTINGS, now, columns)
    fields = {f["name"]: f for f in package["resources"][1]["schema"]["fields"]}
    assert fields["selesai_pada"]["type"] == "date" and fields["sifat"]["constraints"] == {"enum": ["biasa", "segera"]}
    assert "| `sifat` | sifat disposisi Kasubbag Hukum |" in dictionary_markdown(columns)
    assert project(data(8), status_at(8, now), SETTINGS).public.keys() == {c.name for c in open_data()}
    shipped = {f["name"]: f for f in datapackage(SETTINGS, now, load_open_data())["resources"][1]["schema"]["fields"]}
    assert shipped["nomor"]["constraints"] == {"required": True, "unique": True}
    assert shipped["langkah"]["constraints"] == {"minimum": 1, "maximum": 99}
    assert "constraints" not in shipped["ringkasan"] and shipped["lewat_tenggat"]["trueValues"] == ["ya"]


def test_every_fault_of_the_open_data_file_is_named_at_once_and_no_column_reads_a_person(tmp_path):
    path = _columns_file(tmp_path, "  - nama: nama_pelapor\n    sumber: pelapor.nama\n    jenis: string\n    isi: x\n",
                         "  - nama: nomor\n    sumber: nomor\n    jenis: teks\n    isi: ''\n    warna: merah\n")
    with pytest.raises(OpenDataError) as refused:
        load_open_data(path)
    message = str(refused.value)
    assert str(path) in message and "kolom ke-14: `sumber` 'pelapor.nama' bukan fakta publik" in message
    for fault in ("kunci `warna` tidak dikenal", "`nama` nomor sudah dipakai", "`jenis` 'teks' tidak dikenal",
                  "`isi` (penjelasan untuk pembaca) wajib diisi"):
        assert "kolom ke-15: " in message and fault in message


@pytest.mark.parametrize("text, says", [
    ("kolom: []\n", "harus berisi `kolom:`"),
    ("- nama: nomor\n", "harus berisi `kolom:`"),
    ("kolom: [\n", "tidak dapat dibaca"),
    ("kolom:\n  - nomor\n", "kolom ke-1: harus berupa `nama: ...`"),
    ("kolom:\n  - {nama: Nomor-Besar, sumber: nomor, jenis: string, isi: x}\n", "`nama` harus huruf kecil"),
    ("kolom:\n  - {nama: a, sumber: nomor, jenis: string, isi: x, pilihan: 5}\n", "`pilihan` harus daftar teks"),
    ("kolom:\n  - {nama: a, sumber: nomor, jenis: string, isi: x, pilihan: [ya, 2]}\n", "`pilihan` harus daftar"),
    ("kolom:\n  - {nama: a, sumber: nomor, jenis: integer, isi: x, minimum: satu}\n", "`minimum` harus bilangan"),
    ("kolom:\n  - {nama: a, sumber: nomor, jenis: integer, isi: x, maksimum: true}\n", "`maksimum` harus bilangan"),
    ("kolom:\n  - {nama: a, sumber: nomor, jenis: string, isi: x, csv: ya}\n", "`csv` harus true atau false"),
])
def test_a_wrong_open_data_file_is_refused_saying_what_to_fix(tmp_path, text, says):
    path = tmp_path / "data-terbuka.yaml"
    path.write_text(text, "utf-8")
    with pytest.raises(OpenDataError) as refused:
        load_open_data(path)
    assert str(refused.value).startswith(f"{path}: ") and says in str(refused.value)


def test_no_public_fact_reads_the_complainant_or_what_they_wrote():
    now = datetime(2026, 11, 30, 12, 0, tzinfo=WIB)
    facts = _Facts(data(8, disposisi={"diteruskan_kepada": "teknis", "sifat": "segera"}), status_at(8, now),
                   project(data(8), status_at(8, now), SETTINGS).counted, SETTINGS, SETTINGS.current_sop)
    published = repr({name: fact(facts) for name, fact in FACTS.items()})
    for value in [*PERSONAL.values(), "KANARILAMPIRAN", "KANARICATATAN", facts.record["uraian"][:20],
                  facts.record["perihal"]]:
        assert value not in published
