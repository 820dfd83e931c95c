"""Keras model files (and live Keras 3 models) -> the layer calls of the model, in order.

Takes a `.keras` file (Keras 3's zip of `config.json` and `model.weights.h5`), a full-model `.h5`
(Keras 2 or 3: the JSON in the `model_config` attribute, weights under `model_weights`), a
`model.json` with its weights file (`<stem>_weights.h5` beside it unless given; hls4ml's KerasJson
layout, or a Keras 3 `.weights.h5`) or a live Keras 3 functional/Sequential model; gives a
`KerasGraph`: the `KerasNode`s (keras_registry.py) in topological order, the graph's input refs
with their per-sample shapes (batch dropped), its output refs, the model's name and the Keras
major version that wrote it (2 or 3: Keras 2's hard_sigmoid differs from Keras 3's).

The files are read with zipfile, json and h5py; nothing is deserialised: Keras is not imported for a
file, and a `Lambda` layer (or any config carrying a Python function or bytecode) is refused, since
loading it would run code from the file. A live model is saved by Keras into a temporary `.keras`
file and read like one, so that both give the same nodes.

Weight names: `.h5` and JSON weights files name each variable (`dense/kernel:0` -> "kernel"); a
`.keras` file only numbers them (`layers/<snake_case class>/vars/<i>`, layers in model order), so
Keras' own layers get their names from their build order (`BUILD_ORDER`); layers of other packages
(QKeras, HGQ) keep `var_0`, `var_1`, ... (and `<sublayer>/var_0` for nested ones) for their
handlers to map.
"""

from __future__ import annotations

import io
import json
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from compiler.importers.keras_registry import KerasNode, Ref
from dialects.errors import CompileError

MODEL_CLASSES = ("Model", "Functional", "Sequential")
CODE_KEYS = ("function", "function_type", "__lambda__", "__python_function__", "bytecode")


@dataclass
class KerasGraph:
    name: str
    nodes: list[KerasNode]
    inputs: list[tuple[Ref, tuple[int, ...]]]  # each input's ref and per-sample shape
    outputs: list[Ref]
    keras_major: int  # 2 or 3


def _fail(source: str, message: str) -> CompileError:
    return CompileError(f"{source}: {message}")


# --------------------------------------------------------------------------------------------------
# Weight names of Keras' own layers in a .keras file (their creation order in build())


def _conv_order(config: dict) -> list[str]:
    return ["kernel"] + (["bias"] if config.get("use_bias", True) else [])


def _batch_norm_order(config: dict) -> list[str]:
    return (
        (["gamma"] if config.get("scale", True) else [])
        + (["beta"] if config.get("center", True) else [])
        + ["moving_mean", "moving_variance"]
    )


def _separable_order(config: dict) -> list[str]:
    return ["depthwise_kernel", "pointwise_kernel"] + (["bias"] if config.get("use_bias", True) else [])


BUILD_ORDER: dict[str, Callable[[dict], list[str]]] = {
    **{c: _conv_order for c in ("Dense", "Conv1D", "Conv2D", "DepthwiseConv1D", "DepthwiseConv2D")},
    "SeparableConv1D": _separable_order,
    "SeparableConv2D": _separable_order,
    "BatchNormalization": _batch_norm_order,
    "PReLU": lambda config: ["alpha"],
}


def _snake_case(name: str) -> str:
    """Keras' naming.to_snake_case: how a .keras file names a layer's weight group."""
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


def _is_keras_layer(layer: dict) -> bool:
    module = layer.get("module")
    return module is None or str(module).startswith("keras")


