"""ONNX -> `nn` dialect.

Takes an ONNX file (float model), runs onnx's shape inference, and gives a module with one
`func.func` named after the model: one argument per graph input and one result per graph output,
each a per-sample `tensor<...xf32>` (the leading batch dimension is dropped; every other dimension
must be static). Initializers and Constant nodes become `nn.constant`; each supported node becomes
nn ops carrying the node name as `layer`. No-op nodes (Identity, Dropout, Flatten/Reshape that keep
the per-sample shape) are dropped. Anything else is a `CompileError` naming the node.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import onnx
from onnx import numpy_helper
from xdsl.builder import Builder
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp, TensorType, f32
from xdsl.ir import Block, Region, SSAValue
from xdsl.rewriter import InsertPoint

from compiler.errors import CompileError
from compiler.names import c_identifier
from dialects import nn

FLOAT_TYPES = {onnx.TensorProto.FLOAT, onnx.TensorProto.DOUBLE, onnx.TensorProto.FLOAT16}


def load_onnx(path: str | os.PathLike[str]) -> onnx.ModelProto:
    """Read an ONNX file, refusing external data that points outside the model's folder."""
    path = Path(path)
    if not path.is_file():
        raise CompileError(f"{path}: no such file")
    try:
        model = onnx.load(str(path), load_external_data=False)
    except Exception as err:  # protobuf raises several types for corrupt input
        raise CompileError(f"{path}: not an ONNX model ({type(err).__name__})") from None
    if not model.graph.node and not model.graph.input:
        raise CompileError(f"{path}: not an ONNX model (no graph)")
    base = path.resolve().parent
    for tensor in model.graph.initializer:
        if tensor.data_location != onnx.TensorProto.EXTERNAL:
            continue
        location = next((e.value for e in tensor.external_data if e.key == "location"), "")
        target = (base / location).resolve()
        if os.path.isabs(location) or not target.is_relative_to(base) or not target.is_file():
            raise CompileError(
                f"{path}: initializer '{tensor.name}' refers to external data {location!r} outside the "
                "model's folder or missing"
            )
    try:
        onnx.load_external_data_for_model(model, str(base))
    except Exception as err:
        raise CompileError(f"{path}: cannot read external data ({err})") from None
    return model


@dataclass
class GraphImporter:
    """Walks the graph once, in order, binding ONNX tensor names to SSA values or constants."""

    model: onnx.ModelProto
    builder: Builder
    values: dict[str, SSAValue] = field(default_factory=dict)
    constants: dict[str, np.ndarray] = field(default_factory=dict)
    output_shapes: dict[str, tuple[int, ...]] = field(default_factory=dict)
    opset: int = 13

    # ---------------------------------------------------------------------------------------------
    def value(self, node: onnx.NodeProto, name: str) -> SSAValue:
        if name in self.values:
            return self.values[name]
        if name in self.constants:
            return self.materialize(self.constants[name], None)
        raise CompileError(f"node '{node.name}' ({node.op_type}): input '{name}' is not produced by any node")

    def materialize(self, array: np.ndarray, layer: str | None) -> SSAValue:
        op = self.builder.insert(nn.ConstantOp(nn.dense_floats(array), layer))
        return op.result

    def constant(self, node: onnx.NodeProto, name: str, what: str) -> np.ndarray:
        if name not in self.constants:
            raise CompileError(
                f"node '{node.name}' ({node.op_type}): the {what} must be a constant (initializer), "
                f"but '{name}' is computed at run time"
            )
        return self.constants[name]

    @staticmethod
    def attrs(node: onnx.NodeProto) -> dict[str, object]:
        return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}

    def shape(self, value: SSAValue) -> tuple[int, ...]:
        return value.type.get_shape()

    # ---------------------------------------------------------------------------------------------
    def run(self) -> None:
        for node in self.model.graph.node:
            handler = HANDLERS.get(node.op_type) if node.domain in ("", "ai.onnx") else None
            if handler is None:
                domain = f"{node.domain}." if node.domain else ""
                raise CompileError(
                    f"node '{node.name}' ({domain}{node.op_type}): operator not supported; "
                    f"supported: {', '.join(sorted(HANDLERS))}"
                )
            handler(self, node)

    def bind(self, node: onnx.NodeProto, value: SSAValue, index: int = 0) -> None:
        self.values[node.output[index]] = value

    def alias(self, node: onnx.NodeProto) -> None:
        source = node.input[0]
        if source in self.constants:
            self.constants[node.output[0]] = self.constants[source]
        else:
            self.values[node.output[0]] = self.value(node, source)


# -------------------------------------------------------------------------------------------------
# Node handlers: one function per ONNX operator


def _constant(imp: GraphImporter, node: onnx.NodeProto) -> None:
    attrs = imp.attrs(node)
    if "value" not in attrs:
        raise CompileError(f"node '{node.name}' (Constant): only the 'value' form is supported")
    imp.constants[node.output[0]] = numpy_helper.to_array(attrs["value"]).astype(np.float32)


