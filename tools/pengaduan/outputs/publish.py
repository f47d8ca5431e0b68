"""Publishing the recap site so that it can neither leak nor destroy.

`build` drives the stages in order:

1. `export_main`: main's tree, from `git archive` of one commit into a temporary
   folder; the working tree (and whatever branch is checked out) is never read.
2. `check_inputs`: no symbolic link or submodule anywhere in that tree, MkDocs'
   `docs_dir` is `docs/`, and no file under it resolves outside it.
3. `check_output`: the output folder is new, empty, or one an earlier build
   marked as its own (with the list of files it wrote, unchanged since);
   never the repository, a folder Git tracks, or `records/`.
4. the MkDocs build (site.py) into a fresh sibling folder;
5. `scan`: every output file against every personal value of every record on
   main; a hit names the file and the field, never the value;
6. the new folder replaces the old one only when all of the above passed.

`deploy` and `rollback` put a scanned site on the office's own web server by
rsync over SSH: each release into a new folder, then one symbolic link switched.
"""
from __future__ import annotations

import gc
import hashlib
import html
import io
import json
import marshal
import os
import re
import shlex
import shutil
import subprocess
import tarfile
import tempfile
import time
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Literal, NamedTuple, TypeVar, overload
from urllib.parse import unquote_plus

import ahocorasick
import material
import yaml

from .. import data
from ..core import i18n, yamlio
from ..core.config import CONFIG_DIR
from ..core.files import write_atomic
from ..core.processes import available, beside
from ..core.records import attachment_dir, is_record_path
from ..history.heads import PUBLISHED, extended, head_chain, record_head
from ..history.reader import cache_path, read_blobs_raw, record_paths_on, resolve_head
from .site import INTERNAL_MARKER, SiteError, build_site, config_file

MARKER = ".pengaduan-situs"
BRANCH = "main"
FREE_TEXT_MIN_WORDS = 6  # shorter free text (a subject such as "Nama tidak terdaftar dalam DPT") identifies no one
IDENTITY_MIN_CHARS = 3
_SYMLINK, _SUBMODULE = "120000", "160000"
T = TypeVar("T")


class PublishError(SiteError):
    """Publishing refused; the message is for the user and never contains a personal value."""


# ---- 1. main's tree -------------------------------------------------------------------------------------------

@overload
def _git(repo: Path, *args: str, binary: Literal[False] = False) -> str: ...
@overload
def _git(repo: Path, *args: str, binary: Literal[True]) -> bytes: ...
def _git(repo: Path, *args: str, binary: bool = False) -> str | bytes:
    result = subprocess.run(["git", *args], cwd=repo, capture_output=True)
    if result.returncode != 0:
        raise PublishError(f"git {' '.join(args[:2])} gagal di {repo}: "
                           f"{result.stderr.decode('utf-8', 'replace').strip()}")
    return result.stdout if binary else result.stdout.decode("utf-8", "replace")


def main_commit(repo: Path) -> str:
    try:
        head = resolve_head(repo, BRANCH)
    except subprocess.CalledProcessError:
        head = ""
    if not head:
        raise PublishError(f"cabang {BRANCH} tidak ditemukan di {repo}; situs publik hanya dibangun dari {BRANCH}.")
    return head


def tree_links(repo: Path, commit: str) -> list[str]:
    """Paths in the commit's tree that are symbolic links or submodules."""
    listing = _git(repo, "ls-tree", "-r", "-z", "--full-tree", commit).split("\0")
    return sorted(path for meta, _, path in (line.partition("\t") for line in listing if line)
                  if meta.split(" ")[0] in (_SYMLINK, _SUBMODULE))


def export_main(repo: Path, commit: str, dest: Path) -> None:
    """Main's tree at `commit`, except records/ (read from Git directly), into `dest`."""
    links = tree_links(repo, commit)
    if links:
        raise PublishError("tautan simbolik (symlink) atau submodul ada di main, jadi situs tidak dibangun: "
                           + ", ".join(links[:10]) + ". Ganti dengan berkas biasa lewat pull request.")
    archive = _git(repo, "archive", "--format=tar", commit, "--", ".", ":(exclude)records", binary=True)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        # links were refused above; the "data" filter (Python 3.11.4+) refuses them again where it exists
        if hasattr(tarfile, "data_filter"):
            tar.extractall(dest, filter="data")
        else:
            tar.extractall(dest)


# ---- 2. inputs ------------------------------------------------------------------------------------------------

class _IgnoreTags(yaml.SafeLoader):
    """mkdocs.yml may carry tags such as !ENV; the checks read none of them (a tagged value is TAGGED: not a path
    they can check, so docs_dir or custom_dir written so is refused)."""


TAGGED = "(tag)"
_IgnoreTags.add_multi_constructor("!", lambda loader, suffix, node: TAGGED)


# MkDocs plugins the site may use: none of them runs code or reads a configuration from the repository beyond
# mkdocs.yml, none fetches from the network. (`projects` builds other mkdocs.yml files, `group` enables plugins
# of its own, `info`, `optimize`, `privacy` and `social` run tools or fetch.)
PLUGINS = {"search", "pengaduan", "material/search", "material/tags", "material/blog", "material/meta",
           "material/offline", "material/typeset"}


# Markdown extensions that read nothing but the page (pymdownx.snippets pastes any file, pymdownx.b64 any picture,
# from any folder: the checkout's records/ or .git/config too); the standard ones also as markdown.extensions.NAME
MARKDOWN = {"abbr", "admonition", "attr_list", "def_list", "fenced_code", "footnotes", "md_in_html", "meta", "nl2br",
            "sane_lists", "smarty", "tables", "toc", "codehilite", "extra", "wikilinks", "legacy_attrs", "legacy_em"}
PYMDOWNX = {"arithmatex", "betterem", "blocks.admonition", "blocks.caption", "blocks.definition", "blocks.details",
            "blocks.html", "blocks.tab", "caret", "critic", "details", "emoji", "escapeall", "extra", "fancylists",
            "highlight", "inlinehilite", "keys", "magiclink", "mark", "progressbar", "quotes", "saneheaders",
            "smartsymbols", "superfences", "tabbed", "tasklist", "tilde"}
EXTENSIONS = MARKDOWN | {f"markdown.extensions.{name}" for name in MARKDOWN} | {f"pymdownx.{name}" for name in PYMDOWNX}


def _names(setting: object) -> set[str]:
    """The names in a list of names and {name: options}, or in one {name: options} (plugins, extensions)."""
    return {str(name) for item in (setting if isinstance(setting, list) else [setting] if setting else [])
            for name in (item if isinstance(item, dict) else [item])}


