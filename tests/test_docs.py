"""The docs are checked against the code: every pass and op they describe exists and is registered,
the pass shown in docs/writing-a-pass.md is the shipped file, word for word, and every piece of the op
docs/writing-an-op.md adds is in the file its section names, in at most five files."""

from __future__ import annotations

import re
from pathlib import Path

from compiler.universe import UNIVERSE
from dialects.dataflow import DATAFLOW
from dialects.fixed import FIXED
from dialects.layout import LAYOUT
from dialects.nn import NN

ROOT = Path(__file__).resolve().parents[1]
ARCHITECTURE = (ROOT / "docs" / "architecture.md").read_text()
WRITING_A_PASS = (ROOT / "docs" / "writing-a-pass.md").read_text()
WRITING_AN_OP = (ROOT / "docs" / "writing-an-op.md").read_text()


def test_architecture_names_every_pass_and_op():
    for name in UNIVERSE.all_passes:
        if name != "drop-identity-casts":  # documented in writing-a-pass.md
            assert f"`{name}" in ARCHITECTURE, name
    for dialect in (NN, LAYOUT, FIXED, DATAFLOW):
        for op in dialect.operations:
            assert op.name in ARCHITECTURE, op.name
    for stage in ["00-import.mlir", "dataflow.io_type", "check_overflow"]:
        assert stage in ARCHITECTURE + (ROOT / "README.md").read_text()


def test_writing_a_pass_shows_the_shipped_pass():
    blocks = re.findall(r"```python\n(.*?)```", WRITING_A_PASS, re.S)
    shipped = (ROOT / "lowering" / "drop_identity_casts.py").read_text()
    assert blocks[0] == shipped
    universe = (ROOT / "compiler" / "universe.py").read_text()
    assert blocks[1] in universe
    assert "drop-identity-casts" in UNIVERSE.all_passes
    lit = (ROOT / "lit_tests" / "passes" / "drop-identity-casts.mlir").read_text()
    mlir = re.findall(r"```mlir\n(.*?)```", WRITING_A_PASS, re.S)[0]
    for line in mlir.splitlines():
        if line.strip():
            assert line in lit, line


def test_writing_an_op_shows_the_shipped_op_in_five_files():
    """Each code block is in the file its section's heading names (`## N. ...: `path``)."""
    sections = re.split(r"^## ", WRITING_AN_OP, flags=re.M)[1:]
    files = set()
    for section in sections:
        path = re.match(r"\d+\. [^`\n]*`([^`]+)`", section)
        blocks = re.findall(r"```python\n(.*?)```", section, re.S)
        if path is None:
            assert not blocks, section.splitlines()[0]
            continue
        shipped = (ROOT / path.group(1)).read_text()
        files.add(path.group(1))
        for block in blocks:
            assert block in shipped, f"{path.group(1)}:\n{block}"
    assert len(files) == 5, files
