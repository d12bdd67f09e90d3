"""Activation layers: ``ReLU``, ``Sigmoid``, ``Tanh``, ``Softmax``, ``LogSoftmax``."""

from __future__ import annotations

from minigrad.nn import functional as F
from minigrad.nn.modules.module import Module
from minigrad.tensor import Tensor

__all__ = ["LogSoftmax", "ReLU", "Sigmoid", "Softmax", "Tanh"]


class ReLU(Module):
    """max(x, 0) elementwise.

    >>> import minigrad
    >>> minigrad.nn.ReLU()(minigrad.tensor([-1.0, 2.0]))
    tensor([0., 2.])
    """

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002 - torch's name
        """max(input, 0) (written into ``input`` when ``inplace``).

        >>> import minigrad
        >>> minigrad.nn.ReLU().forward(minigrad.tensor([-2.0, 3.0]))
        tensor([0., 3.])
        """
        return F.relu(input, inplace=self.inplace)

    def extra_repr(self) -> str:
        """'inplace=True' or nothing, as in the printed layer.

        >>> import minigrad
        >>> minigrad.nn.ReLU(inplace=True)
        ReLU(inplace=True)
        """
        return "inplace=True" if self.inplace else ""


class Sigmoid(Module):
    """1 / (1 + exp(-x)) elementwise.

    >>> import minigrad
    >>> minigrad.nn.Sigmoid()(minigrad.tensor([0.0]))
    tensor([0.5000])
    """

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        """σ(input) elementwise.

        >>> import minigrad
        >>> minigrad.nn.Sigmoid().forward(minigrad.tensor([0.0]))
        tensor([0.5000])
        """
        return input.sigmoid()


class Tanh(Module):
    """tanh(x) elementwise.

    >>> import minigrad
    >>> minigrad.nn.Tanh()(minigrad.tensor([0.0]))
    tensor([0.])
    """

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        """tanh(input) elementwise.

        >>> import minigrad
        >>> minigrad.nn.Tanh().forward(minigrad.tensor([0.0]))
        tensor([0.])
        """
        return input.tanh()


class _AlongDim(Module):
    """What ``Softmax`` and ``LogSoftmax`` share: the ``dim`` they work along, and its printing.

    >>> import minigrad
    >>> minigrad.nn.Softmax(dim=1), minigrad.nn.LogSoftmax(dim=0).dim
    (Softmax(dim=1), 0)
    """

    def __init__(self, dim: int | None = None) -> None:
        super().__init__()
        self.dim = dim

    def extra_repr(self) -> str:
        """'dim=...', as in the printed layer.

        >>> import minigrad
        >>> minigrad.nn.LogSoftmax(dim=1)
        LogSoftmax(dim=1)
        """
        return f"dim={self.dim}"


class Softmax(_AlongDim):
    """exp(x) / sum(exp(x)) along ``dim``.

    >>> import minigrad
    >>> minigrad.nn.Softmax(dim=0)(minigrad.tensor([0.0, 0.0]))
    tensor([0.5000, 0.5000])
    """

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        """softmax(input) along ``dim``.

        >>> import minigrad
        >>> minigrad.nn.Softmax(0).forward(minigrad.tensor([1.0, 1.0]))
        tensor([0.5000, 0.5000])
        """
        return F.softmax(input, self.dim)


class LogSoftmax(_AlongDim):
    """log(softmax(x)) along ``dim``.

    >>> import minigrad
    >>> minigrad.nn.LogSoftmax(dim=0)(minigrad.tensor([0.0, 0.0]))
    tensor([-0.6931, -0.6931])
    """

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        """log(softmax(input)) along ``dim``.

        >>> import minigrad
        >>> minigrad.nn.LogSoftmax(0).forward(minigrad.tensor([1.0, 1.0]))
        tensor([-0.6931, -0.6931])
        """
        return F.log_softmax(input, self.dim)
