"""``minigrad.backends.mps``: Apple's Metal GPUs, which minigrad does not use.

>>> import minigrad
>>> minigrad.backends.mps.is_available(), minigrad.backends.mps.is_built()
(False, False)
"""

from __future__ import annotations

__all__ = ["is_available", "is_built"]


def is_available() -> bool:
    """False: minigrad computes on the CPU only.

    >>> import minigrad
    >>> minigrad.backends.mps.is_available()
    False
    """
    return False


def is_built() -> bool:
    """False: minigrad has no MPS backend.

    >>> import minigrad
    >>> minigrad.backends.mps.is_built()
    False
    """
    return False
