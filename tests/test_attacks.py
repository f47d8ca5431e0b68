"""Attacks by a hostile staff member (or forge admin) with push rights, tried with real Git commands.

Each test is a hole that was found by attacking the audit and the gate; each must stay closed.
"""
import subprocess
from datetime import datetime

from pengaduan.history.audit import audit_repository
from pengaduan.history.calendar import WIB
from pengaduan.core.config import load_settings

from conftest import git
from office import CHIEF, STAFF, TEKNIS, pull_request, record, walk_to

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=WIB)


def rules(repo) -> list[str]:
    return [v.rule for v in audit_repository(repo, "main", load_settings(repo), use_cache=False, now=NOW)[1]]


def test_replace_refs_pushed_to_the_office_repository_change_nothing(demo_repo, tmp_path):
    """`git replace` swaps a flagged commit for a clean-looking one; a mirror (backup) clone fetches refs/replace/*,
    and Git honours them by default. The audit must read the objects as they are."""
    walk_to(demo_repo, 3)
    pull_request(demo_repo, "b", [(record(4), TEKNIS, "2026-11-04T09:00:00+07:00")])
    assert "peran-salah" in rules(demo_repo)
    wrong = git(demo_repo, "rev-parse", "main^2").strip()
    env = {**__import__("os").environ, "GIT_AUTHOR_NAME": STAFF[0], "GIT_AUTHOR_EMAIL": STAFF[1],
           "GIT_COMMITTER_NAME": STAFF[0], "GIT_COMMITTER_EMAIL": STAFF[1],
           "GIT_AUTHOR_DATE": "2026-11-04T09:00:00+07:00", "GIT_COMMITTER_DATE": "2026-11-04T09:00:00+07:00"}
    clean = subprocess.run(["git", "commit-tree", f"{wrong}^{{tree}}", "-p", f"{wrong}^", "-m", "langkah 4"],
                           cwd=demo_repo, env=env, capture_output=True, text=True, check=True).stdout.strip()
    git(demo_repo, "replace", wrong, clean)
    clone = tmp_path / "salinan"
    git(tmp_path, "clone", "-q", str(demo_repo), str(clone))
    git(clone, "fetch", "-q", "origin", "refs/replace/*:refs/replace/*")  # as a mirror (backup) clone does
    assert git(clone, "for-each-ref", "refs/replace/").strip()
    assert "peran-salah" in rules(demo_repo)
    assert "peran-salah" in rules(clone)


def test_rewrite_that_keeps_the_old_head_as_a_side_parent_is_reported(demo_repo, run):
    """Main reset and redone, then the old head merged back with `-s ours`: it is an ancestor again, but no longer
    main's own history, so what it held (a flagged step) is gone from the audit. The head chain must say so."""
    walk_to(demo_repo, 3)
    flagged = pull_request(demo_repo, "b", [(record(4), TEKNIS, "2026-11-04T09:00:00+07:00")])
    assert "[peran-salah]" in run("--repo", demo_repo, "audit").output
    git(demo_repo, "reset", "-q", "--hard", "HEAD~1")
    pull_request(demo_repo, "c", [(record(4), STAFF, "2026-11-04T09:00:00+07:00")])
    git(demo_repo, "merge", "-q", "-s", "ours", "--no-edit", flagged, who=STAFF, when="2026-11-04T11:00:00+07:00")
    result = run("--repo", demo_repo, "audit")
    assert result.exit_code == 1 and "[riwayat-ditulis-ulang]" in result.output and flagged[:10] in result.output
    result = run("--repo", demo_repo, "audit", "--tanpa-cache")
    assert "[riwayat-ditulis-ulang]" in result.output
    assert "[langsung-ke-main]" in result.output  # the merge of the old head was not the forge's


