"""Side by side with hls4ml 1.3.0 (Vitis backend, io_parallel): for each model, the time each tool
takes to convert it into a written project, to build its C-simulation library and to predict 10,000
samples, and how its outputs compare with the float model (onnxruntime) and with the other tool's.

    python bench/vs_hls4ml.py [--quick] [--repeat 2] [--samples 10000] [--json PATH]

Both tools get the same precision: every input, layer result, weight and bias `ap_fixed<16,6,AP_RND,AP_SAT>`
(our default) and exact accumulators (ours by default; hls4ml's `auto` accum). Dense/Conv/ReLU
layers then compute the same function in both, so outputs before a softmax or sigmoid should be
bit-identical; the activation tables differ by design. `identical_samples` is the fraction of
samples on which the two tools' outputs are bit-identical; `logits_identical_samples` the same on the
model without its final Softmax/Sigmoid (see compare_logits: hls4ml keeps a bias Add as a layer of
its own, saturating twice, unless the layer's result type is left to it).

Each step runs in a fresh child process per tool and repeat (no shared caches: the C-simulation
build is cold); wall times are the minimum over the repeats, CPU times (user + sys, g++ included)
too. `to_library` = convert + build, the "model -> C-sim library" time. hls4ml (with qonnx, whose
clean-up its ONNX reader needs, done as bench/precision.py does) is optional: without it only our
columns are printed. Models: the jet MLP (examples/jet_mlp.onnx), a small torch CNN, and the float
models of ../shared/models/onnx, as they are (both tools take dimension 0 as the batch); then the
Keras files of ../shared/models/keras, which both tools read themselves (hls4ml with its Keras 2
reader, `keras_v2_to_hls`, which needs no TensorFlow for a JSON + HDF5 pair; where it cannot read a
file the table says why). For a Keras file hls4ml gets the model-level precision only (its per-layer
configuration needs the Keras model object), so its accumulators are not exact and the two tools'
outputs differ; the float Keras files are compared with the same network rebuilt in Keras 3
(tests/test_keras_import.py), the quantized ones with nothing but each other. Last, PyTorch GRU and
LSTM classifiers (tests/models_recurrent.py, trained here on the pulse task, 1 and 2 layers): both
tools convert the torch module itself, and both are compared with torch on sequences of the task.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import onnx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # torch_to_onnx, shared with the tests

PRECISION = "ap_fixed<16,6,AP_RND,AP_SAT>"
HLS4ML_PRECISION = "fixed<16,6,RND,SAT>"
PREDICT_REPEAT = 3  # predictions of the batch per child process (the fastest counts)
SHARED = ("three_layer_keras", "three_layer_pytorch", "two_layer_keras", "two_layer_pytorch")
SHARED_CNN = ("conv1d_small_keras", "conv2d_small_keras")
KERAS_FLOAT = ("KERAS_3layer", "KERAS_conv1d_small", "KERAS_conv2d_model")  # rebuilt in Keras 3 as the reference
# PyTorch recurrent classifiers (tests/models_recurrent.py, trained on the pulse task): (cell, layers).
# Both tools convert the torch module itself (hls4ml: convert_from_pytorch_model); hls4ml takes one layer only.
RECURRENT = {
    "torch_gru_2l": ("gru", 2),
    "torch_lstm_2l": ("lstm", 2),
    "torch_gru_1l": ("gru", 1),
    "torch_lstm_1l": ("lstm", 1),
}


# ------------------------------------------------------------------------------------------------
# Models
def small_cnn() -> onnx.ModelProto:
    """conv 3x3 (8) - relu - maxpool 2 - conv 3x3 (16) - relu - flatten - dense 10 - softmax on 1x8x8."""
    import torch
    from support import torch_to_onnx

    nn = torch.nn
    torch.manual_seed(0)
    cnn = nn.Sequential(
        nn.Conv2d(1, 8, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 3),
        nn.ReLU(),
        nn.Flatten(),
        nn.Linear(16 * 2 * 2, 10),
        nn.Softmax(dim=1),
    )
    return torch_to_onnx(cnn, (1, 8, 8))


def without_final_activation(model: onnx.ModelProto) -> onnx.ModelProto | None:
    """The model cut before its final Softmax/Sigmoid (None when it ends otherwise)."""
    last = model.graph.node[-1]
    if last.op_type not in ("Softmax", "Sigmoid") or len(model.graph.output) != 1:
        return None
    inferred = onnx.shape_inference.infer_shapes(model)
    known = {v.name: v for v in [*inferred.graph.value_info, *inferred.graph.output]}
    if last.input[0] not in known:
        return None
    cut = onnx.ModelProto.FromString(model.SerializeToString())
    del cut.graph.node[-1]
    del cut.graph.output[:]
    kept = [v for v in cut.graph.value_info if v.name != last.input[0]]
    del cut.graph.value_info[:]
    cut.graph.value_info.extend(kept)
    cut.graph.output.append(known[last.input[0]])
    return cut


def models(quick: bool) -> dict[str, onnx.ModelProto]:
    found = {"jet_mlp": onnx.load(ROOT / "examples" / "jet_mlp.onnx"), "small_cnn": small_cnn()}
    folder = ROOT.parent / "shared" / "models" / "onnx"
    for name in ("three_layer_keras", "conv2d_small_keras") if quick else (*SHARED, *SHARED_CNN):
        if (folder / f"{name}.onnx").exists():
            found[name] = onnx.load(folder / f"{name}.onnx")
    if quick:
        found.pop("small_cnn")
    return found


# ------------------------------------------------------------------------------------------------
# Child process: one tool, one model, every step timed
class Clock:
    """Wall and CPU time of each step; CPU includes finished child processes (g++)."""

    def __init__(self) -> None:
        self.times: dict[str, float] = {}

    @staticmethod
    def cpu() -> float:
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return time.process_time() + children.ru_utime + children.ru_stime

    def step(self, name: str, fn, repeat: int = 1):
        """fn() timed `repeat` times (the fastest run counts); returns its last result."""
        for _ in range(repeat):
            wall, cpu = time.perf_counter(), self.cpu()
            result = fn()
            wall, cpu = time.perf_counter() - wall, self.cpu() - cpu
            self.times[f"{name}_s"] = min(wall, self.times.get(f"{name}_s", wall))
            self.times[f"{name}_cpu_s"] = min(cpu, self.times.get(f"{name}_cpu_s", cpu))
        return result


def run_ours(model_path: str, x: np.ndarray, work: Path, clock: Clock) -> np.ndarray:
    api = clock.step("import", lambda: __import__("compiler.api", fromlist=["convert"]))
    torch_module = model_path.endswith(".pt")  # a recurrent classifier's state dict (measure_torch)
    source = recurrent_module(model_path) if torch_module else model_path
    shape = {"input_shape": x.shape[1:]} if torch_module else {}

    def convert():
        model = api.convert(source, name="bench", precision=PRECISION, output_dir=work, **shape)
        model.write(force=True)
        return model

    model = clock.step("convert", convert)
    clock.step("build", model.compile)
    model.predict(x[:10])  # not timed: first-call effects are the loader's, not the design's
    outputs = clock.step("predict", lambda: model.predict(x), repeat=PREDICT_REPEAT)
    return np.asarray(outputs, dtype=np.float64)


def recurrent_module(model_path: str):
    """The classifier whose state dict measure_torch saved at `model_path` (`<name>.pt`, tensors only)."""
    import torch
    from models_recurrent import classifier

    module = classifier(*RECURRENT[Path(model_path).stem])
    module.load_state_dict(torch.load(model_path, weights_only=True))
    return module.eval()


def build_and_predict(hls_model, x: np.ndarray, clock: Clock) -> np.ndarray:
    """Build a written hls4ml project's C simulation and predict `x`, timed."""
    clock.step("build", hls_model._compile)
    x = np.ascontiguousarray(x, dtype=np.float64)
    outputs = clock.step("predict", lambda: hls_model.predict(x), repeat=PREDICT_REPEAT)
    return np.asarray(outputs, dtype=np.float64).reshape(len(x), -1)


