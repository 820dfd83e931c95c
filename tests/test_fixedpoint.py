"""The shared fixed-point rules: known values for every mode, and the precision parser."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dialects.fixedpoint import (
    FixedFormat,
    Overflow,
    Rounding,
    add_format,
    cast_codes,
    codes_to_floats,
    format_for_codes,
    mul_format,
    parse_precision,
    quantize_floats,
    sub_format,
)

# value -> expected result when rounding to integers, per mode (ties and non-ties, both signs)
VALUES = [2.5, -2.5, 3.5, -3.5, 2.25, -2.25, 2.75, -2.75, 0.5, -0.5]
EXPECTED = {
    Rounding.TRN: [2, -3, 3, -4, 2, -3, 2, -3, 0, -1],
    Rounding.TRN_ZERO: [2, -2, 3, -3, 2, -2, 2, -2, 0, 0],
    Rounding.RND: [3, -2, 4, -3, 2, -2, 3, -3, 1, 0],
    Rounding.RND_ZERO: [2, -2, 3, -3, 2, -2, 3, -3, 0, 0],
    Rounding.RND_INF: [3, -3, 4, -4, 2, -2, 3, -3, 1, -1],
    Rounding.RND_MIN_INF: [2, -3, 3, -4, 2, -2, 3, -3, 0, -1],
    Rounding.RND_CONV: [2, -2, 4, -4, 2, -2, 3, -3, 0, 0],
}
INTEGER = FixedFormat(8, 8, True)
QUARTERS = FixedFormat(10, 8, True)


@pytest.mark.parametrize("rounding", list(Rounding))
def test_rounding_modes_on_floats_and_codes(rounding):
    got = quantize_floats(np.array(VALUES), INTEGER, rounding, Overflow.SAT)
    assert got.tolist() == EXPECTED[rounding]
    codes = np.array([int(v * 4) for v in VALUES])  # the same values as codes with 2 fraction bits
    assert cast_codes(codes, QUARTERS, INTEGER, rounding, Overflow.SAT).tolist() == EXPECTED[rounding]


def test_overflow_modes():
    fmt = FixedFormat(4, 4, True)  # codes -8..7
    values = np.array([9.0, -9.0, 7.0, -8.0, 20.0])
    assert quantize_floats(values, fmt, Rounding.TRN, Overflow.WRAP).tolist() == [-7, 7, 7, -8, 4]
    assert quantize_floats(values, fmt, Rounding.TRN, Overflow.SAT).tolist() == [7, -8, 7, -8, 7]
    assert quantize_floats(values, fmt, Rounding.TRN, Overflow.SAT_ZERO).tolist() == [0, 0, 7, -8, 0]
    assert quantize_floats(values, fmt, Rounding.TRN, Overflow.SAT_SYM).tolist() == [7, -7, 7, -7, 7]
    unsigned = FixedFormat(4, 4, False)
    assert quantize_floats(np.array([-1.0, 16.0, 17.0]), unsigned, Rounding.TRN, Overflow.WRAP).tolist() == [15, 0, 1]
    assert quantize_floats(np.array([-1.0, 16.0]), unsigned, Rounding.TRN, Overflow.SAT_SYM).tolist() == [0, 15]


def test_rounding_carries_into_overflow():
    fmt = FixedFormat(4, 2, True)  # step 0.25, max 1.75
    assert quantize_floats(np.array([1.9]), fmt, Rounding.RND, Overflow.WRAP).tolist() == [-8]
    assert quantize_floats(np.array([1.9]), fmt, Rounding.RND, Overflow.SAT).tolist() == [7]


def test_huge_and_infinite_values():
    fmt = FixedFormat(16, 6, True)
    values = np.array([1e300, -1e300, np.inf, -np.inf, 2.0**70 + 2.0**20])
    assert quantize_floats(values, fmt, Rounding.TRN, Overflow.SAT).tolist() == [32767, -32768, 32767, -32768, 32767]
    # wrapping keeps the low 16 bits of the exact code: 2^70 * 2^10 and 2^20 * 2^10 are multiples of 2^16
    assert quantize_floats(values, fmt, Rounding.TRN, Overflow.WRAP).tolist() == [0, 0, 0, 0, 0]
    with pytest.raises(ValueError, match="NaN"):
        quantize_floats(np.array([np.nan]), fmt)


def test_wide_formats_use_python_integers():
    wide = FixedFormat(100, 40, True)
    codes = np.array([(1 << 98) + 12345, -(1 << 99)], dtype=object)
    narrow = cast_codes(codes, wide, FixedFormat(80, 40, True), Rounding.RND, Overflow.WRAP)
    assert narrow.tolist() == [(((1 << 98) + 12345) + (1 << 19)) >> 20, -(1 << 79)]
    assert codes_to_floats(codes, wide).tolist() == [2.0**38, -(2.0**39)]


@settings(max_examples=300, deadline=None)
@given(
    st.integers(1, 30),
    st.integers(-8, 24),
    st.booleans(),
    st.integers(1, 30),
    st.integers(-8, 24),
    st.booleans(),
    st.sampled_from(list(Rounding)),
    st.lists(st.integers(-(2**40), 2**40), min_size=1, max_size=20),
)
def test_cast_agrees_with_quantizing_the_exact_value(w1, i1, s1, w2, i2, s2, rounding, raw):
    """cast(codes) == quantize(exact value of codes): the two conversions are one rule."""
    src, dst = FixedFormat(w1, i1, s1), FixedFormat(w2, i2, s2)
    codes = np.array([src.min_code + r % (src.max_code - src.min_code + 1) for r in raw], dtype=np.int64)
    for overflow in Overflow:
        via_codes = cast_codes(codes, src, dst, rounding, overflow)
        via_floats = quantize_floats(codes_to_floats(codes, src), dst, rounding, overflow)
        assert via_codes.tolist() == via_floats.tolist()


def test_result_formats_follow_vitis_rules():
    a, b = FixedFormat(16, 6, True), FixedFormat(8, 2, False)
    assert mul_format(a, b) == FixedFormat(24, 8, True)
    assert add_format(a, b) == FixedFormat(17, 7, True)
    assert sub_format(b, b) == FixedFormat(9, 3, True)
    assert format_for_codes(-5, 100, 3) == FixedFormat(8, 5, True)
    assert format_for_codes(0, 255, 0) == FixedFormat(8, 8, False)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ap_fixed<16,6>", "ap_fixed<16,6>"),
        ("ap_ufixed<8, 0, AP_RND, AP_SAT>", "ap_ufixed<8,0,AP_RND,AP_SAT>"),
        ("fixed<16,6>", "ap_fixed<16,6>"),
        ("ufixed<10,2,RND_CONV>", "ap_ufixed<10,2,AP_RND_CONV,AP_WRAP>"),
        ("ap_int<8>", "ap_fixed<8,8>"),
        ("ap_fixed<18,8,AP_TRN,AP_SAT_SYM,0>", "ap_fixed<18,8,AP_TRN,AP_SAT_SYM>"),
    ],
)
def test_parse_precision(text, expected):
    assert str(parse_precision(text)) == expected


@pytest.mark.parametrize(
    "text", ["ap_fixed<16>", "float", "ap_fixed<16,6,AP_BOGUS>", "ap_fixed<0,0>", "ap_fixed<16,6,AP_RND,AP_SAT,3>"]
)
def test_parse_precision_rejects(text):
    with pytest.raises(ValueError, match="precision"):
        parse_precision(text)
