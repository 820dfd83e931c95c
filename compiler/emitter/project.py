"""The HLS project for a dataflow-level module: file names and texts, and writing them safely.

Takes a module as fixed-to-dataflow leaves it (a device `func.func` with `dataflow.io_type` and its
`<name>_host` function). Gives, as {relative path: text}:
  firmware/<name>.cpp|.h   the top function (ports, interface pragmas, kernel calls)
  firmware/defines.h       every fixed-point typedef
  firmware/kernels.h, firmware/kernels/<kernel>.cpp, firmware/weights/<kernel>.h
  <name>_host.h            the host side: quantise doubles, call the design, read back doubles
  <name>_test.cpp          C++ test bench comparing with the emulator's outputs in tb_data/
  <name>_bridge.cpp        the batched C entry point the runtime compiles for C simulation
  build_prj.tcl            Vitis HLS script (csim + csynth)
The emitter chooses syntax only: every type, value and loop bound comes from the IR.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp

from compiler.emitter.cpp import (
    CSIM_HEADER,
    CSIM_HEADER_TEXT,
    CSIM_LOADER,
    Code,
    c_comment,
    local_storage,
    size_of,
)
from compiler.emitter.kernels import KernelEmitter, TypeNames
from compiler.emitter.stream import PACKET_DEFINITION, StreamKernel, channels, packet_type
from compiler.emitter.stream_top import stream_wiring, top_stream_function
from compiler.emitter.vendor_projects import (
    FIFO_HEADER,
    FIFO_HEADER_TEXT,
    Build,
    build_files,
    host_calling,
    io_sizes,
    testbench_main,
)
from compiler.emitter.vendors import (
    VITIS,
    Dataflow,
    Interface,
    Partition,
    Pipeline,
    Reshape,
    Top,
    Unroll,
    Vendor,
)
from dialects import fixed, layout
from dialects.dataflow import II_ATTR, IO_TYPE_ATTR, TOP_ATTR, IOType, KernelOp, TopKind
from dialects.errors import CompileError
from dialects.layer import ints
from dialects.names import UniqueNames, suffixed
from lowering.infer_bitwidths import check_widths

INCLUDE_GUARD = "#pragma once"


@dataclass
class Design:
    """The two functions of a dataflow-level module."""

    device: func.FuncOp
    host: func.FuncOp

    @property
    def name(self) -> str:
        return self.device.sym_name.data

    @property
    def streaming(self) -> bool:
        return self.device.attributes[IO_TYPE_ATTR].data == IOType.IO_STREAM

    @property
    def kernels(self) -> list[KernelOp]:
        return [op for op in self.device.body.block.ops if isinstance(op, KernelOp)]

    @property
    def top(self) -> tuple[TopKind, int]:
        """How the top function runs the kernels, and its initiation interval (fixed-to-dataflow)."""
        if TOP_ATTR not in self.device.attributes:
            raise CompileError(f"hls-cpp: @{self.name} has no {TOP_ATTR} (run fixed-to-dataflow)")
        kind = TopKind(self.device.attributes[TOP_ATTR].data)
        ii = self.device.attributes[II_ATTR].value.data if II_ATTR in self.device.attributes else 1
        return kind, ii

    @staticmethod
    def of(module: ModuleOp) -> Design:
        functions = [op for op in module.body.block.ops if isinstance(op, func.FuncOp)]
        devices = [f for f in functions if IO_TYPE_ATTR in f.attributes]
        if len(devices) != 1:
            raise CompileError("hls-cpp: expected one design function (run fixed-to-dataflow first)")
        device = devices[0]
        hosts = [
            f
            for f in functions
            if f is not device
            and any(isinstance(op, func.CallOp) and op.callee.string_value() == device.sym_name.data for op in f.walk())
        ]
        if len(hosts) != 1:
            raise CompileError(f"hls-cpp: expected one host function calling @{device.sym_name.data}")
        return Design(device, hosts[0])


def port_names(prefix: str, n: int) -> list[str]:
    return [prefix] if n == 1 else [f"{prefix}{i}" for i in range(n)]


def emit_files(module: ModuleOp, vendor: Vendor = VITIS, build: Build | None = None) -> dict[str, str]:
    """The C++ files of the design for `vendor`; with `build`, also the vendor's build files
    (vendor_projects.py)."""
    design = Design.of(module)
    check_widths(design.device, 0, "hls-cpp")  # what the C++ types hold, named before any file is written
    name = design.name
    types = TypeNames(vendor=vendor)
    # one namespace for every global C++ name: the top, its helpers, kernels, typedefs, arrays
    types.names.used.update(
        {
            name,
            design.host.sym_name.data,
            suffixed(name, "predict"),
            CSIM_LOADER,
            *(k.sym_name.data for k in design.kernels),
        }
    )
    block = design.device.body.block
    ret = block.last_op
    assert isinstance(ret, func.ReturnOp)
    inputs, outputs = list(block.args), list(ret.arguments)
    ports = UniqueNames(set(types.names.used))  # a port must not shadow the kernels the top calls
    in_ports = [ports.take(p) for p in port_names("x", len(inputs))]
    out_ports = [ports.take(p) for p in port_names("y", len(outputs))]
    for i, arg in enumerate(inputs):
        types.define(arg, "input" if len(inputs) == 1 else f"input{i}", fixed.format_of(arg))
    result_types = [
        types.define(None, "result" if len(outputs) == 1 else f"result{j}", fixed.format_of(v))
        for j, v in enumerate(outputs)
    ]
    for kernel in design.kernels:
        for j, result in enumerate(kernel.outputs):
            base = kernel.sym_name.data if len(kernel.outputs) == 1 else f"{kernel.sym_name.data}_out{j}"
            types.define(result, base, fixed.format_of(result))

    files: dict[str, str] = {}
    kernel_texts = []
    streaming = design.streaming
    templates = streaming and vendor.stream_kernels_are_templates  # kernels in headers, with their definitions
    for kernel in design.kernels:
        if streaming:
            emitter = StreamKernel(kernel, types)
        else:
            emitter = KernelEmitter(kernel, types, local=UniqueNames(set(types.names.used)))
        body, weights = emitter.emit()
        kname = kernel.sym_name.data
        includes = f'{INCLUDE_GUARD}\n#include "../defines.h"\n' if templates else '#include "../kernels.h"\n'
        if weights.strip():
            csim = f'#include "../{CSIM_HEADER}"\n' if CSIM_LOADER in weights else ""
            if csim:
                files[f"firmware/{CSIM_HEADER}"] = CSIM_HEADER_TEXT
            files[f"firmware/weights/{kname}.h"] = f'{INCLUDE_GUARD}\n#include "../defines.h"\n{csim}\n{weights}'
            includes += f'#include "../weights/{kname}.h"\n'
        layer = kernel.layer.data if kernel.layer else kname
        files[f"firmware/kernels/{kname}.{'h' if templates else 'cpp'}"] = (
            f"{includes}\n{c_comment('layer ' + layer)}\n{body}"
        )
        kernel_texts.append(f'#include "kernels/{kname}.h"\n' if templates else f"{emitter.signature_text};\n")

    files["firmware/defines.h"] = defines_header(types, streaming)
    if streaming and vendor.name == "oneapi":
        files[f"firmware/{FIFO_HEADER}"] = FIFO_HEADER_TEXT
    files["firmware/kernels.h"] = f'{INCLUDE_GUARD}\n#include "defines.h"\n\n' + "".join(kernel_texts)
    signature = top_signature(design, types, in_ports, out_ports, result_types)
    files[f"firmware/{name}.h"] = f'{INCLUDE_GUARD}\n#include "defines.h"\n\n{signature};\n'
    wiring = stream_wiring(design, types, in_ports, out_ports) if streaming else None
    if wiring is not None:
        files[f"firmware/{name}.cpp"] = top_stream_function(design, types, signature, wiring)
    else:
        files[f"firmware/{name}.cpp"] = top_function(design, types, signature, in_ports, out_ports)
    files[f"{design.host.sym_name.data}.h"] = host_header(design, types, in_ports, out_ports, result_types)
    files[f"{name}_bridge.cpp"] = bridge_source(design)
    files[f"{name}_test.cpp"] = testbench_source(design)
    if build is not None:
        files.update(build_files(design, types, build, in_ports, out_ports, wiring))
    return files


def defines_header(types: TypeNames, streaming: bool = False) -> str:
    code = Code()
    code(INCLUDE_GUARD)
    for line in types.vendor.includes(streaming):
        code(line)
    if streaming:
        code()
        code(c_comment("io_stream: one packet carries the values of one position (all its channels)"))
        code(PACKET_DEFINITION)
    code()
    for tname, fmt in types.typedefs.items():
        code(f"typedef {types.spell(fmt)} {tname};")
    return code.text()


def top_signature(design: Design, types: TypeNames, in_ports, out_ports, result_types) -> str:
    block = design.device.body.block
    if design.streaming:
        stream = types.vendor.stream
        params = [f"{stream(packet_type(types, a))}& {p}" for a, p in zip(block.args, in_ports)]
        params += [f"{stream(packet_type(types, v))}& {p}" for v, p in zip(block.last_op.arguments, out_ports)]
        return f"void {design.name}({', '.join(params)})"
    params = [f"const {types.of_value[a]} {p}[{size_of(a)}]" for a, p in zip(block.args, in_ports)]
    ret = block.last_op
    params += [f"{t} {p}[{size_of(v)}]" for v, p, t in zip(ret.arguments, out_ports, result_types)]
    return f"void {design.name}({', '.join(params)})"


def top_function(design: Design, types: TypeNames, signature: str, in_ports, out_ports) -> str:
    block = design.device.body.block
    code = Code()
    code(f'#include "{design.name}.h"')
    code('#include "kernels.h"')
    code()
    kernels = design.kernels
    top, ii = design.top
    with code.block(signature):
        code.directive(Top())
        for port in [*in_ports, *out_ports]:
            code.directive(Interface(port, "ap_vld"))
        for port in in_ports:
            code.directive(Reshape(port))
        for port in out_ports:
            code.directive(Partition(port, 0))
        code.directive(Dataflow() if top == TopKind.DATAFLOW else Pipeline(ii, function=True))
        code()
        array = dict(zip(block.args, in_ports))
        ret = block.last_op
        for value, port in zip(ret.arguments, out_ports):
            if value not in array:
                array[value] = port
        for kernel in kernels:
            for j, result in enumerate(kernel.outputs):
                if result in array:
                    continue
                var = types.names.take(f"{kernel.sym_name.data}_out" + ("" if len(kernel.outputs) == 1 else str(j)))
                array[result] = var
                code(f"{local_storage(size_of(result))}{types.of_value[result]} {var}[{size_of(result)}];")
                code.directive(Partition(var, 0))
            args = [array[v] for v in kernel.inputs] + [array[r] for r in kernel.outputs]
            code(f"{kernel.sym_name.data}({', '.join(args)});")
        for value, port in zip(ret.arguments, out_ports):
            if array[value] != port:
                with code.block(f"for (int i = 0; i < {size_of(value)}; i++)"):
                    code.directive(Unroll())
                    code(f"{port}[i] = {array[value]}[i];")
    return code.text(types.vendor)


def host_conversions(design: Design, vendor: Vendor = VITIS) -> list[str]:
    """The C++ conversion type of each input's quantisation (with its modes)."""
    out = []
    for op in design.host.body.block.ops:
        if isinstance(op, fixed.QuantizeOp):
            out.append(vendor.fixed_type(fixed.format_of(op.output), *op.modes))
    return out


