"""Which fixed-point types a layer gets when it is lowered to the `fixed` dialect.

`LayerPrecision` is what `nn-to-fixed` asks for each nn op (by layer name and op kind). Modes left
unspecified in a precision string mean: for values computed in hardware, the C++ defaults of the
type (TRN, WRAP), so that `ap_fixed<16,6>` means what it means in Vitis HLS; for constants rounded
at compile time (weights, biases, table entries), round to nearest and saturate, which costs nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from dialects.fixedpoint import FixedFormat, Overflow, Precision, Rounding, parse_precision

# The default precision (measured with bench/precision_sweep.py, asserted in tests/test_jet_mlp.py):
# 16 bits like hls4ml's default, but rounding and saturating. On the trained jet tagger
# (three_layer_keras.onnx) with N(0,1) inputs, TRN/WRAP keeps the argmax on 99.07 % of samples (a
# wrapped logit turns 0.99 into 0.0), RND/SAT on 99.93 %.
DEFAULT_PRECISION = "ap_fixed<16,6,AP_RND,AP_SAT>"

CONSTANT_MODES = (Rounding.RND, Overflow.SAT)
HARDWARE_MODES = (Rounding.TRN, Overflow.WRAP)


def hardware_modes(p: Precision) -> tuple[Rounding, Overflow]:
    return p.rounding or HARDWARE_MODES[0], p.overflow or HARDWARE_MODES[1]


def constant_modes(p: Precision) -> tuple[Rounding, Overflow]:
    return p.rounding or CONSTANT_MODES[0], p.overflow or CONSTANT_MODES[1]


@dataclass(frozen=True)
class LayerPrecision:
    """Types for one layer. `accum` None = exact accumulator; `table` None = the result type."""

    result: Precision
    weight: Precision
    bias: Precision
    accum: Precision | None = None
    table: Precision | None = None
    table_size: int = 1024

    @staticmethod
    def uniform(text: str, table_size: int = 1024) -> LayerPrecision:
        p = parse_precision(text)
        return LayerPrecision(result=p, weight=p, bias=p, table_size=table_size)


# Softmax internals: probabilities and exponentials of non-positive inputs live in (0, 1].
SOFTMAX_TABLE_WIDTH = 18


def unit_interval_format(width: int = SOFTMAX_TABLE_WIDTH) -> FixedFormat:
    """Unsigned, one integer bit: holds [0, 1] exactly, 1.0 included."""
    return FixedFormat(width, 1, False)
