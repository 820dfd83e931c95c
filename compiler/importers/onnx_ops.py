"""ONNX node handlers: one function per operator, each emitting nn/layout ops through the importer.

A handler reads its inputs as values in the layout it needs (`imp.logical`, `imp.spatial`) or as
constants (`imp.constant`), and binds its outputs with the layout they are stored in. Attributes
follow the ONNX operator definitions (defaults included); anything outside what we support is a
CompileError naming the node and the attribute.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import onnx
from onnx import numpy_helper

from compiler.importers.onnx_importer import Bound, GraphImporter, broadcast_constant, channels_last, identity
from dialects import layout, nn

Handler = Callable[[GraphImporter, onnx.NodeProto], None]
HANDLERS: dict[tuple[str, str], Handler] = {}


def handles(*op_types: str, domain: str = "") -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        for op_type in op_types:
            HANDLERS[(domain, op_type)] = fn
        return fn

    return register


def _ints(values) -> list[int]:
    return [int(v) for v in np.asarray(values).reshape(-1)]


def _text(value, default: str) -> str:
    """A string attribute (onnx gives bytes)."""
    if value is None:
        return default
    return value.decode() if isinstance(value, bytes) else str(value)


def _static_batch(imp: GraphImporter) -> int | None:
    """The batch size the graph's runtime inputs declare (dimension 0), if one static size."""
    initialized = {t.name for t in imp.model.graph.initializer}
    sizes = set()
    for value_info in imp.model.graph.input:
        dims = value_info.type.tensor_type.shape.dim
        if value_info.name not in initialized and dims and dims[0].dim_value > 0:
            sizes.add(dims[0].dim_value)
    return sizes.pop() if len(sizes) == 1 else None


def _gather(imp: GraphImporter, node: onnx.NodeProto, value, axis: int, index: list[int]):
    """`value` with its stored axis `axis` replaced by the elements at `index` (static): slices of
    the runs of consecutive indices, joined by a concat."""
    shape = list(value.type.get_shape())
    if index == list(range(shape[axis])):
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
        pieces.append(imp.emit(layout.SliceOp(value, offsets, sizes, node.name)).output)
    if len(pieces) == 1:
        return pieces[0]
    return imp.emit(layout.ConcatOp(pieces, axis, node.name)).output


# --------------------------------------------------------------------------------------------------
# Constants and no-ops


@handles("Constant")
def _constant(imp: GraphImporter, node: onnx.NodeProto) -> None:
    attrs = imp.attrs(node)
    if "value" in attrs:
        array = numpy_helper.to_array(attrs["value"])
    elif "value_float" in attrs or "value_int" in attrs:
        array = np.array(attrs.get("value_float", attrs.get("value_int")))
    elif "value_floats" in attrs or "value_ints" in attrs:
        array = np.array(attrs.get("value_floats", attrs.get("value_ints")))
    else:
        raise imp.fail(node, f"only value, value_float(s) and value_int(s) are supported, got {sorted(attrs)}")
    imp.constants[node.output[0]] = array.astype(np.float32) if array.dtype.kind == "f" else array


@handles("Identity")
def _identity(imp: GraphImporter, node: onnx.NodeProto) -> None:
    imp.alias(node)


@handles("Dropout")
def _dropout(imp: GraphImporter, node: onnx.NodeProto) -> None:
    if len(node.output) > 1 and node.output[1]:
        raise imp.fail(node, "the mask output is not supported")
    training = imp.optional_constant(node, 2, "training_mode")
    if training is not None and bool(np.asarray(training).reshape(-1)[0]):
        ratio = imp.optional_constant(node, 1, "ratio")
        ratio = 0.5 if ratio is None else float(np.asarray(ratio).reshape(-1)[0])
        if ratio != 0.0:
            raise imp.fail(node, f"training_mode=1 with ratio {ratio:g} (random dropout) is not supported")
    imp.alias(node)


# --------------------------------------------------------------------------------------------------
# Dense layers


def _dense(imp: GraphImporter, node: onnx.NodeProto, weight: np.ndarray, bias: np.ndarray | None) -> None:
    x = imp.logical(node, node.input[0])
    shape = x.type.get_shape()
    if not shape or shape[-1] != weight.shape[0]:
        raise imp.fail(node, f"input shape {list(shape)} does not match the weight shape {list(weight.shape)}")
    w = imp.const_value(weight, node.name)
    b = imp.const_value(bias, node.name) if bias is not None else None
    imp.bind(node, imp.emit(nn.DenseOp(x, w, b, layer=node.name)).output)


