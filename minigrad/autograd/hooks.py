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

from collections.abc import Sequence
from typing import Any

from minigrad.autograd.graph import AccumulateGrad, Node


def run_tensor_hooks(node: Node, grads: list[Any], writes: list[tuple[Any, Any]]) -> list[Any]:
    """Hooks of the tensors this node produced (or of its leaf), then ``retain_grad``."""
    if type(node) is AccumulateGrad:
        for hook in node.variable._hooks or ():
            result = hook(grads[0])
            if result is not None:
                grads = [result]
        return grads
    for output_nr, tensor_hooks in (node._tensor_pre_hooks or {}).items():
        for hook in tensor_hooks:
            if grads[output_nr] is not None:
                result = hook(grads[output_nr])
                if result is not None:
                    grads[output_nr] = result
    # A non-leaf that called retain_grad() gets its .grad too (written at the end of the pass).
    for output_nr, ref in (node._retained or {}).items():
        tensor = ref()
        if tensor is not None and grads[output_nr] is not None:
            writes.append((tensor, grads[output_nr]))
    return grads


def run_pre_hooks(node: Node, grads: list[Any]) -> list[Any]:
    """Hooks given to ``node.register_prehook``: they may replace the incoming gradients."""
    for hook in node._pre_hooks:
        result = hook(tuple(grads))
        if result is not None:
            grads = list(result)
    return grads


def run_post_hooks(node: Node, grad_inputs: Sequence[Any], grads: list[Any]) -> list[Any]:
    """Hooks given to ``node.register_hook``: they may replace the outgoing gradients."""
    for hook in node._hooks:
        result = hook(tuple(grad_inputs), tuple(grads))
        if result is not None:
            grad_inputs = list(result)
    return list(grad_inputs)