def run_hls4ml_torch(model_path: str, x: np.ndarray, work: Path, clock: Clock) -> np.ndarray:
    """hls4ml's PyTorch converter on the same module (every layer's precision the model default)."""
    hls4ml = clock.step("import", lambda: __import__("hls4ml"))
    module = recurrent_module(model_path)

    def convert():
        config = hls4ml.utils.config_from_pytorch_model(
            module, tuple(x.shape[1:]), granularity="model", default_precision=HLS4ML_PRECISION
        )
        hls_model = hls4ml.converters.convert_from_pytorch_model(
            module, hls_config=config, output_dir=str(work), backend="Vitis", io_type="io_parallel"
        )
        hls_model.write()
        return hls_model

    return build_and_predict(clock.step("convert", convert), x, clock)


def run_hls4ml_keras(model_path: str, x: np.ndarray, work: Path, clock: Clock) -> np.ndarray:
    """hls4ml's own Keras 2 reader on a JSON + weights pair or a full-model HDF5 file."""
    hls4ml = clock.step("import", lambda: __import__("hls4ml"))

    def convert():
        path = Path(model_path)
        config = {
            "OutputDir": str(work),
            "ProjectName": "bench",
            "Backend": "Vitis",
            "IOType": "io_parallel",
            "HLSConfig": {"Model": {"Precision": HLS4ML_PRECISION, "ReuseFactor": 1}},
        }
        if path.suffix == ".json":
            config.update(KerasJson=str(path), KerasH5=str(path.with_name(f"{path.stem}_weights.h5")))
        else:
            config["KerasH5"] = str(path)
        hls_model = hls4ml.converters.keras_v2_to_hls(config)
        hls_model.write()
        return hls_model

    return build_and_predict(clock.step("convert", convert), x, clock)


