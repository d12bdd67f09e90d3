"""``minigrad.nn.functional`` against ``torch.nn.functional``: values, graphs, gradients, errors.

Each case is a function of the library ``L`` (``minigrad`` or ``torch``) and of input tensors
made from the same NumPy arrays; ``check_case`` compares outputs, the backward graph
(node names and ``next_functions``) and the gradients of every input that requires grad.
"""

import warnings

import numpy as np
import pytest
import torch

import minigrad
from tests._oracle import In, assert_same, assert_same_error, assert_values, check_case

DTYPES = ["float32", "float64"]
REDUCTIONS = ["mean", "sum", "none"]


def F(L):  # noqa: N802 - the usual name of torch.nn.functional
    return L.nn.functional


# fmt: off
CASES = [
    # -- activations --------------------------------------------------------------------
    ("relu", lambda L, x: F(L).relu(x), [In(3, 4)]),
    ("sigmoid", lambda L, x: F(L).sigmoid(x), [In(3, 4)]),
    ("tanh", lambda L, x: F(L).tanh(x), [In(3, 4)]),
    ("softmax", lambda L, x: F(L).softmax(x, dim=1), [In(3, 4)]),
    ("softmax_dim0", lambda L, x: F(L).softmax(x, 0), [In(3, 4)]),
    ("softmax_3d", lambda L, x: F(L).softmax(x, dim=-1), [In(2, 3, 4)]),
    ("softmax_dtype", lambda L, x: F(L).softmax(x, 1, dtype=L.float64), [In(3, 4)]),
    ("log_softmax", lambda L, x: F(L).log_softmax(x, dim=1), [In(3, 4)]),
    ("log_softmax_1d", lambda L, x: F(L).log_softmax(x, 0), [In(5)]),
    ("log_softmax_large", lambda L, x: F(L).log_softmax(x * 1000, 1), [In(2, 3)]),
    # -- linear: 1-D, 2-D, 3-D input, with and without bias -----------------------------
    ("linear_1d", lambda L, x, w: F(L).linear(x, w), [In(3), In(4, 3)]),
    ("linear_1d_bias", lambda L, x, w, b: F(L).linear(x, w, b), [In(3), In(4, 3), In(4)]),
    ("linear_2d", lambda L, x, w: F(L).linear(x, w), [In(2, 3), In(4, 3)]),
    ("linear_2d_bias", lambda L, x, w, b: F(L).linear(x, w, b), [In(2, 3), In(4, 3), In(4)]),
    ("linear_3d", lambda L, x, w: F(L).linear(x, w), [In(2, 5, 3), In(4, 3)]),
    ("linear_3d_bias", lambda L, x, w, b: F(L).linear(x, w, b), [In(2, 5, 3), In(4, 3), In(4)]),
    ("linear_2d_bias_nograd_x", lambda L, x, w, b: F(L).linear(x, w, b),
     [In(2, 3, grad=False), In(4, 3), In(4)]),
    ("linear_2d_bias_nograd_w", lambda L, x, w, b: F(L).linear(x, w, b),
     [In(2, 3), In(4, 3, grad=False), In(4)]),
    ("linear_3d_bias_nograd_x", lambda L, x, w, b: F(L).linear(x, w, b),
     [In(2, 5, 3, grad=False), In(4, 3), In(4)]),
    ("linear_2d_bias_nograd_b", lambda L, x, w, b: F(L).linear(x, w, b),
     [In(2, 3), In(4, 3), In(4, grad=False)]),
    ("linear_0d_bias", lambda L, x, w, b: F(L).linear(x, w, b), [In(2, 3), In(1, 3), In()]),
    ("linear_3d_0d_bias", lambda L, x, w, b: F(L).linear(x, w, b), [In(2, 5, 3), In(1, 3), In()]),
    ("linear_4d_bias", lambda L, x, w, b: F(L).linear(x, w, b), [In(2, 2, 5, 3), In(4, 3), In(4)]),
    ("linear_3d_noncontig", lambda L, x, w, b: F(L).linear(x.transpose(0, 1), w, b),
     [In(5, 2, 3), In(4, 3), In(4)]),
    ("linear_3d_noncontig_nobias", lambda L, x, w: F(L).linear(x.transpose(0, 1), w),
     [In(5, 2, 3), In(4, 3)]),
    ("linear_column_bias", lambda L, x, w, b: F(L).linear(x, w, b), [In(2, 5, 3), In(4, 3),
                                                                     In(1, 4)]),
    ("linear_1d_weight", lambda L, x, w: F(L).linear(x, w), [In(2, 3), In(3)]),
    ("linear_chain", lambda L, x, w1, w2: F(L).linear(F(L).relu(F(L).linear(x, w1)), w2),
     [In(4, 3), In(5, 3), In(2, 5)]),
    # -- mse, l1 --------------------------------------------------------------------------
    *[(f"mse_{r}", lambda L, x, t, r=r: F(L).mse_loss(x, t, reduction=r), [In(3, 4), In(3, 4)])
      for r in REDUCTIONS],
    ("mse_default", lambda L, x, t: F(L).mse_loss(x, t), [In(5), In(5, grad=False)]),
    ("mse_0d", lambda L, x, t: F(L).mse_loss(x, t), [In(), In()]),
    *[(f"l1_{r}", lambda L, x, t, r=r: F(L).l1_loss(x, t, reduction=r), [In(3, 4), In(3, 4)])
      for r in REDUCTIONS],
    # -- binary cross-entropy -------------------------------------------------------------
    *[(f"bce_logits_{r}", lambda L, x, t, r=r: F(L).binary_cross_entropy_with_logits(
        x, t, reduction=r), [In(3, 4), In(3, 4, kind="unit")]) for r in REDUCTIONS],
    *[(f"bce_logits_weight_{r}", lambda L, x, t, w, r=r: F(L).binary_cross_entropy_with_logits(
        x, t, weight=w, reduction=r), [In(3, 4), In(3, 4, kind="binary", grad=False),
                                       In(4, kind="positive", grad=False)]) for r in REDUCTIONS],
    *[(f"bce_logits_pos_weight_{r}", lambda L, x, t, p, r=r:
        F(L).binary_cross_entropy_with_logits(x, t, pos_weight=p, reduction=r),
        [In(3, 4), In(3, 4, kind="unit"), In(4, kind="positive", grad=False)])
      for r in REDUCTIONS],
    *[(f"bce_logits_both_{r}", lambda L, x, t, w, p, r=r: F(L).binary_cross_entropy_with_logits(
        x, t, weight=w, pos_weight=p, reduction=r),
        [In(2, 3), In(2, 3, kind="unit", grad=False), In(2, 1, kind="positive", grad=False),
         In(3, kind="positive", grad=False)]) for r in REDUCTIONS],
    ("bce_logits_target_grad_only", lambda L, x, t: F(L).binary_cross_entropy_with_logits(x, t),
     [In(4, grad=False), In(4, kind="unit")]),
    ("bce_logits_0d", lambda L, x, t: F(L).binary_cross_entropy_with_logits(x, t),
     [In(), In(kind="unit")]),
    ("bce_logits_seed", lambda L, w, b: F(L).binary_cross_entropy_with_logits(
        L.matmul(L.ones(5, dtype=w.dtype), w) + b, L.zeros(3, dtype=w.dtype)), [In(5, 3), In(3)]),
    ("bce_logits_huge", lambda L, x, t: F(L).binary_cross_entropy_with_logits(x * 1000, t),
     [In(6), In(6, kind="binary")]),
    *[(f"bce_{r}", lambda L, p, t, r=r: F(L).binary_cross_entropy(p, t, reduction=r),
       [In(3, 4, kind="unit"), In(3, 4, kind="unit")]) for r in REDUCTIONS],
    *[(f"bce_weight_{r}", lambda L, p, t, w, r=r: F(L).binary_cross_entropy(
        p, t, weight=w, reduction=r), [In(3, 4, kind="unit"), In(3, 4, kind="binary", grad=False),
                                       In(3, 4, kind="positive", grad=False)]) for r in REDUCTIONS],
    ("bce_weight_bcast", lambda L, p, t, w: F(L).binary_cross_entropy(p, t, weight=w),
     [In(3, 4, kind="unit"), In(3, 4, kind="binary", grad=False),
      In(4, kind="positive", grad=False)]),
    ("bce_extremes", lambda L, p, t: F(L).binary_cross_entropy(p.clamp(0, 1), t),
     [In(6), In(6, kind="binary")]),
    # -- cross-entropy and nll ---------------------------------------------------------------
    *[(f"cross_entropy_{r}", lambda L, x, t, r=r: F(L).cross_entropy(x, t, reduction=r),
       [In(4, 3), In(4, kind="index", high=3)]) for r in REDUCTIONS],
    *[(f"cross_entropy_weight_{r}", lambda L, x, t, w, r=r: F(L).cross_entropy(
        x, t, weight=w, reduction=r), [In(4, 3), In(4, kind="index", high=3),
                                       In(3, kind="positive", grad=False)]) for r in REDUCTIONS],
    *[(f"cross_entropy_probs_{r}", lambda L, x, t, r=r: F(L).cross_entropy(x, t, reduction=r),
       [In(4, 3), In(4, 3, kind="probs", grad=False)]) for r in REDUCTIONS],
    *[(f"cross_entropy_probs_weight_{r}", lambda L, x, t, w, r=r: F(L).cross_entropy(
        x, t, weight=w, reduction=r), [In(4, 3), In(4, 3, kind="probs", grad=False),
                                       In(3, kind="positive", grad=False)]) for r in REDUCTIONS],
    ("cross_entropy_probs_target_grad", lambda L, x, t: F(L).cross_entropy(x, t),
     [In(4, 3), In(4, 3, kind="probs")]),
    ("cross_entropy_1d", lambda L, x, t: F(L).cross_entropy(x, t), [In(3), In(kind="index")]),
    ("cross_entropy_1d_probs", lambda L, x, t: F(L).cross_entropy(x, t),
     [In(3), In(3, kind="probs", grad=False)]),
    ("cross_entropy_3d", lambda L, x, t: F(L).cross_entropy(x, t),
     [In(2, 3, 4), In(2, 4, kind="index")]),
    ("cross_entropy_3d_none", lambda L, x, t: F(L).cross_entropy(x, t, reduction="none"),
     [In(2, 3, 4), In(2, 4, kind="index")]),
    ("cross_entropy_3d_probs", lambda L, x, t: F(L).cross_entropy(x, t),
     [In(2, 3, 4), In(2, 3, 4, kind="unit", grad=False)]),
    ("cross_entropy_ignore", lambda L, x: F(L).cross_entropy(x, L.tensor([0, -100, 2, 1])),
     [In(4, 3)]),
    ("cross_entropy_ignore_index", lambda L, x: F(L).cross_entropy(
        x, L.tensor([0, 1, 2, 1]), ignore_index=1), [In(4, 3)]),
    ("cross_entropy_smoothing", lambda L, x, t: F(L).cross_entropy(x, t, label_smoothing=0.1),
     [In(4, 3), In(4, kind="index")]),
    *[(f"nll_{r}", lambda L, x, t, r=r: F(L).nll_loss(x, t, reduction=r),
       [In(4, 3), In(4, kind="index")]) for r in REDUCTIONS],
    *[(f"nll_weight_{r}", lambda L, x, t, w, r=r: F(L).nll_loss(x, t, weight=w, reduction=r),
       [In(4, 3), In(4, kind="index"), In(3, kind="positive", grad=False)]) for r in REDUCTIONS],
    ("nll_1d", lambda L, x, t: F(L).nll_loss(x, t), [In(3), In(kind="index")]),
    ("nll_3d", lambda L, x, t: F(L).nll_loss(x, t), [In(2, 3, 4), In(2, 4, kind="index")]),
    ("nll_ignore", lambda L, x: F(L).nll_loss(x, L.tensor([0, 2, -100])), [In(3, 3)]),
    ("nll_of_log_softmax", lambda L, x, t: F(L).nll_loss(F(L).log_softmax(x, 1), t),
     [In(4, 3), In(4, kind="index")]),
]
# fmt: on


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(("fn", "inputs"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_functional_matches_torch(fn, inputs, dtype):
    check_case(fn, inputs, dtype)


# -- misuse: the same exception type and message as torch ----------------------------------------


def _t(L, *shape, dtype="float32", value=0.5):
    return L.full(shape, value, dtype=getattr(L, dtype))


def _i(L, *shape, value=0):
    return L.full(shape, value, dtype=L.int64)


# fmt: off
ERRORS = [
    ("bce_logits_sizes", lambda L: F(L).binary_cross_entropy_with_logits(_t(L, 3), _t(L, 4))),
    ("bce_logits_reduction", lambda L: F(L).binary_cross_entropy_with_logits(
        _t(L, 3), _t(L, 3), reduction="bad")),
    ("bce_logits_int_target", lambda L: F(L).binary_cross_entropy_with_logits(
        _t(L, 3), _i(L, 3))),
    ("bce_logits_weight", lambda L: F(L).binary_cross_entropy_with_logits(
        _t(L, 3), _t(L, 3), weight=_t(L, 2))),
    ("bce_logits_pos_weight", lambda L: F(L).binary_cross_entropy_with_logits(
        _t(L, 3), _t(L, 3), pos_weight=_t(L, 2))),
    ("bce_sizes", lambda L: F(L).binary_cross_entropy(_t(L, 3), _t(L, 4))),
    ("bce_range", lambda L: F(L).binary_cross_entropy(_t(L, 3, value=1.5), _t(L, 3))),
    ("bce_negative", lambda L: F(L).binary_cross_entropy(_t(L, 3, value=-0.5), _t(L, 3))),
    ("bce_weight", lambda L: F(L).binary_cross_entropy(_t(L, 3), _t(L, 3), weight=_t(L, 2))),
    ("mse_bcast", lambda L: F(L).mse_loss(_t(L, 3), _t(L, 4))),
    ("mse_reduction", lambda L: F(L).mse_loss(_t(L, 3), _t(L, 3), reduction="avg")),
    ("l1_bcast", lambda L: F(L).l1_loss(_t(L, 3), _t(L, 2))),
    ("nll_float_target", lambda L: F(L).nll_loss(_t(L, 4, 3), _t(L, 4))),
    ("nll_batch", lambda L: F(L).nll_loss(_t(L, 4, 3), _i(L, 3))),
    ("nll_target_high", lambda L: F(L).nll_loss(_t(L, 4, 3), _i(L, 4, value=3))),
    ("nll_target_negative", lambda L: F(L).nll_loss(_t(L, 4, 3), _i(L, 4, value=-1))),
    ("nll_target_high_1d", lambda L: F(L).nll_loss(_t(L, 3), _i(L, value=5))),
    ("nll_0d", lambda L: F(L).nll_loss(_t(L), _i(L))),
    ("nll_2d_target", lambda L: F(L).nll_loss(_t(L, 4, 3), _i(L, 4, 1))),
    ("nll_3d_target", lambda L: F(L).nll_loss(_t(L, 2, 3, 4), _i(L, 2, 5))),
    ("nll_weight_size", lambda L: F(L).nll_loss(_t(L, 4, 3), _i(L, 4), weight=_t(L, 2))),
    ("nll_weight_dtype", lambda L: F(L).nll_loss(_t(L, 4, 3), _i(L, 4),
                                                 weight=_t(L, 3, dtype="float64"))),
    ("nll_reduction", lambda L: F(L).nll_loss(_t(L, 4, 3), _i(L, 4), reduction="avg")),
    ("ce_float_target", lambda L: F(L).cross_entropy(_t(L, 4, 3), _t(L, 4))),
    ("ce_int_probs", lambda L: F(L).cross_entropy(_t(L, 4, 3), _i(L, 4, 3))),
    ("ce_probs_ignore_index", lambda L: F(L).cross_entropy(_t(L, 4, 3), _t(L, 4, 3),
                                                           ignore_index=1)),
    ("ce_probs_weight", lambda L: F(L).cross_entropy(_t(L, 4, 3), _t(L, 4, 3),
                                                     weight=_t(L, 2))),
    ("ce_smoothing", lambda L: F(L).cross_entropy(_t(L, 4, 3), _i(L, 4), label_smoothing=1.5)),
    ("ce_probs_smoothing", lambda L: F(L).cross_entropy(_t(L, 4, 3), _t(L, 4, 3),
                                                        label_smoothing=1.5)),
    ("ce_target_high", lambda L: F(L).cross_entropy(_t(L, 4, 3), _i(L, 4, value=7))),
    ("ce_batch", lambda L: F(L).cross_entropy(_t(L, 4, 3), _i(L, 2))),
    ("ce_0d", lambda L: F(L).cross_entropy(_t(L), _i(L))),
    ("ce_weight_dtype", lambda L: F(L).cross_entropy(_t(L, 4, 3), _i(L, 4),
                                                     weight=_i(L, 3, value=1))),
    ("softmax_dim", lambda L: F(L).softmax(_t(L, 2, 3), 2)),
    ("log_softmax_dim", lambda L: F(L).log_softmax(_t(L, 2, 3), -3)),
    ("relu_bool", lambda L: F(L).relu(_t(L, 3, dtype="bool"))),
    ("linear_shapes", lambda L: F(L).linear(_t(L, 2, 3), _t(L, 4, 2))),
    ("linear_shapes_1d", lambda L: F(L).linear(_t(L, 3), _t(L, 4, 2))),
    ("linear_shapes_3d", lambda L: F(L).linear(_t(L, 2, 5, 3), _t(L, 4, 2))),
    ("linear_bias_size", lambda L: F(L).linear(_t(L, 5, 3), _t(L, 4, 3), _t(L, 5))),
    ("linear_bias_size_1d", lambda L: F(L).linear(_t(L, 3), _t(L, 4, 3), _t(L, 5))),
    ("linear_bias_size_3d", lambda L: F(L).linear(_t(L, 2, 5, 3), _t(L, 4, 3), _t(L, 5))),
    ("linear_column_bias_1d", lambda L: F(L).linear(_t(L, 3), _t(L, 4, 3), _t(L, 4, 1))),
    ("linear_weight_dtype", lambda L: F(L).linear(_t(L, 2, 3), _t(L, 4, 3, dtype="float64"))),
    ("linear_bias_dtype", lambda L: F(L).linear(_t(L, 2, 3), _t(L, 4, 3),
                                                _t(L, 4, dtype="float64"))),
    ("linear_input_dtype", lambda L: F(L).linear(_t(L, 2, 3, dtype="float64"), _t(L, 4, 3),
                                                 _t(L, 4))),
    ("linear_0d", lambda L: F(L).linear(_t(L), _t(L, 4, 3))),
    ("linear_0d_weight", lambda L: F(L).linear(_t(L, 3), _t(L))),
]
# fmt: on


@pytest.mark.parametrize("fn", [c[1] for c in ERRORS], ids=[c[0] for c in ERRORS])
def test_error_matches_torch(fn):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (mse_loss and l1_loss warn before they fail)
        assert_same_error(lambda: fn(minigrad), lambda: fn(torch))


# -- warnings: the same category and text ---------------------------------------------------------


WARNINGS = [
    ("mse_target_size", lambda L: F(L).mse_loss(_t(L, 3), _t(L, 1))),
    ("l1_target_size", lambda L: F(L).l1_loss(_t(L, 3), _t(L, 2, 3))),
    ("softmax_implicit_dim", lambda L: F(L).softmax(_t(L, 3))),
    ("log_softmax_implicit_dim", lambda L: F(L).log_softmax(_t(L, 2, 3))),
    ("size_average", lambda L: F(L).nll_loss(_t(L, 4, 3), _i(L, 4), size_average=False)),
    ("reduce", lambda L: F(L).mse_loss(_t(L, 3), _t(L, 3), reduce=False)),
    ("no_warning", lambda L: F(L).mse_loss(_t(L, 3), _t(L, 3))),
]


def _warnings_of(fn):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = fn()
    return result, [(w.category, str(w.message)) for w in caught]


@pytest.mark.parametrize("fn", [c[1] for c in WARNINGS], ids=[c[0] for c in WARNINGS])
def test_warning_matches_torch(fn):
    m_result, m_warnings = _warnings_of(lambda: fn(minigrad))
    t_result, t_warnings = _warnings_of(lambda: fn(torch))
    assert m_warnings == t_warnings
    assert_same(m_result, t_result)


# -- binary_cross_entropy_with_logits at logits of ±1000 -----------------------------------------


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("with_weights", [False, True], ids=["plain", "weights"])
def test_bce_with_logits_is_finite_at_extreme_logits(dtype, reduction, with_weights):
    logits = np.array([1000.0, -1000.0, 1000.0, -1000.0, 0.0, 88.0, -104.0], dtype=dtype)
    target = np.array([0.0, 1.0, 1.0, 0.0, 1.0, 0.0, 1.0], dtype=dtype)
    extra = {}
    if with_weights:
        extra = {"weight": np.full(7, 0.5, dtype), "pos_weight": np.full(7, 3.0, dtype)}
    results = []
    for L in (minigrad, torch):
        x = L.tensor(logits, requires_grad=True)
        t = L.tensor(target, requires_grad=True)
        kwargs = {k: L.tensor(v) for k, v in extra.items()}
        loss = F(L).binary_cross_entropy_with_logits(x, t, reduction=reduction, **kwargs)
        loss.backward(L.ones_like(loss))
        results.append((loss, x.grad, t.grad))
    (m_loss, m_gx, m_gt), (t_loss, t_gx, t_gt) = results
    for m, t in ((m_loss, t_loss), (m_gx, t_gx), (m_gt, t_gt)):
        assert np.isfinite(m.detach().numpy()).all(), m
        assert_values(m, t, rtol=1e-6, atol=1e-6)
    # The loss of a confidently wrong logit is the logit itself.
    if reduction == "none" and not with_weights:
        assert m_loss.tolist()[:2] == [1000.0, 1000.0]
