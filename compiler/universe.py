"""Registers our dialects, passes and targets with `xdsl-opt` (entry point `xdsl.universe` in
pyproject.toml). A pass is registered by one line in PASSES: its name and where its class lives; the
class is imported only when `xdsl-opt` needs it, as xDSL expects of its lazy factories."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from xdsl.universe import Universe

DIALECTS = {
    "nn": "dialects.nn.NN",
    "layout": "dialects.layout.LAYOUT",
    "fixed": "dialects.fixed.FIXED",
    "dataflow": "dialects.dataflow.DATAFLOW",
}

PASSES = {
    "fold-dense-bias": "lowering.fold_dense_bias.FoldDenseBiasPass",
    "merge-affine-chains": "lowering.merge_affine_chains.MergeAffineChainsPass",
    "fold-affine-into-quant": "lowering.fold_affine_into_quant.FoldAffineIntoQuantPass",
    "fold-batchnorm": "lowering.fold_batchnorm.FoldBatchNormPass",
    "fold-transpose-into-dense": "lowering.fold_transpose_into_dense.FoldTransposeIntoDensePass",
    "nn-to-fixed": "lowering.nn_to_fixed.NNToFixedPass",
    "calibrate": "lowering.calibrate.CalibratePass",
    "infer-bitwidths": "lowering.infer_bitwidths.InferBitwidthsPass",
    "fixed-to-dataflow": "lowering.fixed_to_dataflow.FixedToDataflowPass",
    "plan-streams": "lowering.plan_streams.PlanStreamsPass",
    "size-fifos": "lowering.size_fifos.SizeFifosPass",
    "drop-identity-casts": "lowering.drop_identity_casts.DropIdentityCastsPass",
    "pipeline-registers": "lowering.pipeline_registers.PipelineRegistersPass",
}

TARGETS = {
    "hls-cpp": "compiler.emitter.target.HLSCppTarget",
    "vivado-cpp": "compiler.emitter.target.VivadoCppTarget",
    "catapult-cpp": "compiler.emitter.target.CatapultCppTarget",
    "oneapi-cpp": "compiler.emitter.target.OneAPICppTarget",
    "verilog": "compiler.emitter.target.VerilogTarget",
}


def lazy(path: str) -> Callable[[], Any]:
    """A factory that imports `module.attribute` when called."""
    module, _, attribute = path.rpartition(".")
    return lambda: getattr(importlib.import_module(module), attribute)


UNIVERSE = Universe(
    all_dialects={name: lazy(path) for name, path in DIALECTS.items()},
    all_passes={name: lazy(path) for name, path in PASSES.items()},
    all_targets={name: lazy(path) for name, path in TARGETS.items()},
)
