"""Pipeline registers inside a reuse-factor-1 kernel module, where pipeline-registers put them.

Takes a kernel whose ops carry `dataflow.stage` and `dataflow.tree_registers`, and its
`pipeline_stages` (lowering/pipeline_registers.py); gives, through `Stages`, each op's operands as
they are in the op's stage (an operand of an earlier stage through one register per stage between,
shared by every op that reads it there), and a dense layer's adder tree with a register stage after
each level the op lists. Constants need no registers. Without the attributes everything is stage 0.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from xdsl.ir import Operation, SSAValue

from compiler.emitter.verilog_ops import KernelModule, Tensor, balanced_sum, dense_terms, literal
from dialects import fixed
from dialects.dataflow import KernelOp
from dialects.fixedpoint import FixedFormat
from lowering.pipeline_registers import STAGE_ATTR, TREE_REGISTERS_ATTR


def stage_of(op: Operation) -> int:
    return op.attributes[STAGE_ATTR].value.data if STAGE_ATTR in op.attributes else 0


def tree_registers(op: Operation) -> list[int]:
    return list(op.attributes[TREE_REGISTERS_ATTR].get_values()) if TREE_REGISTERS_ATTR in op.attributes else []


def last_stage(kernel: KernelOp) -> int:
    """The stage whose end is the output register (0: one register stage)."""
    return kernel.pipeline_stages.value.data - 1 if kernel.pipeline_stages is not None else 0


def register(k: KernelModule, fmt: FixedFormat, expression: str, base: str) -> str:
    """A register of `fmt` loaded with `expression` every cycle; its name."""
    name = k.names.take(base)
    k.body.append(f"reg {'signed ' if fmt.signed else ''}[{fmt.width - 1}:0] {name};")
    k.body.append(f"always @(posedge {k.clock}) {name} <= {expression};")
    return name


@dataclass
class Stages:
    """The values of one kernel module by stage: each as computed, and delayed to later stages."""

    k: KernelModule
    computed: dict[SSAValue, tuple[Tensor, int]] = field(default_factory=dict)
    delayed: dict[tuple[SSAValue, int], Tensor] = field(default_factory=dict)

    def record(self, value: SSAValue, stage: int) -> None:
        self.computed[value] = (self.k.tensors[value], stage)

    def at(self, value: SSAValue, stage: int) -> Tensor:
        tensor, have = self.computed[value]
        if stage <= have or tensor.codes is not None:
            return tensor
        key = (value, stage)
        if key not in self.delayed:
            previous = self.at(value, stage - 1)
            names = [
                register(self.k, tensor.fmt, element, f"{re.sub(r'[^A-Za-z0-9_]', '_', element)[:40]}_s{stage}")
                for element in previous.elements
            ]
            self.delayed[key] = Tensor(tensor.fmt, names)
        return self.delayed[key]

    def emit(self, op: Operation, emitter) -> None:
        """The op in its stage: its operands brought there, then its printer."""
        stage = stage_of(op)
        for operand in op.operands:
            if operand in self.computed:
                self.k.tensors[operand] = self.at(operand, stage)
        emitter(self.k, op)
        for result in op.results:
            self.record(result, stage + len(tree_registers(op)))


def emit_dense_registered(k: KernelModule, op: fixed.DenseOp) -> None:
    """verilog_ops.emit_dense with a register stage after each level of `dataflow.tree_registers`
    (0: the products), in every output's tree, so that all outputs come out in the same stage."""
    cuts = set(tree_registers(op))
    fy = fixed.format_of(op.output)
    levels = max(cuts, default=-1) + 1
    for name, items, bias in dense_terms(k, op):
        constants = {bias} if bias is not None else set()  # valid in every stage: no register
        if not items:
            items = [literal(0, fy.width, fy.signed)]
            constants.add(items[0])
        for level in range(levels):
            if level in cuts:  # the partial sums, each exact in the accumulator's type (sums modulo 2^W)
                items = [item if item in constants else register(k, fy, item, f"{name}_l{level}") for item in items]
            if len(items) > 1:
                pairs = [f"({a} + {b})" for a, b in zip(items[0::2], items[1::2])]
                items = pairs + ([items[-1]] if len(items) % 2 else [])
        k.assign(name, balanced_sum(items))