def hls4ml_config(hls4ml, wrapped, fused: bool) -> dict:
    """hls4ml's per-name configuration with our types: every input, result, weight and bias
    PRECISION and exact ('auto') accumulators, as ours by default. hls4ml folds a bias Add into
    its MatMul/Conv only when that layer's result type is left unspecified; `fused` leaves it so
    (the layer's result is then its exact accumulator, and the next layer's type casts it)."""
    config = hls4ml.utils.config_from_onnx_model(
        wrapped, granularity="name", backend="Vitis", default_precision=HLS4ML_PRECISION
    )
    ops = {node.name: node.op_type for node in wrapped.graph.node}
    for name, layer in config["LayerName"].items():
        precision = layer.setdefault("Precision", {})
        linear = ops.get(name) in ("MatMul", "Gemm", "Conv")
        for role in list(precision):
            if linear and (role == "accum" or (role == "result" and fused)):
                precision[role] = "auto"
            elif role in ("result", "weight", "bias"):
                precision[role] = HLS4ML_PRECISION
    return config


def run_hls4ml(model_path: str, x: np.ndarray, work: Path, clock: Clock, fused: bool = False) -> np.ndarray:
    def imports():
        import hls4ml
        from qonnx.core.modelwrapper import ModelWrapper
        from qonnx.transformation.channels_last import ConvertToChannelsLastAndClean
        from qonnx.transformation.gemm_to_matmul import GemmToMatMul
        from qonnx.util.cleanup import cleanup_model

        return hls4ml, ModelWrapper, ConvertToChannelsLastAndClean, GemmToMatMul, cleanup_model

    hls4ml, ModelWrapper, ToChannelsLast, GemmToMatMul, cleanup_model = clock.step("import", imports)

    def convert():
        wrapped = cleanup_model(ModelWrapper(model_path))
        wrapped = cleanup_model(wrapped.transform(ToChannelsLast()).transform(GemmToMatMul()))
        hls_model = hls4ml.converters.convert_from_onnx_model(
            wrapped,
            hls_config=hls4ml_config(hls4ml, wrapped, fused),
            output_dir=str(work),
            backend="Vitis",
            io_type="io_parallel",
        )
        hls_model.write()
        return hls_model

    hls_model = clock.step("convert", convert)
    clock.step("build", hls_model._compile)  # compile() = write() (done above) + _compile()
    shape = tuple(hls_model.get_input_variables()[0].shape)
    if x.shape[1:] != shape and x.ndim > 2 and (*x.shape[2:], x.shape[1]) == shape:
        x = np.moveaxis(x, 1, -1)  # qonnx made the model channels-last
    x = np.ascontiguousarray(x, dtype=np.float64)
    outputs = clock.step("predict", lambda: hls_model.predict(x), repeat=PREDICT_REPEAT)
    return np.asarray(outputs, dtype=np.float64).reshape(len(x), -1)


def child(tool: str, model_path: str, x_path: str, work: str, out: str) -> None:
    clock = Clock()
    x = np.load(x_path)
    result: dict = {}
    try:
        if tool == "ours":
            outputs = run_ours(model_path, x, Path(work), clock)
        elif model_path.endswith(".pt"):
            outputs = run_hls4ml_torch(model_path, x, Path(work), clock)
        elif not model_path.endswith(".onnx"):
            outputs = run_hls4ml_keras(model_path, x, Path(work), clock)
        else:
            outputs = run_hls4ml(model_path, x, Path(work), clock, fused=tool == "hls4ml_fused")
        np.save(Path(out).with_suffix(".npy"), outputs.reshape(len(x), -1))
    except Exception as err:  # reported in the table: a model one tool does not take
        message = " ".join(str(err).split())[:300]
        result["error"] = f"{type(err).__name__}: {message}"
    result.update(clock.times)
    Path(out).write_text(json.dumps(result))


