"""Fuzz test: random small MLPs and CNNs within the supported set, compiled with g++ for real.

Hypothesis draws a graph from the supported operators (Gemm, MatMul + Add, Relu, Sigmoid, Tanh,
Softmax, LeakyRelu, Conv 1-D/2-D with strides, pads, dilations and groups, MaxPool, AveragePool,
BatchNormalization, Add and Concat of two branches, Flatten), random weights and an io type
(io_parallel or io_stream). Each example is converted at a precision wide enough that nothing
saturates (12 fraction bits, the integer bits its magnitudes need), written, compiled with g++
(`m.compile()`), and run on a batch of inputs in [-2, 2]:

- C simulation == emulator, bit for bit;
- every output is finite;
- the emulator is within a bound of onnxruntime. The bound is propagated through the graph as it is
  built: each layer multiplies the incoming error by its gain (the largest absolute row sum of its
  weights, a slope) and adds the rounding it causes (half a step for each weight times the magnitude
  of the input it multiplies, half a step per constant and per cast); a table adds its slope times
  half an entry's span (the type's range over the entries); softmax adds its exp and reciprocal
  tables' errors. Magnitudes are propagated the same way (interval bounds);
- the emulator is within the bound the compiler certifies in its report (`error_bound`, where no
  cast can wrap), which it derives from the IR alone;
- the argmax agrees wherever onnxruntime's top two scores differ by more than twice the bound.

Budget: NN2HLS_FUZZ_EXAMPLES examples (default 24, each a g++ build of a handful of kernels; well
under two minutes on two cores), derandomized so that CI runs the same graphs every time. Setting
the variable, e.g. `NN2HLS_FUZZ_EXAMPLES=500 python -m pytest tests/test_fuzz.py`, runs that many
examples with fresh random draws. Hypothesis prints the smallest failing graph (`Spec`'s repr lists
its layers).
"""

from __future__ import annotations

import math
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import onnx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from onnx import helper
from support import GraphBuilder, checked_model, fuzz_settings

from compiler.api import convert
from compiler.check import onnxruntime_outputs

pytestmark = pytest.mark.slow  # NN2HLS_FUZZ_EXAMPLES examples, each a g++ build

EXAMPLES = int(os.environ.get("NN2HLS_FUZZ_EXAMPLES", "24"))
FRACTION_BITS = 12
TABLE_SIZE = 1024
BATCH = 16
INPUT_MAGNITUDE = 2.0


@dataclass(frozen=True)
class Ctx:
    """What the error bound depends on besides the graph: the precision's step and a table's span."""

    q: float  # one step of the precision
    delta: float  # the input span of one table entry (the type's range / entries, at least a step)


ErrorBound = Callable[[Ctx], float]


@dataclass
class Value:
    """A tensor of the graph being built: per-sample ONNX shape, a bound on |value|, and the bound
    on |emulated - float| as a function of the precision."""

    name: str
    shape: tuple[int, ...]
    mag: float
    err: ErrorBound


