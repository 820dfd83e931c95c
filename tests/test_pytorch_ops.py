"""The operators hls4ml's PyTorch users rely on beyond the basic layers, from torch directly and
through an ONNX export: elementwise maximum and minimum of two tensors (ONNX Max/Min, n-ary and
broadcasting), nn.Threshold (torch only: torch cannot export it), nearest upsampling (1-D and 2-D),
constant padding and layer normalisation (over one or two trailing axes). Each is built in torch with
random weights in eval mode, compared with torch's own outputs at a wide precision (1e-3 relative),
and with the ONNX path where there is one; a few models holding them are compiled with g++ and their
C simulation equals the emulator bit for bit.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper
from support import torch_to_onnx
from test_torch_import import Lambda

from compiler.api import convert
from compiler.check import reference_session
from dialects.errors import CompileError

torch = pytest.importorskip("torch")
nn = torch.nn

WIDE = {"precision": "ap_fixed<32,12,AP_RND,AP_SAT>", "table_size": 4096}
RELATIVE = 1e-3


def affine(norm):
    """A normalisation layer with random (not unit) scale and bias."""
    with torch.no_grad():
        norm.weight.normal_()
        norm.bias.normal_()
    return norm


# name -> (module factory, per-sample input shapes, has an ONNX path)
CASES = {
    "maximum": (
        lambda: Lambda(lambda s, a, b: torch.maximum(s.fa(a), s.fb(b)), fa=nn.Linear(4, 6), fb=nn.Linear(5, 6)),
        [(4,), (5,)],
        True,
    ),
    "minimum_broadcast": (
        lambda: Lambda(
            lambda s, a: torch.minimum(s.conv(a), s.pool(s.conv(a))),
            conv=nn.Conv2d(2, 3, 3),
            pool=nn.AdaptiveAvgPool2d(1),
        ),
        [(2, 6, 6)],
        True,  # a per-channel bound broadcast over the positions
    ),
    "max_of_two": (
        lambda: Lambda(lambda s, a: torch.max(s.f(a), s.g(a) * 0.5), f=nn.Linear(5, 3), g=nn.Linear(5, 3)),
        [(5,)],
        True,
    ),
    "min_constant": (
        lambda: Lambda(lambda s, a: torch.minimum(s.fc(a), torch.tensor([0.5, -0.25, 1.0])), fc=nn.Linear(4, 3)),
        [(4,)],
        True,
    ),
    "threshold": (lambda: nn.Sequential(nn.Linear(6, 8), nn.Threshold(0.3, -1.5)), [(6,)], False),
    "threshold_zero": (lambda: nn.Sequential(nn.Linear(6, 8), nn.Threshold(-0.2, 0.0)), [(6,)], False),
    "upsample_nearest_1d": (
        lambda: nn.Sequential(nn.Conv1d(2, 3, 3), nn.Upsample(scale_factor=3, mode="nearest")),
        [(2, 8)],
        True,
    ),
    "upsample_nearest_2d": (
        lambda: nn.Sequential(nn.Conv2d(2, 3, 3), nn.Upsample(scale_factor=2, mode="nearest")),
        [(2, 5, 6)],
        True,
    ),
    "upsample_fractional": (
        lambda: nn.Sequential(nn.Conv2d(1, 2, 1), nn.UpsamplingNearest2d(scale_factor=(1, 2.4))),
        [(1, 3, 8)],
        True,
    ),
    "upsample_to_size": (
        lambda: nn.Sequential(nn.Conv1d(2, 2, 1), nn.Upsample(size=7, mode="nearest")),
        [(2, 3)],
        True,
    ),
    "constant_pad_2d": (
        lambda: nn.Sequential(nn.Conv2d(2, 3, 3), nn.ConstantPad2d((1, 2, 0, -1), 0.5)),
        [(2, 5, 6)],
        True,
    ),
    "constant_pad_1d": (lambda: nn.Sequential(nn.Conv1d(2, 3, 3), nn.ConstantPad1d(2, -1.0)), [(2, 8)], True),
    # einsum: a matmul with the weights, a batched matmul and outer and dot products of two tensors
    "einsum_weights": (
        lambda: Lambda(
            lambda s, a: torch.einsum("bij,jk->bik", s.fc(a), s.w),
            fc=nn.Linear(4, 5),
            w=nn.Parameter(torch.randn(5, 3)),
        ),
        [(2, 4)],
        True,
    ),
    "einsum_batched_matmul": (
        lambda: Lambda(
            lambda s, a, b: torch.einsum("bij,bjk->bik", s.fa(a), s.fb(b)), fa=nn.Linear(4, 3), fb=nn.Linear(4, 5)
        ),
        [(2, 4), (3, 4)],
        True,
    ),
    "einsum_outer": (
        lambda: Lambda(
            lambda s, a, b: torch.einsum("bi,bj->bij", s.fa(a), s.fb(b)), fa=nn.Linear(4, 3), fb=nn.Linear(6, 2)
        ),
        [(4,), (6,)],
        True,
    ),
    "einsum_dot": (
        lambda: Lambda(
            lambda s, a, b: torch.einsum("bi,bi->b", s.fa(a), s.fb(b)), fa=nn.Linear(4, 3), fb=nn.Linear(6, 3)
        ),
        [(4,), (6,)],
        True,
    ),
    "einsum_transpose": (
        lambda: Lambda(lambda s, a: torch.einsum("bij->bji", s.conv(a)), conv=nn.Conv1d(2, 3, 1)),
        [(2, 5)],
        True,
    ),
    "einsum_sum": (
        lambda: Lambda(lambda s, a: torch.einsum("bij->bj", s.conv(a)), conv=nn.Conv1d(2, 3, 1)),
        [(2, 5)],
        True,
    ),
    # layer normalisation over the last axis, and over two trailing axes (the conv's [C, L])
    "layer_norm_1d": (lambda: nn.Sequential(nn.Linear(5, 6), affine(nn.LayerNorm(6))), [(5,)], True),
    "layer_norm_plain": (
        lambda: nn.Sequential(nn.Linear(5, 8), nn.LayerNorm(8, eps=1e-3, elementwise_affine=False)),
        [(5,)],
        True,
    ),
    "layer_norm_2d": (lambda: nn.Sequential(nn.Conv1d(2, 3, 3), affine(nn.LayerNorm([3, 6]))), [(2, 8)], True),
}


def torch_outputs(module, xs: list[np.ndarray]) -> np.ndarray:
    with torch.no_grad():
        return module(*[torch.tensor(x, dtype=torch.float32) for x in xs]).numpy()


def inputs(shapes, samples: int = 200, seed: int = 3) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [rng.normal(size=(samples, *s)).astype(np.float32) for s in shapes]


@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_torch_both_ways(name):
    torch.manual_seed(0)
    make, shapes, exportable = CASES[name]
    module = make().eval()
    xs = inputs(shapes)
    want = torch_outputs(module, xs)
    scale = 1 + np.abs(want).max()
    direct = convert(module, input_shape=shapes, name="m", **WIDE)
    assert np.abs(direct.emulate(*xs) - want).max() < RELATIVE * scale
    if exportable:
        via_onnx = convert(torch_to_onnx(module, shapes), name="m", **WIDE)
        assert np.abs(via_onnx.emulate(*xs) - want).max() < RELATIVE * scale


def test_onnx_max_and_min_are_n_ary_and_broadcast():
    """Max(a, b, c) and Min(a, c) with a [3, 4] input, a [4] constant and a [3, 1] input, against
    onnxruntime."""
    nodes = [helper.make_node("Max", ["a", "k", "c"], ["m"]), helper.make_node("Min", ["m", "c"], ["y"])]
    graph = helper.make_graph(
        nodes,
        "extrema",
        [
            helper.make_tensor_value_info("a", TensorProto.FLOAT, ["N", 3, 4]),
            helper.make_tensor_value_info("c", TensorProto.FLOAT, ["N", 3, 1]),
        ],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)],
        [numpy_helper.from_array(np.array([0.5, -1.0, 0.25, 2.0], np.float32), "k")],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    a, c = inputs([(3, 4), (3, 1)])
    want = reference_session(model.SerializeToString()).run(None, {"a": a, "c": c})[0]
    got = convert(model, **WIDE).emulate(a, c)
    assert np.abs(got - want).max() < 1e-6


NODE_DATA = Path(onnx.__file__).parent / "backend" / "test" / "data" / "node"
LAYER_NORM_NODE_TESTS = sorted(
    p.name for p in NODE_DATA.glob("test_layer_normalization_*") if "expanded" not in p.name
) or ["test_layer_normalization_default_axis"]


@pytest.mark.parametrize("name", LAYER_NORM_NODE_TESTS)
def test_onnx_layer_normalization_node_data(name):
    """onnx's own LayerNormalization node tests, asking for Y only (each also lists the Mean and
    InvStdDev outputs, which the design does not compute: tests/conformance.py counts them as out
    of scope), with scale and bias as initializers: Y matches the stored one at the wide precision;
    a normalisation over the batch axis is refused, naming the node."""
    folder = NODE_DATA / name
    if not folder.is_dir():
        pytest.skip("onnx's node test data is not installed")
    model = onnx.load(folder / "model.onnx")
    x, scale, bias = (
        numpy_helper.to_array(onnx.load_tensor(folder / "test_data_set_0" / f"input_{i}.pb")) for i in range(3)
    )
    want = numpy_helper.to_array(onnx.load_tensor(folder / "test_data_set_0" / "output_0.pb"))
    graph, node = model.graph, model.graph.node[0]
    del node.output[1:], graph.output[1:], graph.input[1:]
    graph.initializer.extend(
        [numpy_helper.from_array(scale, node.input[1]), numpy_helper.from_array(bias, node.input[2])]
    )
    axis = next((a.i for a in node.attribute if a.name == "axis"), -1)
    if axis % x.ndim == 0:
        with pytest.raises(CompileError, match=r"node '\w+' \(LayerNormalization\): .*batch axis"):
            convert(model, **WIDE)
        return
    got = convert(model, **WIDE).emulate(x)
    assert np.abs(got - want).max() < RELATIVE * (1 + np.abs(want).max())


def test_onnx_layer_normalization_refuses_its_statistics():
    """A graph that reads the Mean output is refused, naming the node."""
    nodes = [
        helper.make_node("LayerNormalization", ["x", "s", "b"], ["y", "mean"], name="ln", axis=-1),
        helper.make_node("Add", ["y", "mean"], ["z"], name="add"),
    ]
    graph = helper.make_graph(
        nodes,
        "statistics",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 4])],
        [helper.make_tensor_value_info("z", TensorProto.FLOAT, None)],
        [numpy_helper.from_array(np.ones(4, np.float32), "s"), numpy_helper.from_array(np.zeros(4, np.float32), "b")],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    with pytest.raises(CompileError, match="node 'ln' .*the Mean output is not supported"):
        convert(model, **WIDE)


def merges() -> tuple[nn.Module, list[tuple[int, ...]]]:
    torch.manual_seed(1)
    module = Lambda(
        lambda s, a, b: s.threshold(torch.maximum(s.fa(a), torch.minimum(s.fb(b), s.fa(a) * 0.5))),
        fa=nn.Linear(4, 6),
        fb=nn.Linear(5, 6),
        threshold=nn.Threshold(0.1, -0.75),
    )
    return module.eval(), [(4,), (5,)]


def resamples() -> tuple[nn.Module, list[tuple[int, ...]]]:
    torch.manual_seed(2)
    module = nn.Sequential(
        nn.Conv2d(2, 3, 3),
        nn.ConstantPad2d((1, 0, 2, -1), 0.25),
        nn.UpsamplingNearest2d(scale_factor=(2, 1.5)),
        nn.ReLU(),
    )
    return module.eval(), [(2, 6, 6)]


def contractions() -> tuple[nn.Module, list[tuple[int, ...]]]:
    """A batched matmul plus a dot product (one number per sample) broadcast over it."""
    torch.manual_seed(3)
    module = Lambda(
        lambda s, a, b, c: (
            torch.einsum("bij,bjk->bik", s.fa(a), s.fb(b)).relu()
            + torch.einsum("bi,bi->b", s.fc(c), c).reshape(-1, 1, 1)
        ),
        fa=nn.Linear(4, 3),
        fb=nn.Linear(4, 5),
        fc=nn.Linear(6, 6),
    )
    return module.eval(), [(2, 4), (3, 4), (6,)]


def normalizations() -> tuple[nn.Module, list[tuple[int, ...]]]:
    """Layer norms over two trailing axes (after a conv) and over the last one (after a dense)."""
    torch.manual_seed(4)
    module = nn.Sequential(
        nn.Conv1d(2, 3, 3),
        affine(nn.LayerNorm([3, 6])),
        nn.Flatten(),
        nn.Linear(18, 5),
        affine(nn.LayerNorm(5)),
    )
    return module.eval(), [(2, 8)]


@pytest.mark.parametrize("build", [merges, resamples, contractions, normalizations])
def test_c_simulation_equals_the_emulator(build, tmp_path):
    module, shapes = build()
    model = convert(module, input_shape=shapes, output_dir=tmp_path / "prj")
    model.write()
    model.compile()
    xs = inputs(shapes, samples=300)
    csim = model.predict(*xs)
    assert np.array_equal(csim, model.emulate(*xs))
    # the default precision's rounding (2^-11 per cast), grown by products of values up to ~4
    assert np.abs(csim - torch_outputs(module, xs)).max() < 0.03


def test_layer_norm_under_auto_with_a_wide_maximum_converts():
    """A budgeted `auto` may give the 1/sqrt tables more fraction bits than 64-bit codes hold (a
    64-bit maximum): their entries stop at what the codes hold instead of overflowing."""
    torch.manual_seed(0)
    module = nn.Sequential(nn.Linear(8, 16), nn.LayerNorm(16), nn.ReLU(), nn.Linear(16, 4), nn.LayerNorm(4)).eval()
    config = {"Model": {"Precision": {"maximum": "ap_fixed<64,32>"}}}
    model = convert(module, input_shape=(8,), precision="auto", config=config)
    assert np.isfinite(model.emulate(*inputs([(8,)], samples=50))).all()
