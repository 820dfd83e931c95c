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

import math
from dataclasses import dataclass, field, replace

import numpy as np
from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import ArrayAttr, FloatAttr, ModuleOp, StringAttr, TensorType, UnitAttr, f64
from xdsl.ir import Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.rewriter import Rewriter

from dialects import fixed
from dialects.error_bounds import ERROR_BUDGET_ATTR, WIDTH_LIMITED_ATTR
from dialects.errors import CompileError
from dialects.fixed_types import MAX_WIDTH
from dialects.fixedpoint import (
    FixedFormat,
    Overflow,
    Rounding,
    as_code_dtype,
    code_dtype,
    format_for_codes,
    quantize_floats,
    round_shift_right,
)
from dialects.interfaces import CostModel, ResultFormatRule
from dialects.ranges import CodeRange, rounded
from lowering.error_budget import fit_budget
from lowering.precision import AUTO_TABLE_WIDTH, auto_format
from lowering.ranges import analyze
from lowering.tables import table_layout

TABLE_CODE_BITS = 62  # table entries are stored as int64 codes


def retype(value: SSAValue, fmt: FixedFormat) -> SSAValue:
    new_type = fixed.fixed_tensor_type(value.type.get_shape(), fmt)
    return value if value.type == new_type else Rewriter.replace_value_with_new_type(value, new_type)


@dataclass
class Policy:
    max_width: int
    margin: int
    width: int
    fracs: dict[Operation, int] = field(default_factory=dict)  # the steps chosen for `auto` ops (a budget)
    keep_sites: bool = False  # keep the casts `fracs` steps even where identities (a budget weighs them)


def choose_cast(op: fixed.CastOp, r: CodeRange, policy: Policy) -> tuple[FixedFormat, Overflow]:
    """The target of an `auto` cast and its overflow mode."""
    src = fixed.format_of(op.input)
    proven = r.format()  # exact: the input's step, the proven integer bits
    int_bits, signed = proven.int_bits, proven.signed
    frac = min(policy.fracs.get(op, src.frac_bits), src.frac_bits)
    width = int_bits + frac
    if op.observed is not None:
        lo, hi = (float(v) for v in op.observed.get_values())
        scale = 2.0**src.frac_bits
        seen = format_for_codes(int(np.floor(lo * scale)), int(np.ceil(hi * scale)), src.frac_bits)
        int_bits = min(int_bits, seen.int_bits + policy.margin)
        signed = seen.signed or lo < 0
        width = int_bits + frac if op in policy.fracs else min(policy.width, int_bits + frac)
    if policy.max_width and op not in policy.fracs:  # a budget's choice keeps its integer bits
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
    if op in policy.fracs:
        out, codes = entries_at_step(values, policy.fracs[op])
        del op.properties["infer"]
        retype(op.output, out)
    elif op.infer is not None:
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


def entries_at_step(values: np.ndarray, frac: int) -> tuple[FixedFormat, np.ndarray]:
    """Table entries rounded to nearest at 2^-frac (at most what 64-bit codes hold: a float64 entry
    has 53 bits of its own), in the narrowest type holding them."""
    values = np.asarray(values, dtype=np.float64)
    peak = float(np.max(np.abs(values), initial=0.0))
    int_bits = (math.floor(math.log2(peak)) + 2 if peak > 0 else 1) + 1  # room for rounding up, and a sign
    frac = min(frac, TABLE_CODE_BITS - int_bits)
    codes = quantize_floats(values, FixedFormat(int_bits + frac, int_bits, True), Rounding.RND, Overflow.SAT)
    codes = np.asarray(codes, dtype=np.int64)
    return format_for_codes(int(codes.min()), int(codes.max()), frac), codes


def round_constant(op: fixed.ConstantOp, frac: int) -> None:
    """An `auto` constant's codes rounded to nearest at 2^-frac (when coarser), its recorded error
    grown by the rounding, in the narrowest type holding them."""
    fmt = fixed.format_of(op.result)
    if frac < fmt.frac_bits:
        drop = fmt.frac_bits - frac
        codes = as_code_dtype(op.values(), code_dtype(fmt.width + 1))
        rounded_codes = np.asarray(round_shift_right(codes, drop, Rounding.RND))  # 0-d stays an array
        moved = int(np.max(np.abs(codes - (rounded_codes << drop)), initial=0))
        error = (op.error.value.data if op.error is not None else 0.0) + math.ldexp(moved, -fmt.frac_bits)
        fmt = format_for_codes(int(rounded_codes.min()), int(rounded_codes.max()), frac)
        op.properties["codes"] = fixed.dense_codes(rounded_codes.astype(np.int64), fmt)
        op.properties["error"] = FloatAttr(error, f64)
        retype(op.result, fmt)
    del op.properties["infer"]


