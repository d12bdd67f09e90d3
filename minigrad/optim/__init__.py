"""``minigrad.optim``: optimizers that update parameters from their gradients.

>>> import minigrad
>>> from minigrad import nn, optim
>>> model = nn.Linear(3, 1)
>>> opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
>>> loss = model(minigrad.ones(4, 3)).pow(2).mean()
>>> opt.zero_grad()
>>> loss.backward()
>>> opt.step()
"""

from minigrad.optim.adagrad import Adagrad
from minigrad.optim.adam import Adam, AdamW
from minigrad.optim.optimizer import Optimizer
from minigrad.optim.rmsprop import RMSprop
from minigrad.optim.sgd import SGD

__all__ = ["SGD", "Adagrad", "Adam", "AdamW", "Optimizer", "RMSprop"]
