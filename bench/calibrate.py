"""Calibrate compiler/estimate.py against Yosys: a sweep of small designs synthesized kernel by
kernel, a non-negative least-squares fit of the estimate's coefficients, and its error on designs
held out of the fit.

    python bench/calibrate.py [--cache sweep.json] [--output compiler/estimate_calibration.json]
                              [--only NAME ...] [--no-write]

The sweep (`DESIGNS`, 34 designs): Gemm + Relu MLPs of a few sizes, weight and activation widths
from 4 to 18 bits (one precision for everything, or weights and activations apart), signed or
unsigned (an ap_ufixed ReLU result) dense inputs, TRN/WRAP or RND/SAT casts, reuse factors 1 to 4,
MLPs with sigmoid, tanh and softmax tables of 64 and 128 entries, and a sigmoid of 1024. Each
design is converted, written by the Verilog backend and synthesized by runtime/synth.py (Yosys
`synth_xilinx -family xcup`, one module per kernel), so each kernel is a data point: its features
(compiler/estimate.py `design_features`: DSP slices by Yosys' mapping rule, soft-multiplier,
adder, mux, cast, compare, table and register bits) and Yosys' LUT (+ LUTRAM), FF and DSP; the top
module is one more point (its valid bits and input registers). The `held_out` designs (`HELD_OUT`,
chosen to span the sweep) are left out of the fit, whole designs and not kernels; the fit weighs
each point by 1 / sqrt(max(count, WEIGHT_FLOOR)), towards relative error, and the error reported is
per held-out design: |estimate - Yosys| / Yosys of the design's total (for a total of 0, over 1).

Writes compiler/estimate_calibration.json (the coefficients, the Yosys version and family, the date,
the designs, every data point's features and counts, and the held-out designs with their
estimates, Yosys' counts and the median and worst relative error for LUT, FF and DSP) and prints
the held-out table: calibrated estimate, uncalibrated estimate (estimate.DEFAULT_COEFFICIENTS) and
Yosys per resource. `--cache` keeps each design's synthesis (keyed by its Verilog), so a rerun with
other features refits in seconds (the synthesis is redone when a design's Verilog changes). The
whole sweep takes Yosys 5 to 14 minutes on 2 cores (326 s on the calibration's run, 816 s on a
busier machine).
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from compiler import estimate as est  # noqa: E402

FAMILY = "xcup"
WEIGHT_FLOOR = 20  # the fit's weights: 1 / sqrt(max(count, WEIGHT_FLOOR))
FITTED = ("LUT", "FF", "DSP")


@dataclass(frozen=True)
class Spec:
    """One design of the sweep: an MLP of `sizes` (kind "mlp"), "tables": fc-sigmoid-fc-tanh-fc-softmax
    (6-10-5-5), or "sigmoid": one dense layer of `sizes` and a sigmoid."""

    name: str
    sizes: tuple[int, ...] = (8, 12, 5)
    precision: str = "ap_fixed<8,3>"
    weight: str | None = None  # the weights' and biases' precision, when not `precision`
    relu: str | None = None  # the ReLU results' precision (ap_ufixed: unsigned dense inputs)
    reuse: int = 1
    table_size: int = 1024
    kind: str = "mlp"
    seed: int = 0
    held_out: bool = False

    def config(self) -> dict[str, Any]:
        model: dict[str, Any] = {"Precision": {"default": self.precision}}
        if self.weight:
            model["Precision"] |= {"weight": self.weight, "bias": self.weight}
        config: dict[str, Any] = {"Model": model}
        if self.relu:
            config["LayerType"] = {"ReLU": {"Precision": {"result": self.relu}}}
        return config


def _fx(width: int, signed: bool = True, modes: str = "") -> str:
    integer = max(1, width // 3 + 1) if signed else max(1, width // 3)
    return f"ap_{'' if signed else 'u'}fixed<{width},{integer}{modes}>"


RS = ",AP_RND,AP_SAT"
DESIGNS: list[Spec] = [
    # one precision for everything, reuse factor 1
    *(
        Spec(f"mlp_w{w}", sizes=sizes, precision=_fx(w), seed=w, held_out=w == 10)
        for w, sizes in ((4, (8, 12, 5)), (6, (16, 20, 5)), (8, (8, 12, 5)), (10, (8, 12, 5)), (12, (10, 10, 10)))
    ),
    Spec("mlp_w16", precision=_fx(16), seed=16),
    Spec("deep_w12", sizes=(6, 12, 8, 4), precision=_fx(12), seed=23, held_out=True),
    Spec("single_w6", sizes=(16, 8), precision=_fx(6), seed=24),
    # unsigned inputs of the second dense (ap_ufixed ReLU results)
    Spec("relu_u5", sizes=(10, 8, 6), precision=_fx(5), relu=_fx(5, False), seed=31),
    Spec("relu_u8", sizes=(10, 8, 6), precision=_fx(8), relu=_fx(8, False), seed=32, held_out=True),
    # weights and activations of different widths
    Spec("w4_a12", precision=_fx(12), weight=_fx(4), seed=41),
    Spec("w12_a6", precision=_fx(6), weight=_fx(12), seed=42),
    Spec("w6_a16", precision=_fx(16), weight=_fx(6), seed=43, held_out=True),
    Spec("w18_a8", precision=_fx(8), weight=_fx(18), seed=44),
    Spec("w8_a4", precision=_fx(4), weight=_fx(8), seed=45),
    # rounding and saturating casts
    Spec("rs_w10", precision=_fx(10, modes=RS), seed=51),
    Spec("rs_w6", precision=_fx(6, modes=RS), seed=52, held_out=True),
    Spec("rs_w14_rf2", precision=_fx(14, modes=RS), reuse=2, seed=53),
    # reuse factors 2 to 4
    *(
        Spec(f"rf{r}_w{w}", precision=_fx(w), reuse=r, seed=60 + 10 * r + w, held_out=(r, w) in ((2, 12), (4, 8)))
        for r, w in ((2, 6), (2, 12), (3, 10), (4, 4), (4, 8), (4, 16), (4, 18))
    ),
    Spec("rf2_w8", sizes=(12, 16, 6), precision=_fx(8), reuse=2, seed=68),
    Spec("rf4_w10", sizes=(12, 16, 6), precision=_fx(10), reuse=4, seed=110),
    Spec("deep_rf2_w8", sizes=(6, 16, 10, 4), precision=_fx(8), reuse=2, seed=91),
    Spec("relu_u10_rf4", sizes=(10, 8, 6), precision=_fx(10), relu=_fx(10, False), reuse=4, seed=92),
    Spec("w6_a12_rf2", precision=_fx(12), weight=_fx(6), reuse=2, seed=93, held_out=True),
    # tables: sigmoid, tanh, softmax (exp and inverse)
    Spec("tables_w10", kind="tables", precision=_fx(10, modes=RS), table_size=128, seed=101),
    Spec("tables_w8", kind="tables", precision=_fx(8), table_size=64, seed=102, held_out=True),
    Spec("tables_w12", kind="tables", precision=_fx(12, modes=RS), table_size=64, seed=103),
    Spec("sigmoid_1024", kind="sigmoid", sizes=(6, 3), precision=_fx(10, modes=RS), table_size=1024, seed=104),
]
HELD_OUT = [s.name for s in DESIGNS if s.held_out]


def model_file(spec: Spec, folder: Path) -> Path:
    from onnx import helper
    from support import dense_layers, gemm_mlp, make_model, save, tables_mlp

    path = folder / f"{spec.name}.onnx"
    if spec.kind == "mlp":
        return gemm_mlp(path, spec.sizes, seed=spec.seed, name=spec.name)
    if spec.kind == "sigmoid":  # a dense layer and a sigmoid: a few reads of a large table
        ((w, b),) = dense_layers(list(spec.sizes), np.random.default_rng(spec.seed))
        nodes = [
            helper.make_node("Gemm", ["x", "w1", "b1"], ["h"], name="fc1"),
            helper.make_node("Sigmoid", ["h"], ["y"], name="sigmoid"),
        ]
        return save(make_model(nodes, [spec.sizes[0]], [spec.sizes[-1]], {"w1": w, "b1": b}, name=spec.name), path)
    return save(tables_mlp(np.random.default_rng(spec.seed), name=spec.name), path)


def build(spec: Spec, folder: Path):
    from compiler.api import convert

    return convert(
        model_file(spec, folder),
        name=spec.name,
        config=spec.config(),
        reuse_factor=spec.reuse,
        table_size=spec.table_size,
    )


UNITS = ("LUT", "LUTRAM", "FF", "DSP", "CARRY", "BRAM_18K")


def _counts(r: Mapping[str, Any]) -> dict[str, int]:
    return {u: int(r[u]) for u in UNITS}


def synthesize(spec: Spec, folder: Path, cache: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
    """The design and its Yosys counts per kernel, the top's own, the total (from `cache` when its
    Verilog is the same)."""
    design = build(spec, folder)
    design.write(folder / spec.name, backend="verilog", force=True)
    files = design.verilog_files()
    digest = hashlib.sha256("".join(files[k] for k in sorted(files) if k.startswith("rtl/")).encode()).hexdigest()
    hit = cache.get(spec.name)
    if hit is not None and hit["verilog"] == digest:
        return design, hit
    report = design.synthesize(family=FAMILY)
    entry = {
        "verilog": digest,
        "tool": report["tool"],
        "seconds": report["seconds"],
        "kernels": {k: _counts(r) for k, r in report["kernels"].items()},
        "top": _counts(report["top"]),
        "total": _counts(report["total"]),
    }
    cache[spec.name] = entry
    return design, entry


def target(counts: Mapping[str, int], resource: str) -> int:
    """What a resource is measured as: LUT counts the LUTs used as memory (LUTRAM) too, as a vendor
    report's CLB LUTs do."""
    return counts["LUT"] + counts["LUTRAM"] if resource == "LUT" else counts[resource]


