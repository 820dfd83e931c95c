"""C++ for one `dataflow.kernel`: a function whose body is one loop nest per fixed op.

The arithmetic is the IR's: every array has the C++ type of its value's fixed type, exact ops are
written as C++ expressions whose `ap_fixed` result types are exact, and each `fixed.cast` becomes a
conversion through `ap_fixed<W, I, Q, O>` with the op's modes. Loop structure and pragmas follow the
kernel's reuse factor and strategy; nothing here decides a type or a value.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from xdsl.ir import Operation, SSAValue

from compiler.emitter import recurrent, spatial
from compiler.emitter.cpp import (
    Code,
    broadcast_index,
    c_comment,
    constant_array,
    literal,
    local_storage,
    shape_of,
    size_of,
)
from compiler.emitter.vendors import (
    VITIS,
    Inline,
    MultiplierLimit,
    Partition,
    Reshape,
    RomInBram,
    Rounds,
    Unroll,
    Vendor,
)
from dialects import fixed, layout
from dialects.dataflow import KernelOp, Strategy, YieldOp
from dialects.fixedpoint import FixedFormat, Overflow, Rounding, codes_to_floats, format_for_codes
from dialects.interfaces import parameter_role
from dialects.names import UniqueNames


def constant_role(op: fixed.ConstantOp) -> str:
    """A constant's name: its role as a parameter of the op that reads it (weights, biases)."""
    for use in op.result.uses:
        if (role := parameter_role(use.operation, use.index)) is not None:
            return role
    return op.result_name()


@dataclass
class TypeNames:
    """Typedef names of the design, shared by all files (defines.h holds them)."""

    typedefs: dict[str, FixedFormat] = field(default_factory=dict)
    of_value: dict[SSAValue, str] = field(default_factory=dict)
    names: UniqueNames = field(default_factory=UniqueNames)
    vendor: Vendor = VITIS

    def spell(self, fmt: FixedFormat, rounding: Rounding | None = None, overflow: Overflow | None = None) -> str:
        """The vendor's C++ type of `fmt` with these modes."""
        return self.vendor.fixed_type(fmt, rounding, overflow)

    def define(self, value: SSAValue | None, base: str, fmt: FixedFormat) -> str:
        name = self.names.take(base + "_t")
        self.typedefs[name] = fmt
        if value is not None:
            self.of_value[value] = name
        return name


