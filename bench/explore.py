"""Design-space exploration (compiler/explore.py) of the jet MLP and the digits CNN on a local Dask
cluster of 2 worker processes, with the default grid (4 uniform precisions and `auto` at 3 error
budgets x reuse factors 1, 2, 4, 8 x latency/resource x io_parallel/io_stream: 128 points per model),
then the search of reuse factors per layer from the best design.

Per model: points per minute (a cold sweep, cluster start-up included; then the rerun, all from the
cache), the front's size, failed points, and two designs set against the default one (uniform
ap_fixed<16,6,AP_RND,AP_SAT>, reuse factor 1, latency, io_parallel): the best within the stated
budget, and the cheapest front point whose accuracy is within 0.5 % of the float model's, whose
configuration is then compiled again through `--config` (its report's totals must be the sweep's).

    python bench/explore.py [--budget 'LUT<=200000,DSP<=1500'] [--latency '<=100'] [--workers 2]
        [--out DIR] [--json out.json]

The jet MLP (examples/jet_mlp.onnx, random weights) is judged on 2,000 N(0, 1) samples by agreement
with the float model; the CNN (tests/models_trained.py, trained for a few seconds) on sklearn's
1,797 digits with their labels.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import shlex
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # the trained models and torch_to_onnx, shared with the tests

from compiler.__main__ import main as compiler_main  # noqa: E402
from compiler.explore import explore  # noqa: E402

DEFAULT_DESIGN = "ap_fixed-16-6-rnd-sat_rf1_latency_parallel"
WITHIN = 0.005  # accuracy within 0.5 % of the float model's


def models(work: Path) -> dict[str, tuple[Path, np.ndarray, np.ndarray | None]]:
    from models_trained import digits_cnn
    from support import torch_to_onnx

    module, x, labels = digits_cnn()
    cnn = work / "digits_cnn.onnx"
    cnn.write_bytes(torch_to_onnx(module, (1, 8, 8)).SerializeToString())
    jet = np.random.default_rng(0).normal(size=(2000, 16))
    return {
        "jet_mlp": (ROOT / "examples" / "jet_mlp.onnx", jet, None),
        "digits_cnn": (cnn, x.astype(np.float64), np.asarray(labels)),
    }


def summary_line(row: dict) -> str:
    return (
        f"{row['name']}: accuracy {100 * row['accuracy']:.2f} %, LUT {row['LUT']}, FF {row['FF']}, DSP {row['DSP']}, "
        f"BRAM {row['BRAM_18K']}, {100 * row['resources']:.2f} % of the part, latency {row['latency_cycles']}, II {row['ii']}"
    )


def reproduces(row: dict, project: Path) -> bool:
    """The front point's command (its config) compiled again: the same report totals."""
    argv = shlex.split(row["command"])[3:]
    with contextlib.redirect_stdout(io.StringIO()):
        if compiler_main([*argv, "-o", str(project), "--force"]) != 0:
            return False
    report = json.loads((project / "report.json").read_text())
    return report["totals"] == row["totals"] and report["pipeline"] == row["pipeline"]


def bench(name: str, model: Path, x: np.ndarray, labels, args, out: Path) -> dict:
    folder = out / name
    shutil.rmtree(folder, ignore_errors=True)
    start = time.perf_counter()
    result = explore(
        model, x, labels, budget=args.budget, latency=args.latency, output_dir=folder, workers=args.workers
    )
    cold = time.perf_counter() - start
    start = time.perf_counter()
    again = explore(model, x, labels, budget=args.budget, latency=args.latency, output_dir=folder, progress=False)
    warm = time.perf_counter() - start
    print(result.table(), end="")
    rows = result.rows
    by_name = {r["name"]: r for r in rows}
    default = by_name[DEFAULT_DESIGN]
    reference = result.reference_accuracy if result.reference_accuracy is not None else 1.0
    summary = json.loads((folder / "pareto.json").read_text())
    front = {r["name"]: r for r in summary["front"]}
    close = [r for r in front.values() if r["accuracy"] >= reference - WITHIN]
    cheapest = min(close, key=lambda r: (r["resources"], r["latency_cycles"]), default=None)
    # the default's architecture (reuse 1, latency, io_parallel): what precision alone saves
    same = [
        r
        for r in rows
        if r["status"] == "ok"
        and (r["reuse_factor"], r["strategy"], r["io_type"]) == (1, "latency", "io_parallel")
        and r["accuracy"] >= reference - WITHIN
    ]
    cheapest_same = min(same, key=lambda r: (r["resources"], r["LUT"] + r["FF"]))
    figures = {
        "model": name,
        "points": len(rows),
        "failed": sum(r["status"] != "ok" for r in rows),
        "front": len(result.front),
        "cold_seconds": round(cold, 1),
        "points_per_minute": round(result.computed / cold * 60, 1),
        "rerun_seconds": round(warm, 2),
        "rerun_computed": again.computed,
        "float_accuracy": f"{100 * reference:.2f} %" if result.reference_accuracy is not None else "n/a (agreement)",
        "default": summary_line(default),
        "per_layer_search_points": sum(bool(r["layer_reuse"]) for r in rows),
        "best_within_budget": summary_line(rows[result.best]) if result.best is not None else None,
        "cheapest_within_0.5%": summary_line(cheapest) if cheapest else None,
        "cheapest_within_0.5%_at_rf1_latency_parallel": summary_line(cheapest_same),
    }
    if cheapest is not None:
        figures["resources_saved_vs_default"] = f"{100 * (1 - cheapest['resources'] / default['resources']):.1f} %"
        figures["config_reproduces"] = reproduces(cheapest, out / f"{name}_reproduced")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", default="LUT<=200000,DSP<=1500")
    parser.add_argument("--latency", default="<=100")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", help="keep the sweeps' outputs here (default: a temporary directory)")
    parser.add_argument("--json")
    args = parser.parse_args()

    work = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="bench_explore_"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        results = [bench(name, *spec, args, work) for name, spec in models(work).items()]
    finally:
        if not args.out:
            shutil.rmtree(work, ignore_errors=True)
    print(f"\nbudget {args.budget}, latency {args.latency}, {args.workers} workers")
    for figures in results:
        print()
        width = max(map(len, figures))
        for key, value in figures.items():
            print(f"{key:<{width}}  {value}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
