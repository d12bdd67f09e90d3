"""``minigrad.nn``: the functional interface (modules are added in ``minigrad.nn.modules``)."""

from minigrad.nn import functional

__all__ = ["functional"]
