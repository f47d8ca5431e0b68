"""Which forge this runs for, and an adapter for it: GitHub or a self-hosted Forgejo (both set GITHUB_*)."""
from __future__ import annotations

import os

from .api import Forge, ForgeError
from .forgejo import Forgejo
from .github import Github


def _kind(kind: str | None) -> str:
    kind = kind or os.environ.get("PENGADUAN_FORGE") or (
        "forgejo" if os.environ.get("FORGEJO_ACTIONS") or os.environ.get("GITEA_ACTIONS") else "github")
    if kind not in ("github", "forgejo"):
        raise ForgeError(f"PENGADUAN_FORGE={kind!r} tidak dikenal; pakai github atau forgejo.")
    return kind


def _adapter(kind: str) -> type[Forge]:
    return Github if kind == "github" else Forgejo


def parser(kind: str | None = None) -> Forge:
    """An adapter without a connection, to read saved payloads of the forge in use."""
    return _adapter(_kind(kind))("", "", "")


def connect(kind: str | None = None) -> Forge:
    """The forge of the repository this runs for, from the variables its runner sets (both forges set GITHUB_*).

    The kind is `PENGADUAN_FORGE` (github or forgejo) when set; else Forgejo's runner announces itself with
    FORGEJO_ACTIONS or GITEA_ACTIONS; else GitHub.
    """
    kind = _kind(kind)
    repository = os.environ.get("GITHUB_REPOSITORY", "")
    token = os.environ.get("PENGADUAN_TOKEN") or os.environ.get("GITHUB_TOKEN", "")
    if not repository or not token:
        raise ForgeError("GITHUB_REPOSITORY dan GITHUB_TOKEN belum diatur; perintah ini dijalankan oleh alur kerja "
                         "forge (.github/workflows/ atau .forgejo/workflows/). Dari komputer sendiri: atur "
                         "GITHUB_REPOSITORY=pemilik/nama, GITHUB_API_URL (Forgejo: https://server/api/v1), "
                         "PENGADUAN_FORGE dan PENGADUAN_TOKEN.")
    default_api = "https://api.github.com" if kind == "github" else ""
    api = os.environ.get("GITHUB_API_URL", default_api)
    if not api:
        raise ForgeError("GITHUB_API_URL belum diatur (Forgejo: https://server-kantor/api/v1).")
    return _adapter(kind)(api, repository, token)


def open_pull_requests() -> tuple[dict[str, int] | None, str | None]:
    """(branch -> open pull request number, None) when running where the forge's token is given; (None, why) when
    the forge could not tell; (None, None) elsewhere. Without it, a complaint's place is named by its branch."""
    if not (os.environ.get("GITHUB_REPOSITORY") and (os.environ.get("PENGADUAN_TOKEN")
                                                     or os.environ.get("GITHUB_TOKEN"))):
        return None, None
    try:
        forge = connect()
        pulls = [forge.parse_pull_request(data) for data in forge.pages("/pulls", state="open")]
    except (ForgeError, KeyError, TypeError, ValueError) as error:
        why = error if isinstance(error, ForgeError) else "jawabannya tidak berbentuk daftar pull request"
        return None, (f"daftar pull request terbuka tidak bisa dibaca dari forge ({why}); posisi pengaduan disebut "
                      "dengan nama cabangnya.")
    return {pull.head_ref: pull.number for pull in pulls if pull.head_ref}, None
