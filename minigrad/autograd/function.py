"""``Function``: one class per operation, with its forward and its backward side by side.

Write ``forward(ctx, ...)`` to compute the result and ``backward(ctx, grad)`` to turn the
gradient of the result into gradients of the inputs; ``Function.apply`` runs forward and,
when gradients are needed, records a node for backward. The node *is* the ``ctx``: what
forward saves on it (``ctx.save_for_backward``, ``ctx.dim = ...``) is what backward reads.
Backward formulas are written with tensor operations, so with ``create_graph=True`` they
are recorded too, and derivatives of any order follow.

Read ``Function.apply``, then ``connect`` (the node's edges to its inputs' nodes) and
``record`` (the node becomes the output's ``grad_fn``, and keeps what forward saved).

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

import functools
from collections.abc import Callable
from typing import Any, ClassVar

import numpy as np

from minigrad import _floating_point
from minigrad._messages import FREED_MESSAGE, gradient_count_error
from minigrad.autograd.anomaly import _forward_trace
from minigrad.autograd.grad_mode import _GradState, _state
from minigrad.autograd.graph import Node, _sequence_numbers
from minigrad.autograd.saved import (
    SAVED_VALUES,
    pack_saved,
    saved_form,
    saved_value,
    saved_value_names,
    unpack_checked,
)
from minigrad.autograd.saved_hooks import saved_tensors_hooks_stack as _pack_hooks
from minigrad.tensor import Tensor


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
        # Your own Functions (built-in operations name their node) get a node that checks
        # what it is given (CustomBackwardFunction); in PyTorch 2's style, forward takes no
        # ctx and setup_context fills it in: apply calls the two through one forward.
        custom = "node_name" not in cls.__dict__
        if custom and "setup_context" in cls.__dict__ and "forward" in cls.__dict__:
            cls.forward = staticmethod(_custom.forward_then_setup_context(cls))  # type: ignore[method-assign]
        namespace = {
            "_forward_cls": cls,
            "saved_names": cls.saved_names,
            "_qualified_name": cls.__dict__.get("node_qualified_name"),
            "__module__": cls.__module__,
        }
        for index, saved_name in enumerate(cls.saved_names):
            namespace[f"_saved_{saved_name}"] = _saved_tensor_property(index)
            namespace[f"_raw_saved_{saved_name}"] = _saved_value_property(
                f"_raw_saved_{saved_name}"
            )
        # node._saved_dim and the like: the values (not tensors) a node keeps, where it has them.
        # (Properties rather than a __getattr__, which would slow every attribute of every node:
        # 5.5% of W1's instructions.)
        for value_name in SAVED_VALUES:
            namespace.setdefault(
                f"_saved_{value_name}", _saved_value_property(f"_saved_{value_name}")
            )
        if custom:
            namespace["_raw_saved_tensors"] = _saved_value_property("_raw_saved_tensors")
        base = _custom.CustomBackwardFunction if custom else BackwardFunction
        cls._backward_cls = type(name, (base,), namespace)

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

    @staticmethod
    def setup_context(ctx: Any, inputs: tuple[Any, ...], output: Any) -> None:
        """PyTorch 2's style: forward takes no ctx, and this saves what backward needs from
        the inputs and the output.

        >>> import minigrad
        >>> class Cube(minigrad.autograd.Function):
        ...     @staticmethod
        ...     def forward(x):
        ...         return x**3
        ...
        ...     @staticmethod
        ...     def setup_context(ctx, inputs, output):
        ...         ctx.save_for_backward(inputs[0])
        ...
        ...     @staticmethod
        ...     def backward(ctx, grad):
        ...         (x,) = ctx.saved_tensors
        ...         return grad * 3 * x**2
        >>> x = minigrad.tensor(2.0, requires_grad=True)
        >>> Cube.apply(x).backward()
        >>> x.grad
        tensor(12.)
        """
        raise NotImplementedError("setup_context is not implemented.")

    @classmethod
    def apply(cls, *args: Any) -> Any:
        """Run forward, and record a node for backward when an input requires grad."""
        node = cls._backward_cls.__new__(cls._backward_cls)  # forward's ctx, the graph's node
        grad_mode = _state.enabled
        recording = grad_mode and connect(node, args)
        _state.enabled = False  # forward computes values only: nothing inside is recorded
        quiet = _floating_point.silence() if cls.quiet else None
        try:
            raw = cls.forward(node, *args)
        finally:
            _state.enabled = grad_mode
            _floating_point.restore(quiet)
        if type(raw) is np.ndarray:  # the common case: one new array
            output = Tensor._make(raw)
        elif type(raw) is Tensor and not _is_one_of(raw, args):
            output = raw  # made by forward: a result it saved, or a view (expand, transpose, ...)
            if raw._is_view and not grad_mode and _any_requires_grad(args):
                _mark_no_grad_views((output,))
        else:  # several outputs, an input returned as it is, a NumPy scalar
            return _other_outputs(cls, node, raw, args, recording, grad_mode)
        if recording:
            record(node, (output,))
        if _forward_ad_hook is not None:  # forward-mode AD (forward_ad.py) is on
            _forward_ad_hook(cls, args, (output,))
        return output


def connect(node: BackwardFunction, args: tuple[Any, ...]) -> bool:
    """Connect the node to the nodes of its inputs (before forward runs), and number it.

    One edge per tensor input: to its ``grad_fn``, to its leaf's ``AccumulateGrad``, or None
    for an input that needs no gradient. Returns False (nothing to record) when no input
    requires grad.
    """
    next_nodes, next_nrs, needs, input_meta = [], [], [], []
    for arg in args:
        is_tensor = isinstance(arg, Tensor)
        needs.append(is_tensor and arg._requires_grad)  # (one per input, as forward's ctx sees)
        if is_tensor:
            next_node, output_nr = arg._gradient_edge() if arg._requires_grad else (None, 0)
            next_nodes.append(next_node)
            next_nrs.append(output_nr)
            # What fit_to_input fits a gradient to:
            input_meta.append((arg._data.shape, arg._data.dtype) if arg._requires_grad else None)
    if True not in needs:
        return False
    node._sequence_nr = next(_sequence_numbers)
    node._next_nodes = tuple(next_nodes)
    metadata = (tuple(next_nrs), tuple(needs), tuple(input_meta))
    node._next_nrs, node.needs_input_grad, node._input_meta = _shared(metadata)
    if len(next_nodes) < len(args):
        node._input_positions = tuple(i for i, a in enumerate(args) if isinstance(a, Tensor))
    if _GradState.anomaly:  # anomaly mode: remember where the forward call was made
        node._anomaly_trace, node._hooked = _forward_trace(), True  # (run with the extras)
    return True


def record(node: BackwardFunction, outputs: tuple[Any, ...]) -> None:
    """Make the node the ``grad_fn`` of its floating point outputs; keep what forward saved."""
    for output_nr, output in enumerate(outputs):
        # (Only floating point tensors have gradients; a Function may mark some outputs.)
        if not isinstance(output, Tensor) or output._data.dtype.kind != "f":
            continue
        if node._non_differentiable and _is_one_of(output, node._non_differentiable):
            continue
        output._requires_grad = True
        output.grad_fn = node
        if output_nr or output._output_nr:  # (a new tensor has the class default, 0)
            output._output_nr = output_nr
    if node._to_save is not None:
        node._saved = (pack_saved if _pack_hooks else keep_saved)(node._to_save, outputs)
        node._to_save = None  # (it may hold an output: no cycle through the node)


class BackwardFunction(Node):
    """The node (and ``ctx``) of one call of a ``Function``."""

    _forward_cls: ClassVar[type[Function]]
    _non_differentiable: tuple[Any, ...] = ()
    _to_save: tuple[Any, ...] | None = None
    _dirty: tuple[Any, ...] = ()  # (see CustomBackwardFunction.mark_dirty)
    # Outside recording, forward may ask which inputs need a gradient: none do.
    needs_input_grad = (False,) * 64

    def save_for_backward(self, *tensors: Any) -> None:
        """Keep tensors (or None) for backward; they are checked against in-place changes."""
        self._to_save = tensors

    @property
    def saved_tensors(self) -> tuple[Any, ...]:
        """The tensors given to ``save_for_backward``, as they were then."""
        if self._freed:
            raise RuntimeError(FREED_MESSAGE)
        return tuple([unpack_saved(saved, self) for saved in self._saved])

    def mark_non_differentiable(self, *outputs: Any) -> None:
        """Outputs that never require grad (such as indices)."""
        self._non_differentiable = outputs

    def set_materialize_grads(self, value: bool) -> None:
        """Whether backward receives zeros (True, the default) or None for unused outputs."""
        self._materialize_grads = value

    # -- what the engine asks of a Function's node ----------------------------------------
    def _with_missing_grads(self, grads: list[Any]) -> list[Any]:
        """A Function with several outputs gets zeros for the outputs no gradient reached
        (its hooks still see None there), unless it called set_materialize_grads(False)."""
        formula_grads = grads + [None] * (len(self._output_meta) - len(grads))
        if self._materialize_grads:
            for i, (shape, dtype) in enumerate(self._output_meta):
                if formula_grads[i] is None:
                    formula_grads[i] = Tensor._make(np.zeros(shape, dtype=dtype))
        return formula_grads

    def _tensor_input_gradients(self, results: tuple[Any, ...]) -> list[Any]:
        """The tensor inputs' gradients, from backward's one per input of forward (those of
        trailing inputs that are not tensors may be left out)."""
        expected = len(self.needs_input_grad)
        positions = self._input_positions or range(expected)
        if not (positions[-1] + 1 if positions else 0) <= len(results) <= expected:
            return self._without_extra_nones(results, positions)  # (or raises)
        return [results[p] for p in positions]

    def _without_extra_nones(self, results: tuple[Any, ...], positions: Any) -> list[Any]:
        """Backward returned more gradients than forward had inputs: allowed when the extra
        ones are None (for optional inputs that were not given), as in PyTorch."""
        expected = len(self.needs_input_grad)
        if len(results) <= expected or any(r is not None for r in results[expected:]):
            raise gradient_count_error(self, expected, len(results))
        return [results[p] for p in positions]

    def _tensor_saved_at(self, index: int) -> Tensor | None:
        """The saved tensor at ``index``: what torch's ``grad_fn._saved_self`` and the like give."""
        if self._freed:
            raise RuntimeError(FREED_MESSAGE)
        saved = self._saved[index] if self._saved and index < len(self._saved) else None
        return self._hand_out(index, saved)

    def __dir__(self) -> list[str]:
        # The class has a property for every value a node may keep: list those this one has.
        names = [n for n in super().__dir__() if not n.startswith(("_saved_", "_raw_saved_"))]
        tensors = [f"_saved_{name}" for name in self.saved_names]
        return sorted({*names, *tensors, *saved_value_names(self)})

    def _hand_out(self, index: int, saved: Any) -> Tensor | None:
        """A saved tensor, given to the user. A wrapped number is given as PyTorch gives it
        (a Python float as a float64 tensor, an int as int64, a bool as bool), and kept as
        that tensor from then on: a change of it in place is then caught, as in PyTorch."""
        tensor = unpack_saved(saved, self)
        number_type = (
            float if type(saved) is np.ndarray else getattr(saved, "_is_wrapped_number", 0)
        )
        if number_type in _NUMBER_DTYPES:
            tensor = Tensor._make(tensor._data.astype(_NUMBER_DTYPES[number_type]))
            entries = list(self._saved)
            entries[index] = tensor
            self._saved = tuple(entries)
        return tensor

    def __call__(self, *grads: Any) -> Any:
        """Run the node's backward on the gradients of its outputs, as the engine would:
        the gradients of its inputs (one, or a tuple; None for an input that needs none).

        >>> import minigrad
        >>> x = minigrad.tensor([1.0, 2.0], requires_grad=True)
        >>> (x * 3).grad_fn(minigrad.ones(2))
        (tensor([3., 3.]), None)
        """
        return _custom.call_node(self, grads)

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
        return items + super().saved_items()


