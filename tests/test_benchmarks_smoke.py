"""Smoke tests of benchmarks/: every workload once, on tiny sizes, on every engine.

Nothing here measures speed (timings are never asserted). The tests check that each engine's loss
and gradients match the float64 reference, that the reference itself matches PyTorch in float64,
that a wrong gradient is caught (of the other NumPy engines too), and that the harness
(``benchmarks/run.py``) runs end to end.

The other NumPy engines, HIPS autograd and MyGrad, run here as well (W1, W2 and W2t): they are in
pyproject's `test` extra, and a missing one fails these tests; nothing is skipped.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import autograd.core
import autograd.numpy as anp
import mygrad.math.hyperbolic_trig.ops
import mygrad.math.misc.ops
import numpy as np
import pytest
import torch

import minigrad

REPO_ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = REPO_ROOT / "benchmarks"


def _load(name: str, module_name: str | None = None) -> ModuleType:
    """Import benchmarks/<name>.py (benchmarks/ is a folder of scripts, not a package)."""
    if str(BENCHMARKS) not in sys.path:
        sys.path.insert(0, str(BENCHMARKS))  # run.py imports its sibling workloads.py
    module_name = module_name or name
    spec = importlib.util.spec_from_file_location(module_name, BENCHMARKS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module


workloads = _load("workloads")
run = _load("run", "benchmarks_run")

IDS = list(workloads.WORKLOADS)
PEERS = ["autograd", "mygrad"]  # the other NumPy engines: workloads.build imports them by name
ENGINES = {"minigrad": minigrad, "numpy": "numpy", "torch": torch, **{e: e for e in PEERS}}
PAIRS = [(wid, e) for wid in IDS for e in ENGINES if e not in PEERS or wid in run.PEER_IDS]


def test_every_workload_of_the_issue_is_there() -> None:
    assert IDS == ["W1", "W2", "W2t", "W3", "W4"]
    assert list(workloads.EXTRA_ROWS) == ["W5", "NB"]
    assert run.ALL_IDS == [*IDS, "W5", "NB"]
    assert run.ENGINES == list(ENGINES)
    assert list(run.PEERS) == PEERS
    assert run.PEER_IDS == ["W1", "W2", "W2t"]
    assert {wid for wid, w in workloads.WORKLOADS.items() if w.peers} == set(run.PEER_IDS)
    assert all(sorted(workloads.WORKLOADS[wid].peers) == PEERS for wid in run.PEER_IDS)


def test_the_peers_are_installed_at_the_pinned_versions() -> None:
    from importlib import metadata

    assert {name: metadata.version(name) for name in PEERS} == run.PEERS


@pytest.mark.parametrize(("wid", "engine"), PAIRS)
def test_engine_matches_the_float64_reference_then_steps(wid: str, engine: str) -> None:
    w = workloads.WORKLOADS[wid]
    data = w.setup(smoke=True)
    ref = workloads.reference(w, data)
    runner = workloads.build(w, ENGINES[engine], data)
    errors = workloads.check(w, runner.outputs(), data, ref)
    assert max(errors.values()) <= w.tol, errors
    runner.step()  # the timed unit runs too, and leaves finite numbers behind
    after = runner.outputs()
    assert all(np.all(np.isfinite(v)) for v in after.values())


@pytest.mark.parametrize("wid", ["W2", "W2t"])
@pytest.mark.parametrize("engine", list(ENGINES))
def test_a_training_step_lowers_the_loss(wid: str, engine: str) -> None:
    # (the peers too: their SGD updates the parameters in place)
    w = workloads.WORKLOADS[wid]
    runner = workloads.build(w, ENGINES[engine], w.setup(smoke=True))
    before = float(runner.outputs()["loss"])
    for _ in range(3):
        runner.step()
    assert float(runner.outputs()["loss"]) < before


@pytest.mark.parametrize("wid", IDS)
def test_the_reference_matches_torch_in_float64(wid: str) -> None:
    # The hand-written backward passes are checked against PyTorch's autograd, tightly.
    w = workloads.WORKLOADS[wid]
    data = w.setup(smoke=True)
    data64 = {
        k: v.astype(np.float64) if isinstance(v, np.ndarray) and v.dtype == np.float32 else v
        for k, v in data.items()
    }
    errors = workloads.check(w, w.build(torch, data64).outputs(), data)
    # W3's reference uses 1.0001 and 0.0001 rounded to float32, as the float32 engines see them;
    # torch in float64 uses the exact constants: 1,500 multiplications differ by about 2.5e-5.
    tol = 1e-4 if wid == "W3" else 1e-12
    assert max(errors.values()) < tol, errors


def test_the_w1_gradient_does_not_vanish() -> None:
    # Full size: after 1,000 ops the gradient must still be large enough to be a real check.
    w = workloads.WORKLOADS["W1"]
    ref = workloads.reference(w, w.setup(smoke=False))
    assert np.abs(ref["dx"]).max() > 1e-3


def test_w3_smoke_is_deeper_than_the_recursion_limit() -> None:
    assert workloads.WORKLOADS["W3"].setup(smoke=True)["n_ops"] > sys.getrecursionlimit()


def test_check_catches_a_wrong_gradient_and_a_wrong_shape() -> None:
    w = workloads.WORKLOADS["W2t"]
    data = w.setup(smoke=True)
    out = workloads.build(w, "numpy", data).outputs()
    wrong = dict(out, dW2=out["dW2"] * 1.01)
    assert workloads.check(w, wrong, data)["dW2"] > w.tol
    with pytest.raises(ValueError, match="shape"):
        workloads.check(w, dict(out, dW1=out["dW1"].T), data)
    with pytest.raises(ValueError, match="outputs"):
        workloads.check(w, {k: v for k, v in out.items() if k != "db3"}, data)


def _wrong_autograd_vjp(monkeypatch: pytest.MonkeyPatch, primitive: object) -> None:
    """Make HIPS autograd's gradient through ``primitive`` 1% too large."""
    right = autograd.core.primitive_vjps[primitive]

    def wrong(argnums, ans, args, kwargs):  # autograd's vjpmaker
        vjp = right(argnums, ans, args, kwargs)
        return lambda g: tuple(1.01 * v for v in vjp(g))

    monkeypatch.setitem(autograd.core.primitive_vjps, primitive, wrong)


