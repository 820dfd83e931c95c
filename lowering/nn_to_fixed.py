"""nn-to-fixed: give every value a fixed-point type and make all rounding explicit.

Takes: `func.func`s over `nn` ops on f32 tensors (constants as `nn.constant`).
Gives: the same functions in the `fixed` dialect: each float argument is quantised on entry
(`fixed.quantize`), each result is dequantised to f64 before `func.return`, weights and biases are
`fixed.constant` codes, dense layers are exact MACs (`fixed.dense`, bit-growth accumulator), sigmoid
and tanh are `fixed.lookup` tables, and softmax is max, subtract, exp table, sum, reciprocal table,
multiply (the stable form: the exp table only sees inputs <= 0 and the reciprocal table sums in
[1, n]), and layer normalisation is exact sums and products around one segmented table of
1 / sqrt (lowering/nn_to_fixed_norm.py). Every op keeps its nn op's `layer`.

Types come from a precision configuration (`lowering/config.py`: model default, per layer type, per
layer name; the `precision` option is the model default, `config` a YAML/JSON file or inline JSON).
For each layer and role:
- a given type is used as is: weights and biases are rounded into it at compile time, and a layer's
  value is cast into its result (and accumulator) type with the type's modes;
- `auto` weights, biases and table entries get the narrowest type of the model default's width that
  holds their values (`precision.auto_format`);
- an `auto` result becomes a `fixed.cast ... infer` to its own (exact) type, and an `auto` table is
  marked `infer`: infer-bitwidths chooses both from the reachable ranges.
Accumulators are exact unless a type is given. Tables are first sized for their input's whole type;
infer-bitwidths resizes them for the inputs actually reachable.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import AnyFloat, ModuleOp, TensorType, UnrealizedConversionCastOp, f64
from xdsl.ir import Operation
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import (
    GreedyRewritePatternApplier,
    PatternRewriter,
    PatternRewriteWalker,
    op_type_rewrite_pattern,
)
from xdsl.rewriter import InsertPoint

from dialects import fixed, nn
from dialects.errors import CompileError
from dialects.fixedpoint import (
    FixedFormat,
    Precision,
    parse_precision,
    sub_format,
)
from dialects.interfaces import RESULT, Layer
from lowering.config import INPUT, ConfigError, LayerInfo, PrecisionConfig
from lowering.fixed_building import (
    Lowering,
    converted,
    finish,
    layer_of,
    make_lookup,
    replace_with_fixed,
)
from lowering.nn_to_fixed_layers import PATTERNS as LAYER_PATTERNS
from lowering.nn_to_fixed_norm import LowerLayerNorm
from lowering.nn_to_fixed_quant import LowerFixedQuant, LowerQuant, input_quantizer
from lowering.nn_to_fixed_recurrent import LowerRecurrent
from lowering.precision import (
    AUTO_TABLE_WIDTH,
    DEFAULT_PRECISION,
    hardware_modes,
)
from lowering.tables import DOMAINS

# --------------------------------------------------------------------------------------------------
# Patterns


@dataclass
class QuantizeArguments(Lowering):
    """Float arguments are quantised on entry, with the input layer's precision (an input cannot be
    `auto`: without calibration nothing bounds it; it then takes the default precision)."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: func.FuncOp, rewriter: PatternRewriter) -> None:
        if op.is_declaration or op.body.block.first_op is None:
            return
        if isinstance(op.body.block.first_op, fixed.QuantizeOp):
            return  # already done
        point = InsertPoint.at_start(op.body.block)
        for arg in op.body.block.args:
            if not isinstance(arg.type, TensorType) or not isinstance(arg.type.element_type, AnyFloat):
                continue
            uses = list(arg.uses)
            quantizer = input_quantizer(uses)
            if quantizer is not None:  # the model quantizes its input itself: that type, once
                q = fixed.QuantizeOp(arg, *quantizer, layer=arg.name_hint).as_quantizer()
            else:
                spec = self.config.for_layer(arg.name_hint, INPUT).result
                p = spec if isinstance(spec, Precision) else parse_precision(DEFAULT_PRECISION)
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
        self.lower_weighted(op, rewriter, op.weight.type.get_shape()[0], fixed.DenseOp)


@dataclass
class LowerRelu(Lowering):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: nn.ReluOp, rewriter: PatternRewriter) -> None:
        x = converted(op.input)
        if x is None:
            return
        relu = fixed.ReluOp(x, layer_of(op))
        replace_with_fixed(rewriter, op, [relu, *finish(relu.output, self.settings(op).result, layer_of(op))])


@dataclass
class LowerTableActivation(Lowering):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: nn.SigmoidOp | nn.TanhOp, rewriter: PatternRewriter) -> None:
        x = converted(op.input)
        if x is None:
            return
        function = "sigmoid" if isinstance(op, nn.SigmoidOp) else "tanh"
        layer, s = layer_of(op), self.settings(op)
        fx = fixed.format_of(x)
        lookup = make_lookup(x, function, (fx.min_code, fx.max_code), DOMAINS[function], s, layer)
        replace_with_fixed(rewriter, op, [lookup, *finish(lookup.output, s.result, layer)])


