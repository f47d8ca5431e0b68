"""Tampering, tried the way a staff member with push rights would, with real Git commands: each is flagged.

And the other direction: a legitimate history (a Plh period, an SOP revision, a roster change, a retired
colleague) audits clean, and so does a plain `git clone`.
"""
import json
import re
import subprocess
from datetime import datetime

import pytest

from pengaduan.history.audit import audit_repository, replay_repository
from pengaduan.history.calendar import WIB, WorkCalendar
from pengaduan.core.config import load_settings
from pengaduan.history.status import DOUBTFUL, ON_TIME, record_status

from conftest import git
from office import (CHIEF, FORGE, RECORD_ID, RECORD_PATH, STAFF, TEKNIS, UMUM, change_file, commit, forge_merge,
                    pull_request, record, walk_to)

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=WIB)
OFFICE = "tools/config/kantor.yaml"
SOP = "tools/config/sop/sop-04-2022.yaml"
AGUS = ("Agus Salim, S.E.", "agus@pulangpisau.kpu.example")


def findings(repo, now=NOW):
    return audit_repository(repo, "main", load_settings(repo), use_cache=False, now=now)[1]


def rules(repo) -> list[str]:
    return [v.rule for v in findings(repo)]


def only(found, rule):
    picked = [v for v in found if v.rule == rule]
    assert picked, [v.rule for v in found]
    return picked


def other(number: int, step: int, **changes) -> tuple[str, dict]:
    """Another complaint (path, data) of the same month, with its own registration and agenda numbers."""
    record_id = f"PGD-2026-0{9100 + number}"
    data = record(step, id=record_id, **changes)
    data["diterima"] = {**data["diterima"], "nomor_agenda": 9100 + number, **changes.get("diterima", {})}
    for block in data.values():
        if isinstance(block, dict) and "nomor" in block:
            block["nomor"] = f"{9100 + number}{block['nomor'][3:]}"
    return f"records/2026/11/{record_id}.yaml", data


def give_role(text: str, person: str, role: str) -> str:
    return re.sub(rf"(  - id: {person}\n(?:    .*\n)*?    peran: \[)", rf"\g<1>{role}, ", text, count=1)


def add_stand_in(text: str, person: str, start: str, end: str) -> str:
    block = (f"    plh:\n      - untuk: kasubbag_hukum\n        dari: \"{start}\"\n        sampai: \"{end}\"\n"
             "        surat: \"800/123/SEKRET/XI/2026\"\n")
    return re.sub(rf"(  - id: {person}\n(?:    .*\n)*?    forge: .*\n)", rf"\g<1>{block}", text, count=1)


# ------------------------------------------------------------ 1. rules as they stood

def test_second_kasubbag_pushed_into_the_roster_is_not_believed(demo_repo):
    change_file(demo_repo, OFFICE, lambda t: give_role(t, "nurul", "kasubbag_hukum"), who=STAFF, how="langsung")
    pull_request(demo_repo, "b", [(record(2), STAFF, "2026-11-03T09:00:00+07:00"),
                                  (record(3), STAFF, "2026-11-03T10:00:00+07:00")], merger=STAFF)
    found = findings(demo_repo)
    assert only(found, "perubahan-tata-kelola")[0].path == OFFICE
    assert "Langkah 3" in only(found, "peran-salah")[0].message


def test_roster_change_in_the_same_pull_request_does_not_count_for_it(demo_repo):
    git(demo_repo, "checkout", "-q", "-b", "diam-diam", "main")
    office_file = demo_repo / OFFICE
    office_file.write_text(give_role(office_file.read_text("utf-8"), "nurul", "kasubbag_hukum"), "utf-8")
    git(demo_repo, "commit", "-q", "-am", "peran", who=STAFF, when="2026-11-03T08:00:00+07:00")
    commit(demo_repo, record(2), STAFF, "2026-11-03T09:00:00+07:00", "langkah 2")
    commit(demo_repo, record(3), STAFF, "2026-11-03T10:00:00+07:00", "langkah 3")
    git(demo_repo, "checkout", "-q", "main")
    forge_merge(demo_repo, "diam-diam", "Merge pull request #5 from kpu/diam-diam", STAFF, "2026-11-03T11:00:00+07:00")
    assert sorted(rules(demo_repo)) == ["peran-salah", "perubahan-tata-kelola"]


