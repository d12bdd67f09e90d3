"""``Tensor.random_``: whole numbers drawn in place, compared with torch 2.13."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch

import minigrad
from tests._oracle import assert_same_error

BOUNDS = [(), (5,), (2, 5), (-3, 3)]


@pytest.mark.parametrize("bounds", BOUNDS)
def test_random_fill_records_torch_node_and_a_zero_gradient(bounds: tuple[int, ...]) -> None:
    seen = []
    for lib in (minigrad, torch):
        x = lib.ones(4, requires_grad=True)
        y = (x * 1).random_(*bounds)
        y.sum().backward()
        seen.append((type(y.grad_fn).__name__, str(y.dtype), y.shape, x.grad.tolist(), y._version))
    assert seen[0] == seen[1]


@pytest.mark.parametrize("bounds", BOUNDS)
@pytest.mark.parametrize("dtype", ["float32", "float64", "int64"])
def test_random_fill_draws_whole_numbers_in_range(bounds: tuple[int, ...], dtype: str) -> None:
    minigrad.manual_seed(0)
    t = minigrad.zeros(2000, dtype=getattr(minigrad, dtype)).random_(*bounds)
    reference = torch.zeros(2000, dtype=getattr(torch, dtype)).random_(*bounds)
    assert str(t.dtype) == str(reference.dtype)
    values = t.numpy()
    limits = {"float32": 2**24, "float64": 2**53, "int64": 2**63 - 1}
    low, high = (0, *bounds)[-2:] if bounds else (0, limits[dtype] + 1)
    assert values.min() >= low and values.max() <= high - 1
    assert np.array_equal(values, np.round(values))
    if bounds:  # every value of a small range comes up
        assert set(values.astype(np.int64).tolist()) == set(range(low, high))


def test_random_fill_is_repeatable_with_a_seed_or_generator() -> None:
    minigrad.manual_seed(3)
    a = minigrad.zeros(8).random_(10)
    minigrad.manual_seed(3)
    b = minigrad.zeros(8).random_(10)
    c = minigrad.zeros(8).random_(10, generator=minigrad.Generator().manual_seed(3))
    assert a.tolist() == b.tolist() == c.tolist()


@pytest.mark.parametrize(
    "case",
    ["leaf", "empty_range", "reversed_range"],
)
def test_random_fill_errors_match_torch(case: str) -> None:
    def run(lib: Any) -> Any:
        x = lib.ones(3, requires_grad=True)
        if case == "leaf":
            return x.random_(2)
        if case == "empty_range":
            return lib.zeros(3).random_(2, 2)
        return lib.zeros(3).random_(5, 2)

    assert_same_error(lambda: run(minigrad), lambda: run(torch))