@dataclass
class LowerSoftmax(Lowering):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: nn.SoftmaxOp, rewriter: PatternRewriter) -> None:
        x = converted(op.input)
        if x is None:
            return
        layer, s = layer_of(op), self.settings(op)
        axis = op.axis.value.data
        n = op.input.type.get_shape()[axis]
        fx = fixed.format_of(x)

        peak = fixed.ReduceMaxOp(x, axis, fx, layer)
        diff_fmt = sub_format(fx, fx)
        diff = fixed.SubOp(x, peak.output, diff_fmt, layer)
        # exp(d), d <= 0. An output is exp(d) / sum <= exp(d) (the sum is >= 1): below ln(half a step
        # of the result, or of the entries when the result is auto) d only matters through the sum.
        entries = s.table.format if isinstance(s.table, Precision) else FixedFormat(AUTO_TABLE_WIDTH, 1, False)
        result_frac = s.result.format.frac_bits if isinstance(s.result, Precision) else entries.frac_bits
        exp_floor = math.log(2.0 ** -(min(entries.frac_bits, result_frac) + 1))
        span = fx.max_code - fx.min_code
        exp = make_lookup(diff.output, "exp", (-span, 0), (exp_floor, float(diff_fmt.step)), s, layer)

        e = fixed.format_of(exp.output)
        total = fixed.ReduceSumOp(exp.output, axis, fixed.ReduceSumOp.bound_format(e, n), layer)
        # the largest input contributes exp(0) = 1, so the sum lies in [1, n]
        sum_fmt = fixed.format_of(total.output)
        one = 1 << sum_fmt.frac_bits
        # a one-element softmax still gets a two-code table domain (its sum is exactly 1)
        recip = make_lookup(total.output, "reciprocal", (one, n * one), (1.0, float(max(n, 2))), s, layer)
        r = fixed.format_of(recip.output)
        prod = fixed.MulOp(
            exp.output, recip.output, FixedFormat(e.width + r.width, e.int_bits + r.int_bits, False), layer
        )
        ops: list[Operation] = [peak, diff, exp, total, recip, prod, *finish(prod.output, s.result, layer)]
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
        float_layout = op.dialect_name() == "layout" and isinstance(op.results[0].type.element_type, AnyFloat)
        if op.dialect_name() == "nn" or float_layout or isinstance(op, UnrealizedConversionCastOp):
            layer = op.properties.get("layer")
            where = f"layer '{layer.data}' " if layer is not None else ""
            raise CompileError(f"nn-to-fixed: {where}({op.name}) could not be lowered")


def nn_layers(module: ModuleOp) -> list[LayerInfo]:
    """The layers a configuration may refer to, in order: graph inputs (type Input) and nn layers
    (their `Layer` interface: type and the settings they use); layout ops by name only."""
    layers: dict[str, LayerInfo] = {}
    for op in module.walk():
        if isinstance(op, func.FuncOp) and not op.is_declaration:
            for arg in op.body.block.args:
                if arg.name_hint:
                    layers.setdefault(arg.name_hint, LayerInfo(arg.name_hint, INPUT, frozenset({RESULT})))
        elif op.dialect_name() in ("nn", "layout") and not isinstance(op, nn.ConstantOp) and (name := layer_of(op)):
            if isinstance(op, Layer):  # the layer's own op, not a transpose the importer named after it
                layers[name] = LayerInfo(name, op.layer_kind(), op.settings_used())
            else:
                layers.setdefault(name, LayerInfo(name, None, frozenset()))
    return list(layers.values())


def patterns(config: PrecisionConfig) -> list[Lowering]:
    """One pattern per nn op (and the function's arguments and results)."""
    return [
        QuantizeArguments(config),
        LowerDense(config),
        LowerRelu(config),
        LowerTableActivation(config),
        LowerSoftmax(config),
        LowerLayerNorm(config),
        LowerQuant(config),
        LowerFixedQuant(config),
        LowerRecurrent(config),
        *(pattern(config) for pattern in LAYER_PATTERNS),
        DequantizeResults(config),
    ]


def load_config(config: str | None, precision: str, table_size: int) -> PrecisionConfig:
    """The pass's textual options as a configuration (errors name the pass)."""
    try:
        return PrecisionConfig.load(config or None, precision, table_size=table_size)
    except ConfigError as err:
        raise CompileError(f"nn-to-fixed: {err}") from None


@dataclass(frozen=True)
class NNToFixedPass(ModulePass):
    name = "nn-to-fixed"

    precision: str = DEFAULT_PRECISION
    table_size: int = 1024
    config: str = ""  # a YAML/JSON file, or inline JSON, in hls4ml's format (lowering/config.py)
    # in-process: the parsed configuration (`NNToFixedPass.configured`), instead of the text options
    configuration: PrecisionConfig | None = field(default=None, init=False, compare=False, repr=False)

    @staticmethod
    def configured(configuration: PrecisionConfig) -> NNToFixedPass:
        """The pass with a parsed configuration (its Model section holds the default precision and
        table size): how the compiler's pipeline runs it."""
        configured = NNToFixedPass()
        object.__setattr__(configured, "configuration", configuration)
        return configured

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        config = self.configuration or load_config(self.config, self.precision, self.table_size)
        try:
            config.check_applies(nn_layers(op))
        except ConfigError as err:
            raise CompileError(f"nn-to-fixed: {err}") from None
        # no DCE during the walk: the quantize of an unused argument must stay (it is a port)
        PatternRewriteWalker(GreedyRewritePatternApplier(patterns(config), dce_enabled=False)).rewrite_module(op)
        erase_dead(op)
        check_lowered(op)
