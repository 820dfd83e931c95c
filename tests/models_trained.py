"""Models the tests and benchmarks share: the jet-tagging MLP (random weights) and an MLP and a CNN
trained for a few seconds on sklearn's 8x8 digits (offline). Each trained builder returns the
float module (softmax appended, eval mode), the inputs (pixels scaled to [0, 1]) and the labels."""

from __future__ import annotations

import torch
from sklearn import datasets as sklearn_datasets


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


def _train(model, x, y, steps: int):
    """Adam at 0.01 on the whole set for `steps` steps; the float model (softmax appended, eval mode)
    after checking that it learned (> 95 % on the training set)."""
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    for _ in range(steps):
        optimizer.zero_grad()
        torch.nn.functional.cross_entropy(model(x), y).backward()
        optimizer.step()
    model.eval()
    accuracy = float((model(x).argmax(1) == y).float().mean())
    assert accuracy > 0.95, accuracy
    return torch.nn.Sequential(*model, torch.nn.Softmax(dim=1)).eval()


def digits_mlp():
    """A 64-32-10 MLP trained for a few seconds on the 8x8 digits (pixels scaled to [0, 1])."""
    data = sklearn_datasets.load_digits()
    x = torch.tensor(data.data / 16.0, dtype=torch.float32)
    torch.manual_seed(1)
    nn = torch.nn
    model = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))
    return _train(model, x, torch.tensor(data.target), 150), x.numpy(), data.target


def digits_cnn():
    """conv-batchnorm-relu-pool twice, then dense: trained for a few seconds on the 8x8 digits."""
    data = sklearn_datasets.load_digits()
    x = torch.tensor(data.data.reshape(-1, 1, 8, 8) / 16.0, dtype=torch.float32)
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
    return _train(model, x, torch.tensor(data.target), 60), x.numpy(), data.target
