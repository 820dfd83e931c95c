"""ONNX node handlers for LSTM, GRU and RNN (forward, reverse, bidirectional; `layout` 0 and 1).

Takes the registry (onnx_registry.py) and the shared recurrent builder (recurrent.py); gives nothing
but the handlers it registers. ONNX keeps W [D, G*H, F], R [D, G*H, H] and B [D, 2*G*H] (the input's
biases, then the state's), gates in the order i, o, f, c (LSTM), z, r, h (GRU); they become the nn
ops' layout and order. With `layout` 0 the sequences are time-major: X [T, B, F], Y [T, D, B, H],
Y_h / Y_c [D, B, H], so the batch is not the first axis of X and Y; the importer records where it
is (`BatchMoved`, importers/base.py), and Transpose and Squeeze move it back as exporters do around the
node. Initial states must be constants (the same for every sample); `sequence_lens` must be absent
or the full length for every sample. Activations: any of ONNX's list but Softsign, in any slot, with
their `activation_alpha`/`activation_beta` (the same for both directions). Refused with the option
named: Softsign, `clip`, peepholes (`P`), `input_forget`.
"""

from __future__ import annotations

import numpy as np
import onnx

from compiler.importers.base import identity
from compiler.importers.onnx_registry import GraphImporter, handles
from compiler.importers.recurrent import CELLS, CellOptions, Direction, recurrent_stack, reorder_gates
from dialects import layout
from dialects.nn_recurrent import DEFAULT_PARAMS

CELL_OF = {"LSTM": "lstm", "GRU": "gru", "RNN": "rnn"}
GATE_ORDER = {"lstm": (0, 2, 3, 1), "gru": (0, 1, 2), "rnn": (0,)}  # ONNX's -> the nn ops'
DEFAULT_ACTIVATIONS = {"lstm": ["Sigmoid", "Tanh", "Tanh"], "gru": ["Sigmoid", "Tanh"], "rnn": ["Tanh"]}


def _initial(imp: GraphImporter, node: onnx.NodeProto, index: int, directions: int, hidden: int, batch_axis: int):
    """A constant initial state [D, B, H] (or [B, D, H] with layout 1) as one [H] per direction."""
    array = imp.optional_constant(node, index, "initial state")
    if array is None:
        return None
    array = np.asarray(array, dtype=np.float32)
    if array.ndim != 3 or array.shape[1 - batch_axis] != directions or array.shape[2] != hidden:
        raise imp.fail(
            node, f"initial state of shape {list(array.shape)} does not match {directions} directions of {hidden}"
        )
    per_direction = np.moveaxis(array, batch_axis, 0)  # [B, D, H]
    if not np.all(per_direction == per_direction[:1]):
        raise imp.fail(node, "the initial state differs between samples: only a constant state is supported")
    return [per_direction[0, d] for d in range(directions)]


# ONNX's activation names -> the cells' (dialects/nn_recurrent.py); which take alpha, which beta
ONNX_FUNCTIONS = {
    "sigmoid": "sigmoid",
    "tanh": "tanh",
    "relu": "relu",
    "hardsigmoid": "hard_sigmoid",
    "leakyrelu": "leaky_relu",
    "thresholdedrelu": "thresholded_relu",
    "affine": "affine",
    "scaledtanh": "scaled_tanh",
    "elu": "elu",
    "softplus": "softplus",
}
TAKES_ALPHA = ("hard_sigmoid", "leaky_relu", "thresholded_relu", "affine", "scaled_tanh", "elu")
TAKES_BETA = ("hard_sigmoid", "affine", "scaled_tanh")


def _activations(imp: GraphImporter, node: onnx.NodeProto, cell: str, attrs, directions: int):
    """The cell's activations and their (alpha, beta), the same in both directions. ONNX lists
    `activation_alpha` and `activation_beta` in the order of the activations that take them; an
    activation missing its value takes its operator's default (Affine and ScaledTanh have none)."""
    given = [a.decode() if isinstance(a, bytes) else str(a) for a in attrs.get("activations", [])]
    slots = len(DEFAULT_ACTIVATIONS[cell])
    names = given or DEFAULT_ACTIVATIONS[cell] * directions
    if len(names) != slots * directions:
        raise imp.fail(node, f"activations {given}: {slots} per direction expected")
    unknown = [a for a in names if a.lower() not in ONNX_FUNCTIONS]
    if unknown:
        raise imp.fail(
            node, f"activation {unknown[0]} is not supported (no table here); supported: {', '.join(ONNX_FUNCTIONS)}"
        )
    functions = [ONNX_FUNCTIONS[a.lower()] for a in names]
    alphas = [float(v) for v in attrs.get("activation_alpha", [])]
    betas = [float(v) for v in attrs.get("activation_beta", [])]
    params = []
    for f in functions:
        default = DEFAULT_PARAMS.get(f)
        alpha = alphas.pop(0) if f in TAKES_ALPHA and alphas else None
        beta = betas.pop(0) if f in TAKES_BETA and betas else None
        if (f in TAKES_ALPHA and alpha is None or f in TAKES_BETA and beta is None) and default is None:
            raise imp.fail(node, f"activation {f} needs activation_alpha and activation_beta (it has no default)")
        default = default or (0.0, 0.0)
        params.append((alpha if alpha is not None else default[0], beta if beta is not None else default[1]))
    per_direction = [
        (functions[d * slots : (d + 1) * slots], params[d * slots : (d + 1) * slots]) for d in range(directions)
    ]
    if per_direction[-1] != per_direction[0]:
        raise imp.fail(node, f"activations {given} differ between the directions (not supported)")
    functions, params = per_direction[0]
    parametric = any(f in TAKES_ALPHA for f in functions)
    return functions, params if parametric else None


