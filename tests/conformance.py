"""Conformance against ONNX's own backend node tests (shared by tests/test_onnx_conformance.py and
bench/conformance.py).

Cases
-----
Every directory of `onnx/backend/test/data/node/` (the onnx==1.22.0 wheel ships them on disk) whose
model consists only of the ops below (plus Constant nodes), and the 1-D and 2-D convolutions of
`onnx/backend/test/data/pytorch-converted/` (`test_Conv1d*`, `test_Conv2d*`: opset 6, upgraded to
opset 13 with `onnx.version_converter`; they bring groups, depthwise and dilation cases that the node
tests lack). A case's row (`Case.op`) is the op type of its node(s), so `test_conv_with_strides_padding`
counts for Conv; the few multi-op models (the `*_expanded` function bodies made of listed ops) get a
row of their own, e.g. `HardSigmoid+Mul`.

Node tests pass weights as graph inputs. Which inputs are weights is decided by the op (`WEIGHTS`:
Conv W/B, BatchNormalization scale/B/mean/var, PRelu slope, Gemm B/C, MatMul's second input, Pad
pads/value/axes, Reshape shape, Clip min/max, Resize roi/scales/sizes, Upsample scales, Split split,
Squeeze/Unsqueeze axes, Dropout ratio/training_mode): their values are in the test data, so they are
moved to initializers. The operand of Add/Sub/Mul that broadcasts over the batch axis (lower rank than
the result, or a leading 1) is the same for every sample: it becomes an initializer too. Every other
input stays a runtime input, and dimension 0 of each runtime input is the batch (the compiler drops
it); a node acting on axis 0 therefore acts on the batch, which the compiler refuses.

Running a case
--------------
`convert(model, precision=PRECISION, table_size=TABLE_SIZE)` then `emulate(*inputs)`; outcomes:
- pass: every output has the expected shape and is within the tolerance below;
- unsupported: `convert` raised `CompileError` (the one error users may see): the test checks that
  its message is one line and names the node (or the graph input/output) at fault;
- wrong: an output has the wrong shape or a number outside the tolerance;
- crash: any other exception, from convert or from the emulator.

Precision: `ap_fixed<36,16,AP_RND,AP_SAT>`. 16 integer bits hold every value the cases reach
(test_softmax_large_number feeds 10003; the next largest is a convolution output of 252) with no
saturation, and 20 fraction bits put a step at 2^-20 ~ 1e-6, far below the values (so a wrong index
or a wrong constant shows as an error many thousand times the tolerance). RND and SAT make every
rounding error at most half a step. TABLE_SIZE = 2^14: the smooth functions are tables; with this
size tanh/sigmoid/elu/... are within ~1e-4 and the softmax exp table within ~3e-4, about a hundred
times finer than the default 1024 entries while the tables still build in milliseconds (the error a
table adds is read from the report, not assumed, see below).

Tolerance
---------
For each output, |emulated - expected| <= tol elementwise, with tol a bound on the error the
quantisation can cause, computed from the case (no fudge factor):

    tol = G * e_in + W + T * (C + sum_t g_t * E_t) + F

- e_in = q_in / 2: the input rounding (q_in the step of the design's input type, RND);
- G: how much the graph can amplify an input error, the product over its nodes of the node's gain:
  the largest row sum of |weights| for Conv/Gemm/MatMul (times alpha), max |scale| for
  BatchNormalization, max |c| for Mul by a constant, |a|max + |b|max for Mul of two runtime inputs, 2
  for Add/Sub of two runtime inputs, the largest slope for LeakyRelu/PRelu/Elu/Selu/HardSigmoid, 1
  for everything else (the pools, softmax, layout ops, relu-like ops, clip, sigmoid, tanh, softplus);
- W: rounding of the constants, per node: e_w * (sum over a window of |x|) for weighted sums (e_w =
  half the step of the precision; the window sum is bounded by taps * max |x|), plus e_w for a bias
  or an added constant; the clip bounds move by up to one input step (they are rounded inwards onto
  the input grid); an average pool's 1/count is an 18-bit auto constant (relative error <= 2^-17), so
  it adds 2^-17 * max |x|; the pad value adds e_w;
- C: the rounding of every cast the report lists (`casts[*].rounds.max_error`), summed;
- E_t: each table's `max_error` from the report (measured over every input the table can see),
  with g_t its gain: 1, except softmax's exp table, whose error reaches a result once directly and
  once through the sum of the n exponentials (divided by a sum >= 1): g = n + 1;
- T = 1 for a single-node graph (the casts and tables sit at its output), G for a chain (an inner
  cast's error can be amplified by what follows);
- F = 2^-23 * (max |expected| + taps * G * max |x|): the float32 reference's own rounding (the
  standard bound of a float sum of `taps` terms, u = 2^-24, doubled).
x, |x|: the values (from onnx's reference evaluator) entering each node; taps: the number of terms
of a weighted sum (1 for elementwise ops).

C simulation
------------
Every case that passes is also written as an HLS project, compiled with g++ and run: the C simulation
must equal the emulator bit for bit. Compiling takes ~0.2-0.5 s a case, which for every passing case
would take the tier over its ~90 s budget on the 2-core machine, so the test compiles a
deterministic subset (`csim_subset`): every Conv case, and the first passing case (by name) of every
other row. bench/conformance.py --csim compiles every passing case.
"""

