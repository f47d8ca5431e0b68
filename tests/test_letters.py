"""Letters as the office sends them: Tata Naskah Dinas fields, the boxed lembar disposisi, the kop from
kantor.yaml, metadata, the complainant's tanda terima and surat jawaban (.eml), the yearly evaluation, and page
images compared with stored references."""
from __future__ import annotations

import email
import email.policy
import os
import re
import subprocess
import zipfile
from datetime import datetime
from pathlib import Path

import docx
import pypdf
import pytest

from pengaduan.core import yamlio
from pengaduan.history.calendar import WIB
from pengaduan.core.formatting import counted, decimal, in_words, long_date, month_year, percent
from pengaduan.core.records import SCHEMA_COMMENT

from conftest import git
from office import CHIEF, RECORD_ID, RECORD_PATH, STAFF, propose, pull_request, record, walk_to
from test_documents import docx_rows, docx_text, pdf_text

OFFICIAL = "Dugaan perilaku tidak patut petugas KPPS di TPS 03 Desa Mantaren"
CITIZEN = "Perilaku petugas KPPS"  # the reporter's own words (record(...) default `perihal`)
FILES = [{"berkas": "foto-kejadian.jpg", "keterangan": "Foto di TPS"}, {"berkas": "surat-aduan.pdf"}]
ANSWER = {"nomor": "903/PP.01-SD/6211/XI/2026", "tanggal": "2026-11-10",
          "isi": "Petugas KPPS yang bersangkutan telah diklarifikasi dan diberi teguran tertulis."}
REFERENCES = Path(__file__).parent / "fixtures" / "halaman"
NOW = datetime(2026, 11, 27, 15, 0, tzinfo=WIB)


def walk(repo: Path, last: int, **changes) -> None:
    folder = repo / RECORD_PATH.removesuffix(".yaml")
    folder.mkdir(parents=True, exist_ok=True)
    for item in FILES:
        (folder / item["berkas"]).write_bytes(b"isi lampiran")
    walk_to(repo, last, perihal_dinas=OFFICIAL, lampiran=FILES,
            pelapor={"kerahasiaan": "terbuka", "nama": "Warga Uji", "email": "warga@contoh.example"}, **changes)


def make(run, repo, *args):
    result = run("--repo", repo, *args)
    assert result.exit_code == 0, result.output
    return result


def sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.:])\s+", " ".join(text.split())) if len(s.strip()) > 25]


def test_formatting_is_indonesian():
    assert long_date("2026-11-29") == "29 November 2026" and month_year("2026-03") == "Maret 2026"
    assert decimal(6.5) == "6,5" and decimal(7.0) == "7" and decimal(1234.5) == "1.234,5" and decimal(None) == "-"
    assert percent(0.875) == "87,5%" and percent(1) == "100%"
    assert [in_words(n) for n in (1, 11, 12, 21, 100, 115, 1000, 2026)] == [
        "satu", "sebelas", "dua belas", "dua puluh satu", "seratus", "seratus lima belas", "seribu",
        "dua ribu dua puluh enam"]
    assert counted(2, "berkas") == "2 (dua) berkas"


def test_nota_dinas_official_subject_attachments_no_repeats(demo_repo, run, tmp_path):
    walk(demo_repo, 5)
    make(run, demo_repo, "nota", RECORD_ID, "--semua", "--format", "docx,pdf,html", "--keluar", tmp_path)
    stem = tmp_path / f"{RECORD_ID}-nota-dinas-tindak-lanjut"
    fields = docx_rows(stem.with_suffix(".docx"))
    assert fields["Lampiran"] == "2 (dua) berkas" and fields["Tanggal"] == "4 November 2026"
    for text in (docx_text(stem.with_suffix(".docx")), " ".join(pdf_text(stem.with_suffix(".pdf")).split()),
                 stem.with_suffix(".html").read_text("utf-8")):
        text = " ".join(text.split())
        assert OFFICIAL in text and CITIZEN not in text
        assert "foto-kejadian.jpg (Foto di TPS)" in text and "surat-aduan.pdf" in text
        assert "Kamis, 5 November 2026" in text  # the reply's deadline: 1 working day after the nota
    body = sentences(docx_text(stem.with_suffix(".docx")))
    assert len(body) == len(set(body)), [s for s in body if body.count(s) > 1]


