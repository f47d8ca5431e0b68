"""The recap site: figures and pages generated from the records, built by MkDocs.

`build_site` reads main's records and history, projects each record through
`projection.project` (the whitelist), and hands generated pages and data
files to MkDocs through the `pengaduan` plugin named in mkdocs.yml. The public build
never calls anything but the public projection.
"""
from __future__ import annotations

import csv
import io
import json
import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from html import escape
from pathlib import Path
from typing import Any, NamedTuple

from jinja2.exceptions import SecurityError
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from .. import data
from ..core import mailform
from ..core.config import Settings
from ..core.errors import PengaduanError
from ..core.formatting import MONTHS, decimal, long_date, long_time, month_year
from ..core.wording import SECRECY
from ..history.calendar import WIB, WorkCalendar
from ..queue import queued_counts
from .charts import figure
from .projection import (OFFICE_CHOICES, Column, Projection, cell, collect, internal_view, merge_small,
                         open_data, publishable)
from .recap import Recap, make_recap

INTERNAL_MARKER = ".pengaduan-internal"
HOME_PLACEHOLDER = "<!-- rekap:beranda -->"
SOP_PLACEHOLDER = "<!-- sop:langkah -->"
CONTACT_PLACEHOLDER = "<!-- kantor:kontak -->"
FORM_PLACEHOLDER = "<!-- formulir:pengaduan -->"
# the office's names from kantor.yaml, in pages and in mkdocs.yml (site_name, site_description, copyright)
OFFICE_PLACEHOLDERS = {"<!-- kantor:sekretariat -->": "sekretariat", "<!-- kantor:singkatan -->": "singkatan"}
DICTIONARY_PLACEHOLDER = "<!-- data:kamus -->"  # the open data's columns, in docs/data.md
SHARDS = 256


class SiteError(PengaduanError):
    """A site that must not be built; the message is for the user."""


@dataclass
class SiteBuild:
    """What the MkDocs hooks need during one build."""
    internal: bool
    now: datetime
    files: dict[str, str | bytes] = field(default_factory=dict)  # docs-relative path -> content
    placeholders: dict[str, str] = field(default_factory=dict)  # marker in a static page -> generated Markdown
    commit: str | None = None  # the commit of main the site is built from


CURRENT: SiteBuild | None = None


def shard_of(record_id: str) -> str:
    """FNV-1a (32-bit) of the tracking number, mod 256: the look-up script computes the same."""
    value = 0x811C9DC5
    for byte in record_id.encode("utf-8"):
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return f"{value % SHARDS:02x}"


class Link(NamedTuple):
    text: str
    href: str  # docs-relative, made by us


class Code(str):
    """A name shown as code (a column name: our own text)."""


class Raw(str):
    """Markdown written by us (the package's data dictionary), put into a cell as it is, on one line."""


def _cell(value: object) -> str:
    if isinstance(value, Link):
        return f"[{_cell(value.text)}]({value.href})"
    if isinstance(value, Code):
        return f"`{value}`"
    if isinstance(value, Raw):
        return " ".join(value.split()).replace("|", "&#124;")
    text = "-" if value is None else str(value)
    return escape(text).replace("|", "&#124;").replace("[", "&#91;").replace("\n", " ")