# --------------------------------------------------------------------------------------------------
# The fit


def fit_coefficients(
    rows: Sequence[Mapping[str, float]], targets: Sequence[float], features: Sequence[str], floor: float = WEIGHT_FLOOR
) -> dict[str, float]:
    """Non-negative least squares of targets ~ sum_f c_f * row[f], each row weighted by
    1 / sqrt(max(target, floor)) (so large kernels do not swamp the relative error of small ones)."""
    from scipy.optimize import nnls

    a = np.array([[float(r.get(f, 0.0)) for f in features] for r in rows], dtype=np.float64)
    b = np.asarray(targets, dtype=np.float64)
    weight = 1.0 / np.sqrt(np.maximum(b, floor))
    scale = np.maximum(np.abs(a).max(axis=0), 1e-12)  # columns to unit size: nnls converges cleanly
    solution, _ = nnls(a * weight[:, None] / scale, b * weight, maxiter=50 * len(features) + 500)
    return {f: float(c / s) for f, c, s in zip(features, solution, scale)}


def relative_error(estimate: float, measured: float) -> float:
    return abs(estimate - measured) / max(measured, 1)


def error_summary(rows: Sequence[Mapping[str, Any]]) -> dict[str, dict[str, float]]:
    """Per resource, the median and worst relative error of the held-out rows
    ({"estimate": {...}, "yosys": {...}})."""
    out = {}
    for resource in FITTED:
        errors = [relative_error(r["estimate"][resource], r["yosys"][resource]) for r in rows]
        out[resource] = {"median": round(statistics.median(errors), 4), "worst": round(max(errors), 4)}
    return out


