"""What ``nn.Module`` and ``optim.Optimizer`` both need: type names for their messages, and
forgetting a parameter's gradient.

>>> import minigrad
>>> typename(minigrad.zeros(1)), typename(1.5), typename(minigrad.nn.ReLU())
('torch.FloatTensor', 'float', 'minigrad.nn.modules.activation.ReLU')
"""

from __future__ import annotations

from typing import Any

from minigrad.tensor import Tensor


def typename(value: Any) -> str:
    """``torch.typename``: 'torch.FloatTensor' for a float32 tensor (and so on), the class's
    full name otherwise."""
    if isinstance(value, Tensor):
        return value.dtype.tensor_type
    cls = type(value)
    module = cls.__module__
    return cls.__qualname__ if module in ("builtins", "") else f"{module}.{cls.__qualname__}"


def forget_grad(param: Tensor, set_to_none: bool) -> None:
    """``zero_grad`` for one parameter: its ``.grad`` set to None, or filled with zeros.

    >>> import minigrad
    >>> w = minigrad.ones(2, requires_grad=True)
    >>> w.sum().backward()
    >>> forget_grad(w, set_to_none=False)
    >>> w.grad
    tensor([0., 0.])
    """
    if param.grad is None:
        return
    if set_to_none:
        param.grad = None
    else:
        if param.grad.grad_fn is not None:
            param.grad.detach_()
        else:
            param.grad.requires_grad_(False)
        param.grad.zero_()