def _table(headers: list[str], rows: list[list[object]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


class _Pages:
    """Markdown pages (with inline SVG charts) and data files for every scope (all, per year, per month)."""

    def __init__(self, settings: Settings, items: list[tuple[dict[str, Any], Projection]], internal: bool,
                 now: datetime) -> None:
        self.settings, self.items, self.internal, self.now = settings, items, internal, now
        self.calendar = WorkCalendar.for_office(settings.office)
        self.minimum = settings.office.min_public_cell
        self.files: dict[str, str | bytes] = {}

    def _charts(self, scope: str, shown: list[Projection], recap: Recap) -> list[str]:
        """Every breakdown, from non-rahasia complaints only (`shown`, `recap`), with small cells merged."""
        targets = Counter((p.public or {}).get("sub_bagian") or "Belum didisposisi" for p in shown)
        merged = self.minimum
        breakdowns = [
            ("langkah", "Menurut langkah SOP yang sudah dicapai", "Langkah",
             merge_small(recap.by_step, merged, "Langkah lain (digabung)")),
            ("kategori", "Menurut kategori", "Kategori", merge_small(recap.by_category, merged)),
            ("saluran", "Menurut saluran masuk", "Saluran", merge_small(recap.by_channel, merged)),
            ("sub-bagian", "Menurut sub bagian yang menindaklanjuti", "Sub bagian",
             merge_small(targets.most_common(), merged)),
        ]
        if len(recap.by_month) > 1:
            breakdowns.append(("bulan", "Menurut bulan diterima", "Bulan",
                               merge_small([(month_year(m), n) for m, n in recap.by_month], merged,
                                           "Bulan lain (digabung)")))
        lines = []
        for name, title, header, rows in breakdowns:
            if rows:
                caption = f"Pengaduan {title[0].lower()}{title[1:]}"
                lines += [f"### {title}", "",
                          figure(f"grafik-{scope}-{name}", caption, rows, [header, "Jumlah pengaduan"], minimum=merged),
                          ""]
        rates = [r for r in recap.rates if r.done >= self.minimum]
        if rates:
            lines += ["### Ketepatan waktu per langkah SOP", "",
                      figure(f"grafik-{scope}-tepat-waktu", "Persentase langkah yang selesai tepat waktu",
                             [(f"{r.step}. {r.title}", round(100 * (r.rate or 0))) for r in rates],
                             ["Langkah", "Tepat waktu"], "%", merged), "",
                      _table(["Langkah", "Selesai", "Tepat waktu"],
                             [[f"{r.step}. {r.title}", r.done, cell(r.on_time, self.minimum)] for r in rates]), ""]
        return lines

    def dashboard(self, scope: str, label: str, projections: list[Projection], depth: int) -> str:
        shown = publishable(projections)
        recap = make_recap(shown, self.settings.current_sop, self.calendar)
        enough = len(shown) >= self.minimum
        closed_enough = recap.closed >= self.minimum
        lines = [f"Data per {long_time(self.now)}. {label}", "",
                 _table(["Ukuran", "Jumlah"], [
                     ["Pengaduan diterima (termasuk yang rahasia)", len(projections)],
                     ["Pengaduan rahasia (hanya dihitung di baris atas)", len(projections) - len(shown)],
                     ["Pengaduan yang dirinci di halaman ini", len(shown)],
                     ["Selesai", cell(recap.closed, self.minimum)],
                     ["Dalam proses", cell(recap.open, self.minimum)],
                     ["Lewat tenggat", cell(recap.overdue, self.minimum)],
                     ["Hari kerja sampai selesai (median)",
                      decimal(recap.close_median) if closed_enough else "-"],
                     ["Hari kerja sampai selesai (persentil ke-90)", recap.close_p90 if closed_enough else "-"]]),
                 ""]
        if enough:
            lines += self._charts(scope, shown, recap)
        else:
            lines += [f"Rincian tidak ditampilkan: kurang dari {self.minimum} pengaduan yang dapat dirinci, "
                      "sehingga rincian dapat menunjuk pengaduan tertentu. Lihat [Privasi]"
                      f"({'../' * depth}privasi.md).", ""]
        lines += self._open_list(projections, "../" * depth)
        return "\n".join(lines) + "\n"

    def _open_list(self, projections: list[Projection], up: str) -> list[str]:
        rows = []
        for p in projections:
            if p.status.open_step is None or (p.public is None and not self.internal):  # no open step: closed
                continue
            age = self.calendar.working_days_between(p.status.received.astimezone(WIB).date(),
                                                     self.now.astimezone(WIB).date())
            waiting = p.status.open_step
            number = p.status.record_id
            rows.append([Link(number, f"{up}lacak.md#{number}"), p.counted.category,
                         f"{waiting.step}. {waiting.title}", age, "Ya" if p.counted.overdue else "Tidak"])
        if not rows:
            return ["Tidak ada pengaduan yang masih dalam proses."]
        return ["### Pengaduan dalam proses", "",
                _table(["Nomor", "Kategori", "Menunggu langkah", "Umur (hari kerja)", "Lewat tenggat"], rows)]

    def build(self) -> tuple[str, dict[str, str | bytes]]:
        projections = [p for _, p in self.items]
        years = sorted({p.counted.month[:4] for p in projections})
        archive = ["# Arsip rekap", "", _table(["Tahun", "Pengaduan diterima"], [
            [Link(y, f"{y}/index.md"), sum(p.counted.month.startswith(y) for p in projections)] for y in years])]
        self.files["rekap/index.md"] = "\n".join(archive) + "\n"
        for year in years:
            in_year = [p for p in projections if p.counted.month.startswith(year)]
            months = sorted({p.counted.month for p in in_year})
            links = " · ".join(f"[{MONTHS[int(m[5:]) - 1]}]({m[5:]}.md)" for m in months)
            self.files[f"rekap/{year}/index.md"] = (f"# Rekap pengaduan tahun {year}\n\nPer bulan: {links}\n\n"
                                                    + self.dashboard(year, f"Tahun {year}.", in_year, 2))
            for month in months:
                in_month = [p for p in in_year if p.counted.month == month]
                self.files[f"rekap/{year}/{month[5:]}.md"] = (
                    f"# Rekap pengaduan {month_year(month)}\n\n"
                    + self.dashboard(month, f"Bulan {month_year(month)}.", in_month, 2))
        self._data()
        return self.dashboard("semua", "Seluruh pengaduan yang tercatat.", projections, 0), self.files

    def _data(self) -> None:
        public = [p.public for _, p in self.items if p.public is not None]  # open data: public in both builds
        public_rows = [compact_json(view) for view in public]
        if self.internal:
            views = [internal_view(record, p) for record, p in self.items]
            view_rows = [compact_json(view) for view in views]
        else:
            views, view_rows = public, public_rows  # each row encoded once, for the data file and the look-up
        shards: dict[str, list[str]] = {f"{n:02x}": [] for n in range(SHARDS)}
        for view, row in zip(views, view_rows):
            shards[shard_of(view["nomor"])].append(row)
        as_of = self.now.astimezone(WIB).date().isoformat()
        for key, rows in shards.items():  # scripts, not JSON: a page opened from disk may load them
            self.files[f"{LOOKUP_DIR}/{key}.js"] = lookup_script(key, as_of, rows)
        self.files["data/pengaduan.json"] = "[\n" + ",\n".join(public_rows) + "\n]\n"
        self.files["data/pengaduan.csv"] = public_csv(public)
        self.files["data/datapackage.json"] = json.dumps(datapackage(self.settings, self.now), ensure_ascii=False,
                                                         indent=1)


LOOKUP_DIR = "lacak/indeks"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def compact_json(value: object) -> str:
    """One value as compact JSON on one line, by json's C encoder (any `indent` makes json fall back to its
    pure-Python encoder, seconds for 10,000 rows). data/pengaduan.json is a JSON array of such rows, one per line:
    readable and diffable."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def lookup_script(key: str, as_of: str, rows: list[str]) -> str:
    """One look-up shard (`rows`: its entries as compact_json) as a script that registers them (JSON is valid
    JavaScript): {"per": as_of, "pengaduan": [...]}."""
    payload = f'{{"per":{compact_json(as_of)},"pengaduan":[{",".join(rows)}]}}'
    payload = payload.replace("<", "\\u003c")  # never a closing tag, whatever a summary says
    return f'(window.PENGADUAN_LACAK=window.PENGADUAN_LACAK||{{}})["{key}"]={payload};\n'


def spreadsheet_safe(value: object) -> object:
    """A text cell that a spreadsheet would read as a formula gets a leading apostrophe (OWASP advice)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    return value


def public_csv(public: list[dict[str, Any]], columns: tuple[Column, ...] | None = None) -> str:
    names = csv_columns(columns)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, names, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows({key: spreadsheet_safe(row.get(key)) for key in names} for row in public)
    return buffer.getvalue()


def csv_columns(columns: tuple[Column, ...] | None = None) -> list[str]:
    """The columns of data/pengaduan.csv (the JSON file has every column)."""
    return [column.name for column in columns or open_data() if column.csv]


def _field(column: Column, settings: Settings) -> dict[str, Any]:
    """One column as a Frictionless Data field."""
    field: dict[str, Any] = {"name": column.name, "type": column.kind, "description": column.about.replace("`", "")}
    if column.kind == "date":
        field["format"] = "%Y-%m-%d"
    if column.kind == "boolean":  # as the CSV writes them (spreadsheet_safe); JSON has true and false
        field.update(trueValues=["ya"], falseValues=["tidak"])
    constraints: dict[str, Any] = {}
    if column.required:
        constraints["required"] = True
    if column.unique:
        constraints["unique"] = True
    if column.minimum is not None:
        constraints["minimum"] = column.minimum
    if column.maximum is not None:
        constraints["maximum"] = column.maximum
    if column.choices in OFFICE_CHOICES:
        names = settings.office.categories if column.choices == "kategori" else settings.office.channels
        constraints["enum"] = sorted({*names.values(), "Lainnya"})
    elif isinstance(column.choices, tuple):
        constraints["enum"] = list(column.choices)
    if constraints:
        field["constraints"] = constraints
    return field


def datapackage(settings: Settings, now: datetime, columns: tuple[Column, ...] | None = None) -> dict[str, Any]:
    """Frictionless Data Package describing every file in data/ (fields from schema/data-terbuka.yaml)."""
    office = settings.office
    columns = columns or open_data()
    fields = [_field(column, settings) for column in columns]
    key = [column.name for column in columns if column.unique][:1]
    return {
        "name": "pengaduan-masyarakat",
        "title": f"Rekap pengaduan masyarakat {office.identity['sekretariat']}",
        "description": "Satu baris per pengaduan yang tidak bersifat rahasia; tanpa data pribadi.",
        "created": now.astimezone(WIB).isoformat(timespec="seconds"),
        "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
                      "title": "Creative Commons Attribution 4.0"}],
        "resources": [
            {"name": "pengaduan-csv", "type": "table", "path": "pengaduan.csv", "format": "csv", "mediatype": "text/csv",
             "encoding": "utf-8", "title": "Pengaduan (CSV, untuk lembar kerja)",
             "dialect": {"delimiter": ",", "header": True},
             "schema": {"fields": [f for f, c in zip(fields, columns) if c.csv], "primaryKey": key,
                        "missingValues": [""]}},
            {"name": "pengaduan-json", "type": "table", "path": "pengaduan.json", "format": "json", "mediatype": "application/json",
             "encoding": "utf-8", "title": "Pengaduan (JSON, dengan linimasa setiap langkah)",
             "schema": {"fields": fields, "primaryKey": key}},
            {"name": "rantai-kepala", "type": "table", "path": "rantai_kepala.json", "format": "json",
             "mediatype": "application/json", "encoding": "utf-8",
             "title": "Rantai kepala main yang diaudit dan diterbitkan (tanpa data pribadi)",
             "schema": {"fields": [
                 {"name": "kepala", "type": "string", "description": "komit Git kepala cabang main"},
                 {"name": "waktu", "type": "datetime", "format": "%Y-%m-%dT%H:%M:%S%z",
                  "description": "kapan kepala itu diaudit atau diterbitkan, WIB (ISO 8601)"},
                 {"name": "jenis", "type": "string", "constraints": {"enum": ["audit", "terbit"]},
                  "description": "audit atau terbit"}]}},
        ],
    }


