"""Running a compiled C-simulation library on numpy batches: one call for the whole batch."""

from __future__ import annotations

import ctypes
import os
from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

import numpy as np

from dialects.names import suffixed

Pointers = ctypes.Array  # of `double *`, one per input or output
DOUBLES = ctypes.POINTER(ctypes.POINTER(ctypes.c_double))  # how the entry points take them


def batch_buffers(
    inputs: Sequence[np.ndarray], input_shapes: Sequence[tuple[int, ...]], output_shapes: Sequence[tuple[int, ...]]
) -> tuple[Pointers, Pointers, list[np.ndarray], int]:
    """The C entry points' arguments for a batch: input and output pointer arrays, the output arrays
    (float64, batch first, zero until written) and the batch size. One sample may omit its batch axis."""
    if len(inputs) != len(input_shapes):
        raise ValueError(f"the design takes {len(input_shapes)} inputs, got {len(inputs)}")
    batches = []
    for i, (x, shape) in enumerate(zip(inputs, input_shapes)):
        x = np.asarray(x, dtype=np.float64)
        x = x[np.newaxis] if x.shape == shape else x
        if x.shape[1:] != shape:
            raise ValueError(f"input {i}: expected shape [batch, {', '.join(map(str, shape))}], got {list(x.shape)}")
        if np.isnan(x).any():
            raise ValueError(f"input {i}: contains NaN, which has no fixed-point value")
        batches.append(np.ascontiguousarray(x))
    n = batches[0].shape[0]
    if any(b.shape[0] != n for b in batches):
        raise ValueError("all inputs must have the same batch size")
    outputs = [np.zeros((n, *s), dtype=np.float64) for s in output_shapes]
    pointer = ctypes.POINTER(ctypes.c_double)
    in_ptrs = (pointer * len(batches))(*[b.ctypes.data_as(pointer) for b in batches])
    out_ptrs = (pointer * len(outputs))(*[o.ctypes.data_as(pointer) for o in outputs])
    # the pointer arrays point into `batches`: keep them alive as long as the pointers
    in_ptrs._batches = batches
    return in_ptrs, out_ptrs, outputs, n


class DesignLibrary:
    """A loaded C-simulation library, `entry` its batched entry point, and the design's port shapes."""

    ENTRY_ARGS: ClassVar[list[type]] = []
    ENTRY_RESULT: ClassVar[type | None] = None

    def __init__(
        self,
        library: str | os.PathLike[str],
        entry: str,
        input_shapes: Sequence[Sequence[int]],
        output_shapes: Sequence[Sequence[int]],
    ):
        self.path = Path(library)
        self._lib = ctypes.CDLL(str(self.path))
        self._entry = getattr(self._lib, entry)
        self._entry.restype = self.ENTRY_RESULT
        self._entry.argtypes = [DOUBLES, DOUBLES, ctypes.c_long, *self.ENTRY_ARGS]
        self.input_shapes = [tuple(s) for s in input_shapes]
        self.output_shapes = [tuple(s) for s in output_shapes]


class CSim(DesignLibrary):
    """A loaded `lib<name>.so` with its `<name>_predict(inputs, outputs, n)` entry point."""

    def __init__(
        self,
        library: str | os.PathLike[str],
        name: str,
        input_shapes: Sequence[Sequence[int]],
        output_shapes: Sequence[Sequence[int]],
    ):
        super().__init__(library, suffixed(name, "predict"), input_shapes, output_shapes)

    def predict(self, *inputs: np.ndarray) -> list[np.ndarray]:
        """Outputs (float64, batch first) for a batch of inputs, one array per model input."""
        in_ptrs, out_ptrs, outputs, n = batch_buffers(inputs, self.input_shapes, self.output_shapes)
        self._entry(in_ptrs, out_ptrs, n)
        return outputs
