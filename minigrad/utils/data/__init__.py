"""``minigrad.utils.data``: datasets, samplers and the ``DataLoader`` that batches them.

>>> import minigrad
>>> from minigrad.utils.data import DataLoader, TensorDataset
>>> data = TensorDataset(minigrad.arange(6.0).reshape(3, 2), minigrad.tensor([0, 1, 0]))
>>> for x, y in DataLoader(data, batch_size=2):
...     print(x.shape, y)
torch.Size([2, 2]) tensor([0, 1])
torch.Size([1, 2]) tensor([0])
"""

from minigrad.utils.data.collate import default_collate, default_convert
from minigrad.utils.data.dataloader import DataLoader
from minigrad.utils.data.dataset import Dataset, Subset, TensorDataset, random_split
from minigrad.utils.data.sampler import BatchSampler, RandomSampler, Sampler, SequentialSampler

__all__ = [
    "BatchSampler",
    "DataLoader",
    "Dataset",
    "RandomSampler",
    "Sampler",
    "SequentialSampler",
    "Subset",
    "TensorDataset",
    "default_collate",
    "default_convert",
    "random_split",
]
