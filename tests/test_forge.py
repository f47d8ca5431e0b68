"""The forge gate on GitHub and Forgejo: checks a pull request cannot subvert, evidence never lost, settings verified.

Pull requests are real branches in real repositories; the forges' answers are saved payloads in each forge's own
shape (tests/fixtures/forge/github, .../forgejo), served page by page by an HTTP server on 127.0.0.1.
"""
from __future__ import annotations

import http.server
import json
import os
import re
import subprocess
import sys
import threading
import urllib.parse
from pathlib import Path

import pytest
import yaml

from pengaduan.core.config import load_settings
from pengaduan.forge import (COMMENT_MARKER, ISSUE_MARKER, NOTES_REF, Approval, decide_approval, evidence_note,
                             merged_pull_request, read_notes)
from pengaduan.forge.api import update_in_place
from pengaduan.forge.forgejo import Forgejo
from pengaduan.forge.gate import escape_markdown
from pengaduan.forge.github import Github

import office
from conftest import PROJECT_ROOT, git
from office import RECORD_ID, STAFF, record

FIXTURES = Path(__file__).parent / "fixtures" / "forge"
OFFICE = load_settings(PROJECT_ROOT).office
GITHUB, FORGEJO = Github("", "", ""), Forgejo("", "", "")


def payload(name: str, **values) -> object:
    text = (FIXTURES / name).read_text("utf-8")
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return json.loads(text)


def reviews(name: str, head: str, old: str = "0" * 40, forge=GITHUB) -> list:
    return [r for r in map(forge.parse_review, payload(name, kepala=head, lama=old)) if r is not None]


# -- which reviews count ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, author, reason", [
    ("komit-lama.json", "nurul-kpu", "komit lama"),
    ("oleh-penulis.json", "rahmadi-kpu", "penulis pull request"),
    ("dibatalkan.json", "nurul-kpu", "dibatalkan"),
    ("minta-perubahan.json", "nurul-kpu", "meminta perubahan"),
    ("bukan-personel.json", "nurul-kpu", "tidak ada di daftar personel"),
    ("bukan-kasubbag.json", "nurul-kpu", "bukan Kepala Sub Bagian Hukum"),
    ("forgejo/ulasan-dibatalkan.json", "nurul-kpu", "dibatalkan"),
    ("forgejo/ulasan-minta-perubahan.json", "nurul-kpu", "meminta perubahan"),
    ("forgejo/ulasan-usang.json", "nurul-kpu", "komit lama"),
])
def test_approvals_that_do_not_count(name, author, reason):
    forge = FORGEJO if name.startswith("forgejo/") else GITHUB
    approvals, reasons = decide_approval(reviews(name, "a" * 40, "b" * 40, forge), "a" * 40, author, OFFICE)
    assert approvals == [] and any(reason in r for r in reasons), reasons


@pytest.mark.parametrize("name, forge, review_id", [("disetujui.json", GITHUB, 2),
                                                     ("forgejo/ulasan-disetujui.json", FORGEJO, 33)])
def test_approval_on_the_latest_commit_counts(name, forge, review_id):
    approvals, _ = decide_approval(reviews(name, "a" * 40, forge=forge), "a" * 40, "nurul-kpu", OFFICE)
    assert [(a.reviewer, a.review_id) for a in approvals] == [("rahmadi-kpu", review_id)]


def test_forgejo_dismissed_approval_read_as_github_would_still_count():
    """The bypass: Forgejo keeps state APPROVED on a dismissed review; read with GitHub's rules it would count."""
    raw = payload("forgejo/ulasan-dibatalkan.json", kepala="a" * 40)
    naive, _ = decide_approval([GITHUB.parse_review(r) for r in raw], "a" * 40, "nurul-kpu", OFFICE)
    assert naive, "the fixture must carry the trap"
    assert decide_approval([FORGEJO.parse_review(r) for r in raw], "a" * 40, "nurul-kpu", OFFICE)[0] == []


@pytest.mark.parametrize("message, number", [
    ("Merge pull request #12 from kpu-pulangpisau/usulan\n\nlangkah 3", 12),
    ("Merge pull request 'PGD-2026-09001: langkah 2 dan 3' (#7) from usulan into main", 7),
    ("Merge pull request 'Judul (#3) dengan 'kutip'' (#41) from kpu/fork:cabang into main\n\nReviewed-on: x", 41),
    ("Merge pull request 'Lain' (!9) from usulan into main", 9),
    ("PGD-2026-09001: langkah 8 (#77)", 77),
    ("Merge branch 'main' into usulan", None),
])
def test_merge_messages_of_both_forges(message, number):
    assert merged_pull_request(message) == number


def test_markdown_escaping_of_pull_request_text():
    text = escape_markdown("<img src=x onerror=alert(1)> [klik](javascript:alert(1)) @rahmadi-kpu *tebal*\n# judul")
    assert "<" not in text and "@" not in text and "\n" not in text
    assert "\\[klik\\]" in text and "\\*tebal\\*" in text


# -- a forge on 127.0.0.1 ------------------------------------------------------------------------------------

class _Forge(http.server.BaseHTTPRequestHandler):
    """Serves `server.routes` (regex on the path -> function(match, query) -> body or (status, body, headers))."""

    def log_message(self, *args):
        pass

    def _answer(self):
        parsed = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(parsed.query))
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length)) if length else None
        self.server.requests.append((self.command, parsed.path, query, body, self.headers.get("Authorization")))
        for (method, pattern), answer in self.server.routes.items():
            found = re.fullmatch(pattern, parsed.path)
            if found and method == self.command:
                result = answer(found, query, body)
                status, data, headers = result if isinstance(result, tuple) else (200, result, {})
                raw = data.encode() if isinstance(data, str) else json.dumps(data).encode()
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(raw)
                return
        self.send_error(404)

    do_GET = do_POST = do_PATCH = _answer


@pytest.fixture
def forge_server(monkeypatch):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Forge)
    server.routes, server.requests = {}, []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    server.base = f"http://127.0.0.1:{server.server_port}"
    monkeypatch.setenv("GITHUB_API_URL", server.base)
    monkeypatch.setenv("GITHUB_REPOSITORY", "kpu/pengaduan")
    monkeypatch.setenv("GITHUB_TOKEN", "token-uji")
    for name in ("PENGADUAN_FORGE", "PENGADUAN_TOKEN", "FORGEJO_ACTIONS", "GITEA_ACTIONS"):
        monkeypatch.delenv(name, raising=False)
    yield server
    server.shutdown()


