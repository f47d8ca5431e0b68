"""The YAML writer produces what the safe reader reads back exactly."""
import pytest

from pengaduan import yamlio

SAMPLES = [
    {"a": "yes", "b": "2026-03-02", "c": "x: y", "d": "# not a comment", "e": "  spaced", "f": "'quoted'"},
    {"uraian": "baris satu\nbaris dua\n", "u2": "tanpa akhir\nbaris", "u3": "\nawal kosong", "u4": "a\r\nb"},
    {"lampiran": [{"berkas": "a.pdf", "keterangan": "x\ny"}, {"berkas": "b"}], "k": [], "m": {}, "n": None},
    {"ctl": "a\x00b\x1bc", "uni": "Ä\u2028é", "num": "007", "t": True, "i": 3, "neg": "-1", "tilde": "~"},
    {"injeksi": "<script>alert(1)</script>", "tex": "\\input{/etc/passwd}", "typst": "`#read(\"x\")`{=typst}"},
]


@pytest.mark.parametrize("data", SAMPLES)
def test_round_trip(data):
    assert yamlio.load_text(yamlio.dump(data)) == data


def test_timestamps_stay_text():
    assert yamlio.load_text("w: 2026-03-02T09:00:00+07:00\nd: 2026-03-02\n") == {
        "w": "2026-03-02T09:00:00+07:00", "d": "2026-03-02"}


# Each kind of libyaml syntax error: the line (and message) a person would fix, not where libyaml noticed.
SYNTAX = [
    ('id: a\nperihal: "Nama tidak ada\nuraian: x\nkategori: y\nb: 1\nc: 2\n', 2, "kutip dibuka di sini"),
    ("id: a\nperihal: 'Nama tidak ada\nuraian: x\n", 2, "kutip dibuka di sini"),
    ('id: a\nperihal: "abc\nuraian: "def"\nx: 1\n', 2, "kutip dibuka di sini"),
    ('id: a\nuraian: |\n  kata "kutip\nperihal: "ok"\nx: [1\n', 5, "Kurung siku"),
    ("id: a\nperihal Nama tidak ada\nuraian: x\n", 2, "titik duanya tidak ada"),
    ("id: a\npelapor:\n  nama Budi\n  email: a@b\n", 3, "titik duanya tidak ada"),
    ("id: a\npelapor:\n  nama: Budi\n   email: a@b\n", 4, "menjorok lebih dalam"),
    ("id: a\npelapor:\n    nama: Budi\n  email: a@b\n", 4, "Indentasi"),
    ("id: a\npelapor:\n\tnama: Budi\n", 3, "TAB"),
    ("id: a\nlampiran: [a, b\nkategori: c\n", 2, "Kurung siku"),
    ("id: a\npelapor: {nama: a\nkategori: c\n", 2, "Kurung kurawal"),
    ("id: a\nperihal: x\nperihal: y\n", 3, "ditulis dua kali"),
    ("id: a\nperihal: Catatan: penting\n", 2, "titik dua (:)"),
    ("id: a\nlampiran:\n  - a\n - b\n", 4, "Indentasi"),
    ("id: a\nperihal: *penting\n", 2, "rujukan (alias)"),
    ('id: a\nperihal: "a" b\n', 2, "setelah tanda kutip penutup"),
    ('id: a\nperihal: "C:\\qdata"\n', 2, "Garis miring terbalik"),
    ("id: a\nperihal: @budi\n", 2, "tidak boleh diawali"),
    ("id: a\nuraian: | teks\n  lagi\n", 2, "Setelah | atau >"),
    ("id: a\n---\nid: b\n", 2, "lebih dari satu dokumen"),
    ("id: a\nperihal: x\x07y\n", 2, "karakter kendali"),
    ("id: a\nperihal: &x a\nuraian: *x\n", 2, "Anchor/alias"),
]


@pytest.mark.parametrize("text, line, message", SYNTAX)
def test_syntax_errors_point_at_the_cause(text, line, message):
    with pytest.raises(yamlio.YamlProblem) as caught:
        yamlio.load_text(text)
    assert caught.value.line == line and message in caught.value.message, (caught.value.line, caught.value.message)
    assert "keterangan teknis" not in caught.value.message


