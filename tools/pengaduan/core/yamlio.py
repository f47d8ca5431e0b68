"""Safe YAML loading for hand-written records.

libyaml parses (CSafeLoader: ten times faster than pure Python, and history
replay parses every version of every record). On top of it, only plain JSON
types are built: timestamps stay text (the schema checks their format), and
duplicate keys, anchors/aliases, merge keys and explicit tags are refused,
each with its line and column.

Two readers share that contract. The plain one (`_plain_load`) builds data straight from libyaml's events,
without PyYAML's node tree and constructor (half the time), and gives up on anything a record written the
ordinary way never holds: a tag, an anchor or alias, a key that is not text or is written twice, a merge key,
a second document, any syntax error. The careful loader (`_Loader`) then reads the same text again and gives
the verdict with line and column; so the plain reader only ever returns what the careful one would have.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Sequence
from typing import Any

import yaml

from .errors import PengaduanError

MAX_BYTES = 1_000_000
MAX_DEPTH = 32  # lists and maps inside each other: a record uses four; libyaml allows a thousand, which every
# recursive step after it (the careful constructor, JSON, the schema, the site) fails on
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_ALLOWED_TAGS = {
    "tag:yaml.org,2002:" + name for name in ("str", "int", "float", "bool", "null", "map", "seq")
}


class YamlProblem(PengaduanError):
    """A YAML text that cannot be a record; line and column are 1-based."""

    def __init__(self, message: str, fix: str, line: int | None = None, column: int | None = None,
                 code: str = "yaml"):
        super().__init__(message)
        self.message, self.fix, self.line, self.column, self.code = message, fix, line, column, code


def _mark_problem(mark: yaml.Mark, message: str, fix: str, code: str) -> YamlProblem:
    return YamlProblem(message, fix, mark.line + 1, mark.column + 1, code)


def _too_deep(root: yaml.Node) -> yaml.Node | None:
    """The first list or map nested more than MAX_DEPTH deep (a loop: the tree may be a thousand levels).

    Each node is walked once: aliases share nodes, and walking them again would take exponential time on a
    "billion laughs" text (the constructor refuses aliases afterwards)."""
    waiting: list[tuple[yaml.Node, int]] = [(root, 1)]
    seen: set[int] = set()
    while waiting:
        node, depth = waiting.pop()
        if depth > MAX_DEPTH:
            return node
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            waiting += [(item, depth + 1) for item in node.value if not isinstance(item, yaml.ScalarNode)]
        elif isinstance(node, yaml.MappingNode):
            waiting += [(item, depth + 1) for pair in node.value for item in pair
                        if not isinstance(item, yaml.ScalarNode)]
    return None


class _Loader(yaml.CSafeLoader):
    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP]
        for first, resolvers in yaml.CSafeLoader.yaml_implicit_resolvers.items()
    }

    def construct_document(self, node: yaml.Node) -> Any:
        deep = _too_deep(node)
        if deep is not None:
            raise _mark_problem(deep.start_mark, f"Isi bersarang terlalu dalam (lebih dari {MAX_DEPTH} tingkat daftar "
                                "atau peta di dalam satu sama lain).",
                                "Rekaman hanya memakai beberapa tingkat; tulis nilai ini sebagai teks biasa.",
                                "yaml-terlalu-dalam")
        return super().construct_document(node)

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
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

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Hashable, Any]:
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


# libyaml's English problems, in the words staff need: (pattern, message, fix, which mark points at the cause).
_SYNTAX_HINTS = [
    (re.compile(r"<TAB>"), "Karakter TAB dipakai untuk indentasi.",
     "Ganti setiap TAB dengan spasi (YAML hanya menerima spasi untuk indentasi).", "problem"),
    (re.compile(r"scanning a simple key.*could not find expected ':'"), "Baris ini bukan pasangan `kunci: nilai`: "
     "titik duanya tidak ada.", "Tambahkan titik dua dan spasi setelah kunci, misalnya `perihal: ...`.", "context"),
    (re.compile(r"could not find expected ':'"), "Baris ini bukan pasangan `kunci: nilai`.",
     "Tambahkan titik dua setelah kunci, atau apit teks panjang dengan tanda kutip.", "problem"),
    (re.compile(r"quoted scalar.*end of stream"), "Tanda kutip dibuka di sini tetapi tidak pernah ditutup.",
     "Tambahkan tanda kutip penutup di akhir nilai ini, atau hapus tanda kutip pembukanya.", "context"),
    (re.compile(r"flow sequence.*expected ',' or '\]'"), "Kurung siku [ dibuka di sini tetapi tidak ditutup.",
     "Tutup daftar dengan ] di baris yang sama, misalnya `[a, b]`.", "context"),
    (re.compile(r"flow mapping.*expected ',' or '\}'"), "Kurung kurawal { dibuka di sini tetapi tidak ditutup.",
     "Tutup dengan } di baris yang sama, atau tulis isinya sebagai baris `kunci: nilai` di bawahnya.", "context"),
    (re.compile(r"end of stream|found unexpected end"), "Teks berakhir sebelum tanda kutip atau kurung ditutup.",
     "Tutup tanda kutip atau kurung yang dibuka.", "context"),
    (re.compile(r"unknown escape character"), "Garis miring terbalik (\\) di dalam tanda kutip ganda dibaca sebagai "
     "kode khusus.", "Tulis \\\\ untuk satu garis miring terbalik, atau apit nilainya dengan tanda kutip tunggal '...'.",
     "problem"),
    (re.compile(r"undefined alias"), "Nilai yang diawali * dibaca YAML sebagai rujukan (alias).",
     "Apit nilainya dengan tanda kutip, misalnya \"*penting*\".", "problem"),
    (re.compile(r"cannot start any token"), "Nilai tidak boleh diawali karakter ini (@, ` atau %) tanpa tanda kutip.",
     "Apit seluruh nilai dengan tanda kutip \"...\".", "problem"),
    (re.compile(r"block scalar.*expected (comment or line break|chomping or indentation)"),
     "Setelah | atau > tidak boleh ada teks di baris yang sama.",
     "Pindahkan teksnya ke baris berikutnya, menjorok dua spasi lebih dalam dari kuncinya.", "problem"),
    (re.compile(r"single document"), "Berkas memuat lebih dari satu dokumen YAML (baris `---` atau `...`).",
     "Hapus baris `---` itu; satu berkas berisi satu rekaman.", "problem"),
    (re.compile(r"mapping values are not allowed"), "Tanda titik dua (:) muncul di tempat yang tidak boleh.",
     "Jika nilainya memuat ': ', apit seluruh nilai dengan tanda kutip \"...\"; atau periksa indentasi baris ini.",
     "problem"),
    (re.compile(r"expected <block end>|did not find expected key|expected <document start>"),
     "Indentasi (jumlah spasi di awal baris) tidak konsisten.",
     "Samakan jumlah spasi dengan baris lain pada tingkat yang sama.", "problem"),
    (re.compile(r"did not find expected '-' indicator"), "Isi daftar tidak sejajar.",
     "Awali setiap butir daftar dengan '- ' pada kolom yang sama.", "problem"),
    (re.compile(r"found unexpected"), "Ada karakter yang tidak bisa dibaca YAML di sini.",
     "Apit teks dengan tanda kutip tunggal '...' bila memuat karakter khusus seperti * & ! % @ `.", "problem"),
]
_QUOTED_START = re.compile(r"""^(\s*(?:-\s+)*(?:[^\s#"'\-][^#]*?:\s+)?)(["'])""")
_BLOCK_START = re.compile(r"""^(\s*)(?:-\s+)*[^#"']*:\s+[|>][-+0-9]*\s*(#.*)?$""")


def _closing(line: str, start: int, quote: str) -> int | None:
    """Index just after the quote that closes one opened before `start`; None when the line does not close it."""
    index = start
    while index < len(line):
        char = line[index]
        if quote == '"' and char == "\\":
            index += 2
            continue
        if char == quote:
            if quote == "'" and line[index + 1:index + 2] == "'":
                index += 2
                continue
            return index + 1
        index += 1
    return None


def _unclosed_quote(lines: list[str], last: int) -> int | None:
    """0-based line of a quoted value that is not closed on its line and closes badly (or never) later."""
    row, block_indent = 0, None
    while row <= min(last, len(lines) - 1):
        line = lines[row]
        indent = len(line) - len(line.lstrip(" "))
        if block_indent is not None and (not line.strip() or indent > block_indent):
            row += 1
            continue
        block = _BLOCK_START.match(line)
        block_indent = len(block[1]) if block else None
        opened = _QUOTED_START.match(line)
        if opened and _closing(line, opened.end(), opened[2]) is None:
            for later in range(row + 1, len(lines)):
                end = _closing(lines[later], 0, opened[2])
                if end is not None:
                    rest = lines[later][end:].strip()
                    if rest and not rest.startswith("#"):
                        return row  # it "closed" at the start of another value: the quote here was never closed
                    row = later
                    break
            else:
                return row
        row += 1
    return None


def _cause(error: yaml.MarkedYAMLError, lines: list[str], mark: yaml.Mark) -> tuple[str, str, int, int] | None:
    """What a person would fix, when libyaml notices it later than where it is."""
    line = mark.line
    quoted = _unclosed_quote(lines, line)
    opened = _QUOTED_START.match(lines[quoted]) if quoted is not None and quoted <= line else None
    if quoted is not None and opened:  # _unclosed_quote returns only a line that opens a quote
        column = opened.end()
        return ("Tanda kutip dibuka di sini tetapi tidak pernah ditutup.",
                "Tambahkan tanda kutip penutup di akhir nilai ini, atau hapus tanda kutip pembukanya.", quoted, column)
    here = lines[line] if line < len(lines) else ""
    before = here[:mark.column].rstrip()
    stray = re.search(r"expected <block end>|did not find expected key", error.problem or "")
    if stray and before[-1:] in ("'", '"'):
        return ("Ada teks setelah tanda kutip penutup.",
                "Apit seluruh nilai dengan tanda kutip, atau hapus tanda kutipnya.", line, mark.column + 1)
    if "mapping values are not allowed" in (error.problem or "") and ": " not in before + " ":
        previous = next((r for r in range(line - 1, -1, -1) if lines[r].strip() and
                         not lines[r].lstrip().startswith("#")), None)
        if previous is not None:
            above = lines[previous]
            if ":" not in above and not above.lstrip().startswith("- "):
                return ("Baris ini bukan pasangan `kunci: nilai`: titik duanya tidak ada.",
                        "Tambahkan titik dua dan spasi setelah kunci, misalnya `nama: ...`.", previous,
                        len(above) - len(above.lstrip()) + 1)
            if len(here) - len(here.lstrip(" ")) > len(above) - len(above.lstrip(" ")):
                return ("Baris ini menjorok lebih dalam daripada baris sebelumnya.",
                        f"Samakan jumlah spasi di awal baris dengan baris {previous + 1}.", line, 1)
    return None


def _syntax_problem(error: yaml.MarkedYAMLError, text: str) -> YamlProblem:
    original = f"{error.context or ''} {error.problem or ''}".strip()
    mark = error.problem_mark or error.context_mark
    if mark is not None and text[mark.index:mark.index + 1] == "\t":
        original += " <TAB>"
    lines = text.split("\n")
    if mark is not None and "<TAB>" not in original:
        cause = _cause(error, lines, mark)
        if cause is not None:
            message, fix, line, column = cause
            return YamlProblem(message, fix, line + 1, column, "yaml-sintaks")
    detail = original.removesuffix(" <TAB>")
    message, fix = f"Sintaks YAML tidak sah (keterangan teknis: {detail}).", "Periksa baris ini dan baris sebelumnya."
    for pattern, hint_message, hint_fix, which in _SYNTAX_HINTS:
        if pattern.search(original):
            message, fix = hint_message, hint_fix
            if which == "context" and error.context_mark is not None:
                mark = error.context_mark
            break
    return YamlProblem(message, fix,
                       mark.line + 1 if mark else None, mark.column + 1 if mark else None, "yaml-sintaks")


def _reader_problem(error: yaml.reader.ReaderError, text: str) -> YamlProblem:
    """A character YAML does not accept at all (control characters): where it is and that it must go."""
    position = min(max(error.position, 0), len(text))
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    code = error.character if isinstance(error.character, int) else ord(str(error.character)[:1] or "?")
    return YamlProblem(f"Berkas memuat karakter kendali tak terlihat (kode U+{code:04X}) yang tidak diterima YAML.",
                       "Hapus karakter itu (biasanya ikut tersalin dari aplikasi lain); ketik ulang teks di sekitarnya "
                       "bila perlu.", line, column, "yaml-sintaks")


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


class _NotPlain(Exception):
    """The text holds something only the careful loader may judge."""


_SCALAR_BUILDERS = {  # the careful loader's constructors for the non-text scalars it allows
    "tag:yaml.org,2002:" + name: getattr(yaml.constructor.SafeConstructor, f"construct_yaml_{name}")
    for name in ("int", "float", "bool", "null")
}
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_NO_KEY = object()
_RESOLVERS = _Loader.yaml_implicit_resolvers  # the same table the careful loader resolves plain scalars with
assert None not in _RESOLVERS  # (no wildcard resolvers: a scalar's first character picks its candidates)


def _resolved(value: str, candidates: list[tuple[str, re.Pattern[str]]]) -> tuple[object, bool]:
    """(value, is text) of a plain scalar whose first character some implicit resolver claims."""
    for tag, pattern in candidates:
        if pattern.match(value):
            build = _SCALAR_BUILDERS.get(tag)
            if build is None:  # merge key `<<`, value key `=`
                raise _NotPlain
            return build(_CONSTRUCTOR, yaml.ScalarNode(tag, value)), False
    return value, True


def _plain_load(text: str) -> object:
    """Data built from libyaml's events; _NotPlain when the careful loader must read the text.

    Hot (every record of every `periksa`): one loop, the open container and its pending key in locals."""
    scalar, mapping, sequence = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
    ends, resolvers, no_key = (yaml.MappingEndEvent, yaml.SequenceEndEvent), _RESOLVERS, _NO_KEY
    parser = yaml.CSafeLoader(text)
    try:
        get: Callable[[], Any] = parser.get_event  # libyaml's events, read by attribute
        first, second = get(), get()
        if type(first) is not yaml.StreamStartEvent or type(second) is not yaml.DocumentStartEvent \
                or second.version is not None or second.tags is not None:
            raise _NotPlain
        root = top = None  # the open container (None: at the top) and its pending key
        key: object = no_key
        outer: list[tuple[Any, Any]] = []
        while True:
            event = get()
            kind = type(event)
            if event.__class__ in ends:
                top, key = outer.pop()
                continue
            if kind is scalar:
                if event.anchor is not None or event.tag is not None:
                    raise _NotPlain
                value, is_text = event.value, True
                if event.implicit[0]:  # plain: the careful loader's implicit resolvers decide
                    candidates = resolvers.get(value[:1])
                    if candidates:
                        value, is_text = _resolved(value, candidates)
            elif kind is mapping or kind is sequence:
                if event.anchor is not None or event.tag is not None:
                    raise _NotPlain
                value, is_text = ({} if kind is mapping else []), False
            elif kind is yaml.DocumentEndEvent:
                break
            else:  # an alias, or anything unforeseen
                raise _NotPlain
            if top is None:
                root = value
            elif top.__class__ is list:
                top.append(value)
            elif key is no_key:  # this is a key: text, written once
                if not is_text or value in top:
                    raise _NotPlain
                key = value
                continue
            else:
                top[key] = value
                key = no_key
            if kind is not scalar:
                outer.append((top, key))
                if len(outer) > MAX_DEPTH:
                    raise _NotPlain
                top, key = value, no_key
        if type(get()) is not yaml.StreamEndEvent:  # a second document
            raise _NotPlain
        return root
    except yaml.YAMLError:
        raise _NotPlain from None
    finally:
        parser.dispose()


def load_text(text: str) -> object:
    """Parse one YAML document into JSON-like data; raises YamlProblem."""
    try:
        return _plain_load(text)
    except _NotPlain:
        pass
    try:
        return yaml.load(text, Loader=_Loader)
    except YamlProblem:
        raise
    except yaml.MarkedYAMLError as error:
        raise _syntax_problem(error, text) from None
    except yaml.reader.ReaderError as error:
        raise _reader_problem(error, text) from None
    except yaml.YAMLError as error:
        raise YamlProblem(f"YAML tidak sah: {error}", "Periksa sintaks berkas.", code="yaml-sintaks") from None


def load_mapping(raw: bytes) -> dict[str, Any]:  # parsed YAML: checked by the schema, not by types
    """Parse a whole file that must be one YAML mapping."""
    data = load_text(decode(raw))
    if not isinstance(data, dict):
        kind = {list: "daftar", type(None): "kosong"}.get(type(data), "satu nilai tunggal")
        raise YamlProblem(f"Isi berkas harus berupa peta `kunci: nilai`, bukan {kind}.",
                          "Mulai berkas dengan baris seperti `id: ...`, satu kunci per baris.", 1, 1,
                          "yaml-bukan-peta")
    return data


def locate(text: str, path: Sequence[str | int], key: bool = False) -> tuple[int, int] | tuple[None, None]:
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


# The writer. Plain (unquoted) only for text that no YAML 1.1 reader takes for anything else: it starts with a
# letter, holds only word characters and a few harmless signs, and is not a YAML 1.1 boolean or null word.
# Everything else is double-quoted with every character escaped that YAML would not keep as it is: controls,
# line breaks (YAML 1.1 counts NEL U+0085, LS U+2028 and PS U+2029 as line breaks and folds them), the byte
# order mark, non-characters. Multi-line text becomes a literal block only when the block keeps it exactly.
_PLAIN = re.compile(r"[A-Za-z\u00c0-\u024f][\w .,()/'+-]*")
_PLAIN_IN_FLOW = re.compile(r"[A-Za-z\u00c0-\u024f][\w .()/'+-]*")  # a comma would split a [list] item
_YAML11_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "none", "~"}
_UNSAFE = re.compile("[^\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
_MAX_KEY = 1000  # YAML reads an implicit key of at most 1024 characters
_SHORT_ESCAPES = {"\\": "\\\\", '"': '\\"', "\t": "\\t", "\n": "\\n", "\r": "\\r", "\x00": "\\0"}


def _escape(match: re.Match[str]) -> str:
    char = match[0]
    if char in _SHORT_ESCAPES:
        return _SHORT_ESCAPES[char]
    if "\ud800" <= char <= "\udfff":
        raise ValueError(f"teks memuat surrogate tunggal U+{ord(char):04X} yang tidak bisa ditulis dalam UTF-8")
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


def _quoted(value: str) -> str:
    return '"' + re.sub(r'[\\"]|' + _UNSAFE.pattern, _escape, value) + '"'


def _number(value: int | float) -> str:
    if isinstance(value, int):
        return str(value)
    if value != value:
        return ".nan"
    if value in (float("inf"), float("-inf")):
        return ".inf" if value > 0 else "-.inf"
    text = repr(value)
    # YAML 1.1 reads a float only with a dot: 1e+16 would come back as text.
    return text if "." in text else text.replace("e", ".0e", 1)


def _scalar(value: str | float | None, flow: bool = False) -> str:  # float: bool and int too
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return _number(value)
    if not isinstance(value, str):
        raise TypeError(f"cannot write {type(value).__name__} as YAML")
    plain = _PLAIN_IN_FLOW if flow else _PLAIN
    if plain.fullmatch(value) and value.lower() not in _YAML11_WORDS and not value.endswith(" "):
        return value
    return _quoted(value)


def _key(key: object) -> str:
    if not isinstance(key, str):
        raise TypeError(f"YAML keys of records are text, not {type(key).__name__}")
    written = _scalar(key)
    if len(written) > _MAX_KEY:
        raise ValueError(f"a key of {len(key)} characters is longer than YAML allows for `key: value`")
    return written


def _block_text(value: str) -> bool:
    """Multi-line text that a literal block (| or |-) keeps exactly."""
    body = value.removesuffix("\n")
    if "\n" not in body and body == value or not body or body.endswith("\n"):
        return False
    lines = body.split("\n")
    return (not _UNSAFE.search(body.replace("\n", "").replace("\t", ""))
            and all(not line[:1].isspace() and line.strip() == line.strip(" \t") for line in lines)
            and not any(line and line.strip() == "" for line in lines))


def _mapping(data: dict[str, Any], indent: str) -> list[str]:
    return [line for key, value in data.items() for line in _entry(f"{indent}{_key(key)}:", value, indent)]


def _entry(head: str, value: Any, indent: str) -> list[str]:  # JSON-like data
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
        return [f"{head} [{', '.join(_scalar(i, flow=True) for i in value)}]"]
    if isinstance(value, dict):
        return [f"{head} {{}}"]
    if isinstance(value, str) and _block_text(value):
        body = value.removesuffix("\n").split("\n")
        return [f"{head} {'|' if value.endswith(chr(10)) else '|-'}"] + [
            f"{indent}  {line}" if line else "" for line in body]
    return [f"{head} {_scalar(value)}"]


def dump(data: dict[str, Any], header: str = "") -> str:
    """YAML text for JSON-like data, in the style staff write by hand; `load_text(dump(x)) == x` for every x."""
    lines = ([header] if header else []) + (_mapping(data, "") if data else ["{}"])
    return "\n".join(lines) + "\n"


_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")  # what YAML 1.1 counts as a line break


def _line_start(text: str, index: int) -> int:
    return max((m.end() for m in _BREAK.finditer(text, 0, index)), default=0)


def _line_end(text: str, index: int) -> int:
    found = _BREAK.search(text, index)
    return found.end() if found else len(text)


def _content_end(text: str, key: yaml.Node, node: yaml.Node) -> int:
    """Index just after the last character of `key: node` (a block scalar's or an empty value's end mark lies at
    the next token, possibly lines further)."""
    if isinstance(node, yaml.MappingNode) and node.value and node.flow_style is False:
        return _content_end(text, *node.value[-1])
    if isinstance(node, yaml.SequenceNode) and node.value and node.flow_style is False:
        return _content_end(text, node.value[-1], node.value[-1])
    if node.start_mark.index == node.end_mark.index:  # an empty value: what follows `key:`
        return text.index(":", key.end_mark.index) + 1 if key is not node else node.start_mark.index
    return len(text[:node.end_mark.index].rstrip())


def _block_mapping(text: str) -> yaml.MappingNode | None:
    """The text's top-level mapping as nodes (pure Python: marks are indexes into `text`); None unless a block one."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    return root if isinstance(root, yaml.MappingNode) and not root.flow_style else None


def edit(text: str, changes: dict[str, Any], before: str | None = None) -> str:
    """`text` with top-level keys set to new values written by `dump`; every other line stays exactly as written.

    A key that exists is replaced where it stands (a comment after its value is kept on its first line); a new key
    goes before the key `before` when there is one, else at the end. A text written some other way than a plain
    block mapping (a document end `...` before the end, an explicit `? key`, a flow mapping) is written anew by
    `dump`: the result always reads back as the old data with `changes` applied.
    """
    loaded = load_text(text)
    wanted = {**(loaded if isinstance(loaded, dict) else {}), **changes}
    try:
        edited = _edit_in_place(text, changes, before)
        if edited is not None and load_text(edited) == wanted:
            return edited
    except (yaml.YAMLError, YamlProblem):
        pass
    header = re.match(r"(?:#[^\n]*\n)*", text)
    return dump(wanted, header[0].rstrip("\n") if header else "")


def _edit_in_place(text: str, changes: dict[str, Any], before: str | None) -> str | None:
    root = _block_mapping(text)
    if root is None:
        return None
    for key, value in changes.items():
        entries = {k.value: (k, v) for k, v in root.value if isinstance(k, yaml.ScalarNode)}
        if key in entries:
            key_node, value_node = entries[key]
            start = _line_start(text, key_node.start_mark.index)
            end = _content_end(text, key_node, value_node)
            rest_end = _line_end(text, end)
            rest = text[end:rest_end].strip()
            lines = dump({key: value}).split("\n")
            if rest.startswith("#"):
                lines[0] += "  " + rest
            indent = " " * key_node.start_mark.column
            new = "\n".join(indent + line if line else line for line in lines[:-1]) + "\n"
            text = text[:start] + new + text[rest_end:]
        else:
            anchor = entries.get(before) if before else None
            at = _line_start(text, anchor[0].start_mark.index) if anchor else len(text)
            if at == len(text) and text and not text.endswith("\n"):
                text += "\n"
                at += 1
            text = text[:at] + dump({key: value}) + text[at:]
        root = _block_mapping(text)
        if root is None:
            return None
    return text