def dictionary_markdown(columns: tuple[Column, ...] | None = None) -> str:
    """The data dictionary of the "Data terbuka" page: the CSV's columns, then those only the JSON file has."""
    columns = columns or open_data()
    both = _table(["Kolom", "Isi"], [[Code(c.name), Raw(c.about)] for c in columns if c.csv])
    only_json = [c for c in columns if not c.csv]
    if not only_json:
        return both + "\n"
    return (both + "\n\nBerkas JSON menambahkan kolom berikut:\n\n"
            + _table(["Kolom", "Isi"], [[Code(c.name), Raw(c.about)] for c in only_json]) + "\n")


def config_file(repo: Path) -> Path:
    """The office repository's mkdocs.yml (with the docs/ and theme folders it names, the office's own), or,
    when it has none (the demo repository), the package's, which brings the package's docs/ and overrides."""
    own = repo / "mkdocs.yml"
    return own if own.is_file() else data.OFFICE / "mkdocs.yml"


def sop_markdown(settings: Settings) -> str:
    """The current SOP, from its data file: identity, legal basis, and the steps with their time limits."""
    sop = settings.current_sop
    rows = [[spec.number, settings.role_name(sop, spec.role, ""), spec.activity, spec.output or "-",
             f"{spec.working_days} hari kerja"] for spec in sop.steps]
    basis = "\n".join(f"{i}. {_cell(law)}" for i, law in enumerate(sop.legal_basis, 1))
    return (f"**{_cell(sop.name)}**, Prosedur Standar Operasional Nomor "
            f"{_cell(sop.number)}, disahkan {long_date(sop.approved_on)} oleh {_cell(sop.approved_by['jabatan'])}.\n\n"
            + _table(["No", "Pelaksana", "Kegiatan", "Keluaran", "Waktu"], rows)
            + "\n\n### Dasar hukum\n\n" + basis + "\n")


