"""The Catapult and oneAPI backends (and Vivado's): the same dataflow IR printed with the Algorithmic C
types, built with g++ and run against the emulator bit for bit.

- every rounding and overflow mode of fixed.cast, exhaustively over the codes of several source
  types, through each backend's spelling of the types (AC_<mode>);
- the test models: the jet MLP, the digits CNN and the residual CNN in both io types, a QONNX model;
  each built with our AC headers (runtime/include) and with the real ones (the copy in the hls4ml
  wheel, hls4ml/templates/catapult/ac_types/include);
- the projects: Catapult's build_prj.tcl flow and FIFO depths, oneAPI's SYCL program, CMake and
  README, Vivado's script; the API's and the command line's errors.
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from support import gemm_mlp, save, shared_path, torch_to_onnx
from test_end_to_end import MODELS as END_TO_END

from compiler.__main__ import main
from compiler.api import convert
from compiler.emitter.project import emit_files
from compiler.emitter.vendors import VENDORS
from compiler.emitter.writer import write_tree
from dialects.errors import CompileError
from dialects.fixedpoint import FixedFormat, Overflow, Rounding, cast_codes, codes_to_floats
from runtime.build import compile_project
from runtime.csim import CSim

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(shutil.which("g++") is None, reason="needs g++")

AC_BACKENDS = ("catapult", "oneapi")


def real_ac_headers() -> Path:
    import hls4ml

    path = Path(hls4ml.__file__).parent / "templates" / "catapult" / "ac_types" / "include"
    if not (path / "ac_fixed.h").exists():  # pragma: no cover
        pytest.skip(f"the AC datatypes are not at {path}")
    return path


HEADERS = {"ours": lambda: None, "real": real_ac_headers}


# --------------------------------------------------------------------------------------------------
# Every cast mode, exhaustively

CAST_PAIRS = [
    (FixedFormat(10, 4, True), FixedFormat(6, 2, True)),
    (FixedFormat(10, 4, True), FixedFormat(5, 3, False)),
    (FixedFormat(9, 9, False), FixedFormat(7, 3, True)),
    (FixedFormat(8, 1, True), FixedFormat(4, 6, True)),
    (FixedFormat(9, 5, False), FixedFormat(5, 4, True)),
]


def _t(fmt: FixedFormat, n: int) -> str:
    return f"tensor<{n}x!fixed.fixed<{fmt.width}, {fmt.int_bits}, {'signed' if fmt.signed else 'unsigned'}>>"


def cast_module(n: int):
    """A design with one input per source type (n elements) and a kernel per (pair, rounding,
    overflow), every result returned to the host."""
    from xdsl.context import Context
    from xdsl.dialects.builtin import Builtin
    from xdsl.dialects.func import Func
    from xdsl.parser import Parser

    from dialects import dataflow, fixed, layout

    sources = list(dict.fromkeys(src for src, _ in CAST_PAIRS))
    cases, kernels, results = [], [], []
    for src, dst in CAST_PAIRS:
        for rounding in Rounding:
            for overflow in Overflow:
                k, i = len(cases), sources.index(src)
                cases.append((i, dst, rounding, overflow))
                t_in, t_out = _t(src, n), _t(dst, n)
                kernels.append(
                    f'  %y{k} = dataflow.kernel "c{k}"(%a{i}) reuse 1 latency : ({t_in}) -> {t_out} {{\n'
                    f"  ^bb0(%x: {t_in}):\n"
                    f"    %c = fixed.cast %x {rounding.value} {overflow.value} : {t_in} -> {t_out}\n"
                    f"    dataflow.yield %c : {t_out}\n  }}\n"
                )
                results.append(t_out)
    args = ", ".join(f"%a{i}: {_t(s, n)}" for i, s in enumerate(sources))
    outs = ", ".join(results)
    floats = ", ".join(f"tensor<{n}xf64>" for _ in cases)
    text = (
        f'func.func @casts({args}) -> ({outs}) attributes {{dataflow.io_type = #dataflow<io_type io_parallel>, dataflow.top = "pipeline"}} {{\n'
        + "".join(kernels)
        + f"  func.return {', '.join(f'%y{k}' for k in range(len(cases)))} : {outs}\n}}\n"
        + f"func.func @casts_host({', '.join(f'%f{i}: tensor<{n}xf32>' for i in range(len(sources)))}) -> ({floats}) {{\n"
        + "".join(
            f"  %q{i} = fixed.quantize %f{i} TRN WRAP : tensor<{n}xf32> -> {_t(s, n)}\n" for i, s in enumerate(sources)
        )
        + f"  %r:{len(cases)} = func.call @casts({', '.join(f'%q{i}' for i in range(len(sources)))}) : "
        + f"({', '.join(_t(s, n) for s in sources)}) -> ({outs})\n"
        + "".join(f"  %d{k} = fixed.dequantize %r#{k} : {results[k]} -> tensor<{n}xf64>\n" for k in range(len(cases)))
        + f"  func.return {', '.join(f'%d{k}' for k in range(len(cases)))} : {floats}\n}}\n"
    )
    ctx = Context()
    for dialect in (Builtin, Func, fixed.FIXED, dataflow.DATAFLOW, layout.LAYOUT):
        ctx.load_dialect(dialect)
    module = Parser(ctx, text).parse_module()
    module.verify()
    return module, sources, cases


@pytest.mark.parametrize("headers", HEADERS)
@pytest.mark.parametrize("backend", AC_BACKENDS)
def test_every_cast_mode_exhaustively(tmp_path, backend, headers):
    n = 1 << max(s.width for s, _ in CAST_PAIRS)
    module, sources, cases = cast_module(n)
    write_tree(tmp_path, emit_files(module, VENDORS[backend]))
    library = compile_project(tmp_path, "casts", headers=HEADERS[headers]())
    sim = CSim(library, "casts", [(n,)] * len(sources), [(n,)] * len(cases))
    # every code of each source type, as the exact value it stands for (the smaller ones repeated)
    codes = [np.resize(np.arange(s.min_code, s.max_code + 1), n) for s in sources]
    outputs = sim.predict(*(codes_to_floats(c, s).reshape(1, n) for c, s in zip(codes, sources)))
    spelled = emit_files(module, VENDORS[backend])["firmware/kernels/c1.cpp"]
    assert "AC_TRN, AC_SAT>" in spelled  # the AC mode names, not AP ones
    for (i, dst, rounding, overflow), got in zip(cases, outputs):
        want = codes_to_floats(cast_codes(codes[i], sources[i], dst, rounding, overflow), dst)
        bad = np.flatnonzero(got[0] != want)
        assert bad.size == 0, (
            f"{backend}: {sources[i]} -> {dst} {rounding.value} {overflow.value}: code {codes[i][bad[0]]} gives "
            f"{got[0][bad[0]]}, emulator {want[bad[0]]}"
        )


# --------------------------------------------------------------------------------------------------
# The test models


def _jet_mlp(tmp_path):
    from models_trained import jet_mlp

    x = np.random.default_rng(0).normal(size=(500, 16))
    return save(torch_to_onnx(jet_mlp(), (16,)), tmp_path / "jet.onnx"), x, {"precision": "ap_fixed<16,6>"}


@functools.cache
def _trained_digits_cnn():
    from models_trained import digits_cnn

    return digits_cnn()


def _digits_cnn(tmp_path):
    module, x, _ = _trained_digits_cnn()
    return save(torch_to_onnx(module, (1, 8, 8)), tmp_path / "cnn.onnx"), x[:400], {}


def _residual(tmp_path):
    import torch
    from test_io_stream import Residual

    torch.manual_seed(0)
    x = np.random.default_rng(2).normal(size=(200, 2, 8, 8))
    return (
        save(torch_to_onnx(Residual(), (2, 8, 8)), tmp_path / "residual.onnx"),
        x,
        {"precision": "ap_fixed<18,8,AP_RND,AP_SAT>"},
    )


def _qonnx(tmp_path):
    x = np.random.default_rng(3).normal(size=(500, 16))
    return shared_path("models/qonnx/qkeras_jettagging.onnx"), x, {}


MODELS = {"jet_mlp": _jet_mlp, "digits_cnn": _digits_cnn, "residual_cnn": _residual, "qkeras_jettagging": _qonnx}
CASES = [
    (model, io_type, headers)
    for model in MODELS
    for io_type in ("io_parallel", "io_stream")
    for headers in HEADERS
    if io_type == "io_parallel" or model in ("digits_cnn", "residual_cnn")
]


def _slow_unless(fast: bool):
    return [] if fast else [pytest.mark.slow]


@pytest.mark.parametrize(
    "model, io_type, headers",
    [
        pytest.param(*case, marks=_slow_unless(case[2] == "ours" or case[0] == "residual_cnn"), id="-".join(case))
        for case in CASES
    ],
)
def test_models_match_the_emulator(tmp_path, model, io_type, headers):
    """Each AC backend's C simulation == the emulator == the Vitis C simulation, bit for bit."""
    path, x, options = MODELS[model](tmp_path)
    compiled = convert(path, io_type=io_type, **options)
    want = compiled.emulate(x)
    for backend in AC_BACKENDS:
        compiled.write(tmp_path / backend, backend=backend)
        compiled.compile(headers=HEADERS[headers]())
        np.testing.assert_array_equal(compiled.predict(x), want, err_msg=f"{backend} C simulation")
    if headers == "ours":
        compiled.write(tmp_path / "vitis")
        compiled.compile()
        np.testing.assert_array_equal(compiled.predict(x), want, err_msg="vitis C simulation")


