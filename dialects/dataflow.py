"""The `dataflow` dialect: the hardware architecture of a design, with the arithmetic left unchanged.

A design is a `func.func` carrying `dataflow.io_type`: its arguments and results are the device's
fixed-point ports, and its body is a graph of `dataflow.kernel`s (processes) joined by tensors, which
are arrays in io_parallel. `dataflow.top` says how the top function runs its kernels ("pipeline",
with `dataflow.ii`, or "dataflow"). A kernel is isolated from above: its region holds the `fixed`
and `layout` ops of one layer, with that layer's constants, and ends in `dataflow.yield`. It carries
the implementation choices: reuse factor (II = R, ceil(work / R) multipliers), strategy (latency:
weights in registers; resource: weights in block RAM, read by a reuse loop) and the `layer_type`
its configuration was looked up with.

In io_stream, tensors are streams of one packet per position ([*positions, C] -> C values a packet),
each kernel output has one consumer (fork kernels duplicate shared values), `fifo_depths` sizes its
FIFO (size-fifos) and `stream` says how the kernel handles its packets (plan-streams):
- "fork": writes each input packet to every output;
- "pixel": its region computes ONE position: block arguments and yielded values are packets [C];
- "window": a convolution or pool over a line buffer of `line_buffer_rows` rows, computed in
  `steps` steps (one input read and at most one output written per step), whose outputs may pass
  through a nested "pixel" kernel (the per-position ops after the window);
- "sequence": a recurrence (fixed.recurrence, forward) over its input sequence [T, F], one time step
  per packet read, the states kept inside the kernel; the output sequence leaves one packet per step,
  the final states after the last step;
- "buffer": reads its whole input, computes as in io_parallel, writes its whole output.
The host side (quantising the float inputs, reading the outputs back) stays in the function that
calls the design.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

from xdsl.dialects import func
from xdsl.dialects.builtin import I64, DenseArrayBase, IntegerAttr, ModuleOp, StringAttr, TensorType, i64
from xdsl.dialects.utils import EnumAttribute
from xdsl.ir import Attribute, Block, Dialect, Operation, Region, SpacedOpaqueSyntaxAttribute, SSAValue
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

from dialects.interfaces import Cost, CostModel, HostSide, Repeats, Streamable, Streaming, packet_type
from dialects.names import C_IDENTIFIER


class Strategy(StrEnum):
    LATENCY = "latency"
    RESOURCE = "resource"


class IOType(StrEnum):
    IO_PARALLEL = "io_parallel"
    IO_STREAM = "io_stream"


class StreamKind(StrEnum):
    FORK = "fork"
    PIXEL = "pixel"
    WINDOW = "window"
    SEQUENCE = "sequence"
    BUFFER = "buffer"


class TopKind(StrEnum):
    PIPELINE = "pipeline"  # every kernel inlined under one pipeline of II `dataflow.ii`
    DATAFLOW = "dataflow"  # kernels as concurrent processes


@irdl_attr_definition
class StrategyAttr(EnumAttribute[Strategy], SpacedOpaqueSyntaxAttribute):
    name = "dataflow.strategy"


@irdl_attr_definition
class IOTypeAttr(EnumAttribute[IOType], SpacedOpaqueSyntaxAttribute):
    name = "dataflow.io_type"


IO_TYPE_ATTR = "dataflow.io_type"  # on the func.func that is the device design
TOP_ATTR = "dataflow.top"  # "pipeline" or "dataflow" (TopKind), on the device
II_ATTR = "dataflow.ii"  # the top's initiation interval, with "pipeline"
LATENCY_ATTR = "dataflow.latency"  # io_stream: cycles until the last output packet (size-fifos)


def stream_designs(module: ModuleOp) -> list[func.FuncOp]:
    """The io_stream designs of a module."""
    return [
        op
        for op in module.body.block.ops
        if isinstance(op, func.FuncOp)
        and IO_TYPE_ATTR in op.attributes
        and op.attributes[IO_TYPE_ATTR].data == IOType.IO_STREAM
    ]


def positions(value: SSAValue) -> int:
    """Packets of a [*positions, C] stream."""
    assert isinstance(value.type, TensorType)
    return math.prod(value.type.get_shape()[:-1])


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
    layer_type = opt_prop_def(StringAttr)  # the LayerType its settings were looked up with
    fifo_depths = opt_prop_def(DenseArrayBase.constr(i64))  # io_stream: depth of each output's FIFO
    stream = opt_prop_def(StringAttr)  # io_stream: a StreamKind
    line_buffer_rows = opt_prop_def(IntegerAttr[I64])  # window kernels
    steps = opt_prop_def(IntegerAttr[I64])  # window kernels: trip count of the read/write loop
    pipeline_stages = opt_prop_def(IntegerAttr[I64])  # reuse 1, Verilog: register stages (pipeline-registers)
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
        layer_type: str | None = None,
    ):
        props: dict[str, Attribute] = {
            "sym_name": StringAttr(sym_name),
            "reuse_factor": IntegerAttr(reuse_factor, i64),
            "strategy": StrategyAttr(strategy),
        }
        if layer is not None:
            props["layer"] = StringAttr(layer)
        if layer_type is not None:
            props["layer_type"] = StringAttr(layer_type)
        super().__init__(operands=[inputs], result_types=[output_types], properties=props, regions=[body])

    @property
    def block(self) -> Block:
        return self.body.block

    @property
    def reuse(self) -> int:
        return self.reuse_factor.value.data

    @property
    def stream_kind(self) -> StreamKind | None:
        return StreamKind(self.stream.data) if self.stream is not None else None

    @property
    def per_position(self) -> bool:
        """The region computes one position of every tensor (a "pixel" kernel)."""
        return self.stream_kind == StreamKind.PIXEL

    @property
    def body_ops(self) -> list[Operation]:
        return [op for op in self.block.ops if not isinstance(op, YieldOp)]

    def sequence_op(self) -> Operation | None:
        """The recurrence a "sequence" kernel runs step by step."""
        return next(
            (op for op in self.block.ops if isinstance(op, Streamable) and op.streaming() == Streaming.SEQUENCE), None
        )

    def window_op(self) -> Operation | None:
        """The op a "window" kernel computes over its line buffer."""
        return next(
            (op for op in self.block.ops if isinstance(op, Streamable) and op.streaming() == Streaming.WINDOW), None
        )

    # ---------------------------------------------------------------------------------------------
    # Cost: what the ops of the region cost, over the whole tensors and per step of the hardware

    def cost_terms(self) -> Iterator[tuple[Operation, Cost, Cost]]:
        """(op, its cost over all positions, its cost per step) for every op of the kernel, nested
        kernels included. A pixel kernel's ops compute one position per step (positions steps in
        all); a window kernel's window op computes one output position per step; other kernels
        compute everything at once."""
        kind = self.stream_kind
        steps = positions(self.outputs[0]) if self.outputs and kind in (StreamKind.PIXEL, StreamKind.WINDOW) else 1
        for op in self.body_ops:
            if isinstance(op, KernelOp):
                yield from op.cost_terms()
            elif isinstance(op, CostModel):
                cost = op.cost()
                if kind == StreamKind.PIXEL:
                    yield op, cost.scaled(steps), cost
                elif isinstance(op, Repeats):  # one run's hardware, used op.repeats() times
                    yield op, cost.scaled(op.repeats()), cost
                else:
                    yield op, cost, cost.per(steps) if kind == StreamKind.WINDOW else cost

    def repeats(self) -> int:
        """How many times per sample the kernel runs its hardware one run after another (a time loop)."""
        return max((op.repeats() for op in self.walk() if isinstance(op, Repeats)), default=1)

    def work(self) -> int:
        """Multiplications the kernel performs per sample (what the reuse factor divides)."""
        return sum(total.macs for _, total, _ in self.cost_terms())

    def step_work(self) -> int:
        """Multiplications per step of its hardware (all of them when it computes everything at once)."""
        return sum(step.macs for _, _, step in self.cost_terms())

    def multipliers(self) -> int:
        """The multipliers its MACs share: ceil(multiplications per step / reuse factor)."""
        return math.ceil(self.step_work() / self.reuse)

    # ---------------------------------------------------------------------------------------------
    def verify_(self) -> None:
        name = self.sym_name.data
        if not C_IDENTIFIER.match(name):
            raise VerifyException(f"dataflow.kernel name {name!r} is not a C identifier")
        if self.stream is not None and self.stream.data not in set(StreamKind):
            valid = ", ".join(k.value for k in StreamKind)
            raise VerifyException(f"dataflow.kernel {name}: unknown stream kind {self.stream.data!r}; valid: {valid}")
        arg_types = [a.type for a in self.block.args]
        if self.per_position and arg_types != [packet_type(v.type) for v in self.inputs]:
            raise VerifyException(
                f"dataflow.kernel {name}: a pixel kernel's block arguments are one packet of each input"
            )
        if not self.per_position and arg_types != [v.type for v in self.inputs]:
            raise VerifyException(f"dataflow.kernel {name}: block arguments do not match the inputs")
        last = self.block.last_op
        if not isinstance(last, YieldOp):
            raise VerifyException(f"dataflow.kernel {name} must end with dataflow.yield")
        results = [packet_type(r.type) for r in self.outputs] if self.per_position else [r.type for r in self.outputs]
        if [v.type for v in last.values] != results:
            raise VerifyException(f"dataflow.kernel {name}: yielded types do not match the results")
        for op in self.body_ops:
            if isinstance(op, KernelOp) and self.stream_kind == StreamKind.WINDOW and op.per_position:
                continue  # the per-position ops after a window
            if op.dialect_name() not in ("fixed", "layout") or op.has_trait(HostSide):
                raise VerifyException(f"dataflow.kernel {name} may hold only fixed and layout ops, found {op.name}")
        window = self.stream_kind == StreamKind.WINDOW
        for key in ("line_buffer_rows", "steps"):
            value = self.properties.get(key)
            if window and (value is None or value.value.data < 1):
                raise VerifyException(f"dataflow.kernel {name}: a window kernel needs {key} >= 1")
            if not window and value is not None:
                raise VerifyException(f"dataflow.kernel {name}: {key} is for window kernels only")
        if window and self.window_op() is None:
            raise VerifyException(f"dataflow.kernel {name}: a window kernel needs a convolution or pool")
        reuse = self.reuse
        if reuse < 1:
            raise VerifyException(f"dataflow.kernel {name}: reuse factor must be at least 1, got {reuse}")
        if self.fifo_depths is not None:
            depths = self.fifo_depths.get_values()
            if len(depths) != len(self.outputs) or any(d < 1 for d in depths):
                raise VerifyException(
                    f"dataflow.kernel {name}: fifo_depths must give one depth >= 1 per result, got {list(depths)}"
                )
        if reuse > 1 and self.work() == 0:
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
