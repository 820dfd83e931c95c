"""What an ONNX node handler sees: the importer it is given, the table it registers in, and small
helpers the handler modules share.

Takes nothing at import time (it depends on base.py only); gives `GraphImporter` (the ONNX importer:
tensor names bound to values or numpy constants), `HANDLERS` ((domain, op_type) -> handler),
`handles` (the decorator that fills it), and `describe`, `_ints`, `_text`, `_static_batch`. The
handler modules (onnx_ops, onnx_spatial, onnx_layout, onnx_resample, qonnx_ops) and
constant_folding import this module; onnx_importer imports them all and walks the graph.

A handler `(imp, node)` reads its inputs as values in the layout it needs (`imp.logical`,
`imp.spatial`) or as constants (`imp.constant`), and binds its outputs with the layout they are stored
in (`imp.bind`). Attributes follow the ONNX operator definitions (defaults included); anything outside
what we support is a CompileError naming the node and the attribute (`imp.fail`).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import onnx
from xdsl.builder import Builder

from compiler.importers.base import Bound, Importer


def describe(node: onnx.NodeProto) -> str:
    """How messages name a node: `node 'conv1' (Conv)`, with the domain when it is not ONNX's."""
    domain = f"{node.domain}." if node.domain not in ("", "ai.onnx") else ""
    return f"node '{node.name}' ({domain}{node.op_type})"


class GraphImporter(Importer):
    """Binds ONNX tensor names to values (with their layout) or to constants (numpy arrays: float
    ones as float32, integer ones as they are), walking the (shape-inferred) `model`'s graph in order."""

    def __init__(self, model: onnx.ModelProto, builder: Builder, opset: int = 13, batch_is_one: bool = False):
        super().__init__(builder)
        self.model = model
        self.opset = opset
        self.batch_is_one = batch_is_one  # the graph's inputs declare a batch of 1
        self.values: dict[str, Bound] = {}
        self.constants: dict[str, np.ndarray] = {}
        self.qlinear: dict[str, tuple] = {}  # QuantizeLinear outputs: (scale, zero, axis)

    def where(self, node: onnx.NodeProto) -> str:
        return describe(node)

    def output(self, node: onnx.NodeProto, index: int) -> str:
        return node.output[index]

    @staticmethod
    def attrs(node: onnx.NodeProto) -> dict[str, object]:
        return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}

    def constant(self, node: onnx.NodeProto, name: str, what: str) -> np.ndarray:
        if name not in self.constants:
            raise self.fail(node, f"the {what} must be a constant (initializer), but '{name}' is computed at run time")
        return self.constants[name]

    def optional_constant(self, node: onnx.NodeProto, index: int, what: str) -> np.ndarray | None:
        if len(node.input) <= index or not node.input[index]:
            return None
        return self.constant(node, node.input[index], what)

    MOVED_BATCH_HINT = "(a recurrent layer's time-major tensor): transpose it back first"

    def bound(self, node: onnx.NodeProto, name: str) -> Bound:
        if name not in self.values and name not in self.constants:
            raise self.fail(node, f"input '{name}' is not produced by any node")
        return super().bound(node, name)

    def alias(self, node: onnx.NodeProto) -> None:
        """The node's output is its first input (a constant stays one)."""
        source = node.input[0]
        if source in self.constants:
            self.constants[node.output[0]] = self.constants[source]
        else:
            self.values[node.output[0]] = self.bound(node, source)


Handler = Callable[[GraphImporter, onnx.NodeProto], None]
HANDLERS: dict[tuple[str, str], Handler] = {}  # (domain, op_type) -> handler; "" is ONNX's own domain


def handles(*op_types: str, domain: str = "") -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        for op_type in op_types:
            HANDLERS[(domain, op_type)] = fn
        return fn

    return register


def _ints(values) -> list[int]:
    return [int(v) for v in np.asarray(values).reshape(-1)]


def _text(value, default: str) -> str:
    """A string attribute (onnx gives bytes)."""
    if value is None:
        return default
    return value.decode() if isinstance(value, bytes) else str(value)


def _static_batch(imp: GraphImporter) -> int | None:
    """The batch size the graph's runtime inputs declare (dimension 0), if one static size."""
    initialized = {t.name for t in imp.model.graph.initializer}
    sizes = set()
    for value_info in imp.model.graph.input:
        dims = value_info.type.tensor_type.shape.dim
        if value_info.name not in initialized and dims and dims[0].dim_value > 0:
            sizes.add(dims[0].dim_value)
    return sizes.pop() if len(sizes) == 1 else None