def test_retired_colleague_keeps_their_past_steps(demo_repo):
    walk_to(demo_repo, 8)

    def retire_nurul(text):
        start = text.index("  - id: nurul\n")
        return text[:start] + text[text.index("  - id: yosua\n"):]
    change_file(demo_repo, OFFICE, retire_nurul, when="2026-11-12T08:00:00+07:00")
    assert findings(demo_repo) == []
    assert load_settings(demo_repo).office.person_by_email(STAFF[1]) is None


def test_sop_file_edited_after_records_use_it(demo_repo):
    walk_to(demo_repo, 4)
    change_file(demo_repo, SOP, lambda t: t.replace("waktu_hari_kerja: 1", "waktu_hari_kerja: 30"),
                when="2026-11-05T08:00:00+07:00")
    (finding,) = findings(demo_repo)
    assert finding.rule == "sop-beku-diubah" and finding.path == SOP and "4/2022" in finding.message
    assert "berkas baru" in finding.fix


def test_changes_to_code_and_config_are_governance_steps(demo_repo):
    code = "tools/pengaduan/tambahan.py"
    change_file(demo_repo, code, lambda t: "X = 1\n", who=STAFF, how="langsung", when="2026-11-28T08:00:00+07:00")
    change_file(demo_repo, "docs/petugas/baru.md", lambda t: "# Baru\n", who=STAFF, merger=STAFF, branch="dok",
                when="2026-11-28T09:00:00+07:00")
    change_file(demo_repo, ".github/workflows/x.yml", lambda t: "on: push\n", who=STAFF, branch="alur",
                merger=CHIEF, when="2026-11-28T10:00:00+07:00", how="merge")
    found = only(findings(demo_repo), "perubahan-tata-kelola")
    assert [v.path for v in found] == [code, "docs/petugas/baru.md"]
    assert "tanpa pull request" in found[0].message and "bukan penyetuju" in found[1].message


def test_governance_merge_without_the_forge_signature(demo_repo):
    git(demo_repo, "checkout", "-q", "-b", "kunci", "main")
    (demo_repo / "tools/config/kunci/staf.pub").write_text("ssh-ed25519 AAAA staf\n")
    git(demo_repo, "add", "-A")
    git(demo_repo, "commit", "-q", "-m", "kunci", who=STAFF, when="2026-11-28T08:00:00+07:00")
    git(demo_repo, "checkout", "-q", "main")
    forge_merge(demo_repo, "kunci", "Merge pull request #9", CHIEF, "2026-11-28T09:00:00+07:00", signed=False,
                committer=CHIEF)
    (finding,) = findings(demo_repo)
    assert finding.rule == "perubahan-tata-kelola" and "tanpa tanda tangan forge" in finding.message


# ------------------------------------------------------------ 2. authentic dispositions

def test_hand_written_note_and_local_merge_are_no_evidence(demo_repo):
    pull_request(demo_repo, "b", [(record(2), STAFF, "2026-11-28T09:00:00+07:00"),
                                  (record(3), CHIEF, "2026-11-28T10:00:00+07:00")], signed=False, committer=CHIEF)
    git(demo_repo, "notes", "--ref=refs/notes/persetujuan", "add", "-f", "-m",
        "persetujuan: [{pengulas: rahmadi-kpu, komit: x}]", "HEAD")
    (finding,) = findings(demo_repo)
    assert finding.rule == "disposisi-tanpa-tanda-tangan" and finding.record == RECORD_ID
    assert finding.person.startswith("Rahmadi") and "merge" in finding.fix


def test_merge_signed_with_a_key_the_roster_does_not_list(demo_repo, tmp_path):
    key = tmp_path / "staf"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
    pull_request(demo_repo, "b", [(record(2), STAFF, "2026-11-28T09:00:00+07:00"),
                                  (record(3), CHIEF, "2026-11-28T10:00:00+07:00")], key=key)
    # Not the forge's signature: no evidence, and a commit "by GitHub" that GitHub did not make.
    assert sorted(rules(demo_repo)) == ["disposisi-tanpa-tanda-tangan", "penulis-bukan-pengomit"]


