"""The table ops of the `fixed` dialect: functions given by their values rather than by arithmetic.

- `fixed.lookup`: y = table[index], a smooth function tabulated over an input interval; its index
  rule (`lookup_index`) and the functions a table may tabulate (`function`) are defined here;
- `fixed.threshold`: y = values[c][number of thresholds[c] that x reaches], a monotone step function
  of the input per channel (a quantizer after an affine step: FINN's multi-threshold), exact by
  construction because its thresholds are computed over the input's own codes.

`Normalization` holds what a layer norm's d t(u) keeps that intervals lose (u = sum d^2, so that
|d_i| <= sqrt(u) where t is tabulated): `fixed.mul` asks it for its range and its joint error bound.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import ClassVar

import numpy as np
from xdsl.dialects.builtin import (
    DenseArrayBase,
    DenseIntOrFPElementsAttr,
    FloatAttr,
    IntegerAttr,
    StringAttr,
    TensorType,
    UnitAttr,
    f64,
)
from xdsl.ir import SSAValue
from xdsl.irdl import AnyAttr, irdl_op_definition, operand_def, opt_prop_def, prop_def, result_def, traits_def
from xdsl.traits import Pure
from xdsl.utils.exceptions import VerifyException

from dialects import delays as dly
from dialects.error_bounds import ErrorContext, ErrorMode, value_bounds
from dialects.fixed_types import (
    FixedType,
    check_codes_attr,
    check_interval,
    codes_of,
    dense_codes,
    fixed_tensor,
    fixed_tensor_type,
    format_of,
    offset_attr,
)
from dialects.fixedpoint import FixedFormat, Overflow, Rounding, cast_codes, codes_to_floats
from dialects.interfaces import (
    ChosenResult,
    CombinationalPath,
    Cost,
    CostModel,
    ElementwiseStreaming,
    ErrorTransfer,
    Formats,
    ModelBounds,
    NamedResult,
    RangeInference,
    Requantizes,
)
from dialects.layer import LayerOp, layer_props
from dialects.ranges import CodeRange

# --------------------------------------------------------------------------------------------------
# What a table computes: its index rule and the functions it may tabulate


def lookup_index(codes: np.ndarray, in_fmt: FixedFormat, offset: int, index: FixedFormat) -> np.ndarray:
    """index = cast(x - offset, index, TRN, SAT), computed on exact integer codes."""
    span = max(abs(in_fmt.min_code - offset), abs(in_fmt.max_code - offset))
    diff_fmt = FixedFormat(span.bit_length() + 2, span.bit_length() + 2 - in_fmt.frac_bits, True)
    codes = np.asarray(codes)
    diff = (codes.astype(object) if diff_fmt.width > 62 else codes.astype(np.int64)) - offset
    return cast_codes(diff, diff_fmt, index, Rounding.TRN, Overflow.SAT).astype(np.int64)


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * x))


FUNCTIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "sigmoid": sigmoid,
    "tanh": np.tanh,
    "exp": np.exp,
    "reciprocal": lambda x: 1.0 / x,
}

SOFTPLUS_LINEAR = 16.0  # softplus(x) = x to within 2^-23 above: nn-to-fixed selects x there

# Functions with parameters, as tabulated by nn-to-fixed (the linear parts are computed exactly and
# selected outside the table: elu and selu only tabulate x <= 0, softplus only x <= 16).
PARAMETRIC: dict[str, Callable[..., Callable[[np.ndarray], np.ndarray]]] = {
    "elu": lambda alpha: lambda x: alpha * np.expm1(np.minimum(x, 0.0)),
    "selu": lambda alpha, gamma: lambda x: gamma * alpha * np.expm1(np.minimum(x, 0.0)),
    "softplus": lambda: lambda x: np.logaddexp(0.0, np.minimum(x, SOFTPLUS_LINEAR)),
    # layer norm's 1 / sqrt(a u + b) on one segment [lo, hi] of u, flat outside it (where the
    # segment's table clamps to its end entries and a select takes another segment's)
    "rsqrt": lambda a, b, lo, hi: lambda u: 1.0 / np.sqrt(a * np.clip(u, lo, hi) + b),
}


def _rsqrt_slope(params: Sequence[float], lo: float, hi: float) -> float:
    """|d/du (a u + b)^(-1/2)| = a / 2 (a u + b)^(-3/2), largest at the lowest u of [lo, hi] inside
    the segment (0 outside it, where the function is flat)."""
    a, b, seg_lo, seg_hi = params
    u = max(lo, seg_lo)
    if u > min(hi, seg_hi):
        return 0.0
    inner = a * u + b
    return 0.5 * a * inner**-1.5 if inner > 0 else math.inf


def _sigmoid_slope(x: float) -> float:
    s = float(sigmoid(np.array(x)))
    return s * (1.0 - s)


def max_slope(name: str, params: Sequence[float], lo: float, hi: float) -> float:
    """The largest |f'| of the function a table named `name` tabulates over [lo, hi] (its Lipschitz
    constant there: what an error in the input can do to the output)."""
    nearest_zero = min(max(0.0, lo), hi)
    below_zero = math.exp(min(hi, 0.0)) if lo <= 0 else 0.0  # elu/selu: flat above 0
    with np.errstate(over="ignore"):
        slopes = {
            "sigmoid": lambda: _sigmoid_slope(nearest_zero),
            "tanh": lambda: 1.0 - math.tanh(nearest_zero) ** 2,
            "exp": lambda: math.exp(hi) if hi < 700 else math.inf,
            "reciprocal": lambda: 1.0 / lo**2 if lo > 0 else math.inf,
            "elu": lambda: abs(params[0]) * below_zero,
            "selu": lambda: abs(params[0] * params[1]) * below_zero,
            "softplus": lambda: float(sigmoid(np.array(min(hi, SOFTPLUS_LINEAR)))),
            "rsqrt": lambda: _rsqrt_slope(params, lo, hi),
        }
        return slopes[name]()


def function(name: str, params: Sequence[float] = ()) -> Callable[[np.ndarray], np.ndarray]:
    """The float function a table named `name` (with `params`) tabulates."""
    if name in PARAMETRIC:
        return PARAMETRIC[name](*params)
    return FUNCTIONS[name]


def entry_runs(
    offset: int, index: FixedFormat, count: int, in_fmt: FixedFormat, reach: tuple[int, int]
) -> list[tuple[int, int, int]]:
    """(entry, lowest, highest input code) of each of `count` entries the input codes in `reach` use:
    each serves a run of consecutive codes, the first and last also the codes the index clamps."""
    lo, hi = int(reach[0]), int(reach[1])
    shift = in_fmt.frac_bits - index.frac_bits
    starts = [offset + (i << shift) for i in range(count)]
    ends = [s + (1 << shift) - 1 for s in starts]
    starts[0], ends[-1] = min(starts[0], lo), max(ends[-1], hi)
    return [(i, max(starts[i], lo), min(ends[i], hi)) for i in range(count) if max(starts[i], lo) <= min(ends[i], hi)]


def lookup_error(
    offset: int,
    index: FixedFormat,
    codes: np.ndarray,
    out_fmt: FixedFormat,
    fn: Callable[[np.ndarray], np.ndarray],
    in_fmt: FixedFormat,
    reach: tuple[int, int],
) -> float:
    """Largest |table(x) - fn(x)| over the reachable input codes, exactly: each entry serves a run of
    consecutive codes, and for the monotone functions tabulated here the distance from a constant is
    largest at a run's ends."""
    runs = entry_runs(offset, index, len(codes), in_fmt, reach)
    first = np.array([math.ldexp(float(a), -in_fmt.frac_bits) for _, a, _ in runs])
    last = np.array([math.ldexp(float(b), -in_fmt.frac_bits) for _, _, b in runs])
    entries = codes_to_floats(codes[[i for i, _, _ in runs]], out_fmt)
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        worst = np.maximum(np.abs(np.asarray(fn(first)) - entries), np.abs(np.asarray(fn(last)) - entries))
    return float(np.max(worst)) if worst.size else 0.0


