"""``Function``: one class per operation, with its forward and its backward side by side.

Write ``forward(ctx, ...)`` to compute the result and ``backward(ctx, grad)`` to turn the
gradient of the result into gradients of the inputs; ``Function.apply`` runs forward and,
when gradients are needed, records a node for backward. The node *is* the ``ctx``: what
forward saves on it (``ctx.save_for_backward``, ``ctx.dim = ...``) is what backward reads.
Backward formulas are written with tensor operations, so with ``create_graph=True`` they
are recorded too, and derivatives of any order follow.

>>> import minigrad
>>> class Exp(minigrad.autograd.Function):
...     @staticmethod
...     def forward(ctx, x):
...         result = x.exp()
...         ctx.save_for_backward(result)
...         return result
...     @staticmethod
...     def backward(ctx, grad):
...         (result,) = ctx.saved_tensors
...         return grad * result
>>> x = minigrad.tensor([0.0, 1.0], requires_grad=True)
>>> y = Exp.apply(x)
>>> y.grad_fn.name()
'ExpBackward'
>>> y.sum().backward(); x.grad
tensor([1.0000, 2.7183])
"""

from __future__ import annotations

import traceback
from typing import Any, ClassVar

import numpy as np

from minigrad.autograd.grad_mode import _state
from minigrad.autograd.graph import Node, SavedTensor


class BackwardFunction(Node):
    """The node (and ``ctx``) of one call of a ``Function``."""

    _forward_cls: ClassVar[type[Function]]
    _materialize_grads = True
    _non_differentiable: tuple[Any, ...] = ()
    needs_input_grad: tuple[bool, ...] = ()

    def save_for_backward(self, *tensors: Any) -> None:
        """Keep tensors (or None) for backward; they are checked against in-place changes."""
        self._to_save = tensors

    @property
    def saved_tensors(self) -> tuple[Any, ...]:
        """The tensors given to ``save_for_backward``, as they were then."""
        return self._unpack_saved()

    def mark_non_differentiable(self, *outputs: Any) -> None:
        """Outputs that never require grad (such as indices)."""
        self._non_differentiable = outputs

    def set_materialize_grads(self, value: bool) -> None:
        """Whether backward receives zeros (True, the default) or None for unused outputs."""
        self._materialize_grads = value

    def _backward(self, grads: tuple[Any, ...]) -> Any:
        return self._forward_cls.backward(self, *grads)


class Function:
    """Base class of differentiable operations, built-in and your own (as ``torch.autograd.Function``).

    The node class of a ``Function`` named ``Exp`` is named ``ExpBackward``, as in PyTorch;
    built-in operations set ``node_name`` to the name PyTorch gives their node
    (``MulBackward0``).
    """

    node_name: ClassVar[str | None] = None
    # A few PyTorch nodes answer name() with a namespaced name (torch::autograd::CopySlices).
    node_qualified_name: ClassVar[str | None] = None
    saved_names: ClassVar[tuple[str, ...]] = ()
    _backward_cls: ClassVar[type[BackwardFunction]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        name = cls.__dict__.get("node_name") or f"{cls.__name__}Backward"
        cls._backward_cls = type(
            name,
            (BackwardFunction,),
            {
                "_forward_cls": cls,
                "saved_names": cls.saved_names,
                "_qualified_name": cls.__dict__.get("node_qualified_name"),
                "__module__": cls.__module__,
            },
        )

    @staticmethod
    def forward(ctx: Any, *args: Any) -> Any:
        """Compute the outputs from the inputs (tensors and other values)."""
        raise NotImplementedError("You must implement the forward function for custom autograd.Function.")

    @staticmethod
    def backward(ctx: Any, *grad_outputs: Any) -> Any:
        """Return one gradient (or None) per input of forward."""
        raise NotImplementedError("You must implement either the backward or vjp method for your custom autograd.Function to use it with backward mode AD.")

    @classmethod
    def apply(cls, *args: Any) -> Any:
        """Run forward, and record a node for backward when an input requires grad."""
        from minigrad.tensor import Tensor

        node = cls._backward_cls()
        tracking = _state.enabled
        if tracking:
            needs = tuple(isinstance(a, Tensor) and a._requires_grad for a in args)
            tracking = any(needs)
            if tracking:
                node.needs_input_grad = needs
        if not tracking:
            node.needs_input_grad = (False,) * len(args)

        # Forward computes values only: nothing inside it is recorded.
        previous = _state.enabled
        _state.enabled = False
        try:
            raw = cls.forward(node, *args)
        finally:
            _state.enabled = previous

        is_tuple = isinstance(raw, tuple)
        outputs = tuple(_as_output(o, args) for o in (raw if is_tuple else (raw,)))
        if tracking:
            _record(node, args, outputs)
        return outputs if is_tuple else outputs[0]


def _as_output(value: Any, inputs: tuple[Any, ...]) -> Any:
    from minigrad.tensor import Tensor

    if isinstance(value, Tensor):
        # An input returned as it is becomes a new tensor sharing its memory, so that the
        # input keeps its own history.
        if any(value is a for a in inputs):
            alias = Tensor._make(value._data)
            alias._version_counter = value._version_counter
            return alias
        return value
    if isinstance(value, (np.ndarray, np.generic)):
        return Tensor._make(np.asarray(value))
    return value


def _record(node: BackwardFunction, args: tuple[Any, ...], outputs: tuple[Any, ...]) -> None:
    """Connect the node to its inputs' nodes and make it the grad_fn of its outputs."""
    from minigrad.tensor import Tensor

    edges = []
    meta = []
    positions = []
    for position, arg in enumerate(args):
        if isinstance(arg, Tensor):
            positions.append(position)
            edges.append(arg._gradient_edge())
            meta.append((arg._data.shape, arg._data.dtype))
    node.next_functions = tuple(edges)
    if _state.anomaly:
        # Remember where the forward call was made, to name it if backward yields NaN.
        node._anomaly_trace = "".join(traceback.format_stack()[:-3])
    node._input_meta = tuple(meta)
    if len(positions) != len(args):
        node._input_positions = tuple(positions)

    if len(outputs) > 1:
        node._output_meta = tuple(
            (o._data.shape, o._data.dtype) if isinstance(o, Tensor) else ((), np.float32)
            for o in outputs
        )
    for output_nr, out in enumerate(outputs):
        if (
            isinstance(out, Tensor)
            and out._data.dtype.kind == "f"
            and not any(out is nd for nd in node._non_differentiable)
        ):
            out._requires_grad = True
            out.grad_fn = node
            out._output_nr = output_nr

    to_save = node.__dict__.pop("_to_save", None)
    if to_save:
        node._saved = tuple(
            None if t is None else SavedTensor(t, is_output=any(t is o for o in outputs))
            for t in to_save
        )
