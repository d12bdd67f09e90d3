"""Loss functions with their own backward nodes, as PyTorch records them.

``binary_cross_entropy_with_logits`` is written in the stable form
(1 - t) x + softplus(-x), with softplus(-x) = log(1 + exp(-x)) computed without overflow,
so that logits of ±1000 give finite losses and gradients; its gradient with respect to the
logits is simply σ(x) - t.

As in PyTorch, only the input and the target are differentiable inputs of these nodes;
``weight`` and ``pos_weight`` are constants (they are kept on the node, but make no edge).
"""

from __future__ import annotations

import numpy as np

from minigrad.autograd.function import Function
from minigrad.ops import shape as _shape
from minigrad.tensor import Tensor


def _reduce(loss: np.ndarray, reduction: str) -> np.ndarray:
    """Each element's loss ('none'), or their mean or sum, in the loss's dtype."""
    if reduction == "none":
        return loss
    reduce = np.mean if reduction == "mean" else np.sum
    return np.asarray(reduce(loss, dtype=loss.dtype))


def _scale(grad: Tensor, shape: tuple[int, ...], reduction: str) -> Tensor:
    """The gradient of the reduced loss, spread over each element's loss (without 1/n)."""
    # (Expand itself: the gradient of a reduced loss is 0-d, it expands to any shape.)
    return grad if reduction == "none" else _shape.Expand.apply(grad, shape)


def _weighted(grad: Tensor, weight: Tensor | None, reduction: str, count: int) -> Tensor:
    """An element's gradient times its weight (None: no weight), divided by n for a mean."""
    if weight is not None:
        grad = grad * weight
    return grad / count if reduction == "mean" and count else grad


class BinaryCrossEntropyWithLogits(Function):
    """-w [p t log σ(x) + (1 - t) log(1 - σ(x))];  d/dx = w [(p t + 1 - t) σ(x) - p t]."""

    node_name = "BinaryCrossEntropyWithLogitsBackward0"
    saved_names = ("self", "target", "weight", "pos_weight")
    quiet = True

    @staticmethod
    def forward(ctx, x, t, constants, reduction):
        weight, pos_weight = constants
        ctx.reduction = reduction
        ctx.save_for_backward(x, t, weight, pos_weight)
        xd, td = x._data, t._data
        if weight is None and pos_weight is None:
            loss = (1 - td) * xd + np.logaddexp(0, -xd)  # log(1 + exp(-x)), stable for large |x|
        else:
            loss = _weighted_logits_loss(xd, td, weight, pos_weight)
        return _reduce(loss, reduction)

    @staticmethod
    def backward(ctx, grad):
        x, t, weight, pos_weight = ctx.saved_tensors
        grad = _scale(grad, x._data.shape, ctx.reduction)  # (the target has the input's shape)
        grad_x = grad_t = None
        if ctx.needs_input_grad[0]:
            grad_x = x.sigmoid() - t if pos_weight is None else _pos_weighted_dx(x, t, pos_weight)
            grad_x = _weighted(grad_x * grad, weight, ctx.reduction, x._data.size)
        if ctx.needs_input_grad[1]:
            grad_t = -x if pos_weight is None else _pos_weighted_dt(x, pos_weight)
            grad_t = _weighted(grad_t * grad, weight, ctx.reduction, t._data.size)
        return grad_x, grad_t


def _weighted_logits_loss(
    xd: np.ndarray, td: np.ndarray, weight: Tensor | None, pos_weight: Tensor | None
) -> np.ndarray:
    """The loss with a weight w and a pos_weight p (either may be None, meaning 1):

    w [(1 - t) x + (p t + 1 - t) log(1 + exp(-x))].
    """
    softplus_neg = np.logaddexp(0, -xd)  # log(1 + exp(-x)), stable for large |x|
    if pos_weight is None:
        loss = (1 - td) * xd + softplus_neg
    else:
        log_weight = (pos_weight._data - 1) * td + 1
        loss = (1 - td) * xd + log_weight * softplus_neg
    if weight is not None:
        loss = loss * weight._data
    return loss


def _pos_weighted_dx(x: Tensor, t: Tensor, pos_weight: Tensor) -> Tensor:
    """d/dx of the loss with a ``pos_weight`` p (before the weight w): (p t + 1 - t) σ(x) - p t."""
    pt = pos_weight * t
    return (pt + 1 - t) * x.sigmoid() - pt


