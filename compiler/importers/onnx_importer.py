"""ONNX -> `nn` dialect (plus `layout` ops).

Takes an ONNX file (float model), runs onnx's shape inference, and gives a module with one
`func.func` named after the model: one argument per graph input and one result per graph output,
each a per-sample `tensor<...xf32>` in the model's own axis order (the leading batch dimension is
dropped; every other dimension must be static). Initializers and Constant nodes become `nn.constant`;
each supported node becomes nn ops carrying the node name as `layer`.

This module checks the graph, then walks it: each node is folded when its inputs are constants
(constant_folding.py) or given to its handler (`HANDLERS`, filled by onnx_ops, onnx_spatial,
onnx_layout, onnx_resample and qonnx_ops, all imported here) with the `GraphImporter`
(onnx_registry.py), which binds ONNX tensor names to values and a channel layout (base.py says how
layouts are settled: PyTorch's channels-first exports get a transpose at the input and one before
Flatten; Keras' channels-last ones none). `Bound`, `identity`, `channels_last`, `broadcast_constant`
and `GraphImporter` stay importable from here.
"""

from __future__ import annotations

import heapq
import math
import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import onnx
from onnx import numpy_helper
from xdsl.builder import Builder
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp, TensorType, f32
from xdsl.ir import Block, Region
from xdsl.rewriter import InsertPoint

# the handler modules register their handlers in HANDLERS when imported
from compiler.importers import onnx_layout, onnx_ops, onnx_recurrent, onnx_resample, onnx_spatial, qonnx_ops  # noqa: F401
from compiler.importers.base import Bound, broadcast_constant, channels_last, identity
from compiler.importers.constant_folding import fold
from compiler.importers.onnx_registry import HANDLERS, GraphImporter, describe
from dialects.errors import CompileError
from dialects.names import ascii_text, c_identifier

__all__ = [
    "Bound",
    "GraphImporter",
    "broadcast_constant",
    "channels_last",
    "identity",
    "import_onnx",
    "load_onnx",
]

FLOAT_TYPES = {onnx.TensorProto.FLOAT, onnx.TensorProto.DOUBLE, onnx.TensorProto.FLOAT16}


def load_onnx(path: str | os.PathLike[str]) -> onnx.ModelProto:
    """Read an ONNX file, refusing external data that points outside the model's folder (`../`,
    absolute paths, symbolic links leading out) or past the end of its file."""
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
    for tensor in _all_tensors(model.graph):
        if tensor.data_location != onnx.TensorProto.EXTERNAL:
            continue
        info = {e.key: e.value for e in tensor.external_data}
        location = info.get("location", "")
        what = f"{path}: tensor '{tensor.name}' refers to external data {location!r}"
        if not location:
            raise CompileError(f"{path}: tensor '{tensor.name}' is stored as external data that has no location")
        try:
            target = (base / location).resolve()
        except (OSError, ValueError):  # a NUL byte, a loop of links
            raise CompileError(f"{what}, which is not a file name") from None
        if os.path.isabs(location) or not target.is_relative_to(base) or target == base:
            raise CompileError(f"{what} outside the model's folder")
        if not target.is_file():
            raise CompileError(f"{what}, which is missing or not a file")
        try:
            offset, length = int(info.get("offset", 0)), int(info.get("length", 0))
        except ValueError:
            raise CompileError(f"{what} with a malformed offset or length") from None
        if offset < 0 or length < 0 or offset + length > target.stat().st_size:
            raise CompileError(f"{what}: bytes {offset}..{offset + length} lie beyond its end")
    try:
        onnx.load_external_data_for_model(model, str(base))
    except Exception as err:
        raise CompileError(f"{path}: cannot read external data ({err})") from None
    return model


def _all_tensors(graph: onnx.GraphProto) -> Iterator[onnx.TensorProto]:
    """Every tensor stored in a graph: initializers and tensor attributes, subgraphs included."""
    yield from graph.initializer
    for sparse in graph.sparse_initializer:
        yield from (sparse.values, sparse.indices)
    for node in graph.node:
        for attr in node.attribute:
            if attr.HasField("t"):
                yield attr.t
            yield from attr.tensors
            if attr.HasField("sparse_tensor"):
                yield from (attr.sparse_tensor.values, attr.sparse_tensor.indices)
            for sub in [attr.g] if attr.HasField("g") else []:
                yield from _all_tensors(sub)
            for sub in attr.graphs:
                yield from _all_tensors(sub)