def test_letter_on_a_sunday_is_warned(demo_repo, run, tmp_path):
    walk(demo_repo, 4, nota_dinas_tindak_lanjut={**record(4)["nota_dinas_tindak_lanjut"], "tanggal": "2026-11-08"})
    result = make(run, demo_repo, "nota", RECORD_ID, "--keluar", tmp_path)
    assert "Peringatan: tanggal nota dinas tindak lanjut Minggu, 8 November 2026 bukan hari kerja" in result.output
    assert "Senin, 9 November 2026" in result.output


def test_lembar_disposisi_is_the_boxed_form(demo_repo, run, tmp_path):
    walk(demo_repo, 3)
    make(run, demo_repo, "nota", RECORD_ID, "--format", "docx,pdf,html", "--keluar", tmp_path)
    stem = tmp_path / f"{RECORD_ID}-lembar-disposisi"
    word = docx.Document(str(stem.with_suffix(".docx")))
    boxed = [t for t in word.tables if t._tbl.tblPr.find(docx.oxml.ns.qn("w:tblBorders")) is not None]
    assert len(boxed) == 1
    cells = [c.text for row in boxed[0].rows for c in row.cells]
    text = "\n".join(cells)
    chosen = "☑ Sub Bagian Teknis Penyelenggaraan Pemilu dan Partisipasi Hubungan Masyarakat"
    assert chosen in text
    for other in ("Sub Bagian Hukum dan Sumber Daya Manusia", "Sub Bagian Keuangan, Umum dan Logistik",
                  "Sub Bagian Perencanaan, Data dan Informasi"):
        assert f"☐ {other}" in text
    assert "☑ Dicermati" in text and "☑ Dibuatkan nota dinas tindak lanjut" in text and "☐ Diarsipkan" in text
    assert "☑ Segera" in text and "☐ Biasa" in text
    assert "Tanggal surat: 2 November 2026" in text  # the e-mail's date
    assert "3 November 2026 pukul 11.00 WIB" in text  # when the Kasubbag merged the disposition
    assert f"Hal: {OFFICIAL}" in text
    pdf = " ".join(pdf_text(stem.with_suffix(".pdf")).split())
    html = stem.with_suffix(".html").read_text("utf-8")
    for output in (pdf, " ".join(html.split())):
        assert "☑ Sub Bagian Teknis" in output and "3 November 2026 pukul 11.00 WIB" in output
    assert '<div id="kotak" class="kotak">' in html and "#kotak table" in html


def test_kop_metadata_and_reproducible_files(demo_repo, run, tmp_path):
    walk(demo_repo, 4)
    first, second = tmp_path / "a", tmp_path / "b"
    for out in (first, second):
        make(run, demo_repo, "nota", RECORD_ID, "--format", "docx,pdf,html", "--keluar", out)
    name = f"{RECORD_ID}-nota-dinas-tindak-lanjut"
    for kind in ("docx", "pdf", "html"):
        assert (first / f"{name}.{kind}").read_bytes() == (second / f"{name}.{kind}").read_bytes(), kind
    kop = ["KOMISI PEMILIHAN UMUM KABUPATEN PULANG PISAU", "Kalimantan Tengah 74811", "Telepon (0513) 0000000",
           "Surel pengaduan@pulangpisau.kpu.example", "Laman https://pulangpisau.kpu.example"]
    word_file = first / f"{name}.docx"
    html = " ".join((first / f"{name}.html").read_text("utf-8").split())
    pdf = " ".join(pdf_text(first / f"{name}.pdf").split())
    for line in kop:
        assert line in docx_text(word_file) and line in pdf and line in html, line
    assert any(n.startswith("word/media/") for n in zipfile.ZipFile(word_file).namelist())  # the logo
    assert re.search(r'<img\s+src="data:image/png;base64,', html)
    properties = docx.Document(str(word_file)).core_properties
    title = f"Nota Dinas Tindak Lanjut Pengaduan {RECORD_ID}"
    assert properties.title == title and properties.author == "Komisi Pemilihan Umum Kabupaten Pulang Pisau"
    assert properties.created.astimezone(WIB).date().isoformat() == "2026-11-04"
    reader = pypdf.PdfReader(first / f"{name}.pdf")
    assert reader.metadata.title == title and reader.metadata.author.startswith("Komisi Pemilihan Umum")
    assert reader.metadata.creation_date.astimezone(WIB).date().isoformat() == "2026-11-04"
    assert len(reader.pages[0].images) == 1
    assert f"<title>{title}</title>" in html and 'lang="id"' in html and 'content="Komisi Pemilihan Umum' in html


