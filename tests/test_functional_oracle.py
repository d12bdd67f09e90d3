"""``minigrad.nn.functional`` against ``torch.nn.functional``: values, graphs, gradients, errors.

Each case is a function of the library ``L`` (``minigrad`` or ``torch``) and of input tensors
made from the same NumPy arrays; ``check_case`` compares outputs, the backward graph
(node names and ``next_functions``) and the gradients of every input that requires grad.
"""

import math

import numpy as np
import pytest
import torch

import minigrad
from tests._oracle import In, assert_same, assert_same_error, check_case, pair

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
