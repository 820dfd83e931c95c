"""The report's error bound: how far a design's outputs can be from the float model's.

The float model is the IR read with real numbers (dialects/error_bounds.py): no rounding at casts,
constants at the values they were rounded from, tables as their functions. `error_section(design)`
runs the error analysis (lowering/error_bounds.py) on the host function, through the call of the
design, with a row per kernel and one for the host's input quantisation, and gives:
- `budget`: the error budget infer-bitwidths allocated the steps for (None: no budget);
- per output, `certified`: the largest bound over its elements, for every input within the input
  types' range (saturation included; None where a cast can wrap); `no_saturation`: the same for the
  inputs on which no cast saturates (calibrated types saturate outside what was seen);
  `first_order`: its part linear in the roundings (what the budget constrains); `observed`: filled
  in by the caller from calibration samples;
- per layer, its `share` of the largest first-order output bound: what its own roundings
  contribute at that output element (the rest: the input quantisation).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from xdsl.ir import Operation

from compiler.emitter.project import Design
from dialects.dataflow import KernelOp
from dialects.error_bounds import ERROR_BUDGET_ATTR, ErrorMode
from lowering.error_bounds import bound_errors, output_bounds


def _kernel_of(op: Operation) -> KernelOp | None:
    """The outermost kernel holding `op` (a stream's kernels nest)."""
    outer, parent = None, op.parent_op()
    while parent is not None:
        if isinstance(parent, KernelOp):
            outer = parent
        parent = parent.parent_op()
    return outer


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def error_section(design: Design) -> dict[str, Any]:
    kernels = design.kernels
    rows = len(kernels) + 1  # the last: the host's input quantisation
    index = {id(k): i for i, k in enumerate(kernels)}

    def row_of(op: Operation) -> int:
        kernel = _kernel_of(op)
        return index[id(kernel)] if kernel is not None else rows - 1

    def maxima(mode: ErrorMode) -> list[float]:
        return [
            float(np.max(b)) if b.size else 0.0 for b in output_bounds(design.host, bound_errors(design.host, mode))
        ]

    certified = maxima(ErrorMode())
    no_saturation = maxima(ErrorMode(ignore_overflow=True))
    errors = bound_errors(design.host, ErrorMode(rows=rows, linear=True), row_of=row_of)
    per_row = [
        np.broadcast_to(errors[v], (rows, *v.type.get_shape())).reshape(rows, -1)
        for v in design.host.body.block.last_op.operands
    ]
    first_order = [float(np.max(r.sum(axis=0))) if r.size else 0.0 for r in per_row]
    shares = [0.0] * rows
    worst = int(np.argmax(first_order)) if first_order else 0
    if per_row and per_row[worst].size and 0 < first_order[worst] < math.inf:
        totals = per_row[worst].sum(axis=0)
        column = per_row[worst][:, int(np.argmax(totals))]
        shares = [float(v / first_order[worst]) for v in column]
    budget = design.device.attributes.get(ERROR_BUDGET_ATTR)
    return {
        "budget": budget.value.data if budget is not None else None,
        "outputs": [
            {"certified": _finite(c), "no_saturation": _finite(n), "first_order": _finite(f), "observed": None}
            for c, n, f in zip(certified, no_saturation, first_order)
        ],
        "shares": {k.sym_name.data: s for k, s in zip(kernels, shares)},
        "input_share": shares[-1] if len(shares) > len(kernels) else 0.0,
    }


def with_observed(section: dict[str, Any], observed: Sequence[float] | None) -> dict[str, Any]:
    if observed is not None:
        for output, value in zip(section["outputs"], observed):
            output["observed"] = float(value)
    return section


def _number(value: float | None) -> str:
    return "unbounded" if value is None else f"{value:.4g}"


def format_error_section(section: dict[str, Any]) -> list[str]:
    budget = section["budget"]
    lines = [
        "",
        "error bound vs the float model"
        + (f" (error budget {budget:.4g}, on the first-order bound)" if budget is not None else "")
        + ":",
    ]
    for i, output in enumerate(section["outputs"]):
        parts = [f"certified {_number(output['certified'])}"]
        if output["certified"] is None or output["no_saturation"] < output["certified"] * (1 - 1e-9):
            parts.append(f"{_number(output['no_saturation'])} where nothing overflows")
        parts.append(f"first-order {_number(output['first_order'])}")
        if output["observed"] is not None:
            parts.append(f"observed {output['observed']:.4g} (calibration samples)")
        lines.append(f"  output {i}: " + ", ".join(parts))
    if section["input_share"]:
        lines.append(f"  quantising the inputs: {share_text(section['input_share'])} of the first-order bound")
    return lines


def share_text(share: float) -> str:
    return f"{share:.1%}" if share >= 0.001 else "<0.1%"
