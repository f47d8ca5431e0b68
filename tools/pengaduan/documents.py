"""Official documents (nota dinas, lembar disposisi, rekap) from Jinja2 templates through Pandoc.

Templates in templates/ are Markdown written by the office; every value put into
them is escaped for Markdown (`md_escape`), Pandoc reads them with every
raw-passthrough extension off and runs with --sandbox, and the PDF is typeset
by Typst with an empty folder as its root. Text from the public stays text in
every format.
"""
from __future__ import annotations

import functools
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import jinja2
import pypandoc
import typst

from .calendar import WIB
from .config import Settings

PROJECT_ROOT = Path(__file__).resolve().parents[2]
MARKDOWN_IN = "markdown-raw_html-raw_tex-raw_attribute-yaml_metadata_block-tex_math_dollars-citations"
FORMATS = ("docx", "pdf", "html")
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember")
_PUNCTUATION = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


class DocumentError(Exception):
    """A document that cannot be made; the message is for the user."""


def md_escape(value) -> str:
    """Any value as literal Markdown text: every ASCII punctuation mark escaped, lines as hard breaks."""
    if value is None:
        return ""
    if isinstance(value, (datetime, date)):
        value = long_date(value)
    lines = []
    for line in str(value).replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = "".join(" " if c == "\t" else c for c in line if c >= " " or c == "\t").strip()
        lines.append("".join("\\" + c if c in _PUNCTUATION else c for c in line))
    return "\\\n".join(lines)


def _day(value) -> date:
    """A date from a date, a WIB-converted datetime, or their ISO text."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    return value.astimezone(WIB).date() if isinstance(value, datetime) else value


def long_date(value) -> str:
    """4 April 2022."""
    day = _day(value)
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def short_date(value) -> str:
    day = _day(value)
    return f"{day.day:02d}-{day.month:02d}-{day.year}"


def one_line(value) -> str:
    return " ".join(str(value or "").split())


@functools.cache
def environment(templates: Path) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(templates)), finalize=md_escape,
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True, autoescape=False)
    env.filters.update(tanggal=long_date, tanggal_pendek=short_date, satu_baris=one_line)
    return env


def templates_dir(repo: Path) -> Path:
    own = repo / "templates"
    return own if own.is_dir() else PROJECT_ROOT / "templates"


@dataclass(frozen=True)
class Renderer:
    """Renders Markdown from templates and converts it with the bundled Pandoc and Typst."""
    templates: Path

    def markdown(self, template: str, context: dict) -> str:
        try:
            return environment(self.templates).get_template(f"{template}.md.j2").render(**context)
        except jinja2.TemplateNotFound:
            raise DocumentError(f"templat {template}.md.j2 tidak ada di {self.templates}.") from None
        except jinja2.TemplateError as error:
            raise DocumentError(f"templat {template}.md.j2 tidak bisa dipakai: {error}") from None

    def _pandoc(self, markdown: str, *args: str) -> bytes:
        command = [pypandoc.get_pandoc_path(), "--sandbox", "-f", MARKDOWN_IN, *args]
        result = subprocess.run(command, input=markdown.encode("utf-8"), capture_output=True)
        if result.returncode != 0:
            raise DocumentError(f"Pandoc gagal: {result.stderr.decode('utf-8', 'replace').strip()}")
        return result.stdout

    def convert(self, markdown: str, kind: str, title: str) -> bytes:
        if kind == "docx":
            return self._pandoc(markdown, "-t", "docx", "--reference-doc", str(self.templates / "referensi.docx"),
                                "-o", "-")
        if kind == "html":
            return self._pandoc(markdown, "-t", "html5", "--standalone", "--metadata", f"pagetitle={title}",
                                "--metadata", "lang=id")
        if kind == "pdf":
            source = self._pandoc(markdown, "-t", "typst", "--template", str(self.templates / "surat.typst"))
            with tempfile.TemporaryDirectory() as empty_root:
                try:
                    return typst.compile(source, root=empty_root, ignore_system_fonts=True, timestamp=0)
                except RuntimeError as error:
                    raise DocumentError(f"Typst gagal menyusun PDF: {error}") from None
        raise DocumentError(f"format {kind!r} tidak dikenal; pilih dari {', '.join(FORMATS)}.")

    def write(self, template: str, context: dict, stem: Path, kinds: list[str]) -> list[Path]:
        """Render once, convert to each format, write each file whole (never half a file)."""
        markdown = self.markdown(template, context)
        written = []
        for kind in kinds:
            payload = self.convert(markdown, kind, stem.name)
            target = stem.with_suffix(f".{kind}")
            temporary = target.with_suffix(f".{kind}.tmp")
            temporary.write_bytes(payload)
            temporary.replace(target)
            written.append(target)
        return written


def signatory(person) -> dict:
    return {"nama": person.name, "nip": person.nip, "jabatan": person.title}


def record_context(record: dict, settings: Settings, template: str) -> dict:
    """What a record's document template may use; fails clearly when a needed block is missing."""
    office = settings.office
    received = record["diterima"]
    disposition = record.get("disposisi")
    target = disposition["diteruskan_kepada"] if disposition else None
    chief = signatory(office.head_of(office.hukum))
    context = {
        "kantor": office.identity,
        "pengaduan": {"id": record["id"], "perihal": record["perihal"], "diterima": received["waktu"],
                      "nomor_agenda": received["nomor_agenda"], "nomor_surat": received.get("nomor_surat"),
                      "tanggal_surat": received.get("tanggal_surat")},
        "surat_dari": "Anonim" if record["pelapor"]["kerahasiaan"] == "anonim" else
        record["pelapor"].get("nama") or "-",
        "disposisi": disposition,
        "diteruskan_kepada": office.subdivisions.get(target) if target else None,
        "tanggal_disposisi": None,
        "kasubbag": chief,
        "tembusan": [],
    }
    if template == "nota-dinas-tindak-lanjut":
        if "nota_dinas_tindak_lanjut" not in record or not target:
            raise DocumentError(f"{record['id']} belum punya blok `disposisi` dan `nota_dinas_tindak_lanjut`.")
        context.update(nota=record["nota_dinas_tindak_lanjut"], yth=f"Kepala {office.subdivisions[target]}",
                       dari=chief["jabatan"], sifat=disposition["sifat"], penanda_tangan=chief)
    elif template == "nota-dinas-balasan":
        if "nota_dinas_balasan" not in record or "nota_dinas_tindak_lanjut" not in record:
            raise DocumentError(f"{record['id']} belum punya blok `nota_dinas_balasan`.")
        head = signatory(office.head_of(target))
        context.update(nota=record["nota_dinas_balasan"], rujukan=record["nota_dinas_tindak_lanjut"],
                       yth=chief["jabatan"], dari=head["jabatan"], sifat=disposition["sifat"], penanda_tangan=head)
    return context


