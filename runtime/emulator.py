"""The bit-accurate emulator: runs a fixed- or dataflow-level module on numpy batches.

`emulate(module, inputs)` calls the module's entry function (the one taking float tensors: the
model function at the fixed level, `<name>_host` at the dataflow level) once for a whole batch,
at tensor granularity, and returns float64 outputs whose values are exactly the fixed-point results
(`emulate_codes` returns the integer codes). `check_overflow=True` raises `FixedOverflowError` if any
exact op's value does not fit its type.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from xdsl.dialects import func
from xdsl.dialects.builtin import AnyFloat, ModuleOp, TensorType
from xdsl.interpreter import Interpreter

from dialects import fixed
from dialects.errors import CompileError
from dialects.fixedpoint import codes_to_floats
from runtime.interp_dataflow import DataflowFunctions
from runtime.interp_fixed import FixedFunctions, FixedOverflowError
from runtime.interp_layout import LayoutFunctions

__all__ = ["emulate", "emulate_codes", "entry_function", "FixedOverflowError"]


def entry_function(module: ModuleOp) -> func.FuncOp:
    """The function a host calls: float tensors in, float tensors out."""
    candidates = [
        f
        for f in module.body.block.ops
        if isinstance(f, func.FuncOp)
        and all(isinstance(t, TensorType) and isinstance(t.element_type, AnyFloat) for t in f.function_type.inputs)
        and not f.is_declaration
    ]
    if len(candidates) != 1:
        raise ValueError(f"expected one function taking float tensors, found {len(candidates)}")
    return candidates[0]


def _interpreter(module: ModuleOp, check_overflow: bool, listeners=()) -> Interpreter:
    # imported when first emulating: the xdsl.interpreters package loads every interpreter of
    # xDSL (~0.4 s), which a compile that never emulates should not pay
    from xdsl.interpreters.func import FuncFunctions

    interp = Interpreter(module, listeners=tuple(listeners))
    interp.register_implementations(FuncFunctions())
    interp.register_implementations(FixedFunctions(check_overflow))
    interp.register_implementations(DataflowFunctions())
    interp.register_implementations(LayoutFunctions())
    return interp


def _prepare(function: func.FuncOp, inputs: Sequence[np.ndarray]) -> list[np.ndarray]:
    arg_types = function.function_type.inputs.data
    if len(inputs) != len(arg_types):
        raise ValueError(f"@{function.sym_name.data} takes {len(arg_types)} inputs, got {len(inputs)}")
    batch = []
    for i, (x, t) in enumerate(zip(inputs, arg_types)):
        x = np.asarray(x, dtype=np.float64)
        shape = tuple(t.get_shape())
        if x.shape == shape:
            x = x[np.newaxis]  # one sample without its batch axis
        if x.shape[1:] != shape:
            raise ValueError(f"input {i}: expected shape [batch, {', '.join(map(str, shape))}], got {list(x.shape)}")
        batch.append(x)
    return batch


def emulate(
    module: ModuleOp,
    inputs: Sequence[np.ndarray],
    check_overflow: bool = False,
    listeners: Sequence[Interpreter.Listener] = (),
) -> list[np.ndarray]:
    """Float64 outputs (batch first) of the module's entry function for a batch of float inputs."""
    function = entry_function(module)
    interpreter = _interpreter(module, check_overflow, listeners)
    return list(interpreter.call_op(function.sym_name.data, tuple(_prepare(function, inputs))))


def observe(module: ModuleOp, inputs: Sequence[np.ndarray], listener: Interpreter.Listener, stage: str) -> None:
    """Run `inputs` (samples a user gave) for what `listener` records; inputs that do not fit the
    module are the user's error, named with `stage`."""
    try:
        emulate(module, inputs, listeners=(listener,))
    except ValueError as err:
        raise CompileError(f"{stage}: {err}") from None


def emulate_codes(module: ModuleOp, inputs: Sequence[np.ndarray], check_overflow: bool = False) -> list[np.ndarray]:
    """The integer codes of the outputs (before the final dequantize)."""
    function = entry_function(module)
    ret = function.body.block.last_op
    assert isinstance(ret, func.ReturnOp)
    outputs = emulate(module, inputs, check_overflow)
    codes = []
    for value, out in zip(ret.arguments, outputs):
        deq = value.owner
        assert isinstance(deq, fixed.DequantizeOp)
        fmt = fixed.format_of(deq.input)
        codes.append(np.round(np.ldexp(out, fmt.frac_bits)).astype(np.int64) if fmt.width <= 53 else None)
        assert codes[-1] is None or np.array_equal(codes_to_floats(codes[-1], fmt), out)
    return codes
