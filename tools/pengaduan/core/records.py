"""Complaint records: where they live, what a valid one holds, and `periksa`."""
from __future__ import annotations

import hashlib
import os
from collections import defaultdict
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any

from . import schema, yamlio
from .clock import WIB
from .config import Settings, check_settings
from .findings import WARNING, Finding
from .schema import PLACEHOLDER, placeholders
from .sop import Sop
from .sop import TARGET

RECORDS_DIR = "records"
SCHEMA_COMMENT = "# yaml-language-server: $schema=../../../tools/pengaduan/schema/record.schema.json"
_ALLOWED_LOOSE = {".gitkeep", "README.md"}


def body_fingerprint(sender: str, body: str) -> str:
    """Same sender and same text, whatever the spacing: a resent e-mail."""
    normal = " ".join(body.split()).casefold()
    return hashlib.sha256(f"{sender.strip().casefold()}\0{normal}".encode()).hexdigest()


def received_at(record: dict[str, Any]) -> datetime:  # records are parsed YAML: dict[str, Any]
    """The arrival time, in WIB; the record must have passed the schema."""
    return datetime.fromisoformat(record["diterima"]["waktu"]).astimezone(WIB)


def record_path(record_id: str, received: datetime) -> str:
    received = received.astimezone(WIB)
    return f"{RECORDS_DIR}/{received.year:04d}/{received.month:02d}/{record_id}.yaml"


def attachment_dir(rel_path: str) -> str:
    return rel_path.removesuffix(".yaml")


def is_loose_allowed(rel_path: str) -> bool:
    """The few files allowed directly in records/ besides record folders (README.md, .gitkeep)."""
    parts = PurePosixPath(rel_path).parts
    return len(parts) == 2 and parts[0] == RECORDS_DIR and parts[1] in _ALLOWED_LOOSE


def is_record_path(rel_path: str) -> bool:
    parts = rel_path.split("/")  # Git's paths are already normal; PurePosixPath costs 10 µs a call at 10k files
    return len(parts) == 4 and parts[0] == RECORDS_DIR and parts[3].endswith(".yaml")


class _Located:
    """Builds findings for one file, locating paths in its text."""

    def __init__(self, rel: str, text: str) -> None:
        self.rel, self.text = rel, text
        self.found: list[Finding] = []

    def add(self, path: list[str | int], message: str, fix: str, code: str, severity: str = "galat",
            key: bool = False) -> None:
        line, column = yamlio.locate(self.text, path, key=key)
        self.found.append(Finding(self.rel, message, fix, code, line, column, severity))


def _safe_attachment_name(name: str) -> bool:
    return (name not in ("", ".", "..") and "/" not in name and "\\" not in name
            and not any(ord(c) < 32 for c in name) and not os.path.isabs(name))


