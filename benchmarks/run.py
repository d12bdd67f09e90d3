"""Run the benchmarks: minigrad against hand-written NumPy, PyTorch and the other NumPy engines
(HIPS autograd and MyGrad, on W1, W2 and W2t), and write the results.

    python benchmarks/run.py                 # everything, 5 rounds (about 10 minutes)
    python benchmarks/run.py --quick         # 2 rounds, shorter time budget per process
    python benchmarks/run.py --only W1,W3    # some workloads only
    python benchmarks/run.py --smoke         # tiny sizes, 1 round: checks that the harness works

HIPS autograd and MyGrad must be installed (pyproject's `test` extra pins them): without one,
run.py says so and stops, unless --skip-missing (then the results page says what was left out).

Every (workload, engine) pair first runs in its own process to check its numbers against a
float64 reference (the run stops on a mismatch). Then, for several rounds, each pair is timed in a
fresh process; the engines' order rotates from round to round, so that a slow moment of the machine
does not always hit the same engine. A process warms up, times steps until its time budget is
spent, and reports the median step; the table shows the median over rounds. BLAS and torch use one
thread for the small workloads and two for W4 (the same for every engine).

One pair by hand (prints one JSON line):

    python benchmarks/run.py --one W1 --engine torch
    python benchmarks/run.py --one W2t --engine mygrad
    python benchmarks/run.py --one W1 --engine minigrad --check
    python benchmarks/run.py --one W2 --engine minigrad --profile 200   # cProfile, by own time

The results go to benchmarks/results/: README.md (table and machine), chart.png, results.json.
Set BENCH_MINIGRAD_MODULE=torch to run the "minigrad" engine on torch (to test the harness).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"

ENGINES = ["minigrad", "numpy", "torch", "autograd", "mygrad"]
ENGINE_TITLES = {
    "minigrad": "minigrad",
    "numpy": "NumPy (by hand)",
    "torch": "PyTorch",
    "autograd": "HIPS autograd",
    "mygrad": "MyGrad",
}
# The other NumPy engines, with the versions pyproject.toml's `test` extra pins (the module name is
# the distribution's). They run these workloads only (workloads.Workload.peers).
PEERS = {"autograd": "1.9.1", "mygrad": "2.5.0"}
PEER_IDS = ["W1", "W2", "W2t"]
ALL_IDS = ["W1", "W2", "W2t", "W3", "W4", "W5", "NB"]
TIMED_IDS = ["W1", "W2", "W2t", "W3", "W4"]
THREADS = {"W4": 2}  # every other workload runs with one thread
W5_STEPS = 1000
W5_SAMPLES = [0, 1, 10, 50, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]
W5_FLAT_BYTES = 1 << 20  # RSS may grow at most this much between step 10 and step 1,000
RESULT_PREFIX = "RESULT "
NB_CELL_TIMEOUT = 120  # seconds for one notebook cell
BUSY_LOAD = 1.0  # a 1-minute load average above this before the run is reported
# After the run the load average includes the run's own process, which keeps one core busy.
OWN_LOAD = 1.0

# workloads.py sits next to this file; minigrad is measured from this checkout.
for _path in [str(ROOT), str(HERE)]:
    if _path not in sys.path:
        sys.path.insert(0, _path)


# -- settings --------------------------------------------------------------------------------------


def settings(args: argparse.Namespace) -> dict[str, Any]:
    """Rounds and per-process time budget for a full, quick or smoke run."""
    if args.smoke:
        s = {"rounds": 1, "budget": 0.05, "min_steps": 1, "warmup": 1, "w5_steps": 20}
    elif args.quick:
        s = {"rounds": 2, "budget": 0.5, "min_steps": 3, "warmup": 1, "w5_steps": W5_STEPS}
    else:
        s = {"rounds": 5, "budget": 2.0, "min_steps": 5, "warmup": 2, "w5_steps": W5_STEPS}
    if args.rounds is not None:
        s["rounds"] = args.rounds
    return s


def threads_for(workload_id: str) -> int:
    return THREADS.get(workload_id, 1)


def pin_threads(n: int) -> None:
    """Limit BLAS/OpenMP threads; must run before NumPy or torch is imported."""
    for name in ["OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"]:
        os.environ[name] = str(n)


# -- inside one process: one workload on one engine ------------------------------------------------


def load_engine(name: str, threads: int) -> Any:
    """``"numpy"``, the torch module, minigrad (or the module BENCH_MINIGRAD_MODULE names), or the
    name of another NumPy engine (``"autograd"``, ``"mygrad"``: workloads.build imports it)."""
    if name == "numpy":
        return "numpy"
    if name in PEERS:
        import importlib

        importlib.import_module(name)  # not installed: fail here, with the module's name
        return name
    if name == "torch":
        import torch

        torch.set_num_threads(threads)
        torch.set_num_interop_threads(1)
        return torch
    if name == "minigrad":
        import importlib

        module = importlib.import_module(os.environ.get("BENCH_MINIGRAD_MODULE", "minigrad"))
        if module.__name__ == "torch":
            module.set_num_threads(threads)
        return module
    raise SystemExit(f"unknown engine {name!r}; choose from {ENGINES}")


def read_status(field: str) -> int:
    """A memory figure of this process in bytes, from /proc/self/status (VmRSS, VmHWM)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    raise RuntimeError(f"{field} not found in /proc/self/status")


