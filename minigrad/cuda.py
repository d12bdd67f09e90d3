"""``minigrad.cuda``: there is no GPU in minigrad, so lessons take their CPU branch.

>>> import minigrad
>>> minigrad.cuda.is_available(), minigrad.cuda.device_count()
(False, 0)
"""

from __future__ import annotations

__all__ = ["device_count", "is_available", "manual_seed", "manual_seed_all"]


def is_available() -> bool:
    """False: minigrad computes on the CPU only.

    >>> import minigrad
    >>> device = "cuda" if minigrad.cuda.is_available() else "cpu"
    >>> device
    'cpu'
    """
    return False


def device_count() -> int:
    """0: there are no CUDA devices.

    >>> import minigrad
    >>> minigrad.cuda.device_count()
    0
    """
    return 0


def manual_seed(seed: int) -> None:
    """Does nothing, as in a CPU-only PyTorch (there is no CUDA generator to seed).

    >>> import minigrad
    >>> minigrad.cuda.manual_seed(0)
    """


def manual_seed_all(seed: int) -> None:
    """Does nothing, as in a CPU-only PyTorch (there are no CUDA generators to seed).

    >>> import minigrad
    >>> minigrad.cuda.manual_seed_all(0)
    """
