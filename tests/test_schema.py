"""The compiled validator is a fast "valid" only: it never passes a document jsonschema finds a problem in."""
import copy
import random

import pytest

from pengaduan.core import schema

SYNTHETIC_NIK = "99" + "0011223344" + "5588"  # 16 digits, obviously not a real NIK
FULL_RECORD = {
    "id": "PGD-2026-00012", "versi_sop": "4/2022", "langkah": 8,
    "diterima": {"waktu": "2026-03-02T09:15:00+07:00", "saluran": "surel", "nomor_agenda": 12,
                 "nomor_surat": "01/RT/2026", "tanggal_surat": "2026-03-01", "message_id": "<a@b>"},
    "pelapor": {"kerahasiaan": "terbuka", "nama": "Budi", "nik": SYNTHETIC_NIK, "email": "budi@contoh.example",
                "telepon": "+62 812-3456", "alamat": "Jl. Merdeka"},
    "perihal": "Pemilih tidak terdaftar", "perihal_dinas": "Dugaan pemilih tidak terdaftar", "uraian": "Isi.",
    "kategori": "daftar-pemilih", "ringkasan_publik": "Ringkasan.",
    "lampiran": [{"berkas": "a.pdf", "keterangan": "Surat"}],
    "disposisi": {"sifat": "segera", "diteruskan_kepada": "teknis", "instruksi": "Tindak lanjuti.", "catatan": "-"},
    "nota_dinas_tindak_lanjut": {"nomor": "1/ND/2026", "tanggal": "2026-03-03", "hal": "Tindak lanjut", "isi": "Isi",
                                 "lampiran": "1 (satu) berkas"},
    "nota_dinas_balasan": {"nomor": "2/ND/2026", "tanggal": "2026-03-04", "hal": "Balasan", "isi": "Jawaban"},
    "penerusan": {"diterima_tanggal": "2026-03-05", "catatan": "-"},
    "arahan_rekap": {"instruksi": "Catat.", "catatan": "-"},
    "rekap": {"hasil": "dijawab", "catatan": "Selesai."},
    "surat_pemohon": {"tanda_terima_dikirim": "2026-03-02T10:00:00+07:00",
                      "jawaban": {"nomor": "3/S/2026", "tanggal": "2026-03-06", "isi": "Jawaban kantor."},
                      "jawaban_dikirim": "2026-03-06T10:00:00+07:00"},
    "koreksi": [{"tanggal": "2026-03-07", "bagian": ["diterima"], "alasan": "Salah ketik jam terima."}],
}
# Values near every boundary the schema draws: types (True is not an integer, 3.0 is), lengths, patterns (a
# trailing newline passes `$` in jsonschema), calendar dates, times with and without zone, enums.
ODD_VALUES = [None, True, False, 0, 1, -1, 2, 99, 100, 3.0, 2.5, float("nan"), float("inf"), "", " ", "x", "xy",
              "x\n", "a" * 9, "a" * 10, [], ["x"], [1], {}, {"x": 1}, "2026-02-30", "2026-03-02", "2026-03-02\n",
              "2026-13-01", "2026-3-2", "2026-03-02T09:00:00+07:00", "2026-03-02T09:00:00+07:00\n",
              "2026-03-02T25:00:00+07:00", "2026-03-02 09:00+07:00", "2026-03-02T09:00:00", "2026-03-02T09:00:00Z",
              SYNTHETIC_NIK, SYNTHETIC_NIK + "\n", SYNTHETIC_NIK[:-1], "PGD-2026-00001", "PGD-2026-00001\n",
              "pgd-2026", "a@b", "a@b\n", "a@@b", "+62 (0) 812", "12345", "terbuka", "rahasia ", "segera", "dijawab"]


def _paths(value, path=()):
    yield path
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        yield from _paths(item, path + (key,))


def _set(data, path, value):
    copied = copy.deepcopy(data)
    target = copied
    for step in path[:-1]:
        target = target[step]
    if value is _DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return copied


_DELETE = object()


def _variants():
    paths = [p for p in _paths(FULL_RECORD) if p]
    for path in paths:
        for value in ODD_VALUES + [_DELETE]:
            yield _set(FULL_RECORD, path, value)
    for path in [()] + [p for p in paths if isinstance(_get(FULL_RECORD, p), dict)]:
        yield _set(FULL_RECORD, path + ("kunci_asing",), "x") if path else {**FULL_RECORD, "kunci_asing": "x"}
    pick = random.Random(2022)
    for _ in range(3000):  # several changes at once
        data = FULL_RECORD
        for _ in range(pick.randint(2, 4)):
            valid_paths = [p for p in _paths(data) if p]
            data = _set(data, pick.choice(valid_paths), pick.choice(ODD_VALUES + [_DELETE]))
        yield data


def _get(data, path):
    for step in path:
        data = data[step]
    return data


def test_full_record_passes_both():
    assert schema.passes_compiled("record", FULL_RECORD)
    assert list(schema._validator("record").iter_errors(FULL_RECORD)) == []


def test_compiled_validator_never_passes_what_jsonschema_refuses():
    both = compiled_only = refused = 0
    for data in _variants():
        errors = list(schema._validator("record").iter_errors(data))
        if schema.passes_compiled("record", data):
            assert errors == [], (data, errors)
            both += 1
        elif errors:
            refused += 1
        else:
            compiled_only += 1  # stricter (a pattern's `$` before a trailing newline): jsonschema then decides
    assert both > 50 and refused > 1000, (both, refused, compiled_only)


@pytest.mark.parametrize("name", ["kantor", "sop"])
def test_other_schemas_compile(name):
    schema.compiled(name)