def infer_function(function: func.FuncOp, policy: Policy) -> None:
    identities: list[fixed.CastOp] = []

    def before(op: Operation, ranges: dict[SSAValue, CodeRange]) -> None:
        if isinstance(op, fixed.ConstantOp) and op.infer is not None:
            round_constant(op, policy.fracs.get(op, fixed.format_of(op.result).frac_bits))
        elif isinstance(op, fixed.ClampOp):  # its bounds are codes of its input's step, which may have changed
            op.on_step(fixed.format_of(op.input).frac_bits)
        if isinstance(op, fixed.CastOp) and op.infer is not None:
            fmt, overflow = choose_cast(op, ranges[op.input], policy)
            del op.properties["infer"]
            op.properties["overflow"] = fixed.overflow_attr(overflow)
            if overflow == Overflow.WRAP:  # chosen because nothing can overflow: say so for coarser analyses
                op.properties["in_range"] = UnitAttr()
            retype(op.output, fmt)
        elif isinstance(op, fixed.LookupOp) and op.domain is not None:
            rebuild_table(op, ranges[op.input], policy)
        elif isinstance(op, ResultFormatRule):  # exact ops, moves: the narrowest type the rule allows
            formats = op.infer_result_formats([ranges.get(v) for v in op.operands])
            for result, fmt in zip(op.results, formats):
                if fmt is not None:
                    retype(result, fmt)
        if isinstance(op, fixed.CastOp) and op.input.type == op.output.type and op.overflow.mode != Overflow.SAT_SYM:
            if not (policy.keep_sites and op in policy.fracs):
                identities.append(op)

    analyze(function, before)
    for cast in identities:
        cast.output.replace_all_uses_with(cast.input)
        cast.detach()
        cast.erase()


@dataclass(frozen=True)
class InferBitwidthsPass(ModulePass):
    """Options: `max_width`, the widest type `auto` may choose (Model.Precision.maximum); `margin`
    and `width` for calibrated casts; `budget` ("" none: exact steps; "default"; or a number): the
    error budget that sets the steps of a float model's `auto` types (lowering/error_budget.py), with
    `default_frac` the default precision's fraction bits that the default budget rounds at."""

    name = "infer-bitwidths"

    max_width: int = 0  # widest an `auto` type may be (0: no limit); Model.Precision.maximum
    margin: int = 1  # integer bits added to an observed (calibrated) range
    width: int = 16  # width of a calibrated auto type
    budget: str | float | int = ""
    default_frac: int = 10

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        budget = parse_budget(self.budget)
        if budget is not None and not self.max_width:
            raise CompileError("infer-bitwidths: an error budget needs max-width (the widest type)")
        policy = Policy(self.max_width, self.margin, self.width)

        def infer_with(copy: func.FuncOp, fracs: dict[Operation, int]) -> None:
            infer_function(copy, replace(policy, fracs=fracs, keep_sites=True))

        for fn in [f for f in op.body.block.ops if isinstance(f, func.FuncOp) and not f.is_declaration]:
            fracs: dict[Operation, int] = {}
            if budget is not None:
                wanted = None if budget == "default" else budget
                fracs, chosen, limited = fit_budget(fn, wanted, self.max_width, self.default_frac, infer_with)
                fn.attributes[ERROR_BUDGET_ATTR] = FloatAttr(chosen, f64)
                if limited:
                    fn.attributes[WIDTH_LIMITED_ATTR] = ArrayAttr([StringAttr(layer) for layer in limited])
            infer_function(fn, replace(policy, fracs=fracs))
            check_widths(fn, self.max_width if budget is not None else 0)


def parse_budget(text: str | float | int) -> float | str | None:
    if text in ("", "none"):
        return None
    if text == "default":
        return text
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value < math.inf:
        raise CompileError(f"infer-bitwidths: budget must be a positive number, 'default' or 'none', got {text!r}")
    return value


def check_widths(function: func.FuncOp, maximum: int, stage: str = "infer-bitwidths") -> None:
    """Every type, and every product's two operands together, at most MAX_WIDTH bits (what the C++
    headers hold), and under a budget every type at most `maximum`: else an error naming the layer."""
    for op in function.walk():
        layer = op.properties.get("layer")
        where = f"layer '{layer.data}'" if layer is not None else op.name
        for value in op.results:
            if isinstance(value.type, TensorType) and isinstance(value.type.element_type, fixed.FixedType):
                fmt = fixed.format_of(value)
                if maximum and fmt.width > maximum:
                    raise CompileError(
                        f"{stage}: {where} needs {fmt} ({fmt.width} bits), wider than "
                        f"Model.Precision.maximum ({maximum} bits): raise the maximum or the error budget"
                    )
                if fmt.width > MAX_WIDTH:
                    raise CompileError(
                        f"{stage}: {where} needs {fmt} ({fmt.width} bits), wider than the {MAX_WIDTH} bits "
                        "of the C++ types: give it narrower types (weights, result or accumulator precision)"
                    )
        if isinstance(op, CostModel) and (cost := op.cost()) and (cost.macs or cost.multiplies):
            a, b = (fixed.format_of(v) for v in op.operands[:2])
            if a.width + b.width > MAX_WIDTH:
                raise CompileError(
                    f"{stage}: {where} multiplies {a} by {b}, a product wider than the {MAX_WIDTH} bits "
                    "of the C++ types: give it narrower types (weights or input precision)"
                )
