"""The backward pass: the chain rule, applied node by node from the roots to the leaves.

Read it in this order:

1. ``count_dependencies``: find the graph's nodes from the roots with an explicit stack (never
   recursion, so a chain of 300,000 operations works at Python's default recursion limit),
   counting for each node how many edges lead into it.
2. ``run_backward``: the loop. A node runs once every node that feeds it a gradient has run
   (its count has fallen to 0): its gradient is then complete. Among the ready nodes the newest
   runs first, as in PyTorch.
3. ``call_backward``: the chain rule. A node's ``backward`` turns the gradient of its output
   into gradients of its inputs (a vector-Jacobian product), and ``fit_to_input`` reduces each
   one to its input's shape: the one place where broadcasting is undone.
4. ``add_gradient``: gradients that reach one input by several paths are summed.
5. ``accumulate_into``: only the leaves keep a gradient, in ``.grad``. Nothing is written until
   every node has run, so a pass that fails half-way leaves every gradient and every graph as
   it was; then the saved tensors are freed (unless ``retain_graph``).

PyTorch's extras sit in their own modules, and the loop calls them only when a node or the call
asks for them: hooks and ``retain_grad`` (``hooks.py``), ``inputs=`` and ``autograd.grad``
(``targets.py``), anomaly mode's NaN check (``anomaly.py``).

At the end, ``backward`` and ``grad``: the two entries that ``Tensor.backward``,
``autograd.backward`` and ``autograd.grad`` call.
"""

from __future__ import annotations

import itertools
import sys
import warnings
from collections.abc import Sequence
from heapq import heapify, heappop, heappush
from itertools import zip_longest
from typing import Any

import numpy as np

from minigrad import _floating_point
from minigrad._messages import (
    CREATE_GRAPH_WARNING,
    FREED_MESSAGE,
    ONLY_INPUTS_WARNING,
    implicit_gradient_error,
    invalid_gradient_shape_error,
    no_grad_fn_error,
    root_gradient_shape_error,
)
from minigrad.autograd import hooks
from minigrad.autograd.anomaly import call_reporting_errors, check_for_nan
from minigrad.autograd.grad_mode import _GradState, _state
from minigrad.autograd.graph import AccumulateGrad, Node
from minigrad.autograd.targets import Targets
from minigrad.tensor import Tensor, expandable_to


def count_dependencies(roots: list[Node]) -> dict[Node, int]:
    """For each node reachable from the roots, the number of edges that lead into it."""
    dependencies = dict.fromkeys(roots, 0)
    stack = list(dependencies)  # an explicit stack: no recursion, however deep the graph
    while stack:
        for child in stack.pop()._next_nodes:
            if child is None:  # an input that needs no gradient
                continue
            if child in dependencies:
                dependencies[child] += 1
            else:
                dependencies[child] = 1
                stack.append(child)
    return dependencies