from __future__ import annotations

import math
import os
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
import onnx
from onnx import numpy_helper

from compiler.errors import CompileError

PRECISION = "ap_fixed<36,16,AP_RND,AP_SAT>"
TABLE_SIZE = 1 << 14
PYTORCH_OPSET = 13

# The ops of the issue, and for each the inputs that are weights (embedded as initializers).
WEIGHTS: dict[str, tuple[int, ...]] = {
    "Conv": (1, 2),
    "MaxPool": (),
    "AveragePool": (),
    "GlobalAveragePool": (),
    "GlobalMaxPool": (),
    "BatchNormalization": (1, 2, 3, 4),
    "Pad": (1, 2, 3),
    "Resize": (1, 2, 3),
    "Upsample": (1,),
    "Flatten": (),
    "Transpose": (),
    "Reshape": (1,),
    "Concat": (),
    "Add": (),
    "Sub": (),
    "Mul": (),
    "LeakyRelu": (),
    "PRelu": (1,),
    "Elu": (),
    "Selu": (),
    "HardSigmoid": (),
    "Softplus": (),
    "ThresholdedRelu": (),
    "Clip": (1, 2),
    "Split": (1,),
    "Squeeze": (1,),
    "Unsqueeze": (1,),
    "Identity": (),
    "Dropout": (1, 2),
    "Relu": (),
    "Sigmoid": (),
    "Tanh": (),
    "Softmax": (),
    "Gemm": (1, 2),
    "MatMul": (1,),
}
OPS = frozenset(WEIGHTS)
BROADCASTING = frozenset({"Add", "Sub", "Mul"})
HELPERS = frozenset({"Constant"})  # may appear next to the listed ops


def data_root() -> Path | None:
    """onnx's backend test data, if this onnx wheel ships it on disk (onnx <= 1.22)."""
    root = Path(onnx.__file__).resolve().parent / "backend" / "test" / "data"
    return root if (root / "node").is_dir() else None


@dataclass(frozen=True)
class Case:
    name: str  # the test directory's name: the pytest id
    op: str  # the row: the op type(s) of the model's nodes
    path: Path
    pytorch: bool = False  # from pytorch-converted (opset 6, upgraded)


def _row(ops: list[str]) -> str:
    listed = [o for o in dict.fromkeys(ops) if o not in HELPERS]
    return "+".join(listed)


@cache
def discover() -> tuple[Case, ...]:
    root = data_root()
    if root is None:
        return ()
    cases = []
    for directory in sorted((root / "node").iterdir()):
        if not (directory / "model.onnx").is_file():
            continue
        model = onnx.load(str(directory / "model.onnx"), load_external_data=False)
        ops = [n.op_type for n in model.graph.node]
        if ops and all(o in OPS or o in HELPERS for o in ops) and any(o in OPS for o in ops):
            cases.append(Case(directory.name, _row(ops), directory))
    converted = root / "pytorch-converted"
    if converted.is_dir():
        for directory in sorted(converted.iterdir()):
            if directory.name.startswith(("test_Conv1d", "test_Conv2d")) and (directory / "model.onnx").is_file():
                cases.append(Case(directory.name, "Conv", directory, pytorch=True))
    return tuple(cases)


# --------------------------------------------------------------------------------------------------
# Loading a case


