"""Deeper float models for the precision tests and benchmarks, shaped like MLPerf Tiny's at a reduced
size: ResNet-8, a MobileNet, the DS-CNN keyword spotter, the anomaly-detection autoencoder, and the
6-layer MLP 16-100-100-100-100-100-5. Each is torch, seeded, and trained for a few seconds (on
sklearn's 8x8 digits or on a synthetic task generated here), so its weights are not random.

Each builder returns `(module, inputs, labels)`: the float module in eval mode (a classifier ends in
its softmax; the autoencoder's output is the reconstruction), the training inputs as a float32 numpy
array (one sample per row, channels first) and their labels (None for the autoencoder). The same
weights on every run and machine: fixed seeds, training on one thread. All five build in about
12 s on 2 cores."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch
from sklearn import datasets as sklearn_datasets
from torch import nn

LEARNING_RATE = 0.003
BATCH = 64
MINIMUM_ACCURACY = 0.9  # on the training set: each reaches 0.98-1.0 (0.92-1.0 on held-out data)


# ---------------------------------------------------------------------------------------------
# data and training


def _digits(scale: int = 1) -> tuple[torch.Tensor, torch.Tensor]:
    """The 1,797 8x8 digits as [N, 1, 8*scale, 8*scale] in [0, 1] (nearest upsampling), and labels."""
    data = sklearn_datasets.load_digits()
    images = data.data.reshape(-1, 1, 8, 8) / 16.0
    images = images.repeat(scale, axis=2).repeat(scale, axis=3)
    return torch.tensor(images, dtype=torch.float32), torch.tensor(data.target)


def _fit(model: nn.Module, x: torch.Tensor, target: torch.Tensor, loss, epochs: int) -> nn.Module:
    """Adam on shuffled minibatches for `epochs` passes over the set; the model in eval mode. On one
    thread: these models are too small to gain from more, a second thread that has to wait for a
    busy core costs seconds, and one thread gives the same weights on any machine."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
        model.train()
        for _ in range(epochs):
            for batch in torch.randperm(len(x)).split(BATCH):
                optimizer.zero_grad()
                loss(model(x[batch]), target[batch]).backward()
                optimizer.step()
    finally:
        torch.set_num_threads(threads)
    return model.eval()


def _classifier(
    name: str, body: nn.Module, x: torch.Tensor, labels: torch.Tensor, epochs: int
) -> tuple[nn.Module, np.ndarray, np.ndarray]:
    """`body` trained on (x, labels) with cross entropy, checked to have learned (training-set
    accuracy), with the softmax appended."""
    _fit(body, x, labels, nn.functional.cross_entropy, epochs)
    with torch.no_grad():
        accuracy = float((body(x).argmax(1) == labels).float().mean())
    assert accuracy >= MINIMUM_ACCURACY, f"{name} reached only {accuracy:.3f} on its training set"
    return nn.Sequential(body, nn.Softmax(dim=1)).eval(), x.numpy(), labels.numpy()


