"""Helpers shared by the end-to-end tests: building models, compiling them, comparing numbers."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper

from compiler.api import HLSModel, convert
from compiler.check import onnxruntime_outputs

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@dataclass
class GraphBuilder:
    """The nodes and initializers of an ONNX graph being built, with fresh names."""

    nodes: list[onnx.NodeProto] = field(default_factory=list, kw_only=True)
    inits: dict[str, np.ndarray] = field(default_factory=dict, kw_only=True)
    layers: list[str] = field(default_factory=list, kw_only=True)  # one line per layer, for a repr
    count: int = field(default=0, kw_only=True)

    def fresh(self, prefix: str) -> str:
        self.count += 1
        return f"{prefix}{self.count}"

    def const(self, array: np.ndarray, prefix: str) -> str:
        name = self.fresh(prefix)
        self.inits[name] = array.astype(np.float32)
        return name


def fuzz_settings(examples: int):
    """Hypothesis settings of the fuzz tests: `examples` draws, the same ones on every run unless
    NN2HLS_FUZZ_EXAMPLES asks for fresh ones, no example database, no slow "explain" phase."""
    import os

    from hypothesis import HealthCheck, Phase, settings

    return settings(
        max_examples=examples,
        deadline=None,
        derandomize="NN2HLS_FUZZ_EXAMPLES" not in os.environ,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
        print_blob=True,
    )


def checked_model(
    nodes, name: str, input_shape, output: str, output_shape, initializers: dict[str, np.ndarray]
) -> onnx.ModelProto:
    """A one-input one-output opset-13 model of `nodes` (input "x", batch "N"), checked by onnx."""
    graph = helper.make_graph(
        nodes,
        name,
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", *input_shape])],
        [helper.make_tensor_value_info(output, TensorProto.FLOAT, ["N", *output_shape])],
        [numpy_helper.from_array(v, k) for k, v in initializers.items()],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.checker.check_model(model, full_check=True)
    return model


def widest_type(model: HLSModel) -> int:
    """The width of the widest fixed-point value of a design."""
    from xdsl.dialects.builtin import TensorType

    from dialects.fixed import FixedType

    return max(
        (
            v.type.element_type.format.width
            for op in model.module.walk()
            for v in op.results
            if isinstance(v.type, TensorType) and isinstance(v.type.element_type, FixedType)
        ),
        default=0,
    )


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


def gemm_mlp(path: Path, sizes=(8, 12, 4), seed: int = 3, name: str = "mlp") -> Path:
    """An MLP of Gemm + Relu nodes (fc1, relu1, ...; random weights) saved at `path`."""
    layers = dense_layers(list(sizes), np.random.default_rng(seed))
    nodes, weights, x = [], {}, "x"
    for i, (w, b) in enumerate(layers, 1):
        weights |= {f"w{i}": w, f"b{i}": b}
        out = "y" if i == len(layers) else f"h{i}"
        nodes.append(helper.make_node("Gemm", [x, f"w{i}", f"b{i}"], [out], name=f"fc{i}"))
        x = out
        if i < len(layers):
            nodes.append(helper.make_node("Relu", [x], [f"r{i}"], name=f"relu{i}"))
            x = f"r{i}"
    return save(make_model(nodes, [sizes[0]], [sizes[-1]], weights, name=name), path)


def tables_mlp(rng: np.random.Generator, name: str = "test_model") -> onnx.ModelProto:
    """6-10-5-5 with a sigmoid, a tanh and a softmax between the Gemm layers: every kind of table."""
    (w1, b1), (w2, b2), (w3, b3) = dense_layers([6, 10, 5, 5], rng)
    nodes = [
        helper.make_node("Gemm", ["x", "w1", "b1"], ["h"], name="fc1"),
        helper.make_node("Sigmoid", ["h"], ["s"], name="sigmoid"),
        helper.make_node("Gemm", ["s", "w2", "b2"], ["z"], name="fc2"),
        helper.make_node("Tanh", ["z"], ["t"], name="tanh"),
        helper.make_node("Gemm", ["t", "w3", "b3"], ["u"], name="fc3"),
        helper.make_node("Softmax", ["u"], ["y"], name="softmax", axis=1),
    ]
    weights = {"w1": w1, "b1": b1, "w2": w2, "b2": b2, "w3": w3, "b3": b3}
    return make_model(nodes, [6], [5], weights, name=name)


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
