"""Constant folding during ONNX import, by onnx's own reference implementation.

Exporters compute reshape targets at run time (`Shape -> Gather -> Unsqueeze -> Concat -> Reshape`),
transpose constant weights with a node, or leave `Pow(c, 0.5)` for a normalisation. A standard-domain
node whose inputs are all constants is evaluated once with `onnx.reference.ReferenceEvaluator` (the
ONNX project's executable specification of every operator) and its outputs become constants. `Shape`
of a runtime tensor is a constant too: every dimension is static except the batch, which is the
declared batch size, or -1 (what `Reshape` reads as "the batch") when the batch is dynamic; a
`ConstantOfShape` of such a shape is one constant for every sample (the -1 becomes 1).

Takes a `GraphImporter` (onnx_registry.py); gives `fold(imp, node)`, which onnx_importer calls on
every node before looking up its handler.
"""

from __future__ import annotations

import numpy as np
import onnx
import onnx.numpy_helper
from onnx.reference import ReferenceEvaluator

from compiler.importers.onnx_registry import GraphImporter

STANDARD = ("", "ai.onnx")
NOT_FOLDED = {"Constant", "QuantizeLinear", "DequantizeLinear"}  # handlers of their own (QCDQ pairs)


def _batch(imp: GraphImporter) -> int:
    initialized = {t.name for t in imp.model.graph.initializer}
    for value_info in imp.model.graph.input:
        dims = value_info.type.tensor_type.shape.dim
        if value_info.name not in initialized and dims:
            return dims[0].dim_value if dims[0].HasField("dim_value") else -1
    return -1


def _shape(imp: GraphImporter, node: onnx.NodeProto) -> bool:
    if node.input[0] in imp.constants:
        return False
    tensor, batch = imp.batch_bound(node, node.input[0])  # the batch may be off axis 0 (time-major)
    shape = list(tensor.logical_shape)
    dims = np.array([*shape[:batch], _batch(imp), *shape[batch:]], dtype=np.int64)
    attrs = imp.attrs(node)
    start, end = int(attrs.get("start", 0)), attrs.get("end")
    imp.constants[node.output[0]] = dims[start : int(end) if end is not None else None]
    return True


def _constant_of_shape(imp: GraphImporter, node: onnx.NodeProto) -> bool:
    """A constant filled with one value. A -1 in its shape is the dynamic batch (a Shape of a runtime
    tensor gave it): that axis becomes 1, a constant that is the same for every sample and broadcasts
    over the batch (exporters build a recurrent layer's zero initial state this way)."""
    shape = [int(d) for d in np.asarray(imp.constants[node.input[0]]).ravel()]
    if any(d < -1 for d in shape):
        raise imp.fail(node, f"shape {shape} has negative dimensions")
    value = imp.attrs(node).get("value")
    fill = onnx.numpy_helper.to_array(value).ravel() if value is not None else np.zeros(1, dtype=np.float32)
    array = np.full([1 if d == -1 else d for d in shape], fill[0], dtype=fill.dtype)
    imp.constants[node.output[0]] = array.astype(np.float32) if array.dtype.kind == "f" else array
    return True


def fold(imp: GraphImporter, node: onnx.NodeProto) -> bool:
    """Evaluate `node` if it is a standard op on constants (or a Shape); True when folded."""
    if node.domain not in STANDARD or node.op_type in NOT_FOLDED or not node.input:
        return False
    if node.op_type == "Shape":
        return _shape(imp, node)
    if node.op_type == "ConstantOfShape" and node.input[0] in imp.constants:
        return _constant_of_shape(imp, node)
    names = [name for name in node.input if name]
    if not all(name in imp.constants for name in names):
        return False
    inputs = [onnx.helper.make_tensor_value_info(name, onnx.TensorProto.UNDEFINED, None) for name in names]
    outputs = [onnx.helper.make_tensor_value_info(name, onnx.TensorProto.UNDEFINED, None) for name in node.output]
    graph = onnx.helper.make_graph([node], "fold", inputs, outputs)
    model = onnx.helper.make_model(graph, opset_imports=[onnx.helper.make_opsetid("", imp.opset)])
    try:
        results = ReferenceEvaluator(model).run(None, {name: imp.constants[name] for name in names})
    except Exception as err:  # the reference raises whatever the operator's code raises
        raise imp.fail(node, f"cannot evaluate on its constant inputs ({' '.join(str(err).split())[:200]})") from None
    for name, value in zip(node.output, results):
        if name:
            array = np.asarray(value)
            imp.constants[name] = array.astype(np.float32) if array.dtype.kind == "f" else array
    return True
