"""A first-order estimate of a design's FPGA resources (LUT, FF, DSP, BRAM_18K) and its latency and
initiation interval in clock cycles, from the dataflow IR and its report (compiler/report.py),
calibrated against Yosys.

`estimate(module, report)` gives {"LUT", "FF", "DSP", "BRAM_18K", "latency_cycles", "ii"};
`utilisation(resources, part)` the fraction of a known part each resource takes (runtime/parts.py).
Nothing here is synthesised: each kernel's hardware is counted as `FEATURES` (bits of multipliers,
adders, muxes, casts, tables and registers, and DSP slices), the way the Verilog backend
(compiler/emitter/verilog.py) builds it, and each resource is a linear combination of them. The
coefficients come from `estimate_calibration.json` beside this module (bench/calibrate.py writes
it), or without it from `DEFAULT_COEFFICIENTS` (one LUT per adder, multiplier, mux or compared bit,
one FF per register bit).

Multipliers. Every product of a dense layer is priced as Yosys `synth_xilinx` maps it (techmap
mul2dsp.v with the options synth_xilinx gives every Xilinx family, `dsp_slices`): after `wreduce`
and `opt_expr`, a constant weight keeps its minimal two's-complement width once its trailing zero
bits are shifted out, a weight of 0 is no product and a power of two a shift; a product goes to
DSP48E2 slices when both operands have at least DSP_MIN_WIDTH (2) bits and its result at least
DSP_MIN_PRODUCT (9) bits (the product's width, a + b, less an unsigned operand's zero bit, or
the bits of it anything reads if fewer), to soft logic (LUTs and carry chains) otherwise; an
unsigned product widens both operands by a bit (DSP48E2 multiplies signed numbers), and a product
wider than 27 x 18 takes several slices (pieces of DSP_PARTIAL = 18 bits, one of them a sign bit).
Equal products (an input times the same weight) are one (opt_merge). At reuse factor 1 the weights
are constants; at R > 1 each of ceil(P / R) multipliers takes R products in turn from a case ROM of
weights (as wide as the weights' type, less the top bits they all share when they have one sign; a
constant when they are all one). Other products (elementwise multiplications, layers the Verilog
backend does not print) take their operands' widths, and a convolution's constant weights are
priced one by one, scaled to its multiplications.

The features, per kernel (the top module's `top_*`): `dsp`, the slices; `soft_const_bits`, over
the soft products of a variable and a constant weight of b bits, a x (b - 1) (shift-and-add);
`soft_var_bits`, a x b over the soft products of two variables (the shared multipliers at R > 1);
`add_bits`, the adders' bits outside the DSPs (a dense's sums, bias, elementwise adds, reductions,
a table's index, the pieces of a wide product), `dsp_add_bits` the adds a DSP's post-adder could
take (one per DSP product); `mux_bits`, at R > 1 the multipliers' input muxes, the weights' case
ROMs, the gated and the started sums; `cast_bits`, rounding increments and saturation; `compare_bits`,
max, clamp, select and a table index's range; `relu_bits`; `table_bits`, per read of a ROM of E
entries, its varying bits x E / 64; `reg_bits`, the output registers; `pipe_reg_bits`, the
registers pipeline-registers puts inside a kernel (values carried to later stages, a dense's partial
sums); `acc_reg_bits`, the accumulators at R > 1; the top's valid bits (`top_valid_bits`, one per
cycle of latency) and, at II > 1, its input register and mux (`top_in_bits`). Adders, muxes and
registers count the bits anything reads: a dense read only by wrapping casts keeps the bits up to
their results' top (`_used_bits`).

Calibration (bench/calibrate.py writes estimate_calibration.json: `tool`, `date`, `designs`, the
coefficients, every data point and the held-out designs with their errors). The coefficients are a
non-negative least-squares fit of these features, per kernel, to Yosys 0.70 (`synth_xilinx -family
xcup`, UltraScale+; LUT counting LUT RAM) over 25 small designs: MLPs (Gemm + ReLU) of 4- to 18-bit
weights and activations, apart or together, signed and unsigned (ap_ufixed ReLU) dense inputs,
TRN/WRAP and RND/SAT casts, reuse factors 1 to 4, and sigmoid/tanh/softmax tables of 64 to 1024
entries. Nine more designs, held out of the fit as wholes, measure it (`calibration()["held_out"]`):
relative error of the design's total, median / worst, LUT 4.3% / 9.2%, FF 1.8% / 5.9%, DSP 0 / 0
(the same designs under the estimate before calibration: LUT 245% / 590%, FF 170% / 205%, DSP
100% / 100%, every DSP placed in LUTs below 10 bits). The DSP count is Yosys' rule itself: it
matches Yosys exactly on every kernel of the sweep at reuse factor 1, within one slice at R > 1.
The coefficients hold for the Verilog backend as it was calibrated (its pipeline registers at a 5 ns
clock included): a change there calls for a rerun of bench/calibrate.py.

BRAM_18K is not calibrated (the Verilog backend prints no memories but ROMs, which Yosys maps to
LUTs): the resource strategy (Vitis HLS only) stores each multiplier's R weights in a memory of depth
R: BRAM_18K (36 bits x 512 per block) from depth BRAM_MIN_DEPTH on, LUT RAM (64 bits per LUT) below.

Latency (io_parallel): per kernel, its reuse factor (rounds) plus its adder tree (ceil(log2
fan-in) levels, ADDER_LEVELS_PER_CYCLE per cycle) plus one cycle for the multipliers, a table or a
comparison, times the steps of a time loop (a recurrence); the design's latency is the longest path
through the kernels. II: the pipelined top's (report), or under DATAFLOW the slowest kernel's rounds
(times its steps). io_stream: the latency size-fifos scheduled (report `latency_cycles`) and, as
II, the most cycles a kernel spends on one sample (positions x reuse factor).
"""

