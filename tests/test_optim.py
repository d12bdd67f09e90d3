"""minigrad.optim against torch.optim: from the same start and the same gradients, the
parameters (and the optimizer state) agree after many steps; the options, printed forms,
state dicts and errors are torch's.
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


def _start(seed: int = 0) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [rng.standard_normal(s).astype(np.float32) for s in SHAPES]


def _gradients(steps: int, seed: int = 1) -> list[list[np.ndarray]]:
    rng = np.random.default_rng(seed)
    return [[rng.standard_normal(s).astype(np.float32) for s in SHAPES] for _ in range(steps)]


def run_optimizer(
    lib: Any, make: Callable[[Any, list[Any]], Any], steps: int = 60, skip_some: bool = False
) -> tuple[list[np.ndarray], Any]:
    """Feed the same gradients to an optimizer; return the final parameters and the optimizer."""
    params = [lib.tensor(a.copy(), requires_grad=True) for a in _start()]
    opt = make(lib, params)
    for step, grads in enumerate(_gradients(steps)):
        opt.zero_grad()
        for i, (p, g) in enumerate(zip(params, grads)):
            if skip_some and (step + i) % 4 == 0:
                continue  # this parameter got no gradient this step: it is not updated
            p.grad = lib.tensor(g.copy())
        opt.step()
    return [p.detach().numpy().copy() for p in params], opt


SGD_CONFIGS: dict[str, dict[str, Any]] = {
    "plain": {"lr": 0.1},
    "momentum": {"lr": 0.05, "momentum": 0.9},
    "dampening": {"lr": 0.05, "momentum": 0.9, "dampening": 0.3},
    "nesterov": {"lr": 0.05, "momentum": 0.8, "nesterov": True},
    "weight_decay": {"lr": 0.1, "weight_decay": 0.01},
    "all": {"lr": 0.02, "momentum": 0.5, "weight_decay": 0.1, "nesterov": True},
    "maximize": {"lr": 0.01, "momentum": 0.9, "maximize": True},
    "default_lr": {},
}

ADAM_CONFIGS: dict[str, tuple[str, dict[str, Any]]] = {
    "adam": ("Adam", {"lr": 0.01}),
    "adam_betas_eps": ("Adam", {"lr": 0.003, "betas": (0.8, 0.99), "eps": 1e-6}),
    "adam_weight_decay": ("Adam", {"lr": 0.01, "weight_decay": 0.1}),
    "adam_amsgrad": ("Adam", {"lr": 0.01, "amsgrad": True}),
    "adam_maximize": ("Adam", {"lr": 0.01, "maximize": True}),
    "adam_decoupled": ("Adam", {"lr": 0.01, "weight_decay": 0.1, "decoupled_weight_decay": True}),
    "adamw": ("AdamW", {"lr": 0.01}),
    "adamw_amsgrad": ("AdamW", {"lr": 0.02, "weight_decay": 0.5, "amsgrad": True}),
    "adam_default": ("Adam", {}),
}


def _assert_close(mine: list[np.ndarray], theirs: list[np.ndarray], what: str) -> None:
    for i, (m, t) in enumerate(zip(mine, theirs)):
        assert m.dtype == t.dtype and m.shape == t.shape, (what, i)
        np.testing.assert_allclose(m, t, rtol=1e-5, atol=1e-6, err_msg=f"{what}: parameter {i}")


@pytest.mark.parametrize("name", list(SGD_CONFIGS))
def test_sgd_matches_torch(name: str) -> None:
    config = SGD_CONFIGS[name]
    mine, m_opt = run_optimizer(minigrad, lambda L, ps: L.optim.SGD(ps, **config))
    theirs, t_opt = run_optimizer(torch, lambda L, ps: L.optim.SGD(ps, **config))
    _assert_close(mine, theirs, name)
    m_state, t_state = m_opt.state_dict()["state"], t_opt.state_dict()["state"]
    assert sorted(m_state) == sorted(t_state)
    for key in t_state:
        assert sorted(m_state[key]) == sorted(t_state[key])
        if "momentum_buffer" in t_state[key]:
            np.testing.assert_allclose(
                m_state[key]["momentum_buffer"].numpy(),
                t_state[key]["momentum_buffer"].numpy(),
                rtol=1e-5,
                atol=1e-6,
            )


@pytest.mark.parametrize("name", list(ADAM_CONFIGS))
def test_adam_matches_torch(name: str) -> None:
    cls, config = ADAM_CONFIGS[name]
    mine, m_opt = run_optimizer(minigrad, lambda L, ps: getattr(L.optim, cls)(ps, **config))
    theirs, t_opt = run_optimizer(torch, lambda L, ps: getattr(L.optim, cls)(ps, **config))
    _assert_close(mine, theirs, name)
    m_state, t_state = m_opt.state_dict()["state"], t_opt.state_dict()["state"]
    for key in t_state:
        assert sorted(m_state[key]) == sorted(t_state[key])
        for field, value in t_state[key].items():
            if field == "step":
                assert repr(m_state[key][field]) == repr(value)
            np.testing.assert_allclose(
                m_state[key][field].numpy(),
                value.numpy(),
                rtol=1e-5,
                atol=1e-7,
                err_msg=f"{name}: state {field}",
            )


@pytest.mark.parametrize("cls", ["SGD", "Adam", "AdamW"])
def test_parameters_without_gradient_are_skipped(cls: str) -> None:
    options = {"lr": 0.05, "momentum": 0.9} if cls == "SGD" else {"lr": 0.05}
    mine, m_opt = run_optimizer(
        minigrad, lambda L, ps: getattr(L.optim, cls)(ps, **options), skip_some=True
    )
    theirs, t_opt = run_optimizer(
        torch, lambda L, ps: getattr(L.optim, cls)(ps, **options), skip_some=True
    )
    _assert_close(mine, theirs, cls)
    if cls != "SGD":
        steps = [v["step"].item() for v in m_opt.state_dict()["state"].values()]
        assert steps == [v["step"].item() for v in t_opt.state_dict()["state"].values()]


def test_float64_parameters_stay_float64() -> None:
    def run(L: Any) -> Any:
        w = L.tensor([1.0, -2.0], dtype=L.float64, requires_grad=True)
        opt = L.optim.Adam([w], lr=0.1, weight_decay=0.01)
        for _ in range(5):
            opt.zero_grad()
            (w.sin() * w).sum().backward()
            opt.step()
        return w

    m, t = run(minigrad), run(torch)
    assert str(m.dtype) == str(t.dtype) == "torch.float64"
    np.testing.assert_allclose(m.detach().numpy(), t.detach().numpy(), rtol=1e-12)


def test_param_groups_with_their_own_options() -> None:
    def run(L: Any) -> tuple[list[np.ndarray], Any]:
        a = L.tensor([1.0, 2.0], requires_grad=True)
        b = L.tensor([3.0], requires_grad=True)
        c = L.tensor([-1.0], requires_grad=True)
        opt = L.optim.SGD([{"params": [a]}, {"params": b, "lr": 0.5, "momentum": 0.9}], lr=0.1)
        opt.add_param_group({"params": [c], "weight_decay": 0.1})
        for _ in range(3):
            opt.zero_grad()
            (a * a + b * b * b + c.exp()).sum().backward()
            opt.step()
        return [t.detach().numpy().copy() for t in (a, b, c)], opt

    (mine, m_opt), (theirs, t_opt) = run(minigrad), run(torch)
    _assert_close(mine, theirs, "groups")
    assert repr(m_opt) == repr(t_opt)
    m_groups = [{k: v for k, v in g.items() if k != "params"} for g in m_opt.param_groups]
    t_groups = [{k: v for k, v in g.items() if k != "params"} for g in t_opt.param_groups]
    assert m_groups == t_groups


@pytest.mark.parametrize(
    "make",
    [
        lambda L, ps: L.optim.SGD(ps, lr=0.1),
        lambda L, ps: L.optim.SGD(ps, lr=0.01, momentum=0.9, nesterov=True, weight_decay=1e-4),
        lambda L, ps: L.optim.Adam(ps),
        lambda L, ps: L.optim.Adam(ps, lr=0.1, betas=(0.5, 0.6), amsgrad=True),
        lambda L, ps: L.optim.AdamW(ps, lr=0.1),
    ],
)
def test_repr_matches_torch(make: Callable[[Any, list[Any]], Any]) -> None:
    def build(L: Any) -> Any:
        return make(L, [L.zeros(2, requires_grad=True)])

    assert repr(build(minigrad)) == repr(build(torch))


def test_zero_grad() -> None:
    def observe(L: Any) -> list[Any]:
        w = L.tensor([1.0, 2.0], requires_grad=True)
        opt = L.optim.SGD([w], lr=0.1)
        (w * w).sum().backward()
        held = w.grad
        opt.zero_grad(set_to_none=False)
        facts = [w.grad is held, w.grad.tolist()]
        opt.zero_grad()
        facts.append(w.grad is None)
        opt.zero_grad()  # nothing to do
        return facts

    assert observe(minigrad) == observe(torch)


def test_step_with_closure_returns_the_loss() -> None:
    def run(L: Any) -> list[Any]:
        w = L.tensor([1.0, -1.0], requires_grad=True)
        opt = L.optim.SGD([w], lr=0.1)

        def closure() -> Any:
            opt.zero_grad()
            loss = (w * w).sum()
            loss.backward()
            return loss

        losses = [opt.step(closure).item() for _ in range(3)]
        return [losses, w.tolist()]

    mine, theirs = run(minigrad), run(torch)
    np.testing.assert_allclose(np.array(mine[0]), np.array(theirs[0]), rtol=1e-6)
    np.testing.assert_allclose(np.array(mine[1]), np.array(theirs[1]), rtol=1e-6)


def test_step_changes_parameters_in_place_and_counts_versions() -> None:
    def observe(L: Any) -> list[Any]:
        w = L.tensor([1.0, 2.0], requires_grad=True)
        opt = L.optim.Adam([w], lr=0.1)
        y = (w * w).sum()  # saves w
        y.backward(retain_graph=True)
        before = w._version
        opt.step()
        message = ""
        try:
            y.backward()
        except RuntimeError as error:
            message = str(error)
        return [w._version > before, w.is_leaf, w.requires_grad, message]

    assert observe(minigrad) == observe(torch)


def test_state_dict_and_load_state_dict() -> None:
    def observe(L: Any) -> list[Any]:
        params = [L.tensor([1.0, 2.0], requires_grad=True), L.tensor([0.5], requires_grad=True)]
        opt = L.optim.Adam(params, lr=0.01, amsgrad=True)
        for _ in range(3):
            opt.zero_grad()
            (params[0].exp().sum() + params[1] ** 2).sum().backward()
            opt.step()
        sd = opt.state_dict()
        facts: list[Any] = [
            sorted(sd),
            sorted(sd["state"]),
            {k: sorted(v) for k, v in sd["state"].items()},
            sd["param_groups"],
        ]
        fresh = L.optim.Adam(params, lr=0.5)
        fresh.load_state_dict(sd)
        facts.append(fresh.param_groups[0]["lr"])
        facts.append(fresh.param_groups[0]["params"][0] is params[0])
        state = fresh.state[params[0]]
        facts.append(state["exp_avg"] is not opt.state[params[0]]["exp_avg"])
        facts.append(np.round(state["exp_avg"].numpy(), 6).tolist())
        facts.append(repr(state["step"]))
        return facts

    assert observe(minigrad) == observe(torch)


def test_load_state_dict_errors() -> None:
    def make(L: Any, groups: Any) -> Callable[[], Any]:
        a, b = L.zeros(1, requires_grad=True), L.zeros(1, requires_grad=True)
        source = L.optim.SGD([a, b], lr=0.1)
        target = L.optim.SGD(groups(a, b), lr=0.1)
        return lambda: target.load_state_dict(source.state_dict())

    assert_same_error(make(minigrad, lambda a, b: [a]), make(torch, lambda a, b: [a]))
    assert_same_error(
        make(minigrad, lambda a, b: [{"params": [a]}, {"params": [b]}]),
        make(torch, lambda a, b: [{"params": [a]}, {"params": [b]}]),
    )


ERRORS: dict[str, Callable[[Any], Any]] = {
    "sgd_negative_lr": lambda L: L.optim.SGD([L.zeros(1, requires_grad=True)], lr=-1.0),
    "sgd_negative_momentum": lambda L: L.optim.SGD([L.zeros(1, requires_grad=True)], momentum=-0.5),
    "sgd_negative_weight_decay": lambda L: L.optim.SGD(
        [L.zeros(1, requires_grad=True)], weight_decay=-1
    ),
    "sgd_nesterov_without_momentum": lambda L: L.optim.SGD(
        [L.zeros(1, requires_grad=True)], lr=0.1, nesterov=True
    ),
    "sgd_nesterov_with_dampening": lambda L: L.optim.SGD(
        [L.zeros(1, requires_grad=True)], lr=0.1, momentum=0.9, dampening=0.1, nesterov=True
    ),
    "adam_negative_lr": lambda L: L.optim.Adam([L.zeros(1, requires_grad=True)], lr=-0.01),
    "adam_negative_eps": lambda L: L.optim.Adam([L.zeros(1, requires_grad=True)], eps=-1e-8),
    "adam_beta0": lambda L: L.optim.Adam([L.zeros(1, requires_grad=True)], betas=(1.0, 0.999)),
    "adam_beta1": lambda L: L.optim.Adam([L.zeros(1, requires_grad=True)], betas=(0.9, -0.1)),
    "adam_weight_decay": lambda L: L.optim.Adam([L.zeros(1, requires_grad=True)], weight_decay=-1),
    "adamw_negative_lr": lambda L: L.optim.AdamW([L.zeros(1, requires_grad=True)], lr=-2.0),
    "empty_parameter_list": lambda L: L.optim.SGD([], lr=0.1),
    "a_tensor_instead_of_a_list": lambda L: L.optim.SGD(L.zeros(2, requires_grad=True), lr=0.1),
    "a_set_of_parameters": lambda L: L.optim.SGD(
        [{"params": {L.zeros(2, requires_grad=True)}}], lr=0.1
    ),
    "a_non_tensor": lambda L: L.optim.SGD([1.0], lr=0.1),
    "a_non_leaf": lambda L: L.optim.SGD([L.zeros(2, requires_grad=True) * 2], lr=0.1),
    "a_parameter_in_two_groups": lambda L: (
        lambda p: L.optim.SGD([{"params": [p]}, {"params": [p]}], lr=0.1)
    )(L.zeros(1, requires_grad=True)),
    "a_group_that_is_not_a_dict": lambda L: L.optim.SGD(
        [L.zeros(1, requires_grad=True)], lr=0.1
    ).add_param_group([L.zeros(1, requires_grad=True)]),
}


@pytest.mark.parametrize("name", list(ERRORS))
def test_errors_match_torch(name: str) -> None:
    assert_same_error(lambda: ERRORS[name](minigrad), lambda: ERRORS[name](torch))


def test_duplicate_parameters_warn_as_in_torch() -> None:
    import warnings

    messages = []
    for L in (minigrad, torch):
        p = L.zeros(1, requires_grad=True)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            L.optim.SGD([p, p], lr=0.1)
        messages.append([str(w.message) for w in caught])
    assert messages[0] == messages[1] and len(messages[0]) == 1


def test_optimizing_a_model() -> None:
    """The loop of every training script: the same model and data give the same parameters."""

    def run(L: Any) -> Any:
        return L.nn.Sequential(L.nn.Linear(3, 8), L.nn.Tanh(), L.nn.Linear(8, 1))

    mine, theirs = run(minigrad), run(torch)
    with torch.no_grad():
        for (_, p), (_, t) in zip(mine.named_parameters(), theirs.named_parameters()):
            t.copy_(torch.from_numpy(p.detach().numpy().copy()))
    rng = np.random.default_rng(0)
    x = rng.standard_normal((16, 3)).astype(np.float32)
    y = rng.standard_normal((16, 1)).astype(np.float32)
    results = []
    for L, model in ((minigrad, mine), (torch, theirs)):
        opt = L.optim.AdamW(model.parameters(), lr=0.01)
        for _ in range(40):
            opt.zero_grad()
            loss = L.nn.functional.mse_loss(model(L.tensor(x)), L.tensor(y))
            loss.backward()
            opt.step()
        results.append([p.detach().numpy().copy() for p in model.parameters()])
    _assert_close(results[0], results[1], "model")
