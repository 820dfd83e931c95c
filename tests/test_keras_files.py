"""Reading Keras files (compiler/importers/keras_files.py), hostile ones included.

Keras 2 JSON + HDF5 weights written here (hls4ml's KerasJson layout) cover what Keras 3 cannot
build: Keras 2's functional format with a layer called twice, ThresholdedReLU. Each broken or
hostile input (truncated HDF5, an unknown class, a Lambda layer, a weight of the wrong shape, a JSON
without its weights) is one CompileError line naming the layer or file, and the CLI exits with 2
writing nothing; hostile layer names are sanitized, not refused.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

from compiler.__main__ import main
from compiler.api import convert
from dialects.errors import CompileError

h5py = pytest.importorskip("h5py")
os.environ.setdefault("KERAS_BACKEND", "torch")

HOSTILE = '../../x"y*/\\'


def layer(kind: str, name: str, inbound=None, **config) -> dict:
    entry = {"class_name": kind, "name": name, "config": {"name": name, **config}}
    if inbound is not None:
        entry["inbound_nodes"] = inbound
    return entry


def keras2_model(folder: Path, stem: str, layers: list, weights: dict, inputs=None, outputs=None) -> Path:
    """A Keras 2 `model.to_json()` (functional when `inputs` are given, else a 2.0-style Sequential
    list) and its weights in hls4ml's KerasJson layout (`<layer>/<layer>/<name>:0`)."""
    if inputs is None:
        model = {"class_name": "Sequential", "keras_version": "2.4.0", "config": layers}
    else:
        config = {"name": stem, "layers": layers, "input_layers": inputs, "output_layers": outputs}
        model = {"class_name": "Model", "keras_version": "2.4.0", "config": config}
    path = folder / f"{stem}.json"
    path.write_text(json.dumps(model))
    with h5py.File(folder / f"{stem}_weights.h5", "w") as h5:
        h5.attrs["layer_names"] = [entry["name"].encode() for entry in layers]
        for entry in layers:
            name = entry["name"]
            group = h5.create_group(name.replace("/", "_"))  # an HDF5 group name cannot hold "/"
            arrays = weights.get(name, {})
            group.attrs["weight_names"] = [f"{name}/{k}:0".encode() for k in arrays]
            for key, array in arrays.items():
                group[f"{name}/{key}:0"] = array
    return path


def dense_model(folder: Path, kernel_shape=(3, 4), stem: str = "dense") -> Path:
    rng = np.random.default_rng(0)
    layers = [layer("Dense", "fc", units=4, activation="relu", batch_input_shape=[None, 3])]
    weights = {"fc": {"kernel": rng.normal(size=kernel_shape).astype(np.float32), "bias": np.zeros(4, np.float32)}}
    return keras2_model(folder, stem, layers, weights)


def refused(source, match: str, tmp_path: Path, **options) -> str:
    """The one-line CompileError for `source`, and the CLI's exit 2 with nothing written."""
    with pytest.raises(CompileError, match=match) as info:
        convert(source, **options)
    message = str(info.value)
    assert "\n" not in message
    out = tmp_path / "out"
    argv = [str(source), "-o", str(out)] + (["--weights", str(options["weights"])] if "weights" in options else [])
    assert main(argv) == 2
    assert not out.exists()
    return message


# -------------------------------------------------------------------------------------------------
# What Keras 2 files hold that Keras 3 cannot build


def test_keras2_functional_with_a_shared_layer(tmp_path):
    """Keras 2 inbound nodes, a layer called twice (call index 1), ThresholdedReLU, Add."""
    rng = np.random.default_rng(1)
    kernel, bias = rng.normal(size=(5, 5)).astype(np.float32), rng.normal(size=5).astype(np.float32)
    layers = [
        layer("InputLayer", "x", [], batch_input_shape=[None, 5]),
        layer("Dense", "shared", [[["x", 0, 0, {}]]], units=5, activation="linear"),
        layer("ThresholdedReLU", "cut", [[["shared", 0, 0, {}]]], theta=0.3),
        # the second call of `shared` comes after the layer that reads it, in the file
        layer("Add", "sum", [[["cut", 0, 0, {}], ["shared", 1, 0, {}]]]),
    ]
    layers[1]["inbound_nodes"].append([["cut", 0, 0, {}]])
    path = keras2_model(
        tmp_path, "shared", layers, {"shared": {"kernel": kernel, "bias": bias}}, [["x", 0, 0]], [["sum", 0, 0]]
    )
    x = rng.normal(size=(50, 5))
    first = x @ kernel + bias
    cut = np.where(first > 0.3, first, 0)
    expected = cut + cut @ kernel + bias
    model = convert(path, precision="ap_fixed<32,12>")
    assert np.abs(model.emulate(x) - expected).max() < 1e-3
    assert 'layer = "shared_call1"' in model.ir("import")


# -------------------------------------------------------------------------------------------------
# Broken and hostile inputs


def test_truncated_hdf5(tmp_path):
    path = dense_model(tmp_path)
    weights = tmp_path / "dense_weights.h5"
    weights.write_bytes(weights.read_bytes()[:300])
    message = refused(path, "not a readable HDF5 file", tmp_path)
    assert "dense_weights.h5" in message