def sent(server, method="POST"):
    return [(path, body) for m, path, _, body, _ in server.requests if m == method]


def test_github_reviews_follow_link_headers(forge_server):
    base = forge_server.base
    forge_server.routes[("GET", r"/repos/kpu/pengaduan/pulls/12/reviews")] = lambda m, q, b: (
        200, payload("halaman-1.json", kepala="a" * 40), {"Link": f'<{base}/halaman-2>; rel="next"'})
    forge_server.routes[("GET", r"/halaman-2")] = lambda m, q, b: payload("halaman-2.json", kepala="a" * 40)
    items = Github(base, "kpu/pengaduan", "t").reviews(12)
    assert len(items) == 101
    assert [a.review_id for a in decide_approval(items, "a" * 40, "nurul-kpu", OFFICE)[0]] == [200]


def test_forgejo_reviews_page_by_limit_and_use_its_token_scheme(forge_server):
    """Forgejo pages with page/limit (50 by default) and may send no Link header: read until a short page."""
    many = [payload("forgejo/ulasan-disetujui.json", kepala="a" * 40)[0] | {"id": i} for i in range(1, 61)]
    many[-1] = payload("forgejo/ulasan-disetujui.json", kepala="a" * 40)[2]

    def page(m, query, b):
        start = (int(query["page"]) - 1) * int(query["limit"])
        return many[start:start + int(query["limit"])]
    forge_server.routes[("GET", r"/repos/kpu/pengaduan/pulls/12/reviews")] = page
    items = Forgejo(forge_server.base, "kpu/pengaduan", "t").reviews(12)
    assert len(items) == 60 and items[-1].state == "APPROVED"
    assert {r[2]["limit"] for r in forge_server.requests} == {"50"}
    assert forge_server.requests[0][4] == "token t"


# -- the gate on real pull requests ----------------------------------------------------------------------------

def branch_with(repo: Path, name: str, changes: dict[str, str | None], who=STAFF, records: list | None = None) -> str:
    """A pull request branch from main: each path written (or removed for None), records as SOP steps; its head."""
    git(repo, "switch", "-q", "-c", name, "main")
    for data, person, when in records or []:
        office.commit(repo, data, person, when, f"{RECORD_ID}: langkah {data['langkah']}")
    for path, text in changes.items():
        office.stage(repo, path, text)
    if changes:
        git(repo, "commit", "-q", "-m", "ubah", who=who, when="2026-11-03T10:30:00+07:00")
    git(repo, "switch", "-q", "main")
    return git(repo, "rev-parse", name).strip()


DISPOSITION = [(record(2), STAFF, "2026-11-03T09:00:00+07:00"), (record(3), office.CHIEF, "2026-11-03T10:00:00+07:00")]


def test_record_pull_request_passes_with_summary_and_documents(demo_repo, run, tmp_path):
    head = branch_with(demo_repo, "usulan", {}, records=DISPOSITION)
    summary = tmp_path / "ringkasan.md"
    result = run("--repo", demo_repo, "periksa-pr", "--dasar", "main", "--kepala", head, "--ringkasan", summary,
                 "--dokumen", tmp_path / "dokumen")
    assert result.exit_code == 0, result.output
    text = summary.read_text("utf-8")
    assert COMMENT_MARKER in text and f"| {RECORD_ID} | 2. Pengaduan dicatat" in text
    assert "Menunggu disposisi Rahmadi Saputra" in text and "Tidak ada temuan." in text
    assert (tmp_path / "dokumen" / f"{RECORD_ID}-lembar-disposisi.pdf").is_file()


def test_record_pull_request_with_wrong_roles_fails(demo_repo, run):
    head = branch_with(demo_repo, "salah", {}, records=[(record(2), office.TEKNIS, "2026-11-03T09:00:00+07:00")])
    result = run("--repo", demo_repo, "periksa-pr", "--dasar", "main", "--kepala", head)
    assert result.exit_code == 1 and "\\[peran-salah\\] Langkah 2" in result.output


def test_invalid_record_is_found_as_data(demo_repo, run):
    broken = record(2)
    broken["kategori"] = "bukan-kategori"
    head = branch_with(demo_repo, "rusak", {}, records=[(broken, STAFF, "2026-11-03T09:00:00+07:00")])
    result = run("--repo", demo_repo, "periksa-pr", "--dasar", "main", "--kepala", head)
    assert result.exit_code == 1 and office.RECORD_PATH in result.output and "bukan-kategori" in result.output


# The bypasses: a pull request that also edits the checker, the roster or the workflow must not pass.
CHECKER = "tools/pengaduan/history/audit.py"
ROSTER = "tools/config/kantor.yaml"
WORKFLOW = ".github/workflows/gerbang.yml"


def _edited(path: str, old: str, new: str) -> str:
    return (PROJECT_ROOT / path).read_text("utf-8").replace(old, new)


BYPASSES = {
    "checker": {CHECKER: _edited(CHECKER, "def replay(", "def _unused():\n    return []\n\n\ndef replay(")},
    "roster": {ROSTER: _edited(ROSTER, "peran: []\n    email: [bambang@", "peran: [staf_pelaksana]\n    email: [bambang@")},
    "workflow": {WORKFLOW: "on: push\njobs: {}\n"},
}


@pytest.mark.parametrize("what", sorted(BYPASSES))
def test_mixed_pull_request_is_refused(demo_repo, run, what):
    """A step by someone not allowed to do it, plus a change that would make it look right: refused as a mix."""
    steps = [(record(2), office.TEKNIS, "2026-11-03T09:00:00+07:00")]
    head = branch_with(demo_repo, "campur", BYPASSES[what], records=steps)
    result = run("--repo", demo_repo, "periksa-pr", "--dasar", "main", "--kepala", head)
    assert result.exit_code == 1 and "Ditolak" in result.output, result.output
    approval = run("--repo", demo_repo, "persetujuan", "--dasar", "main", "--pr", "12", "--kepala", head, "--penulis",
                   "nurul-kpu", "--ulasan", FIXTURES / "disetujui.json")
    assert approval.exit_code == 1 and "mencampur" in approval.output


