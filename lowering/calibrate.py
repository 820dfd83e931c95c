"""calibrate{data=inputs.npy}: record the ranges real inputs reach, for infer-bitwidths to use.

Takes and gives fixed-level IR. Runs the bit-exact emulator on the samples in `data` (a .npy file for
one input, or a .npz with one array per input in order; batch first; in-process the arrays
themselves, `CalibratePass.with_samples`) and writes on every
`fixed.cast` the [min, max] of the values its input took, as `observed`. The IR's meaning does not
change: infer-bitwidths reads `observed` to give `auto` casts integer bits from what was seen (plus a
margin) instead of what is provable, and the report prints observed next to provable ranges.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import DenseArrayBase, ModuleOp, f64
from xdsl.interpreter import Interpreter
from xdsl.ir import Operation
from xdsl.passes import ModulePass

from dialects import fixed
from dialects.errors import CompileError
from dialects.fixedpoint import codes_to_floats
from runtime.emulator import observe


class RangeRecorder(Interpreter.Listener):
    """Keeps the [min, max] of each cast's input over everything the emulator runs."""

    def __init__(self) -> None:
        self.seen: dict[fixed.CastOp, tuple[float, float]] = {}

    def will_interpret_op(self, op: Operation, args: tuple[Any, ...]) -> None:
        if not isinstance(op, fixed.CastOp) or not np.size(args[0]):
            return
        fmt = fixed.format_of(op.input)
        lo, hi = (float(codes_to_floats(np.array([v]), fmt)[0]) for v in (np.min(args[0]), np.max(args[0])))
        if op in self.seen:
            lo, hi = min(lo, self.seen[op][0]), max(hi, self.seen[op][1])
        self.seen[op] = (lo, hi)


def load_samples(path: str) -> list[np.ndarray]:
    file = Path(path)
    if not file.is_file():
        raise CompileError(f"calibrate: data file {file}: no such file")
    try:
        data = np.load(file, allow_pickle=False)
    except Exception as err:
        raise CompileError(f"calibrate: cannot read {file} as .npy/.npz ({type(err).__name__})") from None
    arrays = [data[k] for k in data.files] if isinstance(data, np.lib.npyio.NpzFile) else [data]
    return checked_samples(arrays, f" in {file}")


def checked_samples(arrays: Sequence[np.ndarray], where: str) -> list[np.ndarray]:
    """Calibration samples must be finite numbers."""
    out = [np.asarray(a) for a in arrays]
    for i, array in enumerate(out):
        if array.dtype.kind not in "fiu" or not np.isfinite(array.astype(np.float64)).all():
            raise CompileError(f"calibrate: input {i}{where} must be finite numbers")
    return out


@dataclass(frozen=True)
class CalibratePass(ModulePass):
    name = "calibrate"

    data: str = ""
    # in-process: the samples themselves (`CalibratePass.with_samples`), one array per input
    samples: tuple[np.ndarray, ...] | None = field(default=None, init=False, compare=False, repr=False)

    @staticmethod
    def with_samples(arrays: Sequence[np.ndarray]) -> CalibratePass:
        calibrate = CalibratePass()
        object.__setattr__(calibrate, "samples", tuple(checked_samples(arrays, "")))
        return calibrate

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        if self.samples is not None:
            samples = list(self.samples)
        elif self.data:
            samples = load_samples(self.data)
        else:
            raise CompileError('calibrate: give the samples as calibrate{data="inputs.npy"}')
        recorder = RangeRecorder()
        observe(op, samples, recorder, "calibrate")
        for cast, (lo, hi) in recorder.seen.items():
            cast.properties["observed"] = DenseArrayBase.from_list(f64, (lo, hi))
