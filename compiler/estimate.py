"""A first-order estimate of a design's FPGA resources (LUT, FF, DSP, BRAM_18K) and its latency and
initiation interval in clock cycles, from the dataflow IR and its report (compiler/report.py).

`estimate(module, report)` gives {"LUT", "FF", "DSP", "BRAM_18K", "latency_cycles", "ii"};
`utilisation(resources, part)` the fraction of a known part each resource takes. Nothing here is
synthesised: the figures come from the ops' own costs (dialects/interfaces.py `Cost`) by the rules
below, whose constants are named so that measured counts (Yosys on the RTL backend, or hls4ml's
published Vitis numbers) can calibrate them. They rank designs of one model against each other,
which is what design-space exploration needs; they are not a synthesis report.

- A multiplier of a x b bits (a >= b) takes ceil(a / 27) * ceil(b / 18) DSP slices (DSP48E2's
  27 x 18 multiplier) when b >= DSP_MIN_WIDTH, as Vitis HLS maps them, else a * b LUTs.
- Every adder bit (the report's `adder_bits`: accumulators, adder trees, comparators) is one LUT of
  a carry chain and one FF of a pipeline register; every bit a kernel's step produces is one FF.
- A table (activation, softmax) of at least BRAM_MIN_BITS bits is ceil(bits / 18432) BRAM_18K,
  a smaller one ceil(bits / 64) LUTs (LUT6 ROM).
- Weights: the latency strategy folds them into the multipliers (no storage); the resource
  strategy stores each multiplier's R weights in a memory of depth R: BRAM_18K (36 bits x 512 per
  block) from depth BRAM_MIN_DEPTH on, LUT RAM (64 bits per LUT) below.
- Latency (io_parallel): per kernel, its reuse factor (rounds) plus its adder tree
  (ceil(log2 fan-in) levels, ADDER_LEVELS_PER_CYCLE per cycle) plus one cycle for the multipliers,
  a table or a comparison, times the steps of a time loop (a recurrence); the design's latency is
  the longest path through the kernels. II: the pipelined top's (report), or under DATAFLOW the
  slowest kernel's rounds (times its steps). io_stream: the latency
  size-fifos scheduled (report `latency_cycles`) and, as II, the most cycles a kernel spends on one
  sample (positions x reuse factor).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from xdsl.dialects.builtin import ModuleOp, TensorType
from xdsl.ir import SSAValue

from compiler.emitter.project import Design
from dialects import fixed
from dialects.dataflow import KernelOp, Strategy, StreamKind, TopKind, positions
from dialects.fixedpoint import parse_precision
from dialects.interfaces import parameter_role

RESOURCES = ("LUT", "FF", "DSP", "BRAM_18K")
DSP_A, DSP_B = 27, 18  # DSP48E2's multiplier
DSP_MIN_WIDTH = 10  # narrower operands: the multiplier goes to LUTs
BRAM_BITS = 18432  # one BRAM_18K
BRAM_WIDTH, BRAM_DEPTH = 36, 512
BRAM_MIN_BITS = 2048  # a smaller table is LUT ROM
BRAM_MIN_DEPTH = 64  # a shallower weight memory is LUT RAM
LUT_RAM_BITS = 64
ADDER_LEVELS_PER_CYCLE = 2

# Capacities of common parts (Xilinx data sheets), by the prefix of the part name
PARTS: dict[str, dict[str, int]] = {
    "xcvu13p": {"LUT": 1_728_000, "FF": 3_456_000, "DSP": 12_288, "BRAM_18K": 5_376},
    "xcu250": {"LUT": 1_728_000, "FF": 3_456_000, "DSP": 12_288, "BRAM_18K": 5_376},
    "xcu55c": {"LUT": 1_303_680, "FF": 2_607_360, "DSP": 9_024, "BRAM_18K": 4_032},
    "xcvu9p": {"LUT": 1_182_240, "FF": 2_364_480, "DSP": 6_840, "BRAM_18K": 4_320},
    "xcku115": {"LUT": 663_360, "FF": 1_326_720, "DSP": 5_520, "BRAM_18K": 4_320},
    "xczu9eg": {"LUT": 274_080, "FF": 548_160, "DSP": 2_520, "BRAM_18K": 1_824},
    "xc7z020": {"LUT": 53_200, "FF": 106_400, "DSP": 220, "BRAM_18K": 280},
}


def part_capacity(part: str) -> dict[str, int]:
    """The resources of `part` (matched by its device name, e.g. xcvu13p-flga2577-2-e)."""
    for prefix, capacity in PARTS.items():
        if part.lower().startswith(prefix):
            return capacity
    raise KeyError(f"part {part!r}: its resources are not known; known parts: {', '.join(PARTS)}")


def utilisation(resources: Mapping[str, int], part: str) -> dict[str, float]:
    capacity = part_capacity(part)
    return {key: resources[key] / capacity[key] for key in RESOURCES}


def multiplier_cost(a: int, b: int) -> tuple[int, int]:
    """(DSP, LUT) of one a x b multiplier."""
    a, b = max(a, b), min(a, b)
    if b >= DSP_MIN_WIDTH:
        return math.ceil(a / DSP_A) * math.ceil(b / DSP_B), 0
    return 0, a * b


def _width(type_text: str) -> int:
    return parse_precision(type_text).format.width


def _elements(value: SSAValue) -> int:
    return math.prod(value.type.get_shape()) if isinstance(value.type, TensorType) else 1


def _kernel_resources(kernel: KernelOp, layer: Mapping[str, Any]) -> dict[str, int]:
    reuse = kernel.reuse
    dsp = lut = ff = bram = 0
    for op, _, step in kernel.cost_terms():
        if step.macs:
            weight_index = next((i for i in range(len(op.operands)) if parameter_role(op, i) == "weights"), None)
            b = fixed.format_of(op.operands[weight_index]).width if weight_index is not None else DSP_B
            a = max(1, step.mac_operand_bits // b)
            count = math.ceil(step.macs / reuse)
            d, lu = multiplier_cost(a, b)
            dsp, lut = dsp + count * d, lut + count * lu
            if kernel.strategy.data == Strategy.RESOURCE and weight_index is not None and reuse > 1:
                if reuse >= BRAM_MIN_DEPTH:
                    bram += math.ceil(count * b / BRAM_WIDTH) * math.ceil(reuse / BRAM_DEPTH)
                else:
                    lut += math.ceil(count * b * reuse / LUT_RAM_BITS)
        if step.multiplies:
            side = max(1, math.isqrt(step.multiply_bits))
            d, lu = multiplier_cost(side, max(1, step.multiply_bits // side))
            dsp, lut = dsp + step.multiplies * d, lut + step.multiplies * lu
    lut += layer["adder_bits"]
    ff += layer["adder_bits"]
    for table in layer.get("tables", []):
        bits = table["entries"] * _width(table["type"])
        if bits >= BRAM_MIN_BITS:
            bram += math.ceil(bits / BRAM_BITS)
        else:
            lut += math.ceil(bits / LUT_RAM_BITS)
    steps = _steps(kernel)
    ff += sum(_elements(v) * _width(t) for v, t in zip(kernel.outputs, layer["results"])) // steps
    return {"LUT": lut, "FF": ff, "DSP": dsp, "BRAM_18K": bram}


def _steps(kernel: KernelOp) -> int:
    """The positions a streaming kernel computes one at a time (1: everything at once)."""
    if kernel.stream_kind in (StreamKind.PIXEL, StreamKind.WINDOW) and kernel.outputs:
        return max(1, positions(kernel.outputs[0]))
    return 1


def _kernel_latency(kernel: KernelOp, layer: Mapping[str, Any]) -> int:
    """One run's latency, times the runs of a time loop (a recurrence's steps follow each other)."""
    return kernel.repeats() * _run_latency(kernel, layer)


def _run_latency(kernel: KernelOp, layer: Mapping[str, Any]) -> int:
    work = kernel.step_work()
    if work:
        outputs = max(1, sum(_elements(v) for v in kernel.outputs) // _steps(kernel))
        fan_in = max(2, math.ceil(work / outputs))
        return kernel.reuse + math.ceil(math.ceil(math.log2(fan_in)) / ADDER_LEVELS_PER_CYCLE) + 1
    if layer.get("tables") or layer["multipliers"]:
        return 2 + math.ceil(math.ceil(math.log2(max(2, sum(map(_elements, kernel.outputs))))) / ADDER_LEVELS_PER_CYCLE)
    return 1 if layer["adder_bits"] else 0


def estimate(module: ModuleOp, report: Mapping[str, Any]) -> dict[str, int]:
    """The resources and the latency and II (cycles) of the dataflow-level `module` whose report
    (compiler/report.py design_report) is `report`."""
    design = Design.of(module)
    kernels = design.kernels
    layers = report["layers"]
    totals = dict.fromkeys(RESOURCES, 0)
    for kernel, layer in zip(kernels, layers, strict=True):
        for key, value in _kernel_resources(kernel, layer).items():
            totals[key] += value
    top, ii = design.top
    if "latency_cycles" in report:  # io_stream: scheduled by size-fifos
        latency = int(report["latency_cycles"])
        arrivals = [positions(a) for a in design.device.body.block.args if isinstance(a.type, TensorType)]
        ii = max([*arrivals, *(_steps(k) * k.reuse * k.repeats() for k in kernels)], default=1)
    else:
        finish: dict[SSAValue, int] = {}
        for kernel, layer in zip(kernels, layers):
            start = max((finish.get(v, 0) for v in kernel.inputs), default=0)
            for value in kernel.outputs:
                finish[value] = start + _kernel_latency(kernel, layer)
        latency = max((finish.get(v, 0) for v in design.device.body.block.last_op.operands), default=0)
        if top == TopKind.DATAFLOW:
            ii = max((k.reuse * k.repeats() for k in kernels), default=1)
    return {**totals, "latency_cycles": max(1, latency), "ii": ii}
