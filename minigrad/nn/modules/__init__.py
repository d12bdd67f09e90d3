"""The layers of ``minigrad.nn``, one file per family, as in ``torch.nn.modules``."""

from minigrad.nn.modules.activation import LogSoftmax, ReLU, Sigmoid, Softmax, Tanh
from minigrad.nn.modules.batchnorm import BatchNorm1d
from minigrad.nn.modules.container import ModuleList, Sequential
from minigrad.nn.modules.dropout import Dropout
from minigrad.nn.modules.flatten import Flatten
from minigrad.nn.modules.linear import Identity, Linear
from minigrad.nn.modules.loss import (
    BCELoss,
    BCEWithLogitsLoss,
    CrossEntropyLoss,
    L1Loss,
    MSELoss,
    NLLLoss,
)
from minigrad.nn.modules.module import Module

__all__ = [
    "BatchNorm1d",
    "BCELoss",
    "BCEWithLogitsLoss",
    "CrossEntropyLoss",
    "Dropout",
    "Flatten",
    "Identity",
    "L1Loss",
    "Linear",
    "LogSoftmax",
    "Module",
    "ModuleList",
    "MSELoss",
    "NLLLoss",
    "ReLU",
    "Sequential",
    "Sigmoid",
    "Softmax",
    "Tanh",
]
