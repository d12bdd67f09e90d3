"""Sorting: sort, topk, and the positions of nonzero elements (``nonzero``, ``where(cond)``).

sort and topk pick elements along a dimension, with their indices; each picked value's
gradient goes back to the position it was picked from (the others get zero).
"""

from __future__ import annotations

import numpy as np

from minigrad import return_types
from minigrad.autograd.function import Function
from minigrad.ops._util import normalize_dim, wrap
from minigrad.tensor import Tensor


def sort_indices(x: np.ndarray, axis: int, descending: bool) -> np.ndarray:
    """Stable sort order along axis, NaN counted as the largest value (as torch orders).

    Descending: sort the reversed array ascending, then reverse that order; equal values
    keep their original order, and NaNs come first.

    >>> sort_indices(np.array([2.0, 1.0, 2.0, np.nan]), 0, True)
    array([3, 0, 2, 1])
    """
    if not descending:
        return np.argsort(x, axis=axis, kind="stable")
    flipped = np.argsort(np.flip(x, axis), axis=axis, kind="stable")
    return np.flip(x.shape[axis] - 1 - flipped, axis)


class PutAlongDim(Function):
    """zeros of a shape, with grad's values put at indices along dim: the backward of a pick.

    d/dgrad = the values at those indices (``TakeAlongDim``).
    """

    node_name = "ScatterBackward0"

    @staticmethod
    def forward(ctx, grad, indices, dim, shape):
        ctx.indices, ctx.dim = indices, dim
        out = np.zeros(shape, dtype=grad._data.dtype)
        np.put_along_axis(out, indices, grad._data, axis=dim)
        return out

    @staticmethod
    def backward(ctx, grad_grad):
        return TakeAlongDim.apply(grad_grad, ctx.indices, ctx.dim), None, None, None


class TakeAlongDim(Function):
    """The values of a at indices along dim;  d/da puts the gradient back (``PutAlongDim``)."""

    node_name = "GatherBackward0"

    @staticmethod
    def forward(ctx, a, indices, dim):
        ctx.indices, ctx.dim, ctx.shape = indices, dim, a._data.shape
        return np.take_along_axis(a._data, indices, axis=dim)

    @staticmethod
    def backward(ctx, grad):
        return PutAlongDim.apply(grad, ctx.indices, ctx.dim, ctx.shape), None, None


class Sort(Function):
    """values sorted along dim, and where they came from;  d/da puts each value's gradient
    back at its index."""

    node_name = "SortBackward0"

    @staticmethod
    def forward(ctx, a, dim, descending):
        x = np.atleast_1d(a._data)  # a 0-d tensor sorts as one element
        indices = sort_indices(x, dim, descending)
        return _picked(ctx, a, x, indices, dim)

    @staticmethod
    def backward(ctx, grad, grad_indices=None):
        return _put_back(ctx, grad)


class SortStable(Sort):
    """sort with its ``stable=`` argument given (torch's other overload, SortBackward1)."""

    node_name = "SortBackward1"


class Topk(Function):
    """the k largest (or smallest) values along dim, and their indices;  d/da puts each
    value's gradient back at its index."""

    node_name = "TopkBackward0"

    @staticmethod
    def forward(ctx, a, k, dim, largest):
        x = np.atleast_1d(a._data)
        if not 0 <= k <= x.shape[dim]:
            raise RuntimeError("selected index k out of range")
        indices = np.take(sort_indices(x, dim, largest), np.arange(k), axis=dim)
        return _picked(ctx, a, x, indices, dim)

    @staticmethod
    def backward(ctx, grad, grad_indices=None):
        return _put_back(ctx, grad)


def _picked(ctx, a: Tensor, x: np.ndarray, indices: np.ndarray, dim: int) -> tuple:
    """(values, indices) of a pick along dim, for a's shape (0-d stays 0-d)."""
    ctx.indices, ctx.dim, ctx.shape = indices, dim, x.shape
    values = np.take_along_axis(x, indices, axis=dim)
    if a._data.ndim == 0:
        values, indices = values.reshape(()), indices.reshape(())
    index_tensor = Tensor._make(indices.astype(np.int64))
    ctx.mark_non_differentiable(index_tensor)
    return wrap(values), index_tensor


def _put_back(ctx, grad: Tensor) -> Tensor:
    """The gradient of a pick's input: grad's values at the picked indices, zeros elsewhere."""
    if grad._data.ndim == 0:  # a 0-d input, picked as one element
        return PutAlongDim.apply(grad.reshape(1), ctx.indices, ctx.dim, ctx.shape).reshape(())
    return PutAlongDim.apply(grad, ctx.indices, ctx.dim, ctx.shape)


def sort(a: Tensor, dim: int = -1, descending: bool = False, *, stable: bool | None = None):
    """``a.sort(dim=-1, descending=False, *, stable=None)``: (values, indices).

    The sort is always stable (equal values keep their order), as torch's is on the CPU;
    given ``stable=``, it is recorded as torch's other overload (SortBackward1).

    >>> import minigrad
    >>> minigrad.tensor([3.0, 1.0, 2.0]).sort()
    torch.return_types.sort(
    values=tensor([1., 2., 3.]),
    indices=tensor([1, 2, 0]))
    """
    d = normalize_dim(dim, a._data.ndim)
    function = Sort if stable is None else SortStable
    return return_types.sort(*function.apply(a, d, descending))


def topk(a: Tensor, k: int, dim: int = -1, largest: bool = True, sorted: bool = True):  # noqa: A002
    """``a.topk(k, dim=-1, largest=True, sorted=True)``: the k largest values and their indices.

    >>> import minigrad
    >>> minigrad.tensor([3.0, 1.0, 2.0]).topk(2)
    torch.return_types.topk(
    values=tensor([3., 2.]),
    indices=tensor([0, 2]))
    """
    d = normalize_dim(dim, a._data.ndim)
    return return_types.topk(*Topk.apply(a, k, d, largest))


def nonzero(a: Tensor, as_tuple: bool = False):
    """The indices of the nonzero elements: one row per element, or a tuple of one index
    tensor per dimension (``as_tuple=True``, what ``where(condition)`` gives).

    >>> import minigrad
    >>> minigrad.tensor([[1.0, 0.0], [0.0, 2.0]]).nonzero()
    tensor([[0, 0],
            [1, 1]])
    """
    x = a._data
    if as_tuple:
        return tuple(Tensor._make(i.astype(np.int64)) for i in np.nonzero(np.atleast_1d(x)))
    return Tensor._make(np.argwhere(x).astype(np.int64))