@pytest.mark.parametrize("what", sorted(BYPASSES))
def test_governance_pull_request_needs_an_approver(demo_repo, run, tmp_path, what):
    head = branch_with(demo_repo, "tata-kelola", BYPASSES[what])
    report = run("--repo", demo_repo, "periksa-pr", "--dasar", "main", "--kepala", head)
    assert report.exit_code == 0 and "Perubahan tata kelola" in report.output and "Rahmadi Saputra" in report.output
    by_staff = tmp_path / "staf.json"
    by_staff.write_text(json.dumps(payload("bukan-kasubbag.json", kepala=head)))
    args = ["--repo", demo_repo, "persetujuan", "--dasar", "main", "--pr", "12", "--kepala", head, "--penulis",
            "nurul-kpu", "--ulasan"]
    refused = run(*args, by_staff)
    assert refused.exit_code == 1 and "belum disetujui" in refused.output, refused.output
    good = tmp_path / "baik.json"
    good.write_text(json.dumps(payload("disetujui.json", kepala=head)))
    assert run(*args, good).exit_code == 0


def test_roster_is_read_from_the_base_not_the_working_tree(demo_repo, run):
    """Even a checkout holding the pull request's roster cannot let someone do a step the base's roster forbids."""
    steps = [(record(2), office.TEKNIS, "2026-11-03T09:00:00+07:00")]
    head = branch_with(demo_repo, "teknis", {}, records=steps)
    (demo_repo / ROSTER).write_text(BYPASSES["roster"][ROSTER], "utf-8")  # uncommitted, as a checked-out PR would be
    result = run("--repo", demo_repo, "periksa-pr", "--dasar", "main", "--kepala", head)
    assert result.exit_code == 1 and "peran-salah" in result.output, result.output


def test_symlink_in_records_is_not_data(demo_repo, run):
    git(demo_repo, "switch", "-q", "-c", "tautan", "main")
    os.symlink("/etc/passwd", demo_repo / "records" / "2026" / "bocor.yaml")
    git(demo_repo, "add", "records")
    git(demo_repo, "commit", "-q", "-m", "tautan", who=STAFF)
    git(demo_repo, "switch", "-q", "main")
    result = run("--repo", demo_repo, "periksa-pr", "--dasar", "main", "--kepala", "tautan")
    assert result.exit_code == 1 and "tautan simbolik" in result.output and "root:" not in result.output


def test_summary_escapes_names_from_the_pull_request(demo_repo, run):
    who = ("[klik](https://jahat.example) <b>@rahmadi-kpu</b>", STAFF[1])
    head = branch_with(demo_repo, "nama", {}, records=[(record(2), who, "2026-11-03T09:00:00+07:00")])
    text = run("--repo", demo_repo, "periksa-pr", "--dasar", "main", "--kepala", head).output
    assert "<b>" not in text and "@rahmadi-kpu</b>" not in text and "\\[klik\\]" in text


def pending_disposition(repo):
    """A pull request branch holding steps 2 and 3, not merged: (base, head)."""
    git(repo, "switch", "-q", "-c", "usulan", "main")
    office.commit(repo, record(2), STAFF, "2026-11-03T09:00:00+07:00", "langkah 2")
    office.commit(repo, record(3), office.CHIEF, "2026-11-03T10:00:00+07:00", "langkah 3")
    git(repo, "switch", "-q", "main")
    return "main", git(repo, "rev-parse", "usulan").strip()


def test_evidence_note_is_a_record_not_proof(demo_repo, run):
    """CI still writes the review as a note, but the offline audit believes only the forge's signed merge."""
    before = git(demo_repo, "rev-parse", "main").strip()
    _, head = pending_disposition(demo_repo)
    git(demo_repo, "merge", "-q", "--no-ff", "usulan", "-m", "Merge pull request #12 from kpu/usulan",
        who=office.CHIEF, when="2026-11-03T11:00:00+07:00")
    missing = run("--repo", demo_repo, "audit")
    assert missing.exit_code == 1 and "[disposisi-tanpa-tanda-tangan] Disposisi langkah 3" in missing.output
    merge = git(demo_repo, "rev-parse", "main").strip()
    note = evidence_note(12, head, [Approval("rahmadi-kpu", 1, head, "2026-11-03T10:00:00Z")])
    git(demo_repo, "notes", f"--ref={NOTES_REF}", "add", "-m", note, merge)  # as CI would write it, or anyone
    assert read_notes(demo_repo)[merge] == (("rahmadi-kpu", head),)
    assert "disposisi-tanpa-tanda-tangan" in run("--repo", demo_repo, "audit").output  # a note anyone can write
    git(demo_repo, "reset", "-q", "--hard", before)
    office.forge_merge(demo_repo, "usulan", "Merge pull request #12 from kpu/usulan", office.CHIEF,
                       "2026-11-28T11:00:00+07:00")
    git(demo_repo, "notes", f"--ref={NOTES_REF}", "add", "-f", "-m", "persetujuan: [bukan: peta", "HEAD")
    result = run("--repo", demo_repo, "audit", "--tanpa-cache")
    assert "[riwayat-ditulis-ulang]" in result.output and merge[:10] in result.output  # the reset is seen
    assert "disposisi-tanpa-tanda-tangan" not in result.output  # the signed merge is the evidence, notes aside


# -- the gate asks the forge ----------------------------------------------------------------------------------

def serve_pull_request(server, kind: str, head: str, base: str, reviews_file: str, number: int = 12) -> None:
    folder = "forgejo/" if kind == "forgejo" else "github/"
    server.routes[("GET", rf"/repos/kpu/pengaduan/pulls/{number}")] = lambda m, q, b: payload(
        folder + "pr.json", kepala=head, dasar=base)
    server.routes[("GET", rf"/repos/kpu/pengaduan/pulls/{number}/reviews")] = lambda m, q, b: (
        payload(reviews_file, kepala=head, lama="b" * 40) if q.get("page", "1") == "1" else [])
    server.routes[("POST", r"/repos/kpu/pengaduan/statuses/(\w+)")] = lambda m, q, b: {"id": 1}
    server.routes[("GET", rf"/repos/kpu/pengaduan/issues/{number}/comments")] = lambda m, q, b: (
        payload("komentar.json") if q.get("page", "1") == "1" else [])
    server.routes[("PATCH", r"/repos/kpu/pengaduan/issues/comments/(\d+)")] = lambda m, q, b: {"id": 2}