@dataclass
class Graph(GraphBuilder):
    """Builds the ONNX graph and the bounds together."""

    rng: np.random.Generator
    largest: float = INPUT_MAGNITUDE  # the largest magnitude of a constant or value the precision must hold

    def made(self, value: Value) -> Value:
        self.largest = max(self.largest, value.mag)
        return value

    def const(self, array: np.ndarray, prefix: str) -> str:
        self.largest = max(self.largest, float(np.abs(array).max(initial=0)))
        return super().const(array, prefix)

    def node(self, op: str, inputs: list[str], label: str, **attrs) -> str:
        out = self.fresh("t")
        self.nodes.append(helper.make_node(op, inputs, [out], name=self.fresh(op.lower()), **attrs))
        self.layers.append(label)
        return out

    def weights(self, shape: tuple[int, ...], axis_out: int) -> tuple[np.ndarray, float]:
        """Random weights scaled so that each output's absolute row sum is in [0.5, 1.5]; the gain."""
        w = self.rng.uniform(-1, 1, size=shape)
        rows = np.abs(np.moveaxis(w, axis_out, 0)).reshape(shape[axis_out], -1).sum(axis=1)
        scale = self.rng.uniform(0.5, 1.5, size=shape[axis_out]) / np.maximum(rows, 1e-3)
        w = w * np.expand_dims(scale, [a for a in range(len(shape)) if a != axis_out])
        gain = float(np.abs(np.moveaxis(w, axis_out, 0)).reshape(shape[axis_out], -1).sum(axis=1).max())
        return w, gain

    # ---------------------------------------------------------------------------------------------
    def dense(self, x: Value, out: int, form: str) -> Value:
        (n,) = x.shape
        w, gain = self.weights((n, out), 1)
        b = self.rng.uniform(-0.5, 0.5, size=out)
        if form == "matmul":
            h = self.node("MatMul", [x.name, self.const(w, "w")], f"MatMul({out})")
            y = self.node("Add", [h, self.const(b, "b")], "+bias")
        elif form == "gemm_t":
            y = self.node("Gemm", [x.name, self.const(w.T, "w"), self.const(b, "b")], f"Gemm({out},transB)", transB=1)
        else:
            y = self.node("Gemm", [x.name, self.const(w, "w"), self.const(b, "b")], f"Gemm({out})")
        mag, err = x.mag, x.err
        return self.made(
            Value(
                y,
                (out,),
                gain * mag + float(np.abs(b).max()),
                lambda c: (gain + n * c.q / 2) * err(c) + n * mag * c.q / 2 + c.q,
            )
        )

    def conv(self, x: Value, out: int, kernel: list[int], strides, dilations, pads, groups: int) -> Value:
        channels, *spatial = x.shape
        rank = len(spatial)
        w, gain = self.weights((out, channels // groups, *kernel), 0)
        b = self.rng.uniform(-0.5, 0.5, size=out)
        attrs = dict(kernel_shape=kernel, strides=strides, dilations=dilations, pads=pads, group=groups)
        y = self.node("Conv", [x.name, self.const(w, "w"), self.const(b, "b")], f"Conv({out}, {attrs})", **attrs)
        shape = tuple(
            (spatial[d] + pads[d] + pads[rank + d] - dilations[d] * (kernel[d] - 1) - 1) // strides[d] + 1
            for d in range(rank)
        )
        taps = channels // groups * math.prod(kernel)
        mag, err = x.mag, x.err
        return self.made(
            Value(
                y,
                (out, *shape),
                gain * mag + float(np.abs(b).max()),
                lambda c: (gain + taps * c.q / 2) * err(c) + taps * mag * c.q / 2 + c.q,
            )
        )

    def batchnorm(self, x: Value) -> Value:
        channels = x.shape[0]
        gamma = self.rng.uniform(0.5, 1.5, channels) * self.rng.choice([-1, 1], channels)
        beta, mean = self.rng.uniform(-0.3, 0.3, channels), self.rng.uniform(-0.3, 0.3, channels)
        var = self.rng.uniform(0.5, 1.5, channels)
        names = [self.const(a, p) for a, p in [(gamma, "g"), (beta, "beta"), (mean, "mean"), (var, "var")]]
        y = self.node("BatchNormalization", [x.name, *names], "BatchNorm", epsilon=1e-5)
        scale = np.abs(gamma / np.sqrt(var + 1e-5))
        # folded into the layer before, its weights are the scaled ones: the gain is at least 1
        s = max(1.0, float(scale.max()))
        self.largest = max(self.largest, float(scale.max()) * 2)
        mag, err = x.mag, x.err
        shift = float(np.abs(beta).max() + scale.max() * np.abs(mean).max())
        return self.made(Value(y, x.shape, s * mag + shift, lambda c: s * err(c) + mag * c.q / 2 + c.q))

    def activation(self, x: Value, kind: str, alpha: float = 0.0) -> Value:
        mag, err = x.mag, x.err
        if kind == "Relu":
            return self.made(Value(self.node("Relu", [x.name], "Relu"), x.shape, mag, lambda c: err(c) + c.q / 2))
        if kind == "LeakyRelu":
            a = max(1.0, abs(alpha))
            y = self.node("LeakyRelu", [x.name], f"LeakyRelu({alpha})", alpha=alpha)
            return self.made(Value(y, x.shape, a * mag, lambda c: a * err(c) + mag * c.q / 2 + c.q))
        slope = 0.25 if kind == "Sigmoid" else 1.0
        y = self.node(kind, [x.name], kind)
        return self.made(Value(y, x.shape, 1.0, lambda c: slope * err(c) + slope * c.delta / 2 + c.q))

    def softmax(self, x: Value, axis: int) -> Value:
        n = x.shape[axis - 1 if axis > 0 else axis]
        err = x.err

        def bound(c: Ctx) -> float:
            # softmax is 1/2-Lipschitz in the max norm (its Jacobian's rows sum to 2 p (1 - p) in
            # absolute value); then the implementation: exp table entries over x - max(x) (twice the
            # type's span, slope <= 1), a sum of n of them, a reciprocal table over [1, n] (slope <= 1)
            e_exp = c.delta + c.q
            delta_r = max(2.0 ** (math.ceil(math.log2(n)) + 1) / TABLE_SIZE, c.q)
            return err(c) / 2 + (n + 1) * e_exp + delta_r / 2 + 2 * c.q

        return self.made(Value(self.node("Softmax", [x.name], f"Softmax(axis={axis})", axis=axis), x.shape, 1.0, bound))

    def pool(self, x: Value, kind: str, kernel: list[int], strides, pads, include_pad: int) -> Value:
        channels, *spatial = x.shape
        rank = len(spatial)
        attrs = dict(kernel_shape=kernel, strides=strides, pads=pads)
        if kind == "AveragePool":
            attrs["count_include_pad"] = include_pad
        y = self.node(kind, [x.name], f"{kind}({attrs})", **attrs)
        shape = tuple((spatial[d] + pads[d] + pads[rank + d] - kernel[d]) // strides[d] + 1 for d in range(rank))
        taps = math.prod(kernel)
        mag, err = x.mag, x.err
        if kind == "MaxPool":
            return self.made(Value(y, (channels, *shape), mag, lambda c: err(c) + c.q / 2))
        return self.made(Value(y, (channels, *shape), mag, lambda c: (1 + c.q) * err(c) + taps * mag * c.q / 2 + c.q))

    def add(self, a: Value, b: Value) -> Value:
        y = self.node("Add", [a.name, b.name], "Add(branches)")
        return self.made(Value(y, a.shape, a.mag + b.mag, lambda c: a.err(c) + b.err(c) + c.q / 2))

    def concat(self, a: Value, b: Value) -> Value:
        y = self.node("Concat", [a.name, b.name], "Concat(branches)", axis=1)
        shape = (a.shape[0] + b.shape[0], *a.shape[1:])
        return self.made(Value(y, shape, max(a.mag, b.mag), lambda c: max(a.err(c), b.err(c))))

    def flatten(self, x: Value) -> Value:
        y = self.node("Flatten", [x.name], "Flatten", axis=1)
        return self.made(Value(y, (math.prod(x.shape),), x.mag, x.err))


@dataclass
class Spec:
    """One drawn example: the model, the precision chosen for it, its io type and its bound."""

    kind: str
    input_shape: tuple[int, ...]
    io_type: str
    layers: list[str]
    model: onnx.ModelProto = field(repr=False)
    precision: str = ""
    output: Value | None = field(default=None, repr=False)
    int_bits: int = 0
    seed: int = 0

    def bound(self) -> float:
        span = 2.0**self.int_bits
        q = 2.0**-FRACTION_BITS
        return self.output.err(Ctx(q, max(span / TABLE_SIZE, q)))


# -------------------------------------------------------------------------------------------------
# Strategies: each draw keeps the shapes valid (window no larger than the padded input, pads smaller
# than pool windows, groups dividing the channels).


def window(draw, size: int, dilate: bool, pool: bool) -> tuple[int, int, int, int, int]:
    """kernel, stride, dilation, pad begin, pad end for one spatial axis of `size`."""
    kernel = draw(st.integers(1 if not pool else 2, 3))
    dilation = draw(st.integers(1, 2)) if dilate else 1
    pad_begin = draw(st.integers(0, min(1, kernel - 1) if pool else 1))
    pad_end = draw(st.integers(0, min(1, kernel - 1) if pool else 1))
    while dilation * (kernel - 1) + 1 > size + pad_begin + pad_end:
        if dilation > 1:
            dilation -= 1
        else:
            kernel -= 1
    kernel = max(kernel, 1)
    pad_begin, pad_end = (min(pad_begin, kernel - 1), min(pad_end, kernel - 1)) if pool else (pad_begin, pad_end)
    stride = draw(st.integers(1, 2))
    return kernel, stride, dilation, pad_begin, pad_end


def conv_layer(draw, g: Graph, x: Value, out: int | None = None, geometry=None) -> tuple[Value, tuple]:
    channels, *spatial = x.shape
    if geometry is None:
        axes = [window(draw, s, dilate=True, pool=False) for s in spatial]
        divisors = [d for d in range(1, channels + 1) if channels % d == 0]
        groups = draw(st.sampled_from(divisors))
        geometry = (axes, groups)
    axes, groups = geometry
    if out is None:
        out = groups * draw(st.integers(1, max(1, 4 // groups)))
    kernel, strides, dilations = [a[0] for a in axes], [a[1] for a in axes], [a[2] for a in axes]
    pads = [a[3] for a in axes] + [a[4] for a in axes]
    return g.conv(x, out, kernel, strides, dilations, pads, groups), geometry


def activation(draw, g: Graph, x: Value) -> Value:
    kind = draw(st.sampled_from(["Relu", "Sigmoid", "Tanh", "LeakyRelu", "none"]))
    if kind == "none":
        return x
    alpha = draw(st.sampled_from([0.1, 0.3, -0.2])) if kind == "LeakyRelu" else 0.0
    return g.activation(x, kind, alpha)


def cnn_block(draw, g: Graph, x: Value) -> Value:
    branch = draw(st.sampled_from(["single", "single", "add", "concat"]))
    y, geometry = conv_layer(draw, g, x)
    if branch == "add":
        z, _ = conv_layer(draw, g, x, out=y.shape[0], geometry=geometry)
        y = g.add(y, z)
    elif branch == "concat":
        z, _ = conv_layer(draw, g, x, geometry=geometry)
        y = g.concat(y, z)
    if draw(st.booleans()):
        y = g.batchnorm(y)
    y = activation(draw, g, y)
    pool = draw(st.sampled_from(["none", "MaxPool", "AveragePool"]))
    if pool != "none" and all(s >= 2 for s in y.shape[1:]):
        axes = [window(draw, s, dilate=False, pool=True) for s in y.shape[1:]]
        kernel, strides = [a[0] for a in axes], [a[1] for a in axes]
        pads = [a[3] for a in axes] + [a[4] for a in axes]
        y = g.pool(y, pool, kernel, strides, pads, draw(st.integers(0, 1)))
    return y


def mlp_block(draw, g: Graph, x: Value) -> Value:
    branch = draw(st.sampled_from(["single", "single", "add", "concat"]))
    width = draw(st.integers(2, 6))
    forms = st.sampled_from(["gemm", "gemm_t", "matmul"])
    y = g.dense(x, width, draw(forms))
    if branch != "single":
        z = g.dense(x, width if branch == "add" else draw(st.integers(1, 4)), draw(forms))
        z = activation(draw, g, z)
        y = g.add(y, z) if branch == "add" else g.concat(y, z)
    if draw(st.booleans()) and draw(st.booleans()):
        y = g.batchnorm(y)
    return activation(draw, g, y)


@st.composite
def specs(draw) -> Spec:
    kind = draw(st.sampled_from(["mlp", "cnn1d", "cnn2d"]))
    seed = draw(st.integers(0, 2**32 - 1))
    g = Graph(np.random.default_rng(seed))
    if kind == "mlp":
        shape: tuple[int, ...] = (draw(st.integers(2, 6)),)
    elif kind == "cnn1d":
        shape = (draw(st.integers(1, 3)), draw(st.integers(4, 8)))
    else:
        shape = (draw(st.integers(1, 3)), draw(st.integers(3, 5)), draw(st.integers(3, 5)))
    y = Value("x", shape, INPUT_MAGNITUDE, lambda c: c.q / 2)
    if kind == "mlp":
        for _ in range(draw(st.integers(1, 3))):
            y = mlp_block(draw, g, y)
    else:
        for _ in range(draw(st.integers(1, 2))):
            y = cnn_block(draw, g, y)
        if draw(st.booleans()):
            y = g.dense(g.flatten(y), draw(st.integers(2, 5)), draw(st.sampled_from(["gemm", "matmul"])))
    if draw(st.booleans()):
        y = g.softmax(y, -1 if len(y.shape) == 1 else draw(st.sampled_from([1, -1])))
    io_type = draw(st.sampled_from(["io_parallel", "io_stream"]))

    model = checked_model(g.nodes, "fuzz", shape, y.name, y.shape, g.inits)
    int_bits = math.ceil(math.log2(g.largest * 1.1 + 0.01)) + 1
    precision = f"ap_fixed<{int_bits + FRACTION_BITS},{int_bits},AP_RND,AP_SAT>"
    return Spec(kind, shape, io_type, g.layers, model, precision, y, int_bits, seed)


@fuzz_settings(EXAMPLES)
@given(spec=specs())
def test_random_graphs_compile_and_agree(spec: Spec):
    rng = np.random.default_rng(spec.seed)
    x = rng.uniform(-INPUT_MAGNITUDE, INPUT_MAGNITUDE, size=(BATCH, *spec.input_shape))
    with tempfile.TemporaryDirectory(prefix="nn2hls_fuzz_") as scratch:
        path = Path(scratch) / "fuzz.onnx"
        onnx.save(spec.model, path)
        model = convert(
            path,
            output_dir=Path(scratch) / "prj",
            precision=spec.precision,
            io_type=spec.io_type,
            table_size=TABLE_SIZE,
        )
        model.write()
        model.compile()
        csim = model.predict(x)
        emulated = model.emulate(x)
        reference = onnxruntime_outputs(str(path), [x])[0].reshape(emulated.shape)
        (certified,) = (output["certified"] for output in model.report["error_bound"]["outputs"])

    assert np.isfinite(emulated).all() and np.isfinite(csim).all()
    assert csim.shape == emulated.shape == (BATCH, *spec.output.shape)
    mismatch = np.argwhere(csim != emulated)
    assert not len(mismatch), f"C simulation != emulator at {mismatch[:5].tolist()}"

    bound = spec.bound() + 1e-5 * (1 + spec.output.mag)  # plus float32 rounding in onnxruntime
    error = np.abs(emulated - reference)
    assert error.max() <= bound, f"emulator vs onnxruntime: {error.max():.4g} > bound {bound:.4g} at {spec.precision}"
    if certified is not None:  # the compiler's own bound (none where a cast may wrap)
        slack = 1e-5 * (1 + spec.output.mag)
        assert error.max() <= certified + slack, (
            f"emulator vs onnxruntime: {error.max():.4g} > certified {certified:.4g}"
        )

    flat_ref, flat_emu = reference.reshape(BATCH, -1), emulated.reshape(BATCH, -1)
    if flat_ref.shape[1] > 1:
        top2 = np.sort(flat_ref, axis=1)[:, -2:]
        clear = top2[:, 1] - top2[:, 0] > 2 * bound
        assert (flat_emu.argmax(1) == flat_ref.argmax(1))[clear].all()