def run_backward(
    tensors: Sequence[Tensor],
    grad_tensors: Sequence[Tensor | None],
    retain_graph: bool | None = None,
    create_graph: bool = False,
    targets: Targets | None = None,
) -> None:
    """Backpropagate ``grad_tensors`` from ``tensors``, adding the gradients into the leaves'
    ``.grad`` (or handing them to ``targets``).

    >>> import minigrad
    >>> x = minigrad.tensor([1.0, 2.0], requires_grad=True)
    >>> run_backward([(x * x).sum()], [None])
    >>> x.grad
    tensor([2., 4.])
    """
    roots = [root_edge(tensor, index) for index, tensor in enumerate(tensors)]
    dependencies = count_dependencies([node for node, _ in roots])
    if targets is not None:
        targets.keep_only_paths_to_targets(dependencies)
    writes: list[tuple[Tensor, Any]] = []  # (leaf, gradient) for .grad, written at the end
    ran: list[Node] = []  # the nodes whose saved tensors are freed at the end
    check_nan = _GradState.anomaly and _GradState.anomaly_check_nan
    previous = _state.enabled, _state.nodes_to_run  # (nodes_to_run: see multi_grad_hooks.py)
    _state.enabled, _state.nodes_to_run = create_graph, dependencies  # record formulas or not
    quiet = _floating_point.silence()  # inf and NaN flow silently, as in PyTorch
    try:
        gradients: dict[Node, list[Any]] = {}  # node -> the gradients of its outputs, so far
        for (node, output_nr), tensor, grad in zip(roots, tensors, grad_tensors, strict=True):
            add_gradient(gradients, node, output_nr, root_gradient(tensor, grad))
        # The ready nodes, newest first (leaves, all numbered alike, in the order they came).
        arrivals = itertools.count()
        ready = [
            (-n._sequence_nr, next(arrivals), n) for n in gradients if dependencies.get(n) == 0
        ]
        heapify(ready)
        while ready:
            node = heappop(ready)[2]
            grads = gradients.pop(node, None)
            if grads is None:  # no gradient came (the node still frees its saved tensors)
                grad_inputs: Sequence[Any] = ()
            elif node._hooked or targets is not None:  # PyTorch's extras: hooks.py, targets.py
                grad_inputs = run_with_extras(node, grads, targets, writes, ran, check_nan)
            elif type(node) is AccumulateGrad:
                grad_inputs = ()
                writes.append((node.variable, grads[0]))  # only leaves keep their gradient
            else:
                grad_inputs = call_backward(node, grads, check_nan)
                ran.append(node)
            # Hand each input its gradient; an input's node is ready once all its edges came.
            for next_node, output_nr, grad in zip_longest(
                node._next_nodes, node._next_nrs, grad_inputs
            ):
                remaining = dependencies.get(next_node)
                if remaining is None:  # no node (an input that needs no gradient), or not needed
                    continue
                if grad is not None:
                    add_gradient(gradients, next_node, output_nr, grad)
                dependencies[next_node] = remaining - 1
                if remaining == 1:  # its gradient is complete: it is ready
                    heappush(ready, (-next_node._sequence_nr, next(arrivals), next_node))
        if targets is not None:
            targets.check_all_used()
        # The pass succeeded: write the .grad fields. (The loop's references to the gradients
        # go first: see accumulate_into.)
        grads = grad_inputs = grad = None
        for tensor, grad in writes:
            accumulate_into(tensor, grad, create_graph)
    finally:
        _state.enabled, _state.nodes_to_run = previous
        _floating_point.restore(quiet)
    if not (create_graph if retain_graph is None else retain_graph):
        for node in ran:
            node._release()  # a second backward through it raises


def root_edge(tensor: Tensor, index: int) -> tuple[Node, int]:
    """Where a root's gradient enters the graph: its grad_fn, or its leaf's AccumulateGrad."""
    edge = tensor._gradient_edge()
    if edge[0] is None:
        raise no_grad_fn_error(index)
    return edge


def root_gradient(tensor: Tensor, grad: Tensor | None) -> Tensor:
    """The gradient a root starts with: ``grad``, or 1 for a scalar (``backward()`` is
    ``backward(tensor(1.))``)."""
    if grad is None:
        if tensor._data.size != 1 or tensor._data.dtype.kind != "f":
            raise implicit_gradient_error(tensor)
        return Tensor._make(np.ones(tensor._data.shape, dtype=tensor._data.dtype))
    if grad._data.shape != tensor._data.shape:
        raise root_gradient_shape_error(grad._data.shape, tensor._data.shape)
    return grad


def call_backward(node: Node, grads: list[Any], check_nan: bool) -> list[Any]:
    """The chain rule at one node: the gradients of its inputs from those of its outputs."""
    if node._freed:
        raise RuntimeError(FREED_MESSAGE)
    formula_grads = grads if node._output_meta is None else node._with_missing_grads(grads)
    # chain rule: backward multiplies the output's gradient by the node's local derivative,
    # the vector-Jacobian product v^T J, without ever making the Jacobian J.
    results = node._forward_cls.backward(node, *formula_grads)
    results = results if type(results) is tuple else (results,)
    if node._input_positions is not None or len(results) != len(node._next_nodes):
        results = node._tensor_input_gradients(results)  # (some inputs were not tensors)
    # (Speed: a gradient that fits its input already is not passed to fit_to_input. The plain
    # code, ``elif grad is not None:``, costs 2.4% more of W1's instructions, counted with
    # valgrind.)
    grad_inputs = []
    for next_node, grad, meta in zip(node._next_nodes, results, node._input_meta):
        if next_node is None:  # an input that needs no gradient
            grad = None
        elif grad is not None and (
            type(grad) is not Tensor
            or grad._data.shape != meta[0]
            or grad._data.dtype is not meta[1]
            or check_nan
        ):
            grad = fit_to_input(node, len(grad_inputs), grad, check_nan)
        grad_inputs.append(grad)
    return grad_inputs


