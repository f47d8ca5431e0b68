"""From a saved e-mail (or a letter, a visit, a call) to a new complaint record (SOP step 2).

Only the standard library reads the e-mail. Everything it carries is untrusted:
attachment names are made safe, sizes are limited, charsets that lie are read
as Windows-1252, and nothing is written until the whole record is ready.
"""
from __future__ import annotations

import email
import email.policy
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.utils import parseaddr, parsedate_to_datetime
from html.parser import HTMLParser

from .calendar import WIB
from .mailform import parse as parse_form
from .records import PLACEHOLDER

MAX_ATTACHMENT = 20 * 1024 * 1024
MAX_NAME = 100
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
ORIGINAL = "surel-asli.eml"


class IntakeError(Exception):
    """Input that cannot become a record; the message is for staff."""


@dataclass
class Intake:
    """Everything a new record needs, before numbers are assigned."""
    received: datetime
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
    files: dict[str, bytes] = field(default_factory=dict)  # safe name -> content
    notes: dict[str, str] = field(default_factory=dict)  # safe name -> description

    def fingerprint(self) -> str:
        return body_fingerprint(self.email, self.body)


def body_fingerprint(sender: str, body: str) -> str:
    """Same sender and same text, whatever the spacing: a resent e-mail."""
    normal = " ".join(body.split()).casefold()
    return hashlib.sha256(f"{sender.strip().casefold()}\0{normal}".encode()).hexdigest()


def safe_name(name: str, taken: set[str], fallback: str) -> str:
    """A file name that stays inside the record's folder on every system."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if c.isprintable() and c not in '<>:"|?*').strip(" .")
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

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "head"):
            self._skip += 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "head"):
            self._skip = max(0, self._skip - 1)
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    parser.close()
    return tidy("".join(parser.parts))


def tidy(text: str) -> str:
    lines = [" ".join(line.split()) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _text_of(part) -> str:
    try:
        return part.get_content()
    except (LookupError, UnicodeError, AssertionError):  # a charset that does not exist or does not fit
        payload = part.get_payload(decode=True) or b""
        return payload.decode("cp1252", errors="replace")


def read_eml(raw: bytes, source: str, max_attachment: int = MAX_ATTACHMENT) -> Intake:
    if not raw.strip():
        raise IntakeError(f"{source}: berkas kosong, bukan surel.")
    message: EmailMessage = email.message_from_bytes(raw, policy=email.policy.default)
    known = [h for h in ("From", "Date", "Subject", "Message-ID", "To") if message.get(h) is not None]
    if len(known) < 2 or message.defects and not known:
        raise IntakeError(f"{source}: berkas ini bukan surel yang tersimpan (.eml); tidak ada kepala surel "
                          "seperti From, Date, Subject. Unduh ulang surel dari webmail dengan \"Unduh pesan\".")
    try:
        name, address = parseaddr(str(message.get("From", "")))
    except (TypeError, ValueError):
        name, address = "", ""
    try:
        received = parsedate_to_datetime(str(message["Date"])) if message["Date"] else None
    except (TypeError, ValueError, IndexError):
        received = None
    if received is not None and received.tzinfo is None:
        received = received.replace(tzinfo=WIB)
    body_part = message.get_body(preferencelist=("plain", "html"))
    body = ""
    if body_part is not None:
        content = _text_of(body_part)
        body = html_to_text(content) if body_part.get_content_subtype() == "html" else tidy(content)
    intake = Intake(received=received.astimezone(WIB) if received else None, channel="email", name=name.strip(),
                    email=address.strip(), subject=" ".join(str(message.get("Subject", "") or "").split()),
                    body=body, message_id=str(message.get("Message-ID", "") or "").strip())
    for attribute, value in parse_form(body).items():  # composed by the site's "Sampaikan pengaduan" form
        setattr(intake, attribute, value)
    taken = {ORIGINAL}
    for index, part in enumerate(message.iter_attachments(), 1):
        payload = part.get_payload(decode=True) or b""
        label = part.get_filename() or f"lampiran-{index}"
        if len(payload) > max_attachment:
            raise IntakeError(f"{source}: lampiran {label!r} berukuran {len(payload) / 1048576:.0f} MB, melebihi "
                              f"batas {max_attachment / 1048576:.0f} MB. Minta pelapor mengirim berkas yang lebih "
                              "kecil, atau catat pengaduan tanpa surel ini (pengaduan baru tanpa --eml).")
        safe = safe_name(label, taken, f"lampiran-{index}")
        intake.files[safe] = payload
        intake.notes[safe] = f"Lampiran surel: {' '.join(label.split())[:200]}"
    intake.files[ORIGINAL] = raw
    intake.notes[ORIGINAL] = "Surel asli sebagaimana diunduh"
    return intake


def record_data(intake: Intake, record_id: str, agenda: int, sop_version: str, received: datetime) -> dict:
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
        "id": record_id, "versi_sop": sop_version, "langkah": 2, "diterima": received_block, "pelapor": reporter,
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
