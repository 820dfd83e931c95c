"""nn-to-fixed: give every value a fixed-point type and make all rounding explicit.

Takes: `func.func`s over `nn` ops on f32 tensors (constants as `nn.constant`).
Gives: the same functions in the `fixed` dialect: each float argument is quantised on entry
(`fixed.quantize`), each result is dequantised to f64 before `func.return`, weights and biases are
`fixed.constant` codes, dense layers are exact MACs (`fixed.dense`, bit-growth accumulator) followed by
a `fixed.cast` to the layer's result type, sigmoid/tanh are `fixed.lookup` tables, and softmax is
max, subtract, exp table, sum, reciprocal table, multiply, cast (the stable form: the exp table only
sees inputs <= 0 and the reciprocal table only sums in [1, n]). Every op keeps its nn op's `layer`.

Types come from the `precision` option (hls4ml spelling, one type for every layer result, weight and
bias); `table-size` bounds every table.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import AnyFloat, ModuleOp, TensorType, UnrealizedConversionCastOp, f64
from xdsl.ir import Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import (
    GreedyRewritePatternApplier,
    PatternRewriter,
    PatternRewriteWalker,
    RewritePattern,
    op_type_rewrite_pattern,
)
from xdsl.rewriter import InsertPoint

from compiler.errors import CompileError
from dialects import fixed, nn
from dialects.fixedpoint import FixedFormat, Precision, add_format, bits_for_count, quantize_floats, sub_format
from lowering.precision import DEFAULT_PRECISION, LayerPrecision, constant_modes, hardware_modes, unit_interval_format
from lowering.tables import FUNCTIONS, build_table

# --------------------------------------------------------------------------------------------------
# Helpers: the bridge between converted and not yet converted values


def converted(value: SSAValue) -> SSAValue | None:
    """The fixed value standing for a float value, if its producer is converted already."""
    owner = value.owner
    if isinstance(owner, UnrealizedConversionCastOp) and isinstance(owner.inputs[0].type, TensorType):
        if isinstance(owner.inputs[0].type.element_type, fixed.FixedType):
            return owner.inputs[0]
    return None


def replace_with_fixed(rewriter: PatternRewriter, op: Operation, new_ops: list[Operation]) -> None:
    """Replace `op` by `new_ops`, handing its float users a bridge to the last op's fixed result."""
    bridge = UnrealizedConversionCastOp.get([new_ops[-1].results[0]], [op.results[0].type])
    rewriter.replace(op, [*new_ops, bridge])


def quantized_constant(value: SSAValue, p: Precision, layer: str | None, what: str) -> fixed.ConstantOp:
    owner = value.owner
    if not isinstance(owner, nn.ConstantOp):
        raise CompileError(f"layer '{layer}': the {what} must be a constant")
    codes = quantize_floats(owner.values(), p.format, *constant_modes(p))
    return fixed.ConstantOp(codes, p.format, layer)


def cast_to(x: SSAValue, p: Precision, layer: str | None) -> list[Operation]:
    """A cast into the layer's result type with its hardware modes, or nothing when it is already so."""
    if fixed.format_of(x) == p.format:
        return []
    return [fixed.CastOp(x, p.format, *hardware_modes(p), layer=layer)]


def layer_of(op: Operation) -> str | None:
    layer = op.properties.get("layer")
    return layer.data if layer is not None else None


def last(ops: list[Operation], default: SSAValue) -> SSAValue:
    return ops[-1].results[0] if ops else default


@dataclass
class Lowering(RewritePattern):
    """Base for patterns: holds the precision chooser."""

    precision: LayerPrecision

    def for_layer(self, op: Operation) -> LayerPrecision:
        return self.precision


# --------------------------------------------------------------------------------------------------
# Patterns


@dataclass
class QuantizeArguments(Lowering):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: func.FuncOp, rewriter: PatternRewriter) -> None:
        if op.is_declaration or op.body.block.first_op is None:
            return
        first = op.body.block.first_op
        if isinstance(first, fixed.QuantizeOp):
            return  # already done
        p = self.precision.result
        point = InsertPoint.at_start(op.body.block)
        for arg in op.body.block.args:
            if not isinstance(arg.type, TensorType) or not isinstance(arg.type.element_type, AnyFloat):
                continue
            uses = list(arg.uses)
            q = fixed.QuantizeOp(arg, p.format, *hardware_modes(p), layer=arg.name_hint)
            bridge = UnrealizedConversionCastOp.get([q.output], [arg.type])
            rewriter.insert(q, point)
            rewriter.insert(bridge, InsertPoint.after(q))
            point = InsertPoint.after(bridge)  # quantizes stay in argument order
            for use in uses:
                use.operation.operands[use.index] = bridge.results[0]
            rewriter.handle_operation_modification(op)


