"""Numerical profiling: hls4ml's `numerical()` plots for our fixed-point types.

Takes a compiled design (the dataflow-level module of `compiler.api.HLSModel`) and samples (one
array per input, batch first). Gives, per layer (the `layer` the ops carry: the model's node name):

- the distribution of its weights and biases: the values of the `fixed.constant`s a dense or conv
  reads as parameters (`HasParameters`), in the weight or bias type they were rounded into;
- the distribution of its observed activations: the values reaching each `fixed.cast` (the layer's
  exact value before it takes its result type) and each input quantizer (the input's float values),
  when the bit-exact emulator runs the samples, with the fraction of them the conversion overflows
  (rounded by the conversion's mode, outside the type: saturated or wrapped) and underflows
  (nonzero, rounded to 0).

`profile_data` gives that as plain data (`Distribution`s: quantiles of log2 |value|, the type's
largest magnitude and step); `figures` draws it as matplotlib figures, one box per row on a log2
axis with the type's range from step to largest magnitude behind it, so that overflow and
underflow show at a glance. matplotlib is an optional extra, imported only when drawing.
"""

from __future__ import annotations

import inspect
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from xdsl.dialects.builtin import ModuleOp
from xdsl.interpreter import Interpreter
from xdsl.ir import Operation

from dialects import fixed
from dialects.dataflow import KernelOp
from dialects.errors import CompileError
from dialects.fixedpoint import FixedFormat, Overflow, cast_codes, codes_to_floats, quantize_floats
from dialects.interfaces import parameter_role
from dialects.layer import LayerOp
from lowering.calibrate import checked_samples, load_samples
from runtime.emulator import observe

NEEDS_MATPLOTLIB = "--profile needs matplotlib: pip install -e '.[plot]'"
QUANTILES = (0.0, 0.25, 0.5, 0.75, 1.0)  # the box: min, quartiles, max (whiskers over everything, as hls4ml)
PNG_FILES = {"weights": "profile/weights.png", "activations": "profile/activations.png"}


@dataclass(frozen=True)
class Distribution:
    """The values of one layer's weights, biases or activations against the type that holds them."""

    name: str  # the layer (the input's name for an input quantizer); `#2`, ... for a layer's later casts
    kind: str  # "weights", "biases" or "activations"
    type: str  # the type the values are (weights) or are brought into (activations), C++ spelling
    count: int
    low: float  # the smallest and largest value
    high: float
    zeros: float  # fraction of values exactly 0 (left out of the quantiles: log2 0 is -inf)
    log2_quantiles: tuple[float, ...] | None  # log2 |value| at QUANTILES over nonzero values; None: all 0
    max_magnitude: float  # the type's largest |value|
    step: float  # the type's smallest step
    overflow: float  # fraction outside the type after rounding (0 for weights: they are in their type)
    underflow: float  # fraction nonzero that round to 0 (0 for weights)
    error: float | None = None  # weights: the largest rounding error nn-to-fixed recorded

    @property
    def label(self) -> str:
        return self.name if self.kind == "activations" else f"{self.name} {self.kind}"

    @property
    def log2_max_magnitude(self) -> float:
        return math.log2(self.max_magnitude)

    @property
    def log2_step(self) -> float:
        return math.log2(self.step)


@dataclass(frozen=True)
class Profile:
    weights: list[Distribution]  # weights and biases, layer by layer
    activations: list[Distribution]  # the inputs, then each cast in the order the design runs them


# --------------------------------------------------------------------------------------------------
# The data


class ValueRecorder(Interpreter.Listener):
    """Keeps every value each cast and input quantizer receives while the emulator runs."""

    def __init__(self) -> None:
        self.seen: dict[Operation, list[np.ndarray]] = {}  # in the order the ops first ran

    def will_interpret_op(self, op: Operation, args: tuple[Any, ...]) -> None:
        if isinstance(op, (fixed.CastOp, fixed.QuantizeOp)) and np.size(args[0]):
            self.seen.setdefault(op, []).append(np.asarray(args[0]).ravel())


def largest_magnitude(fmt: FixedFormat) -> float:
    return float(max(abs(fmt.min_value), fmt.max_value))


def _headroom(fmt: FixedFormat) -> FixedFormat:
    """`fmt`'s step, signed, with room beyond `fmt`'s range on both sides: saturating into it keeps
    every value that `fmt` cannot hold outside `fmt`'s codes, so overflows are counted in few bits."""
    extra = 2 if fmt.signed else 3
    return FixedFormat(fmt.width + extra, fmt.int_bits + extra, True)


