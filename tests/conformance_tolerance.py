"""The tolerance of a conformance case (tests/conformance.py): a bound on the error the design's
quantisation can cause, computed per case from the model, its data and the compiled design.

For each output, |emulated - expected| <= tol elementwise, tol a bound on the error the quantisation
can cause, computed per case (no fudge factor):

    tol = G * q_in / 2 + W + T * (C + sum_t g_t * E_t) + F + R

- q_in / 2: the input rounding (q_in the step of the design's input type, from the report; RND);
- G: how much the graph can amplify an input error, the product over its nodes of the node's gain:
  the largest sum of |weights| into one output for Conv/Gemm/MatMul (times Gemm's alpha), the
  largest |scale| / sqrt(var + eps) for BatchNormalization, max |c| for Mul by a constant, max|a| +
  max|b| for Mul of two runtime inputs, 2 for Add/Sub of two runtime inputs, 1 for Max/Min (e_c for
  a constant operand), taps * (max|a| + max|b|) for an Einsum of two inputs (taps for one), the largest slope for
  LeakyRelu/PRelu/Elu/Selu/HardSigmoid, for a linear, cubic or cropping Resize the product over
  the dense layer of each resized axis (`dense_stages`, read from the design) of its largest sum of
  |weights| into one output, 1 for the others (pools, softmax, layout ops, nearest resize, relu-like
  ops, clip, sigmoid, tanh, softplus);
- W: the rounding of the constants, per node, with e_c the largest rounding error nn-to-fixed
  recorded on the node's constants in the IR (`fixed.constant ... error`, i.e. half a step of the
  precision for weights): e_c * taps * max|x| for a weighted sum of `taps` terms (conv, dense; an
  average pool's 1/count constant multiplies a window sum of `taps` = kernel-size terms), e_c * max|x|
  for a scale or slope, plus e_c per bias or added constant; clip bounds move by up to one input
  step (they are rounded inwards onto the input's grid); a pad value adds e_c; a Resize through
  dense layers adds e_c * taps_k * max|x| per axis k, amplified by the gains of the other axes, and
  e_c per bias (the extrapolation value). In a chain, what a node adds is amplified by the gains of
  the nodes after it;
- C: the rounding of every cast in the report (`layers[*].casts[*].rounds.max_error`), summed; a
  cast that rounds off more than half a step of PRECISION is an error of the case (a crash), so
  that the bound cannot grow to excuse a design coarser than asked for;
- E_t: each table's error, from the IR entry by entry: the functions are monotone, so an entry's
  worst error is at one end of the inputs it serves; the inputs are those the report's interval
  analysis says the table can see (`tables[*].input_range`), where its value is used (elu/selu:
  x <= 0, softplus: x <= 16, softmax's exp: x - max <= 0, its reciprocal: a sum in [1, n]). This is
  at least the report's `tables[*].max_error`, which samples 2^16 inputs and can miss the worst
  entry of a wide input. E_t is capped at the table's contract (lowering/tables.py): half the
  function's largest change over an entry, plus 2^(1-W) of its largest value for entries of W bits;
  a table worse than its contract makes the case wrong. g_t, its gain, is 1, except for softmax's
  exp table, whose error reaches a result directly and through the sum of the n exponentials
  (divided by a sum >= 1): g = n + 1;
- T = 1 for a single-node graph (its casts and tables sit at its output), G for a chain or a
  Resize along several axes (the cast after one axis is amplified by the next);
- F = 2^-23 * (max |expected| + taps * G * max |x|): the float32 reference's own rounding (the
  standard bound for a float sum of `taps` terms, u = 2^-24, doubled);
- R: REFERENCE_ROUNDING, for the one case whose expected values onnx writes by hand with 4 decimals.
A recurrent node (LSTM, GRU, RNN) is bounded step by step instead (`recurrent_tolerance`).
x: the values entering each node (from onnx's reference evaluator for multi-node graphs).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import onnx
from onnx import numpy_helper

if TYPE_CHECKING:
    from conformance import Case, Loaded

HELPERS = frozenset({"Constant"})  # may appear next to the listed ops


# Test data that onnx's generator writes by hand with 4 decimals, inputs and expected outputs
# rounded separately from unrounded values: the expected outputs are off by up to one unit of the
# 4th decimal (checked against onnx's reference evaluator on the given inputs: 5.6e-5; every other
# case agrees with it to float32 rounding).
REFERENCE_ROUNDING = {"test_averagepool_2d_ceil_last_window_starts_on_pad": 1e-4}

# Where each table's value is used (the rest of the input range is served by another branch):
# elu/selu tabulate x <= 0 (x > 0 takes the linear branch), softplus x <= 16, softmax's exp sees
# x - max <= 0 and its reciprocal a sum in [1, n]; sigmoid and tanh their whole input.
SMOOTH_UPPER = {"elu": 0.0, "selu": 0.0, "softplus": 16.0, "exp": 0.0}


def _step(type_text: str) -> float:
    """The step of an `ap_fixed<W,I>` / `ap_ufixed<W,I>` type."""
    width, int_bits = (int(v) for v in type_text.split("<")[1].rstrip(">").split(",")[:2])
    return 2.0 ** -(width - int_bits)


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


def node_bound(
    node: onnx.NodeProto,
    values: dict[str, np.ndarray],
    runtime: set[str],
    e_c: float,
    q_in: float,
    stages: list[np.ndarray] = (),
):
    """(gain, error of its constants' rounding, taps) of one node (see the module docstring);
    e_c: the largest rounding error of the node's constants (from the IR); stages: the weights of
    the dense layers the node became, in order (a linear, cubic or cropping Resize: one per axis)."""
    op, attrs = node.op_type, _attrs(node)

    def value(i: int) -> np.ndarray | None:
        if i < len(node.input) and node.input[i] and node.input[i] in values:
            return np.asarray(values[node.input[i]], dtype=np.float64)
        return None

    x = value(0)
    peak_x = _peak(x) if x is not None else 0.0
    if op == "Conv":
        w = value(1)
        taps = int(np.prod(w.shape[1:]))
        gain = float(np.abs(w).reshape(w.shape[0], -1).sum(axis=1).max())
        return gain, e_c * taps * peak_x + (e_c if value(2) is not None else 0.0), taps
    if op in ("Gemm", "MatMul"):
        w = value(1)
        if op == "Gemm" and attrs.get("transB", 0):
            w = w.T
        if w.ndim == 1:
            w = w.reshape(-1, 1)
        alpha = abs(float(attrs.get("alpha", 1.0))) if op == "Gemm" else 1.0
        taps = w.shape[-2]
        gain = alpha * float(np.abs(w).sum(axis=-2).max())
        # the importer folds alpha into the weights and beta into the bias before rounding them
        return gain, e_c * taps * peak_x + e_c, taps
    if op == "BatchNormalization":
        scale = np.abs(value(1)) / np.sqrt(value(4) + float(attrs.get("epsilon", 1e-5)))
        return float(scale.max()), e_c * peak_x + e_c, 1
    if op in ("Add", "Sub", "Mul"):
        a, b = value(0), value(1)
        a_rt, b_rt = node.input[0] in runtime, node.input[1] in runtime
        if op == "Mul":
            if a_rt and b_rt:
                return _peak(a) + _peak(b), 0.0, 1
            const, var = (b, a) if a_rt else (a, b)
            return _peak(const), e_c * _peak(var), 1
        return (2.0, 0.0, 1) if a_rt and b_rt else (1.0, e_c, 1)
    if op == "Einsum":  # a sum of `taps` products: an error in a factor moves each by the other's size
        equation = attrs.get("equation", b"")
        terms = (equation.decode() if isinstance(equation, bytes) else equation).replace(" ", "").split("->")
        letters = terms[0].replace(",", "")
        kept = terms[1] if len(terms) > 1 else "".join(c for c in letters if letters.count(c) == 1)
        shapes = [value(i).shape for i in range(len(node.input)) if value(i) is not None]
        sizes = {c: n for term, shape in zip(terms[0].split(","), shapes) for c, n in zip(term, shape)}
        taps = int(np.prod([sizes[c] for c in set(letters) - set(kept)] or [1]))
        factors = [_peak(value(i)) for i in range(len(node.input))]
        return taps * (sum(factors) if len(factors) == 2 else 1.0), 0.0, taps
    if op in ("Max", "Min"):  # moves by the largest error of its operands; a constant one rounds e_c
        return 1.0, (e_c if any(name not in runtime for name in node.input if name) else 0.0), 1
    if op == "LeakyRelu":
        return max(1.0, abs(float(attrs.get("alpha", 0.01)))), e_c * peak_x, 1
    if op == "PRelu":
        return max(1.0, _peak(value(1))), e_c * peak_x, 1
    if op == "Elu":
        return max(1.0, abs(float(attrs.get("alpha", 1.0)))), 0.0, 1
    if op == "Selu":
        alpha = abs(float(attrs.get("alpha", 1.67326319217681884765625)))
        gamma = abs(float(attrs.get("gamma", 1.05070102214813232421875)))
        return gamma * max(1.0, alpha), e_c * peak_x, 1
    if op == "HardSigmoid":
        return abs(float(attrs.get("alpha", 0.2))), e_c * peak_x + e_c, 1
    if op == "Clip":
        return 1.0, q_in, 1
    if op in ("AveragePool", "GlobalAveragePool"):  # e_c: the rounding of 1/count
        spatial = x.shape[2:] if x is not None else ()
        taps = int(np.prod(_ints_attr(attrs, "kernel_shape", spatial)))
        return 1.0, e_c * taps * peak_x, taps
    if op == "Pad":
        return 1.0, e_c, 1
    if op in ("Resize", "Upsample") and stages:
        # stage k rounds e_c * taps_k * (its input <= the gains before it * max|x|), and the stages
        # after it amplify that; each bias (extrapolation value) rounds e_c
        gains = [float(np.abs(w).sum(axis=0).max()) for w in stages]
        counts = [int((w != 0).sum(axis=0).max()) for w in stages]
        spread = sum(t * math.prod(gains[:k] + gains[k + 1 :]) for k, t in enumerate(counts))
        biases = sum(math.prod(gains[k + 1 :]) for k in range(len(stages)))
        return math.prod(gains), e_c * (spread * peak_x + biases), math.prod(counts)
    return 1.0, 0.0, 1


def _ints_attr(attrs, name, default) -> list[int]:
    return [int(v) for v in attrs.get(name, default)]


def dense_stages(compiled) -> dict[str, list[np.ndarray]]:
    """The weights [in, out] of each layer's dense ops, in order, as the design holds them."""
    from dialects import fixed

    stages: dict[str, list[np.ndarray]] = {}
    for op in compiled.module.walk():
        if isinstance(op, fixed.DenseOp) and isinstance(op.weight.owner, fixed.ConstantOp):
            constant = op.weight.owner
            codes = np.asarray(constant.values(), dtype=np.float64)
            layer = op.properties.get("layer")
            weights = codes * 2.0 ** -fixed.format_of(constant.result).frac_bits
            stages.setdefault(layer.data if layer is not None else "", []).append(weights)
    return stages


def constant_errors(compiled) -> dict[str, float]:
    """The largest rounding error of the constants of each layer, as nn-to-fixed recorded them."""
    from dialects import fixed

    errors: dict[str, float] = {}
    for op in compiled.module.walk():
        if isinstance(op, fixed.ConstantOp) and op.error is not None:
            layer = op.properties.get("layer")
            name = layer.data if layer is not None else ""
            errors[name] = max(errors.get(name, 0.0), float(op.error.value.data))
    return errors


@dataclass
class TableError:
    function: str
    layer: str
    reported: float  # the report's tables[*].max_error
    exact: float  # the largest error over the inputs whose result the table gives
    contract: float  # half the function's largest change over an entry + 2^(1-W) of its largest value

    @property
    def bound(self) -> float:
        """What the tolerance admits: the exact error, but no more than the contract."""
        return min(self.exact, self.contract)


def table_errors(compiled) -> list[TableError]:
    """Each table's error, computed entry by entry from the IR (every function tabulated here is
    monotone, so an entry's worst error is at one of the two ends of the inputs it serves)."""
    from dialects import fixed
    from dialects.fixedpoint import codes_to_floats

    reported = [t for layer in compiled.report["layers"] for t in layer.get("tables", [])]
    out = []
    lookups = [op for k in compiled.design.kernels for op in k.block.walk() if isinstance(op, fixed.LookupOp)]
    if [op.function.data for op in lookups] != [t["function"] for t in reported]:
        raise ValueError("the report's tables do not follow the design's lookups")
    for op, rep in zip(lookups, reported):
        name = op.function.data
        fn = op.tabulated()
        fmt, out_fmt = fixed.format_of(op.input), fixed.format_of(op.output)
        index = op.index_type.format
        shift = fmt.frac_bits - index.frac_bits
        offset = int(op.offset.value.data)
        # the inputs the table can see (the report's interval analysis), where its value is used
        lo = max(fmt.min_code, math.floor(rep["input_range"][0] * 2**fmt.frac_bits))
        hi = min(fmt.max_code, math.ceil(rep["input_range"][1] * 2**fmt.frac_bits))
        if name in SMOOTH_UPPER:
            hi = min(hi, math.floor(SMOOTH_UPPER[name] * 2**fmt.frac_bits))
        if name == "reciprocal":  # softmax's sum of exponentials lies in [1, n] (the domain)
            domain = op.domain.get_values()
            lo = max(lo, math.floor(domain[0] * 2**fmt.frac_bits))
            hi = min(hi, math.ceil(domain[1] * 2**fmt.frac_bits))
        codes = op.table_codes()
        count = len(codes)
        starts = [offset + (i << shift) for i in range(count)]
        ends = [s + (1 << shift) - 1 for s in starts]
        starts[0], ends[-1] = min(starts[0], lo), max(ends[-1], hi)
        exact, change, peak = 0.0, 0.0, 0.0
        for i in range(count):
            a, b = max(starts[i], lo), min(ends[i], hi)
            if a > b:
                continue
            ends_x = np.array([math.ldexp(a, -fmt.frac_bits), math.ldexp(b, -fmt.frac_bits)])
            with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
                f = np.asarray(fn(ends_x), dtype=np.float64)
            v = float(codes_to_floats(np.array([int(codes[i])], dtype=object), out_fmt)[0])
            exact = max(exact, float(np.max(np.abs(f - v))))
            change = max(change, float(abs(f[1] - f[0])))
            peak = max(peak, float(np.max(np.abs(f))))
        contract = change / 2 + peak * 2.0 ** (1 - out_fmt.width)
        layer = op.properties.get("layer")
        out.append(TableError(name, layer.data if layer is not None else "", float(rep["max_error"]), exact, contract))
    return out


def tolerance(case: Case, loaded: Loaded, compiled, precision: str) -> tuple[list[float], list[TableError]]:
    report = compiled.report
    q_in = max((_step(p["type"]) for p in report["interface"]["inputs"]), default=_step(precision))
    e_w = _step(precision) / 2
    constants = constant_errors(compiled)
    values = _values(loaded)
    runtime = {v.name for v in loaded.model.graph.input}
    for node in loaded.original.graph.node:  # values computed from runtime inputs are runtime too
        if any(name in runtime for name in node.input):
            runtime.update(node.output)
    names = _node_names(loaded.original)
    nodes = [(n, names[i]) for i, n in enumerate(loaded.original.graph.node) if n.op_type not in HELPERS]
    stages = dense_stages(compiled)
    recurrent = [(n, name) for n, name in nodes if n.op_type in RECURRENT]
    if recurrent:
        if len(nodes) != 1:
            raise ValueError("a recurrent node is bounded alone (one-node graphs only)")
        node, name = recurrent[0]
        tables = table_errors(compiled)
        rounded = [
            c.get("rounds", {}).get("max_error", 0.0) for layer in report["layers"] for c in layer.get("casts", [])
        ]
        bounds = recurrent_tolerance(node, values, constants.get(name, e_w), q_in, tables, max(rounded, default=0.0))
        used = [i for i, out in enumerate(node.output) if out][: len(loaded.expected)]
        return [bounds[i] for i in used], tables
    gain, weights, taps, staged = 1.0, 0.0, 1, False
    for node, name in nodes:
        g, w, t = node_bound(node, values, runtime, constants.get(name, e_w), q_in, stages.get(name, ()))
        weights = weights * g + w
        gain *= g
        taps = max(taps, t)
        staged = staged or (node.op_type in ("Resize", "Upsample") and len(stages.get(name, ())) > 1)
    rounded = [c.get("rounds", {}).get("max_error", 0.0) for layer in report["layers"] for c in layer.get("casts", [])]
    if max(rounded, default=0.0) > e_w * (1 + 1e-9):  # the bound must not grow with a design that ignores PRECISION
        raise ValueError(f"a cast rounds off up to {max(rounded):.3g}, more than half a step of {precision}")
    casts = sum(rounded)
    tables = table_errors(compiled)
    table_term = sum((1.0 + _softmax_length(loaded) if t.function == "exp" else 1.0) * t.bound for t in tables)
    tail = 1.0 if len(nodes) <= 1 and not staged else max(gain, 1.0)
    peak_in = max((_peak(v) for v in loaded.inputs), default=0.0)
    rounding = REFERENCE_ROUNDING.get(case.name, 0.0)
    out = []
    for want in loaded.expected:
        f32 = 2.0**-23 * (_peak(want) + taps * max(gain, 1.0) * peak_in)
        out.append(gain * q_in / 2 + weights + tail * (casts + table_term) + f32 + rounding)
    return out, tables


RECURRENT = ("LSTM", "GRU", "RNN")


def recurrent_tolerance(
    node: onnx.NodeProto, values: dict[str, np.ndarray], e_c: float, q_in: float, tables, cast: float
) -> list[float]:
    """Bounds on the errors of a recurrent node's outputs (Y, Y_h[, Y_c]), step by step: the error
    of a step's pre-activations a = W x + R h + b follows from the input's rounding (q_in / 2),
    the constants' (e_c each: F + H weights and two biases per gate) and the state's error (the
    largest row sum of |R| times it); a sigmoid moves by at most a quarter of its input's error, tanh
    by all of it, each plus its table's error (E_s, E_t: the largest of the tables of that function);
    then per cell:
      RNN:  e_h' = da + E_t + cast;
      GRU:  n = tanh(n_pre); e_n = e(n_pre) + E_t, with n_pre = W_n x + b_n + r (R_n h + rb_n) (or
            R_n (r h) + rb_n); h' = (1 - z) n + z h with z in [0, 1]: e_h' <= max(e_n, e_h) +
            e_z (|n| + |h|) + cast;
      LSTM: c' = f c + i g: e_c' <= e_c + e_f |c| + e_g + e_i + cast (|f|, |i|, |g| <= 1, |c| <= |c0| + t);
            h' = o tanh(c'): e_h' <= e_c' + E_t + e_o + cast.
    |h| <= max(1, |h0|) for these cells (tanh and convex combinations of it). Each output's bound is
    the last step's (the errors only grow), plus the float32 reference's own rounding. The state's
    error is multiplied by the recurrent gain every step, so the bound grows exponentially with the
    sequence length when that gain exceeds 1: it certifies the node tests (one step each) and says
    nothing useful about long sequences (tests/test_recurrent*.py compare those with torch)."""
    attrs = _attrs(node)
    cell = node.op_type
    w, r = (np.asarray(values[node.input[i]], dtype=np.float64) for i in (1, 2))
    gates, hidden, features = {"LSTM": 4, "GRU": 3, "RNN": 1}[cell], r.shape[-1], w.shape[-1]

    def value(i: int) -> np.ndarray | None:
        present = len(node.input) > i and node.input[i] in values
        return np.asarray(values[node.input[i]], dtype=np.float64) if present else None

    x = value(0)
    layout = int(attrs.get("layout", 0))
    steps = x.shape[1] if layout else x.shape[0]
    b = value(3)
    h0, c0 = value(5), value(6) if cell == "LSTM" else None
    x_max = _peak(x)
    h_max = max(1.0, _peak(h0) if h0 is not None else 0.0)
    c_start = _peak(c0) if c0 is not None else 0.0
    e_s = max((t.bound for t in tables if t.function == "sigmoid"), default=0.0)
    e_t = max((t.bound for t in tables if t.function == "tanh"), default=0.0)
    lbr = bool(int(attrs.get("linear_before_reset", 0)))
    bounds = [0.0, 0.0, 0.0]
    for d in range(w.shape[0]):
        g_w = float(np.abs(w[d]).sum(axis=1).max())
        g_r = float(np.abs(r[d]).sum(axis=1).max())
        new_rows = slice(2 * hidden, 3 * hidden)  # GRU's n gate
        g_wn = float(np.abs(w[d][new_rows]).sum(axis=1).max()) if cell == "GRU" else 0.0
        g_rn = float(np.abs(r[d][new_rows]).sum(axis=1).max()) if cell == "GRU" else 0.0
        rb_n = _peak(b[d][gates * hidden :][new_rows]) if cell == "GRU" and b is not None else 0.0
        e_h, e_cell = e_c, e_c  # the initial states' rounding
        for t in range(steps):
            da = g_w * q_in / 2 + e_c * (features * x_max + hidden * h_max + 2) + g_r * e_h
            if cell == "RNN":
                e_h = da + e_t + cast
            elif cell == "GRU":
                e_gate = da / 4 + e_s
                from_x = g_wn * q_in / 2 + e_c * (features * x_max + 1)
                if lbr:
                    state_part = g_rn * h_max + rb_n
                    e_state = g_rn * e_h + e_c * (hidden * h_max + 1)
                    e_pre = from_x + e_gate * (state_part + e_state) + e_state
                else:
                    e_pre = from_x + g_rn * (e_gate * h_max + e_h + e_gate * e_h) + e_c * (hidden * h_max + 1)
                e_h = max(e_pre + e_t, e_h) + e_gate * (1.0 + h_max) + cast
            else:
                e_gate, e_g = da / 4 + e_s, da + e_t
                e_cell = e_cell + e_gate * (c_start + t) + e_g + e_gate + cast
                e_h = e_cell + e_t + e_gate + cast
        reference = 2.0**-23 * steps * (1.0 + (features + hidden) * max(g_w, g_r) * max(x_max, h_max, 1.0))
        bounds = [max(bounds[0], e_h + reference), max(bounds[1], e_h + reference), max(bounds[2], e_cell + reference)]
    return bounds[: 3 if cell == "LSTM" else 2]


def _node_names(model: onnx.ModelProto) -> list[str]:
    """The names the importer gives the nodes (onnx_importer._unique_node_names)."""
    seen: set[str] = set()
    names = []
    for i, node in enumerate(model.graph.node):
        name = node.name or f"{node.op_type.lower()}_{i}"
        while name in seen:
            name = f"{name}_{i}"
        seen.add(name)
        names.append(name)
    return names


def _softmax_length(loaded: Loaded) -> int:
    """The length of the axis a Softmax node normalises (for its exp table's gain)."""
    for node in loaded.original.graph.node:
        if node.op_type == "Softmax":
            shape = np.asarray(loaded.expected[0]).shape
            opset = _opset(loaded.original)
            axis = int(_attrs(node).get("axis", -1 if opset >= 13 else 1))
            return shape[axis] if opset >= 13 else int(np.prod(shape[axis:]))
    return 1


def _opset(model: onnx.ModelProto) -> int:
    return next((o.version for o in model.opset_import if o.domain in ("", "ai.onnx")), 13)
