"""fold-transpose-into-dense: absorb the transpose before a flatten into the dense layer's weights.

Takes and gives nn/layout IR. `nn.dense(layout.reshape(layout.transpose(x)), W)`, where the reshape
flattens to one axis and neither result has another user, becomes `nn.dense(layout.reshape(x), W')`
with W's rows permuted so that each input element meets the weights it met before. This removes the
transpose a channels-first model (PyTorch) needs before Flatten when the data is channels-last.
"""

from __future__ import annotations

import math

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

from dialects import layout, nn
from dialects.layer import ints


class FoldTransposeIntoDense(RewritePattern):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: nn.DenseOp, rewriter: PatternRewriter) -> None:
        flatten = op.input.owner
        if not isinstance(flatten, layout.ReshapeOp) or len(flatten.output.type.get_shape()) != 1:
            return
        transpose = flatten.input.owner
        if not isinstance(transpose, layout.TransposeOp) or not isinstance(op.weight.owner, nn.ConstantOp):
            return
        if not flatten.output.has_one_use() or not transpose.output.has_one_use():
            return
        source = transpose.input
        shape = tuple(source.type.get_shape())
        # element i of the flattened transpose is element order[i] of the flattened source
        order = np.arange(math.prod(shape)).reshape(shape).transpose(ints(transpose.perm)).reshape(-1)
        weight = op.weight.owner.values()
        permuted = np.empty_like(weight)
        permuted[order] = weight
        name = op.layer.data if op.layer is not None else None
        w = nn.ConstantOp(nn.dense_floats(permuted), name)
        reshape = layout.ReshapeOp(
            source, flatten.output.type.get_shape(), flatten.layer.data if flatten.layer is not None else None
        )
        dense = nn.DenseOp(reshape.output, w.result, op.bias, layer=name)
        rewriter.replace(op, [w, reshape, dense])
        rewriter.erase(flatten)
        rewriter.erase(transpose)


class FoldTransposeIntoDensePass(ModulePass):
    name = "fold-transpose-into-dense"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        PatternRewriteWalker(GreedyRewritePatternApplier([FoldTransposeIntoDense()])).rewrite_module(op)
