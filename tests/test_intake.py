"""E-mails as webmail saves them, malformed ones included: a clear message or a safe result, never a stray file."""
import base64
import email
import subprocess
import sys
import tempfile
import unicodedata
import email.policy
from datetime import date, datetime, timedelta, timezone
from email.message import EmailMessage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

import pytest

from pengaduan.history.calendar import WIB
from pengaduan.intake.eml import (MAX_DEPTH, MAX_PARTS, ORIGINAL, IntakeError, check_received, eml_sources, read_eml,
                                  safe_name)


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
    assert intake.files["bukti.pdf"].read_bytes() == b"%PDF bukti"


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
    assert intake.body.startswith("Diteruskan dari warga.\n\n---------- Pesan diteruskan") and len(intake.files) == 2
    assert "Perihal: Aduan asli" in intake.body and intake.body.endswith("Isi aduan asli")
    (forwarded,) = [name for name in intake.files if name != ORIGINAL]
    assert forwarded.endswith(".eml") and intake.notes[forwarded].startswith("Surel yang diteruskan")
    kept = email.message_from_bytes(intake.files[forwarded].read_bytes(), policy=email.policy.default)
    assert kept["Subject"] == "Aduan asli" and kept.get_content() == "Isi aduan asli\n"


def test_image_only_mail():
    m = message()
    m.add_attachment(b"\x89PNG data", maintype="image", subtype="png", filename="foto.png")
    intake = read_eml(bytes(m), "a.eml")
    assert intake.body == "" and intake.files["foto.png"].read_bytes() == b"\x89PNG data"


def test_broken_mime_still_reads_what_it_can():
    raw = (b"From: a@contoh.example\r\nDate: Mon, 23 Nov 2026 08:15:00 +0700\r\nSubject: rusak\r\n"
           b"Content-Type: multipart/mixed; boundary=\"tidak-ada\"\r\n\r\nteks tanpa batas\r\n")
    intake = read_eml(raw, "a.eml")
    assert intake.subject == "rusak" and intake.files[ORIGINAL] == raw and intake.body == "teks tanpa batas"


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


# ---- everything an e-mail carries is kept -------------------------------------------------------------------

def test_inline_images_of_an_html_mail_are_kept():
    m = message()
    m.set_content("Lihat foto TPS di bawah.")
    m.add_alternative('<p>Lihat foto TPS:</p><img src="cid:foto1">', subtype="html")
    html = m.get_payload()[1]
    html.add_related(b"\x89PNG sebaris", maintype="image", subtype="png", cid="<foto1>")
    intake = read_eml(bytes(m), "a.eml")
    assert intake.body == "Lihat foto TPS di bawah."
    (image,) = [n for n in intake.files if n != ORIGINAL]
    assert image.endswith(".png") and intake.files[image].read_bytes() == b"\x89PNG sebaris"


def test_a_mail_that_is_only_an_image():
    m = message()
    m.set_content(b"\xff\xd8\xff foto", maintype="image", subtype="jpeg")
    intake = read_eml(bytes(m), "a.eml")
    assert intake.body == "" and intake.files["lampiran-1.jpg"].read_bytes() == b"\xff\xd8\xff foto"


def test_whitespace_of_the_body_is_kept():
    text = "Yth. KPU,\n\n  Nama:\tBudi    Warga\n  TPS :   5\n\nterima kasih"
    m = message()
    m.set_content(text + "\n\n\n")
    assert read_eml(bytes(m), "a.eml").body == text


def test_the_original_is_kept_byte_for_byte(tmp_path):
    raw = (b"From: a@contoh.example\r\nDate: Mon, 23 Nov 2026 08:15:00 +0700\r\nSubject: x\r\n\r\n"
           b"baris   dengan spasi \r\n\tdan tab\r\n\r\n")
    path = tmp_path / "a.eml"
    path.write_bytes(raw)
    intake = read_eml(path, "a.eml")
    assert intake.files[ORIGINAL] == path and path.read_bytes() == raw
    assert intake.body == "baris   dengan spasi \n\tdan tab"


