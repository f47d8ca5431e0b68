"""From a saved e-mail (or a letter, a visit, a call) to a new complaint record (SOP step 2).

Everything an e-mail carries is untrusted. The e-mail is read as a stream, one
line at a time: each part is decoded straight to a file on disk, so memory stays
flat whatever the size, and an attachment over the limit is refused as soon as
it crosses it. Only the standard library reads headers. Nothing is dropped:
the original is archived byte for byte, every part that is not the text is kept
as a file (inline images and forwarded messages included), and forwarded
messages' text is added to the record so it can be searched. Names are made
safe; control and bidi characters in text are shown escaped.
"""
from __future__ import annotations

import binascii
import email.policy
import mimetypes
import re
import tempfile
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from email.message import EmailMessage
from email.parser import BytesHeaderParser
from email.utils import parseaddr, parsedate_to_datetime
from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path
from typing import Any, BinaryIO

from ..core.clock import WIB
from ..core.config import Settings
from ..core.errors import PengaduanError
from ..core.mailform import parse as parse_form
from ..core.records import body_fingerprint
from ..core.schema import PLACEHOLDER
from ..core.sop import REGISTRATION

MAX_ATTACHMENT = 20 * 1024 * 1024
MAX_NAME = 100
MAX_DEPTH = 12  # nested multiparts and forwarded messages; real mail uses four or five
MAX_PARTS = 1000  # parts of one e-mail, forwarded ones included; each would become a file
MAX_HEADER = 256 * 1024  # header bytes kept per part; the rest stays in the archived original
MAX_TEXT_PART = 2 * 1024 * 1024  # a text part larger than this is kept as a file, not as the record's text
MAX_BODY = 200_000  # characters of text in the record (a record file stays far below 1 MB)
MAX_FIELD = 500  # characters of a one-line header field (name, subject, Message-ID)
CLOCK_SKEW = timedelta(minutes=10)
_CHUNK = 64 * 1024
_BLOCK = 1024 * 1024
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
ORIGINAL = "surel-asli.eml"


class IntakeError(PengaduanError):
    """Input that cannot become a record; the message is for staff."""


@dataclass
class Intake:
    """Everything a new record needs, before numbers are assigned."""
    received: datetime | None  # None: an e-mail whose Date cannot be read (check_received refuses it)
    channel: str
    name: str = ""
    email: str = ""
    subject: str = ""
    body: str = ""
    message_id: str = ""
    letter_number: str = ""
    letter_date: str = ""
    phone: str = ""
    address: str = ""
    nik: str = ""
    secrecy: str = ""
    category: str = ""
    files: dict[str, bytes | Path] = field(default_factory=dict)  # safe name -> content, or a file holding it
    notes: dict[str, str] = field(default_factory=dict)  # safe name -> description
    date_header: str = ""  # the e-mail's Date as written, for messages about it
    spool: tempfile.TemporaryDirectory[str] | None = field(default=None, repr=False, compare=False)  # holds `files`

    def fingerprint(self) -> str:
        return body_fingerprint(self.email, self.body)


_BIDI = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_JOINERS = {"\u200c", "\u200d"}  # needed by some scripts and emoji sequences


def _hidden(char: str) -> bool:
    """Characters that change how text looks without being seen: controls, bidi overrides, separators."""
    category = unicodedata.category(char)
    return char in _BIDI or (category in ("Cc", "Cf", "Cs", "Zl", "Zp") and char not in _JOINERS)


def escape_controls(text: str, keep: str = "") -> str:
    """Control, bidi and other invisible characters written out as `<U+202E>`, so staff see them."""
    return "".join(f"<U+{ord(c):04X}>" if c not in keep and _hidden(c) else c for c in text)


def one_line(text: str, limit: int = MAX_FIELD) -> str:
    text = escape_controls(" ".join(text.split()))
    return text if len(text) <= limit else text[:limit - 1] + "…"


