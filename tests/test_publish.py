"""Publishing that cannot leak or destroy: main's tree only, no links, a scan that refuses, folders kept, and a
deploy to a real sshd on 127.0.0.1 with a forced rrsync."""
from __future__ import annotations

import gc
import getpass
import gzip
import hashlib
import io
import json
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import time
import zipfile
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote_plus

import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st

from pengaduan.outputs.publish import _parse as publish_parse
from pengaduan.outputs.publish import (_JSON_ESCAPE, MARKER, Hit, PublishError, Scanner, Server, _replace,
                                       _scan_in_shares, _unescape_json, check_inputs,
                                       current_release, deploy, digits_only, record_values, releases, rollback, scan,
                                       scan_after, theme_file, THEME)
from pengaduan.outputs.site import shard_of

import office
from conftest import PROJECT_ROOT, git

PADA = "2026-11-27"


def build(run, repo, out, *extra):
    return run("--repo", repo, "situs", "--keluar", out, "--pada", PADA, *extra)


def built(run, repo, out, *extra) -> Path:
    result = build(run, repo, out, *extra)
    assert result.exit_code == 0, result.output
    return out


def records(repo: Path) -> dict[str, dict]:
    return {str(p.relative_to(repo)): yaml.safe_load(p.read_text("utf-8")) for p in repo.glob("records/*/*/*.yaml")}


def own_site(repo: Path) -> None:
    """Give the repository its own mkdocs.yml, docs/ and theme overrides, as the office's repository has."""
    shutil.copytree(PROJECT_ROOT / "docs", repo / "docs")
    shutil.copytree(PROJECT_ROOT / "templates" / "situs", repo / "templates" / "situs")
    shutil.copy(PROJECT_ROOT / "mkdocs.yml", repo / "mkdocs.yml")
    commit_all(repo, "Situs kantor")


def commit_all(repo: Path, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


def site_text(folder: Path) -> str:
    return "\n".join(gzip.decompress(p.read_bytes()).decode() if p.suffix == ".gz" else p.read_text("utf-8", "replace")
                     for p in folder.rglob("*") if p.is_file())


# ---- from main only -------------------------------------------------------------------------------------------

def test_the_site_is_built_from_main_whatever_is_checked_out(demo_repo, run, tmp_path):
    secret_path, secret = next((p, r) for p, r in sorted(records(demo_repo).items())
                               if r["pelapor"]["kerahasiaan"] == "rahasia")
    main = git(demo_repo, "rev-parse", "main").strip()
    git(demo_repo, "checkout", "-q", "-b", "buka-rahasia")
    flipped = {**secret, "pelapor": {**secret["pelapor"], "kerahasiaan": "terbuka"},
               "ringkasan_publik": "Ringkasan yang tidak boleh terbit dari cabang"}
    office.write(demo_repo, flipped, secret_path)
    commit_all(demo_repo, "buka rahasia")
    (demo_repo / "records" / "draf.yaml").write_text("belum: disimpan\n", "utf-8")  # uncommitted, too
    out = built(run, demo_repo, tmp_path / "site")
    text = site_text(out)
    assert secret["id"] not in text and "tidak boleh terbit" not in text
    assert json.loads((out / "versi.json").read_text("utf-8"))["komit"] == main
    assert f"komit {main[:12]}" in (out / "index.html").read_text("utf-8")
    # the same record, once main says terbuka, is published: the check above can fail
    git(demo_repo, "checkout", "-q", "main")
    git(demo_repo, "merge", "-q", "--no-ff", "buka-rahasia", "-m", "Merge")
    assert secret["id"] in site_text(built(run, demo_repo, tmp_path / "site"))


def test_a_symlink_in_docs_on_main_is_refused(demo_repo, run, tmp_path):
    own_site(demo_repo)
    path = next(iter(sorted(records(demo_repo))))
    (demo_repo / "docs" / "bocor.md").symlink_to(Path("..") / path)
    commit_all(demo_repo, "tautan")
    result = build(run, demo_repo, tmp_path / "site")
    assert result.exit_code == 1 and "tautan simbolik" in result.output and "docs/bocor.md" in result.output
    assert not (tmp_path / "site").exists()


def test_a_symlink_only_in_the_working_tree_is_never_read(demo_repo, run, tmp_path):
    own_site(demo_repo)
    path, record = next(iter(sorted(records(demo_repo).items())))
    (demo_repo / "docs" / "bocor.md").symlink_to(Path("..") / path)
    out = built(run, demo_repo, tmp_path / "site")
    assert record["pelapor"]["nama"] not in site_text(out) and not (out / "bocor").exists()


def test_inputs_refuse_links_and_a_docs_dir_elsewhere(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Beranda\n")
    (tmp_path / "mkdocs.yml").write_text("site_name: x\nplugins: [search, pengaduan]\n")
    assert check_inputs(tmp_path) == tmp_path / "docs"
    (tmp_path / "rahasia.md").write_text("x")
    (tmp_path / "docs" / "sub").mkdir()
    (tmp_path / "docs" / "sub" / "lihat.md").symlink_to(tmp_path / "rahasia.md")
    with pytest.raises(PublishError, match="docs/sub/lihat.md"):
        check_inputs(tmp_path)
    (tmp_path / "docs" / "sub" / "lihat.md").unlink()
    (tmp_path / "mkdocs.yml").write_text("site_name: x\ndocs_dir: records\n")
    with pytest.raises(PublishError, match="docs_dir"):
        check_inputs(tmp_path)


# ---- the scan -------------------------------------------------------------------------------------------------

def _planted(record: dict, field: str) -> str:
    reporter = record["pelapor"]
    return {"pelapor.nama": f"Terima kasih kepada {reporter.get('nama')}.",
            "pelapor.nik": " ".join(reporter.get("nik", "")[i:i + 4] for i in range(0, 16, 4)),
            "pelapor.telepon": reporter.get("telepon", "").replace("-", " "),
            "pelapor.email": f"Surel: <{reporter.get('email')}>",
            "uraian": "Kutipan: " + record["uraian"].upper(),
            "lampiran": f"[unduh]({record.get('lampiran', [{}])[0].get('berkas', '')})",
            "pelapor.alamat": f"[Peta](https://peta.example/cari?q={quote_plus(reporter.get('alamat', ''))})"}[field]


PLANTED = ["pelapor.nama", "pelapor.nik", "pelapor.telepon", "pelapor.email", "uraian", "pelapor.alamat"]


def test_personal_values_planted_in_a_doc_are_caught(demo_repo, run, tmp_path):
    own_site(demo_repo)
    out = built(run, demo_repo, tmp_path / "site")
    before = (out / "index.html").read_bytes()
    path, record = next((p, r) for p, r in sorted(records(demo_repo).items())
                        if r["pelapor"].get("nik") and r["pelapor"].get("telepon") and len(r["uraian"].split()) > 6
                        and len(r["pelapor"].get("alamat", "").split()) > 2)
    # each value as a careless page would carry it: in a sentence, NIK in groups, phone with spaces, upper case,
    # the address in a link (percent-encoded)
    values = {field: _planted(record, field) for field in PLANTED}
    (demo_repo / "docs" / "catatan.md").write_text("# Catatan rapat\n\n" + "\n\n".join(values.values()) + "\n",
                                                   "utf-8")
    commit_all(demo_repo, "catatan")
    result = build(run, demo_repo, tmp_path / "site")
    assert result.exit_code == 1 and "TIDAK diterbitkan" in result.output, result.output
    for field in PLANTED:  # each one caught on its own, named by file and field
        assert f"catatan/index.html: memuat {field} dari {path}" in result.output, field
    for value in [record["pelapor"]["nama"], record["pelapor"]["nik"], record["pelapor"]["email"],
                  record["pelapor"]["telepon"], record["uraian"].strip()[:30], *values.values()]:
        assert value not in result.output  # never the value itself
    assert (out / "index.html").read_bytes() == before  # the last good site stays
    assert not list(tmp_path.glob(".baru-*"))
    assert gc.isenabled()  # a refused publish too switches cyclic GC back on (it is off only while one runs)


def test_an_attachment_name_in_a_doc_is_caught(demo_repo, run, tmp_path):
    own_site(demo_repo)
    path, record = next((p, r) for p, r in sorted(records(demo_repo).items()) if r.get("lampiran"))
    name = "surat-budi-warga-kahayan.pdf"
    folder = demo_repo / path.removesuffix(".yaml")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text("isi")
    (demo_repo / "docs" / "unduhan.md").write_text(f"# Unduhan\n\nLihat {name}\n", "utf-8")
    commit_all(demo_repo, "lampiran")
    result = build(run, demo_repo, tmp_path / "site")
    assert result.exit_code == 1 and f"memuat lampiran (nama berkas) dari {path}" in result.output
    assert name not in result.output


# ---- nothing destroyed ----------------------------------------------------------------------------------------

def test_a_foreign_folder_is_never_emptied(demo_repo, run, tmp_path):
    out = tmp_path / "berkas-saya"
    out.mkdir()
    (out / "laporan.docx").write_text("penting")
    result = build(run, demo_repo, out)
    assert result.exit_code == 1 and "tidak kosong" in result.output and "tidak akan dihapus" in result.output
    assert (out / "laporan.docx").read_text() == "penting"


def test_records_and_the_repository_root_are_refused(demo_repo, run, tmp_path):
    draft = demo_repo / "records" / "2026" / "12"
    draft.mkdir(parents=True)
    (draft / "PGD-2026-99999.yaml").write_text("draf: belum dikomit\n")
    for target, words in ((demo_repo / "records", "records/"), (draft, "records/"), (demo_repo, "repositori"),
                          (demo_repo / "tools", "dikelola Git"), (demo_repo / ".git" / "situs", "dikelola Git")):
        result = build(run, demo_repo, target)
        assert result.exit_code == 1 and words in result.output, (target, result.output)
    assert (draft / "PGD-2026-99999.yaml").read_text() == "draf: belum dikomit\n"
    result = run("--repo", demo_repo, "situs", "--keluar", "/dev/full")
    assert result.exit_code == 1 and "bukan folder" in result.output


def test_an_own_folder_is_replaced_only_while_unchanged(demo_repo, run, tmp_path):
    out = built(run, demo_repo, tmp_path / "site")
    assert json.loads((out / MARKER).read_text("utf-8"))["jenis"] == "publik"
    built(run, demo_repo, out)  # ours, unchanged: replaced
    (out / "catatan-saya.txt").write_text("jangan hilang")
    result = build(run, demo_repo, out)
    assert result.exit_code == 1 and "catatan-saya.txt" in result.output
    assert (out / "catatan-saya.txt").read_text() == "jangan hilang"
    (out / "catatan-saya.txt").unlink()
    (out / "index.html").write_text("diubah tangan")
    result = build(run, demo_repo, out)
    assert result.exit_code == 1 and "index.html" in result.output
    assert (out / "index.html").read_text() == "diubah tangan"


def test_a_full_disk_leaves_the_last_site_and_no_half_build(demo_repo, run, tmp_path):
    out = built(run, demo_repo, tmp_path / "site")
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def small_files():  # every write past 64 KiB fails with EFBIG, as on a full disk
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))
    result = subprocess.run([sys.executable, "-c", "from pengaduan.cli import main; main()", "--repo", str(demo_repo),
                             "situs", "--keluar", str(out), "--pada", PADA], capture_output=True, text=True,
                            preexec_fn=small_files)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr and "terlalu besar" in result.stderr, result.stderr
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert not list(tmp_path.glob(".baru-*"))


