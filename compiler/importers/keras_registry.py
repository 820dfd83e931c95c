"""What a Keras layer handler sees: the importer it is given, the tables it registers in.

Takes nothing at import time (it depends on base.py only, and never imports keras or h5py); gives
`KerasNode` (one call of a Keras layer, read from a file or a live model by keras_files.py),
`KerasImporter` (Keras tensors bound to values), `HANDLERS` (layer class name -> handler),
`handles` (the decorator that fills it) and `ACTIVATION_RULES` (how an `activation=` that is not a
float activation, such as a QKeras quantizer string, becomes ops). The handler modules (keras_layers,
keras_quantized, keras_hgq) import this module; keras_importer imports them all and walks the graph.

Keras computes channels-last, as our spatial ops do: a Keras tensor's own axis order (batch dropped)
is its logical order and is stored as it is (identity layout), so a Keras model imports without a
single transpose, Flatten and Reshape included.

A handler `(imp, node)` reads its inputs with `imp.logical(node, ref)` (refs in `node.inputs`), its
weights from `node.weights` (numpy, by the variable's short name: "kernel", "bias", "gamma", ...),
its options from `node.config` (the layer's Keras config, Keras 2 and 3 alike), and binds its result
with `imp.bind(node, value)`; anything we do not support is `imp.fail(node, message)`. The ops it
emits carry `imp.layer(node)` (the Keras layer name; `<name>_call<k>` for a shared layer's later
calls); `imp.keras_major` says which Keras wrote the model (2 or 3), where their semantics differ.
Weights of layers that are not Keras' own, read from a `.keras` file (which numbers them), are
named `var_0`, `var_1`, ... (`<sublayer>/var_0` for nested ones): their handlers map them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from xdsl.builder import Builder
from xdsl.ir import SSAValue

from compiler.importers.base import Bound, Importer
from dialects.names import ascii_text

Ref = tuple[str, int, int]  # a Keras tensor: (layer name, call index, output index), as keras_history


@dataclass
class KerasNode:
    """One call of a Keras layer: its class, its name (the layer name the design's configuration
    and reports use), its config, its weights and the tensors it reads and makes."""

    class_name: str
    name: str
    config: dict[str, Any]
    weights: dict[str, np.ndarray] = field(default_factory=dict)
    inputs: list[Ref] = field(default_factory=list)
    outputs: list[Ref] = field(default_factory=list)


class KerasImporter(Importer):
    """Binds Keras tensors (refs) to values; a layer's weights are in its node, so there are no
    constant tensors between layers."""

    def __init__(self, builder: Builder, keras_major: int = 3):
        super().__init__(builder)
        self.values: dict[Ref, Bound] = {}
        self.constants: dict[Ref, np.ndarray] = {}
        self.keras_major = keras_major  # the Keras that wrote the model (2 or 3): hard_sigmoid differs

    def where(self, node: KerasNode) -> str:
        return f"layer '{node.name}' ({node.class_name})"

    def layer(self, node: KerasNode) -> str:
        """The Keras layer name (ASCII, so that the IR re-parses); a shared layer's later calls
        are `<name>_call<k>`."""
        call = node.outputs[0][1] if node.outputs else 0
        return ascii_text(node.name) + (f"_call{call}" if call else "")

    def output(self, node: KerasNode, index: int) -> Ref:
        return node.outputs[index]

    def constant(self, node: KerasNode, ref: Ref, what: str) -> np.ndarray:
        raise self.fail(node, f"the {what} must be a constant, but '{ref[0]}' is computed at run time")

    def bound(self, node: KerasNode, ref: Ref) -> Bound:
        if ref not in self.values:
            raise self.fail(node, f"input '{ref[0]}' is not made by any layer before it")
        return super().bound(node, ref)

    def weight(self, node: KerasNode, name: str) -> np.ndarray:
        """The layer's weight `name` as float32 (all finite), or an error naming it."""
        if name not in node.weights:
            held = ", ".join(sorted(node.weights)) or "none"
            raise self.fail(node, f"the weights file holds no '{name}' for it (it holds: {held})")
        array = np.asarray(node.weights[name], dtype=np.float32)
        if not np.isfinite(array).all():
            raise self.fail(node, f"weight '{name}' contains NaN or infinity")
        return array

    def const_value(self, node: KerasNode, array: np.ndarray) -> SSAValue:
        array = np.asarray(array, dtype=np.float32)
        if not np.isfinite(array).all():
            raise self.fail(node, "a constant contains NaN or infinity")
        return super().const_value(node, array)


Handler = Callable[[KerasImporter, KerasNode], None]
HANDLERS: dict[str, Handler] = {}  # Keras layer class name -> handler

# An activation given by a layer's `activation` option (or an Activation/QActivation layer) that a
# rule recognises: (imp, node, x, activation) -> the activated value, or None when it is not the
# rule's. Tried in order before the float activations.
ActivationRule = Callable[[KerasImporter, KerasNode, SSAValue, Any], SSAValue | None]
ACTIVATION_RULES: list[ActivationRule] = []


def handles(*class_names: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        for name in class_names:
            HANDLERS[name] = fn
        return fn

    return register
