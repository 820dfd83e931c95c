"""Keras layer handlers for recurrent layers: LSTM, GRU (`reset_after` both ways) and SimpleRNN, and
the Bidirectional wrapper around them.

Takes a layer's config and its cell's weights: `kernel` [F, G*H], `recurrent_kernel` [H, G*H] and
`bias` ([G*H], or [2, G*H] for a GRU with `reset_after`: the input's biases, then the state's),
named so in .h5 files (`<cell>/kernel`, ...) and `cell/var_0..2` in .keras files and live models.
Keras' gate orders are the nn ops' (LSTM i, f, c, o; GRU z, r, h), and its GRU with `reset_after`
is ONNX's `linear_before_reset`. Gives the output sequence (`return_sequences`) or the last output,
and with `return_state` the final states as the layer's further outputs. With `go_backwards` the
steps run from the last one and the returned sequence is in that order (Keras'), so it is reversed
back. `activation` and `recurrent_activation` may be sigmoid, tanh, relu, hard_sigmoid (as the
file's Keras version defines it), linear, elu or softplus. Refused with the option named: other
activations, `stateful` and `time_major`. Dropouts are identities at
inference; `unit_forget_bias` only initialises the bias.
"""

from __future__ import annotations

import numpy as np
from xdsl.ir import SSAValue

from compiler.importers.keras_registry import KerasImporter, KerasNode, handles
from compiler.importers.layers import gather
from compiler.importers.recurrent import CellOptions, Direction, recurrent_stack
from dialects import layout, nn

CELL_OF = {"LSTM": "lstm", "GRU": "gru", "SimpleRNN": "rnn"}
GATES = {"lstm": 4, "gru": 3, "rnn": 1}
WEIGHT_ORDER = ("kernel", "recurrent_kernel", "bias")  # the cell's var_0, var_1, var_2 in .keras files


def _cell_weights(
    imp: KerasImporter, node: KerasNode, config: dict, held: dict[str, np.ndarray]
) -> dict[str, np.ndarray]:
    """The cell's weights (`held`: the layer's, or one direction's of a Bidirectional) by Keras name."""
    found: dict[str, np.ndarray] = {}
    for key, value in held.items():
        short = key.split("/")[-1].split(":")[0]
        if short.startswith("var_") and short[4:].isdigit() and int(short[4:]) < len(WEIGHT_ORDER):
            short = WEIGHT_ORDER[int(short[4:])]
        found[short] = np.asarray(value, dtype=np.float32)
    missing = [name for name in WEIGHT_ORDER[: 3 if config.get("use_bias", True) else 2] if name not in found]
    if missing:
        raise imp.fail(node, f"weights {', '.join(missing)} are missing (found {', '.join(held) or 'none'})")
    return found


def _name(value) -> str:
    return value if isinstance(value, str) else str((value or {}).get("config", {}).get("name", value))


def _function(imp: KerasImporter, node: KerasNode, option: str, name: str) -> tuple[str, tuple[float, float]]:
    """A Keras activation of a recurrent cell as the cell's (function, (alpha, beta)); Keras'
    hard_sigmoid follows the file's Keras version (2: 0.2 x + 0.5; 3: relu6(x + 3) / 6)."""
    functions = {
        "sigmoid": ("sigmoid", (0.0, 0.0)),
        "tanh": ("tanh", (0.0, 0.0)),
        "relu": ("relu", (0.0, 0.0)),
        "hard_sigmoid": ("hard_sigmoid", (1 / 6 if imp.keras_major >= 3 else 0.2, 0.5)),
        "linear": ("affine", (1.0, 0.0)),
        "elu": ("elu", (1.0, 0.0)),
        "softplus": ("softplus", (0.0, 0.0)),
    }
    if name not in functions:
        raise imp.fail(node, f"{option} {name!r} is not supported ({', '.join(functions)})")
    return functions[name]


