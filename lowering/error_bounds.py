"""The error analysis: certified bounds on how far a design's values are from the float model's.

`bound_errors(function)` walks a `func.func` (fixed or dataflow level, into kernels and through the
host's call of the design) forward, like the range analysis (lowering/ranges.py), and gives for each
fixed-point value a bound on |design - float model| per element (dialects/error_bounds.py: an array
[rows, *shape]). Every op's rule is its own `ErrorTransfer`: exact arithmetic propagates its
operands' errors (dense and conv through the real weights' magnitudes, tables through their slope,
maxima and moves as they are), and casts, constants, tables and the input quantisation add their
rounding to the row `row_of(op)` names (one row by default: the bound itself). An op whose operands'
errors are not independent bounds its result jointly instead (`JointErrorTransfer`: a layer norm's
d * t(sum d^2)), from the bounds walked so far and the own errors the ops in between added. An op
whose body runs several times (a recurrence: `RegionErrors`) has its body walked once per run, each
run's bounds feeding the next. The bounds hold for inputs within the input types' ranges; where a cast may overflow they include how
far saturation can move a value (infinite for wrapping) unless the mode ignores overflow.

`output_bounds` gives the bound of each of a function's results, per element and over all rows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from xdsl.dialects import func
from xdsl.ir import Operation, SSAValue

from dialects import dataflow
from dialects.error_bounds import ErrorContext, ErrorMode, channels, in_rows, no_error
from dialects.fixed_types import is_fixed
from dialects.interfaces import ErrorTransfer, JointErrorTransfer, RegionErrors
from dialects.ranges import CodeRange
from lowering.ranges import analyze, callee_of

Errors = dict[SSAValue, np.ndarray]
CERTIFIED = ErrorMode()  # one row, every term
OwnError = Callable[[Operation, Sequence[CodeRange | None]], float]


def _rank(value: SSAValue) -> int:
    return len(value.type.get_shape())


def bound_errors(
    function: func.FuncOp,
    mode: ErrorMode = CERTIFIED,
    *,
    ranges: dict[SSAValue, CodeRange] | None = None,
    row_of: Callable[[Operation], int] | None = None,
    own: OwnError | None = None,
    arguments: Sequence[np.ndarray] | None = None,
) -> Errors:
    """Bounds for every fixed value of `function` (and of the function it calls). `row_of(op)`: the
    row of the op's own error (default: the last); `own(op, operand ranges)`: the op's own error
    instead of `op.own_error` (a pass weighing other types); `arguments`: the bounds of fixed-point
    arguments (default: exact, as a design's ports are)."""
    ranges = analyze(function) if ranges is None else ranges
    errors: Errors = {}
    owns: dict[Operation, np.ndarray] = {}  # each op's own error, in its row (for joint transfers)
    context = ErrorContext(errors, ranges, owns, mode.rows)
    last = mode.rows - 1
    for index, arg in enumerate(function.body.block.args):
        if is_fixed(arg):
            errors[arg] = arguments[index] if arguments is not None else no_error(mode.rows, _rank(arg))

    def walk(ops) -> None:
        for op in list(ops):
            if isinstance(op, dataflow.KernelOp):
                for arg, value in zip(op.block.args, op.inputs):
                    errors[arg] = _packet(errors[value], value, arg) if op.per_position else errors[value]
                walk(op.block.ops)
                for result, value in zip(op.outputs, op.block.last_op.values):
                    errors[result] = _positions(errors[value], result) if op.per_position else errors[value]
            elif isinstance(op, func.CallOp):
                callee = callee_of(function, op)
                inner = bound_errors(
                    callee, mode, row_of=row_of, own=own, arguments=[errors.get(v) for v in op.arguments]
                )
                for result, value in zip(op.results, callee.body.block.last_op.operands):
                    if is_fixed(result):
                        errors[result] = inner[value]
            elif isinstance(op, RegionErrors):  # a body run several times: walked each time
                block = op.regions[0].block

                def walk_body(arguments: list[np.ndarray], block=block) -> list[np.ndarray]:
                    errors.update(zip(block.args, arguments))
                    walk(block.ops)
                    return [errors[v] for v in block.last_op.operands]

                operand_errors = [errors.get(v, no_error(mode.rows, _rank(v))) for v in op.operands]
                with np.errstate(over="ignore", invalid="ignore"):
                    results = op.region_errors(operand_errors, mode, walk_body)
                errors.update(zip(op.results, (np.nan_to_num(r, nan=np.inf, posinf=np.inf) for r in results)))
            elif isinstance(op, ErrorTransfer):
                operand_ranges = [ranges.get(v) for v in op.operands]
                operand_errors = [
                    errors.get(v, no_error(mode.rows, _rank(v))) if is_fixed(v) else None for v in op.operands
                ]
                with np.errstate(over="ignore", invalid="ignore"):  # a bound may be infinite: never NaN
                    joint = op.joint_errors(context, mode) if isinstance(op, JointErrorTransfer) else None
                    if joint is None:
                        joint = op.propagate_errors(operand_errors, operand_ranges, mode)
                    results = [np.nan_to_num(r, nan=np.inf, posinf=np.inf) for r in joint]
                added = own(op, operand_ranges) if own is not None else op.own_error(operand_ranges, mode)
                if added:
                    row = row_of(op) if row_of is not None else last
                    owns[op] = in_rows(added, mode.rows, row, _rank(op.results[0]))
                    results[0] = results[0] + owns[op]
                errors.update(zip(op.results, results))

    walk(function.body.block.ops)
    return errors


def _packet(errors: np.ndarray, value: SSAValue, arg: SSAValue) -> np.ndarray:
    """A value's bound as one packet of a kernel that computes a position at a time: per channel."""
    shape = value.type.get_shape()
    merged = channels(errors, shape[-1] if shape else 1)
    return merged.reshape(merged.shape[0]) if _rank(arg) == 0 else merged


def _positions(errors: np.ndarray, result: SSAValue) -> np.ndarray:
    """A packet's bound as the bound of every position of the kernel's result."""
    if _rank(result) == 0:
        return errors.reshape(errors.shape[0])
    return errors.reshape(errors.shape[0], *(1,) * (_rank(result) - 1), -1)


def output_bounds(function: func.FuncOp, errors: Errors) -> list[np.ndarray]:
    """Each result's bound per element (summed over the rows; float results carry their fixed-point
    source's bound, as `fixed.dequantize` is exact)."""
    out = []
    for value in function.body.block.last_op.operands:
        e = errors[value]
        out.append(np.broadcast_to(e.sum(axis=0), tuple(value.type.get_shape())))
    return out
