"""Interpreter functions for the `dataflow` dialect: a kernel computes what its region computes.

The dataflow level organises hardware and never changes values, so running a design is running its
kernels' fixed ops in order (see `interp_fixed`). `FuncFunctions` runs `func` calls, as xDSL's own
does: importing that one loads every interpreter of the `xdsl.interpreters` package (0.2 s, paid by
every `python -m compiler`).
"""

from __future__ import annotations

from typing import Any

from xdsl.dialects import func
from xdsl.interpreter import (
    Interpreter,
    InterpreterFunctions,
    ReturnedValues,
    impl,
    impl_callable,
    impl_terminator,
    register_impls,
)

from dialects import dataflow


@register_impls
class FuncFunctions(InterpreterFunctions):
    @impl_terminator(func.ReturnOp)
    def run_return(self, interp: Interpreter, op: func.ReturnOp, args: tuple[Any, ...]):
        return ReturnedValues(args), ()

    @impl(func.CallOp)
    def run_call(self, interp: Interpreter, op: func.CallOp, args: tuple[Any, ...]):
        return interp.call_op(op.callee, args)

    @impl_callable(func.FuncOp)
    def call_func(self, interp: Interpreter, op: func.FuncOp, args: tuple[Any, ...]):
        if (first_block := op.body.blocks.first) is None or not first_block.ops:
            return interp.call_external(op.sym_name.data, op, args)
        return interp.run_ssacfg_region(op.body, args, op.sym_name.data)


@register_impls
class DataflowFunctions(InterpreterFunctions):
    @impl(dataflow.KernelOp)
    def run_kernel(self, interp: Interpreter, op: dataflow.KernelOp, args: tuple[Any, ...]):
        return interp.run_ssacfg_region(op.body, args, op.sym_name.data)

    @impl_terminator(dataflow.YieldOp)
    def run_yield(self, interp: Interpreter, op: dataflow.YieldOp, args: tuple[Any, ...]):
        return ReturnedValues(args), ()
