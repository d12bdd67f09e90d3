"""minigrad.utils.data against torch.utils.data: datasets, collation and the DataLoader's
batches (equal to torch's without shuffling; with shuffling, a permutation of the dataset,
repeatable with the same seed, since torch's generator is another algorithm).
"""

from __future__ import annotations

import warnings
from collections import namedtuple
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch

import minigrad
from tests._oracle import assert_same, assert_same_error, assert_same_outputs

Point = namedtuple("Point", "x y")


def _tensors(L: Any, n: int = 7) -> tuple[Any, Any]:
    x = L.tensor(np.arange(n * 3, dtype=np.float32).reshape(n, 3) / 4)
    y = L.tensor(np.arange(n) % 3)
    return x, y


def test_tensor_dataset_items_and_length() -> None:
    m_data, t_data = (
        minigrad.utils.data.TensorDataset(*_tensors(minigrad)),
        torch.utils.data.TensorDataset(*_tensors(torch)),
    )
    assert len(m_data) == len(t_data) == 7
    for index in (0, 3, -1, slice(1, 4)):
        assert_same_outputs(m_data[index], t_data[index])
    assert repr(m_data[2]) == repr(t_data[2])


def test_tensor_dataset_refuses_tensors_of_different_lengths() -> None:
    def make(L: Any) -> Any:
        return L.utils.data.TensorDataset(L.ones(3, 2), L.ones(4))

    assert_same_error(lambda: make(minigrad), lambda: make(torch))


def test_dataset_base_class() -> None:
    assert_same_error(
        lambda: minigrad.utils.data.Dataset()[0], lambda: torch.utils.data.Dataset()[0]
    )
    assert_same_error(
        lambda: len(minigrad.utils.data.Dataset()), lambda: len(torch.utils.data.Dataset())
    )


def _subclass(L: Any) -> Any:
    class Squares(L.utils.data.Dataset):
        def __len__(self) -> int:
            return 5

        def __getitem__(self, i: int) -> Any:
            return L.full((2,), float(i * i)), i, float(i) / 2, {"name": str(i), "even": i % 2 == 0}

    return Squares()


LOADERS: dict[str, Callable[[Any], Any]] = {
    "batch_2": lambda L: L.utils.data.DataLoader(L.utils.data.TensorDataset(*_tensors(L)), 2),
    "batch_3_drop_last": lambda L: L.utils.data.DataLoader(
        L.utils.data.TensorDataset(*_tensors(L)), batch_size=3, drop_last=True
    ),
    "batch_1": lambda L: L.utils.data.DataLoader(L.utils.data.TensorDataset(*_tensors(L))),
    "batch_larger_than_data": lambda L: L.utils.data.DataLoader(
        L.utils.data.TensorDataset(*_tensors(L)), batch_size=10
    ),
    "no_batching": lambda L: L.utils.data.DataLoader(
        L.utils.data.TensorDataset(*_tensors(L)), batch_size=None
    ),
    "shuffle_false": lambda L: L.utils.data.DataLoader(
        L.utils.data.TensorDataset(*_tensors(L)), batch_size=4, shuffle=False
    ),
    "subclass": lambda L: L.utils.data.DataLoader(_subclass(L), batch_size=2),
    "list_of_floats": lambda L: L.utils.data.DataLoader([0.5, 1.5, 2.5], batch_size=2),
    "list_of_arrays": lambda L: L.utils.data.DataLoader(
        [np.ones(2, np.float32) * i for i in range(3)], batch_size=2
    ),
    "named_tuples": lambda L: L.utils.data.DataLoader(
        [Point(i, float(i)) for i in range(3)], batch_size=3
    ),
    "sampler": lambda L: L.utils.data.DataLoader([10, 11, 12, 13], batch_size=2, sampler=[3, 1, 2]),
    "batch_sampler": lambda L: L.utils.data.DataLoader(
        list(range(10)), batch_sampler=[[0, 5], [9], [1, 2, 3]]
    ),
    "collate_fn": lambda L: L.utils.data.DataLoader(
        [1.0, 2.0, 3.0], batch_size=2, collate_fn=lambda batch: batch
    ),
    "num_workers": lambda L: L.utils.data.DataLoader([1, 2, 3], batch_size=2, num_workers=0),
}


