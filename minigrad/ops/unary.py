"""Elementwise functions: exp, log, sqrt, abs, sin, cos, tanh, sigmoid, relu, clamp, ...

Each backward multiplies the incoming gradient by the function's derivative, written with
tensor operations so that it can be differentiated again.
"""

from __future__ import annotations

import numpy as np

from minigrad.autograd.function import Function
from minigrad.ops._util import binary_arrays
from minigrad.tensor import Tensor


def _float(a: Tensor) -> np.ndarray:
    """The array of a, as float32 when it holds integers (torch promotes int to float here)."""
    return a._data if a._data.dtype.kind == "f" else a._data.astype(np.float32)


def _wrap(array: np.ndarray) -> Tensor:
    return Tensor._make(np.asarray(array))


class Exp(Function):
    """exp(a);  d/da = exp(a), the result itself."""

    node_name = "ExpBackward0"
    saved_names = ("result",)

    @staticmethod
    def forward(ctx, a):
        with np.errstate(over="ignore"):
            result = _wrap(np.exp(_float(a)))
        ctx.save_for_backward(result)
        return result

    @staticmethod
    def backward(ctx, grad):
        (result,) = ctx.saved_tensors
        return grad * result


class Log(Function):
    """log(a);  d/da = 1/a."""

    node_name = "LogBackward0"
    saved_names = ("self",)

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.log(_float(a))

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.saved_tensors
        return grad / a


class Sqrt(Function):
    """sqrt(a);  d/da = 1 / (2 sqrt(a))."""

    node_name = "SqrtBackward0"
    saved_names = ("result",)

    @staticmethod
    def forward(ctx, a):
        with np.errstate(invalid="ignore"):
            result = _wrap(np.sqrt(_float(a)))
        ctx.save_for_backward(result)
        return result

    @staticmethod
    def backward(ctx, grad):
        (result,) = ctx.saved_tensors
        return grad / (2 * result)


class Abs(Function):
    """|a|;  d/da = sign(a) (0 at 0)."""

    node_name = "AbsBackward0"
    saved_names = ("self",)

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.abs(a._data)

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.saved_tensors
        return grad * a.sign()


class Sign(Function):
    """sign(a);  d/da = 0."""

    node_name = "SignBackward0"

    @staticmethod
    def forward(ctx, a):
        return np.sign(a._data)

    @staticmethod
    def backward(ctx, grad):
        return grad * 0


class Sin(Function):
    """sin(a);  d/da = cos(a)."""

    node_name = "SinBackward0"
    saved_names = ("self",)

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.sin(_float(a))

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.saved_tensors
        return grad * a.cos()


class Cos(Function):
    """cos(a);  d/da = -sin(a)."""

    node_name = "CosBackward0"
    saved_names = ("self",)

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.cos(_float(a))

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.saved_tensors
        return grad * -a.sin()


class Tanh(Function):
    """tanh(a);  d/da = 1 - tanh(a)²."""

    node_name = "TanhBackward0"
    saved_names = ("result",)

    @staticmethod
    def forward(ctx, a):
        result = _wrap(np.tanh(_float(a)))
        ctx.save_for_backward(result)
        return result

    @staticmethod
    def backward(ctx, grad):
        (result,) = ctx.saved_tensors
        return grad * (1 - result * result)


class Sigmoid(Function):
    """σ(a) = 1 / (1 + exp(-a));  d/da = σ(a) (1 - σ(a))."""

    node_name = "SigmoidBackward0"
    saved_names = ("result",)

    @staticmethod
    def forward(ctx, a):
        result = _wrap(sigmoid_array(_float(a)))
        ctx.save_for_backward(result)
        return result

    @staticmethod
    def backward(ctx, grad):
        (result,) = ctx.saved_tensors
        return grad * (result * (1 - result))


def sigmoid_array(x: np.ndarray) -> np.ndarray:
    """σ(x) without overflow: exp of a non-positive number only."""
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e)).astype(x.dtype, copy=False)


