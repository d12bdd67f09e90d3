"""The least a Python engine can do for W1: how far is minigrad from the floor of pure Python?

A throwaway reverse-mode engine written for W1's three operations only: a tensor with four
slots, one node object per operation holding its input and what its backward needs, and an
iterative topological sort. It has none of what minigrad keeps from PyTorch: no dtype rules,
broadcasting checks, version counters, hooks, grad modes, saved-tensor checks or error messages.
Its gradient is checked against minigrad's before it is timed.

    python benchmarks/floor.py      # prints µs per op for this floor and for minigrad
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from workloads import W1_ADD, W1_MUL, w1_forward, w1_setup


class Node:
    __slots__ = ("input", "saved", "backward")

    def __init__(self, input: Value, saved: Any, backward: Callable[[Any, Any], Any]) -> None:  # noqa: A002
        self.input = input
        self.saved = saved
        self.backward = backward


class Value:
    __slots__ = ("data", "node", "grad")

    def __init__(self, data: np.ndarray, node: Node | None = None) -> None:
        self.data = data
        self.node = node
        self.grad: np.ndarray | None = None

    def __add__(self, number: Any) -> Value:
        return Value(self.data + number, Node(self, None, lambda saved, grad: grad))

    def __mul__(self, number: Any) -> Value:
        return Value(self.data * number, Node(self, number, lambda saved, grad: grad * saved))

    def tanh(self) -> Value:
        y = np.tanh(self.data)
        return Value(y, Node(self, y, lambda saved, grad: grad * (1 - saved * saved)))

    def sum_backward(self) -> None:
        """Backpropagate from sum(self): a chain, so the topological order is the chain's."""
        order = []
        value: Value | None = self
        while value is not None:  # iterative, never recursive
            order.append(value)
            value = value.node.input if value.node is not None else None
        grads = {self: np.ones_like(self.data)}
        for value in order:
            grad = grads.pop(value)
            if value.node is None:
                value.grad = grad if value.grad is None else value.grad + grad
            else:
                grads[value.node.input] = value.node.backward(value.node.saved, grad)


def per_op_us(step: Callable[[], None], n_ops: int, seconds: float = 3.0) -> float:
    for _ in range(5):
        step()
    times = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return statistics.median(times) / n_ops * 1e6


def main(seconds: float = 3.0) -> dict[str, float]:
    """Check the floor's gradient against minigrad's, then time both: µs per op, by engine."""
    import minigrad

    data = w1_setup(smoke=False)
    x0, n_ops = data["x"], int(data["n_ops"])

    floor_x = Value(x0.copy())
    mg_x = minigrad.tensor(x0.copy(), requires_grad=True)

    def floor_step() -> None:
        floor_x.grad = None
        z = floor_x
        for i in range(n_ops):
            z = z + W1_ADD if i % 3 == 0 else (z * W1_MUL if i % 3 == 1 else z.tanh())
        z.sum_backward()

    def minigrad_step() -> None:
        mg_x.grad = None
        w1_forward(mg_x, n_ops).backward()

    floor_step()
    minigrad_step()
    np.testing.assert_allclose(floor_x.grad, mg_x.grad.numpy(), rtol=1e-5)
    return {
        "floor": per_op_us(floor_step, n_ops, seconds),
        "minigrad": per_op_us(minigrad_step, n_ops, seconds),
    }


if __name__ == "__main__":
    result = main()
    print(f"W1 floor of a Python engine: {result['floor']:.2f} µs per op")
    print(f"W1 minigrad:                 {result['minigrad']:.2f} µs per op")
