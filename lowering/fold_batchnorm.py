"""fold-batchnorm: merge a batch normalisation into the convolution or dense layer before it.

Takes and gives `nn` IR. `nn.batchnorm(y, scale, shift)`, where y is an `nn.conv` or `nn.dense` with
constant weights and no other user, becomes that layer with weights scaled per output channel and
bias `bias * scale + shift`, in float, before any rounding. Batch normalisations that do not follow
such a layer stay and lower to a multiply-add per channel.
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
from dialects.layer import ints


class FoldBatchNorm(RewritePattern):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: nn.BatchNormOp, rewriter: PatternRewriter) -> None:
        layer = op.input.owner
        if not isinstance(layer, nn.ConvOp | nn.DenseOp) or not layer.output.has_one_use():
            return
        constants = [layer.weight.owner, op.scale.owner, op.shift.owner]
        if layer.bias is not None:
            constants.append(layer.bias.owner)
        if not all(isinstance(c, nn.ConstantOp) for c in constants):
            return
        scale, shift = op.scale.owner.values().astype(np.float64), op.shift.owner.values().astype(np.float64)
        weight = layer.weight.owner.values().astype(np.float64) * scale  # output channels are the last axis
        bias = layer.bias.owner.values().astype(np.float64) if layer.bias is not None else np.zeros_like(shift)
        name = layer.layer.data if layer.layer is not None else None
        w = nn.ConstantOp(nn.dense_floats(weight), name)
        b = nn.ConstantOp(nn.dense_floats(bias * scale + shift), name)
        if isinstance(layer, nn.ConvOp):
            folded = nn.ConvOp(
                layer.input,
                w.result,
                b.result,
                ints(layer.strides),
                ints(layer.dilations),
                ints(layer.pads),
                layer.groups.value.data,
                name,
            )
        else:
            folded = nn.DenseOp(layer.input, w.result, b.result, layer=name)
        rewriter.replace(op, [w, b, folded])
        rewriter.erase(layer)


class FoldBatchNormPass(ModulePass):
    name = "fold-batchnorm"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        PatternRewriteWalker(GreedyRewritePatternApplier([FoldBatchNorm()])).rewrite_module(op)