# ---- deploy to a real sshd ------------------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class WebServer:
    def __init__(self, root: Path):
        self.root = root
        self.site = root / "srv" / "situs"  # the folder the deploy key is restricted to
        self.site.mkdir(parents=True)
        for name in ("host", "deploy", "asing"):
            subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(root / name)],
                           check=True)
        public = (root / "deploy.pub").read_text().strip()
        (root / "authorized_keys").write_text(f'restrict,command="/usr/bin/rrsync {self.site}" {public}\n')
        self.port = _free_port()
        host_key = " ".join((root / "host.pub").read_text().split()[:2])
        (root / "known_hosts").write_text(f"[127.0.0.1]:{self.port} {host_key}\n")
        (root / "sshd_config").write_text("\n".join([
            f"Port {self.port}", "ListenAddress 127.0.0.1", f"HostKey {root / 'host'}",
            f"AuthorizedKeysFile {root / 'authorized_keys'}", "PasswordAuthentication no",
            "KbdInteractiveAuthentication no", "PermitRootLogin forced-commands-only", "StrictModes no", "UsePAM no",
            "PidFile none", "LogLevel VERBOSE", ""]))
        if os.geteuid() == 0:
            Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # sshd's privilege separation folder
        self.process = subprocess.Popen(["/usr/sbin/sshd", "-D", "-e", "-f", str(root / "sshd_config")],
                                        stderr=subprocess.PIPE, text=True)
        for _ in range(50):  # sshd says when it listens; each readline blocks until a line or its exit
            line = self.process.stderr.readline()
            if not line or "Server listening" in line:
                break
        assert line and "Server listening" in line, f"sshd tidak berjalan: {line}"
        socket.create_connection(("127.0.0.1", self.port), timeout=5).close()

    def server(self, key: str = "deploy") -> Server:
        return Server(f"{getpass.getuser()}@127.0.0.1", self.root / key, self.root / "known_hosts", self.port)

    def live(self) -> Path:
        return self.site / "terkini"

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture
def web(tmp_path):
    assert Path("/usr/sbin/sshd").exists() and Path("/usr/bin/rrsync").exists(), \
        "pasang openssh-server dan rsync (lihat .ci/run)"
    server = WebServer(tmp_path / "web")
    yield server
    server.stop()


