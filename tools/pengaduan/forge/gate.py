"""The pull request gate: what a pull request changes, checked with the base branch's code and configuration.

A pull request is untrusted input, code and configuration included. The gate runs the base branch's
`pengaduan`, reads the roster and the SOP from the base commit, and reads the pull request's commits as Git
objects: its records are written out as data into a scratch folder beside the base's configuration and
parsed there, never executed. It sorts the change into one of three kinds:

- records only (`records/`): the SOP rules apply, and a disposition needs the Kasubbag's approval;
- governance (anything else: code, configuration, templates, docs, workflows): needs an approval by a
  holder of a role named in `tata_kelola.penyetuju`;
- both at once: refused, so that a record pull request cannot carry a change to the rules that judge it.
"""
from __future__ import annotations

import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..core import yamlio
from ..core.config import Settings, load_settings
from ..core.records import attachment_dir, check_repository, is_record_path
from ..history.audit import review_pull_request
from ..history.reader import read_blobs_raw
from ..intake.workflow import Repository, collisions
from ..outputs.documents import FORMATS, DocumentError, Renderer, documents_for, record_context, templates_dir
from .api import COMMENT_MARKER, Forge, ForgeError, Review
from .approval import decide_approval, role_names

RECORDS = "records/"
CONFIG = "tools/config/"
TEMPLATES = "templates/"
REGULAR = "100644"
EMPTY, RECORD_CHANGE, GOVERNANCE, MIXED = "kosong", "rekaman", "tata-kelola", "campuran"
_MARKDOWN = re.compile(r"([\\`*_\[\]|!~])")


def escape_markdown(text: str) -> str:
    """Text from a pull request, safe in a Markdown comment: no markup, no HTML, no @mentions, one line."""
    text = " ".join(str(text).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("@", "&#64;")
    return _MARKDOWN.sub(r"\\\1", text)


@dataclass(frozen=True)
class Change:
    records: tuple[str, ...]
    governance: tuple[str, ...]
    not_data: tuple[str, ...]  # under records/ but not a plain file (symlink, submodule, executable)

    @property
    def kind(self) -> str:
        if self.records and (self.governance or self.not_data):
            return MIXED
        if self.governance or self.not_data:
            return GOVERNANCE
        return RECORD_CHANGE if self.records else EMPTY


def _git(repo: Path, *args: str) -> bytes:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, check=True).stdout


def classify(repo: Path, base: str, head: str) -> Change:
    """What the pull request changes against the point where it left its base (git diff base...head)."""
    fork_point = _git(repo, "merge-base", base, head).decode().strip()
    fields = _git(repo, "diff", "--raw", "-z", "--no-renames", "--no-abbrev", fork_point, head).split(b"\0")
    records, governance, not_data = [], [], []
    for meta, path in zip(fields[0::2], fields[1::2]):
        if not meta.startswith(b":"):
            continue
        old_mode, new_mode = meta[1:].split()[:2]
        name = path.decode("utf-8", "replace")
        mode = (new_mode if new_mode != b"000000" else old_mode).decode()
        if not name.startswith(RECORDS):
            governance.append(name)
        elif mode != REGULAR:
            not_data.append(name)
        else:
            records.append(name)
    return Change(tuple(records), tuple(governance), tuple(not_data))


def materialize(repo: Path, commit: str, prefix: str, dest: Path) -> None:
    """Write the plain files under `prefix` of `commit` into `dest` as data (no symlinks, no checkout, no hooks)."""
    listing = _git(repo, "ls-tree", "-r", "-z", "--full-tree", commit, "--", prefix).decode("utf-8", "replace")
    entries = []
    for line in filter(None, listing.split("\0")):
        meta, path = line.split("\t", 1)
        mode, kind, sha = meta.split()
        if kind == "blob" and mode in (REGULAR, "100755") and ".." not in Path(path).parts:
            entries.append((path, sha))
    contents = dict(read_blobs_raw(repo, list(dict.fromkeys(sha for _, sha in entries))))
    for path, sha in entries:
        target = dest / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(contents[sha])


def base_settings(repo: Path, base: str) -> Settings:
    """The roster and SOP as they stand in the base commit, whatever the working tree or the pull request holds."""
    with tempfile.TemporaryDirectory(prefix="pengaduan-dasar-") as folder:
        materialize(repo, base, CONFIG, Path(folder))
        return load_settings(Path(folder))


@dataclass
class GateReport:
    change: Change
    text: str  # Markdown, every pull-request-derived string escaped
    failed: bool
    dispositions: list[tuple[str, int]]


