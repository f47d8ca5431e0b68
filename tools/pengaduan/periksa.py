"""`pengaduan periksa` at any size: findings cached by each record's content, and a mode for what a branch changed.

A record's findings depend only on its path, its bytes and the rules (configuration, SOP, schema and this
code), so they are kept in the Git directory keyed by a digest of those: a run reads every record file once
and re-checks only those whose content changed. Whether each attachment exists is asked again every run.

`--berubah` checks only the records the current branch changed since it left main (committed or not, plus
new files), and their numbers against every record on main (read from the queue's parsed-record cache).

Thousands of records to check (a cold run: the first, or after the code, configuration or SOP changed) are
shared out over the machine's processors: forked processes each check a slice and send back their findings
(a slice whose process fails is checked again here, so a failure shows as it would without them).
"""
from __future__ import annotations

import gc
import hashlib
import marshal
import os
import subprocess
from functools import partial
from pathlib import Path
from typing import Any

from .core import schema
from .core.config import CONFIG_DIR, Settings, check_settings
from .core.files import write_atomic
from .core.findings import Finding
from .core.processes import available, beside
from .core.records import (_cross_checks, attachment_dir, check_record, is_record_path, load_record_file, record_files,
                           letters, register_of, unique_numbers)
from .queue import MAIN, entries_on, unique_of

RESULTS_VERSION = 1
# A finding as plain data (Finding's fields in order), and what `_check_one` keeps of a record in the cache.
FindingRow = tuple[str, str, str, str, int | None, int | None, str]
Numbers = tuple[tuple[str, tuple[object, ...]], ...]  # (register, number) pairs no other record may hold
CheckResult = tuple[tuple[FindingRow, ...], tuple[FindingRow, ...], dict[str, Any] | None, tuple[str, ...], Numbers]
View = tuple[dict[str, Any], bytes, Numbers]  # the numbers view of a record, its bytes, its numbers
PARALLEL_FROM = 1000  # records to check: below this, a second process costs more than it saves
COMPILED_FROM = 100  # records to check: below this, building the compiled schema (~30 ms) costs more than it saves


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


def _numbers_view(data: dict[str, Any]) -> dict[str, Any]:
    """The part of a record the cross-checks read (records.unique_numbers), small enough to cache."""
    view = {"id": data["id"], "diterima": {"waktu": data["diterima"]["waktu"],
                                           "nomor_agenda": data["diterima"]["nomor_agenda"]}}
    view.update({block: {"nomor": number} for block, number in letters(data)})
    return view


def _check_one(root: Path, rel: str, raw: bytes, settings: Settings | None, many: bool) -> CheckResult:
    """(YAML and schema findings, the record's own findings without attachment existence, numbers view or None,
    attachment names), findings as tuples."""
    data, text, problems = load_record_file(root, rel, raw, many, settings)
    if data is None or settings is None:
        return tuple(map(_as_tuple, problems)), (), None, (), ()
    numbers = tuple((register_of(kind), number) for kind, number in unique_numbers(data))
    return (tuple(map(_as_tuple, problems)), tuple(map(_as_tuple, check_record(rel, data, text, settings, None))),
            _numbers_view(data), tuple(str(item["berkas"]) for item in data.get("lampiran", [])), numbers)


def _as_tuple(finding: Finding) -> FindingRow:
    return (finding.path, finding.message, finding.fix, finding.code, finding.line, finding.column, finding.severity)


def _load(cache_file: Path, key: bytes) -> dict[str, tuple[bytes, CheckResult]]:
    try:
        raw = cache_file.read_bytes()
        if hashlib.sha256(raw[32:]).digest() != raw[:32]:
            return {}
        stored_key, results = marshal.loads(raw[32:])
        return results if stored_key == key and isinstance(results, dict) else {}
    except (OSError, ValueError, EOFError, TypeError):
        return {}