def _identity(imp: GraphImporter, node: onnx.NodeProto) -> None:
    imp.alias(node)


def _reshape_like(imp: GraphImporter, node: onnx.NodeProto) -> None:
    """Flatten/Reshape that keep the per-sample shape are no-ops; others wait for nn.reshape."""
    x = imp.value(node, node.input[0])
    out_shape = imp.output_shapes.get(node.output[0])
    if out_shape is not None and tuple(out_shape[1:]) == imp.shape(x):
        imp.alias(node)
        return
    raise CompileError(
        f"node '{node.name}' ({node.op_type}): changes the per-sample shape {list(imp.shape(x))} "
        f"to {list(out_shape[1:]) if out_shape else 'an unknown shape'}; not supported yet"
    )


def _dense(imp: GraphImporter, node: onnx.NodeProto, weight: np.ndarray, bias: np.ndarray | None) -> None:
    x = imp.value(node, node.input[0])
    if not imp.shape(x) or imp.shape(x)[-1] != weight.shape[0]:
        raise CompileError(
            f"node '{node.name}' ({node.op_type}): input shape {list(imp.shape(x))} does not match "
            f"the weight shape {list(weight.shape)}"
        )
    w = imp.materialize(weight, node.name)
    b = imp.materialize(bias, node.name) if bias is not None else None
    imp.bind(node, imp.builder.insert(nn.DenseOp(x, w, b, layer=node.name)).output)


def _gemm(imp: GraphImporter, node: onnx.NodeProto) -> None:
    attrs = imp.attrs(node)
    if attrs.get("transA", 0):
        raise CompileError(f"node '{node.name}' (Gemm): transA=1 is not supported")
    weight = imp.constant(node, node.input[1], "weight B")
    if weight.ndim != 2:
        raise CompileError(f"node '{node.name}' (Gemm): weight must be 2-D, got shape {list(weight.shape)}")
    if attrs.get("transB", 0):
        weight = weight.T
    weight = weight * np.float32(attrs.get("alpha", 1.0))
    bias = None
    if len(node.input) > 2 and node.input[2]:
        c = imp.constant(node, node.input[2], "bias C") * np.float32(attrs.get("beta", 1.0))
        try:
            bias = np.broadcast_to(c, (1, weight.shape[1])).reshape(weight.shape[1]).astype(np.float32)
        except ValueError:
            raise CompileError(
                f"node '{node.name}' (Gemm): bias shape {list(c.shape)} does not broadcast to [{weight.shape[1]}]"
            ) from None
    _dense(imp, node, weight.astype(np.float32), bias)


def _matmul(imp: GraphImporter, node: onnx.NodeProto) -> None:
    weight = imp.constant(node, node.input[1], "second operand")
    if weight.ndim != 2:
        raise CompileError(f"node '{node.name}' (MatMul): weight must be 2-D, got shape {list(weight.shape)}")
    _dense(imp, node, weight.astype(np.float32), None)


def _add(imp: GraphImporter, node: onnx.NodeProto) -> None:
    a, b = node.input[0], node.input[1]
    if a in imp.constants and b in imp.constants:
        imp.constants[node.output[0]] = imp.constants[a] + imp.constants[b]
        return
    if a in imp.constants:
        a, b = b, a
    x = imp.value(node, a)
    if b in imp.constants:
        c = imp.constants[b]
        # a constant's leading dims of size 1 beyond the per-sample rank belong to the batch axis
        while c.ndim > len(imp.shape(x)) and c.shape[0] == 1:
            c = c.reshape(c.shape[1:])
        if c.ndim > len(imp.shape(x)):
            raise CompileError(f"node '{node.name}' (Add): constant of shape {list(c.shape)} varies over the batch")
        y = imp.materialize(c, node.name)
    else:
        y = imp.value(node, b)
    try:
        op = nn.AddOp(x, y, layer=node.name)
    except ValueError as err:
        raise CompileError(f"node '{node.name}' (Add): {err}") from None
    imp.bind(node, imp.builder.insert(op).output)


def _activation(op_class: type[nn.ElementwiseOp]) -> Callable[[GraphImporter, onnx.NodeProto], None]:
    def handler(imp: GraphImporter, node: onnx.NodeProto) -> None:
        x = imp.value(node, node.input[0])
        imp.bind(node, imp.builder.insert(op_class(x, layer=node.name)).output)

    return handler


