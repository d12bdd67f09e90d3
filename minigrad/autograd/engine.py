"""The backward pass: run the graph's nodes in topological order.

1. Discover the graph from the roots with an explicit stack (never recursion, so a chain
   of 300,000 operations works at Python's default recursion limit), counting for each
   node how many edges lead into it.
2. Run a node once every node that feeds it a gradient has run: its gradient is then
   complete. Among ready nodes the newest runs first, as in PyTorch.
3. Each node's gradients for its inputs are reduced to the inputs' shapes (undoing
   broadcasting, in this one place) and added into per-call buffers. Only leaves
   (through ``AccumulateGrad``) and tensors that called ``retain_grad()`` keep them.
4. Nothing is written until every node has run: the ``.grad`` updates and the freeing
   of saved tensors wait for the end of the pass. A pass that fails half-way (a freed
   node, a modified saved tensor, a broken custom ``backward``) leaves every gradient
   and every graph exactly as it was.
"""

from __future__ import annotations

import itertools
import sys
from collections.abc import Callable, Sequence
from heapq import heapify, heappop, heappush
from typing import TYPE_CHECKING, Any

import numpy as np

from minigrad import _floating_point
from minigrad.autograd.anomaly import _nan_error
from minigrad.autograd.grad_mode import _GradState, _state
from minigrad.autograd.graph import FREED_MESSAGE, AccumulateGrad, Node, _tensor_class

if TYPE_CHECKING:
    from minigrad.tensor import Tensor

Edge = tuple[Node, int]
Observer = Callable[[Node, tuple[Any, ...], tuple[Any, ...]], None]


