"""Benchmark: documents via Pandoc.

- one nota dinas, DOCX + PDF (target: under 1 s);
- the recap of 1,000 complaints (target: under 30 s);
- one tanda terima (PDF + .eml) and the yearly evaluation of 1,000 complaints (DOCX + PDF with charts);
- 100 nota dinas (DOCX + PDF) against 100 bare runs of the same Pandoc conversions
  (Markdown -> DOCX and Markdown -> Typst, no templates, no Typst compile, no metadata or boxed tables
  written into the DOCX), in one run (target: at most 1.5x), with where the time goes.
Usage: python bench/documents.py
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from common import ROOT, demo_repo  # noqa: E402 (sets the import path)

import pypandoc  # noqa: E402

from pengaduan.outputs import documents  # noqa: E402
from pengaduan.core import yamlio  # noqa: E402
from pengaduan.core.config import load_settings  # noqa: E402
from pengaduan.outputs.evaluation import write_evaluation  # noqa: E402
from pengaduan.outputs.letters import RECEIPT, write_letter  # noqa: E402



def main() -> None:
    repo = demo_repo(1000)
    settings = load_settings(repo)
    renderer = documents.Renderer(ROOT / "templates")
    records = [yamlio.load_mapping(p.read_bytes()) for p in sorted((repo / "records").rglob("*.yaml"))]
    records = [r for r in records if "nota_dinas_tindak_lanjut" in r][:100]
    out = Path(tempfile.mkdtemp())
    name = "nota-dinas-tindak-lanjut"
    meta = documents.Meta("Nota Dinas", settings.office.identity["nama"], datetime(2026, 11, 4).date())

    start = time.perf_counter()
    renderer.write(name, documents.record_context(records[0], settings, name), out / "satu", ["docx", "pdf"])
    one = time.perf_counter() - start

    markdowns, spent = [], {"jinja": 0.0, "docx": 0.0, "pdf (pandoc typst + compile)": 0.0}
    start = time.perf_counter()
    for index, record in enumerate(records):
        moment = time.perf_counter()
        context = documents.record_context(record, settings, name)
        images = renderer.images(context)
        pair = renderer.markdown(name, context, "docx"), renderer.markdown(name, context, "pdf")
        markdowns.append(pair)
        spent["jinja"] += time.perf_counter() - moment
        moment = time.perf_counter()
        (out / f"{index}.docx").write_bytes(renderer.convert(pair[0], "docx", meta))
        spent["docx"] += time.perf_counter() - moment
        moment = time.perf_counter()
        (out / f"{index}.pdf").write_bytes(renderer.convert(pair[1], "pdf", meta, images))
        spent["pdf (pandoc typst + compile)"] += time.perf_counter() - moment
    ours = time.perf_counter() - start

    pandoc = pypandoc.get_pandoc_path()
    start = time.perf_counter()
    for index, (for_docx, for_pdf) in enumerate(markdowns):
        subprocess.run([pandoc, "-f", "markdown", "-t", "docx", "-o", str(out / f"bare{index}.docx")],
                       input=for_docx.encode(), check=True)
        subprocess.run([pandoc, "-f", "markdown", "-t", "typst", "-o", str(out / f"bare{index}.typ")],
                       input=for_pdf.encode(), check=True)
    bare = time.perf_counter() - start

    recap_out = out / "rekap"
    start = time.perf_counter()
    subprocess.run([str(Path(sys.executable).parent / "pengaduan"), "--repo", str(repo), "rekap", "--dari", "2020-01-01", "--sampai", "2030-12-31",
                    "--format", "docx,pdf,csv,xlsx", "--keluar", str(recap_out)],
                   check=True, capture_output=True)
    recap = time.perf_counter() - start
    count = sum(1 for _ in (recap_out / "rekap-2020-01-01-2030-12-31.csv").open()) - 1

    now = datetime.now(documents.WIB)
    with_email = next(r for r in records if r["pelapor"].get("email") and r["pelapor"]["kerahasiaan"] != "anonim")
    start = time.perf_counter()
    write_letter(repo, settings, with_email["id"], RECEIPT, ["pdf"], out / "surat", now)
    receipt = time.perf_counter() - start
    start = time.perf_counter()
    evaluation, _ = write_evaluation(repo, now.year, out / "evaluasi", ["docx", "pdf"], now)
    evaluate = time.perf_counter() - start
    shutil.rmtree(out)

    print(f"satu nota dinas (DOCX + PDF): {one:.2f} s")
    print(f"rekap {count} pengaduan (DOCX, PDF, CSV, XLSX, riwayat dibaca dari cache bila ada): {recap:.1f} s")
    print(f"100 nota dinas: {ours:.1f} s; 100 kali pandoc polos (DOCX + Typst): {bare:.1f} s; "
          f"rasio {ours / bare:.2f}")
    print(f"satu tanda terima (PDF + .eml): {receipt:.2f} s")
    print(f"evaluasi tahunan {evaluation.received} pengaduan (DOCX + PDF, tiga grafik): {evaluate:.1f} s")
    print("waktu 100 nota: " + ", ".join(f"{k} {v:.1f} s" for k, v in spent.items()))


if __name__ == "__main__":
    main()
