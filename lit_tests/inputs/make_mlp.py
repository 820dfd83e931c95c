"""Writes a tiny ONNX model for the CLI tests: `make_mlp.py OUT.onnx [--kind KIND]`.

Kinds (weights are small binary fractions, so that every fixed-point code is easy to check):
  mlp      x[1,4] -> Gemm(4->3, transB=1) -> Relu -> Gemm(3->2) -> Softmax   (nodes fc1 relu1 fc2 softmax)
  matmul   x[1,3] -> MatMul(3->2) -> Add(bias) -> Sigmoid                   (nodes mm add act)
  unsupported  x[1,4] -> Hardmax (an operator the importer does not know)  (node hardmax)
"""

import argparse

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def tensor(name, values):
    return numpy_helper.from_array(np.array(values, dtype=np.float32), name)


def mlp():
    nodes = [
        helper.make_node("Gemm", ["x", "w1", "b1"], ["h1"], name="fc1", transB=1),
        helper.make_node("Relu", ["h1"], ["r1"], name="relu1"),
        helper.make_node("Gemm", ["r1", "w2", "b2"], ["h2"], name="fc2"),
        helper.make_node("Softmax", ["h2"], ["y"], name="softmax", axis=-1),
    ]
    inits = [
        # transB=1: stored [out, in]
        tensor("w1", [[0.5, -0.25, 1.0, 0.0], [0.125, 0.75, -0.5, 1.0], [-1.0, 0.5, 0.25, 0.5]]),
        tensor("b1", [0.25, -0.5, 0.0]),
        tensor("w2", [[1.0, -1.0], [0.5, 0.25], [-0.75, 2.0]]),
        tensor("b2", [0.125, -0.125]),
    ]
    return nodes, inits, [1, 4], [1, 2]


def matmul():
    nodes = [
        helper.make_node("MatMul", ["x", "w"], ["m"], name="mm"),
        helper.make_node("Add", ["m", "b"], ["a"], name="add"),
        helper.make_node("Sigmoid", ["a"], ["y"], name="act"),
    ]
    inits = [tensor("w", [[0.5, -0.25], [1.0, 0.125], [-1.5, 2.0]]), tensor("b", [0.5, -0.5])]
    return nodes, inits, [1, 3], [1, 2]


def unsupported():
    nodes = [helper.make_node("Hardmax", ["x"], ["y"], name="hardmax")]
    return nodes, [], [1, 4], [1, 4]


def write_model(builders: dict, default: str) -> None:
    """The command line: build the `--kind` model and save it, checked, to the output path."""
    parser = argparse.ArgumentParser()
    parser.add_argument("output")
    parser.add_argument("--kind", default=default, choices=list(builders))
    args = parser.parse_args()
    nodes, inits, in_shape, out_shape = builders[args.kind]()
    graph = helper.make_graph(
        nodes,
        args.kind,
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, in_shape)],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, out_shape)],
        initializer=inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, args.output)


if __name__ == "__main__":
    write_model({"mlp": mlp, "matmul": matmul, "unsupported": unsupported}, "mlp")