def _record_findings(repo: Path, base: str, head: str, change: Change, scratch: Path) -> list[str]:
    """`periksa` on the pull request's records, judged by the base's configuration, as data in a scratch folder."""
    materialize(repo, base, CONFIG, scratch)
    materialize(repo, head, RECORDS, scratch)
    (scratch / RECORDS).mkdir(exist_ok=True)
    touched = set(change.records)
    folders = tuple(attachment_dir(p) + "/" for p in touched if is_record_path(p))
    return [f.render() for f in check_repository(scratch)
            if f.path in touched or f.path.startswith(folders)]


def gate(repo: Path, base: str, head: str, documents: Path | None = None) -> GateReport:
    """`pengaduan periksa-pr`: the Indonesian summary of a pull request, and whether it fails the gate."""
    change = classify(repo, base, head)
    settings = base_settings(repo, base)  # the base's roster and SOP, never the pull request's
    lines = [COMMENT_MARKER, "## Ringkasan pull request pengaduan", ""]
    problems: list[str] = []
    dispositions: list[tuple[str, int]] = []
    approvers = role_names(settings.office, settings.office.governance_roles)
    with tempfile.TemporaryDirectory(prefix="pengaduan-gerbang-") as folder:
        if change.kind == MIXED:
            lines.append("**Ditolak: pull request ini mencampur rekaman pengaduan dengan perubahan lain.** "
                         "Rekaman (`records/`) dan perubahan kode, konfigurasi, templat, dokumen, atau alur kerja "
                         "harus diajukan dalam pull request terpisah.")
            problems.append("berkas di luar records/: " + ", ".join(map(escape_markdown, change.governance
                                                                        + change.not_data)))
        elif change.kind == GOVERNANCE:
            lines += ["**Perubahan tata kelola** (kode, konfigurasi, templat, dokumen, atau alur kerja). Hanya "
                      f"berlaku setelah disetujui oleh: {escape_markdown(approvers)}.", "",
                      *[f"- `{escape_markdown(p)}`" for p in change.governance]]
            problems += [f"{escape_markdown(p)}: di dalam records/ hanya boleh berkas biasa (bukan tautan simbolik, "
                         "submodul, atau berkas yang dapat dijalankan)" for p in change.not_data]
        elif change.kind == EMPTY:
            lines.append("Pull request ini tidak mengubah berkas apa pun.")
        else:
            problems += [escape_markdown(p) for p in _record_findings(repo, base, head, change, Path(folder))]
            if documents is not None:  # the base's templates, like its code and configuration
                materialize(repo, base, TEMPLATES, Path(folder) / "dasar")
                materialize(repo, base, CONFIG, Path(folder) / "dasar")  # the kop's logo, beside the templates
            lines += _steps_section(repo, base, head, settings, problems, dispositions, documents,
                                    templates_dir(Path(folder) / "dasar"))
    lines += ["", "### Temuan", ""] + ([f"- {p}" for p in problems] or ["Tidak ada temuan."])
    if documents is not None and change.kind == RECORD_CHANGE:
        lines += ["", "Dokumen langkah ini dibuat oleh pemeriksaan ini (di GitHub terlampir sebagai artefak "
                  "*dokumen*; juga dapat dibuat dengan `pengaduan nota`)."]
    return GateReport(change, "\n".join(lines) + "\n", bool(problems), dispositions)


def _steps_section(repo: Path, base: str, head: str, settings: Settings, problems: list[str],
                   dispositions: list[tuple[str, int]], documents: Path | None, templates: Path) -> list[str]:
    """The record pull request's steps replayed on its base; documents rendered from its records (data)."""
    review = review_pull_request(repo, base, head, settings)
    dispositions += review.dispositions
    git_repo = Repository(repo)
    chief = settings.office.head_of(settings.office.hukum)
    sop = settings.current_sop
    lines = []
    if review.steps:
        lines += ["| Pengaduan | Langkah | Oleh |", "|---|---|---|"]
        lines += [f"| {escape_markdown(record)} | {s.step}. {escape_markdown(sop.step(s.step).title)} | "
                  f"{escape_markdown(s.actor)} |" for record, _, s in review.steps]
    else:
        lines.append("Pull request ini tidak mengubah langkah pengaduan mana pun.")
    if review.dispositions:
        lines += ["", f"**Menunggu disposisi {escape_markdown(chief.name)} (Kasubbag Hukum):** setujui pull request "
                  "ini pada komit terakhirnya, lalu gabungkan dengan merge commit. "
                  + ", ".join(f"{escape_markdown(r)} langkah {s}" for r, s in review.dispositions) + "."]
    if review.corrections:
        lines += ["", f"**Menunggu persetujuan koreksi oleh {escape_markdown(chief.name)} (Kasubbag Hukum):** isi yang "
                  "sudah beku hanya berubah bila Kasubbag menyetujui dan menggabungkan pull request ini. "
                  + ", ".join(map(escape_markdown, review.corrections)) + "."]
    problems += [escape_markdown(v.render()) for v in review.violations]
    problems += [escape_markdown(f"{path}: nomor {kind} {record} sudah dipakai {owner} di main. Perbaikan: "
                                 f"pengaduan nomor-ulang {record}") for record, path, kind, owner in
                 collisions(git_repo, head)]
    if documents is not None:
        documents.mkdir(parents=True, exist_ok=True)
        renderer = Renderer(templates)
        for record_id, path in sorted({(record, path) for record, path, _ in review.steps}):
            commit = git_repo.ref(head)
            raw = git_repo.read(commit, path) if commit is not None else None
            if raw is None:
                continue  # review_pull_request read it at `head`; a record the head no longer holds has no documents
            data = yamlio.load_mapping(raw)
            for name in documents_for(data, settings, every_step=False):
                try:
                    renderer.write(name, record_context(data, settings, name), documents / f"{record_id}-{name}",
                                   list(FORMATS))
                except DocumentError as error:
                    problems.append(escape_markdown(f"{record_id}: dokumen {name} tidak bisa dibuat: {error}"))
    return lines


