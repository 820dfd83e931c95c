"""The delay model (dialects/delays.py) against the structure the Verilog backend prints: a cast's
path has a rounding increment exactly where the printed cast function adds one, and a
compare-and-select exactly where it saturates."""

from __future__ import annotations

import itertools

import pytest

from compiler.emitter.verilog_ops import cast_function_text
from dialects import delays
from dialects.fixedpoint import FixedFormat, Overflow, Rounding

FORMATS = [
    FixedFormat(8, 3),
    FixedFormat(19, 9),
    FixedFormat(6, 2),
    FixedFormat(8, 3, signed=False),
    FixedFormat(12, 9),
]


@pytest.mark.parametrize("src, dst", list(itertools.permutations(FORMATS, 2)), ids=str)
def test_cast_path_matches_the_printed_cast(src, dst):
    for rounding, overflow in itertools.product(Rounding, Overflow):
        text = cast_function_text("c", src, dst, rounding, overflow)
        increments = "+ $signed" in text
        saturates = "if (" in text
        expected = (delays.adder_ns(src.width) if increments else 0.0) + (
            delays.compare_select_ns(dst.width + 1) if saturates else 0.0
        )
        assert delays.cast_ns(src, dst, rounding, overflow) == pytest.approx(expected), (rounding, overflow, text)


def test_a_cast_in_range_and_a_wrapping_truncation_are_wires():
    wide, narrow = FixedFormat(19, 9), FixedFormat(8, 3)
    assert delays.cast_ns(wide, narrow, Rounding.TRN, Overflow.WRAP) == 0.0
    assert delays.cast_ns(wide, narrow, Rounding.TRN, Overflow.SAT, in_range=True) == 0.0
    assert (
        delays.cast_ns(wide, narrow, Rounding.RND, Overflow.SAT)
        > delays.cast_ns(wide, narrow, Rounding.RND, Overflow.WRAP)
        > 0
    )
