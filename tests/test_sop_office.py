"""Another office whose SOP has six steps, other role ids and a document of its own: the tools follow its SOP file.

The office is built as real offices are: a demo history generated from its own configuration (signed forge
merges, approval notes), a governance pull request adding its templates, and one complaint walked through
`baru`/`lanjut` with real branches and forge merges. Then `periksa`, `audit`, `status`, `nota` (real Pandoc)
and `situs` (real MkDocs) run on it.
"""
from __future__ import annotations

import json
import re
import shutil
from datetime import date, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import docx
import pytest

from pengaduan.history.audit import replay
from pengaduan.core import yamlio
from pengaduan.history.calendar import WIB, WorkCalendar
from pengaduan.history.status import record_status
from pengaduan.outputs.projection import project
from pengaduan.core.config import load_settings
from pengaduan.demo import generate
from pengaduan.history.reader import read_history
from pengaduan.intake.eml import read_eml
from pengaduan.core.records import check_repository
from pengaduan.intake.workflow import Repository, WorkflowError, advance, register

import office
from conftest import PROJECT_ROOT, git

FIXTURES = Path(__file__).parent / "fixtures" / "kantor-enam-langkah"
# The Pulang Pisau roster, its roles renamed to the six-step SOP's (and no Sub Bagian Umum role at all).
RENAMED = {"kasubbag_hukum": "ketua_tim", "staf_pelaksana": "petugas_pengaduan", "[sub_bagian_umum]": "[]"}
START = datetime(2026, 11, 23, 9, 0, tzinfo=WIB)
TODAY = "2026-11-27"
BAMBANG = ("Bambang Wijaya, S.IP.", "bambang@pulangpisau.kpu.example")


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Path:
    """The office's configuration: its SOP file instead of SOP No. 4 Tahun 2022, its roster's roles renamed."""
    src = tmp_path_factory.mktemp("kantor-enam-langkah")
    config = src / "tools" / "config"
    shutil.copytree(PROJECT_ROOT / "tools" / "config", config, ignore=shutil.ignore_patterns("sop-*.yaml"))
    shutil.copy(FIXTURES / "sop-01-2027.yaml", config / "sop")
    roster = (config / "kantor.yaml").read_text("utf-8")
    for old, new in RENAMED.items():
        roster = roster.replace(old, new)
    (config / "kantor.yaml").write_text(roster, "utf-8")
    schema = src / "tools" / "pengaduan" / "schema"
    schema.mkdir(parents=True)
    shutil.copy(PROJECT_ROOT / "tools" / "pengaduan" / "schema" / "record.schema.json", schema)
    return src


def _eml(day: str = "Mon, 23 Nov 2026") -> bytes:
    m = EmailMessage()
    m["From"], m["To"], m["Subject"] = "Budi Warga <budi@contoh.example>", "pengaduan@x.example", "DPT TPS 5"
    m["Date"], m["Message-ID"] = f"{day} 07:30:00 +0700", "<enam@contoh.example>"
    m.set_content("Nama saya Budi Warga tidak tercantum dalam daftar pemilih tetap di TPS 5 Desa Garantung.")
    return bytes(m)


def _fill(repo: Path, branch: str, path: str, values: dict, who, when: str) -> None:
    """Complete the `ISI:` fields on the branch, as staff do in an editor."""
    git(repo, "switch", "-q", branch)
    lines = (repo / path).read_text("utf-8").split("\n")
    lines = [f"{line.split(':')[0]}: {values[key]}" if "ISI:" in line and (key := line.split(":")[0].strip())
             in values else line for line in lines]
    (repo / path).write_text("\n".join(lines), "utf-8")
    git(repo, "commit", "-q", "-am", "lengkapi", who=who, when=when)
    git(repo, "switch", "-q", "main")


def _merge(repo: Path, branch: str, when: datetime) -> None:
    office.forge_merge(repo, branch, f"Merge pull request from kpu/{branch}", office.CHIEF, when.isoformat())


