"""nn-to-fixed patterns beyond MLPs: convolution, pooling, batch normalisation, elementwise
arithmetic, piecewise-linear and smooth activations, and the layout ops (which only change type).

Each nn op becomes exact fixed ops (the same rules as dense: exact steps, bit-growth bounds that
infer-bitwidths narrows) followed by the layer's cast (`finish`):
- conv: fixed.conv (a MAC array per output pixel); the constants take the weight/bias precisions;
- max pool: fixed.max_pool (the input's type); average pool: fixed.sum_pool times the reciprocal of
  each window's count (a constant per output position when padding is not counted);
- batchnorm: x * scale + shift per channel (fold-batchnorm folds it into a preceding conv/dense);
- max / min of two tensors: select(a - b, a, b) / select(a - b, b, a), exact;
- leaky relu / prelu: select(x, x, slope * x); thresholded relu: select(x - alpha, x, value or 0);
  clip: fixed.clamp at the nearest representable bounds inside; hard sigmoid: clamp(alpha x + beta, 0, 1);
- elu / selu / softplus: the linear branch exactly and the curved one as a table, joined by select.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from xdsl.dialects.builtin import FloatAttr, f64
from xdsl.ir import Operation, SSAValue
from xdsl.pattern_rewriter import PatternRewriter, op_type_rewrite_pattern

from dialects import fixed, layout, nn
from dialects.errors import CompileError
from dialects.fixedpoint import (
    FixedFormat,
    add_format,
    bits_for_count,
    join_format,
    mul_format,
    sub_format,
)
from dialects.layer import ints
from lowering import activation_ops
from lowering.activation_ops import code_at, select_linear
from lowering.config import AUTO
from lowering.fixed_building import (
    Lowering,
    constant,
    constant_codes,
    converted,
    finish,
    layer_of,
    replace_with_fixed,
)
from lowering.precision import AUTO_TABLE_WIDTH


def all_converted(values) -> list[SSAValue] | None:
    out = [converted(v) for v in values]
    return None if any(v is None for v in out) else out


@dataclass
class LowerLayout(Lowering):
    """Layout ops move elements: the same op on the fixed values (a concat's type joins its inputs')."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: layout.MoveOp | layout.ConcatOp, rewriter: PatternRewriter) -> None:
        if not isinstance(op.results[0].type.element_type, nn.AnyFloat):
            return
        inputs = all_converted(op.operands)
        if inputs is None:
            return
        if isinstance(op, layout.ConcatOp):
            joined = fixed.format_of(inputs[0])
            for v in inputs[1:]:
                joined = join_format(joined, fixed.format_of(v))
            new = layout.ConcatOp(inputs, op.axis.value.data, layer_of(op), fixed.FixedType.of(joined))
        else:
            new = op.on(inputs[0])
        replace_with_fixed(rewriter, op, [new])


def binary_operands(lowering: Lowering, op: nn.BinaryOp, spec) -> tuple[list[Operation], list[SSAValue]] | None:
    """The fixed-point operands of a binary op: a constant becomes a fixed.constant in precision
    `spec` (returned among the ops to insert); None while an operand is not converted yet."""
    layer, s = layer_of(op), lowering.settings(op)
    ops: list[Operation] = []
    operands = []
    for value in (op.lhs, op.rhs):
        if isinstance(value.owner, nn.ConstantOp):
            c = constant(value, spec, s, lowering.default_width(), layer, "operand")
            ops.append(c)
            operands.append(c.result)
        elif (v := converted(value)) is not None:
            operands.append(v)
        else:
            return None
    return ops, operands


