"""``minigrad.backends.cudnn``: NVIDIA's cuDNN, absent as in a CPU-only PyTorch.

Lessons that ask for repeatable runs set ``deterministic`` and ``benchmark``; the flags are
kept (minigrad is deterministic on the CPU either way).

>>> import minigrad
>>> minigrad.backends.cudnn.deterministic = True
>>> minigrad.backends.cudnn.benchmark = False
>>> minigrad.backends.cudnn.is_available(), minigrad.backends.cudnn.version()
(False, None)
>>> minigrad.backends.cudnn.deterministic = False  # (back to the default)
"""

from __future__ import annotations

__all__ = ["benchmark", "deterministic", "enabled", "is_available", "version"]

# The settings torch keeps here, with their defaults.
enabled = True
deterministic = False
benchmark = False


def is_available() -> bool:
    """False: minigrad has no cuDNN.

    >>> import minigrad
    >>> minigrad.backends.cudnn.is_available()
    False
    """
    return False


def version() -> None:
    """None: there is no cuDNN library, as in a CPU-only PyTorch.

    >>> import minigrad
    >>> minigrad.backends.cudnn.version() is None
    True
    """
    return None
