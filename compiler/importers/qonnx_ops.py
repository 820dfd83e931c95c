"""Quantizer nodes: QONNX `Quant`, `BipolarQuant`, `Trunc`, and ONNX `QuantizeLinear` /
`DequantizeLinear` pairs (QCDQ), imported as `nn.quant` (dialects/nn_quant.py).

A quantizer on a constant (weights, biases) is applied here, in QONNX's own float32 arithmetic, and
the constant carries the quantized values (their narrowest exact type is chosen later). A quantizer
on a runtime tensor becomes `nn.quant` with its scale and zero point per tensor or per channel: the
channel must be the axis stored last (the tensor's only non-1 axis of the scale's shape).
`Trunc` (QONNX's average-pool rescaling) is two unbounded/bounded quantizers and an exact
multiplication by a power of two; `QuantizeLinear` followed by `DequantizeLinear` is a quantizer of
8 (or 16) bits with round-half-even and saturation. QONNX registers its ops under several domains
(qonnx.custom_op.general, finn.custom_op.general, onnx.brevitas); all are accepted.

Takes the registry (onnx_registry.py); gives nothing but the handlers it registers in `HANDLERS`
when imported (onnx_importer imports it).
"""

from __future__ import annotations

import numpy as np
import onnx

from compiler.importers.base import Bound
from compiler.importers.onnx_registry import GraphImporter, _text, handles
from dialects import nn
from dialects.nn_quant import QONNX_ROUNDING_MODES, QuantOp, quantize_reference

QONNX_DOMAINS = ("qonnx.custom_op.general", "finn.custom_op.general", "onnx.brevitas")
QLINEAR_TYPES = {
    onnx.TensorProto.INT8: (8, True),
    onnx.TensorProto.UINT8: (8, False),
    onnx.TensorProto.INT16: (16, True),
    onnx.TensorProto.UINT16: (16, False),
}


def _scalar_int(imp: GraphImporter, node: onnx.NodeProto, index: int, what: str) -> int:
    value = np.asarray(imp.constant(node, node.input[index], what), dtype=np.float64)
    if value.size != 1 or value.reshape(-1)[0] != round(value.reshape(-1)[0]):
        raise imp.fail(node, f"the {what} must be one integer, got {value.reshape(-1)[:4].tolist()}")
    return int(value.reshape(-1)[0])


def _channel_values(imp: GraphImporter, node: onnx.NodeProto, array: np.ndarray, x: Bound, what: str) -> np.ndarray:
    """A per-tensor or per-channel parameter as [1] or [C] along the stored last axis of x."""
    array = np.asarray(array, dtype=np.float64)
    if array.size == 1:
        return array.reshape(1)
    rank = len(x.layout) + 1  # with the batch axis, as ONNX broadcasts
    shape = (1,) * (rank - array.ndim) + array.shape
    if shape[0] != 1:
        raise imp.fail(node, f"the {what} varies along the batch axis")
    varying = [axis - 1 for axis, d in enumerate(shape) if d != 1]
    last_logical = x.layout[-1]
    if len(varying) != 1 or varying[0] != last_logical:
        raise imp.fail(
            node,
            f"the {what} of shape {list(array.shape)} varies along more than one axis or not along the channel "
            "axis (only per-tensor and per-channel quantization are supported)",
        )
    return array.reshape(-1)


def _quantizer(
    imp: GraphImporter,
    node: onnx.NodeProto,
    source: str,
    scale: np.ndarray,
    zero_point: np.ndarray,
    bits: int | None,
    signed: bool,
    narrow: bool,
    rounding: str,
    output: int = 0,
) -> None:
    """Bind node.output[output] to the quantizer applied to `source` (a constant or a value)."""
    if np.any(np.asarray(scale) <= 0) or not np.all(np.isfinite(scale)):
        raise imp.fail(node, "the scale must be positive and finite")
    if np.any(np.asarray(zero_point) != np.round(zero_point)):
        raise imp.fail(node, "the zero point must hold integers")
    if source in imp.constants:
        x = np.asarray(imp.constants[source], dtype=np.float32)
        folded = quantize_reference(
            x, np.asarray(scale, np.float32), np.asarray(zero_point, np.float32), bits, signed, narrow, rounding
        )
        imp.constants[node.output[output]] = folded
        return
    x = imp.bound(node, source)
    op = QuantOp(
        x.value,
        _channel_values(imp, node, scale, x, "scale"),
        _channel_values(imp, node, zero_point, x, "zero point"),
        bits,
        signed,
        narrow,
        rounding,
        node.name,
    )
    imp.values[node.output[output]] = Bound(imp.emit(op).output, x.layout)


