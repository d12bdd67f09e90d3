"""Loss layers: ``MSELoss``, ``L1Loss``, ``BCELoss``, ``BCEWithLogitsLoss``, ``NLLLoss``,
``CrossEntropyLoss``. Each one calls the function of the same name in ``nn.functional``."""

from __future__ import annotations

from minigrad.nn import functional as F
from minigrad.nn._reduction import legacy_reduction_name
from minigrad.nn.modules.module import Module
from minigrad.tensor import Tensor

__all__ = ["BCELoss", "BCEWithLogitsLoss", "CrossEntropyLoss", "L1Loss", "MSELoss", "NLLLoss"]


class _Loss(Module):
    def __init__(
        self, size_average: bool | None = None, reduce: bool | None = None, reduction: str = "mean"
    ) -> None:
        super().__init__()
        if size_average is not None or reduce is not None:
            self.reduction = legacy_reduction_name(size_average, reduce)
        else:
            self.reduction = reduction


class _WeightedLoss(_Loss):
    def __init__(
        self,
        weight: Tensor | None = None,
        size_average: bool | None = None,
        reduce: bool | None = None,
        reduction: str = "mean",
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)


class MSELoss(_Loss):
    """Mean squared error: mean((input - target)²).

    >>> import minigrad
    >>> minigrad.nn.MSELoss()(minigrad.tensor([1.0, 3.0]), minigrad.tensor([0.0, 0.0]))
    tensor(5.)
    """

    def forward(self, input: Tensor, target: Tensor) -> Tensor:  # noqa: A002 - torch's name
        """``F.mse_loss(input, target, reduction=self.reduction)``.

        >>> import minigrad
        >>> minigrad.nn.MSELoss(reduction="sum").forward(minigrad.ones(2), minigrad.zeros(2))
        tensor(2.)
        """
        return F.mse_loss(input, target, reduction=self.reduction)


class L1Loss(_Loss):
    """Mean absolute error: mean(|input - target|).

    >>> import minigrad
    >>> minigrad.nn.L1Loss()(minigrad.tensor([1.0, -3.0]), minigrad.tensor([0.0, 0.0]))
    tensor(2.)
    """

    def forward(self, input: Tensor, target: Tensor) -> Tensor:  # noqa: A002
        """``F.l1_loss(input, target, reduction=self.reduction)``.

        >>> import minigrad
        >>> minigrad.nn.L1Loss(reduction="sum").forward(-minigrad.ones(2), minigrad.zeros(2))
        tensor(2.)
        """
        return F.l1_loss(input, target, reduction=self.reduction)


class BCELoss(_WeightedLoss):
    """Binary cross-entropy of probabilities in [0, 1] against targets in [0, 1].

    >>> import minigrad
    >>> minigrad.nn.BCELoss()(minigrad.tensor([0.5]), minigrad.tensor([1.0]))
    tensor(0.6931)
    """

    def forward(self, input: Tensor, target: Tensor) -> Tensor:  # noqa: A002
        """``F.binary_cross_entropy`` with this layer's weight and reduction.

        >>> import minigrad
        >>> minigrad.nn.BCELoss().forward(minigrad.tensor([0.5]), minigrad.tensor([0.0]))
        tensor(0.6931)
        """
        return F.binary_cross_entropy(input, target, weight=self.weight, reduction=self.reduction)


class BCEWithLogitsLoss(_Loss):
    """Binary cross-entropy of σ(input), computed stably from the logits.

    >>> import minigrad
    >>> minigrad.nn.BCEWithLogitsLoss()(minigrad.tensor([0.0]), minigrad.tensor([1.0]))
    tensor(0.6931)
    """

    def __init__(
        self,
        weight: Tensor | None = None,
        size_average: bool | None = None,
        reduce: bool | None = None,
        reduction: str = "mean",
        pos_weight: Tensor | None = None,
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)
        self.register_buffer("pos_weight", pos_weight)

    def forward(self, input: Tensor, target: Tensor) -> Tensor:  # noqa: A002
        """``F.binary_cross_entropy_with_logits`` with this layer's weights and reduction.

        >>> import minigrad
        >>> loss = minigrad.nn.BCEWithLogitsLoss(pos_weight=minigrad.tensor([2.0]))
        >>> loss.forward(minigrad.tensor([0.0]), minigrad.tensor([1.0]))
        tensor(1.3863)
        """
        return F.binary_cross_entropy_with_logits(
            input, target, self.weight, pos_weight=self.pos_weight, reduction=self.reduction
        )


class NLLLoss(_WeightedLoss):
    """Negative log-likelihood of log-probabilities (input) at class indices (target).

    >>> import minigrad
    >>> logp = minigrad.tensor([[-0.5, -1.0]])
    >>> minigrad.nn.NLLLoss()(logp, minigrad.tensor([1]))
    tensor(1.)
    """

    def __init__(
        self,
        weight: Tensor | None = None,
        size_average: bool | None = None,
        ignore_index: int = -100,
        reduce: bool | None = None,
        reduction: str = "mean",
    ) -> None:
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index = ignore_index

    def forward(self, input: Tensor, target: Tensor) -> Tensor:  # noqa: A002
        """``F.nll_loss`` with this layer's weight, ignore_index and reduction.

        >>> import minigrad
        >>> minigrad.nn.NLLLoss().forward(minigrad.tensor([[-0.1, -2.0]]), minigrad.tensor([0]))
        tensor(0.1000)
        """
        return F.nll_loss(
            input,
            target,
            weight=self.weight,
            ignore_index=self.ignore_index,
            reduction=self.reduction,
        )


class CrossEntropyLoss(_WeightedLoss):
    """Softmax cross-entropy of logits (input) against class indices or probabilities.

    >>> import minigrad
    >>> logits = minigrad.tensor([[2.0, 0.0, 0.0]])
    >>> minigrad.nn.CrossEntropyLoss()(logits, minigrad.tensor([0]))
    tensor(0.2395)
    """

    def __init__(
        self,
        weight: Tensor | None = None,
        size_average: bool | None = None,
        ignore_index: int = -100,
        reduce: bool | None = None,
        reduction: str = "mean",
        label_smoothing: float = 0.0,
    ) -> None:
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index = ignore_index
        self.label_smoothing = label_smoothing

    def forward(self, input: Tensor, target: Tensor) -> Tensor:  # noqa: A002
        """``F.cross_entropy`` with this layer's options.

        >>> import minigrad
        >>> ce = minigrad.nn.CrossEntropyLoss()
        >>> ce.forward(minigrad.tensor([[0.0, 0.0]]), minigrad.tensor([1]))
        tensor(0.6931)
        """
        return F.cross_entropy(
            input,
            target,
            weight=self.weight,
            ignore_index=self.ignore_index,
            reduction=self.reduction,
            label_smoothing=self.label_smoothing,
        )