def test_forge_key_counts_only_while_valid(demo_repo):
    retire = lambda t: t.replace("      berlaku_sampai: null", '      berlaku_sampai: "2026-11-27"')  # noqa: E731
    change_file(demo_repo, OFFICE, retire, when="2026-11-27T12:00:00+07:00")
    pull_request(demo_repo, "b", [(record(2), STAFF, "2026-11-28T09:00:00+07:00"),
                                  (record(3), CHIEF, "2026-11-28T10:00:00+07:00")])
    assert sorted(rules(demo_repo)) == ["disposisi-tanpa-tanda-tangan", "penulis-bukan-pengomit"]


def test_hand_made_merge_with_a_transplanted_signature(demo_repo):
    """commit-tree: a merge that looks like the forge's, carrying a real forge signature of another merge."""
    git(demo_repo, "checkout", "-q", "-b", "b", "main")
    commit(demo_repo, record(2), STAFF, "2026-11-28T09:00:00+07:00", "langkah 2")
    commit(demo_repo, record(3), CHIEF, "2026-11-28T10:00:00+07:00", "langkah 3")
    git(demo_repo, "checkout", "-q", "main")
    real = git(demo_repo, "cat-file", "commit", "main")
    signature = real[real.index("gpgsig "):real.index("-----END SSH SIGNATURE-----") + 28]
    tree = git(demo_repo, "rev-parse", "b^{tree}").strip()
    parents = f"parent {git(demo_repo, 'rev-parse', 'main').strip()}\nparent {git(demo_repo, 'rev-parse', 'b').strip()}"
    stamp = "1795841400 +0700"
    body = (f"tree {tree}\n{parents}\nauthor {CHIEF[0]} <{CHIEF[1]}> {stamp}\ncommitter GitHub <noreply@github.com> "
            f"{stamp}\n{signature}\nMerge pull request #44 from kpu/b\n")
    forged = subprocess.run(["git", "hash-object", "-t", "commit", "-w", "--stdin"], cwd=demo_repo, input=body,
                            capture_output=True, text=True, check=True).stdout.strip()
    git(demo_repo, "update-ref", "refs/heads/main", forged)
    found = findings(demo_repo)
    assert "disposisi-tanpa-tanda-tangan" in [v.rule for v in found]
    assert all(v.commit == forged for v in found if v.rule == "disposisi-tanpa-tanda-tangan")


def test_merge_made_with_commit_tree_in_the_forges_name(demo_repo):
    """`git commit-tree`: author the Kasubbag, committer "GitHub", no signature: no evidence, not the forge's."""
    git(demo_repo, "checkout", "-q", "-b", "b", "main")
    commit(demo_repo, record(2), STAFF, "2026-11-28T09:00:00+07:00", "langkah 2")
    commit(demo_repo, record(3), CHIEF, "2026-11-28T10:00:00+07:00", "langkah 3")
    git(demo_repo, "checkout", "-q", "main")
    env = {**__import__("os").environ, "GIT_AUTHOR_NAME": CHIEF[0], "GIT_AUTHOR_EMAIL": CHIEF[1],
           "GIT_COMMITTER_NAME": FORGE[0], "GIT_COMMITTER_EMAIL": FORGE[1],
           "GIT_AUTHOR_DATE": "2026-11-28T11:00:00+07:00", "GIT_COMMITTER_DATE": "2026-11-28T11:00:00+07:00"}
    made = subprocess.run(["git", "commit-tree", "b^{tree}", "-p", "main", "-p", "b", "-m",
                           "Merge pull request #45 from kpu/b"], cwd=demo_repo, env=env, capture_output=True,
                          text=True, check=True).stdout.strip()
    git(demo_repo, "update-ref", "refs/heads/main", made)
    found = findings(demo_repo)
    assert sorted(v.rule for v in found) == ["disposisi-tanpa-tanda-tangan", "penulis-bukan-pengomit"]
    assert {v.commit for v in found} == {made}


def test_no_forge_key_configured_gives_one_finding_not_a_flood(demo_repo):
    change_file(demo_repo, OFFICE, lambda t: re.sub(r"  kunci:\n(    .*\n)+", "  kunci: []\n", t),
                when="2026-11-27T23:00:00+07:00")
    for number in range(3):
        path, data = other(number, 3)
        pull_request(demo_repo, f"b{number}", [(other(number, 2)[1], STAFF, "2026-11-28T09:00:00+07:00"),
                                                (data, CHIEF, "2026-11-28T10:00:00+07:00")], path=path)
    (finding,) = findings(demo_repo)
    assert finding.rule == "kunci-forge-belum-ada" and "forge.kunci" in finding.fix


