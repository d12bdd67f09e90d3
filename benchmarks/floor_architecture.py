"""minigrad's architecture with none of PyTorch's behaviour: the floor of W1, W2 and W2t for it.

``floor.py`` times the least a Python engine can do for W1. This file times the least an engine
*built as minigrad is built* can do: one ``Function`` class per operation, with
``forward(ctx, ...)`` and ``backward(ctx, grad)`` side by side and ``ctx.save_for_backward``; a
node per recorded operation with its edges; backward formulas written with tensor operations;
an iterative engine that counts dependencies and runs the newest ready node first; one place
that reduces broadcast gradients; a grad-mode switch. It has none of the behaviour minigrad keeps
from PyTorch: no dtype promotion or wrapped-number rules, no broadcasting or shape errors, no
version counters or saved-tensor checks, no hooks, ``retain_graph``, anomaly mode, forward-mode
AD, views, quiet NaN or freeing of saved tensors. What minigrad spends above this floor is the
price of that behaviour.

The module is torch-like enough for ``workloads.build`` (``tensor``, ``no_grad``, ``@``,
``relu``, ``backward``, ...), so the benchmark harness runs it in place of minigrad, checks its
numbers against the float64 reference and times it in a process of its own, as every engine:

    BENCH_MINIGRAD_MODULE=floor_architecture python benchmarks/run.py --one W1 --engine minigrad
    BENCH_MINIGRAD_MODULE=floor_architecture python benchmarks/run.py --one W2t --engine minigrad

It runs W1, W2 and W2t: the goals the results page shows not met.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace
from typing import Any

import numpy as np

# minigrad's own NumPy helpers (no behaviour in them), so that the floor is not slower for want
# of them: views, broadcast sums, constants as 0-d arrays, zeroing by a mask.
from minigrad.autograd.engine import count_dependencies
from minigrad.ops._util import constant
from minigrad.ops.shape import broadcast_view, sum_to_shape
from minigrad.ops.unary import zero_where

_sequence_numbers = itertools.count()
_recording = [True]


@contextmanager
def no_grad() -> Iterator[None]:
    """Operations inside record nothing."""
    previous = _recording[0]
    _recording[0] = False
    try:
        yield
    finally:
        _recording[0] = previous


class Node:
    """A recorded operation (and its forward's ctx): edges, saved tensors, input shapes."""

    needs_input_grad = (False, False)  # (outside recording)

    def save_for_backward(self, *tensors: Tensor) -> None:
        self.saved_tensors = tensors


class Leaf:
    """Where a leaf's gradient arrives."""

    def __init__(self, tensor: Tensor) -> None:
        self.tensor = tensor
        self.sequence_nr = 1 << 62  # run as soon as its gradient is complete
        self._next_nodes: tuple[Any, ...] = ()


class Tensor:
    """An array, whether it requires grad, and the node that made it."""

    __slots__ = ("data", "requires_grad", "grad_fn", "grad", "leaf")

    def __init__(self, data: np.ndarray, requires_grad: bool = False) -> None:
        self.data = data
        self.requires_grad = requires_grad
        self.grad_fn: Node | None = None
        self.grad: Tensor | None = None
        self.leaf: Leaf | None = None

    def _operand(self, other: Any) -> Tensor:
        return other if type(other) is Tensor else Tensor(np.array(other, self.data.dtype))

    def __add__(self, other: Any) -> Tensor:
        return Add.apply(self, self._operand(other))

    __radd__ = __add__

    def __mul__(self, other: Any) -> Tensor:
        return Mul.apply(self, self._operand(other))

    __rmul__ = __mul__

    def __rsub__(self, other: Any) -> Tensor:
        return Sub.apply(self._operand(other), self)

    def __neg__(self) -> Tensor:
        return Neg.apply(self)

    def __matmul__(self, other: Tensor) -> Tensor:
        return Mm.apply(self, other)

    def __isub__(self, other: Tensor) -> Tensor:
        self.data -= other.data  # (an optimizer's step, under no_grad)
        return self

    def t(self) -> Tensor:
        return Transpose.apply(self)

    def tanh(self) -> Tensor:
        return Tanh.apply(self)

    def relu(self) -> Tensor:
        return Relu.apply(self)

    def sum(self) -> Tensor:
        return Sum.apply(self)

    def mean(self) -> Tensor:
        return Mean.apply(self)

    def item(self) -> float:
        return self.data.item()

    def detach(self) -> Tensor:
        return Tensor(self.data)

    def numpy(self) -> np.ndarray:
        return self.data

    def backward(self) -> None:
        backward(self)


def tensor(data: Any, requires_grad: bool = False) -> Tensor:
    """A leaf tensor holding ``data``."""
    return Tensor(np.asarray(data), requires_grad)


class Function:
    """One operation: ``forward(ctx, *inputs)`` and ``backward(ctx, grad)``."""

    @classmethod
    def apply(cls, *inputs: Tensor) -> Tensor:
        ctx = Node()
        needs = tuple([t.requires_grad for t in inputs]) if _recording[0] else ()
        recording = True in needs
        if recording:
            ctx.function = cls
            ctx.needs_input_grad = needs
            ctx._next_nodes = tuple([_edge(t) for t in inputs])
            ctx.input_shapes = tuple([t.data.shape for t in inputs])
            ctx.sequence_nr = next(_sequence_numbers)
        out = Tensor(cls.forward(ctx, *inputs))
        if recording:
            out.requires_grad = True
            out.grad_fn = ctx
        return out


def _edge(t: Tensor) -> Node | Leaf | None:
    if not t.requires_grad:
        return None
    if t.grad_fn is not None:
        return t.grad_fn
    if t.leaf is None:
        t.leaf = Leaf(t)
    return t.leaf


class Add(Function):
    @staticmethod
    def forward(ctx: Node, a: Tensor, b: Tensor) -> np.ndarray:
        return a.data + b.data

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor, Tensor]:
        return grad, grad


