"""QKeras support: the quantizers' formulas against values worked out by hand from QKeras'
definitions (qkeras/quantizers.py), the literal parser, and the QKeras / binary / ternary models of
../shared/models/keras imported end to end (skipped when ../shared is absent)."""

from __future__ import annotations

import json
import math

import h5py
import numpy as np
import pytest
from support import shared_path

from compiler.api import convert
from compiler.importers.keras_importer import import_keras
from compiler.importers.keras_quantized import LEGACY_ACTIVATIONS
from compiler.importers.qkeras_quantizers import (
    QuantizerError,
    binary,
    parse_call,
    parse_quantizer,
    quantized_bits,
    quantized_po2,
    quantized_relu,
    quantized_sigmoid,
    quantized_tanh,
    ternary,
)
from dialects import nn
from dialects.errors import CompileError
from dialects.nn_quant import quantize_reference

# --------------------------------------------------------------------------------------------------
# (a) formulas: input -> expected output, worked out by hand


# quantized_bits(bits, integer, symmetric, keep_negative): step 2^(integer - bits + keep_negative),
# codes [-m + symmetric, m - 1] (m = 2^(bits - keep_negative)), [0, m - 1] without keep_negative.
BITS_CASES = [
    # 4 bits, integer 0: step 1/8, codes -8..7
    (
        quantized_bits(4, 0),
        [0.0, 0.1, 0.0625, 0.1875, -0.0625, -0.1875, 0.87, 0.9375, 5.0, -1.0, -3.0],
        [0.0, 0.125, 0.0, 0.25, 0.0, -0.25, 0.875, 0.875, 0.875, -1.0, -1.0],
    ),  # ties to even codes
    # symmetric: codes -7..7
    (quantized_bits(4, 0, 1), [-1.0, -0.95, -0.9, 0.99], [-0.875, -0.875, -0.875, 0.875]),
    # integer 2: step 1/2, codes -8..7 -> [-4, 3.5]; 0.25 is a tie to code 0, 0.75 to code 2
    (quantized_bits(4, 2), [0.25, 0.75, 1.25, 3.74, 3.76, -4.5, -3.9], [0.0, 1.0, 1.0, 3.5, 3.5, -4.0, -4.0]),
    # keep_negative=False: 3 bits, step 1/8, codes 0..7
    (
        quantized_bits(3, 0, keep_negative=False),
        [-0.5, 0.0, 0.0625, 0.3, 0.9, 2.0],
        [0.0, 0.0, 0.0, 0.25, 0.875, 0.875],
    ),
    # one signed bit: sign, 0 -> +1
    (quantized_bits(1, 0), [-0.3, 0.0, 0.2], [-1.0, 1.0, 1.0]),
    # alpha scales the quantized value: 2 * quantized_bits(4, 0)
    (quantized_bits(4, 0, alpha=2.0), [0.1, -2.0], [0.25, -2.0]),
]
RELU_CASES = [
    # quantized_relu(bits, integer): step 2^(integer - bits), codes 0..2^bits - 1
    (quantized_relu(2), [-1.0, 0.1, 0.125, 0.375, 0.6, 0.8, 3.0], [0.0, 0.0, 0.0, 0.5, 0.5, 0.75, 0.75]),
    (quantized_relu(3, 1), [0.125, 0.375, 1.6, 1.9, 9.0], [0.0, 0.5, 1.5, 1.75, 1.75]),
    (quantized_relu(6, 0), [0.5 / 64, 1.5 / 64, 0.99, 0.999], [0.0, 2 / 64, 63 / 64, 63 / 64]),
    # negative_slope 1/4, 4 bits, integer 1: m = 8, step 1/4; x < 0: code round(x / 4 / (1/4)) = round(x)
    # clipped at -m/4 = -2; -0.5 and -1.5 are ties (to even)
    (
        quantized_relu(4, 1, negative_slope=0.25),
        [-0.5, -0.75, -1.0, -1.5, -3.0, -100.0, 0.3, 1.9, 5.0],
        [0.0, -0.25, -0.25, -0.5, -0.5, -0.5, 0.25, 1.75, 1.75],
    ),
]
OTHER_CASES = [
    # quantized_tanh(3): step 1/4, codes -4..3 of clip(x, -1, 1); ties 0.125 -> 0, 0.375 -> 0.5
    (quantized_tanh(3), [-2.0, -0.9, 0.125, 0.375, 0.8, 5.0], [-1.0, -1.0, 0.0, 0.5, 0.75, 0.75]),
    (quantized_tanh(3, symmetric=True), [-2.0, -0.8], [-0.75, -0.75]),
    # quantized_sigmoid(2): clip(0.5x + 0.5, 0, 1) on a step of 1/4, codes 0..3
    (quantized_sigmoid(2), [-3.0, -0.75, -0.5, 0.0, 0.3, 4.0], [0.0, 0.0, 0.25, 0.5, 0.75, 0.75]),
    # binary: sign with 0 -> +1, times alpha; use_01 gives {0, 1}
    (binary(), [-0.1, 0.0, 3.0], [-1.0, 1.0, 1.0]),
    (binary(alpha=0.5), [-0.1, 0.0], [-0.5, 0.5]),
    (binary(use_01=True), [-0.1, 0.0], [0.0, 1.0]),
    # ternary: |x| >= threshold (default 0.33) keeps the sign
    (ternary(), [-0.5, -0.33, -0.32, 0.0, 0.32, 0.33, 2.0], [-1.0, -1.0, 0.0, 0.0, 0.0, 1.0, 1.0]),
    (ternary(alpha=2.0, threshold=0.5), [-0.5, 0.49, 0.6], [-2.0, 0.0, 2.0]),
    # quantized_po2(4, 1): |x| <= 1, exponents -8..7 (no exponent sign bit); round(log2 |x|)
    (
        quantized_po2(4, 1),
        [0.3, -0.2, 0.0, 1e-9, 5.0, -0.7, 0.01, 1e-4],
        [0.25, -0.25, 2.0**-8, 2.0**-8, 1.0, -0.5, 2.0**-7, 2.0**-8],
    ),
    # quantized_po2(3): exponent sign bit: exponents -2..1
    (quantized_po2(3), [0.01, 3.0, 100.0, -0.3], [0.25, 2.0, 2.0, -0.25]),
]


