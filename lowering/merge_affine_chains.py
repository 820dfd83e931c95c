"""merge-affine-chains: a chain of per-channel affine steps becomes one `nn.batchnorm`.

Takes and gives `nn` IR. Exporters spell a normalisation or an output scaling as several nodes:
`(x - mean) / sqrt(var) * gamma + beta` arrives as Sub, Div, Mul, Add by constants. When an
`nn.mul` / `nn.add` / `nn.sub` by a constant (one number or one per channel, the last axis) or an
`nn.batchnorm` reads the only use of another such step, the two are composed, in float64, into one
`nn.batchnorm(x, a, b)` (y = a * x + b per channel). Merged, the chain rounds its constants once and
multiplies once (instead of growing an exact product through every step); fold-batchnorm can then
fold it into the layer before it, and fold-affine-into-quant into the quantizer after it.
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
from xdsl.rewriter import InsertPoint

from dialects import nn
from lowering.fold_affine_into_quant import affine_of


class MergeAffineChain(RewritePattern):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: nn.MulOp | nn.AddOp | nn.SubOp | nn.BatchNormOp, rewriter: PatternRewriter):
        outer = affine_of(op)
        if outer is None:
            return
        x, a2, b2 = outer
        producer = x.owner
        if not x.has_one_use() or (inner := affine_of(producer)) is None:
            return
        source, a1, b1 = inner
        shape = op.results[0].type.get_shape()
        if not shape:
            return  # a rank-0 value has no channel axis for a batch norm
        channels = shape[-1]
        scale = np.broadcast_to(a2 * a1, (channels,))
        shift = np.broadcast_to(a2 * b1 + b2, (channels,))
        layer = op.layer.data if op.layer is not None else None
        a = nn.ConstantOp(nn.dense_floats(scale), layer)
        b = nn.ConstantOp(nn.dense_floats(shift), layer)
        rewriter.insert([a, b], InsertPoint.before(op))
        rewriter.replace(op, nn.BatchNormOp(source, a.result, b.result, layer))
        rewriter.erase(producer)


class MergeAffineChainsPass(ModulePass):
    name = "merge-affine-chains"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        PatternRewriteWalker(GreedyRewritePatternApplier([MergeAffineChain()])).rewrite_module(op)
