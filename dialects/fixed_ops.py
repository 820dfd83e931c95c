"""The elementwise and MAC ops of the `fixed` dialect (the dialect is assembled in dialects/fixed.py).

Constants and conversions (quantize, cast, dequantize), the exact arithmetic (dense, add, sub, mul,
reductions, select, clamp) and relu. Each op says in its class, through the interfaces of
dialects/interfaces.py, its result-type rule, its range transfer, its cost and how it streams; the
emulator's semantics are its interpreter function (runtime/interp_fixed.py).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
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
from xdsl.ir import Attribute, Operation, SSAValue
from xdsl.irdl import (
    VarConstraint,
    irdl_op_definition,
    operand_def,
    opt_operand_def,
    opt_prop_def,
    prop_def,
    result_def,
    traits_def,
)
from xdsl.rewriter import Rewriter
from xdsl.traits import ConstantLike, Pure, SameOperandsAndResultType
from xdsl.utils.exceptions import VerifyException

from dialects.fixed_tables import LookupOp
from dialects.fixed_types import (
    OverflowAttr,
    RoundingAttr,
    check_codes_attr,
    check_interval,
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
from dialects.interfaces import (
    ChosenResult,
    Cost,
    CostModel,
    ElementwiseStreaming,
    ExactResult,
    HasParameters,
    HostSide,
    NamedResult,
    NoCost,
    RangeInference,
    Requantizes,
    SameFormatAsInput,
    Streamable,
    Streaming,
    elementwise_streaming,
    parameter_role,
    positions_of,
    verify_step,
)
from dialects.layer import LayerOp, layer_props
from dialects.ranges import CodeRange, aligned, bilinear_ints, cast_range, product_bounds, with_bias
from dialects.shapes import broadcast_shapes

# --------------------------------------------------------------------------------------------------
# Constants and conversions


@irdl_op_definition
class ConstantOp(LayerOp, ChosenResult, RangeInference, NoCost, Streamable, NamedResult):
    """A constant fixed-point tensor: raw integer codes, reinterpreted with the result's type.
    `error`, when present, is the largest |code value - real value| of the constants it was rounded
    from (weights, biases)."""

    name = "fixed.constant"
    codes = prop_def(DenseIntOrFPElementsAttr)
    error = opt_prop_def(FloatAttr)
    result = result_def(TensorType)
    traits = traits_def(Pure(), ConstantLike())
    assembly_format = "$codes `as` type($result) attr-dict"
    RESULT_NAME: ClassVar[str] = "constant"

    def __init__(self, codes: np.ndarray, fmt: FixedFormat, layer: str | None = None, error: float | None = None):
        props = layer_props(layer, codes=dense_codes(codes, fmt))
        if error is not None:
            props["error"] = FloatAttr(error, f64)
        super().__init__(result_types=[fixed_tensor_type(codes.shape, fmt)], properties=props)

    def values(self) -> np.ndarray:
        return codes_of(self.codes)

    def infer_result_ranges(self, operands: Sequence[CodeRange | None]) -> list[CodeRange]:
        return [CodeRange.exact(self.values(), format_of(self.result).frac_bits)]

    def streaming(self) -> Streaming:
        return Streaming.POSITION if math.prod(positions_of(self.result)) == 1 else Streaming.WHOLE

    def at_one_position(self, mapping: dict[SSAValue, SSAValue]) -> list[Operation]:
        """A parameter (weights, biases) in the form its reader's one-position form reads it; a
        constant that broadcasts over the positions becomes its channels."""
        codes = self.values()
        readers = [(use.operation, use.index) for use in self.result.uses]
        if readers and all(parameter_role(op, index) is not None for op, index in readers):
            op, index = readers[0]
            codes = op.parameter_at_one_position(index, codes)
        else:
            codes = codes.reshape(codes.shape[-1] if codes.ndim else 1)
        new = self.clone()
        new.properties["codes"] = dense_codes(codes, format_of(self.result))
        Rewriter.replace_value_with_new_type(new.result, fixed_tensor_type(codes.shape, format_of(self.result)))
        return [new]

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


class ConversionOp(LayerOp, ChosenResult, RangeInference):
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
    """float -> fixed: the exact float value, rounded and overflowed into the result type. The host
    quantises a design's inputs: any code of the type may arrive."""

    name = "fixed.quantize"
    traits = traits_def(Pure(), HostSide())

    def infer_result_ranges(self, operands: Sequence[CodeRange | None]) -> list[CodeRange]:
        return [CodeRange.full(tuple(self.output.type.get_shape()), format_of(self.output))]

    def verify_(self) -> None:
        t = self.input.type
        if not isinstance(t, TensorType) or not isinstance(t.element_type, AnyFloat):
            raise VerifyException(f"fixed.quantize operand must be a tensor of floats, got {t}")
        self._verify_shapes(t.get_shape())


