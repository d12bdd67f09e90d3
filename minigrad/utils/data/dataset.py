"""``Dataset`` (what a ``DataLoader`` reads: ``dataset[i]`` and ``len(dataset)``) and
``TensorDataset`` (samples cut from tensors along their first dimension)."""

from __future__ import annotations

from typing import Any

from minigrad.tensor import Tensor

__all__ = ["Dataset", "TensorDataset"]


class Dataset:
    """Base class of map-style datasets: subclass it and write ``__getitem__`` and ``__len__``.

    >>> from minigrad.utils.data import Dataset
    >>> class Squares(Dataset):
    ...     def __len__(self):
    ...         return 4
    ...     def __getitem__(self, i):
    ...         return i * i
    >>> Squares()[3], len(Squares())
    (9, 4)
    """

    def __getitem__(self, index: Any) -> Any:
        raise NotImplementedError("Subclasses of Dataset should implement __getitem__.")


class TensorDataset(Dataset):
    """Sample i is ``(t[i] for t in tensors)``: tensors with the same first dimension.

    >>> import minigrad
    >>> from minigrad.utils.data import TensorDataset
    >>> data = TensorDataset(minigrad.tensor([[1.0, 2.0], [3.0, 4.0]]), minigrad.tensor([0, 1]))
    >>> data[1], len(data)
    ((tensor([3., 4.]), tensor(1)), 2)
    """

    def __init__(self, *tensors: Tensor) -> None:
        # torch checks this with an assert: the same error type and words, raised plainly.
        if any(tensors[0].size(0) != t.size(0) for t in tensors):
            raise AssertionError("Size mismatch between tensors")
        self.tensors = tensors

    def __getitem__(self, index: Any) -> tuple[Tensor, ...]:
        return tuple(t[index] for t in self.tensors)

    def __len__(self) -> int:
        return self.tensors[0].size(0)
