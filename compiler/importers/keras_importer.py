"""Keras model (file or live Keras 3 model) -> `nn` dialect (plus `layout` ops).

`import_keras(source, name, weights=None)` reads the model (keras_files.py: `.keras`, full-model
`.h5`, `model.json` + weights, or a live functional/Sequential model; never deserialising code) and
gives a module with one `func.func` named `name`: one argument per model input and one result per
output, each a per-sample `tensor<...xf32>` in Keras' own (channels-last) axis order. Each layer call
goes to its handler in `HANDLERS` (keras_registry.py), filled by the handler modules imported below;
the ops carry the Keras layer names as `layer`.

`is_keras_model` and `is_keras_path` tell a Keras source apart without importing keras.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from xdsl.builder import Builder
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp, TensorType, f32
from xdsl.ir import Block, Region
from xdsl.rewriter import InsertPoint

# the handler modules register their handlers in HANDLERS when imported: Keras' own layers
# (keras_layers), QKeras' (keras_quantized) and HGQ's (keras_hgq)
from compiler.importers import keras_hgq, keras_layers, keras_quantized, keras_recurrent  # noqa: F401
from compiler.importers.base import Bound, identity
from compiler.importers.keras_files import KerasGraph, read_keras
from compiler.importers.keras_registry import HANDLERS, KerasImporter
from dialects.errors import CompileError
from dialects.names import c_identifier

KERAS_SUFFIXES = (".keras", ".h5", ".hdf5", ".json")


def is_keras_model(model: Any) -> bool:
    """True for a Keras model object (its class comes from a `keras` module; keras is not imported)."""
    return any(str(getattr(c, "__module__", "")).split(".")[0] in ("keras", "tf_keras") for c in type(model).__mro__)


def is_keras_path(path: Any) -> bool:
    return isinstance(path, (str, os.PathLike)) and Path(path).suffix.lower() in KERAS_SUFFIXES


def import_keras(source: Any, name: str, weights: str | os.PathLike[str] | None = None) -> ModuleOp:
    """The nn-level module of a Keras model; `name` becomes the function's (C identifier) name."""
    return build_module(read_keras(source, weights), name)


def build_module(graph: KerasGraph, name: str) -> ModuleOp:
    block = Block(arg_types=[TensorType(f32, list(shape)) for _, shape in graph.inputs])
    importer = KerasImporter(Builder(InsertPoint.at_end(block)), graph.keras_major)
    for (ref, _), arg in zip(graph.inputs, block.args):
        importer.values[ref] = Bound(arg, identity(len(arg.type.get_shape())))
        arg.name_hint = c_identifier(ref[0], "input")
    for node in graph.nodes:
        handler = HANDLERS.get(node.class_name)
        if handler is None:
            raise importer.fail(node, f"unsupported layer class; supported: {', '.join(sorted(HANDLERS))}")
        handler(importer, node)
    made = {ref: node for node in graph.nodes for ref in node.outputs}
    results = []
    for ref in graph.outputs:
        tensor = importer.values.get(ref)
        if tensor is None:
            raise CompileError(f"output '{ref[0]}' of the model is not computed by any layer")
        results.append(importer.arrange(made[ref], tensor, identity(len(tensor.layout))))
    importer.builder.insert(func.ReturnOp(*results))
    function = func.FuncOp(name, ([a.type for a in block.args], [r.type for r in results]), Region(block))
    return ModuleOp([function])
