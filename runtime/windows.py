"""Sliding windows on batched numpy arrays, shared by the emulator's conv and pooling."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def windows(
    x: np.ndarray,
    kernel: Sequence[int],
    strides: Sequence[int],
    pads: Sequence[int],
    dilations: Sequence[int],
    pad_value: int,
) -> np.ndarray:
    """[batch, *spatial, C] -> [batch, *out, C, *kernel]: the (dilated, strided) window of every output."""
    rank = len(kernel)
    widths = [(0, 0)] + [(pads[d], pads[rank + d]) for d in range(rank)] + [(0, 0)]
    padded = np.pad(x, widths, constant_values=pad_value) if any(pads) else x
    spans = [dilations[d] * (kernel[d] - 1) + 1 for d in range(rank)]
    view = np.lib.stride_tricks.sliding_window_view(padded, spans, axis=tuple(range(1, rank + 1)))
    strided = (slice(None),) + tuple(slice(None, None, s) for s in strides) + (slice(None),)
    dilated = tuple(slice(None, None, d) for d in dilations)
    return view[strided + dilated]
