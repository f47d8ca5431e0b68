"""`pengaduan periksa`: every kind of bad input gets one clear finding on the right line."""
import json
from pathlib import Path

import pytest

from pengaduan.core.records import (SCHEMA_COMMENT, _cross_checks, check_repository, letters, load_record_file,
                                    number_label)
from pengaduan.core.yamlio import dump

import office


def a_record(repo: Path) -> Path:
    return sorted((repo / "records").rglob("*.yaml"))[0]


def findings_for(repo: Path, path: Path):
    rel = path.relative_to(repo).as_posix()
    return [f for f in check_repository(repo) if f.path == rel]


def replace_line(path: Path, prefix: str, new: str) -> int:
    """Replace the first line starting with `prefix`; returns its 1-based number."""
    lines = path.read_text("utf-8").split("\n")
    index = next(i for i, line in enumerate(lines) if line.startswith(prefix))
    lines[index] = new
    path.write_text("\n".join(lines), "utf-8")
    return index + 1


def test_demo_repository_is_clean(demo_repo, run):
    result = run("--repo", demo_repo, "periksa", "--ketat")
    assert result.exit_code == 0, result.output
    assert "Semua berkas sah." in result.output


@pytest.mark.parametrize("prefix, new, code, words", [
    ("perihal:", "perihal: Nama: tidak terdaftar", "yaml-sintaks", "titik dua"),
    ("perihal:", "perihal:\n\tx: 1", "yaml-sintaks", "TAB"),
    ("kategori:", "kategori: lainnya\nkategori: daftar-pemilih", "yaml-kunci-ganda", "dua kali"),
    ("perihal:", "perihal: !!python/object/apply:os.system [ls]", "yaml-tag", "Tag"),
    ("langkah:", "langkah: dua", "skema-jenis", "angka bulat"),
    ("kategori:", "kategory: lainnya", "skema-kunci-asing", "kategori"),
])
def test_bad_line_is_named(demo_repo, prefix, new, code, words):
    path = a_record(demo_repo)
    line = replace_line(path, prefix, new)
    before = path.read_bytes()
    found = findings_for(demo_repo, path)
    codes = {f.code for f in found}
    assert code in codes, found
    finding = next(f for f in found if f.code == code)
    assert finding.line in (line, line + 1), (finding, line)
    assert words in finding.message + finding.fix
    assert path.read_bytes() == before  # periksa never touches a file


def test_billion_laughs_is_refused_quickly(demo_repo):
    path = a_record(demo_repo)
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
    path.write_text("\n".join(levels) + "\n", "utf-8")
    (finding,) = findings_for(demo_repo, path)
    assert finding.code == "yaml-alias" and finding.line == 1


@pytest.mark.parametrize("content, code", [
    (b"", "yaml-kosong"),
    (b"   \n\n", "yaml-kosong"),
    (b"- satu\n- dua\n", "yaml-bukan-peta"),
    (b"hanya teks\n", "yaml-bukan-peta"),
    (b"id: PGD-2026-00001\nperihal: caf\xe9\n", "yaml-utf8"),
    (b"x: " + b"a" * 2_000_000 + b"\n", "yaml-ukuran"),
])
def test_unusable_files(demo_repo, content, code):
    path = a_record(demo_repo)
    path.write_bytes(content)
    (finding,) = findings_for(demo_repo, path)
    assert finding.code == code


def test_fifty_megabytes_is_refused_without_parsing(demo_repo):
    path = a_record(demo_repo)
    with path.open("wb") as handle:
        handle.write(b"uraian: ")
        handle.write(b"x" * 50_000_000)
    (finding,) = findings_for(demo_repo, path)
    assert finding.code == "yaml-ukuran" and "terlalu besar" in finding.message


def test_non_utf8_names_the_line(demo_repo):
    path = a_record(demo_repo)
    line = replace_line(path, "perihal:", "perihal: Caf@")
    path.write_bytes(path.read_bytes().replace(b"Caf@", b"Caf\xe9"))  # Latin-1, as an old editor saves it
    (finding,) = findings_for(demo_repo, path)
    assert finding.code == "yaml-utf8" and finding.line == line and finding.column == len("perihal: Caf") + 1