def _check_code(config_path: Path, text: str, config: dict[str, Any]) -> None:
    """mkdocs.yml runs no code from the repository and reads no file outside it: no `hooks` (MkDocs imports them
    as Python, and they could switch the leak scan off), no `INHERIT` (a second file, which could name hooks),
    only the PLUGINS, `pengaduan` among them (its sandbox keeps the templates from running code), only the
    Markdown EXTENSIONS."""
    for key, why in (("hooks", "menjalankan berkas Python dari repositori saat situs dibangun (bisa mematikan "
                               "pemeriksaan data pribadi)"),
                     ("INHERIT", "mengambil pengaturan dari berkas lain yang tidak ikut diperiksa; tulis semua "
                                 "pengaturan di mkdocs.yml")):
        if key in config:
            found = re.search(rf"^{key}\s*:", text, re.MULTILINE)
            where = f" baris {text.count(chr(10), 0, found.start()) + 1}" if found else ""
            raise PublishError(f"{config_path}{where}: `{key}` tidak diizinkan: {why}. Hapus bagian itu lewat "
                               "pull request.")
    theme = config.get("theme")
    custom = theme.get("custom_dir") if isinstance(theme, dict) else None
    root = config_path.parent.resolve()
    if custom is not None and (custom == TAGGED or not (root / str(custom)).resolve().is_relative_to(root)):
        raise PublishError(f"{config_path}: theme.custom_dir {custom!r} di luar repositori tidak diizinkan: MkDocs "
                           "menyalin semua isinya ke situs. Pakai folder di dalam repositori, misalnya templates/situs.")
    names = _names(config.get("plugins"))
    if "pengaduan" not in names:  # it makes the recap and renders every template in Jinja's sandbox
        raise PublishError(f"{config_path}: plugin `pengaduan` wajib ada di bagian plugins (ia membuat halaman rekap "
                           "dan menjaga templat tidak menjalankan kode); tambahkan `- pengaduan` lewat pull request.")
    other = sorted(names - PLUGINS)
    if other:
        raise PublishError(f"{config_path}: plugin MkDocs {', '.join(other)} tidak diizinkan (bisa menjalankan kode, "
                           f"membaca berkas lain atau mengambil dari internet). Yang boleh: {', '.join(sorted(PLUGINS))}.")
    other = sorted(_names(config.get("markdown_extensions")) - EXTENSIONS)
    if other:
        raise PublishError(f"{config_path}: markdown_extensions {', '.join(other)} tidak diizinkan: hanya ekstensi yang "
                           "membaca halaman itu sendiri yang boleh (pymdownx.snippets dan pymdownx.b64 bisa menyalin "
                           "berkas mana pun, termasuk rekaman dan lampiran, ke situs). Hapus lewat pull request.")


def _docs_dir(source: Path) -> Path:
    config_path = config_file(source)
    try:
        text = config_path.read_text("utf-8")
        config = yaml.load(text, Loader=_IgnoreTags) or {}
    except OSError as error:
        raise PublishError(i18n.os_error(error)) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" baris {mark.line + 1}" if mark else ""
        raise PublishError(f"{config_path}{where}: YAML tidak sah; perbaiki sintaksnya.") from None
    if not isinstance(config, dict):
        raise PublishError(f"{config_path}: isinya harus pengaturan MkDocs (kunci: nilai), bukan daftar atau teks.")
    docs = config_path.parent / str(config.get("docs_dir", "docs"))
    if docs.resolve() != (config_path.parent / "docs").resolve():
        raise PublishError(f"{config_path}: docs_dir harus `docs`, bukan {config.get('docs_dir')!r}: hanya folder "
                           "docs/ yang diterbitkan.")
    _check_code(config_path, text, config)
    return docs


def check_inputs(source: Path) -> Path:
    """The docs folder the build will read; refuses symbolic links and anything that resolves outside it."""
    docs = _docs_dir(source)
    root = docs.resolve()
    bad = []
    for folder, dirs, files in os.walk(docs):
        for name in dirs + files:
            path = Path(folder) / name
            if path.is_symlink() or not path.resolve().is_relative_to(root):
                bad.append(str(path.relative_to(docs.parent)))
    if bad:
        raise PublishError("tautan simbolik di folder docs/ tidak diizinkan (bisa menunjuk ke rekaman berisi data "
                           "pribadi): " + ", ".join(sorted(bad)[:10]) + ". Ganti dengan berkas biasa.")
    return docs


# ---- 3. the output folder -------------------------------------------------------------------------------------

def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if not p.is_dir() or p.is_symlink())


def read_marker(folder: Path) -> dict[str, Any] | None:  # JSON we wrote
    try:
        marker = json.loads((folder / MARKER).read_text("utf-8"))
        return marker if isinstance(marker, dict) and isinstance(marker.get("berkas"), dict) else None
    except (OSError, ValueError):
        return None


def _changed(folder: Path, marker: dict[str, Any]) -> list[str]:
    """Files in `folder` that the build recorded in `marker` did not write, or that changed since."""
    listed = marker["berkas"]
    changed = []
    for path in _files(folder):
        rel = path.relative_to(folder).as_posix()
        if rel in (MARKER, INTERNAL_MARKER):
            continue
        if path.is_symlink() or not path.is_file() or listed.get(rel) != _digest(path):
            changed.append(rel)
    return changed


def check_output(repo: Path, out: Path, internal: bool, tracked_top: set[str]) -> None:
    """Refuse any output folder whose replacement could delete something the tool did not write."""
    if out.is_symlink():
        raise PublishError(f"folder keluaran {out} adalah tautan simbolik; sebut folder yang sebenarnya.")
    if out.exists() and not out.is_dir():
        raise PublishError(f"{out} sudah ada dan bukan folder; pilih folder keluaran lain, misalnya site.")
    target, root = out.resolve(), repo.resolve()
    if target == root or root.is_relative_to(target):
        raise PublishError(f"{out} adalah repositori pengaduan (atau folder di atasnya); situs tidak boleh ditulis "
                           "ke sana. Pakai folder baru, misalnya --keluar site.")
    if target.is_relative_to(root):
        first = target.relative_to(root).parts[0]
        if first == "records":
            raise PublishError(f"{out} ada di dalam folder records/ yang menyimpan rekaman pengaduan; situs tidak "
                               "boleh ditulis ke sana. Pakai folder baru, misalnya --keluar site.")
        if first == ".git" or first in tracked_top:
            raise PublishError(f"{out} ada di dalam folder {first}/ yang dikelola Git; situs tidak boleh ditulis ke "
                               "sana. Pakai folder baru, misalnya --keluar site.")
    if not out.exists() or not any(out.iterdir()):
        return
    if not internal and (out / INTERNAL_MARKER).exists():
        raise PublishError(f"folder {out} berisi situs INTERNAL; hapus dulu atau pilih folder lain.")
    marker = read_marker(out)
    if marker is None:
        raise PublishError(f"folder {out} tidak kosong dan bukan hasil `pengaduan situs`; isinya tidak akan "
                           "dihapus. Pilih folder baru atau kosongkan sendiri.")
    changed = _changed(out, marker)
    if changed:
        raise PublishError(f"folder {out} berisi berkas yang tidak dibuat atau sudah diubah sejak `pengaduan situs` "
                           f"terakhir: {', '.join(changed[:10])}" + (" dan lainnya" if len(changed) > 10 else "")
                           + ". Berkas itu tidak akan dihapus; pindahkan dulu atau pilih folder lain.")


