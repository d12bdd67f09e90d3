"""Every differentiable operation's gradient against central differences, in float64.

For an operation f and a fixed random upstream gradient v, backward must give the gradient
of phi(x) = sum(f(x) * v). Each element of each input is moved by ±eps (1e-6) and
(phi(x + eps) - phi(x - eps)) / 2 eps is compared with what backward computed.

Second derivatives: for a representative set of operations, the Hessian-vector product of
phi (``autograd.grad`` twice, the first with ``create_graph=True``) is compared with torch's.
"""

import numpy as np
import pytest
import torch

import minigrad
from tests._oracle import In, make_inputs, upstream

EPS = 1e-6


def F(L):  # noqa: N802 - the usual name of torch.nn.functional
    return L.nn.functional


def _first(out):
    """The differentiable output of an operation that returns several (values, indices)."""
    return out[0] if isinstance(out, tuple) else out


def _phi(fn, inputs, v):
    with minigrad.no_grad():
        out = _first(fn(minigrad, *inputs))
        # (Read inside no_grad: a view made there of a tensor that requires grad requires
        # grad too, as in PyTorch, and numpy() refuses it once recording is back on.)
        return float((out.numpy() * v).sum())


def numerical_gradients(fn, inputs, v):
    """Central differences of phi with respect to every input that requires grad."""
    grads = []
    for t in inputs:
        if not t.requires_grad:
            grads.append(None)
            continue
        data = t.detach().numpy()  # shares memory: moving it moves the input
        grad = np.zeros_like(data)
        for index in np.ndindex(data.shape):
            saved = data[index]
            data[index] = saved + EPS
            plus = _phi(fn, inputs, v)
            data[index] = saved - EPS
            minus = _phi(fn, inputs, v)
            data[index] = saved
            grad[index] = (plus - minus) / (2 * EPS)
        grads.append(grad)
    return grads


def check_gradients(fn, specs, seed=0, rtol=1e-5, atol=1e-6):
    inputs, _ = make_inputs(specs, "float64", seed)
    out = _first(fn(minigrad, *inputs))
    v = upstream(tuple(out.shape), "float64", seed + 1)
    out.backward(minigrad.tensor(v))
    analytical = [t.grad for t in inputs]
    for t in inputs:
        t.grad = None
    numerical = numerical_gradients(fn, inputs, v)
    assert any(n is not None for n in numerical), "the case has no input that requires grad"
    for i, (a, n) in enumerate(zip(analytical, numerical)):
        if n is None:
            continue
        assert a is not None, f"input {i}: backward gave no gradient"
        assert a.dtype == minigrad.float64
        np.testing.assert_allclose(
            a.numpy(), n, rtol=rtol, atol=atol, err_msg=f"gradient of input {i}"
        )


def _set(t, key, value):
    t[key] = value
    return t


REDUCTIONS = ["mean", "sum", "none"]