from __future__ import annotations

import functools
import json
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
from xdsl.dialects.builtin import ModuleOp, TensorType
from xdsl.ir import Operation, SSAValue

from compiler.emitter.project import Design
from dialects import fixed
from dialects.dataflow import KernelOp, Strategy, StreamKind, TopKind, YieldOp, positions
from dialects.fixedpoint import FixedFormat, Overflow, Rounding
from dialects.interfaces import parameter_role
from lowering.pipeline_registers import STAGE_ATTR, TREE_REGISTERS_ATTR
from runtime.parts import PARTS, RESOURCES, part_capacity, utilisation

__all__ = [
    "CALIBRATION",
    "DEFAULT_COEFFICIENTS",
    "FEATURES",
    "PARTS",
    "RESOURCES",
    "calibration",
    "design_features",
    "dsp_slices",
    "estimate",
    "multiplier_cost",
    "part_capacity",
    "resources_of",
    "utilisation",
]

# Yosys synth_xilinx's multiplier mapping for UltraScale+ (techmap +/mul2dsp.v, DSP48E2)
DSP_A, DSP_B = 27, 18  # the widest signed operands of one slice
DSP_PARTIAL = 18  # a wider product is cut into pieces of this width (a sign bit and 17 bits)
DSP_MIN_WIDTH = 2  # a narrower operand: soft logic
DSP_MIN_PRODUCT = 9  # a narrower product: soft logic
TABLE_BITS_PER_LUT = 64  # a LUT6 as a ROM
BRAM_BITS = 18432  # one BRAM_18K
BRAM_WIDTH, BRAM_DEPTH = 36, 512
BRAM_MIN_DEPTH = 64  # a shallower weight memory is LUT RAM
LUT_RAM_BITS = 64
ADDER_LEVELS_PER_CYCLE = 2
CALIBRATION = Path(__file__).with_name("estimate_calibration.json")

FEATURES: dict[str, tuple[str, ...]] = {
    "LUT": (
        "soft_const_bits",
        "soft_var_bits",
        "add_bits",
        "dsp_add_bits",
        "mux_bits",
        "cast_bits",
        "compare_bits",
        "relu_bits",
        "table_bits",
        "top_in_bits",
    ),
    "FF": ("reg_bits", "pipe_reg_bits", "acc_reg_bits", "top_valid_bits", "top_in_bits"),
    "DSP": ("dsp",),
}
# The first-order rules, uncalibrated: what the estimate uses without estimate_calibration.json
DEFAULT_COEFFICIENTS: dict[str, dict[str, float]] = {
    "LUT": {
        "soft_const_bits": 1.0,
        "soft_var_bits": 1.0,
        "add_bits": 1.0,
        "dsp_add_bits": 0.0,
        "mux_bits": 1.0,
        "cast_bits": 1.0,
        "compare_bits": 1.0,
        "relu_bits": 1.0,
        "table_bits": 1.0,
        "top_in_bits": 0.0,
    },
    "FF": {"reg_bits": 1.0, "pipe_reg_bits": 1.0, "acc_reg_bits": 1.0, "top_valid_bits": 1.0, "top_in_bits": 1.0},
    "DSP": {"dsp": 1.0},
}


