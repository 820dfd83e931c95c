"""The delay model: how long an op's combinational logic takes in the Verilog backend's structure,
to choose where its pipeline registers go for a clock period (lowering/pipeline_registers.py).

A first-order model of an AMD UltraScale+ device at speed grade -2, in ns, from the structure the
Verilog backend prints (compiler/emitter/verilog_ops.py) and the data sheet's orders of magnitude
(DS923): a logic level is one LUT and the net to the next; an adder of W bits is a logic level and
ceil(W / 8) CARRY8 segments; a product of two operands wider than one bit goes through an
unregistered DSP48E2 (Yosys' synth_xilinx maps them there); a comparison is an adder and a
multiplexer level; a ROM of 2^k entries is ceil(k / 6) logic levels and a multiplexer; moves and
constants are wires. Every figure is an estimate of the longest path, not a timing analysis: the
RTL simulation checks the latency this gives, not the clock it meets.

`CombinationalPath` (dialects/interfaces.py) is each op's path in these terms: a head (products,
comparisons, casts) and then, where the op sums a balanced adder tree the backend may cut with
registers between its levels (a dense layer), the number of levels and each level's delay.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from dialects.fixedpoint import FixedFormat, Overflow, Rounding

LOGIC_LEVEL_NS = 0.45  # a LUT6 and its net
CARRY8_NS = 0.12  # 8 bits of a carry chain
DSP_MULTIPLY_NS = 2.6  # A x B to P through an unregistered DSP48E2, with its nets
REGISTER_OVERHEAD_NS = 0.35  # clock to out and setup of the registers around a stage


def adder_ns(width: int) -> float:
    return LOGIC_LEVEL_NS + math.ceil(max(width, 1) / 8) * CARRY8_NS


def compare_select_ns(width: int) -> float:
    """a < b ? x : y: the comparison's carry chain, then a multiplexer level."""
    return adder_ns(width) + LOGIC_LEVEL_NS


def multiply_ns(a_width: int, b_width: int) -> float:
    return LOGIC_LEVEL_NS if min(a_width, b_width) <= 1 else DSP_MULTIPLY_NS


def rom_ns(entries: int) -> float:
    return math.ceil(math.log2(max(entries, 2)) / 6) * LOGIC_LEVEL_NS + LOGIC_LEVEL_NS


def cast_ns(
    src: FixedFormat, dst: FixedFormat, rounding: Rounding, overflow: Overflow, in_range: bool = False
) -> float:
    """A cast as the backend prints it: bits dropped by TRN and wrapped by WRAP are wires; another
    rounding adds its increment (an adder of the source's width); a saturating mode whose source can
    leave the target's range compares and selects."""
    delay = 0.0
    if src.frac_bits > dst.frac_bits and rounding != Rounding.TRN:
        delay += adder_ns(src.width)
    shift = dst.frac_bits - src.frac_bits
    if shift >= 0:
        lo, hi = src.min_code << shift, src.max_code << shift
    else:
        lo, hi = src.min_code >> -shift, (src.max_code >> -shift) + (rounding != Rounding.TRN)
    low = -dst.max_code if overflow == Overflow.SAT_SYM and dst.signed else dst.min_code
    if overflow != Overflow.WRAP and not in_range and (lo < low or hi > dst.max_code):
        delay += compare_select_ns(dst.width + 1)
    return delay


def tree_levels(terms: int) -> int:
    """Levels of a balanced tree combining `terms` items pairwise."""
    return math.ceil(math.log2(terms)) if terms > 1 else 0


@dataclass(frozen=True)
class PathDelay:
    """`head` ns, then `levels` levels of a balanced adder tree of `level` ns each (cuttable by
    registers between levels where `cuttable`; otherwise part of the op's one stage)."""

    head: float
    levels: int = 0
    level: float = 0.0
    cuttable: bool = False

    @property
    def total(self) -> float:
        return self.head + self.levels * self.level

    @staticmethod
    def uncut(head: float, levels: int = 0, level: float = 0.0) -> PathDelay:
        """A path the backend prints in one stage: its whole delay as a head."""
        return PathDelay(head + levels * level)


WIRE = PathDelay(0.0)
