"""Precision configuration in hls4ml's format, from the API, YAML/JSON files and the CLI; and
calibration from real samples."""

from __future__ import annotations

import json

import numpy as np
import pytest
from onnx import helper
from support import dense_layers, make_model, save

from compiler.__main__ import main
from compiler.api import convert
from dialects.errors import CompileError
from dialects.fixedpoint import parse_precision


def two_layers(tmp_path):
    (w1, b1), (w2, b2) = dense_layers([6, 5, 3], np.random.default_rng(0))
    nodes = [
        helper.make_node("Gemm", ["x", "w1", "b1"], ["h"], name="fc1"),
        helper.make_node("Relu", ["h"], ["r"], name="relu1"),
        helper.make_node("Gemm", ["r", "w2", "b2"], ["z"], name="fc2"),
        helper.make_node("Softmax", ["z"], ["y"], name="softmax"),
    ]
    return save(make_model(nodes, [6], [3], {"w1": w1, "b1": b1, "w2": w2, "b2": b2}), tmp_path / "two.onnx")


def layer(report, name):
    return next(entry for entry in report["layers"] if entry["layer"] == name)


CONFIG = {
    "Model": {"Precision": "ap_fixed<14,5>", "ReuseFactor": 2},
    "LayerType": {"Dense": {"Precision": {"weight": "ap_fixed<8,2>"}}},
    "LayerName": {
        "fc2": {"Precision": {"weight": "ap_fixed<10,3>", "result": "ap_fixed<12,4,AP_RND,AP_SAT>"}, "ReuseFactor": 5},
        "relu1": {"Precision": "ap_ufixed<9,4>"},
    },
}


def check_config_applied(report):
    fc1, fc2, relu = layer(report, "fc1"), layer(report, "fc2"), layer(report, "relu1")
    assert fc1["weights"] == "ap_fixed<8,2>"  # layer type over model
    assert fc1["results"] == ["ap_fixed<14,5>"] and fc1["reuse_factor"] == 2  # model
    assert fc2["weights"] == "ap_fixed<10,3>" and fc2["reuse_factor"] == 5  # layer name over type
    assert fc2["casts"][0]["rounding"] == "RND" and fc2["casts"][0]["overflow"] == "SAT"
    assert relu["results"] == ["ap_ufixed<9,4>"]  # a string Precision sets the layer's types
    assert fc1["accumulator"].startswith("ap_fixed<")  # accumulators stay exact unless asked


def test_config_from_dict(tmp_path):
    check_config_applied(convert(two_layers(tmp_path), config=CONFIG).report)


def test_config_from_yaml_and_json_files_and_cli(tmp_path, capsys):
    import yaml

    model = two_layers(tmp_path)
    (tmp_path / "c.yaml").write_text(yaml.safe_dump(CONFIG))
    (tmp_path / "c.json").write_text(json.dumps(CONFIG))
    check_config_applied(convert(model, config=tmp_path / "c.yaml").report)
    check_config_applied(convert(model, config=str(tmp_path / "c.json")).report)
    assert main([str(model), "-o", str(tmp_path / "prj"), "--config", str(tmp_path / "c.yaml")]) == 0
    check_config_applied(json.loads((tmp_path / "prj" / "report.json").read_text()))


def test_snake_case_keys_and_auto(tmp_path):
    config = {
        "model": {"precision": {"default": "ap_fixed<16,6>", "result": "auto"}},
        "layer_name": {"fc1": {"precision": {"accum": "ap_fixed<20,8>"}}},
    }
    report = convert(two_layers(tmp_path), config=config).report
    fc1 = layer(report, "fc1")
    # an explicit accumulator type is a cast after the exact MAC; the auto result then follows it
    assert fc1["casts"][0]["to"] == "ap_fixed<20,8>"
    assert fc1["results"] == ["ap_fixed<20,8>"]


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (
            {"LayerName": {"fc3": {"Precision": "ap_fixed<8,3>"}}},
            "no layer named 'fc3' in the model; layers: x, fc1, relu1, fc2, softmax",
        ),
        ({"Model": {"Precision": "ap_fixed<8>"}}, "malformed precision 'ap_fixed<8>'"),
        ({"Model": {"Precision": {"resutl": "auto"}}}, "unknown role 'resutl'"),
        ({"LayerType": {"Conv9D": {}}}, "unknown layer type 'Conv9D'"),
        ({"Model": {"ReuseFactor": 0}}, "ReuseFactor: must be an integer >= 1, got 0"),
        ({"Modle": {}}, "unknown section 'Modle'"),
    ],
)
def test_bad_configs_name_what_is_wrong(tmp_path, config, message):
    with pytest.raises(CompileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        convert(two_layers(tmp_path), config=config)


def test_calibration_gives_auto_types_their_integer_bits(tmp_path):
    model = two_layers(tmp_path)
    samples = np.random.default_rng(1).normal(size=(400, 6)) * 0.5
    compiled = convert(model, precision="auto", calibration=samples, output_dir=tmp_path / "prj")
    fc1 = layer(compiled.report, "fc1")
    cast = fc1["casts"][0]
    observed, provable = cast["observed"], cast["provable"]
    assert provable[0] <= observed[0] < observed[1] <= provable[1]
    fmt = parse_precision(fc1["results"][0]).format
    assert fmt.frac_bits >= 10  # the default budget rounds no coarser than the default precision
    assert observed[1] <= fmt.max_value < provable[1]  # integer bits from the data (and its margin)
    assert cast["overflow"] == "SAT"  # the observed range is smaller than the provable one
    compiled.write()
    compiled.compile()
    x = np.random.default_rng(2).normal(size=(500, 6))
    assert np.array_equal(compiled.predict(x), compiled.emulate(x))