T1 = datetime(2026, 11, 27, 10, 0, tzinfo=timezone.utc)
T2 = datetime(2026, 11, 28, 10, 0, tzinfo=timezone.utc)
T3 = datetime(2026, 11, 29, 10, 0, tzinfo=timezone.utc)


def test_deploy_is_atomic_keeps_the_previous_release_and_rolls_back(demo_repo, run, tmp_path, web):
    site = built(run, demo_repo, tmp_path / "site")
    first = deploy(demo_repo, site, web.server(), T1)
    assert first.previous is None and web.live().is_symlink()
    assert os.readlink(web.live()) == f"rilis/{first.release}"
    assert (web.live() / "index.html").read_bytes() == (site / "index.html").read_bytes()
    assert not (web.live() / MARKER).exists()
    office.walk_to(demo_repo, 3)  # one more merged pull request, then publish again
    site = built(run, demo_repo, tmp_path / "site")
    second = deploy(demo_repo, site, web.server(), T2)
    assert second.previous == first.release and os.readlink(web.live()) == f"rilis/{second.release}"
    assert second.commit == git(demo_repo, "rev-parse", "main").strip() != first.commit
    old, new = (web.site / "rilis" / first.release, web.site / "rilis" / second.release)
    css = next(p.relative_to(new) for p in new.rglob("*.css"))
    assert (old / css).stat().st_ino == (new / css).stat().st_ino  # unchanged files are hard links, not copies
    assert json.loads((web.live() / "versi.json").read_text())["komit"] == second.commit
    assert rollback(web.server()) == (second.release, first.release)
    assert os.readlink(web.live()) == f"rilis/{first.release}"
    with pytest.raises(PublishError, match="tidak ada rilis sebelum"):
        rollback(web.server())
    assert rollback(web.server(), second.release) == (first.release, second.release)


def test_old_releases_go_but_never_a_foreign_folder(demo_repo, run, tmp_path, web):
    site = built(run, demo_repo, tmp_path / "site")
    (web.site / "rilis" / "catatan-admin").mkdir(parents=True)
    names = [deploy(demo_repo, site, web.server(), when, keep=2).release for when in (T1, T2, T3)]
    assert releases(web.server()) == names[1:]
    assert (web.site / "rilis" / "catatan-admin").is_dir()


def test_a_refused_key_an_unknown_host_and_a_shell_get_nothing(demo_repo, run, tmp_path, web):
    site = built(run, demo_repo, tmp_path / "site")
    with pytest.raises(PublishError, match="kunci deploy ditolak"):
        deploy(demo_repo, site, web.server("asing"), T1)
    (tmp_path / "lain").write_text(f"[127.0.0.1]:{web.port} " + " ".join((web.root / "asing.pub").read_text().split()[:2]))
    with pytest.raises(PublishError, match="kunci host server"):
        deploy(demo_repo, site, Server(web.server().account, web.root / "deploy", tmp_path / "lain", web.port), T1)
    shell = subprocess.run(["ssh", *web.server().ssh().split()[1:], web.server().account, "cat /etc/passwd"],
                           capture_output=True, text=True)
    assert shell.returncode != 0 and "root:" not in shell.stdout
    outside = subprocess.run(["rsync", "-e", web.server().ssh(), "-r", f"{site}/", f"{web.server().account}:../luar/"],
                             capture_output=True, text=True)
    assert outside.returncode != 0 and not (web.site.parent / "luar").exists()
    assert current_release(web.server()) is None  # nothing was published by any of these


def test_only_a_scanned_unchanged_public_build_is_uploaded(demo_repo, run, tmp_path, web):
    folder = tmp_path / "buatan-tangan"
    folder.mkdir()
    (folder / "index.html").write_text("halo")
    with pytest.raises(PublishError, match="bukan situs publik"):
        deploy(demo_repo, folder, web.server(), T1)
    internal = built(run, demo_repo, tmp_path / "site-internal", "--internal")
    with pytest.raises(PublishError, match="bukan situs publik"):
        deploy(demo_repo, internal, web.server(), T1)
    site = built(run, demo_repo, tmp_path / "site")
    nik = next(r["pelapor"]["nik"] for r in records(demo_repo).values() if r["pelapor"].get("nik"))
    (site / "sisipan.txt").write_text(nik)
    with pytest.raises(PublishError, match="berubah sejak dibangun"):
        deploy(demo_repo, site, web.server(), T1)
    marker = json.loads((site / MARKER).read_text("utf-8"))  # even with its file list forged, the scan stops it
    marker["berkas"]["sisipan.txt"] = __import__("hashlib").sha256(nik.encode()).hexdigest()
    (site / MARKER).write_text(json.dumps(marker))
    with pytest.raises(PublishError, match="sisipan.txt: memuat pelapor.nik"):
        deploy(demo_repo, site, web.server(), T1)
    assert current_release(web.server()) is None


def test_the_commands_deploy_list_and_roll_back(demo_repo, run, tmp_path, web):
    site = built(run, demo_repo, tmp_path / "site")
    server = web.server()
    options = ["--tujuan", server.account, "--kunci", server.key, "--known-hosts", server.known_hosts,
               "--port", server.port]
    deploy(demo_repo, site, server, T1)
    result = run("--repo", demo_repo, "terbitkan", site, *options)
    assert result.exit_code == 0 and "diterbitkan" in result.output and "pengaduan kembalikan" in result.output
    listing = run("kembalikan", *options, "--daftar")
    assert listing.exit_code == 0 and listing.output.count("\n") == 2 and "(tayang)" in listing.output
    result = run("kembalikan", *options)
    assert result.exit_code == 0 and "dikembalikan" in result.output
    assert os.readlink(web.live()).endswith(T1.strftime("%Y%m%dT%H%M%SZ") + "-" + git(
        demo_repo, "rev-parse", "main").strip()[:12])
    refused = run("kembalikan", *options, "--rilis", "tidak-ada")
    assert refused.exit_code == 1 and "tidak ada di server" in refused.output


# ---- the workflows --------------------------------------------------------------------------------------------

FORGEJO = PROJECT_ROOT / ".forgejo" / "workflows" / "terbit.yml"