@pytest.mark.parametrize("quantizer, inputs, expected", BITS_CASES + RELU_CASES + OTHER_CASES)
def test_quantizer_values(quantizer, inputs, expected):
    got = quantizer.quantize(np.array(inputs, dtype=np.float32))
    assert got.dtype == np.float32
    np.testing.assert_array_equal(got, np.array(expected, dtype=np.float32))


ACTIVATION_QUANTIZERS = [
    quantized_bits(4, 0),
    quantized_bits(4, 0, 1),
    quantized_bits(5, 2),
    quantized_bits(3, 0, keep_negative=False),
    quantized_bits(1, 0),
    quantized_relu(2),
    quantized_relu(3, 1),
    quantized_relu(6, 0),
    quantized_relu(4, 1, negative_slope=0.25),
    quantized_relu(3, 0, negative_slope=1.0),
    quantized_tanh(3),
    quantized_tanh(4, symmetric=True),
    quantized_sigmoid(3),
    binary(),
    ternary(),
    ternary(alpha=0.5, threshold=0.25),
]


@pytest.mark.parametrize("quantizer", ACTIVATION_QUANTIZERS, ids=lambda q: q.describe())
def test_activation_is_the_quantizer(quantizer):
    """The nn.quant an activation becomes computes what QKeras computes, on every value of a fine
    fixed-point grid (ties and both saturation edges included)."""
    q = quantizer.activation()
    x = np.arange(-6 * 512, 6 * 512 + 1, dtype=np.float64) / 512
    pre = x if q.pre is None else x * q.pre[0] + q.pre[1]
    pre = pre if q.slope is None else np.where(pre >= 0, pre, q.slope * pre)
    y = quantize_reference(pre, np.array([q.scale]), np.array([q.zero_point]), q.bits, q.signed, q.narrow, q.rounding)
    y = y if q.low is None else np.maximum(y, q.low)
    y = -y if q.negate else y
    np.testing.assert_array_equal(y, quantizer.quantize(x.astype(np.float32)).astype(np.float64))


