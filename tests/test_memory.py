"""Memory: graphs are freed by reference counting alone, and training does not grow.

Every test here runs with the cyclic garbage collector switched off: whatever minigrad
frees, it frees because nothing refers to it any more, not because a collector found a
cycle later. Weak references watch the graph's nodes and the arrays its nodes saved.
"""

from __future__ import annotations

import gc
import sys
import weakref
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

import minigrad
from minigrad.autograd.graph import AccumulateGrad
from minigrad.autograd.saved import SavedTensor


@pytest.fixture(autouse=True)
def no_cyclic_gc() -> Iterator[None]:
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _nodes(root: Any) -> list[Any]:
    """Every node reachable from ``root.grad_fn`` (explicit stack)."""
    found: list[Any] = []
    stack = [root.grad_fn]
    while stack:
        node = stack.pop()
        if node is None or any(node is n for n in found):
            continue
        found.append(node)
        stack.extend(n for n, _ in node.next_functions)
    return found


class Watch:
    """Weak references to a graph's nodes and to the arrays they saved (leaves excepted)."""

    def __init__(self, root: Any, leaves: list[Any]) -> None:
        nodes = [n for n in _nodes(root) if not isinstance(n, AccumulateGrad)]
        self.nodes = [weakref.ref(n) for n in nodes]
        self.accumulators = [weakref.ref(n) for n in _nodes(root) if isinstance(n, AccumulateGrad)]
        arrays = []
        for node in nodes:
            for saved in node._saved or ():
                if saved is None:
                    continue
                if isinstance(saved, SavedTensor):
                    array = saved.data if saved.tensor is None else saved.tensor._data
                elif isinstance(saved, np.ndarray):  # a wrapped number, kept as its array
                    array = saved
                else:  # an input kept as it is
                    array = saved._data
                if not any(array is leaf._data for leaf in leaves):
                    arrays.append(array)
        self.saved = [weakref.ref(a) for a in arrays]
        assert self.nodes and self.saved, "the graph under watch saves nothing"

    def alive(self, refs: list[weakref.ref]) -> int:
        return sum(r() is not None for r in refs)


def _graph(x: Any, w: Any) -> Any:
    h = (x @ w).tanh()
    return (h * h + h.exp() / (1 + x.sum())).sum()


def _leaves() -> tuple[Any, Any]:
    x = minigrad.tensor([[0.5, -1.0], [2.0, 0.25]], requires_grad=True)
    w = minigrad.tensor([[1.0, 0.5], [-0.5, 2.0]], requires_grad=True)
    return x, w


def test_saved_tensors_freed_when_backward_ends() -> None:
    x, w = _leaves()
    y = _graph(x, w)
    watch = Watch(y, [x, w])
    y.backward()
    assert watch.alive(watch.saved) == 0
    assert watch.alive(watch.nodes) == len(watch.nodes)  # y still holds its graph
    del y
    assert watch.alive(watch.nodes) == 0
    assert watch.alive(watch.accumulators) == 0
    assert x.grad is not None and w.grad is not None  # the leaves and their gradients stay


def test_retained_graph_freed_when_output_dropped() -> None:
    x, w = _leaves()
    y = _graph(x, w)
    watch = Watch(y, [x, w])
    y.backward(retain_graph=True)
    assert watch.alive(watch.saved) == len(watch.saved)
    y.backward()
    assert watch.alive(watch.saved) == 0
    y = _graph(x, w)
    watch = Watch(y, [x, w])
    y.backward(retain_graph=True)
    del y
    assert watch.alive(watch.saved) == 0
    assert watch.alive(watch.nodes) == 0


def test_graph_freed_when_output_dropped_without_backward() -> None:
    x, w = _leaves()
    y = _graph(x, w)
    watch = Watch(y, [x, w])
    del y
    assert watch.alive(watch.saved) == 0
    assert watch.alive(watch.nodes) == 0
    assert watch.alive(watch.accumulators) == 0


def test_autograd_grad_frees_saved_tensors() -> None:
    x, w = _leaves()
    y = _graph(x, w)
    watch = Watch(y, [x, w])
    gx, gw = minigrad.autograd.grad(y, [x, w])
    assert watch.alive(watch.saved) == 0
    del y, gx, gw
    assert watch.alive(watch.nodes) == 0


