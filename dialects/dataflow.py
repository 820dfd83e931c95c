"""The `dataflow` dialect: the hardware architecture of a design, with the arithmetic left unchanged.

A design is a `func.func` carrying `dataflow.io_type`: its arguments and results are the device's
fixed-point ports, and its body is a graph of `dataflow.kernel`s (processes) joined by tensors, which
are arrays in io_parallel. A kernel is isolated from above: its region holds the `fixed` ops of one
layer, with that layer's constants, and ends in `dataflow.yield`. It carries the implementation
choices: reuse factor (II = R, ceil(work / R) multipliers) and strategy (latency: weights in registers;
resource: weights in block RAM, read by a reuse loop). In io_stream, tensors are streams of one packet
per position ([*positions, C] -> C values a packet), each kernel output has one consumer (fork kernels
duplicate shared values) and `fifo_depths` sizes its FIFO (size-fifos). The host side (quantising the float inputs,
reading the outputs back) stays in the function that calls the design.
"""

from __future__ import annotations

import math
import re

from xdsl.dialects.builtin import I64, DenseArrayBase, IntegerAttr, StringAttr, TensorType, i64
from xdsl.dialects.utils import EnumAttribute
from xdsl.ir import Attribute, Block, Dialect, Region, SpacedOpaqueSyntaxAttribute, SSAValue
from xdsl.irdl import (
    IRDLOperation,
    ParsePropInAttrDict,
    irdl_attr_definition,
    irdl_op_definition,
    opt_prop_def,
    prop_def,
    region_def,
    traits_def,
    var_operand_def,
    var_result_def,
)
from xdsl.traits import HasParent, IsolatedFromAbove, IsTerminator
from xdsl.utils.exceptions import VerifyException
from xdsl.utils.str_enum import StrEnum

from dialects import fixed

C_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class Strategy(StrEnum):
    LATENCY = "latency"
    RESOURCE = "resource"


class IOType(StrEnum):
    IO_PARALLEL = "io_parallel"
    IO_STREAM = "io_stream"


@irdl_attr_definition
class StrategyAttr(EnumAttribute[Strategy], SpacedOpaqueSyntaxAttribute):
    name = "dataflow.strategy"


@irdl_attr_definition
class IOTypeAttr(EnumAttribute[IOType], SpacedOpaqueSyntaxAttribute):
    name = "dataflow.io_type"


IO_TYPE_ATTR = "dataflow.io_type"  # on the func.func that is the device design


def kernel_work(body: Block) -> int:
    """Multiplications a kernel performs per sample (what the reuse factor divides)."""
    work = 0
    for op in body.ops:
        if isinstance(op, fixed.DenseOp):
            x_shape = op.input.type.get_shape()
            w_shape = op.weight.type.get_shape()
            work += math.prod(x_shape[:-1]) * w_shape[0] * w_shape[1]
        elif isinstance(op, fixed.ConvOp):
            out = op.output.type.get_shape()
            work += math.prod(out) * op.taps
    return work


@irdl_op_definition
class KernelOp(IRDLOperation):
    """A process of the design: the fixed ops of one layer, with its implementation choices."""

    name = "dataflow.kernel"
    sym_name = prop_def(StringAttr)
    inputs = var_operand_def(TensorType)
    outputs = var_result_def(TensorType)
    reuse_factor = prop_def(IntegerAttr[I64])
    strategy = prop_def(StrategyAttr)
    layer = opt_prop_def(StringAttr)
    fifo_depths = opt_prop_def(DenseArrayBase.constr(i64))  # io_stream: depth of each output's FIFO
    body = region_def("single_block")
    traits = traits_def(IsolatedFromAbove())
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = (
        "$sym_name `(` $inputs `)` `reuse` $reuse_factor $strategy attr-dict "
        "`:` functional-type($inputs, $outputs) $body"
    )

    def __init__(
        self,
        sym_name: str,
        inputs: list[SSAValue],
        output_types: list[Attribute],
        body: Region,
        reuse_factor: int = 1,
        strategy: Strategy = Strategy.LATENCY,
        layer: str | None = None,
    ):
        props: dict[str, Attribute] = {
            "sym_name": StringAttr(sym_name),
            "reuse_factor": IntegerAttr(reuse_factor, i64),
            "strategy": StrategyAttr(strategy),
        }
        if layer is not None:
            props["layer"] = StringAttr(layer)
        super().__init__(operands=[inputs], result_types=[output_types], properties=props, regions=[body])

    @property
    def block(self) -> Block:
        return self.body.block

    def verify_(self) -> None:
        name = self.sym_name.data
        if not C_IDENTIFIER.match(name):
            raise VerifyException(f"dataflow.kernel name {name!r} is not a C identifier")
        arg_types = [a.type for a in self.block.args]
        if arg_types != [v.type for v in self.inputs]:
            raise VerifyException(f"dataflow.kernel {name}: block arguments do not match the inputs")
        last = self.block.last_op
        if not isinstance(last, YieldOp):
            raise VerifyException(f"dataflow.kernel {name} must end with dataflow.yield")
        if [v.type for v in last.values] != [r.type for r in self.outputs]:
            raise VerifyException(f"dataflow.kernel {name}: yielded types do not match the results")
        for op in self.block.ops:
            if op is not last and op.dialect_name() not in ("fixed", "layout"):
                raise VerifyException(f"dataflow.kernel {name} may hold only fixed and layout ops, found {op.name}")
        reuse = self.reuse_factor.value.data
        if reuse < 1:
            raise VerifyException(f"dataflow.kernel {name}: reuse factor must be at least 1, got {reuse}")
        if self.fifo_depths is not None:
            depths = self.fifo_depths.get_values()
            if len(depths) != len(self.outputs) or any(d < 1 for d in depths):
                raise VerifyException(
                    f"dataflow.kernel {name}: fifo_depths must give one depth >= 1 per result, got {list(depths)}"
                )
        if reuse > 1 and kernel_work(self.block) == 0:
            raise VerifyException(
                f"dataflow.kernel {name}: reuse factor {reuse} on a kernel without multiplications (must be 1)"
            )


@irdl_op_definition
class YieldOp(IRDLOperation):
    """The values a kernel produces."""

    name = "dataflow.yield"
    values = var_operand_def(TensorType)
    traits = traits_def(IsTerminator(), HasParent(KernelOp))
    assembly_format = "$values attr-dict `:` type($values)"

    def __init__(self, *values: SSAValue):
        super().__init__(operands=[list(values)])


DATAFLOW = Dialect("dataflow", [KernelOp, YieldOp], [StrategyAttr, IOTypeAttr])
