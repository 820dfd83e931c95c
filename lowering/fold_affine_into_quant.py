"""fold-affine-into-quant: merge a per-channel affine step into the quantizer it feeds.

Takes and gives `nn` IR. When an `nn.batchnorm`, or an `nn.mul` / `nn.add` / `nn.sub` with a constant
that is one number or one number per channel (the last axis), has an `nn.quant` as its only user, the
quantizer absorbs it as its pre-step (`pre_scale`, `pre_bias`: quant(a * x + b)) and reads x directly.
Quantized exports put a batch norm or a rescale between a layer and its activation quantizer; merged,
nn-to-fixed turns the whole step into exact thresholds on the layer's integer output instead of
rounding the affine arithmetic in fixed point (FINN's streamlining does the same).
"""

from __future__ import annotations

import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import SSAValue
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import (
    GreedyRewritePatternApplier,
    PatternRewriter,
    PatternRewriteWalker,
    RewritePattern,
    op_type_rewrite_pattern,
)

from dialects import nn


def per_channel_constant(value: SSAValue, shape: tuple[int, ...]) -> np.ndarray | None:
    """The constant's values as [1] or [C] (C the last axis of `shape`), if it broadcasts that way."""
    owner = value.owner
    if not isinstance(owner, nn.ConstantOp):
        return None
    values = owner.values().astype(np.float64)
    if values.size == 1:
        return values.reshape(1)
    dims = values.shape
    if shape and dims[-1] == shape[-1] and all(d == 1 for d in dims[:-1]) and len(dims) <= len(shape):
        return values.reshape(-1)
    return None


def affine_of(op) -> tuple[SSAValue, np.ndarray, np.ndarray] | None:
    """(x, a, b) when `op` computes a * x + b per channel, with x of the op's own shape."""
    if not isinstance(op, nn.BatchNormOp | nn.AddOp | nn.SubOp | nn.MulOp):
        return None
    shape = op.results[0].type.get_shape()
    if isinstance(op, nn.BatchNormOp):
        scale, shift = per_channel_constant(op.scale, shape), per_channel_constant(op.shift, shape)
        if scale is None or shift is None:
            return None
        return op.input, scale, shift
    for x, c, x_first in ((op.lhs, op.rhs, True), (op.rhs, op.lhs, False)):
        if x.type != op.output.type:
            continue
        k = per_channel_constant(c, shape)
        if k is None or isinstance(x.owner, nn.ConstantOp):
            continue
        if isinstance(op, nn.MulOp):
            return x, k, np.zeros(1)
        if isinstance(op, nn.AddOp):
            return x, np.ones(1), k
        return (x, np.ones(1), -k) if x_first else (x, -np.ones(1), k)
    return None


class FoldAffineIntoQuant(RewritePattern):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: nn.QuantOp, rewriter: PatternRewriter) -> None:
        producer = op.input.owner
        if op.wrap is not None or not op.input.has_one_use() or (affine := affine_of(producer)) is None:
            return  # a wrapping quantizer is a cast of its own input: no step before it
        x, a, b = affine
        pre_a, pre_b = op.pre() or (np.ones(1), np.zeros(1))
        layer = op.layer.data if op.layer is not None else None
        merged = nn.QuantOp(
            x,
            op.scales(),
            op.zero_points(),
            op.bit_width,
            op.signed is not None,
            op.narrow is not None,
            op.rounding.data,
            layer,
            pre=(pre_a * a, pre_a * b + pre_b),
        )
        rewriter.replace(op, merged)
        rewriter.erase(producer)


class FoldAffineIntoQuantPass(ModulePass):
    name = "fold-affine-into-quant"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        PatternRewriteWalker(GreedyRewritePatternApplier([FoldAffineIntoQuant()])).rewrite_module(op)
