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
