"""The interval domain of the range analysis: reachable integer codes, per element.

A `CodeRange` bounds the codes of a fixed-point tensor element by element at a given number of
fraction bits. Each fixed and layout op says how its results' ranges follow from its operands'
(`RangeInference` in dialects/interfaces.py); `lowering/ranges.py` walks a function with them. The
helpers here are the rules several ops share: rounding bounds into a coarser step, the bounds after
a cast with its modes, and the bounds of a sum of products with constant weights (the exact
extremum over the input box).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from dialects.fixedpoint import FixedFormat, Overflow, Rounding, cast_codes, format_for_codes


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

    @staticmethod
    def exact(codes: np.ndarray, frac: int) -> CodeRange:
        codes = np.asarray(codes).astype(object)
        return CodeRange(codes, codes.copy(), frac)

    def expanded(self, shape: tuple[int, ...]) -> CodeRange:
        """The bounds with one entry per element (ranges may be kept broadcastable to the shape)."""
        return CodeRange(
            np.broadcast_to(self.lo, shape).astype(object), np.broadcast_to(self.hi, shape).astype(object), self.frac
        )

    def at_frac(self, frac: int) -> CodeRange:
        """The same bounds with more fraction bits (exact)."""
        if frac < self.frac:
            raise ValueError("ranges only gain fraction bits exactly")
        scale = 1 << (frac - self.frac)
        return CodeRange(self.lo * scale, self.hi * scale, frac)

    def per_channel(self) -> CodeRange:
        """Bounds over all positions, per channel (the last axis), kept broadcastable."""
        positions = tuple(range(np.ndim(self.lo) - 1))
        return CodeRange(
            np.min(self.lo, axis=positions, keepdims=True), np.max(self.hi, axis=positions, keepdims=True), self.frac
        )

    def channels(self) -> CodeRange:
        """Bounds over all positions as a 1-D range of the channels (what one packet holds)."""
        merged = self.per_channel()
        return CodeRange(merged.lo.reshape(-1), merged.hi.reshape(-1), self.frac)

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


def aligned(a: CodeRange, b: CodeRange) -> tuple[CodeRange, CodeRange, int]:
    """Both ranges at the finer step."""
    frac = max(a.frac, b.frac)
    return a.at_frac(frac), b.at_frac(frac), frac


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


def bilinear_ints(x: CodeRange, weights: np.ndarray, terms: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """x's bounds and the weights as int64 when every sum of `terms` products fits, else Python ints."""
    x_bits = max(abs(int(np.min(x.lo))), abs(int(np.max(x.hi))), 1).bit_length()
    w_bits = max(abs(int(np.min(weights))), abs(int(np.max(weights))), 1).bit_length() if weights.size else 1
    dtype = np.int64 if x_bits + w_bits + max(terms, 1).bit_length() + 1 <= 62 else object
    return x.lo.astype(dtype), x.hi.astype(dtype), weights.astype(dtype)


def with_bias(
    products: CodeRange, bias: CodeRange | None, frac: int, shape: tuple[int, ...] | None = None
) -> CodeRange:
    """A sum of products at `frac` fraction bits, plus a bias (reshaped to `shape`) if there is one."""
    out = products.at_frac(frac)
    if bias is None:
        return out
    b = bias.at_frac(frac)
    lo, hi = (b.lo, b.hi) if shape is None else (b.lo.reshape(shape), b.hi.reshape(shape))
    return CodeRange(out.lo + lo, out.hi + hi, frac)


def product_bounds(a: CodeRange, b: CodeRange) -> CodeRange:
    """Bounds of elementwise products (with broadcasting): the extremes of the corners."""
    a_lo, b_lo = np.broadcast_arrays(a.lo, b.lo)
    a_hi, b_hi = np.broadcast_arrays(a.hi, b.hi)
    products = np.stack([a_lo * b_lo, a_lo * b_hi, a_hi * b_lo, a_hi * b_hi])
    return CodeRange(products.min(axis=0), products.max(axis=0), a.frac + b.frac)