def runs_on(workload_id: str, engine: str) -> bool:
    """Whether ``engine`` has a version of the workload (the peers run W1, W2 and W2t only)."""
    return engine not in PEERS or workload_id in PEER_IDS


def missing_peers(ids: list[str], engines: list[str]) -> list[str]:
    """The peers the run needs that are not installed."""
    import importlib.util

    needed = [e for e in engines if e in PEERS and any(runs_on(w, e) for w in ids)]
    return [e for e in needed if importlib.util.find_spec(e) is None]


def peer_versions() -> dict[str, str]:
    """The installed version of each peer, or "not installed"."""
    from importlib import metadata

    versions = {}
    for name in PEERS:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def one_check(workload_id: str, engine: str, smoke: bool) -> dict[str, Any]:
    import workloads

    w = workloads.WORKLOADS["W2" if workload_id == "W5" else workload_id]
    data = w.setup(smoke)
    runner = workloads.build(w, load_engine(engine, threads_for(workload_id)), data)
    errors = workloads.check(w, runner.outputs(), data)
    ok = all(e <= w.tol for e in errors.values())
    return {"ok": ok, "errors": errors, "tol": w.tol}


def one_time(workload_id: str, engine: str, smoke: bool, s: dict[str, Any]) -> dict[str, Any]:
    import workloads

    w = workloads.WORKLOADS[workload_id]
    data = w.setup(smoke)
    runner = workloads.build(w, load_engine(engine, threads_for(workload_id)), data)
    recursion_limit = sys.getrecursionlimit()
    for _ in range(s["warmup"]):
        runner.step()
    times: list[float] = []
    deadline = time.perf_counter() + s["budget"]
    while len(times) < s["min_steps"] or time.perf_counter() < deadline:
        t0 = time.perf_counter()
        runner.step()
        times.append(time.perf_counter() - t0)
    # "inclusive": quartiles within [min, max] (the default extrapolates for a few samples)
    quartiles = (
        statistics.quantiles(times, n=4, method="inclusive") if len(times) > 1 else [times[0]] * 3
    )
    result = {
        "steps": len(times),
        "median_s": statistics.median(times),
        "min_s": min(times),
        "q1_s": quartiles[0],
        "q3_s": quartiles[2],
    }
    if "n_ops" in data:
        result["n_ops"] = data["n_ops"]
    # W3 must complete at the default limit: record the largest limit in effect, so that an engine
    # that raises the limit while it runs is not reported as completing at the default
    result["recursion_limit"] = max(recursion_limit, sys.getrecursionlimit())
    return result


def one_profile(workload_id: str, engine: str, smoke: bool, steps: int, top: int = 25) -> None:
    """Run ``steps`` steps under cProfile and print the functions that take the most own time."""
    import cProfile
    import pstats

    import workloads

    w = workloads.WORKLOADS["W2" if workload_id == "W5" else workload_id]
    runner = workloads.build(w, load_engine(engine, threads_for(workload_id)), w.setup(smoke))
    runner.step()  # warm up
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(steps):
        runner.step()
    profiler.disable()
    print(f"{workload_id} on {engine}: {steps} steps under cProfile, by own time (tottime)")
    pstats.Stats(profiler).sort_stats("tottime").print_stats(top)