def safe_name(name: str, taken: set[str], fallback: str) -> str:
    """A file name that stays inside the record's folder on every system."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if c.isprintable() and not _hidden(c) and c not in '<>:"|?*').strip(" .")
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    extension = re.sub(r"[^A-Za-z0-9]", "", extension)[:10].lower()
    stem = stem[:MAX_NAME - len(extension) - 1].strip(" .")
    if not stem or stem.upper().split(".")[0] in _RESERVED or stem == ORIGINAL.rsplit(".", 1)[0]:
        stem = f"_{stem}" if stem else fallback
    candidate = f"{stem}.{extension}" if extension else stem
    counter = 2
    while candidate.lower() in taken:
        candidate = f"{stem}-{counter}.{extension}" if extension else f"{stem}-{counter}"
        counter += 1
    taken.add(candidate.lower())
    return candidate


class _Text(HTMLParser):
    """Text of an HTML-only e-mail: block elements become line breaks, scripts and styles vanish."""
    _BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "head"):
            self._skip += 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head"):
            self._skip = max(0, self._skip - 1)
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """HTML collapses runs of spaces when shown, so its text does too."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    lines = [" ".join(line.split()) for line in _lines(("".join(parser.parts))).split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def plain_text(text: str) -> str:
    """Plain text as written: spaces and tabs kept, line ends unified, leading and trailing blank lines dropped."""
    return re.sub(r"\A(?:[ \t]*\n)+", "", _lines(text)).rstrip()


def decode_text(data: bytes, charset: str | None) -> str:
    """The declared charset when it fits; else UTF-8; else Windows-1252 (what most mislabelled mail is)."""
    for candidate in (charset, "utf-8"):
        if candidate:
            try:
                return data.decode(candidate)
            except (LookupError, UnicodeError, ValueError):  # unknown, not a text codec, or does not fit
                continue
    return data.decode("cp1252", errors="replace")


# ---- the streaming MIME reader -------------------------------------------------------------------------------

_HEADER_LINE = re.compile(rb"[!-9;-~]+[ \t]*:")


class _Lines:
    """A binary stream in pieces of one line (at most 64 KiB), or with `many`, of every line up to the next one
    that could be a delimiter; each piece knows whether it starts a line."""

    def __init__(self, handle: BinaryIO) -> None:
        self.back: list[tuple[bytes, bool]] = []
        self.handle, self.at_start = handle, True
        self.buffer, self.position, self.done = b"", 0, False

    def next(self, many: bool = False) -> tuple[bytes, bool] | None:
        if self.back:
            return self.back.pop()
        if len(self.buffer) - self.position < _CHUNK and not self.done:
            more = self.handle.read(_BLOCK)
            self.buffer, self.position, self.done = self.buffer[self.position:] + more, 0, not more
        buffer, start, starts = self.buffer, self.position, self.at_start
        if start >= len(buffer):
            return None
        end = -1
        if many and not (starts and buffer.startswith(b"--", start)):
            end = buffer.find(b"\n--", start)
            end = end + 1 if end >= 0 else buffer.rfind(b"\n", start) + 1
            end = end if end > start else -1
        if end < 0:
            end = buffer.find(b"\n", start, start + _CHUNK)
            end = end + 1 if end >= 0 else min(len(buffer), start + _CHUNK)
        self.position = end
        piece = buffer[start:end]
        self.at_start = piece.endswith(b"\n")
        return piece, starts

    def push(self, item: tuple[bytes, bool]) -> None:
        self.back.append(item)


def _boundary(piece: bytes, starts: bool, boundaries: list[bytes]) -> tuple[bytes, bool] | None:
    """(boundary, closing?) when `piece` is a delimiter line of any open multipart, innermost first."""
    if not starts or not piece.startswith(b"--"):
        return None
    line = piece.rstrip(b" \t\r\n")
    for boundary in reversed(boundaries):
        if line == b"--" + boundary:
            return boundary, False
        if line == b"--" + boundary + b"--":
            return boundary, True
    return None


class _Identity:
    def feed(self, data: bytes) -> bytes:
        return data

    def close(self) -> bytes:
        return b""


