"""Numerical profiling (compiler/profile.py): the data behind the figures, the figures' rows, and
`--profile` on the command line (PNGs written; matplotlib missing is a one-line error)."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from onnx import helper, numpy_helper
from support import ROOT, dense_layers, make_model, save

from compiler.__main__ import main
from compiler.api import convert
from compiler.profile import NEEDS_MATPLOTLIB, QUANTILES, Distribution, largest_magnitude
from dialects import fixed
from dialects.errors import CompileError
from dialects.fixedpoint import FixedFormat, codes_to_floats

NARROW = "ap_fixed<8,2>"  # values in [-2, 2), step 2^-6, truncating and wrapping
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def mlp(rng_seed: int = 0):
    (w1, b1), (w2, b2) = dense_layers([4, 8, 3], np.random.default_rng(rng_seed))
    nodes = [
        helper.make_node("Gemm", ["x", "w1", "b1"], ["h"], name="fc1"),
        helper.make_node("Relu", ["h"], ["r"], name="relu1"),
        helper.make_node("Gemm", ["r", "w2", "b2"], ["y"], name="fc2"),
    ]
    return make_model(nodes, [4], [3], {"w1": w1, "b1": b1, "w2": w2, "b2": b2}, name="mlp")


def run_cli(args, capsys):
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_clean_failure(code, out_text, err, out_dir, fragment):
    """Status 2, one line naming the fault, no traceback, no project."""
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and err.startswith("error: ") and fragment in err, err
    assert "Traceback" not in err + out_text
    assert not out_dir.exists()


def by_name(distributions: list[Distribution], kind: str = "activations") -> dict[str, Distribution]:
    return {d.name: d for d in distributions if d.kind == kind}


def ir_parameters(model) -> dict[tuple[str, str], np.ndarray]:
    """{(layer, "weights"/"biases"): values} read straight from the final IR's dense ops."""
    found = {}
    for op in model.module.walk():
        if isinstance(op, fixed.DenseOp):
            for role, value in (("weights", op.weight), ("biases", op.bias)):
                codes = value.owner.values()
                found[op.layer_name, role] = codes_to_floats(codes, fixed.format_of(value)).ravel()
    return found


def log2_quantiles(values: np.ndarray) -> tuple[float, ...]:
    nonzero = np.abs(values[values != 0])
    return tuple(np.quantile(np.log2(nonzero), QUANTILES))


# -------------------------------------------------------------------------------------------------
# The data


def test_narrow_type_overflows_where_the_emulator_does():
    """Inputs inside the input type: fc1's exact value (computed here in float64, exact for these
    few dyadic numbers) overflows ap_fixed<8,2> on some samples; the data counts exactly those."""
    model = convert(mlp(), precision=NARROW)
    x = np.random.default_rng(1).uniform(-1.99, 1.99, size=(400, 4))
    data = model.profile_data(x)
    params = ir_parameters(model)
    quantized = np.floor(x * 64) / 64  # TRN into ap_fixed<8,2>: in range, so no wrap
    acc = quantized @ params["fc1", "weights"].reshape(4, 8) + params["fc1", "biases"]
    fc1 = by_name(data.activations)["fc1"]
    truncated = np.floor(acc * 64)  # the result cast's TRN
    assert fc1.overflow == np.mean((truncated < -128) | (truncated > 127)) > 0
    assert fc1.underflow == np.mean((acc != 0) & (truncated == 0))
    assert fc1.count == acc.size and (fc1.low, fc1.high) == (acc.min(), acc.max())
    assert fc1.log2_quantiles == pytest.approx(log2_quantiles(acc))
    assert by_name(data.activations)["x"].overflow == 0  # the inputs fit


def test_input_overflow_is_counted_on_the_float_inputs():
    model = convert(mlp(), precision=NARROW)
    x = np.random.default_rng(2).normal(scale=3, size=(300, 4))
    inputs = by_name(model.profile_data(x).activations)["x"]
    assert inputs.overflow == np.mean((x < -2) | (x >= 2)) > 0
    assert inputs.underflow == np.mean((x > 0) & (x < 2**-6))  # truncation sends small positives to 0


