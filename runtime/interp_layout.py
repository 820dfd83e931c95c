"""Interpreter functions for the `layout` dialect: numpy moves on batched arrays of any element type
(float values or integer codes). Run-time values carry a leading batch axis; constants do not. Each
move is the op's own `move` (dialects/layout.py), which the range analysis applies to bounds."""

from __future__ import annotations

from typing import Any

import numpy as np
from xdsl.interpreter import Interpreter, InterpreterFunctions, impl, register_impls

from dialects import fixed, layout
from dialects.fixedpoint import cast_codes
from runtime.interp_fixed import batched


def _move(op: layout.MoveOp, args: tuple[Any, ...]) -> tuple[np.ndarray]:
    return (op.move(batched(np.asarray(args[0]), op.input)),)


@register_impls
class LayoutFunctions(InterpreterFunctions):
    @impl(layout.TransposeOp)
    def run_transpose(self, interp: Interpreter, op: layout.TransposeOp, args: tuple[Any, ...]):
        return _move(op, args)

    @impl(layout.ReshapeOp)
    def run_reshape(self, interp: Interpreter, op: layout.ReshapeOp, args: tuple[Any, ...]):
        return _move(op, args)

    @impl(layout.SliceOp)
    def run_slice(self, interp: Interpreter, op: layout.SliceOp, args: tuple[Any, ...]):
        return _move(op, args)

    @impl(layout.PadOp)
    def run_pad(self, interp: Interpreter, op: layout.PadOp, args: tuple[Any, ...]):
        return _move(op, args)

    @impl(layout.ResizeOp)
    def run_resize(self, interp: Interpreter, op: layout.ResizeOp, args: tuple[Any, ...]):
        return _move(op, args)

    @impl(layout.ConcatOp)
    def run_concat(self, interp: Interpreter, op: layout.ConcatOp, args: tuple[Any, ...]):
        arrays = [batched(np.asarray(a), v) for a, v in zip(args, op.inputs)]
        result = op.output.type.element_type
        if isinstance(result, fixed.FixedType):  # inputs of narrower types: their codes in the result's
            arrays = [cast_codes(a, fixed.format_of(v), result.format) for a, v in zip(arrays, op.inputs)]
        batch = max(a.shape[0] for a in arrays)
        arrays = [np.broadcast_to(a, (batch, *a.shape[1:])) for a in arrays]
        return (np.concatenate(arrays, axis=op.axis.value.data + 1),)
