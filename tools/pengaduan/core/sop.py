"""Step behaviour read from the SOP file: what a step writes, who takes part, which documents it makes.

The code names no step number and no role id: everything here is derived from the SOP's data (`langkah`,
`peran`, `isian`, `templat`). Defaults for SOP files written before `isian` and `templat` existed come from
`schema/sop-bawaan.yaml`, keyed by record block and template name.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, Callable

import yaml

from .errors import PengaduanError

DEFAULTS_FILE = Path(__file__).parents[1] / "schema" / "sop-bawaan.yaml"
ARRIVAL = 1  # step 1 is always the complaint's arrival (`git: kedatangan`), checked when the SOP is loaded
REGISTRATION = 2  # step 2 always records it (`blok: diterima`): `pengaduan baru` makes the record at this step
TARGET = ("disposisi", "diteruskan_kepada")  # where a record names the sub bagian its disposition went to
HEAD_OF_TARGET = "kepala_tujuan"  # in `templat`: the head of the target sub bagian
DISPOSER = "pemberi_disposisi"  # in `templat`: the role of the disposition step
PERSON_REFERENCES = (HEAD_OF_TARGET, DISPOSER)
TARGET_ROLE = "sub_bagian_tujuan"  # a role `jenis`: the members of the target sub bagian
CHOICES = {"sub_bagian": "sub bagian tujuan"}  # `pilihan` of an `isian` field -> what the person must name


@dataclass(frozen=True, kw_only=True)
class Step:
    number: int
    title: str
    role: str
    activity: str
    requirements: str
    output: str
    working_days: int
    is_disposition: bool
    git: str
    branch: str  # "baru": a new pull request from main; "sama": the pull request in flight
    block: str | None
    frozen: tuple[str, ...]
    documents: tuple[str, ...]  # template names of the documents this step produces
    fields: dict[str, Any] = field(default_factory=dict)  # `isian`: what `pengaduan lanjut` writes into `block`


@dataclass(frozen=True, kw_only=True)
class Sop:
    version: str
    number: str
    name: str
    approved_on: date
    approved_by: dict[str, str]  # jabatan, nama, nip
    legal_basis: tuple[str, ...]
    roles: dict[str, dict[str, str]]  # role id -> nama, jenis
    steps: tuple[Step, ...]
    path: str
    templates: dict[str, Any] = field(default_factory=dict)  # `templat`: template name -> what its document is given

    def step(self, number: int) -> Step:
        return self.steps[number - 1]

    @property
    def last_step(self) -> int:
        return len(self.steps)



class FillError(PengaduanError, ValueError):
    """A step's block cannot be filled from what was given (e.g. a missing --kepada)."""


@cache
def _defaults() -> dict[str, Any]:
    """The package's defaults for SOP files without `isian` and `templat`, read when first needed (not at start-up)."""
    defaults: dict[str, Any] = yaml.load(DEFAULTS_FILE.read_text("utf-8"), Loader=yaml.CSafeLoader)
    return defaults


def default_fields(block: str | None) -> dict[str, Any]:
    """The `isian` of a step that names none: the default for its block, else nothing."""
    fields: dict[str, Any] = _defaults()["isian"].get(block, {}) if block else {}
    return fields


def default_templates() -> dict[str, Any]:
    templates: dict[str, Any] = _defaults()["templat"]
    return templates


def target_of(record: dict[str, Any]) -> str:
    """The sub bagian the record's disposition names ("" before the disposition)."""
    block = record.get(TARGET[0])
    return str(block.get(TARGET[1]) or "") if isinstance(block, dict) else ""


def for_target(sop: Sop, step: Step) -> bool:
    """Whether the step is taken by the target sub bagian (not by role holders)."""
    return sop.roles[step.role]["jenis"] == TARGET_ROLE


def registration(sop: Sop) -> Step:
    """The step that records a complaint (the one after its arrival)."""
    return sop.step(REGISTRATION)


