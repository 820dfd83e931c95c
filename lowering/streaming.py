"""How a kernel runs in io_stream, and when it produces each element.

A tensor [*positions, C] streams as one packet of C values per position, in row-major order. A kernel
is one of:
- `fork`: yields one input several times (one stream per consumer);
- `pixel`: every op acts on each position alone (elementwise ops, casts, tables, per-position dense
  or 1x1 convolution, reductions along the channel axis): packet in, packet out;
- `window`: a convolution or pooling window first, over a line buffer of the last rows, then per-
  position ops on each output packet;
- `buffer`: anything else (flatten into a dense layer, transposes, global pooling, ...): all input
  packets are stored, the io_parallel body runs, the output packets are streamed out.

`schedule` gives, for each output element, the cycle it leaves the kernel given when its input
elements arrive (one packet per cycle), which `size-fifos` uses to size every FIFO.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from xdsl.ir import Operation, SSAValue

from dialects import fixed, layout
from dialects.dataflow import KernelOp, YieldOp
from dialects.layer import ints

WINDOW_OPS = (fixed.ConvOp, fixed.MaxPoolOp, fixed.SumPoolOp)


def positions(value: SSAValue) -> int:
    return math.prod(value.type.get_shape()[:-1])


def is_pointwise_window(op: Operation) -> bool:
    """A conv/pool whose window is a single position: it acts on each position alone."""
    if not isinstance(op, WINDOW_OPS):
        return False
    kernel = op.weight.type.get_shape()[:-2] if isinstance(op, fixed.ConvOp) else ints(op.kernel)
    return all(k == 1 for k in kernel) and all(s == 1 for s in ints(op.strides)) and not any(ints(op.pads))


def per_position(op: Operation, spatial: tuple[int, ...]) -> bool:
    """Does the op act on each of the `spatial` positions alone (same positions in and out)?"""
    if isinstance(op, fixed.ConstantOp):
        return True
    shapes = [tuple(v.type.get_shape()) for v in (*op.operands, *op.results)]
    parameters = {1, 2} if isinstance(op, fixed.DenseOp | fixed.ConvOp) else set()  # weights, biases
    runtime = [
        tuple(v.type.get_shape())
        for i, v in enumerate(op.operands)
        if not isinstance(v.owner, fixed.ConstantOp) and i not in parameters
    ]
    for i, value in enumerate(op.operands):
        if isinstance(value.owner, fixed.ConstantOp) and i not in parameters:
            if math.prod(value.type.get_shape()[:-1]) != 1:  # broadcast, but not the same at each position
                return False
    if any(s[:-1] != spatial for s in runtime) or any(tuple(r.type.get_shape()[:-1]) != spatial for r in op.results):
        return False
    if isinstance(op, fixed.ReduceOp):
        return op.axis.value.data == len(shapes[0]) - 1
    if isinstance(op, fixed.DenseOp):
        return True
    if isinstance(op, WINDOW_OPS):
        return is_pointwise_window(op)
    if op.dialect_name() == "layout":
        return isinstance(op, layout.ConcatOp) and op.axis.value.data == len(shapes[0]) - 1
    return isinstance(
        op,
        fixed.CastOp
        | fixed.ReluOp
        | fixed.LookupOp
        | fixed.ThresholdOp
        | fixed.SelectOp
        | fixed.ClampOp
        | fixed.BinaryOp,
    )


def stream_kind(kernel: KernelOp) -> str:
    block = kernel.block
    body = [op for op in block.ops if not isinstance(op, YieldOp | fixed.ConstantOp)]
    yielded = block.last_op.values
    if not body and all(v in block.args for v in yielded):
        return "fork"
    start = 0
    if body and isinstance(body[0], WINDOW_OPS) and not is_pointwise_window(body[0]) and body[0].input in block.args:
        spatial = tuple(body[0].results[0].type.get_shape()[:-1])
        start = 1
    elif block.args:
        spatial = tuple(block.args[0].type.get_shape()[:-1])
    else:
        return "buffer"
    if all(per_position(op, spatial) for op in body[start:]) and all(
        tuple(v.type.get_shape()[:-1]) == spatial for v in yielded
    ):
        if start == 1:
            return "window"
        if all(tuple(a.type.get_shape()[:-1]) == spatial for a in block.args):
            return "pixel"
    return "buffer"


def window_geometry(op: Operation) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
    """kernel, strides, dilations, pads of a window op."""
    if isinstance(op, fixed.ConvOp):
        return tuple(op.weight.type.get_shape()[:-2]), ints(op.strides), ints(op.dilations), ints(op.pads)
    kernel = ints(op.kernel)
    return kernel, ints(op.strides), (1,) * len(kernel), ints(op.pads)


def last_needed(op: Operation) -> np.ndarray:
    """For each output position (row-major), the row-major index of the last input position its
    window reads: the output can be computed once that input has arrived (-1: reads only padding)."""
    in_spatial = tuple(op.operands[0].type.get_shape()[:-1])
    out_spatial = tuple(op.results[0].type.get_shape()[:-1])
    kernel, strides, dilations, pads = window_geometry(op)
    grids = np.meshgrid(*[np.arange(n) for n in out_spatial], indexing="ij")
    last = np.zeros(out_spatial, dtype=np.int64)
    padding_only = np.zeros(out_spatial, dtype=bool)
    for d in range(len(in_spatial)):
        coordinate = grids[d] * strides[d] - pads[d] + dilations[d] * (kernel[d] - 1)
        padding_only |= coordinate < 0
        last = last * in_spatial[d] + np.clip(coordinate, 0, in_spatial[d] - 1)
    return np.where(padding_only, -1, last).reshape(-1)


def schedule(kernel: KernelOp, arrivals: Sequence[np.ndarray]) -> tuple[np.ndarray, list[np.ndarray]]:
    """When each input packet is read and each output packet leaves, in cycles, reading at most one
    packet per step as soon as it is there (inputs of a merge are read together). A pixel or window
    kernel's step takes its reuse factor in cycles (its pipeline's II); a buffer kernel's reuse
    loop takes that many cycles between its last read and its first write."""
    kind = stream_kind(kernel)
    ii = kernel.reuse_factor.value.data
    count = max((len(a) for a in arrivals), default=0)
    ready = np.zeros(count, dtype=np.int64)
    for a in arrivals:
        ready = np.maximum(ready, a) if len(a) == count else np.maximum(ready, a.max(initial=0))
    step = ii if kind in ("pixel", "window") else 1
    index = np.arange(count) * step
    reads = np.maximum.accumulate(ready - index) + index if count else ready
    outputs = []
    for value in kernel.outputs:
        n = positions(value)
        if kind in ("fork", "pixel"):
            out = reads + step
        elif kind == "window":
            needed = last_needed(next(op for op in kernel.block.ops if isinstance(op, WINDOW_OPS)))
            at = np.where(needed >= 0, reads[np.maximum(needed, 0)], 0) + step
            out = np.maximum.accumulate(at - step * np.arange(n)) + step * np.arange(n)
        else:
            start = (reads[-1] if count else 0) + ii
            out = start + np.arange(n)
        outputs.append(out[:n] if len(out) >= n else np.concatenate([out, out[-1] + 1 + np.arange(n - len(out))]))
    return reads, outputs


def fifo_depth(produced: np.ndarray, consumed: np.ndarray) -> int:
    """The most packets waiting between a producer and its consumer (at least 2)."""
    if not len(produced):
        return 2
    waiting = np.arange(1, len(produced) + 1) - np.searchsorted(consumed, produced, side="right")
    return int(max(2, waiting.max() + 1))
