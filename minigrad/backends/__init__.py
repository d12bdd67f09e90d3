"""``minigrad.backends``: the hardware backends lessons ask about (``mps``, ``cudnn``), both
absent: minigrad computes on the CPU.

>>> import minigrad
>>> minigrad.backends.mps.is_available(), minigrad.backends.cudnn.is_available()
(False, False)
"""

from minigrad.backends import cudnn, mps

__all__ = ["cudnn", "mps"]