class Sub(Function):
    @staticmethod
    def forward(ctx: Node, a: Tensor, b: Tensor) -> np.ndarray:
        return a.data - b.data

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor, Tensor]:
        return grad, -grad


class Neg(Function):
    @staticmethod
    def forward(ctx: Node, a: Tensor) -> np.ndarray:
        return -a.data

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        return -grad


class Mul(Function):
    @staticmethod
    def forward(ctx: Node, a: Tensor, b: Tensor) -> np.ndarray:
        ctx.save_for_backward(a, b)
        return a.data * b.data

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor, Tensor]:
        a, b = ctx.saved_tensors
        needs = ctx.needs_input_grad
        return (grad * b if needs[0] else None), (grad * a if needs[1] else None)


class Mm(Function):
    @staticmethod
    def forward(ctx: Node, a: Tensor, b: Tensor) -> np.ndarray:
        ctx.save_for_backward(a, b)
        return a.data @ b.data

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor | None, Tensor]:
        a, b = ctx.saved_tensors
        needs = ctx.needs_input_grad
        return (grad @ b.t() if needs[0] else None), (a.t() @ grad if needs[1] else None)


class Transpose(Function):
    @staticmethod
    def forward(ctx: Node, a: Tensor) -> np.ndarray:
        return a.data.T

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        return grad.t()


class Tanh(Function):
    @staticmethod
    def forward(ctx: Node, a: Tensor) -> np.ndarray:
        result = np.tanh(a.data)
        ctx.save_for_backward(Tensor(result))
        return result

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (result,) = ctx.saved_tensors
        return TanhBackward.apply(grad, result)


class TanhBackward(Function):
    @staticmethod
    def forward(ctx: Node, grad: Tensor, result: Tensor) -> np.ndarray:
        y = result.data
        return grad.data * (constant(1, y.dtype) - y * y)


class Relu(Function):
    @staticmethod
    def forward(ctx: Node, a: Tensor) -> np.ndarray:
        result = np.maximum(a.data, constant(0, a.data.dtype))
        ctx.save_for_backward(Tensor(result))
        return result

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (result,) = ctx.saved_tensors
        return ReluBackward.apply(grad, result)