def contact_markdown(identity: dict[str, str]) -> str:
    """The office's contact details from kantor.yaml, for "Cara mengadu" and the form page."""
    rows: list[tuple[str, Link | str]] = []
    if identity.get("email_pengaduan"):
        rows.append(("Surel", Link(identity["email_pengaduan"], f"mailto:{identity['email_pengaduan']}")))
    for key, label in (("telepon", "Telepon"), ("whatsapp", "WhatsApp")):
        if identity.get(key):
            digits = "".join(c for c in identity[key] if c.isdigit() or c == "+")
            rows.append((label, Link(identity[key], f"tel:{digits}")))
    address = ", ".join(v for v in (identity.get("alamat"), identity.get("kode_pos")) if v)
    rows.append(("Alamat kantor", f"{identity['sekretariat']}, {address}"))
    if identity.get("jam_layanan"):
        rows.append(("Jam layanan", identity["jam_layanan"]))
    if identity.get("lapor_url"):
        rows.append(("SP4N-LAPOR!", Link(identity["lapor_url"], identity["lapor_url"])))
    if identity.get("situs_web"):
        rows.append(("Situs web kantor", Link(identity["situs_web"], identity["situs_web"])))
    return "\n".join(f"- **{label}**: {_cell(value)}" for label, value in rows) + "\n"


