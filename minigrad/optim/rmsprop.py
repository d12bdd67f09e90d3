"""``RMSprop``: each step divided by a moving root mean square of the gradients."""

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

__all__ = ["RMSprop"]


class RMSprop(Optimizer):
    """RMSprop, with PyTorch's update rule.

    For each parameter p with gradient g (negated when ``maximize``)::

        g = g + weight_decay * p
        v = alpha * v + (1 - alpha) * g²           (moving average of g², "square_avg")
        m = m + (1 - alpha) * (g - m)              (centered only: moving average of g)
        s = sqrt(v - m²) if centered else sqrt(v)  then  s = s + eps
        b = momentum * b + g / s;  p = p - lr * b  (momentum > 0)
        p = p - lr * g / s                         (otherwise)

    >>> import minigrad
    >>> w = minigrad.tensor([1.0, -1.0], requires_grad=True)
    >>> opt = minigrad.optim.RMSprop([w], lr=0.01)
    >>> (w * w).sum().backward()
    >>> opt.step()
    >>> w  # the first step moves each weight by lr / sqrt(1 - alpha) = 0.1
    tensor([ 0.9000, -0.9000], requires_grad=True)
    """

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-2,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0,
        momentum: float = 0,
        centered: bool = False,
        capturable: bool = False,
        foreach: bool | None = None,
        maximize: bool = False,
        differentiable: bool = False,
    ) -> None:
        check_not_negative("learning rate", lr)
        check_not_negative("epsilon value", eps)
        check_not_negative("momentum value", momentum)
        check_not_negative("weight_decay value", weight_decay)
        check_not_negative("alpha value", alpha)
        defaults = {
            "lr": lr,
            "momentum": momentum,
            "alpha": alpha,
            "eps": eps,
            "centered": centered,
            "weight_decay": weight_decay,
            # Accepted for PyTorch's signature (and printed as it prints them).
            "capturable": capturable,
            "foreach": foreach,
            "maximize": maximize,
            "differentiable": differentiable,
        }
        super().__init__(params, defaults)

    def _update(self, p: Tensor, group: dict[str, Any]) -> None:
        lr, alpha, eps = group["lr"], group["alpha"], group["eps"]
        momentum, weight_decay = group["momentum"], group["weight_decay"]
        state = self.state[p]
        if not state:
            state["step"] = new_step()
            state["square_avg"] = zeros_like_param(p)
            if momentum > 0:
                state["momentum_buffer"] = zeros_like_param(p)
            if group["centered"]:
                state["grad_avg"] = zeros_like_param(p)
        state["step"]._data += 1
        grad = gradient(p, group, weight_decay)

        v = state["square_avg"]._data
        v *= alpha
        v += (1 - alpha) * grad * grad  # torch's addcmul_(grad, grad, value=1 - alpha)
        if group["centered"]:
            m = state["grad_avg"]._data
            m += (1 - alpha) * (grad - m)  # torch's lerp_(grad, 1 - alpha)
            avg = np.sqrt(v + (-1) * m * m)
        else:
            avg = np.sqrt(v)
        avg += eps
        if momentum > 0:
            b = state["momentum_buffer"]._data
            b *= momentum
            b += grad / avg  # torch's addcdiv_(grad, avg)
            write_(p, p._data + (-lr) * b)
        else:
            write_(p, p._data + (-lr) * (grad / avg))
