"""The HLS vendors the C++ printers write for: Vitis (ap types, `#pragma HLS`), Catapult and oneAPI
(the Algorithmic C types `ac_int`/`ac_fixed`).

The printers (kernels.py, spatial.py, stream.py, recurrent.py, project.py, stream_top.py) decide the
program: its types, loops and values, all from the IR. What differs between vendors is spelling, and
it lives here, in one place:
  - a fixed-point type with its rounding and overflow modes, an unsigned integer, the low bits of a
    value as an unsigned integer, such an integer as an array index;
  - the stream type of io_stream ports (hls::stream, ac_channel; oneAPI: the kernels are templates
    over their streams, so the same function reads a C-simulation FIFO or a SYCL pipe);
  - a directive (`Directive`: unroll, pipeline, inline, array partition, ...), rendered where that
    vendor puts it: Vitis inside the loop or function it applies to, Catapult and oneAPI before the
    loop (`#pragma hls_unroll yes`, `[[intel::initiation_interval(n)]]`), Catapult's hierarchy and
    top before the function (`#pragma hls_design`). A directive a vendor has no source form for
    renders as nothing (Catapult's memory mapping and FIFO depths are build-script directives).

Mode names: the fixed dialect's modes are Vitis' `AP_<mode>`; each has the AC mode of the same name
(`AC_<mode>`) with the same rule (tests/test_ac_types.py checks our AC headers against the real ones,
tests/test_vendors.py every mode through each backend).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from dialects.errors import CompileError
from dialects.fixedpoint import FixedFormat, Overflow, Rounding


class Where(Enum):
    HERE = "here"  # at the directive's place: first in the loop's or function's body
    BEFORE_LOOP = "before loop"  # before the head of the innermost open block
    BEFORE_FUNCTION = "before function"  # before the head of the outermost open block


# --------------------------------------------------------------------------------------------------
# Directives: what the printers ask for, in Vitis' vocabulary


@dataclass(frozen=True)
class Directive:
    pass


@dataclass(frozen=True)
class Unroll(Directive):
    pass


@dataclass(frozen=True)
class Pipeline(Directive):
    ii: int = 1
    rewind: bool = False
    function: bool = False  # the function's body (the io_parallel top), not a loop


@dataclass(frozen=True)
class Rounds(Directive):
    """The loop over a reuse factor's rounds: one round per cycle, each on the shared multipliers.
    Vitis pipelines it under the resource strategy (the latency strategy limits the multipliers
    with an ALLOCATION instead); Catapult and oneAPI pipeline it at an interval of 1."""

    resource: bool


@dataclass(frozen=True)
class Inline(Directive):
    on: bool = True


@dataclass(frozen=True)
class Dataflow(Directive):
    pass


@dataclass(frozen=True)
class Top(Directive):
    pass


@dataclass(frozen=True)
class Interface(Directive):
    port: str
    mode: str


@dataclass(frozen=True)
class Partition(Directive):
    variable: str
    dim: int | None = None  # None: every dimension the tool's default (complete)


@dataclass(frozen=True)
class Reshape(Directive):
    variable: str
    factor: int | None = None  # None: complete, every dimension
    block: bool = False


@dataclass(frozen=True)
class RomInBram(Directive):
    variable: str


@dataclass(frozen=True)
class MultiplierLimit(Directive):
    instances: int


@dataclass(frozen=True)
class StreamDepth(Directive):
    variable: str
    depth: int


# --------------------------------------------------------------------------------------------------


class Vendor:
    """One HLS tool's spelling of the printers' program."""

    name = ""
    fixed_headers: tuple[str, ...] = ()
    stream_header = ""
    stream_template = ""  # the stream class template ("" for oneAPI: streams are template parameters)
    stream_kernels_are_templates = False
    loop_labels = True  # `Name: for (...)`; not where an attribute must precede the loop statement

    def includes(self, streaming: bool) -> list[str]:
        """The lines of defines.h that bring in the types (and streams)."""
        headers = [*self.fixed_headers, *([self.stream_header] if streaming and self.stream_header else [])]
        return [f'#include "{h}"' for h in headers]

    def fixed_type(self, fmt: FixedFormat, rounding: Rounding | None = None, overflow: Overflow | None = None) -> str:
        raise NotImplementedError

    def unsigned_type(self, width: int) -> str:
        raise NotImplementedError

    def low_bits(self, expression: str, width: int) -> str:
        """The low `width` bits of a fixed-point value's code, as unsigned_type(width)."""
        raise NotImplementedError

    def index(self, expression: str) -> str:
        """An unsigned_type value as an array index."""
        return expression

    def stream(self, packet: str) -> str:
        return f"{self.stream_template}<{packet}>"

    def stream_declaration(self, packet: str, name: str) -> str:
        return f"{self.stream(packet)} {name};"

    def render(self, directive: Directive) -> tuple[list[str], Where]:
        raise NotImplementedError