def run_backward(
    tensors: Sequence[Tensor],
    grad_tensors: Sequence[Tensor | None],
    retain_graph: bool | None = None,
    create_graph: bool = False,
    inputs: Sequence[Tensor] | None = None,
    allow_unused: bool = True,
    accumulate: bool = True,
    observer: Observer | None = None,
) -> tuple[Tensor | None, ...]:
    """Backpropagate ``grad_tensors`` from ``tensors``; the engine behind ``backward`` and ``grad``.

    With ``accumulate=True`` gradients are added into ``.grad`` (of ``inputs`` only, when
    given); with ``accumulate=False`` the gradients of ``inputs`` are returned instead.
    ``observer(node, grad_outputs, grad_inputs)`` is called after each node runs.

    >>> import minigrad
    >>> from minigrad.autograd.engine import run_backward
    >>> x = minigrad.tensor([1.0, 2.0], requires_grad=True)
    >>> run_backward([(x * x).sum()], [None], inputs=[x], accumulate=False)
    (tensor([2., 4.]),)
    """
    if retain_graph is None:
        retain_graph = create_graph
    roots = [_root_edge(t, i) for i, t in enumerate(tensors)]
    # The edges whose gradient is wanted: returned by grad(), or accumulated by backward(inputs=).
    input_edges = None if inputs is None else [_input_edge(t) for t in inputs]
    targets = None if inputs is None else dict(zip(input_edges, inputs))
    target_nodes = None if targets is None else {node for node, _ in targets}
    dependencies = _count_dependencies([node for node, _ in roots], target_nodes)

    Tensor = _tensor_class()  # noqa: N806 - the class
    buffers: dict[Node, list[Any]] = {}
    for (node, output_nr), tensor, grad in zip(roots, tensors, grad_tensors, strict=True):
        _add_to_slots(buffers, node, output_nr, _root_grad(tensor, grad), create_graph, Tensor)

    captured: dict[Edge, Any] = {}
    writes: list[tuple[Tensor, Any]] = []  # (tensor, gradient) to add into .grad at the end
    ran: list[Node] = []  # nodes that ran with saved tensors: freed at the end
    # Ready nodes, newest first; among equals (leaves), first come first served.
    arrivals = itertools.count()
    # (A root that leads to none of the wanted inputs is not in dependencies: it need not run.)
    ready = [
        (-node._sequence_nr, next(arrivals), node)
        for node in buffers
        if dependencies.get(node) == 0
    ]
    heapify(ready)
    previous_mode = _state.enabled
    _state.enabled = create_graph
    # Floating point warnings off for the pass: inf and NaN flow silently, as in torch (and
    # the operations that backward formulas run need not switch them off one by one).
    quiet = _floating_point.silence()
    # Anomaly mode's NaN check, read once for the pass.
    check_nan = _GradState.anomaly and _GradState.anomaly_check_nan
    # The node known to run next, kept off the heap: in a chain, each node makes exactly one
    # node ready, which then runs at once (the heap is for the nodes that wait).
    following: Node | None = None
    try:
        while following is not None or ready:
            if following is None:
                node = heappop(ready)[2]
            else:
                node, following = following, None
            # None: no gradient reached this node (its inputs' nodes must still be released).
            grads = buffers.pop(node, None)
            next_nodes = node._next_nodes
            grad_inputs: Sequence[Any] | None = None
            if type(node) is AccumulateGrad:
                if grads is not None:
                    _arrive_at_leaf(node, grads, targets, accumulate, writes, captured)
            elif grads is not None:
                if node._tensor_pre_hooks or node._retained:
                    grads = _run_tensor_pre_hooks(node, grads, writes)
                if targets is not None:
                    _deliver_to_targets(node, grads, targets, accumulate, writes, captured)
                if targets is None or any(n in dependencies for n in next_nodes):
                    grad_inputs = _call_backward(node, grads, check_nan, Tensor)
                    if node._saved:
                        ran.append(node)
            if grad_inputs is None:
                grad_inputs = (None,) * len(next_nodes)
            if observer is not None:
                observer(node, tuple(grads or ()), tuple(grad_inputs))

            # Hand each input's gradient to its node; a node is ready once all its inputs came.
            for next_node, output_nr, grad in zip(next_nodes, node._next_nrs, grad_inputs):
                remaining = dependencies.get(next_node)
                if remaining is None:  # no node (an input that needs no gradient), or not needed
                    continue
                if grad is not None:
                    slots = buffers.get(next_node)
                    if slots is None and output_nr == 0:
                        buffers[next_node] = [grad]  # the common case: the first gradient
                    else:
                        _add_to_slots(buffers, next_node, output_nr, grad, create_graph, Tensor)
                dependencies[next_node] = remaining - 1
                if remaining == 1:
                    if following is not None:  # more than one ready: both wait on the heap
                        heappush(ready, (-following._sequence_nr, next(arrivals), following))
                    following = next_node
            # The node made ready last runs next only if it is newer than every waiting node
            # (equal numbers, of leaves, go first come first served: it waits its turn).
            if following is not None and ready and -following._sequence_nr >= ready[0][0]:
                heappush(ready, (-following._sequence_nr, next(arrivals), following))
                following = None
        results = tuple(captured.get(edge) for edge in input_edges or ())
        unused = [i for i, r in enumerate(results) if r is None]
        if unused and not accumulate and not allow_unused:
            raise RuntimeError(
                f"The differentiated Tensor at index {unused[0]} appears to not have been used "
                "in the graph. Set allow_unused=True if this is the desired behavior."
            )
        # The pass succeeded: now update the .grad fields and free the saved tensors. (The
        # loop's last gradients are let go first: see _held_by_this_write_only.)
        grads = grad_inputs = grad = slots = None
        for tensor, grad in writes:
            _accumulate(tensor, grad, create_graph)
    finally:
        _state.enabled = previous_mode
        _floating_point.restore(quiet)
    if not retain_graph:
        for node in ran:
            node._release()
    return () if targets is None or accumulate else results


def _deliver_to_targets(
    node: Node,
    grads: list[Any],
    targets: dict[Edge, Tensor],
    accumulate: bool,
    writes: list[tuple[Tensor, Any]],
    captured: dict[Edge, Any],
) -> None:
    """For grad() and backward(inputs=...): hand each wanted gradient over as it arrives."""
    for output_nr, grad in enumerate(grads):
        tensor = targets.get((node, output_nr))
        if tensor is not None and grad is not None:
            if accumulate:
                if not tensor._retains_grad:  # (a retained tensor has had its write already)
                    writes.append((tensor, grad))
            else:
                captured[(node, output_nr)] = grad


def _root_edge(tensor: Tensor, index: int) -> Edge:
    if tensor.grad_fn is not None:
        return (tensor.grad_fn, tensor._output_nr)
    if tensor._requires_grad:
        return (tensor._accumulate_grad_node(), 0)
    raise RuntimeError(
        f"element {index} of tensors does not require grad and does not have a grad_fn"
    )


