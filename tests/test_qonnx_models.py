"""The shared QONNX models against QONNX's own execution, and through C simulation.

Bit for bit: every tensor up to the last quantized one (a model's float tail, a softmax or TFC's
output scaling, is a float computation in QONNX and fixed point here: it is checked against the
errors the report states, and by the argmax). The 512x512 separable convolution runs in both io
types. TFC_2W2A's accuracy on the 10,000 MNIST test images is computed through C simulation and by
QONNX; they must be equal.
"""

from __future__ import annotations

import numpy as np
import onnx
import pytest
from qonnx_reference import mnist_test_set, qonnx_execute, truncated
from support import SHARED, shared_path

from compiler.api import convert

# the last quantized tensor of each model (the float tail after it is not bit-exact by nature)
LAST_QUANTIZED = {"qkeras_jettagging": "Add_3_out0", "TFC_2W2A": "82", "bnn_model_fc_1layer": None}


def _inputs(name: str, count: int, shape: tuple[int, ...]) -> np.ndarray:
    if name == "TFC_2W2A":
        return mnist_test_set(shared_path("data"), count)[0]
    rng = np.random.default_rng(7)
    # a 2^-6 grid: QONNX's float32 MatMul of these by 6-bit weights is exact (no float rounding)
    return (np.round(rng.normal(size=(count, *shape)) * 64) / 64).astype(np.float32)


@pytest.mark.parametrize("name", sorted(LAST_QUANTIZED))
def test_shared_qonnx_model_bit_exact(name, tmp_path):
    model = onnx.load(shared_path(f"models/qonnx/{name}.onnx"))
    compiled = convert(model, name=name, output_dir=tmp_path / "prj")
    x = _inputs(name, 1000, compiled.input_shapes[0])
    ours = compiled.emulate(x)
    compiled.write()
    compiled.compile()
    np.testing.assert_array_equal(compiled.predict(x), ours)  # C simulation == emulator

    reference = qonnx_execute(model, x)[0].reshape(ours.shape)
    cut = LAST_QUANTIZED[name]
    if cut is None:
        np.testing.assert_array_equal(ours, reference)
        return
    head = truncated(model, cut)
    head_ours = convert(head, name=f"{name}_head").emulate(x)
    head_reference = qonnx_execute(head, x)[0].reshape(head_ours.shape)
    np.testing.assert_array_equal(head_ours, head_reference)
    # the float tail: same decisions, and close
    assert np.array_equal(ours.argmax(-1), reference.argmax(-1))
    assert np.max(np.abs(ours - reference)) < 0.01


def test_quantizers_keep_their_types():
    """The quantizers' types are the design's; what lies between them is inferred (auto)."""
    compiled = convert(shared_path("models/qonnx/qkeras_jettagging.onnx"))
    text = compiled.ir("nn-to-fixed")
    assert 'fixed.cast %5 RND_CONV SAT quantizer {layer = "Quant_8", layer_type = "Quant"}' in compiled.ir(
        "infer-bitwidths"
    )
    assert "tensor<64x!fixed.fixed<6, 0, unsigned>>" in text  # Quant_8: 6 bits, scale 2^-6, unsigned
    assert compiled.options.precision == "auto"


def test_tfc_mnist_accuracy_equals_qonnx(tmp_path):
    model = onnx.load(shared_path("models/qonnx/TFC_2W2A.onnx"))
    images, labels = mnist_test_set(SHARED / "data")
    compiled = convert(model, name="tfc", output_dir=tmp_path / "prj")
    compiled.write()
    compiled.compile()
    ours = compiled.predict(images).argmax(-1)
    reference = qonnx_execute(model, images)[0].reshape(len(images), -1).argmax(-1)
    ours_accuracy, reference_accuracy = float(np.mean(ours == labels)), float(np.mean(reference == labels))
    print(f"TFC_2W2A on 10,000 MNIST test images: C simulation {ours_accuracy:.2%}, QONNX {reference_accuracy:.2%}")
    assert ours_accuracy == reference_accuracy
    assert np.array_equal(ours, reference)
    assert abs(reference_accuracy - 0.9660) < 0.0005  # the published figure


@pytest.mark.slow  # a 512x512x3 image through C simulation
@pytest.mark.parametrize("io_type", ["io_stream", "io_parallel"])
def test_separable_conv_512x512(io_type, tmp_path):
    model = onnx.load(shared_path("models/qonnx/separable_conv_model_ch_last.onnx"))
    compiled = convert(model, name="separable", io_type=io_type, output_dir=tmp_path / "prj")
    rng = np.random.default_rng(3)
    x = (rng.integers(-8, 8, size=(1, 512, 512, 3)) / 16).astype(np.float32)
    ours = compiled.emulate(x)
    np.testing.assert_array_equal(ours, qonnx_execute(model, x)[0].reshape(ours.shape))
    compiled.write()
    compiled.compile()
    np.testing.assert_array_equal(compiled.predict(x), ours)
