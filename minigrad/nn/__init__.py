"""``minigrad.nn``: layers (``Module`` and its subclasses), ``Parameter``, ``init`` and
``functional``, as ``torch.nn``.

>>> import minigrad
>>> from minigrad import nn
>>> layer = nn.Linear(3, 2)
>>> [name for name, _ in layer.named_parameters()]
['weight', 'bias']
>>> nn.functional.relu(minigrad.tensor([-1.0, 2.0]))
tensor([0., 2.])
"""

# Tensor (with its operations) first: the layers build on it, whatever imports nn first.
import minigrad.tensor  # noqa: F401
from minigrad.nn import functional, init, modules
from minigrad.nn.modules import (
    BatchNorm1d,
    BCELoss,
    BCEWithLogitsLoss,
    CrossEntropyLoss,
    Dropout,
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
