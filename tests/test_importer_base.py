"""The importer base the ONNX and torch importers share (compiler/importers/base.py, layers.py) and
the shape of the importer package.

Ops a handler builds are verified as it builds them, so that a parameter the op refuses is a one-line
CompileError naming the node (an ONNX BatchNormalization or Div used to pass the importer and fail as
an internal error); window attributes of the wrong length are refused before they are read per axis
(they used to raise IndexError); the ceil-mode padding rule gives torch's output sizes; the modules
import each other without a cycle or a function-level import, and importing them does not load torch.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper

from compiler.importers.base import ceil_mode_padding
from compiler.importers.onnx_importer import import_onnx
from dialects.errors import CompileError

ROOT = Path(__file__).resolve().parents[1]
IMPORTERS = ROOT / "compiler" / "importers"


def one_node(node: onnx.NodeProto, shape: list[int], **initializers: np.ndarray) -> onnx.ModelProto:
    """A model of one node reading graph input `x` and initializers, writing `y` (shape inferred)."""
    graph = helper.make_graph(
        [node],
        "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, shape)],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)],
        [numpy_helper.from_array(v, k) for k, v in initializers.items()],
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])


def channels(n: int, value: float) -> np.ndarray:
    return np.full(n, value, dtype=np.float32)


REFUSED = {
    "batchnorm_channels": (
        one_node(
            helper.make_node("BatchNormalization", ["x", "s", "b", "m", "v"], ["y"], name="bn"),
            [1, 3, 4, 4],
            s=channels(4, 1),
            b=channels(4, 0),
            m=channels(4, 0),
            v=channels(4, 1),
        ),
        "node 'bn' (BatchNormalization): nn.batchnorm scale must have shape [3]",
    ),
    "div_broadcast": (
        one_node(helper.make_node("Div", ["x", "c"], ["y"], name="div"), [1, 3], c=channels(5, 2)),
        "node 'div' (Div): shapes [3] and [5] cannot be broadcast together",
    ),
    "pool_strides_same": (
        one_node(
            helper.make_node(
                "MaxPool", ["x"], ["y"], name="pool", kernel_shape=[2, 2], strides=[2], auto_pad="SAME_UPPER"
            ),
            [1, 3, 4, 4],
        ),
        "node 'pool' (MaxPool): strides, dilations and pads must match 2 spatial axes",
    ),
    "pool_strides_ceil": (
        one_node(
            helper.make_node("MaxPool", ["x"], ["y"], name="pool", kernel_shape=[2, 2], strides=[2], ceil_mode=1),
            [1, 3, 5, 5],
        ),
        "node 'pool' (MaxPool): strides, dilations and pads must match 2 spatial axes",
    ),
    "pool_pads_ceil": (
        one_node(
            helper.make_node("AveragePool", ["x"], ["y"], name="pool", kernel_shape=[2, 2], pads=[1, 1], ceil_mode=1),
            [1, 3, 5, 5],
        ),
        "node 'pool' (AveragePool): strides, dilations and pads must match 2 spatial axes",
    ),
    "pool_kernel_same": (
        one_node(
            helper.make_node("MaxPool", ["x"], ["y"], name="pool", kernel_shape=[2], auto_pad="SAME_LOWER"),
            [1, 3, 4, 4],
        ),
        "node 'pool' (MaxPool): the kernel shape [2] does not match 2 spatial axes",
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_onnx_parameters_an_op_refuses_are_one_line_errors(case):
    model, message = REFUSED[case]
    with pytest.raises(CompileError) as err:
        import_onnx(model, "f")
    assert str(err.value) == message


def test_ceil_mode_padding_gives_torch_output_sizes():
    torch = pytest.importorskip("torch")
    for size in range(1, 12):
        for kernel in range(1, min(size, 5) + 1):
            for stride in range(1, 5):
                for pad in range(0, kernel // 2 + 1):
                    x = torch.zeros(1, 1, size)
                    expected = torch.nn.functional.max_pool1d(x, kernel, stride, pad, ceil_mode=True).shape[-1]
                    extra = ceil_mode_padding(size, kernel, stride, pad, pad)
                    # the floor-mode output size of the window over the input padded by pad, pad + extra
                    assert (size + 2 * pad + extra - kernel) // stride + 1 == expected, (size, kernel, stride, pad)


def _module_imports() -> tuple[dict[str, set[str]], list[str]]:
    """compiler.importers modules -> the package modules they import at the top; and every import
    inside a function, as `module.function: statement`."""
    graph, inner = {}, []
    for path in sorted(IMPORTERS.glob("*.py")):
        tree = ast.parse(path.read_text())
        deps = set()
        for statement in tree.body:
            if isinstance(statement, ast.ImportFrom) and (statement.module or "").startswith("compiler.importers"):
                if statement.module == "compiler.importers":
                    deps |= {alias.name for alias in statement.names}
                else:
                    deps.add(statement.module.rsplit(".", 1)[1])
        graph[path.stem] = deps
        for function in ast.walk(tree):
            if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for statement in ast.walk(function):
                    if isinstance(statement, (ast.Import, ast.ImportFrom)):
                        inner.append(f"{path.stem}.{function.name}: {ast.unparse(statement)}")
    return graph, inner


def test_importer_modules_import_without_cycles_or_function_level_imports():
    graph, inner = _module_imports()
    # only the optional front ends' libraries (torch; keras and h5py, the `keras` extra) are imported
    # inside functions: lazily, so that importing the compiler loads none of them
    optional = ("torch", "keras", "h5py")
    assert [i for i in inner if not i.split(": ", 1)[1].split()[1].startswith(optional)] == []
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> None:
        assert module not in path, f"import cycle: {' -> '.join([*path, module])}"
        if module not in done:
            for dep in sorted(graph.get(module, ())):
                visit(dep, [*path, module])
            done.add(module)

    for module in sorted(graph):
        visit(module, [])


def test_importing_the_importers_does_not_load_torch():
    code = (
        "import sys, compiler.importers.onnx_importer, compiler.importers.torch_importer, "
        "compiler.importers.keras_importer; print(any(m in sys.modules for m in ('torch', 'keras', 'h5py')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "False"


def test_runtime_operands_of_different_ranks_are_refused():
    """[B, 3] + [B, 2, 3] broadcasts the first one's batch axis against the second one's axis of 2:
    not a per-sample operation (the shorter operand would have to be a constant)."""
    graph = helper.make_graph(
        [helper.make_node("Add", ["a", "b"], ["y"], name="add")],
        "g",
        [
            helper.make_tensor_value_info("a", TensorProto.FLOAT, [None, 3]),
            helper.make_tensor_value_info("b", TensorProto.FLOAT, [None, 2, 3]),
        ],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [None, 2, 3])],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    with pytest.raises(CompileError, match=r"node 'add' \(Add\): its inputs have different ranks \(2 and 3\)"):
        import_onnx(model, "g")


def test_emulator_broadcasts_run_time_operands_of_different_ranks():
    """At the fixed level a [3] + [2, 3] of two run-time values is per sample (the IR has no batch
    axis): the emulator aligns them after the batch axis, as the C++ loops do."""
    from xdsl.context import Context
    from xdsl.dialects import builtin, func
    from xdsl.parser import Parser

    from dialects import fixed
    from runtime.emulator import emulate

    ctx = Context()
    for dialect in (builtin.Builtin, func.Func, fixed.FIXED):
        ctx.load_dialect(dialect)
    text = """
    func.func @f(%a: tensor<3xf64>, %b: tensor<2x3xf64>) -> tensor<2x3xf64> {
      %qa = fixed.quantize %a TRN WRAP : tensor<3xf64> -> tensor<3x!fixed.fixed<8, 4, signed>>
      %qb = fixed.quantize %b TRN WRAP : tensor<2x3xf64> -> tensor<2x3x!fixed.fixed<8, 4, signed>>
      %s = fixed.add %qa, %qb : (tensor<3x!fixed.fixed<8, 4, signed>>, tensor<2x3x!fixed.fixed<8, 4, signed>>) -> tensor<2x3x!fixed.fixed<9, 5, signed>>
      %y = fixed.dequantize %s : tensor<2x3x!fixed.fixed<9, 5, signed>> -> tensor<2x3xf64>
      func.return %y : tensor<2x3xf64>
    }
    """
    module = Parser(ctx, text).parse_module()
    a = np.array([[0.5, 1.0, -2.0], [0.25, 0.0, 3.0]])
    b = np.arange(12, dtype=np.float64).reshape(2, 2, 3) / 4
    (y,) = emulate(module, [a, b])
    np.testing.assert_array_equal(y, a[:, None, :] + b)