class _Base64(_Identity):
    """Lenient like the standard library: stray characters skipped, missing padding added, '=' ends a group."""
    _JUNK = re.compile(rb"[^A-Za-z0-9+/=]")

    def __init__(self) -> None:
        self.rest = b""

    def feed(self, data: bytes) -> bytes:
        out = []
        for index, piece in enumerate(self._JUNK.sub(b"", data).split(b"=")):
            if index:
                out.append(self.close())
            buffer = self.rest + piece
            cut = len(buffer) - len(buffer) % 4
            out.append(binascii.a2b_base64(buffer[:cut]))
            self.rest = buffer[cut:]
        return b"".join(out)

    def close(self) -> bytes:
        rest, self.rest = self.rest, b""
        return binascii.a2b_base64(rest + b"=" * (-len(rest) % 4)) if len(rest) > 1 else b""


class _QuotedPrintable(_Identity):
    def __init__(self) -> None:
        self.rest = b""

    def feed(self, data: bytes) -> bytes:
        data = self.rest + data
        cut = data.rfind(b"\n") + 1
        if not cut and len(data) > _CHUNK:  # an endless line: decode it, keeping a possible `=XX` for later
            cut = len(data) - 2 if b"=" in data[-2:] else len(data)
        self.rest = data[cut:]
        return binascii.a2b_qp(data[:cut])

    def close(self) -> bytes:
        rest, self.rest = self.rest, b""
        return binascii.a2b_qp(rest)


_DECODERS: dict[str, type[_Identity]] = {"base64": _Base64, "quoted-printable": _QuotedPrintable}


@dataclass
class _Part:
    headers: EmailMessage
    children: list[_Part] | None = None  # a multipart's parts
    path: Path | None = None  # a leaf's decoded content
    size: int = 0
    message: _Part | None = None  # a forwarded message, parsed
    raw: bytes = b""  # the header block as written
    broken: bool = False  # a multipart whose delimiter never came: its text is read as plain text

    def get(self, method: str, *args: str, default: Any = None) -> Any:
        """A header fact; the standard library's header parser has raised on hostile input, so never trust it."""
        try:
            value = getattr(self.headers, method)(*args)
        except Exception:  # noqa: BLE001 - any failure means the header is unreadable, and it is data
            return default
        return default if value is None else value

    @property
    def content_type(self) -> str:
        return "text/plain" if self.broken else str(self.get("get_content_type", default="text/plain"))

    @property
    def filename(self) -> str:
        return str(self.get("get_filename", default="") or self.get("get_param", "name", default="") or "")

    def text(self) -> str:
        data = self.path.read_bytes() if self.path else b""
        content = decode_text(data, self.get("get_content_charset"))
        return html_to_text(content) if self.content_type == "text/html" else plain_text(content)

    def is_text(self) -> bool:
        """The message's own words rather than an attached file."""
        return (self.children is None and self.message is None and self.size <= MAX_TEXT_PART
                and self.content_type in ("text/plain", "text/html") and not self.filename
                and self.get("get_content_disposition") != "attachment")


_RAW_BOUNDARY = re.compile(rb'(?is)(?:^|\n)content-type:(?:[^\n]|\n[ \t])*?;\s*boundary\s*=\s*(?:"([^"\r\n]*)"|([^\s;"]+))')


def _boundary_bytes(part: _Part) -> bytes:
    """The boundary as the bytes written (the parser turns bytes outside ASCII into U+FFFD)."""
    found = _RAW_BOUNDARY.search(part.raw)
    if found:
        return found[1] if found[1] is not None else found[2]
    return str(part.get("get_boundary", default="")).encode("utf-8", "replace")


_UNREASONABLE = ("surel wajar tidak begitu dan isinya tidak dibaca. Catat pengaduan tanpa --eml dan lampirkan "
                 "berkasnya: pengaduan baru --saluran email --waktu ... --lampiran BERKAS.eml")


