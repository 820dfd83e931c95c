"""Precision designs side by side on the same float models: our error-budgeted `auto` (the default
budget; a budget TIGHTER times tighter; and calibrated on 1,000 other
samples, the integer bits from what they reach), our uniform default ap_fixed<16,6,AP_RND,AP_SAT>, and
hls4ml 1.3.0's 'auto' (config_from_onnx_model, granularity='name'). Per model and design: agreement
of the predicted class (argmax; a single sigmoid output: which side of 0.5; none for the autoencoder,
whose output is a reconstruction: max abs error only), max abs error against the float model
(onnxruntime), the certified bound on that error from the design's report (`error_bound`; none
where a cast can overflow), and the cost figure of compiler/report.py computed on both tools' types.

    python bench/precision.py [--samples 10000] [--only NAME ...] [--json out.json]

Models: the jet-tagging MLP (16-64-32-32-5, torch, random weights), an MLP and a CNN trained on
sklearn's digits (evaluated on the digits), ../shared/models/onnx/{three,two}_layer_keras.onnx when
present, and the deeper MLPerf-Tiny-shaped models of tests/models_deep.py (ResNet-8, MobileNet,
DS-CNN, the anomaly-detection autoencoder, the 6-layer MLP). Models without data of their own are
evaluated on `--samples` N(0, 1) inputs. A design that fails to convert, compile or run is a cell
naming the error. hls4ml (and qonnx, whose clean-up its ONNX reader needs) is optional: without it
only our designs are printed.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import math
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import NamedTuple

import numpy as np
import onnx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # the trained models and torch_to_onnx, shared with the tests

from compiler.api import convert  # noqa: E402
from compiler.check import onnxruntime_outputs  # noqa: E402

TIGHTER = 8  # the tight design's budget is the default budget / TIGHTER
DESIGNS = {
    "ours_auto": "auto, default budget",
    "ours_auto_tight": f"auto, budget / {TIGHTER}",
    "ours_auto_calibrated": "auto, calibrated",
    "ours_default": "ap_fixed<16,6,RND,SAT>",
    "hls4ml_auto": "hls4ml 'auto'",
}


class BenchModel(NamedTuple):
    model: onnx.ModelProto
    data: np.ndarray | None  # inputs of its own to evaluate on, or None: N(0, 1) samples
    classifier: bool  # False: the output is not class scores (the autoencoder's reconstruction)


def torch_models() -> dict[str, Callable[[], BenchModel]]:
    from models_trained import digits_cnn, digits_mlp, jet_mlp
    from support import torch_to_onnx

    def trained(builder, shape) -> BenchModel:
        module, x, _ = builder()
        return BenchModel(torch_to_onnx(module, shape), x, True)

    return {
        "jet_mlp (torch)": lambda: BenchModel(torch_to_onnx(jet_mlp(), (16,)), None, True),
        "digits_mlp (trained)": partial(trained, digits_mlp, (64,)),
        "digits_cnn (trained)": partial(trained, digits_cnn, (1, 8, 8)),
    }


def shared_models() -> dict[str, Callable[[], BenchModel]]:
    folder = ROOT.parent / "shared" / "models" / "onnx"
    paths = [folder / f"{name}.onnx" for name in ("three_layer_keras", "two_layer_keras")]
    return {path.name: partial(lambda p: BenchModel(onnx.load(p), None, True), path) for path in paths if path.exists()}


def deep_models() -> dict[str, Callable[[], BenchModel]]:
    """tests/models_deep.py's models, evaluated on N(0, 1) samples (not on their training data)."""
    from models_deep import DEEP_MODELS
    from support import torch_to_onnx

    def build(builder) -> BenchModel:
        module, x, labels = builder()
        return BenchModel(torch_to_onnx(module, x.shape[1:]), None, labels is not None)

    return {name: partial(build, builder) for name, builder in DEEP_MODELS.items()}


def calibration_samples(x: np.ndarray) -> np.ndarray:
    """1,000 samples apart from the evaluation data, of the same kind: fresh N(0, 1) inputs, or a
    shuffled subset of a data set."""
    rng = np.random.default_rng(99)
    if len(x) >= 5000:
        return rng.normal(size=(1000, *x.shape[1:]))
    return x[rng.permutation(len(x))[:1000]]


def metrics(outputs: np.ndarray, reference: np.ndarray, classifier: bool) -> dict[str, float | None]:
    """Agreement of the predicted class (argmax, or for a single sigmoid output the side of 0.5;
    None for a model that does not classify) and the max abs error."""
    outputs = outputs.reshape(reference.shape)
    if not classifier:
        agree = None
    elif outputs.shape[1] > 1:
        agree = float(np.mean(outputs.argmax(1) == reference.argmax(1)))
    else:
        agree = float(np.mean((outputs > 0.5) == (reference > 0.5)))
    return {"argmax": agree, "max_abs_error": float(np.abs(outputs - reference).max())}


