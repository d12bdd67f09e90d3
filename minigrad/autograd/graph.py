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

import numpy as np

if TYPE_CHECKING:
    from minigrad.tensor import Tensor

FREED_MESSAGE = (
    "Trying to backward through the graph a second time (or directly access saved tensors "
    "after they have already been freed). Saved intermediate values of the graph are freed "
    "when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to "
    "backward through the graph a second time or if you need to access saved tensors after "
    "calling backward."
)

# Nodes are numbered in creation order; among nodes ready to run, the engine runs the
# newest first, as PyTorch's does.
_sequence_numbers = itertools.count()
LEAF_SEQUENCE_NR = 2**64 - 1


_TENSOR: list[type] = []


def _tensor_class() -> type:
    """The Tensor class. minigrad.tensor imports this module, so it is looked up on first use.

    (An import statement inside a function costs about a microsecond at every call.)
    """
    if not _TENSOR:
        from minigrad.tensor import Tensor

        _TENSOR.append(Tensor)
    return _TENSOR[0]


class VersionCounter:
    """Counts in-place changes to a tensor's memory; views and detached tensors share one."""

    __slots__ = ("value",)

    def __init__(self) -> None:
        self.value = 0


class RemovableHandle:
    """Returned by ``register_hook``: ``handle.remove()`` takes the hook away again."""

    def __init__(self, hooks: list[Callable[..., Any]], hook: Callable[..., Any]) -> None:
        self._hooks = hooks
        self._hook = hook

    def remove(self) -> None:
        if self._hook in self._hooks:
            self._hooks.remove(self._hook)


class SavedTensor:
    """A tensor saved by a node, checked against in-place changes when it is used.

    An input is kept as it is. An output is kept as its array only, and rebuilt with the
    node as its ``grad_fn`` when unpacked: keeping the output tensor itself would make a
    reference cycle (output -> node -> output) that only the cyclic GC could free.
    (Most saved inputs need no SavedTensor at all: see ``unpack_saved``.)
    """

    __slots__ = ("tensor", "data", "version_counter", "version", "output_nr", "requires_grad")

    def __init__(self, tensor: Tensor, is_output: bool) -> None:
        if is_output:
            self.tensor = None
            self.data = tensor._data
            self.version_counter = tensor._version_counter
            self.version = self.version_counter.value
            self.output_nr = tensor._output_nr
            self.requires_grad = tensor._requires_grad
        else:
            # An input is kept as it is. Its version counter is read when it is used: most
            # tensors never get one (a tensor makes it on its first in-place change or view).
            self.tensor = tensor
            self.data = self.version_counter = None
            counter = tensor._vc
            self.version = 0 if counter is None else counter.value

    def current_version(self) -> int:
        """The saved tensor's version now; it must still be ``self.version`` to be used."""
        if self.tensor is None:
            return self.version_counter.value
        counter = self.tensor._vc
        return 0 if counter is None else counter.value

    def unpack(self, node: Node) -> Tensor:
        tensor = self.tensor
        if tensor is not None:
            counter = tensor._vc
            if (0 if counter is None else counter.value) != self.version:
                raise RuntimeError(self._modified_message(node))
            return tensor
        if self.version_counter.value != self.version:
            raise RuntimeError(self._modified_message(node))
        Tensor = _TENSOR[0] if _TENSOR else _tensor_class()  # noqa: N806 - the class
        out = Tensor._make(self.data, self.requires_grad, node if self.requires_grad else None)
        out._output_nr = self.output_nr
        out._vc = self.version_counter
        return out

    def _modified_message(self, node: Node) -> str:
        data = self.data if self.tensor is None else self.tensor._data
        from minigrad._dtype import from_numpy_dtype

        kind = from_numpy_dtype(data.dtype).tensor_type
        shape = ", ".join(str(n) for n in data.shape)
        # An output names the node that saved it; an input names its current grad_fn. PyTorch
        # 2.13 names the operation, without the node's "Backward0" suffix.
        if self.tensor is None:
            origin = f", which is output {self.output_nr} of {_operation_name(node)},"
        elif self.tensor.grad_fn is not None:
            origin = (
                f", which is output {self.tensor._output_nr} of "
                f"{_operation_name(self.tensor.grad_fn)},"
            )
        else:
            origin = ""
        return (
            "one of the variables needed for gradient computation has been modified by an "
            f"inplace operation: [{kind} [{shape}]]{origin} is at version "
            f"{self.current_version()}; expected version {self.version} instead. Hint: enable "
            "anomaly detection to find the operation that failed to compute its gradient, with "
            "torch.autograd.set_detect_anomaly(True, check_nan=False)."
        )


