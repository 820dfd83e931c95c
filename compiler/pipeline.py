"""The compiler's pipeline as data: the passes in order, with their options.

The CLI, the Python API, the IR dumps and the tests all build the pipeline here, so they cannot
disagree. In-process, the passes get the parsed configuration and the calibration arrays as
objects (`NNToFixedPass.configured`, `CalibratePass.with_samples`, ...); the same passes run from
`xdsl-opt` with their textual options:

    xdsl-opt model.mlir -p 'fold-dense-bias,nn-to-fixed{precision="ap_fixed<16,6>"},fixed-to-dataflow' -t hls-cpp
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import Builtin, ModuleOp
from xdsl.dialects.func import Func
from xdsl.passes import ModulePass

from dialects.dataflow import DATAFLOW
from dialects.errors import CompileError
from dialects.fixed import FIXED
from dialects.fixedpoint import Precision, parse_precision
from dialects.layout import LAYOUT
from dialects.nn import NN
from dialects.nn_quant import FixedQuantOp, QuantOp
from lowering.calibrate import CalibratePass, load_samples
from lowering.config import AUTO, ConfigError, PrecisionConfig
from lowering.fixed_to_dataflow import FixedToDataflowPass
from lowering.fold_affine_into_quant import FoldAffineIntoQuantPass
from lowering.fold_batchnorm import FoldBatchNormPass
from lowering.fold_dense_bias import FoldDenseBiasPass
from lowering.fold_transpose_into_dense import FoldTransposeIntoDensePass
from lowering.infer_bitwidths import InferBitwidthsPass
from lowering.merge_affine_chains import MergeAffineChainsPass
from lowering.nn_to_fixed import NNToFixedPass
from lowering.pipeline_registers import PipelineRegistersPass
from lowering.plan_streams import PlanStreamsPass
from lowering.precision import AUTO_CONSTANT_WIDTH, DEFAULT_PRECISION
from lowering.size_fifos import SizeFifosPass

IMPORT_STAGE = "import"
Config = str | os.PathLike[str] | Mapping[str, Any] | PrecisionConfig
Samples = str | os.PathLike[str] | np.ndarray | Sequence[np.ndarray]


def make_context() -> Context:
    """A context that parses every level of our IR."""
    ctx = Context()
    for dialect in (Builtin, Func, NN, LAYOUT, FIXED, DATAFLOW):
        ctx.load_dialect(dialect)
    return ctx


@dataclass(frozen=True)
class Options:
    """What users choose, in hls4ml's vocabulary. The flags are model-level defaults; a
    configuration (`config`: a dict, a YAML/JSON file, inline JSON or a parsed PrecisionConfig, see
    lowering/config.py) refines them per layer type and per layer name, and its Model section wins
    over the flags. `calibration`: samples (an array per input, or a .npy/.npz file) for the
    calibrate pass."""

    precision: str | None = None  # None: DEFAULT_PRECISION, or `auto` for a model with quantizers
    reuse_factor: int = 1
    strategy: str = "latency"
    io_type: str = "io_parallel"
    table_size: int = 1024
    config: Config | None = None
    calibration: Samples | None = None
    calibration_margin: int = 1
    error_budget: float | None = None  # of `auto` on a float model (None: Model.Precision.error or the default)
    quantized: bool = False  # the model has quantizers (set from the model by `resolve`)
    clock_period: float = 5.0  # ns: the build scripts' clock, and where the Verilog's pipeline registers go


def is_quantized(module: ModuleOp) -> bool:
    return any(isinstance(op, (QuantOp, FixedQuantOp)) for op in module.walk())


def default_precision(module: ModuleOp) -> str:
    """A quantized model's quantizers fix its types: everything else is inferred (`auto`) from them,
    so that no default type rounds between two quantizers. Float models get DEFAULT_PRECISION."""
    return "auto" if is_quantized(module) else DEFAULT_PRECISION


def resolve(options: Options, module: ModuleOp) -> Options:
    """`options` with the model-dependent defaults filled in."""
    precision = options.precision if options.precision is not None else default_precision(module)
    return replace(options, precision=precision, quantized=is_quantized(module))


def configuration(options: Options) -> PrecisionConfig:
    """The parsed configuration with the flags as its Model defaults (errors name the option)."""
    if options.reuse_factor < 1:
        raise CompileError(f"reuse factor must be at least 1, got {options.reuse_factor}")
    strategy = options.strategy.lower()
    if strategy not in ("latency", "resource"):
        raise CompileError(f"unknown strategy {options.strategy!r}; valid: latency, resource")
    if options.error_budget is not None and not 0 < options.error_budget < math.inf:
        raise CompileError(f"error budget must be a positive number, got {options.error_budget}")
    try:
        config = PrecisionConfig.load(
            options.config,
            options.precision or DEFAULT_PRECISION,
            table_size=options.table_size,
            reuse_factor=options.reuse_factor,
            strategy=strategy,
        )
    except ConfigError as err:
        raise CompileError(str(err)) from None
    asked = config.model.error is not None or options.error_budget is not None
    if asked and options.quantized:
        raise CompileError(
            "error budget: the model has quantizers, which fix its types exactly; a budget applies to float models"
        )
    config.budgeted = not options.quantized and (asked or config.model.precision.get("default") == AUTO)
    return config


def budget_option(options: Options, config: PrecisionConfig) -> str:
    """infer-bitwidths' `budget`: none, the configured or asked one (the Model section wins), or the default."""
    if not config.budgeted:
        return ""
    chosen = config.model.error if config.model.error is not None else options.error_budget
    return "default" if chosen is None else repr(chosen)


def samples(calibration: Samples) -> list[np.ndarray]:
    """Calibration samples from arrays or a .npy/.npz file (one array per input)."""
    if isinstance(calibration, str | os.PathLike):
        return load_samples(str(calibration))
    return [calibration] if isinstance(calibration, np.ndarray) else list(calibration)


def passes(options: Options) -> list[ModulePass]:
    config = configuration(options)
    default = config.model.precision.get("default")
    width = default.format.width if isinstance(default, Precision) else AUTO_CONSTANT_WIDTH
    step = default if isinstance(default, Precision) else parse_precision(DEFAULT_PRECISION)
    calibrate = [CalibratePass.with_samples(samples(options.calibration))] if options.calibration is not None else []
    return [
        FoldDenseBiasPass(),
        MergeAffineChainsPass(),
        FoldAffineIntoQuantPass(),
        FoldBatchNormPass(),
        FoldTransposeIntoDensePass(),
        NNToFixedPass.configured(config),
        *calibrate,
        InferBitwidthsPass(
            max_width=config.maximum.format.width if config.budgeted or config.model.maximum else 0,
            margin=options.calibration_margin,
            width=width,
            budget=budget_option(options, config),
            default_frac=step.format.frac_bits,
        ),
        FixedToDataflowPass.configured(config, options.io_type),
        PlanStreamsPass(),
        SizeFifosPass(),
        PipelineRegistersPass(clock_period=options.clock_period),
    ]


ALL_PASS_NAMES = [p.name for p in passes(Options(calibration=[np.zeros((1, 1))]))]


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
    options = resolve(options, module)
    pipeline = passes(options)  # the options are checked before any work
    stages = [IMPORT_STAGE, *(p.name for p in pipeline)]
    if stop_after is not None and stop_after not in stages:
        raise CompileError(f"--stop-after: stage {stop_after!r} does not run; stages: {', '.join(stages)}")
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
    for index, p in enumerate(pipeline, start=1):
        p.apply(ctx, module)
        module.verify()
        record(index, p.name)
        if p.name == stop_after:
            break

    return module