def _conv_bn(cin: int, cout: int, kernel, stride=1, groups: int = 1) -> list[nn.Module]:
    padding = tuple(k // 2 for k in kernel) if isinstance(kernel, tuple) else kernel // 2
    return [nn.Conv2d(cin, cout, kernel, stride, padding, groups=groups, bias=False), nn.BatchNorm2d(cout)]


def _separable(cin: int, cout: int, stride: int = 1, depthwise_activation=nn.ReLU6) -> list[nn.Module]:
    """Depthwise 3x3 (groups = channels) + batchnorm + relu6 (MobileNet's; DS-CNN's is a relu),
    pointwise 1x1 + batchnorm + relu."""
    return [*_conv_bn(cin, cin, 3, stride, groups=cin), depthwise_activation(), *_conv_bn(cin, cout, 1), nn.ReLU()]


# ---------------------------------------------------------------------------------------------
# the models


class ResidualStage(nn.Module):
    """conv-bn-relu, conv-bn, plus the input (through a strided 1x1 conv-bn where the shape changes), relu."""

    def __init__(self, cin: int, cout: int, stride: int) -> None:
        super().__init__()
        self.main = nn.Sequential(*_conv_bn(cin, cout, 3, stride), nn.ReLU(), *_conv_bn(cout, cout, 3))
        self.skip = nn.Sequential(*_conv_bn(cin, cout, 1, stride)) if stride != 1 or cin != cout else nn.Identity()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.relu(self.main(x) + self.skip(x))


def resnet8() -> tuple[nn.Module, np.ndarray, np.ndarray]:
    """MLPerf Tiny's ResNet-8 on the 8x8 digits ([1, 8, 8] inputs), channels 8/16/32: a conv-bn-relu
    stem, three residual stages (the last two strided, with projection skips), global average
    pool, dense, softmax. About 190k MACs per sample."""
    x, labels = _digits()
    torch.manual_seed(10)
    body = nn.Sequential(
        *_conv_bn(1, 8, 3),
        nn.ReLU(),
        ResidualStage(8, 8, 1),
        ResidualStage(8, 16, 2),
        ResidualStage(16, 32, 2),
        nn.AdaptiveAvgPool2d(1),
        nn.Flatten(),
        nn.Linear(32, 10),
    )
    return _classifier("resnet8", body, x, labels, epochs=6)


def mobilenet() -> tuple[nn.Module, np.ndarray, np.ndarray]:
    """A MobileNet (v1) on the digits upsampled to [1, 16, 16]: a strided conv-bn-relu6 stem, four
    depthwise-separable blocks (two strided), global average pool, dense, softmax. About 60k MACs."""
    x, labels = _digits(scale=2)
    torch.manual_seed(11)
    body = nn.Sequential(
        *_conv_bn(1, 8, 3, stride=2),
        nn.ReLU6(),
        *_separable(8, 16),
        *_separable(16, 32, stride=2),
        *_separable(32, 32),
        *_separable(32, 64, stride=2),
        nn.AdaptiveAvgPool2d(1),
        nn.Flatten(),
        nn.Linear(64, 10),
    )
    return _classifier("mobilenet", body, x, labels, epochs=10)


SPECTROGRAM_SHAPE = (20, 10)  # frames x frequency bins
KEYWORDS = 6


def keyword_spectrograms(samples: int = 1200, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """A synthetic keyword-spotting task: [samples, 1, 20, 10] "spectrograms" and labels 0-5. Each
    keyword is a formant track (a ridge of energy whose frequency rises or falls at its own rate
    from its own start), at a random time offset and loudness, on Gaussian noise."""
    rng = np.random.default_rng(seed)
    frames, bins = SPECTROGRAM_SHAPE
    starts = np.linspace(1.5, bins - 2.5, KEYWORDS)
    slopes = np.array([0.25, -0.25, 0.0, 0.4, -0.4, 0.1])
    labels = rng.integers(KEYWORDS, size=samples)
    onset = rng.integers(0, frames // 2, size=samples)
    loudness = rng.uniform(1.0, 2.0, size=samples)
    t = np.arange(frames)[None, :, None]
    f = np.arange(bins)[None, None, :]
    active = (t >= onset[:, None, None]) & (t < onset[:, None, None] + frames // 2)
    track = starts[labels][:, None, None] + slopes[labels][:, None, None] * (t - onset[:, None, None])
    ridge = loudness[:, None, None] * np.exp(-0.5 * (f - track) ** 2) * active
    noisy = ridge + 0.3 * rng.normal(size=ridge.shape)
    return noisy[:, None].astype(np.float32), labels


def ds_cnn() -> tuple[nn.Module, np.ndarray, np.ndarray]:
    """MLPerf Tiny's DS-CNN keyword spotter on [1, 20, 10] spectrograms (keyword_spectrograms): a
    (5, 3) conv with stride 2 + bn + relu, three depthwise-separable blocks of 16 channels (relu), an
    average pool over the whole map, dense, softmax. About 70k MACs."""
    spectrograms, labels = keyword_spectrograms()
    torch.manual_seed(12)
    frames, bins = SPECTROGRAM_SHAPE
    body = nn.Sequential(
        *_conv_bn(1, 16, (5, 3), stride=2),
        nn.ReLU(),
        *_separable(16, 16, depthwise_activation=nn.ReLU),
        *_separable(16, 16, depthwise_activation=nn.ReLU),
        *_separable(16, 16, depthwise_activation=nn.ReLU),
        nn.AvgPool2d((frames // 2, bins // 2)),
        nn.Flatten(),
        nn.Linear(16, KEYWORDS),
    )
    return _classifier("ds_cnn", body, torch.tensor(spectrograms), torch.tensor(labels), epochs=6)


def autoencoder() -> tuple[nn.Module, np.ndarray, None]:
    """MLPerf Tiny's anomaly-detection autoencoder scaled down: dense 64-32-16-8-16-32-64, each
    hidden layer with batchnorm and relu, the last linear; trained to reconstruct the flattened
    digits. The output is the reconstruction (no softmax). About 5k MACs."""
    x = _digits()[0].reshape(-1, 64)
    torch.manual_seed(13)
    widths = [64, 32, 16, 8, 16, 32]
    layers: list[nn.Module] = []
    for a, b in zip(widths, widths[1:]):
        layers += [nn.Linear(a, b), nn.BatchNorm1d(b), nn.ReLU()]
    model = nn.Sequential(*layers, nn.Linear(widths[-1], 64))
    _fit(model, x, x, nn.functional.mse_loss, epochs=20)
    with torch.no_grad():
        error = float(nn.functional.mse_loss(model(x), x))
    assert error < 0.05, f"the autoencoder's reconstruction error is {error:.3f}"
    return model, x.numpy(), None


def mlp6() -> tuple[nn.Module, np.ndarray, np.ndarray]:
    """The 6-layer MLP 16-100-100-100-100-100-5 (relu, softmax), trained on 16 N(0, 1) features
    labelled by the largest of 5 random linear functions of them. About 42k MACs."""
    rng = np.random.default_rng(14)
    features = rng.normal(size=(4000, 16)).astype(np.float32)
    labels = (features @ rng.normal(size=(16, 5))).argmax(1)
    torch.manual_seed(14)
    widths = [16, 100, 100, 100, 100, 100]
    layers: list[nn.Module] = []
    for a, b in zip(widths, widths[1:]):
        layers += [nn.Linear(a, b), nn.ReLU()]
    body = nn.Sequential(*layers, nn.Linear(widths[-1], 5))
    return _classifier("mlp6", body, torch.tensor(features), torch.tensor(labels), epochs=8)


DEEP_MODELS: dict[str, Callable[[], tuple[nn.Module, np.ndarray, np.ndarray | None]]] = {
    "resnet8": resnet8,
    "mobilenet": mobilenet,
    "ds_cnn": ds_cnn,
    "autoencoder": autoencoder,
    "mlp6": mlp6,
}
