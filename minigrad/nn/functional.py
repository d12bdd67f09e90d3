"""``minigrad.nn.functional``: activations, losses, ``linear``, ``dropout`` and ``batch_norm``,
as ``torch.nn.functional``.

Each function follows the steps PyTorch takes, so that its result has the same
``grad_fn`` and the same graph behind it (``cross_entropy`` is ``log_softmax`` and then
``nll_loss``; ``linear`` of a batch with a bias is one ``addmm``).
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from minigrad._messages import cast_error, invalid_reduction_error, target_size_error
from minigrad._shapes import size_list, torch_size
from minigrad.nn._reduction import legacy_reduction_name
from minigrad.ops import arithmetic as _arith
from minigrad.ops import linalg as _linalg
from minigrad.ops import loss as _loss
from minigrad.ops import normalization as _normalization
from minigrad.ops import shape as _shape
from minigrad.ops import unary as _unary
from minigrad.ops._util import broadcast_shapes
from minigrad.random import default_generator
from minigrad.tensor import _SCALAR_NAMES, Tensor

__all__ = [
    "batch_norm",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "cross_entropy",
    "dropout",
    "l1_loss",
    "linear",
    "log_softmax",
    "mse_loss",
    "nll_loss",
    "relu",
    "sigmoid",
    "softmax",
    "tanh",
]


def relu(input: Tensor, inplace: bool = False) -> Tensor:
    """max(x, 0) elementwise.

    >>> import minigrad
    >>> minigrad.nn.functional.relu(minigrad.tensor([-1.0, 2.0]))
    tensor([0., 2.])
    """
    return input.relu_() if inplace else input.relu()


def sigmoid(input: Tensor) -> Tensor:
    """1 / (1 + exp(-x)) elementwise.

    >>> import minigrad
    >>> minigrad.nn.functional.sigmoid(minigrad.tensor([0.0]))
    tensor([0.5000])
    """
    return input.sigmoid()


def tanh(input: Tensor) -> Tensor:
    """tanh(x) elementwise.

    >>> import minigrad
    >>> minigrad.nn.functional.tanh(minigrad.tensor([0.0]))
    tensor([0.])
    """
    return input.tanh()


def _softmax_dim(ndim: int, name: str) -> int:
    warnings.warn(
        f"Implicit dimension choice for {name} has been deprecated. Change the call to include "
        "dim=X as an argument.",
        UserWarning,
        stacklevel=3,
    )
    return 0 if ndim in (0, 1, 3) else 1


def softmax(
    input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype: Any = None
) -> Tensor:
    """exp(x) / sum(exp(x)) along ``dim``.

    >>> import minigrad
    >>> minigrad.nn.functional.softmax(minigrad.tensor([0.0, 0.0]), dim=0)
    tensor([0.5000, 0.5000])
    """
    if dim is None:
        dim = _softmax_dim(input.ndim, "softmax")
    x = input if dtype is None else input.to(dtype)
    return x.softmax(dim)


def log_softmax(
    input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype: Any = None
) -> Tensor:
    """log(softmax(x)) along ``dim``, computed stably.

    >>> import minigrad
    >>> minigrad.nn.functional.log_softmax(minigrad.tensor([0.0, 0.0]), dim=0)
    tensor([-0.6931, -0.6931])
    """
    if dim is None:
        dim = _softmax_dim(input.ndim, "log_softmax")
    x = input if dtype is None else input.to(dtype)
    return x.log_softmax(dim)


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """x Wᵀ + b, recorded as PyTorch records it.

    A 2-D input with a bias is one ``addmm``; a contiguous input of another rank with a
    (squeezable to) 1-D bias is flattened to 2-D around an ``addmm``; otherwise ``matmul``,
    then the bias is added.

    >>> import minigrad
    >>> x, w, b = minigrad.ones(2, 3), minigrad.ones(4, 3), minigrad.zeros(4)
    >>> minigrad.nn.functional.linear(x, w, b).grad_fn is None
    True
    >>> minigrad.nn.functional.linear(x, w.requires_grad_(), b).grad_fn.name()
    'AddmmBackward0'
    """
    if input.ndim == 0 or weight.ndim == 0:
        raise RuntimeError(
            "both arguments to linear need to be at least 1D, but they are "
            f"{input.ndim}D and {weight.ndim}D"
        )
    if bias is not None:
        if input.ndim == 2:
            return _linalg.Addmm.apply(bias, input, _shape.T.apply(weight))
        squeezed = sum(1 for n in bias._data.shape if n != 1)
        fusable = (bias.ndim == 1 or squeezed == 1) and bias._data.flags.c_contiguous
        if fusable and input._data.flags.c_contiguous:
            # torch's _flatten_nd_linear: all leading dimensions folded into the rows.
            sizes = input._data.shape
            flat = _shape.View.apply(input, (math.prod(sizes[:-1]), sizes[-1]))
            result = _linalg.Addmm.apply(bias, flat, _shape.T.apply(weight))
            return _shape.View.apply(result, (*sizes[:-1], result._data.shape[1]))
    output = _linalg.matmul(input, _shape.T.apply(weight))
    if bias is None:
        return output

    shape = broadcast_shapes(output._data.shape, bias._data.shape)
    if shape != output._data.shape:  # torch adds the bias in place: it cannot grow the output
        raise RuntimeError(
            f"output with shape {size_list(output._data.shape)} doesn't match the "
            f"broadcast shape {size_list(shape)}"
        )
    return output + bias


def _reduction_name(size_average: Any, reduce: Any, reduction: str) -> str:
    """The reduction, from the deprecated size_average/reduce arguments when given."""
    if size_average is not None or reduce is not None:
        return legacy_reduction_name(size_average, reduce)
    if reduction not in ("none", "mean", "sum"):
        raise invalid_reduction_error(reduction)
    return reduction


def binary_cross_entropy_with_logits(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
    pos_weight: Tensor | None = None,
) -> Tensor:
    """Binary cross-entropy of σ(input) against target, computed stably from the logits.

    >>> import minigrad
    >>> z = minigrad.tensor([0.0, 1000.0, -1000.0], requires_grad=True)
    >>> minigrad.nn.functional.binary_cross_entropy_with_logits(z, minigrad.zeros(3))
    tensor(333.5644, grad_fn=<BinaryCrossEntropyWithLogitsBackward0>)
    """
    reduction = _reduction_name(size_average, reduce, reduction)
    if target._data.shape != input._data.shape:
        raise target_size_error(target._data.shape, input._data.shape)
    if not target.is_floating_point():
        raise cast_error(_SCALAR_NAMES[input.dtype], _SCALAR_NAMES[target.dtype])
    if weight is not None or pos_weight is not None:
        _check_weights_broadcast(input, target, weight, pos_weight)
    return _loss.BinaryCrossEntropyWithLogits.apply(input, target, (weight, pos_weight), reduction)


def _check_weights_broadcast(
    input: Tensor, target: Tensor, weight: Tensor | None, pos_weight: Tensor | None
) -> None:
    """torch's error for a ``pos_weight`` (checked first) or ``weight`` that does not broadcast."""
    if pos_weight is not None:
        broadcast_shapes(pos_weight._data.shape, target._data.shape)
    if weight is not None:
        broadcast_shapes(input._data.shape, weight._data.shape)


