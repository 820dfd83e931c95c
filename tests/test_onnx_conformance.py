"""ONNX backend node tests through the compiler (the cases, tolerance and expectations: tests/conformance.py).

One test per case: convert at a wide precision, emulate, compare with onnx's expected outputs within
the quantisation error. Every case must pass, except:
- the cases listed in conformance.EXPECTED_UNSUPPORTED (with their reasons), which must give the
  user's one-line CompileError naming the node (or graph input/output) at fault: never wrong, never
  a crash, and never a pass (a case that starts to pass must leave the list);
- the cases listed in conformance.REFERENCE_DIVERGES, where onnx's expected outputs contradict
  onnxruntime and the compiler follows onnxruntime: they must agree with onnxruntime instead.
Passing cases of a deterministic subset (every Conv and Resize case, every case whose import builds
slices, one case of every other op; CONFORMANCE_CSIM=all for every one) are also compiled with g++:
their C simulation must equal the emulator bit for bit.

Skipped when onnx's node test data is not on disk (onnx >= 1.23 builds it in memory).
"""

from __future__ import annotations

import os
import re
import shutil

import pytest
from conformance import (
    EXPECTED_UNSUPPORTED,
    PRECISION,
    REFERENCE_DIVERGES,
    all_results,
    check_csim,
    check_onnxruntime,
    discover,
    format_table,
    in_csim_subset,
    load,
    result_of,
)

CASES = discover()
NO_DATA = "onnx's backend node test data is not on disk (onnx==1.22.0 ships it; later wheels do not)"
HAVE_CXX = shutil.which(os.environ.get("CXX", "g++")) is not None
PASS_RATE = 0.99


def _params():
    if not CASES:
        return [pytest.param(None, id="no-data", marks=pytest.mark.skip(reason=NO_DATA))]
    return [pytest.param(case.name, id=case.name) for case in CASES]


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


# The node tests, the scope check and the pass rate run every case of the catalogue (the first one to
# ask for all_results() pays for all of them), and build the C simulation of a subset: slow tier.
@pytest.mark.slow
@pytest.mark.parametrize("name", _params())
def test_node_case(name):
    result = result_of(name)
    assert result.status != "crash", f"crash: {result.message}"
    if name in EXPECTED_UNSUPPORTED:
        assert result.status != "pass", (
            f"passes now: remove it from EXPECTED_UNSUPPORTED ({EXPECTED_UNSUPPORTED[name]})"
        )
        assert result.status == "unsupported", f"{result.status} at {PRECISION}: {result.message}"
        message = result.message
        assert "\n" not in message and message == " ".join(message.split()), f"not one line: {message!r}"
        named = {n for n in _culprits(name) if n in message}
        assert named, f"the error does not name the node (or graph input/output) at fault: {message}"
        assert re.search(r"\): |': ", message), f"no explanation after the name: {message}"
        return
    if name in REFERENCE_DIVERGES:
        assert result.status == "wrong", f"{result.status}: {result.message} (remove it from REFERENCE_DIVERGES?)"
        mismatch = check_onnxruntime(result)
        assert mismatch is None, mismatch
        return
    assert result.status == "pass", f"{result.status} at {PRECISION}: {result.message}"
    if HAVE_CXX and in_csim_subset(result, all_results()):
        mismatch = check_csim(result)
        assert mismatch is None, mismatch


@pytest.mark.slow
def test_expected_unsupported_are_out_of_scope():
    """The list excuses only cases that break one of conformance.scope()'s rules (float data,
    per-sample semantics, 1-D/2-D, inference), never an in-scope case the compiler gets wrong."""
    if not CASES:
        pytest.skip(NO_DATA)
    names = {c.name for c in CASES}
    assert not set(EXPECTED_UNSUPPORTED) - names, f"not discovered: {sorted(set(EXPECTED_UNSUPPORTED) - names)}"
    assert not set(REFERENCE_DIVERGES) - names, f"not discovered: {sorted(set(REFERENCE_DIVERGES) - names)}"
    unjustified = [name for name in EXPECTED_UNSUPPORTED if result_of(name).out_of_scope is None]
    assert not unjustified, f"listed as expected-unsupported but in scope: {unjustified}"


@pytest.mark.slow
def test_pass_rate():
    """At least 99 % of the cases the compiler is meant to handle (all but EXPECTED_UNSUPPORTED)
    pass; the message (and bench/conformance.py) gives the table and the rate over every case."""
    if not CASES:
        pytest.skip(NO_DATA)
    results = all_results()
    counted = [r for r in results if r.in_scope]
    passed = [r for r in counted if r.status == "pass"]
    rate = len(passed) / len(counted)
    overall = sum(r.status == "pass" for r in results) / len(results)
    assert rate >= PASS_RATE, (
        f"{len(passed)}/{len(counted)} cases pass ({100 * rate:.1f} %; {100 * overall:.1f} % of all "
        f"{len(results)})\n{format_table(results)}"
    )