def fit_to_input(node: Node, index: int, grad: Any, check_nan: bool) -> Tensor:
    """Reduce a gradient to its input's shape and dtype: the one place broadcasting is undone.

    An input of shape (3,) added to one of shape (2, 3) was used twice, once per row: its
    gradient is the sum of the two rows' gradients. ``sum_to_size`` sums over the dimensions
    that broadcasting added or stretched.
    """
    shape, dtype = node._input_meta[index]
    if type(grad) is not Tensor:
        grad = Tensor._make(np.asarray(grad))  # (a custom backward may return an array)
    if grad._data.shape != shape:
        if not expandable_to(shape, grad._data.shape):
            raise invalid_gradient_shape_error(node, index, grad._data.shape, shape)
        grad = grad.sum_to_size(shape)
    if grad._data.dtype != dtype:
        grad = grad.to(dtype)
    if check_nan:
        check_for_nan(node, index, grad)
    return grad


def add_gradient(gradients: dict[Node, list[Any]], node: Node, output_nr: int, grad: Any) -> None:
    """Add a gradient for output ``output_nr`` of ``node`` to those that came by other paths.

    The sum is an operation like any other: recorded when ``create_graph``, to be
    differentiated later; a new tensor in any case, as either gradient may flow elsewhere too.
    """
    slots = gradients.setdefault(node, [None])
    if output_nr >= len(slots):  # (a node with several outputs)
        slots.extend([None] * (output_nr + 1 - len(slots)))
    slots[output_nr] = grad if slots[output_nr] is None else slots[output_nr] + grad


def run_with_extras(
    node: Node,
    grads: list[Any],
    targets: Targets | None,
    writes: list[tuple[Tensor, Any]],
    ran: list[Node],
    check_nan: bool,
) -> list[Any]:
    """Run a node with PyTorch's extras, in PyTorch's order: the hooks of its tensors and
    retain_grad, the gradients wanted by ``inputs=``, then the node's pre-hooks, its backward
    (or, for a leaf, its .grad) and its post-hooks."""
    if node._hooked:
        grads = hooks.run_tensor_hooks(node, grads, writes)
    if type(node) is AccumulateGrad:
        if node._hooked:
            grads = hooks.run_pre_hooks(node, grads)
        if targets is not None:
            targets.deliver(node, grads, writes)
        elif node.variable._post_accumulate_hooks:  # written at once, then those hooks run
            hooks.accumulate_then_run_post_accumulate_hooks(
                node.variable, grads[0], accumulate_into
            )
        else:
            writes.append((node.variable, grads[0]))
        if node._hooked:
            hooks.run_post_hooks(node, (), grads)
        return []
    if targets is not None:
        targets.deliver(node, grads, writes)
        if not targets.leads_on(node):
            return []
    if node._hooked:
        grads = hooks.run_pre_hooks(node, grads)
    if node._output_meta is None and grads[0] is None:  # (a pre-hook returned None for it)
        grad_inputs: list[Any] = [None] * len(node._next_nodes)
    elif node._anomaly_trace is None:
        grad_inputs = call_backward(node, grads, check_nan)
    else:  # made in anomaly mode: an error shows where (anomaly.py)
        grad_inputs = call_reporting_errors(call_backward, node, grads, check_nan)
    ran.append(node)
    return hooks.run_post_hooks(node, grad_inputs, grads) if node._hooked else grad_inputs


def accumulate_into(variable: Tensor, grad: Any, create_graph: bool) -> None:
    """Add ``grad`` into ``variable.grad``: what ``AccumulateGrad`` does."""
    if variable._grad is not None or create_graph:
        variable._grad = added_to_grad(variable._grad, grad, create_graph)
    elif _held_by_this_write_only(grad):
        variable._grad = Tensor._make(grad._data)  # taken as it is, as in PyTorch
    else:  # a copy: the gradient may also flow to other inputs, or be kept by a hook
        variable._grad = Tensor._make(np.array(grad._data, copy=True))


