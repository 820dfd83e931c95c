"""Reference execution of quantized models by QONNX itself (`qonnx.core.onnx_exec.execute_onnx`),
and the graph surgery the comparisons need (not tests)."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import onnx
from qonnx.core.modelwrapper import ModelWrapper
from qonnx.core.onnx_exec import execute_onnx
from qonnx.transformation.infer_shapes import InferShapes


def truncated(model: onnx.ModelProto, tensor: str) -> onnx.ModelProto:
    """The part of `model` that computes `tensor`, with `tensor` as its only output."""
    cut = onnx.ModelProto()
    cut.CopyFrom(model)
    needed, keep = {tensor}, []
    for node in reversed(list(cut.graph.node)):
        if any(o in needed for o in node.output):
            keep.append(node)
            needed.update(node.input)
    del cut.graph.node[:]
    cut.graph.node.extend(reversed(keep))
    del cut.graph.output[:]
    cut.graph.output.append(onnx.helper.make_tensor_value_info(tensor, onnx.TensorProto.FLOAT, None))
    return cut


def _with_batch(model: onnx.ModelProto, n: int) -> onnx.ModelProto:
    """The model with a batch of n (its files freeze the batch to 1): shapes re-inferred."""
    out = onnx.ModelProto()
    out.CopyFrom(model)
    for value in out.graph.input:
        if value.name not in {t.name for t in out.graph.initializer}:
            value.type.tensor_type.shape.dim[0].dim_value = n
    del out.graph.value_info[:]
    for value in out.graph.output:
        value.type.tensor_type.ClearField("shape")
    return out


def qonnx_execute(model: onnx.ModelProto, *inputs: np.ndarray) -> list[np.ndarray]:
    """Every graph output for a batch of inputs, as QONNX computes them (float32)."""
    names = [v.name for v in model.graph.input if v.name not in {t.name for t in model.graph.initializer}]
    channels_last = any(node.domain.endswith("channels_last") for node in model.graph.node)
    if channels_last:  # its shape functions need the stored shapes: one sample at a time
        wrapper = ModelWrapper(model)
        runs = [
            execute_onnx(wrapper, {name: x[i : i + 1].astype(np.float32) for name, x in zip(names, inputs)})
            for i in range(len(inputs[0]))
        ]
        return [np.concatenate([run[o.name] for run in runs]) for o in model.graph.output]
    wrapper = ModelWrapper(_with_batch(model, len(inputs[0]))).transform(InferShapes())
    run = execute_onnx(wrapper, {name: x.astype(np.float32) for name, x in zip(names, inputs)})
    return [np.asarray(run[o.name]) for o in wrapper.graph.output]


def mnist_test_set(data_dir: Path, count: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """MNIST test images as [n, 1, 28, 28] floats in [0, 1] (pixel / 255) and their labels."""
    with gzip.open(data_dir / "t10k-images-idx3-ubyte.gz") as f:
        images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 1, 28, 28)
    with gzip.open(data_dir / "t10k-labels-idx1-ubyte.gz") as f:
        labels = np.frombuffer(f.read(), np.uint8, offset=8)
    images, labels = images[:count], labels[:count]
    return images.astype(np.float32) / np.float32(255.0), labels.astype(np.int64)
