"""Who is at the keyboard: the Git identity of the repository checked against the roster (`personel`).

Every step is a commit, and the audit knows people by the e-mail address of their commits, so a missing or
unknown identity is refused before any commit is made, with the exact commands that fix it.
"""
from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..core.config import Office, Person
from .workflow import WorkflowError


class IdentityError(WorkflowError):
    """The Git identity is missing or not in the roster; the message says what to run."""


@dataclass(frozen=True)
class Identity:
    name: str
    email: str
    person: Person | None

    @property
    def usable(self) -> bool:
        return bool(self.name) and self.person is not None

    @property
    def name_differs(self) -> bool:
        return self.person is not None and self.name != self.person.name


def git_identity(repo: Path) -> tuple[str, str]:
    """(user.name, user.email) as Git will use them in `repo` (its own config first, then the user's)."""
    def value(key: str) -> str:
        done = subprocess.run(["git", "config", "--get", key], cwd=repo, capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else ""
    return value("user.name"), value("user.email")


def read_identity(repo: Path, office: Office) -> Identity:
    name, email = git_identity(repo)
    return Identity(name, email, office.person_by_email(email) if email else None)


def setup_commands(person: Person) -> list[str]:
    """What to type so that Git writes commits as `person` in this repository."""
    return [f'git config user.name "{person.name}"', f"git config user.email {person.emails[0]}"]


def roster_lines(office: Office) -> list[str]:
    return [f"{p.id}: {p.name} ({p.title}) — {p.emails[0]}" for p in office.people]


def problems(identity: Identity) -> list[str]:
    """What is wrong, in words; empty when the identity may make commits."""
    found = []
    if not identity.email:
        found.append("alamat surel Git (user.email) belum diatur")
    elif identity.person is None:
        found.append(f"alamat surel Git {identity.email} tidak ada di daftar personel tools/config/kantor.yaml")
    if not identity.name:
        found.append("nama Git (user.name) belum diatur")
    return found


def advice(identity: Identity, office: Office) -> str:
    """The fix, spelled out: the two commands for the person, or the roster to pick from."""
    if identity.person is not None:
        return "Jalankan di folder repositori:\n" + "\n".join(f"    {c}" for c in setup_commands(identity.person))
    return ("Pilih diri Anda dari daftar personel lalu jalankan: pengaduan identitas --atur ID\n"
            + "\n".join(f"    {line}" for line in roster_lines(office))
            + "\nBila nama Anda belum ada, minta Kasubbag Hukum menambahkannya ke `personel` di tools/config/kantor.yaml.")


def require(repo: Path, office: Office) -> Person:
    """The person making a commit; refuses, with the fix, before anything is written."""
    identity = read_identity(repo, office)
    found = problems(identity)
    if found or identity.person is None:  # problems() names a missing person: None never passes
        raise IdentityError(f"identitas Git Anda belum siap: {'; '.join(found)}.\n{advice(identity, office)}")
    return identity.person


def configure(repo: Path, person: Person) -> None:
    """Set the repository's own user.name and user.email to `person`'s (the first e-mail of the roster)."""
    for key, value in (("user.name", person.name), ("user.email", person.emails[0])):
        subprocess.run(["git", "config", key, value], cwd=repo, check=True, capture_output=True)

