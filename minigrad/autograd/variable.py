"""``Variable``: the wrapper tensors needed before PyTorch 0.4, kept so old lessons run.

Since then every tensor records its history itself; ``Variable(t)`` just returns a tensor
sharing ``t``'s memory, without its history, that requires grad if asked. As in PyTorch,
every tensor counts as a Variable for ``isinstance``.

>>> import minigrad
>>> from minigrad.autograd import Variable
>>> x = Variable(minigrad.ones(2), requires_grad=True)
>>> x
tensor([1., 1.], requires_grad=True)
>>> isinstance(minigrad.zeros(1), Variable)
True
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from minigrad._dtype import get_default_dtype
from minigrad.tensor import Tensor

__all__ = ["Variable"]

_FLOAT_ONLY = "Only Tensors of floating point and complex dtype can require gradients"


class _VariableMeta(type):
    """Makes ``isinstance(t, Variable)`` true for every tensor, as in PyTorch."""

    def __instancecheck__(cls, instance: Any) -> bool:
        return isinstance(instance, Tensor)


class Variable(metaclass=_VariableMeta):
    """``Variable(data, requires_grad=False)``: a tensor on ``data``'s memory, without history.

    >>> import minigrad
    >>> from minigrad.autograd import Variable
    >>> Variable(minigrad.tensor([1.0, 2.0]))
    tensor([1., 2.])
    """

    def __new__(cls, data: Any = None, requires_grad: bool = False, volatile: bool = False) -> Any:
        if volatile:
            warnings.warn(
                "volatile was removed and now has no effect. Use `with torch.no_grad():` instead.",
                UserWarning,
                stacklevel=2,
            )
        if data is None:
            return Tensor._make(np.empty(0, get_default_dtype().numpy), bool(requires_grad))
        if not isinstance(data, Tensor):
            raise TypeError(f"Variable data has to be a tensor, but got {type(data).__name__}")
        if requires_grad and not data.is_floating_point():
            raise RuntimeError(_FLOAT_ONLY)
        return data.detach().requires_grad_(bool(requires_grad))
