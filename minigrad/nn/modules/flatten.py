"""``Flatten``: merge dimensions start_dim..end_dim into one."""

from __future__ import annotations

from minigrad.nn.modules.module import Module
from minigrad.tensor import Tensor

__all__ = ["Flatten"]


class Flatten(Module):
    """Flatten dimensions ``start_dim`` to ``end_dim`` (by default all but the batch dimension).

    >>> import minigrad
    >>> minigrad.nn.Flatten()(minigrad.ones(4, 2, 3)).shape
    torch.Size([4, 6])
    """

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        super().__init__()
        self.start_dim = start_dim
        self.end_dim = end_dim

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002 - torch's name
        """``input.flatten(start_dim, end_dim)``.

        >>> import minigrad
        >>> minigrad.nn.Flatten(0).forward(minigrad.ones(2, 3)).shape
        torch.Size([6])
        """
        return input.flatten(self.start_dim, self.end_dim)

    def extra_repr(self) -> str:
        """'start_dim=..., end_dim=...', as in the printed layer.

        >>> import minigrad
        >>> minigrad.nn.Flatten()
        Flatten(start_dim=1, end_dim=-1)
        """
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"