class _Reader:
    """Parses one e-mail into parts whose contents are files in `folder`."""

    def __init__(self, folder: Path, limit: int, source: str) -> None:
        self.folder, self.limit, self.source, self.count = folder, limit, source, 0

    def parse(self, lines: _Lines, boundaries: list[bytes], depth: int) -> tuple[_Part, tuple[bytes, bool] | None]:
        """One part and the delimiter that ended it (None at the end of the stream)."""
        if depth > MAX_DEPTH:
            raise IntakeError(f"{self.source}: surel ini bersarang lebih dari {MAX_DEPTH} tingkat (bagian di dalam "
                              "bagian, atau surel diteruskan di dalam surel diteruskan); " + _UNREASONABLE)
        part, end = self._headers(lines, boundaries)
        if end is not None:
            return part, end
        boundary = _boundary_bytes(part)
        if part.content_type.startswith("multipart/") and boundary:
            mine = boundary[:200]
            preamble, end = self._body(lines, boundaries + [mine], _Identity())
            part.children = []
            while end == (mine, False):
                child, end = self.parse(lines, boundaries + [mine], depth + 1)
                part.children.append(child)
            if end == (mine, True):
                end = self._skip(lines, boundaries)
            if not part.children:  # no delimiter ever came: what there was is the text
                part.children, part.path, part.size, part.broken = None, preamble, preamble.stat().st_size, True
            return part, end
        encoding = str(part.get("get", "Content-Transfer-Encoding", default="")).strip().lower()
        part.path, end = self._body(lines, boundaries, _DECODERS.get(encoding, _Identity)())
        part.size = part.path.stat().st_size
        if part.content_type in ("message/rfc822", "message/global"):
            with part.path.open("rb") as handle:
                part.message, _ = self.parse(_Lines(handle), [], depth + 1)
        return part, end

    def _headers(self, lines: _Lines, boundaries: list[bytes]) -> tuple[_Part, tuple[bytes, bool] | None]:
        block, end = bytearray(), None
        while (item := lines.next()) is not None:
            piece, starts = item
            if starts:
                if end := _boundary(piece, starts, boundaries):
                    break
                if piece in (b"\n", b"\r\n"):
                    break
                if piece[:1] not in (b" ", b"\t") and not _HEADER_LINE.match(piece):
                    lines.push(item)  # the body began without the empty line
                    break
            block += piece[:max(0, MAX_HEADER - len(block))]
        headers = BytesHeaderParser(policy=email.policy.default).parsebytes(bytes(block) + b"\n")
        return _Part(headers, raw=bytes(block)), end

    def _body(self, lines: _Lines, boundaries: list[bytes],
              decoder: _Identity) -> tuple[Path, tuple[bytes, bool] | None]:
        """Decode up to the next delimiter into a new file; refuse as soon as the limit is crossed."""
        self.count += 1
        if self.count > MAX_PARTS:
            raise IntakeError(f"{self.source}: surel ini terdiri atas lebih dari {MAX_PARTS} bagian; " + _UNREASONABLE)
        path = self.folder / f"bagian-{self.count}"
        held, end, size = b"", None, 0
        with path.open("wb") as out:
            while (item := lines.next(many=True)) is not None:
                if end := _boundary(*item, boundaries):
                    break
                data, held = held + item[0], b""
                if data.endswith(b"\n"):  # the line break before a delimiter belongs to the delimiter
                    cut = 2 if data.endswith(b"\r\n") else 1
                    data, held = data[:-cut], data[-cut:]
                size += self._write(out, decoder.feed(data), size)
            if end is None and held:
                size += self._write(out, decoder.feed(held), size)
            self._write(out, decoder.close(), size)
        return path, end

    def _write(self, out: BinaryIO, data: bytes, written: int) -> int:
        if written + len(data) > self.limit:
            raise IntakeError(f"{self.source}: sebuah lampiran melebihi batas {self.limit / 1048576:.0f} MB (pembacaan "
                              "dihentikan di situ). Minta pelapor mengirim berkas yang lebih kecil, atau catat "
                              "pengaduan tanpa surel ini (pengaduan baru tanpa --eml).")
        out.write(data)
        return len(data)

    def _skip(self, lines: _Lines, boundaries: list[bytes]) -> tuple[bytes, bool] | None:
        """An epilogue: read past it up to an outer delimiter."""
        while (item := lines.next(many=True)) is not None:
            if end := _boundary(*item, boundaries):
                return end
        return None


def _start(lines: _Lines) -> None:
    """Skip what webmail puts before the headers: a byte-order mark, an mbox `From ` line."""
    first = lines.next()
    if first is None:
        return
    piece = first[0].removeprefix(b"\xef\xbb\xbf")
    if not piece.startswith(b"From "):
        lines.push((piece, True))


