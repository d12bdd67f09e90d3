"""Rounding: round (to even, or to some decimals), remainder (``%``) and floor division (``//``).

``round`` is flat almost everywhere: its gradient is zero. ``a % b`` is ``a - b * floor(a / b)``,
so its gradient is 1 for a and ``-floor(a / b)`` for b. PyTorch has no derivative for floor
division: its result records a ``NotImplemented`` node, and backward through it raises.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from minigrad.autograd.function import Function
from minigrad.ops._util import wrap
from minigrad.ops.arithmetic import binary_arrays, operand
from minigrad.tensor import _SCALAR_NAMES, Tensor


def _check_floating(a: Tensor, kernel: str) -> None:
    if a._data.dtype.kind != "f":
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{_SCALAR_NAMES[a.dtype]}'")


class Round(Function):
    """round(a), halves to even (round(2.5) = 2);  d/da = 0."""

    node_name = "RoundBackward0"

    @staticmethod
    def forward(ctx, a):
        if a._data.dtype.kind in "iu":
            return a._data.copy()  # integers are already round
        _check_floating(a, "round_vml_cpu")
        return np.rint(a._data)

    @staticmethod
    def backward(ctx, grad):
        return zeros_like_grad(grad)


class RoundDecimals(Function):
    """round(a, decimals): round(a * 10^d) / 10^d, as torch computes it;  d/da = 0."""

    node_name = "RoundBackward1"

    @staticmethod
    def forward(ctx, a, decimals):
        _check_floating(a, "round_vml_cpu" if decimals == 0 else "round_cpu")
        x = a._data
        # torch computes 10^|d| in the tensor's dtype, then one multiply (or divide) each way.
        ten_pow = x.dtype.type(10.0 ** abs(decimals))
        if decimals < 0:
            return np.rint(x / ten_pow) * ten_pow
        return np.rint(x * ten_pow) / ten_pow

    @staticmethod
    def backward(ctx, grad):
        return zeros_like_grad(grad), None


def zeros_like_grad(grad: Tensor) -> Tensor:
    """Zeros of grad's shape and dtype (an infinite gradient times 0 would be NaN)."""
    return Tensor._make(np.zeros_like(grad._data))


def round(a: Tensor, decimals: int | None = None) -> Tensor:  # noqa: A001 - torch's name
    """``a.round()`` (RoundBackward0), or ``a.round(decimals=d)`` (RoundBackward1, even for 0).

    >>> import minigrad
    >>> minigrad.tensor([0.5, 1.5, 2.5, 1.35]).round()
    tensor([0., 2., 2., 1.])
    >>> minigrad.tensor([1.25, 1.35, 15.0]).round(decimals=1)
    tensor([ 1.2000,  1.4000, 15.0000])
    """
    if decimals is None:
        return Round.apply(a)
    return RoundDecimals.apply(a, decimals)


def remainder_arrays(x: np.ndarray, y: Any) -> np.ndarray:
    """x mod y with the sign of y, as torch computes it.

    Floats: fmod(x, y), plus y when the signs differ (-2.0 % 1.0 is -0.0, and x % 0 is nan).
    Integers: Python's ``%``; a zero divisor is torch's error.

    >>> remainder_arrays(np.array([5.0, -7.0, -2.0]), np.array([2.0, 3.0, 1.0]))
    array([ 1.,  2., -0.])
    """
    if x.dtype.kind in "iub":
        if np.any(np.asarray(y) == 0):
            raise RuntimeError("ZeroDivisionError")
        return np.mod(x, y)
    mod = np.fmod(x, y)
    fix = (mod != 0) & ((y < 0) != (mod < 0))
    return np.where(fix, mod + y, mod)


def floor_divide_arrays(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """floor(x / y), as torch computes it (integer division by zero is torch's error).

    >>> floor_divide_arrays(np.array([7.5, -7.5]), np.array([2.0, 2.0]))
    array([ 3., -4.])
    """
    if x.dtype.kind in "iu" and np.any(y == 0):
        raise RuntimeError("ZeroDivisionError")
    return np.floor_divide(x, y)


class Remainder(Function):
    """a % b for two tensors;  d/da = 1,  d/db = -floor(a / b)."""

    node_name = "RemainderBackward1"
    saved_names = ("self", "other")
    quiet = True

    @staticmethod
    def forward(ctx, a, b):
        x, y = binary_arrays(a, b)
        ctx.save_for_backward(a, b)
        return remainder_arrays(x, y)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        grad_b = None
        if ctx.needs_input_grad[1]:
            grad_b = -grad * wrap(floor_divide_arrays(*binary_arrays(a, b)))
        return grad, grad_b


class RemainderScalar(Function):
    """a % number;  d/da = 1."""

    node_name = "RemainderBackward0"
    quiet = True

    @staticmethod
    def forward(ctx, a, number):
        x, y = binary_arrays(a, operand(number, a))
        return remainder_arrays(x, y)

    @staticmethod
    def backward(ctx, grad):
        return grad, None


class NotDifferentiable(Function):
    """An operation PyTorch has no derivative for (``//``, ``number % x``): its node is named
    ``NotImplemented``, and backward through it is torch's error.

    ``compute()`` gives the result; the inputs that require grad are passed too, only for
    their edges (torch's node has an edge for each of them, and none for the others).
    """

    node_name = "NotImplemented"
    node_qualified_name = "torch::autograd::NotImplemented"
    quiet = True

    @staticmethod
    def forward(ctx, compute, aten_name, *tracked_inputs):
        ctx.aten_name = aten_name
        return compute()

    @staticmethod
    def backward(ctx, *grads):
        raise RuntimeError(f"derivative for aten::{ctx.aten_name} is not implemented")


def _without_derivative(compute: Any, aten_name: str, a: Any, b: Any) -> Tensor:
    """compute(a, b), recorded as a NotImplemented node when an input requires grad."""
    tracked = [x for x in (a, b) if isinstance(x, Tensor) and x._requires_grad]
    return NotDifferentiable.apply(functools.partial(compute, a, b), aten_name, *tracked)


def _arrays(a: Any, b: Any) -> tuple[np.ndarray, np.ndarray]:
    """The arrays of two operands, one of which may be a Python number."""
    if not isinstance(a, Tensor):
        a = operand(a, b)
    return binary_arrays(a, operand(b, a))


def _floor_divide(a: Any, b: Any) -> np.ndarray:
    return floor_divide_arrays(*_arrays(a, b))


def _remainder(a: Any, b: Any) -> np.ndarray:
    return remainder_arrays(*_arrays(a, b))


def remainder(a: Any, b: Any) -> Tensor:
    """``a % b``: RemainderBackward0 for a number b, RemainderBackward1 for a tensor.

    A number on the left (``2.0 % x``) has no derivative in PyTorch (``NotImplemented``).

    >>> import minigrad
    >>> minigrad.tensor([5.0, -7.0]) % 3
    tensor([2., 2.])
    """
    if not isinstance(a, Tensor):
        return _without_derivative(_remainder, "remainder", a, b)
    if isinstance(b, Tensor):
        return Remainder.apply(a, b)
    return RemainderScalar.apply(a, b)


def floor_divide(a: Any, b: Any) -> Tensor:
    """``a // b``: floor(a / b); not differentiable (its node is ``NotImplemented``, as in torch).

    >>> import minigrad
    >>> minigrad.tensor([7.5, -7.5]) // 2
    tensor([ 3., -4.])
    """
    return _without_derivative(_floor_divide, "floor_divide", a, b)