@handles("Gemm")
def _gemm(imp: GraphImporter, node: onnx.NodeProto) -> None:
    attrs = imp.attrs(node)
    if attrs.get("transA", 0):
        raise imp.fail(node, "transA=1 is not supported")
    weight = imp.constant(node, node.input[1], "weight B")
    if weight.ndim != 2:
        raise imp.fail(node, f"weight must be 2-D, got shape {list(weight.shape)}")
    if attrs.get("transB", 0):
        weight = weight.T
    weight = weight * np.float32(attrs.get("alpha", 1.0))
    bias = imp.optional_constant(node, 2, "bias C")
    if bias is not None:
        bias = bias * np.float32(attrs.get("beta", 1.0))
        try:
            bias = np.broadcast_to(bias, (1, weight.shape[1])).reshape(weight.shape[1]).astype(np.float32)
        except ValueError:
            raise imp.fail(node, f"bias shape {list(bias.shape)} does not broadcast to [{weight.shape[1]}]") from None
    _dense(imp, node, weight.astype(np.float32), bias)


@handles("MatMul")
def _matmul(imp: GraphImporter, node: onnx.NodeProto) -> None:
    """x @ W with a constant W: a dense layer (2-D W); 1-D W drops the last axis; W with leading
    (broadcast) axes is a dense layer per matrix of W, on the matching matrix of x."""
    weight = imp.constant(node, node.input[1], "second operand").astype(np.float32)
    if weight.ndim == 2:
        _dense(imp, node, weight, None)
        return
    tensor = imp.bound(node, node.input[0])
    rank = len(tensor.layout)  # per sample
    if rank == 0:
        raise imp.fail(node, "a 1-D first operand would contract over the batch axis")
    if weight.ndim == 1:
        x = imp.logical(node, node.input[0])
        shape = list(x.type.get_shape())
        if shape[-1] != weight.shape[0]:
            raise imp.fail(node, f"input shape {shape} does not match the second operand {list(weight.shape)}")
        if rank == 1:
            raise imp.fail(node, "a vector times a vector has no axis left per sample")
        w = imp.const_value(weight.reshape(-1, 1), node.name)
        y = imp.emit(nn.DenseOp(x, w, None, layer=node.name)).output
        imp.bind(node, imp.emit(layout.ReshapeOp(y, shape[:-1], node.name)).output)
        return
    if weight.ndim > rank + 1 or (weight.ndim == rank + 1 and weight.shape[0] != 1):
        raise imp.fail(node, f"a second operand of shape {list(weight.shape)} varies over the batch axis")
    if rank < 2:
        raise imp.fail(node, f"a first operand of rank {rank + 1} cannot take a stack of matrices")
    weight = weight.reshape(weight.shape[1:]) if weight.ndim == rank + 1 else weight
    x = imp.logical(node, node.input[0])
    shape = list(x.type.get_shape())
    x_groups, (m, k) = shape[:-2], shape[-2:]
    w_groups, (k_w, n) = list(weight.shape[:-2]), weight.shape[-2:]
    if k != k_w:
        raise imp.fail(node, f"input shape {shape} does not match the second operand {list(weight.shape)}")
    w_groups = [1] * (len(x_groups) - len(w_groups)) + w_groups
    try:
        groups = list(np.broadcast_shapes(tuple(x_groups), tuple(w_groups)))
    except ValueError:
        raise imp.fail(node, f"shapes {shape} and {list(weight.shape)} do not broadcast") from None
    weight = np.broadcast_to(weight.reshape(*w_groups, k, n), (*groups, k, n))
    parts = []
    for g in np.ndindex(*groups):
        at = [i if size > 1 else 0 for i, size in zip(g, x_groups)]
        piece = imp.emit(layout.SliceOp(x, [*at, 0, 0], [1] * len(at) + [m, k], node.name)).output
        piece = imp.emit(layout.ReshapeOp(piece, [m, k], node.name)).output
        w = imp.const_value(np.ascontiguousarray(weight[g]), node.name)
        y = imp.emit(nn.DenseOp(piece, w, None, layer=node.name)).output
        parts.append(imp.emit(layout.ReshapeOp(y, [1, m, n], node.name)).output)
    joined = parts[0] if len(parts) == 1 else imp.emit(layout.ConcatOp(parts, 0, node.name)).output
    imp.bind(node, imp.emit(layout.ReshapeOp(joined, [*groups, m, n], node.name)).output)


# --------------------------------------------------------------------------------------------------
# Elementwise arithmetic and activations