def _datasets(group: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    for key in group:
        item = group[key]
        if hasattr(item, "shape"):
            yield prefix + key, item
        else:
            yield from _datasets(item, f"{prefix}{key}/")


def _keras3_weights(source: str, layers: list[dict], root: Any) -> dict[str, dict[str, np.ndarray]]:
    """The weights of a Keras 3 weights file (`layers/<snake_case class>[_n]/vars/<i>`), by layer name."""
    if "layers" not in root:
        return {}
    group, used, weights = root["layers"], {}, {}
    for layer in layers:
        if layer["class_name"] == "InputLayer":  # Sequential files leave it out, it has no weights
            continue
        key = _snake_case(layer["class_name"])
        used[key] = used.get(key, -1) + 1
        key = f"{key}_{used[key]}" if used[key] else key
        if key not in group:
            continue
        numbered: dict[str, np.ndarray] = {}
        for path, data in _datasets(group[key]):
            parts = path.split("/")
            if len(parts) < 2 or parts[-2] != "vars":
                continue
            sub = "/".join(parts[:-2])
            numbered[f"{sub + '/' if sub else ''}var_{parts[-1]}"] = np.asarray(data)
        order = BUILD_ORDER.get(layer["class_name"]) if _is_keras_layer(layer) else None
        if order is not None and numbered:
            names = order(layer.get("config", {}))
            own = sorted((k for k in numbered if "/" not in k), key=lambda k: int(k[4:]))
            if len(own) != len(names):
                raise _fail(
                    source,
                    f"layer '{layer['name']}' ({layer['class_name']}): the weights file holds {len(own)} "
                    f"variables, its config expects {len(names)} ({', '.join(names)})",
                )
            numbered = {name: numbered[k] for name, k in zip(names, own)}
        weights[layer["name"]] = numbered
    return weights


def _named_weights(group: Any) -> dict[str, dict[str, np.ndarray]]:
    """Keras 2/3 legacy HDF5 weights: per layer group, its `weight_names` (`layer/kernel:0`)."""
    weights = {}
    for layer_name in _strings(group.attrs.get("layer_names", [])):
        if layer_name not in group:
            continue
        layer_group, arrays = group[layer_name], {}
        for full in _strings(layer_group.attrs.get("weight_names", [])):
            arrays[_short_name(full, layer_name)] = np.asarray(layer_group[full])
        weights[layer_name] = arrays
    return weights


def _short_name(full: str, layer_name: str) -> str:
    """`[model/]layer/kernel:0` -> "kernel" (what follows the layer's own name, without `:0`)."""
    parts = full.split(":")[0].split("/")
    at = max((i for i, part in enumerate(parts[:-1]) if part == layer_name), default=len(parts) - 2)
    return "/".join(parts[at + 1 :])


def _strings(values: Any) -> list[str]:
    return [v.decode() if isinstance(v, bytes) else str(v) for v in np.asarray(values).reshape(-1)]


def _read_weights(source: str, layers: list[dict], h5: Any) -> dict[str, dict[str, np.ndarray]]:
    if "model_weights" in h5:
        h5 = h5["model_weights"]
    if "layer_names" in h5.attrs:
        return _named_weights(h5)
    return _keras3_weights(source, layers, h5)


def _open_h5(source: str, file: Any) -> Any:
    import h5py

    try:
        return h5py.File(file, "r")
    except Exception as err:  # OSError for a truncated or foreign file
        raise _fail(source, f"not a readable HDF5 file ({type(err).__name__}: {err})") from None


# --------------------------------------------------------------------------------------------------
# The model's config -> nodes


def _refuse_code(source: str, layer: dict) -> None:
    """A layer whose config carries Python code (Lambda, custom functions) is never loaded."""
    name, kind = layer.get("name", "?"), layer.get("class_name", "?")

    def walk(value: Any) -> bool:
        if isinstance(value, dict):
            if value.get("class_name") in ("__lambda__", "function", "__function__"):
                return True
            return any(k in CODE_KEYS or walk(v) for k, v in value.items())
        if isinstance(value, list):
            return any(walk(v) for v in value)
        return False

    if kind == "Lambda" or walk(layer.get("config", {})):
        raise _fail(
            source,
            f"layer '{name}' ({kind}): holds Python code (a function or bytecode), which is never "
            "loaded from a file because it could run anything; replace it with built-in layers",
        )


def _history(value: Any) -> Iterator[Ref]:
    """The Keras 3 tensors (keras_history) in a call's args, in order."""
    if isinstance(value, dict):
        if value.get("class_name") == "__keras_tensor__":
            name, call, index = value["config"]["keras_history"]
            yield (str(name), int(call), int(index))
        else:
            for v in value.values():
                yield from _history(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _history(v)


def _call_inputs(source: str, layer: dict) -> list[list[Ref]]:
    """Per call of the layer, the tensors it reads (Keras 2 lists or Keras 3 args)."""
    calls = []
    for entry in layer.get("inbound_nodes", []):
        if isinstance(entry, dict):  # Keras 3: {"args": [...], "kwargs": {...}}
            calls.append(list(_history(entry.get("args", []))))
        elif isinstance(entry, list):  # Keras 2: [[name, call, index, kwargs], ...]
            calls.append([(str(t[0]), int(t[1]), int(t[2])) for t in entry])
        else:
            raise _fail(source, f"layer '{layer.get('name')}': unreadable inbound_nodes")
    return calls


def _refs(value: Any) -> list[Ref]:
    """input_layers/output_layers: one [name, call, index] or a list of them."""
    if value and isinstance(value[0], str):
        value = [value]
    return [(str(v[0]), int(v[1]), int(v[2])) for v in value]


def _shape(source: str, layer: dict) -> tuple[int, ...]:
    config = layer.get("config", {})
    shape = config.get("batch_input_shape", config.get("batch_shape"))
    if shape is None:
        raise _fail(source, f"layer '{layer.get('name')}': the model's input shape is not given")
    sample = shape[1:]
    if not sample or any(not isinstance(d, int) or d < 1 for d in sample):
        raise _fail(source, f"input '{layer.get('name')}': shape {shape} must be static after the batch axis")
    return tuple(sample)


def _sequential(source: str, config: Any) -> tuple[list[dict], list, list]:
    """A Sequential config (a list, or {"layers": [...]}) as functional layers, inputs, outputs."""
    layers = [dict(layer) for layer in (config if isinstance(config, list) else config.get("layers", []))]
    if not layers:
        raise _fail(source, "the Sequential model has no layers")
    for layer in layers:
        layer.setdefault("name", layer.get("config", {}).get("name"))
    if layers[0]["class_name"] != "InputLayer":
        names = {layer["name"] for layer in layers}
        input_name = f"{layers[0]['name']}_input"
        while input_name in names:
            input_name += "_"
        shape = _shape(source, layers[0])
        layers.insert(0, {"class_name": "InputLayer", "name": input_name, "config": {"batch_shape": [None, *shape]}})
    previous = layers[0]["name"]
    for layer in layers[1:]:
        layer["inbound_nodes"] = [[[previous, 0, 0, {}]]]
        previous = layer["name"]
    return layers, [[layers[0]["name"], 0, 0]], [[previous, 0, 0]]


def graph_of(source: str, model: dict, weights: dict[str, dict[str, np.ndarray]], keras_major: int) -> KerasGraph:
    """The nodes of a model config ({"class_name": ..., "config": ...}) with its weights by layer name."""
    kind, config = model.get("class_name"), model.get("config")
    if kind not in MODEL_CLASSES or config is None:
        raise _fail(
            source,
            f"the model is a {kind!r}; only functional and Sequential models are supported "
            "(a subclassed model has no layer graph in its file)",
        )
    if kind == "Sequential":
        layers, input_layers, output_layers = _sequential(source, config)
    else:
        layers = list(config.get("layers", []))
        input_layers, output_layers = config.get("input_layers", []), config.get("output_layers", [])
    by_name = {}
    for layer in layers:
        if not isinstance(layer, dict) or "class_name" not in layer:
            raise _fail(source, "a layer without a class_name")
        _refuse_code(source, layer)
        layer.setdefault("name", layer.get("config", {}).get("name"))
        if layer["class_name"] in MODEL_CLASSES:
            raise _fail(source, f"layer '{layer['name']}' ({layer['class_name']}): nested models are not supported")
        by_name[layer["name"]] = layer
    inputs = [(ref, _shape(source, by_name[ref[0]])) for ref in _refs(input_layers) if ref[0] in by_name]
    outputs = _refs(output_layers)
    if not inputs or len(inputs) != len(_refs(input_layers)):
        raise _fail(source, "the model's inputs are not InputLayers of the model")

    calls: list[KerasNode] = []
    for layer in layers:
        class_name, name = layer["class_name"], layer["name"]
        layer_config = layer.get("config", {})
        layer_weights = weights.get(name, {})
        call_inputs = _call_inputs(source, layer) if class_name != "InputLayer" else [[]]
        for call, refs in enumerate(call_inputs):
            calls.append(KerasNode(class_name, name, layer_config, layer_weights, refs, [(name, call, 0)]))
    name = str((config.get("name") if isinstance(config, dict) else None) or model.get("name") or "model")
    return KerasGraph(name, _ordered(source, calls, outputs), inputs, outputs, keras_major)


def _ordered(source: str, calls: list[KerasNode], outputs: list[Ref]) -> list[KerasNode]:
    """The calls in topological order (file order among the ready ones); each call gets as many
    outputs as its readers use."""
    used: dict[tuple[str, int], int] = {}
    for ref in [r for node in calls for r in node.inputs] + outputs:
        used[ref[:2]] = max(used.get(ref[:2], 0), ref[2] + 1)
    made = {}
    for node in calls:
        name, call, _ = node.outputs[0]
        node.outputs = [(name, call, i) for i in range(used.get((name, call), 1))]
        made.update({ref: node for ref in node.outputs})
    for ref in [r for node in calls for r in node.inputs] + outputs:
        if ref not in made:
            raise _fail(source, f"tensor {list(ref)} is not made by any layer of the model")
    order, done, pending = [], set(), list(calls)
    while pending:
        ready = [n for n in pending if all(made[r].outputs[0] in done for r in n.inputs)]
        if not ready:
            raise _fail(source, f"layer '{pending[0].name}' is part of a cycle")
        order.append(ready[0])
        done.add(ready[0].outputs[0])
        pending.remove(ready[0])
    return order


def _major(version: Any, default: int) -> int:
    match = re.match(r"\s*(\d+)", str(version or ""))
    return int(match.group(1)) if match else default


def _json(source: str, text: str | bytes) -> dict:
    try:
        model = json.loads(text)
    except (ValueError, UnicodeDecodeError) as err:
        raise _fail(source, f"not a Keras model JSON ({err})") from None
    if not isinstance(model, dict):
        raise _fail(source, "not a Keras model JSON (not an object)")
    return model


def _layers(model: dict) -> list[dict]:
    config = model.get("config")
    if isinstance(config, list):
        return config
    return config.get("layers", []) if isinstance(config, dict) else []


# --------------------------------------------------------------------------------------------------
# The sources


def read_keras_zip(path: Path, source: str | None = None) -> KerasGraph:
    """A Keras 3 `.keras` archive."""
    source = source or str(path)
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "config.json" not in names:
                raise _fail(source, "not a Keras archive (no config.json)")
            model = _json(source, archive.read("config.json"))
            metadata = _json(source, archive.read("metadata.json")) if "metadata.json" in names else {}
            weights_data = archive.read("model.weights.h5") if "model.weights.h5" in names else None
    except (zipfile.BadZipFile, OSError, EOFError) as err:
        raise _fail(source, f"not a readable .keras archive ({type(err).__name__}: {err})") from None
    weights = {}
    if weights_data is not None:
        with _open_h5(source, io.BytesIO(weights_data)) as h5:
            weights = _read_weights(source, _flat_layers(source, model), h5)
    return graph_of(source, model, weights, _major(metadata.get("keras_version"), 3))


def _flat_layers(source: str, model: dict) -> list[dict]:
    layers = _layers(model)
    if model.get("class_name") == "Sequential" and layers:
        layers = _sequential(source, model["config"])[0]
    return layers


def read_keras_h5(path: Path) -> KerasGraph:
    """A full-model HDF5 file (Keras 2 or 3's `model.save("x.h5")`)."""
    source = str(path)
    with _open_h5(source, path) as h5:
        if "model_config" not in h5.attrs:
            raise _fail(source, "holds no model (no model_config attribute): give the model's JSON with these weights")
        raw = h5.attrs["model_config"]
        model = _json(source, raw.decode() if isinstance(raw, bytes) else str(raw))
        weights = _read_weights(source, _flat_layers(source, model), h5)
        version = h5.attrs.get("keras_version", model.get("keras_version"))
        version = version.decode() if isinstance(version, bytes) else version
    return graph_of(source, model, weights, _major(version, 2))


def read_keras_json(path: Path, weights_path: Path | None = None) -> KerasGraph:
    """A model JSON (`model.to_json()`) and its weights file (`<stem>_weights.h5` beside it)."""
    source = str(path)
    try:
        model = _json(source, path.read_text())
    except OSError as err:
        raise _fail(source, f"cannot be read ({err.strerror})") from None
    if weights_path is None:
        weights_path = path.with_name(f"{path.stem}_weights.h5")
        if not weights_path.is_file():
            raise _fail(source, f"no weights file '{weights_path.name}' beside it; give one with --weights (weights=)")
    elif not Path(weights_path).is_file():
        raise _fail(str(weights_path), "no such weights file")
    with _open_h5(str(weights_path), weights_path) as h5:
        weights = _read_weights(str(weights_path), _flat_layers(source, model), h5)
    # Keras 3's to_json() gives no version, but "module" keys (Keras 2 wrote neither)
    written_by = 3 if "module" in model or model.get("class_name") == "Functional" else 2
    return graph_of(source, model, weights, _major(model.get("keras_version"), written_by))


def read_keras_model(model: Any) -> KerasGraph:
    """A live Keras 3 model, through a temporary .keras file written by Keras itself."""
    source = f"Keras model '{getattr(model, 'name', type(model).__name__)}'"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.keras"
        try:
            model.save(path)
        except Exception as err:
            raise _fail(source, f"Keras could not save it ({type(err).__name__}: {err})") from None
        return read_keras_zip(path, source)


def read_keras(source: Any, weights: str | Path | None = None) -> KerasGraph:
    """Any supported source: a path (.keras, .h5/.hdf5, .json) or a live Keras 3 model."""
    if not isinstance(source, (str, Path)):
        return read_keras_model(source)
    path = Path(source)
    if not path.is_file():
        raise _fail(str(path), "no such file")
    suffix = path.suffix.lower()
    if weights is not None and suffix != ".json":
        raise _fail(str(path), "a separate weights file is only for a model JSON")
    if suffix == ".keras":
        return read_keras_zip(path)
    if suffix in (".h5", ".hdf5"):
        return read_keras_h5(path)
    if suffix == ".json":
        return read_keras_json(path, Path(weights) if weights is not None else None)
    raise _fail(str(path), "not a Keras model file (.keras, .h5, .hdf5 or .json)")