def added_to_grad(old: Tensor | None, grad: Any, create_graph: bool) -> Tensor:
    """A leaf's ``.grad`` (``old``) with ``grad`` added, as PyTorch adds them: a recorded sum
    when ``create_graph`` or when the old gradient has a history, otherwise in place."""
    if old is None:  # (create_graph) a copy, recorded as PyTorch's (grad_fn=<CopyBackwards>)
        return Tensor._make(np.empty_like(grad._data)).copy_(grad)
    if create_graph or old._requires_grad:
        return old + grad
    np.add(old._data, grad._data, out=old._data)
    old._version_counter.value += 1
    return old


# A speed trick, and its plain version. Plain: always copy a new gradient into .grad (as the
# branch above does when the test fails). PyTorch's AccumulateGrad takes the gradient without a
# copy when nothing else refers to it, and CPython's reference counts tell: on W2 (a 784x128
# weight) that spares a 400 KB copy per step, 7.4% of its instructions. From 3.14 (and without the
# GIL) reference counts may leave out the interpreter's stack: there the plain version runs.
_EXACT_REFCOUNTS = (
    sys.implementation.name == "cpython"
    and sys.version_info < (3, 14)
    and getattr(sys, "_is_gil_enabled", lambda: True)()
)
# The references of a gradient held by its write alone: the list of writes, run_backward's loop
# variable, accumulate_into's and this function's arguments, and getrefcount's own argument.
_REFS_OF_A_WRITE = 5


def _held_by_this_write_only(grad: Tensor) -> bool:
    """True when ``grad`` and its array can become a leaf's ``.grad`` without a copy."""
    return (
        _EXACT_REFCOUNTS
        and sys.getrefcount(grad) == _REFS_OF_A_WRITE
        and grad._data.base is None  # (a view's base may be held elsewhere)
        and sys.getrefcount(grad._data) == 2  # the tensor, and getrefcount's argument
    )


# -- the entries: backward() and grad() ----------------------------------------------------------


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
    tensors = _as_tuple(tensors)
    targets = None if inputs is None else Targets(_as_tuple(inputs), accumulate=True)
    if create_graph:
        warn_create_graph()
    run_backward(tensors, _grad_list(tensors, grad_tensors), retain_graph, create_graph, targets)


def grad(
    outputs: Tensor | Sequence[Tensor],
    inputs: Tensor | Sequence[Tensor],
    grad_outputs: Tensor | Sequence[Tensor | None] | None = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    only_inputs: bool = True,
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
    outputs, inputs = _as_tuple(outputs), _as_tuple(inputs)
    if not only_inputs:
        warnings.warn(ONLY_INPUTS_WARNING, FutureWarning, stacklevel=2)
    if materialize_grads and allow_unused is False:
        raise ValueError(
            "Expected allow_unused to be True or not passed when materialize_grads=True, but "
            "got: allow_unused=False."
        )
    targets = Targets(
        inputs, accumulate=False, allow_unused=bool(allow_unused) or materialize_grads
    )
    run_backward(outputs, _grad_list(outputs, grad_outputs), retain_graph, create_graph, targets)
    results = targets.results()
    if materialize_grads:  # zeros for the inputs the outputs do not depend on
        zeros = [Tensor._make(np.zeros_like(i._data)) for i in inputs]
        results = tuple(z if r is None else r for r, z in zip(results, zeros))
    return results


def _as_tuple(value: Any) -> tuple[Any, ...]:
    """One tensor or several, as a tuple."""
    return (value,) if isinstance(value, Tensor) else tuple(value)


def _grad_list(tensors: tuple[Any, ...], grads: Any) -> list[Any]:
    """One gradient (or None) per tensor; as in PyTorch, extra gradients are ignored."""
    grads = [None] * len(tensors) if grads is None else _as_tuple(grads)
    if len(grads) < len(tensors):
        raise RuntimeError(f"got {len(tensors)} tensors and {len(grads)} gradients")
    return list(grads[: len(tensors)])


_create_graph_warned = False


def warn_create_graph() -> None:
    """PyTorch's warning that ``x.grad`` will hold a graph leading back to ``x`` (once)."""
    global _create_graph_warned
    if not _create_graph_warned:
        _create_graph_warned = True
        warnings.warn(CREATE_GRAPH_WARNING, UserWarning, stacklevel=4)
