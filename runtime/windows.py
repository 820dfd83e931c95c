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
    padded = _pad(x, widths, pad_value) if any(pads) else x
    spans = [dilations[d] * (kernel[d] - 1) + 1 for d in range(rank)]
    view = np.lib.stride_tricks.sliding_window_view(padded, spans, axis=tuple(range(1, rank + 1)))
    strided = (slice(None),) + tuple(slice(None, None, s) for s in strides) + (slice(None),)
    dilated = tuple(slice(None, None, d) for d in dilations)
    return view[strided + dilated]


def _pad(x: np.ndarray, widths: list[tuple[int, int]], pad_value: int) -> np.ndarray:
    """x padded with pad_value. Not np.pad: it would write the value as a numpy int64 into an array
    of Python ints (codes wider than 62 bits), and arithmetic with an int64 wraps at 64 bits."""
    padded = np.full([n + before + after for n, (before, after) in zip(x.shape, widths)], pad_value, dtype=x.dtype)
    padded[tuple(slice(before, before + n) for n, (before, _) in zip(x.shape, widths))] = x
    return padded