def test_graph_of_gradients_freed_with_the_gradients() -> None:
    x, w = _leaves()
    y = _graph(x, w)
    (gx,) = minigrad.autograd.grad(y, x, create_graph=True)
    outer = Watch(y, [x, w])
    inner = Watch(gx, [x, w])
    del y
    assert outer.alive(outer.nodes) > 0  # the gradient's graph still needs parts of it
    del gx
    assert inner.alive(inner.nodes) == 0 and inner.alive(inner.saved) == 0
    assert outer.alive(outer.nodes) == 0 and outer.alive(outer.saved) == 0


def test_saved_output_does_not_make_a_cycle() -> None:
    class Exp(minigrad.autograd.Function):
        @staticmethod
        def forward(ctx: Any, a: Any) -> Any:
            result = a.exp()
            ctx.save_for_backward(result)
            return result

        @staticmethod
        def backward(ctx: Any, grad: Any) -> Any:
            (result,) = ctx.saved_tensors
            return grad * result

    x = minigrad.tensor([0.5, 1.0], requires_grad=True)
    y = Exp.apply(x)
    z = y.sigmoid()  # sigmoid saves its output too
    node, saved = weakref.ref(y.grad_fn), weakref.ref(y._data)
    sig, sig_saved = weakref.ref(z.grad_fn), weakref.ref(z._data)
    del y, z
    assert node() is None and saved() is None
    assert sig() is None and sig_saved() is None


def test_retain_grad_and_hooks_make_no_cycle() -> None:
    x, w = _leaves()
    h = x @ w
    h.retain_grad()
    h.register_hook(lambda g: g * 2)
    x.register_hook(lambda g: g + 1)
    y = (h * h).sum()
    y.backward()
    assert h.grad is not None
    held = weakref.ref(h)
    node = weakref.ref(h.grad_fn)
    del h, y
    assert held() is None and node() is None


def test_inplace_history_freed() -> None:
    x, w = _leaves()
    h = x * w
    h.add_(1)
    h[0] = w[1] * 3
    h.mul_(2)
    y = (h * h).sum()
    watch = Watch(y, [x, w])
    del h, y
    assert watch.alive(watch.nodes) == 0 and watch.alive(watch.saved) == 0


def test_leaf_and_its_accumulator_do_not_keep_each_other() -> None:
    x = minigrad.tensor([1.0, 2.0], requires_grad=True)
    y = x * 3
    acc = weakref.ref(y.grad_fn.next_functions[0][0])
    leaf = weakref.ref(x)
    del y
    assert acc() is None
    del x
    assert leaf() is None


def test_training_steps_make_no_cyclic_garbage() -> None:
    model = _MLP(seed=1)
    for _ in range(20):
        model.step()
    assert gc.collect() == 0


def _rss_kib() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS line in /proc/self/status")


class _MLP:
    """A two-layer perceptron trained by hand with minigrad tensor ops."""

    def __init__(self, seed: int) -> None:
        rng = np.random.default_rng(seed)
        self.X = minigrad.tensor(rng.normal(size=(64, 20)).tolist())
        self.y = minigrad.tensor(rng.normal(size=(64, 1)).tolist())
        self.W1 = minigrad.tensor((rng.normal(size=(20, 32)) * 0.2).tolist(), requires_grad=True)
        self.b1 = minigrad.zeros(32, requires_grad=True)
        self.W2 = minigrad.tensor((rng.normal(size=(32, 1)) * 0.2).tolist(), requires_grad=True)
        self.b2 = minigrad.zeros(1, requires_grad=True)

    def step(self, lr: float = 0.05) -> float:
        hidden = (self.X @ self.W1 + self.b1).relu()
        loss = ((hidden @ self.W2 + self.b2 - self.y) ** 2).mean()
        loss.backward()
        with minigrad.no_grad():
            for p in (self.W1, self.b1, self.W2, self.b2):
                p -= lr * p.grad
                p.grad.zero_()
        return loss.item()


def test_rss_flat_over_a_thousand_training_steps() -> None:
    model = _MLP(seed=0)
    losses = [model.step() for _ in range(100)]  # warm up: allocator pools, caches
    before = _rss_kib()
    losses += [model.step() for _ in range(1_000)]
    grown = _rss_kib() - before
    assert losses[-1] < losses[0] / 2  # it does train
    # One step's graph is about 30 KiB: a leak of a graph per step would be ~30 MiB.
    assert grown < 2_048, f"RSS grew by {grown} KiB over 1,000 steps"
    assert gc.collect() == 0


