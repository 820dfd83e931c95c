"""ONNX node handlers for layout ops: Transpose (a layout change, no op), Flatten, Reshape, Gather,
Squeeze/Unsqueeze, Concat and Split.

Takes the registry (onnx_registry.py) and the shared layer rules (layers.py); gives nothing but the
handlers it registers in `HANDLERS` when imported (onnx_importer imports it).
"""

from __future__ import annotations

import math

import numpy as np
import onnx

from compiler.importers import layers
from compiler.importers.base import identity
from compiler.importers.onnx_registry import GraphImporter, _ints, _static_batch, handles
from dialects import layout


@handles("Transpose")
def _transpose(imp: GraphImporter, node: onnx.NodeProto) -> None:
    """Only changes which logical axis each stored axis holds: no op. It may move the batch away from
    axis 0 (around a recurrent layer, whose sequences are time-major) or back: the result records
    where the batch is."""
    tensor, batch = imp.batch_bound(node, node.input[0])
    rank = len(tensor.layout) + 1
    perm = _ints(imp.attrs(node).get("perm", list(reversed(range(rank)))))
    if sorted(perm) != list(range(rank)):
        raise imp.fail(node, f"perm {perm} is not a permutation of the {rank} axes")
    imp.bind_batch(node, tensor.value, *layers.permuted_layout(tensor, batch, perm))


@handles("Flatten")
def _flatten(imp: GraphImporter, node: onnx.NodeProto) -> None:
    tensor = imp.bound(node, node.input[0])
    axis = int(imp.attrs(node).get("axis", 1))
    rank = len(tensor.layout) + 1
    if not -rank <= axis <= rank:
        raise imp.fail(node, f"axis {axis} is out of range for rank {rank}")
    axis = axis + rank if axis < 0 else axis
    shape = tensor.logical_shape
    if axis == 0 and imp.batch_is_one:
        axis = 1  # [1, n] either way when the batch is 1 (Keras exports do this)
    if axis == 0:
        raise imp.fail(node, "flattening the batch axis is not supported")
    if axis > 1:
        # the result is [batch * d1 * ... * d(axis-1), rest]: samples would share its first axis
        merged = "axis 1" if axis == 2 else f"axes 1..{axis - 1}"
        raise imp.fail(node, f"axis {axis} merges {merged} into the batch axis; only axis 1 keeps the batch")
    layers.reshape_to(imp, node, node.input[0], [math.prod(shape)])


@handles("Reshape")
def _reshape(imp: GraphImporter, node: onnx.NodeProto) -> None:
    if imp.batch_of(node.input[0]):
        _reshape_time_major(imp, node)
        return
    tensor = imp.bound(node, node.input[0])
    target = _ints(imp.constant(node, node.input[1], "shape"))
    allow_zero = imp.attrs(node).get("allowzero", 0)
    full = [1 if imp.batch_is_one else -1, *tensor.logical_shape]
    batch = _static_batch(imp)
    keeps = (0,) if not allow_zero else ()
    if not target or (target[0] not in (*keeps, -1) and not (batch is not None and target[0] == batch)):
        raise imp.fail(
            node,
            f"shape {target} must keep the batch dimension first "
            f"({'0, ' if not allow_zero else ''}-1{f' or {batch}' if batch is not None else ''})",
        )
    per_sample = [full[i + 1] if (d == 0 and not allow_zero) else d for i, d in enumerate(target[1:])]
    if per_sample.count(-1) > 1 or any(d < -1 or d == 0 for d in per_sample):
        raise imp.fail(node, f"shape {target} is not supported")
    if -1 in per_sample:
        known = math.prod(d for d in per_sample if d != -1)
        per_sample[per_sample.index(-1)] = math.prod(tensor.logical_shape) // max(known, 1)
    layers.reshape_to(imp, node, node.input[0], per_sample)


