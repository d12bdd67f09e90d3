"""The functions PyTorch offers as ``torch.X(tensor, ...)``; each calls the tensor method."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from minigrad._shapes import size_list
from minigrad.ops import linalg as _linalg
from minigrad.ops import shape as _shape
from minigrad.ops import unary as _unary
from minigrad.ops._util import normalize_dim
from minigrad.tensor import Size, Tensor


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


def squeeze(input: Tensor, dim: Any = None) -> Tensor:  # noqa: A002
    """input without its dimensions of size 1 (all, or those given).

    >>> import minigrad
    >>> minigrad.squeeze(minigrad.ones(1, 3, 1)).shape
    torch.Size([3])
    """
    return input.squeeze(dim)


def unsqueeze(input: Tensor, dim: int) -> Tensor:  # noqa: A002
    """input with a new dimension of size 1 at dim.

    >>> import minigrad
    >>> minigrad.unsqueeze(minigrad.ones(3), 0).shape
    torch.Size([1, 3])
    """
    return input.unsqueeze(dim)


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


def where(condition: Tensor, input: Any, other: Any) -> Tensor:  # noqa: A002
    """Elements of ``input`` where ``condition`` holds, else of ``other``.

    >>> import minigrad
    >>> x = minigrad.tensor([-1.0, 2.0])
    >>> minigrad.where(x > 0, x, 0.0)
    tensor([0., 2.])
    """
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


def softmax(input: Tensor, dim: int) -> Tensor:  # noqa: A002
    """exp(input) / sum(exp(input)) along dim.

    >>> import minigrad
    >>> minigrad.softmax(minigrad.tensor([0.0, 0.0]), 0)
    tensor([0.5000, 0.5000])
    """
    return input.softmax(dim)


def log_softmax(input: Tensor, dim: int) -> Tensor:  # noqa: A002
    """log(softmax(input)) along dim, computed stably.

    >>> import minigrad
    >>> minigrad.log_softmax(minigrad.tensor([0.0, 0.0]), 0)
    tensor([-0.6931, -0.6931])
    """
    return input.log_softmax(dim)


def sum(input: Tensor, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:  # noqa: A001, A002
    """Sum of all elements, or over dim.

    >>> import minigrad
    >>> minigrad.sum(minigrad.ones(2, 3)), minigrad.sum(minigrad.ones(2, 3), 1)
    (tensor(6.), tensor([3., 3.]))
    """
    return input.sum(dim, keepdim, dtype=dtype)


def mean(input: Tensor, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:  # noqa: A002
    """Mean of all elements, or over dim (floating point tensors).

    >>> import minigrad
    >>> minigrad.mean(minigrad.arange(4.0))
    tensor(1.5000)
    """
    return input.mean(dim, keepdim, dtype=dtype)


def prod(input: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:  # noqa: A002
    """Product of all elements, or along dim.

    >>> import minigrad
    >>> minigrad.prod(minigrad.tensor([2.0, 3.0, 4.0]))
    tensor(24.)
    """
    return input.prod(dim, keepdim)


def max(input: Tensor, dim: Any = None, keepdim: bool = False) -> Any:  # noqa: A001, A002
    """The largest element; along dim, (values, indices); of two tensors, elementwise.

    >>> import minigrad
    >>> minigrad.max(minigrad.tensor([[1.0, 5.0], [7.0, 2.0]]), 1).indices
    tensor([1, 0])
    """
    return input.max(dim, keepdim)


def min(input: Tensor, dim: Any = None, keepdim: bool = False) -> Any:  # noqa: A001, A002
    """The smallest element; along dim, (values, indices); of two tensors, elementwise.

    >>> import minigrad
    >>> minigrad.min(minigrad.tensor([[1.0, 5.0], [7.0, 2.0]]))
    tensor(1.)
    """
    return input.min(dim, keepdim)


def amax(input: Tensor, dim: Any = (), keepdim: bool = False) -> Tensor:  # noqa: A002
    """The largest values over dims (gradient shared evenly among ties).

    >>> import minigrad
    >>> minigrad.amax(minigrad.tensor([[1.0, 5.0], [7.0, 2.0]]), 0)
    tensor([7., 5.])
    """
    return input.amax(dim, keepdim)


def amin(input: Tensor, dim: Any = (), keepdim: bool = False) -> Tensor:  # noqa: A002
    """The smallest values over dims (gradient shared evenly among ties).

    >>> import minigrad
    >>> minigrad.amin(minigrad.tensor([[1.0, 5.0], [7.0, 2.0]]), 1)
    tensor([1., 2.])
    """
    return input.amin(dim, keepdim)


def argmax(input: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:  # noqa: A002
    """Index of the largest element (of the flattened tensor, or along dim).

    >>> import minigrad
    >>> minigrad.argmax(minigrad.tensor([1.0, 5.0, 2.0]))
    tensor(1)
    """
    return input.argmax(dim, keepdim)


def argmin(input: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:  # noqa: A002
    """Index of the smallest element (of the flattened tensor, or along dim).

    >>> import minigrad
    >>> minigrad.argmin(minigrad.tensor([1.0, 5.0, 0.5]))
    tensor(2)
    """
    return input.argmin(dim, keepdim)


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
