"""nn-to-fixed for quantizers (`nn.quant`): the model's own types, kept exactly.

A quantizer whose scale is one power of two 2^-F, with no affine pre-step and a rounding mode that
`ap_fixed` has, IS a fixed-point type: its values are codes of step 2^-F in [lo - z, hi - z]. It
becomes `fixed.cast` into the narrowest such type with the quantizer's rounding and saturation (or
wrapping, for a quantizer marked `wrap`: HGQ's and hls4ml's WRAP), then
`fixed.clamp` where the integer range is not a whole type's (narrow ranges, zero points). An
unbounded quantizer (a `Trunc` step) becomes a cast that cannot overflow.

Every other quantizer (a batch norm or scaling folded in front, per-channel or non-power-of-two
scales, CEIL/UP rounding, bipolar) is a monotone step function of its input's codes: it becomes a
`fixed.threshold` whose thresholds are found by evaluating the quantizer at the input's own codes
(binary search per level and channel), so the integer it picks is exact for every input. Its values
are exact when every scale is a power of two; otherwise they are rounded to the model default's
width and the op records the error (the report lists it: such a design is not bit-exact).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from xdsl.dialects.builtin import UnitAttr
from xdsl.ir import Operation, SSAValue
from xdsl.pattern_rewriter import PatternRewriter, op_type_rewrite_pattern

from dialects import fixed, nn
from dialects.errors import CompileError
from dialects.fixedpoint import FixedFormat, Overflow, Rounding, format_for_codes
from dialects.nn_quant import round_values
from lowering.fixed_building import Lowering, converted, layer_of, replace_with_fixed
from lowering.precision import auto_format

AP_ROUNDING = {
    "ROUND": Rounding.RND_CONV,
    "HALF_EVEN": Rounding.RND_CONV,
    "FLOOR": Rounding.TRN,
    "DOWN": Rounding.TRN_ZERO,
    "HALF_UP": Rounding.RND_INF,
    "HALF_DOWN": Rounding.RND_ZERO,
    "HALF_POSITIVE": Rounding.RND,
}
MAX_THRESHOLD_BITS = 16  # a threshold table has 2^bits - 1 comparisons per channel
MAX_INPUT_WIDTH = 52  # input codes are evaluated exactly in float64


def power_of_two_exponent(value: float) -> int | None:
    mantissa, exponent = math.frexp(value)
    return exponent - 1 if mantissa == 0.5 else None


def cast_target(op: nn.QuantOp) -> tuple[FixedFormat | None, int, int, Rounding] | None:
    """For a quantizer that is a fixed-point type: (format or None if unbounded, low code, high
    code, rounding). None when it needs a threshold table."""
    scales, zero_points = op.scales(), op.zero_points()
    if op.pre() is not None or scales.size != 1 or zero_points.size != 1 or op.is_bipolar:
        return None
    exponent = power_of_two_exponent(float(scales[0]))
    rounding = AP_ROUNDING.get(op.rounding.data)
    if exponent is None or rounding is None:
        return None
    frac = -exponent
    bounds = op.integer_range()
    if bounds is None:
        return None, 0, 0, rounding
    z = int(zero_points[0])
    lo, hi = bounds[0] - z, bounds[1] - z
    return format_for_codes(lo, hi, frac), lo, hi, rounding


def unbounded_format(x: FixedFormat, frac: int) -> FixedFormat:
    """A type of step 2^-frac that holds every value of `x` rounded to that step (one carry bit)."""
    int_bits = max(x.int_bits + 1, 2 - frac)
    return FixedFormat(int_bits + frac, int_bits, x.signed)


def cast_ops(op: nn.QuantOp, x: SSAValue, target) -> list[Operation]:
    fmt, lo, hi, rounding = target
    layer = layer_of(op)
    if fmt is None:
        frac = -power_of_two_exponent(float(op.scales()[0]))
        return [
            fixed.CastOp(x, unbounded_format(fixed.format_of(x), frac), rounding, Overflow.WRAP, layer).as_quantizer()
        ]
    ops: list[Operation] = []
    if fixed.format_of(x) != fmt:
        overflow = Overflow.WRAP if op.wrap is not None else Overflow.SAT
        ops.append(fixed.CastOp(x, fmt, rounding, overflow, layer).as_quantizer())
    if (lo, hi) != (fmt.min_code, fmt.max_code):
        clamp = fixed.ClampOp(ops[-1].results[0] if ops else x, lo, hi, fmt, layer)
        clamp.properties["quantizer"] = UnitAttr()
        ops.append(clamp)
    return ops


# --------------------------------------------------------------------------------------------------
# Threshold tables


def per_channel(values: np.ndarray, channels: int) -> np.ndarray:
    return np.broadcast_to(values, (channels,)).astype(np.float64)


@dataclass
class StepFunction:
    """A quantizer as integer levels of its input's codes, per channel."""

    op: nn.QuantOp
    x: FixedFormat
    channels: int

    def __post_init__(self) -> None:
        op, c = self.op, self.channels
        pre = op.pre()
        self.a = per_channel(pre[0], c) if pre else np.ones(c)
        self.b = per_channel(pre[1], c) if pre else np.zeros(c)
        self.scale = per_channel(op.scales(), c)
        self.zero = per_channel(op.zero_points(), c)
        lo, hi = op.integer_range()
        self.levels = np.array([-1, 1]) if op.is_bipolar else np.arange(lo, hi + 1)

    def level(self, codes: np.ndarray, channel: np.ndarray) -> np.ndarray:
        """The integer the quantizer picks for input `codes` of `channel` (arrays of one shape)."""
        v = codes.astype(np.float64) * 2.0**-self.x.frac_bits
        y = (v * self.a[channel] + self.b[channel]) / self.scale[channel] + self.zero[channel]
        if self.op.is_bipolar:
            return np.where(y >= 0, 1, -1)
        lo, hi = self.levels[0], self.levels[-1]
        return round_values(np.clip(y, lo, hi), self.op.rounding.data).astype(np.int64)

    def thresholds(self) -> tuple[np.ndarray, np.ndarray]:
        """Thresholds [C, L] (codes; max_code + 1 where a level is never reached) and the level
        [C, L + 1] selected by each count of thresholds reached."""
        c, n = self.channels, self.levels.size
        rising = (self.a / self.scale) >= 0  # a constant channel (a == 0) never reaches a threshold
        order = np.where(rising[:, None], self.levels[None, :], self.levels[::-1][None, :])  # [C, n]
        channel = np.repeat(np.arange(c)[:, None], n - 1, axis=1)
        target = order[:, 1:]  # threshold j: the first code whose level has passed target j
        left = np.full(target.shape, self.x.min_code, dtype=np.int64)
        right = np.full(target.shape, self.x.max_code + 1, dtype=np.int64)
        while (left < right).any():
            mid = (left + right) // 2
            got = self.level(mid, channel)
            reached = np.where(rising[:, None], got >= target, got <= target)
            right = np.where(reached, mid, right)
            left = np.where(reached, left, mid + 1)
        constant = (self.a == 0)[:, None]
        left = np.where(constant, self.x.max_code + 1, left)
        start = self.level(np.full((c, 1), self.x.min_code, dtype=np.int64), np.arange(c)[:, None])
        order = np.where(constant, start, order)
        return left, order

    def values(self, levels: np.ndarray) -> np.ndarray:
        return (levels - self.zero[:, None]) * self.scale[:, None]