def _wrong_mygrad_backward(monkeypatch: pytest.MonkeyPatch, op: type) -> None:
    """Make MyGrad's gradient through the operation class ``op`` 1% too large."""
    right = op.backward_var

    def wrong(self, grad, index, **kwargs):  # MyGrad's Operation.backward_var
        return 1.01 * right(self, grad, index, **kwargs)

    monkeypatch.setattr(op, "backward_var", wrong)


MUTANTS = {
    ("W1", "autograd"): lambda mp: _wrong_autograd_vjp(mp, anp.tanh),
    ("W1", "mygrad"): lambda mp: _wrong_mygrad_backward(mp, mygrad.math.hyperbolic_trig.ops.Tanh),
    ("W2t", "autograd"): lambda mp: _wrong_autograd_vjp(mp, anp.matmul),
    ("W2t", "mygrad"): lambda mp: _wrong_mygrad_backward(mp, mygrad.math.misc.ops.MatMul),
}


@pytest.mark.parametrize(("wid", "engine"), list(MUTANTS))
def test_check_catches_a_peer_s_wrong_gradient(
    wid: str, engine: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A mutant: the peer's own gradient of one operation (tanh, matmul) made 1% too large.
    w = workloads.WORKLOADS[wid]
    data = w.setup(smoke=True)
    ref = workloads.reference(w, data)
    MUTANTS[wid, engine](monkeypatch)
    errors = workloads.check(w, workloads.build(w, engine, data).outputs(), data, ref)
    wrong = {name for name, error in errors.items() if error > w.tol}
    assert wrong and "loss" not in wrong, errors  # the loss is right, a gradient is not
    monkeypatch.undo()
    errors = workloads.check(w, workloads.build(w, engine, data).outputs(), data, ref)
    assert max(errors.values()) <= w.tol, errors


def test_two_moons_is_deterministic_and_balanced() -> None:
    X1, y1 = workloads.two_moons(100, 0.1, np.random.default_rng(0))
    X2, y2 = workloads.two_moons(100, 0.1, np.random.default_rng(0))
    assert X1.dtype == np.float32 and X1.shape == (100, 2)
    np.testing.assert_array_equal(X1, X2)
    assert (y1 == 1).sum() == (y1 == -1).sum() == 50


def _run_one(*args: str) -> dict:
    env = run.child_env(args[0])  # threads pinned, minigrad importable from the source tree
    wid, engine, *rest = args
    cmd = [
        sys.executable,
        str(BENCHMARKS / "run.py"),
        "--one",
        wid,
        "--engine",
        engine,
        *rest,
        "--smoke",
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=REPO_ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr
    line = proc.stdout.strip().splitlines()[-1]
    assert line.startswith(run.RESULT_PREFIX)
    return json.loads(line[len(run.RESULT_PREFIX) :])


def test_run_one_times_a_workload_in_its_own_process() -> None:
    result = _run_one("W3", "minigrad")
    assert result["recursion_limit"] == 1000
    assert result["steps"] >= 1
    assert 0 < result["min_s"] <= result["q1_s"] <= result["median_s"] <= result["q3_s"]


@pytest.mark.parametrize("engine", ["minigrad", *PEERS])
def test_run_one_checks_numbers(engine: str) -> None:
    result = _run_one("W2t", engine, "--check")
    assert result["ok"] is True
    assert set(result["errors"]) == {"loss", "dW1", "db1", "dW2", "db2", "dW3", "db3"}


def test_run_one_measures_memory_with_gc_off() -> None:
    result = _run_one("W5", "minigrad")
    assert result["steps"] == 20
    assert 0 < result["start_bytes"] <= result["peak_bytes"]
    assert result["end_bytes"] <= result["peak_bytes"]


def test_notebooks_are_executed_in_a_fresh_kernel_and_failures_reported(tmp_path: Path) -> None:
    import nbformat

    cells = ["import minigrad\nminigrad.ones(2).sum()", "1 / 0"]  # minigrad imports, then fails
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nbformat.write(nb, tmp_path / "bad.ipynb")
    result = run.one_notebooks(tmp_path)
    assert list(result["per_notebook"]) == ["bad.ipynb"]
    assert result["total_s"] == result["per_notebook"]["bad.ipynb"] > 0
    assert list(result["failed"]) == ["bad.ipynb"]
    assert "ZeroDivisionError" in result["failed"]["bad.ipynb"]
    summary = run.summarise({"NB": {"minigrad": [result]}})
    assert run.evaluate("NB", summary["NB"])[0] is False


def _fake_runs(
    mg: float, np_: float, th: float, ag: float | None = 2.0, my: float | None = 2.0
) -> dict:
    """Runs of every engine, with the times given (the peers on W1, W2, W2t; None: not run)."""

    def timed(t: float) -> list[dict]:
        return [{"median_s": t, "steps": 1, "recursion_limit": 1000, "n_ops": 1000}]

    def memory(peak: int, growth: int) -> list[dict]:
        keys = ["start_bytes", "warm_bytes", "end_bytes", "peak_bytes", "growth_bytes", "seconds"]
        values = [peak - growth, peak - growth, peak, peak, growth, 1.0]
        return [
            dict(zip(keys, values, strict=True), samples=[(0, peak - growth), (20, peak)], steps=20)
        ]

    runs = {wid: {"minigrad": timed(mg), "numpy": timed(np_), "torch": timed(th)} for wid in IDS}
    for wid in run.PEER_IDS:
        runs[wid].update({e: timed(t) for e, t in [("autograd", ag), ("mygrad", my)] if t})
    runs["W5"] = {"minigrad": memory(140, 0), "numpy": memory(100, 0), "torch": memory(300, 0)}
    runs["NB"] = {"minigrad": [{"total_s": 30.0, "per_notebook": {"a.ipynb": 30.0}}]}
    return runs


def test_goals_are_judged_by_the_issue_s_thresholds() -> None:
    summary = run.summarise(_fake_runs(mg=1.1, np_=1.0, th=1.2))
    assert run.evaluate("W4", summary["W4"])[0] is False  # 1.1 > 1.05 x NumPy
    assert run.evaluate("W3", summary["W3"])[0] is True  # below torch, at the default limit
    assert run.evaluate("W5", summary["W5"])[0] is True  # 1.4 x NumPy's peak, flat
    assert run.evaluate("NB", summary["NB"])[0] is True
    slower = run.summarise(_fake_runs(mg=1.3, np_=1.0, th=1.2))
    assert run.evaluate("W3", slower["W3"])[0] is False


@pytest.mark.parametrize("wid", ["W1", "W2", "W2t"])
def test_w1_w2_w2t_goal_is_to_beat_every_other_numpy_engine(wid: str) -> None:
    def met(**times: float | None) -> bool | None:
        return run.evaluate(wid, run.summarise(_fake_runs(np_=1.0, **times))[wid])[0]

    # PyTorch and hand-written NumPy no longer decide: minigrad 3x PyTorch, 3x NumPy, still met
    assert met(mg=3.0, th=1.0, ag=3.5, my=4.0) is True
    assert met(mg=3.0, th=1.0, ag=2.9, my=4.0) is False  # autograd faster
    assert met(mg=3.0, th=1.0, ag=3.5, my=3.0) is False  # MyGrad as fast: not faster
    assert met(mg=3.0, th=4.0, ag=3.5, my=None) is None  # MyGrad not measured: cannot tell
    assert met(mg=3.0, th=4.0, ag=2.0, my=None) is False  # ... unless autograd is faster


def test_report_files_are_written(tmp_path: Path) -> None:
    report = {
        "ids": run.ALL_IDS,
        "engines": list(ENGINES),
        "settings": {"rounds": 1, "quick": False, "smoke": True},
        "machine": run.machine(),
        "summary": run.summarise(_fake_runs(mg=1.1, np_=1.0, th=1.2, ag=1.5, my=2.2)),
    }
    run.write_readme(tmp_path / "README.md", report)
    run.write_chart(tmp_path / "chart.png", report)
    text = (tmp_path / "README.md").read_text()
    rows = {line.split(" | ")[0][2:]: line.split(" | ") for line in text.splitlines()}
    header = rows["id"]
    for column in ["PyTorch", "HIPS autograd", "MyGrad", "minigrad / PyTorch"]:
        assert column in header
    for wid in run.ALL_IDS:
        assert len(rows[wid]) == len(header)
    autograd_, mygrad_ = header.index("HIPS autograd"), header.index("MyGrad")
    ratio_ag, ratio_my = header.index("minigrad / HIPS autograd"), header.index("minigrad / MyGrad")
    assert rows["W2"][autograd_] == "1.50 s" and rows["W2"][mygrad_] == "2.20 s"
    assert rows["W2"][ratio_ag] == "0.73×" and rows["W2"][ratio_my] == "0.50×"
    assert rows["W2"][-1] == "met |"  # faster than both, though 1.1 x NumPy
    for wid in ["W3", "W4", "W5", "NB"]:  # the peers run W1, W2 and W2t only: empty cells
        assert rows[wid][autograd_] == rows[wid][mygrad_] == rows[wid][ratio_my] == ""
    assert "**not met**" in text  # W4 at 1.1 x NumPy
    assert "HIPS autograd 1.9.1, MyGrad 2.5.0" in text  # the machine section names the versions
    assert (tmp_path / "chart.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_missing_peer_stops_the_run(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import importlib.util

    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name: None if name == "mygrad" else real_find_spec(name)
    )
    assert run.missing_peers(["W1", "W3"], run.ENGINES) == ["mygrad"]
    assert run.missing_peers(["W3", "W4"], run.ENGINES) == []  # no workload of the peers
    assert run.missing_peers(["W1"], ["minigrad", "torch"]) == []
    assert run.main(["--only", "W1", "--smoke"]) == 2  # before anything runs
    assert "not installed: mygrad" in capsys.readouterr().err


def test_skip_missing_leaves_a_peer_out_and_says_so(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(run, "missing_peers", lambda ids, engines: ["mygrad"])
    argv = ["--only", "W1", "--smoke", "--engines", "minigrad,mygrad", "--results-dir"]
    assert run.main([*argv, str(tmp_path), "--skip-missing"]) == 0
    report = json.loads((tmp_path / "results.json").read_text())
    assert report["engines"] == ["minigrad"] and report["skipped_engines"] == ["mygrad"]
    text = (tmp_path / "README.md").read_text()
    assert "Not measured: MyGrad (not installed" in text
    assert "not measured (no time for HIPS autograd, MyGrad)" in text  # W1: cannot tell


def test_floor_engine_computes_w1_gradient_as_minigrad() -> None:
    # benchmarks/floor.py times a bare Python engine against minigrad; its gradient must match
    # minigrad's first (main() asserts it), or the comparison would mean nothing.
    floor = _load("floor", "benchmarks_floor")
    result = floor.main(seconds=0.05)
    assert set(result) == {"floor", "minigrad"}
    assert all(value > 0 for value in result.values())


@pytest.mark.parametrize("wid", ["W1", "W2", "W2t"])
def test_architecture_floor_matches_the_float64_reference(wid: str) -> None:
    # benchmarks/floor_architecture.py is minigrad's architecture without PyTorch's behaviour,
    # timed in minigrad's place; its loss and gradients must be right for its time to count.
    floor = _load("floor_architecture", "benchmarks_floor_architecture")
    w = workloads.WORKLOADS[wid]
    data = w.setup(smoke=True)
    runner = workloads.build(w, floor, data)
    errors = workloads.check(w, runner.outputs(), data)
    assert max(errors.values()) < w.tol, errors
    runner.step()  # (the timed unit runs too)
