"""Checks that every verifier message of the dialects has an invalid-IR test: the literal parts of
each `raise VerifyException(...)` message (the f-string's text between its {...} fields) must all
occur in one CHECK line of lit_tests/dialects/*/invalid.mlir. The shape rules of dialects/shapes.py
raise ValueError, which the verifiers wrap as `<op>: <message>`: their messages are checked too, so
that a wrapper such as f"{self.name}: {err}" (whose own text is only ": ") is not covered by accident.
Prints one line per raise site ("covered" / "NOT COVERED" / "exempt", with the reason).
Usage: verifier_coverage.py REPO_ROOT"""

import ast
import re
import sys
from pathlib import Path

root = Path(sys.argv[1])
check_lines = [
    line
    for test in sorted((root / "lit_tests" / "dialects").glob("*/invalid.mlir"))
    for line in test.read_text().splitlines()
    if re.match(r"//\s*[A-Z]+(-[A-Z]+)*(\{LITERAL\})?:", line)
]

# (file, the exception its verifier messages raise): every module of dialects/ (a new one is
# checked without being listed here), and the shape rules.
SOURCES = [(f"dialects/{p.name}", "VerifyException") for p in sorted((root / "dialects").glob("*.py"))]
SOURCES.append(("dialects/shapes.py", "ValueError"))

# Raise sites no IR can reach, with the reason, keyed by (file, the message's literal text).
EXEMPT: dict[tuple[str, str], str] = {}


def literal_pieces(node: ast.expr) -> list[str]:
    """The constant text of a str / f-string message, split at its {...} fields."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        return [v.value for v in node.values if isinstance(v, ast.Constant)]
    return []


for source, exception in SOURCES:
    for node in ast.walk(ast.parse((root / source).read_text())):
        if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)):
            continue
        if getattr(node.exc.func, "id", None) != exception or not node.exc.args:
            continue
        text = "{...}".join(literal_pieces(node.exc.args[0]))
        if (source, text) in EXEMPT:
            print(f"{source}:{node.lineno}: exempt ({EXEMPT[source, text]}): {text}")
            continue
        pieces = [p for p in literal_pieces(node.exc.args[0]) if p.strip()]
        covered = bool(pieces) and any(all(p in check for p in pieces) for check in check_lines)
        print(f"{source}:{node.lineno}: {'covered' if covered else 'NOT COVERED'}: {text}")
