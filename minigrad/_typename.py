"""``torch.typename``, as PyTorch's messages name a value's type.

>>> import minigrad
>>> typename(minigrad.zeros(1)), typename(1.5), typename(minigrad.nn.ReLU())
('torch.FloatTensor', 'float', 'minigrad.nn.modules.activation.ReLU')
"""

from __future__ import annotations

from typing import Any

from minigrad.tensor import Tensor


def typename(value: Any) -> str:
    """'torch.FloatTensor' for a float32 tensor (and so on), the class's full name otherwise."""
    if isinstance(value, Tensor):
        return value.dtype.tensor_type
    cls = type(value)
    module = cls.__module__
    return cls.__qualname__ if module in ("builtins", "") else f"{module}.{cls.__qualname__}"
