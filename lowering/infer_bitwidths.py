"""infer-bitwidths: narrowest types that provably cannot overflow, from the real weights.

Takes and gives fixed-level IR (as nn-to-fixed leaves it). One forward walk with the interval
analysis of `lowering/ranges.py`; before each op's range is computed:
- every op gets the result types its own rule gives (`ResultFormatRule`): exact ops (dense, conv,
  add, ...) the narrowest type holding every reachable value at their exact step, moves and maxima
  their operand's type, a concat the join of its inputs', conversions and tables keep their choice;
- a `fixed.cast ... infer` (an `auto` type) gets integer bits from its input's range and keeps its
  input's fraction bits, unless `max-width` forces rounding (RND). With calibration (`observed` on
  the cast, see the calibrate pass), the integer bits hold the observed range plus `margin` bits and the
  width is `width`; such a cast saturates (SAT) where the proven range does not fit, and wraps
  (WRAP, no logic) where it provably cannot overflow;
- a `fixed.lookup` with a `domain` is rebuilt for the inputs it can actually reach (index offset,
  entry span, number of entries), and re-typed if `infer` (an `auto` table type).
Casts that end up to their own type are removed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.rewriter import Rewriter

from dialects import fixed
from dialects.fixedpoint import FixedFormat, Overflow, Rounding, format_for_codes, quantize_floats
from dialects.interfaces import ResultFormatRule
from dialects.ranges import CodeRange, rounded
from lowering.precision import AUTO_TABLE_WIDTH, auto_format
from lowering.ranges import analyze
from lowering.tables import table_layout


def retype(value: SSAValue, fmt: FixedFormat) -> SSAValue:
    new_type = fixed.fixed_tensor_type(value.type.get_shape(), fmt)
    return value if value.type == new_type else Rewriter.replace_value_with_new_type(value, new_type)


@dataclass
class Policy:
    max_width: int
    margin: int
    width: int


def choose_cast(op: fixed.CastOp, r: CodeRange, policy: Policy) -> tuple[FixedFormat, Overflow]:
    """The target of an `auto` cast and its overflow mode."""
    src = fixed.format_of(op.input)
    proven = r.format()  # exact: the input's step, the proven integer bits
    int_bits, signed = proven.int_bits, proven.signed
    width = proven.width
    if op.observed is not None:
        lo, hi = (float(v) for v in op.observed.get_values())
        scale = 2.0**src.frac_bits
        seen = format_for_codes(int(np.floor(lo * scale)), int(np.ceil(hi * scale)), src.frac_bits)
        int_bits = min(int_bits, seen.int_bits + policy.margin)
        signed = seen.signed or lo < 0
        width = min(policy.width, int_bits + src.frac_bits)
    if policy.max_width:
        width = min(width, policy.max_width)
        int_bits = min(int_bits, width)
    fmt = FixedFormat(max(width, 1), int_bits, signed)
    lo, hi = rounded(r, src, fmt, op.rounding.mode)
    fits = fmt.contains_codes(int(np.min(lo)), int(np.max(hi)))
    return fmt, (Overflow.WRAP if fits else Overflow.SAT)


def rebuild_table(op: fixed.LookupOp, r: CodeRange, policy: Policy) -> None:
    """Size and index the table for the inputs its operand can reach."""
    fx = fixed.format_of(op.input)
    size = op.table.get_shape()[0]
    reach = (max(r.bounds[0], fx.min_code), min(r.bounds[1], fx.max_code))
    domain = tuple(float(v) for v in op.domain.get_values())
    layout = table_layout(fx, reach, domain, size)
    values = layout.values(op.tabulated(), fx)
    if op.infer is not None:
        width = min(AUTO_TABLE_WIDTH, policy.max_width) if policy.max_width else AUTO_TABLE_WIDTH
        out, codes = auto_format(values, width)
        del op.properties["infer"]
        retype(op.output, out)
    else:
        out = fixed.format_of(op.output)
        codes = quantize_floats(values, out, Rounding.RND, Overflow.SAT)
    op.properties["offset"] = fixed.offset_attr(layout.offset)
    op.properties["index_type"] = fixed.FixedType.of(layout.index)
    op.properties["table"] = fixed.dense_codes(codes, out)


def infer_function(function: func.FuncOp, policy: Policy) -> None:
    identities: list[fixed.CastOp] = []

    def before(op: Operation, ranges: dict[SSAValue, CodeRange]) -> None:
        if isinstance(op, fixed.CastOp) and op.infer is not None:
            fmt, overflow = choose_cast(op, ranges[op.input], policy)
            del op.properties["infer"]
            op.properties["overflow"] = fixed.overflow_attr(overflow)
            retype(op.output, fmt)
        elif isinstance(op, fixed.LookupOp) and op.domain is not None:
            rebuild_table(op, ranges[op.input], policy)
        elif isinstance(op, ResultFormatRule):  # exact ops, moves: the narrowest type the rule allows
            formats = op.infer_result_formats([ranges.get(v) for v in op.operands])
            for result, fmt in zip(op.results, formats):
                if fmt is not None:
                    retype(result, fmt)
        if isinstance(op, fixed.CastOp) and op.input.type == op.output.type and op.overflow.mode != Overflow.SAT_SYM:
            identities.append(op)

    analyze(function, before)
    for cast in identities:
        cast.output.replace_all_uses_with(cast.input)
        cast.detach()
        cast.erase()


@dataclass(frozen=True)
class InferBitwidthsPass(ModulePass):
    name = "infer-bitwidths"

    max_width: int = 0  # widest an `auto` type may be (0: no limit); Model.Precision.maximum
    margin: int = 1  # integer bits added to an observed (calibrated) range
    width: int = 16  # width of a calibrated auto type

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        policy = Policy(self.max_width, self.margin, self.width)
        for fn in [f for f in op.body.block.ops if isinstance(f, func.FuncOp) and not f.is_declaration]:
            infer_function(fn, policy)