def test_a_disposition_needs_the_role_its_own_sop_gives_that_step(demo_repo, run, tmp_path):
    """After a revised SOP names another role for its disposition, a complaint still under SOP No. 4 Tahun 2022
    is disposed only with the approval of that SOP's role: holding the new SOP's role is not enough."""
    office.adopt_revised_sop(demo_repo, {"peran: [staf_pelaksana]": "peran: [staf_pelaksana, petugas_pengaduan]",
                                         "peran: []\n    email: [bambang@": "peran: [ketua_tim]\n    email: [bambang@"},
                             "2026-11-02")
    assert "ketua_tim" in load_settings(demo_repo).office.disposition_roles
    head = branch_with(demo_repo, "usulan", {}, records=DISPOSITION)  # a 4/2022 complaint's step 3
    args = ["--repo", demo_repo, "persetujuan", "--dasar", "main", "--pr", "12", "--kepala", head, "--penulis",
            "nurul-kpu", "--ulasan"]
    by_new_role = tmp_path / "ketua-tim.json"
    by_new_role.write_text(json.dumps(payload("bukan-kasubbag.json", kepala=head)))
    refused = run(*args, by_new_role)
    assert refused.exit_code == 1 and "belum disetujui" in refused.output and "Kepala Sub Bagian Hukum" in \
        refused.output, refused.output
    good = tmp_path / "baik.json"
    good.write_text(json.dumps(payload("disetujui.json", kepala=head)))
    assert run(*args, good).exit_code == 0


def test_forgejo_dismissed_approval_fails_the_gate(demo_repo, run, forge_server, monkeypatch):
    monkeypatch.setenv("PENGADUAN_FORGE", "forgejo")
    head = branch_with(demo_repo, "usulan", {}, records=DISPOSITION)
    base = git(demo_repo, "rev-parse", "main").strip()
    serve_pull_request(forge_server, "forgejo", head, base, "forgejo/ulasan-dibatalkan.json")
    result = run("--repo", demo_repo, "persetujuan", "--dasar", "main", "--pr", "12", "--status", "pengaduan/disposisi")
    assert result.exit_code == 1 and "dibatalkan" in result.output, result.output
    assert sent(forge_server) == [(f"/repos/kpu/pengaduan/statuses/{head}",
                                   {"state": "failure", "context": "pengaduan/disposisi",
                                    "description": result.output.splitlines()[0][:140]})]
    serve_pull_request(forge_server, "forgejo", head, base, "forgejo/ulasan-disetujui.json")
    assert run("--repo", demo_repo, "persetujuan", "--dasar", "main", "--pr", "12").exit_code == 0


def test_gate_rereads_the_head_and_posts_status_and_comment(demo_repo, run, forge_server, monkeypatch):
    monkeypatch.setenv("PENGADUAN_FORGE", "forgejo")
    old = branch_with(demo_repo, "usulan", {}, records=DISPOSITION[:1])
    git(demo_repo, "switch", "-q", "usulan")
    head = office.commit(demo_repo, record(3), office.CHIEF, "2026-11-03T10:00:00+07:00", "langkah 3")
    git(demo_repo, "switch", "-q", "main")
    serve_pull_request(forge_server, "forgejo", head, "0" * 40, "forgejo/ulasan-disetujui.json")
    stale = run("--repo", demo_repo, "periksa-pr", "--dasar", "main", "--pr", "12", "--kepala", old)
    assert stale.exit_code == 1 and "usang" in stale.output and sent(forge_server) == []
    fresh = run("--repo", demo_repo, "periksa-pr", "--dasar", "main", "--pr", "12", "--status", "pengaduan/gerbang",
                "--komentar")
    assert fresh.exit_code == 0, fresh.output
    assert sent(forge_server) == [(f"/repos/kpu/pengaduan/statuses/{head}", {
        "state": "success", "context": "pengaduan/gerbang", "description": "rekaman dan aturan sesuai"})]
    assert sent(forge_server, "PATCH")[0][0] == "/repos/kpu/pengaduan/issues/comments/2"


def test_head_missing_locally_is_explained(demo_repo, run, forge_server):
    serve_pull_request(forge_server, "github", "c" * 40, "0" * 40, "disetujui.json")
    result = run("--repo", demo_repo, "periksa-pr", "--dasar", "main", "--pr", "12")
    assert result.exit_code == 1 and "git fetch origin refs/pull/12/head" in result.output


def test_commands_outside_the_forge_say_so(run, monkeypatch, tmp_path):
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    body = tmp_path / "b.md"
    body.write_text("x")
    result = run("komentar", "--pr", "1", "--berkas", body)
    assert result.exit_code == 1 and "GITHUB_TOKEN" in result.output


@pytest.mark.parametrize("forge_class", [Github, Forgejo], ids=["github", "forgejo"])
def test_one_reminder_issue_kept_up_to_date_on_both_forges(forge_server, forge_class):
    issues = payload("isu.json")
    forge_server.routes[("GET", r"/repos/kpu/pengaduan/issues")] = lambda m, q, b: (
        issues if q.get("page") == "1" and q.get("state") == "open" else [])
    forge_server.routes[("PATCH", r"/repos/kpu/pengaduan/issues/(\d+)")] = lambda m, q, b: {"number": 7}
    forge_server.routes[("POST", r"/repos/kpu/pengaduan/issues")] = lambda m, q, b: {"number": 8}
    forge = forge_class(forge_server.base, "kpu/pengaduan", "t")
    assert forge.upsert_issue("Pengingat", "isi", ISSUE_MARKER) == "PATCH"
    assert sent(forge_server, "PATCH") == [("/repos/kpu/pengaduan/issues/7", {"title": "Pengingat", "body": "isi"})]
    issues[1]["state"] = "closed"
    assert forge.upsert_issue("Pengingat", "isi", ISSUE_MARKER) == "POST"


def test_comment_and_issue_are_updated_in_place():
    comments = payload("komentar.json")
    assert update_in_place(comments, COMMENT_MARKER, "POST-URL", "x/comments/{id}") == ("PATCH", "x/comments/2")
    assert update_in_place(comments[:1], COMMENT_MARKER, "POST-URL", "x/{id}") == ("POST", "POST-URL")
    assert update_in_place(payload("isu.json"), ISSUE_MARKER, "new", "issues/{number}") == ("PATCH", "issues/7")


