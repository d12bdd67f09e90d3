"""Hooks and ``retain_grad``: the engine's calls into your code, in PyTorch's order.

A node whose tensors or itself have hooks, or whose output called ``retain_grad()``, is marked
``node._hooked``; the engine tests that one attribute and calls these functions only then:

1. ``run_tensor_hooks``: the hooks registered on the tensors the node produced
   (``y.register_hook``; for a leaf, the leaf's hooks), which may replace their gradients;
   then ``retain_grad()``: the non-leaf's gradient is kept in its ``.grad``.
2. ``run_pre_hooks``: ``node.register_prehook``, before the node's backward.
3. ``run_post_hooks``: ``node.register_hook``, after it, with the gradients of the inputs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from minigrad._dtype import from_numpy_dtype
from minigrad.autograd.grad_mode import _state
from minigrad.autograd.graph import AccumulateGrad, Node, RemovableHandle


def run_tensor_hooks(node: Node, grads: list[Any], writes: list[tuple[Any, Any]]) -> list[Any]:
    """Hooks of the tensors this node produced (or of its leaf), then ``retain_grad``."""
    grads = _tensor_hooks(node, grads)
    # A non-leaf that called retain_grad() gets its .grad too (written at the end of the pass).
    for output_nr, ref in (node._retained or {}).items():
        tensor = ref()
        if tensor is not None and grads[output_nr] is not None:
            writes.append((tensor, grads[output_nr]))
    return grads


def _tensor_hooks(node: Node, grads: list[Any]) -> list[Any]:
    """``register_hook``'s hooks of the node's tensors (or of its leaf), which may replace
    their gradients."""
    if type(node) is AccumulateGrad:
        for hook in node.variable._hooks or ():
            result = hook(grads[0])
            if result is not None:
                grads = [checked_result(hook, result, grads[0])]
        return grads
    for output_nr, tensor_hooks in (node._tensor_pre_hooks or {}).items():
        for hook in tensor_hooks:
            if grads[output_nr] is not None:
                result = hook(grads[output_nr])
                if result is not None:
                    grads[output_nr] = checked_result(hook, result, grads[output_nr])
    return grads


def accumulate_then_run_post_accumulate_hooks(
    variable: Any, grad: Any, accumulate: Callable[..., None]
) -> None:
    """A leaf with ``register_post_accumulate_grad_hook``: its ``.grad`` is written at once
    (not at the end of the pass), then each hook is called with the leaf."""
    accumulate(variable, grad, _state.enabled)  # (the engine records while create_graph)
    for hook in variable._post_accumulate_hooks:
        result = hook(variable)
        if result is not None and not isinstance(result, type(variable)):
            raise TypeError(f"expected Variable, but hook returned '{_type_name(result)}'")


def register_post_accumulate_grad_hook(tensor: Any, hook: Callable[..., Any]) -> Any:
    """``Tensor.register_post_accumulate_grad_hook``: ``hook(tensor)`` after each
    accumulation into a leaf's ``.grad``."""
    if not tensor._requires_grad:
        raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
    if tensor.grad_fn is not None:
        raise RuntimeError("post accumulate grad hooks cannot be registered on non-leaf tensors")
    if tensor._post_accumulate_hooks is None:
        tensor._post_accumulate_hooks = []
    if tensor._hooks is None:
        tensor._hooks = []  # (its AccumulateGrad node is then run with the extras)
    if tensor._accumulator is not None and tensor._accumulator() is not None:
        tensor._accumulator()._hooked = True
    tensor._post_accumulate_hooks.append(hook)
    return RemovableHandle(tensor._post_accumulate_hooks, hook)


def run_pre_hooks(node: Node, grads: list[Any]) -> list[Any]:
    """Hooks given to ``node.register_prehook``: they may replace the incoming gradients."""
    for hook in node._pre_hooks:
        result = hook(tuple(grads))
        if result is not None:
            grads = checked_results(hook, result, grads)
    return grads


def run_post_hooks(node: Node, grad_inputs: Sequence[Any], grads: list[Any]) -> list[Any]:
    """Hooks given to ``node.register_hook``: they may replace the outgoing gradients."""
    for hook in node._hooks:
        result = hook(tuple(grad_inputs), tuple(grads))
        if result is not None:
            grad_inputs = checked_results(hook, result, grad_inputs)
    return list(grad_inputs)


def checked_results(hook: Any, results: Any, originals: Sequence[Any]) -> list[Any]:
    """What a node's hook returned, checked as PyTorch does: a tuple of one gradient (or
    None) per gradient it was given, each of the same size and type."""
    if type(results) is not tuple:
        raise TypeError(f"expected tuple, but hook returned '{_type_name(results)}'")
    if len(results) != len(originals):
        raise RuntimeError(
            f"hook '{_hook_name(hook)}' has returned an incorrect number of values (got "
            f"{len(results)}, but expected {len(originals)})"
        )
    return [
        result if result is None or original is None else checked_result(hook, result, original)
        for result, original in zip(results, originals)
    ]


def checked_result(hook: Any, result: Any, original: Any) -> Any:
    """A gradient a hook returned: a tensor of the size and type of the one it replaces."""
    if not isinstance(result, type(original)):
        raise TypeError(f"expected Variable, but hook returned '{_type_name(result)}'")
    if result._data.dtype != original._data.dtype:
        raise RuntimeError(
            f"hook '{_hook_name(hook)}' has changed the type of value (was "
            f"{from_numpy_dtype(original._data.dtype).tensor_type} got "
            f"{from_numpy_dtype(result._data.dtype).tensor_type})"
        )
    if result._data.shape != original._data.shape:
        raise RuntimeError(f"hook '{_hook_name(hook)}' has changed the size of value")
    return result


def _hook_name(hook: Any) -> str:
    return getattr(hook, "__name__", type(hook).__name__)


def _type_name(value: Any) -> str:
    """The type's name as PyTorch's messages give it (NumPy's with its module)."""
    kind = type(value)
    return f"numpy.{kind.__name__}" if kind.__module__ == np.__name__ else kind.__name__
