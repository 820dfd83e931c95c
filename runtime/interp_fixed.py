"""Interpreter functions for the `fixed` dialect: the bit-exact emulator's semantics of each op.

Values are numpy arrays of integer codes (int64, or Python ints where a type is wider than 62 bits)
for fixed tensors, and float arrays for float tensors. Run-time values carry a leading batch axis;
constants do not, and broadcast against them. Exact ops compute the exact result and then keep its
low W bits, which is what the C++ accumulators (AP_WRAP) do; in checked mode they raise instead
when a value does not fit the op's result type, so wrong types are caught on data.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from xdsl.dialects.builtin import TensorType
from xdsl.interpreter import Interpreter, InterpreterFunctions, ReturnedValues, impl, impl_terminator, register_impls
from xdsl.ir import Operation, SSAValue

from dialects import fixed
from dialects.fixed_tables import apply_thresholds
from dialects.fixedpoint import (
    FixedFormat,
    Overflow,
    apply_overflow,
    as_code_dtype,
    cast_codes,
    code_dtype,
    codes_to_floats,
    quantize_floats,
)
from dialects.layer import ints
from runtime.windows import windows


class FixedOverflowError(ArithmeticError):
    """A value computed by an exact op does not fit the op's result type."""


def _rank(value: SSAValue) -> int:
    assert isinstance(value.type, TensorType)
    return len(value.type.get_shape())


def batched(array: np.ndarray, value: SSAValue, rank: int | None = None) -> np.ndarray:
    """The array with a batch axis (size 1 for constants), so that per-sample axes are 1.. on; with
    `rank`, also the leading size-1 axes that broadcast it to a per-sample rank of `rank` (numpy
    aligns trailing axes, so a lower-rank run-time operand needs them after its batch axis)."""
    array = array if array.ndim == _rank(value) + 1 else array[np.newaxis]
    missing = (rank or 0) - _rank(value)
    return array.reshape(array.shape[0], *(1,) * missing, *array.shape[1:]) if missing > 0 else array


def _accumulator_dtype(bound: FixedFormat, fy: FixedFormat) -> type:
    """The dtype of a dense or conv accumulator: its exact bound, aligned to the result's step."""
    return code_dtype(bound.width + 1, bound.int_bits + fy.frac_bits + 1)


def _describe(op: Operation) -> str:
    layer = op.properties.get("layer")
    return f"{op.name}" + (f" in layer '{layer.data}'" if layer is not None else "")


