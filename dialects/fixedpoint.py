"""Fixed-point arithmetic on integer codes: the one definition every level shares.

A value of format `<W, I, signed>` is an integer code `q` standing for `q * 2**-(W - I)`; signed codes
are two's complement in W bits. This module holds, once:

- `FixedFormat`: a format and its code/value range;
- `cast_codes` / `quantize_floats`: the conversion rule of Vitis HLS `ap_fixed<W, I, Q, O>` assignment
  (quantisation mode on the dropped fraction bits, then overflow mode on the integer side), used by
  the bit-width analysis, by the emulator and, through the C++ types, matched by the emitted code,
  and `rounding_error`, the most it can change a value;
- the exact result formats of add/sub/mul (Vitis' `RType` rules), used by the ops' type inference;
- `parse_precision`: the hls4ml spelling of types (`ap_fixed<16,6,AP_RND,AP_SAT>`, `fixed<16,6>`).

Codes are numpy arrays: int64 while every intermediate fits in 62 bits, Python ints (dtype=object)
beyond that, so that wide types are exact rather than silently wrong.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from enum import Enum
from fractions import Fraction

import numpy as np

INT64_SAFE_BITS = 62


class Rounding(str, Enum):
    """Quantisation modes of Vitis HLS (`AP_<name>`)."""

    TRN = "TRN"  # floor
    TRN_ZERO = "TRN_ZERO"  # toward zero
    RND = "RND"  # nearest, ties toward +inf
    RND_ZERO = "RND_ZERO"  # nearest, ties toward zero
    RND_INF = "RND_INF"  # nearest, ties away from zero
    RND_MIN_INF = "RND_MIN_INF"  # nearest, ties toward -inf
    RND_CONV = "RND_CONV"  # nearest, ties to even


class Overflow(str, Enum):
    """Overflow modes of Vitis HLS (`AP_<name>`)."""

    WRAP = "WRAP"  # keep the low W bits
    SAT = "SAT"  # clamp to [min, max]
    SAT_ZERO = "SAT_ZERO"  # out of range -> 0
    SAT_SYM = "SAT_SYM"  # clamp to [-max, max] (signed)


@dataclass(frozen=True, order=True)
class FixedFormat:
    width: int
    int_bits: int
    signed: bool = True

    def __post_init__(self) -> None:
        if self.width < 1:
            raise ValueError(f"fixed-point width must be at least 1, got {self.width}")

    @property
    def frac_bits(self) -> int:
        return self.width - self.int_bits

    @property
    def min_code(self) -> int:
        return -(1 << (self.width - 1)) if self.signed else 0

    @property
    def max_code(self) -> int:
        return (1 << (self.width - 1)) - 1 if self.signed else (1 << self.width) - 1

    @property
    def step(self) -> Fraction:
        return Fraction(2) ** -self.frac_bits

    @property
    def min_value(self) -> Fraction:
        return self.min_code * self.step

    @property
    def max_value(self) -> Fraction:
        return self.max_code * self.step

    def contains_codes(self, lo: int, hi: int) -> bool:
        return self.min_code <= lo and hi <= self.max_code

    def cpp(self, rounding: Rounding | None = None, overflow: Overflow | None = None) -> str:
        """The C++ spelling, with modes only where they differ from the defaults (TRN, WRAP)."""
        base = "ap_fixed" if self.signed else "ap_ufixed"
        args = [str(self.width), str(self.int_bits)]
        if (rounding or Rounding.TRN) != Rounding.TRN or (overflow or Overflow.WRAP) != Overflow.WRAP:
            args += [f"AP_{(rounding or Rounding.TRN).value}", f"AP_{(overflow or Overflow.WRAP).value}"]
        return f"{base}<{','.join(args)}>"

    def __str__(self) -> str:
        return self.cpp()


# --------------------------------------------------------------------------------------------------
# Exact result formats (Vitis HLS ap_fixed RType rules): nothing rounds or wraps.


def _aligned_int_bits(a: FixedFormat, b: FixedFormat) -> int:
    # an unsigned operand needs one more integer bit once the result is signed
    return max(a.int_bits + (b.signed and not a.signed), b.int_bits + (a.signed and not b.signed))


def add_format(a: FixedFormat, b: FixedFormat) -> FixedFormat:
    int_bits = _aligned_int_bits(a, b) + 1
    return FixedFormat(int_bits + max(a.frac_bits, b.frac_bits), int_bits, a.signed or b.signed)


def sub_format(a: FixedFormat, b: FixedFormat) -> FixedFormat:
    int_bits = _aligned_int_bits(a, b) + 1
    return FixedFormat(int_bits + max(a.frac_bits, b.frac_bits), int_bits, True)


def mul_format(a: FixedFormat, b: FixedFormat) -> FixedFormat:
    return FixedFormat(a.width + b.width, a.int_bits + b.int_bits, a.signed or b.signed)


def join_format(a: FixedFormat, b: FixedFormat) -> FixedFormat:
    """The narrowest format holding every value of both."""
    frac = max(a.frac_bits, b.frac_bits)
    signed = a.signed or b.signed
    int_bits = max(a.int_bits + (signed and not a.signed), b.int_bits + (signed and not b.signed))
    return FixedFormat(int_bits + frac, int_bits, signed)


def format_for_codes(lo: int, hi: int, frac_bits: int) -> FixedFormat:
    """The narrowest format with `frac_bits` fraction bits holding every code in [lo, hi]."""
    signed = lo < 0
    width = 1
    while True:
        fmt = FixedFormat(width, width - frac_bits, signed)
        if fmt.contains_codes(lo, hi):
            return fmt
        width += 1


def bits_for_count(n: int) -> int:
    """Integer bits a sum of n terms grows by: ceil(log2(n))."""
    return max(0, (n - 1).bit_length())


# --------------------------------------------------------------------------------------------------
# The conversion rule


def code_dtype(*bit_counts: int) -> type:
    """int64 while every intermediate fits comfortably, Python ints beyond."""
    return np.int64 if max(bit_counts) <= INT64_SAFE_BITS else object


_PYTHON_INT = np.frompyfunc(int, 1, 1)


def as_code_dtype(codes: np.ndarray, dtype: type) -> np.ndarray:
    """Codes as int64, or as Python ints (dtype=object): every element, since one numpy int64 among
    them (np.pad writes its padding so) would make the arithmetic on it wrap at 64 bits."""
    codes = np.asarray(codes)
    if dtype is object:
        return np.asarray(_PYTHON_INT(codes) if codes.dtype == object else codes.astype(object), dtype=object)
    return codes.astype(np.int64, copy=False)


def round_shift_right(codes: np.ndarray, shift: int, rounding: Rounding) -> np.ndarray:
    """codes * 2**-shift rounded to an integer by `rounding` (shift > 0)."""
    floor = codes >> shift
    rest = codes - (floor << shift)  # in [0, 2**shift)
    half = 1 << (shift - 1)
    negative = codes < 0
    if rounding == Rounding.TRN:
        up = np.zeros(codes.shape, dtype=bool)
    elif rounding == Rounding.TRN_ZERO:
        up = negative & (rest != 0)
    elif rounding == Rounding.RND:
        up = rest >= half
    elif rounding == Rounding.RND_ZERO:
        up = (rest > half) | ((rest == half) & negative)
    elif rounding == Rounding.RND_INF:
        up = (rest > half) | ((rest == half) & ~negative)
    elif rounding == Rounding.RND_MIN_INF:
        up = rest > half
    elif rounding == Rounding.RND_CONV:
        up = (rest > half) | ((rest == half) & ((floor & 1) == 1))
    else:  # pragma: no cover - enum is closed
        raise ValueError(rounding)
    return floor + np.asarray(up, dtype=bool).astype(codes.dtype)


def apply_overflow(codes: np.ndarray, fmt: FixedFormat, overflow: Overflow) -> np.ndarray:
    """Bring integer codes into `fmt`'s code range by `overflow`."""
    codes = np.asarray(codes)  # a 0-d array's arithmetic gives a scalar
    if codes.dtype == object or code_dtype(fmt.width + 1) is object:
        codes = as_code_dtype(codes, object)
    lo, hi = fmt.min_code, fmt.max_code
    if overflow == Overflow.WRAP:
        mask = (1 << fmt.width) - 1
        return ((codes - lo) & mask) + lo
    if overflow == Overflow.SAT:
        return np.clip(codes, lo, hi) if codes.dtype != object else _clip_object(codes, lo, hi)
    if overflow == Overflow.SAT_ZERO:
        outside = (codes < lo) | (codes > hi)
        return np.where(outside, 0, codes).astype(codes.dtype)
    if overflow == Overflow.SAT_SYM:
        low = -hi if fmt.signed else 0
        return np.clip(codes, low, hi) if codes.dtype != object else _clip_object(codes, low, hi)
    raise ValueError(overflow)  # pragma: no cover