def test_tanda_terima_pdf_and_email(demo_repo, run, tmp_path):
    walk(demo_repo, 2)
    result = make(run, demo_repo, "tanda-terima", RECORD_ID, "--format", "pdf,docx", "--keluar", tmp_path)
    stem = tmp_path / f"{RECORD_ID}-tanda-terima"
    text = " ".join(pdf_text(stem.with_suffix(".pdf")).split())
    for expected in (RECORD_ID, "2 November 2026 pukul 09.00 WIB", "7 (tujuh) hari kerja",
                     "paling lambat Rabu, 11 November 2026", "Yth. Warga Uji", "Rahmadi Saputra, S.H."):
        assert expected in text, expected
    assert "https://pengaduan.pulangpisau.kpu.example/lacak/" in text.replace(" ", "")
    assert "Tanda terima" in docx_text(stem.with_suffix(".docx")).replace("TANDA TERIMA", "Tanda terima")
    message = email.message_from_bytes(stem.with_suffix(".eml").read_bytes(), policy=email.policy.default)
    assert message["To"] == "Warga Uji <warga@contoh.example>"
    assert message["From"].addresses[0].addr_spec == "pengaduan@pulangpisau.kpu.example"
    assert RECORD_ID in message["Subject"]
    attached = next(message.iter_attachments())
    assert attached.get_filename() == f"{RECORD_ID}-tanda-terima.pdf"
    assert attached.get_content() == stem.with_suffix(".pdf").read_bytes()
    assert "nomor registrasi PGD-2026-09001" in message.get_body(("plain",)).get_content()
    assert "pengaduan terkirim" in result.output
    marked = make(run, demo_repo, "terkirim", RECORD_ID, "--surat", "tanda-terima", "--waktu", "2026-11-02T10:30")
    assert "Dicatat" in marked.output
    saved = yamlio.load_mapping((demo_repo / RECORD_PATH).read_bytes())
    assert saved["surat_pemohon"] == {"tanda_terima_dikirim": "2026-11-02T10:30+07:00"}
    assert make(run, demo_repo, "periksa").exit_code == 0


def test_no_letter_for_anonim_and_no_email_without_address(demo_repo, run, tmp_path):
    walk(demo_repo, 2)
    path = demo_repo / RECORD_PATH
    data = yamlio.load_mapping(path.read_bytes())
    data["pelapor"] = {"kerahasiaan": "anonim"}
    path.write_text(yamlio.dump(data, SCHEMA_COMMENT), "utf-8")
    propose(demo_repo, "pelapor")
    refused = run("--repo", demo_repo, "tanda-terima", RECORD_ID, "--keluar", tmp_path / "a")
    assert refused.exit_code == 1 and "anonim" in refused.output and not (tmp_path / "a").exists()
    data["pelapor"] = {"kerahasiaan": "rahasia", "nama": "Warga Rahasia"}
    path.write_text(yamlio.dump(data, SCHEMA_COMMENT), "utf-8")
    propose(demo_repo, "pelapor")
    result = make(run, demo_repo, "tanda-terima", RECORD_ID, "--keluar", tmp_path / "b")
    assert "tidak punya alamat surel" in result.output
    assert sorted(p.suffix for p in (tmp_path / "b").iterdir()) == [".pdf"]
    text = " ".join(pdf_text(tmp_path / "b" / f"{RECORD_ID}-tanda-terima.pdf").split())
    assert "dirahasiakan" in text and "/lacak/" not in text


