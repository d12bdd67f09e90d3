"""``minigrad.utils``: helpers around training, as ``torch.utils`` (``data``: datasets and
loaders).

>>> import minigrad
>>> from minigrad.utils.data import DataLoader, TensorDataset
>>> len(DataLoader(TensorDataset(minigrad.ones(10, 2)), batch_size=4))
3
"""

from minigrad.utils import data

__all__ = ["data"]