def _constant_operand(imp: GraphImporter, node: onnx.NodeProto, array: np.ndarray, other: Bound) -> Bound:
    """A constant operand of a broadcasting op, in the other operand's layout."""
    try:
        array = broadcast_constant(array, other.layout)
    except ValueError as err:
        raise imp.fail(node, str(err)) from None
    return Bound(imp.const_value(array, node.name), other.layout)


def _binary_operands(imp: GraphImporter, node: onnx.NodeProto) -> tuple[Bound, Bound]:
    a_name, b_name = node.input[0], node.input[1]
    if imp.is_constant(a_name) and imp.is_constant(b_name):
        raise imp.fail(node, "both operands are constants (constant folding is not supported)")
    if imp.is_constant(a_name):
        b = imp.bound(node, b_name)
        return _constant_operand(imp, node, imp.constants[a_name], b), b
    a = imp.bound(node, a_name)
    if imp.is_constant(b_name):
        return a, _constant_operand(imp, node, imp.constants[b_name], a)
    b = imp.bound(node, b_name)
    if a.layout == b.layout:
        return a, b
    if len(a.layout) == len(b.layout):
        return a, Bound(imp.arrange(node, b, a.layout), a.layout)
    return (
        Bound(imp.logical(node, a_name), identity(len(a.layout))),
        Bound(imp.logical(node, b_name), identity(len(b.layout))),
    )


@handles("Add", "Sub", "Mul")
def _binary(imp: GraphImporter, node: onnx.NodeProto) -> None:
    a, b = _binary_operands(imp, node)
    op_class = {"Add": nn.AddOp, "Sub": nn.SubOp, "Mul": nn.MulOp}[node.op_type]
    try:
        op = op_class(a.value, b.value, layer=node.name)
    except ValueError as err:
        raise imp.fail(node, str(err)) from None
    layout_ = a.layout if len(a.layout) >= len(b.layout) else b.layout
    imp.bind(node, imp.emit(op).output, layout_)


def _unary(imp: GraphImporter, node: onnx.NodeProto, make) -> None:
    x = imp.bound(node, node.input[0])
    imp.bind(node, imp.emit(make(x.value)).output, x.layout)


def _elementwise(op_class) -> Handler:
    return lambda imp, node: _unary(imp, node, lambda x: op_class(x, layer=node.name))


HANDLERS[("", "Relu")] = _elementwise(nn.ReluOp)
HANDLERS[("", "Sigmoid")] = _elementwise(nn.SigmoidOp)
HANDLERS[("", "Tanh")] = _elementwise(nn.TanhOp)


@handles("LeakyRelu")
def _leaky_relu(imp: GraphImporter, node: onnx.NodeProto) -> None:
    alpha = float(imp.attrs(node).get("alpha", 0.01))
    _unary(imp, node, lambda x: nn.LeakyReluOp(x, node.name, alpha=alpha))


@handles("ThresholdedRelu")
def _thresholded_relu(imp: GraphImporter, node: onnx.NodeProto) -> None:
    alpha = float(imp.attrs(node).get("alpha", 1.0))
    _unary(imp, node, lambda x: nn.ThresholdedReluOp(x, node.name, alpha=alpha))


@handles("HardSigmoid")
def _hard_sigmoid(imp: GraphImporter, node: onnx.NodeProto) -> None:
    attrs = imp.attrs(node)
    alpha, beta = float(attrs.get("alpha", 0.2)), float(attrs.get("beta", 0.5))
    _unary(imp, node, lambda x: nn.HardSigmoidOp(x, node.name, alpha=alpha, beta=beta))


@handles("Elu", "Selu", "Softplus")
def _smooth(imp: GraphImporter, node: onnx.NodeProto) -> None:
    attrs = imp.attrs(node)
    params = {
        "Elu": [float(attrs.get("alpha", 1.0))],
        "Selu": [
            float(attrs.get("alpha", 1.67326319217681884765625)),
            float(attrs.get("gamma", 1.05070102214813232421875)),
        ],
        "Softplus": [],
    }[node.op_type]
    _unary(imp, node, lambda x: nn.ActivationOp(x, node.op_type.lower(), params, node.name))


