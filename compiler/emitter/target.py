"""The `hls-cpp` target for `xdsl-opt`: prints every C++ file of the design, each after a banner line
`// ----- <path> -----`, so the output can be read, diffed and FileCheck-ed as one stream."""

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
