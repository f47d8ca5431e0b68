"""Official documents (nota dinas, lembar disposisi, rekap) from Jinja2 templates through Pandoc.

Templates in templates/ are Markdown written by the office (a file it lacks comes from the package's
templates, `PACKAGE_TEMPLATES`); every value put into
them is escaped for Markdown (`md_escape`), Pandoc reads them with every
raw-passthrough extension off and runs with --sandbox, and the PDF is typeset
by Typst with an empty folder as its root. Text from the public stays text in
every format.
"""
from __future__ import annotations

import base64
import csv
import functools
import io
import os
import re
import subprocess
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape as xml_escape

import jinja2
import pypandoc
import typst

from .. import data
from ..core import sop as sop_rules
from ..core.config import CONFIG_DIR, Office, Person, Settings
from ..core.errors import PengaduanError
from ..core.files import write_atomic
from ..core.findings import WARNING
from ..core.formatting import as_day, counted, day_and_date, decimal, long_date, long_time, month_year, percent
from ..core.records import check_record, load_record_file
from ..history.calendar import WIB, WorkCalendar
from ..history.reader import read_blobs_raw
from ..queue import in_flight, main_timelines, read_queue
from .projection import collect, project_each
from .recap import make_recap

if TYPE_CHECKING:
    from .projection import Projection

PACKAGE_TEMPLATES = data.OFFICE / "templates"  # where an office's templates/ lacks a file
MARKDOWN_IN = "markdown-raw_html-raw_tex-raw_attribute-yaml_metadata_block-tex_math_dollars-citations"
FORMATS = ("docx", "pdf", "html")
BOX = "kotak"  # the fenced div (`::: {.kotak #kotak}`) whose tables are drawn boxed, as on a paper form
_PUNCTUATION = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


class DocumentError(PengaduanError):
    """A document that cannot be made; the message is for the user."""


class Markup(str):
    """Markdown that pengaduan itself made (an image reference), never text from a record: not escaped."""


def md_escape(value: object) -> str:
    """Any value as literal Markdown text: every ASCII punctuation mark escaped, lines as hard breaks."""
    if value is None:
        return ""
    if isinstance(value, Markup):
        return value
    if isinstance(value, (datetime, date)):
        value = long_date(value)
    lines = []
    for line in str(value).replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = "".join(" " if c == "\t" else c for c in line if c >= " " or c == "\t").strip()
        lines.append("".join("\\" + c if c in _PUNCTUATION else c for c in line))
    return "\\\n".join(lines)


def one_line(value: object) -> str:
    return " ".join(str(value or "").split())


def tick(chosen: object) -> str:
    """The box of a tick list on a paper form."""
    return "☑" if chosen else "☐"


def bold(value: object) -> Markup:
    return Markup(f"**{md_escape(value)}**") if value not in (None, "") else Markup("")


def _width(text: str) -> int:
    """Columns a line takes as Pandoc counts them (wide East Asian characters 2, combining marks 0)."""
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _cell_lines(cell: object) -> list[str]:
    """A cell's items (text, escaped here, or Markup) as Markdown lines joined by hard line breaks."""
    items = [i for i in (cell if isinstance(cell, (list, tuple)) else [cell]) if i not in (None, "")]
    lines = []
    for index, item in enumerate(items):
        text = md_escape(item).split("\n")
        if index < len(items) - 1:
            text[-1] += "\\"
        lines += text
    return lines or [""]


