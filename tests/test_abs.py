"""nn.abs / fixed.abs (the op docs/writing-an-op.md adds) from PyTorch and ONNX: the same design
either way, C simulation equal to the emulator, both within the quantisation error of the source."""

from __future__ import annotations

import numpy as np
import pytest
from support import save, torch_to_onnx

from compiler.api import convert
from compiler.check import onnxruntime_outputs

torch = pytest.importorskip("torch")


class Magnitudes(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1, self.fc2, self.fc3 = torch.nn.Linear(6, 8), torch.nn.Linear(8, 3), torch.nn.Linear(6, 3)

    def forward(self, x):
        return self.fc2(torch.abs(self.fc1(x))) - self.fc3(torch.abs(x))


def test_abs_from_torch_and_onnx(tmp_path):
    torch.manual_seed(0)
    module = Magnitudes().eval()
    x = np.random.default_rng(0).normal(size=(500, 6))
    with torch.no_grad():
        reference = module(torch.tensor(x, dtype=torch.float32)).numpy()
    path = save(torch_to_onnx(module, (6,)), tmp_path / "abs.onnx")
    assert np.allclose(onnxruntime_outputs(str(path), [x])[0], reference, atol=1e-5)

    precision = "ap_fixed<24,8,AP_RND,AP_SAT>"  # 16 fraction bits: errors far below 1e-3
    direct = convert(module, input_shape=(6,), precision=precision)
    exported = convert(path, precision=precision)
    assert "fixed.abs" in direct.ir("nn-to-fixed") and "fixed.abs" in exported.ir("nn-to-fixed")
    for name, compiled in (("direct", direct), ("exported", exported)):
        compiled.write(tmp_path / name)
        compiled.compile()
        ours = compiled.predict(x)
        np.testing.assert_array_equal(ours, compiled.emulate(x))
        assert np.abs(ours - reference).max() < 2e-3, name
    np.testing.assert_array_equal(direct.predict(x), exported.predict(x))


def test_abs_of_the_most_negative_code_is_exact(tmp_path):
    """|x| of a signed <8, 3>'s smallest code (-4) is 4: the unsigned <8, 3> holds it (no wrap)."""
    module = torch.nn.Sequential(torch.nn.Flatten()).eval()
    module.forward = lambda x: torch.abs(x)  # noqa: E731 - a one-op model
    compiled = convert(
        module,
        input_shape=(4,),
        precision="ap_fixed<8,3>",
        config={"LayerType": {"Abs": {"Precision": {"result": "ap_ufixed<8,3>"}}}},
    )
    compiled.write(tmp_path / "prj")
    compiled.compile()
    x = np.array([[-4.0, -3.96875, 0.0, 3.96875]])
    np.testing.assert_array_equal(compiled.predict(x), [[4.0, 3.96875, 0.0, 3.96875]])
    np.testing.assert_array_equal(compiled.emulate(x), compiled.predict(x))
