"""The one error type users see: a single line naming the file, node, op or option at fault."""

from __future__ import annotations


class CompileError(Exception):
    """A problem with the user's input or options. The CLI prints it as one line and exits with 2."""

    def __init__(self, message: str):
        super().__init__(" ".join(message.split()))
