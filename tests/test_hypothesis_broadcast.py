"""Property tests: binary operations on random broadcastable shapes agree with torch.

hypothesis draws pairs (or triples, for ``where``) of mutually broadcastable shapes,
including 0-d and size-0 dimensions, and a seed for the values. Each operation runs on
both libraries in float64; values, dtype, shape and grad_fn name must agree, and so must
the gradients of both inputs after a backward pass with a random upstream gradient (the
broadcast gradient reduced back to each input's shape).
"""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import mutually_broadcastable_shapes

import minigrad
from tests._oracle import assert_same, assert_values, pair, upstream

SETTINGS = settings(max_examples=200, deadline=None, derandomize=True, database=None)


def _values(rng, shape, kind):
    if kind == "positive":
        return rng.uniform(0.5, 2.0, shape)
    if kind == "nonzero":
        return rng.uniform(0.5, 2.0, shape) * rng.choice([-1.0, 1.0], shape)
    if kind == "ties":  # few distinct values, so that maximum/minimum meet ties
        return rng.integers(-2, 3, shape).astype(np.float64)
    return rng.standard_normal(shape)


BINARY = {
    "add": (lambda L, x, y: x + y, "normal", "normal"),
    "add_alpha": (lambda L, x, y: L.add(x, y, alpha=0.5), "normal", "normal"),
    "sub": (lambda L, x, y: x - y, "normal", "normal"),
    "mul": (lambda L, x, y: x * y, "normal", "normal"),
    "div": (lambda L, x, y: x / y, "normal", "nonzero"),
    "pow": (lambda L, x, y: x**y, "positive", "normal"),
    "maximum": (lambda L, x, y: L.maximum(x, y), "ties", "ties"),
    "minimum": (lambda L, x, y: L.minimum(x, y), "ties", "ties"),
}


def _check(fn, arrays, grad_flags):
    ms, ts = [], []
    for array, flag in zip(arrays, grad_flags):
        m, t = pair(array, requires_grad=flag)
        ms.append(m)
        ts.append(t)
    m_out, t_out = fn(minigrad, *ms), fn(torch, *ts)
    assert_same(m_out, t_out, rtol=1e-12, atol=1e-14)
    if not t_out.requires_grad:
        return
    g = upstream(tuple(t_out.shape), "float64", seed=len(t_out.shape))
    m_out.backward(minigrad.tensor(g))
    t_out.backward(torch.from_numpy(g))
    for i, (m, t) in enumerate(zip(ms, ts)):
        if t.requires_grad:
            assert m.grad is not None, f"input {i} got no gradient"
            assert tuple(m.grad.shape) == tuple(m.shape), "gradient not reduced to the input"
            assert_values(m.grad, t.grad, rtol=1e-11, atol=1e-12)


@pytest.mark.parametrize("name", list(BINARY))
@SETTINGS
@given(
    shapes=mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=4, max_side=3),
    seed=st.integers(0, 2**32 - 1),
    grad_flags=st.sampled_from([(True, True), (True, False), (False, True)]),
)
def test_binary_op_broadcasts_like_torch(name, shapes, seed, grad_flags):
    fn, kind_a, kind_b = BINARY[name]
    rng = np.random.default_rng(seed)
    a_shape, b_shape = shapes.input_shapes
    arrays = [_values(rng, a_shape, kind_a), _values(rng, b_shape, kind_b)]
    _check(fn, arrays, grad_flags)


@SETTINGS
@given(
    shapes=mutually_broadcastable_shapes(num_shapes=3, min_dims=0, max_dims=4, max_side=3),
    seed=st.integers(0, 2**32 - 1),
)
def test_where_broadcasts_like_torch(shapes, seed):
    rng = np.random.default_rng(seed)
    c_shape, a_shape, b_shape = shapes.input_shapes
    condition = rng.random(c_shape) > 0.5
    a, b = rng.standard_normal(a_shape), rng.standard_normal(b_shape)

    def fn(L, x, y):
        return L.where(L.tensor(condition), x, y)

    _check(fn, [a, b], (True, True))


@SETTINGS
@given(
    shapes=mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=4, max_side=3),
    seed=st.integers(0, 2**32 - 1),
    number=st.floats(-3.0, 3.0, allow_nan=False).filter(lambda v: abs(v) > 0.1),
)
def test_chain_with_numbers_broadcasts_like_torch(shapes, seed, number):
    """A small expression mixing the operations and Python numbers on either side."""
    rng = np.random.default_rng(seed)
    a_shape, b_shape = shapes.input_shapes
    a, b = rng.standard_normal(a_shape), rng.uniform(0.5, 2.0, b_shape)

    def fn(L, x, y):
        return (number - x * y) / (y + number**2) + L.maximum(x, y * number) ** 2

    _check(fn, [a, b], (True, True))


def _incompatible(draw_shape_a, draw_shape_b):
    for x, y in zip(reversed(draw_shape_a), reversed(draw_shape_b)):
        if x != y and x != 1 and y != 1:
            return True
    return False


@SETTINGS
@given(
    a_shape=st.lists(st.integers(1, 4), min_size=1, max_size=3).map(tuple),
    b_shape=st.lists(st.integers(1, 4), min_size=1, max_size=3).map(tuple),
    name=st.sampled_from(list(BINARY)),
)
def test_broadcast_errors_match_torch(a_shape, b_shape, name):
    """Shapes that do not broadcast: the same error, word for word."""
    from hypothesis import assume

    from tests._oracle import assert_same_error

    assume(_incompatible(a_shape, b_shape))
    fn = BINARY[name][0]

    def run(L):
        return fn(L, L.ones(a_shape, dtype=L.float64), L.ones(b_shape, dtype=L.float64))

    assert_same_error(lambda: run(minigrad), lambda: run(torch))