def _pos_weighted_dt(x: Tensor, pos_weight: Tensor) -> Tensor:
    """d/dt of the loss with a ``pos_weight`` p (before the weight w): log σ(-x) - p log σ(x)."""
    # log σ(x) = -(relu(-x) + log(1 + exp(-|x|))), stable for large |x|.
    softplus_neg = (-x).relu() + ((-x.abs()).exp() + 1).log()
    return (pos_weight - 1) * softplus_neg - x


class BinaryCrossEntropy(Function):
    """-w [t log p + (1 - t) log(1 - p)], logs clamped at -100;  d/dp = w (p - t) / (p (1 - p))."""

    node_name = "BinaryCrossEntropyBackward0"
    saved_names = ("self", "target", "weight")
    quiet = True

    @staticmethod
    def forward(ctx, p, t, constants, reduction):
        (weight,) = constants
        pd, td = p._data, t._data
        if np.any((pd < 0) | (pd > 1)):
            raise RuntimeError("all elements of input should be between 0 and 1")
        ctx.reduction = reduction
        ctx.save_for_backward(p, t, weight)
        log_p = np.maximum(np.log(pd), -100)
        log_1p = np.maximum(np.log1p(-pd), -100)
        loss = (td - 1) * log_1p - td * log_p
        if weight is not None:
            loss = loss * weight._data
        return _reduce(loss, reduction)

    @staticmethod
    def backward(ctx, grad):
        p, t, weight = ctx.saved_tensors
        grad = _scale(grad, p._data.shape, ctx.reduction)
        grad_p = grad_t = None
        if ctx.needs_input_grad[0]:
            grad_p = grad * (p - t) / ((1 - p) * p).clamp(min=1e-12)
            grad_p = _weighted(grad_p, weight, ctx.reduction, p._data.size)
        if ctx.needs_input_grad[1]:
            # -logit(p), unclamped as in torch: infinite where p is 0 or 1.
            grad_t = -(p / (1 - p)).log() * grad
            grad_t = _weighted(grad_t, weight, ctx.reduction, t._data.size)
        return grad_p, grad_t


class MseLoss(Function):
    """(x - t)²;  d/dx = 2 (x - t),  d/dt = -2 (x - t)."""

    node_name = "MseLossBackward0"
    saved_names = ("self", "target")
    quiet = True

    @staticmethod
    def forward(ctx, x, t, reduction):
        ctx.reduction = reduction
        ctx.save_for_backward(x, t)
        diff = x._data - t._data
        return _reduce(diff * diff, reduction)

    @staticmethod
    def backward(ctx, grad):
        x, t = ctx.saved_tensors
        grad = _scale(grad, x._data.shape, ctx.reduction)
        diff = _weighted(2 * (x - t) * grad, None, ctx.reduction, x._data.size)
        return (
            diff if ctx.needs_input_grad[0] else None,
            -diff if ctx.needs_input_grad[1] else None,
        )


class NllLoss(Function):
    """-w[c] x[n, c] for each sample's class c;  d/dx = -w[c] at the class, 0 elsewhere.

    The input is (C,) with a 0-d target, or (N, C, d1, ...) with a (N, d1, ...) target;
    samples whose target is ``ignore_index`` count for nothing.
    """

    node_name = "NllLossBackward0"
    saved_names = ("self", "target", "weight")
    quiet = True

    @staticmethod
    def forward(ctx, x, target, constants, reduction, ignore_index):
        (weight,) = constants
        xd = x._data
        dtype = xd.dtype
        batched = xd.ndim >= 2
        x2 = xd if batched else xd[None]
        t = target if batched else target.reshape(1)
        classes = x2.shape[1]
        ctx.reduction, ctx.self_sym_sizes = reduction, xd.shape
        ctx.save_for_backward(x, None, weight)
        if (
            x2.ndim == 2
            and weight is None
            and t.size
            and not 0 <= ignore_index < classes
            and t.min() >= 0
            and t.max() < classes
        ):
            # The common case: every target is a class (so none is ignore_index), each with
            # weight 1: pick each sample's score directly.
            ctx.target, ctx.valid, ctx.sample_w = t, None, None
            losses = -x2[np.arange(t.shape[0]), t]
            total = dtype.type(t.shape[0])
        else:
            valid = t != ignore_index
            bad = t[valid & ((t < 0) | (t >= classes))]
            if bad.size:
                raise IndexError(f"Target {int(bad.flat[0])} is out of bounds.")
            safe_t = np.where(valid, t, 0)
            w = np.ones(classes, dtype=dtype) if weight is None else weight._data
            sample_w = np.where(valid, w[safe_t], 0).astype(dtype)
            picked = np.take_along_axis(x2, np.expand_dims(safe_t, 1), axis=1).squeeze(1)
            # An ignored sample's loss is 0, even where its (unused) score is nan or inf.
            losses = np.where(valid, -picked * sample_w, 0)
            total = sample_w.sum(dtype=dtype)
            ctx.target, ctx.valid, ctx.sample_w = safe_t, valid, sample_w
        if reduction == "mean":
            ctx.total_weight = total
            return np.asarray(losses.sum(dtype=dtype) / total, dtype=dtype)
        if reduction == "sum":
            return np.asarray(losses.sum(dtype=dtype))
        return losses if batched else losses[0]

    @staticmethod
    def backward(ctx, grad):
        x = ctx.saved_tensors[0]
        backward_node = NllLoss2dBackward if ctx._forward_cls is NllLoss2d else NllLossBackward
        return backward_node.apply(grad, x, ctx), None