@irdl_op_definition
class CastOp(ConversionOp, NoCost, ElementwiseStreaming, NamedResult):
    """fixed -> fixed with the modes of `ap_fixed` assignment.

    `infer` marks a cast whose target is to be chosen by infer-bitwidths (an `auto` type): its integer
    bits from the range of its input, its width at most the current target's. `observed` holds the
    [min, max] of its input seen in calibration.
    """

    name = "fixed.cast"
    infer = opt_prop_def(UnitAttr)  # set with `CastOp.inferred(...)`
    observed = opt_prop_def(DenseArrayBase.constr(f64))
    traits = traits_def(Pure(), Requantizes())
    assembly_format = "$input $rounding $overflow (`infer` $infer^)? attr-dict `:` type($input) `->` type($output)"
    RESULT_NAME: ClassVar[str] = "cast"

    @staticmethod
    def inferred(x: SSAValue, rounding: Rounding, overflow: Overflow, layer: str | None = None) -> CastOp:
        """An `auto` cast: for now to its operand's own type, until infer-bitwidths chooses."""
        op = CastOp(x, format_of(x), rounding, overflow, layer)
        op.properties["infer"] = UnitAttr()
        return op

    def infer_result_ranges(self, operands: Sequence[CodeRange | None]) -> list[CodeRange]:
        return [cast_range(operands[0], format_of(self.input), format_of(self.output), *self.modes)]

    def verify_(self) -> None:
        shape, _ = fixed_tensor(self.input.type, "fixed.cast operand")
        self._verify_shapes(shape)
        if self.observed is not None:
            check_interval(self.observed.get_values(), "fixed.cast observed", strict=False)


@irdl_op_definition
class DequantizeOp(LayerOp):
    """fixed -> float: the value of each code (exact when W <= 53 for f64), on the host."""

    name = "fixed.dequantize"
    input = operand_def(TensorType)
    output = result_def(TensorType)
    traits = traits_def(Pure(), HostSide())
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


@irdl_op_definition
class DenseOp(LayerOp, ExactResult, CostModel, ElementwiseStreaming, NamedResult, HasParameters):
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
    RESULT_NAME: ClassVar[str] = "acc"
    PARAMETERS: ClassVar[dict[int, str]] = {1: "weights", 2: "biases"}

    def __init__(self, x: SSAValue, w: SSAValue, b: SSAValue | None, fmt: FixedFormat, layer: str | None = None):
        x_shape = x.type.get_shape()
        n_out = w.type.get_shape()[1]
        super().__init__(
            operands=[x, w, [b] if b is not None else []],
            result_types=[fixed_tensor_type([*x_shape[:-1], n_out], fmt)],
            properties=layer_props(layer),
        )

    def exact_frac_bits(self) -> int:
        frac = format_of(self.input).frac_bits + format_of(self.weight).frac_bits
        return max(frac, format_of(self.bias).frac_bits) if self.bias is not None else frac

    def infer_result_ranges(self, operands: Sequence[CodeRange | None]) -> list[CodeRange]:
        """hi[j] = b[j] + sum_i max(w[i,j] * lo[i], w[i,j] * hi[i]) (and likewise lo): the exact
        extremum of the MAC over the input box, with the real weights."""
        x, w, b = operands[0], operands[1], operands[2] if self.bias is not None else None
        x = x.expanded(tuple(self.input.type.get_shape()))
        x_lo, x_hi, weights = bilinear_ints(x, w.lo, self.weight.type.get_shape()[0])  # constant: lo == hi
        positive, negative = np.maximum(weights, 0), np.minimum(weights, 0)
        hi = (x_hi @ positive + x_lo @ negative).astype(object)
        lo = (x_lo @ positive + x_hi @ negative).astype(object)
        return [with_bias(CodeRange(lo, hi, x.frac + w.frac), b, self.exact_frac_bits())]

    def cost(self) -> Cost:
        x, w, acc = (format_of(v) for v in (self.input, self.weight, self.output))
        n, m = self.weight.type.get_shape()
        return Cost(
            macs=math.prod(self.input.type.get_shape()[:-1]) * n * m,
            mac_operand_bits=x.width * w.width,
            mac_accumulator_bits=acc.width,
        )

    def verify_(self) -> None:
        x, _ = fixed_tensor(self.input.type, "fixed.dense input")
        w, _ = fixed_tensor(self.weight.type, "fixed.dense weight")
        y, _ = fixed_tensor(self.output.type, "fixed.dense result")
        if len(w) != 2 or not x or x[-1] != w[0]:
            raise VerifyException(f"fixed.dense shapes do not match: input {list(x)}, weight {list(w)}")
        if list(y) != [*x[:-1], w[1]]:
            raise VerifyException(f"fixed.dense result must have shape {[*x[:-1], w[1]]}, got {list(y)}")
        if self.bias is not None:
            b, _ = fixed_tensor(self.bias.type, "fixed.dense bias")
            if list(b) != [w[1]]:
                raise VerifyException(f"fixed.dense bias must have shape [{w[1]}], got {list(b)}")
        self.verify_exact_step()


