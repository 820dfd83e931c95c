"""The layers every front end builds the same way, once the node's parameters are known.

Takes an `Importer` (base.py), the node being imported (for the layer name and messages) and the
operands as refs, `Bound` tensors or numpy constants; emits the nn/layout ops (through
`Importer.build`, so that a parameter the op refuses is a CompileError naming the node) and binds the
node's result with the layout it is stored in. What a front end reads from its own attributes
(defaults, padding modes, opset differences) stays in its handlers.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
from xdsl.ir import Operation, SSAValue

from compiler.importers.base import Bound, Importer, Node, Ref, broadcast_constant, channels_last
from dialects import layout, nn

Operand = Bound | np.ndarray  # a tensor, or a constant operand not yet given a layout


def constant_operand(imp: Importer, node: Node, array: np.ndarray, other: Bound) -> Bound:
    """A constant operand of a broadcasting op, in the other operand's layout."""
    try:
        array = broadcast_constant(array, other.layout)
    except ValueError as err:
        raise imp.fail(node, str(err)) from None
    return Bound(imp.const_value(node, array), other.layout)


def aligned(imp: Importer, node: Node, a: Operand, b: Operand) -> tuple[Bound, Bound]:
    """The two operands of a broadcasting op in one layout: a constant takes the other's; tensors of
    one rank take the first's; run-time tensors of different ranks are refused (the batch axis of the
    shorter one would broadcast against a per-sample axis of the other)."""
    if isinstance(a, np.ndarray):
        return constant_operand(imp, node, a, b), b
    if isinstance(b, np.ndarray):
        return a, constant_operand(imp, node, b, a)
    if a.layout == b.layout:
        return a, b
    if len(a.layout) == len(b.layout):
        return a, Bound(imp.arrange(node, b, a.layout), a.layout)
    # two run-time tensors of different ranks: aligned to the right, the shorter one's batch axis would
    # meet an axis of the other's samples, mixing samples
    raise imp.fail(
        node,
        f"its inputs have different ranks ({len(a.layout) + 1} and {len(b.layout) + 1}): broadcasting would "
        "pair one's batch axis with another axis of the other",
    )


def binary(imp: Importer, node: Node, op_class: type[nn.BinaryOp], a: Operand, b: Operand) -> None:
    """An elementwise nn.add/sub/mul of two broadcasting operands (not both constants)."""
    lhs, rhs = aligned(imp, node, a, b)
    op = imp.build(node, lambda: op_class(lhs.value, rhs.value, layer=imp.layer(node)))
    imp.bind(node, op.output, lhs.layout if len(lhs.layout) >= len(rhs.layout) else rhs.layout)


def unary(imp: Importer, node: Node, ref: Ref, make: Callable[[SSAValue, str], Operation]) -> None:
    """An elementwise op `make(value, layer)`: computed in whatever layout the tensor has."""
    x = imp.bound(node, ref)
    imp.bind(node, imp.build(node, lambda: make(x.value, imp.layer(node))).results[0], x.layout)


def clip(imp: Importer, node: Node, ref: Ref, bounds: dict[str, float]) -> None:
    """nn.clip with bounds `min` and/or `max`; min above max makes every value max (as ONNX and torch do)."""
    if "min" in bounds and "max" in bounds and bounds["min"] > bounds["max"]:
        bounds = {**bounds, "min": bounds["max"]}
    unary(imp, node, ref, lambda x, layer: nn.ClipOp(x, layer, **bounds))


def prelu(imp: Importer, node: Node, x: Bound, slope: np.ndarray) -> None:
    """x > 0 ? x : slope * x, with a constant slope that broadcasts to x (batch axis included)."""
    s = constant_operand(imp, node, slope, x)
    imp.bind(node, imp.build(node, lambda: nn.PReluOp(x.value, s.value, imp.layer(node))).output, x.layout)


def softmax(imp: Importer, node: Node, x: Bound, logical: int) -> None:
    """Softmax along the per-sample logical axis `logical`, in x's layout."""
    op = imp.build(node, lambda: nn.SoftmaxOp(x.value, x.layout.index(logical), layer=imp.layer(node)))
    imp.bind(node, op.output, x.layout)


def layer_norm(
    imp: Importer, node: Node, ref: Ref, axis: int, scale: np.ndarray, bias: np.ndarray | None, epsilon: float
) -> None:
    """Layer normalisation over the per-sample logical axes from `axis` on, in logical order (the
    normalized axes trailing); scale and bias broadcast to the normalized shape."""
    x = imp.logical(node, ref)
    shape = list(x.type.get_shape())
    normalized = shape[axis:]

    def fitted(array: np.ndarray, what: str) -> SSAValue:
        try:
            array = np.broadcast_to(np.asarray(array, dtype=np.float32), normalized)
        except ValueError:
            raise imp.fail(
                node, f"{what} shape {list(np.shape(array))} does not match the normalized shape {normalized}"
            ) from None
        return imp.const_value(node, np.ascontiguousarray(array))

    s = fitted(scale, "scale")
    b = fitted(bias, "bias") if bias is not None else None
    op = imp.build(node, lambda: nn.LayerNormOp(x, s, b, len(shape) - axis, epsilon, imp.layer(node)))
    imp.bind(node, op.output)


