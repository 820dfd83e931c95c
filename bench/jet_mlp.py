"""Times the tool on the jet-tagging MLP (16-64-32-32-5): `python -m compiler` end to end, the
C-simulation build (`compile()`, cold: no cached objects), C-simulation and emulator throughput.

    python bench/jet_mlp.py [--samples 10000] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from compiler.api import convert  # noqa: E402


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=str(ROOT / "examples" / "jet_mlp.onnx"))
    parser.add_argument("--samples", type=int, default=10_000)
    parser.add_argument("--json")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench_jet_"))
    try:
        cli = [sys.executable, "-m", "compiler", args.model, "-o", str(work / "cli")]
        _, cli_seconds = timed(lambda: subprocess.run(cli, check=True, capture_output=True, cwd=ROOT))

        model, convert_seconds = timed(lambda: convert(args.model, output_dir=work / "api"))
        _, write_seconds = timed(model.write)
        _, compile_seconds = timed(model.compile)

        x = np.random.default_rng(0).normal(size=(args.samples, *model.input_shapes[0]))
        model.predict(x[:10])
        y, csim_seconds = timed(lambda: model.predict(x))
        z, emulate_seconds = timed(lambda: model.emulate(x))
        results = {
            "model": args.model,
            "samples": args.samples,
            "cli_seconds": round(cli_seconds, 3),
            "convert_seconds": round(convert_seconds, 3),
            "write_seconds": round(write_seconds, 3),
            "compile_seconds": round(compile_seconds, 3),
            "csim_samples_per_second": round(args.samples / csim_seconds),
            "emulator_samples_per_second": round(args.samples / emulate_seconds),
            "bit_exact": bool(np.array_equal(y, z)),
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)

    width = max(map(len, results))
    for key, value in results.items():
        print(f"{key:<{width}}  {value}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
