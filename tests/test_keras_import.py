"""Importing Keras models (compiler/importers/keras_*.py).

Keras 3 models built here (a Sequential MLP, every activation as an output of its own, a functional
2-D CNN with a shared input, branches and every merge, a functional 1-D CNN with two outputs;
together every supported layer) give the same design from a `.keras` file, a full-model `.h5` file
and the live model, and match Keras' own outputs at a wide precision from those and from
`to_json()` + `save_weights()`; C simulation equals the emulator bit for bit. The Keras 2 models of
../shared/models/keras (JSON + weights) match the same networks rebuilt in Keras 3.
"""

from __future__ import annotations

import json
import os
import re

import numpy as np
import pytest
from support import shared_path

from compiler.api import convert
from dialects.errors import CompileError

os.environ.setdefault("KERAS_BACKEND", "torch")
keras = pytest.importorskip("keras")
h5py = pytest.importorskip("h5py")
L = keras.layers
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # Keras' torch backend and numpy 2

WIDE = {"precision": "ap_fixed<32,16,AP_RND,AP_SAT>", "table_size": 4096}
# activation tables (sigmoid, tanh, elu, softplus, softmax) of 4096 entries dominate the error (at most
# 1.3e-3 seen here), far above the fixed-point step (2^-16)
TOLERANCE = 4e-3


def mlp() -> keras.Model:
    keras.utils.set_random_seed(1)
    return keras.Sequential(
        [
            keras.Input((12,), name="features"),
            L.Dense(16, activation="relu", name="fc1"),
            L.BatchNormalization(name="norm"),
            L.Dropout(0.3),
            L.GaussianNoise(0.1),
            L.GaussianDropout(0.1),
            L.Dense(8, activation="tanh"),
            L.ActivityRegularization(0.01),
            L.Dense(6),
            L.Softmax(name="probabilities"),
        ],
        name="mlp",
    )


ACTIVATIONS = "relu sigmoid tanh softmax elu selu softplus hard_sigmoid leaky_relu relu6 linear".split()


def activations() -> keras.Model:
    """Every activation (option, Activation layer, activation layers) on one pre-activation: an
    output each, so that each is compared on its own."""
    keras.utils.set_random_seed(6)
    x = keras.Input((12,), name="features")
    h = L.Dense(12, kernel_initializer=keras.initializers.RandomNormal(stddev=0.8), name="pre")(x)
    outputs = [L.Activation(a, name=f"act_{a}")(h) for a in ACTIVATIONS]
    outputs.append(L.Dense(4, activation="elu", name="dense_elu")(h))
    outputs.append(L.LeakyReLU(negative_slope=0.1)(h))
    outputs.append(L.PReLU(alpha_initializer=keras.initializers.RandomUniform(-0.5, 0.5))(h))
    outputs.append(L.ReLU(max_value=0.7, negative_slope=0.2)(h))
    outputs.append(L.ReLU(threshold=0.05)(h))
    outputs.append(L.ReLU(max_value=2.0)(h))
    outputs.append(L.Softmax()(h))
    return keras.Model(x, outputs, name="activations")


def cnn2d() -> keras.Model:
    keras.utils.set_random_seed(2)
    x = keras.Input((10, 10, 3), name="image")
    a = L.Conv2D(4, 3, padding="same", activation="relu", name="conv_a")(x)
    a = L.MaxPooling2D(2)(a)
    b = L.SeparableConv2D(4, 3, padding="same", depth_multiplier=2)(x)
    b = L.AveragePooling2D(3, strides=1, padding="same")(b)  # the padded cells are not counted
    b = L.MaxPooling2D(2)(b)
    c = L.Conv2D(4, 2, strides=2, use_bias=False)(x)
    merged = [L.Add()([a, b]), L.Subtract()([a, c]), L.Multiply()([b, c]), L.Average()([a, b, c])]
    merged += [L.Maximum()([a, b, c]), L.Minimum()([a, c])]
    y = L.Concatenate(name="join")(merged)  # 5x5x24
    y = L.DepthwiseConv2D(3, depth_multiplier=2, padding="same", activation="tanh")(y)
    y = L.BatchNormalization(center=False)(y)
    y = L.Conv2D(8, 3, dilation_rate=2, padding="same", groups=2, activation="relu")(y)
    y = L.ZeroPadding2D(((1, 0), (2, 1)))(y)  # 6x8
    y = L.Cropping2D(((1, 1), (0, 2)))(y)  # 4x6
    y = L.UpSampling2D((2, 1))(y)  # 8x6
    y = L.SpatialDropout2D(0.2)(y)
    y = L.MaxPooling2D((2, 3), padding="same")(y)  # 4x2
    y = L.Permute((2, 1, 3))(y)  # 2x4x8
    g1 = L.GlobalAveragePooling2D()(y)
    g2 = L.Flatten()(L.GlobalMaxPooling2D(keepdims=True)(y))
    g3 = L.Flatten()(y)
    y = L.Concatenate()([g1, g2, g3])
    y = L.Dense(5, name="out")(y)
    return keras.Model(x, y, name="cnn2d")