def test_the_forgejo_workflow_passes_actionlint_and_zizmor(tmp_path):
    config = tmp_path / "actionlint.yaml"
    config.write_text("self-hosted-runner:\n  labels: [docker]\n")  # the Forgejo runner's label
    tools = Path(sys.executable).parent
    lint = subprocess.run([tools / "actionlint", "-config-file", config, FORGEJO], capture_output=True, text=True)
    assert lint.returncode == 0, lint.stdout + lint.stderr
    audit = subprocess.run([tools / "zizmor", "--offline", "--persona=pedantic", FORGEJO], capture_output=True,
                           text=True)
    assert audit.returncode == 0, audit.stdout + audit.stderr


@pytest.mark.parametrize("workflow", [PROJECT_ROOT / ".github" / "workflows" / "terbit.yml", FORGEJO],
                         ids=lambda p: p.parent.parent.name)
def test_publishing_keeps_the_replay_cache_where_the_tool_writes_it(workflow, demo_repo):
    from pengaduan.history.reader import cache_path
    steps = [s for job in yaml.safe_load(workflow.read_text("utf-8"))["jobs"].values() for s in job["steps"]]
    cache = next(s["with"] for s in steps if s.get("uses", "").startswith("actions/cache@"))
    assert cache["key"] == "pengaduan-riwayat-${{ github.sha }}" and cache["restore-keys"] == "pengaduan-riwayat-"
    written = cache_path(demo_repo, "main", "replay").parent.relative_to(demo_repo)
    assert cache["path"] == written.as_posix() == ".git/pengaduan"
    runs = "\n".join(s.get("run", "") for s in steps)
    assert runs.index("situs --keluar site") < (runs.index("terbitkan site") if "terbitkan" in runs else len(runs))


def test_a_rahasia_summary_worded_like_a_public_one_is_no_leak():
    from pengaduan.outputs.publish import personal_values, record_values
    summary = "Pengaduan tentang daftar pemilih di TPS setempat"
    public = {"id": "PGD-2026-00001", "pelapor": {"kerahasiaan": "terbuka"}, "ringkasan_publik": summary}
    alike = {"id": "PGD-2026-00002", "pelapor": {"kerahasiaan": "rahasia"}, "ringkasan_publik": summary}
    own = {"id": "PGD-2026-00003", "pelapor": {"kerahasiaan": "rahasia"},
           "ringkasan_publik": "Dugaan pungutan oleh petugas di kantor kecamatan"}
    texts, _ = personal_values({path: record_values(data) for path, data in
                                (("a.yaml", public), ("b.yaml", alike), ("c.yaml", own))})
    needles = {text: [n.record for n in where] for text, where in texts.items()}
    assert "pengaduan tentang daftar pemilih di tps setempat" not in needles
    assert needles["dugaan pungutan oleh petugas di kantor kecamatan"] == ["c.yaml"]
    assert needles["pgd-2026-00003"] == ["c.yaml"] and needles["pgd-2026-00002"] == ["b.yaml"]


def test_the_site_carries_the_chain_of_heads_and_a_rewrite_shows_against_it(demo_repo, run, tmp_path):
    first = built(run, demo_repo, tmp_path / "site")
    head = git(demo_repo, "rev-parse", "main").strip()
    chain = json.loads((first / "data/rantai_kepala.json").read_text("utf-8"))
    assert chain[-1]["kepala"] == head and chain[-1]["jenis"] == "terbit"
    assert set(chain[-1]) == {"kepala", "waktu", "jenis"}  # commit ids and times only
    saved = tmp_path / "rantai_kepala.json"
    saved.write_text((first / "data/rantai_kepala.json").read_text("utf-8"), "utf-8")
    # main is reset one merge back and the local chain lost: the downloaded chain still shows the rewrite
    git(demo_repo, "reset", "-q", "--hard", "main~1")
    shutil.rmtree(demo_repo / ".git" / "pengaduan")
    result = run("--repo", demo_repo, "audit", "--rantai", saved)
    assert result.exit_code == 1 and "[riwayat-ditulis-ulang]" in result.output and head[:10] in result.output


def test_a_billion_laughs_record_is_scanned_once_per_value_not_walked_forever():
    """A record periksa refuses is still read for the scan (with libyaml, aliases shared); its values are taken
    once, so ten levels of ten aliases each (10^10 paths) cost no more than the text itself."""
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
    text = "pelapor: {kerahasiaan: terbuka, nama: Budi Santoso Wijaya}\n" + "\n".join(levels) + "\n"
    valid, data, values = publish_parse(text.encode())
    assert not valid and data is not None
    assert ("pelapor.nama", "budi santoso wijaya") in {(field, value) for field, value, _ in values}


def test_an_address_written_with_escapes_is_caught_in_every_data_file(demo_repo, run, tmp_path):
    """A summary that copies a multi-line address with a quote and a `<`: the JSON file and the look-up script
    carry it as escapes (\\n, \\", \\u003c), the CSV as written; the scan reads each as a reader would."""
    path, record = next((p, r) for p, r in sorted(records(demo_repo).items())
                        if r["pelapor"]["kerahasiaan"] == "terbuka")
    address = 'Jl. Tjilik Riwut "Gang Damai" No. 7\nRT 03 <dekat pasar> Desa Kahayan Hilir'
    record["pelapor"]["alamat"] = address
    record["ringkasan_publik"] = f"Pengaduan dari warga di {address}"
    (demo_repo / path).write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), "utf-8")
    commit_all(demo_repo, "ringkasan yang menyalin alamat")
    result = build(run, demo_repo, tmp_path / "site")
    assert result.exit_code == 1 and "TIDAK diterbitkan" in result.output, result.output
    shard = f"lacak/indeks/{shard_of(record['id'])}.js"
    for file in ("data/pengaduan.json", "data/pengaduan.csv", shard):
        assert f"{file}: memuat pelapor.alamat dari {path}" in result.output, file


@given(st.text())
@example('say "hi"\n\\ <b> \U0001F600 \x00')
def test_every_json_escape_reads_back_as_the_text(text):
    for ascii_only in (True, False):
        written = json.dumps(text, ensure_ascii=ascii_only)[1:-1]
        assert _JSON_ESCAPE.sub(_unescape_json, written) == text


@given(st.text())
@example("NIK ٣٤٥ 6201-0203 (0812) 3456+78 é")
def test_the_numbers_of_any_text_are_read_alike_on_the_fast_path(text):
    assert digits_only(text) == "".join(c if c.isascii() and c.isdigit() else "" if c in " ().+/-" else "|"
                                        for c in text)