@dataclass
class KernelEmitter:
    kernel: KernelOp
    types: TypeNames
    code: Code = field(default_factory=Code)
    weights: Code = field(default_factory=Code)
    array: dict[SSAValue, str] = field(default_factory=dict)
    local: UniqueNames = field(default_factory=UniqueNames)
    outputs: list[str] = field(default_factory=list)
    signature_text: str = ""
    loops: int = 0
    function_name: str | None = None  # the C++ function (the kernel's name unless wrapped)
    inline: bool | None = None  # force INLINE (True) or INLINE off (False); None: by strategy
    specifier: str = ""  # "inline " for a function defined in a header

    @property
    def name(self) -> str:
        return self.function_name or self.kernel.sym_name.data

    @property
    def reuse(self) -> int:
        return self.kernel.reuse_factor.value.data

    @property
    def strategy(self) -> Strategy:
        return Strategy(self.kernel.strategy.data)

    def type_of(self, value: SSAValue) -> str:
        return self.types.of_value[value]

    def label(self, what: str) -> str:
        """A loop's label with its colon (none where the vendor's loop directives precede the loop)."""
        self.loops += 1
        return f"{what}_{self.loops}: " if self.types.vendor.loop_labels else ""

    def unroll(self) -> None:
        self.code.directive(Unroll())

    # ---------------------------------------------------------------------------------------------
    def signature(self) -> str:
        block = self.kernel.block
        yielded = block.last_op.values if isinstance(block.last_op, YieldOp) else ()
        params = []
        for i, (arg, outer) in enumerate(zip(block.args, self.kernel.inputs)):
            name = self.local.take("x" if len(block.args) == 1 else f"x{i}")
            self.array[arg] = name
            self.types.of_value[arg] = self.type_of(outer)
            params.append(f"const {self.type_of(outer)} {name}[{size_of(arg)}]")
        for j, (value, outer) in enumerate(zip(yielded, self.kernel.outputs)):
            name = self.local.take("y" if len(yielded) == 1 else f"y{j}")
            self.outputs.append(name)
            params.append(f"{self.type_of(outer)} {name}[{size_of(value)}]")
            if value in self.array:  # a pass-through or twice-yielded value: copied at the end
                continue
            if any(not isinstance(use.operation, YieldOp) for use in value.uses):
                continue  # read inside too: computed in a local array and copied out (no output read back)
            self.array[value] = name
            self.types.of_value[value] = self.type_of(outer)
        return f"{self.specifier}void {self.name}({', '.join(params)})"

    def emit(self) -> tuple[str, str]:
        """The kernel's .cpp text and its weights header text."""
        header = self.signature_text = self.signature()
        block = self.kernel.block
        body_ops = [op for op in block.ops if not isinstance(op, YieldOp)]
        for op in body_ops:
            if isinstance(op, fixed.ConstantOp):
                self.declare_constant(op)
        with self.code.block(header):
            inline = self.inline if self.inline is not None else self.strategy == Strategy.LATENCY
            self.code.directive(Inline(inline))
            for op in body_ops:
                if isinstance(op, fixed.ConstantOp):
                    continue
                self.declare_local(op)
            for op in body_ops:
                if not isinstance(op, fixed.ConstantOp):
                    self.emit_op(op)
            self.copy_outputs()
        return self.code.text(self.types.vendor), self.weights.text(self.types.vendor)

    def emit_op(self, op: Operation) -> None:
        """The loop nest of one op, by its printer."""
        self.code(c_comment(f"{op.name}"))
        EMITTERS[type(op)](self, op)

    def declare_constant(self, op: fixed.ConstantOp) -> None:
        role = constant_role(op)
        name = self.types.names.take(f"{self.name}_{role}")
        tname = self.types.define(op.result, name, fixed.format_of(op.result))
        self.array[op.result] = name
        codes = op.values().ravel()
        padded = self.padded_weights(op, codes)
        self.weights(constant_array(tname, name, padded, fixed.format_of(op.result), self.types.names))

    def padded_weights(self, op: fixed.ConstantOp, codes: np.ndarray) -> np.ndarray:
        """Weights read by a reuse loop are padded to a whole number of rounds (zeros are never read)."""
        for use in op.result.uses:
            lanes = math.ceil(codes.size / self.reuse)
            if isinstance(use.operation, fixed.DenseOp) and use.index == 1 and self.reuse > 1 and lanes > 1:
                return np.concatenate([codes, np.zeros(lanes * self.reuse - codes.size, dtype=codes.dtype)])
        return codes

    def declare_local(self, op: Operation) -> None:
        for result in op.results:
            if result in self.array:
                continue
            role = op.result_name()
            name = self.local.take(role)
            tname = self.types.define(result, f"{self.name}_{role}", fixed.format_of(result))
            self.array[result] = name
            self.code(f"{local_storage(size_of(result))}{tname} {name}[{size_of(result)}];")
            self.code.directive(Partition(name))

    def copy_outputs(self) -> None:
        block = self.kernel.block
        assert isinstance(block.last_op, YieldOp)
        for value, param in zip(block.last_op.values, self.outputs):
            if self.array[value] != param:
                with self.code.block(f"{self.label('Copy')}for (int i = 0; i < {size_of(value)}; i++)"):
                    self.unroll()
                    self.code(f"{param}[i] = {self.array[value]}[i];")

    # ---------------------------------------------------------------------------------------------
    # One method per op
    def elementwise(self, what: str, size: int, line: str) -> None:
        with self.code.block(f"{self.label(what)}for (int i = 0; i < {size}; i++)"):
            self.unroll()
            self.code(line)

    def emit_cast(self, op: fixed.CastOp) -> None:
        rounding, overflow = op.modes
        fmt = fixed.format_of(op.output)
        src = f"{self.array[op.input]}[i]"
        if (rounding, overflow) != (Rounding.TRN, Overflow.WRAP):
            src = f"{self.types.spell(fmt, rounding, overflow)}({src})"
        self.elementwise("Cast", size_of(op.output), f"{self.array[op.output]}[i] = {src};")

    def emit_cast_each(self, op: fixed.CastEachOp) -> None:
        """A cast per element type; a type held by only some elements lists them in an index ROM."""
        rounding, overflow = op.modes
        x, y = self.array[op.input], self.array[op.output]
        shape, size = shape_of(op.output), size_of(op.output)
        types = op.element_types()
        for fmt in types.formats():
            value = "0" if fmt is None else f"{self.types.spell(fmt, rounding, overflow)}({x}[i])"
            where = np.flatnonzero(types.where(fmt, shape))
            if where.size == size:
                self.elementwise("CastEach", size, f"{y}[i] = {value};")
                continue
            elements = self.local.take("elements")
            self.code(f"static const int {elements}[{where.size}] = {{{', '.join(map(str, where))}}};")
            with self.code.block(f"{self.label('CastEach')}for (int j = 0; j < {where.size}; j++)"):
                self.unroll()
                self.code(f"const int i = {elements}[j];")
                self.code(f"{y}[i] = {value};")

    def emit_relu(self, op: fixed.ReluOp) -> None:
        x, y = self.array[op.input], self.array[op.output]
        self.elementwise("Relu", size_of(op.output), f"{y}[i] = {x}[i] > 0 ? {x}[i] : {self.type_of(op.output)}(0);")

    def emit_abs(self, op: fixed.AbsOp) -> None:
        x, y, t = self.array[op.input], self.array[op.output], self.type_of(op.output)
        self.elementwise("Abs", size_of(op.output), f"{y}[i] = {x}[i] < 0 ? {t}(-{x}[i]) : {t}({x}[i]);")

    def emit_binary(self, op: fixed.BinaryOp) -> None:
        symbol = {fixed.AddOp: "+", fixed.SubOp: "-", fixed.MulOp: "*"}[type(op)]
        out = shape_of(op.output)
        a = f"{self.array[op.lhs]}[{broadcast_index('i', out, shape_of(op.lhs))}]"
        b = f"{self.array[op.rhs]}[{broadcast_index('i', out, shape_of(op.rhs))}]"
        self.elementwise(
            type(op).__name__.removesuffix("Op"), size_of(op.output), f"{self.array[op.output]}[i] = {a} {symbol} {b};"
        )

    def emit_reduce(self, op: fixed.ReduceOp) -> None:
        shape, axis = shape_of(op.input), op.axis.value.data
        outer, n, inner = math.prod(shape[:axis]), shape[axis], math.prod(shape[axis + 1 :])
        x, y = self.array[op.input], self.array[op.output]
        first = f"{x}[o * {n * inner} + j]"
        item = f"{x}[o * {n * inner} + k * {inner} + j]"
        with self.code.block(f"{self.label('ReduceOuter')}for (int o = 0; o < {outer}; o++)"):
            self.unroll()
            with self.code.block(f"for (int j = 0; j < {inner}; j++)"):
                self.unroll()
                self.code(f"{self.type_of(op.output)} r = {first};")
                with self.code.block(f"for (int k = 1; k < {n}; k++)"):
                    self.unroll()
                    if isinstance(op, fixed.ReduceMaxOp):
                        self.code(f"if ({item} > r) r = {item};")
                    else:
                        self.code(f"r += {item};")
                self.code(f"{y}[o * {inner} + j] = r;")

    def emit_lookup(self, op: fixed.LookupOp) -> None:
        fx = fixed.format_of(op.input)
        index = op.index_type.format
        table = self.types.names.take(f"{self.name}_{op.function.data}_table")
        ttype = self.types.define(None, table, fixed.format_of(op.output))
        codes = op.table_codes()
        self.weights(constant_array(ttype, table, codes, fixed.format_of(op.output), self.types.names))
        itype = self.types.spell(index, Rounding.TRN, Overflow.SAT)
        x, y = self.array[op.input], self.array[op.output]
        offset = op.offset.value.data
        diff = f"{x}[i]"
        if offset:
            ofmt = format_for_codes(offset, offset, fx.frac_bits)
            diff = f"{x}[i] - {self.types.spell(ofmt)}({literal(codes_to_floats(np.array([offset]), ofmt)[0])})"
        with self.code.block(f"{self.label('Lookup')}for (int i = 0; i < {size_of(op.output)}; i++)"):
            self.unroll()
            self.code(f"{itype} position = {diff};  // TRN, SAT: clamps to the table")
            vendor = self.types.vendor
            self.code(f"{vendor.unsigned_type(index.width)} index = {vendor.low_bits('position', index.width)};")
            self.code(f"{y}[i] = {table}[{vendor.index('index')}];")

    def emit_threshold(self, op: fixed.ThresholdOp) -> None:
        """Count the channel's thresholds the input reaches (comparators in parallel), then select."""
        thresholds, values = op.threshold_codes(), op.value_codes()
        channels, count = thresholds.shape
        fx, fy = fixed.format_of(op.input), fixed.format_of(op.output)
        base = f"{self.name}_threshold"
        if count:
            tfmt = format_for_codes(int(thresholds.min()), int(thresholds.max()), fx.frac_bits)
            tname = self.types.names.take(f"{base}s")
            ttype = self.types.define(None, tname, tfmt)
            self.weights(constant_array(ttype, tname, thresholds, tfmt, self.types.names))
        vname = self.types.names.take(f"{base}_values")
        vtype = self.types.define(None, vname, fy)
        self.weights(constant_array(vtype, vname, values, fy, self.types.names))
        x, y = self.array[op.input], self.array[op.output]
        for name in (tname, vname) if count else (vname,):
            self.code.directive(Partition(name))
        with self.code.block(f"{self.label('Threshold')}for (int i = 0; i < {size_of(op.output)}; i++)"):
            self.unroll()
            self.code(f"const int c = {'i % ' + str(channels) if channels > 1 else '0'};")
            if not count:
                self.code(f"{y}[i] = {vname}[c];")
                return
            self.code(f"{self.types.vendor.unsigned_type(count.bit_length())} reached = 0;")
            with self.code.block(f"for (int j = 0; j < {count}; j++)"):
                self.unroll()
                self.code(f"if ({x}[i] >= {tname}[c * {count} + j]) reached++;")
            self.code(f"{y}[i] = {vname}[c * {count + 1} + {self.types.vendor.index('reached')}];")

    def emit_dense(self, op: fixed.DenseOp) -> None:
        x_shape, (n, m) = shape_of(op.input), shape_of(op.weight)
        rows = math.prod(x_shape[:-1])
        x, w, acc = self.array[op.input], self.array[op.weight], self.array[op.output]
        with self.code.block(f"{self.label('DenseInit')}for (int j = 0; j < {rows * m}; j++)"):
            self.unroll()
            self.code(f"{acc}[j] = {self.array[op.bias]}[j % {m}];" if op.bias is not None else f"{acc}[j] = 0;")
        work = rows * n * m
        if self.reuse == 1:
            self.dense_parallel(x, w, acc, rows, n, m)
        else:
            self.dense_reuse(x, w, acc, rows, n, m, work)

    def dense_parallel(self, x: str, w: str, acc: str, rows: int, n: int, m: int) -> None:
        if self.strategy == Strategy.LATENCY:
            self.code.directive(Partition(w))
        with self.code.block(f"{self.label('DenseRows')}for (int r = 0; r < {rows}; r++)"):
            self.unroll()
            with self.code.block(f"for (int i = 0; i < {n}; i++)"):
                self.unroll()
                with self.code.block(f"for (int j = 0; j < {m}; j++)"):
                    self.unroll()
                    self.code(f"{acc}[r * {m} + j] += {x}[r * {n} + i] * {w}[i * {m} + j];")

    def dense_reuse(self, x: str, w: str, acc: str, rows: int, n: int, m: int, work: int) -> None:
        """R rounds of ceil(work / R) multiplications: element k = round + R * lane."""
        lanes = math.ceil(work / self.reuse)
        self.code(f"// reuse factor {self.reuse}: {lanes} multiplier{'s' if lanes > 1 else ''}, one round per cycle")
        if self.strategy == Strategy.RESOURCE and rows == 1:
            # lane l reads element round + R * l: block l of the padded array, one wide word per round
            if lanes > 1:
                self.code.directive(Reshape(w, lanes, block=True))
            self.code.directive(RomInBram(w))
        else:
            self.code.directive(Partition(w))
            self.code.directive(MultiplierLimit(lanes))
        with self.code.block(f"{self.label('ReuseLoop')}for (int round = 0; round < {self.reuse}; round++)"):
            self.code.directive(Rounds(self.strategy == Strategy.RESOURCE))
            with self.code.block(f"for (int lane = 0; lane < {lanes}; lane++)"):
                self.unroll()
                self.code(f"int k = round + {self.reuse} * lane;")
                if lanes * self.reuse != work:
                    self.code(f"if (k >= {work}) continue;  // the last round is partial")
                self.code(f"int r = k / {n * m}, i = k / {m} % {n}, j = k % {m};")
                self.code(f"{acc}[r * {m} + j] += {x}[r * {n} + i] * {w}[k % {n * m}];")


