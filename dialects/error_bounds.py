"""The domain of the error analysis: bounds on |fixed-point value - float model's value|, per element.

The float model computes, with real numbers, what the fixed-point IR computes: its casts do not
round, its constants are the values they were rounded from, its tables are their functions and its
inputs are not quantised. Each op says how its results' errors follow from its operands' errors and
ranges, and what it adds itself (`ErrorTransfer` in dialects/interfaces.py); `lowering/error_bounds.py`
walks a function with them.

An error bound is a float64 array [rows, *b], b broadcastable to the value's shape (the same rank):
the analysis keeps independent contributions apart in rows (a row per rounding site when a pass asks
how sensitive the outputs are to each, a row per layer for the report), and the sum over the rows
bounds the error. Terms that belong to no single row (products of two errors, a jump where a
comparison can flip) go to the last row; `ErrorMode.linear` drops them, giving the bounds' first-order
part, which is linear in the rows.

Most ops bound their results from their operands' bounds alone; an op whose operands' errors are not
independent (a layer norm's d * t(sum d^2): where d is large, u is too and t flat) may instead bound
its result jointly, from values further up and the own errors of the ops in between (`ErrorContext`,
the `JointErrorTransfer` interface).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from xdsl.ir import Operation, SSAValue

from dialects.ranges import CodeRange

ERROR_BUDGET_ATTR = "fixed.error_budget"  # on a function: the budget its `auto` steps were chosen for
# on a function: the layers whose `auto` steps the widest type allowed made coarser than the default's
WIDTH_LIMITED_ATTR = "fixed.width_limited"


@dataclass(frozen=True)
class ErrorMode:
    """How the analysis runs. `linear`: first-order terms only (no products of errors, no jumps, no
    widening of a table's input interval by its error, no overflow): each row's result is the exact
    derivative of the bound in that row's own errors. `ignore_overflow`: a cast that may overflow
    adds nothing (the bound then holds for inputs on which nothing overflows). `rows`: how many."""

    rows: int = 1
    linear: bool = False
    ignore_overflow: bool = False

    def total(self, errors: np.ndarray) -> np.ndarray:
        """The whole bound (all rows); zero in linear mode, where no term may use it."""
        return np.zeros(errors.shape[1:]) if self.linear else errors.sum(axis=0)

    def with_extra(self, errors: np.ndarray, term: np.ndarray | float) -> np.ndarray:
        """`errors` plus a term that belongs to no row (in the last row; dropped when linear)."""
        if self.linear:
            return errors
        term = np.asarray(term, dtype=np.float64)
        shape = np.broadcast_shapes(errors.shape[1:], term.shape)
        out = np.array(np.broadcast_to(errors, (errors.shape[0], *shape)), dtype=np.float64)
        out[-1] += term
        return out


@dataclass(frozen=True)
class ErrorContext:
    """What the analysis knows when it reaches an op: the bounds and ranges of the values walked so
    far, and the own error each op added (in its row, [rows, *b]: what a joint transfer attributes
    to the ops in between rather than taking through their results' bounds)."""

    errors: Mapping[SSAValue, np.ndarray]
    ranges: Mapping[SSAValue, CodeRange]
    owns: Mapping[Operation, np.ndarray]
    rows: int

    def own(self, op: Operation) -> np.ndarray:
        """The own error `op` added (zero if none), as [rows, 1, ...] of its first result's rank."""
        if op in self.owns:
            return self.owns[op]
        return no_error(self.rows, len(op.results[0].type.get_shape()))


def no_error(rows: int, rank: int) -> np.ndarray:
    return np.zeros((rows, *(1,) * rank))


def in_rows(value: np.ndarray | float, rows: int, row: int, rank: int) -> np.ndarray:
    """A bound of one row: `value` (broadcastable to the value's shape) in row `row`, zero elsewhere."""
    value = np.asarray(value, dtype=np.float64)
    value = value.reshape((1,) * (rank - value.ndim) + value.shape)
    out = np.zeros((rows, *value.shape))
    out[row] = value
    return out


def broadcast_rank(errors: np.ndarray, rank: int) -> np.ndarray:
    """A bound of a value broadcast to `rank` axes (the leading ones new), as numpy broadcasts the
    value: its axes after the rows axis."""
    missing = rank - (errors.ndim - 1)
    return errors.reshape(errors.shape[0], *(1,) * missing, *errors.shape[1:]) if missing > 0 else errors


def expand(errors: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """The bound with one entry per element (and per row)."""
    return np.broadcast_to(errors, (errors.shape[0], *shape))


def per_channel(errors: np.ndarray) -> np.ndarray:
    """The largest bound over the positions, per channel (the last axis), kept broadcastable."""
    positions = tuple(range(1, errors.ndim - 1))
    return errors.max(axis=positions, keepdims=True) if positions else errors


def channels(errors: np.ndarray, count: int) -> np.ndarray:
    """Per channel as [rows, count] (what one packet of a stream carries)."""
    merged = per_channel(errors)
    return np.broadcast_to(merged.reshape(merged.shape[0], -1), (merged.shape[0], count))


def magnitude(r: CodeRange) -> np.ndarray:
    """max |value| per element (broadcastable), as floats."""
    big = np.maximum(np.abs(np.asarray(r.lo, dtype=object)), np.abs(np.asarray(r.hi, dtype=object)))
    return np.ldexp(np.asarray(big, dtype=np.float64), -r.frac)


def value_bounds(r: CodeRange) -> tuple[np.ndarray, np.ndarray]:
    """The reachable values' [lo, hi] per element (broadcastable), as floats."""
    return (
        np.ldexp(np.asarray(r.lo, dtype=np.float64), -r.frac),
        np.ldexp(np.asarray(r.hi, dtype=np.float64), -r.frac),
    )


def flip_possible(cond: CodeRange, error: np.ndarray, mode: ErrorMode) -> np.ndarray:
    """Where `cond > 0` may differ between the design and the float model: the design's value is
    within `error` (the whole bound on cond) of 0. In linear mode, where any error may: the range
    reaches 0."""
    lo, hi = value_bounds(cond)
    if mode.linear:
        return (lo <= 0) & (hi >= 0)
    return (error > 0) & (lo <= error) & (hi > -error)