def _read_value(path: Path, type_proto: onnx.TypeProto | None):
    """A test-data file: a tensor, or a sequence/optional (which the compiler will refuse)."""
    data = path.read_bytes()
    kind = type_proto.WhichOneof("value") if type_proto is not None else "tensor_type"
    if kind == "sequence_type":
        proto = onnx.SequenceProto()
        proto.ParseFromString(data)
        return numpy_helper.to_list(proto)
    if kind == "optional_type":
        proto = onnx.OptionalProto()
        proto.ParseFromString(data)
        return numpy_helper.to_optional(proto)
    proto = onnx.TensorProto()
    proto.ParseFromString(data)
    return numpy_helper.to_array(proto)


@dataclass
class Loaded:
    model: onnx.ModelProto  # weights moved to initializers
    original: onnx.ModelProto  # as shipped (upgraded for pytorch-converted), for the reference evaluator
    feeds: dict[str, object]  # every graph input of the original with its test value
    inputs: list[np.ndarray]  # the runtime inputs, in the order of the compiled model's inputs
    expected: list[object]  # per graph output


def load(case: Case) -> Loaded:
    model = onnx.load(str(case.path / "model.onnx"))
    if case.pytorch:
        model = onnx.version_converter.convert_version(model, PYTORCH_OPSET)
    data = case.path / "test_data_set_0"
    initialized = {t.name for t in model.graph.initializer}
    graph_inputs = [v for v in model.graph.input if v.name not in initialized]
    feeds = {}
    for i, value_info in enumerate(graph_inputs):
        file = data / f"input_{i}.pb"
        if file.is_file():
            feeds[value_info.name] = _read_value(file, value_info.type)
    expected = [_read_value(data / f"output_{i}.pb", v.type) for i, v in enumerate(model.graph.output)]
    original = onnx.ModelProto()
    original.CopyFrom(model)

    weights = _weight_names(model, feeds)
    kept = [v for v in model.graph.input if v.name not in weights]
    for name in weights:
        model.graph.initializer.append(numpy_helper.from_array(np.asarray(feeds[name]), name))
    del model.graph.input[:]
    model.graph.input.extend(kept)
    inputs = [feeds[v.name] for v in kept if v.name not in initialized]
    return Loaded(model, original, feeds, inputs, expected)


def _weight_names(model: onnx.ModelProto, feeds: dict[str, object]) -> list[str]:
    """The graph inputs that are weights of the node consuming them (see the module docstring)."""
    names: list[str] = []
    for node in model.graph.node:
        indices = set(WEIGHTS.get(node.op_type, ()))
        if node.op_type in BROADCASTING:
            indices |= _batch_broadcast_operands(node, feeds)
        for i in sorted(indices):
            if i < len(node.input) and node.input[i] in feeds and node.input[i] not in names:
                if isinstance(feeds[node.input[i]], np.ndarray):
                    names.append(node.input[i])
    return names


def _batch_broadcast_operands(node: onnx.NodeProto, feeds: dict[str, object]) -> set[int]:
    """Operands of an elementwise op that do not vary over the batch axis of the other operand."""
    arrays = [feeds.get(name) for name in node.input[:2]]
    if not all(isinstance(a, np.ndarray) for a in arrays):
        return set()
    a, b = arrays
    rank = max(a.ndim, b.ndim)
    batch = max(x.shape[0] for x in arrays if x.ndim == rank)
    out = set()
    for i, x in enumerate(arrays):
        if x.ndim < rank or (x.shape[0] == 1 and batch > 1):
            out.add(i)
    return out if len(out) < 2 else set()


# --------------------------------------------------------------------------------------------------
# Running a case


@dataclass
class Result:
    case: Case
    status: str  # pass, unsupported, wrong, crash
    message: str = ""
    error: float = 0.0  # largest |emulated - expected| over the outputs
    tolerance: float = 0.0  # the smallest tolerance of an output
    ratio: float = 0.0  # largest error / tolerance
    compiled: object | None = field(default=None, repr=False)  # the HLSModel (pass only)
    inputs: list[np.ndarray] = field(default_factory=list, repr=False)
    emulated: list[np.ndarray] = field(default_factory=list, repr=False)