def write_marker(folder: Path, commit: str, internal: bool, now: datetime) -> None:
    listed = {p.relative_to(folder).as_posix(): _digest(p) for p in _files(folder)
              if p.name != MARKER or p.parent != folder}
    (folder / MARKER).write_text(json.dumps({
        "keterangan": "Folder ini dibuat oleh `pengaduan situs` dan boleh diganti olehnya.",
        "jenis": "internal" if internal else "publik", "komit": commit,
        "dibangun": now.isoformat(timespec="seconds"), "berkas": listed}, ensure_ascii=False, indent=0), "utf-8")


# ---- 5. the scan ----------------------------------------------------------------------------------------------

# Where a record keeps who complained (always a needle) and what the site shows of a record that is not rahasia.
IDENTITY = ("pelapor", "lampiran", "diterima.nomor_surat", "diterima.message_id")
SHOWN = ("id", "ringkasan_publik")
PUBLIC = ("versi_sop", "kategori", "pelapor.kerahasiaan", "diterima.saluran", "diterima.waktu",
          "disposisi.diteruskan_kepada", "disposisi.sifat", "rekap.hasil")
COMPLAINANT = ("perihal", "uraian")
# The kinds of value in a record, for the scan.
SHOWN_TEXT, IDENTITY_VALUE, COMPLAINANT_TEXT, STAFF_TEXT, DIGITS = range(5)
_WORD = re.compile(r"\w+")


class _DigitsOnly(dict[int, str | None]):
    """str.translate table: digits stay, separators inside numbers go (`0812-3456 78`), anything else is `|`."""

    def __missing__(self, char: int) -> str:
        return chr(char) if 48 <= char <= 57 else "|"


_DIGITS_ONLY = _DigitsOnly((ord(c), None) for c in " ().+/-")


def digits_only(text: str) -> str:
    """`text` with only its numbers (see _DigitsOnly). Every other character becomes `?` first: translating ASCII
    text takes CPython's fast path, any other text a Python call per character (ten times slower)."""
    if not text.isascii():
        text = text.encode("ascii", "replace").decode("ascii")
    return text.translate(_DIGITS_ONLY)
# a tag holds no `<`: with `[^>]*` each `<` of a file without `>` was tried to its end (quadratic: hours)
_TAG = re.compile(r"<[^<>]*>")
# in lower case, as Markdown writes them (a case-blind pattern is tried at every `<` letter by letter: slower)
_INLINE_TAG = re.compile(r"</?(?:a|abbr|b|bdi|bdo|cite|code|data|del|dfn|em|font|i|ins|kbd|mark|q|s|samp|small|span|"
                         r"strike|strong|sub|sup|time|tspan|tt|u|var|wbr)\b[^<>]*>")
_PUNCTUATION = " .,;:!?\"'()[]{}<>"


# characters a reader never sees (soft hyphens, zero-width spaces and joiners, direction marks, byte order mark),
# and the dashes a word processor writes for `-`: one pattern, so that a text is searched for them once
_UNSEEN_OR_DASH = re.compile("[\u00ad\u034f\u061c\u180e\u200b-\u200f\u2010-\u2015\u2212\u202a-\u202e\u2060-\u2064"
                             "\u206a-\u206f\ufeff]")


def _seen(match: re.Match[str]) -> str:
    return "-" if match.group() in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212" else ""


def normalize(text: str) -> str:
    """Case folded, every run of white space one space, no punctuation at the ends; text that is not ASCII also as
    a reader sees it: compatibility forms as the plain character (full-width digits, ligatures), no invisible
    characters, every dash a hyphen."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", _UNSEEN_OR_DASH.sub(_seen, text))
    return " ".join(text.casefold().split()).strip(_PUNCTUATION)


def _leaves(value: object, path: str) -> Iterator[tuple[str, str]]:
    """(dotted path, text) of every text in the data, in order; a loop, as a record `periksa` refuses may nest as
    deep as libyaml reads (a thousand levels) and its values are still looked for. A list or map met again (a YAML
    alias shares it) is walked once: walking every path through a "billion laughs" record never ends."""
    waiting: list[tuple[object, str]] = [(value, path)]
    walked: set[int] = set()
    while waiting:
        value, path = waiting.pop()
        if isinstance(value, (dict, list)):
            if id(value) in walked:
                continue
            walked.add(id(value))
        if isinstance(value, dict):
            waiting += reversed([(item, f"{path}.{key}" if path else str(key)) for key, item in value.items()])
        elif isinstance(value, list):
            waiting += reversed([(item, path) for item in value])
        elif isinstance(value, str):
            yield path, value


Values = tuple[tuple[str, str, int], ...]  # (field, normalized value, kind) of a record: see record_values
Parsed = tuple[bool, "dict[str, Any] | None", Values]  # (valid, data, values) of a record on main: see _parse


def record_values(data: dict[str, Any]) -> Values:
    """(field, normalized value, kind) of every value of one record the scan looks for or exempts. A pure function
    of the record, so it is cached with it (see main_records)."""
    reporter = data.get("pelapor")
    secret = not isinstance(reporter, dict) or reporter.get("kerahasiaan") not in ("terbuka", "anonim")
    values = []
    for field, value in _leaves(data, ""):
        if field in SHOWN:
            kind = IDENTITY_VALUE if secret else SHOWN_TEXT
        elif field in PUBLIC:
            continue
        elif field.startswith(IDENTITY):
            kind = IDENTITY_VALUE
        else:
            kind = COMPLAINANT_TEXT if field in COMPLAINANT else STAFF_TEXT
        text = normalize(value)
        if len(text) < IDENTITY_MIN_CHARS or (kind in (COMPLAINANT_TEXT, STAFF_TEXT)
                                              and len(_WORD.findall(text)) < FREE_TEXT_MIN_WORDS):
            continue
        values.append((field, text, kind))
        number = re.sub(r"[^0-9]", "", text)  # full-width digits read as digits (see normalize)
        if field in ("pelapor.nik", "pelapor.telepon") and len(number) >= 6:
            values.append((field, number, DIGITS))
    return tuple(values)


class Attachment(NamedTuple):
    record: str  # the record's path
    name: str  # the file's name
    blob: str  # its Git blob id
    size: int


class Needle(NamedTuple):
    field: str  # e.g. "pelapor.nik"
    record: str  # the record's path
    identity: bool  # who complained (or a rahasia complaint's number and summary): never published on purpose
    staff: bool  # written by staff (boilerplate the office's own docs may quote), not by the complainant


class OwnText(NamedTuple):
    """The office's own words, which staff boilerplate (a standard instruction or answer) may quote."""
    standard: str  # the configuration (SOP included) and the pages the package ships: wording staff are given
    pages: str  # the office's docs pages: anyone with push rights may paste a record's note into one


