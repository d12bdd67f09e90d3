"""autograd.grad and derivatives of every order, against PyTorch.

Each scenario is a function of the library (``torch`` or ``minigrad``) returning a list of
observations (tensors, flags, names, error messages); the test runs it with both libraries
and compares the lists element by element.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch

import minigrad
from tests._scenarios import Scenarios, assert_same, error_of, plain

torch.set_num_threads(1)  # tiny tensors: threads only add overhead

# float32 results agree to rounding; float64 ones to many more digits.
TOLERANCE = {"rtol": 2e-5, "atol": 2e-5, "float64_tol": 1e-10}
scenario = Scenarios()


def name_of(t: Any) -> str | None:
    return None if t.grad_fn is None else t.grad_fn.name()


# --- autograd.grad: semantics and errors ------------------------------------------------------


@scenario
def grad_returns_a_tuple_and_leaves_grad_alone(lib):
    x = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
    w = lib.tensor([0.5, -1.0, 2.0], requires_grad=True)
    y = (x * w).sum()
    result = lib.autograd.grad(y, [x, w])
    return [type(result).__name__, len(result), list(result), x.grad, w.grad]


@scenario
def grad_of_a_single_tensor_input(lib):
    x = lib.tensor(2.0, requires_grad=True)
    result = lib.autograd.grad(x**3, x)
    return [type(result).__name__, list(result), result[0].requires_grad]


@scenario
def grad_unused_input_is_an_error(lib):
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    unused = lib.tensor([3.0], requires_grad=True)
    y = (x * x).sum()
    return [error_of(lambda: lib.autograd.grad(y, [x, unused], retain_graph=True))]


@scenario
def grad_unused_input_allowed(lib):
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    unused = lib.tensor([3.0], requires_grad=True)
    y = (x * x).sum()
    gx, gu = lib.autograd.grad(y, [x, unused], allow_unused=True, retain_graph=True)
    gm = lib.autograd.grad(y, [x, unused], materialize_grads=True)
    return [gx, gu, list(gm)]


@scenario
def grad_materialize_with_allow_unused_false_is_an_error(lib):
    x = lib.tensor([1.0], requires_grad=True)
    y = x * 2
    return [error_of(lambda: lib.autograd.grad(y, x, allow_unused=False, materialize_grads=True))]


@scenario
def grad_non_scalar_output_needs_grad_outputs(lib):
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    y = x * x
    message = error_of(lambda: lib.autograd.grad(y, x, retain_graph=True))
    (g,) = lib.autograd.grad(y, x, grad_outputs=lib.tensor([1.0, -2.0]))
    return [message, g]


@scenario
def grad_outputs_of_the_wrong_shape(lib):
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    y = x * x
    return [error_of(lambda: lib.autograd.grad(y, x, grad_outputs=lib.ones(3)))]


@scenario
def grad_of_an_input_that_does_not_require_grad(lib):
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    c = lib.tensor([1.0, 2.0])
    y = (x * c).sum()
    return [error_of(lambda: lib.autograd.grad(y, c))]


@scenario
def grad_of_an_output_that_does_not_require_grad(lib):
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    y = lib.tensor(3.0)
    return [error_of(lambda: lib.autograd.grad(y, x))]


@scenario
def grad_frees_the_graph_unless_retained(lib):
    x = lib.tensor([0.5, 1.5], requires_grad=True)
    y = (x.sin() * x).sum()
    (g1,) = lib.autograd.grad(y, x, retain_graph=True)
    (g2,) = lib.autograd.grad(y, x)
    return [g1, g2, error_of(lambda: lib.autograd.grad(y, x))]


@scenario
def grad_with_respect_to_an_intermediate(lib):
    x = lib.tensor([0.5, 1.5], requires_grad=True)
    h = x.exp()
    y = (h * h).sum()
    gh, gx = lib.autograd.grad(y, [h, x])
    return [gh, gx]


@scenario
def grad_create_graph_result_is_differentiable(lib):
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    (g,) = lib.autograd.grad((x**3).sum(), x, create_graph=True)
    (h,) = lib.autograd.grad(g.sum(), x)
    return [g, g.requires_grad, name_of(g), h, h.requires_grad]


@scenario
def grad_several_outputs_with_grad_outputs(lib):
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    a, b = x.sin(), (x * x).sum()
    (g,) = lib.autograd.grad([a, b], x, [lib.tensor([1.0, 2.0]), lib.tensor(0.5)])
    return [g, error_of(lambda: lib.autograd.grad([x * 2, x * 3], x, [lib.ones(2)]))]


# --- higher derivatives with create_graph -----------------------------------------------------


@scenario
def derivatives_of_sin_up_to_order_five(lib):
    x = lib.tensor([0.3, 1.1, -2.0], requires_grad=True)
    y = x.sin().sum()
    out = []
    for _ in range(5):
        (y,) = lib.autograd.grad(y, x, create_graph=True)
        out.append(y)
        y = y.sum()
    return out


@scenario
def backward_create_graph_makes_grad_with_a_grad_fn(lib):
    x = lib.tensor([0.5, -1.0], requires_grad=True)
    (x**3).sum().backward(create_graph=True)
    g = x.grad
    facts = [g, g.requires_grad, g.grad_fn is not None, g.is_leaf]
    x.grad = None
    g.sum().backward()  # d/dx of 3x² summed: 6x
    return [*facts, x.grad]


@scenario
def backward_create_graph_accumulates_differentiably(lib):
    x = lib.tensor([0.5, 2.0], requires_grad=True)
    (x**2).sum().backward(create_graph=True)
    (x.exp()).sum().backward(create_graph=True)
    g = x.grad
    (second,) = lib.autograd.grad(g.sum(), x)
    return [g, g.requires_grad, second]


@scenario
def third_derivative_through_backward_then_grad(lib):
    x = lib.tensor(0.7, requires_grad=True)
    (x.sin() * x).backward(create_graph=True)
    first = x.grad
    (second,) = lib.autograd.grad(first, x, create_graph=True)
    (third,) = lib.autograd.grad(second, x)
    return [first, second, third]


@scenario
def mixed_partial_derivatives(lib):
    x = lib.tensor(0.8, requires_grad=True)
    y = lib.tensor(-0.4, requires_grad=True)
    f = (x * y).exp() + x**2 * y.sin()
    gx, gy = lib.autograd.grad(f, [x, y], create_graph=True)
    gxx, gxy = lib.autograd.grad(gx, [x, y], retain_graph=True)
    gyx, gyy = lib.autograd.grad(gy, [x, y])
    return [gx, gy, gxx, gxy, gyx, gyy]


@scenario
def backward_formulas_recorded_as_one_node_each(lib):
    # With create_graph=True, the backward of tanh, sigmoid, softmax, log_softmax and relu is
    # recorded as a single node, named as torch names it, with (grad_output, output) as inputs.
    x = lib.tensor([[0.3, -1.2, 0.5], [2.0, 0.1, -0.4]], dtype=lib.float64, requires_grad=True)
    w = lib.tensor([[1.0, -2.0, 0.5], [0.25, 3.0, -1.0]], dtype=lib.float64)
    observations = []
    for f in (x.tanh, x.sigmoid, lambda: x.softmax(1), lambda: x.log_softmax(0), x.relu):
        (g,) = lib.autograd.grad((f() * w).sum(), x, create_graph=True)
        node = g.grad_fn
        observations += [node.name(), [n and n.name() for n, _ in node.next_functions], g]
        observations += lib.autograd.grad((g * w).sum(), x)
    return observations


@scenario
def squeeze_backward_recorded_as_unsqueezes(lib):
    # squeeze's backward puts each squeezed dimension back with an unsqueeze (in increasing
    # order), recorded as such with create_graph=True; nothing when no dimension was squeezed.
    x = lib.tensor([[[[0.5]], [[-1.5]]]], dtype=lib.float64, requires_grad=True)  # (1, 2, 1, 1)
    observations = []
    for squeeze in (
        lambda y: y.squeeze(),
        lambda y: y.squeeze(2),
        lambda y: y.squeeze((3, -4)),
        lambda y: y.squeeze(1),
    ):
        y = squeeze(x * 1)
        (g,) = lib.autograd.grad((y * y).sum(), x, create_graph=True)
        node, dims = g.grad_fn.next_functions[0][0], []
        while node.name() == "UnsqueezeBackward0":
            dims.append(node._saved_dim)
            node = node.next_functions[0][0]
        observations += [y.grad_fn.name(), dims, node.name(), g]
        observations += lib.autograd.grad(g.sum(), x)
    return observations


def _tanh_mlp(lib, x, w1, b1, w2, b2):
    return ((x @ w1 + b1).tanh() @ w2 + b2).pow(2).mean()


def _weights(lib, seed=0, dtype="float64"):
    rng = np.random.default_rng(seed)
    arrays = [
        rng.standard_normal((5, 3)),
        rng.standard_normal((3, 4)) * 0.7,
        rng.standard_normal(4) * 0.1,
        rng.standard_normal((4, 1)) * 0.7,
        rng.standard_normal(1) * 0.1,
    ]
    x = lib.tensor(arrays[0].astype(dtype))
    params = [lib.tensor(a.astype(dtype), requires_grad=True) for a in arrays[1:]]
    return x, params


def _full_hessian(lib, loss, params):
    """Rows of the Hessian of ``loss`` in the flattened parameters, by nested autograd.grad."""
    grads = lib.autograd.grad(loss, params, create_graph=True)
    flat = lib.cat([g.reshape(-1) for g in grads])
    rows = []
    for i in range(flat.shape[0]):
        row = lib.autograd.grad(flat[i], params, retain_graph=True)
        rows.append(lib.cat([r.reshape(-1) for r in row]))
    return lib.stack(rows)


@scenario
def hessian_of_a_tanh_mlp_in_its_weights(lib):
    x, params = _weights(lib)
    loss = _tanh_mlp(lib, x, *params)
    hessian = _full_hessian(lib, loss, params)
    symmetric = bool(((hessian - hessian.t()).abs() < 1e-10).all())
    return [loss, hessian, symmetric, list(hessian.shape)]


@scenario
def hessian_vector_product_of_a_tanh_mlp(lib):
    x, params = _weights(lib, seed=1, dtype="float32")
    loss = _tanh_mlp(lib, x, *params)
    grads = lib.autograd.grad(loss, params, create_graph=True)
    vs = [lib.ones(p.shape) * 0.1 for p in params]
    dot = sum((g * v).sum() for g, v in zip(grads, vs))
    return list(lib.autograd.grad(dot, params))


@scenario
def gradient_penalty_trains_through_the_gradient(lib):
    # A WGAN-GP style penalty: the norm of a gradient, differentiated again.
    x, params = _weights(lib, seed=2)
    x.requires_grad_()
    out = _tanh_mlp(lib, x, *params)
    (gx,) = lib.autograd.grad(out, x, create_graph=True)
    penalty = ((gx.norm() - 1) ** 2).sum()
    penalty.backward()
    return [penalty, *[p.grad for p in params]]


@pytest.mark.parametrize("name", list(scenario.cases))
def test_scenario_matches_torch(name: str) -> None:
    run = scenario.cases[name]
    assert_same(plain(run(minigrad)), plain(run(torch)), **TOLERANCE)


# --- derivatives of orders 1 to 3 of every differentiable operation ---------------------------

# Each function maps one float64 tensor to a tensor; values chosen away from kinks.
OPS: dict[str, Callable[[Any, Any], Any]] = {
    "sin": lambda L, x: x.sin(),
    "cos": lambda L, x: x.cos(),
    "tanh": lambda L, x: x.tanh(),
    "sigmoid": lambda L, x: x.sigmoid(),
    "exp": lambda L, x: x.exp(),
    "log": lambda L, x: (x * x + 1).log(),
    "sqrt": lambda L, x: (x * x + 1).sqrt(),
    "reciprocal": lambda L, x: (x * x + 1).reciprocal(),
    "pow_3": lambda L, x: x**3,
    "pow_fraction": lambda L, x: (x * x + 1) ** 1.5,
    "pow_tensor": lambda L, x: (x * x + 1) ** x,
    "rpow": lambda L, x: 2.0**x,
    "div": lambda L, x: x / (x * x + 2),
    "rdiv": lambda L, x: 1.0 / (x + 3),
    "mul_sub_neg": lambda L, x: -(x * x - 3 * x),
    "abs": lambda L, x: x.abs() * x,
    "relu": lambda L, x: x.relu() * x,
    "clamp": lambda L, x: x.clamp(-0.5, 0.5) * x,
    "maximum": lambda L, x: L.maximum(x, x * 0.5) * x,
    "where": lambda L, x: L.where(x > 0, x * x, x.sin()),
    "sum_dim": lambda L, x: (x * x).sum(1),
    "mean": lambda L, x: (x**3).mean(0),
    "prod": lambda L, x: (x + 2).prod(1),
    "amax": lambda L, x: (x * x).amax(1),
    "max_dim": lambda L, x: (x**3).max(1)[0],
    "norm": lambda L, x: x.norm(dim=1),
    "softmax": lambda L, x: x.softmax(1),
    "log_softmax": lambda L, x: x.log_softmax(0),
    "matmul": lambda L, x: (x @ x.t()).tanh(),
    "mm_with_constant": lambda L, x: x.t().mm(x.sin()),
    "mv": lambda L, x: x.mv(x[0].exp()),
    "dot": lambda L, x: x[0].dot(x[1].sin()),
    "bmm": lambda L, x: x.reshape(2, 3, 1).bmm(x.reshape(2, 1, 3).cos()),
    "reshape_transpose": lambda L, x: x.reshape(3, 2).t().exp(),
    "permute_unsqueeze": lambda L, x: x.unsqueeze(0).permute(2, 0, 1).sin() * x.t().unsqueeze(1),
    "expand_squeeze": lambda L, x: x[:, :1].expand(2, 3).sin().squeeze() * x,
    "index_select_slice": lambda L, x: x[1, 1:] * x[0, :2].exp(),
    "advanced_index": lambda L, x: x[[1, 0, 1]].tanh() * x[:, [2, 0, 1]].mean(0),
    "cat_stack": lambda L, x: L.stack([L.cat([x, x * x], 1), L.cat([x.sin(), x], 1)]),
    "mse": lambda L, x: L.nn.functional.mse_loss(x.sin(), x * 0.3),
    "bce_logits": lambda L, x: L.nn.functional.binary_cross_entropy_with_logits(
        x, (x.detach() > 0).to(x.dtype)
    ),
    "cross_entropy": lambda L, x: L.nn.functional.cross_entropy(x * x, L.tensor([2, 0])),
    "linear": lambda L, x: L.nn.functional.linear(x, x.sin(), x[:, 0]).tanh(),
}


def _derivatives(lib: Any, name: str, data: np.ndarray, cotangent: np.ndarray) -> list[np.ndarray]:
    """Orders 1, 2, 3 of sum(f(x) * w): each the gradient of (previous · cotangent).

    A derivative that no longer depends on x (no graph, or a graph that misses x) is zero.
    """
    x = lib.tensor(data.copy(), requires_grad=True)
    out = OPS[name](lib, x)
    weights = np.random.default_rng(7).standard_normal(tuple(out.shape))
    y = (out * lib.tensor(weights)).sum()
    results = []
    for _ in range(3):
        g = None
        if y.requires_grad:
            (g,) = lib.autograd.grad(y, x, create_graph=True, allow_unused=True)
        if g is None:
            results.append(np.zeros_like(data))
            y = lib.tensor(0.0, dtype=lib.float64)
            continue
        # torch may return an efficient "zero tensor" here: numpy(force=True) materializes it.
        array = g.detach().numpy(force=True) if lib is torch else g.detach().numpy()
        results.append(np.array(array, dtype=np.float64))
        y = (g * lib.tensor(cotangent)).sum()
    return results


@pytest.mark.parametrize("name", list(OPS))
def test_derivatives_of_orders_one_to_three(name: str) -> None:
    rng = np.random.default_rng(5)
    data = rng.uniform(-1.5, 1.5, (2, 3))
    data[np.abs(data) < 0.2] += 0.4  # away from the kinks of abs, relu and clamp
    cotangent = rng.standard_normal((2, 3))
    mine = _derivatives(minigrad, name, data, cotangent)
    theirs = _derivatives(torch, name, data, cotangent)
    for order, (m, t) in enumerate(zip(mine, theirs), 1):
        np.testing.assert_allclose(
            m, t, rtol=1e-9, atol=1e-10, err_msg=f"{name}: derivative of order {order}"
        )


def test_third_derivative_of_sin_is_minus_cos() -> None:
    x = minigrad.tensor([0.0, 0.5, math.pi / 3], dtype=minigrad.float64, requires_grad=True)
    y = x.sin().sum()
    for _ in range(3):
        (g,) = minigrad.autograd.grad(y, x, create_graph=True)
        y = g.sum()
    assert g.requires_grad and g.grad_fn is not None
    np.testing.assert_allclose(g.detach().numpy(), -np.cos(x.detach().numpy()), rtol=1e-12)


def test_double_backward_through_a_long_chain_needs_no_recursion() -> None:
    x = minigrad.tensor(0.5, requires_grad=True)
    y = x
    for _ in range(800):
        y = y * 1.0001 + 0.0001 * y.sin()
    (g,) = minigrad.autograd.grad(y, x, create_graph=True)
    (h,) = minigrad.autograd.grad(g, x)
    t = torch.tensor(0.5, dtype=torch.float32, requires_grad=True)
    u = t
    for _ in range(800):
        u = u * 1.0001 + 0.0001 * u.sin()
    (tg,) = torch.autograd.grad(u, t, create_graph=True)
    (th,) = torch.autograd.grad(tg, t)
    np.testing.assert_allclose(g.item(), tg.item(), rtol=1e-4)
    np.testing.assert_allclose(h.item(), th.item(), rtol=1e-3, atol=1e-6)