# ------------------------------------------------------------ 4. who did it

def test_author_set_to_someone_else_than_the_committer(demo_repo):
    git(demo_repo, "checkout", "-q", "-b", "b", "main")
    commit(demo_repo, record(2), STAFF, "2026-11-28T09:00:00+07:00", "langkah 2")
    office_record = demo_repo / RECORD_PATH
    from office import write
    write(demo_repo, record(3))
    subprocess.run(["git", "commit", "-q", "-am", "langkah 3"], cwd=demo_repo, check=True, env={
        **__import__("os").environ, "GIT_AUTHOR_NAME": CHIEF[0], "GIT_AUTHOR_EMAIL": CHIEF[1],
        "GIT_COMMITTER_NAME": STAFF[0], "GIT_COMMITTER_EMAIL": STAFF[1],
        "GIT_AUTHOR_DATE": "2026-11-28T10:00:00+07:00", "GIT_COMMITTER_DATE": "2026-11-28T10:00:00+07:00"})
    git(demo_repo, "checkout", "-q", "main")
    forge_merge(demo_repo, "b", "Merge pull request #3", CHIEF, "2026-11-28T11:00:00+07:00")
    (finding,) = findings(demo_repo)
    assert finding.rule == "penulis-bukan-pengomit" and STAFF[1] in finding.message and office_record.exists()


def test_merge_authored_as_the_kasubbag_by_staff(demo_repo):
    pull_request(demo_repo, "b", [(record(2), STAFF, "2026-11-28T09:00:00+07:00"),
                                  (record(3), STAFF, "2026-11-28T10:00:00+07:00")], signed=False, committer=STAFF)
    assert sorted(rules(demo_repo)) == ["disposisi-tanpa-tanda-tangan", "penulis-bukan-pengomit"]


def test_forge_web_edit_on_someones_behalf_is_accepted(demo_repo):
    git(demo_repo, "checkout", "-q", "-b", "b", "main")
    commit(demo_repo, record(2), STAFF, "2026-11-28T09:00:00+07:00", "langkah 2")
    forge_merge(demo_repo, "main", "Merge branch main", STAFF, "2026-11-28T09:30:00+07:00")  # "update branch" button
    from office import write
    write(demo_repo, record(3))
    git(demo_repo, "add", "-A")
    subprocess.run(["git", "-c", "gpg.format=ssh", "-c",
                    f"user.signingKey={demo_repo / '.git/pengaduan-demo/forge-demo'}", "commit", "-q", "-S", "-m",
                    "langkah 3 (disunting di web)"], cwd=demo_repo, check=True, env={
        **__import__("os").environ, "GIT_AUTHOR_NAME": CHIEF[0], "GIT_AUTHOR_EMAIL": CHIEF[1],
        "GIT_COMMITTER_NAME": FORGE[0], "GIT_COMMITTER_EMAIL": FORGE[1],
        "GIT_AUTHOR_DATE": "2026-11-28T10:00:00+07:00", "GIT_COMMITTER_DATE": "2026-11-28T10:00:00+07:00"})
    git(demo_repo, "checkout", "-q", "main")
    forge_merge(demo_repo, "b", "Merge pull request #3", CHIEF, "2026-11-28T11:00:00+07:00")
    assert rules(demo_repo) == []


# ------------------------------------------------------------ 3. believable times

def _status(repo):
    settings = load_settings(repo)
    timelines, _ = replay_repository(repo, "main", settings, use_cache=False)
    return record_status(timelines[RECORD_PATH], settings, WorkCalendar.for_office(settings.office), NOW)


