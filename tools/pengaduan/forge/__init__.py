"""The office's Git forge, GitHub or a self-hosted Forgejo: the pull request gate, reviews, evidence, settings.

api (the interface and HTTP), github and forgejo (each forge's payloads), connection (which of them this runs
for), approval (which reviews count), gate (what a pull request changes, checked with the base's code and
configuration), evidence (review records as Git notes, reconciled and audited), protection (the forge settings
the gate relies on).
"""
from .api import COMMENT_MARKER, ForgeError, update_in_place
from .approval import Approval, decide_approval
from .connection import connect
from .evidence import NOTES_REF, evidence_note, merged_pull_request, read_notes
from .reminder import ISSUE_MARKER, reminder

__all__ = ["COMMENT_MARKER", "ISSUE_MARKER", "NOTES_REF", "Approval", "ForgeError", "connect", "decide_approval",
           "evidence_note", "merged_pull_request", "read_notes", "reminder", "update_in_place"]
