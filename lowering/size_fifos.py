"""size-fifos: the depth of every FIFO of an io_stream design, from the kernels' schedules.

Takes and gives dataflow IR after plan-streams (each kernel's `stream` kind). Walks the design in
order, with the inputs arriving one packet per cycle and each kernel reading at most one packet per
step as soon as it is there, a step of a pixel or window kernel taking its reuse factor in cycles
(lowering/streaming.py gives when each output packet leaves a pixel, window, buffer or fork kernel). A FIFO must hold what
its producer has written and its consumer not yet read: its depth is the largest such count plus one
(at least 2; the extra slot lets a producer write while its consumer reads), so that no producer
waits on a full FIFO in a steady stream, and merges after branches of
different delay (skip connections) do not deadlock. The depths go on each kernel as `fifo_depths`,
and the design's `dataflow.latency` records when its last packet leaves (in cycles).
io_parallel designs are left alone.
"""

from __future__ import annotations

import numpy as np
from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import IntegerAttr, ModuleOp, i64
from xdsl.ir import SSAValue
from xdsl.passes import ModulePass

from dialects.dataflow import LATENCY_ATTR, KernelOp, positions, stream_designs
from dialects.layer import i64_array
from lowering.streaming import fifo_depth, schedule


def size_design(design: func.FuncOp) -> None:
    block = design.body.block
    produced: dict[SSAValue, np.ndarray] = {arg: np.arange(positions(arg)) for arg in block.args}
    consumed: dict[SSAValue, np.ndarray] = {}
    kernels = [op for op in block.ops if isinstance(op, KernelOp)]
    for kernel in kernels:
        reads, outputs = schedule(kernel, [produced[v] for v in kernel.inputs])
        for value in kernel.inputs:
            consumed[value] = (
                reads[: positions(value)]
                if len(reads) >= positions(value)
                else np.full(positions(value), reads[-1] if len(reads) else 0)
            )
        produced.update(zip(kernel.outputs, outputs))
    for kernel in kernels:
        depths = [fifo_depth(produced[r], consumed[r]) if r in consumed else 2 for r in kernel.outputs]
        kernel.properties["fifo_depths"] = i64_array(depths)
    finish = max((int(produced[v][-1]) for v in block.last_op.operands if len(produced[v])), default=0)
    design.attributes[LATENCY_ATTR] = IntegerAttr(finish + 1, i64)


class SizeFifosPass(ModulePass):
    name = "size-fifos"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        for design in stream_designs(op):
            size_design(design)
