"""nn-to-fixed pattern for layer normalisation.

Takes: `nn.layer_norm` whose input is converted (fixed) and whose scale and bias are `nn.constant`s.
Gives: exact fixed ops around one approximated function. With N normalised elements (the input
reshaped to [..., N] first when several axes are normalised), all on the input's integer codes:

    S = reduce_sum(x)              exact
    d = N * x - S                  exact: N (x - mean), N an integer constant
    u = reduce_sum(d * d)          exact: N^3 var (biased variance)
    t = 1 / sqrt(u / N + N^2 eps)  the only approximation: tables (below)
    y = d * t * scale + bias       exact products and sum, then the layer's result cast

since d t = N (x - mean) / (N sqrt(var + eps)). u ranges from 0 to N^3 range(x)^2 / 4, far too wide
for one uniform table to resolve ordinary inputs, so t is built from segments of u: [0, T) with T
about N^3 eps (below it eps dominates and t changes by less than sqrt(2)), then [T, 4T), [4T, 16T),
... up to u's proven maximum, each a `fixed.lookup` of the same function (`rsqrt`, flat outside its
segment) with its own domain, so that every segment has the same relative resolution. A chain of
`fixed.select`s on boundary - u picks the segment. Each lookup has up to the layer's table size of
entries (TableSize bounds one table, as everywhere else): about log4(range(x)^2 / eps) tables, 15 of
1024 entries for ap_fixed<16,6> and eps = 1e-5 (a segment's relative error is about 1 / entries).
What is bounded: each table's entries (their error, and the function's slope times u's error, come
through the lookups' ErrorTransfer), and where a select's condition may flip, its gap: both
branches tabulate t near the same u, so |a - b| <= their two table errors plus t's slope times the
distance to the boundary. The error analysis' bound is valid but loose for this layer: intervals do
not know that |d| <= sqrt(u), so a large d meets t's steep slope at small u.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from xdsl.ir import Operation, SSAValue
from xdsl.pattern_rewriter import PatternRewriter, op_type_rewrite_pattern

from dialects import fixed, layout, nn
from dialects.errors import CompileError
from dialects.fixed_tables import max_slope
from dialects.fixedpoint import (
    FixedFormat,
    add_format,
    join_format,
    mul_format,
    sub_format,
)
from lowering.fixed_building import (
    Lowering,
    constant_codes,
    converted,
    finish,
    layer_of,
    make_lookup,
    replace_with_fixed,
)

# --------------------------------------------------------------------------------------------------
# Helpers


def summed(x: SSAValue, n: int, layer: str | None) -> fixed.ReduceSumOp:
    """The exact sum of x's last axis of n elements (kept with size 1)."""
    axis = len(x.type.get_shape()) - 1
    return fixed.ReduceSumOp(x, axis, fixed.ReduceSumOp.bound_format(fixed.format_of(x), n), layer)


def flat_constant(
    value: SSAValue, n: int, spec, settings, width: int, layer: str | None, what: str
) -> fixed.ConstantOp:
    """A scale or bias of the normalised shape as n codes (the layer computes on [..., n])."""
    if not isinstance(value.owner, nn.ConstantOp):
        raise CompileError(f"layer '{layer}': the {what} must be a constant")
    return constant_codes(value.owner.values().reshape(n), spec, settings, width, layer)


def boundaries(n: int, epsilon: float, frac: int, top: int) -> list[int]:
    """Segment boundaries of u in codes (step 2^-frac): 0, T, 4T, 16T, ..., the last above `top`
    (all but 0 powers of two, so that each is a one-bit constant). T is the power of two nearest
    N^3 eps (at least 2 codes), where t has fallen to about t(0) / sqrt(2)."""
    target = n**3 * epsilon * 2.0**frac
    first = 1 << max(1, round(math.log2(target))) if target > 0 else 2
    bounds = [0, first]
    while bounds[-1] <= top:
        bounds.append(bounds[-1] * 4)
    return bounds


def segment_table(
    u: SSAValue, n: int, epsilon: float, low: int, high: int, top: int, settings, layer: str | None
) -> fixed.LookupOp:
    """t(u) = 1 / sqrt(u / n + n^2 eps) for u's codes in [low, high), flat outside."""
    step = 2.0 ** -fixed.format_of(u).frac_bits
    # with eps = 0, t(0) is infinite: the lowest segment stops at one step (u = 0 only when d = 0)
    lo_value = low * step if low > 0 or epsilon > 0 else step
    domain = (low * step, high * step)
    params = (1.0 / n, n * n * epsilon, lo_value, high * step)
    return make_lookup(u, "rsqrt", (0, top), domain, settings, layer, params)


