"""The sliding-window ops of the `fixed` dialect: convolution and pooling over [*spatial, C] tensors.

Like every fixed op they are exact (or keep their input's type), say how their ranges and costs
follow from their operands, and how they stream: a window over the positions of a line buffer, or,
for a window of one position (1x1, stride 1, no padding), each position alone.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import ClassVar

import numpy as np
from xdsl.dialects.builtin import I64, DenseArrayBase, IntegerAttr, TensorType, i64
from xdsl.ir import Attribute, Operation, SSAValue
from xdsl.irdl import irdl_op_definition, operand_def, opt_operand_def, prop_def, result_def, traits_def
from xdsl.traits import Pure
from xdsl.utils.exceptions import VerifyException

from dialects import delays as dly
from dialects.error_bounds import ErrorMode, channels, magnitude, per_channel, value_bounds
from dialects.fixed_core import CastOp, DenseOp, mac_frac_bits
from dialects.fixed_types import fixed_tensor, fixed_tensor_type, format_of
from dialects.fixedpoint import FixedFormat, Overflow, Rounding
from dialects.interfaces import (
    CombinationalPath,
    Cost,
    CostModel,
    ErrorTransfer,
    ExactResult,
    Formats,
    HasParameters,
    NamedResult,
    NoCost,
    RangeInference,
    SameFormatAsInput,
    Streamable,
    Streaming,
    elementwise_streaming,
)
from dialects.layer import LayerOp, i64_array, ints, layer_props
from dialects.ranges import CodeRange, bilinear_ints, with_bias
from dialects.shapes import window_output_shape
from dialects.windows import verify_conv, verify_pool

Geometry = tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...], tuple[int, ...]]


def _fixed_tensor_type(value: Attribute, what: str) -> TensorType:
    fixed_tensor(value, what)
    return value


def _is_pointwise(geometry: Geometry) -> bool:
    kernel, strides, _, pads = geometry
    return all(k == 1 for k in kernel) and all(s == 1 for s in strides) and not any(pads)


class WindowStreaming(Streamable):
    """A window op streams over a line buffer; a window of one position acts on each position alone."""

    def window_geometry(self) -> Geometry:
        """kernel, strides, dilations, pads (begin..., end...)."""
        raise NotImplementedError

    def is_pointwise(self) -> bool:
        return _is_pointwise(self.window_geometry())

    def streaming(self) -> Streaming:
        assert isinstance(self, Operation)
        if self.is_pointwise() and elementwise_streaming(self) == Streaming.POSITION:
            return Streaming.POSITION
        return Streaming.WINDOW


@irdl_op_definition
class ConvOp(
    LayerOp, ExactResult, CostModel, ErrorTransfer, WindowStreaming, NamedResult, HasParameters, CombinationalPath
):
    """A convolution (see nn.conv), exactly: the result step is the product's (or the bias's if finer)
    and its integer bits hold every reachable value; padding is with zeros."""

    def combinational_path(self) -> dly.PathDelay:
        """The products, then the adder tree of an output (taps x channels of a group, and the
        bias), printed in one stage."""
        f = Formats.of(self)
        (x, w, *_), (acc,) = f.operands, f.results
        terms = math.prod(self.weight.type.get_shape()[:-1]) + (self.bias is not None)
        return dly.PathDelay.uncut(dly.multiply_ns(x.width, w.width), dly.tree_levels(terms), dly.adder_ns(acc.width))

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
    RESULT_NAME: ClassVar[str] = "acc"
    PARAMETERS: ClassVar[dict[int, str]] = {1: "weights", 2: "biases"}

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

    def window_geometry(self) -> Geometry:
        return tuple(self.weight.type.get_shape()[:-2]), ints(self.strides), ints(self.dilations), ints(self.pads)

    def is_pointwise(self) -> bool:
        return super().is_pointwise() and self.groups.value.data == 1

    def exact_frac_bits(self, formats: Formats | None = None) -> int:
        return mac_frac_bits(formats or Formats.of(self))

    def infer_result_ranges(self, operands: Sequence[CodeRange | None]) -> list[CodeRange]:
        """Per output channel: sum over taps and the group's channels of max/min(w * lo_c, w * hi_c),
        with the input bounded per channel over all positions (and by 0 where padding enters)."""
        x, w, b = operands[0], operands[1], operands[2] if self.bias is not None else None
        per_channel = x.per_channel()
        lo_c, hi_c = per_channel.lo.reshape(-1), per_channel.hi.reshape(-1)
        channels = self.input.type.get_shape()[-1]
        lo_c, hi_c = np.broadcast_to(lo_c, (channels,)), np.broadcast_to(hi_c, (channels,))
        if any(ints(self.pads)):
            lo_c, hi_c = np.minimum(lo_c, 0), np.maximum(hi_c, 0)
        weights = w.lo  # [*kernel, C/g, O]
        groups = self.groups.value.data
        per_group, outs = weights.shape[-2], weights.shape[-1]
        taps = weights.reshape(-1, per_group, groups, outs // groups)  # [taps, C/g, g, O/g]
        bounds = CodeRange(
            lo_c.reshape(groups, per_group).T.astype(object), hi_c.reshape(groups, per_group).T.astype(object), x.frac
        )
        x_lo, x_hi, w_ints = bilinear_ints(bounds, taps, self.taps)
        positive, negative = np.maximum(w_ints, 0), np.minimum(w_ints, 0)
        # sum over taps and C/g: [C/g, g] bounds against [taps, C/g, g, O/g]
        hi = np.einsum("cg,tcgo->go", x_hi, positive) + np.einsum("cg,tcgo->go", x_lo, negative)
        lo = np.einsum("cg,tcgo->go", x_lo, positive) + np.einsum("cg,tcgo->go", x_hi, negative)
        shape = (1,) * (len(self.output.type.get_shape()) - 1) + (outs,)
        products = CodeRange(lo.reshape(shape).astype(object), hi.reshape(shape).astype(object), x.frac + w.frac)
        return [with_bias(products, b, self.exact_frac_bits(), shape)]

    def propagate_errors(self, errors, ranges, mode: ErrorMode) -> list[np.ndarray]:
        """Per output channel, as a dense layer over the taps and the group's input channels, each
        input channel bounded over all positions (padding adds exact zeros)."""
        count = self.input.type.get_shape()[-1]
        weights = np.abs(value_bounds(ranges[1])[0])  # [*kernel, C/g, O]
        per_group, outs = weights.shape[-2], weights.shape[-1]
        groups = self.groups.value.data
        # input channel of each (channel within group, output channel)
        source = (np.arange(outs) // (outs // groups))[np.newaxis, :] * per_group + np.arange(per_group)[:, np.newaxis]
        e_x = channels(errors[0], count)[:, source]  # [rows, C/g, O]
        x = np.broadcast_to(magnitude(ranges[0].per_channel()).reshape(-1), (count,))[source]
        out = np.einsum("rco,co->ro", e_x, weights.reshape(-1, per_group, outs).sum(axis=0))
        taps = math.prod(weights.shape[:-2])
        out = out + conv_weight_errors(x, errors[1], taps)
        total = mode.total(errors[0])
        if np.any(total):
            total_x = channels(total[np.newaxis], count)[0][source]
            out = mode.with_extra(out, conv_weight_errors(total_x, mode.total(errors[1])[np.newaxis], taps)[0])
        if self.bias is not None:
            out = out + errors[2].reshape(errors[2].shape[0], -1)
        return [out.reshape(out.shape[0], *(1,) * (len(self.output.type.get_shape()) - 1), -1)]

    def cost(self, formats: Formats | None = None) -> Cost:
        formats = formats or Formats.of(self)
        (x, w, *_), (acc,) = formats.operands, formats.results
        return Cost(
            macs=math.prod(self.output.type.get_shape()) * self.taps,
            mac_operand_bits=x.width * w.width,
            mac_accumulator_bits=acc.width,
        )

    def parameter_at_one_position(self, index: int, codes: np.ndarray) -> np.ndarray:
        """A 1x1 convolution's weights [1, .., C, O] are a dense layer's [C, O]."""
        return codes.reshape(codes.shape[-2:]) if index == 1 else codes

    def at_one_position(self, mapping: dict[SSAValue, SSAValue]) -> list[Operation]:
        """A 1x1 convolution at one position is a dense layer over the channels."""
        assert self.is_pointwise()
        bias = mapping[self.bias] if self.bias is not None else None
        dense = DenseOp(mapping[self.input], mapping[self.weight], bias, format_of(self.output))
        self.copy_layer_to(dense)
        return [dense]

    def verify_(self) -> None:
        verify_conv(self, _fixed_tensor_type)
        self.verify_exact_step()


def conv_weight_errors(magnitudes: np.ndarray, weight_errors: np.ndarray, taps: int) -> np.ndarray:
    """sum over taps and the group's channels of |x_c| e_W: [rows, O] from |x| per (channel within
    group, output) [C/g, O] and e_W [rows, *kernel, C/g, O] (or all ones: the same for every weight)."""
    rows = weight_errors.shape[0]
    if all(d == 1 for d in weight_errors.shape[1:]):
        return weight_errors.reshape(rows, 1) * (taps * magnitudes.sum(axis=0))[np.newaxis]
    per_tap = np.broadcast_to(weight_errors, (rows, *weight_errors.shape[1:-2], *magnitudes.shape))
    return np.einsum("rtco,co->ro", per_tap.reshape(rows, -1, *magnitudes.shape), magnitudes)


class PoolOp(LayerOp, WindowStreaming, NamedResult, CombinationalPath):
    def combinational_path(self) -> dly.PathDelay:
        taps = math.prod(ints(self.kernel))
        width = Formats.of(self).results[0].width
        step = dly.compare_select_ns(width) if self.name == "fixed.max_pool" else dly.adder_ns(width)
        return dly.PathDelay.uncut(0.0, dly.tree_levels(taps), step)

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

    def window_geometry(self) -> Geometry:
        kernel = ints(self.kernel)
        return kernel, ints(self.strides), (1,) * len(kernel), ints(self.pads)

    def at_one_position(self, mapping: dict[SSAValue, SSAValue]) -> list[Operation]:
        """A window of one position passes each element on: a cast into the result type (exact: it
        has the input's step and at least its range)."""
        assert self.is_pointwise()
        cast = CastOp(mapping[self.input], format_of(self.output), Rounding.TRN, Overflow.WRAP)
        self.copy_layer_to(cast)
        return [cast]

    def verify_(self) -> None:
        verify_pool(self, _fixed_tensor_type)


@irdl_op_definition
class MaxPoolOp(PoolOp, SameFormatAsInput, RangeInference, NoCost, ErrorTransfer):
    """The maximum over each window, in the input's type (padding never wins)."""

    name = "fixed.max_pool"
    RESULT_NAME: ClassVar[str] = "pooled"

    def infer_result_ranges(self, operands: Sequence[CodeRange | None]) -> list[CodeRange]:
        x = operands[0]
        return [x if all(d == 1 for d in np.shape(x.lo)[:-1]) else x.per_channel()]

    def propagate_errors(self, errors, ranges, mode: ErrorMode) -> list[np.ndarray]:
        """A maximum is off by at most the largest error in its window (bounded per channel)."""
        return [per_channel(errors[0])]

    def verify_(self) -> None:
        super().verify_()
        if format_of(self.input) != format_of(self.output):
            raise VerifyException("fixed.max_pool keeps the element type")


@irdl_op_definition
class SumPoolOp(PoolOp, ExactResult, NoCost, ErrorTransfer):
    """The exact sum over each window (padding adds zeros); an average is this times 1/count."""

    name = "fixed.sum_pool"
    RESULT_NAME: ClassVar[str] = "window_sum"

    def exact_frac_bits(self, formats: Formats | None = None) -> int:
        return (formats or Formats.of(self)).operands[0].frac_bits

    def infer_result_ranges(self, operands: Sequence[CodeRange | None]) -> list[CodeRange]:
        """A window sums k elements, fewer where it overlaps padding (which adds 0)."""
        per_channel = operands[0].per_channel()
        k = math.prod(ints(self.kernel))
        fewest = 1 if any(ints(self.pads)) else k
        lo = np.where(per_channel.lo < 0, per_channel.lo * k, per_channel.lo * fewest)
        hi = np.where(per_channel.hi > 0, per_channel.hi * k, per_channel.hi * fewest)
        return [CodeRange(lo.astype(object), hi.astype(object), per_channel.frac)]

    def propagate_errors(self, errors, ranges, mode: ErrorMode) -> list[np.ndarray]:
        """A sum of at most k elements (padding adds exact zeros), bounded per channel."""
        return [per_channel(errors[0]) * math.prod(ints(self.kernel))]

    def verify_(self) -> None:
        super().verify_()
        self.verify_exact_step()
