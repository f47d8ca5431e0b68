"""Safe YAML loading for hand-written records.

libyaml parses (CSafeLoader: ten times faster than pure Python, and history
replay parses every version of every record). On top of it, only plain JSON
types are built: timestamps stay text (the schema checks their format), and
duplicate keys, anchors/aliases, merge keys and explicit tags are refused,
each with its line and column.
"""
from __future__ import annotations

import json
import re

import yaml

MAX_BYTES = 1_000_000
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_ALLOWED_TAGS = {
    "tag:yaml.org,2002:" + name for name in ("str", "int", "float", "bool", "null", "map", "seq")
}


class YamlProblem(Exception):
    """A YAML text that cannot be a record; line and column are 1-based."""

    def __init__(self, message: str, fix: str, line: int | None = None, column: int | None = None,
                 code: str = "yaml"):
        super().__init__(message)
        self.message, self.fix, self.line, self.column, self.code = message, fix, line, column, code


def _mark_problem(mark, message: str, fix: str, code: str) -> YamlProblem:
    return YamlProblem(message, fix, mark.line + 1, mark.column + 1, code)


class _Loader(yaml.CSafeLoader):
    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP]
        for first, resolvers in yaml.CSafeLoader.yaml_implicit_resolvers.items()
    }

    def construct_object(self, node, deep=False):
        if node in self.constructed_objects or node in self.recursive_objects:
            raise _mark_problem(
                node.start_mark, "Anchor/alias YAML (&nama dan *nama) tidak diizinkan dalam rekaman.",
                "Tulis nilainya lengkap di tempat itu; hapus tanda & dan *.", "yaml-alias")
        if node.tag not in _ALLOWED_TAGS:
            raise _mark_problem(
                node.start_mark, f"Tag YAML {node.tag!r} tidak diizinkan.",
                "Hapus tag yang diawali '!' dan tulis nilainya sebagai teks, angka, daftar atau peta biasa.",
                "yaml-tag")
        return super().construct_object(node, deep)

    def construct_mapping(self, node, deep=False):
        seen: dict[str, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise _mark_problem(key_node.start_mark, "Kunci gabungan YAML (<<) tidak diizinkan.",
                                    "Tulis semua kunci secara lengkap.", "yaml-merge")
            if not isinstance(key_node, yaml.ScalarNode):
                raise _mark_problem(key_node.start_mark, "Kunci harus berupa teks sederhana.",
                                    "Tulis kunci sebagai kata, misalnya `perihal:`.", "yaml-kunci")
            key = key_node.value
            if key in seen:
                raise _mark_problem(
                    key_node.start_mark,
                    f"Kunci `{key}` ditulis dua kali (pertama di baris {seen[key]}).",
                    "Hapus salah satunya atau gabungkan isinya; YAML hanya memakai yang terakhir.",
                    "yaml-kunci-ganda")
            seen[key] = key_node.start_mark.line + 1
        mapping = super().construct_mapping(node, deep)
        for key_node, _ in node.value:
            if key_node.tag != "tag:yaml.org,2002:str":
                raise _mark_problem(key_node.start_mark,
                                    f"Kunci `{key_node.value}` dibaca sebagai nilai, bukan teks.",
                                    "Pakai kunci berupa kata (huruf kecil dan garis bawah).", "yaml-kunci")
        return mapping


# libyaml's English problems, in the words staff need.
_SYNTAX_HINTS = [
    (re.compile(r"<TAB>"), "Karakter TAB dipakai untuk indentasi.",
     "Ganti setiap TAB dengan spasi (YAML hanya menerima spasi untuk indentasi)."),
    (re.compile(r"mapping values are not allowed"), "Tanda titik dua (:) muncul di tempat yang tidak boleh.",
     "Jika nilainya memuat ': ', apit seluruh nilai dengan tanda kutip \"...\"; atau periksa indentasi baris ini."),
    (re.compile(r"could not find expected ':'"), "Baris ini bukan pasangan `kunci: nilai`.",
     "Tambahkan titik dua setelah kunci, atau apit teks panjang dengan tanda kutip."),
    (re.compile(r"end of stream|found unexpected end"), "Teks berakhir sebelum tanda kutip atau kurung ditutup.",
     "Tutup tanda kutip atau kurung yang dibuka."),
    (re.compile(r"expected <block end>|did not find expected key|expected <document start>"),
     "Indentasi (jumlah spasi di awal baris) tidak konsisten.",
     "Samakan jumlah spasi dengan baris lain pada tingkat yang sama."),
    (re.compile(r"did not find expected '-' indicator"), "Isi daftar tidak sejajar.",
     "Awali setiap butir daftar dengan '- ' pada kolom yang sama."),
    (re.compile(r"found undefined alias|found unknown escape|found unexpected"),
     "Ada karakter yang tidak bisa dibaca YAML di sini.",
     "Apit teks dengan tanda kutip tunggal '...' bila memuat karakter khusus seperti * & ! % @ `."),
]


def _syntax_problem(error: yaml.MarkedYAMLError, text: str) -> YamlProblem:
    original = f"{error.context or ''} {error.problem or ''}".strip()
    mark = error.problem_mark or error.context_mark
    if mark is not None and text[mark.index:mark.index + 1] == "\t":
        original += " <TAB>"
    detail = original.removesuffix(" <TAB>")
    message, fix = f"Sintaks YAML tidak sah (keterangan teknis: {detail}).", "Periksa baris ini dan baris sebelumnya."
    for pattern, hint_message, hint_fix in _SYNTAX_HINTS:
        if pattern.search(original):
            message, fix = hint_message, hint_fix
            break
    return YamlProblem(message, fix,
                       mark.line + 1 if mark else None, mark.column + 1 if mark else None, "yaml-sintaks")


def decode(raw: bytes) -> str:
    """Bytes to text, refusing what a hand-edited record should never be."""
    if len(raw) > MAX_BYTES:
        raise YamlProblem(f"Berkas terlalu besar ({len(raw):,} bita; batas {MAX_BYTES:,} bita).",
                          "Rekaman hanya berisi teks; simpan dokumen besar sebagai lampiran di folder rekaman.",
                          code="yaml-ukuran")
    if not raw.strip():
        raise YamlProblem("Berkas kosong.", "Isi berkas dengan rekaman pengaduan, atau hapus berkasnya.",
                          code="yaml-kosong")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        raise YamlProblem("Berkas memuat bita yang bukan UTF-8.",
                          "Simpan ulang berkas dengan pengodean UTF-8 (di editor: Save with Encoding → UTF-8).",
                          line, column, "yaml-utf8") from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise YamlProblem("Berkas memuat karakter NUL.", "Hapus karakter tersebut.", line, None, "yaml-utf8")
    return text.removeprefix("\ufeff")


def load_text(text: str) -> object:
    """Parse one YAML document into JSON-like data; raises YamlProblem."""
    try:
        return yaml.load(text, Loader=_Loader)
    except YamlProblem:
        raise
    except yaml.MarkedYAMLError as error:
        raise _syntax_problem(error, text) from None
    except yaml.YAMLError as error:
        raise YamlProblem(f"YAML tidak sah: {error}", "Periksa sintaks berkas.", code="yaml-sintaks") from None


def load_mapping(raw: bytes) -> dict:
    """Parse a whole file that must be one YAML mapping."""
    data = load_text(decode(raw))
    if not isinstance(data, dict):
        kind = {list: "daftar", type(None): "kosong"}.get(type(data), "satu nilai tunggal")
        raise YamlProblem(f"Isi berkas harus berupa peta `kunci: nilai`, bukan {kind}.",
                          "Mulai berkas dengan baris seperti `id: ...`, satu kunci per baris.", 1, 1,
                          "yaml-bukan-peta")
    return data


def locate(text: str, path: list, key: bool = False) -> tuple[int, int] | tuple[None, None]:
    """Line and column (1-based) of the node at `path`; `key` gives the key's position.

    Only called for error messages, so composing the node tree again is fine.
    """
    try:
        node = yaml.compose(text, Loader=yaml.CSafeLoader)
    except yaml.YAMLError:
        return None, None
    mark = node.start_mark if node is not None else None
    for step in path:
        if isinstance(node, yaml.MappingNode):
            match = next(((k, v) for k, v in node.value if k.value == step), None)
            if match is None:
                break
            mark, node = (match[0].start_mark if key and step == path[-1] else match[1].start_mark), match[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            node = node.value[step]
            mark = node.start_mark
        else:
            break
    return (mark.line + 1, mark.column + 1) if mark else (None, None)


_PLAIN = re.compile(r"[A-Za-z\u00c0-\u024f][\w .,()/'+-]*", re.UNICODE)
_YAML11_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "none", "~"}


def _scalar(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if _PLAIN.fullmatch(value) and value.lower() not in _YAML11_WORDS and not value.endswith(" "):
        return value
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar


def _block_text(value: str) -> bool:
    """Multi-line text that a literal block (| or |-) keeps exactly."""
    body = value.removesuffix("\n")
    return (("\n" in body or body != value) and body and not body.endswith("\n") and not value[:1].isspace()
            and all(c == "\n" or c == "\t" or c >= " " for c in value) and "\r" not in value
            and "\u2028" not in value and "\u2029" not in value and "\ufeff" not in value and "\x85" not in value)


def _mapping(data: dict, indent: str) -> list[str]:
    return [line for key, value in data.items() for line in _entry(f"{indent}{key}:", value, indent)]


def _entry(head: str, value, indent: str) -> list[str]:
    """Lines for `head` (an indented `key:` or `-`) followed by `value`."""
    if isinstance(value, dict) and value:
        return [head] + _mapping(value, indent + "  ")
    if isinstance(value, list) and any(isinstance(i, (dict, list)) for i in value):
        lines = [head]
        for item in value:
            if isinstance(item, dict) and item:
                inner = _mapping(item, indent + "    ")
                lines.append(f"{indent}  - " + inner[0][len(indent) + 4:])
                lines += inner[1:]
            else:
                lines += _entry(f"{indent}  -", item, indent + "  ")
        return lines
    if isinstance(value, list):
        return [f"{head} [{', '.join(_scalar(i) for i in value)}]"]
    if isinstance(value, dict):
        return [f"{head} {{}}"]
    if isinstance(value, str) and _block_text(value):
        body = value.removesuffix("\n").split("\n")
        return [f"{head} {'|' if value.endswith(chr(10)) else '|-'}"] + [
            f"{indent}  {line}" if line else "" for line in body]
    return [f"{head} {_scalar(value)}"]


def dump(data: dict, header: str = "") -> str:
    """YAML text for JSON-like data, in the style staff write by hand; `load_text(dump(x)) == x`."""
    lines = ([header] if header else []) + _mapping(data, "")
    return "\n".join(lines) + "\n"
