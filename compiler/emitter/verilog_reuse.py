"""Verilog for a `dataflow.kernel` at reuse factor R > 1: a step counter and shared multipliers.

Takes a kernel's ops as verilog_ops.py does, in a `KernelModule` whose `reuse` is R and whose
`step` names the kernel's counter; gives the counter and each `fixed.dense` as ceil(P / R)
multipliers used over R cycles (every other op is verilog_ops.py's combinational logic). verilog.py
wraps them into the kernel's module, whose output register loads on the last step.

- The counter `step` is 0 in the cycle the module's `start` input is high (the cycle the kernel's
  inputs are first valid: the top holds them for the design's II >= R cycles), then counts 1 .. R-1
  and rests at 0.
- A dense's products are listed output-major (for each result element, its inputs in order), those
  of constant zero weights left out as at R = 1: P products. Multiplier l computes product
  l * R + step (as the HLS printer's reuse loop, k = round + R * lane), so it mostly serves one
  result element; its two operands are chosen by a `case` on the step (the weights, when constant,
  a case ROM of literals). A product is evaluated at the accumulator's width, so it keeps the low
  bits of the exact product.
- Result element e is `acc_e = (step == 0 ? bias_e : acc_e_sum) + (the products for e this step)`,
  and the register acc_e_sum <= acc_e every cycle; products are added in the steps they belong to e
  (a multiplier serving two elements is gated by the step). Everything is at the IR's accumulator
  width: the sum modulo 2^W of the exact products, which is the emulator's value. On the last step
  acc_e is the whole sum, and the ops after the dense (bias add, relu, casts) read it there.
"""

from __future__ import annotations

import math

from xdsl.ir import Operation, SSAValue

from compiler.emitter.verilog_ops import (
    KernelModule,
    balanced_sum,
    literal,
    shape_of,
    shifted,
)
from dialects import fixed
from dialects.fixedpoint import FixedFormat


def step_bits(reuse: int) -> int:
    """Bits of a counter of 0 .. reuse - 1."""
    return max(1, (reuse - 1).bit_length())


def step_value(reuse: int, t: int) -> str:
    return f"{step_bits(reuse)}'d{t}"


def counter(name: str, limit: int, advance: str, clock: str, reset: str) -> list[str]:
    """A counter `name` of 0 .. limit - 1: leaves 0 when `advance` is high, wraps to 0 after limit - 1."""
    zero, top = step_value(limit, 0), step_value(limit, limit - 1)
    return [
        f"reg [{step_bits(limit) - 1}:0] {name};",
        f"always @(posedge {clock})",
        f"    if ({reset} || {name} == {top}) {name} <= {zero};",
        f"    else if ({advance} || {name} != {zero}) {name} <= {name} + {step_value(limit, 1)};",
    ]


def chained_dense(ops: list[Operation]) -> fixed.DenseOp | None:
    """A dense of `ops` that reads (through any ops) another dense's result: its operands are valid
    only after the other's last step, which a kernel of R steps does not wait for."""
    after_dense: set[SSAValue] = set()
    for op in ops:
        reads = any(operand in after_dense for operand in op.operands)
        if isinstance(op, fixed.DenseOp) and reads:
            return op
        if reads or isinstance(op, fixed.DenseOp):
            after_dense.update(op.results)
    return None


def _operand_reg(k: KernelModule, name: str, fmt: FixedFormat, signed: bool) -> str:
    """A `reg` holding one operand of a product inside a signed (`signed`) or unsigned expression
    (an unsigned `fmt` in a signed one takes a zero bit more, as Tensor.operand gives it)."""
    width = fmt.width + (signed and not fmt.signed)
    k.body.append(f"reg {'signed ' if signed else ''}[{width - 1}:0] {name};")
    return name