def cnn1d() -> keras.Model:
    keras.utils.set_random_seed(3)
    x = keras.Input((16, 4), name="signal")
    y = L.Conv1D(6, 3, padding="causal", activation="relu")(x)
    y = L.DepthwiseConv1D(3, depth_multiplier=1)(y)  # 14
    y = L.SeparableConv1D(4, 3, padding="same", activation="elu")(y)
    y = L.MaxPooling1D(2)(y)  # 7
    y = L.AveragePooling1D(2, padding="same")(y)  # 4
    y = L.ZeroPadding1D(1)(y)  # 6
    y = L.Cropping1D((1, 0))(y)  # 5
    y = L.UpSampling1D(2)(y)  # 10
    y = L.BatchNormalization()(y)
    y = L.Conv1D(4, 2, strides=2, activation="sigmoid")(y)  # 5x4
    pooled = L.Concatenate()([L.GlobalMaxPooling1D()(y), L.GlobalAveragePooling1D()(y)])
    first = L.Dense(3, name="regression")(pooled)
    second = L.Softmax(axis=1, name="over_time")(L.Reshape((5, 4))(L.Flatten()(y)))
    return keras.Model(x, [first, second], name="cnn1d")


BUILDERS = {"mlp": mlp, "activations": activations, "cnn2d": cnn2d, "cnn1d": cnn1d}


def randomise_batchnorm(model: keras.Model) -> keras.Model:
    """Statistics far from the identity, so that a wrong fold shows."""
    rng = np.random.default_rng(0)
    for layer in model.layers:
        if isinstance(layer, L.BatchNormalization):
            layer.set_weights(
                [
                    rng.uniform(0.5, 1.5, w.shape) if "variance" in w.path else rng.uniform(-0.5, 0.5, w.shape)
                    for w in layer.weights
                ]
            )
    return model


@pytest.fixture(scope="module")
def models(tmp_path_factory) -> dict:
    """Each model, its .keras and .h5 files and a batch of inputs."""
    folder = tmp_path_factory.mktemp("keras")
    built = {}
    for name, build in BUILDERS.items():
        model = randomise_batchnorm(build())
        paths = {"keras": folder / f"{name}.keras", "h5": folder / f"{name}.h5", "json": folder / f"{name}.json"}
        model.save(paths["keras"])
        model.save(paths["h5"])
        paths["json"].write_text(model.to_json())
        model.save_weights(folder / f"{name}.weights.h5")  # Keras 3's layout, numbered variables
        rng = np.random.default_rng(4)
        x = rng.normal(size=(64, *model.inputs[0].shape[1:])).astype(np.float32)
        built[name] = (model, paths, x)
    return built


def as_list(y) -> list[np.ndarray]:
    return [np.asarray(a) for a in (y if isinstance(y, list) else [y])]


@pytest.mark.parametrize("source", ["keras", "h5", "json", "live"])
@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_outputs_match_keras(models, name, source):
    model, paths, x = models[name]
    if source == "json":  # model.to_json() + model.save_weights(...)
        compiled = convert(paths["json"], weights=paths["json"].with_suffix(".weights.h5"), **WIDE)
    else:
        compiled = convert(model if source == "live" else paths[source], **WIDE)
    ours, theirs = as_list(compiled.emulate(x)), as_list(model.predict(x, verbose=0))
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        assert a.shape == b.shape
        assert np.abs(a - b).max() <= TOLERANCE * max(1.0, np.abs(b).max()), f"{name} from {source}"


