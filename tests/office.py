"""Doing the office's work in a real Git repository: branches, commits as people, merges as the Kasubbag."""
from __future__ import annotations

import functools
import os
import subprocess
from pathlib import Path

from pengaduan.core import yamlio
from pengaduan.demo import FORGE_PRIVATE_KEY
from pengaduan.core.records import SCHEMA_COMMENT

from conftest import git

STAFF = ("Nurul Hidayah, S.Kom.", "nurul@pulangpisau.kpu.example")
CHIEF = ("Rahmadi Saputra, S.H.", "rahmadi@pulangpisau.kpu.example")
TEKNIS = ("Bambang Wijaya, S.IP.", "bambang@pulangpisau.kpu.example")
UMUM = ("Siti Aminah, S.E.", "siti@pulangpisau.kpu.example")
STRANGER = ("Orang Luar", "luar@contoh.example")
FORGE = ("GitHub", "noreply@github.com")

RECORD_ID = "PGD-2026-09001"
RECORD_PATH = f"records/2026/11/{RECORD_ID}.yaml"

# Each step's block; the record at step N holds the blocks of steps 2..N.
BLOCKS = {
    3: ("disposisi", {"sifat": "segera", "diteruskan_kepada": "teknis",
                      "instruksi": "Harap dicermati dan dibuatkan nota dinas tindak lanjut."}),
    4: ("nota_dinas_tindak_lanjut", {"nomor": "901/HK.06-ND/6211/XI/2026", "tanggal": "2026-11-04",
                                     "hal": "Tindak lanjut pengaduan", "isi": "Mohon ditindaklanjuti."}),
    5: ("nota_dinas_balasan", {"nomor": "902/PP.01-ND/6211/XI/2026", "tanggal": "2026-11-05",
                               "hal": "Jawaban tindak lanjut", "isi": "Sudah diklarifikasi."}),
    6: ("penerusan", {"diterima_tanggal": "2026-11-06"}),
    7: ("arahan_rekap", {"instruksi": "Harap dicatat dan direkap."}),
    8: ("rekap", {"hasil": "ditindaklanjuti", "catatan": "Selesai diklarifikasi."}),
}


def record(step: int, **changes) -> dict:
    data = {
        "id": RECORD_ID, "versi_sop": "4/2022", "langkah": step,
        "diterima": {"waktu": "2026-11-02T09:00:00+07:00", "saluran": "email", "nomor_agenda": 9001},
        "pelapor": {"kerahasiaan": "terbuka", "nama": "Warga Uji"},
        "perihal": "Perilaku petugas KPPS", "uraian": "Petugas membentak pemilih.\n", "kategori": "etika-petugas",
        "ringkasan_publik": "Laporan perilaku petugas KPPS.",
    }
    for number in range(3, step + 1):
        key, block = BLOCKS[number]
        data[key] = dict(block)
    data.update(changes)
    return data


def _record_with(changes: dict, step: int) -> dict:
    return globals()["record"](step, **changes)


def write(repo: Path, data: dict, path: str = RECORD_PATH) -> None:
    target = repo / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(yamlio.dump(data, SCHEMA_COMMENT), "utf-8")


def commit(repo: Path, data: dict | None, who, when: str, message: str, path: str = RECORD_PATH) -> str:
    if data is None:
        git(repo, "rm", "-q", path)
    else:
        write(repo, data, path)
        git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, who=who, when=when)
    return git(repo, "rev-parse", "HEAD").strip()


def pull_request(repo: Path, branch: str, commits: list[tuple[dict, tuple, str]], merger=CHIEF,
                 merged_at: str = "", how: str = "merge", path: str = RECORD_PATH, **merge_options) -> str:
    """Branch from main, commit each (data, who, when), then merge --no-ff (or squash) as `merger`."""
    git(repo, "checkout", "-q", "-b", branch, "main")
    for data, who, when in commits:
        commit(repo, data, who, when, f"{RECORD_ID}: langkah {data['langkah'] if data else '-'}", path)
    git(repo, "checkout", "-q", "main")
    when = merged_at or commits[-1][2]
    if how == "merge":
        forge_merge(repo, branch, f"Merge pull request #1 from kpu/{branch}", merger, when, **merge_options)
    else:
        git(repo, "merge", "-q", "--squash", branch)
        git(repo, "commit", "-q", "-m", f"{RECORD_ID}: langkah (#77)", who=merger, when=when)
    return git(repo, "rev-parse", "HEAD").strip()