def test_hidden_characters_are_shown_escaped_and_removed_from_names():
    m = message(Subject="Aduan \u202eKPU\u202c", From="=?utf-8?q?Bu=E2=80=AEdi?= <budi@contoh.example>")
    m.set_content("Isi\u202e terbalik\x07 dan\u200b tanpa-lebar\u2028baris.\nEmoji 👨\u200d👩 tetap.")
    m.add_attachment(b"x", maintype="application", subtype="octet-stream", filename="foto\u202egpj.exe")
    intake = read_eml(bytes(m), "a.eml")
    assert intake.subject == "Aduan <U+202E>KPU<U+202C>" and intake.name == "Bu<U+202E>di"
    assert intake.body == ("Isi<U+202E> terbalik<U+0007> dan<U+200B> tanpa-lebar<U+2028>baris.\n"
                           "Emoji 👨\u200d👩 tetap.")
    (name,) = [n for n in intake.files if n != ORIGINAL]
    assert name == "fotogpj.exe" and intake.notes[name] == "Lampiran surel: foto<U+202E>gpj.exe"


def test_folder_mode_matches_extensions_in_any_case(tmp_path):
    for name in ("ADUAN.EML", "b.Eml", "c.eml", "catatan.txt", "d.eml.txt"):
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / "folder.eml").mkdir()
    assert [p.name for p in eml_sources(tmp_path)] == ["ADUAN.EML", "b.Eml", "c.eml"]
    assert eml_sources(tmp_path / "c.eml") == [tmp_path / "c.eml"]


def _nested(levels: int) -> bytes:
    part = MIMEText("isi terdalam", "plain", "utf-8")
    for _ in range(levels):
        outer = MIMEMultipart("mixed")
        outer.attach(part)
        part = outer
    for key, value in (("From", "a@contoh.example"), ("Date", "Mon, 23 Nov 2026 08:15:00 +0700"), ("Subject", "x")):
        part[key] = value
    return part.as_bytes()


def test_nesting_depth_is_limited_with_a_clear_message():
    assert read_eml(_nested(5), "a.eml").body == "isi terdalam"
    with pytest.raises(IntakeError, match=f"bersarang lebih dari {MAX_DEPTH} tingkat"):
        read_eml(_nested(200), "a.eml")


def test_forwarded_inside_forwarded_is_limited_too():
    inner = message(Subject="dalam")
    inner.set_content("terdalam")
    for level in range(MAX_DEPTH + 2):
        outer = message(Subject=f"Fwd {level}")
        outer.set_content(f"lapis {level}")
        outer.add_attachment(inner)
        inner = outer
    with pytest.raises(IntakeError, match="bersarang"):
        read_eml(bytes(inner), "a.eml")


def _attachments(raw: bytes) -> list[bytes]:
    """What the standard library (reading everything into memory) finds in the attachments."""
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    return [part.get_payload(decode=True) for part in parsed.iter_attachments()]


@pytest.mark.parametrize("encoding", ["base64", "quoted-printable", "7bit", "8bit"])
def test_attachments_decode_exactly_as_the_standard_library(encoding):
    payloads = [bytes(range(256)) * 40, b"baris satu\r\nbaris dua\n\n", b"", b"=\r\n=3D \t \n-- \n--x"]
    if encoding in ("7bit", "8bit"):
        payloads = [b"baris satu\r\nbaris dua\r\n", b"tanpa akhir baris", b"\r\n\r\n"]
    m = message()
    m.set_content("lampiran")
    for index, payload in enumerate(payloads):
        m.add_attachment(payload, maintype="application", subtype="octet-stream", filename=f"b{index}.bin",
                         cte=encoding if encoding != "8bit" else "8bit")
    raw = bytes(m)
    intake = read_eml(raw, "a.eml")
    ours = [intake.files[f"b{i}.bin"].read_bytes() for i in range(len(payloads))]
    assert ours == _attachments(raw)