def _distribution(
    name: str,
    kind: str,
    type_name: str,
    values: np.ndarray,
    fmt: FixedFormat,
    overflow: float = 0.0,
    underflow: float = 0.0,
    error: float | None = None,
) -> Distribution:
    magnitudes = np.abs(values[values != 0])
    return Distribution(
        name=name,
        kind=kind,
        type=type_name,
        count=int(values.size),
        low=float(values.min()),
        high=float(values.max()),
        zeros=(values.size - magnitudes.size) / values.size,
        log2_quantiles=tuple(float(q) for q in np.quantile(np.log2(magnitudes), QUANTILES))
        if magnitudes.size
        else None,
        max_magnitude=largest_magnitude(fmt),
        step=float(fmt.step),
        overflow=overflow,
        underflow=underflow,
        error=error,
    )


def _layer_of(op: Operation) -> str:
    if isinstance(op, LayerOp) and op.layer_name is not None:
        return op.layer_name
    kernel = op.parent_op()
    while kernel is not None and not isinstance(kernel, KernelOp):
        kernel = kernel.parent_op()
    return kernel.sym_name.data if kernel is not None else op.name


def _unique(name: str, kind: str, taken: dict[tuple[str, str], int]) -> str:
    """`name`, then `name #2`, ... for a layer's second, ... distribution of this kind."""
    count = taken[name, kind] = taken.get((name, kind), 0) + 1
    return name if count == 1 else f"{name} #{count}"


def parameter_distributions(module: ModuleOp) -> list[Distribution]:
    """The weights and biases of every dense and conv, as the IR holds them (after rounding)."""
    out: list[Distribution] = []
    done: set[fixed.ConstantOp] = set()
    taken: dict[tuple[str, str], int] = {}
    for op in module.walk():
        for index, operand in enumerate(op.operands):
            role, constant = parameter_role(op, index), operand.owner
            if role is None or not isinstance(constant, fixed.ConstantOp) or constant in done:
                continue
            done.add(constant)
            fmt = fixed.format_of(constant.result)
            values = codes_to_floats(constant.values(), fmt).ravel()
            if values.size:
                error = constant.error.value.data if constant.error is not None else None
                name = _unique(_layer_of(op), role, taken)
                out.append(_distribution(name, role, str(fmt), values, fmt, error=error))
    return out


def _activation(name: str, op: fixed.CastOp | fixed.QuantizeOp, arrays: list[np.ndarray]) -> Distribution:
    received = np.concatenate(arrays)
    dst = fixed.format_of(op.output)
    rounding, overflow = op.modes
    if isinstance(op, fixed.CastOp):
        src = fixed.format_of(op.input)
        values = codes_to_floats(received, src)
        rounded = cast_codes(received, src, _headroom(dst), rounding, Overflow.SAT)
        nonzero = np.asarray(received != 0, dtype=bool)
    else:  # the input quantizer: float values
        values = received.astype(np.float64)
        rounded = quantize_floats(values, _headroom(dst), rounding, Overflow.SAT)
        nonzero = values != 0
    outside = np.asarray((rounded < dst.min_code) | (rounded > dst.max_code), dtype=bool)
    lost = nonzero & np.asarray(rounded == 0, dtype=bool)
    return _distribution(
        name,
        "activations",
        dst.cpp(rounding, overflow),
        values,
        dst,
        overflow=float(np.count_nonzero(outside)) / values.size,
        underflow=float(np.count_nonzero(lost)) / values.size,
    )


def activation_distributions(module: ModuleOp, inputs: Sequence[np.ndarray]) -> list[Distribution]:
    """What each input quantizer and cast receives when the emulator runs `inputs`."""
    samples = _profile_samples(lambda: checked_samples(inputs, ""))
    if any(len(np.atleast_1d(x)) == 0 for x in samples):
        raise CompileError("profile: no samples (give at least one per input)")
    recorder = ValueRecorder()
    observe(module, samples, recorder, "profile")
    taken: dict[tuple[str, str], int] = {}
    return [
        _activation(_unique(_layer_of(op), "activations", taken), op, arrays) for op, arrays in recorder.seen.items()
    ]


def profile_data(module: ModuleOp, inputs: Sequence[np.ndarray]) -> Profile:
    """The weights and biases of the design, and its activations on `inputs` (one array per input,
    batch first)."""
    return Profile(parameter_distributions(module), activation_distributions(module, inputs))


def load_profile_samples(path: str) -> list[np.ndarray]:
    """Samples from a .npy (one input) or .npz (one array per input), as --calibrate reads them."""
    return _profile_samples(lambda: load_samples(path))


