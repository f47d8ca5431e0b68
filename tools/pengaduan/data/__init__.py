"""Package data: what a new office repository starts from, and the demo office.

`OFFICE` is an office repository as `pengaduan init` writes it (configuration to fill, SOP copy,
workflows, mkdocs.yml, docs/, templates/); the site and the documents fall back on its files where an
office repository lacks its own (see docs/petugas/penyiapan.md, "Berkas kantor dan bawaan paket").
`DEMO` holds the demo office's own files, laid over `OFFICE` by `pengaduan demo`.
"""
from __future__ import annotations

from pathlib import Path

OFFICE = Path(__file__).resolve().parent / "kantor"
DEMO = Path(__file__).resolve().parent / "demo"