def _input_edge(tensor: Tensor) -> Edge:
    if tensor.grad_fn is not None:
        return (tensor.grad_fn, tensor._output_nr)
    if not tensor._requires_grad:
        raise RuntimeError("One of the differentiated Tensors does not require grad")
    return (tensor._accumulate_grad_node(), 0)


def _root_grad(tensor: Tensor, grad: Tensor | None) -> Tensor:
    if grad is None:
        if tensor._data.size != 1:
            raise RuntimeError("grad can be implicitly created only for scalar outputs")
        if tensor._data.dtype.kind != "f":
            raise RuntimeError(
                "grad can be implicitly created only for real scalar outputs but got "
                f"{tensor.dtype}"
            )
        return _tensor_class()._make(np.ones(tensor._data.shape, dtype=tensor._data.dtype))
    if grad._data.shape != tensor._data.shape:
        raise RuntimeError(
            f"Mismatch in shape: grad_output[0] has a shape of {_size(grad._data.shape)} and "
            f"output[0] has a shape of {_size(tensor._data.shape)}."
        )
    return grad


def _size(shape: tuple[int, ...]) -> str:
    return "torch.Size([" + ", ".join(str(n) for n in shape) + "])"


def _count_dependencies(roots: list[Node], target_nodes: set[Node] | None) -> dict[Node, int]:
    """Count, for each node reachable from the roots, the edges that lead into it.

    With targets (``autograd.grad`` or ``backward(inputs=...)``), keep only the nodes on a
    path to a target: the rest need not run. An explicit stack replaces recursion.
    """
    if target_nodes is None:
        # Every reachable node runs: count incoming edges while discovering the graph.
        dependencies = dict.fromkeys(roots, 0)
        stack = list(dependencies)
        while stack:
            for child in stack.pop()._next_nodes:
                if child is None:
                    continue
                if child in dependencies:
                    dependencies[child] += 1
                else:
                    dependencies[child] = 1
                    stack.append(child)
        return dependencies

    children: dict[Node, list[Node]] = {}
    order: list[Node] = []  # post-order: every node after all the nodes it leads to
    stack: list[tuple[Node, int]] = [(root, 0) for root in dict.fromkeys(roots)]
    seen = set(node for node, _ in stack)
    while stack:
        node, position = stack.pop()
        nexts = node._next_nodes
        if position == 0:
            children[node] = [n for n in nexts if n is not None]
        if position < len(nexts):
            stack.append((node, position + 1))
            child = nexts[position]
            if child is not None and child not in seen:
                seen.add(child)
                stack.append((child, 0))
        else:
            order.append(node)

    if target_nodes is None:
        needed = children.keys()
    else:
        needed_set: set[Node] = set()
        for node in order:
            if node in target_nodes or any(c in needed_set for c in children[node]):
                needed_set.add(node)
        needed = needed_set

    dependencies = dict.fromkeys(needed, 0)
    for node in needed:
        for child in children[node]:
            if child in dependencies:
                dependencies[child] += 1
    return dependencies


def _arrive_at_leaf(
    node: AccumulateGrad,
    grads: list[Any],
    targets: dict[Edge, Tensor] | None,
    accumulate: bool,
    writes: list[tuple[Tensor, Any]],
    captured: dict[Edge, Any],
) -> None:
    """A leaf's gradient is complete: run its hooks around the accumulation, as in PyTorch."""
    grads = _run_tensor_pre_hooks(node, grads, writes)
    if node._pre_hooks:
        grads = _run_pre_hooks(node, grads)
    if targets is not None:
        _deliver_to_targets(node, grads, targets, accumulate, writes, captured)
    elif accumulate:
        writes.append((node.variable, grads[0]))
    if node._hooks:
        _run_post_hooks(node, (), grads)


