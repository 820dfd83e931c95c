"""Handlers for QKeras layers (QDense, QConv1D/2D, QDepthwiseConv2D, QSeparableConv1D/2D,
QActivation, QBatchNormalization), the QKeras quantizers given as `activation=`, and the older
binary/ternary Keras layers of hls4ml's example models (BinaryDense, TernaryDense, `binary_tanh`,
`ternary_tanh`).

Takes the registry (keras_registry.py), the quantizers (qkeras_quantizers.py) and the float layer
rules of keras_layers.py (`activate`, the convolution builder); gives the handlers it registers in
`HANDLERS` and a rule in `ACTIVATION_RULES` when imported (keras_importer imports it).

The weights file holds QKeras' float shadow weights: they are quantized here, as QKeras quantizes
them in its forward pass, and the design's constants are the quantized values. An activation
quantizer becomes one `nn.quant` (a quantized leaky relu: nn.leaky_relu, nn.quant, nn.clip) whose
rounding (half to even, QKeras' tf.round) and saturation are QKeras' own, so with a power-of-two
step nn-to-fixed makes it an exact fixed-point cast (or an exact threshold table when it has a
pre-step). QKeras' quantizers are read by qkeras_quantizers.py, which says what is refused.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from xdsl.ir import SSAValue

# HGQ2 names its layers QDense, QConv1D, QConv2D too: its handlers are registered first, and ours
# (registered below) hand a layer without QKeras' quantizer options over to them
from compiler.importers import keras_hgq  # noqa: F401
from compiler.importers.keras_layers import (
    _bias,
    _kernel,
    activate,
    conv_handler,
    depthwise_handler,
    normalised_channels,
    separable_handler,
)
from compiler.importers.keras_registry import ACTIVATION_RULES, HANDLERS, Handler, KerasImporter, KerasNode
from compiler.importers.qkeras_quantizers import (
    F32,
    ActivationQuant,
    Quantizer,
    QuantizerError,
    parse_quantizer,
)
from dialects import nn
from dialects.nn_quant import QuantOp, round_values

# --------------------------------------------------------------------------------------------------
# Helpers


def _quantizer(imp: KerasImporter, node: KerasNode, key: str) -> Quantizer | None:
    """The layer's quantizer option `key` (None when it has none: the float values are used)."""
    spec = node.config.get(key)
    try:
        quantizer = parse_quantizer(spec)
    except QuantizerError as err:
        raise imp.fail(node, f"{key}: {err}") from None
    if spec not in (None, "", "linear") and quantizer is None:
        raise imp.fail(node, f"{key} {spec!r} is not a QKeras quantizer")
    return quantizer


def _quantized(imp: KerasImporter, node: KerasNode, array: np.ndarray | None, key: str) -> np.ndarray | None:
    """A weight array after the layer's quantizer `key`, in QKeras' float32 arithmetic."""
    quantizer = _quantizer(imp, node, key)
    if array is None or quantizer is None:
        return array
    try:
        return np.asarray(quantizer.quantize(array), dtype=np.float32)
    except QuantizerError as err:
        raise imp.fail(node, f"{key}: {err}") from None


def quant_op(imp: KerasImporter, node: KerasNode, x: SSAValue, q: ActivationQuant) -> SSAValue:
    """The activation quantizer `q` applied to x: nn.quant (after a leaky relu, then clipped below,
    then * -1, when `q` says so)."""
    layer = imp.layer(node)
    if q.slope is not None:
        x = imp.build(node, lambda: nn.LeakyReluOp(x, layer, alpha=q.slope)).output
    y = imp.build(
        node,
        lambda: QuantOp(
            x,
            [q.scale],
            [q.zero_point],
            q.bits,
            q.signed,
            q.narrow,
            q.rounding,
            layer,
            pre=None if q.pre is None else (np.array([q.pre[0]]), np.array([q.pre[1]])),
        ),
    ).output
    if q.low is not None:
        y = imp.build(node, lambda: nn.ClipOp(y, layer, min=q.low)).output
    if q.negate:
        minus = imp.const_value(node, np.array(-1.0, dtype=np.float32))
        y = imp.build(node, lambda: nn.MulOp(y, minus, layer=layer)).output
    return y


def _qkeras_rule(imp: KerasImporter, node: KerasNode, x: SSAValue, activation: Any) -> SSAValue | None:
    """A QKeras quantizer (string or dict) as an activation; None for anything else."""
    try:
        quantizer = parse_quantizer(activation)
        if quantizer is None:
            return None
        return quant_op(imp, node, x, quantizer.activation())
    except QuantizerError as err:
        raise imp.fail(node, f"activation: {err}") from None


# hls4ml's binary/ternary example models (Keras 2.0, before QKeras): activations of +-1 (and 0)
LEGACY_ACTIVATIONS = {
    # binary_tanh(x) = 2 * round(clip(0.5x + 0.5, 0, 1)) - 1, round half to even: +1 iff x > 0.
    # As bipolar(-x) (+1 iff -x >= 0) negated.
    "binary_tanh": ActivationQuant(1.0, 1, True, False, "HALF_EVEN", pre=(-1.0, 0.0), negate=True),
    # ternary_tanh(x) = ternarize(clip(x, -1, 1)): +1 if x > 0.5, -1 if x <= -0.5, else 0, which is
    # clip(ceil(x - 0.5), -1, 1).
    "ternary_tanh": ActivationQuant(1.0, 2, True, True, "CEIL", pre=(1.0, -0.5)),
}


def _legacy_rule(imp: KerasImporter, node: KerasNode, x: SSAValue, activation: Any) -> SSAValue | None:
    if isinstance(activation, str) and activation in LEGACY_ACTIVATIONS:
        return quant_op(imp, node, x, LEGACY_ACTIVATIONS[activation])
    return None