def test_step_landed_by_a_local_merge_is_a_finding_and_never_on_time(demo_repo):
    """A staff member who can push to main (a private GitHub repository without a paid plan has no branch
    protection) lands a late step 4 with a merge made and dated on their own computer: every time in it is
    theirs. Without the forge's signature, nothing says when (or whether through review) it landed."""
    from pengaduan.history.audit import replay_repository
    from pengaduan.history.calendar import WorkCalendar
    from pengaduan.history.status import ON_TIME, record_status
    from office import RECORD_PATH
    pull_request(demo_repo, "a", [(record(2), STAFF, "2026-11-28T08:00:00+07:00"),
                                  (record(3), CHIEF, "2026-11-28T09:00:00+07:00")], merged_at="2026-11-28T10:00:00+07:00")
    pull_request(demo_repo, "b", [(record(4), STAFF, "2026-11-28T10:30:00+07:00")], signed=False, committer=STAFF,
                 merger=STAFF, merged_at="2026-11-28T11:00:00+07:00")
    assert "gabung-tanpa-forge" in rules(demo_repo)
    settings = load_settings(demo_repo)
    timelines, _ = replay_repository(demo_repo, "main", settings, use_cache=False)
    status = record_status(timelines[RECORD_PATH], settings, WorkCalendar.for_office(settings.office), NOW)
    assert next(s for s in status.steps if s.step == 4).state != ON_TIME


def test_violation_laundered_through_an_update_branch_merge_is_reported(demo_repo, run, tmp_path):
    """A disposition pushed without the forge (flagged) is laundered: an empty branch from before it, the Kasubbag
    presses "Update branch" on its pull request (the forge signs a merge of main into the branch, authored by the
    Kasubbag), and main is fast-forwarded to that merge. The flagged steps now land in a signed Kasubbag merge;
    the heads audited before must show that main's own history changed."""
    from office import forge_merge
    before = git(demo_repo, "rev-parse", "main").strip()
    pull_request(demo_repo, "a", [(record(2), STAFF, "2026-11-28T08:00:00+07:00"),
                                  (record(3), STAFF, "2026-11-28T09:00:00+07:00")], signed=False, committer=STAFF,
                 merger=STAFF, merged_at="2026-11-28T10:00:00+07:00")
    flagged = git(demo_repo, "rev-parse", "main").strip()
    assert "[disposisi-tanpa-tanda-tangan]" in run("--repo", demo_repo, "audit").output
    git(demo_repo, "checkout", "-q", "-b", "kosong", before)
    git(demo_repo, "commit", "-q", "--allow-empty", "-m", "mulai", who=STAFF, when="2026-11-28T10:30:00+07:00")
    forge_merge(demo_repo, "main", "Merge branch 'main' into kosong", CHIEF, "2026-11-28T11:00:00+07:00")
    git(demo_repo, "checkout", "-q", "main")
    git(demo_repo, "merge", "-q", "--ff-only", "kosong")
    result = run("--repo", demo_repo, "audit")
    assert "[riwayat-ditulis-ulang]" in result.output and flagged[:10] in result.output
    clone = tmp_path / "salinan"  # no chain of its own: the empty commit on main's own history tells
    git(tmp_path, "clone", "-q", str(demo_repo), str(clone))
    result = run("--repo", clone, "audit")
    assert result.exit_code == 1 and "[langsung-ke-main]" in result.output


def test_retired_forge_key_cannot_sign_merges_dated_back_into_its_period(demo_repo):
    """The office retired a forge key (berlaku_sampai) after it leaked or the forge moved. Whoever holds the old
    private key makes a Kasubbag merge on top of today's main, dated inside the key's old period: the forge's
    clock never goes back, so a signed merge dated before main's previous signed merge is not the forge's."""
    from office import change_file
    retire = lambda t: t.replace("      berlaku_sampai: null", '      berlaku_sampai: "2026-11-26"')  # noqa: E731
    change_file(demo_repo, "tools/config/kantor.yaml", retire, when="2026-11-27T12:00:00+07:00")
    pull_request(demo_repo, "b", [(record(2), STAFF, "2026-11-19T09:00:00+07:00"),
                                  (record(3), CHIEF, "2026-11-19T10:00:00+07:00")],
                 merged_at="2026-11-20T10:00:00+07:00")
    assert "disposisi-tanpa-tanda-tangan" in rules(demo_repo)