@pytest.mark.parametrize("name", ["binary_tanh", "ternary_tanh"])
def test_legacy_activations(name):
    """binary_tanh = 2 * round(clip(0.5x + 0.5, 0, 1)) - 1; ternary_tanh = ternarize(clip(x, -1, 1))
    with ternarize: +1 above 0.5, -1 at or below -0.5, else 0 (hls4ml's example models)."""
    q = LEGACY_ACTIVATIONS[name]
    x = np.arange(-3 * 512, 3 * 512 + 1, dtype=np.float64) / 512
    y = quantize_reference(
        x * q.pre[0] + q.pre[1], np.array([q.scale]), np.zeros(1), q.bits, q.signed, q.narrow, q.rounding
    )
    y = -y if q.negate else y
    if name == "binary_tanh":
        expected = 2 * np.round(np.clip(0.5 * x + 0.5, 0, 1)) - 1
    else:
        c = np.clip(x, -1, 1)
        expected = np.where(c > 0.5, 1.0, np.where(c <= -0.5, -1.0, 0.0))
    np.testing.assert_array_equal(y, expected)
    assert set(np.unique(y)) == ({-1.0, 1.0} if name == "binary_tanh" else {-1.0, 0.0, 1.0})


def test_activation_scales_are_powers_of_two():
    for quantizer in ACTIVATION_QUANTIZERS:
        mantissa, _ = math.frexp(quantizer.activation().scale)
        assert mantissa == 0.5, quantizer.describe()


@pytest.mark.parametrize(
    "quantizer, reason",
    [
        (quantized_bits(4, 0, alpha="auto_po2"), "not saved in the weights file"),
        (quantized_relu(4, 0, use_sigmoid=1), "use_sigmoid"),
        (quantized_relu(4, 0, negative_slope=0.3), "negative_slope must be a power of two"),
        (quantized_relu(2, 0, negative_slope=0.25), "negative_slope must be a power of two"),
    ],
)
def test_unsupported_quantizers_refuse(quantizer, reason):
    with pytest.raises(QuantizerError, match=reason):
        quantizer.quantize(np.zeros(3, dtype=np.float32))


def test_activation_refusals():
    with pytest.raises(QuantizerError, match="alpha other than 1"):
        quantized_bits(4, 0, alpha=0.5).activation()
    with pytest.raises(QuantizerError, match="qnoise_factor"):
        parse_quantizer("quantized_relu(4, 0, qnoise_factor=0.5)")
    with pytest.raises(QuantizerError, match="not supported as an activation"):
        quantized_po2(4).activation()


# --------------------------------------------------------------------------------------------------
# (b) parsing


