"""plan-streams: decide how each kernel of an io_stream design handles its stream of packets.

Takes dataflow IR as fixed-to-dataflow leaves it; gives the same with every top-level kernel of an
io_stream design carrying `stream` (dialects/dataflow.py), decided from how its ops stream (each op's
`Streamable` interface), and rewritten to the form the hardware computes:
- "fork": a kernel that only passes its input to several readers;
- "pixel": every op acts on each position alone (its data operands have the result's positions):
  the region becomes the ops of ONE position, each op's own `at_one_position` form (a 1x1
  convolution becomes a dense layer over the channels, a reduction or concat over the channels
  works on axis 0, a constant broadcast over the positions becomes its channels);
- "window": a convolution or pool over the kernel's input, then ops that act on each of its output
  positions alone: the window op stays, with `steps` (its read/write loop's trip count) and
  `line_buffer_rows` from its schedule (lowering/streaming.py), and the ops after it move into a
  nested "pixel" kernel `<name>_position`;
- "sequence": a kernel that is one forward recurrence over its input, yielding its results: one time
  step per packet, the states kept inside (unchanged IR);
- "buffer": anything else (a flatten into a dense layer, transposes, global pooling): unchanged.
io_parallel designs are left alone. The arithmetic is unchanged: the emulator runs a pixel kernel
on every position at once and gets the same codes.
"""

from __future__ import annotations

from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import IntegerAttr, ModuleOp, StringAttr, i64
from xdsl.ir import Block, Operation, Region, SSAValue
from xdsl.passes import ModulePass
from xdsl.traits import ConstantLike

from dialects.dataflow import KernelOp, StreamKind, YieldOp, stream_designs
from dialects.interfaces import CostModel, Streamable, Streaming, packet_type, positions_of
from lowering.streaming import line_buffer


def streaming(op: Operation) -> Streaming:
    return op.streaming() if isinstance(op, Streamable) else Streaming.WHOLE


def is_constant(op: Operation) -> bool:
    return op.has_trait(ConstantLike)


def per_position(ops: list[Operation], spatial: tuple[int, ...]) -> bool:
    """Every op streams per position over the positions `spatial`."""
    return all(
        is_constant(op) or (streaming(op) == Streaming.POSITION and all(positions_of(r) == spatial for r in op.results))
        for op in ops
    )


def classify(kernel: KernelOp) -> StreamKind:
    block = kernel.block
    body = [op for op in kernel.body_ops if not is_constant(op)]
    yielded = list(block.last_op.values)
    if not body and all(v in block.args for v in yielded):
        return StreamKind.FORK
    if not block.args:
        return StreamKind.BUFFER
    first = body[0] if body else None
    if len(body) == 1 and streaming(first) == Streaming.SEQUENCE and first.operands[0] in block.args:
        initial_constant = all(isinstance(v.owner, Operation) and is_constant(v.owner) for v in first.operands[1:])
        if initial_constant and all(isinstance(v.owner, Operation) and v.owner is first for v in yielded):
            return StreamKind.SEQUENCE
        return StreamKind.BUFFER
    if first is not None and streaming(first) == Streaming.WINDOW and first.operands[0] in block.args:
        spatial = positions_of(first.results[0])
        tail = set(body[1:])
        # the ops after the window read only its result, each other and constants
        closed = all(
            v is first.results[0] or (isinstance(v.owner, Operation) and (v.owner in tail or is_constant(v.owner)))
            for op in tail
            for v in op.operands
        )
        if closed and per_position(body[1:], spatial) and all(positions_of(v) == spatial for v in yielded):
            return StreamKind.WINDOW
        return StreamKind.BUFFER
    spatial = positions_of(block.args[0])
    if (
        per_position(body, spatial)
        and all(positions_of(v) == spatial for v in yielded)
        and all(positions_of(a) == spatial for a in block.args)
    ):
        return StreamKind.PIXEL
    return StreamKind.BUFFER


def one_position(ops: list[Operation], inputs: list[SSAValue], outputs: list[SSAValue]) -> Block:
    """A block computing `ops` on one packet of each of `inputs`, yielding `outputs`' packets."""
    block = Block(arg_types=[packet_type(v.type) for v in inputs])
    mapping: dict[SSAValue, SSAValue] = dict(zip(inputs, block.args))
    for op in ops:
        assert isinstance(op, Streamable), op.name
        new_ops = op.at_one_position(mapping)
        block.add_ops(new_ops)
        mapping.update(zip(op.results, new_ops[-1].results))
    block.add_op(YieldOp(*[mapping[v] for v in outputs]))
    return block


def multiplies(ops: list[Operation]) -> bool:
    return any(isinstance(op, CostModel) and op.cost().macs for op in ops)


def plan_pixel(kernel: KernelOp) -> None:
    block = kernel.block
    body = one_position(kernel.body_ops, list(block.args), list(block.last_op.values))
    kernel.body.detach_block(block)
    kernel.body.add_block(body)


def plan_window(kernel: KernelOp, name: str) -> None:
    block = kernel.block
    window = kernel.window_op()
    assert window is not None
    steps, rows = line_buffer(window)
    kernel.properties["steps"] = IntegerAttr(steps, i64)
    kernel.properties["line_buffer_rows"] = IntegerAttr(rows, i64)
    tail = [op for op in kernel.body_ops if op is not window and not (is_constant(op) and used_only_by(op, window))]
    if all(is_constant(op) for op in tail):
        return
    yielded = list(block.last_op.values)
    inner = one_position(tail, [window.results[0]], yielded)
    position = KernelOp(
        name,
        [window.results[0]],
        [v.type for v in yielded],
        Region(inner),
        kernel.reuse if multiplies(tail) else 1,
        kernel.strategy.data,
        kernel.layer.data if kernel.layer is not None else None,
        kernel.layer_type.data if kernel.layer_type is not None else None,
    )
    position.properties["stream"] = StringAttr(StreamKind.PIXEL)
    block.insert_op_before(position, block.last_op)
    block.last_op.operands = position.results
    for op in reversed(tail):  # the ops moved into the position kernel; constants the window still reads stay
        if not any(r.uses for r in op.results):
            block.erase_op(op)


def used_only_by(op: Operation, user: Operation) -> bool:
    return all(use.operation is user for r in op.results for use in r.uses)


def plan_design(design: func.FuncOp) -> None:
    kernels = [op for op in design.body.block.ops if isinstance(op, KernelOp)]
    taken = {k.sym_name.data for k in kernels}
    for kernel in kernels:
        kind = classify(kernel)
        kernel.properties["stream"] = StringAttr(kind)
        if kind == StreamKind.PIXEL:
            plan_pixel(kernel)
        elif kind == StreamKind.WINDOW:
            name, n = f"{kernel.sym_name.data}_position", 1
            while name in taken:
                name, n = f"{kernel.sym_name.data}_position_{n}", n + 1
            taken.add(name)
            plan_window(kernel, name)


class PlanStreamsPass(ModulePass):
    name = "plan-streams"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        for design in stream_designs(op):
            plan_design(design)
