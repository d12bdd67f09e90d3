"""``BatchNorm1d``: each feature normalized over the batch, with running statistics for
evaluation."""

from __future__ import annotations

from typing import Any

from minigrad import _dtype
from minigrad.creation import empty, ones, tensor, zeros
from minigrad.nn import functional as F
from minigrad.nn import init
from minigrad.nn.modules.module import Module
from minigrad.nn.parameter import Parameter
from minigrad.tensor import Tensor

__all__ = ["BatchNorm1d"]


class BatchNorm1d(Module):
    """Normalize each of ``num_features`` channels of a (N, C) or (N, C, L) input.

    In training: by the batch's mean and (biased) variance, and the buffers ``running_mean``
    and ``running_var`` move towards the batch's mean and unbiased variance by ``momentum``
    (``momentum=None``: a plain average over the ``num_batches_tracked`` batches). In
    evaluation: by the running statistics. Then ``weight`` scales and ``bias`` shifts
    (``affine=True``). See ``nn.functional.batch_norm``.

    >>> import minigrad
    >>> bn = minigrad.nn.BatchNorm1d(2)
    >>> bn
    BatchNorm1d(2, eps=1e-05, momentum=0.1, affine=True, bias=True, track_running_stats=True)
    >>> bn(minigrad.tensor([[1.0, 10.0], [3.0, 30.0]]))
    tensor([[-1.0000, -1.0000],
            [ 1.0000,  1.0000]], grad_fn=<NativeBatchNormBackward0>)
    >>> bn.running_mean, bn.num_batches_tracked
    (tensor([0.2000, 2.0000]), tensor(1))
    """

    def __init__(
        self,
        num_features: int,
        eps: float = 1e-5,
        momentum: float | None = 0.1,
        affine: bool = True,
        track_running_stats: bool = True,
        device: Any = None,
        dtype: Any = None,
        *,
        bias: bool = True,
    ) -> None:
        super().__init__()
        self.num_features = num_features
        self.eps = eps
        self.momentum = momentum
        self.affine = affine
        self.track_running_stats = track_running_stats
        if affine:
            self.weight = Parameter(empty(num_features, dtype=dtype, device=device))
            if bias:
                self.bias = Parameter(empty(num_features, dtype=dtype, device=device))
            else:
                self.register_parameter("bias", None)
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)
        if track_running_stats:
            self.register_buffer("running_mean", zeros(num_features, dtype=dtype, device=device))
            self.register_buffer("running_var", ones(num_features, dtype=dtype, device=device))
            self.register_buffer("num_batches_tracked", tensor(0, dtype=_dtype.int64))
        else:
            self.register_buffer("running_mean", None)
            self.register_buffer("running_var", None)
            self.register_buffer("num_batches_tracked", None)
        self.reset_parameters()

    def reset_running_stats(self) -> None:
        """Running mean 0, running variance 1, no batch tracked.

        >>> import minigrad
        >>> bn = minigrad.nn.BatchNorm1d(1)
        >>> _ = bn(minigrad.tensor([[1.0], [2.0]]))
        >>> bn.reset_running_stats()
        >>> bn.running_mean, bn.num_batches_tracked
        (tensor([0.]), tensor(0))
        """
        if self.track_running_stats:
            self.running_mean.zero_()
            self.running_var.fill_(1)
            self.num_batches_tracked.zero_()

    def reset_parameters(self) -> None:
        """Running statistics reset, weight 1 and bias 0.

        >>> import minigrad
        >>> minigrad.nn.BatchNorm1d(2).weight
        Parameter containing:
        tensor([1., 1.], requires_grad=True)
        """
        self.reset_running_stats()
        if self.affine:
            init.ones_(self.weight)
            if self.bias is not None:
                init.zeros_(self.bias)

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002 - torch's name
        """The normalized input (``NativeBatchNormBackward0``).

        >>> import minigrad
        >>> bn = minigrad.nn.BatchNorm1d(1).eval()
        >>> bn(minigrad.tensor([[4.0], [6.0]]))  # eval: running mean 0, running variance 1
        tensor([[4.0000],
                [6.0000]], grad_fn=<NativeBatchNormBackward0>)
        """
        if input.dim() not in (2, 3):
            raise ValueError(f"expected 2D or 3D input (got {input.dim()}D input)")
        momentum = 0.0 if self.momentum is None else self.momentum
        counting = self.training and self.track_running_stats
        if counting and self.momentum is None:  # a plain average over the batches seen
            momentum = 1.0 / float(self.num_batches_tracked.item() + 1)
        use_batch = self.training or (self.running_mean is None and self.running_var is None)
        track = not self.training or self.track_running_stats
        output = F.batch_norm(
            input,
            self.running_mean if track else None,
            self.running_var if track else None,
            self.weight,
            self.bias,
            use_batch,
            momentum,
            self.eps,
        )
        if counting:  # (after the checks of batch_norm: a refused batch is not counted)
            self.num_batches_tracked.add_(1)
        return output

    def extra_repr(self) -> str:
        """The options, as in the printed layer.

        >>> import minigrad
        >>> minigrad.nn.BatchNorm1d(4, momentum=None, affine=False).extra_repr()
        '4, eps=1e-05, momentum=None, affine=False, bias=False, track_running_stats=True'
        """
        return (
            f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, "
            f"affine={self.affine}, bias={self.bias is not None}, "
            f"track_running_stats={self.track_running_stats}"
        )