def dense_bound_format(x: FixedFormat, w: FixedFormat, b: FixedFormat | None, n_in: int) -> FixedFormat:
    """An accumulator format that cannot overflow, from the operand widths alone (bit growth).

    Its step is the finer of the product's and the bias's; its range holds n_in products plus the bias.
    """
    product = mul_format(x, w)
    grow = bits_for_count(n_in)
    total = FixedFormat(product.width + grow, product.int_bits + grow, product.signed)
    return add_format(total, b) if b is not None else total


class BinaryOp(LayerOp, ExactResult, CostModel, ElementwiseStreaming, NamedResult):
    """Elementwise exact arithmetic with numpy broadcasting."""

    lhs = operand_def(TensorType)
    rhs = operand_def(TensorType)
    output = result_def(TensorType)
    traits = traits_def(Pure())
    assembly_format = "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)"

    def __init__(self, a: SSAValue, b: SSAValue, fmt: FixedFormat, layer: str | None = None):
        shape = broadcast_shapes(a.type.get_shape(), b.type.get_shape())
        super().__init__(operands=[a, b], result_types=[fixed_tensor_type(shape, fmt)], properties=layer_props(layer))

    def exact_frac_bits(self) -> int:
        return max(format_of(self.lhs).frac_bits, format_of(self.rhs).frac_bits)

    def cost(self) -> Cost:
        """One adder of the result's width per element (add and sub)."""
        return Cost(adds=math.prod(self.output.type.get_shape()), add_bits=format_of(self.output).width)

    def verify_(self) -> None:
        a, _ = fixed_tensor(self.lhs.type, f"{self.name} lhs")
        b, _ = fixed_tensor(self.rhs.type, f"{self.name} rhs")
        y, _ = fixed_tensor(self.output.type, f"{self.name} result")
        try:
            expected = broadcast_shapes(a, b)
        except ValueError as err:
            raise VerifyException(f"{self.name}: {err}") from None
        if y != expected:
            raise VerifyException(f"{self.name} result must have shape {list(expected)}, got {list(y)}")
        self.verify_exact_step()


@irdl_op_definition
class AddOp(BinaryOp):
    name = "fixed.add"
    RESULT_NAME: ClassVar[str] = "sum"

    def infer_result_ranges(self, operands: Sequence[CodeRange | None]) -> list[CodeRange]:
        a, b, frac = aligned(operands[0], operands[1])
        return [CodeRange(np.asarray(a.lo + b.lo, dtype=object), np.asarray(a.hi + b.hi, dtype=object), frac)]


@irdl_op_definition
class SubOp(BinaryOp):
    name = "fixed.sub"
    RESULT_NAME: ClassVar[str] = "diff"

    def is_minus_own_max(self) -> bool:
        """sub(x, reduce_max(x)) of a stable softmax: every element is <= 0, which intervals alone lose."""
        peak = self.rhs.owner
        return isinstance(peak, ReduceMaxOp) and peak.input == self.lhs

    def infer_result_ranges(self, operands: Sequence[CodeRange | None]) -> list[CodeRange]:
        a, b, frac = aligned(operands[0], operands[1])
        lo, hi = a.lo - b.hi, a.hi - b.lo
        if self.is_minus_own_max():
            hi = np.minimum(hi, 0)
        return [CodeRange(np.asarray(lo, dtype=object), np.asarray(hi, dtype=object), frac)]


@irdl_op_definition
class MulOp(BinaryOp):
    name = "fixed.mul"
    RESULT_NAME: ClassVar[str] = "prod"

    def exact_frac_bits(self) -> int:
        return format_of(self.lhs).frac_bits + format_of(self.rhs).frac_bits

    def infer_result_ranges(self, operands: Sequence[CodeRange | None]) -> list[CodeRange]:
        return [product_bounds(operands[0], operands[1])]

    def cost(self) -> Cost:
        """One multiplier per element (not shared by a reuse factor)."""
        a, b = format_of(self.lhs), format_of(self.rhs)
        return Cost(multiplies=math.prod(self.output.type.get_shape()), multiply_bits=a.width * b.width)


