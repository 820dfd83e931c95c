"""Quantizer semantics, node by node, against the runtimes that define them.

- QONNX `Quant` (every rounding mode, signed/unsigned, narrow, zero points, per-channel and
  non-power-of-two scales, a batch norm folded in front), `BipolarQuant` and `Trunc`, in small
  graphs built here, against `qonnx.core.onnx_exec.execute_onnx`; one compiled design holds all
  the variants as branches, so one C++ build checks C simulation == emulator for all of them;
- QCDQ (`QuantizeLinear`/`DequantizeLinear`, int8/uint8, per-axis weights) against onnxruntime
  running the graph as written (graph optimizations off: see compiler/check.reference_session);
- a Brevitas model with 4-bit weights and activations, trained here on sklearn's digits, exported
  with `brevitas.export.export_qonnx`, against Brevitas' own output.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper
from qonnx_reference import qonnx_execute

from compiler.api import convert
from compiler.check import reference_session

QONNX = "qonnx.custom_op.general"


def _quant(name, x, scale, zero, bits, signed=1, narrow=0, rounding="ROUND"):
    """A Quant node and its parameter initializers."""
    inits = [
        numpy_helper.from_array(np.asarray(scale, np.float32), f"{name}_scale"),
        numpy_helper.from_array(np.asarray(zero, np.float32), f"{name}_zero"),
        numpy_helper.from_array(np.asarray(bits, np.float32), f"{name}_bits"),
    ]
    node = helper.make_node(
        "Quant",
        [x, f"{name}_scale", f"{name}_zero", f"{name}_bits"],
        [name],
        name=name,
        domain=QONNX,
        signed=signed,
        narrow=narrow,
        rounding_mode=rounding,
    )
    return node, inits


def _model(nodes, inits, inputs, outputs, name="quantized"):
    graph = helper.make_graph(nodes, name, inputs, outputs, inits)
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", 13), helper.make_opsetid(QONNX, 1)], producer_name="test"
    )
    model.ir_version = 8
    return model


# (name, quantizer arguments, batch norm in front)
VARIANTS = [
    ("pow2_unsigned", dict(scale=2.0**-3, zero=0, bits=4, signed=0), False),
    ("narrow_floor", dict(scale=2.0**-2, zero=0, bits=4, narrow=1, rounding="FLOOR"), False),
    ("zero_point_half_up", dict(scale=2.0**-3, zero=3, bits=4, signed=0, rounding="HALF_UP"), False),
    ("down", dict(scale=2.0**-1, zero=0, bits=5, rounding="DOWN"), False),
    ("half_down", dict(scale=2.0**-4, zero=0, bits=6, rounding="HALF_DOWN"), False),
    ("ceil", dict(scale=2.0**-3, zero=0, bits=4, rounding="CEIL"), False),
    ("up", dict(scale=2.0**-3, zero=-2, bits=4, rounding="UP"), False),
    ("per_channel_pow2", dict(scale=2.0 ** -np.arange(6.0), zero=0, bits=4), False),
    ("batchnorm_round", dict(scale=2.0**-2, zero=0, bits=3), True),
    ("batchnorm_per_channel_zero", dict(scale=2.0**-1, zero=np.arange(6.0) - 2, bits=4, signed=0), True),
    ("two_bit_narrow_bn", dict(scale=1.0, zero=0, bits=2, narrow=1), True),
    ("non_pow2", dict(scale=0.3, zero=0, bits=4), False),
    ("non_pow2_per_channel_bn", dict(scale=np.linspace(0.1, 0.6, 6), zero=1, bits=3, signed=0), True),
]


def variants_model() -> tuple[onnx.ModelProto, list[str]]:
    """x[8] -> Quant (6 bits) -> MatMul + Add (4-bit weights) = h[6]; each variant quantizes h (after
    its own batch norm) into an output of its own; BipolarQuant and a Trunc after an average pool too."""
    rng = np.random.default_rng(11)
    nodes, inits = [], []
    node, params = _quant("xq", "x", 2.0**-4, 0, 8)
    nodes.append(node)
    inits += params
    w = rng.integers(-7, 8, size=(8, 6)).astype(np.float32)
    node, params = _quant("wq", "w", 2.0**-3, 0, 4)
    nodes += [node, helper.make_node("MatMul", ["xq", "wq"], ["mm"], name="mm")]
    nodes.append(helper.make_node("Add", ["mm", "bias"], ["h"], name="bias_add"))
    inits += [
        *params,
        numpy_helper.from_array(w / 8, "w"),
        numpy_helper.from_array(rng.normal(size=6).astype(np.float32), "bias"),
    ]
    outputs = []
    for name, args, batchnorm in VARIANTS:
        source = "h"
        if batchnorm:
            stats = [rng.uniform(0.5, 2, 6), rng.normal(size=6), rng.normal(size=6), rng.uniform(0.2, 3, 6)]
            stats[0] *= rng.choice([-1, 1], 6)  # negative scales make thresholds fall
            names = [f"{name}_{k}" for k in ("gamma", "beta", "mean", "var")]
            inits += [numpy_helper.from_array(v.astype(np.float32), k) for k, v in zip(names, stats)]
            nodes.append(helper.make_node("BatchNormalization", ["h", *names], [f"{name}_bn"], name=f"{name}_bn"))
            source = f"{name}_bn"
        node, params = _quant(name, source, **args)
        nodes.append(node)
        inits += params
        outputs.append(name)
    inits.append(numpy_helper.from_array(np.array([0.75], np.float32), "bipolar_scale"))
    nodes.append(helper.make_node("BipolarQuant", ["h", "bipolar_scale"], ["bipolar"], name="bipolar", domain=QONNX))
    outputs.append("bipolar")
    graph_outputs = [helper.make_tensor_value_info(o, TensorProto.FLOAT, ["n", 6]) for o in outputs]
    model = _model(nodes, inits, [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["n", 8])], graph_outputs)
    return model, outputs


def test_quant_variants_match_qonnx(tmp_path):
    model, outputs = variants_model()
    compiled = convert(model, output_dir=tmp_path / "prj")
    x = np.random.default_rng(5).normal(scale=2, size=(500, 8)).astype(np.float32)
    ours = compiled.emulate(x)
    reference = qonnx_execute(model, x)
    warnings = "\n".join(compiled.report["warnings"])
    for name, got, want in zip(outputs, ours, reference):
        scale = np.asarray(dict((v[0], v[1]) for v in VARIANTS).get(name, {"scale": 0.75})["scale"])
        if name.startswith("non_pow2"):
            # the integer each element quantizes to is exact; the value is rounded (and reported)
            np.testing.assert_array_equal(np.round(got / scale), np.round(want / scale), err_msg=name)
            assert np.max(np.abs(got - want)) < 2.0**-10, name
            assert "not bit-exact" in warnings
        else:
            np.testing.assert_array_equal(got, want, err_msg=name)
    compiled.write()
    compiled.compile()
    for name, got, want in zip(outputs, compiled.predict(x), ours):
        np.testing.assert_array_equal(got, want, err_msg=f"C simulation, {name}")


def test_quantizer_lowering_forms():
    """Exact power-of-two quantizers are casts (plus a clamp for narrow ranges and zero points);
    the others are threshold tables."""
    model, _ = variants_model()
    text = convert(model).ir("nn-to-fixed")
    assert "fixed.cast %" in text and 'RND_CONV SAT quantizer {layer = "pow2_unsigned", layer_type = "Quant"}' in text
    assert (
        'TRN SAT quantizer {layer = "narrow_floor", layer_type = "Quant"}' in text
        and 'low -7 : i64 high 7 : i64 quantizer {layer = "narrow_floor", layer_type = "Quant"}' in text
    )
    for name in ("ceil", "up", "per_channel_pow2", "batchnorm_round", "non_pow2", "bipolar"):
        assert any(f'layer = "{name}"' in line for line in text.splitlines() if "fixed.threshold" in line), name


@pytest.mark.parametrize("version", [1, 2])
def test_trunc_after_average_pool(version):
    """Quant -> AveragePool 2x2 -> Trunc (QONNX's quantized average pool), v1 and v2."""
    nodes, inits = [], []
    node, params = _quant("xq", "x", 2.0**-3, 0, 6)
    nodes += [node, helper.make_node("AveragePool", ["xq"], ["pool"], name="pool", kernel_shape=[2, 2], strides=[2, 2])]
    inits += params
    values = {"scale": 2.0**-5, "zero": 0.0, "in_bits": 10.0, "out_scale": 2.0**-3, "out_bits": 6.0}
    names = (
        ["scale", "zero", "in_bits", "out_bits"]
        if version == 1
        else ["scale", "zero", "in_bits", "out_scale", "out_bits"]
    )
    inits += [numpy_helper.from_array(np.asarray(values[k], np.float32), f"t_{k}") for k in names]
    nodes.append(
        helper.make_node(
            "Trunc", ["pool", *[f"t_{k}" for k in names]], ["y"], name="trunc", domain=QONNX, rounding_mode="FLOOR"
        )
    )
    graph = helper.make_graph(
        nodes,
        "trunc",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["n", 2, 4, 4])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["n", 2, 2, 2])],
        inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13), helper.make_opsetid(QONNX, version)])
    model.ir_version = 8
    x = np.random.default_rng(2).normal(scale=2, size=(300, 2, 4, 4)).astype(np.float32)
    ours = convert(model).emulate(x)
    np.testing.assert_array_equal(ours, qonnx_execute(model, x)[0])


