"""Each vendor's build files around the C++ of project.py: what its tool runs.

  vitis     build_prj.tcl   Vitis HLS (vitis_hls -f build_prj.tcl): C simulation and synthesis
  vivado    build_prj.tcl   the same for Vivado HLS (vivado_hls -f build_prj.tcl)
  catapult  build_prj.tcl   Catapult's flow: go analyze, compile, libraries, assembly, architect,
                            allocate, schedule, extract; FIFO depths as channel directives
  oneapi    CMakeLists.txt, src/<name>_sycl.cpp, README.md: a SYCL program whose kernel runs the
                            design (io_stream: one kernel per dataflow kernel, joined by pipes of the
                            computed depths), built with icpx for emulation, report or hardware
The C simulation (compile()/predict()) builds the same firmware with g++ for every vendor; the
files here are for the vendor's own tools, which do not run on this machine.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from compiler.emitter.cpp import Code, c_comment, size_of
from compiler.emitter.stream import packet_type
from dialects.errors import CompileError
from dialects.names import suffixed

if TYPE_CHECKING:
    from compiler.emitter.kernels import TypeNames
    from compiler.emitter.project import Design
    from compiler.emitter.stream_top import Wiring


DEFAULT_PART = "xcvu13p-flga2577-2-e"


@dataclass(frozen=True)
class Build:
    """What the build files target: the part (or board) and the clock period."""

    part: str = DEFAULT_PART
    clock_ns: float = 5.0


FIFO_HEADER = "nn2hls_fifo.h"
DEVICE_RUN = "run_on_device"  # in namespace nn2hls_device: no design or kernel name clashes
FIFO_HEADER_TEXT = """#pragma once
// C simulation's stand-in for a SYCL pipe between kernels: an unbounded FIFO (the SYCL program,
// src/*_sycl.cpp, joins the kernels by sycl::ext::intel::pipe instead).
#include <deque>
#include <stdexcept>

template <class T>
class nn2hls_fifo {
  public:
    nn2hls_fifo() = default;
    explicit nn2hls_fifo(const char*) {}
    T read() {
        if (items_.empty()) throw std::runtime_error("nn2hls_fifo: read from an empty FIFO");
        T item = items_.front();
        items_.pop_front();
        return item;
    }
    void write(const T& item) { items_.push_back(item); }
    bool empty() const { return items_.empty(); }

