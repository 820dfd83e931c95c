"""Hostile and broken input, tested from the outside: malformed models, hostile names, the output
directory, and the reserved-name list.

- Malformed models (truncated or empty file, missing initializer, cycle, unknown domain, dynamic or
  zero-size dimension, a 2^31-element tensor declared but absent, NaN/inf weights, ...) and external
  data pointing outside the model's folder: `python -m compiler` in a subprocess must exit with 2,
  print exactly one line `error: ...` naming the problem and the node, no traceback, and leave no
  output directory (nor a staging directory beside it).
- Hostile names (quotes, newlines, `*/`, `#include`, `../`, spaces, non-ASCII, terminal escapes, C++
  keywords, library macros and typedefs, names colliding after sanitising) in nodes, tensors, the
  graph, the model's metadata and the file name: the project compiles with g++, its C simulation and
  test bench agree with the emulator, no raw hostile text appears in C++ (which is printable ASCII
  throughout), file names stay inside the output directory, the report, JSON and IR keep the names
  escaped and faithful, build_prj.tcl names only files that exist.
- Output directory: never replaced without --force, never the current directory or one holding the
  input, and a failure half-way (a write that fails) leaves no partial project and the old one intact.
- The reserved-name list of dialects/names.py against g++: every identifier the included headers
  declare (ours and Xilinx's) must be changed by the sanitiser, or be declarable as a function.
"""

from __future__ import annotations

import errno
import json
import os
import re
import resource
import signal
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import onnx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from onnx import TensorProto, helper, numpy_helper
from support import dense_layers, make_model, save
from xdsl.parser import Parser

from compiler.api import convert
from compiler.pipeline import make_context
from dialects.errors import CompileError
from dialects.names import UniqueNames, ascii_text, c_identifier, is_reserved
from runtime.build import OUR_HEADERS, xilinx_headers

RNG = np.random.default_rng(6)
((W, B),) = dense_layers([4, 3], RNG)


def cli(*args, cwd=None, limit_file_size: int | None = None) -> subprocess.CompletedProcess:
    def limit():  # files larger than this fail with EFBIG (the signal that would kill us is ignored)
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit_file_size, limit_file_size))

    return subprocess.run(
        [sys.executable, "-m", "compiler", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        preexec_fn=limit if limit_file_size else None,
    )


def assert_refused(result: subprocess.CompletedProcess, out: Path, *fragments: str) -> str:
    """Exit status 2, one line on stderr naming the fragments, no traceback, nothing written."""
    lines = result.stderr.splitlines()
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert lines[0].isprintable(), lines[0]
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    assert "Traceback" not in result.stdout + result.stderr
    assert not out.exists()
    assert not [p for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.")], "staging directory left"
    return lines[0]


def gemm_relu(initializers=None, nodes=None, shape=(4,), out_shape=(3,)) -> onnx.ModelProto:
    nodes = nodes or [
        helper.make_node("Gemm", ["x", "w", "b"], ["h"], name="fc"),
        helper.make_node("Relu", ["h"], ["y"], name="act"),
    ]
    initializers = {"w": W, "b": B} if initializers is None else initializers
    graph = helper.make_graph(
        nodes,
        "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", *shape])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", *out_shape])],
        [numpy_helper.from_array(np.asarray(v), k) for k, v in initializers.items()],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    return model


def relu_graph(input_dims, nodes=None, domain_opset=()) -> onnx.ModelProto:
    graph = helper.make_graph(
        nodes or [helper.make_node("Relu", ["x"], ["y"], name="r")],
        "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, input_dims)],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, input_dims)],
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13), *domain_opset])


def with_weight(w) -> onnx.ModelProto:
    return gemm_relu({"w": w, "b": B})


def declared_but_absent(dims) -> onnx.ModelProto:
    model = gemm_relu()
    tensor = model.graph.initializer[0]
    tensor.ClearField("raw_data")
    del tensor.dims[:]
    tensor.dims.extend(dims)
    return model


