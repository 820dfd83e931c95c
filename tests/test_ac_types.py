"""Differential test: runtime/include/ac_*.h against the real Algorithmic C (AC) headers.

One generated C++ program (tests/ac_types_program.py, seeded and deterministic) is compiled
twice, against our headers and against the AC headers shipped in the hls4ml wheel
(templates/catapult/ac_types/include, version 4.8), and both outputs must match line for line.
Every line is one check: operand and result bit patterns plus the result types' (W, I, signed).
Covered: double -> ac_fixed / ac_int for every rounding x overflow mode (ties, near-ties, values
far outside the range, subnormals), ac_fixed / ac_int -> ac_fixed for every mode (narrowing,
widening, signed <-> unsigned, negative I, I > W, widths 1..128), + - * and unary minus with
mixed signedness and widths and their result types, compound assignment, C-integer operands,
comparisons (signed vs unsigned, against 0, the ReLU ternary), to_double, to_int, slc, ac_int
wrapping, ++ and --, and an ac_channel round trip.  The reference is built without NDEBUG, so
an AC assertion would fail the test.

Where AC and Xilinx's ap types differ (our ac headers reuse the ap rounding / overflow core),
the AC behaviour is what is checked: exact comparisons (no C-like signed/unsigned conversion),
double -> fixed that first scales the double (a tiny double whose scaled value underflows is 0),
to_double() accumulated 32 bits at a time as AC does (not correctly rounded beyond 64 bits),
to_int() rounding toward minus infinity, ac_int(double) rounding toward minus infinity.

Inputs deliberately excluded (AC is undefined, asserts or does not compile there):
  * double -> ac_fixed / ac_int for inf, NaN, or a double whose scaled value overflows
    (AC converts inf / NaN to unsigned: undefined); ours treats them as huge values of their
    sign, as our ap_fixed does;
  * slc() with a negative index (AC asserts); ours reads index & 0x7fffffff like AC with NDEBUG;
  * to_int() / to_int64() / to_ac_int() of types with I > 64 (AC does not compile them);
  * reading an empty ac_channel (AC asserts); ours throws nn2hls_ac::channel_error
    (test_headers_standalone_and_channel);
  * AC_RND_CONV_ODD, widths and arithmetic results over 128 bits: AC supports them, ours
    rejects them at compile time (test_rejected_at_compile_time);
  * default-constructed values are uninitialised in both.
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
from ac_types_program import build, sources  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OUR_INCLUDE = ROOT / "runtime" / "include"
CXX = os.environ.get("CXX", "g++")
# our headers as runtime/build.py compiles them; the reference at -O1 (it compiles slowly)
FLAGS = {
    "ours": ["-std=c++14", "-O2", "-ffp-contract=off", "-Wall", "-Wextra"],
    "reference": ["-std=c++14", "-O1", "-ffp-contract=off", "-w"],
}
PARTS = {"ours": 2, "reference": 3}  # translation units per build, compiled 2 at a time


def _need_cxx() -> None:
    if shutil.which(CXX) is None:  # pragma: no cover
        pytest.skip(f"no C++ compiler ({CXX})")


def ac_include() -> Path:
    try:
        import hls4ml
    except Exception as exc:  # pragma: no cover - depends on the environment
        pytest.skip(f"hls4ml is not importable ({exc}); the reference AC headers are unavailable")
    path = Path(hls4ml.__file__).parent / "templates" / "catapult" / "ac_types" / "include"
    if not (path / "ac_fixed.h").exists():  # pragma: no cover
        pytest.skip(f"AC headers not found at {path}")
    return path


def _run(cmd: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)


def _build_all(workdir: Path, calls: list[str], reference: Path, parts_scale: int) -> dict[str, Path]:
    """Compile both programs, all translation units in parallel (2 workers)."""
    includes = {"ours": OUR_INCLUDE, "reference": reference}
    jobs, links = [], {}
    for name, include in includes.items():
        d = workdir / name
        d.mkdir()
        for fname, text in sources(calls, PARTS[name] * parts_scale).items():
            (d / fname).write_text(text)
        objs = []
        for cpp in sorted(d.glob("*.cpp")):
            obj = cpp.with_suffix(".o")
            objs.append(obj.name)
            cmd = [CXX, *FLAGS[name], "-I", str(include), "-c", cpp.name, "-o", obj.name]
            jobs.append((os.path.getsize(cpp) * (2 if name == "reference" else 1), name, cmd, d))
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


def _differential(tmp_path: Path, seed: int, scale: int, min_lines: int) -> None:
    _need_cxx()
    reference = ac_include()
    calls, descr = build(seed=seed, scale=scale)
    t0 = time.time()
    progs = _build_all(tmp_path, calls, reference, parts_scale=scale)
    t1 = time.time()
    out = {}
    for name, prog in progs.items():
        res = subprocess.run([str(prog)], capture_output=True, text=True, timeout=300)
        assert res.returncode == 0, f"{name} program failed ({res.returncode}):\n{res.stderr[-3000:]}"
        out[name] = [ln for ln in res.stdout.splitlines() if ln]
    ours, ref = out["ours"], out["reference"]
    assert len(ref) > min_lines, "reference produced too little output"

    diffs = [(a, b) for a, b in zip(ours, ref) if a != b]
    if diffs or len(ours) != len(ref):
        msg = [
            f"{len(diffs)} of {len(ref)} checks differ ({len(ours)} vs {len(ref)} lines)",
            "line = c<case>:<i>, then operands and results: f<W>.<I><s|u>:<hex bits> (ac_fixed), "
            "i<W><s|u>:<hex bits> (ac_int), %a doubles, 0/1 comparison results (see tests/ac_types_program.py)",
        ]
        seen = set()
        for a, b in diffs:
            case = int(b.split(":")[0][1:])
            if case in seen:
                continue
            seen.add(case)
            msg += [f"case {case}: {descr[case]}", f"   ours: {a[:500]}", f"   AC:   {b[:500]}"]
            if len(seen) >= 8:
                break
        pytest.fail("\n".join(msg))
    print(f"\n{len(ref)} checks in {len(calls)} cases identical (compile {t1 - t0:.1f}s)")


def test_ac_types_match_the_real_headers(tmp_path):
    """The default tier: about 180 cases, 10k checks."""
    _differential(tmp_path, seed=20240611, scale=1, min_lines=8000)


@pytest.mark.slow  # four times the types, mode pairs and values, another seed
def test_ac_types_match_the_real_headers_exhaustive(tmp_path):
    _differential(tmp_path, seed=7, scale=4, min_lines=80000)


SNIPPET = r"""
#include <ap_fixed.h>
#include <ap_int.h>
#include <hls_stream.h>
#include <ac_fixed.h>
#include <ac_int.h>
#include <ac_channel.h>
#include <math.h>
#include <stdio.h>
typedef ac_fixed<16, 6, true, AC_RND_CONV, AC_SAT> w_t;
static const ac_fixed<16, 6> w[4] = {0.125, -0.5, 3, 1.75};
static const w_t table[3] = {-2.53125, 0.1, 100};
static_assert(sizeof(ac_fixed<16, 6>) == 8 && sizeof(ac_int<100, false>) == 16, "storage");
// conversions, arithmetic and comparisons are constexpr (tables are constant-initialised)
static_assert(ac_fixed<16, 6>(0.75) == ac_fixed<16, 6>(3) * ac_fixed<8, 0, false>(0.25), "constexpr");
static_assert(ac_fixed<8, 4, true, AC_RND_CONV, AC_SAT>(-2.53125) == ac_fixed<8, 4>(-2.5), "tie to even");
static_assert(ac_fixed<8, 4, false>(1) > ac_fixed<8, 4, true>(-1), "exact signed/unsigned comparison");
static_assert(ac_int<8, false>(200) > ac_int<32, true>(-1) && ac_int<4, false>(17) == 1, "ac_int");
int main() {
  ac_fixed<24, 10> acc = 0;
  for (int i = 0; i < 4; i++) acc += w[i] * w[(i + 1) % 4];
  ac_channel<ac_fixed<24, 10> > ch;
  ch.write(acc);
  ch.write(acc * 2);
  ac_fixed<24, 10> r = ch.read(), r2;
  ch.read(r2);
  ac_int<3, false> idx = ac_int<3, false>(r.slc<3>(10));  // 3.90625 * 2^14 = 64000
  int lut[8] = {0, 1, 2, 3, 4, 5, 6, 7};
  ac_fixed<8, 4> neg = -1.5;
  ac_fixed<8, 4> relu = neg > 0 ? neg : ac_fixed<8, 4>(0);
  ac_fixed<8, 4, true, AC_TRN, AC_SAT> inf = HUGE_VAL;  // (excluded from the differential test)
  ap_fixed<8, 4> ap = -1.5;  // the ap types in the same translation unit
  printf("%d %d %g %g %d %d %g %d %d %g %g\n", idx.to_int(), lut[idx], r.to_double(), r2.to_double(),
         int(ch.empty()), int(ch.size()), relu.to_double(), neg.to_int(), int(ch.available(0)),
         inf.to_double(), table[0].to_double() + ap.to_double());
  fflush(stdout);
  try {
    ch.read();
  } catch (const std::exception& e) {
    printf("%s\n", e.what());
    return 3;
  }
  return 0;
}
"""


@pytest.mark.parametrize("std", ["c++14", "c++17"])
def test_headers_standalone_and_channel(tmp_path, std):
    """Our ac headers build warning-free (-Wall -Wextra -Werror) together with our ap headers,
    are constexpr-usable, and reading an empty ac_channel throws an exception saying so."""
    _need_cxx()
    (tmp_path / "snippet.cpp").write_text(SNIPPET)
    flags = [f"-std={std}", "-O2", "-ffp-contract=off", "-Wall", "-Wextra", "-Werror"]
    res = _run([CXX, *flags, "-I", str(OUR_INCLUDE), "snippet.cpp", "-o", "snippet"], tmp_path)
    assert res.returncode == 0, res.stderr
    res = subprocess.run([str(tmp_path / "snippet")], capture_output=True, text=True, timeout=30)
    lines = res.stdout.splitlines()
    assert lines[0].split() == ["6", "6", "3.90625", "7.8125", "1", "0", "0", "-2", "1", "7.9375", "-4.03125"], lines
    assert res.returncode == 3 and "empty channel" in lines[1], (res.returncode, res.stdout, res.stderr)


REJECTED = {
    "conv_odd": ("ac_fixed<8, 4, true, AC_RND_CONV_ODD> x = 0.5;", "AC_RND_CONV_ODD is not supported"),
    "width": ("ac_fixed<129, 4> x = 0.5;", "widths 1..128 only"),
    "result": ("ac_fixed<100, 4> a = 1; ac_int<40> b = 2; auto x = a * b;", "widths 1..128 only"),
}


@pytest.mark.parametrize("case", REJECTED)
def test_rejected_at_compile_time(tmp_path, case):
    """What our headers do not implement is a compile-time error naming the reason."""
    _need_cxx()
    body, message = REJECTED[case]
    (tmp_path / "bad.cpp").write_text(f"#include <ac_fixed.h>\nint main() {{\n  {body}\n  (void)x;\n}}\n")
    res = _run([CXX, "-std=c++14", "-fsyntax-only", "-I", str(OUR_INCLUDE), "bad.cpp"], tmp_path)
    assert res.returncode != 0 and message in res.stderr, res.stderr[-2000:]
