"""``register_multi_grad_hook``: one hook for the gradients of several tensors.

It registers a tensor hook on each tensor; the hooks of one backward pass report to a shared
state, which calls your hook once per pass: in mode ``"all"`` when every tensor has its
gradient (with the tuple of gradients), in mode ``"any"`` at the first gradient (with it).
``hooks.run_tensor_hooks`` tells which pass calls the hooks (``current_pass``: its list of
``.grad`` writes, which the state keeps, to tell the next pass from this one).

Unlike PyTorch, whose engine can tell in advance which tensors a pass will reach, mode
``"all"`` waits for every tensor: in a pass that reaches only some of them, it is not called
(PyTorch calls it with None for the others).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any


class _Pass:
    """The backward pass that is running: its list of ``.grad`` writes, unique to it."""

    writes: Any = None


current_pass = _Pass()


class _MultiHandle:
    """Returned by ``register_multi_grad_hook``: ``remove()`` takes every hook away."""

    def __init__(self, handles: Sequence[Any]) -> None:
        self.handles = tuple(handles)

    def remove(self) -> None:
        for handle in self.handles:
            handle.remove()


class _Reports:
    """What the tensors' hooks reported in the current pass."""

    def __init__(self, fn: Callable[..., Any], count: int, mode: str) -> None:
        self.fn, self.count, self.mode = fn, count, mode
        self.pass_writes: Any = None
        self.grads: list[Any] = []
        self.fired = False

    def report(self, index: int, grad: Any) -> None:
        if self.pass_writes is not current_pass.writes:  # a new pass: start again
            self.pass_writes = current_pass.writes
            self.grads, self.fired = [None] * self.count, False
        if self.mode == "any":
            if not self.fired:
                self.fired = True
                self.fn(grad)
            return
        self.grads[index] = grad
        if not self.fired and all(g is not None for g in self.grads):
            self.fired = True
            grads, self.grads = tuple(self.grads), []
            self.fn(grads)


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
    reports = _Reports(fn, len(tensors), mode)
    handles = [t.register_hook(functools.partial(_hook, reports, i)) for i, t in enumerate(tensors)]
    return _MultiHandle(handles)


def _hook(reports: _Reports, index: int, grad: Any) -> None:
    reports.report(index, grad)