def nan_constant() -> onnx.ModelProto:
    w = W.copy()
    w[0, 0] = np.nan
    constant = helper.make_node("Constant", [], ["w"], name="const_w", value=numpy_helper.from_array(w))
    nodes = [constant, helper.make_node("Gemm", ["x", "w", "b"], ["y"], name="fc")]
    return gemm_relu({"b": B}, nodes)


def external(location: str, in_constant: bool = False, **info: int) -> onnx.ModelProto:
    """The Gemm model with its weight stored as external data at `location`."""
    model = gemm_relu()
    if in_constant:
        del model.graph.initializer[0]
        constant = helper.make_node("Constant", [], ["w"], name="const_w", value=numpy_helper.from_array(W, "w"))
        model.graph.node.insert(0, constant)
        tensor = model.graph.node[0].attribute[0].t
    else:
        tensor = model.graph.initializer[0]
    tensor.ClearField("raw_data")
    tensor.data_location = TensorProto.EXTERNAL
    tensor.external_data.add(key="location", value=location)
    for key, value in info.items():
        tensor.external_data.add(key=key, value=str(value))
    return model


W_NAN, W_INF, W_BIG = W.copy(), W.copy(), W.astype(np.float64)
W_NAN[1, 2], W_INF[3, 0], W_BIG[2, 2] = np.nan, -np.inf, 1e300
ESCAPE = "bad\x1b[2J\nname\u202e"
# name -> (model or raw bytes, the fragments the one-line message must hold)
MALFORMED = {
    "truncated": (gemm_relu().SerializeToString()[:150], ["truncated.onnx", "not an ONNX model"]),
    "empty": (b"", ["empty.onnx", "not an ONNX model"]),
    "missing_initializer": (gemm_relu({"b": B}), ["node 'fc' (Gemm)", "input 'w' is missing"]),
    "cycle": (
        relu_graph(
            ["N", 4],
            [
                helper.make_node("Relu", ["x"], ["a"], name="first"),
                helper.make_node("Add", ["a", "c"], ["b"], name="add"),
                helper.make_node("Relu", ["b"], ["c"], name="loop"),
                helper.make_node("Relu", ["c"], ["y"], name="last"),
            ],
        ),
        ["node 'add' (Add)", "cycle", "add -> loop -> add"],
    ),
    "unknown_domain": (
        relu_graph(["N", 4], [helper.make_node("Frob", ["x"], ["y"], name="frob", domain="com.evil")]),
        ["node 'frob' (com.evil.Frob)", "domain 'com.evil' is not supported"],
    ),
    "unknown_domain_with_opset": (
        relu_graph(
            ["N", 4],
            [helper.make_node("Frob", ["x"], ["y"], name="frob", domain="com.evil")],
            [helper.make_opsetid("com.evil", 1)],
        ),
        ["node 'frob' (com.evil.Frob)", "domain 'com.evil' is not supported"],
    ),
    "dynamic_dimension": (relu_graph(["N", "features"]), ["input 'x'", "dimension 1 is dynamic (features)"]),
    "zero_size_input": (relu_graph(["N", 0]), ["input 'x'", "dimension 1 has size 0"]),
    "zero_size_batch": (relu_graph([0, 4]), ["input 'x'", "dimension 0 has size 0"]),
    "zero_size_weight": (with_weight(np.zeros((4, 0), np.float32)), ["node 'fc' (Gemm)", "size 0"]),
    "huge_initializer_absent": (
        declared_but_absent([2**31]),
        ["initializer 'w'", "node 'fc'", "2147483648", "holds 0"],
    ),
    "huge_2d_initializer_absent": (declared_but_absent([2**16, 2**15]), ["initializer 'w'", "node 'fc'", "holds 0"]),
    "huge_input": (relu_graph(["N", 2**16, 2**15]), ["input 'x'", "2147483648 elements per sample"]),
    "nan_weight": (with_weight(W_NAN), ["initializer 'w'", "node 'fc'", "NaN or infinity", "[1, 2]"]),
    "inf_weight": (with_weight(W_INF), ["initializer 'w'", "node 'fc'", "NaN or infinity", "[3, 0]"]),
    "beyond_float32": (with_weight(W_BIG), ["initializer 'w'", "node 'fc'", "beyond the float32 range"]),
    "nan_constant": (nan_constant(), ["node 'const_w' (Constant)", "NaN or infinity"]),
    "gemm_one_input": (
        gemm_relu({}, [helper.make_node("Gemm", ["x"], ["y"], name="fc")]),
        ["node 'fc' (Gemm)", "has 1 inputs", "2 to 3"],
    ),
    "conv_without_weight_shape": (
        relu_graph(["N", 2, 5], [helper.make_node("Conv", ["x"], ["y"], name="conv")]),
        ["node 'conv' (Conv)", "has 1 inputs"],
    ),
    "two_producers": (
        relu_graph(
            ["N", 4],
            [helper.make_node("Relu", ["x"], ["y"], name="r1"), helper.make_node("Relu", ["x"], ["y"], name="r2")],
        ),
        ["node 'r2' (Relu)", "output 'y' is also produced by node 'r1'"],
    ),
    "output_not_computed": (
        relu_graph(["N", 4], [helper.make_node("Relu", ["x"], ["z"], name="r")]),
        ["output 'y'"],
    ),
    "escape_in_name": (
        relu_graph(["N", 4], [helper.make_node("LRN", ["x"], ["y"], name=ESCAPE, size=3)]),
        ["node 'bad\\x1b[2J name\\u202e' (LRN)", "not supported"],
    ),
    "external_dotdot": (external("../secret.bin"), ["tensor 'w'", "'../secret.bin' outside the model's folder"]),
    "external_absolute": (external("/etc/hostname"), ["tensor 'w'", "'/etc/hostname' outside"]),
    "external_symlink_out": (external("link_out.bin"), ["tensor 'w'", "'link_out.bin' outside"]),
    "external_nested_dotdot": (external("sub/../../secret.bin"), ["tensor 'w'", "outside"]),
    "external_in_constant": (external("../secret.bin", in_constant=True), ["tensor 'w'", "outside"]),
    "external_missing": (external("nope.bin"), ["tensor 'w'", "'nope.bin', which is missing"]),
    "external_directory": (external("sub"), ["tensor 'w'", "'sub', which is missing or not a file"]),
    "external_no_location": (external(""), ["tensor 'w'", "has no location"]),
    "external_nul_byte": (external("w\x00.bin"), ["tensor 'w'", "not a file name"]),
    "external_beyond_end": (external("w.bin", offset=40, length=48), ["tensor 'w'", "beyond its end"]),
    "external_too_short": (external("w.bin", length=8), ["initializer 'w'", "node 'fc'", "holds 2"]),
}


