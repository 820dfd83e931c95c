"""Conformance against ONNX's backend node tests: the per-op table (cases, passed, unsupported with
the distinct reasons, wrong, crash, pass rate; overall and for the cases in scope) and the total.
The cases, precision, tolerance and scope are tests/conformance.py's (the pytest tier is
tests/test_onnx_conformance.py).

    python bench/conformance.py [--csim] [--ratios] [--json out.json]

--csim also compiles every passing case with g++ and checks C simulation == emulator bit for bit;
--ratios lists, per passing case, the largest error as a fraction of its tolerance.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import conformance  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csim", action="store_true", help="compile every passing case and compare")
    parser.add_argument("--ratios", action="store_true", help="error / tolerance per passing case")
    parser.add_argument("--json")
    args = parser.parse_args()

    if conformance.data_root() is None:
        sys.exit("onnx's backend node test data is not on disk (install onnx==1.22.0)")
    start = time.perf_counter()
    results = conformance.all_results()
    elapsed = time.perf_counter() - start
    print(f"{len(results)} cases at {conformance.PRECISION}, table size {conformance.TABLE_SIZE}: {elapsed:.1f} s\n")
    print(conformance.format_table(results))
    scoped = [r for r in results if r.in_scope]
    passed = sum(r.status == "pass" for r in scoped)
    print(f"\nin scope: {passed}/{len(scoped)} pass ({100 * passed / len(scoped):.1f} %)")
    out_of_scope: dict[str, int] = {}
    for r in results:
        if not r.in_scope:
            out_of_scope[r.out_of_scope] = out_of_scope.get(r.out_of_scope, 0) + 1
    print(
        "out of scope: " + "; ".join(f"{n} x {why}" for why, n in sorted(out_of_scope.items(), key=lambda kv: -kv[1]))
    )

    under = [(r.case.name, t) for r in results for t in r.tables if t.exact > t.reported * (1 + 1e-6)]
    if under:
        print(f"\ntables whose report max_error is below their exact error ({len(under)}):")
        for name, t in under:
            print(f"  {name}: {t.function} reported {t.reported:.3g}, exact {t.exact:.3g}")

    if args.ratios:
        print("\nerror / tolerance of the passing cases:")
        for r in sorted(results, key=lambda r: -r.ratio):
            if r.status == "pass":
                print(f"  {r.case.name:<60} {r.error:.3g} / {r.tolerance:.3g} = {r.ratio:.3f}")

    csim = {}
    if args.csim:
        start = time.perf_counter()
        for r in results:
            if r.status == "pass":
                try:
                    csim[r.case.name] = conformance.check_csim(r) or "ok"
                except Exception as err:
                    csim[r.case.name] = f"{type(err).__name__}: {err}"
        bad = {k: v for k, v in csim.items() if v != "ok"}
        print(
            f"\nC simulation of {len(csim)} passing cases: {len(csim) - len(bad)} equal the emulator bit for bit "
            f"({time.perf_counter() - start:.1f} s)"
        )
        for name, message in bad.items():
            print(f"  {name}: {message}")

    if args.json:
        Path(args.json).write_text(
            json.dumps(
                [
                    {
                        "case": r.case.name,
                        "op": r.case.op,
                        "status": r.status,
                        "message": r.message,
                        "out_of_scope": r.out_of_scope,
                        "error": r.error,
                        "tolerance": r.tolerance,
                        **({"csim": csim[r.case.name]} if r.case.name in csim else {}),
                    }
                    for r in results
                ],
                indent=1,
            )
            + "\n"
        )


if __name__ == "__main__":
    main()