@pytest.mark.parametrize("step4_at,merged_at,words", [
    ("2026-11-03T10:30:00+07:00", "2026-11-04T10:00:00+07:00", "sebelum langkah sebelumnya"),
    ("2026-11-05T09:00:00+07:00", "2026-11-04T10:00:00+07:00", "sesudah langkah itu masuk main"),
])
def test_step_dated_implausibly_is_a_finding_and_never_on_time(demo_repo, step4_at, merged_at, words):
    walk_to(demo_repo, 3)  # the disposition landed 2026-11-03 11:00
    pull_request(demo_repo, "b", [(record(4), STAFF, step4_at)], merged_at=merged_at)
    (finding,) = findings(demo_repo)
    assert finding.rule == "waktu-tidak-wajar" and words in finding.message and "Langkah 4" in finding.message
    step4 = next(s for s in _status(demo_repo).steps if s.step == 4)
    assert step4.state == DOUBTFUL != ON_TIME


def test_step_dated_before_the_complaint_arrived(demo_repo):
    pull_request(demo_repo, "b", [(record(2), STAFF, "2026-11-01T09:00:00+07:00"),
                                  (record(3), CHIEF, "2026-11-03T10:00:00+07:00")])
    (finding,) = findings(demo_repo)
    assert finding.rule == "waktu-tidak-wajar" and "sebelum pengaduan diterima" in finding.message
    assert next(s for s in _status(demo_repo).steps if s.step == 2).state == DOUBTFUL


def test_arrival_after_the_record_landed(demo_repo):
    late = {"waktu": "2026-11-20T09:00:00+07:00", "saluran": "email", "nomor_agenda": 9001}
    pull_request(demo_repo, "b", [(record(2, diterima=late), STAFF, "2026-11-03T09:00:00+07:00")],
                 merged_at="2026-11-03T10:00:00+07:00")
    assert rules(demo_repo) == ["waktu-tidak-wajar"]


def test_steps_in_the_future(demo_repo):
    pull_request(demo_repo, "b", [(record(2), STAFF, "2027-03-01T09:00:00+07:00"),
                                  (record(3), CHIEF, "2027-03-01T10:00:00+07:00")])
    found = only(findings(demo_repo), "waktu-di-masa-depan")
    assert {v.message.split(" ")[1] for v in found} == {"2", "3"}
    assert findings(demo_repo, now=datetime(2027, 3, 2, tzinfo=WIB)) == []


def test_local_merge_dated_back_before_main(demo_repo):
    pull_request(demo_repo, "b", [(record(2), STAFF, "2026-11-03T09:00:00+07:00")], signed=False,
                 committer=CHIEF, merged_at="2026-11-03T10:00:00+07:00")
    assert "waktu-tidak-wajar" in rules(demo_repo)


# ------------------------------------------------------------ 5. rewrites are visible

def test_rewritten_main_is_reported_with_the_lost_head(demo_repo, run, tmp_path):
    walk_to(demo_repo, 3)
    flagged = pull_request(demo_repo, "b", [(record(4), TEKNIS, "2026-11-04T09:00:00+07:00")])
    assert "[peran-salah]" in run("--repo", demo_repo, "audit").output
    published = tmp_path / "rantai_kepala.json"
    from pengaduan.history.heads import head_chain
    chain = head_chain(demo_repo)
    assert chain[-1]["kepala"] == flagged and set(chain[-1]) == {"kepala", "waktu", "jenis"}
    published.write_text(json.dumps(chain))
    git(demo_repo, "reset", "-q", "--hard", "HEAD~1")
    pull_request(demo_repo, "c", [(record(4), STAFF, "2026-11-04T09:00:00+07:00")])
    result = run("--repo", demo_repo, "audit")
    assert result.exit_code == 1 and "[riwayat-ditulis-ulang]" in result.output and flagged[:10] in result.output
    assert "[peran-salah]" not in result.output
    clone = tmp_path / "salinan"
    git(tmp_path, "clone", "-q", str(demo_repo), str(clone))
    assert "[riwayat-ditulis-ulang]" not in run("--repo", clone, "audit").output  # a clone has no chain of its own
    result = run("--repo", clone, "audit", "--rantai", published)
    assert result.exit_code == 1 and flagged in result.output  # ...but the published one tells


# ------------------------------------------------------------ 6. numbers and frozen content