def _run(
    imp: KerasImporter, node: KerasNode, class_name: str, config: dict, held: dict, x: SSAValue, name: str
) -> tuple[SSAValue, list[SSAValue]]:
    """One recurrent layer (`config`, weights `held`) on x [T, F]: its output sequence at the steps'
    own positions (a backwards layer's too) and its final states."""
    if class_name not in CELL_OF:
        raise imp.fail(node, f"wraps a {class_name}; supported: {', '.join(CELL_OF)}")
    cell = CELL_OF[class_name]
    for option in ("stateful", "time_major"):
        if config.get(option):
            raise imp.fail(node, f"{option}=True is not supported")
    options = CellOptions(linear_before_reset=bool(config.get("reset_after", cell == "gru")))
    activation = _function(imp, node, "activation", _name(config.get("activation", "tanh")))
    if cell == "rnn":
        functions = [activation]
    else:
        gate = _function(imp, node, "recurrent_activation", _name(config.get("recurrent_activation", "sigmoid")))
        functions = [gate, activation] + ([activation] if cell == "lstm" else [])
    options.activations = [f for f, _ in functions]
    options.params = [p for _, p in functions]
    features = x.type.get_shape()[1]
    weights = _cell_weights(imp, node, config, held)
    kernel, recurrent = weights["kernel"], weights["recurrent_kernel"]
    gates = GATES[cell]
    hidden = recurrent.shape[0]
    if kernel.shape != (features, gates * hidden) or recurrent.shape != (hidden, gates * hidden):
        raise imp.fail(
            node,
            f"kernel {list(kernel.shape)} and recurrent_kernel {list(recurrent.shape)} do not match "
            f"{features} features and {hidden} units",
        )
    bias = weights.get("bias", np.zeros(gates * hidden, np.float32))
    if cell == "gru" and options.linear_before_reset:
        if bias.shape != (2, gates * hidden):
            raise imp.fail(node, f"bias {list(bias.shape)} must be [2, {gates * hidden}] with reset_after")
        bias, recurrent_bias = bias[0], bias[1]
    else:
        recurrent_bias = np.zeros(gates * hidden, np.float32)
    if bias.shape != (gates * hidden,):
        raise imp.fail(node, f"bias {list(bias.shape)} must be [{gates * hidden}]")
    direction = Direction(kernel, recurrent, bias, recurrent_bias, reverse=bool(config.get("go_backwards", False)))
    output, (finals,) = recurrent_stack(imp, node, cell, x, [[direction]], options, name)
    return output, finals


def _sequence(imp: KerasImporter, node: KerasNode) -> SSAValue:
    x = imp.logical(node, node.inputs[0])
    if len(x.type.get_shape()) != 2:
        raise imp.fail(node, f"expects [batch, steps, features], got rank {len(x.type.get_shape()) + 1}")
    return x


@handles("LSTM", "GRU", "SimpleRNN")
def _recurrent(imp: KerasImporter, node: KerasNode) -> None:
    x = _sequence(imp, node)
    output, finals = _run(imp, node, node.class_name, node.config, node.weights, x, imp.layer(node))
    if not node.config.get("return_sequences", False):
        output = finals[0]
    elif node.config.get("go_backwards", False):  # Keras returns the steps in the order it ran them
        steps = x.type.get_shape()[0]
        output = gather(imp, node, output, 0, list(range(steps - 1, -1, -1)))
    imp.bind(node, output)
    for index in range(1, len(node.outputs)):  # return_state: h (and c)
        if index - 1 >= len(finals):
            raise imp.fail(node, f"has no output {index}")
        imp.bind(node, finals[index - 1], index=index)


MERGES = {"sum": nn.AddOp, "mul": nn.MulOp, "ave": nn.AddOp}


@handles("Bidirectional")
def _bidirectional(imp: KerasImporter, node: KerasNode) -> None:
    """A forward and a backward layer on the same sequence, their outputs merged (`merge_mode`
    concat, sum, mul or ave); the backward layer's sequence is at the steps' own positions, as
    Keras aligns it."""
    inner = node.config.get("layer") or {}
    forward = inner.get("config", {})
    backward_spec = node.config.get("backward_layer") or {
        "class_name": inner.get("class_name"),
        "config": {**forward, "go_backwards": not forward.get("go_backwards", False)},
    }
    merge = node.config.get("merge_mode", "concat")
    if merge not in ("concat", *MERGES):
        raise imp.fail(node, f"merge_mode {merge!r} is not supported (concat, sum, mul, ave)")
    if len(node.outputs) > 1:
        raise imp.fail(node, "return_state is not supported in a Bidirectional layer")
    x = _sequence(imp, node)
    outputs = []
    for side, spec in (
        ("forward", {"class_name": inner.get("class_name"), "config": forward}),
        ("backward", backward_spec),
    ):
        held = {k: v for k, v in node.weights.items() if k.split("/")[0].startswith(side)}
        output, finals = _run(imp, node, spec["class_name"], spec["config"], held, x, f"{imp.layer(node)}_{side}")
        outputs.append(output if forward.get("return_sequences", False) else finals[0])
    if merge == "concat":
        axis = len(outputs[0].type.get_shape()) - 1
        merged = imp.build(node, lambda: layout.ConcatOp(outputs, axis, imp.layer(node))).output
    else:
        merged = imp.build(node, lambda: MERGES[merge](outputs[0], outputs[1], imp.layer(node))).output
        if merge == "ave":
            half = imp.const_value(node, np.full(merged.type.get_shape()[-1:], 0.5, dtype=np.float32))
            merged = imp.build(node, lambda: nn.MulOp(merged, half, imp.layer(node))).output
    imp.bind(node, merged)