@dataclass
class Point:
    design: str
    module: str  # a kernel's name, or "(top)"
    features: dict[str, float]
    counts: dict[str, int]
    held_out: bool = False


@dataclass
class Sweep:
    points: list[Point] = field(default_factory=list)
    designs: dict[str, dict[str, Any]] = field(default_factory=dict)  # name: spec, totals, estimates
    seconds: float = 0.0
    tool: str = ""


def run_sweep(specs: Sequence[Spec], cache_path: Path | None) -> Sweep:
    cache = json.loads(cache_path.read_text()) if cache_path and cache_path.is_file() else {}
    sweep = Sweep()
    work = Path(tempfile.mkdtemp(prefix="calibrate_"))
    try:
        for spec in specs:
            start = time.perf_counter()
            design, synth = synthesize(spec, work, cache)
            if cache_path:
                cache_path.write_text(json.dumps(cache, indent=1) + "\n")
            features = est.design_features(design.module, design.report)
            for name, counts in synth["kernels"].items():
                sweep.points.append(Point(spec.name, name, features["kernels"][name], counts, spec.held_out))
            sweep.points.append(Point(spec.name, "(top)", features["top"], synth["top"], spec.held_out))
            sweep.designs[spec.name] = {
                "spec": {k: v for k, v in asdict(spec).items() if k != "name"},
                "yosys": {r: target(synth["total"], r) for r in FITTED},
                "features": features,
                "yosys_seconds": synth["seconds"],
            }
            sweep.seconds += synth["seconds"]
            sweep.tool = synth["tool"]
            print(
                f"{spec.name:<14} Yosys {synth['seconds']:>6.1f} s  LUT {target(synth['total'], 'LUT'):>6} "
                f"FF {synth['total']['FF']:>5} DSP {synth['total']['DSP']:>4}   ({time.perf_counter() - start:.1f} s)",
                flush=True,
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return sweep


def fit(sweep: Sweep) -> dict[str, dict[str, float]]:
    coefficients = {}
    fitted = [p for p in sweep.points if not p.held_out]
    for resource in FITTED:
        names = est.FEATURES[resource]
        coefficients[resource] = fit_coefficients(
            [p.features for p in fitted], [target(p.counts, resource) for p in fitted], names
        )
    return coefficients


def held_out_rows(sweep: Sweep, coefficients: Mapping[str, Mapping[str, float]]) -> list[dict[str, Any]]:
    rows = []
    for name, entry in sweep.designs.items():
        if not entry["spec"]["held_out"]:
            continue
        features = entry["features"]
        rows.append(
            {
                "design": name,
                "estimate": est.resources_of(features, coefficients),
                "uncalibrated": est.resources_of(features, est.DEFAULT_COEFFICIENTS),
                "yosys": entry["yosys"],
            }
        )
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, help="keep each design's Yosys counts in this JSON file")
    parser.add_argument("--output", type=Path, default=est.CALIBRATION)
    parser.add_argument("--only", nargs="+", help="sweep only these designs (nothing is written)")
    parser.add_argument("--no-write", action="store_true", help="print, do not write the calibration")
    args = parser.parse_args(argv)
    specs = [s for s in DESIGNS if not args.only or s.name in args.only]
    sweep = run_sweep(specs, args.cache)
    coefficients = fit(sweep)
    rows = held_out_rows(sweep, coefficients)
    errors = error_summary(rows)
    print(f"\nfitted on {len(DESIGNS) - len(HELD_OUT)} designs, held out {len(rows)}; Yosys {sweep.seconds:.0f} s")
    for resource, values in coefficients.items():
        print(f"{resource}: " + ", ".join(f"{k} {v:.4g}" for k, v in values.items()))
    print_table(rows, errors)
    if args.only or args.no_write:
        return
    calibration = {
        "tool": sweep.tool,
        "family": FAMILY,
        "date": datetime.date.today().isoformat(),
        "designs": len(sweep.designs),
        "fit_designs": sorted(n for n, d in sweep.designs.items() if not d["spec"]["held_out"]),
        "held_out_designs": sorted(HELD_OUT),
        "yosys_seconds": round(sweep.seconds, 1),
        "weight_floor": WEIGHT_FLOOR,
        "coefficients": coefficients,
        "held_out": {"errors": errors, "rows": rows},
        "points": [asdict(p) for p in sweep.points],
    }
    args.output.write_text(json.dumps(calibration, indent=1) + "\n")
    print(f"wrote {args.output}")


def print_table(rows: Sequence[Mapping[str, Any]], errors: Mapping[str, Mapping[str, float]]) -> None:
    print(f"\n{'held-out design':<16}" + "".join(f"{r + ' est/uncal/Yosys':>28}" for r in FITTED))
    for row in rows:
        cells = "".join(
            f"{row['estimate'][r]:>10}/{row['uncalibrated'][r]}/{row['yosys'][r]}".rjust(28) for r in FITTED
        )
        print(f"{row['design']:<16}{cells}")
    print(
        "relative error on held-out designs: "
        + "; ".join(f"{r} median {e['median']:.1%}, worst {e['worst']:.1%}" for r, e in errors.items())
    )


if __name__ == "__main__":
    main()
