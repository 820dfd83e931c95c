"""C++ (io_parallel) for convolutions, pooling, selection, clamping and the layout ops.

Arrays are flat and row-major ([*spatial, C] for images); each op is a loop nest over its output
with constant bounds (unrolled under the top's pipeline), reading its inputs through index
expressions. Nothing here decides a type: an exact op's C++ expression is exact in `ap_fixed`, and
assignments into the result type are exact by the IR's construction.
"""

from __future__ import annotations

import math

from compiler.emitter.cpp import broadcast_index, literal, row_major_strides, shape_of
from compiler.emitter.vendors import (
    MultiplierLimit,
    Partition,
    Rounds,
)
from dialects import fixed, layout
from dialects.fixedpoint import codes_to_floats
from dialects.layer import ints


def _flat(names: list[str], shape) -> str:
    """Row-major flat index of a multi-index given as C expressions."""
    terms = [f"{n} * {s}" if s != 1 else n for n, s in zip(names, row_major_strides(shape))]
    return " + ".join(terms) if terms else "0"


def _value(code: int, value) -> str:
    fmt = fixed.format_of(value)
    return literal(float(codes_to_floats([code], fmt)[0]))


def _loops(em, what: str, shape, names: list[str]):
    """Open one unrolled loop per axis (returns the context managers' exit stack depth)."""
    for depth, (n, size) in enumerate(zip(names, shape)):
        head = f"for (int {n} = 0; {n} < {size}; {n}++)"
        em.code.open(f"{em.label(what)}{head}" if depth == 0 else head)
        em.unroll()


def _close(em, count: int) -> None:
    for _ in range(count):
        em.code.close()


def emit_conv(em, op: fixed.ConvOp) -> None:
    """acc[p, o] = bias[o] + sum over taps and the group's channels of x[in(p, t), c] * w[t, c, o]."""
    x_shape, w_shape, y_shape = (tuple(v.type.get_shape()) for v in (op.input, op.weight, op.output))
    rank = len(x_shape) - 1
    strides, pads, dilations = ints(op.strides), ints(op.pads), ints(op.dilations)
    groups = op.groups.value.data
    per_group, outs = w_shape[-2], w_shape[-1]
    x, w, acc = em.array[op.input], em.array[op.weight], em.array[op.output]
    out_names, tap_names = ["p0", "p1"][:rank], ["t0", "t1"][:rank]
    _loops(em, "ConvInit", y_shape, [*out_names, "o"])
    bias = f"{em.array[op.bias]}[o]" if op.bias is not None else "0"
    em.code(f"{acc}[{_flat([*out_names, 'o'], y_shape)}] = {bias};")
    _close(em, rank + 1)
    if em.strategy.value == "latency":
        em.code.directive(Partition(w))
    work = math.prod(y_shape) * math.prod(w_shape[:-1])
    if em.reuse > 1:
        lanes = math.ceil(work / em.reuse)
        em.code(f"// reuse factor {em.reuse}: {lanes} multiplier{'s' if lanes > 1 else ''}, one round per cycle")
        em.code.directive(MultiplierLimit(lanes))
        with em.code.block(f"{em.label('ReuseLoop')}for (int round = 0; round < {em.reuse}; round++)"):
            em.code.directive(Rounds(em.strategy.value == "resource"))
            with em.code.block(f"for (int lane = 0; lane < {lanes}; lane++)"):
                em.unroll()
                em.code(f"int k = round + {em.reuse} * lane;")
                if lanes * em.reuse != work:
                    em.code(f"if (k >= {work}) continue;  // the last round is partial")
                # k runs over (output position, output channel, tap, channel in group)
                inner = [*y_shape[:-1], outs, *w_shape[:-2], per_group]
                names = [*out_names, "o", *tap_names, "c"]
                for name, stride, size in zip(names, row_major_strides(inner), inner):
                    em.code(f"int {name} = k / {stride} % {size};")
                _conv_body(em, x, w, acc, x_shape, w_shape, y_shape, strides, pads, dilations, per_group, outs, groups)
        return
    _loops(em, "ConvMac", [*y_shape[:-1], outs, *w_shape[:-2], per_group], [*out_names, "o", *tap_names, "c"])
    _conv_body(em, x, w, acc, x_shape, w_shape, y_shape, strides, pads, dilations, per_group, outs, groups)
    _close(em, 2 * rank + 2)


def _conv_body(em, x, w, acc, x_shape, w_shape, y_shape, strides, pads, dilations, per_group, outs, groups) -> None:
    rank = len(x_shape) - 1
    coords = []
    for d in range(rank):
        em.code(f"int i{d} = p{d} * {strides[d]} + t{d} * {dilations[d]} - {pads[d]};")
        coords.append(f"i{d}")
    inside = " && ".join(f"i{d} >= 0 && i{d} < {x_shape[d]}" for d in range(rank))
    channel = f"o / {outs // groups} * {per_group} + c" if groups > 1 else "c"
    x_index = _flat([*coords, f"({channel})"], x_shape)
    w_index = _flat([f"t{d}" for d in range(rank)] + ["c", "o"], w_shape)
    y_index = _flat([f"p{d}" for d in range(rank)] + ["o"], y_shape)
    em.code(f"if ({inside}) {acc}[{y_index}] += {x}[{x_index}] * {w}[{w_index}];")