def _modes(rounding: Rounding | None, overflow: Overflow | None) -> tuple[Rounding, Overflow] | None:
    """The modes to spell, or None where they are the defaults (TRN, WRAP) on every vendor."""
    r, o = rounding or Rounding.TRN, overflow or Overflow.WRAP
    return None if (r, o) == (Rounding.TRN, Overflow.WRAP) else (r, o)


class Vitis(Vendor):
    name = "vitis"
    fixed_headers = ("ap_fixed.h", "ap_int.h")
    stream_header = "hls_stream.h"
    stream_template = "hls::stream"

    def fixed_type(self, fmt, rounding=None, overflow=None) -> str:
        return fmt.cpp(rounding, overflow)

    def unsigned_type(self, width: int) -> str:
        return f"ap_uint<{width}>"

    def low_bits(self, expression: str, width: int) -> str:
        return f"{expression}.range({width - 1}, 0)"

    def stream_declaration(self, packet: str, name: str) -> str:
        return f'{self.stream(packet)} {name}("{name}");'  # named in C simulation's messages

    def render(self, d: Directive) -> tuple[list[str], Where]:
        here = Where.HERE
        if isinstance(d, Unroll):
            return ["#pragma HLS UNROLL"], here
        if isinstance(d, Pipeline):
            return [f"#pragma HLS PIPELINE II={d.ii}" + (" rewind" if d.rewind else "")], here
        if isinstance(d, Rounds):
            return (["#pragma HLS PIPELINE II=1 rewind"] if d.resource else []), here
        if isinstance(d, Inline):
            return ["#pragma HLS INLINE" if d.on else "#pragma HLS INLINE off"], here
        if isinstance(d, Dataflow):
            return ["#pragma HLS DATAFLOW"], here
        if isinstance(d, Top):
            return [], here  # build_prj.tcl's set_top
        if isinstance(d, Interface):
            return [f"#pragma HLS INTERFACE mode={d.mode} port={d.port}"], here
        if isinstance(d, Partition):
            dim = "" if d.dim is None else f" dim={d.dim}"
            return [f"#pragma HLS ARRAY_PARTITION variable={d.variable} complete{dim}"], here
        if isinstance(d, Reshape):
            how = f"block factor={d.factor}" if d.block else "complete dim=0"
            return [f"#pragma HLS ARRAY_RESHAPE variable={d.variable} {how}"], here
        if isinstance(d, RomInBram):
            return [f"#pragma HLS BIND_STORAGE variable={d.variable} type=rom_1p impl=bram"], here
        if isinstance(d, MultiplierLimit):
            return [f"#pragma HLS ALLOCATION operation instances=mul limit={d.instances}"], here
        if isinstance(d, StreamDepth):
            return [f"#pragma HLS STREAM variable={d.variable} depth={d.depth}"], here
        raise TypeError(f"vitis: no spelling for {d}")