# -- evidence: reconcile, concurrency, gaps, online audit ------------------------------------------------------

def serve_merges(server, repo: Path, kind: str = "github", reviews_for=None, renumber=None) -> dict[str, int]:
    """Answer for every merge on main: its pull request (number, head = second parent) and an approval on its head."""
    merges = git(repo, "rev-list", "--first-parent", "--merges", "main").split()
    numbers = {sha: merged_pull_request(git(repo, "log", "-1", "--format=%B", sha)) or 5000 + i
               for i, sha in enumerate(merges)}  # the number the merge message names, as the forge would say
    numbers.update(renumber or {})
    heads = {sha: git(repo, "rev-parse", f"{sha}^2").strip() for sha in merges}
    by_number = {n: sha for sha, n in numbers.items()}
    folder = "forgejo/" if kind == "forgejo" else "github/"

    def pull(number):
        merge = by_number[number]
        data = payload(folder + "pr-digabung.json", kepala=heads[merge], dasar="0" * 40, merge=merge)
        return data | {"number": number}

    def associated(merge):  # GitHub's "pull requests associated with a commit": list items, no `merged` field
        listed = payload("github/komit-pr.json", kepala=heads[merge], dasar="0" * 40, merge=merge)
        return [item | {"number": numbers[merge]} for item in listed]

    if kind == "github":
        server.routes[("GET", r"/repos/kpu/pengaduan/commits/(\w+)/pulls")] = lambda m, q, b: (
            associated(m.group(1)) if m.group(1) in numbers and q.get("page", "1") == "1" else [])
    else:
        server.routes[("GET", r"/repos/kpu/pengaduan/commits/(\w+)/pull")] = lambda m, q, b: (
            pull(numbers[m.group(1)]) if m.group(1) in numbers else (404, {"message": "not found"}, {}))
    server.routes[("GET", r"/repos/kpu/pengaduan/pulls/(\d+)")] = lambda m, q, b: pull(int(m.group(1)))
    approved = "forgejo/ulasan-disetujui.json" if kind == "forgejo" else "disetujui.json"

    def review_list(m, q, b):
        if q.get("page", "1") != "1":
            return []
        number = int(m.group(1))
        name = (reviews_for or {}).get(number, approved)
        return payload(name, kepala=heads[by_number[number]], lama="b" * 40)
    server.routes[("GET", r"/repos/kpu/pengaduan/pulls/(\d+)/reviews")] = review_list
    return numbers


@pytest.fixture
def remote(demo_repo, tmp_path):
    """The forge's copy of the repository (bare), with every disposition merge lacking its review record."""
    bare = tmp_path / "forge.git"
    git(demo_repo, "update-ref", "-d", NOTES_REF)
    subprocess.run(["git", "clone", "-q", "--bare", str(demo_repo), str(bare)], check=True)
    return bare


def clone(remote: Path, path: Path) -> Path:
    subprocess.run(["git", "clone", "-q", str(remote), str(path)], check=True)
    return path


def remote_notes(remote: Path) -> dict:
    return read_notes(remote) if git(remote, "for-each-ref", NOTES_REF).strip() else {}


def dispositions(repo: Path) -> int:
    from pengaduan.forge.evidence import disposition_merges
    return len(disposition_merges(repo, "main", load_settings(repo)))


def first_disposition(repo: Path) -> str:
    from pengaduan.forge.evidence import disposition_merges
    return disposition_merges(repo, "main", load_settings(repo))[0].merge


def test_reconcile_on_first_push_with_no_notes_is_idempotent(remote, tmp_path, run, forge_server):
    ci = clone(remote, tmp_path / "ci")
    serve_merges(forge_server, ci)
    expected = dispositions(ci)
    assert expected > 5 and remote_notes(remote) == {}
    first = run("--repo", ci, "bukti", "--remote", "origin")
    assert first.exit_code == 0, first.output
    assert len(remote_notes(remote)) == expected
    assert run("--repo", ci, "audit").exit_code == 0  # the records CI writes satisfy today's offline audit
    asked, history = len(forge_server.requests), git(remote, "log", "--format=%H", NOTES_REF)
    again = run("--repo", clone(remote, tmp_path / "ci2"), "bukti", "--remote", "origin")
    assert again.exit_code == 0 and "sudah punya catatan ulasan" in again.output
    assert len(forge_server.requests) == asked  # nothing asked or written twice
    assert git(remote, "log", "--format=%H", NOTES_REF) == history


def test_reconcile_after_a_cancelled_run(remote, tmp_path, run, forge_server):
    cancelled = clone(remote, tmp_path / "batal")
    serve_merges(forge_server, cancelled)
    assert run("--repo", cancelled, "bukti").exit_code == 0  # notes written, never pushed: the run was cancelled
    assert remote_notes(remote) == {}
    later = run("--repo", clone(remote, tmp_path / "nanti"), "bukti", "--remote", "origin")
    assert later.exit_code == 0 and len(remote_notes(remote)) == dispositions(cancelled)


def test_reconcile_on_an_empty_repository(tmp_path, run, forge_server):
    bare = tmp_path / "kosong.git"
    subprocess.run(["git", "init", "-q", "--bare", str(bare)], check=True)
    empty = clone(bare, tmp_path / "kosong")
    result = run("--repo", empty, "bukti", "--remote", "origin")
    assert result.exit_code == 0 and "belum punya komit" in result.output and forge_server.requests == []


