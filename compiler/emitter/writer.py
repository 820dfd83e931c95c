"""Writing a project directory all at once: everything goes to a temporary sibling directory, which
replaces the target only when complete, so a failure leaves nothing half-written. An existing
non-empty target is replaced only when the caller says so (`force`)."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from compiler.errors import CompileError


def check_target(out_dir: Path, force: bool) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise CompileError(f"output path {out_dir} exists and is not a directory")
    if out_dir.is_dir() and any(out_dir.iterdir()) and not force:
        raise CompileError(f"output directory {out_dir} exists and is not empty; use --force to replace it")


def write_tree(out_dir: Path, files: dict[str, str | bytes], force: bool = False) -> None:
    """Write {relative path: content} as the whole content of `out_dir`."""
    out_dir = Path(out_dir)
    check_target(out_dir, force)
    parent = out_dir.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=parent))
    try:
        for relative, content in files.items():
            path = (staging / relative).resolve()
            if not path.is_relative_to(staging.resolve()):
                raise CompileError(f"refusing to write {relative!r} outside the output directory")
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content)
        if out_dir.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old.", dir=parent))
            os.replace(out_dir, old / "tree")
            os.replace(staging, out_dir)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
