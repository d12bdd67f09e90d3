"""Custom ``autograd.Function`` classes, against PyTorch: names, saved tensors,
``needs_input_grad``, several outputs, non-tensor arguments, double backward and the errors
for wrong gradients.

Each Function is defined once per library (``make_functions(lib)``) with the same code: the
forward computes with tensor operations (run without recording, as in PyTorch) and the
backward uses tensor operations, so it can be differentiated again.
"""

from __future__ import annotations

from typing import Any

import pytest
import torch

import minigrad
from tests._scenarios import Scenarios, assert_same, error_of, plain

# Tensors agree to float32 rounding, whatever their dtype.
TOLERANCE = {"rtol": 1e-6, "atol": 1e-7}
scenario = Scenarios()


def make_functions(lib: Any) -> dict[str, type]:
    """The same custom Functions, written once against the given library."""
    Function = lib.autograd.Function  # noqa: N806

    class Exp(Function):
        @staticmethod
        def forward(ctx, x):
            result = x.exp()
            ctx.save_for_backward(result)
            return result

        @staticmethod
        def backward(ctx, grad):
            (result,) = ctx.saved_tensors
            return grad * result

    class MulAdd(Function):
        """a * b + c * scale, with a Python number among the inputs."""

        @staticmethod
        def forward(ctx, a, b, c, scale):
            ctx.save_for_backward(a, b)
            ctx.scale = scale
            ctx.seen = ctx.needs_input_grad
            return a * b + c * scale

        @staticmethod
        def backward(ctx, grad):
            a, b = ctx.saved_tensors
            ga = grad * b if ctx.needs_input_grad[0] else None
            gb = grad * a if ctx.needs_input_grad[1] else None
            gc = grad * ctx.scale if ctx.needs_input_grad[2] else None
            return ga, gb, gc, None

    class SplitSquare(Function):
        """(x², x³): two outputs."""

        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x, x * x * x

        @staticmethod
        def backward(ctx, g2, g3):
            (x,) = ctx.saved_tensors
            return g2 * 2 * x + g3 * 3 * x * x

    class TooFew(Function):
        @staticmethod
        def forward(ctx, a, b):
            return a * b

        @staticmethod
        def backward(ctx, grad):
            return grad

    class TooMany(Function):
        @staticmethod
        def forward(ctx, a):
            return a * 2

        @staticmethod
        def backward(ctx, grad):
            return grad * 2, grad, grad

    class WrongShape(Function):
        @staticmethod
        def forward(ctx, a):
            return a.sum()

        @staticmethod
        def backward(ctx, grad):
            return grad * lib.ones(3)

    class ArgMaxAndMax(Function):
        @staticmethod
        def forward(ctx, x):
            index = x.argmax()
            ctx.mark_non_differentiable(index)
            ctx.save_for_backward(x, index)
            return x.max(), index

        @staticmethod
        def backward(ctx, g_value, g_index):
            x, index = ctx.saved_tensors
            one_hot = (lib.arange(x.shape[0]) == index).to(x.dtype)
            return one_hot * g_value

    class SeesNone(Function):
        """Records what backward receives for an unused output."""

        @staticmethod
        def forward(ctx, x, materialize):
            ctx.set_materialize_grads(materialize)
            return x * 2, x * 3

        @staticmethod
        def backward(ctx, g1, g2):
            ctx.log = [g1 is None, g2 is None]
            total = g1 * 2 if g1 is not None else None
            if g2 is not None:
                total = g2 * 3 if total is None else total + g2 * 3
            return total, None

    class NoBackward(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

    return {
        f.__name__: f
        for f in (
            Exp,
            MulAdd,
            SplitSquare,
            TooFew,
            TooMany,
            WrongShape,
            ArgMaxAndMax,
            SeesNone,
            NoBackward,
        )
    }


@scenario
def exp_value_gradient_and_node_name(lib):
    F = make_functions(lib)
    x = lib.tensor([0.0, 1.0, -0.5], requires_grad=True)
    y = F["Exp"].apply(x)
    names = [y.grad_fn.name(), type(y.grad_fn).__name__]
    edges = [(n.name(), i) for n, i in y.grad_fn.next_functions]
    y.sum().backward()
    return [y, x.grad, names, edges, repr(y).split("grad_fn=")[1]]


@scenario
def saved_tensors_and_double_backward(lib):
    F = make_functions(lib)
    x = lib.tensor([0.3, -0.2], requires_grad=True)
    y = F["Exp"].apply(x * 2)
    (g,) = lib.autograd.grad(y.sum(), x, create_graph=True)
    (h,) = lib.autograd.grad(g.sum(), x)
    return [g, h, g.grad_fn is not None]


@scenario
def saved_tensors_are_freed_after_backward(lib):
    F = make_functions(lib)
    x = lib.tensor([0.3, -0.2], requires_grad=True)
    y = F["Exp"].apply(x)
    y.sum().backward()
    return [error_of(lambda: y.grad_fn.saved_tensors), error_of(lambda: y.sum().backward())]


@scenario
def needs_input_grad_for_every_combination(lib):
    F = make_functions(lib)
    seen = []
    for flags in [(True, False, False), (False, True, True), (True, True, False)]:
        a, b, c = (lib.tensor([1.0, 2.0], requires_grad=f) for f in flags)
        out = F["MulAdd"].apply(a, b, c, 0.5)
        seen.append(list(out.grad_fn.needs_input_grad))
        seen.append(list(out.grad_fn.seen))
        out.sum().backward()
        seen.append([t.grad for t in (a, b, c)])
    return seen


@scenario
def needs_input_grad_when_nothing_requires_grad(lib):
    F = make_functions(lib)
    out = F["MulAdd"].apply(lib.ones(2), lib.ones(2), lib.ones(2), 2.0)
    return [out.requires_grad, out.grad_fn is None, out]


@scenario
def forward_runs_without_recording(lib):
    F = make_functions(lib)
    x = lib.tensor([1.0], requires_grad=True)
    saw = []

    class Probe(lib.autograd.Function):
        @staticmethod
        def forward(ctx, t):
            saw.append(lib.is_grad_enabled())
            inner = t * 2
            saw.append(inner.requires_grad)
            return inner

        @staticmethod
        def backward(ctx, grad):
            return grad * 2

    out = Probe.apply(x)
    return [saw, out.grad_fn.name(), len(F)]


@scenario
def two_outputs_and_partial_use(lib):
    F = make_functions(lib)
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    sq, cube = F["SplitSquare"].apply(x)
    same_node = sq.grad_fn is cube.grad_fn
    cube.sum().backward()
    return [sq, cube, same_node, x.grad, sq.grad_fn.name()]


@scenario
def non_differentiable_output(lib):
    F = make_functions(lib)
    x = lib.tensor([1.0, 5.0, 2.0], requires_grad=True)
    value, index = F["ArgMaxAndMax"].apply(x)
    facts = [value, index, index.requires_grad, index.grad_fn is None, value.requires_grad]
    (value * 2).backward()
    return [*facts, x.grad]


@scenario
def materialized_and_unmaterialized_gradients(lib):
    F = make_functions(lib)
    out = []
    for materialize in (True, False):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        a, b = F["SeesNone"].apply(x, materialize)
        node = a.grad_fn
        a.sum().backward()
        out += [node.log, x.grad]
    return out


@scenario
def too_few_gradients(lib):
    F = make_functions(lib)
    a = lib.tensor([1.0], requires_grad=True)
    b = lib.tensor([2.0], requires_grad=True)
    return [error_of(lambda: F["TooFew"].apply(a, b).sum().backward())]


@scenario
def too_many_gradients(lib):
    F = make_functions(lib)
    a = lib.tensor([1.0], requires_grad=True)
    return [error_of(lambda: F["TooMany"].apply(a).sum().backward())]


@scenario
def gradient_of_the_wrong_shape(lib):
    F = make_functions(lib)
    a = lib.tensor([1.0, 2.0], requires_grad=True)
    return [error_of(lambda: F["WrongShape"].apply(a).backward())]


@scenario
def broadcastable_gradient_is_summed_to_the_input_shape(lib):
    class Broadcasting(lib.autograd.Function):
        @staticmethod
        def forward(ctx, a):
            return a.sum()

        @staticmethod
        def backward(ctx, grad):
            return grad * lib.ones(3, 2)  # (3, 2) for an input of shape (2,)

    a = lib.tensor([1.0, 2.0], requires_grad=True)
    Broadcasting.apply(a).backward()
    return [a.grad]


@scenario
def backward_not_implemented(lib):
    F = make_functions(lib)
    x = lib.tensor([1.0], requires_grad=True)
    return [error_of(lambda: F["NoBackward"].apply(x).sum().backward())]


@scenario
def custom_function_in_a_larger_graph(lib):
    F = make_functions(lib)
    w = lib.tensor([[0.5, -1.0], [2.0, 0.1]], requires_grad=True)
    x = lib.tensor([1.0, -2.0])
    h = F["Exp"].apply(w @ x)
    sq, cube = F["SplitSquare"].apply(h)
    loss = (sq + F["MulAdd"].apply(cube, h, sq, 0.25)).mean()
    loss.backward()
    return [loss, w.grad, loss.grad_fn.name()]


@scenario
def ctx_attributes_are_readable_on_the_node(lib):
    F = make_functions(lib)
    a = lib.tensor([1.0], requires_grad=True)
    out = F["MulAdd"].apply(a, a, a, 3.0)
    return [out.grad_fn.scale, len(out.grad_fn.saved_tensors)]


@pytest.mark.parametrize("name", list(scenario.cases))
def test_scenario_matches_torch(name: str) -> None:
    run = scenario.cases[name]
    assert_same(plain(run(minigrad)), plain(run(torch)), **TOLERANCE)


def test_gradcheck_of_custom_functions() -> None:
    F = make_functions(minigrad)
    x = minigrad.tensor([0.3, -0.7, 1.2], dtype=minigrad.float64, requires_grad=True)
    y = minigrad.tensor([1.5, 0.2, -0.4], dtype=minigrad.float64, requires_grad=True)
    assert minigrad.autograd.gradcheck(F["Exp"].apply, (x,))
    assert minigrad.autograd.gradgradcheck(F["Exp"].apply, (x,))
    assert minigrad.autograd.gradcheck(lambda a, b: F["MulAdd"].apply(a, b, a, 2.0), (x, y))
    assert minigrad.autograd.gradcheck(F["SplitSquare"].apply, (x,))
    assert minigrad.autograd.gradgradcheck(F["SplitSquare"].apply, (x,))