def test_two_runs_at_once_both_land(remote, tmp_path, run, forge_server):
    """Run B starts and finishes while run A is asking the forge (after A fetched the notes, before it pushes):
    A's push-with-lease fails, A fetches B's notes, and pushes nothing B already wrote; nothing B wrote is lost."""
    first, second = clone(remote, tmp_path / "a"), clone(remote, tmp_path / "b")
    numbers = serve_merges(forge_server, first)
    unapproved = numbers[first_disposition(first)]
    serve_merges(forge_server, first, reviews_for={unapproved: "dibatalkan.json"})  # neither run finds it approved
    route = ("GET", r"/repos/kpu/pengaduan/pulls/(\d+)/reviews")
    answer, started = forge_server.routes[route], []

    def run_b_first(match, query, body):
        if not started:
            started.append(True)
            root = git(second, "rev-list", "--max-parents=0", "main").strip()
            git(second, "notes", f"--ref={NOTES_REF}", "add", "-m", "penanda", root)  # B's own note, pushed by B
            git(second, "push", "-q", "origin", NOTES_REF)
            subprocess.run([tool("pengaduan"), "--repo", str(second), "bukti", "--remote", "origin"], capture_output=True)
        return answer(match, query, body)
    forge_server.routes[route] = run_b_first
    done = run("--repo", first, "bukti", "--remote", "origin")
    assert started, "the second run must have run in between"
    notes = remote_notes(remote)
    assert len(notes) == dispositions(first) - 1, done.output
    assert done.exit_code == 1 and "dibatalkan" in done.output  # the one without approval is reported, not lost
    root = git(remote, "rev-list", "--max-parents=0", "main").strip()
    assert root in git(remote, "notes", f"--ref={NOTES_REF}", "list")  # B's note survived A's push
    log = git(remote, "log", "--format=%H", NOTES_REF).split()
    assert len(log) == len(notes) + 1  # only B's commits: after re-fetching, A found nothing left to add


def test_gaps_and_online_audit(demo_repo, remote, tmp_path, run, forge_server, monkeypatch):
    ci = clone(remote, tmp_path / "ci")
    numbers = serve_merges(forge_server, ci, kind="forgejo")
    monkeypatch.setenv("PENGADUAN_FORGE", "forgejo")
    before = run("--repo", ci, "celah-bukti")
    assert before.exit_code == 1 and "tanpa catatan ulasan" in before.output
    assert "tidak bertanda tangan" not in before.output  # the demo's merges are signed by its forge key
    assert run("--repo", ci, "bukti").exit_code == 0
    after = run("--repo", ci, "celah-bukti")
    assert after.exit_code == 0 and "tanpa catatan ulasan" not in after.output
    clean = run("--repo", ci, "audit", "--daring")
    assert "Ulasan setiap disposisi di forge cocok" in clean.output, clean.output
    # Later, on the forge, the approval of one disposition is dismissed: the online audit sees it.
    merge = first_disposition(ci)
    serve_merges(forge_server, ci, kind="forgejo", reviews_for={numbers[merge]: "forgejo/ulasan-dibatalkan.json"})
    changed = run("--repo", ci, "audit", "--daring")
    assert changed.exit_code == 1 and "[daring] " + merge[:10] in changed.output and "dibatalkan" in changed.output
    assert "pesan merge menyebut" not in changed.output
    # A merge whose message names another pull request than the forge recorded (an edited merge message).
    message = git(ci, "log", "-1", "--format=%s", merge)
    assert merged_pull_request(message) is not None
    serve_merges(forge_server, ci, kind="forgejo", renumber={merge: merged_pull_request(message) + 1000})
    edited = run("--repo", ci, "audit", "--daring")
    assert f"forge mencatatnya sebagai #{merged_pull_request(message) + 1000}" in edited.output, edited.output


def test_gaps_tell_forge_signed_merges_from_others(demo_repo, run, tmp_path):
    other = tmp_path / "kunci"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(other)], check=True)
    merges = {}
    for branch, options in (("forge", {}), ("polos", {"signed": False}), ("kunci-lain", {"key": other})):
        number = {"forge": 1, "polos": 2, "kunci-lain": 3}[branch]
        head = branch_with(demo_repo, branch, {}, records=[(record(2, id=f"PGD-2026-0{number}901"), STAFF,
                                                            "2026-11-03T09:00:00+07:00")])
        merges[branch] = office.forge_merge(demo_repo, head, f"Merge pull request #9{number} from kpu/{branch}",
                                            office.CHIEF, "2026-11-03T11:00:00+07:00", **options)
    output = run("--repo", demo_repo, "celah-bukti").output
    assert merges["forge"][:10] not in output
    for branch in ("polos", "kunci-lain"):
        assert f"{merges[branch][:10]}: merge ini tidak bertanda tangan kunci forge" in output, output


# -- settings read back ---------------------------------------------------------------------------------------

def serve_settings(server, kind: str, quality: str) -> None:
    folder = f"{kind}/"
    server.routes[("GET", r"/repos/kpu/pengaduan")] = lambda m, q, b: payload(folder + f"repo-{quality}.json")
    if kind == "github":
        server.routes[("GET", r"/repos/kpu/pengaduan/branches/main/protection")] = lambda m, q, b: payload(
            folder + f"perlindungan-{quality}.json")
    else:
        server.routes[("GET", r"/repos/kpu/pengaduan/branch_protections")] = lambda m, q, b: (
            payload(folder + f"perlindungan-{quality}.json") if q.get("page", "1") == "1" else [])
        key = "-----BEGIN PGP PUBLIC KEY BLOCK-----\n...\n" if quality == "baik" else ""
        server.routes[("GET", r"/signing-key.gpg")] = lambda m, q, b: key
        server.routes[("GET", r"/signing-key.ssh")] = lambda m, q, b: ""


@pytest.mark.parametrize("kind", ["github", "forgejo"])
def test_settings_check_passes_on_a_well_set_forge(demo_repo, run, forge_server, monkeypatch, kind):
    monkeypatch.setenv("PENGADUAN_FORGE", kind)
    (demo_repo / ".github").mkdir(exist_ok=True)
    (demo_repo / ".github" / "CODEOWNERS").write_text((PROJECT_ROOT / ".github" / "CODEOWNERS").read_text())
    serve_settings(forge_server, kind, "baik")
    result = run("--repo", demo_repo, "periksa-pengaturan")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("kind, expected", [
    ("github", ["pemeriksaan wajib belum diminta: gerbang, pengaduan/disposisi", "mutakhir",
                "tidak ada persetujuan wajib", "pemilik kode", "CODEOWNERS tidak memberi `*`",
                "CODEOWNERS tidak memberi `/records/`", "siapa pun",
                "persetujuan lama", "admin dapat melewati", "gaya penggabungan"]),
    ("forgejo", ["push langsung", "pemeriksaan wajib belum diminta: pengaduan/gerbang, pengaduan/disposisi",
                 "mutakhir", "tidak ada persetujuan wajib", "persetujuan dari siapa saja", "permintaan perubahan",
                 "siapa pun", "persetujuan lama", "admin dapat melewati", "gaya penggabungan",
                 "tidak menandatangani"]),
])
def test_settings_check_names_each_missing_setting(demo_repo, run, forge_server, monkeypatch, kind, expected):
    monkeypatch.setenv("PENGADUAN_FORGE", kind)
    serve_settings(forge_server, kind, "kurang")
    result = run("--repo", demo_repo, "periksa-pengaturan")
    assert result.exit_code == 1
    for text in expected:
        assert text in result.output, (text, result.output)
    assert result.output.count("Atur di:") == len(expected)


