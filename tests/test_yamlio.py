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
