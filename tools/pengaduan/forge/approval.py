"""Which reviews count: the Kasubbag's approval of a disposition, or an approver's approval of a governance change."""
from __future__ import annotations

from dataclasses import dataclass

from ..core.config import Office
from .api import APPROVED, CHANGES_REQUESTED, DISMISSED, Review

@dataclass(frozen=True)
class Approval:
    reviewer: str
    review_id: int
    commit: str
    submitted_at: str
    state: str = APPROVED


def role_names(office: Office, roles: tuple[str, ...]) -> str:
    people = [p for p in office.people if set(p.roles) & set(roles)]
    return ", ".join(f"{p.name} (@{p.forge_users[0]})" if p.forge_users else p.name for p in people) or "(tidak ada)"


def decide_approval(reviews: list[Review], head: str, author: str, office: Office,
                    roles: tuple[str, ...] | None = None) -> tuple[list[Approval], list[str]]:
    """Approvals that count, and why the others do not.

    Per reviewer only the latest decision counts (approved, changes requested or dismissed; comments change
    nothing). An approval counts when it is on the pull request's latest commit, by a person in the roster
    holding one of `roles` (by default the roles whose merge is a disposition in the SOP), who is not the author.
    """
    roles = office.disposition_roles if roles is None else roles
    latest: dict[str, Review] = {}
    for review in reviews:
        if review.state in (APPROVED, CHANGES_REQUESTED, DISMISSED):
            latest[review.user.lower()] = review
    approvals, reasons = [], []
    for review in latest.values():
        login = review.user
        person = office.person_by_forge_user(login)
        if review.state == DISMISSED:
            reasons.append(f"persetujuan @{login} sudah dibatalkan (dismissed)")
        elif review.state == CHANGES_REQUESTED:
            reasons.append(f"@{login} meminta perubahan")
        elif person is None:
            reasons.append(f"@{login} tidak ada di daftar personel (tools/config/kantor.yaml)")
        elif not set(person.roles) & set(roles):
            reasons.append(f"@{login} ({person.name}) bukan {_role_label(office, roles)}")
        elif login.lower() == author.lower():
            reasons.append(f"@{login} adalah penulis pull request; persetujuan sendiri tidak dihitung")
        elif review.commit != head:
            reasons.append(f"persetujuan @{login} untuk komit lama {review.commit[:10]}; setujui ulang komit terbaru "
                           f"{head[:10]}")
        else:
            approvals.append(Approval(login, review.id, head, review.submitted_at, review.state))
    if not latest:
        reasons.append("belum ada ulasan yang menyetujui")
    return approvals, reasons


def _role_label(office: Office, roles: tuple[str, ...]) -> str:
    if set(roles) <= set(office.disposition_roles):
        return " atau ".join(office.role_title(role) for role in roles)
    return "pemegang peran penyetuju tata kelola (" + ", ".join(roles) + ")"
