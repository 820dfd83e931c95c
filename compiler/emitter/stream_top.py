"""The io_stream top function: a `DATAFLOW` region calling every kernel, joined by `hls::stream`s
declared with the FIFO depths that size-fifos recorded on each kernel.

Takes the dataflow-level design; gives the text of `firmware/<name>.cpp`. After the design, a
section compiled only with NN2HLS_BOUNDED_FIFOS (the bounded-FIFO C simulation, runtime/bounded.py)
holds the same top, `hls::bounded::<name>`, running each kernel in its own thread on FIFOs of at
most their depth, read at run time from the C array `<name>_fifo_depths` (the pragmas' depths until
changed; `<name>_fifo_names` and `<name>_fifo_count` describe it). Without the macro the file is the
design alone, as Vitis HLS reads it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from xdsl.ir import SSAValue

from compiler.emitter.cpp import Code, c_comment
from compiler.emitter.kernels import TypeNames
from compiler.emitter.stream import packet_type
from compiler.emitter.vendors import Dataflow, Interface, StreamDepth, Top
from dialects.dataflow import positions
from dialects.layer import ints
from dialects.names import suffixed

BOUNDED_MACRO = "NN2HLS_BOUNDED_FIFOS"
BOUNDED_NAMESPACE = "hls::bounded"  # inside `hls`: no kernel can be named `hls`, so none collides


@dataclass
class Fifo:
    """An internal stream of the top: its C++ name, packet type and computed depth."""

    name: str
    packet: str
    depth: int


@dataclass
class Wiring:
    """The io_stream top's streams: its FIFOs, each kernel's call with its stream arguments, the
    output ports that repeat an input port, and the packets per sample on each port."""

    fifos: list[Fifo] = field(default_factory=list)
    calls: list[tuple[str, list[str]]] = field(default_factory=list)  # kernel, arguments
    copies: list[tuple[str, str, int]] = field(default_factory=list)  # output port, the port it repeats, packets
    ports: list[Fifo] = field(default_factory=list)  # the top's ports, as deep as a sample's packets


def stream_wiring(design, types: TypeNames, in_ports, out_ports) -> Wiring:
    """Name every FIFO of the top (once: the names are taken from the design's namespace)."""
    block = design.device.body.block
    ret = block.last_op
    wiring = Wiring()
    stream: dict[SSAValue, str] = dict(zip(block.args, in_ports))
    for value, port in zip(ret.arguments, out_ports):
        if value not in stream:
            stream[value] = port
    for value, port in [*zip(block.args, in_ports), *zip(ret.arguments, out_ports)]:
        wiring.ports.append(Fifo(port, packet_type(types, value), positions(value)))
    for kernel in design.kernels:
        depths = ints(kernel.fifo_depths) if kernel.fifo_depths is not None else [2] * len(kernel.outputs)
        for j, (result, depth) in enumerate(zip(kernel.outputs, depths)):
            if result in stream:
                continue
            name = types.names.take(f"{kernel.sym_name.data}_out" + ("" if len(kernel.outputs) == 1 else str(j)))
            stream[result] = name
            wiring.fifos.append(Fifo(name, packet_type(types, result), depth))
        args = [stream[v] for v in kernel.inputs] + [stream[r] for r in kernel.outputs]
        wiring.calls.append((kernel.sym_name.data, args))
    for value, port in zip(ret.arguments, out_ports):
        if stream[value] != port:  # an input returned as it is
            wiring.copies.append((port, stream[value], positions(value)))
    return wiring


def top_stream_function(design, types: TypeNames, signature: str, wiring: Wiring) -> str:
    """The io_stream top: DATAFLOW over the kernels, a FIFO of the computed depth per stream."""
    code = Code()
    code(f'#include "{design.name}.h"')
    code('#include "kernels.h"')
    code()
    fifo_of = {fifo.name: fifo for fifo in wiring.fifos}
    declared: set[str] = set()
    with code.block(signature):
        code.directive(Top())
        for port in wiring.ports:
            code.directive(Interface(port.name, "axis"))
        code.directive(Dataflow())
        code()
        for kernel, args in wiring.calls:
            for arg in args:
                if arg in fifo_of and arg not in declared:
                    declared.add(arg)
                    fifo = fifo_of[arg]
                    code(types.vendor.stream_declaration(fifo.packet, fifo.name))
                    code.directive(StreamDepth(fifo.name, fifo.depth))
            code(f"{kernel}({', '.join(args)});")
        for port, source, packets in wiring.copies:
            with code.block(f"for (int p = 0; p < {packets}; p++)"):
                code(f"{port}.write({source}.read());")
    code(c_comment("end of design"))
    if types.vendor.name in ("vitis", "vivado"):  # the bounded-FIFO C simulation runs this vendor's C++
        bounded_top(code, design.name, signature, wiring.fifos, wiring.calls, wiring.copies)
    return code.text(types.vendor)


def bounded_top(
    code: Code,
    name: str,
    signature: str,
    fifos: list[Fifo],
    calls: list[tuple[str, list[str]]],
    copies: list[tuple[str, str, int]],
) -> None:
    """The same top for the bounded-FIFO C simulation: one thread per kernel (hls::dataflow in
    hls_stream.h), each FIFO as deep as `<name>_fifo_depths` says; wait() throws hls::deadlock."""
    count, names, depths = (suffixed(name, s) for s in ("fifo_count", "fifo_names", "fifo_depths"))
    code()
    code(f"#ifdef {BOUNDED_MACRO}")
    code(c_comment("C simulation with bounded FIFOs (runtime/bounded.py): every kernel in its own thread, each FIFO"))
    code(c_comment(f"holding at most {depths}[i] packets (the pragmas' depths until the host changes them)."))
    outer, inner = BOUNDED_NAMESPACE.split("::")
    code(f"namespace {outer} {{")
    code(f"namespace {inner} {{")
    code('extern "C" {')
    code(f"extern const int {count} = {len(fifos)};")
    if fifos:
        quoted = ", ".join(f'"{f.name}"' for f in fifos)
        code(f"extern const char* const {names}[{len(fifos)}] = {{{quoted}}};")
        code(f"int {depths}[{len(fifos)}] = {{{', '.join(str(f.depth) for f in fifos)}}};")
    code("}")
    with code.block(signature):
        for i, fifo in enumerate(fifos):
            code(f'hls::stream<{fifo.packet}> {fifo.name}("{fifo.name}", {depths}[{i}]);')
        code("hls::dataflow region;")
        for kernel, args in calls:
            code(f'region.run("{kernel}", [&] {{ ::{kernel}({", ".join(args)}); }});')
        code("region.wait();  // throws hls::deadlock")
        for port, source, packets in copies:
            with code.block(f"for (int p = 0; p < {packets}; p++)"):
                code(f"{port}.write({source}.read());")
    code(f"}}  // namespace {inner}")
    code(f"}}  // namespace {outer}")
    code(f"#endif  // {BOUNDED_MACRO}")
