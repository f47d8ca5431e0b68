"""The office's Git forge (GitHub, or Gitea/Forgejo with the same API): reviews, comments, issues, evidence.

Decisions are pure functions over the forge's JSON (tested with saved responses
shaped like GitHub's documented payloads); `fetch_pages` and `send` are the
only network code, and take the API address from GITHUB_API_URL.
"""
from __future__ import annotations

import json
import re
import subprocess
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from . import yamlio
from .config import Office

NOTES_REF = "refs/notes/persetujuan"
COMMENT_MARKER = "<!-- pengaduan:ringkasan-pull-request -->"
ISSUE_MARKER = "<!-- pengaduan:pengingat-tenggat -->"
_NEXT = re.compile(r'<([^>]+)>;\s*rel="next"')


class ForgeError(Exception):
    """The forge could not be asked or answered; the message is for the user."""


def _get(url: str, token: str) -> tuple[object, str]:
    """(JSON body, URL of the next page or "")."""
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}",
                                                   "Accept": "application/vnd.github+json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            found = _NEXT.search(response.headers.get("Link", ""))
            return json.loads(response.read().decode("utf-8")), found.group(1) if found else ""
    except (OSError, ValueError) as error:
        raise ForgeError(f"forge tidak bisa dibaca ({url}): {error}") from None


def fetch_one(url: str, token: str) -> dict:
    return _get(url, token)[0]


def fetch_pages(url: str, token: str) -> list:
    """Every item of a paginated list endpoint, following Link: rel="next"."""
    items = []
    while url:
        page, url = _get(url, token)
        items += page
    return items


