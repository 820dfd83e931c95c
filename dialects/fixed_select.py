"""`fixed.select` and `fixed.clamp`: exact selection between two values and clamping to a range.
Part of the `fixed` dialect (assembled in dialects/fixed.py).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import ClassVar

import numpy as np
from xdsl.dialects.builtin import DenseArrayBase, FloatAttr, IntegerAttr, TensorType, UnitAttr, f64
from xdsl.ir import SSAValue
from xdsl.irdl import irdl_op_definition, operand_def, opt_prop_def, prop_def, result_def, traits_def
from xdsl.traits import Pure
from xdsl.utils.exceptions import VerifyException

from dialects import delays as dly
from dialects.error_bounds import ErrorMode, broadcast_rank, flip_possible, value_bounds
from dialects.fixed_types import fixed_tensor, fixed_tensor_type, format_of, offset_attr
from dialects.fixedpoint import FixedFormat
from dialects.interfaces import (
    CombinationalPath,
    ElementwiseStreaming,
    ErrorTransfer,
    ExactResult,
    Formats,
    NamedResult,
    NoCost,
    OneLipschitz,
    Requantizes,
)
from dialects.layer import LayerOp, layer_props
from dialects.ranges import CodeRange
from dialects.shapes import broadcast_shapes


@irdl_op_definition
class SelectOp(LayerOp, ExactResult, NoCost, ErrorTransfer, ElementwiseStreaming, NamedResult, CombinationalPath):
    """y = cond > 0 ? a : b, elementwise with broadcasting; exact (the result step is the finer one).

    `gap` = [J, K], when given, says what the float model's branches may differ by where the float
    condition c decides: |a - b| <= J + K |c| (a continuous piecewise function has J = 0: leaky relu,
    elu); the error analysis then bounds what a flipped condition costs."""

    def combinational_path(self) -> dly.PathDelay:
        return dly.PathDelay(dly.compare_select_ns(Formats.of(self).operands[0].width))

    name = "fixed.select"
    cond = operand_def(TensorType)
    lhs = operand_def(TensorType)
    rhs = operand_def(TensorType)
    output = result_def(TensorType)
    gap = opt_prop_def(DenseArrayBase.constr(f64))
    traits = traits_def(Pure())
    assembly_format = "$cond `,` $lhs `,` $rhs attr-dict `:` functional-type(operands, results)"
    RESULT_NAME: ClassVar[str] = "selected"

    def __init__(
        self,
        cond: SSAValue,
        a: SSAValue,
        b: SSAValue,
        fmt: FixedFormat,
        layer: str | None = None,
        gap: tuple[float, float] | None = None,
    ):
        shape = broadcast_shapes(broadcast_shapes(cond.type.get_shape(), a.type.get_shape()), b.type.get_shape())
        props = {"gap": DenseArrayBase.from_list(f64, [float(v) for v in gap])} if gap is not None else {}
        super().__init__(
            operands=[cond, a, b], result_types=[fixed_tensor_type(shape, fmt)], properties=layer_props(layer, **props)
        )

    def exact_frac_bits(self, formats: Formats | None = None) -> int:
        _, a, b = (formats or Formats.of(self)).operands
        return max(a.frac_bits, b.frac_bits)

    def infer_result_ranges(self, operands: Sequence[CodeRange | None]) -> list[CodeRange]:
        cond, a, b = operands
        frac = self.exact_frac_bits()
        a, b = a.at_frac(frac), b.at_frac(frac)
        always_a, always_b = cond.lo > 0, cond.hi <= 0
        lo = np.where(always_a, a.lo, np.where(always_b, b.lo, np.minimum(a.lo, b.lo)))
        hi = np.where(always_a, a.hi, np.where(always_b, b.hi, np.maximum(a.hi, b.hi)))
        return [CodeRange(np.asarray(lo, dtype=object), np.asarray(hi, dtype=object), frac)]

    def propagate_errors(self, errors, ranges, mode: ErrorMode) -> list[np.ndarray]:
        """The branch taken is off by its error; where the condition may flip, the design takes one
        branch and the model the other: off by a branch's error plus |a - b| there (the `gap`, or
        without one the most the two branches' ranges can differ)."""
        rank = len(self.output.type.get_shape())
        (cond, a, b), (e_c, e_a, e_b) = ranges, [broadcast_rank(e, rank) for e in errors]
        out = np.maximum(e_a, e_b)
        flips = flip_possible(cond, mode.total(e_c), mode)
        if not np.any(flips):
            return [out]
        if self.gap is not None:
            jump, slope = (float(v) for v in self.gap.get_values())
            out = out + np.where(flips, slope * e_c, 0.0)
        else:
            (a_lo, a_hi), (b_lo, b_hi) = value_bounds(a), value_bounds(b)
            jump = np.maximum(np.abs(a_hi - b_lo), np.abs(b_hi - a_lo))
        return [mode.with_extra(out, np.where(flips, jump, 0.0))]

    def verify_(self) -> None:
        shapes = [fixed_tensor(v.type, f"fixed.select operand {i}")[0] for i, v in enumerate(self.operands)]
        y, _ = fixed_tensor(self.output.type, "fixed.select result")
        try:
            expected = broadcast_shapes(broadcast_shapes(shapes[0], shapes[1]), shapes[2])
        except ValueError as err:
            raise VerifyException(f"fixed.select: {err}") from None
        if y != expected:
            raise VerifyException(f"fixed.select result must have shape {list(expected)}, got {list(y)}")
        if self.gap is not None:
            gap = [float(v) for v in self.gap.get_values()]
            if len(gap) != 2 or not all(0 <= v < math.inf for v in gap):
                raise VerifyException(f"fixed.select gap must be two finite numbers >= 0 (jump, slope), got {gap}")
        self.verify_exact_step()


