"""The YAML writer produces what the safe reader reads back exactly."""
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from pengaduan.core import yamlio

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


# The whole finding for each kind, exactly: line, column, code, message and fix, as staff read them (found by
# mutation testing: columns, codes and fixes were never checked). The last rows check the quote scanner on
# doubled '' and escaped \" quotes, closed and not, and a control character further in.
EXACT = [
    ('id: a\nperihal: "Nama tidak ada\nuraian: x\nkategori: y\nb: 1\nc: 2\n', 2, 10, 'yaml-sintaks', 'Tanda kutip dibuka di sini tetapi tidak pernah ditutup.', 'Tambahkan tanda kutip penutup di akhir nilai ini, atau hapus tanda kutip pembukanya.'),
    ("id: a\nperihal: 'Nama tidak ada\nuraian: x\n", 2, 10, 'yaml-sintaks', 'Tanda kutip dibuka di sini tetapi tidak pernah ditutup.', 'Tambahkan tanda kutip penutup di akhir nilai ini, atau hapus tanda kutip pembukanya.'),
    ('id: a\nperihal: "abc\nuraian: "def"\nx: 1\n', 2, 10, 'yaml-sintaks', 'Tanda kutip dibuka di sini tetapi tidak pernah ditutup.', 'Tambahkan tanda kutip penutup di akhir nilai ini, atau hapus tanda kutip pembukanya.'),
    ('id: a\nuraian: |\n  kata "kutip\nperihal: "ok"\nx: [1\n', 5, 4, 'yaml-sintaks', 'Kurung siku [ dibuka di sini tetapi tidak ditutup.', 'Tutup daftar dengan ] di baris yang sama, misalnya `[a, b]`.'),
    ('id: a\nperihal Nama tidak ada\nuraian: x\n', 2, 1, 'yaml-sintaks', 'Baris ini bukan pasangan `kunci: nilai`: titik duanya tidak ada.', 'Tambahkan titik dua dan spasi setelah kunci, misalnya `perihal: ...`.'),
    ('id: a\npelapor:\n  nama Budi\n  email: a@b\n', 3, 3, 'yaml-sintaks', 'Baris ini bukan pasangan `kunci: nilai`: titik duanya tidak ada.', 'Tambahkan titik dua dan spasi setelah kunci, misalnya `nama: ...`.'),
    ('id: a\npelapor:\n  nama: Budi\n   email: a@b\n', 4, 1, 'yaml-sintaks', 'Baris ini menjorok lebih dalam daripada baris sebelumnya.', 'Samakan jumlah spasi di awal baris dengan baris 3.'),
    ('id: a\npelapor:\n    nama: Budi\n  email: a@b\n', 4, 3, 'yaml-sintaks', 'Indentasi (jumlah spasi di awal baris) tidak konsisten.', 'Samakan jumlah spasi dengan baris lain pada tingkat yang sama.'),
    ('id: a\npelapor:\n\tnama: Budi\n', 3, 1, 'yaml-sintaks', 'Karakter TAB dipakai untuk indentasi.', 'Ganti setiap TAB dengan spasi (YAML hanya menerima spasi untuk indentasi).'),
    ('id: a\nlampiran: [a, b\nkategori: c\n', 2, 11, 'yaml-sintaks', 'Kurung siku [ dibuka di sini tetapi tidak ditutup.', 'Tutup daftar dengan ] di baris yang sama, misalnya `[a, b]`.'),
    ('id: a\npelapor: {nama: a\nkategori: c\n', 2, 10, 'yaml-sintaks', 'Kurung kurawal { dibuka di sini tetapi tidak ditutup.', 'Tutup dengan } di baris yang sama, atau tulis isinya sebagai baris `kunci: nilai` di bawahnya.'),
    ('id: a\nperihal: x\nperihal: y\n', 3, 1, 'yaml-kunci-ganda', 'Kunci `perihal` ditulis dua kali (pertama di baris 2).', 'Hapus salah satunya atau gabungkan isinya; YAML hanya memakai yang terakhir.'),
    ('id: a\nperihal: Catatan: penting\n', 2, 17, 'yaml-sintaks', 'Tanda titik dua (:) muncul di tempat yang tidak boleh.', 'Jika nilainya memuat \': \', apit seluruh nilai dengan tanda kutip "..."; atau periksa indentasi baris ini.'),
    ('id: a\nlampiran:\n  - a\n - b\n', 4, 2, 'yaml-sintaks', 'Indentasi (jumlah spasi di awal baris) tidak konsisten.', 'Samakan jumlah spasi dengan baris lain pada tingkat yang sama.'),
    ('id: a\nperihal: *penting\n', 2, 10, 'yaml-sintaks', 'Nilai yang diawali * dibaca YAML sebagai rujukan (alias).', 'Apit nilainya dengan tanda kutip, misalnya "*penting*".'),
    ('id: a\nperihal: "a" b\n', 2, 14, 'yaml-sintaks', 'Ada teks setelah tanda kutip penutup.', 'Apit seluruh nilai dengan tanda kutip, atau hapus tanda kutipnya.'),
    ('id: a\nperihal: "C:\\qdata"\n', 2, 13, 'yaml-sintaks', 'Garis miring terbalik (\\) di dalam tanda kutip ganda dibaca sebagai kode khusus.', "Tulis \\\\ untuk satu garis miring terbalik, atau apit nilainya dengan tanda kutip tunggal '...'."),
    ('id: a\nperihal: @budi\n', 2, 10, 'yaml-sintaks', 'Nilai tidak boleh diawali karakter ini (@, ` atau %) tanpa tanda kutip.', 'Apit seluruh nilai dengan tanda kutip "...".'),
    ('id: a\nuraian: | teks\n  lagi\n', 2, 11, 'yaml-sintaks', 'Setelah | atau > tidak boleh ada teks di baris yang sama.', 'Pindahkan teksnya ke baris berikutnya, menjorok dua spasi lebih dalam dari kuncinya.'),
    ('id: a\n---\nid: b\n', 2, 1, 'yaml-sintaks', 'Berkas memuat lebih dari satu dokumen YAML (baris `---` atau `...`).', 'Hapus baris `---` itu; satu berkas berisi satu rekaman.'),
    ('id: a\nperihal: x\x07y\n', 2, 11, 'yaml-sintaks', 'Berkas memuat karakter kendali tak terlihat (kode U+0007) yang tidak diterima YAML.', 'Hapus karakter itu (biasanya ikut tersalin dari aplikasi lain); ketik ulang teks di sekitarnya bila perlu.'),
    ('id: a\nperihal: &x a\nuraian: *x\n', 2, 10, 'yaml-alias', 'Anchor/alias YAML (&nama dan *nama) tidak diizinkan dalam rekaman.', 'Tulis nilainya lengkap di tempat itu; hapus tanda & dan *.'),
    ("id: a\nperihal: 'Pak ''Budi'' datang'\nuraian: x: y\n", 3, 10, 'yaml-sintaks', 'Tanda titik dua (:) muncul di tempat yang tidak boleh.', 'Jika nilainya memuat \': \', apit seluruh nilai dengan tanda kutip "..."; atau periksa indentasi baris ini.'),
    ('id: a\nperihal: "kata \\" kutip" \nuraian: x: y\n', 3, 10, 'yaml-sintaks', 'Tanda titik dua (:) muncul di tempat yang tidak boleh.', 'Jika nilainya memuat \': \', apit seluruh nilai dengan tanda kutip "..."; atau periksa indentasi baris ini.'),
    ("id: a\nperihal: 'Pak ''Budi datang\nuraian: x\n", 2, 10, 'yaml-sintaks', 'Tanda kutip dibuka di sini tetapi tidak pernah ditutup.', 'Tambahkan tanda kutip penutup di akhir nilai ini, atau hapus tanda kutip pembukanya.'),
    ('id: a\nperihal: "kata \\" kutip\nuraian: x\n', 2, 10, 'yaml-sintaks', 'Tanda kutip dibuka di sini tetapi tidak pernah ditutup.', 'Tambahkan tanda kutip penutup di akhir nilai ini, atau hapus tanda kutip pembukanya.'),
    ('id: a\nb: c\nperihal: abc\x07def\n', 3, 13, 'yaml-sintaks', 'Berkas memuat karakter kendali tak terlihat (kode U+0007) yang tidak diterima YAML.', 'Hapus karakter itu (biasanya ikut tersalin dari aplikasi lain); ketik ulang teks di sekitarnya bila perlu.'),
    ('id: a\nperihal: x\n---\n', 3, 1, 'yaml-sintaks', 'Berkas memuat lebih dari satu dokumen YAML (baris `---` atau `...`).', 'Hapus baris `---` itu; satu berkas berisi satu rekaman.'),
]