def spawn(tool: str, model_path: Path, x_path: Path, scratch: Path, tag: str) -> dict:
    work, out = scratch / f"{tag}_{tool}", scratch / f"{tag}_{tool}.json"
    shutil.rmtree(work, ignore_errors=True)
    command = [sys.executable, __file__, "--child", tool, str(model_path), str(x_path), str(work), str(out)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=scratch)
    shutil.rmtree(work, ignore_errors=True)  # cold build next time
    if not out.exists():
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        return {"error": f"child failed: {tail[0][:300]}"}
    result = json.loads(out.read_text())
    outputs = out.with_suffix(".npy")
    if outputs.exists():
        result["outputs"] = np.load(outputs)
    return result


def hls4ml_available() -> bool:
    try:
        import hls4ml  # noqa: F401
        import qonnx  # noqa: F401
    except ImportError:
        return False
    return True


# ------------------------------------------------------------------------------------------------
def accuracy(outputs: np.ndarray, reference: np.ndarray) -> dict:
    reference = reference.reshape(len(reference), -1)
    agree = float(np.mean(outputs.argmax(1) == reference.argmax(1))) if reference.shape[1] > 1 else None
    return {"max_abs_error": float(np.abs(outputs - reference).max()), "argmax": agree}


def best(runs: list[dict]) -> dict:
    """Minimum of each time over the repeats; the first run's outputs (the design is deterministic)."""
    good = [r for r in runs if "error" not in r]
    if not good:
        return {"error": runs[0].get("error", "failed")}
    keys = [k for k in good[0] if k.endswith("_s")]
    merged = {k: min(r[k] for r in good if k in r) for k in keys}
    merged["to_library_s"] = min(r["convert_s"] + r["build_s"] for r in good)
    merged["to_library_cpu_s"] = min(r["convert_cpu_s"] + r["build_cpu_s"] for r in good)
    merged["outputs"] = good[0]["outputs"]
    return merged


def measure(name: str, model: onnx.ModelProto, args, scratch: Path, tools: list[str]) -> dict:
    from compiler.check import onnxruntime_outputs

    path = scratch / f"{name}.onnx"
    onnx.save(model, path)
    dims = [d.dim_value for d in model.graph.input[0].type.tensor_type.shape.dim][1:]
    x = np.random.default_rng(0).normal(size=(args.samples, *dims))
    x_path = scratch / f"{name}_x.npy"
    np.save(x_path, x)
    reference = onnxruntime_outputs(str(path), [x])[0]
    row: dict = {"model": name, "samples": args.samples}
    for tool in tools:
        runs = [spawn(tool, path, x_path, scratch, f"{name}_r{r}") for r in range(args.repeat)]
        result = best(runs)
        if "outputs" in result:
            result.update(accuracy(result["outputs"], reference))
        row[tool] = result
    if side_by_side(row):
        cut = without_final_activation(model)
        if cut is not None:
            row.update(compare_logits(name, cut, x_path, scratch))
    for tool in tools:
        row[tool].pop("outputs", None)
    return row


def side_by_side(row: dict) -> bool:
    """The two tools' outputs and times compared in `row`, when both ran."""
    ours, theirs = row.get("ours", {}), row.get("hls4ml", {})
    if "outputs" not in ours or "outputs" not in theirs:
        return False
    row["identical_samples"] = identical_samples(ours["outputs"], theirs["outputs"])
    row["max_abs_diff"] = float(np.abs(ours["outputs"] - theirs["outputs"]).max())
    for key in ("convert_s", "build_s", "predict_s", "to_library_s", "to_library_cpu_s"):
        if theirs.get(key):
            row[f"ratio_{key}"] = ours[key] / theirs[key]
    return True


def keras_files(quick: bool) -> dict[str, Path]:
    """The Keras files of ../shared/models/keras the tests compile (tests/test_keras_import.py)."""
    from test_keras_import import SHARED_FILES

    folder = ROOT.parent / "shared" / "models" / "keras"
    return {} if quick else {Path(f).stem: folder / f for f in SHARED_FILES if (folder / f).exists()}


