"""Error-budgeted `auto` on float models (lowering/error_budget.py) and the report's error bound
(compiler/error_report.py): the budget from the API, the config and the CLI; what a tighter budget
and a lower maximum do; the bound against what the design really does; and the refusals."""

from __future__ import annotations

import json

import numpy as np
import pytest
from onnx import helper
from support import dense_layers, make_model, save, widest_type

from compiler.__main__ import main
from compiler.api import HLSModel, convert
from compiler.check import onnxruntime_outputs
from dialects.errors import CompileError


@pytest.fixture(scope="module")
def mlp(tmp_path_factory):
    """x[8] -> fc1 -> relu -> fc2 -> relu -> fc3 -> sigmoid: trained-like (He) random weights."""
    layers = dense_layers([8, 16, 16, 3], np.random.default_rng(4))
    nodes, weights, x = [], {}, "x"
    for i, (w, b) in enumerate(layers, 1):
        weights |= {f"w{i}": w, f"b{i}": b}
        nodes.append(helper.make_node("Gemm", [x, f"w{i}", f"b{i}"], [f"h{i}"], name=f"fc{i}"))
        x = f"h{i}"
        if i < len(layers):
            nodes.append(helper.make_node("Relu", [x], [f"r{i}"], name=f"relu{i}"))
            x = f"r{i}"
    nodes.append(helper.make_node("Sigmoid", [x], ["y"], name="act"))
    return save(make_model(nodes, [8], [3], weights), tmp_path_factory.mktemp("mlp") / "mlp.onnx")


def bound(model: HLSModel) -> dict:
    return model.report["error_bound"]


def cost(model: HLSModel) -> int:
    return model.report["totals"]["multiplier_bits"] + model.report["totals"]["adder_bits"]


def test_default_budget_is_met_and_reported(mlp):
    model = convert(mlp, precision="auto")
    section = bound(model)
    (output,) = section["outputs"]
    assert section["budget"] > 0 and output["first_order"] <= section["budget"] * (1 + 1e-9)
    assert output["first_order"] <= output["certified"]
    assert widest_type(model) <= 32
    shares = [*section["shares"].values(), section["input_share"]]
    assert all(s >= 0 for s in shares) and sum(shares) == pytest.approx(1.0)


def test_budget_from_the_api_the_config_and_the_cli(mlp, tmp_path, capsys):
    default = bound(convert(mlp, precision="auto"))["budget"]
    budget = default / 2
    from_api = convert(mlp, precision="auto", error_budget=budget)
    from_config = convert(mlp, config={"Model": {"Precision": {"default": "auto", "error": budget}}})
    assert bound(from_api)["budget"] == bound(from_config)["budget"] == budget
    assert from_api.ir() == from_config.ir()
    assert main([str(mlp), "-o", str(tmp_path / "prj"), "--precision", "auto", "--error-budget", str(budget)]) == 0
    report = json.loads((tmp_path / "prj" / "report.json").read_text())
    assert report["error_bound"]["budget"] == budget
    assert f"error budget {budget:.4g}" in capsys.readouterr().out


def test_tighter_budget_costs_more_and_bounds_less(mlp):
    loose = convert(mlp, precision="auto")
    tight = convert(mlp, precision="auto", error_budget=bound(loose)["budget"] / 4)
    assert bound(tight)["outputs"][0]["first_order"] <= bound(loose)["budget"] / 4 * (1 + 1e-9)
    assert cost(tight) > cost(loose)


def test_design_stays_within_its_certified_bound(mlp, tmp_path):
    """The emulator (which the C simulation equals) against onnxruntime, on inputs across the
    input type's whole range, where the certified bound holds."""
    model = convert(mlp, precision="auto", error_budget=bound(convert(mlp, precision="auto"))["budget"] / 8)
    x = np.random.default_rng(0).uniform(-32, 31.99, size=(2000, 8))
    error = np.abs(model.emulate(x) - onnxruntime_outputs(str(mlp), [x])[0]).max()
    assert 0 < error <= bound(model)["outputs"][0]["certified"] + 1e-6


def test_calibration_reports_the_observed_error(mlp):
    samples = np.random.default_rng(1).normal(size=(300, 8))
    model = convert(mlp, precision="auto", calibration=samples)
    (output,) = bound(model)["outputs"]
    expected = np.abs(model.emulate(samples) - onnxruntime_outputs(str(mlp), [samples])[0]).max()
    assert output["observed"] == pytest.approx(expected)
    assert output["observed"] <= output["no_saturation"]
    assert "observed" in model.files()["report.txt"]


def test_a_lower_maximum_bounds_every_width_and_says_what_it_costs(mlp):
    """Within 24 bits, the integer bits the layers need over the inputs' whole range leave some of
    them 16 times coarser steps than the default precision's: the report says which, and what to do."""
    wide = convert(mlp, precision="auto")
    model = convert(
        mlp, precision="auto", config={"Model": {"Precision": {"default": "auto", "maximum": "ap_fixed<24,12>"}}}
    )
    assert widest_type(model) <= 24
    assert not wide.report["warnings"]
    (warning,) = model.report["warnings"]
    assert warning.startswith("auto: within the widest type allowed, fc1, fc3, relu1 round at least 16 times coarser")
    assert warning.endswith("calibrate (--calibrate) or raise Model.Precision.maximum")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"error_budget": 1e-9}, "error budget 1e-09 is below what the fixed types alone give"),
        ({"error_budget": -1.0}, "error budget must be a positive number, got -1.0"),
        (
            {"config": {"Model": {"Precision": {"default": "auto", "maximum": "ap_fixed<8,4>"}}}},
            "more than Model.Precision.maximum (8 bits)",
        ),
    ],
)
def test_budgets_out_of_reach_are_errors(mlp, options, message):
    with pytest.raises(CompileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        convert(mlp, precision="auto", **options)


def test_a_quantized_model_refuses_a_budget(tmp_path):
    nodes = [
        helper.make_node("QuantizeLinear", ["x", "s", "z"], ["q"], name="quant"),
        helper.make_node("DequantizeLinear", ["q", "s", "z"], ["y"], name="dequant"),
    ]
    weights = {"s": np.array(0.125, np.float32), "z": np.array(0, np.int8)}
    model = save(make_model(nodes, [4], [4], weights), tmp_path / "qdq.onnx")
    convert(model)  # the model's own quantizers fix its types
    with pytest.raises(CompileError, match="the model has quantizers, which fix its types exactly"):
        convert(model, error_budget=0.5)