@pytest.fixture(scope="module")
def walked(source, tmp_path_factory) -> tuple[Path, str, str]:
    """(repository, record id, record path) of the office with one complaint walked through all six steps."""
    repo = tmp_path_factory.mktemp("kantor") / "repo"
    config = {path.relative_to(source).as_posix(): path.read_bytes()
              for path in sorted((source / "tools" / "config").rglob("*")) if path.is_file()}
    generate(repo, 12, seed=5, until=date(2026, 11, 20), config=config)
    git(repo, "switch", "-q", "-c", "templat-kantor")
    shutil.copytree(PROJECT_ROOT / "templates", repo / "templates")
    shutil.copy(FIXTURES / "laporan-penyelesaian.md.j2", repo / "templates")
    git(repo, "add", "templates")
    git(repo, "commit", "-qm", "Templat dokumen kantor, dengan laporan penyelesaian", who=office.CHIEF,
        when="2026-11-23T08:00:00+07:00")
    git(repo, "switch", "-q", "main")
    office.forge_merge(repo, "templat-kantor", "Merge pull request #900 from kpu/templat-kantor", office.CHIEF,
                       "2026-11-23T08:30:00+07:00")

    settings = load_settings(repo)
    people = {p.id: p for p in settings.office.people}
    git_repo = Repository(repo)
    clock = iter(START + timedelta(hours=2 * i) for i in range(40))
    (done,) = register(git_repo, settings, [("a.eml", read_eml(_eml(), "a.eml"))], people["nurul"], next(clock))
    record_id = done.record_id
    path = f"records/2026/11/{record_id}.yaml"
    assert done.branch == f"{record_id}-langkah-2" and done.step == 2
    _fill(repo, done.branch, path, {"kerahasiaan": "terbuka", "kategori": "daftar-pemilih",
                                    "ringkasan_publik": "Pemilih tidak tercantum dalam DPT TPS 5.",
                                    "perihal_dinas": "Pemilih tidak tercantum dalam DPT TPS 5"},
          office.STAFF, next(clock).isoformat())
    with pytest.raises(WorkflowError, match="dilakukan oleh Ketua Tim Pengaduan"):
        advance(git_repo, settings, record_id, people["siti"], next(clock), {"kepada": "teknis"})
    with pytest.raises(WorkflowError, match="disposisi perlu sub bagian tujuan: --kepada hukum"):
        advance(git_repo, settings, record_id, people["rahmadi"], next(clock), {})
    step3 = advance(git_repo, settings, record_id, people["rahmadi"], next(clock), {"kepada": "teknis"})
    assert step3.branch == done.branch  # `cabang: sama`
    _merge(repo, done.branch, next(clock))
    step4 = advance(git_repo, settings, record_id, people["nurul"], next(clock), {})
    assert step4.branch == f"{record_id}-langkah-4"
    _merge(repo, step4.branch, next(clock))
    step5 = advance(git_repo, settings, record_id, people["bambang"], next(clock), {})
    _fill(repo, step5.branch, path, {"isi": "Data pemilih telah dicocokkan."}, BAMBANG, next(clock).isoformat())
    step6 = advance(git_repo, settings, record_id, people["rahmadi"], next(clock), {})
    assert step6.branch == step5.branch and any("penggabungan inilah disposisi" in a for a in step6.next_actions)
    _fill(repo, step6.branch, path, {"hasil": "dijawab"}, office.CHIEF, next(clock).isoformat())
    _merge(repo, step6.branch, next(clock))
    with pytest.raises(WorkflowError, match=r"sudah selesai \(langkah 6\)"):
        advance(git_repo, settings, record_id, people["nurul"], next(clock), {})
    return repo, record_id, path


def test_the_sop_file_alone_sets_steps_roles_and_blocks(walked):
    repo, record_id, path = walked
    settings = load_settings(repo)
    sop = settings.current_sop
    assert sop.version == "1/2027" and sop.last_step == 6 and list(settings.sops) == ["1/2027"]
    assert settings.office.disposition_roles == ("ketua_tim",)
    assert settings.office.governance_roles == ("ketua_tim", "sekretaris")
    record = (repo / path).read_text("utf-8")
    assert "instruksi: Mohon ditelaah dan dijawab oleh Sub Bagian Teknis" in record  # this SOP's `isian`
    assert "sifat: biasa" in record and "hal: Penerusan pengaduan " + record_id in record
    assert "catatan: Data pemilih telah dicocokkan." in record  # `salin` from the reply
    assert "penerusan:" not in record and "arahan_rekap:" not in record


def test_history_is_judged_by_its_sop(walked):
    repo, record_id, path = walked
    settings = load_settings(repo)
    timelines, violations = replay(read_history(repo, use_cache=False), settings)
    assert violations == []
    assert {s.step: s.person for s in timelines[path].steps} == {2: "nurul", 3: "rahmadi", 4: "nurul",
                                                                   5: "bambang", 6: "rahmadi"}
    assert all(t.sop_version == "1/2027" for t in timelines.values())
    assert check_repository(repo) == []


def test_periksa_audit_and_status(walked, run):
    repo, record_id, _ = walked
    checked = run("--repo", repo, "periksa", "--ketat")
    assert checked.exit_code == 0, checked.output
    audited = run("--repo", repo, "audit", "--format", "json")
    assert audited.exit_code == 0, audited.output
    state = run("--repo", repo, "status", record_id, "--pada", TODAY, "--format", "json")
    assert state.exit_code == 0, state.output
    (shown,) = json.loads(state.output)["pengaduan"]
    assert shown["langkah"] == 6 and shown["selesai"] is True
    assert [(r["langkah"], r["peran"]) for r in shown["langkah_langkah"]] == [
        (1, "Ketua Tim Pengaduan"), (2, "Petugas Layanan Pengaduan"), (3, "Ketua Tim Pengaduan"),
        (4, "Petugas Layanan Pengaduan"),
        (5, "Sub Bagian Teknis Penyelenggaraan Pemilu dan Partisipasi Hubungan Masyarakat"),
        (6, "Ketua Tim Pengaduan")]


