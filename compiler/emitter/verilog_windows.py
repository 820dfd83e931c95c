"""Verilog for the window ops (conv, max and sum pools), thresholds, and the layout ops that add
constants or repeat elements (pad, resize, a concat of inputs of different types).

Takes these ops inside an io_parallel kernel at reuse factor 1, in the `KernelModule` of
verilog_ops.py, and gives the same kind of combinational logic, one wire per element; the semantics
are the emulator's (runtime/interp_fixed.py, runtime/windows.py) and the C++ printers'
(compiler/emitter/spatial.py, kernels.py), element by element:

- `fixed.conv`: y[p, o] = (bias[o] << sb) + sum over the taps t inside the input and the channels c
  of o's group of (x[p * stride + t * dilation - pad, g(o) * C/g + c] * w[t, c, o] << s), for any
  strides, dilations, padding (begin and end per axis) and groups (depthwise: groups = channels).
  Padding adds zeros, so those taps are left out, as are the products of constant zero weights; the
  rest is one balanced adder tree per output element, evaluated at least as wide as the IR's
  accumulator type and assigned to it (the low W bits of the exact sum, as emit_dense). At reuse
  factor R > 1 a kernel with a conv is refused: shared multipliers are verilog_reuse.py's, for dense.
- `fixed.max_pool`: a balanced tree of comparators over the window's positions inside the input
  (padding never wins; a window entirely in the padding gives the type's minimum, as the emulator's
  padding with it). `fixed.sum_pool`: the window's positions inside the input added as a balanced
  tree at the result's width (padding adds zeros).
- `fixed.threshold`: per element the comparisons x >= threshold of its channel's row, added into a
  count (thresholds at or below the input type's minimum are always reached and counted as a
  constant, those above its maximum never), which reads a ROM of the op's values at
  row * (L + 1) + count (kernels.py emit_threshold: values[c * (L + 1) + reached]).
- `layout.pad`: the input's elements and the padding code as a literal; `layout.resize`: each input
  element repeated (nearest neighbour). Wiring only.
- `layout.concat`: the inputs' elements in order; an input of another type than the result's is
  first cast into it exactly (TRN WRAP, which the verifier guarantees to be exact: the emulator's
  cast_codes), through verilog_ops' cast functions.

verilog.py joins WINDOW_EMITTERS with verilog_ops.EMITTERS into the printer of each op.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from xdsl.ir import Operation

from compiler.emitter.verilog_ops import (
    BACKEND,
    KernelModule,
    Tensor,
    _tree,
    balanced_sum,
    declaration,
    literal,
    shape_of,
    shifted,
    signed_literal,
)
from dialects import fixed, layout
from dialects.dataflow import KernelOp
from dialects.errors import CompileError
from dialects.fixedpoint import FixedFormat, Overflow, Rounding, cast_codes
from dialects.layer import ints


def _inside(position: tuple[int, ...], shape: tuple[int, ...]) -> bool:
    return all(0 <= i < n for i, n in zip(position, shape))


def _flat(position: tuple[int, ...], shape: tuple[int, ...]) -> int:
    return int(np.ravel_multi_index(position, shape)) if shape else 0


def _window(
    out: tuple[int, ...],
    kernel: tuple[int, ...],
    strides: tuple[int, ...],
    pads: tuple[int, ...],
    dilations: tuple[int, ...],
    spatial: tuple[int, ...],
) -> list[tuple[int, int]]:
    """The taps of the window of output position `out` that fall inside the input: (the tap's flat
    index in the kernel, the input position's flat index in `spatial`); padding is left out."""
    taps = []
    for t, tap in enumerate(np.ndindex(*kernel)):
        source = tuple(p * s + k * d - b for p, k, s, d, b in zip(out, tap, strides, dilations, pads))
        if _inside(source, spatial):
            taps.append((t, _flat(source, spatial)))
    return taps


def _kernel_name(op: Operation) -> str:
    kernel = op.parent_op()
    return kernel.sym_name.data if isinstance(kernel, KernelOp) else "?"


def emit_conv(k: KernelModule, op: fixed.ConvOp) -> None:
    """acc[p, o] = (bias[o] << sb) + sum over inside taps t and group channels c of x * w[t, c, o] << s."""
    if k.reuse > 1:
        raise CompileError(
            f"{BACKEND}: kernel '{_kernel_name(op)}' has reuse factor {k.reuse} and a fixed.conv; only reuse"
            " factor 1 is supported for convolutions"
        )
    x, w = k.tensors[op.input], k.tensors[op.weight]
    bias = k.tensors[op.bias] if op.bias is not None else None
    fy = fixed.format_of(op.output)
    signed = x.fmt.signed or w.fmt.signed or (bias is not None and bias.fmt.signed)
    x_shape, w_shape, y_shape = shape_of(op.input), shape_of(op.weight), shape_of(op.output)
    rank = len(x_shape) - 1
    spatial, channels = x_shape[:-1], x_shape[-1]
    per_group, outs = w_shape[-2], w_shape[-1]
    per_group_out = outs // op.groups.value.data
    strides, pads, dilations = ints(op.strides), ints(op.pads), ints(op.dilations)
    shift = fy.frac_bits - x.fmt.frac_bits - w.fmt.frac_bits
    y = k.result(op)
    for p, position in enumerate(np.ndindex(*y_shape[:-1])):
        taps = _window(position, w_shape[:rank], strides, pads, dilations, spatial)
        for o in range(outs):
            first = o // per_group_out * per_group  # the first input channel of o's group
            terms = []
            if bias is not None:
                terms.append(shifted(bias.operand(o, signed), fy.frac_bits - bias.fmt.frac_bits))
            for t, source in taps:
                for c in range(per_group):
                    wi = (t * per_group + c) * outs + o
                    if w.codes is not None and int(w.codes[wi]) == 0:
                        continue
                    xi = source * channels + first + c
                    terms.append(shifted(f"{x.operand(xi, signed)} * {w.operand(wi, signed)}", shift))
            k.assign(y.elements[p * outs + o], balanced_sum(terms) if terms else literal(0, fy.width, fy.signed))


def emit_pool(k: KernelModule, op: fixed.MaxPoolOp | fixed.SumPoolOp) -> None:
    """The max (comparator tree) or the sum (adder tree) of each window's positions inside the input."""
    x = k.tensors[op.input]
    x_shape, y_shape = shape_of(op.input), shape_of(op.output)
    spatial, channels = x_shape[:-1], x_shape[-1]
    kernel = ints(op.kernel)
    fy = fixed.format_of(op.output)
    is_max = isinstance(op, fixed.MaxPoolOp)
    y = k.result(op)
    for p, position in enumerate(np.ndindex(*y_shape[:-1])):
        taps = _window(position, kernel, ints(op.strides), ints(op.pads), (1,) * len(kernel), spatial)
        for c in range(channels):
            name = y.elements[p * channels + c]
            indices = [source * channels + c for _, source in taps]
            if not indices:  # the window lies in the padding: the emulator's padding value
                k.assign(name, literal(x.fmt.min_code if is_max else 0, fy.width, fy.signed))
            elif is_max:
                items = [x.elements[i] for i in indices]
                k.assign(name, _tree(k, items, lambda a, b: f"{a} > {b} ? {a} : {b}", x.fmt, f"{name}_max"))
            else:
                k.assign(name, balanced_sum([x.operand(i, x.fmt.signed) for i in indices]))


def emit_threshold(k: KernelModule, op: fixed.ThresholdOp) -> None:
    """y = values[row, n], n = how many of the row's thresholds x reaches (comparators, then a count)."""
    x = k.tensors[op.input]
    thresholds, values = op.threshold_codes(), op.value_codes()
    rows, count = thresholds.shape
    fy = fixed.format_of(op.output)
    shape = shape_of(op.input)
    channels = shape[-1] if shape else 1
    index_bits = max(1, (values.size - 1).bit_length())
    table = ""
    y = k.result(op)
    for i, name in enumerate(y.elements):
        row = i % channels if rows > 1 else 0
        always = sum(int(t) <= x.fmt.min_code for t in thresholds[row])
        compared = [int(t) for t in thresholds[row] if x.fmt.min_code < int(t) <= x.fmt.max_code]
        if not compared:  # the same count for every x: a constant
            k.assign(name, literal(int(values[row, always]), fy.width, fy.signed))
            continue
        if not table:
            table = k.names.take(f"{op.result_name()}_values")
            k.roms.append(_values_rom(table, values, fy))
        v = x.operand(i, True)  # compared as signed numbers (a threshold may lie below an unsigned type)
        reached = k.names.take(f"{name}_count")
        k.body.append(f"wire [{len(compared).bit_length() - 1}:0] {reached};")
        k.assign(reached, balanced_sum([f"({v} >= {signed_literal(t)})" for t in compared]))
        base = row * (count + 1) + always
        k.assign(name, f"{table}[{literal(base, index_bits, False)} + {reached}]")


def _values_rom(table: str, values: np.ndarray, fy: FixedFormat) -> str:
    rows, entries = values.shape
    lines = [
        f"// fixed.threshold: {rows} row{'s' if rows != 1 else ''} of {entries} values of {fy}"
        f" (row r, count n at r * {entries} + n)",
        f"reg [{fy.width - 1}:0] {table} [0:{values.size - 1}];",
        "initial begin",
        *[f"    {table}[{i}] = {literal(int(c), fy.width, False)};" for i, c in enumerate(values.ravel())],
        "end",
    ]
    return "\n".join(lines)


# Layout ops: wiring, and literals for the padding


def _gather(k: KernelModule, op: Operation, sources: list[int | None], fill: int = 0) -> None:
    """The result's elements: the input's element `sources[i]`, or the code `fill` where it is None."""
    x = k.tensors[op.operands[0]]
    elements = [x.elements[s] if s is not None else literal(fill, x.fmt.width, x.fmt.signed) for s in sources]
    codes = None
    if x.codes is not None:
        codes = np.array([x.codes[s] if s is not None else fill for s in sources], dtype=x.codes.dtype)
    k.tensors[op.results[0]] = Tensor(x.fmt, elements, codes)


def emit_pad(k: KernelModule, op: layout.PadOp) -> None:
    """The input where the position falls inside it (after the `begin` pads), the padding code elsewhere."""
    x_shape, pads = shape_of(op.input), ints(op.pads)
    sources: list[int | None] = []
    for position in np.ndindex(*shape_of(op.output)):
        source = tuple(i - pads[d] for d, i in enumerate(position))
        sources.append(_flat(source, x_shape) if _inside(source, x_shape) else None)
    _gather(k, op, sources, int(op.pad_code()))


def emit_resize(k: KernelModule, op: layout.ResizeOp) -> None:
    """Nearest neighbour: output position i reads input position i // scale on each axis."""
    x_shape, scales = shape_of(op.input), ints(op.scales)
    sources = [
        _flat(tuple(i // s for i, s in zip(position, scales)), x_shape) for position in np.ndindex(*shape_of(op.output))
    ]
    _gather(k, op, sources)


def emit_concat(k: KernelModule, op: layout.ConcatOp) -> None:
    """The inputs joined along the axis, each first cast exactly into the result's type if it has another."""
    out, axis = shape_of(op.output), op.axis.value.data
    fmt = fixed.format_of(op.output)
    pieces, starts, start = [], [], 0
    for t, value in enumerate(op.inputs):
        starts.append(start)
        start += shape_of(value)[axis]
        piece = k.tensors[value]
        if piece.fmt != fmt:
            piece = _widened(k, piece, fmt, f"{op.result_name()}_in{t}")
        pieces.append(piece)
    elements, codes = [], []
    for position in np.ndindex(*out):
        which = max(t for t, s in enumerate(starts) if s <= position[axis])
        local = tuple(p - starts[which] if d == axis else p for d, p in enumerate(position))
        index = _flat(local, shape_of(op.inputs[which]))
        elements.append(pieces[which].elements[index])
        codes.append(pieces[which].codes[index] if pieces[which].codes is not None else None)
    constant = all(c is not None for c in codes)
    k.tensors[op.output] = Tensor(fmt, elements, np.array(codes, dtype=object) if constant else None)


def _widened(k: KernelModule, piece: Tensor, fmt: FixedFormat, base: str) -> Tensor:
    """A tensor in `fmt`, which holds every value of piece's type: a wire per element (cast, TRN WRAP)."""
    if piece.codes is not None:
        codes = cast_codes(np.asarray(piece.codes), piece.fmt, fmt)
        return Tensor(fmt, [literal(int(c), fmt.width, fmt.signed) for c in codes], codes)
    function = k.cast_function(piece.fmt, fmt, Rounding.TRN, Overflow.WRAP)
    size = len(piece.elements)
    names = [k.names.take(base)] if size == 1 else [k.names.take(f"{base}_{i}") for i in range(size)]
    for name, element in zip(names, piece.elements):
        k.body.append(f"{declaration(fmt, name)} = {function}({element});")
    return Tensor(fmt, names)


WINDOW_EMITTERS: dict[type[Operation], Callable[[KernelModule, Operation], None]] = {
    fixed.ConvOp: emit_conv,
    fixed.MaxPoolOp: emit_pool,
    fixed.SumPoolOp: emit_pool,
    fixed.ThresholdOp: emit_threshold,
    layout.PadOp: emit_pad,
    layout.ResizeOp: emit_resize,
    layout.ConcatOp: emit_concat,
}
