"""The forge: the Kasubbag's approval as a required check, evidence for the offline audit, comments and reminders.

The forge's answers are saved responses shaped like GitHub's documented payloads; the HTTP code is exercised
against a server on 127.0.0.1 that serves them page by page.
"""
import http.server
import json
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from pengaduan.config import load_settings
from pengaduan.forge import (COMMENT_MARKER, ISSUE_MARKER, NOTES_REF, decide_approval, fetch_pages, read_notes, send,
                             update_in_place)

import office
from conftest import PROJECT_ROOT, git
from office import RECORD_ID, STAFF, record, walk_to

FIXTURES = Path(__file__).parent / "fixtures" / "forge"
OFFICE = load_settings(PROJECT_ROOT).office


def reviews(name: str, head: str, old: str = "0" * 40) -> list:
    return json.loads((FIXTURES / name).read_text("utf-8").replace("{kepala}", head).replace("{lama}", old))


@pytest.mark.parametrize("name, author, reason", [
    ("komit-lama.json", "nurul-kpu", "komit lama"),
    ("oleh-penulis.json", "rahmadi-kpu", "penulis pull request"),
    ("dibatalkan.json", "nurul-kpu", "dibatalkan"),
    ("minta-perubahan.json", "nurul-kpu", "meminta perubahan"),
    ("bukan-personel.json", "nurul-kpu", "tidak ada di daftar personel"),
    ("bukan-kasubbag.json", "nurul-kpu", "bukan Kepala Sub Bagian Hukum"),
])
def test_approvals_that_do_not_count(name, author, reason):
    approvals, reasons = decide_approval(reviews(name, "a" * 40, "b" * 40), "a" * 40, author, OFFICE)
    assert approvals == [] and any(reason in r for r in reasons), reasons


def test_approval_on_the_latest_commit_counts():
    approvals, _ = decide_approval(reviews("disetujui.json", "a" * 40), "a" * 40, "nurul-kpu", OFFICE)
    assert [(a.reviewer, a.review_id) for a in approvals] == [("rahmadi-kpu", 2)]


class _Forge(http.server.BaseHTTPRequestHandler):
    """Serves saved responses: reviews in two pages with a Link header; records what was sent."""
    sent: list = []

    def log_message(self, *args):
        pass

    def _reply(self, body, link=""):
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        if link:
            self.send_header("Link", link)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        base = f"http://127.0.0.1:{self.server.server_port}"
        head = self.server.head
        if self.path.endswith("/reviews?per_page=100"):
            self._reply(reviews("halaman-1.json", head), f'<{base}/halaman-2>; rel="next", <{base}/halaman-2>; '
                        'rel="last"')
        elif self.path == "/halaman-2":
            self._reply(reviews("halaman-2.json", head))
        elif "/comments" in self.path:
            self._reply(json.loads((FIXTURES / "komentar.json").read_text()))
        elif "/issues?" in self.path:
            self._reply(json.loads((FIXTURES / "isu.json").read_text()))
        elif re.search(r"/pulls/\d+$", self.path):
            self._reply({"number": 1, "user": {"login": "nurul-kpu"}})
        else:
            self.send_error(404)

    def _write(self):
        length = int(self.headers["Content-Length"])
        _Forge.sent.append((self.command, self.path, json.loads(self.rfile.read(length))))
        self._reply({"id": 1})

    do_POST = do_PATCH = _write


@pytest.fixture
def forge(monkeypatch):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Forge)
    server.head = "a" * 40
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _Forge.sent = []
    monkeypatch.setenv("GITHUB_API_URL", f"http://127.0.0.1:{server.server_port}")
    monkeypatch.setenv("GITHUB_REPOSITORY", "kpu-pulangpisau/pengaduan")
    monkeypatch.setenv("GITHUB_TOKEN", "token-uji")
    yield server
    server.shutdown()


def test_paginated_reviews_are_all_read(forge):
    url = f"http://127.0.0.1:{forge.server_port}/repos/o/r/pulls/12/reviews?per_page=100"
    items = fetch_pages(url, "t")
    assert len(items) == 101
    approvals, _ = decide_approval(items, "a" * 40, "nurul-kpu", OFFICE)
    assert [a.review_id for a in approvals] == [200]


def test_comment_and_issue_are_updated_in_place(forge):
    comments = json.loads((FIXTURES / "komentar.json").read_text())
    assert update_in_place(comments, COMMENT_MARKER, "POST-URL", "x/comments/{id}") == ("PATCH", "x/comments/2")
    assert update_in_place(comments[:1], COMMENT_MARKER, "POST-URL", "x/{id}") == ("POST", "POST-URL")
    issues = json.loads((FIXTURES / "isu.json").read_text())
    assert update_in_place(issues, ISSUE_MARKER, "new", "issues/{number}") == ("PATCH", "issues/7")
    send("PATCH", f"http://127.0.0.1:{forge.server_port}/repos/o/r/issues/7", "t", {"body": "isi"})
    assert _Forge.sent == [("PATCH", "/repos/o/r/issues/7", {"body": "isi"})]