def test_long_lines_and_broken_base64():
    data = bytes(range(256)) * 1000
    body = base64.b64encode(data)  # one 340 kB line, no line breaks
    raw = (b"From: a@contoh.example\r\nDate: Mon, 23 Nov 2026 08:15:00 +0700\r\nSubject: x\r\n"
           b"Content-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\nisi\r\n--B\r\n"
           b"Content-Type: application/octet-stream; name=a.bin\r\nContent-Transfer-Encoding: base64\r\n\r\n"
           + body + b"\r\n--B\r\nContent-Type: application/octet-stream; name=b.bin\r\n"
           b"Content-Transfer-Encoding: base64\r\n\r\nQUJD!!\r\nREVGR\r\n--B--\r\n")
    intake = read_eml(raw, "a.eml")
    assert intake.files["a.bin"].read_bytes() == data and intake.files["b.bin"].read_bytes() == b"ABCDEF"


HIDDEN = {"Cc", "Cf", "Cs", "Zl", "Zp"}  # control, format (bidi), surrogate, line/paragraph separators
HOSTILE = {
    "charset tidak dikenal": b"Content-Type: text/plain; charset=x-tidak-ada\r\n\r\nCaf\xe9",
    "charset bukan teks": b"Content-Type: text/plain; charset=rot13\r\n\r\nabc",
    "charset utf-16 ganjil": b"Content-Type: text/plain; charset=utf-16\r\n\r\n\xff\xfea\x00b",
    "base64 rusak": b"Content-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!@@@=\r\nQ",
    "qp rusak": b"Content-Type: text/plain\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n=ZZ=4=\r\n=",
    "kepala raksasa": b"X-Sampah: " + b"a" * 3_000_000 + b"\r\n\r\nisi",
    "baris kepala tanpa akhir": b"Subject: " + b"b" * 500_000,
    "bita nol": b"X-Nol: a\x00b\r\nContent-Type: text/plain\r\n\r\nisi\x00nol",
    "kata tersandi menipu": b"Reply-To: =?utf-8?q?a=0D=0AX-Evil:_1?=\r\n\r\nisi",
    "tanggal jauh di depan": b"X-Tag: 1\r\n\r\nisi",
    "bagian kosong": b"Content-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\n--B\r\n\r\n--B--\r\n",
    "batas tak pernah ditutup": b"Content-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\nContent-Type: text/plain"
                                b"\r\n\r\nisi tanpa penutup",
    "multipart tanpa batas": b"Content-Type: multipart/mixed\r\n\r\nisi",
    "batas sangat panjang": b"Content-Type: multipart/mixed; boundary=\"" + b"c" * 5000 + b"\"\r\n\r\nisi",
    "rfc822 kosong": b"Content-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\nContent-Type: message/rfc822\r\n\r\n"
                     b"--B--\r\n",
    "rfc822 base64": b"Content-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\nContent-Type: message/rfc822\r\n"
                     b"Content-Transfer-Encoding: base64\r\n\r\n"
                     + base64.b64encode(b"From: x@y\r\nSubject: dalam\r\n\r\nisi dalam") + b"\r\n--B--\r\n",
    "content-type ngawur": b"Content-Type: ;;;===\"\r\nContent-Disposition: attachment; filename*=utf-8''%FF%FE\r\n\r\n"
                           b"isi",
    "parameter rfc2231 rusak": b"Content-Type: application/pdf; name*0*=bogus'x'%E2; name*1=\"\r\n\r\nisi",
}


