"""The fixed ops of the activations with exact parts, built in one place for nn-to-fixed's patterns
(lowering/nn_to_fixed_layers.py) and for the cells of recurrent layers
(lowering/nn_to_fixed_recurrent.py).

Each builder takes a converted (fixed) value and gives the ops computing the activation of it, the
last one's result being the activation, before any layer cast:
- leaky relu: select(x, x, alpha x); thresholded relu: select(x - alpha, x, value or 0);
- hard sigmoid: clamp(alpha x + beta, 0, 1); affine: alpha x + beta (exact products and sums);
- elu / selu / softplus: the linear branch exactly and the curved one as a table, joined by select;
- scaled tanh: alpha tanh(beta x) (a tanh table between exact products).
Where a select's condition decides, its `gap` bounds what the float model's branches differ by.
`CELL_BUILDERS` gives, by the name a recurrent cell's activation has (dialects/nn_recurrent.py),
the builder taking the cell's per-activation (alpha, beta).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
from xdsl.dialects.builtin import FloatAttr, f64
from xdsl.ir import Operation, SSAValue

from dialects import fixed
from dialects.fixed_tables import SOFTPLUS_LINEAR
from dialects.fixedpoint import FixedFormat, add_format, format_for_codes, join_format, mul_format, sub_format
from lowering.fixed_building import LayerSettings, constant_codes, make_lookup
from lowering.precision import AUTO_TABLE_WIDTH
from lowering.tables import DOMAINS

Ops = list[Operation]


def scalar(value: float, settings: LayerSettings, width: int, layer: str | None) -> fixed.ConstantOp:
    """A scalar constant (a slope, a scale) in the weight precision, or its narrowest auto type."""
    return constant_codes(np.array(value, dtype=np.float64), settings.weight, settings, width, layer)


def code_at(value: float, fmt: FixedFormat, rounding) -> int:
    """The code of `value` in `fmt`'s step, rounded with `rounding` (math.floor / math.ceil)."""
    return int(rounding(value * 2.0**fmt.frac_bits))


def holding(fmt: FixedFormat, code: int) -> FixedFormat:
    """A format of `fmt`'s step holding `code`."""
    return format_for_codes(min(code, 0), max(code, 0), fmt.frac_bits)


def select_linear(
    cond: SSAValue, positive: SSAValue, negative: SSAValue, layer, gap: tuple[float, float]
) -> fixed.SelectOp:
    """cond > 0 ? positive : negative, exactly; `gap` bounds the float branches' difference where the
    float condition decides (fixed.select)."""
    fmt = join_format(fixed.format_of(positive), fixed.format_of(negative))
    return fixed.SelectOp(cond, positive, negative, fmt, layer, gap)


def _times(x: SSAValue, factor: fixed.ConstantOp, layer) -> fixed.MulOp:
    return fixed.MulOp(x, factor.result, mul_format(fixed.format_of(x), fixed.format_of(factor.result)), layer)


def leaky_relu(x: SSAValue, alpha: float, s: LayerSettings, width: int, layer) -> Ops:
    slope = scalar(alpha, s, width, layer)
    scaled = _times(x, slope, layer)
    # x - slope x = (1 - slope) x: continuous where x decides
    return [slope, scaled, select_linear(x, x, scaled.output, layer, (0.0, abs(1.0 - alpha)))]


def thresholded_relu(x: SSAValue, alpha: float, value: float, s: LayerSettings, width: int, layer) -> Ops:
    """x > alpha ? x : value (torch's Threshold; 0 for ONNX's ThresholdedRelu)."""
    fx = fixed.format_of(x)
    code = code_at(alpha, fx, math.floor)  # x > alpha <=> x > floor(alpha) on x's grid
    threshold = fixed.ConstantOp(  # a scalar: broadcasts to any rank
        np.array(code), holding(fx, code), layer, error=alpha - math.ldexp(code, -fx.frac_bits)
    )
    diff = fixed.SubOp(x, threshold.result, sub_format(fx, fixed.format_of(threshold.result)), layer)
    if value == 0.0:
        below = fixed.ConstantOp(np.array(0), FixedFormat(1, 1 - fx.frac_bits, False), layer)
    else:  # the value in the bias precision
        below = constant_codes(np.array(value), s.bias, s, width, layer)
    # where x - alpha decides, x jumps from `value` by alpha - value
    return [threshold, diff, below, select_linear(diff.output, x, below.result, layer, (abs(alpha - value), 1.0))]


