"""The `pengaduan` command: a thin layer over the library; every message in Indonesian."""
from __future__ import annotations

import json
import os
from datetime import date, datetime
from pathlib import Path

import click

from . import i18n
from .config import ConfigError
from .findings import WARNING, Finding, count_failing

i18n.install()

FORMATS = click.Choice(["teks", "json"])


class _Date(click.ParamType):
    name = "tanggal"

    def convert(self, value, param, ctx):
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.fail(f"{value!r} bukan tanggal; tulis seperti 2026-03-02.", param, ctx)


DATE = _Date()


def _repo(ctx: click.Context) -> Path:
    return ctx.obj["repo"]


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


class InternalError(click.ClickException):
    exit_code = 3


class _Command(click.Command):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", "[OPSI]")
        super().__init__(*args, **kwargs)


class _Group(click.Group):
    """Turns every failure into an Indonesian message and an exit code; never a traceback."""

    command_class = _Command

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except ConfigError as error:
            lines = [finding.render() for finding in error.findings]
            raise click.ClickException("\n".join(lines + ["Konfigurasi tidak sah; perbaiki dulu masalah di atas."]))
        except OSError as error:
            raise click.ClickException(f"tidak bisa membaca atau menulis {error.filename or ''}: {error.strerror}.")
        except Exception as error:  # the last line of defence against tracebacks
            if os.environ.get("PENGADUAN_DEBUG"):
                raise
            raise InternalError(f"galat internal ({type(error).__name__}: {error}). Mohon laporkan kepada pengelola "
                                "sistem; jalankan ulang dengan PENGADUAN_DEBUG=1 untuk rinciannya.") from error


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]},
             options_metavar="[OPSI]", subcommand_metavar="PERINTAH [ARGUMEN]...")
@click.option("--repo", type=click.Path(file_okay=False, path_type=Path), default=".", show_default=True,
              help="Folder repositori pengaduan.")
@click.pass_context
def cli(ctx: click.Context, repo: Path) -> None:
    """Penanganan pengaduan masyarakat (SOP No. 4 Tahun 2022) KPU Kabupaten Pulang Pisau."""
    ctx.obj = {"repo": repo.resolve()}


@cli.command()
@click.option("--format", "output_format", type=FORMATS, default="teks", show_default=True,
              help="Bentuk keluaran.")
@click.option("--ketat", is_flag=True, help="Peringatan juga dihitung sebagai kegagalan.")
@click.pass_context
def periksa(ctx: click.Context, output_format: str, ketat: bool) -> None:
    """Periksa semua rekaman, konfigurasi kantor, dan berkas SOP.

    Contoh: pengaduan --repo demo periksa --ketat
    """
    from .records import check_repository
    ctx.exit(_report(check_repository(_repo(ctx)), output_format, ketat))


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
    from .calendar import WIB
    from .demo import generate
    until = sampai or datetime.now(WIB).date()
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise click.ClickException(f"Folder {folder} sudah berisi; pilih folder baru atau kosongkan dulu.")
    summary = generate(folder, jumlah, benih, until)
    click.echo(f"Repositori contoh dibuat di {folder}: {summary['rekaman']} pengaduan, {summary['selesai']} selesai, "
               f"{summary['pull_request_terbuka']} pull request terbuka, data sampai {until.isoformat()}.")


def main() -> None:
    cli(prog_name="pengaduan")