def _profile_samples(read) -> list[np.ndarray]:
    # lowering/calibrate.py's checks name their option `calibrate:`; these samples are --profile's
    try:
        return read()
    except CompileError as err:
        raise CompileError(str(err).replace("calibrate:", "profile:", 1)) from None


# --------------------------------------------------------------------------------------------------
# The figures


def require_matplotlib() -> None:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise CompileError(NEEDS_MATPLOTLIB) from None


def figures(profile: Profile) -> dict[str, Any]:
    """{"weights": Figure, "activations": Figure}: matplotlib Figures, made without pyplot (no
    global state, no interactive backend)."""
    require_matplotlib()
    return {
        "weights": draw(profile.weights, "Weights and biases against their types"),
        "activations": draw(profile.activations, "Values before each layer's result cast against its type"),
    }


def draw(distributions: Sequence[Distribution], title: str) -> Any:
    """One row per distribution, first on top: a box of log2 |value| (min, quartiles, max) over a
    grey bar from the type's log2 step (blue) to its log2 largest magnitude (red); overflow,
    underflow and zero weights noted on the right."""
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    figure = Figure(figsize=(9, 1.6 + 0.42 * max(len(distributions), 1)), layout="constrained")
    axes = figure.add_subplot()
    axes.set_title(title)
    if not distributions:
        axes.text(0.5, 0.5, "none in this design", ha="center", va="center", transform=axes.transAxes)
        axes.set_axis_off()
        return figure
    rows = list(range(len(distributions)))
    for row, d in zip(rows, distributions):
        axes.barh(row, d.log2_max_magnitude - d.log2_step, left=d.log2_step, height=0.8, color="0.88", zorder=0)
        axes.plot([d.log2_step], [row], marker="|", markersize=16, color="tab:blue", zorder=1)
        axes.plot([d.log2_max_magnitude], [row], marker="|", markersize=16, color="tab:red", zorder=1)
        color = "tab:red" if d.overflow else "0.3"
        axes.text(1.01, row, _notes(d), transform=axes.get_yaxis_transform(), va="center", color=color)
    boxed = [(row, d.log2_quantiles) for row, d in zip(rows, distributions) if d.log2_quantiles is not None]
    horizontal = {"orientation": "horizontal"} if "orientation" in inspect.signature(axes.bxp).parameters else {}
    axes.bxp(
        [{"whislo": q[0], "q1": q[1], "med": q[2], "q3": q[3], "whishi": q[4], "fliers": []} for _, q in boxed],
        positions=[row for row, _ in boxed],
        widths=0.5,
        patch_artist=True,
        showfliers=False,
        boxprops={"facecolor": "tab:orange", "alpha": 0.8},
        medianprops={"color": "black"},
        manage_ticks=False,
        zorder=2,
        **(horizontal or {"vert": False}),  # matplotlib < 3.10 has no `orientation`
    )
    ends = [e for d in distributions for e in (d.log2_step, d.log2_max_magnitude, *(d.log2_quantiles or ()))]
    axes.set_xlim(min(ends) - 0.5, max(ends) + 0.5)  # the bars' edges would otherwise hide the markers
    axes.set_yticks(rows, [d.label for d in distributions])
    axes.set_ylim(len(distributions) - 0.5, -0.5)
    axes.set_xlabel("log2 |value|")
    axes.grid(axis="x", alpha=0.3)
    figure.legend(
        handles=[
            Patch(color="0.88", label="the type: step (blue) to largest |value| (red)"),
            Patch(color="tab:orange", alpha=0.8, label="the values: min, quartiles, max"),
        ],
        loc="outside lower center",
        ncols=2,
        frameon=False,
    )
    return figure


def _notes(d: Distribution) -> str:
    shares = [(d.overflow, "overflow"), (d.underflow, "underflow")]
    if d.kind != "activations":  # a weight rounded to 0 is a multiplication lost (or a pruned one)
        shares.append((d.zeros, "zero"))
    notes = [f"{100 * share:.3g} % {what}" for share, what in shares if share]
    return ", ".join(notes + (["all 0"] if d.log2_quantiles is None else []))


def png(figure: Any) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100)
    return buffer.getvalue()


def profile_pngs(module: ModuleOp, samples: Sequence[np.ndarray]) -> dict[str, bytes]:
    """{relative path in the project: PNG} for both figures (PNG_FILES)."""
    drawn = figures(profile_data(module, samples))
    return {PNG_FILES[kind]: png(figure) for kind, figure in drawn.items()}
