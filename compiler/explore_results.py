"""The results of a design-space exploration (compiler/explore.py) and what it writes.

`Exploration` holds every point's figures, the Pareto front and the best point within budget;
`format_table` renders the front for the terminal; `write_results` writes `pareto.json`,
`pareto.png` (matplotlib, Agg) and, per front point, its hls4ml-format configuration
`configs/<point>.yaml`, headed by the command that compiles it.
"""

from __future__ import annotations

import json
import os
import shlex
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

OBJECTIVES = (("accuracy", "max"), ("resources", "min"), ("latency_cycles", "min"))


@dataclass
class Exploration:
    """Every point with its figures (`rows`, in grid order), the front and the best within budget."""

    rows: list[dict[str, Any]]
    front: list[int]  # indices into rows
    best: int | None
    reference_accuracy: float | None  # the float model's, on the labels
    output_dir: Path
    computed: int = 0  # points computed by this run (the others came from the cache)
    summary: dict[str, Any] = field(default_factory=dict)

    def table(self) -> str:
        return format_table(self)


def command(model: Any, point: Any, config_file: Path, part: str, data: Path) -> str:
    """The command line that compiles `point` (a compiler.explore.Point) from its configuration file."""
    source = str(model) if isinstance(model, str | os.PathLike) else "MODEL.onnx"
    io = f" --io-type {point.io_type}" if point.io_type != "io_parallel" else ""
    calibrate = f" --calibrate {shlex.quote(str(data))}" if point.calibrated else ""
    return f"python -m compiler {shlex.quote(source)} --config {shlex.quote(str(config_file))}{io}{calibrate} --part {part}"


def write_results(
    exploration: Exploration,
    model: Any,
    points: Sequence[Any],
    part: str,
    budget: str | None,
    latency: int | None,
    data: Path,
) -> dict[str, Any]:
    """pareto.json, pareto.png and the front's configs/*.yaml; returns what pareto.json holds.
    `points`: compiler.explore.Point per row; `data`: the samples file calibrated points use."""
    import yaml

    out = exploration.output_dir
    configs = out / "configs"
    configs.mkdir(parents=True, exist_ok=True)
    commands = {}
    for i in exploration.front:
        point = points[i]
        file = configs / f"{point.name}.yaml"
        commands[i] = command(model, point, file, part, data)
        file.write_text(f"# {commands[i]}\n" + yaml.safe_dump(point.config(), sort_keys=False))
    rows = exploration.rows
    summary = {
        "model": str(model) if isinstance(model, str | os.PathLike) else None,
        "part": part,
        "budget": budget,
        "latency": latency,
        "objectives": [{"key": k, "goal": g} for k, g in OBJECTIVES],
        "resources": "the largest fraction of the part's LUT, FF, DSP, BRAM_18K the design takes (compiler/estimate.py)",
        "float_accuracy": exploration.reference_accuracy,
        "points": len(rows),
        "failed": sum(r["status"] != "ok" for r in rows),
        "front": [
            {**rows[i], "config": str(configs / f"{points[i].name}.yaml"), "command": commands[i]}
            for i in exploration.front
        ],
        "best": rows[exploration.best]["name"] if exploration.best is not None else None,
        "all": rows,
    }
    (out / "pareto.json").write_text(json.dumps(summary, indent=1) + "\n")
    plot(exploration, out / "pareto.png")
    return summary


def plot(exploration: Exploration, path: Path) -> None:
    """Accuracy against resources (log), coloured by latency; the front circled, the best starred."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = exploration.rows
    ok = [r for r in rows if r["status"] == "ok"]
    fig, ax = plt.subplots(figsize=(7, 4.5))
    if ok:
        scatter = ax.scatter(
            [100 * r["resources"] for r in ok],
            [100 * r["accuracy"] for r in ok],
            c=[r["latency_cycles"] for r in ok],
            cmap="viridis",
            s=18,
            alpha=0.6,
            label="designs",
        )
        fig.colorbar(scatter, ax=ax, label="latency (cycles)")
        front = [rows[i] for i in exploration.front]
        ax.scatter(
            [100 * r["resources"] for r in front],
            [100 * r["accuracy"] for r in front],
            facecolors="none",
            edgecolors="red",
            s=60,
            label="Pareto front",
        )
        if exploration.best is not None:
            best = rows[exploration.best]
            ax.scatter(
                [100 * best["resources"]],
                [100 * best["accuracy"]],
                marker="*",
                c="red",
                s=200,
                label="best within budget",
            )
        if exploration.reference_accuracy is not None:
            ax.axhline(100 * exploration.reference_accuracy, color="gray", ls="--", lw=1, label="float model")
        if max(r["resources"] for r in ok) > 1:
            ax.axvline(100, color="black", ls=":", lw=1, label="the whole part")
        ax.set_xscale("log")
        ax.xaxis.set_major_formatter(matplotlib.ticker.FormatStrFormatter("%g"))
        ax.legend(loc="best", fontsize=8)
    ax.set_xlabel("resources (% of the part, largest of LUT/FF/DSP/BRAM)")
    ax.set_ylabel("accuracy (%)")
    ax.set_title(f"{len(ok)} designs, {len(exploration.front)} on the front")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def synth_text(synth: dict[str, Any] | None) -> str:
    if synth is None:
        return "-"
    if "error" in synth:
        return "not synthesized (see pareto.json)"
    return f"{synth['LUT']}/{synth['FF']}/{synth['DSP']}"


def format_table(exploration: Exploration) -> str:
    """The front (and the best point within budget, marked *) as a text table."""
    rows = exploration.rows
    shown = list(exploration.front)
    if exploration.best is not None and exploration.best not in shown:
        shown.append(exploration.best)
    width = max([len("design"), *(len(rows[i]["name"]) for i in shown)])
    synthesized = any("synth" in rows[i] for i in shown)
    header = (
        f"{'':1} {'design':<{width}} {'accuracy':>9} {'LUT':>9} {'FF':>9} {'DSP':>6} {'BRAM':>5} {'use %':>7} "
        f"{'latency':>7} {'II':>5}" + ("  Yosys LUT/FF/DSP" if synthesized else "")
    )
    lines = [header, "-" * len(header)]
    for i in shown:
        r = rows[i]
        mark = "*" if i == exploration.best else ""
        lines.append(
            f"{mark:1} {r['name']:<{width}} {100 * r['accuracy']:>8.2f}% {r['LUT']:>9} {r['FF']:>9} {r['DSP']:>6} "
            f"{r['BRAM_18K']:>5} {100 * r['resources']:>7.3f} {r['latency_cycles']:>7} {r['ii']:>5}"
            + (f"  {synth_text(r.get('synth'))}" if synthesized else "")
        )
    failed = [r for r in rows if r["status"] != "ok"]
    notes = [
        f"{len(rows)} points, {len(exploration.front)} on the front, {len(failed)} failed, {exploration.computed} computed now"
    ]
    if exploration.reference_accuracy is not None:
        notes.append(f"float model accuracy {100 * exploration.reference_accuracy:.2f}%")
    notes.append(
        f"best within budget: {rows[exploration.best]['name']} (*)"
        if exploration.best is not None
        else "no point within budget"
    )
    for r in failed[:5]:
        notes.append(f"failed: {r['name']}: {r['error']}")
    if len(failed) > 5:
        notes.append(f"... {len(failed) - 5} more failures in pareto.json")
    return "\n".join([*lines, *notes]) + "\n"