def test_correction_pull_request_needs_the_kasubbag(demo_repo):
    """A `koreksi` changes content frozen since step 2; the audit accepts it only from a merge by the Kasubbag, so
    the gate must ask for the Kasubbag's approval too, not tell staff that no approval is needed."""
    from pengaduan.forge.gate import gate, required_approval
    walk_to(demo_repo, 4)
    fixed = record(4, uraian="Petugas membentak pemilih lansia.\n",
                   koreksi=[{"tanggal": "2026-11-04", "bagian": ["uraian"], "alasan": "Salah ketik."}])
    git(demo_repo, "checkout", "-q", "-b", "koreksi", "main")
    from office import commit
    commit(demo_repo, fixed, STAFF, "2026-11-05T09:00:00+07:00", "koreksi uraian")
    git(demo_repo, "checkout", "-q", "main")
    kind, roles, _ = required_approval(demo_repo, "main", "koreksi", load_settings(demo_repo))
    assert kind == "rekaman" and roles == ("kasubbag_hukum",)
    assert "Menunggu persetujuan koreksi" in gate(demo_repo, "main", "koreksi").text


def test_earlier_koreksi_entries_cannot_be_erased(demo_repo):
    """The `koreksi` list is the record of what was changed after the fact, and why: a later step that quietly
    drops an approved entry erases that trace."""
    walk_to(demo_repo, 3)
    entry = {"tanggal": "2026-11-04", "bagian": ["uraian"], "alasan": "Salah ketik."}
    fixed = dict(uraian="Petugas membentak pemilih lansia.\n")
    pull_request(demo_repo, "b", [(record(4, koreksi=[entry], **fixed), STAFF, "2026-11-04T09:00:00+07:00")],
                 merged_at="2026-11-04T10:00:00+07:00")
    assert rules(demo_repo) == []
    pull_request(demo_repo, "c", [(record(5, **fixed), TEKNIS, "2026-11-05T09:00:00+07:00")],
                 merged_at="2026-11-05T10:00:00+07:00")
    assert rules(demo_repo) == ["isi-beku-diubah"]


def test_tag_named_like_the_branch_does_not_replace_main(demo_repo, run):
    """Git resolves a bare name as a tag before a branch: a tag `main` pushed by a staff member (fetched by every
    full clone, CI's included) pointing at a clean-looking commit would be audited instead of the branch."""
    walk_to(demo_repo, 3)
    clean = git(demo_repo, "rev-parse", "main").strip()
    pull_request(demo_repo, "b", [(record(4), TEKNIS, "2026-11-04T09:00:00+07:00")])
    git(demo_repo, "tag", "main", clean)
    assert "peran-salah" in rules(demo_repo)
    assert "[peran-salah]" in run("--repo", demo_repo, "audit").output


def test_attachment_in_a_subfolder_is_frozen_too(demo_repo):
    """Attachments may sit in subfolders of the record's folder (`periksa` accepts them there); one added after
    step 2 in a subfolder is as much a change to the complaint as received as one beside the others."""
    from office import RECORD_PATH, change_file
    walk_to(demo_repo, 3)
    attachment = RECORD_PATH.removesuffix(".yaml") + "/foto/bukti.txt"
    change_file(demo_repo, attachment, lambda t: "bukti lain\n", who=STAFF, merger=CHIEF,
                when="2026-11-04T09:00:00+07:00", branch="lampiran")
    assert rules(demo_repo) == ["isi-beku-diubah"]


def test_stray_file_in_records_is_a_finding(demo_repo):
    """A records-only pull request may carry files that are no record and no attachment, such as a
    records/.gitattributes that changes how Git writes every record into the working tree (which the public site
    reads). The gate refuses them; a merge that lands one anyway is a finding."""
    from office import change_file
    change_file(demo_repo, "records/.gitattributes", lambda t: "*.yaml working-tree-encoding=UTF-16LE\n",
                who=STAFF, merger=CHIEF, when="2026-11-28T09:00:00+07:00", branch="atribut")
    assert rules(demo_repo) == ["berkas-asing"]


def test_a_step_written_as_a_float_or_a_pattern_with_a_final_line_break_is_refused(demo_repo, run):
    """jsonschema took `langkah: 3.0` for an integer and let Python's `$` match before a final line break, so
    `periksa` (and the gate) passed records the audit then called unreadable (`langkah` not a number) and a NIK or
    e-mail ending in a line break. The careful validator must be as strict as the compiled one."""
    from office import write
    for changes, where in (({"langkah": 3.0}, "`langkah` harus berupa angka bulat"),
                           ({"diterima": {"waktu": "2026-11-02T09:00:00+07:00", "saluran": "email",
                                          "nomor_agenda": 9001.0}}, "`diterima.nomor_agenda` harus berupa angka bulat"),
                           ({"pelapor": {"kerahasiaan": "terbuka", "nama": "W", "nik": "99" + "0011223344" + "5566\n"}},
                            "`pelapor.nik` tidak sesuai bentuk"),
                           ({"pelapor": {"kerahasiaan": "terbuka", "nama": "W", "email": "w@contoh.example\n"}},
                            "`pelapor.email` tidak sesuai bentuk")):
        write(demo_repo, record(3, **changes))
        result = run("--repo", demo_repo, "periksa")
        assert result.exit_code == 1 and where in result.output, result.output
        from pengaduan.core import schema
        assert not schema.passes_compiled("record", record(3, **changes))  # periksa of 100 records or more


