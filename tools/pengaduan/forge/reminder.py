"""The deadline watch: one forge issue listing the steps due today and overdue, by who is awaited."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from ..core.config import Settings
from ..core.sop import Sop, for_target
from ..history.status import DUE_TODAY, OVERDUE

if TYPE_CHECKING:
    from ..history.status import RecordStatus

ISSUE_MARKER = "<!-- pengaduan:pengingat-tenggat -->"


def reminder(statuses: Iterable[RecordStatus], settings: Settings, now: datetime,
             where: dict[str, str] | None = None) -> tuple[str, list[tuple[str, int, str]]]:
    """The deadline watch: Markdown for one issue, and (record, step, state) of every step it lists.

    It lists exactly the open steps `pengaduan status` calls overdue or due today, main and open pull requests
    alike (`where` says which pull request or branch holds a record), in one section per role of the SOP, the
    Kasubbag's first: each section names who is awaited (the people holding the role; for "sub bagian terkait",
    the head of the target sub bagian).
    """
    office, sop_now = settings.office, settings.current_sop
    sections: dict[str, dict[str, list[str]]] = {role: {} for role in _role_order(sop_now)}
    listed = []
    for record in statuses:
        step = record.open_step
        if step is None or step.state not in (OVERDUE, DUE_TODAY):
            continue
        sop = settings.sop(record.sop_version) or sop_now
        spec = sop.step(step.step)
        if for_target(sop, spec):
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


def _role_order(sop: Sop) -> list[str]:
    """The SOP's roles, the Kasubbag's (who disposes) first, then in the order their steps come."""
    order = [step.role for step in sop.steps if step.is_disposition] + [step.role for step in sop.steps]
    return list(dict.fromkeys(order))
