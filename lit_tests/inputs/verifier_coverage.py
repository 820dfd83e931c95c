"""Checks that every `raise VerifyException(...)` in the dialects has an invalid-IR test: the literal
parts of its message (the f-string's text between its {...} fields) must all occur in one CHECK line
of lit_tests/dialects/*/invalid.mlir. Prints one line per raise site ("covered" / "NOT COVERED").
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


def literal_pieces(node: ast.expr) -> list[str]:
    """The constant text of a str / f-string message, split at its {...} fields."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        return [v.value for v in node.values if isinstance(v, ast.Constant)]
    return []


for source in ("dialects/nn.py", "dialects/fixed.py", "dialects/dataflow.py"):
    for node in ast.walk(ast.parse((root / source).read_text())):
        if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)):
            continue
        if getattr(node.exc.func, "id", None) != "VerifyException" or not node.exc.args:
            continue
        pieces = [p for p in literal_pieces(node.exc.args[0]) if p.strip()]
        covered = bool(pieces) and any(all(p in check for p in pieces) for check in check_lines)
        text = "{...}".join(literal_pieces(node.exc.args[0]))
        print(f"{source}:{node.lineno}: {'covered' if covered else 'NOT COVERED'}: {text}")
