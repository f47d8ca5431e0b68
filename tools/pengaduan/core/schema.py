"""JSON Schema validation that reports every problem at once, in Indonesian.

jsonschema finds every problem and says where; for many documents at once (`periksa` reads every record) a
validator compiled to Python (fastjsonschema, ten times faster) first answers only "valid or not": a document it
passes has no problem to report, and one it fails goes through jsonschema for the full report. It is only ever
allowed to be stricter (it reads `$` in patterns as end of text), never more lenient; a test holds that.
"""
from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Iterable
from datetime import date, datetime
from functools import cache
from importlib import resources
from typing import Any

import fastjsonschema
import jsonschema

from .findings import Finding
from .yamlio import locate

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$")
_TYPE_NAMES = {"string": "teks", "integer": "angka bulat", "number": "angka", "object": "peta `kunci: nilai`",
               "array": "daftar (butir diawali '- ')", "boolean": "true atau false", "null": "kosong"}

_formats = jsonschema.FormatChecker(formats=())


@_formats.checks("date", raises=ValueError)
def _is_date(value: object) -> bool:
    return not isinstance(value, str) or (bool(_DATE.match(value)) and date.fromisoformat(value) is not None)


@_formats.checks("date-time", raises=ValueError)
def _is_date_time(value: object) -> bool:
    return not isinstance(value, str) or (bool(_DATE_TIME.match(value)) and datetime.fromisoformat(value) is not None)


@cache
def load_schema(name: str) -> dict[str, Any]:  # a JSON schema
    schema: dict[str, Any] = json.loads(
        resources.files("pengaduan").joinpath("schema", f"{name}.schema.json").read_text("utf-8"))
    return schema


def _is_integer(_: object, value: object) -> bool:
    """An integer written as one: `3.0` is a number, not a step or an agenda number (the rest of the tool reads
    only int, and fastjsonschema refuses it too)."""
    return isinstance(value, int) and not isinstance(value, bool)


def _pattern(validator: Any, pattern: str, instance: object, schema: object) -> Iterable[jsonschema.ValidationError]:
    """`pattern` with `$` as the end of the text, as fastjsonschema reads it: Python's `$` also matches before a
    final line break, which would let `nik: "…\\n"` through."""
    if isinstance(instance, str) and not re.search(re.sub(r"(?<!\\)\$", r"\\Z", pattern), instance):
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


_Strict = jsonschema.validators.extend(  # type: ignore[no-untyped-call]  # jsonschema's extend is untyped
    jsonschema.Draft202012Validator, validators={"pattern": _pattern},
    type_checker=jsonschema.Draft202012Validator.TYPE_CHECKER.redefine("integer", _is_integer))


# Properties a document may hold beyond its schema's own, as (name, that property's schema as JSON): the record
# blocks an SOP's steps declare (sop.block_schemas). Hashable, so each extended schema is built and compiled once.
Extension = tuple[tuple[str, str], ...]


@cache
def schema_of(name: str, extension: Extension = ()) -> dict[str, Any]:
    base = load_schema(name)
    if not extension:
        return base
    return {**base, "properties": {**base["properties"], **{key: json.loads(value) for key, value in extension}}}


@cache
def _validator(name: str, extension: Extension = ()) -> Any:  # a jsonschema validator class made by extend(): untyped
    return _Strict(schema_of(name, extension), format_checker=_formats)


@cache
def compiled(name: str, extension: Extension = ()) -> Callable[[object], object]:
    """The schema compiled to Python: about 30 ms to build, then a tenth of jsonschema's time per document."""
    return fastjsonschema.compile(schema_of(name, extension), formats={"date": _is_date, "date-time": _is_date_time})


def _has_float(value: object) -> bool:
    """Whether any number in the data is a float (a loop: YAML nests up to a thousand levels)."""
    waiting = [value]
    while waiting:
        item = waiting.pop()
        if isinstance(item, float):
            return True
        if isinstance(item, dict):
            waiting += item.values()
        elif isinstance(item, list):
            waiting += item
    return False


def passes_compiled(name: str, data: object, extension: Extension = ()) -> bool:
    """True when the compiled validator finds nothing wrong (so jsonschema would not either). fastjsonschema takes
    `3.0` for an integer: a document holding any non-integer number goes to jsonschema, which does not."""
    if _has_float(data):
        return False
    try:
        compiled(name, extension)(data)
    except (fastjsonschema.JsonSchemaException, ValueError):  # ValueError: from the date checks
        return False
    return True


def _dotted(path: Iterable[object]) -> str:
    return ".".join(str(p) for p in path)


def _kind_of(value: object) -> str:
    for python_type, name in ((bool, "boolean"), (int, "integer"), (float, "number"), (str, "string"),
                              (dict, "object"), (list, "array"), (type(None), "null")):
        if isinstance(value, python_type):
            return _TYPE_NAMES[name]
    return type(value).__name__


