"""ATen operator handlers for the torch importer: one function per operator (overload packet).

Takes the registry (torch_registry.py: `TorchImporter`, `handles`) and the shared layer rules
(layers.py); gives nothing but the handlers it registers in `HANDLERS` when imported (torch_importer
imports it). Each handler reads its arguments as values in the layout it needs (`imp.logical`,
`imp.spatial`) or as constants (`imp.constant`) and binds its result, as the ONNX handlers do.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from xdsl.ir import SSAValue

from compiler.importers import einsum, layers
from compiler.importers.base import Bound, ceil_mode_padding, channels_last
from compiler.importers.torch_registry import (
    ALIASES,
    ASSERTIONS,
    BATCH,
    HANDLERS,
    SELU_ALPHA,
    SELU_GAMMA,
    Handler,
    TorchImporter,
    _float32,
    _ints,
    _op,
    handles,
)
from dialects import layout, nn


@handles(*ALIASES)
def _alias(imp: TorchImporter, node, args: dict[str, Any]) -> None:
    name = _op(node)
    if "dropout" in name and args.get("train"):
        raise imp.fail(node, "training-mode (random) dropout is not supported")
    dtype = args.get("dtype")
    if name == "to" and dtype is not None and str(dtype) != "torch.float32":
        raise imp.fail(node, f"conversion to {dtype} is not supported (float32 only)")
    imp.values[node] = imp.bound(node, node.args[0])


@handles(*ASSERTIONS)
def _assertion(imp: TorchImporter, node, args: dict[str, Any]) -> None:
    """Shape and dtype checks torch.export records: nothing to compute."""


@handles("linear")
def _linear(imp: TorchImporter, node, args: dict[str, Any]) -> None:
    weight = imp.constant(node, args["weight"], "weight")
    bias = imp.constant(node, args["bias"], "bias") if args["bias"] is not None else None
    layers.dense(imp, node, args["input"], weight.T if weight.ndim == 2 else weight, bias)


@handles("matmul", "mm")
def _matmul(imp: TorchImporter, node, args: dict[str, Any]) -> None:
    """x @ W with a constant 2-D W: a dense layer."""
    other = args.get("other", args.get("mat2"))
    layers.dense(imp, node, args["self"], imp.constant(node, other, "second operand"), None)


# --------------------------------------------------------------------------------------------------
# Elementwise arithmetic and activations


def _operand(imp: TorchImporter, node, arg) -> Bound | np.ndarray:
    return imp.constant(node, arg, "operand") if imp.is_constant(arg) else imp.bound(node, arg)


def _scaled(imp: TorchImporter, node, operand: Bound | np.ndarray, alpha) -> Bound | np.ndarray:
    """`alpha * operand` for add/sub's alpha: folded into a constant, else an nn.mul."""
    if alpha is None or alpha == 1:
        return operand
    if isinstance(operand, np.ndarray):
        return operand * np.float32(alpha)
    scale = layers.constant_operand(imp, node, np.array(alpha, dtype=np.float32), operand)
    return Bound(imp.emit(nn.MulOp(operand.value, scale.value, layer=imp.layer(node))).output, operand.layout)


def _arithmetic(op_class, reverse: bool = False) -> Handler:
    def handler(imp: TorchImporter, node, args: dict[str, Any]) -> None:
        if reverse:  # rsub: other - alpha * self
            a = _operand(imp, node, args["other"])
            b = _scaled(imp, node, _operand(imp, node, args["self"]), args.get("alpha"))
        else:
            a = _operand(imp, node, args["self"])
            b = _scaled(imp, node, _operand(imp, node, args["other"]), args.get("alpha"))
        layers.binary(imp, node, op_class, a, b)

    return handler


HANDLERS["add"] = _arithmetic(nn.AddOp)
HANDLERS["sub"] = _arithmetic(nn.SubOp)
HANDLERS["rsub"] = _arithmetic(nn.SubOp, reverse=True)
HANDLERS["mul"] = _arithmetic(nn.MulOp)
HANDLERS["maximum"] = _arithmetic(nn.MaximumOp)
HANDLERS["minimum"] = _arithmetic(nn.MinimumOp)


@handles("einsum")
def _einsum(imp: TorchImporter, node, args: dict[str, Any]) -> None:
    operands = [_operand(imp, node, tensor) for tensor in args["tensors"]]
    einsum.einsum(imp, node, str(args["equation"]), operands)


