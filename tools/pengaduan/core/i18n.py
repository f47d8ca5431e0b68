"""Messages from Click and from the operating system in Bahasa Indonesia.

Click looks its messages up through `gettext` bound in each of its modules;
replacing those bindings with this catalogue is the whole translation.
"""
from __future__ import annotations

import errno
import importlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import click

import click

_MESSAGES = {
    "Usage:": "Cara pakai:",
    "Options": "Opsi",
    "Commands": "Perintah",
    "Positional arguments": "Argumen",
    "Show this message and exit.": "Tampilkan bantuan ini lalu keluar.",
    "Show the version and exit.": "Tampilkan versi lalu keluar.",
    "Error: {message}": "Galat: {message}",
    "Try '{command} {option}' for help.": "Ketik '{command} {option}' untuk bantuan.",
    "No such command {name!r}.": "Perintah {name!r} tidak dikenal.",
    "No such option {name!r}.": "Opsi {name!r} tidak dikenal.",
    "No such option: {name}": "Opsi tidak dikenal: {name}",
    "Missing argument": "Argumen wajib belum diisi",
    "Missing option": "Opsi wajib belum diisi",
    "Missing parameter": "Parameter wajib belum diisi",
    "Missing command.": "Perintah belum disebut.",
    "Missing {param_type}": "{param_type} belum diisi",
    "Missing parameter: {param_name}": "Parameter belum diisi: {param_name}",
    "Invalid value for {param_hint}: {message}": "Nilai tidak sah untuk {param_hint}: {message}",
    "Invalid value: {message}": "Nilai tidak sah: {message}",
    "Option {name!r} does not take a value.": "Opsi {name!r} tidak menerima nilai.",
    "Option {name!r} requires an argument.": "Opsi {name!r} memerlukan nilai.",
    "Option {name!r} requires {nargs} arguments.": "Opsi {name!r} memerlukan {nargs} nilai.",
    "Got unexpected extra argument ({args})": "Ada argumen berlebih ({args})",
    "Got unexpected extra arguments ({args})": "Ada argumen berlebih ({args})",
    "Did you mean {possibility}?": "Maksudnya {possibility}?",
    "(Did you mean one of: {possibilities}?)": "(Maksudnya salah satu dari: {possibilities}?)",
    "{value!r} is not {choice}.": "{value!r} bukan {choice}.",
    "{value!r} is not one of {choices}.": "{value!r} bukan salah satu dari {choices}.",
    "{value!r} is not a valid {number_type}.": "{value!r} bukan {number_type} yang sah.",
    "{value} is not in the range {range}.": "{value} di luar rentang {range}.",
    "{value!r} does not match the format {format}.": "{value!r} tidak sesuai format {format}.",
    "{value!r} does not match the formats {formats}.": "{value!r} tidak sesuai format {formats}.",
    "{name} {filename!r} does not exist.": "{name} {filename!r} tidak ada.",
    "{name} {filename!r} is a file.": "{name} {filename!r} adalah berkas, bukan folder.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} adalah folder, bukan berkas.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} tidak bisa dibaca.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} tidak bisa ditulisi.",
    "Aborted!": "Dibatalkan.",
    "integer": "bilangan bulat",
    "directory": "folder",
    "file": "berkas",
    "path": "jalur",
    "default: {default}": "bawaan: {default}",
    "required": "wajib",
    "env var: {var}": "variabel lingkungan: {var}",
    "boolean": "ya/tidak",
    "{value!r} is not a valid boolean. Recognized values: {states}":
        "{value!r} bukan ya/tidak yang sah. Yang dikenali: {states}",
    "{value!r} is not a valid UUID.": "{value!r} bukan UUID yang sah.",
}

# What Click calls a number in "'abc' is not a valid integer range." (the type's own name, never looked up).
_NUMBER_NAMES = {"IntParamType": "bilangan bulat", "IntRange": "bilangan bulat", "FloatParamType": "angka",
                 "FloatRange": "angka", "BoolParamType": "ya/tidak"}

# Click names a value by its type when an option has no metavar: TEXT, INTEGER RANGE, FILENAME...
_METAVARS = {"BILANGAN BULAT": "ANGKA", "YA/TIDAK": "YA/TIDAK", "TEXT": "TEKS", "INTEGER": "ANGKA", "INTEGER RANGE": "ANGKA", "FLOAT": "ANGKA", "FLOAT RANGE": "ANGKA",
             "BOOLEAN": "YA/TIDAK", "FILENAME": "BERKAS", "DATETIME": "WAKTU", "UUID": "UUID"}


