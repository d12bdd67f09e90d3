"""Anomaly detection finds the forward operation whose backward produced NaN, as torch's does.

Each scene runs the same code on ``torch`` and ``minigrad`` and records the error, the
warnings (with their full text: the traceback of the forward call is the test's own code,
so it is the same for both libraries) and the gradients left behind.
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch

import minigrad
from tests._oracle import torch_words

SCENES: dict[str, Callable[[Any], list[Any]]] = {}


def scene(fn: Callable[[Any], list[Any]]) -> Callable[[Any], list[Any]]:
    SCENES[fn.__name__] = fn
    return fn


def nan_through_sqrt(lib: Any) -> tuple[Any, Any]:
    """0 * sqrt(x) at x = 0: the backward of sqrt gives 0 / 0."""
    x = lib.tensor([0.0, 1.0], requires_grad=True)
    y = x.sqrt()
    return x, (y * 0).sum()


@scene
def detect_anomaly_names_the_node(lib):
    with lib.autograd.detect_anomaly():
        x, z = nan_through_sqrt(lib)
        z.backward()
    return [x.grad]


@scene
def set_detect_anomaly_as_a_context(lib):
    with lib.autograd.set_detect_anomaly(True):
        x, z = nan_through_sqrt(lib)
        z.backward()
    return [x.grad]


@scene
def set_detect_anomaly_as_a_call(lib):
    lib.autograd.set_detect_anomaly(True)
    try:
        x, z = nan_through_sqrt(lib)
        z.backward()
    finally:
        lib.autograd.set_detect_anomaly(False)
    return [x.grad]


@scene
def nan_in_the_second_output(lib):
    with lib.autograd.detect_anomaly():
        a = lib.tensor(float("inf"), requires_grad=True)
        b = lib.tensor(1.0, requires_grad=True)
        c = a * b
        (c * 0).backward()
    return [a.grad, b.grad]


@scene
def nan_from_a_library_function(lib):
    with lib.autograd.detect_anomaly():
        x = lib.tensor([-1.0, 2.0], requires_grad=True)
        y = lib.log(x)  # NaN already in forward; backward: grad / x is fine, then ...
        z = lib.sqrt(y * 0)
        (z * 0).sum().backward()
    return [x.grad]


@scene
def nan_in_a_deep_graph(lib):
    with lib.autograd.detect_anomaly():
        x = lib.tensor([0.5, 2.0], requires_grad=True)
        h = x
        for _ in range(30):
            h = h.tanh() * 1.5
        y = (h - h.detach()).sqrt()  # sqrt at 0 in the middle of the graph
        (y * 0 + h).sum().backward()
    return [x.grad]


@scene
def nan_in_a_custom_function(lib):
    class Broken(lib.autograd.Function):
        @staticmethod
        def forward(ctx, a):
            return a * 2

        @staticmethod
        def backward(ctx, grad):
            return grad * float("nan")

    with lib.autograd.detect_anomaly():
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        Broken.apply(x).sum().backward()
    return [x.grad]


@scene
def check_nan_off(lib):
    with lib.autograd.detect_anomaly(check_nan=False):
        x, z = nan_through_sqrt(lib)
        z.backward()
    return [x.grad]


@scene
def anomaly_mode_off(lib):
    x, z = nan_through_sqrt(lib)
    z.backward()
    return [x.grad]


@scene
def anomaly_with_create_graph(lib):
    with lib.autograd.detect_anomaly():
        x = lib.tensor([1.0, 4.0], requires_grad=True)
        (g,) = lib.autograd.grad((x**3).sum(), x, create_graph=True)
        g.sum().backward()
    return [x.grad]


@scene
def anomaly_as_a_decorator(lib):
    @lib.autograd.detect_anomaly()
    def train_step() -> Any:
        x, z = nan_through_sqrt(lib)
        z.backward()
        return x.grad

    return [train_step()]


@scene
def modes_reported_and_restored(lib):
    seen = [lib.is_anomaly_enabled()]
    with lib.autograd.detect_anomaly(check_nan=False):
        seen += [lib.is_anomaly_enabled(), lib.is_anomaly_check_nan_enabled()]
        with lib.autograd.set_detect_anomaly(False):
            seen.append(lib.is_anomaly_enabled())
        seen.append(lib.is_anomaly_enabled())
    seen += [lib.is_anomaly_enabled(), lib.is_anomaly_check_nan_enabled()]
    lib.set_anomaly_enabled(True)
    seen.append(lib.is_anomaly_enabled())
    lib.set_anomaly_enabled(False)
    return seen


def _plain(values: list[Any]) -> list[Any]:
    out = []
    for v in values:
        if isinstance(v, (torch.Tensor, minigrad.Tensor)):
            out.append(("tensor", str(v.dtype), np.array(v.detach().tolist(), dtype=np.float64)))
        else:
            out.append(v)
    return out


_TORCH_FRAME = re.compile(
    r'  File "' + re.escape(os.path.dirname(torch.__file__)) + r'[^"]*", line \d+, in [^\n]*\n'
    r"(    [^\n]*\n)?"
)


def _without_library_frames(text: str) -> str:
    """A forward traceback without torch's own Python frames (minigrad leaves its own out)."""
    return _TORCH_FRAME.sub("", text)