@register_impls
class FixedFunctions(InterpreterFunctions):
    def __init__(self, check_overflow: bool = False):
        self.check_overflow = check_overflow

    def _fit(self, op: Operation, codes: np.ndarray, fmt: FixedFormat) -> np.ndarray:
        """Exact result -> result type: checked, or wrapped like the C++ accumulator."""
        if self.check_overflow and codes.size:
            lo, hi = codes.min(), codes.max()
            if lo < fmt.min_code or hi > fmt.max_code:
                raise FixedOverflowError(
                    f"{_describe(op)}: values in codes [{lo}, {hi}] overflow the result type {fmt} "
                    f"(codes [{fmt.min_code}, {fmt.max_code}])"
                )
        return apply_overflow(codes, fmt, Overflow.WRAP)

    @impl(fixed.ConstantOp)
    def run_constant(self, interp: Interpreter, op: fixed.ConstantOp, args: tuple[Any, ...]):
        return (op.values(),)

    @impl(fixed.QuantizeOp)
    def run_quantize(self, interp: Interpreter, op: fixed.QuantizeOp, args: tuple[Any, ...]):
        return (quantize_floats(args[0], fixed.format_of(op.output), *op.modes),)

    @impl(fixed.CastOp)
    def run_cast(self, interp: Interpreter, op: fixed.CastOp, args: tuple[Any, ...]):
        return (cast_codes(args[0], fixed.format_of(op.input), fixed.format_of(op.output), *op.modes),)

    @impl(fixed.CastEachOp)
    def run_cast_each(self, interp: Interpreter, op: fixed.CastEachOp, args: tuple[Any, ...]):
        """Each group of elements of one type cast into it, then widened exactly into the result."""
        x = batched(np.asarray(args[0]), op.input)
        src, dst = fixed.format_of(op.input), fixed.format_of(op.output)
        out = np.zeros(x.shape, dtype=object if code_dtype(dst.width + 1) is object else np.int64)
        types = op.element_types()
        for fmt in types.formats():
            if fmt is None:
                continue
            mask = types.where(fmt, x.shape[1:])
            out[:, mask] = cast_codes(cast_codes(x[:, mask], src, fmt, *op.modes), fmt, dst)
        return (out,)

    @impl(fixed.DequantizeOp)
    def run_dequantize(self, interp: Interpreter, op: fixed.DequantizeOp, args: tuple[Any, ...]):
        return (codes_to_floats(args[0], fixed.format_of(op.input)),)

    @impl(fixed.DenseOp)
    def run_dense(self, interp: Interpreter, op: fixed.DenseOp, args: tuple[Any, ...]):
        fx, fw, fy = (fixed.format_of(v) for v in (op.input, op.weight, op.output))
        n_in = op.weight.type.get_shape()[0]
        fb = fixed.format_of(op.bias) if op.bias is not None else None
        bound = fixed.dense_bound_format(fx, fw, fb, n_in)
        dtype = _accumulator_dtype(bound, fy)
        x = as_code_dtype(args[0], dtype)
        w = as_code_dtype(args[1], dtype)
        acc = np.matmul(x, w) << (fy.frac_bits - fx.frac_bits - fw.frac_bits)
        if fb is not None:
            acc = acc + (as_code_dtype(args[2], dtype) << (fy.frac_bits - fb.frac_bits))
        return (self._fit(op, acc, fy),)

    def _binary(self, op: fixed.BinaryOp, args: tuple[Any, ...]) -> tuple[np.ndarray, np.ndarray, FixedFormat]:
        fa, fb, fy = (fixed.format_of(v) for v in (op.lhs, op.rhs, op.output))
        dtype = code_dtype(fa.width + fb.width + 2, fy.width + 2, max(fa.int_bits, fb.int_bits) + fy.frac_bits + 2)
        rank = _rank(op.output)
        a = as_code_dtype(batched(np.asarray(args[0]), op.lhs, rank), dtype)
        b = as_code_dtype(batched(np.asarray(args[1]), op.rhs, rank), dtype)
        if not isinstance(op, fixed.MulOp):  # align binary points
            a = a << (fy.frac_bits - fa.frac_bits)
            b = b << (fy.frac_bits - fb.frac_bits)
        return a, b, fy

    @impl(fixed.AddOp)
    def run_add(self, interp: Interpreter, op: fixed.AddOp, args: tuple[Any, ...]):
        a, b, fy = self._binary(op, args)
        return (self._fit(op, a + b, fy),)

    @impl(fixed.SubOp)
    def run_sub(self, interp: Interpreter, op: fixed.SubOp, args: tuple[Any, ...]):
        a, b, fy = self._binary(op, args)
        return (self._fit(op, a - b, fy),)

    @impl(fixed.MulOp)
    def run_mul(self, interp: Interpreter, op: fixed.MulOp, args: tuple[Any, ...]):
        a, b, fy = self._binary(op, args)
        return (self._fit(op, a * b, fy),)

    @impl(fixed.ReluOp)
    def run_relu(self, interp: Interpreter, op: fixed.ReluOp, args: tuple[Any, ...]):
        x = np.asarray(args[0])
        return (np.where(x > 0, x, 0).astype(x.dtype),)

    @impl(fixed.AbsOp)
    def run_abs(self, interp: Interpreter, op: fixed.AbsOp, args: tuple[Any, ...]):
        x = as_code_dtype(args[0], code_dtype(fixed.format_of(op.input).width + 1))
        return (self._fit(op, np.abs(x), fixed.format_of(op.output)),)

    @impl(fixed.ReduceMaxOp)
    def run_reduce_max(self, interp: Interpreter, op: fixed.ReduceMaxOp, args: tuple[Any, ...]):
        x = batched(np.asarray(args[0]), op.input)
        return (x.max(axis=op.axis.value.data + 1, keepdims=True),)

    @impl(fixed.ReduceSumOp)
    def run_reduce_sum(self, interp: Interpreter, op: fixed.ReduceSumOp, args: tuple[Any, ...]):
        fx, fy = fixed.format_of(op.input), fixed.format_of(op.output)
        n = op.input.type.get_shape()[op.axis.value.data]
        x = as_code_dtype(batched(np.asarray(args[0]), op.input), code_dtype(fx.width + n.bit_length() + 1))
        return (self._fit(op, x.sum(axis=op.axis.value.data + 1, keepdims=True), fy),)

    @impl(fixed.ConvOp)
    def run_conv(self, interp: Interpreter, op: fixed.ConvOp, args: tuple[Any, ...]):
        fx, fw, fy = (fixed.format_of(v) for v in (op.input, op.weight, op.output))
        fb = fixed.format_of(op.bias) if op.bias is not None else None
        dtype = _accumulator_dtype(fixed.dense_bound_format(fx, fw, fb, op.taps), fy)
        x = as_code_dtype(batched(np.asarray(args[0]), op.input), dtype)
        w = as_code_dtype(args[1], dtype)  # [*kernel, C/g, O]
        rank = x.ndim - 2
        patches = windows(x, w.shape[:rank], ints(op.strides), ints(op.pads), ints(op.dilations), 0)
        groups = op.groups.value.data
        per_group, outs = w.shape[-2], w.shape[-1]
        # [B, *out, g, C/g, *kernel] x [*kernel, C/g, g, O/g] -> [B, *out, g, O/g]
        patches = patches.reshape(*patches.shape[: rank + 1], groups, per_group, *w.shape[:rank])
        kernel_axes = "".join("klmn"[:rank])
        spatial = "".join("pqrs"[:rank])
        weights = w.reshape(*w.shape[:rank], per_group, groups, outs // groups)
        acc = np.einsum(f"b{spatial}gc{kernel_axes},{kernel_axes}cgo->b{spatial}go", patches, weights)
        acc = acc.reshape(*acc.shape[: rank + 1], outs) << (fy.frac_bits - fx.frac_bits - fw.frac_bits)
        if fb is not None:
            acc = acc + (as_code_dtype(args[2], dtype) << (fy.frac_bits - fb.frac_bits))
        return (self._fit(op, acc, fy),)

    @impl(fixed.MaxPoolOp)
    def run_max_pool(self, interp: Interpreter, op: fixed.MaxPoolOp, args: tuple[Any, ...]):
        x = batched(np.asarray(args[0]), op.input)
        kernel = ints(op.kernel)
        patches = windows(
            x, kernel, ints(op.strides), ints(op.pads), [1] * len(kernel), fixed.format_of(op.input).min_code
        )
        return (patches.max(axis=tuple(range(-len(kernel), 0))),)

    @impl(fixed.SumPoolOp)
    def run_sum_pool(self, interp: Interpreter, op: fixed.SumPoolOp, args: tuple[Any, ...]):
        fy = fixed.format_of(op.output)
        x = as_code_dtype(batched(np.asarray(args[0]), op.input), code_dtype(fy.width + 1))
        kernel = ints(op.kernel)
        patches = windows(x, kernel, ints(op.strides), ints(op.pads), [1] * len(kernel), 0)
        return (self._fit(op, patches.sum(axis=tuple(range(-len(kernel), 0))), fy),)

    @impl(fixed.SelectOp)
    def run_select(self, interp: Interpreter, op: fixed.SelectOp, args: tuple[Any, ...]):
        fy = fixed.format_of(op.output)
        dtype = code_dtype(
            fy.width + 1,
            *(fixed.format_of(v).width + 1 for v in op.operands),
            *(fixed.format_of(v).int_bits + fy.frac_bits + 1 for v in (op.lhs, op.rhs)),
        )
        rank = _rank(op.output)
        cond = batched(np.asarray(args[0]), op.cond, rank)
        a, b = (
            as_code_dtype(batched(np.asarray(v), value, rank), dtype)
            << (fy.frac_bits - fixed.format_of(value).frac_bits)
            for v, value in ((args[1], op.lhs), (args[2], op.rhs))
        )
        return (self._fit(op, np.where(cond > 0, a, b), fy),)

    @impl(fixed.ClampOp)
    def run_clamp(self, interp: Interpreter, op: fixed.ClampOp, args: tuple[Any, ...]):
        x = np.asarray(args[0])
        low, high = op.low.value.data, op.high.value.data
        clamped = np.where(x < low, low, np.where(x > high, high, x))
        return (self._fit(op, clamped.astype(x.dtype), fixed.format_of(op.output)),)

    @impl(fixed.LookupOp)
    def run_lookup(self, interp: Interpreter, op: fixed.LookupOp, args: tuple[Any, ...]):
        return (op.table_codes()[op.indices(args[0])],)

    @impl(fixed.ThresholdOp)
    def run_threshold(self, interp: Interpreter, op: fixed.ThresholdOp, args: tuple[Any, ...]):
        return (apply_thresholds(np.asarray(args[0]), op.threshold_codes(), op.value_codes()),)

    @impl(fixed.RecurrenceOp)
    def run_recurrence(self, interp: Interpreter, op: fixed.RecurrenceOp, args: tuple[Any, ...]):
        """The body once per time step (in reverse order with `reverse`), the whole batch at once."""
        sequence = batched(np.asarray(args[0]), op.sequence)
        states = [batched(np.asarray(a), v) for a, v in zip(args[1:], op.initial)]
        batch = sequence.shape[0]
        step_shape = tuple(op.output.type.get_shape()[1:])
        outputs: list[np.ndarray | None] = [None] * op.steps
        order = range(op.steps - 1, -1, -1) if op.reverse is not None else range(op.steps)
        for t in order:
            out, *states = interp.run_ssacfg_region(op.body, (sequence[:, t], *states), op.name)
            outputs[t] = np.broadcast_to(batched(np.asarray(out), op.yielded[0]), (batch, *step_shape))
        finals = [np.broadcast_to(s, (batch, *s.shape[1:])) for s in states]
        return (np.stack(outputs, axis=1), *finals)

    @impl_terminator(fixed.YieldOp)
    def run_yield(self, interp: Interpreter, op: fixed.YieldOp, args: tuple[Any, ...]):
        return ReturnedValues(args), ()
