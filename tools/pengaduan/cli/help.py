"""Help that teaches: what each command's options accept (the office's own ids), and where documents go.

One table per command name, written after the command's own help (its `Contoh:` line stays in its docstring).
The ids come from the repository's `tools/config/kantor.yaml` when the command runs inside one.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import click

from ..core import private_output
from ..core.config import Settings
from ..core.wording import SECRECY

TIME_FORM = "2026-03-02T09:15 (dibaca WIB) atau 2026-03-02T09:15+07:00"
DATE_FORM = "2026-03-02 (tahun-bulan-tanggal)"
NUMBER_FORM = "NOMOR: nomor registrasi seperti PGD-2026-00012; huruf kecil dan spasi di tepi juga diterima."
NO_SETTINGS = "(jalankan dari folder repositori pengaduan untuk melihat daftarnya; sumbernya tools/config/kantor.yaml)"
DOCUMENT_COMMANDS = ("nota", "rekap", "evaluasi", "tanda-terima", "jawaban")
COMMITTING_COMMANDS = ("baru", "lanjut", "nomor-ulang")

# Examples that replace a command's own `Contoh:` line. They use numbers of the demo the docs are tested on
# (`pengaduan demo build/demo --jumlah 40 --benih 11 --sampai 2026-11-27`), and every one of them runs there.
EXAMPLES = {
    "periksa": ["pengaduan periksa", "pengaduan --repo build/demo periksa --ketat"],
    "demo": ["pengaduan demo build/demo --jumlah 40 --benih 11 --sampai 2026-11-27"],
    "nota": ["pengaduan nota PGD-2026-00018", "pengaduan nota PGD-2026-00012 --semua --format docx,pdf,html --keluar ../dokumen-pengaduan"],
    "lanjut": ["pengaduan lanjut PGD-2026-00008 --kepada teknis --sifat segera", "pengaduan lanjut PGD-2026-00018"],
    "bentrok": ["pengaduan bentrok --cabang PGD-2026-00008-langkah-2"],
    "nomor-ulang": ["pengaduan nomor-ulang PGD-2026-00008"],
    "identitas": ["pengaduan identitas", "pengaduan identitas --atur nurul"],
}

# A note is a paragraph (str), or a titled section: (title, {id: meaning}) as a list, or (title, [lines]) kept
# unwrapped so that commands can be copied whole.
Note = str | tuple[str, dict[str, str] | list[str]]

OVERVIEW: list[Note] = [
    ("Mulai di sini", {"pengaduan identitas": "periksa identitas Git Anda terhadap daftar personel",
                       "pengaduan status": "pengaduan yang dalam proses dan yang lewat tenggat",
                       "pengaduan PERINTAH --help": "bantuan dan contoh tiap perintah"}),
    "Panduan per peran: docs/panduan/. Semua perintah dengan contoh: docs/petugas/perintah.md.",
]


def _ids(title: str, entries: dict[str, str] | None) -> list[Note]:
    return [f"{title}: {NO_SETTINGS}"] if entries is None else [(title, entries)]


def _baru(settings: Settings | None) -> list[Note]:
    office = settings.office if settings else None
    return (_ids("Id --saluran", office.channels if office else None)
            + _ids("Id --kategori", office.categories if office else None)
            + [("Pilihan --kerahasiaan", dict(SECRECY)),
               ("Bentuk waktu dan tanggal", {"--waktu": TIME_FORM, "--tanggal-surat": DATE_FORM}),
               ("Contoh lain", ["pengaduan baru --saluran langsung --waktu 2026-11-27T10:00 --nama \"Nama Pelapor\" "
                                "--perihal \"Lokasi TPS\" --uraian \"...\" --kerahasiaan anonim "
                                "--kategori logistik-tps"])])


def _lanjut(settings: Settings | None) -> list[Note]:
    office = settings.office if settings else None
    notes = (_ids("Id --kepada (sub bagian tujuan disposisi)", office.subdivisions if office else None)
             + [NUMBER_FORM, "Langkah 2 (pencatatan) dibuat dengan pengaduan baru."])
    if settings is not None:  # who may prepare each step: the SOP's roles, as `lanjut` enforces them
        sop = settings.current_sop
        notes.append((f"Yang menyiapkan tiap langkah (SOP Nomor {sop.number}); yang lain ditolak",
                      {str(step.number): f"{step.title}: {sop.roles[step.role]['nama']}" for step in sop.steps[2:]}))
    return notes


def _identitas(settings: Settings | None) -> list[Note]:
    office = settings.office if settings else None
    people = None if office is None else {p.id: f"{p.name} ({p.title})" for p in office.people}
    return _ids("Id --atur (daftar personel)", people)


def _documents(settings: Settings | None) -> list[Note]:
    return [f"Tanpa --keluar, dokumen ditulis ke {private_output.default_folder()} (di luar repositori; ubah dengan "
            f"variabel {private_output.ENVIRONMENT}). Folder di dalam repositori hanya diterima bila diabaikan Git, "
            "agar data pelapor tidak ikut terkomit."]


def _status(settings: Settings | None) -> list[Note]:
    return [NUMBER_FORM, f"Bentuk --pada: {DATE_FORM}."]


NOTES: dict[str, Callable[[Settings | None], list[Note]]] = {
    "baru": _baru, "lanjut": _lanjut, "identitas": _identitas, "status": _status,
    "nomor-ulang": lambda settings: [NUMBER_FORM],
    "terkirim": lambda settings: [NUMBER_FORM, f"Bentuk --waktu: {TIME_FORM}."],
    **{name: _documents for name in DOCUMENT_COMMANDS},
}


def write_epilog(name: str | None, settings: Settings | None, formatter: click.HelpFormatter) -> None:
    """The command's notes (or, for the bare `pengaduan`, the overview) after its options."""
    for note in OVERVIEW if name is None else NOTES[name](settings) if name in NOTES else []:
        if isinstance(note, str):
            formatter.write_paragraph()
            formatter.write_text(note)
            continue
        title, body = note
        with formatter.section(title):
            if isinstance(body, dict):
                formatter.write_dl(list(body.items()))
            else:
                for line in body:
                    formatter.write(f"{' ' * formatter.current_indent}{line}\n")


OutputCheck = Callable[[click.Context, click.Parameter, Path | None], Path]  # a click callback


def _checked_output(repo_of: Callable[[click.Context], Path]) -> OutputCheck:
    def check(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path:
        folder = value if value is not None else private_output.default_folder()
        problem = private_output.refusal(repo_of(ctx), folder)
        if problem:
            raise click.BadParameter(problem, ctx, param)
        return folder
    return check


def attach(group: click.Group, repo_of: Callable[[click.Context], Path]) -> None:
    """Examples from the table; document commands write outside the repository by default and refuse a folder
    Git would commit."""
    for name, examples in EXAMPLES.items():
        command = group.commands[name]
        text = re.sub(r"\n\s*Contoh: .*", "", command.help or "").rstrip()
        command.help = text + "\n\n\b\nContoh:\n" + "\n".join(f"  {example}" for example in examples)
    for name in DOCUMENT_COMMANDS:
        for param in group.commands[name].params:
            if param.name == "keluar" and isinstance(param, click.Option):
                param.default, param.show_default = None, private_output.SHOWN_DEFAULT
                param.callback = _checked_output(repo_of)
