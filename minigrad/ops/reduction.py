"""Reductions: sum, mean, prod, max/min, amax/amin, norm, softmax, log_softmax.

The backward of a reduction spreads the gradient back over the reduced dimensions:
``unsqueeze`` puts the removed dimensions back, and broadcasting does the rest.
"""

from __future__ import annotations

import math

import numpy as np

from minigrad.autograd.function import Function
from minigrad.ops._util import normalize_dim, normalize_dims, wrap
from minigrad.ops.arithmetic import DivScalar
from minigrad.ops.shape import Expand
from minigrad.tensor import _SCALAR_NAMES, Tensor


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


# The forwards below call the array's own methods: np.sum and np.mean add several
# microseconds of Python to each call.


class Sum(Function):
    """sum of all elements;  d/da_i = 1."""

    node_name = "SumBackward0"
    quiet = True

    @staticmethod
    def forward(ctx, a, dtype=None):
        ctx.self_sym_sizes = a._data.shape
        return np.asarray(a._data.sum(dtype=dtype or _sum_dtype(a)))

    @staticmethod
    def backward(ctx, grad):
        return Expand.apply(grad, ctx.self_sym_sizes)  # each element's gradient is the sum's


class SumDim(Function):
    """sum over dimensions;  d/da_i = 1."""

    node_name = "SumBackward1"
    quiet = True

    @staticmethod
    def forward(ctx, a, dims, keepdim, dtype=None):
        ctx.dim, ctx.keepdim, ctx.self_sym_sizes = dims, keepdim, a._data.shape
        return np.asarray(a._data.sum(dims, dtype or _sum_dtype(a), keepdims=keepdim))

    @staticmethod
    def backward(ctx, grad):
        return _restore_dims(grad, ctx.dim, ctx.keepdim).expand(ctx.self_sym_sizes)


class Mean(Function):
    """mean of all elements;  d/da_i = 1/n."""

    node_name = "MeanBackward0"
    quiet = True

    @staticmethod
    def forward(ctx, a, dtype=None):
        ctx.self_sym_sizes, ctx.self_sym_numel = a._data.shape, a._data.size
        # sum / n, as np.mean computes it (and nan for no elements, without its warning).
        return np.asarray(a._data.sum(dtype=dtype or a._data.dtype) / a._data.size)

    @staticmethod
    def backward(ctx, grad):
        # As torch: expand, then divide by the count (DivBackward1).
        count = math.prod(ctx.self_sym_sizes)
        return DivScalar.apply(grad.expand(ctx.self_sym_sizes), max(1, count))


class MeanDim(Function):
    """mean over dimensions;  d/da_i = 1/n."""

    node_name = "MeanBackward1"
    quiet = True

    @staticmethod
    def forward(ctx, a, dims, keepdim, dtype=None):
        ctx.dim, ctx.keepdim, ctx.self_sym_sizes = dims, keepdim, a._data.shape
        total = a._data.sum(dims, dtype or a._data.dtype, keepdims=keepdim)
        return np.asarray(total / math.prod(a._data.shape[d] for d in dims))

    @staticmethod
    def backward(ctx, grad):
        count = math.prod(ctx.self_sym_sizes[d] for d in ctx.dim)
        grad = _restore_dims(grad, ctx.dim, ctx.keepdim).expand(ctx.self_sym_sizes)
        return DivScalar.apply(grad, max(1, count))


class Prod(Function):
    """product of all elements;  d/da_i = product of the others."""

    node_name = "ProdBackward0"
    saved_names = ("self", "result")
    quiet = True

    @staticmethod
    def forward(ctx, a):
        result = wrap(np.prod(a._data, dtype=_sum_dtype(a)))
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
    quiet = True

    @staticmethod
    def forward(ctx, a, dim, keepdim):
        ctx.dim, ctx.keepdim = dim, keepdim
        result = wrap(np.prod(a._data, axis=dim, keepdims=keepdim, dtype=_sum_dtype(a)))
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
        result = wrap(ctx._forward_cls.reduce(a._data))
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
    """grad shared evenly among the elements equal to the result (NaNs when it is NaN)."""
    mask = np.isnan(a._data) if np.isnan(result._data) else a._data == result._data
    with np.errstate(divide="ignore", invalid="ignore"):
        share = (mask / mask.sum(keepdims=True)).astype(a._data.dtype)
    return grad * Tensor._make(share)


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
        ctx.save_for_backward(index_tensor)  # (node._saved_indices, as in torch)
        return wrap(values if keepdim else np.squeeze(values, dim)), index_tensor

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
    name = "amax"

    @staticmethod
    def forward(ctx, a, dims, keepdim, explicit=True):
        name = ctx._forward_cls.name
        if a._data.size == 0:
            if not explicit:
                raise RuntimeError(
                    f"{name}(): Expected reduction dim to be specified for input.numel() == 0. "
                    "Specify the reduction dim with the 'dim' argument."
                )
            for d in dims:
                if a._data.shape[d] == 0:
                    raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size.")
        ctx.dim, ctx.keepdim = dims, keepdim
        result = wrap(ctx._forward_cls.reduce(a._data, axis=dims, keepdims=keepdim))
        ctx.save_for_backward(a, result)
        return result

    @staticmethod
    def backward(ctx, grad):
        a, result = ctx.saved_tensors
        kept = np.asarray(result._data)
        if not ctx.keepdim:
            kept = np.expand_dims(kept, ctx.dim)
        mask = a._data == kept
        with np.errstate(divide="ignore", invalid="ignore"):  # no element equals a NaN result
            share = (mask / mask.sum(axis=ctx.dim, keepdims=True)).astype(a._data.dtype)
        return _restore_dims(grad, ctx.dim, ctx.keepdim) * Tensor._make(share)


