"""Writes examples/jet_mlp.onnx: a jet-tagging-shaped MLP (16-64-32-32-5, ReLU, softmax) with
seeded random weights, built with onnx.helper so that it needs nothing but numpy and onnx.

    python examples/make_example.py [output.onnx]
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

LAYERS = [16, 64, 32, 32, 5]


def make_model(seed: int = 2024) -> onnx.ModelProto:
    rng = np.random.default_rng(seed)
    nodes, initializers = [], []
    current = "features"
    for i, (n_in, n_out) in enumerate(zip(LAYERS[:-1], LAYERS[1:])):
        weight = (rng.normal(size=(n_in, n_out)) * np.sqrt(2.0 / n_in)).astype(np.float32)
        bias = (rng.normal(size=n_out) * 0.1).astype(np.float32)
        initializers += [numpy_helper.from_array(weight, f"dense{i}_w"), numpy_helper.from_array(bias, f"dense{i}_b")]
        out = f"dense{i}_out"
        nodes.append(helper.make_node("Gemm", [current, f"dense{i}_w", f"dense{i}_b"], [out], name=f"dense{i}"))
        current = out
        if i < len(LAYERS) - 2:
            nodes.append(helper.make_node("Relu", [current], [f"relu{i}_out"], name=f"relu{i}"))
            current = f"relu{i}_out"
    nodes.append(helper.make_node("Softmax", [current], ["probabilities"], name="softmax", axis=-1))
    graph = helper.make_graph(
        nodes,
        "jet_mlp",
        [helper.make_tensor_value_info("features", TensorProto.FLOAT, ["batch", LAYERS[0]])],
        [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["batch", LAYERS[-1]])],
        initializers,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="nn2hls-example")
    model.ir_version = 8  # readable by every onnxruntime we support
    onnx.checker.check_model(model)
    return model


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("jet_mlp.onnx")
    onnx.save(make_model(), target)
    print(f"wrote {target}")
