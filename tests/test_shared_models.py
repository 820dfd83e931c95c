"""The real models in ../shared/models/onnx (skipped when ../shared is absent)."""

from __future__ import annotations

import numpy as np
import pytest
from support import compile_and_run, output_step, shared_path

CASES = {
    "onnx/three_layer_keras.onnx": 16,
    "onnx/three_layer_pytorch.onnx": 16,
    "onnx/two_layer_keras.onnx": 10,
    "onnx/two_layer_pytorch.onnx": 10,
}


@pytest.mark.parametrize("relative", sorted(CASES))
def test_shared_model(relative, tmp_path):
    path = shared_path(f"models/{relative}")
    x = np.random.default_rng(0).normal(size=(2000, CASES[relative]))
    run = compile_and_run(path, tmp_path / "prj", x)
    assert np.array_equal(run.csim, run.emulated), "C simulation differs from the emulator"
    tolerance = 16 * output_step(run.model)
    assert np.abs(run.csim - run.reference).max() <= tolerance
    if run.csim.shape[1] > 1:
        assert np.mean(run.csim.argmax(1) == run.reference.argmax(1)) >= 0.99
        # the argmax flips only between classes the float model itself separates by less than the error
        flipped = run.csim.argmax(1) != run.reference.argmax(1)
        top2 = np.sort(run.reference[flipped], axis=1)[:, -2:]
        assert np.all(top2[:, 1] - top2[:, 0] <= 2 * tolerance)


@pytest.mark.parametrize("io_type", ["io_parallel", "io_stream"])
@pytest.mark.parametrize(
    ("relative", "shape"), [("onnx/conv1d_small_keras.onnx", (10, 4)), ("onnx/conv2d_small_keras.onnx", (8, 8, 1))]
)
def test_shared_cnn(relative, shape, io_type, tmp_path):
    """The Keras CNNs (channels-last, with Transposes): both io types, emulator == C simulation,
    and onnxruntime within the quantization error."""
    path = shared_path(f"models/{relative}")
    x = np.random.default_rng(1).normal(size=(500, *shape))
    run = compile_and_run(path, tmp_path / "prj", x, io_type=io_type)
    assert np.array_equal(run.csim, run.emulated), "C simulation differs from the emulator"
    assert np.abs(run.csim - run.reference).max() <= 16 * output_step(run.model)
    assert np.mean(run.csim.argmax(1) == run.reference.argmax(1)) >= 0.99