# --------------------------------------------------------------------------------------------------
# Ops


@irdl_op_definition
class LookupOp(
    LayerOp,
    ChosenResult,
    RangeInference,
    CostModel,
    ErrorTransfer,
    ElementwiseStreaming,
    NamedResult,
    CombinationalPath,
):
    """y = table[index], index = cast(x - offset, index_type, TRN, SAT).

    `offset` is a code in the operand's step (the value where the table starts); `index_type` is an
    unsigned type of width k = log2(len(table)): its step is the input span of one entry. Inputs below
    the table clamp to entry 0 and above it to the last entry. `function` names what was tabulated;
    `params` parametrise it (elu's alpha); `domain` [lo, hi) is the input interval the table must resolve (outside it the function is flat to
    within the output's resolution), so that infer-bitwidths can rebuild the table for the inputs
    that are actually reachable; `infer` lets it choose the entries' type too (an `auto` table type).
    """

    def combinational_path(self) -> dly.PathDelay:
        x = Formats.of(self).operands[0]
        return dly.PathDelay(dly.adder_ns(x.width) + dly.LOGIC_LEVEL_NS + dly.rom_ns(len(self.table_codes())))

    name = "fixed.lookup"
    input = operand_def(TensorType)
    output = result_def(TensorType)
    function = prop_def(StringAttr)
    offset = prop_def(IntegerAttr)  # i64, or wider for inputs with many fraction bits
    index_type = prop_def(AnyAttr())  # a FixedType, printed in full
    table = prop_def(DenseIntOrFPElementsAttr)
    domain = opt_prop_def(DenseArrayBase.constr(f64))
    params = opt_prop_def(DenseArrayBase.constr(f64))
    infer = opt_prop_def(UnitAttr)
    traits = traits_def(Pure())
    assembly_format = (
        "$function $input `offset` $offset `index` $index_type `table` $table (`infer` $infer^)? attr-dict "
        "`:` type($input) `->` type($output)"
    )

    def __init__(
        self,
        x: SSAValue,
        function: str,
        offset: int,
        index: FixedFormat,
        table_codes: np.ndarray,
        fmt: FixedFormat,
        layer: str | None = None,
        domain: tuple[float, float] | None = None,
        infer: bool = False,
        params: Sequence[float] = (),
    ):
        props = layer_props(
            layer,
            function=StringAttr(function),
            offset=offset_attr(offset),
            index_type=FixedType.of(index),
            table=dense_codes(table_codes, fmt),
        )
        if domain is not None:
            props["domain"] = DenseArrayBase.from_list(f64, domain)
        if infer:
            props["infer"] = UnitAttr()
        if params:
            props["params"] = DenseArrayBase.from_list(f64, list(params))
        super().__init__(operands=[x], result_types=[fixed_tensor_type(x.type.get_shape(), fmt)], properties=props)

    @property
    def function_params(self) -> tuple[float, ...]:
        return tuple(float(v) for v in self.params.get_values()) if self.params is not None else ()

    def table_codes(self) -> np.ndarray:
        return codes_of(self.table)

    def tabulated(self) -> Callable[[np.ndarray], np.ndarray]:
        """The float function the table approximates."""
        return function(self.function.data, self.function_params)

    def indices(self, codes: np.ndarray) -> np.ndarray:
        return lookup_index(codes, format_of(self.input), self.offset.value.data, self.index_type.format)

    def max_error(self, reach: tuple[int, int]) -> float:
        """The largest |entry - function| over the input codes in `reach`."""
        return lookup_error(
            self.offset.value.data,
            self.index_type.format,
            self.table_codes(),
            format_of(self.output),
            self.tabulated(),
            format_of(self.input),
            reach,
        )

    def infer_result_ranges(self, operands: Sequence[CodeRange | None]) -> list[CodeRange]:
        x = operands[0]
        first, last = self.indices(x.lo), self.indices(x.hi)
        table = self.table_codes()
        lo = np.empty(first.shape, dtype=object)
        hi = np.empty(first.shape, dtype=object)
        for pos in np.ndindex(first.shape):
            entries = table[first[pos] : last[pos] + 1]
            lo[pos], hi[pos] = int(entries.min()), int(entries.max())
        return [CodeRange(lo, hi, format_of(self.output).frac_bits)]

    def propagate_errors(self, errors, ranges, mode: ErrorMode) -> list[np.ndarray]:
        """The function's slope times the input's error, over the inputs the design and the model
        may see (the reachable range widened by that error)."""
        widen = float(np.max(mode.total(errors[0])))
        lo_values, hi_values = value_bounds(ranges[0])
        lo, hi = float(np.min(lo_values)) - widen, float(np.max(hi_values)) + widen
        source = self.input.owner
        known = source.model_bounds() if isinstance(source, ModelBounds) else None
        if known is not None:  # where the model's value is sure to be (the design's is in range)
            lo, hi = max(lo, min(known[0], float(np.min(lo_values)))), min(hi, max(known[1], float(np.max(hi_values))))
        return [max_slope(self.function.data, self.function_params, lo, hi) * errors[0]]

    def own_error(self, ranges, mode: ErrorMode) -> float:
        return self.max_error(ranges[0].bounds)

    def cost(self, formats: Formats | None = None) -> Cost:
        return Cost(table_bits=self.table.get_shape()[0] * (formats or Formats.of(self)).results[0].width)

    def result_name(self) -> str:
        return f"{self.function.data}_value"

    def verify_(self) -> None:
        x, _ = fixed_tensor(self.input.type, "fixed.lookup operand")
        y, fy = fixed_tensor(self.output.type, "fixed.lookup result")
        if x != y:
            raise VerifyException("fixed.lookup must keep the shape")
        if not isinstance(self.index_type, FixedType):
            raise VerifyException(f"fixed.lookup index type must be a !fixed.fixed type, got {self.index_type}")
        check_codes_attr(self.table, "fixed.lookup table")
        if self.domain is not None:
            check_interval(self.domain.get_values(), "fixed.lookup domain", strict=True)
        if self.function.data not in FUNCTIONS and self.function.data not in PARAMETRIC:
            known = ", ".join([*FUNCTIONS, *PARAMETRIC])
            raise VerifyException(f"fixed.lookup: unknown function {self.function.data!r}; known: {known}")
        index = self.index_type.format
        if index.signed:
            raise VerifyException(f"fixed.lookup index type must be unsigned, got {index}")
        size = self.table.get_shape()
        if len(size) != 1 or size[0] != 1 << index.width:
            raise VerifyException(
                f"fixed.lookup table must have 2^{index.width} = {1 << index.width} entries for index type "
                f"{index}, got shape {list(size)}"
            )
        codes = self.table_codes()
        if codes.min() < fy.min_code or codes.max() > fy.max_code:
            raise VerifyException(f"fixed.lookup table entries do not fit the result type {fy}")