def test_surat_jawaban_at_closure(demo_repo, run, tmp_path):
    walk(demo_repo, 8)
    early = run("--repo", demo_repo, "jawaban", RECORD_ID, "--keluar", tmp_path)
    assert early.exit_code == 1 and "perlu blok `surat_pemohon.jawaban`" in early.output
    data = yamlio.load_mapping((demo_repo / RECORD_PATH).read_bytes())
    (demo_repo / RECORD_PATH).write_text(yamlio.dump({**data, "surat_pemohon": {"jawaban": ANSWER}}, SCHEMA_COMMENT))
    propose(demo_repo, "jawaban")  # documents come from main or an open branch, whatever is checked out
    git(demo_repo, "switch", "-q", "main")
    made = make(run, demo_repo, "jawaban", RECORD_ID, "--format", "pdf,html", "--keluar", tmp_path)
    assert f"Rekaman {RECORD_ID} dibaca di cabang jawaban." in made.output
    git(demo_repo, "switch", "-q", "jawaban")
    text = " ".join(pdf_text(tmp_path / f"{RECORD_ID}-surat-jawaban.pdf").split())
    for expected in (ANSWER["nomor"], ANSWER["isi"], "hasil: ditindaklanjuti", "Pulang Pisau, 10 November 2026",
                     OFFICIAL):
        assert expected in text, expected
    assert CITIZEN not in text
    message = email.message_from_bytes((tmp_path / f"{RECORD_ID}-surat-jawaban.eml").read_bytes(),
                                       policy=email.policy.default)
    assert message["To"].addresses[0].addr_spec == "warga@contoh.example"
    make(run, demo_repo, "terkirim", RECORD_ID, "--surat", "surat-jawaban", "--waktu", "2026-11-10T14:00")
    data = yamlio.load_mapping((demo_repo / RECORD_PATH).read_bytes())
    assert data["surat_pemohon"] == {"jawaban": ANSWER, "jawaban_dikirim": "2026-11-10T14:00+07:00"}
    # noted after closure through a reviewed pull request: the audit accepts it (not a frozen-content edit)
    git(demo_repo, "stash", "-q")
    git(demo_repo, "switch", "-q", "main")
    pull_request(demo_repo, f"{RECORD_ID}-surat", [(data, STAFF, "2026-11-10T15:00:00+07:00")], merger=CHIEF,
                 merged_at="2026-11-10T16:00:00+07:00")
    audit = run("--repo", demo_repo, "audit", "--tanpa-cache")
    assert "isi-beku-diubah" not in audit.output and RECORD_ID not in audit.output, audit.output


def test_yearly_evaluation(demo_repo, run, tmp_path):
    from pengaduan.outputs.evaluation import write_evaluation
    evaluation, written = write_evaluation(demo_repo, 2026, tmp_path, ["docx", "pdf", "html"], NOW)
    assert evaluation.received > 0 and evaluation.bottleneck is not None
    assert [s.step for s in evaluation.steps] == list(range(2, 9))
    total = sum(received for _, received, _, _ in evaluation.months)
    assert total == evaluation.received
    word = docx_text(tmp_path / "evaluasi-2026.docx")
    pdf = " ".join(pdf_text(tmp_path / "evaluasi-2026.pdf").split())
    for text in (word, pdf):
        assert "EVALUASI PELAKSANAAN SOP PENANGANAN PENGADUAN MASYARAKAT TAHUN 2026" in " ".join(text.split())
        assert "Hambatan utama" in text and "Sub Bagian Teknis" in text and "Januari" in text
        assert "29 November 2026" not in text and "27 November 2026" in text
    rates = re.findall(r"\d+(?:[.,]\d+)?%", pdf)
    assert rates and not any("." in r for r in rates)  # decimal commas
    media = [n for n in zipfile.ZipFile(tmp_path / "evaluasi-2026.docx").namelist() if n.startswith("word/media/")]
    assert sum(n.endswith(".png") for n in media) == 4  # logo + three charts (SVG turned into PNG)
    images = sum(len(page.images) for page in pypdf.PdfReader(tmp_path / "evaluasi-2026.pdf").pages)
    assert images >= 1  # the logo (a raster); the charts are vector drawings
    assert "Tepat waktu per langkah" in pdf
    result = run("--repo", demo_repo, "evaluasi", "--tahun", "2026", "--keluar", tmp_path / "cli")
    assert result.exit_code == 0 and (tmp_path / "cli" / "evaluasi-2026.pdf").is_file()


# --- page images -----------------------------------------------------------------------------------------------

def page_images(pdf: Path, out: Path) -> list[Path]:
    subprocess.run(["pdftoppm", "-r", "40", "-gray", "-png", str(pdf), str(out / pdf.stem)], check=True)
    return sorted(out.glob(f"{pdf.stem}-*.png"))


