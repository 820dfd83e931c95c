"""The targets for `xdsl-opt`: print every file of the design, each after a banner line
`// ----- <path> -----`, so the output can be read, diffed and FileCheck-ed as one stream.
  hls-cpp        the Vitis C++ (compiler/emitter/project.py)
  vivado-cpp, catapult-cpp, oneapi-cpp
                 the C++ for that vendor (compiler/emitter/vendors.py) with its build files at the
                 default part and clock (vendor_projects.py)
  verilog        the Verilog project (compiler/emitter/verilog.py)"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.utils.target import Target

from compiler.emitter.project import emit_files
from compiler.emitter.vendor_projects import Build
from compiler.emitter.vendors import VENDORS


def _print(files: dict[str, str], output: IO[str]) -> None:
    for path in sorted(files):
        comment = "#" if path.endswith((".ys", ".tcl", ".txt")) else "//"
        output.write(f"{comment} ----- {path} -----\n{files[path]}")


@dataclass(frozen=True)
class HLSCppTarget(Target):
    name = "hls-cpp"

    def emit(self, ctx: Context, module: ModuleOp, output: IO[str]) -> None:
        _print(emit_files(module), output)


@dataclass(frozen=True)
class VendorCppTarget(Target):
    vendor = ""

    def emit(self, ctx: Context, module: ModuleOp, output: IO[str]) -> None:
        _print(emit_files(module, VENDORS[self.vendor], Build()), output)


@dataclass(frozen=True)
class VivadoCppTarget(VendorCppTarget):
    name = "vivado-cpp"
    vendor = "vivado"


@dataclass(frozen=True)
class CatapultCppTarget(VendorCppTarget):
    name = "catapult-cpp"
    vendor = "catapult"


@dataclass(frozen=True)
class OneAPICppTarget(VendorCppTarget):
    name = "oneapi-cpp"
    vendor = "oneapi"


@dataclass(frozen=True)
class VerilogTarget(Target):
    """The `verilog` target: every file of the Verilog project (compiler/emitter/verilog.py), each
    after a banner line `// ----- <path> -----` (`# ----- ...` for the Yosys script)."""

    name = "verilog"

    def emit(self, ctx: Context, module: ModuleOp, output: IO[str]) -> None:
        from compiler.emitter.verilog import verilog_design

        _print(verilog_design(module).files, output)
