"""Interpreter functions for the `dataflow` dialect: a kernel computes what its region computes.

The dataflow level organises hardware and never changes values, so running a design is running its
kernels' fixed ops in order (see `interp_fixed`). A kernel that streams per position (`stream =
"pixel"`) holds the ops of ONE position: it runs on every position at once, the positions folded
into the batch axis. `func` calls and returns are xDSL's own interpreter functions.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from xdsl.interpreter import Interpreter, InterpreterFunctions, ReturnedValues, impl, impl_terminator, register_impls

from dialects import dataflow


def _batched(array: Any, rank: int) -> np.ndarray:
    array = np.asarray(array)
    return array if array.ndim == rank + 1 else array[np.newaxis]


@register_impls
class DataflowFunctions(InterpreterFunctions):
    @impl(dataflow.KernelOp)
    def run_kernel(self, interp: Interpreter, op: dataflow.KernelOp, args: tuple[Any, ...]):
        if not op.per_position:
            return interp.run_ssacfg_region(op.body, args, op.sym_name.data)
        # [B, *positions, C] -> [B * positions, C]: every position is one more sample of the region
        shapes = [tuple(v.type.get_shape()) for v in op.inputs]
        batches = [_batched(a, len(s)) for a, s in zip(args, shapes)]
        batch = max(b.shape[0] for b in batches)
        packets = [
            np.broadcast_to(b, (batch, *s)).reshape(batch * math.prod(s[:-1]), s[-1]) for b, s in zip(batches, shapes)
        ]
        results = interp.run_ssacfg_region(op.body, tuple(packets), op.sym_name.data)
        outputs = []
        for result, value in zip(results, op.outputs):
            shape = tuple(value.type.get_shape())
            per_position = np.broadcast_to(np.asarray(result), (batch * math.prod(shape[:-1]), shape[-1]))
            outputs.append(per_position.reshape(batch, *shape))
        return tuple(outputs)

    @impl_terminator(dataflow.YieldOp)
    def run_yield(self, interp: Interpreter, op: dataflow.YieldOp, args: tuple[Any, ...]):
        return ReturnedValues(args), ()
