"""Small pieces of C++ syntax shared by the emitter (types, literals, indented text)."""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
from xdsl.ir import SSAValue

from compiler.emitter.vendors import VITIS, Directive, Vendor, Where
from dialects.errors import CompileError
from dialects.fixedpoint import FixedFormat, Overflow, Rounding, codes_to_floats
from dialects.names import UniqueNames


def cpp_type(fmt: FixedFormat, rounding: Rounding | None = None, overflow: Overflow | None = None) -> str:
    return fmt.cpp(rounding, overflow)


def literal(value: float) -> str:
    """A double literal that parses back to exactly `value`."""
    text = repr(float(value))
    return text if any(c in text for c in ".en") else text + ".0"


def value_literals(codes: np.ndarray, fmt: FixedFormat) -> list[str]:
    """Exact decimal literals for codes of `fmt` (doubles hold them exactly up to 53 bits)."""
    if fmt.width > 53:
        raise CompileError(f"constants of type {fmt} are wider than 53 bits and cannot be written exactly")
    values = codes_to_floats(np.asarray(codes).ravel(), fmt)
    if not np.isfinite(values).all():
        return [literal(v) for v in values]
    # a finite float's repr always has a '.' or an exponent, so it is literal(v); repr of a list
    # formats them in C: 0.4 s instead of 0.9 s for a 1M-weight model
    return repr(values.tolist())[1:-1].split(", ") if values.size else []


def array_initializer(codes: np.ndarray, fmt: FixedFormat, per_line: int = 16) -> str:
    items = value_literals(codes, fmt)
    lines = [", ".join(items[i : i + per_line]) for i in range(0, len(items), per_line)]
    return "{\n    " + ",\n    ".join(lines) + "\n}"


CSIM_CODES_MIN = 256  # elements: larger constant arrays are filled from their codes in C simulation
CSIM_LOADER = "nn2hls_load_codes"
CSIM_HEADER = "nn2hls/csim_constants.h"  # a directory of its own: no design or kernel name can clash
CODE_DIGITS_PER_LINE = 128


