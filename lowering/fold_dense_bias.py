"""fold-dense-bias: merge a constant addition after a bias-less dense layer into its bias.

Takes and gives `nn` IR. `nn.add(nn.dense(x, w), c)`, where the dense result has no other user and
`c` is an `nn.constant` that broadcasts to the dense's output width, becomes `nn.dense(x, w, c)`.
This is how MatMul + Add pairs (Keras and TF exports) become one layer.
"""

from __future__ import annotations

import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import (
    GreedyRewritePatternApplier,
    PatternRewriter,
    PatternRewriteWalker,
    RewritePattern,
    op_type_rewrite_pattern,
)

from dialects import nn


class FoldConstantAddIntoDense(RewritePattern):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: nn.AddOp, rewriter: PatternRewriter) -> None:
        for dense_value, const_value in ((op.lhs, op.rhs), (op.rhs, op.lhs)):
            dense, const = dense_value.owner, const_value.owner
            if not isinstance(dense, nn.DenseOp) or not isinstance(const, nn.ConstantOp):
                continue
            if dense.bias is not None or not dense.output.has_one_use():
                continue
            n_out = dense.output.type.get_shape()[-1]
            values = const.values()
            # a bias varies along the output axis only: shape (), (M,), (1, ..., 1, M) or all ones
            if any(d != 1 for d in values.shape[:-1]) or values.size not in (1, n_out):
                continue
            if op.output.type != dense.output.type:
                continue
            layer = dense.layer.data if dense.layer is not None else None
            bias = nn.ConstantOp(nn.dense_floats(np.broadcast_to(values.reshape(-1), (n_out,))), layer)
            new = nn.DenseOp(dense.input, dense.weight, bias.result, layer=layer)
            rewriter.replace(op, [bias, new])
            rewriter.erase(dense)
            return


class FoldDenseBiasPass(ModulePass):
    name = "fold-dense-bias"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        PatternRewriteWalker(GreedyRewritePatternApplier([FoldConstantAddIntoDense()])).rewrite_module(op)
