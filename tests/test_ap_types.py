"""Differential test: runtime/include/ap_*.h against Xilinx's ap_types headers.

One generated C++ program (tests/ap_types_program.py, seeded and deterministic)
is compiled twice, against our headers and against Xilinx's copy shipped in the
hls4ml wheel, and both outputs must match line for line.  Every line is one
check: operand and result bit patterns plus the result types' (W, I, signed).

Inputs deliberately excluded (Xilinx's model is undefined or aborts there):
  * fixed -> integer conversions (to_int(), ap_int<N> = fixed) of types with
    I < 0: Xilinx reads an uninitialised word;
  * ap_int<N> = double for inf / NaN (Xilinx: garbage shifts);
  * the reference is compiled with -DNDEBUG, because without it Xilinx's
    headers hit an assertion (get_bit beyond MSB) whenever a rounding
    conversion drops more fraction bits than the source has.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ap_types_program import build, sources  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OUR_INCLUDE = ROOT / "runtime" / "include"
CXX = os.environ.get("CXX", "g++")
PARTS = {"ours": 1, "xilinx": 3}  # translation units per build (Xilinx's headers compile slowly)


def _need_cxx() -> None:
    if shutil.which(CXX) is None:  # pragma: no cover
        pytest.skip(f"no C++ compiler ({CXX})")


def xilinx_include() -> Path:
    try:
        import hls4ml
    except Exception as exc:  # pragma: no cover - depends on the environment
        pytest.skip(f"hls4ml is not importable ({exc}); Xilinx's reference ap_types headers are unavailable")
    path = Path(hls4ml.__file__).parent / "templates" / "vivado" / "ap_types"
    if not (path / "ap_fixed.h").exists():  # pragma: no cover
        pytest.skip(f"Xilinx ap_types headers not found at {path}")
    return path


def _run(cmd: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)


def _build_all(workdir: Path, calls: list[str], xilinx: Path) -> dict[str, Path]:
    """Compile both programs, all translation units in parallel (2 workers)."""
    builds = {"ours": (OUR_INCLUDE, ["-Wall", "-Wextra"]), "xilinx": (xilinx, ["-w"])}
    jobs, links = [], {}
    for name, (include, warn) in builds.items():
        d = workdir / name
        d.mkdir()
        for fname, text in sources(calls, PARTS[name]).items():
            (d / fname).write_text(text)
        objs = []
        for cpp in sorted(d.glob("*.cpp")):
            obj = cpp.with_suffix(".o")
            objs.append(obj.name)
            jobs.append(
                (
                    os.path.getsize(cpp),
                    name,
                    [CXX, "-std=c++14", "-O1", "-DNDEBUG", *warn, "-I", str(include), "-c", cpp.name, "-o", obj.name],
                    d,
                )
            )
        links[name] = ([CXX, *objs, "-o", "prog"], d)
    jobs.sort(key=lambda j: -j[0])  # biggest first
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda j: (j[1], j[2], _run(j[2], j[3])), jobs))
    for name, cmd, res in results:
        assert res.returncode == 0, f"{name}: compilation failed: {' '.join(cmd)}\n{res.stderr[-6000:]}"
        if name == "ours":  # our headers must compile warning-free with -Wall -Wextra
            ours = [ln for ln in res.stderr.splitlines() if "runtime/include" in ln]
            assert not ours, "warnings in our headers:\n" + "\n".join(ours[:20])
    progs = {}
    for name, (cmd, d) in links.items():
        res = _run(cmd, d)
        assert res.returncode == 0, f"{name}: link failed\n{res.stderr[-3000:]}"
        progs[name] = d / "prog"
    return progs


@pytest.mark.slow  # a program of every ap_fixed/ap_int operation, built with our headers and with Xilinx's
def test_ap_types_match_xilinx(tmp_path):
    _need_cxx()
    xilinx = xilinx_include()
    calls, descr = build()
    t0 = time.time()
    progs = _build_all(tmp_path, calls, xilinx)
    t1 = time.time()
    out = {}
    for name, prog in progs.items():
        res = subprocess.run([str(prog)], capture_output=True, text=True, timeout=120)
        assert res.returncode == 0, f"{name} program failed ({res.returncode}):\n{res.stderr[-3000:]}"
        out[name] = [ln for ln in res.stdout.splitlines() if ln]
    ours, ref = out["ours"], out["xilinx"]
    assert len(ref) > 10000, "reference produced too little output"

    diffs = [(a, b) for a, b in zip(ours, ref) if a != b]
    if diffs or len(ours) != len(ref):
        msg = [
            f"{len(diffs)} of {len(ref)} checks differ ({len(ours)} vs {len(ref)} lines)",
            "line = c<case>:<i>, then operands and results: f<W>.<I><s|u>:<hex bits> (fixed), "
            "i<W><s|u>:<hex bits> (int), %a doubles, 0/1 comparison results (see tests/ap_types_program.py)",
        ]
        seen = set()
        for a, b in diffs:
            case = int(b.split(":")[0][1:])
            if case in seen:
                continue
            seen.add(case)
            msg += [f"case {case}: {descr[case]}", f"   ours:   {a[:500]}", f"   xilinx: {b[:500]}"]
            if len(seen) >= 8:
                break
        pytest.fail("\n".join(msg))
    print(f"\n{len(ref)} checks in {len(calls)} cases identical (compile {t1 - t0:.1f}s)")


SNIPPET = r"""
#include <ap_fixed.h>
#include <ap_int.h>
#include <hls_stream.h>
#include <stdio.h>
static const ap_fixed<16, 6> w[4] = {0.125, -0.5, 3, 1.75f};
static_assert(sizeof(ap_fixed<16, 6>) == 8 && sizeof(ap_uint<100>) == 16, "storage");
// conversions and arithmetic are constexpr (tables are constant-initialised)
static_assert(ap_fixed<16, 6>(0.75) == ap_fixed<16, 6>(3) * ap_ufixed<8, 0>(0.25), "constexpr");
static_assert(ap_fixed<8, 4, AP_RND_CONV, AP_SAT>(-2.53125) == -2.5, "constexpr rounding (tie to even)");
int main() {
#pragma HLS PIPELINE II=1
  static const ap_fixed<16, 6> table[8] = {0, 1, 2, 3, 4, 5, 6, 7};
  hls::stream<ap_fixed<16, 6> > s("s");
  ap_fixed<24, 10> acc = 0;
  for (int i = 0; i < 4; i++) acc += w[i] * w[(i + 1) % 4];
  s << acc;
  s.write(acc * 2);
  ap_fixed<16, 6> r = s.read(), r2;
  s >> r2;
  ap_uint<3> idx = r.range(2, 0);
  float f = r;
  double d = r2;
  printf("%d %g %g %g %d %d\n", (int)idx, (double)table[idx], f, d, (int)s.empty(), (int)s.size());
  fflush(stdout);
  if (s.empty() && !s.full()) s.read();  // must abort with a message
  return 0;
}
"""


@pytest.mark.parametrize("std", ["c++14", "c++17"])
def test_headers_standalone_and_stream(tmp_path, std):
    """Our headers build warning-free (-Wall -Wextra -Werror), are constexpr-usable,
    and hls::stream works (reading an empty stream aborts with a message)."""
    _need_cxx()
    src = tmp_path / "snippet.cpp"
    src.write_text(SNIPPET)
    res = _run(
        [
            CXX,
            f"-std={std}",
            "-O1",
            "-Wall",
            "-Wextra",
            "-Werror",
            "-Wno-unknown-pragmas",
            "-I",
            str(OUR_INCLUDE),
            src.name,
            "-o",
            "snippet",
        ],
        tmp_path,
    )
    assert res.returncode == 0, res.stderr
    res = subprocess.run([str(tmp_path / "snippet")], capture_output=True, text=True, timeout=30)
    assert res.stdout.split() == ["0", "0", "3.90625", "7.8125", "1", "0"], res.stdout
    assert res.returncode != 0 and "empty" in res.stderr and "'s'" in res.stderr, (res.returncode, res.stderr)