@dataclass
class DequantizeResults(Lowering):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: func.ReturnOp, rewriter: PatternRewriter) -> None:
        values = [converted(v) for v in op.arguments]
        if any(v is None for v in values):
            return
        function = op.parent_op()
        assert isinstance(function, func.FuncOp)
        deq = [fixed.DequantizeOp(v, f64) for v in values]
        rewriter.replace(op, [*deq, func.ReturnOp(*[d.output for d in deq])])
        function.function_type = func.FunctionType.from_lists(
            function.function_type.inputs.data, [d.output.type for d in deq]
        )


@dataclass
class LowerDense(Lowering):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: nn.DenseOp, rewriter: PatternRewriter) -> None:
        x = converted(op.input)
        if x is None:
            return
        layer, p = layer_of(op), self.for_layer(op)
        w = quantized_constant(op.weight, p.weight, layer, "weight")
        ops: list[Operation] = [w]
        b = None
        if op.bias is not None:
            b = quantized_constant(op.bias, p.bias, layer, "bias")
            ops.append(b)
        n_in = op.weight.type.get_shape()[0]
        acc_fmt = fixed.dense_bound_format(fixed.format_of(x), p.weight.format, b and p.bias.format, n_in)
        dense = fixed.DenseOp(x, w.result, b.result if b else None, acc_fmt, layer)
        ops.append(dense)
        ops += cast_to(dense.output, p.result, layer)
        replace_with_fixed(rewriter, op, ops)


@dataclass
class LowerRelu(Lowering):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: nn.ReluOp, rewriter: PatternRewriter) -> None:
        x = converted(op.input)
        if x is None:
            return
        relu = fixed.ReluOp(x, layer_of(op))
        replace_with_fixed(rewriter, op, [relu, *cast_to(relu.output, self.for_layer(op).result, layer_of(op))])


# the input range outside of which each function is flat to within its output's resolution
ACTIVATION_DOMAINS = {"sigmoid": (-8.0, 8.0), "tanh": (-4.0, 4.0)}


@dataclass
class LowerTableActivation(Lowering):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: nn.SigmoidOp | nn.TanhOp, rewriter: PatternRewriter) -> None:
        x = converted(op.input)
        if x is None:
            return
        function = "sigmoid" if isinstance(op, nn.SigmoidOp) else "tanh"
        layer, p = layer_of(op), self.for_layer(op)
        out = (p.table or p.result).format
        fx = fixed.format_of(x)
        table = build_table(
            FUNCTIONS[function], fx, (fx.min_code, fx.max_code), ACTIVATION_DOMAINS[function], out, p.table_size
        )
        lookup = fixed.LookupOp(x, function, table.offset, table.index, table.codes, out, layer)
        replace_with_fixed(rewriter, op, [lookup, *cast_to(lookup.output, p.result, layer)])


