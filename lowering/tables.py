"""Lookup tables for nonlinear functions, sized and indexed from the input's reachable codes.

A table covers the inputs in [domain_lo, domain_hi) intersected with what the input can reach; each
entry spans 2^s input codes, with s the smallest shift that fits the span into `max_entries` entries.
Entry boundaries sit on multiples of 2^s codes, so 0 always starts an entry. Each entry serves the
reachable inputs that index it (the first and last also serve everything the index clamps to them)
and holds the midrange of the function over them, (f(lowest) + f(highest)) / 2, rounded to nearest
(and saturated) in the output format: for the monotone functions tabulated here, that bounds the
error of an entry by half the function's change across it plus half an output step. The index rule is `fixed.lookup`'s: cast(x - offset, ufixed<k, k - F + s>, TRN, SAT).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from dialects.fixedpoint import FixedFormat, Overflow, Rounding, cast_codes, codes_to_floats, quantize_floats


@dataclass(frozen=True)
class Table:
    offset: int  # input code where entry 0 starts
    index: FixedFormat  # unsigned, width k
    codes: np.ndarray  # 2^k entries in the output format
    out: FixedFormat

    def lookup(self, codes: np.ndarray, in_fmt: FixedFormat) -> np.ndarray:
        """The table's output codes for input codes (the semantics of fixed.lookup)."""
        return self.codes[lookup_index(codes, in_fmt, self.offset, self.index)]


def lookup_index(codes: np.ndarray, in_fmt: FixedFormat, offset: int, index: FixedFormat) -> np.ndarray:
    """index = cast(x - offset, index, TRN, SAT), computed on exact integer codes."""
    span = max(abs(in_fmt.min_code - offset), abs(in_fmt.max_code - offset))
    diff_fmt = FixedFormat(span.bit_length() + 2, span.bit_length() + 2 - in_fmt.frac_bits, True)
    diff = np.asarray(codes) - offset
    return cast_codes(diff, diff_fmt, index, Rounding.TRN, Overflow.SAT).astype(np.int64)


def build_table(
    fn: Callable[[np.ndarray], np.ndarray],
    in_fmt: FixedFormat,
    reach: tuple[int, int],
    domain: tuple[float, float],
    out_fmt: FixedFormat,
    max_entries: int,
) -> Table:
    """Tabulate `fn` for inputs of `in_fmt` whose codes lie in `reach`, resolving only `domain`."""
    if max_entries < 2 or max_entries & (max_entries - 1):
        raise ValueError(f"table size must be a power of two >= 2, got {max_entries}")
    reach_lo, reach_hi = reach
    scale = 2.0**in_fmt.frac_bits
    lo = max(reach_lo, min(reach_hi, math.ceil(domain[0] * scale)))
    hi = min(reach_hi, max(reach_lo, math.ceil(domain[1] * scale) - 1))
    shift = 0
    while (hi >> shift) - (lo >> shift) + 1 > max_entries:
        shift += 1
    first, count = lo >> shift, (hi >> shift) - (lo >> shift) + 1
    k = max(1, (count - 1).bit_length())
    offset = first << shift
    index = FixedFormat(k, k - (in_fmt.frac_bits - shift), False)
    starts = offset + (np.arange(1 << k, dtype=np.int64) << shift)
    lowest = np.clip(starts, reach_lo, reach_hi)
    highest = np.clip(starts + (1 << shift) - 1, reach_lo, reach_hi)
    lowest[0], highest[-1] = reach_lo, reach_hi  # the index saturates onto the end entries
    with np.errstate(over="ignore", divide="ignore"):
        values = (
            np.asarray(fn(lowest / scale), dtype=np.float64) + np.asarray(fn(highest / scale), dtype=np.float64)
        ) / 2
    codes = quantize_floats(np.nan_to_num(values, posinf=1e300, neginf=-1e300), out_fmt, Rounding.RND, Overflow.SAT)
    return Table(offset, index, codes.astype(np.int64), out_fmt)


def table_error(
    table: Table, fn: Callable[[np.ndarray], np.ndarray], in_fmt: FixedFormat, reach: tuple[int, int]
) -> float:
    """Largest |table(x) - fn(x)| over reachable inputs (all of them, or 2^16 spread evenly)."""
    lo, hi = reach
    codes = np.unique(np.linspace(lo, hi, num=min(hi - lo + 1, 1 << 16)).round().astype(np.int64))
    exact = np.asarray(fn(codes_to_floats(codes, in_fmt)), dtype=np.float64)
    got = codes_to_floats(table.lookup(codes, in_fmt), table.out)
    return float(np.max(np.abs(got - exact)))


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * x))


FUNCTIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "sigmoid": sigmoid,
    "tanh": np.tanh,
    "exp": np.exp,
    "reciprocal": lambda x: 1.0 / x,
}
