"""HGQ models: HGQ v1 proxy models and HGQ2 (`hgq2`) layers -> nn ops with the models' own types.

Takes `KerasNode`s (keras_registry.py) of
- HGQ v1 proxy models: `FixedPointQuantizer` layers (weights `keep_negative`, `bits`, `integers`;
  config `RND`, `SAT`); the Dense/Conv layers between them hold already-quantized weights and are
  Keras' own (keras_layers.py);
- HGQ2 layers `QDense`, `QConv1D`, `QConv2D` (input quantizer `iq`, kernel `kq`, bias `bq`, optional
  output quantizer `oq`, the `activation=` option as keras_layers reads it: only linear and relu
  keep the design bit-exact) and the `Quantizer` layer. A quantizer's per-element (k, i, f) or
  (k, b, i) arrays are its weights; a `.keras` file (and so a live model) numbers them
  (`iq/quantizer/var_<n>`), in the order `quantizer_vars` rebuilds from the quantizer's config;
and gives nn.dense / nn.conv with the kernel and bias quantized here as HGQ does
(`quantize_reference`), and one quantizer op per activation quantizer.

An element of type (k, i, f) holds the codes [-k 2^(i+f), 2^(i+f) - 1] times 2^-f; one with
k + i + f <= 0 is always 0. Per-element types are kept, never widened to a common one:
- every element of one type: an `nn.quant`, which nn-to-fixed makes one exact cast;
- otherwise (HGQ2's default: integer bits per element; pruned elements of zero bits; steps per
  element): an `nn.fixed_quant` holding each element's type (as ap_fixed's W = k + i + f,
  I = k + i), which nn-to-fixed makes a `fixed.cast_each`: each element rounded and wrapped or
  clamped at its own type, exactly as HGQ does, on every input (not only the calibration data). Its
  types are stored compactly (an axis along which they do not vary has size 1), so per-channel types
  stream per position in io_stream.
Zero-bit input channels of a dense or conv also zero the kernel rows they feed (what HGQ computes).
Rounding is exact: TRN, RND (ties toward +inf, HGQ's default), RND_CONV, TRN_ZERO, RND_INF, RND_ZERO
are nn.quant's FLOOR, HALF_POSITIVE, HALF_EVEN, DOWN, HALF_UP, HALF_DOWN: casts with ap_fixed's own
modes; overflow WRAP (HGQ2's default for activations, HGQ v1's), SAT and SAT_SYM are ap_fixed's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from xdsl.ir import SSAValue

from compiler.importers import einsum
from compiler.importers.base import Bound, identity
from compiler.importers.keras_layers import activate
from compiler.importers.keras_registry import KerasImporter, KerasNode, handles
from dialects import nn
from dialects.fixed_types import ElementTypes
from dialects.nn_quant import FixedQuantOp, QuantOp, fixed_quantize_reference, round_values

ROUNDING = {
    "TRN": "FLOOR",
    "RND": "HALF_POSITIVE",
    "RND_CONV": "HALF_EVEN",
    "TRN_ZERO": "DOWN",
    "RND_INF": "HALF_UP",
    "RND_ZERO": "HALF_DOWN",
}
OVERFLOWS = ("SAT", "SAT_SYM", "WRAP")


# --------------------------------------------------------------------------------------------------
# HGQ's fixed-point quantizer in numpy (the reference; kernels and biases are quantized with it)


def _round(y: np.ndarray, mode: str) -> np.ndarray:
    """HGQ's rounding modes: nn.quant's (ROUNDING), and ties toward -inf, which no cast has."""
    if mode == "RND_MIN_INF":
        return np.ceil(y - 0.5)
    return round_values(y, ROUNDING[mode])


def quantize_reference(x: np.ndarray, k, i, f, rounding: str, overflow: str) -> np.ndarray:
    """HGQ's fixed-point quantizer (keep_negative k, integer bits i without the sign, fraction bits
    f, all broadcast to x) in float64: round x * 2^f, then saturate or wrap the code within the
    element's type (nn.fixed_quant's reference, with HGQ's rounding modes)."""
    x = np.asarray(x, dtype=np.float64)
    if overflow not in OVERFLOWS:
        raise ValueError(f"unknown overflow mode {overflow!r}")
    k, i, f = (np.broadcast_to(np.asarray(a, dtype=np.float64), x.shape) for a in (k, i, f))
    rounding = rounding.upper().removeprefix("S_")
    types = element_types(k, i, f)
    return fixed_quantize_reference(x, types, "", overflow, lambda y: _round(y, rounding))