def unpack_saved(saved: SavedTensor | Tensor | np.ndarray | None, node: Node) -> Tensor | None:
    """The tensor a node saved, after checking that it was not changed in place since.

    A node keeps an input that was never changed in place nor viewed (it has no version
    counter yet, so its version is 0) as the tensor itself, without a ``SavedTensor``: the
    check is then that its version is still 0. This is the common case, and it spares an
    object per saved input in graphs of 100,000 nodes. A wrapped number (``x * 2.0``) is
    kept as its array, which nothing else holds: it comes back as a new tensor.
    """
    if saved is None:
        return None
    if type(saved) is SavedTensor:
        return saved.unpack(node)
    if type(saved) is np.ndarray:
        Tensor = _TENSOR[0] if _TENSOR else _tensor_class()  # noqa: N806 - the class
        return Tensor._make(saved)
    counter = saved._vc
    if counter is not None and counter.value != 0:
        as_saved = SavedTensor(saved, is_output=False)
        as_saved.version = 0
        raise RuntimeError(as_saved._modified_message(node))
    return saved


def saved_tensor_property(index: int) -> property:
    """``node._saved_<name>``: the node's saved tensor number ``index``, by its torch name.

    A property per name, made with the node's class (rather than a ``__getattr__`` on every
    node, which would slow down each attribute read of every node).
    """
    return property(lambda node: node._saved_by_name(index))


def _operation_name(node: Node) -> str:
    """The operation a node belongs to: ``MulBackward0`` -> ``Mul``; ``FBackward`` -> ``F``."""
    name = node.name()
    stem = name.rstrip("0123456789")
    return stem[: -len("Backward")] if stem.endswith("Backward") else name


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
    _anomaly_trace: str | None = None
    _output_meta: tuple[Any, ...] | None = None
    _input_positions: tuple[int, ...] | None = None
    _materialize_grads = True
    needs_input_grad: tuple[bool, ...] = ()

    # A SavedTensor, an input kept as it is, a wrapped number's array, or None (see unpack_saved).
    _saved: tuple[SavedTensor | Tensor | np.ndarray | None, ...] | None = ()

    def __init__(self) -> None:
        self._sequence_nr = next(_sequence_numbers)

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
        return RemovableHandle(self._hooks, hook)

    def register_prehook(self, hook: Callable[..., Any]) -> RemovableHandle:
        """Call ``hook(grad_outputs)`` before this node runs; it may return new grad_outputs."""
        if "_pre_hooks" not in vars(self):
            self._pre_hooks = []
        self._pre_hooks.append(hook)
        return RemovableHandle(self._pre_hooks, hook)

    # -- saved tensors ---------------------------------------------------------------
    saved_names: tuple[str, ...] = ()

    def _unpack_saved(self) -> tuple[Tensor | None, ...]:
        if self._freed:
            raise RuntimeError(FREED_MESSAGE)
        saved = self._saved
        if len(saved) == 1:  # (most nodes save one tensor: no loop)
            return (unpack_saved(saved[0], self),)
        return tuple([unpack_saved(s, self) for s in saved])

    def _saved_by_name(self, index: int) -> Tensor | None:
        """The saved tensor at ``index``: what torch's ``grad_fn._saved_self`` and the like give."""
        if self._freed:
            raise RuntimeError(FREED_MESSAGE)
        saved = self._saved[index] if self._saved and index < len(self._saved) else None
        return self._hand_out(index, saved)

    def _hand_out(self, index: int, saved: Any) -> Tensor | None:
        """A saved tensor, given to the user. A wrapped number, kept as its array, is kept as
        the tensor given from then on: a change of it in place is then caught, as in PyTorch."""
        tensor = unpack_saved(saved, self)
        if type(saved) is np.ndarray:
            entries = list(self._saved)
            entries[index] = tensor
            self._saved = tuple(entries)
        return tensor

    def saved_items(self) -> list[tuple[str, Any]]:
        """The tensors and values this node saved for backward, with torch-like names.

        >>> import minigrad
        >>> a = minigrad.ones(2, requires_grad=True)
        >>> [name for name, _ in (a * a).grad_fn.saved_items()]
        ['other', 'self']
        """
        if self._freed:
            raise RuntimeError(FREED_MESSAGE)
        items: list[tuple[str, Any]] = []
        for i, saved in enumerate(self._saved or ()):
            if saved is not None:
                name = self.saved_names[i] if i < len(self.saved_names) else f"saved_{i}"
                items.append((name, self._hand_out(i, saved)))
        for key, value in vars(self).items():
            if not key.startswith("_") and key not in (
                "needs_input_grad",
                "variable",
            ):
                items.append((key, value))
        return items

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