def _clip_object(codes: np.ndarray, lo: int, hi: int) -> np.ndarray:
    return np.where(codes < lo, lo, np.where(codes > hi, hi, codes)).astype(object)


def rounding_error(rounding: Rounding, dst_frac: int, src_frac: int | None = None) -> float:
    """The largest |rounded - exact| when values of step 2^-src_frac (None: any real number) are
    rounded into step 2^-dst_frac with `rounding` (no overflow)."""
    if src_frac is not None and src_frac <= dst_frac:
        return 0.0
    step = math.ldexp(1.0, -dst_frac)
    if rounding in (Rounding.TRN, Rounding.TRN_ZERO):  # up to a step, less the finest step below it
        return step - (math.ldexp(1.0, -src_frac) if src_frac is not None else 0.0)
    return step / 2


def cast_codes(
    codes: np.ndarray,
    src: FixedFormat,
    dst: FixedFormat,
    rounding: Rounding = Rounding.TRN,
    overflow: Overflow = Overflow.WRAP,
) -> np.ndarray:
    """Convert codes of `src` to codes of `dst` as `ap_fixed` assignment does."""
    codes = np.asarray(codes)
    shift = src.frac_bits - dst.frac_bits
    dtype = code_dtype(src.width + max(0, -shift) + 1, dst.width + 1, shift + 2)
    codes = as_code_dtype(codes, dtype)
    if shift > 0:
        codes = round_shift_right(codes, shift, rounding)
    elif shift < 0:
        codes = codes << -shift
    return apply_overflow(codes, dst, overflow)