# The plain reader (libyaml events straight to data) must never accept what the careful loader refuses, nor read
# anything differently: on every text it either gives up (the careful loader then judges) or returns the same data.
HOSTILE = [
    "a: 1\na: 2\n", '"a": 1\na: 2\n', "a:\n  b: 1\n  b: 2\n", "{a: 1, a: 2}\n", "- {x: 1, 'x': 2}\n",
    "? a\n: 1\n? a\n: 2\n", "a: !!python/object/apply:os.system [ls]\n", "a: !!str 1\n", "a: !foo x\n", "a: ! x\n",
    "!!map {a: 1}\n", "a: !!binary aGVsbG8=\n", "a: !!timestamp 2020-01-01\n", "a: !!set {x}\n", "a: !!omap [b: 1]\n",
    "a: !!seq [1]\n", "a: !!map {}\n", "a: !!int '7'\n", "a: !<tag:yaml.org,2002:str> x\n",
    "a: &x 1\nb: *x\n", "a: &x [1]\nb: *x\n", "&a a: 1\n", "a: &x [*x]\n", "a: &x 1\n", "b: *x\n",
    "<<: {a: 1}\nb: 2\n", "a: {<<: {x: 1}}\n", "=: 1\n", "a: =\n", "<<: 1\n",
    "1: a\n", "true: a\n", "null: a\n", "~: a\n", ": a\n", "[a]: b\n", "? {a: b}\n: c\n", "1.5: x\n", "0x1f: a\n",
    "yes: a\n", "a:\n  - [b]: c\n", "? - a\n: b\n", "'1': a\n1: b\n",
    "a: 1\n---\nb: 2\n", "---\na: 1\n...\n---\nb: 2\n", "a: 1\n...\n", "%YAML 1.1\n---\na: 1\n",
    "%TAG ! tag:yaml.org,2002:\n---\na: !str 1\n", "--- !!map\na: 1\n",
    "a: 2026-03-02\n", "a: 2026-03-02T09:00:00+07:00\n", "a: 2001-12-14 21:59:43.10 -5\n",
    "a: yes\nb: No\nc: on\nd: OFF\ne: y\nf: n\n", "a: 0o17\nb: 017\nc: 0x_1F\nd: 1_000\ne: 190:20:30\nf: 0b101\n",
    "a: .inf\nb: -.INF\nc: .NaN\nd: 1e3\ne: 3.0\nf: +12\ng: 6.8523015e+5\nh: 1_000.5\ni: 190:20:30.15\n",
    "", "# hanya komentar\n", "a:\n", "a: ~\nb: null\nc: Null\n", "- a\n- b\n", "x\n", "[1, 2]\n", "'teks'\n",
    "a: [1, 2\n", 'a: "x\n', "a: b: c\n", "\ta: 1\n", "a: x\x07\n", "a: 'x' y\n", "a:\n- b\n c\n",
    "a: \u2028b\n", "a: \"\\ud800\"\n", "a: '\ufeff'\n", "\ufeffa: 1\n", "a: |\n  x\n  y\n", "a: >-\n  x\n\n  y\n",
    "a: {b: [c, {d: e}], f: []}\n", "a: [[], {}, '', \"\"]\n", "a:\n  -\n  - ~\n", "a: - b\n",
]


def _typed(value):
    """Value with every type spelled out (True == 1 and NaN != NaN in plain Python comparison)."""
    if isinstance(value, dict):
        return ("dict", [(_typed(k), _typed(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [_typed(v) for v in value])
    return (type(value).__name__, repr(value))


def _careful(text: str):
    import yaml
    try:
        return "data", _typed(yaml.load(text, Loader=yamlio._Loader))
    except (yaml.YAMLError, yamlio.YamlProblem) as error:
        return "refused", type(error).__name__


def _plain(text: str):
    try:
        return "data", _typed(yamlio._plain_load(text))
    except yamlio._NotPlain:
        return "gave up", None


def _agrees(text: str) -> bool:
    plain = _plain(text)
    return plain[0] == "gave up" or plain == _careful(text)


@pytest.mark.parametrize("text", HOSTILE)
def test_plain_reader_agrees_with_careful_loader_on_hostile_text(text):
    assert _agrees(text), (_plain(text), _careful(text))


def test_plain_reader_gives_up_on_every_text_the_careful_loader_refuses():
    refused = [text for text in HOSTILE if _careful(text)[0] == "refused"]
    assert len(refused) > 40
    assert [text for text in refused if _plain(text)[0] != "gave up"] == []


_PIECES = ["a", "b", "a", "'a'", '"b"', "1", "yes", "~", "", "-1", "0x1", "1.5", ".nan", "2026-03-02", "<<", "=",
           "&x", "*x", "!!str", "!t", "[", "]", "{", "}", ",", ":", "? ", "- ", "|", ">", "#c", "---", "...", "'", '"',
           "\t", "ISI: x", "é", "\u2028", "\\"]


def test_plain_reader_agrees_with_careful_loader_on_generated_text():
    import random
    pick = random.Random(2022)
    texts = []
    for _ in range(4000):
        lines = []
        for _ in range(pick.randint(1, 6)):
            indent = " " * pick.choice([0, 0, 2, 4, 1])
            key = pick.choice(_PIECES[:16])
            value = " ".join(pick.choice(_PIECES) for _ in range(pick.randint(0, 3)))
            lines.append(pick.choice([f"{indent}{key}: {value}", f"{indent}- {value}", f"{indent}{value}",
                                      f"{indent}{key}:"]))
        texts.append("\n".join(lines) + "\n")
    outcomes = {text: (_plain(text), _careful(text)) for text in texts}
    assert [text for text, (plain, careful) in outcomes.items() if plain[0] != "gave up" and plain != careful] == []
    taken = sum(plain[0] == "data" for plain, _ in outcomes.values())
    assert taken > 300 and sum(careful[0] == "refused" for _, careful in outcomes.values()) > 400, taken


@pytest.mark.parametrize("data", SAMPLES)
def test_plain_reader_takes_what_the_writer_writes(data):
    assert yamlio._plain_load(yamlio.dump(data)) == data
