"""The `fixed` dialect: the bit-exact arithmetic of a design.

Every value is a `tensor<...x!fixed.fixed<W, I, signed|unsigned>>` (one sample, as in `nn`). Ops that
compute (dense, conv, add, sub, mul, reductions, pools, select, clamp) are EXACT: their result type
must hold every reachable value with the exact step (the verifiers check the step; `infer-bitwidths`
and `nn-to-fixed` pick the integer bits, and the emulator's checked mode proves them on data). All
rounding and overflow happens in `fixed.quantize` (float -> fixed) and `fixed.cast` (fixed -> fixed),
which carry their modes, with the semantics of `dialects.fixedpoint.cast_codes`. Nonlinear functions
are `fixed.lookup` tables whose index is itself a cast (TRN, SAT) into an unsigned index type, and
quantizers that are step functions are `fixed.threshold` tables. Constants hold raw integer codes.

This module holds the elementwise ops (add, sub, mul, relu, abs, reductions) and the dialect, and is
its public namespace (`from dialects import fixed; fixed.DenseOp, fixed.format_of`); constants,
conversions (cast, cast_each) and dense are in fixed_core.py, select and clamp in fixed_select.py,
conv and pools in fixed_windows.py, lookup and threshold in fixed_tables.py, the recurrence of
recurrent layers in fixed_recurrent.py, the types in fixed_types.py. Each op says in its class, through
the interfaces of dialects/interfaces.py, its result-type rule, its range transfer, its cost and how
it streams; the emulator's semantics are its interpreter function (runtime/interp_fixed.py).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
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

from dialects import delays as dly
from dialects.error_bounds import ErrorContext, ErrorMode, broadcast_rank, magnitude
from dialects.fixed_core import (
    CastEachOp,
    CastOp,
    ConstantOp,
    ConversionOp,
    DenseOp,
    DequantizeOp,
    QuantizeOp,
    dense_bound_format,
)
from dialects.fixed_recurrent import RecurrenceOp, YieldOp
from dialects.fixed_select import ClampOp, SelectOp
from dialects.fixed_tables import LookupOp, Normalization, Piece, ThresholdOp
from dialects.fixed_types import (
    ElementTypes,
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
from dialects.fixedpoint import FixedFormat, bits_for_count
from dialects.interfaces import (
    AxisStreaming,
    CombinationalPath,
    Cost,
    CostModel,
    ElementwiseStreaming,
    ErrorTransfer,
    ExactResult,
    Formats,
    JointErrorTransfer,
    ModelBounds,
    NamedResult,
    NoCost,
    OneLipschitz,
    RangeInference,
    SameFormatAsInput,
    verify_step,
)
from dialects.layer import LayerOp, layer_props
from dialects.ranges import CodeRange, aligned, product_bounds
from dialects.shapes import broadcast_shapes

# --------------------------------------------------------------------------------------------------
# Exact elementwise arithmetic


class BinaryOp(LayerOp, ExactResult, CostModel, ErrorTransfer, ElementwiseStreaming, NamedResult, CombinationalPath):
    """Elementwise exact arithmetic with numpy broadcasting."""

    def combinational_path(self) -> dly.PathDelay:
        f = Formats.of(self)
        a, b, y = f.operands[0], f.operands[1], f.results[0]
        if self.name == "fixed.mul":
            return dly.PathDelay(dly.multiply_ns(a.width, b.width))
        return dly.PathDelay(dly.adder_ns(y.width))

    lhs = operand_def(TensorType)
    rhs = operand_def(TensorType)
    output = result_def(TensorType)
    traits = traits_def(Pure())
    assembly_format = "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)"

    def __init__(self, a: SSAValue, b: SSAValue, fmt: FixedFormat, layer: str | None = None):
        shape = broadcast_shapes(a.type.get_shape(), b.type.get_shape())
        super().__init__(operands=[a, b], result_types=[fixed_tensor_type(shape, fmt)], properties=layer_props(layer))

    def exact_frac_bits(self, formats: Formats | None = None) -> int:
        a, b = (formats or Formats.of(self)).operands
        return max(a.frac_bits, b.frac_bits)

    def propagate_errors(self, errors, ranges, mode: ErrorMode) -> list[np.ndarray]:
        """A sum or difference is off by at most the sum of its operands' errors."""
        rank = len(self.output.type.get_shape())
        return [broadcast_rank(errors[0], rank) + broadcast_rank(errors[1], rank)]

    def cost(self, formats: Formats | None = None) -> Cost:
        """One adder of the result's width per element (add and sub)."""
        (y,) = (formats or Formats.of(self)).results
        return Cost(adds=math.prod(self.output.type.get_shape()), add_bits=y.width)

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
class SubOp(BinaryOp, ModelBounds):
    name = "fixed.sub"
    RESULT_NAME: ClassVar[str] = "diff"

    def is_minus_own_max(self) -> bool:
        """sub(x, reduce_max(x)) of a stable softmax: every element is <= 0, which intervals alone lose."""
        peak = self.rhs.owner
        return isinstance(peak, ReduceMaxOp) and peak.input == self.lhs

    def model_bounds(self) -> tuple[float, float] | None:
        return (-math.inf, 0.0) if self.is_minus_own_max() else None

    def centred_input(self) -> SSAValue | None:
        """x of sub(mul(x, N), reduce_sum(x)) along x's last axis of N elements, N exact: a layer
        norm's N (x - mean x); else None."""
        scaled, total = self.lhs.owner, self.rhs.owner
        if not isinstance(scaled, MulOp) or not isinstance(total, ReduceSumOp) or total.input != scaled.lhs:
            return None
        shape, count = scaled.lhs.type.get_shape(), scaled.rhs.owner
        if not isinstance(count, ConstantOp) or count.error is not None or count.values().size != 1:
            return None
        n = int(count.values().reshape(-1)[0]) * Fraction(2) ** -format_of(count.result).frac_bits
        return scaled.lhs if n == shape[-1] and total.axis.value.data == len(shape) - 1 else None

    def infer_result_ranges(self, operands: Sequence[CodeRange | None]) -> list[CodeRange]:
        a, b, frac = aligned(operands[0], operands[1])
        lo, hi = a.lo - b.hi, a.hi - b.lo
        if self.is_minus_own_max():
            hi = np.minimum(hi, 0)
        return [CodeRange(np.asarray(lo, dtype=object), np.asarray(hi, dtype=object), frac)]


