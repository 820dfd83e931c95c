"""Accuracy against the float model with `auto` everywhere and with the default precision: the jet
tagging MLP (random weights, random inputs) and an MLP trained here on sklearn's digits."""

from __future__ import annotations

import numpy as np
import pytest
from models_trained import digits_cnn, digits_mlp, jet_mlp
from support import save, torch_to_onnx

from compiler.api import convert

torch = pytest.importorskip("torch")
pytest.importorskip("sklearn")


def agreement(compiled, module, x, out_dir):
    compiled.write(out_dir)
    compiled.compile()
    csim = compiled.predict(x)
    assert np.array_equal(csim, compiled.emulate(x)), "C simulation differs from the emulator"
    with torch.no_grad():
        reference = module(torch.from_numpy(np.asarray(x, dtype=np.float32))).numpy()
    return float(np.mean(csim.argmax(1) == reference.argmax(1)))


@pytest.mark.parametrize(("precision", "threshold"), [("auto", 0.998), (None, 0.995)])
def test_jet_mlp(precision, threshold, tmp_path):
    module = jet_mlp()
    onnx_file = save(torch_to_onnx(module, (16,)), tmp_path / "jet.onnx")
    x = np.random.default_rng(0).normal(size=(10_000, 16)).astype(np.float32)
    compiled = convert(onnx_file, **({"precision": precision} if precision else {}))
    assert agreement(compiled, module, x, tmp_path / "prj") >= threshold


@pytest.mark.slow  # trains an MLP on sklearn's digits
@pytest.mark.parametrize(("precision", "threshold"), [("auto", 0.998), (None, 0.995)])
def test_digits_mlp(precision, threshold, tmp_path):
    module, x, labels = digits_mlp()
    onnx_file = save(torch_to_onnx(module, (64,)), tmp_path / "digits.onnx")
    compiled = convert(onnx_file, **({"precision": precision} if precision else {}))
    assert agreement(compiled, module, x, tmp_path / "prj") >= threshold


@pytest.fixture(scope="module")
def trained_cnn():
    return digits_cnn()


@pytest.mark.slow  # trains a CNN on sklearn's digits, then builds it in both io types
@pytest.mark.parametrize(("precision", "threshold"), [("auto", 0.998), (None, 0.995)])
def test_digits_cnn_both_io_types(precision, threshold, trained_cnn, tmp_path):
    """The CNN keeps the float model's argmax in io_parallel and io_stream, which agree bit for bit."""
    module, x, _ = trained_cnn
    onnx_file = save(torch_to_onnx(module, (1, 8, 8)), tmp_path / "digits_cnn.onnx")
    options = {"precision": precision} if precision else {}
    outputs = {}
    for io_type in ("io_parallel", "io_stream"):
        compiled = convert(onnx_file, io_type=io_type, **options)
        assert agreement(compiled, module, x, tmp_path / io_type) >= threshold
        outputs[io_type] = compiled.predict(x)
    np.testing.assert_array_equal(outputs["io_parallel"], outputs["io_stream"])