def test_sources_give_the_same_design(models):
    """The .keras file, the .h5 file and the live model give the same IR (the weights included)."""
    model, paths, _ = models["cnn2d"]
    sources = {"keras": paths["keras"], "h5": paths["h5"], "live": model}
    irs = {key: convert(source, precision="ap_fixed<16,6>").ir("import") for key, source in sources.items()}
    assert irs["keras"] == irs["h5"] == irs["live"]


def test_layer_names_are_keras_names(models):
    model, paths, _ = models["cnn2d"]
    ir = convert(paths["keras"], precision="ap_fixed<16,6>").ir("import")
    names = set(re.findall(r'layer = "([^"]*)"', ir))
    assert {"conv_a", "join", "out"} <= names
    assert names <= {layer.name for layer in model.layers}
    assert re.search(r'nn.relu %\w+ \{layer = "conv_a"\}', ir), "the fused activation keeps its layer's name"


def test_maximum_and_minimum_are_exact(models):
    """Maximum and Minimum (nn.max, nn.min) are exact in fixed point."""
    keras.utils.set_random_seed(5)
    a, b = keras.Input((6,)), keras.Input((6,))
    model = keras.Model([a, b], [L.Maximum()([a, b]), L.Minimum()([a, b])])
    rng = np.random.default_rng(1)
    xs = [np.round(rng.normal(size=(100, 6)) * 64) / 64 for _ in range(2)]
    high, low = convert(model, precision="ap_fixed<16,6>").emulate(*xs)
    assert np.array_equal(high, np.maximum(*xs)) and np.array_equal(low, np.minimum(*xs))


def test_keras2_hard_sigmoid(tmp_path):
    """A Keras 2 file's hard_sigmoid is 0.2 x + 0.5 (Keras 3's is relu6(x + 3) / 6)."""
    config = {
        "class_name": "Sequential",
        "keras_version": "2.4.0",
        "config": {
            "name": "hs",
            "layers": [
                {
                    "class_name": "Activation",
                    "config": {"name": "act", "activation": "hard_sigmoid", "batch_input_shape": [None, 4]},
                }
            ],
        },
    }
    (tmp_path / "hs.json").write_text(json.dumps(config))
    with h5py.File(tmp_path / "hs_weights.h5", "w") as f:
        f.attrs["layer_names"] = [b"act"]
        f.create_group("act").attrs["weight_names"] = []
    x = np.linspace(-4, 4, 33).reshape(-1, 1).repeat(4, axis=1)
    y = convert(tmp_path / "hs.json", **WIDE).emulate(x)
    assert np.abs(y - np.clip(0.2 * x + 0.5, 0, 1)).max() < 1e-3


def test_lambda_layer_is_refused(tmp_path):
    """A Lambda layer's function is saved as bytecode: neither the live model nor its file is loaded."""
    x = keras.Input((4,))
    model = keras.Model(x, L.Dense(2)(L.Lambda(lambda t: t * 2, name="double")(x)))
    model.save(tmp_path / "lambda.keras")
    for source in (model, tmp_path / "lambda.keras"):
        with pytest.raises(CompileError, match=r"layer 'double' \(Lambda\): holds Python code"):
            convert(source)


def test_nested_model_is_refused():
    inner = keras.Sequential([keras.Input((4,)), L.Dense(3)], name="inner")
    x = keras.Input((4,))
    with pytest.raises(CompileError, match=r"layer 'inner' \(Sequential\): nested models are not supported"):
        convert(keras.Model(x, L.Dense(2)(inner(x))))


def test_channels_first_is_refused():
    x = keras.Input((3, 8, 8))
    model = keras.Model(x, L.Conv2D(2, 3, data_format="channels_first", name="cf")(x))
    with pytest.raises(CompileError, match=r"layer 'cf' \(Conv2D\): data_format 'channels_first' is not supported"):
        convert(model)


