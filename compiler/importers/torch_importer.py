"""torch.nn.Module -> `nn` dialect (plus `layout` ops), without an ONNX file in between.

`import_torch(module, input_shape, name)` runs `torch.export.export` on the module (in eval mode) with
zero inputs of `BATCH` samples, and walks the resulting ATen graph (not decomposed: nn.Linear stays
`aten.linear`, convolutions `aten.conv2d`, batch norms `aten.batch_norm`, so the nn-level folding passes
apply). The module is the same one the ONNX importer builds for `torch.onnx.export` of the model:
one `func.func`, per-sample tensors (the batch dimension dropped), channel layout settled with the
ONNX importer's `Bound` (spatial ops run channels-last; an op that needs the logical axis order gets a
`layout.transpose`), weights as packed `nn.constant`s, every op carrying a `layer` name.

Layer names are the modules' qualified names (`fc1`, `layers.0`); a module that calls several ops,
and functional calls at the top level, name each op `<module>.<node>` (or the node's name). Nodes
computed from parameters and constants only are evaluated here with torch (constant folding).

The handlers, one per ATen operator, are in torch_ops.py.

A `.pt`/`.pt2` file is never loaded: `torch.load` and `torch.export.load` unpickle objects from the
file, which can run arbitrary code (`refuse_torch_file`).
"""

from __future__ import annotations

import logging
import operator
import sys
from pathlib import Path
from typing import Any

import numpy as np
from xdsl.builder import Builder
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp, TensorType, f32
from xdsl.ir import Block, Operation, Region, SSAValue
from xdsl.rewriter import InsertPoint

from compiler.importers.onnx_importer import Bound, channels_last, identity
from dialects import layout, nn
from dialects.errors import CompileError
from dialects.names import c_identifier

BATCH = 2  # samples in the example input: not 1, which torch.export would specialise on
# ONNX keeps scalar attributes in float32: rounding ours the same way gives the same IR
SELU_ALPHA, SELU_GAMMA = 1.67326319217681884765625, 1.05070102214813232421875
ALIASES = {"dropout", "feature_dropout", "alpha_dropout", "detach", "clone", "alias", "contiguous", "to"}
ASSERTIONS = {"_assert_tensor_metadata", "_assert_scalar", "sym_constrain_range_for_size", "_assert_async"}
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


def _float32(value: float) -> float:
    return float(np.float32(value))


def _ints(value: Any, rank: int) -> list[int]:
    values = [int(v) for v in value] if isinstance(value, (list, tuple)) else [int(value)]
    return values * rank if len(values) == 1 and rank > 1 else values