@handles("Clip")
def _clip(imp: GraphImporter, node: onnx.NodeProto) -> None:
    attrs = imp.attrs(node)
    if imp.opset < 11:
        low, high = attrs.get("min"), attrs.get("max")
    else:
        low_c, high_c = imp.optional_constant(node, 1, "min"), imp.optional_constant(node, 2, "max")
        low = None if low_c is None else float(np.asarray(low_c).reshape(()))
        high = None if high_c is None else float(np.asarray(high_c).reshape(()))
    bounds = {k: float(v) for k, v in (("min", low), ("max", high)) if v is not None}
    if "min" in bounds and "max" in bounds and bounds["min"] > bounds["max"]:
        bounds["min"] = bounds["max"]  # ONNX: every value becomes max
    _unary(imp, node, lambda x: nn.ClipOp(x, node.name, **bounds))


@handles("PRelu")
def _prelu(imp: GraphImporter, node: onnx.NodeProto) -> None:
    x = imp.bound(node, node.input[0])
    slope = _constant_operand(imp, node, imp.constant(node, node.input[1], "slope"), x)
    try:
        op = nn.PReluOp(x.value, slope.value, node.name)
        op.verify_()
    except Exception as err:
        raise imp.fail(node, str(err)) from None
    imp.bind(node, imp.emit(op).output, x.layout)


@handles("Softmax")
def _softmax(imp: GraphImporter, node: onnx.NodeProto) -> None:
    x = imp.bound(node, node.input[0])
    rank = len(x.layout)
    axis = imp.attrs(node).get("axis", -1 if imp.opset >= 13 else 1)
    logical = imp.sample_axis(node, int(axis), rank)
    # before opset 13 softmax normalises over all axes from `axis` on: the last axis only, here
    if imp.opset < 13 and logical != rank - 1:
        raise imp.fail(
            node, f"opset {imp.opset} softmax over axes {logical + 1}..{rank} is not supported; only the last"
        )
    imp.bind(node, imp.emit(nn.SoftmaxOp(x.value, x.layout.index(logical), layer=node.name)).output, x.layout)


# --------------------------------------------------------------------------------------------------
# Spatial layers (channels-last inside)


def _window(
    imp: GraphImporter, node: onnx.NodeProto, spatial: tuple[int, ...], kernel: list[int]
) -> tuple[list, list, list]:
    """strides, dilations, pads (begin..., end...) of a conv/pool node, auto_pad and ceil_mode resolved."""
    attrs = imp.attrs(node)
    rank = len(spatial)
    strides = _ints(attrs.get("strides", [1] * rank))
    dilations = _ints(attrs.get("dilations", [1] * rank))
    pads = _ints(attrs.get("pads", [0] * (2 * rank)))
    auto_pad = attrs.get("auto_pad", b"NOTSET")
    auto_pad = auto_pad.decode() if isinstance(auto_pad, bytes) else auto_pad
    if auto_pad in ("SAME_UPPER", "SAME_LOWER"):
        pads = [0] * (2 * rank)
        for d in range(rank):
            out = math.ceil(spatial[d] / strides[d])
            total = max((out - 1) * strides[d] + (kernel[d] - 1) * dilations[d] + 1 - spatial[d], 0)
            small, large = total // 2, total - total // 2
            pads[d], pads[rank + d] = (small, large) if auto_pad == "SAME_UPPER" else (large, small)
    elif auto_pad == "VALID":
        pads = [0] * (2 * rank)
    elif auto_pad != "NOTSET":
        raise imp.fail(node, f"auto_pad {auto_pad!r} is not supported")
    if attrs.get("ceil_mode", 0):
        for d in range(rank):
            span = (kernel[d] - 1) * dilations[d] + 1
            padded = spatial[d] + pads[d] + pads[rank + d]
            out = math.ceil((padded - span) / strides[d]) + 1
            if (out - 1) * strides[d] >= spatial[d] + pads[d]:  # the last window must start inside
                out -= 1
            pads[rank + d] += max(0, (out - 1) * strides[d] + span - padded)
    if len(strides) != rank or len(dilations) != rank or len(pads) != 2 * rank:
        raise imp.fail(node, f"strides, dilations and pads must match {rank} spatial axes")
    return strides, dilations, pads


@handles("Conv")
def _conv(imp: GraphImporter, node: onnx.NodeProto) -> None:
    x = imp.spatial(node, node.input[0])
    weight = imp.constant(node, node.input[1], "weight")
    _conv_common(imp, node, x, np.moveaxis(weight, (0, 1), (-1, -2)), channels_last(len(x.type.get_shape())))


