"""ONNX Pad and Resize/Upsample handlers: the ops that re-sample a tensor along its axes.

Pad becomes a crop and layout.pad (constant) or slices joined by a concat (edge, reflect, wrap);
Resize becomes layout.resize (integer nearest upsampling), slices (other nearest mappings) or a
dense layer along the axis (linear, cubic, tf_crop_and_resize). See onnx_registry.py for the
handler contract; gives nothing but the handlers it registers when imported.
"""

from __future__ import annotations

import math

import numpy as np
import onnx

from compiler.importers import layers
from compiler.importers.onnx_registry import GraphImporter, _ints, _static_batch, _text, handles
from dialects import layout, nn


@handles("Pad")
def _pad(imp: GraphImporter, node: onnx.NodeProto) -> None:
    """constant: a crop (negative pads) then layout.pad; edge, reflect, wrap: per axis, slices of
    the input joined by a concat (each output element copies the input element the mode maps it to)."""
    attrs = imp.attrs(node)
    mode = _text(attrs.get("mode"), "constant")
    if mode not in ("constant", "edge", "reflect", "wrap"):
        raise imp.fail(node, f"mode {mode!r} is not supported (constant, edge, reflect, wrap)")
    tensor = imp.bound(node, node.input[0])
    rank = len(tensor.layout) + 1
    if imp.opset < 11:
        pads = attrs.get("pads", attrs.get("paddings"))
        if pads is None:
            raise imp.fail(node, "the pads attribute is missing")
        pads, value = _ints(pads), float(attrs.get("value", 0.0))
    else:
        pads = _ints(imp.constant(node, node.input[1], "pads"))
        constant = imp.optional_constant(node, 2, "constant value")
        value = float(np.asarray(constant).reshape(-1)[0]) if constant is not None and constant.size else 0.0
        axes = imp.optional_constant(node, 3, "axes")
        if axes is not None:
            axes = _ints(axes)
            if len(pads) != 2 * len(axes) or any(not -rank <= a < rank for a in axes):
                raise imp.fail(node, f"pads {pads} do not match axes {axes} of a rank-{rank} input")
            full = [0] * (2 * rank)
            for i, a in enumerate(axes):
                a = a + rank if a < 0 else a
                full[a], full[rank + a] = pads[i], pads[len(axes) + i]
            pads = full
    if len(pads) != 2 * rank or pads[0] or pads[rank]:
        raise imp.fail(node, f"pads {pads} must have {2 * rank} entries and leave the batch axis alone")
    begin, end = pads[1:rank], pads[rank + 1 :]
    shape = tensor.logical_shape
    if any(shape[d] + begin[d] + end[d] < 1 for d in range(rank - 1)):
        raise imp.fail(node, f"pads {pads} leave no element along some axis of {[-1, *shape]}")
    if mode == "constant":
        layers.constant_pad(imp, node, tensor, begin, end, value)
        return
    value_, shape, begin, end = layers.crop(imp, node, tensor, begin, end)  # first, as onnxruntime does
    for axis, logical in enumerate(tensor.layout):
        n = shape[logical]
        source = np.arange(-begin[logical], n + end[logical])
        if mode == "edge":
            index = np.clip(source, 0, n - 1)
        elif mode == "wrap":
            index = np.mod(source, n)
        elif n == 1:
            index = np.zeros_like(source)
        else:  # reflect: period 2(n - 1), mirrored about the first and last element
            index = np.mod(source, 2 * (n - 1))
            index = np.where(index >= n, 2 * (n - 1) - index, index)
        value_ = layers.gather(imp, node, value_, axis, [int(i) for i in index])
    imp.bind(node, value_, tensor.layout)


