"""``default_collate``: how a ``DataLoader`` turns a list of samples into one batch.

Tensors are stacked along a new first dimension; Python floats become a float64 tensor, ints
an int64 one, bools a bool one; NumPy arrays and scalars become tensors and are stacked;
strings stay as they are; a tuple, list, dict or named tuple of fields is collated field by field
(a tuple of fields gives a list, as in PyTorch).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from minigrad import _dtype
from minigrad.creation import as_tensor, tensor
from minigrad.functions import stack
from minigrad.tensor import Tensor

__all__ = ["default_collate", "default_convert"]

_UNKNOWN = (
    "default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found {}"
)


def default_collate(batch: Sequence[Any]) -> Any:
    """One batch from a list of samples, as PyTorch's ``default_collate`` makes it.

    >>> import minigrad
    >>> from minigrad.utils.data import default_collate
    >>> default_collate([(minigrad.ones(2), 1), (minigrad.zeros(2), 0)])
    [tensor([[1., 1.],
            [0., 0.]]), tensor([1, 0])]
    >>> default_collate([0.5, 1.5])
    tensor([0.5000, 1.5000], dtype=torch.float64)
    """
    elem = batch[0]
    if isinstance(elem, Tensor):
        return stack(batch, 0)
    if isinstance(elem, np.ndarray):
        return stack([as_tensor(b) for b in batch], 0)
    if isinstance(elem, np.generic):
        return as_tensor(np.array(batch))
    if isinstance(elem, bool):
        return tensor(batch)
    if isinstance(elem, float):
        return tensor(batch, dtype=_dtype.float64)
    if isinstance(elem, int):
        return tensor(batch)
    if isinstance(elem, (str, bytes)):
        return batch
    if isinstance(elem, Mapping):
        return {key: default_collate([d[key] for d in batch]) for key in elem}
    if isinstance(elem, tuple) and hasattr(elem, "_fields"):  # a named tuple
        return type(elem)(*(default_collate(field) for field in zip(*batch)))
    if isinstance(elem, Sequence):
        if any(len(sample) != len(elem) for sample in batch):
            raise RuntimeError("each element in list of batch should be of equal size")
        return [default_collate(field) for field in zip(*batch)]
    raise TypeError(_UNKNOWN.format(type(elem)))


def default_convert(data: Any) -> Any:
    """A sample as the ``DataLoader`` gives it without batching (``batch_size=None``): NumPy
    arrays become tensors, a tuple becomes a list (as in PyTorch), the rest stays as it is.

    >>> import numpy as np
    >>> from minigrad.utils.data import default_convert
    >>> default_convert((np.array([1.0, 2.0]), 3))
    [tensor([1., 2.], dtype=torch.float64), 3]
    """
    if isinstance(data, np.ndarray):
        return as_tensor(data)
    if isinstance(data, tuple) and not hasattr(data, "_fields"):
        return [default_convert(d) for d in data]
    if isinstance(data, list):
        return [default_convert(d) for d in data]
    return data
