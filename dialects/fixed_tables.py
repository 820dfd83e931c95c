"""The table ops of the `fixed` dialect: functions given by their values rather than by arithmetic.

- `fixed.lookup`: y = table[index], a smooth function tabulated over an input interval;
- `fixed.threshold`: y = values[c][number of thresholds[c] that x reaches], a monotone step function
  of the input per channel (a quantizer after an affine step: FINN's multi-threshold), exact by
  construction because its thresholds are computed over the input's own codes.
"""

from __future__ import annotations

from collections.abc import Sequence

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

from dialects.fixed_types import (
    FixedType,
    check_codes_attr,
    check_interval,
    codes_of,
    dense_codes,
    fixed_tensor,
    fixed_tensor_type,
    offset_attr,
)
from dialects.fixedpoint import FixedFormat
from dialects.layer import LayerOp, layer_props


@irdl_op_definition
class LookupOp(LayerOp):
    """y = table[index], index = cast(x - offset, index_type, TRN, SAT).

    `offset` is a code in the operand's step (the value where the table starts); `index_type` is an
    unsigned type of width k = log2(len(table)): its step is the input span of one entry. Inputs below
    the table clamp to entry 0 and above it to the last entry. `function` names what was tabulated;
    `params` parametrise it (elu's alpha); `domain` [lo, hi) is the input interval the table must resolve (outside it the function is flat to
    within the output's resolution), so that infer-bitwidths can rebuild the table for the inputs
    that are actually reachable; `infer` lets it choose the entries' type too (an `auto` table type).
    """

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
class ThresholdOp(LayerOp):
    """y = values[c, n], n = the number of thresholds[c, :] with x >= threshold.

    c is the channel (the index along the last axis; a single row serves every channel).
    `thresholds` are codes [C, L] in the input's step, ascending in each row; `values` are codes
    [C, L + 1] of the result type. `error`, when present, is the largest distance of a value from the
    real number it stands for (a quantizer whose scale is not a power of two)."""

    name = "fixed.threshold"
    input = operand_def(TensorType)
    output = result_def(TensorType)
    thresholds = prop_def(DenseIntOrFPElementsAttr)
    values = prop_def(DenseIntOrFPElementsAttr)
    error = opt_prop_def(FloatAttr)
    traits = traits_def(Pure())
    assembly_format = "$input `thresholds` $thresholds `values` $values attr-dict `:` type($input) `->` type($output)"

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
