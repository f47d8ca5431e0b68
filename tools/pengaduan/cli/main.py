"""The `pengaduan` command: a thin layer over the library; every message in Indonesian."""
from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import date, datetime, timezone
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from ..core import i18n
from ..core.clock import END_OF_DAY, WIB
from ..core.config import ConfigError, find_root, load_settings
from ..core.errors import EXIT_INTERNAL, PengaduanError
from ..core.findings import WARNING, Finding, count_failing
from ..core.records import number_label
from ..forge import ISSUE_MARKER, reminder
from ..forge.api import FAILURE, SUCCESS, saved_reviews
from ..forge.connection import connect, open_pull_requests, parser
from ..forge.evidence import gaps, has_commits, online_audit, reconcile, sync
from ..forge.protection import missing_settings
from ..history.audit import audit_repository, replay_repository
from ..history.heads import check_and_record
from ..office import init as make_office
from .help import attach as _attach_help
from .help import write_epilog

if TYPE_CHECKING:  # the commands import their modules when run; these names are only for the checker
    from ..history.audit import Violation
    from ..history.timeline import Timeline
    from ..core.config import Person, Settings
    from ..forge.evidence import Outcome
    from ..outputs.publish import Server
    from ..queue import Place
    from ..intake.workflow import Done, Repository

i18n.install()
Result = TypeVar("Result")

FORMATS = click.Choice(["teks", "json"])


class _Date(click.ParamType):  # type: ignore[type-arg]  # generic only from click 8.4; the floor is 8.1
    name = "tanggal"

    def convert(self, value: str | date, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.fail(f"{value!r} bukan tanggal; tulis seperti 2026-03-02.", param, ctx)


DATE = _Date()


def _repo(ctx: click.Context) -> Path:
    """The repository folder, found upwards from --repo (or the current folder) the way git finds its own."""
    settings = ctx.find_root().obj
    if "root" not in settings:
        given = settings["repo"]
        start = (given or Path.cwd()).resolve()
        if given is not None and not start.exists():
            raise click.ClickException(f"folder --repo {given} tidak ada.")
        if not start.is_dir():
            raise click.ClickException(f"--repo {given} adalah berkas, bukan folder repositori.")
        root = find_root(start)
        if root is None:
            raise click.ClickException(f"{start} tidak berada di dalam repositori pengaduan (tidak ada tools/config/ "
                                       "atau records/ di folder ini maupun folder induknya); pindah ke folder "
                                       "repositori, atau sebut --repo FOLDER.")
        settings["root"] = root
    root_folder: Path = settings["root"]  # ctx.obj is click's untyped per-run store
    return root_folder


def _settings(ctx: click.Context) -> Settings:
    """The office's settings, read and checked once per command."""
    root = ctx.find_root().obj
    if "settings" not in root:
        root["settings"] = load_settings(_repo(ctx))
    settings: Settings = root["settings"]
    return settings


def _record_number(ctx: click.Context, text: str) -> str:
    """A registration number checked against the office's pattern before any file is looked at."""
    office = _settings(ctx).office
    number = office.canonical_number(text)
    if number is None:
        example = office.registration_number(datetime.now().year, 12)
        raise click.BadParameter(f"{text!r} bukan nomor registrasi pengaduan; tulis seperti {example} "
                                 f"(pola {office.registration_pattern}).", param_hint="NOMOR")
    return number


def _report(findings: list[Finding], output_format: str, strict: bool) -> int:
    """Print findings; the exit code: 0 clean, 1 findings."""
    failing = count_failing(findings, strict)
    warnings = sum(1 for f in findings if f.severity == WARNING)
    if output_format == "json":
        click.echo(json.dumps({"temuan": [f.as_json() for f in findings],
                               "ringkasan": {"galat": len(findings) - warnings, "peringatan": warnings,
                                             "gagal": failing > 0}}, ensure_ascii=False, indent=2))
    else:
        for finding in findings:
            click.echo(finding.render())
        if findings:
            files = len({f.path for f in findings})
            click.echo(f"\n{len(findings) - warnings} galat, {warnings} peringatan, di {files} berkas.")
        else:
            click.echo("Semua berkas sah.")
    return 1 if failing else 0


def _help_settings(ctx: click.Context) -> Settings | None:
    """The office's settings for a help text, when help is asked inside a repository; else None."""
    try:
        return load_settings(_repo(ctx))
    except (click.ClickException, ConfigError, OSError):
        return None


class _Command(click.Command):
    def __init__(self, *args: Any, **kwargs: Any) -> None:  # click.Command's own parameters, passed through
        kwargs.setdefault("options_metavar", "[OPSI]")
        super().__init__(*args, **kwargs)

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        write_epilog(self.name, _help_settings(ctx), formatter)
        super().format_epilog(ctx, formatter)


def _failure(message: str, exit_code: int) -> click.ClickException:
    failure = click.ClickException(message)
    failure.exit_code = exit_code  # type: ignore[misc]  # click types it a ClassVar; click reads the instance's
    return failure


class _Group(click.Group):
    """Turns every failure into an Indonesian message and an exit code; never a traceback."""

    command_class = _Command

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        write_epilog(None, None, formatter)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except PengaduanError as error:  # every library error: its message and its kind's exit code
            for line in error.details():
                click.echo(line, err=True)
            raise _failure(str(error), error.exit_code) from None
        except BrokenPipeError:
            raise  # the reader of the output has gone (`| head`): main() ends quietly
        except OSError as error:
            raise click.ClickException(i18n.os_error(error)) from None
        except Exception as error:  # the last line of defence against tracebacks
            if os.environ.get("PENGADUAN_DEBUG"):
                raise
            raise _failure(f"galat internal ({type(error).__name__}: {error}). Mohon laporkan kepada pengelola "
                           "sistem; jalankan ulang dengan PENGADUAN_DEBUG=1 untuk rinciannya.",
                           EXIT_INTERNAL) from error


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]}, invoke_without_command=True,
             options_metavar="[OPSI]", subcommand_metavar="PERINTAH [ARGUMEN]...")
@click.option("--repo", type=click.Path(path_type=Path), default=None,
              help="Folder repositori pengaduan, atau folder di dalamnya (bawaan: folder sekarang).")