# --------------------------------------------------------------------------------------------------
# Element types -> nn.quant


@dataclass
class Types:
    """A quantizer's per-element types (k, i, f arrays broadcastable to the tensor) and modes."""

    k: np.ndarray
    i: np.ndarray
    f: np.ndarray
    rounding: str
    overflow: str

    def quantize(self, x: np.ndarray) -> np.ndarray:
        return quantize_reference(x, self.k, self.i, self.f, self.rounding, self.overflow)


def _per_sample(imp: KerasImporter, node: KerasNode, array: np.ndarray, shape: tuple[int, ...], what: str):
    """`array` (maybe with the batch axis, as HGQ stores it) broadcast to the per-sample `shape`."""
    array = np.asarray(array, dtype=np.float64)
    if array.ndim == len(shape) + 1:
        if array.shape[0] != 1:
            raise imp.fail(node, f"the {what} quantizer's types vary over the batch axis")
        array = array[0]
    try:
        return np.broadcast_to(array, shape)
    except ValueError:
        raise imp.fail(
            node, f"the {what} quantizer's types of shape {list(array.shape)} do not fit the tensor {list(shape)}"
        ) from None


def compact(array: np.ndarray) -> np.ndarray:
    """The array with every axis along which it does not vary kept at size 1 (it broadcasts back)."""
    for axis in range(array.ndim):
        first = np.take(array, [0], axis=axis)
        if (array == first).all():
            array = first
    return array


def element_types(k: np.ndarray, i: np.ndarray, f: np.ndarray) -> ElementTypes:
    """HGQ's (k, i, f) per element as ap_fixed's (signed, W, I): W = k + i + f, I = k + i for a live
    element (k + i + f > 0, which implies i >= -f), width 0 for the others."""
    live = k + i + f > 0
    width = np.where(live, k + i + f, 0)
    return ElementTypes(np.where(live, k, 0), width, np.where(live, k + i, 0))


def quantize(imp: KerasImporter, node: KerasNode, x: SSAValue, types: Types, what: str) -> tuple[SSAValue, np.ndarray]:
    """`types` applied to x (stored in logical order) and which channels (last axis) are live
    anywhere (not of zero bits everywhere). Where every element has one type: an nn.quant (a cast);
    else an nn.fixed_quant (a cast per element type). See the module docstring."""
    shape = tuple(x.type.get_shape())
    k, i, f = (_per_sample(imp, node, getattr(types, name), shape, what) for name in ("k", "i", "f"))
    if ((k != 0) & (k != 1)).any() or (np.round(i) != i).any() or (np.round(f) != f).any():
        raise imp.fail(node, f"the {what} quantizer's types are not integers with k in {{0, 1}}")
    rounding = types.rounding.upper().removeprefix("S_")
    if rounding not in ROUNDING:
        raise imp.fail(node, f"rounding mode {types.rounding} is not supported ({', '.join(ROUNDING)})")
    if types.overflow not in OVERFLOWS:
        raise imp.fail(node, f"overflow mode {types.overflow} is not supported ({', '.join(OVERFLOWS)})")
    k, i, f = (compact(a.astype(np.int64)) for a in (k, i, f))
    live = k + i + f > 0
    if not live.any():
        raise imp.fail(node, f"the {what} quantizer has zero bits everywhere (its result is always 0)")
    channels = shape[-1] if shape else 1
    live_channels = np.broadcast_to(live, shape).reshape(-1, channels).any(axis=0) if shape else live.reshape(1)
    mode, layer = ROUNDING[rounding], imp.layer(node)
    signed, bits = bool(k.flat[0]), int(k.flat[0] + i.flat[0] + f.flat[0])
    # one type: a cast (but one signed bit, which nn.quant takes for bipolar)
    if live.all() and all(a.size == 1 for a in (k, i, f)) and (bits, signed) != (1, True):
        narrow = types.overflow == "SAT_SYM" and signed
        wrap = types.overflow == "WRAP"
        scale = [2.0 ** -float(f.flat[0])]
        op = imp.build(node, lambda: QuantOp(x, scale, [0.0], bits, signed, narrow, mode, layer, None, wrap))
        return op.output, live_channels
    each = element_types(k, i, f)
    op = imp.build(node, lambda: FixedQuantOp(x, each, mode, types.overflow, layer))
    return op.output, live_channels


# --------------------------------------------------------------------------------------------------
# Reading HGQ2 quantizers from a layer's weights


