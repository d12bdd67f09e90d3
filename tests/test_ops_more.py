"""The operations and tensor behaviours lessons meet (issue 21), each compared with torch 2.13.

In-place unary functions, sinh/cosh/log10/log2/round/square, sort/topk, var/std, all/any,
where(condition), normal, remainder and floor division, indexing with a range, ``axis=``,
arange's float values, the warnings torch gives (scalar conversion, ``x.T``), NumPy's
RuntimeWarnings (never shown), format specs, ``torch.Size`` arithmetic and the named tuples
(``torch.return_types``).
"""

from __future__ import annotations

import json
import math
import random
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch

import minigrad
from tests._oracle import (
    In,
    assert_same,
    assert_same_error,
    assert_same_outputs,
    check_case,
    pair,
    torch_words,
)
from tests._scenarios import assert_same as assert_same_plain
from tests._scenarios import error_of, plain

DTYPES = ["float32", "float64"]
ROOT = Path(__file__).resolve().parents[1]
TOLERANCE = {"rtol": 1e-5, "atol": 1e-6, "float64_tol": 1e-12}


def _words(text: str) -> str:
    """An observation's message without what only makes sense inside PyTorch."""
    return torch_words(text) if isinstance(text, str) else text


# -- 1. in-place unary functions --------------------------------------------------------------

INPLACE_UNARY = ["sin_", "cos_", "exp_", "log_", "sqrt_", "abs_", "tanh_", "sigmoid_", "relu_"]


def _inplace(lib: Any, name: str, t: Any, form: str) -> Any:
    return getattr(t, name)() if form == "method" else getattr(lib, name)(t)


@pytest.mark.parametrize("form", ["method", "function"])
@pytest.mark.parametrize("name", INPLACE_UNARY)
def test_inplace_unary_on_a_non_leaf(name: str, form: str) -> None:
    def observe(lib: Any) -> list[Any]:
        x = lib.tensor([0.5, 1.5, 2.0], requires_grad=True)
        y = x * 1.5
        returned = _inplace(lib, name, y, form)
        out = [y, returned is y, y.grad_fn.name(), y._version, y.is_leaf, repr(y)]
        (y * y).sum().backward()
        return [*out, x.grad]

    assert_same_plain(plain(observe(minigrad)), plain(observe(torch)), **TOLERANCE)


@pytest.mark.parametrize("form", ["method", "function"])
@pytest.mark.parametrize("name", INPLACE_UNARY)
def test_inplace_unary_on_a_leaf_that_requires_grad(name: str, form: str) -> None:
    def observe(lib: Any) -> list[Any]:
        x = lib.tensor([0.5, 1.5], requires_grad=True)
        error = error_of(lambda: _inplace(lib, name, x, form))
        with lib.no_grad():
            _inplace(lib, name, x, form)
        return [error, x, x._version, x.grad_fn is None]

    assert_same_plain(plain(observe(minigrad)), plain(observe(torch)), **TOLERANCE)


@pytest.mark.parametrize("name", INPLACE_UNARY)
def test_inplace_unary_after_its_input_was_saved(name: str) -> None:
    # y is saved by y * y (MulBackward0); changing it in place makes backward fail.
    def observe(lib: Any) -> list[Any]:
        x = lib.tensor([0.5, 1.5], requires_grad=True)
        y = x * 2
        z = y * y
        getattr(y, name)()
        return [_words(error_of(lambda: z.sum().backward())), x.grad]

    assert_same_plain(plain(observe(minigrad)), plain(observe(torch)), **TOLERANCE)


@pytest.mark.parametrize("name", ["sin_", "cos_", "log_", "sqrt_", "abs_"])
def test_inplace_unary_output_saved_then_changed(name: str) -> None:
    # The new in-place ops save their input; a second in-place change is caught at backward.
    def observe(lib: Any) -> list[Any]:
        x = lib.tensor([0.5, 1.5], requires_grad=True)
        y = x * 1
        getattr(y, name)()
        getattr(y, name)()
        return [y.grad_fn.name(), y._version, _words(error_of(lambda: y.sum().backward()))]

    assert_same_plain(plain(observe(minigrad)), plain(observe(torch)), **TOLERANCE)


def test_inplace_unary_on_an_integer_tensor() -> None:
    for name in INPLACE_UNARY:
        m, t = minigrad.tensor([1, 4]), torch.tensor([1, 4])
        if name in ("abs_", "relu_"):
            assert_same(getattr(m, name)(), getattr(t, name)())
        else:
            assert_same_error(
                lambda m=m, n=name: getattr(m, n)(), lambda t=t, n=name: getattr(t, n)()
            )


# -- 2. new operations: values, dtypes, grad_fn names, graphs, gradients -----------------------

