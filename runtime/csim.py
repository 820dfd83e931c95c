"""Running a compiled C-simulation library on numpy batches: one call for the whole batch."""

from __future__ import annotations

import ctypes
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from dialects.names import suffixed


class CSim:
    """A loaded `lib<name>.so` with its `<name>_predict(inputs, outputs, n)` entry point."""

    def __init__(
        self,
        library: str | os.PathLike[str],
        name: str,
        input_shapes: Sequence[Sequence[int]],
        output_shapes: Sequence[Sequence[int]],
    ):
        self.path = Path(library)
        self._lib = ctypes.CDLL(str(self.path))
        self._entry = getattr(self._lib, suffixed(name, "predict"))
        self._entry.restype = None
        self._entry.argtypes = [
            ctypes.POINTER(ctypes.POINTER(ctypes.c_double)),
            ctypes.POINTER(ctypes.POINTER(ctypes.c_double)),
            ctypes.c_long,
        ]
        self.input_shapes = [tuple(s) for s in input_shapes]
        self.output_shapes = [tuple(s) for s in output_shapes]

    def _batch(self, x: np.ndarray, shape: tuple[int, ...], i: int) -> np.ndarray:
        x = np.asarray(x, dtype=np.float64)
        if x.shape == shape:
            x = x[np.newaxis]  # one sample without its batch axis
        if x.shape[1:] != shape:
            raise ValueError(f"input {i}: expected shape [batch, {', '.join(map(str, shape))}], got {list(x.shape)}")
        if np.isnan(x).any():
            raise ValueError(f"input {i}: contains NaN, which has no fixed-point value")
        return np.ascontiguousarray(x)

    def predict(self, *inputs: np.ndarray) -> list[np.ndarray]:
        """Outputs (float64, batch first) for a batch of inputs, one array per model input."""
        if len(inputs) != len(self.input_shapes):
            raise ValueError(f"the design takes {len(self.input_shapes)} inputs, got {len(inputs)}")
        batches = [self._batch(x, s, i) for i, (x, s) in enumerate(zip(inputs, self.input_shapes))]
        n = batches[0].shape[0]
        if any(b.shape[0] != n for b in batches):
            raise ValueError("all inputs must have the same batch size")
        outputs = [np.empty((n, *s), dtype=np.float64) for s in self.output_shapes]
        pointer = ctypes.POINTER(ctypes.c_double)
        in_ptrs = (pointer * len(batches))(*[b.ctypes.data_as(pointer) for b in batches])
        out_ptrs = (pointer * len(outputs))(*[o.ctypes.data_as(pointer) for o in outputs])
        self._entry(in_ptrs, out_ptrs, n)
        return outputs
