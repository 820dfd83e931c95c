"""ONNX backend node tests through the compiler (the cases, tolerance and scope: tests/conformance.py).

Every case: convert at a wide precision, emulate, compare with onnx's expected outputs within the
quantisation error; passing cases of a deterministic subset (every Conv case, every case whose import
builds slices, one case of every other op; CONFORMANCE_CSIM=all for every one) are also compiled
with g++ and their C simulation must equal the emulator bit for bit. A case the compiler does not support must fail with a one-line CompileError
naming the node (or graph input/output) at fault; no case may crash or be wrong. The cases in
KNOWN_PROBLEMS fail because of compiler problems outside the importer (reported, not yet fixed):
they are strict xfails, so a fix shows up as an XPASS to remove from the list.

Skipped when onnx's node test data is not on disk (onnx >= 1.23 builds it in memory).
"""

from __future__ import annotations

import os
import re
import shutil

import pytest
from conformance import (
    PRECISION,
    all_results,
    check_csim,
    discover,
    format_table,
    in_csim_subset,
    load,
    result_of,
)

CASES = discover()
NO_DATA = "onnx's backend node test data is not on disk (onnx==1.22.0 ships it; later wheels do not)"
HAVE_CXX = shutil.which(os.environ.get("CXX", "g++")) is not None

# compiler problems outside the importer, known and not yet fixed: strict xfails, so a fix shows up
KNOWN_PROBLEMS: dict[str, str] = {}
PASS_RATE = 0.90


def _params():
    if not CASES:
        return [pytest.param(None, id="no-data", marks=pytest.mark.skip(reason=NO_DATA))]
    params = []
    for case in CASES:
        marks = []
        if case.name in KNOWN_PROBLEMS:
            marks.append(pytest.mark.xfail(strict=True, reason=KNOWN_PROBLEMS[case.name]))
        params.append(pytest.param(case.name, id=case.name, marks=marks))
    return params


def _culprits(name: str) -> set[str]:
    """What an error about this case may name: its nodes (as the importer names them) and its graph
    inputs and outputs."""
    case = next(c for c in CASES if c.name == name)
    model = load(case).model
    names, seen = set(), set()
    for i, node in enumerate(model.graph.node):
        node_name = node.name or f"{node.op_type.lower()}_{i}"
        while node_name in seen:
            node_name = f"{node_name}_{i}"
        seen.add(node_name)
        names.add(f"node '{node_name}'")
    for value in [*model.graph.input, *model.graph.output]:
        names.update({f"input '{value.name}'", f"output '{value.name}'"})
    return names


@pytest.mark.parametrize("name", _params())
def test_node_case(name):
    result = result_of(name)
    assert result.status != "crash", f"crash: {result.message}"
    assert result.status != "wrong", f"wrong numbers at {PRECISION}: {result.message}"
    if result.status == "unsupported":
        message = result.message
        assert "\n" not in message and message == " ".join(message.split()), f"not one line: {message!r}"
        named = {n for n in _culprits(name) if n in message}
        assert named, f"the error does not name the node (or graph input/output) at fault: {message}"
        assert re.search(r"\): |': ", message), f"no explanation after the name: {message}"
        return
    assert result.status == "pass"
    if HAVE_CXX and in_csim_subset(result, all_results()):
        mismatch = check_csim(result)
        assert mismatch is None, mismatch


def test_pass_rate():
    """At least 90 % of the in-scope cases pass (scope: conformance.scope)."""
    if not CASES:
        pytest.skip(NO_DATA)
    results = all_results()
    scoped = [r for r in results if r.in_scope]
    passed = [r for r in scoped if r.status == "pass"]
    rate = len(passed) / len(scoped)
    assert rate >= PASS_RATE, (
        f"{len(passed)}/{len(scoped)} in-scope cases pass ({100 * rate:.1f} %)\n{format_table(results)}"
    )


def test_csim_compiler_available():
    if not HAVE_CXX:
        pytest.skip("no C++ compiler: the C simulation of the passing cases was not checked")