def test_parse_strings_and_dicts():
    assert parse_quantizer("quantized_bits(6,0,alpha=1)") == quantized_bits(6, 0, alpha=1)
    assert parse_quantizer("quantized_relu(3, 1)") == quantized_relu(3, 1)
    assert parse_quantizer("quantized_relu(2)") == quantized_relu(2)
    assert parse_quantizer("quantized_bits(4, 0, 1, keep_negative=False, alpha='auto_po2')") == quantized_bits(
        4, 0, 1, False, "auto_po2"
    )
    assert parse_quantizer("ternary(alpha=1.5e0, threshold=.25)") == ternary(1.5, 0.25)
    assert parse_quantizer("binary") == binary()
    assert parse_quantizer("quantized_po2(4, 1)") == quantized_po2(4, 1)
    spec = {
        "class_name": "quantized_bits",
        "config": {
            "bits": 6,
            "integer": 0,
            "symmetric": 0,
            "alpha": 1,
            "keep_negative": True,
            "use_stochastic_rounding": False,
            "qnoise_factor": 1.0,
        },
    }
    assert parse_quantizer(spec) == quantized_bits(6, 0, 0, True, 1)
    assert parse_quantizer({"class_name": "quantized_relu", "config": {"bits": 6}, "__passive_serialization__": True})
    for float_activation in (None, "relu", "linear", "softmax", "binary_tanh"):
        assert parse_quantizer(float_activation) is None
    assert parse_call("f(1, -2.5, a=None, b=True, c='x')") == ("f", [1, -2.5], {"a": None, "b": True, "c": "x"})


@pytest.mark.parametrize(
    "text, message",
    [
        ("__import__('os').system('true')", "not supported"),
        ("quantized_bits(__import__('os'))", "cannot read argument"),
        ("quantized_bits(os.system)", "cannot read"),
        ("quantized_bits(4; 0)", "cannot read"),
        ("quantized_bits(bits=4, 2)", "positional argument follows"),
        ("quantized_bits(4, 0, foo=1)", "option foo=1 is not supported"),
        ("quantized_bits(4, bits=4)", "given twice"),
        ("quantized_ulaw(8)", "not supported"),
    ],
)
def test_parse_refuses(text, message):
    with pytest.raises(QuantizerError, match=message) as err:
        parse_quantizer(text)
    assert "\n" not in str(err.value)


# --------------------------------------------------------------------------------------------------
# (c) the shared models


def _model(name: str):
    return shared_path(f"models/keras/{name}.json"), shared_path(f"models/keras/{name}_weights.h5")


def _weights(h5_path, layer: str) -> dict[str, np.ndarray]:
    with h5py.File(h5_path, "r") as f:
        group = f[layer]
        return {
            n.decode().split("/")[-1].split(":")[0]: np.asarray(group[n.decode()]) for n in group.attrs["weight_names"]
        }


def _without_last(json_path, tmp_path, output: str | None = None):
    """The model's JSON without its last layer (the softmax or final batch norm), so that its output
    is exact; `output` names the new output layer of a functional model."""
    spec = json.loads(json_path.read_text())
    layers = spec["config"]["layers"] if isinstance(spec["config"], dict) else spec["config"]
    layers.pop()
    if output is not None:
        spec["config"]["output_layers"] = [[output, 0, 0]]
    path = tmp_path / f"{json_path.stem}_cut.json"
    path.write_text(json.dumps(spec))
    return path


def _dense_weights(module) -> list[np.ndarray]:
    return [op.weight.owner.values() for op in module.walk() if isinstance(op, nn.DenseOp)]


def _grid_inputs(rng, n: int, width: int, low: float = -4.0, high: float = 4.0) -> np.ndarray:
    """Inputs on a step of 2^-8: exact in the default input type."""
    return (np.round(rng.uniform(low, high, (n, width)) * 256) / 256).astype(np.float32)


def _qbits(w, bits, integer, symmetric):  # by hand: codes of step 2^(integer - bits + 1)
    m = 2.0 ** (bits - 1)
    return np.clip(np.round(w.astype(np.float64) * m / 2.0**integer), -m + symmetric, m - 1) * 2.0**integer / m


def test_qkeras_3layer_weights_exact():
    json_path, h5_path = _model("qkeras_3layer")
    module = import_keras(str(json_path), "qkeras_3layer")
    got = _dense_weights(module)
    for layer, design in zip(("fc1", "fc2", "fc3", "output"), got):
        np.testing.assert_array_equal(design, _qbits(_weights(h5_path, layer)["kernel"], 6, 0, 0))