def pending_disposition(repo):
    """A pull request branch holding steps 2 and 3, not merged: (base, head)."""
    git(repo, "switch", "-q", "-c", "usulan", "main")
    office.commit(repo, record(2), STAFF, "2026-11-03T09:00:00+07:00", "langkah 2")
    office.commit(repo, record(3), office.CHIEF, "2026-11-03T10:00:00+07:00", "langkah 3")
    git(repo, "switch", "-q", "main")
    return "main", git(repo, "rev-parse", "usulan").strip()


def test_required_check_needs_the_kasubbag_on_the_latest_commit(demo_repo, run, tmp_path, forge):
    base, head = pending_disposition(demo_repo)
    forge.head = head
    saved = tmp_path / "ulasan.json"
    saved.write_text(json.dumps(reviews("komit-lama.json", head, "b" * 40)))
    args = ["--repo", demo_repo, "persetujuan", "--dasar", base, "--kepala", head, "--penulis", "nurul-kpu",
            "--pr", "12"]
    stale = run(*args, "--ulasan", saved)
    assert stale.exit_code == 1 and "komit lama" in stale.output and f"{RECORD_ID} langkah 3" in stale.output
    fresh = run(*args)  # from the forge's API, both pages
    assert fresh.exit_code == 0, fresh.output
    assert "disetujui oleh @rahmadi-kpu" in fresh.output


def test_no_disposition_no_approval_needed(demo_repo, run):
    walk_to(demo_repo, 3)
    git(demo_repo, "switch", "-q", "-c", "nota", "main")
    office.commit(demo_repo, record(4), STAFF, "2026-11-04T09:00:00+07:00", "langkah 4")
    git(demo_repo, "switch", "-q", "main")
    result = run("--repo", demo_repo, "persetujuan", "--dasar", "main", "--kepala", "nota", "--penulis", "nurul-kpu",
                 "--pr", "13", "--ulasan", FIXTURES / "dibatalkan.json")
    assert result.exit_code == 0 and "tidak berisi disposisi" in result.output


def test_pull_request_check_summary_and_documents(demo_repo, run, tmp_path):
    base, head = pending_disposition(demo_repo)
    summary = tmp_path / "ringkasan.md"
    result = run("--repo", demo_repo, "periksa-pr", "--dasar", base, "--kepala", head, "--ringkasan", summary,
                 "--dokumen", tmp_path / "dokumen")
    assert result.exit_code == 0, result.output
    text = summary.read_text("utf-8")
    assert COMMENT_MARKER in text and f"| {RECORD_ID} | 2. Pengaduan dicatat" in text
    assert "Menunggu disposisi Rahmadi Saputra" in text and "Tidak ada temuan." in text
    assert (tmp_path / "dokumen" / f"{RECORD_ID}-lembar-disposisi.pdf").is_file()


def test_pull_request_check_finds_wrong_roles(demo_repo, run, tmp_path):
    git(demo_repo, "switch", "-q", "-c", "salah", "main")
    office.commit(demo_repo, record(2), office.TEKNIS, "2026-11-03T09:00:00+07:00", "langkah 2")
    git(demo_repo, "switch", "-q", "main")
    result = run("--repo", demo_repo, "periksa-pr", "--dasar", "main", "--kepala", "salah")
    assert result.exit_code == 1 and "[peran-salah] Langkah 2" in result.output


