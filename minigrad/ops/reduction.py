"""Reductions: sum, mean, prod, max/min, amax/amin, norm, softmax, log_softmax.

The backward of a reduction spreads the gradient back over the reduced dimensions:
``unsqueeze`` puts the removed dimensions back, and broadcasting does the rest.
"""

from __future__ import annotations

import numpy as np

from minigrad.autograd.function import Function
from minigrad.ops._util import normalize_dims
from minigrad.tensor import Tensor


def _wrap(array: np.ndarray) -> Tensor:
    return Tensor._make(np.asarray(array))


def _restore_dims(grad: Tensor, dims: tuple[int, ...], keepdim: bool) -> Tensor:
    """Put back the reduced dimensions (as size 1) so that the gradient broadcasts."""
    if keepdim:
        return grad
    for d in sorted(dims):
        grad = grad.unsqueeze(d)
    return grad


def _sum_dtype(a: Tensor) -> np.dtype:
    # Sums of bools and integers are int64 in torch.
    return a._data.dtype if a._data.dtype.kind == "f" else np.dtype(np.int64)


class Sum(Function):
    """sum of all elements;  d/da_i = 1."""

    node_name = "SumBackward0"

    @staticmethod
    def forward(ctx, a):
        ctx.self_sym_sizes = a._data.shape
        return np.sum(a._data, dtype=_sum_dtype(a))

    @staticmethod
    def backward(ctx, grad):
        return grad.expand(ctx.self_sym_sizes)


class SumDim(Function):
    """sum over dimensions;  d/da_i = 1."""

    node_name = "SumBackward1"

    @staticmethod
    def forward(ctx, a, dims, keepdim):
        ctx.dim, ctx.keepdim, ctx.self_sym_sizes = dims, keepdim, a._data.shape
        return np.sum(a._data, axis=dims, keepdims=keepdim, dtype=_sum_dtype(a))

    @staticmethod
    def backward(ctx, grad):
        return _restore_dims(grad, ctx.dim, ctx.keepdim).expand(ctx.self_sym_sizes)


class Mean(Function):
    """mean of all elements;  d/da_i = 1/n."""

    node_name = "MeanBackward0"

    @staticmethod
    def forward(ctx, a):
        ctx.self_sym_sizes = a._data.shape
        return np.mean(a._data, dtype=a._data.dtype)

    @staticmethod
    def backward(ctx, grad):
        return grad.expand(ctx.self_sym_sizes) / max(1, int(np.prod(ctx.self_sym_sizes)))


class MeanDim(Function):
    """mean over dimensions;  d/da_i = 1/n."""

    node_name = "MeanBackward1"

    @staticmethod
    def forward(ctx, a, dims, keepdim):
        ctx.dim, ctx.keepdim, ctx.self_sym_sizes = dims, keepdim, a._data.shape
        return np.mean(a._data, axis=dims, keepdims=keepdim, dtype=a._data.dtype)

    @staticmethod
    def backward(ctx, grad):
        count = int(np.prod([ctx.self_sym_sizes[d] for d in ctx.dim]))
        return _restore_dims(grad, ctx.dim, ctx.keepdim).expand(ctx.self_sym_sizes) / max(1, count)


class Prod(Function):
    """product of all elements;  d/da_i = product of the others."""

    node_name = "ProdBackward0"
    saved_names = ("self", "result")

    @staticmethod
    def forward(ctx, a):
        result = _wrap(np.prod(a._data, dtype=_sum_dtype(a)))
        ctx.save_for_backward(a, result)
        return result

    @staticmethod
    def backward(ctx, grad):
        a, result = ctx.saved_tensors
        return grad * _prod_of_others(a, result, None, True)


class ProdDim(Function):
    """product along one dimension;  d/da_i = product of the others in its slice."""

    node_name = "ProdBackward1"
    saved_names = ("self", "result")

    @staticmethod
    def forward(ctx, a, dim, keepdim):
        ctx.dim, ctx.keepdim = dim, keepdim
        result = _wrap(np.prod(a._data, axis=dim, keepdims=keepdim, dtype=_sum_dtype(a)))
        ctx.save_for_backward(a, result)
        return result

    @staticmethod
    def backward(ctx, grad):
        a, result = ctx.saved_tensors
        grad = _restore_dims(grad, (ctx.dim,), ctx.keepdim)
        result = _restore_dims(result, (ctx.dim,), ctx.keepdim)
        return grad * _prod_of_others(a, result, ctx.dim, False)


