"""The e-mail composed by the site's form reads back into a record's fields, whatever mail apps do to it."""
from pengaduan.core.mailform import END, START, parse

NIK = "99" + "0011223344" + "5566"  # synthetic, and built so that no NIK-like literal is committed
FORM = "\r\n".join([START, "Nama: Budi Warga", f"NIK: {NIK}", "Telepon/WhatsApp: 0812-0000-1111",
                    "Alamat: Desa Buntoi, Kecamatan Kahayan Hilir", "Kerahasiaan: anonim",
                    "Kategori: daftar-pemilih (Daftar pemilih)", "Perihal: Nama tidak ada di DPT",
                    "Uraian:", "Baris satu.", "Nama: ini bagian uraian, bukan label", "", "Baris tiga.", END])


def test_every_field_is_read():
    assert parse(FORM) == {
        "name": "Budi Warga", "nik": NIK, "phone": "0812-0000-1111",
        "address": "Desa Buntoi, Kecamatan Kahayan Hilir", "secrecy": "anonim", "category": "daftar-pemilih",
        "subject": "Nama tidak ada di DPT",
        "body": "Baris satu.\nNama: ini bagian uraian, bukan label\n\nBaris tiga."}


def test_wrapped_quoted_and_signed_mail():
    wrapped = FORM.replace("Alamat: Desa Buntoi, Kecamatan", "Alamat: Desa Buntoi,\r\nKecamatan")
    quoted = "Terusan dari warga:\n" + "\n".join("> " + line for line in wrapped.split("\r\n")) + "\n-- \nDikirim dari ponsel"
    fields = parse(quoted)
    assert fields["address"] == "Desa Buntoi, Kecamatan Kahayan Hilir"
    assert fields["body"].endswith("Baris tiga.") and "ponsel" not in fields["body"]


def test_ordinary_mail_and_bad_values_are_left_to_staff():
    assert parse("Selamat pagi, saya ingin mengadu.\nNama: Budi") == {}
    odd = parse(FORM.replace("Kerahasiaan: anonim", "Kerahasiaan: sangat rahasia").replace(f"NIK: {NIK}",
                                                                                           "NIK:"))
    assert "secrecy" not in odd and "nik" not in odd and odd["name"] == "Budi Warga"
