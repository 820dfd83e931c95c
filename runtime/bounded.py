"""The bounded-FIFO C simulation of an io_stream design: an exact check of its FIFO depths.

Takes a project written by the compiler with `--io-type io_stream`. `build_bounded` compiles it with
NN2HLS_BOUNDED_FIFOS: the top (compiler/emitter/stream_top.py) then runs every kernel in its own
thread and each FIFO holds at most its depth, as in hardware, where a write to a full FIFO and a read
from an empty one block (runtime/include/hls_stream.h). With blocking reads and writes the kernels
form a Kahn process network, so whether they deadlock does not depend on timing, and a deadlock is
found as soon as every kernel waits. Gives:

- `BoundedCSim`: the loaded library; its FIFOs with their computed depths (`computed`), `predict` at
  those or at given depths, raising `DeadlockError` (one line naming the full and empty FIFOs);
- `search_depths`: per FIFO, the smallest depth that does not deadlock with the others at their
  computed depths (deadlock-freedom is monotone in each depth: a binary search in [1, computed]);
- `FifoCheck`: the result of both on some samples, as a table and merged into the project's
  report.txt and report.json.
"""

from __future__ import annotations

import ctypes
import json
import os
import re
import shutil
import threading
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from dialects.names import suffixed
from runtime.build import OUR_HEADERS, compile_project
from runtime.csim import DesignLibrary, batch_buffers

BOUNDED_FLAGS = ["-DNN2HLS_BOUNDED_FIFOS", "-pthread"]
MESSAGE_SIZE = 1 << 16
SEARCH_SAMPLES = 2  # a deadlock here never depends on the data: kernels read and write a fixed count
REPORT_TITLE = "FIFO depths in the bounded-FIFO C simulation"


class DeadlockError(RuntimeError):
    """The kernels deadlocked: the message names each FIFO a kernel waits on, full or empty."""

    def __init__(self, message: str, samples: list[int]):
        super().__init__(message)
        self.samples = samples  # the samples that deadlocked
        self.full = re.findall(r"fifo (\w+) \([^)]*\) full", message)
        self.empty = re.findall(r"(\w+) \(read by", message)


def build_bounded(project: str | os.PathLike[str], name: str, headers: str | os.PathLike[str] | None = None) -> Path:
    """The project compiled for the bounded-FIFO C simulation (a library of its own, next to the
    other). With another set of `headers` (e.g. Xilinx's ap_types), our hls_stream.h still comes
    first: theirs has no bounded FIFOs."""
    flags = list(BOUNDED_FLAGS)
    if headers is not None and Path(headers).resolve() != OUR_HEADERS:
        own = Path(project) / "csim" / "bounded_include"  # under the project: its digest covers the copy
        own.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(OUR_HEADERS / "hls_stream.h", own / "hls_stream.h")
        flags.append(f"-I{own.resolve()}")
    return compile_project(project, name, headers=headers, extra_flags=flags)


