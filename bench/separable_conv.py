"""The 512x512x3 quantized separable convolution (../shared/models/qonnx/separable_conv_model_ch_last.onnx)
in io_stream: conversion time, C-simulation build time and peak memory (cold object cache, measured in
a child process that only builds), and C-simulation time per sample.

    python bench/separable_conv.py [--io-type io_stream|io_parallel] [--samples N] [--json out.json]

Goals: the build under 2 GB of memory, one sample under 1 s of C simulation.
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
MODEL = ROOT.parent / "shared" / "models" / "qonnx" / "separable_conv_model_ch_last.onnx"
sys.path.insert(0, str(ROOT))

BUILD_CHILD = """
import resource, sys, time
from runtime.build import compile_project
start = time.perf_counter()
compile_project(sys.argv[1], sys.argv[2])
elapsed = time.perf_counter() - start
# the largest resident set of any g++ this process waited for (ru_maxrss is in KiB on Linux)
print(elapsed, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--io-type", default="io_stream")
    parser.add_argument("--samples", type=int, default=4)
    parser.add_argument("--json")
    args = parser.parse_args()
    if not MODEL.exists():
        sys.exit(f"{MODEL} is not available (../shared is absent)")
    from compiler.api import convert

    with tempfile.TemporaryDirectory(prefix="nn2hls_sepconv_") as scratch:
        project = Path(scratch) / "prj"
        start = time.perf_counter()
        model = convert(MODEL, name="separable", io_type=args.io_type, output_dir=project)
        model.write()
        convert_s = time.perf_counter() - start
        shutil.rmtree(project / "csim", ignore_errors=True)
        child = subprocess.run(
            [sys.executable, "-c", BUILD_CHILD, str(project), model.name],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        build_s, build_peak_mb = (float(v) for v in child.stdout.split())
        model.compile()  # the library just built (cached objects)
        rng = np.random.default_rng(0)
        x = (rng.integers(-8, 8, size=(args.samples, 512, 512, 3)) / 16).astype(np.float32)
        model.predict(x[:1])  # load the library
        start = time.perf_counter()
        y = model.predict(x)
        per_sample_s = (time.perf_counter() - start) / args.samples
        equal = bool(np.array_equal(y[:1], model.emulate(x[:1])))
    result = {
        "io_type": args.io_type,
        "convert_and_write_s": round(convert_s, 2),
        "csim_build_s": round(build_s, 2),
        "csim_build_peak_mb": round(build_peak_mb, 1),
        "csim_s_per_sample": round(per_sample_s, 3),
        "csim_equals_emulator": equal,
    }
    for key, value in result.items():
        print(f"{key:24s} {value}")
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