def _text(path: Path) -> str:
    document = docx.Document(str(path))
    return "\n".join([p.text for p in document.paragraphs]
                     + [c.text for t in document.tables for r in t.rows for c in r.cells])


def test_documents_follow_its_templat(walked, run, tmp_path):
    repo, record_id, _ = walked
    result = run("--repo", repo, "nota", record_id, "--semua", "--format", "docx", "--keluar", tmp_path)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        f"{record_id}-{name}.docx" for name in ("laporan-penyelesaian", "lembar-disposisi",
                                                "nota-dinas-balasan", "nota-dinas-tindak-lanjut")]
    report = _text(tmp_path / f"{record_id}-laporan-penyelesaian.docx")
    assert "LAPORAN PENYELESAIAN PENGADUAN" in report and "Hasil: dijawab" in report
    assert "Rahmadi Saputra, S.H." in report  # the role of this SOP's disposition, from the roster
    forwarded = _text(tmp_path / f"{record_id}-nota-dinas-tindak-lanjut.docx")
    assert "Kepala Sub Bagian Teknis Penyelenggaraan Pemilu" in forwarded and "Rahmadi Saputra, S.H." in forwarded
    assert "Pengaduan terlampir diteruskan kepada Sub Bagian Teknis" in forwarded
    assert "paling lambat Kamis, 26 November 2026" in forwarded  # dated Monday; step 5 takes three working days
    reply = _text(tmp_path / f"{record_id}-nota-dinas-balasan.docx")
    assert "Bambang Wijaya, S.IP." in reply and "Kepala Sub Bagian Hukum dan SDM" in reply
    title = docx.Document(str(tmp_path / f"{record_id}-nota-dinas-balasan.docx")).core_properties.title
    assert title == f"Nota Dinas Jawaban Unit {record_id}"


def test_public_site_shows_its_six_steps(walked, run, tmp_path):
    repo, record_id, _ = walked
    out = tmp_path / "situs"
    result = run("--repo", repo, "situs", "--keluar", out, "--pada", TODAY, "--ketat")
    assert result.exit_code == 0, result.output
    pages = "\n".join(p.read_text("utf-8", "replace") for p in out.rglob("*.html"))
    assert "Penyelesaian oleh Ketua Tim" in pages and "Ketua Tim Pengaduan" in pages
    assert "Kasubbag" not in pages and "Arahan pencatatan dan rekap" not in pages
    data = json.loads(next(out.rglob("pengaduan.json")).read_text("utf-8"))
    mine = next(item for item in data if item["nomor"] == record_id)
    assert mine["langkah"] == 6 and [row["langkah"] for row in mine["linimasa"]] == [2, 3, 4, 5, 6]


