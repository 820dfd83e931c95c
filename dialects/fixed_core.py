"""The `fixed` ops the others build on: constants, the conversions (quantize, cast, dequantize) and
the MAC array (dense). The dialect is assembled, with its elementwise ops, in dialects/fixed.py.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import ClassVar

import numpy as np
from xdsl.dialects.builtin import (
    AnyFloat,
    DenseArrayBase,
    DenseIntOrFPElementsAttr,
    FloatAttr,
    TensorType,
    UnitAttr,
    f64,
)
from xdsl.ir import Attribute, Operation, SSAValue
from xdsl.irdl import (
    irdl_op_definition,
    operand_def,
    opt_operand_def,
    opt_prop_def,
    prop_def,
    result_def,
    traits_def,
)
from xdsl.rewriter import Rewriter
from xdsl.traits import ConstantLike, Pure
from xdsl.utils.exceptions import VerifyException

from dialects import delays as dly
from dialects.error_bounds import ErrorMode, magnitude, no_error, value_bounds
from dialects.fixed_types import (
    ElementTypes,
    OverflowAttr,
    RoundingAttr,
    check_codes_attr,
    check_interval,
    codes_of,
    dense_codes,
    fixed_tensor,
    fixed_tensor_type,
    format_of,
    overflow_attr,
    rounding_attr,
)
from dialects.fixedpoint import (
    FixedFormat,
    Overflow,
    Rounding,
    add_format,
    bits_for_count,
    mul_format,
    rounding_error,
)
from dialects.interfaces import (
    ChosenResult,
    CombinationalPath,
    Cost,
    CostModel,
    ElementwiseStreaming,
    ErrorTransfer,
    ExactResult,
    Formats,
    HasParameters,
    HostSide,
    NamedResult,
    NoCost,
    OneLipschitz,
    RangeInference,
    Requantizes,
    Streamable,
    Streaming,
    parameter_role,
    positions_of,
)
from dialects.layer import LayerOp, layer_props
from dialects.ranges import CodeRange, bilinear_ints, cast_range, rounded, with_bias

# --------------------------------------------------------------------------------------------------
# Constants and conversions


@irdl_op_definition
class ConstantOp(
    LayerOp, ChosenResult, RangeInference, NoCost, ErrorTransfer, Streamable, NamedResult, CombinationalPath
):
    """A constant fixed-point tensor: raw integer codes, reinterpreted with the result's type.
    `error`, when present, is the largest |code value - real value| of the constants it was rounded
    from (weights, biases). `infer` marks an `auto` constant whose step infer-bitwidths may still
    choose (coarser, rounding these codes) to meet an error budget."""

    def combinational_path(self) -> dly.PathDelay:
        return dly.WIRE

    name = "fixed.constant"
    codes = prop_def(DenseIntOrFPElementsAttr)
    error = opt_prop_def(FloatAttr)
    infer = opt_prop_def(UnitAttr)
    result = result_def(TensorType)
    traits = traits_def(Pure(), ConstantLike())
    assembly_format = "$codes `as` type($result) attr-dict"
    RESULT_NAME: ClassVar[str] = "constant"

    def __init__(
        self,
        codes: np.ndarray,
        fmt: FixedFormat,
        layer: str | None = None,
        error: float | None = None,
        infer: bool = False,
    ):
        props = layer_props(layer, codes=dense_codes(codes, fmt))
        if error is not None:
            props["error"] = FloatAttr(error, f64)
        if infer:
            props["infer"] = UnitAttr()
        super().__init__(result_types=[fixed_tensor_type(codes.shape, fmt)], properties=props)

    def values(self) -> np.ndarray:
        return codes_of(self.codes)

    def infer_result_ranges(self, operands: Sequence[CodeRange | None]) -> list[CodeRange]:
        return [CodeRange.exact(self.values(), format_of(self.result).frac_bits)]

    def propagate_errors(self, errors, ranges, mode: ErrorMode) -> list[np.ndarray]:
        return [no_error(mode.rows, len(self.result.type.get_shape()))]

    def own_error(self, ranges, mode: ErrorMode) -> float:
        return self.error.value.data if self.error is not None else 0.0

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
        if self.error is not None and not 0 <= self.error.value.data < math.inf:
            raise VerifyException(f"fixed.constant error must be finite and >= 0, got {self.error.value.data}")
        codes = self.values()
        if codes.size and (codes.min() < fmt.min_code or codes.max() > fmt.max_code):
            raise VerifyException(
                f"fixed.constant codes [{codes.min()}, {codes.max()}] do not fit {fmt} "
                f"(codes [{fmt.min_code}, {fmt.max_code}])"
            )


class ConversionOp(LayerOp, ChosenResult, RangeInference, ErrorTransfer):
    """Common to quantize/cast: an elementwise conversion with rounding and overflow modes.
    `quantizer` marks one of the model's own quantizers: the float model rounds there too."""

    input = operand_def(TensorType)
    output = result_def(TensorType)
    rounding = prop_def(RoundingAttr)
    overflow = prop_def(OverflowAttr)
    quantizer = opt_prop_def(UnitAttr)
    traits = traits_def(Pure())
    assembly_format = (
        "$input $rounding $overflow (`quantizer` $quantizer^)? attr-dict `:` type($input) `->` type($output)"
    )

    def __init__(self, x: SSAValue, fmt: FixedFormat, rounding: Rounding, overflow: Overflow, layer: str | None = None):
        super().__init__(
            operands=[x],
            result_types=[fixed_tensor_type(x.type.get_shape(), fmt)],
            properties=layer_props(layer, rounding=rounding_attr(rounding), overflow=overflow_attr(overflow)),
        )

    @property
    def modes(self) -> tuple[Rounding, Overflow]:
        return self.rounding.mode, self.overflow.mode

    def as_quantizer(self) -> ConversionOp:
        """Marked as the model's own quantizer (what nn-to-fixed does for `nn.quant`)."""
        self.properties["quantizer"] = UnitAttr()
        return self

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

    def propagate_errors(self, errors, ranges, mode: ErrorMode) -> list[np.ndarray]:
        return [no_error(mode.rows, len(self.output.type.get_shape()))]

    def own_error(self, ranges, mode: ErrorMode) -> float:
        """Rounding the inputs, which are taken to lie within the type's range (else they saturate)."""
        return 0.0 if self.quantizer is not None else rounding_error(self.modes[0], format_of(self.output).frac_bits)

    def verify_(self) -> None:
        t = self.input.type
        if not isinstance(t, TensorType) or not isinstance(t.element_type, AnyFloat):
            raise VerifyException(f"fixed.quantize operand must be a tensor of floats, got {t}")
        self._verify_shapes(t.get_shape())