NO_OWN_TEXT = OwnText("", "")


def personal_values(values: dict[str, Values], attachments: Sequence[Attachment] = ()
                    ) -> tuple[dict[str, list[Needle]], dict[str, list[Needle]]]:
    """(text needles, digit needles): normalized personal value -> where it comes from, for every record.
    `values`: record path -> record_values; `attachments`: the attachment files (their names are needles)."""
    texts: dict[str, list[Needle]] = {}
    digits: dict[str, list[Needle]] = {}
    shown = {text for found in values.values() for _, text, kind in found if kind == SHOWN_TEXT}
    for path, found in sorted(values.items()):
        for field, text, kind in found:
            if kind == SHOWN_TEXT or (field in SHOWN and text in shown):
                continue  # published on purpose; a rahasia summary worded like a public one reveals nothing
            needle = Needle(field, path, kind in (IDENTITY_VALUE, DIGITS), kind == STAFF_TEXT)
            (digits if kind == DIGITS else texts).setdefault(text, []).append(needle)
    for path, name, _, _ in attachments:
        if len(normalize(name)) >= IDENTITY_MIN_CHARS:
            texts.setdefault(normalize(name), []).append(Needle("lampiran (nama berkas)", path, True, False))
    # Free text that a record's own public summary repeats was published on purpose (that text in another record
    # too: it says no more); names and numbers never are, nor a summary pasted from another complaint's text.
    for found in values.values():
        summaries = [text for _, text, kind in found if kind == SHOWN_TEXT]
        for _, text, kind in found:
            if (summaries and kind in (COMPLAINANT_TEXT, STAFF_TEXT) and text in texts
                    and any(text in summary for summary in summaries) and not any(n.identity for n in texts[text])):
                del texts[text]
    return texts, digits


RECORDS_CACHE_VERSION = 3


def _parse(raw: bytes) -> Parsed:
    """(valid, data, record_values): a record `periksa` rejects still counts for the scan, never for the site."""
    try:
        data = yamlio.load_mapping(raw)
        return True, data, record_values(data)
    except yamlio.YamlProblem:
        try:
            data = yaml.load(raw, Loader=yaml.CSafeLoader)
        except yaml.YAMLError:
            return False, None, ()
        return (False, data, record_values(data)) if isinstance(data, dict) else (False, None, ())


def _load_parsed(path: Path) -> dict[str, Parsed]:
    try:
        raw = path.read_bytes()
        if hashlib.sha256(raw[32:]).digest() != raw[:32]:
            return {}
        version, parsed = marshal.loads(raw[32:])  # data only: marshal builds no objects but plain values
        return parsed if version == RECORDS_CACHE_VERSION and isinstance(parsed, dict) else {}
    except (OSError, ValueError, EOFError, TypeError):
        return {}


def main_records(repo: Path, commit: str, save: bool = True) -> dict[str, Parsed]:
    """Every record on main at `commit`, parsed. Parsed records are cached by blob id (content-addressed) next to
    the history cache, so a publish after one pull request parses only the records it changed. `save`: False
    where another process reading the same records saves them (a publish's scanner, see `_build`)."""
    blobs = record_paths_on(repo, commit)
    cache_file = cache_path(repo, BRANCH, "rekaman")
    parsed = _load_parsed(cache_file)
    missing = sorted(set(blobs.values()) - parsed.keys())
    parsed.update((sha, _parse(raw)) for sha, raw in read_blobs_raw(repo, missing))
    if missing and save:
        current = {sha: parsed[sha] for sha in blobs.values()}
        try:
            payload = marshal.dumps((RECORDS_CACHE_VERSION, current))
            write_atomic(cache_file, hashlib.sha256(payload).digest() + payload)
        except ValueError:
            pass  # a value marshal cannot store: no cache this time
    return {path: parsed[sha] for path, sha in blobs.items()}