def test_a_revised_sop_applies_to_new_complaints_and_running_ones_keep_theirs(demo_repo):
    """The Pulang Pisau office adopts the six-step SOP as a new file: the complaint already running finishes under
    SOP No. 4 Tahun 2022 (steps 5-7, Sub Bagian Umum included), a new one starts under 1/2027, and the audit judges
    each by its own version."""
    office.walk_to(demo_repo, 4)
    office.adopt_revised_sop(demo_repo, {"peran: [kasubbag_hukum]": "peran: [kasubbag_hukum, ketua_tim]",
                                         "peran: [staf_pelaksana]": "peran: [staf_pelaksana, petugas_pengaduan]"},
                             "2026-11-05")
    settings = load_settings(demo_repo)
    assert settings.current_sop.version == "1/2027" and sorted(settings.sops) == ["1/2027", "4/2022"]
    people = {p.id: p for p in settings.office.people}
    repo = Repository(demo_repo)
    clock = iter(datetime(2026, 11, 9, 9, 0, tzinfo=WIB) + timedelta(hours=1, minutes=7 * i) for i in range(20))

    running = office.RECORD_ID
    step5 = advance(repo, settings, running, people["bambang"], next(clock), {})
    _fill(demo_repo, step5.branch, office.RECORD_PATH, {"isi": "Sudah diklarifikasi."}, BAMBANG,
          next(clock).isoformat())
    assert advance(repo, settings, running, people["siti"], next(clock), {}).step == 6  # a 4/2022 step
    assert advance(repo, settings, running, people["rahmadi"], next(clock), {}).step == 7
    _merge(demo_repo, step5.branch, next(clock))
    old = (demo_repo / office.RECORD_PATH).read_text("utf-8")
    assert 'versi_sop: "4/2022"' in old and "penerusan:" in old and "arahan_rekap:" in old

    (done,) = register(repo, settings, [("a.eml", read_eml(_eml("Mon, 9 Nov 2026"), "a.eml"))], people["nurul"],
                       next(clock))
    path = f"records/2026/11/{done.record_id}.yaml"
    _fill(demo_repo, done.branch, path, {"kerahasiaan": "terbuka", "kategori": "daftar-pemilih",
                                         "ringkasan_publik": "Pemilih tidak tercantum dalam DPT TPS 5."},
          office.STAFF, next(clock).isoformat())
    advance(repo, settings, done.record_id, people["rahmadi"], next(clock), {"kepada": "teknis"})
    _merge(demo_repo, done.branch, next(clock))
    new = (demo_repo / path).read_text("utf-8")
    assert 'versi_sop: "1/2027"' in new and "Mohon ditelaah dan dijawab oleh Sub Bagian Teknis" in new

    timelines, violations = replay(read_history(demo_repo, use_cache=False), load_settings(demo_repo))
    judged = [v for v in violations if v.rule != "waktu-tidak-wajar"]  # walk_to dates its merges before the demo's
    assert judged == [], "\n".join(v.render() for v in judged)
    assert [s.step for s in timelines[office.RECORD_PATH].steps] == [2, 3, 4, 5, 6, 7]
    assert timelines[office.RECORD_PATH].sop_version == "4/2022" and timelines[path].sop_version == "1/2027"
    settings = load_settings(demo_repo)  # each complaint is published under its own SOP
    now = datetime(2026, 11, 27, 23, 59, tzinfo=WIB)
    for record_path, version in ((office.RECORD_PATH, "4/2022"), (path, "1/2027")):
        row = project(yamlio.load_mapping((demo_repo / record_path).read_bytes()),
                      record_status(timelines[record_path], settings, WorkCalendar.for_office(settings.office), now),
                      settings).public
        assert row is not None and row["sop"] == f"SOP Nomor {settings.sops[version].number}", row


KLARIFIKASI = """  - nomor: 6
    judul: Klarifikasi kepada pelapor
    peran: petugas_pengaduan
    kegiatan: Petugas menyampaikan jawaban unit tujuan kepada pelapor.
    kelengkapan: Nota dinas jawaban
    output: Catatan klarifikasi
    waktu_hari_kerja: 1
    disposisi: false
    git: komit
    cabang: sama
    blok: klarifikasi
    beku: [klarifikasi]
    dokumen: []
    isian:
      tanggal: {tanggal: hari_kerja}
      ringkasan: "Jawaban {tujuan} sudah disampaikan kepada pelapor."
"""


def test_a_step_with_a_block_the_schema_does_not_know_needs_only_the_sop_file(source, tmp_path, run):
    """A seventh step that writes a new block (`klarifikasi`): the demo fills it from the SOP's `isian`, periksa
    and audit accept it, and the schema still refuses a block no SOP declares or a field left out."""
    sop = (source / "tools/config/sop/sop-01-2027.yaml").read_text("utf-8")
    head, last = sop.split("  - nomor: 6\n")
    config = {path.relative_to(source).as_posix(): path.read_bytes()
              for path in sorted((source / "tools" / "config").rglob("*")) if path.is_file()}
    config["tools/config/sop/sop-01-2027.yaml"] = (head + KLARIFIKASI + "  - nomor: 7\n" + last).encode()
    repo = tmp_path / "kantor"
    generate(repo, 12, seed=5, until=date(2026, 11, 20), config=config)
    settings = load_settings(repo)
    assert settings.current_sop.last_step == 7 and [b for b, _ in settings.record_extension] == ["klarifikasi"]
    closed = [p for p in sorted(repo.glob("records/*/*/*.yaml")) if "klarifikasi:" in p.read_text("utf-8")]
    assert closed, "the demo walks complaints through the new step"
    checked = run("--repo", repo, "periksa", "--ketat")
    assert checked.exit_code == 0, checked.output
    audited = run("--repo", repo, "audit")
    assert audited.exit_code == 0, audited.output

    text = closed[0].read_text("utf-8")
    closed[0].write_text(text.replace("klarifikasi:", "klarifkasi:", 1), "utf-8")  # a block no SOP declares
    assert "klarifkasi" in run("--repo", repo, "periksa").output
    closed[0].write_text(re.sub(r"\n  ringkasan: [^\n]*", "", text, count=1), "utf-8")  # a field left out
    refused = run("--repo", repo, "periksa")
    assert refused.exit_code == 1 and "ringkasan" in refused.output, refused.output
