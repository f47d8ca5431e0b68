"""Words shown to people in more than one place (CLI help, staff guides, the public site): defined once here.

A test checks that the guides and the site's pages carry these sentences word for word.
"""
from __future__ import annotations

from .config import Office

# The reporter's choice of secrecy (`pelapor.kerahasiaan`), explained the same way everywhere.
SECRECY = {
    "terbuka": "ringkasan pengaduan (tanpa nama dan data pribadi) tampil di situs publik dan dapat dilacak; nama "
               "pelapor dipakai dalam dokumen dinas dan surat kepada pelapor.",
    "anonim": "sama seperti terbuka, tetapi nama pelapor hanya diketahui petugas penerima: dalam dokumen dinas "
              "ditulis \u201cAnonim\u201d, dan tidak ada surat kepada pelapor.",
    "rahasia": "pengaduan tidak tampil di situs publik dan tidak dapat dilacak di sana, hanya ikut dihitung dalam "
               "jumlah; nama pelapor dipakai dalam dokumen dinas dan surat kepada pelapor.",
}


def secrecy_table() -> str:
    """The secrecy levels and their meanings as a Markdown table, for the guides and the site."""
    rows = "\n".join(f"| {level} | {meaning} |" for level, meaning in SECRECY.items())
    return f"| Pilihan | Artinya |\n|---|---|\n{rows}\n"


def person_label(office: Office, name: str, email: str) -> str:
    """Who did something, as the office knows them: "Nama (Jabatan)"; Git's own strings only for strangers."""
    person = office.person_by_email(email)
    if person is not None:
        return f"{person.name} ({person.title})"
    return f"{name} <{email}> (tidak ada di daftar personel)"