@pytest.mark.parametrize("name", list(LOADERS))
def test_batches_without_shuffling_are_torchs(name: str) -> None:
    m_loader, t_loader = LOADERS[name](minigrad), LOADERS[name](torch)
    assert len(m_loader) == len(t_loader)
    for _ in range(2):  # a loader can be read again
        m_batches, t_batches = list(m_loader), list(t_loader)
        assert len(m_batches) == len(t_batches)
        for m, t in zip(m_batches, t_batches):
            assert_same_outputs(_plain(m), _plain(t))
            assert repr(m) == repr(t)


def _plain(batch: Any) -> Any:
    """A batch with dicts and named tuples as lists (assert_same_outputs compares sequences)."""
    if isinstance(batch, dict):
        return [[key, _plain(value)] for key, value in batch.items()]
    if isinstance(batch, tuple) and hasattr(batch, "_fields"):
        return [type(batch).__name__, *map(_plain, batch)]
    if isinstance(batch, (list, tuple)):
        return type(batch)(_plain(b) for b in batch)
    return batch


COLLATE_CASES: dict[str, Callable[[Any], list[Any]]] = {
    "tensors": lambda L: [L.ones(2), L.zeros(2)],
    "0d_tensors": lambda L: [L.tensor(1.0), L.tensor(2.0)],
    "floats": lambda L: [1.5, 2.5],
    "ints": lambda L: [1, 2],
    "bools": lambda L: [True, False],
    "tuples": lambda L: [(1, 2.0), (3, 4.0)],
    "lists": lambda L: [[1, 2.0], [3, 4.0]],
    "dicts": lambda L: [{"a": 1, "b": L.ones(2)}, {"a": 2, "b": L.zeros(2)}],
    "strings": lambda L: ["a", "b"],
    "arrays": lambda L: [np.ones(2), np.zeros(2)],
    "numpy_float64": lambda L: [np.float64(1), np.float64(2)],
    "numpy_float32": lambda L: [np.float32(1), np.float32(2)],
    "nested": lambda L: [(L.ones(1), (1, "x")), (L.zeros(1), (2, "y"))],
}


@pytest.mark.parametrize("name", list(COLLATE_CASES))
def test_default_collate_is_torchs(name: str) -> None:
    m = minigrad.utils.data.default_collate(COLLATE_CASES[name](minigrad))
    t = torch.utils.data.default_collate(COLLATE_CASES[name](torch))
    assert_same_outputs(_plain(m), _plain(t))
    assert repr(m) == repr(t)


@pytest.mark.parametrize(
    "batch",
    [
        lambda L: [[1, 2], [3]],
        lambda L: [L.ones(2), L.ones(3)],
        lambda L: [object(), object()],
        lambda L: [],
    ],
)
def test_default_collate_refuses_what_torch_refuses(batch: Callable[[Any], list[Any]]) -> None:
    assert_same_error(
        lambda: minigrad.utils.data.default_collate(batch(minigrad)),
        lambda: torch.utils.data.default_collate(batch(torch)),
    )


@pytest.mark.parametrize(
    "options",
    [
        {"batch_size": 0},
        {"batch_size": -1},
        {"batch_size": 2.0},
        {"drop_last": 1},
        {"num_workers": -1},
        {"sampler": [0, 1], "shuffle": True},
        {"batch_sampler": [[0]], "batch_size": 2},
        {"batch_sampler": [[0]], "drop_last": True},
        {"batch_size": None, "drop_last": True},
    ],
    ids=str,
)
def test_dataloader_options_refused_as_torch(options: dict[str, Any]) -> None:
    assert_same_error(
        lambda: minigrad.utils.data.DataLoader([1, 2, 3], **options),
        lambda: torch.utils.data.DataLoader([1, 2, 3], **options),
    )


