"""``Linear`` (y = x Wᵀ + b) and ``Identity``."""

from __future__ import annotations

import math
from typing import Any

from minigrad.creation import empty
from minigrad.nn import functional as F
from minigrad.nn import init
from minigrad.nn.modules.module import Module
from minigrad.nn.parameter import Parameter
from minigrad.tensor import Tensor

__all__ = ["Identity", "Linear"]


class Identity(Module):
    """Returns its input unchanged (a placeholder layer).

    >>> import minigrad
    >>> minigrad.nn.Identity()(minigrad.ones(2))
    tensor([1., 1.])
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__()

    def forward(self, input: Any) -> Any:  # noqa: A002 - torch's name
        """``input`` itself.

        >>> import minigrad
        >>> x = minigrad.ones(1)
        >>> minigrad.nn.Identity().forward(x) is x
        True
        """
        return input


class Linear(Module):
    """y = x Wᵀ + b, with W of shape (out_features, in_features).

    Initialized as PyTorch does: W ~ U(-1/√in, 1/√in) (``kaiming_uniform_`` with a = √5) and
    b ~ U(-1/√in, 1/√in), drawn from minigrad's generator.

    >>> import minigrad
    >>> layer = minigrad.nn.Linear(8, 16)
    >>> layer
    Linear(in_features=8, out_features=16, bias=True)
    >>> layer(minigrad.ones(4, 8)).shape
    torch.Size([4, 16])
    """

    def __init__(
        self,
        in_features: int,
        out_features: int,
        bias: bool = True,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        self.in_features = in_features
        self.out_features = out_features
        self.weight = Parameter(empty(out_features, in_features, dtype=dtype, device=device))
        if bias:
            self.bias = Parameter(empty(out_features, dtype=dtype, device=device))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Draw new initial weights (PyTorch's default initialization).

        >>> import minigrad
        >>> layer = minigrad.nn.Linear(4, 2)
        >>> layer.reset_parameters()
        >>> bool((layer.weight.abs() <= 0.5).all())  # within ±1/√in_features
        True
        """
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in, _ = init._calculate_fan_in_and_fan_out(self.weight)
            bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        """input Wᵀ + b (``AddmmBackward0`` for a batch, as in PyTorch).

        >>> import minigrad
        >>> layer = minigrad.nn.Linear(3, 2)
        >>> layer.forward(minigrad.ones(4, 3)).grad_fn.name()
        'AddmmBackward0'
        """
        return F.linear(input, self.weight, self.bias)

    def extra_repr(self) -> str:
        """The sizes and whether there is a bias, as in the printed layer.

        >>> import minigrad
        >>> minigrad.nn.Linear(3, 2, bias=False).extra_repr()
        'in_features=3, out_features=2, bias=False'
        """
        return (
            f"in_features={self.in_features}, out_features={self.out_features}, "
            f"bias={self.bias is not None}"
        )
