"""Keras recurrent layers (LSTM, GRU with `reset_after` both ways, SimpleRNN with tanh and relu;
`return_sequences`, `return_state`, `go_backwards`; the Bidirectional wrapper), built in Keras 3 (torch backend) inside the test,
read live, from .keras and from .h5: the three give the same design, which agrees with
`model.predict` within the quantisation error (and much closer at a wide type, so the error is
rounding, not a misread gate), and whose C simulation equals the emulator."""

from __future__ import annotations

import os

import numpy as np
import pytest

from compiler.api import convert
from dialects.errors import CompileError

os.environ.setdefault("KERAS_BACKEND", "torch")
keras = pytest.importorskip("keras")
pytest.importorskip("h5py")

STEPS, FEATURES = 10, 4
WIDE = {"precision": "ap_fixed<32,12>", "table_size": 1 << 14}


def stacked():
    """Sequential: LSTM (sequences) -> GRU without reset_after, backwards (sequences) -> SimpleRNN -> Dense."""
    return keras.Sequential(
        [
            keras.Input((STEPS, FEATURES)),
            keras.layers.LSTM(8, return_sequences=True),
            keras.layers.GRU(6, reset_after=False, return_sequences=True, go_backwards=True),
            keras.layers.SimpleRNN(5),
            keras.layers.Dense(3),
        ]
    )


def with_states():
    """Functional: an LSTM's output and both final states, joined."""
    x = keras.Input((STEPS, FEATURES))
    out, h, c = keras.layers.LSTM(8, return_state=True)(x)
    return keras.Model(x, keras.layers.Concatenate()([out, h, c]))


def gru_sequence():
    x = keras.Input((STEPS, FEATURES))
    return keras.Model(x, keras.layers.Flatten()(keras.layers.GRU(7, return_sequences=True)(x)))


def relu_backwards():
    x = keras.Input((STEPS, FEATURES))
    return keras.Model(x, keras.layers.SimpleRNN(6, activation="relu", go_backwards=True)(x))


def bidirectional():
    """Bidirectional LSTM (sequences, concat) then Bidirectional GRU (last step, averaged)."""
    return keras.Sequential(
        [
            keras.Input((STEPS, FEATURES)),
            keras.layers.Bidirectional(keras.layers.LSTM(6, return_sequences=True)),
            keras.layers.Bidirectional(keras.layers.GRU(5), merge_mode="ave"),
            keras.layers.Dense(3),
        ]
    )


def other_activations():
    """Keras 2's LSTM default (hard_sigmoid gates, here as Keras 3 defines it) and other cell
    activations: an LSTM with relu, a GRU with elu, a SimpleRNN with sigmoid."""
    x = keras.Input((STEPS, FEATURES))
    h = keras.layers.LSTM(6, recurrent_activation="hard_sigmoid", activation="relu", return_sequences=True)(x)
    h = keras.layers.GRU(5, recurrent_activation="hard_sigmoid", activation="elu", return_sequences=True)(h)
    return keras.Model(x, keras.layers.SimpleRNN(4, activation="sigmoid")(h))


MODELS = {
    "other_activations": other_activations,
    "bidirectional": bidirectional,
    "stacked": stacked,
    "with_states": with_states,
    "gru_sequence": gru_sequence,
    "relu": relu_backwards,
}


def data(n: int = 300) -> np.ndarray:
    return np.random.default_rng(0).normal(size=(n, STEPS, FEATURES)).astype(np.float32)


@pytest.mark.parametrize("name", list(MODELS))
def test_live_keras_and_h5_agree_with_predict(name, tmp_path):
    keras.utils.set_random_seed(0)
    model = MODELS[name]()
    x = data()
    expected = model.predict(x, verbose=0)
    keras_path, h5_path = tmp_path / "m.keras", tmp_path / "m.h5"
    model.save(keras_path)
    model.save(h5_path)
    live = convert(model, precision="ap_fixed<18,6>")
    emulated = live.emulate(x)
    for path in (keras_path, h5_path):
        assert np.array_equal(convert(path, precision="ap_fixed<18,6>").emulate(x), emulated), path.suffix
    assert np.max(np.abs(emulated - expected.reshape(emulated.shape))) < 0.05
    wide = convert(model, **WIDE).emulate(x)
    assert np.max(np.abs(wide - expected.reshape(wide.shape))) < 0.003


def test_csim_equals_emulator(tmp_path):
    keras.utils.set_random_seed(1)
    model = stacked()
    x = data(400)
    design = convert(model, precision="ap_fixed<18,6>", output_dir=tmp_path / "prj")
    design.write()
    design.compile()
    assert np.array_equal(design.predict(x), design.emulate(x))


@pytest.mark.parametrize(
    "layer, message",
    [
        (
            lambda: keras.layers.LSTM(4, activation="softsign", name="lstm"),
            r"layer 'lstm' \(LSTM\): activation 'softsign' is not supported",
        ),
        (lambda: keras.layers.GRU(4, recurrent_activation="swish"), r"recurrent_activation 'silu' is not supported"),
    ],
)
def test_refusals_name_the_layer_and_option(layer, message):
    keras.utils.set_random_seed(2)
    model = keras.Sequential([keras.Input((STEPS, FEATURES)), layer()])
    with pytest.raises(CompileError, match=message) as err:
        convert(model)
    assert "\n" not in str(err.value)
