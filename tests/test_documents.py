"""Documents via Pandoc: right numbers, dates, names and NIP in DOCX, PDF and HTML; untrusted text stays text."""
import re
import subprocess

import docx
import pytest

from pengaduan.core import yamlio
from pengaduan.core.config import load_settings
from pengaduan.outputs.documents import DocumentError, md_escape, record_context
from pengaduan.core.formatting import long_date
from pengaduan.core.records import SCHEMA_COMMENT

from browser import require
from conftest import PROJECT_ROOT
from office import RECORD_PATH, propose, record, walk_to

INJECTIONS = ["<script>alert(1)</script>", r"\input{/etc/passwd}", '`#read("/etc/hostname")`{=typst}',
              "[x](javascript:alert(1))"]


def pdf_text(path) -> str:
    require("pdftotext", "poppler-utils")
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def docx_rows(path) -> dict[str, str]:
    """The header fields of a nota dinas: label -> value (the table row 'Nomor : ...')."""
    rows = {}
    for table in docx.Document(str(path)).tables:
        for row in table.rows:
            cells = [c.text.strip() for c in row.cells]
            if len(cells) == 3 and cells[1] == ":":
                rows[cells[0]] = cells[2]
    return rows


def docx_text(path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join(parts)


@pytest.fixture
def walked(demo_repo):
    walk_to(demo_repo, 5)
    return demo_repo


def test_nota_dinas_fields_in_docx_and_pdf(walked, run, tmp_path):
    result = run("--repo", walked, "nota", "PGD-2026-09001", "--semua", "--format", "docx,pdf,html",
                 "--keluar", tmp_path)
    assert result.exit_code == 0, result.output
    stem = tmp_path / "PGD-2026-09001-nota-dinas-tindak-lanjut"
    fields = docx_rows(stem.with_suffix(".docx"))
    assert fields["Nomor"] == "901/HK.06-ND/6211/XI/2026"
    assert fields["Tanggal"] == "4 November 2026"
    assert fields["Yth."] == "Kepala Sub Bagian Teknis Penyelenggaraan Pemilu dan Partisipasi Hubungan Masyarakat"
    assert fields["Hal"] == "Tindak lanjut pengaduan"
    body = docx_text(stem.with_suffix(".docx"))
    assert "Rahmadi Saputra, S.H." in body and "NIP 19800101 200501 1 001" in body
    assert body.index("NOTA DINAS") < body.index("Mohon ditindaklanjuti") < body.index("Rahmadi Saputra")
    text = pdf_text(stem.with_suffix(".pdf"))
    for expected in ("NOTA DINAS", "901/HK.06-ND/6211/XI/2026", "4 November 2026", "Kepala Sub Bagian Teknis",
                     "Rahmadi Saputra, S.H.", "NIP 19800101 200501 1 001"):
        assert expected in text, expected
    assert re.search(r"Nomor\s+:\s+901/HK", text)
    reply = docx_rows((tmp_path / "PGD-2026-09001-nota-dinas-balasan").with_suffix(".docx"))
    assert reply["Nomor"] == "902/PP.01-ND/6211/XI/2026" and reply["Dari"].startswith("Kepala Sub Bagian Teknis")
    sheet = docx_text((tmp_path / "PGD-2026-09001-lembar-disposisi").with_suffix(".docx"))
    assert "Nomor agenda: 9001" in sheet and "Diterima tanggal: 2 November 2026" in sheet
    assert "Harap dicermati dan dibuatkan nota dinas tindak lanjut." in sheet


def test_only_the_current_steps_documents(walked, run, tmp_path):
    out = tmp_path / "keluar"
    result = run("--repo", walked, "nota", "PGD-2026-09001", "--keluar", out)
    assert result.exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == ["PGD-2026-09001-nota-dinas-balasan.docx",
                                                         "PGD-2026-09001-nota-dinas-balasan.pdf"]


def test_injection_strings_stay_literal_everywhere(walked, run, tmp_path):
    path = walked / RECORD_PATH
    data = record(5, perihal=" ".join(INJECTIONS))
    data["nota_dinas_tindak_lanjut"]["isi"] = "\n".join(INJECTIONS)
    data["nota_dinas_tindak_lanjut"]["hal"] = INJECTIONS[0]
    path.write_text(yamlio.dump(data, SCHEMA_COMMENT), "utf-8")
    propose(walked, "teks-asing")
    result = run("--repo", walked, "nota", "PGD-2026-09001", "--semua", "--format", "docx,pdf,html",
                 "--keluar", tmp_path)
    assert result.exit_code == 0, result.output
    stem = tmp_path / "PGD-2026-09001-nota-dinas-tindak-lanjut"
    word = docx_text(stem.with_suffix(".docx"))
    pdf = " ".join(pdf_text(stem.with_suffix(".pdf")).split())
    html = stem.with_suffix(".html").read_text("utf-8")
    hostname = open("/etc/hostname").read().strip()
    for injection in INJECTIONS:
        assert injection in word, injection
        assert injection in pdf, injection
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html
    assert "javascript:" not in re.findall(r'href="([^"]*)"', html).__str__()
    assert "\\input{/etc/passwd}" in html and "root:x:0:0" not in pdf + word + html
    assert not hostname or f" {hostname} " not in f" {pdf} "


def test_bad_record_and_no_document(demo_repo, run, tmp_path):
    tmp_path = tmp_path / "keluar"
    walk_to(demo_repo, 7)
    nothing = run("--repo", demo_repo, "nota", "PGD-2026-09001", "--keluar", tmp_path)
    assert nothing.exit_code == 1 and "tidak menghasilkan dokumen" in nothing.output
    (demo_repo / RECORD_PATH).write_text((demo_repo / RECORD_PATH).read_text("utf-8").replace(
        "kategori: etika-petugas", "kategori: hoaks"), "utf-8")
    propose(demo_repo, "kategori-salah")
    bad = run("--repo", demo_repo, "nota", "PGD-2026-09001", "--semua", "--keluar", tmp_path)
    assert bad.exit_code == 1 and "Kategori `hoaks` tidak dikenal" in bad.output
    missing = run("--repo", demo_repo, "nota", "PGD-1999-00001", "--keluar", tmp_path)
    assert missing.exit_code == 1 and "tidak ditemukan" in missing.output
    assert not tmp_path.exists() or list(tmp_path.iterdir()) == []


def test_recap_period_in_every_format(demo_repo, run, tmp_path):
    walk_to(demo_repo, 8)
    result = run("--repo", demo_repo, "rekap", "--tahun", "2026", "--bulan", "11", "--format",
                 "docx,pdf,html,csv,xlsx", "--keluar", tmp_path)
    assert result.exit_code == 0, result.output
    csv_text = (tmp_path / "rekap-2026-11.csv").read_text("utf-8")
    assert "PGD-2026-09001,2026-11-02,Etika dan perilaku petugas" in csv_text
    import openpyxl
    sheet = openpyxl.load_workbook(tmp_path / "rekap-2026-11.xlsx").active
    ids = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "PGD-2026-09001" in ids and sheet.cell(1, 1).value == "Nomor registrasi"
    assert sheet.cell(1, 2).value == "Tanggal diterima" and sheet.cell(ids.index("PGD-2026-09001") + 2, 2).is_date
    text = pdf_text(tmp_path / "rekap-2026-11.pdf")
    assert "CATATAN DAN REKAP PENGADUAN MASYARAKAT" in text and "Periode November 2026" in text
    assert "PGD-2026-09001" in text and "Ketepatan waktu per langkah SOP" in text
    assert run("--repo", demo_repo, "rekap", "--bulan", "3").exit_code == 2
    assert run("--repo", demo_repo, "rekap", "--tahun", "2026", "--format", "odt").exit_code == 2


def test_reference_document_is_a4_with_office_margins():
    section = docx.Document(str(PROJECT_ROOT / "templates" / "referensi.docx")).sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert round(section.left_margin.cm, 1) == 2.5 and round(section.top_margin.cm, 1) == 2.0


@pytest.mark.parametrize("value, expected", [("2022-04-04", "4 April 2022"),
                                             ("2026-03-02T23:30:00+00:00", "3 Maret 2026")])
def test_long_dates(value, expected):
    assert long_date(value) == expected


def test_markdown_escape_covers_every_punctuation_mark():
    escaped = md_escape("a*b_c`d<e>f[g](h)#i|j{k}\\l\nm")
    assert escaped == "a\\*b\\_c\\`d\\<e\\>f\\[g\\]\\(h\\)\\#i\\|j\\{k\\}\\\\l\\\nm"


def test_a_reply_without_a_disposition_is_refused_clearly():
    # The pull request check renders documents from a PR's records as data, before any schema check: a reply
    # (nota dinas balasan) whose record lost its `disposisi` names the missing block instead of failing internally.
    data = record(5)
    del data["disposisi"]
    with pytest.raises(DocumentError, match="belum punya blok `disposisi`"):
        record_context(data, load_settings(PROJECT_ROOT), "nota-dinas-balasan")
