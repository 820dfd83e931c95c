"""Handlers for Keras' own layers (Keras 2 and 3 configs alike), and `activate`, the one place
where an `activation=` option becomes ops.

Takes the registry (keras_registry.py: `KerasImporter`, `KerasNode`, `handles`, `ACTIVATION_RULES`)
and the shared layer rules (layers.py); gives the handlers it registers in `HANDLERS` when imported
(keras_importer imports it) and `activate(imp, node, x, activation)` for the other handler modules.

Keras computes channels-last: every tensor is stored in its own axis order (identity layout), which
is what nn.conv and the pools take, so no handler transposes anything. Ops emitted for a layer's
fused activation carry the layer's name, as hls4ml names them. `data_format="channels_first"` is
refused.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
from xdsl.ir import Operation, SSAValue

from compiler.importers import layers
from compiler.importers.base import Bound, identity
from compiler.importers.keras_registry import ACTIVATION_RULES, HANDLERS, KerasImporter, KerasNode, handles
from dialects import layout, nn

SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946
FLOAT_ACTIVATIONS = (
    "elu hard_sigmoid leaky_relu linear relu relu6 selu sigmoid softmax softplus tanh".split()
)  # with None: no activation

# --------------------------------------------------------------------------------------------------
# Helpers


def _value(imp: KerasImporter, node: KerasNode, index: int = 0) -> SSAValue:
    """Input `index` in the model's own axis order."""
    if index >= len(node.inputs):
        raise imp.fail(node, f"expects at least {index + 1} input(s), got {len(node.inputs)}")
    return imp.logical(node, node.inputs[index])


def _op(imp: KerasImporter, node: KerasNode, make) -> SSAValue:
    return imp.build(node, make).results[0]


def _ints(imp: KerasImporter, node: KerasNode, key: str, rank: int, default: Any = None) -> list[int]:
    value = node.config.get(key, default)
    values = list(value) if isinstance(value, (list, tuple)) else [value] * rank
    if len(values) != rank or not all(isinstance(v, int) and v >= 0 for v in values):
        raise imp.fail(node, f"{key} {value!r} must be {rank} non-negative integer(s)")
    return values


def _channels_last(imp: KerasImporter, node: KerasNode) -> None:
    if node.config.get("data_format", "channels_last") not in (None, "channels_last"):
        raise imp.fail(
            node, f"data_format {node.config['data_format']!r} is not supported (channels_last only; Keras' default)"
        )


def _spatial(imp: KerasImporter, node: KerasNode, rank: int) -> SSAValue:
    """The input [*spatial, C] of a layer with `rank` spatial axes."""
    _channels_last(imp, node)
    x = _value(imp, node)
    if len(x.type.get_shape()) != rank + 1:
        raise imp.fail(node, f"expects an input of rank {rank + 2} (batch, {rank} spatial, channels)")
    return x