# -------------------------------------------------------------------------------------------------


MAX_ELEMENTS = 1 << 26  # per-sample elements of one tensor: far beyond any FPGA design, far below a crash


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
    for i, dim in enumerate(dims):
        if dim.HasField("dim_value") and dim.dim_value <= 0:
            raise CompileError(f"{what} '{value_info.name}': dimension {i} has size {dim.dim_value} (no elements)")
        if i > 0 and not dim.HasField("dim_value"):
            raise CompileError(
                f"{what} '{value_info.name}': dimension {i} is dynamic ({dim.dim_param or 'unknown'}); "
                "only the batch dimension (0) may be dynamic"
            )
        if i > 0:
            shape.append(dim.dim_value)
    if math.prod(shape) > MAX_ELEMENTS:
        raise CompileError(
            f"{what} '{value_info.name}': {math.prod(shape)} elements per sample; at most {MAX_ELEMENTS} are supported"
        )
    batch = dims[0].dim_value if dims[0].HasField("dim_value") else None
    return batch, tuple(shape)


def _unique_node_names(graph: onnx.GraphProto) -> None:
    """Give every node a distinct name (model files often leave them empty or repeat them), in
    ASCII (`ascii_text`: the IR must re-parse)."""
    seen: set[str] = set()
    for i, node in enumerate(graph.node):
        name = ascii_text(node.name) or f"{node.op_type.lower()}_{i}"
        while name in seen:
            name = f"{name}_{i}"
        node.name = name
        seen.add(name)


def _check_nodes(graph: onnx.GraphProto, opset: int) -> None:
    """Known domains, and the input/output counts and required attributes of the operator's schema."""
    domains = {"", "ai.onnx"} | {domain for domain, _ in HANDLERS}
    for node in graph.node:
        if node.domain not in domains:
            known = ", ".join(sorted(d or "ai.onnx" for d in domains - {""}))
            raise CompileError(
                f"{describe(node)}: operator domain '{node.domain}' is not supported (supported: {known})"
            )
        if node.domain not in ("", "ai.onnx") or not onnx.defs.has(node.op_type):
            continue  # an operator we do not know is reported as unsupported by the importer
        try:
            schema = onnx.defs.get_schema(node.op_type, opset, "")
        except onnx.defs.SchemaError:
            raise CompileError(f"{describe(node)}: the operator does not exist in opset {opset}") from None
        for kind, count, low, high in [
            ("inputs", len(node.input), schema.min_input, schema.max_input),
            ("outputs", len(node.output), schema.min_output, schema.max_output),
        ]:
            if not low <= count <= high:
                expected = f"{low}" if low == high else f"{low} to {high}" if high < 1 << 30 else f"at least {low}"
                raise CompileError(f"{describe(node)}: has {count} {kind}; the operator takes {expected}")
        given = {a.name for a in node.attribute}
        for attr in schema.attributes.values():
            if attr.required and attr.name not in given:
                raise CompileError(f"{describe(node)}: the required attribute '{attr.name}' is missing")


def _sort_nodes(graph: onnx.GraphProto) -> None:
    """Check that every node input exists and that the graph has no cycle; put the nodes in
    topological order (keeping the file's order where it allows)."""
    produced: dict[str, int] = {}
    available = {v.name for v in graph.input} | {t.name for t in graph.initializer}
    nodes = list(graph.node)
    for i, node in enumerate(nodes):
        for out in filter(None, node.output):
            if out in available or out in produced:
                other = f"{describe(nodes[produced[out]])}" if out in produced else "a graph input or initializer"
                raise CompileError(f"{describe(node)}: output '{out}' is also produced by {other}")
            produced[out] = i
    needs: list[set[int]] = []
    for node in nodes:
        for name in filter(None, node.input):
            if name not in available and name not in produced:
                raise CompileError(
                    f"{describe(node)}: input '{name}' is missing (not a graph input, an initializer or a node's output)"
                )
        needs.append({produced[n] for n in node.input if n in produced})
    users: dict[int, list[int]] = {i: [] for i in range(len(nodes))}
    for i, deps in enumerate(needs):
        for d in deps:
            users[d].append(i)
    waiting = [len(deps) for deps in needs]
    ready = [i for i, w in enumerate(waiting) if w == 0]
    heapq.heapify(ready)
    order = []
    while ready:
        i = heapq.heappop(ready)
        order.append(i)
        for u in users[i]:
            waiting[u] -= 1
            if waiting[u] == 0:
                heapq.heappush(ready, u)
    if len(order) < len(nodes):
        left = set(range(len(nodes))) - set(order)
        path, i = [], min(left)
        while i not in path:  # every node left waits for another one left: walk back until one repeats
            path.append(i)
            i = min(needs[i] & left)
        cycle = [*path[path.index(i) :], i][::-1]
        raise CompileError(f"{describe(nodes[i])}: the graph has a cycle: {' -> '.join(nodes[j].name for j in cycle)}")
    if order != sorted(order):
        graph.ClearField("node")
        graph.node.extend(nodes[i] for i in order)


