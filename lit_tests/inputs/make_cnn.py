"""Writes a tiny convolutional ONNX model for the CLI tests: `make_cnn.py OUT.onnx [--kind KIND]`.

Kinds (channels-first like PyTorch's exports; weights are small binary fractions, so that every
fixed-point code is easy to check):
  cnn     x[1,2,4,4] -> Conv(2->2, 2x2, bias) -> Relu -> MaxPool(2x2, stride 1) -> Flatten -> Gemm(8->2)
          (nodes conv1 relu1 pool1 flatten fc; tensors [N,2,4,4] [N,2,3,3] [N,2,2,2] [N,8] [N,2])
  conv3d  x[1,1,3,3,3] -> Conv(1->1, 2x2x2)                       (node conv3d: 3 spatial axes)
"""

import numpy as np
from make_mlp import tensor, write_model
from onnx import helper


def cnn():
    nodes = [
        helper.make_node("Conv", ["x", "w1", "b1"], ["c1"], name="conv1", kernel_shape=[2, 2]),
        helper.make_node("Relu", ["c1"], ["r1"], name="relu1"),
        helper.make_node("MaxPool", ["r1"], ["p1"], name="pool1", kernel_shape=[2, 2], strides=[1, 1]),
        helper.make_node("Flatten", ["p1"], ["f"], name="flatten", axis=1),
        helper.make_node("Gemm", ["f", "w2", "b2"], ["y"], name="fc", transB=1),
    ]
    inits = [
        # [O, C, kh, kw]
        tensor(
            "w1",
            [
                [[[0.5, -0.25], [0.125, 1.0]], [[-0.5, 0.25], [0.0, 0.75]]],
                [[[1.0, 0.0], [-1.0, 0.5]], [[0.25, 0.125], [-0.25, 0.5]]],
            ],
        ),
        tensor("b1", [0.25, -0.5]),
        # transB=1: [out, in], `in` in the flattened [C, H, W] order
        tensor(
            "w2",
            [[0.5, -0.5, 0.25, 0.0, 1.0, -0.25, 0.125, 0.75], [-1.0, 0.5, 0.0, 0.25, 0.5, 0.5, -0.125, 0.25]],
        ),
        tensor("b2", [0.125, -0.25]),
    ]
    return nodes, inits, [1, 2, 4, 4], [1, 2]


def conv3d():
    nodes = [helper.make_node("Conv", ["x", "w"], ["y"], name="conv3d", kernel_shape=[2, 2, 2])]
    inits = [tensor("w", np.full((1, 1, 2, 2, 2), 0.125))]
    return nodes, inits, [1, 1, 3, 3, 3], [1, 1, 2, 2, 2]


if __name__ == "__main__":
    write_model({"cnn": cnn, "conv3d": conv3d}, "cnn")