@pytest.mark.parametrize("prefix, new, code, words", [
    ("  waktu:", '  waktu: "2026-02-30T09:00:00+07:00"', "skema-waktu", "zona waktu"),
    ("  waktu:", '  waktu: "2026-03-02T09:00:00"', "skema-waktu", "+07:00"),
    ("  kerahasiaan:", "  kerahasiaan: publik", "skema-pilihan", "anonim"),
    ("  nik:", "  nik: 12345", "skema-jenis", "tanda kutip"),
    ("kategori:", "kategori: hoaks", "rekaman-daftar", "daftar-pemilih"),
    ("versi_sop:", 'versi_sop: "9/2099"', "rekaman-sop", "4/2022"),
    ("langkah:", "langkah: 12", "rekaman-langkah", "8 langkah"),
])
def test_wrong_values(demo_repo, prefix, new, code, words):
    path = a_record(demo_repo)
    line = replace_line(path, prefix, new)
    found = findings_for(demo_repo, path)
    finding = next((f for f in found if f.code == code), None)
    assert finding is not None, found
    assert finding.line == line
    assert words in finding.message + finding.fix


def test_id_must_match_path(demo_repo):
    path = a_record(demo_repo)
    line = replace_line(path, "id:", "id: PGD-2026-09999")
    found = findings_for(demo_repo, path)
    finding = next(f for f in found if f.code == "rekaman-letak")
    assert finding.line == line and "PGD-2026-09999.yaml" in finding.message


def test_block_for_a_step_not_reached(demo_repo):
    path = a_record(demo_repo)
    line = replace_line(path, "langkah:", "langkah: 3")
    found = findings_for(demo_repo, path)
    early = next(f for f in found if f.code == "rekaman-blok-dini")
    assert "nota_dinas_tindak_lanjut" in early.message and early.line > line


def test_missing_block_for_a_finished_step(demo_repo):
    path = a_record(demo_repo)
    text = path.read_text("utf-8")
    start = text.index("disposisi:")
    end = text.index("nota_dinas_tindak_lanjut:")
    path.write_text(text[:start] + text[end:], "utf-8")
    found = findings_for(demo_repo, path)
    assert any(f.code == "rekaman-blok-hilang" and "disposisi" in f.message for f in found)


@pytest.mark.parametrize("name", ["../../../etc/passwd", "/etc/passwd", "tidak-ada.pdf", "a/../../b"])
def test_attachment_paths(demo_repo, name):
    path = a_record(demo_repo)
    text = path.read_text("utf-8").replace(f"{SCHEMA_COMMENT}\n", "")
    path.write_text(SCHEMA_COMMENT + "\n" + text + f"lampiran:\n  - berkas: {json.dumps(name)}\n", "utf-8")
    found = [f for f in findings_for(demo_repo, path) if f.code == "rekaman-lampiran"]
    assert len(found) == 1 and found[0].line == len(path.read_text("utf-8").splitlines())


def test_duplicate_numbers_across_records(demo_repo):
    first, second = sorted((demo_repo / "records").rglob("*.yaml"))[:2]
    agenda = next(l for l in first.read_text("utf-8").splitlines() if l.startswith("  nomor_agenda:"))
    line = replace_line(second, "  nomor_agenda:", agenda)
    found = [f for f in check_repository(demo_repo) if f.code == "rekaman-ganda-agenda"]
    assert {f.path for f in found} == {p.relative_to(demo_repo).as_posix() for p in (first, second)}
    assert next(f for f in found if f.path.endswith(second.name)).line == line


def test_stray_file_and_all_problems_at_once(demo_repo):
    (demo_repo / "records" / "2026" / "catatan.txt").write_text("x", "utf-8")
    first, second = sorted((demo_repo / "records").rglob("*.yaml"))[:2]
    replace_line(first, "langkah:", "langkah: dua")
    replace_line(second, "kategori:", "kategori: hoaks")
    found = check_repository(demo_repo)
    assert {f.code for f in found} >= {"rekaman-letak", "skema-jenis", "rekaman-daftar"}


