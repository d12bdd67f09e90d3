"""The scenario harness shared by the tests that compare whole behaviours with PyTorch.

A scenario is a function of the library (``torch`` or ``minigrad``) that returns a list of
observations (tensors, numbers, flags, names, error messages). A test file registers its
scenarios with a ``Scenarios`` instance used as a decorator, runs each one on both libraries,
turns the observations into plain values with ``plain`` and compares them with ``assert_same``.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import torch

import minigrad

Scenario = Callable[[Any], list[Any]]


class Scenarios:
    """A registry of scenarios: ``@scenario`` adds a function to ``scenario.cases`` by name."""

    def __init__(self) -> None:
        self.cases: dict[str, Scenario] = {}

    def __call__(self, fn: Scenario) -> Scenario:
        if fn.__name__ in self.cases:
            raise ValueError(f"scenario {fn.__name__!r} is registered twice")
        self.cases[fn.__name__] = fn
        return fn


def error_of(call: Callable[[], Any]) -> str:
    """The type and message of the exception ``call`` raises, or "no error"."""
    try:
        call()
    except Exception as error:  # noqa: BLE001 - any error is an observation
        return f"{type(error).__name__}: {error}"
    return "no error"


def grad_of(t: Any) -> Any:
    """``t.grad`` without the non-leaf warning (that warning is tested in the catalogue)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return t.grad


def plain(value: Any) -> Any:
    """Observations in a form both libraries share: tensors become ("tensor", dtype, array)."""
    if isinstance(value, (torch.Tensor, minigrad.Tensor)):
        return ("tensor", str(value.dtype), np.array(value.detach().tolist(), dtype=np.float64))
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def assert_same(
    mine: Any,
    theirs: Any,
    where: str = "",
    *,
    rtol: float,
    atol: float,
    float64_tol: float | None = None,
) -> None:
    """Equal plain observations: tensors of the same dtype and shape, values within ``rtol`` and
    ``atol`` (float64 tensors within ``float64_tol``, relative and absolute, when given); lists of
    the same length, element by element; anything else equal (and a bool only to a bool)."""
    if isinstance(theirs, tuple) and theirs and theirs[0] == "tensor":
        assert isinstance(mine, tuple) and mine[:2] == theirs[:2], (where, mine, theirs)
        assert mine[2].shape == theirs[2].shape, (where, mine, theirs)
        if float64_tol is not None and theirs[1] == "torch.float64":
            rtol = atol = float64_tol
        np.testing.assert_allclose(mine[2], theirs[2], rtol=rtol, atol=atol, err_msg=where)
    elif isinstance(theirs, list):
        assert isinstance(mine, list) and len(mine) == len(theirs), (where, mine, theirs)
        for i, (m, t) in enumerate(zip(mine, theirs)):
            assert_same(m, t, f"{where}[{i}]", rtol=rtol, atol=atol, float64_tol=float64_tol)
    else:
        # (True == 1 in Python: a bool where torch gives a number, or the reverse, is a difference)
        assert isinstance(mine, bool) == isinstance(theirs, bool), (where, mine, theirs)
        assert mine == theirs, (where, mine, theirs)