def _add_to_slots(
    buffers: dict[Node, list[Any]],
    node: Node,
    output_nr: int,
    grad: Any,
    create_graph: bool,
    Tensor: type,  # noqa: N803 - the class
) -> None:
    """Add a gradient for output ``output_nr`` of ``node`` to those that arrived before."""
    slots = buffers.get(node)
    if slots is None:
        buffers[node] = slots = [None] * (output_nr + 1)
    elif output_nr >= len(slots):
        slots.extend([None] * (output_nr + 1 - len(slots)))
    current = slots[output_nr]
    if current is None:
        slots[output_nr] = grad
    elif create_graph:  # recorded: the sum is differentiated later
        slots[output_nr] = current + grad
    else:
        # Both were fitted to the same input (same shape and dtype): a plain sum, without an
        # operation's overhead (asarray: 0-d arrays sum to a NumPy scalar). Neither may be
        # changed in place: either may be flowing elsewhere too.
        slots[output_nr] = Tensor._make(np.asarray(current._data + grad._data))


def _run_pre_hooks(node: Node, grads: list[Any]) -> list[Any]:
    """Hooks given to ``node.register_prehook``: they may replace the incoming gradients."""
    for hook in node._pre_hooks:
        result = hook(tuple(grads))
        if result is not None:
            grads = list(result)
    return grads


def _run_post_hooks(node: Node, grad_inputs: tuple[Any, ...], grads: list[Any]) -> tuple[Any, ...]:
    """Hooks given to ``node.register_hook``: they may replace the outgoing gradients."""
    for hook in node._hooks:
        result = hook(grad_inputs, tuple(grads))
        if result is not None:
            grad_inputs = tuple(result)
    return grad_inputs


def _run_tensor_pre_hooks(
    node: Node, grads: list[Any], writes: list[tuple[Tensor, Any]]
) -> list[Any]:
    """Hooks registered on the tensors this node produced (or on a leaf), then retain_grad."""
    if type(node) is AccumulateGrad:
        for hook in node.variable._hooks or ():
            result = hook(grads[0])
            if result is not None:
                grads = [result]
        return grads
    if node._tensor_pre_hooks:
        for output_nr, hooks in node._tensor_pre_hooks.items():
            for hook in hooks:
                if grads[output_nr] is not None:
                    result = hook(grads[output_nr])
                    if result is not None:
                        grads[output_nr] = result
    if node._retained:
        # A non-leaf that called retain_grad() gets its .grad too (at the end of the pass).
        for output_nr, ref in node._retained.items():
            tensor = ref()
            if tensor is not None and grads[output_nr] is not None:
                writes.append((tensor, grads[output_nr]))
    return grads


def _accumulate(variable: Tensor, grad: Any, create_graph: bool) -> None:
    """Add ``grad`` into ``variable.grad``: what ``AccumulateGrad`` does."""
    if grad is None:
        return
    if variable._grad is None:
        if create_graph:
            variable._grad = grad
        elif _held_by_this_write_only(grad):
            variable._grad = _tensor_class()._make(grad._data)  # taken as it is, as in PyTorch
        else:
            # A copy: the same gradient may also be flowing to other inputs, or be kept by a hook.
            variable._grad = _tensor_class()._make(np.array(grad._data, copy=True))
    elif create_graph or variable._grad._requires_grad:
        variable._grad = variable._grad + grad
    else:
        np.add(variable._grad._data, grad._data, out=variable._grad._data)
        variable._grad._version_counter.value += 1


# PyTorch's AccumulateGrad takes a new gradient as the leaf's .grad without copying it when
# nothing else refers to it: the backward pass made it, and no hook, other input or retained
# tensor can see it. CPython's reference counts tell. From 3.14 (and without the GIL) they may
# leave out references held on the interpreter's stack, so there a gradient is always copied.
_EXACT_REFCOUNTS = (
    sys.implementation.name == "cpython"
    and sys.version_info < (3, 14)
    and getattr(sys, "_is_gil_enabled", lambda: True)()
)
# The references to a gradient held by its write alone: the list of writes, run_backward's loop
# variable, _accumulate's and this function's arguments, and getrefcount's own argument.
_REFS_OF_A_WRITE = 5


def _held_by_this_write_only(grad: Tensor) -> bool:
    """True when ``grad`` and its array can become a leaf's ``.grad`` without a copy."""
    if not _EXACT_REFCOUNTS:
        return False
    data = grad._data
    # The array owns its memory (a view's base may be held elsewhere), and only the tensor
    # (plus this local and getrefcount's argument) refers to it.
    return (
        sys.getrefcount(grad) == _REFS_OF_A_WRITE
        and data.base is None
        and sys.getrefcount(data) == 3
    )


