"""Reading record versions entry by entry gives exactly what parsing them whole gives."""
import pytest

from pengaduan.core import yamlio
from pengaduan.history.reader import FactsReader
from pengaduan.core.records import SCHEMA_COMMENT

from office import record

BASE = yamlio.dump(record(8), SCHEMA_COMMENT)
TRICKY = [
    BASE,
    BASE.replace("perihal:", "# komentar di kolom nol\nperihal:"),
    BASE.replace("perihal: Perilaku petugas KPPS", 'perihal: "Perilaku\npetugas: KPPS"'),  # continuation at column 0
    BASE.replace("perihal: Perilaku petugas KPPS", "perihal: &a Perilaku petugas KPPS\nsalinan: *a"),
    BASE.replace("kategori:", "kategori: x\nkategori:"),
    BASE.replace("langkah: 8", "langkah: delapan"),
    BASE.replace("langkah: 8\n", ""),
    BASE.replace("perihal:", "\tperihal:"),
    "---\n" + BASE,
    BASE + "...\n",
    BASE.replace("uraian: |", "uraian: |2"),
    BASE.replace("pelapor:", "? pelapor\n:"),
    BASE.replace("perihal: Perilaku petugas KPPS", "perihal: {a: 1,\nb: 2}"),
    "langkah: 2\n",
    "",
]


@pytest.mark.parametrize("text", TRICKY)
def test_same_facts_as_a_whole_parse(text):
    raw = text.encode()
    assert FactsReader().facts(raw) == FactsReader().facts_parsed_whole(raw)


def test_shared_reader_over_many_versions(demo_repo):
    reader, whole = FactsReader(), FactsReader()
    for path in sorted((demo_repo / "records").rglob("*.yaml")):
        raw = path.read_bytes()
        assert reader.facts(raw) == whole.facts_parsed_whole(raw)
