"""How the tool scales: MLPs of growing size (about 1k, 10k, 100k and 1M parameters) and a CNN of
growing input size. Per size, the wall time, CPU time and peak memory of `python -m compiler`
(model -> written project) and of the C-simulation build (cold: no cached objects), and the C
simulation's throughput (samples per second of wall and of CPU time: the machine may be shared);
then how each grows with the size.

    python bench/scale.py [--quick] [--repeat 2] [--json PATH]

Each step runs in a fresh child process; its peak memory is the largest resident set of that child
and its own children (os.wait4: g++ included), so the parent's memory never counts. Times are the
minimum over the repeats. With parallel g++ jobs, the build's peak is that of its largest single
process, not the sum of the concurrent ones.

MLP: input n, two hidden layers of n, 10 outputs, ReLU (n chosen for the parameter count).
CNN: 1xSxS input, conv 3x3 (8) - relu - maxpool 2 - conv 3x3 (16) - relu - maxpool 2 - dense 10.
Weights are seeded random floats; the default precision ap_fixed<16,6,AP_RND,AP_SAT>.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

MLP_PARAMS = (1_000, 10_000, 100_000, 1_000_000)
CNN_SIZES = (8, 16, 32, 64, 128)
QUICK_MLP_PARAMS = (1_000, 10_000, 100_000)
QUICK_CNN_SIZES = (8, 16, 32)
PREDICT_SAMPLES = 1000


# ------------------------------------------------------------------------------------------------
# Models (onnx.helper: no torch needed)
def _model(name: str, nodes, inputs, outputs, initializers) -> onnx.ModelProto:
    graph = helper.make_graph(nodes, name, inputs, outputs, initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    return model


def mlp_width(params: int) -> int:
    """n with 2n^2 + 12n + 10 (the MLP's parameter count) closest to `params`."""
    return max(1, round((-12 + math.sqrt(144 + 8 * (params - 10))) / 4))


def mlp(params: int, seed: int = 0) -> onnx.ModelProto:
    n = mlp_width(params)
    layers = [n, n, n, 10]
    rng = np.random.default_rng(seed)
    nodes, initializers, current = [], [], "x"
    for i, (a, b) in enumerate(zip(layers[:-1], layers[1:])):
        weight = (rng.normal(size=(a, b)) * math.sqrt(2.0 / a)).astype(np.float32)
        bias = (rng.normal(size=b) * 0.1).astype(np.float32)
        initializers += [numpy_helper.from_array(weight, f"w{i}"), numpy_helper.from_array(bias, f"b{i}")]
        nodes.append(helper.make_node("Gemm", [current, f"w{i}", f"b{i}"], [f"dense{i}_out"], name=f"dense{i}"))
        current = f"dense{i}_out"
        if i < len(layers) - 2:
            nodes.append(helper.make_node("Relu", [current], [f"relu{i}_out"], name=f"relu{i}"))
            current = f"relu{i}_out"
    return _model(
        "mlp",
        nodes,
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["n", n])],
        [helper.make_tensor_value_info(current, TensorProto.FLOAT, ["n", 10])],
        initializers,
    )


def cnn(size: int, seed: int = 0) -> onnx.ModelProto:
    rng = np.random.default_rng(seed)
    initializers = []

    def conv(name: str, x: str, c_in: int, c_out: int) -> list:
        w = (rng.normal(size=(c_out, c_in, 3, 3)) * math.sqrt(2.0 / (9 * c_in))).astype(np.float32)
        initializers.extend(
            [
                numpy_helper.from_array(w, f"{name}_w"),
                numpy_helper.from_array((rng.normal(size=c_out) * 0.1).astype(np.float32), f"{name}_b"),
            ]
        )
        return [
            helper.make_node("Conv", [x, f"{name}_w", f"{name}_b"], [f"{name}_out"], name=name, pads=[1, 1, 1, 1]),
            helper.make_node("Relu", [f"{name}_out"], [f"{name}_relu"], name=f"{name}_relu"),
            helper.make_node(
                "MaxPool", [f"{name}_relu"], [f"{name}_pool"], name=f"{name}_pool", kernel_shape=[2, 2], strides=[2, 2]
            ),
        ]

    flat = 16 * (size // 4) ** 2
    w = (rng.normal(size=(flat, 10)) * math.sqrt(2.0 / flat)).astype(np.float32)
    initializers += [numpy_helper.from_array(w, "fc_w"), numpy_helper.from_array(np.zeros(10, np.float32), "fc_b")]
    nodes = [
        *conv("conv1", "x", 1, 8),
        *conv("conv2", "conv1_pool", 8, 16),
        helper.make_node("Flatten", ["conv2_pool"], ["flat"], name="flatten"),
        helper.make_node("Gemm", ["flat", "fc_w", "fc_b"], ["y"], name="fc"),
    ]
    return _model(
        "cnn",
        nodes,
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["n", 1, size, size])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["n", 10])],
        initializers,
    )