class Amin(Amax):
    """min over dimensions (no indices);  the gradient is shared evenly among ties."""

    node_name = "AminBackward0"
    reduce = staticmethod(np.min)
    name = "amin"


class Norm(Function):
    """vector p-norm ||a||_p = (sum |a|^p)^(1/p) over all elements or dimensions."""

    node_name = "LinalgVectorNormBackward0"
    saved_names = ("self", "result")
    quiet = True

    @staticmethod
    def forward(ctx, a, p, dims, keepdim, dtype=None):
        ctx.ord, ctx.dim, ctx.keepdim = p, dims, keepdim
        x = a._data if dtype is None else a._data.astype(dtype)
        axis = dims
        ax = np.abs(x)
        if p == 2:
            out = np.sqrt(np.sum(x * x, axis=axis, keepdims=keepdim))
        elif p == 1:
            out = np.sum(ax, axis=axis, keepdims=keepdim)
        elif p == 0:
            out = np.sum(ax != 0, axis=axis, keepdims=keepdim)
        elif p == float("inf"):
            out = _amax_or_zero(ax, axis, keepdim, np.max)
        elif p == -float("inf"):
            out = _amax_or_zero(ax, axis, keepdim, np.min)
        else:
            out = np.sum(ax**p, axis=axis, keepdims=keepdim) ** (1.0 / p)
        result = wrap(np.asarray(out, dtype=x.dtype))
        ctx.save_for_backward(a, result)
        return result

    @staticmethod
    def backward(ctx, grad):
        a, result = ctx.saved_tensors
        p = ctx.ord
        if result._data.dtype != a._data.dtype:  # norm(dtype=...): the gradient of the cast input
            a = a.to(result.dtype)
        grad = _restore_dims(grad, ctx.dim, ctx.keepdim)
        norm = _restore_dims(result, ctx.dim, ctx.keepdim)
        zero_norm = Tensor._make(np.broadcast_to(norm._data == 0, a._data.shape))
        if p == 0:
            return a * 0 * grad
        if p == 1:
            return a.sign() * grad
        if p == 2:
            # At a zero norm the gradient is taken as 0, as in PyTorch.
            return a * (grad / norm).masked_fill(zero_norm, 0.0)
        if p in (float("inf"), -float("inf")):
            abs_a = a.abs()
            mask = Tensor._make((abs_a._data == norm._data) | np.isnan(abs_a._data))
            count = mask._data.sum(axis=ctx.dim, keepdims=True)
            return a.sign() * ((grad / Tensor._make(count.astype(a._data.dtype))) * mask)
        if p < 1:
            abs_a = a.abs()
            scaled = a.sign() * (abs_a ** (p - 1)).masked_fill(Tensor._make(abs_a._data == 0), 0.0)
            return scaled * grad * norm ** (1 - p)
        if p < 2:
            scaled = a.sign() * a.abs() ** (p - 1)
        else:
            scaled = a * a.abs() ** (p - 2)
        scale = (grad / norm ** (p - 1)).masked_fill(zero_norm, 0.0)
        return scaled * scale


def _amax_or_zero(x: np.ndarray, axis, keepdim: bool, reduce) -> np.ndarray:
    if x.size == 0:
        shape = np.sum(x, axis=axis, keepdims=keepdim).shape
        return np.zeros(shape, dtype=x.dtype)
    return reduce(x, axis=axis, keepdims=keepdim)


