"""``Adam`` and ``AdamW``: adaptive moment estimation, with PyTorch's update rule."""

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
    zeros_like_param,
)
from minigrad.tensor import Tensor

__all__ = ["Adam", "AdamW"]


class Adam(Optimizer):
    """Adam, with PyTorch's update rule (``decoupled_weight_decay=True`` is AdamW).

    For each parameter p with gradient g, at step t::

        g = g + weight_decay * p            (Adam; AdamW instead does p = p * (1 - lr * wd))
        m = m + (1 - beta1) * (g - m)       (moving average of g)
        v = beta2 * v + (1 - beta2) * g²    (moving average of g²; amsgrad keeps its maximum)
        p = p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)

    >>> import minigrad
    >>> w = minigrad.tensor([1.0, -1.0], requires_grad=True)
    >>> opt = minigrad.optim.Adam([w], lr=0.1)
    >>> (w * w).sum().backward()
    >>> opt.step()
    >>> w  # the first step moves each weight by lr
    tensor([ 0.9000, -0.9000], requires_grad=True)
    """

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        amsgrad: bool = False,
        *,
        foreach: bool | None = None,
        maximize: bool = False,
        capturable: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
        decoupled_weight_decay: bool = False,
    ) -> None:
        check_not_negative("learning rate", lr)
        check_not_negative("epsilon value", eps)
        if not 0.0 <= betas[0] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 0: {betas[0]}")
        if not 0.0 <= betas[1] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 1: {betas[1]}")
        check_not_negative("weight_decay value", weight_decay)
        if not (isinstance(betas[0], float) and isinstance(betas[1], float)):
            raise ValueError("betas must be either both floats or both Tensors")
        defaults = {
            "lr": lr,
            "betas": tuple(betas),
            "eps": eps,
            "weight_decay": weight_decay,
            "amsgrad": amsgrad,
            "maximize": maximize,
            # Accepted for PyTorch's signature (and printed as it prints them).
            "foreach": foreach,
            "capturable": capturable,
            "differentiable": differentiable,
            "fused": fused,
            "decoupled_weight_decay": decoupled_weight_decay,
        }
        super().__init__(params, defaults)

    def _update(self, p: Tensor, group: dict[str, Any]) -> None:
        lr, (beta1, beta2), eps = group["lr"], group["betas"], group["eps"]
        weight_decay = group["weight_decay"]
        state = self.state[p]
        if not state:
            state["step"] = new_step()
            state["exp_avg"] = zeros_like_param(p)
            state["exp_avg_sq"] = zeros_like_param(p)
            if group["amsgrad"]:
                state["max_exp_avg_sq"] = zeros_like_param(p)
        state["step"]._data += 1
        step = float(state["step"]._data)

        decoupled = group["decoupled_weight_decay"]
        if decoupled and weight_decay != 0:
            write_(p, p._data * (1 - lr * weight_decay))  # AdamW decays p, not its gradient
        grad = gradient(p, group, 0 if decoupled else weight_decay)

        m, v = state["exp_avg"]._data, state["exp_avg_sq"]._data
        m += (1 - beta1) * (grad - m)  # torch's lerp_(grad, 1 - beta1)
        v *= beta2
        v += (1 - beta2) * grad * grad  # torch's addcmul_(grad, grad, value=1 - beta2)

        bias_correction1 = 1 - beta1**step
        bias_correction2 = 1 - beta2**step
        step_size = lr / bias_correction1
        if group["amsgrad"]:
            v_max = state["max_exp_avg_sq"]._data
            np.maximum(v_max, v, out=v_max)
            v = v_max
        denom = np.sqrt(v) / bias_correction2**0.5 + eps
        write_(p, p._data + (-step_size) * m / denom)


class AdamW(Adam):
    """Adam with decoupled weight decay: p = p * (1 - lr * weight_decay) before the Adam step.

    >>> import minigrad
    >>> w = minigrad.tensor([1.0], requires_grad=True)
    >>> opt = minigrad.optim.AdamW([w], lr=0.1, weight_decay=0.5)
    >>> opt.param_groups[0]["decoupled_weight_decay"]
    True
    """

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
        amsgrad: bool = False,
        *,
        maximize: bool = False,
        foreach: bool | None = None,
        capturable: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        super().__init__(
            params,
            lr,
            betas,
            eps,
            weight_decay,
            amsgrad,
            foreach=foreach,
            maximize=maximize,
            capturable=capturable,
            differentiable=differentiable,
            fused=fused,
            decoupled_weight_decay=True,
        )