@handles("Resize", "Upsample")
def _resize(imp: GraphImporter, node: onnx.NodeProto) -> None:
    """Resize as the ONNX definition computes it, one axis at a time: each output index maps to a
    source coordinate (coordinate_transformation_mode). Nearest rounds it to an input index
    (nearest_mode): axes where that repeats each element s times become one layout.resize, any
    other mapping (downsampling, non-integer factors, other roundings) copies slices. Linear and
    cubic interpolation (with antialias, exclude_outside), and tf_crop_and_resize in any mode, are
    a constant matrix along the axis: a dense layer on the tensor with that axis moved last (its
    bias holds the extrapolation value of the rows that fall outside the crop)."""
    attrs = imp.attrs(node)
    mode = _text(attrs.get("mode"), "nearest")
    if mode not in ("nearest", "linear", "cubic"):
        raise imp.fail(node, f"mode {mode!r} is not supported (nearest, linear, cubic)")
    tensor = imp.bound(node, node.input[0])
    shape = list(tensor.logical_shape)
    rank = len(shape) + 1
    legacy = node.op_type == "Upsample" or imp.opset < 11
    if legacy:  # Upsample, Resize-10: floor(output index / scale)
        transform, rounding, policy = "asymmetric", "floor", "stretch"
        scales = attrs.get("scales")
        if scales is None:
            scales = imp.optional_constant(node, 1, "scales")
        sizes = None
    else:
        transform = _text(attrs.get("coordinate_transformation_mode"), "half_pixel")
        rounding = _text(attrs.get("nearest_mode"), "round_prefer_floor")
        policy = _text(attrs.get("keep_aspect_ratio_policy"), "stretch")
        scales = imp.optional_constant(node, 2, "scales")
        sizes = imp.optional_constant(node, 3, "sizes")
    if mode == "nearest" and transform == "tf_half_pixel_for_nn" and rounding not in ("round_prefer_floor", "floor"):
        raise imp.fail(node, f"tf_half_pixel_for_nn with nearest_mode {rounding!r} is not supported")
    if mode == "nearest" and rounding not in ("round_prefer_floor", "round_prefer_ceil", "floor", "ceil"):
        raise imp.fail(node, f"nearest_mode {rounding!r} is not supported")
    axes = [a + rank if a < 0 else a for a in _ints(attrs.get("axes", list(range(rank))))]
    if len(set(axes)) != len(axes) or any(not 0 <= a < rank for a in axes):
        raise imp.fail(node, f"axes {axes} are not distinct axes of a rank-{rank} input")
    # dimension 0 (the batch) must stay as it is; sizes name it as the static batch, or 1 when dynamic
    # (or -1: a dynamic batch's Shape folded to a constant, see constant_folding.py)
    full = [_static_batch(imp) or 1, *shape]

    factors: dict[int, float] = {}
    out: dict[int, int] = {}
    if sizes is not None and np.asarray(sizes).size:
        sizes = _ints(sizes)
        if len(sizes) != len(axes):
            raise imp.fail(node, f"sizes {sizes} do not match axes {axes}")
        if 0 in axes and sizes[axes.index(0)] not in (full[0], -1 if _static_batch(imp) is None else full[0]):
            raise imp.fail(node, f"sizes {sizes} resize the batch axis")
        known = [(a, sz) for a, sz in zip(axes, sizes) if a != 0]
        if policy == "stretch":
            for a, sz in known:
                factors[a], out[a] = sz / full[a], sz
        elif policy in ("not_larger", "not_smaller"):
            ratios = [sz / full[a] for a, sz in known] + ([1.0] if 0 in axes else [])
            scale = min(ratios) if policy == "not_larger" else max(ratios)
            if 0 in axes and scale != 1.0:
                raise imp.fail(node, f"keep_aspect_ratio_policy {policy!r} would resize the batch axis")
            for a, _ in known:
                factors[a], out[a] = scale, int(scale * full[a] + 0.5)
        else:
            raise imp.fail(node, f"keep_aspect_ratio_policy {policy!r} is not supported")
    elif scales is not None and np.asarray(scales).size:
        scales = [float(v) for v in np.asarray(scales, dtype=np.float32).reshape(-1)]
        if len(scales) != len(axes):
            raise imp.fail(node, f"scales {scales} do not match axes {axes}")
        if 0 in axes and scales[axes.index(0)] != 1.0:
            raise imp.fail(node, f"scales {scales} resize the batch axis")
        for a, sc in zip(axes, scales):
            if a != 0:
                if sc <= 0:
                    raise imp.fail(node, f"scales {scales} must be positive")
                factors[a], out[a] = sc, int(sc * full[a])
    else:
        raise imp.fail(node, "needs scales or sizes")

    roi: dict[int, tuple[float, float]] = {}
    if transform == "tf_crop_and_resize":
        given = imp.optional_constant(node, 1, "roi")
        given = [] if given is None else [float(v) for v in np.asarray(given).reshape(-1)]
        if len(given) != 2 * len(axes):
            raise imp.fail(node, f"roi {given} must give a start and an end for each of the axes {axes}")
        roi = {a: (given[i], given[len(axes) + i]) for i, a in enumerate(axes)}
    if any(out[a] < 1 for a in factors):
        raise imp.fail(node, f"the output would have no element along axis {min(a for a in factors if out[a] < 1)}")
    if mode != "nearest" or transform == "tf_crop_and_resize":
        value = tensor.value
        for a in sorted(factors):
            x, outside = _source_coordinates(imp, node, full[a], factors[a], out[a], transform, roi.get(a, (0.0, 1.0)))
            if mode == "nearest":
                matrix = np.eye(full[a])[_rounded(x, rounding, full[a])]
            else:
                matrix = _interpolation(x, full[a], mode, attrs, factors[a] if attrs.get("antialias", 0) else 1.0)
            matrix[outside] = 0.0
            bias = np.where(outside, float(attrs.get("extrapolation_value", 0.0)), 0.0)
            if matrix.shape[0] != matrix.shape[1] or not np.array_equal(matrix, np.eye(full[a])) or bias.any():
                value = _along_axis(imp, node, value, tensor.layout.index(a - 1), matrix, bias)
        imp.bind(node, value, tensor.layout)
        return

    indices = {}
    for a in sorted(factors):
        size, scale, length = full[a], factors[a], out[a]
        # in float32, as onnxruntime (and torch, in its own way) compute it: with a scale that is not
        # a power of two, exact arithmetic can land just below a whole coordinate they reach
        x, _ = _source_coordinates(imp, node, size, scale, length, transform, (0.0, 1.0), np.float32)
        indices[a - 1] = [int(i) for i in _rounded(x, rounding, size)]
    layers.nearest(imp, node, tensor, indices)