def binary_cross_entropy(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
) -> Tensor:
    """-[t log p + (1 - t) log(1 - p)] for probabilities p in [0, 1] (logs clamped at -100).

    >>> import minigrad
    >>> p = minigrad.tensor([0.5, 0.5])
    >>> minigrad.nn.functional.binary_cross_entropy(p, minigrad.tensor([0.0, 1.0]))
    tensor(0.6931)
    """
    reduction = _reduction_name(size_average, reduce, reduction)
    if target.shape != input.shape:
        raise ValueError(
            f"Using a target size ({target.shape}) that is different to the input size "
            f"({input.shape}) is deprecated. Please ensure they have the same size."
        )
    if weight is not None:
        weight = weight.expand(_infer_size(target._data.shape, weight._data.shape))
    return _loss.BinaryCrossEntropy.apply(input, target, (weight,), reduction)


def _infer_size(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...]:
    """The broadcast of two shapes, with the message of ``torch._C._infer_size``."""
    out = []
    for offset in range(1, max(len(a), len(b)) + 1):
        x = a[-offset] if offset <= len(a) else 1
        y = b[-offset] if offset <= len(b) else 1
        if x != y and x != 1 and y != 1:
            raise RuntimeError(
                f"Attempting to broadcast a dimension of length {y} at {-offset}! Mismatching "
                f"argument at index 1 had {torch_size(b)}; but expected "
                f"shape should be broadcastable to {size_list(a)}"
            )
        out.append(x if y == 1 else y)
    return tuple(reversed(out))