def send(method: str, url: str, token: str, payload: dict) -> dict:
    request = urllib.request.Request(url, method=method, data=json.dumps(payload).encode("utf-8"),
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json",
                                              "Accept": "application/vnd.github+json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read().decode("utf-8") or "{}")
    except (OSError, ValueError) as error:
        raise ForgeError(f"forge menolak {method} {url}: {error}") from None


@dataclass(frozen=True)
class Approval:
    reviewer: str
    review_id: int
    commit: str
    submitted_at: str


def decide_approval(reviews: list[dict], head: str, author: str, office: Office) -> tuple[list[Approval], list[str]]:
    """Approvals that count as the Kasubbag's disposition, and why the others do not.

    Per reviewer only the latest decision counts (APPROVED, CHANGES_REQUESTED or DISMISSED;
    comments change nothing). An approval counts when it is on the pull request's latest
    commit, by a person in the roster with the Kasubbag role, who is not the author.
    """
    latest: dict[str, dict] = {}
    for review in reviews:
        if str(review.get("state", "")).upper() in ("APPROVED", "CHANGES_REQUESTED", "DISMISSED"):
            latest[review["user"]["login"]] = review
    approvals, reasons = [], []
    for login, review in latest.items():
        state = review["state"].upper()
        person = office.person_by_forge_user(login)
        if state == "DISMISSED":
            reasons.append(f"persetujuan @{login} sudah dibatalkan (dismissed)")
        elif state == "CHANGES_REQUESTED":
            reasons.append(f"@{login} meminta perubahan")
        elif person is None:
            reasons.append(f"@{login} tidak ada di daftar personel (tools/config/kantor.yaml)")
        elif "kasubbag_hukum" not in person.roles:
            reasons.append(f"@{login} ({person.name}) bukan Kepala Sub Bagian Hukum dan SDM")
        elif login.lower() == author.lower():
            reasons.append(f"@{login} adalah penulis pull request; persetujuan sendiri tidak dihitung")
        elif review.get("commit_id") != head:
            reasons.append(f"persetujuan @{login} untuk komit lama {str(review.get('commit_id'))[:10]}; setujui "
                           f"ulang komit terbaru {head[:10]}")
        else:
            approvals.append(Approval(login, int(review["id"]), head, str(review.get("submitted_at", ""))))
    return approvals, reasons


def update_in_place(existing: list[dict], marker: str, collection_url: str, item_url: str) -> tuple[str, str]:
    """(method, url) to keep one comment or issue carrying `marker` up to date instead of adding another."""
    for item in existing:
        if marker in (item.get("body") or "") and item.get("state", "open") == "open":
            return "PATCH", item_url.format(id=item["id"], number=item.get("number", ""))
    return "POST", collection_url


def evidence_note(pull_request: int, head: str, approvals: list[Approval]) -> str:
    """The approval evidence written as a Git note on the merge commit, for the offline audit."""
    return yamlio.dump({"pull_request": pull_request, "kepala": head,
                        "persetujuan": [{"pengulas": a.reviewer, "ulasan": a.review_id, "komit": a.commit,
                                         "waktu": a.submitted_at} for a in approvals]})


def read_notes(repo: Path) -> dict[str, tuple[tuple[str, str], ...]]:
    """Merge commit -> (reviewer, approved commit) pairs of its evidence note, parsed safely.

    Unreadable notes count as no evidence (and so are reported by the audit).

    A note's content is an immutable blob, so parsed notes are cached by blob id in the Git
    directory: a run reads only notes added or changed since the last one.
    """
    import hashlib
    import marshal

    from .history import cache_path, read_blobs_raw, write_atomic
    listing = subprocess.run(["git", "notes", f"--ref={NOTES_REF}", "list"], cwd=repo, capture_output=True,
                             text=True)
    pairs = [line.split() for line in listing.stdout.splitlines() if line.strip()]
    cache_file = cache_path(repo, NOTES_REF, "notes")
    try:
        raw = cache_file.read_bytes()
        parsed = marshal.loads(raw[32:]) if hashlib.sha256(raw[32:]).digest() == raw[:32] else {}
    except (OSError, ValueError, EOFError, TypeError):
        parsed = {}
    if not isinstance(parsed, dict):
        parsed = {}
    missing = [note for note in dict.fromkeys(note for note, _ in pairs) if note not in parsed]
    for note, content in read_blobs_raw(repo, missing):
        try:
            approvals = yamlio.load_mapping(content).get("persetujuan")
        except yamlio.YamlProblem:
            approvals = None
        parsed[note] = tuple((str(a.get("pengulas", "")), str(a.get("komit", ""))) for a in approvals
                             if isinstance(a, dict)) if isinstance(approvals, list) else ()
    if missing:
        payload = marshal.dumps(parsed)
        write_atomic(cache_file, hashlib.sha256(payload).digest() + payload)
    return {commit: parsed[note] for note, commit in pairs if parsed.get(note)}


def merged_pull_request(message: str) -> int | None:
    found = re.match(r"Merge pull request #(\d+)", message) or re.search(r"\(#(\d+)\)\s*$", message.split("\n")[0])
    return int(found.group(1)) if found else None


def reminder(statuses, settings, now, where: dict[str, str] | None = None) -> tuple[str, list[tuple[str, int, str]]]:
    """The deadline watch: Markdown for one issue, and (record, step, state) of every step it lists.

    It lists exactly the open steps `pengaduan status` calls overdue or due today, main and open pull requests
    alike (`where` says which pull request or branch holds a record), in one section per role of the SOP, the
    Kasubbag's first: each section names who is awaited (the people holding the role; for "sub bagian terkait",
    the head of the target sub bagian).
    """
    from .status import DUE_TODAY, OVERDUE
    office, sop_now = settings.office, settings.current_sop
    sections: dict[str, dict[str, list[str]]] = {role: {} for role in _role_order(sop_now)}
    listed = []
    for record in statuses:
        step = record.open_step
        if step is None or step.state not in (OVERDUE, DUE_TODAY):
            continue
        sop = settings.sop(record.sop_version) or sop_now
        spec = sop.step(step.step)
        if sop.roles[spec.role]["jenis"] == "sub_bagian_tujuan":
            people = [office.head_of(record.target)] if record.target in office.heads else []
        else:
            people = office.with_role(spec.role)
        who = ", ".join(f"@{p.forge_users[0]}" if p.forge_users else p.name for p in people) or step.role
        late = f"lewat tenggat {step.late_by} hari kerja" if step.state == OVERDUE else "jatuh tempo hari ini"
        place = f", {(where or {}).get(record.record_id, 'di main')}"
        sections.setdefault(spec.role, {}).setdefault(f"{step.role} — {who}", []).append(
            f"- [ ] **{record.record_id}** langkah {step.step} ({step.title}): {late}, tenggat "
            f"{step.deadline:%d-%m-%Y %H.%M} WIB{place}")
        listed.append((record.record_id, step.step, step.state))
    lines = [ISSUE_MARKER, f"Keadaan per {now:%d-%m-%Y %H.%M} WIB: {len(listed)} langkah lewat tenggat atau jatuh "
             "tempo hari ini, termasuk yang masih di pull request terbuka. Daftar ini diperbarui otomatis setiap "
             "hari kerja.", ""]
    for role, groups in sections.items():
        name = sop_now.roles.get(role, {}).get("nama", role)
        lines += [f"## {name}", ""]
        for title, items in sorted(groups.items()):
            lines += [f"### {title}", "", *items, ""]
        if not groups:
            lines += ["Tidak ada langkah yang lewat tenggat atau jatuh tempo hari ini.", ""]
    return "\n".join(lines).rstrip("\n") + "\n", listed


def _role_order(sop) -> list[str]:
    """The SOP's roles, the Kasubbag's (who disposes) first, then in the order their steps come."""
    order = [step.role for step in sop.steps if step.is_disposition] + [step.role for step in sop.steps]
    return list(dict.fromkeys(order))


def pull_request_report(repo: Path, base: str, head: str, settings, documents: Path | None) -> tuple[str, bool]:
    """`pengaduan periksa-pr`: the Indonesian summary of a pull request, and whether it has findings."""
    from .audit import review_pull_request
    from .documents import FORMATS, DocumentError, Renderer, documents_for, record_context, templates_dir
    from .workflow import Repository, collisions
    review = review_pull_request(repo, base, head, settings)
    git_repo = Repository(repo)
    clashes = collisions(git_repo, head)
    chief = settings.office.head_of(settings.office.hukum)
    sop = settings.current_sop
    lines = [COMMENT_MARKER, "## Ringkasan pull request pengaduan", ""]
    if review.steps:
        lines += ["| Pengaduan | Langkah | Oleh |", "|---|---|---|"]
        lines += [f"| {record} | {s.step}. {sop.step(s.step).title} | {s.actor} |" for record, _, s in review.steps]
    else:
        lines.append("Pull request ini tidak mengubah langkah pengaduan mana pun.")
    if review.dispositions:
        lines += ["", f"**Menunggu disposisi {chief.name} (Kasubbag Hukum):** setujui pull request ini pada "
                  "komit terakhirnya, lalu gabungkan dengan merge commit. "
                  + ", ".join(f"{r} langkah {s}" for r, s in review.dispositions) + "."]
    problems = [v.render() for v in review.violations]
    problems += [f"{path}: nomor {kind} {record} sudah dipakai {owner} di main. Perbaikan: pengaduan nomor-ulang "
                 f"{record}" for record, path, kind, owner in clashes]
    if documents is not None:
        documents.mkdir(parents=True, exist_ok=True)
        renderer = Renderer(templates_dir(repo))
        for record_id, path in sorted({(record, path) for record, path, _ in review.steps}):
            data = yamlio.load_mapping(git_repo.read(git_repo.ref(head), path))
            for name in documents_for(data, settings, every_step=False):
                try:
                    renderer.write(name, record_context(data, settings, name), documents / f"{record_id}-{name}",
                                   list(FORMATS))
                except DocumentError as error:
                    problems.append(f"{record_id}: dokumen {name} tidak bisa dibuat: {error}")
    lines += ["", "### Temuan", ""] + ([f"- {p}" for p in problems] or ["Tidak ada temuan."])
    if documents is not None:
        lines += ["", "Dokumen langkah ini terlampir sebagai artefak *dokumen* pada pemeriksaan ini."]
    return "\n".join(lines) + "\n", bool(problems)


def record_evidence(repo: Path, since: str, settings, reviews_of, author_of) -> list[tuple]:
    """`pengaduan bukti`: a note of the valid approvals on each merge commit of main after `since`.

    Returns (merge, pull request number or None, approvals, reasons) per merge commit; `reviews_of` and
    `author_of` ask the forge (or a saved file) about one pull request.
    """
    listing = subprocess.run(["git", "log", "--first-parent", "--merges", "--reverse", "--format=%H %P%x1f%B%x1e",
                              f"{since}..HEAD"], cwd=repo, capture_output=True, text=True, check=True)
    outcomes = []
    for entry in filter(str.strip, listing.stdout.split("\x1e")):
        ids, message = entry.strip().split("\x1f", 1)
        merge, _, head = ids.split()[:3]
        number = merged_pull_request(message)
        if number is None:
            outcomes.append((merge, None, [], []))
            continue
        approvals, reasons = decide_approval(reviews_of(number), head, author_of(number), settings.office)
        if approvals:
            subprocess.run(["git", "notes", f"--ref={NOTES_REF}", "add", "-f", "-m",
                            evidence_note(number, head, approvals), merge], cwd=repo, check=True, capture_output=True)
        outcomes.append((merge, number, approvals, reasons))
    return outcomes
