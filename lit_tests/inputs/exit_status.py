"""Runs a command and succeeds only if it exits with the given status (lit's `not` only checks for a
non-zero one): `%python %inputs/exit_status.py 2 %python -m compiler ...`.

It first prints the line `--- output ---`, then the command's stdout and stderr pass through
unchanged, so that FileCheck can anchor on the first line of the output:
    CHECK:      --- output ---
    CHECK-NEXT: {{^}}error: ...{{$}}
    CHECK-NOT:  {{.}}
A wrong status is reported on stderr and makes this script exit with 1."""

import subprocess
import sys

expected = int(sys.argv[1])
print("--- output ---", flush=True)
status = subprocess.run(sys.argv[2:]).returncode
if status != expected:
    print(f"exit_status.py: expected exit status {expected}, got {status}", file=sys.stderr)
    sys.exit(1)
