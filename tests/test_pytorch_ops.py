"""The operators hls4ml's PyTorch users rely on beyond the basic layers, from torch directly and
through an ONNX export: elementwise maximum and minimum of two tensors (ONNX Max/Min, n-ary and
broadcasting), nn.Threshold (torch only: torch cannot export it), nearest upsampling (1-D and 2-D)
and constant padding. Each is built in torch with random weights in eval mode, compared with torch's
own outputs at a wide precision (1e-3 relative), and with the ONNX path where there is one; one
model holding them all is compiled with g++ and its C simulation equals the emulator bit for bit.
"""

from __future__ import annotations

import numpy as np
import pytest
from onnx import TensorProto, helper, numpy_helper
from support import torch_to_onnx
from test_torch_import import Lambda

from compiler.api import convert
from compiler.check import reference_session

torch = pytest.importorskip("torch")
nn = torch.nn

WIDE = {"precision": "ap_fixed<32,12,AP_RND,AP_SAT>", "table_size": 4096}
RELATIVE = 1e-3


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


@pytest.mark.parametrize("build", [merges, resamples, contractions])
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