@click.pass_context
def cli(ctx: click.Context, repo: Path | None) -> None:
    """Penanganan pengaduan masyarakat (SOP No. 4 Tahun 2022) KPU Kabupaten Pulang Pisau."""
    ctx.obj = {"repo": repo}
    if ctx.invoked_subcommand is None:  # `pengaduan` alone: the overview, not an error
        click.echo(ctx.get_help())


@cli.command()
@click.option("--format", "output_format", type=FORMATS, default="teks", show_default=True,
              help="Bentuk keluaran.")
@click.option("--ketat", is_flag=True, help="Peringatan juga dihitung sebagai kegagalan.")
@click.option("--berubah", is_flag=True,
              help="Hanya rekaman yang diubah cabang ini sejak berpisah dari --dasar (termasuk yang belum dikomit).")
@click.option("--dasar", default="main", show_default=True, help="Cabang pembanding untuk --berubah.")
@click.pass_context
def periksa(ctx: click.Context, output_format: str, ketat: bool, berubah: bool, dasar: str) -> None:
    """Periksa semua rekaman, konfigurasi kantor, dan berkas SOP.

    Contoh: pengaduan --repo demo periksa --ketat
    Contoh: pengaduan periksa --berubah
    """
    from ..periksa import changed_on_branch, check
    only = None
    if berubah:
        try:
            only = changed_on_branch(_repo(ctx), dasar)
        except LookupError:
            raise click.ClickException(f"cabang {dasar} tidak ditemukan di {_repo(ctx)}; sebut cabang pembandingnya "
                                       "dengan --dasar, atau ambil dulu: git fetch origin main") from None
        if output_format == "teks":
            click.echo(f"Memeriksa {len(only)} rekaman yang diubah sejak berpisah dari {dasar}.")
    ctx.exit(_report(check(_repo(ctx), only), output_format, ketat))


@cli.command()
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--roda", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Wheel program pengaduan (pengaduan-VERSI-py3-none-any.whl) yang dipasang alur kerja forge kantor.")
def init(folder: Path, roda: Path | None) -> None:
    """Buat repositori kantor baru: konfigurasi untuk diisi, SOP, alur kerja, situs dan templat.

    Contoh: pengaduan init pengaduan-kpu-contoh --roda pengaduan-0.1.0-py3-none-any.whl
    """
    files = make_office(folder, datetime.now(WIB), roda)
    click.echo(f"Repositori kantor dibuat di {folder} ({len(files)} berkas, komit pertama di cabang main).\n"
               "Langkah berikutnya:\n"
               f"  1. isi {folder}/tools/config/kantor.yaml: ganti setiap `ISI: ...`;\n"
               f"  2. pengaduan --repo {folder} periksa   (menyebut yang belum diisi; lulus bila semua benar);\n"
               f"  3. cd {folder} && git commit -a --amend   (konfigurasi awal masuk komit pertama);\n"
               f"  4. pengaduan --repo {folder} situs     (situs publik di {folder}/site);\n"
               "  5. siapkan forge: docs/petugas/penyiapan.md di repositori itu."
               + ("" if roda else "\nPERINGATAN: tanpa --roda alur kerja forge tidak punya program untuk dipasang; "
                  "tambahkan wheel dan .ci/pengaduan.lock (docs/petugas/penyiapan.md)."))


@cli.command()
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--jumlah", type=click.IntRange(1, 50_000), default=300, show_default=True,
              help="Banyaknya pengaduan.")
@click.option("--benih", type=int, default=2022, show_default=True, help="Benih acak (hasil sama untuk benih sama).")
@click.option("--sampai", type=DATE, default=None, help="Tanggal akhir data (bawaan: hari ini, WIB).")
def demo(folder: Path, jumlah: int, benih: int, sampai: date | None) -> None:
    """Buat repositori contoh berisi sekitar setahun pengaduan sintetis.

    Contoh: pengaduan demo build/demo --jumlah 300 --sampai 2026-11-27
    """
    from ..demo import generate
    until = sampai or datetime.now(WIB).date()
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise click.ClickException(f"Folder {folder} sudah berisi; pilih folder baru atau kosongkan dulu.")
    summary = generate(folder, jumlah, benih, until)
    on_branches, inbox = summary["tercatat"] - summary["rekaman"], jumlah - summary["tercatat"]
    click.echo(f"Repositori contoh dibuat di {folder}: {jumlah} pengaduan masuk; {summary['rekaman']} di main"
               + (f", {on_branches} baru tercatat di pull request yang belum digabung" if on_branches else "")
               + (f", {inbox} tiba menjelang {until.isoformat()} dan belum dicatat (masih di kotak surel)"
                  if inbox else "")
               + f". {summary['selesai']} selesai, {summary['pull_request_terbuka']} pull request terbuka.")


def _replayed(ctx: click.Context, branch: str, use_cache: bool = True,
              evidence: bool = False) -> tuple[Settings, dict[str, Timeline], list[Violation]]:
    """(settings, timelines, violations) of the branch's history; with `evidence`, the full audit."""
    repo = _repo(ctx)
    settings = load_settings(repo)
    try:
        if evidence:
            timelines, violations = audit_repository(repo, branch, settings, use_cache, now=datetime.now(WIB))
        else:
            timelines, violations = replay_repository(repo, branch, settings, use_cache)
    except (LookupError, subprocess.CalledProcessError):
        raise click.ClickException(f"cabang {branch!r} tidak ditemukan di {repo}; apakah ini repositori Git "
                                   "pengaduan? Sebut cabangnya dengan --cabang.") from None
    return settings, timelines, violations


@cli.command()
@click.option("--cabang", default="main", show_default=True, help="Cabang yang diperiksa riwayatnya.")
@click.option("--format", "output_format", type=FORMATS, default="teks", show_default=True,
              help="Bentuk keluaran.")
@click.option("--tanpa-cache", is_flag=True, help="Baca ulang seluruh riwayat tanpa cache.")
@click.option("--daring", is_flag=True,
              help="Baca ulang ulasan setiap disposisi dari API forge dan laporkan selisihnya.")
