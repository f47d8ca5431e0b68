"""What a replay of history yields for each record: the steps done, by whom and when, and where it stands.

The audit (audit.py) builds timelines while judging each commit; status, queue, documents and the site read
them. The types live here, below all of them, so that a reader of timelines does not depend on the audit.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from ..core.clock import WIB
from ..core.sop import ARRIVAL


class StepDone(NamedTuple):
    """A step done, as read from history. A tuple, so that thousands of them load from the cache quickly."""
    step: int
    time: int  # Unix seconds: when the step counts as done
    actor: str
    email: str
    person: str | None  # roster id
    commit: str
    merge: str | None = None  # the merge commit that landed it on main
    head: str | None = None  # the pull request's last commit
    doubtful: bool = False  # its own time was implausible; `time` is then when it landed on main
    acting: str = ""  # "Plh. <jabatan>" when done by a stand-in
    landed: int = 0  # when it landed on main (Unix seconds)

    @property
    def at(self) -> datetime:
        return datetime.fromtimestamp(self.time, WIB)


@dataclass
class Timeline:
    record_id: str
    path: str
    sop_version: str
    received: datetime | None
    steps: list[StepDone] = field(default_factory=list)
    current: int = 1
    removed: bool = False
    target: str = ""  # the sub bagian named by the disposition, once given

    def done_at(self, step: int) -> datetime | None:
        if step == ARRIVAL:
            return self.received
        return next((s.at for s in self.steps if s.step == step), None)
