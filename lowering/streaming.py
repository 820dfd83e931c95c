"""The schedule of io_stream kernels: when each packet is read and written.

A tensor [*positions, C] streams as one packet of C values per position, in row-major order. How a
kernel handles its packets is its `stream` kind (plan-streams decides it, dialects/dataflow.py says
what each kind means). The schedule here is the one the emitted C++ follows: one packet read per
step, a step taking the kernel's reuse factor in cycles for pixel, window and sequence kernels (a
sequence kernel writes a step's output with it and its final states after the last step); a window
output as soon as the last input its window reads has arrived (`last_needed`); a buffer kernel after
its whole input and its reuse rounds. plan-streams sizes a window kernel's loop and line buffer
from it (`line_buffer`), size-fifos the FIFOs (`schedule`, `fifo_depth`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from xdsl.ir import Operation

from dialects.dataflow import KernelOp, StreamKind, positions
from dialects.fixed_windows import WindowStreaming


def last_needed(op: Operation) -> np.ndarray:
    """For each output position (row-major), the row-major index of the last input position its
    window reads: the output can be computed once that input has arrived (-1: reads only padding)."""
    assert isinstance(op, WindowStreaming)
    in_spatial = tuple(op.operands[0].type.get_shape()[:-1])
    out_spatial = tuple(op.results[0].type.get_shape()[:-1])
    kernel, strides, dilations, pads = op.window_geometry()
    grids = np.meshgrid(*[np.arange(n) for n in out_spatial], indexing="ij")
    last = np.zeros(out_spatial, dtype=np.int64)
    padding_only = np.zeros(out_spatial, dtype=bool)
    for d in range(len(in_spatial)):
        coordinate = grids[d] * strides[d] - pads[d] + dilations[d] * (kernel[d] - 1)
        padding_only |= coordinate < 0
        last = last * in_spatial[d] + np.clip(coordinate, 0, in_spatial[d] - 1)
    return np.where(padding_only, -1, last).reshape(-1)


def line_buffer(op: Operation) -> tuple[int, int]:
    """A window op's loop of steps (each reads the next input while there is one, then writes the
    next output if its window's last input has arrived) and the rows its line buffer must hold: the
    window's span, or more where padding makes outputs trail the reads (1-D: positions)."""
    assert isinstance(op, WindowStreaming)
    in_shape, out_shape = tuple(op.operands[0].type.get_shape()), tuple(op.results[0].type.get_shape())
    kernel, strides, dilations, pads = op.window_geometry()
    rank = len(in_shape) - 1
    n_out, n_in = positions(op.results[0]), positions(op.operands[0])
    index = np.arange(n_out)
    emitted = np.maximum.accumulate(np.maximum(last_needed(op), 0) - index) + index  # the step of each output
    steps = max(n_in, int(emitted[-1]) + 1)
    # from the oldest row the next output reads to the newest row read
    newest = (np.minimum(emitted + 1, n_in) - 1) // (in_shape[1] if rank == 2 else 1)
    oldest = np.maximum(index // (out_shape[1] if rank == 2 else 1) * strides[0] - pads[0], 0)
    span = dilations[0] * (kernel[0] - 1) + 1
    return steps, int(max(span, int(np.max(newest - oldest)) + 1))


def schedule(kernel: KernelOp, arrivals: Sequence[np.ndarray]) -> tuple[np.ndarray, list[np.ndarray]]:
    """When each input packet is read and each output packet leaves, in cycles, reading at most one
    packet per step as soon as it is there (inputs of a merge are read together). A pixel, window or
    sequence kernel's step takes its reuse factor in cycles (its pipeline's II); a buffer kernel's reuse
    loop takes that many cycles between its last read and its first write."""
    kind = kernel.stream_kind
    ii = kernel.reuse
    count = max((len(a) for a in arrivals), default=0)
    ready = np.zeros(count, dtype=np.int64)
    for a in arrivals:
        ready = np.maximum(ready, a) if len(a) == count else np.maximum(ready, a.max(initial=0))
    step = ii if kind in (StreamKind.PIXEL, StreamKind.WINDOW, StreamKind.SEQUENCE) else 1
    index = np.arange(count) * step
    reads = np.maximum.accumulate(ready - index) + index if count else ready
    outputs = []
    for value in kernel.outputs:
        n = positions(value)
        if kind in (StreamKind.FORK, StreamKind.PIXEL):
            out = reads + step
        elif kind == StreamKind.SEQUENCE:  # a step's output with it, the final states after the last
            out = reads + step if n == count else (reads[-1] if count else 0) + step + np.arange(n)
        elif kind == StreamKind.WINDOW:
            needed = last_needed(kernel.window_op())
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
