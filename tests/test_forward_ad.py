"""Forward-mode AD (minigrad.autograd.forward_ad) against torch.autograd.forward_ad.

The same function runs on dual tensors in both libraries; the primal and tangent of every
output are compared, and so are the printed dual tensors and the errors.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch
import torch.autograd.forward_ad as tfw

import minigrad
import minigrad.autograd.forward_ad as mfw
from tests._oracle import assert_same_error

# torch's forward AD loads TorchScript decompositions, which warn that torch.jit is deprecated.
pytestmark = pytest.mark.filterwarnings("ignore:`torch.jit.script`:DeprecationWarning")

FW = {minigrad: mfw, torch: tfw}


def _arrays(shapes: list[tuple[int, ...]], seed: int, dtype: str) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [rng.uniform(-1.5, 1.5, s).astype(dtype) for s in shapes]


def run_dual(
    lib: Any, fn: Callable[..., Any], primals: list[np.ndarray], tangents: list[np.ndarray | None]
) -> list[tuple[np.ndarray, np.ndarray | None]]:
    """(primal, tangent) of each output of fn on dual inputs."""
    fw = FW[lib]
    with fw.dual_level():
        args = []
        for p, t in zip(primals, tangents):
            x = lib.tensor(p.copy())
            args.append(x if t is None else fw.make_dual(x, lib.tensor(t.copy())))
        out = fn(lib, *args)
        outs = out if isinstance(out, tuple) else (out,)
        result = []
        for o in outs:
            primal, tangent = fw.unpack_dual(o)
            result.append(
                (
                    primal.detach().numpy().copy(),
                    None if tangent is None else tangent.detach().numpy().copy(),
                )
            )
        return result


# (function, input shapes); every input gets a tangent unless the name says otherwise.
FUNCTIONS: dict[str, tuple[Callable[..., Any], list[tuple[int, ...]]]] = {
    # elementwise
    "add_mul": (lambda L, x, y: x * y + x - 2 * y, [(2, 3), (2, 3)]),
    "broadcast": (lambda L, x, y: x / (y.exp() + 1), [(2, 3), (3,)]),
    "sin_cos": (lambda L, x: x.sin() * x.cos(), [(4,)]),
    "tanh_sigmoid": (lambda L, x: x.tanh() + x.sigmoid(), [(4,)]),
    "exp_log_sqrt": (lambda L, x: (x * x + 1).log() + (x * x + 1).sqrt() + x.exp(), [(3,)]),
    "pow_reciprocal": (lambda L, x: x**3 + (x * x + 1).reciprocal() + 2.0**x, [(3,)]),
    "pow_tensor": (lambda L, x, y: (x * x + 1) ** y, [(3,), (3,)]),
    "relu_abs_clamp": (lambda L, x: x.relu() + x.abs() + x.clamp(-0.5, 0.5), [(5,)]),
    "neg_sub_rsub": (lambda L, x: -x - (1 - x) * 3, [(2, 2)]),
    "where_maximum": (lambda L, x, y: L.where(x > 0, x, y) + L.maximum(x, y), [(4,), (4,)]),
    # matmul
    "matmul_2d": (lambda L, a, b: a @ b, [(2, 3), (3, 4)]),
    "matmul_vec": (lambda L, a, v: a @ v, [(2, 3), (3,)]),
    "matmul_batched": (lambda L, a, b: a @ b, [(2, 2, 3), (3, 2)]),
    "mm_mv_dot": (lambda L, a, v: a.mm(a.t()).mv(v[:2]).dot(v[1:]), [(2, 3), (3,)]),
    "linear": (lambda L, x, w, b: L.nn.functional.linear(x, w, b), [(4, 3), (2, 3), (2,)]),
    # reductions
    "sum_mean": (lambda L, x: (x.sum(), x.mean(1), x.sum(0, keepdim=True)), [(2, 3)]),
    "prod_norm": (lambda L, x: (x.prod(), x.norm(), x.norm(dim=0)), [(2, 3)]),
    "max_min": (lambda L, x: (x.max(), x.amax(1), x.max(1)[0], x.min(0)[0]), [(3, 4)]),
    "softmax": (lambda L, x: (x.softmax(1), x.log_softmax(0)), [(2, 3)]),
    # shapes and indexing
    "reshape_view": (lambda L, x: (x.reshape(3, 2), x.view(-1), x.flatten()), [(2, 3)]),
    "transpose_permute": (lambda L, x: (x.t(), x.permute(1, 0), x.transpose(0, 1)), [(2, 3)]),
    "squeeze_unsqueeze": (lambda L, x: (x.unsqueeze(1).squeeze(), x.unsqueeze(0)), [(3,)]),
    "expand": (lambda L, x: x.unsqueeze(0).expand(3, 2), [(2,)]),
    "index": (lambda L, x: (x[0], x[:, 1:], x[[1, 0]], x[x > 0]), [(2, 3)]),
    "cat_stack": (lambda L, x, y: (L.cat([x, y]), L.stack([x, y], 1)), [(2,), (2,)]),
    # losses
    "mse": (lambda L, x, y: L.nn.functional.mse_loss(x, y), [(3,), (3,)]),
    "bce_logits": (
        lambda L, x: L.nn.functional.binary_cross_entropy_with_logits(x, L.ones_like(x) * 0.25),
        [(3,)],
    ),
    "cross_entropy": (lambda L, x: L.nn.functional.cross_entropy(x, L.tensor([0, 2])), [(2, 3)]),
    # a small network
    "mlp": (
        lambda L, x, w1, w2: ((x @ w1).tanh() @ w2).sigmoid().mean(),
        [(4, 3), (3, 5), (5, 1)],
    ),
}


def _compare(mine: Any, theirs: Any, dtype: str, name: str) -> None:
    assert len(mine) == len(theirs), name
    tol = 1e-10 if dtype == "float64" else 2e-5
    for i, ((mp, mt), (tp, tt)) in enumerate(zip(mine, theirs)):
        np.testing.assert_allclose(mp, tp, rtol=tol, atol=tol, err_msg=f"{name} primal {i}")
        assert (mt is None) == (tt is None), f"{name} output {i}: tangent {mt} vs torch {tt}"
        if tt is not None:
            assert mt.dtype == tt.dtype, f"{name} tangent {i}: {mt.dtype} vs {tt.dtype}"
            np.testing.assert_allclose(mt, tt, rtol=tol, atol=tol, err_msg=f"{name} tangent {i}")


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", list(FUNCTIONS))
def test_tangents_match_torch(name: str, dtype: str) -> None:
    fn, shapes = FUNCTIONS[name]
    primals = _arrays(shapes, seed=1, dtype=dtype)
    tangents = _arrays(shapes, seed=2, dtype=dtype)
    _compare(
        run_dual(minigrad, fn, primals, tangents),
        run_dual(torch, fn, primals, tangents),
        dtype,
        name,
    )


@pytest.mark.parametrize("name", ["add_mul", "matmul_2d", "pow_tensor", "mlp", "linear"])
def test_tangent_on_one_input_only(name: str) -> None:
    fn, shapes = FUNCTIONS[name]
    primals = _arrays(shapes, seed=3, dtype="float64")
    tangents: list[np.ndarray | None] = [None] * len(shapes)
    tangents[-1] = _arrays(shapes, seed=4, dtype="float64")[-1]
    _compare(
        run_dual(minigrad, fn, primals, tangents),
        run_dual(torch, fn, primals, tangents),
        "float64",
        name,
    )


def test_forward_ad_agrees_with_torch_func_jvp() -> None:
    def f(L, x, w):
        return ((x @ w).tanh() ** 2).sum(1)

    x, w = _arrays([(3, 4), (4, 2)], seed=5, dtype="float64")
    u, v = _arrays([(3, 4), (4, 2)], seed=6, dtype="float64")
    ((_, tangent),) = run_dual(minigrad, f, [x, w], [u, v])
    _, expected = torch.func.jvp(
        lambda a, b: f(torch, a, b),
        (torch.tensor(x), torch.tensor(w)),
        (torch.tensor(u), torch.tensor(v)),
    )
    np.testing.assert_allclose(tangent, expected.numpy(), rtol=1e-12, atol=1e-12)


def test_forward_mode_gives_columns_reverse_mode_gives_rows() -> None:
    """Exercise 7: forward mode gives J·u (one column per pass), reverse mode vᵀJ (one row)."""

    def f(x):
        return minigrad.stack([x[0] * x[1], x[1].sin() + x[2] ** 2, (x * x).sum().sqrt()])

    x0 = minigrad.tensor([0.5, -1.0, 2.0], dtype=minigrad.float64)
    columns = []
    for j in range(3):
        with mfw.dual_level():
            basis = minigrad.zeros(3, dtype=minigrad.float64)
            basis = basis + minigrad.tensor(
                [1.0 if k == j else 0.0 for k in range(3)], dtype=minigrad.float64
            )
            columns.append(mfw.unpack_dual(f(mfw.make_dual(x0, basis))).tangent.numpy())
    rows = []
    for i in range(3):
        x = x0.detach().requires_grad_()
        (g,) = minigrad.autograd.grad(f(x)[i], x)
        rows.append(g.numpy())
    np.testing.assert_allclose(np.stack(columns, axis=1), np.stack(rows), rtol=1e-12)
    jac = minigrad.autograd.functional.jacobian(f, x0)
    np.testing.assert_allclose(jac.numpy(), np.stack(rows), rtol=1e-12)


# --- the API: levels, make_dual, unpack_dual, printing, errors ---------------------------------


def observe_api(lib: Any) -> list[Any]:
    fw = FW[lib]
    x = lib.tensor([1.0, 2.0])
    t = lib.tensor([0.5, -1.0])
    outside = fw.unpack_dual(x)
    facts: list[Any] = [type(outside).__name__, outside._fields, outside.tangent is None]
    with fw.dual_level() as level:
        facts.append(level)
        d = fw.make_dual(x, t)
        facts += [repr(d), d is x, d.requires_grad, d.is_leaf]
        unpacked = fw.unpack_dual(d)
        facts += [repr(unpacked), repr(fw.unpack_dual(x))]
        y = d * d
        facts.append(repr(y))
        facts.append(repr((d * 3).sum()))
        facts.append(f"{fw.unpack_dual(y.sum()).tangent}")
        with lib.no_grad():
            z = d.exp()
            product = d * d  # (arithmetic outside recording: ops.arithmetic.untracked)
        facts.append(repr(fw.unpack_dual(z)))
        facts.append(repr(fw.unpack_dual(product)))
        w = lib.tensor([1.0, 1.0], requires_grad=True)
        dw = fw.make_dual(w, t)
        # (Not repr(dw * 2): torch's tangent would print its own grad_fn; minigrad's tangents
        # record no graph, see the module's docstring.)
        facts += [repr(dw), repr((dw * 2).detach()), (dw * 2).requires_grad]
        i = d.argmax()
        facts.append(fw.unpack_dual(i).tangent is None)
        kept = y
    facts.append(repr(kept))
    facts.append(fw.unpack_dual(kept).tangent is None)
    return facts


def test_api_and_printing_match_torch() -> None:
    mine, theirs = observe_api(minigrad), observe_api(torch)
    assert mine == theirs


def test_printing_a_large_dual_tensor() -> None:
    def text(lib: Any) -> str:
        fw = FW[lib]
        with fw.dual_level():
            x = lib.tensor(np.arange(12.0).reshape(3, 4) / 7)
            d = fw.make_dual(x, lib.tensor(np.ones((3, 4)) / 3))
            return repr(d.sin())

    assert text(minigrad) == text(torch)


def _error_cases(lib: Any) -> dict[str, Callable[[], Any]]:
    fw = FW[lib]

    def inside(call: Callable[[], Any]) -> Callable[[], Any]:
        def run() -> Any:
            with fw.dual_level():
                return call()

        return run

    x = lib.tensor([1.0, 2.0])

    def twice() -> Any:
        d = fw.make_dual(x, lib.ones(2))
        return fw.make_dual(d, lib.ones(2))

    def nested() -> Any:
        with fw.dual_level():
            return fw.dual_level().__enter__()

    return {
        "no_level": lambda: fw.make_dual(x, lib.ones(2)),
        "wrong_size": inside(lambda: fw.make_dual(x, lib.ones(3))),
        "int_primal": inside(lambda: fw.make_dual(lib.tensor([1, 2]), lib.ones(2))),
        "int_tangent": inside(lambda: fw.make_dual(x, lib.tensor([1, 2]))),
        "dual_of_a_dual": inside(twice),
        "nested_levels": nested,
        "exit_without_level": lambda: fw.exit_dual_level(),
    }


@pytest.mark.parametrize("case", list(_error_cases(torch)))
def test_errors_match_torch(case: str) -> None:
    assert_same_error(_error_cases(minigrad)[case], _error_cases(torch)[case])


def test_level_is_closed_after_an_error() -> None:
    with pytest.raises(ValueError):
        with mfw.dual_level():
            raise ValueError("inside")
    # A new level can be opened: the failed block closed its level.
    with mfw.dual_level() as level:
        assert level == 0


def test_enter_and_exit_by_hand() -> None:
    level = mfw.enter_dual_level()
    d = mfw.make_dual(minigrad.tensor(1.0), minigrad.tensor(2.0))
    assert mfw.unpack_dual(d * 3).tangent.item() == 6.0
    mfw.exit_dual_level(level=level)
    assert mfw.unpack_dual(d).tangent is None


def test_backward_still_works_on_dual_tensors() -> None:
    """Forward and reverse mode on the same computation give the same directional derivative."""

    def run(lib: Any) -> tuple[np.ndarray, np.ndarray]:
        fw = FW[lib]
        w = lib.tensor([0.3, -0.7, 1.1], dtype=lib.float64, requires_grad=True)
        u = lib.tensor([1.0, 2.0, -1.0], dtype=lib.float64)
        with fw.dual_level():
            d = fw.make_dual(w, u)
            y = (d.sin() * d).sum()
            tangent = fw.unpack_dual(y).tangent
            y.backward()
        return np.array(tangent.item()), w.grad.numpy()

    (mt, mg), (tt, tg) = run(minigrad), run(torch)
    np.testing.assert_allclose(mt, tt, rtol=1e-12)
    np.testing.assert_allclose(mg, tg, rtol=1e-12)
    np.testing.assert_allclose(mt, mg @ np.array([1.0, 2.0, -1.0]), rtol=1e-12)


def test_custom_function_gets_its_tangent_from_its_backward() -> None:
    class Cube(minigrad.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x._data**3

        @staticmethod
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            return grad * 3 * x * x

    with mfw.dual_level():
        d = mfw.make_dual(minigrad.tensor([1.0, 2.0]), minigrad.tensor([1.0, 0.5]))
        tangent = mfw.unpack_dual(Cube.apply(d)).tangent
    np.testing.assert_allclose(tangent.numpy(), [3.0, 6.0])


def test_backward_that_is_not_differentiable_is_refused_not_silently_wrong() -> None:
    class Opaque(minigrad.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x._data * 2

        @staticmethod
        def backward(ctx, grad):
            return minigrad.tensor(grad.detach().numpy() * 2)  # leaves autograd

    with mfw.dual_level():
        d = mfw.make_dual(minigrad.tensor([1.0]), minigrad.tensor([1.0]))
        with pytest.raises(RuntimeError, match="Forward-mode AD through Opaque"):
            Opaque.apply(d)


def test_inplace_change_of_a_dual_tensor_is_refused_not_silently_wrong() -> None:
    with mfw.dual_level():
        d = mfw.make_dual(minigrad.tensor([1.0, 2.0]), minigrad.tensor([1.0, 1.0]))
        d.mul_(2)
        with pytest.raises(RuntimeError, match="in-place"):
            mfw.unpack_dual(d)


def test_dual_level_as_a_decorator() -> None:
    @mfw.dual_level()
    def derivative_of_cube_at(x: float) -> float:
        d = mfw.make_dual(minigrad.tensor(x), minigrad.tensor(1.0))
        return mfw.unpack_dual(d**3).tangent.item()

    assert derivative_of_cube_at(2.0) == 12.0
    assert mfw._current is None  # the level is closed again