def failure(error: Exception) -> dict[str, str]:
    """A design that could not be built or run: its cell names the error (first line)."""
    lines = str(error).strip().splitlines()
    return {"error": f"{type(error).__name__}: {lines[0][:200] if lines else ''}"}


def error_bound(report: dict) -> dict:
    """The report's error bound: the budget, and the certified bound (the largest over the
    outputs; None when any output cannot be certified). `error_bound` is None for a report
    without one (before the error-budgeted `auto`)."""
    bound = report.get("error_bound")
    if bound is None:
        return {"error_bound": None, "budget": None, "certified": None}
    certified = [output["certified"] for output in bound["outputs"]]
    return {
        "error_bound": bound,
        "budget": bound["budget"],
        "certified": None if None in certified else max(certified),
    }


def ours(
    model: onnx.ModelProto,
    x: np.ndarray,
    reference: np.ndarray,
    classifier: bool,
    work: Path,
    precision: str | None,
    **options,
) -> dict:
    start = time.perf_counter()
    try:
        compiled = convert(model, name="bench", precision=precision, output_dir=work, **options)
        compiled.write(force=True)
        compiled.compile()
        outputs = compiled.predict(x)
    except Exception as error:  # a cell of the table, not the end of the run
        return failure(error)
    report = compiled.report
    return {
        **metrics(outputs, reference, classifier),
        **error_bound(report),
        "multiplier_bits": report["totals"]["multiplier_bits"],
        "adder_bits": report["totals"]["adder_bits"],
        "seconds": time.perf_counter() - start,  # convert, write, C-sim build, C simulation
    }


def ours_tight(
    model: onnx.ModelProto, x: np.ndarray, reference: np.ndarray, classifier: bool, work: Path, auto: dict
) -> dict:
    """`auto` with the default budget (read from the default design's report) divided by TIGHTER."""
    if auto.get("budget") is None:
        return {"error": "no default budget to tighten: the auto design " + auto.get("error", "reports none")}
    return ours(
        model,
        x,
        reference,
        classifier,
        work,
        "auto",
        error_budget=auto["budget"] / TIGHTER,
    )


def width(precision) -> int:
    return int(precision.width)


def hls4ml_cost(hls_model) -> tuple[int, int]:
    """The same cost figure on hls4ml's types: multipliers x operand widths, adders x their widths,
    counted by our rule (compiler/report.py: ceil(multiplications / reuse factor), every output
    position of a convolution included), so that the two figures differ by the types alone."""
    multiplier_bits = adder_bits = 0
    for layer in hls_model.get_layers():
        kind = layer.class_name
        if kind in ("Dense", "Conv1D", "Conv2D"):
            if kind == "Dense":
                work = layer.get_attr("n_in") * layer.get_attr("n_out")
            else:
                window = layer.get_attr("filt_width") * layer.get_attr("filt_height", 1)
                positions = layer.get_attr("out_width") * layer.get_attr("out_height", 1)
                work = window * positions * layer.get_attr("n_chan") * layer.get_attr("n_filt")
            multipliers = math.ceil(work / layer.get_attr("reuse_factor", 1))
            x = layer.get_input_variable().type.precision
            w, acc = layer.types["weight_t"].precision, layer.types["accum_t"].precision
            multiplier_bits += multipliers * width(x) * width(w)
            adder_bits += multipliers * width(acc)
        elif kind == "Softmax":
            n = layer.get_attr("n_in")
            exp, inv = layer.types["exp_table_t"].precision, layer.types["inv_table_t"].precision
            multiplier_bits += n * width(exp) * width(inv)
            adder_bits += (n - 1) * width(layer.types["accum_t"].precision)
    return multiplier_bits, adder_bits


