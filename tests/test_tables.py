"""Lookup tables: layout from the reachable inputs, midrange entries, and their error bound."""

from __future__ import annotations

import numpy as np
import pytest

from dialects.fixed_tables import FUNCTIONS
from dialects.fixedpoint import FixedFormat, codes_to_floats
from lowering.tables import build_table, table_error

IN = FixedFormat(12, 5, True)  # step 1/128, range [-16, 16)
OUT = FixedFormat(18, 2, True)


@pytest.mark.parametrize("function", ["sigmoid", "tanh", "exp"])
def test_error_is_half_the_variation_over_an_entry(function):
    reach = (IN.min_code, IN.max_code if function != "exp" else 64)  # exp: inputs up to 0.5
    domain = (-8.0, 8.0) if function != "exp" else (-8.0, 0.5)
    table = build_table(FUNCTIONS[function], IN, reach, domain, OUT, 256)
    span = 2.0 ** (IN.frac_bits - table.index.frac_bits) / 2**IN.frac_bits  # input width of an entry
    slope = {"sigmoid": 0.25, "tanh": 1.0, "exp": np.exp(0.5)}[function]
    flat_outside = {"sigmoid": 1 / (1 + np.exp(8)), "tanh": 1 - np.tanh(8), "exp": np.exp(-8)}[function]
    bound = max(slope * span / 2, flat_outside) + float(OUT.step)
    assert table_error(table, FUNCTIONS[function], IN, reach) <= bound


def test_entries_follow_the_reachable_inputs_only():
    full = build_table(FUNCTIONS["tanh"], IN, (IN.min_code, IN.max_code), (-4.0, 4.0), OUT, 64)
    narrow = build_table(FUNCTIONS["tanh"], IN, (0, 128), (-4.0, 4.0), OUT, 64)  # inputs in [0, 1]
    assert narrow.offset == 0 and full.offset < 0
    values = codes_to_floats(narrow.codes, OUT)
    assert values[0] >= 0 and values[-1] <= np.tanh(1.0) + float(OUT.step)
    assert table_error(narrow, FUNCTIONS["tanh"], IN, (0, 128)) < table_error(full, FUNCTIONS["tanh"], IN, (0, 128))


def test_a_domain_of_one_code_still_gets_two_entries():
    integers, unit = FixedFormat(6, 6, True), FixedFormat(18, 1, False)
    table = build_table(FUNCTIONS["exp"], integers, (-63, 0), (-0.69, 1.0), unit, 1024)
    assert len(table.codes) == 2 and table.codes[0] != table.codes[1]
    assert table.lookup(np.array([0]), integers)[0] == 1 << unit.frac_bits  # exp(0) = 1 exactly
