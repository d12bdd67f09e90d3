"""Shapes as PyTorch writes them (no tensors here: every layer may use this module).

>>> size_list((2, 3)), torch_size((2, 3))
('[2, 3]', 'torch.Size([2, 3])')
"""

from __future__ import annotations


def size_list(shape: tuple[int, ...]) -> str:
    """A shape as PyTorch's messages write it: ``[2, 3]``."""
    return "[" + ", ".join(str(n) for n in shape) + "]"


def torch_size(shape: tuple[int, ...]) -> str:
    """A shape as ``torch.Size`` prints: ``torch.Size([2, 3])``."""
    return f"torch.Size({size_list(shape)})"
