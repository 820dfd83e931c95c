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
