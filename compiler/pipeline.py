"""The compiler's pipeline as data: the passes in order, with their options.

The CLI, the Python API, the IR dumps and the tests all build the pipeline here, so they cannot
disagree. `pipeline_spec()` prints it in the `xdsl-opt -p` syntax, which runs the same passes:

    xdsl-opt model.mlir -p 'fold-dense-bias,nn-to-fixed{precision="ap_fixed<16,6>"},fixed-to-dataflow' -t hls-cpp
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from xdsl.context import Context
from xdsl.dialects.builtin import Builtin, ModuleOp
from xdsl.dialects.func import Func
from xdsl.passes import ModulePass

from compiler.errors import CompileError
from dialects.dataflow import DATAFLOW
from dialects.fixed import FIXED
from dialects.nn import NN
from lowering.fixed_to_dataflow import FixedToDataflowPass
from lowering.fold_dense_bias import FoldDenseBiasPass
from lowering.nn_to_fixed import NNToFixedPass
from lowering.precision import DEFAULT_PRECISION

IMPORT_STAGE = "import"


def make_context() -> Context:
    """A context that parses every level of our IR."""
    ctx = Context()
    for dialect in (Builtin, Func, NN, FIXED, DATAFLOW):
        ctx.load_dialect(dialect)
    return ctx


@dataclass(frozen=True)
class Options:
    """What users choose, in hls4ml's vocabulary."""

    precision: str = DEFAULT_PRECISION
    reuse_factor: int = 1
    strategy: str = "latency"
    io_type: str = "io_parallel"
    table_size: int = 1024


def passes(options: Options) -> list[ModulePass]:
    return [
        FoldDenseBiasPass(),
        NNToFixedPass(precision=options.precision, table_size=options.table_size),
        FixedToDataflowPass(io_type=options.io_type, reuse_factor=options.reuse_factor, strategy=options.strategy),
    ]


PASS_NAMES = [p.name for p in passes(Options())]


def pipeline_spec(options: Options) -> str:
    return ",".join(str(p.pipeline_pass_spec()) for p in passes(options))


def stage_names() -> list[str]:
    return [IMPORT_STAGE, *PASS_NAMES]


def run(
    module: ModuleOp,
    options: Options,
    *,
    stop_after: str | None = None,
    dump_dir: Path | None = None,
    on_stage: Callable[[str, ModuleOp], None] | None = None,
) -> ModuleOp:
    """Run the pipeline on `module` in place (stopping after `stop_after`), verifying after each pass.

    With `dump_dir`, writes `00-import.mlir`, `01-<pass>.mlir`, ... there."""
    if stop_after is not None and stop_after not in stage_names():
        raise CompileError(f"--stop-after: unknown stage {stop_after!r}; stages: {', '.join(stage_names())}")
    ctx = make_context()

    def record(index: int, stage: str) -> None:
        if dump_dir is not None:
            dump_dir.mkdir(parents=True, exist_ok=True)
            (dump_dir / f"{index:02d}-{stage}.mlir").write_text(str(module) + "\n")
        if on_stage is not None:
            on_stage(stage, module)

    module.verify()
    record(0, IMPORT_STAGE)
    if stop_after == IMPORT_STAGE:
        return module
    for index, p in enumerate(passes(options), start=1):
        p.apply(ctx, module)
        module.verify()
        record(index, p.name)
        if p.name == stop_after:
            break
    return module
