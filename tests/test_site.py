"""The public recap site: no personal data anywhere, untrusted text stays text, works offline, in Indonesian."""
import gzip
import json
import re

import pytest

from pengaduan.outputs.site import INTERNAL_MARKER, csv_columns, shard_of

import office
from browser import Visit, browser, serve  # noqa: F401 (browser is a fixture)
from conftest import PROJECT_ROOT
from office import RECORD_ID, walk_to

PUBLIC_COLUMNS = csv_columns()

MARKERS = {
    # the NIK is synthetic and built, so that no NIK-like 16-digit literal is committed
    "nama": "KANARINAMA7731", "nik": "99" + "7731" * 3 + "00", "email": "kanari.surel7731@contoh.example",
    "telepon": "0812-77317731", "alamat": "Jalan KANARIALAMAT7731",
}
PERSONAL = {
    "pelapor": {"kerahasiaan": "anonim", **MARKERS},
    "perihal": "KANARIPERIHAL7731", "uraian": "KANARIURAIAN7731 isi aduan\n",
    "lampiran": [{"berkas": "KANARILAMPIRAN7731.pdf", "keterangan": "KANARIKETERANGAN7731"}],
}
NOTES = {
    "disposisi": {**office.BLOCKS[3][1], "catatan": "KANARICATATAN7731"},
    "nota_dinas_tindak_lanjut": {**office.BLOCKS[4][1], "isi": "KANARINOTADINAS7731"},
    "nota_dinas_balasan": {**office.BLOCKS[5][1], "isi": "KANARIBALASAN7731"},
    "rekap": {**office.BLOCKS[8][1], "catatan": "KANARIREKAP7731"},
}
SECRET_ID = "PGD-2026-09002"
XSS = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2"> [x](javascript:window.__xss=3)'


def canary_repo(repo):
    """Two complaints full of unique markers: one anonim (walked to the end), one rahasia."""
    attachments = repo / office.RECORD_PATH.removesuffix(".yaml")
    attachments.mkdir(parents=True)
    (attachments / "KANARILAMPIRAN7731.pdf").write_text("KANARIISILAMPIRAN7731", "utf-8")
    walk_to(repo, 8, **PERSONAL)
    office.pull_request(repo, "catatan", [(office.record(8, **PERSONAL, **NOTES), office.STAFF,
                                          "2026-11-11T09:00:00+07:00")])
    secret = office.record(2, id=SECRET_ID, pelapor={"kerahasiaan": "rahasia", "nama": "KANARIRAHASIA7731"},
                           ringkasan_publik="KANARIRINGKASANRAHASIA7731")
    secret["diterima"] = {**secret["diterima"], "nomor_agenda": 9002}
    path = f"records/2026/11/{SECRET_ID}.yaml"
    office.git(repo, "checkout", "-q", "-b", "rahasia", "main")
    office.commit(repo, secret, office.STAFF, "2026-11-12T09:00:00+07:00", "rahasia", path=path)
    office.git(repo, "checkout", "-q", "main")
    office.git(repo, "merge", "-q", "--no-ff", "rahasia", "-m", "Merge", who=office.CHIEF,
               when="2026-11-12T10:00:00+07:00")


def all_text(folder) -> str:
    parts = []
    for path in folder.rglob("*"):
        if path.is_file():
            raw = path.read_bytes()
            parts.append(gzip.decompress(raw).decode() if path.suffix == ".gz" else raw.decode("utf-8", "replace"))
            parts.append(str(path.relative_to(folder)))
    return "\n".join(parts)


def build(run, repo, out, *extra):
    result = run("--repo", repo, "situs", "--keluar", out, "--pada", "2026-11-27", "--ketat", *extra)
    assert result.exit_code == 0, result.output
    return out


def test_no_personal_data_reaches_the_public_site(demo_repo, run, tmp_path):
    canary_repo(demo_repo)
    public = all_text(build(run, demo_repo, tmp_path / "site"))
    markers = list(MARKERS.values()) + re.findall(r"KANARI\w+", json.dumps([PERSONAL, NOTES])) + [
        "KANARIRAHASIA7731", "KANARIRINGKASANRAHASIA7731", "KANARIISILAMPIRAN7731", SECRET_ID]
    assert [m for m in markers if m in public] == []
    assert RECORD_ID in public  # the anonim complaint itself is there, without its complainant
    # the same markers do reach the internal build: the check above can fail
    internal = all_text(build(run, demo_repo, tmp_path / "site-internal", "--internal"))
    assert MARKERS["nama"] in internal and "KANARIRAHASIA7731" in internal