def _gate(k: KernelModule, product: str, rounds: list[int], zero: str) -> str:
    """`product` when the step is one of `rounds` (consecutive), else zero."""
    first, last = rounds[0], rounds[-1]
    if first == 0 and last == k.reuse - 1:
        return product
    lo, hi = step_value(k.reuse, first), step_value(k.reuse, last)
    if first == last:
        condition = f"{k.step} == {lo}"
    elif first == 0:
        condition = f"{k.step} <= {hi}"
    elif last == k.reuse - 1:
        condition = f"{k.step} >= {lo}"
    else:
        condition = f"{k.step} >= {lo} && {k.step} <= {hi}"
    return f"({condition} ? {product} : {zero})"


def emit_dense_shared(k: KernelModule, op: fixed.DenseOp) -> None:
    """acc[r, j] = (bias[j] << sb) + sum_i (x[r, i] * w[i, j] << s) over R steps on shared multipliers."""
    assert k.step, "a shared dense needs the kernel's step counter (verilog.kernel_module declares it)"
    x, w = k.tensors[op.input], k.tensors[op.weight]
    bias = k.tensors[op.bias] if op.bias is not None else None
    fy = fixed.format_of(op.output)
    signed = x.fmt.signed or w.fmt.signed or (bias is not None and bias.fmt.signed)
    n, m = shape_of(op.weight)
    rows = math.prod(shape_of(op.input)[:-1])
    shift = fy.frac_bits - x.fmt.frac_bits - w.fmt.frac_bits
    reuse = k.reuse
    # (result element, x element, w element), output-major; constant zero weights left out
    products = [
        (r * m + j, r * n + i, i * m + j)
        for r in range(rows)
        for j in range(m)
        for i in range(n)
        if w.codes is None or int(w.codes[i * m + j]) != 0
    ]
    lanes = math.ceil(len(products) / reuse)
    y = k.result(op)
    k.body.append(
        f"// {len(products)} products on {lanes} multiplier{'s' if lanes != 1 else ''}: multiplier l computes"
        f" product l * {reuse} + {k.step}"
    )
    kind = f"{'signed ' if signed else ''}[{fy.width - 1}:0]"
    zero = literal(0, fy.width, signed)
    contributions: dict[int, list[tuple[str, list[int]]]] = {e: [] for e in range(len(y.elements))}
    for lane in range(lanes):
        chunk = products[lane * reuse : (lane + 1) * reuse]
        base = k.names.take(f"mul{lane}")
        operands = []
        selects = []
        for which, (tensor, column) in enumerate(((x, 1), (w, 2))):
            picks = [tensor.operand(p[column], signed) for p in chunk]
            if len(set(picks)) == 1:  # the same operand in every step: no mux
                operands.append(picks[0])
                continue
            name = _operand_reg(k, k.names.take(f"{base}_{'xw'[which]}"), tensor.fmt, signed)
            operands.append(name)
            selects.append((name, picks))
        if selects:
            k.body.append("always @* begin")
            k.body.append(f"    case ({k.step})")
            for t in range(len(chunk)):
                label = "default" if t == len(chunk) - 1 else step_value(reuse, t)
                assignments = " ".join(f"{name} = {picks[t]};" for name, picks in selects)
                k.body.append(f"        {label}: begin {assignments} end")
            k.body += ["    endcase", "end"]
        k.body.append(f"wire {kind} {base} = {shifted(f'{operands[0]} * {operands[1]}', shift)};")
        for t, (e, _, _) in enumerate(chunk):
            if contributions[e] and contributions[e][-1][0] == base:
                contributions[e][-1][1].append(t)
            else:
                contributions[e].append((base, [t]))
    first = f"{k.step} == {step_value(reuse, 0)}"
    for e, name in enumerate(y.elements):
        start = zero
        if bias is not None:
            start = shifted(bias.operand(e % m, signed), fy.frac_bits - bias.fmt.frac_bits)
        terms = [_gate(k, product, rounds, zero) for product, rounds in contributions[e]]
        if not terms:
            k.assign(name, start)
            continue
        partial = k.names.take(f"{name}_sum")
        k.body.append(f"reg {kind} {partial};")
        k.body.append(f"always @(posedge {k.clock}) {partial} <= {name};")
        k.assign(name, f"({first} ? {start} : {partial}) + {balanced_sum(terms)}")
