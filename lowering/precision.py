"""Which fixed-point types a layer gets when it is lowered to the `fixed` dialect.

Modes left unspecified in a precision string mean: for values computed in hardware, the C++ defaults of the
type (TRN, WRAP), so that `ap_fixed<16,6>` means what it means in Vitis HLS; for constants rounded
at compile time (weights, biases, table entries), round to nearest and saturate, which costs nothing.
"""

from __future__ import annotations

import math

import numpy as np

from dialects.fixedpoint import FixedFormat, Overflow, Precision, Rounding, quantize_floats

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


def auto_format(values: np.ndarray, width: int) -> tuple[FixedFormat, np.ndarray]:
    """The narrowest format of at most `width` bits for constant values, and their codes.

    The binary point is placed as high as the largest magnitude allows (rounding to nearest must
    not overflow), then trailing fraction bits that are zero in every code are dropped: values that
    are exactly representable in fewer bits (weights of a quantized model) get their exact type.
    """
    values = np.asarray(values, dtype=np.float64)
    signed = bool(np.any(values < 0))
    peak = float(np.max(np.abs(values))) if values.size else 0.0
    if peak == 0.0:
        return FixedFormat(1, 1, False), np.zeros(values.shape, dtype=np.int64)
    int_bits = math.floor(math.log2(peak)) + 1 + int(signed)
    while True:  # one more integer bit when rounding up would overflow
        fmt = FixedFormat(width, int_bits, signed)
        codes = quantize_floats(values, fmt, Rounding.RND, Overflow.SAT)
        if np.array_equal(codes, quantize_floats(values, fmt, Rounding.RND, Overflow.WRAP)):
            break
        int_bits += 1
    nonzero = codes[codes != 0]
    if nonzero.size:
        zeros = int(np.min([(int(c) & -int(c)).bit_length() - 1 for c in np.unique(np.abs(nonzero))]))
        zeros = min(zeros, fmt.width - 1)
        fmt = FixedFormat(fmt.width - zeros, fmt.int_bits, signed)
        codes = codes >> zeros
    return fmt, codes


# Widths of `auto` types that cannot be exact: table entries (as hls4ml's default table type), and
# weights/biases when the model default is itself `auto`.
AUTO_TABLE_WIDTH = 18
AUTO_CONSTANT_WIDTH = 16