def run_case(case: Case, precision: str = PRECISION, table_size: int = TABLE_SIZE) -> Result:
    from compiler.api import convert

    try:
        loaded = load(case)
    except Exception as err:  # the harness itself: report, but never as the compiler's fault
        return Result(case, "crash", f"harness could not load the case: {type(err).__name__}: {err}")
    try:
        compiled = convert(loaded.model, name="conformance", precision=precision, table_size=table_size)
    except CompileError as err:
        return Result(case, "unsupported", str(err))
    except Exception as err:
        return Result(case, "crash", f"convert: {type(err).__name__}: {' '.join(str(err).split())[:400]}")
    try:
        outputs = compiled.emulate(*loaded.inputs)
    except Exception as err:
        return Result(case, "crash", f"emulate: {type(err).__name__}: {' '.join(str(err).split())[:400]}")
    outputs = outputs if isinstance(outputs, list) else [outputs]
    if len(outputs) != len(loaded.expected):
        return Result(case, "wrong", f"{len(outputs)} outputs, expected {len(loaded.expected)}")
    try:
        tolerances = tolerance(case, loaded, compiled, precision)
    except Exception as err:
        return Result(case, "crash", f"harness could not bound the error: {type(err).__name__}: {err}")
    worst, ratio, problems = 0.0, 0.0, []
    for i, (got, want, tol) in enumerate(zip(outputs, loaded.expected, tolerances)):
        want = np.asarray(want, dtype=np.float64)
        if got.shape != want.shape:
            problems.append(f"output {i}: shape {list(got.shape)}, expected {list(want.shape)}")
            continue
        err = float(np.max(np.abs(got - want))) if want.size else 0.0
        worst, ratio = max(worst, err), max(ratio, err / tol)
        if err > tol:
            at = np.unravel_index(int(np.argmax(np.abs(got - want))), want.shape)
            problems.append(
                f"output {i}: max error {err:.3g} > tolerance {tol:.3g} at {list(map(int, at))} "
                f"(got {got[at]:.6g}, expected {want[at]:.6g})"
            )
    result = Result(
        case,
        "wrong" if problems else "pass",
        "; ".join(problems),
        worst,
        min(tolerances) if tolerances else 0.0,
        ratio,
        None if problems else compiled,
        list(loaded.inputs),
        outputs,
    )
    return result


@cache
def result_of(name: str) -> Result:
    case = next(c for c in discover() if c.name == name)
    return run_case(case)


def all_results() -> list[Result]:
    return [result_of(c.name) for c in discover()]


# --------------------------------------------------------------------------------------------------
# The tolerance (see the module docstring)


def _step(type_text: str) -> float:
    """The step of an `ap_fixed<W,I>` / `ap_ufixed<W,I>` type."""
    width, int_bits = (int(v) for v in type_text.split("<")[1].rstrip(">").split(",")[:2])
    return 2.0 ** -(width - int_bits)


def _precision_step(precision: str) -> float:
    return _step(precision)


def _attrs(node: onnx.NodeProto) -> dict[str, object]:
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def _values(loaded: Loaded) -> dict[str, np.ndarray]:
    """Every tensor of the original model under the test data (onnx's reference evaluator)."""
    from onnx.reference import ReferenceEvaluator

    values = {k: np.asarray(v) for k, v in loaded.feeds.items() if isinstance(v, np.ndarray)}
    values.update({t.name: numpy_helper.to_array(t) for t in loaded.original.graph.initializer})
    if len(loaded.original.graph.node) > 1:
        evaluator = ReferenceEvaluator(loaded.original)
        results = evaluator.run(None, loaded.feeds, intermediate=True)
        values.update({k: np.asarray(v) for k, v in results.items() if isinstance(v, np.ndarray)})
    else:
        for name, value in zip([o.name for o in loaded.original.graph.output], loaded.expected):
            values[name] = np.asarray(value)
    return values


def _peak(array) -> float:
    array = np.asarray(array, dtype=np.float64)
    return float(np.max(np.abs(array))) if array.size else 0.0