def host_header(design: Design, types: TypeNames, in_ports, out_ports, result_types) -> str:
    """The host function, op by op as in the IR: quantise, move (edge transposes), call, read back."""
    host = design.host.body.block
    code = Code()
    code(INCLUDE_GUARD)
    code(f'#include "firmware/{design.name}.h"')
    code()
    code(c_comment(f"The host side, as @{design.host.sym_name.data} in the IR: quantise, run the design, read back."))
    # every name in the host function is taken from one pool that holds the design's (a model
    # named `in0` must not have its function shadowed by a parameter)
    local = UniqueNames({design.name, design.host.sym_name.data, *in_ports, *out_ports})
    name: dict = {arg: local.take(f"in{i}") for i, arg in enumerate(host.args)}
    outs = [local.take(f"out{j}") for j in range(len(design.host.function_type.outputs))]
    params = [f"const double* {name[arg]}" for arg in host.args] + [f"double* {o}" for o in outs]
    with code.block(f"inline void {design.host.sym_name.data}({', '.join(params)})"):
        for op in host.ops:
            if isinstance(op, fixed.QuantizeOp):
                name[op.output] = local.take("quantized")
                code(
                    f"{local_storage(size_of(op.output))}{types.spell(fixed.format_of(op.output))} {name[op.output]}[{size_of(op.output)}];"
                )
                with code.block(f"for (int i = 0; i < {size_of(op.output)}; i++)"):
                    conversion = types.spell(fixed.format_of(op.output), *op.modes)
                    code(f"{name[op.output]}[i] = {conversion}({name[op.input]}[i]);")
            elif isinstance(op, layout.TransposeOp):
                name[op.output] = local.take("moved")
                element = op.output.type.element_type
                element = types.spell(element.format) if isinstance(element, fixed.FixedType) else "double"
                code(f"{local_storage(size_of(op.output))}{element} {name[op.output]}[{size_of(op.output)}];")
                transpose_loops(code, name[op.input], name[op.output], tuple(op.input.type.get_shape()), ints(op.perm))
            elif isinstance(op, func.CallOp):
                for result, port, t in zip(op.results, out_ports, result_types):
                    name[result] = port
                    code(f"{local_storage(size_of(result))}{t} {port}[{size_of(result)}];")
                if design.streaming:
                    call_streaming(code, design, types, [name[v] for v in op.arguments], out_ports, local)
                else:
                    code(f"{design.name}({', '.join(name[v] for v in [*op.arguments, *op.results])});")
            elif isinstance(op, fixed.DequantizeOp):
                name[op.output] = local.take("values")
                code(f"{local_storage(size_of(op.output))}double {name[op.output]}[{size_of(op.output)}];")
                with code.block(f"for (int i = 0; i < {size_of(op.output)}; i++)"):
                    code(f"{name[op.output]}[i] = {name[op.input]}[i].to_double();")
            elif isinstance(op, func.ReturnOp):
                for j, value in enumerate(op.arguments):
                    with code.block(f"for (int i = 0; i < {size_of(value)}; i++)"):
                        code(f"{outs[j]}[i] = {name[value]}[i];")
    return code.text()


