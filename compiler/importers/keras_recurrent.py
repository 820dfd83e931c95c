"""Keras layer handlers for recurrent layers: LSTM, GRU (`reset_after` both ways) and SimpleRNN.

Takes a layer's config and its cell's weights: `kernel` [F, G*H], `recurrent_kernel` [H, G*H] and
`bias` ([G*H], or [2, G*H] for a GRU with `reset_after`: the input's biases, then the state's),
named so in .h5 files (`<cell>/kernel`, ...) and `cell/var_0..2` in .keras files and live models.
Keras' gate orders are the nn ops' (LSTM i, f, c, o; GRU z, r, h), and its GRU with `reset_after`
is ONNX's `linear_before_reset`. Gives the output sequence (`return_sequences`) or the last output,
and with `return_state` the final states as the layer's further outputs. With `go_backwards` the
steps run from the last one and the returned sequence is in that order (Keras'), so it is reversed
back. Refused with the option named: activations other than tanh (relu for SimpleRNN) and a
recurrent activation other than sigmoid, `stateful` and `time_major`. Dropouts are identities at
inference; `unit_forget_bias` only initialises the bias.
"""

from __future__ import annotations

import numpy as np

from compiler.importers.keras_registry import KerasImporter, KerasNode, handles
from compiler.importers.layers import gather
from compiler.importers.recurrent import CellOptions, Direction, recurrent_stack

CELL_OF = {"LSTM": "lstm", "GRU": "gru", "SimpleRNN": "rnn"}
GATES = {"lstm": 4, "gru": 3, "rnn": 1}
WEIGHT_ORDER = ("kernel", "recurrent_kernel", "bias")  # the cell's var_0, var_1, var_2 in .keras files


def _cell_weights(imp: KerasImporter, node: KerasNode) -> dict[str, np.ndarray]:
    """The cell's weights by their Keras names."""
    found: dict[str, np.ndarray] = {}
    for key, value in node.weights.items():
        short = key.split("/")[-1].split(":")[0]
        if short.startswith("var_") and short[4:].isdigit() and int(short[4:]) < len(WEIGHT_ORDER):
            short = WEIGHT_ORDER[int(short[4:])]
        found[short] = np.asarray(value, dtype=np.float32)
    missing = [name for name in WEIGHT_ORDER[: 3 if node.config.get("use_bias", True) else 2] if name not in found]
    if missing:
        raise imp.fail(node, f"weights {', '.join(missing)} are missing (found {', '.join(node.weights) or 'none'})")
    return found


def _name(value) -> str:
    return value if isinstance(value, str) else str((value or {}).get("config", {}).get("name", value))


@handles("LSTM", "GRU", "SimpleRNN")
def _recurrent(imp: KerasImporter, node: KerasNode) -> None:
    cell = CELL_OF[node.class_name]
    config = node.config
    for option in ("stateful", "time_major"):
        if config.get(option):
            raise imp.fail(node, f"{option}=True is not supported")
    options = CellOptions(linear_before_reset=bool(config.get("reset_after", cell == "gru")))
    activation = _name(config.get("activation", "tanh"))
    if activation != "tanh" and not (cell == "rnn" and activation == "relu"):
        raise imp.fail(node, f"activation {activation!r} is not supported (tanh{', relu' if cell == 'rnn' else ''})")
    options.activation = activation
    recurrent_activation = _name(config.get("recurrent_activation", "sigmoid"))
    if cell != "rnn" and recurrent_activation != "sigmoid":
        raise imp.fail(node, f"recurrent_activation {recurrent_activation!r} is not supported (sigmoid only)")
    x = imp.logical(node, node.inputs[0])
    if len(x.type.get_shape()) != 2:
        raise imp.fail(node, f"expects [batch, steps, features], got rank {len(x.type.get_shape()) + 1}")
    steps, features = x.type.get_shape()
    weights = _cell_weights(imp, node)
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
    backwards = bool(config.get("go_backwards", False))
    direction = Direction(kernel, recurrent, bias, recurrent_bias, reverse=backwards)
    output, (finals,) = recurrent_stack(imp, node, cell, x, [[direction]], options)
    if not config.get("return_sequences", False):
        output = finals[0]
    elif backwards:  # Keras returns the steps in the order it ran them
        output = gather(imp, node, output, 0, list(range(steps - 1, -1, -1)))
    imp.bind(node, output)
    for index in range(1, len(node.outputs)):  # return_state: h (and c)
        if index - 1 >= len(finals):
            raise imp.fail(node, f"has no output {index}")
        imp.bind(node, finals[index - 1], index=index)
