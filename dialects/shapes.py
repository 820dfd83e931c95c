"""Shape rules shared by the dialects (numpy broadcasting)."""

from __future__ import annotations

from collections.abc import Sequence


def broadcast_shapes(a: Sequence[int], b: Sequence[int]) -> tuple[int, ...]:
    """The numpy broadcast of two static shapes; ValueError when they are incompatible."""
    out: list[int] = []
    for i in range(1, max(len(a), len(b)) + 1):
        da = a[-i] if i <= len(a) else 1
        db = b[-i] if i <= len(b) else 1
        if da != db and 1 not in (da, db):
            raise ValueError(f"shapes {list(a)} and {list(b)} cannot be broadcast together")
        out.append(max(da, db))
    return tuple(reversed(out))
