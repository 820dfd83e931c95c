"""torch.nn.Module -> `nn` dialect (plus `layout` ops), without an ONNX file in between.

`import_torch(module, input_shape, name)` runs `torch.export.export` on the module (in eval mode) with
zero inputs of `BATCH` samples, and walks the resulting ATen graph (not decomposed: nn.Linear stays
`aten.linear`, convolutions `aten.conv2d`, batch norms `aten.batch_norm`, so the nn-level folding passes
apply). The module is the same one the ONNX importer builds for `torch.onnx.export` of the model:
one `func.func`, per-sample tensors (the batch dimension dropped), channel layout settled by the
importer base both share (base.py: spatial ops run channels-last; an op that needs the logical axis
order gets a `layout.transpose`), weights as packed `nn.constant`s, every op carrying a `layer` name.

Layer names are the modules' qualified names (`fc1`, `layers.0`); a module that calls several ops,
and functional calls at the top level, name each op `<module>.<node>` (or the node's name). Nodes
computed from parameters and constants only are evaluated here with torch (constant folding).

The handlers, one per ATen operator, are in torch_ops.py (imported here, so that they are
registered); the `TorchImporter` they are given, and the table, in torch_registry.py. Importing this
module does not import torch: `import_torch` does, when it is called.

A `.pt`/`.pt2` file is never loaded: `torch.load` and `torch.export.load` unpickle objects from the
file, which can run arbitrary code (`refuse_torch_file`).
"""

from __future__ import annotations

import logging
import operator
import sys
import warnings
from pathlib import Path
from typing import Any

import numpy as np
from xdsl.builder import Builder
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp, TensorType, f32
from xdsl.ir import Block, Region
from xdsl.rewriter import InsertPoint

# the handler module registers its handlers in HANDLERS when imported
from compiler.importers import torch_ops, torch_recurrent  # noqa: F401
from compiler.importers.base import BatchMoved, Bound, identity
from compiler.importers.torch_registry import (
    ALIASES,
    ASSERTIONS,
    BATCH,
    HANDLERS,
    SELU_ALPHA,
    SELU_GAMMA,
    TorchImporter,
    _arguments,
    _op,
)
from dialects.errors import CompileError
from dialects.names import c_identifier

__all__ = ["BATCH", "SELU_ALPHA", "SELU_GAMMA", "TorchImporter", "import_torch", "is_torch_module", "refuse_torch_file"]

SILENT = ALIASES | ASSERTIONS | {"permute", "transpose"}  # ops that emit nothing
TORCH_MAGIC = (b"PK\x03\x04", b"\x80")  # torch's zip archives (.pt, .pt2), legacy pickles


def is_torch_module(model: Any) -> bool:
    """True for a torch.nn.Module (without importing torch: a module means torch is loaded)."""
    torch = sys.modules.get("torch")
    return torch is not None and isinstance(model, torch.nn.Module)


def refuse_torch_file(path: str | Path) -> None:
    """Refuse a saved PyTorch file before anything reads it: loading one unpickles it."""
    path = Path(path)
    suffix = path.suffix.lower() in (".pt", ".pt2", ".pth", ".ckpt")
    try:
        with path.open("rb") as file:
            head = file.read(4)
    except OSError:
        head = b""
    if suffix or (head and head.startswith(TORCH_MAGIC)):
        raise CompileError(
            f"{path}: PyTorch files are not loaded, because torch.load and torch.export.load unpickle "
            "objects from the file, which can run arbitrary code; export the model with "
            "torch.onnx.export(model, (example,), 'model.onnx') and compile the .onnx file, or pass the "
            "torch.nn.Module to compiler.api.convert(module, input_shape=...)"
        )


def _import_nodes(importer: TorchImporter, graph: Any) -> None:
    """Each call in order: folded when its inputs are constants, else given to its handler."""
    for node in graph.nodes:
        if node.op != "call_function" or not node.users:
            continue  # placeholders are bound by the caller; dead nodes do nothing
        if all(importer.is_constant(n) for n in node.all_input_nodes):
            importer.fold(node)
            continue
        if node.target is operator.getitem and isinstance(importer.values.get(node.args[0]), tuple):
            importer.values[node] = importer.values[node.args[0]][node.args[1]]
            continue
        handler = HANDLERS.get(_op(node))
        if handler is None:
            supported = sorted(k for k in HANDLERS if not k.startswith("_") and k not in ASSERTIONS)
            raise importer.fail(node, f"operator not supported; supported: {', '.join(supported)}")
        handler(importer, node, _arguments(node))


def _input_shapes(input_shape: Any) -> list[tuple[int, ...]]:
    """One per-sample shape, or one per input."""
    if isinstance(input_shape, (int, np.integer)):
        input_shape = (input_shape,)
    items = list(input_shape) if isinstance(input_shape, (list, tuple)) else None
    shapes = None
    if items is not None and all(isinstance(d, (int, np.integer)) for d in items):
        shapes = [tuple(items)]
    elif items and all(isinstance(s, (list, tuple)) for s in items):
        shapes = [tuple(s) for s in items]
    if shapes is None or any(not isinstance(d, (int, np.integer)) or d < 1 for s in shapes for d in s):
        raise CompileError(
            f"input_shape {input_shape!r}: give the per-sample shape without the batch dimension, "
            "e.g. (16,) or (1, 28, 28), or a list of them for several inputs"
        )
    return [tuple(int(d) for d in s) for s in shapes]


