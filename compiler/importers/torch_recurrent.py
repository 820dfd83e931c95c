"""ATen handlers of PyTorch's recurrent layers: `nn.LSTM`, `nn.GRU`, `nn.RNN` as torch.export keeps
them (`aten.lstm.input`, `aten.gru.input`, `aten.rnn_tanh.input`, `aten.rnn_relu.input`).

Takes the node's flat parameter list (per layer and direction: weight_ih [G*H, F], weight_hh
[G*H, H], then bias_ih and bias_hh when the layer has biases) and its initial states hx
[layers*directions, batch, H]; gives the output sequence (result 0) through importers/recurrent.py.
With batch_first=False the input must be time-major (a transpose of the model's batch-first input:
its batch on axis 1), and so is the output sequence. PyTorch's GRU gates r, z, n become z, r, n, and its GRU is ONNX's
`linear_before_reset`. The final states h_n (and c_n) are [layers*directions, batch, H], the batch on
axis 1: they are bound as `BatchMoved` tensors, which `aten.select` reads (`h_n[-1]`, the last
layer's state, has the batch first again); any other reader is refused naming the tensor.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from compiler.importers.base import BatchMoved, Bound, identity
from compiler.importers.layers import gather
from compiler.importers.recurrent import CELLS, CellOptions, Direction, recurrent_stack, reorder_gates
from compiler.importers.torch_registry import TorchImporter, handles
from dialects import layout

CELL_OF = {"lstm": "lstm", "gru": "gru", "rnn_tanh": "rnn", "rnn_relu": "rnn"}
GATE_ORDER = {"lstm": (0, 1, 2, 3), "gru": (1, 0, 2), "rnn": (0,)}  # PyTorch's -> the nn ops'


def _initial_states(imp: TorchImporter, node, hx: Any, count: int) -> list[np.ndarray]:
    """hx [layers*directions, batch, H] as one [H] state per layer and direction (the same for every
    sample: a constant)."""
    states = imp.constant(node, hx, "initial state")
    if states.ndim != 3 or states.shape[0] != count:
        raise imp.fail(node, f"initial state of shape {list(states.shape)} expected [{count}, batch, hidden]")
    if not np.all(states == states[:, :1]):
        raise imp.fail(node, "the initial state differs between samples: only a constant state is supported")
    return [states[k, 0] for k in range(count)]


@handles("lstm", "gru", "rnn_tanh", "rnn_relu")
def recurrent(imp: TorchImporter, node, args: dict[str, Any]) -> None:
    kind = node.target.overloadpacket.__name__
    cell = CELL_OF[kind]
    gates = CELLS[cell]
    layers, bidirectional, with_bias = int(args["num_layers"]), bool(args["bidirectional"]), bool(args["has_biases"])
    directions = 2 if bidirectional else 1
    params = list(args["params"])
    per = 4 if with_bias else 2
    if len(params) != layers * directions * per:
        raise imp.fail(node, "LSTM projections (proj_size) are not supported")
    hx = args["hx"]
    hx = list(hx) if isinstance(hx, (list, tuple)) else [hx]
    initial = [_initial_states(imp, node, h, layers * directions) for h in hx]
    order = GATE_ORDER[cell]
    stack: list[list[Direction]] = []
    for depth in range(layers):
        row = []
        for d in range(directions):
            k = depth * directions + d
            w_ih, w_hh, *biases = (imp.constant(node, p, "weight") for p in params[k * per : (k + 1) * per])
            hidden = w_hh.shape[1]
            zeros = np.zeros(gates * hidden, dtype=np.float32)
            b_ih, b_hh = biases if biases else (zeros, zeros)
            row.append(
                Direction(
                    weight=reorder_gates(w_ih.T, order, gates),
                    recurrence=reorder_gates(w_hh.T, order, gates),
                    bias=reorder_gates(b_ih, order, gates),
                    recurrent_bias=reorder_gates(b_hh, order, gates),
                    initial=[states[k] for states in initial],
                    reverse=d == 1,
                )
            )
        stack.append(row)
    batch_first = bool(args.get("batch_first"))
    tensor, batch = imp.batch_bound(node, args["input"])
    if batch != (0 if batch_first else 1):
        raise imp.fail(
            node,
            f"its input has the batch on axis {batch}, but batch_first={batch_first} reads it on axis "
            f"{0 if batch_first else 1}" + ("" if batch_first else " (transpose the input: x.transpose(0, 1))"),
        )
    x = imp.arrange(node, tensor, identity(len(tensor.layout)))
    if len(x.type.get_shape()) != 2:
        raise imp.fail(node, f"expects [batch, steps, features], got rank {len(x.type.get_shape()) + 1}")
    options = CellOptions(linear_before_reset=True, activations=["relu"] if kind == "rnn_relu" else None)
    output, finals = recurrent_stack(imp, node, cell, x, stack, options)
    # the output sequence: [batch, T, D*H], or [T, batch, D*H] (the batch on axis 1)
    results: list[Bound] = [Bound(output, identity(2)) if batch_first else BatchMoved(output, identity(2), batch=1)]
    for k in range(len(finals[0])):  # h_n (and c_n): [layers*directions, batch, H], the batch on axis 1
        states = [f[k] for f in finals]
        joined = states[0] if len(states) == 1 else imp.emit(layout.ConcatOp(states, 0, imp.layer(node))).output
        value = imp.reshaped(node, joined, [len(states), states[0].type.get_shape()[0]])
        results.append(BatchMoved(value, identity(2), batch=1))
    imp.values[node] = tuple(results)


@handles("select")
def select(imp: TorchImporter, node, args: dict[str, Any]) -> None:
    """x.select(dim, index), e.g. a sequence's last step `output[:, -1]` or the last layer's final
    state `h_n[-1]` (whose batch is on axis 1, so the result has it first): a slice, the axis dropped."""
    tensor, batch = imp.batch_bound(node, args["self"])
    shape = tensor.logical_shape
    dim = int(args["dim"])
    dim = dim + len(shape) + 1 if dim < 0 else dim
    if dim == batch or not 0 <= dim <= len(shape):
        raise imp.fail(node, f"selecting along axis {int(args['dim'])} (the batch, or out of range) is not supported")
    axis = dim - (dim > batch)
    index = int(args["index"])
    if not -shape[axis] <= index < shape[axis]:
        raise imp.fail(node, f"index {index} is out of range for an axis of {shape[axis]}")
    x = imp.arrange(node, tensor, identity(len(shape)))
    picked = gather(imp, node, x, axis, [index % shape[axis]])
    kept = [n for i, n in enumerate(shape) if i != axis]
    imp.bind_batch(node, imp.reshaped(node, picked, kept), identity(len(kept)), batch - (dim < batch))