# The dtype PyTorch gives a Python number saved by a node (``node._saved_other`` of ``x * 2.0``).
_NUMBER_DTYPES = {float: np.float64, int: np.int64, bool: np.bool_}


def keep_saved(to_save: tuple[Any, ...], outputs: tuple[Any, ...]) -> tuple[Any, ...]:
    """Keep what forward gave ``save_for_backward``, for backward to read."""
    saved = []
    for t in to_save:
        if t is None:
            pass
        elif t._vc is None and t is not outputs[0] and len(outputs) == 1:
            # An input never changed in place nor viewed is kept as it is (its version is 0); a
            # wrapped number, which nothing else holds, as its array (one object fewer for
            # Python's garbage collector, in graphs of x * 1.0001).
            t = t._data if t._is_wrapped_number is float else t
        else:  # an output (it would make a cycle) or a versioned input: see saved.py
            t = saved_form(t, outputs)
        saved.append(t)
    return tuple(saved)


def unpack_saved(saved: Any, node: Node) -> Any:
    """A saved tensor, for backward: checked against a change in place since it was saved."""
    if saved is None or (type(saved) is Tensor and saved._vc is None):
        return saved  # the common case: an input that was never changed in place nor viewed
    return unpack_checked(saved, node)  # (saved.py: outputs, wrapped numbers, versions)