def test_internal_build_is_marked_and_kept_apart(demo_repo, run, tmp_path):
    out = build(run, demo_repo, tmp_path / "site-internal", "--internal")
    pages = list(out.rglob("*.html"))
    notice = re.compile(r'<div class="admonition danger">\s*<p class="admonition-title">INTERNAL — hanya untuk petugas</p>')
    # every page carries the notice itself (the title says INTERNAL too, but a title is easy to miss); the theme's
    # 404 page has no page of ours in it, only its title
    assert pages and [p.name for p in pages if not notice.search(p.read_text("utf-8"))] == ["404.html"]
    assert "(INTERNAL)</title>" in (out / "404.html").read_text("utf-8")
    assert all('content="noindex, nofollow"' in p.read_text("utf-8") for p in pages)
    refused = run("--repo", demo_repo, "situs", "--internal", "--keluar", tmp_path / "site")
    assert refused.exit_code == 1 and "berakhiran 'internal'" in refused.output
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / INTERNAL_MARKER).write_text("x")
    overwrite = run("--repo", demo_repo, "situs", "--keluar", tmp_path / "site")
    assert overwrite.exit_code == 1 and "INTERNAL" in overwrite.output


def test_pages_do_not_grow_with_records(demo_repo, run, tmp_path):
    out = build(run, demo_repo, tmp_path / "site")
    months = {d["diterima"][:7] for d in json.loads((out / "data/pengaduan.json").read_text("utf-8"))}
    pages = list(out.rglob("index.html"))
    fixed = ["", "lacak", "rekap", "sampaikan", "cara-mengadu", "tentang", "privasi", "data"]
    years = {m[:4] for m in months}
    assert len(pages) <= len(fixed) + len(years) + len(months) + 2  # months with only rahasia complaints


def test_open_data_matches_its_dictionary(demo_repo, run, tmp_path):
    out = build(run, demo_repo, tmp_path / "site")
    header = (out / "data/pengaduan.csv").read_text("utf-8").splitlines()[0].split(",")
    assert header == PUBLIC_COLUMNS
    page = (out / "data/index.html").read_text("utf-8")
    documented = re.findall(r"<tr>\s*<td><code>(\w+)</code></td>", page)
    rows = json.loads((out / "data/pengaduan.json").read_text("utf-8"))
    assert documented == PUBLIC_COLUMNS + ["linimasa", "sop"] == list(rows[0])
    package = json.loads((out / "data/datapackage.json").read_text("utf-8"))
    assert [f["name"] for f in package["resources"][0]["schema"]["fields"]] == PUBLIC_COLUMNS
    assert [f["name"] for f in package["resources"][1]["schema"]["fields"]] == list(rows[0])


# FNV-1a 32-bit test vectors (draft-eastlake-fnv, fnv1a32): "" 0x811c9dc5, "a" 0xe40c292c, "foobar" 0xbf9cf968.
@pytest.mark.parametrize("text, full", [("", 0x811C9DC5), ("a", 0xE40C292C), ("foobar", 0xBF9CF968)])
def test_shard_is_fnv1a_mod_256(text, full):
    assert shard_of(text) == f"{full % 256:02x}"


def test_shard_function_matches_the_script(browser):
    """The look-up page's own shard() (taken from lacak.js, run in Chromium) agrees with shard_of on many ids."""
    script = (PROJECT_ROOT / "docs/assets/lacak.js").read_text("utf-8")
    function = re.search(r"function shard\(id\) \{.*?\n  \}", script, re.S)[0]
    ids = [f"PGD-{year}-{number:05d}" for year in (2026, 2027) for number in range(1, 400, 7)] + ["A", "Ä-é-1"]
    page = browser.new_page()
    try:
        computed = page.evaluate(f"(ids) => {{ {function}; return ids.map(shard); }}", ids)
    finally:
        page.close()
    assert computed == [shard_of(i) for i in ids]