def make_reference_docx(target: Path) -> None:
    """Write templates/referensi.docx: Pandoc's default styles set to A4, the office's margins and fonts.

    The office may restyle the result in a word processor; it is committed, not rebuilt on every run.
    """
    import io

    import docx
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


if __name__ == "__main__":
    make_reference_docx(PROJECT_ROOT / "templates" / "referensi.docx")


def render_record_documents(repo: Path, settings: Settings, record_id: str, kinds: list[str], out: Path,
                            every_step: bool) -> list[Path]:
    """`pengaduan nota`: the documents the record's step calls for; an invalid record is refused, listing why."""
    from .findings import WARNING
    from .records import check_record, load_record_file
    rel = find_record(repo, record_id).relative_to(repo).as_posix()
    record, text, problems = load_record_file(repo, rel)
    problems += check_record(rel, record, text, settings, repo) if record else []
    errors = [p.render() for p in problems if p.severity != WARNING]
    if errors:
        raise DocumentError("rekaman belum sah; perbaiki dulu:\n" + "\n".join(errors))
    names = documents_for(record, settings, every_step)
    if not names:
        raise DocumentError(f"langkah {record['langkah']} tidak menghasilkan dokumen (lihat `dokumen` di berkas SOP); "
                            "pakai --semua untuk dokumen langkah-langkah sebelumnya.")
    out.mkdir(parents=True, exist_ok=True)
    renderer = Renderer(templates_dir(repo))
    return [path for name in names for path in renderer.write(name, record_context(record, settings, name),
                                                              out / f"{record_id}-{name}", kinds)]


