"""Runs pass pipelines that must each fail, in one process (one xdsl-opt start instead of one a case):
`pass_errors.py FILE NAME=PIPELINE [NAME@CHUNK=PIPELINE ...]` runs xdsl-opt's driver on FILE (or on
its chunk CHUNK, 1-based, split at `// -----` lines) with `-p PIPELINE` for each case in order and
prints, for each,

    --- NAME
    <the end of the traceback xdsl-opt would print: module.Exception: message, and its notes>

A case that does not fail prints `(no error)` under its name, and the script then exits with 1."""

import contextlib
import io
import os
import sys
import tempfile
import traceback

from xdsl.xdsl_opt_main import xDSLOptMain

path, cases = sys.argv[1], sys.argv[2:]
with open(path) as f:
    chunks = f.read().split("// -----\n")
failed_to_fail = False
with tempfile.TemporaryDirectory() as scratch:
    for case in cases:
        name, _, spec = case.partition("=")
        name, _, chunk = name.partition("@")
        source = path
        if chunk:
            source = os.path.join(scratch, f"chunk{chunk}.mlir")
            with open(source, "w") as f:
                f.write(chunks[int(chunk) - 1])
        print(f"--- {name}")
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                xDSLOptMain(args=[source, "-p", spec]).run()
        except Exception as error:  # noqa: BLE001 - every failure is a case's expected outcome
            print("".join(traceback.format_exception_only(error)).rstrip())
        else:
            print("(no error)")
            failed_to_fail = True
sys.exit(1 if failed_to_fail else 0)