@pytest.mark.parametrize("io_type", ["io_parallel", "io_stream"])
@pytest.mark.parametrize("model", sorted(END_TO_END))
def test_end_to_end_models(tmp_path, model, io_type):
    """tests/test_end_to_end.py's models (softmax, sigmoid and tanh tables, branches) through both
    AC backends with our headers."""
    path = save(END_TO_END[model](np.random.default_rng(7)), tmp_path / f"{model}.onnx")
    compiled = convert(path, io_type=io_type)
    x = np.random.default_rng(1).normal(size=(500, *compiled.input_shapes[0])) * 2
    want = compiled.emulate(x)
    for backend in AC_BACKENDS:
        compiled.write(tmp_path / backend, backend=backend)
        compiled.compile()
        np.testing.assert_array_equal(compiled.predict(x), want, err_msg=backend)


@pytest.mark.parametrize(
    "name, io_type, reuse", [("lstm_2_layers_bidirectional", "io_parallel", 1), ("gru_2_layers", "io_stream", 2)]
)
def test_recurrent_models(tmp_path, name, io_type, reuse):
    """Recurrences (their time loop, or a time step per packet in io_stream) through both AC backends."""
    import torch
    from test_recurrent import CASES, FEATURES, PRECISION, STEPS, sequences

    torch.manual_seed(4)
    compiled = convert(
        CASES[name]().eval(), input_shape=(STEPS, FEATURES), precision=PRECISION, io_type=io_type, reuse_factor=reuse
    )
    x = sequences(300, seed=5)
    want = compiled.emulate(x)
    for backend in AC_BACKENDS:
        compiled.write(tmp_path / backend, backend=backend)
        compiled.compile()
        np.testing.assert_array_equal(compiled.predict(x), want, err_msg=backend)