# fmt: off
CASES = [
    ("sinh", lambda L, x: x.sinh(), [In(2, 3)]),
    ("sinh_fn", lambda L, x: L.sinh(x), [In(3)]),
    ("cosh", lambda L, x: x.cosh(), [In(2, 3)]),
    ("cosh_fn", lambda L, x: L.cosh(x), [In(3)]),
    ("square_fn", lambda L, x: L.square(x), [In(2, 3)]),
    ("log10", lambda L, x: x.log10(), [In(2, 3, kind="positive")]),
    ("log10_fn", lambda L, x: L.log10(x), [In(3, kind="positive")]),
    ("log2", lambda L, x: x.log2(), [In(2, 3, kind="positive")]),
    ("log2_fn", lambda L, x: L.log2(x), [In(3, kind="positive")]),
    ("round", lambda L, x: (x * 3).round(), [In(2, 3)]),
    ("round_fn", lambda L, x: L.round(x * 3), [In(2, 3)]),
    ("round_decimals", lambda L, x: x.round(decimals=2), [In(2, 3)]),
    ("round_decimals_0", lambda L, x: x.round(decimals=0), [In(2, 3)]),
    ("round_int", lambda L, i: i.round(), [In(2, 3, kind="int")]),
    ("sort_stable_false", lambda L, x: x.sort(stable=False), [In(2, 3, kind="distinct")]),
    ("round_decimals_fn", lambda L, x: L.round(x * 100, decimals=-1), [In(2, 3)]),
    ("sort", lambda L, x: x.sort(), [In(3, 4, kind="distinct")]),
    ("sort_dim0", lambda L, x: x.sort(0), [In(3, 4, kind="distinct")]),
    ("sort_descending", lambda L, x: x.sort(dim=1, descending=True), [In(3, 4, kind="distinct")]),
    ("sort_fn_stable", lambda L, x: L.sort(x, dim=0, stable=True), [In(5, kind="distinct")]),
    ("sort_0d", lambda L, x: x.sort(), [In()]),
    ("topk", lambda L, x: x.topk(2), [In(3, 4, kind="distinct")]),
    ("topk_dim0_smallest", lambda L, x: x.topk(2, dim=0, largest=False),
     [In(3, 4, kind="distinct")]),
    ("topk_fn", lambda L, x: L.topk(x, 3), [In(5, kind="distinct")]),
    ("topk_k0", lambda L, x: x.topk(0), [In(2, 3)]),
    ("var", lambda L, x: x.var(), [In(3, 4)]),
    ("var_dim", lambda L, x: x.var(1), [In(3, 4)]),
    ("var_dims_keepdim", lambda L, x: x.var((0, 2), keepdim=True), [In(2, 3, 4)]),
    ("var_biased", lambda L, x: x.var(False), [In(3, 4)]),
    ("var_dim_unbiased_keepdim", lambda L, x: x.var(0, False, True), [In(3, 4)]),
    ("var_correction", lambda L, x: x.var(dim=1, correction=2), [In(3, 4)]),
    ("var_fn", lambda L, x: L.var(x, 0, unbiased=False), [In(3, 4)]),
    ("std", lambda L, x: x.std(), [In(3, 4)]),
    ("std_dim_keepdim", lambda L, x: x.std(1, keepdim=True), [In(3, 4)]),
    ("std_correction0", lambda L, x: x.std(0, correction=0), [In(3, 4)]),
    ("std_fn", lambda L, x: L.std(x, unbiased=False), [In(3, 4)]),
    ("remainder_number", lambda L, x: x % 0.7, [In(2, 3)]),
    ("remainder_negative_number", lambda L, x: x % -0.7, [In(2, 3)]),
    ("remainder_tensor", lambda L, x, y: x % y, [In(2, 3), In(3, kind="positive")]),
    ("remainder_fn", lambda L, x, y: L.remainder(x, y), [In(2, 3), In(2, 1, kind="positive")]),
    ("remainder_method", lambda L, x: x.remainder(2), [In(4)]),
    ("remainder_int", lambda L, i: i % 3, [In(6, kind="int")]),
    ("remainder_int_negative", lambda L, i: i % -4, [In(6, kind="int")]),
    ("floor_divide", lambda L, x: x // 0.7, [In(2, 3)]),
    ("floor_divide_tensor", lambda L, x, y: x // y, [In(2, 3), In(3, kind="positive")]),
    ("floor_divide_int", lambda L, i: i // 3, [In(6, kind="int")]),
    ("floor_divide_fn", lambda L, x: L.floor_divide(x, -2), [In(4)]),
    ("rfloordiv", lambda L, x: 2.0 // x, [In(4, kind="positive")]),
    ("rmod", lambda L, x: 2.0 % x, [In(4, kind="positive")]),
    ("all", lambda L, b: b.all(), [In(2, 3, kind="bool")]),
    ("all_dim", lambda L, b: b.all(1), [In(2, 3, kind="bool")]),
    ("all_keepdim", lambda L, b: b.all(dim=0, keepdim=True), [In(2, 3, kind="bool")]),
    ("all_float", lambda L, x: (x > 0).float().all(1), [In(3, 4)]),
    ("all_int_fn", lambda L, i: L.all(i, 0), [In(3, 2, kind="int")]),
    ("any", lambda L, b: b.any(), [In(2, 3, kind="bool")]),
    ("any_dim_keepdim", lambda L, b: b.any(1, True), [In(2, 3, kind="bool")]),
    ("any_fn", lambda L, x: L.any(x > 1, dim=1), [In(3, 4)]),
    ("any_dims", lambda L, b: b.any((0, 2)), [In(2, 3, 2, kind="bool")]),
    ("cumsum", lambda L, x: x.cumsum(1), [In(3, 4)]),
    ("cumsum_dim0_fn", lambda L, x: L.cumsum(x, dim=0), [In(3, 4)]),
    ("cumsum_dtype", lambda L, x: x.cumsum(-1, dtype=L.float64), [In(2, 3)]),
    ("cumsum_int", lambda L, i: i.cumsum(0), [In(5, kind="int")]),
    ("cumsum_bool", lambda L, b: b.cumsum(0), [In(5, kind="bool")]),
    ("cumsum_0d", lambda L, x: x.cumsum(0), [In()]),
    ("logsumexp", lambda L, x: x.logsumexp(1), [In(3, 4)]),
    ("logsumexp_dims_keepdim", lambda L, x: L.logsumexp(x, (0, 2), keepdim=True), [In(2, 3, 4)]),
    ("logsumexp_large", lambda L, x: (x * 1000).logsumexp(0), [In(3, 4)]),
    ("logsumexp_int", lambda L, i: i.logsumexp(0), [In(5, kind="int")]),
    ("logsumexp_0d", lambda L, x: x.logsumexp(0), [In()]),
    ("where_condition", lambda L, x: L.where(x > 0), [In(3, 4)]),
    ("where_condition_1d", lambda L, x: L.where(x > 0), [In(5)]),
    ("nonzero", lambda L, x: (x > 0).nonzero(), [In(3, 4)]),
    ("nonzero_fn_tuple", lambda L, x: L.nonzero(x > 0, as_tuple=True), [In(2, 3)]),
    ("index_range", lambda L, x: x[range(2)], [In(3, 4)]),
    ("index_range_col", lambda L, x: x[:, range(1, 4, 2)], [In(3, 4)]),
    ("index_range_both", lambda L, x: x[range(2), range(1, 3)], [In(3, 4)]),
    ("index_empty_range", lambda L, x: x[range(0)], [In(3, 4)]),
    ("setitem_range", lambda L, x, v: _set(x * 1, range(1, 3), v), [In(3, 2), In(2)]),
]
# fmt: on


def _set(t: Any, key: Any, value: Any) -> Any:
    t[key] = value
    return t


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(("fn", "inputs"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_op_matches_torch(fn: Any, inputs: list[In], dtype: str) -> None:
    check_case(fn, inputs, dtype)


def test_round_halves_to_even_and_decimals_as_torch() -> None:
    values = [0.5, 1.5, 2.5, -0.5, -1.5, 1.25, 1.35, 2.675, 0.125, 1e10 + 0.5, -2.5]
    for dtype in DTYPES:
        m, t = pair(np.array(values, dtype=dtype))
        assert_same(m.round(), t.round(), rtol=0, atol=0)
        for decimals in (-2, -1, 1, 2, 3):
            assert_same(m.round(decimals=decimals), t.round(decimals=decimals), rtol=0, atol=0)


def test_sort_is_stable_with_ties_and_nan_as_torch() -> None:
    x = np.array([[2.0, 1.0, 2.0, np.nan, 1.0, 3.0, 2.0], [0.0, 0.0, -1.0, 0.0, np.nan, 5.0, 0.0]])
    m, t = pair(x, requires_grad=True)
    for descending in (False, True):
        mine = m.sort(dim=1, descending=descending, stable=True)
        theirs = t.sort(dim=1, descending=descending, stable=True)
        assert_same_outputs(mine, theirs)
    for k, largest in ((3, True), (2, False)):
        mine, theirs = m.topk(k, largest=largest), t.topk(k, largest=largest)
        np.testing.assert_array_equal(mine.values.detach().numpy(), theirs.values.detach().numpy())


def test_sort_of_integers_and_bools() -> None:
    for array in (np.array([3, 1, 2, 1]), np.array([True, False, True])):
        m, t = pair(array)
        assert_same_outputs(m.sort(), t.sort())
        assert_same_outputs(m.sort(descending=True), t.sort(descending=True))


def test_sort_and_topk_double_backward() -> None:
    def observe(lib: Any) -> list[Any]:
        x = lib.tensor([[3.0, 1.0, 2.0], [0.5, 4.0, -1.0]], dtype=lib.float64, requires_grad=True)
        out = (x.sort(1).values ** 2).sum() + (x.topk(2).values ** 3).sum()
        (g,) = lib.autograd.grad(out, x, create_graph=True)
        (h,) = lib.autograd.grad(g.sum(), x)
        return [g, h]

    assert_same_plain(plain(observe(minigrad)), plain(observe(torch)), **TOLERANCE)


def test_remainder_and_floor_divide_values_as_torch() -> None:
    # Signs of zero, division by zero, infinities: the same bits as torch.
    x = np.array([5.0, -7.0, -2.0, 2.0, -0.0, 0.0, 5.0, -5.0, np.inf, 3.5, 1e30], dtype=np.float32)
    y = np.array([2.0, 3.0, 1.0, -1.0, 3.0, -3.0, 0.0, 0.0, 2.0, -1.5, 3.0], dtype=np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for op in (lambda a, b: a % b, lambda a, b: a // b):
            mine = op(minigrad.tensor(x), minigrad.tensor(y)).numpy()
            theirs = op(torch.from_numpy(x), torch.from_numpy(y)).numpy()
            np.testing.assert_array_equal(mine.view(np.int32), theirs.view(np.int32))


def test_integer_division_by_zero_is_torchs_error() -> None:
    for op in (lambda a: a // 0, lambda a: a % 0, lambda a: a % a.new_zeros(2) if False else a % 0):
        assert_same_error(
            lambda op=op: op(minigrad.tensor([5, -7])), lambda op=op: op(torch.tensor([5, -7]))
        )


def test_remainder_gradients_as_torch() -> None:
    def observe(lib: Any) -> list[Any]:
        a = lib.tensor([5.0, -7.0, 3.5], requires_grad=True)
        b = lib.tensor([2.0, 3.0, -1.5], requires_grad=True)
        r = a % b
        r.backward(lib.tensor([1.0, 2.0, 3.0]))
        s = a % 2.0
        return [r.grad_fn.name(), len(r.grad_fn.next_functions), a.grad, b.grad, s.grad_fn.name()]

    assert_same_plain(plain(observe(minigrad)), plain(observe(torch)), **TOLERANCE)


@pytest.mark.parametrize(
    "expression",
    ["a // b", "a // 2", "2.0 // a", "2.0 % a", "lib.floor_divide(a, b)", "lib.remainder(3.0, a)"],
)
def test_operations_without_a_derivative_as_torch(expression: str) -> None:
    def observe(lib: Any) -> list[Any]:
        a = lib.tensor([5.0, -7.0, 3.5], requires_grad=True)
        b = lib.tensor([2.0, 3.0, -1.5])  # noqa: F841 - used by the expression
        r = eval(expression)
        edges = [None if n is None else n.name() for n, _ in r.grad_fn.next_functions]
        out = [r, repr(r), type(r.grad_fn).__name__, r.grad_fn.name(), edges, r.requires_grad]
        return [*out, error_of(lambda: r.sum().backward()), a.grad]

    assert_same_plain(plain(observe(minigrad)), plain(observe(torch)), **TOLERANCE)


def test_floor_divide_of_tensors_without_grad_records_nothing() -> None:
    for lib in (minigrad, torch):
        assert (lib.tensor([1.0]) // 2).grad_fn is None
        with lib.no_grad():
            assert (lib.tensor([1.0], requires_grad=True) // 2).grad_fn is None


# -- var and std: arguments, warnings and errors ------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda x: x.var(0, correction=3),
        lambda x: x.std(1, correction=4),
        lambda x: x[:1, :1].var(),
        lambda x: x[:0].std(),
    ],
)
def test_var_without_degrees_of_freedom_warns_as_torch(call: Any) -> None:
    def observe(lib: Any) -> list[Any]:
        x = lib.tensor([[1.0, 2.0, 4.0], [3.0, 5.0, 6.0], [0.5, 1.0, 2.0]], requires_grad=True)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            out = call(x)
        messages = [(w.category.__name__, torch_words(str(w.message))) for w in caught]
        if out.numel():
            out.sum().backward()
        return [out, messages, x.grad]

    mine, theirs = observe(minigrad), observe(torch)
    assert mine[1] == theirs[1]
    np.testing.assert_array_equal(mine[0].detach().numpy(), theirs[0].detach().numpy())
    assert (mine[2] is None) == (theirs[2] is None)
    if theirs[2] is not None:
        np.testing.assert_array_equal(mine[2].numpy(), theirs[2].numpy())


def test_var_std_errors_as_torch() -> None:
    for call in (lambda L: L.tensor([1, 2]).var(), lambda L: L.tensor([1, 2]).std(0)):
        assert_same_error(lambda c=call: c(minigrad), lambda c=call: c(torch))
    for call in (lambda L: L.ones(2, 3).var(2), lambda L: L.ones(2, 3).std(dim=-3)):
        assert_same_error(lambda c=call: c(minigrad), lambda c=call: c(torch))
    # unbiased and correction together: a TypeError in both (torch's lists its signatures)
    for lib in (minigrad, torch):
        with pytest.raises(TypeError):
            lib.ones(3).var(0, unbiased=True, correction=1)


def test_std_where_it_is_zero_has_a_zero_gradient() -> None:
    def observe(lib: Any) -> list[Any]:
        x = lib.tensor([[1.0, 1.0, 1.0], [1.0, 2.0, 4.0]], requires_grad=True)
        x.std(1).sum().backward()
        return [x.grad]

    assert_same_plain(plain(observe(minigrad)), plain(observe(torch)), **TOLERANCE)


# -- sort, topk, all/any, where: errors and named results -----------------------------------------

ERRORS = [
    lambda L: L.ones(2, 3).topk(4),
    lambda L: L.ones(2, 3).topk(-1),
    lambda L: L.ones(2, 3).sort(dim=2),
    lambda L: L.ones(2, 3).topk(1, dim=-3),
    lambda L: L.ones(2, 3).all(dim=2),
    lambda L: L.ones(2, 3).any(5),
    lambda L: L.tensor([1, 2]).round(decimals=0),
    lambda L: L.tensor([1, 2]).round(decimals=1),
    lambda L: L.tensor([True]).round(),
    lambda L: L.ones(2, 3).cumsum(),
    lambda L: L.cumsum(L.ones(2, 3), 2),
    lambda L: L.ones(2, 3).logsumexp(),
    lambda L: L.logsumexp(L.ones(2, 3), -3),
]


@pytest.mark.parametrize("call", ERRORS)
def test_errors_match_torch(call: Any) -> None:
    assert_same_error(lambda: call(minigrad), lambda: call(torch))


@pytest.mark.parametrize(
    ("name", "call"),
    [
        ("max", lambda L, x: x.max(1)),
        ("min", lambda L, x: x.min(dim=0, keepdim=True)),
        ("max", lambda L, x: L.max(x, 0)),
        ("min", lambda L, x: L.min(x, 1)),
        ("sort", lambda L, x: x.sort(descending=True)),
        ("sort", lambda L, x: L.sort(x, 0)),
        ("topk", lambda L, x: x.topk(2)),
        ("topk", lambda L, x: L.topk(x, 1, dim=0)),
    ],
)
def test_named_results_as_torch(name: str, call: Any) -> None:
    m, t = pair(np.array([[3.0, 1.0, 2.0], [0.5, 4.0, -1.0]], dtype=np.float32), True)
    mine, theirs = call(minigrad, m), call(torch, t)
    assert type(mine).__name__ == type(theirs).__name__ == name
    assert repr(mine) == repr(theirs)
    assert str(mine) == str(theirs)
    assert isinstance(mine, tuple) and len(mine) == 2
    values, indices = mine
    assert values is mine.values and indices is mine.indices
    assert_same_outputs(tuple(mine), tuple(theirs))


# -- normal --------------------------------------------------------------------------------------


def test_normal_forms_shapes_dtypes_and_nodes_as_torch() -> None:
    def observe(lib: Any) -> list[Any]:
        mean = lib.zeros(2, 1, requires_grad=True)
        std = lib.ones(3, dtype=lib.float64, requires_grad=True)
        forms = [
            lib.normal(mean, std),
            lib.normal(mean, 2.0),
            lib.normal(mean),
            lib.normal(1.0, std),
            lib.normal(0.0, 1.0, (2, 3)),
            lib.normal(2, 3, size=(4,)),
            lib.normal(0.0, 1.0, (2,), dtype=lib.float64),
            lib.normal(0.0, 1.0, (2,), requires_grad=True),
        ]
        out = [
            [tuple(r.shape), str(r.dtype), r.grad_fn and r.grad_fn.name(), r.requires_grad]
            for r in forms
        ]
        (forms[0].sum() + forms[1].sum() + forms[3].sum()).backward()
        return [out, mean.grad, std.grad]

    assert_same_plain(plain(observe(minigrad)), plain(observe(torch)), **TOLERANCE)


@pytest.mark.parametrize(
    "call",
    [
        lambda L: L.normal(0.0, 1.0),
        lambda L: L.normal(L.zeros(2), -1.0),
        lambda L: L.normal(0.0, -2.5, (2,)),
        lambda L: L.normal(L.zeros(2), L.tensor([1.0, -1.0])),
        lambda L: L.normal(L.zeros(2), L.ones(3)),
        lambda L: L.normal(L.tensor([1, 2]), 1.0),
        lambda L: L.normal(2.0, 3.0, (2,), dtype=L.int64),
    ],
)
def test_normal_errors_as_torch(call: Any) -> None:
    assert_same_error(lambda: call(minigrad), lambda: call(torch))


def test_normal_statistics_and_seed() -> None:
    minigrad.manual_seed(3)
    a = minigrad.normal(2.0, 3.0, (200_000,))
    minigrad.manual_seed(3)
    b = minigrad.normal(2.0, 3.0, (200_000,))
    assert a.equal(b)
    assert a.dtype == minigrad.float32
    assert abs(a.mean().item() - 2.0) < 0.05 and abs(a.std().item() - 3.0) < 0.05
    mean = minigrad.tensor([-10.0, 0.0, 10.0]).expand(100_000, 3)
    std = minigrad.tensor([0.5, 1.0, 2.0])
    minigrad.manual_seed(4)
    c = minigrad.normal(mean, std)
    np.testing.assert_allclose(c.mean(0).numpy(), [-10, 0, 10], atol=0.05)
    np.testing.assert_allclose(c.std(0).numpy(), [0.5, 1.0, 2.0], rtol=0.02)
    g = minigrad.Generator().manual_seed(5)
    d = minigrad.normal(0.0, 1.0, (3,), generator=g)
    e = minigrad.normal(0.0, 1.0, (3,), generator=minigrad.Generator().manual_seed(5))
    assert d.equal(e) and not d.equal(minigrad.normal(0.0, 1.0, (3,)))


# -- 3. axis= (NumPy's name for dim), wherever torch takes it -------------------------------------

AXIS_CALLS = [
    ("sum", {}),
    ("mean", {}),
    ("prod", {}),
    ("amax", {}),
    ("amin", {}),
    ("argmax", {}),
    ("argmin", {}),
    ("max", {}),
    ("min", {}),
    ("std", {}),
    ("var", {}),
    ("all", {}),
    ("any", {}),
    ("softmax", {}),
    ("log_softmax", {}),
    ("sort", {}),
    ("squeeze", {}),
    ("cumsum", {}),
    ("logsumexp", {}),
    ("logsumexp", {"keepdim": True}),
    ("unsqueeze", {}),
    ("sum", {"keepdim": True}),
    ("max", {"keepdim": True}),
    ("var", {"keepdim": True, "correction": 0}),
]


@pytest.mark.parametrize("form", ["method", "function"])
@pytest.mark.parametrize(("name", "extra"), AXIS_CALLS, ids=[f"{n}{e}" for n, e in AXIS_CALLS])
def test_axis_is_dim(name: str, extra: dict[str, Any], form: str) -> None:
    def run(lib: Any, x: Any, **kw: Any) -> Any:
        if name in ("all", "any"):
            x = x > 0
        if form == "method":
            return getattr(x, name)(**kw, **extra)
        return getattr(lib, name)(x, **kw, **extra)

    array = np.array([[[1.0, -2.0, 3.0]], [[4.0, 5.0, -6.0]]], dtype=np.float32)
    axis = 1 if name == "squeeze" else -1
    for grad in (False, True):
        if name in ("all", "any", "argmax", "argmin") and grad:
            continue
        m, t = pair(array, grad)
        assert_same_outputs(run(minigrad, m, axis=axis), run(torch, t, axis=axis))
        assert_same_outputs(run(minigrad, m, axis=axis), run(torch, t, dim=axis))


# -- arange: torch's values, bit for bit ---------------------------------------------------------


def _arange_cases() -> list[tuple[float, float, float]]:
    rng = random.Random(21)
    cases = [
        (0, 1, 0.1), (0, 10, 0.3), (-1, 1, 0.01), (0.5, 100.7, 0.37), (1e3, 1e3 + 1, 1e-3),
        (0, 1, 1 / 3), (-5, 5, 0.7), (0, 2.5, 0.5), (1, 0, -0.1), (0, 100, 0.1), (0, 5, 1.5),
        (0.5, 5, 1), (-3.7, 8.2, 2), (5, 0, -1.5), (-2.5, 3, 1), (0, 2 * math.pi, 0.05),
    ]  # fmt: skip
    for _ in range(250):
        start = rng.uniform(-100, 100)
        step = rng.choice([0.1, 0.01, 0.3, 0.7, 1 / 3, 0.05, 2.5, 1e-3, rng.uniform(1e-3, 3), -0.1])
        end = start + step * rng.randint(1, 500) * rng.random()
        cases.append((round(start) if rng.random() < 0.2 else start, end, step))
    return cases


def _arange(lib: Any, start: float, end: float, step: float, dtype: str | None) -> Any:
    try:
        return lib.arange(start, end, step, dtype=dtype and getattr(lib, dtype)).numpy()
    except Exception as error:  # noqa: BLE001 - the error is the observation
        return f"{type(error).__name__}: {error}"


def test_arange_gives_torchs_values_bit_for_bit() -> None:
    compared = 0
    for start, end, step in _arange_cases():
        for dtype in (None, "float32", "float64", "int64"):
            mine = _arange(minigrad, start, end, step, dtype)
            theirs = _arange(torch, start, end, step, dtype)
            where = (start, end, step, dtype)
            if isinstance(theirs, str):
                assert mine == theirs, where
                continue
            assert isinstance(mine, np.ndarray), (where, mine)
            assert mine.dtype == theirs.dtype and mine.shape == theirs.shape, where
            np.testing.assert_array_equal(
                mine.view(np.uint8), theirs.view(np.uint8), err_msg=str(where)
            )
            compared += 1
    assert compared > 800


@pytest.mark.parametrize(
    "args",
    [(0, 1, 0), (0, 1, 0.1, "int64"), (0, 1, -0.5, "int64"), (0.0, 1.0, 0.1, "bool"),
     (0, float("inf"), 1), (0, -5, 1)],
)  # fmt: skip
def test_arange_errors_as_torch(args: tuple[Any, ...]) -> None:
    *bounds, dtype = args if len(args) == 4 else (*args, None)
    assert _arange(minigrad, *bounds, dtype) == _arange(torch, *bounds, dtype)
    assert isinstance(_arange(torch, *bounds, dtype), str)


def test_arange_float32_examples() -> None:
    # The values a learner sees: arange(0, 1, 0.1) in float32, printed.
    for args in [(0, 1, 0.1), (0, 10, 0.3), (-1, 1, 0.25), (0, 3, 0.5)]:
        assert repr(minigrad.arange(*args)) == repr(torch.arange(*args))
        assert minigrad.arange(*args).tolist() == torch.arange(*args).tolist()


# -- 4. the once-per-process warnings (each in a fresh process) -----------------------------------

_FRESH = r"""
import json, math, operator, sys, warnings
import numpy as np
lib = __import__(sys.argv[1])
torch = lib
x = lib.tensor(1.5, requires_grad=True)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    results = []
    for _ in range(2):  # the second time: no warning
        try:
            results.append(repr(eval(sys.argv[2])))
        except Exception as error:
            results.append(f"{type(error).__name__}: {error}")
print(json.dumps([results, [(w.category.__name__, str(w.message), w.filename) for w in caught]]))
"""


def _fresh(lib: str, expression: str) -> Any:
    done = subprocess.run(
        [sys.executable, "-c", _FRESH, lib, expression],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "OMP_NUM_THREADS": "1"},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    results, caught = json.loads(done.stdout)
    results = [r.replace("torch", "LIB").replace("minigrad", "LIB") for r in results]
    return results, [(c, torch_words(m), f) for c, m, f in caught]


CONVERSIONS = [
    "float(x)",
    "float(x * 2)",
    "float(lib.tensor([2.5], requires_grad=True))",
    "complex(x)",
    "int(x)",
    "bool(x)",
    "x.item()",
    "x.tolist()",
    "np.float64(x)",
    "math.floor(x)",
    "'%.1f' % x",
    "f'{x:.2f}'",
    "float(x.detach())",
    "np.asarray(x)",
    "x.numpy()",
    "[float(x), int(x)]",
    "lib.no_grad().__enter__() or float(x)",
    "lib.ones(3).T",
    "lib.ones(2, 3, 4).T.shape",
    "lib.tensor(2.0).T",
    "[lib.ones(3).T.shape, lib.tensor(2.0).T.shape]",
    "lib.ones(2, 3).T.shape",
]


@pytest.mark.parametrize("expression", CONVERSIONS)
def test_warnings_once_per_process_as_torch(expression: str) -> None:
    assert _fresh("minigrad", expression) == _fresh("torch", expression)


def test_the_warnings_are_given() -> None:
    # (so that the comparison above cannot pass with no warning on either side)
    assert _fresh("minigrad", "float(x)")[1][0][0] == "UserWarning"
    assert len(_fresh("minigrad", "[lib.ones(3).T.shape, lib.tensor(2.0).T.shape]")[1]) == 2


# -- 5. NumPy's RuntimeWarnings never reach the user ---------------------------------------------

nan, inf = float("nan"), float("inf")
QUIET = [
    lambda L: L.tensor([1e40]),
    lambda L: L.tensor([1e40], dtype=L.float64).to(L.float32),
    lambda L: L.tensor([1e40], dtype=L.float64).float(),
    lambda L: L.tensor([100.0]).exp(),
    lambda L: L.tensor([100.0]).exp_(),
    lambda L: L.tensor([0.0, -1.0]).log(),
    lambda L: L.tensor([0.0, -1.0]).log_(),
    lambda L: L.tensor([0.0, -1.0]).log10(),
    lambda L: L.tensor([0.0, -1.0]).log2(),
    lambda L: L.tensor([-1.0]).sqrt_(),
    lambda L: L.tensor([0.0]) / 0,
    lambda L: L.tensor([1]) / 0,
    lambda L: L.tensor([nan, inf, -inf, 1e30]).long(),
    lambda L: L.tensor([nan, inf, -inf, 1e30], dtype=L.float64).long(),
    lambda L: L.tensor([nan]).long().item(),
    lambda L: L.tensor([3e38]) * 10,
    lambda L: L.tensor([inf]) - inf,
    lambda L: L.tensor([10.0]) ** 100,
    lambda L: L.tensor([0.0]) ** -1,
    lambda L: 10 ** L.tensor([100.0]),
    lambda L: L.tensor([100.0]).sinh(),
    lambda L: L.tensor([-100.0]).cosh(),
    lambda L: L.tensor([-100.0, 100.0]).sigmoid(),
    lambda L: L.tensor([-100.0, 100.0]).sigmoid_(),
    lambda L: L.tensor([]).mean(),
    lambda L: L.tensor([3e38, 3e38]).sum(),
    lambda L: L.tensor([1e30, 1e30]).prod(),
    lambda L: L.tensor([inf, 1.0]).softmax(0),
    lambda L: L.tensor([1.0, 0.0]) // 0,
    lambda L: L.tensor([1.0]) % 0,
    lambda L: L.tensor([inf]) % 2,
    lambda L: L.tensor([inf, nan]).round(decimals=2),
    lambda L: 1 / L.tensor([0.0]),
    lambda L: L.full((2,), 1e40),
    lambda L: L.zeros(2).fill_(1e40),
    lambda L: L.zeros(2).__setitem__(0, 1e40),
    lambda L: L.full((2,), inf),
    lambda L: L.tensor([inf, inf]).logsumexp(0),
    lambda L: L.tensor([-inf, -inf]).logsumexp(0),
    lambda L: L.tensor([inf, -inf, 1.0]).logsumexp(0),
    lambda L: L.zeros(0, 3).logsumexp(0),
    lambda L: L.zeros(0, 3).logsumexp(1),
    lambda L: L.tensor([3e38, 3e38]).cumsum(0),
    lambda L: L.arange(0, 1, 0.1),
]


def _quiet_observation(call: Any, lib: Any) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            out = call(lib)
        except Exception as error:  # noqa: BLE001 - a warning turned error shows here too
            return f"{type(error).__name__}: {error}"
    if isinstance(out, (torch.Tensor, minigrad.Tensor)):
        return (str(out.dtype).removeprefix("torch."), out.tolist())
    return out


@pytest.mark.parametrize("call", QUIET)
def test_no_numpy_warning_and_torchs_values(call: Any) -> None:
    mine, theirs = _quiet_observation(call, minigrad), _quiet_observation(call, torch)
    assert repr(mine) == repr(theirs)


@pytest.mark.parametrize(
    "call",
    [
        lambda L, x: x.log(),
        lambda L, x: x.sqrt(),
        lambda L, x: x.log10() + x.log2(),
        lambda L, x: 1 / x,
        lambda L, x: x**0.5,
        lambda L, x: (x * 1e30).exp(),
        lambda L, x: x.var(),
        lambda L, x: x[:1].std(),
        lambda L, x: x.norm(),
    ],
)
def test_no_numpy_warning_in_backward(call: Any) -> None:
    def observe(lib: Any) -> list[Any]:
        x = lib.tensor([0.0, 0.0], requires_grad=True)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            warnings.filterwarnings("ignore", "var\\(\\)|std\\(\\)", UserWarning)
            call(lib, x).sum().backward()
        return [x.grad]

    mine, theirs = observe(minigrad), observe(torch)
    np.testing.assert_array_equal(mine[0].numpy(), theirs[0].numpy())


def test_sigmoid_of_large_negative_inputs_as_torch() -> None:
    # exp(-x) overflows to inf: sigmoid is exactly 0 (no subnormal), from -89 on in float32.
    for dtype, (low, high) in (("float32", (-110, -80)), ("float64", (-800, -650))):
        x = np.linspace(low, high, 30001).astype(dtype)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            mine = minigrad.tensor(x).sigmoid().numpy()
        theirs = torch.from_numpy(x).sigmoid().numpy()
        np.testing.assert_array_equal(mine == 0, theirs == 0)
        assert (theirs == 0).sum() > 1000
        # Elsewhere, torch's vectorized exp (SLEEF) and NumPy's may differ in the last bit.
        np.testing.assert_allclose(mine, theirs, rtol=1e-6 if dtype == "float32" else 1e-15)


# -- format specs, torch.Size arithmetic ---------------------------------------------------------

FORMATS = [
    lambda L: f"{L.tensor(3.14159):.2f}",
    lambda L: f"{L.tensor(3.14159, requires_grad=True):.3f}",
    lambda L: f"{L.tensor(7):5d}",
    lambda L: f"{L.tensor(True)}",
    lambda L: format(L.tensor(2.5), ""),
    lambda L: format(L.tensor([1.5, 2.0]), ""),
    lambda L: f"{L.tensor([[1.5]])}",
    lambda L: f"{L.tensor([1.5], requires_grad=True)}",
    lambda L: f"{L.tensor([1.5]):.2f}",
    lambda L: f"{L.tensor([[1, 2]]):d}",
    lambda L: format(L.tensor([1.5]), ">10"),
    lambda L: f"{L.tensor(1.5):d}",
]


@pytest.mark.parametrize("call", FORMATS)
def test_format_as_torch(call: Any) -> None:
    assert error_of(lambda: call(minigrad)) == error_of(lambda: call(torch))
    if error_of(lambda: call(torch)) == "no error":
        assert call(minigrad) == call(torch)


SIZES = [
    lambda S: S([2, 3]) + (4,),
    lambda S: (4,) + S([2, 3]),
    lambda S: S([2, 3]) + S([1]),
    lambda S: S([2, 3]) * 2,
    lambda S: 2 * S([2, 3]),
    lambda S: S([2, 3, 4])[1:],
    lambda S: S([2, 3, 4])[::-1],
    lambda S: S([2, 3, 4])[0],
    lambda S: S([2, 3, 4])[-1],
    lambda S: S([2, 3]) + [1],
    lambda S: S([2, 3]) == (2, 3),
    lambda S: S([2, 3]).numel(),
    lambda S: S([]) + (),
]


@pytest.mark.parametrize("call", SIZES)
def test_size_arithmetic_as_torch(call: Any) -> None:
    mine, theirs = error_of(lambda: call(minigrad.Size)), error_of(lambda: call(torch.Size))
    assert mine == theirs.replace("torch.Size", "torch.Size")
    if theirs == "no error":
        m, t = call(minigrad.Size), call(torch.Size)
        assert repr(m) == repr(t)
        assert isinstance(m, minigrad.Size) == isinstance(t, torch.Size)


def test_shape_arithmetic_on_a_tensor_shape() -> None:
    for lib in (minigrad, torch):
        x = lib.ones(2, 3, 4)
        assert repr(x.shape[1:]) == "torch.Size([3, 4])"
        assert repr(x.shape[:-1] + (5,)) == "torch.Size([2, 3, 5])"
        assert lib.zeros(x.shape[:1] * 2).shape == (2, 2)


def test_logs_of_powers_print_as_torch() -> None:
    # NumPy's float32 log10(1000) is 3.0000002; torch's (and minigrad's) is 3.
    for name, x in (("log10", [1.0, 10.0, 100.0, 1000.0, 1e-3]), ("log2", [1.0, 8.0, 0.25, 1024])):
        for dtype in DTYPES:
            m, t = pair(np.array(x, dtype=dtype))
            assert repr(getattr(minigrad, name)(m)) == repr(getattr(torch, name)(t))
    # (Beyond |x| = 88.7, float32 sinh and cosh overflow where torch's vectorized and scalar
    # kernels disagree with each other: not compared.)
    x = np.concatenate([np.logspace(-20, 20, 20001), np.linspace(-88, 88, 20001)]).astype("f4")
    x = x[np.abs(x) < 88.7]
    for name in ("log10", "log2", "sinh", "cosh"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # (torch: nan for log of a negative, silently)
            mine = getattr(minigrad.tensor(x), name)().numpy()
        theirs = getattr(torch.from_numpy(x), name)().numpy()
        differ = (mine != theirs) & ~(np.isnan(mine) & np.isnan(theirs))
        assert differ.sum() < 0.01 * len(x), name  # the last bit, very rarely
        np.testing.assert_allclose(mine, theirs, rtol=2e-7, equal_nan=True)