def full_model_h5(folder: Path) -> Path:
    """A Keras 2 full-model HDF5 file (`model.save("x.h5")`): the JSON in `model_config`, the
    weights under `model_weights`."""
    json_path = dense_model(folder, stem="full")
    path = folder / "full.h5"
    with h5py.File(path, "w") as h5, h5py.File(folder / "full_weights.h5") as weights:
        h5.attrs["model_config"] = json_path.read_text()
        h5.attrs["keras_version"] = b"2.4.0"
        weights.copy(weights["/"], h5, "model_weights")
    return path


def test_full_model_h5_and_truncated(tmp_path):
    path = full_model_h5(tmp_path)
    x = np.random.default_rng(3).normal(size=(10, 3))
    with h5py.File(path) as h5:
        kernel = np.asarray(h5["model_weights/fc/fc/kernel:0"])
    assert np.abs(convert(path, precision="ap_fixed<32,12>").emulate(x) - np.maximum(x @ kernel, 0)).max() < 1e-3
    path.write_bytes(path.read_bytes()[:2000])
    assert "full.h5" in refused(path, "not a readable HDF5 file", tmp_path)


def test_not_a_keras_archive(tmp_path):
    path = tmp_path / "broken.keras"
    path.write_bytes(b"PK\x03\x04" + b"\0" * 40)
    assert "broken.keras" in refused(path, "not a readable .keras archive", tmp_path)


def test_unknown_class(tmp_path):
    layers = [layer("FancyLayer", "fancy", batch_input_shape=[None, 3])]
    message = refused(keras2_model(tmp_path, "fancy", layers, {}), "unsupported layer class", tmp_path)
    assert message.startswith("layer 'fancy' (FancyLayer): unsupported layer class; supported: ")
    assert "Conv2D" in message and "Dense" in message


def test_lambda_layer_is_never_loaded(tmp_path):
    code = {"function": ["4wEAAAAAAAAA", None, None], "function_type": "lambda", "arguments": {}}
    layers = [layer("Lambda", "evil", batch_input_shape=[None, 3], **code)]
    message = refused(keras2_model(tmp_path, "evil", layers, {}), "Python code", tmp_path)
    assert "layer 'evil' (Lambda)" in message


def test_function_in_a_config_is_refused(tmp_path):
    activation = {"class_name": "__lambda__", "config": {"code": "4wEAAAAA"}}
    layers = [layer("Activation", "act", batch_input_shape=[None, 3], activation=activation)]
    refused(keras2_model(tmp_path, "act", layers, {}), r"layer 'act' \(Activation\): holds Python code", tmp_path)


def test_weight_of_the_wrong_shape(tmp_path):
    message = refused(dense_model(tmp_path, kernel_shape=(3, 5)), "weight 'kernel' has shape", tmp_path)
    assert message.endswith("layer 'fc' (Dense): weight 'kernel' has shape [3, 5], expected [3, 4]")


def test_json_without_its_weights(tmp_path):
    path = dense_model(tmp_path)
    (tmp_path / "dense_weights.h5").unlink()
    message = refused(path, "no weights file 'dense_weights.h5' beside it", tmp_path)
    assert str(path) in message


def test_explicit_weights_path(tmp_path):
    path = dense_model(tmp_path)
    moved = tmp_path / "elsewhere.h5"
    (tmp_path / "dense_weights.h5").rename(moved)
    assert convert(path, weights=moved).output_shapes == [(4,)]
    refused(path, "no such weights file", tmp_path, weights=tmp_path / "missing.h5")


def test_hostile_names_are_sanitized(tmp_path):
    """Names with quotes, `../`, `*/` and a backslash reach neither the generated C++ (outside the
    emitter's comments) nor any path."""
    rng = np.random.default_rng(2)
    layers = [
        layer("InputLayer", HOSTILE + "in", [], batch_input_shape=[None, 3]),
        layer("Dense", "fc", [[[HOSTILE + "in", 0, 0, {}]]], units=4, activation="linear"),
        layer("Activation", HOSTILE, [[["fc", 0, 0, {}]]], activation="relu"),
    ]
    weights = {"fc": {"kernel": rng.normal(size=(3, 4)).astype(np.float32), "bias": np.zeros(4, np.float32)}}
    path = keras2_model(tmp_path, "hostile", layers, weights, [[HOSTILE + "in", 0, 0]], [[HOSTILE, 0, 0]])
    out = tmp_path / "prj"
    assert main([str(path), "-o", str(out), "--name", HOSTILE]) == 0
    written = [p for p in out.rglob("*") if p.is_file()]
    assert all(p.resolve().is_relative_to(out.resolve()) for p in written)
    for file in written:  # the emitter may quote a layer name in a // comment (made safe there), nowhere else
        if file.suffix in (".cpp", ".h", ".tcl"):
            code = "\n".join(line.split("//")[0] for line in file.read_text().splitlines())
            assert '"y' not in code and "../../x" not in code, file