def dense(imp: Importer, node: Node, ref: Ref, weight: np.ndarray, bias: np.ndarray | None) -> None:
    """x @ weight (+ bias) on the last logical axis of x; weight [in, out]."""
    x = imp.logical(node, ref)
    shape = x.type.get_shape()
    if weight.ndim != 2 or not shape or shape[-1] != weight.shape[0]:
        raise imp.fail(node, f"input shape {list(shape)} does not match the weight shape {list(weight.shape)}")
    w = imp.const_value(node, weight)
    b = imp.const_value(node, bias.reshape(-1)) if bias is not None else None
    imp.bind(node, imp.build(node, lambda: nn.DenseOp(x, w, b, layer=imp.layer(node))).output)


def conv(
    imp: Importer,
    node: Node,
    x: SSAValue,
    weight: np.ndarray,
    bias: np.ndarray | None,
    strides: Sequence[int],
    dilations: Sequence[int],
    pads: Sequence[int],
    groups: int,
    out_layout: tuple[int, ...],
) -> None:
    """nn.conv of x stored channels-last with weight [*kernel, C/groups, O]; pads (begin..., end...).
    `out_layout`: the logical axes the channels-last result holds."""
    w = imp.const_value(node, weight)
    b = imp.const_value(node, bias) if bias is not None else None
    op = imp.build(node, lambda: nn.ConvOp(x, w, b, strides, dilations, pads, groups, imp.layer(node)))
    imp.bind(node, op.output, out_layout)


def pool(
    imp: Importer,
    node: Node,
    x: SSAValue,
    kernel: Sequence[int],
    strides: Sequence[int],
    pads: Sequence[int],
    average: bool,
    include_pad: bool = False,
) -> None:
    """nn.max_pool or nn.avg_pool (counting the padding with `include_pad`) of x stored channels-last."""

    def make() -> Operation:
        if not average:
            return nn.MaxPoolOp(x, kernel, strides, pads, imp.layer(node))
        op = nn.AvgPoolOp(x, kernel, strides, pads, imp.layer(node))
        if include_pad:
            op.properties["count_include_pad"] = nn.UnitAttr()
        return op

    imp.bind(node, imp.build(node, make).results[0], channels_last(len(x.type.get_shape())))


def global_pool(imp: Importer, node: Node, x: SSAValue, average: bool) -> None:
    """A pool over all spatial axes of x stored channels-last: [*spatial, C] -> [1.., C]."""
    spatial = list(x.type.get_shape()[:-1])
    pool(imp, node, x, spatial, [1] * len(spatial), [0] * (2 * len(spatial)), average=average)


def batch_norm(
    imp: Importer,
    node: Node,
    ref: Ref,
    gamma: np.ndarray,
    beta: np.ndarray,
    mean: np.ndarray,
    var: np.ndarray,
    eps: float,
) -> None:
    """Inference batch normalisation over logical axis 0 (channels): x * scale + shift, with the
    statistics folded in float64; spatial inputs are stored channels-last."""
    scale = gamma / np.sqrt(var + eps)
    shift = beta - mean * scale
    tensor = imp.bound(node, ref)
    x = imp.spatial(node, ref) if len(tensor.layout) > 1 else tensor.value
    out_layout = channels_last(len(tensor.layout)) if len(tensor.layout) > 1 else (0,)
    s, t = imp.const_value(node, scale), imp.const_value(node, shift)
    imp.bind(node, imp.build(node, lambda: nn.BatchNormOp(x, s, t, imp.layer(node))).output, out_layout)


def reshape_to(imp: Importer, node: Node, ref: Ref, shape: list[int]) -> None:
    """The tensor in logical order, reshaped to the per-sample `shape` (no op when it has it)."""
    x = imp.logical(node, ref)
    if math.prod(shape) != math.prod(x.type.get_shape()):
        raise imp.fail(node, f"cannot reshape {list(x.type.get_shape())} to {shape}")
    imp.bind(node, imp.reshaped(node, x, shape))


def permute(imp: Importer, node: Node, tensor: Bound, perm: list[int], what: str) -> None:
    """A transpose by `perm` (over all axes, batch included): only changes which logical axis each
    stored axis holds, no op. `what` names `perm` in the message refusing one that moves the batch."""
    if sorted(perm) != list(range(len(tensor.layout) + 1)) or perm[0] != 0:
        raise imp.fail(node, f"{what} {perm} must keep the batch axis first")
    sample_perm = [p - 1 for p in perm[1:]]  # new logical axis k is old logical axis sample_perm[k]
    imp.bind(node, tensor.value, tuple(sample_perm.index(a) for a in tensor.layout))