@irdl_op_definition
class CastOp(ConversionOp, NoCost, ElementwiseStreaming, NamedResult, CombinationalPath):
    """fixed -> fixed with the modes of `ap_fixed` assignment.

    `infer` marks a cast whose target is to be chosen by infer-bitwidths (an `auto` type): its integer
    bits from the range of its input, its width at most the current target's. `observed` holds the
    [min, max] of its input seen in calibration.
    """

    def combinational_path(self) -> dly.PathDelay:
        f = Formats.of(self)
        return dly.PathDelay(dly.cast_ns(f.operands[0], f.results[0], *self.modes, self.in_range is not None))

    name = "fixed.cast"
    infer = opt_prop_def(UnitAttr)  # set with `CastOp.inferred(...)`
    observed = opt_prop_def(DenseArrayBase.constr(f64))
    in_range = opt_prop_def(UnitAttr)  # proven by infer-bitwidths: the input never leaves the target's range
    traits = traits_def(Pure(), Requantizes())
    assembly_format = (
        "$input $rounding $overflow (`infer` $infer^)? (`quantizer` $quantizer^)? (`in_range` $in_range^)? "
        "attr-dict `:` type($input) `->` type($output)"
    )
    RESULT_NAME: ClassVar[str] = "cast"

    @staticmethod
    def inferred(x: SSAValue, rounding: Rounding, overflow: Overflow, layer: str | None = None) -> CastOp:
        """An `auto` cast: for now to its operand's own type, until infer-bitwidths chooses."""
        op = CastOp(x, format_of(x), rounding, overflow, layer)
        op.properties["infer"] = UnitAttr()
        return op

    def infer_result_ranges(self, operands: Sequence[CodeRange | None]) -> list[CodeRange]:
        """The cast's modes on the input's bounds; a cast `in_range` keeps its value, which the
        target holds (what a coarser analysis than infer-bitwidths' per-element one cannot see)."""
        rounding, overflow = self.modes
        return [cast_range(operands[0], format_of(self.input), format_of(self.output), rounding, self.overflow_seen())]

    def overflow_seen(self) -> Overflow:
        """The overflow mode an analysis applies: saturation (a clip to the type, which is what an
        input in range gives) for a cast proven `in_range`."""
        return Overflow.SAT if self.in_range is not None else self.modes[1]

    def propagate_errors(self, errors, ranges, mode: ErrorMode) -> list[np.ndarray]:
        """A model's quantizer is a step function: where its input is off, its output may be off by
        that and one step more."""
        if self.quantizer is None or not np.any(mode.total(errors[0])):
            return [errors[0]]
        return [mode.with_extra(errors[0], float(format_of(self.output).step))]

    def own_error(self, ranges, mode: ErrorMode) -> float:
        """The rounding, plus how far saturation can move a value its input reaches beyond the type
        (infinite for wrapping)."""
        if self.quantizer is not None:
            return 0.0
        in_range = self.in_range is not None
        return cast_error(ranges[0], format_of(self.input), format_of(self.output), *self.modes, mode, in_range)

    def verify_(self) -> None:
        shape, _ = fixed_tensor(self.input.type, "fixed.cast operand")
        self._verify_shapes(shape)
        if self.observed is not None:
            check_interval(self.observed.get_values(), "fixed.cast observed", strict=False)


