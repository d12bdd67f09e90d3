"""Autograd behaviours where minigrad differed from PyTorch, now the same as torch 2.13.

gradcheck on inputs that are not leaves; a custom backward with trailing None gradients;
grad-mode decorators on generator functions; a Function returning an input as it is; hooks
that return a gradient of the wrong size, type or count; the non-leaf ``.grad`` warning;
``requires_grad_`` on a non-leaf; ``save_for_backward`` of a non-tensor; an in-place change
of a view made under ``no_grad``; anomaly mode for any error of a backward; ``only_inputs=``;
and printed text (a custom node's repr, ``x.grad`` after ``create_graph=True``).
Each scenario runs with ``L`` = ``torch`` or ``minigrad`` and returns observations compared
with ``assert_same``.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import pytest
import torch

import minigrad
from tests._oracle import sanitize, torch_words
from tests._scenarios import Scenarios, assert_same, plain

TOLERANCE = {"rtol": 1e-6, "atol": 1e-7}
scenario = Scenarios()


def outcome(call: Callable[[], Any]) -> list[Any]:
    """What a call gives: its result (or its error's type and message), then its warnings."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result: Any = call()
        except Exception as error:  # noqa: BLE001 - any error is an observation
            result = f"{type(error).__name__}: {torch_words(str(error))}"
    return [result, [f"{w.category.__name__}: {torch_words(str(w.message))}" for w in caught]]


def custom(L: Any, backward_returns: Callable[[Any], Any], name: str = "F") -> Any:
    """A Function ``x * 2`` whose backward returns ``backward_returns(grad)``."""

    def forward(ctx: Any, x: Any, *optional: Any) -> Any:
        return x * 2

    def backward(ctx: Any, grad: Any) -> Any:
        return backward_returns(grad)

    return type(
        name,
        (L.autograd.Function,),
        {"forward": staticmethod(forward), "backward": staticmethod(backward)},
    )


# -- gradcheck and gradgradcheck on inputs that are not leaves -------------------------------------


@scenario
def gradcheck_on_a_non_leaf(L: Any) -> list[Any]:
    x = L.tensor([1.0, 2.0, 3.0], dtype=L.float64, requires_grad=True)
    y = x * 2
    return [
        outcome(lambda: L.autograd.gradcheck(lambda t: t.exp(), (y,))),
        outcome(lambda: L.autograd.gradgradcheck(lambda t: t.exp() * t, (y,))),
        y.is_leaf,
        x.grad,
    ]


# -- a custom backward returning None for optional inputs -----------------------------------------


@scenario
def trailing_none_gradients(L: Any) -> list[Any]:
    x = L.ones(2, requires_grad=True)
    custom(L, lambda g: (g * 2, None, None)).apply(x).sum().backward()
    y = L.ones(2, requires_grad=True)
    too_many = custom(L, lambda g: (g * 2, g)).apply(y).sum()
    return [x.grad, outcome(lambda: too_many.backward())]


@scenario
def only_nones_for_missing_inputs(L: Any) -> list[Any]:
    x = L.ones(2, requires_grad=True)
    w = L.ones(2, requires_grad=True)
    custom(L, lambda g: (g * 3, None)).apply(x, w).sum().backward()
    return [x.grad, w.grad]


# -- grad-mode decorators on generators -----------------------------------------------------------


@scenario
def no_grad_on_a_generator(L: Any) -> list[Any]:
    @L.no_grad()
    def steps() -> Any:
        received = yield L.is_grad_enabled()
        yield (received, L.is_grad_enabled())
        return "done"

    seen = []
    generator = steps()
    seen.append((next(generator), L.is_grad_enabled()))
    seen.append((generator.send("sent"), L.is_grad_enabled()))
    try:
        next(generator)
    except StopIteration as stop:
        seen.append(stop.value)
    return seen


@scenario
def enable_grad_on_a_generator(L: Any) -> list[Any]:
    @L.enable_grad()
    def steps() -> Any:
        for _ in range(2):
            try:
                yield L.is_grad_enabled()
            except ValueError:
                yield ("caught", L.is_grad_enabled())

    seen = []
    with L.no_grad():
        generator = steps()
        seen.append((next(generator), L.is_grad_enabled()))
        seen.append((generator.throw(ValueError("in")), L.is_grad_enabled()))
        generator.close()
    return seen


@scenario
def set_grad_enabled_on_a_generator(L: Any) -> list[Any]:
    @L.set_grad_enabled(False)
    def steps() -> Any:
        x = L.ones(1, requires_grad=True)
        yield (x * 2).requires_grad
        yield (x * 3).requires_grad

    return [[(v, L.is_grad_enabled()) for v in steps()]]


# -- a Function that returns an input as it is -----------------------------------------------------


@scenario
def function_returning_its_input(L: Any) -> list[Any]:
    class Same(L.autograd.Function):
        @staticmethod
        def forward(ctx: Any, x: Any) -> Any:
            return x

        @staticmethod
        def backward(ctx: Any, grad: Any) -> Any:
            return grad * 2

    x = L.ones(2, requires_grad=True)
    a = x.clone()
    y = Same.apply(a)
    observed = [y is a, y._base is a, y.grad_fn.name(), y.requires_grad, a.grad_fn.name()]
    with L.no_grad():
        a.add_(1)
    observed += [y._version, a._version, y]
    y2 = Same.apply(x)
    observed += [y2._base is x, y2.grad_fn.name()]
    y2.sum().backward()
    return [*observed, x.grad]


# -- hooks returning a gradient of the wrong size, type or count ----------------------------------

HOOK_RESULTS: dict[str, Callable[[Any, Any], Any]] = {
    "size": lambda L, g: L.ones(3),
    "size_broadcastable": lambda L, g: L.ones(1),
    "size_more_dims": lambda L, g: L.ones(2, 1),
    "dtype": lambda L, g: L.ones(2, dtype=L.float64),
    "integer_dtype": lambda L, g: L.ones(2, dtype=L.int64),
    "number": lambda L, g: 5,
    "numpy": lambda L, g: g.numpy(),
    "right": lambda L, g: g * 10,
}


@pytest.mark.parametrize("where", ["leaf", "non-leaf"])
@pytest.mark.parametrize("case", list(HOOK_RESULTS))
def test_tensor_hook_results_are_checked_as_in_torch(case: str, where: str) -> None:
    def run(L: Any) -> list[Any]:
        x = L.ones(2, requires_grad=True)
        y = x * 2
        (x if where == "leaf" else y).register_hook(lambda g: HOOK_RESULTS[case](L, g))
        return [outcome(lambda: (y * y).sum().backward()), x.grad]

    assert_same(plain(run(minigrad)), plain(run(torch)), case, **TOLERANCE)


NODE_HOOK_RESULTS: dict[str, Callable[[Any], Any]] = {
    "size": lambda L: (L.ones(3),),
    "dtype": lambda L: (L.ones(2, dtype=L.float64),),
    "not_a_tuple": lambda L: L.ones(2),
    "a_list": lambda L: [L.ones(2)],
    "too_many": lambda L: (L.ones(2), L.ones(2)),
    "a_number": lambda L: (5,),
    "none": lambda L: (None,),
    "right": lambda L: (L.ones(2) * 7,),
}


@pytest.mark.parametrize("kind", ["pre", "post"])
@pytest.mark.parametrize("case", list(NODE_HOOK_RESULTS))
def test_node_hook_results_are_checked_as_in_torch(case: str, kind: str) -> None:
    def run(L: Any) -> list[Any]:
        x = L.ones(2, requires_grad=True)
        z = (x * 2).exp()
        if kind == "pre":
            z.grad_fn.register_prehook(lambda grad_outputs: NODE_HOOK_RESULTS[case](L))
        else:
            z.grad_fn.register_hook(lambda grad_inputs, outs: NODE_HOOK_RESULTS[case](L))
        return [outcome(lambda: z.sum().backward()), x.grad]

    assert_same(plain(run(minigrad)), plain(run(torch)), case, **TOLERANCE)


def test_a_named_hook_is_named_in_the_message() -> None:
    def run(L: Any) -> Any:
        def widen(grad: Any) -> Any:
            return L.ones(5)

        x = L.ones(2, requires_grad=True)
        x.register_hook(widen)
        return outcome(lambda: (x * 2).sum().backward())

    mine, theirs = run(minigrad), run(torch)
    assert mine == theirs
    assert "hook 'widen' has changed the size of value" in mine[0]


# -- .grad of a non-leaf, requires_grad_ on a non-leaf ---------------------------------------------


@scenario
def non_leaf_grad_warns_only_when_none(L: Any) -> list[Any]:
    x = L.ones(2, requires_grad=True)
    retained, assigned, plain_ = x * 2, x * 3, x * 4
    retained.retain_grad()
    (retained.sum() + assigned.sum() + plain_.sum()).backward()
    assigned.grad = L.ones(2)
    return [
        outcome(lambda: retained.grad),
        outcome(lambda: assigned.grad),
        outcome(lambda: plain_.grad),
    ]


@scenario
def requires_grad_on_a_non_leaf(L: Any) -> list[Any]:
    x = L.ones(2, requires_grad=True)
    y = x * 2
    return [
        outcome(lambda: y.requires_grad_(True) is y),
        outcome(lambda: y.requires_grad_()),
        outcome(lambda: y.requires_grad_(False)),
        outcome(lambda: setattr(y, "requires_grad", True)),
        outcome(lambda: setattr(y, "requires_grad", False)),
        y.requires_grad,
    ]


# -- save_for_backward of a non-tensor -------------------------------------------------------------


@scenario
def save_for_backward_refuses_a_non_tensor(L: Any) -> list[Any]:
    def saving(*values: Any) -> Any:
        class Saves(L.autograd.Function):
            @staticmethod
            def forward(ctx: Any, x: Any) -> Any:
                ctx.save_for_backward(x, *values)
                return x * 2

            @staticmethod
            def backward(ctx: Any, grad: Any) -> Any:
                return grad * 2

        return Saves

    x = L.ones(2, requires_grad=True)
    return [
        outcome(lambda: saving(None, 3).apply(x)),
        outcome(lambda: saving([1.0]).apply(x)),
        outcome(lambda: saving(None).apply(x)),
        outcome(lambda: saving(3).apply(L.ones(2))),
    ]


# -- in place on a view made under no_grad ---------------------------------------------------------


@scenario
def in_place_on_a_no_grad_view(L: Any) -> list[Any]:
    x = L.ones(2, 2, requires_grad=True)
    y = x * 1
    with L.no_grad():
        of_leaf = x[0]
        of_non_leaf = y.view(4)
    return [
        outcome(lambda: of_leaf.mul_(2)),
        outcome(lambda: of_non_leaf.mul_(2)),
        of_leaf.requires_grad,
        of_non_leaf.requires_grad,
        x,
        y,
    ]


# -- anomaly mode: any error of a backward ---------------------------------------------------------


def anomaly_run(L: Any, build: Callable[[Any, Any], Any]) -> list[Any]:
    x = L.ones(2, requires_grad=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with L.autograd.set_detect_anomaly(True):
            out = build(L, x)  # FORWARD-LINE
            try:
                out.sum().backward()
                error = "no error"
            except Exception as e:  # noqa: BLE001 - the error is the observation
                error = f"{type(e).__name__}: {torch_words(str(e))}"
    texts = [str(w.message) for w in caught if "Error detected" in str(w.message)]
    return [error, [t.splitlines()[0] for t in texts], ["# FORWARD-LINE" in t for t in texts]]


def raises_in_backward(L: Any, x: Any) -> Any:
    class Boom(L.autograd.Function):
        @staticmethod
        def forward(ctx: Any, a: Any) -> Any:
            return a * 2

        @staticmethod
        def backward(ctx: Any, grad: Any) -> Any:
            raise ValueError("boom in backward")

    return Boom.apply(x).exp()


def wrong_gradient_shape(L: Any, x: Any) -> Any:
    return custom(L, lambda g: L.ones(3), name="BadShape").apply(x)


def saved_tensor_changed(L: Any, x: Any) -> Any:
    b = (x * 1).exp()
    b.add_(1)
    return b


def nan_gradient(L: Any, x: Any) -> Any:
    return (x * 0 - 1).sqrt()


@pytest.mark.parametrize(
    "build", [raises_in_backward, wrong_gradient_shape, saved_tensor_changed, nan_gradient]
)
def test_anomaly_mode_reports_any_backward_error(build: Callable[[Any, Any], Any]) -> None:
    mine, theirs = anomaly_run(minigrad, build), anomaly_run(torch, build)
    assert mine == theirs
    assert theirs[1] and all(theirs[2]), theirs  # (the warning came, naming the user's line)


# -- only_inputs= ----------------------------------------------------------------------------------


@scenario
def only_inputs_is_accepted(L: Any) -> list[Any]:
    x = L.ones(2, requires_grad=True)
    return [
        outcome(lambda: L.autograd.grad((x * x).sum(), x, only_inputs=True)),
        outcome(lambda: L.autograd.grad((x * x).sum(), x, only_inputs=False)),
        outcome(lambda: L.autograd.grad((x * x).sum(), x, None, None, False, True, True)),
    ]


# -- printed text ----------------------------------------------------------------------------------


@scenario
def custom_node_repr(L: Any) -> list[Any]:
    y = custom(L, lambda g: g * 2, name="MyFn").apply(L.ones(2, requires_grad=True))
    return [sanitize(repr(y.grad_fn)), repr(y), type(y.grad_fn).__name__, y.grad_fn.name()]


@scenario
def grad_after_create_graph(L: Any) -> list[Any]:
    x = L.ones(2, requires_grad=True)
    w = L.ones(2, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        (x * x).sum().backward(create_graph=True)
        first = repr(x.grad)
        names = [n.name() for n, _ in x.grad.grad_fn.next_functions if n is not None]
        (x * x).sum().backward(create_graph=True)
        second = repr(x.grad)
        w.sum().backward(create_graph=True)
    return [first, names, second, repr(w.grad)]


# -- run every scenario on both libraries ----------------------------------------------------------


@pytest.mark.parametrize("name", list(scenario.cases))
def test_scenario_matches_torch(name: str) -> None:
    run = scenario.cases[name]
    mine, theirs = plain(run(minigrad)), plain(run(torch))
    assert_same(mine, theirs, name, **TOLERANCE)


def test_the_scenarios_observe_something() -> None:
    """Every scenario returns observations (an empty list would compare equal to anything)."""
    for name, run in scenario.cases.items():
        assert run(minigrad), name