class Softmax(Function):
    """softmax along dim;  d/da = s * (g - sum(g * s))."""

    node_name = "SoftmaxBackward0"
    saved_names = ("result",)
    quiet = True

    @staticmethod
    def forward(ctx, a, dim):
        _check_floating(a, dim, "softmax")
        ctx.dim = dim
        x = a._data
        if x.size == 0:
            result = wrap(x.copy())
            ctx.save_for_backward(result)
            return result
        axis = dim if x.ndim else None
        e = np.exp(x - x.max(axis, keepdims=True))
        result = Tensor._make(np.asarray(e / e.sum(axis, keepdims=True)))
        ctx.save_for_backward(result)
        return result

    @staticmethod
    def backward(ctx, grad):
        (result,) = ctx.saved_tensors
        return SoftmaxBackwardData.apply(grad, result, ctx.dim)


class SoftmaxBackwardData(Function):
    """softmax's backward, s (g - sum(g s)), as one node (torch's _softmax_backward_data).

    d/dg = s (gg - sum(gg s))  (this same node again);
    d/ds = gg (g - sum(g s)) - g sum(gg s).
    """

    node_name = "SoftmaxBackwardDataBackward0"
    saved_names = ("grad_output", "output")
    quiet = True

    @staticmethod
    def forward(ctx, grad, result, dim):
        ctx.dim = dim
        ctx.save_for_backward(grad if ctx.needs_input_grad[1] else None, result)
        g, s = grad._data, result._data
        axis = dim if s.ndim else None
        return s * (g - (g * s).sum(axis, keepdims=True))

    @staticmethod
    def backward(ctx, grad_grad):
        grad, s = ctx.saved_tensors
        needs, dim = ctx.needs_input_grad, ctx.dim
        d_grad = SoftmaxBackwardData.apply(grad_grad, s, dim) if needs[0] else None
        d_result = None
        if needs[1]:
            d_result = grad_grad * (grad - (grad * s).sum(dim, keepdim=True)) - grad * (
                grad_grad * s
            ).sum(dim, keepdim=True)
        return d_grad, d_result, None


class LogSoftmax(Function):
    """log softmax along dim;  d/da = g - softmax * sum(g)."""

    node_name = "LogSoftmaxBackward0"
    saved_names = ("result",)
    quiet = True

    @staticmethod
    def forward(ctx, a, dim):
        _check_floating(a, dim, "log_softmax")
        ctx.dim = dim
        x = a._data
        if x.size == 0:
            result = wrap(x.copy())
            ctx.save_for_backward(result)
            return result
        axis = dim if x.ndim else None
        shifted = x - x.max(axis, keepdims=True)
        log_sum_exp = np.log(np.exp(shifted).sum(axis, keepdims=True))
        result = Tensor._make(np.asarray(shifted - log_sum_exp))
        ctx.save_for_backward(result)
        return result

    @staticmethod
    def backward(ctx, grad):
        (result,) = ctx.saved_tensors
        return LogSoftmaxBackwardData.apply(grad, result, ctx.dim)


class LogSoftmaxBackwardData(Function):
    """log_softmax's backward, g - exp(y) sum(g), as one node (torch's _log_softmax_backward_data).

    With p = exp(y):  d/dg = gg - sum(gg p);  d/dy = -gg p sum(g).
    """

    node_name = "LogSoftmaxBackwardDataBackward0"
    saved_names = ("grad_output", "output")
    quiet = True

    @staticmethod
    def forward(ctx, grad, result, dim):
        ctx.dim = dim
        ctx.save_for_backward(grad if ctx.needs_input_grad[1] else None, result)
        g, y = grad._data, result._data
        axis = dim if y.ndim else None
        return g - np.exp(y) * g.sum(axis, keepdims=True)

    @staticmethod
    def backward(ctx, grad_grad):
        grad, result = ctx.saved_tensors
        needs, dim = ctx.needs_input_grad, ctx.dim
        p = result.exp()
        d_grad = grad_grad - (grad_grad * p).sum(dim, keepdim=True) if needs[0] else None
        d_result = -(grad_grad * p * grad.sum(dim, keepdim=True)) if needs[1] else None
        return d_grad, d_result, None


def dims_or_all(dim, ndim: int) -> tuple[int, ...]:
    """Normalized reduction dims; None or () means every dimension."""
    if type(dim) is int and 0 <= dim < ndim:  # the common case, quickly
        return (dim,)
    if dim is None or dim == () or dim == []:
        return tuple(range(ndim))
    dims = normalize_dims(dim, ndim)
    return dims if ndim else ()  # a 0-d tensor has nothing to reduce


