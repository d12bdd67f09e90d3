"""``register_multi_grad_hook``: one hook for the gradients of several tensors.

It registers a tensor hook on each tensor; the hooks of one backward pass report to a shared
state, which calls your hook once per pass: in mode ``"all"`` when every tensor that the pass
reaches has its gradient (with the tuple of gradients, None for the tensors the pass does not
reach), in mode ``"any"`` at the first gradient (with it). The engine tells which nodes the
running pass will execute (``_state.nodes_to_run``, set by ``run_backward``): that set also
tells one pass from the next.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

from minigrad.autograd.grad_mode import _state


class _MultiHandle:
    """Returned by ``register_multi_grad_hook``: ``remove()`` takes every hook away."""

    def __init__(self, handles: Sequence[Any]) -> None:
        self.handles = tuple(handles)

    def remove(self) -> None:
        for handle in self.handles:
            handle.remove()


class _Reports:
    """What the tensors' hooks reported in the current pass."""

    def __init__(self, fn: Callable[..., Any], tensors: tuple[Any, ...], mode: str) -> None:
        self.fn, self.tensors, self.mode = fn, tensors, mode
        self.pass_nodes: Any = None
        self.grads: list[Any] = []
        self.waiting = 0
        self.fired = False

    def report(self, index: int, grad: Any) -> None:
        if self.pass_nodes is not _state.nodes_to_run:  # a new pass: start again
            self.start(_state.nodes_to_run)
        if self.mode == "any":
            if not self.fired:
                self.fired = True
                self.fn(grad)
            return
        self.grads[index] = grad
        self.waiting -= 1
        if not self.fired and self.waiting == 0:
            self.fired = True
            grads, self.grads = tuple(self.grads), []
            self.fn(grads)

    def start(self, nodes_to_run: Any) -> None:
        """A new pass: wait for the tensors whose gradient node it will execute."""
        self.pass_nodes, self.fired = nodes_to_run, False
        self.grads = [None] * len(self.tensors)
        nodes = nodes_to_run or {}
        self.waiting = sum(t._gradient_edge()[0] in nodes for t in self.tensors)


def register_multi_grad_hook(
    tensors: Sequence[Any], fn: Callable[..., Any], *, mode: str = "all"
) -> _MultiHandle:
    """Call ``fn`` once per backward pass with the gradients of ``tensors`` (mode ``"all"``),
    or with the first of them to be computed (mode ``"any"``).

    >>> import minigrad
    >>> a = minigrad.tensor([1.0, 2.0], requires_grad=True)
    >>> b = minigrad.tensor([3.0, 4.0], requires_grad=True)
    >>> handle = minigrad.autograd.graph.register_multi_grad_hook(
    ...     (a, b), lambda grads: print([g.tolist() for g in grads])
    ... )
    >>> (a * b).sum().backward()
    [[3.0, 4.0], [1.0, 2.0]]
    >>> handle.remove()
    """
    if mode not in ("all", "any"):
        raise ValueError(f"Expects mode to be one of ('all', 'any') but got {mode}")
    tensors = tuple(tensors)
    reports = _Reports(fn, tensors, mode)
    handles = [t.register_hook(functools.partial(_hook, reports, i)) for i, t in enumerate(tensors)]
    return _MultiHandle(handles)


def _hook(reports: _Reports, index: int, grad: Any) -> None:
    reports.report(index, grad)