def check_record(rel: str, data: dict[str, Any], text: str, settings: Settings, root: Path | None) -> list[Finding]:
    """Checks beyond the schema: paths, SOP steps, and the office's lists."""
    out = _Located(rel, text)
    office = settings.office
    match = office.registration_regex().match(data["id"])
    if not match:
        out.add(["id"], f"Nomor registrasi {data['id']!r} tidak sesuai pola {office.registration_pattern}.",
                "Pakai nomor dari `pengaduan baru`, atau ikuti pola di tools/config/kantor.yaml.", "rekaman-id")
    received = received_at(data)
    expected = record_path(data["id"], received)
    if rel != expected:
        out.add(["id"], f"Letak berkas tidak cocok dengan nomor dan tanggal terimanya; seharusnya {expected}.",
                f"Pindahkan berkas ke {expected} (tahun/bulan dari `diterima.waktu`, nama dari `id`).",
                "rekaman-letak")
    if match and "tahun" in match.groupdict() and int(match["tahun"]) != received.year:
        out.add(["id"], f"Tahun di nomor registrasi ({match['tahun']}) berbeda dengan tahun terima ({received.year}).",
                "Samakan tahun nomor registrasi dengan tahun `diterima.waktu`.", "rekaman-id")
    if not text.startswith(SCHEMA_COMMENT):
        out.add([], "Baris pertama rujukan skema tidak ada; editor tidak bisa memeriksa saat mengetik.",
                f"Jadikan baris pertama: {SCHEMA_COMMENT}", "rekaman-rujukan-skema", WARNING)
    sop = settings.sop(data["versi_sop"])
    if sop is None:
        out.add(["versi_sop"], f"SOP versi {data['versi_sop']!r} tidak dikenal.",
                "Pakai salah satu: " + ", ".join(sorted(settings.sops)) + ".", "rekaman-sop")
    else:
        _check_steps(out, data, sop)
    for key, listing, label in (("kategori", office.categories, "kategori"),
                                (("diterima", "saluran"), office.channels, "saluran"),
                                (TARGET, office.subdivisions, "sub bagian")):
        path: list[str | int] = [key] if isinstance(key, str) else list(key)
        value: Any = data
        for step in path:
            value = value.get(step) if isinstance(value, dict) else None
        if value is not None and value not in listing:
            out.add(path, f"{label.capitalize()} `{value}` tidak dikenal.",
                    f"Pakai salah satu id {label}: " + ", ".join(listing) + ".", "rekaman-daftar")
    if data["pelapor"]["kerahasiaan"] != "rahasia" and not data["ringkasan_publik"].strip():
        out.add(["ringkasan_publik"], "Ringkasan publik masih kosong; pengaduan ini akan tampil tanpa ringkasan.",
                "Tulis 1–2 kalimat tanpa nama atau data pribadi.", "rekaman-ringkasan", WARNING)
    folder = attachment_dir(rel)
    for index, item in enumerate(data.get("lampiran", [])):
        name = item["berkas"]
        if not _safe_attachment_name(name):
            out.add(["lampiran", index, "berkas"], f"Nama lampiran {name!r} keluar dari folder rekaman atau tidak sah.",
                    f"Simpan lampiran di {folder}/ dan tulis nama berkasnya saja (tanpa / atau ..).", "rekaman-lampiran")
        elif root is not None and not (root / folder / name).is_file():
            out.add(["lampiran", index, "berkas"], f"Lampiran {name!r} tidak ada di {folder}/.",
                    f"Unggah berkasnya ke {folder}/{name}, atau hapus butir lampiran ini.", "rekaman-lampiran")
    return out.found


def _check_steps(out: _Located, data: dict[str, Any], sop: Sop) -> None:
    current = data["langkah"]
    if current > sop.last_step:
        out.add(["langkah"], f"Langkah {current} tidak ada; SOP {sop.version} punya {sop.last_step} langkah.",
                f"Isi angka 2 sampai {sop.last_step}.", "rekaman-langkah")
        return
    for step in sop.steps:
        if step.block is None:
            continue
        if step.number <= current and step.block not in data:
            out.add(["langkah"], f"Langkah {step.number} sudah selesai, tetapi blok `{step.block}` belum diisi.",
                    f"Tambahkan blok `{step.block}` (keluaran langkah {step.number}), atau turunkan `langkah`.",
                    "rekaman-blok-hilang")
        elif step.number > current and step.block in data:
            out.add([step.block], f"Blok `{step.block}` milik langkah {step.number}, padahal langkah sekarang "
                    f"baru {current}.", f"Naikkan `langkah` menjadi {step.number} bila langkah itu memang selesai, "
                    "atau hapus blok ini.", "rekaman-blok-dini", key=True)


def load_record_file(root: Path, rel: str, raw: bytes | None = None, many: bool = False,
                     settings: Settings | None = None) -> tuple[dict[str, Any] | None, str, list[Finding]]:
    """Read one record file (or take its bytes): data (None if unreadable), text, and problems of YAML or schema.

    `many`: one of many records read at once (schema.validate's compiled fast path). `settings`: whose SOP files
    may declare record blocks beyond the schema's (Settings.record_extension)."""
    raw = (root / rel).read_bytes() if raw is None else raw
    try:
        text = yamlio.decode(raw)
        data = yamlio.load_mapping(raw)
    except yamlio.YamlProblem as problem:
        return None, "", [Finding(rel, problem.message, problem.fix, problem.code, problem.line, problem.column)]
    unfilled = []
    # A value can only start with `ISI:` if the text holds it, or spells it with a double-quoted escape.
    for path, hint in placeholders(data) if PLACEHOLDER in text or "\\" in text else ():
        line, column = yamlio.locate(text, path)
        unfilled.append(Finding(rel, f"`{'.'.join(map(str, path))}` belum diisi petugas.",
                                f"Ganti teks `ISI: ...` dengan isinya: {hint}", "rekaman-belum-diisi", line, column))
    marked = {f.line for f in unfilled}
    extension = settings.record_extension if settings else ()
    problems = unfilled + [p for p in schema.validate("record", data, rel, text, many, extension)
                           if p.line not in marked]
    return (None if problems else data), text, problems