class Relu(Function):
    """max(a, 0);  d/da = 1 where the result is positive, else 0."""

    node_name = "ReluBackward0"
    saved_names = ("result",)

    @staticmethod
    def forward(ctx, a):
        result = _wrap(np.maximum(a._data, 0).astype(a._data.dtype, copy=False))
        ctx.save_for_backward(result)
        return result

    @staticmethod
    def backward(ctx, grad):
        (result,) = ctx.saved_tensors
        return grad * Tensor._make(result._data > 0)


class Clamp(Function):
    """clamp(a, min, max);  d/da = 1 inside [min, max], else 0."""

    node_name = "ClampBackward1"
    saved_names = ("self",)

    @staticmethod
    def forward(ctx, a, low, high):
        if low is None and high is None:
            raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
        ctx.min, ctx.max = low, high
        ctx.save_for_backward(a)
        out = a._data
        if low is not None:
            out = np.maximum(out, np.asarray(low, dtype=_clamp_dtype(a, low)))
        if high is not None:
            out = np.minimum(out, np.asarray(high, dtype=_clamp_dtype(a, high)))
        return out

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.saved_tensors
        inside = np.ones(a._data.shape, dtype=bool)
        if ctx.min is not None:
            inside &= a._data >= ctx.min
        if ctx.max is not None:
            inside &= a._data <= ctx.max
        return grad * Tensor._make(inside)


def _clamp_dtype(a: Tensor, bound: float) -> np.dtype:
    from minigrad._dtype import result_type

    return result_type(a, bound).numpy


class Maximum(Function):
    """max(a, b) elementwise;  the gradient goes to the larger input, half each on ties."""

    node_name = "MaximumBackward0"
    saved_names = ("self", "other")

    @staticmethod
    def forward(ctx, a, b):
        x, y = binary_arrays(a, b)
        ctx.save_for_backward(a, b)
        return np.maximum(x, y)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        return _split(grad, a._data > b._data, a._data == b._data)


class Minimum(Function):
    """min(a, b) elementwise;  the gradient goes to the smaller input, half each on ties."""

    node_name = "MinimumBackward0"
    saved_names = ("self", "other")

    @staticmethod
    def forward(ctx, a, b):
        x, y = binary_arrays(a, b)
        ctx.save_for_backward(a, b)
        return np.minimum(x, y)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        return _split(grad, a._data < b._data, a._data == b._data)


def _split(grad: Tensor, first_wins: np.ndarray, tie: np.ndarray):
    share_a = Tensor._make(np.where(tie, 0.5, first_wins.astype(float)).astype(grad._data.dtype))
    share_b = Tensor._make(np.where(tie, 0.5, (~first_wins & ~tie).astype(float)).astype(grad._data.dtype))
    return grad * share_a, grad * share_b


class Where(Function):
    """where(condition, a, b);  the gradient goes to a where condition holds, else to b."""

    node_name = "WhereBackward0"

    @staticmethod
    def forward(ctx, condition, a, b):
        x, y = binary_arrays(a, b)
        ctx.condition = condition
        return np.where(condition, x, y)

    @staticmethod
    def backward(ctx, grad):
        condition = ctx.condition
        return None, grad.masked_fill(~condition, 0.0), grad.masked_fill(condition, 0.0)


class MaskedFill(Function):
    """a with value where mask holds;  d/da = 1 where the mask does not hold, else 0."""

    node_name = "MaskedFillBackward0"

    @staticmethod
    def forward(ctx, a, mask, value):
        ctx.mask = mask
        out = a._data.copy()
        out[np.broadcast_to(mask, out.shape)] = value
        return out

    @staticmethod
    def backward(ctx, grad):
        keep = Tensor._make(~np.broadcast_to(ctx.mask, grad._data.shape))
        return grad * keep, None, None