@pytest.mark.parametrize("text, line, column, code, message, fix", EXACT)
def test_syntax_findings_exactly(text, line, column, code, message, fix):
    with pytest.raises(yamlio.YamlProblem) as caught:
        yamlio.load_text(text)
    found = caught.value
    assert (found.line, found.column, found.code, found.message, found.fix) == (line, column, code, message, fix)


@pytest.mark.parametrize("raw, line, column, code", [
    (b"id: a\nperihal: \xff\n", 2, 10, "yaml-utf8"),
    (b"id: a\nb: c\n\x00", 3, None, "yaml-utf8"),
    (b"  \n\n", None, None, "yaml-kosong"),
    (b"x" * (yamlio.MAX_BYTES + 1), None, None, "yaml-ukuran"),
])
def test_bytes_that_are_not_a_record(raw, line, column, code):
    with pytest.raises(yamlio.YamlProblem) as caught:
        yamlio.decode(raw)
    assert (caught.value.line, caught.value.column, caught.value.code) == (line, column, code)
    assert caught.value.message[:1].isupper() and caught.value.fix


def test_decode_keeps_text_and_drops_a_byte_order_mark():
    assert yamlio.decode("\ufeffid: é\n".encode()) == "id: é\n"
    assert yamlio.decode(b"x" * yamlio.MAX_BYTES) == "x" * yamlio.MAX_BYTES


