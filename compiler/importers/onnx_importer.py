"""ONNX -> `nn` dialect (plus `layout` ops).

Takes an ONNX file (float model), runs onnx's shape inference, and gives a module with one
`func.func` named after the model: one argument per graph input and one result per graph output,
each a per-sample `tensor<...xf32>` in the model's own axis order (the leading batch dimension is
dropped; every other dimension must be static). Initializers and Constant nodes become `nn.constant`;
each supported node becomes nn ops carrying the node name as `layer` (handlers in onnx_ops.py).

Channel layout is settled here, once: every ONNX tensor is bound to an SSA value plus a `layout`, the
ONNX (logical, per-sample) axis stored at each axis of the value. Spatial ops need channels-last
storage ([*spatial, C]); a Transpose node only changes the layout (no op); an op that depends on the
logical order (Flatten, Reshape, Gemm, graph outputs) gets an explicit `layout.transpose` first when
the layout is not the identity. Keras' channels-last exports (Transpose, Conv, ..., Transpose) thus
import without any transpose; PyTorch's channels-first ones get one at the input (which
fixed-to-dataflow moves to the host) and one before Flatten (which fold-transpose-into-dense folds
into the dense weights).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import onnx
from onnx import numpy_helper
from xdsl.builder import Builder
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp, TensorType, f32
from xdsl.ir import Block, Operation, Region, SSAValue
from xdsl.rewriter import InsertPoint

from compiler.errors import CompileError
from compiler.names import c_identifier
from dialects import layout, nn

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


def identity(rank: int) -> tuple[int, ...]:
    return tuple(range(rank))


def channels_last(rank: int) -> tuple[int, ...]:
    """Logical [C, *spatial] stored as [*spatial, C]."""
    return (*range(1, rank), 0)


@dataclass
class Bound:
    """An ONNX tensor: its value and the logical axis stored at each of the value's axes."""

    value: SSAValue
    layout: tuple[int, ...]

    @property
    def logical_shape(self) -> tuple[int, ...]:
        stored = self.value.type.get_shape()
        shape = [0] * len(stored)
        for axis, logical in enumerate(self.layout):
            shape[logical] = stored[axis]
        return tuple(shape)


@dataclass
class GraphImporter:
    """Walks the graph once, in order, binding ONNX tensor names to values (with their layout) or
    to constants (numpy arrays, which become nn.constant where a value is needed)."""

    model: onnx.ModelProto
    builder: Builder
    values: dict[str, Bound] = field(default_factory=dict)
    constants: dict[str, np.ndarray] = field(default_factory=dict)
    opset: int = 13
    batch_is_one: bool = False

    # ---------------------------------------------------------------------------------------------
    @staticmethod
    def fail(node: onnx.NodeProto, message: str) -> CompileError:
        domain = f"{node.domain}." if node.domain not in ("", "ai.onnx") else ""
        return CompileError(f"node '{node.name}' ({domain}{node.op_type}): {message}")

    @staticmethod
    def attrs(node: onnx.NodeProto) -> dict[str, object]:
        return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}

    def emit(self, op: Operation) -> Operation:
        return self.builder.insert(op)

    def const_value(self, array: np.ndarray, layer: str | None) -> SSAValue:
        return self.emit(nn.ConstantOp(nn.dense_floats(np.asarray(array, dtype=np.float32)), layer)).result

    def is_constant(self, name: str) -> bool:
        return name in self.constants

    def constant(self, node: onnx.NodeProto, name: str, what: str) -> np.ndarray:
        if name not in self.constants:
            raise self.fail(node, f"the {what} must be a constant (initializer), but '{name}' is computed at run time")
        return self.constants[name]

    def optional_constant(self, node: onnx.NodeProto, index: int, what: str) -> np.ndarray | None:
        if len(node.input) <= index or not node.input[index]:
            return None
        return self.constant(node, node.input[index], what)

    def bound(self, node: onnx.NodeProto, name: str) -> Bound:
        if name in self.values:
            return self.values[name]
        if name in self.constants:
            array = self.constants[name]
            return Bound(self.const_value(array, node.name), identity(array.ndim))
        raise self.fail(node, f"input '{name}' is not produced by any node")

    def arrange(self, node: onnx.NodeProto, tensor: Bound, wanted: tuple[int, ...]) -> SSAValue:
        """The tensor's value stored in the `wanted` layout (a layout.transpose if it is not)."""
        if tensor.layout == wanted:
            return tensor.value
        if sorted(wanted) != sorted(tensor.layout):
            raise self.fail(node, f"cannot rearrange a rank-{len(tensor.layout)} tensor as {list(wanted)}")
        perm = [tensor.layout.index(logical) for logical in wanted]
        return self.emit(layout.TransposeOp(tensor.value, perm, node.name)).output

    def logical(self, node: onnx.NodeProto, name: str) -> SSAValue:
        tensor = self.bound(node, name)
        return self.arrange(node, tensor, identity(len(tensor.layout)))

    def spatial(self, node: onnx.NodeProto, name: str) -> SSAValue:
        """A logical [C, *spatial] tensor stored channels-last."""
        tensor = self.bound(node, name)
        rank = len(tensor.layout)
        if rank not in (2, 3):
            raise self.fail(node, f"expects [batch, C, *spatial] with 1 or 2 spatial axes, got rank {rank + 1}")
        return self.arrange(node, tensor, channels_last(rank))

    def bind(self, node: onnx.NodeProto, value: SSAValue, layout_: tuple[int, ...] | None = None, index: int = 0):
        rank = len(value.type.get_shape())
        self.values[node.output[index]] = Bound(value, layout_ if layout_ is not None else identity(rank))

    def alias(self, node: onnx.NodeProto) -> None:
        source = node.input[0]
        if source in self.constants:
            self.constants[node.output[0]] = self.constants[source]
        else:
            self.values[node.output[0]] = self.bound(node, source)

    def sample_axis(self, node: onnx.NodeProto, axis: int, rank: int) -> int:
        """An ONNX axis (with the batch axis 0, maybe negative) as a per-sample logical axis."""
        full = rank + 1
        if not -full <= axis < full:
            raise self.fail(node, f"axis {axis} is out of range for rank {full}")
        axis = axis + full if axis < 0 else axis
        if axis == 0:
            raise self.fail(node, "operating along the batch axis is not supported")
        return axis - 1

    # ---------------------------------------------------------------------------------------------
    def run(self) -> None:
        from compiler.importers.onnx_ops import HANDLERS

        for node in self.model.graph.node:
            handler = HANDLERS.get((node.domain if node.domain != "ai.onnx" else "", node.op_type))
            if handler is None:
                supported = sorted(op for domain, op in HANDLERS if not domain)
                raise self.fail(node, f"operator not supported; supported: {', '.join(supported)}")
            handler(self, node)