EMITTERS = {
    fixed.ConvOp: spatial.emit_conv,
    fixed.RecurrenceOp: recurrent.emit_recurrence,
    fixed.MaxPoolOp: spatial.emit_pool,
    fixed.SumPoolOp: spatial.emit_pool,
    fixed.SelectOp: spatial.emit_select,
    fixed.ClampOp: spatial.emit_clamp,
    layout.ConcatOp: spatial.emit_concat,
    layout.ReshapeOp: spatial.emit_reshape,
    layout.TransposeOp: spatial.emit_transpose,
    layout.SliceOp: spatial.emit_slice,
    layout.ResizeOp: spatial.emit_resize,
    layout.PadOp: spatial.emit_pad,
    fixed.DenseOp: KernelEmitter.emit_dense,
    fixed.CastOp: KernelEmitter.emit_cast,
    fixed.CastEachOp: KernelEmitter.emit_cast_each,
    fixed.ReluOp: KernelEmitter.emit_relu,
    fixed.AbsOp: KernelEmitter.emit_abs,
    fixed.AddOp: KernelEmitter.emit_binary,
    fixed.SubOp: KernelEmitter.emit_binary,
    fixed.MulOp: KernelEmitter.emit_binary,
    fixed.ReduceMaxOp: KernelEmitter.emit_reduce,
    fixed.ReduceSumOp: KernelEmitter.emit_reduce,
    fixed.LookupOp: KernelEmitter.emit_lookup,
    fixed.ThresholdOp: KernelEmitter.emit_threshold,
}