@irdl_op_definition
class ClampOp(LayerOp, ExactResult, NoCost, OneLipschitz, ElementwiseStreaming, NamedResult, CombinationalPath):
    """y = min(max(x, low), high), low and high codes of the input's step; exact. `bound_error` is
    how far low and high are from the float model's bounds (rounded onto the step); `quantizer`
    marks the clipping of one of the model's own quantizers."""

    def combinational_path(self) -> dly.PathDelay:
        return dly.PathDelay(2 * dly.compare_select_ns(Formats.of(self).operands[0].width))

    name = "fixed.clamp"
    input = operand_def(TensorType)
    output = result_def(TensorType)
    low = prop_def(IntegerAttr)
    high = prop_def(IntegerAttr)
    bound_error = opt_prop_def(FloatAttr)
    quantizer = opt_prop_def(UnitAttr)
    traits = traits_def(Pure(), Requantizes())
    assembly_format = (
        "$input `low` $low `high` $high (`quantizer` $quantizer^)? attr-dict `:` type($input) `->` type($output)"
    )
    RESULT_NAME: ClassVar[str] = "clamped"

    def __init__(self, x: SSAValue, low: int, high: int, fmt: FixedFormat, layer: str | None = None):
        super().__init__(
            operands=[x],
            result_types=[fixed_tensor_type(x.type.get_shape(), fmt)],
            properties=layer_props(layer, low=offset_attr(low), high=offset_attr(high)),
        )

    def exact_frac_bits(self, formats: Formats | None = None) -> int:
        return (formats or Formats.of(self)).operands[0].frac_bits

    def infer_result_ranges(self, operands: Sequence[CodeRange | None]) -> list[CodeRange]:
        x, low, high = operands[0], self.low.value.data, self.high.value.data
        return [CodeRange(np.clip(x.lo, low, high), np.clip(x.hi, low, high), x.frac)]

    def own_error(self, ranges, mode: ErrorMode) -> float:
        return self.bound_error.value.data if self.bound_error is not None else 0.0

    def on_step(self, frac: int) -> None:
        """Re-express low and high on an input step of `frac` fraction bits (infer-bitwidths, when an
        error budget makes the input coarser): inward, recording the shift in `bound_error`."""
        old = format_of(self.output).frac_bits
        low, high = self.low.value.data, self.high.value.data
        if frac >= old:
            new_low, new_high = low << (frac - old), high << (frac - old)
        else:
            drop = old - frac
            new_low, new_high = -((-low) >> drop), high >> drop
            if new_low > new_high:  # no code of the coarser step inside: the nearest one
                new_low = new_high = (low + high + (1 << drop)) >> (drop + 1)
        shift = max(
            abs(math.ldexp(new_low, -frac) - math.ldexp(low, -old)),
            abs(math.ldexp(new_high, -frac) - math.ldexp(high, -old)),
        )
        self.properties["low"], self.properties["high"] = offset_attr(new_low), offset_attr(new_high)
        if shift:
            self.properties["bound_error"] = FloatAttr(self.own_error([], ErrorMode()) + shift, f64)

    def verify_(self) -> None:
        shape, _ = fixed_tensor(self.input.type, "fixed.clamp operand")
        y, _ = fixed_tensor(self.output.type, "fixed.clamp result")
        if y != shape:
            raise VerifyException("fixed.clamp must keep the shape")
        if self.low.value.data > self.high.value.data:
            raise VerifyException("fixed.clamp low must not exceed high")
        if self.bound_error is not None and not 0 <= self.bound_error.value.data < math.inf:
            raise VerifyException(f"fixed.clamp bound_error must be finite and >= 0, got {self.bound_error.value.data}")
        self.verify_exact_step()
