"""The public site in a real Chromium, as a citizen uses it: on a 390-px phone and a 1280-px desktop.

Every page kind: axe-core finds no serious or critical problem, text is at least 12 px on the phone, the page
never scrolls sideways, and it looks like its stored reference picture (within a pixel tolerance). The
look-up works by keyboard alone and from a file on disk; the complaint form's e-mail is read back by
`pengaduan baru --eml` into the record's fields.
"""
from __future__ import annotations

import io
import json
import os
import urllib.parse
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from pathlib import Path

import pytest
from click.testing import CliRunner

from pengaduan.core import yamlio
from pengaduan.cli.main import cli

from browser import Visit, browser, serve  # noqa: F401 (browser is a fixture)
from conftest import git

SYNTHETIC_NIK = "99" + "0011223344" + "5566"  # built, so that no NIK-like literal is committed

REFERENCES = Path(__file__).parent / "fixtures" / "layar"
UPDATE = os.environ.get("PENGADUAN_PERBARUI_LAYAR") == "1"  # write new reference pictures instead of comparing
TOLERANCE = 0.01  # share of pixels that may differ (anti-aliasing, font hinting)
NOW = datetime(2026, 11, 27, 10, 0, tzinfo=timezone(timedelta(hours=7)))
WIDTHS = {"ponsel": (390, 844), "desktop": (1280, 800)}
# Deterministic pictures: one installed font everywhere, no animation, no blinking caret.
STEADY = ('*, *::before, *::after { font-family: "DejaVu Sans" !important; transition: none !important; '
          "animation: none !important; caret-color: transparent !important; }")
SMALL_TEXT = """() => {
  const small = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, element = node.parentElement;
    if (!node.textContent.trim() || !element || !element.getClientRects().length) continue;
    const style = getComputedStyle(element);
    if (style.visibility === "hidden") continue;
    let size = parseFloat(style.fontSize);
    if (element instanceof SVGElement) size *= element.getScreenCTM().a;
    if (size < 12) small.push([element.tagName, node.textContent.trim().slice(0, 40), size]);
  }
  return small;
}"""