def measure_keras(name: str, path: Path, args, scratch: Path, tools: list[str]) -> dict:
    """`measure` for a Keras file: both tools read it themselves."""
    from compiler.api import convert

    x = np.random.default_rng(0).normal(size=(args.samples, *convert(path).input_shapes[0]))
    x_path = scratch / f"{name}_x.npy"
    np.save(x_path, x)
    reference = None
    if name in KERAS_FLOAT:
        from test_keras_import import rebuilt

        reference = rebuilt(path, path.with_name(f"{name}_weights.h5")).predict(x.astype(np.float32), verbose=0)
    row: dict = {"model": name, "samples": args.samples}
    for tool in tools:
        result = best([spawn(tool, path, x_path, scratch, f"{name}_r{r}") for r in range(args.repeat)])
        if "outputs" in result:
            result.update(accuracy(result["outputs"], reference) if reference is not None else {"argmax": None})
        row[tool] = result
    side_by_side(row)
    for tool in tools:
        row[tool].pop("outputs", None)
    return row


def measure_torch(name: str, args, scratch: Path, tools: list[str]) -> dict:
    """`measure` for a recurrent PyTorch classifier, trained here, on sequences of its task."""
    import torch
    from models_recurrent import pulses, trained

    module = trained(*RECURRENT[name])
    path = scratch / f"{name}.pt"
    torch.save(module.state_dict(), path)
    x, _ = pulses(args.samples, seed=99)
    x_path = scratch / f"{name}_x.npy"
    np.save(x_path, x)
    reference = module(torch.from_numpy(x)).detach().numpy()
    row: dict = {"model": name, "samples": args.samples}
    for tool in tools:
        result = best([spawn(tool, path, x_path, scratch, f"{name}_r{r}") for r in range(args.repeat)])
        if "outputs" in result:
            result.update(accuracy(result["outputs"], reference))
        row[tool] = result
    side_by_side(row)
    for tool in tools:
        row[tool].pop("outputs", None)
    return row


def identical_samples(a: np.ndarray, b: np.ndarray) -> float:
    """Fraction of samples whose outputs are all bit-identical."""
    return float(np.mean(np.all(a == b, axis=1)))


def compare_logits(name: str, cut: onnx.ModelProto, x_path: Path, scratch: Path) -> dict:
    """Ours against hls4ml on the model without its final activation, hls4ml configured to fold
    each bias into its layer (as ours does): its last layer then returns the exact accumulator,
    which gets our final cast (PRECISION) in numpy. Dense/Conv/ReLU being the same function in
    both tools, this should agree on every sample."""
    from dialects.fixedpoint import codes_to_floats, parse_precision, quantize_floats

    path = scratch / f"{name}_logits.onnx"
    onnx.save(cut, path)
    runs = [spawn(tool, path, x_path, scratch, f"{name}_logits") for tool in ("ours", "hls4ml_fused")]
    failed = [r["error"] for r in runs if "error" in r]
    if failed:
        return {"logits_error": failed[0]}
    cast = parse_precision(PRECISION)
    theirs = codes_to_floats(
        quantize_floats(runs[1]["outputs"], cast.format, cast.rounding, cast.overflow), cast.format
    )
    return {
        "logits_identical_samples": identical_samples(runs[0]["outputs"], theirs),
        "logits_max_abs_diff": float(np.abs(runs[0]["outputs"] - theirs).max()),
    }