def cast_error(
    r: CodeRange,
    src: FixedFormat,
    dst: FixedFormat,
    rounding: Rounding,
    overflow: Overflow,
    mode: ErrorMode,
    in_range: bool,
) -> float:
    """A cast's own error on inputs in `r`: the rounding, plus how far saturation can move a value
    beyond the type (infinite for wrapping; nothing for a cast proven `in_range`)."""
    error = rounding_error(rounding, dst.frac_bits, src.frac_bits)
    lo_codes, hi_codes = rounded(r, src, dst, rounding)
    low, high = int(np.min(lo_codes)), int(np.max(hi_codes))
    floor = -dst.max_code if overflow == Overflow.SAT_SYM and dst.signed else dst.min_code
    beyond = max(floor - low, high - dst.max_code)
    if beyond <= 0 or mode.ignore_overflow or mode.linear or in_range:
        return error
    if overflow in (Overflow.SAT, Overflow.SAT_SYM):
        return error + math.ldexp(float(beyond), -dst.frac_bits)
    if overflow == Overflow.SAT_ZERO:
        return error + math.ldexp(float(max(abs(low), abs(high))), -dst.frac_bits)
    return math.inf  # wrapping


@irdl_op_definition
class CastEachOp(ConversionOp, NoCost, Streamable, NamedResult, CombinationalPath):
    """fixed -> fixed with a type of its own per element (heterogeneous quantizers, as HGQ's): each
    element is cast into its type (`types`: ap_fixed's W, I and signedness, broadcast to the tensor)
    with the op's modes, as `ap_fixed` assignment does, and its value is kept exactly in the result
    type, which holds every element's type. An element of width 0 is 0."""

    def combinational_path(self) -> dly.PathDelay:
        return dly.PathDelay(dly.adder_ns(Formats.of(self).operands[0].width) + dly.LOGIC_LEVEL_NS)

    name = "fixed.cast_each"
    types = prop_def(DenseIntOrFPElementsAttr)
    traits = traits_def(Pure(), Requantizes())
    assembly_format = (
        "$input $rounding $overflow `types` $types (`quantizer` $quantizer^)? attr-dict "
        "`:` type($input) `->` type($output)"
    )
    RESULT_NAME: ClassVar[str] = "cast"

    def __init__(
        self, x: SSAValue, types: ElementTypes, rounding: Rounding, overflow: Overflow, layer: str | None = None
    ):
        super().__init__(x, types.common(), rounding, overflow, layer)
        self.properties["types"] = types.attr()

    def element_types(self) -> ElementTypes:
        return ElementTypes.of_attr(self.types)

    def _groups(self, shape: tuple[int, ...]):
        """(type or None for width 0, mask over `shape`) for each distinct element type."""
        types = self.element_types()
        return [(fmt, types.where(fmt, shape)) for fmt in types.formats()]

    def infer_result_ranges(self, operands: Sequence[CodeRange | None]) -> list[CodeRange]:
        r, src, dst = operands[0], format_of(self.input), format_of(self.output)
        shape = np.broadcast_shapes(np.shape(r.lo), self.element_types().shape)
        r = r.expanded(shape)
        lo, hi = np.zeros(shape, dtype=object), np.zeros(shape, dtype=object)
        for fmt, mask in self._groups(shape):
            if fmt is None:
                continue
            part = cast_range(CodeRange(r.lo[mask], r.hi[mask], r.frac), src, fmt, *self.modes).at_frac(dst.frac_bits)
            lo[mask], hi[mask] = part.lo, part.hi
        return [CodeRange(lo, hi, dst.frac_bits)]

    def propagate_errors(self, errors, ranges, mode: ErrorMode) -> list[np.ndarray]:
        """As a cast's: a model's quantizer may be off by what its input is and one step of each
        element's type more; an element of width 0 is exact."""
        types = self.element_types()
        live = types.width > 0
        steps = np.where(live, np.ldexp(1.0, -(types.width - types.int_bits)), 0.0)
        off = errors[0] * live
        if self.quantizer is None or not np.any(mode.total(errors[0])):
            return [off]
        return [mode.with_extra(off, steps)]

    def own_error(self, ranges, mode: ErrorMode) -> float:
        """The largest of each element type's cast error (an element of width 0 loses its value)."""
        if self.quantizer is not None:
            return 0.0
        r, src = ranges[0], format_of(self.input)
        shape = np.broadcast_shapes(np.shape(r.lo), self.element_types().shape)
        r = r.expanded(shape)
        worst = 0.0
        for fmt, mask in self._groups(shape):
            part = CodeRange(r.lo[mask], r.hi[mask], r.frac)
            if fmt is None:
                error = math.ldexp(float(max(abs(int(np.min(part.lo))), abs(int(np.max(part.hi))))), -r.frac)
            else:
                error = cast_error(part, src, fmt, *self.modes, mode, False)
            worst = max(worst, error)
        return worst

    def streaming(self) -> Streaming:
        """Per position when the element types are the same at every position (per channel)."""
        if math.prod(self.element_types().shape[:-1]) != 1:
            return Streaming.WHOLE
        return Streaming.POSITION if positions_of(self.input) == positions_of(self.output) else Streaming.WHOLE

    def at_one_position(self, mapping: dict[SSAValue, SSAValue]) -> list[Operation]:
        (new,) = super().at_one_position(mapping)
        types = self.element_types()
        new.properties["types"] = ElementTypes(*(a.reshape(a.shape[-1:]) for a in types.arrays())).attr()
        return [new]

    def verify_(self) -> None:
        shape, _ = fixed_tensor(self.input.type, "fixed.cast_each operand")
        self._verify_shapes(shape)
        types = ElementTypes.checked(self.types, shape, "fixed.cast_each types")
        out = format_of(self.output)
        for fmt in types.formats():
            if fmt is None:
                continue
            scale = out.frac_bits - fmt.frac_bits
            if scale < 0 or not out.contains_codes(fmt.min_code << scale, fmt.max_code << scale):
                raise VerifyException(f"fixed.cast_each result type {out} does not hold the element type {fmt}")


