"""Random samples that depend on tensors: ``normal(mean, std)``.

A sample is not a function of its mean and std that one could differentiate pointwise;
PyTorch records the operation (NormalBackward1/2/3) and gives zero gradients to both.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from minigrad import _dtype
from minigrad.autograd.function import Function
from minigrad.ops._util import broadcast_shapes
from minigrad.random import Generator, default_generator
from minigrad.tensor import _SCALAR_NAMES, Tensor

_NORMAL_SIGNATURES = (
    "normal() received an invalid combination of arguments - got ({}), but expected one of:\n"
    " * (Tensor mean, Tensor std, *, torch.Generator generator = None, Tensor out = None)\n"
    " * (Tensor mean, float std = 1, *, torch.Generator generator = None, Tensor out = None)\n"
    " * (float mean, Tensor std, *, torch.Generator generator = None, Tensor out = None)\n"
    " * (float mean, float std, tuple of ints size, *, torch.Generator generator = None, "
    "Tensor out = None, torch.dtype dtype = None, torch.layout layout = None, "
    "torch.device device = None, bool pin_memory = False, bool requires_grad = False)\n"
)


class Normal(Function):
    """mean + std * z with z standard normal;  d/dmean = d/dstd = 0 (as in PyTorch)."""

    node_name = "NormalBackward3"

    @staticmethod
    def forward(ctx, mean, std, generator):
        return _sample(mean, std, generator)

    @staticmethod
    def backward(ctx, grad):
        zeros = Tensor._make(np.zeros_like(grad._data))
        return zeros, zeros


class NormalTensorMean(Normal):
    """normal(mean tensor, std number);  d/dmean = 0."""

    node_name = "NormalBackward1"


class NormalTensorStd(Normal):
    """normal(mean number, std tensor);  d/dstd = 0."""

    node_name = "NormalBackward2"


def _sample(mean: Any, std: Any, generator: Generator | None) -> np.ndarray:
    """mean + std * z, in the first tensor's dtype (mean's, as torch), of the broadcast shape."""
    tensors = [t for t in (mean, std) if isinstance(t, Tensor)]
    dtype = tensors[0]._data.dtype
    shape = tensors[0]._data.shape
    if len(tensors) == 2:
        shape = broadcast_shapes(mean._data.shape, std._data.shape)
    m = mean._data if isinstance(mean, Tensor) else mean
    s = std._data if isinstance(std, Tensor) else std
    z = (generator or default_generator).normal(0.0, 1.0, shape)
    return np.asarray(m + s * z).astype(dtype)


def _check_std(std: Any) -> None:
    if isinstance(std, Tensor):
        if np.any(std._data < 0):
            raise RuntimeError("normal expects all elements of std >= 0.0")
    elif std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std:g}")


def normal(
    mean: Any,
    std: Any = 1.0,
    size: Any = None,
    *,
    generator: Generator | None = None,
    dtype: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """Samples of a normal distribution, in torch's four forms.

    ``normal(mean_tensor, std_tensor)``, ``normal(mean_tensor, std=1.0)``,
    ``normal(mean, std_tensor)`` (one sample per element, broadcast), and
    ``normal(mean, std, size)`` (numbers, float32 unless ``dtype`` says otherwise).

    >>> import minigrad
    >>> _ = minigrad.manual_seed(0)
    >>> minigrad.normal(2.0, 3.0, (2, 3)).shape
    torch.Size([2, 3])
    >>> minigrad.normal(minigrad.zeros(4), 1.0).dtype
    torch.float32
    """
    tensors = [t for t in (mean, std) if isinstance(t, Tensor)]
    if not tensors:
        if size is None:
            got = f"{type(mean).__name__}, {type(std).__name__}"
            raise TypeError(_NORMAL_SIGNATURES.format(got))
        _check_std(std)
        shape = (size,) if isinstance(size, int) else tuple(size)
        target = dtype or _dtype.float32
        if not target.is_floating_point:
            raise NotImplementedError(
                f"\"normal_kernel_cpu\" not implemented for '{_SCALAR_NAMES[target]}'"
            )
        values = (generator or default_generator).normal(mean, std, shape)
        return Tensor._make(values.astype(target.numpy), requires_grad)
    for t in tensors:
        if t._data.dtype.kind != "f":
            raise NotImplementedError(
                f"\"normal_kernel_cpu\" not implemented for '{_SCALAR_NAMES[t.dtype]}'"
            )
    _check_std(std)
    if len(tensors) == 2:
        return Normal.apply(mean, std, generator)
    if isinstance(mean, Tensor):
        return NormalTensorMean.apply(mean, std, generator)
    return NormalTensorStd.apply(mean, std, generator)