@irdl_op_definition
class ThresholdOp(
    LayerOp,
    ChosenResult,
    RangeInference,
    CostModel,
    ErrorTransfer,
    ElementwiseStreaming,
    NamedResult,
    CombinationalPath,
):
    """y = values[c, n], n = the number of thresholds[c, :] with x >= threshold.

    c is the channel (the index along the last axis; a single row serves every channel).
    `thresholds` are codes [C, L] in the input's step, ascending in each row; `values` are codes
    [C, L + 1] of the result type. `error`, when present, is the largest distance of a value from the
    real number it stands for (a quantizer whose scale is not a power of two)."""

    def combinational_path(self) -> dly.PathDelay:
        """Comparators in parallel, their count summed, then a multiplexer of the values."""
        x = Formats.of(self).operands[0]
        count = self.threshold_codes().shape[1]
        return dly.PathDelay.uncut(
            dly.adder_ns(x.width) + dly.rom_ns(count + 1), dly.tree_levels(count), dly.adder_ns(4)
        )

    name = "fixed.threshold"
    input = operand_def(TensorType)
    output = result_def(TensorType)
    thresholds = prop_def(DenseIntOrFPElementsAttr)
    values = prop_def(DenseIntOrFPElementsAttr)
    error = opt_prop_def(FloatAttr)
    traits = traits_def(Pure(), Requantizes())
    assembly_format = "$input `thresholds` $thresholds `values` $values attr-dict `:` type($input) `->` type($output)"
    RESULT_NAME: ClassVar[str] = "quantized"

    def __init__(
        self,
        x: SSAValue,
        thresholds: np.ndarray,
        values: np.ndarray,
        fmt: FixedFormat,
        layer: str | None = None,
        error: float | None = None,
    ):
        in_fmt = x.type.element_type.format
        storage = FixedFormat(in_fmt.width + 2, in_fmt.int_bits + 2, True)  # one code past either end
        props = layer_props(layer, thresholds=dense_codes(thresholds, storage), values=dense_codes(values, fmt))
        if error is not None:
            props["error"] = FloatAttr(error, f64)
        super().__init__(operands=[x], result_types=[fixed_tensor_type(x.type.get_shape(), fmt)], properties=props)

    def threshold_codes(self) -> np.ndarray:
        return codes_of(self.thresholds)

    def value_codes(self) -> np.ndarray:
        return codes_of(self.values)

    def infer_result_ranges(self, operands: Sequence[CodeRange | None]) -> list[CodeRange]:
        """Counts of thresholds reached grow with x: the values selected by counts between those of
        the bounds (their min and max; a monotone row needs only the two ends)."""
        thresholds, values = self.threshold_codes(), self.value_codes()
        lo, hi = np.asarray(operands[0].lo), np.asarray(operands[0].hi)
        if thresholds.shape[0] > 1:
            shape = lo.shape[:-1] + (thresholds.shape[0],)
            lo, hi = np.broadcast_to(lo, shape), np.broadcast_to(hi, shape)
        first, last = threshold_counts(lo, thresholds), threshold_counts(hi, thresholds)
        rows = (
            np.zeros(first.shape, dtype=np.int64)
            if values.shape[0] == 1
            else np.broadcast_to(np.arange(values.shape[0]), first.shape)
        )
        out_lo = np.empty(first.shape, dtype=object)
        out_hi = np.empty(first.shape, dtype=object)
        for pos in np.ndindex(first.shape):
            selected = values[rows[pos], first[pos] : last[pos] + 1]
            out_lo[pos], out_hi[pos] = int(selected.min()), int(selected.max())
        return [CodeRange(out_lo, out_hi, format_of(self.output).frac_bits)]

    def propagate_errors(self, errors, ranges, mode: ErrorMode) -> list[np.ndarray]:
        """A step function (always one of the model's quantizers): exact on exact inputs, else off
        by up to the span of its values."""
        if not np.any(mode.total(errors[0])):
            return [errors[0] * 0.0]
        values = self.value_codes()
        span = math.ldexp(float(int(values.max()) - int(values.min())), -format_of(self.output).frac_bits)
        return [mode.with_extra(errors[0] * 0.0, span)]

    def own_error(self, ranges, mode: ErrorMode) -> float:
        return self.error.value.data if self.error is not None else 0.0

    def cost(self, formats: Formats | None = None) -> Cost:
        """A comparator (a subtractor of the input's width) per threshold and element, and the
        thresholds and values as tables."""
        thresholds = self.threshold_codes()
        count = thresholds.shape[1]
        elements = math.prod(self.output.type.get_shape())
        formats = formats or Formats.of(self)
        (fx,), (fy,) = formats.operands, formats.results
        return Cost(
            comparators=elements * count,
            comparator_bits=fx.width,
            table_bits=thresholds.size * (fx.width + 2) + self.value_codes().size * fy.width,
        )

    def verify_(self) -> None:
        shape, _ = fixed_tensor(self.input.type, "fixed.threshold operand")
        y, fy = fixed_tensor(self.output.type, "fixed.threshold result")
        if y != shape:
            raise VerifyException("fixed.threshold must keep the shape")
        check_codes_attr(self.thresholds, "fixed.threshold thresholds")
        check_codes_attr(self.values, "fixed.threshold values")
        t, v = self.threshold_codes(), self.value_codes()
        channels = shape[-1] if shape else 1
        if t.ndim != 2 or t.shape[0] not in (1, channels):
            raise VerifyException(f"fixed.threshold thresholds must be [1 or {channels}, L], got {list(t.shape)}")
        if list(v.shape) != [t.shape[0], t.shape[1] + 1]:
            raise VerifyException(
                f"fixed.threshold values must be [{t.shape[0]}, {t.shape[1] + 1}] for thresholds "
                f"{list(t.shape)}, got {list(v.shape)}"
            )
        if t.size and (np.diff(t, axis=1) < 0).any():
            raise VerifyException("fixed.threshold thresholds must ascend in each row")
        if v.min() < fy.min_code or v.max() > fy.max_code:
            raise VerifyException(f"fixed.threshold values do not fit the result type {fy}")