def dispositions(sop: Sop) -> list[Step]:
    return [step for step in sop.steps if step.is_disposition]


def disposition_step(sop: Sop) -> Step:
    """The disposition that names the target sub bagian (its block is the target's), else the first one."""
    steps = dispositions(sop)
    return next((s for s in steps if s.block == TARGET[0]), steps[0] if steps else sop.steps[-1])


def block_schemas(sops: Iterable[Sop], known: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """The schema (as JSON) of every record block a step's `isian` writes that the record schema does not define
    (`known`: its properties): a revised SOP with a new step and block needs no other file. Each field is text
    (a date where the `isian` fills a date), required, as `pengaduan lanjut` writes them all."""
    made: dict[str, dict[str, Any]] = {}
    for sop in sops:
        for step in sop.steps:
            if not step.block or step.block in known or step.block in made:
                continue
            fields = step.fields or default_fields(step.block)
            made[step.block] = {
                "type": "object", "additionalProperties": False, "required": sorted(fields),
                "description": f"{step.title} (langkah {step.number} SOP {sop.version}).",
                "properties": {name: {"type": "string", "minLength": 1,
                                      **({"format": "date"} if isinstance(spec, dict) and "tanggal" in spec else {}),
                                      "description": f"Isian `{name}` langkah {step.number}."}
                               for name, spec in fields.items()}}
    return tuple((block, json.dumps(schema, sort_keys=True)) for block, schema in sorted(made.items()))


def disposition_roles(sops: Iterable[Sop]) -> tuple[str, ...]:
    """Roles whose approved merge is a disposition, over every SOP version, in SOP order."""
    return tuple(dict.fromkeys(step.role for sop in sops for step in dispositions(sop)))


def step_with_block(sop: Sop, block: str) -> Step | None:
    return next((s for s in sop.steps if s.block == block), None)


def next_step(sop: Sop, step: Step) -> Step | None:
    return sop.steps[step.number] if step.number < sop.last_step else None


def role_of(sop: Sop, who: str) -> str:
    """A `templat` person reference as a role id (DISPOSER resolved); HEAD_OF_TARGET is kept as is."""
    return disposition_step(sop).role if who == DISPOSER else who


def fill(step: Step, record: dict[str, Any], subdivisions: dict[str, str], today: date, signing_day: date,
         options: dict[str, str | None], letter: Callable[[str, date], str]) -> dict[str, Any]:
    """The step's block as its `isian` says: options, letter numbers, dates, texts; `ISI:` parts stay for a person.

    `subdivisions`: the office's sub bagian (id -> name); `letter(kind, day)` gives the next number of a kind of
    letter; `signing_day` is the working day a letter is dated on.
    """
    target = target_of(record)

    def text(template: str) -> str:
        return template.replace("{id}", str(record.get("id", ""))).replace(
            "{tujuan}", subdivisions.get(target, target))

    block: dict[str, Any] = {}
    for name, spec in step.fields.items():
        if isinstance(spec, str):
            block[name] = text(spec)
        elif "opsi" in spec:
            value = options.get(spec["opsi"])
            if "pilihan" in spec:
                if value not in subdivisions:
                    raise FillError(f"{step.block} perlu {CHOICES[spec['pilihan']]}: --{spec['opsi']} "
                                    + "|".join(subdivisions))
                target = value
            block[name] = value or text(spec.get("bawaan", ""))
        elif "nomor_surat" in spec:
            block[name] = letter(spec["nomor_surat"], signing_day)
        elif "tanggal" in spec:
            block[name] = (signing_day if spec["tanggal"] == "hari_kerja" else today).isoformat()
        else:
            source, key = spec["salin"].split(".")
            copied = record[source].get(key) if isinstance(record.get(source), dict) else None
            block[name] = copied if copied is not None else text(spec.get("bawaan", ""))
    return block