def _qkeras_3layer_reference(json_path, h5_path, x: np.ndarray) -> np.ndarray:
    y = x.astype(np.float64)
    for i, layer in enumerate(("fc1", "fc2", "fc3", "output")):
        w = _weights(h5_path, layer)
        y = y @ _qbits(w["kernel"], 6, 0, 0) + _qbits(w["bias"], 6, 0, 0)
        if i < 3:  # quantized_relu(6, 0): step 1/64, codes 0..63
            y = np.clip(np.round(y * 64), 0, 63) / 64
    return y


def test_qkeras_3layer_bit_exact(tmp_path):
    """Logits (the model without its softmax) equal the exact arithmetic of QKeras' quantized
    weights and activations, and the softmax output is close to the reference softmax."""
    json_path, h5_path = _model("qkeras_3layer")
    x = _grid_inputs(np.random.default_rng(1), 200, 16)
    reference = _qkeras_3layer_reference(json_path, h5_path, x)
    cut = convert(str(_without_last(json_path, tmp_path)), weights=str(h5_path))
    np.testing.assert_array_equal(np.asarray(cut.emulate(x), dtype=np.float64).reshape(reference.shape), reference)
    full = convert(str(json_path))
    probabilities = np.exp(reference - reference.max(axis=1, keepdims=True))
    probabilities /= probabilities.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(np.asarray(full.emulate(x)).reshape(reference.shape), probabilities, atol=0.02)


def test_qkeras_3layer_csim_equals_emulator(tmp_path):
    json_path, h5_path = _model("qkeras_3layer")
    x = _grid_inputs(np.random.default_rng(2), 50, 16)
    model = convert(str(_without_last(json_path, tmp_path)), weights=str(h5_path), output_dir=tmp_path / "prj")
    model.write()
    model.compile()
    np.testing.assert_array_equal(model.predict(x), model.emulate(x))
    reference = _qkeras_3layer_reference(json_path, h5_path, x)
    np.testing.assert_array_equal(np.asarray(model.predict(x), dtype=np.float64).reshape(reference.shape), reference)


def _po2(w):  # by hand: quantized_po2(4, max_value=1): sign * 2^clip(round(log2 |w|), -8, 0)
    a = np.minimum(np.abs(w.astype(np.float64)), 1.0)
    e = np.where(a < 1e-7, -8, np.clip(np.round(np.log2(np.maximum(a, 1e-7))), -8, 7))
    return np.where(w >= 0, 1.0, -1.0) * 2.0**e


def test_qkeras_mnist_dense_bit_exact(tmp_path):
    json_path, h5_path = _model("qkeras_mnist_dense")
    w2, w3 = _weights(h5_path, "q_dense_2"), _weights(h5_path, "q_dense_3")
    kernel2, bias2 = _po2(w2["kernel"]), _qbits(w2["bias"], 2, 0, 1)
    kernel3, bias3 = _qbits(w3["kernel"], 4, 0, 1), _qbits(w3["bias"], 4, 0, 1)
    design = _dense_weights(import_keras(str(json_path), "mnist"))
    np.testing.assert_array_equal(design[0], kernel2)
    np.testing.assert_array_equal(design[1], kernel3)
    x = _grid_inputs(np.random.default_rng(3), 100, 784, -0.5, 1.5)
    y = np.clip(np.round(x.astype(np.float64) * 4), 0, 3) / 4  # quantized_relu(2)
    y = y @ kernel2 + bias2
    y = np.clip(np.round(y * 4), 0, 7) / 4  # quantized_relu(3, 1): step 1/4, codes 0..7
    reference = y @ kernel3 + bias3
    cut = convert(str(_without_last(json_path, tmp_path, "q_dense_3")), weights=str(h5_path))
    np.testing.assert_array_equal(np.asarray(cut.emulate(x), dtype=np.float64).reshape(reference.shape), reference)