@handles("max", "min")
def _extremum(imp: TorchImporter, node, args: dict[str, Any]) -> None:
    """torch.max(a, b) / torch.min(a, b) (the two-tensor overloads; reductions are not supported)."""
    if "other" not in args:
        raise imp.fail(node, f"torch.{_op(node)} over an axis is not supported (of two tensors it is)")
    _arithmetic(nn.MaximumOp if _op(node) == "max" else nn.MinimumOp)(imp, node, args)


@handles("threshold")
def _threshold(imp: TorchImporter, node, args: dict[str, Any]) -> None:
    """x > threshold ? x : value (nn.Threshold)."""
    alpha, value = _float32(args["threshold"]), _float32(args["value"])
    layers.unary(imp, node, args["self"], lambda x, layer: nn.ThresholdedReluOp(x, layer, alpha=alpha, value=value))


def _elementwise(op_class: type[nn.ElementwiseOp]) -> Handler:
    return lambda imp, node, args: layers.unary(imp, node, node.args[0], lambda x, layer: op_class(x, layer=layer))


for _op_class in nn.NN.operations:  # the unary elementwise ops say which ATen operator they are
    if issubclass(_op_class, nn.ElementwiseOp) and _op_class.ATEN_OP:
        HANDLERS[_op_class.ATEN_OP] = _elementwise(_op_class)


@handles("leaky_relu", "hardsigmoid", "elu", "selu", "softplus")
def _activation(imp: TorchImporter, node, args: dict[str, Any]) -> None:
    name = _op(node)
    if name == "elu" and (args["scale"] != 1 or args["input_scale"] != 1):
        raise imp.fail(node, "scale and input_scale other than 1 are not supported")
    if name == "softplus" and args["beta"] != 1:  # torch's threshold (linear above 20) changes < 3e-9
        raise imp.fail(node, f"beta {args['beta']} is not supported (1 only)")
    make = {
        "leaky_relu": lambda x, layer: nn.LeakyReluOp(x, layer, alpha=_float32(args["negative_slope"])),
        "hardsigmoid": lambda x, layer: nn.HardSigmoidOp(x, layer, alpha=_float32(1 / 6), beta=0.5),
        "elu": lambda x, layer: nn.ActivationOp(x, "elu", [_float32(args["alpha"])], layer),
        "selu": lambda x, layer: nn.ActivationOp(x, "selu", [SELU_ALPHA, SELU_GAMMA], layer),
        "softplus": lambda x, layer: nn.ActivationOp(x, "softplus", [], layer),
    }[name]
    layers.unary(imp, node, node.args[0], make)


@handles("hardtanh", "clamp", "clip", "relu6")
def _clamp(imp: TorchImporter, node, args: dict[str, Any]) -> None:
    if _op(node) == "relu6":
        low, high = 0.0, 6.0
    else:
        low, high = args.get("min", args.get("min_val")), args.get("max", args.get("max_val"))
    if any(hasattr(v, "op") for v in (low, high)):
        raise imp.fail(node, "tensor bounds are not supported (numbers only)")
    layers.clip(imp, node, node.args[0], {k: _float32(v) for k, v in (("min", low), ("max", high)) if v is not None})


@handles("prelu")
def _prelu(imp: TorchImporter, node, args: dict[str, Any]) -> None:
    x = imp.bound(node, args["self"])
    slope = imp.constant(node, args["weight"], "slope").reshape(-1)
    rank = len(x.layout)
    # one slope per channel (logical axis 0), or one for all
    slope = slope.reshape((1,) * rank) if slope.size == 1 else slope.reshape((-1,) + (1,) * (rank - 1))
    layers.prelu(imp, node, x, slope)


@handles("softmax", "_softmax")
def _softmax(imp: TorchImporter, node, args: dict[str, Any]) -> None:
    x = imp.bound(node, args["self"])
    layers.softmax(imp, node, x, imp.sample_axis(node, int(args["dim"]), len(x.layout)))


@handles("layer_norm")
def _layer_norm(imp: TorchImporter, node, args: dict[str, Any]) -> None:
    """nn.LayerNorm: normalised over the trailing `normalized_shape` axes (weight and bias of that
    shape, or None without elementwise_affine)."""
    tensor = imp.bound(node, args["input"])
    shape = list(tensor.logical_shape)
    normalized = [int(d) for d in args["normalized_shape"]]
    if not normalized or len(normalized) > len(shape) or shape[len(shape) - len(normalized) :] != normalized:
        raise imp.fail(node, f"normalized_shape {normalized} must be the trailing axes of {[-1, *shape]}")
    weight = imp.constant(node, args["weight"], "weight") if args["weight"] is not None else np.ones(normalized)
    bias = imp.constant(node, args["bias"], "bias") if args["bias"] is not None else None
    layers.layer_norm(imp, node, args["input"], len(shape) - len(normalized), weight, bias, _float32(args["eps"]))


