"""gradcheck and gradgradcheck: they pass on every differentiable operation, and they fail
the way torch.autograd.gradcheck fails (same exception type, same message, which minigrad
follows with the element that misses by the most).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch
from torch.autograd.gradcheck import GradcheckError as TorchGradcheckError

import minigrad
from minigrad.autograd.gradcheck import GradcheckError
from tests._oracle import assert_same_error


def test_gradcheck_error_is_a_runtime_error() -> None:
    assert issubclass(GradcheckError, RuntimeError)
    assert minigrad.autograd.gradcheck is not None and callable(minigrad.autograd.gradcheck)


# --- every differentiable operation ------------------------------------------------------------

# name -> (function of the library and the inputs, input shapes, has a second derivative)
OPS: dict[str, tuple[Callable[..., Any], list[tuple[int, ...]]]] = {
    "add_broadcast": (lambda L, x, y: x + y * 2, [(2, 3), (3,)]),
    "sub_alpha": (lambda L, x, y: x.sub(y, alpha=1.5), [(2, 3), (2, 1)]),
    "mul": (lambda L, x, y: x * y, [(2, 3), (2, 3)]),
    "div": (lambda L, x, y: x / (y * y + 1), [(3,), (3,)]),
    "neg_rsub": (lambda L, x: 1 - (-x), [(3,)]),
    "pow_scalar": (lambda L, x: x**3, [(3,)]),
    "pow_tensor": (lambda L, x, y: (x * x + 0.5) ** y, [(3,), (3,)]),
    "rpow": (lambda L, x: 3.0**x, [(3,)]),
    "reciprocal": (lambda L, x: (x * x + 1).reciprocal(), [(3,)]),
    "exp_log": (lambda L, x: (x.exp() + 1).log(), [(3,)]),
    "sqrt": (lambda L, x: (x * x + 0.1).sqrt(), [(3,)]),
    "abs": (lambda L, x: x.abs(), [(4,)]),
    "sin_cos": (lambda L, x: x.sin() * x.cos(), [(4,)]),
    "tanh_sigmoid": (lambda L, x: x.tanh() + x.sigmoid(), [(4,)]),
    # the backward formulas themselves, as functions of the input and the incoming gradient
    "tanh_sigmoid_backward": (
        lambda L, x, g: L.autograd.grad(x.tanh() * 2 + x.sigmoid(), x, g, create_graph=True),
        [(4,), (4,)],
    ),
    "relu": (lambda L, x: x.relu(), [(4,)]),
    "clamp": (lambda L, x: x.clamp(-0.3, 0.3), [(4,)]),
    "maximum_minimum": (lambda L, x, y: L.maximum(x, y) - L.minimum(x, y * 2), [(4,), (4,)]),
    "where": (lambda L, x, y: L.where(x > 0, x, y), [(4,), (4,)]),
    "masked_fill": (lambda L, x: x.masked_fill(x > 0.5, 0.0), [(4,)]),
    "sum_mean": (lambda L, x: (x.sum(0), x.mean(1, keepdim=True)), [(2, 3)]),
    "prod": (lambda L, x: (x.prod(), x.prod(1)), [(2, 3)]),
    "max_min": (lambda L, x: (x.max(), x.min(1)[0], x.amax(0)), [(2, 3)]),
    "norm": (lambda L, x: (x.norm(), x.norm(dim=1)), [(2, 3)]),
    "softmax": (lambda L, x: (x.softmax(1), x.log_softmax(0)), [(2, 3)]),
    "softmax_backward": (
        lambda L, x, g: L.autograd.grad(
            (x.softmax(1), x.log_softmax(0)), x, (g, g.sin()), create_graph=True
        ),
        [(2, 3), (2, 3)],
    ),
    "matmul": (lambda L, a, b: a @ b, [(2, 3), (3, 2)]),
    "matmul_batched": (lambda L, a, b: a @ b, [(2, 2, 3), (3,)]),
    "mm_mv_dot_bmm": (
        lambda L, a, b: (
            a.mm(b),
            a.mv(b[:, 0]),
            b[0].dot(b[1]),
            a.unsqueeze(0).bmm(b.unsqueeze(0)),
        ),
        [(2, 3), (3, 3)],
    ),
    "reshape_permute": (lambda L, x: x.reshape(3, 2).t().permute(1, 0).unsqueeze(0), [(2, 3)]),
    "expand_squeeze": (lambda L, x: x.unsqueeze(1).expand(3, 2).squeeze(), [(3,)]),
    "index": (lambda L, x: (x[0], x[:, 1:], x[[1, 0, 1]], x[x > 0]), [(2, 3)]),
    "cat_stack": (lambda L, x, y: (L.cat([x, y], 0), L.stack([x, y])), [(2, 3), (2, 3)]),
    "clone_to": (lambda L, x: x.clone() * x.to(L.float64), [(3,)]),
    "mse": (lambda L, x, y: L.nn.functional.mse_loss(x, y), [(3,), (3,)]),
    "bce_logits": (
        lambda L, x, t: L.nn.functional.binary_cross_entropy_with_logits(x, t.sigmoid()),
        [(3,), (3,)],
    ),
    "bce": (
        lambda L, p, t: L.nn.functional.binary_cross_entropy(p.sigmoid(), t.sigmoid()),
        [(3,), (3,)],
    ),
    "cross_entropy": (lambda L, x: L.nn.functional.cross_entropy(x, L.tensor([2, 0])), [(2, 3)]),
    "nll": (lambda L, x: L.nn.functional.nll_loss(x.log_softmax(1), L.tensor([1, 0])), [(2, 3)]),
    "linear": (lambda L, x, w, b: L.nn.functional.linear(x, w, b), [(4, 3), (2, 3), (2,)]),
}

# Piecewise-linear functions have no second derivative worth checking (it is zero almost
# everywhere); gradgradcheck still runs on them and must pass.


def _inputs(shapes: list[tuple[int, ...]], seed: int = 0) -> list[minigrad.Tensor]:
    rng = np.random.default_rng(seed)
    made = []
    for shape in shapes:
        values = rng.uniform(-1.0, 1.0, shape)
        values[np.abs(values) < 0.1] += 0.25  # away from kinks (abs, relu, clamp, max)
        made.append(minigrad.tensor(values, requires_grad=True))
    return made


@pytest.mark.parametrize("name", list(OPS))
def test_gradcheck_passes(name: str) -> None:
    fn, shapes = OPS[name]
    assert minigrad.autograd.gradcheck(lambda *a: fn(minigrad, *a), _inputs(shapes))


@pytest.mark.parametrize("name", list(OPS))
def test_gradgradcheck_passes(name: str) -> None:
    fn, shapes = OPS[name]
    assert minigrad.autograd.gradgradcheck(lambda *a: fn(minigrad, *a), _inputs(shapes, seed=1))


@pytest.mark.parametrize("name", ["mul", "sin_cos", "matmul", "softmax", "norm", "index"])
def test_gradcheck_with_forward_mode(name: str) -> None:
    fn, shapes = OPS[name]
    assert minigrad.autograd.gradcheck(
        lambda *a: fn(minigrad, *a), _inputs(shapes), check_forward_ad=True
    )


# --- failures, compared with torch's --------------------------------------------------------


def make_bad(lib: Any) -> dict[str, type]:
    """Functions with a wrong backward, written once for either library."""

    class WrongFactor(lib.autograd.Function):
        """x², with the derivative 3x instead of 2x."""

        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            return grad * 3 * x

    class DetachedBackward(lib.autograd.Function):
        """x³ with a correct first derivative that is not differentiable (detached)."""

        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x * x

        @staticmethod
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            return grad * 3 * x.detach() * x.detach()

    class IgnoresGrad(lib.autograd.Function):
        """sum(x) whose backward ignores the incoming gradient."""

        @staticmethod
        def forward(ctx, x):
            ctx.shape = x.shape
            return x.sum()

        @staticmethod
        def backward(ctx, grad):
            return lib.ones(ctx.shape, dtype=lib.float64)

    return {c.__name__: c for c in (WrongFactor, DetachedBackward, IgnoresGrad)}


def _both(build: Callable[[Any], Callable[[], Any]]) -> tuple[BaseException, BaseException]:
    errors = []
    for lib in (minigrad, torch):
        try:
            build(lib)()
        except Exception as error:  # noqa: BLE001 - the error is what is compared
            errors.append(error)
        else:
            raise AssertionError(f"{lib.__name__} did not raise")
    return errors[0], errors[1]


def _x(lib: Any, values: list[float] | None = None) -> Any:
    return lib.tensor(values or [1.0, 2.0, 3.0], dtype=lib.float64, requires_grad=True)


def test_mismatch_message_is_torchs() -> None:
    mine, theirs = _both(
        lambda L: lambda: L.autograd.gradcheck(make_bad(L)["WrongFactor"].apply, (_x(L),))
    )
    assert isinstance(mine, GradcheckError) and isinstance(theirs, TorchGradcheckError)
    assert str(mine) == str(theirs), f"\nminigrad: {mine}\ntorch:    {theirs}"


def test_mismatch_with_several_inputs_and_outputs_names_the_pair() -> None:
    def build(L: Any) -> Callable[[], Any]:
        bad = make_bad(L)["WrongFactor"]
        rng = np.random.default_rng(0)
        y = L.tensor(rng.standard_normal((2, 3)), requires_grad=True)
        return lambda: L.autograd.gradcheck(lambda a, b: (a * b.sum(), bad.apply(b)), (_x(L), y))

    mine, theirs = _both(build)
    assert str(mine) == str(theirs), f"\nminigrad: {mine}\ntorch:    {theirs}"
    assert str(mine).startswith("Jacobian mismatch for output 1 with respect to input 1,")


def test_raise_exception_false_returns_false() -> None:
    for lib in (minigrad, torch):
        bad = make_bad(lib)["WrongFactor"]
        assert lib.autograd.gradcheck(bad.apply, (_x(lib),), raise_exception=False) is False
        assert lib.autograd.gradcheck(lambda t: t * t, (_x(lib),), raise_exception=False) is True


def test_backward_that_ignores_the_incoming_gradient() -> None:
    mine, theirs = _both(
        lambda L: lambda: L.autograd.gradcheck(make_bad(L)["IgnoresGrad"].apply, (_x(L),))
    )
    assert type(mine).__name__ == type(theirs).__name__ == "GradcheckError"
    assert str(mine) == str(theirs) == "backward not multiplied by grad_output"


def test_gradgradcheck_finds_a_detached_backward() -> None:
    def build(L: Any) -> Callable[[], Any]:
        bad = make_bad(L)["DetachedBackward"]
        v = L.tensor([0.5, -1.0, 2.0], dtype=L.float64, requires_grad=True)
        return lambda: L.autograd.gradgradcheck(bad.apply, (_x(L),), (v,))

    mine, theirs = _both(build)
    assert str(mine) == str(theirs), f"\nminigrad: {mine}\ntorch:    {theirs}"


def test_gradgradcheck_with_random_grad_outputs_fails_too() -> None:
    bad = make_bad(minigrad)["DetachedBackward"]
    with pytest.raises(
        GradcheckError, match="Jacobian mismatch for output 0 with respect to input 0"
    ):
        minigrad.autograd.gradgradcheck(bad.apply, (_x(minigrad),))
    assert (
        minigrad.autograd.gradgradcheck(bad.apply, (_x(minigrad),), raise_exception=False) is False
    )


def test_output_that_does_not_depend_on_the_inputs() -> None:
    mine, theirs = _both(lambda L: lambda: L.autograd.gradcheck(lambda t: t.detach() * 2, (_x(L),)))
    assert str(mine) == str(theirs) == "Numerical gradient for function expected to be zero"
    # A constant output is fine.
    for lib in (minigrad, torch):
        assert lib.autograd.gradcheck(lambda t, L=lib: L.ones(2, dtype=L.float64), (_x(lib),))


def test_no_input_requires_grad() -> None:
    assert_same_error(
        lambda: minigrad.autograd.gradcheck(
            lambda t: t * 2, (minigrad.ones(2, dtype=minigrad.float64),)
        ),
        lambda: torch.autograd.gradcheck(lambda t: t * 2, (torch.ones(2, dtype=torch.float64),)),
    )


def test_float32_inputs_warn_and_fail_as_in_torch() -> None:
    results = []
    for lib in (minigrad, torch):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            ok = lib.autograd.gradcheck(
                lambda t: t * 2, (lib.ones(2, requires_grad=True),), raise_exception=False
            )
        results.append((ok, [str(w.message) for w in caught if w.category is UserWarning]))
    assert results[0] == results[1]
    assert results[0][0] is False


def test_expanded_input_is_refused() -> None:
    def build(L: Any) -> Callable[[], Any]:
        x = L.tensor([1.0], dtype=L.float64).expand(3).requires_grad_()
        return lambda: L.autograd.gradcheck(lambda t: t * 2, (x,))

    assert_same_error(build(minigrad), build(torch))


def test_non_reentrant_backward() -> None:
    calls = []

    class Drifting(minigrad.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, grad):
            calls.append(1)
            return grad * (2 + 1e-9 * len(calls))

    x = _x(minigrad)
    with pytest.raises(GradcheckError, match="Backward is not reentrant"):
        minigrad.autograd.gradcheck(Drifting.apply, (x,))
    assert minigrad.autograd.gradcheck(Drifting.apply, (x,), nondet_tol=1e-6)


def test_inputs_may_be_a_single_tensor_or_include_non_tensors() -> None:
    x = _x(minigrad)
    assert minigrad.autograd.gradcheck(lambda t: t.sin(), x)
    assert minigrad.autograd.gradcheck(lambda t, k: t * k, (x, 3.0))
    assert minigrad.autograd.gradcheck(
        lambda t, c: t * c, [x, minigrad.ones(3, dtype=minigrad.float64)]
    )


def test_inputs_are_restored_after_the_check() -> None:
    x = _x(minigrad, [0.1, 0.2, 0.3])
    before = x.detach().numpy().copy()
    minigrad.autograd.gradcheck(lambda t: t.exp(), (x,))
    np.testing.assert_array_equal(x.detach().numpy(), before)
    assert x.grad is None