def _legacy_reference(h5_path, x: np.ndarray, kind: str) -> np.ndarray:
    """fc -> bn -> binary/ternary tanh three times, then fc: float64 with the batch norms folded as
    the importer folds them (float32 scale and shift)."""
    y = x.astype(np.float64)
    for fc, bn in (("fc1", "bn1"), ("fc2", "bn2"), ("fc3", "bn3"), ("output", None)):
        w = _weights(h5_path, fc)["kernel"]
        wq = np.where(w > 0, 1.0, -1.0) if kind == "binary" else np.where(w > 0.5, 1.0, np.where(w <= -0.5, -1.0, 0.0))
        y = y @ wq
        if bn is None:
            break
        p = {k: v.astype(np.float64) for k, v in _weights(h5_path, bn).items()}
        scale = np.float32(p["gamma"] / np.sqrt(p["moving_variance"] + 1e-6)).astype(np.float64)
        shift = np.float32(p["beta"] - p["moving_mean"] * scale).astype(np.float64)
        z = y * scale + shift
        y = np.where(z > 0, 1.0, -1.0) if kind == "binary" else np.where(z > 0.5, 1.0, np.where(z <= -0.5, -1.0, 0.0))
    return y


@pytest.mark.parametrize(
    "name, kind", [("KERAS_3layer_binary_smaller", "binary"), ("KERAS_3layer_ternary_small", "ternary")]
)
def test_binary_ternary_models(name, kind, tmp_path):
    """Up to the last dense (the final batch norm dropped) the design is exact: +-1 (0) weights,
    and batch norm + binary/ternary tanh as exact thresholds on the dense layers' integer sums."""
    json_path, h5_path = _model(name)
    x = _grid_inputs(np.random.default_rng(4), 200, 16)
    reference = _legacy_reference(h5_path, x, kind)
    cut = convert(str(_without_last(json_path, tmp_path)), weights=str(h5_path))
    np.testing.assert_array_equal(np.asarray(cut.emulate(x), dtype=np.float64).reshape(reference.shape), reference)
    full = convert(str(json_path))
    p = {k: v.astype(np.float64) for k, v in _weights(h5_path, "bn").items()}
    expected = (reference - p["moving_mean"]) / np.sqrt(p["moving_variance"] + 1e-6) * p["gamma"] + p["beta"]
    np.testing.assert_allclose(np.asarray(full.emulate(x)).reshape(expected.shape), expected, atol=0.02)


def test_shipped_weights_quantize_like_qkeras_forward():
    """QKeras' forward gives x + (xq - x) in float32; on the shipped weights that is xq exactly."""
    for name, layers in (("qkeras_3layer", ("fc1", "fc2", "fc3", "output")), ("qkeras_mnist_dense", ("q_dense_3",))):
        _, h5_path = _model(name)
        for layer in layers:
            w = _weights(h5_path, layer)["kernel"]
            q = (
                quantized_bits(6, 0, 0, alpha=1) if name == "qkeras_3layer" else quantized_bits(4, 0, 1, alpha=1)
            ).quantize(w)
            np.testing.assert_array_equal(w + (-w + q), q)


def test_layer_errors_name_the_layer(tmp_path):
    json_path, h5_path = _model("qkeras_3layer")
    spec = json.loads(json_path.read_text())
    spec["config"]["layers"][1]["config"]["kernel_quantizer"] = "quantized_bits(4, 0, alpha='auto')"
    path = tmp_path / "auto.json"
    path.write_text(json.dumps(spec))
    with pytest.raises(CompileError, match=r"layer 'fc1' \(QDense\): kernel_quantizer: .*not saved") as err:
        convert(str(path), weights=str(h5_path))
    assert "\n" not in str(err.value)
    spec["config"]["layers"][1]["config"]["kernel_quantizer"] = "__import__('os').getcwd()"
    path.write_text(json.dumps(spec))
    with pytest.raises(CompileError, match=r"layer 'fc1' \(QDense\): kernel_quantizer"):
        convert(str(path), weights=str(h5_path))