def test_duplicate_agenda_letter_and_registration_numbers(demo_repo):
    walk_to(demo_repo, 4)
    path, data = other(1, 4)
    data["diterima"]["nomor_agenda"] = 9001  # the test complaint's agenda number, same year
    data["nota_dinas_tindak_lanjut"]["nomor"] = "901/HK.06-ND/6211/XI/2026"
    pull_request(demo_repo, "b", [(other(1, 2)[1] | {"diterima": data["diterima"]}, STAFF, "2026-11-05T09:00:00+07:00"),
                                  (other(1, 3)[1] | {"diterima": data["diterima"]}, CHIEF, "2026-11-05T10:00:00+07:00")],
                 path=path)
    pull_request(demo_repo, "c", [(data, STAFF, "2026-11-06T09:00:00+07:00")], path=path)
    twin = f"records/2026/10/{RECORD_ID}.yaml"
    pull_request(demo_repo, "d", [(record(2) | {"diterima": {**record(2)["diterima"], "nomor_agenda": 9050}},
                                   STAFF, "2026-11-07T09:00:00+07:00")], path=twin)
    found = only(findings(demo_repo), "nomor-ganda")
    messages = sorted(v.message for v in found)
    assert any("agenda 2026/9001 juga dipakai PGD-2026-09001" in m for m in messages)
    assert any("901/HK.06-ND/6211/XI/2026 juga dipakai PGD-2026-09001" in m for m in messages)
    assert any(f"registrasi {RECORD_ID} juga dipakai records/2026/11/" in m for m in messages)
    assert len(found) == 3


@pytest.mark.parametrize("changes", [{"uraian": "Isi pengaduan ditulis ulang.\n"},
                                     {"pelapor": {"kerahasiaan": "terbuka", "nama": "Orang Lain"}},
                                     {"perihal": "Perihal lain"}])
def test_complaint_as_received_cannot_change_without_koreksi(demo_repo, changes):
    walk_to(demo_repo, 3)
    pull_request(demo_repo, "b", [(record(4, **changes), STAFF, "2026-11-04T09:00:00+07:00")],
                 merged_at="2026-11-04T10:00:00+07:00")
    (finding,) = findings(demo_repo)
    assert finding.rule == "isi-beku-diubah" and next(iter(changes)) in finding.message


def test_attachment_replaced_after_step_2(demo_repo):
    walk_to(demo_repo, 3)
    attachment = RECORD_PATH.removesuffix(".yaml") + "/surat.txt"
    change_file(demo_repo, attachment, lambda t: "surat lain\n", who=STAFF, merger=CHIEF,
                when="2026-11-04T09:00:00+07:00", branch="lampiran")
    (finding,) = findings(demo_repo)
    assert finding.rule == "isi-beku-diubah" and "Lampiran" in finding.message and finding.record == RECORD_ID


def test_correction_of_the_received_content_approved_by_the_kasubbag(demo_repo):
    walk_to(demo_repo, 3)
    fixed = record(4, uraian="Petugas membentak pemilih lansia.\n",
                   koreksi=[{"tanggal": "2026-11-04", "bagian": ["uraian"], "alasan": "Salah ketik."}])
    pull_request(demo_repo, "b", [(fixed, STAFF, "2026-11-04T09:00:00+07:00")], merged_at="2026-11-04T10:00:00+07:00")
    assert findings(demo_repo) == []


# ------------------------------------------------------------ 8. stand-ins, and a legitimate history

def test_plh_outside_the_period_of_the_letter(demo_repo):
    change_file(demo_repo, OFFICE, lambda t: add_stand_in(t, "agus", "2026-11-03", "2026-11-04"))
    walk_to(demo_repo, 4)
    pull_request(demo_repo, "b", [(record(5), TEKNIS, "2026-11-05T09:00:00+07:00"),
                                  (record(6), UMUM, "2026-11-06T09:00:00+07:00"),
                                  (record(7), CHIEF, "2026-11-09T09:00:00+07:00")], merger=AGUS,
                 merged_at="2026-11-09T10:00:00+07:00")
    (finding,) = findings(demo_repo)
    assert finding.rule == "peran-salah" and "Langkah 7" in finding.message and "Plh" in finding.message


