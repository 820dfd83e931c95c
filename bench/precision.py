"""Our `auto` precision against hls4ml 1.3.0's 'auto' (config_from_onnx_model, granularity='name'),
side by side on the same models: agreement of the predicted class (argmax; a single sigmoid output:
which side of 0.5) and max abs error against the float model (onnxruntime), and the cost figure of compiler/report.py computed on both designs' types.

    python bench/precision.py [--samples 10000] [--json out.json]

Models: the jet-tagging MLP (16-64-32-32-5, torch, random weights), an MLP and a CNN (conv,
batchnorm, relu, maxpool twice, dense) trained on sklearn's digits, and ../shared/models/onnx/{three,two}_layer_keras.onnx when present. hls4ml (and qonnx, whose
clean-up its ONNX reader needs) is optional: without it only our columns are printed.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
from pathlib import Path

import numpy as np
import onnx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # the trained models and torch_to_onnx, shared with the tests

from compiler.api import convert  # noqa: E402
from compiler.check import onnxruntime_outputs  # noqa: E402


def torch_models() -> dict[str, tuple[onnx.ModelProto, np.ndarray | None]]:
    from models_trained import digits_cnn, digits_mlp, jet_mlp
    from support import torch_to_onnx

    mlp, mlp_x, _ = digits_mlp()
    cnn, cnn_x, _ = digits_cnn()
    return {
        "jet_mlp (torch)": (torch_to_onnx(jet_mlp(), (16,)), None),
        "digits_mlp (trained)": (torch_to_onnx(mlp, (64,)), mlp_x),
        "digits_cnn (trained)": (torch_to_onnx(cnn, (1, 8, 8)), cnn_x),
    }


def shared_models() -> dict[str, tuple[onnx.ModelProto, None]]:
    folder = ROOT.parent / "shared" / "models" / "onnx"
    return {
        f"{name}.onnx": (onnx.load(folder / f"{name}.onnx"), None)
        for name in ("three_layer_keras", "two_layer_keras")
        if (folder / f"{name}.onnx").exists()
    }


def calibration_samples(x: np.ndarray) -> np.ndarray:
    """Calibration data drawn apart from the evaluation data: 1,000 other samples of the same kind
    (fresh random inputs, or a shuffled subset of the data set)."""
    rng = np.random.default_rng(99)
    if len(x) >= 5000:
        return rng.normal(size=(1000, *x.shape[1:]))
    return x[rng.permutation(len(x))[:1000]]


def metrics(outputs: np.ndarray, reference: np.ndarray) -> dict[str, float]:
    """Agreement of the predicted class: argmax, or for a single (sigmoid) output, the side of 0.5."""
    if outputs.shape[1] > 1:
        agree = float(np.mean(outputs.argmax(1) == reference.argmax(1)))
    else:
        agree = float(np.mean((outputs > 0.5) == (reference > 0.5)))
    return {"argmax": agree, "max_abs_error": float(np.abs(outputs - reference).max())}


def ours(model: onnx.ModelProto, x: np.ndarray, reference: np.ndarray, precision: str, work: Path, **options) -> dict:
    compiled = convert(model, name="bench", precision=precision, output_dir=work, **options)
    compiled.write(force=True)
    compiled.compile()
    outputs = compiled.predict(x)
    totals = compiled.report["totals"]
    return {
        **metrics(outputs, reference),
        "multiplier_bits": totals["multiplier_bits"],
        "adder_bits": totals["adder_bits"],
    }


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


def theirs(model: onnx.ModelProto, x: np.ndarray, reference: np.ndarray, work: Path) -> dict | None:
    try:
        import hls4ml
        from qonnx.core.modelwrapper import ModelWrapper
        from qonnx.transformation.channels_last import ConvertToChannelsLastAndClean
        from qonnx.transformation.gemm_to_matmul import GemmToMatMul
        from qonnx.util.cleanup import cleanup_model
    except ImportError:
        return None
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
    return {
        **metrics(outputs.reshape(reference.shape), reference),
        "multiplier_bits": multiplier_bits,
        "adder_bits": adder_bits,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=10_000)
    parser.add_argument("--json")
    args = parser.parse_args()
    rows = []
    models = {**torch_models(), **shared_models()}
    with tempfile.TemporaryDirectory(prefix="bench_precision_") as scratch:
        for index, (name, (model, data)) in enumerate(models.items()):
            shape = [d.dim_value for d in model.graph.input[0].type.tensor_type.shape.dim][1:]
            x = data if data is not None else np.random.default_rng(0).normal(size=(args.samples, *shape))
            path = Path(scratch) / f"model{index}.onnx"
            onnx.save(model, path)
            reference = onnxruntime_outputs(str(path), [x])[0]
            row = {
                "model": name,
                "samples": len(x),
                "ours_auto": ours(model, x, reference, "auto", Path(scratch) / f"ours{index}"),
                "ours_auto_max24": ours(
                    model,
                    x,
                    reference,
                    "auto",
                    Path(scratch) / f"max{index}",
                    config={"Model": {"Precision": {"maximum": "ap_fixed<24,12>"}}},
                ),
                "ours_auto_calib": ours(
                    model, x, reference, "auto", Path(scratch) / f"calib{index}", calibration=calibration_samples(x)
                ),
                "ours_default": ours(
                    model, x, reference, "ap_fixed<16,6,AP_RND,AP_SAT>", Path(scratch) / f"default{index}"
                ),
                "hls4ml_auto": theirs(model, x, reference, Path(scratch) / f"hls4ml{index}"),
            }
            rows.append(row)
            print_row(row)
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2) + "\n")


def print_row(row: dict) -> None:
    print(f"\n{row['model']} ({row['samples']} samples)")
    print(f"  {'design':<16} {'class':>8} {'max err':>9} {'mult bits':>10} {'adder bits':>10}")
    for key in ("ours_auto", "ours_auto_max24", "ours_auto_calib", "ours_default", "hls4ml_auto"):
        result = row[key]
        if result is None:
            print(f"  {key:<16} (hls4ml or qonnx not installed)")
            continue
        print(
            f"  {key:<16} {100 * result['argmax']:>7.2f}% {result['max_abs_error']:>9.4f} "
            f"{result['multiplier_bits']:>10} {result['adder_bits']:>10}"
        )


if __name__ == "__main__":
    main()
