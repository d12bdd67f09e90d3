"""The backward pass behaves as torch.autograd's: what accumulates, what is freed, in what order.

Each scenario is a function of the library module (``torch`` or ``minigrad``) that returns a
list of observations (tensors, numbers, names, error messages); the test runs it on both
libraries and compares the two lists element by element.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import torch

import minigrad
from tests._oracle import torch_words
from tests._scenarios import Scenarios, assert_same, error_of, grad_of, plain

REPO = Path(__file__).resolve().parent.parent
# Same formulas, but float32 rounding may differ in the last bits between the libraries.
TOLERANCE = {"rtol": 1e-5, "atol": 1e-5, "float64_tol": 1e-12}
scenario = Scenarios()


# --- what accumulates ----------------------------------------------------------------------


@scenario
def only_leaves_accumulate(lib):
    # x -> 2x -> 3(2x): twice backward gives 6 then 12 (a micrograd-style engine gives 18).
    x = lib.tensor(1.0, requires_grad=True)
    y = 2 * x
    z = 3 * y
    z.backward(retain_graph=True)
    first = x.grad.clone()
    z.backward()
    return [first, x.grad, grad_of(y)]


@scenario
def shared_leaf_gets_the_sum_of_its_paths(lib):
    x = lib.tensor([1.0, -2.0, 3.0], requires_grad=True)
    y = x * x + x.exp() * x - x
    y.sum().backward()
    return [x.grad]


@scenario
def grad_accumulates_over_calls_until_zeroed(lib):
    w = lib.tensor([0.5, -1.5], requires_grad=True)
    for _ in range(3):
        (w * w).sum().backward()
    first = w.grad.clone()
    w.grad.zero_()
    (w * 3).sum().backward()
    return [first, w.grad]


@scenario
def grad_set_to_none_starts_again(lib):
    w = lib.tensor([0.5, -1.5], requires_grad=True)
    (w * w).sum().backward()
    held = w.grad
    w.grad = None
    (w * 3).sum().backward()
    return [held, w.grad, held is w.grad]


@scenario
def accumulation_is_in_place_in_the_grad_tensor(lib):
    w = lib.tensor([1.0, 2.0], requires_grad=True)
    (w * 2).sum().backward()
    held = w.grad
    (w * 3).sum().backward()
    return [held is w.grad, held]


# --- what is freed -------------------------------------------------------------------------

SECOND_BACKWARD = {
    "sum": lambda x: x.sum(),
    "add_scalar": lambda x: (x + 1).sum(),
    "add_tensors": lambda x: (x + x).sum(),
    "mul_scalar": lambda x: (x * 2).sum(),
    "mul_tensors": lambda x: (x * x).sum(),
    "div_scalar": lambda x: (x / 2).sum(),
    "neg": lambda x: (-x).sum(),
    "sub": lambda x: (x - x).sum(),
    "rsub": lambda x: (1 - x).sum(),
    "pow": lambda x: (x**2).sum(),
    "exp": lambda x: x.exp().sum(),
    "relu": lambda x: x.relu().sum(),
    "mean": lambda x: x.mean(),
    "view": lambda x: x.view(2, 1).sum(),
    "select": lambda x: x[0],
    "slice": lambda x: x[1:].sum(),
    "transpose": lambda x: x.unsqueeze(0).t().sum(),
    "clone": lambda x: x.clone().sum(),
    "expand": lambda x: x.unsqueeze(0).expand(3, 2).sum(),
    "dot": lambda x: x.dot(x),
    "matmul_constant": lambda x: x @ x.detach(),
    "tanh": lambda x: x.tanh().sum(),
    "sigmoid": lambda x: x.sigmoid().sum(),
}


@pytest.mark.parametrize("name", list(SECOND_BACKWARD))
def test_second_backward_fails_only_through_freed_saved_tensors(name: str) -> None:
    def observe(lib: Any) -> list[Any]:
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        y = SECOND_BACKWARD[name](x)
        y.backward()
        return [error_of(y.backward), x.grad]

    assert_same(plain(observe(minigrad)), plain(observe(torch)), **TOLERANCE)


@scenario
def retain_graph_allows_a_second_pass(lib):
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    y = (x.exp() * x).sum()
    y.backward(retain_graph=True)
    y.backward(retain_graph=True)
    y.backward()
    return [x.grad, error_of(y.backward)]


@scenario
def autograd_grad_frees_the_graph_too(lib):
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    y = (x.exp() * x).sum()
    (g,) = lib.autograd.grad(y, x)
    return [g, grad_of(x), error_of(lambda: lib.autograd.grad(y, x))]


@scenario
def create_graph_retains_and_records(lib):
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    y = (x**3).sum()
    (g,) = lib.autograd.grad(y, x, create_graph=True)
    (h,) = lib.autograd.grad(g.sum(), x)
    return [g, g.requires_grad, h, error_of(lambda: lib.autograd.grad(y, x))]


@scenario
def backward_with_create_graph_gives_a_differentiable_grad(lib):
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    (x**3).sum().backward(create_graph=True)
    g = x.grad
    first = g.detach().clone()
    x.grad = None
    g.sum().backward()
    return [first, g.requires_grad, x.grad]


# --- backward(inputs=...), autograd.grad ---------------------------------------------------


@scenario
def backward_inputs_restricts_accumulation(lib):
    a = lib.tensor([1.0, 2.0], requires_grad=True)
    b = lib.tensor([3.0, 4.0], requires_grad=True)
    y = (a * b).sum()
    y.backward(inputs=[a], retain_graph=True)
    first = [a.grad.clone(), b.grad]
    y.backward(inputs=b)
    return [*first, a.grad, b.grad]


@scenario
def backward_inputs_of_a_non_leaf(lib):
    a = lib.tensor([1.0, 2.0], requires_grad=True)
    h = a * 3
    y = (h * h).sum()
    y.backward(inputs=[h])
    return [grad_of(h), a.grad]


@scenario
def autograd_grad_leaves_grad_fields_alone(lib):
    a = lib.tensor([1.0, 2.0], requires_grad=True)
    b = lib.tensor([3.0, 4.0], requires_grad=True)
    y = (a * b + a).sum()
    ga, gb = lib.autograd.grad(y, [a, b])
    return [ga, gb, a.grad, b.grad]


@scenario
def autograd_grad_of_the_same_input_twice(lib):
    a = lib.tensor([1.0, 2.0], requires_grad=True)
    y = (a * a).sum()
    return [list(lib.autograd.grad(y, [a, a]))]


@scenario
def autograd_grad_with_allow_unused(lib):
    a = lib.tensor([1.0, 2.0], requires_grad=True)
    b = lib.tensor([3.0, 4.0], requires_grad=True)
    y = (a * 2).sum()
    ga, gb = lib.autograd.grad(y, [a, b], allow_unused=True, retain_graph=True)
    gm = lib.autograd.grad(y, [a, b], materialize_grads=True)
    return [ga, gb, list(gm)]


@scenario
def autograd_grad_of_several_outputs(lib):
    a = lib.tensor([1.0, 2.0], requires_grad=True)
    y1 = (a * a).sum()
    y2 = a.exp()
    (g,) = lib.autograd.grad([y1, y2], a, [lib.tensor(2.0), lib.tensor([1.0, -1.0])])
    return [g]


@scenario
def backward_with_an_explicit_gradient(lib):
    x = lib.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    y = x * x
    y.backward(lib.tensor([[1.0, 0.5], [0.0, -1.0]]))
    return [x.grad]


# --- a leaf's .grad is its own: taken without a copy only when nothing else refers to it ------
# Each scenario changes, in place, every other holder of the gradient after backward: the leaf's
# .grad must not move (and the other way round).


@scenario
def leaves_given_the_same_gradient_get_their_own_grad(lib):
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    y = lib.tensor([3.0, 4.0], requires_grad=True)
    ((x + y) * 2.0).sum().backward()  # Add hands one gradient to both leaves
    x.grad.add_(100.0)
    return [x.grad, y.grad]


@scenario
def a_hook_that_keeps_the_gradient_keeps_its_own(lib):
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    kept = []
    x.register_hook(lambda g: kept.append(g))
    (x * 3.0).sum().backward()
    kept[0].add_(100.0)
    return [x.grad, kept[0]]


@scenario
def a_retained_gradient_and_the_leaf_it_flows_to_are_apart(lib):
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    y = x + 0.0
    y.retain_grad()
    (y * 2.0).sum().backward()  # y.grad flows to x unchanged
    y.grad.add_(100.0)
    return [x.grad, y.grad]


@scenario
def the_callers_gradient_is_not_taken(lib):
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    g = lib.tensor([5.0, 6.0])
    x.backward(g)
    g.add_(100.0)
    return [x.grad, g]


@scenario
def a_gradient_a_custom_backward_keeps_is_not_taken(lib):
    kept = []

    class Twice(lib.autograd.Function):
        @staticmethod
        def forward(ctx, a):
            return a * 2

        @staticmethod
        def backward(ctx, grad):
            out = grad * 2
            kept.append(out)
            return out

    x = lib.tensor([1.0, 2.0], requires_grad=True)
    Twice.apply(x).sum().backward()
    kept[0].add_(100.0)
    return [x.grad, kept[0]]


@scenario
def a_taken_gradient_accumulates_the_next_pass_in_place(lib):
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    (x * 3.0).sum().backward()
    first = x.grad
    (x * 3.0).sum().backward()
    return [first, x.grad, first is x.grad]


# --- retain_grad ---------------------------------------------------------------------------


@scenario
def retain_grad_keeps_and_accumulates(lib):
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    y.retain_grad()
    z = (y * y).sum()
    z.backward(retain_graph=True)
    first = y.grad.clone()
    z.backward()
    return [first, y.grad, y.retains_grad, x.grad, x.retains_grad]


@scenario
def retain_grad_sees_the_hooks_result(lib):
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    y.retain_grad()
    y.register_hook(lambda g: g * 10)
    (y * y).sum().backward()
    return [y.grad, x.grad]


@scenario
def retain_grad_on_a_leaf_does_nothing_more(lib):
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    x.retain_grad()
    (x * x).sum().backward()
    return [x.grad, x.retains_grad]


@scenario
def retain_grad_with_backward_inputs(lib):
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    y.retain_grad()
    (y * y).sum().backward(inputs=[y])
    return [y.grad, x.grad]


# --- in-place operations on non-leaves -----------------------------------------------------


@scenario
def inplace_add_on_a_non_leaf(lib):
    x = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * 2
    y.add_(1)
    y.mul_(-3)
    y.div_(x.detach() + 1)
    (y * x).sum().backward()
    return [y, x.grad, y.grad_fn.name(), y._version]


@scenario
def inplace_exp_saves_the_new_value(lib):
    x = lib.tensor([0.5, -1.0], requires_grad=True)
    y = x * 1
    y.exp_()
    (y * 2).sum().backward()
    return [y, x.grad, y.grad_fn.name()]


@scenario
def item_assignment_on_a_non_leaf(lib):
    x = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
    v = lib.tensor(5.0, requires_grad=True)
    y = x * 2
    y[1] = v * 3
    (y * y).sum().backward()
    return [y, x.grad, v.grad, y.grad_fn.name()]


@scenario
def inplace_in_no_grad_on_a_leaf(lib):
    w = lib.tensor([1.0, 2.0], requires_grad=True)
    (w * w).sum().backward()
    with lib.no_grad():
        w -= 0.1 * w.grad
    w.grad.zero_()
    (w * w).sum().backward()
    return [w, w.grad, w.is_leaf, w._version]


@scenario
def versions_count_every_inplace_change(lib):
    x = lib.ones(3)
    v = x[1:]
    d = x.detach()
    out = [x._version]
    x.add_(1)
    out.append([x._version, v._version, d._version])
    v.mul_(2)
    out.append([x._version, v._version, d._version])
    x[0] = 7.0
    d.zero_()
    out.append([x._version, v._version, d._version])
    return out


@scenario
def version_error_for_a_saved_leaf(lib):
    w = lib.ones(3, requires_grad=True)
    a = lib.full((3,), 2.0)
    y = (w * a).sum()
    a.mul_(3)
    return [error_of(y.backward), w.grad]


@scenario
def version_error_for_a_saved_non_leaf_input(lib):
    x = lib.ones(3, requires_grad=True)
    s = x.sigmoid()
    y = (s * s).sum()
    s.add_(1)
    return [error_of(y.backward), x.grad]


@scenario
def version_error_for_a_saved_output(lib):
    x = lib.ones(3, requires_grad=True)
    s = x.sigmoid()
    y = s.sum()
    s.mul_(2)
    return [error_of(y.backward), x.grad]


@scenario
def version_error_for_an_output_changed_twice(lib):
    x = lib.ones(2, 2, requires_grad=True)
    e = x.exp()
    e.add_(1)
    e.add_(1)
    return [error_of(lambda: e.sum().backward()), x.grad]


@scenario
def version_error_for_a_custom_function(lib):
    class Square(lib.autograd.Function):
        @staticmethod
        def forward(ctx, a):
            ctx.save_for_backward(a)
            return a * a

        @staticmethod
        def backward(ctx, g):
            (a,) = ctx.saved_tensors
            return 2 * a * g

    x = lib.ones(2, requires_grad=True)
    h = x * 1
    y = Square.apply(h)
    h.add_(1)
    return [error_of(lambda: y.sum().backward())]


# --- hooks and execution order -------------------------------------------------------------


@scenario
def hook_order(lib):
    log: list[str] = []

    def tensor_hook(label: str, scale: float = 1.0) -> Callable[[Any], Any]:
        def hook(grad: Any) -> Any:
            log.append(label)
            return grad * scale

        return hook

    x = lib.tensor([1.0, 2.0], requires_grad=True)
    x.register_hook(tensor_hook("x first", 2.0))
    x.register_hook(tensor_hook("x second", 3.0))
    y = x * x
    y.register_hook(tensor_hook("y first"))
    y.grad_fn.register_prehook(lambda grads: log.append("y node pre"))
    y.grad_fn.register_hook(lambda grad_inputs, grad_outputs: log.append("y node post"))
    y.register_hook(tensor_hook("y second", 0.5))
    z = y.sum()
    z.register_hook(tensor_hook("z"))
    z.backward()
    return [log, x.grad]


@scenario
def hook_removed(lib):
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    handle = x.register_hook(lambda g: g * 100)
    handle.remove()
    y = x * 2
    h2 = y.register_hook(lambda g: g * 100)
    h2.remove()
    y.sum().backward()
    return [x.grad]


@scenario
def node_hooks_can_replace_gradients(lib):
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    y = x.exp()
    y.grad_fn.register_hook(lambda grad_inputs, grad_outputs: (grad_inputs[0] * 0 + 7,))
    z = y * 3
    z.grad_fn.register_prehook(lambda grad_outputs: (grad_outputs[0] * 2,))
    z.sum().backward()
    return [x.grad]


def _record_execution(lib: Any, root: Any) -> list[str]:
    """Register a post-hook on every node reachable from ``root``; run backward; their order."""
    order: list[str] = []
    seen: list[Any] = []
    stack = [root.grad_fn]
    while stack:
        node = stack.pop()
        if node is None or any(node is s for s in seen):
            continue
        seen.append(node)
        label = f"{node.name()}#{len(seen)}"
        node.register_hook(lambda gi, go, label=label: order.append(label))
        stack.extend(n for n, _ in node.next_functions)
    root.backward()
    return order


@scenario
def execution_order_on_a_diamond(lib):
    x = lib.tensor([0.5, 1.5], requires_grad=True)
    a = x * 2
    b = x.sin()
    c = a * b
    d = c + a.exp()
    return [_record_execution(lib, d.sum()), x.grad]


@scenario
def execution_order_on_two_leaves_and_shared_nodes(lib):
    x = lib.tensor([0.5, 1.5], requires_grad=True)
    w = lib.tensor([2.0, -1.0], requires_grad=True)
    h = (x * w).tanh()
    u = h * h
    v = h.exp() + w
    y = u.sum() + (v * u).mean() + x.sum()
    return [_record_execution(lib, y), x.grad, w.grad]


@scenario
def execution_order_on_a_long_ladder(lib):
    x = lib.tensor(0.3, requires_grad=True)
    a, b = x * 1, x * 2
    for _ in range(5):
        a, b = a + b.sin(), b * a.cos()
    return [_record_execution(lib, a + b), x.grad]


@scenario
def detach_and_no_grad_cut_the_graph(lib):
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    d = (x * 3).detach()
    with lib.no_grad():
        n = x * 4
    y = (x * d + x * n).sum()
    y.backward()
    return [x.grad, d.requires_grad, n.requires_grad, d.grad_fn is None]


@scenario
def enable_grad_inside_no_grad(lib):
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    with lib.no_grad():
        with lib.enable_grad():
            y = x * x
        z = x * 2
    y.sum().backward()
    return [x.grad, y.requires_grad, z.requires_grad]


@scenario
def grad_mode_as_a_decorator(lib):
    x = lib.tensor([1.0, 2.0], requires_grad=True)

    @lib.no_grad()
    def doubled(t: Any) -> Any:
        return t * 2

    y = doubled(x)
    lib.set_grad_enabled(False)
    z = x * 2
    lib.set_grad_enabled(True)
    return [y.requires_grad, z.requires_grad, lib.is_grad_enabled()]


@scenario
def output_numbers_stay_ints_and_needs_flags_stay_bools(lib):
    # minigrad's nodes share equal small tuples (fewer objects for the garbage collector), and
    # (1, 0) == (True, False): an edge's output number must not come back as a bool, nor a
    # needs_input_grad flag as a number.
    seen = []

    class Probe(lib.autograd.Function):
        @staticmethod
        def forward(ctx, a, b):
            seen.append(ctx.needs_input_grad)
            return a * b

        @staticmethod
        def backward(ctx, grad):
            return grad, grad

    x = lib.ones(3, requires_grad=True)
    w = lib.ones(1, requires_grad=True)
    first = x * 2  # needs_input_grad (True, False), edges (leaf, 0) and (None, 0)
    y = x.unbind()[1] * w  # edges to output 1 of unbind and output 0 of w's leaf
    z = Probe.apply(y, lib.ones(1))  # needs (True, False) again, after (1, 0)
    # (type names spelled out: the comparison with torch takes True == 1)
    edges = [
        [
            (type(n).__name__ if n is not None else None, type(nr).__name__, nr)
            for n, nr in t.grad_fn.next_functions
        ]
        for t in (first, y, z)
    ]
    return [edges, [[(type(f).__name__, f) for f in needs] for needs in seen]]


@scenario
def wrapped_number_saved_by_a_node_is_still_checked_for_changes_in_place(lib):
    # minigrad keeps a saved wrapped number (the 3.0 of x * 3.0) as its value alone, and the
    # tensor of it once handed out: a change in place of what _saved_other gave is caught.
    # (float64: torch's wrapped numbers are doubles, minigrad's take the tensor's dtype.)
    x = lib.tensor([1.0, 2.0], dtype=lib.float64, requires_grad=True)
    kept = x * 3.0
    kept.sum().backward(retain_graph=True)
    first = grad_of(x).clone()
    changed = x / 4.0
    other = changed.grad_fn._saved_other
    seen = [first, other, changed.grad_fn._saved_other, changed.grad_fn._saved_self]
    other.mul_(2)
    seen.append(error_of(lambda: changed.grad_fn._saved_other))
    seen.append(error_of(lambda: changed.sum().backward()))
    kept.sum().backward()  # the other node is untouched
    seen.append(grad_of(x))
    return seen


@pytest.mark.parametrize("name", list(scenario.cases))
def test_scenario_matches_torch(name: str) -> None:
    expected = plain(scenario.cases[name](torch))
    assert_same(plain(scenario.cases[name](minigrad)), expected, **TOLERANCE)


def test_second_pass_failure_keeps_first_pass_gradient() -> None:
    # torch keeps whatever a failing pass accumulated before the error; minigrad writes nothing
    # at all, and here the first path to fail is the only path, so both agree.
    x = minigrad.tensor([1.0, 2.0], requires_grad=True)
    y = x.exp().sum()
    y.backward()
    first = x.grad.tolist()
    with pytest.raises(RuntimeError, match="second time"):
        y.backward()
    assert x.grad.tolist() == first


def test_create_graph_backward_warns_once_per_process_like_torch() -> None:
    # torch warns (once per process) that x.grad will hold a graph leading back to x. A
    # fresh interpreter for each library, since "once" is a process-wide state.
    code = textwrap.dedent(
        """
        import json, sys, warnings
        sys.path.insert(0, {repo!r})
        import {lib} as lib
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            x = lib.tensor([1.0, 2.0], requires_grad=True)
            lib.autograd.grad((x**3).sum(), x, create_graph=True)  # grad(): no warning
            counts = [len(caught)]
            (x**3).sum().backward(create_graph=True)
            counts.append(len(caught))
            (x**3).sum().backward(create_graph=True)
            counts.append(len(caught))
        print(json.dumps([counts, [(w.category.__name__, str(w.message)) for w in caught]]))
        """
    )
    seen = []
    for lib in ("torch", "minigrad"):
        child = subprocess.run(
            [sys.executable, "-c", code.format(repo=str(REPO), lib=lib)],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert child.returncode == 0, child.stderr[-2000:]
        seen.append(json.loads(child.stdout.strip().splitlines()[-1]))
    counts, caught = seen[0]
    assert seen[1] == [counts, [[kind, torch_words(text)] for kind, text in caught]]
    assert seen[0][0] == [0, 1, 1]


def test_connect_makes_one_edge_per_tensor_input() -> None:
    # A node's edges, by definition: one per tensor input, to the input's grad_fn (with its
    # output number) or to its leaf's AccumulateGrad, or None when the input needs no gradient;
    # which inputs of forward need a gradient; the shapes and dtypes gradients are fitted to;
    # and where the tensors are among forward's inputs, when some inputs are not tensors.
    from minigrad.autograd.function import connect
    from minigrad.ops.arithmetic import Mul, operand

    leaf = minigrad.tensor([1.0, 2.0], requires_grad=True)
    first, second = minigrad.stack([leaf * 2, leaf * 3]).unbind(0)  # output numbers 0 and 1
    constant = minigrad.tensor([[5.0], [6.0]], dtype=minigrad.float64)
    tensors = [leaf, first, second, constant, operand(2.0, leaf), minigrad.ones(2).long()]
    assert second._output_nr == 1

    def expected_edge(t: Any) -> tuple[Any, int]:
        if not t.requires_grad:
            return (None, 0)
        return (t.grad_fn, t._output_nr) if t.grad_fn is not None else (t._gradient_edge()[0], 0)

    checked = 0
    for args in [(a, b) for a in tensors for b in tensors] + [
        (a, value) for a in tensors for value in (None, (2, 2), 1)
    ]:
        node = Mul._backward_cls.__new__(Mul._backward_cls)
        given = [a for a in args if isinstance(a, minigrad.Tensor)]
        needs = tuple(isinstance(a, minigrad.Tensor) and a.requires_grad for a in args)
        assert connect(node, args) == any(needs), args
        if not any(needs):
            continue
        checked += 1
        assert node.next_functions == tuple(expected_edge(t) for t in given), args
        assert node.needs_input_grad == needs, args
        assert node._input_meta == tuple(
            (t._data.shape, t._data.dtype) if t.requires_grad else None for t in given
        )
        positions = vars(node).get("_input_positions")
        assert positions == (None if len(given) == len(args) else (0,)), args
    assert checked == 27 + 3 * 3  # the pairs and (tensor, value)s with an input that needs one
