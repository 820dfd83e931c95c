"""ATen operator handlers for the torch importer (compiler/importers/torch_importer.py): one
function per operator (overload packet), each reading its arguments as values in the layout it needs
(`imp.logical`, `imp.spatial`) or as constants (`imp.array`) and binding its result, the way
compiler/importers/onnx_ops.py does for ONNX nodes."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
from xdsl.ir import Operation, SSAValue

from compiler.importers.onnx_importer import Bound, broadcast_constant, channels_last, identity
from compiler.importers.torch_importer import (
    ALIASES,
    ASSERTIONS,
    BATCH,
    SELU_ALPHA,
    SELU_GAMMA,
    TorchImporter,
    _float32,
    _ints,
    _op,
)
from dialects import layout, nn

# -------------------------------------------------------------------------------------------------
# Handlers: one per ATen operator (overload packet), each (importer, node, arguments)

Handler = Callable[[TorchImporter, Any, dict[str, Any]], None]
HANDLERS: dict[str, Handler] = {}


def handles(*names: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        for name in names:
            HANDLERS[name] = fn
        return fn

    return register


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


def _dense(imp: TorchImporter, node, x_arg, weight: np.ndarray, bias: np.ndarray | None) -> None:
    x = imp.logical(node, x_arg)
    shape = x.type.get_shape()
    if weight.ndim != 2 or not shape or shape[-1] != weight.shape[0]:
        raise imp.fail(node, f"input shape {list(shape)} does not match the weight shape {list(weight.shape)}")
    w = imp.const_value(node, weight)
    b = imp.const_value(node, bias.reshape(-1)) if bias is not None else None
    imp.bind(node, imp.emit(nn.DenseOp(x, w, b, layer=imp.layer(node))).output)


@handles("linear")
def _linear(imp: TorchImporter, node, args: dict[str, Any]) -> None:
    weight = imp.array(node, args["weight"], "weight")
    bias = imp.array(node, args["bias"], "bias") if args["bias"] is not None else None
    _dense(imp, node, args["input"], weight.T if weight.ndim == 2 else weight, bias)


@handles("matmul", "mm")
def _matmul(imp: TorchImporter, node, args: dict[str, Any]) -> None:
    """x @ W with a constant 2-D W: a dense layer."""
    other = args.get("other", args.get("mat2"))
    _dense(imp, node, args["self"], imp.array(node, other, "second operand"), None)


# --------------------------------------------------------------------------------------------------
# Elementwise arithmetic and activations


def _constant_operand(imp: TorchImporter, node, array: np.ndarray, other: Bound) -> Bound:
    """A constant operand of a broadcasting op, in the other operand's layout."""
    try:
        array = broadcast_constant(array, other.layout)
    except ValueError as err:
        raise imp.fail(node, str(err)) from None
    return Bound(imp.const_value(node, array), other.layout)


def _operand(imp: TorchImporter, node, arg) -> Bound | np.ndarray:
    return imp.array(node, arg, "operand") if imp.is_constant(arg) else imp.bound(node, arg)


def _scaled(imp: TorchImporter, node, operand: Bound | np.ndarray, alpha) -> Bound | np.ndarray:
    """`alpha * operand` for add/sub's alpha: folded into a constant, else an nn.mul."""
    if alpha is None or alpha == 1:
        return operand
    if isinstance(operand, np.ndarray):
        return operand * np.float32(alpha)
    scale = _constant_operand(imp, node, np.array(alpha, dtype=np.float32), operand)
    return Bound(imp.emit(nn.MulOp(operand.value, scale.value, layer=imp.layer(node))).output, operand.layout)


def _operands(imp: TorchImporter, node, a: Bound | np.ndarray, b: Bound | np.ndarray) -> tuple[Bound, Bound]:
    if isinstance(a, np.ndarray):
        return _constant_operand(imp, node, a, b), b
    if isinstance(b, np.ndarray):
        return a, _constant_operand(imp, node, b, a)
    if a.layout == b.layout:
        return a, b
    if len(a.layout) == len(b.layout):
        return a, Bound(imp.arrange(node, b, a.layout), a.layout)
    rank_a, rank_b = identity(len(a.layout)), identity(len(b.layout))
    return Bound(imp.arrange(node, a, rank_a), rank_a), Bound(imp.arrange(node, b, rank_b), rank_b)


