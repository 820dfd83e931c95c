"""Exact interval analysis of fixed-point IR: the reachable codes of every element of every tensor.

`analyze(function)` walks a `func.func` (fixed or dataflow level, into kernels) forward and gives,
for each SSA value, a `CodeRange`: per-element integer bounds [lo, hi] on the codes at a given number
of fraction bits. The inputs range over their quantised type; constants are their codes; a dense
layer's bounds come from the real weights: hi[j] = b[j] + sum_i max(w[i,j] * lo[i], w[i,j] * hi[i])
(and likewise lo), which is the exact extremum of the MAC over the input box. Casts apply their
rounding and overflow modes to the bounds; tables map them through the reachable entries.

Two facts about the stable softmax are used, since intervals alone cannot see them:
x - reduce_max(x) <= 0, and a sum of a non-decreasing table of those differences includes the
entry at 0 (the maximum's own term), so the reciprocal table only sees sums >= that entry.

`transfer` exposes the per-op rule so that a pass can re-type an op and then continue the walk
(infer-bitwidths does).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from xdsl.dialects import func
from xdsl.dialects.builtin import TensorType
from xdsl.ir import Operation, SSAValue

from dialects import dataflow, fixed, layout
from dialects.fixed_tables import threshold_counts
from dialects.fixedpoint import (
    FixedFormat,
    Overflow,
    Rounding,
    cast_codes,
    format_for_codes,
)
from dialects.layer import ints
from lowering.tables import lookup_index


@dataclass
class CodeRange:
    """Per-element bounds on codes with `frac` fraction bits (value = code * 2^-frac). The arrays
    broadcast to the value's shape: a range that is the same for all positions (an input's, a
    convolution's per channel) keeps size-1 axes, so large images cost nothing to analyse."""

    lo: np.ndarray
    hi: np.ndarray
    frac: int

    @staticmethod
    def full(shape: tuple[int, ...], fmt: FixedFormat) -> CodeRange:
        """Everything `fmt` holds, for every element (kept compact: one entry broadcast)."""
        ones = (1,) * len(shape)
        return CodeRange(
            np.full(ones, fmt.min_code, dtype=object), np.full(ones, fmt.max_code, dtype=object), fmt.frac_bits
        )

    def expanded(self, shape: tuple[int, ...]) -> CodeRange:
        """The bounds with one entry per element (ranges may be kept broadcastable to the shape)."""
        return CodeRange(
            np.broadcast_to(self.lo, shape).astype(object), np.broadcast_to(self.hi, shape).astype(object), self.frac
        )

    @staticmethod
    def exact(codes: np.ndarray, frac: int) -> CodeRange:
        codes = np.asarray(codes).astype(object)
        return CodeRange(codes, codes.copy(), frac)

    def at_frac(self, frac: int) -> CodeRange:
        """The same bounds with more fraction bits (exact)."""
        if frac < self.frac:
            raise ValueError("ranges only gain fraction bits exactly")
        scale = 1 << (frac - self.frac)
        return CodeRange(self.lo * scale, self.hi * scale, frac)

    @property
    def bounds(self) -> tuple[int, int]:
        return int(np.min(self.lo)), int(np.max(self.hi))

    def values(self) -> tuple[Fraction, Fraction]:
        lo, hi = self.bounds
        step = Fraction(2) ** -self.frac
        return lo * step, hi * step

    def format(self) -> FixedFormat:
        """The narrowest format holding every reachable value at this step."""
        return format_for_codes(*self.bounds, self.frac)


def _align(a: CodeRange, b: CodeRange) -> tuple[CodeRange, CodeRange, int]:
    frac = max(a.frac, b.frac)
    return a.at_frac(frac), b.at_frac(frac), frac