def _users(graph: onnx.GraphProto, name: str) -> str:
    nodes = [n.name for n in graph.node if name in n.input]
    return f" (used by node '{nodes[0]}'{' and others' if len(nodes) > 1 else ''})" if nodes else ""


def _stored_elements(tensor: onnx.TensorProto) -> int | None:
    """How many elements a tensor's data holds (None when its encoding is unusual)."""
    if tensor.data_location == onnx.TensorProto.EXTERNAL:
        return 0  # not loaded
    try:
        itemsize = onnx.helper.tensor_dtype_to_np_dtype(tensor.data_type).itemsize
        field = onnx.helper.tensor_dtype_to_field(tensor.data_type)
    except Exception:
        return None
    if tensor.HasField("raw_data"):
        return len(tensor.raw_data) // itemsize if itemsize in (1, 2, 4, 8) else None
    return len(getattr(tensor, field)) if itemsize in (1, 2, 4, 8) else None


def _tensor_values(tensor: onnx.TensorProto, what: str) -> np.ndarray:
    """A stored tensor as numpy, after checking that its data holds the shape it declares and, for
    floats, that every value is finite in float32."""
    declared = math.prod(tensor.dims)
    stored = _stored_elements(tensor)
    if stored is not None and stored != declared:
        raise CompileError(f"{what}: declares shape {list(tensor.dims)} ({declared} values) but holds {stored}")
    try:
        array = numpy_helper.to_array(tensor)
    except Exception as err:
        raise CompileError(f"{what}: cannot be read ({type(err).__name__}: {err})") from None
    if array.dtype.kind == "f":
        with np.errstate(over="ignore"):
            bad = ~np.isfinite(array.astype(np.float32))
        if bad.any():
            where = [int(v) for v in np.argwhere(bad)[0]] if array.ndim else []
            kind = "NaN or infinity" if not np.isfinite(array[bad]).all() else "values beyond the float32 range"
            raise CompileError(f"{what}: contains {kind} ({int(bad.sum())} of {array.size}, first at {where})")
    return array


def _check_outputs(graph: onnx.GraphProto) -> None:
    """The shapes shape inference found: no node may make an empty or enormous float tensor."""
    infos = {v.name: v for v in [*graph.value_info, *graph.output]}
    for node in graph.node:
        if node.op_type == "Constant":
            continue  # an empty constant is a legal operand (Resize's roi, say)
        for out in node.output:
            tensor_type = infos[out].type.tensor_type if out in infos else None
            if tensor_type is None or tensor_type.elem_type not in FLOAT_TYPES or not tensor_type.HasField("shape"):
                continue
            dims = [d.dim_value if d.HasField("dim_value") else None for d in tensor_type.shape.dim]
            if 0 in dims:
                shape = ", ".join(str(d) if d is not None else "?" for d in dims)
                raise CompileError(f"{describe(node)}: output '{out}' has a dimension of size 0 ([{shape}])")
            per_sample = math.prod(d for d in dims[1:] if d is not None)
            if per_sample > MAX_ELEMENTS:
                raise CompileError(
                    f"{describe(node)}: output '{out}' has {per_sample} elements per sample; "
                    f"at most {MAX_ELEMENTS} are supported"
                )


