"""The forge interface: what the workflows and `pengaduan` ask of GitHub or Forgejo, as plain data.

`Forge` holds the HTTP code (JSON, pagination, one error type with an Indonesian message); `github.Github`
and `forgejo.Forgejo` turn each forge's own payloads into the records below. Everything a pull request
can influence arrives here as data and leaves as data: nothing from the forge is ever executed.
"""
from __future__ import annotations

import errno
import json
import re
import socket
import ssl
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from email.message import Message
from typing import Any

from ..core.errors import PengaduanError

COMMENT_MARKER = "<!-- pengaduan:ringkasan-pull-request -->"
_NEXT = re.compile(r'<([^>]+)>;\s*rel="next"')

# Review states after normalisation (GitHub's names; Forgejo's are mapped onto them).
APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED, PENDING = (
    "APPROVED", "CHANGES_REQUESTED", "COMMENTED", "DISMISSED", "PENDING")
# Commit status states both forges accept.
SUCCESS, FAILURE, STATUS_PENDING = "success", "failure", "pending"


class ForgeError(PengaduanError):
    """The forge could not be asked or answered; the message is for the user."""


class NotFound(ForgeError):
    """The forge answered 404."""


@dataclass(frozen=True)
class PullRequest:
    number: int
    title: str
    author: str
    head_sha: str
    head_ref: str
    base_ref: str
    state: str  # open or closed
    merged: bool
    merge_commit: str  # "" until merged


@dataclass(frozen=True)
class Review:
    id: int
    user: str
    state: str  # one of APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED, PENDING
    commit: str
    submitted_at: str


@dataclass(frozen=True)
class BranchRules:
    """The settings that make the gate hold, read back from the forge; None where the forge has no such knob."""
    protected: bool
    direct_push_blocked: bool
    status_contexts: tuple[str, ...]
    up_to_date: bool
    required_approvals: int
    approvers: tuple[str, ...] | None  # users whose approval counts (Forgejo's approvals whitelist)
    code_owner_review: bool | None  # GitHub: approvals must come from CODEOWNERS
    mergers: tuple[str, ...] | None  # users who may merge (Forgejo's merge whitelist, GitHub's push restrictions)
    dismiss_stale: bool
    block_on_rejected: bool
    no_bypass: bool
    merge_commit_only: bool
    signing: bool  # the forge signs merge commits made in its web interface


# Forge answers are parsed JSON (Any): their shape is checked where they are read (the parse_* methods).
def _request(method: str, url: str, token: str, scheme: str, payload: dict[str, Any] | None = None,
             raw: bool = False) -> tuple[Any, Message]:
    """(body, headers): the JSON body, or with `raw` the text."""
    data = None if payload is None else json.dumps(payload).encode("utf-8")
    headers = {"Authorization": f"{scheme} {token}", "Accept": "application/vnd.github+json, application/json",
               "User-Agent": "pengaduan"}
    if data is not None:
        headers["Content-Type"] = "application/json"
    try:
        request = urllib.request.Request(url, method=method, data=data, headers=headers)
        with urllib.request.urlopen(request, timeout=30) as response:
            body = response.read().decode("utf-8")
            if raw:
                return body, response.headers
            return (json.loads(body) if body.strip() else {}), response.headers
    except urllib.error.HTTPError as error:
        if error.code == 404:
            raise NotFound(f"forge menjawab 404 (tidak ada) untuk {method} {url}") from None
        hint = {401: "token tidak sah", 403: "token tidak berhak; periksa izin alur kerja"}.get(error.code, "")
        hint = f" ({hint})" if hint else ""
        raise ForgeError(f"forge menolak {method} {url}: HTTP {error.code}{hint}") from None
    except (OSError, ValueError) as error:
        raise ForgeError(f"forge tidak bisa dihubungi ({method} {url}): {_network_reason(error)}") from None


def _network_reason(error: Exception) -> str:
    """Why a forge request failed, in Indonesian (urllib's and the socket's own texts are English)."""
    if isinstance(error, json.JSONDecodeError):
        return "jawabannya bukan JSON; periksa alamat API forge"
    if isinstance(error, ValueError):
        return "alamat tidak sah; periksa alamat API forge"
    reason = getattr(error, "reason", error)
    if isinstance(reason, socket.gaierror):
        return "nama server tidak dikenal; periksa alamat forge dan jaringan"
    if isinstance(reason, TimeoutError):
        return "tidak ada jawaban dalam 30 detik; coba lagi nanti"
    if isinstance(reason, ConnectionRefusedError):
        return "sambungan ditolak; periksa alamat dan port forge"
    if isinstance(reason, ssl.SSLError):
        return "sertifikat atau sambungan TLS forge tidak sah"
    code = errno.errorcode.get(getattr(reason, "errno", None) or 0, "")
    return f"galat jaringan{f' ({code})' if code else ''}"


def update_in_place(existing: list[dict[str, Any]], marker: str, collection_url: str, item_url: str) -> tuple[str, str]:
    """(method, url) to keep one comment or issue carrying `marker` up to date instead of adding another."""
    for item in existing:
        if marker in (item.get("body") or "") and item.get("state", "open") == "open":
            return "PATCH", item_url.format(id=item["id"], number=item.get("number", ""))
    return "POST", collection_url