class ReluBackward(Function):
    @staticmethod
    def forward(ctx: Node, grad: Tensor, result: Tensor) -> np.ndarray:
        y = result.data
        return zero_where(y <= constant(0, y.dtype), grad.data)


class Sum(Function):
    @staticmethod
    def forward(ctx: Node, a: Tensor) -> np.ndarray:
        ctx.shape = a.data.shape
        return np.asarray(a.data.sum())

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        return Expand.apply(grad, ctx.shape)


class Mean(Function):
    @staticmethod
    def forward(ctx: Node, a: Tensor) -> np.ndarray:
        ctx.shape = a.data.shape
        return np.asarray(a.data.mean())

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        return Expand.apply(grad, ctx.shape) * (1 / np.prod(ctx.shape))


class Expand(Function):
    @staticmethod
    def forward(ctx: Node, a: Tensor, shape: tuple[int, ...]) -> np.ndarray:
        return broadcast_view(a.data, shape)


class LogSoftmax(Function):
    @staticmethod
    def forward(ctx: Node, a: Tensor) -> np.ndarray:
        shifted = a.data - a.data.max(1, keepdims=True)
        result = shifted - np.log(np.exp(shifted).sum(1, keepdims=True))
        ctx.save_for_backward(Tensor(result))
        return result

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (result,) = ctx.saved_tensors
        return LogSoftmaxBackward.apply(grad, result)


class LogSoftmaxBackward(Function):
    @staticmethod
    def forward(ctx: Node, grad: Tensor, result: Tensor) -> np.ndarray:
        g = grad.data
        return g - np.exp(result.data) * g.sum(1, keepdims=True)


class NllLoss(Function):
    """The mean of -x[n, target[n]]."""

    @staticmethod
    def forward(ctx: Node, a: Tensor, target: Tensor) -> np.ndarray:
        ctx.rows, ctx.target, ctx.shape = np.arange(len(target.data)), target.data, a.data.shape
        return np.asarray(-a.data[ctx.rows, ctx.target].mean())

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor, None]:
        out = np.zeros(ctx.shape, grad.data.dtype)
        out[ctx.rows, ctx.target] = -grad.data / len(ctx.target)
        return Tensor(out), None


def cross_entropy(logits: Tensor, target: Tensor) -> Tensor:
    """``nn.functional.cross_entropy``: log_softmax, then the mean negative log-likelihood."""
    return NllLoss.apply(LogSoftmax.apply(logits), target)


nn = SimpleNamespace(functional=SimpleNamespace(cross_entropy=cross_entropy))


def _fit(grad: Tensor, shape: tuple[int, ...]) -> Tensor:
    """The one place where a broadcast gradient is summed back to its input's shape."""
    return grad if grad.data.shape == shape else Tensor(sum_to_shape(grad.data, shape))


def backward(root: Tensor) -> None:
    """Add d root / d leaf into every leaf's ``.grad``: dependencies counted, newest node first."""
    # minigrad's own count of the edges into each node (an explicit stack, no recursion).
    dependencies = count_dependencies([root.grad_fn])
    buffers: dict[Any, Tensor] = {root.grad_fn: Tensor(np.ones_like(root.data))}
    ready = [(-root.grad_fn.sequence_nr, 0, root.grad_fn)]
    arrivals = itertools.count(1)
    with no_grad():
        while ready:
            node = heapq.heappop(ready)[2]
            grad = buffers.pop(node)
            if type(node) is Leaf:
                leaf = node.tensor
                leaf.grad = grad if leaf.grad is None else Tensor(leaf.grad.data + grad.data)
                continue
            grads = node.function.backward(node, grad)
            grads = grads if type(grads) is tuple else (grads,)
            for next_node, g, shape in zip(node._next_nodes, grads, node.input_shapes):
                if next_node is None or g is None:
                    continue
                g = _fit(g, shape)
                held = buffers.get(next_node)
                buffers[next_node] = g if held is None else Tensor(held.data + g.data)
                dependencies[next_node] -= 1
                if dependencies[next_node] == 0:
                    heapq.heappush(ready, (-next_node.sequence_nr, next(arrivals), next_node))