def test_dashboard_in_a_real_browser(demo_repo, run, tmp_path, browser):
    out = build(run, demo_repo, tmp_path / "site")
    with serve(out) as base:
        for path in ("/", "/rekap/", "/lacak/", "/tentang/", "/data/"):
            visit = Visit(browser, base)
            visit.page.goto(base + path)
            visit.page.wait_for_load_state("networkidle")
            assert visit.page.get_attribute("html", "lang") == "id"
            assert visit.errors == [] and visit.foreign == [], (path, visit.errors, visit.foreign)
            visit.close()


def test_lookup_finds_a_demo_complaint(demo_repo, run, tmp_path, browser):
    out = build(run, demo_repo, tmp_path / "site")
    entry = json.loads((out / "data/pengaduan.json").read_text("utf-8"))[0]
    with serve(out) as base:
        visit = Visit(browser, base)
        visit.page.goto(f"{base}/lacak/")
        visit.page.fill("#nomor-pengaduan", entry["nomor"].lower())
        visit.page.click("button[type=submit]")
        visit.page.wait_for_selector(".lacak-langkah li")
        text = visit.page.inner_text(".lacak-hasil")
        assert entry["nomor"] in text and entry["linimasa"][0]["judul"] in text
        steps = visit.page.query_selector_all(".lacak-langkah li:not(.lacak-hari-ini)")
        assert len(steps) == len(entry["linimasa"])
        assert len(visit.page.query_selector_all(".lacak-langkah li.lacak-hari-ini")) == 1
        visit.page.fill("#nomor-pengaduan", "PGD-1999-99999")
        visit.page.click("button[type=submit]")
        visit.page.wait_for_function("document.querySelector('.lacak-hasil').innerText.includes('tidak ditemukan')")
        assert visit.page.inner_text("article").count("rahasia") == 1  # the notice is said once, not again
        assert visit.errors == [] and visit.foreign == []
        visit.close()


def test_untrusted_text_stays_text_in_the_browser(demo_repo, run, tmp_path, browser):
    walk_to(demo_repo, 4, ringkasan_publik=XSS)
    out = build(run, demo_repo, tmp_path / "site")
    with serve(out) as base:
        for path in ("/", f"/lacak/#{RECORD_ID}"):
            visit = Visit(browser, base)
            visit.page.goto(base + path)
            visit.page.wait_for_load_state("networkidle")
            if "lacak" in path:
                visit.page.wait_for_selector(".lacak-langkah li")
                assert XSS in visit.page.inner_text(".lacak-hasil")
                assert visit.page.query_selector(".lacak-hasil img") is None
            assert visit.page.evaluate("window.__xss") is None
            assert visit.foreign == []
            visit.close()


# Small numbers: rahasia complaints only in totals; cells below the minimum merged or suppressed.
def add_complaint(repo, number: int, when: str, secrecy: str, category: str, channel: str) -> str:
    """One complaint registered (step 2) on a branch and merged by the Kasubbag, received at `when`."""
    record_id = f"PGD-2024-{number:05d}"
    data = office.record(2, id=record_id, pelapor={"kerahasiaan": secrecy, "nama": "Warga"}, kategori=category)
    data["diterima"] = {"waktu": when, "saluran": channel, "nomor_agenda": number}
    path = f"records/2024/{when[5:7]}/{record_id}.yaml"
    office.git(repo, "checkout", "-q", "-b", record_id, "main")
    office.commit(repo, data, office.STAFF, when, f"{record_id}: langkah 2", path=path)
    office.git(repo, "checkout", "-q", "main")
    office.git(repo, "merge", "-q", "--no-ff", record_id, "-m", "Merge", who=office.CHIEF, when=when)
    return record_id


def article(out, page: str) -> str:
    html = (out / page).read_text("utf-8")
    return html[html.index("<article"):html.index("</article>")]