# --------------------------------------------------------------------------------------------------
# Spatial layers (channels-last inside)


@handles("conv1d", "conv2d")
def _conv(imp: TorchImporter, node, args: dict[str, Any]) -> None:
    x = imp.spatial(node, args["input"])
    rank = len(x.type.get_shape()) - 1
    weight = imp.constant(node, args["weight"], "weight")
    bias = imp.constant(node, args["bias"], "bias") if args["bias"] is not None else None
    kernel = list(weight.shape[2:])
    strides, dilations = _ints(args["stride"], rank), _ints(args["dilation"], rank)
    padding = args["padding"]
    if padding == "valid":
        pads = [0] * (2 * rank)
    elif padding == "same":  # torch puts the odd element at the end
        totals = [d * (k - 1) for d, k in zip(dilations, kernel)]
        pads = [t // 2 for t in totals] + [t - t // 2 for t in totals]
    else:
        pads = _ints(padding, rank) * 2
    weight = np.moveaxis(weight, (0, 1), (-1, -2))  # [*kernel, C/groups, O]
    layers.conv(imp, node, x, weight, bias, strides, dilations, pads, int(args["groups"]), channels_last(rank + 1))


def _window(imp: TorchImporter, node, x: SSAValue, args: dict[str, Any]) -> tuple[list, list, list, list]:
    """kernel, strides, padding and the extra end padding ceil_mode adds, per spatial axis."""
    spatial = x.type.get_shape()[:-1]
    rank = len(spatial)
    kernel = _ints(args["kernel_size"], rank)
    strides = _ints(args["stride"], rank) if args["stride"] else kernel
    padding = _ints(args["padding"], rank)
    extra = [0] * rank
    if args["ceil_mode"]:
        extra = [ceil_mode_padding(spatial[d], kernel[d], strides[d], padding[d], padding[d]) for d in range(rank)]
    return kernel, strides, padding, extra


@handles("max_pool1d", "max_pool2d")
def _max_pool(imp: TorchImporter, node, args: dict[str, Any]) -> None:
    x = imp.spatial(node, args["self"])
    kernel, strides, padding, extra = _window(imp, node, x, args)
    if any(d != 1 for d in _ints(args["dilation"], len(kernel))):
        raise imp.fail(node, f"dilation {args['dilation']} is not supported for pooling")
    layers.pool(imp, node, x, kernel, strides, padding + [p + e for p, e in zip(padding, extra)], average=False)


@handles("avg_pool1d", "avg_pool2d")
def _avg_pool(imp: TorchImporter, node, args: dict[str, Any]) -> None:
    x = imp.spatial(node, args["self"])
    kernel, strides, padding, extra = _window(imp, node, x, args)
    if args.get("divisor_override") is not None:
        raise imp.fail(node, "divisor_override is not supported")
    if not args["count_include_pad"]:
        layers.pool(imp, node, x, kernel, strides, padding + [p + e for p, e in zip(padding, extra)], average=True)
    elif not any(extra):
        layers.pool(imp, node, x, kernel, strides, padding * 2, average=True, include_pad=True)
    else:
        # torch counts the padding but not the windows' overhang past it (ceil_mode): pad with
        # zeros explicitly, then average over what each window covers
        if any(padding):
            x = imp.emit(layout.PadOp(x, [*padding, 0, *padding, 0], 0.0, imp.layer(node))).output
        layers.pool(imp, node, x, kernel, strides, [0] * len(kernel) + extra, average=True)


def _adaptive(imp: TorchImporter, node, args: dict[str, Any], average: bool) -> None:
    x = imp.spatial(node, args["self"])
    spatial = list(x.type.get_shape()[:-1])
    sizes = args["output_size"]
    sizes = [s if s is not None else n for s, n in zip(_ints_or_none(sizes, len(spatial)), spatial)]
    if all(s == 1 for s in sizes) and average:  # global pooling, as torch.onnx exports it
        layers.global_pool(imp, node, x, average=True)
    elif all(n % s == 0 for n, s in zip(spatial, sizes)):
        kernel = [n // s for n, s in zip(spatial, sizes)]
        layers.pool(imp, node, x, kernel, kernel, [0] * (2 * len(spatial)), average=average)
    else:
        raise imp.fail(node, f"output size {sizes} does not divide the input size {spatial}")
    if not average:
        imp.values[node] = (imp.values[node], None)  # (values, indices)


def _ints_or_none(value: Any, rank: int) -> list[int | None]:
    values = list(value) if isinstance(value, (list, tuple)) else [value]
    values = values * rank if len(values) == 1 else values
    return [None if v is None else int(v) for v in values]


HANDLERS["adaptive_avg_pool1d"] = HANDLERS["adaptive_avg_pool2d"] = lambda i, n, a: _adaptive(i, n, a, True)
HANDLERS["adaptive_max_pool1d"] = HANDLERS["adaptive_max_pool2d"] = lambda i, n, a: _adaptive(i, n, a, False)


@handles("mean")
def _mean(imp: TorchImporter, node, args: dict[str, Any]) -> None:
    """The mean over every spatial axis: a global average pool."""
    tensor = imp.bound(node, args["self"])
    rank = len(tensor.layout)
    axes = {imp.sample_axis(node, int(a), rank) for a in (args.get("dim") or range(rank + 1))}
    if rank not in (2, 3) or axes != set(range(1, rank)):
        raise imp.fail(node, "a mean is supported over all spatial axes of [batch, C, *spatial] only")
    layers.global_pool(imp, node, imp.spatial(node, args["self"]), average=True)
    if not args.get("keepdim"):
        pooled = imp.values[node].value
        channels = pooled.type.get_shape()[-1]
        imp.bind(node, imp.emit(layout.ReshapeOp(pooled, [channels], imp.layer(node))).output)


@handles("batch_norm")
def _batchnorm(imp: TorchImporter, node, args: dict[str, Any]) -> None:
    if args["running_mean"] is None or args["running_var"] is None:
        raise imp.fail(node, "batch normalisation without running statistics (track_running_stats=False)")
    if args["training"]:
        raise imp.fail(node, "training-mode batch normalisation (batch statistics) is not supported; call eval()")
    mean = imp.constant(node, args["running_mean"], "running mean").astype(np.float64)
    var = imp.constant(node, args["running_var"], "running variance").astype(np.float64)
    gamma, beta = np.ones_like(mean), np.zeros_like(mean)
    if args["weight"] is not None:
        gamma = imp.constant(node, args["weight"], "weight").astype(np.float64)
    if args["bias"] is not None:
        beta = imp.constant(node, args["bias"], "bias").astype(np.float64)
    layers.batch_norm(imp, node, args["input"], gamma, beta, mean, var, _float32(args["eps"]))


# --------------------------------------------------------------------------------------------------
# Layout


@handles("flatten")
def _flatten(imp: TorchImporter, node, args: dict[str, Any]) -> None:
    shape = list(imp.bound(node, args["self"]).logical_shape)
    rank = len(shape) + 1
    start, end = (int(args[k]) + (rank if int(args[k]) < 0 else 0) for k in ("start_dim", "end_dim"))
    if start == 0:
        raise imp.fail(node, "flattening the batch axis is not supported (flatten from axis 1)")
    merged = shape[: start - 1] + [math.prod(shape[start - 1 : end])] + shape[end:]
    layers.reshape_to(imp, node, args["self"], merged if end >= start else shape)


@handles("view", "reshape", "_unsafe_view")
def _view(imp: TorchImporter, node, args: dict[str, Any]) -> None:
    shape = imp.bound(node, node.args[0]).logical_shape
    if not all(isinstance(d, int) for d in node.args[1]):
        raise imp.fail(node, f"the shape {node.args[1]} must be made of numbers")
    target = [int(d) for d in node.args[1]]
    total = BATCH * math.prod(shape)
    if target.count(-1) == 1:
        known = math.prod(d for d in target if d != -1)
        if known > 0 and total % known == 0:
            target[target.index(-1)] = total // known
    if math.prod(target) != total or any(d < 1 for d in target) or target[0] != BATCH:
        raise imp.fail(node, f"shape {list(node.args[1])} must keep the batch dimension first (x.size(0) or -1)")
    layers.reshape_to(imp, node, node.args[0], target[1:])


@handles("squeeze", "unsqueeze")
def _squeeze(imp: TorchImporter, node, args: dict[str, Any]) -> None:
    shape = list(imp.bound(node, args["self"]).logical_shape)
    dims = args.get("dim")
    if _op(node) == "unsqueeze":
        dim = int(dims) + (len(shape) + 2 if int(dims) < 0 else 0)
        if dim == 0:
            raise imp.fail(node, "inserting an axis before the batch axis is not supported")
        new = shape[: dim - 1] + [1] + shape[dim - 1 :]
    else:
        dims = range(1, len(shape) + 1) if dims is None else dims if isinstance(dims, (list, tuple)) else [dims]
        drop = {imp.sample_axis(node, int(d), len(shape)) for d in dims}
        new = [n for i, n in enumerate(shape) if i not in drop or n != 1]  # torch keeps axes not of size 1
    layers.reshape_to(imp, node, args["self"], new)


@handles("permute", "transpose")
def _permute(imp: TorchImporter, node, args: dict[str, Any]) -> None:
    """Only changes which logical axis each stored axis holds: no op. It may move the batch off axis
    0 (a time-major sequence for a recurrent layer with batch_first=False) or back."""
    tensor, batch = imp.batch_bound(node, args["self"])
    rank = len(tensor.layout) + 1
    if "dims" in args:
        perm = [int(d) + (rank if int(d) < 0 else 0) for d in args["dims"]]
    else:
        perm = list(range(rank))
        a, b = (int(args[k]) + (rank if int(args[k]) < 0 else 0) for k in ("dim0", "dim1"))
        perm[a], perm[b] = perm[b], perm[a]
    if sorted(perm) != list(range(rank)):
        raise imp.fail(node, f"permutation {perm} is not one of the {rank} axes")
    imp.bind_batch(node, tensor.value, *layers.permuted_layout(tensor, batch, perm))


@handles("cat")
def _cat(imp: TorchImporter, node, args: dict[str, Any]) -> None:
    layers.concat(imp, node, list(args["tensors"]), int(args["dim"]))


# --------------------------------------------------------------------------------------------------
# Re-sampling: constant padding and nearest upsampling


@handles("pad", "constant_pad_nd")
def _pad(imp: TorchImporter, node, args: dict[str, Any]) -> None:
    """F.pad in constant mode (nn.ConstantPad1d/2d): `pad` lists (begin, end) from the last axis
    backwards; negative entries crop."""
    mode = args.get("mode", "constant")
    if mode != "constant":
        raise imp.fail(node, f"padding mode {mode!r} is not supported (constant)")
    tensor = imp.bound(node, args["self"])
    rank, pad = len(tensor.layout), [int(p) for p in args["pad"]]
    if len(pad) % 2 or len(pad) // 2 > rank:
        raise imp.fail(node, f"pad {pad} must give a (begin, end) pair for each of at most {rank} last axes")
    begin, end = [0] * rank, [0] * rank
    for i in range(len(pad) // 2):
        begin[rank - 1 - i], end[rank - 1 - i] = pad[2 * i], pad[2 * i + 1]
    shape = tensor.logical_shape
    if any(shape[d] + begin[d] + end[d] < 1 for d in range(rank)):
        raise imp.fail(node, f"pad {pad} leaves no element along some axis of {[-1, *shape]}")
    value = args.get("value")
    layers.constant_pad(imp, node, tensor, begin, end, _float32(value) if value is not None else 0.0)


@handles("upsample_nearest1d", "upsample_nearest2d")
def _upsample_nearest(imp: TorchImporter, node, args: dict[str, Any]) -> None:
    """nn.Upsample(mode="nearest"), nn.UpsamplingNearest2d: output element i of a spatial axis
    copies input element min(floor(i * s), size - 1), s = 1 / scale_factor (or size / output size)
    in float32, as torch's own kernel computes it."""
    tensor = imp.bound(node, args["input"])
    shape = tensor.logical_shape
    spatial = list(range(1, len(shape)))
    sizes, factors = args.get("output_size"), args.get("scale_factors")
    if sizes is None and factors is None:
        raise imp.fail(node, "needs an output size or scale factors")
    if factors is not None and len(factors) != len(spatial) or sizes is not None and len(sizes) != len(spatial):
        raise imp.fail(node, f"expects one size or factor per spatial axis of {[-1, *shape]}")
    indices = {}
    for k, axis in enumerate(spatial):
        size = shape[axis]
        length = int(sizes[k]) if sizes is not None else int(size * float(factors[k]))
        if length < 1:
            raise imp.fail(node, f"the output would have no element along axis {axis + 1}")
        if factors is not None:
            step = np.float32(1.0 / float(factors[k]))
        else:
            step = np.float32(size) / np.float32(length)
        positions = np.floor(np.arange(length, dtype=np.float32) * step).astype(np.int64)
        if length == 2 * size:
            positions = np.arange(length) // 2
        indices[axis] = [int(i) for i in np.minimum(positions, size - 1)]
    layers.nearest(imp, node, tensor, indices)
