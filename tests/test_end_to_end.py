"""End to end on MLPs built inside the tests: ONNX -> HLS C++ -> g++ C simulation.

Every case checks that the C simulation equals the emulator bit for bit on every sample, that both
are within the quantisation error of onnxruntime at the default precision, and that the error
shrinks to float level at a wide precision (so the arithmetic, not just the tolerance, is right)."""

from __future__ import annotations

import numpy as np
import onnx
import pytest
from onnx import helper
from support import compile_and_run, dense_layers, make_model, output_step, save

from compiler.api import convert
from dialects.errors import CompileError


def gemm_relu_softmax(rng):
    (w1, b1), (w2, b2) = dense_layers([8, 12, 4], rng)
    nodes = [
        helper.make_node("Gemm", ["x", "w1", "b1"], ["h"], name="fc1", transB=1),
        helper.make_node("Relu", ["h"], ["r"], name="relu1"),
        helper.make_node("Gemm", ["r", "w2", "b2"], ["z"], name="fc2", transB=1),
        helper.make_node("Softmax", ["z"], ["y"], name="softmax", axis=1),
    ]
    return make_model(nodes, [8], [4], {"w1": w1.T.copy(), "b1": b1, "w2": w2.T.copy(), "b2": b2})


def matmul_add_sigmoid(rng):
    (w1, b1), (w2, b2) = dense_layers([6, 10, 1], rng)
    nodes = [
        helper.make_node("MatMul", ["x", "w1"], ["m1"], name="matmul1"),
        helper.make_node("Add", ["m1", "b1"], ["a1"], name="add1"),
        helper.make_node("Relu", ["a1"], ["r1"], name="relu1"),
        helper.make_node("MatMul", ["r1", "w2"], ["m2"], name="matmul2"),
        helper.make_node("Add", ["m2", "b2"], ["a2"], name="add2"),
        helper.make_node("Sigmoid", ["a2"], ["y"], name="sigmoid"),
    ]
    return make_model(nodes, [6], [1], {"w1": w1, "b1": b1, "w2": w2, "b2": b2}, opset=9)


def tanh_with_noops(rng):
    ((w1, b1),) = dense_layers([5, 7], rng)
    nodes = [
        helper.make_node("Identity", ["x"], ["i"], name="identity"),
        helper.make_node("Flatten", ["i"], ["f"], name="flatten", axis=1),
        helper.make_node("Gemm", ["f", "w1", "b1"], ["h"], name="fc", alpha=0.5, beta=2.0),
        helper.make_node("Dropout", ["h"], ["d"], name="dropout"),
        helper.make_node("Tanh", ["d"], ["y"], name="tanh"),
    ]
    return make_model(nodes, [5], [7], {"w1": w1, "b1": b1.reshape(1, 7)})


def branches_added(rng):
    ((w1, b1),) = dense_layers([6, 8], rng)
    ((w2, b2),) = dense_layers([6, 8], rng)
    nodes = [
        helper.make_node("Gemm", ["x", "w1", "b1"], ["h1"], name="left"),
        helper.make_node("Relu", ["h1"], ["r1"], name="left_relu"),
        helper.make_node("Gemm", ["x", "w2", "b2"], ["h2"], name="right"),
        helper.make_node("Add", ["r1", "h2"], ["s"], name="merge"),
        helper.make_node("Softmax", ["s"], ["y"], name="softmax"),
    ]
    return make_model(nodes, [6], [8], {"w1": w1, "b1": b1, "w2": w2, "b2": b2})


MODELS = {
    "gemm_relu_softmax": gemm_relu_softmax,
    "matmul_add_sigmoid": matmul_add_sigmoid,
    "tanh_with_noops": tanh_with_noops,
    "branches_added": branches_added,
}


@pytest.fixture(params=sorted(MODELS))
def model_file(request, tmp_path):
    rng = np.random.default_rng(7)
    return save(MODELS[request.param](rng), tmp_path / f"{request.param}.onnx")


def test_default_precision(model_file, tmp_path):
    x = np.random.default_rng(1).normal(size=(2000, *convert(model_file).input_shapes[0]))
    run = compile_and_run(model_file, tmp_path / "prj", x)
    assert np.array_equal(run.csim, run.emulated), "C simulation and emulator differ"
    error = np.abs(run.csim - run.reference).max()
    # a few output steps: input/weight rounding propagated through two layers plus the table error
    assert error <= 16 * output_step(run.model), error
    if run.csim.shape[1] > 1:
        assert np.mean(run.csim.argmax(1) == run.reference.argmax(1)) >= 0.98


