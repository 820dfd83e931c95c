"""The `fixed` dialect: the bit-exact arithmetic of a design.

Every value is a `tensor<...x!fixed.fixed<W, I, signed|unsigned>>` (one sample, as in `nn`). Ops that
compute (dense, add, sub, mul, relu, reductions) are EXACT: their result type must hold every reachable
value with the exact step (the verifiers check the step; `infer-bitwidths` and `nn-to-fixed` pick the
integer bits, and the emulator's checked mode proves them on data). All rounding and overflow happens
in `fixed.quantize` (float -> fixed) and `fixed.cast` (fixed -> fixed), which carry their modes, with the
semantics of `dialects.fixedpoint.cast_codes`. Nonlinear functions are `fixed.lookup` tables whose
index is itself a cast (TRN, SAT) into an unsigned index type. Constants hold raw integer codes.
Types and attributes are in dialects/fixed_types.py (and importable from here).
"""

from __future__ import annotations

import math
from typing import ClassVar

import numpy as np
from xdsl.dialects.builtin import (
    I64,
    AnyFloat,
    DenseArrayBase,
    DenseIntOrFPElementsAttr,
    FloatAttr,
    IntegerAttr,
    TensorType,
    UnitAttr,
    f64,
    i64,
)
from xdsl.ir import Attribute, Dialect, SSAValue
from xdsl.irdl import (
    IRDLOperation,
    VarConstraint,
    irdl_op_definition,
    operand_def,
    opt_operand_def,
    opt_prop_def,
    prop_def,
    result_def,
    traits_def,
)
from xdsl.traits import ConstantLike, Pure, SameOperandsAndResultType
from xdsl.utils.exceptions import VerifyException

from dialects.fixed_tables import LookupOp, ThresholdOp  # noqa: F401 - part of the dialect
from dialects.fixed_types import (  # noqa: F401 - the dialect's public names
    FixedType,
    OverflowAttr,
    OverflowMode,
    RoundingAttr,
    RoundingMode,
    check_codes_attr,
    check_interval,
    codes_dtype_for,
    codes_of,
    dense_codes,
    fixed_tensor,
    fixed_tensor_type,
    format_of,
    offset_attr,
    overflow_attr,
    rounding_attr,
)
from dialects.fixedpoint import FixedFormat, Overflow, Rounding, add_format, bits_for_count, mul_format
from dialects.layer import LayerOp, i64_array, layer_props
from dialects.shapes import broadcast_shapes, window_output_shape
from dialects.windows import verify_conv, verify_pool

# --------------------------------------------------------------------------------------------------
# Constants and conversions


@irdl_op_definition
class ConstantOp(LayerOp):
    """A constant fixed-point tensor: raw integer codes, reinterpreted with the result's type.
    `error`, when present, is the largest |code value - real value| of the constants it was rounded
    from (weights, biases)."""

    name = "fixed.constant"
    codes = prop_def(DenseIntOrFPElementsAttr)
    error = opt_prop_def(FloatAttr)
    result = result_def(TensorType)
    traits = traits_def(Pure(), ConstantLike())
    assembly_format = "$codes `as` type($result) attr-dict"

    def __init__(self, codes: np.ndarray, fmt: FixedFormat, layer: str | None = None, error: float | None = None):
        props = layer_props(layer, codes=dense_codes(codes, fmt))
        if error is not None:
            props["error"] = FloatAttr(error, f64)
        super().__init__(result_types=[fixed_tensor_type(codes.shape, fmt)], properties=props)

    def values(self) -> np.ndarray:
        return codes_of(self.codes)

    def verify_(self) -> None:
        shape, fmt = fixed_tensor(self.result.type, "fixed.constant result")
        check_codes_attr(self.codes, "fixed.constant codes")
        if self.codes.get_shape() != shape:
            raise VerifyException(
                f"fixed.constant codes have shape {list(self.codes.get_shape())}, result has {list(shape)}"
            )
        codes = self.values()
        if codes.size and (codes.min() < fmt.min_code or codes.max() > fmt.max_code):
            raise VerifyException(
                f"fixed.constant codes [{codes.min()}, {codes.max()}] do not fit {fmt} "
                f"(codes [{fmt.min_code}, {fmt.max_code}])"
            )


