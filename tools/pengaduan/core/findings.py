"""A finding: one problem, where it is, and how to fix it (all in Indonesian)."""
from __future__ import annotations

from dataclasses import asdict, dataclass

ERROR = "galat"
WARNING = "peringatan"


@dataclass(frozen=True)
class Finding:
    path: str
    message: str
    fix: str
    code: str
    line: int | None = None
    column: int | None = None
    severity: str = ERROR

    def location(self) -> str:
        if self.line is None:
            return self.path
        if self.column is None:
            return f"{self.path}:{self.line}"
        return f"{self.path}:{self.line}:{self.column}"

    def render(self) -> str:
        label = "PERINGATAN" if self.severity == WARNING else "GALAT"
        return f"{self.location()}: {label}: {self.message}\n    Perbaikan: {self.fix}"

    def as_json(self) -> dict[str, object]:
        data = asdict(self)
        return {
            "berkas": data["path"], "baris": data["line"], "kolom": data["column"],
            "tingkat": data["severity"], "kode": data["code"],
            "pesan": data["message"], "perbaikan": data["fix"],
        }


def count_failing(findings: list[Finding], strict: bool) -> int:
    """Errors always fail; warnings fail only in strict mode."""
    return sum(1 for f in findings if strict or f.severity == ERROR)
