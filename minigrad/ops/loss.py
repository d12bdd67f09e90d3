"""Loss functions with their own backward nodes, as PyTorch records them.

``binary_cross_entropy_with_logits`` is written in the stable form
max(x, 0) - x t + log(1 + exp(-|x|)), so that logits of ±1000 give finite losses and
gradients; its gradient with respect to the logits is simply σ(x) - t.
"""

from __future__ import annotations

import numpy as np

from minigrad.autograd.function import Function
from minigrad.ops.unary import sigmoid_array
from minigrad.tensor import Tensor

_REDUCTIONS = ("none", "mean", "sum")


def check_reduction(reduction: str) -> None:
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")


def _reduce(loss: np.ndarray, reduction: str) -> np.ndarray:
    if reduction == "mean":
        return np.mean(loss, dtype=loss.dtype)
    if reduction == "sum":
        return np.sum(loss, dtype=loss.dtype)
    return loss


def _unreduce(grad: Tensor, shape: tuple[int, ...], reduction: str) -> Tensor:
    """The gradient of each element's loss, from the gradient of the reduced loss."""
    if reduction == "mean":
        return grad.expand(shape) / max(1, int(np.prod(shape)))
    if reduction == "sum":
        return grad.expand(shape)
    return grad


def _check_same_size(x: Tensor, t: Tensor) -> None:
    if x._data.shape != t._data.shape:
        raise ValueError(
            f"Target size ({t.shape}) must be the same as input size ({x.shape})"
        )


class BinaryCrossEntropyWithLogits(Function):
    """-w [p t log σ(x) + (1 - t) log(1 - σ(x))];  d/dx = w [(p t + 1 - t) σ(x) - p t]."""

    node_name = "BinaryCrossEntropyWithLogitsBackward0"
    saved_names = ("self", "target", "weight", "pos_weight")

    @staticmethod
    def forward(ctx, x, t, weight, pos_weight, reduction):
        _check_same_size(x, t)
        ctx.reduction = reduction
        ctx.save_for_backward(x, t, weight, pos_weight)
        xd, td = x._data, t._data.astype(x._data.dtype, copy=False)
        softplus_neg = np.logaddexp(0, -xd)  # log(1 + exp(-x)), stable for large |x|
        if pos_weight is None:
            loss = (1 - td) * xd + softplus_neg
        else:
            log_weight = 1 + (pos_weight._data - 1) * td
            loss = (1 - td) * xd + log_weight * softplus_neg
        if weight is not None:
            loss = loss * weight._data
        return _reduce(loss.astype(xd.dtype, copy=False), reduction)

    @staticmethod
    def backward(ctx, grad):
        x, t, weight, pos_weight = ctx.saved_tensors
        grad = _unreduce(grad, x._data.shape, ctx.reduction)
        if pos_weight is None:
            grad_x = x.sigmoid() - t
            grad_t = -x
        else:
            pt = pos_weight * t
            grad_x = (pt + 1 - t) * x.sigmoid() - pt
            # softplus(-x) = relu(-x) + log(1 + exp(-|x|)), written to stay finite.
            softplus_neg = (-x).relu() + ((-x.abs()).exp() + 1).log()
            grad_t = (pos_weight - 1) * softplus_neg - x
        if weight is not None:
            grad_x = grad_x * weight
            grad_t = grad_t * weight
        return (
            grad * grad_x if ctx.needs_input_grad[0] else None,
            grad * grad_t if ctx.needs_input_grad[1] else None,
        )


