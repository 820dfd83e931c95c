"""pipeline-registers: where the Verilog backend puts pipeline registers for a clock period.

Takes dataflow-level IR; gives the same IR with, on every io_parallel kernel at reuse factor 1 (the
Verilog backend's pipelined kernels), its register stages:
  - `dataflow.stage` on an op: the pipeline stage (0 first) in which it reads its operands; an
    operand computed in an earlier stage goes through a register per stage between;
  - `dataflow.tree_registers` on an op whose adder tree may be cut (a dense layer's): the tree
    levels after which a register stage holds the partial sums (0: after the products), each
    adding one stage to its result;
  - the kernel's `pipeline_stages`: the cycles from its inputs to its outputs, the last stage
    ending in the output register.
Without the attributes an op is in stage 0 with no registers inside (one register stage per
kernel, as before this pass).

The rule (ASAP): ops in order, each starting in the latest stage among its operands, at the latest
arrival time (ns into the stage) among those of that stage; its combinational path comes from the
op (`CombinationalPath`: the delay model in dialects/delays.py). When the path would end past the
period (the clock period less the registers' overhead), a new stage starts at the op's inputs, or,
inside a cuttable adder tree, at the level boundary before the level that would not fit. A path
longer than the period by itself stays in one stage (nothing inside it can be cut): the design then
runs slower than the clock asked. A kernel with an op the Verilog backend does not print (a
recurrence) gets no stages.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects.builtin import IntegerAttr, ModuleOp, i64
from xdsl.ir import SSAValue
from xdsl.passes import ModulePass

from dialects.dataflow import IO_TYPE_ATTR, IOType, KernelOp, Strategy, YieldOp
from dialects.delays import REGISTER_OVERHEAD_NS
from dialects.errors import CompileError
from dialects.interfaces import CombinationalPath
from dialects.layer import i64_array

STAGE_ATTR = "dataflow.stage"
TREE_REGISTERS_ATTR = "dataflow.tree_registers"


@dataclass
class Timing:
    stage: int
    arrival: float  # ns into the stage


def schedule_kernel(kernel: KernelOp, period: float) -> int:
    """Write the stages of `kernel`'s ops; returns its pipeline stages."""
    timing: dict[SSAValue, Timing] = {arg: Timing(0, 0.0) for arg in kernel.block.args}
    for op in kernel.block.ops:
        if isinstance(op, YieldOp):
            continue
        ready = [timing[v] for v in op.operands if v in timing]
        stage = max((t.stage for t in ready), default=0)
        arrival = max((t.arrival for t in ready if t.stage == stage), default=0.0)
        assert isinstance(op, CombinationalPath)
        path = op.combinational_path()
        if path.head > 0 and arrival > 0 and arrival + path.head > period:
            stage, arrival = stage + 1, 0.0  # registers on the op's inputs (never for wires)
        start = stage
        arrival += path.head
        cuts = []
        for level in range(path.levels):
            if path.cuttable and arrival > 0 and arrival + path.level > period:
                cuts.append(level)  # registers on the partial sums after `level` levels
                stage, arrival = stage + 1, 0.0
            arrival += path.level
        op.attributes.pop(STAGE_ATTR, None)
        op.attributes.pop(TREE_REGISTERS_ATTR, None)
        if start:
            op.attributes[STAGE_ATTR] = IntegerAttr(start, i64)
        if cuts:
            op.attributes[TREE_REGISTERS_ATTR] = i64_array(cuts)
        for result in op.results:
            timing[result] = Timing(stage, arrival)
    yielded = kernel.block.last_op.operands if isinstance(kernel.block.last_op, YieldOp) else ()
    last = max((timing[v].stage for v in yielded if v in timing), default=0)
    return last + 1


@dataclass(frozen=True)
class PipelineRegistersPass(ModulePass):
    """Pipeline registers for a clock period of `clock_period` ns (io_parallel kernels at reuse 1)."""

    name = "pipeline-registers"

    clock_period: float = 5.0

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        if not self.clock_period > REGISTER_OVERHEAD_NS:
            raise CompileError(
                f"clock period must exceed the registers' overhead ({REGISTER_OVERHEAD_NS} ns), got {self.clock_period}"
            )
        period = self.clock_period - REGISTER_OVERHEAD_NS
        for device in op.walk():
            if IO_TYPE_ATTR not in device.attributes or device.attributes[IO_TYPE_ATTR].data != IOType.IO_PARALLEL:
                continue
            for kernel in device.walk():
                if not isinstance(kernel, KernelOp) or kernel.reuse != 1 or kernel.strategy.data != Strategy.LATENCY:
                    continue
                if all(isinstance(o, CombinationalPath | YieldOp) for o in kernel.block.ops):
                    kernel.properties["pipeline_stages"] = IntegerAttr(schedule_kernel(kernel, period), i64)
