"""ONNX node handlers for the spatial layers: Conv, MaxPool/AveragePool (dilated ones too), global
pools and BatchNormalization, computed channels-last.

Takes the registry (onnx_registry.py) and the shared layer rules (layers.py, base.ceil_mode_padding);
gives nothing but the handlers it registers in `HANDLERS` when imported (onnx_importer imports it).
"""

from __future__ import annotations

import math

import numpy as np
import onnx
from xdsl.ir import SSAValue

from compiler.importers import layers
from compiler.importers.base import ceil_mode_padding, channels_last, identity
from compiler.importers.onnx_registry import GraphImporter, _ints, handles
from dialects import layout


def _window(
    imp: GraphImporter, node: onnx.NodeProto, spatial: tuple[int, ...], kernel: list[int]
) -> tuple[list, list, list]:
    """strides, dilations, pads (begin..., end...) of a conv/pool node, auto_pad and ceil_mode resolved."""
    attrs = imp.attrs(node)
    rank = len(spatial)
    strides = _ints(attrs.get("strides", [1] * rank))
    dilations = _ints(attrs.get("dilations", [1] * rank))
    pads = _ints(attrs.get("pads", [0] * (2 * rank)))
    # checked before the per-axis arithmetic below reads them
    if len(kernel) != rank:
        raise imp.fail(node, f"the kernel shape {kernel} does not match {rank} spatial axes")
    if len(strides) != rank or len(dilations) != rank:
        raise imp.fail(node, f"strides, dilations and pads must match {rank} spatial axes")
    auto_pad = attrs.get("auto_pad", b"NOTSET")
    auto_pad = auto_pad.decode() if isinstance(auto_pad, bytes) else auto_pad
    if auto_pad in ("SAME_UPPER", "SAME_LOWER"):
        pads = [0] * (2 * rank)
        for d in range(rank):
            out = math.ceil(spatial[d] / strides[d])
            total = max((out - 1) * strides[d] + (kernel[d] - 1) * dilations[d] + 1 - spatial[d], 0)
            small, large = total // 2, total - total // 2
            pads[d], pads[rank + d] = (small, large) if auto_pad == "SAME_UPPER" else (large, small)
    elif auto_pad == "VALID":
        pads = [0] * (2 * rank)
    elif auto_pad != "NOTSET":
        raise imp.fail(node, f"auto_pad {auto_pad!r} is not supported")
    if len(pads) != 2 * rank:
        raise imp.fail(node, f"strides, dilations and pads must match {rank} spatial axes")
    if attrs.get("ceil_mode", 0):
        for d in range(rank):
            span = (kernel[d] - 1) * dilations[d] + 1
            pads[rank + d] += ceil_mode_padding(spatial[d], span, strides[d], pads[d], pads[rank + d])
    return strides, dilations, pads


@handles("Conv")
def _conv(imp: GraphImporter, node: onnx.NodeProto) -> None:
    x = imp.spatial(node, node.input[0])
    weight = imp.constant(node, node.input[1], "weight")
    _conv_common(imp, node, x, np.moveaxis(weight, (0, 1), (-1, -2)), channels_last(len(x.type.get_shape())))


@handles("Conv", domain="qonnx.custom_op.channels_last")
def _conv_channels_last(imp: GraphImporter, node: onnx.NodeProto) -> None:
    """qonnx's channels-last Conv: data [N, *spatial, C], weights [O, *kernel, I/groups]."""
    x = imp.logical(node, node.input[0])
    weight = imp.constant(node, node.input[1], "weight")
    _conv_common(imp, node, x, np.moveaxis(weight, 0, -1), identity(len(x.type.get_shape())))


