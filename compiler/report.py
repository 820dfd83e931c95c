"""The design report: per layer, the types chosen, what the analysis proves about them, and a cost.

`design_report(module)` gives a JSON-able dict from the dataflow IR; `format_report` renders it as
text. Everything comes from the IR, the ops' own interfaces and the interval analysis
(lowering/ranges.py):
- per layer: the result, accumulator, weight, bias and table types; the provable range of the
  layer's value before each cast and, when calibrated, the observed one; whether a cast can overflow
  (its input's provable range exceeds the target: by how many integer bits) and how much it rounds
  (the fraction bits it drops and the largest error that causes); each table's largest error;
- cost, from each op's `Cost` (dialects/interfaces.py) per step of its kernel's hardware (a whole
  layer in io_parallel, a position in io_stream's pixel and window kernels): `multiplier_bits`
  sums, over the multipliers the hardware has (ceil(multiply-accumulates / reuse factor), plus one
  per other multiplication), the product of the operand widths; `adder_bits` sums the widths of the
  adders (one accumulate per MAC multiplier at the accumulator's width, the elementwise adds and
  reductions, a subtractor per comparator); `table_bits` the bits of the tables. Comparable between
  designs, hls4ml's included (bench/precision.py).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from xdsl.ir import SSAValue

from compiler.emitter.project import Design, host_conversions
from compiler.error_report import error_section, format_error_section, share_text, with_observed
from dialects import fixed
from dialects.dataflow import IO_TYPE_ATTR, LATENCY_ATTR, KernelOp, TopKind, YieldOp
from dialects.error_bounds import WIDTH_LIMITED_ATTR
from dialects.fixedpoint import Overflow, Rounding, format_for_codes
from dialects.interfaces import Repeats, parameter_role
from dialects.ranges import CodeRange, rounded
from lowering.ranges import analyze


def _type(value: SSAValue) -> str:
    return str(fixed.format_of(value))


def _interval(r: CodeRange) -> list[float]:
    lo, hi = r.values()
    return [float(lo), float(hi)]


def cast_report(op: fixed.CastOp, r: CodeRange) -> dict[str, Any]:
    src, dst = fixed.format_of(op.input), fixed.format_of(op.output)
    rounding, overflow = op.modes
    entry: dict[str, Any] = {
        "from": str(src),
        "to": str(dst),
        "rounding": rounding.value,
        "overflow": overflow.value,
        "provable": _interval(r),
    }
    if op.observed is not None:
        entry["observed"] = [float(v) for v in op.observed.get_values()]
    lo, hi = _ends(r, src, dst, rounding)
    if op.in_range is not None:
        entry["in_range"] = True  # proven by infer-bitwidths' per-element analysis
    elif lo < dst.min_code or hi > dst.max_code:
        needed = format_for_codes(lo, hi, dst.frac_bits)
        short = needed.int_bits - dst.int_bits + (1 if needed.signed and not dst.signed else 0)
        entry["can_overflow"] = {
            "integer_bits_short": max(1, short),
            "by": float(max(dst.min_code - lo, hi - dst.max_code, 0)) * float(dst.step),
        }
    dropped = src.frac_bits - dst.frac_bits
    if dropped > 0:
        step = float(dst.step)
        worst = step if rounding in (Rounding.TRN, Rounding.TRN_ZERO) else step / 2
        entry["rounds"] = {"fraction_bits_dropped": dropped, "max_error": worst}
    return entry


def _ends(r: CodeRange, src, dst, rounding: Rounding) -> tuple[int, int]:
    lo, hi = rounded(r, src, dst, rounding)
    return int(np.min(lo)), int(np.max(hi))


def _constant_error(value: SSAValue) -> float | None:
    """The rounding error nn-to-fixed recorded on a weight or bias constant."""
    owner = value.owner
    if isinstance(owner, fixed.ConstantOp) and owner.error is not None:
        return owner.error.value.data
    return None


def kernel_report(kernel: KernelOp, ranges: dict[SSAValue, CodeRange]) -> dict[str, Any]:
    block = kernel.block
    multipliers = kernel.multipliers()
    entry: dict[str, Any] = {
        "kernel": kernel.sym_name.data,
        "layer": kernel.layer.data if kernel.layer is not None else None,
        "layer_type": kernel.layer_type.data if kernel.layer_type is not None else None,
        "strategy": kernel.strategy.data,
        "reuse_factor": kernel.reuse,
        "multiplications": kernel.work(),
        **(
            {"time_steps": kernel.repeats(), "cycles_per_sample": kernel.repeats() * kernel.reuse}
            if kernel.repeats() > 1
            else {}
        ),
        "multipliers": multipliers,
        "inputs": [_type(a) for a in block.args],
        "results": [_type(v) for v in block.last_op.values] if isinstance(block.last_op, YieldOp) else [],
        **({"fifo_depths": [int(d) for d in kernel.fifo_depths.get_values()]} if kernel.fifo_depths else {}),
        "result_ranges": [_interval(ranges[v]) for v in block.last_op.values],
        "multiplier_bits": 0,
        "adder_bits": 0,
        "table_bits": 0,
    }
    for op, _, step in kernel.cost_terms():
        if step.macs and not isinstance(op, Repeats):  # a MAC array: its multipliers are shared by the reuse factor
            entry.update(accumulator=_type(op.results[0]), accumulator_range=_interval(ranges[op.results[0]]))
            for index, value in enumerate(op.operands):
                role = parameter_role(op, index)
                if role is not None:
                    entry[role] = _type(value)
                    entry[f"{role}_error"] = _constant_error(value)
            entry["multiplier_bits"] += multipliers * step.mac_operand_bits
            entry["adder_bits"] += multipliers * step.mac_accumulator_bits
        entry["multipliers"] += step.multiplies
        entry["multiplier_bits"] += step.multiplies * step.multiply_bits
        entry["adder_bits"] += step.adds * step.add_bits + step.comparators * step.comparator_bits
        entry["table_bits"] += step.table_bits
    for op in kernel.walk():
        if isinstance(op, fixed.LookupOp):
            entry.setdefault("tables", []).append(
                {
                    "function": op.function.data,
                    "entries": op.table.get_shape()[0],
                    "type": _type(op.output),
                    "input_range": _interval(ranges[op.input]),
                    "max_error": op.max_error(ranges[op.input].bounds),
                }
            )
        elif isinstance(op, fixed.CastOp):
            entry.setdefault("casts", []).append(cast_report(op, ranges[op.input]))
        elif isinstance(op, fixed.CastEachOp):
            types = op.element_types()
            shape = tuple(op.output.type.get_shape())
            entry.setdefault("element_casts", []).append(
                {
                    "from": _type(op.input),
                    "to": _type(op.output),
                    "rounding": op.modes[0].value,
                    "overflow": op.modes[1].value,
                    "element_types": {
                        str(fmt) if fmt is not None else "pruned": int(types.where(fmt, shape).sum())
                        for fmt in types.formats()
                    },
                }
            )
        elif isinstance(op, fixed.ThresholdOp):
            channels, count = op.threshold_codes().shape
            entry.setdefault("quantizers", []).append(
                {
                    "from": _type(op.input),
                    "to": _type(op.output),
                    "thresholds_per_channel": count,
                    "channels": channels,
                    "comparators": op.cost().comparators,
                    "values_error": op.error.value.data if op.error is not None else 0.0,
                }
            )
    return entry


def design_report(module, observed_error: list[float] | None = None) -> dict[str, Any]:
    """`observed_error`: per output, the largest |design - float model| seen on calibration samples."""
    design = Design.of(module)
    kernels = design.kernels
    block = design.device.body.block
    ranges = analyze(design.device)
    layers = [kernel_report(k, ranges) for k in kernels]
    top, ii = design.top
    warnings = []
    for layer in layers:
        for cast in layer.get("casts", []):
            if "can_overflow" in cast and cast["overflow"] == Overflow.WRAP.value:
                warnings.append(
                    f"{layer['kernel']}: {cast['from']} -> {cast['to']} can wrap around "
                    f"(short of {cast['can_overflow']['integer_bits_short']} integer bits)"
                )
        for quantizer in layer.get("quantizers", []):
            if quantizer["values_error"]:
                warnings.append(
                    f"{layer['kernel']}: not bit-exact: a quantizer scale is not a power of two; its values are "
                    f"rounded to {quantizer['to']} (error <= {quantizer['values_error']:.3g})"
                )
    limited = design.device.attributes.get(WIDTH_LIMITED_ATTR)
    if limited is not None:
        warnings.append(
            f"auto: within the widest type allowed, {', '.join(a.data for a in limited.data)} round at least "
            "16 times coarser than the default precision: their values need many integer bits to never overflow over the inputs' whole "
            "range; calibrate (--calibrate) or raise Model.Precision.maximum"
        )
    return {
        "design": design.name,
        "io_type": design.device.attributes[IO_TYPE_ATTR].data.value,
        "pipeline": "dataflow" if top == TopKind.DATAFLOW else f"pipeline II={ii}",
        **(
            {"latency_cycles": design.device.attributes[LATENCY_ATTR].value.data}
            if LATENCY_ATTR in design.device.attributes
            else {}
        ),
        "interface": {
            "inputs": [
                {"shape": list(a.type.get_shape()), "type": _type(a), "conversion": conv}
                for a, conv in zip(block.args, host_conversions(design))
            ],
            "outputs": [{"shape": list(v.type.get_shape()), "type": _type(v)} for v in block.last_op.arguments],
        },
        "layers": layers,
        "totals": {
            key: sum(layer[key] for layer in layers)
            for key in ("multipliers", "multiplications", "multiplier_bits", "adder_bits", "table_bits")
        },
        "error_bound": with_observed(error_section(design), observed_error),
        "warnings": warnings,
    }


def _range_text(interval: list[float]) -> str:
    return f"[{interval[0]:.4g}, {interval[1]:.4g}]"


def format_report(report: dict[str, Any]) -> str:
    lines = [f"design {report['design']}: {report['io_type']}, {report['pipeline']}"]
    if "latency_cycles" in report:
        lines.append(
            f"  streaming schedule: last output packet after {report['latency_cycles']} cycles (one packet per cycle)"
        )
    for i, port in enumerate(report["interface"]["inputs"]):
        lines.append(f"  input {i}: {port['shape']} {port['type']} (host converts with {port['conversion']})")
    for i, port in enumerate(report["interface"]["outputs"]):
        lines.append(f"  output {i}: {port['shape']} {port['type']}")
    for layer in report["layers"]:
        name = layer["kernel"] + (
            f" (node {layer['layer']!r})" if layer["layer"] and layer["layer"] != layer["kernel"] else ""
        )
        share = report["error_bound"]["shares"].get(layer["kernel"])
        lines += [
            "",
            f"{name}: reuse {layer['reuse_factor']}, {layer['multipliers']} multipliers, "
            f"cost {layer['multiplier_bits']} multiplier bits + {layer['adder_bits']} adder bits"
            + (f", {share_text(share)} of the error bound" if share else ""),
        ]
        if "time_steps" in layer:
            lines.append(
                f"  time loop   {layer['time_steps']} steps, one every {layer['reuse_factor']} cycle(s) at best: "
                f">= {layer['cycles_per_sample']} cycles per sequence, plus each step's pipeline depth (the state loops back)"
            )
        for key in ("weights", "biases", "accumulator"):
            if key in layer:
                extra = f"  provable {_range_text(layer['accumulator_range'])}" if key == "accumulator" else ""
                if layer.get(f"{key}_error") is not None:
                    extra = f"  rounding error <= {layer[f'{key}_error']:.3g}"
                lines.append(f"  {key:<11} {layer[key]}{extra}")
        for table in layer.get("tables", []):
            lines.append(
                f"  {table['function'] + ' table':<11} {table['entries']} x {table['type']}, input "
                f"{_range_text(table['input_range'])}, max error {table['max_error']:.3g}"
            )
        for q in layer.get("quantizers", []):
            error = f", values rounded by <= {q['values_error']:.3g}" if q["values_error"] else ""
            lines.append(
                f"  quantizer   {q['from']} -> {q['to']}: {q['thresholds_per_channel']} thresholds x "
                f"{q['channels']} channel(s), {q['comparators']} comparators{error}"
            )
        for cast in layer.get("element_casts", []):
            kinds = ", ".join(f"{count} x {kind}" for kind, count in cast["element_types"].items())
            lines.append(
                f"  quantizer   {cast['from']} -> a type per element ({cast['rounding']}, {cast['overflow']}): "
                f"{kinds}; held in {cast['to']}"
            )
        for cast in layer.get("casts", []):
            notes = [f"provable {_range_text(cast['provable'])}"]
            if "observed" in cast:
                notes.append(f"observed {_range_text(cast['observed'])}")
            if "can_overflow" in cast:
                over = cast["can_overflow"]
                notes.append(
                    f"CAN OVERFLOW ({cast['overflow']}) by up to {over['by']:.4g}, "
                    f"{over['integer_bits_short']} integer bits short"
                )
            if "rounds" in cast:
                notes.append(
                    f"rounds off {cast['rounds']['fraction_bits_dropped']} bits ({cast['rounding']}, "
                    f"error <= {cast['rounds']['max_error']:.3g})"
                )
            lines.append(f"  cast        {cast['from']} -> {cast['to']}: {'; '.join(notes)}")
        lines.append(
            f"  result      {', '.join(layer['results'])}, provable "
            f"{', '.join(_range_text(r) for r in layer['result_ranges'])}"
        )
        if "fifo_depths" in layer:
            lines.append(f"  fifo depth  {', '.join(str(d) for d in layer['fifo_depths'])} (output stream(s))")
    totals = report["totals"]
    lines += [
        "",
        f"total: {totals['multipliers']} multipliers for {totals['multiplications']} multiplications "
        f"per sample; cost {totals['multiplier_bits']} multiplier bits + {totals['adder_bits']} adder bits",
    ]
    lines += format_error_section(report["error_bound"])
    lines += [f"warning: {w}" for w in report["warnings"]]
    return "\n".join(lines) + "\n"