def _prod_of_others(a: Tensor, result: Tensor, dim: int | None, whole: bool) -> Tensor:
    if not np.any(a._data == 0):
        return result / a  # differentiable again
    # With zeros, result / a is 0/0: multiply the products before and after each element.
    data = a._data.reshape(-1) if whole else np.moveaxis(a._data, dim, -1)
    ones = np.ones(data.shape[:-1] + (1,), dtype=data.dtype)
    before = np.cumprod(np.concatenate([ones, data[..., :-1]], axis=-1), axis=-1)
    after = np.flip(np.cumprod(np.concatenate([ones, np.flip(data, -1)[..., :-1]], -1), -1), -1)
    others = before * after
    others = others.reshape(a._data.shape) if whole else np.moveaxis(others, -1, dim)
    return Tensor._make(others)


class MaxAll(Function):
    """max of all elements;  the gradient is shared evenly among the maxima."""

    node_name = "MaxBackward1"
    saved_names = ("self", "result")
    reduce = staticmethod(np.max)

    @staticmethod
    def forward(ctx, a):
        if a._data.size == 0:
            raise RuntimeError(
                f"{ctx._forward_cls.name}(): Expected reduction dim to be specified for "
                "input.numel() == 0. Specify the reduction dim with the 'dim' argument."
            )
        result = _wrap(ctx._forward_cls.reduce(a._data))
        ctx.save_for_backward(a, result)
        return result

    name = "max"

    @staticmethod
    def backward(ctx, grad):
        a, result = ctx.saved_tensors
        return _evenly(grad, a, result)


class MinAll(MaxAll):
    """min of all elements;  the gradient is shared evenly among the minima."""

    node_name = "MinBackward1"
    reduce = staticmethod(np.min)
    name = "min"


def _evenly(grad: Tensor, a: Tensor, result: Tensor) -> Tensor:
    mask = a._data == result._data
    return grad * Tensor._make((mask / mask.sum(keepdims=True)).astype(a._data.dtype))


class MaxDim(Function):
    """max along a dimension, with indices;  the gradient goes to each maximum's index."""

    node_name = "MaxBackward0"
    saved_names = ("indices",)
    pick = staticmethod(np.argmax)

    @staticmethod
    def forward(ctx, a, dim, keepdim):
        ctx.dim, ctx.keepdim, ctx.self_sym_sizes = dim, keepdim, a._data.shape
        indices = np.expand_dims(ctx._forward_cls.pick(a._data, axis=dim), dim)
        values = np.take_along_axis(a._data, indices, axis=dim)
        ctx.indices = indices  # kept with the reduced dimension, for backward
        index_tensor = Tensor._make(indices if keepdim else np.squeeze(indices, dim))
        ctx.mark_non_differentiable(index_tensor)
        return _wrap(values if keepdim else np.squeeze(values, dim)), index_tensor

    @staticmethod
    def backward(ctx, grad, grad_indices=None):
        one_hot = np.zeros(ctx.self_sym_sizes, dtype=grad._data.dtype)
        np.put_along_axis(one_hot, ctx.indices, 1, axis=ctx.dim)
        return _restore_dims(grad, (ctx.dim,), ctx.keepdim) * Tensor._make(one_hot)


class MinDim(MaxDim):
    """min along a dimension, with indices;  the gradient goes to each minimum's index."""

    node_name = "MinBackward0"
    pick = staticmethod(np.argmin)


