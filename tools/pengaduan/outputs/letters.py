"""Letters to the complainant: the tanda terima at registration and the surat jawaban at closure.

Each is a PDF (and DOCX/HTML on request) plus a ready-to-send e-mail (`.eml`, the PDF attached, addressed to
the reporter) that staff send from the office mailbox; `mark_sent` then notes in the record when it went out.
Never for an `anonim` reporter, and no e-mail without an address. Whether each letter is made and who signs
it is `surat_pemohon` in kantor.yaml.
"""
from __future__ import annotations

from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any  # records are parsed YAML, template contexts free-form: dict[str, Any]

from ..core import yamlio
from ..core.config import Settings
from ..core.files import write_atomic
from ..core.formatting import as_day, counted, long_date, long_time
from ..history.calendar import WIB, WorkCalendar
from .documents import (DocumentError, Meta, Renderer, letterhead, load_current_record, load_valid_record,
                        official_subject, one_line, signatory, templates_dir)

RECEIPT, ANSWER = "tanda-terima", "surat-jawaban"
SENT_KEYS = {RECEIPT: "tanda_terima_dikirim", ANSWER: "jawaban_dikirim"}
SUBJECTS = {RECEIPT: "Tanda terima pengaduan", ANSWER: "Jawaban pengaduan"}
CONFIG_KEYS = {RECEIPT: "tanda_terima", ANSWER: "jawaban"}


def signer(settings: Settings) -> dict[str, Any]:
    """Who signs letters to the complainant: `surat_pemohon.penanda_tangan`, else the Kasubbag Hukum."""
    office = settings.office
    person_id = office.applicant_letters.get("penanda_tangan")
    person = next((p for p in office.people if p.id == person_id), None) or office.head_of(office.hukum)
    return signatory(person)


def letter_context(record: dict[str, Any], settings: Settings, kind: str, now: datetime) -> dict[str, Any]:
    """What the tanda terima or surat jawaban says; refuses where the office or the SOP says not to send it."""
    office = settings.office
    reporter = record["pelapor"]
    if not office.applicant_letters.get(CONFIG_KEYS[kind], True):
        raise DocumentError(f"{SUBJECTS[kind].lower()} dimatikan di kantor.yaml (`surat_pemohon."
                            f"{CONFIG_KEYS[kind]}: false`).")
    if reporter["kerahasiaan"] == "anonim":
        raise DocumentError(f"{record['id']}: pelapor memilih anonim; tidak ada surat kepada pelapor.")
    sop = settings.sop(record["versi_sop"]) or settings.current_sop
    calendar = WorkCalendar.for_office(office)
    received = datetime.fromisoformat(record["diterima"]["waktu"])
    limit = sum(step.working_days for step in sop.steps[1:])
    context = {
        "kantor": letterhead(office.identity), "penanda_tangan": signer(settings),
        "pengaduan": {"id": record["id"], "perihal": official_subject(record, settings), "diterima": received,
                      "nomor_agenda": record["diterima"]["nomor_agenda"],
                      "saluran": office.channels.get(record["diterima"]["saluran"], "")},
        "pelapor": {"nama": one_line(reporter.get("nama")) or "Pelapor", "alamat": one_line(reporter.get("alamat")),
                    "rahasia": reporter["kerahasiaan"] == "rahasia"},
        "sop": {"nomor": sop.number, "nama": sop.name, "batas": counted(limit, "hari kerja"),
                "tenggat": calendar.deadline(received, limit)},
        "alamat_lacak": office.applicant_letters.get("alamat_lacak", ""),
    }
    if kind == RECEIPT:
        context["tanggal"] = calendar.effective_day(received.astimezone(WIB).date())
        return context
    answer = record.get("surat_pemohon", {}).get("jawaban")
    if record["langkah"] < sop.last_step or not answer:
        raise DocumentError(f"{record['id']}: surat jawaban dibuat saat pengaduan selesai (langkah {sop.last_step}) "
                            "dan perlu blok `surat_pemohon.jawaban` (nomor, tanggal, isi) di rekamannya.")
    context.update(tanggal=as_day(answer["tanggal"]), jawaban=answer, hasil=record["rekap"]["hasil"])
    return context


