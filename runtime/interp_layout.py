"""Interpreter functions for the `layout` dialect: numpy moves on batched arrays of any element type
(float values or integer codes). Run-time values carry a leading batch axis; constants do not."""

from __future__ import annotations

from typing import Any

import numpy as np
from xdsl.interpreter import Interpreter, InterpreterFunctions, impl, register_impls

from dialects import fixed, layout
from dialects.fixedpoint import cast_codes
from dialects.layer import ints
from runtime.interp_fixed import batched


def _pad_code(op: layout.PadOp) -> float | int:
    element = op.input.type.element_type
    value = op.value.value.data
    if isinstance(element, fixed.FixedType):
        return int(value * 2.0**element.format.frac_bits)
    return value


@register_impls
class LayoutFunctions(InterpreterFunctions):
    @impl(layout.TransposeOp)
    def run_transpose(self, interp: Interpreter, op: layout.TransposeOp, args: tuple[Any, ...]):
        x = batched(np.asarray(args[0]), op.input)
        return (np.transpose(x, (0, *(p + 1 for p in ints(op.perm)))),)

    @impl(layout.ReshapeOp)
    def run_reshape(self, interp: Interpreter, op: layout.ReshapeOp, args: tuple[Any, ...]):
        x = batched(np.asarray(args[0]), op.input)
        return (x.reshape(x.shape[0], *op.output.type.get_shape()),)

    @impl(layout.SliceOp)
    def run_slice(self, interp: Interpreter, op: layout.SliceOp, args: tuple[Any, ...]):
        x = batched(np.asarray(args[0]), op.input)
        index = tuple(slice(o, o + n) for o, n in zip(ints(op.offsets), ints(op.sizes)))
        return (x[(slice(None), *index)],)

    @impl(layout.PadOp)
    def run_pad(self, interp: Interpreter, op: layout.PadOp, args: tuple[Any, ...]):
        x = batched(np.asarray(args[0]), op.input)
        pads = ints(op.pads)
        rank = len(pads) // 2
        widths = [(0, 0)] + [(pads[d], pads[rank + d]) for d in range(rank)]
        return (np.pad(x, widths, constant_values=_pad_code(op)),)

    @impl(layout.ResizeOp)
    def run_resize(self, interp: Interpreter, op: layout.ResizeOp, args: tuple[Any, ...]):
        x = batched(np.asarray(args[0]), op.input)
        for axis, scale in enumerate(ints(op.scales)):
            if scale > 1:
                x = np.repeat(x, scale, axis=axis + 1)
        return (x,)

    @impl(layout.ConcatOp)
    def run_concat(self, interp: Interpreter, op: layout.ConcatOp, args: tuple[Any, ...]):
        arrays = [batched(np.asarray(a), v) for a, v in zip(args, op.inputs)]
        result = op.output.type.element_type
        if isinstance(result, fixed.FixedType):  # inputs of narrower types: their codes in the result's
            arrays = [cast_codes(a, fixed.format_of(v), result.format) for a, v in zip(arrays, op.inputs)]
        batch = max(a.shape[0] for a in arrays)
        arrays = [np.broadcast_to(a, (batch, *a.shape[1:])) for a in arrays]
        return (np.concatenate(arrays, axis=op.axis.value.data + 1),)