def _check_floating(a: Tensor, dim: int, name: str) -> None:
    if a._data.dtype.kind != "f":
        kernel = f"{name}_lastdim_kernel_impl" if dim == a._data.ndim - 1 else f"{name}_kernel_impl"
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{_SCALAR_NAMES[a.dtype]}'")


def sum(t: Tensor, dim=None, keepdim: bool = False, dtype=None) -> Tensor:  # noqa: A001
    """``t.sum(dim, keepdim, dtype=...)``: SumBackward0 for all elements, SumBackward1 over dims.

    >>> import minigrad
    >>> minigrad.ones(2, 3).sum(0)
    tensor([2., 2., 2.])
    """
    if dim is None:
        return Sum.apply(t) if dtype is None else Sum.apply(t, dtype.numpy)
    np_dtype = None if dtype is None else dtype.numpy
    return SumDim.apply(t, dims_or_all(dim, t._data.ndim), keepdim, np_dtype)


def mean(t: Tensor, dim=None, keepdim: bool = False, dtype=None) -> Tensor:
    """``t.mean(dim, keepdim, dtype=...)``: floating point inputs (or a floating dtype) only.

    >>> import minigrad
    >>> minigrad.arange(4.0).mean()
    tensor(1.5000)
    """
    if dtype is not None and not dtype.is_floating_point:
        raise RuntimeError(
            "mean(): could not infer output dtype. Optional dtype must be either a floating "
            f"point or complex dtype. Got: {_SCALAR_NAMES[dtype]}"
        )
    if dtype is None and t._data.dtype.kind != "f":
        raise RuntimeError(
            "mean(): could not infer output dtype. Input dtype must be either a floating point "
            f"or complex dtype. Got: {_SCALAR_NAMES[t.dtype]}"
        )
    np_dtype = None if dtype is None else dtype.numpy
    if dim is None:
        return Mean.apply(t, np_dtype)
    return MeanDim.apply(t, dims_or_all(dim, t._data.ndim), keepdim, np_dtype)


def arg_reduce(t: Tensor, dim=None, keepdim: bool = False, name: str = "argmax") -> Tensor:
    """``t.argmax(dim, keepdim)`` / ``t.argmin(...)``: int64 indices, never recorded.

    >>> import minigrad
    >>> minigrad.tensor([[1.0, 5.0], [7.0, 2.0]]).argmax(1)
    tensor([1, 0])
    """
    pick = np.argmax if name == "argmax" else np.argmin
    data = t._data
    if dim is None:
        if data.size == 0:
            raise IndexError(
                f"{name}(): Expected reduction dim to be specified for input.numel() == 0."
            )
        index = pick(data)
        if keepdim:
            return Tensor._make(np.full((1,) * data.ndim, index, dtype=np.int64))
        return Tensor._make(np.asarray(index, dtype=np.int64))
    d = normalize_dim(dim, data.ndim)
    if data.ndim and data.shape[d] == 0:
        raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size.")
    if data.ndim == 0:
        return Tensor._make(np.zeros((), dtype=np.int64))
    return Tensor._make(np.asarray(pick(data, axis=d, keepdims=keepdim), dtype=np.int64))


def amax(t: Tensor, dim=(), keepdim: bool = False, name: str = "amax") -> Tensor:
    """``t.amax(dim, keepdim)`` (or amin): the largest values, ties sharing the gradient.

    >>> import minigrad
    >>> minigrad.tensor([[1.0, 5.0], [7.0, 2.0]]).amax(0)
    tensor([7., 5.])
    """
    explicit = not (dim is None or dim == () or dim == [])
    dims = dims_or_all(dim, t._data.ndim)
    return (Amax if name == "amax" else Amin).apply(t, dims, keepdim, explicit)


def norm(t: Tensor, p="fro", dim=None, keepdim: bool = False, dtype=None) -> Tensor:
    """``t.norm(p, dim, keepdim, dtype=...)``: the vector p-norm (``linalg.vector_norm``).

    >>> import minigrad
    >>> minigrad.tensor([3.0, 4.0]).norm()
    tensor(5.)
    """
    if t._data.dtype.kind != "f":
        raise RuntimeError(
            "linalg.vector_norm: Expected a floating point or complex tensor as input. Got "
            f"{_SCALAR_NAMES[t.dtype]}"
        )
    if isinstance(p, str) and p != "fro":
        raise NotImplementedError(f"minigrad has no matrix norm {p!r}")
    order = 2 if p in ("fro", None) else p
    dims = tuple(range(t._data.ndim)) if dim is None else dims_or_all(dim, t._data.ndim)
    np_dtype = None if dtype is None else dtype.numpy
    return Norm.apply(t, order, dims, keepdim, np_dtype)