def letters(data: dict[str, Any]) -> list[tuple[str, str]]:
    """(block, number) of every letter the record's blocks carry: a block (a mapping at the top of the record)
    with a `nomor`, which the SOP's `isian` fills from the office's register (`nomor_surat`, kantor.yaml
    `penomoran`). No block is named here: a revised SOP with other letters needs no code."""
    return [(block, str(value["nomor"])) for block, value in data.items()
            if isinstance(value, dict) and isinstance(value.get("nomor"), (str, int)) and not isinstance(
                value.get("nomor"), bool) and str(value["nomor"])]


def number_label(kind: str) -> str:
    """How a message names a kind of number (`unique_numbers`): "nomor registrasi", "nomor nota dinas balasan"."""
    return {"id": "nomor registrasi", "agenda": "nomor agenda"}.get(kind, f"nomor {kind.replace('_', ' ')}")


def register_of(kind: str) -> str:
    """Every letter draws from one register of letter numbers (a number is never on two letters)."""
    return kind if kind in ("id", "agenda") else "surat"


def unique_numbers(data: dict[str, Any]) -> list[tuple[str, tuple[object, ...]]]:
    """(kind, number) pairs that no other record may hold; agenda numbers restart every year."""
    numbers: list[tuple[str, tuple[object, ...]]] = [
        ("id", (data["id"],)), ("agenda", (received_at(data).year, data["diterima"]["nomor_agenda"]))]
    return numbers + [(block, (number,)) for block, number in letters(data)]


def _cross_checks(records: dict[str, tuple[dict[str, Any], str]]) -> list[Finding]:
    owners: dict[tuple[str, tuple[object, ...]], list[tuple[str, str]]] = defaultdict(list)  # -> (file, kind)
    for rel, (data, _) in records.items():
        for kind, number in unique_numbers(data):
            owners[(register_of(kind), number)].append((rel, kind))
    found = []
    for (_, number), holders in owners.items():
        if len(holders) < 2:
            continue
        for rel, kind in holders:
            path = {"id": ["id"], "agenda": ["diterima", "nomor_agenda"]}.get(kind, [kind, "nomor"])
            label = number_label(kind)
            label = label[0].upper() + label[1:]
            others = ", ".join(r for r, _ in holders if r != rel)
            line, column = yamlio.locate(records[rel][1], path)
            shown = f"{number[1]} (tahun {number[0]})" if kind == "agenda" else number[0]
            found.append(Finding(rel, f"{label} {shown} juga dipakai oleh {others}.",
                                 "Setiap nomor hanya boleh dipakai satu kali; beri nomor berikutnya yang belum dipakai.",
                                 f"rekaman-ganda-{kind}", line, column))
    return found


def record_files(root: Path) -> tuple[list[str], list[Finding]]:
    """Record files under records/, and files that have no business there."""
    base = root / RECORDS_DIR
    if not base.is_dir():
        return [], [Finding(RECORDS_DIR, "Folder records/ tidak ada.", "Buat folder records/.", "rekaman-folder")]
    all_files = []  # os.walk: 30x faster than rglob; each folder's relative path made once, not once a file
    for folder, _, names in os.walk(base):
        relative = Path(folder).relative_to(root).as_posix()
        all_files += [f"{relative}/{name}" for name in names]
    all_files.sort()
    records = [f for f in all_files if is_record_path(f)]
    folders = {attachment_dir(r) + "/" for r in records}
    known = set(records)
    stray = []
    for rel in all_files:
        if rel in known or is_loose_allowed(rel):
            continue
        parts = rel.split("/")
        if len(parts) >= 5 and "/".join(parts[:4]) + "/" in folders:
            continue
        stray.append(Finding(rel, "Berkas ini tidak berada di tempat rekaman atau lampiran.",
                             "Rekaman: records/TAHUN/BULAN/NOMOR.yaml; lampiran: di folder records/TAHUN/BULAN/NOMOR/.",
                             "rekaman-letak"))
    return records, stray


def check_repository(root: Path) -> list[Finding]:
    """`pengaduan periksa`: configuration, SOP files and every record, all problems at once."""
    settings, findings = check_settings(root)
    rels, stray = record_files(root)
    findings += stray
    valid: dict[str, tuple[dict[str, Any], str]] = {}
    for rel in rels:
        data, text, problems = load_record_file(root, rel, settings=settings)
        findings += problems
        if data is not None and settings is not None:
            findings += check_record(rel, data, text, settings, root)
            valid[rel] = (data, text)
    findings += _cross_checks(valid)
    return findings
