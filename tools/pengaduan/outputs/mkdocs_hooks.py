"""MkDocs hooks, run by the `pengaduan` plugin named in mkdocs.yml (mkdocs_plugin): add the generated recap
pages and data, mark INTERNAL builds, and keep the staff documentation (docs/petugas, docs/panduan) out of
the public build.

`pengaduan situs` prepares the build; a plain `mkdocs build` or `mkdocs serve`
prepares a public build of the repository in PENGADUAN_REPO (default: here).
"""
from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from pengaduan.outputs import site
from pengaduan.history.calendar import WIB

INTERNAL_NOTICE = ('!!! danger "INTERNAL — hanya untuk petugas"\n'
                   "    Halaman ini memuat data pribadi pelapor. Jangan diteruskan, dicetak untuk umum, "
                   "atau diterbitkan.\n\n")


def _build(config: MkDocsConfig) -> site.SiteBuild:
    if site.CURRENT is None:
        repo = Path(os.environ.get("PENGADUAN_REPO", Path(config.config_file_path).parent))
        site.CURRENT = site.prepare(repo, internal=False, now=datetime.now(WIB))
    return site.CURRENT


STAFF_FOLDERS = ("petugas/", "panduan/")


def _staff_only(entry: object) -> bool:
    """A nav entry (page path, or {title: path or [entries]}) made only of staff pages."""
    if isinstance(entry, str):
        return entry.startswith(STAFF_FOLDERS)
    if isinstance(entry, dict):
        return all(_staff_only(value) for value in entry.values())
    return isinstance(entry, list) and bool(entry) and all(_staff_only(value) for value in entry)


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    build = _build(config)
    if build.internal:
        config.site_name = f"{config.site_name} (INTERNAL)"
    elif config.nav:
        config.nav = [entry for entry in config.nav if not _staff_only(entry)]
    if build.commit:
        config.copyright = f"{config.copyright or ''} · Dibangun dari komit {build.commit[:12]} (main)"
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    if not _build(config).internal:
        for staff in [f for f in files if f.src_uri.startswith(STAFF_FOLDERS)]:
            files.remove(staff)
    for path, content in _build(config).files.items():
        files.append(File.generated(config, path, content=content))
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    build = _build(config)
    for marker, generated in build.placeholders.items():
        markdown = markdown.replace(marker, generated)
    return INTERNAL_NOTICE + markdown if build.internal else markdown


def _no_index(output: str, config: MkDocsConfig) -> str:
    if _build(config).internal:
        output = output.replace("<head>", '<head>\n<meta name="robots" content="noindex, nofollow">', 1)
    return output


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    return _no_index(output, config)


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    """Static templates (404.html) are not pages; mark them too."""
    return _no_index(output_content, config) if template_name.endswith(".html") else output_content