def _conf(node: KerasNode, key: str) -> dict[str, Any] | None:
    conf = node.config.get(key)
    if isinstance(conf, dict) and "config" in conf and "q_type" not in conf:
        conf = conf["config"]
    return conf


def quantizer_vars(conf: dict[str, Any]) -> list[str]:
    """The variables of an HGQ2 fixed-point quantizer in the order a `.keras` file numbers them:
    Keras saves the trainable ones, then the others, each in creation order (k, b, i for kbi; k, i,
    f for kif; `i` is not trained under WRAP, which adds `i_decay_speed`). A variable's place is
    fixed when it is created, whatever the quantizer's `trainable` says later."""
    wrap = str(conf.get("overflow_mode", "WRAP")).upper() == "WRAP"
    created = ["k", "b", "i"] if conf.get("q_type") == "kbi" else ["k", "i", "f"]
    frozen = {"k", "i"} if wrap else {"k"}
    order = [v for v in created if v not in frozen] + [v for v in created if v in frozen]
    return order + (["i_decay_speed"] if wrap else [])


def hgq2_types(imp: KerasImporter, node: KerasNode, key: str, sub: str) -> Types | None:
    """The types of the layer's quantizer `sub` (iq, kq, bq, oq, quantizer) configured under
    `key`, or None when the layer has none."""
    conf = _conf(node, key)
    if conf is None:
        return None
    q_type = conf.get("q_type")
    if q_type not in ("kif", "kbi"):
        raise imp.fail(node, f"quantizer {sub} of type {q_type!r} is not supported (fixed-point kif or kbi)")
    for option in ("scaler", "affine"):
        if conf.get(option) is not None:
            raise imp.fail(node, f"quantizer {sub} with a {option} is not supported")
    prefix = f"{sub}/quantizer/" if sub != "quantizer" else "quantizer/"
    names = quantizer_vars(conf)
    arrays = {}
    for index, name in enumerate(names):
        for key_name in (f"{prefix}{name}", f"{prefix}var_{index}"):
            if key_name in node.weights:
                arrays[name] = np.asarray(node.weights[key_name], dtype=np.float64)
                break
        else:
            held = ", ".join(sorted(w for w in node.weights if w.startswith(prefix))) or "none"
            raise imp.fail(node, f"quantizer {sub}: no variable '{name}' in the weights (held: {held})")
    k = arrays["k"]
    if q_type == "kbi":  # b counts the bits without the sign; HGQ rounds b and i half to even
        b, i = np.round(arrays["b"]), np.round(arrays["i"])
        f = b - i
    else:
        i, f = np.round(arrays["i"]), np.round(arrays["f"])
    return Types(k, i, f, str(conf.get("round_mode", "RND")), str(conf.get("overflow_mode", "WRAP")).upper())


def _layer_weight(imp: KerasImporter, node: KerasNode, name: str, index: int) -> np.ndarray:
    """A layer's own weight by name (live or .h5) or by its number in a .keras file."""
    for key in (name, f"var_{index}"):
        if key in node.weights:
            return np.asarray(node.weights[key], dtype=np.float64)
    return imp.weight(node, name)  # the error naming what is held


def _quantized_weights(
    imp: KerasImporter, node: KerasNode, live: np.ndarray | None, use_bias: bool | None = None
) -> tuple[np.ndarray, np.ndarray | None]:
    """The kernel and bias as HGQ2 computes them; the kernel's rows (input channels, its axis -2)
    that read a zero-bit input are zeroed, which is what that input contributes."""
    kernel = _layer_weight(imp, node, "kernel", 0)
    kq = hgq2_types(imp, node, "kq_conf", "kq")
    kernel = kq.quantize(kernel) if kq is not None else kernel
    if live is not None:
        if kernel.ndim < 2 or kernel.shape[-2] != live.size:
            raise imp.fail(node, f"the kernel {list(kernel.shape)} does not read {live.size} input channels")
        kernel = np.where(live[:, None], kernel, 0.0)
    bias = None
    if node.config.get("use_bias", True) if use_bias is None else use_bias:
        bias = _layer_weight(imp, node, "bias", 1)
        bq = hgq2_types(imp, node, "bq_conf", "bq")
        bias = bq.quantize(bias) if bq is not None else bias
    return kernel.astype(np.float32), None if bias is None else bias.astype(np.float32)


