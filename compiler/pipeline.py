"""The compiler's pipeline as data: the passes in order, with their options.

The CLI, the Python API, the IR dumps and the tests all build the pipeline here, so they cannot
disagree. `pipeline_spec()` prints it in the `xdsl-opt -p` syntax, which runs the same passes:

    xdsl-opt model.mlir -p 'fold-dense-bias,nn-to-fixed{precision="ap_fixed<16,6>"},fixed-to-dataflow' -t hls-cpp
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from xdsl.context import Context
from xdsl.dialects.builtin import Builtin, ModuleOp
from xdsl.dialects.func import Func
from xdsl.passes import ModulePass

from dialects.dataflow import DATAFLOW
from dialects.errors import CompileError
from dialects.fixed import FIXED
from dialects.fixedpoint import Precision
from dialects.layout import LAYOUT
from dialects.nn import NN
from dialects.nn_quant import QuantOp
from lowering.calibrate import CalibratePass
from lowering.fixed_to_dataflow import FixedToDataflowPass
from lowering.fold_affine_into_quant import FoldAffineIntoQuantPass
from lowering.fold_batchnorm import FoldBatchNormPass
from lowering.fold_dense_bias import FoldDenseBiasPass
from lowering.fold_transpose_into_dense import FoldTransposeIntoDensePass
from lowering.infer_bitwidths import InferBitwidthsPass
from lowering.merge_affine_chains import MergeAffineChainsPass
from lowering.nn_to_fixed import NNToFixedPass, load_config
from lowering.precision import AUTO_CONSTANT_WIDTH, DEFAULT_PRECISION
from lowering.size_fifos import SizeFifosPass

IMPORT_STAGE = "import"


def make_context() -> Context:
    """A context that parses every level of our IR."""
    ctx = Context()
    for dialect in (Builtin, Func, NN, LAYOUT, FIXED, DATAFLOW):
        ctx.load_dialect(dialect)
    return ctx


@dataclass(frozen=True)
class Options:
    """What users choose, in hls4ml's vocabulary. The flags are model-level defaults; a
    configuration (`config`: a YAML/JSON file or inline JSON, see lowering/config.py) refines them
    per layer type and per layer name, and its Model section wins over the flags."""

    precision: str | None = None  # None: DEFAULT_PRECISION, or `auto` for a model with quantizers
    reuse_factor: int = 1
    strategy: str = "latency"
    io_type: str = "io_parallel"
    table_size: int = 1024
    config: str = ""
    calibration: str = ""  # .npy/.npz samples: runs the calibrate pass
    calibration_margin: int = 1


def default_precision(module: ModuleOp) -> str:
    """A quantized model's quantizers fix its types: everything else is inferred (`auto`) from them,
    so that no default type rounds between two quantizers. Float models get DEFAULT_PRECISION."""
    return "auto" if any(isinstance(op, QuantOp) for op in module.walk()) else DEFAULT_PRECISION


def resolve(options: Options, module: ModuleOp) -> Options:
    """`options` with the model-dependent default filled in."""
    return options if options.precision is not None else replace(options, precision=default_precision(module))


def passes(options: Options) -> list[ModulePass]:
    precision = options.precision or DEFAULT_PRECISION
    config = load_config(options.config, precision, options.table_size)
    maximum = config.model.maximum
    default = config.model.precision.get("default")
    width = default.format.width if isinstance(default, Precision) else AUTO_CONSTANT_WIDTH
    return [
        FoldDenseBiasPass(),
        MergeAffineChainsPass(),
        FoldAffineIntoQuantPass(),
        FoldBatchNormPass(),
        FoldTransposeIntoDensePass(),
        NNToFixedPass(precision=precision, table_size=options.table_size, config=options.config),
        *([CalibratePass(data=options.calibration)] if options.calibration else []),
        InferBitwidthsPass(
            max_width=maximum.format.width if maximum else 0, margin=options.calibration_margin, width=width
        ),
        FixedToDataflowPass(
            io_type=options.io_type,
            reuse_factor=options.reuse_factor,
            strategy=options.strategy,
            config=options.config,
        ),
        SizeFifosPass(),
    ]


ALL_PASS_NAMES = [p.name for p in passes(Options(calibration="samples.npy"))]


def pipeline_spec(options: Options) -> str:
    return ",".join(str(p.pipeline_pass_spec()) for p in passes(options))


def stage_names(options: Options | None = None) -> list[str]:
    """The stages `options` run (every possible stage when None)."""
    names = ALL_PASS_NAMES if options is None else [p.name for p in passes(options)]
    return [IMPORT_STAGE, *names]


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
    if stop_after is not None and stop_after not in stage_names(options):
        raise CompileError(
            f"--stop-after: stage {stop_after!r} does not run; stages: {', '.join(stage_names(options))}"
        )
    options = resolve(options, module)
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