class BoundedCSim(DesignLibrary):
    """A bounded-FIFO C-simulation library: `<name>_predict_bounded` and the FIFO depth array."""

    ENTRY_ARGS = [ctypes.POINTER(ctypes.c_int), ctypes.c_char_p, ctypes.c_long]  # status, message
    ENTRY_RESULT = ctypes.c_long

    def __init__(
        self,
        library: str | os.PathLike[str],
        name: str,
        input_shapes: Sequence[Sequence[int]],
        output_shapes: Sequence[Sequence[int]],
    ):
        super().__init__(library, suffixed(name, "predict_bounded"), input_shapes, output_shapes)
        count = ctypes.c_int.in_dll(self._lib, suffixed(name, "fifo_count")).value
        if count:
            names = (ctypes.c_char_p * count).in_dll(self._lib, suffixed(name, "fifo_names"))
            self._depths = (ctypes.c_int * count).in_dll(self._lib, suffixed(name, "fifo_depths"))
        else:  # one kernel: no FIFO of its own
            names, self._depths = [], (ctypes.c_int * 0)()
        self.fifos = [n.decode() for n in names]
        self.computed = dict(zip(self.fifos, self._depths))  # the depths of the pragmas
        self._lock = threading.Lock()  # the depth array is the library's: one run at a time

    def _depths_for(self, depths: Mapping[str, int] | None) -> list[int]:
        chosen = dict(self.computed)
        for fifo, depth in (depths or {}).items():
            if fifo not in chosen:
                raise KeyError(f"no FIFO {fifo!r}; the FIFOs: {', '.join(self.fifos) or 'none'}")
            if int(depth) < 1:
                raise ValueError(f"FIFO {fifo}: depth {depth}, must be at least 1")
            chosen[fifo] = int(depth)
        return [chosen[f] for f in self.fifos]

    def run(
        self, inputs: Sequence[np.ndarray], depths: Mapping[str, int] | None = None
    ) -> tuple[list[np.ndarray], np.ndarray, str]:
        """Outputs, a status per sample (0 ran, 1 deadlocked, 2 failed) and the first failure's message."""
        in_ptrs, out_ptrs, outputs, n = batch_buffers(inputs, self.input_shapes, self.output_shapes)
        status = np.zeros(n, dtype=np.intc)
        message = ctypes.create_string_buffer(MESSAGE_SIZE)
        chosen = self._depths_for(depths)
        with self._lock:
            for i, depth in enumerate(chosen):
                self._depths[i] = depth
            try:
                self._entry(
                    in_ptrs, out_ptrs, n, status.ctypes.data_as(ctypes.POINTER(ctypes.c_int)), message, MESSAGE_SIZE
                )
            finally:
                for i, fifo in enumerate(self.fifos):
                    self._depths[i] = self.computed[fifo]
        return outputs, status, message.value.decode(errors="replace")

    def predict(self, *inputs: np.ndarray, depths: Mapping[str, int] | None = None) -> list[np.ndarray]:
        """Outputs (float64, batch first) at the computed depths, or at `depths` ({fifo: depth}, the
        others computed); DeadlockError if the kernels deadlock on any sample."""
        outputs, status, message = self.run(inputs, depths)
        failed = [int(s) for s in np.flatnonzero(status)]
        if failed and status[failed[0]] == 1:
            where = f"sample {failed[0]}" + (f" and {len(failed) - 1} more" if len(failed) > 1 else "")
            raise DeadlockError(f"{message} ({where})", failed)
        if failed:
            raise RuntimeError(f"bounded-FIFO C simulation failed on sample {failed[0]}: {message}")
        return outputs

    def smallest_depth(self, fifo: str, inputs: Sequence[np.ndarray]) -> int:
        """The smallest depth of `fifo` in [1, computed] without deadlock, the others at their computed
        depths (a binary search: deadlock-freedom is monotone in each depth)."""
        low, high = 1, self.computed[fifo]  # `high` is taken to be deadlock-free
        while low < high:
            middle = (low + high) // 2
            if self.deadlocks(inputs, {fifo: middle}):
                low = middle + 1
            else:
                high = middle
        return high

    def deadlocks(self, inputs: Sequence[np.ndarray], depths: Mapping[str, int] | None = None) -> bool:
        try:
            self.predict(*inputs, depths=depths)
        except DeadlockError:
            return True
        return False


def search_depths(sim: BoundedCSim, inputs: Sequence[np.ndarray]) -> dict[str, int]:
    """Per FIFO, the smallest depth in [1, computed] that does not deadlock with the others at their
    computed depths (which must not deadlock: DeadlockError)."""
    sim.predict(*inputs)
    return {fifo: sim.smallest_depth(fifo, inputs) for fifo in sim.fifos}