def _explain(error: jsonschema.ValidationError) -> list[tuple[list[str | int], bool, str, str, str]]:
    """(path, point at key?, code, message, fix) for one schema error."""
    path = list(error.absolute_path)
    where = _dotted(path)
    inside = f"di `{where}`" if path else "di tingkat teratas berkas"
    described = error.schema.get("description", "") if isinstance(error.schema, dict) else ""
    kind = error.validator
    # The failing keyword's value in our schema, the keyword's schema and the checked value: JSON, hence Any.
    value: Any = error.validator_value
    schema: Any = error.schema
    instance: Any = error.instance
    if kind == "required":
        missing = [k for k in value if k not in instance]
        return [(path, False, "skema-wajib", f"Kunci `{k}` wajib ada {inside}.",
                 f"Tambahkan baris `{k}: ...`. "
                 + schema.get("properties", {}).get(k, {}).get("description", "")) for k in missing]
    if kind == "additionalProperties":
        known = list(schema.get("properties", {}))
        found = []
        for extra in sorted(set(instance) - set(known)):
            close = difflib.get_close_matches(extra, known, n=1)
            hint = f"Mungkin maksudnya `{close[0]}`?" if close else "Kunci yang dikenal: " + ", ".join(known) + "."
            found.append((path + [extra], True, "skema-kunci-asing",
                          f"Kunci `{extra}` tidak dikenal {inside}.", f"{hint} Hapus atau ganti namanya."))
        return found
    if kind == "type":
        expected = value if isinstance(value, list) else [value]
        wanted = " atau ".join(_TYPE_NAMES.get(t, str(t)) for t in expected)
        fix = f"Tulis nilai berupa {wanted}."
        if "string" in expected and not isinstance(error.instance, (dict, list)):
            fix += f' Apit dengan tanda kutip, misalnya "{error.instance}".'
        return [(path, False, "skema-jenis",
                 f"`{where}` harus berupa {wanted}, bukan {_kind_of(error.instance)}.", f"{fix} {described}".strip())]
    if kind in ("enum", "const"):
        options = value if kind == "enum" else [value]
        return [(path, False, "skema-pilihan", f"`{where}` bernilai {error.instance!r}, tidak termasuk pilihan.",
                 "Pilih salah satu: " + ", ".join(str(o) for o in options) + ".")]
    if kind == "format":
        if error.validator_value == "date":
            return [(path, False, "skema-tanggal", f"`{where}` bukan tanggal yang sah: {error.instance!r}.",
                     "Tulis tanggal yang ada di kalender dengan bentuk TTTT-BB-HH, misalnya 2026-03-02.")]
        return [(path, False, "skema-waktu", f"`{where}` bukan tanggal dan jam lengkap dengan zona waktu: "
                 f"{error.instance!r}.", "Tulis seperti 2026-03-02T09:15:00+07:00 (+07:00 = WIB).")]
    if kind == "pattern":
        return [(path, False, "skema-pola", f"`{where}` tidak sesuai bentuk yang diminta: {error.instance!r}.",
                 described or f"Bentuk yang diminta: {error.validator_value}")]
    if kind in ("minLength", "minItems", "minProperties"):
        return [(path, False, "skema-kosong", f"`{where}` tidak boleh kosong.", described or "Isi nilainya.")]
    if kind in ("minimum", "maximum"):
        return [(path, False, "skema-batas", f"`{where}` bernilai {error.instance}, di luar batas "
                 f"({'paling kecil' if kind == 'minimum' else 'paling besar'} {error.validator_value}).",
                 described or "Perbaiki angkanya.")]
    if kind in ("oneOf", "anyOf"):
        return [(path, False, "skema-bentuk", f"`{where}` tidak berbentuk seperti yang dikenal: {error.instance!r}.",
                 described or "Perbaiki nilainya.")]
    return [(path, False, "skema", f"`{where}` tidak sah: {error.message}", described or "Perbaiki nilainya.")]


def validate(name: str, data: object, rel_path: str, text: str, many: bool = False,
             extension: Extension = ()) -> list[Finding]:
    """Every schema problem of `data`, located in `text`, sorted by line.

    `many`: one of many documents to validate, worth building the compiled validator for its fast "valid".
    `extension`: properties allowed beyond the schema's own (see Extension)."""
    if many and passes_compiled(name, data, extension):
        return []
    findings = []
    for error in _validator(name, extension).iter_errors(data):
        for path, at_key, code, message, fix in _explain(error):
            line, column = locate(text, path, key=at_key)
            findings.append(Finding(rel_path, message, fix, code, line, column))
    return sorted(findings, key=lambda f: (f.line or 0, f.column or 0, f.message))


PLACEHOLDER = "ISI:"


def placeholders(value: object, path: tuple[str | int, ...] = ()) -> list[tuple[list[str | int], str]]:
    """Values left as `ISI: ...` to complete: in a record by staff (written by `pengaduan baru` and `lanjut`), in
    kantor.yaml by the office (written by `pengaduan init`)."""
    if isinstance(value, str):
        return [(list(path), value[len(PLACEHOLDER):].strip())] if value.startswith(PLACEHOLDER) else []
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    return [found for key, item in items for found in placeholders(item, path + (key,))]
