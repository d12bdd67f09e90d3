"""minigrad.autograd.functional against torch.autograd.functional on the same functions.

Every result is compared in full: the nesting (a tensor, a tuple, a tuple of tuples), each
tensor's shape, dtype, values and requires_grad, and the errors' types and messages.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch
import torch.autograd.functional as TF

import minigrad
import minigrad.autograd.functional as MF
from tests._oracle import assert_same_error

# torch's forward AD loads TorchScript decompositions, which warn that torch.jit is deprecated.
pytestmark = pytest.mark.filterwarnings("ignore:`torch.jit.script`:DeprecationWarning")


def assert_same_structure(m: Any, t: Any, where: str = "result") -> None:
    """Same nesting, and tensors with the same shape, dtype, values and requires_grad."""
    if isinstance(t, torch.Tensor):
        assert isinstance(m, minigrad.Tensor), f"{where}: {type(m)} is not a Tensor"
        assert tuple(m.shape) == tuple(t.shape), f"{where}: shape {m.shape} != {t.shape}"
        assert str(m.dtype) == str(t.dtype), f"{where}: dtype {m.dtype} != {t.dtype}"
        assert m.requires_grad == t.requires_grad, f"{where}: requires_grad differs"
        tol = 1e-10 if t.dtype == torch.float64 else 2e-5
        np.testing.assert_allclose(
            m.detach().numpy(), t.detach().numpy(), rtol=tol, atol=tol, err_msg=where
        )
    else:
        assert type(m) is type(t), f"{where}: {type(m).__name__} != {type(t).__name__}"
        assert len(m) == len(t), f"{where}: length {len(m)} != {len(t)}"
        for i, (mi, ti) in enumerate(zip(m, t)):
            assert_same_structure(mi, ti, f"{where}[{i}]")


def inputs(lib: Any, *shapes: tuple[int, ...], seed: int = 0, dtype: str = "float64") -> Any:
    """Inputs of the given shapes, the same in both libraries (one tensor or a tuple)."""
    rng = np.random.default_rng(seed)
    made = tuple(lib.tensor(rng.uniform(-1, 1, shape).astype(dtype)) for shape in shapes)
    return made[0] if len(made) == 1 else made


# Functions of one or two tensors, with one output or a tuple of outputs.
def exp_reducer(x):
    return x.exp().sum(dim=1)


def adder(x, y):
    return 2 * x + 3 * y.sin()


def two_outputs(x, y):
    return (x * y).tanh(), (x**2).sum()


def scalar_of_two(x, y):
    return (x.sin() * y[:2].exp()).sum() + (x**2).sum() * y.sum()


def pow_reducer(x):
    return (x**3).sum()


def mlp_loss(w):
    x = w.reshape(2, 3)
    return ((x @ x.t()).tanh() ** 2).sum()


def ignores_second(x, y):
    return x.exp()


# (name, function, input shapes, v shapes for vjp (outputs), v shapes for jvp (inputs))
CASES = [
    ("one_in_one_out", exp_reducer, [(3, 4)], [(3,)], [(3, 4)]),
    ("two_in_one_out", adder, [(2,), (2,)], [(2,)], [(2,), (2,)]),
    ("two_in_two_out", two_outputs, [(3,), (3,)], [(3,), ()], [(3,), (3,)]),
    ("scalar", pow_reducer, [(2, 2)], [()], [(2, 2)]),
    ("unused_input", ignores_second, [(3,), (2,)], [(3,)], [(3,), (2,)]),
]


def _v(lib: Any, shapes: list[tuple[int, ...]], is_tuple: bool, seed: int) -> Any:
    rng = np.random.default_rng(seed)
    vs = tuple(lib.tensor(rng.standard_normal(s)) for s in shapes)
    return vs if is_tuple else vs[0]


def _case_args(lib, shapes, seed=0):
    made = inputs(lib, *shapes, seed=seed)
    return made


@pytest.mark.parametrize("create_graph", [False, True])
@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_vjp(case: Any, create_graph: bool) -> None:
    name, fn, in_shapes, out_shapes, _ = case

    def run(lib, F):
        x = _case_args(lib, in_shapes)
        out_is_tuple = name == "two_in_two_out"
        return F.vjp(fn, x, _v(lib, out_shapes, out_is_tuple, 1), create_graph=create_graph)

    assert_same_structure(run(minigrad, MF), run(torch, TF))


@pytest.mark.parametrize("create_graph", [False, True])
@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_jvp(case: Any, create_graph: bool) -> None:
    name, fn, in_shapes, _, v_shapes = case

    def run(lib, F):
        x = _case_args(lib, in_shapes)
        return F.jvp(fn, x, _v(lib, v_shapes, len(in_shapes) > 1, 2), create_graph=create_graph)

    assert_same_structure(run(minigrad, MF), run(torch, TF))


@pytest.mark.parametrize("create_graph", [False, True])
@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_jacobian(case: Any, create_graph: bool) -> None:
    _, fn, in_shapes, _, _ = case

    def run(lib, F):
        return F.jacobian(fn, _case_args(lib, in_shapes), create_graph=create_graph)

    assert_same_structure(run(minigrad, MF), run(torch, TF))


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_jacobian_forward_mode(case: Any) -> None:
    _, fn, in_shapes, _, _ = case

    def run(lib, F):
        return F.jacobian(fn, _case_args(lib, in_shapes), vectorize=True, strategy="forward-mode")

    assert_same_structure(run(minigrad, MF), run(torch, TF))


HESSIAN_CASES = [
    ("one_input", pow_reducer, [(2, 2)]),
    ("mlp", mlp_loss, [(6,)]),
    ("two_inputs", scalar_of_two, [(2,), (3,)]),
    ("zero_dim", lambda x: x.sin() * x.exp(), [()]),
]


@pytest.mark.parametrize("create_graph", [False, True])
@pytest.mark.parametrize("case", HESSIAN_CASES, ids=[c[0] for c in HESSIAN_CASES])
def test_hessian(case: Any, create_graph: bool) -> None:
    _, fn, shapes = case

    def run(lib, F):
        return F.hessian(fn, _case_args(lib, shapes), create_graph=create_graph)

    assert_same_structure(run(minigrad, MF), run(torch, TF))


@pytest.mark.parametrize("which", ["hvp", "vhp"])
@pytest.mark.parametrize("create_graph", [False, True])
@pytest.mark.parametrize("case", HESSIAN_CASES, ids=[c[0] for c in HESSIAN_CASES])
def test_hvp_and_vhp(case: Any, create_graph: bool, which: str) -> None:
    _, fn, shapes = case

    def run(lib, F):
        v = _v(lib, shapes, len(shapes) > 1, 3)
        return getattr(F, which)(fn, _case_args(lib, shapes), v, create_graph=create_graph)

    assert_same_structure(run(minigrad, MF), run(torch, TF))


def test_hessian_matches_the_jacobian_of_the_gradient() -> None:
    x = inputs(minigrad, (6,), seed=4)
    h = MF.hessian(mlp_loss, x)

    def gradient(w):
        (g,) = minigrad.autograd.grad(mlp_loss(w), w, create_graph=True)
        return g

    j = MF.jacobian(gradient, x.requires_grad_())
    np.testing.assert_allclose(h.numpy(), j.numpy(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(h.numpy(), h.numpy().T, rtol=1e-12, atol=1e-12)


def test_inputs_requiring_grad_keep_their_graph_with_create_graph() -> None:
    def run(lib, F):
        w = lib.tensor([0.5, -1.0, 2.0], dtype=lib.float64, requires_grad=True)
        jac = F.jacobian(lambda x: x.sin() * x, w, create_graph=True)
        jac.sum().backward()
        return w.grad

    assert_same_structure(run(minigrad, MF), run(torch, TF))


def test_no_grad_outside_does_not_block_vjp() -> None:
    def run(lib, F):
        with lib.no_grad():
            return F.vjp(exp_reducer, inputs(lib, (2, 3)), inputs(lib, (2,), seed=1))

    assert_same_structure(run(minigrad, MF), run(torch, TF))


# --- strict mode and errors --------------------------------------------------------------------


def _err(fn_name: str, *args: Any, **kwargs: Any) -> None:
    """The same call raises the same error in both libraries."""

    def call(lib, F):
        made = [a(lib) if callable(a) and getattr(a, "_make", False) else a for a in args]
        return lambda: getattr(F, fn_name)(*made, **kwargs)

    assert_same_error(call(minigrad, MF), call(torch, TF))


def maker(fn: Callable[[Any], Any]) -> Callable[[Any], Any]:
    fn._make = True  # type: ignore[attr-defined]
    return fn


ERROR_CASES = {
    "vjp_v_none_for_non_scalar": ("vjp", exp_reducer, maker(lambda L: inputs(L, (2, 3)))),
    "jvp_v_none_for_non_scalar_input": ("jvp", exp_reducer, maker(lambda L: inputs(L, (2, 3)))),
    "vjp_v_wrong_size": (
        "vjp",
        exp_reducer,
        maker(lambda L: inputs(L, (2, 3))),
        maker(lambda L: inputs(L, (3,))),
    ),
    "jvp_v_wrong_count": (
        "jvp",
        adder,
        maker(lambda L: inputs(L, (2,), (2,))),
        maker(lambda L: (inputs(L, (2,)),)),
    ),
    "jvp_v_entry_wrong_size": (
        "jvp",
        adder,
        maker(lambda L: inputs(L, (2,), (2,))),
        maker(lambda L: (inputs(L, (2,)), inputs(L, (3,)))),
    ),
    "vjp_v_single_for_tuple": (
        "vjp",
        two_outputs,
        maker(lambda L: inputs(L, (3,), (3,))),
        maker(lambda L: inputs(L, (3,))),
    ),
    "list_inputs": ("jacobian", adder, maker(lambda L: list(inputs(L, (2,), (2,))))),
    "non_tensor_in_tuple": ("jacobian", adder, maker(lambda L: (inputs(L, (2,)), 3.0))),
    "hessian_of_non_scalar": ("hessian", exp_reducer, maker(lambda L: inputs(L, (2, 3)))),
    "hessian_of_tuple_output": ("hessian", two_outputs, maker(lambda L: inputs(L, (3,), (3,)))),
    "hvp_of_non_scalar": (
        "hvp",
        exp_reducer,
        maker(lambda L: inputs(L, (2, 3))),
        maker(lambda L: inputs(L, (2, 3))),
    ),
    "vhp_of_tuple_output": (
        "vhp",
        two_outputs,
        maker(lambda L: inputs(L, (3,), (3,))),
        maker(lambda L: inputs(L, (3,), (3,))),
    ),
    "hvp_v_none": ("hvp", pow_reducer, maker(lambda L: inputs(L, (2, 2)))),
}


@pytest.mark.parametrize("name", list(ERROR_CASES))
def test_errors_match_torch(name: str) -> None:
    fn_name, *args = ERROR_CASES[name]
    _err(fn_name, *args)


STRICT_CASES = {
    "vjp_unused_input": ("vjp", ignores_second, [(3,), (2,)], [(3,)]),
    "jvp_unused_input": ("jvp", ignores_second, [(3,), (2,)], [(3,), (2,)]),
    "jacobian_unused_input": ("jacobian", ignores_second, [(3,), (2,)], None),
    "jacobian_constant_output": ("jacobian", lambda x: x.detach() * 2, [(3,)], None),
    "hessian_linear_function": ("hessian", lambda x: x.sum() * 2, [(3,)], None),
    "vhp_linear_function": ("vhp", lambda x: (x * 2).sum(), [(3,)], [(3,)]),
    "hvp_linear_function": ("hvp", lambda x: (x * 2).sum(), [(3,)], [(3,)]),
}


@pytest.mark.parametrize("create_graph", [False, True])
@pytest.mark.parametrize("name", list(STRICT_CASES))
def test_strict_mode_errors_match_torch(name: str, create_graph: bool) -> None:
    fn_name, fn, shapes, v_shapes = STRICT_CASES[name]

    def call(lib, F):
        x = inputs(lib, *shapes)
        args = [fn, x] if v_shapes is None else [fn, x, _v(lib, v_shapes, len(v_shapes) > 1, 5)]
        return lambda: getattr(F, fn_name)(*args, strict=True, create_graph=create_graph)

    assert_same_error(call(minigrad, MF), call(torch, TF))


def test_strict_mode_passes_when_everything_depends_on_the_inputs() -> None:
    def run(lib, F):
        return F.hessian(mlp_loss, inputs(lib, (6,)), strict=True)

    assert_same_structure(run(minigrad, MF), run(torch, TF))


def test_forward_mode_jacobian_needs_vectorize_as_in_torch() -> None:
    def call(lib, F):
        return lambda: F.jacobian(exp_reducer, inputs(lib, (2, 2)), strategy="forward-mode")

    assert_same_error(call(minigrad, MF), call(torch, TF))

    def call_graph(lib, F):
        return lambda: F.jacobian(
            exp_reducer, inputs(lib, (2, 2)), strategy="forward-mode", create_graph=True
        )

    assert_same_error(call_graph(minigrad, MF), call_graph(torch, TF))


def test_vectorize_gives_the_same_jacobian() -> None:
    x = inputs(minigrad, (3, 4))
    a = MF.jacobian(exp_reducer, x)
    b = MF.jacobian(exp_reducer, x, vectorize=True)
    np.testing.assert_array_equal(a.numpy(), b.numpy())
