"""Registers our dialects, passes and the `hls-cpp` target with `xdsl-opt` (entry point
`xdsl.universe` in pyproject.toml). Factories are lazy, as xDSL expects."""

from __future__ import annotations

from xdsl.universe import Universe


def _nn():
    from dialects.nn import NN

    return NN


def _layout():
    from dialects.layout import LAYOUT

    return LAYOUT


def _fixed():
    from dialects.fixed import FIXED

    return FIXED


def _dataflow():
    from dialects.dataflow import DATAFLOW

    return DATAFLOW


def _fold_dense_bias():
    from lowering.fold_dense_bias import FoldDenseBiasPass

    return FoldDenseBiasPass


def _merge_affine_chains():
    from lowering.merge_affine_chains import MergeAffineChainsPass

    return MergeAffineChainsPass


def _fold_affine_into_quant():
    from lowering.fold_affine_into_quant import FoldAffineIntoQuantPass

    return FoldAffineIntoQuantPass


def _fold_batchnorm():
    from lowering.fold_batchnorm import FoldBatchNormPass

    return FoldBatchNormPass


def _fold_transpose_into_dense():
    from lowering.fold_transpose_into_dense import FoldTransposeIntoDensePass

    return FoldTransposeIntoDensePass


def _nn_to_fixed():
    from lowering.nn_to_fixed import NNToFixedPass

    return NNToFixedPass


def _fixed_to_dataflow():
    from lowering.fixed_to_dataflow import FixedToDataflowPass

    return FixedToDataflowPass


def _calibrate():
    from lowering.calibrate import CalibratePass

    return CalibratePass


def _infer_bitwidths():
    from lowering.infer_bitwidths import InferBitwidthsPass

    return InferBitwidthsPass


def _size_fifos():
    from lowering.size_fifos import SizeFifosPass

    return SizeFifosPass


def _drop_identity_casts():
    from lowering.drop_identity_casts import DropIdentityCastsPass

    return DropIdentityCastsPass


def _hls_cpp():
    from compiler.emitter.target import HLSCppTarget

    return HLSCppTarget


UNIVERSE = Universe(
    all_dialects={"nn": _nn, "layout": _layout, "fixed": _fixed, "dataflow": _dataflow},
    all_passes={
        "fold-dense-bias": _fold_dense_bias,
        "merge-affine-chains": _merge_affine_chains,
        "fold-affine-into-quant": _fold_affine_into_quant,
        "fold-batchnorm": _fold_batchnorm,
        "fold-transpose-into-dense": _fold_transpose_into_dense,
        "nn-to-fixed": _nn_to_fixed,
        "calibrate": _calibrate,
        "infer-bitwidths": _infer_bitwidths,
        "fixed-to-dataflow": _fixed_to_dataflow,
        "size-fifos": _size_fifos,
        "drop-identity-casts": _drop_identity_casts,
    },
    all_targets={"hls-cpp": _hls_cpp},
)
