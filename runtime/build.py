"""Building an emitted HLS project into a shared library for C simulation (g++, no Vitis needed).

The translation units are compiled in as many groups as there are parallel jobs, each group one
g++ process over a generated file that includes its sources (a unity build: the headers are parsed
once per group instead of once per kernel, the compiler starts `jobs` times instead of once per
kernel). Each group's object is named by the hash of everything that can change it (its sources,
the project's headers, the flags), so an unchanged project is not rebuilt. The sources share one
C++ namespace (the emitter gives every global name once), which is what makes grouping them legal.
The code is compiled for the host CPU (`-march=native` where the compiler takes it; the object
names then include the CPU's identity): the arithmetic is integer and the few double operations
are exact, so this changes speed, never a result. The `ap_int`/`ap_fixed` headers are ours by
default (`runtime/include`); `headers=` points at another set, e.g. Vitis' own or Xilinx's copy
in hls4ml.
"""

from __future__ import annotations

import functools
import hashlib
import os
import platform
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

OUR_HEADERS = Path(__file__).resolve().parent / "include"
CXX_FLAGS = ["-std=c++14", "-O2", "-fPIC", "-ffp-contract=off", "-Wno-unknown-pragmas"]
NATIVE_FLAGS = ["-march=native"]


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


def _group(sources: list[Path], project: Path, n: int) -> list[list[Path]]:
    """`sources` in at most n groups of about equal cost (a kernel's text with its weights header),
    largest first onto the least loaded group; deterministic."""

    def cost(source: Path) -> int:
        weights = project / "firmware" / "weights" / f"{source.stem}.h"
        return source.stat().st_size + (
            weights.stat().st_size if source.parent.name == "kernels" and weights.exists() else 0
        )

    groups: list[list[Path]] = [[] for _ in range(max(1, min(n, len(sources))))]
    loads = [0] * len(groups)
    for source in sorted(sources, key=lambda s: (-cost(s), str(s))):
        lightest = loads.index(min(loads))
        groups[lightest].append(source)
        loads[lightest] += cost(source)
    return [sorted(g, key=sources.index) for g in groups if g]


@functools.cache
def native_flags(compiler: str) -> tuple[list[str], str]:
    """NATIVE_FLAGS if `compiler` accepts them (with what identifies this CPU), else none."""
    with tempfile.TemporaryDirectory(prefix="nn2hls_probe_") as scratch:
        source = Path(scratch) / "probe.cpp"
        source.write_text("int probe() { return 0; }\n")
        command = [compiler, *NATIVE_FLAGS, "-c", str(source), "-o", str(Path(scratch) / "probe.o")]
        if subprocess.run(command, capture_output=True).returncode != 0:
            return [], ""
    try:  # the model and feature flags (not the clock, which changes), where Linux tells them
        lines = Path("/proc/cpuinfo").read_text().split("\n\n")[0].splitlines()
        cpu = "\n".join(line for line in lines if line.split(":")[0].strip() in ("model name", "flags", "Features"))
    except OSError:
        cpu = ""
    identity = f"{platform.machine()} {platform.processor()} {cpu}"
    return list(NATIVE_FLAGS), hashlib.sha256(identity.encode()).hexdigest()


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
    native, cpu = native_flags(compiler)
    flags = [*CXX_FLAGS, *native, *(extra_flags or []), f"-I{header_dir}", f"-I{project}", f"-I{project / 'firmware'}"]
    common = _headers_digest(project, header_dir) + " ".join(flags) + compiler + cpu

    def compile_group(group: list[Path]) -> Path:
        # the sources by their path from csim/: file names are plain identifiers (see the emitter)
        text = "".join(f'#include "../{source.relative_to(project).as_posix()}"\n' for source in group)
        contents = "".join(source.relative_to(project).as_posix() + source.read_text() for source in group)
        key = hashlib.sha256((common + contents).encode()).hexdigest()[:20]
        obj = build / f"{group[0].stem}-{key}.o"
        if not obj.exists():
            unity = build / f"{group[0].stem}-{key}.cpp"
            unity.write_text(text)
            tmp = obj.with_suffix(".o.tmp")
            _run([compiler, *flags, "-c", str(unity), "-o", str(tmp)])
            tmp.replace(obj)
        return obj

    sources = _sources(project, name)
    workers = jobs or os.cpu_count() or 1
    with ThreadPoolExecutor(max_workers=workers) as pool:
        objects = list(pool.map(compile_group, _group(sources, project, workers)))
    # a library's file name names its content: dlopen returns the library already loaded under a
    # name, so a rebuilt design must not reuse the name of an older one loaded in this process
    key = hashlib.sha256("".join(o.name for o in objects).encode()).hexdigest()[:16]
    library = build / f"lib{name}-{key}.so"
    if not library.exists():
        tmp = build / f"lib{name}-{key}.so.tmp"
        _run([compiler, "-shared", "-o", str(tmp), *map(str, objects)])
        tmp.replace(library)
    return library
