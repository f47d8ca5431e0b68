"""The documentation is complete: every command and option, with an example; the format page is current."""
import re

import pytest

from pengaduan.cli.main import cli
from pengaduan.core.reference import record_format_markdown

from conftest import PROJECT_ROOT

COMMANDS_PAGE = PROJECT_ROOT / "docs" / "petugas" / "perintah.md"


def _section(name: str) -> str:
    text = COMMANDS_PAGE.read_text("utf-8")
    match = re.search(rf"^## pengaduan {name}\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    assert match, f"docs/petugas/perintah.md has no section '## pengaduan {name}'"
    return match.group(1)


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_is_documented_with_an_example(name):
    section = _section(name)
    assert re.search(rf"^pengaduan (--repo \S+ )?{name}\b", section, re.M), f"no example for {name}"
    for param in cli.commands[name].params:
        for option in param.opts:
            if option.startswith("--"):
                assert f"`{option}" in section, f"{name}: option {option} is not documented"


def test_record_format_page_matches_the_schema():
    page = PROJECT_ROOT / "docs" / "petugas" / "format-rekaman.md"
    assert page.read_text("utf-8") == record_format_markdown(), (
        "Jalankan: python tools/maintainer.py format-rekaman")


def test_readme_starts_with_the_two_commands():
    readme = (PROJECT_ROOT / "README.md").read_text("utf-8")
    first_block = re.search(r"```\w*\n(.*?)```", readme, re.S).group(1).split()
    assert "make demo" in " ".join(first_block) and "make test" in " ".join(first_block)
    ci = (PROJECT_ROOT / ".ci" / "run").read_text("utf-8")
    assert "make test" in ci


@pytest.mark.parametrize("guide", sorted((PROJECT_ROOT / "docs" / "panduan").glob("*.md")), ids=lambda p: p.name)
def test_copy_paste_blocks_in_the_guides_are_valid(guide):
    import jsonschema

    from pengaduan.core import yamlio
    from pengaduan.core.schema import load_schema
    schema = load_schema("record")
    blocks = re.findall(r"```yaml\n(.*?)```", guide.read_text("utf-8"), re.S)
    assert blocks, f"{guide.name} has no copy-paste block"
    for block in blocks:
        data = yamlio.load_text(block)
        for key, value in data.items():
            jsonschema.validate(value, schema["properties"][key])


def test_sop_file_page_explains_every_key_of_the_sop_schema():
    from pengaduan.core.schema import load_schema
    schema = load_schema("sop")
    page = (PROJECT_ROOT / "docs" / "petugas" / "berkas-sop.md").read_text("utf-8")
    keys = set(schema["properties"]) | set(schema["properties"]["langkah"]["items"]["properties"])
    keys |= set(schema["properties"]["templat"]["additionalProperties"]["properties"])
    keys |= {"jenis", "personel", "sub_bagian_tujuan", "pemberi_disposisi", "kepala_tujuan"}
    for form in schema["$defs"]["isian"]["oneOf"][1:]:
        keys |= set(form["properties"])
    missing = sorted(key for key in keys if f"`{key}" not in page)
    assert missing == [], f"docs/petugas/berkas-sop.md does not explain: {missing}"