def test_shared_metadata_table_stays_bounded_and_graphs_stay_right() -> None:
    # Nodes share equal metadata tuples through a bounded cache that drops the oldest: more
    # distinct shapes than it holds must neither grow it without bound nor give a node another
    # node's shapes.
    from minigrad.autograd import function

    function._shared.cache_clear()
    limit = function._shared.cache_info().maxsize
    for n in range(1, limit + 50):
        assert (minigrad.ones(n, requires_grad=True) * 2).grad_fn._input_meta[0][0] == (n,)
    assert function._shared.cache_info().currsize == limit
    xs = [minigrad.ones(n, requires_grad=True) for n in range(1, 30)]
    for x in xs:
        (x * x).sum().backward()
    for n, x in enumerate(xs, start=1):
        assert x.grad.shape == (n,)
        np.testing.assert_array_equal(x.grad.numpy(), np.full(n, 2.0, dtype=np.float32))
        assert (x * 2).grad_fn._input_meta[0][0] == (n,)


def test_a_chain_of_number_ops_holds_two_collected_objects_per_op() -> None:
    # W3 of benchmarks/ (x = x * 1.0001 + 0.0001, 100,000 ops): the cyclic collector reads every
    # object it tracks at each full collection while the graph grows. Each op's node and its
    # tuple of edges are tracked; the metadata is shared, and the saved wrapped number is kept
    # as its array (not tracked), so nothing else per op is.
    x = minigrad.tensor(1.0, requires_grad=True)
    gc.collect()  # (also untracks the tuples that hold no tracked object)
    before = len(gc.get_objects())
    y = x
    for _ in range(500):
        y = y * 1.0001 + 0.0001
    gc.collect()
    per_op = (len(gc.get_objects()) - before) / 1_000
    assert per_op <= 2.01, f"{per_op:.2f} objects tracked by the garbage collector per op"
    y.backward()
    np.testing.assert_allclose(x.grad.numpy(), 1.0001**500, rtol=1e-5)


class _Twice(minigrad.autograd.Function):
    """2x, whose backward reports (by weak reference) the gradient array it makes."""

    made: list[Any] = []  # noqa: RUF012 - reset by each test

    @staticmethod
    def forward(ctx: Any, a: Any) -> Any:
        return a * 2

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        out = grad * 2
        _Twice.made.append(weakref.ref(out._data))
        return out


def test_a_gradient_nothing_else_holds_becomes_the_leafs_grad_without_a_copy() -> None:
    # As PyTorch's AccumulateGrad: W4's two 16 MiB gradients, and W2's largest, are not copied.
    from minigrad.autograd import engine

    # CPython 3.10 to 3.13 count references exactly (from 3.14 the gradient is always copied).
    exact = sys.implementation.name == "cpython" and sys.version_info < (3, 14)
    assert engine._EXACT_REFCOUNTS is (exact and getattr(sys, "_is_gil_enabled", lambda: True)())
    if not engine._EXACT_REFCOUNTS:
        return  # (test_without_exact_reference_counts_every_gradient_is_copied checks the rest)
    _Twice.made = []
    x = minigrad.ones(3, requires_grad=True)
    _Twice.apply(x).sum().backward()
    assert x.grad._data is _Twice.made[0]()
    # A second pass adds into that .grad in place (a new array each time would defeat it).
    kept = x.grad._data
    _Twice.apply(x).sum().backward()
    assert x.grad._data is kept
    np.testing.assert_array_equal(kept, np.full(3, 4.0, dtype=np.float32))


def test_without_exact_reference_counts_every_gradient_is_copied(monkeypatch: Any) -> None:
    from minigrad.autograd import engine

    monkeypatch.setattr(engine, "_EXACT_REFCOUNTS", False)
    _Twice.made = []
    x = minigrad.ones(3, requires_grad=True)
    _Twice.apply(x).sum().backward()
    assert _Twice.made[0]() is None  # the backward pass's array was copied, then freed
    np.testing.assert_array_equal(x.grad.numpy(), np.full(3, 2.0, dtype=np.float32))