class Forge:
    """One repository on one forge. Subclasses translate payloads; this class speaks HTTP."""
    kind = ""
    scheme = "Bearer"
    page_size = 100

    def __init__(self, api: str, repository: str, token: str) -> None:
        self.api, self.repository, self.token = api.rstrip("/"), repository, token

    # -- HTTP ------------------------------------------------------------------------------------------
    def url(self, path: str, **query: object) -> str:
        text = f"{self.api}/repos/{self.repository}{path}"
        return text + ("?" + urllib.parse.urlencode(query) if query else "")

    def get(self, path: str, **query: object) -> Any:
        return _request("GET", self.url(path, **query), self.token, self.scheme)[0]

    def pages(self, path: str, **query: object) -> list[Any]:
        """Every item of a list: Link rel="next" where the forge sends it, else page numbers until a short page."""
        items: list[Any] = []
        page = 1
        url = self.url(path, **query, **self.page_query(page))
        while url:
            batch, headers = _request("GET", url, self.token, self.scheme)
            if not isinstance(batch, list):
                raise ForgeError(f"forge tidak mengirim daftar untuk {url}")
            items += batch
            found = _NEXT.search(headers.get("Link", "") or "")
            if found:
                url = found.group(1)
            elif len(batch) >= self.page_size:
                page += 1
                url = self.url(path, **query, **self.page_query(page))
            else:
                url = ""
        return items

    def text(self, url: str) -> str:
        """A plain-text answer (a signing key); "" where the forge has none."""
        try:
            return str(_request("GET", url, self.token, self.scheme, raw=True)[0]).strip()
        except NotFound:
            return ""

    def page_query(self, page: int) -> dict[str, object]:
        return {"per_page": self.page_size, "page": page}

    def send(self, method: str, path: str, payload: dict[str, Any]) -> Any:
        return _request(method, self.url(path), self.token, self.scheme, payload)[0]

    # -- what the workflows need -------------------------------------------------------------------------
    def pull_request(self, number: int) -> PullRequest:
        return self.parse_pull_request(self.get(f"/pulls/{number}"))

    def reviews(self, number: int) -> list[Review]:
        return [r for r in map(self.parse_review, self.pages(f"/pulls/{number}/reviews")) if r is not None]

    def pull_request_of_merge(self, sha: str) -> PullRequest | None:
        """The pull request whose merge made commit `sha`, or None (a direct push, or not merged by the forge)."""
        raise NotImplementedError

    def post_status(self, sha: str, state: str, context: str, description: str, target_url: str = "") -> None:
        payload = {"state": state, "context": context, "description": description[:140]}
        if target_url:
            payload["target_url"] = target_url
        self.send("POST", f"/statuses/{sha}", payload)

    def upsert_comment(self, number: int, body: str, marker: str = COMMENT_MARKER) -> str:
        """Keep one comment carrying `marker` on the pull request up to date; returns "PATCH" or "POST"."""
        existing = self.pages(f"/issues/{number}/comments")
        method, path = update_in_place(existing, marker, f"/issues/{number}/comments", "/issues/comments/{id}")
        self.send(method, path, {"body": body})
        return method

    def upsert_issue(self, title: str, body: str, marker: str) -> str:
        """Keep one open issue carrying `marker` up to date (the deadline watch); returns "PATCH" or "POST"."""
        existing = [i for i in self.pages("/issues", state="open", type="issues") if not i.get("pull_request")]
        method, path = update_in_place(existing, marker, "/issues", "/issues/{number}")
        self.send(method, path, {"title": title, "body": body})
        return method

    def branch_rules(self, branch: str) -> BranchRules:
        raise NotImplementedError

    # -- payloads ------------------------------------------------------------------------------------------
    @staticmethod
    def parse_pull_request(data: dict[str, Any]) -> PullRequest:
        """Both forges share GitHub's pull request shape for the fields used here."""
        merged = bool(data.get("merged") or data.get("merged_at"))
        return PullRequest(int(data["number"]), str(data.get("title") or ""),
                           str((data.get("user") or {}).get("login", "")), str(data["head"]["sha"]),
                           str(data["head"].get("ref", "")), str(data["base"].get("ref", "")),
                           str(data.get("state", "")), merged, str(data.get("merge_commit_sha") or "") if merged else "")

    def parse_review(self, data: dict[str, Any]) -> Review | None:
        raise NotImplementedError


def saved_reviews(data: Any, forge: Forge, source: str) -> list[Review]:
    """Reviews saved from the forge's API (`GET .../pulls/N/reviews`, every page joined into one list), checked
    item by item so that an empty or hand-made file is an error naming what is missing, never "no approval"."""
    if not isinstance(data, list) or not data:
        raise ForgeError(f"{source}: harus daftar ulasan JSON yang tidak kosong ([{{...}}, ...]), yaitu keluaran "
                         "API forge GET /repos/PEMILIK/REPO/pulls/NOMOR/reviews.")
    reviews = []
    for index, item in enumerate(data, 1):
        missing = [name for name, ok in (
            ("id", isinstance(item, dict) and isinstance(item.get("id"), int)),
            ("user.login", isinstance(item, dict) and isinstance(item.get("user"), dict)
             and isinstance(item["user"].get("login"), str) and item["user"]["login"] != ""),
            ("state", isinstance(item, dict) and isinstance(item.get("state"), str)),
            ("commit_id", isinstance(item, dict) and isinstance(item.get("commit_id"), str)))
            if not ok]
        if missing:
            raise ForgeError(f"{source}: ulasan ke-{index} tidak punya " + ", ".join(missing)
                             + "; simpan ulasan persis seperti jawaban API forge.")
        review = forge.parse_review(item)
        if review is not None:
            reviews.append(review)
    return reviews
