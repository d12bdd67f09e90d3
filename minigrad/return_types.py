"""The named pairs some operations return, printed as PyTorch prints them.

``x.max(dim)`` gives a ``torch.return_types.max``: a tuple ``(values, indices)`` whose fields
also have names. Each operation has its own class, as in PyTorch, so that
``type(x.max(0)).__name__`` is ``'max'``.

>>> import minigrad
>>> result = minigrad.tensor([[1.0, 5.0], [7.0, 2.0]]).max(1)
>>> result.indices, type(result).__name__
(tensor([1, 0]), 'max')
"""

from __future__ import annotations

from typing import Any


class _ValuesIndices(tuple):
    """A pair (values, indices) that prints as ``torch.return_types.<its class name>(...)``."""

    __slots__ = ()

    def __new__(cls, values: Any, indices: Any) -> _ValuesIndices:
        return super().__new__(cls, (values, indices))

    @property
    def values(self) -> Any:
        return self[0]

    @property
    def indices(self) -> Any:
        return self[1]

    def __repr__(self) -> str:
        name = type(self).__name__
        return f"torch.return_types.{name}(\nvalues={self[0]!r},\nindices={self[1]!r})"

    def __reduce__(self) -> Any:
        return (type(self), tuple(self))


class max(_ValuesIndices):  # noqa: N801, A001 - PyTorch's names
    """What ``x.max(dim)`` returns: the largest values along dim and their indices.

    >>> import minigrad
    >>> minigrad.tensor([[1.0, 5.0], [7.0, 2.0]]).max(1).values
    tensor([5., 7.])
    """

    __slots__ = ()


class min(_ValuesIndices):  # noqa: N801, A001
    """What ``x.min(dim)`` returns: the smallest values along dim and their indices.

    >>> import minigrad
    >>> minigrad.tensor([[1.0, 5.0], [7.0, 2.0]]).min(1).indices
    tensor([0, 1])
    """

    __slots__ = ()


class sort(_ValuesIndices):  # noqa: N801
    """What ``x.sort(dim)`` returns: the sorted values and where they came from.

    >>> import minigrad
    >>> minigrad.tensor([3.0, 1.0]).sort().indices
    tensor([1, 0])
    """

    __slots__ = ()


class topk(_ValuesIndices):  # noqa: N801
    """What ``x.topk(k)`` returns: the k largest values and their indices.

    >>> import minigrad
    >>> minigrad.tensor([3.0, 1.0, 2.0]).topk(1).values
    tensor([3.])
    """

    __slots__ = ()