def emit_pool(em, op: fixed.MaxPoolOp | fixed.SumPoolOp) -> None:
    x_shape, y_shape = tuple(op.input.type.get_shape()), tuple(op.output.type.get_shape())
    rank = len(x_shape) - 1
    kernel, strides, pads = ints(op.kernel), ints(op.strides), ints(op.pads)
    x, y = em.array[op.input], em.array[op.output]
    out_names = ["p0", "p1"][:rank]
    _loops(em, "Pool", y_shape, [*out_names, "c"])
    fmt = fixed.format_of(op.input)
    start = _value(fmt.min_code, op.input) if isinstance(op, fixed.MaxPoolOp) else "0"
    em.code(f"{em.type_of(op.output)} r = {start};")
    for d in range(rank):
        em.code.open(f"for (int t{d} = 0; t{d} < {kernel[d]}; t{d}++)")
        em.unroll()
    for d in range(rank):
        em.code(f"int i{d} = p{d} * {strides[d]} + t{d} - {pads[d]};")
    inside = " && ".join(f"i{d} >= 0 && i{d} < {x_shape[d]}" for d in range(rank))
    item = f"{x}[{_flat([*(f'i{d}' for d in range(rank)), 'c'], x_shape)}]"
    em.code(
        f"if ({inside} && {item} > r) r = {item};" if isinstance(op, fixed.MaxPoolOp) else f"if ({inside}) r += {item};"
    )
    _close(em, rank)
    em.code(f"{y}[{_flat([*out_names, 'c'], y_shape)}] = r;")
    _close(em, rank + 1)


def emit_select(em, op: fixed.SelectOp) -> None:
    out = shape_of(op.output)
    c, a, b = (f"{em.array[v]}[{broadcast_index('i', out, shape_of(v))}]" for v in op.operands)
    t = em.type_of(op.output)
    em.elementwise("Select", math.prod(out), f"{em.array[op.output]}[i] = {c} > 0 ? {t}({a}) : {t}({b});")


def emit_clamp(em, op: fixed.ClampOp) -> None:
    x, y = em.array[op.input], em.array[op.output]
    t = em.type_of(op.output)
    low, high = (f"{t}({_value(code, op.input)})" for code in (op.low.value.data, op.high.value.data))
    em.elementwise(
        "Clamp",
        math.prod(op.input.type.get_shape()),
        f"{y}[i] = {x}[i] < {low} ? {low} : ({x}[i] > {high} ? {high} : {t}({x}[i]));",
    )


def emit_concat(em, op: layout.ConcatOp) -> None:
    """Each input copied into its slice of the result along the axis."""
    y_shape, y = tuple(op.output.type.get_shape()), em.array[op.output]
    names = [f"i{d}" for d in range(len(y_shape))]
    axis, start = op.axis.value.data, 0
    for value in op.inputs:
        shape = tuple(value.type.get_shape())
        _loops(em, "Concat", shape, names)
        target = [f"({n} + {start})" if d == axis else n for d, n in enumerate(names)]
        em.code(f"{y}[{_flat(target, y_shape)}] = {em.array[value]}[{_flat(names, shape)}];")
        _close(em, len(shape))
        start += shape[axis]


def emit_reshape(em, op: layout.ReshapeOp) -> None:
    """Row-major arrays: the same elements in the same order."""
    em.elementwise(
        "Reshape", math.prod(op.output.type.get_shape()), f"{em.array[op.output]}[i] = {em.array[op.input]}[i];"
    )


def _move(em, op: layout.MoveOp, source) -> None:
    """One loop nest over the result, reading the input element `source(names)` (C index
    expressions per input axis) each position comes from."""
    x_shape, y_shape = tuple(op.input.type.get_shape()), tuple(op.output.type.get_shape())
    names = [f"i{d}" for d in range(len(y_shape))]
    _loops(em, type(op).__name__.removesuffix("Op"), y_shape, names)
    em.code(f"{em.array[op.output]}[{_flat(names, y_shape)}] = {em.array[op.input]}[{_flat(source(names), x_shape)}];")
    _close(em, len(y_shape))


def emit_transpose(em, op: layout.TransposeOp) -> None:
    def source(names: list[str]) -> list[str]:
        out = [""] * len(names)
        for k, p in enumerate(ints(op.perm)):
            out[p] = names[k]
        return out

    _move(em, op, source)


def emit_slice(em, op: layout.SliceOp) -> None:
    _move(em, op, lambda names: [f"({n} + {o})" if o else n for n, o in zip(names, ints(op.offsets))])


def emit_resize(em, op: layout.ResizeOp) -> None:
    _move(em, op, lambda names: [f"({n} / {s})" if s > 1 else n for n, s in zip(names, ints(op.scales))])


def emit_pad(em, op: layout.PadOp) -> None:
    """The input where the position falls inside it, the padding value elsewhere."""
    x_shape, y_shape = tuple(op.input.type.get_shape()), tuple(op.output.type.get_shape())
    x, y, t = em.array[op.input], em.array[op.output], em.type_of(op.output)
    names = [f"i{d}" for d in range(len(y_shape))]
    pads = ints(op.pads)
    _loops(em, "Pad", y_shape, names)
    source = [f"({n} - {pads[d]})" if pads[d] else n for d, n in enumerate(names)]
    inside = " && ".join(f"{s} >= 0 && {s} < {x_shape[d]}" for d, s in enumerate(source)) or "true"
    fill = f"{t}({literal(op.value.value.data)})"
    em.code(f"{y}[{_flat(names, y_shape)}] = ({inside}) ? {t}({x}[{_flat(source, x_shape)}]) : {fill};")
    _close(em, len(y_shape))
