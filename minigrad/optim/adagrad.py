"""``Adagrad``: each weight's step divided by the root of its summed squared gradients."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from minigrad.optim.optimizer import (
    Optimizer,
    check_not_negative,
    gradient,
    new_step,
    write_,
)
from minigrad.tensor import Tensor

__all__ = ["Adagrad"]


class Adagrad(Optimizer):
    """Adagrad, with PyTorch's update rule.

    For each parameter p with gradient g (negated when ``maximize``), at step t::

        g = g + weight_decay * p
        clr = lr / (1 + (t - 1) * lr_decay)
        s = s + g²                          (starts at initial_accumulator_value)
        p = p - clr * g / (sqrt(s) + eps)

    As in PyTorch, the state of every parameter is made with the optimizer.

    >>> import minigrad
    >>> w = minigrad.tensor([1.0, -1.0], requires_grad=True)
    >>> opt = minigrad.optim.Adagrad([w], lr=0.1)
    >>> for _ in range(2):
    ...     opt.zero_grad()
    ...     (w * w).sum().backward()
    ...     opt.step()
    ...     print(w)  # a first step of lr, then shorter ones as the squares add up
    tensor([ 0.9000, -0.9000], requires_grad=True)
    tensor([ 0.8331, -0.8331], requires_grad=True)
    """

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-2,
        lr_decay: float = 0,
        weight_decay: float = 0,
        initial_accumulator_value: float = 0,
        eps: float = 1e-10,
        foreach: bool | None = None,
        *,
        maximize: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        check_not_negative("learning rate", lr)
        check_not_negative("lr_decay value", lr_decay)
        check_not_negative("weight_decay value", weight_decay)
        check_not_negative("initial_accumulator_value value", initial_accumulator_value)
        check_not_negative("epsilon value", eps)
        defaults = {
            "lr": lr,
            "lr_decay": lr_decay,
            "eps": eps,
            "weight_decay": weight_decay,
            "initial_accumulator_value": initial_accumulator_value,
            # Accepted for PyTorch's signature (and printed as it prints them).
            "foreach": foreach,
            "maximize": maximize,
            "differentiable": differentiable,
            "fused": fused,
        }
        super().__init__(params, defaults)
        for group in self.param_groups:
            for p in group["params"]:
                self._init_state(p)

    def _init_state(self, p: Tensor) -> None:
        state = self.state[p]
        state["step"] = new_step()
        state["sum"] = Tensor._make(
            np.full_like(p._data, self.defaults["initial_accumulator_value"])
        )

    def _update(self, p: Tensor, group: dict[str, Any]) -> None:
        lr, lr_decay, eps = group["lr"], group["lr_decay"], group["eps"]
        weight_decay = group["weight_decay"]
        state = self.state[p]
        if not state:  # a parameter added later with add_param_group
            self._init_state(p)
        state["step"]._data += 1
        step = float(state["step"]._data)
        grad = gradient(p, group, weight_decay)
        clr = lr / (1 + (step - 1) * lr_decay)
        s = state["sum"]._data
        s += grad * grad  # torch's addcmul_(grad, grad, value=1)
        std = np.sqrt(s) + eps
        write_(p, p._data + (-clr) * (grad / std))