# --------------------------------------------------------------------------------------------------
# QCDQ


def qcdq_model() -> onnx.ModelProto:
    """x -> Q/DQ (uint8, zero point 128) -> MatMul by DQ(int8 weights, per-column scales) + DQ(int32
    bias) -> Relu -> Q/DQ (int8) -> MatMul by DQ(int8 weights) -> y."""
    rng = np.random.default_rng(4)
    s_x, s_w1, s_h, s_w2 = 2.0**-4, 2.0 ** -rng.integers(5, 8, size=12), 2.0**-3, 2.0**-6
    inits = {
        "s_x": np.float32(s_x),
        "z_x": np.uint8(128),
        "w1": rng.integers(-100, 100, size=(16, 12)).astype(np.int8),
        "s_w1": s_w1.astype(np.float32),
        "z_w1": np.zeros(12, np.int8),
        "b1": rng.integers(-2000, 2000, size=12).astype(np.int32),
        "s_b1": (s_x * s_w1).astype(np.float32),
        "z_b1": np.zeros(12, np.int32),
        "s_h": np.float32(s_h),
        "z_h": np.int8(0),
        "w2": rng.integers(-100, 100, size=(12, 5)).astype(np.int8),
        "s_w2": np.float32(s_w2),
        "z_w2": np.int8(0),
    }
    dq = lambda name, inputs: helper.make_node("DequantizeLinear", inputs, [name], name=name, axis=1)  # noqa: E731
    nodes = [
        helper.make_node("QuantizeLinear", ["x", "s_x", "z_x"], ["xq"], name="x_q"),
        dq("x_dq", ["xq", "s_x", "z_x"]),
        dq("w1_dq", ["w1", "s_w1", "z_w1"]),
        helper.make_node("DequantizeLinear", ["b1", "s_b1", "z_b1"], ["b1_dq"], name="b1_dq", axis=0),
        helper.make_node("MatMul", ["x_dq", "w1_dq"], ["mm1"], name="fc1"),
        helper.make_node("Add", ["mm1", "b1_dq"], ["a1"], name="fc1_bias"),
        helper.make_node("Relu", ["a1"], ["r1"], name="relu1"),
        helper.make_node("QuantizeLinear", ["r1", "s_h", "z_h"], ["hq"], name="h_q"),
        dq("h_dq", ["hq", "s_h", "z_h"]),
        dq("w2_dq", ["w2", "s_w2", "z_w2"]),
        helper.make_node("MatMul", ["h_dq", "w2_dq"], ["y"], name="fc2"),
    ]
    graph = helper.make_graph(
        nodes,
        "qcdq",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["n", 16])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["n", 5])],
        [numpy_helper.from_array(np.asarray(v), k) for k, v in inits.items()],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def test_qcdq_matches_onnxruntime(tmp_path):
    model = qcdq_model()
    x = np.random.default_rng(8).normal(scale=3, size=(1000, 16)).astype(np.float32)
    reference = reference_session(model.SerializeToString()).run(None, {"x": x})[0]
    compiled = convert(model, output_dir=tmp_path / "prj")
    ours = compiled.emulate(x)
    np.testing.assert_array_equal(ours, reference)
    compiled.write()
    compiled.compile()
    np.testing.assert_array_equal(compiled.predict(x), ours)


