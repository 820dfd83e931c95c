"""Shape rules shared by the dialects (numpy broadcasting)."""

from __future__ import annotations

from collections.abc import Sequence


def broadcast_shapes(a: Sequence[int], b: Sequence[int]) -> tuple[int, ...]:
    """The numpy broadcast of two static shapes; ValueError when they are incompatible."""
    out: list[int] = []
    for i in range(1, max(len(a), len(b)) + 1):
        da = a[-i] if i <= len(a) else 1
        db = b[-i] if i <= len(b) else 1
        if da != db and 1 not in (da, db):
            raise ValueError(f"shapes {list(a)} and {list(b)} cannot be broadcast together")
        out.append(max(da, db))
    return tuple(reversed(out))


def window_output_shape(
    spatial: Sequence[int],
    kernel: Sequence[int],
    strides: Sequence[int],
    pads: Sequence[int],
    dilations: Sequence[int],
) -> tuple[int, ...]:
    """Output spatial dims of a sliding window (conv, pool): pads are (begin..., end...)."""
    rank = len(spatial)
    if not (len(kernel) == len(strides) == len(dilations) == rank and len(pads) == 2 * rank):
        raise ValueError(f"window attributes must have {rank} entries (pads {2 * rank})")
    out = []
    for d in range(rank):
        if kernel[d] < 1 or strides[d] < 1 or dilations[d] < 1 or pads[d] < 0 or pads[rank + d] < 0:
            raise ValueError("kernel, strides and dilations must be >= 1 and pads >= 0")
        span = dilations[d] * (kernel[d] - 1) + 1
        size = spatial[d] + pads[d] + pads[rank + d] - span
        if size < 0:
            raise ValueError(
                f"the window ({span}) is larger than the padded input ({spatial[d] + pads[d] + pads[rank + d]})"
            )
        out.append(size // strides[d] + 1)
    return tuple(out)


def transpose_shape(shape: Sequence[int], perm: Sequence[int]) -> tuple[int, ...]:
    if sorted(perm) != list(range(len(shape))):
        raise ValueError(f"{list(perm)} is not a permutation of the {len(shape)} axes")
    return tuple(shape[p] for p in perm)


def concat_shape(shapes: Sequence[Sequence[int]], axis: int) -> tuple[int, ...]:
    first = list(shapes[0])
    if not 0 <= axis < len(first):
        raise ValueError(f"axis {axis} is out of range for rank {len(first)}")
    for shape in shapes[1:]:
        if len(shape) != len(first) or any(a != b for i, (a, b) in enumerate(zip(shape, first)) if i != axis):
            raise ValueError(f"shapes {[list(s) for s in shapes]} differ outside axis {axis}")
    first[axis] = sum(s[axis] for s in shapes)
    return tuple(first)


def slice_shape(shape: Sequence[int], offsets: Sequence[int], sizes: Sequence[int]) -> tuple[int, ...]:
    if not len(offsets) == len(sizes) == len(shape):
        raise ValueError(f"offsets and sizes must have {len(shape)} entries")
    for d, (o, n) in enumerate(zip(offsets, sizes)):
        if o < 0 or n < 1 or o + n > shape[d]:
            raise ValueError(f"slice [{o}, {o + n}) is outside axis {d} of size {shape[d]}")
    return tuple(sizes)


def pad_shape(shape: Sequence[int], pads: Sequence[int]) -> tuple[int, ...]:
    rank = len(shape)
    if len(pads) != 2 * rank or any(p < 0 for p in pads):
        raise ValueError(f"pads must be {2 * rank} non-negative numbers (begin..., end...)")
    return tuple(shape[d] + pads[d] + pads[rank + d] for d in range(rank))


def resize_shape(shape: Sequence[int], scales: Sequence[int]) -> tuple[int, ...]:
    if len(scales) != len(shape) or any(s < 1 for s in scales):
        raise ValueError(f"scales must be {len(shape)} integers >= 1")
    return tuple(d * s for d, s in zip(shape, scales))
