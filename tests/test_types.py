"""The library type-checks under `mypy --strict` (pyproject.toml's [tool.mypy]); no error is tolerated."""
from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
CONFIG = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]


def mypy(*args: str, cwd: Path = PROJECT_ROOT) -> subprocess.CompletedProcess[str]:
    # The interpreter running the tests is the project's .venv, where the `test` extra installed mypy and the stubs.
    return subprocess.run([sys.executable, "-m", "mypy", "--config-file", str(PROJECT_ROOT / "pyproject.toml"), *args],
                          cwd=cwd, capture_output=True, text=True)


def test_library_has_no_type_errors() -> None:
    result = mypy()
    assert result.returncode == 0 and "Success: no issues found" in result.stdout, result.stdout + result.stderr


def test_checker_is_strict_and_silences_only_third_party_modules() -> None:
    assert CONFIG["strict"] is True and CONFIG["files"] == ["tools/pengaduan"]
    for override in CONFIG.get("overrides", []):
        modules = override["module"] if isinstance(override["module"], list) else [override["module"]]
        if override.get("ignore_missing_imports"):
            # Missing stubs may be ignored for packages we install, never for our own code.
            assert not [m for m in modules if m.split(".")[0] == "pengaduan"], override
        # Nothing may be exempted from the strict check: no per-module relaxation of any kind.
        assert set(override) <= {"module", "ignore_missing_imports"}, override


def test_checker_reports_a_wrong_type(tmp_path: Path) -> None:
    # The same configuration on a module with a None passed where a str is required: the run above can fail.
    (tmp_path / "wrong.py").write_text("def shout(text: str) -> str:\n    return text.upper()\n\n\nshout(None)\n",
                                       encoding="utf-8")
    result = mypy(str(tmp_path / "wrong.py"), "--cache-dir", str(tmp_path / "cache"))
    assert result.returncode == 1 and '[arg-type]' in result.stdout, result.stdout + result.stderr