# fmt: off
CASES = [
    # arithmetic, with broadcasting
    ("add", lambda L, x, y: x + y, [In(3, 4), In(4)]),
    ("add_bcast_both", lambda L, x, y: x + y, [In(2, 1, 3), In(4, 1)]),
    ("add_alpha", lambda L, x, y: x.add(y, alpha=-2.5), [In(2, 3), In(2, 1)]),
    ("add_0d", lambda L, x, y: x + y, [In(), In(2, 3)]),
    ("sub", lambda L, x, y: x - y, [In(3, 1), In(1, 4)]),
    ("rsub", lambda L, x: 2.0 - x, [In(3)]),
    ("mul", lambda L, x, y: x * y, [In(2, 3), In(3)]),
    ("mul_self", lambda L, x: x * x, [In(4)]),
    ("mul_number", lambda L, x: x * 1.5, [In(4)]),
    ("div", lambda L, x, y: x / y, [In(2, 3), In(3, kind="positive")]),
    ("div_bcast", lambda L, x, y: x / y, [In(3, 1), In(2, 1, 4, kind="positive")]),
    ("rdiv", lambda L, x: 3.0 / x, [In(4, kind="positive")]),
    ("neg", lambda L, x: -x, [In(2, 3)]),
    ("reciprocal", lambda L, x: x.reciprocal(), [In(4, kind="positive")]),
    ("pow_number", lambda L, x: x ** 3, [In(2, 3)]),
    ("pow_fraction", lambda L, x: x ** 1.7, [In(4, kind="positive")]),
    ("pow_negative", lambda L, x: x ** -2, [In(4, kind="positive")]),
    ("pow_tensor", lambda L, x, y: x ** y, [In(2, 3, kind="positive"), In(3)]),
    ("rpow", lambda L, x: 2.5 ** x, [In(4)]),
    ("square", lambda L, x: x.square(), [In(4)]),
    # elementwise functions
    ("exp", lambda L, x: x.exp(), [In(2, 3)]),
    ("log", lambda L, x: x.log(), [In(2, 3, kind="positive")]),
    ("sqrt", lambda L, x: x.sqrt(), [In(2, 3, kind="positive")]),
    ("abs", lambda L, x: x.abs(), [In(2, 3)]),
    ("sin", lambda L, x: x.sin(), [In(2, 3)]),
    ("cos", lambda L, x: x.cos(), [In(2, 3)]),
    ("tanh", lambda L, x: x.tanh(), [In(2, 3)]),
    ("sigmoid", lambda L, x: x.sigmoid(), [In(2, 3)]),
    ("relu", lambda L, x: x.relu(), [In(2, 3)]),
    ("sinh", lambda L, x: x.sinh(), [In(2, 3)]),
    ("cosh", lambda L, x: x.cosh(), [In(2, 3)]),
    ("log10", lambda L, x: x.log10(), [In(2, 3, kind="positive")]),
    ("log2", lambda L, x: L.log2(x), [In(2, 3, kind="positive")]),
    ("square_fn", lambda L, x: L.square(x), [In(4)]),
    ("round", lambda L, x: (x * 3).round(), [In(2, 3)]),
    ("round_decimals", lambda L, x: x.round(decimals=1), [In(2, 3)]),
    ("remainder_number", lambda L, x: x % 0.7, [In(2, 3)]),
    ("remainder_tensor", lambda L, x, y: x % y, [In(2, 3), In(3, kind="positive")]),
    # in place, on a non-leaf
    ("sin_", lambda L, x: (x * 1).sin_(), [In(2, 3)]),
    ("cos_", lambda L, x: L.cos_(x * 1), [In(2, 3)]),
    ("exp_", lambda L, x: (x * 1).exp_(), [In(2, 3)]),
    ("log_", lambda L, x: (x * 1).log_(), [In(2, 3, kind="positive")]),
    ("sqrt_", lambda L, x: L.sqrt_(x * 1), [In(2, 3, kind="positive")]),
    ("abs_", lambda L, x: (x * 1).abs_(), [In(2, 3)]),
    ("tanh_", lambda L, x: (x * 1).tanh_(), [In(2, 3)]),
    ("sigmoid_", lambda L, x: L.sigmoid_(x * 1), [In(2, 3)]),
    ("relu_", lambda L, x: (x * 1).relu_(), [In(2, 3)]),
    ("clamp", lambda L, x: x.clamp(-0.5, 0.5), [In(3, 4)]),
    ("clamp_min", lambda L, x: x.clamp(min=0.2), [In(3, 4)]),
    ("clamp_tensor", lambda L, x, lo, hi: x.clamp(lo, hi), [In(3, 4), In(4), In(3, 1)]),
    ("maximum", lambda L, x, y: L.maximum(x, y), [In(2, 3), In(3)]),
    ("minimum", lambda L, x, y: L.minimum(x, y), [In(2, 3), In(2, 1)]),
    ("where", lambda L, c, x, y: L.where(c, x, y), [In(2, 3, kind="bool"), In(3), In(2, 1)]),
    ("masked_fill", lambda L, x, m: x.masked_fill(m, 1.0), [In(2, 3), In(3, kind="bool")]),
    # reductions
    ("sum", lambda L, x: x.sum(), [In(3, 4)]),
    ("sum_dim", lambda L, x: x.sum(1), [In(2, 3, 4)]),
    ("sum_dims_keepdim", lambda L, x: x.sum((0, 2), keepdim=True), [In(2, 3, 4)]),
    ("mean", lambda L, x: x.mean(), [In(3, 4)]),
    ("mean_dim", lambda L, x: x.mean(-1), [In(2, 3, 4)]),
    ("mean_dims_keepdim", lambda L, x: x.mean((0, 1), keepdim=True), [In(2, 3, 4)]),
    ("prod", lambda L, x: x.prod(), [In(2, 3)]),
    ("prod_dim", lambda L, x: x.prod(1, keepdim=True), [In(3, 4)]),
    ("prod_with_zero", lambda L, x: _set(x * 1, 1, 0.0).prod(), [In(4)]),
    ("max", lambda L, x: x.max(), [In(3, 4, kind="distinct")]),
    ("max_dim", lambda L, x: x.max(1), [In(3, 4, kind="distinct")]),
    ("min_dim_keepdim", lambda L, x: x.min(0, keepdim=True), [In(3, 4, kind="distinct")]),
    ("amax", lambda L, x: x.amax(1), [In(3, 4, kind="distinct")]),
    ("amin_dims", lambda L, x: x.amin((0, 2)), [In(2, 3, 4, kind="distinct")]),
    ("cumsum", lambda L, x: x.cumsum(1), [In(3, 4)]),
    ("cumsum_dtype", lambda L, x: L.cumsum(x, 0, dtype=L.float64), [In(3, 4)]),
    ("logsumexp", lambda L, x: x.logsumexp(1), [In(3, 4)]),
    ("logsumexp_dims", lambda L, x: L.logsumexp(x, (0, 2), keepdim=True), [In(2, 3, 4)]),
    ("var", lambda L, x: x.var(), [In(3, 4)]),
    ("var_dim_keepdim", lambda L, x: x.var(1, keepdim=True), [In(3, 4)]),
    ("var_correction", lambda L, x: L.var(x, (0, 2), correction=0), [In(2, 3, 4)]),
    ("std", lambda L, x: x.std(), [In(3, 4)]),
    ("std_dim", lambda L, x: x.std(0, unbiased=False), [In(3, 4)]),
    ("sort", lambda L, x: x.sort(1), [In(3, 4, kind="distinct")]),
    ("sort_descending_dim0", lambda L, x: L.sort(x, 0, descending=True),
     [In(3, 4, kind="distinct")]),
    ("topk", lambda L, x: x.topk(2), [In(3, 4, kind="distinct")]),
    ("topk_smallest_dim0", lambda L, x: x.topk(2, dim=0, largest=False),
     [In(3, 4, kind="distinct")]),
    ("norm", lambda L, x: x.norm(), [In(3, 4)]),
    ("norm_dim", lambda L, x: x.norm(dim=1, keepdim=True), [In(3, 4)]),
    ("norm_p1", lambda L, x: x.norm(p=1), [In(3, 4)]),
    ("norm_p3", lambda L, x: x.norm(p=3, dim=0), [In(3, 4)]),
    ("norm_p_half", lambda L, x: x.norm(p=0.5), [In(3, 4)]),
    ("norm_inf", lambda L, x: x.norm(p=float("inf"), dim=1), [In(3, 4, kind="distinct")]),
    ("softmax", lambda L, x: x.softmax(1), [In(3, 4)]),
    ("softmax_dim0", lambda L, x: x.softmax(0), [In(2, 3, 4)]),
    ("log_softmax", lambda L, x: x.log_softmax(-1), [In(3, 4)]),
    # shapes
    ("t", lambda L, x: x.t(), [In(3, 4)]),
    ("T", lambda L, x: x.T, [In(3, 4)]),
    ("transpose", lambda L, x: x.transpose(0, 2), [In(2, 3, 4)]),
    ("permute", lambda L, x: x.permute(1, 2, 0), [In(2, 3, 4)]),
    ("reshape", lambda L, x: x.reshape(4, 3), [In(3, 4)]),
    ("reshape_noncontig", lambda L, x: x.t().reshape(-1), [In(3, 4)]),
    ("view", lambda L, x: x.view(2, 6), [In(3, 4)]),
    ("flatten", lambda L, x: x.flatten(1), [In(2, 3, 4)]),
    ("squeeze", lambda L, x: x.squeeze(), [In(1, 3, 1)]),
    ("unsqueeze", lambda L, x: x.unsqueeze(1), [In(2, 3)]),
    ("expand", lambda L, x: x.expand(4, 2, 3), [In(2, 1)]),
    ("clone", lambda L, x: x.clone(), [In(2, 3)]),
    ("cat", lambda L, x, y: L.cat([x, y], 1), [In(2, 3), In(2, 2)]),
    ("cat_three", lambda L, x, y, z: L.cat([x, y, z]), [In(1, 3), In(0), In(2, 3)]),
    ("stack", lambda L, x, y: L.stack([x, y], 1), [In(2, 3), In(2, 3)]),
    ("unbind", lambda L, x: L.stack([r * (i + 1) for i, r in enumerate(x)]), [In(3, 2)]),
    # indexing
    ("index_int", lambda L, x: x[1], [In(3, 4)]),
    ("index_slice", lambda L, x: x[1:3], [In(4, 3)]),
    ("index_step", lambda L, x: x[::2, 1:], [In(5, 3)]),
    ("index_col", lambda L, x: x[:, 1], [In(3, 4)]),
    ("index_none", lambda L, x: x[None, :, None], [In(3)]),
    ("index_mask", lambda L, x: x[x > 0], [In(3, 4)]),
    ("index_tensor", lambda L, x, i: x[i], [In(4, 3), In(6, kind="index", high=4)]),
    ("index_tensor_col", lambda L, x, i: x[:, i], [In(3, 4), In(5, kind="index", high=4)]),
    ("index_two_tensors", lambda L, x, i, j: x[i, j], [In(3, 3), In(4, kind="index"),
                                                          In(4, kind="index")]),
    ("setitem", lambda L, x, v: _set(x * 1, 1, v), [In(3, 2), In(2)]),
    ("setitem_mask", lambda L, x, v: _set(x * 1, x > 0, v), [In(3, 2), In()]),
    ("narrow", lambda L, x: x.narrow(1, 1, 2), [In(3, 4)]),
    # products, every rank combination
    ("dot", lambda L, a, b: L.dot(a, b), [In(4), In(4)]),
    ("mv", lambda L, a, b: L.mv(a, b), [In(3, 4), In(4)]),
    ("mm", lambda L, a, b: L.mm(a, b), [In(2, 4), In(4, 3)]),
    ("bmm", lambda L, a, b: L.bmm(a, b), [In(2, 3, 4), In(2, 4, 2)]),
    ("matmul_1d_2d", lambda L, a, b: a @ b, [In(4), In(4, 3)]),
    ("matmul_3d_2d", lambda L, a, b: a @ b, [In(2, 3, 4), In(4, 2)]),
    ("matmul_2d_3d", lambda L, a, b: a @ b, [In(3, 4), In(2, 4, 2)]),
    ("matmul_1d_3d", lambda L, a, b: a @ b, [In(4), In(2, 4, 2)]),
    ("matmul_3d_1d", lambda L, a, b: a @ b, [In(2, 3, 4), In(4)]),
    ("matmul_bcast", lambda L, a, b: a @ b, [In(2, 1, 3, 4), In(3, 4, 2)]),
    ("matmul_batch1", lambda L, a, b: a @ b, [In(1, 3, 4), In(2, 4, 2)]),
    # nn.functional
    ("linear", lambda L, x, w, b: F(L).linear(x, w, b), [In(2, 3), In(4, 3), In(4)]),
    ("linear_1d", lambda L, x, w, b: F(L).linear(x, w, b), [In(3), In(4, 3), In(4)]),
    ("linear_3d", lambda L, x, w, b: F(L).linear(x, w, b), [In(2, 2, 3), In(4, 3), In(4)]),
    ("linear_nobias", lambda L, x, w: F(L).linear(x, w), [In(2, 2, 3), In(4, 3)]),
    ("F_softmax", lambda L, x: F(L).softmax(x, dim=1), [In(3, 4)]),
    ("F_log_softmax", lambda L, x: F(L).log_softmax(x, dim=0), [In(3, 4)]),
    *[(f"bce_logits_{r}", lambda L, x, t, r=r: F(L).binary_cross_entropy_with_logits(
        x, t, reduction=r), [In(3, 4), In(3, 4, kind="unit")]) for r in REDUCTIONS],
    *[(f"bce_logits_weights_{r}", lambda L, x, t, w, p, r=r:
       F(L).binary_cross_entropy_with_logits(x, t, weight=w, pos_weight=p, reduction=r),
       [In(3, 4), In(3, 4, kind="unit"), In(3, 1, kind="positive", grad=False),
        In(4, kind="positive", grad=False)]) for r in REDUCTIONS],
    *[(f"bce_{r}", lambda L, p, t, r=r: F(L).binary_cross_entropy(p, t, reduction=r),
       [In(3, 4, kind="unit"), In(3, 4, kind="unit")]) for r in REDUCTIONS],
    *[(f"bce_weight_{r}", lambda L, p, t, w, r=r: F(L).binary_cross_entropy(
        p, t, weight=w, reduction=r), [In(3, 4, kind="unit"), In(3, 4, kind="unit"),
                                       In(4, kind="positive", grad=False)]) for r in REDUCTIONS],
    *[(f"mse_{r}", lambda L, x, t, r=r: F(L).mse_loss(x, t, reduction=r),
       [In(3, 4), In(3, 4)]) for r in REDUCTIONS],
    *[(f"l1_{r}", lambda L, x, t, r=r: F(L).l1_loss(x, t, reduction=r),
       [In(3, 4), In(3, 4)]) for r in REDUCTIONS],
    *[(f"nll_{r}", lambda L, x, t, r=r: F(L).nll_loss(x, t, reduction=r),
       [In(4, 3), In(4, kind="index")]) for r in REDUCTIONS],
    *[(f"nll_weight_{r}", lambda L, x, t, w, r=r: F(L).nll_loss(x, t, weight=w, reduction=r),
       [In(4, 3), In(4, kind="index"), In(3, kind="positive", grad=False)]) for r in REDUCTIONS],
    ("nll_3d", lambda L, x, t: F(L).nll_loss(x, t), [In(2, 3, 4), In(2, 4, kind="index")]),
    *[(f"cross_entropy_{r}", lambda L, x, t, r=r: F(L).cross_entropy(x, t, reduction=r),
       [In(4, 3), In(4, kind="index")]) for r in REDUCTIONS],
    *[(f"cross_entropy_weight_{r}", lambda L, x, t, w, r=r: F(L).cross_entropy(
        x, t, weight=w, reduction=r), [In(4, 3), In(4, kind="index"),
                                       In(3, kind="positive", grad=False)]) for r in REDUCTIONS],
    *[(f"cross_entropy_probs_{r}", lambda L, x, t, r=r: F(L).cross_entropy(x, t, reduction=r),
       [In(4, 3), In(4, 3, kind="probs")]) for r in REDUCTIONS],
    ("cross_entropy_smoothing", lambda L, x, t: F(L).cross_entropy(x, t, label_smoothing=0.2),
     [In(4, 3), In(4, kind="index")]),
    ("cross_entropy_3d", lambda L, x, t: F(L).cross_entropy(x, t),
     [In(2, 3, 4), In(2, 4, kind="index")]),
    ("batch_norm_train", lambda L, x, w, b: F(L).batch_norm(x, None, None, w, b, training=True),
     [In(5, 3), In(3), In(3)]),
    ("batch_norm_train_3d", lambda L, x, w, b: F(L).batch_norm(
        x, None, None, w, b, training=True, eps=0.1), [In(4, 3, 2), In(3), In(3)]),
    ("batch_norm_train_no_affine", lambda L, x: F(L).batch_norm(x, None, None, training=True),
     [In(4, 2, 3)]),
    ("batch_norm_eval", lambda L, x, m, v, w, b: F(L).batch_norm(x, m, v, w, b),
     [In(4, 3), In(3, grad=False), In(3, kind="positive", grad=False), In(3), In(3)]),
    ("batch_norm_eval_3d", lambda L, x, m, v: F(L).batch_norm(x, m, v),
     [In(2, 3, 4), In(3, grad=False), In(3, kind="positive", grad=False)]),
]
# fmt: on


