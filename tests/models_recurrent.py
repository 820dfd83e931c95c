"""The recurrent models of the acceptance tests and the benchmark: a 2-layer GRU and a 2-layer LSTM
(20 steps of 8 features, hidden 16, batch first, read at the last layer's final state, then a dense
layer of 3 classes) trained briefly on a synthetic pulse task: Gaussian noise, with a pulse (a bump over 3
steps on 3 features) that is absent (class 0), positive (1) or negative (2), at a random time."""

from __future__ import annotations

import numpy as np

STEPS, FEATURES, HIDDEN, CLASSES = 20, 8, 16, 3
PULSE = np.array([0.5, 1.0, 0.5], dtype=np.float32)


def pulses(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """n sequences [n, STEPS, FEATURES] and their classes."""
    rng = np.random.default_rng(seed)
    x = rng.normal(scale=0.5, size=(n, STEPS, FEATURES)).astype(np.float32)
    labels = rng.integers(0, CLASSES, size=n)
    starts = rng.integers(0, STEPS - len(PULSE) + 1, size=n)
    sign = np.where(labels == 2, -1.0, 1.0).astype(np.float32)
    for k, value in enumerate(PULSE):
        rows = np.flatnonzero(labels > 0)
        x[rows, starts[rows] + k, :3] += 1.5 * value * sign[rows, None]
    return x, labels


def classifier(cell: str, layers: int = 2, readout: str = "state"):
    """An untrained `cell` ("gru" or "lstm") classifier of `layers` layers, read at the last layer's
    final state h_n[-1] (`readout` "state", PyTorch's usual idiom) or at the output sequence's last
    step output[:, -1] ("last_step": the same value)."""
    import torch

    nn = torch.nn

    class Classifier(nn.Module):
        def __init__(self):
            super().__init__()
            kind = nn.GRU if cell == "gru" else nn.LSTM
            self.rnn = kind(FEATURES, HIDDEN, num_layers=layers, batch_first=True)
            self.fc = nn.Linear(HIDDEN, CLASSES)

        def forward(self, x):
            output, state = self.rnn(x)
            if readout == "last_step":
                return self.fc(output[:, -1])
            h = state[0] if isinstance(state, tuple) else state  # an LSTM's (h_n, c_n)
            return self.fc(h[-1])

    return Classifier()


def trained(cell: str, layers: int = 2, epochs: int = 12, seed: int = 0, readout: str = "state"):
    """A `cell` classifier trained on 4,000 pulse sequences (eval mode)."""
    import torch

    torch.manual_seed(seed)
    model = classifier(cell, layers, readout)
    x, y = pulses(4000, seed)
    xs, ys = torch.from_numpy(x), torch.from_numpy(y)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    for _ in range(epochs):
        for batch in torch.randperm(len(xs)).split(100):
            optimizer.zero_grad()
            loss = torch.nn.functional.cross_entropy(model(xs[batch]), ys[batch])
            loss.backward()
            optimizer.step()
    return model.eval()