def forge_merge(repo: Path, branch: str, message: str, merger, when: str, signed: bool = True,
                committer=FORGE, key: Path | None = None) -> str:
    """Merge `branch` into the checked-out main as the forge does: authored by whoever pressed merge, committed
    by the forge and signed with its key (the demo forge's key, kept in .git). `signed=False`: the same merge
    made on someone's own computer."""
    env = dict(os.environ, GIT_AUTHOR_NAME=merger[0], GIT_AUTHOR_EMAIL=merger[1], GIT_COMMITTER_NAME=committer[0],
               GIT_COMMITTER_EMAIL=committer[1], GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when)
    signing = ["-c", "gpg.format=ssh", "-c", f"user.signingKey={key or repo / '.git' / FORGE_PRIVATE_KEY}"]
    subprocess.run(["git", *signing, "merge", "-q", "--no-ff", *(["-S"] if signed else []), branch, "-m", message],
                   cwd=repo, env=env, check=True, capture_output=True)
    return git(repo, "rev-parse", "HEAD").strip()


def walk_to(repo: Path, last: int, **changes) -> None:
    """Take the test complaint from arrival to step `last` the way the SOP says; `changes` go into every version."""
    record = functools.partial(_record_with, changes)
    day = 3
    if last >= 2:
        steps = [(record(2), STAFF, f"2026-11-0{day}T09:00:00+07:00")]
        if last >= 3:
            steps.append((record(3), CHIEF, f"2026-11-0{day}T10:00:00+07:00"))
        pull_request(repo, f"{RECORD_ID}-langkah-2", steps, merged_at=f"2026-11-0{day}T11:00:00+07:00")
    if last >= 4:
        pull_request(repo, f"{RECORD_ID}-langkah-4", [(record(4), STAFF, "2026-11-04T09:00:00+07:00")],
                     merged_at="2026-11-04T10:00:00+07:00")
    if last >= 5:
        steps = [(record(5), TEKNIS, "2026-11-05T09:00:00+07:00")]
        if last >= 6:
            steps.append((record(6), UMUM, "2026-11-06T09:00:00+07:00"))
        if last >= 7:
            steps.append((record(7), CHIEF, "2026-11-09T09:00:00+07:00"))
        pull_request(repo, f"{RECORD_ID}-langkah-5", steps, merged_at="2026-11-09T10:00:00+07:00")
    if last >= 8:
        pull_request(repo, f"{RECORD_ID}-langkah-8", [(record(8), STAFF, "2026-11-10T09:00:00+07:00")],
                     merged_at="2026-11-10T10:00:00+07:00")


def change_file(repo: Path, path: str, edit, who=CHIEF, when: str = "2026-11-02T08:00:00+07:00", merger=CHIEF,
                how: str = "merge", branch: str = "ubah-konfigurasi") -> str:
    """Change a non-record file (roster, SOP, key, code) by `edit(text) -> text` (None: delete), committed by `who`
    on a branch merged through the forge by `merger` (`how="merge"`), or straight onto main (`how="langsung"`)."""
    if how == "merge":
        git(repo, "checkout", "-q", "-b", branch, "main")
    target = repo / path
    stage(repo, path, edit(target.read_text("utf-8") if target.exists() else ""))
    git(repo, "commit", "-q", "-m", f"Ubah {path}", who=who, when=when)
    if how == "merge":
        git(repo, "checkout", "-q", "main")
        forge_merge(repo, branch, f"Merge pull request #2 from kpu/{branch}", merger, when)
    return git(repo, "rev-parse", "HEAD").strip()


def propose(repo: Path, branch: str, who=STAFF, when: str = "2026-11-27T09:00:00+07:00") -> str:
    """Commit the working tree's record edits to a pull request branch (made from the current one on first use), as
    staff do before making documents: documents are made from main or an open branch, never the working tree."""
    if git(repo, "branch", "--show-current").strip() != branch:
        git(repo, "switch", "-q", "-c", branch)
    git(repo, "commit", "-qam", f"{RECORD_ID}: {branch}", who=who, when=when)
    return git(repo, "rev-parse", "HEAD").strip()


def stage(repo: Path, path: str, text: str | None) -> None:
    """Write `text` to `path` (None: remove the file) and stage it for the next commit."""
    if text is None:
        git(repo, "rm", "-q", path)
        return
    target = repo / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, "utf-8")
    git(repo, "add", path)


REVISED_SOP = Path(__file__).parent / "fixtures" / "kantor-enam-langkah" / "sop-01-2027.yaml"


def adopt_revised_sop(repo: Path, roles: dict[str, str], day: str) -> None:
    """The six-step SOP 1/2027 added as a new file, then the roster's roles changed by text replacement (`roles`),
    each through a governance pull request merged on `day` (YYYY-MM-DD)."""
    change_file(repo, "tools/config/sop/sop-01-2027.yaml", lambda _: REVISED_SOP.read_text("utf-8"),
                when=f"{day}T08:00:00+07:00", branch="sop-revisi")

    def renamed(text: str) -> str:
        for old, new in roles.items():
            text = text.replace(old, new)
        return text
    change_file(repo, "tools/config/kantor.yaml", renamed, when=f"{day}T08:30:00+07:00", branch="peran-revisi")
