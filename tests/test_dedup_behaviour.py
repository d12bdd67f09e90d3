"""Behaviours checked against torch where issue 17's de-duplication touched the code."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest
import torch

import minigrad
from tests._oracle import assert_same_error

ERRORS: dict[str, Any] = {
    "module_list_of_an_int": lambda L: L.nn.ModuleList(5),
    "module_list_extend_int": lambda L: L.nn.ModuleList().extend(5),
    "module_list_iadd_int": lambda L: L.nn.ModuleList().__iadd__(None),
    "sequential_extend_int": lambda L: L.nn.Sequential().extend(5),
}


@pytest.mark.parametrize("name", list(ERRORS))
def test_container_errors_match_torch(name: str) -> None:
    assert_same_error(lambda: ERRORS[name](minigrad), lambda: ERRORS[name](torch))


NAN = float("nan")
OPTIMIZER_ERRORS: dict[str, Any] = {
    "adam_nan_lr": lambda L, ps: L.optim.Adam(ps, lr=NAN),
    "adamw_nan_eps": lambda L, ps: L.optim.AdamW(ps, eps=NAN),
    "adam_nan_weight_decay": lambda L, ps: L.optim.Adam(ps, weight_decay=NAN),
    "rmsprop_nan_alpha": lambda L, ps: L.optim.RMSprop(ps, alpha=NAN),
    "rmsprop_negative_momentum": lambda L, ps: L.optim.RMSprop(ps, momentum=-0.5),
    "adagrad_nan_lr_decay": lambda L, ps: L.optim.Adagrad(ps, lr_decay=NAN),
    "adagrad_negative_initial_accumulator": lambda L, ps: L.optim.Adagrad(
        ps, initial_accumulator_value=-1.0
    ),
    "adagrad_negative_weight_decay": lambda L, ps: L.optim.Adagrad(ps, weight_decay=-1.0),
}


@pytest.mark.parametrize("name", list(OPTIMIZER_ERRORS))
def test_optimizer_argument_errors_match_torch(name: str) -> None:
    assert_same_error(
        lambda: OPTIMIZER_ERRORS[name](minigrad, [minigrad.zeros(1, requires_grad=True)]),
        lambda: OPTIMIZER_ERRORS[name](torch, [torch.zeros(1, requires_grad=True)]),
    )


def test_sgd_takes_a_nan_learning_rate_as_torch_does() -> None:
    # torch's SGD checks ``lr < 0.0``, which NaN passes; the other optimizers refuse it.
    for L in (minigrad, torch):
        opt = L.optim.SGD([L.zeros(1, requires_grad=True)], lr=NAN)
        assert opt.param_groups[0]["lr"] != opt.param_groups[0]["lr"]


UPDATES = {
    "sgd_momentum_maximize_decay": (
        "SGD",
        {"lr": 0.1, "momentum": 0.9, "weight_decay": 0.1, "maximize": True},
    ),
    "adam_maximize_decay": ("Adam", {"weight_decay": 0.1, "maximize": True}),
    "adamw_no_decay": ("AdamW", {"weight_decay": 0}),
    "adamw_maximize": ("AdamW", {"weight_decay": 0.2, "maximize": True}),
    "rmsprop_centered_maximize_decay": (
        "RMSprop",
        {"weight_decay": 0.1, "maximize": True, "centered": True, "momentum": 0.5},
    ),
    "adagrad_maximize_decay": ("Adagrad", {"weight_decay": 0.1, "maximize": True}),
}


@pytest.mark.parametrize("name", list(UPDATES))
def test_updates_and_version_counts_match_torch(name: str) -> None:
    cls, options = UPDATES[name]
    results = []
    for L in (minigrad, torch):
        w = L.tensor([1.0, -2.0], requires_grad=True)
        opt = getattr(L.optim, cls)([w], **options)
        for _ in range(3):
            opt.zero_grad()
            (w * w * w).sum().backward()
            opt.step()
        results.append((w.detach().numpy(), w._version, sorted(opt.state[w])))
    (m_values, m_version, m_keys), (t_values, t_version, t_keys) = results
    np.testing.assert_allclose(m_values, t_values, rtol=1e-6, atol=1e-6)
    assert m_version == t_version
    assert m_keys == t_keys


def _warnings_of(fn: Any) -> list[warnings.WarningMessage]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fn()
    return list(caught)


@pytest.mark.parametrize("init", ["kaiming_uniform_", "kaiming_normal_"])
def test_kaiming_of_an_empty_tensor_warns_at_the_callers_line(init: str) -> None:
    m_caught = _warnings_of(lambda: getattr(minigrad.nn.init, init)(minigrad.empty(0, 3)))
    t_caught = _warnings_of(lambda: getattr(torch.nn.init, init)(torch.empty(0, 3)))
    assert [str(w.message) for w in m_caught] == [str(w.message) for w in t_caught]
    assert len(m_caught) == 1
    assert m_caught[0].filename == __file__


@pytest.mark.parametrize("loss", ["mse_loss", "l1_loss"])
def test_elementwise_loss_of_another_size_warns_at_the_callers_line(loss: str) -> None:
    m_caught = _warnings_of(
        lambda: getattr(minigrad.nn.functional, loss)(minigrad.ones(3), minigrad.ones(1))
    )
    t_caught = _warnings_of(
        lambda: getattr(torch.nn.functional, loss)(torch.ones(3), torch.ones(1))
    )
    assert [str(w.message) for w in m_caught] == [str(w.message) for w in t_caught]
    assert len(m_caught) == 1
    assert m_caught[0].filename == __file__


@pytest.mark.parametrize("loss", ["mse_loss", "l1_loss"])
def test_elementwise_loss_refuses_a_weight_and_names_itself(loss: str) -> None:
    x = minigrad.ones(2, requires_grad=True)
    with pytest.raises(NotImplementedError, match=f"^minigrad's {loss} does not take a weight$"):
        getattr(minigrad.nn.functional, loss)(x, minigrad.ones(2), weight=minigrad.ones(2))
    assert x.grad is None


LEGACY = [(False, None), (None, False), (True, True), (False, True), (True, False)]


@pytest.mark.parametrize(("size_average", "reduce"), LEGACY)
def test_legacy_reduction_of_layers_and_functions_matches_torch(
    size_average: Any, reduce: Any
) -> None:
    seen = []
    for L in (minigrad, torch):
        logp = L.tensor([[-0.5, -1.0], [-2.0, -0.1]])
        target = L.tensor([1, 0])
        x, y = L.tensor([1.0, -3.0]), L.tensor([0.5, 0.5])
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            layers = [
                L.nn.MSELoss(size_average=size_average, reduce=reduce),
                L.nn.NLLLoss(size_average=size_average, reduce=reduce),
            ]
            values = [
                layers[0](x, y),
                layers[1](logp, target),
                L.nn.functional.l1_loss(x, y, size_average=size_average, reduce=reduce),
            ]
        seen.append(
            (
                [layer.reduction for layer in layers],
                [v.detach().numpy().tolist() for v in values],
                [str(w.message) for w in caught],
            )
        )
    assert seen[0] == seen[1]
    assert len(seen[0][2]) == 3