def test_evidence_note_is_a_record_not_proof(demo_repo, run, tmp_path):
    """CI still writes the review as a note, but the offline audit believes only the forge's signed merge."""
    before = git(demo_repo, "rev-parse", "main").strip()
    _, head = pending_disposition(demo_repo)
    git(demo_repo, "merge", "-q", "--no-ff", "usulan", "-m", "Merge pull request #12 from kpu/usulan",
        who=office.CHIEF, when="2026-11-03T11:00:00+07:00")
    missing = run("--repo", demo_repo, "audit")
    assert missing.exit_code == 1 and "[disposisi-tanpa-tanda-tangan] Disposisi langkah 3" in missing.output
    stale = tmp_path / "lama.json"
    stale.write_text(json.dumps(reviews("komit-lama.json", head, "b" * 40)))
    refused = run("--repo", demo_repo, "bukti", "--sejak", before, "--ulasan", stale, "--penulis", "nurul-kpu")
    assert refused.exit_code == 1 and "komit lama" in refused.output
    good = tmp_path / "ulasan.json"
    good.write_text(json.dumps(reviews("disetujui.json", head)))
    written = run("--repo", demo_repo, "bukti", "--sejak", before, "--ulasan", good, "--penulis", "nurul-kpu")
    assert written.exit_code == 0 and "bukti persetujuan @rahmadi-kpu dicatat" in written.output
    merge = git(demo_repo, "rev-parse", "main").strip()
    assert read_notes(demo_repo)[merge] == (("rahmadi-kpu", head),)
    assert "disposisi-tanpa-tanda-tangan" in run("--repo", demo_repo, "audit").output  # a note anyone can write
    git(demo_repo, "reset", "-q", "--hard", before)
    office.forge_merge(demo_repo, "usulan", "Merge pull request #12 from kpu/usulan", office.CHIEF,
                       "2026-11-28T11:00:00+07:00")
    git(demo_repo, "notes", f"--ref={NOTES_REF}", "add", "-f", "-m", "persetujuan: [bukan: peta", "HEAD")
    result = run("--repo", demo_repo, "audit", "--tanpa-cache")
    assert "[riwayat-ditulis-ulang]" in result.output and merge[:10] in result.output  # the reset is seen
    assert "disposisi-tanpa-tanda-tangan" not in result.output  # the signed merge is the evidence, notes aside


def test_reminder_lists_exactly_what_status_calls_overdue(demo_repo, run, tmp_path, forge):
    status = json.loads(run("--repo", demo_repo, "status", "--pada", "2026-11-27", "--format", "json").stdout)
    expected = {(r["nomor"], s["langkah"]) for r in status["pengaduan"] for s in r["langkah_langkah"]
                if s["keadaan"] in ("lewat tenggat", "jatuh tempo hari ini")}
    assert expected
    out = tmp_path / "pengingat.md"
    result = run("--repo", demo_repo, "pengingat", "--pada", "2026-11-27", "--keluar", out, "--terbitkan")
    assert result.exit_code == 0, result.output
    listed = set((m[0], int(m[1])) for m in re.findall(r"\*\*(\S+)\*\* langkah (\d)", out.read_text("utf-8")))
    assert listed == expected
    assert "@" in out.read_text("utf-8") and _Forge.sent[-1][:2] == ("PATCH", "/repos/kpu-pulangpisau/pengaduan/issues/7")


def test_commands_outside_the_forge_say_so(run, demo_repo, monkeypatch, tmp_path):
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    body = tmp_path / "b.md"
    body.write_text("x")
    result = run("komentar", "--pr", "1", "--berkas", body)
    assert result.exit_code == 1 and "GITHUB_TOKEN" in result.output


WORKFLOWS = sorted((PROJECT_ROOT / ".github" / "workflows").glob("*.yml"))


def tool(name: str) -> str:
    return str(Path(sys.executable).parent / name)


def test_workflows_pass_actionlint():
    result = subprocess.run([tool("actionlint"), *map(str, WORKFLOWS)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_can_fail(tmp_path):
    broken = tmp_path / "rusak.yml"
    broken.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n")
    assert subprocess.run([tool("actionlint"), str(broken)], capture_output=True).returncode != 0


def test_workflows_pass_zizmor():
    result = subprocess.run([tool("zizmor"), "--offline", "--persona=pedantic", *map(str, WORKFLOWS)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actions_are_pinned_and_untrusted_text_never_reaches_shell():
    for workflow in WORKFLOWS:
        text = workflow.read_text("utf-8")
        for uses in re.findall(r"uses:\s*(\S+)", text):
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", uses), (workflow.name, uses)
        for line in text.splitlines():
            if line.strip().startswith("run:") or line.startswith("          "):
                assert "${{" not in line or "run:" not in line, (workflow.name, line)


def test_codeowners_are_the_kasubbag():
    owners = set(re.findall(r"@([\w-]+)", (PROJECT_ROOT / ".github" / "CODEOWNERS").read_text("utf-8")))
    assert owners == {u for p in OFFICE.with_role("kasubbag_hukum") for u in p.forge_users}


def test_pull_request_templates_carry_the_sops_kelengkapan():
    sop = load_settings(PROJECT_ROOT).current_sop
    texts = "\n".join(p.read_text("utf-8") for p in (PROJECT_ROOT / ".github" / "PULL_REQUEST_TEMPLATE").glob("*.md"))
    for step in sop.steps[1:]:
        assert f"Langkah {step.number}: {step.title}" in texts
        if step.requirements:
            assert f"Kelengkapan: {step.requirements}" in texts