def _broadcast_pair(input: Tensor, target: Tensor) -> tuple[Tensor, Tensor]:
    """``torch.broadcast_tensors`` of two tensors: only the one that must grow is expanded."""

    shape = broadcast_shapes(input._data.shape, target._data.shape)
    expanded_input, expanded_target = input, target
    if input._data.shape != shape:
        expanded_input = _shape.Expand.apply(input, shape)
    if target._data.shape != shape:
        expanded_target = _shape.Expand.apply(target, shape)
    return expanded_input, expanded_target


def _elementwise_loss_inputs(
    name: str,
    input: Tensor,
    target: Tensor,
    size_average: Any,
    reduce: Any,
    reduction: str,
    weight: Tensor | None,
) -> tuple[Tensor, Tensor, str]:
    """What ``mse_loss`` and ``l1_loss`` both do first: warn of a target of another size (as
    torch does), settle the reduction, refuse a weight and broadcast input and target."""
    if target.shape != input.shape:
        warnings.warn(
            f"Using a target size ({target.shape}) that is different to the input size "
            f"({input.shape}). This will likely lead to incorrect results due to broadcasting. "
            "Please ensure they have the same size.",
            UserWarning,
            stacklevel=3,
        )
    reduction = _reduction_name(size_average, reduce, reduction)
    if weight is not None:
        raise NotImplementedError(f"minigrad's {name} does not take a weight")
    expanded_input, expanded_target = _broadcast_pair(input, target)
    return expanded_input, expanded_target, reduction


def mse_loss(
    input: Tensor,
    target: Tensor,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
    weight: Tensor | None = None,
) -> Tensor:
    """(input - target)², averaged (or summed, or not reduced).

    >>> import minigrad
    >>> minigrad.nn.functional.mse_loss(minigrad.tensor([1.0, 3.0]), minigrad.zeros(2))
    tensor(5.)
    """
    expanded_input, expanded_target, reduction = _elementwise_loss_inputs(
        "mse_loss", input, target, size_average, reduce, reduction, weight
    )
    return _loss.MseLoss.apply(expanded_input, expanded_target, reduction)


def l1_loss(
    input: Tensor,
    target: Tensor,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
    weight: Tensor | None = None,
) -> Tensor:
    """|input - target|, averaged (or summed, or not reduced).

    >>> import minigrad
    >>> minigrad.nn.functional.l1_loss(minigrad.tensor([1.0, -3.0]), minigrad.zeros(2))
    tensor(2.)
    """
    expanded_input, expanded_target, reduction = _elementwise_loss_inputs(
        "l1_loss", input, target, size_average, reduce, reduction, weight
    )
    diff = (expanded_input - expanded_target).abs()
    if reduction == "mean":
        return diff.mean()
    if reduction == "sum":
        return diff.sum()
    return diff


def _target_dtype_check(target: Tensor) -> None:
    if target._data.dtype.kind not in "iu":
        raise RuntimeError(
            f"expected target dtype to be Long or Byte, but got {_SCALAR_NAMES[target.dtype]}"
        )


def _nll_loss_nd(
    input: Tensor, target: Tensor, weight: Tensor | None, reduction: str, ignore_index: int
) -> Tensor:
    """torch's ``nll_loss_nd``: 1-D and 2-D inputs directly, others as images (nll_loss2d)."""
    # (Shapes are read from the arrays: this runs at every training step.)
    shape, target_shape = input._data.shape, target._data.shape
    ndim = len(shape)
    if ndim < 1:
        raise ValueError(f"Expected 1 or more dimensions (got {ndim})")
    if ndim != 1:
        batch = target_shape[0] if target_shape else 0  # torch's count for a 0-d target
        if shape[0] != batch:
            raise ValueError(
                f"Expected input batch_size ({shape[0]}) to match target batch_size ({batch})."
            )
        if not target_shape:
            raise IndexError("Dimension specified as 0 but tensor has no dimensions")
    _target_dtype_check(target)
    if ndim <= 2:
        if len(target_shape) > 1:
            raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
        return _nll_loss(_loss.NllLoss, input, target, weight, reduction, ignore_index)
    if ndim == 4:
        return _nll_loss(_loss.NllLoss2d, input, target, weight, reduction, ignore_index)
    n, c = input.shape[0], input.shape[1]
    out_size = (n, *input.shape[2:])
    if tuple(target.shape[1:]) != tuple(input.shape[2:]):
        raise RuntimeError(
            f"Expected target size {size_list(out_size)}, got {size_list(target.shape)}"
        )
    images = input.contiguous()
    if images._data.size > 0:
        images = _shape.View.apply(images, _shape.infer_shape((n, c, 1, -1), images._data.size))
    else:
        images = _shape.View.apply(images, (n, c, 0, 0))
    target_data = (
        target._data.reshape(n, 1, -1) if target._data.size else target._data.reshape(n, 0, 0)
    )
    out = _nll_loss(
        _loss.NllLoss2d, images, Tensor._make(target_data), weight, reduction, ignore_index
    )
    if reduction == "none":
        out = _shape.View.apply(out, out_size)
    return out