# Property tests: every string, key and nested record, not a list of examples. Text includes the characters that
# broke the writer before (NEL, LS, PS, BOM, tabs, controls), the YAML 1.1 words and numbers a reader could take for
# something else, and record-like keys.
YAML_TRAPS = ["\x85", "\u2028", "\u2029", "\ufeff", "\t", "\r", "\n", " ", ": ", " #", "---", "...", "- ", "'", '"',
              "\\", "yes", "On", "NO", "~", "null", "0o1", "1_000", ".inf", "-.Inf", ".NaN", "1e3", "0x1F", "1:20",
              "2026-03-02", "2026-03-02T09:00:00+07:00", "=", "<<", "&a", "*a", "!tag", "%", "@", "`", "|", ">",
              "{", "}", "[", "]", ",", "?", "\x00", "\x07", "\x1b", "\x7f", "\x9f", "\ufffe", "\U0001f600", "é"]
TEXT = st.lists(st.one_of(st.text(), st.sampled_from(YAML_TRAPS)), max_size=6).map("".join)
KEYS = st.one_of(st.from_regex(r"[a-z_]{1,12}", fullmatch=True), TEXT).filter(lambda k: len(k) < 300)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), TEXT)
RECORDS = st.dictionaries(KEYS, st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4), max_leaves=12),
    max_size=6)


@given(TEXT)
@example("baris\x85dua")
@example("a\n  b\nc")
@example("\n  x\ny")
def test_every_string_round_trips_as_value_and_in_a_list(value):
    data = {"uraian": value, "lampiran": [value, value], "pelapor": {"nama": value}}
    assert yamlio.load_text(yamlio.dump(data)) == data


@given(KEYS)
def test_every_key_round_trips(key):
    data = {key: "x", "luar": {key: [{key: 1}]}}
    assert yamlio.load_text(yamlio.dump(data)) == data


@given(RECORDS)
def test_nested_records_round_trip(data):
    assert yamlio.load_text(yamlio.dump(data, "# yaml-language-server: $schema=x")) == data


def test_surrogates_and_overlong_keys_are_refused_not_written_wrongly():
    with pytest.raises(ValueError):
        yamlio.dump({"a": "x\ud800"})
    with pytest.raises(ValueError):
        yamlio.dump({"k" * 1100: 1})


HAND_WRITTEN = """# yaml-language-server: $schema=../schema
id: PGD-2026-00001  # nomor registrasi
perihal: 'Kutip tunggal yang ditulis petugas'
uraian: |
  baris satu
  baris dua

# tentang pelapor
pelapor:
  nama: Budi
  lampiran:
    - a.pdf
kosong:
# sebelum koreksi
koreksi: []
"""


@given(st.sampled_from(["id", "uraian", "pelapor", "kosong", "koreksi", "baru"]), RECORDS | SCALARS)
def test_edit_sets_one_key_and_keeps_every_other_line(key, value):
    edited = yamlio.edit(HAND_WRITTEN, {key: value}, before="koreksi")
    assert yamlio.load_text(edited) == {**yamlio.load_text(HAND_WRITTEN), key: value}
    kept = [line for line in HAND_WRITTEN.splitlines() if line.startswith("#") or line.startswith("perihal")]
    assert all(line in edited.splitlines() for line in kept)
    if key == "id":
        assert edited.splitlines()[1].endswith("  # nomor registrasi")
