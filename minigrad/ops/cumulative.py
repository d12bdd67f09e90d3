"""Running sums: ``cumsum`` along a dimension.

out_i = a_0 + ... + a_i, so a_i reaches every out_j with j >= i: its gradient is the sum of
the gradient from i on, a running sum taken from the other end.
"""

from __future__ import annotations

import numpy as np

from minigrad.autograd.function import Function
from minigrad.ops._util import normalize_dim
from minigrad.tensor import Tensor


class Cumsum(Function):
    """running sums along dim;  d/da_i = sum of grad_j for j >= i (along dim)."""

    node_name = "CumsumBackward0"
    quiet = True

    @staticmethod
    def forward(ctx, a, dim, dtype):
        x = a._data
        ctx.dim, ctx.self_dtype = dim, x.dtype
        out = dtype or (x.dtype if x.dtype.kind == "f" else np.dtype(np.int64))
        if x.ndim == 0:
            return x.astype(out)
        return np.cumsum(x, axis=dim, dtype=out)

    @staticmethod
    def backward(ctx, grad):
        if grad._data.ndim:
            # sum of grad_j for j >= i: the whole sum, less the running sum before i.
            grad = grad.sum(ctx.dim, keepdim=True) - grad.cumsum(ctx.dim) + grad
        return grad.to(ctx.self_dtype)


def cumsum(a: Tensor, dim, dtype=None) -> Tensor:
    """``a.cumsum(dim, dtype=None)``: running sums along dim (integers and bools give int64).

    >>> import minigrad
    >>> minigrad.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]).cumsum(1)
    tensor([[ 1.,  3.,  6.],
            [ 4.,  9., 15.]])
    """
    if dim is None:
        raise TypeError('cumsum() missing 1 required positional arguments: "dim"')
    d = normalize_dim(dim, a._data.ndim)
    return Cumsum.apply(a, d, None if dtype is None else dtype.numpy)