def _nll_loss(
    node: Any,
    input: Tensor,
    target: Tensor,
    weight: Tensor | None,
    reduction: str,
    ignore_index: int,
) -> Tensor:
    shape = input._data.shape
    classes = shape[1] if len(shape) >= 2 else shape[0]
    if weight is not None:
        _check_class_weight(weight, classes, "")
        if weight._data.dtype != input._data.dtype:
            raise RuntimeError(
                f"expected scalar type {_SCALAR_NAMES[input.dtype]} but found "
                f"{_SCALAR_NAMES[weight.dtype]}"
            )
    return node.apply(input, target._data, (weight,), reduction, ignore_index)


def nll_loss(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average: Any = None,
    ignore_index: int = -100,
    reduce: Any = None,
    reduction: str = "mean",
) -> Tensor:
    """-input[n, target[n]], averaged: the loss for log-probabilities and class indices.

    >>> import minigrad
    >>> log_p = minigrad.tensor([[-0.5, -1.0], [-2.0, -0.1]])
    >>> minigrad.nn.functional.nll_loss(log_p, minigrad.tensor([0, 1]))
    tensor(0.3000)
    """
    reduction = _reduction_name(size_average, reduce, reduction)
    return _nll_loss_nd(input, target, weight, reduction, ignore_index)


def cross_entropy(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average: Any = None,
    ignore_index: int = -100,
    reduce: Any = None,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
) -> Tensor:
    """Softmax cross-entropy, with class indices or class probabilities as target.

    With class indices it is ``nll_loss(log_softmax(input, 1), target)``; a target of the
    input's shape holds probabilities.

    >>> import minigrad
    >>> logits = minigrad.tensor([[2.0, 0.0, 0.0]])
    >>> minigrad.nn.functional.cross_entropy(logits, minigrad.tensor([0]))
    tensor(0.2395)
    """
    reduction = _reduction_name(size_average, reduce, reduction)
    class_dim = 0 if input._data.ndim == 1 else 1
    if input._data.shape == target._data.shape:
        if not target.is_floating_point():
            raise RuntimeError(
                "Expected floating point type for target with class probabilities, got "
                f"{_SCALAR_NAMES[target.dtype]}"
            )
        if ignore_index >= 0:
            raise RuntimeError("ignore_index is not supported for floating point target")
        return _cross_entropy_probs(input, target, weight, reduction, label_smoothing, class_dim)
    if label_smoothing > 0.0:
        return _cross_entropy_smoothed(
            input, target, weight, reduction, ignore_index, label_smoothing, class_dim
        )
    return _nll_loss_nd(input.log_softmax(class_dim), target, weight, reduction, ignore_index)


def _check_smoothing(label_smoothing: float) -> None:
    if label_smoothing > 1.0:
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing:g}")


def _class_weight(weight: Tensor, ndim: int, class_dim: int) -> Tensor:
    """The class weights shaped to broadcast along the class dimension."""
    if ndim <= 1:
        return weight
    shape = [1] * ndim
    shape[class_dim] = weight.shape[0]
    return _shape.View.apply(weight, tuple(shape))


def _check_class_weight(weight: Tensor, classes: int, prefix: str) -> None:
    """A class weight is a vector of one weight per class."""
    if weight.ndim != 1 or weight.numel() != classes:
        raise RuntimeError(
            f"{prefix}weight tensor should be defined either for all {classes} classes or no "
            f"classes but got weight tensor of shape: {size_list(weight.shape)}"
        )