  private:
    std::deque<T> items_;
};
"""


def io_sizes(design: Design) -> tuple[list[int], list[int]]:
    """Elements per sample of each host input and output (the model's own layout)."""
    function_type = design.host.function_type
    return (
        [math.prod(t.get_shape()) for t in function_type.inputs.data],
        [math.prod(t.get_shape()) for t in function_type.outputs.data],
    )


def _sources(design: Design, kernel_suffix: str = ".cpp") -> list[str]:
    return [
        f"firmware/{design.name}.cpp",
        *(f"firmware/kernels/{k.sym_name.data}{kernel_suffix}" for k in design.kernels),
    ]


def vitis_script(design: Design, build: Build, vivado: bool = False) -> str:
    name = design.name
    tool = "Vivado HLS" if vivado else "Vitis HLS"
    lines = [
        f"# {tool}: C simulation and synthesis of {name}.  Run: {'vivado_hls' if vivado else 'vitis_hls'} -f build_prj.tcl",
        "set csim 1",
        "set synth 1",
        f"open_project -reset {name}_prj",
        f"set_top {name}",
        *[f'add_files {source} -cflags "-std=c++14"' for source in _sources(design)],
        f'add_files -tb {name}_test.cpp -cflags "-std=c++14 -I."',
        "add_files -tb tb_data",
        "open_solution -reset solution1" + ("" if vivado else " -flow_target vivado"),
        f"set_part {{{build.part}}}",
        f"create_clock -period {build.clock_ns:g} -name default",
        "if {$csim} { csim_design }",
        "if {$synth} { csynth_design }",
        "exit",
    ]
    return "\n".join(lines) + "\n"


def catapult_script(design: Design, build: Build, wiring: Wiring | None) -> str:
    name = design.name
    lines = [
        f"# Catapult HLS: C++ to RTL for {name}.  Run: catapult -shell -file build_prj.tcl",
        "# The C simulation is the test bench (g++ with the AC headers: see README.md of the compiler).",
        "options set Input/CppStandard c++14",
        f"project new -name {name}_prj",
        "solution options set /Input/SearchPath {firmware .}",
        *[f"solution file add {source}" for source in _sources(design)],
        f"solution file add {name}_test.cpp -exclude true",
        "go analyze",
        f"solution design set {name} -top",
        "go compile",
        f"solution library add mgc_Xilinx-VIRTEX-uplus-2_beh -- -rtlsyntool Vivado -manufacturer Xilinx "
        f"-family VIRTEX-uplus -speed -2 -part {build.part}",
        "go libraries",
        f"directive set -CLOCKS {{clk {{-CLOCK_PERIOD {build.clock_ns:g}}}}}",
        "go assembly",
        # the depths the bounded-FIFO simulation checked (size-fifos)
        *[
            f"directive set /{name}/{fifo.name}:cns -FIFO_DEPTH {fifo.depth}"
            for fifo in (wiring.fifos if wiring else [])
        ],
        "go architect",
        "go allocate",
        "go schedule",
        "go extract",
        "project save",
    ]
    return "\n".join(lines) + "\n"


def oneapi_cmake(design: Design, build: Build) -> str:
    name = design.name
    # io_stream kernels are templates, defined in their headers (firmware/kernels/<kernel>.h)
    kernels = [] if design.streaming else _sources(design)[1:]
    sources = " ".join([f"src/{name}_sycl.cpp", f"firmware/{name}.cpp", *kernels])
    return f"""# oneAPI (SYCL) build of {name}: icpx -fsycl -fintelfpga.  See README.md.
cmake_minimum_required(VERSION 3.16)
set(CMAKE_CXX_COMPILER icpx)
project({name} CXX)
set(FPGA_DEVICE "{build.part}" CACHE STRING "board or part (-Xstarget)")
set(CLOCK_MHZ "{1000.0 / build.clock_ns:g}MHz" CACHE STRING "target clock (-Xsclock)")
set(SOURCES {sources})
set(COMMON -std=c++17 -fsycl -fintelfpga -I${{CMAKE_SOURCE_DIR}} -I${{CMAKE_SOURCE_DIR}}/firmware)
set(HARDWARE -Xshardware -Xstarget=${{FPGA_DEVICE}} -Xsclock=${{CLOCK_MHZ}})

add_executable({name}.fpga_emu ${{SOURCES}})
target_compile_options({name}.fpga_emu PRIVATE ${{COMMON}} -DFPGA_EMULATOR)
target_link_options({name}.fpga_emu PRIVATE -fsycl -fintelfpga)

add_executable({name}.report ${{SOURCES}})
target_compile_options({name}.report PRIVATE ${{COMMON}} -DFPGA_HARDWARE)
target_link_options({name}.report PRIVATE -fsycl -fintelfpga ${{HARDWARE}} -fsycl-link=early)

add_executable({name}.fpga ${{SOURCES}})
target_compile_options({name}.fpga PRIVATE ${{COMMON}} -DFPGA_HARDWARE)
target_link_options({name}.fpga PRIVATE -fsycl -fintelfpga ${{HARDWARE}})

add_custom_target(fpga_emu DEPENDS {name}.fpga_emu)
add_custom_target(report DEPENDS {name}.report)
add_custom_target(fpga DEPENDS {name}.fpga)
"""


def oneapi_readme(design: Design) -> str:
    name = design.name
    return f"""# {name}: oneAPI (SYCL) project

Built with Intel's `icpx` (oneAPI DPC++/C++ compiler, FPGA support package):

    mkdir build && cd build && cmake ..
    make fpga_emu   # emulation on the CPU: ./{name}.fpga_emu runs tb_data through the design
    make report     # the optimisation report (build/{name}.report.prj/reports/report.html)
    make fpga       # the hardware image (hours)

Set the board or part with `cmake .. -DFPGA_DEVICE=<board or part>`.
`firmware/` is plain C++ with `ac_fixed` (Intel's `sycl/ext/intel/ac_types` under icpx, any AC
datatypes with g++): the compiler's C simulation builds it with g++. `src/{name}_sycl.cpp` is the
SYCL program: the kernel that runs the design on the device, and a test bench comparing its outputs
with `tb_data/tb_output_predictions.dat` (the bit-exact emulator's).
"""


def oneapi_program(
    design: Design, types: TypeNames, in_ports: list[str], out_ports: list[str], wiring: Wiring | None
) -> str:
    """The SYCL program: `<name>` here runs one sample on the device (the host header calls it)."""
    name, host = design.name, design.host.sym_name.data
    block = design.device.body.block
    inputs, outputs = list(block.args), list(block.last_op.arguments)
    ns = "nn2hls_device"
    code = Code()
    for header in ("<sycl/sycl.hpp>", "<sycl/ext/intel/fpga_extensions.hpp>", "<cstdio>", "<fstream>", "<sstream>"):
        code(f"#include {header}")
    code("#include <string>")
    code("#include <vector>")
    code()
    code(f'#include "firmware/{name}.h"')
    code('#include "firmware/kernels.h"')
    code()
    code(f"namespace {ns} {{")
    code("sycl::queue& queue() {")
    code("#ifdef FPGA_EMULATOR")
    code("    static sycl::queue q(sycl::ext::intel::fpga_emulator_selector_v);")
    code("#else")
    code("    static sycl::queue q(sycl::ext::intel::fpga_selector_v);")
    code("#endif")
    code("    return q;")
    code("}")
    code()
    if wiring is not None:
        _oneapi_stream_device(code, design, types, in_ports, out_ports, wiring)
    else:
        params = [f"const {types.of_value[v]} {p}[{size_of(v)}]" for v, p in zip(inputs, in_ports)]
        params += [f"{types.of_value[v]} {p}[{size_of(v)}]" for v, p in zip(outputs, out_ports)]
        code(c_comment("One sample through the design on the device."))
        with code.block(f"void {DEVICE_RUN}({', '.join(params)})"):
            for v, p in zip([*inputs, *outputs], [*in_ports, *out_ports]):
                code(f"{types.of_value[v]}* {p}_usm = sycl::malloc_shared<{types.of_value[v]}>({size_of(v)}, queue());")
            for v, p in zip(inputs, in_ports):
                code(f"for (int i = 0; i < {size_of(v)}; i++) {p}_usm[i] = {p}[i];")
            code(f"queue().single_task<class {suffixed(name, 'kernel')}>([=]() [[intel::kernel_args_restrict]] {{")
            for v, p in zip(inputs, in_ports):
                code(f"    {types.of_value[v]} {p}_local[{size_of(v)}];")
                code(f"    for (int i = 0; i < {size_of(v)}; i++) {p}_local[i] = {p}_usm[i];")
            for v, p in zip(outputs, out_ports):
                code(f"    {types.of_value[v]} {p}_local[{size_of(v)}];")
            code(f"    ::{name}({', '.join(f'{p}_local' for p in [*in_ports, *out_ports])});")
            for v, p in zip(outputs, out_ports):
                code(f"    for (int i = 0; i < {size_of(v)}; i++) {p}_usm[i] = {p}_local[i];")
            code("}).wait();")
            for v, p in zip(outputs, out_ports):
                code(f"for (int i = 0; i < {size_of(v)}; i++) {p}[i] = {p}_usm[i];")
            for p in [*in_ports, *out_ports]:
                code(f"sycl::free({p}_usm, queue());")
    host_calling(code, name, DEVICE_RUN, "the device run", host)
    code(f"}}  // namespace {ns}")
    code()
    testbench_main(code, design, f"{ns}::{host}")
    return code.text()


def _oneapi_stream_device(code: Code, design: Design, types: TypeNames, in_ports, out_ports, wiring: Wiring) -> None:
    """io_stream: a pipe per stream (a FIFO of its computed depth; a port as deep as a sample's
    packets), a kernel per dataflow kernel reading and writing them, fed and drained by the host."""
    name = design.name
    if wiring.copies:
        raise CompileError(f"oneapi: @{name} returns an input stream unchanged; its SYCL program is not written")
    code(c_comment("A pipe as a kernel's stream port: read() and write() of the pipe P."))
    code("template <class P, class T>")
    code("struct pipe_port {")
    code("    T read() { return P::read(); }")
    code("    void write(const T& v) { P::write(v); }")
    code("};")
    for fifo in [*wiring.ports, *wiring.fifos]:
        code(f"using {fifo.name}_pipe = sycl::ext::intel::pipe<class {fifo.name}_id, {fifo.packet}, {fifo.depth}>;")
        code(f"using {fifo.name}_port = pipe_port<{fifo.name}_pipe, {fifo.packet}>;")
    code()
    block = design.device.body.block
    stream = types.vendor.stream
    params = [f"{stream(packet_type(types, a))}& {p}" for a, p in zip(block.args, in_ports)]
    params += [f"{stream(packet_type(types, v))}& {p}" for v, p in zip(block.last_op.arguments, out_ports)]
    packets = {fifo.name: fifo.depth for fifo in wiring.ports}
    code(c_comment("One sample through the design on the device."))
    with code.block(f"void {DEVICE_RUN}({', '.join(params)})"):
        code("std::vector<sycl::event> running;")
        for kernel, args in wiring.calls:
            objects = " ".join(f"{a}_port {a}_object;" for a in args)
            call = f"::{kernel}({', '.join(f'{a}_object' for a in args)});"
            code(f"running.push_back(queue().single_task<class {kernel}_task>([=]() {{ {objects} {call} }}));")
        for port in in_ports:
            with code.block(f"for (int p = 0; p < {packets[port]}; p++)"):
                code(f"{port}_pipe::write({port}.read());  // host to device")
        for port in out_ports:
            with code.block(f"for (int p = 0; p < {packets[port]}; p++)"):
                code(f"{port}.write({port}_pipe::read());  // device to host")
        code("for (auto& e : running) e.wait();")


def host_calling(code: Code, top: str, target: str, what: str, host: str) -> None:
    """Include the host side (`host`.h, which calls `top`) with `top` pointing to `target` instead:
    a pointer named like the top, declared in the enclosing namespace. Being no function, it also
    keeps argument-dependent lookup from finding ::`top` through the arguments' types."""
    code(
        c_comment(
            f"The host side calls `{top}`: here {what} (a pointer to it, so no ::{top} by argument-dependent lookup)."
        )
    )
    code(f"decltype(::{top})* const {top} = &{target};")
    code(f'#include "{host}.h"')


def testbench_main(code: Code, design: Design, host: str) -> None:
    """`main`: tb_data/tb_input_features.dat through `host` (the host side), every output compared
    with tb_data/tb_output_predictions.dat (the emulator's); exit status 1 on any difference."""
    ins, outs = io_sizes(design)
    n_in, n_out = sum(ins), sum(outs)
    with code.block("int main()"):
        code('std::ifstream inputs("tb_data/tb_input_features.dat"), expected("tb_data/tb_output_predictions.dat");')
        with code.block("if (!inputs || !expected)"):
            code('std::printf("missing tb_data files\\n");')
            code("return 1;")
        code("std::string in_line, out_line;")
        code("int samples = 0, mismatches = 0;")
        with code.block("while (std::getline(inputs, in_line) && std::getline(expected, out_line))"):
            code("std::vector<double> x, want;")
            code("double v;")
            code("std::istringstream in_stream(in_line), out_stream(out_line);")
            code("while (in_stream >> v) x.push_back(v);")
            code("while (out_stream >> v) want.push_back(v);")
            with code.block(f"if (x.size() != {n_in} || want.size() != {n_out})"):
                code('std::printf("malformed tb_data line %d\\n", samples + 1);')
                code("return 1;")
            code(f"std::vector<double> y({n_out});")
            offsets_in = [sum(ins[:i]) for i in range(len(ins))]
            offsets_out = [sum(outs[:j]) for j in range(len(outs))]
            args = [f"&x[{o}]" for o in offsets_in] + [f"&y[{o}]" for o in offsets_out]
            code(f"{host}({', '.join(args)});")
            with code.block(f"for (int i = 0; i < {n_out}; i++)"):
                with code.block("if (y[i] != want[i])"):
                    code(
                        'if (mismatches < 10) std::printf("sample %d output %d: %.17g, emulator %.17g\\n", samples, i, y[i], want[i]);'
                    )
                    code("mismatches++;")
            code("samples++;")
        code('std::printf("%d samples, %d outputs differ from the emulator\\n", samples, mismatches);')
        code("return mismatches ? 1 : 0;")


def build_files(
    design: Design, types: TypeNames, build: Build, in_ports, out_ports, wiring: Wiring | None
) -> dict[str, str]:
    vendor = types.vendor.name
    if vendor in ("vitis", "vivado"):
        return {"build_prj.tcl": vitis_script(design, build, vivado=vendor == "vivado")}
    if vendor == "catapult":
        return {"build_prj.tcl": catapult_script(design, build, wiring)}
    return {
        "CMakeLists.txt": oneapi_cmake(design, build),
        "README.md": oneapi_readme(design),
        f"src/{design.name}_sycl.cpp": oneapi_program(design, types, in_ports, out_ports, wiring),
    }