def form_html(settings: Settings) -> str:
    """The "Sampaikan pengaduan" form; its labels come from `mailform`, so the e-mail it composes reads back."""
    office = settings.office
    labels = {key: label for key, label, _ in mailform.FIELDS}
    address = escape(office.identity.get("email_pengaduan", ""))

    def text_field(key: str, hint: str, kind: str = "text", required: bool = False, extra: str = "") -> str:
        star = ' <span aria-hidden="true">*</span>' if required else ""
        need = " required" if required else ""
        return (f'<p class="formulir-isian"><label for="f-{key}">{escape(labels[key])}{star}</label>'
                f'<span class="formulir-petunjuk" id="f-{key}-petunjuk">{escape(hint)}</span>'
                f'<input id="f-{key}" name="{key}" type="{kind}" data-label="{escape(labels[key])}" '
                f'aria-describedby="f-{key}-petunjuk"{need}{extra}></p>')

    secrecy = "".join(
        f'<label class="formulir-pilihan"><input type="radio" name="kerahasiaan" value="{value}"'
        f'{" checked" if value == "terbuka" else ""} data-label="{escape(labels["kerahasiaan"])}"> '
        f"<strong>{value}</strong>: {escape(meaning)}</label>" for value, meaning in SECRECY_MEANINGS)
    categories = "".join(f'<option value="{escape(key)} ({escape(name)})">{escape(name)}</option>'
                         for key, name in office.categories.items())
    return (
        f'<form id="formulir-pengaduan" class="formulir" data-kepada="{address}" '
        f'data-awal="{escape(mailform.START)}" data-akhir="{escape(mailform.END)}" '
        f'data-subjek="{escape(mailform.SUBJECT_PREFIX)}">'
        '<p>Kolom bertanda * wajib diisi. Data pribadi hanya dibaca petugas dan tidak pernah tampil di situs ini.</p>'
        + text_field("nama", "Boleh dikosongkan bila Anda tidak ingin menyebut nama.", extra=' autocomplete="name"')
        + text_field("nik", "16 angka, bila ada. Membantu petugas memeriksa data pemilih.",
                     extra=' inputmode="numeric" autocomplete="off"')
        + text_field("telepon", "Agar petugas dapat menghubungi Anda.", "tel", extra=' autocomplete="tel"')
        + text_field("alamat", "Desa/kelurahan dan kecamatan sudah cukup.", extra=' autocomplete="street-address"')
        + f'<fieldset class="formulir-isian"><legend>{escape(labels["kerahasiaan"])} *</legend>{secrecy}</fieldset>'
        + f'<p class="formulir-isian"><label for="f-kategori">{escape(labels["kategori"])}</label>'
        f'<select id="f-kategori" name="kategori" data-label="{escape(labels["kategori"])}">{categories}</select></p>'
        + text_field("perihal", "Satu kalimat pendek, misalnya: Nama saya tidak ada di DPT TPS 5.", required=True)
        + f'<p class="formulir-isian"><label for="f-uraian">{escape(labels["uraian"])} <span aria-hidden="true">*'
        '</span></label><span class="formulir-petunjuk" id="f-uraian-petunjuk">Apa yang terjadi, kapan, di mana '
        '(desa, kecamatan, nomor TPS) dan siapa yang terlibat.</span><textarea id="f-uraian" name="uraian" rows="8" '
        f'data-label="{escape(labels["uraian"])}" aria-describedby="f-uraian-petunjuk" required></textarea></p>'
        '<p><button type="submit" class="md-button md-button--primary">Susun surel pengaduan</button></p></form>'
        '<div id="formulir-hasil" class="formulir-hasil" hidden><h2 id="formulir-siap" tabindex="-1">Surel siap '
        f'dikirim</h2><p><a id="formulir-tautan" class="md-button md-button--primary" href="mailto:{address}">'
        'Buka di aplikasi surel</a></p><p>Lampirkan foto atau dokumen bukti di aplikasi surel sebelum mengirim. '
        f'Bila aplikasi surel tidak terbuka, salin teks di bawah ini dan kirim ke <strong>{address}</strong>.</p>'
        '<p><label for="formulir-teks">Teks surel</label><textarea id="formulir-teks" rows="12" readonly>'
        '</textarea></p></div>')


