"""The structured e-mail that the site's "Sampaikan pengaduan" form composes, and reading it back.

The form has no server: it opens the citizen's own mail app with a `mailto:` link whose body is
labelled lines between two marker lines. `parse` turns such a body back into Intake fields, so
`pengaduan baru --eml` fills the record from it. Pure text in, fields out; everything stays untrusted
text. Mail apps may wrap long lines, add quoting or a signature: a line without a known label
continues the field above it, and everything after the end marker is ignored.
"""
from __future__ import annotations

import re

START = "--- Formulir pengaduan (jangan ubah label di bawah ini) ---"
END = "--- Akhir formulir ---"
SUBJECT_PREFIX = "Pengaduan: "
SECRECY = ("terbuka", "anonim", "rahasia")

# (form field id, label in the e-mail, Intake attribute); `uraian` is last and spans lines.
FIELDS = (
    ("nama", "Nama", "name"),
    ("nik", "NIK", "nik"),
    ("telepon", "Telepon/WhatsApp", "phone"),
    ("alamat", "Alamat", "address"),
    ("kerahasiaan", "Kerahasiaan", "secrecy"),
    ("kategori", "Kategori", "category"),
    ("perihal", "Perihal", "subject"),
    ("uraian", "Uraian", "body"),
)
_LABELS = {label.casefold(): attribute for _, label, attribute in FIELDS}
_LINE = re.compile(r"^\s*([^:]{2,30}?)\s*:\s?(.*)$")


def _unquote(line: str) -> str:
    """A line as written, without the '> ' a reply or forward may add."""
    return re.sub(r"^(\s*>)+\s?", "", line)


def parse(body: str) -> dict[str, str]:
    """The Intake fields of a form e-mail (attribute -> value); {} when the body is not one."""
    lines = [_unquote(line.rstrip()) for line in body.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    starts = [i for i, line in enumerate(lines) if line.strip() == START]
    if not starts:
        return {}
    values: dict[str, list[str]] = {}
    current = None
    for line in lines[starts[0] + 1:]:
        if line.strip() == END:
            break
        match = _LINE.match(line)
        attribute = _LABELS.get(match.group(1).casefold()) if match else None
        if match and attribute and (current != "body" or attribute == "body"):
            current = attribute
            values.setdefault(current, []).append(match.group(2).strip())
        elif current:
            values[current].append(line if current == "body" else line.strip())
    fields = {}
    for attribute, parts in values.items():
        joiner = "\n" if attribute == "body" else " "
        text = joiner.join(parts).strip()
        if attribute != "body":
            text = " ".join(text.split())
        if text:
            fields[attribute] = text
    category = fields.get("category", "")
    if category:  # "daftar-pemilih (Daftar pemilih)": the id is the first word
        fields["category"] = category.split()[0]
    if fields.get("secrecy", "").lower() not in SECRECY:
        fields.pop("secrecy", None)
    else:
        fields["secrecy"] = fields["secrecy"].lower()
    return fields
