"""nn-to-fixed for recurrent layers: `nn.lstm`, `nn.gru`, `nn.simple_rnn` -> `fixed.recurrence`.

Takes an nn recurrent op whose input is converted; gives a `fixed.recurrence` whose body is one time
step in exact arithmetic: the gates are two exact dense layers (input and hidden state, every gate
side by side, so the gates share the layer's multipliers as hls4ml's do) and their exact sum, each
gate a slice read through its activation (a sigmoid or tanh table, `fixed.lookup`, or any other of
the cell's activations as lowering/activation_ops.py builds it), the products exact, and each new
state cast explicitly into its type (the contract: all rounding in casts).

State types (hls4ml's: the hidden and cell states are in the layer's result type): a given result
precision is used with its modes. Under `auto` they are proven, not inferred (`model_bounds`): h =
o tanh(c) and a GRU's (1 - z) n + z h lie in [-1, 1], so h gets 2 integer bits; an LSTM's cell state
grows by at most 1 a step (|f c + i g| <= |c| + 1), so c gets the integer bits of |c0| + T; both keep
the default precision's fraction bits and round to nearest, saturating (other activations: see
`model_bounds`). A cell whose activations leave a state unbounded (relu, leaky relu, elu, ...) has
no such bound and needs a result precision. An `accum` precision, if given, is the gates' type before
the tables.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from xdsl.dialects.builtin import StringAttr, UnrealizedConversionCastOp
from xdsl.ir import Block, Operation, Region, SSAValue
from xdsl.pattern_rewriter import PatternRewriter, op_type_rewrite_pattern

from dialects import fixed, layout, nn
from dialects.errors import CompileError
from dialects.fixedpoint import (
    FixedFormat,
    Overflow,
    Precision,
    Rounding,
    add_format,
    mul_format,
    parse_precision,
    quantize_floats,
    sub_format,
)
from dialects.nn_recurrent import UNIT_INTERVAL, GRUOp, LSTMOp, RecurrentOp, SimpleRNNOp, function_bound
from lowering.activation_ops import CELL_BUILDERS
from lowering.config import AUTO
from lowering.fixed_building import Lowering, constant_codes, converted, layer_of
from lowering.precision import DEFAULT_PRECISION, hardware_modes

HIDDEN_INT_BITS = 2  # [-1, 1], with 1 itself


def float_constant(value: SSAValue, layer: str | None, what: str) -> np.ndarray:
    owner = value.owner
    if not isinstance(owner, nn.ConstantOp):
        raise CompileError(f"layer '{layer}': the {what} of a recurrent layer must be a constant")
    return owner.values().astype(np.float64)


@dataclass
class Step:
    """Builds one time step's ops into the body block."""

    block: Block
    layer: str | None

    def add(self, op: Operation) -> SSAValue:
        self.block.add_op(op)
        return op.results[0]

    def dense(self, x: SSAValue, w: fixed.ConstantOp, b: fixed.ConstantOp | None) -> SSAValue:
        self.block.add_op(w)
        if b is not None:
            self.block.add_op(b)
        n_in = w.result.type.get_shape()[0]
        fmt = fixed.dense_bound_format(
            fixed.format_of(x), fixed.format_of(w.result), b and fixed.format_of(b.result), n_in
        )
        return self.add(fixed.DenseOp(x, w.result, b.result if b else None, fmt, self.layer))

    def plus(self, a: SSAValue, b: SSAValue) -> SSAValue:
        fmt = add_format(fixed.format_of(a), fixed.format_of(b))
        return self.add(fixed.AddOp(a, b, fmt, self.layer))

    def minus(self, a: SSAValue, b: SSAValue) -> SSAValue:
        fmt = sub_format(fixed.format_of(a), fixed.format_of(b))
        return self.add(fixed.SubOp(a, b, fmt, self.layer))

    def times(self, a: SSAValue, b: SSAValue) -> SSAValue:
        fmt = mul_format(fixed.format_of(a), fixed.format_of(b))
        return self.add(fixed.MulOp(a, b, fmt, self.layer))

    def gate(self, gates: SSAValue, index: int, hidden: int) -> SSAValue:
        return self.add(layout.SliceOp(gates, [index * hidden], [hidden], self.layer))

    def cast(self, x: SSAValue, fmt: FixedFormat, modes: tuple[Rounding, Overflow]) -> SSAValue:
        if fixed.format_of(x) == fmt:
            return x
        return self.add(fixed.CastOp(x, fmt, *modes, layer=self.layer))


