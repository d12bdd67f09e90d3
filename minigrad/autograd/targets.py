"""``inputs=``: the tensors whose gradients are wanted (``autograd.grad``, ``backward(inputs=)``).

With targets, the engine runs only the nodes on a path to one of them (``Targets`` prunes the
dependency counts), hands each target its gradient as soon as it is complete (``deliver``), and
either adds it into the target's ``.grad`` (``backward(inputs=...)``) or returns it
(``autograd.grad``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from minigrad.autograd.graph import Node


def input_edge(tensor: Any) -> tuple[Node, int]:
    """The edge whose gradient is the gradient of ``tensor``."""
    node, output_nr = tensor._gradient_edge()
    if node is None:
        raise RuntimeError("One of the differentiated Tensors does not require grad")
    return node, output_nr


class Targets:
    """The wanted tensors of one backward pass, by the edge their gradient arrives on."""

    def __init__(self, inputs: Sequence[Any], accumulate: bool, allow_unused: bool = True) -> None:
        if accumulate and not inputs:
            raise RuntimeError("`inputs` argument to `backward()` cannot be empty.")
        self.edges = [input_edge(t) for t in inputs]
        self.tensors = dict(zip(self.edges, inputs))
        self.accumulate = accumulate
        self.allow_unused = allow_unused
        self.captured: dict[tuple[Node, int], Any] = {}
        self.dependencies: dict[Node, int] = {}

    def keep_only_paths_to_targets(self, dependencies: dict[Node, int]) -> None:
        """Only the nodes on a path to a target need to run: forget the others."""
        _keep_only_paths_to({node for node, _ in self.edges}, dependencies)
        self.dependencies = dependencies

    def leads_on(self, node: Node) -> bool:
        """True when a node's backward must run: one of its inputs leads to a target."""
        return any(n in self.dependencies for n in node._next_nodes)

    def deliver(self, node: Node, grads: list[Any], writes: list[tuple[Any, Any]]) -> None:
        """Hand each wanted gradient over as it arrives: into .grad (at the end), or kept."""
        for output_nr, grad in enumerate(grads):
            tensor = self.tensors.get((node, output_nr))
            if tensor is None or grad is None:
                continue
            if not self.accumulate:
                self.captured[(node, output_nr)] = grad
            elif not tensor._retains_grad:  # (a retained tensor has had its write already)
                writes.append((tensor, grad))

    def results(self) -> tuple[Any, ...]:
        """``autograd.grad``'s answer: one gradient (or None) per input."""
        return tuple(self.captured.get(edge) for edge in self.edges)

    def check_all_used(self) -> None:
        """``autograd.grad`` without ``allow_unused``: each input must have had a gradient."""
        if self.accumulate or self.allow_unused:
            return
        unused = [i for i, r in enumerate(self.results()) if r is None]
        if unused:
            raise RuntimeError(
                f"The differentiated Tensor at index {unused[0]} appears to not have been used "
                "in the graph. Set allow_unused=True if this is the desired behavior."
            )


def _keep_only_paths_to(target_nodes: set[Node], dependencies: dict[Node, int]) -> None:
    """Remove the nodes that lead to no target, and count again the edges between the rest."""
    # A post-order of the graph (each node after every node it leads to), by an explicit stack.
    order: list[Node] = []
    roots = [node for node, count in dependencies.items() if count == 0]
    stack: list[tuple[Node, int]] = [(root, 0) for root in roots]
    seen = set(roots)
    while stack:
        node, position = stack.pop()
        nexts = node._next_nodes
        if position < len(nexts):
            stack.append((node, position + 1))
            child = nexts[position]
            if child is not None and child not in seen:
                seen.add(child)
                stack.append((child, 0))
        else:
            order.append(node)
    needed: set[Node] = set()
    for node in order:
        if node in target_nodes or any(c in needed for c in node._next_nodes):
            needed.add(node)
    counts = {node: 0 for node in order if node in needed}
    for node in counts:
        for child in node._next_nodes:
            if child in counts:
                counts[child] += 1
    dependencies.clear()
    dependencies.update(counts)