class NllLossBackward(Function):
    """nll_loss's backward: -w[c] grad (/ total weight) at each sample's class c, 0 elsewhere.

    Linear in grad; its derivative with respect to the input is zero, but the input stays an
    input of the node (as in torch), so that with ``create_graph=True`` the gradient requires
    grad.
    """

    node_name = "NllLossBackwardBackward0"

    @staticmethod
    def forward(ctx, grad, x, loss_ctx):
        ctx.loss_ctx = loss_ctx
        ctx.grad_shape = grad._data.shape
        t, valid, sample_w = loss_ctx.target, loss_ctx.valid, loss_ctx.sample_w
        reduction, shape = loss_ctx.reduction, loss_ctx.self_sym_sizes
        g = grad._data.reshape(t.shape) if reduction == "none" else grad._data
        result = np.zeros(shape if len(shape) >= 2 else (1, shape[0]), dtype=g.dtype)
        if sample_w is None:
            # The common case (weights 1, nothing ignored, 2-D); as torch: -(g / total).
            picked = -(g / loss_ctx.total_weight) if reduction == "mean" else -g
            result[np.arange(t.shape[0]), t] = picked
        else:
            # A zero total weight, or a zero weight times an infinite grad, gives nan (as in
            # torch); ignored samples get 0.
            with np.errstate(divide="ignore", invalid="ignore"):
                picked = (-(g / loss_ctx.total_weight) if reduction == "mean" else -g) * sample_w
            picked = np.where(valid, picked, 0).astype(g.dtype, copy=False)
            np.put_along_axis(result, np.expand_dims(t, 1), np.expand_dims(picked, 1), axis=1)
        return result.reshape(shape)

    @staticmethod
    def backward(ctx, grad_grad):
        # With respect to grad: nll_loss of grad_grad itself, -w[c] grad_grad[n, c] summed
        # (and divided by the total weight for 'mean').
        loss_ctx = ctx.loss_ctx
        picked = _nll_picked(loss_ctx, grad_grad._data.dtype)
        product = grad_grad * Tensor._make(picked).reshape(grad_grad._data.shape)
        if loss_ctx.reduction == "none":
            total = product.sum(1) if product.ndim > 1 else product.sum()
        else:
            total = product.sum()
            if loss_ctx.reduction == "mean":
                total = total / Tensor._make(np.asarray(loss_ctx.total_weight))
        zeros = Tensor._make(np.zeros(grad_grad._data.shape, dtype=grad_grad._data.dtype))
        return total.reshape(ctx.grad_shape), zeros


class NllLoss2dBackward(NllLossBackward):
    node_name = "NllLoss2DBackwardBackward0"


def _nll_picked(ctx, dtype) -> np.ndarray:
    """-w[c] at each sample's class c, 0 elsewhere (and for ignored samples)."""
    t, sample_w = ctx.target, ctx.sample_w
    if sample_w is None:
        sample_w = np.ones(t.shape, dtype=dtype)
    shape = ctx.self_sym_sizes if len(ctx.self_sym_sizes) >= 2 else (1, ctx.self_sym_sizes[0])
    picked = np.zeros(shape, dtype=dtype)
    np.put_along_axis(picked, np.expand_dims(t, 1), -np.expand_dims(sample_w, 1), axis=1)
    return picked


class NllLoss2d(NllLoss):
    """``nll_loss`` of an (N, C, H, W) input: images of class scores."""

    node_name = "NllLoss2DBackward0"