@pytest.fixture(scope="module")
def public_site(_demo_template, tmp_path_factory):
    out = tmp_path_factory.mktemp("situs") / "site"
    result = CliRunner().invoke(cli, ["--repo", str(_demo_template), "situs", "--keluar", str(out), "--pada",
                                      "2026-11-27", "--ketat"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out


def open_complaint(site: Path) -> dict:
    rows = json.loads((site / "data/pengaduan.json").read_text("utf-8"))
    return next(row for row in rows if row["keadaan"] == "dalam proses")


def page_kinds(site: Path) -> dict[str, str]:
    month = max(row["diterima"][:7] for row in json.loads((site / "data/pengaduan.json").read_text("utf-8")))
    return {"beranda": "/", "arsip": "/rekap/", "tahun": f"/rekap/{month[:4]}/",
            "bulan": f"/rekap/{month[:4]}/{month[5:]}/", "lacak": f"/lacak/#{open_complaint(site)['nomor']}",
            "sampaikan": "/sampaikan/", "cara-mengadu": "/cara-mengadu/", "tentang": "/tentang/",
            "privasi": "/privasi/", "data": "/data/", "404": "/404.html"}


def visit(browser, base: str, path: str, width: int, height: int) -> Visit:
    seen = Visit(browser, base, width, height, reduced_motion="reduce")
    seen.page.clock.set_fixed_time(NOW)
    seen.page.goto(base + path)
    seen.page.wait_for_load_state("networkidle")
    if "#" in path:
        seen.page.wait_for_selector(".lacak-langkah li")
    return seen


def same_picture(shot: bytes, name: str, tmp_path: Path) -> None:
    """Compare a screenshot with its reference (stored with 16 colours, to stay small)."""
    from PIL import Image, ImageChops
    reduced = Image.open(io.BytesIO(shot)).convert("RGB").quantize(colors=16, dither=Image.Dither.NONE)
    reference = REFERENCES / f"{name}.png"
    if UPDATE or not reference.exists():
        REFERENCES.mkdir(parents=True, exist_ok=True)
        reduced.save(reference, optimize=True)
        if not UPDATE:
            pytest.fail(f"gambar acuan {reference.name} baru dibuat; periksa lalu komit")
        return
    expected, actual = Image.open(reference).convert("RGB"), reduced.convert("RGB")
    actual.save(tmp_path / f"{name}-sekarang.png")
    assert expected.size == actual.size, f"{name}: ukuran {actual.size}, acuan {expected.size}"
    red, green, blue = ImageChops.difference(expected, actual).split()
    largest = ImageChops.lighter(ImageChops.lighter(red, green), blue)  # per pixel, the channel that moved most
    differing = largest.point(lambda v: 255 if v > 48 else 0).histogram()[255]
    share = differing / (actual.size[0] * actual.size[1])
    assert share <= TOLERANCE, (f"{name}: {share:.1%} piksel berbeda dari acuan; lihat "
                                f"{tmp_path / (name + '-sekarang.png')} (perbarui: PENGADUAN_PERBARUI_LAYAR=1)")


@pytest.mark.parametrize("device", WIDTHS)
def test_every_page_kind_is_accessible_legible_and_unchanged(public_site, browser, device, tmp_path):
    from axe_playwright_python.sync_playwright import Axe
    axe = Axe()
    width, height = WIDTHS[device]
    problems = []
    with serve(public_site) as base:
        for kind, path in page_kinds(public_site).items():
            seen = visit(browser, base, path, width, height)
            page = seen.page
            assert page.get_attribute("html", "lang") == "id", kind
            violations = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
                          for v in axe.run(page).response["violations"] if v["impact"] in ("serious", "critical")]
            problems += [(kind, device, v) for v in violations]
            if not page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"):
                problems.append((kind, device, "halaman bergeser ke samping"))
            if device == "ponsel":
                problems += [(kind, device, small) for small in page.evaluate(SMALL_TEXT)]
            page.add_style_tag(content=STEADY)
            page.evaluate("document.fonts.ready.then(() => null)")
            if "#" in path:
                page.evaluate("document.activeElement && document.activeElement.blur()")
            same_picture(page.screenshot(animations="disabled"), f"{kind}-{device}", tmp_path)
            assert seen.errors == [] and seen.foreign == [], (kind, seen.errors, seen.foreign)
            seen.close()
    assert problems == [], "\n".join(map(str, problems))


def test_charts_have_text_alternatives_and_tables(public_site):
    home = (public_site / "index.html").read_text("utf-8")
    assert home.count('<figure class="grafik"') >= 4
    charts = home.count('<figure class="grafik"')
    assert home.count('role="img" aria-labelledby="grafik-') == home.count('<desc id="grafik-') == charts
    assert home.count("<table><thead>") == charts  # the same numbers as a table


def test_lookup_by_keyboard_alone(public_site, browser):
    entry = open_complaint(public_site)
    with serve(public_site) as base:
        seen = visit(browser, base, "/lacak/", 390, 844)
        page = seen.page
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent.trim()") == "Lewati ke isi"
        for _ in range(40):
            if page.evaluate("document.activeElement.id") == "nomor-pengaduan":
                break
            page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.id") == "nomor-pengaduan"
        page.keyboard.type(entry["nomor"].lower())
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Lacak"
        page.keyboard.press("Enter")
        page.wait_for_selector(".lacak-langkah li")
        # focus lands on the result, so a screen reader reads it next
        assert page.evaluate("document.activeElement.textContent") == f"Pengaduan {entry['nomor']}"
        text = page.inner_text(".lacak-hasil")
        open_step = next(s for s in entry["linimasa"] if not s["selesai"])
        assert "Tenggat berikutnya:" in text and f"langkah {open_step['langkah']}" in text
        assert ("sudah lewat" in text) == (open_step["tenggat"] < "2026-11-27")
        assert "Hari ini\n, Jumat, 27 November 2026" in text or "Hari ini, Jumat, 27 November 2026" in text
        assert "-11-" not in text  # dates in words, never ISO
        assert seen.errors == [] and seen.foreign == []
        seen.close()


def test_lookup_works_from_a_file_on_disk(public_site, browser):
    entry = open_complaint(public_site)
    seen = Visit(browser, "file://")
    seen.page.clock.set_fixed_time(NOW)
    seen.page.goto((public_site / "index.html").as_uri())
    seen.page.click(".md-content a[href*='lacak/']")  # from the home page, as a reader would
    assert seen.page.url == (public_site / "lacak" / "index.html").as_uri()
    seen.page.fill("#nomor-pengaduan", entry["nomor"])
    seen.page.press("#nomor-pengaduan", "Enter")
    seen.page.wait_for_selector(".lacak-langkah li")
    assert entry["ringkasan"] in seen.page.inner_text(".lacak-hasil")
    assert seen.errors == [] and seen.foreign == []
    seen.close()


def test_form_email_is_read_back_by_baru(public_site, browser, demo_repo, tmp_path):
    story = "Nama saya tidak ada di DPT.\nNama: baris ini isi uraian\nTPS 5 & 6 = \"jauh\"; 100% benar?"
    with serve(public_site) as base:
        seen = visit(browser, base, "/sampaikan/", 390, 844)
        page = seen.page
        page.click("button[type=submit]")  # nothing filled in: the browser stops it, in Indonesian
        assert page.is_hidden("#formulir-hasil")
        assert page.eval_on_selector("#f-perihal", "f => f.validationMessage") == "Kolom ini wajib diisi."
        page.fill("#f-nama", "Siti Warga")
        page.fill("#f-nik", SYNTHETIC_NIK)
        page.fill("#f-telepon", "0812-3456-7890")
        page.fill("#f-alamat", "Desa Buntoi,\nKecamatan Kahayan Hilir")
        page.check("input[name=kerahasiaan][value=anonim]")
        page.select_option("#f-kategori", index=1)
        page.fill("#f-perihal", "Nama tidak ada di DPT TPS 5")
        page.fill("#f-uraian", story)
        page.click("button[type=submit]")
        page.wait_for_selector("#formulir-hasil:not([hidden])")
        assert page.evaluate("document.activeElement.id") == "formulir-siap"
        href = page.get_attribute("#formulir-tautan", "href")
        category = page.eval_on_selector("#f-kategori", "s => s.value.split(' ')[0]")
        assert seen.errors == [] and seen.foreign == []
        seen.close()
    link = urllib.parse.urlsplit(href)
    query = urllib.parse.parse_qs(link.query, keep_blank_values=True)
    assert link.scheme == "mailto" and link.path == "pengaduan@pulangpisau.kpu.example"
    message = EmailMessage()  # what the citizen's mail app sends
    message["From"], message["To"] = "Siti <siti.warga@contoh.example>", link.path
    message["Subject"], message["Date"] = query["subject"][0], "Mon, 23 Nov 2026 08:00:00 +0700"
    message["Message-ID"] = "<formulir-1@contoh.example>"
    message.set_content(query["body"][0])
    (tmp_path / "masuk.eml").write_bytes(bytes(message))
    git(demo_repo, "config", "user.email", "nurul@pulangpisau.kpu.example")
    result = CliRunner().invoke(cli, ["--repo", str(demo_repo), "baru", "--eml", str(tmp_path / "masuk.eml")],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    branch = result.output.split("cabang ")[1].split(" ")[0]
    path = git(demo_repo, "diff", "--name-only", f"main...{branch}", "--", "*.yaml").split()[0]
    record = yamlio.load_mapping(git(demo_repo, "show", f"{branch}:{path}").encode())
    assert record["pelapor"] == {"kerahasiaan": "anonim", "nama": "Siti Warga", "nik": SYNTHETIC_NIK,
                                 "email": "siti.warga@contoh.example", "telepon": "0812-3456-7890",
                                 "alamat": "Desa Buntoi, Kecamatan Kahayan Hilir"}
    assert record["kategori"] == category and record["perihal"] == "Nama tidak ada di DPT TPS 5"
    assert record["uraian"] == story + "\n"
