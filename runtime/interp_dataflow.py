"""Interpreter functions for the `dataflow` dialect: a kernel computes what its region computes.

The dataflow level organises hardware and never changes values, so running a design is running its
kernels' fixed ops in order (see `interp_fixed`).
"""

from __future__ import annotations

from typing import Any

from xdsl.interpreter import (
    Interpreter,
    InterpreterFunctions,
    ReturnedValues,
    impl,
    impl_terminator,
    register_impls,
)

from dialects import dataflow


@register_impls
class DataflowFunctions(InterpreterFunctions):
    @impl(dataflow.KernelOp)
    def run_kernel(self, interp: Interpreter, op: dataflow.KernelOp, args: tuple[Any, ...]):
        return interp.run_ssacfg_region(op.body, args, op.sym_name.data)

    @impl_terminator(dataflow.YieldOp)
    def run_yield(self, interp: Interpreter, op: dataflow.YieldOp, args: tuple[Any, ...]):
        return ReturnedValues(args), ()
