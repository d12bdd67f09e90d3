"""``minigrad.nn``: layers (``Module`` and its subclasses), ``Parameter``, ``init`` and
``functional``, as ``torch.nn``.

>>> from minigrad import nn
>>> nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 1))
Sequential(
  (0): Linear(in_features=8, out_features=16, bias=True)
  (1): ReLU()
  (2): Linear(in_features=16, out_features=1, bias=True)
)
"""

# Tensor (with its operations) first: the layers build on it, whatever imports nn first.
import minigrad.tensor  # noqa: F401
from minigrad.nn import functional, init, modules
from minigrad.nn.modules import (
    BCELoss,
    BCEWithLogitsLoss,
    CrossEntropyLoss,
    Flatten,
    Identity,
    L1Loss,
    Linear,
    LogSoftmax,
    Module,
    ModuleList,
    MSELoss,
    NLLLoss,
    ReLU,
    Sequential,
    Sigmoid,
    Softmax,
    Tanh,
)
from minigrad.nn.parameter import Parameter

# The layers re-exported here are those listed in ``minigrad.nn.modules.__all__``.
__all__ = [*modules.__all__, "Parameter", "functional", "init"]