# --------------------------------------------------------------------------------------------------
# The convolution and batch-norm handlers, on a small Keras 2 style JSON + HDF5 written here


def _write_sequential(tmp_path, input_shape, layers: dict[str, tuple[str, dict, dict[str, np.ndarray]]]):
    """A Sequential model.json + _weights.h5 as Keras 2 saves them (hls4ml's KerasJson layout)."""
    config = [{"class_name": "InputLayer", "config": {"batch_input_shape": [None, *input_shape], "name": "x"}}]
    config += [{"class_name": cls, "config": {"name": name, **options}} for name, (cls, options, _) in layers.items()]
    json_path = tmp_path / "model.json"
    json_path.write_text(
        json.dumps(
            {
                "class_name": "Sequential",
                "config": {"name": "m", "layers": config},
                "keras_version": "2.4.0",
                "backend": "tensorflow",
            }
        )
    )
    with h5py.File(tmp_path / "model_weights.h5", "w") as f:
        f.attrs["layer_names"] = np.array([n.encode() for n in ["x", *layers]])
        f.attrs["keras_version"], f.attrs["backend"] = b"2.4.0", b"tensorflow"
        f.create_group("x").attrs["weight_names"] = np.array([], dtype="S1")
        for name, (_, _, weights) in layers.items():
            group = f.create_group(name)
            group.attrs["weight_names"] = np.array([f"{name}/{k}:0".encode() for k in weights])
            for key, value in weights.items():
                group.create_dataset(f"{name}/{key}:0", data=value.astype(np.float32))
    return json_path


def _conv2d(x: np.ndarray, w: np.ndarray, groups: int = 1) -> np.ndarray:
    """Valid, stride-1 convolution of x [N, H, W, C] by w [kh, kw, C/groups, O] in float64."""
    kh, kw, cg, out = w.shape
    n, h, width, _ = x.shape
    y = np.zeros((n, h - kh + 1, width - kw + 1, out))
    per_group = out // groups
    for o in range(out):
        g = o // per_group
        for i in range(kh):
            for j in range(kw):
                patch = x[:, i : i + h - kh + 1, j : j + width - kw + 1, g * cg : (g + 1) * cg]
                y[..., o] += patch @ w[i, j, :, o]
    return y


