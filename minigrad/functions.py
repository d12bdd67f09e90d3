"""The functions PyTorch offers as ``torch.X(tensor, ...)``; each calls the tensor method."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from minigrad.ops import linalg as _linalg
from minigrad.ops import shape as _shape
from minigrad.ops import unary as _unary
from minigrad.ops._util import normalize_dim, operand
from minigrad.tensor import Tensor


def add(input: Tensor, other: Any, *, alpha: Any = 1) -> Tensor:  # noqa: A002 - torch's names
    return input.add(other, alpha=alpha)


def sub(input: Tensor, other: Any, *, alpha: Any = 1) -> Tensor:  # noqa: A002
    return input.sub(other, alpha=alpha)


def mul(input: Tensor, other: Any) -> Tensor:  # noqa: A002
    return input * other


def div(input: Tensor, other: Any) -> Tensor:  # noqa: A002
    return input / other


def pow(input: Any, exponent: Any) -> Tensor:  # noqa: A001, A002
    if not isinstance(input, Tensor):
        return exponent.__rpow__(input)
    return input.pow(exponent)


def neg(input: Tensor) -> Tensor:  # noqa: A002
    return -input


def matmul(input: Tensor, other: Tensor) -> Tensor:  # noqa: A002
    """Matrix product by torch's rules for every rank.

    >>> import minigrad
    >>> minigrad.matmul(minigrad.ones(5), minigrad.ones(5, 3))
    tensor([5., 5., 5.])
    """
    return _linalg.matmul(input, other)


def mm(input: Tensor, mat2: Tensor) -> Tensor:  # noqa: A002
    return input.mm(mat2)


def mv(input: Tensor, vec: Tensor) -> Tensor:  # noqa: A002
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
    return input.bmm(mat2)


def t(input: Tensor) -> Tensor:  # noqa: A002
    return input.t()


def transpose(input: Tensor, dim0: int, dim1: int) -> Tensor:  # noqa: A002
    return input.transpose(dim0, dim1)


def permute(input: Tensor, dims: Sequence[int]) -> Tensor:  # noqa: A002
    return input.permute(*dims)


def reshape(input: Tensor, shape: Sequence[int]) -> Tensor:  # noqa: A002
    return input.reshape(*shape)


def flatten(input: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:  # noqa: A002
    return input.flatten(start_dim, end_dim)


def squeeze(input: Tensor, dim: Any = None) -> Tensor:  # noqa: A002
    return input.squeeze(dim)


def unsqueeze(input: Tensor, dim: int) -> Tensor:  # noqa: A002
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
                f"stack expects each tensor to be equal size, but got {_size(first)} at entry 0 "
                f"and {_size(t._data.shape)} at entry {i}"
            )
    return _shape.Stack.apply(normalize_dim(dim, len(first) + 1), *tensors)


def _size(shape: tuple[int, ...]) -> str:
    return "[" + ", ".join(str(n) for n in shape) + "]"


def where(condition: Tensor, input: Any, other: Any) -> Tensor:  # noqa: A002
    """Elements of ``input`` where ``condition`` holds, else of ``other``.

    >>> import minigrad
    >>> x = minigrad.tensor([-1.0, 2.0])
    >>> minigrad.where(x > 0, x, 0.0)
    tensor([0., 2.])
    """
    return _unary.where(condition, input, other)


def maximum(input: Tensor, other: Tensor) -> Tensor:  # noqa: A002
    return input.maximum(other)


def minimum(input: Tensor, other: Tensor) -> Tensor:  # noqa: A002
    return input.minimum(other)


def clamp(input: Tensor, min: Any = None, max: Any = None) -> Tensor:  # noqa: A002
    return input.clamp(min, max)


clip = clamp


def allclose(
    input: Tensor, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False
) -> bool:  # noqa: A002
    return input.allclose(other, rtol, atol, equal_nan)


def equal(input: Tensor, other: Tensor) -> bool:  # noqa: A002
    """True when both tensors have the same shape and values."""
    return input.equal(other)


def numel(input: Tensor) -> int:  # noqa: A002
    return input.numel()


def is_tensor(obj: Any) -> bool:
    return isinstance(obj, Tensor)


def exp(input: Tensor) -> Tensor:  # noqa: A002
    return input.exp()


def log(input: Tensor) -> Tensor:  # noqa: A002
    return input.log()


def sqrt(input: Tensor) -> Tensor:  # noqa: A002
    return input.sqrt()


def abs(input: Tensor) -> Tensor:  # noqa: A001, A002
    return input.abs()


def sign(input: Tensor) -> Tensor:  # noqa: A002
    return input.sign()


def sin(input: Tensor) -> Tensor:  # noqa: A002
    return input.sin()


def cos(input: Tensor) -> Tensor:  # noqa: A002
    return input.cos()


def tanh(input: Tensor) -> Tensor:  # noqa: A002
    return input.tanh()


def sigmoid(input: Tensor) -> Tensor:  # noqa: A002
    return input.sigmoid()


def relu(input: Tensor) -> Tensor:  # noqa: A002
    return input.relu()


def reciprocal(input: Tensor) -> Tensor:  # noqa: A002
    return input.reciprocal()


def softmax(input: Tensor, dim: int) -> Tensor:  # noqa: A002
    return input.softmax(dim)


def log_softmax(input: Tensor, dim: int) -> Tensor:  # noqa: A002
    return input.log_softmax(dim)


def sum(input: Tensor, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:  # noqa: A001, A002
    return input.sum(dim, keepdim, dtype=dtype)


def mean(input: Tensor, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:  # noqa: A002
    return input.mean(dim, keepdim, dtype=dtype)


def prod(input: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:  # noqa: A002
    return input.prod(dim, keepdim)


def max(input: Tensor, dim: Any = None, keepdim: bool = False) -> Any:  # noqa: A001, A002
    return input.max(dim, keepdim)


def min(input: Tensor, dim: Any = None, keepdim: bool = False) -> Any:  # noqa: A001, A002
    return input.min(dim, keepdim)


def amax(input: Tensor, dim: Any = (), keepdim: bool = False) -> Tensor:  # noqa: A002
    return input.amax(dim, keepdim)


def amin(input: Tensor, dim: Any = (), keepdim: bool = False) -> Tensor:  # noqa: A002
    return input.amin(dim, keepdim)


def argmax(input: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:  # noqa: A002
    return input.argmax(dim, keepdim)


def argmin(input: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:  # noqa: A002
    return input.argmin(dim, keepdim)


def norm(input: Tensor, p: Any = "fro", dim: Any = None, keepdim: bool = False) -> Tensor:  # noqa: A002
    return input.norm(p, dim, keepdim)


def clone(input: Tensor) -> Tensor:  # noqa: A002
    return input.clone()


def isnan(input: Tensor) -> Tensor:  # noqa: A002
    return input.isnan()


def isinf(input: Tensor) -> Tensor:  # noqa: A002
    return input.isinf()


def isfinite(input: Tensor) -> Tensor:  # noqa: A002
    return input.isfinite()


def logical_not(input: Tensor) -> Tensor:  # noqa: A002
    return input.logical_not()


def masked_fill(input: Tensor, mask: Tensor, value: Any) -> Tensor:  # noqa: A002
    return input.masked_fill(mask, value)


def broadcast_shapes(*shapes: Sequence[int]) -> Any:
    from minigrad.tensor import Size

    return Size(np.broadcast_shapes(*[tuple(s) for s in shapes]))
