"""Statistics and other reductions: var, std, logsumexp, all and any.

With n elements and a correction c (1 by default: Bessel's, the "unbiased" estimate),
var(a) = sum((a - mean(a))^2) / (n - c) and std(a) = sqrt(var(a)).
logsumexp(a) = log(sum(exp(a))), computed as m + log(sum(exp(a - m))) with m = max(a), so
that exp never overflows.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from minigrad.autograd.function import Function
from minigrad.ops._util import wrap
from minigrad.ops.reduction import _restore_dims, dims_or_all
from minigrad.tensor import Tensor

_DEGREES_OF_FREEDOM = (
    "{}(): degrees of freedom is <= 0. Correction should be strictly less than the reduction "
    "factor (input numel divided by output numel)."
)


def _variance(x: np.ndarray, dims: tuple[int, ...], correction: float, keepdim: bool):
    """sum((x - mean)^2) / max(0, n - correction) over dims; inf or nan when that is 0."""
    count = math.prod(x.shape[d] for d in dims)
    centered = x - x.sum(axis=dims, keepdims=True) / x.dtype.type(count)  # (0 / 0: nan)
    squares = (centered * centered).sum(axis=dims, keepdims=keepdim)
    return squares / x.dtype.type(max(0, count - correction)), count


class Var(Function):
    """var(a) = sum((a - mean)^2) / (n - c);  d/da = 2 (a - mean) / (n - c)."""

    node_name = "VarBackward0"
    saved_names = ("self",)
    quiet = True  # 0 / 0 is nan, x / 0 is inf, as in torch

    @staticmethod
    def forward(ctx, a, dims, correction, keepdim):
        ctx.dim, ctx.correction, ctx.keepdim = dims, correction, keepdim
        ctx.save_for_backward(a)
        variance, ctx.count = _variance(a._data, dims, correction, keepdim)
        return np.asarray(variance)

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.saved_tensors
        return var_backward(grad, a, ctx.dim, ctx.correction, ctx.keepdim, ctx.count)


def var_backward(grad: Tensor, a: Tensor, dims, correction, keepdim, count) -> Tensor:
    """The gradient of var over dims: 2 (a - mean) / (n - c), times grad (torch's formula)."""
    grad = _restore_dims(grad, dims, keepdim)
    centered = a - a.mean(dims, keepdim=True)
    divisor = count - correction  # (not clamped at 0 here, as in torch's formula)
    scale = 2.0 / divisor if divisor else math.inf  # (torch divides in double: 2 / 0 is inf)
    return scale * grad * centered


class Std(Function):
    """std(a) = sqrt(var(a));  d/da = (a - mean) / ((n - c) std), 0 where std is 0."""

    node_name = "StdBackward0"
    saved_names = ("self", "result")
    quiet = True

    @staticmethod
    def forward(ctx, a, dims, correction, keepdim):
        ctx.dim, ctx.correction, ctx.keepdim = dims, correction, keepdim
        variance, ctx.count = _variance(a._data, dims, correction, keepdim)
        result = wrap(np.sqrt(variance))
        ctx.save_for_backward(a, result)
        return result

    @staticmethod
    def backward(ctx, grad):
        a, result = ctx.saved_tensors
        grad_var = (grad / (result * 2)).masked_fill(result == 0, 0.0)
        return var_backward(grad_var, a, ctx.dim, ctx.correction, ctx.keepdim, ctx.count)


class Logsumexp(Function):
    """log(sum(exp(a))) over dims;  d/da = exp(a - result), the softmax of a."""

    node_name = "LogsumexpBackward0"
    saved_names = ("self", "result")
    quiet = True

    @staticmethod
    def forward(ctx, a, dims, keepdim):
        ctx.dim, ctx.keepdim = dims, keepdim
        x = a._data if a._data.dtype.kind == "f" else a._data.astype(np.float32)
        top = np.max(x, axis=dims, keepdims=True, initial=-np.inf)
        top = np.where(np.isinf(top), 0, top).astype(x.dtype)  # (all -inf, or an inf: as is)
        out = np.log(np.exp(x - top).sum(axis=dims, keepdims=True)) + top
        result = wrap(out if keepdim else np.squeeze(out, dims))
        ctx.save_for_backward(a, result)
        return result

    @staticmethod
    def backward(ctx, grad):
        a, result = ctx.saved_tensors
        grad = _restore_dims(grad, ctx.dim, ctx.keepdim)
        return grad * (a - _restore_dims(result, ctx.dim, ctx.keepdim)).exp()


def logsumexp(a: Tensor, dim: Any, keepdim: bool = False) -> Tensor:
    """``a.logsumexp(dim, keepdim=False)``: log(sum(exp(a))) over dim, without overflow.

    >>> import minigrad
    >>> minigrad.tensor([[1.0, 2.0, 3.0], [1000.0, 1000.0, 1000.0]]).logsumexp(1)
    tensor([   3.4076, 1001.0986])
    """
    if dim is None:
        raise TypeError('logsumexp() missing 1 required positional arguments: "dim"')
    return Logsumexp.apply(a, dims_or_all(dim, a._data.ndim), keepdim)


def var_or_std(
    name: str, a: Tensor, dim: Any, unbiased: Any, keepdim: bool, correction: Any
) -> Tensor:
    """``a.var(...)`` / ``a.std(...)`` with torch's argument forms.

    ``a.var()``, ``a.var(unbiased)``, ``a.var(dim, unbiased, keepdim)`` and
    ``a.var(dim, correction=c, keepdim=...)``.

    >>> import minigrad
    >>> x = minigrad.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 7.0]])
    >>> x.var(), x.std(1, keepdim=True), x.var(correction=0)
    (tensor(4.6667), tensor([[1.0000],
            [1.5275]]), tensor(3.8889))
    """
    if isinstance(dim, bool):  # a.var(True): the unbiased flag
        dim, unbiased = None, dim
    if unbiased is not None and correction is not None:
        raise TypeError(f"{name}(): pass either unbiased or correction, not both")
    if a._data.dtype.kind != "f":
        raise RuntimeError("std and var only support floating point and complex dtypes")
    if correction is None:
        correction = 0 if unbiased is False else 1
    dims = dims_or_all(dim, a._data.ndim)
    count = math.prod(a._data.shape[d] for d in dims)
    if count - correction <= 0:
        warnings.warn(_DEGREES_OF_FREEDOM.format(name), UserWarning, stacklevel=3)
    function = Var if name == "var" else Std
    return function.apply(a, dims, correction, keepdim)


def all_or_any(name: str, a: Tensor, dim: Any, keepdim: bool) -> Tensor:
    """``a.all(dim, keepdim)`` / ``a.any(...)``: a bool tensor, never recorded.

    >>> import minigrad
    >>> x = minigrad.tensor([[1.0, 0.0], [2.0, 3.0]])
    >>> x.all(), x.all(1), x.any(dim=1, keepdim=True)
    (tensor(False), tensor([False,  True]), tensor([[True],
            [True]]))
    """
    reduce = np.all if name == "all" else np.any
    if dim is None:
        return Tensor._make(np.asarray(reduce(a._data)))
    dims = dims_or_all(dim, a._data.ndim)
    return Tensor._make(np.asarray(reduce(a._data, axis=dims, keepdims=keepdim)))