@irdl_op_definition
class DequantizeOp(LayerOp, OneLipschitz):
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


def mac_weight_errors(magnitudes: np.ndarray, weight_errors: np.ndarray) -> np.ndarray:
    """sum_i |x_i| e_W[i, j] of a dense layer: [rows, *P, M] from |x| [*P, N] and e_W [rows, N or 1,
    M or 1] (a bound the same for every weight costs no matrix product)."""
    rows, n = weight_errors.shape[0], magnitudes.shape[-1]
    lead = magnitudes.shape[:-1]
    if weight_errors.shape[1] == 1:
        total = magnitudes.sum(axis=-1, keepdims=True)
        return weight_errors[:, 0, :].reshape(rows, *(1,) * len(lead), -1) * total[np.newaxis]
    flat = magnitudes.reshape(-1, n)
    out = np.einsum("pn,rnm->rpm", flat, weight_errors)
    return out.reshape(rows, *lead, out.shape[-1])


def mac_frac_bits(formats: Formats) -> int:
    """A multiply-accumulate's exact step: the products' (input + weight fraction bits), or the
    bias's if finer."""
    x, w, *bias = formats.operands
    frac = x.frac_bits + w.frac_bits
    return max(frac, bias[0].frac_bits) if bias else frac


@irdl_op_definition
class DenseOp(
    LayerOp, ExactResult, CostModel, ErrorTransfer, ElementwiseStreaming, NamedResult, HasParameters, CombinationalPath
):
    """y[..., j] = bias[j] + sum_i x[..., i] * weight[i, j], exactly (a MAC array).

    The result step is the product step; its integer bits must cover every reachable value
    (`infer-bitwidths` proves this from the weights; `dense_bound_format` gives the bound from widths
    alone). In C++ the accumulator wraps, so partial sums may exceed the type: only the final sum counts.
    """

    def combinational_path(self) -> dly.PathDelay:
        """The products, then a balanced adder tree over the inputs (and the bias) of an output."""
        f = Formats.of(self)
        (x, w, *_), (acc,) = f.operands, f.results
        terms = self.weight.type.get_shape()[0] + (self.bias is not None)
        return dly.PathDelay(dly.multiply_ns(x.width, w.width), dly.tree_levels(terms), dly.adder_ns(acc.width), True)

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

    def exact_frac_bits(self, formats: Formats | None = None) -> int:
        return mac_frac_bits(formats or Formats.of(self))

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

    def propagate_errors(self, errors, ranges, mode: ErrorMode) -> list[np.ndarray]:
        """|W'x' + b' - (Wx + b)| <= |W'| e_x + e_W (|x'| + e_x) + e_b (primes: the design's)."""
        n = self.weight.type.get_shape()[0]
        e_x = np.broadcast_to(errors[0], (*errors[0].shape[:-1], n))
        weights = np.abs(value_bounds(ranges[1])[0])
        x = magnitude(ranges[0])
        x = np.broadcast_to(x, (*x.shape[:-1], n))
        out = e_x @ weights + mac_weight_errors(x, errors[1])
        out = mode.with_extra(out, mac_weight_errors(mode.total(e_x), mode.total(errors[1])[np.newaxis])[0])
        if self.bias is not None:
            out = out + errors[2].reshape(errors[2].shape[0], *(1,) * (out.ndim - 2), -1)
        return [out]

    def cost(self, formats: Formats | None = None) -> Cost:
        formats = formats or Formats.of(self)
        (x, w, *_), (acc,) = formats.operands, formats.results
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