def test_wide_type_does_not_overflow():
    model = convert(mlp(), precision="ap_fixed<32,16>")
    x = np.random.default_rng(1).normal(scale=4, size=(200, 4))
    data = model.profile_data(x)
    assert [d.name for d in data.activations] == ["x", "fc1", "fc2"]  # relu has no cast: it keeps its type
    assert all(d.overflow == 0 for d in data.activations)


def test_weights_are_the_ir_constants():
    model = convert(mlp(), precision=NARROW)
    weights = model.profile_data(np.zeros((1, 4))).weights
    assert [(d.name, d.kind) for d in weights] == [
        ("fc1", "weights"),
        ("fc1", "biases"),
        ("fc2", "weights"),
        ("fc2", "biases"),
    ]
    originals = {t.name: numpy_helper.to_array(t).ravel() for t in mlp().graph.initializer}
    initializer = {("fc1", "weights"): "w1", ("fc1", "biases"): "b1", ("fc2", "weights"): "w2", ("fc2", "biases"): "b2"}
    for d in weights:
        values = ir_parameters(model)[d.name, d.kind]
        assert (d.count, d.low, d.high) == (values.size, values.min(), values.max())
        assert d.zeros == np.mean(values == 0)
        assert d.log2_quantiles == pytest.approx(log2_quantiles(values))
        assert d.overflow == d.underflow == 0  # they are in their type already
        rounding = np.abs(values - originals[initializer[d.name, d.kind]])  # the weights, rounded to the type
        assert np.max(rounding) == pytest.approx(d.error) and d.error <= 2**-6


def test_steps_and_ranges_are_the_types():
    config = {
        "LayerName": {"fc1": {"Precision": {"result": "ap_fixed<12,4,AP_RND,AP_SAT>", "weight": "ap_fixed<6,1>"}}}
    }
    model = convert(mlp(), precision=NARROW, config=config)
    data = model.profile_data(np.random.default_rng(3).normal(size=(50, 4)))
    fc1 = by_name(data.activations)["fc1"]
    assert (fc1.type, fc1.step, fc1.max_magnitude) == ("ap_fixed<12,4,AP_RND,AP_SAT>", 2**-8, 8.0)
    assert (fc1.log2_step, fc1.log2_max_magnitude) == (-8, 3)
    fc1_weights, fc2_weights = by_name(data.weights, "weights")["fc1"], by_name(data.weights, "weights")["fc2"]
    assert (fc1_weights.type, fc1_weights.step, fc1_weights.max_magnitude) == ("ap_fixed<6,1>", 2**-5, 1.0)
    assert (fc2_weights.type, fc2_weights.step, fc2_weights.max_magnitude) == (NARROW, 2**-6, 2.0)
    assert largest_magnitude(FixedFormat(8, 3, signed=False)) == 8 - 2**-5


def conv_model():
    rng = np.random.default_rng(4)
    nodes = [
        helper.make_node("Conv", ["x", "w", "b"], ["c"], name="conv", kernel_shape=[3, 3]),
        helper.make_node("Relu", ["c"], ["y"], name="relu"),
    ]
    initializers = {"w": rng.normal(size=(3, 2, 3, 3)).astype(np.float32), "b": rng.normal(size=3).astype(np.float32)}
    return make_model(nodes, [2, 6, 6], [3, 4, 4], initializers, name="conv")


def test_io_stream_profiles_as_io_parallel():
    """Streaming runs a cast once per position, the weights live in other kernels: same data."""
    x = np.random.default_rng(5).normal(size=(20, 2, 6, 6))
    parallel, stream = (
        convert(conv_model(), precision=NARROW, io_type=io).profile_data(x) for io in ("io_parallel", "io_stream")
    )
    assert [d.name for d in parallel.activations] == ["x", "conv"]
    assert parallel == stream


