"""NaN and infinity flow through values and gradients exactly as in torch.

Each scene builds a few results from leaves at the edges of the ops' domains (sqrt and log
at 0, negative bases of pow, the norm of zeros, division by zero, overflow, NaN inputs);
the test compares every result and, for each result separately, the gradient of every leaf
(positions of NaN and of each infinity must match; finite numbers must be close).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch

import minigrad

INF, NAN = float("inf"), float("nan")

Scene = Callable[[Any, Any], tuple[list[Any], list[Any]]]
SCENES: dict[str, Scene] = {}


def scene(fn: Scene) -> Scene:
    SCENES[fn.__name__] = fn
    return fn


def leaf(lib: Any, values: Any, dtype: Any) -> Any:
    return lib.tensor(values, dtype=dtype, requires_grad=True)


@scene
def sqrt_at_zero(lib, dt):
    x = leaf(lib, [0.0, 4.0, -1.0], dt)
    return [x.sqrt(), lib.sqrt(x * x)], [x]


@scene
def log_at_zero_and_below(lib, dt):
    x = leaf(lib, [0.0, 1.0, -1.0], dt)
    return [x.log(), (x * 0).log()], [x]


@scene
def pow_of_negative_bases(lib, dt):
    x = leaf(lib, [-8.0, -2.0, 0.0, 4.0], dt)
    return [x**0.5, x**3, x**2.0, x**-1, x ** (1 / 3), x**0], [x]


@scene
def pow_with_a_tensor_exponent(lib, dt):
    x = leaf(lib, [-2.0, 0.0, 0.0, 3.0], dt)
    y = leaf(lib, [2.0, 0.0, 0.5, -1.0], dt)
    return [x**y], [x, y]


@scene
def number_to_a_tensor_power(lib, dt):
    y = leaf(lib, [0.0, -1.0, 2.5], dt)
    return [0.0**y, (-2.0) ** y, 2.0**y], [y]


@scene
def norm_at_zero(lib, dt):
    x = leaf(lib, [0.0, 0.0, 0.0], dt)
    m = leaf(lib, [[0.0, 0.0], [3.0, 4.0]], dt)
    return [x.norm(), lib.norm(x), m.norm(dim=1), x.norm(p=1)], [x, m]


@scene
def division_by_zero(lib, dt):
    x = leaf(lib, [1.0, 0.0, -1.0], dt)
    z = leaf(lib, [0.0, 0.0, 0.0], dt)
    return [x / z, 1 / z, x / 0.0, z.reciprocal()], [x, z]


@scene
def overflow(lib, dt):
    x = leaf(lib, [1000.0, -1000.0, 50.0], dt)
    return [x.exp(), x * 1e308, (x * x * x * x * x * x).sum()], [x]


@scene
def saturated_activations(lib, dt):
    x = leaf(lib, [1000.0, -1000.0, 0.0], dt)
    return [x.sigmoid(), x.tanh(), x.relu(), x.abs()], [x]


@scene
def nan_inputs(lib, dt):
    x = leaf(lib, [NAN, 1.0, -1.0], dt)
    return [x.relu(), x.abs(), x.clamp(0.0, 0.5), x * 2, x.sigmoid(), x.exp()], [x]


@scene
def nan_in_reductions(lib, dt):
    x = leaf(lib, [NAN, 1.0, 3.0], dt)
    return [x.max(), x.amax(), x.sum(), x.mean(), x.softmax(0)], [x]


@scene
def nan_in_maximum(lib, dt):
    x = leaf(lib, [NAN, 1.0, 2.0], dt)
    y = leaf(lib, [0.0, NAN, 2.0], dt)
    return [lib.maximum(x, y), lib.minimum(x, y)], [x, y]


@scene
def infinities_meeting(lib, dt):
    x = leaf(lib, [INF, -INF, INF], dt)
    y = leaf(lib, [INF, 1.0, 0.0], dt)
    return [x - y, x * y, x / y, x + y], [x, y]


@scene
def where_does_not_stop_nan_gradients(lib, dt):
    # The classic trap: the branch not taken still sends 0 * nan = nan back to x.
    x = leaf(lib, [-1.0, 4.0], dt)
    return [lib.where(x > 0, x.sqrt(), lib.zeros_like(x))], [x]


@scene
def softmax_of_infinities(lib, dt):
    x = leaf(lib, [INF, 1.0, 0.0], dt)
    y = leaf(lib, [-INF, 1.0, 0.0], dt)
    return [x.softmax(0), y.softmax(0), y.log_softmax(0)], [x, y]


@scene
def losses_at_the_edges(lib, dt):
    p = leaf(lib, [0.0, 1.0, 0.5], dt)
    target = lib.tensor([1.0, 0.0, 1.0], dtype=dt)
    logits = leaf(lib, [1000.0, -1000.0, 0.0], dt)
    F = lib.nn.functional  # noqa: N806 - the usual spelling
    return [
        F.binary_cross_entropy(p, target, reduction="none"),
        F.binary_cross_entropy_with_logits(logits, target, reduction="none"),
    ], [p, logits]


def _array(t: Any) -> np.ndarray:
    if isinstance(t, torch.Tensor):
        t = torch.zeros_like(t).add(t.detach())  # (torch may give a storage-less zero tensor)
    return np.array(t.detach().tolist(), dtype=np.float64).reshape(tuple(t.shape))


def _observe(lib: Any, name: str, dtype_name: str) -> tuple[list[Any], list[str]]:
    """Every result and every gradient of the scene; and the warnings issued meanwhile."""
    dt = getattr(lib, dtype_name)
    seen: list[Any] = []
    with warnings.catch_warnings(record=True) as caught:
        # torch computes with NaN and infinity silently: so must minigrad (no NumPy
        # "RuntimeWarning: divide by zero encountered in log" and the like).
        warnings.simplefilter("always")
        results, leaves = SCENES[name](lib, dt)
        for out in results:
            seen.append((str(out.dtype), _array(out)))
            grads = lib.autograd.grad(
                out, leaves, lib.ones_like(out), retain_graph=True, allow_unused=True
            )
            seen.append([None if g is None else (str(g.dtype), _array(g)) for g in grads])
    return seen, [f"{w.category.__name__}: {w.message}" for w in caught]


def _same(mine: Any, theirs: Any, where: str) -> None:
    if isinstance(theirs, list):
        assert isinstance(mine, list) and len(mine) == len(theirs), where
        for i, (m, t) in enumerate(zip(mine, theirs)):
            _same(m, t, f"{where}[{i}]")
    elif theirs is None:
        assert mine is None, where
    else:
        assert mine[0] == theirs[0], where
        m, t = mine[1], theirs[1]
        assert m.shape == t.shape, where
        # NaN where torch has NaN, the same infinities, finite values close.
        np.testing.assert_array_equal(np.isnan(m), np.isnan(t), err_msg=where)
        np.testing.assert_array_equal(np.isposinf(m), np.isposinf(t), err_msg=where)
        np.testing.assert_array_equal(np.isneginf(m), np.isneginf(t), err_msg=where)
        finite = np.isfinite(t)
        np.testing.assert_allclose(m[finite], t[finite], rtol=1e-5, atol=1e-30, err_msg=where)


@pytest.mark.parametrize("dtype_name", ["float32", "float64"])
@pytest.mark.parametrize("name", list(SCENES))
def test_values_and_gradients_match_torch(name: str, dtype_name: str) -> None:
    expected, _ = _observe(torch, name, dtype_name)
    _same(_observe(minigrad, name, dtype_name)[0], expected, name)


@pytest.mark.parametrize("name", list(SCENES))
def test_no_warnings_where_torch_gives_none(name: str) -> None:
    for dtype_name in ("float32", "float64"):
        assert _observe(minigrad, name, dtype_name)[1] == _observe(torch, name, dtype_name)[1]


def test_arithmetic_without_recording_is_silent_as_torch() -> None:
    # Under no_grad, + - * / of float tensors take ops.arithmetic.untracked, outside the
    # backward pass's silencing: it must keep NumPy's warnings off itself.
    def results(lib: Any) -> tuple[list[Any], list[str]]:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            x = lib.tensor([0.0, 1.0, -1.0, INF, NAN])
            y = lib.tensor([0.0, 0.0, INF, INF, 1.0])
            with lib.no_grad():
                outs = [x / y, x * y, x - y, y + (-y), x / 0.0, 3.0e38 * x.float()]
        return [_array(o) for o in outs], [str(w.message) for w in caught]

    mine, my_warnings = results(minigrad)
    theirs, their_warnings = results(torch)
    assert my_warnings == their_warnings == []
    for i, (m, t) in enumerate(zip(mine, theirs, strict=True)):
        np.testing.assert_array_equal(m, t, err_msg=f"result {i}")