@dataclass
class FifoCheck:
    """The bounded-FIFO simulation of a design at its computed depths on some samples, and the depth search."""

    samples: int
    bit_exact: int  # samples whose bounded outputs equal the emulator's
    computed: dict[str, int]
    smallest: dict[str, int]  # each with the others at their computed depths
    all_smallest_deadlock_free: bool  # every FIFO at its smallest at once
    unbounded_equal: int | None = None  # samples equal to the unbounded C simulation, if it was run

    def table(self) -> str:
        rows = [("fifo", "computed", "smallest deadlock-free")]
        rows += [(f, str(d), str(self.smallest[f])) for f, d in self.computed.items()]
        widths = [max(len(r[i]) for r in rows) for i in range(3)]
        lines = [f"{rows[0][0]:<{widths[0]}} | {rows[0][1]:>{widths[1]}} | {rows[0][2]:>{widths[2]}}"]
        lines.append("-" * len(lines[0]))
        lines += [f"{a:<{widths[0]}} | {b:>{widths[1]}} | {c:>{widths[2]}}" for a, b, c in rows[1:]]
        if not self.computed:
            lines.append("(none: the design is one kernel)")
        return "\n".join(lines)

    def __str__(self) -> str:
        same = "" if self.unbounded_equal is None else f", == unbounded C simulation on {self.unbounded_equal}"
        together = "no deadlock" if self.all_smallest_deadlock_free else "a deadlock"
        lines = [
            f"{REPORT_TITLE}: no deadlock at the computed depths on {self.samples} samples; "
            f"== emulator bit for bit on {self.bit_exact}/{self.samples}{same}",
            "smallest deadlock-free: each FIFO alone, the others at their computed depths "
            f"(all at their smallest at once: {together})",
            *self.table().splitlines(),
        ]
        return "\n".join(lines) + "\n"

    def merge_into_report(self, project: str | os.PathLike[str]) -> None:
        """Adds this check to `report.txt` (a section at the end, replacing an earlier one) and to
        `report.json` (key `fifo_check`)."""
        project = Path(project)
        text_path, json_path = project / "report.txt", project / "report.json"
        if text_path.exists():
            text = text_path.read_text()
            start = text.find(f"\n{REPORT_TITLE}:")
            if start >= 0:
                end = text.find("\n\n", start + 1)
                text = text[:start] + (text[end + 1 :] if end >= 0 else "\n")
            text_path.write_text(text.rstrip("\n") + "\n\n" + str(self))
        if json_path.exists():
            report: dict[str, Any] = json.loads(json_path.read_text())
            check = asdict(self)
            check["fifos"] = [
                {"fifo": f, "computed": d, "smallest_deadlock_free": self.smallest[f]} for f, d in self.computed.items()
            ]
            del check["computed"], check["smallest"]
            report["fifo_check"] = check
            json_path.write_text(json.dumps(report, indent=2) + "\n")


def check_fifos(
    sim: BoundedCSim,
    inputs: Sequence[np.ndarray],
    emulated: Sequence[np.ndarray],
    unbounded: Sequence[np.ndarray] | None = None,
    search_samples: int = SEARCH_SAMPLES,
) -> FifoCheck:
    """Runs the design at its computed depths on `inputs` (DeadlockError if it deadlocks), compares
    with the emulator's (and the unbounded C simulation's) outputs, and searches the smallest depths
    on the first `search_samples` samples."""
    outputs = sim.predict(*inputs)
    n = len(outputs[0])

    def equal(other: Sequence[np.ndarray]) -> int:
        same = np.ones(n, dtype=bool)
        for a, b in zip(outputs, other):
            same &= np.all(a.reshape(n, -1) == np.asarray(b).reshape(n, -1), axis=1)
        return int(same.sum())

    few = [np.asarray(x)[:search_samples] for x in inputs]
    smallest = {fifo: sim.smallest_depth(fifo, few) for fifo in sim.fifos}  # the computed depths ran above
    return FifoCheck(
        samples=n,
        bit_exact=equal(emulated),
        computed=dict(sim.computed),
        smallest=smallest,
        all_smallest_deadlock_free=not sim.deadlocks(few, smallest),
        unbounded_equal=None if unbounded is None else equal(unbounded),
    )