def call_streaming(
    code: Code, design: Design, types: TypeNames, inputs: list[str], outputs: list[str], local: UniqueNames
) -> None:
    """Feed each input array to the design as a stream of packets, then read the output streams."""
    block = design.device.body.block
    streams_in, streams_out = [], []
    for array, port in zip(inputs, block.args):
        stream, c = local.take(f"{array}_stream"), channels(port)
        streams_in.append(stream)
        code(f"{types.vendor.stream(packet_type(types, port))} {stream};")
        with code.block(f"for (int p = 0; p < {size_of(port) // c}; p++)"):
            code(f"{packet_type(types, port)} packet;")
            code(f"for (int c = 0; c < {c}; c++) packet.data[c] = {array}[p * {c} + c];")
            code(f"{stream}.write(packet);")
    for array, value in zip(outputs, block.last_op.arguments):
        streams_out.append(local.take(f"{array}_stream"))
        code(f"{types.vendor.stream(packet_type(types, value))} {streams_out[-1]};")
    code(f"{design.name}({', '.join([*streams_in, *streams_out])});")
    for array, stream, value in zip(outputs, streams_out, block.last_op.arguments):
        c = channels(value)
        with code.block(f"for (int p = 0; p < {size_of(value) // c}; p++)"):
            code(f"{packet_type(types, value)} packet = {stream}.read();")
            code(f"for (int c = 0; c < {c}; c++) {array}[p * {c} + c] = packet.data[c];")