ACTIVATION_RULES.extend([_qkeras_rule, _legacy_rule])


def _finish(imp: KerasImporter, node: KerasNode, y: SSAValue) -> None:
    imp.bind(node, activate(imp, node, y, node.config.get("activation")))


QKERAS_OPTIONS = (
    *("kernel_quantizer", "bias_quantizer", "depthwise_quantizer", "pointwise_quantizer"),
    *("gamma_quantizer", "beta_quantizer", "mean_quantizer", "variance_quantizer"),
)


def handles(*class_names: str):
    """Register a QKeras handler; a handler already registered under the name (HGQ2's layer of the
    same name) keeps the layers whose config has none of QKeras' quantizer options."""

    def register(fn: Handler) -> Handler:
        for name in class_names:
            other = HANDLERS.get(name)
            if other is None:
                HANDLERS[name] = fn
                continue

            def dispatch(imp: KerasImporter, node: KerasNode, fn=fn, other=other) -> None:
                (fn if any(key in node.config for key in QKERAS_OPTIONS) else other)(imp, node)

            HANDLERS[name] = dispatch
        return fn

    return register


# --------------------------------------------------------------------------------------------------
# Layers


@handles("QDense")
def _qdense(imp: KerasImporter, node: KerasNode) -> None:
    x = imp.logical(node, node.inputs[0])
    units = int(node.config.get("units", 0))
    kernel = _quantized(imp, node, _kernel(imp, node, ("kernel",), [x.type.get_shape()[-1], units]), "kernel_quantizer")
    bias = _quantized(imp, node, _bias(imp, node, units), "bias_quantizer")
    w = imp.const_value(node, kernel)
    b = imp.const_value(node, bias) if bias is not None else None
    _finish(imp, node, imp.build(node, lambda: nn.DenseOp(x, w, b, imp.layer(node))).output)


for _rank in (1, 2):  # Keras' own conv layers with each weight through its quantizer option
    handles(f"QConv{_rank}D")(conv_handler(_rank, _quantized))
    handles(f"QSeparableConv{_rank}D")(separable_handler(_rank, _quantized))
handles("QDepthwiseConv2D")(depthwise_handler(2, _quantized))


@handles("QActivation")
def _qactivation(imp: KerasImporter, node: KerasNode) -> None:
    _finish(imp, node, imp.logical(node, node.inputs[0]))


@handles("QBatchNormalization")
def _qbatch_norm(imp: KerasImporter, node: KerasNode) -> None:
    """x * inv + (beta - mean * inv), inv = gamma / sqrt(variance + epsilon), with gamma, beta, mean
    and variance each through its quantizer (QKeras' inference path); inverse_quantizer unsupported."""
    if node.config.get("inverse_quantizer") is not None:
        raise imp.fail(node, "inverse_quantizer is not supported")
    x = imp.logical(node, node.inputs[0])
    channels = normalised_channels(imp, node, x)

    def stat(name: str, key: str, default: float, present: bool = True) -> np.ndarray:
        if not present:
            return np.full(channels, default, dtype=np.float32)
        value = imp.weight(node, name)
        if value.shape != (channels,):
            raise imp.fail(node, f"weight '{name}' has shape {list(value.shape)}, expected [{channels}]")
        return _quantized(imp, node, value, key)

    gamma = stat("gamma", "gamma_quantizer", 1.0, node.config.get("scale", True)).astype(np.float64)
    beta = stat("beta", "beta_quantizer", 0.0, node.config.get("center", True)).astype(np.float64)
    mean = stat("moving_mean", "mean_quantizer", 0.0).astype(np.float64)
    var = stat("moving_variance", "variance_quantizer", 1.0).astype(np.float64)
    if np.any(var < 0):
        raise imp.fail(node, "weight 'moving_variance' has negative entries")
    inv = gamma / np.sqrt(var + float(F32(node.config.get("epsilon", 1e-3))))
    s, t = imp.const_value(node, inv), imp.const_value(node, beta - mean * inv)
    imp.bind(node, imp.build(node, lambda: nn.BatchNormOp(x, s, t, imp.layer(node))).output)


def _legacy_dense(kind: str):
    """BinaryDense: kernel H * binary_tanh(W / H); TernaryDense: H * ternarize(W / H) (+1 above 0.5,
    -1 at or below -0.5, else 0), both in float32 as Keras computes them."""

    def handler(imp: KerasImporter, node: KerasNode) -> None:
        x = imp.logical(node, node.inputs[0])
        units = int(node.config.get("units", 0))
        h = node.config.get("H", 1.0)
        if not isinstance(h, (int, float)) or h <= 0:
            raise imp.fail(node, f"H {h!r} must be a positive number")
        h = F32(h)
        w = _kernel(imp, node, ("kernel",), [x.type.get_shape()[-1], units]) / h
        if kind == "binary":
            q = F32(2) * round_values(np.clip(F32(0.5) * w + F32(0.5), F32(0), F32(1)), "HALF_EVEN") - F32(1)
        else:
            q = np.where(w > F32(0.5), F32(1), np.where(w <= F32(-0.5), F32(-1), F32(0)))
        bias = _bias(imp, node, units)
        wv = imp.const_value(node, (h * q).astype(np.float32))
        b = imp.const_value(node, bias) if bias is not None else None
        _finish(imp, node, imp.build(node, lambda: nn.DenseOp(x, wv, b, imp.layer(node))).output)

    return handler


handles("BinaryDense")(_legacy_dense("binary"))
handles("TernaryDense")(_legacy_dense("ternary"))