def grid_table(rows: Sequence[Sequence[object]], fractions: list[float], align: str = "left") -> Markup:
    """A Pandoc grid table (cells of several lines: the boxes of a form, the kop) from cell items.

    `fractions`: each column's share of the width; a row with one cell spans every column; `align`: left or
    center for every column.
    """
    cells = [[_cell_lines(cell) for cell in row] for row in rows]
    count = len(fractions)
    natural = [max([_width(line) + 2 for row in cells if len(row) == count for line in row[i]] + [3])
               for i in range(count)]
    spanning = max([_width(line) + 2 for row in cells if len(row) == 1 for line in row[0]] + [3])
    # at least Pandoc's 72 columns, so the table takes the full width
    total = max(max(n / f for n, f in zip(natural, fractions)), spanning, 80)
    widths = [max(n, round(total * f)) for n, f in zip(natural, fractions)]
    if sum(widths) + count - 1 < spanning:
        widths[-1] += spanning - sum(widths) - count + 1

    def boundaries(row: list[list[str]]) -> set[int]:
        return set(range(1, count)) if len(row) == count else set()

    def rule(above: list[list[str]] | None, below: list[list[str]] | None) -> str:
        joints = (boundaries(above) if above else set()) | (boundaries(below) if below else set())
        marks = {"center": (":", ":"), "left": (":", "-")}[align] if above is None else ("-", "-")
        parts = [marks[0] + "-" * (w - 2) + marks[1] for w in widths]
        return "+" + "".join(p + ("+" if i + 1 in joints else "-" if i + 1 < count else "")
                             for i, p in enumerate(parts)) + "+"

    out = [rule(None, cells[0])]
    for number, row in enumerate(cells):
        spans = [sum(widths) + count - 1] if len(row) == 1 else widths
        for index in range(max(len(cell) for cell in row)):
            parts = []
            for cell, width in zip(row, spans):
                line = cell[index] if index < len(cell) else ""
                parts.append(" " + line + " " * (width - 1 - _width(line)))
            out.append("|" + "|".join(parts) + "|")
        out.append(rule(row, cells[number + 1] if number + 1 < len(cells) else None))
    return Markup("\n".join(out) + "\n")


@functools.cache
def environment(templates: Path) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader([str(templates), str(PACKAGE_TEMPLATES)]),
                             finalize=md_escape,
                             extensions=["jinja2.ext.do"],
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True, autoescape=False)
    env.filters.update(tanggal=long_date, hari_tanggal=day_and_date, waktu=long_time, bulan=month_year,
                       desimal=decimal, persen=percent, satu_baris=one_line, centang=tick, tebal=bold)
    env.globals.update(kotak=grid_table)
    return env


def templates_dir(repo: Path) -> Path:
    """The office's templates/ folder; a file it does not have (or the whole folder) comes from the package."""
    return repo / "templates"


@dataclass(frozen=True)
class Meta:
    """What a document says about itself: title, author (the office) and its own date (for reproducible files)."""
    title: str
    author: str
    day: date

    @property
    def epoch(self) -> int:
        """Midnight WIB of the document's date, as SOURCE_DATE_EPOCH (never before 1980, ZIP's first year)."""
        return int(datetime.combine(max(self.day, date(1980, 1, 2)), time(), WIB).timestamp())


