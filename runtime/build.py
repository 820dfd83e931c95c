"""Building an emitted HLS project into a shared library for C simulation (g++, no Vitis needed).

Each translation unit is compiled on its own, in parallel, into an object named by the hash of
everything that can change it (its text, the project's headers, the flags), so a rebuild after a
change recompiles only what changed. The `ap_int`/`ap_fixed` headers are ours by default
(`runtime/include`); `headers=` points at another set, e.g. Vitis' own or Xilinx's copy in hls4ml.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

OUR_HEADERS = Path(__file__).resolve().parent / "include"
CXX_FLAGS = ["-std=c++14", "-O2", "-fPIC", "-Wno-unknown-pragmas"]


class BuildError(RuntimeError):
    """g++ failed; the message holds the end of its output."""


def xilinx_headers() -> Path | None:
    """Xilinx's ap_types as shipped in the hls4ml wheel, if installed."""
    try:
        import hls4ml  # noqa: PLC0415 - optional test dependency
    except ImportError:
        return None
    path = Path(hls4ml.__file__).resolve().parent / "templates" / "vivado" / "ap_types"
    return path if path.is_dir() else None


def _sources(project: Path, name: str) -> list[Path]:
    firmware = project / "firmware"
    return [firmware / f"{name}.cpp", *sorted((firmware / "kernels").glob("*.cpp")), project / f"{name}_bridge.cpp"]


def _headers_digest(project: Path, headers: Path) -> str:
    digest = hashlib.sha256()
    for root in (project, headers):
        for path in sorted(root.rglob("*.h")):
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _run(command: list[str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        tail = "\n".join((result.stderr or result.stdout).strip().splitlines()[-25:])
        raise BuildError(f"{' '.join(command[:2])} ... failed:\n{tail}")


def compile_project(
    project: str | os.PathLike[str],
    name: str,
    *,
    headers: str | os.PathLike[str] | None = None,
    jobs: int | None = None,
    extra_flags: list[str] | None = None,
) -> Path:
    """Compile the project's C++ into `<project>/csim/lib<name>-<content hash>.so`; returns its path."""
    project = Path(project).resolve()
    header_dir = Path(headers).resolve() if headers else OUR_HEADERS
    compiler = shutil.which(os.environ.get("CXX", "g++"))
    if compiler is None:
        raise BuildError("no C++ compiler found (install g++ or set CXX)")
    build = project / "csim"
    build.mkdir(exist_ok=True)
    flags = [*CXX_FLAGS, *(extra_flags or []), f"-I{header_dir}", f"-I{project}", f"-I{project / 'firmware'}"]
    common = _headers_digest(project, header_dir) + " ".join(flags) + compiler

    def compile_one(source: Path) -> Path:
        key = hashlib.sha256((common + source.read_text()).encode()).hexdigest()[:20]
        obj = build / f"{source.stem}-{key}.o"
        if not obj.exists():
            tmp = obj.with_suffix(".o.tmp")
            _run([compiler, *flags, "-c", str(source), "-o", str(tmp)])
            tmp.replace(obj)
        return obj

    sources = _sources(project, name)
    workers = jobs or os.cpu_count() or 1
    with ThreadPoolExecutor(max_workers=workers) as pool:
        objects = list(pool.map(compile_one, sources))
    # a library's file name names its content: dlopen returns the library already loaded under a
    # name, so a rebuilt design must not reuse the name of an older one loaded in this process
    key = hashlib.sha256("".join(o.name for o in objects).encode()).hexdigest()[:16]
    library = build / f"lib{name}-{key}.so"
    if not library.exists():
        tmp = build / f"lib{name}-{key}.so.tmp"
        _run([compiler, "-shared", "-o", str(tmp), *map(str, objects)])
        tmp.replace(library)
    return library
