"""Runs the lit + FileCheck suite (lit_tests/) from pytest, so one command runs everything."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

LIT_DIR = Path(__file__).resolve().parents[1] / "lit_tests"

# Some 300 Python processes (xdsl-opt, python -m compiler, filecheck): half a minute or more on two
# cores, so not in the inner loop; `lit -q lit_tests` runs the suite alone (README, "The two commands").
pytestmark = pytest.mark.slow


def test_lit_suite():
    lit = shutil.which("lit", path=str(Path(sys.executable).parent)) or shutil.which("lit")
    if lit is None:
        pytest.fail("lit is not installed (pip install -e '.[test]')")
    result = subprocess.run([lit, "-q", "-s", str(LIT_DIR)], capture_output=True, text=True)
    summary = "\n".join((result.stdout + result.stderr).strip().splitlines()[-40:])
    assert result.returncode == 0, f"lit failed:\n{summary}"
    print(summary)
