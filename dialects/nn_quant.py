"""`nn.quant`: a uniform quantizer on real numbers (QONNX `Quant`/`BipolarQuant`, QCDQ pairs).

    y = (clamp(round(a * x + b) / scale + zero_point), lo, hi) - zero_point) * scale

per channel (the last axis), with the integer range [lo, hi] of `bits` bits (signed or not, `narrow`
dropping the most negative code), `round` one of QONNX's rounding modes or HALF_POSITIVE (ties
toward +infinity, ap_fixed's AP_RND), and an optional affine
pre-step `a * x + b` (`pre_scale`, `pre_bias`) into which fold-affine-into-quant merges a batch norm
or a multiply/add by constants that only feeds the quantizer. One signed bit is bipolar: +-scale by
the sign (x >= 0 gives +1). Without `bits` nothing is clamped (the rounding step of QONNX `Trunc`).
With `wrap` (HGQ's and hls4ml's WRAP overflow) a code outside [lo, hi] is not clamped but taken
modulo 2^bits into it, after rounding (bits, no narrow, no pre-step, zero_point 0).

The op stays a float-to-float op at this level: nn-to-fixed turns it into a cast to the exact
fixed-point type when the scale is a power of two and there is no pre-step, and into a threshold
table over the input's codes (`fixed.threshold`) otherwise.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

import numpy as np
from xdsl.dialects.builtin import (
    I64,
    DenseArrayBase,
    DenseIntOrFPElementsAttr,
    IntegerAttr,
    StringAttr,
    TensorType,
    UnitAttr,
    f64,
    i64,
)
from xdsl.irdl import VarConstraint, irdl_op_definition, operand_def, opt_prop_def, prop_def, result_def, traits_def
from xdsl.traits import Pure, SameOperandsAndResultType
from xdsl.utils.exceptions import VerifyException

from dialects.fixed_types import ElementTypes
from dialects.interfaces import Layer
from dialects.layer import LayerOp, layer_props

QONNX_ROUNDING_MODES = ("ROUND", "HALF_EVEN", "CEIL", "FLOOR", "UP", "DOWN", "HALF_UP", "HALF_DOWN")
# and ties toward +infinity: ap_fixed's AP_RND, HGQ's and hls4ml's RND (no QONNX mode rounds so)
ROUNDING_MODES = (*QONNX_ROUNDING_MODES, "HALF_POSITIVE")


def round_values(y: np.ndarray, mode: str) -> np.ndarray:
    """QONNX's rounding functions (qonnx.custom_op.general.intquant.resolve_rounding_mode), and
    HALF_POSITIVE (ties toward +infinity)."""
    if mode in ("ROUND", "HALF_EVEN"):
        return np.round(y)
    if mode == "CEIL":
        return np.ceil(y)
    if mode == "FLOOR":
        return np.floor(y)
    if mode == "UP":
        return np.sign(y) * np.ceil(np.abs(y))
    if mode == "DOWN":
        return np.fix(y)
    if mode == "HALF_UP":
        return np.sign(y) * np.floor(np.abs(y) + 0.5)
    if mode == "HALF_DOWN":
        return np.sign(y) * np.ceil(np.abs(y) - 0.5)
    if mode == "HALF_POSITIVE":
        return np.floor(y + 0.5)
    raise ValueError(f"unknown rounding mode {mode!r}")


def int_range(bits: int, signed: bool, narrow: bool) -> tuple[int, int]:
    """The integer codes of a quantizer (QONNX min_int/max_int)."""
    if signed:
        return -(1 << (bits - 1)) + int(narrow), (1 << (bits - 1)) - 1
    return 0, (1 << bits) - 1 - int(narrow)


def quantize_reference(
    x: np.ndarray,
    scale: np.ndarray,
    zero_point: np.ndarray,
    bits: int | None,
    signed: bool,
    narrow: bool,
    rounding: str,
    wrap: bool = False,
) -> np.ndarray:
    """The quantizer in QONNX's own arithmetic (the dtype of `x`, float32 for model tensors); with
    `wrap`, a code outside the range is taken modulo 2^bits into it (two's complement) instead of
    clamped, after rounding."""
    dtype = x.dtype
    y = x / scale.astype(dtype) + zero_point.astype(dtype)
    if bits == 1 and signed:
        y = np.where(y >= 0, dtype.type(1), dtype.type(-1))
    elif wrap:
        lo, _ = int_range(bits, signed, False)
        y = np.mod(round_values(y, rounding) - lo, dtype.type(2.0**bits)) + lo
    else:
        if bits is not None:
            lo, hi = int_range(bits, signed, narrow)
            y = np.clip(y, dtype.type(lo), dtype.type(hi))
        y = round_values(y, rounding)
    return ((y - zero_point.astype(dtype)) * scale.astype(dtype)).astype(dtype)


def f64_array(values: Sequence[float] | np.ndarray) -> DenseArrayBase:
    return DenseArrayBase.from_list(f64, [float(v) for v in np.ravel(values)])


def floats(attr: DenseArrayBase | None) -> np.ndarray | None:
    return None if attr is None else np.array(attr.get_values(), dtype=np.float64)


@irdl_op_definition
class QuantOp(LayerOp, Layer):
    """A uniform quantizer, per tensor or per channel (the last axis); see the module docstring. Its
    types are the model's: no setting applies to it."""

    name = "nn.quant"
    LAYER_TYPE: ClassVar[str] = "Quant"
    SETTINGS: ClassVar[frozenset[str]] = frozenset()
    T: ClassVar = VarConstraint("T", TensorType.constr())
    input = operand_def(T)
    output = result_def(T)
    scale = prop_def(DenseArrayBase.constr(f64))
    zero_point = prop_def(DenseArrayBase.constr(f64))
    bits = opt_prop_def(IntegerAttr[I64])
    signed = opt_prop_def(UnitAttr)
    narrow = opt_prop_def(UnitAttr)
    wrap = opt_prop_def(UnitAttr)
    rounding = prop_def(StringAttr)
    pre_scale = opt_prop_def(DenseArrayBase.constr(f64))
    pre_bias = opt_prop_def(DenseArrayBase.constr(f64))
    traits = traits_def(Pure(), SameOperandsAndResultType())
    assembly_format = (
        "$input `scale` $scale `zero_point` $zero_point (`bits` $bits^)? (`signed` $signed^)? "
        "(`narrow` $narrow^)? (`wrap` $wrap^)? `round` $rounding attr-dict `:` type($input)"
    )

    def __init__(
        self,
        x,
        scale: Sequence[float] | np.ndarray,
        zero_point: Sequence[float] | np.ndarray,
        bits: int | None,
        signed: bool,
        narrow: bool,
        rounding: str,
        layer: str | None = None,
        pre: tuple[np.ndarray, np.ndarray] | None = None,
        wrap: bool = False,
    ):
        props = layer_props(
            layer, scale=f64_array(scale), zero_point=f64_array(zero_point), rounding=StringAttr(rounding)
        )
        if bits is not None:
            props["bits"] = IntegerAttr(bits, i64)
        if signed:
            props["signed"] = UnitAttr()
        if narrow:
            props["narrow"] = UnitAttr()
        if wrap:
            props["wrap"] = UnitAttr()
        if pre is not None:
            props["pre_scale"], props["pre_bias"] = f64_array(pre[0]), f64_array(pre[1])
        super().__init__(operands=[x], result_types=[x.type], properties=props)

    # ---------------------------------------------------------------------------------------------
    @property
    def bit_width(self) -> int | None:
        return self.bits.value.data if self.bits is not None else None

    @property
    def is_bipolar(self) -> bool:
        return self.bit_width == 1 and self.signed is not None

    def scales(self) -> np.ndarray:
        return floats(self.scale)

    def zero_points(self) -> np.ndarray:
        return floats(self.zero_point)

    def pre(self) -> tuple[np.ndarray, np.ndarray] | None:
        if self.pre_scale is None:
            return None
        return floats(self.pre_scale), floats(self.pre_bias)

    def integer_range(self) -> tuple[int, int] | None:
        """[lo, hi] of the integer codes (before the zero point is taken off), None if unbounded."""
        if self.bit_width is None:
            return None
        if self.is_bipolar:
            return -1, 1
        return int_range(self.bit_width, self.signed is not None, self.narrow is not None)

    def reference(self, x: np.ndarray) -> np.ndarray:
        """What the op computes, in float64 (x: stored per-sample or batched, channel last)."""
        x = np.asarray(x, dtype=np.float64)
        if (pre := self.pre()) is not None:
            x = x * pre[0] + pre[1]
        return quantize_reference(
            x,
            self.scales(),
            self.zero_points(),
            self.bit_width,
            self.signed is not None,
            self.narrow is not None,
            self.rounding.data,
            self.wrap is not None,
        )

    def verify_(self) -> None:
        shape = self.input.type.get_shape()
        channels = shape[-1] if shape else 1
        arrays = [("scale", self.scales()), ("zero_point", self.zero_points())]
        if (self.pre_scale is None) != (self.pre_bias is None):
            raise VerifyException("nn.quant pre_scale and pre_bias go together")
        if (pre := self.pre()) is not None:
            arrays += [("pre_scale", pre[0]), ("pre_bias", pre[1])]
        for what, values in arrays:
            if values.size not in (1, channels):
                raise VerifyException(
                    f"nn.quant {what} must have 1 or {channels} (the last axis) values, got {values.size}"
                )
            if not np.isfinite(values).all():
                raise VerifyException(f"nn.quant {what} must be finite")
        if (self.scales() <= 0).any():
            raise VerifyException("nn.quant scale must be positive")
        if (self.zero_points() != np.round(self.zero_points())).any():
            raise VerifyException("nn.quant zero_point must hold integers")
        if self.rounding.data not in ROUNDING_MODES:
            raise VerifyException(
                f"nn.quant rounding {self.rounding.data!r} is unknown; known: {', '.join(ROUNDING_MODES)}"
            )
        if self.bit_width is None:
            if self.signed is not None or self.narrow is not None or (self.zero_points() != 0).any():
                raise VerifyException("nn.quant without bits (no clamping) takes no signed, narrow or zero_point")
        elif not 1 <= self.bit_width <= 64:
            raise VerifyException(f"nn.quant bits must be in [1, 64], got {self.bit_width}")
        elif self.bit_width == 1 and self.narrow is not None:
            raise VerifyException("nn.quant: one bit cannot be narrow")
        if self.wrap is not None and (
            self.bit_width is None
            or self.is_bipolar
            or self.narrow is not None
            or self.pre_scale is not None
            or (self.zero_points() != 0).any()
        ):
            raise VerifyException("nn.quant wrap needs bits (not one signed bit), no narrow, no pre-step, zero_point 0")


OVERFLOW_MODES = ("SAT", "SAT_SYM", "WRAP")


def fixed_quantize_reference(
    x: np.ndarray,
    types: ElementTypes,
    rounding: str,
    overflow: str,
    round_codes: Callable[[np.ndarray], np.ndarray] | None = None,
) -> np.ndarray:
    """Each element rounded into its own fixed-point type and brought into its range, in float64.
    `round_codes` rounds the scaled values instead of `rounding` (a mode nn ops do not have)."""
    x = np.asarray(x, dtype=np.float64)
    signed, width, int_bits = (np.broadcast_to(a, x.shape[-types.width.ndim :]) for a in types.arrays())
    frac = (width - int_bits).astype(np.float64)
    code = round_codes(x * 2.0**frac) if round_codes is not None else round_values(x * 2.0**frac, rounding)
    magnitude = np.maximum(width - signed, 0).astype(np.float64)
    high = 2.0**magnitude - 1
    low = -signed * 2.0**magnitude
    if overflow == "WRAP":
        code = np.mod(code - low, 2.0 ** np.maximum(width, 0)) + low
    else:
        code = np.clip(code, low + (signed * (overflow == "SAT_SYM")), high)
    return np.where(width > 0, code * 2.0**-frac, 0.0)


@irdl_op_definition
class FixedQuantOp(LayerOp, Layer):
    """A fixed-point quantizer with a type per element (HGQ's heterogeneous quantizers): each element
    is rounded into its own type (`types`, ap_fixed's W, I and signedness per element, broadcast to
    the tensor; see fixed_types.ElementTypes) by `rounding` (nn.quant's modes) and brought into its
    range by `overflow` (SAT, SAT_SYM or WRAP); an element of width 0 is 0. nn-to-fixed makes it a
    `fixed.cast_each`. Its types are the model's: no setting applies to it."""

    name = "nn.fixed_quant"
    LAYER_TYPE: ClassVar[str] = "Quant"
    SETTINGS: ClassVar[frozenset[str]] = frozenset()
    T: ClassVar = VarConstraint("T", TensorType.constr())
    input = operand_def(T)
    output = result_def(T)
    types = prop_def(DenseIntOrFPElementsAttr)
    rounding = prop_def(StringAttr)
    overflow = prop_def(StringAttr)
    traits = traits_def(Pure(), SameOperandsAndResultType())
    assembly_format = "$input `types` $types `round` $rounding `overflow` $overflow attr-dict `:` type($input)"

    def __init__(self, x, types: ElementTypes, rounding: str, overflow: str, layer: str | None = None):
        props = layer_props(layer, types=types.attr(), rounding=StringAttr(rounding), overflow=StringAttr(overflow))
        super().__init__(operands=[x], result_types=[x.type], properties=props)

    def element_types(self) -> ElementTypes:
        return ElementTypes.of_attr(self.types)

    def reference(self, x: np.ndarray) -> np.ndarray:
        """What the op computes, in float64 (x: stored per-sample or batched, channel last)."""
        return fixed_quantize_reference(x, self.element_types(), self.rounding.data, self.overflow.data)

    def verify_(self) -> None:
        shape = self.input.type.get_shape()
        ElementTypes.checked(self.types, shape, "nn.fixed_quant types")
        if self.rounding.data not in ROUNDING_MODES:
            raise VerifyException(
                f"nn.fixed_quant rounding {self.rounding.data!r} is unknown; known: {', '.join(ROUNDING_MODES)}"
            )
        if self.overflow.data not in OVERFLOW_MODES:
            raise VerifyException(
                f"nn.fixed_quant overflow {self.overflow.data!r} is unknown; known: {', '.join(OVERFLOW_MODES)}"
            )