def _broadcast(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return np.broadcast_arrays(a, b)


def rounded(r: CodeRange, src: FixedFormat, dst: FixedFormat, rounding: Rounding) -> tuple[np.ndarray, np.ndarray]:
    """Per-element bounds rounded into dst's step (no overflow handling): rounding is monotone, so
    the rounded bounds bound the rounded values."""
    magnitude = max(abs(int(np.min(r.lo))), abs(int(np.max(r.hi))), 1).bit_length() + 1
    source = FixedFormat(max(src.width, magnitude), max(src.width, magnitude) - r.frac, True)
    bits = magnitude + max(0, dst.frac_bits - r.frac) + 2
    wide = FixedFormat(bits, bits - dst.frac_bits, True)
    lo = np.asarray(cast_codes(r.lo, source, wide, rounding, Overflow.WRAP)).astype(object)
    hi = np.asarray(cast_codes(r.hi, source, wide, rounding, Overflow.WRAP)).astype(object)
    return lo, hi


def cast_range(r: CodeRange, src: FixedFormat, dst: FixedFormat, rounding: Rounding, overflow: Overflow) -> CodeRange:
    """Bounds after a cast with its rounding and overflow modes."""
    lo, hi = rounded(r, src, dst, rounding)
    below, above = lo < dst.min_code, hi > dst.max_code
    if overflow == Overflow.WRAP:
        spill = below | above
        lo = np.where(spill, dst.min_code, lo)
        hi = np.where(spill, dst.max_code, hi)
    elif overflow in (Overflow.SAT, Overflow.SAT_SYM):
        low = -dst.max_code if (overflow == Overflow.SAT_SYM and dst.signed) else dst.min_code
        lo = np.minimum(np.maximum(lo, low), dst.max_code)
        hi = np.maximum(np.minimum(hi, dst.max_code), low)
    else:  # SAT_ZERO: values outside become 0
        spill = below | above
        in_lo = np.maximum(lo, dst.min_code)
        in_hi = np.minimum(hi, dst.max_code)
        empty = in_lo > in_hi
        lo = np.where(spill, np.minimum(np.where(empty, 0, in_lo), 0), in_lo)
        hi = np.where(spill, np.maximum(np.where(empty, 0, in_hi), 0), in_hi)
    return CodeRange(lo.astype(object), hi.astype(object), dst.frac_bits)


# --------------------------------------------------------------------------------------------------
# Per-op transfer functions: (op, input ranges) -> result range


def _bilinear_ints(x: CodeRange, weights: np.ndarray, terms: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """x's bounds and the weights as int64 when every sum of products fits, else Python ints."""
    x_bits = max(abs(int(np.min(x.lo))), abs(int(np.max(x.hi))), 1).bit_length()
    w_bits = max(abs(int(np.min(weights))), abs(int(np.max(weights))), 1).bit_length() if weights.size else 1
    dtype = np.int64 if x_bits + w_bits + max(terms, 1).bit_length() + 1 <= 62 else object
    return x.lo.astype(dtype), x.hi.astype(dtype), weights.astype(dtype)


def _dense(op: fixed.DenseOp, x: CodeRange, w: CodeRange, b: CodeRange | None) -> CodeRange:
    frac = fixed.format_of(op.output).frac_bits
    x = x.expanded(tuple(op.input.type.get_shape()))
    x_lo, x_hi, weights = _bilinear_ints(x, w.lo, op.weight.type.get_shape()[0])  # constant: lo == hi
    positive, negative = np.maximum(weights, 0), np.minimum(weights, 0)
    hi = (x_hi @ positive + x_lo @ negative).astype(object)
    lo = (x_lo @ positive + x_hi @ negative).astype(object)
    out = CodeRange(lo, hi, x.frac + w.frac).at_frac(frac)
    if b is not None:
        bias = b.at_frac(frac)
        out = CodeRange(out.lo + bias.lo, out.hi + bias.hi, frac)
    return out


def _binary(op: fixed.BinaryOp, a: CodeRange, b: CodeRange) -> CodeRange:
    if isinstance(op, fixed.MulOp):
        a_lo, b_lo = _broadcast(a.lo, b.lo)
        a_hi, b_hi = _broadcast(a.hi, b.hi)
        products = np.stack([a_lo * b_lo, a_lo * b_hi, a_hi * b_lo, a_hi * b_hi])
        return CodeRange(products.min(axis=0), products.max(axis=0), a.frac + b.frac)
    a, b, frac = _align(a, b)
    if isinstance(op, fixed.AddOp):
        lo, hi = a.lo + b.lo, a.hi + b.hi
    else:
        lo, hi = a.lo - b.hi, a.hi - b.lo
        if _is_minus_own_max(op):
            hi = np.minimum(hi, 0)
    return CodeRange(np.asarray(lo, dtype=object), np.asarray(hi, dtype=object), frac)


def _is_minus_own_max(op: Operation) -> bool:
    """sub(x, reduce_max(x)): every element is <= 0."""
    if not isinstance(op, fixed.SubOp):
        return False
    peak = op.rhs.owner
    return isinstance(peak, fixed.ReduceMaxOp) and peak.input == op.lhs


def _reduce(op: fixed.ReduceOp, x: CodeRange, ranges: dict[SSAValue, CodeRange]) -> CodeRange:
    axis = op.axis.value.data
    x = x.expanded(tuple(op.input.type.get_shape()))
    if isinstance(op, fixed.ReduceMaxOp):
        return CodeRange(x.lo.max(axis=axis, keepdims=True), x.hi.max(axis=axis, keepdims=True), x.frac)
    lo, hi = x.lo.sum(axis=axis, keepdims=True), x.hi.sum(axis=axis, keepdims=True)
    floor = _softmax_sum_floor(op, x)
    if floor is not None:
        lo = np.maximum(lo, floor)
    return CodeRange(lo, hi, x.frac)


def _softmax_sum_floor(op: fixed.ReduceSumOp, x: CodeRange) -> np.ndarray | None:
    """sum_i table(x_i - max x) >= table(0) + sum of the other terms' lower bounds."""
    lookup = op.input.owner
    if not isinstance(lookup, fixed.LookupOp) or not _is_minus_own_max(lookup.input.owner):
        return None
    table = lookup.table_codes()
    if np.any(np.diff(table) < 0):
        return None
    at_zero = int(
        table[
            lookup_index(
                np.array([0]), fixed.format_of(lookup.input), lookup.offset.value.data, lookup.index_type.format
            )[0]
        ]
    )
    axis = op.axis.value.data
    others = x.lo.sum(axis=axis, keepdims=True) - x.lo.max(axis=axis, keepdims=True)
    return others + at_zero


def _lookup(op: fixed.LookupOp, x: CodeRange) -> CodeRange:
    fmt = fixed.format_of(op.input)
    offset, index = op.offset.value.data, op.index_type.format
    first = lookup_index(x.lo, fmt, offset, index)
    last = lookup_index(x.hi, fmt, offset, index)
    table = op.table_codes()
    lo = np.empty(first.shape, dtype=object)
    hi = np.empty(first.shape, dtype=object)
    for pos in np.ndindex(first.shape):
        entries = table[first[pos] : last[pos] + 1]
        lo[pos], hi[pos] = int(entries.min()), int(entries.max())
    return CodeRange(lo, hi, fixed.format_of(op.output).frac_bits)


def transfer(op: Operation, ranges: dict[SSAValue, CodeRange]) -> list[CodeRange] | None:
    """The result ranges of one op from its operands' (None for ops without fixed results)."""
    args = [ranges.get(v) for v in op.operands]
    if isinstance(op, fixed.ConstantOp):
        return [CodeRange.exact(op.values(), fixed.format_of(op.result).frac_bits)]
    if isinstance(op, fixed.QuantizeOp):
        return [CodeRange.full(tuple(op.output.type.get_shape()), fixed.format_of(op.output))]
    if isinstance(op, fixed.CastOp):
        return [cast_range(args[0], fixed.format_of(op.input), fixed.format_of(op.output), *op.modes)]
    if isinstance(op, fixed.DenseOp):
        return [_dense(op, args[0], args[1], args[2] if op.bias is not None else None)]
    if isinstance(op, fixed.BinaryOp):
        return [_binary(op, args[0], args[1])]
    if isinstance(op, fixed.ReluOp):
        x = args[0]
        return [CodeRange(np.maximum(x.lo, 0), np.maximum(x.hi, 0), x.frac)]
    if isinstance(op, fixed.ReduceOp):
        return [_reduce(op, args[0], ranges)]
    if isinstance(op, fixed.LookupOp):
        return [_lookup(op, args[0])]
    if isinstance(op, fixed.ConvOp):
        return [_conv(op, args[0], args[1], args[2] if op.bias is not None else None)]
    if isinstance(op, fixed.MaxPoolOp):
        return [args[0] if _has_unit_spatial(args[0]) else _channel_bounds(op, args[0])]
    if isinstance(op, fixed.SumPoolOp):
        return [_sum_pool(op, args[0])]
    if isinstance(op, fixed.SelectOp):
        return [_select(op, args[1], args[2], args[0])]
    if isinstance(op, fixed.ClampOp):
        x, low, high = args[0], op.low.value.data, op.high.value.data
        return [CodeRange(np.clip(x.lo, low, high), np.clip(x.hi, low, high), x.frac)]
    if isinstance(op, fixed.ThresholdOp):
        return [_threshold(op, args[0])]
    if op.dialect_name() == "layout":
        return [_layout(op, args)]
    return None


def _threshold(op: fixed.ThresholdOp, x: CodeRange) -> CodeRange:
    """Counts of thresholds reached grow with x: the values selected by counts between those of
    the bounds (their min and max; a monotone row needs only the two ends)."""
    thresholds, values = op.threshold_codes(), op.value_codes()
    lo, hi = np.asarray(x.lo), np.asarray(x.hi)
    if thresholds.shape[0] > 1:
        shape = lo.shape[:-1] + (thresholds.shape[0],)
        lo, hi = np.broadcast_to(lo, shape), np.broadcast_to(hi, shape)
    first, last = threshold_counts(lo, thresholds), threshold_counts(hi, thresholds)
    rows = (
        np.zeros(first.shape, dtype=np.int64)
        if values.shape[0] == 1
        else np.broadcast_to(np.arange(values.shape[0]), first.shape)
    )
    out_lo = np.empty(first.shape, dtype=object)
    out_hi = np.empty(first.shape, dtype=object)
    for pos in np.ndindex(first.shape):
        selected = values[rows[pos], first[pos] : last[pos] + 1]
        out_lo[pos], out_hi[pos] = int(selected.min()), int(selected.max())
    return CodeRange(out_lo, out_hi, fixed.format_of(op.output).frac_bits)


def _has_unit_spatial(r: CodeRange) -> bool:
    return all(d == 1 for d in np.shape(r.lo)[:-1])


def _channel_bounds(op: Operation, x: CodeRange) -> CodeRange:
    """Per-channel bounds over all positions (kept compact)."""
    spatial = tuple(range(np.ndim(x.lo) - 1))
    return CodeRange(np.min(x.lo, axis=spatial, keepdims=True), np.max(x.hi, axis=spatial, keepdims=True), x.frac)


def _conv(op: fixed.ConvOp, x: CodeRange, w: CodeRange, b: CodeRange | None) -> CodeRange:
    """Per output channel: sum over taps and the group's channels of max/min(w * lo_c, w * hi_c), with
    the input bounded per channel over all positions (and by 0 where padding enters)."""
    frac = fixed.format_of(op.output).frac_bits
    per_channel = _channel_bounds(op, x)
    lo_c, hi_c = per_channel.lo.reshape(-1), per_channel.hi.reshape(-1)
    channels = op.input.type.get_shape()[-1]
    lo_c, hi_c = np.broadcast_to(lo_c, (channels,)), np.broadcast_to(hi_c, (channels,))
    if any(ints(op.pads)):
        lo_c, hi_c = np.minimum(lo_c, 0), np.maximum(hi_c, 0)
    weights = w.lo  # [*kernel, C/g, O]
    groups = op.groups.value.data
    per_group, outs = weights.shape[-2], weights.shape[-1]
    taps = weights.reshape(-1, per_group, groups, outs // groups)  # [taps, C/g, g, O/g]
    bounds = CodeRange(
        lo_c.reshape(groups, per_group).T.astype(object), hi_c.reshape(groups, per_group).T.astype(object), x.frac
    )
    x_lo, x_hi, w_ints = _bilinear_ints(bounds, taps, op.taps)
    positive, negative = np.maximum(w_ints, 0), np.minimum(w_ints, 0)
    # sum over taps and C/g: [C/g, g] bounds against [taps, C/g, g, O/g]
    hi = np.einsum("cg,tcgo->go", x_hi, positive) + np.einsum("cg,tcgo->go", x_lo, negative)
    lo = np.einsum("cg,tcgo->go", x_lo, positive) + np.einsum("cg,tcgo->go", x_hi, negative)
    shape = (1,) * (len(op.output.type.get_shape()) - 1) + (outs,)
    out = CodeRange(lo.reshape(shape).astype(object), hi.reshape(shape).astype(object), x.frac + w.frac).at_frac(frac)
    if b is not None:
        bias = b.at_frac(frac)
        out = CodeRange(out.lo + bias.lo.reshape(shape), out.hi + bias.hi.reshape(shape), frac)
    return out


def _sum_pool(op: fixed.SumPoolOp, x: CodeRange) -> CodeRange:
    """A window sums k elements, fewer where it overlaps padding (which adds 0)."""
    per_channel = _channel_bounds(op, x)
    k = math.prod(ints(op.kernel))
    fewest = 1 if any(ints(op.pads)) else k
    lo = np.where(per_channel.lo < 0, per_channel.lo * k, per_channel.lo * fewest)
    hi = np.where(per_channel.hi > 0, per_channel.hi * k, per_channel.hi * fewest)
    return CodeRange(lo.astype(object), hi.astype(object), x.frac)


def _select(op: fixed.SelectOp, a: CodeRange, b: CodeRange, cond: CodeRange) -> CodeRange:
    frac = fixed.format_of(op.output).frac_bits
    a, b = a.at_frac(frac), b.at_frac(frac)
    always_a, always_b = cond.lo > 0, cond.hi <= 0
    lo = np.where(always_a, a.lo, np.where(always_b, b.lo, np.minimum(a.lo, b.lo)))
    hi = np.where(always_a, a.hi, np.where(always_b, b.hi, np.maximum(a.hi, b.hi)))
    return CodeRange(np.asarray(lo, dtype=object), np.asarray(hi, dtype=object), frac)


def _layout(op: Operation, args: list[CodeRange]) -> CodeRange:
    """Layout ops move bounds like values (padding brings its own value)."""
    frac = fixed.format_of(op.results[0]).frac_bits
    if isinstance(op, layout.ConcatOp):
        parts = [r.at_frac(frac).expanded(tuple(v.type.get_shape())) for r, v in zip(args, op.inputs)]
        axis = op.axis.value.data
        return CodeRange(np.concatenate([p.lo for p in parts], axis), np.concatenate([p.hi for p in parts], axis), frac)
    x = args[0].expanded(tuple(op.operands[0].type.get_shape()))
    if isinstance(op, layout.TransposeOp):
        perm = ints(op.perm)
        return CodeRange(np.transpose(x.lo, perm), np.transpose(x.hi, perm), frac)
    if isinstance(op, layout.ReshapeOp):
        shape = tuple(op.output.type.get_shape())
        return CodeRange(x.lo.reshape(shape), x.hi.reshape(shape), frac)
    if isinstance(op, layout.SliceOp):
        index = tuple(slice(o, o + n) for o, n in zip(ints(op.offsets), ints(op.sizes)))
        return CodeRange(x.lo[index], x.hi[index], frac)
    if isinstance(op, layout.ResizeOp):
        lo, hi = x.lo, x.hi
        for axis, scale in enumerate(ints(op.scales)):
            lo, hi = np.repeat(lo, scale, axis), np.repeat(hi, scale, axis)
        return CodeRange(lo, hi, frac)
    assert isinstance(op, layout.PadOp)
    pads = ints(op.pads)
    rank = len(pads) // 2
    widths = [(pads[d], pads[rank + d]) for d in range(rank)]
    code = int(op.value.value.data * 2.0**frac)
    return CodeRange(np.pad(x.lo, widths, constant_values=code), np.pad(x.hi, widths, constant_values=code), frac)


def analyze(
    function: func.FuncOp,
    on_op: Callable[[Operation, dict[SSAValue, CodeRange]], None] | None = None,
) -> dict[SSAValue, CodeRange]:
    """Ranges of every fixed value in `function`, walking into kernels. `on_op(op, ranges)` runs
    before each op's rule, so a caller may change the op's types first."""
    ranges: dict[SSAValue, CodeRange] = {}
    for arg in function.body.block.args:  # a design's ports: anything their type holds
        if isinstance(arg.type, TensorType) and isinstance(arg.type.element_type, fixed.FixedType):
            ranges[arg] = CodeRange.full(tuple(arg.type.get_shape()), fixed.format_of(arg))

    def walk(ops) -> None:
        for op in list(ops):
            if on_op is not None:
                on_op(op, ranges)
            if isinstance(op, dataflow.KernelOp):
                for arg, value in zip(op.block.args, op.inputs):
                    ranges[arg] = ranges[value]
                walk(op.block.ops)
                for result, value in zip(op.outputs, op.block.last_op.values):
                    ranges[result] = ranges[value]
                continue
            results = transfer(op, ranges)
            if results is not None:
                ranges.update(zip(op.results, results))

    walk(function.body.block.ops)
    return ranges