def permuted_layout(tensor: Bound, batch: int, perm: Sequence[int]) -> tuple[tuple[int, ...], int]:
    """A transpose by `perm` (over the model's axes) of a tensor whose batch is on model axis
    `batch`: the stored layout that gives the result's per-sample axes, and where its batch goes
    (around recurrent layers the batch may move off axis 0 and back). No op either way."""

    def sample(axis: int) -> int:  # a model axis of the input as a per-sample axis
        return axis - (axis > batch)

    new_batch = list(perm).index(batch)
    sample_perm = [sample(perm[m]) for m in range(len(perm)) if m != new_batch]
    return tuple(sample_perm.index(a) for a in tensor.layout), new_batch


def concat(imp: Importer, node: Node, refs: Sequence[Ref], axis: int) -> None:
    """The tensors joined along the model axis `axis`, in the layout of the first runtime tensor
    (constants take that layout too)."""
    runtime = [ref for ref in refs if not imp.is_constant(ref)]
    if not runtime:
        raise imp.fail(node, "all inputs are constants (constant folding is not supported)")
    reference = imp.bound(node, runtime[0])
    values = []
    for ref in refs:
        if imp.is_constant(ref):
            values.append(constant_operand(imp, node, imp.constant(node, ref, "input"), reference).value)
        else:
            values.append(imp.arrange(node, imp.bound(node, ref), reference.layout))
    logical = imp.sample_axis(node, axis, len(reference.layout))
    op = imp.build(node, lambda: layout.ConcatOp(values, reference.layout.index(logical), imp.layer(node)))
    imp.bind(node, op.output, reference.layout)


def gather(imp: Importer, node: Node, value: SSAValue, axis: int, index: Sequence[int]) -> SSAValue:
    """`value` with its stored axis `axis` replaced by the elements at `index` (static): slices of
    the runs of consecutive indices, joined by a concat."""
    shape = list(value.type.get_shape())
    if list(index) == list(range(shape[axis])):
        return value
    runs: list[list[int]] = []
    for i in index:
        if runs and i == runs[-1][-1] + 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    if len(runs) > 4096:
        raise imp.fail(node, f"the index map along an axis needs {len(runs)} slices (at most 4096 are supported)")
    pieces = []
    for run in runs:
        offsets, sizes = [0] * len(shape), list(shape)
        offsets[axis], sizes[axis] = run[0], len(run)
        pieces.append(imp.emit(layout.SliceOp(value, offsets, sizes, imp.layer(node))).output)
    if len(pieces) == 1:
        return pieces[0]
    return imp.emit(layout.ConcatOp(pieces, axis, imp.layer(node))).output


def nearest(imp: Importer, node: Node, tensor: Bound, indices: dict[int, list[int]]) -> None:
    """Nearest resampling: along each logical axis in `indices`, output element i copies input
    element indices[axis][i]. Axes that repeat every element s times become one layout.resize, any
    other mapping (downsampling, non-integer factors) copies slices."""
    shape = tensor.logical_shape
    repeats = [1] * len(shape)
    gathers: dict[int, list[int]] = {}
    for axis, index in sorted(indices.items()):
        size, length = shape[axis], len(index)
        if index == list(range(size)):
            continue
        if length % size == 0 and index == [i // (length // size) for i in range(length)]:
            repeats[axis] = length // size
        else:
            gathers[axis] = index
    value = tensor.value
    if any(r != 1 for r in repeats):
        value = imp.emit(
            layout.ResizeOp(value, [repeats[logical] for logical in tensor.layout], imp.layer(node))
        ).output
    for logical, index in gathers.items():
        value = gather(imp, node, value, tensor.layout.index(logical), index)
    imp.bind(node, value, tensor.layout)


def crop(
    imp: Importer, node: Node, tensor: Bound, begin: Sequence[int], end: Sequence[int]
) -> tuple[SSAValue, list[int], list[int], list[int]]:
    """The negative parts of per-logical-axis pads `begin`, `end` cropped off the tensor: its value,
    its logical shape then, and the pads that remain (none negative)."""
    shape = list(tensor.logical_shape)
    if all(p >= 0 for p in (*begin, *end)):
        return tensor.value, shape, list(begin), list(end)
    offsets = [max(0, -begin[logical]) for logical in tensor.layout]
    sizes = [shape[logical] - max(0, -begin[logical]) - max(0, -end[logical]) for logical in tensor.layout]
    if any(size < 1 for size in sizes):
        raise imp.fail(node, f"negative pads {list(begin)}, {list(end)} crop away a whole axis")
    value = imp.emit(layout.SliceOp(tensor.value, offsets, sizes, imp.layer(node))).output
    shape = [shape[d] - max(0, -begin[d]) - max(0, -end[d]) for d in range(len(shape))]
    return value, shape, [max(0, p) for p in begin], [max(0, p) for p in end]


def constant_pad(
    imp: Importer, node: Node, tensor: Bound, begin: Sequence[int], end: Sequence[int], fill: float
) -> None:
    """The tensor padded by `begin`/`end` elements per logical axis (negative: cropped) with `fill`."""
    value, _, begin, end = crop(imp, node, tensor, begin, end)
    stored = [begin[logical] for logical in tensor.layout] + [end[logical] for logical in tensor.layout]
    if any(stored):
        value = imp.emit(layout.PadOp(value, stored, fill, imp.layer(node))).output
    imp.bind(node, value, tensor.layout)