@handles("Squeeze", "Unsqueeze")
def _squeeze(imp: GraphImporter, node: onnx.NodeProto) -> None:
    attrs = imp.attrs(node)
    axes = attrs.get("axes")
    if axes is None and len(node.input) > 1 and node.input[1]:
        axes = imp.constant(node, node.input[1], "axes")
    if imp.batch_of(node.input[0]):
        _squeeze_time_major(imp, node, axes)
        return
    tensor = imp.bound(node, node.input[0])
    shape = list(tensor.logical_shape)
    if node.op_type == "Squeeze":
        if axes is None:
            new = [d for d in shape if d != 1]
        else:
            drop = {imp.sample_axis(node, a, len(shape)) for a in _ints(axes)}
            if any(shape[a] != 1 for a in drop):
                raise imp.fail(node, f"axes {_ints(axes)} are not all of size 1 in {[-1, *shape]}")
            new = [d for i, d in enumerate(shape) if i not in drop]
    else:
        if axes is None:
            raise imp.fail(node, "axes are required")
        rank = len(shape) + len(_ints(axes))
        positions = sorted((a + rank + 1 if a < 0 else a) for a in _ints(axes))
        if 0 in positions:
            raise imp.fail(node, "inserting an axis before the batch axis is not supported")
        new = list(shape)
        for p in positions:
            new.insert(p - 1, 1)
    layers.reshape_to(imp, node, node.input[0], new)


def _reshape_time_major(imp: GraphImporter, node: onnx.NodeProto) -> None:
    """Reshape of a tensor whose batch is on axis b > 0 (a bidirectional layer's [T, B, D, H] joined
    to [T, B, D*H]): the axes before the batch and the batch stay (0 or their size, then 0 or -1),
    so each sample's remaining axes are reshaped alone, in row-major order as the model's are."""
    tensor, batch = imp.batch_bound(node, node.input[0])
    target = _ints(imp.constant(node, node.input[1], "shape"))
    shape = list(tensor.logical_shape)
    leading = shape[:batch]
    kept = (
        len(target) > batch and all(t in (0, d) for t, d in zip(target[:batch], leading)) and target[batch] in (0, -1)
    )
    if not kept or imp.attrs(node).get("allowzero", 0):
        raise imp.fail(node, f"shape {target} must keep the first {batch} axes and the batch on axis {batch}")
    rest = [shape[batch + i] if t == 0 else t for i, t in enumerate(target[batch + 1 :])]
    if rest.count(-1) > 1 or any(d < -1 or d == 0 for d in rest):
        raise imp.fail(node, f"shape {target} is not supported")
    if -1 in rest:
        known = math.prod(d for d in rest if d != -1)
        rest[rest.index(-1)] = math.prod(shape[batch:]) // max(known, 1)
    new = leading + rest
    if math.prod(new) != math.prod(shape):
        raise imp.fail(node, f"cannot reshape {shape} to {new}")
    x = imp.arrange(node, tensor, identity(len(shape)))
    imp.bind_batch(node, imp.reshaped(node, x, new), identity(len(new)), batch)


def _squeeze_time_major(imp: GraphImporter, node: onnx.NodeProto, axes) -> None:
    """Squeeze of a tensor whose batch is not first (a recurrent layer's [T, D, B, H] output)."""
    tensor, batch = imp.batch_bound(node, node.input[0])
    if node.op_type != "Squeeze" or axes is None:
        raise imp.fail(
            node, f"input '{node.input[0]}' has the batch on axis {batch}: only a Squeeze of given axes handles that"
        )
    rank = len(tensor.layout) + 1
    model_axes = sorted({a + rank if a < 0 else a for a in _ints(axes)})
    if batch in model_axes:
        raise imp.fail(node, "squeezing the batch axis is not supported")
    shape = list(tensor.logical_shape)
    drop = {a - (a > batch) for a in model_axes}
    if any(shape[a] != 1 for a in drop):
        raise imp.fail(node, f"axes {_ints(axes)} are not all of size 1")
    new = [d for i, d in enumerate(shape) if i not in drop]
    x = imp.arrange(node, tensor, identity(len(shape)))
    imp.bind_batch(node, imp.reshaped(node, x, new), identity(len(new)), batch - sum(a < batch for a in model_axes))


@handles("Concat")
def _concat(imp: GraphImporter, node: onnx.NodeProto) -> None:
    if any(imp.batch_of(name) for name in node.input):
        _concat_time_major(imp, node)
        return
    layers.concat(imp, node, list(node.input), int(imp.attrs(node)["axis"]))


