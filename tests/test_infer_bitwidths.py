"""Soundness of the bit-width inference: over random small MLPs and random inputs, no value the
emulator computes ever leaves the range the analysis proved (so no inferred type can overflow), and
the checked emulator never reports an overflow. Plus: value-based accumulators are narrower than
width-based ones, and the report says which user types can overflow."""

from __future__ import annotations

import os

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from onnx import helper
from support import make_model
from xdsl.interpreter import Interpreter

from compiler.api import convert
from dialects import fixed
from lowering.ranges import analyze
from runtime.emulator import emulate

EXAMPLES = int(os.environ.get("NN2HLS_HYPOTHESIS_EXAMPLES", "20"))


class ValueRecorder(Interpreter.Listener):
    def __init__(self) -> None:
        self.seen: dict = {}

    def did_interpret_op(self, op, results) -> None:
        for value, array in zip(op.results, results):
            if isinstance(value.type.element_type, fixed.FixedType) and np.size(array):
                lo, hi = int(np.min(array)), int(np.max(array))
                old = self.seen.get(value, (lo, hi))
                self.seen[value] = (min(lo, old[0]), max(hi, old[1]))


@st.composite
def mlps(draw):
    """A random MLP: 1-3 dense layers with random widths, weights and activations."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    sizes = [draw(st.integers(1, 6)) for _ in range(draw(st.integers(2, 4)))]
    scale = draw(st.sampled_from([0.01, 0.3, 2.0, 40.0]))
    nodes, weights, current = [], {}, "x"
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        weights[f"w{i}"] = (rng.normal(size=(n_in, n_out)) * scale).astype(np.float32)
        weights[f"b{i}"] = (rng.normal(size=n_out) * scale).astype(np.float32)
        nodes.append(helper.make_node("Gemm", [current, f"w{i}", f"b{i}"], [f"h{i}"], name=f"fc{i}"))
        current = f"h{i}"
        activation = draw(st.sampled_from(["Relu", "Sigmoid", "Tanh", None]))
        if activation:
            nodes.append(helper.make_node(activation, [current], [f"a{i}"], name=f"act{i}"))
            current = f"a{i}"
    if sizes[-1] > 1 and draw(st.booleans()):
        nodes.append(helper.make_node("Softmax", [current], ["s"], name="softmax", axis=-1))
        current = "s"
    nodes.append(helper.make_node("Identity", [current], ["y"], name="out"))
    precision = draw(st.sampled_from(["auto", "ap_fixed<8,3>", "ap_fixed<12,4,AP_RND,AP_SAT>", "ap_ufixed<6,2>"]))
    return make_model(nodes, [sizes[0]], [sizes[-1]], weights), precision, rng


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mlps())
def test_no_value_leaves_its_proven_range(case):
    model, precision, rng = case
    compiled = convert(model, name="random_mlp", precision=precision)
    port = compiled.design.device.body.block.args[0]
    fmt = fixed.format_of(port)
    n = port.type.get_shape()[0]
    # inputs across and beyond the input type, extremes included
    low, high = float(fmt.min_value), float(fmt.max_value)
    x = np.concatenate([rng.uniform(low * 1.5, high * 1.5, size=(300, n)), np.full((1, n), low), np.full((1, n), high)])
    recorder = ValueRecorder()
    emulate(compiled.module, [x], check_overflow=True, listeners=(recorder,))
    proven = analyze(compiled.design.device)
    checked = [v for v in recorder.seen if v in proven]
    assert len(checked) >= len(model.graph.node)  # every layer's values were compared
    for value in checked:
        lo, hi = recorder.seen[value]
        bound_lo, bound_hi = proven[value].bounds
        assert bound_lo <= lo and hi <= bound_hi, (value, (lo, hi), (bound_lo, bound_hi))


def test_accumulators_narrower_than_bit_growth(tmp_path):
    rng = np.random.default_rng(3)
    weights = {"w": (rng.uniform(-0.1, 0.1, size=(32, 8))).astype(np.float32), "b": np.zeros(8, np.float32)}
    model = make_model([helper.make_node("Gemm", ["x", "w", "b"], ["y"], name="fc")], [32], [8], weights)
    compiled = convert(model, name="narrow")
    dense = next(op for op in compiled.module.walk() if isinstance(op, fixed.DenseOp))
    bound = fixed.dense_bound_format(
        fixed.format_of(dense.input), fixed.format_of(dense.weight), fixed.format_of(dense.bias), 32
    )
    inferred = fixed.format_of(dense.output)
    assert inferred.frac_bits == bound.frac_bits
    assert inferred.int_bits <= bound.int_bits - 4  # |w| <= 0.1: the sum of 32 is < 4, not 32 * 16


def test_report_names_layers_that_can_overflow(tmp_path):
    weights = {"w": np.full((4, 2), 3.0, np.float32), "b": np.zeros(2, np.float32)}
    model = make_model([helper.make_node("Gemm", ["x", "w", "b"], ["y"], name="fc")], [4], [2], weights)
    config = {"LayerName": {"fc": {"Precision": {"result": "ap_fixed<8,4,AP_TRN,AP_WRAP>"}}}}
    report = convert(model, name="ovf", precision="ap_fixed<8,3>", config=config).report
    cast = report["layers"][0]["casts"][0]
    # inputs in [-4, 3.97], weights 3: the sum of 4 products reaches [-48, 47.6]; 4 integer bits hold [-8, 8)
    assert cast["provable"] == [-48.0, 47.625]
    assert cast["can_overflow"]["integer_bits_short"] == 3
    assert cast["rounds"]["fraction_bits_dropped"] == 6
    assert any("can wrap around" in w for w in report["warnings"])