@irdl_op_definition
class MulOp(BinaryOp, JointErrorTransfer):
    name = "fixed.mul"
    RESULT_NAME: ClassVar[str] = "prod"

    def exact_frac_bits(self, formats: Formats | None = None) -> int:
        a, b = (formats or Formats.of(self)).operands
        return a.frac_bits + b.frac_bits

    def normalization(self) -> Normalization | None:
        """lhs * rhs as a layer norm's d t(u) (lowering/nn_to_fixed_norm.py): u = reduce_sum(lhs * lhs)
        along the lhs's last axis, the rhs rsqrt tables of u chosen by selects on edge - u."""
        leaf = self.rhs.owner
        while isinstance(leaf, SelectOp):
            leaf = leaf.lhs.owner
        u = leaf.input if isinstance(leaf, LookupOp) else None
        total = u.owner if u is not None else None
        square = total.input.owner if isinstance(total, ReduceSumOp) else None
        if not isinstance(square, MulOp) or not square.lhs == square.rhs == self.lhs:
            return None
        last = len(self.lhs.type.get_shape()) - 1
        if total.axis.value.data != last or self.rhs.type.get_shape() != u.type.get_shape():
            return None
        pieces, centred = table_pieces(self.rhs, u), self.lhs.owner
        x = centred.centred_input() if isinstance(centred, SubOp) else None
        return Normalization.of(self.lhs, u, pieces, x) if pieces is not None else None

    def infer_result_ranges(self, operands: Sequence[CodeRange | None]) -> list[CodeRange]:
        """The corners' extremes; a layer norm's d t(u) also within its magnitude (|d_i| <= sqrt(u))."""
        bounds, norm = product_bounds(operands[0], operands[1]), self.normalization()
        return [bounds if norm is None else norm.clip(bounds, operands[0])]

    def joint_errors(self, context: ErrorContext, mode: ErrorMode) -> list[np.ndarray] | None:
        norm = self.normalization()
        found = norm.errors(context, mode, format_of(self.output).frac_bits) if norm is not None else None
        return [found] if found is not None else None

    def propagate_errors(self, errors, ranges, mode: ErrorMode) -> list[np.ndarray]:
        """|a'b' - ab| <= |a'| e_b + |b'| e_a + e_a e_b."""
        rank = len(self.output.type.get_shape())
        (a, b), (e_a, e_b) = ranges, [broadcast_rank(e, rank) for e in errors]
        out = magnitude(a) * e_b + magnitude(b) * e_a
        return [mode.with_extra(out, mode.total(e_a) * mode.total(e_b))]

    def cost(self, formats: Formats | None = None) -> Cost:
        """One multiplier per element (not shared by a reuse factor)."""
        a, b = (formats or Formats.of(self)).operands
        return Cost(multiplies=math.prod(self.output.type.get_shape()), multiply_bits=a.width * b.width)


