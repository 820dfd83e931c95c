"""Deep fuzz test: random deep float CNNs, compiled with g++ at the default precision and at `auto`.

Hypothesis draws a graph of 6-20 layers on a small image (1-4 channels, 4x4 to 8x8): Conv (kernel
1 or 3, stride 1 or 2, padding), depthwise Conv, residual Add of a value with an earlier one (through
a 1x1 projection Conv when the shapes differ), Concat of channels with an earlier value,
BatchNormalization, Relu / LeakyRelu / Sigmoid, MaxPool / AveragePool / GlobalAveragePool, then
optionally Flatten + Gemm layers and a final Softmax. Weights are random but normalised as trained
deep nets are: each output's absolute weight sum is at most 1 (a gain of at most 1), batch norms
scale by about 1, and residual adds (which double ranges) stop once a value could exceed
`MAX_GROWTH` times the input's magnitude, so the proven integer bits stay far below 48.

Each graph is converted in both io types at the default precision (`ap_fixed<16,6,AP_RND,AP_SAT>`)
and at `auto`, written, compiled with g++ and run on a batch of N(0, 1) inputs:

- C simulation == emulator, bit for bit; every output finite;
- for `auto`, no fixed-point type in the design is wider than 48 bits (the default maximum);
- the max abs error against onnxruntime is within the bound the compiler certifies in
  `report["error_bound"]` (always present for `auto`; at the default precision only checked where
  the design certifies one).

Budget: NN2HLS_FUZZ_EXAMPLES examples per precision (default 4: each is four g++ builds of up to
twenty kernels, about two minutes in all on two cores), derandomized so that CI runs the same graphs
every time; setting the variable (e.g. `NN2HLS_FUZZ_EXAMPLES=500`) runs that many fresh draws.
Hypothesis prints the smallest failing graph: `DeepSpec`'s repr lists its layers, one value each.
The plain tests at the end are regressions found by this fuzzer, on minimised models.
"""

from __future__ import annotations

import math
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import onnx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from onnx import helper
from support import GraphBuilder, checked_model, fuzz_settings
from xdsl.dialects.builtin import TensorType

from compiler.api import HLSModel, convert
from compiler.check import onnxruntime_outputs
from dialects.fixed import FixedType

EXAMPLES = int(os.environ.get("NN2HLS_FUZZ_EXAMPLES", "4"))
IO_TYPES = ("io_parallel", "io_stream")
BATCH = 32
MAX_WIDTH = 48  # Model.Precision.maximum's default: no `auto` type may be wider
MAX_GROWTH = 8.0  # bound on |value| / |input| beyond which no residual add is drawn
MAX_CHANNELS = 12
FLOAT32_SLACK = 1e-4  # relative: onnxruntime computes in float32


@dataclass
class Value:
    """A tensor of the graph being built: its name (also its label in the spec's repr), per-sample
    ONNX shape (C, H, W) or (N,), and a bound on |value| relative to the input's magnitude."""

    name: str
    shape: tuple[int, ...]
    growth: float

    @property
    def spatial(self) -> tuple[int, ...]:
        return self.shape[1:]


