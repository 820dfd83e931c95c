"""Command line of design-space exploration (compiler/explore.py):

    python -m compiler explore model.onnx --data samples.npz [--labels y.npy] [--budget 'LUT<=200000,DSP<=1500']
        [--latency '<=100'] [--part xcvu13p] [-o DIR] [--scheduler tcp://host:8786 | --workers N]
        [--no-per-layer-reuse] [--synth]

prints the Pareto front as a table (the progress bar goes to stderr) and writes DIR/pareto.json,
DIR/pareto.png, DIR/configs/*.yaml and DIR/cache/. Bad input or options, or a scheduler that cannot
be reached, print one line and exit with status 2.
"""

from __future__ import annotations

import argparse
import sys
import time

from compiler.api import DEFAULT_PART
from compiler.explore import Grid, explore
from dialects.errors import CompileError, one_line


class _Parser(argparse.ArgumentParser):
    """A malformed option is one line naming it, status 2 (as `python -m compiler`)."""

    def error(self, message: str) -> None:
        print(f"error: {one_line(message)} (see --help)", file=sys.stderr)
        sys.exit(2)


def parse_args(argv: list[str]) -> argparse.Namespace:
    default = Grid()
    parser = _Parser(
        prog="python -m compiler explore",
        description="Sweep precision, reuse factor, strategy and io type of an ONNX model's designs on Dask; "
        "write the Pareto front of accuracy, resources and latency.",
    )
    parser.add_argument("model", help="ONNX model file")
    parser.add_argument("--data", required=True, help="samples (.npy, or .npz with one array per input)")
    parser.add_argument("--labels", help="their classes (.npy); default: agreement with the float model's argmax")
    parser.add_argument("--budget", help="resource budget, e.g. 'LUT<=200000,DSP<=1500' (LUT, FF, DSP, BRAM, II)")
    parser.add_argument("--latency", help="latency budget in clock cycles, e.g. '<=100'")
    parser.add_argument("--part", default=DEFAULT_PART, help=f"FPGA part (default {DEFAULT_PART})")
    parser.add_argument("-o", "--output", default="explore", help="output directory (default explore/)")
    parser.add_argument("--scheduler", metavar="ADDRESS", help="a dask.distributed scheduler, e.g. tcp://host:8786")
    parser.add_argument("--workers", type=int, default=2, help="processes of the local cluster (default 2)")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds to reach the scheduler (default 10)")
    parser.add_argument(
        "--precisions", nargs="*", default=list(default.precisions), metavar="TYPE", help="uniform model precisions"
    )
    parser.add_argument(
        "--auto-budgets",
        nargs="*",
        type=float,
        default=list(default.auto_budgets),
        metavar="X",
        help="'auto' precision at these multiples of the model's default error budget (none: no auto points)",
    )
    parser.add_argument(
        "--no-calibrated-auto",
        action="store_true",
        help="no 'auto' points calibrated on the data (by default each auto budget also runs calibrated)",
    )
    parser.add_argument("--reuse-factors", nargs="+", type=int, default=list(default.reuse_factors), metavar="R")
    parser.add_argument(
        "--strategies", nargs="+", choices=["latency", "resource"], default=list(default.strategies), metavar="S"
    )
    parser.add_argument(
        "--io-types", nargs="+", choices=["io_parallel", "io_stream"], default=list(default.io_types), metavar="IO"
    )
    parser.add_argument(
        "--no-per-layer-reuse",
        action="store_true",
        help="no search of reuse factors per layer from the best design (by default a greedy search follows the grid)",
    )
    parser.add_argument(
        "--synth",
        action="store_true",
        help="also synthesize each design with Yosys through the Verilog backend (io_parallel, latency strategy)",
    )
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.add_argument("--debug", action="store_true", help="show Python tracebacks")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    grid = Grid(
        tuple(args.precisions),
        tuple(args.auto_budgets),
        tuple(args.reuse_factors),
        tuple(args.strategies),
        tuple(args.io_types),
        calibrated_auto=not args.no_calibrated_auto,
    )
    try:
        if not grid.precisions and not grid.auto_budgets:
            raise CompileError("explore: no precision to sweep (give --precisions or --auto-budgets)")
        start = time.perf_counter()
        result = explore(
            args.model,
            args.data,
            labels=args.labels,
            budget=args.budget,
            latency=args.latency,
            part=args.part,
            output_dir=args.output,
            scheduler=args.scheduler,
            workers=args.workers,
            grid=grid,
            progress=not args.no_progress,
            timeout=args.timeout,
            per_layer_reuse=not args.no_per_layer_reuse,
            synth=args.synth,
        )
        print(result.table(), end="")
        print(
            f"wrote {args.output}/pareto.json, pareto.png and {len(result.front)} configs in {args.output}/configs/ "
            f"in {time.perf_counter() - start:.1f} s"
        )
        return 0
    except CompileError as err:
        print(f"error: {one_line(str(err))}", file=sys.stderr)
        return 2
    except Exception as err:
        if args.debug:
            raise
        print(f"error: internal error ({type(err).__name__}): {one_line(str(err))[:500]}", file=sys.stderr)
        return 1
