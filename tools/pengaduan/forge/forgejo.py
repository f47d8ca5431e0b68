"""Forgejo's API (/api/v1; shapes from Forgejo's modules/structs and templates/swagger/v1_json.tmpl).

What differs from GitHub, and why it matters to the gate:
- A review's `state` is APPROVED, REQUEST_CHANGES, COMMENT, PENDING or REQUEST_REVIEW, and a dismissed
  approval keeps state APPROVED with `dismissed: true`: read naively, it would still count.
- Lists page with `page` and `limit` (at most the instance's MAX_RESPONSE_ITEMS, 50 by default).
- The pull request of a merge commit: GET /repos/{owner}/{repo}/commits/{sha}/pull.
- Branch protection is a list of rules (GET /branch_protections) with approvals and merge whitelists; the
  merge styles live on the repository; the instance's signing key is GET /signing-key.gpg or .ssh.
"""
from __future__ import annotations

from typing import Any

from .api import (APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED, PENDING, BranchRules, Forge, NotFound, PullRequest,
                  Review)

_STATES = {"APPROVED": APPROVED, "REQUEST_CHANGES": CHANGES_REQUESTED, "COMMENT": COMMENTED, "PENDING": PENDING}


class Forgejo(Forge):
    kind = "forgejo"
    scheme = "token"
    page_size = 50

    def page_query(self, page: int) -> dict[str, object]:
        return {"limit": self.page_size, "page": page}

    def parse_review(self, data: dict[str, Any]) -> Review | None:
        state = _STATES.get(str(data.get("state", "")).upper())
        if state is None or not data.get("user"):  # REQUEST_REVIEW is a request, not a decision; team reviews
            return None
        if data.get("dismissed"):
            state = DISMISSED
        return Review(int(data["id"]), str(data["user"]["login"]), state, str(data.get("commit_id") or ""),
                      str(data.get("submitted_at") or ""))

    def pull_request_of_merge(self, sha: str) -> PullRequest | None:
        try:
            found = self.parse_pull_request(self.get(f"/commits/{sha}/pull"))
        except NotFound:
            return None
        return found if found.merged and found.merge_commit == sha else None

    def signing_key(self) -> str:
        server = self.api  # .../api/v1
        return self.text(f"{server}/signing-key.gpg") or self.text(f"{server}/signing-key.ssh")

    def branch_rules(self, branch: str) -> BranchRules:
        repo = self.get("")
        merge_only = bool(repo.get("allow_merge_commits")) and not any(
            repo.get(k) for k in ("allow_rebase", "allow_rebase_explicit", "allow_squash_merge",
                                  "allow_fast_forward_only_merge"))
        rules = self.pages("/branch_protections")
        rule = next((r for r in rules if (r.get("rule_name") or r.get("branch_name")) == branch), None)
        signing = bool(self.signing_key())
        if rule is None:
            return BranchRules(False, False, (), False, 0, None, None, None, False, False, False, merge_only, signing)
        return BranchRules(
            protected=True,
            direct_push_blocked=not rule.get("enable_push"),
            status_contexts=tuple(rule.get("status_check_contexts") or []) if rule.get("enable_status_check") else (),
            up_to_date=bool(rule.get("block_on_outdated_branch")),
            required_approvals=int(rule.get("required_approvals") or 0),
            approvers=tuple(rule.get("approvals_whitelist_username") or []) if rule.get("enable_approvals_whitelist")
            else None,
            code_owner_review=None,
            mergers=tuple(rule.get("merge_whitelist_usernames") or []) if rule.get("enable_merge_whitelist") else None,
            dismiss_stale=bool(rule.get("dismiss_stale_approvals") or rule.get("ignore_stale_approvals")),
            block_on_rejected=bool(rule.get("block_on_rejected_reviews")),
            no_bypass=bool(rule.get("apply_to_admins")),
            merge_commit_only=merge_only, signing=signing)