def affine(x: SSAValue, alpha: float, beta: float, s: LayerSettings, width: int, layer) -> Ops:
    """alpha x + beta: alpha in the weight precision, beta in the bias precision."""
    scale = scalar(alpha, s, width, layer)
    shift = constant_codes(np.array(beta), s.bias, s, width, layer)
    scaled = _times(x, scale, layer)
    fs = fixed.format_of(scaled.output)
    shifted = fixed.AddOp(scaled.output, shift.result, add_format(fs, fixed.format_of(shift.result)), layer)
    return [scale, shift, scaled, shifted]


def hard_sigmoid(x: SSAValue, alpha: float, beta: float, s: LayerSettings, width: int, layer) -> Ops:
    """clamp(alpha x + beta, 0, 1)."""
    ops = affine(x, alpha, beta, s, width, layer)
    fa = fixed.format_of(ops[-1].results[0])
    one = 1 << fa.frac_bits
    clamp = fixed.ClampOp(ops[-1].results[0], 0, min(one, fa.max_code), fa, layer)
    if one > fa.max_code:  # 1 is beyond the type: the clamp stops a step short
        clamp.properties["bound_error"] = FloatAttr(math.ldexp(one - fa.max_code, -fa.frac_bits), f64)
    return [*ops, clamp]


def smooth(x: SSAValue, name: str, params: Sequence[float], s: LayerSettings, width: int, layer) -> Ops:
    """elu(alpha), selu(alpha, gamma), softplus: select(x > bound, exact linear part, table)."""
    fx = fixed.format_of(x)
    floor = math.log(2.0 ** -(AUTO_TABLE_WIDTH - 2))
    if name == "softplus":
        bound = SOFTPLUS_LINEAR  # softplus(x) = x to within 2^-23 beyond; the table stops there
        table = make_lookup(x, name, (fx.min_code, fx.max_code), (floor, bound), s, layer)
        code = code_at(bound, fx, math.floor)
        limit = fixed.ConstantOp(np.array(code), holding(fx, code), layer)
        cond = fixed.SubOp(x, limit.result, sub_format(fx, fixed.format_of(limit.result)), layer)
        # softplus(16) - 16 < 2^-23, and both branches have slope <= 1
        return [table, limit, cond, select_linear(cond.output, x, table.output, layer, (2.0**-22, 2.0))]
    params = tuple(params)
    scale = params[1] if name == "selu" else 1.0
    # only x <= 0 reaches the table's values (the select takes the linear branch above 0)
    table = make_lookup(x, name, (fx.min_code, fx.max_code), (floor, 2.0**-fx.frac_bits), s, layer, params)
    ops: Ops = []
    positive: SSAValue = x
    if name == "selu":
        gamma = scalar(scale, s, width, layer)
        scaled = _times(x, gamma, layer)
        ops += [gamma, scaled]
        positive = scaled.output
    # both branches are 0 at 0, with slopes <= scale and |alpha| scale
    gap = (0.0, scale * (1.0 + abs(params[0])))
    return [*ops, table, select_linear(x, positive, table.output, layer, gap)]


def table(x: SSAValue, name: str, s: LayerSettings, layer) -> Ops:
    """sigmoid or tanh as a table over x's codes."""
    fx = fixed.format_of(x)
    return [make_lookup(x, name, (fx.min_code, fx.max_code), DOMAINS[name], s, layer)]


def scaled_tanh(x: SSAValue, alpha: float, beta: float, s: LayerSettings, width: int, layer) -> Ops:
    """alpha tanh(beta x)."""
    inner = scalar(beta, s, width, layer)
    scaled = _times(x, inner, layer)
    (curve,) = table(scaled.output, "tanh", s, layer)
    outer = scalar(alpha, s, width, layer)
    return [inner, scaled, curve, outer, _times(curve.output, outer, layer)]


Builder = Callable[[SSAValue, float, float, LayerSettings, int, str | None], Ops]

# a recurrent cell's activation by name, with its (alpha, beta)
CELL_BUILDERS: dict[str, Builder] = {
    "sigmoid": lambda x, a, b, s, w, layer: table(x, "sigmoid", s, layer),
    "tanh": lambda x, a, b, s, w, layer: table(x, "tanh", s, layer),
    "relu": lambda x, a, b, s, w, layer: [fixed.ReluOp(x, layer)],
    "hard_sigmoid": hard_sigmoid,
    "leaky_relu": lambda x, a, b, s, w, layer: leaky_relu(x, a, s, w, layer),
    "thresholded_relu": lambda x, a, b, s, w, layer: thresholded_relu(x, a, 0.0, s, w, layer),
    "affine": affine,
    "scaled_tanh": scaled_tanh,
    "elu": lambda x, a, b, s, w, layer: smooth(x, "elu", (a,), s, w, layer),
    "softplus": lambda x, a, b, s, w, layer: smooth(x, "softplus", (), s, w, layer),
}