def email_message(context: dict[str, Any], kind: str, email: str, pdf: bytes, filename: str,
                  office: dict[str, Any]) -> bytes:
    """The e-mail staff send from the office mailbox: plain Indonesian text, the letter attached as PDF."""
    number = context["pengaduan"]["id"]
    message = EmailMessage()
    message["From"] = Address(office["singkatan"], addr_spec=office["email_pengaduan"])
    message["To"] = Address(context["pelapor"]["nama"], addr_spec=email)
    message["Subject"] = f"{SUBJECTS[kind]} {number} - {office['singkatan']}"
    message["Date"] = format_datetime(datetime.combine(context["tanggal"], datetime.min.time(), WIB).replace(hour=8))
    message["Message-ID"] = f"<{kind}.{number}@{office['email_pengaduan'].split('@')[-1]}>"
    lines = [f"Yth. {context['pelapor']['nama']},", ""]
    if kind == RECEIPT:
        lines += [f"Pengaduan Saudara telah kami terima pada {long_time(context['pengaduan']['diterima'])} dan "
                  f"dicatat dengan nomor registrasi {number}.",
                  f"Sesuai SOP Nomor {context['sop']['nomor']}, pengaduan ditangani dalam "
                  f"{context['sop']['batas']}, paling lambat {long_date(context['sop']['tenggat'])}."]
        if context["alamat_lacak"] and not context["pelapor"]["rahasia"]:
            lines.append(f"Perkembangannya dapat dilihat di {context['alamat_lacak']} dengan nomor registrasi "
                         "tersebut.")
    else:
        lines.append(f"Bersama surel ini kami sampaikan jawaban atas pengaduan Saudara nomor registrasi {number}.")
    lines += ["", f"Surat terlampir ({filename}).", "", "Hormat kami,", office["sekretariat"],
              office.get("email_pengaduan", "")]
    message.set_content("\n".join(lines) + "\n")
    message.add_attachment(pdf, maintype="application", subtype="pdf", filename=filename)
    return bytes(message)


def write_letter(repo: Path, settings: Settings, record_id: str, kind: str, kinds: list[str], out: Path,
                 now: datetime) -> tuple[list[Path], str | None, str]:
    """`pengaduan tanda-terima` / `jawaban`: the letter in each format, and the `.eml` when there is an address.

    Returns the files written, why no e-mail could be made (or None), and where the record was read.
    """
    record, source = load_current_record(repo, settings, record_id)
    context = letter_context(record, settings, kind, now)
    stem = out / f"{record_id}-{kind}"
    meta = Meta(f"{SUBJECTS[kind].capitalize()} {record_id}", settings.office.identity["nama"], context["tanggal"])
    out.mkdir(parents=True, exist_ok=True)
    kinds = list(dict.fromkeys(kinds + ["pdf"]))
    written = Renderer(templates_dir(repo)).write(kind, context, stem, kinds, meta)
    email = record["pelapor"].get("email")
    if not email:
        return written, "pelapor tidak punya alamat surel; cetak PDF-nya dan serahkan atau kirim lewat pos.", source
    message = email_message(context, kind, email, stem.with_suffix(".pdf").read_bytes(), f"{stem.name}.pdf",
                            settings.office.identity)
    target = stem.with_suffix(".eml")
    write_atomic(target, message)
    return written + [target], None, source


def mark_sent(repo: Path, settings: Settings, record_id: str, kind: str, when: datetime) -> Path:
    """Note in the record (working tree) when the letter was sent; staff commit it with the next step."""
    rel, record = load_valid_record(repo, settings, record_id)
    path = repo / rel
    letters = dict(record.get("surat_pemohon", {}))
    letters[SENT_KEYS[kind]] = when.astimezone(WIB).isoformat(timespec="minutes")
    text = yamlio.edit(path.read_text("utf-8"), {"surat_pemohon": letters})
    write_atomic(path, text)
    return path