def test_wide_precision_converges_to_float(model_file, tmp_path):
    x = np.random.default_rng(2).normal(size=(500, *convert(model_file).input_shapes[0]))
    run = compile_and_run(model_file, tmp_path / "prj", x, precision="ap_fixed<32,10,AP_RND,AP_SAT>", table_size=4096)
    assert np.array_equal(run.csim, run.emulated)
    assert np.abs(run.csim - run.reference).max() < 2e-3


@pytest.mark.parametrize(
    "precision", ["ap_fixed<12,4>", "ap_fixed<10,3,AP_RND_CONV,AP_SAT_SYM>", "ap_fixed<14,5,AP_TRN_ZERO,AP_SAT_ZERO>"]
)
def test_modes_are_bit_exact(precision, tmp_path):
    model_file = save(gemm_relu_softmax(np.random.default_rng(3)), tmp_path / "m.onnx")
    x = np.random.default_rng(4).normal(size=(3000, 8)) * 3  # large inputs reach overflow
    run = compile_and_run(model_file, tmp_path / "prj", x, precision=precision)
    assert np.array_equal(run.csim, run.emulated)


@pytest.mark.parametrize(
    ("reuse", "strategy"), [(3, "latency"), (8, "resource"), (7, "resource"), (96, "latency"), (200, "resource")]
)
def test_reuse_factor_keeps_the_arithmetic(reuse, strategy, tmp_path):
    model_file = save(gemm_relu_softmax(np.random.default_rng(5)), tmp_path / "m.onnx")
    x = np.random.default_rng(6).normal(size=(500, 8))
    base = compile_and_run(model_file, tmp_path / "base", x)
    run = compile_and_run(model_file, tmp_path / "reuse", x, reuse_factor=reuse, strategy=strategy)
    assert np.array_equal(run.csim, base.csim)
    fc1 = next(layer for layer in run.model.report["layers"] if layer["layer"] == "fc1")
    assert fc1["multipliers"] == -(-96 // reuse)
    assert run.model.report["pipeline"] == ("dataflow" if strategy == "resource" else f"pipeline II={reuse}")
    kernel = (tmp_path / "reuse" / "firmware" / "kernels" / f"{fc1['kernel']}.cpp").read_text()
    assert f"for (int round = 0; round < {reuse}; round++)" in kernel
    top = (tmp_path / "reuse" / "firmware" / "m.cpp").read_text()
    assert ("#pragma HLS DATAFLOW" in top) == (strategy == "resource")


def test_reuse_factor_must_be_positive(tmp_path):
    model_file = save(gemm_relu_softmax(np.random.default_rng(5)), tmp_path / "m.onnx")
    with pytest.raises(CompileError, match=r"reuse factor must be at least 1, got 0"):
        convert(model_file, reuse_factor=0)


def test_several_inputs_keep_their_order(tmp_path):
    """Inputs of different shapes (one of them unused) stay in the model's order at every level."""
    ((w, b),) = dense_layers([4, 3], np.random.default_rng(8))
    graph = helper.make_graph(
        [
            helper.make_node("Gemm", ["x", "w", "b"], ["h"], name="fc"),
            helper.make_node("Tanh", ["z"], ["t"], name="th"),
        ],
        "two_inputs",
        [
            helper.make_tensor_value_info(n, onnx.TensorProto.FLOAT, ["batch", d])
            for n, d in (("x", 4), ("z", 2), ("unused", 5))
        ],
        [
            helper.make_tensor_value_info("h", onnx.TensorProto.FLOAT, ["batch", 3]),
            helper.make_tensor_value_info("t", onnx.TensorProto.FLOAT, ["batch", 2]),
        ],
        [onnx.numpy_helper.from_array(w, "w"), onnx.numpy_helper.from_array(b, "b")],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    path = save(model, tmp_path / "two.onnx")
    compiled = convert(path, output_dir=tmp_path / "prj")
    assert compiled.input_shapes == [(4,), (2,), (5,)]
    compiled.write()
    compiled.compile()
    rng = np.random.default_rng(9)
    inputs = [rng.normal(size=(100, 4)), rng.normal(size=(100, 2)), rng.normal(size=(100, 5))]
    csim, emulated = compiled.predict(*inputs), compiled.emulate(*inputs)
    from compiler.check import onnxruntime_outputs

    reference = onnxruntime_outputs(str(path), inputs)
    for ours, exact, ref in zip(csim, emulated, reference):
        assert np.array_equal(ours, exact)
        assert np.abs(ours - ref).max() < 0.05