def _scan_case(folder: Path) -> dict:
    """A folder of output files, some holding a reporter's name or NIK, and the values of that record."""
    record = {"id": "PGD-2026-00009", "ringkasan_publik": "Pengaduan tentang DPT",
              "pelapor": {"kerahasiaan": "terbuka", "nama": "Siti Rahmawati Kahayan", "nik": "62" + "0" * 13 + "7"}}
    folder.mkdir()
    for n in range(40):
        text = "Rekap umum tanpa nama. " * (200 * (n % 7) + 1)
        if n % 9 == 4:
            text += "Pelapor: SITI  Rahmawati kahayan."
        if n % 13 == 5:
            text += f"NIK {record['pelapor']['nik'][:8]}-{record['pelapor']['nik'][8:]}"
        (folder / f"halaman-{n:02d}.html").write_text(text, "utf-8")
    return {"r.yaml": record_values(record)}


def test_the_scan_shared_out_finds_what_one_process_finds(tmp_path):
    values = _scan_case(tmp_path / "situs")
    alone = scan(tmp_path / "situs", values)
    assert {(h.file, h.field) for h in alone} == (
        {(f"halaman-{n:02d}.html", "pelapor.nama") for n in range(40) if n % 9 == 4}
        | {(f"halaman-{n:02d}.html", "pelapor.nik") for n in range(40) if n % 13 == 5})
    built_, hits = scan_after(lambda generated: "dibangun", tmp_path / "situs", lambda: Scanner(values))
    assert built_ == "dibangun" and hits == alone


def test_a_scanner_process_that_fails_leaves_the_scan_to_the_publisher(tmp_path):
    values = _scan_case(tmp_path / "situs")
    parent = os.getpid()

    def prepare():
        if os.getpid() != parent:
            os._exit(7)  # the forked scanner dies before it reports anything
        return Scanner(values)
    _, hits = scan_after(lambda generated: None, tmp_path / "situs", prepare)
    assert hits == scan(tmp_path / "situs", values) and hits


def test_a_build_that_fails_ends_the_scanner_too(tmp_path):
    values = _scan_case(tmp_path / "situs")

    def failing(generated):
        raise PublishError("MkDocs gagal")
    with pytest.raises(PublishError, match="MkDocs gagal"):
        scan_after(failing, tmp_path / "situs", lambda: Scanner(values))
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # no child left behind