def test_a_hand_written_record_does_not_make_the_next_step_fail_or_write_another_document(demo_repo, run):
    """yamlio.edit spliced text by line: after a document end `...` (legal YAML, accepted by periksa) a new block
    went into a second document, and an explicit `? langkah` key got an indented `langkah:`; both ended in a raw
    YAML traceback from `pengaduan lanjut`. The edit must read back as the old data with the changes applied."""
    from pengaduan.core import yamlio
    from office import RECORD_ID, RECORD_PATH, stage, propose
    header = "# yaml-language-server: $schema=x\n"
    for text in (header + "id: X\nlangkah: 3\n...\n# akhir\n", header + "id: X\n? langkah\n: 3\n",
                 header + "{id: X,\n  langkah: 3}\n"):
        edited = yamlio.edit(text, {"langkah": 4, "nota": {"isi": "a\nb"}}, before="koreksi")
        assert yamlio.load_text(edited) == {"id": "X", "langkah": 4, "nota": {"isi": "a\nb"}}, edited
        assert edited.startswith(header)
    walk_to(demo_repo, 3)
    text = (demo_repo / RECORD_PATH).read_text("utf-8")
    stage(demo_repo, RECORD_PATH, text + "...\n")
    propose(demo_repo, "akhir-dokumen", who=CHIEF, when="2026-11-03T12:00:00+07:00")
    git(demo_repo, "switch", "-q", "main")
    git(demo_repo, "merge", "-q", "--no-ff", "akhir-dokumen", "-m", "akhir", who=CHIEF, when="2026-11-03T12:00:00+07:00")
    git(demo_repo, "config", "user.email", STAFF[1])
    git(demo_repo, "config", "user.name", STAFF[0])
    result = run("--repo", demo_repo, "lanjut", RECORD_ID)
    assert result.exit_code == 0, result.output
    written = git(demo_repo, "show", f"{RECORD_ID}-langkah-4:{RECORD_PATH}")
    assert yamlio.load_mapping(written.encode())["langkah"] == 4


def test_a_record_nested_a_thousand_levels_deep_is_a_finding_not_a_crash_of_everything(demo_repo, run, tmp_path):
    """libyaml reads lists nested up to a thousand levels and the fast reader built them without recursion, so a
    record holding `[[[[...]]]]` passed the reader; the schema, JSON, the audit's history, status and the site's leak
    scan then recursed past Python's limit: one merged record stopped the audit and the public site for everyone.
    The reader refuses deep nesting with the line (both readers), and the leak scan still reads such a text."""
    from office import RECORD_PATH, propose, stage
    walk_to(demo_repo, 3)
    text = (demo_repo / RECORD_PATH).read_text("utf-8")
    for depth in (40, 990):
        stage(demo_repo, RECORD_PATH, text.replace("perihal: ", "perihal: " + "[" * depth + "]" * depth + "\nx: ", 1))
        result = run("--repo", demo_repo, "periksa")
        assert result.exit_code == 1 and "bersarang terlalu dalam" in result.output, result.output
        assert f"{RECORD_PATH}:" in result.output
    propose(demo_repo, "dalam", who=CHIEF, when="2026-11-03T12:00:00+07:00")
    git(demo_repo, "switch", "-q", "main")
    git(demo_repo, "merge", "-q", "--no-ff", "dalam", "-m", "dalam", who=CHIEF, when="2026-11-03T12:00:00+07:00")
    assert "rekaman-tidak-sah" in rules(demo_repo)
    for args in (["status"], ["situs", "--keluar", tmp_path / "situs"]):
        result = run("--repo", demo_repo, *args)
        assert result.exit_code == 0, result.output