def test_csim_compiler_available():
    if not HAVE_CXX:
        pytest.skip("no C++ compiler: the C simulation of the passing cases was not checked")


# Resize configurations the node tests lack (fractional output lengths, 1-D and rank-2 tensors, sizes
# with axes, crops with extrapolation): (per-sample shape, mode, coordinate_transformation_mode,
# antialias, exclude_outside, scales or sizes of the last axes)
RESIZES = [
    ((5,), "linear", "half_pixel", 0, 0, [1.5]),
    ((5,), "cubic", "align_corners", 0, 1, [0.75]),
    ((3, 7), "linear", "pytorch_half_pixel", 1, 0, [0.5]),
    ((3, 7), "linear", "half_pixel_symmetric", 1, 1, [0.6]),
    ((3, 7), "nearest", "tf_crop_and_resize", 0, 0, [10]),
    ((2, 4, 5), "linear", "asymmetric", 0, 0, [3.0, 1.5]),
    ((2, 4, 5), "cubic", "half_pixel", 0, 0, [7, 3]),
    ((2, 4, 5), "linear", "tf_crop_and_resize", 0, 0, [0.75, 2.0]),
    ((2, 4, 5), "cubic", "tf_crop_and_resize", 0, 1, [6, 4]),
    ((2, 4, 5), "cubic", "pytorch_half_pixel", 1, 0, [0.5, 0.75]),
]


@pytest.mark.parametrize("shape, mode, transform, antialias, exclude, values", RESIZES)
def test_resize_matches_onnxruntime(shape, mode, transform, antialias, exclude, values):
    """Linear, cubic and cropping resizes (dense layers along each axis) against onnxruntime. The
    bound: 2^-21 (half a step of ap_fixed<36,16>) on each weight, <= 16 taps of |x| <= 5 with gain
    <= 1.5 per axis, two axes: < 2e-4; the casts add 2^-21 each."""
    import numpy as np
    from onnx import TensorProto, helper, numpy_helper

    from compiler.api import convert
    from compiler.check import reference_session

    axes = list(range(len(shape) + 1 - len(values), len(shape) + 1))
    sizes = isinstance(values[0], int)
    inits = [numpy_helper.from_array(np.array(values, np.int64 if sizes else np.float32), "v")]
    roi = ""
    if transform == "tf_crop_and_resize":
        inits.append(numpy_helper.from_array(np.array([0.1] * len(axes) + [0.8] * len(axes), np.float32), "roi"))
        roi = "roi"
    node = helper.make_node(
        "Resize",
        ["x", roi, "", "v"] if sizes else ["x", roi, "v"],
        ["y"],
        mode=mode,
        coordinate_transformation_mode=transform,
        antialias=antialias,
        exclude_outside=exclude,
        axes=axes,
        extrapolation_value=-3.0,
    )
    x_info = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", *shape])
    y_info = helper.make_tensor_value_info("y", TensorProto.FLOAT, None)
    model = helper.make_model(
        helper.make_graph([node], "resize", [x_info], [y_info], inits), opset_imports=[helper.make_opsetid("", 19)]
    )
    x = np.clip(np.random.default_rng(len(RESIZES)).normal(size=(3, *shape)), -5, 5).astype(np.float32)
    want = reference_session(model.SerializeToString()).run(None, {"x": x})[0]
    got = convert(model, precision=PRECISION).emulate(x)
    assert got.shape == want.shape
    assert np.abs(got - want).max() < 2e-4


def test_fractional_nearest_upsampling_follows_torch_and_onnxruntime():
    """nn.UpsamplingNearest2d(scale_factor=(1, 2.4)), exported: the float32 scale 2.4000000954 puts
    output column 12 at 4.9999998 in exact arithmetic (column 4), but onnxruntime computes it in
    float32 (5.0) and torch from 1 / 2.4 in double (5): the design reads column 5, as both do."""
    import numpy as np
    import torch
    from support import torch_to_onnx

    from compiler.api import convert
    from compiler.check import reference_session

    module = torch.nn.UpsamplingNearest2d(scale_factor=(1, 2.4)).eval()
    x = (np.arange(2 * 3 * 8, dtype=np.float32).reshape(2, 1, 3, 8) - 24) / 8  # on every grid we use
    with torch.no_grad():
        want = module(torch.from_numpy(x)).numpy()
    model = torch_to_onnx(module, (1, 3, 8))
    assert want.shape[-1] == 19
    np.testing.assert_array_equal(reference_session(model.SerializeToString()).run(None, {"x": x})[0], want)
    np.testing.assert_array_equal(convert(model, precision=PRECISION).emulate(x), want)