@pytest.mark.parametrize(("fn", "inputs"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_gradient_matches_central_differences(fn, inputs):
    check_gradients(fn, inputs)


# -- second derivatives: Hessian-vector products against torch's ---------------------------------

SECOND_ORDER = [
    "mul",
    "div",
    "rdiv",
    "pow_number",
    "pow_tensor",
    "rpow",
    "reciprocal",
    "exp",
    "log",
    "sqrt",
    "sin",
    "cos",
    "tanh",
    "sigmoid",
    "relu",
    "abs",
    "clamp",
    "maximum",
    "where",
    "sum_dim",
    "mean_dims_keepdim",
    "prod",
    "prod_dim",
    "max_dim",
    "amax",
    "norm",
    "norm_dim",
    "norm_p3",
    "softmax",
    "log_softmax",
    "reshape_noncontig",
    "expand",
    "cat",
    "stack",
    "unbind",
    "index_mask",
    "index_tensor",
    "index_step",
    "setitem",
    "matmul_1d_2d",
    "matmul_3d_2d",
    "matmul_2d_3d",
    "matmul_bcast",
    "mv",
    "dot",
    "bmm",
    "linear",
    "linear_3d",
    "bce_logits_mean",
    "bce_logits_weights_sum",
    "bce_mean",
    "bce_weight_none",
    "mse_mean",
    "nll_weight_mean",
    "cross_entropy_mean",
    "cross_entropy_probs_sum",
    "cross_entropy_smoothing",
    "l1_sum",
    "F_softmax",
    "masked_fill",
    "clamp_tensor",
]
BY_NAME = {c[0]: c for c in CASES}


def _array(t):
    """The values of a tensor (torch may return a storage-less zero tensor for a zero Hessian)."""
    if isinstance(t, torch.Tensor):
        return torch.zeros_like(t).add(t.detach()).numpy()
    return t.detach().numpy()


def _hvp(L, fn, inputs, v, u):
    """d/dx of sum(grad_x(sum(f(x) * v)) * u): the Hessian of phi times u."""
    wanted = [t for t in inputs if t.requires_grad]
    out = _first(fn(L, *inputs))
    phi = (out * v).sum()
    grads = L.autograd.grad(phi, wanted, create_graph=True)
    total = sum((g * w).sum() for g, w in zip(grads, u))
    if not total.requires_grad:  # phi is linear in x: the Hessian is zero
        return grads, [None] * len(wanted)
    return grads, L.autograd.grad(total, wanted, allow_unused=True)


@pytest.mark.parametrize("name", SECOND_ORDER)
def test_second_derivatives_match_torch(name):
    _, fn, specs = BY_NAME[name]
    ms, ts = make_inputs(specs, "float64", seed=3)
    out_shape = tuple(_first(fn(torch, *ts)).shape)
    v = upstream(out_shape, "float64", 4)
    rng = np.random.default_rng(5)
    u = [rng.standard_normal(tuple(t.shape)) for t in ts if t.requires_grad]
    m_grads, m_hvp = _hvp(minigrad, fn, ms, minigrad.tensor(v), [minigrad.tensor(a) for a in u])
    t_grads, t_hvp = _hvp(torch, fn, ts, torch.from_numpy(v), [torch.from_numpy(a) for a in u])
    for m, t in zip(m_grads, t_grads):
        assert m.requires_grad == t.requires_grad
        np.testing.assert_allclose(_array(m), _array(t), rtol=1e-10, atol=1e-12)
    for i, (m, t) in enumerate(zip(m_hvp, t_hvp)):
        if t is None:
            assert m is None or not np.any(_array(m)), f"input {i}: torch has no second derivative"
            continue
        assert m is not None, f"input {i}: minigrad has no second derivative, torch has {t}"
        np.testing.assert_allclose(
            _array(m), _array(t), rtol=1e-9, atol=1e-11, err_msg=f"Hessian-vector product {i}"
        )