def parameters(model: onnx.ModelProto) -> int:
    return sum(math.prod(t.dims) for t in model.graph.initializer)


# ------------------------------------------------------------------------------------------------
# Measuring a child process
def measure(command: list[str], cwd: Path) -> dict:
    """Wall time, CPU time (user + sys) and peak resident memory of a command and its children."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    stdout, stderr = process.stdout.read(), process.stderr.read()
    process.stdout.close()
    process.stderr.close()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        tail = (stderr or stdout).strip().splitlines()[-1:] or ["no output"]
        raise RuntimeError(f"{' '.join(command[:4])} ... exited with {process.returncode}: {tail[0][:300]}")
    return {
        "wall_s": wall,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "peak_mb": usage.ru_maxrss / 1024,
        "stdout": stdout,
    }


BUILD = """
import sys
sys.path.insert(0, {root!r})
from runtime.build import compile_project
print(compile_project({project!r}, {name!r}))
"""

PREDICT = """
import sys, time
import numpy as np
sys.path.insert(0, {root!r})
from runtime.csim import CSim
csim = CSim({library!r}, {name!r}, [{shape!r}], [(10,)])
x = np.random.default_rng(0).normal(size=({samples}, *{shape!r}))
csim.predict(x[:2])
walls, cpus = [], []
for _ in range(3):
    wall, cpu = time.perf_counter(), time.thread_time()
    csim.predict(x)
    walls.append(time.perf_counter() - wall)
    cpus.append(time.thread_time() - cpu)