@dataclass
class DeepGraph(GraphBuilder):
    """Builds the ONNX graph; `layers` describes it, one line per value."""

    rng: np.random.Generator
    values: list[Value] = field(default_factory=list)  # every value of rank 3, for skip connections

    def node(self, op: str, inputs: list[str], shape: tuple[int, ...], growth: float, label: str, **attrs) -> Value:
        out = Value(f"v{len(self.layers)}", shape, growth)
        self.nodes.append(helper.make_node(op, inputs, [out.name], name=self.fresh(op.lower()), **attrs))
        self.layers.append(f"{out.name} = {label}")
        if len(shape) == 3:
            self.values.append(out)
        return out

    def normalised(self, shape: tuple[int, ...]) -> np.ndarray:
        """Random weights, output axis first, each output's absolute sum in [0.7, 1]: a gain <= 1."""
        w = self.rng.uniform(-1, 1, size=shape)
        sums = np.abs(w).reshape(shape[0], -1).sum(axis=1)
        scale = self.rng.uniform(0.7, 1.0, size=shape[0]) / np.maximum(sums, 1e-3)
        return w * scale.reshape(-1, *[1] * (len(shape) - 1))

    def bias(self, n: int) -> np.ndarray:
        return self.rng.uniform(-0.1, 0.1, size=n)

    # ---------------------------------------------------------------------------------------------
    def conv(self, x: Value, out: int, kernel: int, stride: int, pads: list[int], groups: int = 1) -> Value:
        channels, *spatial = x.shape
        w = self.normalised((out, channels // groups, kernel, kernel))
        b = self.bias(out)
        shape = tuple((s + pads[d] + pads[d + 2] - kernel) // stride + 1 for d, s in enumerate(spatial))
        attrs = dict(kernel_shape=[kernel, kernel], strides=[stride, stride], pads=pads, group=groups)
        kind = "DepthwiseConv" if groups > 1 and groups == channels else "Conv"
        label = f"{kind}({x.name}, out={out}, k={kernel}, s={stride}, pads={pads})"
        inputs = [x.name, self.const(w, "w"), self.const(b, "b")]
        return self.node("Conv", inputs, (out, *shape), x.growth + 0.1, label, **attrs)

    def batchnorm(self, x: Value) -> Value:
        channels = x.shape[0]
        gamma = self.rng.uniform(0.8, 1.2, channels) * self.rng.choice([-1, 1], channels)
        beta, mean = self.rng.uniform(-0.1, 0.1, channels), self.rng.uniform(-0.1, 0.1, channels)
        var = self.rng.uniform(0.8, 1.2, channels)
        names = [self.const(a, p) for a, p in [(gamma, "gamma"), (beta, "beta"), (mean, "mean"), (var, "var")]]
        scale = float(np.abs(gamma / np.sqrt(var + 1e-5)).max())
        growth = scale * (x.growth + 0.1) + 0.1
        return self.node("BatchNormalization", [x.name, *names], x.shape, growth, f"BatchNorm({x.name})", epsilon=1e-5)

    def activation(self, x: Value, kind: str) -> Value:
        if kind == "LeakyRelu":
            return self.node("LeakyRelu", [x.name], x.shape, x.growth, f"LeakyRelu({x.name}, 0.1)", alpha=0.1)
        return self.node(kind, [x.name], x.shape, 1.0 if kind == "Sigmoid" else x.growth, f"{kind}({x.name})")

    def pool(self, x: Value, kind: str, kernel: int, stride: int, pads: list[int]) -> Value:
        channels, *spatial = x.shape
        shape = tuple((s + pads[d] + pads[d + 2] - kernel) // stride + 1 for d, s in enumerate(spatial))
        attrs = dict(kernel_shape=[kernel, kernel], strides=[stride, stride], pads=pads)
        label = f"{kind}({x.name}, k={kernel}, s={stride}, pads={pads})"
        return self.node(kind, [x.name], (channels, *shape), x.growth, label, **attrs)

    def global_average_pool(self, x: Value) -> Value:
        shape = (x.shape[0], 1, 1)
        return self.node("GlobalAveragePool", [x.name], shape, x.growth, f"GlobalAveragePool({x.name})")

    def add(self, a: Value, b: Value) -> Value:
        return self.node("Add", [a.name, b.name], a.shape, a.growth + b.growth, f"Add({a.name}, {b.name})")

    def concat(self, a: Value, b: Value) -> Value:
        shape = (a.shape[0] + b.shape[0], *a.spatial)
        label = f"Concat({a.name}, {b.name})"
        return self.node("Concat", [a.name, b.name], shape, max(a.growth, b.growth), label, axis=1)

    def flatten(self, x: Value) -> Value:
        return self.node("Flatten", [x.name], (math.prod(x.shape),), x.growth, f"Flatten({x.name})", axis=1)

    def gemm(self, x: Value, out: int) -> Value:
        w = self.normalised((out, x.shape[0]))
        inputs = [x.name, self.const(w, "w"), self.const(self.bias(out), "b")]
        return self.node("Gemm", inputs, (out,), x.growth + 0.1, f"Gemm({x.name}, out={out})", transB=1)

    def softmax(self, x: Value) -> Value:
        return self.node("Softmax", [x.name], x.shape, 1.0, f"Softmax({x.name})", axis=-1)


class DeepSpec:
    """One drawn graph: its input shape, its layers and the weights' seed (what hypothesis prints:
    a plain class, so that its repr is used rather than its fields), and the ONNX model."""

    def __init__(self, input_shape: tuple[int, ...], layers: list[str], seed: int, model: onnx.ModelProto):
        self.input_shape = input_shape
        self.layers = layers
        self.seed = seed
        self.model = model

    def __repr__(self) -> str:
        lines = "".join(f"\n    {layer}" for layer in self.layers)
        return f"DeepSpec(input {self.input_shape}, weights seed {self.seed}:{lines}\n)"


# -------------------------------------------------------------------------------------------------
# Strategies: every draw keeps the shapes valid (windows no larger than the padded input).


def conv_window(draw, spatial: tuple[int, ...], kernel: int) -> tuple[int, list[int]]:
    """A stride and pads (begin H, W, end H, W) for a square kernel over `spatial`."""
    stride = draw(st.integers(1, 2)) if min(spatial) >= 3 else 1
    if kernel == 1:
        return stride, [0, 0, 0, 0]
    begin, end = draw(st.sampled_from([(1, 1), (0, 0), (0, 1), (1, 0)]))
    if min(spatial) + begin + end < kernel:
        begin, end = 1, 1
    return stride, [begin, begin, end, end]


def conv_step(draw, g: DeepGraph, x: Value) -> Value:
    kernel = draw(st.sampled_from([1, 3]))
    stride, pads = conv_window(draw, x.spatial, kernel)
    return g.conv(x, draw(st.integers(2, 8)), kernel, stride, pads)


def depthwise_step(draw, g: DeepGraph, x: Value) -> Value:
    kernel = draw(st.sampled_from([3, 3, 1]))
    stride, pads = conv_window(draw, x.spatial, kernel)
    return g.conv(x, x.shape[0], kernel, stride, pads, groups=x.shape[0])


def projection_stride(v: Value, x: Value) -> int | None:
    """The stride of a 1x1 conv taking v's spatial shape to x's (None: no such conv)."""
    if v.spatial == x.spatial:
        return 1
    return 2 if all((s + 1) // 2 == t for s, t in zip(v.spatial, x.spatial)) else None


def residual_partners(g: DeepGraph, x: Value) -> list[Value]:
    """Earlier values that can be added to x, directly or through a 1x1 conv."""
    return [
        v for v in g.values if v is not x and x.growth + v.growth <= MAX_GROWTH and projection_stride(v, x) is not None
    ]


def residual_step(draw, g: DeepGraph, x: Value) -> Value:
    partner = draw(st.sampled_from(residual_partners(g, x)))
    if partner.shape != x.shape:
        partner = g.conv(partner, x.shape[0], 1, projection_stride(partner, x), [0, 0, 0, 0])
    return g.add(x, partner) if draw(st.booleans()) else g.add(partner, x)


def concat_partners(g: DeepGraph, x: Value) -> list[Value]:
    return [v for v in g.values if v.spatial == x.spatial and v.shape[0] + x.shape[0] <= MAX_CHANNELS]


def concat_step(draw, g: DeepGraph, x: Value) -> Value:
    partner = draw(st.sampled_from(concat_partners(g, x)))
    return g.concat(x, partner) if draw(st.booleans()) else g.concat(partner, x)


def activation_step(draw, g: DeepGraph, x: Value) -> Value:
    return g.activation(x, draw(st.sampled_from(["Relu", "Relu", "Relu", "LeakyRelu", "Sigmoid"])))


def pool_step(draw, g: DeepGraph, x: Value) -> Value:
    kind = draw(st.sampled_from(["MaxPool", "AveragePool", "GlobalAveragePool"]))
    if kind == "GlobalAveragePool":
        return g.global_average_pool(x)
    kernel, stride, pads = draw(st.sampled_from([(2, 2, [0, 0, 0, 0]), (2, 1, [0, 0, 0, 0]), (3, 1, [1, 1, 1, 1])]))
    return g.pool(x, kind, kernel, stride, pads)


SPATIAL_STEPS = {
    "conv": conv_step,
    "depthwise": depthwise_step,
    "residual": residual_step,
    "concat": concat_step,
    "batchnorm": lambda draw, g, x: g.batchnorm(x),
    "activation": activation_step,
    "pool": pool_step,
}


def spatial_steps(g: DeepGraph, x: Value) -> list[str]:
    """The steps that apply to x (conv and activations twice: the common layers)."""
    steps = ["conv", "conv", "depthwise", "batchnorm", "activation", "activation"]
    if residual_partners(g, x):
        steps.append("residual")
    if concat_partners(g, x):
        steps.append("concat")
    if min(x.spatial) >= 2:
        steps.append("pool")
    return steps


@st.composite
def deep_specs(draw) -> DeepSpec:
    seed = draw(st.integers(0, 2**32 - 1))
    g = DeepGraph(np.random.default_rng(seed))
    shape = (draw(st.integers(1, 4)), draw(st.integers(4, 8)), draw(st.integers(4, 8)))
    depth = draw(st.integers(6, 20))
    dense = draw(st.integers(0, min(3, depth - 4)))
    x = Value("x", shape, 1.0)
    g.values.append(x)
    g.layers.append(f"x: {shape}")
    while len(g.layers) - 1 < depth - dense:
        x = SPATIAL_STEPS[draw(st.sampled_from(spatial_steps(g, x)))](draw, g, x)
    if dense:
        x = g.flatten(x)
        for _ in range(dense):
            x = g.gemm(x, draw(st.integers(2, 8)))
            if draw(st.booleans()):
                x = activation_step(draw, g, x)
        if draw(st.booleans()):
            x = g.softmax(x)

    model = checked_model(g.nodes, "deep", shape, x.name, x.shape, g.inits)
    return DeepSpec(shape, g.layers[1:], seed, model)


# -------------------------------------------------------------------------------------------------
# Checks


def too_wide(model: HLSModel) -> list[str]:
    """Every fixed-point value of the design wider than MAX_WIDTH bits, with the op producing it."""
    found = []
    for op in model.module.walk():
        for value in op.results:
            t = value.type
            if isinstance(t, TensorType) and isinstance(t.element_type, FixedType):
                if t.element_type.format.width > MAX_WIDTH:
                    layer = op.properties.get("layer")
                    where = f" in layer '{layer.data}'" if layer is not None else ""
                    found.append(f"{op.name}{where}: {t.element_type.format}")
    return found


def certified_bounds(model: HLSModel) -> list[float | None]:
    """The report's certified bound per output (None: a cast can wrap)."""
    return [output["certified"] for output in model.report["error_bound"]["outputs"]]


def run_design(spec: DeepSpec, path: Path, scratch: Path, precision: str | None, io_type: str, x: np.ndarray):
    model = convert(path, output_dir=scratch / f"{io_type}-{precision}", precision=precision, io_type=io_type)
    if precision == "auto":
        wide = too_wide(model)
        assert not wide, f"{io_type}, auto: types wider than {MAX_WIDTH} bits: {wide[:5]}"
    model.write()
    model.compile()
    csim, emulated = model.predict(x), model.emulate(x)
    reference = onnxruntime_outputs(str(path), [x])[0].reshape(emulated.shape)
    label = f"{io_type}, precision {precision or 'default'}"
    assert np.isfinite(csim).all() and np.isfinite(emulated).all(), label
    mismatch = np.argwhere(csim != emulated)
    assert not len(mismatch), f"{label}: C simulation != emulator at {mismatch[:5].tolist()}"

    (certified,) = certified_bounds(model)
    if precision == "auto":
        assert certified is not None, f"{label}: auto designs must certify their error"
    if certified is not None:
        observed = float(np.abs(emulated - reference).max())
        slack = FLOAT32_SLACK * (1 + float(np.abs(reference).max()))
        assert observed <= certified + slack, f"{label}: error {observed:.4g} > certified {certified:.4g}"


@pytest.mark.slow
@pytest.mark.parametrize("precision", [None, "auto"], ids=["default", "auto"])
@fuzz_settings(EXAMPLES)
@given(spec=deep_specs())
def test_deep_graphs_compile_and_agree(spec: DeepSpec, precision: str | None):
    x = np.random.default_rng(spec.seed).normal(size=(BATCH, *spec.input_shape))
    with tempfile.TemporaryDirectory(prefix="nn2hls_fuzz_deep_") as scratch:
        path = Path(scratch) / "deep.onnx"
        onnx.save(spec.model, path)
        for io_type in IO_TYPES:
            run_design(spec, path, Path(scratch), precision, io_type, x)


# -------------------------------------------------------------------------------------------------
# Regressions found by this fuzzer (at `auto`, where deep graphs get accumulators wider than 64 bits;
# here the wide type is asked for, so that the tests do not depend on what `auto` chooses).


def padded_conv_model(pad: str) -> onnx.ModelProto:
    """conv1 (1x1) -> a 3x3 conv2 over conv1's output padded by one: by conv2's own `pads`, or by a
    Pad node before it."""
    rng = np.random.default_rng(0)
    nodes = [helper.make_node("Conv", ["x", "w1"], ["h"], name="conv1")]
    inits = {
        "w1": rng.uniform(-0.5, 0.5, (2, 2, 1, 1)).astype(np.float32),
        "w2": rng.uniform(-0.5, 0.5, (2, 2, 3, 3)).astype(np.float32),
    }
    if pad == "pad_node":
        nodes.append(helper.make_node("Pad", ["h", "pads"], ["p"], name="pad"))
        nodes.append(helper.make_node("Conv", ["p", "w2"], ["y"], name="conv2"))
        inits["pads"] = np.array([0, 0, 1, 1, 0, 0, 1, 1], dtype=np.int64)
    else:
        nodes.append(helper.make_node("Conv", ["h", "w2"], ["y"], name="conv2", pads=[1, 1, 1, 1]))
    return checked_model(nodes, "padded_conv", (2, 3, 3), "y", (2, 3, 3), inits)


@pytest.mark.parametrize("pad", ["conv_pads", "pad_node"])
def test_wide_accumulator_over_padding_is_exact(pad: str, tmp_path: Path):
    """A conv accumulator wider than 62 bits (Python-int codes in the emulator) over zero padding:
    the padding was written as numpy int64 (np.pad, by the conv's windows or by the Pad op), which
    made the emulator's exact sums wrap at 64 bits or fail ('Python int too large to convert to C
    long')."""
    config = {
        "Model": {"Precision": {"default": "ap_fixed<16,6>"}},
        "LayerName": {"conv1": {"Precision": {"result": "ap_fixed<80,20>"}}},  # conv2 accumulates 78 bits
    }
    model = convert(padded_conv_model(pad), config=config, output_dir=tmp_path / "prj")
    x = np.random.default_rng(1).normal(size=(4, 2, 3, 3))
    emulated = model.emulate(x)
    model.write()
    model.compile()
    np.testing.assert_array_equal(model.predict(x), emulated)
