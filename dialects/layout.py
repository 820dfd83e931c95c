"""The `layout` dialect: ops that move tensor elements without computing, at every level.

They keep the element type, whatever it is (`f32` in nn IR, `!fixed.fixed<...>` in fixed and dataflow
IR), so nn-to-fixed only retypes them. Shapes are per sample, channels-last where spatial:
transpose, reshape (row-major), slice, concat, pad (with a constant) and nearest-neighbour resize.
The importer settles the channel layout once with transposes; fold passes remove the ones that can be
absorbed into weights, and fixed-to-dataflow moves those at a design's edges to the host.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import ClassVar

import numpy as np
from xdsl.dialects.builtin import I64, DenseArrayBase, FloatAttr, IntegerAttr, TensorType, f64, i64
from xdsl.ir import Dialect, SSAValue
from xdsl.irdl import (
    irdl_op_definition,
    operand_def,
    prop_def,
    result_def,
    traits_def,
    var_operand_def,
)
from xdsl.rewriter import Rewriter
from xdsl.traits import Pure
from xdsl.utils.exceptions import VerifyException

from dialects import delays as dly
from dialects.error_bounds import ErrorMode, expand
from dialects.fixed_types import FixedType, format_of
from dialects.fixedpoint import FixedFormat, join_format
from dialects.interfaces import (
    AxisStreaming,
    CombinationalPath,
    ErrorTransfer,
    NamedResult,
    NoCost,
    RangeInference,
    ResultFormatRule,
    SameFormatAsInput,
    Streamable,
    Streaming,
)
from dialects.layer import LAYER_PROPERTIES, LayerOp, i64_array, ints, layer_props
from dialects.ranges import CodeRange
from dialects.shapes import concat_shape, pad_shape, resize_shape, slice_shape, transpose_shape


class MoveOp(
    LayerOp, SameFormatAsInput, RangeInference, NoCost, ErrorTransfer, Streamable, NamedResult, CombinationalPath
):
    """One input, one output of the same element type; the shape rule is `expected_shape`, and
    `move` moves an array of the input's shape (batched or not) the same way: the values, the range
    bounds. Moves reorder positions, so they need the whole tensor when streaming."""

    def combinational_path(self) -> dly.PathDelay:
        return dly.WIRE

    input = operand_def(TensorType)
    output = result_def(TensorType)
    traits = traits_def(Pure())
    assembly_format = "$input attr-dict `:` type($input) `->` type($output)"

    def _init(self, x: SSAValue, shape: Sequence[int], layer: str | None, **props) -> None:
        super().__init__(
            operands=[x],
            result_types=[TensorType(x.type.element_type, list(shape))],
            properties=layer_props(layer, **props),
        )

    def expected_shape(self, shape: tuple[int, ...]) -> tuple[int, ...]:
        raise NotImplementedError

    def move(self, array: np.ndarray) -> np.ndarray:
        """The op on the trailing axes of `array` (the input's shape, maybe after a batch axis):
        the values, or the bounds of a range."""
        raise NotImplementedError

    def on(self, x: SSAValue) -> MoveOp:
        """The same move of `x`, a value of the input's shape and any element type."""
        new = self.clone(value_mapper={self.input: x})
        Rewriter.replace_value_with_new_type(new.output, TensorType(x.type.element_type, self.output.type.get_shape()))
        props = dict(new.properties)  # the op's own properties, then its layer (as its constructor orders them)
        new.properties.clear()
        new.properties.update({k: v for k, v in props.items() if k not in LAYER_PROPERTIES})
        new.properties.update({k: v for k, v in props.items() if k in LAYER_PROPERTIES})
        return new

    def infer_result_ranges(self, operands: Sequence[CodeRange | None]) -> list[CodeRange]:
        frac = format_of(self.output).frac_bits
        x = operands[0].expanded(tuple(self.input.type.get_shape()))
        return [CodeRange(self.move(x.lo), self.move(x.hi), frac)]

    def propagate_errors(self, errors, ranges, mode: ErrorMode) -> list[np.ndarray]:
        """Each element keeps its error (a bound the same everywhere stays one number)."""
        e = errors[0]
        if all(d == 1 for d in e.shape[1:]):
            return [e.reshape(e.shape[0], *(1,) * len(self.output.type.get_shape()))]
        return [self.move_errors(np.array(expand(e, tuple(self.input.type.get_shape()))), mode)]

    def move_errors(self, errors: np.ndarray, mode: ErrorMode) -> np.ndarray:
        """`move` of a bound [rows, *input shape]."""
        return self.move(errors)

    def streaming(self) -> Streaming:
        return Streaming.WHOLE

    def verify_(self) -> None:
        if self.input.type.element_type != self.output.type.element_type:
            raise VerifyException(f"{self.name} must keep the element type")
        try:
            expected = self.expected_shape(tuple(self.input.type.get_shape()))
        except ValueError as err:
            raise VerifyException(f"{self.name}: {err}") from None
        if tuple(self.output.type.get_shape()) != expected:
            raise VerifyException(
                f"{self.name} result must have shape {list(expected)}, got {list(self.output.type.get_shape())}"
            )


@irdl_op_definition
class TransposeOp(MoveOp):
    """Result axis k is input axis perm[k]."""

    name = "layout.transpose"
    perm = prop_def(DenseArrayBase.constr(i64))
    RESULT_NAME: ClassVar[str] = "transposed"

    def __init__(self, x: SSAValue, perm: Sequence[int], layer: str | None = None):
        self._init(x, transpose_shape(x.type.get_shape(), perm), layer, perm=i64_array(perm))

    def expected_shape(self, shape):
        return transpose_shape(shape, ints(self.perm))

    def move(self, array: np.ndarray) -> np.ndarray:
        lead = array.ndim - len(self.perm)
        return np.transpose(array, (*range(lead), *(p + lead for p in ints(self.perm))))


@irdl_op_definition
class ReshapeOp(MoveOp):
    """The same elements in row-major order, in the result's shape."""

    name = "layout.reshape"
    RESULT_NAME: ClassVar[str] = "reshaped"

    def __init__(self, x: SSAValue, shape: Sequence[int], layer: str | None = None):
        self._init(x, shape, layer)

    def expected_shape(self, shape):
        out = tuple(self.output.type.get_shape())
        if math.prod(out) != math.prod(shape):
            raise ValueError(f"cannot reshape {list(shape)} ({math.prod(shape)} elements) to {list(out)}")
        return out

    def move(self, array: np.ndarray) -> np.ndarray:
        lead = array.shape[: array.ndim - len(self.input.type.get_shape())]
        return array.reshape((*lead, *self.output.type.get_shape()))  # a tuple: rank 0 too


@irdl_op_definition
class SliceOp(MoveOp):
    """The block of `sizes` elements starting at `offsets`."""

    name = "layout.slice"
    offsets = prop_def(DenseArrayBase.constr(i64))
    sizes = prop_def(DenseArrayBase.constr(i64))
    RESULT_NAME: ClassVar[str] = "sliced"

    def __init__(self, x: SSAValue, offsets: Sequence[int], sizes: Sequence[int], layer: str | None = None):
        shape = slice_shape(x.type.get_shape(), offsets, sizes)
        self._init(x, shape, layer, offsets=i64_array(offsets), sizes=i64_array(sizes))

    def expected_shape(self, shape):
        return slice_shape(shape, ints(self.offsets), ints(self.sizes))

    def move(self, array: np.ndarray) -> np.ndarray:
        index = tuple(slice(o, o + n) for o, n in zip(ints(self.offsets), ints(self.sizes)))
        return array[(Ellipsis, *index)]


@irdl_op_definition
class PadOp(MoveOp):
    """Constant padding, pads (begin..., end...) over all axes. At the fixed level `value` must be
    exactly representable in the element type."""

    name = "layout.pad"
    pads = prop_def(DenseArrayBase.constr(i64))
    value = prop_def(FloatAttr)
    RESULT_NAME: ClassVar[str] = "padded"

    def __init__(self, x: SSAValue, pads: Sequence[int], value: float = 0.0, layer: str | None = None):
        shape = pad_shape(x.type.get_shape(), pads)
        self._init(x, shape, layer, pads=i64_array(pads), value=FloatAttr(value, f64))

    def expected_shape(self, shape):
        return pad_shape(shape, ints(self.pads))

    def on(self, x: SSAValue) -> PadOp:
        """The same padding of `x`, its value rounded to the nearest one of a fixed element type."""
        element = x.type.element_type
        value = self.value.value.data
        if isinstance(element, FixedType):
            fmt = element.format
            code = min(max(round(value * 2.0**fmt.frac_bits), fmt.min_code), fmt.max_code)
            value = code * 2.0**-fmt.frac_bits
        new = PadOp(x, ints(self.pads), value)
        self.copy_layer_to(new)
        return new

    def pad_code(self) -> float | int:
        """The padding value: a code of a fixed element type, or the float itself."""
        element = self.input.type.element_type
        value = self.value.value.data
        return int(value * 2.0**element.format.frac_bits) if isinstance(element, FixedType) else value

    def widths(self, ndim: int) -> list[tuple[int, int]]:
        """np.pad's widths for an array of `ndim` axes (leading axes unpadded)."""
        pads = ints(self.pads)
        rank = len(pads) // 2
        return [(0, 0)] * (ndim - rank) + [(pads[d], pads[rank + d]) for d in range(rank)]

    def move(self, array: np.ndarray) -> np.ndarray:
        return np.pad(array, self.widths(array.ndim), constant_values=self.pad_code())

    def move_errors(self, errors: np.ndarray, mode: ErrorMode) -> np.ndarray:
        """Padding with 0 is exact; another value was rounded onto the type's step (half a step)."""
        out = np.pad(errors, self.widths(errors.ndim), constant_values=0.0)
        element = self.input.type.element_type
        if self.value.value.data != 0 and isinstance(element, FixedType) and not mode.linear:
            padded = np.pad(np.zeros(errors.shape[1:]), self.widths(errors.ndim - 1), constant_values=1.0)
            out[-1] += padded * float(element.format.step) / 2
        return out

    def verify_(self) -> None:
        super().verify_()
        element = self.input.type.element_type
        if isinstance(element, FixedType):  # the value must be one of its codes
            fmt = element.format
            code = self.value.value.data * 2.0**fmt.frac_bits
            if code != int(code) or not fmt.min_code <= code <= fmt.max_code:
                raise VerifyException(f"layout.pad value {self.value.value.data} is not a value of {fmt}")


@irdl_op_definition
class ResizeOp(MoveOp):
    """Nearest-neighbour upsampling by an integer factor per axis."""

    name = "layout.resize"
    scales = prop_def(DenseArrayBase.constr(i64))
    RESULT_NAME: ClassVar[str] = "resized"

    def __init__(self, x: SSAValue, scales: Sequence[int], layer: str | None = None):
        self._init(x, resize_shape(x.type.get_shape(), scales), layer, scales=i64_array(scales))

    def expected_shape(self, shape):
        return resize_shape(shape, ints(self.scales))

    def move(self, array: np.ndarray) -> np.ndarray:
        lead = array.ndim - len(self.scales)
        for axis, scale in enumerate(ints(self.scales)):
            if scale > 1:
                array = np.repeat(array, scale, axis=axis + lead)
        return array


@irdl_op_definition
class ConcatOp(
    LayerOp, ResultFormatRule, RangeInference, NoCost, ErrorTransfer, AxisStreaming, NamedResult, CombinationalPath
):
    """The inputs joined along `axis`. Float inputs share one element type; fixed-point inputs may
    differ when the result's type holds each exactly (their join), as after infer-bitwidths. A join
    of the channels of each position streams."""

    def combinational_path(self) -> dly.PathDelay:
        return dly.WIRE  # pieces of another type are widened exactly: wires and sign bits

    name = "layout.concat"
    inputs = var_operand_def(TensorType)
    output = result_def(TensorType)
    axis = prop_def(IntegerAttr[I64])
    traits = traits_def(Pure())
    assembly_format = "$inputs `axis` $axis attr-dict `:` functional-type($inputs, $output)"
    RESULT_NAME: ClassVar[str] = "joined"

    def __init__(self, xs: Sequence[SSAValue], axis: int, layer: str | None = None, element_type=None):
        shape = concat_shape([x.type.get_shape() for x in xs], axis)
        super().__init__(
            operands=[list(xs)],
            result_types=[TensorType(element_type or xs[0].type.element_type, list(shape))],
            properties=layer_props(layer, axis=IntegerAttr(axis, i64)),
        )

    def infer_result_formats(self, operands: Sequence[CodeRange | None]) -> list[FixedFormat | None]:
        joined = format_of(self.inputs[0])
        for value in self.inputs[1:]:
            joined = join_format(joined, format_of(value))
        return [joined]

    def infer_result_ranges(self, operands: Sequence[CodeRange | None]) -> list[CodeRange]:
        frac = format_of(self.output).frac_bits
        parts = [r.at_frac(frac).expanded(tuple(v.type.get_shape())) for r, v in zip(operands, self.inputs)]
        axis = self.axis.value.data
        return [
            CodeRange(np.concatenate([p.lo for p in parts], axis), np.concatenate([p.hi for p in parts], axis), frac)
        ]

    def propagate_errors(self, errors, ranges, mode: ErrorMode) -> list[np.ndarray]:
        parts = [expand(e, tuple(v.type.get_shape())) for e, v in zip(errors, self.inputs)]
        return [np.concatenate(parts, axis=self.axis.value.data + 1)]

    def verify_(self) -> None:
        if len(self.inputs) < 1:
            raise VerifyException("layout.concat needs at least one input")
        result = self.output.type.element_type
        for x in self.inputs:
            element = x.type.element_type
            if isinstance(result, FixedType) and isinstance(element, FixedType):
                mine, theirs = element.format, result.format
                holds = theirs.frac_bits >= mine.frac_bits and theirs.contains_codes(
                    mine.min_code << (theirs.frac_bits - mine.frac_bits),
                    mine.max_code << (theirs.frac_bits - mine.frac_bits),
                )
                if not holds:
                    raise VerifyException(f"layout.concat result type {theirs} does not hold input type {mine}")
            elif element != result:
                raise VerifyException("layout.concat inputs and result must have one element type")
        try:
            expected = concat_shape([x.type.get_shape() for x in self.inputs], self.axis.value.data)
        except ValueError as err:
            raise VerifyException(f"layout.concat: {err}") from None
        if tuple(self.output.type.get_shape()) != expected:
            raise VerifyException(f"layout.concat result must have shape {list(expected)}")


LAYOUT = Dialect("layout", [TransposeOp, ReshapeOp, SliceOp, PadOp, ResizeOp, ConcatOp], [])
