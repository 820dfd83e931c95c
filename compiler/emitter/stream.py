"""C++ for io_stream kernels: each reads and writes `hls::stream`s of one packet per position.

Prints what plan-streams decided (the kernel's `stream` kind, a window kernel's line-buffer rows and
steps) with the io_parallel kernel printer for the arithmetic:
- pixel: the kernel's region is the ops of one position; it becomes a function called once per
  packet;
- window: a line buffer of the last rows feeds the window op (conv or pool), computed for each output
  position as soon as the last input it reads has arrived; the nested per-position kernel runs on
  each output;
- buffer: the packets are stored, the io_parallel function runs, the results are streamed out;
- fork: each packet is written to every output stream.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field

import numpy as np
from xdsl.ir import Operation, SSAValue

from compiler.emitter import recurrent
from compiler.emitter.cpp import Code, c_comment, constant_array, literal, local_storage
from compiler.emitter.kernels import KernelEmitter, TypeNames
from compiler.emitter.vendors import (
    Inline,
    MultiplierLimit,
    Partition,
    Pipeline,
    Unroll,
)
from dialects import fixed
from dialects.dataflow import KernelOp, StreamKind, positions
from dialects.errors import CompileError
from dialects.fixedpoint import codes_to_floats
from dialects.names import UniqueNames

PACKET = "stream_packet"
PACKET_DEFINITION = f"template <class T, int N> struct {PACKET} {{ T data[N]; }};"


def packet_type(types: TypeNames, value: SSAValue) -> str:
    return f"{PACKET}<{types.of_value[value]}, {value.type.get_shape()[-1]}>"


def channels(value: SSAValue) -> int:
    return value.type.get_shape()[-1]


# --------------------------------------------------------------------------------------------------


@dataclass
class StreamKernel:
    kernel: KernelOp
    types: TypeNames
    code: Code = field(default_factory=Code)
    weights: str = ""
    helpers: list[str] = field(default_factory=list)  # function texts the wrapper calls
    signature_text: str = ""

    @property
    def name(self) -> str:
        return self.kernel.sym_name.data

    def emit(self) -> tuple[str, str]:
        kind = self.kernel.stream_kind
        if kind is None:
            raise CompileError(f"hls-cpp: io_stream kernel {self.name} has no stream kind (run plan-streams)")
        for arg, outer in zip(self.kernel.block.args, self.kernel.inputs):
            self.types.of_value[arg] = self.types.of_value[outer]
        self.signature_text = self.signature()
        body = {
            StreamKind.FORK: self.fork,
            StreamKind.PIXEL: self.pixel,
            StreamKind.WINDOW: self.window,
            StreamKind.SEQUENCE: self.sequence,
            StreamKind.BUFFER: self.buffer,
        }[kind]
        with self.code.block(self.signature_text):
            self.code(f"// io_stream: {kind} kernel")
            self.code.directive(Inline(False))
            body()
        return "\n".join([*self.helpers, self.code.text(self.types.vendor)]), self.weights

    def signature(self) -> str:
        """Streams in (x<i>) and out (y<j>): the vendor's stream type, or template parameters where
        the vendor's streams are types of their own (oneAPI's pipes)."""
        values = [*self.kernel.inputs, *self.kernel.outputs]
        names = [f"x{i}" for i in range(len(self.kernel.inputs))] + [f"y{j}" for j in range(len(self.kernel.outputs))]
        vendor = self.types.vendor
        if vendor.stream_kernels_are_templates:
            kinds = [n.upper() for n in names]
            params = ", ".join(f"{k}& {n}" for k, n in zip(kinds, names))
            return f"template <{', '.join(f'class {k}' for k in kinds)}>\nvoid {self.name}({params})"
        params = ", ".join(f"{vendor.stream(packet_type(self.types, v))}& {n}" for v, n in zip(values, names))
        return f"void {self.name}({params})"

    def loop_label(self, what: str) -> str:
        return f"{self.name}_{what}: " if self.types.vendor.loop_labels else ""

    def _sub_emitter(self, kernel: KernelOp, name: str) -> KernelEmitter:
        emitter = KernelEmitter(
            kernel,
            self.types,
            local=UniqueNames(set(self.types.names.used)),
            function_name=name,
            inline=True,
            specifier="inline " if self.types.vendor.stream_kernels_are_templates else "",  # in a header
        )
        text, weights = emitter.emit()
        self.helpers.append(text)
        self.weights += weights
        return emitter

    def read_packets(self, values: list[SSAValue], names: list[str]) -> list[str]:
        packets = []
        for value, stream in zip(values, names):
            packet = f"{stream}_packet"
            self.code(f"{packet_type(self.types, value)} {packet} = {stream}.read();")
            packets.append(packet)
        return packets

    def write_packets(self, arrays: list[str]) -> None:
        for j, (value, array) in enumerate(zip(self.kernel.outputs, arrays)):
            self.code(f"{packet_type(self.types, value)} out{j};")
            with self.code.block(f"for (int c = 0; c < {channels(value)}; c++)"):
                self.code.directive(Unroll())
                self.code(f"out{j}.data[c] = {array}[c];")
            self.code(f"y{j}.write(out{j});")

    @property
    def initiation_interval(self) -> int:
        """Cycles per step of a pixel or window kernel: its reuse factor (one position's
        multiplications shared over that many cycles; lowering/streaming.py schedules the same)."""
        return self.kernel.reuse_factor.value.data

    # ---------------------------------------------------------------------------------------------
    def fork(self) -> None:
        count = positions(self.kernel.inputs[0])
        with self.code.block(f"for (int p = 0; p < {count}; p++)"):
            self.code.directive(Pipeline())
            self.code(f"{packet_type(self.types, self.kernel.inputs[0])} packet = x0.read();")
            for j in range(len(self.kernel.outputs)):
                self.code(f"y{j}.write(packet);")

    def pixel(self) -> None:
        position = self.position_function(self.kernel, f"{self.name}_position")
        inputs = list(self.kernel.inputs)
        with self.code.block(f"for (int p = 0; p < {positions(inputs[0])}; p++)"):
            self.code.directive(Pipeline(self.initiation_interval))
            packets = self.read_packets(inputs, [f"x{i}" for i in range(len(inputs))])
            self.call_and_write(position, [f"{p}.data" for p in packets])

    def position_function(self, kernel: KernelOp, name: str) -> str:
        """Emit the function computing a pixel kernel's region (one position); return its name."""
        name = self.types.names.take(name)
        for value, outer in zip(kernel.outputs, self.kernel.outputs):  # a nested kernel yields the outer's
            self.types.of_value.setdefault(value, self.types.of_value[outer])
        self._sub_emitter(kernel, name)
        return name

    def call_and_write(self, function: str, arrays: list[str]) -> None:
        results = []
        for j, value in enumerate(self.kernel.outputs):
            results.append(f"result{j}")
            self.code(f"{self.types.of_value[value]} result{j}[{channels(value)}];")
        self.code(f"{function}({', '.join([*arrays, *results])});")
        self.write_packets(results)

    def buffer(self) -> None:
        name = self.types.names.take(f"{self.name}_all")
        emitter = self._sub_emitter(self.kernel, name)
        del emitter
        arrays = []
        for i, value in enumerate(self.kernel.inputs):
            array = f"x{i}_all"
            arrays.append(array)
            size, c = math.prod(value.type.get_shape()), channels(value)
            self.code(f"{local_storage(size)}{self.types.of_value[value]} {array}[{size}];")
            with self.code.block(f"for (int p = 0; p < {size // c}; p++)"):
                self.code.directive(Pipeline())
                self.code(f"{packet_type(self.types, value)} packet = x{i}.read();")
                with self.code.block(f"for (int c = 0; c < {c}; c++)"):
                    self.code(f"{array}[p * {c} + c] = packet.data[c];")
        outs = []
        for j, value in enumerate(self.kernel.outputs):
            size = math.prod(value.type.get_shape())
            outs.append(f"y{j}_all")
            self.code(f"{local_storage(size)}{self.types.of_value[value]} y{j}_all[{size}];")
        self.code(f"{name}({', '.join([*arrays, *outs])});")
        for j, value in enumerate(self.kernel.outputs):
            size, c = math.prod(value.type.get_shape()), channels(value)
            with self.code.block(f"for (int p = 0; p < {size // c}; p++)"):
                self.code.directive(Pipeline())
                self.code(f"{packet_type(self.types, value)} packet;")
                with self.code.block(f"for (int c = 0; c < {c}; c++)"):
                    self.code(f"packet.data[c] = y{j}_all[p * {c} + c];")
                self.code(f"y{j}.write(packet);")

    # ---------------------------------------------------------------------------------------------
    def sequence(self) -> None:
        """A recurrence, one time step per packet: the states live here between steps (starting at
        the init operands), a step's output packet is written as soon as it is computed, the final
        states after the last step. The step's ops are printed as in io_parallel."""
        op = self.kernel.sequence_op()
        assert isinstance(op, fixed.RecurrenceOp)
        em = KernelEmitter(self.kernel, self.types, code=self.code, local=UniqueNames(set(self.types.names.used)))
        for inner in self.kernel.body_ops:  # the init states
            if isinstance(inner, fixed.ConstantOp):
                em.declare_constant(inner)
        states = []
        for final in op.finals:
            name = em.local.take("state")
            tname = self.types.define(final, f"{self.name}_state", fixed.format_of(final))
            self.code(f"{tname} {name}[{math.prod(final.type.get_shape())}];")
            self.code.directive(Partition(name))
            states.append((name, tname))
        step_arg = op.block.args[0]
        x_t, body = recurrent.declare_step(em, op, self.types.of_value[self.kernel.inputs[0]], states)
        yielded = list(self.kernel.block.last_op.values)
        with self.code.block(f"{self.loop_label('steps')}for (int t = 0; t < {op.steps}; t++)"):
            self.code.directive(Pipeline(self.initiation_interval))
            (packet,) = self.read_packets([self.kernel.inputs[0]], ["x0"])
            with self.code.block(f"for (int i = 0; i < {channels(step_arg)}; i++)"):
                self.code.directive(Unroll())
                self.code(f"{x_t}[i] = {packet}.data[i];")
            recurrent.emit_step(em, op, body)
            for j in (j for j, v in enumerate(yielded) if v is op.output):
                self.write_packet(j, em.array[op.yielded[0]])
            recurrent.update_states(em, op)
        for j, value in enumerate(yielded):
            if value is not op.output:
                self.write_packet(j, states[list(op.finals).index(value)][0])
        self.weights += em.weights.text(self.types.vendor)  # constants and the tables the step's ops declared

    def write_packet(self, j: int, array: str) -> None:
        value = self.kernel.outputs[j]
        self.code(f"{packet_type(self.types, value)} out{j};")
        with self.code.block(f"for (int c = 0; c < {channels(value)}; c++)"):
            self.code.directive(Unroll())
            self.code(f"out{j}.data[c] = {array}[c];")
        self.code(f"y{j}.write(out{j});")

    def window(self) -> None:
        first = self.kernel.window_op()
        nested = next((op for op in self.kernel.body_ops if isinstance(op, KernelOp)), None)
        window_value = first.results[0]
        if window_value not in self.types.of_value:
            self.types.define(window_value, f"{self.name}_window", fixed.format_of(window_value))
        position = self.position_function(nested, nested.sym_name.data) if nested is not None else None
        in_shape, out_shape = tuple(first.operands[0].type.get_shape()), tuple(window_value.type.get_shape())
        kernel, strides, dilations, pads = first.window_geometry()
        rank = len(in_shape) - 1
        spans = [dilations[d] * (kernel[d] - 1) + 1 for d in range(rank)]
        c_in = in_shape[-1]
        n_out, n_in = math.prod(out_shape[:-1]), math.prod(in_shape[:-1])
        # one step per cycle: read the next input (while there is one), then write the next output if
        # its window's last input has arrived; plan-streams counted the steps, so the loop has a
        # constant trip count and pipelines at II=1, and the line buffer's rows
        steps, rows = self.kernel.steps.value.data, self.kernel.line_buffer_rows.value.data
        element = self.types.of_value[self.kernel.inputs[0]]
        line = "line"
        self.code(c_comment(f"line buffer: the last {rows} {'rows' if rank == 2 else 'positions'} of the input"))
        if rank == 2:
            self.code(f"{local_storage(rows * in_shape[1] * c_in)}{element} {line}[{rows}][{in_shape[1]}][{c_in}];")
        else:
            self.code(f"{element} {line}[{rows}][{c_in}];")
        self.code.directive(Partition(line, 1))
        weights = self._window_constants(first)
        self.code("int next = 0, p = 0;  // outputs written, inputs read")
        with self.code.block(f"{self.loop_label('steps')}for (int step = 0; step < {steps}; step++)"):
            self.code.directive(Pipeline(self.initiation_interval))
            if self.initiation_interval > 1:
                work, lanes = self.kernel.step_work(), self.kernel.multipliers()
                self.code(
                    c_comment(f"reuse factor {self.initiation_interval}: {lanes} multipliers for {work} per step")
                )
                self.code.directive(MultiplierLimit(lanes))
            with self.code.block(f"if (p < {n_in})"):
                self.code(f"{packet_type(self.types, self.kernel.inputs[0])} packet = x0.read();")
                slot = (
                    f"{line}[p / {in_shape[1]} % {rows}][p % {in_shape[1]}][c]"
                    if rank == 2
                    else f"{line}[p % {rows}][c]"
                )
                with self.code.block(f"for (int c = 0; c < {c_in}; c++)"):
                    self.code.directive(Unroll())
                    self.code(f"{slot} = packet.data[c];")
                self.code("p++;")
            if rank == 2:
                self.code(f"int o0 = next / {out_shape[1]}, o1 = next % {out_shape[1]};")
            else:
                self.code("int o0 = next;")
            for d in range(rank):
                self.code(f"int last{d} = o{d} * {strides[d]} - {pads[d]} + {spans[d] - 1};")
            clamp = [f"(last{d} < {in_shape[d] - 1} ? last{d} : {in_shape[d] - 1})" for d in range(rank)]
            need = clamp[0] if rank == 1 else f"{clamp[0]} * {in_shape[1]} + {clamp[1]}"
            only_padding = " || ".join(f"last{d} < 0" for d in range(rank))
            self.code(f"int need = ({only_padding}) ? -1 : {need};  // the last input its window reads")
            with self.code.block(f"if (next < {n_out} && need < p)"):
                acc = self._window_op(
                    first, line, rows, in_shape, ["o0", "o1"][:rank], kernel, strides, dilations, pads, weights
                )
                if position is not None:
                    self.call_and_write(position, [acc])
                else:
                    self.write_packets([acc])
                self.code("next++;")

    def _window_constants(self, op: Operation) -> dict[str, str]:
        """The weights and biases a conv reads, as static arrays in the kernel's weights header."""
        names = {}
        if isinstance(op, fixed.ConvOp):
            for role, value in (("weights", op.weight), ("biases", op.bias)):
                if value is None:
                    continue
                owner = value.owner
                name = self.types.names.take(f"{self.name}_{role}")
                tname = self.types.define(value, name, fixed.format_of(value))
                codes = owner.values().reshape(-1)
                self.weights += constant_array(tname, name, codes, fixed.format_of(value), self.types.names) + "\n"
                names[role] = name
        return names

    @contextmanager
    def _taps(self, loops: list[str], coordinates: list[str]) -> Iterator[None]:
        """The unrolled loops over a window's taps, each tap's input coordinates `i<d>` defined."""
        with ExitStack() as stack:
            for head in loops:
                stack.enter_context(self.code.block(head))
                self.code.directive(Unroll())
            for d, coordinate in enumerate(coordinates):
                self.code(f"int i{d} = {coordinate};")
            yield

    def _window_op(self, op, line, rows, in_shape, coords, kernel, strides, dilations, pads, weights) -> str:
        rank = len(in_shape) - 1
        out_c = op.results[0].type.get_shape()[-1]
        result_type = self.types.of_value[op.results[0]]
        acc = "window"
        self.code(f"{result_type} {acc}[{out_c}];")
        self.code.directive(Partition(acc))
        tap_loops = [f"for (int t{d} = 0; t{d} < {kernel[d]}; t{d}++)" for d in range(rank)]
        coordinates = [f"{coords[d]} * {strides[d]} + t{d} * {dilations[d]} - {pads[d]}" for d in range(rank)]
        inside = " && ".join(f"i{d} >= 0 && i{d} < {in_shape[d]}" for d in range(rank))
        if rank == 2:
            fetch = lambda ch: f"{line}[i0 % {rows}][i1][{ch}]"  # noqa: E731
        else:
            fetch = lambda ch: f"{line}[i0 % {rows}][{ch}]"  # noqa: E731
        if isinstance(op, fixed.ConvOp):
            groups = op.groups.value.data
            w_shape = op.weight.type.get_shape()
            per_group, outs = w_shape[-2], w_shape[-1]
            with self.code.block(f"for (int o = 0; o < {out_c}; o++)"):
                self.code.directive(Unroll())
                bias = f"{weights['biases']}[o]" if "biases" in weights else "0"
                self.code(f"{acc}[o] = {bias};")
            with self._taps(tap_loops, coordinates), self.code.block(f"if ({inside})"):
                with self.code.block(f"for (int o = 0; o < {out_c}; o++)"):
                    self.code.directive(Unroll())
                    with self.code.block(f"for (int c = 0; c < {per_group}; c++)"):
                        self.code.directive(Unroll())
                        channel = f"o / {outs // groups} * {per_group} + c" if groups > 1 else "c"
                        w_index = " + ".join(
                            [*(f"t{d} * {math.prod(w_shape[d + 1 :])}" for d in range(rank)), f"c * {outs}", "o"]
                        )
                        self.code(f"{acc}[o] += {fetch(channel)} * {weights['weights']}[{w_index}];")
            return acc
        is_max = isinstance(op, fixed.MaxPoolOp)
        fmt = fixed.format_of(op.operands[0])
        start = literal(float(codes_to_floats(np.array([fmt.min_code]), fmt)[0])) if is_max else "0"
        with self.code.block(f"for (int c = 0; c < {out_c}; c++)"):
            self.code.directive(Unroll())
            self.code(f"{result_type} r = {start};")
            with self._taps(tap_loops, coordinates):
                item = fetch("c")
                self.code(f"if ({inside} && {item} > r) r = {item};" if is_max else f"if ({inside}) r += {item};")
            self.code(f"{acc}[c] = r;")
        return acc
