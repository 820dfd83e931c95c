"""Lookup tables for nonlinear functions, sized and indexed from the input's reachable codes.

A table covers the inputs in [domain_lo, domain_hi) intersected with what the input can reach; each
entry spans 2^s input codes, with s the smallest shift that fits the span into `max_entries` entries.
Entry boundaries sit on multiples of 2^s codes, so 0 always starts an entry. Each entry serves the
reachable inputs that index it (the first and last also serve everything the index clamps to them)
and holds the midrange of the function over them, (f(lowest) + f(highest)) / 2, rounded to nearest
(and saturated) in the output format: for the monotone functions tabulated here, that bounds the
error of an entry by half the function's change across it plus half an output step. The index rule
is `fixed.lookup`'s (dialects/fixed_tables.py): cast(x - offset, ufixed<k, k - F + s>, TRN, SAT).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from dialects.fixed_tables import lookup_error, lookup_index
from dialects.fixedpoint import FixedFormat, Overflow, Rounding, quantize_floats


@dataclass(frozen=True)
class Table:
    offset: int  # input code where entry 0 starts
    index: FixedFormat  # unsigned, width k
    codes: np.ndarray  # 2^k entries in the output format
    out: FixedFormat

    def lookup(self, codes: np.ndarray, in_fmt: FixedFormat) -> np.ndarray:
        """The table's output codes for input codes (the semantics of fixed.lookup)."""
        return self.codes[lookup_index(codes, in_fmt, self.offset, self.index)]


@dataclass(frozen=True)
class Layout:
    """Where the entries of a table sit: entry i serves input codes [lowest[i], highest[i]]."""

    offset: int
    index: FixedFormat
    lowest: np.ndarray
    highest: np.ndarray

    def values(self, fn: Callable[[np.ndarray], np.ndarray], in_fmt: FixedFormat) -> np.ndarray:
        """The midrange of `fn` over each entry's inputs, as floats."""
        low_in = np.array([math.ldexp(float(c), -in_fmt.frac_bits) for c in self.lowest])
        high_in = np.array([math.ldexp(float(c), -in_fmt.frac_bits) for c in self.highest])
        with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
            low = np.asarray(fn(low_in), dtype=np.float64)
            high = np.asarray(fn(high_in), dtype=np.float64)
        return np.nan_to_num((low + high) / 2, posinf=1e300, neginf=-1e300)


def table_layout(in_fmt: FixedFormat, reach: tuple[int, int], domain: tuple[float, float], max_entries: int) -> Layout:
    """Entries for inputs of `in_fmt` whose codes lie in `reach`, resolving only `domain`."""
    if max_entries < 2 or max_entries & (max_entries - 1):
        raise ValueError(f"table size must be a power of two >= 2, got {max_entries}")
    reach_lo, reach_hi = int(reach[0]), int(reach[1])
    lo = max(reach_lo, min(reach_hi, math.ceil(Fraction(domain[0]) * 2**in_fmt.frac_bits)))
    hi = min(reach_hi, max(reach_lo, math.ceil(Fraction(domain[1]) * 2**in_fmt.frac_bits) - 1))
    # a table has at least two entries: a domain narrower than the input step (a softmax result
    # without fraction bits) still gets two codes, else the one in-domain code would share its entry
    # with every clamped input
    if hi <= lo:
        lo, hi = (lo - 1, hi) if lo > reach_lo else (lo, min(hi + 1, reach_hi))
    shift = 0
    while (hi >> shift) - (lo >> shift) + 1 > max_entries:
        shift += 1
    first, count = lo >> shift, (hi >> shift) - (lo >> shift) + 1
    k = max(1, (count - 1).bit_length())
    offset = first << shift
    index = FixedFormat(k, k - (in_fmt.frac_bits - shift), False)
    # Python integers: codes of wide inputs do not fit in int64
    starts = [offset + (i << shift) for i in range(1 << k)]
    lowest = np.array([min(max(a, reach_lo), reach_hi) for a in starts], dtype=object)
    highest = np.array([min(max(a + (1 << shift) - 1, reach_lo), reach_hi) for a in starts], dtype=object)
    lowest[0], highest[-1] = reach_lo, reach_hi  # the index saturates onto the end entries
    return Layout(offset, index, lowest, highest)


def build_table(
    fn: Callable[[np.ndarray], np.ndarray],
    in_fmt: FixedFormat,
    reach: tuple[int, int],
    domain: tuple[float, float],
    out_fmt: FixedFormat,
    max_entries: int,
) -> Table:
    """Tabulate `fn` for inputs of `in_fmt` whose codes lie in `reach`, resolving only `domain`."""
    layout = table_layout(in_fmt, reach, domain, max_entries)
    codes = quantize_floats(layout.values(fn, in_fmt), out_fmt, Rounding.RND, Overflow.SAT)
    return Table(layout.offset, layout.index, codes.astype(np.int64), out_fmt)


def table_error(
    table: Table, fn: Callable[[np.ndarray], np.ndarray], in_fmt: FixedFormat, reach: tuple[int, int]
) -> float:
    """Largest |table(x) - fn(x)| over the reachable input codes (`fixed_tables.lookup_error`)."""
    return lookup_error(table.offset, table.index, table.codes, table.out, fn, in_fmt, reach)


# the input range outside of which each activation is flat to within its output's resolution
DOMAINS = {"sigmoid": (-8.0, 8.0), "tanh": (-4.0, 4.0)}
