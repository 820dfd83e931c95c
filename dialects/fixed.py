"""The `fixed` dialect: the bit-exact arithmetic of a design.

Every value is a `tensor<...x!fixed.fixed<W, I, signed|unsigned>>` (one sample, as in `nn`). Ops that
compute (dense, conv, add, sub, mul, reductions, pools, select, clamp) are EXACT: their result type
must hold every reachable value with the exact step (the verifiers check the step; `infer-bitwidths`
and `nn-to-fixed` pick the integer bits, and the emulator's checked mode proves them on data). All
rounding and overflow happens in `fixed.quantize` (float -> fixed) and `fixed.cast` (fixed -> fixed),
which carry their modes, with the semantics of `dialects.fixedpoint.cast_codes`. Nonlinear functions
are `fixed.lookup` tables whose index is itself a cast (TRN, SAT) into an unsigned index type, and
quantizers that are step functions are `fixed.threshold` tables. Constants hold raw integer codes.

The ops live in fixed_ops.py (constants, conversions, MACs, elementwise), fixed_windows.py (conv,
pools) and fixed_tables.py (lookup, threshold); the types in fixed_types.py. This module is the
dialect and its public namespace: `from dialects import fixed; fixed.DenseOp, fixed.format_of`.
"""

from __future__ import annotations

from xdsl.ir import Dialect

from dialects.fixed_ops import (
    ELEMENTWISE_OPS,
    AddOp,
    BinaryOp,
    CastOp,
    ClampOp,
    ConstantOp,
    ConversionOp,
    DenseOp,
    DequantizeOp,
    MulOp,
    QuantizeOp,
    ReduceMaxOp,
    ReduceOp,
    ReduceSumOp,
    ReluOp,
    SelectOp,
    SubOp,
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
from dialects.fixed_windows import WINDOW_OPS, ConvOp, MaxPoolOp, PoolOp, SumPoolOp

__all__ = [
    "FIXED",
    "AddOp",
    "BinaryOp",
    "CastOp",
    "ClampOp",
    "ConstantOp",
    "ConversionOp",
    "ConvOp",
    "DenseOp",
    "DequantizeOp",
    "FixedType",
    "LookupOp",
    "MaxPoolOp",
    "MulOp",
    "OverflowAttr",
    "OverflowMode",
    "PoolOp",
    "QuantizeOp",
    "ReduceMaxOp",
    "ReduceOp",
    "ReduceSumOp",
    "ReluOp",
    "RoundingAttr",
    "RoundingMode",
    "SelectOp",
    "SubOp",
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

FIXED = Dialect(
    "fixed",
    [*ELEMENTWISE_OPS, LookupOp, *WINDOW_OPS, ThresholdOp],
    [FixedType, RoundingAttr, OverflowAttr],
)
