"""GitHub's REST API (docs.github.com/rest): pulls, reviews, commit statuses, branch protection.

Review states are GitHub's own (APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED, PENDING). The pull
request of a merge commit comes from "List pull requests associated with a commit", checked against the
pull request's `merge_commit_sha`. Reading branch protection needs a token with Administration: read
(the workflow's GITHUB_TOKEN cannot have it): `pengaduan periksa-pengaturan` runs with a personal token.
"""
from __future__ import annotations

from typing import Any

from .api import BranchRules, Forge, NotFound, PullRequest, Review


class Github(Forge):
    kind = "github"
    scheme = "Bearer"
    page_size = 100

    def parse_review(self, data: dict[str, Any]) -> Review | None:
        if not data.get("user"):
            return None
        return Review(int(data["id"]), str(data["user"]["login"]), str(data.get("state", "")).upper(),
                      str(data.get("commit_id") or ""), str(data.get("submitted_at") or ""))

    def pull_request_of_merge(self, sha: str) -> PullRequest | None:
        try:
            listed = self.pages(f"/commits/{sha}/pulls")
        except NotFound:
            return None
        for item in listed:
            if item.get("merge_commit_sha") == sha and item.get("merged_at"):
                return self.pull_request(int(item["number"]))
        return None

    def branch_rules(self, branch: str) -> BranchRules:
        repo = self.get("")
        merge_only = bool(repo.get("allow_merge_commit")) and not repo.get("allow_squash_merge") \
            and not repo.get("allow_rebase_merge")
        try:
            rules = self.get(f"/branches/{branch}/protection")
        except NotFound:
            return BranchRules(False, False, (), False, 0, None, False, None, False, False, False, merge_only, True)
        checks = rules.get("required_status_checks") or {}
        contexts = tuple(checks.get("contexts") or [c.get("context") for c in checks.get("checks") or []])
        reviews = rules.get("required_pull_request_reviews") or {}
        bypass = reviews.get("bypass_pull_request_allowances") or {}
        restrictions = rules.get("restrictions")
        mergers = tuple(u["login"] for u in restrictions.get("users") or []) if restrictions else None
        no_bypass = bool((rules.get("enforce_admins") or {}).get("enabled")) and not any(
            bypass.get(k) for k in ("users", "teams", "apps"))
        linear = bool((rules.get("required_linear_history") or {}).get("enabled"))
        return BranchRules(
            protected=True, direct_push_blocked=bool(reviews), status_contexts=contexts,
            up_to_date=bool(checks.get("strict")), required_approvals=int(reviews.get("required_approving_review_count")
                                                                           or 0),
            approvers=None, code_owner_review=bool(reviews.get("require_code_owner_reviews")), mergers=mergers,
            dismiss_stale=bool(reviews.get("dismiss_stale_reviews")),
            block_on_rejected=bool(reviews),  # GitHub blocks merging while a requested change stands
            no_bypass=no_bypass, merge_commit_only=merge_only and not linear,
            signing=True)  # GitHub signs web merges with its web-flow key; there is no setting to turn it off