def quantize_floats(
    values: np.ndarray,
    dst: FixedFormat,
    rounding: Rounding = Rounding.TRN,
    overflow: Overflow = Overflow.WRAP,
) -> np.ndarray:
    """Codes of `dst` for the exact binary value of each float (as `ap_fixed(double)` does)."""
    x = np.asarray(values, dtype=np.float64)
    if np.isnan(x).any():
        raise ValueError("cannot quantize NaN to a fixed-point value")
    # |x| >= 2**(I + 53) has no bits below 2**W of the code: clamp such values (and inf) to a
    # stand-in of the same sign whose wrapped code is 0 and which saturates the same way.
    huge = 2.0 ** min(dst.int_bits + 53, 1000)
    x = np.where(np.abs(x) >= huge, np.copysign(huge, x), x)
    scaled = np.ldexp(x, dst.frac_bits)  # exact: a power-of-two scale
    floor = np.floor(scaled)
    rest = scaled - floor  # exact, in [0, 1)
    negative = x < 0
    up = {
        Rounding.TRN: np.zeros(x.shape, dtype=bool),
        Rounding.TRN_ZERO: negative & (rest != 0),
        Rounding.RND: rest >= 0.5,
        Rounding.RND_ZERO: (rest > 0.5) | ((rest == 0.5) & negative),
        Rounding.RND_INF: (rest > 0.5) | ((rest == 0.5) & ~negative),
        Rounding.RND_MIN_INF: rest > 0.5,
        Rounding.RND_CONV: (rest > 0.5) | ((rest == 0.5) & (np.fmod(floor, 2) != 0)),
    }[rounding]
    rounded = floor + up
    # Bring the integer-valued floats into a range where int conversion is exact, keeping every
    # overflow outcome: WRAP depends only on the value modulo 2**W (fmod is exact), the saturating
    # modes only on which side of the range the value lies.
    if overflow == Overflow.WRAP:
        rounded = np.fmod(rounded, 2.0**dst.width)
    else:
        bound = 2.0 ** (dst.width + 1)
        rounded = np.clip(rounded, -bound, bound)
    if dst.width + 2 <= INT64_SAFE_BITS:
        codes = rounded.astype(np.int64)
    else:
        codes = np.array([int(v) for v in rounded.ravel()], dtype=object).reshape(x.shape)
    return apply_overflow(codes, dst, overflow)


