"""Helpers shared by the end-to-end tests: building models, compiling them, comparing numbers."""

from __future__ import annotations

import io
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


def torch_to_onnx(module, input_shape: tuple[int, ...]) -> onnx.ModelProto:
    import torch

    buffer = io.BytesIO()
    torch.onnx.export(
        module.eval(),
        (torch.zeros(1, *input_shape),),
        buffer,
        dynamo=False,
        input_names=["x"],
        output_names=["y"],
        dynamic_axes={"x": {0: "batch"}, "y": {0: "batch"}},
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