def node_bound(node: onnx.NodeProto, values: dict[str, np.ndarray], runtime: set[str], e_w: float, q_in: float):
    """(gain, constant rounding error, taps) of one node; see the module docstring."""
    op, attrs = node.op_type, _attrs(node)

    def value(i: int) -> np.ndarray | None:
        if i < len(node.input) and node.input[i] and node.input[i] in values:
            return np.asarray(values[node.input[i]], dtype=np.float64)
        return None

    x = value(0)
    peak_x = _peak(x) if x is not None else 0.0
    if op == "Conv":
        w = value(1)
        per_output = np.abs(w).reshape(w.shape[0], -1).sum(axis=1)
        taps = int(np.prod(w.shape[1:]))
        window = _window_sum(x, w) if x is not None else taps * peak_x
        return float(per_output.max()), e_w * window + (e_w if value(2) is not None else 0.0), taps
    if op in ("Gemm", "MatMul"):
        w = value(1)
        if op == "Gemm" and attrs.get("transB", 0):
            w = w.T
        if w.ndim == 1:
            w = w.reshape(-1, 1)
        alpha = abs(float(attrs.get("alpha", 1.0))) if op == "Gemm" else 1.0
        taps = w.shape[-2]
        rows = x.reshape(-1, x.shape[-1]) if x is not None and x.ndim >= 1 else None
        window = float(np.abs(rows).sum(axis=1).max()) if rows is not None else taps * peak_x
        bias = e_w * abs(float(attrs.get("beta", 1.0))) if op == "Gemm" and value(2) is not None else 0.0
        return alpha * float(np.abs(w).sum(axis=-2).max()), alpha * e_w * window + e_w + bias, taps
    if op == "BatchNormalization":
        gamma, var = value(1), value(4)
        scale = np.abs(gamma) / np.sqrt(var + float(attrs.get("epsilon", 1e-5)))
        return float(scale.max()), e_w * peak_x + e_w, 1
    if op in ("Add", "Sub", "Mul"):
        a, b = value(0), value(1)
        a_rt, b_rt = node.input[0] in runtime, node.input[1] in runtime
        if op == "Mul":
            if a_rt and b_rt:
                return _peak(a) + _peak(b), 0.0, 1
            const, var = (b, a) if a_rt else (a, b)
            return max(_peak(const), 1e-30), e_w * _peak(var), 1
        if a_rt and b_rt:
            return 2.0, 0.0, 1
        return 1.0, e_w, 1
    if op in ("LeakyRelu",):
        alpha = abs(float(attrs.get("alpha", 0.01)))
        return max(1.0, alpha), e_w * peak_x, 1
    if op == "PRelu":
        return max(1.0, _peak(value(1))), e_w * peak_x, 1
    if op == "Elu":
        return max(1.0, abs(float(attrs.get("alpha", 1.0)))), 0.0, 1
    if op == "Selu":
        alpha = abs(float(attrs.get("alpha", 1.67326319217681884765625)))
        gamma = abs(float(attrs.get("gamma", 1.05070102214813232421875)))
        return gamma * max(1.0, alpha), e_w * peak_x, 1
    if op == "HardSigmoid":
        return abs(float(attrs.get("alpha", 0.2))), e_w * peak_x + e_w, 1
    if op == "Clip":
        return 1.0, q_in, 1
    if op == "AveragePool":
        return 1.0, 2.0**-17 * peak_x, 1
    if op == "GlobalAveragePool":
        return 1.0, 2.0**-17 * peak_x, 1
    if op == "Pad":
        return 1.0, e_w, 1
    return 1.0, 0.0, 1


def _window_sum(x: np.ndarray, w: np.ndarray) -> float:
    """A bound on sum |x| over one convolution window: taps * max |x| (tight for these cases)."""
    return float(np.prod(w.shape[1:])) * _peak(x)


def tolerance(case: Case, loaded: Loaded, compiled, precision: str) -> list[float]:
    report = compiled.report
    q_in = max((_step(p["type"]) for p in report["interface"]["inputs"]), default=_precision_step(precision))
    e_w = _precision_step(precision) / 2
    values = _values(loaded)
    runtime = {v.name for v in loaded.model.graph.input}
    for node in loaded.model.graph.node:  # values computed from runtime inputs are runtime too
        if any(name in runtime for name in node.input):
            runtime.update(node.output)
    gain, weights, taps = 1.0, 0.0, 1
    for node in loaded.original.graph.node:
        if node.op_type in HELPERS:
            continue
        g, w, t = node_bound(node, values, runtime, e_w, q_in)
        weights = weights * g + w
        gain *= max(g, 0.0)
        taps = max(taps, t)
    casts = sum(c.get("rounds", {}).get("max_error", 0.0) for layer in report["layers"] for c in layer.get("casts", []))
    tables = 0.0
    for layer in report["layers"]:
        for table in layer.get("tables", []):
            table_gain = 1.0
            if table["function"] == "exp":
                table_gain = 1.0 + _softmax_length(loaded)
            tables += table_gain * table["max_error"]
    nodes = [n for n in loaded.original.graph.node if n.op_type not in HELPERS]
    tail = 1.0 if len(nodes) <= 1 else max(gain, 1.0)
    peak_in = max((_peak(v) for v in loaded.inputs), default=0.0)
    out = []
    for want in loaded.expected:
        f32 = 2.0**-23 * (_peak(want) + taps * max(gain, 1.0) * peak_in)
        out.append(gain * q_in / 2 + weights + tail * (casts + tables) + f32)
    return out