def _saved_value_property(attribute: str) -> property:
    """``node.<attribute>``: a value the node keeps (``_saved_dim``), or a raw saved tensor."""
    return property(lambda node: saved_value(node, attribute))


def _saved_tensor_property(index: int) -> property:
    """``node._saved_<name>``: the node's saved tensor number ``index``, by its torch name."""
    return property(lambda node: node._tensor_saved_at(index))


# Set by minigrad.autograd.forward_ad while a dual level is open: it attaches tangents to
# the outputs of operations on dual tensors.
_forward_ad_hook: Callable[[type, tuple[Any, ...], tuple[Any, ...]], None] | None = None


def _other_outputs(
    cls: type[Function],
    node: BackwardFunction,
    raw: Any,
    args: tuple[Any, ...],
    recording: bool,
    grad_mode: bool,
) -> Any:
    """``apply`` for several outputs, an input returned as it is, or a NumPy scalar."""
    several = type(raw) is tuple
    outputs = tuple(_as_output(o, args) for o in raw) if several else (_as_output(raw, args),)
    if node._dirty:  # inputs changed in place (mark_dirty): they are outputs themselves
        outputs = _custom.dirty_outputs(node, raw if several else (raw,), outputs, grad_mode)
    if not grad_mode and _any_requires_grad(args):
        _mark_no_grad_views(outputs)
    if recording:
        if len(outputs) > 1:
            node._output_meta = tuple(
                (o._data.shape, o._data.dtype) if isinstance(o, Tensor) else ((), np.float32)
                for o in outputs
            )
        record(node, outputs)
    if _forward_ad_hook is not None:
        _forward_ad_hook(cls, args, outputs)
    return outputs if several else outputs[0]