def test_a_dataset_without_len_is_refused_as_torch() -> None:
    def run(L: Any) -> Any:
        class NoLen(L.utils.data.Dataset):
            def __getitem__(self, i: int) -> int:
                return i

        return list(L.utils.data.DataLoader(NoLen(), batch_size=2))

    m_error = pytest.raises(TypeError, run, minigrad)
    t_error = pytest.raises(TypeError, run, torch)
    assert str(m_error.value) == str(t_error.value) == "object of type 'NoLen' has no len()"


# -- shuffling ---------------------------------------------------------------------------------


def _shuffled_rows(loader: Any) -> list[list[float]]:
    return [row for x, _ in loader for row in x.tolist()]


@pytest.mark.parametrize("drop_last", [False, True])
def test_shuffled_batches_are_a_permutation(drop_last: bool) -> None:
    x, y = _tensors(minigrad, 10)
    loader = minigrad.utils.data.DataLoader(
        minigrad.utils.data.TensorDataset(x, y), batch_size=4, shuffle=True, drop_last=drop_last
    )
    t_loader = torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(*_tensors(torch, 10)),
        batch_size=4,
        shuffle=True,
        drop_last=drop_last,
    )
    assert len(loader) == len(t_loader) == (2 if drop_last else 3)
    sizes = [len(b[0]) for b in loader]
    assert sizes == [len(b[0]) for b in t_loader]
    for _ in range(3):
        rows = _shuffled_rows(loader)
        if drop_last:
            assert len(rows) == 8 and len({tuple(r) for r in rows}) == 8
            assert all(r in x.tolist() for r in rows)
        else:
            assert sorted(rows) == x.tolist()
    # Samples stay whole: each row comes with its own label.
    for bx, by in loader:
        np.testing.assert_array_equal(by.numpy(), (bx.numpy()[:, 0] * 4 / 3).astype(int) % 3)


def test_shuffling_is_repeatable_with_a_seeded_generator() -> None:
    def epochs(seed: int) -> list[list[list[float]]]:
        generator = minigrad.Generator().manual_seed(seed)
        data = minigrad.utils.data.TensorDataset(*_tensors(minigrad, 20))
        loader = minigrad.utils.data.DataLoader(data, 5, shuffle=True, generator=generator)
        return [_shuffled_rows(loader) for _ in range(3)]

    first, again, other = epochs(0), epochs(0), epochs(1)
    assert first == again
    assert first != other
    assert first[0] != first[1]  # a new order each epoch
    in_order = _tensors(minigrad, 20)[0].tolist()
    assert all(sorted(epoch) == in_order for epoch in first)
    assert first[0] != in_order


def test_shuffling_is_repeatable_with_the_global_seed() -> None:
    def epochs(seed: int) -> list[list[list[float]]]:
        minigrad.manual_seed(seed)
        data = minigrad.utils.data.TensorDataset(*_tensors(minigrad, 20))
        loader = minigrad.utils.data.DataLoader(data, batch_size=6, shuffle=True)
        return [_shuffled_rows(loader) for _ in range(2)]

    assert epochs(3) == epochs(3)
    assert epochs(3) != epochs(4)


# -- a training loop ---------------------------------------------------------------------------


def test_a_training_loop_over_a_loader_matches_torch() -> None:
    rng = np.random.default_rng(0)
    features = rng.standard_normal((12, 3)).astype(np.float32)
    targets = features @ np.array([1.0, -2.0, 0.5], np.float32) + 0.25
    weight = rng.standard_normal((1, 3)).astype(np.float32)

    def train(L: Any) -> Any:
        model = L.nn.Linear(3, 1)
        with L.no_grad():
            model.weight.copy_(L.tensor(weight))
            model.bias.zero_()
        data = L.utils.data.TensorDataset(L.tensor(features), L.tensor(targets).unsqueeze(1))
        loader = L.utils.data.DataLoader(data, batch_size=5)
        opt = L.optim.SGD(model.parameters(), lr=0.1)
        for _ in range(3):
            for x, y in loader:
                opt.zero_grad()
                loss = L.nn.functional.mse_loss(model(x), y)
                loss.backward()
                opt.step()
        return model.weight, loss

    (m_w, m_loss), (t_w, t_loss) = train(minigrad), train(torch)
    assert_same(m_w, t_w)
    assert_same(m_loss, t_loss)


