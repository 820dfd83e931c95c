"""The io_stream top function: a `DATAFLOW` region calling every kernel, joined by `hls::stream`s
declared with the FIFO depths that size-fifos recorded on each kernel."""

from __future__ import annotations

from xdsl.ir import SSAValue

from compiler.emitter.cpp import Code, c_comment
from compiler.emitter.kernels import TypeNames
from compiler.emitter.stream import packet_type
from dialects.layer import ints
from lowering.streaming import positions


def top_stream_function(design, types: TypeNames, signature: str, in_ports, out_ports) -> str:
    """The io_stream top: DATAFLOW over the kernels, a FIFO of the computed depth per stream."""
    block = design.device.body.block
    code = Code()
    code(f'#include "{design.name}.h"')
    code('#include "kernels.h"')
    code()
    ret = block.last_op
    with code.block(signature):
        for port in [*in_ports, *out_ports]:
            code(f"#pragma HLS INTERFACE mode=axis port={port}")
        code("#pragma HLS DATAFLOW")
        code()
        stream: dict[SSAValue, str] = dict(zip(block.args, in_ports))
        for value, port in zip(ret.arguments, out_ports):
            if value not in stream:
                stream[value] = port
        for kernel in design.kernels:
            depths = ints(kernel.fifo_depths) if kernel.fifo_depths is not None else [2] * len(kernel.outputs)
            for j, (result, depth) in enumerate(zip(kernel.outputs, depths)):
                if result in stream:
                    continue
                name = types.names.take(f"{kernel.sym_name.data}_out" + ("" if len(kernel.outputs) == 1 else str(j)))
                stream[result] = name
                code(f'hls::stream<{packet_type(types, result)}> {name}("{name}");')
                code(f"#pragma HLS STREAM variable={name} depth={depth}")
            args = [stream[v] for v in kernel.inputs] + [stream[r] for r in kernel.outputs]
            code(f"{kernel.sym_name.data}({', '.join(args)});")
        for value, port in zip(ret.arguments, out_ports):
            if stream[value] != port:  # an input returned as it is
                with code.block(f"for (int p = 0; p < {positions(value)}; p++)"):
                    code(f"{port}.write({stream[value]}.read());")
    code(c_comment("end of design"))
    return code.text()
