"""What your own ``Function`` can do beyond forward and backward, as in PyTorch.

- ``CustomBackwardFunction``: the node (and ``ctx``) of your Function's calls: it checks what
  ``save_for_backward`` is given, takes ``mark_dirty`` (inputs changed in place, returned as
  outputs: ``dirty_outputs``) and prints as torch prints it;
- PyTorch 2's style: ``forward`` without ctx, and ``setup_context(ctx, inputs, output)``;
- ``once_differentiable``, for a backward that cannot be differentiated again;
- ``call_node``: calling a built-in node, ``y.grad_fn(grad)``, runs its backward.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from minigrad._messages import FREED_MESSAGE
from minigrad.autograd.function import (
    BackwardFunction,
    Function,
    _any_requires_grad,
    _is_one_of,
)
from minigrad.autograd.grad_mode import _state
from minigrad.tensor import Tensor, expandable_to


class CustomBackwardFunction(BackwardFunction):
    """The node (and ``ctx``) of one call of a Function of your own: it checks what it is
    given, can be told which inputs forward changed in place (``mark_dirty``), and prints
    as PyTorch prints it.

    >>> import minigrad
    >>> class Double(minigrad.autograd.Function):
    ...     @staticmethod
    ...     def forward(ctx, x):
    ...         return x * 2
    ...
    ...     @staticmethod
    ...     def backward(ctx, grad):
    ...         return grad * 2
    >>> y = Double.apply(minigrad.ones(2, requires_grad=True))
    >>> repr(y.grad_fn).startswith("<torch.autograd.function.DoubleBackward object at 0x")
    True
    """

    def save_for_backward(self, *tensors: Any) -> None:
        """Keep tensors (or None) for backward; anything else is refused, as in PyTorch."""
        if self._next_nodes:  # (checked only when the call is recorded, as PyTorch does)
            for index, tensor in enumerate(tensors):
                if tensor is not None and not isinstance(tensor, Tensor):
                    raise TypeError(
                        "save_for_backward can only save variables, but argument "
                        f"{index} is of type {type(tensor).__name__}"
                    )
        self._to_save = tensors

    def save_for_forward(self, *tensors: Any) -> None:
        """Keep tensors for the Function's ``jvp`` (forward-mode AD), which reads them as
        ``ctx.saved_tensors``.

        >>> import minigrad
        >>> import minigrad.autograd.forward_ad as fwAD
        >>> class Square(minigrad.autograd.Function):
        ...     @staticmethod
        ...     def forward(ctx, x):
        ...         ctx.save_for_forward(x)
        ...         return x * x
        ...
        ...     @staticmethod
        ...     def jvp(ctx, tangent):
        ...         (x,) = ctx.saved_tensors
        ...         return 2 * x * tangent
        >>> with fwAD.dual_level():
        ...     x = fwAD.make_dual(minigrad.tensor([1.0, 3.0]), minigrad.ones(2))
        ...     fwAD.unpack_dual(Square.apply(x)).tangent
        tensor([2., 6.])
        """
        self._saved_for_forward = tensors

    def mark_dirty(self, *tensors: Any) -> None:
        """Inputs that forward changed in place; forward must return them.

        >>> import minigrad
        >>> class AddOne_(minigrad.autograd.Function):
        ...     @staticmethod
        ...     def forward(ctx, x):
        ...         x.add_(1)
        ...         ctx.mark_dirty(x)
        ...         return x
        ...
        ...     @staticmethod
        ...     def backward(ctx, grad):
        ...         return grad
        >>> a = minigrad.ones(2, requires_grad=True).clone()
        >>> b = AddOne_.apply(a)
        >>> b is a, a
        (True, tensor([2., 2.], grad_fn=<AddOne_Backward>))
        """
        self._dirty = tensors

    def __repr__(self) -> str:
        return f"<torch.autograd.function.{type(self).__name__} object at {id(self):#x}>"

    def __call__(self, *grads: Any) -> Any:
        raise TypeError(f"'{type(self).__name__}' object is not callable")


def forward_then_setup_context(cls: type[Function]) -> Callable[..., Any]:
    """The forward ``apply`` calls for a Function in PyTorch 2's style: the class's forward
    (which takes no ctx), then its ``setup_context``."""
    forward, setup_context = cls.forward, cls.setup_context

    def forward_with_ctx(ctx: Any, *args: Any) -> Any:
        output = forward(*args)
        setup_context(ctx, args, output)
        return output

    forward_with_ctx.__wrapped__ = forward  # type: ignore[attr-defined]
    return forward_with_ctx


ONCE_DIFFERENTIABLE_ERROR = (
    "trying to differentiate twice a function that was marked with @once_differentiable"
)


def once_differentiable(backward: Callable[..., Any]) -> Callable[..., Any]:
    """Decorate a custom Function's ``backward`` whose formula cannot be differentiated again
    (it computes with NumPy, say). It runs without recording; a gradient of its gradients
    then raises PyTorch's error instead of being silently wrong.

    >>> import minigrad
    >>> from minigrad.autograd.function import once_differentiable
    >>> class Square(minigrad.autograd.Function):
    ...     @staticmethod
    ...     def forward(ctx, x):
    ...         ctx.save_for_backward(x)
    ...         return x * x
    ...
    ...     @staticmethod
    ...     @once_differentiable
    ...     def backward(ctx, grad):
    ...         (x,) = ctx.saved_tensors
    ...         return minigrad.from_numpy(2 * x.numpy() * grad.numpy())
    >>> x = minigrad.tensor([1.0, 2.0], requires_grad=True)
    >>> (g,) = minigrad.autograd.grad((Square.apply(x) ** 2).sum(), x, create_graph=True)
    >>> g
    tensor([ 4., 32.], grad_fn=<Error>)
    >>> g.sum().backward()
    Traceback (most recent call last):
    ...
    RuntimeError: trying to differentiate twice a function that was marked with @once_differentiable
    """  # noqa: E501

    @functools.wraps(backward)
    def wrapper(ctx: Any, *grads: Any) -> Any:
        recording, _state.enabled = _state.enabled, False
        try:
            outputs = backward(ctx, *grads)
        finally:
            _state.enabled = recording
        if not (recording and _any_requires_grad(grads)):
            return outputs
        # The gradients require grad from here on, through a node whose backward raises.
        several = type(outputs) is tuple
        results = list(outputs) if several else [outputs]
        present = [i for i, r in enumerate(results) if isinstance(r, Tensor)]
        leaves = [Tensor._make(results[i]._data, requires_grad=True) for i in present]
        errors = DelayedError.apply(*leaves) if leaves else ()
        for i, error in zip(present, errors if type(errors) is tuple else (errors,)):
            results[i] = error
        return tuple(results) if several else results[0]

    return wrapper


class DelayedError(Function):
    """The node of the gradients a ``once_differentiable`` backward returns while recording:
    differentiating through it raises."""

    node_name = "Error"
    node_qualified_name = "torch::autograd::Error"

    @staticmethod
    def forward(ctx: Any, *tensors: Tensor) -> Any:
        outputs = tuple(Tensor._make(t._data) for t in tensors)
        return outputs if len(outputs) > 1 else outputs[0]

    @staticmethod
    def backward(ctx: Any, *grads: Any) -> Any:
        raise RuntimeError(ONCE_DIFFERENTIABLE_ERROR)


def dirty_outputs(
    node: BackwardFunction, raw: tuple[Any, ...], outputs: tuple[Any, ...], grad_mode: bool
) -> tuple[Any, ...]:
    """The inputs given to ``ctx.mark_dirty``, returned by forward, are the outputs themselves
    (not views of them): their version moves on, and the node becomes their ``grad_fn``."""
    dirty = node._dirty
    node._dirty = ()
    for tensor in dirty:
        if not _is_one_of(tensor, raw):
            raise RuntimeError(
                "Some elements marked as dirty during the forward method were not returned as "
                "output. The inputs that are modified inplace must all be outputs of the "
                "Function."
            )
        tensor._version_counter.value += 1
        if grad_mode and tensor._requires_grad and tensor.grad_fn is None:
            raise RuntimeError(
                "a leaf Variable that requires grad has been used in an in-place operation."
            )
    return tuple(r if _is_one_of(r, dirty) else o for r, o in zip(raw, outputs))


def call_node(node: BackwardFunction, grads: tuple[Any, ...]) -> Any:
    """``node(*grads)`` for a built-in node: its backward on the gradients of its outputs,
    each result reduced to its input's shape (None for an input that needs no gradient)."""
    outputs = 1 if node._output_meta is None else len(node._output_meta)
    if len(grads) != outputs:
        raise TypeError(f"expected {outputs} arguments, got {len(grads)} instead")
    for index, grad in enumerate(grads):
        if not isinstance(grad, Tensor):
            raise TypeError(f"argument {index} is not a Variable")
    if node._freed:
        raise RuntimeError(FREED_MESSAGE)
    results = node._forward_cls.backward(node, *grads)
    results = results if type(results) is tuple else (results,)
    if node._input_positions is not None or len(results) != len(node._next_nodes):
        results = tuple(node._tensor_input_gradients(results))
    fitted = []
    for next_node, grad, meta in zip(node._next_nodes, results, node._input_meta):
        if next_node is None or grad is None:
            grad = None
        elif grad._data.shape != meta[0] and expandable_to(meta[0], grad._data.shape):
            grad = grad.sum_to_size(meta[0])  # (backward's broadcast, undone)
        fitted.append(grad)
    return fitted[0] if len(fitted) == 1 else tuple(fitted)
