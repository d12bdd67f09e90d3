"""The functions PyTorch offers as ``torch.X(tensor, ...)``; each calls the tensor method."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from minigrad._shapes import size_list
from minigrad.ops import linalg as _linalg
from minigrad.ops import sampling as _sampling
from minigrad.ops import shape as _shape
from minigrad.ops import unary as _unary
from minigrad.ops._util import normalize_dim
from minigrad.tensor import Size, Tensor

# Marks an argument left out (None is a value some of these functions accept).
_NOT_GIVEN: Any = object()


def add(input: Tensor, other: Any, *, alpha: Any = 1) -> Tensor:  # noqa: A002 - torch's names
    """input + alpha * other.

    >>> import minigrad
    >>> minigrad.add(minigrad.ones(2), minigrad.ones(2), alpha=3)
    tensor([4., 4.])
    """
    return input.add(other, alpha=alpha)


def sub(input: Tensor, other: Any, *, alpha: Any = 1) -> Tensor:  # noqa: A002
    """input - alpha * other.

    >>> import minigrad
    >>> minigrad.sub(minigrad.ones(2), 0.5)
    tensor([0.5000, 0.5000])
    """
    return input.sub(other, alpha=alpha)


def mul(input: Tensor, other: Any) -> Tensor:  # noqa: A002
    """input * other, elementwise with broadcasting.

    >>> import minigrad
    >>> minigrad.mul(minigrad.tensor([1.0, 2.0]), 3)
    tensor([3., 6.])
    """
    return input * other


def div(input: Tensor, other: Any) -> Tensor:  # noqa: A002
    """input / other (always a floating point result).

    >>> import minigrad
    >>> minigrad.div(minigrad.tensor([1, 2]), 4)
    tensor([0.2500, 0.5000])
    """
    return input / other


def pow(input: Any, exponent: Any) -> Tensor:  # noqa: A001, A002
    """input ** exponent; either may be a number.

    >>> import minigrad
    >>> minigrad.pow(minigrad.tensor([1.0, 2.0]), 2), minigrad.pow(2, minigrad.tensor([3.0]))
    (tensor([1., 4.]), tensor([8.]))
    """
    if not isinstance(input, Tensor):
        return exponent.__rpow__(input)
    return input.pow(exponent)


def neg(input: Tensor) -> Tensor:  # noqa: A002
    """-input.

    >>> import minigrad
    >>> minigrad.neg(minigrad.tensor([1.0, -2.0]))
    tensor([-1.,  2.])
    """
    return -input


def matmul(input: Tensor, other: Tensor) -> Tensor:  # noqa: A002
    """Matrix product by torch's rules for every rank.

    >>> import minigrad
    >>> minigrad.matmul(minigrad.ones(5), minigrad.ones(5, 3))
    tensor([5., 5., 5.])
    """
    return _linalg.matmul(input, other)


def mm(input: Tensor, mat2: Tensor) -> Tensor:  # noqa: A002
    """Product of two matrices.

    >>> import minigrad
    >>> minigrad.mm(minigrad.ones(2, 3), minigrad.ones(3, 1))
    tensor([[3.],
            [3.]])
    """
    return input.mm(mat2)


def mv(input: Tensor, vec: Tensor) -> Tensor:  # noqa: A002
    """Product of a matrix and a vector.

    >>> import minigrad
    >>> minigrad.mv(minigrad.ones(2, 3), minigrad.ones(3))
    tensor([3., 3.])
    """
    return input.mv(vec)


def dot(input: Tensor, other: Tensor) -> Tensor:  # noqa: A002
    """Dot product of two vectors.

    >>> import minigrad
    >>> x = minigrad.arange(4.0)
    >>> minigrad.dot(x, x)
    tensor(14.)
    """
    return input.dot(other)


def bmm(input: Tensor, mat2: Tensor) -> Tensor:  # noqa: A002
    """Products of two batches of matrices, one pair at a time.

    >>> import minigrad
    >>> minigrad.bmm(minigrad.ones(4, 2, 3), minigrad.ones(4, 3, 5)).shape
    torch.Size([4, 2, 5])
    """
    return input.bmm(mat2)


def t(input: Tensor) -> Tensor:  # noqa: A002
    """Transpose of a matrix (a vector is returned as it is).

    >>> import minigrad
    >>> minigrad.t(minigrad.ones(2, 3)).shape
    torch.Size([3, 2])
    """
    return input.t()


def transpose(input: Tensor, dim0: int, dim1: int) -> Tensor:  # noqa: A002
    """input with dimensions dim0 and dim1 swapped.

    >>> import minigrad
    >>> minigrad.transpose(minigrad.ones(2, 3, 4), 0, 2).shape
    torch.Size([4, 3, 2])
    """
    return input.transpose(dim0, dim1)


def permute(input: Tensor, dims: Sequence[int]) -> Tensor:  # noqa: A002
    """input with its dimensions reordered.

    >>> import minigrad
    >>> minigrad.permute(minigrad.ones(2, 3, 4), (2, 0, 1)).shape
    torch.Size([4, 2, 3])
    """
    return input.permute(*dims)


def reshape(input: Tensor, shape: Sequence[int]) -> Tensor:  # noqa: A002
    """The same elements in another shape (one size may be -1).

    >>> import minigrad
    >>> minigrad.reshape(minigrad.arange(6), (2, -1))
    tensor([[0, 1, 2],
            [3, 4, 5]])
    """
    return input.reshape(*shape)


def flatten(input: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:  # noqa: A002
    """Dimensions start_dim to end_dim merged into one.

    >>> import minigrad
    >>> minigrad.flatten(minigrad.ones(2, 3, 4), 1).shape
    torch.Size([2, 12])
    """
    return input.flatten(start_dim, end_dim)


def squeeze(input: Tensor, dim: Any = None, *, axis: Any = None) -> Tensor:  # noqa: A002
    """input without its dimensions of size 1 (all, or those given).

    >>> import minigrad
    >>> minigrad.squeeze(minigrad.ones(1, 3, 1)).shape
    torch.Size([3])
    """
    return input.squeeze(dim, axis=axis)


def unsqueeze(input: Tensor, dim: Any = None, *, axis: Any = None) -> Tensor:  # noqa: A002
    """input with a new dimension of size 1 at dim.

    >>> import minigrad
    >>> minigrad.unsqueeze(minigrad.ones(3), 0).shape
    torch.Size([1, 3])
    """
    return input.unsqueeze(dim, axis=axis)


def cat(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Join tensors along an existing dimension.

    >>> import minigrad
    >>> minigrad.cat([minigrad.zeros(2), minigrad.ones(1)])
    tensor([0., 0., 1.])
    """
    tensors = list(tensors)
    if not tensors:
        raise ValueError("torch.cat(): expected a non-empty list of Tensors")
    shaped = [t for t in tensors if t._data.shape != (0,)]
    if not shaped:
        return _shape.Cat.apply(0, *tensors)
    ndim = shaped[0]._data.ndim
    if ndim == 0:
        raise RuntimeError("zero-dimensional tensor (at position 0) cannot be concatenated")
    d = normalize_dim(dim, ndim)
    first = shaped[0]._data.shape
    for i, t in enumerate(tensors):
        if t._data.shape == (0,):
            continue
        if t._data.ndim != ndim:
            raise RuntimeError(
                f"Tensors must have same number of dimensions: got {ndim} and {t._data.ndim}"
            )
        for axis, (a, b) in enumerate(zip(first, t._data.shape)):
            if axis != d and a != b:
                raise RuntimeError(
                    f"Sizes of tensors must match except in dimension {d}. Expected size {a} but "
                    f"got size {b} for tensor number {i} in the list."
                )
    return _shape.Cat.apply(d, *tensors)


