"""Making tensors: from data (``tensor``), filled (``ones``, ``zeros``, ...), ranges, random."""

from __future__ import annotations

import builtins
import warnings
from typing import Any

import numpy as np

from minigrad import _dtype
from minigrad._dtype import dtype as DType
from minigrad.random import Generator, default_generator
from minigrad.tensor import Tensor, _shape_args


def _finish(array: np.ndarray, requires_grad: bool) -> Tensor:
    if requires_grad and array.dtype.kind != "f":
        raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
    return Tensor._make(array, requires_grad=bool(requires_grad))


def _infer_dtype(data: Any) -> DType:
    """torch's inference: Python floats -> float32, ints -> int64, bools -> bool."""
    array = np.asarray(data)
    if array.dtype.kind == "f":
        return _dtype.float32
    if array.dtype.kind in "iu":
        return _dtype.int64
    if array.dtype.kind == "b":
        return _dtype.bool
    raise TypeError(f"Could not infer dtype of {type(data).__name__}")


def tensor(data: Any, *, dtype: DType | None = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """A new tensor holding a copy of ``data`` (numbers, nested lists, arrays, tensors).

    >>> import minigrad
    >>> minigrad.tensor([[1, 2], [3, 4]])
    tensor([[1, 2],
            [3, 4]])
    >>> minigrad.tensor(2.0, requires_grad=True)
    tensor(2., requires_grad=True)
    """
    if isinstance(data, Tensor):
        warnings.warn(
            "To copy construct from a tensor, it is recommended to use sourceTensor.detach().clone() "
            "or sourceTensor.detach().clone().requires_grad_(True), rather than "
            "torch.tensor(sourceTensor).",
            UserWarning,
            stacklevel=2,
        )
        source = data._data
        inferred = data.dtype
    elif isinstance(data, np.ndarray):
        source = data
        inferred = _dtype.from_numpy_dtype(data.dtype)
    else:
        source = _to_nested(data)
        inferred = _infer_dtype(source)
    target = dtype or inferred
    array = np.array(source, dtype=target.numpy, copy=True)
    if requires_grad and not target.is_floating_point:
        raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
    return _finish(array, requires_grad)


def _to_nested(data: Any) -> Any:
    # Lists of one-element tensors (as torch accepts) become numbers.
    if isinstance(data, (list, tuple)):
        return [_to_nested(d) for d in data]
    if isinstance(data, Tensor):
        return data._data
    return data


def as_tensor(data: Any, dtype: DType | None = None, device: Any = None) -> Tensor:
    """A tensor sharing memory with ``data`` when it already is an array of the right dtype."""
    if isinstance(data, Tensor):
        return data if dtype is None else data.to(dtype)
    if isinstance(data, np.ndarray) and (dtype is None or data.dtype == dtype.numpy):
        return from_numpy(data)
    return tensor(data, dtype=dtype)


def from_numpy(array: np.ndarray) -> Tensor:
    """A tensor on the same memory as a NumPy array.

    >>> import numpy as np, minigrad
    >>> minigrad.from_numpy(np.array([1.0, 2.0]))
    tensor([1., 2.], dtype=torch.float64)
    """
    _dtype.from_numpy_dtype(array.dtype)
    return Tensor._make(array)


def _filled(size: tuple[Any, ...], value: Any, dtype: DType | None, requires_grad: bool) -> Tensor:
    shape = _shape_args(size)
    for n in shape:
        if n < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {n}: {list(shape)}")
    target = dtype or (_dtype.float32 if dtype is None else dtype)
    return _finish(np.full(shape, value, dtype=target.numpy), requires_grad)


def ones(*size: Any, dtype: DType | None = None, requires_grad: bool = False, device: Any = None) -> Tensor:
    """A tensor of ones.

    >>> import minigrad
    >>> minigrad.ones(2, 3)
    tensor([[1., 1., 1.],
            [1., 1., 1.]])
    """
    return _filled(size, 1, dtype, requires_grad)


def zeros(*size: Any, dtype: DType | None = None, requires_grad: bool = False, device: Any = None) -> Tensor:
    """A tensor of zeros.

    >>> import minigrad
    >>> minigrad.zeros(3)
    tensor([0., 0., 0.])
    """
    return _filled(size, 0, dtype, requires_grad)


def empty(*size: Any, dtype: DType | None = None, requires_grad: bool = False, device: Any = None) -> Tensor:
    """A tensor whose values are not set (minigrad fills it with zeros)."""
    return _filled(size, 0, dtype, requires_grad)


def full(size: Any, fill_value: Any, *, dtype: DType | None = None, requires_grad: bool = False, device: Any = None) -> Tensor:
    """A tensor filled with one value; its dtype follows the value, as in PyTorch.

    >>> import minigrad
    >>> minigrad.full((2,), 7)
    tensor([7, 7])
    """
    if dtype is None:
        dtype = _infer_dtype(fill_value)
    return _filled((size,) if isinstance(size, int) else tuple(size), fill_value, dtype, requires_grad)


def eye(n: int, m: int | None = None, *, dtype: DType | None = None, requires_grad: bool = False, device: Any = None) -> Tensor:
    """An n × m matrix with ones on the diagonal.

    >>> import minigrad
    >>> minigrad.eye(2, 3)
    tensor([[1., 0., 0.],
            [0., 1., 0.]])
    """
    target = dtype or _dtype.float32
    return _finish(np.eye(n, n if m is None else m, dtype=target.numpy), requires_grad)


def arange(start: Any, end: Any = None, step: Any = 1, *, dtype: DType | None = None, requires_grad: bool = False, device: Any = None) -> Tensor:
    """Evenly spaced values in [start, end); integers give int64, floats float32.

    >>> import minigrad
    >>> minigrad.arange(4.0)
    tensor([0., 1., 2., 3.])
    >>> minigrad.arange(1, 7, 2)
    tensor([1, 3, 5])
    """
    if end is None:
        start, end = 0, start
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (end - start) * step < 0:
        raise RuntimeError("upper bound and larger bound inconsistent with step sign")
    if dtype is None:
        is_int = all(isinstance(v, (int, np.integer)) and not isinstance(v, builtins.bool) for v in (start, end, step))
        dtype = _dtype.int64 if is_int else _dtype.float32
    count = int(np.ceil((end - start) / step))
    values = start + step * np.arange(count, dtype=np.float64)
    return _finish(values.astype(dtype.numpy), requires_grad)


def linspace(start: float, end: float, steps: int, *, dtype: DType | None = None, requires_grad: bool = False, device: Any = None) -> Tensor:
    """``steps`` evenly spaced values from start to end, both included.

    >>> import minigrad
    >>> minigrad.linspace(0, 1, 5)
    tensor([0.0000, 0.2500, 0.5000, 0.7500, 1.0000])
    """
    if steps < 0:
        raise RuntimeError("linspace(): number of steps must be non-negative")
    target = dtype or _dtype.float32
    return _finish(np.linspace(start, end, steps).astype(target.numpy), requires_grad)


def _random_shape(size: tuple[Any, ...], keyword: Any) -> tuple[int, ...]:
    if keyword is not None:
        return _shape_args((keyword,))
    return _shape_args(size)


def rand(*size: Any, generator: Generator | None = None, dtype: DType | None = None, requires_grad: bool = False, **kwargs: Any) -> Tensor:
    """Uniform random numbers in [0, 1).

    >>> import minigrad
    >>> _ = minigrad.manual_seed(0)
    >>> minigrad.rand(2).shape
    torch.Size([2])
    """
    shape = _random_shape(size, kwargs.get("size"))
    target = dtype or _dtype.float32
    values = (generator or default_generator).uniform(0.0, 1.0, shape)
    return _finish(values.astype(target.numpy), requires_grad)


def randn(*size: Any, generator: Generator | None = None, dtype: DType | None = None, requires_grad: bool = False, **kwargs: Any) -> Tensor:
    """Standard normal random numbers; ``randn(size=())`` gives a 0-d tensor.

    >>> import minigrad
    >>> _ = minigrad.manual_seed(0)
    >>> minigrad.randn(size=()).shape
    torch.Size([])
    """
    shape = _random_shape(size, kwargs.get("size"))
    target = dtype or _dtype.float32
    values = (generator or default_generator).normal(0.0, 1.0, shape)
    return _finish(values.astype(target.numpy), requires_grad)


def randint(low: int, high: Any = None, size: Any = None, *, generator: Generator | None = None, dtype: DType | None = None, requires_grad: bool = False, device: Any = None) -> Tensor:
    """Random integers in [low, high), int64 by default.

    >>> import minigrad
    >>> _ = minigrad.manual_seed(0)
    >>> minigrad.randint(0, 10, (3,)).dtype
    torch.int64
    """
    if size is None:
        low, high, size = 0, low, high
    target = dtype or _dtype.int64
    values = (generator or default_generator).integers(low, high, _shape_args((size,)))
    return _finish(values.astype(target.numpy), requires_grad)


def randperm(n: int, *, generator: Generator | None = None, dtype: DType | None = None) -> Tensor:
    """A random permutation of 0 .. n-1."""
    return Tensor._make((generator or default_generator).permutation(n).astype((dtype or _dtype.int64).numpy))


def _like(t: Tensor, dtype: DType | None) -> tuple[tuple[int, ...], DType]:
    return t._data.shape, dtype or t.dtype


def ones_like(input: Tensor, *, dtype: DType | None = None, requires_grad: bool = False, **kwargs: Any) -> Tensor:  # noqa: A002
    shape, target = _like(input, dtype)
    return _filled(shape, 1, target, requires_grad)


def zeros_like(input: Tensor, *, dtype: DType | None = None, requires_grad: bool = False, **kwargs: Any) -> Tensor:  # noqa: A002
    shape, target = _like(input, dtype)
    return _filled(shape, 0, target, requires_grad)


def empty_like(input: Tensor, *, dtype: DType | None = None, requires_grad: bool = False, **kwargs: Any) -> Tensor:  # noqa: A002
    return zeros_like(input, dtype=dtype, requires_grad=requires_grad)


def full_like(input: Tensor, fill_value: Any, *, dtype: DType | None = None, requires_grad: bool = False, **kwargs: Any) -> Tensor:  # noqa: A002
    shape, target = _like(input, dtype)
    return _filled(shape, fill_value, target, requires_grad)


def rand_like(input: Tensor, *, dtype: DType | None = None, requires_grad: bool = False, **kwargs: Any) -> Tensor:  # noqa: A002
    shape, target = _like(input, dtype)
    return rand(shape, dtype=target, requires_grad=requires_grad)


def randn_like(input: Tensor, *, dtype: DType | None = None, requires_grad: bool = False, **kwargs: Any) -> Tensor:  # noqa: A002
    shape, target = _like(input, dtype)
    return randn(shape, dtype=target, requires_grad=requires_grad)


def randint_like(input: Tensor, low: int, high: Any = None, *, dtype: DType | None = None, **kwargs: Any) -> Tensor:  # noqa: A002
    shape, target = _like(input, dtype)
    return randint(low, high, shape, dtype=target)