SECRECY_MEANINGS = tuple(SECRECY.items())  # one wording for the form, the pages, the CLI and the guides


def prepare(repo: Path, internal: bool, now: datetime, source: Path | None = None,
            records: dict[str, dict[str, Any]] | None = None, commit: str | None = None,
            chain: list[dict[str, str]] | None = None, extra: dict[str, bytes] | None = None,
            strict: bool = False) -> SiteBuild:
    settings, items = collect(repo, now, source, records, strict)
    home, files = _Pages(settings, items, internal, now).build()
    waiting, late = queued_counts(repo, settings, now)  # counts only: nothing else from a branch is published
    if waiting:
        home += (f"\nSelain itu, {waiting} pengaduan baru sedang dalam pencatatan dan menunggu disposisi (belum "
                 f"termasuk dalam angka di atas); {late} di antaranya lewat tenggat.\n")
    if commit:
        files["versi.json"] = json.dumps({"komit": commit, "dibangun": now.isoformat(timespec="seconds")})
    # the heads of main audited and published (commit ids and times): a later rewrite shows against it
    files["data/rantai_kepala.json"] = json.dumps(chain or [], indent=1)
    files.update(extra or {})  # the INTERNAL build's attachment files
    return SiteBuild(internal, now, files, {HOME_PLACEHOLDER: home, SOP_PLACEHOLDER: sop_markdown(settings),
                                            CONTACT_PLACEHOLDER: contact_markdown(settings.office.identity),
                                            FORM_PLACEHOLDER: form_html(settings),
                                            DICTIONARY_PLACEHOLDER: dictionary_markdown(),
                                            **{marker: _cell(settings.office.identity[key])
                                               for marker, key in OFFICE_PLACEHOLDERS.items()}}, commit)