@irdl_op_definition
class ReluOp(LayerOp, SameFormatAsInput, RangeInference, NoCost, ElementwiseStreaming, NamedResult):
    """max(x, 0), in the operand's type."""

    name = "fixed.relu"
    T: ClassVar = VarConstraint("T", TensorType.constr())
    input = operand_def(T)
    output = result_def(T)
    traits = traits_def(Pure(), SameOperandsAndResultType())
    assembly_format = "$input attr-dict `:` type($input)"
    RESULT_NAME: ClassVar[str] = "relu"

    def __init__(self, x: SSAValue, layer: str | None = None):
        super().__init__(operands=[x], result_types=[x.type], properties=layer_props(layer))

    def infer_result_ranges(self, operands: Sequence[CodeRange | None]) -> list[CodeRange]:
        x = operands[0]
        return [CodeRange(np.maximum(x.lo, 0), np.maximum(x.hi, 0), x.frac)]

    def verify_(self) -> None:
        fixed_tensor(self.input.type, "fixed.relu operand")


class ReduceOp(LayerOp, RangeInference, Streamable):
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

    def streaming(self) -> Streaming:
        """A reduction over the channels of each position streams; any other reads the whole tensor."""
        if self.axis.value.data != len(self.input.type.get_shape()) - 1:
            return Streaming.WHOLE
        return elementwise_streaming(self)

    def at_one_position(self, mapping: dict[SSAValue, SSAValue]) -> list[Operation]:
        (new,) = super().at_one_position(mapping)
        new.properties["axis"] = IntegerAttr(0, i64)
        return [new]

    def verify_(self) -> None:
        x, _ = fixed_tensor(self.input.type, f"{self.name} operand")
        y, _ = fixed_tensor(self.output.type, f"{self.name} result")
        axis = self.axis.value.data
        if not 0 <= axis < len(x):
            raise VerifyException(f"{self.name} axis {axis} is out of range for rank {len(x)}")
        expected = list(x)
        expected[axis] = 1
        if list(y) != expected:
            raise VerifyException(f"{self.name} result must have shape {expected}, got {list(y)}")


@irdl_op_definition
class ReduceMaxOp(ReduceOp, SameFormatAsInput, NoCost, NamedResult):
    name = "fixed.reduce_max"
    RESULT_NAME: ClassVar[str] = "peak"

    def infer_result_ranges(self, operands: Sequence[CodeRange | None]) -> list[CodeRange]:
        axis = self.axis.value.data
        x = operands[0].expanded(tuple(self.input.type.get_shape()))
        return [CodeRange(x.lo.max(axis=axis, keepdims=True), x.hi.max(axis=axis, keepdims=True), x.frac)]

    def verify_(self) -> None:
        super().verify_()
        verify_step(self, format_of(self.input).frac_bits)


@irdl_op_definition
class ReduceSumOp(ReduceOp, ExactResult, CostModel, NamedResult):
    name = "fixed.reduce_sum"
    RESULT_NAME: ClassVar[str] = "total"

    def exact_frac_bits(self) -> int:
        return format_of(self.input).frac_bits

    def infer_result_ranges(self, operands: Sequence[CodeRange | None]) -> list[CodeRange]:
        axis = self.axis.value.data
        x = operands[0].expanded(tuple(self.input.type.get_shape()))
        lo, hi = x.lo.sum(axis=axis, keepdims=True), x.hi.sum(axis=axis, keepdims=True)
        floor = self.softmax_sum_floor(x)
        if floor is not None:
            lo = np.maximum(lo, floor)
        return [CodeRange(lo, hi, x.frac)]

    def softmax_sum_floor(self, x: CodeRange) -> np.ndarray | None:
        """sum_i table(x_i - max x) >= table(0) + the other terms' lower bounds: the maximum's own
        term is the entry at 0 (a stable softmax's denominator)."""
        lookup = self.input.owner
        if not isinstance(lookup, LookupOp) or not isinstance(lookup.input.owner, SubOp):
            return None
        if not lookup.input.owner.is_minus_own_max():
            return None
        table = lookup.table_codes()
        if np.any(np.diff(table) < 0):
            return None
        at_zero = int(table[lookup.indices(np.array([0]))[0]])
        axis = self.axis.value.data
        others = x.lo.sum(axis=axis, keepdims=True) - x.lo.max(axis=axis, keepdims=True)
        return others + at_zero

    def cost(self) -> Cost:
        adds = math.prod(self.input.type.get_shape()) - math.prod(self.output.type.get_shape())
        return Cost(adds=adds, add_bits=format_of(self.output).width)

    def verify_(self) -> None:
        super().verify_()
        self.verify_exact_step()


