"""`baru` then `lanjut` walk a complaint from step 2 to 8 with real branches and merges; `audit` accepts it."""
from datetime import datetime, timedelta
from email.message import EmailMessage

import pytest

from pengaduan.history.audit import replay
from pengaduan.history.calendar import WIB
from pengaduan.core.config import load_settings
from pengaduan.history.reader import read_history
from pengaduan.intake.eml import read_eml
from pengaduan.core.records import check_repository
from pengaduan.intake.workflow import Repository, WorkflowError, advance, collisions, register, renumber

import office
from conftest import git

PEOPLE = {"staf": "nurul", "kasubbag": "rahmadi", "perencanaan": "dewi", "umum": "siti"}
START = datetime(2026, 11, 30, 8, 0, tzinfo=WIB)


def person(settings, key):
    return next(p for p in settings.office.people if p.id == PEOPLE[key])


def eml(body="Nama saya tidak ada di DPT TPS 5.", message_id="<w1@contoh.example>") -> bytes:
    m = EmailMessage()
    m["From"], m["To"], m["Subject"] = "Budi Warga <budi@contoh.example>", "pengaduan@x.example", "DPT TPS 5"
    m["Date"], m["Message-ID"] = "Mon, 30 Nov 2026 07:30:00 +0700", message_id
    m.set_content(body)
    m.add_attachment(b"foto", maintype="image", subtype="jpeg", filename="../foto ktp.jpg")
    return bytes(m)


def fill(repo, branch, path, replacements, who, when):
    """Staff complete the `ISI:` fields on the branch, as they would in an editor."""
    git(repo, "switch", "-q", branch)
    text = (repo / path).read_text("utf-8")
    for key, value in replacements.items():
        text = "\n".join(f"{line.split(':')[0]}: {value}" if line.strip().startswith(f"{key}:") and "ISI:" in line
                         else line for line in text.split("\n"))
    (repo / path).write_text(text, "utf-8")
    git(repo, "commit", "-q", "-am", "lengkapi", who=who, when=when)
    git(repo, "switch", "-q", "main")


def merge(repo, branch, when):
    office.forge_merge(repo, branch, f"Merge pull request from kpu/{branch}", office.CHIEF, when)


def test_walk_a_complaint_from_step_2_to_8(demo_repo):
    settings = load_settings(demo_repo)
    repo = Repository(demo_repo)
    clock = iter(START + timedelta(hours=3 * i) for i in range(40))
    (done,) = register(repo, settings, [("a.eml", read_eml(eml(), "a.eml"))], person(settings, "staf"), next(clock))
    record_id, path = done.record_id, f"records/2026/11/{done.record_id}.yaml"
    assert done.branch == f"{record_id}-langkah-2"
    assert git(demo_repo, "status", "--porcelain") == "" and git(demo_repo, "branch", "--show-current") == "main\n"
    staff = ("Nurul Hidayah", "nurul@pulangpisau.kpu.example")
    fill(demo_repo, done.branch, path, {"kerahasiaan": "anonim", "kategori": "daftar-pemilih",
                                        "ringkasan_publik": "Pemilih tidak tercantum dalam DPT TPS 5."},
         staff, next(clock).isoformat())
    advance(repo, settings, record_id, person(settings, "kasubbag"), next(clock), {"kepada": "perencanaan"})
    merge(demo_repo, done.branch, next(clock).isoformat())
    step4 = advance(repo, settings, record_id, person(settings, "staf"), next(clock), {})
    assert step4.branch == f"{record_id}-langkah-4"
    merge(demo_repo, step4.branch, next(clock).isoformat())
    step5 = advance(repo, settings, record_id, person(settings, "perencanaan"), next(clock), {})
    fill(demo_repo, step5.branch, path, {"isi": "Data pemilih telah dicocokkan."},
         ("Dewi Lestari", "dewi@pulangpisau.kpu.example"), next(clock).isoformat())
    assert advance(repo, settings, record_id, person(settings, "umum"), next(clock), {}).branch == step5.branch
    assert advance(repo, settings, record_id, person(settings, "kasubbag"), next(clock), {}).branch == step5.branch
    merge(demo_repo, step5.branch, next(clock).isoformat())
    step8 = advance(repo, settings, record_id, person(settings, "staf"), next(clock), {})
    fill(demo_repo, step8.branch, path, {"hasil": "dijawab"}, staff, next(clock).isoformat())
    merge(demo_repo, step8.branch, next(clock).isoformat())

    timelines, violations = replay(read_history(demo_repo, use_cache=False), settings)
    assert [v for v in violations if v.record == record_id] == []
    steps = {s.step: s.person for s in timelines[path].steps}
    assert steps == {2: "nurul", 3: "rahmadi", 4: "nurul", 5: "dewi", 6: "siti", 7: "rahmadi", 8: "nurul"}
    assert [f for f in check_repository(demo_repo) if f.path.startswith(path.removesuffix(".yaml"))] == []
    with pytest.raises(WorkflowError, match="sudah selesai"):
        advance(repo, settings, record_id, person(settings, "staf"), next(clock), {})


def test_lanjut_keeps_hand_written_comments_and_quoting(demo_repo):
    office.walk_to(demo_repo, 3)
    path = demo_repo / office.RECORD_PATH
    text = path.read_text("utf-8").replace("perihal: Perilaku petugas KPPS",
                                           "perihal: 'Perilaku petugas KPPS'  # dari surel warga")
    path.write_text(text.replace("kategori:", "# dicek ulang oleh staf\nkategori:"), "utf-8")
    git(demo_repo, "commit", "-q", "-am", "komentar", who=office.STAFF)
    settings = load_settings(demo_repo)
    done = advance(Repository(demo_repo), settings, office.RECORD_ID, person(settings, "staf"), START, {})
    after = git(demo_repo, "show", f"{done.branch}:{office.RECORD_PATH}")
    assert "perihal: 'Perilaku petugas KPPS'  # dari surel warga" in after
    assert "# dicek ulang oleh staf\nkategori:" in after
    assert after.index("disposisi:") < after.index("nota_dinas_tindak_lanjut:")
    assert 'tanggal: "2026-11-30"' in after and "langkah: 4" in after