def theirs(model: onnx.ModelProto, x: np.ndarray, reference: np.ndarray, classifier: bool, work: Path) -> dict | None:
    try:
        import hls4ml
        from qonnx.core.modelwrapper import ModelWrapper
        from qonnx.transformation.channels_last import ConvertToChannelsLastAndClean
        from qonnx.transformation.gemm_to_matmul import GemmToMatMul
        from qonnx.util.cleanup import cleanup_model
    except ImportError:
        return None
    start = time.perf_counter()
    try:
        with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():  # hls4ml's and qonnx's chatter
            warnings.simplefilter("ignore")
            wrapped = cleanup_model(ModelWrapper(model))
            wrapped = cleanup_model(wrapped.transform(ConvertToChannelsLastAndClean()).transform(GemmToMatMul()))
            config = hls4ml.utils.config_from_onnx_model(
                wrapped, granularity="name", backend="Vitis", default_precision="fixed<16,6>"
            )
            hls_model = hls4ml.converters.convert_from_onnx_model(
                wrapped, hls_config=config, output_dir=str(work), backend="Vitis", io_type="io_parallel"
            )
            hls_model.compile()
            shape = tuple(hls_model.get_input_variables()[0].shape)
            if x.ndim > 2 and (*x.shape[2:], x.shape[1]) == shape:
                x = np.moveaxis(x, 1, -1)  # qonnx made the model channels-last
            outputs = np.asarray(hls_model.predict(np.ascontiguousarray(x, dtype=np.float32)), dtype=np.float64)
            multiplier_bits, adder_bits = hls4ml_cost(hls_model)
    except Exception as error:  # hls4ml does not convert every model: a cell saying so
        return failure(error)
    return {
        **metrics(outputs, reference, classifier),
        "certified": None,
        "multiplier_bits": multiplier_bits,
        "adder_bits": adder_bits,
        "seconds": time.perf_counter() - start,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=10_000)
    parser.add_argument("--only", nargs="+", metavar="NAME", help="only the models whose name contains one of these")
    parser.add_argument("--json")
    args = parser.parse_args()
    models = {**torch_models(), **shared_models(), **deep_models()}
    if args.only:
        models = {name: build for name, build in models.items() if any(part in name for part in args.only)}
    rows: list[dict] = []
    notes: dict[str, list[str]] = {}  # error -> the cells that failed with it
    print_header()
    with tempfile.TemporaryDirectory(prefix="bench_precision_") as scratch:
        for index, (name, build) in enumerate(models.items()):
            model, data, classifier = build()
            shape = [d.dim_value for d in model.graph.input[0].type.tensor_type.shape.dim][1:]
            x = data if data is not None else np.random.default_rng(0).normal(size=(args.samples, *shape))
            path = Path(scratch) / f"model{index}.onnx"
            onnx.save(model, path)
            reference = onnxruntime_outputs(str(path), [x])[0]
            work = Path(scratch) / f"model{index}"
            auto = ours(model, x, reference, classifier, work / "auto", "auto")
            row = {
                "model": name,
                "samples": len(x),
                "classifier": classifier,
                "ours_auto": auto,
                "ours_auto_tight": ours_tight(model, x, reference, classifier, work / "tight", auto),
                "ours_auto_calibrated": ours(
                    model, x, reference, classifier, work / "calibrated", "auto", calibration=calibration_samples(x)
                ),
                "ours_default": ours(model, x, reference, classifier, work / "default", None),
                "hls4ml_auto": theirs(model, x, reference, classifier, work / "hls4ml"),
            }
            rows.append(row)
            print_row(row, notes)
    print_notes(notes)
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2) + "\n")


COLUMNS = f"{'model':<31} {'design':<28} {'class':>8} {'max err':>10} {'certified':>10} {'mult bits':>12} {'adder bits':>11} {'cost':>12}"


def print_header() -> None:
    print("class: argmax agreement with the float model (-: not a classifier, max abs error only); certified:")
    print("the report's bound on the max abs error (n/a: no bound in the report; none: cannot certify);")
    print("cost: multiplier bits + adder bits")
    print(COLUMNS)
    print("-" * len(COLUMNS))


def print_row(row: dict, notes: dict[str, list[str]]) -> None:
    """The row's designs under its model name; a failed design's cell refers to a note on its error."""
    label = f"{row['model']} ({row['samples']})"
    for key, design in DESIGNS.items():
        result = row[key]
        if result is None:
            print(f"{label:<31} {design:<28} (hls4ml or qonnx not installed)")
        elif "error" in result:
            notes.setdefault(result["error"], []).append(f"{row['model']}: {design}")
            print(f"{label:<31} {design:<28} {'failed [' + str(list(notes).index(result['error']) + 1) + ']':>8}")
        else:
            agree = "-" if result["argmax"] is None else f"{100 * result['argmax']:.2f}%"
            if result["certified"] is not None:
                certified = f"{result['certified']:.3g}"
            else:
                certified = "n/a" if result.get("error_bound") is None else "none"
            mult, adder = result["multiplier_bits"], result["adder_bits"]
            print(
                f"{label:<31} {design:<28} {agree:>8} {result['max_abs_error']:>10.4g} {certified:>10} "
                f"{mult:>12} {adder:>11} {mult + adder:>12}"
            )
        label = ""


def print_notes(notes: dict[str, list[str]]) -> None:
    for number, (error, cells) in enumerate(notes.items(), 1):
        print(f"[{number}] {error}\n    ({'; '.join(cells)})")


if __name__ == "__main__":
    main()
