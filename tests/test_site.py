"""The public recap site: no personal data anywhere, untrusted text stays text, works offline, in Indonesian."""
import gzip
import json
import re

import pytest

from pengaduan.site import INTERNAL_MARKER, PUBLIC_COLUMNS, shard_of

import office
from browser import CHROMIUM, FLAGS, Visit, require, serve
from conftest import PROJECT_ROOT
from office import RECORD_ID, walk_to

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
    assert pages and all("INTERNAL" in p.read_text("utf-8") for p in pages)
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
    pages = [p for p in out.rglob("index.html") if "data/lacak" not in str(p)]
    fixed = ["", "lacak", "rekap", "cara-mengadu", "tentang", "privasi", "data", "petugas/alur-git",
             "petugas/perintah", "petugas/format-rekaman", "petugas/templat", "petugas/penyiapan", "panduan/staf-pelaksana", "panduan/kasubbag",
             "panduan/sub-bagian-umum", "panduan/sub-bagian-terkait", "petugas/penyiapan-github",
             "petugas/penyiapan-forgejo", "petugas/ancaman", "petugas/surat-pelapor"]
    years = {m[:4] for m in months}
    assert len(pages) <= len(fixed) + len(years) + len(months) + 2  # months with only rahasia complaints


def test_open_data_matches_its_dictionary(demo_repo, run, tmp_path):
    out = build(run, demo_repo, tmp_path / "site")
    header = (out / "data/pengaduan.csv").read_text("utf-8").splitlines()[0].split(",")
    assert header == PUBLIC_COLUMNS
    documented = re.findall(r"^\| `(\w+)` \|", (PROJECT_ROOT / "docs/data.md").read_text("utf-8"), re.M)
    assert documented == PUBLIC_COLUMNS
    rows = json.loads((out / "data/pengaduan.json").read_text("utf-8"))
    assert set(rows[0]) == set(PUBLIC_COLUMNS) | {"linimasa", "sop"}


def test_shard_function_matches_the_script():
    script = (PROJECT_ROOT / "docs/assets/lacak.js").read_text("utf-8")
    assert "0x811c9dc5" in script and "0x01000193" in script and "% 256" in script
    assert shard_of("PGD-2026-00001") == "%02x" % (int(shard_of("PGD-2026-00001"), 16))


@pytest.fixture(scope="module")
def browser():
    require(CHROMIUM, "chromium")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


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
        assert len(visit.page.query_selector_all(".lacak-langkah li")) == len(entry["linimasa"])
        visit.page.fill("#nomor-pengaduan", "PGD-1999-99999")
        visit.page.click("button[type=submit]")
        visit.page.wait_for_function("document.querySelector('.lacak-hasil').innerText.includes('tidak ditemukan')")
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