def test_only_the_themes_own_unchanged_files_are_left_unsearched(tmp_path):
    values = _scan_case(tmp_path / "situs")
    for rel in ("assets/javascripts/lunr/wordcut.js", "assets/stylesheets/main.57a0d79d.min.css"):
        (tmp_path / "situs" / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(THEME / rel, tmp_path / "situs" / rel)
    assert theme_file("assets/javascripts/lunr/wordcut.js",
                      (tmp_path / "situs/assets/javascripts/lunr/wordcut.js").read_bytes())
    before = scan(tmp_path / "situs", values)
    changed = tmp_path / "situs/assets/javascripts/lunr/wordcut.js"  # a page override at the theme's path
    changed.write_bytes(changed.read_bytes() + b"/* Siti Rahmawati Kahayan */")
    after = scan(tmp_path / "situs", values)
    assert [h.file for h in after if h not in before] == ["assets/javascripts/lunr/wordcut.js"]


def test_each_share_of_the_scan_comes_back_from_its_own_process(tmp_path):
    values = _scan_case(tmp_path / "situs")
    hits, redone = _scan_in_shares(tmp_path / "situs", Scanner(values))
    assert redone == 0 and sorted(hits) == sorted((h.file, h.field, h.record) for h in scan(tmp_path / "situs", values))


def test_data_searched_before_mkdocs_count_only_while_the_output_is_those_bytes(tmp_path):
    values = _scan_case(tmp_path / "situs")
    name = "Siti Rahmawati Kahayan"
    outside = tmp_path / "luar.json"

    def build(generated):
        generated({"data/sama.json": json.dumps({"nama": name}), "data/berubah.json": json.dumps({"x": 1}),
                   "data/bersih.json": json.dumps({"nama": name}), "index.md": f"# {name}",
                   "../luar.json": "{}"})
        data = tmp_path / "situs" / "data"
        data.mkdir()
        (data / "sama.json").write_text(json.dumps({"nama": name}))  # as searched: its hit stands
        (data / "berubah.json").write_text(json.dumps({"x": name}))  # changed after: searched again
        (data / "bersih.json").write_text(json.dumps({"nama": "-"}))  # what is published is what counts
    _, hits = scan_after(build, tmp_path / "situs", lambda: Scanner(values))
    found = {(h.file, h.field) for h in hits}
    assert {("data/sama.json", "pelapor.nama"), ("data/berubah.json", "pelapor.nama")} <= found
    assert not {file for file, _ in found if "bersih" in file or "index" in file}
    assert hits == scan(tmp_path / "situs", values) and not outside.exists()


def test_a_file_already_searched_is_taken_as_searched_only_while_its_bytes_are_the_same(tmp_path):
    values = _scan_case(tmp_path / "situs")
    scanner = Scanner(values)
    rel = "halaman-04.html"
    raw = (tmp_path / "situs" / rel).read_bytes()
    marked = Hit(rel, "penanda", "uji.yaml")  # a hit only the earlier search could have given
    same = {rel: (hashlib.sha256(raw).digest(), [marked])}
    assert scanner.hits(tmp_path / "situs", [rel], same) == [marked]
    other = {rel: (hashlib.sha256(raw + b" ").digest(), [marked])}
    assert scanner.hits(tmp_path / "situs", [rel], other) == scanner.hits(tmp_path / "situs", [rel])
    assert scanner.searched(tmp_path / "situs")[rel] == (hashlib.sha256(raw).digest(), scanner.file_hits(rel, raw))


def test_values_written_the_way_a_word_processor_or_markup_writes_them_are_caught(demo_repo, run, tmp_path):
    """What a reader sees as the value, whatever characters carry it: full-width digits, dashes a word processor
    puts between groups, invisible soft hyphens and zero-width spaces, and a word split by inline markup on a page
    left out of the search index (so that no plain copy of the text exists)."""
    own_site(demo_repo)
    path, record = next((p, r) for p, r in sorted(records(demo_repo).items())
                        if r["pelapor"].get("nik") and r["pelapor"].get("telepon") and r["pelapor"].get("email")
                        and len(r["uraian"].split()) > 6)
    reporter = record["pelapor"]
    digits = re.sub(r"\D", "", reporter["telepon"])
    first, rest = record["uraian"].split(" ", 1)
    pages = {"pelapor.nik": reporter["nik"].translate({ord(d): ord(d) + 0xFEE0 for d in "0123456789"}),
             "pelapor.telepon": "\u2013".join((digits[:4], digits[4:8], digits[8:])),
             "pelapor.nama": "&shy;".join(reporter["nama"]),
             "pelapor.email": reporter["email"].replace("@", "\u200b@\u200b"),
             "uraian": f"---\nsearch:\n  exclude: true\n---\n# Kutipan\n\n**{first[:2]}**{first[2:]} {rest}"}
    for field, text in pages.items():
        page = field.replace(".", "-")
        (demo_repo / "docs" / f"{page}.md").write_text(text if text.startswith("---") else f"# Catatan\n\n{text}\n",
                                                        "utf-8")
    commit_all(demo_repo, "catatan")
    result = build(run, demo_repo, tmp_path / "site")
    assert result.exit_code == 1 and "TIDAK diterbitkan" in result.output, result.output
    for field in pages:
        assert f"{field.replace('.', '-')}/index.html: memuat {field} dari {path}" in result.output, field


def _workbook(text: str) -> bytes:
    """A spreadsheet (.xlsx: XML parts in a zip) whose one cell holds `text`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as workbook:
        workbook.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        workbook.writestr("xl/sharedStrings.xml", f'<sst count="1"><si><t>{text}</t></si></sst>')
    return buffer.getvalue()


def test_an_attachment_copied_under_another_name_and_a_spreadsheet_in_docs_are_caught(demo_repo, run, tmp_path):
    """A reporter's scanned KTP put in docs/ to illustrate a page, an internal recap exported as a spreadsheet
    and a letter saved by Word, for download: none shows a value as text in its bytes, each shows it to whoever
    opens it."""
    own_site(demo_repo)
    path, record = next((p, r) for p, r in sorted(records(demo_repo).items()) if r["pelapor"].get("nik"))
    folder = demo_repo / path.removesuffix(".yaml")
    folder.mkdir(parents=True, exist_ok=True)
    scan_of_ktp = bytes(range(256)) * 40 + b"KTP"
    (folder / "ktp.jpg").write_bytes(scan_of_ktp)
    (demo_repo / "docs" / "gambar").mkdir()
    (demo_repo / "docs" / "gambar" / "contoh-identitas.jpg").write_bytes(scan_of_ktp)
    (demo_repo / "docs" / "unduhan").mkdir()
    (demo_repo / "docs" / "unduhan" / "rekap.xlsx").write_bytes(_workbook(f"{record['pelapor']['nama']} "
                                                                          f"{record['pelapor']['nik']}"))
    (demo_repo / "docs" / "unduhan" / "surat.docx").write_bytes(_document(record["pelapor"]["nama"]))
    letters = "".join(f"<tspan>{letter}</tspan>" for letter in record["pelapor"]["nama"])  # as a drawing kerns it
    (demo_repo / "docs" / "gambar" / "bagan.svg").write_text(f'<svg xmlns="http://www.w3.org/2000/svg"><text>{letters}'
                                                             "</text></svg>", "utf-8")
    commit_all(demo_repo, "contoh dan unduhan")
    result = build(run, demo_repo, tmp_path / "site")
    assert result.exit_code == 1 and "TIDAK diterbitkan" in result.output, result.output
    assert f"gambar/contoh-identitas.jpg: memuat lampiran (isi berkas) dari {path}" in result.output
    for field in ("pelapor.nama", "pelapor.nik"):
        assert f"unduhan/rekap.xlsx: memuat {field} dari {path}" in result.output, field
    for file in ("unduhan/surat.docx", "gambar/bagan.svg"):
        assert f"{file}: memuat pelapor.nama dari {path}" in result.output, file


def _document(name: str) -> bytes:
    """A letter (.docx) with `name` in it as Word saves it after an edit: one word split over two runs."""
    runs = "".join(f'<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">{part}</w:t></w:r>'
                   for part in (name[:3], name[3:]))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as document:
        document.writestr("word/document.xml", f"<w:document><w:body><w:p>{runs}</w:p></w:body></w:document>")
    return buffer.getvalue()


def test_a_compressed_file_too_large_to_read_is_refused_not_read(demo_repo, run, tmp_path):
    """A gzip or zip "bomb" in docs/ (a few hundred kilobytes that open to gigabytes) is refused by name, before
    it fills the memory."""
    own_site(demo_repo)
    (demo_repo / "docs" / "arsip.txt.gz").write_bytes(gzip.compress(b"\0" * (300 << 20), 9))
    commit_all(demo_repo, "arsip")
    result = build(run, demo_repo, tmp_path / "site")
    assert result.exit_code == 1 and "arsip.txt.gz" in result.output and "terlalu besar" in result.output, \
        result.output
    assert not (tmp_path / "site").exists() and not list(tmp_path.glob(".baru-*"))


def test_a_note_written_for_one_complaint_is_not_boilerplate_when_a_page_quotes_it(demo_repo, run, tmp_path):
    """Staff wording that many records share (a standard answer) may be quoted by a guide page; a note written for
    one complaint (here naming the official complained about) is that complaint's, even when a page copies it as
    an example: copying it into docs/ does not make it the office's own words."""
    own_site(demo_repo)
    path, record = next((p, r) for p, r in sorted(records(demo_repo).items()) if r.get("nota_dinas_balasan"))
    note = ("Ketua KPPS TPS 26 Desa Mantaren atas nama Ahmad Fauzi telah diberi teguran tertulis karena lalai "
            "mencocokkan daftar pemilih.")
    record["nota_dinas_balasan"]["isi"] = note
    (demo_repo / path).write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), "utf-8")
    standard = next(r["nota_dinas_balasan"]["isi"] for p, r in sorted(records(demo_repo).items())
                    if p != path and r.get("nota_dinas_balasan"))
    (demo_repo / "docs" / "contoh-standar.md").write_text(f"# Contoh jawaban baku\n\n> {standard}\n", "utf-8")
    (demo_repo / "docs" / "contoh-balasan.md").write_text(f"# Contoh nota dinas balasan\n\n> {note}\n", "utf-8")
    commit_all(demo_repo, "contoh")
    result = build(run, demo_repo, tmp_path / "site")
    assert result.exit_code == 1, result.output
    assert f"contoh-balasan/index.html: memuat nota_dinas_balasan.isi dari {path}" in result.output
    assert "contoh-standar" not in result.output
    (demo_repo / "docs" / "contoh-balasan.md").unlink()
    commit_all(demo_repo, "contoh dihapus")
    built(run, demo_repo, tmp_path / "site")


def test_a_public_summary_that_copies_another_complaints_text_is_caught(demo_repo, run, tmp_path):
    """A summary may repeat its own complaint's text (staff chose to publish it); pasted from another complaint (a
    rahasia one here), it publishes that complaint's words under the wrong number."""
    items = sorted(records(demo_repo).items())
    path_a, a = next((p, r) for p, r in items if r["pelapor"]["kerahasiaan"] == "terbuka"
                     and len(r["uraian"].split()) > 6)
    path_b, b = next((p, r) for p, r in items if r["pelapor"]["kerahasiaan"] == "rahasia"
                     and len(r["uraian"].split()) > 6 and " ".join(r["uraian"].split()) != " ".join(a["uraian"].split()))
    a["ringkasan_publik"] = " ".join(b["uraian"].split())
    (demo_repo / path_a).write_text(yaml.safe_dump(a, allow_unicode=True, sort_keys=False), "utf-8")
    commit_all(demo_repo, "ringkasan tertukar")
    result = build(run, demo_repo, tmp_path / "site")
    assert result.exit_code == 1 and f"memuat uraian dari {path_b}" in result.output, result.output
    a["ringkasan_publik"] = " ".join(a["uraian"].split())
    (demo_repo / path_a).write_text(yaml.safe_dump(a, allow_unicode=True, sort_keys=False), "utf-8")
    commit_all(demo_repo, "ringkasan dari uraiannya sendiri")
    built(run, demo_repo, tmp_path / "site")