@handles("Conv", domain="qonnx.custom_op.channels_last")
def _conv_channels_last(imp: GraphImporter, node: onnx.NodeProto) -> None:
    """qonnx's channels-last Conv: data [N, *spatial, C], weights [O, *kernel, I/groups]."""
    x = imp.logical(node, node.input[0])
    weight = imp.constant(node, node.input[1], "weight")
    _conv_common(imp, node, x, np.moveaxis(weight, 0, -1), identity(len(x.type.get_shape())))


def _conv_common(imp, node, x, weight: np.ndarray, out_layout) -> None:
    """x stored channels-last; weight [*kernel, I/groups, O]."""
    attrs = imp.attrs(node)
    spatial = tuple(x.type.get_shape()[:-1])
    kernel = list(weight.shape[:-2])
    if "kernel_shape" in attrs and _ints(attrs["kernel_shape"]) != kernel:
        raise imp.fail(node, f"kernel_shape {attrs['kernel_shape']} does not match the weight {list(weight.shape)}")
    strides, dilations, pads = _window(imp, node, spatial, kernel)
    bias = imp.optional_constant(node, 2, "bias")
    groups = int(attrs.get("group", 1))
    w = imp.const_value(weight, node.name)
    b = imp.const_value(bias, node.name) if bias is not None else None
    try:
        op = nn.ConvOp(x, w, b, strides, dilations, pads, groups, node.name)
        op.verify_()
    except Exception as err:
        raise imp.fail(node, " ".join(str(err).split())) from None
    imp.bind(node, imp.emit(op).output, out_layout)


@handles("MaxPool", "AveragePool")
def _pool(imp: GraphImporter, node: onnx.NodeProto) -> None:
    attrs = imp.attrs(node)
    if len(node.output) > 1 and node.output[1]:
        raise imp.fail(node, "the indices output is not supported")
    x = imp.spatial(node, node.input[0])
    spatial = tuple(x.type.get_shape()[:-1])
    kernel = _ints(attrs["kernel_shape"])
    strides, dilations, pads = _window(imp, node, spatial, kernel)
    average, include_pad = node.op_type == "AveragePool", bool(attrs.get("count_include_pad", 0))
    if any(d != 1 for d in dilations):
        x, strides, pads = _undilate(imp, node, x, kernel, strides, dilations, pads, average, include_pad)
    _emit_pool(imp, node, x, kernel, strides, pads, average=average, include_pad=include_pad)


def _undilate(imp, node, x, kernel, strides, dilations, pads, average: bool, include_pad: bool):
    """A dilated pool as a plain one: pad explicitly (the lowest value for max, 0 for an average
    that counts the padding), then copy each window's taps next to each other (slices) so that a
    pool with kernel = stride = the window reads them. Returns (input, strides, pads) for it."""
    rank = len(kernel)
    if any(pads) and average and not include_pad:
        raise imp.fail(node, f"dilations {dilations} with padding left out of the count are not supported")
    if any(pads):
        value = 0.0 if average else float(np.finfo(np.float32).min)
        x = imp.emit(layout.PadOp(x, [*pads[:rank], 0, *pads[rank:], 0], value, node.name)).output
    shape = x.type.get_shape()
    for d in range(rank):
        span = (kernel[d] - 1) * dilations[d] + 1
        if span > shape[d]:
            raise imp.fail(node, f"the dilated window ({span}) is larger than the padded input ({shape[d]})")
        out = (shape[d] - span) // strides[d] + 1
        index = [i * strides[d] + k * dilations[d] for i in range(out) for k in range(kernel[d])]
        x = _gather(imp, node, x, d, index)
    return x, list(kernel), [0] * (2 * rank)


@handles("GlobalAveragePool", "GlobalMaxPool")
def _global_pool(imp: GraphImporter, node: onnx.NodeProto) -> None:
    x = imp.spatial(node, node.input[0])
    spatial = list(x.type.get_shape()[:-1])
    _emit_pool(
        imp,
        node,
        x,
        spatial,
        [1] * len(spatial),
        [0] * (2 * len(spatial)),
        average=node.op_type == "GlobalAveragePool",
        include_pad=False,
    )


def _emit_pool(imp, node, x, kernel, strides, pads, average: bool, include_pad: bool) -> None:
    try:
        if average:
            op = nn.AvgPoolOp(x, kernel, strides, pads, node.name)
            if include_pad:
                op.properties["count_include_pad"] = nn.UnitAttr()
        else:
            op = nn.MaxPoolOp(x, kernel, strides, pads, node.name)
        op.verify_()
    except Exception as err:
        raise imp.fail(node, " ".join(str(err).split())) from None
    imp.bind(node, imp.emit(op).output, channels_last(len(x.type.get_shape())))


