"""The recap site: figures and pages generated from the records, built by MkDocs.

`build_site` reads main's records and history, projects each record through
`projection.project` (the whitelist), and hands generated pages and data
files to MkDocs through the hooks file named in mkdocs.yml. The public build
never calls anything but the public projection.
"""
from __future__ import annotations

import csv
import io
import json
import logging
from dataclasses import dataclass, field
from datetime import datetime
from html import escape
from pathlib import Path
from typing import NamedTuple

from . import yamlio
from .audit import replay_repository
from .calendar import WIB, WorkCalendar
from .charts import bar_chart
from .config import Settings, load_settings
from .projection import Projection, internal_view, project
from .recap import make_recap
from .status import as_of, record_status

PROJECT_ROOT = Path(__file__).resolve().parents[2]
INTERNAL_MARKER = ".pengaduan-internal"
HOME_PLACEHOLDER = "<!-- rekap:beranda -->"
SOP_PLACEHOLDER = "<!-- sop:langkah -->"
PUBLIC_COLUMNS = ["nomor", "diterima", "kategori", "saluran", "langkah", "keadaan", "menunggu", "lewat_tenggat",
                  "sub_bagian", "hasil", "ringkasan"]
SHARDS = 256


class SiteError(Exception):
    """A site that must not be built; the message is for the user."""


@dataclass
class SiteBuild:
    """What the MkDocs hooks need during one build."""
    internal: bool
    now: datetime
    files: dict[str, str | bytes] = field(default_factory=dict)  # docs-relative path -> content
    placeholders: dict[str, str] = field(default_factory=dict)  # marker in a static page -> generated Markdown


CURRENT: SiteBuild | None = None


def shard_of(record_id: str) -> str:
    """FNV-1a (32-bit) of the tracking number, mod 256: the look-up script computes the same."""
    value = 0x811C9DC5
    for byte in record_id.encode("utf-8"):
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return f"{value % SHARDS:02x}"


def collect(repo: Path, now: datetime) -> tuple[Settings, list[tuple[dict, Projection]]]:
    settings = load_settings(repo)
    timelines, _ = replay_repository(repo, "main", settings)
    calendar = WorkCalendar.for_office(settings.office)
    result = []
    for path, timeline in sorted(timelines.items()):
        seen = None if timeline.removed else as_of(timeline, now)
        if seen is None or not (repo / path).is_file():
            continue
        try:
            record = yamlio.load_mapping((repo / path).read_bytes())
            status = record_status(seen, settings, calendar, now)
            result.append((record, project(record, status, settings)))
        except (yamlio.YamlProblem, KeyError, TypeError, ValueError, AttributeError):
            continue  # `pengaduan periksa` reports it; a broken record is never half-published
    return settings, result


class Link(NamedTuple):
    text: str
    href: str  # docs-relative, made by us


def _cell(value) -> str:
    if isinstance(value, Link):
        return f"[{_cell(value.text)}]({value.href})"
    text = "-" if value is None else str(value)
    return escape(text).replace("|", "&#124;").replace("[", "&#91;").replace("\n", " ")


