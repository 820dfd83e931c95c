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

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from xdsl.dialects import func
from xdsl.dialects.builtin import TensorType
from xdsl.ir import Operation, SSAValue

from dialects import dataflow, fixed
from dialects.fixedpoint import (
    FixedFormat,
    Overflow,
    Rounding,
    cast_codes,
    format_for_codes,
)
from lowering.tables import lookup_index


@dataclass
class CodeRange:
    """Per-element bounds on codes with `frac` fraction bits (value = code * 2^-frac)."""

    lo: np.ndarray
    hi: np.ndarray
    frac: int

    @staticmethod
    def full(shape: tuple[int, ...], fmt: FixedFormat) -> CodeRange:
        return CodeRange(
            np.full(shape, fmt.min_code, dtype=object), np.full(shape, fmt.max_code, dtype=object), fmt.frac_bits
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
    lo = cast_codes(r.lo, source, wide, rounding, Overflow.WRAP).astype(object)
    hi = cast_codes(r.hi, source, wide, rounding, Overflow.WRAP).astype(object)
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


def _dense(op: fixed.DenseOp, x: CodeRange, w: CodeRange, b: CodeRange | None) -> CodeRange:
    frac = fixed.format_of(op.output).frac_bits
    weights = w.lo  # constant: lo == hi
    positive, negative = np.maximum(weights, 0), np.minimum(weights, 0)
    hi = x.hi @ positive + x.lo @ negative
    lo = x.lo @ positive + x.hi @ negative
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
    return None


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
