"""Data types and PyTorch's type-promotion rules.

minigrad has four dtypes, each backed by a NumPy dtype. They print as PyTorch prints
its own (``torch.float32``) so that a lesson's output reads the same with either library.
"""

from __future__ import annotations

import builtins

import numpy as np


class dtype:  # noqa: N801 - named as torch.dtype
    """A tensor's element type, e.g. ``minigrad.float32``.

    >>> import minigrad
    >>> minigrad.tensor([1.0, 2.0]).dtype
    torch.float32
    """

    __slots__ = ("name", "numpy", "rank", "is_floating_point", "tensor_type")

    def __init__(self, name: str, numpy_dtype: type, rank: int, tensor_type: str) -> None:
        self.name = name
        self.numpy = np.dtype(numpy_dtype)
        # Promotion order: bool < int64 < float32 < float64 (torch's order for these four).
        self.rank = rank
        self.is_floating_point = self.numpy.kind == "f"
        # Name used in torch's error messages, e.g. "torch.FloatTensor".
        self.tensor_type = tensor_type

    def __repr__(self) -> str:
        return f"torch.{self.name}"

    def __reduce__(self) -> str:
        return self.name


bool = dtype("bool", np.bool_, 0, "torch.BoolTensor")  # noqa: A001 - torch's name
int64 = dtype("int64", np.int64, 1, "torch.LongTensor")
float32 = dtype("float32", np.float32, 2, "torch.FloatTensor")
float64 = dtype("float64", np.float64, 3, "torch.DoubleTensor")
long = int64
float = float32  # noqa: A001 - torch's name
double = float64

_BY_NUMPY = {d.numpy: d for d in (bool, int64, float32, float64)}


_default = float32


def get_default_dtype() -> dtype:
    """The dtype of tensors made from Python floats: ``minigrad.float32`` unless changed.

    >>> import minigrad
    >>> minigrad.get_default_dtype()
    torch.float32
    """
    return _default


def set_default_dtype(d: dtype) -> None:
    """Make ``d`` (float32 or float64) the dtype of new floating point tensors: those made from
    Python floats, by ``zeros``, ``randn``, ... without ``dtype=``, and integers turned into
    floats (``/``, ``sqrt``); a tensor of the default dtype prints without ``dtype=``.

    >>> import minigrad
    >>> minigrad.set_default_dtype(minigrad.float64)
    >>> minigrad.tensor([1.5])
    tensor([1.5000])
    >>> minigrad.tensor([1.5]).dtype
    torch.float64
    >>> minigrad.set_default_dtype(minigrad.float32)
    """
    global _default
    if not isinstance(d, dtype):
        raise TypeError(
            "invalid dtype object: only floating-point types are supported as the default type"
        )
    if not d.is_floating_point:
        raise TypeError("only floating-point types are supported as the default type")
    _default = d


def from_numpy_dtype(np_dtype: np.dtype) -> dtype:
    """The minigrad dtype for a NumPy dtype; other integer and float widths are refused."""
    found = _BY_NUMPY.get(np.dtype(np_dtype))
    if found is None:
        raise TypeError(
            f"can't convert np.ndarray of type numpy.{np.dtype(np_dtype).name}. "
            "The only supported types are: float64, float32, int64, and bool."
        )
    return found


def promote_types(a: dtype, b: dtype) -> dtype:
    """The smallest dtype both ``a`` and ``b`` convert to (``torch.promote_types``).

    >>> import minigrad
    >>> minigrad.promote_types(minigrad.int64, minigrad.float32)
    torch.float32
    """
    return a if a.rank >= b.rank else b


def _scalar_dtype(value: object) -> dtype:
    # Python numbers take the default dtype of their kind: float -> float32, int -> int64.
    if isinstance(value, (builtins.bool, np.bool_)):  # (this module's `bool` is a dtype)
        return bool
    if isinstance(value, (int, np.integer)):
        return int64
    return _default


def _combine_categories(higher: dtype | None, lower: dtype | None) -> dtype | None:
    # torch's rule: a higher-priority operand keeps its dtype unless a lower-priority
    # operand is of a higher category (bool < integer < floating point).
    if higher is None:
        return lower
    if lower is None or higher.is_floating_point:
        return higher
    if higher is bool or lower.is_floating_point:
        return promote_types(higher, lower)
    return higher


def result_type(*operands: object) -> dtype:
    """The dtype of an operation's result, by torch's three tiers of priority.

    Tensors with dimensions outrank zero-dimensional tensors, which outrank Python
    numbers; a lower tier changes the result only when it is of a higher category.

    >>> import minigrad
    >>> (minigrad.ones(3) * 2.5).dtype, (minigrad.arange(3) * 2.5).dtype
    (torch.float32, torch.float32)
    """
    dim_result = zero_result = scalar_result = None
    for op in operands:
        op_dtype = getattr(op, "dtype", None)
        if isinstance(op_dtype, dtype):
            if op.ndim > 0:
                dim_result = op_dtype if dim_result is None else promote_types(dim_result, op_dtype)
            else:
                zero_result = (
                    op_dtype if zero_result is None else promote_types(zero_result, op_dtype)
                )
        else:
            s = _scalar_dtype(op)
            scalar_result = s if scalar_result is None else promote_types(scalar_result, s)
    result = _combine_categories(dim_result, _combine_categories(zero_result, scalar_result))
    return result


_FLOAT32_MAX = builtins.float(np.finfo(np.float32).max)


def check_number_fits(value: object, np_dtype: np.dtype) -> None:
    """PyTorch's error for a Python number written into a float32 tensor out of its range.

    (An infinite or NaN number fits: it is written as it is.)

    >>> check_number_fits(1e40, np.dtype(np.float32))
    Traceback (most recent call last):
    ...
    RuntimeError: value cannot be converted to type float without overflow
    """
    if (
        np_dtype == np.float32
        and isinstance(value, (builtins.float, builtins.int))
        and abs(value) > _FLOAT32_MAX
        and abs(value) != builtins.float("inf")
    ):
        raise RuntimeError("value cannot be converted to type float without overflow")