@handles("LSTM", "GRU", "RNN")
def _recurrent(imp: GraphImporter, node: onnx.NodeProto) -> None:
    cell = CELL_OF[node.op_type]
    gates = CELLS[cell]
    attrs = imp.attrs(node)
    direction = attrs.get("direction", b"forward")
    direction = direction.decode() if isinstance(direction, bytes) else str(direction)
    if direction not in ("forward", "reverse", "bidirectional"):
        raise imp.fail(node, f"direction {direction!r} is not forward, reverse or bidirectional")
    directions = 2 if direction == "bidirectional" else 1
    if "clip" in attrs:
        raise imp.fail(node, "clip is not supported")
    if int(attrs.get("input_forget", 0)):
        raise imp.fail(node, "input_forget is not supported")
    options = CellOptions(linear_before_reset=bool(int(attrs.get("linear_before_reset", 0))))
    options.activations, options.params = _activations(imp, node, cell, attrs, directions)
    batch_first = int(attrs.get("layout", 0)) == 1
    x_bound, x_batch = imp.batch_bound(node, node.input[0])
    if x_batch != (0 if batch_first else 1):
        raise imp.fail(
            node,
            f"X has the batch on axis {x_batch}, but layout {int(batch_first)} puts it on axis {int(not batch_first)}",
        )
    w = np.asarray(imp.constant(node, node.input[1], "W"), dtype=np.float32)
    r = np.asarray(imp.constant(node, node.input[2], "R"), dtype=np.float32)
    hidden = r.shape[-1]
    if w.shape[0] != directions or r.shape != (directions, gates * hidden, hidden):
        raise imp.fail(node, f"R of shape {list(r.shape)} does not match {directions} directions of {gates} gates")
    b = imp.optional_constant(node, 3, "B")
    b = np.zeros((directions, 2 * gates * hidden), np.float32) if b is None else np.asarray(b, dtype=np.float32)
    steps = x_bound.logical_shape[0]
    lens = imp.optional_constant(node, 4, "sequence_lens")
    if lens is not None and np.any(np.asarray(lens) != steps):
        raise imp.fail(
            node,
            f"sequence_lens {np.asarray(lens).ravel().tolist()} varies: only full sequences of {steps} are supported",
        )
    if len(node.input) > 7 and node.input[7] and np.any(imp.constant(node, node.input[7], "P")):
        raise imp.fail(node, "peepholes (P) are not supported")
    state_batch = 0 if batch_first else 1
    initial = [_initial(imp, node, i, directions, hidden, state_batch) for i in ((5, 6) if cell == "lstm" else (5,))]
    order = GATE_ORDER[cell]
    row = []
    for d in range(directions):
        states = [s[d] if s is not None else np.zeros(hidden, np.float32) for s in initial]
        row.append(
            Direction(
                weight=reorder_gates(w[d].T, order, gates),
                recurrence=reorder_gates(r[d].T, order, gates),
                bias=reorder_gates(b[d, : gates * hidden], order, gates),
                recurrent_bias=reorder_gates(b[d, gates * hidden :], order, gates),
                initial=states,
                reverse=direction == "reverse" or d == 1,
            )
        )
    x = imp.arrange(node, x_bound, identity(2))  # [T, F]
    output, finals = recurrent_stack(imp, node, cell, x, [row], options)
    name = imp.layer(node)
    # Y: [T, D, H] per sample, its batch on axis 2 (layout 0) or 0 (layout 1)
    if len(node.output) > 0 and node.output[0]:
        y = imp.reshaped(node, output, [steps, directions, hidden])
        imp.bind_batch(node, y, identity(3), 0 if batch_first else 2)
    for index in range(1, len(node.output)):  # Y_h, Y_c: [D, H] per sample
        if not node.output[index]:
            continue
        states = [f[index - 1] for f in finals]
        joined = states[0] if len(states) == 1 else imp.emit(layout.ConcatOp(states, 0, name)).output
        value = imp.reshaped(node, joined, [directions, hidden])
        imp.bind_batch(node, value, identity(2), 0 if batch_first else 1, index)
