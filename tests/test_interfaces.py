"""Every op of our dialects implements what the compiler needs of it, so an op cannot be half added.

An op's meaning lives in its class (dialects/interfaces.py): a fixed or layout op with fixed-point
results says its result-type rule and its range transfer; one that may run in a kernel (every one
but the host's conversions) its cost, how it streams and what its result is called in C++, and it
has an interpreter function (the emulator) and a C++ printer. An nn op says its layer type and has
an nn-to-fixed pattern. Every fixed or layout op says how errors (|design - float model|) pass
through it (`ErrorTransfer`), or the error analysis would take its results for exact. The interface
methods must be the op's own, not the interface's default that raises.
"""

from __future__ import annotations

import inspect
import typing

import pytest
from xdsl.traits import IsTerminator

from compiler.emitter.kernels import EMITTERS
from dialects.dataflow import DATAFLOW
from dialects.fixed import FIXED, ConstantOp, DequantizeOp, RecurrenceOp
from dialects.interfaces import (
    CombinationalPath,
    CostModel,
    ErrorTransfer,
    HostSide,
    Layer,
    NamedResult,
    RangeInference,
    ResultFormatRule,
    Streamable,
)
from dialects.layout import LAYOUT
from dialects.nn import NN
from lowering.config import LAYER_TYPES
from lowering.nn_to_fixed import load_config, patterns
from lowering.precision import DEFAULT_PRECISION
from runtime.interp_dataflow import DataflowFunctions
from runtime.interp_fixed import FixedFunctions
from runtime.interp_layout import LayoutFunctions

# a terminator (fixed.yield) only hands values to the op around it, which says what they mean
FIXED_LEVEL = [op for op in (*FIXED.operations, *LAYOUT.operations) if not op.has_trait(IsTerminator)]
INTERPRETED = {op for functions in (FixedFunctions, LayoutFunctions, DataflowFunctions) for op, _ in functions._impls()}
INTERFACE_METHODS = {
    RangeInference: "infer_result_ranges",
    ResultFormatRule: "infer_result_formats",
    CostModel: "cost",
    Streamable: "streaming",
    NamedResult: "result_name",
    ErrorTransfer: "propagate_errors",
    CombinationalPath: "combinational_path",
}


def implements(op: type, interface: type) -> bool:
    """`op` has the interface and its own implementation of the interface's method."""
    if not issubclass(op, interface):
        return False
    method = INTERFACE_METHODS[interface]
    return getattr(op, method) is not getattr(interface, method) or (
        interface is NamedResult and bool(getattr(op, "RESULT_NAME", ""))
    )


def in_kernels(op: type) -> bool:
    return not op.has_trait(HostSide)


def names(ops) -> list[str]:
    return [op.name for op in ops]


@pytest.mark.parametrize("op", FIXED_LEVEL, ids=names(FIXED_LEVEL))
def test_fixed_level_op_has_its_interfaces(op):
    needed = [RangeInference, ResultFormatRule] if op is not DequantizeOp else []  # float result
    needed.append(ErrorTransfer)
    if in_kernels(op):
        needed += [CostModel, Streamable, NamedResult]
    if in_kernels(op) and op is not RecurrenceOp:  # the Verilog backend's delay model (no recurrences there)
        needed.append(CombinationalPath)
    missing = [interface.__name__ for interface in needed if not implements(op, interface)]
    assert not missing, f"{op.name} lacks {', '.join(missing)}"


@pytest.mark.parametrize("op", [*FIXED_LEVEL, *DATAFLOW.operations], ids=names([*FIXED_LEVEL, *DATAFLOW.operations]))
def test_op_runs_in_the_emulator(op):
    assert op in INTERPRETED, f"{op.name} has no interpreter function (runtime/interp_*.py)"


@pytest.mark.parametrize("op", [op for op in FIXED_LEVEL if in_kernels(op) and op is not ConstantOp], ids=str)
def test_kernel_op_has_a_cpp_printer(op):
    assert op in EMITTERS, f"{op.name} has no C++ printer (compiler/emitter/kernels.py EMITTERS)"


def lowered_ops() -> set[type]:
    """The nn ops an nn-to-fixed pattern matches (the types its match_and_rewrite takes)."""
    out: set[type] = set()
    for pattern in patterns(load_config("", DEFAULT_PRECISION, 1024)):
        # xDSL's op_type_rewrite_pattern keeps the matched type (or union) in its closure
        matched = inspect.getclosurevars(type(pattern).match_and_rewrite).nonlocals["expected_type"]
        out.update(typing.get_args(matched) or (matched,))
    return out


NN_LAYERS = [op for op in NN.operations if op.name != "nn.constant"]


@pytest.mark.parametrize("op", NN_LAYERS, ids=names(NN_LAYERS))
def test_nn_op_has_a_layer_type_and_a_lowering(op):
    assert issubclass(op, Layer), f"{op.name} has no Layer interface (its LayerType)"
    assert op in lowered_ops(), f"{op.name} has no nn-to-fixed pattern"
    assert op.layer_types(), f"{op.name} names no layer type"
    for layer_type in op.layer_types():  # what a configuration's LayerType section may name
        assert LAYER_TYPES.get(layer_type.lower()) == layer_type or layer_type == "Quant", layer_type


def test_the_check_catches_a_half_added_op():
    """An op class with an interface whose method is left to the default fails the check."""

    class HalfAdded(CostModel, RangeInference, ResultFormatRule, Streamable, NamedResult):
        name = "fixed.half_added"

        @staticmethod
        def has_trait(trait) -> bool:
            return False

        def cost(self):  # the others are the interfaces' defaults
            raise AssertionError

    assert implements(HalfAdded, CostModel)
    assert not implements(HalfAdded, RangeInference)
    assert not implements(HalfAdded, Streamable)
    assert not implements(HalfAdded, NamedResult)