def _softmax_length(loaded: Loaded) -> int:
    """The length of the axis a Softmax node normalises (for its exp table's gain)."""
    for node in loaded.original.graph.node:
        if node.op_type == "Softmax":
            shape = np.asarray(loaded.expected[0]).shape
            opset = next((o.version for o in loaded.original.opset_import if o.domain in ("", "ai.onnx")), 13)
            axis = int(_attrs(node).get("axis", -1 if opset >= 13 else 1))
            return shape[axis] if opset >= 13 else int(np.prod(shape[axis:]))
    return 1


# --------------------------------------------------------------------------------------------------
# C simulation


def csim_subset(results: list[Result]) -> list[Result]:
    """Every passing Conv case, and the first passing case (by name) of every other row."""
    chosen, seen = [], set()
    for result in sorted(results, key=lambda r: r.case.name):
        if result.status != "pass":
            continue
        if result.case.op == "Conv" or result.case.op not in seen:
            chosen.append(result)
            seen.add(result.case.op)
    return sorted(chosen, key=lambda r: r.case.name)


def check_csim(result: Result, directory: str | os.PathLike[str] | None = None) -> str | None:
    """Compile a passing case with g++ and compare its C simulation with the emulator bit for bit.
    None if they agree, else what differs."""
    compiled = result.compiled
    with tempfile.TemporaryDirectory(prefix="nn2hls_conformance_") as scratch:
        target = Path(directory or scratch) / result.case.name
        compiled.write(target, force=True)
        compiled.compile()
        got = compiled.predict(*result.inputs)
    got = got if isinstance(got, list) else [got]
    for i, (c, e) in enumerate(zip(got, result.emulated)):
        if c.shape != e.shape or not np.array_equal(c, e):
            diff = float(np.max(np.abs(c - e))) if c.shape == e.shape else float("nan")
            return f"output {i}: C simulation differs from the emulator (max difference {diff:.3g})"
    return None


# --------------------------------------------------------------------------------------------------
# The table


@dataclass
class Row:
    op: str
    cases: int = 0
    passed: int = 0
    unsupported: int = 0
    wrong: int = 0
    crash: int = 0
    reasons: Counter = field(default_factory=Counter)

    @property
    def rate(self) -> float:
        return self.passed / self.cases if self.cases else 0.0


def reason(message: str) -> str:
    """A CompileError message without the node's name, so that equal reasons group."""
    text = message
    if text.startswith("node '") and "): " in text:
        text = text.split("): ", 1)[1]
    return text


def table(results: list[Result]) -> list[Row]:
    rows: dict[str, Row] = {}
    for r in results:
        row = rows.setdefault(r.case.op, Row(r.case.op))
        row.cases += 1
        if r.status == "pass":
            row.passed += 1
        elif r.status == "unsupported":
            row.unsupported += 1
            row.reasons[reason(r.message)] += 1
        elif r.status == "wrong":
            row.wrong += 1
        else:
            row.crash += 1
    return [rows[k] for k in sorted(rows)]


def format_table(results: list[Result]) -> str:
    rows = table(results)
    lines = [f"{'op':<22} {'cases':>5} {'pass':>5} {'unsup':>5} {'wrong':>5} {'crash':>5} {'rate':>7}"]
    total = Row("total")
    for row in rows:
        lines.append(
            f"{row.op:<22} {row.cases:>5} {row.passed:>5} {row.unsupported:>5} {row.wrong:>5} {row.crash:>5} "
            f"{100 * row.rate:>6.1f}%"
        )
        for text, count in row.reasons.most_common():
            lines.append(f"{'':<24}- {count} x {text}")
        for key in ("cases", "passed", "unsupported", "wrong", "crash"):
            setattr(total, key, getattr(total, key) + getattr(row, key))
    lines.append(
        f"{'total':<22} {total.cases:>5} {total.passed:>5} {total.unsupported:>5} {total.wrong:>5} "
        f"{total.crash:>5} {100 * total.rate:>6.1f}%"
    )
    return "\n".join(lines)


__all__ = [
    "Case",
    "Result",
    "PRECISION",
    "TABLE_SIZE",
    "all_results",
    "check_csim",
    "csim_subset",
    "data_root",
    "discover",
    "format_table",
    "math",
    "result_of",
    "run_case",
    "table",
]