@pytest.mark.parametrize("case", HOSTILE)
def test_hostile_mail_gives_a_record_or_a_clear_refusal(case):
    date = "Fri, 31 Dec 9999 23:59:59 -1200" if "depan" in case else "Mon, 23 Nov 2026 08:15:00 +0700"
    raw = (b"From: =?utf-8?q?admin=40kpu=2Ego=2Eid?= <penipu@contoh.example>\r\nDate: " + date.encode() + b"\r\n"
           b"Subject: =?utf-8?b?" + base64.b64encode("uji\u202e\x00".encode()) + b"?=\r\n" + HOSTILE[case])
    intake = read_eml(raw, "a.eml")
    assert intake.email == "penipu@contoh.example" and intake.files[ORIGINAL] == raw
    for text in (intake.subject, intake.name, intake.email, intake.message_id, intake.body, *intake.notes.values()):
        assert not [c for c in text if c not in "\t\n\u200c\u200d" and unicodedata.category(c) in HIDDEN], text
    assert len(intake.subject) <= 500 and len(intake.body) <= 210_000
    for name in intake.files:
        assert name.isprintable() and "/" not in name and len(name) <= 100


def test_a_forwarded_message_sent_as_base64_is_still_read():
    raw = (b"From: a@contoh.example\r\nDate: Mon, 23 Nov 2026 08:15:00 +0700\r\nSubject: x\r\n" + HOSTILE["rfc822 base64"])
    intake = read_eml(raw, "a.eml")
    assert "isi dalam" in intake.body and "Perihal: dalam" in intake.body


# ---- arrival times ------------------------------------------------------------------------------------------

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=WIB)
SOP_START = date(2022, 4, 4)


@pytest.mark.parametrize("received, refused", [
    (NOW, None), (NOW + timedelta(minutes=9), None), (NOW - timedelta(days=700), None),
    (NOW + timedelta(minutes=11), "masa depan"), (datetime(2099, 1, 1, tzinfo=WIB), "masa depan"),
    (datetime(2022, 4, 3, 23, 0, tzinfo=WIB), "lebih awal dari berlakunya SOP"),
    (datetime(1970, 1, 1, tzinfo=timezone.utc), "lebih awal"), (None, "tidak diketahui"),
])
def test_arrival_times_that_cannot_be_true_are_refused(received, refused):
    if refused is None:
        check_received(received, NOW, SOP_START, "a.eml")
        return
    with pytest.raises(IntakeError, match=refused) as caught:
        check_received(received, NOW, SOP_START, "a.eml", "Kamis, 99 Desember" if received is None else "")
    assert "--waktu 2026-11-23T09:00" in str(caught.value)


def test_far_dates_in_the_header_do_not_break_reading():
    for written, year in (("Fri, 31 Dec 9999 23:59:59 -1200", None), ("Thu, 01 Jan 1970 00:00:00 +0000", 1970),
                          ("Mon, 30 Feb 2026 08:00:00 +0700", None), ("kemarin sore", None)):
        raw = f"From: a@contoh.example\r\nSubject: x\r\nDate: {written}\r\n\r\nisi".encode()
        intake = read_eml(raw, "a.eml")
        assert (intake.received.year if intake.received else None) == year and intake.date_header == written


# ---- memory stays flat ------------------------------------------------------------------------------------------