def _softmax(imp: GraphImporter, node: onnx.NodeProto) -> None:
    x = imp.value(node, node.input[0])
    rank = len(imp.shape(x)) + 1  # with the batch axis
    default = -1 if imp.opset >= 13 else 1
    axis = int(imp.attrs(node).get("axis", default))
    axis = axis + rank if axis < 0 else axis
    # before opset 13, softmax normalises over all axes from `axis` on: the same as the last axis
    # only when `axis` is the last one
    if imp.opset < 13 and axis != rank - 1:
        raise CompileError(
            f"node '{node.name}' (Softmax): opset {imp.opset} softmax over axes {axis}..{rank - 1} "
            "is not supported; only the last axis"
        )
    if axis == 0:
        raise CompileError(f"node '{node.name}' (Softmax): softmax over the batch axis is not supported")
    imp.bind(node, imp.builder.insert(nn.SoftmaxOp(x, axis - 1, layer=node.name)).output)


HANDLERS: dict[str, Callable[[GraphImporter, onnx.NodeProto], None]] = {
    "Constant": _constant,
    "Identity": _identity,
    "Dropout": _identity,
    "Flatten": _reshape_like,
    "Reshape": _reshape_like,
    "Gemm": _gemm,
    "MatMul": _matmul,
    "Add": _add,
    "Relu": _activation(nn.ReluOp),
    "Sigmoid": _activation(nn.SigmoidOp),
    "Tanh": _activation(nn.TanhOp),
    "Softmax": _softmax,
}


# -------------------------------------------------------------------------------------------------


def _static_shape(value_info: onnx.ValueInfoProto, what: str) -> tuple[int, ...]:
    """Per-sample shape of a graph input/output: dim 0 is the batch, the rest must be static."""
    tensor_type = value_info.type.tensor_type
    if tensor_type.elem_type not in FLOAT_TYPES:
        raise CompileError(
            f"{what} '{value_info.name}': element type "
            f"{onnx.TensorProto.DataType.Name(tensor_type.elem_type)} is not supported (float only)"
        )
    if not tensor_type.HasField("shape"):
        raise CompileError(f"{what} '{value_info.name}': has no shape")
    dims = list(tensor_type.shape.dim)
    if not dims:
        raise CompileError(f"{what} '{value_info.name}': is a scalar; expected [batch, ...]")
    shape = []
    for i, dim in enumerate(dims[1:], start=1):
        if not dim.HasField("dim_value") or dim.dim_value <= 0:
            label = dim.dim_param or "unknown"
            raise CompileError(
                f"{what} '{value_info.name}': dimension {i} is dynamic ({label}); only the batch dimension (0) may be"
            )
        shape.append(dim.dim_value)
    return tuple(shape)


def _unique_node_names(graph: onnx.GraphProto) -> None:
    """Give every node a distinct name (model files often leave them empty or repeat them)."""
    seen: set[str] = set()
    for i, node in enumerate(graph.node):
        name = node.name or f"{node.op_type.lower()}_{i}"
        while name in seen:
            name = f"{name}_{i}"
        node.name = name
        seen.add(name)


def import_onnx(model: onnx.ModelProto, name: str) -> ModuleOp:
    """Build the nn-level module for `model`; `name` becomes the function's (C identifier) name."""
    try:
        inferred = onnx.shape_inference.infer_shapes(model, strict_mode=False)
    except Exception as err:
        raise CompileError(f"shape inference failed: {err}") from None
    graph = inferred.graph
    _unique_node_names(graph)
    initializers = {t.name: numpy_helper.to_array(t) for t in graph.initializer}
    for tname, array in initializers.items():
        if array.dtype.kind == "f" and not np.isfinite(array).all():
            raise CompileError(f"initializer '{tname}': contains NaN or infinity")
    inputs = [v for v in graph.input if v.name not in initializers]
    if not inputs:
        raise CompileError("the graph has no inputs")
    input_shapes = [_static_shape(v, "input") for v in inputs]

    block = Block(arg_types=[TensorType(f32, list(s)) for s in input_shapes])
    importer = GraphImporter(inferred, Builder(InsertPoint.at_end(block)))
    importer.opset = next((o.version for o in inferred.opset_import if o.domain in ("", "ai.onnx")), 13)
    importer.output_shapes = {
        v.name: tuple(d.dim_value if d.HasField("dim_value") else -1 for d in v.type.tensor_type.shape.dim)
        for v in [*graph.value_info, *graph.output]
        if v.type.tensor_type.HasField("shape")
    }
    importer.constants.update({k: v.astype(np.float32) for k, v in initializers.items() if v.dtype.kind == "f"})
    importer.constants.update({k: v for k, v in initializers.items() if v.dtype.kind != "f"})
    for value_info, arg in zip(inputs, block.args):
        importer.values[value_info.name] = arg
        arg.name_hint = c_identifier(value_info.name, "input")
    importer.run()

    results = []
    for out in graph.output:
        if out.name not in importer.values:
            raise CompileError(f"output '{out.name}': is not computed from the inputs")
        results.append(importer.values[out.name])
    importer.builder.insert(func.ReturnOp(*results))
    function = func.FuncOp(name, ([a.type for a in block.args], [r.type for r in results]), Region(block))
    return ModuleOp([function])