def prune(thresholds: np.ndarray, levels: np.ndarray, fmt: FixedFormat) -> tuple[np.ndarray, np.ndarray]:
    """Drop thresholds that every channel always reaches (a prefix) or never reaches (a suffix)."""
    always = (thresholds <= fmt.min_code).all(axis=0)
    never = (thresholds > fmt.max_code).all(axis=0)
    first = int(np.argmin(always)) if not always.all() else thresholds.shape[1]
    last = thresholds.shape[1] - (int(np.argmin(never[::-1])) if not never.all() else thresholds.shape[1])
    last = max(last, first)
    return thresholds[:, first:last], levels[:, first : last + 1]


def threshold_op(op: nn.QuantOp, x: SSAValue, default_width: int) -> fixed.ThresholdOp:
    fx = fixed.format_of(x)
    layer = layer_of(op)
    where = f"layer '{layer}'" if layer else "nn.quant"
    bounds = op.integer_range()
    if bounds is None:
        raise CompileError(f"{where}: an unbounded quantizer (Trunc) needs a single power-of-two scale")
    if op.bit_width > MAX_THRESHOLD_BITS:
        raise CompileError(
            f"{where}: a {op.bit_width}-bit quantizer with this scale or pre-step would need "
            f"2^{op.bit_width} thresholds per channel (at most {MAX_THRESHOLD_BITS} bits)"
        )
    if fx.width > MAX_INPUT_WIDTH:
        raise CompileError(f"{where}: the quantizer's input type {fx} is wider than {MAX_INPUT_WIDTH} bits")
    shape = op.input.type.get_shape()
    sizes = [op.scales().size, op.zero_points().size, *(a.size for a in (op.pre() or ()))]
    channels = shape[-1] if max(sizes) > 1 else 1
    step = StepFunction(op, fx, channels)
    thresholds, levels = prune(*step.thresholds(), fx)
    values = step.values(levels)
    exponents = [power_of_two_exponent(float(s)) for s in step.scale]
    if all(e is not None for e in exponents):
        frac = -min(exponents)
        codes = np.round(values * 2.0**frac).astype(np.int64)
        out = format_for_codes(int(codes.min()), int(codes.max()), frac)
        return fixed.ThresholdOp(x, thresholds, codes, out, layer)
    out, codes = auto_format(values, default_width)
    error = float(np.max(np.abs(codes * 2.0**-out.frac_bits - values)))
    return fixed.ThresholdOp(x, thresholds, codes, out, layer, error)