# --------------------------------------------------------------------------------------------------
# The projects


@pytest.fixture(scope="module")
def mlp_path(tmp_path_factory):
    return gemm_mlp(tmp_path_factory.mktemp("mlp") / "mlp.onnx", sizes=(8, 12, 4))


def test_catapult_project(mlp_path):
    stream = convert(mlp_path, io_type="io_stream", reuse_factor=2).files(backend="catapult")
    script = stream["build_prj.tcl"]
    flow = [line.split()[1] for line in script.splitlines() if line.startswith("go ")]
    assert flow == ["analyze", "compile", "libraries", "assembly", "architect", "allocate", "schedule", "extract"]
    depths = [line for line in script.splitlines() if "-FIFO_DEPTH" in line]
    assert depths and all(line.startswith("directive set /mlp/") and ":cns -FIFO_DEPTH " in line for line in depths)
    top = stream["firmware/mlp.cpp"]
    assert top.index("#pragma hls_design top") < top.index("void mlp(ac_channel<")
    kernel = stream["firmware/kernels/fc1.cpp"]
    assert "#pragma hls_design\nvoid fc1(ac_channel<" in kernel  # a concurrent block of its own
    assert "#pragma hls_pipeline_init_interval 2\n" in kernel  # a position every reuse-factor cycles
    assert "#pragma HLS" not in "".join(stream[f] for f in stream if f.endswith((".cpp", ".h")))


