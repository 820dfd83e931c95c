"""Reuse factor per layer for design-space exploration (compiler/explore.py): a greedy search.

The grid sweeps one reuse factor for the whole model. Per layer, the space is the product of every
multiplying layer's choices (8 layers x 6 factors: 1.7 million designs), too large for a grid, and
reuse factors barely interact: a layer's multipliers are its own, and the design's latency is the
sum (io_parallel) or the slowest (io_stream) of its layers'. So the search starts from the sweep's
best design (or, when none is within the budget, the one closest to it) and moves one layer at a
time: each round evaluates, for every multiplying layer, its reuse factor doubled and halved (in
parallel, cached like every point), and takes the move that most improves (budget violation,
resources, latency), lexicographically; it stops when no move improves, after `max_rounds`. Reuse
factors do not change the arithmetic, so accuracy is the starting point's along the way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

MAX_REUSE = 64
MAX_ROUNDS = 8


def violation(row: Mapping[str, Any], budget: Mapping[str, int], latency: int | None) -> float:
    """How far a design is outside the budget: the sum of each limit's relative excess (0 within)."""
    excess = sum(max(0.0, row[key] / limit - 1) if limit else float(row[key] > 0) for key, limit in budget.items())
    if latency is not None:
        excess += max(0.0, row["latency_cycles"] / max(latency, 1) - 1)
    return excess + max(0.0, row["resources"] - 1)  # and the part itself


def score(row: Mapping[str, Any], budget: Mapping[str, int], latency: int | None) -> tuple[float, float, int]:
    return violation(row, budget, latency), row["resources"], row["latency_cycles"]


def moves(point: Any, layers: Sequence[tuple[str, int]]) -> list[Any]:
    """`point` with one multiplying layer's reuse factor doubled or halved (within 1 and
    min(MAX_REUSE, the layer's multiplications))."""
    current = dict(point.layer_reuse)
    candidates = []
    for layer, work in layers:
        reuse = current.get(layer, point.reuse_factor)
        for new in (reuse * 2, reuse // 2):
            if 1 <= new <= min(MAX_REUSE, max(work, 1)) and new != reuse:
                settings = {**current, layer: new}
                candidates.append(replace(point, layer_reuse=tuple(sorted(settings.items()))))
    return candidates


def refine_layer_reuse(
    start: int,
    points: list[Any],
    rows: list[dict[str, Any]],
    evaluate: Callable[[list[Any]], list[dict[str, Any]]],
    budget: Mapping[str, int],
    latency: int | None,
    max_rounds: int = MAX_ROUNDS,
) -> list[int]:
    """Greedy search from points[start] (see the module docstring). `evaluate(points)` gives their
    rows; new points and rows are appended to `points` and `rows`. Returns the indices of the
    designs the search moved through (the last is its result)."""
    layers = [(layer, work) for layer, work in rows[start].get("mac_layers", []) if work > 0]
    path = [start]
    seen = {points[i] for i in range(len(points))}
    for _ in range(max_rounds):
        current = path[-1]
        candidates = [p for p in moves(points[current], layers) if p not in seen]
        if not candidates:
            break
        seen.update(candidates)
        first = len(points)
        points.extend(candidates)
        rows.extend(evaluate(candidates))
        ok = [i for i in range(first, len(points)) if rows[i]["status"] == "ok"]
        if not ok:
            break
        best = min(ok, key=lambda i: score(rows[i], budget, latency))
        if score(rows[best], budget, latency) >= score(rows[current], budget, latency):
            break
        path.append(best)
    return path