def _save(cache_file: Path, key: bytes, results: dict[str, tuple[bytes, CheckResult]]) -> None:
    payload = marshal.dumps((key, results))
    write_atomic(cache_file, hashlib.sha256(payload).digest() + payload)


def _check_many(root: Path, todo: list[tuple[str, bytes]], settings: Settings | None,
                processes: int | None) -> list[CheckResult]:
    """_check_one for each (path, bytes), in order; shared out over `processes` (default: every processor, when
    there are PARALLEL_FROM records or more)."""
    if processes is None:
        processes = available() if len(todo) >= PARALLEL_FROM else 1
    processes = max(1, min(processes, len(todo)))
    size = -(-len(todo) // processes) or 1
    slices = [todo[start:start + size] for start in range(0, len(todo), size)] or [[]]
    many = len(todo) >= COMPILED_FROM
    if many:
        schema.compiled("record")  # once, before the processes part
    work = partial(_check_slice, root, settings, many)
    results, theirs = beside(partial(work, slices[0]), [partial(work, part) for part in slices[1:]])
    for part, done in zip(slices[1:], theirs):
        results += work(part) if done is None else done
    return results


def _check_slice(root: Path, settings: Settings | None, many: bool, part: list[tuple[str, bytes]]) -> list[CheckResult]:
    return [_check_one(root, rel, raw, settings, many) for rel, raw in part]


def check(root: Path, only: list[str] | None = None, processes: int | None = None) -> list[Finding]:
    """Configuration, SOP files and records (every one, or only the paths in `only`), all problems at once;
    `processes`: how many to share the records out to (default: as _check_many decides)."""
    # Every record's data and findings stay alive to the end: Python's cycle collector would walk those hundreds
    # of thousands of objects again and again (a fifth of a cold run) to find nothing (they form no cycles).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _check(root, only, processes)
    finally:
        if collecting:
            gc.enable()


def _check(root: Path, only: list[str] | None, processes: int | None) -> list[Finding]:
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
    fresh: dict[str, tuple[bytes, CheckResult]] = {}
    views: dict[str, View] = {}
    contents: dict[str, tuple[bytes, bytes]] = {}
    for rel in rels:
        with open(os.path.join(root, rel), "rb") as file:  # open(): a Path per file costs 10% of a cold run
            raw = file.read()
        contents[rel] = (raw, hashlib.blake2b(raw, digest_size=16).digest())
    todo = [(rel, raw) for rel, (raw, content) in contents.items()
            if not (rel in known and known[rel][0] == content)]
    checked = dict(zip((rel for rel, _ in todo), _check_many(root, todo, settings, processes)))
    for rel in rels:
        raw, content = contents[rel]
        result = checked[rel] if rel in checked else known[rel][1]
        fresh[rel] = (content, result)
        loading, own, view, attachments, numbers = result
        findings += [Finding(*f) for f in loading]
        folder = os.path.join(root, attachment_dir(rel))  # os.path: no Path object per record
        if any(not os.path.isfile(os.path.join(folder, name)) for name in attachments):  # gone: the full check says
            data, text, _ = load_record_file(root, rel, raw, settings=settings)
            if data is not None and settings is not None:  # both hold: only such a record lists attachments here
                findings += check_record(rel, data, text, settings, root)
        else:
            findings += [Finding(*f) for f in own]
        if view is not None:
            views[rel] = (view, raw, numbers)
    if cache_file and fresh != {rel: known.get(rel) for rel in fresh}:
        _save(cache_file, key, fresh)
    others = {} if only is None else _main_records(root, views)
    return findings + _numbers_twice(views, others)


def _main_records(root: Path, views: dict[str, View]) -> dict[str, View]:
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


def _numbers_twice(views: dict[str, View], others: dict[str, View]) -> list[Finding]:
    """Numbers held by two records, reported on `views` (records.py's cross-check on just the records involved)."""
    holders: dict[tuple[str, tuple[object, ...]], list[str]] = {}
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