@dataclass
class LowerSoftmax(Lowering):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: nn.SoftmaxOp, rewriter: PatternRewriter) -> None:
        x = converted(op.input)
        if x is None:
            return
        layer, p = layer_of(op), self.for_layer(op)
        axis = op.axis.value.data
        n = op.input.type.get_shape()[axis]
        fx = fixed.format_of(x)
        exp_fmt = unit_interval_format()
        if p.table is not None:
            exp_fmt = p.table.format

        peak = fixed.ReduceMaxOp(x, axis, fx, layer)
        diff_fmt = sub_format(fx, fx)
        diff = fixed.SubOp(x, peak.output, diff_fmt, layer)
        # exp(d) for d <= 0. Each output is exp(d) / sum <= exp(d) (the sum is >= 1), so below
        # ln(half a result step) an input only matters through the sum: the table need not resolve it.
        resolved_bits = min(exp_fmt.frac_bits, p.result.format.frac_bits) + 1
        exp_floor = math.log(2.0**-resolved_bits)
        span = fx.max_code - fx.min_code
        exp_table = build_table(np.exp, diff_fmt, (-span, 0), (exp_floor, float(diff_fmt.step)), exp_fmt, p.table_size)
        exp = fixed.LookupOp(diff.output, "exp", exp_table.offset, exp_table.index, exp_table.codes, exp_fmt, layer)

        grow = bits_for_count(n)
        sum_fmt = FixedFormat(exp_fmt.width + grow, exp_fmt.int_bits + grow, exp_fmt.signed)
        total = fixed.ReduceSumOp(exp.output, axis, sum_fmt, layer)
        # the largest input contributes exp(0) = 1, so the sum lies in [1, n]
        one = 1 << sum_fmt.frac_bits
        recip_table = build_table(
            FUNCTIONS["reciprocal"], sum_fmt, (one, n * one), (1.0, n + float(sum_fmt.step)), exp_fmt, p.table_size
        )
        recip = fixed.LookupOp(
            total.output, "reciprocal", recip_table.offset, recip_table.index, recip_table.codes, exp_fmt, layer
        )
        prod_fmt = FixedFormat(2 * exp_fmt.width, 2 * exp_fmt.int_bits, False)
        prod = fixed.MulOp(exp.output, recip.output, prod_fmt, layer)
        ops: list[Operation] = [peak, diff, exp, total, recip, prod, *cast_to(prod.output, p.result, layer)]
        replace_with_fixed(rewriter, op, ops)


@dataclass
class LowerAdd(Lowering):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: nn.AddOp, rewriter: PatternRewriter) -> None:
        layer, p = layer_of(op), self.for_layer(op)
        ops: list[Operation] = []
        operands = []
        for value in (op.lhs, op.rhs):
            if isinstance(value.owner, nn.ConstantOp):
                c = quantized_constant(value, p.bias, layer, "addend")
                ops.append(c)
                operands.append(c.result)
            elif (v := converted(value)) is not None:
                operands.append(v)
            else:
                return
        a, b = (fixed.format_of(v) for v in operands)
        add = fixed.AddOp(operands[0], operands[1], add_format(a, b), layer)
        ops += [add, *cast_to(add.output, p.result, layer)]
        replace_with_fixed(rewriter, op, ops)


def erase_dead(module: ModuleOp) -> None:
    """Remove what the conversion left without users: bridges, nn constants and fixed ops (but not
    the quantisation of an argument, which is a port of the design even if nothing reads it)."""
    for op in reversed(list(module.walk())):
        dead = not any(r.uses for r in op.results) and op.results
        if dead and (
            isinstance(op, UnrealizedConversionCastOp | nn.ConstantOp)
            or (op.dialect_name() == "fixed" and not isinstance(op, fixed.QuantizeOp))
        ):
            op.detach()
            op.erase()


def check_lowered(module: ModuleOp) -> None:
    for op in module.walk():
        if op.dialect_name() == "nn" or isinstance(op, UnrealizedConversionCastOp):
            layer = op.properties.get("layer")
            where = f"layer '{layer.data}' " if layer is not None else ""
            raise CompileError(f"nn-to-fixed: {where}({op.name}) could not be lowered")


@dataclass(frozen=True)
class NNToFixedPass(ModulePass):
    name = "nn-to-fixed"

    precision: str = DEFAULT_PRECISION
    table_size: int = 1024

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        if self.table_size < 2 or self.table_size & (self.table_size - 1):
            raise CompileError(f"nn-to-fixed: table-size must be a power of two >= 2, got {self.table_size}")
        try:
            p = LayerPrecision.uniform(self.precision, self.table_size)
        except ValueError as err:
            raise CompileError(f"nn-to-fixed: {err}") from None
        patterns = [
            QuantizeArguments(p),
            LowerDense(p),
            LowerRelu(p),
            LowerTableActivation(p),
            LowerSoftmax(p),
            LowerAdd(p),
            DequantizeResults(p),
        ]
        # no DCE during the walk: the quantize of an unused argument must stay (it is a port)
        PatternRewriteWalker(GreedyRewritePatternApplier(patterns, dce_enabled=False)).rewrite_module(op)
        erase_dead(op)
        check_lowered(op)