def required_approval(repo: Path, base: str, head: str,
                      settings: Settings) -> tuple[str, tuple[str, ...], list[tuple[str, int]]]:
    """(kind of change, roles whose approval it needs or () when none, dispositions), judged by the base's settings."""
    change = classify(repo, base, head)
    if change.kind in (GOVERNANCE, MIXED):
        return change.kind, settings.office.governance_roles, []
    if change.kind == EMPTY:
        return change.kind, (), []
    review = review_pull_request(repo, base, head, settings)
    if review.dispositions:  # the role each record's own SOP gives its disposition step (a revision may rename it)
        return change.kind, review.disposition_roles, review.dispositions
    # a correction counts only when a disposition role merges it (audit)
    return change.kind, (settings.office.disposition_roles if review.corrections else ()), []


def check_approval(repo: Path, base: str, head: str, reviews: list[Review], author: str) -> tuple[bool, list[str]]:
    """`pengaduan persetujuan`: whether the pull request has the approval its kind of change needs, and why (lines)."""
    settings = base_settings(repo, base)
    kind, roles, dispositions = required_approval(repo, base, head, settings)
    if kind == MIXED:
        return False, ["Ditolak: pull request ini mencampur rekaman (records/) dengan perubahan lain; ajukan terpisah."]
    if not roles:
        return True, ["Pull request ini tidak berisi disposisi; persetujuan Kasubbag tidak diperlukan di sini."]
    office = settings.office
    what = ("Perubahan tata kelola" if kind == GOVERNANCE
            else "Disposisi (" + ", ".join(f"{r} langkah {s}" for r, s in dispositions) + ")" if dispositions
            else "Koreksi isi pengaduan")
    # dispositions under SOP versions whose disposition roles differ need each of those roles; otherwise any one
    groups = [(role,) for role in roles] if dispositions and len(roles) > 1 else [roles]
    approved, refused = [], []
    for group in groups:
        approvals, reasons = decide_approval(reviews, head, author, office, group)
        if approvals:
            approved.append(f"{what} disetujui oleh @{approvals[0].reviewer} pada komit {head[:10]}.")
        else:
            refused += [f"{what} belum disetujui oleh {role_names(office, group)} pada komit terakhir {head[:10]}.",
                        *[f"  - {reason}" for reason in reasons]]
    return (False, refused) if refused else (True, approved[:1] if len(groups) == 1 else approved)


def pull_head(repo: Path, forge: Forge, number: int, given: str | None) -> tuple[str, str]:
    """(head commit, author) of pull request `number`, read again from the forge; refuses a stale or missing head."""
    pull = forge.pull_request(number)
    if given:
        resolved = subprocess.run(["git", "rev-parse", "--verify", "--quiet", f"{given}^{{commit}}"], cwd=repo,
                                  capture_output=True, text=True).stdout.strip()
        if resolved != pull.head_sha:
            raise ForgeError(f"kepala pull request #{number} di forge sekarang {pull.head_sha[:10]}, bukan "
                             f"{given[:10]}: pemeriksaan ini sudah usang dan diulang oleh push berikutnya.")
    if subprocess.run(["git", "cat-file", "-e", f"{pull.head_sha}^{{commit}}"], cwd=repo,
                      capture_output=True).returncode != 0:
        raise ForgeError(f"komit {pull.head_sha[:10]} (kepala #{number}) belum ada di repositori ini; ambil "
                         f"dulu: git fetch origin refs/pull/{number}/head")
    return pull.head_sha, pull.author