def _input(imp: KerasImporter, node: KerasNode, x: SSAValue) -> tuple[SSAValue, np.ndarray | None]:
    """The layer's input after its input quantizer, and which input channels are live (None: all)."""
    if node.config.get("enable_iq", True) and (iq := hgq2_types(imp, node, "iq_conf", "iq")) is not None:
        return quantize(imp, node, x, iq, "input")
    return x, None


def _output(imp: KerasImporter, node: KerasNode, y: SSAValue) -> SSAValue:
    if node.config.get("enable_oq") and (oq := hgq2_types(imp, node, "oq_conf", "oq")) is not None:
        return quantize(imp, node, y, oq, "output")[0]
    return y


def _one_input(imp: KerasImporter, node: KerasNode):
    if len(node.inputs) != 1:
        raise imp.fail(node, f"expects one input, got {len(node.inputs)}")
    return node.inputs[0]


# --------------------------------------------------------------------------------------------------
# Handlers


@handles("FixedPointQuantizer")
def fixed_point_quantizer(imp: KerasImporter, node: KerasNode) -> None:
    """HGQ v1 proxy quantizer: bits (with the sign), integers (with the sign), keep_negative."""
    keep, bits, integers = (imp.weight(node, name) for name in ("keep_negative", "bits", "integers"))
    bits = np.where(bits > 0, bits, 0)
    k = np.where(bits > 0, keep, 0)
    i = np.where(bits > 0, integers - k, 0)
    f = np.where(bits > 0, bits - integers, 0)
    rounding, overflow = str(node.config.get("RND", "TRN")), str(node.config.get("SAT", "WRAP")).upper()
    x = imp.logical(node, _one_input(imp, node))
    imp.bind(node, quantize(imp, node, x, Types(k, i, f, rounding, overflow), "proxy")[0])


@handles("Quantizer")
def hgq2_quantizer(imp: KerasImporter, node: KerasNode) -> None:
    types = hgq2_types(imp, node, "config", "quantizer")
    if types is None:
        raise imp.fail(node, "the quantizer's config is missing")
    x = imp.logical(node, _one_input(imp, node))
    imp.bind(node, quantize(imp, node, x, types, "layer")[0])


@handles("QDense")
def q_dense(imp: KerasImporter, node: KerasNode) -> None:
    x, live = _input(imp, node, imp.logical(node, _one_input(imp, node)))
    kernel, bias = _quantized_weights(imp, node, live)
    shape = x.type.get_shape()
    if kernel.ndim != 2 or not shape or shape[-1] != kernel.shape[0]:
        raise imp.fail(node, f"input shape {list(shape)} does not match the kernel shape {list(kernel.shape)}")
    w = imp.const_value(node, kernel)
    b = imp.const_value(node, bias) if bias is not None else None
    y = imp.build(node, lambda: nn.DenseOp(x, w, b, layer=imp.layer(node))).output
    imp.bind(node, _output(imp, node, activate(imp, node, y, node.config.get("activation"))))