# -- splitting and sampling --------------------------------------------------------------------


def test_subset_reads_the_chosen_samples_as_torch() -> None:
    def run(L: Any) -> Any:
        data = L.utils.data.TensorDataset(*_tensors(L))
        part = L.utils.data.Subset(data, [4, 0, 2])
        loader = L.utils.data.DataLoader(part, batch_size=2)
        return len(part), part[1], [list(b) for b in loader]

    m, t = run(minigrad), run(torch)
    assert m[0] == t[0]
    assert_same_outputs(m[1], t[1])
    assert_same_outputs(m[2], t[2])


@pytest.mark.parametrize(
    "lengths", [[7, 3], [3, 3, 4], [0.8, 0.2], [0.3, 0.3, 0.4], [1 / 3, 1 / 3, 1 / 3]], ids=str
)
def test_random_split_sizes_are_torchs_and_the_split_a_partition(lengths: list[float]) -> None:
    generator = minigrad.Generator().manual_seed(0)
    parts = minigrad.utils.data.random_split(range(10), lengths, generator)
    t_parts = torch.utils.data.random_split(range(10), lengths, torch.Generator().manual_seed(0))
    assert [len(p) for p in parts] == [len(p) for p in t_parts]
    assert sorted(x for p in parts for x in p) == list(range(10))
    again = minigrad.utils.data.random_split(range(10), lengths, generator.manual_seed(0))
    assert [list(p) for p in again] == [list(p) for p in parts]


def test_random_split_with_the_global_seed() -> None:
    minigrad.manual_seed(5)
    first = [list(p) for p in minigrad.utils.data.random_split(range(20), [15, 5])]
    minigrad.manual_seed(5)
    assert [list(p) for p in minigrad.utils.data.random_split(range(20), [15, 5])] == first
    assert first[0] != list(range(15))


@pytest.mark.parametrize("lengths", [[3, 3], [0.5, 0.6], [1.5, -0.5]], ids=str)
def test_random_split_refuses_what_torch_refuses(lengths: list[float]) -> None:
    assert_same_error(
        lambda: minigrad.utils.data.random_split(range(10), lengths),
        lambda: torch.utils.data.random_split(range(10), lengths),
    )


def test_random_split_warns_of_an_empty_split_as_torch() -> None:
    caught = []
    for L in (minigrad, torch):
        with warnings.catch_warnings(record=True) as record:
            warnings.simplefilter("always")
            L.utils.data.random_split(range(2), [0.9, 0.1, 0.0])
        caught.append([(w.category, str(w.message)) for w in record])
    assert caught[0] == caught[1] and caught[0]


@pytest.mark.parametrize(
    "options",
    [{"replacement": True}, {"replacement": True, "num_samples": 25}, {"num_samples": 13}],
    ids=str,
)
def test_random_sampler_counts_as_torch(options: dict[str, Any]) -> None:
    m = minigrad.utils.data.RandomSampler(range(6), generator=minigrad.Generator(), **options)
    t = torch.utils.data.RandomSampler(range(6), generator=torch.Generator(), **options)
    m_indices, t_indices = list(m), list(t)
    assert len(m) == len(t) == len(m_indices) == len(t_indices)
    assert all(0 <= i < 6 for i in m_indices)
    if not options.get("replacement"):  # whole permutations first
        assert sorted(m_indices[:6]) == sorted(m_indices[6:12]) == list(range(6))


@pytest.mark.parametrize("options", [{"num_samples": 0}, {"replacement": 1}], ids=str)
def test_random_sampler_refuses_what_torch_refuses(options: dict[str, Any]) -> None:
    assert_same_error(
        lambda: minigrad.utils.data.RandomSampler(range(6), **options),
        lambda: torch.utils.data.RandomSampler(range(6), **options),
    )
