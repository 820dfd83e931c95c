"""Helpers shared by the end-to-end tests: building models, compiling them, comparing numbers."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper

from compiler.api import HLSModel, convert
from compiler.check import onnxruntime_outputs

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def shared_path(relative: str) -> Path:
    path = SHARED / relative
    if not path.exists():
        pytest.skip(f"{path} is not available (../shared is absent)")
    return path


def dense_layers(sizes: list[int], rng: np.random.Generator, prefix: str = "fc") -> list:
    return [
        (
            rng.normal(size=(a, b)).astype(np.float32) * np.float32(np.sqrt(2 / a)),
            rng.normal(size=b).astype(np.float32) * 0.1,
        )
        for a, b in zip(sizes[:-1], sizes[1:])
    ]


def make_model(
    nodes, input_shape, output_shape, initializers, opset: int = 13, name: str = "test_model"
) -> onnx.ModelProto:
    graph = helper.make_graph(
        nodes,
        name,
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", *input_shape])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", *output_shape])],
        [numpy_helper.from_array(v, k) for k, v in initializers.items()],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def save(model: onnx.ModelProto, path: Path) -> Path:
    onnx.save(model, path)
    return path


def torch_to_onnx(module, input_shape, keep_batchnorm: bool = False) -> onnx.ModelProto:
    """torch.onnx.export (the TorchScript exporter) with a dynamic batch: `input_shape` is one
    per-sample shape (input `x`) or a list of them (inputs `x0`, `x1`, ...); the output is `y`.
    `keep_batchnorm` exports in PRESERVE mode: BatchNormalization nodes stay (EVAL folds them into the
    convolutions in float32, which our fold-batchnorm pass does at the nn level)."""
    import torch

    shapes = list(input_shape) if input_shape and isinstance(input_shape[0], (tuple, list)) else [input_shape]
    names = ["x"] if len(shapes) == 1 else [f"x{i}" for i in range(len(shapes))]
    buffer = io.BytesIO()
    with warnings.catch_warnings():  # the TorchScript exporter's deprecation notices
        warnings.simplefilter("ignore")
        torch.onnx.export(
            module.eval(),
            tuple(torch.zeros(1, *s) for s in shapes),
            buffer,
            dynamo=False,
            input_names=names,
            output_names=["y"],
            dynamic_axes={**{n: {0: "batch"} for n in names}, "y": {0: "batch"}},
            training=torch.onnx.TrainingMode.PRESERVE if keep_batchnorm else torch.onnx.TrainingMode.EVAL,
        )
    return onnx.load_from_string(buffer.getvalue())


@dataclass
class Run:
    model: HLSModel
    csim: np.ndarray
    emulated: np.ndarray
    reference: np.ndarray


def compile_and_run(onnx_path: Path, out_dir: Path, x: np.ndarray, **options) -> Run:
    model = convert(onnx_path, output_dir=out_dir, **options)
    model.write()
    model.compile()
    csim = model.predict(x)
    emulated = model.emulate(x)
    reference = onnxruntime_outputs(str(onnx_path), [x])[0].reshape(csim.shape)
    return Run(model, csim, emulated, reference)


def output_step(model: HLSModel) -> float:
    """The value of one step of the design's output type."""
    port = model.report["interface"]["outputs"][0]["type"]
    width, int_bits = (int(v) for v in port.split("<")[1].rstrip(">").split(",")[:2])
    return 2.0 ** -(width - int_bits)
