"""Accuracy against the float model with `auto` everywhere and with the default precision: the jet
tagging MLP (random weights, random inputs) and an MLP trained here on sklearn's digits."""

from __future__ import annotations

import numpy as np
import pytest
from support import save, torch_to_onnx

from compiler.api import convert

torch = pytest.importorskip("torch")
sklearn_datasets = pytest.importorskip("sklearn.datasets")


def jet_mlp():
    torch.manual_seed(0)
    nn = torch.nn
    return nn.Sequential(
        nn.Linear(16, 64),
        nn.ReLU(),
        nn.Linear(64, 32),
        nn.ReLU(),
        nn.Linear(32, 32),
        nn.ReLU(),
        nn.Linear(32, 5),
        nn.Softmax(dim=1),
    ).eval()


def digits_mlp():
    """A 64-32-10 MLP trained for a few seconds on the 8x8 digits (pixels scaled to [0, 1])."""
    data = sklearn_datasets.load_digits()
    x = torch.tensor(data.data / 16.0, dtype=torch.float32)
    y = torch.tensor(data.target)
    torch.manual_seed(1)
    nn = torch.nn
    model = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    for _ in range(150):
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
    accuracy = float((model(x).argmax(1) == y).float().mean())
    assert accuracy > 0.95, accuracy
    return nn.Sequential(*model, nn.Softmax(dim=1)).eval(), x.numpy(), data.target


def agreement(compiled, module, x, out_dir):
    compiled.write(out_dir)
    compiled.compile()
    csim = compiled.predict(x)
    assert np.array_equal(csim, compiled.emulate(x)), "C simulation differs from the emulator"
    with torch.no_grad():
        reference = module(torch.from_numpy(np.asarray(x, dtype=np.float32))).numpy()
    return float(np.mean(csim.argmax(1) == reference.argmax(1)))


@pytest.mark.parametrize(("precision", "threshold"), [("auto", 0.999), (None, 0.995)])
def test_jet_mlp(precision, threshold, tmp_path):
    module = jet_mlp()
    onnx_file = save(torch_to_onnx(module, (16,)), tmp_path / "jet.onnx")
    x = np.random.default_rng(0).normal(size=(10_000, 16)).astype(np.float32)
    compiled = convert(onnx_file, **({"precision": precision} if precision else {}))
    assert agreement(compiled, module, x, tmp_path / "prj") >= threshold


@pytest.mark.parametrize(("precision", "threshold"), [("auto", 0.999), (None, 0.995)])
def test_digits_mlp(precision, threshold, tmp_path):
    module, x, labels = digits_mlp()
    onnx_file = save(torch_to_onnx(module, (64,)), tmp_path / "digits.onnx")
    compiled = convert(onnx_file, **({"precision": precision} if precision else {}))
    assert agreement(compiled, module, x, tmp_path / "prj") >= threshold


def digits_cnn():
    """conv-batchnorm-relu-pool twice, then dense: trained for a few seconds on the 8x8 digits."""
    data = sklearn_datasets.load_digits()
    x = torch.tensor(data.data.reshape(-1, 1, 8, 8) / 16.0, dtype=torch.float32)
    y = torch.tensor(data.target)
    torch.manual_seed(2)
    nn = torch.nn
    model = nn.Sequential(
        nn.Conv2d(1, 8, 3, padding=1),
        nn.BatchNorm2d(8),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 3, padding=1),
        nn.BatchNorm2d(16),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(64, 10),
    )
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    for _ in range(60):
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
    model.eval()
    accuracy = float((model(x).argmax(1) == y).float().mean())
    assert accuracy > 0.95, accuracy
    return nn.Sequential(*model, nn.Softmax(dim=1)).eval(), x.numpy(), data.target


@pytest.fixture(scope="module")
def trained_cnn():
    return digits_cnn()


@pytest.mark.parametrize(("precision", "threshold"), [("auto", 0.999), (None, 0.995)])
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