class ConversionOp(LayerOp):
    """Common to quantize/cast: an elementwise conversion with rounding and overflow modes."""

    input = operand_def(TensorType)
    output = result_def(TensorType)
    rounding = prop_def(RoundingAttr)
    overflow = prop_def(OverflowAttr)
    traits = traits_def(Pure())
    assembly_format = "$input $rounding $overflow attr-dict `:` type($input) `->` type($output)"

    def __init__(self, x: SSAValue, fmt: FixedFormat, rounding: Rounding, overflow: Overflow, layer: str | None = None):
        super().__init__(
            operands=[x],
            result_types=[fixed_tensor_type(x.type.get_shape(), fmt)],
            properties=layer_props(layer, rounding=rounding_attr(rounding), overflow=overflow_attr(overflow)),
        )

    @property
    def modes(self) -> tuple[Rounding, Overflow]:
        return self.rounding.mode, self.overflow.mode

    def _verify_shapes(self, in_shape: tuple[int, ...]) -> None:
        out_shape, _ = fixed_tensor(self.output.type, f"{self.name} result")
        if in_shape != out_shape:
            raise VerifyException(f"{self.name} changes the shape {list(in_shape)} to {list(out_shape)}")


@irdl_op_definition
class QuantizeOp(ConversionOp):
    """float -> fixed: the exact float value, rounded and overflowed into the result type."""

    name = "fixed.quantize"

    def verify_(self) -> None:
        t = self.input.type
        if not isinstance(t, TensorType) or not isinstance(t.element_type, AnyFloat):
            raise VerifyException(f"fixed.quantize operand must be a tensor of floats, got {t}")
        self._verify_shapes(t.get_shape())


@irdl_op_definition
class CastOp(ConversionOp):
    """fixed -> fixed with the modes of `ap_fixed` assignment.

    `infer` marks a cast whose target is to be chosen by infer-bitwidths (an `auto` type): its integer
    bits from the range of its input, its width at most the current target's. `observed` holds the
    [min, max] of its input seen in calibration.
    """

    name = "fixed.cast"
    infer = opt_prop_def(UnitAttr)  # set with `CastOp.inferred(...)`
    observed = opt_prop_def(DenseArrayBase.constr(f64))
    assembly_format = "$input $rounding $overflow (`infer` $infer^)? attr-dict `:` type($input) `->` type($output)"

    @staticmethod
    def inferred(x: SSAValue, rounding: Rounding, overflow: Overflow, layer: str | None = None) -> CastOp:
        """An `auto` cast: for now to its operand's own type, until infer-bitwidths chooses."""
        op = CastOp(x, format_of(x), rounding, overflow, layer)
        op.properties["infer"] = UnitAttr()
        return op

    def verify_(self) -> None:
        shape, _ = fixed_tensor(self.input.type, "fixed.cast operand")
        self._verify_shapes(shape)
        if self.observed is not None:
            check_interval(self.observed.get_values(), "fixed.cast observed", strict=False)


@irdl_op_definition
class DequantizeOp(LayerOp):
    """fixed -> float: the value of each code (exact when W <= 53 for f64)."""

    name = "fixed.dequantize"
    input = operand_def(TensorType)
    output = result_def(TensorType)
    traits = traits_def(Pure())
    assembly_format = "$input attr-dict `:` type($input) `->` type($output)"

    def __init__(self, x: SSAValue, float_type: Attribute, layer: str | None = None):
        super().__init__(
            operands=[x],
            result_types=[TensorType(float_type, x.type.get_shape())],
            properties=layer_props(layer),
        )

    def verify_(self) -> None:
        shape, _ = fixed_tensor(self.input.type, "fixed.dequantize operand")
        t = self.output.type
        if not isinstance(t, TensorType) or not isinstance(t.element_type, AnyFloat):
            raise VerifyException(f"fixed.dequantize result must be a tensor of floats, got {t}")
        if t.get_shape() != shape:
            raise VerifyException("fixed.dequantize must keep the shape")


# --------------------------------------------------------------------------------------------------
# Exact arithmetic


def _check_exact_step(op: IRDLOperation, result: FixedFormat, frac_bits: int) -> None:
    if result.frac_bits != frac_bits:
        raise VerifyException(
            f"{op.name} is exact: its result must have {frac_bits} fraction bits, got {result} "
            f"({result.frac_bits}); round with a fixed.cast afterwards"
        )