@dataclass
class LowerQuant(Lowering):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: nn.QuantOp, rewriter: PatternRewriter) -> None:
        x = converted(op.input)
        if x is None:
            return
        target = cast_target(op)
        if target is not None:
            ops = cast_ops(op, x, target)
            if not ops:  # already in the quantizer's type (a quantized input)
                rewriter.replace(op, [], [op.input])
                return
        elif op.wrap is not None:
            raise CompileError(
                f"layer '{layer_of(op)}': a wrapping quantizer needs one power-of-two scale and a rounding "
                "ap_fixed has (a threshold table cannot wrap)"
            )
        else:
            ops = [threshold_op(op, x, self.default_width())]
        replace_with_fixed(rewriter, op, ops)


OVERFLOW = {"SAT": Overflow.SAT, "SAT_SYM": Overflow.SAT_SYM, "WRAP": Overflow.WRAP}


def fixed_quant_modes(op: nn.FixedQuantOp) -> tuple[Rounding, Overflow]:
    rounding = AP_ROUNDING.get(op.rounding.data)
    if rounding is None:
        raise CompileError(
            f"layer '{layer_of(op)}': rounding {op.rounding.data} has no ap_fixed mode ({', '.join(AP_ROUNDING)})"
        )
    return rounding, OVERFLOW[op.overflow.data]


@dataclass
class LowerFixedQuant(Lowering):
    """nn.fixed_quant -> fixed.cast_each with its element types and modes (exact: every element's
    own ap_fixed assignment)."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: nn.FixedQuantOp, rewriter: PatternRewriter) -> None:
        x = converted(op.input)
        if x is None:
            return
        cast = fixed.CastEachOp(x, op.element_types(), *fixed_quant_modes(op), layer_of(op)).as_quantizer()
        replace_with_fixed(rewriter, op, [cast])


def host_type(op: nn.QuantOp | nn.FixedQuantOp) -> tuple[FixedFormat, Rounding, Overflow] | None:
    """The type, rounding and overflow a float argument read only by the quantizer `op` is quantized
    with so that `op` then gives exactly what it gives on the float value, or None if there is none.
    For an nn.fixed_quant: its common type, with its modes when every element has the same step;
    else one step finer, truncated (TRN, then TRN or RND to a coarser step, rounds as directly
    would: a tie of the coarser step lies on the finer grid)."""
    if isinstance(op, nn.FixedQuantOp):
        types = op.element_types()
        rounding, overflow = fixed_quant_modes(op)
        common = types.common()
        overflow = Overflow.WRAP if overflow == Overflow.WRAP else Overflow.SAT
        steps = {f.frac_bits for f in types.formats() if f is not None}
        if len(steps) <= 1:
            return common, rounding, overflow
        if rounding not in (Rounding.TRN, Rounding.RND):
            return None
        return FixedFormat(common.width + 1, common.int_bits, common.signed), Rounding.TRN, overflow
    target = cast_target(op)
    if target is None or target[0] is None:
        return None
    return target[0], target[3], Overflow.WRAP if op.wrap is not None else Overflow.SAT


def input_quantizer(uses) -> tuple[FixedFormat, Rounding, Overflow] | None:
    """The type a float argument is quantized to when every use is the same exact quantizer
    (`host_type`), so that no second rounding follows."""
    targets = set()
    for use in uses:
        if not isinstance(use.operation, (nn.QuantOp, nn.FixedQuantOp)):
            return None
        target = host_type(use.operation)
        if target is None:
            return None
        targets.add(target)
    return targets.pop() if len(targets) == 1 else None