def _same_pads(spatial, kernel, strides, dilations) -> list[int]:
    """Keras' (TensorFlow's) "same" padding: the odd element at the end."""
    totals = [
        max((math.ceil(n / s) - 1) * s + (k - 1) * d + 1 - n, 0)
        for n, k, s, d in zip(spatial, kernel, strides, dilations)
    ]
    return [t // 2 for t in totals] + [t - t // 2 for t in totals]


def _pads(imp: KerasImporter, node: KerasNode, spatial, kernel, strides, dilations) -> list[int]:
    padding = str(node.config.get("padding", "valid")).lower()
    if padding == "valid":
        return [0] * (2 * len(spatial))
    if padding == "same":
        return _same_pads(spatial, kernel, strides, dilations)
    if padding == "causal" and len(spatial) == 1:
        return [(kernel[0] - 1) * dilations[0], 0]
    raise imp.fail(node, f"padding {padding!r} is not supported (valid, same; causal for 1-D)")


def _bias(imp: KerasImporter, node: KerasNode, size: int) -> np.ndarray | None:
    if not node.config.get("use_bias", True):
        return None
    bias = imp.weight(node, "bias")
    if bias.shape != (size,):
        raise imp.fail(node, f"weight 'bias' has shape {list(bias.shape)}, expected [{size}]")
    return bias


def _kernel(imp: KerasImporter, node: KerasNode, names: tuple[str, ...], shape: list[int]) -> np.ndarray:
    """The first of the weights `names` the layer holds, checked against `shape`."""
    name = next((n for n in names if n in node.weights), names[0])
    kernel = imp.weight(node, name)
    if list(kernel.shape) != shape:
        raise imp.fail(node, f"weight '{name}' has shape {list(kernel.shape)}, expected {shape}")
    return kernel


def _finish(imp: KerasImporter, node: KerasNode, y: SSAValue) -> None:
    """Bind the layer's result after its `activation=` option."""
    imp.bind(node, activate(imp, node, y, node.config.get("activation")))


def _alias(imp: KerasImporter, node: KerasNode) -> None:
    imp.values[node.outputs[0]] = imp.bound(node, node.inputs[0])


# --------------------------------------------------------------------------------------------------
# Activations


def activate(imp: KerasImporter, node: KerasNode, x: SSAValue, activation: Any) -> SSAValue:
    """x after the activation `activation` (a name; a rule of ACTIVATION_RULES first), as ops
    carrying the layer's name."""
    for rule in ACTIVATION_RULES:
        result = rule(imp, node, x, activation)
        if result is not None:
            return result
    if isinstance(activation, dict) and activation.get("class_name") in ("function", "builtins.function"):
        activation = activation.get("config")  # Keras 3's serialisation of a built-in by name
    if activation is None or activation == "linear":
        return x
    layer = imp.layer(node)
    last = len(x.type.get_shape()) - 1
    hard_slope = 1 / 6 if imp.keras_major >= 3 else 0.2  # Keras 3: relu6(x + 3) / 6; Keras 2: 0.2 x + 0.5
    makers = {
        "relu": lambda: nn.ReluOp(x, layer=layer),
        "sigmoid": lambda: nn.SigmoidOp(x, layer=layer),
        "tanh": lambda: nn.TanhOp(x, layer=layer),
        "softmax": lambda: nn.SoftmaxOp(x, last, layer=layer),
        "elu": lambda: nn.ActivationOp(x, "elu", [1.0], layer),
        "selu": lambda: nn.ActivationOp(x, "selu", [SELU_ALPHA, SELU_SCALE], layer),
        "softplus": lambda: nn.ActivationOp(x, "softplus", [], layer),
        "hard_sigmoid": lambda: nn.HardSigmoidOp(x, layer, alpha=hard_slope, beta=0.5),
        "leaky_relu": lambda: nn.LeakyReluOp(x, layer, alpha=0.2),  # Keras 3's default slope
        "relu6": lambda: nn.ClipOp(x, layer, min=0.0, max=6.0),
    }
    if not isinstance(activation, str) or activation not in makers:
        raise imp.fail(node, f"activation {activation!r} is not supported; supported: {', '.join(FLOAT_ACTIVATIONS)}")
    return _op(imp, node, makers[activation])


@handles("Activation")
def _activation(imp: KerasImporter, node: KerasNode) -> None:
    _finish(imp, node, _value(imp, node))


@handles("LeakyReLU")
def _leaky_relu(imp: KerasImporter, node: KerasNode) -> None:
    slope = float(node.config.get("negative_slope", node.config.get("alpha", 0.3)))
    x = _value(imp, node)
    imp.bind(node, _op(imp, node, lambda: nn.LeakyReluOp(x, imp.layer(node), alpha=slope)))


@handles("ThresholdedReLU")
def _thresholded_relu(imp: KerasImporter, node: KerasNode) -> None:
    theta = float(node.config.get("theta", 1.0))
    x = _value(imp, node)
    imp.bind(node, _op(imp, node, lambda: nn.ThresholdedReluOp(x, imp.layer(node), alpha=theta)))


@handles("ReLU")
def _relu(imp: KerasImporter, node: KerasNode) -> None:
    """Keras' ReLU: x > threshold ? x : 0 (negative_slope * x below 0 when the threshold is 0),
    clipped to [0, max_value] when max_value is given."""
    config, layer = node.config, imp.layer(node)
    slope, threshold, top = (float(config.get(k) or 0.0) for k in ("negative_slope", "threshold", "max_value"))
    has_top = config.get("max_value") is not None
    y = _value(imp, node)
    if slope and threshold:
        raise imp.fail(node, "negative_slope together with a threshold is not supported")
    if threshold:
        x = y
        y = _op(imp, node, lambda: nn.ThresholdedReluOp(x, layer, alpha=threshold))
    elif slope:
        x = y
        y = _op(imp, node, lambda: nn.LeakyReluOp(x, layer, alpha=slope))
    elif not has_top:
        x = y
        y = _op(imp, node, lambda: nn.ReluOp(x, layer=layer))
    if has_top:
        x, low = y, None if slope and not threshold else 0.0
        bounds = {"max": top} if low is None else {"min": min(low, top), "max": top}
        y = _op(imp, node, lambda: nn.ClipOp(x, layer, **bounds))
    imp.bind(node, y)


@handles("PReLU")
def _prelu(imp: KerasImporter, node: KerasNode) -> None:
    tensor = imp.bound(node, node.inputs[0])
    x = Bound(_value(imp, node), identity(len(tensor.layout)))
    slope = imp.weight(node, "alpha")
    if slope.ndim > len(tensor.layout):
        raise imp.fail(node, f"weight 'alpha' has shape {list(slope.shape)}, more axes than the input")
    layers.prelu(imp, node, x, slope)


@handles("Softmax")
def _softmax(imp: KerasImporter, node: KerasNode) -> None:
    axis = node.config.get("axis", -1)
    axis = axis[0] if isinstance(axis, list) and len(axis) == 1 else axis
    if not isinstance(axis, int):
        raise imp.fail(node, f"axis {axis!r}: softmax over several axes is not supported")
    x = imp.bound(node, node.inputs[0])
    x = Bound(imp.logical(node, node.inputs[0]), identity(len(x.layout)))
    layers.softmax(imp, node, x, imp.sample_axis(node, axis, len(x.layout)))


# --------------------------------------------------------------------------------------------------
# Dense, convolutions, normalisation


@handles("InputLayer")
def _input(imp: KerasImporter, node: KerasNode) -> None:
    if node.outputs[0] not in imp.values:
        raise imp.fail(node, "is not an input of the model")


@handles("Dense")
def _dense(imp: KerasImporter, node: KerasNode) -> None:
    x = _value(imp, node)
    units = int(node.config.get("units", 0))
    kernel = _kernel(imp, node, ("kernel",), [x.type.get_shape()[-1], units])
    y = imp.build(
        node, lambda: nn.DenseOp(x, imp.const_value(node, kernel), _bias_value(imp, node, units), imp.layer(node))
    )
    _finish(imp, node, y.output)


def _bias_value(imp: KerasImporter, node: KerasNode, size: int) -> SSAValue | None:
    bias = _bias(imp, node, size)
    return imp.const_value(node, bias) if bias is not None else None


def _conv(
    imp: KerasImporter, node: KerasNode, x: SSAValue, weight: np.ndarray, bias: np.ndarray | None, groups: int
) -> SSAValue:
    spatial = x.type.get_shape()[:-1]
    rank = len(spatial)
    kernel = list(weight.shape[:rank])
    strides = _ints(imp, node, "strides", rank, 1)
    dilations = _ints(imp, node, "dilation_rate", rank, 1)
    pads = _pads(imp, node, spatial, kernel, strides, dilations)
    w = imp.const_value(node, weight)
    b = imp.const_value(node, bias) if bias is not None else None
    return _op(imp, node, lambda: nn.ConvOp(x, w, b, strides, dilations, pads, groups, imp.layer(node)))


# What a layer does to a weight before using it: nothing for Keras' own layers; QKeras' layers
# quantize it with the layer's quantizer option named by the key (keras_quantized.py)
WeightRule = Callable[[KerasImporter, KerasNode, np.ndarray | None, str], np.ndarray | None]


def as_is(imp: KerasImporter, node: KerasNode, array: np.ndarray | None, key: str) -> np.ndarray | None:
    return array


def conv_handler(rank: int, weight_rule: WeightRule = as_is):
    def handler(imp: KerasImporter, node: KerasNode) -> None:
        x = _spatial(imp, node, rank)
        channels, filters = x.type.get_shape()[-1], int(node.config.get("filters", 0))
        groups = int(node.config.get("groups", 1) or 1)
        if groups < 1 or channels % groups or filters % groups:
            raise imp.fail(node, f"groups {groups} must divide the {channels} input channels and {filters} filters")
        size = _ints(imp, node, "kernel_size", rank)
        weight = weight_rule(
            imp, node, _kernel(imp, node, ("kernel",), [*size, channels // groups, filters]), "kernel_quantizer"
        )
        bias = weight_rule(imp, node, _bias(imp, node, filters), "bias_quantizer")
        _finish(imp, node, _conv(imp, node, x, weight, bias, groups))

    return handler


def _depthwise(
    imp: KerasImporter, node: KerasNode, x: SSAValue, rank: int, bias: np.ndarray | None, weight_rule: WeightRule
) -> SSAValue:
    """A depthwise convolution: kernel [*k, C, multiplier] as a grouped conv [*k, 1, C * multiplier]."""
    channels, multiplier = x.type.get_shape()[-1], int(node.config.get("depth_multiplier", 1))
    size = _ints(imp, node, "kernel_size", rank)
    kernel = _kernel(imp, node, ("depthwise_kernel", "kernel"), [*size, channels, multiplier])
    kernel = weight_rule(imp, node, kernel, "depthwise_quantizer")
    return _conv(imp, node, x, kernel.reshape(*size, 1, channels * multiplier), bias, channels)


def depthwise_handler(rank: int, weight_rule: WeightRule = as_is):
    def handler(imp: KerasImporter, node: KerasNode) -> None:
        x = _spatial(imp, node, rank)
        outputs = x.type.get_shape()[-1] * int(node.config.get("depth_multiplier", 1))
        bias = weight_rule(imp, node, _bias(imp, node, outputs), "bias_quantizer")
        _finish(imp, node, _depthwise(imp, node, x, rank, bias, weight_rule))

    return handler


def separable_handler(rank: int, weight_rule: WeightRule = as_is):
    """Depthwise, then a pointwise (1x1) convolution with the bias."""

    def handler(imp: KerasImporter, node: KerasNode) -> None:
        x = _spatial(imp, node, rank)
        middle = x.type.get_shape()[-1] * int(node.config.get("depth_multiplier", 1))
        filters = int(node.config.get("filters", 0))
        pointwise = _kernel(imp, node, ("pointwise_kernel",), [*([1] * rank), middle, filters])
        pointwise = weight_rule(imp, node, pointwise, "pointwise_quantizer")
        bias = weight_rule(imp, node, _bias(imp, node, filters), "bias_quantizer")
        y = _depthwise(imp, node, x, rank, None, weight_rule)
        w = imp.const_value(node, pointwise)
        b = imp.const_value(node, bias) if bias is not None else None
        ones, zeros = [1] * rank, [0] * (2 * rank)
        _finish(imp, node, _op(imp, node, lambda: nn.ConvOp(y, w, b, ones, ones, zeros, 1, imp.layer(node))))

    return handler


for _rank in (1, 2):
    HANDLERS[f"Conv{_rank}D"] = conv_handler(_rank)
    HANDLERS[f"DepthwiseConv{_rank}D"] = depthwise_handler(_rank)
    HANDLERS[f"SeparableConv{_rank}D"] = separable_handler(_rank)


def normalised_channels(imp: KerasImporter, node: KerasNode, x: SSAValue) -> int:
    """The channels a batch normalisation's `axis` names: the last axis only."""
    shape = x.type.get_shape()
    axis = node.config.get("axis", -1)
    axis = axis[0] if isinstance(axis, list) and len(axis) == 1 else axis
    if not isinstance(axis, int) or imp.sample_axis(node, axis, len(shape)) != len(shape) - 1:
        raise imp.fail(node, f"axis {axis!r} is not supported (the last axis only)")
    return shape[-1]


@handles("BatchNormalization")
def _batch_norm(imp: KerasImporter, node: KerasNode) -> None:
    """Inference batch normalisation over the last axis, statistics folded in float64."""
    x = _value(imp, node)
    channels = normalised_channels(imp, node, x)

    def stat(name: str, default: float, present: bool = True) -> np.ndarray:
        if not present:
            return np.full(channels, default)
        value = imp.weight(node, name).astype(np.float64)
        if value.shape != (channels,):
            raise imp.fail(node, f"weight '{name}' has shape {list(value.shape)}, expected [{channels}]")
        return value

    gamma = stat("gamma", 1.0, node.config.get("scale", True))
    beta = stat("beta", 0.0, node.config.get("center", True))
    mean, var = stat("moving_mean", 0.0), stat("moving_variance", 1.0)
    if np.any(var < 0):
        raise imp.fail(node, "weight 'moving_variance' has negative entries")
    scale = gamma / np.sqrt(var + float(node.config.get("epsilon", 1e-3)))
    s, t = imp.const_value(node, scale), imp.const_value(node, beta - mean * scale)
    imp.bind(node, _op(imp, node, lambda: nn.BatchNormOp(x, s, t, imp.layer(node))))


# --------------------------------------------------------------------------------------------------
# Pooling


def _pool_handler(rank: int, average: bool):
    def handler(imp: KerasImporter, node: KerasNode) -> None:
        x = _spatial(imp, node, rank)
        spatial = x.type.get_shape()[:-1]
        size = _ints(imp, node, "pool_size", rank, 2)
        strides = _ints(imp, node, "strides", rank, None) if node.config.get("strides") is not None else size
        pads = _pads(imp, node, spatial, size, strides, [1] * rank)

        def make() -> Operation:  # Keras' "same" average leaves the padded cells out of the count
            op_class = nn.AvgPoolOp if average else nn.MaxPoolOp
            return op_class(x, size, strides, pads, imp.layer(node))

        imp.bind(node, _op(imp, node, make))

    return handler


def _global_pool_handler(rank: int, average: bool):
    def handler(imp: KerasImporter, node: KerasNode) -> None:
        x = _spatial(imp, node, rank)
        shape = x.type.get_shape()
        op_class = nn.AvgPoolOp if average else nn.MaxPoolOp
        spatial = list(shape[:-1])
        y = _op(imp, node, lambda: op_class(x, spatial, [1] * rank, [0] * (2 * rank), imp.layer(node)))
        if not node.config.get("keepdims", False):
            y = imp.emit(layout.ReshapeOp(y, [shape[-1]], imp.layer(node))).output
        imp.bind(node, y)

    return handler


for _rank in (1, 2):
    HANDLERS[f"MaxPooling{_rank}D"] = HANDLERS[f"MaxPool{_rank}D"] = _pool_handler(_rank, False)
    HANDLERS[f"AveragePooling{_rank}D"] = HANDLERS[f"AvgPool{_rank}D"] = _pool_handler(_rank, True)
    HANDLERS[f"GlobalMaxPooling{_rank}D"] = HANDLERS[f"GlobalMaxPool{_rank}D"] = _global_pool_handler(_rank, False)
    HANDLERS[f"GlobalAveragePooling{_rank}D"] = HANDLERS[f"GlobalAvgPool{_rank}D"] = _global_pool_handler(_rank, True)


# --------------------------------------------------------------------------------------------------
# Merges


def _operands(imp: KerasImporter, node: KerasNode, least: int) -> list[Bound]:
    if len(node.inputs) < least:
        raise imp.fail(node, f"expects at least {least} inputs, got {len(node.inputs)}")
    return [imp.bound(node, ref) for ref in node.inputs]


def _binary(imp: KerasImporter, node: KerasNode, op_class: type[nn.BinaryOp], a: Bound, b: Bound) -> Bound:
    layers.binary(imp, node, op_class, a, b)
    return imp.values[node.outputs[0]]


MERGE_OPS: dict[str, type[nn.BinaryOp]] = {
    "Add": nn.AddOp,
    "Average": nn.AddOp,  # then times 1/n
    "Subtract": nn.SubOp,
    "Multiply": nn.MulOp,
    "Maximum": nn.MaximumOp,
    "Minimum": nn.MinimumOp,
}


@handles(*MERGE_OPS)
def _merge(imp: KerasImporter, node: KerasNode) -> None:
    """Add, Multiply, Average, Maximum, Minimum of two or more inputs (left to right), Subtract of two."""
    kind = node.class_name
    operands = _operands(imp, node, 2)
    if kind == "Subtract" and len(operands) != 2:
        raise imp.fail(node, f"expects 2 inputs, got {len(operands)}")
    result = operands[0]
    for other in operands[1:]:
        result = _binary(imp, node, MERGE_OPS[kind], result, other)
    if kind == "Average":
        result = _binary(imp, node, nn.MulOp, result, np.array(1 / len(operands), dtype=np.float32))
    imp.values[node.outputs[0]] = result


@handles("Concatenate")
def _concatenate(imp: KerasImporter, node: KerasNode) -> None:
    _operands(imp, node, 1)
    layers.concat(imp, node, node.inputs, int(node.config.get("axis", -1)))


# --------------------------------------------------------------------------------------------------
# Shapes and layout


@handles("Flatten")
def _flatten(imp: KerasImporter, node: KerasNode) -> None:
    _channels_last(imp, node)
    shape = imp.bound(node, node.inputs[0]).logical_shape
    layers.reshape_to(imp, node, node.inputs[0], [math.prod(shape)])


@handles("Reshape")
def _reshape(imp: KerasImporter, node: KerasNode) -> None:
    size = math.prod(imp.bound(node, node.inputs[0]).logical_shape)
    target = [int(d) for d in node.config.get("target_shape", [])]
    if target.count(-1) == 1:
        known = math.prod(d for d in target if d != -1)
        target[target.index(-1)] = size // known if known > 0 and size % known == 0 else 0
    if not target or math.prod(target) != size or any(d < 1 for d in target):
        raise imp.fail(node, f"target_shape {node.config.get('target_shape')} does not fit {size} elements")
    layers.reshape_to(imp, node, node.inputs[0], target)


@handles("Permute")
def _permute(imp: KerasImporter, node: KerasNode) -> None:
    dims = [int(d) for d in node.config.get("dims", [])]
    layers.permute(imp, node, imp.bound(node, node.inputs[0]), [0, *dims], "dims (with the batch axis 0)")


def _pairs(imp: KerasImporter, node: KerasNode, key: str, rank: int, default: int) -> list[tuple[int, int]]:
    """padding/cropping: n, (a, b) for 1-D, or (n, m) / ((a, b), (c, d)) for 2-D, per spatial axis."""
    value = node.config.get(key, default)
    if isinstance(value, int):
        value = [value] * rank if rank > 1 else [(value, value)]
    value = list(value)
    if rank == 1 and len(value) == 2 and all(isinstance(v, int) for v in value):
        value = [value]
    pairs = [(v, v) if isinstance(v, int) else tuple(v) for v in value]
    if len(pairs) != rank or any(len(p) != 2 or not all(isinstance(n, int) and n >= 0 for n in p) for p in pairs):
        raise imp.fail(node, f"{key} {node.config.get(key)!r} is not {rank} pair(s) of non-negative integers")
    return pairs


def _resample_handler(rank: int, kind: str):
    """ZeroPadding (layout.pad), Cropping (layout.slice), UpSampling (layout.resize, nearest)."""

    def handler(imp: KerasImporter, node: KerasNode) -> None:
        x = _spatial(imp, node, rank)
        shape = x.type.get_shape()
        layer = imp.layer(node)
        if kind == "pad":
            pairs = _pairs(imp, node, "padding", rank, 1)
            pads = [p[0] for p in pairs] + [0] + [p[1] for p in pairs] + [0]
            y = imp.emit(layout.PadOp(x, pads, 0.0, layer)).output
        elif kind == "crop":
            pairs = _pairs(imp, node, "cropping", rank, 0)
            sizes = [n - a - b for n, (a, b) in zip(shape, pairs)]
            if any(s < 1 for s in sizes):
                raise imp.fail(node, f"cropping {node.config.get('cropping')} leaves nothing of {list(shape)}")
            y = imp.emit(layout.SliceOp(x, [a for a, _ in pairs] + [0], sizes + [shape[-1]], layer)).output
        else:
            if node.config.get("interpolation", "nearest") != "nearest":
                raise imp.fail(node, f"interpolation {node.config['interpolation']!r} is not supported (nearest)")
            scales = _ints(imp, node, "size", rank, 2)
            if any(s < 1 for s in scales):
                raise imp.fail(node, f"size {node.config.get('size')} must be positive")
            y = imp.emit(layout.ResizeOp(x, [*scales, 1], layer)).output
        imp.bind(node, y)

    return handler


for _rank in (1, 2):
    HANDLERS[f"ZeroPadding{_rank}D"] = _resample_handler(_rank, "pad")
    HANDLERS[f"Cropping{_rank}D"] = _resample_handler(_rank, "crop")
    HANDLERS[f"UpSampling{_rank}D"] = _resample_handler(_rank, "upsample")


@handles(
    "Dropout",
    "SpatialDropout1D",
    "SpatialDropout2D",
    "GaussianNoise",
    "GaussianDropout",
    "AlphaDropout",
    "ActivityRegularization",
)
def _identity(imp: KerasImporter, node: KerasNode) -> None:
    """Only active in training: the identity at inference."""
    _alias(imp, node)