def test_oneapi_project(mlp_path):
    files = convert(mlp_path, io_type="io_stream", reuse_factor=2).files(backend="oneapi")
    assert {"CMakeLists.txt", "README.md", "src/mlp_sycl.cpp", "firmware/nn2hls_fifo.h"} <= set(files)
    for target in ("fpga_emu", "report", "fpga"):
        assert f"add_custom_target({target}" in files["CMakeLists.txt"]
        assert f"make {target}" in files["README.md"]
    kernel = files["firmware/kernels/fc1.h"]  # a template over its streams: pipes on the device
    assert "template <class X0, class Y0>\nvoid fc1(X0& x0, Y0& y0)" in kernel
    assert "[[intel::initiation_interval(2)]]\n" in kernel
    program = files["src/mlp_sycl.cpp"]
    assert "sycl::ext::intel::pipe<class fc1_out_id, stream_packet<fc1_t, 12>, " in program
    assert "#include <sycl/ext/intel/ac_types/ac_fixed.hpp>" in files["firmware/defines.h"]
    parallel = convert(mlp_path, reuse_factor=4).files(backend="oneapi")
    assert (
        "[[intel::initiation_interval(1)]]\n    for (int round = 0; round < 4; round++)"
        in parallel["firmware/kernels/fc1.cpp"]
    )
    assert "queue().single_task<class mlp_kernel>" in parallel["src/mlp_sycl.cpp"]


SYCL_MOCK = Path(__file__).resolve().parent / "sycl_mock"


@pytest.mark.parametrize("io_type", ["io_parallel", "io_stream"])
def test_oneapi_sycl_program_runs_its_test_bench(mlp_path, tmp_path, io_type):
    """src/<name>_sycl.cpp and the sources CMakeLists.txt lists, built with g++ against a stand-in for the SYCL names it uses
    (tests/sycl_mock: kernels run in submission order, pipes are FIFOs, USM is host memory) and our
    AC types: its device function and pipes carry every sample of tb_data through the design, and
    its test bench finds the emulator's outputs. No icpx here: this checks the program's logic and
    syntax, not Intel's compiler."""
    compiled = convert(mlp_path, io_type=io_type, reuse_factor=2)
    project = compiled.write(tmp_path / "prj", backend="oneapi")
    program = tmp_path / "program"
    cmake = (project / "CMakeLists.txt").read_text()
    sources = [str(project / f) for f in re.search(r"^set\(SOURCES (.*)\)$", cmake, re.M).group(1).split()]
    command = [
        "g++", "-std=c++17", "-O1", "-Wno-attributes", "-DSYCL_LANGUAGE_VERSION=202001", "-DFPGA_EMULATOR",
        f"-I{SYCL_MOCK}", f"-I{ROOT / 'runtime' / 'include'}", f"-I{project}", f"-I{project / 'firmware'}",
        *sources, "-o", str(program),
    ]  # fmt: skip
    built = subprocess.run(command, capture_output=True, text=True)
    assert built.returncode == 0, built.stderr[-3000:]
    ran = subprocess.run([str(program)], cwd=project, capture_output=True, text=True, timeout=120)
    samples = len((project / "tb_data" / "tb_input_features.dat").read_text().splitlines())
    assert ran.returncode == 0 and ran.stdout.strip() == f"{samples} samples, 0 outputs differ from the emulator", (
        ran.stdout + ran.stderr
    )


def test_vivado_is_vitis_cpp_with_its_own_script(mlp_path):
    compiled = convert(mlp_path)
    vitis, vivado = compiled.files(backend="vitis"), compiled.files(backend="vivado")
    assert {f: t for f, t in vitis.items() if f != "build_prj.tcl"} == {
        f: t for f, t in vivado.items() if f != "build_prj.tcl"
    }
    assert "-flow_target vivado" in vitis["build_prj.tcl"] and "-flow_target" not in vivado["build_prj.tcl"]
    assert "vivado_hls -f build_prj.tcl" in vivado["build_prj.tcl"]


def test_backend_errors(mlp_path, tmp_path):
    compiled = convert(mlp_path, io_type="io_stream")
    with pytest.raises(CompileError, match="unknown backend 'quartus'"):
        compiled.write(tmp_path / "a", backend="quartus")
    compiled.write(tmp_path / "b", backend="catapult")
    with pytest.raises(CompileError, match="the project written is catapult's"):
        compiled.compile(backend="oneapi")
    with pytest.raises(CompileError, match="bounded-FIFO C simulation runs the vitis project"):
        compiled.compile(bounded=True)


@pytest.mark.parametrize("backend", AC_BACKENDS)
def test_cli_compiles_and_checks_each_backend(mlp_path, tmp_path, capsys, backend):
    assert main([str(mlp_path), "-o", str(tmp_path / backend), "--backend", backend, "--check", "200"]) == 0
    out = capsys.readouterr().out
    assert f"C simulation ({backend}) == emulator bit for bit on 200/200" in out