def _rounding(imp: GraphImporter, node: onnx.NodeProto, default: str) -> str:
    mode = _text(imp.attrs(node).get("rounding_mode"), default).upper()
    if mode not in QONNX_ROUNDING_MODES:
        raise imp.fail(node, f"rounding_mode {mode!r} is not supported; supported: {', '.join(QONNX_ROUNDING_MODES)}")
    return mode


def _quant(imp: GraphImporter, node: onnx.NodeProto) -> None:
    if len(node.input) != 4:
        raise imp.fail(node, "expects inputs (x, scale, zeropt, bitwidth)")
    attrs = imp.attrs(node)
    bits = _scalar_int(imp, node, 3, "bit width")
    if not 1 <= bits <= 32:
        raise imp.fail(node, f"bit width {bits} is not supported (1 to 32 bits)")
    scale = imp.constant(node, node.input[1], "scale")
    zero_point = imp.constant(node, node.input[2], "zero point")
    signed, narrow = bool(attrs.get("signed", 1)), bool(attrs.get("narrow", 0))
    if bits == 1 and narrow:
        narrow = False  # one signed bit is bipolar in QONNX; narrow means nothing there
    _quantizer(imp, node, node.input[0], scale, zero_point, bits, signed, narrow, _rounding(imp, node, "ROUND"))


def _bipolar_quant(imp: GraphImporter, node: onnx.NodeProto) -> None:
    if len(node.input) != 2:
        raise imp.fail(node, "expects inputs (x, scale)")
    scale = imp.constant(node, node.input[1], "scale")
    _quantizer(imp, node, node.input[0], scale, np.zeros(1), 1, True, False, "ROUND")


def _power_of_two(imp: GraphImporter, node: onnx.NodeProto, value: np.ndarray, what: str) -> float:
    value = np.asarray(value, dtype=np.float64).reshape(-1)
    mantissa, _ = np.frexp(value)
    if value.size != 1 or mantissa[0] != 0.5:
        raise imp.fail(node, f"the {what} must be one power of two, got {value[:4].tolist()}")
    return float(value[0])


def _trunc(imp: GraphImporter, node: onnx.NodeProto) -> None:
    """Trunc v1 (x, scale, zeropt, in_bits, out_bits) and v2 (x, scale, zeropt, in_bits, out_scale,
    out_bits), as in qonnx.custom_op.general.trunc, for power-of-two scales and a zero zero point."""
    if len(node.input) not in (5, 6):
        raise imp.fail(node, "expects 5 (Trunc v1) or 6 (Trunc v2) inputs")
    attrs = imp.attrs(node)
    scale = _power_of_two(imp, node, imp.constant(node, node.input[1], "scale"), "scale")
    if np.any(np.asarray(imp.constant(node, node.input[2], "zero point")) != 0):
        raise imp.fail(node, "a non-zero zero point is not supported")
    in_bits = _scalar_int(imp, node, 3, "input bit width")
    rounding = _rounding(imp, node, "FLOOR")
    source = node.input[0]
    if source in imp.constants:
        raise imp.fail(node, "Trunc of a constant is not supported")
    x = imp.bound(node, source)
    rounded = imp.emit(QuantOp(x.value, [scale], [0.0], None, False, False, "ROUND", node.name)).output
    if len(node.input) == 5:  # v1: y = R(round(x / s) / 2^k) * s, k = in_bits - out_bits
        shift = 2.0 ** (in_bits - _scalar_int(imp, node, 4, "output bit width"))
        coarse = imp.emit(QuantOp(rounded, [scale * shift], [0.0], None, False, False, rounding, node.name)).output
        factor = imp.const_value(node, np.array(1.0 / shift, dtype=np.float32))
        result = imp.emit(nn.MulOp(coarse, factor, node.name)).output
    else:  # v2: y = clamp(R(round(x / s) / t)) * out_scale, t = 2^round(log2(out_scale / s))
        out_scale = _power_of_two(imp, node, imp.constant(node, node.input[4], "output scale"), "output scale")
        out_bits = _scalar_int(imp, node, 5, "output bit width")
        signed, narrow = bool(attrs.get("signed", 1)), bool(attrs.get("narrow", 0))
        step = scale * 2.0 ** round(np.log2(out_scale / scale))
        result = imp.emit(QuantOp(rounded, [step], [0.0], out_bits, signed, narrow, rounding, node.name)).output
        if step != out_scale:
            factor = imp.const_value(node, np.array(out_scale / step, dtype=np.float32))
            result = imp.emit(nn.MulOp(result, factor, node.name)).output
    imp.values[node.output[0]] = Bound(result, x.layout)