@dataclass
class LowerArithmetic(Lowering):
    """add, sub, mul: exact, then the layer's type. Constant operands take the bias precision (add,
    sub) or the weight precision (mul)."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: nn.AddOp | nn.SubOp | nn.MulOp, rewriter: PatternRewriter) -> None:
        layer, s = layer_of(op), self.settings(op)
        found = binary_operands(self, op, s.weight if isinstance(op, nn.MulOp) else s.bias)
        if found is None:
            return
        ops, operands = found
        a, b = (fixed.format_of(v) for v in operands)
        op_class, rule = {
            nn.AddOp: (fixed.AddOp, add_format),
            nn.SubOp: (fixed.SubOp, sub_format),
            nn.MulOp: (fixed.MulOp, mul_format),
        }[type(op)]
        exact = op_class(operands[0], operands[1], rule(a, b), layer)
        replace_with_fixed(rewriter, op, [*ops, exact, *finish(exact.output, s.result, layer)])


@dataclass
class LowerConv(Lowering):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: nn.ConvOp, rewriter: PatternRewriter) -> None:
        geometry = (ints(op.strides), ints(op.dilations), ints(op.pads), op.groups.value.data)
        self.lower_weighted(
            op,
            rewriter,
            math.prod(op.weight.type.get_shape()[:-1]),
            lambda x, w, b, acc, layer: fixed.ConvOp(x, w, b, acc, *geometry, layer),
        )


@dataclass
class LowerAbs(Lowering):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: nn.AbsOp, rewriter: PatternRewriter) -> None:
        x = converted(op.input)
        if x is None:
            return
        layer, s = layer_of(op), self.settings(op)
        absolute = fixed.AbsOp(x, fixed.AbsOp.bound_format(fixed.format_of(x)), layer)
        replace_with_fixed(rewriter, op, [absolute, *finish(absolute.output, s.result, layer)])


def window_counts(op: nn.AvgPoolOp) -> np.ndarray:
    """How many input elements (not padding) each output position's window covers: [*out, 1]."""
    spatial = op.input.type.get_shape()[:-1]
    kernel, strides, pads = ints(op.kernel), ints(op.strides), ints(op.pads)
    rank = len(spatial)
    per_axis = []
    for d in range(rank):
        out = op.output.type.get_shape()[d]
        starts = np.arange(out) * strides[d] - pads[d]
        per_axis.append(np.minimum(starts + kernel[d], spatial[d]) - np.maximum(starts, 0))
    counts = per_axis[0]
    for extra in per_axis[1:]:
        counts = np.multiply.outer(counts, extra)
    return counts.reshape(*counts.shape, 1)


@dataclass
class LowerPool(Lowering):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: nn.MaxPoolOp | nn.AvgPoolOp, rewriter: PatternRewriter) -> None:
        x = converted(op.input)
        if x is None:
            return
        layer, s = layer_of(op), self.settings(op)
        fx = fixed.format_of(x)
        kernel, strides, pads = ints(op.kernel), ints(op.strides), ints(op.pads)
        if isinstance(op, nn.MaxPoolOp):
            pool = fixed.MaxPoolOp(x, kernel, strides, pads, fx, layer)
            replace_with_fixed(rewriter, op, [pool, *finish(pool.output, s.result, layer)])
            return
        grow = bits_for_count(math.prod(kernel))
        total = fixed.SumPoolOp(
            x, kernel, strides, pads, FixedFormat(fx.width + grow, fx.int_bits + grow, fx.signed), layer
        )
        counts = np.full((1,), math.prod(kernel)) if op.count_include_pad is not None else window_counts(op)
        if np.all(counts == counts.flat[0]):
            counts = counts.reshape(-1)[:1]
        # 1/count: exact for powers of two, else in the table width (rounded to nearest)
        recip = constant_codes(1.0 / counts.astype(np.float64), AUTO, s, AUTO_TABLE_WIDTH, layer)
        product = fixed.MulOp(
            total.output, recip.result, mul_format(fixed.format_of(total.output), fixed.format_of(recip.result)), layer
        )
        replace_with_fixed(rewriter, op, [total, recip, product, *finish(product.output, s.result, layer)])


@dataclass
class LowerBatchNorm(Lowering):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: nn.BatchNormOp, rewriter: PatternRewriter) -> None:
        x = converted(op.input)
        if x is None:
            return
        layer, s = layer_of(op), self.settings(op)
        scale = constant(op.scale, s.weight, s, self.default_width(), layer, "scale")
        shift = constant(op.shift, s.bias, s, self.default_width(), layer, "shift")
        scaled = fixed.MulOp(x, scale.result, mul_format(fixed.format_of(x), fixed.format_of(scale.result)), layer)
        shifted = fixed.AddOp(
            scaled.output,
            shift.result,
            add_format(fixed.format_of(scaled.output), fixed.format_of(shift.result)),
            layer,
        )
        replace_with_fixed(rewriter, op, [scale, shift, scaled, shifted, *finish(shifted.output, s.result, layer)])


