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
...
...     @staticmethod
...     def backward(ctx, grad):
...         (result,) = ctx.saved_tensors
...         return grad * result
>>> x = minigrad.tensor([0.0, 1.0], requires_grad=True)
>>> y = Exp.apply(x)
>>> y.grad_fn.name()
'ExpBackward'
>>> y.sum().backward()
>>> x.grad
tensor([1.0000, 2.7183])
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

import numpy as np

from minigrad._floating_point import restore as _restore_warnings
from minigrad._floating_point import silence as _silence_warnings
from minigrad.autograd.anomaly import _forward_trace
from minigrad.autograd.grad_mode import _GradState, _state
from minigrad.autograd.graph import (
    _TENSOR,
    Node,
    SavedTensor,
    _sequence_numbers,
    _tensor_class,
    saved_tensor_property,
)


class BackwardFunction(Node):
    """The node (and ``ctx``) of one call of a ``Function``."""

    _forward_cls: ClassVar[type[Function]]
    _non_differentiable: tuple[Any, ...] = ()
    _to_save: tuple[Any, ...] | None = None

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

    # Outside recording, forward may ask which inputs need a gradient: none do.
    needs_input_grad = (False,) * 64


class Function:
    """Base class of differentiable operations, built-in and your own.

    As ``torch.autograd.Function``.

    The node class of a ``Function`` named ``Exp`` is named ``ExpBackward``, as in PyTorch;
    built-in operations set ``node_name`` to the name PyTorch gives their node
    (``MulBackward0``).
    """

    node_name: ClassVar[str | None] = None
    # True for operations that may meet inf or NaN (log(0), inf - inf, overflow): their
    # forward runs with NumPy's floating point warnings off, silent as torch is.
    quiet: ClassVar[bool] = False
    # A few PyTorch nodes answer name() with a namespaced name (torch::autograd::CopySlices).
    node_qualified_name: ClassVar[str | None] = None
    saved_names: ClassVar[tuple[str, ...]] = ()
    _backward_cls: ClassVar[type[BackwardFunction]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        name = cls.__dict__.get("node_name") or f"{cls.__name__}Backward"
        namespace = {
            "_forward_cls": cls,
            "saved_names": cls.saved_names,
            "_qualified_name": cls.__dict__.get("node_qualified_name"),
            "__module__": cls.__module__,
        }
        for index, saved_name in enumerate(cls.saved_names):
            namespace[f"_saved_{saved_name}"] = saved_tensor_property(index)
        cls._backward_cls = type(name, (BackwardFunction,), namespace)

    @staticmethod
    def forward(ctx: Any, *args: Any) -> Any:
        """Compute the outputs from the inputs (tensors and other values)."""
        raise NotImplementedError(
            "You must implement the forward function for custom autograd.Function."
        )

    @staticmethod
    def backward(ctx: Any, *grad_outputs: Any) -> Any:
        """Return one gradient (or None) per input of forward."""
        raise NotImplementedError(
            "You must implement either the backward or vjp method for your custom "
            "autograd.Function to use it with backward mode AD."
        )

    @classmethod
    def apply(cls, *args: Any) -> Any:
        """Run forward, and record a node for backward when an input requires grad."""
        Tensor = _TENSOR[0] if _TENSOR else _tensor_class()  # noqa: N806 - the class
        node_cls = cls._backward_cls
        # The ctx becomes a node of the graph only when tracking; otherwise it is a throwaway.
        node = node_cls.__new__(node_cls)
        tracking = _state.enabled and _connect(node, args, Tensor)
        if tracking:
            _state.enabled = False  # forward computes values only: nothing inside is recorded
        token = _silence_warnings() if cls.quiet else None
        try:
            raw = cls.forward(node, *args)
        finally:
            if tracking:
                _state.enabled = True
            if token is not None:
                _restore_warnings(token)
        raw_type = type(raw)
        # One new output, the common case: recorded in short.
        if raw_type is np.ndarray:
            out = Tensor._make(raw)
        elif raw_type in _NUMPY_SCALARS:  # 0-d arithmetic gives a NumPy scalar: a 0-d array
            out = Tensor._make(np.asarray(raw))
        elif raw_type is Tensor and not _is_one_of(raw, args):
            # Made by forward: to be saved (ctx.save_for_backward(result)), or a view.
            out = raw
            if raw._is_view and not tracking and not _state.enabled:
                _mark_no_grad_views(raw, args, Tensor)
        else:
            out = None
        if out is not None:
            if tracking:
                _record_one(node, out)
            if _forward_ad_hook is not None:
                _forward_ad_hook(cls, args, (out,))
            return out
        # Several outputs, an input returned as it is, or another value.
        if not tracking and not _state.enabled:
            _mark_no_grad_views(raw, args, Tensor)  # (a view is never a new array)
        if raw_type is tuple:
            outputs = tuple(_as_output(o, args, Tensor) for o in raw)
        else:
            outputs = (_as_output(raw, args, Tensor),)
        if tracking:
            _record(node, outputs, Tensor)
        if _forward_ad_hook is not None:
            _forward_ad_hook(cls, args, outputs)
        return outputs if raw_type is tuple else outputs[0]


def _is_one_of(value: Any, args: tuple[Any, ...]) -> bool:
    """True when ``value`` is one of ``args`` itself (``in`` would compare tensors' values)."""
    for a in args:
        if a is value:
            return True
    return False


# The NumPy scalar types of minigrad's dtypes: what an operation on 0-d arrays returns.
_NUMPY_SCALARS = frozenset({np.float32, np.float64, np.int64, np.bool_})

# Set by minigrad.autograd.forward_ad while a dual level is open: it attaches tangents to
# the outputs of operations on dual tensors.
_forward_ad_hook: Callable[[type, tuple[Any, ...], tuple[Any, ...]], None] | None = None


def _mark_no_grad_views(raw: Any, args: tuple[Any, ...], Tensor: type) -> None:  # noqa: N803
    # As in PyTorch: a view made under no_grad of a tensor that requires grad requires grad
    # itself (a leaf), and may not be modified in place once recording is back on.
    for a in args:
        if isinstance(a, Tensor) and a._requires_grad:
            break
    else:
        return  # (the common case, views of gradients in the backward pass: nothing to mark)
    for out in raw if type(raw) is tuple else (raw,):
        if getattr(out, "_is_view", False):
            out._requires_grad = out._data.dtype.kind == "f"
            out._created_in_no_grad = True


def _as_output(value: Any, inputs: tuple[Any, ...], Tensor: type) -> Any:  # noqa: N803
    if type(value) is np.ndarray:
        return Tensor._make(value)
    if isinstance(value, Tensor):
        # An input returned as it is becomes a new tensor sharing its memory, so that the
        # input keeps its own history.
        if _is_one_of(value, inputs):
            alias = Tensor._make(value._data)
            alias._version_counter = value._version_counter
            return alias
        return value
    if isinstance(value, (np.ndarray, np.generic)):
        return Tensor._make(np.asarray(value))
    return value


# Nodes share their small metadata tuples (the output numbers of their edges, which inputs need
# a gradient, the inputs' shapes and dtypes): most nodes of a graph have the same few. Without
# this, a graph of 100,000 nodes holds 300,000 more small objects, and Python's cyclic garbage
# collector reads every one of them again at each full collection while the graph grows: on W3
# of benchmarks/, about 0.4 s of a 1.5 s step. The three are looked up together, as one key:
# each keeps its own place in it, so (True, False) never stands in for (1, 0), though they are
# equal.
_SHARED_LIMIT = 10_000
_shared_metadata: dict[tuple[Any, ...], tuple[Any, ...]] = {}


def _shared(metadata: tuple[Any, ...]) -> tuple[Any, ...]:
    """The tuple equal to ``metadata`` that nodes share (``metadata`` itself the first time)."""
    stored = _shared_metadata.get(metadata)
    if stored is None:
        if len(_shared_metadata) >= _SHARED_LIMIT:
            _shared_metadata.clear()  # many distinct shapes: start again rather than grow forever
        stored = _shared_metadata[metadata] = metadata
    return stored


def _connect(node: BackwardFunction, args: tuple[Any, ...], Tensor: type) -> bool:  # noqa: N803
    """Connect the node to the nodes of its inputs (before forward runs), and number it.

    Returns False, leaving the node unused, when no input requires grad: nothing to record.
    Most operations take one tensor or two (``x.tanh()``, ``x * y``, ``x * 2.0``, whose number
    is a tensor by now): those are connected without the general loop, to the same node.
    """
    count = len(args)
    first = args[0] if count else None
    if count == 2 and isinstance(first, Tensor):
        second = args[1]
        if isinstance(second, Tensor):
            connected = _connect_pair(node, first, second)
        else:  # a tensor and a value (x.sum(None), x.expand(shape), 1 - x): one edge
            connected = _connect_one(node, first, _TENSOR_AND_VALUE)
            if connected:
                node._input_positions = _FIRST_ONLY
    elif count == 1 and isinstance(first, Tensor):
        connected = _connect_one(node, first)
    else:
        connected = _connect_any(node, args, Tensor)
    if connected and _GradState.anomaly:
        # Remember where the forward call was made, to name it if backward yields NaN.
        node._anomaly_trace = _forward_trace()
    return connected


def _edge(t: Any) -> tuple[Node, int, tuple[Any, ...]]:
    """The edge to an input that requires grad: its node, output number, and (shape, dtype)."""
    data = t._data
    grad_fn = t.grad_fn
    if grad_fn is None:  # a leaf: its gradient goes to its AccumulateGrad node
        return t._accumulate_grad_node(), 0, (data.shape, data.dtype)
    return grad_fn, t._output_nr, (data.shape, data.dtype)


def _connect_one(node: BackwardFunction, a: Any, needs: tuple[bool, ...] = (True,)) -> bool:
    """``_connect`` for one tensor input; ``needs`` has a False for each value after it."""
    if not a._requires_grad:
        return False
    next_node, output_nr, meta = _edge(a)
    node._sequence_nr = next(_sequence_numbers)
    node._next_nodes = (next_node,)
    node._next_nrs, node.needs_input_grad, node._input_meta = _shared(
        ((output_nr,), needs, (meta,))
    )
    return True


def _connect_pair(node: BackwardFunction, a: Any, b: Any) -> bool:
    """``_connect`` for two tensor inputs: each is an edge (needs a gradient) or a constant."""
    node_a, nr_a, meta_a = _edge(a) if a._requires_grad else _CONSTANT
    node_b, nr_b, meta_b = _edge(b) if b._requires_grad else _CONSTANT
    if node_a is None and node_b is None:
        return False
    node._sequence_nr = next(_sequence_numbers)
    node._next_nodes = (node_a, node_b)
    node._next_nrs, node.needs_input_grad, node._input_meta = _shared(
        ((nr_a, nr_b), (node_a is not None, node_b is not None), (meta_a, meta_b))
    )
    return True


# A constant input's place among the edges: no node, output number 0, no (shape, dtype).
_CONSTANT = (None, 0, None)
# A tensor followed by a value: which inputs need a gradient, and where the tensor is.
_TENSOR_AND_VALUE = (True, False)
_FIRST_ONLY = (0,)


def _connect_any(node: BackwardFunction, args: tuple[Any, ...], Tensor: type) -> bool:  # noqa: N803
    """``_connect`` for any inputs: tensors, and other values that get no edge."""
    # The edges to the inputs' nodes, as two flat tuples (see Node.next_functions).
    next_nodes = []
    next_nrs = []
    needs = []
    # (shape, dtype) of each input that gradients flow to: the engine fits gradients to them.
    meta = []
    for arg in args:
        if isinstance(arg, Tensor):
            # (a tensor with a grad_fn always requires grad)
            next_node, output_nr, input_meta = _edge(arg) if arg._requires_grad else _CONSTANT
            next_nodes.append(next_node)
            next_nrs.append(output_nr)
            meta.append(input_meta)
            needs.append(next_node is not None)
        else:
            needs.append(False)
    if True not in needs:
        return False
    node._sequence_nr = next(_sequence_numbers)
    node._next_nodes = tuple(next_nodes)
    node._next_nrs, node.needs_input_grad, node._input_meta = _shared(
        (tuple(next_nrs), tuple(needs), tuple(meta))
    )
    if len(next_nodes) < len(args):
        node._input_positions = tuple(i for i, a in enumerate(args) if isinstance(a, Tensor))
    return True


def _record_one(node: BackwardFunction, out: Any) -> None:
    """``_record`` for one new tensor, the output of most operations."""
    if node._non_differentiable:
        _record(node, (out,), type(out))
        return
    if out._data.dtype.kind == "f":
        out._requires_grad = True
        out.grad_fn = node
        if out._output_nr:  # (a new tensor has the class default, 0)
            out._output_nr = 0
    if node._to_save is not None:
        _keep_saved(node, (out,))


def _record(node: BackwardFunction, outputs: tuple[Any, ...], Tensor: type) -> None:  # noqa: N803
    """Make the node the grad_fn of its outputs, and keep what forward saved."""
    non_differentiable = node._non_differentiable
    if len(outputs) == 1 and not non_differentiable:
        out = outputs[0]
        if isinstance(out, Tensor):
            _record_one(node, out)
        elif node._to_save is not None:
            _keep_saved(node, outputs)
        return
    if len(outputs) > 1:
        node._output_meta = tuple(
            (o._data.shape, o._data.dtype) if isinstance(o, Tensor) else ((), np.float32)
            for o in outputs
        )
    for output_nr, out in enumerate(outputs):
        if (
            isinstance(out, Tensor)
            and out._data.dtype.kind == "f"
            and not any(out is nd for nd in non_differentiable)
        ):
            out._requires_grad = True
            out.grad_fn = node
            out._output_nr = output_nr
    if node._to_save is not None:
        _keep_saved(node, outputs)


def _keep_saved(node: BackwardFunction, outputs: tuple[Any, ...]) -> None:
    """Keep what forward gave ``save_for_backward``, each in the form that checks it later."""
    to_save = node._to_save
    node._to_save = None  # (it may hold an output: no cycle through the node)
    first = outputs[0]
    several = len(outputs) > 1
    saved: list[Any] = []
    for t in to_save:
        if t is None:
            saved.append(None)
        elif t is first or (several and any(t is o for o in outputs)):
            saved.append(SavedTensor(t, is_output=True))
        elif t._vc is None:
            # An input at version 0 is kept as it is (see unpack_saved); a wrapped number,
            # which nothing else holds, as its array: one object fewer per node for Python's
            # garbage collector (arrays are not tracked), in graphs of x * 1.0001.
            saved.append(t._data if t._is_wrapped_number else t)
        else:
            saved.append(SavedTensor(t, is_output=False))
    node._saved = tuple(saved)