@functools.cache
def _load(path: Path, stamp: float) -> dict[str, Any] | None:
    del stamp  # the cache key: a rewritten file is read again
    return json.loads(path.read_text())


def calibration(path: Path = CALIBRATION) -> dict[str, Any] | None:
    """The calibration bench/calibrate.py wrote (coefficients, Yosys version, held-out errors), or None."""
    return _load(path, path.stat().st_mtime) if path.is_file() else None


def coefficients(path: Path = CALIBRATION) -> dict[str, dict[str, float]]:
    """Per resource, each feature's coefficient: the calibration's, else DEFAULT_COEFFICIENTS."""
    found = calibration(path)
    return found["coefficients"] if found is not None else DEFAULT_COEFFICIENTS


# --------------------------------------------------------------------------------------------------
# Multipliers as Yosys maps them


def _mul2dsp(a: int, b: int, y: int, signed: bool, top: bool) -> int:
    """Slices of mul2dsp.v's $mul (top) or $__mul piece of a x b bits with y result bits; 0: soft."""
    if top and a < b:
        a, b = b, a
    if a < DSP_MIN_WIDTH or b < DSP_MIN_WIDTH or y < DSP_MIN_PRODUCT:
        return 0
    if top and not signed:  # DSP_SIGNEDONLY: both operands widened by a zero bit
        return _mul2dsp(a + 1, b + 1, y, True, True)
    piece = DSP_PARTIAL - 1
    if a > DSP_A:
        n = (a - DSP_A + piece - 1) // piece
        last = a - n * piece
        return n * _mul2dsp(DSP_PARTIAL, b, min(y, b + DSP_PARTIAL), True, False) + _mul2dsp(
            last, b, b + last, True, False
        )
    if b > DSP_B:
        n = (b - DSP_B + piece - 1) // piece
        last = b - n * piece
        return n * _mul2dsp(a, DSP_PARTIAL, min(y, a + DSP_PARTIAL), True, False) + _mul2dsp(
            a, last, a + last, True, False
        )
    return 1


def dsp_slices(a: int, b: int, y: int | None = None, signed: bool = True) -> int:
    """DSP48E2 slices Yosys maps an a x b product keeping y bits (default a + b) to; 0: soft logic."""
    return _mul2dsp(a, b, a + b if y is None else min(y, a + b), signed, True)


def multiplier_cost(a: int, b: int) -> tuple[int, int]:
    """(DSP, LUT) of one a x b multiplier of two variables."""
    slices = dsp_slices(a, b)
    if slices:
        return slices, 0
    return 0, round(coefficients()["LUT"].get("soft_var_bits", 1.0) * a * b)


def _signed_width(code: int) -> int:
    """The fewest bits of a two's-complement constant."""
    return (code if code >= 0 else -code - 1).bit_length() + 1


def _trailing_zeros(code: int) -> int:
    return (code & -code).bit_length() - 1


@functools.cache
def _constant_product(a: int, code: int, y: int, zero_extended: bool = False) -> tuple[int, int]:
    """(slices, soft bits) of a variable of a bits times the constant `code`, `y` bits of the
    product read, as opt_expr / wreduce / mul2dsp leave it (`zero_extended`: the variable is an
    unsigned one with a zero bit on top, which the product's width does not count); (0, 0): no
    multiplier (a zero weight, a power of two). A soft product's bits are a x (b - 1): the adders
    of a shift-and-add over the weight's bits (at least one: -1 is a negation)."""
    if code == 0:
        return 0, 0
    zeros = _trailing_zeros(code)
    odd = code >> zeros
    if odd == 1:  # a power of two: a shift
        return 0, 0
    b = _signed_width(odd)
    width = min(y - zeros, a - zero_extended + b)
    slices = dsp_slices(a, b, width)
    if slices:
        return slices, 0
    return 0, a * max(1, b - 1)


