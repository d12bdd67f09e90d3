"""Hooks on tensors and on nodes, against PyTorch: when they run, in what order, with which
gradients, and what their return values replace.

Each scenario runs with ``lib`` = ``torch`` or ``minigrad`` and returns a list of
observations; the test compares the two lists. A log records every hook call with the
gradient it saw.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import torch

import minigrad
from tests._scenarios import Scenarios, assert_same, error_of, plain

# Tensors agree to float32 rounding, whatever their dtype.
TOLERANCE = {"rtol": 1e-6, "atol": 1e-7}
scenario = Scenarios()


class Log:
    """Hooks that record (label, gradient) and return ``grad * scale`` (or None)."""

    def __init__(self) -> None:
        self.calls: list[Any] = []

    def tensor_hook(self, label: str, scale: float | None = None) -> Callable[[Any], Any]:
        def hook(grad: Any) -> Any:
            self.calls.append((label, grad.detach().clone()))
            return None if scale is None else grad * scale

        return hook

    def pre_hook(self, label: str, scale: float | None = None) -> Callable[[Any], Any]:
        def hook(grad_outputs: Any) -> Any:
            self.calls.append(
                (label, [None if g is None else g.detach().clone() for g in grad_outputs])
            )
            if scale is None:
                return None
            return tuple(None if g is None else g * scale for g in grad_outputs)

        return hook

    def post_hook(self, label: str, scale: float | None = None) -> Callable[[Any, Any], Any]:
        def hook(grad_inputs: Any, grad_outputs: Any) -> Any:
            self.calls.append(
                (
                    label,
                    [None if g is None else g.detach().clone() for g in grad_inputs],
                    [None if g is None else g.detach().clone() for g in grad_outputs],
                )
            )
            if scale is None:
                return None
            return tuple(None if g is None else g * scale for g in grad_inputs)

        return hook


# --- tensor hooks ---------------------------------------------------------------------------


@scenario
def leaf_hook_sees_and_replaces_the_gradient(lib):
    log = Log()
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    x.register_hook(log.tensor_hook("x", 10.0))
    (x * x).sum().backward()
    return [log.calls, x.grad]


@scenario
def leaf_hooks_run_in_registration_order_and_chain(lib):
    log = Log()
    x = lib.tensor([1.0, -1.0], requires_grad=True)
    x.register_hook(log.tensor_hook("first", 2.0))
    x.register_hook(log.tensor_hook("second"))
    x.register_hook(log.tensor_hook("third", -1.0))
    (x * 3).sum().backward()
    return [log.calls, x.grad]


@scenario
def non_leaf_hook_changes_what_flows_further(lib):
    log = Log()
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    y = x.exp()
    y.register_hook(log.tensor_hook("y", 0.5))
    z = (y * y).sum()
    z.backward()
    return [log.calls, x.grad]


@scenario
def hook_on_a_tensor_used_twice_runs_once_with_the_sum(lib):
    log = Log()
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    y.register_hook(log.tensor_hook("y"))
    (y * y + y.sin()).sum().backward()
    return [log.calls, x.grad]


@scenario
def hooks_run_on_every_backward(lib):
    log = Log()
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    y = x * x
    y.register_hook(log.tensor_hook("y"))
    y.sum().backward(retain_graph=True)
    (y * 2).sum().backward()
    return [log.calls, x.grad]


@scenario
def removing_a_hook(lib):
    log = Log()
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    keep = x.register_hook(log.tensor_hook("kept"))
    gone = x.register_hook(log.tensor_hook("removed", 100.0))
    gone.remove()
    gone.remove()  # a second remove does nothing
    (x * 2).sum().backward()
    keep.remove()
    (x * 2).sum().backward()
    return [log.calls, x.grad]


@scenario
def hooks_run_for_autograd_grad_too(lib):
    log = Log()
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    h = x * 3
    h.register_hook(log.tensor_hook("h", 2.0))
    x.register_hook(log.tensor_hook("x"))
    (g,) = lib.autograd.grad((h * h).sum(), x)
    return [log.calls, g, x.grad]


@scenario
def hook_on_an_input_of_autograd_grad(lib):
    log = Log()
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    h = x * 3
    h.register_hook(log.tensor_hook("h", 2.0))
    (g,) = lib.autograd.grad((h * h).sum(), h)
    return [log.calls, g]


@scenario
def hook_with_create_graph_sees_a_differentiable_gradient(lib):
    seen = []
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    y = x**3
    y.register_hook(lambda g: seen.append(g.requires_grad))
    (g,) = lib.autograd.grad(y.sum(), x, create_graph=True)
    (h,) = lib.autograd.grad(g.sum(), x)
    return [seen, g, h]


@scenario
def hook_on_a_tensor_without_grad_is_an_error(lib):
    x = lib.tensor([1.0, 2.0])
    return [error_of(lambda: x.register_hook(lambda g: g))]


# --- retain_grad and hooks ------------------------------------------------------------------


@scenario
def retain_grad_keeps_the_hooked_gradient_whatever_the_order(lib):
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    a = x * 2
    a.retain_grad()  # before the hook
    a.register_hook(lambda g: g * 10)
    b = x * 3
    b.register_hook(lambda g: g * 10)
    b.retain_grad()  # after the hook
    (a * b).sum().backward()
    return [a.grad, b.grad, x.grad]


@scenario
def retain_grad_and_hooks_accumulate_over_backwards(lib):
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    y = x * x
    y.retain_grad()
    y.register_hook(lambda g: g + 1)
    y.sum().backward(retain_graph=True)
    first = y.grad.clone()
    y.sum().backward()
    return [first, y.grad, x.grad]


@scenario
def hook_on_a_retained_tensor_sees_the_incoming_gradient(lib):
    log = Log()
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    y = x.sin()
    y.retain_grad()
    y.register_hook(log.tensor_hook("y"))
    (y * x).sum().backward()
    return [log.calls, y.grad]


# --- node hooks -----------------------------------------------------------------------------


@scenario
def node_pre_hook_and_post_hook_see_the_gradients(lib):
    log = Log()
    a = lib.tensor([1.0, 2.0], requires_grad=True)
    b = lib.tensor([3.0, -1.0], requires_grad=True)
    y = a * b
    y.grad_fn.register_prehook(log.pre_hook("pre"))
    y.grad_fn.register_hook(log.post_hook("post"))
    (y * y).sum().backward()
    return [log.calls, a.grad, b.grad]


@scenario
def node_post_hook_may_replace_the_gradients_it_sends(lib):
    a = lib.tensor([1.0, 2.0], requires_grad=True)
    b = lib.tensor([3.0, -1.0], requires_grad=True)
    y = a * b
    y.grad_fn.register_hook(lambda gi, go: (gi[0] * 0, gi[1] * 2))
    y.sum().backward()
    return [a.grad, b.grad]


@scenario
def node_pre_hook_may_replace_the_gradients_it_receives(lib):
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    y = x.exp()
    y.grad_fn.register_prehook(lambda go: (go[0] * 3,))
    y.sum().backward()
    return [x.grad]


@scenario
def order_of_tensor_hooks_node_pre_hooks_and_post_hooks(lib):
    log = Log()
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    y = x * x
    y.grad_fn.register_hook(log.post_hook("node post"))
    y.grad_fn.register_prehook(log.pre_hook("node pre", 2.0))
    y.register_hook(log.tensor_hook("tensor", 3.0))
    y.retain_grad()
    y.sum().backward()
    return [[c[0] for c in log.calls], log.calls, y.grad, x.grad]


@scenario
def hooks_on_a_node_with_two_outputs(lib):
    log = Log()
    x = lib.tensor([[1.0, 5.0], [4.0, 2.0]], requires_grad=True)
    values, indices = x.max(1)
    values.grad_fn.register_prehook(log.pre_hook("pre"))
    values.grad_fn.register_hook(log.post_hook("post"))
    (values * 2).sum().backward()
    return [log.calls, x.grad, indices]


@scenario
def hooks_on_the_accumulate_grad_node(lib):
    log = Log()
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    node = y.grad_fn.next_functions[0][0]
    node.register_prehook(log.pre_hook("acc pre"))
    node.register_hook(log.post_hook("acc post"))
    x.register_hook(log.tensor_hook("x", 5.0))
    y.sum().backward()
    return [[c[0] for c in log.calls], log.calls, x.grad]


@scenario
def removing_node_hooks(lib):
    log = Log()
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    y = x.sin()
    h1 = y.grad_fn.register_hook(log.post_hook("post", 0.0))
    h2 = y.grad_fn.register_prehook(log.pre_hook("pre", 0.0))
    h1.remove()
    h2.remove()
    y.sum().backward()
    return [log.calls, x.grad]


@scenario
def hooks_run_in_the_engines_order(lib):
    log = Log()
    x = lib.tensor([0.5, 1.5], requires_grad=True)
    a = x * 2
    b = x.exp()
    c = a * b
    d = c.sin() + a
    for name, t in (("a", a), ("b", b), ("c", c), ("d", d)):
        t.register_hook(log.tensor_hook(name))
    x.register_hook(log.tensor_hook("x"))
    d.sum().backward()
    return [[c[0] for c in log.calls], log.calls, x.grad]


@pytest.mark.parametrize("name", list(scenario.cases))
def test_scenario_matches_torch(name: str) -> None:
    run = scenario.cases[name]
    assert_same(plain(run(minigrad)), plain(run(torch)), **TOLERANCE)


def test_handle_remove_inside_the_hook_itself() -> None:
    """A hook that removes itself runs once (in both libraries)."""

    def run(lib: Any) -> list[Any]:
        calls = []
        x = lib.tensor([1.0], requires_grad=True)
        handle = None

        def once(grad: Any) -> None:
            calls.append(grad.item())
            handle.remove()

        handle = x.register_hook(once)
        (x * 2).sum().backward()
        (x * 3).sum().backward()
        return [calls, x.grad.item()]

    assert run(minigrad) == run(torch)