def test_a_text_file_saved_as_unicode_by_a_spreadsheet_is_read(demo_repo, run, tmp_path):
    """Excel's "Unicode Text" and Notepad's "Unicode" write UTF-16 with a byte order mark; a browser shows it."""
    own_site(demo_repo)
    path, record = next((p, r) for p, r in sorted(records(demo_repo).items()) if r["pelapor"].get("nik"))
    row = f"{record['pelapor']['nama']}\t{record['pelapor']['nik']}\r\n"
    (demo_repo / "docs" / "rekap.txt").write_bytes(row.encode("utf-16"))
    (demo_repo / "docs" / "rekap-be.csv").write_bytes(b"\xfe\xff" + row.encode("utf-16-be"))
    commit_all(demo_repo, "rekap")
    result = build(run, demo_repo, tmp_path / "site")
    assert result.exit_code == 1, result.output
    for file in ("rekap.txt", "rekap-be.csv"):
        for field in ("pelapor.nama", "pelapor.nik"):
            assert f"{file}: memuat {field} dari {path}" in result.output, (file, field)


def test_mkdocs_hooks_from_the_repository_are_refused_before_they_run(demo_repo, run, tmp_path):
    """MkDocs imports a `hooks:` file named in mkdocs.yml (directly, or through `INHERIT`) as Python: a page
    change could run code in the publisher that switches the scan off. Refused before MkDocs reads the file."""
    own_site(demo_repo)
    path, record = next((p, r) for p, r in sorted(records(demo_repo).items()) if r["pelapor"].get("nik"))
    ran = tmp_path / "hook-ran"
    (demo_repo / "docs" / "catatan.md").write_text(f"# Catatan\n\n{record['pelapor']['nama']}\n", "utf-8")
    (demo_repo / "bocor.py").write_text(f"import pathlib\nimport pengaduan.outputs.publish as publish\n"
                                        f"pathlib.Path({str(ran)!r}).touch()\n"
                                        "publish._hits_of = lambda found: []\n"
                                        "publish.Scanner.hits = lambda self, folder, files, known=None: []\n")
    config = (demo_repo / "mkdocs.yml").read_text("utf-8")
    (demo_repo / "mkdocs.yml").write_text(config + "\nhooks:\n  - bocor.py\n", "utf-8")
    commit_all(demo_repo, "hooks")
    result = build(run, demo_repo, tmp_path / "site")
    assert result.exit_code == 1 and "hooks" in result.output and "mkdocs.yml" in result.output, result.output
    assert not ran.exists() and not (tmp_path / "site").exists()
    (demo_repo / "dasar.yml").write_text("hooks:\n  - bocor.py\n", "utf-8")
    (demo_repo / "mkdocs.yml").write_text("INHERIT: dasar.yml\n" + config, "utf-8")
    commit_all(demo_repo, "hooks lewat INHERIT")
    result = build(run, demo_repo, tmp_path / "site")
    assert result.exit_code == 1 and "INHERIT" in result.output, result.output
    assert not ran.exists() and not (tmp_path / "site").exists()


