"""The bounded-FIFO C simulation of io_stream designs (runtime/bounded.py): an exact check of the
FIFO depths that size-fifos computes.

Every io_stream model of the test suite runs with each kernel in its own thread on FIFOs of their
computed depths without deadlock, bit for bit like the unbounded C simulation and the emulator. A
skip connection deadlocks when its FIFO is one below its smallest deadlock-free depth (the error
names that FIFO as full), and runs at that depth. The depth search on the residual CNN finds each
smallest depth at most the computed one, and `--check` prints the table and adds it to the report.
The shared 512x512 separable convolution is left out: its 262,144 packets per FIFO take far longer
bounded (one wakeup of another thread per packet or two) than the rest of this file together.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from support import save, shared_path, torch_to_onnx

from compiler.__main__ import main
from compiler.api import HLSModel, convert
from dialects.errors import CompileError
from runtime.bounded import DeadlockError
from runtime.build import xilinx_headers

torch = pytest.importorskip("torch")
nn = torch.nn
SAMPLES = 12


class Residual(nn.Module):
    """tests/test_io_stream.py's residual CNN: a skip connection around two 3x3 convolutions, a
    concat with a 1x1 branch, global pooling, dense."""

    def __init__(self):
        super().__init__()
        self.c1, self.c2 = nn.Conv2d(2, 2, 3, padding=1), nn.Conv2d(2, 2, 3, padding=1)
        self.c3, self.fc = nn.Conv2d(2, 3, 1), nn.Linear(5, 4)

    def forward(self, x):
        y = self.c2(torch.relu(self.c1(x))) + x
        z = torch.cat([torch.relu(y), self.c3(x)], dim=1)
        return self.fc(nn.functional.adaptive_avg_pool2d(z, 1).flatten(1))


class Skip(nn.Module):
    """The smallest skip connection: x + conv3x3(x) on a 1x6x6 image."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 1, 3, padding=1)

    def forward(self, x):
        return torch.relu(self.conv(x) + x)


def residual() -> tuple[nn.Module, tuple[int, ...], dict]:
    torch.manual_seed(0)
    return Residual(), (2, 8, 8), {"precision": "ap_fixed<18,8,AP_RND,AP_SAT>"}


def reuse_cnn(reuse: int, strategy: str) -> Callable[[], tuple[nn.Module, tuple[int, ...], dict]]:
    """The CNN of test_io_stream.py's test_conv_reuse_factor_and_strategy_keep_the_arithmetic."""

    def build():
        torch.manual_seed(3)
        module = nn.Sequential(
            nn.Conv2d(2, 4, 3, padding=1), nn.ReLU(), nn.Conv2d(4, 4, 3, groups=4), nn.Flatten(), nn.Linear(64, 3)
        )
        return module, (2, 6, 6), {"reuse_factor": reuse, "strategy": strategy}

    return build


def line_buffer_conv():
    torch.manual_seed(1)
    return nn.Sequential(nn.Conv2d(1, 2, 3, padding=1), nn.ReLU()), (1, 32, 32), {}


def mlp():
    torch.manual_seed(4)
    return nn.Sequential(nn.Linear(16, 32), nn.ReLU(), nn.Linear(32, 8), nn.Softmax(dim=1)), (16,), {}


def digits_cnn():
    """tests/models_trained.py's digits CNN, untrained: its FIFOs follow from its shapes, not its
    weights (and training would take longer than the rest of this file)."""
    import models_trained

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(models_trained, "_train", lambda model, *_: nn.Sequential(*model, nn.Softmax(dim=1)).eval())
        return models_trained.digits_cnn()[0], (1, 8, 8), {}


def shared(relative: str, shape: tuple[int, ...]) -> Callable[[], tuple[Path, tuple[int, ...], dict]]:
    """A model of ../shared/models used with io_stream in tests/test_shared_models.py."""
    return lambda: (shared_path(f"models/{relative}"), shape, {})


