"""``Dropout``: random zeros during training, the identity in evaluation."""

from __future__ import annotations

from minigrad.nn import functional as F
from minigrad.nn.modules.module import Module
from minigrad.tensor import Tensor

__all__ = ["Dropout"]


class Dropout(Module):
    """In training, each element is zeroed with probability ``p`` and the others are scaled
    by 1 / (1 - p); in evaluation the input passes unchanged. See ``nn.functional.dropout``.

    >>> import minigrad
    >>> drop = minigrad.nn.Dropout(p=0.5)
    >>> drop
    Dropout(p=0.5, inplace=False)
    >>> x = minigrad.ones(4)
    >>> drop.eval()(x) is x
    True
    """

    def __init__(self, p: float = 0.5, inplace: bool = False) -> None:
        super().__init__()
        if p < 0 or p > 1:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p = p
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002 - torch's name
        """The input with dropout applied in training mode.

        >>> import minigrad
        >>> _ = minigrad.manual_seed(0)
        >>> y = minigrad.nn.Dropout(p=0.5)(minigrad.ones(6))
        >>> sorted(set(y.tolist()))
        [0.0, 2.0]
        """
        return F.dropout(input, self.p, self.training, self.inplace)

    def extra_repr(self) -> str:
        """``p`` and ``inplace``, as in the printed layer.

        >>> import minigrad
        >>> minigrad.nn.Dropout(0.2, inplace=True).extra_repr()
        'p=0.2, inplace=True'
        """
        return f"p={self.p}, inplace={self.inplace}"