def one_memory(engine: str, smoke: bool, s: dict[str, Any]) -> dict[str, Any]:
    """W5: W2's step ``w5_steps`` times with the garbage collector off, reading VmRSS."""
    import gc

    import workloads

    w = workloads.WORKLOADS["W2"]
    data = w.setup(smoke)
    runner = workloads.build(w, load_engine(engine, 1), data)
    steps = s["w5_steps"]
    gc.collect()
    gc.disable()
    samples = [(0, read_status("VmRSS"))]
    t0 = time.perf_counter()
    for i in range(1, steps + 1):
        runner.step()
        if i in W5_SAMPLES or i == steps:
            samples.append((i, read_status("VmRSS")))
    elapsed = time.perf_counter() - t0
    warm = dict(samples).get(10, samples[min(1, len(samples) - 1)][1])
    end = samples[-1][1]
    return {
        "steps": steps,
        "start_bytes": samples[0][1],
        "warm_bytes": warm,
        "end_bytes": end,
        "peak_bytes": read_status("VmHWM"),
        "growth_bytes": end - warm,
        "samples": samples,
        "seconds": elapsed,
    }


def one_notebooks(folder: Path | None = None) -> dict[str, Any]:
    """NB: execute every notebook of ``folder`` in a fresh kernel; seconds per notebook.

    The folder is notebooks/, or $MINIGRAD_NOTEBOOKS_DIR when set (as for the notebook tests).
    """
    import nbformat
    from nbclient import NotebookClient

    env = child_env("NB")  # the kernels import minigrad from this checkout, as timed processes do
    if folder is None:
        folder = Path(os.environ.get("MINIGRAD_NOTEBOOKS_DIR") or ROOT / "notebooks")
    paths = sorted(folder.glob("*.ipynb"))
    per_notebook: dict[str, float] = {}
    failed: dict[str, str] = {}
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(
            nb,
            timeout=NB_CELL_TIMEOUT,
            # a lost "idle" message must fail the notebook, not silently add the timeout
            raise_on_iopub_timeout=True,
            kernel_name="python3",
            resources={"metadata": {"path": str(path.parent)}},
        )
        t0 = time.perf_counter()
        try:
            client.execute(env=env)
        except Exception as error:  # noqa: BLE001 - reported, and the goal is then not met
            message = re.sub(r"\x1b\[[0-9;]*m", "", str(error)).strip().splitlines()
            failed[path.name] = f"{type(error).__name__}: {message[-1] if message else ''}"
        per_notebook[path.name] = time.perf_counter() - t0
    total = sum(per_notebook.values()) if paths else None
    return {"total_s": total, "per_notebook": per_notebook, "failed": failed}


def run_one(args: argparse.Namespace) -> int:
    wid, engine = args.one, args.engine
    if wid not in ALL_IDS:
        raise SystemExit(f"unknown workload {wid!r}; choose from {ALL_IDS}")
    if engine not in ENGINES:
        raise SystemExit(f"unknown engine {engine!r}; choose from {ENGINES}")
    if not runs_on(wid, engine):
        raise SystemExit(f"{engine} runs {', '.join(PEER_IDS)} only, not {wid}")
    if wid != "NB":
        pin_threads(threads_for(wid))
    s = settings(args)
    if args.profile:
        one_profile(wid, engine, args.smoke, args.profile)
        return 0
    if args.check:
        result = one_check(wid, engine, args.smoke)
    elif wid == "W5":
        result = one_memory(engine, args.smoke, s)
    elif wid == "NB":
        result = one_notebooks()
    else:
        result = one_time(wid, engine, args.smoke, s)
    result.update(workload=wid, engine=engine)
    print(RESULT_PREFIX + json.dumps(result), flush=True)
    return 0 if result.get("ok", True) else 1


# -- the orchestrator --------------------------------------------------------------------------


def child_env(workload_id: str) -> dict[str, str]:
    env = dict(os.environ)
    if workload_id != "NB":
        env.update(
            {
                k: str(threads_for(workload_id))
                for k in ["OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"]
            }
        )
    # minigrad importable from the source tree even when it is not pip-installed
    env["PYTHONPATH"] = os.pathsep.join(p for p in [str(ROOT), env.get("PYTHONPATH", "")] if p)
    return env