def _import_nodes(importer: GraphImporter, graph: onnx.GraphProto) -> None:
    """Each node in order: folded when its inputs are constants, else given to its handler."""
    for node in graph.node:
        if fold(importer, node):
            continue
        handler = HANDLERS.get((node.domain if node.domain != "ai.onnx" else "", node.op_type))
        if handler is None:
            supported = sorted(op for domain, op in HANDLERS if not domain)
            raise importer.fail(node, f"operator not supported; supported: {', '.join(supported)}")
        handler(importer, node)


def import_onnx(model: onnx.ModelProto, name: str) -> ModuleOp:
    """Build the nn-level module for `model`; `name` becomes the function's (C identifier) name.

    The graph is checked first, each problem named in one line: unknown domains, wrong input or
    attribute counts, missing inputs, cycles, unreadable or non-finite tensors, empty or enormous
    shapes."""
    checked = onnx.ModelProto()
    checked.CopyFrom(model)
    _unique_node_names(checked.graph)
    opset = next((o.version for o in checked.opset_import if o.domain in ("", "ai.onnx")), 13)
    _check_nodes(checked.graph, opset)
    _sort_nodes(checked.graph)
    initializers = {
        t.name: _tensor_values(t, f"initializer '{t.name}'{_users(checked.graph, t.name)}")
        for t in checked.graph.initializer
    }
    for node in checked.graph.node:
        if node.op_type == "Constant":
            for attr in node.attribute:
                if attr.HasField("t"):
                    _tensor_values(attr.t, f"{describe(node)}: value")
                elif attr.type in (onnx.AttributeProto.FLOAT, onnx.AttributeProto.FLOATS):
                    values = np.asarray(onnx.helper.get_attribute_value(attr), dtype=np.float64)
                    if not np.isfinite(values.astype(np.float32)).all():
                        raise CompileError(f"{describe(node)}: {attr.name} contains NaN or infinity")
    inputs = [v for v in checked.graph.input if v.name not in initializers]
    if not inputs:
        raise CompileError("the graph has no inputs")
    shapes = [_static_shape(v, "input") for v in inputs]
    batches = {b for b, _ in shapes if b is not None}
    if len(batches) > 1:
        raise CompileError(f"inputs have different batch sizes {sorted(batches)}: dimension 0 must be the batch")
    declared = {o.domain for o in checked.opset_import}
    for domain in sorted({n.domain for n in checked.graph.node} - declared - {"", "ai.onnx"}):
        checked.opset_import.append(onnx.helper.make_opsetid(domain, 1))  # exporters omit QONNX's
    try:
        inferred = onnx.shape_inference.infer_shapes(checked, strict_mode=False)
    except Exception as err:
        raise CompileError(f"shape inference failed: {' '.join(str(err).split())[:300]}") from None
    graph = inferred.graph
    _check_outputs(graph)

    block = Block(arg_types=[TensorType(f32, list(s)) for _, s in shapes])
    importer = GraphImporter(inferred, Builder(InsertPoint.at_end(block)), opset=opset, batch_is_one=batches == {1})
    importer.constants.update({k: v.astype(np.float32) for k, v in initializers.items() if v.dtype.kind == "f"})
    importer.constants.update({k: v for k, v in initializers.items() if v.dtype.kind != "f"})
    for value_info, arg in zip(inputs, block.args):
        importer.values[value_info.name] = Bound(arg, identity(len(arg.type.get_shape())))
        arg.name_hint = c_identifier(value_info.name, "input")
    _import_nodes(importer, graph)

    results = []
    for out in graph.output:
        if out.name not in importer.values:
            raise CompileError(f"output '{out.name}': is not computed from the inputs")
        if importer.batch_of(out.name):
            raise CompileError(
                f"output '{out.name}': has the batch on axis {importer.batch_of(out.name)}, not first "
                "(the design's outputs are per sample, batch first)"
            )
        tensor = importer.values[out.name]
        results.append(
            importer.arrange(
                onnx.helper.make_node("Identity", [], [], name=ascii_text(out.name)),
                tensor,
                identity(len(tensor.layout)),
            )
        )
    importer.builder.insert(func.ReturnOp(*results))
    function = func.FuncOp(name, ([a.type for a in block.args], [r.type for r in results]), Region(block))
    return ModuleOp([function])
