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
from compiler.emitter.vendors import (
    Partition,
    Pipeline,
)
from dialects import fixed


def declare_step(em, op: fixed.RecurrenceOp, step_type: str, states: list[tuple[str, str]]) -> tuple[str, list]:
    """What every step reads, declared once: the body's constants, the step array (of `step_type`),
    the states (arrays `states`, (name, type) each, already declared) set to the `init` operands, and
    the body's arrays. Gives the step array's name and the body's ops a step runs."""
    step_arg, *state_args = op.block.args
    for inner in op.body_ops():
        if isinstance(inner, fixed.ConstantOp):
            em.declare_constant(inner)
    x_t = em.local.take("step")
    em.types.of_value[step_arg] = step_type
    em.array[step_arg] = x_t
    em.code(f"{step_type} {x_t}[{size_of(step_arg)}];")
    em.code.directive(Partition(x_t))
    for arg, init, (name, type_name) in zip(state_args, op.initial, states):
        em.types.of_value[arg], em.array[arg] = type_name, name
        with em.code.block(f"{em.label('StateInit')}for (int i = 0; i < {size_of(init)}; i++)"):
            em.unroll()
            em.code(f"{name}[i] = {em.array[init]}[i];")
    body = [inner for inner in op.body_ops() if not isinstance(inner, fixed.ConstantOp)]
    for inner in body:
        em.declare_local(inner)
    return x_t, body


def emit_step(em, op: fixed.RecurrenceOp, body: list) -> None:
    """One step's ops, as any kernel's; the output is then the caller's to write."""
    for inner in body:
        em.emit_op(inner)


def update_states(em, op: fixed.RecurrenceOp) -> None:
    """The next states into the state arrays, after the whole step is computed."""
    for value, arg in zip(op.yielded[1:], op.block.args[1:]):
        with em.code.block(f"for (int i = 0; i < {size_of(arg)}; i++)"):
            em.unroll()
            em.code(f"{em.array[arg]}[i] = {em.array[value]}[i];")


def emit_recurrence(em, op: fixed.RecurrenceOp) -> None:
    states = [(em.array[final], em.type_of(init)) for init, final in zip(op.initial, op.finals)]
    x_t, body = declare_step(em, op, em.type_of(op.sequence), states)
    step_arg = op.block.args[0]
    steps, width, out_width = op.steps, size_of(step_arg), size_of(op.yielded[0])
    seq, out = em.array[op.sequence], em.array[op.output]
    with em.code.block(f"{em.label('TimeLoop')}for (int t = 0; t < {steps}; t++)"):
        if em.reuse == 1:
            em.code.directive(Pipeline())
        em.code(f"const int s = {steps - 1} - t;" if op.reverse is not None else "const int s = t;")
        with em.code.block(f"for (int i = 0; i < {width}; i++)"):
            em.unroll()
            em.code(f"{x_t}[i] = {seq}[s * {width} + i];")
        emit_step(em, op, body)
        with em.code.block(f"for (int i = 0; i < {out_width}; i++)"):
            em.unroll()
            em.code(f"{out}[s * {out_width} + i] = {em.array[op.yielded[0]]}[i];")
        update_states(em, op)