def _typst_string(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


IMAGE_WIDTHS = {"logo": "2cm"}


def _image_definitions(images: dict[str, bytes], kind: str) -> str:
    """Reference definitions (`[logo]: ...`) appended to the Markdown, so a template writes only `![][logo]`."""
    return "".join(f"\n[{name}]: {_image_reference(name, content, kind)} {{width={IMAGE_WIDTHS.get(name, '100%')}}}\n"
                   for name, content in images.items())


def _image_reference(name: str, content: bytes, kind: str) -> str:
    """Where a template's image comes from in each format: a file in Typst's root, or a data URI."""
    suffix = "svg" if content.lstrip().startswith(b"<") else "png"
    if kind == "pdf":
        return f"{name}.{suffix}"
    if kind == "docx" and suffix == "svg":
        content, suffix = svg_to_png(content), "png"
    media = "svg+xml" if suffix == "svg" else "png"
    return f"data:image/{media};base64,{base64.b64encode(content).decode()}"


def svg_to_png(svg: bytes, ppi: int = 150) -> bytes:
    """A chart as PNG (for Word) through Typst, with its own fonts only: the same pixels on every machine."""
    source = b'#set page(width: auto, height: auto, margin: 0pt)\n#image("gambar.svg", width: 16cm)\n'
    with tempfile.TemporaryDirectory() as root:
        (Path(root) / "gambar.svg").write_bytes(svg)
        # typst's stub ties `root`'s type to the source's (bytes here), but a str folder is what it takes
        png: bytes = typst.compile(source, root=root, format="png", ppi=ppi,  # type: ignore[call-overload]
                                   ignore_system_fonts=True)
        return png


def _box_tables(document_xml: str) -> str:
    """Word: single-line borders on every table inside the `kotak` div (Pandoc marks it with a bookmark)."""
    borders = "<w:tblBorders>" + "".join(
        f'<w:{side} w:val="single" w:sz="6" w:space="0" w:color="000000"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")) + "</w:tblBorders>"
    start = re.search(rf'<w:bookmarkStart w:id="(\d+)" w:name="{BOX}"\s*/>', document_xml)
    if not start:
        return document_xml
    end = document_xml.find(f'<w:bookmarkEnd w:id="{start.group(1)}"', start.end())
    inside = document_xml[start.end():end].replace("<w:tblLook", borders + "<w:tblLook")
    return document_xml[:start.end()] + inside + document_xml[end:]


def _finish_docx(payload: bytes, meta: Meta) -> bytes:
    """Title, author and dates in the core properties; boxed tables; every ZIP entry dated the document's day."""
    created = datetime.fromtimestamp(meta.epoch, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    core = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{xml_escape(meta.title)}</dc:title><dc:creator>{xml_escape(meta.author)}</dc:creator>"
            f"<cp:lastModifiedBy>{xml_escape(meta.author)}</cp:lastModifiedBy><dc:language>id-ID</dc:language>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{created}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{created}</dcterms:modified></cp:coreProperties>')
    stamp = datetime.fromtimestamp(meta.epoch, WIB).timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(payload)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "docProps/core.xml":
                data = core.encode("utf-8")
            elif item.filename == "word/document.xml":
                data = _box_tables(data.decode("utf-8")).encode("utf-8")
            target.writestr(zipfile.ZipInfo(item.filename, stamp), data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


@dataclass(frozen=True)
class Renderer:
    """Renders Markdown from templates and converts it with the bundled Pandoc and Typst."""
    templates: Path

    def file(self, name: str) -> Path:
        """A template file by name: the office's own, else the package's."""
        own = self.templates / name
        return own if own.is_file() else PACKAGE_TEMPLATES / name

    def logo(self, identity: dict[str, str]) -> dict[str, bytes]:
        """The kop's logo: `logo` in kantor.yaml, a PNG inside tools/config/ beside these templates."""
        if not identity.get("logo"):
            return {}
        config = (self.templates.parent / CONFIG_DIR).resolve()
        path = (config / identity["logo"]).resolve()
        if config not in path.parents or not path.is_file():
            raise DocumentError(f"{CONFIG_DIR / 'kantor.yaml'}: logo `{identity['logo']}` tidak ada di {CONFIG_DIR}; "
                                "simpan berkas PNG logo di folder itu, atau hapus kunci `logo`.")
        return {"logo": path.read_bytes()}

    def images(self, context: dict[str, Any], extra: dict[str, bytes] | None = None) -> dict[str, bytes]:
        return {**self.logo(context["kantor"]), **(extra or {})}

    def markdown(self, template: str, context: dict[str, Any], kind: str = "docx",
                 images: dict[str, bytes] | None = None) -> str:
        """The template filled in for one output format (images are referenced differently in each)."""
        images = self.images(context, images)
        try:
            return environment(self.templates).get_template(f"{template}.md.j2").render(
                **context, gambar={name: Markup(f"![][{name}]") for name in images}) + _image_definitions(images, kind)
        except jinja2.TemplateNotFound:
            raise DocumentError(f"templat {template}.md.j2 tidak ada di {self.templates} maupun di templat bawaan "
                                "program; periksa ejaan namanya.") from None
        except jinja2.TemplateSyntaxError as error:
            raise DocumentError(f"templat {error.name or template + '.md.j2'} baris {error.lineno}: sintaks Jinja "
                                "salah; periksa pasangan {{ }} dan {% %} di baris itu.") from None
        except jinja2.UndefinedError as error:  # Jinja's text is English; the names it quotes are the template's
            names = ", ".join(dict.fromkeys((n for n in re.findall(r"'([^']+)'", str(error))
                                              if not n.endswith(" object")))) or "?"
            raise DocumentError(f"templat {template}.md.j2 memakai isian yang tidak ada ({names}); periksa ejaan "
                                "nama isian dan penyaringnya (docs/petugas/templat.md).") from None
        except jinja2.TemplateError as error:
            raise DocumentError(f"templat {template}.md.j2 tidak bisa dipakai: {error}") from None

    def _pandoc(self, markdown: str, meta: Meta, *args: str) -> bytes:
        command = [pypandoc.get_pandoc_path(), "--sandbox", "-f", MARKDOWN_IN, *args]
        result = subprocess.run(command, input=markdown.encode("utf-8"), capture_output=True,
                                env={**os.environ, "SOURCE_DATE_EPOCH": str(meta.epoch)})
        if result.returncode != 0:
            raise DocumentError(f"Pandoc gagal: {result.stderr.decode('utf-8', 'replace').strip()}")
        return result.stdout

    def convert(self, markdown: str, kind: str, meta: Meta, images: dict[str, bytes] | None = None) -> bytes:
        if kind == "docx":
            payload = self._pandoc(markdown, meta, "-t", "docx", "--reference-doc",
                                   str(self.file("referensi.docx")), "-o", "-")
            return _finish_docx(payload, meta)
        if kind == "html":
            return self._pandoc(markdown, meta, "-t", "html5", "--standalone", "--metadata", f"pagetitle={meta.title}",
                                "--metadata", f"author={meta.author}", "--metadata", f"date={meta.day.isoformat()}",
                                "--metadata", "lang=id", "-H", str(self.file("surat.css.html")))
        if kind == "pdf":
            source = self._pandoc(markdown, meta, "-t", "typst", "--template", str(self.file("surat.typst")),
                                  "-V", f"judul={_typst_string(meta.title)}", "-V",
                                  f"penulis={_typst_string(meta.author)}", "-V", f"tahun={meta.day.year}",
                                  "-V", f"bulan={meta.day.month}", "-V", f"hari={meta.day.day}")
            with tempfile.TemporaryDirectory() as root:  # holds only the images pengaduan put there
                for name, content in (images or {}).items():
                    (Path(root) / _image_reference(name, content, "pdf")).write_bytes(content)
                try:
                    pdf: bytes = typst.compile(source, root=root,  # type: ignore[type-var]  # as in svg_to_png
                                               ignore_system_fonts=True, timestamp=meta.epoch)
                    return pdf
                except RuntimeError as error:
                    raise DocumentError(f"Typst gagal menyusun PDF: {error}") from None
        raise DocumentError(f"format {kind!r} tidak dikenal; pilih dari {', '.join(FORMATS)}.")

    def write(self, template: str, context: dict[str, Any], stem: Path, kinds: list[str], meta: Meta | None = None,
              images: dict[str, bytes] | None = None) -> list[Path]:
        """Render, convert to each format, write each file whole (never half a file)."""
        meta = meta or Meta(stem.name, context["kantor"]["nama"], date(1980, 1, 2))
        images = self.images(context, images)
        written = []
        for kind in kinds:
            payload = self.convert(self.markdown(template, context, kind, images), kind, meta, images)
            target = stem.with_suffix(f".{kind}")
            write_atomic(target, payload)
            written.append(target)
        return written


def signatory(person: Person, title: str | None = None) -> dict[str, str]:
    """The signature block of whoever signs: name, NIP and the title signed under (e.g. "Plh. Kepala ..." for a
    stand-in; by default the person's own)."""
    return {"nama": person.name, "nip": person.nip, "jabatan": title or person.title}


def role_holder(office: Office, role: str) -> Person:
    """Who holds `role`: the head of Sub Bagian Hukum when they do (the SOP's owner), else the first holder."""
    head = office.head_of(office.hukum)
    holder: Person = head if role in head.roles else next(iter(office.with_role(role)), head)
    return holder


def signatory_on(office: Office, role: str, day: date | None) -> dict[str, str]:
    """Who signs for `role` on `day`: a *Plh* appointed for that day signs as "Plh. <title>" with their own name and
    NIP; otherwise the role's holder (the head of Sub Bagian Hukum for the Kasubbag's letters)."""
    if day is not None:
        acting = next((p for p in office.people if role not in p.roles and p.stand_in(role, day)), None)
        if acting is not None:
            return signatory(acting, f"Plh. {office.role_title(role)}")
    return signatory(role_holder(office, role))


def letterhead(identity: dict[str, str]) -> dict[str, str]:
    """The kop's lines from kantor.yaml: identity, address with postal code, telephone, e-mail, website."""
    address = identity["alamat"] + (f" {identity['kode_pos']}" if identity.get("kode_pos") else "")
    contacts = [f"{label} {identity[key]}" for key, label in (("telepon", "Telepon"), ("whatsapp", "WhatsApp"))
                if identity.get(key)]
    online = [f"{label} {identity[key]}" for key, label in (("email_pengaduan", "Surel"), ("situs_web", "Laman"))
              if identity.get(key)]
    return {**identity, "alamat_lengkap": address, "kontak": ", ".join(contacts), "daring": ", ".join(online)}


def history_dates(repo: Path, settings: Settings, record_id: str) -> dict[int, datetime]:
    """When each SOP step of the record was done on main (merge times), from the replayed history (one record's
    timeline from the replay's index, not all of them)."""
    try:
        timelines = main_timelines(repo, settings, record_id)
    except (LookupError, subprocess.CalledProcessError):  # no main: documents then leave the dates for the hand
        return {}
    timeline = next((t for t in timelines.values() if t.record_id == record_id and not t.removed), None)
    if timeline is None:
        return {}
    return {step: at for step in range(1, timeline.current + 1) if (at := timeline.done_at(step)) is not None}


def official_subject(record: dict[str, Any], settings: Settings) -> str:
    """The subject an official letter may carry: staff's third-person `perihal_dinas`, never the citizen's words."""
    if record.get("perihal_dinas"):
        return one_line(record["perihal_dinas"])
    category = settings.office.categories.get(str(record.get("kategori")), "")
    return f"Pengaduan masyarakat mengenai {category.lower()}" if category else "Pengaduan masyarakat"


def attachments(record: dict[str, Any]) -> list[str]:
    return [one_line(f"{a['berkas']}" + (f" ({a['keterangan']})" if a.get("keterangan") else ""))
            for a in record.get("lampiran", [])]


def letter_date(value: date | str, calendar: WorkCalendar, what: str, warnings: list[str]) -> date:
    """A letter's date; a warning when it is not a working day (a letter is signed on a working day)."""
    day = as_day(value)
    if not calendar.is_working_day(day):
        reason = calendar.holiday_name(day) or ("hari Sabtu" if day.weekday() == 5 else "hari Minggu")
        warnings.append(f"tanggal {what} {day_and_date(day)} bukan hari kerja ({reason}); hari kerja berikutnya "
                        f"{day_and_date(calendar.effective_day(day))}. Ubah `tanggal` bila surat ditandatangani "
                        "pada hari kerja.")
    return day


def record_context(record: dict[str, Any], settings: Settings, template: str, done: dict[int, datetime] | None = None,
                   warnings: list[str] | None = None) -> dict[str, Any]:
    """What a record's document template may use; fails clearly when a needed block is missing.

    The SOP file's `templat` entry for `template` says which block is the letter, who signs it and to whom it goes.
    `done`: when each step was done (from the history); `warnings` collects what the signer should know.
    """
    office = settings.office
    done = done or {}
    warnings = [] if warnings is None else warnings
    calendar = WorkCalendar.for_office(office)
    sop = settings.sop(record["versi_sop"]) or settings.current_sop
    received = record["diterima"]
    disposition = record.get(sop_rules.TARGET[0])
    target = sop_rules.target_of(record) or None
    given = sop_rules.disposition_step(sop)  # the disposition: its role (the Kasubbag) signs the office's side
    given_at = done.get(given.number)
    letter_day = received.get("tanggal_surat") or (received["waktu"] if received["saluran"] == "email" else None)
    context: dict[str, Any] = {
        "kantor": letterhead(office.identity),
        "pengaduan": {"id": record["id"], "perihal": official_subject(record, settings),
                      "diterima": received["waktu"], "nomor_agenda": received["nomor_agenda"],
                      "nomor_surat": received.get("nomor_surat"), "tanggal_surat": letter_day,
                      "saluran": office.channels.get(received["saluran"], received["saluran"])},
        "surat_dari": "Anonim" if record["pelapor"]["kerahasiaan"] == "anonim" else
        record["pelapor"].get("nama") or "-",
        "disposisi": disposition,
        "sub_bagian": [{"nama": name, "dipilih": key == target} for key, name in office.subdivisions.items()],
        "diteruskan_kepada": office.subdivisions.get(target) if target else None,
        "tanggal_disposisi": given_at,
        "kasubbag": signatory_on(office, given.role, as_day(given_at) if given_at else None),
        "tembusan": [],
        "lampiran": attachments(record),
    }
    spec = sop.templates.get(template, {})
    needed = spec.get("perlu", [spec[key] for key in ("surat", "blok") if key in spec])
    if any(block not in record for block in needed):
        raise DocumentError(f"{record['id']} belum punya blok " + " dan ".join(f"`{b}`" for b in needed) + ".")
    if "blok" in spec:
        context["blok"] = record[spec["blok"]]
    if "surat" in spec:
        nota = record[spec["surat"]]
        day = letter_date(nota["tanggal"], calendar, spec["surat"].replace("_", " "), warnings)

        def chosen_target() -> str:
            if not target:
                raise DocumentError(f"{record['id']} belum punya blok `{sop_rules.TARGET[0]}` (sub bagian tujuan).")
            return target

        def person(who: str) -> dict[str, str]:
            if who == sop_rules.HEAD_OF_TARGET:
                return signatory(office.head_of(chosen_target()))
            return signatory_on(office, sop_rules.role_of(sop, who), day)

        def addressed(who: str) -> str:
            if who == sop_rules.HEAD_OF_TARGET:
                return f"Kepala {office.subdivisions[chosen_target()]}"
            return role_holder(office, sop_rules.role_of(sop, who)).title

        signer = person(spec.get("penanda_tangan", sop_rules.DISPOSER))
        listed = context["lampiran"] if spec.get("lampiran", True) else []
        context.update(nota=nota, tanggal=day, yth=addressed(spec.get("kepada", sop_rules.HEAD_OF_TARGET)),
                       dari=signer["jabatan"], sifat=(disposition or {}).get("sifat"), penanda_tangan=signer,
                       jumlah_lampiran=nota.get("lampiran") or (counted(len(listed), "berkas") if listed else "-"),
                       lampiran=listed)
        if "rujukan" in spec:
            context["rujukan"] = record[spec["rujukan"]]
        answered_in = sop_rules.step_with_block(sop, spec.get("batas_jawaban", ""))
        if answered_in is not None:
            context["batas_jawaban"] = calendar.add_working_days(calendar.effective_day(day), answered_in.working_days)
    return context


TITLES = {"tanda-terima": "Tanda Terima Pengaduan", "surat-jawaban": "Surat Jawaban Pengaduan"}  # SOP's: `templat`


def record_meta(template: str, record: dict[str, Any], context: dict[str, Any], settings: Settings) -> Meta:
    """A record document's title and its own date: the letter's date, else the disposition's, else receipt."""
    day = context.get("tanggal") or context.get("tanggal_disposisi") or record["diterima"]["waktu"]
    sop = settings.sop(record["versi_sop"]) or settings.current_sop
    named = sop.templates.get(template, {}).get("judul") or TITLES.get(template)
    title = f"{named or template.replace('-', ' ').title()} {record['id']}"
    return Meta(title, settings.office.identity["nama"], as_day(day))


def load_valid_record(repo: Path, settings: Settings, record_id: str) -> tuple[str, dict[str, Any]]:
    """The record's path and data in the working tree (to edit it); an invalid record is refused, listing every
    problem."""
    rel = find_record(repo, record_id).relative_to(repo).as_posix()
    return rel, _checked(repo, settings, rel, (repo / rel).read_bytes(), repo)


def load_current_record(repo: Path, settings: Settings, record_id: str) -> tuple[dict[str, Any], str]:
    """(data, where it was read) of the record's most advanced version on main or an open branch: the version
    `status` reports, whatever is checked out. An invalid record is refused, listing every problem."""
    try:
        newest = read_queue(repo).newest(record_id)
    except LookupError:
        newest = None
    if newest is None:
        raise DocumentError(f"rekaman {record_id} tidak ditemukan di main maupun di cabang yang terbuka.")
    rel, blob, branch = newest
    (_, raw), = read_blobs_raw(repo, [blob])
    return _checked(repo, settings, rel, raw, None), (branch.place if branch else "di main")


def _checked(repo: Path, settings: Settings, rel: str, raw: bytes, root: Path | None) -> dict[str, Any]:
    record, text, problems = load_record_file(repo, rel, raw, settings=settings)
    problems += check_record(rel, record, text, settings, root) if record else []
    errors = [p.render() for p in problems if p.severity != WARNING]
    if errors or record is None:  # no record: load_record_file gave its reasons as errors
        raise DocumentError("rekaman belum sah; perbaiki dulu:\n" + "\n".join(errors))
    return record


def render_record_documents(repo: Path, settings: Settings, record_id: str, kinds: list[str], out: Path,
                            every_step: bool) -> tuple[list[Path], list[str], str]:
    """`pengaduan nota`: the documents the record's step calls for, warnings for the signer, and where the record
    was read (main or an open branch)."""
    record, source = load_current_record(repo, settings, record_id)
    names = documents_for(record, settings, every_step)
    if not names:
        raise DocumentError(f"langkah {record['langkah']} tidak menghasilkan dokumen (lihat `dokumen` di berkas SOP); "
                            "pakai --semua untuk dokumen langkah-langkah sebelumnya.")
    out.mkdir(parents=True, exist_ok=True)
    renderer = Renderer(templates_dir(repo))
    done = history_dates(repo, settings, record_id)
    written: list[Path] = []
    warnings: list[str] = []
    for name in names:
        context = record_context(record, settings, name, done, warnings)
        written += renderer.write(name, context, out / f"{record_id}-{name}", kinds,
                                  record_meta(name, record, context, settings))
    return written, warnings, source


def write_recap(repo: Path, start: date, end: date, label: str, stem: Path, kinds: list[str],
                now: datetime) -> tuple[int, list[Path]]:
    """`pengaduan rekap`: complaints received from `start` to `end`, with their status at `now`."""
    settings, items = collect(repo, now, strict=True)  # a recap for a report counts every complaint or refuses
    # the whole queue: complaints whose latest step is in an open pull request
    moving = {p.status.path: (r, p) for r, p in project_each(in_flight(repo, settings, now), settings, strict=True)}
    items = [(r, p) for r, p in items if p.status.path not in moving] + list(moving.values())
    chosen = [(r, p) for r, p in items if start <= p.status.received.astimezone(WIB).date() <= end]
    rows = recap_rows(chosen, settings)
    office = settings.office
    context = {"kantor": letterhead(office.identity), "periode": label, "tanggal": now.astimezone(WIB).date(),
               "baris": rows, "penanda_tangan": signatory(office.head_of(office.hukum)),
               "rekap": make_recap([p for _, p in chosen], settings.current_sop, WorkCalendar.for_office(office))}
    stem.parent.mkdir(parents=True, exist_ok=True)
    meta = Meta(f"Catatan dan Rekap Pengaduan Masyarakat {label}", office.identity["nama"], now.astimezone(WIB).date())
    written = Renderer(templates_dir(repo)).write("rekap", context, stem, [k for k in kinds if k in FORMATS], meta)
    return len(rows), written + write_table(rows, stem, [k for k in kinds if k in ("csv", "xlsx")], settings)


def find_record(repo: Path, record_id: str) -> Path:
    matches = sorted((repo / "records").glob(f"*/*/{record_id}.yaml"))
    if not matches:
        raise DocumentError(f"rekaman {record_id} tidak ditemukan di {repo / 'records'}.")
    return matches[0]


def documents_for(record: dict[str, Any], settings: Settings, every_step: bool) -> list[str]:
    """Templates the record's current step calls for (SOP data), or those of every step so far."""
    sop = settings.sop(record["versi_sop"]) or settings.current_sop
    current = min(record["langkah"], sop.last_step)
    steps = sop.steps[:current] if every_step else [sop.step(current)]
    names = [name for step in steps for name in step.documents]
    return list(dict.fromkeys(names))


RECAP_COLUMNS = {"nomor": "Nomor registrasi", "diterima": "Tanggal diterima", "kategori": "Kategori",
                 "saluran": "Saluran", "sub_bagian": "Sub bagian tujuan", "langkah": "Langkah terakhir",
                 "keadaan": "Keadaan", "hasil": "Hasil", "selesai": "Tanggal selesai",
                 "langkah_terlambat": "Langkah terlambat"}


def recap_rows(items: Iterable[tuple[dict[str, Any], Projection]], settings: Settings) -> list[dict[str, Any]]:
    """One row per complaint, typed (dates, numbers): category, when each step was done, result. No personal data."""
    sop = settings.current_sop
    rows = []
    for record, projection in items:
        status = projection.status
        target = sop_rules.target_of(record)
        closed_at = status.steps[-1].done_at if status.closed else None
        row = {"nomor": record["id"], "diterima": status.received.astimezone(WIB).date(),
               "kategori": projection.counted.category, "saluran": projection.counted.channel,
               "sub_bagian": settings.office.subdivisions.get(target) if target else "",
               "langkah": status.current, "keadaan": "selesai" if status.closed else "dalam proses",
               "hasil": record.get("rekap", {}).get("hasil", ""),
               "selesai": closed_at.astimezone(WIB).date() if closed_at else None,
               "langkah_terlambat": " ".join(str(r.step) for r in status.steps if r.late_by)}
        for spec in sop.steps[1:]:
            done = next((r.done_at for r in status.steps if r.step == spec.number and r.done_at), None)
            row[f"langkah_{spec.number}"] = done.astimezone(WIB).replace(tzinfo=None, second=0) if done else None
        rows.append(row)
    return rows


def _headers(columns: list[str], settings: Settings) -> list[str]:
    sop = settings.current_sop
    steps = {f"langkah_{s.number}": f"Langkah {s.number} selesai (WIB): {s.title}" for s in sop.steps}
    return [RECAP_COLUMNS.get(c) or steps.get(c, c) for c in columns]


def _csv_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return value.isoformat() if isinstance(value, date) else str(value)


def write_table(rows: list[dict[str, Any]], stem: Path, kinds: list[str], settings: Settings) -> list[Path]:
    """The recap's rows: CSV for machines (ISO dates, column keys), XLSX for people (typed cells, plain headers)."""
    columns = list(rows[0]) if rows else list(RECAP_COLUMNS)
    written = []
    for kind in kinds:
        target = stem.with_suffix(f".{kind}")
        if kind == "csv":
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\n")
            writer.writerow(columns)
            writer.writerows([_csv_value(row[c]) for c in columns] for row in rows)
            write_atomic(target, buffer.getvalue())
        else:
            write_atomic(target, _xlsx(columns, _headers(columns, settings), rows))
        written.append(target)
    return written


def _xlsx(columns: list[str], headers: list[str], rows: list[dict[str, Any]]) -> bytes:
    import openpyxl
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    book = openpyxl.Workbook()
    sheet = book.worksheets[0]  # the new workbook's one sheet (what `active` holds, typed Optional there)
    sheet.title = "Rekap"
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([row[c] for c in columns])
    for index, column in enumerate(columns, 1):
        letter = get_column_letter(index)
        width = max([len(headers[index - 1])] + [len(_csv_value(row[column])) for row in rows[:200]])
        sheet.column_dimensions[letter].width = min(60, width + 2)
        for cell in sheet[letter][1:]:
            if isinstance(cell.value, datetime):
                cell.number_format = "dd/mm/yyyy hh:mm"
            elif isinstance(cell.value, date):
                cell.number_format = "dd/mm/yyyy"
            elif isinstance(cell.value, str):
                cell.data_type = "s"  # text stays text: a value starting with '=' is not a formula
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = sheet.dimensions
    book.properties.creator = "pengaduan"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
