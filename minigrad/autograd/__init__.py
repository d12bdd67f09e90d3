"""``minigrad.autograd``: backward, grad, Function, grad modes and anomaly detection."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

from minigrad.autograd.anomaly import detect_anomaly, is_anomaly_enabled, set_detect_anomaly
from minigrad.autograd.engine import run_backward
from minigrad.autograd.function import BackwardFunction, Function
from minigrad.autograd.grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from minigrad.autograd.graph import Node
from minigrad.tensor import Tensor

__all__ = [
    "BackwardFunction",
    "Function",
    "Node",
    "backward",
    "detect_anomaly",
    "enable_grad",
    "forward_ad",
    "functional",
    "grad",
    "gradcheck",
    "gradgradcheck",
    "is_anomaly_enabled",
    "is_grad_enabled",
    "no_grad",
    "set_detect_anomaly",
    "set_grad_enabled",
]


def _as_tuple(value: Any) -> tuple[Any, ...]:
    """One tensor or several, as a tuple."""
    return (value,) if isinstance(value, Tensor) else tuple(value)


def _grad_list(tensors: tuple[Any, ...], grads: Any) -> list[Any]:
    """One gradient (or None) per tensor; as in PyTorch, extra gradients are ignored."""
    if grads is None:
        return [None] * len(tensors)
    grads = _as_tuple(grads)
    if len(grads) < len(tensors):
        raise RuntimeError(f"got {len(tensors)} tensors and {len(grads)} gradients")
    return list(grads[: len(tensors)])


_CREATE_GRAPH_WARNING = (
    "Using backward() with create_graph=True will create a reference cycle between the "
    "parameter and its gradient which can cause a memory leak. We recommend using autograd.grad "
    "when creating the graph to avoid this. If you have to use this function, make sure to "
    "reset the .grad fields of your parameters to None after use to break the cycle and avoid "
    "the leak."
)
_create_graph_warned = False


def _warn_create_graph() -> None:
    """PyTorch's warning about x.grad holding a graph that leads back to x (once per process)."""
    global _create_graph_warned
    _create_graph_warned = True
    warnings.warn(_CREATE_GRAPH_WARNING, UserWarning, stacklevel=3)


def backward(
    tensors: Tensor | Sequence[Tensor],
    grad_tensors: Tensor | Sequence[Tensor | None] | None = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    inputs: Tensor | Sequence[Tensor] | None = None,
) -> None:
    """Add the gradients of ``tensors`` with respect to the graph's leaves into their ``.grad``.

    >>> import minigrad
    >>> x = minigrad.tensor([1.0, 2.0], requires_grad=True)
    >>> minigrad.autograd.backward(x * x, minigrad.ones(2))
    >>> x.grad
    tensor([2., 4.])
    """
    outputs = _as_tuple(tensors)
    if inputs is not None:
        inputs = _as_tuple(inputs)
        if not inputs:
            raise RuntimeError("`inputs` argument to `backward()` cannot be empty.")
    if create_graph and not _create_graph_warned:
        _warn_create_graph()
    run_backward(outputs, _grad_list(outputs, grad_tensors), retain_graph, create_graph, inputs)


def grad(
    outputs: Tensor | Sequence[Tensor],
    inputs: Tensor | Sequence[Tensor],
    grad_outputs: Tensor | Sequence[Tensor | None] | None = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    allow_unused: bool | None = None,
    materialize_grads: bool = False,
) -> tuple[Tensor | None, ...]:
    """The gradients of ``outputs`` with respect to ``inputs``, returned (not stored in ``.grad``).

    >>> import minigrad
    >>> x = minigrad.tensor(3.0, requires_grad=True)
    >>> (dy,) = minigrad.autograd.grad(x ** 3, x, create_graph=True)
    >>> dy, minigrad.autograd.grad(dy, x)
    (tensor(27., grad_fn=<MulBackward0>), (tensor(18.),))
    """
    from minigrad.creation import zeros_like

    outs = _as_tuple(outputs)
    ins = _as_tuple(inputs)
    if materialize_grads and allow_unused is False:
        raise ValueError(
            "Expected allow_unused to be True or not passed when materialize_grads=True, but "
            "got: allow_unused=False."
        )
    unused_ok = bool(allow_unused) or materialize_grads
    results = run_backward(
        outs,
        _grad_list(outs, grad_outputs),
        retain_graph,
        create_graph,
        inputs=ins,
        allow_unused=unused_ok,
        accumulate=False,
    )
    if materialize_grads:
        results = tuple(zeros_like(i) if r is None else r for r, i in zip(results, ins))
    return results


# These modules need Tensor, which is defined after this package: import them last.
from minigrad.autograd import forward_ad, functional  # noqa: E402
from minigrad.autograd.gradcheck import gradcheck, gradgradcheck  # noqa: E402