for _domain in QONNX_DOMAINS:
    handles("Quant", "IntQuant", domain=_domain)(_quant)
    handles("BipolarQuant", domain=_domain)(_bipolar_quant)
    handles("Trunc", domain=_domain)(_trunc)


# --------------------------------------------------------------------------------------------------
# QCDQ


def _qlinear_params(
    imp: GraphImporter, node: onnx.NodeProto, quantizing: bool = True
) -> tuple[np.ndarray, np.ndarray, int, bool, int | None]:
    """scale, zero point, bits, signed, axis (None when per tensor); `quantizing`: the integer type
    must be one a quantizer produces (a constant may be dequantized from any integer type)."""
    scale = np.asarray(imp.constant(node, node.input[1], "scale"), dtype=np.float64)
    zero = imp.optional_constant(node, 2, "zero point")
    dtype = onnx.helper.np_dtype_to_tensor_dtype(zero.dtype) if zero is not None else onnx.TensorProto.UINT8
    if "output_dtype" in imp.attrs(node) and imp.attrs(node)["output_dtype"]:
        dtype = imp.attrs(node)["output_dtype"]
    if not quantizing and dtype not in QLINEAR_TYPES:
        dtype = onnx.TensorProto.INT8  # bits unused: the constant's own integers are dequantized
    if dtype not in QLINEAR_TYPES:
        raise imp.fail(
            node,
            f"quantized type {onnx.TensorProto.DataType.Name(dtype)} is not supported (int8, uint8, int16, uint16)",
        )
    bits, signed = QLINEAR_TYPES[dtype]
    zero = np.zeros(1) if zero is None else np.asarray(zero, dtype=np.float64)
    axis = imp.attrs(node).get("axis", 1)
    return scale, zero, bits, signed, (int(axis) if scale.size > 1 else None)


def _along(array: np.ndarray, axis: int | None, rank: int) -> np.ndarray:
    """A 1-D per-axis parameter shaped to broadcast along `axis` of a rank-`rank` tensor."""
    if axis is None or array.size == 1:
        return array.reshape(-1)[:1] if array.size == 1 else array
    axis = axis + rank if axis < 0 else axis
    shape = [1] * rank
    shape[axis] = array.size
    return array.reshape(shape)


@handles("QuantizeLinear")
def _quantize_linear(imp: GraphImporter, node: onnx.NodeProto) -> None:
    """Only as the first half of a QCDQ pair: its integer result is kept as the (float) value it
    stands for, and the DequantizeLinear that must follow reads it back."""
    scale, zero, bits, signed, axis = _qlinear_params(imp, node)
    consumers = [n for n in imp.model.graph.node if node.output[0] in n.input]
    if not consumers or any(n.op_type != "DequantizeLinear" for n in consumers):
        raise imp.fail(node, "its integer output must feed DequantizeLinear nodes only (QCDQ)")
    if node.output[0] in (o.name for o in imp.model.graph.output):
        raise imp.fail(node, "an integer graph output is not supported")
    source = node.input[0]
    rank = imp.constants[source].ndim if source in imp.constants else len(imp.bound(node, source).layout) + 1
    imp.qlinear[node.output[0]] = (scale, zero, axis)  # the value bound is (q - zero) * scale
    _quantizer(imp, node, source, _along(scale, axis, rank), _along(zero, axis, rank), bits, signed, False, "ROUND")


@handles("DequantizeLinear")
def _dequantize_linear(imp: GraphImporter, node: onnx.NodeProto) -> None:
    source = node.input[0]
    scale, zero, _, _, axis = _qlinear_params(imp, node, quantizing=source in imp.qlinear)
    if source in imp.qlinear:  # QCDQ: the quantizer already produced the dequantized value
        q_scale, q_zero, q_axis = imp.qlinear[source]
        if not (np.array_equal(q_scale, scale) and np.array_equal(q_zero.astype(np.float64), zero) and q_axis == axis):
            raise imp.fail(node, "scale, zero point and axis must equal those of its QuantizeLinear")
        if source in imp.constants:
            imp.constants[node.output[0]] = imp.constants[source]
        else:
            imp.values[node.output[0]] = imp.values[source]
        return
    if source not in imp.constants:
        raise imp.fail(node, "dequantizes a runtime integer tensor that no QuantizeLinear produced")
    q = np.asarray(imp.constants[source], dtype=np.float64)
    rank = q.ndim
    value = (q - _along(zero, axis, rank)) * _along(scale, axis, rank)
    imp.constants[node.output[0]] = value.astype(np.float32)