def codes_to_floats(codes: np.ndarray, fmt: FixedFormat) -> np.ndarray:
    """Float64 values of codes (exact when W <= 53)."""
    codes = np.asarray(codes)
    if codes.dtype == object:
        return np.array([float(Fraction(int(c)) * fmt.step) for c in codes.ravel()]).reshape(codes.shape)
    return np.ldexp(codes.astype(np.float64), -fmt.frac_bits)


# --------------------------------------------------------------------------------------------------
# hls4ml precision strings

_PRECISION = re.compile(
    r"^\s*(?P<kind>ap_fixed|ap_ufixed|fixed|ufixed|ap_int|ap_uint|int|uint)\s*<\s*(?P<args>[^<>]*)>\s*$"
)


@dataclass(frozen=True)
class Precision:
    """A format with the modes of the conversions into it (None: not given)."""

    format: FixedFormat
    rounding: Rounding | None = None
    overflow: Overflow | None = None

    def __str__(self) -> str:
        return self.format.cpp(self.rounding, self.overflow)


def parse_precision(text: str) -> Precision:
    """Parse `ap_fixed<16,6>`, `ap_ufixed<8,0,AP_RND,AP_SAT>`, `fixed<16,6>`, `ap_int<8>` ..."""
    match = _PRECISION.match(text)
    if not match:
        raise ValueError(
            f"malformed precision {text!r}: expected e.g. 'ap_fixed<16,6>', "
            "'ap_ufixed<8,0,AP_RND,AP_SAT>' or 'ap_int<8>'"
        )
    kind = match["kind"].removeprefix("ap_")
    args = [a.strip() for a in match["args"].split(",")]
    signed = not kind.startswith("u")
    try:
        if kind.endswith("int"):
            if len(args) != 1:
                raise ValueError
            width = int(args[0])
            int_bits, modes = width, []
        else:
            if len(args) < 2 or len(args) > 5:
                raise ValueError
            width, int_bits = int(args[0]), int(args[1])
            modes = args[2:4]
            if len(args) == 5 and int(args[4]) != 0:
                raise ValueError
        rounding = Rounding(modes[0].removeprefix("AP_")) if len(modes) > 0 else None
        overflow = Overflow(modes[1].removeprefix("AP_")) if len(modes) > 1 else None
        return Precision(FixedFormat(width, int_bits, signed), rounding, overflow)
    except ValueError:
        raise ValueError(
            f"malformed precision {text!r}: expected <width, int_bits[, AP_<rounding>[, AP_<overflow>]]> "
            f"with rounding in {[m.value for m in Rounding]} and overflow in {[m.value for m in Overflow]}"
        ) from None