def differs(image: Path, reference: Path) -> str | None:
    """Why a page image differs from its reference beyond the tolerance, or None."""
    from PIL import Image, ImageChops
    new, old = Image.open(image).convert("L"), Image.open(reference).convert("L")
    if new.size != old.size:
        return f"ukuran {new.size} lain dari {old.size}"
    histogram = ImageChops.difference(new, old).histogram()
    pixels = new.size[0] * new.size[1]
    changed = sum(histogram[64:]) / pixels
    mean = sum(value * count for value, count in enumerate(histogram)) / pixels
    return f"{changed:.2%} piksel berubah, rata-rata {mean:.2f}" if changed > 0.004 or mean > 1.5 else None


@pytest.fixture
def every_kind(demo_repo, run, tmp_path) -> Path:
    """One PDF of every document kind, from fixed data and a fixed `now`."""
    from pengaduan.outputs.documents import write_recap
    from pengaduan.outputs.evaluation import write_evaluation
    out = tmp_path / "pdf"
    walk(demo_repo, 8, surat_pemohon={"jawaban": ANSWER})
    make(run, demo_repo, "nota", RECORD_ID, "--semua", "--format", "pdf", "--keluar", out)
    make(run, demo_repo, "tanda-terima", RECORD_ID, "--keluar", out)
    make(run, demo_repo, "jawaban", RECORD_ID, "--keluar", out)
    write_recap(demo_repo, datetime(2026, 11, 1).date(), datetime(2026, 11, 30).date(), "November 2026",
                out / "rekap-2026-11", ["pdf"], NOW)
    write_evaluation(demo_repo, 2026, out, ["pdf"], NOW)
    return out


def test_page_images_match_references(every_kind, tmp_path):
    images = tmp_path / "png"
    images.mkdir()
    pages = [page for pdf in sorted(every_kind.glob("*.pdf")) for page in page_images(pdf, images)]
    assert len(pages) >= 8
    kinds = {re.sub(r"^PGD-\d+-\d+-|-\d+$", "", p.stem) for p in pages}
    assert {"lembar-disposisi", "nota-dinas-tindak-lanjut", "nota-dinas-balasan", "tanda-terima", "surat-jawaban",
            "rekap-2026-11", "evaluasi-2026"} <= kinds
    if os.environ.get("PENGADUAN_PERBARUI_HALAMAN"):  # after an intended layout change: look at them, then commit
        REFERENCES.mkdir(parents=True, exist_ok=True)
        from PIL import Image
        for page in pages:  # 16 grey levels keep the references small; the tolerance absorbs the rounding
            Image.open(page).convert("L").quantize(16).save(REFERENCES / page.name, optimize=True)
    problems = {p.name: differs(p, REFERENCES / p.name) if (REFERENCES / p.name).is_file() else "tidak ada acuan"
                for p in pages}
    assert not {name: why for name, why in problems.items() if why}, problems


def test_page_comparison_catches_a_layout_change(every_kind, tmp_path):
    from PIL import Image
    page = page_images(every_kind / f"{RECORD_ID}-lembar-disposisi.pdf", tmp_path)[0]
    shifted = tmp_path / "geser.png"
    image = Image.open(page)
    moved = Image.new("L", image.size, 255)
    moved.paste(image.convert("L"), (0, 12))  # everything 12 px (about 8 mm) lower
    moved.save(shifted)
    assert differs(page, REFERENCES / page.name) is None
    assert differs(shifted, REFERENCES / page.name) is not None


def test_html_preview_looks_like_the_form(demo_repo, run, tmp_path):
    """The HTML preview in a real Chromium: logo shown from the file itself, the form boxed, an A4-wide sheet,
    nothing fetched from anywhere."""
    from browser import CHROMIUM, FLAGS, Visit, require, serve
    require(CHROMIUM, "chromium")
    from playwright.sync_api import sync_playwright
    walk(demo_repo, 3)
    make(run, demo_repo, "nota", RECORD_ID, "--format", "html", "--keluar", tmp_path / "html")
    with sync_playwright() as playwright, serve(tmp_path / "html") as base:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        visit = Visit(browser, base)
        page = visit.page
        page.goto(f"{base}/{RECORD_ID}-lembar-disposisi.html")
        logo = page.locator("img").first
        assert logo.evaluate("img => img.complete && img.naturalWidth > 0")
        border = page.locator("#kotak td").first.evaluate("td => getComputedStyle(td).borderTopWidth")
        kop_border = page.locator("table").first.locator("td").first.evaluate(
            "td => getComputedStyle(td).borderTopStyle")
        width_cm = page.evaluate("document.body.getBoundingClientRect().width") / 96 * 2.54
        text = page.inner_text("body")
        (tmp_path / "pratinjau.png").write_bytes(page.screenshot(full_page=True))
        visit.close()
        browser.close()
    assert border != "0px" and kop_border == "none"
    assert 20 < width_cm < 22  # 16.5 cm of text plus the margins, as on A4
    assert "☑ Sub Bagian Teknis" in text and "LEMBAR DISPOSISI" in text
    assert not visit.errors and not visit.foreign


