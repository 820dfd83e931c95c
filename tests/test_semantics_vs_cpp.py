"""The emulator's fixed-point rules (dialects/fixedpoint.py) against the C++ types the emitted code
uses: casts between random types in every mode pair, conversions from double, and the exact result
types of +, -, *. Our headers are themselves differential-tested against Xilinx's (test_ap_types.py),
so this closes the chain emulator == C++ == Vitis."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np

from compiler.emitter.cpp import literal
from dialects.fixedpoint import (
    FixedFormat,
    Overflow,
    Rounding,
    add_format,
    cast_codes,
    codes_to_floats,
    mul_format,
    quantize_floats,
    sub_format,
)
from runtime.build import OUR_HEADERS

ROUNDINGS, OVERFLOWS = list(Rounding), list(Overflow)


def random_format(rng: np.random.Generator) -> FixedFormat:
    width = int(rng.integers(1, 41))
    return FixedFormat(width, int(rng.integers(-4, width + 5)), bool(rng.integers(0, 2)))


def sample_codes(fmt: FixedFormat, rng: np.random.Generator, n: int) -> np.ndarray:
    edges = [fmt.min_code, fmt.max_code, 0, min(fmt.max_code, 1), max(fmt.min_code, -1)]
    return np.concatenate([edges, rng.integers(fmt.min_code, fmt.max_code + 1, size=n)]).astype(np.int64)


def test_emulator_rules_match_the_cpp_types(tmp_path: Path):
    rng = np.random.default_rng(12345)
    lines, expected = [], []

    def check(cpp_line: str, value: str) -> None:
        lines.append(cpp_line)
        expected.append(value)

    # casts between random types, every (rounding, overflow) pair several times
    for case in range(7 * 4 * 6):
        rounding, overflow = ROUNDINGS[case % 7], OVERFLOWS[(case // 7) % 4]
        src, dst = random_format(rng), random_format(rng)
        codes = sample_codes(src, rng, 24)
        out = codes_to_floats(cast_codes(codes, src, dst, rounding, overflow), dst)
        for value, result in zip(codes_to_floats(codes, src), out):
            check(f"cast<{src.cpp()}, {dst.cpp(rounding, overflow)}>({literal(value)});", literal(result))

    # doubles (ties, negatives, out of range) into every mode pair
    for rounding in ROUNDINGS:
        for overflow in OVERFLOWS:
            dst = random_format(rng)
            step = float(dst.step)
            values = np.concatenate(
                [
                    rng.normal(size=12) * float(dst.max_value - dst.min_value),
                    (rng.integers(-40, 40, size=8) + 0.5) * step,  # exact ties
                    [float(dst.max_value) * 3, float(dst.min_value) * 3 - 1, -step / 4, step / 2],
                ]
            )
            out = codes_to_floats(quantize_floats(values, dst, rounding, overflow), dst)
            for value, result in zip(values, out):
                check(f"from_double<{dst.cpp(rounding, overflow)}>({literal(value)});", literal(result))

    # exact result types of the arithmetic the emitter writes
    for _ in range(40):
        a, b = random_format(rng), random_format(rng)
        for symbol, rule in (("+", add_format), ("-", sub_format), ("*", mul_format)):
            fmt = rule(a, b)
            check(
                f"result_type<decltype(std::declval<{a.cpp()}>() {symbol} std::declval<{b.cpp()}>())>();",
                f"{fmt.width} {fmt.int_bits} {int(fmt.signed)}",
            )

    program = tmp_path / "semantics.cpp"
    program.write_text(
        '#include <cmath>\n#include <cstdio>\n#include <utility>\n#include "ap_fixed.h"\n'
        'template <class S, class D> void cast(double v) { S s = v; D d = s; std::printf("%.17g\\n", d.to_double()); }\n'
        'template <class D> void from_double(double v) { D d = v; std::printf("%.17g\\n", d.to_double()); }\n'
        "template <class T> void result_type() {\n"
        "  T probe = -std::ldexp(1.0, T::iwidth - 1);  // the most negative value if T is signed\n"
        '  std::printf("%d %d %d\\n", T::width, T::iwidth, probe < 0 ? 1 : 0); }\n'
        "int main() {\n" + "\n".join(lines) + "\nreturn 0;\n}\n"
    )
    binary = tmp_path / "semantics"
    subprocess.run(["g++", "-std=c++14", "-O1", f"-I{OUR_HEADERS}", str(program), "-o", str(binary)], check=True)
    output = subprocess.run([str(binary)], check=True, capture_output=True, text=True).stdout.splitlines()
    assert len(output) == len(expected)
    mismatches = [
        (line, want, got)
        for line, want, got in zip(lines, expected, output)
        if (float(got) != float(want) if not line.startswith("result_type") else got != want)
    ]
    assert not mismatches, f"{len(mismatches)} of {len(lines)} differ, e.g. {mismatches[:5]}"
