"""The Verilog backend on the bench models: RTL simulation against the emulator and Yosys synthesis
against our estimate.

Per design: our cost figure (multiplier + adder bits, the report's), compiler/estimate.py's LUT, FF
and DSP, Yosys' (`synth_xilinx -family xcup`, runtime/synth.py; per layer in the `--json` rows) and
how long it took, the estimate's ratio to Yosys, and the CXXRTL simulation: samples/s on
`--samples` N(0, 1) samples (bit-exact with the emulator, or the script stops), the measured latency
and II.

    python bench/rtl.py [--designs small jet_rf4 jet_rf1 jet_auto jet_auto_rf4 digits_cnn] [--samples 10000] [--json out.json]

The jet MLP (examples/jet_mlp.onnx, 16-64-32-32-5) at reuse 1 takes Yosys about 8 minutes, the
others minutes; the trained digits CNN (~23,000 products) needs a native Yosys (YOSYS=/path/to/yosys:
its largest layer outgrows the WebAssembly build's 4 GB). Each layer is synthesized in its own
process, one per CPU at a time. Needs `pip install -e '.[rtl]'` and g++.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from compiler.api import convert  # noqa: E402
from compiler.estimate import estimate  # noqa: E402

JET = ROOT / "examples" / "jet_mlp.onnx"


def small_mlp(folder: Path) -> Path:
    """An 8-12-5 MLP (the tests' helper, random weights)."""
    from support import gemm_mlp

    return gemm_mlp(folder / "small.onnx", (8, 12, 5), seed=0, name="small")


DESIGNS = {  # name: (model, options)
    "small": ("small", {"precision": "ap_fixed<8,3>"}),
    "small_rf4": ("small", {"precision": "ap_fixed<8,3>", "reuse_factor": 4}),
    "jet_rf4": ("jet", {"precision": "ap_fixed<16,6>", "reuse_factor": 4}),
    "jet_auto_rf4": ("jet", {"precision": "auto", "reuse_factor": 4}),
    "jet_rf1": ("jet", {"precision": "ap_fixed<16,6>"}),
    "jet_auto": ("jet", {"precision": "auto"}),
    "digits_cnn": ("digits_cnn", {}),
}


def digits_cnn(folder: Path) -> Path:
    """The trained digits CNN of tests/models_trained.py (conv-batchnorm-relu-pool twice, dense)."""
    from models_trained import digits_cnn as trained
    from support import save, torch_to_onnx

    return save(torch_to_onnx(trained()[0], (1, 8, 8)), folder / "digits_cnn.onnx")


def bench(name: str, model: Path, options: dict, samples: int, work: Path) -> dict:
    design = convert(model, **options)
    project = work / name
    design.write(project, backend="verilog")
    start = time.perf_counter()
    design.compile(backend="rtl")
    build = time.perf_counter() - start
    x = np.random.default_rng(0).normal(size=(samples, *design.input_shapes[0]))
    start = time.perf_counter()
    got = design.predict(x, backend="rtl")
    simulate = time.perf_counter() - start
    if not np.array_equal(got, design.emulate(x)):
        raise SystemExit(f"{name}: the RTL simulation differs from the emulator")
    timing = design.rtl_timing
    ours = estimate(design.module, design.report)
    synth = design.synthesize()
    total = synth["total"]
    totals = design.report["totals"]
    return {
        "design": name,
        "cost_bits": totals["multiplier_bits"] + totals["adder_bits"],
        "estimate": {k: ours[k] for k in ("LUT", "FF", "DSP")},
        "yosys": {k: total[k] for k in ("LUT", "FF", "DSP", "CARRY", "BRAM_18K")},
        "yosys_per_layer": {
            name: {k: counts[k] for k in ("LUT", "FF", "DSP", "CARRY", "BRAM_18K")}
            for name, counts in [*synth["kernels"].items(), ("top", synth["top"])]
        },
        "estimate_over_yosys": {k: round(ours[k] / total[k], 2) if total[k] else None for k in ("LUT", "FF", "DSP")},
        "synth_seconds": synth["seconds"],
        "synth_tool": synth["tool"],
        "synth_jobs": synth["jobs"],
        "rtl_build_seconds": round(build, 1),
        "rtl_samples_per_second": round(samples / simulate),
        "latency_cycles": timing.latency,
        "ii": timing.interval,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--designs", nargs="+", choices=list(DESIGNS), default=["small", "small_rf4", "jet_rf4"])
    parser.add_argument("--samples", type=int, default=10_000)
    parser.add_argument("--json")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench_rtl_"))
    try:
        models = {"small": small_mlp(work), "jet": JET}
        if "digits_cnn" in args.designs:
            models["digits_cnn"] = digits_cnn(work)
        rows = []
        for name in args.designs:
            model, options = DESIGNS[name]
            rows.append(bench(name, models[model], options, args.samples, work))
            print(json.dumps(rows[-1]), flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    header = f"{'design':<14} {'cost bits':>10} {'est LUT/FF/DSP':>22} {'Yosys LUT/FF/DSP':>22} {'synth s':>8} {'sim/s':>9} {'lat':>4} {'II':>3}"
    print(header)
    for r in rows:
        est, ys = r["estimate"], r["yosys"]
        print(
            f"{r['design']:<14} {r['cost_bits']:>10} {est['LUT']:>9}/{est['FF']}/{est['DSP']:<6} "
            f"{ys['LUT']:>9}/{ys['FF']}/{ys['DSP']:<6} {r['synth_seconds']:>8} {r['rtl_samples_per_second']:>9} "
            f"{r['latency_cycles']:>4} {r['ii']:>3}"
        )
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2) + "\n")


if __name__ == "__main__":
    main()
