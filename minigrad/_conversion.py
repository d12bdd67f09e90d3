"""What ``Tensor.to(...)`` and ``Tensor.type(...)`` are asked for, read as PyTorch reads it.

``to`` takes a dtype, a device, both, or another tensor, plus ``non_blocking`` and ``copy``;
``type`` takes a dtype or a legacy type name such as ``'torch.DoubleTensor'``. Both come down
to a NumPy dtype to convert to (None: keep the dtype) and whether to copy anyway.

>>> import minigrad
>>> to_arguments(("cpu", minigrad.float64), {})
(dtype('float64'), False)
>>> type_argument("torch.LongTensor")
dtype('int64')
"""

from __future__ import annotations

from typing import Any

import numpy as np

from minigrad import _device, _dtype
from minigrad._dtype import dtype as DType
from minigrad.ops.shape import ToCopy
from minigrad.tensor import Tensor

_TO_SIGNATURES = (
    " * (torch.device device = None, torch.dtype dtype = None, bool non_blocking = False, "
    "bool copy = False, *, torch.memory_format memory_format = None)\n"
    " * (torch.dtype dtype, bool non_blocking = False, bool copy = False, *, "
    "torch.memory_format memory_format = None)\n"
    " * (Tensor tensor, bool non_blocking = False, bool copy = False, *, "
    "torch.memory_format memory_format = None)\n"
)
_BY_TYPE_NAME = {d.tensor_type: d for d in _dtype._BY_NUMPY.values()}


def _torch_type_name(value: Any) -> str:
    """How torch's argument parser names a value's type in its messages."""
    if isinstance(value, DType):
        return "torch.dtype"
    if isinstance(value, _device.device):
        return "torch.device"
    if isinstance(value, Tensor):
        return "Tensor"
    return type(value).__name__


def _invalid_to(args: tuple[Any, ...], kwargs: dict[str, Any]) -> TypeError:
    got = ", ".join(_torch_type_name(a) for a in args)
    got += "".join(f"{k}={_torch_type_name(v)}, " for k, v in kwargs.items())
    return TypeError(
        f"to() received an invalid combination of arguments - got ({got}), but expected one "
        f"of:\n{_TO_SIGNATURES}"
    )


def _is_dtype(value: Any) -> bool:
    return isinstance(value, (DType, np.dtype))


def _is_device(value: Any) -> bool:
    return isinstance(value, (str, _device.device, int)) and not isinstance(value, bool)


def to_arguments(args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[np.dtype | None, bool]:
    """The NumPy dtype ``to(*args, **kwargs)`` converts to (None: the same) and ``copy``.

    A device must be the CPU (any other raises PyTorch's error for it).
    """
    known = {"device", "dtype", "non_blocking", "copy", "memory_format"}
    if not known.issuperset(kwargs):
        raise _invalid_to(args, kwargs)
    rest = list(args)
    device, dtype = kwargs.get("device"), kwargs.get("dtype")
    if rest and isinstance(rest[0], Tensor):
        dtype = rest.pop(0).dtype
    elif rest and _is_dtype(rest[0]):
        dtype = rest.pop(0)
    elif rest and (rest[0] is None or _is_device(rest[0])):
        device = rest.pop(0)
        if rest and _is_dtype(rest[0]):
            dtype = rest.pop(0)
    flags = [kwargs.get("non_blocking", False), kwargs.get("copy", False)]
    if len(rest) > 2 or not all(isinstance(f, bool) for f in rest):
        raise _invalid_to(args, kwargs)
    flags[: len(rest)] = rest
    if not (dtype is None or _is_dtype(dtype)) or not (device is None or _is_device(device)):
        raise _invalid_to(args, kwargs)
    if device is not None:
        _device.as_device(device, "to")
    target = None if dtype is None else dtype.numpy if isinstance(dtype, DType) else dtype
    return target, bool(flags[1])


def convert(t: Tensor, target: np.dtype | None, copy: bool) -> Tensor:
    """``t`` converted to the NumPy dtype ``target`` (None: its own): ``t`` itself when it
    has it already, unless ``copy``; a conversion records ``ToCopyBackward0``.

    >>> import minigrad
    >>> t = minigrad.ones(2)
    >>> convert(t, None, False) is t, convert(t, None, True) is t
    (True, False)
    """
    if (target is None or target == t._data.dtype) and not copy:
        return t
    return ToCopy.apply(t, t._data.dtype if target is None else target)


def type_argument(dtype: Any) -> np.dtype:
    """The NumPy dtype ``Tensor.type(dtype)`` converts to: a dtype or a name such as
    ``'torch.FloatTensor'``, with PyTorch's errors for anything else."""
    if isinstance(dtype, DType):
        return dtype.numpy
    if not isinstance(dtype, str):
        raise TypeError("dtype must be a type, str, or dtype object")
    if dtype.startswith("torch.cuda."):
        raise _device.unavailable_error(_device.device("cuda"))
    if dtype not in _BY_TYPE_NAME:
        raise ValueError(f"invalid type: '{dtype}'")
    return _BY_TYPE_NAME[dtype].numpy