def test_same_average_pooling_leaves_padding_out():
    """Keras' (TensorFlow's) "same" average pooling averages the cells inside the input only, the
    odd padded cell at the end. (Keras 3 on torch pads an odd total by replicating the edge, which
    counts it: this reference is computed here instead.)"""
    keras.utils.set_random_seed(7)
    x = keras.Input((6, 2))
    model = keras.Model(x, L.AveragePooling1D(3, strides=2, padding="same")(x))
    data = np.random.default_rng(2).normal(size=(20, 6, 2))
    padded = np.concatenate([data, np.full((20, 1, 2), np.nan)], axis=1)  # total padding 1, at the end
    expected = np.stack([np.nanmean(padded[:, i : i + 3], axis=1) for i in (0, 2, 4)], axis=1)
    assert np.abs(convert(model, **WIDE).emulate(data) - expected).max() < 1e-4


@pytest.mark.slow
@pytest.mark.parametrize("name", ["cnn1d", "cnn2d"])
def test_c_simulation_equals_the_emulator(models, name, tmp_path):
    model, paths, x = models[name]
    compiled = convert(paths["keras"], output_dir=tmp_path / "prj")
    compiled.write()
    compiled.compile()
    for csim, emulated in zip(as_list(compiled.predict(x)), as_list(compiled.emulate(x))):
        assert np.array_equal(csim, emulated)


# -------------------------------------------------------------------------------------------------
# The Keras 2 models of ../shared/models/keras, against the same networks rebuilt in Keras 3

SHARED = {"KERAS_3layer": (16,), "KERAS_conv1d_small": (10, 4), "KERAS_conv2d_model": (8, 8, 1)}
REBUILT = {"Dense": ("units",), "Conv1D": ("filters", "kernel_size", "strides", "padding"), "Flatten": ()}
REBUILT["Conv2D"] = REBUILT["Conv1D"]


def rebuilt(json_path, weights_path) -> keras.Model:
    """The Keras 2 JSON's chain of layers as a Keras 3 Sequential, with the weights read by h5py."""
    config = json.loads(json_path.read_text())["config"]
    layers = config if isinstance(config, list) else config["layers"]
    model = keras.Sequential([keras.Input(tuple(SHARED[json_path.stem]))])
    with h5py.File(weights_path) as h5:
        for layer in layers:
            kind, options = layer["class_name"], layer["config"]
            if kind not in REBUILT:
                assert kind in ("InputLayer", "Dropout"), kind
                continue
            args = {k: options[k] for k in REBUILT[kind]}
            if "activation" in options:
                args["activation"] = options["activation"]
            model.add(getattr(L, kind)(**args))
            group = h5[options["name"]]
            names = [n.decode() if isinstance(n, bytes) else n for n in group.attrs["weight_names"]]
            if names:
                model.layers[-1].set_weights([np.asarray(group[n]) for n in names])
    return model


@pytest.mark.parametrize("stem", sorted(SHARED))
def test_shared_keras2_models(stem):
    json_path = shared_path(f"models/keras/{stem}.json")
    reference = rebuilt(json_path, json_path.with_name(f"{stem}_weights.h5"))
    x = np.random.default_rng(6).normal(size=(2000, *SHARED[stem])).astype(np.float32)
    ours = convert(json_path).emulate(x)
    theirs = reference.predict(x, verbose=0)
    assert np.mean(ours.argmax(1) == theirs.argmax(1)) >= 0.995
    assert np.abs(ours - theirs).max() < 0.1


# every Keras file of ../shared/models/keras (the QKeras, binary/ternary and HGQ ones included)
SHARED_FILES = [
    "KERAS_3layer.json",
    "KERAS_conv1d_small.json",
    "KERAS_conv2d_model.json",
    "KERAS_3layer_binary_smaller.json",
    "KERAS_3layer_ternary_small.json",
    "qkeras_3layer.json",
    "qkeras_mnist_dense.json",
    "hgq_mnist_homogeneous.h5",
]


@pytest.mark.slow
@pytest.mark.parametrize("file", SHARED_FILES)
def test_shared_keras_files_compile_and_c_simulation_equals_the_emulator(file, tmp_path):
    path = shared_path(f"models/keras/{file}")
    compiled = convert(path, output_dir=tmp_path / "prj")
    compiled.write()
    compiled.compile()
    x = np.random.default_rng(7).normal(size=(200, *compiled.input_shapes[0])).astype(np.float32)
    assert np.array_equal(compiled.predict(x), compiled.emulate(x))