def _conv_common(
    imp: GraphImporter, node: onnx.NodeProto, x: SSAValue, weight: np.ndarray, out_layout: tuple[int, ...]
) -> None:
    """x stored channels-last; weight [*kernel, I/groups, O]."""
    attrs = imp.attrs(node)
    spatial = tuple(x.type.get_shape()[:-1])
    kernel = list(weight.shape[:-2])
    if "kernel_shape" in attrs and _ints(attrs["kernel_shape"]) != kernel:
        raise imp.fail(node, f"kernel_shape {attrs['kernel_shape']} does not match the weight {list(weight.shape)}")
    strides, dilations, pads = _window(imp, node, spatial, kernel)
    bias = imp.optional_constant(node, 2, "bias")
    layers.conv(imp, node, x, weight, bias, strides, dilations, pads, int(attrs.get("group", 1)), out_layout)


@handles("MaxPool", "AveragePool")
def _pool(imp: GraphImporter, node: onnx.NodeProto) -> None:
    attrs = imp.attrs(node)
    if len(node.output) > 1 and node.output[1]:
        raise imp.fail(node, "the indices output is not supported")
    x = imp.spatial(node, node.input[0])
    spatial = tuple(x.type.get_shape()[:-1])
    kernel = _ints(attrs["kernel_shape"])
    strides, dilations, pads = _window(imp, node, spatial, kernel)
    average, include_pad = node.op_type == "AveragePool", bool(attrs.get("count_include_pad", 0))
    if any(d != 1 for d in dilations):
        x, strides, pads = _undilate(imp, node, x, kernel, strides, dilations, pads, average, include_pad)
    layers.pool(imp, node, x, kernel, strides, pads, average=average, include_pad=include_pad)


def _undilate(
    imp: GraphImporter,
    node: onnx.NodeProto,
    x: SSAValue,
    kernel: list[int],
    strides: list[int],
    dilations: list[int],
    pads: list[int],
    average: bool,
    include_pad: bool,
) -> tuple[SSAValue, list[int], list[int]]:
    """A dilated pool as a plain one: pad explicitly (the lowest value for max, 0 for an average
    that counts the padding), then copy each window's taps next to each other (slices) so that a
    pool with kernel = stride = the window reads them. Returns (input, strides, pads) for it."""
    rank = len(kernel)
    if any(pads) and average and not include_pad:
        raise imp.fail(node, f"dilations {dilations} with padding left out of the count are not supported")
    if any(pads):
        value = 0.0 if average else float(np.finfo(np.float32).min)
        x = imp.emit(layout.PadOp(x, [*pads[:rank], 0, *pads[rank:], 0], value, node.name)).output
    shape = x.type.get_shape()
    for d in range(rank):
        span = (kernel[d] - 1) * dilations[d] + 1
        if span > shape[d]:
            raise imp.fail(node, f"the dilated window ({span}) is larger than the padded input ({shape[d]})")
        out = (shape[d] - span) // strides[d] + 1
        index = [i * strides[d] + k * dilations[d] for i in range(out) for k in range(kernel[d])]
        x = layers.gather(imp, node, x, d, index)
    return x, list(kernel), [0] * (2 * rank)


@handles("GlobalAveragePool", "GlobalMaxPool")
def _global_pool(imp: GraphImporter, node: onnx.NodeProto) -> None:
    layers.global_pool(imp, node, imp.spatial(node, node.input[0]), average=node.op_type == "GlobalAveragePool")


@handles("BatchNormalization")
def _batchnorm(imp: GraphImporter, node: onnx.NodeProto) -> None:
    attrs = imp.attrs(node)
    if attrs.get("training_mode", 0) or any(node.output[1:]):
        raise imp.fail(node, "only inference (one output, training_mode=0) is supported")
    gamma, beta, mean, var = (
        imp.constant(node, node.input[i], what).astype(np.float64)
        for i, what in ((1, "scale"), (2, "bias"), (3, "mean"), (4, "variance"))
    )
    layers.batch_norm(imp, node, node.input[0], gamma, beta, mean, var, float(attrs.get("epsilon", 1e-5)))
