"""ONNX node handlers for constants, dense layers, elementwise arithmetic and activations.

Takes the registry (onnx_registry.py: `GraphImporter`, `handles`) and the shared layer rules
(layers.py); gives nothing but the handlers it registers in `HANDLERS` when imported (onnx_importer
imports it). Spatial layers are in onnx_spatial.py, layout ops in onnx_layout.py, Pad/Resize in
onnx_resample.py, quantizers in qonnx_ops.py.
"""

from __future__ import annotations

import numpy as np
import onnx
from onnx import numpy_helper

from compiler.importers import einsum, layers
from compiler.importers.onnx_registry import HANDLERS, GraphImporter, Handler, _text, handles
from dialects import layout, nn

# --------------------------------------------------------------------------------------------------
# Constants and no-ops


@handles("Constant")
def _constant(imp: GraphImporter, node: onnx.NodeProto) -> None:
    attrs = imp.attrs(node)
    if "value" in attrs:
        array = numpy_helper.to_array(attrs["value"])
    elif "value_float" in attrs or "value_int" in attrs:
        array = np.array(attrs.get("value_float", attrs.get("value_int")))
    elif "value_floats" in attrs or "value_ints" in attrs:
        array = np.array(attrs.get("value_floats", attrs.get("value_ints")))
    else:
        raise imp.fail(node, f"only value, value_float(s) and value_int(s) are supported, got {sorted(attrs)}")
    imp.constants[node.output[0]] = array.astype(np.float32) if array.dtype.kind == "f" else array


@handles("Identity")
def _identity(imp: GraphImporter, node: onnx.NodeProto) -> None:
    imp.alias(node)


@handles("Dropout")
def _dropout(imp: GraphImporter, node: onnx.NodeProto) -> None:
    if len(node.output) > 1 and node.output[1]:
        raise imp.fail(node, "the mask output is not supported")
    training = imp.optional_constant(node, 2, "training_mode")
    if training is not None and bool(np.asarray(training).reshape(-1)[0]):
        ratio = imp.optional_constant(node, 1, "ratio")
        ratio = 0.5 if ratio is None else float(np.asarray(ratio).reshape(-1)[0])
        if ratio != 0.0:
            raise imp.fail(node, f"training_mode=1 with ratio {ratio:g} (random dropout) is not supported")
    imp.alias(node)


# --------------------------------------------------------------------------------------------------
# Dense layers


@handles("Gemm")
def _gemm(imp: GraphImporter, node: onnx.NodeProto) -> None:
    attrs = imp.attrs(node)
    if attrs.get("transA", 0):
        raise imp.fail(node, "transA=1 is not supported")
    weight = imp.constant(node, node.input[1], "weight B")
    if weight.ndim != 2:
        raise imp.fail(node, f"weight must be 2-D, got shape {list(weight.shape)}")
    if attrs.get("transB", 0):
        weight = weight.T
    weight = weight * np.float32(attrs.get("alpha", 1.0))
    bias = imp.optional_constant(node, 2, "bias C")
    if bias is not None:
        bias = bias * np.float32(attrs.get("beta", 1.0))
        try:
            bias = np.broadcast_to(bias, (1, weight.shape[1])).reshape(weight.shape[1]).astype(np.float32)
        except ValueError:
            raise imp.fail(node, f"bias shape {list(bias.shape)} does not broadcast to [{weight.shape[1]}]") from None
    layers.dense(imp, node, node.input[0], weight.astype(np.float32), bias)