def _source_coordinates(
    imp, node, size: int, scale: float, length: int, transform: str, roi: tuple[float, float], dtype=np.float64
):
    """The input coordinate of each of `length` output positions along an axis of `size` (computed
    in `dtype`), and which of them fall outside a tf_crop_and_resize crop (they take the
    extrapolation value)."""
    y = np.arange(length, dtype=dtype)
    scale = dtype(scale)
    width = scale * size  # the unrounded output length
    outside = np.zeros(length, dtype=bool)
    # align_corners, pytorch_half_pixel and tf_crop_and_resize use the output's length (the
    # definition, and onnxruntime; onnx's reference evaluator uses scale * size, which differs
    # when that is not whole, and -0.5 for a pytorch_half_pixel output of length 1)
    if transform == "asymmetric":
        x = y / scale
    elif transform == "half_pixel":
        x = (y + 0.5) / scale - 0.5
    elif transform == "pytorch_half_pixel":
        x = np.zeros(length) if length == 1 else (y + 0.5) / scale - 0.5
    elif transform == "align_corners":
        x = np.zeros(length) if length == 1 else y * (size - 1) / (length - 1)
    elif transform == "half_pixel_symmetric":
        x = size / 2 * (1 - length / width) + (y + 0.5) / scale - 0.5
    elif transform == "tf_half_pixel_for_nn":
        x = (y + 0.5) / scale
    elif transform == "tf_crop_and_resize":
        start, end = roi
        if length == 1:
            x = np.full(length, (start + end) / 2 * (size - 1))
        else:
            x = start * (size - 1) + y * (end - start) * (size - 1) / (length - 1)
        outside = (x < 0) | (x > size - 1)
    else:
        raise imp.fail(node, f"coordinate_transformation_mode {transform!r} is not supported")
    return x, outside