def test_only_plugins_that_run_no_code_of_the_repository_are_allowed(tmp_path):
    """The `projects` plugin builds further mkdocs.yml files (hooks and all), `group` switches on plugins of its
    own; the site needs neither."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text("docs_dir: docs\nplugins:\n  - search\n  - pengaduan\n"
                                         "  - material/projects:\n      projects_dir: proyek\n", "utf-8")
    with pytest.raises(PublishError, match="material/projects tidak diizinkan"):
        check_inputs(tmp_path)
    (tmp_path / "mkdocs.yml").write_text("docs_dir: docs\nplugins:\n  pengaduan: {}\n  material/group: {}\n", "utf-8")
    with pytest.raises(PublishError, match="material/group tidak diizinkan"):
        check_inputs(tmp_path)
    (tmp_path / "mkdocs.yml").write_text("docs_dir: docs\nplugins:\n  - search\n", "utf-8")
    with pytest.raises(PublishError, match="plugin `pengaduan` wajib"):  # without it no template sandbox
        check_inputs(tmp_path)
    (tmp_path / "mkdocs.yml").write_text("docs_dir: docs\nplugins:\n  - search:\n      lang: en\n  - pengaduan\n",
                                         "utf-8")
    assert check_inputs(tmp_path) == tmp_path / "docs"


def test_a_template_override_cannot_reach_python_to_switch_the_scan_off(demo_repo, run, tmp_path):
    """The theme overrides in templates/situs are Jinja templates the office edits; outside Jinja's sandbox one
    reaches any Python object through `__globals__` (here: the scan's result is thrown away). Rendered in the
    sandbox, the same template fails the build instead."""
    own_site(demo_repo)
    path, record = next((p, r) for p, r in sorted(records(demo_repo).items()) if r["pelapor"].get("nik"))
    (demo_repo / "docs" / "catatan.md").write_text(f"# Catatan\n\n{record['pelapor']['nama']}\n", "utf-8")
    (demo_repo / "templates" / "situs" / "main.html").write_text(
        '{% extends "base.html" %}\n{% block content %}'
        "{% set b = config.__class__.__init__.__globals__['__builtins__'] %}"
        "{% set p = b['__import__']('pengaduan.outputs.publish', none, none, ['Scanner']) %}"
        "{% set _ = p.__dict__.update({'_hits_of': b['frozenset']().difference}) %}"
        "{{ super() }}{% endblock %}\n", "utf-8")
    commit_all(demo_repo, "tampilan")
    result = build(run, demo_repo, tmp_path / "site")
    assert result.exit_code == 1, result.output
    assert not (tmp_path / "site").exists()


def test_a_page_of_unclosed_brackets_does_not_stall_the_scan(demo_repo, run, tmp_path):
    """Tags are taken out of the text a reader sees; a pattern that let a tag run over `<` tried each `<` to the
    end of the file (a few megabytes of `<`, a few kilobytes in Git, held a publish for hours). A tag holds no
    `<`: each is tried to the next bracket only, and a name behind the brackets is still found."""
    own_site(demo_repo)
    path, record = next((p, r) for p, r in sorted(records(demo_repo).items()) if r["pelapor"].get("nik"))
    (demo_repo / "docs" / "pagar.txt").write_text("<" * (4 << 20) + f" <b>{record['pelapor']['nama']}</b>", "utf-8")
    commit_all(demo_repo, "pagar")
    result = build(run, demo_repo, tmp_path / "site")
    assert result.exit_code == 1 and f"pagar.txt: memuat pelapor.nama dari {path}" in result.output, result.output


def test_a_name_in_a_file_name_or_a_link_written_as_a_slug_is_caught(demo_repo, run, tmp_path):
    """File names and addresses join words with `-` or `_` (`surat-maria-lestari.pdf`); a reader reads the name."""
    own_site(demo_repo)
    items = sorted(records(demo_repo).items())
    (path_a, a), (path_b, b) = [(p, r) for p, r in items if len(r["pelapor"].get("nama", "").split()) >= 2][:2]
    slug = "-".join(a["pelapor"]["nama"].lower().split())
    (demo_repo / "docs" / "unduhan").mkdir()
    (demo_repo / "docs" / "unduhan" / f"surat-{slug}.txt").write_text("Surat pengaduan.\n", "utf-8")
    link = "_".join(b["pelapor"]["nama"].split())
    (demo_repo / "docs" / "tautan.md").write_text(f"# Tautan\n\n[Berkas](https://berkas.example/KTP_{link}.jpg)\n",
                                                  "utf-8")
    commit_all(demo_repo, "unduhan")
    result = build(run, demo_repo, tmp_path / "site")
    assert result.exit_code == 1, result.output
    assert f"unduhan/surat-{slug}.txt: memuat pelapor.nama dari {path_a}" in result.output
    assert f"tautan/index.html: memuat pelapor.nama dari {path_b}" in result.output


def test_markdown_extensions_that_read_files_outside_docs_are_refused(demo_repo, run, tmp_path):
    """`pymdownx.b64` puts a picture from any folder into the page as base64 (a reporter's KTP from the checkout's
    records/, which no scan can read back), `pymdownx.snippets` pastes any file (.git/config, with the token
    Actions keeps there). Only extensions that read nothing but the page are allowed."""
    own_site(demo_repo)
    path, record = next((p, r) for p, r in sorted(records(demo_repo).items()) if r["pelapor"].get("nik"))
    folder = demo_repo / path.removesuffix(".yaml")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "ktp.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    (demo_repo / "docs" / "contoh.md").write_text(f"# Contoh\n\n![KTP]({path.removesuffix('.yaml')}/ktp.png)\n",
                                                  "utf-8")
    config = (demo_repo / "mkdocs.yml").read_text("utf-8")
    (demo_repo / "mkdocs.yml").write_text(config.replace("markdown_extensions:\n", "markdown_extensions:\n"
                                                         f"  - pymdownx.b64:\n      base_path: {demo_repo}\n"),
                                          "utf-8")
    commit_all(demo_repo, "contoh")
    result = build(run, demo_repo, tmp_path / "site")
    assert result.exit_code == 1 and "pymdownx.b64" in result.output, result.output
    assert not (tmp_path / "site").exists()
    (demo_repo / "mkdocs.yml").write_text(config.replace("markdown_extensions:\n", "markdown_extensions:\n"
                                                         "  - pymdownx.snippets\n  - toc\n"), "utf-8")
    commit_all(demo_repo, "cuplikan")
    result = build(run, demo_repo, tmp_path / "site")
    assert result.exit_code == 1 and "pymdownx.snippets" in result.output, result.output


def test_a_theme_folder_outside_the_repository_is_refused(demo_repo, run, tmp_path):
    """MkDocs copies every file of the theme's custom_dir into the site: named as an absolute path (the runner's
    ~/.ssh with the deploy key, the checkout's records/), or through an environment variable, it would publish
    whatever is there."""
    own_site(demo_repo)
    keys = tmp_path / "ssh"
    keys.mkdir()
    (keys / "id_ed25519").write_text("-----BEGIN OPENSSH PRIVATE KEY-----\nrahasia\n", "utf-8")
    config = (demo_repo / "mkdocs.yml").read_text("utf-8")
    for folder in (str(keys), "../../" + str(keys), "!ENV [HOME]"):
        (demo_repo / "mkdocs.yml").write_text(re.sub(r"custom_dir: \S+", f"custom_dir: {folder}", config), "utf-8")
        commit_all(demo_repo, "tema")
        result = build(run, demo_repo, tmp_path / "site")
        assert result.exit_code == 1 and "custom_dir" in result.output, result.output
        assert not (tmp_path / "site").exists()


def test_a_python_tag_in_mkdocs_yml_is_refused_before_mkdocs_reads_it(tmp_path):
    """MkDocs reads mkdocs.yml with PyYAML's full loader, which runs `!!python/object/apply:os.system`."""
    (tmp_path / "docs").mkdir()
    ran = tmp_path / "jalan"
    (tmp_path / "mkdocs.yml").write_text(f"docs_dir: docs\nplugins: [pengaduan]\nextra:\n  x: !!python/object/apply:"
                                         f"os.system ['touch {ran}']\n", "utf-8")
    with pytest.raises(PublishError, match="mkdocs.yml baris 4: YAML tidak sah"):
        check_inputs(tmp_path)
    assert not ran.exists()


def test_a_file_put_into_the_site_folder_during_a_build_is_never_deleted(demo_repo, run, tmp_path):
    """The old folder is replaced only while it is still what the last build wrote: a file added or changed after
    check_output read it (while MkDocs ran) keeps the old folder and refuses the new one."""
    out = built(run, demo_repo, tmp_path / "site")
    since = time.time_ns() - 2_000_000_000
    for change in ("catatan-rapat.txt", "index.html"):
        staging = tmp_path / f".baru-{change}"
        staging.mkdir()
        (staging / "index.html").write_text("baru")
        before = (out / "index.html").read_bytes()
        (out / change).write_bytes(b"milik petugas" if change != "index.html" else before + b"<!-- diubah -->")
        with pytest.raises(PublishError, match=f"berubah selama situs dibangun: {change}"):
            _replace(staging, out, since)
        assert (out / change).read_bytes().endswith((b"milik petugas", b"<!-- diubah -->"))
        assert not list(tmp_path.glob(".lama-*")) and (staging / "index.html").is_file()
        if change == "index.html":
            (out / change).write_bytes(before)
        else:
            (out / change).unlink()
    staging = tmp_path / ".baru-bersih"
    staging.mkdir()
    (staging / "index.html").write_text("baru")
    _replace(staging, out, since)  # unchanged since: replaced
    assert (out / "index.html").read_text() == "baru" and not list(tmp_path.glob(".lama-*"))
