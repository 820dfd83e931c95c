"""nn-to-fixed pattern for layer normalisation.

Takes: `nn.layer_norm` whose input is converted (fixed) and whose scale and bias are `nn.constant`s.
Gives: exact fixed ops around one approximated function. With N normalised elements (the input
reshaped to [..., N] first when several axes are normalised), all on the input's integer codes:

    S = reduce_sum(x)              exact
    d = N * x - S                  exact: N (x - mean), N an integer constant
    u = reduce_sum(d * d)          exact: N^3 var (biased variance)
    t = 1 / sqrt(u / N + N^2 eps)  the only approximation: tables (below)
    y = d * t * scale + bias       exact products and sum, then the layer's result cast

since d t = N (x - mean) / (N sqrt(var + eps)). u ranges from 0 to N^3 range(x)^2 / 4 (the largest
variance of values in [min, max]), far too wide for one uniform table to resolve ordinary inputs, so
t is built from segments of u: [0, T) with T about N^3 eps (below it eps dominates and t changes by
less than sqrt(2)), then [T, 4T), [4T, 16T), ... up to u's largest value over the codes x reaches
(the range analysis of what is lowered already: a ReLU'd or `auto` input reaches less than its
type), each a `fixed.lookup` of the same function (`rsqrt`, flat outside its segment; the last one
follows t up to what x's type allows, as steps chosen later may move x a little) with its own
domain, so that every segment has the same relative resolution. A chain of `fixed.select`s on
boundary - u picks the segment. Each lookup has up to the layer's table size of entries (TableSize
bounds one table, as everywhere else): about log4(range(x)^2 / eps) tables, 15 of 1024 entries for
ap_fixed<16,6> and eps = 1e-5 (a segment's relative error is about 1 / entries).

What is exact and what is bounded. S, d, u, the selects' conditions and every product are exact, so
the design computes z = d T(u), T the chain's value, a function of the design's own u; the float
model computes z' = h(d') = d' / sqrt(a |d'|^2 + b), a = 1/N, b = N^2 eps (its tables are t on the
segments that take them). `fixed.mul` recognises this product (dialects/fixed_tables.py:
`Normalization`) and keeps what intervals lose:
- its range: d centres x (sum d = 0), so d_i^2 <= (N - 1)/N u, and over each run of codes of u up
  to e that reads one entry E, |d_i T(u)| <= isqrt((N - 1) e / N) E, in exact integers: about
  sqrt(N - 1) (plus the tables' error), where the corners of d's and t's intervals give N range(x)
  times t(0) = 1 / (N sqrt(eps));
- its error, |z - z'| <= |d (T(u) - t(u))| + |h(d) - h(d')|:
  * the tables: where u falls in table k's segment (up to u_k), |d_i| |T - t| <= sqrt((N - 1)/N u_k)
    times the table's own error; one segment is taken at a time, so the largest over the tables
    (per row of the analysis: the tables' rows stay theirs, and an error budget weighs each
    table's step by sqrt(u_k), which keeps the relative resolution even);
  * the input: h's Jacobian is (I - a d d^T / s^2) / s with s = sqrt(a |d|^2 + b) >= sqrt(b), of
    norm at most 1 / sqrt(b), so |h(d) - h(d')| <= |d - d'|_2 / sqrt(b) <= N |x - x'|_2 / sqrt(b)
    = |x - x'|_2 / sqrt(eps) (d - d' = N (x - x') - sum(x - x') has a 2-norm of at most N |x - x'|_2);
    this is LN's real sensitivity at inputs of near-zero variance, and intervals cannot exclude
    those: over a type's whole range it dominates the bound;
  * in the full bound (not its first-order part, which an error budget weighs), where the model's u
    may pass the last segment's end the model's flat t adds its distance from t there, and the
    whole is at most |z| + |z'| <= the range above plus sqrt((N - 1)/N / a).
Nothing else is bounded: the selects cannot flip between the design and the model's t, whose value
depends on the model's own u alone. With eps = 0 (b = 0) h is not continuous at d = 0: the generic
rules (each op from its operands' bounds, valid but vacuous here) are left to bound it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from xdsl.dialects import func
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
from lowering.ranges import analyze

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
    u: SSAValue, n: int, epsilon: float, low: int, high: int, top: int, settings, layer: str | None, end: int = 0
) -> fixed.LookupOp:
    """t(u) = 1 / sqrt(u / n + n^2 eps) for u's codes in [low, high) (resolved) or up to `end` (the
    last segment: what u's type allows), flat outside."""
    step = 2.0 ** -fixed.format_of(u).frac_bits
    # with eps = 0, t(0) is infinite: the lowest segment stops at one step (u = 0 only when d = 0)
    lo_value = low * step if low > 0 or epsilon > 0 else step
    domain = (low * step, high * step)
    params = (1.0 / n, n * n * epsilon, lo_value, max(high, end) * step)
    return make_lookup(u, "rsqrt", (0, top), domain, settings, layer, params)


def reachable(op: Operation, x: SSAValue) -> tuple[int, int]:
    """The lowest and highest code x reaches, by the range analysis of what is lowered already (an
    `auto` layer's value is still in its exact, widest type: its range is what the layer can give)."""
    function = op.parent_op()
    while function is not None and not isinstance(function, func.FuncOp):
        function = function.parent_op()
    known = analyze(function).get(x) if function is not None else None
    fx = fixed.format_of(x)
    return known.bounds if known is not None else (fx.min_code, fx.max_code)


# --------------------------------------------------------------------------------------------------
# Pattern


@dataclass
class LowerLayerNorm(Lowering):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: nn.LayerNormOp, rewriter: PatternRewriter) -> None:
        x = converted(op.input)
        if x is None:
            return
        lowest, highest = reachable(op, x)
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

        # u <= n^3 (max - min)^2 / 4 in codes of u's step (the variance of values in [min, max]): over
        # x's reachable codes (the tables resolve those), and over its type's (the last table's
        # function holds up to there: steps chosen later may move x a little)
        top = (n**3 * (highest - lowest) ** 2 + 3) // 4
        end = (n**3 * (fx.max_code - fx.min_code) ** 2 + 3) // 4 + 1
        fu = fixed.format_of(u.output)
        bounds = boundaries(n, epsilon, fu.frac_bits, top)
        t = segment_table(u.output, n, epsilon, bounds[0], bounds[1], top, s, layer, end if len(bounds) == 2 else 0)
        ops.append(t)
        chosen: SSAValue = t.output
        below_error = t.max_error((bounds[0], bounds[1] - 1))
        for below, low, high in zip(bounds, bounds[1:-1], bounds[2:]):
            last = high > top
            high = min(high, top + 1)
            upper = segment_table(u.output, n, epsilon, low, high, top, s, layer, end if last else 0)
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
