"""``Parameter``: a tensor that a ``Module`` registers as one of its learnable weights."""

from __future__ import annotations

from typing import Any

import numpy as np

from minigrad._dtype import get_default_dtype
from minigrad.tensor import Tensor


class Parameter(Tensor):
    """A leaf tensor that requires grad and that modules collect in ``parameters()``.

    It shares memory with the tensor it is made from; operations on it give plain tensors.

    >>> import minigrad
    >>> from minigrad.nn import Parameter
    >>> Parameter(minigrad.tensor([1.0, 2.0]))
    Parameter containing:
    tensor([1., 2.], requires_grad=True)
    """

    def __init__(self, data: Tensor | None = None, requires_grad: bool = True) -> None:
        if data is None:
            data = Tensor._make(np.empty(0, dtype=get_default_dtype().numpy))
        if not isinstance(data, Tensor):
            raise TypeError(
                f"Parameter(): argument 'data' (position 1) must be Tensor, not "
                f"{type(data).__name__}"
            )
        self._init(data._data, False)
        self._version_counter = data._version_counter
        if requires_grad:
            if data._data.dtype.kind != "f":
                raise RuntimeError(
                    "Only Tensors of floating point and complex dtype can require gradients"
                )
            self._requires_grad = True

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()

    __str__ = __repr__

    def __reduce_ex__(self, protocol: Any) -> Any:
        return (_rebuild_parameter, (self._data, self._requires_grad))


def _rebuild_parameter(array: np.ndarray, requires_grad: bool) -> Parameter:
    return Parameter(Tensor._make(array), requires_grad)
