"""Small pieces of C++ syntax shared by the emitter (types, literals, indented text)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np

from compiler.errors import CompileError
from dialects.fixedpoint import FixedFormat, Overflow, Rounding, codes_to_floats


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
    return [literal(v) for v in codes_to_floats(np.asarray(codes).ravel(), fmt)]


def array_initializer(codes: np.ndarray, fmt: FixedFormat, per_line: int = 16) -> str:
    items = value_literals(codes, fmt)
    lines = [", ".join(items[i : i + per_line]) for i in range(0, len(items), per_line)]
    return "{\n    " + ",\n    ".join(lines) + "\n}"


def c_comment(text: str) -> str:
    """A single-line comment safe for any text: printable ASCII without backslashes or '?' (which
    could splice lines or form trigraphs); everything else becomes '_'."""
    return "// " + "".join(ch if 32 <= ord(ch) < 127 and ch not in "\\?" else "_" for ch in text)


def c_string(text: str) -> str:
    """A C string literal for any text."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif 32 <= ord(ch) < 127 and ch != "?":
            out.append(ch)
        else:
            out.extend(f"\\{b:03o}" for b in ch.encode("utf-8"))
    return '"' + "".join(out) + '"'


class Code:
    """Indented C++ text."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.depth = 0

    def __call__(self, line: str = "") -> None:
        self.lines.append(("    " * self.depth + line) if line else "")

    @contextmanager
    def block(self, head: str) -> Iterator[None]:
        self(head + " {")
        self.depth += 1
        yield
        self.depth -= 1
        self("}")

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"