def _shared_weight_width(codes: Iterable[int], width: int) -> int:
    """The width of a multiplier operand taking these constants (of a `width`-bit type) in turn from
    a case ROM: wreduce drops the top bits that are the same constant in all of them (all of one
    sign); with both signs it keeps the type's width."""
    codes = list(codes)
    if all(c >= 0 for c in codes):
        return min(width, max(c.bit_length() for c in codes) + 1)
    if all(c < 0 for c in codes):
        return min(width, max((-c - 1).bit_length() for c in codes) + 1)
    return width


# --------------------------------------------------------------------------------------------------
# Features


def _width(value: SSAValue) -> int:
    return fixed.format_of(value).width


def _elements(value: SSAValue) -> int:
    return math.prod(value.type.get_shape()) if isinstance(value.type, TensorType) else 1


def _constant_codes(value: SSAValue) -> np.ndarray | None:
    owner = value.owner
    return owner.values() if isinstance(owner, fixed.ConstantOp) else None


def _used_bits(value: SSAValue) -> int:
    """How many low bits of `value` anything reads: all of them, unless only wrapping casts read it,
    which keep the bits up to their result's top (Yosys' wreduce drops the adders' and multipliers'
    bits above)."""
    fmt = fixed.format_of(value)
    used = 0
    for use in value.uses:
        op = use.operation
        if not isinstance(op, fixed.CastOp) or op.modes[1] != Overflow.WRAP:
            return fmt.width
        dst = fixed.format_of(op.output)
        used = max(used, dst.width + fmt.frac_bits - dst.frac_bits)
    return max(1, min(fmt.width, used)) if used else fmt.width


def _operand_width(fmt: FixedFormat, signed_expression: bool) -> int:
    """An unsigned operand in a signed expression takes a zero bit more."""
    return fmt.width + (1 if signed_expression and not fmt.signed else 0)


class _Counter(Counter):
    def product(self, slices: float, soft_bits: float, count: float, y: int, variable: bool = False) -> None:
        """`count` products of `y` bits, each `slices` DSP slices (the pieces of a wide one summed by
        adders) or, with 0 slices, `soft_bits` of soft logic."""
        self["dsp"] += slices * count
        self["soft_var_bits" if variable else "soft_const_bits"] += soft_bits * count
        self["add_bits"] += max(0, slices - 1) * y * count

    def adds(self, count: float, dsp_products: float, acc: int) -> None:
        """`count` adders of `acc` bits, as many as `dsp_products` of them in the DSPs' post-adders."""
        absorbed = min(count, dsp_products)
        self["dsp_add_bits"] += absorbed * acc
        self["add_bits"] += (count - absorbed) * acc


def _dense(f: _Counter, op: fixed.DenseOp, reuse: int) -> None:
    x, w, y = (fixed.format_of(v) for v in (op.input, op.weight, op.output))
    bias = fixed.format_of(op.bias) if op.bias is not None else None
    signed = x.signed or w.signed or (bias is not None and bias.signed)
    a, acc = _operand_width(x, signed), _used_bits(op.output)
    n, m = op.weight.type.get_shape()
    rows = _elements(op.input) // n  # the dense applies to each row of its input
    codes = _constant_codes(op.weight)
    if codes is None:  # weights of a variable: every product a multiplier
        _variable_product(f, a, _operand_width(w, signed), acc, math.ceil(rows * n * m / reuse), reuse)
        f["acc_reg_bits"] += rows * m * acc * (reuse > 1)
        return
    codes = codes.reshape(n, m).astype(np.int64)
    nonzero = [(i, j, int(codes[i, j])) for j in range(m) for i in range(n) if codes[i, j] != 0]
    if reuse == 1:
        # one adder per term after the first (a bias is a term); an input times the same weight
        # twice is one product (opt_merge)
        terms = len(nonzero) + (m if bias is not None else 0)
        adds = terms - sum(1 for j in range(m) if bias is not None or np.any(codes[:, j] != 0))
        dsp_products = 0
        for _, code in {(i, code) for i, _, code in nonzero}:
            slices, bits = _constant_product(a, code, acc, a > x.width)
            f.product(slices, bits, rows, acc)
            dsp_products += rows * (slices > 0)
        f.adds(rows * adds, dsp_products, acc)
        return
    # multiplier l takes products l * R .. l * R + R - 1 (output-major), its operands from muxes on the step
    dsp_lanes = contributions = 0
    for lane in range(math.ceil(len(nonzero) / reuse)):
        chunk = nonzero[lane * reuse : (lane + 1) * reuse]
        weights = {code for _, _, code in chunk}
        outputs = len({j for _, j, _ in chunk})
        if len(weights) == 1:
            slices, bits = _constant_product(a, weights.pop(), acc, a > x.width)
            b = 0
        else:
            b = _shared_weight_width(weights, _operand_width(w, signed))
            slices = dsp_slices(a, b, min(acc, x.width + b), signed)
            bits = 0 if slices else a * b
        f.product(slices, bits, rows, acc, variable=b > 0)
        dsp_lanes += rows * (slices > 0)
        contributions += rows * outputs
        inputs = len({i for i, _, _ in chunk})
        gated = outputs > 1 or len(chunk) < reuse
        # the input's mux (a LUT6 per bit takes 4 inputs), the weights' case ROM, the gated sums
        f["mux_bits"] += rows * (a * math.ceil(inputs / 4) * (inputs > 1) + b + acc * outputs * gated)
    # per output: the start (bias or running sum) plus its multipliers' products
    f.adds(contributions, dsp_lanes, acc)
    f["mux_bits"] += rows * m * acc
    f["acc_reg_bits"] += rows * m * acc