def test_bad_samples_are_one_line_errors():
    model = convert(mlp(), precision=NARROW)
    with pytest.raises(CompileError, match=r"^profile: input 0: expected shape \[batch, 4\], got \[3, 5\]$"):
        model.profile_data(np.zeros((3, 5)))
    with pytest.raises(CompileError, match=r"^profile: input 0 must be finite numbers$"):
        model.profile_data(np.full((3, 4), np.nan))
    with pytest.raises(CompileError, match="^profile: no samples"):
        model.profile_data(np.zeros((0, 4)))


# -------------------------------------------------------------------------------------------------
# The figures


def test_figures_have_one_box_per_row():
    pytest.importorskip("matplotlib")
    from matplotlib.figure import Figure
    from matplotlib.patches import PathPatch

    model = convert(mlp(), precision=NARROW)
    figures = model.profile(np.random.default_rng(1).normal(size=(50, 4)))
    assert set(figures) == {"weights", "activations"}
    labels = {"weights": ["fc1 weights", "fc1 biases", "fc2 weights", "fc2 biases"], "activations": ["x", "fc1", "fc2"]}
    for kind, figure in figures.items():
        assert isinstance(figure, Figure)
        (axes,) = figure.axes
        assert [t.get_text() for t in axes.get_yticklabels()] == labels[kind]
        boxes = [p for p in axes.patches if isinstance(p, PathPatch)]  # bxp's boxes (the type bars are Rectangles)
        assert len(boxes) == len(labels[kind])


def test_profile_without_matplotlib_is_the_one_line_error(monkeypatch):
    model = convert(mlp(), precision=NARROW)
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(CompileError) as error:
        model.profile(np.zeros((2, 4)))
    assert str(error.value) == NEEDS_MATPLOTLIB
    assert model.profile_data(np.zeros((2, 4))).activations  # the data needs no matplotlib


# -------------------------------------------------------------------------------------------------
# The command line


def test_cli_writes_both_pngs(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    samples = tmp_path / "samples.npz"
    np.savez(samples, x=np.random.default_rng(0).normal(size=(30, 4)))
    out = tmp_path / "prj"
    code, text, err = run_cli(
        [save(mlp(), tmp_path / "mlp.onnx"), "-o", out, "--precision", NARROW, "--profile", samples], capsys
    )
    assert code == 0, err
    for name in ("weights", "activations"):
        assert (out / "profile" / f"{name}.png").read_bytes().startswith(PNG_SIGNATURE)
    assert f"wrote {out / 'profile' / 'weights.png'} and {out / 'profile' / 'activations.png'}" in text
    assert (out / "firmware" / "mlp.cpp").is_file()


def test_cli_without_matplotlib_writes_nothing(tmp_path, capsys, monkeypatch):
    samples = tmp_path / "samples.npy"
    np.save(samples, np.zeros((2, 4)))
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    out = tmp_path / "prj"
    code, text, err = run_cli([save(mlp(), tmp_path / "mlp.onnx"), "-o", out, "--profile", samples], capsys)
    assert_clean_failure(code, text, err, out, NEEDS_MATPLOTLIB)
    assert err == f"error: {NEEDS_MATPLOTLIB}\n"


@pytest.mark.parametrize(
    "samples, message",
    [
        (None, "profile: data file"),  # missing
        (np.zeros((2, 5)), "profile: input 0: expected shape [batch, 4], got [2, 5]"),
    ],
)
def test_cli_bad_samples_write_nothing(samples, message, tmp_path, capsys):
    path = tmp_path / "samples.npy"
    if samples is not None:
        np.save(path, samples)
    out = tmp_path / "prj"
    assert_clean_failure(
        *run_cli([save(mlp(), tmp_path / "mlp.onnx"), "-o", out, "--profile", path], capsys), out, message
    )


def test_cli_without_profile_never_imports_matplotlib(tmp_path):
    model = save(mlp(), tmp_path / "mlp.onnx")
    script = (
        "import sys; from compiler.__main__ import main; "
        f"assert main([{str(model)!r}, '-o', {str(tmp_path / 'prj')!r}]) == 0; "
        "print('matplotlib' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "False"