def spawn(
    workload_id: str, engine: str, args: argparse.Namespace, check: bool = False
) -> dict[str, Any]:
    """Run ``--one`` in a fresh process; the parsed result, or ``{"error": ...}``."""
    cmd = [sys.executable, str(HERE / "run.py"), "--one", workload_id, "--engine", engine]
    if check:
        cmd.append("--check")
    if args.smoke:
        cmd.append("--smoke")
    elif args.quick:
        cmd.append("--quick")
    proc = subprocess.run(cmd, capture_output=True, text=True, env=child_env(workload_id), cwd=ROOT)
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith(RESULT_PREFIX):
            result = json.loads(line[len(RESULT_PREFIX) :])
            if proc.returncode == 0 or "ok" in result:
                return result
    tail = "\n".join((proc.stderr or proc.stdout).strip().splitlines()[-15:])
    return {
        "workload": workload_id,
        "engine": engine,
        "error": f"exit code {proc.returncode}\n{tail}",
    }


def run_checks(ids: list[str], engines: list[str], args: argparse.Namespace) -> dict[str, Any]:
    checks: dict[str, Any] = {}
    for wid in ids:
        if wid == "NB" or (wid == "W5" and "W2" in ids):
            continue
        for engine in engines:
            if not runs_on(wid, engine):
                continue
            r = spawn(wid, engine, args, check=True)
            checks[f"{wid}/{engine}"] = r
            if "error" in r:
                status = "ERROR"
                detail = r["error"]
            else:
                status = "ok" if r["ok"] else "MISMATCH"
                detail = (
                    ", ".join(f"{k} {v:.1e}" for k, v in r["errors"].items())
                    + f" (tol {r['tol']:.0e})"
                )
            print(f"check {wid:4} {engine:9} {status:8} {detail}", flush=True)
    return checks


def failed_pairs(checks: dict[str, Any]) -> set[tuple[str, str]]:
    bad = set()
    for key, r in checks.items():
        if "error" in r or not r["ok"]:
            wid, engine = key.split("/")
            bad.add((wid, engine))
            if wid == "W2":
                bad.add(("W5", engine))
    return bad


def run_rounds(
    ids: list[str],
    engines: list[str],
    args: argparse.Namespace,
    s: dict[str, Any],
    skip: set[tuple[str, str]],
) -> dict[str, dict[str, list[dict[str, Any]]]]:
    runs: dict[str, dict[str, list[dict[str, Any]]]] = {
        wid: {e: [] for e in engines if runs_on(wid, e)} for wid in ids
    }
    for r in range(s["rounds"]):
        for wid in ids:
            if wid == "NB":
                continue
            order = engines[r % len(engines) :] + engines[: r % len(engines)]
            for engine in order:
                if (wid, engine) in skip or not runs_on(wid, engine):
                    continue
                result = spawn(wid, engine, args)
                runs[wid][engine].append(result)
                print(
                    f"round {r + 1}/{s['rounds']} {wid:4} {engine:9} {describe(wid, result)}",
                    flush=True,
                )
    if "NB" in ids:
        result = spawn("NB", "minigrad", args)
        runs["NB"] = {"minigrad": [result]}
        print(f"NB   {describe('NB', result)}", flush=True)
    return runs


def describe(wid: str, result: dict[str, Any]) -> str:
    if "error" in result:
        return "ERROR " + result["error"].splitlines()[-1]
    if wid == "W5":
        growth = mb(result["growth_bytes"])
        return f"peak {mb(result['peak_bytes'])}, growth {growth} over {result['steps']} steps"
    if wid == "NB":
        if result["total_s"] is None:
            return "no notebooks"
        failed = "".join(f"\n  FAILED {k}: {v}" for k, v in result.get("failed", {}).items())
        return f"{result['total_s']:.1f} s total" + failed
    return f"median {fmt_time(result['median_s'])} over {result['steps']} steps"


# -- summarising -----------------------------------------------------------------------------------


def fmt_time(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.1f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds:.2f} s"


def mb(n: float | None) -> str:
    return "–" if n is None else f"{n / 2**20:.1f} MiB"


