"""``minigrad.backends``: which hardware backends there are (only ``mps``, which is absent).

>>> import minigrad
>>> minigrad.backends.mps.is_available()
False
"""

from minigrad.backends import mps

__all__ = ["mps"]
