"""``Dataset`` (what a ``DataLoader`` reads: ``dataset[i]`` and ``len(dataset)``),
``TensorDataset`` (samples cut from tensors along their first dimension), ``Subset`` and
``random_split`` (a dataset split at random, e.g. into training and validation sets)."""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from typing import Any

from minigrad.random import Generator, default_generator
from minigrad.tensor import Tensor

__all__ = ["Dataset", "Subset", "TensorDataset", "random_split"]


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


class Subset(Dataset):
    """The samples of ``dataset`` at ``indices``, in that order.

    >>> from minigrad.utils.data import Subset
    >>> part = Subset(["a", "b", "c", "d"], [3, 0])
    >>> part[0], len(part)
    ('d', 2)
    """

    def __init__(self, dataset: Any, indices: Sequence[int]) -> None:
        self.dataset = dataset
        self.indices = indices

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, list):
            return self.dataset[[self.indices[i] for i in index]]
        return self.dataset[self.indices[index]]

    def __len__(self) -> int:
        return len(self.indices)


def random_split(
    dataset: Any, lengths: Sequence[float], generator: Generator | None = default_generator
) -> list[Subset]:
    """``dataset`` cut at random into non-overlapping subsets of the given lengths, or of the
    given fractions of its length (rounded down, the rest given out one by one).

    The permutation comes from minigrad's generator: the same seed gives the same split, but
    not PyTorch's.

    >>> import minigrad
    >>> from minigrad.utils.data import random_split
    >>> train, valid = random_split(range(10), [0.8, 0.2], minigrad.Generator().manual_seed(0))
    >>> len(train), len(valid), sorted(list(train) + list(valid)) == list(range(10))
    (8, 2, True)
    """
    if math.isclose(sum(lengths), 1) and sum(lengths) <= 1:
        counts = []
        for i, fraction in enumerate(lengths):
            if fraction < 0 or fraction > 1:
                raise ValueError(f"Fraction at index {i} is not between 0 and 1")
            counts.append(math.floor(len(dataset) * fraction))
        for i in range(len(dataset) - sum(counts)):  # the rest, one each in turn
            counts[i % len(counts)] += 1
        lengths = counts
        for i, length in enumerate(lengths):
            if length == 0:
                warnings.warn(
                    f"Length of split at index {i} is 0. This might result in an empty dataset.",
                    UserWarning,
                    stacklevel=2,
                )
    if sum(lengths) != len(dataset):
        raise ValueError("Sum of input lengths does not equal the length of the input dataset!")
    indices = (generator or default_generator).permutation(int(sum(lengths))).tolist()
    subsets, offset = [], 0
    for length in lengths:
        subsets.append(Subset(dataset, indices[offset : offset + int(length)]))
        offset += int(length)
    return subsets