def test_refusals_name_who_is_awaited(demo_repo):
    office.walk_to(demo_repo, 4)
    settings = load_settings(demo_repo)
    repo = Repository(demo_repo)
    with pytest.raises(WorkflowError, match="Sub Bagian Teknis"):
        advance(repo, settings, office.RECORD_ID, person(settings, "staf"), START, {})
    with pytest.raises(WorkflowError, match="bukan staf pelaksana"):
        register(repo, settings, [("a.eml", read_eml(eml(), "a.eml"))], person(settings, "kasubbag"), START)


def test_duplicate_email_is_refused_with_its_record(demo_repo):
    settings = load_settings(demo_repo)
    repo = Repository(demo_repo)
    (done,) = register(repo, settings, [("a.eml", read_eml(eml(), "a.eml"))], person(settings, "staf"), START)
    merge(demo_repo, done.branch, START.isoformat())
    with pytest.raises(WorkflowError, match=f"sudah tercatat sebagai {done.record_id}"):
        register(repo, settings, [("b.eml", read_eml(eml(), "b.eml"))], person(settings, "staf"), START)
    resent = read_eml(eml(body="Nama  saya tidak ada di DPT\nTPS 5.", message_id="<lain@x>"), "c.eml")
    with pytest.raises(WorkflowError, match=done.record_id):
        register(repo, settings, [("c.eml", resent)], person(settings, "staf"), START)
    twice = [(n, read_eml(eml(message_id="<baru@x>", body="lain"), n)) for n in ("d.eml", "e.eml")]
    with pytest.raises(WorkflowError, match="sama dengan d.eml"):
        register(repo, settings, twice, person(settings, "staf"), START)


def test_collision_is_detected_and_renumbered(demo_repo, run):
    settings = load_settings(demo_repo)
    repo = Repository(demo_repo)
    (mine,) = register(repo, settings, [("a.eml", read_eml(eml(), "a.eml"))], person(settings, "staf"), START)
    # meanwhile a colleague's complaint with the same numbers reached main
    git(demo_repo, "switch", "-q", "-c", "rekan", "main")
    path = f"records/2026/11/{mine.record_id}.yaml"
    data = office.record(2, id=mine.record_id)
    data["diterima"] = {**data["diterima"], "waktu": "2026-11-29T10:00:00+07:00",
                        "nomor_agenda": int(git(demo_repo, "show", f"{mine.branch}:{path}").split(
                            "nomor_agenda: ")[1].split()[0])}
    office.commit(demo_repo, data, office.STAFF, "2026-11-29T10:00:00+07:00", "rekan", path=path)
    git(demo_repo, "switch", "-q", "main")
    merge(demo_repo, "rekan", "2026-11-29T11:00:00+07:00")
    kinds = {c[2] for c in collisions(repo, mine.branch)}
    assert kinds == {"id", "agenda"}
    result = run("--repo", demo_repo, "bentrok", "--cabang", mine.branch)
    assert result.exit_code == 1 and f"pengaduan nomor-ulang {mine.record_id}" in result.output
    fixed = renumber(repo, settings, mine.record_id, person(settings, "staf"), START)
    assert fixed.record_id != mine.record_id and collisions(repo, fixed.branch) == []
    files = git(demo_repo, "ls-tree", "-r", "--name-only", fixed.branch, "records/2026/11/").split()
    assert f"records/2026/11/{fixed.record_id}/surel-asli.eml" in files
    assert not any(mine.record_id + "/" in f for f in files if "rekan" not in f and f != path)


def test_cli_baru_and_lanjut(demo_repo, run, tmp_path, monkeypatch):
    monkeypatch.setenv("PENGADUAN_SEKARANG", (START + timedelta(hours=4)).isoformat())
    source = tmp_path / "masuk"
    source.mkdir()
    (source / "a.eml").write_bytes(eml())
    (source / "bukan.eml").write_bytes(b"%PDF-1.4 bukan surel")
    git(demo_repo, "config", "user.email", "nurul@pulangpisau.kpu.example")
    refused = run("--repo", demo_repo, "baru", "--eml", source)
    assert refused.exit_code == 1 and "bukan.eml: berkas ini bukan surel" in refused.output
    assert "langkah-2" not in git(demo_repo, "branch", "--list", "*09*")
    (source / "bukan.eml").unlink()
    made = run("--repo", demo_repo, "baru", "--eml", source)
    assert made.exit_code == 0, made.output
    assert "langkah 2 dikomit di cabang" in made.output and "git push -u origin" in made.output
    walk_in = run("--repo", demo_repo, "baru", "--saluran", "langsung", "--waktu", "2026-11-30T10:00",
                  "--nama", "Warga", "--perihal", "Lokasi TPS", "--uraian", "TPS jauh", "--kategori", "logistik-tps",
                  "--kerahasiaan", "terbuka")
    assert walk_in.exit_code == 0, walk_in.output
    git(demo_repo, "config", "user.email", "luar@contoh.example")
    stranger = run("--repo", demo_repo, "lanjut", "PGD-2026-00001")
    assert stranger.exit_code == 1 and "tidak ada di daftar personel" in stranger.output
    assert run("--repo", demo_repo, "baru").exit_code == 2
