"""`pengaduan periksa` at any size: findings cached by each record's content, and a mode for what a branch changed.

A record's findings depend only on its path, its bytes and the rules (configuration, SOP, schema and this
code), so they are kept in the Git directory keyed by a digest of those: a run reads every record file once
and re-checks only those whose content changed. Whether each attachment exists is asked again every run.

`--berubah` checks only the records the current branch changed since it left main (committed or not, plus
new files), and their numbers against every record on main (read from the queue's parsed-record cache).
"""
from __future__ import annotations

import hashlib
import marshal
import subprocess
from pathlib import Path

from .config import CONFIG_DIR, Settings, check_settings
from .files import write_atomic
from .findings import Finding
from .queue import MAIN, entries_on, register_of, unique_of
from .records import (_cross_checks, attachment_dir, check_record, is_record_path, load_record_file, record_files,
                      unique_numbers)

RESULTS_VERSION = 1


def _rules_key(root: Path) -> bytes:
    """What a record's findings depend on besides its path and bytes."""
    digest = hashlib.sha256(str(RESULTS_VERSION).encode())
    package = Path(__file__).parent
    sources = sorted(package.rglob("*.py")) + sorted((package / "schema").glob("*"))  # the checks and what they use
    sources += sorted((root / CONFIG_DIR).rglob("*.yaml")) if (root / CONFIG_DIR).is_dir() else []
    for path in sources:
        digest.update(str(path.relative_to(package) if path.is_relative_to(package) else path.name).encode() + b"\0"
                      + path.read_bytes() + b"\0")
    return digest.digest()


def _git_dir(root: Path) -> Path | None:
    own = root / ".git"
    if own.is_dir():
        return own
    found = subprocess.run(["git", "rev-parse", "--absolute-git-dir"], cwd=root, capture_output=True, text=True)
    return Path(found.stdout.strip()) if found.returncode == 0 else None


def _numbers_view(data: dict) -> dict:
    """The part of a record the cross-checks read (records.unique_numbers), small enough to cache."""
    view = {"id": data["id"], "diterima": {"waktu": data["diterima"]["waktu"],
                                           "nomor_agenda": data["diterima"]["nomor_agenda"]}}
    view.update({block: {"nomor": data[block]["nomor"]} for block in ("nota_dinas_tindak_lanjut", "nota_dinas_balasan")
                 if block in data})
    return view


def _check_one(root: Path, rel: str, raw: bytes, settings: Settings | None) -> tuple:
    """(YAML and schema findings, the record's own findings without attachment existence, numbers view or None,
    attachment names), findings as tuples."""
    data, text, problems = load_record_file(root, rel, raw)
    if data is None or settings is None:
        return tuple(map(_as_tuple, problems)), (), None, (), ()
    numbers = tuple((register_of(kind), number) for kind, number in unique_numbers(data))
    return (tuple(map(_as_tuple, problems)), tuple(map(_as_tuple, check_record(rel, data, text, settings, None))),
            _numbers_view(data), tuple(str(item["berkas"]) for item in data.get("lampiran", [])), numbers)


def _as_tuple(finding: Finding) -> tuple:
    return (finding.path, finding.message, finding.fix, finding.code, finding.line, finding.column, finding.severity)


def _load(cache_file: Path, key: bytes) -> dict:
    try:
        raw = cache_file.read_bytes()
        if hashlib.sha256(raw[32:]).digest() != raw[:32]:
            return {}
        stored_key, results = marshal.loads(raw[32:])
        return results if stored_key == key and isinstance(results, dict) else {}
    except (OSError, ValueError, EOFError, TypeError):
        return {}


def _save(cache_file: Path, key: bytes, results: dict) -> None:
    payload = marshal.dumps((key, results))
    write_atomic(cache_file, hashlib.sha256(payload).digest() + payload)


def check(root: Path, only: list[str] | None = None) -> list[Finding]:
    """Configuration, SOP files and records (every one, or only the paths in `only`), all problems at once."""
    settings, findings = check_settings(root)
    if only is None:
        rels, stray = record_files(root)
        findings += stray
    else:
        rels = [rel for rel in only if (root / rel).is_file()]
    git_dir = _git_dir(root)
    cache_file = git_dir / "pengaduan" / "periksa.cache" if git_dir and settings and only is None else None
    key = _rules_key(root)
    known = _load(cache_file, key) if cache_file else {}
    fresh: dict[str, tuple] = {}
    views: dict[str, tuple[dict, bytes, tuple]] = {}
    for rel in rels:
        raw = (root / rel).read_bytes()
        content = hashlib.blake2b(raw, digest_size=16).digest()
        cached = known.get(rel)
        result = cached[1] if cached and cached[0] == content else _check_one(root, rel, raw, settings)
        fresh[rel] = (content, result)
        loading, own, view, attachments, numbers = result
        findings += [Finding(*f) for f in loading]
        folder = root / attachment_dir(rel)
        if any(not (folder / name).is_file() for name in attachments):  # gone since: the full check names it
            data, text, _ = load_record_file(root, rel, raw)
            findings += check_record(rel, data, text, settings, root)
        else:
            findings += [Finding(*f) for f in own]
        if view is not None:
            views[rel] = (view, raw, numbers)
    if cache_file and fresh != {rel: known.get(rel) for rel in fresh}:
        _save(cache_file, key, fresh)
    others = {} if only is None else _main_records(root, views)
    return findings + _numbers_twice(views, others)


def _main_records(root: Path, views: dict) -> dict[str, tuple[dict, bytes, tuple]]:
    """Records on main (from the queue's cache of parsed records), not among `views`, sharing a number with them."""
    try:
        on_main = entries_on(root, MAIN)
    except (LookupError, subprocess.CalledProcessError):
        return {}
    wanted = {number for _, _, numbers in views.values() for number in numbers}
    others = {}
    for path, entry in on_main.items():
        numbers = tuple((register_of(kind), number) for kind, number in unique_of(entry))
        if path not in views and entry.valid and entry.year and wanted.intersection(numbers):
            view = {"id": entry.id, "diterima": {"waktu": entry.received, "nomor_agenda": entry.agenda}}
            view.update({block: {"nomor": number} for block, number in entry.letters})
            others[path] = (view, b"", numbers)
    return others


def _numbers_twice(views: dict[str, tuple[dict, bytes, tuple]],
                   others: dict[str, tuple[dict, bytes, tuple]]) -> list[Finding]:
    """Numbers held by two records, reported on `views` (records.py's cross-check on just the records involved)."""
    holders: dict[tuple, list[str]] = {}
    for rel, (_, _, numbers) in {**others, **views}.items():
        for number in numbers:
            holders.setdefault(number, []).append(rel)
    involved = {rel for owners in holders.values() if len(owners) > 1 for rel in owners}
    if not involved:
        return []
    every = {**others, **views}
    found = _cross_checks({rel: (every[rel][0], every[rel][1].decode("utf-8", "replace")) for rel in involved})
    return [f for f in found if f.path in views]


def changed_on_branch(root: Path, base: str = "main") -> list[str]:
    """Record files this branch changed since it left `base`: committed, staged, in the working tree, or new."""
    def git(*args: str) -> list[str]:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)
        if done.returncode != 0:
            raise LookupError(base)
        return [line for line in done.stdout.split("\0") if line]
    changed = git("diff", "--name-only", "-z", "--no-renames", "--merge-base", base, "--", "records/")
    changed += git("ls-files", "-z", "--others", "--exclude-standard", "--", "records/")
    return sorted({path for path in changed if is_record_path(path)})