# -------------------------------------------------------------------------------------------------


def _static_shape(value_info: onnx.ValueInfoProto, what: str) -> tuple[int | None, tuple[int, ...]]:
    """Batch size (None if dynamic) and per-sample shape of a graph input; the rest must be static."""
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
            label = dim.dim_param or ("0" if dim.HasField("dim_value") else "unknown")
            raise CompileError(
                f"{what} '{value_info.name}': dimension {i} is {'empty' if label == '0' else 'dynamic'} ({label}); "
                "only the batch dimension (0) may be dynamic"
            )
        shape.append(dim.dim_value)
    batch = dims[0].dim_value if dims[0].HasField("dim_value") else None
    return batch, tuple(shape)


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
        raise CompileError(f"shape inference failed: {' '.join(str(err).split())[:300]}") from None
    graph = inferred.graph
    _unique_node_names(graph)
    initializers = {t.name: numpy_helper.to_array(t) for t in graph.initializer}
    for tname, array in initializers.items():
        if array.dtype.kind == "f" and not np.isfinite(array).all():
            raise CompileError(f"initializer '{tname}': contains NaN or infinity")
    inputs = [v for v in graph.input if v.name not in initializers]
    if not inputs:
        raise CompileError("the graph has no inputs")
    shapes = [_static_shape(v, "input") for v in inputs]
    batches = {b for b, _ in shapes if b is not None}
    if len(batches) > 1:
        raise CompileError(f"inputs have different batch sizes {sorted(batches)}: dimension 0 must be the batch")

    block = Block(arg_types=[TensorType(f32, list(s)) for _, s in shapes])
    importer = GraphImporter(inferred, Builder(InsertPoint.at_end(block)))
    importer.opset = next((o.version for o in inferred.opset_import if o.domain in ("", "ai.onnx")), 13)
    importer.batch_is_one = batches == {1}
    importer.constants.update({k: v.astype(np.float32) for k, v in initializers.items() if v.dtype.kind == "f"})
    importer.constants.update({k: v for k, v in initializers.items() if v.dtype.kind != "f"})
    for value_info, arg in zip(inputs, block.args):
        importer.values[value_info.name] = Bound(arg, identity(len(arg.type.get_shape())))
        arg.name_hint = c_identifier(value_info.name, "input")
    importer.run()

    results = []
    for out in graph.output:
        if out.name not in importer.values:
            raise CompileError(f"output '{out.name}': is not computed from the inputs")
        tensor = importer.values[out.name]
        results.append(
            importer.arrange(
                onnx.helper.make_node("Identity", [], [], name=out.name), tensor, identity(len(tensor.layout))
            )
        )
    importer.builder.insert(func.ReturnOp(*results))
    function = func.FuncOp(name, ([a.type for a in block.args], [r.type for r in results]), Region(block))
    return ModuleOp([function])