def _arithmetic(op_class, reverse: bool = False) -> Handler:
    def handler(imp: TorchImporter, node, args: dict[str, Any]) -> None:
        if reverse:  # rsub: other - alpha * self
            a = _operand(imp, node, args["other"])
            b = _scaled(imp, node, _operand(imp, node, args["self"]), args.get("alpha"))
        else:
            a = _operand(imp, node, args["self"])
            b = _scaled(imp, node, _operand(imp, node, args["other"]), args.get("alpha"))
        lhs, rhs = _operands(imp, node, a, b)
        try:
            op = op_class(lhs.value, rhs.value, layer=imp.layer(node))
        except ValueError as err:
            raise imp.fail(node, str(err)) from None
        imp.bind(node, imp.emit(op).output, lhs.layout if len(lhs.layout) >= len(rhs.layout) else rhs.layout)

    return handler


HANDLERS["add"] = _arithmetic(nn.AddOp)
HANDLERS["sub"] = _arithmetic(nn.SubOp)
HANDLERS["rsub"] = _arithmetic(nn.SubOp, reverse=True)
HANDLERS["mul"] = _arithmetic(nn.MulOp)


def _unary(imp: TorchImporter, node, make: Callable[[SSAValue, str], Operation]) -> None:
    x = imp.bound(node, node.args[0])
    imp.bind(node, imp.emit(make(x.value, imp.layer(node))).output, x.layout)


@handles("relu", "sigmoid", "tanh", "leaky_relu", "hardsigmoid", "elu", "selu", "softplus")
def _activation(imp: TorchImporter, node, args: dict[str, Any]) -> None:
    name = _op(node)
    if name == "elu" and (args["scale"] != 1 or args["input_scale"] != 1):
        raise imp.fail(node, "scale and input_scale other than 1 are not supported")
    if name == "softplus" and args["beta"] != 1:  # torch's threshold (linear above 20) changes < 3e-9
        raise imp.fail(node, f"beta {args['beta']} is not supported (1 only)")
    make = {
        "relu": lambda x, layer: nn.ReluOp(x, layer=layer),
        "sigmoid": lambda x, layer: nn.SigmoidOp(x, layer=layer),
        "tanh": lambda x, layer: nn.TanhOp(x, layer=layer),
        "leaky_relu": lambda x, layer: nn.LeakyReluOp(x, layer, alpha=_float32(args["negative_slope"])),
        "hardsigmoid": lambda x, layer: nn.HardSigmoidOp(x, layer, alpha=_float32(1 / 6), beta=0.5),
        "elu": lambda x, layer: nn.ActivationOp(x, "elu", [_float32(args["alpha"])], layer),
        "selu": lambda x, layer: nn.ActivationOp(x, "selu", [SELU_ALPHA, SELU_GAMMA], layer),
        "softplus": lambda x, layer: nn.ActivationOp(x, "softplus", [], layer),
    }[name]
    _unary(imp, node, make)


@handles("hardtanh", "clamp", "clip", "relu6")
def _clamp(imp: TorchImporter, node, args: dict[str, Any]) -> None:
    if _op(node) == "relu6":
        low, high = 0.0, 6.0
    else:
        low, high = args.get("min", args.get("min_val")), args.get("max", args.get("max_val"))
    if any(hasattr(v, "op") for v in (low, high)):
        raise imp.fail(node, "tensor bounds are not supported (numbers only)")
    bounds = {k: _float32(v) for k, v in (("min", low), ("max", high)) if v is not None}
    if "min" in bounds and "max" in bounds and bounds["min"] > bounds["max"]:
        bounds["min"] = bounds["max"]  # torch: every value becomes max
    _unary(imp, node, lambda x, layer: nn.ClipOp(x, layer, **bounds))