@click.option("--rantai", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Rantai kepala main yang pernah diterbitkan (JSON dari situs publik): laporkan bila main ditulis ulang.")
@click.pass_context
def audit(ctx: click.Context, cabang: str, output_format: str, tanpa_cache: bool, daring: bool,
          rantai: Path | None) -> None:
    """Periksa riwayat Git: setiap langkah SOP oleh pemegang perannya, berurutan, tanpa mengubah isi beku.

    Contoh: pengaduan audit --format json
    """
    settings, timelines, violations = _replayed(ctx, cabang, not tanpa_cache, evidence=True)
    violations = check_and_record(_repo(ctx), cabang, datetime.now(WIB), rantai) + violations
    differences = []
    if daring:
        forge = connect()
        differences = _forge_call(lambda: online_audit(_repo(ctx), settings, forge, cabang))
    if output_format == "json":
        result = {"temuan": [v.as_json() for v in violations],
                  "ringkasan": {"rekaman": len(timelines), "temuan": len(violations)}}
        if daring:
            result["selisih_forge"] = [{"merge": item.merge, "disposisi": item.label(), "pesan": message}
                                       for item, message in differences]
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        for violation in violations:
            click.echo(violation.render())
        click.echo(f"\n{len(violations)} temuan pada {len({v.record for v in violations})} rekaman."
                   if violations else f"Riwayat {len(timelines)} rekaman sesuai SOP.")
        for item, message in differences:
            click.echo(f"[daring] {item.merge[:10]} ({item.label()}): {message}")
        if daring:
            click.echo(f"{len(differences)} selisih dengan forge." if differences
                       else "Ulasan setiap disposisi di forge cocok dengan riwayat.")
    ctx.exit(1 if violations or differences else 0)


@cli.command()
@click.argument("nomor", required=False)
@click.option("--pada", type=DATE, default=None, help="Lihat keadaan pada akhir tanggal ini (bawaan: sekarang).")
@click.option("--cabang", default="main", show_default=True, help="Cabang yang dibaca.")
@click.option("--format", "output_format", type=FORMATS, default="teks", show_default=True,
              help="Bentuk keluaran.")
@click.pass_context
def status(ctx: click.Context, nomor: str | None, pada: date | None, cabang: str, output_format: str) -> None:
    """Linimasa pengaduan dan tenggat tiap langkah: yang jatuh tempo hari ini dan yang lewat tenggat.

    Contoh: pengaduan status PGD-2026-00012
    """
    from ..outputs.status_report import overview_lines, record_lines, report_json, report_warnings
    now = datetime.combine(pada, END_OF_DAY, WIB) if pada else datetime.now(WIB)
    nomor = _record_number(ctx, nomor) if nomor is not None else None
    settings, found = _places(ctx, cabang, now, nomor)
    if nomor and not found:
        raise click.ClickException(f"pengaduan {nomor} tidak ditemukan di main maupun di cabang terbuka mana pun "
                                   f"(per {now:%Y-%m-%d}).")
    warnings = report_warnings(found, settings, now)
    if output_format == "json":
        click.echo(json.dumps(report_json(found, now, warnings), ensure_ascii=False, indent=2))
        return
    for warning in warnings:
        click.echo(f"PERINGATAN: {warning}")
    for line in record_lines(found[0], now) if nomor else overview_lines(found, now):
        click.echo(line)


def _places(ctx: click.Context, branch: str, now: datetime, only: str | None = None) -> tuple[Settings, list[Place]]:
    """(settings, where every complaint stands): main with every open branch, or one branch's history alone."""
    from ..queue import MAIN, branch_places, places, read_all
    if branch != MAIN:
        settings, timelines, _ = _replayed(ctx, branch)
        return settings, branch_places(timelines, settings, now, only)
    settings = _settings(ctx)
    try:
        queue, timelines = read_all(_repo(ctx), settings, _open_pull_requests(), only)
    except (LookupError, subprocess.CalledProcessError):
        raise click.ClickException(f"cabang main tidak ditemukan di {_repo(ctx)}; apakah ini repositori Git "
                                   "pengaduan?") from None
    return settings, places(queue, settings, now, only, timelines)


def _open_pull_requests() -> dict[str, int] | None:
    pulls, warning = open_pull_requests()
    if warning:
        click.echo(f"PERINGATAN: {warning}", err=True)
    return pulls


@cli.command()
@click.option("--internal", is_flag=True, help="Situs untuk petugas, dengan data pelapor; tidak untuk diterbitkan.")
@click.option("--keluar", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder hasil (bawaan: site, atau site-internal untuk --internal).")
@click.option("--pada", type=DATE, default=None, help="Hitung tenggat pada akhir tanggal ini (bawaan: sekarang).")
@click.option("--ketat", is_flag=True, help="Peringatan MkDocs (tautan rusak dan sebagainya) dihitung gagal.")
@click.pass_context
def situs(ctx: click.Context, internal: bool, keluar: Path | None, pada: date | None, ketat: bool) -> None:
    """Bangun situs rekap (MkDocs Material) dari komit terakhir cabang main, lalu periksa tidak ada data pribadi.

    Contoh: pengaduan --repo build/demo situs --keluar build/site
    """
    from ..outputs.publish import build
    out = keluar or Path("site-internal" if internal else "site")
    now = datetime.combine(pada, END_OF_DAY, WIB) if pada else datetime.now(WIB)
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    built = build(_repo(ctx), out, internal, now, strict=ketat)
    if internal:
        click.echo(f"Situs INTERNAL (jangan diterbitkan) dari komit {built.commit[:12]} selesai dibangun: "
                   f"{out / 'index.html'}")
    else:
        click.echo(f"Situs publik dari komit {built.commit[:12]} (main) selesai dibangun dan diperiksa: tidak ada "
                   f"data pribadi rekaman di dalamnya. {out / 'index.html'}")


def _server_options(command: Callable[..., None]) -> Callable[..., None]:
    """The web server account and the files that let this machine (and only it) upload to it."""
    options = [
        click.option("--tujuan", required=True, help="Akun SSH di server web, misalnya situs@web.kpu.example."),
        click.option("--kunci", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=True,
                     help="Berkas kunci privat deploy (hanya untuk server situs)."),
        click.option("--known-hosts", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=True,
                     help="Berkas known_hosts berisi kunci host server (tidak pernah diterima otomatis)."),
        click.option("--port", type=click.IntRange(1, 65535), default=22, show_default=True, help="Port SSH server."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _server(tujuan: str, kunci: Path, known_hosts: Path, port: int) -> Server:
    from ..outputs.publish import Server
    return Server(tujuan, kunci.resolve(), known_hosts.resolve(), port)


@cli.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path), default="site")
@_server_options
@click.option("--simpan", type=click.IntRange(2, 100), default=5, show_default=True,
              help="Jumlah rilis terakhir yang disimpan di server untuk dikembalikan.")
@click.pass_context
def terbitkan(ctx: click.Context, folder: Path, tujuan: str, kunci: Path, known_hosts: Path, port: int,
              simpan: int) -> None:
    """Terbitkan situs publik (hasil `pengaduan situs`) ke server web kantor lewat rsync dan SSH.

    Contoh: pengaduan terbitkan site --tujuan situs@web.kpu.example --kunci kunci-deploy --known-hosts known_hosts
    """
    from ..outputs.publish import deploy
    done = deploy(_repo(ctx), folder, _server(tujuan, kunci, known_hosts, port), datetime.now(timezone.utc),
                  simpan)
    click.echo(f"Situs komit {done.commit[:12]} diterbitkan ke {tujuan} sebagai rilis {done.release}.")
    if done.previous:
        click.echo(f"Rilis sebelumnya ({done.previous}) disimpan; kembalikan dengan `pengaduan kembalikan`.")
    if done.removed:
        click.echo(f"Rilis lama yang dihapus: {', '.join(done.removed)}.")


@cli.command()
@_server_options
@click.option("--rilis", default=None, help="Rilis tujuan (bawaan: rilis sebelum yang tayang sekarang).")
@click.option("--daftar", is_flag=True, help="Hanya tampilkan daftar rilis di server.")
def kembalikan(tujuan: str, kunci: Path, known_hosts: Path, port: int, rilis: str | None, daftar: bool) -> None:
    """Kembalikan situs di server web ke rilis sebelumnya (atau ke --rilis tertentu).

    Contoh: pengaduan kembalikan --tujuan situs@web.kpu.example --kunci kunci-deploy --known-hosts known_hosts
    """
    from ..outputs.publish import current_release, releases, rollback
    server = _server(tujuan, kunci, known_hosts, port)
    if daftar:
        live = current_release(server)
        for name in releases(server):
            click.echo(f"{name}{'  (tayang)' if name == live else ''}")
        return
    before, after = rollback(server, rilis)
    click.echo(f"Situs di {tujuan} dikembalikan dari rilis {before} ke rilis {after}.")


def _formats(value: str, allowed: tuple[str, ...]) -> list[str]:
    kinds = [k.strip().lower() for k in value.split(",") if k.strip()]
    wrong = [k for k in kinds if k not in allowed]
    if wrong or not kinds:
        raise click.BadParameter(f"format {', '.join(wrong) or '(kosong)'} tidak dikenal; pilih dari "
                                 f"{', '.join(allowed)}, dipisah koma.", param_hint="--format")
    return kinds


@cli.command()
@click.argument("nomor")
@click.option("--format", "formats", default="docx,pdf", show_default=True, help="docx, pdf, html (dipisah koma).")
@click.option("--keluar", type=click.Path(file_okay=False, path_type=Path), default=Path("dokumen"),
              show_default=True, help="Folder hasil.")
@click.option("--semua", is_flag=True, help="Semua dokumen sampai langkah sekarang, bukan hanya langkah sekarang.")
@click.pass_context
def nota(ctx: click.Context, nomor: str, formats: str, keluar: Path, semua: bool) -> None:
    """Buat dokumen yang diminta langkah SOP sekarang: lembar disposisi atau nota dinas.

    Contoh: pengaduan nota PGD-2026-00012 --format docx,pdf,html --keluar dokumen
    """
    from ..outputs.documents import FORMATS, render_record_documents
    repo = _repo(ctx)
    kinds = _formats(formats, FORMATS)
    nomor = _record_number(ctx, nomor)
    written, warnings, source = render_record_documents(repo, load_settings(repo), nomor, kinds, keluar, semua)
    click.echo(f"Rekaman {nomor} dibaca {source} (versi terbaru, yang juga ditunjukkan `pengaduan status`).")
    for path in written:
        click.echo(f"Dibuat: {path}")
    for warning in warnings:
        click.echo(f"Peringatan: {warning}", err=True)


@cli.command()
@click.option("--tahun", type=click.IntRange(2000, 2100), default=None, help="Tahun rekap.")
@click.option("--bulan", type=click.IntRange(1, 12), default=None, help="Bulan rekap (dengan --tahun).")
@click.option("--dari", type=DATE, default=None, help="Awal rentang tanggal terima.")
@click.option("--sampai", type=DATE, default=None, help="Akhir rentang tanggal terima.")
@click.option("--format", "formats", default="docx,pdf,csv,xlsx", show_default=True,
              help="docx, pdf, html, csv, xlsx (dipisah koma).")
@click.option("--keluar", type=click.Path(file_okay=False, path_type=Path), default=Path("dokumen"),
              show_default=True, help="Folder hasil.")
@click.pass_context
def rekap(ctx: click.Context, tahun: int | None, bulan: int | None, dari: date | None, sampai: date | None,
          formats: str, keluar: Path) -> None:
    """Catatan dan rekap pengaduan untuk bahan laporan kegiatan (langkah 8), per periode.

    Contoh: pengaduan rekap --tahun 2026 --bulan 3 --format docx,pdf,xlsx
    """
    from ..outputs.documents import FORMATS, write_recap
    from ..outputs.recap import date_range, month_or_year
    kinds = _formats(formats, FORMATS + ("csv", "xlsx"))
    if tahun and (dari or sampai):
        raise click.UsageError("pakai --tahun/--bulan atau --dari/--sampai, tidak keduanya.")
    if bulan and not tahun:
        raise click.UsageError("--bulan perlu --tahun.")
    if tahun:
        period = month_or_year(tahun, bulan)
    elif dari and sampai and dari <= sampai:
        period = date_range(dari, sampai)
    else:
        raise click.UsageError("sebut periodenya: --tahun (dan --bulan), atau --dari dan --sampai (dari <= sampai).")
    count, written = write_recap(_repo(ctx), period.start, period.end, period.label, keluar / period.name, kinds,
                                 datetime.now(WIB))
    click.echo(f"Rekap {period.label}: {count} pengaduan.")
    for path in written:
        click.echo(f"Dibuat: {path}")


class _Moment(click.ParamType):  # type: ignore[type-arg]  # as _Date
    name = "waktu"

    def convert(self, value: str, param: click.Parameter | None, ctx: click.Context | None) -> datetime:
        try:
            moment = datetime.fromisoformat(value.replace(" ", "T", 1))
        except ValueError:
            self.fail(f"{value!r} bukan waktu; tulis seperti 2026-03-02T09:15 (WIB) atau 2026-03-02T09:15+07:00.",
                      param, ctx)
        return moment if moment.tzinfo else moment.replace(tzinfo=WIB)


def _now() -> datetime:
    """The clock, at the edge: PENGADUAN_SEKARANG (ISO time) replaces it for tests and for replaying a day."""
    fixed = os.environ.get("PENGADUAN_SEKARANG")
    if not fixed:
        return datetime.now(WIB)
    try:
        moment = datetime.fromisoformat(fixed)
    except ValueError:
        raise click.ClickException(f"PENGADUAN_SEKARANG={fixed!r} bukan waktu; tulis seperti 2026-03-02T09:15+07:00, "
                                   "atau hapus variabel itu.") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=WIB)


@cli.command()
@click.option("--tahun", type=click.IntRange(2000, 2100), required=True, help="Tahun pengaduan diterima.")
@click.option("--format", "formats", default="docx,pdf", show_default=True, help="docx, pdf, html (dipisah koma).")
@click.option("--keluar", type=click.Path(file_okay=False, path_type=Path), default=Path("dokumen"),
              show_default=True, help="Folder hasil.")
@click.pass_context
def evaluasi(ctx: click.Context, tahun: int, formats: str, keluar: Path) -> None:
    """Evaluasi SOP tahunan: ketepatan waktu, median dan persentil ke-90 tiap langkah, hambatan, per sub bagian.

    Contoh: pengaduan evaluasi --tahun 2026
    """
    from ..outputs.documents import FORMATS
    from ..outputs.evaluation import write_evaluation
    result, written = write_evaluation(_repo(ctx), tahun, keluar, _formats(formats, FORMATS), datetime.now(WIB))
    click.echo(f"Evaluasi tahun {tahun}: {result.received} pengaduan diterima, {result.closed} selesai.")
    for path in written:
        click.echo(f"Dibuat: {path}")


def _letter_options(command: Callable[..., None]) -> Callable[..., None]:
    """What `tanda-terima` and `jawaban` take: the registration number, formats and folder."""
    command = click.pass_context(command)
    for decorator in reversed([
            click.argument("nomor"),
            click.option("--format", "formats", default="pdf", show_default=True,
                         help="docx, pdf, html (dipisah koma); PDF selalu dibuat untuk surel."),
            click.option("--keluar", type=click.Path(file_okay=False, path_type=Path), default=Path("dokumen"),
                         show_default=True, help="Folder hasil.")]):
        command = decorator(command)
    return command


def _letter(ctx: click.Context, nomor: str, kind: str, formats: str, keluar: Path) -> None:
    from ..outputs.documents import FORMATS
    from ..outputs.letters import write_letter
    repo = _repo(ctx)
    nomor = _record_number(ctx, nomor)
    written, no_email, source = write_letter(repo, load_settings(repo), nomor, kind, _formats(formats, FORMATS),
                                             keluar, datetime.now(WIB))
    click.echo(f"Rekaman {nomor} dibaca {source}.")
    for path in written:
        click.echo(f"Dibuat: {path}")
    if no_email:
        click.echo(f"Catatan: {no_email}", err=True)
    click.echo(f"Setelah dikirim dari kotak surel kantor: pengaduan terkirim {nomor} --surat {kind}")


@cli.command("tanda-terima")
@_letter_options
def tanda_terima(ctx: click.Context, nomor: str, formats: str, keluar: Path) -> None:
    """Buat tanda terima pengaduan untuk pelapor: PDF dan surel siap kirim (.eml) berlampiran PDF.

    Contoh: pengaduan tanda-terima PGD-2026-00012
    """
    _letter(ctx, nomor, "tanda-terima", formats, keluar)


@cli.command()
@_letter_options
def jawaban(ctx: click.Context, nomor: str, formats: str, keluar: Path) -> None:
    """Buat surat jawaban kepada pelapor saat pengaduan selesai: PDF dan surel siap kirim (.eml).

    Contoh: pengaduan jawaban PGD-2026-00012
    """
    _letter(ctx, nomor, "surat-jawaban", formats, keluar)


@cli.command()
@click.argument("nomor")
@click.option("--surat", type=click.Choice(["tanda-terima", "surat-jawaban"]), required=True,
              help="Surat yang sudah dikirim kepada pelapor.")
@click.option("--waktu", type=_Moment(), default=None, help="Waktu pengiriman (bawaan: sekarang, WIB).")
@click.pass_context
def terkirim(ctx: click.Context, nomor: str, surat: str, waktu: datetime | None) -> None:
    """Catat di rekaman kapan surat kepada pelapor dikirim (lalu komit perubahannya).

    Contoh: pengaduan terkirim PGD-2026-00012 --surat tanda-terima
    """
    from ..outputs.letters import mark_sent
    repo = _repo(ctx)
    nomor = _record_number(ctx, nomor)
    path = mark_sent(repo, load_settings(repo), nomor, surat, waktu or datetime.now(WIB))
    click.echo(f"Dicatat di {path}; komit perubahannya bersama langkah berikutnya.")


def _workflow(ctx: click.Context) -> tuple[Repository, Settings, Person]:
    from ..intake.identity import require
    from ..intake.workflow import Repository
    repo = Repository(_repo(ctx))
    settings = load_settings(repo.path)
    require(repo.path, settings.office)  # before anything is committed: an identity the roster knows
    return repo, settings, repo.person(settings)


def _show(done: Done) -> None:
    short = subprocess.run(["git", "rev-parse", "--short", done.commit], cwd=_repo(click.get_current_context()),
                           capture_output=True, text=True).stdout.strip() or done.commit[:10]
    click.echo(f"{done.record_id}: langkah {done.step} dikomit di cabang {done.branch} ({short}).")
    click.echo("Berikutnya:")
    for number, action in enumerate(done.next_actions, 1):
        click.echo(f"  {number}. {action}")


@cli.command()
@click.option("--eml", "eml", type=click.Path(exists=True, path_type=Path), default=None,
              help="Surel tersimpan (.eml), atau folder berisi berkas .eml.")
@click.option("--saluran", default=None, help="Saluran masuk (id dari kantor.yaml); bawaan email untuk --eml.")
@click.option("--waktu", type=_Moment(), default=None, help="Waktu diterima (bawaan: tanggal surel).")
@click.option("--nama", default="", help="Nama pelapor.")
@click.option("--email", "email_address", default="", help="Surel pelapor.")
@click.option("--telepon", default="", help="Telepon pelapor.")
@click.option("--alamat", default="", help="Alamat pelapor.")
@click.option("--nik", default="", help="NIK pelapor.")
@click.option("--perihal", default="", help="Perihal pengaduan.")
@click.option("--uraian", default="", help="Isi pengaduan.")
@click.option("--nomor-surat", default="", help="Nomor surat pelapor.")
@click.option("--tanggal-surat", type=DATE, default=None, help="Tanggal surat pelapor.")
@click.option("--kerahasiaan", type=click.Choice(["terbuka", "anonim", "rahasia"]), default=None,
              help="Tingkat kerahasiaan pilihan pelapor.")
@click.option("--kategori", default="", help="Id kategori.")
@click.option("--lampiran", type=click.Path(exists=True, dir_okay=False, path_type=Path), multiple=True,
              help="Berkas lampiran (boleh berulang).")
@click.pass_context
def baru(ctx: click.Context, eml: Path | None, saluran: str | None, waktu: datetime | None, nama: str,
         email_address: str, telepon: str, alamat: str, nik: str, perihal: str, uraian: str, nomor_surat: str,
         tanggal_surat: date | None, kerahasiaan: str | None, kategori: str, lampiran: tuple[Path, ...]) -> None:
    """Catat pengaduan baru (langkah 2): dari surel tersimpan, atau dari isian untuk saluran lain.

    Contoh: pengaduan baru --eml unduhan/aduan.eml
    """
    from ..intake.eml import Intake, attach, from_eml, settle
    from ..intake.workflow import register
    if eml is None and not (saluran and waktu):
        raise click.UsageError("tanpa --eml, sebut --saluran dan --waktu (dan isian pelapor).")
    now = _now()
    repo, settings, person = _workflow(ctx)
    limit = settings.office.max_attachment_mb * 1024 * 1024
    if eml is not None:
        intakes = from_eml(eml, limit)
    else:
        intakes = [("isian", attach(Intake(received=waktu, channel=saluran or "", name=nama, email=email_address,
                                           phone=telepon, address=alamat, nik=nik, subject=perihal, body=uraian,
                                           letter_number=nomor_surat,
                                           letter_date=tanggal_surat.isoformat() if tanggal_surat else ""),
                                    list(lampiran), limit))]
    settle(intakes, settings, now, saluran, waktu, kerahasiaan, kategori)
    for done in register(repo, settings, intakes, person, now):
        _show(done)


@cli.command()
@click.argument("nomor")
@click.option("--kepada", default=None, help="Langkah 3: id sub bagian tujuan disposisi.")
@click.option("--sifat", type=click.Choice(["sangat segera", "segera", "rahasia", "biasa"]), default=None,
              help="Langkah 3: sifat disposisi.")
@click.option("--instruksi", default=None, help="Langkah 3 dan 7: isi arahan.")
@click.pass_context
def lanjut(ctx: click.Context, nomor: str, kepada: str | None, sifat: str | None, instruksi: str | None) -> None:
    """Siapkan langkah SOP berikutnya: cabang, isian blok langkah, dan komit atas nama Anda.

    Contoh: pengaduan lanjut PGD-2026-00012 --kepada teknis
    """
    from ..intake.workflow import advance
    nomor = _record_number(ctx, nomor)
    repo, settings, person = _workflow(ctx)
    _show(advance(repo, settings, nomor, person, datetime.now(WIB),
                  {"kepada": kepada, "sifat": sifat, "instruksi": instruksi}))


@cli.command()
@click.option("--cabang", default=None, help="Cabang yang diperiksa (bawaan: cabang yang sedang dibuka).")
@click.pass_context
def bentrok(ctx: click.Context, cabang: str | None) -> None:
    """Periksa apakah rekaman di cabang ini memakai nomor registrasi, agenda, atau nota dinas yang sudah ada di main.

    Contoh: pengaduan bentrok --cabang PGD-2026-00012-langkah-2
    """
    from ..intake.workflow import Repository, collisions
    repo = Repository(_repo(ctx))
    if cabang is None and repo.git.head.is_detached:
        raise click.ClickException("tidak ada cabang yang dibuka (HEAD terlepas); sebut dengan --cabang.")
    branch = cabang or repo.git.active_branch.name
    found = collisions(repo, branch)
    for record_id, path, kind, owner in found:
        click.echo(f"{path}: {number_label(kind)} {record_id} sudah dipakai oleh {owner} di main.\n"
                   f"    Perbaikan: pengaduan nomor-ulang {record_id}")
    click.echo(f"{len(found)} nomor bentrok." if found else f"Nomor di cabang {branch} tidak bentrok dengan main.")
    ctx.exit(1 if found else 0)


@cli.command("nomor-ulang")
@click.argument("nomor")
@click.pass_context
def nomor_ulang(ctx: click.Context, nomor: str) -> None:
    """Beri rekaman di cabang terbuka nomor baru yang belum dipakai di main (berkas dan folder ikut pindah).

    Contoh: pengaduan nomor-ulang PGD-2026-00012
    """
    from ..intake.workflow import renumber
    nomor = _record_number(ctx, nomor)
    repo, settings, person = _workflow(ctx)
    _show(renumber(repo, settings, nomor, person, datetime.now(WIB)))


def _json_file(path: Path) -> Any:  # parsed JSON, checked by whoever reads it
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as error:
        raise click.ClickException(i18n.json_error(path, error)) from None


def _forge_call(action: Callable[[], Result]) -> Result:
    """Run `action()`, turning Git's failures into Indonesian messages (the forge's are library errors)."""
    try:
        return action()
    except (LookupError, subprocess.CalledProcessError) as error:
        missing = f" ({error})" if isinstance(error, LookupError) else ""  # git's own failure text is English
        raise click.ClickException(f"komit tidak ditemukan{missing}; ambil riwayat lengkap (fetch-depth: 0) dan "
                                   "kepala pull request (git fetch origin refs/pull/NOMOR/head).") from None


@cli.command("periksa-pr")
@click.option("--dasar", required=True, help="Komit dasar pull request (cabang tujuan).")
@click.option("--kepala", default=None, help="Komit terakhir pull request (dengan --pr: dicocokkan dengan forge).")
@click.option("--pr", "number", type=int, default=None, help="Nomor pull request: kepalanya dibaca ulang dari forge.")
@click.option("--ringkasan", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Tambahkan ringkasan Markdown ke berkas ini (misalnya $GITHUB_STEP_SUMMARY).")
@click.option("--dokumen", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Buat dokumen langkah yang dikerjakan ke folder ini.")
@click.option("--status", "context", default=None, help="Pasang hasilnya sebagai status komit bernama ini (Forgejo).")
@click.option("--komentar", is_flag=True, help="Pasang ringkasan sebagai satu komentar pull request (dengan --pr).")
@click.pass_context
def periksa_pr(ctx: click.Context, dasar: str, kepala: str | None, number: int | None, ringkasan: Path | None,
               dokumen: Path | None, context: str | None, komentar: bool) -> None:
    """Gerbang pull request: rekaman saja, atau perubahan tata kelola; campuran ditolak. Dijalankan dari kode dasar.

    Contoh: pengaduan periksa-pr --dasar origin/main --kepala HEAD --ringkasan ringkasan.md
    """
    from ..forge.gate import gate, pull_head
    if number is None and (kepala is None or context or komentar):
        raise click.UsageError("sebut --kepala, atau --pr untuk membaca kepala dari forge (wajib untuk --status dan "
                               "--komentar).")
    forge = connect() if number is not None else None
    head = kepala
    if forge is not None and number is not None:
        head, _ = _forge_call(partial(pull_head, _repo(ctx), forge, number, kepala))
    if head is None:  # refused above: without --pr, --kepala is required
        raise click.UsageError("sebut --kepala.")
    report = _forge_call(partial(gate, _repo(ctx), dasar, head, dokumen))
    click.echo(report.text)
    if ringkasan is not None:
        with ringkasan.open("a", encoding="utf-8") as handle:
            handle.write(report.text)
    if forge is not None and number is not None and komentar:
        _forge_call(lambda: forge.upsert_comment(number, report.text))
    if forge is not None and context:
        description = "ada temuan; lihat ringkasan pull request" if report.failed else "rekaman dan aturan sesuai"
        _forge_call(partial(forge.post_status, head, FAILURE if report.failed else SUCCESS, context, description))
    ctx.exit(1 if report.failed else 0)


@cli.command()
@click.option("--pr", "number", type=int, required=True, help="Nomor pull request.")
@click.option("--berkas", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=True,
              help="Isi komentar (Markdown) dari periksa-pr.")
def komentar(number: int, berkas: Path) -> None:
    """Pasang ringkasan pemeriksaan sebagai satu komentar pull request yang diperbarui di tempat.

    Contoh: pengaduan komentar --pr 12 --berkas ringkasan.md
    """
    forge = connect()
    method = _forge_call(lambda: forge.upsert_comment(number, berkas.read_text("utf-8")))
    click.echo(f"Komentar pull request #{number} {'diperbarui' if method == 'PATCH' else 'dipasang'}.")


@cli.command()
@click.option("--dasar", required=True, help="Komit dasar pull request.")
@click.option("--pr", "number", type=int, required=True, help="Nomor pull request.")
@click.option("--kepala", default=None, help="Komit terakhir pull request (bawaan: dibaca dari forge).")
@click.option("--penulis", default=None,
              help="Penulis pull request (bawaan: dibaca dari forge; wajib dengan --ulasan).")
@click.option("--ulasan", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Ulasan dari berkas JSON forge (bentuk forge dari PENGADUAN_FORGE; bawaan: dibaca dari API).")
@click.option("--status", "context", default=None, help="Pasang hasilnya sebagai status komit bernama ini.")
@click.pass_context
def persetujuan(ctx: click.Context, dasar: str, number: int, kepala: str | None, penulis: str | None,
                ulasan: Path | None, context: str | None) -> None:
    """Pemeriksaan wajib: disposisi oleh Kasubbag Hukum, tata kelola oleh penyetujunya, pada komit terakhir.

    Contoh: pengaduan persetujuan --dasar origin/main --pr 12
    """
    from ..forge.gate import check_approval, pull_head
    if ulasan is not None:
        if kepala is None or penulis is None:
            raise click.UsageError("--ulasan memerlukan --kepala dan --penulis.")
        forge, head, author = None, kepala, penulis
        reviews = _forge_call(lambda: saved_reviews(_json_file(ulasan), parser(), str(ulasan)))
    else:
        forge = connect()
        head, author = _forge_call(lambda: pull_head(_repo(ctx), forge, number, kepala))
        author = penulis or author
        reviews = _forge_call(lambda: forge.reviews(number))
    ok, lines = _forge_call(lambda: check_approval(_repo(ctx), dasar, head, reviews, author))
    for line in lines:
        click.echo(line)
    if forge is not None and context:
        _forge_call(lambda: forge.post_status(head, SUCCESS if ok else FAILURE, context, lines[0]))
    ctx.exit(0 if ok else 1)


@cli.command()
@click.option("--cabang", default="main", show_default=True, help="Cabang yang merge-nya dilengkapi catatannya.")
@click.option("--remote", default=None, help="Ambil dan kirim refs/notes/persetujuan ke remote ini (misalnya origin).")
@click.pass_context
def bukti(ctx: click.Context, cabang: str, remote: str | None) -> None:
    """Lengkapi catatan ulasan (refs/notes/persetujuan) setiap merge disposisi yang belum punya; aman diulang.

    Contoh: pengaduan bukti --remote origin
    """
    repo = _repo(ctx)
    if not has_commits(repo, cabang):
        click.echo(f"Cabang {cabang} belum punya komit; belum ada merge disposisi yang perlu dicatat.")
        return
    settings, forge = load_settings(repo), connect()

    def work() -> list[Outcome]:
        return reconcile(repo, settings, forge, cabang)
    outcomes = _forge_call(lambda: sync(repo, remote, work) if remote else work())
    for outcome in outcomes:
        where = f"{outcome.merge.merge[:10]} ({outcome.merge.label()})"
        if outcome.approvals:
            click.echo(f"{where} #{outcome.number}: catatan ulasan @{outcome.approvals[0].reviewer} dicatat.")
        else:
            click.echo(f"{where}: tidak ada persetujuan Kasubbag yang sah: {'; '.join(outcome.reasons)}")
    if not outcomes:
        click.echo("Semua merge disposisi sudah punya catatan ulasan.")
    ctx.exit(1 if any(not o.approvals for o in outcomes) else 0)


@cli.command("celah-bukti")
@click.option("--cabang", default="main", show_default=True, help="Cabang yang diperiksa.")
@click.pass_context
def celah_bukti(ctx: click.Context, cabang: str) -> None:
    """Laporkan merge tanpa tanda tangan forge dan disposisi tanpa catatan ulasan.

    Contoh: pengaduan celah-bukti
    """
    repo = _repo(ctx)
    found = _forge_call(lambda: gaps(repo, load_settings(repo), cabang)) if has_commits(repo, cabang) else []
    for commit, message in found:
        click.echo(f"{commit[:10]}: {message}")
    click.echo(f"\n{len(found)} celah bukti." if found else "Tidak ada celah bukti.")
    ctx.exit(1 if found else 0)


@cli.command("periksa-pengaturan")
@click.option("--cabang", default="main", show_default=True, help="Cabang yang dilindungi.")
@click.pass_context
def periksa_pengaturan(ctx: click.Context, cabang: str) -> None:
    """Baca pengaturan forge (perlindungan cabang, persetujuan, gaya merge, tanda tangan) dan sebut yang kurang.

    Contoh: PENGADUAN_TOKEN=... pengaduan periksa-pengaturan
    """
    repo = _repo(ctx)
    settings, forge = load_settings(repo), connect()
    owners = repo / ".github" / "CODEOWNERS"
    rules = _forge_call(lambda: forge.branch_rules(cabang))
    found = missing_settings(rules, forge.kind, settings.office, owners.read_text("utf-8") if owners.is_file() else "")
    for what, where in found:
        click.echo(f"- {what}.\n  Atur di: {where}.")
    click.echo(f"\n{len(found)} pengaturan kurang." if found else f"Pengaturan {forge.kind} sesuai kebutuhan gerbang.")
    ctx.exit(1 if found else 0)


@cli.command()
@click.option("--pada", type=DATE, default=None, help="Keadaan pada akhir tanggal ini (bawaan: sekarang).")
@click.option("--keluar", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Tulis isi pengingat (Markdown) ke berkas ini.")
@click.option("--terbitkan", is_flag=True, help="Perbarui satu isu pengingat di forge (atau buat bila belum ada).")
@click.pass_context
def pengingat(ctx: click.Context, pada: date | None, keluar: Path | None, terbitkan: bool) -> None:
    """Pengingat tenggat harian: langkah yang jatuh tempo hari ini dan yang lewat tenggat, per orang.

    Contoh: pengaduan pengingat --keluar pengingat.md
    """
    now = datetime.combine(pada, END_OF_DAY, WIB) if pada else datetime.now(WIB)
    settings, found = _places(ctx, "main", now)
    body, listed = reminder([p.status for p in found], settings, now,
                            {p.status.record_id: p.where for p in found if p.branch})
    if keluar is not None:
        keluar.write_text(body, "utf-8")
    click.echo(body)
    if terbitkan:
        forge = connect()
        method = _forge_call(lambda: forge.upsert_issue("Pengingat tenggat pengaduan", body, ISSUE_MARKER))
        click.echo(f"Isu pengingat {'diperbarui' if method == 'PATCH' else 'dibuat'}.")


@cli.command()
@click.option("--atur", "person_id", default=None, metavar="ID", help="Atur identitas Git repositori ini sebagai personel ini (id).")
@click.pass_context
def identitas(ctx: click.Context, person_id: str | None) -> None:
    """Periksa identitas Git Anda (nama dan surel) terhadap daftar personel, dan katakan cara memperbaikinya."""
    from ..intake.identity import advice, configure, problems, read_identity
    repo = _repo(ctx)
    office = load_settings(repo).office
    if person_id is not None:
        person = next((p for p in office.people if p.id == person_id.strip().lower()), None)
        if person is None:
            raise click.BadParameter(f"{person_id!r} tidak ada di daftar personel; pilih dari "
                                     f"{', '.join(p.id for p in office.people)}.", param_hint="--atur")
        configure(repo, person)
    identity = read_identity(repo, office)
    click.echo(f"Identitas Git di {repo}: {identity.name or '(nama belum diatur)'} "
               f"<{identity.email or 'surel belum diatur'}>")
    found = problems(identity)
    if found or identity.person is None:  # problems() names a missing person: None never passes
        click.echo("Belum bisa mencatat langkah: " + "; ".join(found) + ".")
        click.echo(advice(identity, office))
        ctx.exit(1)
    person = identity.person
    click.echo(f"Terdaftar sebagai {person.name} ({person.title}); peran: {', '.join(person.roles) or '-'}.")
    if identity.name_differs:
        click.echo(f"Nama Git berbeda dari daftar personel; samakan dengan: git config user.name \"{person.name}\"")


def main() -> None:
    """The `pengaduan` command. Once it has finished and its output is flushed, the process ends at once: Python
    would first free every object one by one (a publish holds millions: a tenth of a second of nothing)."""
    try:
        _run()
        code: object = 0
    except SystemExit as end:
        code = end.code
    if isinstance(code, str):  # as sys.exit does with a message
        click.echo(code, err=True)
    logging.shutdown()
    sys.stderr.flush()
    os._exit(code if isinstance(code, int) else 0 if code is None else 1)


def _run() -> None:
    try:
        try:
            cli(prog_name="pengaduan")
        finally:
            sys.stdout.flush()
    except OSError as error:  # the output itself could not be written: a full disk, a closed pipe
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # nothing more to flush at exit
        if not isinstance(error, BrokenPipeError):
            click.echo(f"Galat: {i18n.os_error(error)}", err=True)
        sys.exit(1)


_attach_help(cli, _repo)  # after every command is defined
