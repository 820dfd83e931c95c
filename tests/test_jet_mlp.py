"""The jet-tagging MLP (16-64-32-32-5, softmax), exported from torch inside the test: at the default
precision it keeps torch's argmax on >= 99.5 % of 10,000 random inputs, and the C simulation equals
the emulator on all of them."""

from __future__ import annotations

import numpy as np
import pytest
from models_trained import jet_mlp
from support import save, torch_to_onnx

from compiler.api import convert

torch = pytest.importorskip("torch")


def test_jet_mlp_keeps_argmax_at_default_precision(tmp_path):
    module = jet_mlp()
    onnx_file = save(torch_to_onnx(module, (16,)), tmp_path / "jet_mlp.onnx")
    x = np.random.default_rng(0).normal(size=(10_000, 16)).astype(np.float32)
    with torch.no_grad():
        expected = module(torch.from_numpy(x)).numpy()

    model = convert(onnx_file, output_dir=tmp_path / "prj")
    model.write()
    model.compile()
    csim = model.predict(x)
    emulated = model.emulate(x, check_overflow=False)

    assert np.array_equal(csim, emulated), "C simulation differs from the emulator"
    agreement = np.mean(csim.argmax(1) == expected.argmax(1))
    assert agreement >= 0.995, agreement
    assert np.abs(csim - expected).max() < 0.01
