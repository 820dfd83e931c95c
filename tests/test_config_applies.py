"""A configuration applies or is refused: every layer type it accepts reaches the kernels of that
type (and only those), and a setting that reaches no layer is an error naming it and the layers
that exist.

One model holds a layer of every type: conv, relu, batch norm, leaky relu, add, sub, mul, max
pool, tanh, elu, selu, softplus, hard sigmoid, clip, thresholded relu, sigmoid, prelu, average
pool, dense and softmax.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from onnx import TensorProto, helper, numpy_helper

from compiler.api import convert
from dialects.errors import CompileError

RNG = np.random.default_rng(7)


def node(op: str, inputs: list[str], name: str, **attrs):
    return helper.make_node(op, inputs, [name], name=name, **attrs)


@pytest.fixture(scope="module")
def every_layer(tmp_path_factory):
    weights = {
        "wc": RNG.normal(size=(4, 2, 3, 3)).astype(np.float32) * 0.3,
        "bc": RNG.normal(size=4).astype(np.float32) * 0.1,
        "scale": RNG.uniform(0.5, 1.5, size=4).astype(np.float32),
        "shift": RNG.normal(size=4).astype(np.float32) * 0.1,
        "mean": RNG.normal(size=4).astype(np.float32) * 0.1,
        "var": RNG.uniform(0.5, 1.5, size=4).astype(np.float32),
        "slope": np.full((4, 1, 1), 0.2, dtype=np.float32),
        "wd": RNG.normal(size=(4, 3)).astype(np.float32),
        "bd": RNG.normal(size=3).astype(np.float32) * 0.1,
    }
    nodes = [
        node("Conv", ["x", "wc", "bc"], "conv", pads=[1, 1, 1, 1]),
        node("Relu", ["conv"], "relu"),
        node("BatchNormalization", ["relu", "scale", "shift", "mean", "var"], "bn"),
        node("LeakyRelu", ["bn"], "leaky", alpha=0.1),
        node("Add", ["leaky", "bn"], "add"),
        node("Sub", ["add", "relu"], "sub"),
        node("Mul", ["sub", "leaky"], "mul"),
        node("MaxPool", ["mul"], "maxpool", kernel_shape=[2, 2], strides=[2, 2]),
        node("Tanh", ["maxpool"], "tanh"),
        node("Elu", ["tanh"], "elu"),
        node("Selu", ["elu"], "selu"),
        node("Softplus", ["selu"], "softplus"),
        node("HardSigmoid", ["softplus"], "hsig"),
        node("Clip", ["hsig", "lo", "hi"], "clip"),
        node("ThresholdedRelu", ["clip"], "thresh", alpha=0.1),
        node("Sigmoid", ["thresh"], "sig"),
        node("PRelu", ["sig", "slope"], "prelu"),
        node("GlobalAveragePool", ["prelu"], "gap"),
        node("Flatten", ["gap"], "flat"),
        node("Gemm", ["flat", "wd", "bd"], "fc"),
        node("Softmax", ["fc"], "softmax"),
    ]
    weights |= {"lo": np.array(0.0, np.float32), "hi": np.array(0.9, np.float32)}
    graph = helper.make_graph(
        nodes,
        "every_layer",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 2, 6, 6])],
        [helper.make_tensor_value_info("softmax", TensorProto.FLOAT, ["batch", 3])],
        [numpy_helper.from_array(v, k) for k, v in weights.items()],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    return model


TYPES = {  # layer type -> the layers of that type in the model
    "Conv": {"conv"},
    "ReLU": {"relu"},
    "BatchNormalization": {"bn"},
    "LeakyReLU": {"leaky"},
    "Add": {"add"},
    "Sub": {"sub"},
    "Mul": {"mul"},
    "Pooling": {"maxpool", "gap"},
    "TanH": {"tanh"},
    "ELU": {"elu"},
    "SELU": {"selu"},
    "Softplus": {"softplus"},
    "HardSigmoid": {"hsig"},
    "Clip": {"clip"},
    "ThresholdedReLU": {"thresh"},
    "Sigmoid": {"sig"},
    "PReLU": {"prelu"},
    "Dense": {"fc"},
    "Softmax": {"softmax"},
}
GROUPS = {  # hls4ml's names for several types
    "Activation": {"relu", "tanh", "elu", "selu", "softplus", "hsig", "sig"},
    "Merge": {"add", "sub", "mul"},
}


def kernels_of(report, layers: set[str]) -> list[dict]:
    return [layer for layer in report["layers"] if layer["layer"] in layers]


@pytest.mark.parametrize("layer_type", [*TYPES, *GROUPS])
def test_layer_type_strategy_reaches_its_kernels(every_layer, layer_type):
    report = convert(every_layer, config={"LayerType": {layer_type: {"Strategy": "Resource"}}}).report
    chosen = TYPES.get(layer_type) or GROUPS[layer_type]
    assert {layer["layer"] for layer in report["layers"] if layer["strategy"] == "resource"} == chosen
    if layer_type in TYPES:
        assert {layer["layer_type"] for layer in kernels_of(report, chosen)} == {layer_type}
    assert report["pipeline"] == "dataflow"  # a resource kernel makes the top a DATAFLOW region


@pytest.mark.parametrize("layer_type", ["Sigmoid", "TanH", "Softmax", "ELU", "SELU", "Softplus"])
def test_layer_type_table_settings_reach_its_tables(every_layer, layer_type):
    config = {"LayerType": {layer_type: {"TableSize": 16, "Precision": {"table": "ap_ufixed<10,2>"}}}}
    report = convert(every_layer, config=config).report
    for layer in report["layers"]:
        for table in layer.get("tables", []):
            mine = layer["layer"] in TYPES[layer_type]
            assert (table["type"] == "ap_ufixed<10,2>") == mine, (layer["layer"], table)
            assert table["entries"] <= 16 or not mine, (layer["layer"], table)
    sizes = [t["entries"] for layer in report["layers"] for t in layer.get("tables", [])]
    assert max(sizes) > 16  # the others keep the default size


@pytest.mark.parametrize("layer_type", sorted(set(TYPES) - {"Pooling"}))
def test_layer_type_result_precision_reaches_its_layers(every_layer, layer_type):
    report = convert(
        every_layer, config={"LayerType": {layer_type: {"Precision": {"result": "ap_fixed<11,5>"}}}}
    ).report
    for layer in report["layers"]:
        mine = layer["layer"] in TYPES[layer_type]
        assert (layer["results"] == ["ap_fixed<11,5>"]) == mine, layer


@pytest.mark.parametrize("io_type", ["io_parallel", "io_stream"])
def test_conv_reuse_factor_reaches_the_conv_kernels(every_layer, io_type, tmp_path):
    """LayerType Conv ReuseFactor 4: the conv kernel (and only it) gets reuse 4, in the report and
    in the C++ (its multipliers limited to the report's count)."""
    model = convert(every_layer, io_type=io_type, config={"LayerType": {"Conv": {"ReuseFactor": 4}}})
    report = model.report
    reuse = {layer["layer"]: layer["reuse_factor"] for layer in report["layers"] if layer["layer"]}
    assert reuse["conv"] == 4 and all(r == 1 for name, r in reuse.items() if name != "conv")
    conv = kernels_of(report, {"conv"})[0]
    files = model.files()
    source = files[f"firmware/kernels/{conv['kernel']}.cpp"]
    assert f"#pragma HLS ALLOCATION operation instances=mul limit={conv['multipliers']}" in source
    assert conv["multipliers"] == -(-conv["multiplications"] // (36 if io_type == "io_stream" else 1) // 4)
    if io_type == "io_stream":
        assert "#pragma HLS PIPELINE II=4" in source


def test_layer_name_settings_reach_their_layer(every_layer):
    config = {"LayerName": {"fc": {"ReuseFactor": 3, "Strategy": "Resource"}, "elu": {"TableSize": 8}}}
    report = convert(every_layer, config=config).report
    fc, elu = kernels_of(report, {"fc"})[0], kernels_of(report, {"elu"})[0]
    assert fc["reuse_factor"] == 3 and fc["strategy"] == "resource"
    assert all(table["entries"] <= 8 for table in elu["tables"])


@pytest.mark.parametrize(
    "config, message",
    [
        (
            {"LayerType": {"Dense": {"ReuseFactor": 2}}, "LayerName": {"relu": {"ReuseFactor": 4}}},
            r"^nn-to-fixed: LayerName\.relu\.ReuseFactor: layer relu \(ReLU\) does not use it; "
            r"the layers that do: conv \(Conv\), fc \(Dense\)$",
        ),
        (
            {"LayerType": {"ReLU": {"ReuseFactor": 2}}},
            r"^nn-to-fixed: LayerType\.ReLU\.ReuseFactor: no ReLU layer uses it; the layers that do: conv \(Conv\), fc \(Dense\)$",
        ),
        (
            {"LayerType": {"Dense": {"TableSize": 64}}},
            r"^nn-to-fixed: LayerType\.Dense\.TableSize: no Dense layer uses it; the layers that do: tanh \(TanH\), elu",
        ),
        (
            {"LayerType": {"Clip": {"Precision": {"weight": "ap_fixed<8,2>"}}}},
            r"^nn-to-fixed: LayerType\.Clip\.Precision\.weight: no Clip layer uses it; the layers that do: conv \(Conv\), bn",
        ),
    ],
)
def test_a_setting_no_layer_uses_is_an_error(every_layer, config, message):
    with pytest.raises(CompileError) as error:
        convert(every_layer, config=config)
    assert re.match(message, str(error.value)), str(error.value)


def test_a_layer_type_the_model_lacks_is_an_error_naming_the_layers(tmp_path):
    """The failure this check exists for: Conv settings on an MLP were accepted and ignored."""
    (w1, w2) = RNG.normal(size=(4, 3)).astype(np.float32), RNG.normal(size=(3, 2)).astype(np.float32)
    graph = helper.make_graph(
        [node("MatMul", ["x", "w1"], "fc1"), node("Relu", ["fc1"], "relu1"), node("MatMul", ["relu1", "w2"], "fc2")],
        "mlp",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 4])],
        [helper.make_tensor_value_info("fc2", TensorProto.FLOAT, ["batch", 2])],
        [numpy_helper.from_array(w1, "w1"), numpy_helper.from_array(w2, "w2")],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    with pytest.raises(CompileError) as error:
        convert(model, config={"LayerType": {"Conv": {"ReuseFactor": 4}}})
    assert str(error.value) == (
        "nn-to-fixed: LayerType.Conv: no layer of type Conv in the model; layers: x (Input), fc1 (Dense), "
        "relu1 (ReLU), fc2 (Dense)"
    )