def _cross_entropy_probs(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None,
    reduction: str,
    label_smoothing: float,
    class_dim: int,
) -> Tensor:
    classes = input.shape[class_dim]
    if weight is not None:
        _check_class_weight(weight, classes, "cross_entropy: ")
    log_p = input.log_softmax(class_dim)
    if label_smoothing > 0.0:
        _check_smoothing(label_smoothing)
        target = target * (1 - label_smoothing) + label_smoothing / classes
    terms = log_p * target
    if weight is not None:
        terms = terms * _class_weight(weight, log_p.ndim, class_dim)
    if reduction == "mean":
        if log_p.numel() == 0:
            return (-terms.sum()).fill_(math.nan)
        return _arith.DivScalar.apply(-terms.sum(), log_p.numel() // classes)
    if reduction == "sum":
        return -terms.sum()
    return -terms.sum(class_dim)


def _cross_entropy_smoothed(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None,
    reduction: str,
    ignore_index: int,
    label_smoothing: float,
    class_dim: int,
) -> Tensor:
    _check_smoothing(label_smoothing)
    log_p = input.log_softmax(class_dim)
    nll = _nll_loss_nd(log_p, target, weight, reduction, ignore_index)
    classes = log_p.shape[class_dim]
    if weight is not None:
        smooth = -(log_p * _class_weight(weight, log_p.ndim, class_dim)).sum(class_dim)
    else:
        smooth = -log_p.sum(class_dim)
    ignored = target._data == ignore_index
    smooth = _unary.MaskedFill.apply(smooth, ignored, 0.0)
    if reduction == "mean":
        if weight is not None:
            kept = target._data[~ignored].reshape(-1)
            denominator = Tensor._make(weight._data[kept].sum(dtype=weight._data.dtype))
        else:
            denominator = Tensor._make((~ignored).sum())
        ret = smooth.sum() / denominator
    elif reduction == "sum":
        ret = smooth.sum()
    else:
        ret = smooth
    return _arith.MulScalar.apply(nll, 1 - label_smoothing) + _arith.MulScalar.apply(
        ret, label_smoothing / classes
    )


# -- regularization and normalization ----------------------------------------------------------


def dropout(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Each element zeroed with probability ``p``, the others scaled by 1 / (1 - p) (so the
    expected value is unchanged); the input itself when not ``training`` or ``p`` is 0.

    As in PyTorch the result is ``input * mask`` (``MulBackward0``); the mask is drawn from
    minigrad's generator, so it is not PyTorch's.

    >>> import minigrad
    >>> _ = minigrad.manual_seed(0)
    >>> y = minigrad.nn.functional.dropout(minigrad.ones(1000), p=0.2)
    >>> sorted(set(y.tolist()))
    [0.0, 1.25]
    >>> x = minigrad.ones(3)
    >>> minigrad.nn.functional.dropout(x, training=False) is x
    True
    """
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if p == 0 or not training or input._data.size == 0:
        return input
    dtype = input._data.dtype if input.is_floating_point() else np.dtype(np.float32)
    if p == 1:
        noise = np.zeros(input._data.shape, dtype)
    else:
        keep = default_generator.uniform(0.0, 1.0, input._data.shape) < 1 - p
        noise = (keep / (1 - p)).astype(dtype)
    mask = Tensor._make(noise)
    return input.mul_(mask) if inplace else input * mask


def batch_norm(
    input: Tensor,
    running_mean: Tensor | None,
    running_var: Tensor | None,
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    training: bool = False,
    momentum: float = 0.1,
    eps: float = 1e-5,
) -> Tensor:
    """Normalize each channel (dim 1) to mean 0 and variance 1, then scale and shift it.

    In training the batch's statistics are used and ``running_mean``/``running_var`` (when
    given) are updated in place; otherwise the running statistics are used. See
    ``minigrad.ops.normalization`` for the formulas.

    >>> import minigrad
    >>> x = minigrad.tensor([[1.0, 10.0], [3.0, 30.0]])
    >>> minigrad.nn.functional.batch_norm(x, None, None, training=True)
    tensor([[-1.0000, -1.0000],
            [ 1.0000,  1.0000]])
    """
    channels = input._data.shape[1] if input.ndim > 1 else 1
    if training:
        size = input._data.shape
        if math.prod(size[:1] + size[2:]) == 1:
            raise ValueError(
                "Expected more than 1 value per channel when training, got input size "
                f"{torch_size(size)}"
            )
        if eps <= 0.0:
            raise ValueError(f"batch_norm eps must be positive during training, but got {eps}")
    elif eps < 0.0:
        raise ValueError(f"batch_norm eps must be non-negative, but got {eps}")
    if not training and (running_mean is None or running_var is None):
        name = "running_mean" if running_mean is None else "running_var"
        raise RuntimeError(f"{name} must be defined in evaluation mode")
    for name, t in (("running_mean", running_mean), ("running_var", running_var)):
        if t is not None and t._data.size != channels:
            raise RuntimeError(f"{name} should contain {channels} elements not {t._data.size}")
    weight = _normalization.ABSENT if weight is None else weight
    bias = _normalization.ABSENT if bias is None else bias
    running = (running_mean, running_var)
    return _normalization.BatchNorm.apply(input, weight, bias, running, training, momentum, eps)