def table_pieces(
    value: SSAValue, u: SSAValue, below: Fraction | None = None, above: Fraction | None = None
) -> list[Piece] | None:
    """`value` as lookups of u, each with the interval of u that takes it, when it is lookups of u
    chosen by selects on edge - u > 0 (u < edge, an exact scalar constant); else None."""
    op = value.owner
    if isinstance(op, LookupOp):
        return [Piece(op, below, above)] if op.input == u else None
    cond = op.cond.owner if isinstance(op, SelectOp) else None
    edge = cond.lhs.owner if isinstance(cond, SubOp) and cond.rhs == u else None
    if not isinstance(edge, ConstantOp) or edge.values().size != 1 or edge.error is not None:
        return None
    at = int(edge.values().reshape(-1)[0]) * Fraction(2) ** -format_of(edge.result).frac_bits
    lower = table_pieces(op.lhs, u, below, at if above is None else min(above, at))
    upper = table_pieces(op.rhs, u, at if below is None else max(below, at), above)
    return None if lower is None or upper is None else lower + upper


@irdl_op_definition
class ReluOp(
    LayerOp,
    SameFormatAsInput,
    RangeInference,
    NoCost,
    OneLipschitz,
    ElementwiseStreaming,
    NamedResult,
    CombinationalPath,
):
    """max(x, 0), in the operand's type."""

    def combinational_path(self) -> dly.PathDelay:
        return dly.PathDelay(dly.LOGIC_LEVEL_NS)  # the sign bit selects zero

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
class AbsOp(LayerOp, ExactResult, CostModel, OneLipschitz, ElementwiseStreaming, NamedResult, CombinationalPath):
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

    def exact_frac_bits(self, formats: Formats | None = None) -> int:
        return (formats or Formats.of(self)).operands[0].frac_bits

    def infer_result_ranges(self, operands: Sequence[CodeRange | None]) -> list[CodeRange]:
        x = operands[0]
        lo = np.where(x.lo > 0, x.lo, np.where(x.hi < 0, -x.hi, 0))  # 0 when the interval holds it
        hi = np.maximum(np.abs(x.lo), np.abs(x.hi))
        return [CodeRange(lo.astype(object), hi.astype(object), x.frac)]

    def cost(self, formats: Formats | None = None) -> Cost:
        """A negation (an adder of the input's width) per element."""
        x = (formats or Formats.of(self)).operands[0]
        return Cost(adds=math.prod(self.output.type.get_shape()), add_bits=x.width)

    def combinational_path(self) -> dly.PathDelay:
        """The negation's carry chain, then the multiplexer choosing x or -x."""
        return dly.PathDelay(dly.adder_ns(Formats.of(self).results[0].width) + dly.LOGIC_LEVEL_NS)

    def verify_(self) -> None:
        shape, _ = fixed_tensor(self.input.type, "fixed.abs operand")
        y, fy = fixed_tensor(self.output.type, "fixed.abs result")
        if y != shape:
            raise VerifyException("fixed.abs must keep the shape")
        if fy.signed:
            raise VerifyException(f"fixed.abs result must be unsigned, got {fy}")
        self.verify_exact_step()