def test_rahasia_and_small_months_publish_no_breakdown(demo_repo, run, tmp_path):
    # March 2024: one rahasia complaint only; May: two public ones; July: one public, one rahasia.
    add_complaint(demo_repo, 9101, "2024-03-05T09:00:00+07:00", "rahasia", "pencalonan", "lapor")
    add_complaint(demo_repo, 9102, "2024-05-06T09:00:00+07:00", "terbuka", "daftar-pemilih", "email")
    add_complaint(demo_repo, 9103, "2024-05-07T09:00:00+07:00", "anonim", "logistik-tps", "surat")
    add_complaint(demo_repo, 9104, "2024-07-08T09:00:00+07:00", "terbuka", "etika-petugas", "email")
    add_complaint(demo_repo, 9105, "2024-07-09T09:00:00+07:00", "rahasia", "pencalonan", "lapor")
    out = build(run, demo_repo, tmp_path / "site")
    for month in ("03", "05", "07"):
        page = article(out, f"rekap/2024/{month}/index.html")
        assert "<svg" not in page and "grafik" not in page and "Rincian tidak ditampilkan" in page, month
        assert "Pencalonan" not in page and "SP4N-LAPOR!" not in page, month  # the rahasia ones' facts
    march = article(out, "rekap/2024/03/index.html")
    assert re.search(r"Pengaduan diterima \(termasuk yang rahasia\)</td>\s*<td>1<", march)
    assert "PGD-2024-09101" not in all_text(out)
    # the year has three public complaints: a breakdown, but every cell small, so one merged row each
    year = article(out, "rekap/2024/index.html")
    assert "Pencalonan" not in year and "SP4N-LAPOR!" not in year
    assert re.search(r"dirinci di halaman ini</td>\s*<td>3<", year)
    assert year.count("Lainnya (digabung)") >= 4 and "Bulan lain (digabung)" in year
    for label, count in re.findall(r"<tr><td>([^<]+)</td><td>([^<]+)</td></tr>", year):
        assert count in ("< 3",) or count.endswith("%") or int(count) >= 3, (label, count)


def test_breakdowns_count_only_public_complaints(demo_repo, run, tmp_path):
    from collections import Counter
    out = build(run, demo_repo, tmp_path / "site")
    public = json.loads((out / "data/pengaduan.json").read_text("utf-8"))
    home = article(out, "index.html")
    table = re.search(r'id="grafik-semua-kategori".*?<tbody>(.*?)</tbody>', home, re.S).group(1)
    shown = {label: count for label, count in re.findall(r"<tr><td>([^<]+)</td><td>([^<]+)</td></tr>", table)}
    expected = Counter(row["kategori"] for row in public)
    assert {k: int(v) for k, v in shown.items() if "digabung" not in k} == {
        k: v for k, v in expected.items() if v >= 3}
    total = re.search(r"Pengaduan diterima \(termasuk yang rahasia\)</td>\s*<td>(\d+)<", home).group(1)
    assert int(total) > len(public)  # the demo has rahasia complaints: counted in the total only


def test_merge_small_never_shows_a_small_cell():
    from pengaduan.outputs.projection import merge_small
    assert merge_small([("a", 1), ("b", 1)], 3) == []
    assert merge_small([("a", 5), ("b", 1), ("c", 1)], 3) == [("a", 5), ("Lainnya (digabung)", None)]
    assert merge_small([("a", 5), ("b", 2), ("c", 2), ("d", 0)], 3) == [("a", 5), ("Lainnya (digabung)", 4)]
    assert merge_small([("a", 4), ("b", 4)], 5) == [("Lainnya (digabung)", 8)]


# Open data.
@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\")", "+1+1", "-1+1", "@SUM(A1)", "\tx", "\rx"])
def test_spreadsheet_formulas_are_neutralised(text):
    from pengaduan.outputs.site import public_csv
    row = {key: None for key in PUBLIC_COLUMNS} | {"nomor": "PGD-2026-00001", "ringkasan": text,
                                                   "lewat_tenggat": True, "langkah": -3}
    written = public_csv([row]).splitlines()[1] if "\r" not in text else public_csv([row])
    assert "'" + text[0] in written and ",ya," in written and ",-3," in written


