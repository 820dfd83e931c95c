"""The design report: per layer, the types chosen and what the hardware costs, from the dataflow IR.

`design_report(module)` gives a JSON-able dict; `format_report` renders it as text. Nothing is
estimated from anything but the IR: multipliers are ceil(work / reuse factor), and II is the reuse
factor of the slowest kernel.
"""

from __future__ import annotations

import math
from typing import Any

from xdsl.ir import SSAValue

from compiler.emitter.project import Design, host_conversions
from dialects import fixed
from dialects.dataflow import KernelOp, Strategy, YieldOp, kernel_work


def _type(value: SSAValue) -> str:
    return str(fixed.format_of(value))


def kernel_report(kernel: KernelOp) -> dict[str, Any]:
    block = kernel.block
    work = kernel_work(block)
    reuse = kernel.reuse_factor.value.data
    entry: dict[str, Any] = {
        "kernel": kernel.sym_name.data,
        "layer": kernel.layer.data if kernel.layer is not None else None,
        "strategy": kernel.strategy.data,
        "reuse_factor": reuse,
        "multiplications": work,
        "multipliers": math.ceil(work / reuse) if work else 0,
        "inputs": [_type(a) for a in block.args],
        "results": [_type(v) for v in block.last_op.values] if isinstance(block.last_op, YieldOp) else [],
    }
    for op in block.ops:
        if isinstance(op, fixed.DenseOp):
            entry["accumulator"] = _type(op.output)
            entry["weights"] = _type(op.weight)
            if op.bias is not None:
                entry["biases"] = _type(op.bias)
        elif isinstance(op, fixed.LookupOp):
            entry.setdefault("tables", []).append(
                {"function": op.function.data, "entries": op.table.get_shape()[0], "type": _type(op.output)}
            )
        elif isinstance(op, fixed.CastOp):
            rounding, overflow = op.modes
            entry.setdefault("casts", []).append(
                {
                    "from": _type(op.input),
                    "to": _type(op.output),
                    "rounding": rounding.value,
                    "overflow": overflow.value,
                }
            )
    return entry


def design_report(module) -> dict[str, Any]:
    design = Design.of(module)
    kernels = design.kernels
    block = design.device.body.block
    layers = [kernel_report(k) for k in kernels]
    dataflow = any(Strategy(k.strategy.data) == Strategy.RESOURCE for k in kernels)
    ii = max((k.reuse_factor.value.data for k in kernels), default=1)
    return {
        "design": design.name,
        "io_type": design.device.attributes["dataflow.io_type"].data.value,
        "pipeline": "dataflow" if dataflow else f"pipeline II={ii}",
        "interface": {
            "inputs": [
                {"shape": list(a.type.get_shape()), "type": _type(a), "conversion": conv}
                for a, conv in zip(block.args, host_conversions(design))
            ],
            "outputs": [{"shape": list(v.type.get_shape()), "type": _type(v)} for v in block.last_op.arguments],
        },
        "layers": layers,
        "totals": {
            "multipliers": sum(layer["multipliers"] for layer in layers),
            "multiplications": sum(layer["multiplications"] for layer in layers),
        },
    }


def format_report(report: dict[str, Any]) -> str:
    lines = [f"design {report['design']}: {report['io_type']}, {report['pipeline']}"]
    for i, port in enumerate(report["interface"]["inputs"]):
        lines.append(f"  input {i}: {port['shape']} {port['type']} (host converts with {port['conversion']})")
    for i, port in enumerate(report["interface"]["outputs"]):
        lines.append(f"  output {i}: {port['shape']} {port['type']}")
    lines.append("")
    header = f"{'kernel':<28} {'reuse':>5} {'mults':>6}  types"
    lines += [header, "-" * len(header)]
    for layer in report["layers"]:
        types = [f"result {', '.join(layer['results'])}"]
        for key in ("accumulator", "weights", "biases"):
            if key in layer:
                types.append(f"{key} {layer[key]}")
        for table in layer.get("tables", []):
            types.append(f"{table['function']} table {table['entries']} x {table['type']}")
        lines.append(
            f"{layer['kernel'][:28]:<28} {layer['reuse_factor']:>5} {layer['multipliers']:>6}  {'; '.join(types)}"
        )
        if layer["layer"] and layer["layer"] != layer["kernel"]:
            lines.append(f"{'':<28} {'':>5} {'':>6}  (model node {layer['layer']!r})")
    totals = report["totals"]
    lines += [
        "",
        f"total: {totals['multipliers']} multipliers for {totals['multiplications']} multiplications per sample",
    ]
    return "\n".join(lines) + "\n"