# --------------------------------------------------------------------------------------------------
# Pattern


@dataclass
class LowerLayerNorm(Lowering):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: nn.LayerNormOp, rewriter: PatternRewriter) -> None:
        x = converted(op.input)
        if x is None:
            return
        layer, s = layer_of(op), self.settings(op)
        shape = list(op.input.type.get_shape())
        axes = op.axes.value.data
        n = math.prod(shape[len(shape) - axes :])
        epsilon = op.epsilon.value.data
        ops: list[Operation] = []
        if axes > 1:  # one normalised axis of n elements
            flat = layout.ReshapeOp(x, [*shape[: len(shape) - axes], n], layer)
            ops.append(flat)
            x = flat.output
        fx = fixed.format_of(x)

        total = summed(x, n, layer)
        count = fixed.ConstantOp(np.array(n), FixedFormat(n.bit_length(), n.bit_length(), False), layer)
        scaled = fixed.MulOp(x, count.result, mul_format(fx, fixed.format_of(count.result)), layer)
        fs, ft = fixed.format_of(scaled.output), fixed.format_of(total.output)
        d = fixed.SubOp(scaled.output, total.output, sub_format(fs, ft), layer)
        fd = fixed.format_of(d.output)
        square = fixed.MulOp(d.output, d.output, mul_format(fd, fd), layer)
        u = summed(square.output, n, layer)
        ops += [total, count, scaled, d, square, u]

        # u <= n^3 (max - min)^2 / 4 in codes of u's step (the variance of values in [min, max])
        span = fx.max_code - fx.min_code
        top = (n**3 * span * span + 3) // 4
        fu = fixed.format_of(u.output)
        bounds = boundaries(n, epsilon, fu.frac_bits, top)
        t = segment_table(u.output, n, epsilon, bounds[0], bounds[1], top, s, layer)
        ops.append(t)
        chosen: SSAValue = t.output
        below_error = t.max_error((bounds[0], bounds[1] - 1))
        for below, low, high in zip(bounds, bounds[1:-1], bounds[2:]):
            high = min(high, top + 1)
            upper = segment_table(u.output, n, epsilon, low, high, top, s, layer)
            # low - u > 0 <=> u < low: the lower segments below it. low is a power of two: one bit
            power = low.bit_length() - 1
            edge = fixed.ConstantOp(np.array(1), FixedFormat(1, power - fu.frac_bits + 1, False), layer)
            cond = fixed.SubOp(edge.result, u.output, sub_format(fixed.format_of(edge.result), fu), layer)
            error = upper.max_error((low, high - 1))
            # both branches tabulate t near the boundary: their entries' errors, plus t's change
            # over the distance to it (t's slope is largest at the lower segment's start)
            slope = max_slope("rsqrt", (1.0 / n, n * n * epsilon, 0.0, math.inf), float(below * fu.step), math.inf)
            fmt = join_format(fixed.format_of(upper.output), fixed.format_of(chosen))
            select = fixed.SelectOp(cond.output, chosen, upper.output, fmt, layer, (below_error + error, slope))
            ops += [upper, edge, cond, select]
            chosen, below_error = select.output, max(below_error, error)

        normalized = fixed.MulOp(d.output, chosen, mul_format(fd, fixed.format_of(chosen)), layer)
        ops.append(normalized)
        scale = flat_constant(op.scale, n, s.weight, s, self.default_width(), layer, "scale")
        fy = fixed.format_of(normalized.output)
        weighted = fixed.MulOp(normalized.output, scale.result, mul_format(fy, fixed.format_of(scale.result)), layer)
        ops += [scale, weighted]
        result: SSAValue = weighted.output
        if op.bias is not None:
            bias = flat_constant(op.bias, n, s.bias, s, self.default_width(), layer, "bias")
            fw = fixed.format_of(weighted.output)
            shifted = fixed.AddOp(weighted.output, bias.result, add_format(fw, fixed.format_of(bias.result)), layer)
            ops += [bias, shifted]
            result = shifted.output
        if axes > 1:
            back = layout.ReshapeOp(result, shape, layer)
            ops.append(back)
            result = back.output
        replace_with_fixed(rewriter, op, [*ops, *finish(result, s.result, layer)])