def observe(lib: Any, name: str) -> dict[str, Any]:
    """Run one scene: its result (or error) and every warning, with its category and text."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result: Any = _plain(SCENES[name](lib))
        except Exception as error:  # noqa: BLE001 - the error is what is compared
            result = f"{type(error).__name__}: {error}"
    return {
        "result": result,
        "warnings": [
            (w.category.__name__, torch_words(_without_library_frames(str(w.message))))
            for w in caught
            # NumPy's RuntimeWarnings about NaN (a divergence of their own, tested in
            # test_nan_inf.py) are not anomaly detection's business.
            if w.category is not RuntimeWarning
        ],
        "anomaly_left_on": lib.is_anomaly_enabled(),
    }


def _same(mine: Any, theirs: Any) -> bool:
    if isinstance(theirs, tuple) and theirs and theirs[0] == "tensor":
        return (
            isinstance(mine, tuple)
            and mine[:2] == theirs[:2]
            and mine[2].shape == theirs[2].shape
            and np.allclose(mine[2], theirs[2], rtol=1e-6, equal_nan=True)
        )
    if isinstance(theirs, (list, tuple)):
        return (
            isinstance(mine, (list, tuple))
            and len(mine) == len(theirs)
            and all(_same(m, t) for m, t in zip(mine, theirs))
        )
    if isinstance(theirs, dict):
        return (
            isinstance(mine, dict)
            and mine.keys() == theirs.keys()
            and all(_same(mine[k], theirs[k]) for k in theirs)
        )
    return mine == theirs


@pytest.mark.parametrize("name", list(SCENES))
def test_scene_matches_torch(name: str) -> None:
    # Both libraries run the scene from this same line: their forward tracebacks agree.
    mine, theirs = (observe(lib, name) for lib in (minigrad, torch))
    assert _same(mine, theirs), (mine, theirs)


def test_the_warning_shows_the_forward_line() -> None:
    seen = observe(minigrad, "detect_anomaly_names_the_node")
    assert seen["result"] == (
        "RuntimeError: Function 'SqrtBackward0' returned nan values in its 0th output."
    )
    text = seen["warnings"][-1][1]
    assert text.startswith("Error detected in SqrtBackward0. Traceback of forward call")
    assert text.endswith("    y = x.sqrt()\n")  # the forward line, and no C++ source path
    assert "minigrad/" not in text.replace("tests/test_anomaly.py", "")  # minigrad's frames cut


def test_a_failed_pass_leaves_gradients_and_graph_alone() -> None:
    x = minigrad.tensor([0.0, 1.0], requires_grad=True)
    w = minigrad.tensor([2.0, 3.0], requires_grad=True)
    z = (x.sqrt() * 0 + w * x).sum()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with minigrad.autograd.detect_anomaly(), pytest.raises(RuntimeError, match="nan values"):
            z.backward()
    assert x.grad is None and w.grad is None
    z.backward()  # the graph was not freed: without anomaly mode the pass completes
    assert np.isnan(x.grad.tolist()[0]) and w.grad.tolist() == [0.0, 1.0]