@handles("BatchNormalization")
def _batchnorm(imp: GraphImporter, node: onnx.NodeProto) -> None:
    attrs = imp.attrs(node)
    if attrs.get("training_mode", 0) or any(node.output[1:]):
        raise imp.fail(node, "only inference (one output, training_mode=0) is supported")
    gamma, beta, mean, var = (
        imp.constant(node, node.input[i], what).astype(np.float64)
        for i, what in ((1, "scale"), (2, "bias"), (3, "mean"), (4, "variance"))
    )
    scale = gamma / np.sqrt(var + float(attrs.get("epsilon", 1e-5)))
    shift = beta - mean * scale
    tensor = imp.bound(node, node.input[0])
    x = imp.spatial(node, node.input[0]) if len(tensor.layout) > 1 else tensor.value
    out_layout = channels_last(len(tensor.layout)) if len(tensor.layout) > 1 else (0,)
    op = nn.BatchNormOp(x, imp.const_value(scale, node.name), imp.const_value(shift, node.name), node.name)
    imp.bind(node, imp.emit(op).output, out_layout)


# --------------------------------------------------------------------------------------------------
# Layout


@handles("Transpose")
def _transpose(imp: GraphImporter, node: onnx.NodeProto) -> None:
    """Only changes which logical axis each stored axis holds: no op."""
    tensor = imp.bound(node, node.input[0])
    rank = len(tensor.layout)
    perm = _ints(imp.attrs(node).get("perm", list(reversed(range(rank + 1)))))
    if sorted(perm) != list(range(rank + 1)) or perm[0] != 0:
        raise imp.fail(node, f"perm {perm} must keep the batch axis first")
    sample_perm = [p - 1 for p in perm[1:]]  # new logical axis k is old logical axis sample_perm[k]
    imp.values[node.output[0]] = Bound(tensor.value, tuple(sample_perm.index(a) for a in tensor.layout))


def _reshape_to(imp: GraphImporter, node: onnx.NodeProto, shape: list[int]) -> None:
    x = imp.logical(node, node.input[0])
    if math.prod(shape) != math.prod(x.type.get_shape()):
        raise imp.fail(node, f"cannot reshape {list(x.type.get_shape())} to {shape}")
    if list(shape) == list(x.type.get_shape()):
        imp.bind(node, x)
    else:
        imp.bind(node, imp.emit(layout.ReshapeOp(x, shape, node.name)).output)


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
    _reshape_to(imp, node, [math.prod(shape)])


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
    _reshape_to(imp, node, per_sample)


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
    _reshape_to(imp, node, new)


@handles("Concat")
def _concat(imp: GraphImporter, node: onnx.NodeProto) -> None:
    runtime = [name for name in node.input if not imp.is_constant(name)]
    if not runtime:
        raise imp.fail(node, "all inputs are constants (constant folding is not supported)")
    reference = imp.bound(node, runtime[0])
    values = []
    for name in node.input:
        if imp.is_constant(name):
            values.append(_constant_operand(imp, node, imp.constants[name], reference).value)
        else:
            values.append(imp.arrange(node, imp.bound(node, name), reference.layout))
    logical = imp.sample_axis(node, int(imp.attrs(node)["axis"]), len(reference.layout))
    try:
        op = layout.ConcatOp(values, reference.layout.index(logical), node.name)
    except ValueError as err:
        raise imp.fail(node, str(err)) from None
    imp.bind(node, imp.emit(op).output, reference.layout)


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


@handles("Div")
def _divide(imp: GraphImporter, node: onnx.NodeProto) -> None:
    """x / c for a constant c: a multiplication by 1 / c (exporters divide by a normalisation)."""
    if not imp.is_constant(node.input[1]):
        raise imp.fail(node, "only division by a constant is supported")
    divisor = np.asarray(imp.constants[node.input[1]], dtype=np.float64)
    if divisor.dtype.kind != "f" and not np.issubdtype(divisor.dtype, np.number) or np.any(divisor == 0):
        raise imp.fail(node, "the divisor must be a non-zero number")
    a = imp.bound(node, node.input[0])
    b = _constant_operand(imp, node, (1.0 / divisor).astype(np.float32), a)
    imp.bind(node, imp.emit(nn.MulOp(a.value, b.value, layer=node.name)).output, a.layout)


# Further handlers (Pad/Resize; the QONNX and QCDQ quantizers) register themselves into HANDLERS.
from compiler.importers import onnx_resample, qonnx_ops  # noqa: E402, F401