@dataclass
class LowerPiecewiseLinear(Lowering):
    """leaky relu, prelu, thresholded relu, clip, hard sigmoid: exact arithmetic and comparisons."""

    @op_type_rewrite_pattern
    def match_and_rewrite(
        self,
        op: nn.LeakyReluOp | nn.PReluOp | nn.ThresholdedReluOp | nn.ClipOp | nn.HardSigmoidOp,
        rewriter: PatternRewriter,
    ) -> None:
        x = converted(op.input)
        if x is None:
            return
        layer, s = layer_of(op), self.settings(op)
        fx = fixed.format_of(x)
        ops: list[Operation] = []
        width = self.default_width()
        if isinstance(op, nn.LeakyReluOp):
            ops += activation_ops.leaky_relu(x, op.alpha.value.data, s, width, layer)
        elif isinstance(op, nn.PReluOp):
            slopes = op.slope.owner.values()
            slope = constant(op.slope, s.weight, s, width, layer, "slope")
            scaled = fixed.MulOp(x, slope.result, mul_format(fx, fixed.format_of(slope.result)), layer)
            # x - slope x = (1 - slope) x: continuous where x decides
            gap = (0.0, float(np.max(np.abs(1.0 - slopes))))
            ops += [slope, scaled, select_linear(x, x, scaled.output, layer, gap)]
        elif isinstance(op, nn.ThresholdedReluOp):
            value = op.value.value.data if op.value is not None else 0.0
            ops += activation_ops.thresholded_relu(x, op.alpha.value.data, value, s, width, layer)
        elif isinstance(op, nn.ClipOp):
            low = code_at(op.min.value.data, fx, math.ceil) if op.min is not None else fx.min_code
            high = code_at(op.max.value.data, fx, math.floor) if op.max is not None else fx.max_code
            low, high = max(low, fx.min_code), min(high, fx.max_code)
            if low > high:
                raise CompileError(f"layer '{layer}': clip bounds [{op.min}, {op.max}] hold no value of {fx}")
            clamp = fixed.ClampOp(x, low, high, fx, layer)
            # a bound between two codes moves inward by less than a step (one beyond the type is moot)
            shifts = [
                abs(math.ldexp(code, -fx.frac_bits) - bound.value.data)
                for code, bound in ((low, op.min), (high, op.max))
                if bound is not None and fx.min_code < code < fx.max_code
            ]
            if max(shifts, default=0.0):
                clamp.properties["bound_error"] = FloatAttr(max(shifts), f64)
            ops.append(clamp)
        else:  # hard sigmoid: clamp(alpha * x + beta, 0, 1)
            ops += activation_ops.hard_sigmoid(x, op.alpha.value.data, op.beta.value.data, s, width, layer)
        replace_with_fixed(rewriter, op, [*ops, *finish(ops[-1].results[0], s.result, layer)])


@dataclass
class LowerMinMax(Lowering):
    """max(a, b) = a - b > 0 ? a : b, min(a, b) = a - b > 0 ? b : a: an exact subtraction and a
    select. Where a - b decides, a and b differ by exactly that: the select's gap is (0, 1). A
    constant operand takes the bias precision."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: nn.MaximumOp | nn.MinimumOp, rewriter: PatternRewriter) -> None:
        layer, s = layer_of(op), self.settings(op)
        found = binary_operands(self, op, s.bias)
        if found is None:
            return
        ops, (a, b) = found
        diff = fixed.SubOp(a, b, sub_format(fixed.format_of(a), fixed.format_of(b)), layer)
        first, second = (a, b) if isinstance(op, nn.MaximumOp) else (b, a)
        chosen = select_linear(diff.output, first, second, layer, (0.0, 1.0))
        replace_with_fixed(rewriter, op, [*ops, diff, chosen, *finish(chosen.output, s.result, layer)])


@dataclass
class LowerSmooth(Lowering):
    """elu(alpha), selu(alpha, gamma), softplus: select(x > bound, exact linear part, table)."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: nn.ActivationOp, rewriter: PatternRewriter) -> None:
        x = converted(op.input)
        if x is None:
            return
        layer, s = layer_of(op), self.settings(op)
        params = tuple(float(v) for v in op.params.get_values())
        ops = activation_ops.smooth(x, op.function.data, params, s, self.default_width(), layer)
        replace_with_fixed(rewriter, op, [*ops, *finish(ops[-1].results[0], s.result, layer)])


PATTERNS = [
    LowerLayout,
    LowerArithmetic,
    LowerMinMax,
    LowerAbs,
    LowerConv,
    LowerPool,
    LowerBatchNorm,
    LowerPiecewiseLinear,
    LowerSmooth,
]