class _Warnings(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def build_site(repo: Path, out: Path, internal: bool, now: datetime, strict: bool = False, source: Path | None = None,
               records: dict[str, dict[str, Any]] | None = None, commit: str | None = None,
               chain: list[dict[str, str]] | None = None, extra: dict[str, bytes] | None = None,
               generated: Callable[[dict[str, str | bytes]], None] | None = None) -> int:
    """Build the site into `out`; returns the number of generated files. The internal build only into *-internal.

    `source` is a copy of main's tree and `records` main's records (see publish.build): the published site
    never reads the working tree. `generated` is given the generated files before MkDocs runs (the leak scan
    reads the data files meanwhile, see publish.scan_after)."""
    global CURRENT
    if internal and not out.name.endswith("internal"):
        raise SiteError(f"situs INTERNAL hanya boleh dibangun ke folder yang namanya berakhiran 'internal' "
                        f"(misalnya site-internal), bukan {out}.")
    if not internal and (out / INTERNAL_MARKER).exists():
        raise SiteError(f"folder {out} berisi situs INTERNAL; hapus dulu atau pilih folder lain.")
    CURRENT = prepare(repo, internal, now, source, records, commit, chain, extra, strict)
    if generated:
        generated(CURRENT.files)
    warnings = _Warnings()
    logging.getLogger("mkdocs").addHandler(warnings)
    try:
        config = load_config(str(config_file(source or repo)), site_dir=str(out.resolve()), strict=strict)
        build(config)
    except MkDocsException as error:
        details = "".join(f"\n  - {message}" for message in warnings.messages)
        raise SiteError(f"MkDocs gagal membangun situs: {error}{details}") from None
    except SecurityError as error:  # a template outside Jinja's sandbox (see mkdocs_plugin.sandboxed)
        details = "".join(f"\n  - {message}" for message in warnings.messages)
        raise SiteError(f"templat tampilan situs (templates/situs atau extra_templates) mencoba menjangkau bagian "
                        f"dalam Python ({error}); itu tidak diizinkan karena bisa menjalankan kode saat situs "
                        f"dibangun. Perbaiki templatnya lewat pull request.{details}") from None
    finally:
        logging.getLogger("mkdocs").removeHandler(warnings)
        made, CURRENT = len(CURRENT.files), None
    if internal:
        (out / INTERNAL_MARKER).write_text("Situs ini berisi data pribadi. Jangan diterbitkan.\n", "utf-8")
    return made