class ReduceOp(LayerOp, RangeInference, ErrorTransfer, AxisStreaming, CombinationalPath):
    """A reduction along `axis`, keeping it with size 1 (so the result broadcasts back)."""

    def combinational_path(self) -> dly.PathDelay:
        n = self.input.type.get_shape()[self.axis.value.data]
        width = Formats.of(self).results[0].width
        step = dly.compare_select_ns(width) if self.name == "fixed.reduce_max" else dly.adder_ns(width)
        return dly.PathDelay.uncut(0.0, dly.tree_levels(n), step)

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

    def along_axis(self, errors: np.ndarray) -> np.ndarray:
        """The operand's bound with the reduced axis at its full length."""
        axis = self.axis.value.data + 1
        shape = list(errors.shape)
        shape[axis] = self.input.type.get_shape()[axis - 1]
        return np.broadcast_to(errors, shape)

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

    def propagate_errors(self, errors, ranges, mode: ErrorMode) -> list[np.ndarray]:
        """A maximum is off by at most the largest error of the elements it compares."""
        return [self.along_axis(errors[0]).max(axis=self.axis.value.data + 1, keepdims=True)]

    def verify_(self) -> None:
        super().verify_()
        verify_step(self, format_of(self.input).frac_bits)


@irdl_op_definition
class ReduceSumOp(ReduceOp, ExactResult, CostModel, ModelBounds, NamedResult):
    name = "fixed.reduce_sum"
    RESULT_NAME: ClassVar[str] = "total"

    @staticmethod
    def bound_format(x: FixedFormat, count: int) -> FixedFormat:
        """A type holding any sum of `count` values of type x: ceil(log2(count)) more integer bits."""
        grow = bits_for_count(count)
        return FixedFormat(x.width + grow, x.int_bits + grow, x.signed)

    def exact_frac_bits(self, formats: Formats | None = None) -> int:
        return (formats or Formats.of(self)).operands[0].frac_bits

    def infer_result_ranges(self, operands: Sequence[CodeRange | None]) -> list[CodeRange]:
        axis = self.axis.value.data
        x = operands[0].expanded(tuple(self.input.type.get_shape()))
        lo, hi = x.lo.sum(axis=axis, keepdims=True), x.hi.sum(axis=axis, keepdims=True)
        floor = self.softmax_sum_floor(x)
        if floor is not None:
            lo = np.maximum(lo, floor)
        return [CodeRange(lo, hi, x.frac)]

    def propagate_errors(self, errors, ranges, mode: ErrorMode) -> list[np.ndarray]:
        return [self.along_axis(errors[0]).sum(axis=self.axis.value.data + 1, keepdims=True)]

    def model_bounds(self) -> tuple[float, float] | None:
        """A stable softmax's denominator: sum_i exp(x_i - max x) lies in [1, n]."""
        lookup = self.input.owner
        if not isinstance(lookup, LookupOp) or lookup.function.data != "exp":
            return None
        if not isinstance(lookup.input.owner, SubOp) or not lookup.input.owner.is_minus_own_max():
            return None
        return 1.0, float(self.input.type.get_shape()[self.axis.value.data])

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

    def cost(self, formats: Formats | None = None) -> Cost:
        adds = math.prod(self.input.type.get_shape()) - math.prod(self.output.type.get_shape())
        return Cost(adds=adds, add_bits=(formats or Formats.of(self)).results[0].width)

    def verify_(self) -> None:
        super().verify_()
        self.verify_exact_step()


FIXED = Dialect(
    "fixed",
    [
        ConstantOp,
        QuantizeOp,
        CastOp,
        CastEachOp,
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
        RecurrenceOp,
        YieldOp,
    ],
    [FixedType, RoundingAttr, OverflowAttr],
)

__all__ = [  # the dialect's names, from the modules that define them
    "CastEachOp",
    "CastOp",
    "ClampOp",
    "ConstantOp",
    "ConversionOp",
    "ConvOp",
    "DenseOp",
    "DequantizeOp",
    "ElementTypes",
    "FixedType",
    "LookupOp",
    "MaxPoolOp",
    "OverflowAttr",
    "OverflowMode",
    "PoolOp",
    "QuantizeOp",
    "RecurrenceOp",
    "RoundingAttr",
    "RoundingMode",
    "SelectOp",
    "SumPoolOp",
    "ThresholdOp",
    "YieldOp",
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
