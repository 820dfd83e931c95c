"""Verilog for the ops inside one io_parallel `dataflow.kernel`: combinational logic, one wire per element.

Takes the fixed and layout ops of a kernel's region; gives Verilog-2005 declarations and continuous
assignments (and, for casts and table indices, functions; for tables, ROMs) in a `KernelModule`,
which verilog.py wraps into a module with its output register. Every tensor element is one wire,
`signed` exactly when its fixed type is, of the type's width; constants are sized literals of their
type (`8'shfb` is the code -5 of an 8-bit signed type). Nothing here decides a width or a value:

- Exact ops (dense, add, sub, mul, reduce_sum) are sums and products evaluated at least as wide as
  their result and assigned to it, so they keep the low W bits of the exact value, as the emulator's
  AP_WRAP accumulators do. An expression mixing signed and unsigned types widens each unsigned
  operand by a zero bit and makes it signed (`$signed({1'b0, u})`): Verilog would otherwise evaluate
  the whole expression unsigned and zero-extend the signed operands.
- `fixed.cast` is a function per (source type, result type, modes): the dropped fraction bits decide
  the rounding increment as dialects.fixedpoint.round_shift_right does, then the overflow mode
  compares the rounded value with the result type's bounds (apply_overflow).
- `fixed.lookup` subtracts its offset, casts into its index type (TRN, SAT) with the same function
  generator, and reads a ROM (a `reg` array with `initial` contents) of the table's codes.
- Layout ops move no bits: their elements are the input's elements in another order.
- Convolutions, pools, thresholds, pad, resize and concat are verilog_windows.py's (WINDOW_EMITTERS).
All of this is combinational; at reuse factor R > 1 a kernel's dense ops are verilog_reuse.py's
(shared multipliers, a step counter), the other ops still these.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import numpy as np
from xdsl.ir import Operation, SSAValue

from dialects import fixed, layout
from dialects.fixedpoint import FixedFormat, Overflow, Rounding
from dialects.layer import ints
from dialects.names import UniqueNames, c_identifier, is_reserved

BACKEND = "verilog"

# Verilog-2005 and SystemVerilog keywords: no generated name may be one of them.
VERILOG_KEYWORDS = frozenset(
    """always and assign automatic begin buf bufif0 bufif1 case casex casez cell cmos config deassign
    default defparam design disable edge else end endcase endconfig endfunction endgenerate endmodule
    endprimitive endspecify endtable endtask event for force forever fork function generate genvar
    highz0 highz1 if ifnone incdir include initial inout input instance integer join large liblist
    library localparam macromodule medium module nand negedge nmos nor noshowcancelled not notif0 notif1
    or output parameter pmos posedge primitive pull0 pull1 pulldown pullup pulsestyle_onevent
    pulsestyle_ondetect rcmos real realtime reg release repeat rnmos rpmos rtran rtranif0 rtranif1
    scalared showcancelled signed small specify specparam strong0 strong1 supply0 supply1 table task
    time tran tranif0 tranif1 tri tri0 tri1 triand trior trireg unsigned use uwire vectored wait wand
    weak0 weak1 while wire wor xnor xor alias always_comb always_ff always_latch assert assume before
    bind bins binsof bit break byte chandle class clocking const constraint context continue cover
    covergroup coverpoint cross dist do endclass endclocking endgroup endinterface endpackage
    endprogram endproperty endsequence enum expect export extends extern final first_match foreach
    forkjoin iff ignore_bins illegal_bins import inside int interface intersect join_any join_none
    local logic longint matches modport new null package packed priority program property protected
    pure rand randc randcase randsequence ref return sequence shortint shortreal solve static string
    struct super tagged this throughout timeprecision timeunit type typedef union unique var virtual
    void wait_order wildcard with within""".split()
)


class VerilogNames(UniqueNames):
    """Distinct identifiers escaped as dialects/names.py escapes C++ ones: a C identifier, with `_`
    appended to a reserved C++ name or a Verilog keyword (`always` -> `always_`), suffixed on
    collision (`fc`, `fc_1`)."""

    def take(self, text: str, fallback: str = "x") -> str:
        base = c_identifier(text, fallback)
        base += "_" if base in VERILOG_KEYWORDS else ""
        stem, name, n = base.rstrip("_"), base, 1
        while name in self.used:
            name = f"{stem}_{n}"
            name += "_" if is_reserved(name) or name in VERILOG_KEYWORDS else ""
            n += 1
        self.used.add(name)
        return name


def verilog_names(*taken: str) -> VerilogNames:
    """A pool of distinct Verilog identifiers, `taken` already used."""
    return VerilogNames(set(taken))


def literal(code: int, width: int, signed: bool) -> str:
    """A sized literal of `width` bits holding `code` (two's complement when signed)."""
    bits = int(code) & ((1 << width) - 1)
    return f"{width}'{'s' if signed else ''}h{bits:x}"


def signed_literal(code: int) -> str:
    """The narrowest signed literal of an integer (for comparisons and offsets in signed expressions)."""
    code = int(code)
    return literal(code, max(code.bit_length(), (-code - 1).bit_length() if code < 0 else 0) + 1, True)


def declaration(fmt: FixedFormat, name: str) -> str:
    """A wire holding one code of `fmt`."""
    return f"wire {'signed ' if fmt.signed else ''}[{fmt.width - 1}:0] {name}"


@dataclass
class Tensor:
    """A tensor's elements (row-major) as Verilog expressions of its type; `codes` for constants."""

    fmt: FixedFormat
    elements: list[str]
    codes: np.ndarray | None = None

    def operand(self, i: int, signed: bool) -> str:
        """Element i inside an expression that is signed (`signed`) or unsigned."""
        if self.codes is not None:
            code = int(self.codes[i])
            return literal(code, self.fmt.width + (signed and not self.fmt.signed), signed)
        if signed and not self.fmt.signed:
            return f"$signed({{1'b0, {self.elements[i]}}})"
        return self.elements[i]


@dataclass
class KernelModule:
    """The body of one kernel's module: declarations, assignments, functions and ROMs. At reuse
    factor R > 1, `step` names the kernel's counter of its R cycles (verilog_reuse.py)."""

    names: UniqueNames
    reuse: int = 1
    step: str = ""
    clock: str = "clk"
    tensors: dict[SSAValue, Tensor] = field(default_factory=dict)
    functions: list[str] = field(default_factory=list)
    roms: list[str] = field(default_factory=list)
    body: list[str] = field(default_factory=list)
    casts: dict[tuple, str] = field(default_factory=dict)

    def wires(self, value: SSAValue, base: str) -> Tensor:
        """Declare one wire per element of `value` (assigned by the caller)."""
        fmt = fixed.format_of(value)
        size = math.prod(value.type.get_shape())
        names = [self.names.take(base)] if size == 1 else [self.names.take(f"{base}_{i}") for i in range(size)]
        for name in names:
            self.body.append(f"{declaration(fmt, name)};")
        tensor = Tensor(fmt, names)
        self.tensors[value] = tensor
        return tensor

    def result(self, op: Operation) -> Tensor:
        return self.wires(op.results[0], op.result_name())

    def assign(self, name: str, expression: str) -> None:
        self.body.append(f"assign {name} = {expression};")

    def cast_function(
        self, src: FixedFormat, dst: FixedFormat, rounding: Rounding, overflow: Overflow, offset: int = 0, base="cast"
    ) -> str:
        """The name of a function computing cast(x - offset) (x of `src`, offset in its step)."""
        key = (src, dst, rounding, overflow, offset)
        if key not in self.casts:
            name = self.names.take(base)
            self.casts[key] = name
            self.functions.append(cast_function_text(name, src, dst, rounding, overflow, offset))
        return self.casts[key]


# --------------------------------------------------------------------------------------------------
# The cast


def _round_up(rounding: Rounding, xe: str, shift: int, width: int) -> str | None:
    """The rounding increment (1 bit) of xe >>> shift, from the dropped bits xe[shift-1:0]."""
    half = f"{xe}[{shift - 1}]"
    below = f"(|{xe}[{shift - 2}:0])" if shift >= 2 else "1'b0"
    negative, odd = f"{xe}[{width - 1}]", f"{xe}[{shift}]"
    return {
        Rounding.TRN: None,
        Rounding.TRN_ZERO: f"{negative} & (|{xe}[{shift - 1}:0])",
        Rounding.RND: half,
        Rounding.RND_ZERO: f"{half} & ({below} | {negative})",
        Rounding.RND_INF: f"{half} & ({below} | ~{negative})",
        Rounding.RND_MIN_INF: f"{half} & {below}",
        Rounding.RND_CONV: f"{half} & ({below} | {odd})",
    }[rounding]


def cast_function_text(
    name: str, src: FixedFormat, dst: FixedFormat, rounding: Rounding, overflow: Overflow, offset: int = 0
) -> str:
    """A Verilog function: a `src` code (minus `offset`) -> its `dst` code, as fixedpoint.cast_codes."""
    shift = src.frac_bits - dst.frac_bits
    lo_src, hi_src = src.min_code - offset, src.max_code - offset
    span = max(abs(lo_src), abs(hi_src))
    # xe: the source code (minus the offset) sign-extended; wide enough for the dropped bits and
    # the bit above them (shift + 2) and for an unsigned source's zero sign bit
    width = max(src.width + 1, shift + 2, span.bit_length() + 2)
    result_width = width - min(shift, 0)
    lines = [
        f"// fixed.cast {src} -> {dst} {rounding.value} {overflow.value}"
        + (f" of code - ({offset})" if offset else ""),
        f"function {'signed ' if dst.signed else ''}[{dst.width - 1}:0] {name};",
        f"    input {'signed ' if src.signed else ''}[{src.width - 1}:0] code;",
        f"    reg signed [{width - 1}:0] xe;",
        f"    reg signed [{result_width - 1}:0] r;",
        "    begin",
        "        xe = code;",
    ]
    if offset:
        lines.append(f"        xe = xe - {signed_literal(offset)};")
    if shift > 0:
        up = _round_up(rounding, "xe", shift, width)
        increment = f" + $signed({{1'b0, {up}}})" if up else ""
        lines.append(f"        r = (xe >>> {shift}){increment};")
        lo, hi = lo_src >> shift, (hi_src >> shift) + (up is not None)
    elif shift < 0:
        lines.append(f"        r = xe <<< {-shift};")
        lo, hi = lo_src << -shift, hi_src << -shift
    else:
        lines.append("        r = xe;")
        lo, hi = lo_src, hi_src
    low, high = dst.min_code, dst.max_code
    if overflow == Overflow.SAT_SYM and dst.signed:
        low = -high
    checks = []
    if overflow != Overflow.WRAP and lo < low:
        checks.append((f"r < {signed_literal(low)}", 0 if overflow == Overflow.SAT_ZERO else low))
    if overflow != Overflow.WRAP and hi > high:
        checks.append((f"r > {signed_literal(high)}", 0 if overflow == Overflow.SAT_ZERO else high))
    for k, (condition, code) in enumerate(checks):
        lines.append(
            f"        {'if' if k == 0 else 'else if'} ({condition}) {name} = {literal(code, dst.width, False)};"
        )
    lines.append(f"        {'else ' if checks else ''}{name} = r;")
    lines += ["    end", "endfunction"]
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------------
# One function per op


def shape_of(value: SSAValue) -> tuple[int, ...]:
    return tuple(value.type.get_shape())


def _broadcast(operand: SSAValue, out: tuple[int, ...]) -> np.ndarray:
    """For each element of the result, the index of the operand's element it reads."""
    shape = shape_of(operand)
    indices = np.arange(math.prod(shape)).reshape(shape)
    return np.broadcast_to(indices, out).ravel()


def shifted(expression: str, shift: int) -> str:
    return f"({expression} <<< {shift})" if shift else expression


def balanced_sum(terms: list[str]) -> str:
    """terms added as a balanced tree, ((a + b) + (c + d)) + ...: the same value (addition modulo 2^W
    is associative) with log2(n) adders on a path instead of n (in hardware, and in the C++ that
    CXXRTL generates from it, which g++ compiles far faster than an n-deep nest)."""
    while len(terms) > 2:
        pairs = [f"({a} + {b})" for a, b in zip(terms[0::2], terms[1::2])]
        terms = pairs + ([terms[-1]] if len(terms) % 2 else [])
    return " + ".join(terms)


def emit_constant(k: KernelModule, op: fixed.ConstantOp) -> None:
    codes = np.asarray(op.values()).ravel()
    fmt = fixed.format_of(op.result)
    k.tensors[op.result] = Tensor(fmt, [literal(int(c), fmt.width, fmt.signed) for c in codes], codes)


def emit_cast(k: KernelModule, op: fixed.CastOp) -> None:
    x = k.tensors[op.input]
    function = k.cast_function(x.fmt, fixed.format_of(op.output), *op.modes)
    y = k.result(op)
    for i, name in enumerate(y.elements):
        k.assign(name, f"{function}({x.elements[i]})")


def emit_cast_each(k: KernelModule, op: fixed.CastEachOp) -> None:
    """Each element cast into its own type, then widened exactly into the result type."""
    x, dst = k.tensors[op.input], fixed.format_of(op.output)
    types = op.element_types()
    y = k.result(op)
    shape = shape_of(op.output)
    for fmt in types.formats():
        where = np.flatnonzero(types.where(fmt, shape))
        if fmt is None:
            for i in where:
                k.assign(y.elements[i], literal(0, dst.width, dst.signed))
            continue
        cast = k.cast_function(x.fmt, fmt, *op.modes)
        widen = k.cast_function(fmt, dst, Rounding.TRN, Overflow.WRAP)
        for i in where:
            k.assign(y.elements[i], f"{widen}({cast}({x.elements[i]}))")


def emit_relu(k: KernelModule, op: fixed.ReluOp) -> None:
    x = k.tensors[op.input]
    if not x.fmt.signed:  # nothing below zero
        k.tensors[op.output] = x
        return
    y = k.result(op)
    zero = literal(0, x.fmt.width, True)
    for i, name in enumerate(y.elements):
        k.assign(name, f"{x.elements[i]} > {zero} ? {x.elements[i]} : {zero}")


def emit_abs(k: KernelModule, op: fixed.AbsOp) -> None:
    """|x|, keeping the result type's low bits (the negation is exact at the result's width)."""
    x = k.tensors[op.input]
    y = k.result(op)
    zero = literal(0, x.fmt.width, x.fmt.signed)
    for i, name in enumerate(y.elements):
        k.assign(
            name, f"{x.elements[i]} < {zero} ? -{x.elements[i]} : {x.elements[i]}" if x.fmt.signed else x.elements[i]
        )


def emit_clamp(k: KernelModule, op: fixed.ClampOp) -> None:
    """x clamped to [low, high] (codes in x's step), compared as signed numbers."""
    x = k.tensors[op.input]
    low, high = signed_literal(op.low.value.data), signed_literal(op.high.value.data)
    y = k.result(op)
    for i, name in enumerate(y.elements):
        v = x.operand(i, True)
        k.assign(name, f"{v} < {low} ? {low} : ({v} > {high} ? {high} : {v})")


def emit_select(k: KernelModule, op: fixed.SelectOp) -> None:
    """cond > 0 ? a : b, both aligned to the result's step."""
    c, a, b = (k.tensors[v] for v in (op.cond, op.lhs, op.rhs))
    fy = fixed.format_of(op.output)
    signed = a.fmt.signed or b.fmt.signed
    out = shape_of(op.output)
    ic, ia, ib = (_broadcast(v, out) for v in (op.cond, op.lhs, op.rhs))
    zero = literal(0, c.fmt.width, c.fmt.signed)
    y = k.result(op)
    for i, name in enumerate(y.elements):
        left = shifted(a.operand(int(ia[i]), signed), fy.frac_bits - a.fmt.frac_bits)
        right = shifted(b.operand(int(ib[i]), signed), fy.frac_bits - b.fmt.frac_bits)
        k.assign(name, f"{c.operand(int(ic[i]), c.fmt.signed)} > {zero} ? {left} : {right}")


def emit_binary(k: KernelModule, op: fixed.BinaryOp) -> None:
    a, b = k.tensors[op.lhs], k.tensors[op.rhs]
    fy = fixed.format_of(op.output)
    signed = a.fmt.signed or b.fmt.signed
    out = shape_of(op.output)
    ia, ib = _broadcast(op.lhs, out), _broadcast(op.rhs, out)
    y = k.result(op)
    for i, name in enumerate(y.elements):
        left, right = a.operand(int(ia[i]), signed), b.operand(int(ib[i]), signed)
        if isinstance(op, fixed.MulOp):
            k.assign(name, f"{left} * {right}")
        else:
            symbol = "+" if isinstance(op, fixed.AddOp) else "-"
            sa, sb = fy.frac_bits - a.fmt.frac_bits, fy.frac_bits - b.fmt.frac_bits
            k.assign(name, f"{shifted(left, sa)} {symbol} {shifted(right, sb)}")


def dense_terms(k: KernelModule, op: fixed.DenseOp) -> Iterator[tuple[str, list[str], str | None]]:
    """Per element of a fixed.dense's result: its wire, its terms ((bias[j] << sb), then each
    x[r, i] * w[i, j] << s but for zero weights) and the bias term if it is a constant (else None)."""
    x, w = k.tensors[op.input], k.tensors[op.weight]
    bias = k.tensors[op.bias] if op.bias is not None else None
    fy = fixed.format_of(op.output)
    signed = x.fmt.signed or w.fmt.signed or (bias is not None and bias.fmt.signed)
    n, m = shape_of(op.weight)
    shift = fy.frac_bits - x.fmt.frac_bits - w.fmt.frac_bits
    y = k.result(op)
    for flat, name in enumerate(y.elements):
        r, j = divmod(flat, m)
        terms, constant = [], None
        if bias is not None:
            terms.append(shifted(bias.operand(j, signed), fy.frac_bits - bias.fmt.frac_bits))
            constant = terms[0] if bias.codes is not None else None
        for i in range(n):
            if w.codes is not None and int(w.codes[i * m + j]) == 0:
                continue
            terms.append(shifted(f"{x.operand(r * n + i, signed)} * {w.operand(i * m + j, signed)}", shift))
        yield name, terms, constant


def emit_dense(k: KernelModule, op: fixed.DenseOp) -> None:
    """acc[r, j] = (bias[j] << sb) + sum_i (x[r, i] * w[i, j] << s): products of zero weights left out."""
    fy = fixed.format_of(op.output)
    for name, terms, _ in dense_terms(k, op):
        k.assign(name, balanced_sum(terms) if terms else literal(0, fy.width, fy.signed))


def _tree(k: KernelModule, items: list[str], combine: Callable[[str, str], str], fmt: FixedFormat, base: str) -> str:
    """Combine items pairwise (a balanced tree of wires of `fmt`); the root's expression."""
    while len(items) > 1:
        paired = []
        for a, b in zip(items[0::2], items[1::2]):
            wire = k.names.take(base)
            k.body.append(f"{declaration(fmt, wire)};")
            k.assign(wire, combine(a, b))
            paired.append(wire)
        items = paired + ([items[-1]] if len(items) % 2 else [])
    return items[0]


def emit_reduce(k: KernelModule, op: fixed.ReduceOp) -> None:
    x = k.tensors[op.input]
    shape, axis = shape_of(op.input), op.axis.value.data
    outer, n, inner = math.prod(shape[:axis]), shape[axis], math.prod(shape[axis + 1 :])
    y = k.result(op)
    for o in range(outer):
        for j in range(inner):
            indices = [o * n * inner + t * inner + j for t in range(n)]
            name = y.elements[o * inner + j]
            if isinstance(op, fixed.ReduceMaxOp):
                items = [x.elements[i] for i in indices]
                k.assign(name, _tree(k, items, lambda a, b: f"{a} > {b} ? {a} : {b}", x.fmt, f"{name}_max"))
            else:
                k.assign(name, balanced_sum([x.operand(i, x.fmt.signed) for i in indices]))


def emit_lookup(k: KernelModule, op: fixed.LookupOp) -> None:
    """index = cast(x - offset, index type, TRN, SAT); y = table[index] (a ROM)."""
    x = k.tensors[op.input]
    index = op.index_type.format
    function = k.cast_function(
        x.fmt, index, Rounding.TRN, Overflow.SAT, op.offset.value.data, f"{op.function.data}_index"
    )
    fy = fixed.format_of(op.output)
    table = k.names.take(f"{op.function.data}_table")
    codes = op.table_codes()
    rom = [
        f"// fixed.lookup {op.function.data}: {codes.size} entries of {fy}",
        f"reg [{fy.width - 1}:0] {table} [0:{codes.size - 1}];",
    ]
    rom.append("initial begin")
    rom += [f"    {table}[{i}] = {literal(int(c), fy.width, False)};" for i, c in enumerate(codes)]
    rom.append("end")
    k.roms.append("\n".join(rom))
    y = k.result(op)
    for i, name in enumerate(y.elements):
        position = k.names.take(f"{name}_index")
        k.body.append(f"wire [{index.width - 1}:0] {position} = {function}({x.elements[i]});")
        k.assign(name, f"{table}[{position}]")


# Layout ops: the same element expressions in another order


def _move(k: KernelModule, op: Operation, source: Callable[[tuple[int, ...]], int]) -> None:
    x = k.tensors[op.operands[0]]
    out = shape_of(op.results[0])
    order = [source(pos) for pos in np.ndindex(*out)] if out else [source(())]
    codes = x.codes[order] if x.codes is not None else None
    k.tensors[op.results[0]] = Tensor(x.fmt, [x.elements[i] for i in order], codes)


def _flat(pos, shape) -> int:
    return int(np.ravel_multi_index(pos, shape)) if shape else 0


def emit_reshape(k: KernelModule, op: layout.ReshapeOp) -> None:
    k.tensors[op.output] = k.tensors[op.input]


def emit_transpose(k: KernelModule, op: layout.TransposeOp) -> None:
    perm, shape = ints(op.perm), shape_of(op.input)

    def source(pos):
        index = [0] * len(pos)
        for d, p in enumerate(perm):
            index[p] = pos[d]
        return _flat(tuple(index), shape)

    _move(k, op, source)


def emit_slice(k: KernelModule, op: layout.SliceOp) -> None:
    offsets, shape = ints(op.offsets), shape_of(op.input)
    _move(k, op, lambda pos: _flat(tuple(p + o for p, o in zip(pos, offsets)), shape))


EMITTERS: dict[type[Operation], Callable[[KernelModule, Operation], None]] = {
    fixed.ConstantOp: emit_constant,
    fixed.CastOp: emit_cast,
    fixed.CastEachOp: emit_cast_each,
    fixed.ReluOp: emit_relu,
    fixed.AbsOp: emit_abs,
    fixed.ClampOp: emit_clamp,
    fixed.SelectOp: emit_select,
    fixed.AddOp: emit_binary,
    fixed.SubOp: emit_binary,
    fixed.MulOp: emit_binary,
    fixed.DenseOp: emit_dense,
    fixed.ReduceMaxOp: emit_reduce,
    fixed.ReduceSumOp: emit_reduce,
    fixed.LookupOp: emit_lookup,
    layout.ReshapeOp: emit_reshape,
    layout.TransposeOp: emit_transpose,
    layout.SliceOp: emit_slice,
}