def _names(graph) -> tuple[dict[Any, str], dict[Any, str]]:
    """Layer names from the calling modules' qualified names, unique among the nodes that emit ops;
    and the calling module types (for messages)."""
    dynamic: set = set()
    paths, modules = {}, {}
    for node in graph.nodes:
        if node.op == "placeholder" and node.meta.get("user_input"):
            dynamic.add(node)
        elif node.op == "call_function" and any(n in dynamic for n in node.all_input_nodes):
            dynamic.add(node)
            stack = list((node.meta.get("nn_module_stack") or {}).values())
            paths[node], kind = stack[-1] if stack else ("", "")
            if paths[node]:  # a submodule, not the model itself
                modules[node] = str(kind).rsplit(".", 1)[-1]
    emitting = [n for n in paths if n.users and n.target is not operator.getitem and _op(n) not in SILENT]
    counts: dict[str, int] = {}
    for node in emitting:
        counts[paths[node]] = counts.get(paths[node], 0) + 1
    layers = {node: paths[node] or node.name for node in paths}  # in messages only, unless emitting
    used: set[str] = set()
    for node in emitting:
        path = paths[node]
        base = path if path and counts[path] == 1 else f"{path}.{node.name}" if path else node.name
        name, n = base, 1
        while name in used:
            name, n = f"{base}_{n}", n + 1
        used.add(name)
        layers[node] = name
    return layers, modules


def import_torch(module: Any, input_shape: Any, name: str) -> ModuleOp:
    """Build the nn-level module for a torch.nn.Module given its per-sample input shape(s);
    `name` becomes the function's (C identifier) name."""
    import torch

    shapes = _input_shapes(input_shape)
    modes = {m: m.training for m in module.modules()}
    module.eval()
    fake_log = logging.getLogger("torch._subclasses.fake_tensor")
    level = fake_log.level
    fake_log.setLevel(logging.CRITICAL)  # it logs a traceback on a shape mismatch
    try:
        with warnings.catch_warnings():  # recurrent modules re-assign their flat weight list while tracing
            warnings.filterwarnings("ignore", message=r"The tensor attributes .*_flat_weights")
            program = torch.export.export(module, tuple(torch.zeros(BATCH, *s) for s in shapes))
    except Exception as err:
        detail = " ".join(str(err).split())[:300]
        raise CompileError(
            f"{type(module).__name__}: torch.export failed for input_shape {shapes if len(shapes) > 1 else shapes[0]} "
            f"({type(err).__name__}: {detail})"
        ) from None
    finally:
        fake_log.setLevel(level)
        for submodule, mode in modes.items():
            submodule.training = mode

    graph = program.graph
    placeholders = {n.name: n for n in graph.nodes if n.op == "placeholder"}
    inputs, constants = [], {}
    for spec in program.graph_signature.input_specs:
        node = placeholders[spec.arg.name]
        kind = spec.kind.name
        if kind == "USER_INPUT":
            node.meta["user_input"] = True
            inputs.append(node)
        elif kind in ("PARAMETER", "BUFFER", "CONSTANT_TENSOR"):
            source = program.state_dict if spec.target in program.state_dict else program.constants
            constants[node] = source[spec.target]
        else:
            raise CompileError(f"{type(module).__name__}: input '{spec.arg.name}' ({kind}) is not supported")

    block = Block(arg_types=[TensorType(f32, list(s)) for s in shapes])
    layers, modules = _names(graph)
    importer = TorchImporter(Builder(InsertPoint.at_end(block)), layers, modules)
    importer.constants.update(constants)
    for node, arg in zip(inputs, block.args):
        importer.values[node] = Bound(arg, identity(len(arg.type.get_shape())))
        arg.name_hint = c_identifier(node.name, "input")
    _import_nodes(importer, graph)

    output = next(n for n in graph.nodes if n.op == "output")
    results = []
    for i, (spec, node) in enumerate(zip(program.graph_signature.output_specs, output.args[0])):
        if spec.kind.name != "USER_OUTPUT":
            continue
        tensor = importer.values.get(node) if isinstance(node, torch.fx.Node) else None
        if not isinstance(tensor, Bound):
            raise CompileError(f"{type(module).__name__}: output {i} is not a tensor computed from the inputs")
        if isinstance(tensor, BatchMoved):
            raise CompileError(
                f"{type(module).__name__}: output {i} has the batch on axis {tensor.batch}, not first "
                "(the design's outputs are per sample, batch first)"
            )
        results.append(importer.arrange(node, tensor, identity(len(tensor.layout))))
    importer.builder.insert(func.ReturnOp(*results))
    function = func.FuncOp(name, ([a.type for a in block.args], [r.type for r in results]), Region(block))
    return ModuleOp([function])