def _pads(imp: KerasImporter, node: KerasNode, spatial, kernel, strides, dilations) -> list[int]:
    padding = str(node.config.get("padding", "valid")).lower()
    if padding == "valid":
        return [0] * (2 * len(spatial))
    if padding != "same":
        raise imp.fail(node, f"padding {padding!r} is not supported (valid or same)")
    begin, end = [], []
    for size, k, s, d in zip(spatial, kernel, strides, dilations):
        span = (k - 1) * d + 1
        total = max(0, (-(-size // s) - 1) * s + span - size)  # TensorFlow's: the odd cell at the end
        begin.append(int(total // 2))
        end.append(int(total - total // 2))
    return begin + end


@handles("QConv1D", "QConv2D")
def q_conv(imp: KerasImporter, node: KerasNode) -> None:
    if node.config.get("data_format", "channels_last") != "channels_last":
        raise imp.fail(node, "only channels_last is supported")
    x, live = _input(imp, node, imp.logical(node, _one_input(imp, node)))  # Keras' order is channels-last
    if live is not None and not live.all() and int(node.config.get("groups", 1)) != 1:
        raise imp.fail(node, "an input quantizer with zero-bit channels is supported for groups=1 only")
    kernel, bias = _quantized_weights(imp, node, live)
    rank = kernel.ndim - 2
    strides = [int(s) for s in np.broadcast_to(node.config.get("strides", 1), (rank,))]
    dilations = [int(d) for d in np.broadcast_to(node.config.get("dilation_rate", 1), (rank,))]
    groups = int(node.config.get("groups", 1))
    spatial = x.type.get_shape()[:-1]
    pads = _pads(imp, node, spatial, kernel.shape[:rank], strides, dilations)
    w = imp.const_value(node, kernel)
    b = imp.const_value(node, bias) if bias is not None else None
    layer = imp.layer(node)
    op = imp.build(node, lambda: nn.ConvOp(x, w, b, strides, dilations, pads, groups, layer))
    y = _output(imp, node, activate(imp, node, op.output, node.config.get("activation")))
    imp.bind(node, y, identity(len(spatial) + 1))


@handles("QBatchNormDense")
def q_batch_norm_dense(imp: KerasImporter, node: KerasNode) -> None:
    """A QDense with a batch norm of its inputs folded in, as HGQ2 folds it (`get_fused_qkernel_and_
    qbias`, in float32): kernel kq(s[:, None] * W) with s = gamma / sqrt(var + eps), bias
    bq(b - mean @ W) (HGQ2's offset: the mean is not scaled). The float32 dot product may differ
    from torch's in its last bit, which changes a quantized bias only at an exact rounding tie."""
    x, live = _input(imp, node, imp.logical(node, _one_input(imp, node)))
    kernel = _layer_weight(imp, node, "kernel", 0).astype(np.float32)
    bias = _layer_weight(imp, node, "bias", 1).astype(np.float32)
    scaled = bool(node.config.get("scale", True))
    gamma = _layer_weight(imp, node, "bn_gamma", 2).astype(np.float32) if scaled else np.float32(1)
    # a .keras file numbers the trainable variables, then the others: the statistics come last
    count = sum(1 for key in node.weights if key.startswith("var_") and key[4:].isdigit())
    mean = _layer_weight(imp, node, "moving_mean", count - 2).astype(np.float32)
    variance = _layer_weight(imp, node, "moving_variance", count - 1).astype(np.float32)
    if kernel.ndim != 2 or mean.shape != (kernel.shape[0],) or variance.shape != mean.shape:
        raise imp.fail(node, f"kernel {list(kernel.shape)} and batch norm statistics {list(mean.shape)} do not match")
    scale = gamma / np.sqrt(variance + np.float32(node.config.get("epsilon", 1e-3)))
    fused = (scale[:, None] * kernel).astype(np.float64)
    offset = (bias - mean @ kernel).astype(np.float64)
    kq, bq = hgq2_types(imp, node, "kq_conf", "kq"), hgq2_types(imp, node, "bq_conf", "bq")
    fused = kq.quantize(fused) if kq is not None else fused
    offset = bq.quantize(offset) if bq is not None else offset
    if live is not None:
        fused = np.where(live[:, None], fused, 0.0)
    shape = x.type.get_shape()
    if not shape or shape[-1] != fused.shape[0]:
        raise imp.fail(node, f"input shape {list(shape)} does not match the kernel shape {list(fused.shape)}")
    w, b = imp.const_value(node, fused), imp.const_value(node, offset)
    y = imp.build(node, lambda: nn.DenseOp(x, w, b, layer=imp.layer(node))).output
    imp.bind(node, _output(imp, node, activate(imp, node, y, node.config.get("activation"))))


@handles("QEinsumDense")
def q_einsum_dense(imp: KerasImporter, node: KerasNode) -> None:
    """Keras' EinsumDense with HGQ2's quantizers: the equation of the input (batch first) and the
    quantized kernel as einsum.py maps it (a contraction with a constant: one nn.dense), then the
    quantized bias over `bias_axes` (its shape spans the output's axes from the first of them on)."""
    x, _ = _input(imp, node, imp.logical(node, _one_input(imp, node)))
    kernel, bias = _quantized_weights(imp, node, None, use_bias=node.config.get("bias_axes") is not None)
    equation = str(node.config.get("equation", ""))
    rank = len(x.type.get_shape())
    einsum.einsum(imp, node, equation, [Bound(x, identity(rank)), kernel.astype(np.float32)])
    y = imp.logical(node, imp.output(node, 0))
    if bias is not None:
        shape = y.type.get_shape()
        if bias.ndim > len(shape) or any(b not in (1, s) for b, s in zip(bias.shape[::-1], shape[::-1])):
            raise imp.fail(node, f"bias of shape {list(bias.shape)} does not fit the output {list(shape)}")
        b = imp.const_value(node, bias.reshape((1,) * (len(shape) - bias.ndim) + bias.shape))
        y = imp.build(node, lambda: nn.AddOp(y, b, imp.layer(node))).output
    imp.bind(node, _output(imp, node, activate(imp, node, y, node.config.get("activation"))))