def _gettext(message: str) -> str:
    return _MESSAGES.get(message, message)


def _ngettext(singular: str, plural: str, count: int) -> str:
    return _gettext(singular if count == 1 else plural)


def _describe_range(self: click.types._NumberRangeBase[Any, Any]) -> str:
    """A number range as people write it, in help ("[2000 sampai 2100]") and in errors alike."""
    if self.min is not None and self.max is not None and not (self.min_open or self.max_open):
        return f"{self.min} sampai {self.max}"
    low = None if self.min is None else f"{'lebih dari' if self.min_open else 'paling kecil'} {self.min}"
    high = None if self.max is None else f"{'kurang dari' if self.max_open else 'paling besar'} {self.max}"
    return " dan ".join(part for part in (low, high) if part)


def install() -> None:

    original = click.core.Parameter.make_metavar
    if getattr(original, "_translated", False):
        return

    def make_metavar(self: click.core.Parameter, ctx: click.Context) -> str:
        metavar = original(self, ctx)
        if self.metavar is not None:
            return metavar
        plain = metavar.removesuffix("...")
        return _METAVARS.get(plain, plain) + metavar[len(plain):]
    # click has no hook for translating these: patched by name (setattr: mypy refuses assigning to a method).
    setattr(make_metavar, "_translated", True)  # noqa: B010
    setattr(click.core.Parameter, "make_metavar", make_metavar)  # noqa: B010
    setattr(click.types._NumberRangeBase, "_describe_range", _describe_range)  # noqa: B010
    for type_name, name in _NUMBER_NAMES.items():
        getattr(click.types, type_name).name = name
    for name in ("core", "exceptions", "formatting", "parser", "types", "decorators", "termui", "utils"):
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            setattr(module, "_", _gettext)  # noqa: B010
        if hasattr(module, "ngettext"):
            setattr(module, "ngettext", _ngettext)  # noqa: B010


_OS_REASONS = {
    errno.ENOENT: "berkas atau folder tidak ada", errno.EACCES: "tidak diizinkan", errno.EPERM: "tidak diizinkan",
    errno.ENOSPC: "disk penuh", errno.EDQUOT: "kuota disk habis", errno.EFBIG: "berkas terlalu besar",
    errno.EISDIR: "itu folder, bukan berkas", errno.ENOTDIR: "bagian jalurnya bukan folder",
    errno.EEXIST: "sudah ada (dan bukan folder yang bisa dipakai)", errno.ENOTEMPTY: "folder tidak kosong",
    errno.EROFS: "sistem berkas hanya-baca", errno.ENAMETOOLONG: "nama terlalu panjang",
    errno.ELOOP: "tautan simbolik berputar", errno.EBUSY: "sedang dipakai program lain",
    errno.ETXTBSY: "sedang dipakai program lain", errno.EMFILE: "terlalu banyak berkas terbuka",
    errno.ENFILE: "terlalu banyak berkas terbuka", errno.ENOMEM: "memori habis", errno.EIO: "galat perangkat disk",
    errno.EINVAL: "nama atau operasi tidak sah di sistem ini", errno.EXDEV: "tidak bisa dipindah antar-disk",
    errno.EPIPE: "program penerima keluaran sudah berhenti", errno.ENXIO: "perangkat tidak ada",
    errno.ENODEV: "perangkat tidak ada", errno.EAGAIN: "sumber daya sementara tidak tersedia",
}


def os_error(error: OSError) -> str:
    """An operating-system error in Indonesian: what could not be done, to which path, and why; never English."""
    reason = _OS_REASONS.get(error.errno or 0)
    if reason is None:
        code = errno.errorcode.get(error.errno, "") if error.errno else ""
        reason = f"galat sistem berkas{f' ({code})' if code else ''}"
    paths = " → ".join(str(p) for p in (error.filename, error.filename2) if p is not None)
    return f"tidak bisa membaca atau menulis {paths or 'berkas'}: {reason}."


def json_error(path: Path | str, error: ValueError | OSError) -> str:
    """Why a JSON file could not be read, in Indonesian, with the line and column of a syntax error."""
    if isinstance(error, OSError):
        return os_error(error)
    if isinstance(error, UnicodeDecodeError):
        return f"{path} bukan teks UTF-8; simpan ulang berkasnya sebagai UTF-8."
    where = f" baris {error.lineno}, kolom {error.colno}" if isinstance(error, json.JSONDecodeError) else ""
    return f"{path}{where}: bukan JSON yang sah; periksa isinya atau unduh ulang berkasnya."