def fmt(value, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def print_table(rows: list[dict], tools: list[str]) -> None:
    head = f"{'model':<20} {'tool':<7} {'import':>7} {'convert':>8} {'build':>7} {'build cpu':>9} "
    head += f"{'to lib':>7} {'predict':>8} {'samples/s':>10} {'max err':>8} {'argmax':>7}"
    print(head)
    for row in rows:
        for tool in tools:
            r = row[tool]
            if "error" in r:
                print(f"{row['model']:<20} {tool:<7} error: {r['error'][:90]}")
                continue
            rate = row["samples"] / r["predict_s"]
            print(
                f"{row['model']:<20} {tool:<7} {r['import_s']:>7.2f} {r['convert_s']:>8.3f} {r['build_s']:>7.2f} "
                f"{r['build_cpu_s']:>9.2f} {r['to_library_s']:>7.2f} {r['predict_s']:>8.3f} {rate:>10.0f} "
                f"{fmt(r.get('max_abs_error'), '8.4f'):>8} {fmt(r['argmax'] and 100 * r['argmax'], '6.2f'):>6}%"
            )
        if "ratio_build_s" in row:
            logits = row.get("logits_error") or f"{fmt(pct(row.get('logits_identical_samples')), '.2f')} %"
            if "logits_error" not in row and "logits_identical_samples" not in row:
                logits = "-"
            print(
                f"{'':<20} {'ratio':<7} {'':>7} {row['ratio_convert_s']:>8.2f} {row['ratio_build_s']:>7.2f} {'':>9} "
                f"{row['ratio_to_library_s']:>7.2f} {row['ratio_predict_s']:>8.3f}   identical samples: "
                f"{100 * row['identical_samples']:.2f} %, before the final activation: {logits}"
            )


def pct(fraction: float | None) -> float | None:
    return None if fraction is None else 100 * fraction


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=2, help="runs per tool and model; times are the minimum")
    parser.add_argument("--quick", action="store_true", help="two models, one run each")
    parser.add_argument("--models", help="comma-separated subset of the model names")
    parser.add_argument("--json", metavar="PATH", help="also write every figure as JSON")
    parser.add_argument("--child", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    if args.quick:
        args.repeat = 1
    tools = ["ours", "hls4ml"] if hls4ml_available() else ["ours"]
    if tools == ["ours"]:
        print("hls4ml or qonnx not installed: our figures only")
    selected = models(args.quick)
    if args.models:
        wanted = args.models.split(",")
        unknown = [m for m in wanted if m not in selected and m not in keras_files(args.quick) and m not in RECURRENT]
        if unknown:
            parser.error(f"unknown model(s) {', '.join(unknown)}; models: {', '.join(selected)}")
        selected = {m: selected[m] for m in wanted if m in selected}
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench_vs_hls4ml_") as scratch:
        for name, model in selected.items():
            rows.append(measure(name, model, args, Path(scratch), tools))
            print(f"measured {name}", file=sys.stderr)
        for name, path in keras_files(args.quick).items():
            if not args.models or name in args.models.split(","):
                rows.append(measure_keras(name, path, args, Path(scratch), tools))
                print(f"measured {name}", file=sys.stderr)
        for name in [] if args.quick else RECURRENT:
            if not args.models or name in args.models.split(","):
                rows.append(measure_torch(name, args, Path(scratch), tools))
                print(f"measured {name}", file=sys.stderr)
    print_table(rows, tools)
    summary = targets(rows)
    for line in summary["lines"]:
        print(line)
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        meta = {"cpus": os.cpu_count(), "load_average": os.getloadavg(), "repeat": args.repeat, "precision": PRECISION}
        Path(args.json).write_text(json.dumps({"meta": meta, "rows": rows, "targets": summary}, indent=2) + "\n")
        print(f"wrote {args.json}")


def targets(rows: list[dict]) -> dict:
    """The speed goals on the jet MLP: model -> C-sim library in at most a third of hls4ml's
    time, C-sim throughput at least 20x hls4ml's (wall time; CPU time alongside, as the machine
    may be shared)."""
    jet = next((r for r in rows if r["model"] == "jet_mlp" and "ratio_build_s" in r), None)
    if jet is None:
        return {"lines": []}
    ours, theirs = jet["ours"], jet["hls4ml"]
    library, library_cpu = jet["ratio_to_library_s"], jet["ratio_to_library_cpu_s"]
    throughput = theirs["predict_s"] / ours["predict_s"]
    throughput_cpu = theirs["predict_cpu_s"] / ours["predict_cpu_s"]
    return {
        "jet_to_library_ratio": library,
        "jet_to_library_cpu_ratio": library_cpu,
        "jet_throughput_ratio": throughput,
        "jet_throughput_cpu_ratio": throughput_cpu,
        "lines": [
            f"target jet_mlp model -> C-sim library <= 1/3 of hls4ml's time: {library:.2f} "
            f"({ours['to_library_s']:.2f} s / {theirs['to_library_s']:.2f} s; CPU {library_cpu:.2f}) "
            f"{'met' if library <= 1 / 3 else 'NOT MET'}",
            f"target jet_mlp C-sim throughput >= 20x hls4ml's: {throughput:.1f}x (CPU {throughput_cpu:.1f}x) "
            f"{'met' if throughput >= 20 else 'NOT MET'}",
        ],
    }


if __name__ == "__main__":
    main()
