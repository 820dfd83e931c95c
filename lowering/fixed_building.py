"""Shared pieces of the nn-to-fixed patterns: the bridge between converted and not yet converted
values, and the type choices every layer makes (constants, casts into a result type, tables)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from xdsl.dialects.builtin import StringAttr, TensorType, UnrealizedConversionCastOp
from xdsl.ir import Operation, SSAValue
from xdsl.pattern_rewriter import PatternRewriter, RewritePattern

from dialects import fixed, nn
from dialects.errors import CompileError
from dialects.fixed_tables import function
from dialects.fixedpoint import FixedFormat, Overflow, Precision, Rounding, codes_to_floats, quantize_floats
from dialects.interfaces import Layer
from dialects.layer import LayerOp
from lowering.config import AUTO, LayerSettings, PrecisionConfig, Spec
from lowering.precision import AUTO_CONSTANT_WIDTH, AUTO_TABLE_WIDTH, auto_format, constant_modes, hardware_modes
from lowering.tables import table_layout

# --------------------------------------------------------------------------------------------------
# Helpers: the bridge between converted and not yet converted values, and type choices


def converted(value: SSAValue) -> SSAValue | None:
    """The fixed value standing for a float value, if its producer is converted already."""
    owner = value.owner
    if isinstance(owner, UnrealizedConversionCastOp) and isinstance(owner.inputs[0].type, TensorType):
        if isinstance(owner.inputs[0].type.element_type, fixed.FixedType):
            return owner.inputs[0]
    return None


def replace_with_fixed(rewriter: PatternRewriter, op: Operation, new_ops: list[Operation]) -> None:
    """Replace `op` by `new_ops`, handing its float users a bridge to the last op's fixed result.
    The new ops carry the layer's type (what fixed-to-dataflow looks its settings up with)."""
    if isinstance(op, Layer):
        layer_type = StringAttr(op.layer_kind())
        for new in new_ops:
            if isinstance(new, LayerOp):  # printed next to `layer`
                props = dict(new.properties)
                new.properties.clear()
                for key, value in props.items():
                    new.properties[key] = value
                    if key == "layer":
                        new.properties["layer_type"] = layer_type
                new.properties.setdefault("layer_type", layer_type)
    bridge = UnrealizedConversionCastOp.get([new_ops[-1].results[0]], [op.results[0].type])
    rewriter.replace(op, [*new_ops, bridge])


def layer_of(op: Operation) -> str | None:
    layer = op.properties.get("layer")
    return layer.data if layer is not None else None


def kind_of(op: Operation) -> str:
    """The layer type a configuration's LayerType refers to (the nn op's `Layer` interface)."""
    assert isinstance(op, Layer), op.name
    return op.layer_kind()


def auto_width(settings: LayerSettings, base: int) -> int:
    return min(base, settings.maximum.format.width) if settings.maximum else base


def constant(
    value: SSAValue, spec: Spec, settings: LayerSettings, default_width: int, layer: str | None, what: str
) -> fixed.ConstantOp:
    """A float constant as fixed codes: rounded into a given type, or in its narrowest `auto` type."""
    owner = value.owner
    if not isinstance(owner, nn.ConstantOp):
        raise CompileError(f"layer '{layer}': the {what} must be a constant")
    return constant_codes(owner.values(), spec, settings, default_width, layer)


def constant_codes(
    values: np.ndarray, spec: Spec, settings: LayerSettings, default_width: int, layer: str | None
) -> fixed.ConstantOp:
    """Codes for float constants (rounded into a given type, or their narrowest `auto` type), with
    the largest rounding error they carry."""
    if spec == AUTO:
        # under an error budget, as fine as the widest type: infer-bitwidths rounds them further
        width = settings.maximum.format.width if settings.budgeted else auto_width(settings, default_width)
        fmt, codes = auto_format(values, width)
    else:
        assert isinstance(spec, Precision)
        if spec.format.width + (0 if spec.format.signed else 1) > 64:
            raise CompileError(
                f"layer '{layer}': constants of type {spec.format} need more than 64 bits: give its weights and "
                "biases a narrower precision"
            )
        fmt, codes = spec.format, quantize_floats(values, spec.format, *constant_modes(spec))
    error = float(np.max(np.abs(codes_to_floats(codes, fmt) - values))) if values.size else 0.0
    return fixed.ConstantOp(codes, fmt, layer, error, infer=spec == AUTO and settings.budgeted)


def finish(value: SSAValue, spec: Spec, layer: str | None) -> list[Operation]:
    """Bring a layer's exact value into its type: a cast with the type's modes (none if already
    that type), or for `auto` a cast that infer-bitwidths will choose."""
    if spec == AUTO:
        return [fixed.CastOp.inferred(value, Rounding.RND, Overflow.WRAP, layer)]
    assert isinstance(spec, Precision)
    if fixed.format_of(value) == spec.format:
        return []
    return [fixed.CastOp(value, spec.format, *hardware_modes(spec), layer=layer)]


def last_value(ops: list[Operation], default: SSAValue) -> SSAValue:
    return ops[-1].results[0] if ops else default


def table_entries(values: np.ndarray, spec: Spec, width: int) -> tuple[FixedFormat, np.ndarray]:
    """A table's entries: rounded into a given type, or (`auto`) in the narrowest type of `width` bits."""
    if spec == AUTO:
        return auto_format(values, width)
    assert isinstance(spec, Precision)
    return spec.format, quantize_floats(values, spec.format, *constant_modes(spec))


def make_lookup(
    x: SSAValue,
    name: str,
    reach: tuple[int, int],
    domain: tuple[float, float],
    settings: LayerSettings,
    layer: str | None,
    params: tuple[float, ...] = (),
) -> fixed.LookupOp:
    fx = fixed.format_of(x)
    layout = table_layout(fx, reach, domain, settings.table_size)
    out, codes = table_entries(
        layout.values(function(name, params), fx), settings.table, auto_width(settings, AUTO_TABLE_WIDTH)
    )
    return fixed.LookupOp(
        x, name, layout.offset, layout.index, codes, out, layer, domain, settings.table == AUTO, params
    )


@dataclass
class Lowering(RewritePattern):
    """Base for patterns: holds the configuration."""

    config: PrecisionConfig

    def settings(self, op: Operation) -> LayerSettings:
        return self.config.for_layer(layer_of(op), kind_of(op))

    def default_width(self) -> int:
        default = self.config.model.precision.get("default")
        return default.format.width if isinstance(default, Precision) else AUTO_CONSTANT_WIDTH

    def lower_weighted(self, op: Operation, rewriter: PatternRewriter, taps: int, make) -> None:
        """A dense or conv layer: its weight and bias constants, the op `make(x, w, b, acc, layer)`
        with the exact accumulator of `taps` terms, then the user's accumulator and result types."""
        x = converted(op.input)
        if x is None:
            return
        layer, s = layer_of(op), self.settings(op)
        width = self.default_width()
        w = constant(op.weight, s.weight, s, width, layer, "weight")
        b = constant(op.bias, s.bias, s, width, layer, "bias") if op.bias is not None else None
        acc = fixed.dense_bound_format(
            fixed.format_of(x), fixed.format_of(w.result), b and fixed.format_of(b.result), taps
        )
        weighted = make(x, w.result, b.result if b else None, acc, layer)
        ops: list[Operation] = [w, *([b] if b else []), weighted]
        if s.accum != AUTO:
            ops += finish(weighted.output, s.accum, layer)
        ops += finish(last_value(ops, weighted.output), s.result, layer)
        replace_with_fixed(rewriter, op, ops)
