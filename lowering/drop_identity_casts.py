"""drop-identity-casts: remove `fixed.cast`s that cannot change a value.

Takes and gives fixed-level (or dataflow-level) IR. A cast whose result type equals its operand type
keeps every code, whatever its rounding mode and with any overflow mode but SAT_SYM (which maps the
most negative code of a signed type to -max), so its result is replaced by its operand.
"""

from __future__ import annotations

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import (
    PatternRewriter,
    PatternRewriteWalker,
    RewritePattern,
    op_type_rewrite_pattern,
)

from dialects import fixed
from dialects.fixedpoint import Overflow


class DropIdentityCast(RewritePattern):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: fixed.CastOp, rewriter: PatternRewriter) -> None:
        if op.input.type != op.output.type:
            return
        if op.overflow.mode == Overflow.SAT_SYM and fixed.format_of(op.input).signed:
            return
        rewriter.replace(op, [], [op.input])


class DropIdentityCastsPass(ModulePass):
    name = "drop-identity-casts"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        PatternRewriteWalker(DropIdentityCast()).rewrite_module(op)