@irdl_op_definition
class DenseOp(LayerOp):
    """y[..., j] = bias[j] + sum_i x[..., i] * weight[i, j], exactly (a MAC array).

    The result step is the product step; its integer bits must cover every reachable value
    (`infer-bitwidths` proves this from the weights; `dense_bound_format` gives the bound from widths
    alone). In C++ the accumulator wraps, so partial sums may exceed the type: only the final sum counts.
    """

    name = "fixed.dense"
    input = operand_def(TensorType)
    weight = operand_def(TensorType)
    bias = opt_operand_def(TensorType)
    output = result_def(TensorType)
    traits = traits_def(Pure())
    assembly_format = "$input `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)"

    def __init__(self, x: SSAValue, w: SSAValue, b: SSAValue | None, fmt: FixedFormat, layer: str | None = None):
        x_shape = x.type.get_shape()
        n_out = w.type.get_shape()[1]
        super().__init__(
            operands=[x, w, [b] if b is not None else []],
            result_types=[fixed_tensor_type([*x_shape[:-1], n_out], fmt)],
            properties=layer_props(layer),
        )

    def verify_(self) -> None:
        x, fx = fixed_tensor(self.input.type, "fixed.dense input")
        w, fw = fixed_tensor(self.weight.type, "fixed.dense weight")
        y, fy = fixed_tensor(self.output.type, "fixed.dense result")
        if len(w) != 2 or not x or x[-1] != w[0]:
            raise VerifyException(f"fixed.dense shapes do not match: input {list(x)}, weight {list(w)}")
        if list(y) != [*x[:-1], w[1]]:
            raise VerifyException(f"fixed.dense result must have shape {[*x[:-1], w[1]]}, got {list(y)}")
        frac_bits = fx.frac_bits + fw.frac_bits
        if self.bias is not None:
            b, fb = fixed_tensor(self.bias.type, "fixed.dense bias")
            if list(b) != [w[1]]:
                raise VerifyException(f"fixed.dense bias must have shape [{w[1]}], got {list(b)}")
            frac_bits = max(frac_bits, fb.frac_bits)
        _check_exact_step(self, fy, frac_bits)


def dense_bound_format(x: FixedFormat, w: FixedFormat, b: FixedFormat | None, n_in: int) -> FixedFormat:
    """An accumulator format that cannot overflow, from the operand widths alone (bit growth).

    Its step is the finer of the product's and the bias's; its range holds n_in products plus the bias.
    """
    product = mul_format(x, w)
    grow = bits_for_count(n_in)
    total = FixedFormat(product.width + grow, product.int_bits + grow, product.signed)
    return add_format(total, b) if b is not None else total


class BinaryOp(LayerOp):
    """Elementwise exact arithmetic with numpy broadcasting."""

    lhs = operand_def(TensorType)
    rhs = operand_def(TensorType)
    output = result_def(TensorType)
    traits = traits_def(Pure())
    assembly_format = "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)"

    def __init__(self, a: SSAValue, b: SSAValue, fmt: FixedFormat, layer: str | None = None):
        shape = broadcast_shapes(a.type.get_shape(), b.type.get_shape())
        super().__init__(operands=[a, b], result_types=[fixed_tensor_type(shape, fmt)], properties=layer_props(layer))

    def exact_frac_bits(self, a: FixedFormat, b: FixedFormat) -> int:
        return max(a.frac_bits, b.frac_bits)

    def verify_(self) -> None:
        a, fa = fixed_tensor(self.lhs.type, f"{self.name} lhs")
        b, fb = fixed_tensor(self.rhs.type, f"{self.name} rhs")
        y, fy = fixed_tensor(self.output.type, f"{self.name} result")
        try:
            expected = broadcast_shapes(a, b)
        except ValueError as err:
            raise VerifyException(f"{self.name}: {err}") from None
        if y != expected:
            raise VerifyException(f"{self.name} result must have shape {list(expected)}, got {list(y)}")
        _check_exact_step(self, fy, self.exact_frac_bits(fa, fb))


@irdl_op_definition
class AddOp(BinaryOp):
    name = "fixed.add"


@irdl_op_definition
class SubOp(BinaryOp):
    name = "fixed.sub"


@irdl_op_definition
class MulOp(BinaryOp):
    name = "fixed.mul"

    def exact_frac_bits(self, a: FixedFormat, b: FixedFormat) -> int:
        return a.frac_bits + b.frac_bits


@irdl_op_definition
class ReluOp(LayerOp):
    """max(x, 0), in the operand's type."""

    name = "fixed.relu"
    T: ClassVar = VarConstraint("T", TensorType.constr())
    input = operand_def(T)
    output = result_def(T)
    traits = traits_def(Pure(), SameOperandsAndResultType())
    assembly_format = "$input attr-dict `:` type($input)"

    def __init__(self, x: SSAValue, layer: str | None = None):
        super().__init__(operands=[x], result_types=[x.type], properties=layer_props(layer))

    def verify_(self) -> None:
        fixed_tensor(self.input.type, "fixed.relu operand")