def test_untrusted_text_stays_text_in_the_form_and_the_receipt(demo_repo, run, tmp_path):
    from test_documents import INJECTIONS
    hostile = " ".join(INJECTIONS) + " +----+ | ☑ 表"
    walk(demo_repo, 3)
    path = demo_repo / RECORD_PATH
    data = yamlio.load_mapping(path.read_bytes())
    data["perihal_dinas"] = hostile
    data["pelapor"] = {"kerahasiaan": "terbuka", "nama": "Warga\n" + INJECTIONS[0], "email": "warga@contoh.example",
                       "alamat": INJECTIONS[1]}
    data["disposisi"]["catatan"] = "\n".join(INJECTIONS)
    path.write_text(yamlio.dump(data, SCHEMA_COMMENT), "utf-8")
    propose(demo_repo, "teks-asing")
    make(run, demo_repo, "nota", RECORD_ID, "--format", "docx,pdf,html", "--keluar", tmp_path)
    make(run, demo_repo, "tanda-terima", RECORD_ID, "--format", "pdf,html", "--keluar", tmp_path)
    for stem in (tmp_path / f"{RECORD_ID}-lembar-disposisi", tmp_path / f"{RECORD_ID}-tanda-terima"):
        pdf = " ".join(pdf_text(stem.with_suffix(".pdf")).split())
        html = " ".join(stem.with_suffix(".html").read_text("utf-8").split())
        for injection in INJECTIONS:
            assert injection in pdf, (stem.name, injection)
        assert "&lt;script&gt;" in html and "<script>" not in html
        assert "+----+ | ☑" in pdf and "+----+ | ☑ 表" in html  # Typst's own fonts have no CJK glyphs
    form = docx_text(tmp_path / f"{RECORD_ID}-lembar-disposisi.docx")
    assert all(injection in form for injection in INJECTIONS) and f"Hal: {hostile}" in form
    message = email.message_from_bytes((tmp_path / f"{RECORD_ID}-tanda-terima.eml").read_bytes(),
                                       policy=email.policy.default)
    assert message["To"].addresses[0].display_name == "Warga " + INJECTIONS[0]  # one line: no header injection


def test_a_plh_signs_as_plh_within_the_letter_of_appointment(demo_repo, run, tmp_path):
    walk(demo_repo, 5)
    config = demo_repo / "tools/config/kantor.yaml"
    text = config.read_text("utf-8")
    person = "  - id: yosua\n"
    assert person in text
    config.write_text(text.replace(person, person + '    plh: [{untuk: kasubbag_hukum, dari: "2026-11-03", '
                                   'sampai: "2026-11-04", surat: "12/SDM.02-SPt/6211/XI/2026"}]\n', 1), "utf-8")
    make(run, demo_repo, "nota", RECORD_ID, "--semua", "--format", "docx", "--keluar", tmp_path)
    nota = docx_text(tmp_path / f"{RECORD_ID}-nota-dinas-tindak-lanjut.docx")
    sheet = docx_text(tmp_path / f"{RECORD_ID}-lembar-disposisi.docx")
    for document in (nota, sheet):  # the nota is dated 4 November, the disposition was given on 3 November
        assert "Plh. Kepala Sub Bagian Hukum dan SDM" in document and "Yosua Pratama" in document
        assert "Rahmadi Saputra" not in document.split("Plh.")[1]
    config.write_text(config.read_text("utf-8").replace('dari: "2026-11-03", sampai: "2026-11-04"',
                                                      'dari: "2026-10-26", sampai: "2026-11-02"'), "utf-8")
    make(run, demo_repo, "nota", RECORD_ID, "--semua", "--format", "docx", "--keluar", tmp_path / "lain")
    assert "Plh." not in docx_text(tmp_path / "lain" / f"{RECORD_ID}-nota-dinas-tindak-lanjut.docx")
