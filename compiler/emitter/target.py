"""The `hls-cpp` and `verilog` targets for `xdsl-opt`: print every C++ (or Verilog) file of the design,
each after a banner line `// ----- <path> -----`, so the output can be read, diffed and FileCheck-ed
as one stream."""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.utils.target import Target

from compiler.emitter.project import emit_files


@dataclass(frozen=True)
class HLSCppTarget(Target):
    name = "hls-cpp"

    def emit(self, ctx: Context, module: ModuleOp, output: IO[str]) -> None:
        files = emit_files(module)
        for path in sorted(files):
            output.write(f"// ----- {path} -----\n{files[path]}")


@dataclass(frozen=True)
class VerilogTarget(Target):
    """The `verilog` target: every file of the Verilog project (compiler/emitter/verilog.py), each
    after a banner line `// ----- <path> -----` (`# ----- ...` for the Yosys script)."""

    name = "verilog"

    def emit(self, ctx: Context, module: ModuleOp, output: IO[str]) -> None:
        from compiler.emitter.verilog import verilog_design

        files = verilog_design(module).files
        for path in sorted(files):
            comment = "#" if path.endswith(".ys") else "//"
            output.write(f"{comment} ----- {path} -----\n{files[path]}")