class ReduceOp(LayerOp):
    """A reduction along `axis`, keeping it with size 1 (so the result broadcasts back)."""

    input = operand_def(TensorType)
    output = result_def(TensorType)
    axis = prop_def(IntegerAttr[I64])
    traits = traits_def(Pure())
    assembly_format = "$input `axis` $axis attr-dict `:` type($input) `->` type($output)"

    def __init__(self, x: SSAValue, axis: int, fmt: FixedFormat, layer: str | None = None):
        shape = list(x.type.get_shape())
        shape[axis] = 1
        super().__init__(
            operands=[x],
            result_types=[fixed_tensor_type(shape, fmt)],
            properties=layer_props(layer, axis=IntegerAttr(axis, i64)),
        )

    def verify_(self) -> None:
        x, fx = fixed_tensor(self.input.type, f"{self.name} operand")
        y, fy = fixed_tensor(self.output.type, f"{self.name} result")
        axis = self.axis.value.data
        if not 0 <= axis < len(x):
            raise VerifyException(f"{self.name} axis {axis} is out of range for rank {len(x)}")
        expected = list(x)
        expected[axis] = 1
        if list(y) != expected:
            raise VerifyException(f"{self.name} result must have shape {expected}, got {list(y)}")
        _check_exact_step(self, fy, fx.frac_bits)


@irdl_op_definition
class ReduceMaxOp(ReduceOp):
    name = "fixed.reduce_max"


@irdl_op_definition
class ReduceSumOp(ReduceOp):
    name = "fixed.reduce_sum"


# --------------------------------------------------------------------------------------------------
# Windows, selection, clamping


@irdl_op_definition
class ConvOp(LayerOp):
    """A convolution (see nn.conv), exactly: the result step is the product's (or the bias's if finer)
    and its integer bits hold every reachable value; padding is with zeros."""

    name = "fixed.conv"
    input = operand_def(TensorType)
    weight = operand_def(TensorType)
    bias = opt_operand_def(TensorType)
    output = result_def(TensorType)
    strides = prop_def(DenseArrayBase.constr(i64))
    dilations = prop_def(DenseArrayBase.constr(i64))
    pads = prop_def(DenseArrayBase.constr(i64))
    groups = prop_def(IntegerAttr[I64])
    traits = traits_def(Pure())
    assembly_format = "$input `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)"

    def __init__(
        self,
        x: SSAValue,
        w: SSAValue,
        b: SSAValue | None,
        fmt: FixedFormat,
        strides,
        dilations,
        pads,
        groups: int,
        layer: str | None = None,
    ):
        w_shape = w.type.get_shape()
        out = window_output_shape(x.type.get_shape()[:-1], w_shape[:-2], strides, pads, dilations)
        super().__init__(
            operands=[x, w, [b] if b is not None else []],
            result_types=[fixed_tensor_type([*out, w_shape[-1]], fmt)],
            properties=layer_props(
                layer,
                strides=i64_array(strides),
                dilations=i64_array(dilations),
                pads=i64_array(pads),
                groups=IntegerAttr(groups, i64),
            ),
        )

    @property
    def taps(self) -> int:
        """Products summed into each output: kernel positions times input channels per group."""
        w = self.weight.type.get_shape()
        return math.prod(w[:-1])

    def verify_(self) -> None:
        verify_conv(self, _fixed_tensor_type)
        fx, fw, fy = (format_of(v) for v in (self.input, self.weight, self.output))
        frac = fx.frac_bits + fw.frac_bits
        if self.bias is not None:
            frac = max(frac, format_of(self.bias).frac_bits)
        _check_exact_step(self, fy, frac)


def _fixed_tensor_type(value: Attribute, what: str) -> TensorType:
    fixed_tensor(value, what)
    return value


class WindowOp(LayerOp):
    input = operand_def(TensorType)
    output = result_def(TensorType)
    kernel = prop_def(DenseArrayBase.constr(i64))
    strides = prop_def(DenseArrayBase.constr(i64))
    pads = prop_def(DenseArrayBase.constr(i64))
    traits = traits_def(Pure())
    assembly_format = "$input attr-dict `:` type($input) `->` type($output)"

    def __init__(self, x: SSAValue, kernel, strides, pads, fmt: FixedFormat, layer: str | None = None):
        shape = x.type.get_shape()
        out = window_output_shape(shape[:-1], kernel, strides, pads, [1] * len(kernel))
        super().__init__(
            operands=[x],
            result_types=[fixed_tensor_type([*out, shape[-1]], fmt)],
            properties=layer_props(layer, kernel=i64_array(kernel), strides=i64_array(strides), pads=i64_array(pads)),
        )

    def verify_(self) -> None:
        verify_pool(self, _fixed_tensor_type)