@handles("prelu")
def _prelu(imp: TorchImporter, node, args: dict[str, Any]) -> None:
    x = imp.bound(node, args["self"])
    slope = imp.array(node, args["weight"], "slope").reshape(-1)
    rank = len(x.layout)
    # one slope per channel (logical axis 0), or one for all
    slope = slope.reshape((1,) * rank) if slope.size == 1 else slope.reshape((-1,) + (1,) * (rank - 1))
    op = nn.PReluOp(x.value, _constant_operand(imp, node, slope, x).value, imp.layer(node))
    try:
        op.verify_()
    except Exception as err:
        raise imp.fail(node, " ".join(str(err).split())) from None
    imp.bind(node, imp.emit(op).output, x.layout)


@handles("softmax", "_softmax")
def _softmax(imp: TorchImporter, node, args: dict[str, Any]) -> None:
    x = imp.bound(node, args["self"])
    logical = imp.sample_axis(node, int(args["dim"]), len(x.layout))
    op = nn.SoftmaxOp(x.value, x.layout.index(logical), layer=imp.layer(node))
    imp.bind(node, imp.emit(op).output, x.layout)


# --------------------------------------------------------------------------------------------------
# Spatial layers (channels-last inside)


@handles("conv1d", "conv2d")
def _conv(imp: TorchImporter, node, args: dict[str, Any]) -> None:
    x = imp.spatial(node, args["input"])
    rank = len(x.type.get_shape()) - 1
    weight = imp.array(node, args["weight"], "weight")
    bias = imp.array(node, args["bias"], "bias") if args["bias"] is not None else None
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
    w = imp.const_value(node, np.moveaxis(weight, (0, 1), (-1, -2)))  # [*kernel, C/groups, O]
    b = imp.const_value(node, bias) if bias is not None else None
    try:
        op = nn.ConvOp(x, w, b, strides, dilations, pads, int(args["groups"]), imp.layer(node))
        op.verify_()
    except Exception as err:
        raise imp.fail(node, " ".join(str(err).split())) from None
    imp.bind(node, imp.emit(op).output, channels_last(rank + 1))


def _window(imp: TorchImporter, node, x: SSAValue, args: dict[str, Any]) -> tuple[list, list, list, list]:
    """kernel, strides, padding and the extra end padding ceil_mode adds, per spatial axis."""
    spatial = x.type.get_shape()[:-1]
    rank = len(spatial)
    kernel = _ints(args["kernel_size"], rank)
    strides = _ints(args["stride"], rank) if args["stride"] else kernel
    padding = _ints(args["padding"], rank)
    extra = [0] * rank
    if args["ceil_mode"]:
        for d in range(rank):
            padded = spatial[d] + 2 * padding[d]
            out = math.ceil((padded - kernel[d]) / strides[d]) + 1
            if (out - 1) * strides[d] >= spatial[d] + padding[d]:  # the last window must start inside
                out -= 1
            extra[d] = max(0, (out - 1) * strides[d] + kernel[d] - padded)
    return kernel, strides, padding, extra


def _pool(imp: TorchImporter, node, op_class, x: SSAValue, kernel, strides, pads, include_pad=False) -> None:
    try:
        op = op_class(x, kernel, strides, pads, imp.layer(node))
        if include_pad:
            op.properties["count_include_pad"] = nn.UnitAttr()
        op.verify_()
    except Exception as err:
        raise imp.fail(node, " ".join(str(err).split())) from None
    imp.bind(node, imp.emit(op).output, channels_last(len(x.type.get_shape())))


@handles("max_pool1d", "max_pool2d")
def _max_pool(imp: TorchImporter, node, args: dict[str, Any]) -> None:
    x = imp.spatial(node, args["self"])
    kernel, strides, padding, extra = _window(imp, node, x, args)
    if any(d != 1 for d in _ints(args["dilation"], len(kernel))):
        raise imp.fail(node, f"dilation {args['dilation']} is not supported for pooling")
    _pool(imp, node, nn.MaxPoolOp, x, kernel, strides, padding + [p + e for p, e in zip(padding, extra)])


