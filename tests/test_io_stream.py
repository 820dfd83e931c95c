"""io_stream against io_parallel on graphs with fan-out and merges, and the FIFO depths.

A residual CNN (a skip connection around two convolutions, a concat of two branches, global
pooling, dense) compiles in both io types to bit-identical C simulations equal to the emulator and
within the quantisation error of torch. The FIFO depths come from the kernels' schedule: a skip path
around a 3x3 convolution holds about one image row plus the window's reach, the others stay at 2.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from support import save, torch_to_onnx

from compiler.api import convert
from compiler.report import format_report

torch = pytest.importorskip("torch")


class Residual(torch.nn.Module):
    def __init__(self):
        super().__init__()
        nn = torch.nn
        self.c1, self.c2 = nn.Conv2d(2, 2, 3, padding=1), nn.Conv2d(2, 2, 3, padding=1)
        self.c3, self.fc = nn.Conv2d(2, 3, 1), nn.Linear(5, 4)

    def forward(self, x):
        y = self.c2(torch.relu(self.c1(x))) + x  # skip connection: x is read twice
        z = torch.cat([torch.relu(y), self.c3(x)], dim=1)  # a merge of two branches
        return self.fc(torch.nn.functional.adaptive_avg_pool2d(z, 1).flatten(1))


@pytest.fixture(scope="module")
def residual(tmp_path_factory):
    torch.manual_seed(0)
    module = Residual().eval()
    path = save(torch_to_onnx(module, (2, 8, 8)), tmp_path_factory.mktemp("residual") / "residual.onnx")
    return module, path


def test_residual_cnn_both_io_types(residual, tmp_path):
    module, path = residual
    x = np.random.default_rng(0).normal(size=(200, 2, 8, 8))
    with torch.no_grad():
        reference = module(torch.tensor(x, dtype=torch.float32)).numpy()
    outputs = {}
    for io_type in ("io_parallel", "io_stream"):
        compiled = convert(path, io_type=io_type, precision="ap_fixed<18,8,AP_RND,AP_SAT>")
        compiled.write(tmp_path / io_type)
        compiled.compile()
        outputs[io_type] = compiled.predict(x)
        np.testing.assert_array_equal(outputs[io_type], compiled.emulate(x))
        assert np.abs(outputs[io_type] - reference).max() < 0.02
    np.testing.assert_array_equal(outputs["io_parallel"], outputs["io_stream"])


def test_stream_design_structure_and_fifo_depths(residual, tmp_path):
    _, path = residual
    compiled = convert(path, io_type="io_stream", precision="ap_fixed<18,8,AP_RND,AP_SAT>")
    compiled.write(tmp_path / "prj")
    top = (tmp_path / "prj" / "firmware" / f"{compiled.name}.cpp").read_text()
    assert "#pragma HLS DATAFLOW" in top
    assert "hls::stream<" in top
    pragmas = {name: int(d) for name, d in re.findall(r"#pragma HLS STREAM variable=(\S+) depth=(\d+)", top)}
    report = compiled.report
    reported = {}
    for layer in report["layers"]:
        depths = layer["fifo_depths"]
        for i, depth in enumerate(depths):
            reported[f"{layer['kernel']}_out{i if len(depths) > 1 else ''}"] = depth
    assert pragmas and all(reported[name] == depth for name, depth in pragmas.items()), (pragmas, reported)
    forks = [layer for layer in report["layers"] if layer["kernel"].startswith("fork")]
    assert forks, "the input is read by three kernels: it must be forked"
    # the skip path waits for two 3x3 convolutions: two rows of 8 pixels plus the windows' reach and
    # the pixel stages between them; the 1x1 branch into the concat waits as long
    skip = max(forks[0]["fifo_depths"])
    assert 18 <= skip <= 26, forks[0]["fifo_depths"]
    assert 18 <= reported["c3_Conv_out"] <= 26
    assert min(pragmas.values()) == 2
    assert "fifo depth" in format_report(report)
    assert report["latency_cycles"] >= 64  # at least one cycle per input pixel


def test_line_buffer_convolution_is_not_a_whole_image_buffer(tmp_path):
    """A 3x3 convolution over a 32x32 stream keeps the last rows only (a line buffer), not the image."""
    torch.manual_seed(1)
    module = torch.nn.Sequential(torch.nn.Conv2d(1, 2, 3, padding=1), torch.nn.ReLU()).eval()
    path = save(torch_to_onnx(module, (1, 32, 32)), tmp_path / "conv.onnx")
    compiled = convert(path, io_type="io_stream")
    compiled.write(tmp_path / "prj")
    kernels = "".join(p.read_text() for p in (tmp_path / "prj" / "firmware" / "kernels").glob("*.cpp"))
    sizes = [int(n) for n in re.findall(r"\[(\d+)\]", kernels)]
    assert max(sizes) < 32 * 32, "a buffer of the whole image"
    x = np.random.default_rng(2).normal(size=(20, 1, 32, 32))
    compiled.compile()
    np.testing.assert_array_equal(compiled.predict(x), compiled.emulate(x))


@pytest.mark.slow  # four C-simulation builds per io type
@pytest.mark.parametrize("io_type", ["io_parallel", "io_stream"])
def test_conv_reuse_factor_and_strategy_keep_the_arithmetic(io_type, tmp_path):
    """Reuse factors that divide a convolution's multiplications and one that does not, with both
    strategies: the same numbers as reuse 1, C simulation == emulator, ceil(work / reuse) multipliers
    in the report and in the C++'s ALLOCATION limit (per position in io_stream, where a window
    kernel computes one position per step of `reuse` cycles)."""
    torch.manual_seed(3)
    nn = torch.nn
    module = nn.Sequential(
        nn.Conv2d(2, 4, 3, padding=1), nn.ReLU(), nn.Conv2d(4, 4, 3, groups=4), nn.Flatten(), nn.Linear(64, 3)
    ).eval()
    path = save(torch_to_onnx(module, (2, 6, 6)), tmp_path / "cnn.onnx")
    x = np.random.default_rng(4).normal(size=(100, 2, 6, 6))
    outputs = {}
    for reuse, strategy in [(1, "latency"), (8, "latency"), (5, "resource"), (72, "resource")]:
        compiled = convert(path, io_type=io_type, reuse_factor=reuse, strategy=strategy)
        compiled.write(tmp_path / f"r{reuse}")
        compiled.compile()
        outputs[reuse] = compiled.predict(x)
        np.testing.assert_array_equal(outputs[reuse], compiled.emulate(x))
        np.testing.assert_array_equal(outputs[reuse], outputs[1])
        conv = next(layer for layer in compiled.report["layers"] if layer["layer"] == "/0/Conv")
        positions = 1 if io_type == "io_parallel" else 36
        assert conv["multiplications"] == 2 * 4 * 9 * 36
        assert conv["multipliers"] == -(-2 * 4 * 9 * 36 // positions // reuse), conv
        source = (tmp_path / f"r{reuse}" / "firmware" / "kernels" / f"{conv['kernel']}.cpp").read_text()
        if reuse > 1:  # the hardware has the multipliers the report counts
            assert f"#pragma HLS ALLOCATION operation instances=mul limit={conv['multipliers']}" in source
        if io_type == "io_stream":  # one window position per `reuse` cycles
            assert f"#pragma HLS PIPELINE II={reuse}" in source