def test_reference_session_runs_the_graph_as_written():
    """onnxruntime's optimizer rewrites this model's Q/DQ + MatMul pairs into MatMulIntegerToFloat
    and FusedGemm kernels, whose rounding depends on the CPU's kernels and can differ from the
    operators as written, which the emulator implements: the reference runs unoptimized."""
    import onnxruntime

    session = reference_session(qcdq_model().SerializeToString())
    level = session.get_session_options().graph_optimization_level
    assert level == onnxruntime.GraphOptimizationLevel.ORT_DISABLE_ALL


def test_every_onnxruntime_reference_is_a_reference_session():
    """No test, benchmark or compiler module opens an onnxruntime session of its own (with the
    optimizer on by default): they all go through compiler.check.reference_session."""
    root = Path(__file__).resolve().parents[1]
    needle = "Inference" + "Session("  # in two pieces, so that this file does not match itself
    opened = [
        str(path.relative_to(root))
        for folder in ("compiler", "runtime", "tests", "bench")
        for path in sorted((root / folder).rglob("*.py"))
        if needle in path.read_text() and path != root / "compiler" / "check.py"
    ]
    assert not opened, f"onnxruntime sessions opened outside compiler/check.py: {opened}"


def test_qcdq_refuses_a_lone_quantize():
    model = qcdq_model()
    model.graph.output[0].name = "hq"
    model.graph.output[0].type.tensor_type.elem_type = TensorProto.INT8
    with pytest.raises(Exception, match="h_q"):
        convert(model)


