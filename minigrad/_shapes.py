"""Shapes as PyTorch writes and checks them (no tensors here: every layer may use this module).

>>> size_list((2, 3)), torch_size((2, 3))
('[2, 3]', 'torch.Size([2, 3])')
>>> expandable_to((3,), (2, 3)), expandable_to((2,), (2, 3))
(True, False)
"""

from __future__ import annotations


def size_list(shape: tuple[int, ...]) -> str:
    """A shape as PyTorch's messages write it: ``[2, 3]``."""
    return "[" + ", ".join(str(n) for n in shape) + "]"


def torch_size(shape: tuple[int, ...]) -> str:
    """A shape as ``torch.Size`` prints: ``torch.Size([2, 3])``."""
    return f"torch.Size({size_list(shape)})"


def expandable_to(shape: tuple[int, ...], target: tuple[int, ...]) -> bool:
    """True when an array of ``shape`` broadcasts to ``target`` (``target`` is not changed)."""
    if len(shape) > len(target):
        return False
    for small, big in zip(reversed(shape), reversed(target)):  # (a loop: no generator to make)
        if small != 1 and small != big:
            return False
    return True
