"""Recurrent layers, built alike for every front end once each direction's weights are known.

Takes the sequence [T, F] (one sample, time first), the cell kind and, per layer of a stack, one or two
`Direction`s whose weights are already in the nn ops' layout and gate order (dialects/nn_recurrent.py);
emits one `nn.lstm` / `nn.gru` / `nn.simple_rnn` per direction and layer (a bidirectional layer's two
outputs joined on the feature axis, forward first, as PyTorch and ONNX order them) and gives the last
layer's output sequence [T, D*H] and each direction's final states. Gate reordering from a framework's
order is `reorder_gates`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from xdsl.ir import SSAValue

from compiler.importers.base import Importer, Node
from dialects import layout, nn
from dialects.nn_recurrent import GRUOp, LSTMOp, SimpleRNNOp

CELLS = {"lstm": 4, "gru": 3, "rnn": 1}


def reorder_gates(array: np.ndarray, order: Sequence[int], gates: int, axis: int = -1) -> np.ndarray:
    """The gate blocks along `axis` taken in `order` (e.g. PyTorch's GRU r, z, n -> z, r, n: (1, 0, 2))."""
    blocks = np.split(np.asarray(array, dtype=np.float32), gates, axis=axis)
    return np.concatenate([blocks[k] for k in order], axis=axis)


@dataclass
class Direction:
    """One direction of one layer: weights in nn layout ([in, G*H]), gate order of the nn ops."""

    weight: np.ndarray
    recurrence: np.ndarray
    bias: np.ndarray
    recurrent_bias: np.ndarray
    initial: list[np.ndarray] = field(default_factory=list)  # h0 (and c0), [H]; zeros when empty
    reverse: bool = False


@dataclass
class CellOptions:
    linear_before_reset: bool = True  # GRU
    activations: list[str] | None = None  # the cell's f, g, h (None: its defaults)
    params: list[tuple[float, float]] | None = None  # each activation's (alpha, beta) (None: defaults)

    @property
    def activation(self) -> str:
        """A simple RNN's one activation."""
        return self.activations[0] if self.activations else "tanh"


def recurrent_stack(
    imp: Importer,
    node: Node,
    cell: str,
    x: SSAValue,
    stack: list[list[Direction]],
    options: CellOptions,
    name: str | None = None,
) -> tuple[SSAValue, list[list[SSAValue]]]:
    """The ops of a stack of recurrent layers on `x` [T, F]: its output sequence and, per layer and
    direction, the final states (h, and c for an LSTM). `name`: the layers' name (the node's)."""
    base = name or imp.layer(node)
    finals: list[list[SSAValue]] = []
    for depth, directions in enumerate(stack):
        outputs = []
        for direction in directions:
            name = base if len(stack) == 1 else f"{base}_l{depth}"
            name = f"{name}_reverse" if direction.reverse and len(directions) == 2 else name
            op = imp.build(node, lambda d=direction, n=name, seq=x: make_cell(imp, node, cell, seq, d, options, n))
            outputs.append(op.output)
            finals.append(list(op.results[1:]))
        if len(outputs) == 1:
            x = outputs[0]
        else:
            joined = f"{base}_l{depth}_concat"
            x = imp.build(node, lambda outs=outputs, name=joined: layout.ConcatOp(outs, 1, name)).output
    return x, finals


def make_cell(
    imp: Importer, node: Node, cell: str, x: SSAValue, d: Direction, options: CellOptions, name: str
) -> nn.LSTMOp | nn.GRUOp | nn.SimpleRNNOp:
    hidden = np.asarray(d.recurrence).shape[0]
    states = 2 if cell == "lstm" else 1
    initial = d.initial or [np.zeros(hidden, dtype=np.float32)] * states
    if len(initial) != states:
        raise imp.fail(node, f"{cell} needs {states} initial states, got {len(initial)}")

    def const(array: np.ndarray) -> SSAValue:
        return imp.emit(nn.ConstantOp(nn.dense_floats(np.asarray(array, dtype=np.float32)), name)).result

    operands = [x, *(const(a) for a in (d.weight, d.recurrence, d.bias, d.recurrent_bias)), *map(const, initial)]
    if cell == "lstm":
        return LSTMOp(*operands, layer=name, reverse=d.reverse, activations=options.activations, params=options.params)
    if cell == "gru":
        return GRUOp(
            *operands,
            layer=name,
            reverse=d.reverse,
            linear_before_reset=options.linear_before_reset,
            activations=options.activations,
            params=options.params,
        )
    return SimpleRNNOp(*operands, layer=name, reverse=d.reverse, activation=options.activation, params=options.params)