def _rounded(x: np.ndarray, rounding: str, size: int) -> np.ndarray:
    """The input index nearest to each coordinate, ties broken by `rounding` (nearest_mode)."""
    low = np.floor(x)
    ratio = x - low
    up = {
        "round_prefer_floor": ratio > 0.5,
        "round_prefer_ceil": ratio >= 0.5,
        "floor": np.zeros(len(x), dtype=bool),
        "ceil": ratio > 0,
    }[rounding]
    return np.clip(low + up, 0, size - 1).astype(np.int64)


def _interpolation(x: np.ndarray, size: int, mode: str, attrs: dict, scale: float) -> np.ndarray:
    """[len(x), size]: the weight of each input element in each output element of a linear or
    cubic (Keys, coefficient cubic_coeff_a) resize; scale < 1 stretches the kernel by 1 / scale
    (antialias). Taps beyond the edges repeat the edge element, or with exclude_outside are
    dropped (the others renormalised)."""
    stretch = min(scale, 1.0)
    a = float(attrs.get("cubic_coeff_a", -0.75))
    radius = 1 if mode == "linear" else 2

    def kernel(t: np.ndarray) -> np.ndarray:
        t = np.abs(t)
        if mode == "linear":
            return np.maximum(0.0, 1.0 - t)
        near = ((a + 2) * t - (a + 3)) * t * t + 1
        far = ((a * t - 5 * a) * t + 8 * a) * t - 4 * a
        return np.where(t <= 1, near, np.where(t < 2, far, 0.0))

    matrix = np.zeros((len(x), size))
    for row, at in enumerate(x):
        taps = np.arange(math.floor(at - radius / stretch) + 1, math.ceil(at + radius / stretch))
        weights = kernel((taps - at) * stretch)
        if stretch < 1:
            weights = weights / weights.sum()
        if attrs.get("exclude_outside", 0):
            inside = (taps >= 0) & (taps < size)
            if not weights[inside].sum():
                continue  # no tap inside: an extrapolated row of a crop
            taps, weights = taps[inside], weights[inside] / weights[inside].sum()
        np.add.at(matrix[row], np.clip(taps, 0, size - 1), weights)
    return matrix


def _along_axis(imp: GraphImporter, node: onnx.NodeProto, value, axis: int, matrix: np.ndarray, bias: np.ndarray):
    """`matrix` [out, n] (plus `bias`) applied along stored axis `axis`: a dense layer on the
    tensor with that axis moved last and the others flattened into rows."""
    shape = list(value.type.get_shape())
    others = [d for d in range(len(shape)) if d != axis]
    perm = [*others, axis]
    if perm != list(range(len(shape))):
        value = imp.emit(layout.TransposeOp(value, perm, node.name)).output
    rows = [shape[d] for d in others]
    if len(rows) != 1:
        value = imp.emit(layout.ReshapeOp(value, [math.prod(rows), shape[axis]], node.name)).output
    w = imp.const_value(node, np.ascontiguousarray(matrix.T))
    b = imp.const_value(node, bias) if bias.any() else None
    value = imp.emit(nn.DenseOp(value, w, b, layer=node.name)).output
    if len(rows) != 1:
        value = imp.emit(layout.ReshapeOp(value, [*rows, matrix.shape[0]], node.name)).output
    if perm != list(range(len(shape))):
        value = imp.emit(layout.TransposeOp(value, [perm.index(d) for d in range(len(shape))], node.name)).output
    return value
