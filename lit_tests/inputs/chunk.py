"""Prints chunk N (1-based) of a file split at `// -----` lines, for RUN lines that must feed one
case at a time to a command that stops at the first error: `%python %inputs/chunk.py %s 2 | ...`."""

import sys

path, index = sys.argv[1], int(sys.argv[2])
with open(path) as f:
    chunks = f.read().split("// -----\n")
sys.stdout.write(chunks[index - 1])
