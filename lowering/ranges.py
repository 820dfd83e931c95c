"""Exact interval analysis of fixed-point IR: the reachable codes of every element of every tensor.

`analyze(function)` walks a `func.func` (fixed or dataflow level, into kernels) forward and gives,
for each SSA value, a `CodeRange` (dialects/ranges.py): per-element integer bounds [lo, hi] on the
codes at a given number of fraction bits. The design's inputs range over their type; every op's
rule is its own `infer_result_ranges` (the `RangeInference` interface): constants are their codes, a
dense layer's bounds come from the real weights (the exact extremum of the MAC over the input box),
casts apply their rounding and overflow modes to the bounds, tables map them through the reachable
entries, and the stable softmax adds the two facts intervals alone lose (see fixed.sub and
fixed.reduce_sum). A recurrence's body is walked once, its states ranging over their types. A kernel that computes one position at a time sees every position's bounds
(per channel) on its packets; a host function's call of the design gives the design's results.

`on_op` runs before each op's rule, so that a pass can re-type an op and then continue the walk
(infer-bitwidths does).
"""

from __future__ import annotations

from collections.abc import Callable

from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp, TensorType
from xdsl.ir import Operation, SSAValue

from dialects import dataflow, fixed
from dialects.fixed_types import is_fixed
from dialects.interfaces import RangeInference, RegionRanges
from dialects.ranges import CodeRange


def callee_of(caller: func.FuncOp, call: func.CallOp) -> func.FuncOp:
    """The function of `caller`'s module that `call` calls."""
    module = caller.parent_op()
    assert isinstance(module, ModuleOp)
    name = call.callee.string_value()
    return next(f for f in module.body.block.ops if isinstance(f, func.FuncOp) and f.sym_name.data == name)


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
                    ranges[arg] = ranges[value].channels() if op.per_position else ranges[value]
                walk(op.block.ops)
                for result, value in zip(op.outputs, op.block.last_op.values):
                    ranges[result] = ranges[value]
            elif isinstance(op, RegionRanges):  # a body (a recurrence's step): walked, its results from it
                body = op.regions[0].block
                ranges.update(zip(body.args, op.body_argument_ranges([ranges.get(v) for v in op.operands])))
                walk(body.ops)
                yielded = [ranges[v] for v in body.last_op.operands]
                ranges.update(zip(op.results, op.result_ranges(yielded)))
            elif isinstance(op, func.CallOp):
                callee = callee_of(function, op)
                inner = analyze(callee)
                for result, value in zip(op.results, callee.body.block.last_op.operands):
                    if value in inner:
                        ranges[result] = inner[value]
            elif isinstance(op, RangeInference) and any(is_fixed(r) for r in op.results):  # not the host's float moves
                ranges.update(zip(op.results, op.infer_result_ranges([ranges.get(v) for v in op.operands])))

    walk(function.body.block.ops)
    return ranges