class Vivado(Vitis):
    """Vivado HLS: Vitis' C++ (the same pragmas) with the Vivado HLS build script."""

    name = "vivado"


class AlgorithmicC(Vendor):
    """The AC datatypes: `ac_fixed<W, I, S, Q, O>` and `ac_int<W, S>`."""

    fixed_headers = ("ac_fixed.h", "ac_int.h")

    def fixed_type(self, fmt, rounding=None, overflow=None) -> str:
        args = [str(fmt.width), str(fmt.int_bits), "true" if fmt.signed else "false"]
        if (modes := _modes(rounding, overflow)) is not None:
            args += [f"AC_{modes[0].value}", f"AC_{modes[1].value}"]
        return f"ac_fixed<{', '.join(args)}>"

    def unsigned_type(self, width: int) -> str:
        return f"ac_int<{width}, false>"

    def low_bits(self, expression: str, width: int) -> str:
        return f"{self.unsigned_type(width)}({expression}.slc<{width}>(0))"

    def index(self, expression: str) -> str:
        return f"({expression}).to_int()"


class Catapult(AlgorithmicC):
    name = "catapult"
    stream_header = "ac_channel.h"
    stream_template = "ac_channel"

    def render(self, d: Directive) -> tuple[list[str], Where]:
        if isinstance(d, Unroll):
            return ["#pragma hls_unroll yes"], Where.BEFORE_LOOP
        if isinstance(d, Pipeline):
            where = Where.BEFORE_FUNCTION if d.function else Where.BEFORE_LOOP
            return [f"#pragma hls_pipeline_init_interval {d.ii}"], where
        if isinstance(d, Rounds):
            return ["#pragma hls_pipeline_init_interval 1"], Where.BEFORE_LOOP
        if isinstance(d, Inline):
            # a function is inlined unless it is a design block of its own (concurrent, with channels)
            return ([] if d.on else ["#pragma hls_design"]), Where.BEFORE_FUNCTION
        if isinstance(d, Top):
            return ["#pragma hls_design top"], Where.BEFORE_FUNCTION
        # memories, multiplier sharing, interfaces and FIFO depths are directives of the build script
        return [], Where.HERE


class OneAPI(AlgorithmicC):
    name = "oneapi"
    stream_kernels_are_templates = True
    loop_labels = False

    def stream(self, packet: str) -> str:
        return f"nn2hls_fifo<{packet}>"  # the C simulation's FIFO (firmware/nn2hls_fifo.h)

    def includes(self, streaming: bool) -> list[str]:
        # icpx -fsycl: Intel's AC types; g++ (C simulation): ours or the AC headers of hlslibs
        lines = ["#ifdef SYCL_LANGUAGE_VERSION"]
        lines += [f"#include <sycl/ext/intel/ac_types/{h.removesuffix('.h')}.hpp>" for h in self.fixed_headers]
        lines += ["#else", *(f'#include "{h}"' for h in self.fixed_headers), "#endif"]
        return lines + (['#include "nn2hls_fifo.h"'] if streaming else [])

    def render(self, d: Directive) -> tuple[list[str], Where]:
        if isinstance(d, Unroll):
            return ["#pragma unroll"], Where.BEFORE_LOOP
        if isinstance(d, Pipeline) and not d.function:
            return [f"[[intel::initiation_interval({d.ii})]]"], Where.BEFORE_LOOP
        if isinstance(d, Rounds):
            return ["[[intel::initiation_interval(1)]]"], Where.BEFORE_LOOP
        # the SYCL compiler keeps unrolled arrays in registers and infers the rest; pipes carry depths
        return [], Where.HERE


VENDORS: dict[str, Vendor] = {v.name: v for v in (Vitis(), Vivado(), Catapult(), OneAPI())}
VITIS = VENDORS["vitis"]


def vendor_named(name: str) -> Vendor:
    if name not in VENDORS:
        raise CompileError(f"unknown backend {name!r}; valid: {', '.join(VENDORS)}")
    return VENDORS[name]
