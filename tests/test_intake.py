"""E-mails as webmail saves them, malformed ones included: a clear message or a safe result, never a stray file."""
from email.message import EmailMessage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

import pytest

from pengaduan.intake import ORIGINAL, IntakeError, read_eml, safe_name


def message(**headers) -> EmailMessage:
    m = EmailMessage()
    defaults = {"From": "Budi Warga <budi@contoh.example>", "To": "pengaduan@pulangpisau.kpu.example",
                "Subject": "Nama tidak ada di DPT", "Date": "Mon, 23 Nov 2026 08:15:00 +0700",
                "Message-ID": "<a1@contoh.example>"}
    for key, value in {**defaults, **headers}.items():
        if value is not None:
            m[key] = value
    return m


def test_plain_mail_with_attachments():
    m = message()
    m.set_content("Baris satu.\nBaris dua.")
    m.add_attachment(b"%PDF bukti", maintype="application", subtype="pdf", filename="bukti.pdf")
    intake = read_eml(bytes(m), "a.eml")
    assert (intake.name, intake.email, intake.subject) == ("Budi Warga", "budi@contoh.example", "Nama tidak ada di DPT")
    assert intake.body == "Baris satu.\nBaris dua." and intake.received.isoformat() == "2026-11-23T08:15:00+07:00"
    assert set(intake.files) == {"bukti.pdf", ORIGINAL} and intake.files[ORIGINAL] == bytes(m)


def test_html_only_mail_becomes_text_without_scripts():
    m = message()
    m.set_content("<html><head><style>p{}</style></head><body><p>Halo <b>KPU</b></p><script>alert(1)</script>"
                  "<p>Baris &amp; dua</p></body></html>", subtype="html")
    assert read_eml(bytes(m), "a.eml").body == "Halo KPU\n\nBaris & dua"


def test_encoded_word_subject_and_wrong_charsets():
    raw = ("From: =?iso-8859-1?q?Jos=E9?= <jose@contoh.example>\r\nDate: Mon, 23 Nov 2026 08:15:00 +0700\r\n"
           "Subject: =?utf-8?b?" + "UGVuZ2FkdWFuIOKAlCBUUFMgNQ==" + "?=\r\nMIME-Version: 1.0\r\n"
           "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n").encode()
    intake = read_eml(raw + "Caf\xe9 \u201ckutip\u201d".encode("cp1252"), "a.eml")  # declared utf-8, written cp1252
    assert intake.subject == "Pengaduan — TPS 5" and intake.name == "José"
    assert "Caf" in intake.body and "kutip" in intake.body
    latin = raw.replace(b"charset=utf-8", b"charset=iso-8859-1") + "Pak Andr\xe9".encode("latin-1")
    assert read_eml(latin, "b.eml").body == "Pak André"
    unknown = raw.replace(b"charset=utf-8", b"charset=tidak-ada") + "Caf\xe9".encode("cp1252")
    assert read_eml(unknown, "c.eml").body == "Café"


@pytest.mark.parametrize("name, expected", [
    ("../../x", "x"), ("..\\..\\win.ini", "win.ini"), ("CON", "_CON"), ("con.txt", "_con.txt"),
    ("a\x00b\x07c.pdf", "abc.pdf"), ("/etc/passwd", "passwd"), ("", "lampiran"), ("...", "lampiran"),
    (ORIGINAL, "_surel-asli.eml"),
])
def test_safe_names(name, expected):
    assert safe_name(name, set(), "lampiran") == expected


def test_long_and_repeated_names():
    taken: set[str] = set()
    long_name = safe_name("a" * 300 + ".pdf", taken, "x")
    assert len(long_name) <= 100 and long_name.endswith(".pdf")
    assert safe_name("b.pdf", taken, "x") == "b.pdf" and safe_name("B.PDF", taken, "x") == "B-2.pdf"


def test_hostile_attachment_names_stay_inside():
    m = message()
    m.set_content("lihat lampiran")
    for name in ("../../x", "CON", "nul\x00byte.txt", "z" * 300):
        m.add_attachment(b"data", maintype="application", subtype="octet-stream", filename=name)
    names = list(read_eml(bytes(m), "a.eml").files)
    assert all("/" not in n and "\\" not in n and "\x00" not in n and len(n) <= 100 for n in names)
    assert len(set(names)) == len(names) == 5


def test_forwarded_message_is_kept_as_an_attachment():
    inner = message(Subject="Aduan asli")
    inner.set_content("Isi aduan asli")
    outer = message(Subject="Fwd: Aduan asli")
    outer.set_content("Diteruskan dari warga.")
    outer.add_attachment(inner)
    intake = read_eml(bytes(outer), "a.eml")
    assert intake.body == "Diteruskan dari warga." and len(intake.files) == 2


def test_image_only_mail():
    m = message()
    m.add_attachment(b"\x89PNG data", maintype="image", subtype="png", filename="foto.png")
    intake = read_eml(bytes(m), "a.eml")
    assert intake.body == "" and "foto.png" in intake.files


def test_broken_mime_still_reads_what_it_can():
    raw = (b"From: a@contoh.example\r\nDate: Mon, 23 Nov 2026 08:15:00 +0700\r\nSubject: rusak\r\n"
           b"Content-Type: multipart/mixed; boundary=\"tidak-ada\"\r\n\r\nteks tanpa batas\r\n")
    intake = read_eml(raw, "a.eml")
    assert intake.subject == "rusak" and intake.files[ORIGINAL] == raw


def test_missing_date_is_left_for_staff():
    m = message(Date=None)
    m.set_content("isi")
    assert read_eml(bytes(m), "a.eml").received is None


@pytest.mark.parametrize("raw", [b"", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj\n", b"hanya teks biasa\nbaris dua\n"])
def test_not_an_email(raw):
    with pytest.raises(IntakeError, match="bukan surel"):
        read_eml(raw, "x.eml")


def test_oversized_attachment_is_refused():
    m = message()
    m.set_content("lampiran besar")
    m.add_attachment(b"\0" * (3 * 1024 * 1024), maintype="application", subtype="zip", filename="besar.zip")
    with pytest.raises(IntakeError, match="melebihi batas 2 MB"):
        read_eml(bytes(m), "a.eml", max_attachment=2 * 1024 * 1024)


def test_multipart_alternative_prefers_plain():
    outer = MIMEMultipart("alternative")
    for key, value in (("From", "a@contoh.example"), ("Date", "Mon, 23 Nov 2026 08:15:00 +0700"),
                       ("Subject", "alt")):
        outer[key] = value
    outer.attach(MIMEText("teks biasa", "plain", "utf-8"))
    outer.attach(MIMEText("<p>teks html</p>", "html", "utf-8"))
    assert read_eml(outer.as_bytes(), "a.eml").body == "teks biasa"