def _concat_time_major(imp: GraphImporter, node: onnx.NodeProto) -> None:
    """Concat of tensors whose batch is on the same axis b > 0 (the final states of stacked recurrent
    layers, [D, B, H] each), along another axis."""
    bounds = [imp.batch_bound(node, name) for name in node.input]
    batch = bounds[0][1]
    if any(b != batch or name in imp.constants for (_, b), name in zip(bounds, node.input)):
        raise imp.fail(node, "joins tensors whose batch axes differ: only runtime tensors with the batch on one axis")
    rank = len(bounds[0][0].layout) + 1
    axis = int(imp.attrs(node)["axis"])
    axis = axis + rank if axis < 0 else axis
    if axis == batch or not 0 <= axis < rank:
        raise imp.fail(node, f"axis {axis} is the batch or out of range")
    values = [imp.arrange(node, t, identity(rank - 1)) for t, _ in bounds]
    op = imp.build(node, lambda: layout.ConcatOp(values, axis - (axis > batch), imp.layer(node)))
    imp.bind_batch(node, op.output, identity(rank - 1), batch)


@handles("Split")
def _split(imp: GraphImporter, node: onnx.NodeProto) -> None:
    tensor = imp.bound(node, node.input[0])
    attrs = imp.attrs(node)
    logical = imp.sample_axis(node, int(attrs.get("axis", 0)), len(tensor.layout))
    axis = tensor.layout.index(logical)
    size = tensor.value.type.get_shape()[axis]
    sizes = attrs.get("split")
    if sizes is None and len(node.input) > 1 and node.input[1]:
        sizes = imp.constant(node, node.input[1], "split")
    count = len(node.output)
    if sizes is None:
        parts = int(attrs.get("num_outputs", count))
        chunk = math.ceil(size / parts)
        sizes = [min(chunk, size - i * chunk) for i in range(parts)]
    sizes = _ints(sizes)
    if sum(sizes) != size or len(sizes) != count or any(s < 1 for s in sizes):
        raise imp.fail(node, f"split sizes {sizes} do not divide axis {logical + 1} of size {size} into {count}")
    shape = list(tensor.value.type.get_shape())
    start = 0
    for index, part in enumerate(sizes):
        offsets, extents = [0] * len(shape), list(shape)
        offsets[axis], extents[axis] = start, part
        op = imp.emit(layout.SliceOp(tensor.value, offsets, extents, node.name))
        imp.bind(node, op.output, tensor.layout, index)
        start += part


@handles("Gather")
def _gather(imp: GraphImporter, node: onnx.NodeProto) -> None:
    """Elements of a runtime tensor at constant indices along an axis (a sequence's last step
    `y[:, -1]`, the last layer's final state `h_n[-1]` whose batch is on axis 1): slices, then the
    indices' shape in place of the axis (none for a scalar index)."""
    tensor, batch = imp.batch_bound(node, node.input[0])
    shape = list(tensor.logical_shape)
    model_axis = int(imp.attrs(node).get("axis", 0))
    model_axis = model_axis + len(shape) + 1 if model_axis < 0 else model_axis
    if model_axis == batch or not 0 <= model_axis <= len(shape):
        raise imp.fail(
            node, f"axis {model_axis} is the batch or out of range: gathering along the batch is not supported"
        )
    axis = model_axis - (model_axis > batch)
    indices = np.asarray(imp.constant(node, node.input[1], "indices"))
    if indices.dtype.kind not in "iu":
        raise imp.fail(node, f"indices must be integers, got {indices.dtype}")
    if np.any(indices < -shape[axis]) or np.any(indices >= shape[axis]):
        raise imp.fail(node, f"indices {indices.ravel().tolist()} are out of range for an axis of {shape[axis]}")
    flat = [int(i) % shape[axis] for i in indices.ravel()]
    picked = layers.gather(imp, node, imp.arrange(node, tensor, identity(len(shape))), axis, flat)
    new = shape[:axis] + list(indices.shape) + shape[axis + 1 :]
    # the batch moves with the axes before it: a scalar index drops one, an index array adds its own
    new_batch = batch + (indices.ndim - 1 if model_axis < batch else 0)
    imp.bind_batch(node, imp.reshaped(node, picked, new), identity(len(new)), new_batch)
