"""The nodes of the backward graph.

Every differentiable operation leaves behind a node (``z.grad_fn``). A node knows the
nodes that produced its inputs (``next_functions``), the tensors it saved for its
backward formula, and the shapes of its inputs, so the engine can reduce a broadcast
gradient back to each input's shape. Leaves that require grad end in an
``AccumulateGrad`` node, which adds the incoming gradient to ``leaf.grad``.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from minigrad.autograd.multi_grad_hooks import register_multi_grad_hook  # noqa: F401
from minigrad.autograd.saved_hooks import (  # noqa: F401
    allow_mutation_on_saved_tensors,
    disable_saved_tensors_hooks,
    save_on_cpu,
    saved_tensors_hooks,
)

if TYPE_CHECKING:
    from minigrad.tensor import Tensor

# Nodes are numbered in creation order; among nodes ready to run, the engine runs the
# newest first, as PyTorch's does.
_sequence_numbers = itertools.count()
LEAF_SEQUENCE_NR = 2**64 - 1


class VersionCounter:
    """Counts in-place changes to a tensor's memory; views and detached tensors share one."""

    value = 0  # (an in-place change makes the counter's own, from 1 on)


class InferenceVersionCounter(VersionCounter):
    """The version counter of an inference tensor (one made in ``inference_mode``): its type
    marks the tensor, and the views of it, which share it."""

    __slots__ = ()


class RemovableHandle:
    """Returned by ``register_hook``: ``handle.remove()`` takes the hook away again."""

    def __init__(self, hooks: list[Callable[..., Any]], hook: Callable[..., Any]) -> None:
        self._hooks = hooks
        self._hook = hook

    def remove(self) -> None:
        if self._hook in self._hooks:
            self._hooks.remove(self._hook)


class Node:
    """A node of the backward graph: ``grad_fn`` of a tensor made by an operation.

    >>> import minigrad
    >>> w = minigrad.ones(3, requires_grad=True)
    >>> z = w * 2
    >>> z.grad_fn.name(), z.grad_fn.next_functions[0][0].name()
    ('MulBackward0', 'torch::autograd::AccumulateGrad')
    """

    # The edges to the nodes of this node's inputs, stored flat: the node (None for an input
    # that needs no gradient) and the input's output number there. (Pairs would be one more
    # object per input for Python's garbage collector to visit, in graphs of 100,000 nodes.)
    _next_nodes: tuple[Node | None, ...] = ()
    _next_nrs: tuple[int, ...] = ()
    # Defaults shared by all nodes until a node needs its own (most never do): this keeps
    # building the graph cheap.
    _freed = False
    _input_meta: tuple[Any, ...] = ()
    _hooks: list[Callable[..., Any]] = []  # noqa: RUF012 - replaced per node on first use
    _pre_hooks: list[Callable[..., Any]] = []  # noqa: RUF012
    # Hooks and retain_grad() of the tensors this node produced, by output number.
    _tensor_pre_hooks: dict[int, list[Callable[..., Any]]] | None = None
    _retained: dict[int, Any] | None = None
    # True once the node, its tensors or its leaf have a hook or a retain_grad(): the engine
    # calls hooks.py for this node only then.
    _hooked = False
    _anomaly_trace: str | None = None
    _output_meta: tuple[Any, ...] | None = None
    _input_positions: tuple[int, ...] | None = None
    _materialize_grads = True
    needs_input_grad: tuple[bool, ...] = ()

    # What the node saved for backward (see saved.py); None once freed.
    _saved: tuple[Any, ...] | None = ()

    _qualified_name: str | None = None

    @property
    def next_functions(self) -> tuple[tuple[Node | None, int], ...]:
        """One ``(node, output_nr)`` pair per input: where this node sends its gradients."""
        return tuple(zip(self._next_nodes, self._next_nrs))

    def name(self) -> str:
        """The node's name, as torch's ``grad_fn.name()`` gives it."""
        return self._qualified_name or type(self).__name__

    def __repr__(self) -> str:
        # Same form as PyTorch's repr; the address is informative only.
        return f"<{type(self).__name__} object at {id(self):#x}>"

    @property
    def metadata(self) -> dict[str, Any]:
        if not hasattr(self, "_metadata"):
            self._metadata: dict[str, Any] = {}
        return self._metadata

    def register_hook(self, hook: Callable[..., Any]) -> RemovableHandle:
        """Call ``hook(grad_inputs, grad_outputs)`` after this node runs.

        The hook may return new grad_inputs.
        """
        if "_hooks" not in vars(self):
            self._hooks = []
        self._hooks.append(hook)
        self._hooked = True
        return RemovableHandle(self._hooks, hook)

    def register_prehook(self, hook: Callable[..., Any]) -> RemovableHandle:
        """Call ``hook(grad_outputs)`` before this node runs; it may return new grad_outputs."""
        if "_pre_hooks" not in vars(self):
            self._pre_hooks = []
        self._pre_hooks.append(hook)
        self._hooked = True
        return RemovableHandle(self._pre_hooks, hook)

    # -- saved tensors ---------------------------------------------------------------
    saved_names: tuple[str, ...] = ()

    def saved_items(self) -> list[tuple[str, Any]]:
        """What this node keeps for backward, by name (a Function's node adds its tensors)."""
        return [
            (key, value)
            for key, value in vars(self).items()
            if not key.startswith("_") and key not in ("needs_input_grad", "variable")
        ]

    def _release(self) -> None:
        """Free the saved tensors; a later backward through this node then raises."""
        if self._saved:
            self._saved = None
            self._freed = True


class AccumulateGrad(Node):
    """The node at the end of each path: adds the gradient into ``variable.grad``."""

    def __init__(self, variable: Tensor) -> None:
        # The highest number: a leaf's gradient is stored as soon as it is complete, as in
        # PyTorch (whose AccumulateGrad nodes carry the largest sequence number).
        self._sequence_nr = LEAF_SEQUENCE_NR
        self.variable = variable

    _qualified_name = "torch::autograd::AccumulateGrad"