@pytest.fixture(scope="module")
def malformed_runs(tmp_path_factory):
    """Every malformed model through the CLI, two at a time."""
    root = tmp_path_factory.mktemp("malformed")
    models = root / "models"
    (models / "sub").mkdir(parents=True)
    (root / "secret.bin").write_bytes(W.tobytes())
    (models / "w.bin").write_bytes(W.tobytes())
    os.symlink(root / "secret.bin", models / "link_out.bin")
    jobs = {}
    for name, (content, _) in MALFORMED.items():
        path = models / f"{name}.onnx"
        path.write_bytes(content if isinstance(content, bytes) else content.SerializeToString())
        jobs[name] = (path, root / f"out_{name}")
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {name: pool.submit(cli, path, "-o", out, cwd=root) for name, (path, out) in jobs.items()}
        return {name: (futures[name].result(), jobs[name][1]) for name in jobs}


@pytest.mark.slow  # a `python -m compiler` process per case
@pytest.mark.parametrize("case", list(MALFORMED))
def test_malformed_model_is_one_line(case, malformed_runs):
    result, out = malformed_runs[case]
    assert_refused(result, out, *MALFORMED[case][1])


def test_external_data_inside_the_folder_is_read(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "w.bin").write_bytes(W.tobytes())
    path = save(external("data/w.bin"), tmp_path / "ext.onnx")
    out = tmp_path / "prj"
    result = cli(path, "-o", out, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    inline = convert(gemm_relu())
    assert (out / "firmware" / "weights" / "fc.h").read_text() == inline.files()["firmware/weights/fc.h"]


def test_missing_model_and_directory(tmp_path):
    out = tmp_path / "prj"
    assert_refused(cli(tmp_path / "nope.onnx", "-o", out), out, "nope.onnx", "no such file")
    assert_refused(cli(tmp_path, "-o", out), out, "no such file")


@pytest.mark.parametrize(
    "option, fragment",
    [
        (["--reuse-factor", "abc"], "--reuse-factor"),
        (["--io-type", "io_bogus"], "--io-type"),
        (["--precision", "ap_fixed<16>"], "ap_fixed<16>"),
        (["--table-size", "1000"], "1000"),
        (["--reuse-factor", "0"], "0"),
    ],
)
def test_bad_option_is_one_line(option, fragment, tmp_path):
    path = save(gemm_relu(), tmp_path / "m.onnx")
    out = tmp_path / "prj"
    assert_refused(cli(path, "-o", out, *option), out, fragment)


# -------------------------------------------------------------------------------------------------
# Hostile names

HOSTILE = [
    'q"uote',
    "it's",
    "new\nline",
    "tab\tand\rreturn",
    "*/ int x = 1; /*",
    '#include "evil.h"',
    "../../escape",
    "/abs/path",
    "with space",
    "ünïcödé ✓ 名前",
    "back\\slash",
    "??=trigraph",
    "\x1b[2J\u202e",
    "int",
    "class",
    "main",
    "errno",
    "EOF",
    "FILE",
    "size_t",
    "int8",
    "AP_RND",
    "x",
    "y",
    "quantized",
    "a b",
    "a-b",
    "a_b",
    "9lives",
    "",
    "L" * 70 + "1",
    "L" * 70 + "2",
]
RAW = [n for n in HOSTILE if not re.fullmatch(r"[A-Za-z0-9_]*", n)]  # must never reach C++ as they are
GRAPH_NAME = 'graph "*/\n#include <evil>'
DOC = '*/ #include <evil.h>\n"quoted" ../../x'


def hostile_model() -> onnx.ModelProto:
    """A chain whose node names and intermediate tensor names are HOSTILE (Gemm, then activations)."""
    kinds = ["Gemm", "Relu", "Sigmoid", "Tanh", "LeakyRelu"]
    nodes, inits, previous = [], {}, "in put\n'x'"
    for i, name in enumerate(HOSTILE):
        kind = kinds[i % len(kinds)]
        out = f"{name} #{i}" if i < len(HOSTILE) - 1 else 'out "y"\n'
        inputs = [previous]
        if kind == "Gemm":
            w, b = dense_layers([3, 3], RNG)[0]
            inputs += [f"{name}/w", f"{name}/b"]
            inits[f"{name}/w"], inits[f"{name}/b"] = w, b
        nodes.append(helper.make_node(kind, inputs, [out], name=name))
        previous = out
    nodes[0].input[0] = "in put\n'x'"
    graph = helper.make_graph(
        nodes,
        GRAPH_NAME,
        [helper.make_tensor_value_info("in put\n'x'", TensorProto.FLOAT, ["N", 3])],
        [helper.make_tensor_value_info(previous, TensorProto.FLOAT, ["N", 3])],
        [numpy_helper.from_array(v, k) for k, v in inits.items()],
        doc_string=DOC,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name=DOC, doc_string=DOC)
    helper.set_model_props(model, {DOC: DOC})
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def strip_comments(text: str) -> str:
    """C++ text without its // comments (string literals respected)."""
    out = []
    for line in text.splitlines():
        in_string, i = False, 0
        while i < len(line):
            if line[i] == "\\" and in_string:
                i += 2
                continue
            if line[i] == '"':
                in_string = not in_string
            elif not in_string and line.startswith("//", i):
                break
            i += 1
        out.append(line[:i])
    return "\n".join(out)


def check_project(out: Path, design: str, node_names: list[str]) -> None:
    files = [p for p in out.rglob("*") if "csim" not in p.relative_to(out).parts]
    for path in files:
        assert not path.is_symlink() and path.resolve().is_relative_to(out.resolve()), path
        assert re.fullmatch(r"[A-Za-z0-9_./]+", str(path.relative_to(out))), path
    cpp = {p: p.read_text() for p in files if p.suffix in (".cpp", ".h")}
    for path, text in cpp.items():
        assert all(ch == "\n" or 32 <= ord(ch) < 127 for ch in text), f"{path}: not printable ASCII"
        assert "??" not in text and not re.search(r"\\\n", text), f"{path}: trigraph or line splice"
        code = strip_comments(text)
        assert "/*" not in code and "*/" not in code, f"{path}: block comment"
        for raw in RAW:
            if len(raw) > 2:
                assert raw not in code, f"{path}: raw name {raw!r}"
    # every global C++ name we declared is distinct, not reserved, and a plain identifier
    kernels = re.findall(r"void (\w+)\(", (out / "firmware" / "kernels.h").read_text())
    typedefs = re.findall(r"typedef .* (\w+);", (out / "firmware" / "defines.h").read_text())
    arrays = re.findall(r"static const \w+ (\w+)\[", "".join(cpp[p] for p in cpp if "weights" in p.parts))
    names = [design, *kernels, *typedefs, *arrays]
    assert len(set(names)) == len(names), sorted(n for n in names if names.count(n) > 1)
    for name in names:
        assert re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", name) and "__" not in name, name
        assert name.endswith("_") or not is_reserved(name), name
    # the report, its JSON and the IR keep the node names, escaped
    expected = {ascii_text(n) for n in node_names if n}  # as the IR holds them: see ascii_text
    report = json.loads((out / "report.json").read_text())
    layers = {layer["layer"] for layer in report["layers"]}
    assert expected <= layers, expected - layers
    text = (out / "report.txt").read_text()
    assert all(line.isprintable() for line in text.splitlines())
    for layer in report["layers"]:
        if layer["layer"] != layer["kernel"]:
            assert repr(layer["layer"]) in text
    module = Parser(make_context(), (out / f"{design}.mlir").read_text()).parse_module()
    module.verify()
    ir_layers = {op.properties["layer"].data for op in module.walk() if "layer" in op.properties}
    assert expected <= ir_layers
    # build_prj.tcl names files that exist, with plain names
    tcl = (out / "build_prj.tcl").read_text()
    assert all(ch == "\n" or 32 <= ord(ch) < 127 for ch in tcl)
    for listed in re.findall(r"add_files (?:-tb )?(\S+)", tcl):
        assert (out / listed).exists() and re.fullmatch(r"[A-Za-z0-9_./]+", listed), listed
    assert f"set_top {design}\n" in tcl


def run_test_bench(out: Path, design: str) -> None:
    """Compile the project's own test bench with g++ (its objects beside the C-simulation ones) and
    run it: it requires the design's outputs to equal the emulator's tb_data, bit for bit."""
    sources = [out / f"{design}_test.cpp", out / "firmware" / f"{design}.cpp"]
    sources += sorted((out / "firmware" / "kernels").glob("*.cpp"))
    flags = ["-std=c++14", "-O0", "-Wno-unknown-pragmas", f"-I{OUR_HEADERS}", f"-I{out}", f"-I{out / 'firmware'}"]
    build = subprocess.run(["g++", *flags, *map(str, sources), "-o", str(out / "tb")], capture_output=True, text=True)
    assert build.returncode == 0, build.stderr[-3000:]
    result = subprocess.run([str(out / "tb")], cwd=out, capture_output=True, text=True)
    assert result.returncode == 0 and ", 0 outputs differ" in result.stdout, result.stdout


@pytest.mark.slow  # a CLI process that builds the design, then its test bench built and run
def test_hostile_names_through_the_cli(tmp_path):
    """Hostile node, tensor and metadata names, and a hostile file name, io_parallel, --compile."""
    folder = tmp_path / 'we"ird #include <x>'
    folder.mkdir()
    path = save(hostile_model(), folder / 'my model\n"*\\ #include ü.onnx')
    out = tmp_path / "prj"
    result = cli(path, "-o", out, "--compile", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    design = "my_model_include"  # the file name, sanitised
    assert (out / "firmware" / f"{design}.cpp").is_file(), sorted(p.name for p in out.iterdir())
    assert not [line for line in result.stdout.splitlines() if not line.isprintable()]
    check_project(out, design, HOSTILE)
    run_test_bench(out, design)


@pytest.mark.slow  # builds and runs the io_stream design and its test bench
def test_hostile_names_through_the_api_io_stream(tmp_path):
    """The same names with the design named after the hostile graph name, io_stream: the C
    simulation equals the emulator and the test bench passes."""
    model = convert(hostile_model(), output_dir=tmp_path / "prj", io_type="io_stream")
    assert model.name == c_identifier(GRAPH_NAME) == "graph_include_evil"
    model.write()
    model.compile()
    x = np.random.default_rng(0).normal(size=(64, 3))
    assert np.array_equal(model.predict(x), model.emulate(x))
    check_project(tmp_path / "prj", model.name, HOSTILE)
    run_test_bench(tmp_path / "prj", model.name)


def test_hostile_design_name_option(tmp_path):
    path = save(gemm_relu(), tmp_path / "m.onnx")
    out = tmp_path / "prj"
    result = cli(path, "-o", out, "--name", '../../"evil"\n/x', cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.onnx", "prj"]
    assert (out / "firmware" / "evil_x.cpp").is_file()


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_sanitised_names_are_plain_and_stable(text):
    ident = c_identifier(text)
    assert re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", ident) and "__" not in ident and len(ident) <= 65
    assert c_identifier(ident) == ident
    names = UniqueNames()
    taken = [names.take(t) for t in [text, text, ident, f"{ident}_1", text]]
    assert len(set(taken)) == len(taken)
    for name in [ident, *taken]:
        assert "__" not in name and (name.endswith("_") or not is_reserved(name)), name


HEADERS = ['"ap_fixed.h"', '"ap_int.h"', '"hls_stream.h"', "<cstdio>", "<fstream>", "<sstream>", "<string>", "<vector>"]


@pytest.mark.parametrize("std", ["c++14", "gnu++14"])
@pytest.mark.parametrize("headers", ["ours", pytest.param("xilinx", marks=pytest.mark.slow)])  # Xilinx's: slow g++
def test_no_header_identifier_passes_the_sanitiser(std, headers):
    """Every macro of the headers the generated code includes is changed by c_identifier, and every
    other identifier they contain that it keeps can be declared as a global function (as a kernel or
    the design is): g++ says which cannot."""
    include = OUR_HEADERS if headers == "ours" else xilinx_headers()
    assert include is not None, "hls4ml's copy of Xilinx's ap_types is missing (install the test extra)"
    head = "".join(f"#include {h}\n" for h in HEADERS)

    def gxx(*flags: str, source: str) -> subprocess.CompletedProcess:
        command = ["g++", f"-std={std}", f"-I{include}", *flags, "-x", "c++", "-"]
        return subprocess.run(command, input=source, capture_output=True, text=True)

    macros = set(re.findall(r"^#define (\w+)", gxx("-dM", "-E", source=head).stdout, re.M))
    assert not sorted(m for m in macros if c_identifier(m) == m)
    identifiers = set(re.findall(r"\b[A-Za-z_]\w*\b", gxx("-E", "-P", source=head).stdout))
    kept = sorted(i for i in identifiers - macros if c_identifier(i) == i)
    assert len(kept) > 1000  # the headers were read
    declarations = "".join(f"void {i}(const probe_t_* a, probe_t_* b);\n" for i in kept)
    result = gxx("-fsyntax-only", "-fmax-errors=0", "-w", source=f"{head}struct probe_t_ {{}};\n{declarations}")
    first = head.count("\n") + 2
    rejected = sorted(
        {kept[int(m) - first] for m in re.findall(r"<stdin>:(\d+):\d+: error", result.stderr) if int(m) >= first}
    )
    assert not rejected and result.returncode == 0, rejected or result.stderr[-2000:]


# -------------------------------------------------------------------------------------------------
# The output directory


def test_existing_directory_needs_force(tmp_path):
    path = save(gemm_relu(), tmp_path / "m.onnx")
    out = tmp_path / "prj"
    out.mkdir()
    (out / "mine.txt").write_text("user data")
    line = assert_refused_keeping(cli(path, "-o", out, cwd=tmp_path), out, {"mine.txt": b"user data"})
    assert "use --force" in line
    result = cli(path, "-o", out, "--force", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert not (out / "mine.txt").exists() and (out / "firmware" / "m.cpp").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.onnx", "prj"]  # nothing set aside is left


def assert_refused_keeping(result, out: Path, contents: dict[str, bytes]) -> str:
    """Refused in one line, `out` holding exactly `contents` still."""
    lines = result.stderr.splitlines()
    assert result.returncode == 2 and len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == contents
    return lines[0]


def test_never_replaces_the_current_directory_or_the_input(tmp_path):
    path = save(gemm_relu(), tmp_path / "m.onnx")
    line = assert_refused_keeping(
        cli(path, "-o", ".", "--force", cwd=tmp_path), tmp_path, {"m.onnx": path.read_bytes()}
    )
    assert "current directory" in line
    sub = tmp_path / "sub"
    sub.mkdir()
    model = save(gemm_relu(), sub / "m.onnx")
    line = assert_refused_keeping(cli(model, "-o", sub, "--force", cwd=tmp_path), sub, {"m.onnx": model.read_bytes()})
    assert "holds the input" in line


def test_output_path_that_is_a_file(tmp_path):
    path = save(gemm_relu(), tmp_path / "m.onnx")
    target = tmp_path / "file"
    target.write_text("keep")
    result = cli(path, "-o", target, "--force", cwd=tmp_path)
    assert result.returncode == 2 and "is not a directory" in result.stderr and target.read_text() == "keep"
    result = cli(path, "-o", target / "prj", cwd=tmp_path)
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr


def big_model(tmp_path: Path) -> Path:
    ((w, b),) = dense_layers([48, 48], RNG)
    nodes = [helper.make_node("Gemm", ["x", "w", "b"], ["y"], name="fc")]
    return save(make_model(nodes, [48], [48], {"w": w, "b": b}), tmp_path / "big.onnx")


@pytest.mark.slow  # two CLI processes per case; test_failure_half_way_through_the_api is the in-process check
@pytest.mark.parametrize("existing", [False, True])
def test_failure_half_way_leaves_no_partial_project(existing, tmp_path):
    """The CLI with a file-size limit: writing the weights header fails half-way (EFBIG)."""
    path = big_model(tmp_path)
    out = tmp_path / "prj"
    if existing:
        out.mkdir()
        (out / "old.txt").write_text("previous project")
    result = cli(path, "-o", out, "--force", cwd=tmp_path, limit_file_size=8192)
    if existing:
        line = assert_refused_keeping(result, out, {"old.txt": b"previous project"})
    else:
        line = assert_refused(result, out)
    assert "cannot write" in line and "too large" in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.onnx", *(["prj"] if existing else [])]
    assert cli(path, "-o", out, "--force", cwd=tmp_path).returncode == 0  # without the limit it works


def test_failure_half_way_through_the_api(tmp_path, monkeypatch):
    """write() whose fourth file fails: no project, no staging directory, the old project intact."""
    model = convert(gemm_relu())
    out = tmp_path / "prj"
    model.write(out)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    with pytest.raises(CompileError, match="use --force"):
        model.write(out)
    calls = []
    real = Path.write_text

    def failing(self, *args, **kwargs):
        calls.append(self)
        if len(calls) == 4:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", failing)
    with pytest.raises(CompileError, match="cannot write .*No space left on device"):
        model.write(out, force=True)
    calls.clear()
    with pytest.raises(CompileError, match="cannot write"):
        model.write(tmp_path / "new")
    monkeypatch.undo()
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["prj"]