def ratio(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None or b == 0 else a / b


def fmt_ratio(x: float | None) -> str:
    return "–" if x is None else f"{x:.2f}×"


def summarise(runs: dict[str, dict[str, list[dict[str, Any]]]]) -> dict[str, dict[str, Any]]:
    """Median over rounds for every (workload, engine)."""
    summary: dict[str, dict[str, Any]] = {}
    for wid, by_engine in runs.items():
        summary[wid] = {}
        for engine, results in by_engine.items():
            good = [r for r in results if "error" not in r]
            errors = [r["error"] for r in results if "error" in r]
            entry: dict[str, Any] = {"rounds": len(good), "errors": errors}
            if good and wid in TIMED_IDS:
                entry["median_s"] = statistics.median(r["median_s"] for r in good)
                entry["round_medians_s"] = [r["median_s"] for r in good]
                entry["n_ops"] = good[0].get("n_ops")
                entry["recursion_limit"] = good[0]["recursion_limit"]
            elif good and wid == "W5":
                for key in [
                    "start_bytes",
                    "warm_bytes",
                    "end_bytes",
                    "peak_bytes",
                    "growth_bytes",
                    "seconds",
                ]:
                    entry[key] = statistics.median(r[key] for r in good)
                entry["samples"] = good[0]["samples"]
                entry["steps"] = good[0]["steps"]
            elif good and wid == "NB":
                entry["total_s"] = good[0]["total_s"]
                entry["per_notebook"] = good[0]["per_notebook"]
                entry["failed"] = good[0].get("failed", {})
            summary[wid][engine] = entry
    return summary


def evaluate(wid: str, summary: dict[str, Any]) -> tuple[bool | None, str]:
    """Whether minigrad meets the goal (None: cannot tell), and a note."""
    mg, np_, th = (summary.get(e, {}) for e in ["minigrad", "numpy", "torch"])
    if wid in PEER_IDS:
        # faster than every other NumPy engine: not met if any peer is as fast; not known if a
        # peer was not measured and minigrad beat the others
        t_mg = mg.get("median_s")
        if t_mg is None:
            return None, ""
        peers = {e: summary.get(e, {}).get("median_s") for e in PEERS}
        if any(t is not None and t_mg >= t for t in peers.values()):
            return False, ""
        unmeasured = [ENGINE_TITLES[e] for e, t in peers.items() if t is None]
        if unmeasured:
            return None, "no time for " + ", ".join(unmeasured)
        return True, ""
    if wid in TIMED_IDS:
        t_mg, t_np, t_th = mg.get("median_s"), np_.get("median_s"), th.get("median_s")
        if wid == "W3":
            r = ratio(t_mg, t_th)
            met = None if r is None else r <= 1.0
            if mg.get("median_s") is not None:
                completed = mg.get("recursion_limit") == 1000
                met = bool(met and completed)
                return met, f"completed at recursion limit {mg.get('recursion_limit')}"
            return met, ""
        limit = {"W4": 1.05}[wid]
        r = ratio(t_mg, t_np)
        return (None if r is None else r <= limit), ""
    if wid == "W5":
        if "peak_bytes" not in mg:
            return None, ""
        flat = mg["growth_bytes"] <= W5_FLAT_BYTES
        r = ratio(mg["peak_bytes"], np_.get("peak_bytes"))
        met = None if r is None else (flat and r <= 1.5)
        return met, (
            "flat" if flat else "grows"
        ) + f" (step 10 → {mg['steps']}: {mb(mg['growth_bytes'])})"
    if wid == "NB":
        total = mg.get("total_s")
        if total is None:
            return None, "no notebooks in notebooks/" if "total_s" in mg else ""
        failed = mg.get("failed", {})
        if failed:
            return (
                False,
                f"{len(failed)} of {len(mg['per_notebook'])} notebooks failed: "
                + ", ".join(failed),
            )
        return total <= 60, f"{len(mg['per_notebook'])} notebooks"
    return None, ""


def load_average() -> str:
    """The 1-minute load average, from /proc/loadavg."""
    try:
        return Path("/proc/loadavg").read_text().split()[0]
    except OSError:
        return "?"


def machine() -> dict[str, Any]:
    from importlib import metadata

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass

    def version(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "not installed"

    blas = "unknown"
    try:
        import numpy

        config = numpy.show_config(mode="dicts")
        info = config["Build Dependencies"]["blas"]
        blas = f"{info.get('name')} {info.get('version', '')}".strip()
    except Exception:  # noqa: BLE001 - only a description
        pass
    commit = "unknown"
    try:
        head = (ROOT / ".git" / "HEAD").read_text().strip()
        if head.startswith("ref: "):
            ref = ROOT / ".git" / head[5:]
            commit = ref.read_text().strip() if ref.exists() else head[5:]
        else:
            commit = head
    except OSError:
        pass
    minigrad_module = os.environ.get("BENCH_MINIGRAD_MODULE", "minigrad")
    peers = peer_versions()
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "numpy": version("numpy"),
        "blas": blas,
        "torch": version("torch"),
        "autograd": peers["autograd"],
        "mygrad": peers["mygrad"],
        "minigrad": version("minigrad")
        if minigrad_module == "minigrad"
        else f"NOT minigrad: {minigrad_module}",
        "commit": commit[:12],
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    }


RATIO_ENGINES = ["numpy", "torch", "autograd", "mygrad"]  # the columns "minigrad / <engine>"


def row_cells(wid: str, summary: dict[str, Any]) -> list[str]:
    """The engine columns and the ratio columns of one table row.

    A peer's cells are empty on the workloads it does not run (W3, W4, W5, NB).
    """
    cells = []
    if wid in TIMED_IDS:
        for e in ENGINES:
            entry = summary.get(e, {})
            t = entry.get("median_s")
            text = fmt_time(t) if t is not None else ("error" if entry.get("errors") else "–")
            if wid == "W1" and t is not None and entry.get("n_ops"):
                text += f" ({t / entry['n_ops'] * 1e6:.2f} µs/op)"
            cells.append(text if runs_on(wid, e) else "")
        t = {e: summary.get(e, {}).get("median_s") for e in ENGINES}
        cells += [
            fmt_ratio(ratio(t["minigrad"], t[e])) if runs_on(wid, e) else "" for e in RATIO_ENGINES
        ]
    elif wid == "W5":
        for e in ENGINES:
            entry = summary.get(e, {})
            if "peak_bytes" in entry:
                start, end = mb(entry["start_bytes"]), mb(entry["end_bytes"])
                cells.append(f"peak {mb(entry['peak_bytes'])} (start {start}, end {end})")
            else:
                cells.append("–" if runs_on(wid, e) else "")
        p = {e: summary.get(e, {}).get("peak_bytes") for e in ENGINES}
        cells += [
            fmt_ratio(ratio(p["minigrad"], p[e])) if runs_on(wid, e) else "" for e in RATIO_ENGINES
        ]
    else:
        total = summary.get("minigrad", {}).get("total_s")
        cells += [fmt_time(total) if total is not None else "–"]
        cells += [""] * (len(ENGINES) - 1 + len(RATIO_ENGINES))
    return cells


HEADER = [
    "id",
    "workload",
    *(ENGINE_TITLES[e] for e in ENGINES),
    *(f"minigrad / {ENGINE_TITLES[e].removesuffix(' (by hand)')}" for e in RATIO_ENGINES),
    "goal",
    "met",
]

NOTES = """\
Times are per step: forward, backward and (W2, W2t) the SGD update; W1 also shows the time per
op (forward and backward together). "NumPy (by hand)" is the forward and backward pass written
out in NumPy with no graph: the least work any NumPy engine must do. HIPS autograd ({autograd})
and MyGrad ({mygrad}) are the other NumPy engines: they run W1, W2 and W2t only (empty cells
elsewhere), in the same rounds as the others. W5 reads VmRSS and VmHWM (peak) from
/proc/self/status over {steps} steps of W2 with the garbage collector off; "flat" means RSS grows
by at most {flat} from step 10 to the last step. Before timing, every engine's loss and gradients
were checked against a float64 NumPy reference (largest error relative to the largest reference
value, per output: see `checks` in results.json)."""


def write_readme(path: Path, report: dict[str, Any]) -> None:
    """The Markdown table of times, ratios and goals, with the machine's description."""
    import workloads

    m = report["machine"]
    s = report["settings"]
    command = "python benchmarks/run.py" + "".join(
        f" --{flag}" for flag in ["quick", "smoke"] if s.get(flag)
    )
    lines = ["# Benchmark results", ""]
    if m["minigrad"].startswith("NOT"):
        lines += [f"**Warning: the minigrad column ran {m['minigrad']}, not minigrad.**", ""]
    limits = [
        (m.get("load_before", "?"), BUSY_LOAD),
        (m.get("load_after", "?"), BUSY_LOAD + OWN_LOAD),
    ]
    busy = [float(x) for x, limit in limits if x != "?" and float(x) > limit]
    if busy:
        lines += [
            f"**The machine was busy (load average up to {max(busy)} on {m['cores']} cores): other "
            "processes distorted these times; measure again on a quiet machine.**",
            "",
        ]
    if s.get("smoke"):
        lines += ["**Smoke run (tiny sizes): these numbers say nothing about speed.**", ""]
    if report.get("skipped_engines"):
        skipped = ", ".join(ENGINE_TITLES[e] for e in report["skipped_engines"])
        lines += [f"**Not measured: {skipped} (not installed; run with --skip-missing).**", ""]
    lines += [
        f"Measured {m['date']} with `{command}`: {s['rounds']} round(s); each number is the median",
        "over rounds of the median step, every (workload, engine) in a fresh process.",
        "",
        "| " + " | ".join(HEADER) + " |",
        "|" + "---|" * len(HEADER),
    ]
    titles = {wid: (w.title, w.goal) for wid, w in workloads.WORKLOADS.items()}
    titles.update(workloads.EXTRA_ROWS)
    for wid in report["ids"]:
        title, goal = titles[wid]
        summary = report["summary"].get(wid, {})
        met, note = evaluate(wid, summary)
        met_text = {True: "met", False: "**not met**", None: "not measured"}[met]
        if note:
            met_text += f" ({note})"
        cells = [wid, title, *row_cells(wid, summary), goal, met_text]
        lines.append("| " + " | ".join(cells) + " |")
    lines += [
        "",
        NOTES.format(
            steps=W5_STEPS,
            flat=mb(W5_FLAT_BYTES),
            autograd=m.get("autograd", "?"),
            mygrad=m.get("mygrad", "?"),
        ),
        "",
        "![chart](chart.png)",
        "",
        "## Machine",
        "",
        f"- CPU: {m['cpu']}, {m['cores']} cores; {m['platform']}",
        f"- Python {m['python']}, NumPy {m['numpy']} (BLAS: {m['blas']}), PyTorch {m['torch']}, "
        f"HIPS autograd {m.get('autograd', '?')}, MyGrad {m.get('mygrad', '?')}",
        f"- minigrad {m['minigrad']}, commit {m['commit']}",
        "- threads: 1 for every workload except W4 (2), the same for all engines",
        f"- load average before / after the run: {m.get('load_before', '?')} / "
        f"{m.get('load_after', '?')} (the run itself adds about {OWN_LOAD:g} to the second; other "
        "processes slow the measurements down)",
        "",
    ]
    path.write_text("\n".join(lines))


def write_chart(path: Path, report: dict[str, Any]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    summary = report["summary"]
    timed = [wid for wid in TIMED_IDS if wid in summary]
    has_w5 = "W5" in summary and any("samples" in e for e in summary["W5"].values())
    fig, axes = plt.subplots(
        1, 2 if has_w5 else 1, figsize=(12 if has_w5 else 7, 4.5), squeeze=False
    )
    colors = {
        "minigrad": "tab:blue",
        "numpy": "tab:gray",
        "torch": "tab:orange",
        "autograd": "tab:green",
        "mygrad": "tab:purple",
    }
    ax = axes[0][0]
    width = 0.8 / len(ENGINES)
    for k, engine in enumerate(ENGINES):
        xs, heights, labels = [], [], []
        for i, wid in enumerate(timed):
            t = summary[wid].get(engine, {}).get("median_s")
            t_np = summary[wid].get("numpy", {}).get("median_s")
            if t is not None and t_np:
                xs.append(i + (k - (len(ENGINES) - 1) / 2) * width)
                heights.append(t / t_np)
                labels.append(fmt_time(t))
        bars = ax.bar(xs, heights, width, label=ENGINE_TITLES[engine], color=colors[engine])
        for bar, label in zip(bars, labels, strict=True):
            ax.annotate(
                label,
                (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                ha="center",
                va="bottom",
                fontsize=6,
                rotation=90,
                xytext=(0, 2),
                textcoords="offset points",
            )
    ax.set_yscale("log")
    ax.set_ylim(top=ax.get_ylim()[1] * 4)  # room for the labels above the tallest bar
    ax.axhline(1.0, color="black", linewidth=0.5)
    ax.set_xticks(range(len(timed)), timed)
    ax.set_ylabel("time per step / NumPy by hand (log)")
    ax.set_title("Time per step (lower is better)")
    ax.legend(fontsize=8)
    if has_w5:
        ax = axes[0][1]
        for engine in ENGINES:
            entry = summary["W5"].get(engine, {})
            if "samples" in entry:
                steps, rss = zip(*entry["samples"], strict=True)
                ax.plot(
                    steps,
                    [b / 2**20 for b in rss],
                    marker=".",
                    label=ENGINE_TITLES[engine],
                    color=colors[engine],
                )
        ax.set_xlabel("step (W2, garbage collector off)")
        ax.set_ylabel("RSS (MiB)")
        ax.set_yscale("log")
        ax.set_title("W5: resident memory")
        ax.legend(fontsize=8)
    fig.suptitle(
        f"minigrad benchmarks, {report['machine']['cpu']}, {report['machine']['date']}", fontsize=9
    )
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def orchestrate(args: argparse.Namespace) -> int:
    ids = ALL_IDS if not args.only else [i.strip() for i in args.only.split(",") if i.strip()]
    unknown = [i for i in ids if i not in ALL_IDS]
    if unknown:
        raise SystemExit(f"unknown workloads {unknown}; choose from {ALL_IDS}")
    engines = ENGINES if not args.engines else [e.strip() for e in args.engines.split(",")]
    unknown = [e for e in engines if e not in ENGINES]
    if unknown:
        raise SystemExit(f"unknown engines {unknown}; choose from {ENGINES}")
    missing = missing_peers(ids, engines)
    if missing:
        names = " ".join(f"{e}=={PEERS[e]}" for e in missing)
        if not args.skip_missing:
            print(
                f"not installed: {', '.join(missing)}. Install them (pip install {names}, or "
                "pip install -e '.[test]'), or run with --skip-missing to leave them out.",
                file=sys.stderr,
            )
            return 2
        print(f"warning: not installed, left out (--skip-missing): {', '.join(missing)}")
        engines = [e for e in engines if e not in missing]
    for name, version in peer_versions().items():
        if name in engines and version not in (PEERS[name], "not installed"):
            print(f"warning: {name} {version} installed; the benchmarks pin {PEERS[name]}")
    s = settings(args)
    load_before = load_average()
    print(f"workloads {ids}, engines {engines}, {s['rounds']} rounds", flush=True)
    if load_before != "?" and float(load_before) > BUSY_LOAD:
        print(f"warning: load average {load_before}: the machine is busy", flush=True)
    checks = run_checks(ids, engines, args)
    bad = failed_pairs(checks)
    if bad and not args.keep_going:
        print(
            "\nFAILED: some engines' numbers do not match the float64 reference (see above); "
            "nothing was timed. Use --keep-going to time the others.",
            file=sys.stderr,
        )
        return 1
    runs = run_rounds(ids, engines, args, s, bad)
    import workloads  # noqa: F401 - for the titles in the README

    report = {
        "ids": ids,
        "engines": engines,
        "skipped_engines": missing,
        "settings": {**s, "quick": args.quick, "smoke": args.smoke, "threads": THREADS},
        "machine": {**machine(), "load_before": load_before, "load_after": load_average()},
        "checks": checks,
        "summary": summarise(runs),
        "runs": runs,
    }
    report["goals"] = {wid: evaluate(wid, report["summary"].get(wid, {})) for wid in ids}
    out = Path(args.results_dir) if args.results_dir else RESULTS
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(report, indent=1) + "\n")
    write_readme(out / "README.md", report)
    write_chart(out / "chart.png", report)
    print(f"\nwrote {out / 'README.md'}, {out / 'chart.png'}, {out / 'results.json'}")
    print((out / "README.md").read_text())
    return 0 if not bad else 1


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--quick", action="store_true", help="2 rounds, short time budget per process")
    p.add_argument("--smoke", action="store_true", help="tiny sizes, 1 round (tests the harness)")
    p.add_argument("--only", help="comma-separated workload ids, e.g. W1,W3")
    p.add_argument(
        "--engines", help="comma-separated engines (default: all of " + ",".join(ENGINES) + ")"
    )
    p.add_argument(
        "--skip-missing",
        action="store_true",
        help="leave out HIPS autograd or MyGrad if not installed (default: stop)",
    )
    p.add_argument("--rounds", type=int, help="number of rounds (default 5, --quick 2)")
    p.add_argument("--results-dir", help="where to write the results (default benchmarks/results)")
    p.add_argument("--keep-going", action="store_true", help="time the pairs whose check passed")
    p.add_argument("--one", metavar="ID", help="run one workload in this process and print JSON")
    p.add_argument("--engine", default="minigrad", help="with --one: one of " + ", ".join(ENGINES))
    p.add_argument("--check", action="store_true", help="with --one: check numbers, do not time")
    p.add_argument(
        "--profile", type=int, metavar="STEPS", help="with --one: profile STEPS steps (cProfile)"
    )
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.one:
        return run_one(args)
    return orchestrate(args)


if __name__ == "__main__":
    sys.exit(main())