@handles("MatMul")
def _matmul(imp: GraphImporter, node: onnx.NodeProto) -> None:
    """x @ W with a constant W: a dense layer (2-D W); 1-D W drops the last axis; W with leading
    (broadcast) axes is a dense layer per matrix of W, on the matching matrix of x."""
    weight = imp.constant(node, node.input[1], "second operand").astype(np.float32)
    if weight.ndim == 2:
        layers.dense(imp, node, node.input[0], weight, None)
        return
    tensor = imp.bound(node, node.input[0])
    rank = len(tensor.layout)  # per sample
    if rank == 0:
        raise imp.fail(node, "a 1-D first operand would contract over the batch axis")
    if weight.ndim == 1:
        x = imp.logical(node, node.input[0])
        shape = list(x.type.get_shape())
        if shape[-1] != weight.shape[0]:
            raise imp.fail(node, f"input shape {shape} does not match the second operand {list(weight.shape)}")
        if rank == 1:
            raise imp.fail(node, "a vector times a vector has no axis left per sample")
        w = imp.const_value(node, weight.reshape(-1, 1))
        y = imp.emit(nn.DenseOp(x, w, None, layer=node.name)).output
        imp.bind(node, imp.emit(layout.ReshapeOp(y, shape[:-1], node.name)).output)
        return
    if weight.ndim > rank + 1 or (weight.ndim == rank + 1 and weight.shape[0] != 1):
        raise imp.fail(node, f"a second operand of shape {list(weight.shape)} varies over the batch axis")
    if rank < 2:
        raise imp.fail(node, f"a first operand of rank {rank + 1} cannot take a stack of matrices")
    weight = weight.reshape(weight.shape[1:]) if weight.ndim == rank + 1 else weight
    x = imp.logical(node, node.input[0])
    shape = list(x.type.get_shape())
    x_groups, (m, k) = shape[:-2], shape[-2:]
    w_groups, (k_w, n) = list(weight.shape[:-2]), weight.shape[-2:]
    if k != k_w:
        raise imp.fail(node, f"input shape {shape} does not match the second operand {list(weight.shape)}")
    w_groups = [1] * (len(x_groups) - len(w_groups)) + w_groups
    try:
        groups = list(np.broadcast_shapes(tuple(x_groups), tuple(w_groups)))
    except ValueError:
        raise imp.fail(node, f"shapes {shape} and {list(weight.shape)} do not broadcast") from None
    weight = np.broadcast_to(weight.reshape(*w_groups, k, n), (*groups, k, n))
    parts = []
    for g in np.ndindex(*groups):
        at = [i if size > 1 else 0 for i, size in zip(g, x_groups)]
        piece = imp.emit(layout.SliceOp(x, [*at, 0, 0], [1] * len(at) + [m, k], node.name)).output
        piece = imp.emit(layout.ReshapeOp(piece, [m, k], node.name)).output
        w = imp.const_value(node, np.ascontiguousarray(weight[g]))
        y = imp.emit(nn.DenseOp(piece, w, None, layer=node.name)).output
        parts.append(imp.emit(layout.ReshapeOp(y, [1, m, n], node.name)).output)
    joined = parts[0] if len(parts) == 1 else imp.emit(layout.ConcatOp(parts, 0, node.name)).output
    imp.bind(node, imp.emit(layout.ReshapeOp(joined, [*groups, m, n], node.name)).output)


# --------------------------------------------------------------------------------------------------
# Elementwise arithmetic and activations


@handles("Add", "Sub", "Mul")
def _binary(imp: GraphImporter, node: onnx.NodeProto) -> None:
    a_name, b_name = node.input[0], node.input[1]
    if imp.is_constant(a_name) and imp.is_constant(b_name):
        raise imp.fail(node, "both operands are constants (constant folding is not supported)")
    a = imp.constants[a_name] if imp.is_constant(a_name) else imp.bound(node, a_name)
    b = imp.constants[b_name] if imp.is_constant(b_name) else imp.bound(node, b_name)
    op_class = {"Add": nn.AddOp, "Sub": nn.SubOp, "Mul": nn.MulOp}[node.op_type]
    layers.binary(imp, node, op_class, a, b)


@handles("Einsum")
def _einsum(imp: GraphImporter, node: onnx.NodeProto) -> None:
    equation = _text(imp.attrs(node).get("equation"), "")
    operands = [imp.constants[n] if imp.is_constant(n) else imp.bound(node, n) for n in node.input]
    einsum.einsum(imp, node, equation, operands)


@handles("Max", "Min")
def _extremum(imp: GraphImporter, node: onnx.NodeProto) -> None:
    """n-ary, broadcasting: folded pairwise from the left (one input: itself)."""
    op_class = nn.MaximumOp if node.op_type == "Max" else nn.MinimumOp
    names = [name for name in node.input if name]
    if not names:
        raise imp.fail(node, "needs at least one input")
    if all(imp.is_constant(name) for name in names):
        raise imp.fail(node, "all operands are constants (constant folding is not supported)")
    if len(names) == 1:
        imp.alias(node)
        return
    acc = imp.constants[names[0]] if imp.is_constant(names[0]) else imp.bound(node, names[0])
    for name in names[1:]:
        other = imp.constants[name] if imp.is_constant(name) else imp.bound(node, name)
        if isinstance(acc, np.ndarray) and isinstance(other, np.ndarray):
            acc = np.maximum(acc, other) if node.op_type == "Max" else np.minimum(acc, other)
            continue
        layers.binary(imp, node, op_class, acc, other)
        acc = imp.bound(node, node.output[0])


def _elementwise(op_class) -> Handler:
    return lambda imp, node: layers.unary(imp, node, node.input[0], lambda x, layer: op_class(x, layer=layer))


for _op_class in nn.NN.operations:  # the unary elementwise ops say which ONNX operator they are
    if issubclass(_op_class, nn.ElementwiseOp) and _op_class.ONNX_OP:
        HANDLERS[("", _op_class.ONNX_OP)] = _elementwise(_op_class)


@handles("LeakyRelu")
def _leaky_relu(imp: GraphImporter, node: onnx.NodeProto) -> None:
    alpha = float(imp.attrs(node).get("alpha", 0.01))
    layers.unary(imp, node, node.input[0], lambda x, layer: nn.LeakyReluOp(x, layer, alpha=alpha))