def test_legitimate_history_with_plh_and_sop_revision_audits_clean(demo_repo, run, tmp_path):
    # The roster records a Plh for the Kasubbag on 3-4 November (approved, before it is used).
    change_file(demo_repo, OFFICE, lambda t: add_stand_in(t, "agus", "2026-11-03", "2026-11-04"))
    # The disposition of step 3 is given by the Plh within the period.
    pull_request(demo_repo, "a", [(record(2), STAFF, "2026-11-03T09:00:00+07:00"),
                                  (record(3), STAFF, "2026-11-03T10:00:00+07:00")], merger=AGUS,
                 merged_at="2026-11-03T11:00:00+07:00")
    # An SOP revision arrives as a new file (step 4 moves to Sub Bagian Umum); the old file stays as it was.
    text = (demo_repo / SOP).read_text("utf-8")
    revised = text.replace('versi: "4/2022"', 'versi: "1/2026"').replace(
        'tanggal_pengesahan: "2022-04-04"', 'tanggal_pengesahan: "2026-11-04"').replace(
        "  - nomor: 4\n    judul: Nota dinas tindak lanjut dikirim\n    peran: staf_pelaksana",
        "  - nomor: 4\n    judul: Nota dinas tindak lanjut dikirim\n    peran: sub_bagian_umum")
    change_file(demo_repo, "tools/config/sop/sop-01-2026.yaml", lambda _: revised, branch="sop",
                when="2026-11-04T07:00:00+07:00")
    # The old complaint finishes under its own SOP: step 4 still by the staff.
    for branch, steps, merged in [
            ("b", [(record(4), STAFF, "2026-11-04T09:00:00+07:00")], "2026-11-04T10:00:00+07:00"),
            ("c", [(record(5), TEKNIS, "2026-11-05T09:00:00+07:00"), (record(6), UMUM, "2026-11-06T09:00:00+07:00"),
                   (record(7), CHIEF, "2026-11-09T09:00:00+07:00")], "2026-11-09T10:00:00+07:00"),
            ("d", [(record(8), STAFF, "2026-11-10T09:00:00+07:00")], "2026-11-10T10:00:00+07:00")]:
        pull_request(demo_repo, branch, steps, merged_at=merged)
    # A new complaint starts under the revision: its step 4 is done by Sub Bagian Umum.
    path, _ = other(1, 2)
    new = [other(1, n, versi_sop="1/2026")[1] for n in (2, 3, 4)]
    pull_request(demo_repo, "e", [(new[0], STAFF, "2026-11-10T11:00:00+07:00"),
                                  (new[1], CHIEF, "2026-11-10T12:00:00+07:00")], path=path,
                 merged_at="2026-11-10T13:00:00+07:00")
    pull_request(demo_repo, "f", [(new[2], UMUM, "2026-11-11T09:00:00+07:00")], path=path,
                 merged_at="2026-11-11T10:00:00+07:00")
    assert findings(demo_repo) == []
    status = _status(demo_repo)
    step3 = next(s for s in status.steps if s.step == 3)
    assert step3.actor.endswith("(Plh. Kepala Sub Bagian Hukum dan SDM)") and step3.state == ON_TIME
    assert status.closed
    # 7. A plain clone audits the same, with no setup.
    clone = tmp_path / "salinan"
    git(tmp_path, "clone", "-q", str(demo_repo), str(clone))
    result = run("--repo", clone, "audit")
    assert result.exit_code == 0, result.output
    assert findings(clone) == []


def test_plain_clone_reports_exactly_what_the_original_reports(demo_repo, run, tmp_path):
    walk_to(demo_repo, 3)
    pull_request(demo_repo, "b", [(record(4), TEKNIS, "2026-11-04T09:00:00+07:00")])
    original = run("--repo", demo_repo, "audit", "--format", "json")
    clone = tmp_path / "salinan"
    git(tmp_path, "clone", "-q", str(demo_repo), str(clone))
    copied = run("--repo", clone, "audit", "--format", "json")
    assert json.loads(copied.stdout) == json.loads(original.stdout)
    assert [f["aturan"] for f in json.loads(copied.stdout)["temuan"]] == ["peran-salah"]


def test_shallow_clone_stops_with_one_line(demo_repo, run, tmp_path):
    clone = tmp_path / "dangkal"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{demo_repo}", str(clone))
    result = run("--repo", clone, "audit")
    assert result.exit_code == 1 and "git fetch --unshallow" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert "git fetch --unshallow" in run("--repo", clone, "status").output
    git(clone, "fetch", "-q", "--unshallow")
    assert run("--repo", clone, "audit").exit_code == 0