def write_recap(repo: Path, start: date, end: date, label: str, stem: Path, kinds: list[str],
                now: datetime) -> tuple[int, list[Path]]:
    """`pengaduan rekap`: complaints received from `start` to `end`, with their status at `now`."""
    from .recap import make_recap
    from .site import collect
    from .calendar import WorkCalendar
    from .queue import in_flight
    from .projection import project
    settings, items = collect(repo, now)
    moving = {}  # the whole queue: complaints whose latest step is in an open pull request
    for record, status in in_flight(repo, settings, now):
        try:
            moving[status.path] = (record, project(record, status, settings))
        except (KeyError, TypeError, ValueError, AttributeError):
            continue
    items = [(r, p) for r, p in items if p.status.path not in moving] + list(moving.values())
    chosen = [(r, p) for r, p in items if start <= p.status.received.astimezone(WIB).date() <= end]
    rows = recap_rows(chosen, settings)
    office = settings.office
    context = {"kantor": office.identity, "periode": label, "dibuat": now.date(), "baris": rows,
               "rekap": make_recap([p for _, p in chosen], settings.current_sop, WorkCalendar.for_office(office)),
               "kota": office.identity["kota"], "pembuat": signatory(office.head_of(office.hukum))}
    stem.parent.mkdir(parents=True, exist_ok=True)
    written = Renderer(templates_dir(repo)).write("rekap", context, stem, [k for k in kinds if k in FORMATS])
    return len(rows), written + write_table(rows, stem, [k for k in kinds if k in ("csv", "xlsx")])


def find_record(repo: Path, record_id: str) -> Path:
    matches = sorted((repo / "records").glob(f"*/*/{record_id}.yaml"))
    if not matches:
        raise DocumentError(f"rekaman {record_id} tidak ditemukan di {repo / 'records'}.")
    return matches[0]


def documents_for(record: dict, settings: Settings, every_step: bool) -> list[str]:
    """Templates the record's current step calls for (SOP data), or those of every step so far."""
    sop = settings.sop(record["versi_sop"]) or settings.current_sop
    current = min(record["langkah"], sop.last_step)
    steps = sop.steps[:current] if every_step else [sop.step(current)]
    names = [name for step in steps for name in step.documents]
    return list(dict.fromkeys(names))


RECAP_COLUMNS = ["nomor", "diterima", "kategori", "saluran", "sub_bagian", "langkah", "keadaan", "hasil",
                 "selesai", "langkah_terlambat"]


def recap_rows(items, settings: Settings) -> list[dict]:
    """One row per complaint: category, dates of each step, result. No personal data."""
    sop = settings.current_sop
    rows = []
    for record, projection in items:
        status = projection.status
        target = record.get("disposisi", {}).get("diteruskan_kepada")
        row = {"nomor": record["id"], "diterima": status.received.astimezone(WIB).date().isoformat(),
               "kategori": projection.counted.category, "saluran": projection.counted.channel,
               "sub_bagian": settings.office.subdivisions.get(target) if target else "",
               "langkah": status.current, "keadaan": "selesai" if status.closed else "dalam proses",
               "hasil": record.get("rekap", {}).get("hasil", ""),
               "selesai": status.steps[-1].done_at.astimezone(WIB).date().isoformat() if status.closed else "",
               "langkah_terlambat": " ".join(str(r.step) for r in status.steps if r.late_by)}
        for spec in sop.steps[1:]:
            done = next((r.done_at for r in status.steps if r.step == spec.number and r.done_at), None)
            row[f"langkah_{spec.number}"] = done.astimezone(WIB).strftime("%Y-%m-%d %H:%M") if done else ""
        rows.append(row)
    return rows


def write_table(rows: list[dict], stem: Path, kinds: list[str]) -> list[Path]:
    """The recap's rows as CSV and/or XLSX, each file written whole."""
    import csv
    import io
    columns = list(rows[0]) if rows else RECAP_COLUMNS
    written = []
    for kind in kinds:
        target = stem.with_suffix(f".{kind}")
        temporary = target.with_suffix(f".{kind}.tmp")
        if kind == "csv":
            buffer = io.StringIO()
            writer = csv.DictWriter(buffer, columns, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
            temporary.write_text(buffer.getvalue(), "utf-8")
        else:
            import openpyxl
            book = openpyxl.Workbook()
            sheet = book.active
            sheet.title = "Rekap"
            sheet.append(columns)
            for row in rows:  # text cells stay text: a value starting with '=' is not a formula
                sheet.append([row[c] for c in columns])
            for cell in (c for line in sheet.iter_rows(min_row=2) for c in line if isinstance(c.value, str)):
                cell.data_type = "s"
            book.save(temporary)
        temporary.replace(target)
        written.append(target)
    return written
