"""RMSprop and Adagrad against torch.optim: from the same start and the same gradients, the
parameters and the optimizer state agree step by step (float32 and float64); the options,
printed forms, state dicts and errors are torch's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch

import minigrad
from tests._oracle import assert_same_error

SHAPES = [(3, 4), (4,), ()]
TOLERANCES = {"float32": (1e-5, 1e-6), "float64": (1e-12, 1e-14)}

RMSPROP_CONFIGS: dict[str, dict[str, Any]] = {
    "default": {},
    "lr": {"lr": 0.05},
    "alpha_eps": {"lr": 0.01, "alpha": 0.9, "eps": 1e-6},
    "weight_decay": {"lr": 0.01, "weight_decay": 0.1},
    "momentum": {"lr": 0.01, "momentum": 0.9},
    "centered": {"lr": 0.01, "centered": True},
    "centered_momentum": {"lr": 0.005, "centered": True, "momentum": 0.5, "weight_decay": 0.01},
    "maximize": {"lr": 0.01, "maximize": True, "momentum": 0.3},
}

ADAGRAD_CONFIGS: dict[str, dict[str, Any]] = {
    "default": {},
    "lr": {"lr": 0.1},
    "lr_decay": {"lr": 0.1, "lr_decay": 0.05},
    "weight_decay": {"lr": 0.05, "weight_decay": 0.1},
    "initial_accumulator_value": {"lr": 0.1, "initial_accumulator_value": 0.5},
    "eps": {"lr": 0.1, "eps": 1e-3},
    "all": {"lr": 0.2, "lr_decay": 0.01, "weight_decay": 0.05, "initial_accumulator_value": 0.1},
    "maximize": {"lr": 0.1, "maximize": True},
}

CASES = [("RMSprop", name) for name in RMSPROP_CONFIGS]
CASES += [("Adagrad", name) for name in ADAGRAD_CONFIGS]


def _config(cls: str, name: str) -> dict[str, Any]:
    return (RMSPROP_CONFIGS if cls == "RMSprop" else ADAGRAD_CONFIGS)[name]


def run_steps(
    lib: Any, make: Callable[[Any, list[Any]], Any], dtype: str, steps: int, skip_some: bool
) -> tuple[list[list[np.ndarray]], Any]:
    """Feed the same gradients to an optimizer; return the parameters after every step."""
    rng = np.random.default_rng(0)
    params = [lib.tensor(rng.standard_normal(s).astype(dtype), requires_grad=True) for s in SHAPES]
    opt = make(lib, params)
    grads_rng = np.random.default_rng(1)
    history = []
    for step in range(steps):
        opt.zero_grad()
        for i, p in enumerate(params):
            g = grads_rng.standard_normal(SHAPES[i]).astype(dtype)
            if skip_some and (step + i) % 4 == 0:
                continue  # this parameter got no gradient this step: it is not updated
            p.grad = lib.tensor(g)
        opt.step()
        history.append([p.detach().numpy().copy() for p in params])
    return history, opt


def _compare_state(m_opt: Any, t_opt: Any, rtol: float, atol: float) -> None:
    m_state, t_state = m_opt.state_dict()["state"], t_opt.state_dict()["state"]
    assert sorted(m_state) == sorted(t_state)
    for key, t_fields in t_state.items():
        assert sorted(m_state[key]) == sorted(t_fields)
        for field, value in t_fields.items():
            mine = m_state[key][field]
            assert repr(mine.dtype) == repr(value.dtype), field
            if field == "step":
                assert repr(mine) == repr(value)
            np.testing.assert_allclose(mine.numpy(), value.numpy(), rtol=rtol, atol=atol)


@pytest.mark.parametrize(("cls", "name"), CASES)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_matches_torch_step_by_step(cls: str, name: str, dtype: str) -> None:
    config = _config(cls, name)

    def make(L: Any, ps: list[Any]) -> Any:
        return getattr(L.optim, cls)(ps, **config)

    mine, m_opt = run_steps(minigrad, make, dtype, 25, skip_some=False)
    theirs, t_opt = run_steps(torch, make, dtype, 25, skip_some=False)
    rtol, atol = TOLERANCES[dtype]
    for step, (m_params, t_params) in enumerate(zip(mine, theirs)):
        for i, (m, t) in enumerate(zip(m_params, t_params)):
            assert m.dtype == t.dtype and m.shape == t.shape
            np.testing.assert_allclose(
                m, t, rtol=rtol, atol=atol, err_msg=f"{cls} {name}: step {step}, parameter {i}"
            )
    _compare_state(m_opt, t_opt, rtol, atol)


@pytest.mark.parametrize("cls", ["RMSprop", "Adagrad"])
def test_parameters_without_gradient_are_skipped(cls: str) -> None:
    def make(L: Any, ps: list[Any]) -> Any:
        return getattr(L.optim, cls)(ps, lr=0.05, **({"momentum": 0.5} if cls == "RMSprop" else {}))

    mine, m_opt = run_steps(minigrad, make, "float32", 12, skip_some=True)
    theirs, t_opt = run_steps(torch, make, "float32", 12, skip_some=True)
    for m_params, t_params in zip(mine, theirs):
        for m, t in zip(m_params, t_params):
            np.testing.assert_allclose(m, t, rtol=1e-5, atol=1e-6)
    _compare_state(m_opt, t_opt, 1e-5, 1e-6)


def test_adagrad_state_exists_before_the_first_step() -> None:
    def state(L: Any) -> Any:
        w = L.tensor([1.0, 2.0], requires_grad=True)
        return L.optim.Adagrad([w], initial_accumulator_value=0.5).state_dict()["state"]

    m, t = state(minigrad), state(torch)
    assert repr(m) == repr(t)


@pytest.mark.parametrize(
    "make",
    [
        lambda L, ps: L.optim.RMSprop(ps),
        lambda L, ps: L.optim.RMSprop(ps, lr=0.1, alpha=0.9, momentum=0.5, centered=True),
        lambda L, ps: L.optim.Adagrad(ps),
        lambda L, ps: L.optim.Adagrad(ps, lr=0.1, lr_decay=0.01, initial_accumulator_value=0.1),
    ],
)
def test_repr_and_param_groups_match_torch(make: Callable[[Any, list[Any]], Any]) -> None:
    def build(L: Any) -> Any:
        return make(L, [L.zeros(2, requires_grad=True)])

    m, t = build(minigrad), build(torch)
    assert repr(m) == repr(t)
    strip = [{k: v for k, v in g.items() if k != "params"} for g in t.param_groups]
    assert [{k: v for k, v in g.items() if k != "params"} for g in m.param_groups] == strip


@pytest.mark.parametrize(
    "make",
    [
        lambda L, ps: L.optim.RMSprop(ps, lr=-1.0),
        lambda L, ps: L.optim.RMSprop(ps, eps=-1.0),
        lambda L, ps: L.optim.RMSprop(ps, momentum=-0.5),
        lambda L, ps: L.optim.RMSprop(ps, weight_decay=-0.1),
        lambda L, ps: L.optim.RMSprop(ps, alpha=-0.9),
        lambda L, ps: L.optim.Adagrad(ps, lr=-1.0),
        lambda L, ps: L.optim.Adagrad(ps, lr_decay=-1.0),
        lambda L, ps: L.optim.Adagrad(ps, weight_decay=-1.0),
        lambda L, ps: L.optim.Adagrad(ps, initial_accumulator_value=-1.0),
        lambda L, ps: L.optim.Adagrad(ps, eps=-1.0),
        lambda L, ps: L.optim.Adagrad([]),
        lambda L, ps: L.optim.RMSprop(ps[0]),
    ],
)
def test_bad_options_raise_torchs_errors(make: Callable[[Any, list[Any]], Any]) -> None:
    assert_same_error(
        lambda: make(minigrad, [minigrad.zeros(2, requires_grad=True)]),
        lambda: make(torch, [torch.zeros(2, requires_grad=True)]),
    )


@pytest.mark.parametrize("cls", ["RMSprop", "Adagrad"])
def test_state_dict_round_trip(cls: str) -> None:
    def run(L: Any, reload: bool) -> list[float]:
        w = L.tensor([1.0, -2.0, 0.5], requires_grad=True)
        options = {"lr": 0.1, "momentum": 0.5, "centered": True} if cls == "RMSprop" else {}
        opt = getattr(L.optim, cls)([w], **options)
        for step in range(6):
            if reload and step == 3:
                saved = opt.state_dict()
                opt = getattr(L.optim, cls)([w], **options)
                opt.load_state_dict(saved)
            opt.zero_grad()
            (w.sin() * w).sum().backward()
            opt.step()
        return w.tolist()

    straight = run(minigrad, False)
    assert run(minigrad, True) == straight
    np.testing.assert_allclose(straight, run(torch, False), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("cls", ["RMSprop", "Adagrad"])
def test_a_small_model_trains_as_with_torch(cls: str) -> None:
    rng = np.random.default_rng(3)
    x = rng.standard_normal((16, 4)).astype(np.float32)
    y = (x @ rng.standard_normal((4, 1)).astype(np.float32)).astype(np.float32)
    w1 = rng.standard_normal((8, 4)).astype(np.float32) * 0.5
    w2 = rng.standard_normal((1, 8)).astype(np.float32) * 0.5

    def train(L: Any) -> Any:
        model = L.nn.Sequential(L.nn.Linear(4, 8), L.nn.Tanh(), L.nn.Linear(8, 1))
        with L.no_grad():
            model[0].weight.copy_(L.tensor(w1))
            model[2].weight.copy_(L.tensor(w2))
            model[0].bias.zero_()
            model[2].bias.zero_()
        opt = getattr(L.optim, cls)(model.parameters(), lr=0.01)
        losses = []
        for _ in range(20):
            opt.zero_grad()
            loss = L.nn.functional.mse_loss(model(L.tensor(x)), L.tensor(y))
            loss.backward()
            opt.step()
            losses.append(loss.item())
        return losses

    mine, theirs = train(minigrad), train(torch)
    np.testing.assert_allclose(mine, theirs, rtol=1e-4)
    assert mine[-1] < mine[0]


@pytest.mark.parametrize("cls", ["RMSprop", "Adagrad", "Adam"])
def test_the_step_counter_takes_the_default_dtype(cls: str) -> None:
    def step_repr(L: Any) -> str:
        L.set_default_dtype(L.float64)
        try:
            w = L.tensor([1.0, 2.0], requires_grad=True)
            opt = getattr(L.optim, cls)([w])
            w.sum().backward()
            opt.step()
            return repr(opt.state_dict()["state"][0]["step"])
        finally:
            L.set_default_dtype(L.float32)

    assert step_repr(minigrad) == step_repr(torch)