# ---- from parts to a complaint --------------------------------------------------------------------------------

def _text_score(part: _Part) -> int:
    if part.children is not None:
        return max((_text_score(child) for child in part.children), default=0)
    if not part.is_text() or not part.text():
        return 0  # an empty plain rendering beside a full HTML one is not the message
    return 2 if part.content_type == "text/plain" else 1


class _Collector:
    """Walks the parts: the message's words go to `texts`, every other part to `files`."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.files: list[_Part] = []

    def walk(self, part: _Part, words: bool = True) -> None:
        if part.children is not None:
            chosen = max(part.children, key=_text_score) if part.get("get_content_subtype") == "alternative" \
                else None
            for child in part.children:
                self.walk(child, words and (chosen is None or child is chosen))
        elif part.is_text():
            if words:  # the other renderings of the same words are in the archived original
                self.texts.append(part.text())
        else:
            self.files.append(part)


def _address(part: _Part) -> tuple[str, str]:
    """(display name, address) of From, read structurally so encoded words cannot fake the address."""
    written = _eight_bit(_raw_value(part, "From"))
    if written is not None:
        return parseaddr(written)
    try:
        found = part.headers["From"].addresses
        if found:
            return found[0].display_name or "", found[0].addr_spec or ""
    except Exception:  # noqa: BLE001 - an unreadable From is data; fall back to the plain reading
        pass
    name, address = parseaddr(_header(part, "From"))
    return name, address


def _raw_value(part: _Part, name: str) -> str:
    return next((str(v) for k, v in part.get("raw_items", default=[]) if k.lower() == name.lower()), "")


def _eight_bit(value: str) -> str | None:
    """A header written in raw 8-bit bytes rather than encoded words, decoded like a body (UTF-8, else
    Windows-1252); None for a plain ASCII header."""
    if not any("\udc80" <= c <= "\udcff" for c in value):
        return None
    return decode_text(value.encode("utf-8", "surrogateescape"), None)


def _header(part: _Part, name: str) -> str:
    written = _eight_bit(_raw_value(part, name))
    if written is not None:
        return written
    value = part.get("get", name, default="")
    try:
        return str(value)
    except Exception:  # noqa: BLE001 - a header object that cannot even be shown
        return ""


def _received(text: str) -> datetime | None:
    try:
        moment = parsedate_to_datetime(text) if text.strip() else None
        if moment is not None and moment.tzinfo is None:
            moment = moment.replace(tzinfo=WIB)
        return moment.astimezone(WIB) if moment else None
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def _forwarded(inner: _Part, label: str) -> str:
    """A forwarded message (a part's `message`) as searchable text: who, when, what, its words and its files' names."""
    collector = _Collector()
    collector.walk(inner)
    name, address = _address(inner)
    head = [f"---------- Pesan diteruskan (lampiran {label}) ----------",
            f"Dari: {one_line(f'{name} <{address}>' if name else address)}",
            f"Tanggal: {one_line(_header(inner, 'Date'))}", f"Perihal: {one_line(_header(inner, 'Subject'))}"]
    names = [one_line(p.filename or p.content_type, 200) for p in collector.files]
    if names:
        head.append(f"Berkas di dalamnya: {', '.join(names)}")
    nested = [_forwarded(p.message, one_line(p.filename or 'pesan', 200)) for p in collector.files if p.message]
    return "\n".join(head) + "\n\n" + "\n\n".join(t for t in collector.texts + nested if t)


def _fallback_name(part: _Part, index: int) -> str:
    if part.message is not None:
        subject = one_line(_header(part.message, "Subject"), 60)
        return f"pesan-diteruskan-{index}" + (f" {subject}" if subject else "") + ".eml"
    extension = mimetypes.guess_extension(part.content_type, strict=False) or ""
    return f"lampiran-{index}{extension}"


def _looks_like_email(top: _Part) -> bool:
    return sum(1 for h in ("From", "Date", "Subject", "Message-ID", "To") if top.get("get", h) is not None) >= 2


def read_eml(raw: bytes | Path, source: str, max_attachment: int = MAX_ATTACHMENT) -> Intake:
    """An e-mail (its bytes, or the path of its file) as an Intake; its parts are files in `Intake.spool`."""
    spool = tempfile.TemporaryDirectory(prefix="pengaduan-surel-")
    try:
        with (raw.open("rb") if isinstance(raw, Path) else BytesIO(raw)) as handle:
            lines = _Lines(handle)
            _start(lines)
            top, _ = _Reader(Path(spool.name), max_attachment, source).parse(lines, [], 0)
        if not _looks_like_email(top):
            empty = (raw.stat().st_size if isinstance(raw, Path) else len(raw.strip())) == 0
            raise IntakeError(f"{source}: berkas kosong, bukan surel." if empty else
                              f"{source}: berkas ini bukan surel yang tersimpan (.eml); tidak ada kepala surel "
                              "seperti From, Date, Subject. Unduh ulang surel dari webmail dengan \"Unduh pesan\".")
    except BaseException:
        spool.cleanup()  # nothing of a refused e-mail stays on disk
        raise
    collector = _Collector()
    collector.walk(top)
    name, address = _address(top)
    date_header = _raw_value(top, "Date")
    intake = Intake(received=_received(date_header), channel="email", name=one_line(name), email=one_line(address),
                    subject=one_line(_header(top, "Subject")), message_id=one_line(_header(top, "Message-ID")),
                    date_header=one_line(date_header, 100), spool=spool)
    taken = {ORIGINAL}
    texts = [t for t in collector.texts if t]
    for index, part in enumerate(collector.files, 1):
        label = part.filename
        safe = safe_name(label, taken, "")
        if not label or safe.startswith("_") and not label.startswith("_"):
            safe = safe_name(_fallback_name(part, index), taken, f"lampiran-{index}")
        if part.message is not None and not safe.lower().endswith(".eml"):
            safe = safe_name(f"{safe}.eml", taken, f"lampiran-{index}")
        assert part.path is not None  # _Reader writes every part that is not a multipart to a file
        intake.files[safe] = part.path
        if part.message is not None:
            subject = _header(part.message, "Subject")
            intake.notes[safe] = f"Surel yang diteruskan: {one_line(label or subject or '(tanpa perihal)', 200)}"
        else:
            intake.notes[safe] = f"Lampiran surel: {one_line(label or part.content_type, 200)}"
        if part.message is not None:
            texts.append(_forwarded(part.message, safe))
    body = escape_controls("\n\n".join(texts), keep="\t\n")
    if len(body) > MAX_BODY:
        body = body[:MAX_BODY] + f"\n\n[... teks dipotong di sini; selengkapnya ada di {ORIGINAL}]"
    intake.body = body
    for attribute, value in parse_form(body).items():  # composed by the site's "Sampaikan pengaduan" form
        setattr(intake, attribute, value)
    intake.files[ORIGINAL] = raw
    intake.notes[ORIGINAL] = "Surel asli sebagaimana diunduh"
    return intake


def eml_sources(path: Path) -> list[Path]:
    """The e-mails to read: the file itself, or a folder's `.eml` files whatever the case of the extension."""
    if not path.is_dir():
        return [path]
    return sorted(p for p in path.iterdir() if p.suffix.lower() == ".eml" and p.is_file())


def check_received(received: datetime | None, now: datetime, earliest: date, source: str,
                   date_header: str = "") -> None:
    """Refuse an arrival time that cannot be true: in the future beyond clock skew, or before the SOP began."""
    if received is None:
        written = f" ({date_header!r} tidak bisa dibaca sebagai tanggal)" if date_header else ""
        raise IntakeError(f"{source}: waktu diterima tidak diketahui{written}. Sebut waktunya, misalnya "
                          f"--waktu {now:%Y-%m-%dT%H:%M}.")
    if received > now + CLOCK_SKEW:
        raise IntakeError(f"{source}: waktu diterima {received.astimezone(WIB):%Y-%m-%d %H:%M} WIB ada di masa depan "
                          f"(sekarang {now.astimezone(WIB):%Y-%m-%d %H:%M} WIB); jam pengirim atau ketikan salah. "
                          "Sebut waktu surel benar-benar diterima di kotak masuk, misalnya "
                          f"--waktu {now.astimezone(WIB):%Y-%m-%dT%H:%M}.")
    if received.astimezone(WIB).date() < earliest:
        raise IntakeError(f"{source}: waktu diterima {received.astimezone(WIB):%Y-%m-%d} lebih awal dari berlakunya "
                          f"SOP ({earliest:%Y-%m-%d}); tanggal itu tidak mungkin benar. Sebut waktu surel benar-benar "
                          f"diterima, misalnya --waktu {now.astimezone(WIB):%Y-%m-%dT%H:%M}.")


def from_eml(path: Path, limit: int) -> list[tuple[str, Intake]]:
    """(source name, intake) of a saved e-mail, or of every .eml file in a folder."""
    sources = eml_sources(path)
    if not sources:
        raise IntakeError(f"tidak ada berkas .eml di {path}.")
    return [(source.name, read_eml(source, source.name, limit)) for source in sources]


def attach(intake: Intake, files: list[Path], limit: int) -> Intake:
    """`intake` with the files staff attach to a complaint that came by another channel, each within the limit."""
    taken: set[str] = set()
    for path in files:
        if path.stat().st_size > limit:
            raise IntakeError(f"lampiran {path.name} melebihi batas {limit // 1048576} MB.")
        name = safe_name(path.name, taken, "lampiran")
        intake.files[name], intake.notes[name] = path, "Lampiran"
    return intake


def settle(intakes: list[tuple[str, Intake]], settings: Settings, now: datetime, channel: str | None = None,
           received: datetime | None = None, secrecy: str | None = None, category: str | None = None) -> None:
    """What staff state (channel, time of receipt, secrecy, category) over what each intake says; then each is
    checked: a channel of the office, a time of receipt that can be true."""
    earliest = min(sop.approved_on for sop in settings.sops.values())
    for source, intake in intakes:
        intake.channel = channel or intake.channel
        intake.received = received or intake.received
        intake.secrecy = secrecy or intake.secrecy
        intake.category = category or intake.category
        if intake.channel not in settings.office.channels:
            raise IntakeError(f"saluran {intake.channel!r} tidak dikenal; pilih dari "
                              f"{', '.join(settings.office.channels)}.")
        check_received(intake.received, now, earliest, "--waktu" if received else source, intake.date_header)


def record_data(intake: Intake, record_id: str, agenda: int, sop_version: str, received: datetime) -> dict[str, Any]:
    """The new record at step 2; what only a person can judge is left as `ISI: ...`."""
    reporter = {"kerahasiaan": intake.secrecy or f"{PLACEHOLDER} terbuka, anonim, atau rahasia (tanyakan pelapor)"}
    for key, value in (("nama", intake.name), ("nik", intake.nik), ("email", intake.email),
                       ("telepon", intake.phone), ("alamat", intake.address)):
        if value:
            reporter[key] = value
    received_block = {"waktu": received.isoformat(timespec="seconds"), "saluran": intake.channel,
                      "nomor_agenda": agenda}
    if intake.letter_number:
        received_block["nomor_surat"] = intake.letter_number
    if intake.letter_date:
        received_block["tanggal_surat"] = intake.letter_date
    if intake.message_id:
        received_block["message_id"] = intake.message_id
    data = {
        "id": record_id, "versi_sop": sop_version, "langkah": REGISTRATION, "diterima": received_block, "pelapor": reporter,
        "perihal": intake.subject if len(intake.subject) >= 3 else f"{PLACEHOLDER} perihal singkat pengaduan",
        "uraian": (intake.body + "\n") if intake.body else f"{PLACEHOLDER} tidak ada teks; tuliskan isi pengaduan "
                                                           "dari lampiran",
        "kategori": intake.category or f"{PLACEHOLDER} id kategori dari tools/config/kantor.yaml",
        "ringkasan_publik": f"{PLACEHOLDER} 1-2 kalimat untuk situs publik, tanpa nama atau data pribadi",
    }
    if intake.files:
        data["lampiran"] = [{"berkas": name, "keterangan": intake.notes.get(name, "Lampiran")}
                            for name in intake.files]
    return data