def test_open_data_package_validates_with_frictionless(demo_repo, run, tmp_path):
    import frictionless
    walk_to(demo_repo, 8, ringkasan_publik='=HYPERLINK("http://contoh.example","klik")')
    out = build(run, demo_repo, tmp_path / "site")
    package = json.loads((out / "data/datapackage.json").read_text("utf-8"))
    described = {r["path"] for r in package["resources"]} | {"datapackage.json"}
    assert described == {p.name for p in (out / "data").iterdir()} - {"index.html"}  # the page itself
    report = frictionless.validate(str(out / "data/datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    rows = len(json.loads((out / "data/pengaduan.json").read_text("utf-8")))
    chain = json.loads((out / "data/rantai_kepala.json").read_text("utf-8"))
    assert [task.stats.get("rows") for task in report.tasks] == [rows, rows, len(chain)], [t.stats for t in report.tasks]
    assert chain and chain[-1]["jenis"] == "terbit"
    csv_text = (out / "data/pengaduan.csv").read_text("utf-8")
    assert "\"'=HYPERLINK(" in csv_text and ",True," not in csv_text and ",False," not in csv_text
    dictionary = (out / "data/index.html").read_text("utf-8")
    assert "<code>ya</code>" in dictionary and "TTTT-BB-HH" in dictionary and "datapackage.json" in dictionary


def test_staff_documentation_only_in_the_internal_build(demo_repo, run, tmp_path):
    public = build(run, demo_repo, tmp_path / "site")
    assert not (public / "petugas").exists() and not (public / "panduan").exists()
    assert "petugas/" not in (public / "index.html").read_text("utf-8")
    internal = build(run, demo_repo, tmp_path / "site-internal", "--internal")
    assert (internal / "petugas/perintah/index.html").is_file() and (internal / "panduan/kasubbag/index.html").is_file()


ENGLISH = ["Made with", "Material for MkDocs", "Not found", "Skip to content", "Back to top", "Table of contents",
           "Type to start searching", "Footer", "Header", "clipboard", "Previous", "Next", "Search"]


def test_no_english_on_public_pages(demo_repo, run, tmp_path):
    out = build(run, demo_repo, tmp_path / "site")
    found = []
    for page in out.rglob("*.html"):
        html = page.read_text("utf-8")
        visible = re.sub(r"<script.*?</script>|<style.*?</style>|<[^>]+>", " ", html, flags=re.S)
        labels = " ".join(re.findall(r'(?:aria-label|title|placeholder)="([^"]*)"', html))
        found += [(page.relative_to(out).as_posix(), word) for word in ENGLISH
                  if re.search(rf"\b{word}\b", visible + " " + labels)]
    assert found == []
    assert "Halaman tidak ditemukan" in (out / "404.html").read_text("utf-8")
    contact = (out / "cara-mengadu/index.html").read_text("utf-8")
    for value in ("pengaduan@pulangpisau.kpu.example", "(0513) 0000000", "0811 0000 0000", "74811",
                  "Senin–Jumat, 08.00–16.00 WIB", "https://www.lapor.go.id", 'href="tel:05130000000"'):
        assert value in contact, value


def test_the_minimum_is_the_office_setting(demo_repo, run, tmp_path):
    config = demo_repo / "tools/config/kantor.yaml"
    config.write_text(config.read_text("utf-8").replace("sel_minimum_publik: 3", "sel_minimum_publik: 50"), "utf-8")
    office.git(demo_repo, "commit", "-qam", "Batas sel minimum situs publik 50", who=office.CHIEF)
    out = build(run, demo_repo, tmp_path / "site")
    home = article(out, "index.html")  # the demo has fewer than 50 public complaints
    assert "<svg" not in home and "kurang dari 50 pengaduan" in home and "&lt; 50" in home


def test_internal_look_up_labels_the_reporter_details(demo_repo, run, tmp_path, browser):
    canary_repo(demo_repo)
    out = build(run, demo_repo, tmp_path / "site-internal", "--internal")
    with serve(out) as base:
        visit = Visit(browser, base)
        visit.page.goto(f"{base}/lacak/#{RECORD_ID}")
        visit.page.wait_for_selector(".lacak-langkah li")
        facts = dict(zip(visit.page.locator(".lacak-fakta dt").all_inner_texts(),
                         visit.page.locator(".lacak-fakta dd").all_inner_texts()))
        assert facts["Nama pelapor (INTERNAL)"] == MARKERS["nama"] and facts["NIK (INTERNAL)"] == MARKERS["nik"]
        assert facts["Surel (INTERNAL)"] == MARKERS["email"] and facts["Alamat (INTERNAL)"] == MARKERS["alamat"]
        assert facts["Lampiran (INTERNAL)"] == "KANARILAMPIRAN7731.pdf"
        link = visit.page.locator(".lacak-fakta a", has_text="KANARILAMPIRAN7731.pdf")
        href = link.get_attribute("href")
        assert href == f"../lampiran/{RECORD_ID}/KANARILAMPIRAN7731.pdf"
        assert (out / "lampiran" / RECORD_ID / "KANARILAMPIRAN7731.pdf").read_text("utf-8") == "KANARIISILAMPIRAN7731"
        assert "{" not in "".join(facts.values())  # labelled values, not a raw JSON string
        assert "INTERNAL" in visit.page.title()
        visit.close()
