"""Training end to end: the same MLP, the same initial weights (minigrad's initialization
copied into torch), the same data and the same optimizer give the same loss at every step.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch

import minigrad

torch.set_num_threads(1)  # tiny tensors: threads only add overhead


def make_model(L: Any, hidden: int, outputs: int, activation: str) -> Any:
    act = {"tanh": L.nn.Tanh, "relu": L.nn.ReLU, "sigmoid": L.nn.Sigmoid}[activation]
    return L.nn.Sequential(
        L.nn.Linear(2, hidden),
        act(),
        L.nn.Linear(hidden, hidden),
        act(),
        L.nn.Linear(hidden, outputs),
    )


def same_start(mine: Any, theirs: Any) -> None:
    """minigrad's initial weights into the torch model."""
    with torch.no_grad():
        for (name, p), (t_name, t) in zip(mine.named_parameters(), theirs.named_parameters()):
            assert name == t_name
            t.copy_(torch.from_numpy(p.detach().numpy().copy()))


def data(task: str, n: int = 64) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    x = rng.uniform(-2, 2, (n, 2)).astype(np.float32)
    if task == "regression":
        y = (np.sin(x[:, :1] * 1.5) * np.cos(x[:, 1:]) + 0.1 * x[:, :1]).astype(np.float32)
    elif task == "binary":
        y = ((x[:, :1] ** 2 + x[:, 1:] ** 2) < 1.5).astype(np.float32)
    else:  # three classes by angle
        y = (np.floor((np.arctan2(x[:, 1], x[:, 0]) + np.pi) / (2 * np.pi / 3)) % 3).astype(
            np.int64
        )
    return x, y


RUNS: dict[str, dict[str, Any]] = {
    "regression_tanh_sgd_momentum": {
        "task": "regression",
        "activation": "tanh",
        "outputs": 1,
        "steps": 300,
        "loss": lambda L: L.nn.MSELoss(),
        "optimizer": lambda L, ps: L.optim.SGD(ps, lr=0.05, momentum=0.9),
    },
    "binary_relu_adam": {
        "task": "binary",
        "activation": "relu",
        "outputs": 1,
        "steps": 200,
        "loss": lambda L: L.nn.BCEWithLogitsLoss(),
        "optimizer": lambda L, ps: L.optim.Adam(ps, lr=0.01),
    },
    "classes_tanh_adamw": {
        "task": "classes",
        "activation": "tanh",
        "outputs": 3,
        "steps": 200,
        "loss": lambda L: L.nn.CrossEntropyLoss(),
        "optimizer": lambda L, ps: L.optim.AdamW(ps, lr=0.01, weight_decay=0.01),
    },
    "regression_tanh_nesterov_weight_decay": {
        "task": "regression",
        "activation": "tanh",
        "outputs": 1,
        "steps": 200,
        "loss": lambda L: L.nn.MSELoss(),
        "optimizer": lambda L, ps: L.optim.SGD(
            ps, lr=0.1, momentum=0.5, nesterov=True, weight_decay=1e-3
        ),
    },
}


def train(L: Any, model: Any, run: dict[str, Any]) -> list[float]:
    x, y = data(run["task"])
    inputs, targets = L.tensor(x), L.tensor(y)
    loss_fn: Callable[..., Any] = run["loss"](L)
    opt = run["optimizer"](L, model.parameters())
    losses = []
    for _ in range(run["steps"]):
        opt.zero_grad()
        loss = loss_fn(model(inputs), targets)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses


@pytest.mark.parametrize("name", list(RUNS))
def test_loss_curve_matches_torch_step_by_step(name: str) -> None:
    run = RUNS[name]
    minigrad.manual_seed(0)
    mine = make_model(minigrad, 16, run["outputs"], run["activation"])
    theirs = make_model(torch, 16, run["outputs"], run["activation"])
    same_start(mine, theirs)
    m_losses = train(minigrad, mine, run)
    t_losses = train(torch, theirs, run)
    np.testing.assert_allclose(m_losses, t_losses, rtol=1e-4, atol=1e-6)
    assert m_losses[-1] < 0.5 * m_losses[0], "the model did not learn"
    for (n, p), (_, t) in zip(mine.named_parameters(), theirs.named_parameters()):
        np.testing.assert_allclose(
            p.detach().numpy(), t.detach().numpy(), rtol=1e-3, atol=1e-4, err_msg=n
        )
