"""C++ (io_parallel and buffered io_stream kernels) for `fixed.recurrence`: the time loop.

The states live in the arrays of the op's final-state results: they start as the `init` operands,
each step reads them through the body's block arguments and overwrites them with the yielded next
states after the whole step is computed. Each step copies its slice of the sequence into the body's
step array, runs the body's ops (printed by the same per-op printers as any kernel) and writes its
output at its position of the output sequence (from T-1 down with `reverse`). The body's arrays and
tables are declared once, outside the loop. At reuse factor 1 the time loop is pipelined; with a
larger one the body's reuse loops share the multipliers and the step is not pipelined across steps.
"""

from __future__ import annotations

from compiler.emitter.cpp import size_of
from dialects import fixed


def emit_recurrence(em, op: fixed.RecurrenceOp) -> None:
    block = op.block
    step_arg, *state_args = block.args
    body = op.body_ops()
    for inner in body:
        if isinstance(inner, fixed.ConstantOp):
            em.declare_constant(inner)
    x_t = em.local.take("step")
    em.types.of_value[step_arg] = em.type_of(op.sequence)
    em.array[step_arg] = x_t
    em.code(f"{em.type_of(op.sequence)} {x_t}[{size_of(step_arg)}];")
    em.code(f"#pragma HLS ARRAY_PARTITION variable={x_t} complete")
    for arg, init, final in zip(state_args, op.initial, op.finals):
        em.types.of_value[arg] = em.type_of(init)
        em.array[arg] = em.array[final]
        with em.code.block(f"{em.label('StateInit')}: for (int i = 0; i < {size_of(init)}; i++)"):
            em.unroll()
            em.code(f"{em.array[final]}[i] = {em.array[init]}[i];")
    for inner in body:
        if not isinstance(inner, fixed.ConstantOp):
            em.declare_local(inner)
    steps, width, out_width = op.steps, size_of(step_arg), size_of(op.yielded[0])
    seq, out = em.array[op.sequence], em.array[op.output]
    with em.code.block(f"{em.label('TimeLoop')}: for (int t = 0; t < {steps}; t++)"):
        if em.reuse == 1:
            em.code("#pragma HLS PIPELINE II=1")
        em.code(f"const int s = {steps - 1} - t;" if op.reverse is not None else "const int s = t;")
        with em.code.block(f"for (int i = 0; i < {width}; i++)"):
            em.unroll()
            em.code(f"{x_t}[i] = {seq}[s * {width} + i];")
        for inner in body:
            if not isinstance(inner, fixed.ConstantOp):
                em.emit_op(inner)
        yielded = op.yielded
        with em.code.block(f"for (int i = 0; i < {out_width}; i++)"):
            em.unroll()
            em.code(f"{out}[s * {out_width} + i] = {em.array[yielded[0]]}[i];")
        for value, final in zip(yielded[1:], op.finals):
            with em.code.block(f"for (int i = 0; i < {size_of(final)}; i++)"):
                em.unroll()
                em.code(f"{em.array[final]}[i] = {em.array[value]}[i];")
