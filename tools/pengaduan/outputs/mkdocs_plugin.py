"""The MkDocs plugin `pengaduan` (mkdocs.yml: `plugins: [search, pengaduan]`), installed with the package.

It runs the hooks of `mkdocs_hooks`, so an office's mkdocs.yml names no file inside the package and a
plain `mkdocs build` or `mkdocs serve` works wherever pengaduan is installed. It also fills the office's
name into the site's name, description and footer (`<!-- kantor:... -->` in mkdocs.yml), from
tools/config/kantor.yaml: one place for the office's identity.
"""
from __future__ import annotations

from html import unescape
from pathlib import Path

from jinja2 import Environment
from jinja2.sandbox import SandboxedEnvironment
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from .. import data
from . import mkdocs_hooks, site


class NoOptions(Config):  # type: ignore[no-untyped-call]  # mkdocs: untyped __init_subclass__
    """The plugin takes no options in mkdocs.yml (MkDocs builds a schema from a Config subclass)."""


class PengaduanPlugin(BasePlugin[NoOptions]):  # type: ignore[no-untyped-call]  # (the same)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        config = mkdocs_hooks.on_config(config)
        for key in ("site_name", "site_description", "copyright"):
            if config[key]:
                config[key] = _fill(config[key], site.CURRENT.placeholders if site.CURRENT else {})
        return config

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        return mkdocs_hooks.on_files(files, config)

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        return mkdocs_hooks.on_page_markdown(markdown, page, config, files)

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        return mkdocs_hooks.on_post_page(output, page, config)

    def on_post_template(self, output_content: str, /, *, template_name: str, config: MkDocsConfig) -> str:
        return mkdocs_hooks.on_post_template(output_content, template_name, config)

    def on_env(self, env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment:
        return env if shipped_templates_only(config) else sandboxed(env)


SHIPPED = data.OFFICE / "templates" / "situs"


def shipped_templates_only(config: MkDocsConfig) -> bool:
    """No template but the theme's and the overrides pengaduan ships (templates/situs as `pengaduan init` wrote
    it): nothing the office's repository wrote is rendered, so the sandbox (a tenth of a warm publish at 10,000
    records) is not needed. Any changed or added template, or an extra_templates entry, and it is."""
    if config.extra_templates:
        return False
    if not config.theme.custom_dir:
        return True
    folder = Path(config.theme.custom_dir)
    return all((SHIPPED / path.relative_to(folder)).is_file()
               and (SHIPPED / path.relative_to(folder)).read_bytes() == path.read_bytes()
               for path in folder.rglob("*") if not path.is_dir())


def sandboxed(env: Environment) -> SandboxedEnvironment:
    """`env` as Jinja's sandbox: the theme, the office's overrides (templates/situs) and any extra template reach
    no Python internals (`__class__`, `__globals__`), so no template runs code in the build (such as switching
    the publisher's leak scan off); one that tries fails the build."""
    sandbox = SandboxedEnvironment(loader=env.loader, auto_reload=False,
                                   extensions=[type(extension) for extension in env.extensions.values()])
    sandbox.filters.update(env.filters)
    sandbox.tests.update(env.tests)
    sandbox.policies.update(env.policies)
    sandbox.globals.update((name, value) for name, value in env.globals.items() if name != "range")  # safe_range
    return sandbox


def _fill(text: str, placeholders: dict[str, str]) -> str:
    """A setting with the office's markers replaced by plain text (the page placeholders are Markdown)."""
    for marker in site.OFFICE_PLACEHOLDERS:
        if marker in text and marker in placeholders:
            text = text.replace(marker, unescape(placeholders[marker]))
    return text
