"""Maintainer tasks that regenerate committed files; the office's staff never need them.

    python tools/maintainer.py referensi-docx   # templates/referensi.docx (needs: pip install -e '.[pemelihara]')
    python tools/maintainer.py format-rekaman   # docs/petugas/format-rekaman.md, from the record schema

Both files are committed; a test fails when format-rekaman.md and the schema disagree.
"""
from __future__ import annotations

import argparse
import io
import subprocess
import sys
import tempfile
from pathlib import Path

import pypandoc

from pengaduan.core.reference import record_format_markdown

ROOT = Path(__file__).resolve().parents[1]


def make_reference_docx(target: Path) -> None:
    """Write the reference DOCX: Pandoc's default styles set to A4, the office's margins and fonts.

    The office may restyle the result in a word processor; it is committed, not rebuilt on every run.
    """
    import docx  # an optional dependency (the `pemelihara` extra): only this task needs it
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt, RGBColor

    with tempfile.TemporaryDirectory() as folder:
        default = Path(folder) / "reference.docx"
        subprocess.run([pypandoc.get_pandoc_path(), "-o", str(default), "--print-default-data-file",
                        "reference.docx"], check=True)
        document = docx.Document(io.BytesIO(default.read_bytes()))
    for section in document.sections:
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.top_margin, section.bottom_margin = Cm(2), Cm(2)
        section.left_margin, section.right_margin = Cm(2.5), Cm(2)
    for style in document.styles:
        font = getattr(style, "font", None)
        if font is None:
            continue
        font.name = "Arial"
        font.color.rgb = RGBColor(0, 0, 0)
        if style.name in ("Normal", "Body Text", "First Paragraph", "Compact"):
            font.size = Pt(11)
    for name, size, centred in (("Heading 1", 13, True), ("Heading 2", 11, False), ("Title", 13, True)):
        style = document.styles[name]
        style.font.size, style.font.bold = Pt(size), True
        if centred:
            style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.save(str(target))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Tugas pemelihara: membuat ulang berkas yang di-commit.")
    parser.add_argument("tugas", choices=["referensi-docx", "format-rekaman"])
    task = parser.parse_args(argv).tugas
    if task == "referensi-docx":
        try:
            make_reference_docx(ROOT / "templates" / "referensi.docx")
        except ModuleNotFoundError as missing:
            print(f"Paket {missing.name} belum terpasang; jalankan: .venv/bin/pip install -e '.[pemelihara]'",
                  file=sys.stderr)
            return 1
        print("Ditulis: templates/referensi.docx")
    else:
        (ROOT / "docs" / "petugas" / "format-rekaman.md").write_text(record_format_markdown(), "utf-8")
        print("Ditulis: docs/petugas/format-rekaman.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