def readable_text(name: str, raw: bytes, unpack: bool = True) -> str:
    """What a reader (or a crawler) can get out of one output file, decoded, unescaped, tags removed too. A JSON
    file is read as its strings say; a CSV file, any other file with backslash escapes (a look-up script, inline
    JavaScript) and any with percent escapes (a link) both as written and as a reader would take it (`""` as
    `"`, `\\n` and `%20` as what they stand for). A gzip file, a spreadsheet or document (a zip of XML parts)
    is read as what it holds; `unpack`: False for what such a file holds (an archive inside one is not opened)."""
    if unpack and name.endswith(".gz"):
        try:
            return readable_text(name[:-3], _gunzip(name, raw), unpack=False)
        except (OSError, EOFError, zlib.error):
            pass
    if unpack and raw.startswith(b"PK\x03\x04"):  # a zip: a spreadsheet, document or archive (.xlsx, .docx, .odt, .zip)
        try:
            parts = _unzipped(name, raw)
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error, NotImplementedError, RuntimeError):
            parts = []
        if parts:  # an XML part also with no tag at all: a word processor splits a word over runs of text
            return "\n".join([readable_text(part, content, unpack=False) for part, content in parts]
                             + [_TAG.sub("", content.decode("utf-8", "replace")) for part, content in parts
                                if part.endswith(".xml")])
    text = raw.decode("utf-16" if raw.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8", "replace")
    if name.endswith(".json"):
        text = _JSON_ESCAPE.sub(_unescape_json, text)
    elif "\\" in text:
        text += "\n" + _JSON_ESCAPE.sub(_unescape_json, text)
    if name.endswith(".csv"):
        text += "\n" + text.replace('""', '"')
    if _PERCENT_ESCAPE.search(text):
        text += "\n" + unquote_plus(text)
    text = html.unescape(text)
    if "<" in text:  # inline markup inside a word (`<b>Bu</b>di`) joins it, any other tag parts words
        text += "\n" + _TAG.sub(" ", _INLINE_TAG.sub("", text)) + "\n" + as_words(" ".join(_ADDRESS.findall(text)))
    return text


def as_words(address: str) -> str:
    """A file name or link with the words it joins apart (`surat-maria-lestari.pdf`: surat maria lestari pdf)."""
    return address.translate(_JOINERS)


_JOINERS = str.maketrans("/-_.+", "     ")
_ADDRESS = re.compile(r"""(?:href|src|HREF|SRC)\s*=\s*["']?([^"'\s<>]+)""")  # links and pictures


UNPACKED_MAX = 64 << 20  # a compressed file opening to more than this is refused, not read (a "bomb")


def _too_large(name: str) -> PublishError:
    return PublishError(f"{name}: berkas terkompresi ini terlalu besar setelah dibuka (lebih dari "
                        f"{UNPACKED_MAX >> 20} MB) untuk diperiksa; situs tidak diterbitkan. Keluarkan berkas itu "
                        "dari docs/ lewat pull request.")


def _gunzip(name: str, raw: bytes) -> bytes:
    unpacker = zlib.decompressobj(wbits=31)
    content = unpacker.decompress(raw, UNPACKED_MAX + 1)
    if len(content) > UNPACKED_MAX:
        raise _too_large(name)
    return content


def _unzipped(name: str, raw: bytes) -> list[tuple[str, bytes]]:
    """(path inside, bytes) of every file in a zip, read no further than UNPACKED_MAX bytes in all."""
    parts, left = [], UNPACKED_MAX
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            with archive.open(info) as part:
                content = part.read(left + 1)
            left -= len(content)
            if left < 0:
                raise _too_large(name)
            parts.append((info.filename, content))
    return parts


# one backslash escape, or a run of \u escapes (so that surrogate pairs join); the leading backslash lets the
# regular expression engine skip ahead to each backslash instead of trying every position
_PERCENT_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")
_JSON_ESCAPE = re.compile(r'\\(?:u[0-9a-fA-F]{4}(?:\\u[0-9a-fA-F]{4})*|["\\/bfnrt])')


def _unescape_json(match: re.Match[str]) -> str:
    """One JSON escape (or a run of \\u escapes, so that surrogate pairs join) as the text it stands for."""
    try:
        return str(json.loads(f'"{match.group()}"'))
    except ValueError:
        return match.group().encode("ascii").decode("unicode_escape", "replace")


def _automaton(needles: dict[str, list[Needle]]) -> Any:  # an ahocorasick.Automaton (no type information)
    automaton = ahocorasick.Automaton()
    for text in needles:
        automaton.add_word(text, text)
    automaton.make_automaton()
    return automaton


def _bounded(text: str, end: int, length: int) -> bool:
    """The match stands alone: not the middle of a longer word or number."""
    start = end - length + 1
    before = text[start - 1] if start > 0 else " "
    after = text[end + 1] if end + 1 < len(text) else " "
    return not (before.isalnum() or after.isalnum())


@dataclass(frozen=True)
class Hit:
    file: str
    field: str
    record: str


class Scanner:
    """The needles of one scan (every personal value of every record, see `personal_values`) made ready once, so
    that the output files can be searched in shares, by several processes."""

    def __init__(self, values: dict[str, Values], attachments: Sequence[Attachment] = (),
                 own_text: OwnText = NO_OWN_TEXT) -> None:
        self.texts, self.digits = personal_values(values, attachments)
        self.contents: dict[int, dict[str, str]] = {}  # an attachment's size -> its blob id -> its record
        for attachment in attachments:
            self.contents.setdefault(attachment.size, {})[attachment.blob] = attachment.record
        self.word_automaton = _automaton(self.texts) if self.texts else None
        self.digit_automaton = _automaton(self.digits) if self.digits else None
        self.standard, self.pages = normalize(own_text.standard), normalize(own_text.pages)

    def hits(self, folder: Path, files: Sequence[str], known: Known | None = None) -> list[Hit]:
        """The hits in `files` (paths relative to `folder`). `known`: files already searched (see `searched`);
        one whose bytes are still the same is not searched again."""
        found: set[Hit] = set()
        for rel in files:
            raw = (folder / rel).read_bytes()
            if known and rel in known and known[rel][0] == hashlib.sha256(raw).digest():
                found.update(known[rel][1])
            else:
                found.update(self.file_hits(rel, raw))
        return sorted(found, key=lambda h: (h.file, h.record, h.field))

    def searched(self, folder: Path) -> Known:
        """Every file in `folder`, searched: path relative to it -> (SHA-256 of its bytes, its hits)."""
        known = {}
        for rel in output_files(folder):
            raw = (folder / rel).read_bytes()
            known[rel] = (hashlib.sha256(raw).digest(), self.file_hits(rel, raw))
        return known

    def file_hits(self, rel: str, raw: bytes) -> list[Hit]:
        found = []
        same_size = self.contents.get(len(raw))  # an attachment copied under another name (a scanned KTP as a picture)
        if same_size:
            blob = _blob_id(raw, len(next(iter(same_size))))
            if blob in same_size:
                found.append(Hit(rel, "lampiran (isi berkas)", same_size[blob]))
        if theme_file(rel, raw):
            return found
        text = " ".join((normalize(readable_text(rel, raw)), normalize(rel.replace("/", " ")),
                         normalize(as_words(unquote_plus(rel)))))
        for automaton, needles, haystack in ((self.word_automaton, self.texts, text),
                                             (self.digit_automaton, self.digits, digits_only(text))):
            if automaton is None:
                continue
            for end, value in automaton.iter(haystack):
                if not _bounded(haystack, end, len(value)):
                    continue
                found += [Hit(rel, needle.field, needle.record) for needle in needles[value]
                          if not (needle.staff and self.boilerplate(value))]
        return found

    def boilerplate(self, value: str) -> bool:
        """Staff text the office's own words carry: the standard wording, or a page's, shared by several records
        (a note written for one complaint and pasted into a page stays that complaint's)."""
        return value in self.standard or (value in self.pages
                                          and len({n.record for n in self.texts[value] if n.staff}) > 1)


Known = dict[str, tuple[bytes, list[Hit]]]


def _blob_id(raw: bytes, length: int) -> str:
    """The id Git gives a file with these bytes, in a repository whose ids are `length` hex digits long (SHA-1 or,
    in a SHA-256 repository, SHA-256)."""
    return hashlib.new("sha256" if length == 64 else "sha1", b"blob %d\0" % len(raw) + raw).hexdigest()


THEME = Path(material.__file__).parent / "templates"


def theme_file(rel: str, raw: bytes) -> bool:
    """A file byte for byte the installed theme's own at the same place (its scripts, styles and their source
    maps, a tenth of a site): nothing in it can come from a record, so it is not searched."""
    own = THEME / rel
    try:
        return own.is_file() and own.stat().st_size == len(raw) and own.read_bytes() == raw
    except OSError:
        return False


def output_files(folder: Path) -> list[str]:
    """Every file the scan reads in `folder` (paths relative to it)."""
    return [path.relative_to(folder).as_posix() for path in _files(folder)
            if path.is_file() and not path.is_symlink() and path.relative_to(folder).as_posix() != MARKER]


def scan(folder: Path, values: dict[str, Values], attachments: Sequence[Attachment] = (),
         own_text: OwnText = NO_OWN_TEXT) -> list[Hit]:
    """Every output file against every personal value; `own_text`: the office's own words, which staff
    boilerplate (a standard instruction) may legitimately quote (see Scanner.boilerplate)."""
    return Scanner(values, attachments, own_text).hits(folder, output_files(folder))


def _shares(files: list[str], sizes: list[int], count: int) -> list[list[str]]:
    """`files` dealt into `count` shares of about equal `sizes` (largest first)."""
    shares: list[list[str]] = [[] for _ in range(count)]
    totals = [0] * count
    for size, rel in sorted(zip(sizes, files), key=lambda f: (-f[0], f[1])):
        smallest = totals.index(min(totals))
        shares[smallest].append(rel)
        totals[smallest] += size
    return shares


def _hits_of(found: Any) -> list[Hit] | None:
    """Hits as they come back from a forked scan (plain tuples), or None when they are not that."""
    if not isinstance(found, list) or not all(isinstance(h, tuple) and len(h) == 3
                                              and all(isinstance(part, str) for part in h) for h in found):
        return None
    return [Hit(*h) for h in found]


def _plain(hits: list[Hit]) -> list[tuple[str, str, str]]:
    return [(h.file, h.field, h.record) for h in hits]


VERIFY_COST = 8  # searching a file costs about eight times checking that its bytes are those already searched


def _scan_in_shares(folder: Path, scanner: Scanner, known: Known | None = None
                    ) -> tuple[list[tuple[str, str, str]], int]:
    """(hits, how many shares were redone here because their process failed)."""
    files = output_files(folder)
    sizes = [(folder / rel).stat().st_size // (VERIFY_COST if known and rel in known else 1) for rel in files]
    shares = _shares(files, sizes, max(1, available()))
    mine, theirs = beside(lambda: scanner.hits(folder, shares[0], known),
                          [partial(lambda share: _plain(scanner.hits(folder, share, known)), share)
                           for share in shares[1:]])
    hits, redone = list(mine), 0
    for share, found in zip(shares[1:], theirs):
        returned = _hits_of(found)
        if returned is None:  # its process failed: the share is scanned here
            returned, redone = scanner.hits(folder, share, known), redone + 1
        hits += returned
    return _plain(hits), redone


Generated = Callable[[dict[str, "str | bytes"]], None]


def scan_after(build: Callable[[Generated], T], folder: Path, prepare: Callable[[], Scanner]
               ) -> tuple[T, list[Hit]]:
    """`build(generated)`, which fills `folder`, then the scan of `folder` by the Scanner `prepare()` makes.

    The time a publish waits for its scan is cut three ways; none skips a byte:
    - the scanner is prepared in a process forked before the build loads anything (so that neither process
      pays for copying the other's memory) while the build runs;
    - the build calls `generated` with the data files it hands MkDocs (nine tenths of the bytes at 10,000
      records) before MkDocs runs; they are searched then, and after the build each output file whose bytes
      are exactly those searched is not searched again;
    - the rest is searched in shares, with as many processes as there are processors.
    A process that fails (or a system without `fork`) leaves its work to this one: the scan is never skipped."""
    ready, go = os.pipe()
    with tempfile.TemporaryDirectory(prefix="pengaduan-pindai-") as temporary:
        early = Path(temporary)

        def scanner() -> list[tuple[str, str, str]] | None:
            os.close(go)
            prepared = prepare()
            known: Known = {}
            with os.fdopen(ready, "rb") as pipe:
                signal = pipe.read(1)
                if signal == b"D":
                    known = prepared.searched(early)
                    signal = pipe.read(1)
                if signal != b"1":
                    return None  # the build failed: nothing to scan
            return _scan_in_shares(folder, prepared, known)[0]

        def generated(files: dict[str, str | bytes]) -> None:
            for rel, content in files.items():
                target = early / rel
                if rel.endswith(".md") or not target.resolve().is_relative_to(early.resolve()):
                    continue  # a page: MkDocs makes HTML of it
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
            _signal(go, b"D")

        def here() -> T:
            os.close(ready)
            try:
                result = build(generated)
                _signal(go, b"1")
            finally:
                os.close(go)
            return result

        result, (found,) = beside(here, [scanner])
    hits = _hits_of(found)
    if hits is None:
        hits = prepare().hits(folder, output_files(folder))
    return result, sorted(set(hits), key=lambda h: (h.file, h.record, h.field))


def _signal(pipe: int, what: bytes) -> None:
    try:
        os.write(pipe, what)
    except BrokenPipeError:
        pass  # the scanner is gone: the publisher scans by itself (scan_after)


def leak_message(hits: list[Hit]) -> str:
    lines = [f"  - {h.file}: memuat {h.field} dari {h.record}" for h in hits[:20]]
    more = f"\n  ... dan {len(hits) - 20} temuan lain" if len(hits) > 20 else ""
    return ("situs TIDAK diterbitkan: data pribadi ditemukan di hasil pembangunan (nilainya sengaja tidak "
            "ditampilkan):\n" + "\n".join(lines) + more
            + "\nPeriksa berkas dan kolom yang disebut (misalnya ringkasan_publik yang memuat nama, atau halaman "
              "docs/ yang menyalin isi rekaman), perbaiki lewat pull request, lalu bangun ulang.")


def refuse_leaks(repo: Path, commit: str, folder: Path, records: dict[str, Parsed], office_text: OwnText) -> None:
    """Scan `folder` against `records` (main_records at `commit`) and every attachment file name on main."""
    hits = scan(folder, {path: values for path, (_, _, values) in records.items()},
                attachment_files(repo, commit, records), office_text)
    if hits:
        raise PublishError(leak_message(hits))


def own_text(source: Path, docs: Path) -> OwnText:
    """The office's own words (see OwnText)."""
    def text(paths: list[Path]) -> str:
        return "\n".join(p.read_text("utf-8", "replace") for p in paths)
    shipped = sorted(p for p in (data.OFFICE / "docs").rglob("*") if p.is_file())
    return OwnText(text(shipped + sorted((source / CONFIG_DIR).rglob("*.yaml"))),
                   text(sorted(p for p in docs.rglob("*") if p.is_file())))


def internal_attachments(repo: Path, commit: str, records: dict[str, dict[str, Any]]) -> dict[str, bytes]:
    """For the INTERNAL build only: every attachment file on main as `lampiran/NOMOR/name` -> its bytes, so that
    staff open them from the look-up. The public build never calls this."""
    folders = {attachment_dir(path): Path(path).stem for path in records}
    listing = _git(repo, "ls-tree", "-r", "-z", commit, "--", "records/").split("\0")
    wanted = {}
    for line in filter(None, listing):
        meta, path = line.split("\t", 1)
        if meta.split()[1] == "blob" and not is_record_path(path) and str(Path(path).parent) in folders:
            wanted[f"lampiran/{folders[str(Path(path).parent)]}/{Path(path).name}"] = meta.split()[2]
    contents = dict(read_blobs_raw(repo, sorted(set(wanted.values()))))
    return {site_path: contents[blob] for site_path, blob in wanted.items()}


def attachment_files(repo: Path, commit: str, records: dict[str, Parsed]) -> list[Attachment]:
    """Every file in a record's attachment folder on main."""
    folders = {attachment_dir(path): path for path in records}
    listing = _git(repo, "ls-tree", "-r", "-z", "-l", commit, "--", "records/").split("\0")
    found = []
    for line in filter(None, listing):
        meta, path = line.split("\t", 1)
        _, kind, blob, size = meta.split()
        if kind == "blob" and not is_record_path(path) and str(Path(path).parent) in folders:
            found.append(Attachment(folders[str(Path(path).parent)], Path(path).name, blob, int(size)))
    return found


# ---- the driver -----------------------------------------------------------------------------------------------

@contextmanager
def main_tree(repo: Path, commit: str) -> Iterator[tuple[Path, Path]]:
    """(source, docs): main's tree at `commit` in a temporary folder, and the checked docs folder the build reads
    (a repository without its own mkdocs.yml, such as the demo, gets the package's pages, checked the same way)."""
    with tempfile.TemporaryDirectory(prefix="pengaduan-main-") as temporary:
        source = Path(temporary)
        export_main(repo, commit, source)
        yield source, check_inputs(config_file(source).parent)


@contextmanager
def batch_job() -> Iterator[None]:
    """No cyclic garbage collection while one publish runs. A build holds every record, its history and its
    pages at once (millions of long-lived objects); each collection walked them all again, a third of a warm
    publish's time at 10,000 records. The build makes few reference cycles, and they go after it ends."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass(frozen=True)
class Built:
    commit: str
    out: Path
    files: int


def build(repo: Path, out: Path, internal: bool, now: datetime, strict: bool = False) -> Built:
    """Build the site from main's commit into `out`, safely (see the module's docstring)."""
    with batch_job():
        return _build(repo, out, internal, now, strict)


def _build(repo: Path, out: Path, internal: bool, now: datetime, strict: bool) -> Built:
    commit = main_commit(repo)
    if internal and not out.name.endswith("internal"):
        raise PublishError(f"situs INTERNAL hanya boleh dibangun ke folder yang namanya berakhiran 'internal' "
                           f"(misalnya site-internal), bukan {out}.")
    tracked_top = {line for line in _git(repo, "ls-tree", "--name-only", "-z", commit).split("\0") if line}
    since = time.time_ns() - 2_000_000_000  # a file system may keep times to the second: a margin
    check_output(repo, out, internal, tracked_top)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".baru-", suffix=f"-{out.name}", dir=out.parent))
    staging.chmod(0o755)
    try:
        with main_tree(repo, commit) as (source, docs):
            def build_here(generated: Generated | None = None) -> int:
                records = main_records(repo, commit, save=internal)  # the public build's scanner saves them
                valid = {path: data for path, (ok, data, _) in records.items() if ok and data is not None}
                chain = extended(head_chain(repo, BRANCH), commit, now, PUBLISHED)
                return build_site(repo, staging, internal, now, strict, source=source, records=valid, commit=commit,
                                  chain=chain, extra=internal_attachments(repo, commit, valid) if internal else None,
                                  generated=generated)

            def scanner() -> Scanner:
                records = main_records(repo, commit)
                return Scanner({path: values for path, (_, _, values) in records.items()},
                               attachment_files(repo, commit, records), own_text(source, docs))

            if internal:
                files = build_here()
            else:
                files, hits = scan_after(build_here, staging, scanner)
                if hits:
                    raise PublishError(leak_message(hits))
            if main_commit(repo) != commit:
                raise PublishError(f"cabang {BRANCH} berubah selama situs dibangun; jalankan ulang.")
        write_marker(staging, commit, internal, now)
        _replace(staging, out, since)
        if not internal:
            record_head(repo, BRANCH, commit, now, PUBLISHED)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return Built(commit, out, files)


def _replace(staging: Path, out: Path, since: int) -> None:
    """Swap the finished build in; the old folder goes only after the new one is in place, and only while it is
    still ours: a file put into it or changed since `since` (ns; check_output read it then), during the build,
    keeps the old folder where it was and the new build out."""
    if not out.exists():
        staging.rename(out)
        return
    old = out.parent / f".lama-{os.getpid()}-{out.name}"
    out.rename(old)
    foreign = _foreign(old, since)
    if foreign:
        old.rename(out)
        raise PublishError(f"folder {out} mendapat berkas baru atau berkas yang berubah selama situs dibangun: "
                           f"{', '.join(foreign[:10])}. Berkas itu tidak akan dihapus dan situs baru tidak dipasang; "
                           "pindahkan berkas itu, lalu jalankan ulang.")
    staging.rename(out)
    shutil.rmtree(old)


def _foreign(folder: Path, since: int) -> list[str]:
    """Files in `folder` its marker does not list, or that changed: only a file touched since `since` is read
    again (the rest check_output found unchanged)."""
    marker = read_marker(folder)
    listed: dict[str, str] = marker["berkas"] if marker else {}
    found = []
    for path in _files(folder):
        rel = path.relative_to(folder).as_posix()
        if rel in (MARKER, INTERNAL_MARKER) and marker:
            continue
        if (path.is_symlink() or not path.is_file() or rel not in listed
                or (path.stat().st_mtime_ns >= since and listed[rel] != _digest(path))):
            found.append(rel)
    return found


# ---- deploy to the office's own web server --------------------------------------------------------------------

RELEASES = "rilis"
LIVE = "terkini"
_RELEASE_NAME = re.compile(r"^\d{8}T\d{6}Z-[0-9a-f]{12}$")
_RELEASE_GLOB = "[0-9]*T[0-9]*Z-*"


@dataclass(frozen=True)
class Server:
    """An account on the web server whose `authorized_keys` forces `rrsync <site folder>` for this key."""
    account: str  # user@host
    key: Path
    known_hosts: Path
    port: int = 22

    def ssh(self) -> str:
        return " ".join(shlex.quote(part) for part in (
            "ssh", "-F", "/dev/null", "-p", str(self.port), "-i", str(self.key), "-o", "IdentitiesOnly=yes",
            "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes", "-o", f"UserKnownHostsFile={self.known_hosts}",
            "-o", "GlobalKnownHostsFile=/dev/null", "-o", "ConnectTimeout=30"))


_SSH_PROBLEMS = (
    ("Permission denied", "kunci deploy ditolak oleh server {account}: pastikan kunci publiknya ada di "
                          "authorized_keys akun itu (lihat docs/petugas/penerbitan.md)."),
    ("Host key verification failed", "kunci host server {account} tidak cocok dengan berkas {known_hosts}; jangan "
                                     "lanjutkan sebelum memastikan sidik jari kunci host dengan pengelola server."),
    ("Connection refused", "server {account} menolak sambungan di port {port}; periksa alamat dan port SSH."),
    ("Could not resolve", "nama server {account} tidak dikenal; periksa alamatnya."),
    ("timed out", "server {account} tidak menjawab; periksa jaringan dan port {port}."),
    ("rrsync error", "server {account} menolak perintah ini (rrsync): {line}"),
)


def _rsync(server: Server, *args: str, missing_ok: bool = False) -> str | None:
    result = subprocess.run(["rsync", "-e", server.ssh(), *args], capture_output=True, text=True)
    if result.returncode == 0:
        return result.stdout
    lost = "No such file or directory" in result.stderr  # rsync (code 23) or rrsync (its own error) on a missing path
    if missing_ok and lost and not any(problem in result.stderr for problem, _ in _SSH_PROBLEMS[:5]):
        return None
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    for needle, message in _SSH_PROBLEMS:
        line = next((l for l in lines if needle in l), None)
        if line is not None:
            raise PublishError(message.format(account=server.account, known_hosts=server.known_hosts,
                                              port=server.port, line=line.strip()))
    raise PublishError(f"rsync ke {server.account} gagal (kode {result.returncode}): "
                       f"{lines[-1] if lines else 'tanpa keterangan'}")


def current_release(server: Server) -> str | None:
    """The release the live link points to, or None before the first deploy."""
    with tempfile.TemporaryDirectory(prefix="pengaduan-tautan-") as temporary:
        if _rsync(server, "-l", f"{server.account}:{LIVE}", f"{temporary}/", missing_ok=True) is None:
            return None
        link = Path(temporary) / LIVE
        if not link.is_symlink():
            raise PublishError(f"{LIVE} di server {server.account} bukan tautan simbolik; situs itu tidak dikelola "
                               "oleh `pengaduan terbitkan` (lihat docs/petugas/penerbitan.md).")
        return Path(os.readlink(link)).name


def releases(server: Server) -> list[str]:
    """The releases on the server, oldest first (their names begin with the UTC time of the deploy)."""
    listing = _rsync(server, "--list-only", f"{server.account}:{RELEASES}/", missing_ok=True) or ""
    names = (line.rsplit(" ", 1)[-1] for line in listing.splitlines() if line.startswith("d"))
    return sorted(name for name in names if _RELEASE_NAME.match(name))


def _switch(server: Server, release: str) -> None:
    """Point the live link at `release`; rsync replaces an existing link by renaming a new one over it (atomic)."""
    with tempfile.TemporaryDirectory(prefix="pengaduan-tautan-") as temporary:
        (Path(temporary) / LIVE).symlink_to(f"{RELEASES}/{release}")
        _rsync(server, "-l", f"{temporary}/{LIVE}", f"{server.account}:")
    if current_release(server) != release:
        raise PublishError(f"tautan {LIVE} di server {server.account} tidak berpindah ke rilis {release}.")


def _prune(server: Server, keep: set[str]) -> None:
    """Delete releases not in `keep`; nothing but folders named like our releases can match."""
    with tempfile.TemporaryDirectory(prefix="pengaduan-kosong-") as empty:
        _rsync(server, "-r", "--delete", *(f"--filter=P /{name}/" for name in sorted(keep)),
               f"--filter=+ /{_RELEASE_GLOB}/", "--filter=- /*", f"{empty}/", f"{server.account}:{RELEASES}/")


def check_site_folder(repo: Path, site: Path) -> dict[str, Any]:
    """A folder `pengaduan situs` built as a public site, unchanged since, and still clean against main."""
    marker = read_marker(site)
    if marker is None or marker.get("jenis") != "publik" or (site / INTERNAL_MARKER).exists():
        raise PublishError(f"{site} bukan situs publik hasil `pengaduan situs`; bangun dulu dengan "
                           f"`pengaduan situs --keluar {site}`.")
    changed = _changed(site, marker)
    if changed:
        raise PublishError(f"{site} berubah sejak dibangun dan diperiksa ({', '.join(changed[:10])}); bangun ulang "
                           "dengan `pengaduan situs`.")
    commit = main_commit(repo)
    with main_tree(repo, commit) as (source, docs):
        refuse_leaks(repo, commit, site, main_records(repo, commit), own_text(source, docs))
    return marker


@dataclass(frozen=True)
class Deployed:
    release: str
    previous: str | None
    commit: str
    removed: list[str]


def deploy(repo: Path, site: Path, server: Server, now: datetime, keep: int = 5) -> Deployed:
    """Upload the scanned site as a new release (unchanged files hard-linked to the live one), switch the live
    link to it, then delete releases beyond the newest `keep` (never the one just replaced)."""
    marker = check_site_folder(repo, site)
    previous = current_release(server)
    existing = releases(server)
    release = f"{now.astimezone(timezone.utc):%Y%m%dT%H%M%S}Z-{marker['komit'][:12]}"
    if release in existing:
        raise PublishError(f"rilis {release} sudah ada di server {server.account}; tunggu sedetik lalu ulangi.")
    basis = [f"--link-dest=/{RELEASES}/{previous}"] if previous else []
    # MkDocs rewrites every file, so times differ: compare content (--checksum) and keep no times, so that equal
    # files are hard-linked to the previous release instead of sent and stored again
    _rsync(server, "-r", "--checksum", "--mkpath", "--chmod=D755,F644", f"--exclude=/{MARKER}", *basis, f"{site}/",
           f"{server.account}:{RELEASES}/{release}/")
    _switch(server, release)
    kept = set((existing + [release])[-keep:]) | {release} | ({previous} if previous else set())
    _prune(server, kept)
    return Deployed(release, previous, marker["komit"], [name for name in existing if name not in kept])


def rollback(server: Server, to: str | None = None) -> tuple[str, str]:
    """Point the live link back at `to` (default: the release before the live one); returns (from, to)."""
    live = current_release(server)
    names = releases(server)
    if to is None:
        older = [name for name in names if live is None or name < live]
        if not older:
            raise PublishError(f"tidak ada rilis sebelum {live} di server {server.account}.")
        to = older[-1]
    elif to not in names:
        raise PublishError(f"rilis {to} tidak ada di server {server.account}; rilis yang ada: "
                           + (", ".join(names) or "belum ada") + ".")
    _switch(server, to)
    return live or "-", to
