"""`pengaduan periksa-pengaturan`: the forge settings the gate relies on, read back and compared with what it needs.

Each check names the setting as it appears in the forge's own settings page, so the message says where to
fix it. The names are those of GitHub's "Branch protection rule" page and Forgejo's "Branch protection" page
(Forgejo's API field names in brackets).
"""
from __future__ import annotations

from collections.abc import Iterable

from ..core.config import Office
from .api import BranchRules

# The required checks, by the name the forge gives them.
# GitHub: a job's check run is named after the job. Forgejo: a job's own status is "<workflow> / <job> (<event>)",
# and review events create none, so the gate and the disposition check post their own statuses.
REQUIRED_CHECKS = {
    "github": ("gerbang", "pengaduan/disposisi"),
    "forgejo": ("pengaduan/gerbang", "pengaduan/disposisi"),
}
_GH = "Settings → Branches → Branch protection rule untuk main: "
_FJ = "Pengaturan repositori → Cabang → Perlindungan cabang untuk main: "


def _users(office: Office, roles: Iterable[str]) -> set[str]:
    return {u.lower() for p in office.people if set(p.roles) & set(roles) for u in p.forge_users}


def codeowners(text: str) -> dict[str, set[str]]:
    """Pattern -> owners (without @) of a CODEOWNERS file."""
    owners = {}
    for line in text.splitlines():
        fields = line.split("#", 1)[0].split()
        if len(fields) >= 2:
            owners[fields[0]] = {f.lstrip("@").lower() for f in fields[1:]}
    return owners


def missing_settings(rules: BranchRules, kind: str, office: Office, codeowners_text: str = "") -> list[tuple[str, str]]:
    """(what is missing, where to set it) for every setting the gate needs that the forge does not have."""
    approvers = _users(office, office.governance_roles)
    chiefs = _users(office, office.disposition_roles)
    github = kind == "github"
    found: list[tuple[str, str]] = []

    def need(ok: bool, what: str, where_github: str, where_forgejo: str) -> None:
        if not ok:
            found.append((what, where_github if github else where_forgejo))

    need(rules.protected, "cabang main tidak dilindungi",
         _GH + "buat aturan (Add rule) dengan pola `main`. Pada repositori privat fitur ini perlu paket berbayar "
         "(GitHub Pro/Team/Enterprise)", _FJ + "tambahkan aturan dengan pola `main`")
    if not rules.protected:
        return found
    need(rules.direct_push_blocked, "push langsung ke main masih diizinkan",
         _GH + "centang *Require a pull request before merging*",
         _FJ + "*Push*: pilih *Nonaktifkan push* [enable_push: false]")
    missing = [c for c in REQUIRED_CHECKS[kind] if c not in rules.status_contexts]
    need(not missing, "pemeriksaan wajib belum diminta: " + ", ".join(missing),
         _GH + "*Require status checks to pass before merging*, tambahkan " + ", ".join(REQUIRED_CHECKS[kind]),
         _FJ + "*Aktifkan pemeriksaan status*, pola: " + ", ".join(REQUIRED_CHECKS[kind]) + " [status_check_contexts]")
    need(rules.up_to_date, "cabang pull request tidak harus mutakhir terhadap main",
         _GH + "*Require branches to be up to date before merging*",
         _FJ + "*Blokir penggabungan bila pull request tertinggal* [block_on_outdated_branch]")
    need(rules.required_approvals >= 1, "tidak ada persetujuan wajib",
         _GH + "*Require approvals*: 1", _FJ + "*Persetujuan yang diperlukan*: 1 [required_approvals]")
    if github:
        owners = codeowners(codeowners_text)
        need(bool(rules.code_owner_review), "persetujuan tidak harus dari pemilik kode (CODEOWNERS)",
             _GH + "*Require review from Code Owners*", "")
        need(bool(owners.get("*")) and owners.get("*", set()) <= approvers,
             "CODEOWNERS tidak memberi `*` kepada penyetuju tata kelola (" + ", ".join(sorted(approvers)) + ")",
             ".github/CODEOWNERS: baris `* @nama` untuk setiap penyetuju tata kelola", "")
        need(bool(owners.get("/records/")) and owners.get("/records/", set()) <= chiefs,
             "CODEOWNERS tidak memberi `/records/` kepada Kasubbag Hukum (" + ", ".join(sorted(chiefs)) + ")",
             ".github/CODEOWNERS: baris `/records/ @nama-kasubbag`", "")
    else:
        need(rules.approvers is not None and bool(rules.approvers)
             and {u.lower() for u in rules.approvers} <= approvers,
             "persetujuan dari siapa saja dihitung (bukan hanya penyetuju: " + ", ".join(sorted(approvers)) + ")", "",
             _FJ + "*Batasi persetujuan ke pengguna/tim yang diizinkan*, isi dengan penyetuju tata kelola "
             "[enable_approvals_whitelist, approvals_whitelist_username]")
        need(rules.block_on_rejected, "permintaan perubahan tidak memblokir penggabungan", "",
             _FJ + "*Blokir penggabungan bila ada ulasan yang menolak* [block_on_rejected_reviews]")
    need(rules.mergers is not None and bool(rules.mergers) and {u.lower() for u in rules.mergers} <= approvers,
         "siapa pun yang berhak menulis dapat menggabungkan (seharusnya hanya: " + ", ".join(sorted(approvers)) + ")",
         _GH + "*Restrict who can push to matching branches* (hanya untuk repositori milik organisasi), isi dengan "
         "Kasubbag Hukum",
         _FJ + "*Batasi penggabungan ke pengguna/tim yang diizinkan*, isi dengan Kasubbag Hukum "
         "[enable_merge_whitelist, merge_whitelist_usernames]")
    need(rules.dismiss_stale, "persetujuan lama tetap berlaku setelah ada komit baru",
         _GH + "*Dismiss stale pull request approvals when new commits are pushed*",
         _FJ + "*Batalkan persetujuan usang* [dismiss_stale_approvals]")
    need(rules.no_bypass, "admin dapat melewati aturan",
         _GH + "*Do not allow bypassing the above settings*, tanpa pengecualian (bypass)",
         _FJ + "*Terapkan juga untuk admin* [apply_to_admins]")
    need(rules.merge_commit_only, "gaya penggabungan selain merge commit masih diizinkan",
         "Settings → General → Pull Requests: hanya *Allow merge commits*; matikan squash dan rebase; dan di "
         "aturan cabang jangan centang *Require linear history*",
         "Pengaturan repositori → Pull request: hanya *Buat merge commit*; matikan rebase, squash, dan "
         "fast-forward [allow_merge_commits]")
    need(rules.signing, "forge tidak menandatangani merge commit", "",
         "app.ini server Forgejo: [repository.signing] SIGNING_KEY dan MERGES = approved (lihat "
         "docs/petugas/penyiapan-forgejo.md), lalu simpan kunci publiknya di tools/config/kunci/")
    return found