def _call_backward(
    node: Node,
    grads: list[Any],
    check_nan: bool,
    Tensor: type,  # noqa: N803 - the class
) -> list[Any]:
    """Run one node: its hooks, its backward formula, then fit each result to its input."""
    if node._freed:
        raise RuntimeError(FREED_MESSAGE)
    if node._pre_hooks:
        grads = _run_pre_hooks(node, grads)
    formula_grads = grads
    if node._output_meta is not None:
        formula_grads = _with_missing_grads(node, grads, Tensor)
    # Every node but AccumulateGrad belongs to a Function: its backward formula, the node as ctx.
    raw = node._forward_cls.backward(node, *formula_grads)
    results = raw if type(raw) is tuple else (raw,)
    next_nodes = node._next_nodes
    positions = node._input_positions
    if len(results) != len(node.needs_input_grad):  # (one per input of forward)
        _check_gradient_count(node, results, positions)
    if positions is not None:  # some inputs were not tensors: keep the tensors' gradients
        results = [results[p] for p in positions]
    fitted = []
    for next_node, grad, meta in zip(next_nodes, results, node._input_meta):
        if grad is None or next_node is None:
            fitted.append(None)
        elif (
            type(grad) is Tensor
            and grad._data.shape == meta[0]
            and grad._data.dtype is meta[1]
            and not check_nan
        ):
            fitted.append(grad)  # the common case: nothing to fit
        else:
            fitted.append(_fit_to_input(node, len(fitted), grad))
    # Node hooks see the gradients as they go to the inputs (fitted), as in PyTorch.
    return list(_run_post_hooks(node, tuple(fitted), grads)) if node._hooks else fitted


def _with_missing_grads(node: Node, grads: list[Any], Tensor: type) -> list[Any]:  # noqa: N803
    """A Function with several outputs gets zeros for the outputs no gradient reached (its
    hooks still see None there, as in PyTorch), unless it called set_materialize_grads(False)."""
    output_meta = node._output_meta
    formula_grads = grads + [None] * (len(output_meta) - len(grads))
    if node._materialize_grads:
        for i, (shape, dtype) in enumerate(output_meta):
            if formula_grads[i] is None:
                formula_grads[i] = Tensor._make(np.zeros(shape, dtype=dtype))
    return formula_grads


def _check_gradient_count(node: Node, results: tuple[Any, ...], positions: Any) -> None:
    """One gradient per input of forward; those of trailing non-tensor inputs may be left out."""
    expected = len(node.needs_input_grad)
    shortest = expected if positions is None else positions[-1] + 1 if positions else 0
    if not shortest <= len(results) <= expected:
        raise RuntimeError(
            f"function {node.name()} returned an incorrect number of gradients "
            f"(expected {expected}, got {len(results)})"
        )


def _fit_to_input(node: Node, index: int, grad: Any) -> Any:
    """Reduce a gradient to its input's shape and dtype: the one place broadcasting is undone."""
    Tensor = _tensor_class()  # noqa: N806 - the class
    if not isinstance(grad, Tensor):
        grad = Tensor._make(np.asarray(grad))
    shape, dtype = node._input_meta[index]
    if grad._data.shape != shape:
        if not _expandable(shape, grad._data.shape):
            raise RuntimeError(
                f"Function {node.name()} returned an invalid gradient at index {index} - got "
                f"[{', '.join(map(str, grad._data.shape))}] but expected shape compatible with "
                f"[{', '.join(map(str, shape))}]"
            )
        grad = grad.sum_to_size(shape)
    if grad._data.dtype != dtype:
        grad = grad.to(dtype)
    if _GradState.anomaly and _GradState.anomaly_check_nan and np.isnan(grad._data).any():
        raise _nan_error(node, index)  # after a warning that shows where node was created
    return grad


def _expandable(shape: tuple[int, ...], grad_shape: tuple[int, ...]) -> bool:
    """True when an input of ``shape`` broadcasts to ``grad_shape``."""
    if len(shape) > len(grad_shape):
        return False
    for small, big in zip(reversed(shape), reversed(grad_shape)):
        if small != 1 and small != big:
            return False
    return True