# --------------------------------------------------------------------------------------------------
# Brevitas


@pytest.mark.slow  # trains a quantized CNN with Brevitas
def test_brevitas_4bit_digits_bit_exact(tmp_path):
    torch = pytest.importorskip("torch")
    qnn = pytest.importorskip("brevitas.nn")
    from brevitas.export import export_qonnx
    from brevitas.quant import (
        Int8ActPerTensorFixedPoint,
        Int8WeightPerTensorFixedPoint,
        Int16Bias,
        Uint8ActPerTensorFixedPoint,
    )
    from sklearn.datasets import load_digits

    digits = load_digits()
    x = torch.tensor(digits.data / 16.0, dtype=torch.float32)
    labels = torch.tensor(digits.target)
    torch.manual_seed(0)
    fixed_point = dict(weight_quant=Int8WeightPerTensorFixedPoint, weight_bit_width=4, bias_quant=Int16Bias)
    model = torch.nn.Sequential(
        qnn.QuantIdentity(act_quant=Int8ActPerTensorFixedPoint, bit_width=4, return_quant_tensor=True),
        qnn.QuantLinear(64, 32, bias=True, return_quant_tensor=True, **fixed_point),
        qnn.QuantReLU(act_quant=Uint8ActPerTensorFixedPoint, bit_width=4, return_quant_tensor=True),
        qnn.QuantLinear(32, 10, bias=True, **fixed_point),
    )
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    for _ in range(40):
        optimizer.zero_grad()
        torch.nn.functional.cross_entropy(model(x), labels).backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        expected = model(x).numpy()
    assert np.mean(expected.argmax(1) == labels.numpy()) > 0.85  # it learned something

    path = tmp_path / "digits_4bit.onnx"
    export_qonnx(model, input_t=x[:1], export_path=str(path))  # the documented one-liner
    compiled = convert(path, output_dir=tmp_path / "prj")
    ours = compiled.emulate(x.numpy())
    np.testing.assert_array_equal(ours, expected.astype(np.float64))
    compiled.write()
    compiled.compile()
    np.testing.assert_array_equal(compiled.predict(x.numpy()), ours)
