"""The one error type users see: a single line naming the file, node, op or option at fault."""

from __future__ import annotations


def one_line(text: str) -> str:
    """`text` as one printable line: whitespace runs become one space and any other unprintable
    character (control codes, terminal escapes, bidirectional overrides from a hostile node name)
    its Python escape, so that a message can neither span lines nor rewrite the terminal."""
    joined = " ".join(text.split())
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in joined)


class CompileError(Exception):
    """A problem with the user's input or options. The CLI prints it as one line and exits with 2."""

    def __init__(self, message: str):
        super().__init__(one_line(message))