def _variable_product(f: _Counter, a: int, b: int, acc: int, count: int, reuse: int = 1, signed: bool = True) -> None:
    """`count` multipliers of two variables, each adding into an accumulator of `acc` bits (with
    their operand muxes at R > 1)."""
    slices = dsp_slices(a, b, acc, signed)
    f.product(slices, 0 if slices else a * b, count, min(acc, a + b), variable=True)
    f.adds(count, count if slices else 0, acc)
    f["mux_bits"] += count * (a + b) * (reuse > 1)


def _cast(f: _Counter, src: FixedFormat, dst: FixedFormat, rounding: Rounding, overflow: Overflow, n: int) -> None:
    """A cast's rounding increment and its saturation (a range test and a clip)."""
    dropped = src.frac_bits - dst.frac_bits
    if dropped > 0 and rounding not in (Rounding.TRN, Rounding.TRN_ZERO):
        f["cast_bits"] += n * dst.width
    if overflow != Overflow.WRAP and (src.int_bits > dst.int_bits or (src.signed and not dst.signed)):
        f["cast_bits"] += n * (dst.width + max(0, src.int_bits - dst.int_bits))


def _varying_bits(codes: np.ndarray, width: int) -> int:
    """The bits of a table's entries that are not the same in all of them (the others are wires)."""
    values = codes.astype(np.int64) & ((1 << width) - 1) if width < 63 else codes
    return sum(1 for bit in range(min(width, 63)) if len({(int(v) >> bit) & 1 for v in values}) > 1)


