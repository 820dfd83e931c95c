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
import shlex
import shutil
import subprocess
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from dialects.errors import CompileError

OUR_HEADERS = Path(__file__).resolve().parent / "include"
CXX_FLAGS = ["-std=c++14", "-O2", "-fPIC", "-ffp-contract=off", "-Wno-unknown-pragmas"]
NATIVE_FLAGS = ["-march=native"]


class BuildError(RuntimeError):
    """The C++ compiler rejected the generated C++ (our bug, never the user's): the message names
    the first error and the log file with the compiler's whole output (`<project>/csim/build.log`)."""


def find_compiler() -> str:
    """The C++ compiler to use: $CXX, else g++. A missing one is the user's to fix: CompileError."""
    wanted = os.environ.get("CXX")
    found = shutil.which(wanted or "g++")
    if found is None:
        hint = f"CXX={wanted!r} is not an executable program; " if wanted else ""
        raise CompileError(f"no C++ compiler found: {hint}install g++ or set CXX")
    return found


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


def _probe(compiler: str, flags: list[str]) -> str | None:
    """Compile an empty function with `flags`: None if that works, else the compiler's first line."""
    with tempfile.TemporaryDirectory(prefix="nn2hls_probe_") as scratch:
        source = Path(scratch) / "probe.cpp"
        source.write_text("int probe() { return 0; }\n")
        command = [compiler, *flags, "-c", str(source), "-o", str(Path(scratch) / "probe.o")]
        result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode == 0:
        return None
    return ((result.stderr or result.stdout).strip().splitlines() or [f"exit status {result.returncode}"])[0]


@functools.cache
def native_flags(compiler: str) -> tuple[list[str], str]:
    """NATIVE_FLAGS if `compiler` accepts them (with what identifies this CPU), else none. A compiler
    that cannot compile an empty function at all is the user's to fix: CompileError."""
    if _probe(compiler, NATIVE_FLAGS) is not None:
        failure = _probe(compiler, [])
        if failure is not None:
            raise CompileError(
                f"the C++ compiler {compiler} does not work ({failure[:200]}): install g++ or set CXX to a C++ compiler"
            )
        return [], ""
    try:  # the model and feature flags (not the clock, which changes), where Linux tells them
        lines = Path("/proc/cpuinfo").read_text().split("\n\n")[0].splitlines()
        cpu = "\n".join(line for line in lines if line.split(":")[0].strip() in ("model name", "flags", "Features"))
    except OSError:
        cpu = ""
    identity = f"{platform.machine()} {platform.processor()} {cpu}"
    return list(NATIVE_FLAGS), hashlib.sha256(identity.encode()).hexdigest()


class _Log:
    """`csim/build.log`: the full output of every compiler command that failed in this build."""

    def __init__(self, path: Path):
        self.path = path
        self.lock = threading.Lock()
        path.unlink(missing_ok=True)  # a log is about the last build only

    def run(self, command: list[str], what: str) -> None:
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode == 0:
            return
        output = "\n".join(part for part in (result.stdout, result.stderr) if part.strip())
        with self.lock:
            with self.path.open("a") as log:
                log.write(f"$ {shlex.join(command)}\n(exit status {result.returncode})\n{output}\n")
        # the sources are included from csim/ as ../firmware/...: name them from the project
        lines = [line.strip().replace(f"{self.path.parent}/../", "") for line in output.splitlines() if line.strip()]
        first = next((line for line in lines if "error" in line or "undefined reference" in line), None)
        tool = Path(command[0]).name
        if result.returncode < 0:
            verdict = f"{tool} was killed by signal {-result.returncode} on {what}"
        else:
            verdict = f"{tool} rejected {what}"
        raise BuildError(f"{verdict}: {(first or (lines or ['no output'])[0])[:300]} (full output in {self.path})")


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
    compiler = find_compiler()
    build = project / "csim"
    build.mkdir(exist_ok=True)
    log = _Log(build / "build.log")
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
            log.run([compiler, *flags, "-c", str(unity), "-o", str(tmp)], "the generated C++")
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
        log.run(
            [compiler, "-shared", *(extra_flags or []), "-o", str(tmp), *map(str, objects)],
            "the objects of the generated C++",
        )
        tmp.replace(library)
    return library
