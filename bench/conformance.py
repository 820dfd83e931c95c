"""Conformance against ONNX's backend node tests: the per-op table (cases, passed, unsupported with
the distinct reasons, wrong, crash, pass rate over every case and over the cases the compiler is
meant to handle, i.e. all but conformance.EXPECTED_UNSUPPORTED) and the totals; with --json, every
case's outcome as JSON too. The cases, precision, tolerance and expectations are
tests/conformance.py's; the pytest tier is tests/test_onnx_conformance.py.

    python bench/conformance.py [--csim] [--ratios] [--json PATH]

--csim also compiles every passing case with g++ and checks C simulation == emulator bit for bit;
--ratios lists, per passing case, the largest error as a fraction of its tolerance.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import conformance  # noqa: E402


def summary(results: list[conformance.Result], csim: dict[str, str]) -> dict:
    """The table and every case's outcome, as JSON data."""

    def rates(rows: list[conformance.Row], total: conformance.Row) -> list[dict]:
        return [
            {
                "op": row.op,
                "cases": row.cases,
                "pass": row.passed,
                "unsupported": row.unsupported,
                "wrong": row.wrong,
                "crash": row.crash,
                "pass_rate": round(row.rate, 4),
                "counted": row.scoped,
                "counted_pass": row.scoped_passed,
                "counted_pass_rate": round(row.scoped_rate, 4) if row.scoped else None,
            }
            for row in [*rows, total]
        ]

    rows = conformance.table(results)
    total = conformance.Row("total")
    for row in rows:
        total.add(row)
    return {
        "precision": conformance.PRECISION,
        "table_size": conformance.TABLE_SIZE,
        "ops": rates(rows, total),
        "cases": [
            {
                "case": r.case.name,
                "op": r.case.op,
                "status": r.status,
                "message": r.message,
                "expected_unsupported": conformance.EXPECTED_UNSUPPORTED.get(r.case.name),
                "reference_diverges": conformance.REFERENCE_DIVERGES.get(r.case.name),
                "error": r.error,
                "tolerance": r.tolerance,
                **({"csim": csim[r.case.name]} if r.case.name in csim else {}),
            }
            for r in results
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csim", action="store_true", help="compile every passing case and compare")
    parser.add_argument("--ratios", action="store_true", help="error / tolerance per passing case")
    parser.add_argument("--json", metavar="PATH", help="also write the table and every case's outcome as JSON")
    args = parser.parse_args()

    if conformance.data_root() is None:
        sys.exit("onnx's backend node test data is not on disk (install onnx==1.22.0)")
    start = time.perf_counter()
    results = conformance.all_results()
    elapsed = time.perf_counter() - start
    print(f"{len(results)} cases at {conformance.PRECISION}, table size {conformance.TABLE_SIZE}: {elapsed:.1f} s\n")
    print(conformance.format_table(results))
    counted = [r for r in results if r.in_scope]
    passed = sum(r.status == "pass" for r in counted)
    everything = sum(r.status == "pass" for r in results)
    print(
        f"\npass rate: {passed}/{len(counted)} ({100 * passed / len(counted):.1f} %) of the cases the compiler is meant "
        f"to handle; {everything}/{len(results)} ({100 * everything / len(results):.1f} %) of every case"
    )
    excused = Counter(conformance.EXPECTED_UNSUPPORTED[r.case.name] for r in results if not r.in_scope)
    print("expected unsupported: " + "; ".join(f"{n} x {why}" for why, n in excused.most_common()))

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

    csim: dict[str, str] = {}
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
        path = Path(args.json)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(summary(results, csim), indent=1) + "\n")
        print(f"\nwritten: {path}")


if __name__ == "__main__":
    main()