print({samples} / min(walls), {samples} / min(cpus))
"""


def run_size(model: onnx.ModelProto, tag: str, scratch: Path, repeat: int, predict: bool) -> dict:
    path, project = scratch / f"{tag}.onnx", scratch / tag
    onnx.save(model, path)
    shape = tuple(d.dim_value for d in model.graph.input[0].type.tensor_type.shape.dim[1:])
    row: dict = {"model": tag, "parameters": parameters(model), "input": list(shape)}
    runs = []
    for _ in range(repeat):
        shutil.rmtree(project, ignore_errors=True)
        cli = measure([sys.executable, "-m", "compiler", str(path), "-o", str(project), "--name", "scale"], ROOT)
        build = measure([sys.executable, "-c", BUILD.format(root=str(ROOT), project=str(project), name="scale")], ROOT)
        runs.append((cli, build))
    for key, index in (("compiler", 0), ("build", 1)):
        for field in ("wall_s", "cpu_s", "peak_mb"):
            row[f"{key}_{field}"] = min(r[index][field] for r in runs)
    sources = [*(project / "firmware").rglob("*.cpp"), *(project / "firmware").rglob("*.h")]
    row["sources"] = len(list((project / "firmware" / "kernels").glob("*.cpp"))) + 2  # kernels, top, bridge
    row["firmware_mb"] = sum(p.stat().st_size for p in sources) / 2**20
    if predict:
        library = runs[-1][1]["stdout"].strip().splitlines()[-1]
        script = PREDICT.format(root=str(ROOT), library=library, name="scale", shape=shape, samples=PREDICT_SAMPLES)
        rates = measure([sys.executable, "-c", script], ROOT)["stdout"].split()
        row["csim_samples_per_s"], row["csim_samples_per_cpu_s"] = float(rates[-2]), float(rates[-1])
    shutil.rmtree(project, ignore_errors=True)
    return row


# ------------------------------------------------------------------------------------------------
def growth(rows: list[dict], size_key: str) -> list[dict]:
    """Exponent k of time ~ size^k between consecutive rows (1: linear)."""
    out = []
    for a, b in zip(rows, rows[1:]):
        ratio = b[size_key] / a[size_key]
        entry = {"from": a["model"], "to": b["model"]}
        for key in ("compiler_wall_s", "compiler_peak_mb", "build_wall_s", "build_cpu_s", "build_peak_mb"):
            entry[key] = math.log(b[key] / a[key]) / math.log(ratio) if ratio > 1 and a[key] > 0 else None
        out.append(entry)
    return out


def print_rows(title: str, rows: list[dict], growths: list[dict]) -> None:
    print(f"\n{title}")
    print(
        f"  {'model':<12} {'params':>9} {'compiler s':>10} {'cpu s':>6} {'peak MB':>8} {'build s':>8} "
        f"{'cpu s':>6} {'peak MB':>8} {'files':>5} {'src MB':>7} {'samples/s':>10} {'per cpu s':>10}"
    )
    for r in rows:
        rate, cpu_rate = r.get("csim_samples_per_s"), r.get("csim_samples_per_cpu_s")
        print(
            f"  {r['model']:<12} {r['parameters']:>9} {r['compiler_wall_s']:>10.2f} {r['compiler_cpu_s']:>6.2f} "
            f"{r['compiler_peak_mb']:>8.0f} {r['build_wall_s']:>8.2f} {r['build_cpu_s']:>6.2f} "
            f"{r['build_peak_mb']:>8.0f} {r['sources']:>5} {r['firmware_mb']:>7.2f} "
            f"{'-' if rate is None else f'{rate:.0f}':>10} {'-' if cpu_rate is None else f'{cpu_rate:.0f}':>10}"
        )
    for g in growths:
        parts = [f"{k.removesuffix('_s').replace('_', ' ')} ^{v:.2f}" for k, v in g.items() if isinstance(v, float)]
        print(f"  growth {g['from']} -> {g['to']}: " + ", ".join(parts))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, one run each")
    parser.add_argument("--repeat", type=int, default=2, help="runs per size; times are the minimum")
    parser.add_argument("--no-predict", action="store_true", help="skip the C-simulation throughput")
    parser.add_argument("--json", metavar="PATH", help="also write the figures as JSON")
    args = parser.parse_args()
    if args.quick:
        args.repeat = 1
    mlp_sizes = QUICK_MLP_PARAMS if args.quick else MLP_PARAMS
    cnn_sizes = QUICK_CNN_SIZES if args.quick else CNN_SIZES
    with tempfile.TemporaryDirectory(prefix="bench_scale_") as scratch:
        mlps = []
        for params in mlp_sizes:
            mlps.append(
                run_size(mlp(params), f"mlp_{params // 1000}k", Path(scratch), args.repeat, not args.no_predict)
            )
            print(f"measured {mlps[-1]['model']}", file=sys.stderr)
        cnns = []
        for size in cnn_sizes:
            cnns.append(run_size(cnn(size), f"cnn_{size}x{size}", Path(scratch), args.repeat, not args.no_predict))
            cnns[-1]["pixels"] = size * size
            print(f"measured {cnns[-1]['model']}", file=sys.stderr)
    mlp_growth, cnn_growth = growth(mlps, "parameters"), growth(cnns, "pixels")
    print_rows("MLPs (n-n-n-10)", mlps, mlp_growth)
    print_rows("CNNs (growing input)", cnns, cnn_growth)
    summary = target(mlps)
    if summary:
        print(summary["line"])
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        meta = {"cpus": os.cpu_count(), "load_average": os.getloadavg(), "repeat": args.repeat}
        results = {"meta": meta, "mlp": mlps, "mlp_growth": mlp_growth, "cnn": cnns, "cnn_growth": cnn_growth}
        Path(args.json).write_text(json.dumps({**results, "target": summary}, indent=2) + "\n")
        print(f"wrote {args.json}")


def target(mlps: list[dict]) -> dict | None:
    """The scaling goal: a 1M-parameter MLP converted in under 30 s and 4 GB."""
    big = next((r for r in mlps if r["parameters"] >= 900_000), None)
    if big is None:
        return None
    met = big["compiler_wall_s"] < 30 and big["compiler_peak_mb"] < 4096
    line = (
        f"target 1M-parameter MLP converted in < 30 s and < 4 GB: {big['compiler_wall_s']:.1f} s, "
        f"{big['compiler_peak_mb']:.0f} MB ({'met' if met else 'not met'}); its C-sim build: "
        f"{big['build_wall_s']:.1f} s, {big['build_peak_mb']:.0f} MB"
    )
    return {"seconds": big["compiler_wall_s"], "peak_mb": big["compiler_peak_mb"], "met": met, "line": line}


if __name__ == "__main__":
    main()
