"""The `fixed` dialect: the bit-exact arithmetic of a design.

Every value is a `tensor<...x!fixed.fixed<W, I, signed|unsigned>>` (one sample, as in `nn`). Ops that
compute (dense, conv, add, sub, mul, reductions, pools, select, clamp) are EXACT: their result type
must hold every reachable value with the exact step (the verifiers check the step; `infer-bitwidths`
and `nn-to-fixed` pick the integer bits, and the emulator's checked mode proves them on data). All
rounding and overflow happens in `fixed.quantize` (float -> fixed) and `fixed.cast` (fixed -> fixed),
which carry their modes, with the semantics of `dialects.fixedpoint.cast_codes`. Nonlinear functions
are `fixed.lookup` tables whose index is itself a cast (TRN, SAT) into an unsigned index type, and
quantizers that are step functions are `fixed.threshold` tables. Constants hold raw integer codes.

This module holds the elementwise ops (add, sub, mul, relu, abs, reductions, select, clamp) and the
dialect, and is its public namespace (`from dialects import fixed; fixed.DenseOp, fixed.format_of`);
constants, conversions and dense are in fixed_core.py, conv and pools in fixed_windows.py, lookup
and threshold in fixed_tables.py, the types in fixed_types.py. Each op says in its class, through
the interfaces of dialects/interfaces.py, its result-type rule, its range transfer, its cost and how
it streams; the emulator's semantics are its interpreter function (runtime/interp_fixed.py).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import ClassVar

import numpy as np
from xdsl.dialects.builtin import (
    I64,
    IntegerAttr,
    TensorType,
    i64,
)
from xdsl.ir import Dialect, SSAValue
from xdsl.irdl import (
    VarConstraint,
    irdl_op_definition,
    operand_def,
    prop_def,
    result_def,
    traits_def,
)
from xdsl.traits import Pure, SameOperandsAndResultType
from xdsl.utils.exceptions import VerifyException

from dialects.fixed_core import (
    CastOp,
    ConstantOp,
    ConversionOp,
    DenseOp,
    DequantizeOp,
    QuantizeOp,
    dense_bound_format,
)
from dialects.fixed_tables import LookupOp, ThresholdOp
from dialects.fixed_types import (
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
from dialects.fixed_windows import ConvOp, MaxPoolOp, PoolOp, SumPoolOp
from dialects.fixedpoint import FixedFormat
from dialects.interfaces import (
    AxisStreaming,
    Cost,
    CostModel,
    ElementwiseStreaming,
    ExactResult,
    NamedResult,
    NoCost,
    RangeInference,
    Requantizes,
    SameFormatAsInput,
    verify_step,
)
from dialects.layer import LayerOp, layer_props
from dialects.ranges import CodeRange, aligned, product_bounds
from dialects.shapes import broadcast_shapes

# --------------------------------------------------------------------------------------------------
# Exact elementwise arithmetic


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


@irdl_op_definition
class AbsOp(LayerOp, ExactResult, CostModel, ElementwiseStreaming, NamedResult):
    """|x|, exactly: unsigned, in the input's step. The most negative code of a signed <W, I> has the
    magnitude 2^(W-1), so |x| fits <W, I, unsigned> (`bound_format`)."""

    name = "fixed.abs"
    input = operand_def(TensorType)
    output = result_def(TensorType)
    traits = traits_def(Pure())
    assembly_format = "$input attr-dict `:` type($input) `->` type($output)"
    RESULT_NAME: ClassVar[str] = "abs"

    def __init__(self, x: SSAValue, fmt: FixedFormat, layer: str | None = None):
        super().__init__(
            operands=[x], result_types=[fixed_tensor_type(x.type.get_shape(), fmt)], properties=layer_props(layer)
        )

    @staticmethod
    def bound_format(x: FixedFormat) -> FixedFormat:
        return FixedFormat(x.width, x.int_bits, False)

    def exact_frac_bits(self) -> int:
        return format_of(self.input).frac_bits

    def infer_result_ranges(self, operands: Sequence[CodeRange | None]) -> list[CodeRange]:
        x = operands[0]
        lo = np.where(x.lo > 0, x.lo, np.where(x.hi < 0, -x.hi, 0))  # 0 when the interval holds it
        hi = np.maximum(np.abs(x.lo), np.abs(x.hi))
        return [CodeRange(lo.astype(object), hi.astype(object), x.frac)]

    def cost(self) -> Cost:
        """A negation (an adder of the input's width) per element."""
        return Cost(adds=math.prod(self.output.type.get_shape()), add_bits=format_of(self.input).width)

    def verify_(self) -> None:
        shape, _ = fixed_tensor(self.input.type, "fixed.abs operand")
        y, fy = fixed_tensor(self.output.type, "fixed.abs result")
        if y != shape:
            raise VerifyException("fixed.abs must keep the shape")
        if fy.signed:
            raise VerifyException(f"fixed.abs result must be unsigned, got {fy}")
        self.verify_exact_step()


class ReduceOp(LayerOp, RangeInference, AxisStreaming):
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
        AbsOp,
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

__all__ = [  # the dialect's names, from the modules that define them
    "CastOp",
    "ConstantOp",
    "ConversionOp",
    "ConvOp",
    "DenseOp",
    "DequantizeOp",
    "FixedType",
    "LookupOp",
    "MaxPoolOp",
    "OverflowAttr",
    "OverflowMode",
    "PoolOp",
    "QuantizeOp",
    "RoundingAttr",
    "RoundingMode",
    "SumPoolOp",
    "ThresholdOp",
    "check_codes_attr",
    "check_interval",
    "codes_dtype_for",
    "codes_of",
    "dense_bound_format",
    "dense_codes",
    "fixed_tensor",
    "fixed_tensor_type",
    "format_of",
    "offset_attr",
    "overflow_attr",
    "rounding_attr",
]
