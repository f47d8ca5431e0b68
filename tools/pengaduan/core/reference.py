"""The record-format reference page, generated from the record schema.

`python tools/maintainer.py format-rekaman` rewrites docs/petugas/format-rekaman.md;
a test fails when the page and the schema disagree.
"""
from __future__ import annotations

from typing import Any

from .schema import load_schema

_TYPES = {"string": "teks", "integer": "angka bulat", "object": "blok", "array": "daftar", "boolean": "ya/tidak"}


def _type(spec: dict[str, Any]) -> str:  # a JSON-schema node
    if "enum" in spec:
        return "salah satu: " + ", ".join(f"`{v}`" for v in spec["enum"])
    name = _TYPES.get(str(spec.get("type")), str(spec.get("type", "")))
    if spec.get("format") == "date":
        return "tanggal `TTTT-BB-HH`"
    if spec.get("format") == "date-time":
        return "tanggal dan jam dengan zona waktu"
    return name


def _rows(properties: dict[str, Any], required: list[str], prefix: str) -> list[str]:
    rows = []
    for key, spec in properties.items():
        name = f"{prefix}{key}"
        mark = "wajib" if key in required else "pilihan"
        description = spec.get("description", "").replace("|", "\\|")
        rows.append(f"| `{name}` | {_type(spec)} | {mark} | {description} |")
        if spec.get("type") == "object":
            rows += _rows(spec["properties"], spec.get("required", []), f"{name}.")
        if spec.get("type") == "array" and spec.get("items", {}).get("type") == "object":
            rows += _rows(spec["items"]["properties"], spec["items"].get("required", []), f"{name}[].")
    return rows


def record_format_markdown() -> str:
    schema = load_schema("record")
    lines = [
        "# Format rekaman pengaduan",
        "",
        "<!-- Dibuat dari tools/pengaduan/schema/record.schema.json oleh `python tools/maintainer.py format-rekaman`;",
        "     jangan disunting langsung. -->",
        "",
        schema["description"] + " Kunci yang tidak dikenal ditolak oleh `pengaduan periksa`.",
        "Baris pertama setiap rekaman merujuk skema ini, sehingga editor dengan *YAML language server*",
        "(misalnya VS Code dengan ekstensi YAML) memeriksa isian saat Anda mengetik.",
        "",
        "| Kunci | Isi | Wajib? | Keterangan |",
        "|---|---|---|---|",
        *_rows(schema["properties"], schema["required"], ""),
        "",
    ]
    return "\n".join(lines)