def test_settings_check_on_an_unprotected_github_branch(demo_repo, run, forge_server, monkeypatch):
    forge_server.routes[("GET", r"/repos/kpu/pengaduan")] = lambda m, q, b: payload("github/repo-baik.json")
    result = run("--repo", demo_repo, "periksa-pengaturan")
    assert result.exit_code == 1 and "tidak dilindungi" in result.output and "paket berbayar" in result.output


# -- workflows, owners, templates -----------------------------------------------------------------------------

WORKFLOW_DIRS = [PROJECT_ROOT / ".github" / "workflows", PROJECT_ROOT / ".forgejo" / "workflows"]
WORKFLOWS = sorted(p for folder in WORKFLOW_DIRS for p in folder.glob("*.yml"))
PUBLISHING = {"terbit.yml"}  # the publishing workflow is built and checked by the publishing work


def tool(name: str) -> str:
    return str(Path(sys.executable).parent / name)


def test_both_forges_have_workflows():
    assert {p.parent.parent.name for p in WORKFLOWS} == {".github", ".forgejo"}


def test_workflows_pass_actionlint():
    result = subprocess.run([tool("actionlint"), *map(str, WORKFLOWS)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_can_fail(tmp_path):
    broken = tmp_path / "rusak.yml"
    broken.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n")
    assert subprocess.run([tool("actionlint"), str(broken)], capture_output=True).returncode != 0


@pytest.mark.parametrize("folder", WORKFLOW_DIRS, ids=lambda p: p.parent.name)
def test_workflows_pass_zizmor(folder):
    result = subprocess.run([tool("zizmor"), "--offline", "--persona=pedantic", *map(str, folder.glob("*.yml"))],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actions_are_pinned_and_untrusted_text_never_reaches_shell():
    for workflow in WORKFLOWS:
        text = workflow.read_text("utf-8")
        for uses in re.findall(r"^\s*(?:- )?uses:\s*(\S+)", text, re.M):
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", uses), (workflow.name, uses)
        assert expressions_in_run(text) == [], workflow.name


def expressions_in_run(text: str) -> list[str]:
    """`${{ ... }}` inside any step's `run:` script (one line or a block): the runner pastes them into the shell
    before it starts, so untrusted text (a title, a branch name) would run as code; they belong in `env:`."""
    workflow = yaml.safe_load(text)
    return [found for job in (workflow.get("jobs") or {}).values() for step in job.get("steps") or []
            for found in re.findall(r"\$\{\{.*?\}\}", str(step.get("run", "")), re.S)]


def test_expressions_in_run_are_found_on_every_line_of_a_block():
    block = ("on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: |\n          echo ok\n"
             "          echo \"${{ github.event.pull_request.title }}\"\n      - name: b\n        run: >-\n"
             "          echo ${{ github.head_ref }}\n      - env:\n          T: ${{ github.head_ref }}\n"
             "        run: echo \"$T\"\n")
    assert expressions_in_run(block) == ["${{ github.event.pull_request.title }}", "${{ github.head_ref }}"]


def test_pull_request_jobs_run_only_the_base_and_install_from_the_lock():
    """No job checks out the pull request's tree; every install is the hashed lock plus the base's own package."""
    for workflow in (w for w in WORKFLOWS if w.name not in PUBLISHING):
        text = workflow.read_text("utf-8")
        for ref in re.findall(r"^\s+ref:\s*(.+)$", text, re.M):
            assert "pull_request.base" in ref or "github.sha" in ref, (workflow.name, ref)
        assert "pip install" not in text, workflow  # every install is .ci/pasang (below)
        if "pull_request_review" in text:  # runs the PR's copy of the file: no token (GitHub), or main's code only
            assert "permissions: {}" in text and "uses:" not in text or "ref: ${{ github.event.pull_request.base" in text
        assert not re.search(r"^  pull_request:", text, re.M), workflow  # never the PR's code with a token


def test_every_workflow_installs_through_the_script_that_installs_from_hashes_only():
    for workflow in WORKFLOWS:
        text = workflow.read_text("utf-8")
        assert "pip install" not in text and ("run: sh .ci/pasang" in text or "pengaduan " not in text), workflow
    script = (PROJECT_ROOT / ".ci" / "pasang").read_text("utf-8")
    installs = re.findall(r"pip install[^\n]*", script)
    assert installs == ["pip install --require-hashes -r .ci/requirements.lock", "pip install --no-deps .",
                        "pip install --no-deps --require-hashes -r .ci/pengaduan.lock"]


def test_lock_file_has_hashes_for_every_package():
    lock = (PROJECT_ROOT / ".ci" / "requirements.lock").read_text("utf-8")
    pins = re.findall(r"^([A-Za-z0-9_.-]+)==\S+(?: ; [^\\\n]+)? \\\n\s+--hash=sha256:[0-9a-f]{64}", lock, re.M)
    assert len(pins) == len(re.findall(r"^[A-Za-z0-9_.-]+==", lock, re.M))
    assert {"click", "pyyaml", "jinja2", "gitpython", "mkdocs-material"} <= {p.lower() for p in pins}


def _owners(path: Path) -> dict[str, set[str]]:
    from pengaduan.forge.protection import codeowners
    return codeowners(path.read_text("utf-8"))


def test_codeowners_are_the_approvers_on_both_forges():
    approvers = {u.lower() for p in OFFICE.people if set(p.roles) & set(OFFICE.governance_roles) for u in p.forge_users}
    chiefs = {u.lower() for p in OFFICE.with_role("kasubbag_hukum") for u in p.forge_users}
    github = _owners(PROJECT_ROOT / ".github" / "CODEOWNERS")
    assert github["*"] == approvers and github["/records/"] == chiefs
    forgejo = _owners(PROJECT_ROOT / ".forgejo" / "CODEOWNERS")  # Forgejo: Go regular expressions
    assert forgejo[".*"] == approvers and forgejo["records/.*"] == chiefs


def test_pull_request_templates_carry_the_sops_kelengkapan():
    sop = load_settings(PROJECT_ROOT).current_sop
    github = (PROJECT_ROOT / ".github" / "PULL_REQUEST_TEMPLATE").glob("*.md")
    forgejo = [PROJECT_ROOT / ".forgejo" / "pull_request_template.md"]  # Forgejo reads one template
    for paths in (github, forgejo):
        texts = "\n".join(p.read_text("utf-8") for p in paths)
        for step in sop.steps[1:]:
            assert f"Langkah {step.number}: {step.title}" in texts
            if step.requirements:
                assert f"Kelengkapan: {step.requirements}" in texts


def test_required_check_names_match_the_workflows_and_docs():
    from pengaduan.forge.protection import REQUIRED_CHECKS
    github = (PROJECT_ROOT / ".github" / "workflows" / "gerbang.yml").read_text("utf-8")
    assert re.search(r"^  gerbang:\n    name: gerbang$", github, re.M)
    for folder in WORKFLOW_DIRS:
        text = "\n".join(p.read_text("utf-8") for p in folder.glob("*.yml"))
        assert "--status pengaduan/disposisi" in text
    assert "--status pengaduan/gerbang" in (PROJECT_ROOT / ".forgejo" / "workflows" / "gerbang.yml").read_text("utf-8")
    docs = "\n".join(p.read_text("utf-8") for p in (PROJECT_ROOT / "docs" / "petugas").glob("penyiapan*.md"))
    for names in REQUIRED_CHECKS.values():
        for name in names:
            assert f"`{name}`" in docs


def test_reminder_lists_exactly_what_status_calls_overdue(demo_repo, run, tmp_path, forge_server):
    status = json.loads(run("--repo", demo_repo, "status", "--pada", "2026-11-27", "--format", "json").stdout)
    expected = {(r["nomor"], s["langkah"]) for r in status["pengaduan"] for s in r["langkah_langkah"]
                if s["keadaan"] in ("lewat tenggat", "jatuh tempo hari ini")}
    assert expected
    forge_server.routes[("GET", r"/repos/kpu/pengaduan/issues")] = lambda m, q, b: payload("isu.json")
    forge_server.routes[("PATCH", r"/repos/kpu/pengaduan/issues/(\d+)")] = lambda m, q, b: {"id": 7}
    out = tmp_path / "pengingat.md"
    result = run("--repo", demo_repo, "pengingat", "--pada", "2026-11-27", "--keluar", out, "--terbitkan")
    assert result.exit_code == 0, result.output
    listed = set((m[0], int(m[1])) for m in re.findall(r"\*\*(\S+)\*\* langkah (\d)", out.read_text("utf-8")))
    assert listed == expected
    assert sent(forge_server, "PATCH")[-1][0] == "/repos/kpu/pengaduan/issues/7"


@pytest.mark.parametrize("kind", ["github", "forgejo"])
def test_setup_page_names_every_setting_the_command_asks_for(kind):
    """The command and the setup page must name the same settings (italic UI names; Forgejo's API fields)."""
    from pengaduan.forge.api import BranchRules
    from pengaduan.forge.protection import missing_settings
    nothing = BranchRules(True, False, (), False, 0, (), False, (), False, False, False, False, False)
    wheres = " ".join(where for _, where in missing_settings(nothing, kind, OFFICE))
    page = (PROJECT_ROOT / "docs" / "petugas" / f"penyiapan-{kind}.md").read_text("utf-8")
    page = " ".join(page.split())
    names = re.findall(r"\*([A-Z][^*`]+)\*", wheres) if kind == "github" else re.findall(r"\[([a-z_, :]+)\]", wheres)
    assert names
    for name in names:
        for part in ([name] if kind == "github" else [p.strip() for p in name.split(",")]):
            assert part in page, part


@pytest.mark.parametrize("content, named", [
    ("[]", "tidak kosong"), ("{}", "tidak kosong"), ('"disetujui"', "tidak kosong"),
    ('[{"id": 1, "state": "APPROVED", "commit_id": "abc"}]', "ulasan ke-1 tidak punya user.login"),
    ('[{"id": 1, "user": {"login": "rahmadi-kpu"}, "state": "APPROVED", "commit_id": "abc"}, {"user": {}}]',
     "ulasan ke-2 tidak punya id, user.login, state, commit_id"),
])
def test_saved_reviews_are_checked_item_by_item(demo_repo, run, tmp_path, content, named):
    saved = tmp_path / "ulasan.json"
    saved.write_text(content, "utf-8")
    head = git(demo_repo, "rev-parse", "main").strip()
    result = run("--repo", demo_repo, "persetujuan", "--dasar", "main~1", "--pr", "12", "--kepala", head,
                 "--penulis", "nurul-kpu", "--ulasan", saved)
    assert result.exit_code == 1 and named in result.output and "Traceback" not in result.output, result.output


def test_gate_findings_name_the_pull_requests_own_commit_and_person(demo_repo, run):
    """The check imagines the merge; its findings point at the branch commit a staff member can see and fix."""
    path = sorted((demo_repo / "records").rglob("*.yaml"))[0]
    git(demo_repo, "switch", "-q", "-c", "ubah-beku", "main")
    text = path.read_text("utf-8")
    path.write_text(re.sub(r"(?m)^ringkasan_publik: .*$", "ringkasan_publik: diubah tanpa koreksi", text), "utf-8")
    git(demo_repo, "commit", "-qam", "ubah", who=office.TEKNIS, when="2026-11-27T09:00:00+07:00")
    own = git(demo_repo, "rev-parse", "HEAD").strip()
    git(demo_repo, "switch", "-q", "main")
    output = run("--repo", demo_repo, "periksa-pr", "--dasar", "main", "--kepala", "ubah-beku").output
    assert "isi-beku-diubah" in output and "0000000000" not in output
    assert f"komit {own[:10]} oleh Bambang Wijaya, S.IP. (Kepala Sub Bagian Teknis" in output
