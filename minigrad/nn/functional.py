"""``minigrad.nn.functional``: activations, losses and ``linear``, as ``torch.nn.functional``."""

from __future__ import annotations

from typing import Any

from minigrad.ops import arithmetic as _arith
from minigrad.ops import linalg as _linalg
from minigrad.ops import loss as _loss
from minigrad.tensor import Tensor


def relu(input: Tensor, inplace: bool = False) -> Tensor:  # noqa: A002 - torch's names
    """max(x, 0) elementwise."""
    return input.relu_() if inplace else input.relu()


def sigmoid(input: Tensor) -> Tensor:  # noqa: A002
    return input.sigmoid()


def tanh(input: Tensor) -> Tensor:  # noqa: A002
    return input.tanh()


def softmax(input: Tensor, dim: int | None = None, dtype: Any = None) -> Tensor:  # noqa: A002
    """exp(x) / sum(exp(x)) along ``dim``."""
    x = input if dtype is None else input.to(dtype)
    return x.softmax(_implicit_dim(x) if dim is None else dim)


def log_softmax(input: Tensor, dim: int | None = None, dtype: Any = None) -> Tensor:  # noqa: A002
    """log(softmax(x)) along ``dim``, computed stably."""
    x = input if dtype is None else input.to(dtype)
    return x.log_softmax(_implicit_dim(x) if dim is None else dim)


def _implicit_dim(x: Tensor) -> int:
    return 0 if x.ndim in (0, 1, 3) else 1


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:  # noqa: A002
    """x Wᵀ + b, recorded as PyTorch records it (``addmm`` for a batch with a bias).

    >>> import minigrad
    >>> x, w, b = minigrad.ones(2, 3), minigrad.ones(4, 3), minigrad.zeros(4)
    >>> minigrad.nn.functional.linear(x, w, b).shape
    torch.Size([2, 4])
    """
    if input.ndim == 2 and bias is not None:
        return _linalg.Addmm.apply(bias, input, weight.t())
    out = _linalg.matmul(input, weight.t())
    return out if bias is None else out + bias


def binary_cross_entropy_with_logits(
    input: Tensor,  # noqa: A002
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
    _loss.check_reduction(reduction)
    return _loss.BinaryCrossEntropyWithLogits.apply(input, target, weight, pos_weight, reduction)


def binary_cross_entropy(
    input: Tensor,  # noqa: A002
    target: Tensor,
    weight: Tensor | None = None,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
) -> Tensor:
    """-[t log p + (1 - t) log(1 - p)] for probabilities p in [0, 1]."""
    _loss.check_reduction(reduction)
    return _loss.BinaryCrossEntropy.apply(input, target, weight, reduction)


def mse_loss(input: Tensor, target: Tensor, size_average: Any = None, reduce: Any = None, reduction: str = "mean") -> Tensor:  # noqa: A002
    """(input - target)², averaged (or summed, or not reduced)."""
    _loss.check_reduction(reduction)
    if input.shape != target.shape:
        import warnings

        warnings.warn(
            f"Using a target size ({target.shape}) that is different to the input size "
            f"({input.shape}). This will likely lead to incorrect results due to broadcasting. "
            "Please ensure they have the same size.",
            UserWarning,
            stacklevel=2,
        )
    return _loss.MseLoss.apply(input, target, reduction)


def l1_loss(input: Tensor, target: Tensor, size_average: Any = None, reduce: Any = None, reduction: str = "mean") -> Tensor:  # noqa: A002
    """|input - target|, averaged (or summed, or not reduced)."""
    _loss.check_reduction(reduction)
    diff = (input - target).abs()
    if reduction == "mean":
        return diff.mean()
    if reduction == "sum":
        return diff.sum()
    return diff


def nll_loss(
    input: Tensor,  # noqa: A002
    target: Tensor,
    weight: Tensor | None = None,
    size_average: Any = None,
    ignore_index: int = -100,
    reduce: Any = None,
    reduction: str = "mean",
) -> Tensor:
    """-input[n, target[n]]: the loss for log-probabilities and class indices."""
    _loss.check_reduction(reduction)
    if target._data.dtype.kind not in "iu":
        raise RuntimeError(
            "expected scalar type Long but found "
            + {"f": "Float" if target._data.itemsize == 4 else "Double", "b": "Bool"}[target._data.dtype.kind]
        )
    if input.ndim >= 2 and input.shape[0] != target.shape[0]:
        raise ValueError(
            f"Expected input batch_size ({input.shape[0]}) to match target batch_size "
            f"({target.shape[0]})."
        )
    return _loss.NllLoss.apply(input, target._data, weight, reduction, ignore_index)


def cross_entropy(
    input: Tensor,  # noqa: A002
    target: Tensor,
    weight: Tensor | None = None,
    size_average: Any = None,
    ignore_index: int = -100,
    reduce: Any = None,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
) -> Tensor:
    """Softmax cross-entropy, with class indices or class probabilities as target.

    >>> import minigrad
    >>> logits = minigrad.tensor([[2.0, 0.0, 0.0]])
    >>> minigrad.nn.functional.cross_entropy(logits, minigrad.tensor([0]))
    tensor(0.2395)
    """
    class_dim = 1 if input.ndim >= 2 else 0
    log_p = input.log_softmax(class_dim)
    if target._data.dtype.kind == "f":
        if target.shape != input.shape:
            raise RuntimeError(
                "Expected target size " + str(list(input.shape)).replace(" ", " ") + ", got "
                + str(list(target.shape))
            )
        terms = target * log_p if weight is None else target * log_p * _class_view(weight, input)
        if reduction == "mean":
            batch = input.shape[0] if input.ndim >= 2 else 1
            return _arith.DivScalar.apply(-terms.sum(), batch)
        if reduction == "sum":
            return -terms.sum()
        return -terms.sum(class_dim)
    return nll_loss(log_p, target, weight, ignore_index=ignore_index, reduction=reduction)


def _class_view(weight: Tensor, input: Tensor) -> Tensor:
    shape = [1] * input.ndim
    shape[1 if input.ndim >= 2 else 0] = -1
    return weight.reshape(*shape)