def threshold_counts(codes: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    """For each element (channel = last axis), how many of its channel's thresholds it reaches."""
    codes = np.asarray(codes).astype(np.int64)
    channels, _ = thresholds.shape
    if channels == 1:
        return np.searchsorted(thresholds[0], codes, side="right")
    counts = np.empty(codes.shape, dtype=np.int64)
    for c in range(channels):
        counts[..., c] = np.searchsorted(thresholds[c], codes[..., c], side="right")
    return counts


def apply_thresholds(codes: np.ndarray, thresholds: np.ndarray, values: np.ndarray) -> np.ndarray:
    """fixed.threshold on integer codes (channel = last axis): the selected value codes."""
    counts = threshold_counts(codes, thresholds)
    if values.shape[0] == 1:
        return values[0][counts]
    return values[np.arange(values.shape[0]), counts]


# --------------------------------------------------------------------------------------------------
# A layer norm's normalised value d t(u): the facts intervals lose (derived in
# lowering/nn_to_fixed_norm.py)


@dataclass(frozen=True)
class Piece:
    """A table of u and where a chain of selects takes it: below <= u < above (None: unbounded)."""

    table: LookupOp
    below: Fraction | None = None
    above: Fraction | None = None

    def codes(self, reach: tuple[int, int]) -> tuple[int, int]:
        """The codes of u within `reach` that take this table (none when lo > hi)."""
        scale = Fraction(2) ** format_of(self.table.input).frac_bits
        lo = reach[0] if self.below is None else max(reach[0], math.ceil(self.below * scale))
        hi = reach[1] if self.above is None else min(reach[1], math.ceil(self.above * scale) - 1)
        return lo, hi

    def segment(self) -> tuple[Fraction, Fraction]:
        """Where the table's function is 1 / sqrt(a u + b) (flat outside)."""
        _, _, lo, hi = self.table.function_params
        return Fraction(lo), Fraction(hi)


@dataclass(frozen=True)
class Normalization:
    """z = d t(u), u = sum(d^2) along d's last axis, t(u) = 1 / sqrt(a u + b) tabulated by pieces of u
    (rsqrt tables with the same a and b): a layer norm's normalised value. `x`, when known, is what
    d centres: d = N x - sum(x)."""

    d: SSAValue
    u: SSAValue
    pieces: tuple[Piece, ...]
    x: SSAValue | None = None

    @staticmethod
    def of(d: SSAValue, u: SSAValue, pieces: Sequence[Piece], x: SSAValue | None) -> Normalization | None:
        tables = [piece.table for piece in pieces]
        if any(t.function.data != "rsqrt" or t.input != u for t in tables):
            return None
        if len({t.function_params[:2] for t in tables}) != 1:
            return None
        return Normalization(d, u, tuple(pieces), x)

    def reach(self, d: CodeRange, x: CodeRange | None = None) -> tuple[int, int]:
        """u's codes from d's: the sums of the least and the largest squares along the axis; with x's
        range, at most N^3 (max x - min x)^2 / 4 (N^3 times the largest variance of values there)."""
        shape = tuple(self.d.type.get_shape())
        full = d.expanded(shape)
        squares = np.stack([full.lo * full.lo, full.hi * full.hi])
        least = np.where((full.lo <= 0) & (full.hi >= 0), 0, squares.min(axis=0))
        top = int(np.max(squares.max(axis=0).sum(axis=-1)))
        if x is not None:
            span = (int(np.max(x.hi)) - int(np.min(x.lo))) * Fraction(2) ** (d.frac - x.frac)
            top = min(top, math.floor(shape[-1] ** 3 * span * span / 4))
        return int(np.min(least.sum(axis=-1))), top

    def runs(self, reach: tuple[int, int]) -> Iterator[tuple[LookupOp, int, int]]:
        """(table, entry code, highest code of u) of every run of codes of u within `reach` that reads
        one entry."""
        for piece in self.pieces:
            lo, hi = piece.codes(reach)
            if lo > hi:
                continue
            table, codes = piece.table, piece.table.table_codes()
            index, in_fmt = table.index_type.format, format_of(table.input)
            for i, _, last in entry_runs(table.offset.value.data, index, len(codes), in_fmt, (lo, hi)):
                yield table, int(codes[i]), last

    @property
    def share(self) -> Fraction:
        """The most of u one d_i^2 can be: (N - 1) / N when d is centred (d_i = -sum of the others,
        so d_i^2 <= (N - 1) (u - d_i^2)), else all of it."""
        n = self.d.type.get_shape()[-1]
        return Fraction(n - 1, n) if self.x is not None else Fraction(1)

    def magnitude(self, reach: tuple[int, int], d_frac: int, frac: int) -> int:
        """The largest |d_i t(u)| the design computes for u in `reach`, in codes of `frac` fraction
        bits (d's and t's): d_i^2 <= share u, so over a run of codes of u up to e reading entry E,
        |d_i E| <= isqrt(floor(share e)) |E| (in exact integers)."""
        peak = 0
        for table, entry, last in self.runs(reach):
            shift = frac - d_frac - format_of(table.output).frac_bits
            scaled = abs(entry) << shift if shift >= 0 else -(-abs(entry) >> -shift)
            peak = max(peak, math.isqrt(math.floor(self.share * last)) * scaled)
        return peak

    def clip(self, bounds: CodeRange, d: CodeRange) -> CodeRange:
        """The product's interval `bounds` within +- its magnitude."""
        peak = self.magnitude(self.reach(d), d.frac, bounds.frac)
        lo = np.minimum(np.maximum(bounds.lo, -peak), peak)
        hi = np.maximum(np.minimum(bounds.hi, peak), -peak)
        return CodeRange(np.asarray(lo, dtype=object), np.asarray(hi, dtype=object), bounds.frac)

    def moved(self, context: ErrorContext) -> np.ndarray:
        """Per row, a bound on the 2-norm of d - the model's d along the axis: N |x error| when d
        centres x (|N (x - mean x)| <= N |x|), else |d error|."""
        shape = tuple(self.d.type.get_shape())
        source, scale = (self.d, 1.0) if self.x is None else (self.x, float(shape[-1]))
        errors = np.broadcast_to(context.errors[source], (context.rows, *shape))
        return scale * np.sqrt(np.square(errors).sum(axis=-1, keepdims=True))

    def errors(self, context: ErrorContext, mode: ErrorMode, frac: int) -> np.ndarray | None:
        """The bound on |z - the float model's z| (z at `frac` fraction bits), rows kept: the tables'
        own errors weighted by sqrt(u) where each is taken, plus d's error through the Lipschitz
        constant 1 / sqrt(b); in full mode also where the model's u passes the last table's segment,
        and at most the design's and the model's magnitudes together. None (the generic rule holds)
        when b <= 0 or a table is taken where its function is not 1 / sqrt(a u + b)."""
        a, b = self.pieces[0].table.function_params[:2]
        d = context.ranges[self.d]
        reach = self.reach(d, context.ranges[self.x] if self.x is not None else None)
        step = Fraction(2) ** -format_of(self.u).frac_bits
        top = reach[1] * step
        for piece in self.pieces:
            lo, hi = piece.segment()
            if lo > (piece.below or 0) or (piece.above if piece.above is not None else top) > hi:
                return None
        if b <= 0:
            return None
        moved = self.moved(context)
        tables = np.zeros((context.rows, *(1,) * len(self.d.type.get_shape())))
        for piece in self.pieces:
            lo, hi = piece.codes(reach)
            if lo <= hi:
                tables = np.maximum(tables, math.sqrt(self.share * hi * step) * context.own(piece.table))
        out = tables + moved / math.sqrt(b)
        if mode.linear:
            return out
        model_top = (math.sqrt(top) + float(np.max(moved.sum(axis=0)))) ** 2  # the model's u is below
        model_peak = math.sqrt(self.share / a)  # |d_i| / sqrt(a u + b) with d_i^2 <= share u
        for piece in self.pieces:
            end = float(piece.segment()[1])
            if piece.above is None and model_top > end:  # the model's t stays t(end) above its segment
                slack = 1.0 / math.sqrt(a * end + b) - 1.0 / math.sqrt(a * model_top + b)
                out = mode.with_extra(out, math.sqrt(self.share * model_top) * slack)
                model_peak = max(model_peak, math.sqrt(self.share * model_top / (a * end + b)))
        cap = math.ldexp(self.magnitude(reach, d.frac, frac), -frac) + model_peak
        total = out.sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            scaled = np.where(total > cap, out * (cap / total), out)
        return np.where(np.isinf(out), cap, scaled)