MODELS = {
    "residual": residual,
    "cnn_reuse1": reuse_cnn(1, "latency"),
    "cnn_reuse5": reuse_cnn(5, "resource"),
    "line_buffer_conv": line_buffer_conv,
    "mlp": mlp,
    "digits_cnn": digits_cnn,
    "conv1d_small_keras": shared("onnx/conv1d_small_keras.onnx", (10, 4)),
    "conv2d_small_keras": shared("onnx/conv2d_small_keras.onnx", (8, 8, 1)),
}


@dataclass
class Built:
    model: HLSModel
    inputs: np.ndarray


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Callable[[str], Built]:
    """Each model converted with io_stream, written and compiled both ways, once per module."""
    cache: dict[str, Built] = {}

    def get(key: str) -> Built:
        if key not in cache:
            folder = tmp_path_factory.mktemp(key)
            source, shape, options = MODELS[key]()
            path = source if isinstance(source, Path) else save(torch_to_onnx(source, shape), folder / f"{key}.onnx")
            model = convert(path, io_type="io_stream", output_dir=folder / "prj", **options)
            model.write()
            model.compile()
            model.compile(bounded=True)
            inputs = np.random.default_rng(7).normal(size=(SAMPLES, *shape))
            cache[key] = Built(model, inputs)
        return cache[key]

    return get


def pragma_depths(project: Path, name: str) -> dict[str, int]:
    top = (project / "firmware" / f"{name}.cpp").read_text()
    return {n: int(d) for n, d in re.findall(r"#pragma HLS STREAM variable=(\w+) depth=(\d+)", top)}


@pytest.mark.slow  # two C-simulation builds per model
@pytest.mark.parametrize("key", list(MODELS))
def test_computed_depths_run_bit_exact(key, built):
    """At the computed depths: no deadlock, outputs == unbounded C simulation == emulator."""
    b = built(key)
    assert b.model.fifo_depths() == pragma_depths(b.model.output_dir, b.model.name)
    bounded = b.model.predict(b.inputs, bounded=True)
    np.testing.assert_array_equal(bounded, b.model.predict(b.inputs))
    np.testing.assert_array_equal(bounded, b.model.emulate(b.inputs))


def skip_fifo(model: HLSModel) -> str:
    """The skip connection's FIFO: the fork's copy of the input waiting for the convolutions (the
    deepest of the fork's outputs)."""
    depths = model.fifo_depths()
    return max((f for f in depths if f.startswith("fork_")), key=depths.__getitem__)


def test_skip_fifo_below_its_smallest_depth_deadlocks(built):
    """The residual CNN's skip FIFO (the fork's copy of x for the add, waiting for two 3x3
    convolutions): one packet less than its smallest deadlock-free depth deadlocks, naming it as
    full (and the streams its readers wait on as empty); that depth runs."""
    b = built("residual")
    skip = skip_fifo(b.model)
    smallest = b.model._bounded_csim.smallest_depth(skip, [b.inputs[:2]])
    assert 1 < smallest <= b.model.fifo_depths()[skip]
    with pytest.raises(DeadlockError) as error:
        b.model.predict(b.inputs, depths={skip: smallest - 1})
    message = str(error.value)
    assert "\n" not in message and message.startswith(f"deadlock: fifo {skip} (depth {smallest - 1}) full")
    assert error.value.full == [skip] and error.value.empty and skip not in error.value.empty
    assert error.value.samples == list(range(SAMPLES))  # every sample: no data decides a deadlock here
    at_smallest = b.model.predict(b.inputs, depths={"fork_out1": smallest})
    np.testing.assert_array_equal(at_smallest, b.model.emulate(b.inputs))
    with pytest.raises(KeyError, match="no FIFO 'nope'"):
        b.model.predict(b.inputs, depths={"nope": 3})