class Amax(Function):
    """max over dimensions (no indices);  the gradient is shared evenly among ties."""

    node_name = "AmaxBackward0"
    saved_names = ("self", "result")
    reduce = staticmethod(np.max)

    @staticmethod
    def forward(ctx, a, dims, keepdim):
        ctx.dim, ctx.keepdim = dims, keepdim
        result = _wrap(ctx._forward_cls.reduce(a._data, axis=dims, keepdims=keepdim))
        ctx.save_for_backward(a, result)
        return result

    @staticmethod
    def backward(ctx, grad):
        a, result = ctx.saved_tensors
        kept = np.asarray(result._data)
        if not ctx.keepdim:
            kept = np.expand_dims(kept, ctx.dim)
        mask = a._data == kept
        share = (mask / mask.sum(axis=ctx.dim, keepdims=True)).astype(a._data.dtype)
        return _restore_dims(grad, ctx.dim, ctx.keepdim) * Tensor._make(share)


class Amin(Amax):
    """min over dimensions (no indices);  the gradient is shared evenly among ties."""

    node_name = "AminBackward0"
    reduce = staticmethod(np.min)


class Norm(Function):
    """vector p-norm ||a||_p over all elements or dimensions;  d/da = a |a|^(p-2) / ||a||^(p-1)."""

    node_name = "LinalgVectorNormBackward0"
    saved_names = ("self", "result")

    @staticmethod
    def forward(ctx, a, p, dims, keepdim):
        ctx.ord, ctx.dim, ctx.keepdim = p, dims, keepdim
        x = a._data
        axis = dims
        if p == 2:
            out = np.sqrt(np.sum(x * x, axis=axis, keepdims=keepdim))
        elif p == float("inf"):
            out = np.max(np.abs(x), axis=axis, keepdims=keepdim)
        elif p == 1:
            out = np.sum(np.abs(x), axis=axis, keepdims=keepdim)
        else:
            out = np.sum(np.abs(x) ** p, axis=axis, keepdims=keepdim) ** (1.0 / p)
        result = _wrap(np.asarray(out, dtype=x.dtype))
        ctx.save_for_backward(a, result)
        return result

    @staticmethod
    def backward(ctx, grad):
        a, result = ctx.saved_tensors
        grad = _restore_dims(grad, ctx.dim, ctx.keepdim)
        norm = _restore_dims(result, ctx.dim, ctx.keepdim)
        if ctx.ord == 2:
            # At a zero norm the gradient is taken as 0, as in PyTorch.
            zero = np.broadcast_to(norm._data == 0, a._data.shape)
            return (grad * a / norm).masked_fill(zero, 0.0)
        if ctx.ord == 1:
            return grad * a.sign()
        raise NotImplementedError(f"the gradient of the {ctx.ord}-norm is not implemented")


class Softmax(Function):
    """softmax along dim;  d/da = s * (g - sum(g * s))."""

    node_name = "SoftmaxBackward0"
    saved_names = ("result",)

    @staticmethod
    def forward(ctx, a, dim):
        ctx.dim = dim
        x = a._data
        e = np.exp(x - np.max(x, axis=dim, keepdims=True))
        result = _wrap(e / np.sum(e, axis=dim, keepdims=True))
        ctx.save_for_backward(result)
        return result

    @staticmethod
    def backward(ctx, grad):
        (s,) = ctx.saved_tensors
        return s * (grad - (grad * s).sum(ctx.dim, keepdim=True))


class LogSoftmax(Function):
    """log softmax along dim;  d/da = g - softmax * sum(g)."""

    node_name = "LogSoftmaxBackward0"
    saved_names = ("result",)

    @staticmethod
    def forward(ctx, a, dim):
        ctx.dim = dim
        x = a._data
        shifted = x - np.max(x, axis=dim, keepdims=True)
        result = _wrap(shifted - np.log(np.sum(np.exp(shifted), axis=dim, keepdims=True)))
        ctx.save_for_backward(result)
        return result

    @staticmethod
    def backward(ctx, grad):
        (result,) = ctx.saved_tensors
        return grad - result.exp() * grad.sum(ctx.dim, keepdim=True)


def dims_or_all(dim, ndim: int) -> tuple[int, ...]:
    """Normalized reduction dims; None or () means every dimension."""
    if dim is None or dim == () or dim == []:
        return tuple(range(ndim))
    return normalize_dims(dim, ndim)
