"""Grad mode is per thread, as in torch: ``no_grad`` in one thread leaves the others recording."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import numpy as np
import torch

import minigrad


def _in_threads(*bodies: Callable[[], Any]) -> list[Any]:
    """Run each body in its own thread; their results (or the exception one raised)."""
    results: list[Any] = [None] * len(bodies)

    def run(i: int) -> None:
        try:
            results[i] = bodies[i]()
        except BaseException as error:  # noqa: BLE001 - reported to the test below
            results[i] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(bodies))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads)
    for r in results:
        if isinstance(r, BaseException):
            raise r
    return results


def interleaved(lib: Any) -> list[Any]:
    """Thread A holds no_grad while thread B computes, and the other way round."""
    x = lib.ones(3, requires_grad=True)
    a_inside = threading.Event()
    b_done = threading.Event()

    def a() -> list[Any]:
        with lib.no_grad():
            a_inside.set()
            assert b_done.wait(30)
            y = x * 2
            return [lib.is_grad_enabled(), y.requires_grad]

    def b() -> list[Any]:
        assert a_inside.wait(30)
        y = x * 2  # while A is inside no_grad
        out = [lib.is_grad_enabled(), y.requires_grad, y.grad_fn is not None]
        b_done.set()
        return out

    return [*_in_threads(a, b), lib.is_grad_enabled()]


def test_no_grad_in_one_thread_leaves_the_other_recording() -> None:
    assert interleaved(minigrad) == interleaved(torch)
    assert interleaved(minigrad) == [[False, False], [True, True, True], True]


def new_thread_mode(lib: Any) -> list[Any]:
    """A thread started inside no_grad (or set_grad_enabled(False)) starts recording."""
    x = lib.ones(2, requires_grad=True)
    with lib.no_grad():
        inner = _in_threads(lambda: [lib.is_grad_enabled(), (x * 2).requires_grad])
    lib.set_grad_enabled(False)
    try:
        other = _in_threads(lib.is_grad_enabled)
        here = lib.is_grad_enabled()
    finally:
        lib.set_grad_enabled(True)
    return [inner, other, here]


def test_new_threads_start_with_grad_enabled() -> None:
    assert new_thread_mode(minigrad) == new_thread_mode(torch)


def decorated(lib: Any) -> list[Any]:
    """A no_grad-decorated function running in one thread while another records."""
    x = lib.ones(2, requires_grad=True)
    go = threading.Barrier(2, timeout=30)

    @lib.no_grad()
    def frozen() -> bool:
        go.wait()
        go.wait()
        return (x * 2).requires_grad

    def recording() -> bool:
        go.wait()
        y = (x * 2).requires_grad
        go.wait()
        return y

    return _in_threads(frozen, recording)


def test_decorated_no_grad_is_per_thread() -> None:
    assert decorated(minigrad) == decorated(torch) == [False, True]


def concurrent_backward(lib: Any) -> list[Any]:
    """Two threads each build and differentiate their own graph, many times over."""
    start = threading.Barrier(2, timeout=30)

    def train(seed: int) -> list[float]:
        rng = np.random.default_rng(seed)
        w = lib.tensor(rng.normal(size=(4, 3)).tolist(), dtype=lib.float64, requires_grad=True)
        data = lib.tensor(rng.normal(size=(5, 4)).tolist(), dtype=lib.float64)
        start.wait()
        for _ in range(200):
            loss = ((data @ w).tanh() ** 2).sum()
            loss.backward()
            with lib.no_grad():
                w -= 0.01 * w.grad
                w.grad.zero_()
        return w.detach().reshape(-1).tolist()

    return _in_threads(lambda: train(1), lambda: train(2))


def test_concurrent_backward_passes_do_not_mix() -> None:
    mine, theirs = concurrent_backward(minigrad), concurrent_backward(torch)
    np.testing.assert_allclose(mine, theirs, rtol=1e-10)


def anomaly_visibility(lib: Any) -> list[Any]:
    """torch's anomaly mode is one switch for the whole process (not per thread)."""
    lib.autograd.set_detect_anomaly(True)
    try:
        seen = _in_threads(lib.is_anomaly_enabled)
    finally:
        lib.autograd.set_detect_anomaly(False)
    return [seen, lib.is_anomaly_enabled()]


def test_anomaly_mode_is_process_wide_like_torch() -> None:
    assert anomaly_visibility(minigrad) == anomaly_visibility(torch)