class BinaryCrossEntropy(Function):
    """-w [t log p + (1 - t) log(1 - p)], logs clamped at -100;  d/dp = w (p - t) / (p (1 - p))."""

    node_name = "BinaryCrossEntropyBackward0"
    saved_names = ("self", "target", "weight")

    @staticmethod
    def forward(ctx, p, t, weight, reduction):
        if p._data.shape != t._data.shape:
            raise ValueError(
                f"Using a target size ({t.shape}) that is different to the input size "
                f"({p.shape}) is deprecated. Please ensure they have the same size."
            )
        if np.any((p._data < 0) | (p._data > 1)):
            raise RuntimeError("all elements of input should be between 0 and 1")
        ctx.reduction = reduction
        ctx.save_for_backward(p, t, weight)
        pd, td = p._data, t._data
        with np.errstate(divide="ignore"):
            log_p = np.maximum(np.log(pd), -100)
            log_1p = np.maximum(np.log(1 - pd), -100)
        loss = -(td * log_p + (1 - td) * log_1p)
        if weight is not None:
            loss = loss * weight._data
        return _reduce(loss.astype(pd.dtype, copy=False), reduction)

    @staticmethod
    def backward(ctx, grad):
        p, t, weight = ctx.saved_tensors
        grad = _unreduce(grad, p._data.shape, ctx.reduction)
        eps = 1e-12
        grad_p = grad * (p - t) / ((1 - p) * p).clamp(min=eps)
        if weight is not None:
            grad_p = grad_p * weight
        grad_t = None
        if ctx.needs_input_grad[1]:
            grad_t = grad * ((1 - p).clamp(min=eps).log() - p.clamp(min=eps).log())
            if weight is not None:
                grad_t = grad_t * weight
        return grad_p if ctx.needs_input_grad[0] else None, grad_t


class MseLoss(Function):
    """(x - t)²;  d/dx = 2 (x - t),  d/dt = -2 (x - t)."""

    node_name = "MseLossBackward0"
    saved_names = ("self", "target")

    @staticmethod
    def forward(ctx, x, t, reduction):
        ctx.reduction = reduction
        ctx.save_for_backward(x, t)
        xd, td = np.broadcast_arrays(x._data, t._data)
        diff = xd - td
        return _reduce(diff * diff, reduction)

    @staticmethod
    def backward(ctx, grad):
        x, t = ctx.saved_tensors
        shape = np.broadcast_shapes(x._data.shape, t._data.shape)
        grad = _unreduce(grad, shape, ctx.reduction)
        diff = 2 * (x - t) * grad
        return (
            diff if ctx.needs_input_grad[0] else None,
            -diff if ctx.needs_input_grad[1] else None,
        )


class NllLoss(Function):
    """-w[c] x[n, c] for each sample's class c;  d/dx = -w[c] at the class, 0 elsewhere."""

    node_name = "NllLossBackward0"
    saved_names = ("self", "target", "weight")

    @staticmethod
    def forward(ctx, x, target, weight, reduction, ignore_index):
        xd = x._data
        batched = xd.ndim >= 2
        classes = xd.shape[1] if batched else xd.shape[0]
        t = target if batched else target.reshape(1)
        x2 = xd if batched else xd[None]
        valid = t != ignore_index
        if np.any((t[valid] < 0) | (t[valid] >= classes)):
            bad = int(t[valid][(t[valid] < 0) | (t[valid] >= classes)][0])
            raise IndexError(f"Target {bad} is out of bounds.")
        safe_t = np.where(valid, t, 0)
        w = np.ones(classes, dtype=xd.dtype) if weight is None else weight._data
        sample_w = np.where(valid, w[safe_t], 0).astype(xd.dtype)
        picked = np.take_along_axis(x2, np.expand_dims(safe_t, 1), axis=1).squeeze(1)
        losses = -picked * sample_w
        ctx.reduction, ctx.ignore_index = reduction, ignore_index
        ctx.safe_t, ctx.sample_w, ctx.batched = safe_t, sample_w, batched
        ctx.self_sym_sizes = xd.shape
        if reduction == "mean":
            total = sample_w.sum(dtype=xd.dtype)
            ctx.total_weight = total
            return (losses.sum(dtype=xd.dtype) / total).astype(xd.dtype)
        if reduction == "sum":
            return losses.sum(dtype=xd.dtype)
        return losses if batched else losses[0]

    @staticmethod
    def backward(ctx, grad):
        rows = len(ctx.safe_t)
        classes = ctx.self_sym_sizes[1] if ctx.batched else ctx.self_sym_sizes[0]
        picked = np.zeros((rows, classes), dtype=grad._data.dtype)
        np.put_along_axis(picked, np.expand_dims(ctx.safe_t, 1), -ctx.sample_w[:, None], axis=1)
        if ctx.reduction == "mean":
            picked = picked / ctx.total_weight
        if ctx.reduction == "none":
            grad = grad.reshape(rows, 1)
        out = grad * Tensor._make(picked.astype(grad._data.dtype))
        return out.reshape(ctx.self_sym_sizes)