def _as_output(value: Any, inputs: tuple[Any, ...]) -> Any:
    if isinstance(value, Tensor):
        # An input returned as it is becomes a view of it (as in PyTorch: same memory, same
        # version counter, ``_base``), so that the input keeps its own history.
        if _is_one_of(value, inputs):
            return value._view_of(value._data)
        return value
    if isinstance(value, (np.ndarray, np.generic)):
        return Tensor._make(np.asarray(value))  # (0-d arithmetic gives a NumPy scalar)
    return value


def _any_requires_grad(args: tuple[Any, ...]) -> bool:
    for arg in args:
        if isinstance(arg, Tensor) and arg._requires_grad:
            return True
    return False


def _mark_no_grad_views(outputs: tuple[Any, ...]) -> None:
    """As in PyTorch: a view made under no_grad of a tensor that requires grad requires grad
    itself (a leaf), and may not be modified in place once recording is back on."""
    for out in outputs:
        if getattr(out, "_is_view", False):
            out._requires_grad = out._data.dtype.kind == "f"
            out._created_in_no_grad = True


def _is_one_of(value: Any, values: tuple[Any, ...]) -> bool:
    """True when ``value`` is one of ``values`` itself (``in`` would compare tensors' values)."""
    for v in values:
        if v is value:
            return True
    return False


# Nodes share their small metadata tuples (the output numbers of their edges, which inputs need
# a gradient, the inputs' shapes and dtypes): most nodes of a graph have the same few. Without
# this, a graph of 100,000 nodes holds 300,000 more small objects, and Python's cyclic garbage
# collector reads every one of them again at each full collection while the graph grows: on W3
# of benchmarks/, about 0.4 s of a 1.5 s step. The three are looked up together, as one key:
# each keeps its own place in it, so (True, False) never stands in for (1, 0), though they are
# equal.
#
# ``_shared(metadata)`` gives the tuple equal to ``metadata`` that nodes share: a cache of at
# most 10,000 (many distinct shapes: the oldest are dropped) around ``tuple``, which returns a
# tuple given to it as it is, so the first tuple of each value is the one kept and shared.
_shared = functools.lru_cache(maxsize=10_000)(tuple)


# Your own Functions' extras (mark_dirty, setup_context, once_differentiable, calling a node)
# need the classes above: imported last.
from minigrad.autograd import custom_function as _custom  # noqa: E402
from minigrad.autograd.custom_function import once_differentiable  # noqa: E402, F401