@handles("ThresholdedRelu")
def _thresholded_relu(imp: GraphImporter, node: onnx.NodeProto) -> None:
    alpha = float(imp.attrs(node).get("alpha", 1.0))
    layers.unary(imp, node, node.input[0], lambda x, layer: nn.ThresholdedReluOp(x, layer, alpha=alpha))


@handles("HardSigmoid")
def _hard_sigmoid(imp: GraphImporter, node: onnx.NodeProto) -> None:
    attrs = imp.attrs(node)
    alpha, beta = float(attrs.get("alpha", 0.2)), float(attrs.get("beta", 0.5))
    layers.unary(imp, node, node.input[0], lambda x, layer: nn.HardSigmoidOp(x, layer, alpha=alpha, beta=beta))


@handles("Elu", "Selu", "Softplus")
def _smooth(imp: GraphImporter, node: onnx.NodeProto) -> None:
    attrs = imp.attrs(node)
    params = {
        "Elu": [float(attrs.get("alpha", 1.0))],
        "Selu": [
            float(attrs.get("alpha", 1.67326319217681884765625)),
            float(attrs.get("gamma", 1.05070102214813232421875)),
        ],
        "Softplus": [],
    }[node.op_type]
    layers.unary(imp, node, node.input[0], lambda x, layer: nn.ActivationOp(x, node.op_type.lower(), params, layer))


@handles("Clip")
def _clip(imp: GraphImporter, node: onnx.NodeProto) -> None:
    attrs = imp.attrs(node)
    if imp.opset < 11:
        low, high = attrs.get("min"), attrs.get("max")
    else:
        low_c, high_c = imp.optional_constant(node, 1, "min"), imp.optional_constant(node, 2, "max")
        low = None if low_c is None else float(np.asarray(low_c).reshape(()))
        high = None if high_c is None else float(np.asarray(high_c).reshape(()))
    layers.clip(imp, node, node.input[0], {k: float(v) for k, v in (("min", low), ("max", high)) if v is not None})


@handles("PRelu")
def _prelu(imp: GraphImporter, node: onnx.NodeProto) -> None:
    layers.prelu(imp, node, imp.bound(node, node.input[0]), imp.constant(node, node.input[1], "slope"))


@handles("Softmax")
def _softmax(imp: GraphImporter, node: onnx.NodeProto) -> None:
    x = imp.bound(node, node.input[0])
    rank = len(x.layout)
    axis = imp.attrs(node).get("axis", -1 if imp.opset >= 13 else 1)
    logical = imp.sample_axis(node, int(axis), rank)
    # before opset 13 softmax normalises over all axes from `axis` on: the last axis only, here
    if imp.opset < 13 and logical != rank - 1:
        raise imp.fail(
            node, f"opset {imp.opset} softmax over axes {logical + 1}..{rank} is not supported; only the last"
        )
    layers.softmax(imp, node, x, logical)


@handles("LayerNormalization")
def _layer_norm(imp: GraphImporter, node: onnx.NodeProto) -> None:
    """Opset 17: normalised over the axes [axis, rank); only Y (output 0) is computed."""
    attrs = imp.attrs(node)
    if int(attrs.get("stash_type", 1)) != 1:
        raise imp.fail(node, f"stash_type {attrs['stash_type']} is not supported (1: float32 statistics)")
    graph_outputs = {v.name for v in imp.model.graph.output}
    for index, what in ((1, "Mean"), (2, "InvStdDev")):
        name = node.output[index] if len(node.output) > index else ""
        if name and (name in graph_outputs or any(name in other.input for other in imp.model.graph.node)):
            raise imp.fail(node, f"the {what} output is not supported (only Y is computed)")
    rank = len(imp.bound(node, node.input[0]).layout)
    axis = imp.sample_axis(node, int(attrs.get("axis", -1)), rank)
    scale = imp.constant(node, node.input[1], "scale")
    bias = imp.optional_constant(node, 2, "bias B")
    layers.layer_norm(imp, node, node.input[0], axis, scale, bias, float(attrs.get("epsilon", 1e-5)))


@handles("Div")
def _divide(imp: GraphImporter, node: onnx.NodeProto) -> None:
    """x / c for a constant c: a multiplication by 1 / c (exporters divide by a normalisation)."""
    if not imp.is_constant(node.input[1]):
        raise imp.fail(node, "only division by a constant is supported")
    divisor = np.asarray(imp.constants[node.input[1]], dtype=np.float64)
    if divisor.dtype.kind != "f" and not np.issubdtype(divisor.dtype, np.number) or np.any(divisor == 0):
        raise imp.fail(node, "the divisor must be a non-zero number")
    layers.binary(imp, node, nn.MulOp, imp.bound(node, node.input[0]), (1.0 / divisor).astype(np.float32))