def constant_array(type_name: str, name: str, codes: np.ndarray, fmt: FixedFormat, names: UniqueNames) -> str:
    """`static const T name[N] = {exact literals};` A large array keeps that form only for synthesis
    (`__SYNTHESIS__`); C simulation fills the same values when the library loads, from a hexadecimal
    string of their codes (see CSIM_HEADER_TEXT): g++ reads a string in a fraction of the time and
    memory it needs to constant-evaluate N ap_fixed constructors (1M weights: 70 s, 3 GB)."""
    codes = np.asarray(codes).ravel()
    literal_form = f"static const {type_name} {name}[{codes.size}] = {array_initializer(codes, fmt)};"
    if codes.size < CSIM_CODES_MIN:
        return literal_form
    flag = names.take(f"{name}_loaded")
    size = -(-(fmt.width + (0 if fmt.signed else 1)) // 8)  # bytes of two's complement, sign bit included
    digits = 2 * size
    big_endian = np.asarray(codes, dtype=np.int64).astype(">i8").view(np.uint8).reshape(-1, 8)
    text = big_endian[:, 8 - size :].tobytes().hex()  # the low `size` bytes of each code
    step = CODE_DIGITS_PER_LINE // digits * digits
    lines = "\n".join(f'    "{text[i : i + step]}"' for i in range(0, len(text), step))
    return (
        "#ifdef __SYNTHESIS__\n"
        f"{literal_form}\n"
        "#else\n"
        f"static {type_name} {name}[{codes.size}];\n"
        f"static const bool {flag} = {CSIM_LOADER}({name}, {codes.size}, {digits}, {fmt.frac_bits},\n{lines});\n"
        "#endif"
    )


CSIM_HEADER_TEXT = f"""#pragma once
// C simulation only (never synthesised): large constant arrays are filled when the program or
// library loads, from hexadecimal two's-complement codes of `digits` digits each. The value of a
// code is code * 2^-frac_bits, exact in a double (constants are at most 53 bits wide). No standard
// header is included: its global names would be unavailable to kernels.

template <class T>
inline bool {CSIM_LOADER}(T* array, int n, int digits, int frac_bits, const char* hex) {{
    double scale = 1.0;  // 2^-frac_bits, exact
    for (int k = 0; k < frac_bits; k++) scale *= 0.5;
    for (int k = 0; k > frac_bits; k--) scale *= 2.0;
    for (int i = 0; i < n; i++, hex += digits) {{
        unsigned long long bits = 0;
        for (int d = 0; d < digits; d++)
            bits = bits << 4 | (unsigned long long)(hex[d] <= '9' ? hex[d] - '0' : hex[d] - 'a' + 10);
        const bool negative = (bits >> (4 * digits - 1)) & 1;
        const long long code = negative ? (long long)(bits - (1ULL << (4 * digits))) : (long long)bits;
        array[i] = T((double)code * scale);
    }}
    return true;
}}
"""


def c_comment(text: str) -> str:
    """A single-line comment safe for any text: printable ASCII without backslashes or '?' (which
    could splice lines or form trigraphs); everything else becomes '_'."""
    return "// " + "".join(ch if 32 <= ord(ch) < 127 and ch not in "\\?" else "_" for ch in text)


@dataclass(frozen=True)
class _Placed:
    """A directive at its place in the text: its depth and the open blocks' head lines."""

    directive: Directive
    depth: int
    loop_head: int | None
    function_head: int | None


class Code:
    """Indented C++ text, with directives rendered by a vendor (vendors.py) where it puts them."""

    def __init__(self) -> None:
        self.lines: list[str | _Placed] = []
        self.depth = 0
        self._heads: list[int] = []  # indices of the open blocks' head lines

    def __call__(self, line: str = "") -> None:
        self.lines.append(("    " * self.depth + line) if line else "")

    def directive(self, directive: Directive) -> None:
        heads = self._heads
        self.lines.append(_Placed(directive, self.depth, heads[-1] if heads else None, heads[0] if heads else None))

    def open(self, head: str) -> None:
        self._heads.append(len(self.lines))
        self(head + " {")
        self.depth += 1

    def close(self) -> None:
        self.depth -= 1
        self._heads.pop()
        self("}")

    @contextmanager
    def block(self, head: str) -> Iterator[None]:
        self.open(head)
        yield
        self.close()

    def text(self, vendor: Vendor = VITIS) -> str:
        before: dict[int, list[str]] = {}  # a head line's index: the directives placed before it
        chunks: list[list[str]] = []  # per item of self.lines, its text lines
        for item in self.lines:
            if isinstance(item, str):
                chunks.append([item])
                continue
            lines, where = vendor.render(item.directive)
            head = {Where.BEFORE_LOOP: item.loop_head, Where.BEFORE_FUNCTION: item.function_head}.get(where)
            if head is None:
                chunks.append(["    " * item.depth + line for line in lines])
            else:
                before.setdefault(head, []).extend(self._indent_of(head) + line for line in lines)
                chunks.append([])
        out: list[str] = []
        for i, chunk in enumerate(chunks):
            out += before.get(i, [])
            out += chunk
        return "\n".join(out) + "\n"

    def _indent_of(self, index: int) -> str:
        line = self.lines[index]
        assert isinstance(line, str)
        return line[: len(line) - len(line.lstrip(" "))]


# --------------------------------------------------------------------------------------------------
# Arrays: flat, row-major, one per tensor


def size_of(value: SSAValue) -> int:
    return math.prod(value.type.get_shape())


def shape_of(value: SSAValue) -> tuple[int, ...]:
    return tuple(value.type.get_shape())


def row_major_strides(shape: tuple[int, ...]) -> list[int]:
    out, acc = [], 1
    for d in reversed(shape):
        out.append(acc)
        acc *= d
    return list(reversed(out))


def broadcast_index(flat: str, out_shape: tuple[int, ...], in_shape: tuple[int, ...]) -> str:
    """C expression indexing an operand of `in_shape` broadcast to `out_shape` at flat index `flat`."""
    if in_shape == out_shape:
        return flat
    padded = (1,) * (len(out_shape) - len(in_shape)) + in_shape
    out_strides, in_strides = row_major_strides(out_shape), row_major_strides(padded)
    terms = []
    for d, (o_dim, i_dim) in enumerate(zip(out_shape, padded)):
        if i_dim == 1:
            continue
        idx = f"({flat} / {out_strides[d]} % {o_dim})" if out_strides[d] > 1 else f"({flat} % {o_dim})"
        terms.append(idx if in_strides[d] == 1 else f"{idx} * {in_strides[d]}")
    return " + ".join(terms) if terms else "0"


LARGE_ARRAY = 4096  # elements: larger local arrays are static (C simulation's stack is small)


def local_storage(size: int) -> str:
    """`static ` for a local array too large for a C stack; every call writes it before reading."""
    return "static " if size > LARGE_ARRAY else ""