def test_depth_search_on_the_residual_cnn(built):
    """Computed vs smallest per FIFO: smallest <= computed everywhere; for the two long FIFOs (the
    skip and the 1x1 branch into the concat, both waiting for two 3x3 convolutions) the search is
    tight: one less deadlocks."""
    b = built("residual")
    check = b.model.check_fifos(b.inputs[:4])
    print(check)
    assert check.samples == 4 and check.bit_exact == 4 and check.unbounded_equal == 4
    assert check.computed == b.model.fifo_depths()
    assert set(check.smallest) == set(check.computed)
    assert all(1 <= check.smallest[f] <= check.computed[f] for f in check.computed)
    sim = b.model._bounded_csim
    long_ones = [f for f, d in check.computed.items() if d > 2]
    assert len(long_ones) == 2 and skip_fifo(b.model) in long_ones, check.computed
    for fifo in long_ones:
        assert check.smallest[fifo] > 1
        assert sim.deadlocks([b.inputs[:2]], {fifo: check.smallest[fifo] - 1})
        assert not sim.deadlocks([b.inputs[:2]], {fifo: check.smallest[fifo]})
    header = check.table().splitlines()[0]
    assert [c.strip() for c in header.split("|")] == ["fifo", "computed", "smallest deadlock-free"]
    before = (b.model.output_dir / "report.txt").read_text()
    for _ in range(2):  # merged twice: one section, the last
        check.merge_into_report(b.model.output_dir)
    assert (b.model.output_dir / "report.txt").read_text() == before.rstrip("\n") + "\n\n" + str(check)
    report = json.loads((b.model.output_dir / "report.json").read_text())
    assert {r["fifo"]: r["smallest_deadlock_free"] for r in report["fifo_check"]["fifos"]} == check.smallest


def test_check_on_the_cli_prints_and_records_the_table(tmp_path, capsys):
    torch.manual_seed(5)
    path = save(torch_to_onnx(Skip(), (1, 6, 6)), tmp_path / "skip.onnx")
    out = tmp_path / "prj"
    assert main([str(path), "-o", str(out), "--io-type", "io_stream", "--check", "3"]) == 0
    stdout = capsys.readouterr().out
    report = json.loads((out / "report.json").read_text())["fifo_check"]
    rows = {row["fifo"]: (row["computed"], row["smallest_deadlock_free"]) for row in report["fifos"]}
    assert report["samples"] == 3 and report["bit_exact"] == 3
    assert {f: c for f, (c, _) in rows.items()} == pragma_depths(out, "skip")
    skip = max(rows, key=lambda f: rows[f][0])  # the FIFO around the convolution
    computed, smallest = rows[skip]
    assert 1 < smallest <= computed
    row = re.compile(rf"^{skip}\s+\|\s+{computed}\s+\|\s+{smallest}$", re.M)
    assert re.search(r"^fifo\s+\| computed \| smallest deadlock-free$", stdout, re.M), stdout
    assert row.search(stdout), stdout
    assert row.search((out / "report.txt").read_text())


@pytest.mark.slow  # a bounded build with Xilinx's ap_types headers
def test_names_that_meet_the_bounded_machinery(tmp_path):
    """A design named `bounded` with kernels named after what the bounded build declares (its
    namespace, classes, arrays, the region variable) still compiles and runs bounded; with Xilinx's
    ap_types where hls4ml is installed (our hls_stream.h is still used: theirs has no bounded FIFOs)."""
    torch.manual_seed(6)
    names = ["stream", "region", "deadlock", "bounded_fifo_depths", "fifo_detail", "dataflow", "data", "x"]
    module = nn.Sequential(*[nn.ReLU() if i % 2 else nn.Linear(4, 4) for i in range(len(names))])
    proto = torch_to_onnx(module, (4,))
    for node, name in zip(proto.graph.node, names):
        node.name = name
    model = convert(save(proto, tmp_path / "bounded.onnx"), io_type="io_stream", output_dir=tmp_path / "prj")
    assert model.name == "bounded"
    model.write()
    model.compile(bounded=True, headers=xilinx_headers())
    x = np.random.default_rng(8).normal(size=(5, 4))
    np.testing.assert_array_equal(model.predict(x, bounded=True), model.emulate(x))


def test_bounded_is_for_io_stream_designs(tmp_path):
    torch.manual_seed(7)
    path = save(torch_to_onnx(nn.Linear(3, 2), (3,)), tmp_path / "lin.onnx")
    model = convert(path, output_dir=tmp_path / "prj")
    model.write()
    with pytest.raises(CompileError, match="io_stream"):
        model.compile(bounded=True)
    with pytest.raises(CompileError, match=r"compile\(bounded=True\)"):
        model.predict(np.zeros((1, 3)), bounded=True)