def write_big_eml(path, megabytes: int) -> None:
    """A real e-mail with one base64 attachment of `megabytes` MB, written in pieces (never whole in memory)."""
    head = message(Subject="Video kejadian")
    head.set_content("Video terlampir.")
    head.add_attachment(b"TEMPAT", maintype="video", subtype="mp4", filename="video.mp4")
    before, after = bytes(head).split(base64.b64encode(b"TEMPAT"))
    chunk = bytes(range(256)) * (57 * 64)  # a multiple of 57 bytes: whole 76-character lines
    with path.open("wb") as out:
        out.write(before)
        for _ in range(megabytes * 1024 * 1024 // len(chunk)):
            out.write(b"\n".join(base64.b64encode(chunk[i:i + 57]) for i in range(0, len(chunk), 57)) + b"\n")
        out.write(after)


MEASURE = """
import resource, sys
from pathlib import Path
from pengaduan.intake.eml import IntakeError, read_eml
try:
    intake = read_eml(Path(sys.argv[1]), "besar.eml", int(sys.argv[2]))
    outcome = str(intake.files["video.mp4"].stat().st_size)
except IntakeError as error:
    outcome = str(error)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, outcome, sep="|")
"""


def peak_mb(path, limit: int) -> tuple[int, str]:
    result = subprocess.run([sys.executable, "-c", MEASURE, str(path), str(limit)], capture_output=True, text=True,
                            check=True)
    peak, outcome = result.stdout.strip().split("|", 1)
    return int(peak), outcome


def test_memory_stays_flat_for_a_60_mb_message(tmp_path):
    small, big = tmp_path / "kecil.eml", tmp_path / "besar.eml"
    write_big_eml(small, 1)
    write_big_eml(big, 60)
    assert big.stat().st_size > 80 * 1024 * 1024
    baseline, _ = peak_mb(small, 100 * 1024 * 1024)
    accepted, size = peak_mb(big, 100 * 1024 * 1024)
    assert int(size) == 60 * 1024 * 1024 // (57 * 64 * 256) * (57 * 64 * 256)
    refused, message_text = peak_mb(big, 20 * 1024 * 1024)
    assert "melebihi batas 20 MB" in message_text
    assert accepted - baseline < 25 and refused - baseline < 25, (baseline, accepted, refused)


def test_boundaries_with_bytes_outside_ascii(tmp_path):
    raw = ("From: a@contoh.example\r\nDate: Mon, 23 Nov 2026 08:15:00 +0700\r\nSubject: x\r\n"
           "Content-Type: multipart/mixed; boundary=\"bätas\u202e\"\r\n\r\n--bätas\u202e\r\n"
           "Content-Type: text/plain\r\n\r\nisi\r\n--bätas\u202e--\r\n").encode()
    assert read_eml(raw, "a.eml").body == "isi"
    raw = raw.replace("ä".encode(), b"\xe4")  # the same written in Latin-1
    assert read_eml(raw, "a.eml").body == "isi"


def test_a_refused_mail_leaves_nothing_on_disk(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    m = message()
    m.set_content("lampiran besar")
    m.add_attachment(b"\0" * 3000, maintype="application", subtype="zip", filename="besar.zip")
    with pytest.raises(IntakeError):
        read_eml(bytes(m), "a.eml", max_attachment=1000)
    assert list(tmp_path.iterdir()) == []


def test_too_many_parts_are_refused():
    m = message()
    m.set_content("banyak")
    for index in range(MAX_PARTS + 1):
        m.add_attachment(b"x", maintype="application", subtype="octet-stream", filename=f"{index}.bin")
    with pytest.raises(IntakeError, match=f"lebih dari {MAX_PARTS} bagian"):
        read_eml(bytes(m), "a.eml")


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])
def test_headers_written_in_raw_8_bit(encoding):
    raw = ("From: Andr\u00e9 Silal\u00e9 <andre@contoh.example>\r\nDate: Mon, 23 Nov 2026 08:15:00 +0700\r\n"
           "Subject: Pengaduan caf\u00e9\r\n\r\nisi").encode(encoding)
    intake = read_eml(raw, "a.eml")
    assert (intake.name, intake.email, intake.subject) == ("Andr\u00e9 Silal\u00e9", "andre@contoh.example",
                                                           "Pengaduan caf\u00e9")


def test_an_empty_plain_rendering_gives_way_to_html():
    outer = MIMEMultipart("alternative")
    for key, value in (("From", "a@contoh.example"), ("Date", "Mon, 23 Nov 2026 08:15:00 +0700"), ("Subject", "x")):
        outer[key] = value
    outer.attach(MIMEText(" \r\n", "plain", "utf-8"))
    outer.attach(MIMEText("<p>isi   sebenarnya</p>", "html", "utf-8"))
    assert read_eml(outer.as_bytes(), "a.eml").body == "isi sebenarnya"
