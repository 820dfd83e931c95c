"""`fixed.recurrence`: one cell of a recurrent layer, run over the time steps of a sequence.

    %seq, %h, %c = fixed.recurrence(%x) init(%h0, %c0) {layer = "lstm"} : (...) -> (...) {
    ^bb0(%x_t, %h_prev, %c_prev):
      ... fixed and layout ops of ONE time step, with their own constants ...
      fixed.yield %y_t, %h_next, %c_next : ...
    }

The operand `%x` is a sequence [T, *step]; the block's first argument is one step of it, the others
are the states, which start at the `init` operands. Each step yields its output (stacked into the
[T, *out] result) and the next states, which must have the states' types: the body ends each state
in an explicit `fixed.cast`, so the state types bound everything the recurrence can reach and the
interval analysis needs one pass over the body (a state ranges over its whole type). The results
after the sequence are the last states. With `reverse` the steps run from T-1 down to 0 (an output
stays at its step's position, as ONNX's reverse direction has it).

The body is isolated from above: a kernel or the emulator runs it as it stands, once per step; the
C++ printer writes the time loop around it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import fields
from typing import ClassVar

import numpy as np
from xdsl.dialects.builtin import DenseArrayBase, TensorType, UnitAttr, f64
from xdsl.ir import Attribute, Block, Operation, Region, SSAValue
from xdsl.irdl import (
    IRDLOperation,
    irdl_op_definition,
    operand_def,
    opt_prop_def,
    region_def,
    result_def,
    traits_def,
    var_operand_def,
    var_result_def,
)
from xdsl.traits import HasParent, IsolatedFromAbove, IsTerminator
from xdsl.utils.exceptions import VerifyException

from dialects.error_bounds import ErrorMode, no_error
from dialects.fixed_types import fixed_tensor, format_if_fixed
from dialects.fixedpoint import FixedFormat
from dialects.interfaces import Cost as OpCost
from dialects.interfaces import (
    CostModel,
    ErrorTransfer,
    Formats,
    NamedResult,
    RangeInference,
    RegionErrors,
    RegionRanges,
    Repeats,
    ResultFormatRule,
    Streamable,
    Streaming,
)
from dialects.layer import LayerOp, layer_props
from dialects.ranges import CodeRange


@irdl_op_definition
class RecurrenceOp(
    LayerOp,
    ResultFormatRule,
    RangeInference,
    RegionRanges,
    CostModel,
    Repeats,
    ErrorTransfer,
    RegionErrors,
    Streamable,
    NamedResult,
):
    """A recurrent cell over a sequence (see the module's docstring)."""

    name = "fixed.recurrence"
    sequence = operand_def(TensorType)
    initial = var_operand_def(TensorType)
    output = result_def(TensorType)
    finals = var_result_def(TensorType)
    reverse = opt_prop_def(UnitAttr)
    # per result: the largest |value| the float model's result can take (the error analysis' bound)
    model_bounds = opt_prop_def(DenseArrayBase.constr(f64))
    body = region_def("single_block")
    traits = traits_def(IsolatedFromAbove())
    assembly_format = "`(` $sequence `)` `init` `(` $initial `)` attr-dict `:` functional-type(operands, results) $body"
    RESULT_NAME: ClassVar[str] = "seq"

    def __init__(
        self,
        sequence: SSAValue,
        initial: Sequence[SSAValue],
        output_type: Attribute,
        body: Region,
        reverse: bool = False,
        model_bounds: Sequence[float] | None = None,
        layer: str | None = None,
    ):
        props = layer_props(layer)
        if reverse:
            props["reverse"] = UnitAttr()
        if model_bounds is not None:
            props["model_bounds"] = DenseArrayBase.from_list(f64, [float(b) for b in model_bounds])
        super().__init__(
            operands=[sequence, list(initial)],
            result_types=[output_type, [v.type for v in initial]],
            properties=props,
            regions=[body],
        )

    @staticmethod
    def step_block(sequence: SSAValue, initial: Sequence[SSAValue]) -> Block:
        """An empty body: one step of `sequence`, then the states."""
        shape = sequence.type.get_shape()
        step = TensorType(sequence.type.element_type, list(shape[1:]))
        return Block(arg_types=[step, *(v.type for v in initial)])

    @property
    def block(self) -> Block:
        return self.body.block

    @property
    def steps(self) -> int:
        return self.sequence.type.get_shape()[0]

    @property
    def yielded(self) -> Sequence[SSAValue]:
        last = self.block.last_op
        assert isinstance(last, YieldOp)
        return last.values

    def body_ops(self) -> list[Operation]:
        return [op for op in self.block.ops if not isinstance(op, YieldOp)]

    # --- interfaces ------------------------------------------------------------------------------
    def infer_result_formats(self, operands: Sequence[CodeRange | None]) -> list[FixedFormat | None]:
        """The output sequence has the type of a step's output; the states keep theirs."""
        return [format_if_fixed(self.yielded[0]), *(None for _ in self.finals)]

    def infer_result_ranges(self, operands: Sequence[CodeRange | None]) -> list[CodeRange]:
        """Without looking into the body: anything the result types hold (sound, coarse)."""
        return [CodeRange.full(tuple(r.type.get_shape()), fixed_tensor(r.type, self.name)[1]) for r in self.results]

    def body_argument_ranges(self, operands: Sequence[CodeRange | None]) -> list[CodeRange]:
        """A step of the sequence: any of its steps; a state: anything its type holds (every state
        is cast into its type at the end of each step, and starts in it)."""
        shape = tuple(self.sequence.type.get_shape())
        seq = operands[0].expanded(shape)
        step = CodeRange(seq.lo.min(axis=0), seq.hi.max(axis=0), seq.frac)
        states = [
            CodeRange.full(tuple(a.type.get_shape()), fixed_tensor(a.type, self.name)[1]) for a in self.block.args[1:]
        ]
        return [step, *states]

    def result_ranges(self, yielded: Sequence[CodeRange]) -> list[CodeRange]:
        """The output sequence: a step's output at every step; the last states: their types'."""
        out = yielded[0]
        seq = CodeRange(np.expand_dims(np.asarray(out.lo), 0), np.expand_dims(np.asarray(out.hi), 0), out.frac)
        return [seq, *self.infer_result_ranges([])[1:]]

    def cost(self, formats: Formats | None = None) -> OpCost:
        """The hardware of one step (the time loop reuses it T times)."""
        parts = [op.cost() for op in self.body_ops() if isinstance(op, CostModel)]
        summed = (*OpCost.COUNTS, "table_bits")  # widths: the widest unit of each kind
        return OpCost(
            **{
                name: sum(getattr(p, name) for p in parts)
                if name in summed
                else max((getattr(p, name) for p in parts), default=0)
                for name in (f.name for f in fields(OpCost))
            }
        )

    def repeats(self) -> int:
        return self.steps

    def propagate_errors(self, errors, ranges, mode: ErrorMode) -> list[np.ndarray]:
        """Coarse and sound (`coarse_bounds`); the error analysis walks the body instead
        (`region_errors`)."""
        rows = (errors[0].shape[0] if errors and errors[0] is not None else 1) if not mode.linear else mode.rows
        return [
            mode.with_extra(no_error(rows, len(r.type.get_shape())), bound)
            for r, bound in zip(self.results, self.coarse_bounds())
        ]

    def coarse_bounds(self) -> list[float]:
        """Per result, a bound on |design - model| without looking into the body: the design's
        value stays in its type, the model's within `model_bounds` (unbounded without them)."""
        bounds = list(self.model_bounds.get_values()) if self.model_bounds is not None else None
        out = []
        for i, result in enumerate(self.results):
            fmt = fixed_tensor(result.type, self.name)[1]
            design = float(max(abs(fmt.min_value), abs(fmt.max_value)))
            out.append(design + (bounds[i] if bounds is not None else math.inf))
        return out

    def region_errors(self, operands, mode: ErrorMode, walk_body) -> list[np.ndarray]:
        """The body walked once per step, in the steps' order: each step reads its position's bound
        of the sequence and the states' bounds the step before left (the `init` operands' first);
        the output sequence stacks the steps' output bounds at their positions, the final states are
        the last step's. Each step adds the rounding of the body's casts and tables. A worst-case
        bound may grow by a factor per step (a gate's slope times the recurrent weights' row sums):
        where it passes the coarse bound (`coarse_bounds`), an element keeps the coarse one; in
        linear mode (rows are each rounding site's first-order share) its rows are scaled down to
        it, so an error budget still sees which sites matter most."""
        sequence, carried = operands[0], list(operands[1:])
        steps = self.steps
        outputs: list[np.ndarray | None] = [None] * steps
        order = range(steps - 1, -1, -1) if self.reverse is not None else range(steps)
        for t in order:
            step = sequence[:, t if sequence.shape[1] > 1 else 0]
            yielded = walk_body([step, *carried])
            outputs[t], carried = yielded[0], list(yielded[1:])
        shape = np.broadcast_shapes(*(o.shape for o in outputs))
        walked = [np.stack([np.broadcast_to(o, shape) for o in outputs], axis=1), *carried]
        return [capped(w, bound) for w, bound in zip(walked, self.coarse_bounds())]

    def streaming(self) -> Streaming:
        """One step per position of the sequence, in order, with the states kept between steps; a
        reversed recurrence needs the whole sequence first."""
        return Streaming.WHOLE if self.reverse is not None else Streaming.SEQUENCE

    # --- verification ----------------------------------------------------------------------------
    def verify_(self) -> None:
        shape, fx = fixed_tensor(self.sequence.type, "fixed.recurrence sequence")
        if not shape:
            raise VerifyException("fixed.recurrence sequence must have a time axis")
        args = self.block.args
        if len(args) != 1 + len(self.initial):
            raise VerifyException(
                f"fixed.recurrence body takes a step and {len(self.initial)} states, got {len(args)} arguments"
            )
        step = TensorType(self.sequence.type.element_type, list(shape[1:]))
        if args[0].type != step:
            raise VerifyException(f"fixed.recurrence body's first argument must be {step}, got {args[0].type}")
        for i, (arg, init, final) in enumerate(zip(args[1:], self.initial, self.finals)):
            fixed_tensor(init.type, f"fixed.recurrence state {i}")
            if arg.type != init.type or final.type != init.type:
                raise VerifyException(f"fixed.recurrence state {i} must keep its type {init.type}")
        if not isinstance(self.block.last_op, YieldOp):
            raise VerifyException("fixed.recurrence body must end in fixed.yield")
        yielded = self.yielded
        if len(yielded) != 1 + len(self.initial):
            raise VerifyException(
                f"fixed.yield must give a step's output and {len(self.initial)} states, got {len(yielded)} values"
            )
        for i, (value, init) in enumerate(zip(yielded[1:], self.initial)):
            if value.type != init.type:
                raise VerifyException(
                    f"fixed.yield state {i} must have the state's type {init.type}, got {value.type}: "
                    "cast it into the state's type"
                )
        out = yielded[0].type
        fixed_tensor(out, "fixed.yield output")
        expected = TensorType(out.element_type, [shape[0], *out.get_shape()])
        if self.output.type != expected:
            raise VerifyException(f"fixed.recurrence output must be {expected}, got {self.output.type}")
        if self.model_bounds is not None and len(self.model_bounds.get_values()) != len(self.results):
            raise VerifyException("fixed.recurrence model_bounds needs one bound per result")


@irdl_op_definition
class YieldOp(IRDLOperation):
    """The end of a time step: the step's output, then the next value of each state."""

    name = "fixed.yield"
    values = var_operand_def(TensorType)
    traits = traits_def(IsTerminator(), HasParent(RecurrenceOp))
    assembly_format = "$values attr-dict `:` type($values)"

    def __init__(self, *values: SSAValue):
        super().__init__(operands=[list(values)])


def capped(walked: np.ndarray, bound: float) -> np.ndarray:
    """A walked bound [rows, *shape] no larger per element than `bound`: the rows of an element whose
    total passes it are scaled down to it (their split between rows kept; an element with an
    infinite row gets the bound in its last row)."""
    total = walked.sum(axis=0)
    over = total > bound
    if not np.any(over) or math.isinf(bound):
        return walked
    infinite = np.isinf(total)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        out = np.where(over, np.nan_to_num(walked * (bound / np.where(over & ~infinite, total, 1.0))), walked)
    if np.any(infinite & over):
        out = np.where(infinite & over, 0.0, out)
        out[-1] = np.where(infinite & over, bound, out[-1])
    return out
