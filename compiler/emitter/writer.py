"""Writing a project directory all at once: everything goes to a temporary sibling directory, which
replaces the target only when complete, so a failure leaves nothing half-written (and a replaced
directory is restored). An existing non-empty target is replaced only when the caller says so
(`force`), and never when it holds the current directory. File names must stay inside the target."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from dialects.errors import CompileError


def check_target(out_dir: Path, force: bool, inputs: Iterable[str | os.PathLike[str]] = ()) -> None:
    """Fail, before any work, if `out_dir` cannot or must not be (re)placed by a project: it is a
    file, holds the current directory or one of the `inputs` files, or is not empty (unless `force`)."""
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise CompileError(f"output path {out_dir} exists and is not a directory")
    if not out_dir.is_dir():
        return
    resolved, cwd = out_dir.resolve(), Path.cwd().resolve()
    if resolved == cwd or resolved in cwd.parents:
        raise CompileError(f"output directory {out_dir} holds the current directory; choose another one")
    for path in inputs:
        try:
            inside = Path(path).resolve().is_relative_to(resolved) and Path(path).exists()
        except (OSError, ValueError):  # not a file name (inline JSON, say)
            continue
        if inside:
            raise CompileError(f"output directory {out_dir} holds the input {path}; choose another one")
    if any(out_dir.iterdir()) and not force:
        raise CompileError(f"output directory {out_dir} exists and is not empty; use --force to replace it")


def write_tree(out_dir: Path, files: dict[str, str | bytes], force: bool = False) -> None:
    """Write {relative path: content} as the whole content of `out_dir`."""
    out_dir = Path(os.path.abspath(out_dir))  # `a/..` names its real parent, as `rename` needs
    check_target(out_dir, force)
    if out_dir.is_symlink() and out_dir.is_dir():
        out_dir = out_dir.resolve()  # write into the directory it names, keeping the link
    try:
        parent = out_dir.resolve().parent
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=parent))
    except OSError as err:
        raise CompileError(f"cannot write {out_dir}: {err.strerror or err}") from None
    try:
        root = staging.resolve()
        for relative, content in files.items():
            path = (staging / relative).resolve()
            if Path(relative).is_absolute() or not path.is_relative_to(root) or path == root:
                raise CompileError(f"refusing to write {relative!r} outside the output directory")
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content)
        _replace(out_dir, staging, parent)
    except OSError as err:
        raise CompileError(f"cannot write {out_dir}: {err.strerror or err}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # gone already when it became out_dir


def _replace(out_dir: Path, staging: Path, parent: Path) -> None:
    """Move `staging` to `out_dir`; a directory already there is moved aside, then deleted, or put
    back if the move fails."""
    if not out_dir.exists():
        os.replace(staging, out_dir)
        return
    aside = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old.", dir=parent))
    try:
        os.replace(out_dir, aside / "tree")
    except OSError:
        aside.rmdir()
        raise
    try:
        os.replace(staging, out_dir)
    except OSError:
        os.replace(aside / "tree", out_dir)  # put the old directory back
        aside.rmdir()
        raise
    shutil.rmtree(aside, ignore_errors=True)
