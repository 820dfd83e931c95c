"""ONNX node handlers for layout ops: Transpose (a layout change, no op), Flatten, Reshape,
Squeeze/Unsqueeze, Concat and Split.

Takes the registry (onnx_registry.py) and the shared layer rules (layers.py); gives nothing but the
handlers it registers in `HANDLERS` when imported (onnx_importer imports it).
"""

from __future__ import annotations

import math

import onnx

from compiler.importers import layers
from compiler.importers.onnx_registry import GraphImporter, _ints, _static_batch, handles
from dialects import layout


@handles("Transpose")
def _transpose(imp: GraphImporter, node: onnx.NodeProto) -> None:
    """Only changes which logical axis each stored axis holds: no op."""
    tensor = imp.bound(node, node.input[0])
    rank = len(tensor.layout)
    perm = _ints(imp.attrs(node).get("perm", list(reversed(range(rank + 1)))))
    layers.permute(imp, node, tensor, perm, "perm")


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
    tensor = imp.bound(node, node.input[0])
    attrs = imp.attrs(node)
    axes = attrs.get("axes")
    if axes is None and len(node.input) > 1 and node.input[1]:
        axes = imp.constant(node, node.input[1], "axes")
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


@handles("Concat")
def _concat(imp: GraphImporter, node: onnx.NodeProto) -> None:
    layers.concat(imp, node, list(node.input), int(imp.attrs(node)["axis"]))


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