@irdl_op_definition
class MaxPoolOp(WindowOp):
    """The maximum over each window, in the input's type (padding never wins)."""

    name = "fixed.max_pool"

    def verify_(self) -> None:
        super().verify_()
        if format_of(self.input) != format_of(self.output):
            raise VerifyException("fixed.max_pool keeps the element type")


@irdl_op_definition
class SumPoolOp(WindowOp):
    """The exact sum over each window (padding adds zeros); an average is this times 1/count."""

    name = "fixed.sum_pool"

    def verify_(self) -> None:
        super().verify_()
        _check_exact_step(self, format_of(self.output), format_of(self.input).frac_bits)


def join_format(a: FixedFormat, b: FixedFormat) -> FixedFormat:
    """The narrowest format holding every value of both."""
    frac = max(a.frac_bits, b.frac_bits)
    signed = a.signed or b.signed
    int_bits = max(a.int_bits + (signed and not a.signed), b.int_bits + (signed and not b.signed))
    return FixedFormat(int_bits + frac, int_bits, signed)


@irdl_op_definition
class SelectOp(LayerOp):
    """y = cond > 0 ? a : b, elementwise with broadcasting; exact (the result step is the finer one)."""

    name = "fixed.select"
    cond = operand_def(TensorType)
    lhs = operand_def(TensorType)
    rhs = operand_def(TensorType)
    output = result_def(TensorType)
    traits = traits_def(Pure())
    assembly_format = "$cond `,` $lhs `,` $rhs attr-dict `:` functional-type(operands, results)"

    def __init__(self, cond: SSAValue, a: SSAValue, b: SSAValue, fmt: FixedFormat, layer: str | None = None):
        shape = broadcast_shapes(broadcast_shapes(cond.type.get_shape(), a.type.get_shape()), b.type.get_shape())
        super().__init__(
            operands=[cond, a, b], result_types=[fixed_tensor_type(shape, fmt)], properties=layer_props(layer)
        )

    def verify_(self) -> None:
        shapes = [fixed_tensor(v.type, f"fixed.select operand {i}")[0] for i, v in enumerate(self.operands)]
        y, fy = fixed_tensor(self.output.type, "fixed.select result")
        try:
            expected = broadcast_shapes(broadcast_shapes(shapes[0], shapes[1]), shapes[2])
        except ValueError as err:
            raise VerifyException(f"fixed.select: {err}") from None
        if y != expected:
            raise VerifyException(f"fixed.select result must have shape {list(expected)}, got {list(y)}")
        _check_exact_step(self, fy, max(format_of(self.lhs).frac_bits, format_of(self.rhs).frac_bits))


@irdl_op_definition
class ClampOp(LayerOp):
    """y = min(max(x, low), high), low and high codes of the input's step; exact."""

    name = "fixed.clamp"
    input = operand_def(TensorType)
    output = result_def(TensorType)
    low = prop_def(IntegerAttr)
    high = prop_def(IntegerAttr)
    traits = traits_def(Pure())
    assembly_format = "$input `low` $low `high` $high attr-dict `:` type($input) `->` type($output)"

    def __init__(self, x: SSAValue, low: int, high: int, fmt: FixedFormat, layer: str | None = None):
        super().__init__(
            operands=[x],
            result_types=[fixed_tensor_type(x.type.get_shape(), fmt)],
            properties=layer_props(layer, low=offset_attr(low), high=offset_attr(high)),
        )

    def verify_(self) -> None:
        shape, fx = fixed_tensor(self.input.type, "fixed.clamp operand")
        y, fy = fixed_tensor(self.output.type, "fixed.clamp result")
        if y != shape:
            raise VerifyException("fixed.clamp must keep the shape")
        if self.low.value.data > self.high.value.data:
            raise VerifyException("fixed.clamp low must not exceed high")
        _check_exact_step(self, fy, fx.frac_bits)


FIXED = Dialect(
    "fixed",
    [
        ConstantOp,
        QuantizeOp,
        CastOp,
        DequantizeOp,
        DenseOp,
        AddOp,
        SubOp,
        MulOp,
        ReluOp,
        ReduceMaxOp,
        ReduceSumOp,
        LookupOp,
        ConvOp,
        MaxPoolOp,
        SumPoolOp,
        SelectOp,
        ClampOp,
        ThresholdOp,
    ],
    [FixedType, RoundingAttr, OverflowAttr],
)