def _op_features(f: _Counter, op: Operation, kernel: KernelOp, step) -> None:
    reuse = kernel.reuse
    if isinstance(op, fixed.DenseOp):
        _dense(f, op, reuse)
        return
    if step.macs:  # another MAC array (convolutions, recurrent cells): ceil(macs / R) multipliers
        weight_index = next((i for i in range(len(op.operands)) if parameter_role(op, i) == "weights"), None)
        b = _width(op.operands[weight_index]) if weight_index is not None else DSP_B
        a = max(1, step.mac_operand_bits // b)
        acc = step.mac_accumulator_bits
        codes = _constant_codes(op.operands[weight_index]) if weight_index is not None and reuse == 1 else None
        if codes is not None and codes.size:  # constant weights: each priced, scaled to the step's MACs
            scale = step.macs / codes.size
            dsp_products = 0.0
            for code, times in Counter(int(c) for c in codes.ravel()).items():
                slices, bits = _constant_product(a, code, acc)
                f.product(slices, bits, times * scale, acc)
                dsp_products += times * scale * (slices > 0)
            f.adds(step.macs, dsp_products, acc)
        else:
            _variable_product(f, a, b, acc, math.ceil(step.macs / reuse), reuse)
        if reuse > 1:
            f["acc_reg_bits"] += acc * sum(map(_elements, kernel.outputs)) // _steps(kernel)
    if step.multiplies:
        signed = True
        if isinstance(op, fixed.MulOp):
            lhs, rhs = fixed.format_of(op.lhs), fixed.format_of(op.rhs)
            signed = lhs.signed or rhs.signed
            a, b = _operand_width(lhs, signed), _operand_width(rhs, signed)
            y = _used_bits(op.output)
        else:
            a = max(1, math.isqrt(step.multiply_bits))
            b = max(1, step.multiply_bits // a)
            y = a + b
        _variable_product(f, a, b, y, step.multiplies, signed=signed)
    f.adds(step.adds, 0, step.add_bits)
    f["compare_bits"] += step.comparators * step.comparator_bits
    if isinstance(op, fixed.CastOp):
        _cast(f, fixed.format_of(op.input), fixed.format_of(op.output), *op.modes, _elements(op.output))
    elif isinstance(op, fixed.ReluOp) and fixed.format_of(op.input).signed:
        f["relu_bits"] += _elements(op.output) * _width(op.output)
    elif isinstance(op, fixed.ReduceMaxOp):  # a comparator and a mux per pair
        f["compare_bits"] += 2 * (_elements(op.input) - _elements(op.output)) * _width(op.output)
    elif isinstance(op, (fixed.ClampOp, fixed.SelectOp)):
        f["compare_bits"] += 2 * _elements(op.output) * _width(op.output)
    elif isinstance(op, fixed.LookupOp):
        # each element reads its own ROM: per varying bit, a LUT6 per 64 entries; its index is the
        # input less an offset, clipped to the table (two comparisons)
        reads = _elements(op.output)
        codes = op.table_codes()
        f["table_bits"] += reads * _varying_bits(codes, _width(op.output)) * codes.size / TABLE_BITS_PER_LUT
        index = op.index_type.format
        f["add_bits"] += reads * _width(op.input)
        f["compare_bits"] += reads * 2 * index.width


def _tree_register_bits(op: fixed.DenseOp, cuts: set[int]) -> int:
    """The partial sums a dense's adder tree registers after the levels `cuts` (0: the products):
    per output, the terms (a constant bias is no register) paired level by level."""
    codes = _constant_codes(op.weight)
    n, m = op.weight.type.get_shape()
    rows = _elements(op.input) // n
    constant_bias = op.bias is not None and _constant_codes(op.bias) is not None
    count = 0
    for j in range(m):
        products = int(np.count_nonzero(codes.reshape(n, m)[:, j])) if codes is not None else n
        items, constant = products + (op.bias is not None), constant_bias
        if items == 0:
            continue
        for level in range(max(cuts) + 1):
            if level in cuts:
                count += items - (constant and level == 0)
            items = (items + 1) // 2
    return rows * count * _used_bits(op.output)


def _pipeline_register_bits(kernel: KernelOp) -> int:
    """The registers pipeline-registers puts inside a reuse-factor-1 kernel (`dataflow.stage`,
    `dataflow.tree_registers`; compiler/emitter/verilog_pipeline.py prints them): each value read in
    a later stage than it is computed in, once per stage between, and a dense's partial sums."""
    if kernel.pipeline_stages is None or kernel.reuse != 1:
        return 0
    last = kernel.pipeline_stages.value.data - 1
    made: dict[SSAValue, int] = dict.fromkeys(kernel.block.args, 0)
    needed: dict[SSAValue, int] = {}
    bits = 0
    for op in kernel.block.ops:
        stage = last if isinstance(op, YieldOp) else _attribute_int(op, STAGE_ATTR)
        for value in op.operands:
            if value in made:
                needed[value] = max(needed.get(value, 0), stage)
        cuts = _tree_cuts(op)
        if cuts and isinstance(op, fixed.DenseOp):
            bits += _tree_register_bits(op, cuts)
        for result in op.results:
            if not isinstance(op, fixed.ConstantOp):
                made[result] = stage + len(cuts)
    for value, stage in needed.items():
        if stage > made[value] and isinstance(value.type, TensorType):
            bits += (stage - made[value]) * _elements(value) * min(_width(value), _used_bits(value))
    return bits


def _attribute_int(op: Operation, name: str) -> int:
    return op.attributes[name].value.data if name in op.attributes else 0


def _tree_cuts(op: Operation) -> set[int]:
    return set(op.attributes[TREE_REGISTERS_ATTR].get_values()) if TREE_REGISTERS_ATTR in op.attributes else set()


def _kernel_features(kernel: KernelOp, layer: Mapping[str, Any]) -> dict[str, float]:
    f = _Counter()
    for op, _, step in kernel.cost_terms():
        _op_features(f, op, kernel, step)
    f["reg_bits"] += sum(_elements(v) * _width(v) for v in kernel.outputs) // _steps(kernel)
    f["pipe_reg_bits"] += _pipeline_register_bits(kernel)
    return dict(f)


def _weight_memory(kernel: KernelOp) -> tuple[int, int]:
    """(BRAM_18K, LUT) of the resource strategy's weight memories (Vitis HLS; not calibrated)."""
    reuse = kernel.reuse
    if kernel.strategy.data != Strategy.RESOURCE or reuse <= 1:
        return 0, 0
    bram = lut = 0
    for op, _, step in kernel.cost_terms():
        weight_index = next((i for i in range(len(op.operands)) if parameter_role(op, i) == "weights"), None)
        if not step.macs or weight_index is None:
            continue
        b = fixed.format_of(op.operands[weight_index]).width
        count = math.ceil(step.macs / reuse)
        if reuse >= BRAM_MIN_DEPTH:
            bram += math.ceil(count * b / BRAM_WIDTH) * math.ceil(reuse / BRAM_DEPTH)
        else:
            lut += math.ceil(count * b * reuse / LUT_RAM_BITS)
    return bram, lut


def design_features(module: ModuleOp, report: Mapping[str, Any]) -> dict[str, Any]:
    """{"kernels": {kernel name: its features}, "top": the top module's features, "latency_cycles",
    "ii", "BRAM_18K", "weight_memory_luts"} of the dataflow-level `module` (report: compiler/report.py)."""
    design = Design.of(module)
    kernels = design.kernels
    layers = report["layers"]
    features = {k.sym_name.data: _kernel_features(k, layer) for k, layer in zip(kernels, layers, strict=True)}
    latency, ii = _timing(design, kernels, layers, report)
    inputs = sum(_elements(a) * _width(a) for a in design.device.body.block.args if isinstance(a.type, TensorType))
    top = {"top_valid_bits": latency, "top_in_bits": inputs if ii > 1 else 0}
    memories = [_weight_memory(k) for k in kernels]
    return {
        "kernels": features,
        "top": top,
        "latency_cycles": latency,
        "ii": ii,
        "BRAM_18K": sum(b for b, _ in memories),
        "weight_memory_luts": sum(lu for _, lu in memories),
    }


def resources_of(features: Mapping[str, Any], coefficients: Mapping[str, Mapping[str, float]]) -> dict[str, int]:
    """LUT, FF and DSP of a design's features (design_features) under `coefficients`."""
    modules = [*features["kernels"].values(), features["top"]]
    out = {}
    for resource, weights in coefficients.items():
        out[resource] = round(sum(weights.get(k, 0.0) * v for m in modules for k, v in m.items()))
    out["LUT"] += features.get("weight_memory_luts", 0)
    return out


def module_estimates(module: ModuleOp, report: Mapping[str, Any]) -> list[dict[str, int]]:
    """Per kernel in the IR's order, then for the top: the estimate's LUT, FF, DSP and BRAM_18K and
    the report's cost figure (multiplier + adder bits), beside which a synthesis report puts Yosys'."""
    design = Design.of(module)
    features = design_features(module, report)
    weights = coefficients()
    out = []
    for kernel, layer in zip(design.kernels, report["layers"], strict=True):
        bram, memory_luts = _weight_memory(kernel)
        name = kernel.sym_name.data
        own = resources_of({"kernels": {name: features["kernels"][name]}, "top": {}}, weights)
        own["LUT"] += memory_luts
        out.append({**own, "BRAM_18K": bram, "cost_bits": layer["multiplier_bits"] + layer["adder_bits"]})
    top = resources_of({"kernels": {}, "top": features["top"]}, weights)
    return [*out, {**top, "BRAM_18K": 0, "cost_bits": 0}]


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


def _timing(design: Design, kernels: list[KernelOp], layers, report: Mapping[str, Any]) -> tuple[int, int]:
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
    return max(1, latency), ii


def estimate(module: ModuleOp, report: Mapping[str, Any]) -> dict[str, int]:
    """The resources and the latency and II (cycles) of the dataflow-level `module` whose report
    (compiler/report.py design_report) is `report`."""
    features = design_features(module, report)
    totals = resources_of(features, coefficients())
    return {
        **{key: totals.get(key, 0) for key in RESOURCES if key != "BRAM_18K"},
        "BRAM_18K": features["BRAM_18K"],
        "latency_cycles": features["latency_cycles"],
        "ii": features["ii"],
    }