def _table(headers: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def _percent(rate: float | None) -> str:
    return "-" if rate is None else f"{100 * rate:.0f}%"


class _Pages:
    """Markdown pages, SVG charts and data files for every scope (all, per year, per month)."""

    def __init__(self, settings: Settings, items: list[tuple[dict, Projection]], internal: bool, now: datetime):
        self.settings, self.items, self.internal, self.now = settings, items, internal, now
        self.calendar = WorkCalendar.for_office(settings.office)
        self.files: dict[str, str | bytes] = {}

    def _chart(self, name: str, title: str, rows, unit: str = "") -> str:
        self.files[f"grafik/{name}.svg"] = bar_chart(title, rows, unit)
        return f"grafik/{name}.svg"

    def dashboard(self, scope: str, label: str, projections: list[Projection], depth: int) -> str:
        recap = make_recap(projections, self.settings.current_sop, self.calendar)
        up = "../" * depth
        charts = [self._chart(f"{scope}-langkah", "Pengaduan menurut langkah SOP saat ini", recap.by_step),
                  self._chart(f"{scope}-kategori", "Pengaduan menurut kategori", recap.by_category),
                  self._chart(f"{scope}-saluran", "Pengaduan menurut saluran", recap.by_channel),
                  self._chart(f"{scope}-tepat-waktu", "Langkah yang selesai tepat waktu",
                              [(f"{r.step}. {r.title}", round(100 * r.rate)) for r in recap.rates if r.done], "%")]
        if len(recap.by_month) > 1:
            charts.append(self._chart(f"{scope}-bulan", "Pengaduan menurut bulan diterima", recap.by_month))
        lines = [f"Data per {self.now:%d-%m-%Y %H.%M} WIB. {label}", "",
                 _table(["Jumlah pengaduan", "Selesai", "Dalam proses", "Lewat tenggat",
                         "Hari kerja sampai selesai (median)", "Persentil ke-90"],
                        [[recap.total, recap.closed, recap.open, recap.overdue,
                          "-" if recap.close_median is None else f"{recap.close_median:g}",
                          "-" if recap.close_p90 is None else recap.close_p90]]), ""]
        if recap.secret:
            lines += [f"Termasuk {recap.secret} pengaduan *rahasia* yang hanya dihitung dalam jumlah.", ""]
        lines += [f"![{chart}]({up}{chart})" for chart in charts]
        lines += ["", "### Ketepatan waktu per langkah SOP", "",
                  _table(["Langkah", "Selesai", "Tepat waktu", "Persentase"],
                         [[f"{r.step}. {r.title}", r.done, r.on_time, _percent(r.rate)] for r in recap.rates]), ""]
        lines += self._open_list(projections, up)
        return "\n".join(lines) + "\n"

    def _open_list(self, projections: list[Projection], up: str) -> list[str]:
        rows = []
        for p in projections:
            if p.status.closed or (p.public is None and not self.internal):
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
        archive = ["# Arsip rekap", "", _table(["Tahun", "Jumlah", "Selesai"], [
            [Link(y, f"{y}/index.md"), sum(p.counted.month.startswith(y) for p in projections),
             sum(p.counted.closed and p.counted.month.startswith(y) for p in projections)] for y in years])]
        self.files["rekap/index.md"] = "\n".join(archive) + "\n"
        for year in years:
            in_year = [p for p in projections if p.counted.month.startswith(year)]
            months = sorted({p.counted.month for p in in_year})
            links = " · ".join(f"[{m[5:]}]({m[5:]}.md)" for m in months)
            self.files[f"rekap/{year}/index.md"] = (f"# Rekap pengaduan tahun {year}\n\nPer bulan: {links}\n\n"
                                                    + self.dashboard(year, f"Tahun {year}.", in_year, 2))
            for month in months:
                in_month = [p for p in in_year if p.counted.month == month]
                self.files[f"rekap/{year}/{month[5:]}.md"] = (
                    f"# Rekap pengaduan {month[5:]}/{year}\n\n"
                    + self.dashboard(month, f"Bulan {month[5:]}/{year}.", in_month, 2))
        self._data()
        return self.dashboard("semua", "Seluruh pengaduan yang tercatat.", projections, 0), self.files

    def _data(self) -> None:
        views = [internal_view(record, p) if self.internal else p.public for record, p in self.items]
        views = [v for v in views if v is not None]
        shards: dict[str, list] = {f"{n:02x}": [] for n in range(SHARDS)}
        for view in views:
            shards.setdefault(shard_of(view["nomor"]), []).append(view)
        for key, entries in shards.items():
            self.files[f"data/lacak/{key}.json"] = json.dumps(entries, ensure_ascii=False, separators=(",", ":"))
        public = [p.public for _, p in self.items if p.public is not None]  # open data: public in both builds
        self.files["data/pengaduan.json"] = json.dumps(public, ensure_ascii=False, indent=1)
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, PUBLIC_COLUMNS, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(public)
        self.files["data/pengaduan.csv"] = buffer.getvalue()


def config_file(repo: Path) -> Path:
    """The office repository's mkdocs.yml, or the project's own (for the demo repository)."""
    own = repo / "mkdocs.yml"
    return own if own.is_file() else PROJECT_ROOT / "mkdocs.yml"


def sop_markdown(settings: Settings) -> str:
    """The current SOP, from its data file: identity, legal basis, and the steps with their time limits."""
    sop = settings.current_sop
    rows = [[spec.number, settings.role_name(sop, spec.role, ""), spec.activity, spec.output or "-",
             f"{spec.working_days} hari kerja"] for spec in sop.steps]
    basis = "\n".join(f"{i}. {_cell(law)}" for i, law in enumerate(sop.legal_basis, 1))
    return (f"**{_cell(sop.name)}**, Prosedur Standar Operasional Nomor "
            f"{_cell(sop.number)}, disahkan {sop.approved_on:%d-%m-%Y} oleh {_cell(sop.approved_by['jabatan'])}.\n\n"
            + _table(["No", "Pelaksana", "Kegiatan", "Keluaran", "Waktu"], rows)
            + "\n\n### Dasar hukum\n\n" + basis + "\n")


def prepare(repo: Path, internal: bool, now: datetime) -> SiteBuild:
    from .queue import queued_counts
    settings, items = collect(repo, now)
    home, files = _Pages(settings, items, internal, now).build()
    waiting, late = queued_counts(repo, settings, now)  # counts only: nothing else from a branch is published
    files["data/antrean.json"] = json.dumps({"sedang_dicatat": waiting, "lewat_tenggat": late})
    if waiting:
        home += (f"\nSelain itu, {waiting} pengaduan baru sedang dalam pencatatan dan menunggu disposisi (belum "
                 f"termasuk dalam angka di atas); {late} di antaranya lewat tenggat.\n")
    return SiteBuild(internal, now, files, {HOME_PLACEHOLDER: home, SOP_PLACEHOLDER: sop_markdown(settings)})


class _Warnings(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def build_site(repo: Path, out: Path, internal: bool, now: datetime, strict: bool = False) -> int:
    """Build the site into `out`; returns the number of generated files. The internal build only into *-internal."""
    global CURRENT
    if internal and not out.name.endswith("internal"):
        raise SiteError(f"situs INTERNAL hanya boleh dibangun ke folder yang namanya berakhiran 'internal' "
                        f"(misalnya site-internal), bukan {out}.")
    if not internal and (out / INTERNAL_MARKER).exists():
        raise SiteError(f"folder {out} berisi situs INTERNAL; hapus dulu atau pilih folder lain.")
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException
    CURRENT = prepare(repo, internal, now)
    warnings = _Warnings()
    logging.getLogger("mkdocs").addHandler(warnings)
    try:
        config = load_config(str(config_file(repo)), site_dir=str(out.resolve()), strict=strict)
        build(config)
    except MkDocsException as error:
        details = "".join(f"\n  - {message}" for message in warnings.messages)
        raise SiteError(f"MkDocs gagal membangun situs: {error}{details}") from None
    finally:
        logging.getLogger("mkdocs").removeHandler(warnings)
        generated, CURRENT = len(CURRENT.files), None
    if internal:
        (out / INTERNAL_MARKER).write_text("Situs ini berisi data pribadi. Jangan diterbitkan.\n", "utf-8")
    return generated
