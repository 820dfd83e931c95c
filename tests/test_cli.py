"""The command line: the README's command, IR inspection, and one-line errors for bad input."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from onnx import TensorProto, helper
from support import ROOT, dense_layers, make_model, save
from xdsl.parser import Parser

from compiler.__main__ import main
from compiler.pipeline import Options, make_context, stage_names


def small_model(tmp_path, name="small.onnx"):
    ((w, b),) = dense_layers([4, 3], np.random.default_rng(0))
    nodes = [
        helper.make_node("Gemm", ["x", "w", "b"], ["h"], name="fc"),
        helper.make_node("Relu", ["h"], ["y"], name="act"),
    ]
    return save(make_model(nodes, [4], [3], {"w": w, "b": b}), tmp_path / name)


def run_cli(args, capsys):
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_readme_command_on_the_bundled_example(tmp_path):
    out = tmp_path / "jet"
    result = subprocess.run(
        [sys.executable, "-m", "compiler", str(ROOT / "examples" / "jet_mlp.onnx"), "-o", str(out), "--check", "300"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "C simulation == emulator bit for bit on 300/300" in result.stdout
    for path in [
        "firmware/jet_mlp.cpp",
        "firmware/jet_mlp.h",
        "firmware/defines.h",
        "build_prj.tcl",
        "jet_mlp_test.cpp",
        "report.txt",
        "report.json",
        "tb_data/tb_input_features.dat",
    ]:
        assert (out / path).is_file(), path


def test_dump_ir_writes_every_stage_reparseable(tmp_path, capsys):
    dump = tmp_path / "ir"
    code, _, err = run_cli([small_model(tmp_path), "-o", tmp_path / "prj", "--dump-ir", dump], capsys)
    assert code == 0, err
    files = sorted(p.name for p in dump.iterdir())
    assert files == [f"{i:02d}-{stage}.mlir" for i, stage in enumerate(stage_names(Options()))]
    for path in dump.iterdir():
        text = path.read_text()
        module = Parser(make_context(), text).parse_module()
        module.verify()
        assert str(module) + "\n" == text


@pytest.mark.parametrize("stage", ["import", "nn-to-fixed", "fixed-to-dataflow"])
def test_stop_after_prints_the_ir(stage, tmp_path, capsys):
    out = tmp_path / "prj"
    code, text, _ = run_cli([small_model(tmp_path), "-o", out, "--stop-after", stage], capsys)
    assert code == 0
    assert {"import": "nn.dense", "nn-to-fixed": "fixed.dense", "fixed-to-dataflow": "dataflow.kernel"}[stage] in text
    assert not out.exists()


def assert_clean_failure(code, out_text, err, out_dir, *fragments):
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    assert "Traceback" not in err + out_text
    assert not out_dir.exists()


def test_missing_file(tmp_path, capsys):
    out = tmp_path / "prj"
    assert_clean_failure(*run_cli([tmp_path / "nope.onnx", "-o", out], capsys), out, "nope.onnx", "no such file")


def test_not_an_onnx_file(tmp_path, capsys):
    bogus = tmp_path / "bogus.onnx"
    bogus.write_text("this is not a protobuf\n" * 10)
    out = tmp_path / "prj"
    assert_clean_failure(*run_cli([bogus, "-o", out], capsys), out, "bogus.onnx", "not an ONNX model")


def test_unsupported_op_names_the_node(tmp_path, capsys):
    nodes = [helper.make_node("LRN", ["x"], ["y"], name="my_lrn", size=3)]
    path = save(make_model(nodes, [4, 2, 2], [4, 2, 2], {}), tmp_path / "lrn.onnx")
    out = tmp_path / "prj"
    assert_clean_failure(*run_cli([path, "-o", out], capsys), out, "node 'my_lrn'", "LRN", "not supported")


def test_dynamic_non_batch_dimension(tmp_path, capsys):
    graph = helper.make_graph(
        [helper.make_node("Relu", ["x"], ["y"], name="r")],
        "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", "features"])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", "features"])],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    path = save(model, tmp_path / "dynamic.onnx")
    out = tmp_path / "prj"
    assert_clean_failure(*run_cli([path, "-o", out], capsys), out, "input 'x'", "dimension 1 is dynamic")


def test_bad_precision_is_one_line(tmp_path, capsys):
    out = tmp_path / "prj"
    code, text, err = run_cli([small_model(tmp_path), "-o", out, "--precision", "ap_fixed<16>"], capsys)
    assert_clean_failure(code, text, err, out, "malformed precision 'ap_fixed<16>'")


def test_constants_wider_than_64_bits_are_one_line(tmp_path, capsys):
    out = tmp_path / "prj"
    code, text, err = run_cli([small_model(tmp_path), "-o", out, "--precision", "ap_fixed<200,100>"], capsys)
    assert_clean_failure(code, text, err, out, "constants of type ap_fixed<200,100> need more than 64 bits")


def test_existing_output_needs_force(tmp_path, capsys):
    out = tmp_path / "prj"
    out.mkdir()
    (out / "mine.txt").write_text("user data")
    model = small_model(tmp_path)
    code, _, err = run_cli([model, "-o", out], capsys)
    assert code == 2 and "use --force" in err
    assert (out / "mine.txt").read_text() == "user data"
    code, _, err = run_cli([model, "-o", out, "--force"], capsys)
    assert code == 0, err
    assert not (out / "mine.txt").exists() and (out / "firmware" / "small.cpp").is_file()


def test_names_are_sanitised(tmp_path, capsys):
    path = small_model(tmp_path, name="my model-v2 (final).onnx")
    out = tmp_path / "prj"
    code, _, err = run_cli([path, "-o", out], capsys)
    assert code == 0, err
    top = (out / "firmware" / "my_model_v2_final.cpp").read_text()
    assert "void my_model_v2_final(" in top


def test_generated_test_bench_passes(tmp_path, capsys):
    """The project's own test bench (what Vitis runs in csim) agrees with the emulator's tb_data."""
    out = tmp_path / "prj"
    code, _, err = run_cli([small_model(tmp_path), "-o", out], capsys)
    assert code == 0, err
    from runtime.build import OUR_HEADERS

    sources = [
        out / "small_test.cpp",
        out / "firmware" / "small.cpp",
        *sorted((out / "firmware" / "kernels").glob("*.cpp")),
    ]
    subprocess.run(
        [
            "g++",
            "-std=c++14",
            "-O1",
            "-Wno-unknown-pragmas",
            f"-I{OUR_HEADERS}",
            f"-I{out}",
            f"-I{out / 'firmware'}",
            *map(str, sources),
            "-o",
            str(out / "tb"),
        ],
        check=True,
    )
    result = subprocess.run([str(out / "tb")], cwd=out, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
    assert "16 samples, 0 outputs differ from the emulator" in result.stdout


# -------------------------------------------------------------------------------------------------
# The C++ compiler: missing is the user's to fix (status 2), rejecting our C++ is our bug (status 1)


@pytest.mark.parametrize("cxx", ["nonexistent", "unset"])
def test_missing_cxx_compiler_says_what_to_install(cxx, tmp_path, capsys, monkeypatch):
    if cxx == "unset":  # no CXX, and no g++ on PATH
        monkeypatch.delenv("CXX", raising=False)
        monkeypatch.setenv("PATH", str(tmp_path / "empty"))
        hint = ""
    else:
        missing = tmp_path / "bin" / "no-such-g++"
        monkeypatch.setenv("CXX", str(missing))
        hint = f"CXX={str(missing)!r} is not an executable program; "
    code, _, err = run_cli([small_model(tmp_path), "-o", tmp_path / "prj", "--compile"], capsys)
    assert code == 2, err
    assert err.splitlines() == [f"error: no C++ compiler found: {hint}install g++ or set CXX"]
    assert not (tmp_path / "prj").exists()  # said before anything was written


def corrupt_a_kernel(project) -> None:
    kernel = sorted((project / "firmware" / "kernels").glob("*.cpp"))[0]
    kernel.write_text(kernel.read_text() + "\nnot_a_type broken_declaration;\n")


def test_rejected_generated_cpp_is_an_internal_error_with_a_log(tmp_path):
    from compiler.api import convert
    from runtime.build import BuildError

    project = tmp_path / "prj"
    model = convert(small_model(tmp_path), output_dir=project)
    model.write()
    corrupt_a_kernel(project)
    with pytest.raises(BuildError) as caught:
        model.compile()
    log = project.resolve() / "csim" / "build.log"
    message = str(caught.value)
    assert message.startswith("g++ rejected the generated C++: "), message
    assert "not_a_type" in message and message.endswith(f"(full output in {log})")
    text = log.read_text()
    assert text.startswith("$ ") and "-c" in text.splitlines()[0]  # the command, then g++'s whole output
    assert "not_a_type" in text and "error" in text


def test_rejected_generated_cpp_exits_with_1_through_the_cli(tmp_path, capsys, monkeypatch):
    import compiler.api
    from runtime.build import compile_project

    def corrupted_build(project, name, **options):
        corrupt_a_kernel(project)
        return compile_project(project, name, **options)

    monkeypatch.setattr(compiler.api, "compile_project", corrupted_build)
    project = tmp_path / "prj"
    code, _, err = run_cli([small_model(tmp_path), "-o", project, "--compile"], capsys)
    assert code == 1, err
    (line,) = err.splitlines()
    assert line.startswith("error: internal error: g++ rejected the generated C++: "), line
    assert line.endswith(f"(full output in {project.resolve() / 'csim' / 'build.log'})")