@dataclass
class LowerRecurrent(Lowering):
    """nn.lstm, nn.gru, nn.simple_rnn -> fixed.recurrence (see the module's docstring)."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: LSTMOp | GRUOp | SimpleRNNOp, rewriter: PatternRewriter) -> None:
        x = converted(op.input)
        if x is None:
            return
        layer, s = layer_of(op), self.settings(op)
        hidden, steps = op.hidden, op.steps
        initial = [float_constant(v, layer, "initial state") for v in op.operands[5:]]
        state_formats, modes = self.state_types(op, initial)
        inits = [
            fixed.ConstantOp(quantize_floats(v, fmt, *modes), fmt, layer) for v, fmt in zip(initial, state_formats)
        ]
        block = fixed.RecurrenceOp.step_block(x, [c.result for c in inits])
        step = Step(block, layer)
        x_t, *states = block.args
        weight = float_constant(op.weight, layer, "weight")
        recurrence = float_constant(op.recurrence, layer, "recurrence")
        bias = float_constant(op.bias, layer, "bias")
        recurrent_bias = float_constant(op.recurrent_bias, layer, "recurrent bias")

        def weights(values: np.ndarray) -> fixed.ConstantOp:
            return constant_codes(values, s.weight, s, self.default_width(), layer)

        def biases(values: np.ndarray) -> fixed.ConstantOp:
            return constant_codes(values, s.bias, s, self.default_width(), layer)

        def gates(from_input: SSAValue, from_state: SSAValue) -> SSAValue:
            pre = step.plus(from_input, from_state)
            return step.cast(pre, s.accum.format, hardware_modes(s.accum)) if s.accum != AUTO else pre

        functions, params = op.functions(), op.params()

        def table(value: SSAValue, slot: int) -> SSAValue:
            """The cell's activation number `slot` of a value (lowering/activation_ops.py). One with
            exact products (a hard sigmoid's alpha x) reads the value in the layer's result type (an
            `auto` one under auto), not at its full exact width, as a layer's activation reads the
            layer's cast result (an `accum` precision, if given, is already the gates' type)."""
            alpha, beta = params[slot]
            if functions[slot] not in ("sigmoid", "tanh", "relu") and s.accum == AUTO:
                if isinstance(s.result, Precision):  # the layer's type, as a layer's activation reads
                    value = step.cast(value, s.result.format, hardware_modes(s.result))
                else:
                    value = step.add(fixed.CastOp.inferred(value, Rounding.RND, Overflow.WRAP, layer))
            ops = CELL_BUILDERS[functions[slot]](value, alpha, beta, s, self.default_width(), layer)
            for new in ops:
                step.add(new)
            return ops[-1].results[0]

        bounds = model_bounds(op, initial)

        if isinstance(op, LSTMOp):
            h, c = states
            pre = gates(
                step.dense(x_t, weights(weight), biases(bias + recurrent_bias)),
                step.dense(h, weights(recurrence), None),
            )
            i, f, g, o = (step.gate(pre, k, hidden) for k in range(4))
            i, f, o, g = table(i, 0), table(f, 0), table(o, 0), table(g, 1)
            c_next = step.cast(step.plus(step.times(f, c), step.times(i, g)), state_formats[1], modes)
            h_next = step.cast(step.times(o, table(c_next, 2)), state_formats[0], modes)
            yielded = [h_next, h_next, c_next]
        elif isinstance(op, GRUOp):
            (h,) = states
            two = 2 * hidden
            from_x = step.dense(
                x_t, weights(weight), biases(np.concatenate([bias[:two] + recurrent_bias[:two], bias[two:]]))
            )
            if op.linear_before_reset is not None:
                rb = np.concatenate([np.zeros(two), recurrent_bias[two:]])
                from_h = step.dense(h, weights(recurrence), biases(rb) if np.any(rb) else None)
                pre = gates(
                    step.add(layout.SliceOp(from_x, [0], [two], layer)),
                    step.add(layout.SliceOp(from_h, [0], [two], layer)),
                )
                z, r = table(step.gate(pre, 0, hidden), 0), table(step.gate(pre, 1, hidden), 0)
                n_x, n_h = step.gate(from_x, 2, hidden), step.gate(from_h, 2, hidden)
                n_pre = step.plus(n_x, step.times(r, n_h))
            else:
                from_h = step.dense(h, weights(recurrence[:, :two]), None)
                pre = gates(step.add(layout.SliceOp(from_x, [0], [two], layer)), from_h)
                z, r = table(step.gate(pre, 0, hidden), 0), table(step.gate(pre, 1, hidden), 0)
                rb = recurrent_bias[two:]
                reset = step.dense(step.times(r, h), weights(recurrence[:, two:]), biases(rb) if np.any(rb) else None)
                n_pre = step.plus(step.gate(from_x, 2, hidden), reset)
            if s.accum != AUTO:
                n_pre = step.cast(n_pre, s.accum.format, hardware_modes(s.accum))
            n = table(n_pre, 1)
            h_next = step.cast(step.plus(n, step.times(z, step.minus(h, n))), state_formats[0], modes)
            yielded = [h_next, h_next]
        else:
            (h,) = states
            pre = gates(
                step.dense(x_t, weights(weight), biases(bias + recurrent_bias)),
                step.dense(h, weights(recurrence), None),
            )
            h_next = step.cast(table(pre, 0), state_formats[0], modes)
            yielded = [h_next, h_next]
        block.add_op(fixed.YieldOp(*yielded))
        output_type = fixed.fixed_tensor_type([steps, hidden], fixed.format_of(yielded[0]))
        recurrence_op = fixed.RecurrenceOp(
            x, [c.result for c in inits], output_type, Region(block), op.reverse is not None, bounds, layer
        )
        new_ops: list[Operation] = [*inits, recurrence_op]
        for new in new_ops:
            new.properties["layer_type"] = StringAttr(op.layer_kind())
        bridges = [
            UnrealizedConversionCastOp.get([new], [old.type]) for new, old in zip(recurrence_op.results, op.results)
        ]
        rewriter.replace(op, [*new_ops, *bridges], [b.results[0] for b in bridges])

    def state_types(
        self, op: RecurrentOp, initial: list[np.ndarray]
    ) -> tuple[list[FixedFormat], tuple[Rounding, Overflow]]:
        """The states' types and the modes of their casts (see the module's docstring)."""
        layer, spec = layer_of(op), self.settings(op).result
        if isinstance(spec, Precision):
            return [spec.format] * len(initial), hardware_modes(spec)
        bounds = model_bounds(op, initial)
        if bounds is None:
            raise CompileError(
                f"layer '{layer}': a {op.layer_kind()} with activations {', '.join(op.functions())} has an unbounded "
                "state: give it a result precision, not auto"
            )
        default = self.config.model.precision.get("default")
        frac = (default if isinstance(default, Precision) else parse_precision(DEFAULT_PRECISION)).format.frac_bits
        formats = []
        for bound in bounds[1:]:  # h (and c): their bounds hold the initial states too
            int_bits = HIDDEN_INT_BITS if bound <= 1 else math.floor(math.log2(bound)) + 2
            formats.append(FixedFormat(int_bits + frac, int_bits, True))
        return formats, (Rounding.RND, Overflow.SAT)


def model_bounds(op: RecurrentOp, initial: list[np.ndarray]) -> list[float] | None:
    """The largest |value| the float model's results (output sequence, h, and c) can take, or None
    when the cell's activations leave them unbounded. With gates in [0, 1] (sigmoid, hard sigmoid)
    and the candidate and output activations within B (function_bound: 1 for tanh, |alpha| for a
    scaled tanh): an LSTM's h = o h_act(c) is within B_h and its c grows by at most |i g| <= B_g a
    step (|f| <= 1); a GRU's h' = (1 - z) n + z h, a convex combination, stays within max(B_n, |h0|);
    a simple RNN's h within its activation's bound."""
    functions = op.functions()
    bound = [function_bound(f, *p) for f, p in zip(functions, op.params())]
    peak = [float(np.max(np.abs(v), initial=0.0)) for v in initial]
    gated = isinstance(op, LSTMOp | GRUOp)
    if gated and functions[0] not in UNIT_INTERVAL or any(b is None for b in bound[1:] if gated) or bound[0] is None:
        return None
    if isinstance(op, LSTMOp):
        h = max(bound[2], peak[0])
        return [h, h, peak[1] + bound[1] * op.steps]
    h = max(bound[1] if isinstance(op, GRUOp) else bound[0], peak[0])
    return [h, h]


PATTERNS = [LowerRecurrent]