class TorchImporter:
    """Walks the exported graph in order, binding each fx node to a value (with its layout) or to a
    constant (torch value, which becomes nn.constant where a value is needed)."""

    def __init__(self, builder: Builder, layers: dict[Any, str], modules: dict[Any, str]):
        self.builder = builder
        self.layers = layers  # fx node -> layer name
        self.modules = modules  # fx node -> the module type that called it
        self.values: dict[Any, Any] = {}  # fx node -> Bound (or a tuple of them)
        self.constants: dict[Any, Any] = {}  # fx node -> torch tensor or Python value
        self.arranged: dict[tuple, SSAValue] = {}  # (value, layout, wanted) -> its transpose

    # ---------------------------------------------------------------------------------------------
    def layer(self, node) -> str:
        return self.layers.get(node, node.name)

    def fail(self, node, message: str) -> CompileError:
        where = f"layer '{self.layer(node)}' ({node.target}"
        module = self.modules.get(node)
        return CompileError(f"{where}{f', in {module}' if module else ''}): {message}")

    def emit(self, op: Operation) -> Operation:
        return self.builder.insert(op)

    def const_value(self, node, array: np.ndarray) -> SSAValue:
        array = np.asarray(array, dtype=np.float32)
        if not np.isfinite(array).all():
            raise self.fail(node, "a constant contains NaN or infinity")
        return self.emit(nn.ConstantOp(nn.dense_floats(array), self.layer(node))).result

    def is_constant(self, arg) -> bool:
        return isinstance(arg, (int, float)) or (arg in self.constants and arg not in self.values)

    def array(self, node, arg, what: str) -> np.ndarray:
        """A constant argument as float32 numpy."""
        if isinstance(arg, (int, float)) and not isinstance(arg, bool):
            return np.array(arg, dtype=np.float32)
        if arg is None or arg not in self.constants:
            raise self.fail(
                node, f"the {what} must be a constant (parameter or buffer), but it is computed at run time"
            )
        value = self.constants[arg]
        if isinstance(value, (int, float)):
            return np.array(value, dtype=np.float32)
        if not hasattr(value, "detach") or value.is_complex():
            raise self.fail(node, f"the {what} must be a real tensor, got {type(value).__name__}")
        return value.detach().cpu().numpy().astype(np.float32)

    def bound(self, node, arg) -> Bound:
        if arg in self.values:
            value = self.values[arg]
            if not isinstance(value, Bound):
                what = "the indices output of a pooling" if value is None else "a tuple, not a tensor"
                raise self.fail(node, f"input '{arg}' is {what} (not supported)")
            return value
        array = self.array(node, arg, "operand")
        return Bound(self.const_value(node, array), identity(array.ndim))

    def arrange(self, node, tensor: Bound, wanted: tuple[int, ...]) -> SSAValue:
        """The tensor's value stored in the `wanted` layout (a layout.transpose if it is not)."""
        if tensor.layout == wanted:
            return tensor.value
        key = (tensor.value, tensor.layout, wanted)
        if key not in self.arranged:  # one transpose per value and layout, however many readers
            perm = [tensor.layout.index(logical) for logical in wanted]
            self.arranged[key] = self.emit(layout.TransposeOp(tensor.value, perm, self.layer(node))).output
        return self.arranged[key]

    def logical(self, node, arg) -> SSAValue:
        tensor = self.bound(node, arg)
        return self.arrange(node, tensor, identity(len(tensor.layout)))

    def spatial(self, node, arg) -> SSAValue:
        """A logical [C, *spatial] tensor stored channels-last."""
        tensor = self.bound(node, arg)
        rank = len(tensor.layout)
        if rank not in (2, 3):
            raise self.fail(node, f"expects [batch, C, *spatial] with 1 or 2 spatial axes, got rank {rank + 1}")
        return self.arrange(node, tensor, channels_last(rank))

    def bind(self, node, value: SSAValue, layout_: tuple[int, ...] | None = None) -> None:
        self.values[node] = Bound(value, layout_ if layout_ is not None else identity(len(value.type.get_shape())))

    def sample_axis(self, node, axis: int, rank: int) -> int:
        """A torch axis (with the batch axis 0, maybe negative) as a per-sample logical axis."""
        full = rank + 1
        if not -full <= axis < full:
            raise self.fail(node, f"axis {axis} is out of range for rank {full}")
        axis = axis + full if axis < 0 else axis
        if axis == 0:
            raise self.fail(node, "operating along the batch axis is not supported")
        return axis - 1

    # ---------------------------------------------------------------------------------------------
    def fold(self, node) -> None:
        """Evaluate a node whose inputs are all constants."""
        import torch
        from torch.fx.node import map_arg

        # a random op (randn, training dropout) would freeze one draw; eval-mode dropout is not random
        random = torch.Tag.nondeterministic_seeded in getattr(node.target, "tags", ())
        if random and not (_op(node) in ALIASES and not _arguments(node).get("train")):
            raise self.fail(node, "random numbers are not supported")
        args = map_arg(node.args, lambda n: self.constants[n])
        kwargs = map_arg(node.kwargs, lambda n: self.constants[n])
        try:
            with torch.no_grad():
                self.constants[node] = node.target(*args, **kwargs)
        except Exception as err:
            raise self.fail(node, f"cannot evaluate it on constants ({type(err).__name__})") from None

    def run(self, graph) -> None:
        from compiler.importers.torch_ops import HANDLERS

        for node in graph.nodes:
            if node.op != "call_function" or not node.users:
                continue  # placeholders are bound by the caller; dead nodes do nothing
            if all(self.is_constant(n) for n in node.all_input_nodes):
                self.fold(node)
                continue
            if node.target is operator.getitem and isinstance(self.values.get(node.args[0]), tuple):
                self.values[node] = self.values[node.args[0]][node.args[1]]
                continue
            handler = HANDLERS.get(_op(node))
            if handler is None:
                supported = sorted(k for k in HANDLERS if not k.startswith("_") and k not in ASSERTIONS)
                raise self.fail(node, f"operator not supported; supported: {', '.join(supported)}")
            handler(self, node, _arguments(node))


def _op(node) -> str:
    """The ATen operator's name without overload (in-place forms like relu_ compute the same)."""
    packet = getattr(node.target, "overloadpacket", None)
    return packet.__name__.rstrip("_") if packet is not None else str(node.target)


def _arguments(node) -> dict[str, Any]:
    """The node's arguments by their schema names, defaults filled in."""
    result = {}
    for i, argument in enumerate(node.target._schema.arguments):
        if i < len(node.args) and not argument.kwarg_only:
            result[argument.name] = node.args[i]
        elif argument.name in node.kwargs:
            result[argument.name] = node.kwargs[argument.name]
        else:
            result[argument.name] = argument.default_value if argument.has_default_value() else None
    return result


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
    importer.run(graph)

    output = next(n for n in graph.nodes if n.op == "output")
    results = []
    for i, (spec, node) in enumerate(zip(program.graph_signature.output_specs, output.args[0])):
        if spec.kind.name != "USER_OUTPUT":
            continue
        tensor = importer.values.get(node) if isinstance(node, torch.fx.Node) else None
        if not isinstance(tensor, Bound):
            raise CompileError(f"{type(module).__name__}: output {i} is not a tensor computed from the inputs")
        results.append(importer.arrange(node, tensor, identity(len(tensor.layout))))
    importer.builder.insert(func.ReturnOp(*results))
    function = func.FuncOp(name, ([a.type for a in block.args], [r.type for r in results]), Region(block))
    return ModuleOp([function])
