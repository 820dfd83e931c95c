"""The layers show in the imports: dialects <- runtime <- lowering <- compiler, and no import cycle
between the modules of a package (imports inside functions included). The rules are import-linter
contracts in pyproject.toml; `lint-imports` checks them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def lint_imports() -> str:
    found = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    if found is None:
        pytest.fail("import-linter is not installed (pip install -e '.[test]')")
    return found


def test_import_contracts_are_kept():
    result = subprocess.run(
        [lint_imports(), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "Contracts: 2 kept, 0 broken." in result.stdout