def transpose_loops(code: Code, source: str, target: str, shape: tuple[int, ...], perm: tuple[int, ...]) -> None:
    """target = transpose(source, perm) on flat row-major arrays."""
    out_shape = [shape[p] for p in perm]
    names = [f"i{d}" for d in range(len(shape))]
    for n, size in zip(names, out_shape):
        code.open(f"for (int {n} = 0; {n} < {size}; {n}++)")
    source_index = [""] * len(shape)
    for k, p in enumerate(perm):
        source_index[p] = names[k]

    def flat(indices, dims) -> str:
        return " + ".join(f"{i} * {math.prod(dims[d + 1 :])}" for d, i in enumerate(indices))

    code(f"{target}[{flat(names, out_shape)}] = {source}[{flat(source_index, shape)}];")
    for _ in names:
        code.close()


def bridge_source(design: Design) -> str:
    """The batched C entry point `<name>_predict`; for an io_stream design, compiled with
    NN2HLS_BOUNDED_FIFOS, `<name>_predict_bounded` instead: the host side calling the threaded top
    (stream_top.py), a status per sample (0 ran, 1 deadlock, 2 another error) and the first
    failure's message."""
    from compiler.emitter.stream_top import BOUNDED_MACRO, BOUNDED_NAMESPACE

    ins, outs = io_sizes(design)
    host = design.host.sym_name.data
    args = [f"inputs[{i}] + s * {size}" for i, size in enumerate(ins)]
    args += [f"outputs[{j}] + s * {size}" for j, size in enumerate(outs)]
    code = Code()
    if design.streaming:
        code(f"#ifndef {BOUNDED_MACRO}")
    code(f'#include "{host}.h"')
    code()
    code(c_comment("C simulation entry point: runs n samples per call (inputs/outputs: one array per port)."))
    with code.block(
        f'extern "C" void {suffixed(design.name, "predict")}(const double* const* inputs, double* const* outputs, long n)'
    ):
        with code.block("for (long s = 0; s < n; s++)"):
            code(f"{host}({', '.join(args)});")
    if not design.streaming:
        return code.text()
    outer, inner = BOUNDED_NAMESPACE.split("::")
    code("#else")
    code("#include <stdio.h>")
    code()
    code("#include <exception>")
    code()
    code(f'#include "firmware/{design.name}.h"')
    code()
    code(f"namespace {outer} {{")
    code(f"namespace {inner} {{")
    code(f"decltype(::{design.name}) {design.name};  // the threaded top (firmware/{design.name}.cpp)")
    code(f"}}  // namespace {inner}")
    code(f"namespace {inner}_host {{")
    host_calling(code, design.name, f"::{BOUNDED_NAMESPACE}::{design.name}", "the threaded top", host)
    code(f"}}  // namespace {inner}_host")
    code(f"}}  // namespace {outer}")
    code()
    code(c_comment("C simulation with bounded FIFOs: n samples; status[s] = 0 (ran), 1 (deadlock) or 2 (another"))
    code(c_comment("error); the first failure's message goes to message[size]; returns how many samples failed."))
    signature = (
        f'extern "C" long {suffixed(design.name, "predict_bounded")}(const double* const* inputs, '
        "double* const* outputs, long n, int* status, char* message, long size)"
    )
    with code.block(signature):
        code("long failed = 0;")
        with code.block("for (long s = 0; s < n; s++)"):
            code("status[s] = 0;")
            code("try {")
            code(f"    {BOUNDED_NAMESPACE}_host::{host}({', '.join(args)});")
            for caught, status in (("hls::deadlock", 1), ("std::exception", 2)):
                code(f"}} catch (const {caught}& e) {{")
                code(f"    status[s] = {status};")
                code('    if (failed++ == 0) snprintf(message, size, "%s", e.what());')
            code("}")
        code("return failed;")
    code(f"#endif  // {BOUNDED_MACRO}")
    return code.text()


def testbench_source(design: Design) -> str:
    code = Code()
    for header in ("<cstdio>", "<fstream>", "<sstream>", "<string>", "<vector>"):
        code(f"#include {header}")
    code(f'#include "{design.host.sym_name.data}.h"')
    code()
    code(c_comment("Runs tb_data/tb_input_features.dat through the design and requires outputs identical"))
    code(c_comment("to tb_data/tb_output_predictions.dat (written by the compiler's bit-exact emulator)."))
    testbench_main(code, design, design.host.sym_name.data)
    return code.text()