def test_qconv_depthwise_separable_batchnorm(tmp_path):
    rng = np.random.default_rng(5)
    kernel, bias = rng.normal(0, 0.4, (3, 3, 2, 4)), rng.normal(0, 0.3, 4)
    depthwise, dbias = rng.normal(0, 0.8, (2, 2, 4, 1)), rng.normal(-0.5, 0.3, 4)
    sep_depth, sep_point, sbias = (
        rng.normal(0, 0.4, (2, 2, 4, 2)),
        rng.normal(0, 0.4, (1, 1, 8, 3)),
        rng.normal(0, 0.3, 3),
    )
    gamma, beta = rng.uniform(0.5, 1.5, 3), rng.normal(0, 0.2, 3)
    mean, var = rng.normal(0, 0.2, 3), rng.uniform(0.5, 2, 3)
    q4, r4 = "quantized_bits(4, 0, alpha=1)", "quantized_relu(4, 1)"
    conv_options = {"padding": "valid", "strides": [1, 1], "dilation_rate": [1, 1], "use_bias": True}
    layers = {
        "conv": (
            "QConv2D",
            {
                **conv_options,
                "filters": 4,
                "kernel_size": [3, 3],
                "activation": r4,
                "kernel_quantizer": q4,
                "bias_quantizer": q4,
            },
            {"kernel": kernel, "bias": bias},
        ),
        "dw": (
            "QDepthwiseConv2D",
            {
                **conv_options,
                "kernel_size": [2, 2],
                "depth_multiplier": 1,
                "activation": "linear",
                "depthwise_quantizer": q4,
                "bias_quantizer": q4,
            },
            {"depthwise_kernel": depthwise, "bias": dbias},
        ),
        "act": ("QActivation", {"activation": "quantized_bits(6, 2)"}, {}),
        "leaky": ("QActivation", {"activation": "quantized_relu(4, 1, negative_slope=0.25)"}, {}),
        "sep": (
            "QSeparableConv2D",
            {
                **conv_options,
                "filters": 3,
                "kernel_size": [2, 2],
                "depth_multiplier": 2,
                "activation": "linear",
                "depthwise_quantizer": q4,
                "pointwise_quantizer": "quantized_po2(4, 1)",
                "bias_quantizer": q4,
            },
            {"depthwise_kernel": sep_depth, "pointwise_kernel": sep_point, "bias": sbias},
        ),
        "bn": (
            "QBatchNormalization",
            {
                "axis": -1,
                "epsilon": 1e-3,
                "center": True,
                "scale": True,
                "gamma_quantizer": "quantized_bits(6, 2)",
                "beta_quantizer": q4,
                "mean_quantizer": q4,
                "variance_quantizer": None,
            },
            {"gamma": gamma, "beta": beta, "moving_mean": mean, "moving_variance": var},
        ),
    }
    json_path = _write_sequential(tmp_path, [7, 7, 2], layers)
    x = (np.round(rng.uniform(-2, 2, (20, 7, 7, 2)) * 64) / 64).astype(np.float32)

    def qb(a, bits, integer):
        return quantized_bits(bits, integer, alpha=1).quantize(a).astype(np.float64)

    y = _conv2d(x.astype(np.float64), qb(kernel, 4, 0)) + qb(bias, 4, 0)
    y = np.clip(np.round(y * 8), 0, 15) / 8  # quantized_relu(4, 1): step 1/8, codes 0..15
    y = _conv2d(y, qb(depthwise, 4, 0).reshape(2, 2, 1, 4), groups=4) + qb(dbias, 4, 0)
    y = np.clip(np.round(y * 8), -32, 31) / 8  # quantized_bits(6, 2): step 1/8, codes -32..31
    y = np.clip(np.round(np.where(y >= 0, y, y / 4) * 4), -2, 7) / 4  # leaky: step 1/4, codes -2..7
    y = _conv2d(y, qb(sep_depth, 4, 0).reshape(2, 2, 1, 8), groups=4)
    y = _conv2d(y, quantized_po2(4, 1).quantize(sep_point).astype(np.float64)) + qb(sbias, 4, 0)
    before_bn = y
    inv = qb(gamma, 6, 2) / np.sqrt(var.astype(np.float32).astype(np.float64) + float(np.float32(1e-3)))
    expected = before_bn * inv + (qb(beta, 4, 0) - qb(mean, 4, 0) * inv)

    layers.pop("bn")  # without the batch norm the output is exact
    (tmp_path / "cut").mkdir()
    exact = convert(str(_write_sequential(tmp_path / "cut", [7, 7, 2], layers)))
    np.testing.assert_array_equal(np.asarray(exact.emulate(x), dtype=np.float64).reshape(before_bn.shape), before_bn)
    full = convert(str(json_path))
    np.testing.assert_allclose(np.asarray(full.emulate(x)).reshape(expected.shape), expected, atol=0.05)


def test_hgq2_layers_of_the_same_name_keep_their_handler():
    """HGQ2's QDense / QConv layers share QKeras' class names: the registered handler sends a layer
    without QKeras' quantizer options to HGQ's handler."""
    from compiler.importers import keras_hgq, keras_quantized
    from compiler.importers.keras_registry import HANDLERS

    ours = {"QDense": keras_quantized._qdense}
    for name, theirs in (("QDense", keras_hgq.q_dense), ("QConv1D", keras_hgq.q_conv), ("QConv2D", keras_hgq.q_conv)):
        qkeras_handler, other = HANDLERS[name].__defaults__
        assert other is theirs
        assert name not in ours or qkeras_handler is ours[name]