@handles("avg_pool1d", "avg_pool2d")
def _avg_pool(imp: TorchImporter, node, args: dict[str, Any]) -> None:
    x = imp.spatial(node, args["self"])
    kernel, strides, padding, extra = _window(imp, node, x, args)
    if args.get("divisor_override") is not None:
        raise imp.fail(node, "divisor_override is not supported")
    if not args["count_include_pad"]:
        _pool(imp, node, nn.AvgPoolOp, x, kernel, strides, padding + [p + e for p, e in zip(padding, extra)])
    elif not any(extra):
        _pool(imp, node, nn.AvgPoolOp, x, kernel, strides, padding * 2, include_pad=True)
    else:
        # torch counts the padding but not the windows' overhang past it (ceil_mode): pad with
        # zeros explicitly, then average over what each window covers
        if any(padding):
            x = imp.emit(layout.PadOp(x, [*padding, 0, *padding, 0], 0.0, imp.layer(node))).output
        _pool(imp, node, nn.AvgPoolOp, x, kernel, strides, [0] * len(kernel) + extra)


def _adaptive(imp: TorchImporter, node, args: dict[str, Any], op_class) -> None:
    x = imp.spatial(node, args["self"])
    spatial = list(x.type.get_shape()[:-1])
    sizes = args["output_size"]
    sizes = [s if s is not None else n for s, n in zip(_ints_or_none(sizes, len(spatial)), spatial)]
    if all(s == 1 for s in sizes) and op_class is nn.AvgPoolOp:  # global pooling, as torch.onnx exports it
        _pool(imp, node, op_class, x, spatial, [1] * len(spatial), [0] * (2 * len(spatial)))
    elif all(n % s == 0 for n, s in zip(spatial, sizes)):
        kernel = [n // s for n, s in zip(spatial, sizes)]
        _pool(imp, node, op_class, x, kernel, kernel, [0] * (2 * len(spatial)))
    else:
        raise imp.fail(node, f"output size {sizes} does not divide the input size {spatial}")
    if op_class is nn.MaxPoolOp:
        imp.values[node] = (imp.values[node], None)  # (values, indices)


def _ints_or_none(value: Any, rank: int) -> list[int | None]:
    values = list(value) if isinstance(value, (list, tuple)) else [value]
    values = values * rank if len(values) == 1 else values
    return [None if v is None else int(v) for v in values]


HANDLERS["adaptive_avg_pool1d"] = HANDLERS["adaptive_avg_pool2d"] = lambda i, n, a: _adaptive(i, n, a, nn.AvgPoolOp)
HANDLERS["adaptive_max_pool1d"] = HANDLERS["adaptive_max_pool2d"] = lambda i, n, a: _adaptive(i, n, a, nn.MaxPoolOp)


@handles("mean")
def _mean(imp: TorchImporter, node, args: dict[str, Any]) -> None:
    """The mean over every spatial axis: a global average pool."""
    tensor = imp.bound(node, args["self"])
    rank = len(tensor.layout)
    axes = {imp.sample_axis(node, int(a), rank) for a in (args.get("dim") or range(rank + 1))}
    if rank not in (2, 3) or axes != set(range(1, rank)):
        raise imp.fail(node, "a mean is supported over all spatial axes of [batch, C, *spatial] only")
    x = imp.spatial(node, args["self"])
    spatial = list(x.type.get_shape()[:-1])
    _pool(imp, node, nn.AvgPoolOp, x, spatial, [1] * len(spatial), [0] * (2 * len(spatial)))
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
    mean = imp.array(node, args["running_mean"], "running mean").astype(np.float64)
    var = imp.array(node, args["running_var"], "running variance").astype(np.float64)
    gamma, beta = np.ones_like(mean), np.zeros_like(mean)
    if args["weight"] is not None:
        gamma = imp.array(node, args["weight"], "weight").astype(np.float64)
    if args["bias"] is not None:
        beta = imp.array(node, args["bias"], "bias").astype(np.float64)
    scale = gamma / np.sqrt(var + _float32(args["eps"]))
    shift = beta - mean * scale
    tensor = imp.bound(node, args["input"])
    x = imp.spatial(node, args["input"]) if len(tensor.layout) > 1 else tensor.value
    out_layout = channels_last(len(tensor.layout)) if len(tensor.layout) > 1 else (0,)
    op = nn.BatchNormOp(x, imp.const_value(node, scale), imp.const_value(node, shift), imp.layer(node))
    try:
        op.verify_()
    except Exception as err:
        raise imp.fail(node, " ".join(str(err).split())) from None
    imp.bind(node, imp.emit(op).output, out_layout)


# --------------------------------------------------------------------------------------------------
# Layout


def _reshape_to(imp: TorchImporter, node, arg, shape: list[int]) -> None:
    x = imp.logical(node, arg)
    if math.prod(shape) != math.prod(x.type.get_shape()):
        raise imp.fail(node, f"cannot reshape {list(x.type.get_shape())} to {shape}")
    if list(shape) == list(x.type.get_shape()):
        imp.bind(node, x)
    else:
        imp.bind(node, imp.emit(layout.ReshapeOp(x, shape, imp.layer(node))).output)


@handles("flatten")
def _flatten(imp: TorchImporter, node, args: dict[str, Any]) -> None:
    shape = list(imp.bound(node, args["self"]).logical_shape)
    rank = len(shape) + 1
    start, end = (int(args[k]) + (rank if int(args[k]) < 0 else 0) for k in ("start_dim", "end_dim"))
    if start == 0:
        raise imp.fail(node, "flattening the batch axis is not supported (flatten from axis 1)")
    merged = shape[: start - 1] + [math.prod(shape[start - 1 : end])] + shape[end:]
    _reshape_to(imp, node, args["self"], merged if end >= start else shape)


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
    _reshape_to(imp, node, node.args[0], target[1:])


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
    _reshape_to(imp, node, args["self"], new)


@handles("permute", "transpose")
def _permute(imp: TorchImporter, node, args: dict[str, Any]) -> None:
    """Only changes which logical axis each stored axis holds: no op."""
    tensor = imp.bound(node, args["self"])
    rank = len(tensor.layout) + 1
    if "dims" in args:
        perm = [int(d) + (rank if int(d) < 0 else 0) for d in args["dims"]]
    else:
        perm = list(range(rank))
        a, b = (int(args[k]) + (rank if int(args[k]) < 0 else 0) for k in ("dim0", "dim1"))
        perm[a], perm[b] = perm[b], perm[a]
    if sorted(perm) != list(range(rank)) or perm[0] != 0:
        raise imp.fail(node, f"permutation {perm} must keep the batch axis first")
    sample_perm = [p - 1 for p in perm[1:]]  # new logical axis k is old logical axis sample_perm[k]
    imp.values[node] = Bound(tensor.value, tuple(sample_perm.index(a) for a in tensor.layout))


@handles("cat")
def _cat(imp: TorchImporter, node, args: dict[str, Any]) -> None:
    tensors = list(args["tensors"])
    reference = imp.bound(node, next(t for t in tensors if not imp.is_constant(t)))
    values = []
    for t in tensors:
        if imp.is_constant(t):
            values.append(_constant_operand(imp, node, imp.array(node, t, "input"), reference).value)
        else:
            values.append(imp.arrange(node, imp.bound(node, t), reference.layout))
    logical = imp.sample_axis(node, int(args["dim"]), len(reference.layout))
    try:
        op = layout.ConcatOp(values, reference.layout.index(logical), imp.layer(node))
    except ValueError as err:
        raise imp.fail(node, str(err)) from None
    imp.bind(node, imp.emit(op).output, reference.layout)


# --------------------------------------------------------------------------------------------------