def test_json_output_and_exit_codes(demo_repo, run):
    path = a_record(demo_repo)
    replace_line(path, "kategori:", "kategori: hoaks")
    result = run("--repo", demo_repo, "periksa", "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    (finding,) = report["temuan"]
    assert finding["kode"] == "rekaman-daftar" and finding["baris"] and finding["berkas"].startswith("records/")
    assert run("--repo", demo_repo, "periksa", "--format", "xml").exit_code == 2


def test_warning_fails_only_in_strict_mode(demo_repo, run):
    path = a_record(demo_repo)
    path.write_text(path.read_text("utf-8").replace(SCHEMA_COMMENT + "\n", ""), "utf-8")
    assert run("--repo", demo_repo, "periksa").exit_code == 0
    strict = run("--repo", demo_repo, "periksa", "--ketat")
    assert strict.exit_code == 1 and "PERINGATAN" in strict.output


def test_broken_configuration_is_reported(demo_repo, run):
    office = demo_repo / "tools" / "config" / "kantor.yaml"
    line = replace_line(office, "    sub_bagian: teknis", "    sub_bagian: teknik")
    result = run("--repo", demo_repo, "periksa")
    assert result.exit_code == 1
    assert f"tools/config/kantor.yaml:{line}:17: GALAT: Sub bagian `teknik` tidak ada." in result.output


@pytest.mark.parametrize("value", ['"ISI: perihal pengaduan"', r'"\x49SI: perihal"', r'"\u0049SI: perihal"',
                                   "'ISI: perihal'", '"IS\\\n  I: perihal"'])
def test_unfilled_value_is_found_however_it_is_written(demo_repo, value):
    """`ISI:` spelled with escapes or an escaped line break is still found (periksa looks for it in the text first)."""
    path = a_record(demo_repo)
    line = replace_line(path, "perihal:", f"perihal: {value}")
    found = findings_for(demo_repo, path)
    assert [(f.code, f.line) for f in found if f.code == "rekaman-belum-diisi"] == [("rekaman-belum-diisi", line)]


def test_every_unfilled_isi_field_is_named_on_its_line(tmp_path):
    """`ISI:` marks what `pengaduan baru` and `lanjut` leave for staff; such a record is not valid yet, whatever the
    schema would say of the text (perihal `ISI: ...` is a string long enough)."""
    data = office.record(3, perihal="ISI: perihal singkat pengaduan", ringkasan_publik="ISI: 1-2 kalimat")
    data["disposisi"] = {**data["disposisi"], "instruksi": "ISI: arahan Kasubbag"}
    (tmp_path / "r.yaml").write_text(dump(data, SCHEMA_COMMENT), "utf-8")
    record, _, problems = load_record_file(tmp_path, "r.yaml")
    unfilled = [(p.message, p.line) for p in problems if p.code == "rekaman-belum-diisi"]
    lines = (tmp_path / "r.yaml").read_text("utf-8").split("\n")
    where = {key: lines.index(next(line for line in lines if line.lstrip().startswith(key + ":"))) + 1
             for key in ("perihal", "ringkasan_publik", "instruksi")}
    assert record is None and sorted(unfilled) == sorted([
        ("`perihal` belum diisi petugas.", where["perihal"]),
        ("`ringkasan_publik` belum diisi petugas.", where["ringkasan_publik"]),
        ("`disposisi.instruksi` belum diisi petugas.", where["instruksi"])])
    assert "arahan Kasubbag" in next(p.fix for p in problems if "instruksi" in p.message)
    filled = office.record(3)
    (tmp_path / "r.yaml").write_text(dump(filled, SCHEMA_COMMENT), "utf-8")
    assert load_record_file(tmp_path, "r.yaml")[0] == filled


def test_any_numbered_letter_a_revised_sop_adds_is_held_to_one_register():
    """No letter block is named in code: a block with a `nomor` (an SOP's `isian` with `nomor_surat`) is a letter,
    and one number is never on two letters, whichever blocks they are."""
    first = {"id": "PGD-2026-00001", "diterima": {"waktu": "2026-11-02T09:00:00+07:00", "nomor_agenda": 1},
             "nota_dinas_tindak_lanjut": {"nomor": "7/HK.06-ND/6211/XI/2026"}, "disposisi": {"sifat": "biasa"}}
    second = {"id": "PGD-2026-00002", "diterima": {"waktu": "2026-11-03T09:00:00+07:00", "nomor_agenda": 2},
              "surat_undangan": {"nomor": "7/HK.06-ND/6211/XI/2026", "tanggal": "2026-11-04"}}
    assert letters(second) == [("surat_undangan", "7/HK.06-ND/6211/XI/2026")] and letters({"rekap": {"hasil": "x"}}) == []
    found = _cross_checks({"a.yaml": (first, "nota_dinas_tindak_lanjut:\n  nomor: x\n"),
                           "b.yaml": (second, "surat_undangan:\n  nomor: x\n")})
    assert [(f.path, f.message.split(" juga")[0], f.line) for f in found] == [
        ("a.yaml", "Nomor nota dinas tindak lanjut 7/HK.06-ND/6211/XI/2026", 2),
        ("b.yaml", "Nomor surat undangan 7/HK.06-ND/6211/XI/2026", 2)]
    assert number_label("agenda") == "nomor agenda"