def stack(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Join tensors of one shape along a new dimension.

    >>> import minigrad
    >>> minigrad.stack([minigrad.zeros(2), minigrad.ones(2)])
    tensor([[0., 0.],
            [1., 1.]])
    """
    tensors = list(tensors)
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    first = tensors[0]._data.shape
    for i, t in enumerate(tensors):
        if t._data.shape != first:
            raise RuntimeError(
                f"stack expects each tensor to be equal size, but got {size_list(first)} at "
                f"entry 0 and {size_list(t._data.shape)} at entry {i}"
            )
    return _shape.Stack.apply(normalize_dim(dim, len(first) + 1), *tensors)


def where(condition: Tensor, input: Any = _NOT_GIVEN, other: Any = _NOT_GIVEN) -> Any:  # noqa: A002
    """Elements of ``input`` where ``condition`` holds, else of ``other``.

    With the condition only, the indices where it holds: ``nonzero(condition, as_tuple=True)``.

    >>> import minigrad
    >>> x = minigrad.tensor([-1.0, 2.0])
    >>> minigrad.where(x > 0, x, 0.0)
    tensor([0., 2.])
    >>> minigrad.where(x > 0)
    (tensor([1]),)
    """
    if input is _NOT_GIVEN and other is _NOT_GIVEN:
        return condition.nonzero(as_tuple=True)
    if input is _NOT_GIVEN or other is _NOT_GIVEN:
        raise TypeError("where() takes the condition alone, or the condition, input and other")
    return _unary.where(condition, input, other)


def maximum(input: Tensor, other: Tensor) -> Tensor:  # noqa: A002
    """The larger of two tensors, elementwise.

    >>> import minigrad
    >>> minigrad.maximum(minigrad.tensor([1.0, 5.0]), minigrad.tensor([3.0, 2.0]))
    tensor([3., 5.])
    """
    return input.maximum(other)


def minimum(input: Tensor, other: Tensor) -> Tensor:  # noqa: A002
    """The smaller of two tensors, elementwise.

    >>> import minigrad
    >>> minigrad.minimum(minigrad.tensor([1.0, 5.0]), minigrad.tensor([3.0, 2.0]))
    tensor([1., 2.])
    """
    return input.minimum(other)


def clamp(input: Tensor, min: Any = None, max: Any = None) -> Tensor:  # noqa: A002
    """Every element limited to [min, max] (numbers, or tensors that broadcast).

    >>> import minigrad
    >>> minigrad.clamp(minigrad.tensor([-2.0, 0.5, 2.0]), min=0.0)
    tensor([0.0000, 0.5000, 2.0000])
    """
    return input.clamp(min, max)


clip = clamp


def allclose(
    input: Tensor, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False
) -> bool:  # noqa: A002
    """Whether all elements are close: |input - other| <= atol + rtol |other|.

    >>> import minigrad
    >>> minigrad.allclose(minigrad.ones(2), minigrad.ones(2) + 1e-9)
    True
    """
    return input.allclose(other, rtol, atol, equal_nan)


def equal(input: Tensor, other: Tensor) -> bool:  # noqa: A002
    """True when both tensors have the same shape and values.

    >>> import minigrad
    >>> a = minigrad.ones(2)
    >>> minigrad.equal(a, minigrad.ones(2)), minigrad.equal(a, minigrad.ones(3))
    (True, False)
    """
    return input.equal(other)


def numel(input: Tensor) -> int:  # noqa: A002
    """The number of elements.

    >>> import minigrad
    >>> minigrad.numel(minigrad.ones(2, 3))
    6
    """
    return input.numel()


def is_tensor(obj: Any) -> bool:
    """Whether obj is a tensor.

    >>> import minigrad
    >>> minigrad.is_tensor(minigrad.ones(1)), minigrad.is_tensor([1.0])
    (True, False)
    """
    return isinstance(obj, Tensor)


def exp(input: Tensor) -> Tensor:  # noqa: A002
    """e ** input, elementwise.

    >>> import minigrad
    >>> minigrad.exp(minigrad.tensor([0.0, 1.0]))
    tensor([1.0000, 2.7183])
    """
    return input.exp()


def log(input: Tensor) -> Tensor:  # noqa: A002
    """Natural logarithm, elementwise (-inf at 0, nan below).

    >>> import minigrad
    >>> minigrad.log(minigrad.tensor([1.0, 0.0]))
    tensor([0., -inf])
    """
    return input.log()


def sqrt(input: Tensor) -> Tensor:  # noqa: A002
    """Square root, elementwise.

    >>> import minigrad
    >>> minigrad.sqrt(minigrad.tensor([4.0, 2.0]))
    tensor([2.0000, 1.4142])
    """
    return input.sqrt()


def abs(input: Tensor) -> Tensor:  # noqa: A001, A002
    """Absolute value, elementwise.

    >>> import minigrad
    >>> minigrad.abs(minigrad.tensor([-1.5, 2.0]))
    tensor([1.5000, 2.0000])
    """
    return input.abs()


def sign(input: Tensor) -> Tensor:  # noqa: A002
    """-1, 0 or 1 by the sign of each element (0 for nan).

    >>> import minigrad
    >>> minigrad.sign(minigrad.tensor([-1.5, 0.0, 2.0]))
    tensor([-1.,  0.,  1.])
    """
    return input.sign()


def sin(input: Tensor) -> Tensor:  # noqa: A002
    """Sine, elementwise.

    >>> import minigrad
    >>> minigrad.sin(minigrad.tensor([0.0]))
    tensor([0.])
    """
    return input.sin()


def cos(input: Tensor) -> Tensor:  # noqa: A002
    """Cosine, elementwise.

    >>> import minigrad
    >>> minigrad.cos(minigrad.tensor([0.0]))
    tensor([1.])
    """
    return input.cos()


def tanh(input: Tensor) -> Tensor:  # noqa: A002
    """Hyperbolic tangent, elementwise.

    >>> import minigrad
    >>> minigrad.tanh(minigrad.tensor([0.0, 100.0]))
    tensor([0., 1.])
    """
    return input.tanh()


def sigmoid(input: Tensor) -> Tensor:  # noqa: A002
    """1 / (1 + exp(-input)), elementwise.

    >>> import minigrad
    >>> minigrad.sigmoid(minigrad.tensor([0.0]))
    tensor([0.5000])
    """
    return input.sigmoid()


def relu(input: Tensor) -> Tensor:  # noqa: A002
    """max(input, 0), elementwise.

    >>> import minigrad
    >>> minigrad.relu(minigrad.tensor([-1.0, 2.0]))
    tensor([0., 2.])
    """
    return input.relu()


def reciprocal(input: Tensor) -> Tensor:  # noqa: A002
    """1 / input, elementwise.

    >>> import minigrad
    >>> minigrad.reciprocal(minigrad.tensor([2.0, 4.0]))
    tensor([0.5000, 0.2500])
    """
    return input.reciprocal()


def softmax(input: Tensor, dim: Any = None, *, axis: Any = None) -> Tensor:  # noqa: A002
    """exp(input) / sum(exp(input)) along dim.

    >>> import minigrad
    >>> minigrad.softmax(minigrad.tensor([0.0, 0.0]), 0)
    tensor([0.5000, 0.5000])
    """
    return input.softmax(dim, axis=axis)


def log_softmax(input: Tensor, dim: Any = None, *, axis: Any = None) -> Tensor:  # noqa: A002
    """log(softmax(input)) along dim, computed stably.

    >>> import minigrad
    >>> minigrad.log_softmax(minigrad.tensor([0.0, 0.0]), 0)
    tensor([-0.6931, -0.6931])
    """
    return input.log_softmax(dim, axis=axis)


def sum(  # noqa: A001
    input: Tensor,  # noqa: A002
    dim: Any = None,
    keepdim: bool = False,
    *,
    dtype: Any = None,
    axis: Any = None,
) -> Tensor:
    """Sum of all elements, or over dim.

    >>> import minigrad
    >>> minigrad.sum(minigrad.ones(2, 3)), minigrad.sum(minigrad.ones(2, 3), 1)
    (tensor(6.), tensor([3., 3.]))
    """
    return input.sum(dim, keepdim, dtype=dtype, axis=axis)


def mean(
    input: Tensor,  # noqa: A002
    dim: Any = None,
    keepdim: bool = False,
    *,
    dtype: Any = None,
    axis: Any = None,
) -> Tensor:
    """Mean of all elements, or over dim (floating point tensors).

    >>> import minigrad
    >>> minigrad.mean(minigrad.arange(4.0))
    tensor(1.5000)
    """
    return input.mean(dim, keepdim, dtype=dtype, axis=axis)


def prod(input: Tensor, dim: Any = None, keepdim: bool = False, *, axis: Any = None) -> Tensor:  # noqa: A002
    """Product of all elements, or along dim.

    >>> import minigrad
    >>> minigrad.prod(minigrad.tensor([2.0, 3.0, 4.0]))
    tensor(24.)
    """
    return input.prod(dim, keepdim, axis=axis)


def max(input: Tensor, dim: Any = None, keepdim: bool = False, *, axis: Any = None) -> Any:  # noqa: A001, A002
    """The largest element; along dim, (values, indices); of two tensors, elementwise.

    >>> import minigrad
    >>> minigrad.max(minigrad.tensor([[1.0, 5.0], [7.0, 2.0]]), 1).indices
    tensor([1, 0])
    """
    return input.max(dim, keepdim, axis=axis)


def min(input: Tensor, dim: Any = None, keepdim: bool = False, *, axis: Any = None) -> Any:  # noqa: A001, A002
    """The smallest element; along dim, (values, indices); of two tensors, elementwise.

    >>> import minigrad
    >>> minigrad.min(minigrad.tensor([[1.0, 5.0], [7.0, 2.0]]))
    tensor(1.)
    """
    return input.min(dim, keepdim, axis=axis)


def amax(input: Tensor, dim: Any = (), keepdim: bool = False, *, axis: Any = None) -> Tensor:  # noqa: A002
    """The largest values over dims (gradient shared evenly among ties).

    >>> import minigrad
    >>> minigrad.amax(minigrad.tensor([[1.0, 5.0], [7.0, 2.0]]), 0)
    tensor([7., 5.])
    """
    return input.amax(dim, keepdim, axis=axis)


def amin(input: Tensor, dim: Any = (), keepdim: bool = False, *, axis: Any = None) -> Tensor:  # noqa: A002
    """The smallest values over dims (gradient shared evenly among ties).

    >>> import minigrad
    >>> minigrad.amin(minigrad.tensor([[1.0, 5.0], [7.0, 2.0]]), 1)
    tensor([1., 2.])
    """
    return input.amin(dim, keepdim, axis=axis)


def argmax(input: Tensor, dim: Any = None, keepdim: bool = False, *, axis: Any = None) -> Tensor:  # noqa: A002
    """Index of the largest element (of the flattened tensor, or along dim).

    >>> import minigrad
    >>> minigrad.argmax(minigrad.tensor([1.0, 5.0, 2.0]))
    tensor(1)
    """
    return input.argmax(dim, keepdim, axis=axis)


def argmin(input: Tensor, dim: Any = None, keepdim: bool = False, *, axis: Any = None) -> Tensor:  # noqa: A002
    """Index of the smallest element (of the flattened tensor, or along dim).

    >>> import minigrad
    >>> minigrad.argmin(minigrad.tensor([1.0, 5.0, 0.5]))
    tensor(2)
    """
    return input.argmin(dim, keepdim, axis=axis)


def norm(input: Tensor, p: Any = "fro", dim: Any = None, keepdim: bool = False) -> Tensor:  # noqa: A002
    """The vector p-norm (2 by default) of all elements, or over dim.

    >>> import minigrad
    >>> minigrad.norm(minigrad.tensor([3.0, 4.0]))
    tensor(5.)
    """
    return input.norm(p, dim, keepdim)


def clone(input: Tensor) -> Tensor:  # noqa: A002
    """A copy with its own memory; gradients flow back through it.

    >>> import minigrad
    >>> minigrad.clone(minigrad.ones(2))
    tensor([1., 1.])
    """
    return input.clone()


def isnan(input: Tensor) -> Tensor:  # noqa: A002
    """Where the elements are nan (a bool tensor).

    >>> import minigrad
    >>> minigrad.isnan(minigrad.tensor([1.0, float("nan")]))
    tensor([False,  True])
    """
    return input.isnan()


def isinf(input: Tensor) -> Tensor:  # noqa: A002
    """Where the elements are infinite (a bool tensor).

    >>> import minigrad
    >>> minigrad.isinf(minigrad.tensor([1.0, float("-inf")]))
    tensor([False,  True])
    """
    return input.isinf()


def isfinite(input: Tensor) -> Tensor:  # noqa: A002
    """Where the elements are finite (a bool tensor).

    >>> import minigrad
    >>> minigrad.isfinite(minigrad.tensor([1.0, float("inf")]))
    tensor([ True, False])
    """
    return input.isfinite()


def logical_not(input: Tensor) -> Tensor:  # noqa: A002
    """Elementwise not (zero is False), as a bool tensor.

    >>> import minigrad
    >>> minigrad.logical_not(minigrad.tensor([True, False]))
    tensor([False,  True])
    """
    return input.logical_not()


def masked_fill(input: Tensor, mask: Tensor, value: Any) -> Tensor:  # noqa: A002
    """input with value where mask is True (the mask broadcasts).

    >>> import minigrad
    >>> minigrad.masked_fill(minigrad.zeros(3), minigrad.tensor([True, False, True]), 1.0)
    tensor([1., 0., 1.])
    """
    return input.masked_fill(mask, value)


def broadcast_shapes(*shapes: Sequence[int]) -> Any:
    """The shape that tensors of these shapes broadcast to.

    >>> import minigrad
    >>> minigrad.broadcast_shapes((2, 1), (3,))
    torch.Size([2, 3])
    """

    return Size(np.broadcast_shapes(*[tuple(s) for s in shapes]))


# -- in place: the functions torch offers as torch.sin_(x), ... --------------------------------


def sin_(input: Tensor) -> Tensor:  # noqa: A002
    """Sine, in place; returns input.

    >>> import minigrad
    >>> minigrad.sin_(minigrad.zeros(2))
    tensor([0., 0.])
    """
    return input.sin_()


def cos_(input: Tensor) -> Tensor:  # noqa: A002
    """Cosine, in place; returns input.

    >>> import minigrad
    >>> minigrad.cos_(minigrad.zeros(2))
    tensor([1., 1.])
    """
    return input.cos_()


def exp_(input: Tensor) -> Tensor:  # noqa: A002
    """e ** input, in place; returns input.

    >>> import minigrad
    >>> minigrad.exp_(minigrad.zeros(2))
    tensor([1., 1.])
    """
    return input.exp_()


def log_(input: Tensor) -> Tensor:  # noqa: A002
    """Natural logarithm, in place; returns input.

    >>> import minigrad
    >>> minigrad.log_(minigrad.ones(2))
    tensor([0., 0.])
    """
    return input.log_()


def sqrt_(input: Tensor) -> Tensor:  # noqa: A002
    """Square root, in place; returns input.

    >>> import minigrad
    >>> minigrad.sqrt_(minigrad.tensor([4.0, 9.0]))
    tensor([2., 3.])
    """
    return input.sqrt_()


def abs_(input: Tensor) -> Tensor:  # noqa: A002
    """Absolute value, in place; returns input.

    >>> import minigrad
    >>> minigrad.abs_(minigrad.tensor([-1.5, 2.0]))
    tensor([1.5000, 2.0000])
    """
    return input.abs_()


def tanh_(input: Tensor) -> Tensor:  # noqa: A002
    """Hyperbolic tangent, in place; returns input.

    >>> import minigrad
    >>> minigrad.tanh_(minigrad.zeros(2))
    tensor([0., 0.])
    """
    return input.tanh_()


def sigmoid_(input: Tensor) -> Tensor:  # noqa: A002
    """1 / (1 + exp(-input)), in place; returns input.

    >>> import minigrad
    >>> minigrad.sigmoid_(minigrad.zeros(2))
    tensor([0.5000, 0.5000])
    """
    return input.sigmoid_()


def relu_(input: Tensor) -> Tensor:  # noqa: A002
    """max(input, 0), in place; returns input.

    >>> import minigrad
    >>> minigrad.relu_(minigrad.tensor([-1.0, 2.0]))
    tensor([0., 2.])
    """
    return input.relu_()


# -- more elementwise functions, statistics and sorting ----------------------------------------


def sinh(input: Tensor) -> Tensor:  # noqa: A002
    """Hyperbolic sine, elementwise.

    >>> import minigrad
    >>> minigrad.sinh(minigrad.tensor([0.0, 1.0]))
    tensor([0.0000, 1.1752])
    """
    return input.sinh()


def cosh(input: Tensor) -> Tensor:  # noqa: A002
    """Hyperbolic cosine, elementwise.

    >>> import minigrad
    >>> minigrad.cosh(minigrad.tensor([0.0, 1.0]))
    tensor([1.0000, 1.5431])
    """
    return input.cosh()


def square(input: Tensor) -> Tensor:  # noqa: A002
    """input ** 2, elementwise (recorded as a power, PowBackward0, as in torch).

    >>> import minigrad
    >>> minigrad.square(minigrad.tensor([-2.0, 3.0]))
    tensor([4., 9.])
    """
    return input.square()


def log10(input: Tensor) -> Tensor:  # noqa: A002
    """Logarithm to base 10, elementwise.

    >>> import minigrad
    >>> minigrad.log10(minigrad.tensor([1.0, 1000.0]))
    tensor([0., 3.])
    """
    return input.log10()


def log2(input: Tensor) -> Tensor:  # noqa: A002
    """Logarithm to base 2, elementwise.

    >>> import minigrad
    >>> minigrad.log2(minigrad.tensor([1.0, 8.0]))
    tensor([0., 3.])
    """
    return input.log2()


def round(input: Tensor, *, decimals: int | None = None) -> Tensor:  # noqa: A001, A002
    """Round to the nearest integer, halves to even (or to ``decimals`` decimal places).

    >>> import minigrad
    >>> minigrad.round(minigrad.tensor([0.5, 1.5, 2.5]))
    tensor([0., 2., 2.])
    >>> minigrad.round(minigrad.tensor([3.14159]), decimals=2)
    tensor([3.1400])
    """
    return input.round(decimals=decimals)


def remainder(input: Any, other: Any) -> Tensor:  # noqa: A002
    """input % other, with the sign of other (Python's rule).

    >>> import minigrad
    >>> minigrad.remainder(minigrad.tensor([5.0, -7.0]), 3)
    tensor([2., 2.])
    """
    if not isinstance(input, Tensor):
        return other.__rmod__(input)
    return input.remainder(other)


def floor_divide(input: Any, other: Any) -> Tensor:  # noqa: A002
    """floor(input / other), elementwise (not differentiable, as in PyTorch).

    >>> import minigrad
    >>> minigrad.floor_divide(minigrad.tensor([7.0, -7.0]), 2)
    tensor([ 3., -4.])
    """
    if not isinstance(input, Tensor):
        return other.__rfloordiv__(input)
    return input.floor_divide(other)


def all(input: Tensor, dim: Any = None, keepdim: bool = False, *, axis: Any = None) -> Tensor:  # noqa: A001, A002
    """Whether all elements (or all along dim) are nonzero, as a bool tensor.

    >>> import minigrad
    >>> minigrad.all(minigrad.tensor([[1.0, 0.0], [2.0, 3.0]]), dim=1)
    tensor([False,  True])
    """
    return input.all(dim, keepdim, axis=axis)


def any(input: Tensor, dim: Any = None, keepdim: bool = False, *, axis: Any = None) -> Tensor:  # noqa: A001, A002
    """Whether any element (or any along dim) is nonzero, as a bool tensor.

    >>> import minigrad
    >>> minigrad.any(minigrad.tensor([[1.0, 0.0], [0.0, 0.0]]), dim=1)
    tensor([ True, False])
    """
    return input.any(dim, keepdim, axis=axis)


def var(
    input: Tensor,  # noqa: A002
    dim: Any = None,
    unbiased: bool | None = None,
    keepdim: bool = False,
    *,
    correction: Any = None,
    axis: Any = None,
) -> Tensor:
    """The variance of all elements, or along dim (Bessel's correction unless told otherwise).

    >>> import minigrad
    >>> minigrad.var(minigrad.tensor([1.0, 2.0, 3.0, 4.0]), correction=0)
    tensor(1.2500)
    """
    return input.var(dim, unbiased, keepdim, correction=correction, axis=axis)


def std(
    input: Tensor,  # noqa: A002
    dim: Any = None,
    unbiased: bool | None = None,
    keepdim: bool = False,
    *,
    correction: Any = None,
    axis: Any = None,
) -> Tensor:
    """The standard deviation of all elements, or along dim (the square root of ``var``).

    >>> import minigrad
    >>> minigrad.std(minigrad.tensor([1.0, 2.0, 3.0, 4.0]), unbiased=False)
    tensor(1.1180)
    """
    return input.std(dim, unbiased, keepdim, correction=correction, axis=axis)


def sort(
    input: Tensor,  # noqa: A002
    dim: int = -1,
    descending: bool = False,
    *,
    stable: bool | None = None,
    axis: Any = None,
) -> Any:
    """The values sorted along dim, and their indices (``torch.return_types.sort``).

    >>> import minigrad
    >>> minigrad.sort(minigrad.tensor([3.0, 1.0, 2.0]), descending=True).values
    tensor([3., 2., 1.])
    """
    return input.sort(dim, descending, stable=stable, axis=axis)


def topk(input: Tensor, k: int, dim: int = -1, largest: bool = True, sorted: bool = True) -> Any:  # noqa: A002
    """The k largest (or smallest) values along dim, and their indices.

    >>> import minigrad
    >>> minigrad.topk(minigrad.tensor([3.0, 1.0, 2.0]), 2).indices
    tensor([0, 2])
    """
    return input.topk(k, dim, largest, sorted)


def nonzero(input: Tensor, *, as_tuple: bool = False) -> Any:  # noqa: A002
    """The indices of the nonzero elements (as rows, or one tensor per dimension).

    >>> import minigrad
    >>> minigrad.nonzero(minigrad.tensor([0.0, 3.0, 4.0]), as_tuple=True)
    (tensor([1, 2]),)
    """
    return input.nonzero(as_tuple=as_tuple)


def normal(
    mean: Any,
    std: Any = 1.0,
    size: Any = None,
    *,
    generator: Any = None,
    dtype: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """Normal random samples: ``normal(mean, std, size)`` with numbers, or one sample per
    element of a mean and/or std tensor (the values are not PyTorch's: see minigrad.random).

    >>> import minigrad
    >>> _ = minigrad.manual_seed(0)
    >>> minigrad.normal(0.0, 1.0, size=(2, 2)).shape
    torch.Size([2, 2])
    """
    return _sampling.normal(
        mean, std, size, generator=generator, dtype=dtype, requires_grad=requires_grad
    )


def cumsum(input: Tensor, dim: Any = None, *, dtype: Any = None, axis: Any = None) -> Tensor:  # noqa: A002
    """Running sums along dim.

    >>> import minigrad
    >>> minigrad.cumsum(minigrad.tensor([1, 2, 3]), dim=0)
    tensor([1, 3, 6])
    """
    return input.cumsum(dim, dtype=dtype, axis=axis)


def logsumexp(input: Tensor, dim: Any = None, keepdim: bool = False, *, axis: Any = None) -> Tensor:  # noqa: A002
    """log(sum(exp(input))) over dim, computed without overflow.

    >>> import minigrad
    >>> minigrad.logsumexp(minigrad.tensor([[0.0, 0.0], [1.0, 1.0]]), 1)
    tensor([0.6931, 1.6931])
    """
    return input.logsumexp(dim, keepdim, axis=axis)