# --------------------------------------------------------------------------------------------------
# Selection and clamping


@irdl_op_definition
class SelectOp(LayerOp, ExactResult, NoCost, ElementwiseStreaming, NamedResult):
    """y = cond > 0 ? a : b, elementwise with broadcasting; exact (the result step is the finer one)."""

    name = "fixed.select"
    cond = operand_def(TensorType)
    lhs = operand_def(TensorType)
    rhs = operand_def(TensorType)
    output = result_def(TensorType)
    traits = traits_def(Pure())
    assembly_format = "$cond `,` $lhs `,` $rhs attr-dict `:` functional-type(operands, results)"
    RESULT_NAME: ClassVar[str] = "selected"

    def __init__(self, cond: SSAValue, a: SSAValue, b: SSAValue, fmt: FixedFormat, layer: str | None = None):
        shape = broadcast_shapes(broadcast_shapes(cond.type.get_shape(), a.type.get_shape()), b.type.get_shape())
        super().__init__(
            operands=[cond, a, b], result_types=[fixed_tensor_type(shape, fmt)], properties=layer_props(layer)
        )

    def exact_frac_bits(self) -> int:
        return max(format_of(self.lhs).frac_bits, format_of(self.rhs).frac_bits)

    def infer_result_ranges(self, operands: Sequence[CodeRange | None]) -> list[CodeRange]:
        cond, a, b = operands
        frac = self.exact_frac_bits()
        a, b = a.at_frac(frac), b.at_frac(frac)
        always_a, always_b = cond.lo > 0, cond.hi <= 0
        lo = np.where(always_a, a.lo, np.where(always_b, b.lo, np.minimum(a.lo, b.lo)))
        hi = np.where(always_a, a.hi, np.where(always_b, b.hi, np.maximum(a.hi, b.hi)))
        return [CodeRange(np.asarray(lo, dtype=object), np.asarray(hi, dtype=object), frac)]

    def verify_(self) -> None:
        shapes = [fixed_tensor(v.type, f"fixed.select operand {i}")[0] for i, v in enumerate(self.operands)]
        y, _ = fixed_tensor(self.output.type, "fixed.select result")
        try:
            expected = broadcast_shapes(broadcast_shapes(shapes[0], shapes[1]), shapes[2])
        except ValueError as err:
            raise VerifyException(f"fixed.select: {err}") from None
        if y != expected:
            raise VerifyException(f"fixed.select result must have shape {list(expected)}, got {list(y)}")
        self.verify_exact_step()


@irdl_op_definition
class ClampOp(LayerOp, ExactResult, NoCost, ElementwiseStreaming, NamedResult):
    """y = min(max(x, low), high), low and high codes of the input's step; exact."""

    name = "fixed.clamp"
    input = operand_def(TensorType)
    output = result_def(TensorType)
    low = prop_def(IntegerAttr)
    high = prop_def(IntegerAttr)
    traits = traits_def(Pure(), Requantizes())
    assembly_format = "$input `low` $low `high` $high attr-dict `:` type($input) `->` type($output)"
    RESULT_NAME: ClassVar[str] = "clamped"

    def __init__(self, x: SSAValue, low: int, high: int, fmt: FixedFormat, layer: str | None = None):
        super().__init__(
            operands=[x],
            result_types=[fixed_tensor_type(x.type.get_shape(), fmt)],
            properties=layer_props(layer, low=offset_attr(low), high=offset_attr(high)),
        )

    def exact_frac_bits(self) -> int:
        return format_of(self.input).frac_bits

    def infer_result_ranges(self, operands: Sequence[CodeRange | None]) -> list[CodeRange]:
        x, low, high = operands[0], self.low.value.data, self.high.value.data
        return [CodeRange(np.clip(x.lo, low, high), np.clip(x.hi, low, high), x.frac)]

    def verify_(self) -> None:
        shape, _ = fixed_tensor(self.input.type, "fixed.clamp operand")
        y, _ = fixed_tensor(self.output.type, "fixed.clamp result")
        if y != shape:
            raise VerifyException("fixed.clamp must keep the shape")
        if self.low.value.data > self.high.value.data:
            raise VerifyException("fixed.clamp low must not exceed high")
        self.verify_exact_step()


ELEMENTWISE_OPS = [
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
    SelectOp,
    ClampOp,
]
