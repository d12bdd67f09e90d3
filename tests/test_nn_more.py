"""nn.BatchNorm1d, nn.Dropout and their functional forms against torch 2.13: outputs,
gradients, graphs, running statistics, buffers, printed forms, state dicts and errors.
Dropout's mask comes from minigrad's generator (not torch's): its statistics, its scaling and
the consistency of its zeros are tested instead, and evaluation mode against torch.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch

import minigrad
from tests._oracle import (
    assert_same,
    assert_same_error,
    assert_same_graph,
    backward_both,
    make_inputs,
    pair,
    upstream,
)
from tests.test_gradcheck_ops import BY_NAME, _hvp


def _batch(shape: tuple[int, ...], dtype: str = "float32", seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return (rng.standard_normal(shape) * 2 + 0.5).astype(dtype)


def _copy_parameters(m_module: Any, t_module: Any) -> None:
    """Give the torch module the minigrad module's parameters and buffers."""
    with torch.no_grad():
        for name, value in m_module.state_dict().items():
            t_module.state_dict()[name].copy_(torch.from_numpy(value.numpy().copy()))


BN_OPTIONS: dict[str, dict[str, Any]] = {
    "default": {},
    "momentum": {"momentum": 0.3, "eps": 1e-3},
    "momentum_none": {"momentum": None},
    "no_affine": {"affine": False},
    "no_bias": {"bias": False},
    "no_running_stats": {"track_running_stats": False},
    "no_affine_no_stats": {"affine": False, "track_running_stats": False},
}


@pytest.mark.parametrize("options", list(BN_OPTIONS))
@pytest.mark.parametrize("shape", [(6, 3), (4, 3, 5)], ids=str)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_batch_norm_trains_and_evaluates_as_torch(
    options: str, shape: tuple[int, ...], dtype: str
) -> None:
    kwargs = BN_OPTIONS[options]
    L_dtype = {"dtype": getattr(minigrad, dtype)}
    m_bn = minigrad.nn.BatchNorm1d(3, **kwargs, **L_dtype)
    t_bn = torch.nn.BatchNorm1d(3, **kwargs, dtype=getattr(torch, dtype))
    if m_bn.affine:  # weights other than 1 and 0, the same in both
        with minigrad.no_grad():
            m_bn.weight.copy_(minigrad.tensor(_batch((3,), dtype, 9)))
            if m_bn.bias is not None:
                m_bn.bias.copy_(minigrad.tensor(_batch((3,), dtype, 8)))
        _copy_parameters(m_bn, t_bn)
    for step in range(3):  # training: batch statistics, running statistics updated
        m_x, t_x = pair(_batch(shape, dtype, step), requires_grad=True)
        m_y, t_y = m_bn(m_x), t_bn(t_x)
        assert_same(m_y, t_y)
        assert_same_graph(m_y, t_y, [m_x, m_bn.weight, m_bn.bias], [t_x, t_bn.weight, t_bn.bias])
        backward_both(m_y, t_y, seed=step)
        # (float32: the input's gradient is a difference of nearly equal terms, rounded.)
        assert_same(m_x.grad, t_x.grad, atol=2e-5 if dtype == "float32" else None)
        for name in ("weight", "bias"):
            if getattr(t_bn, name) is not None:
                assert_same(getattr(m_bn, name).grad, getattr(t_bn, name).grad)
        for name, value in t_bn.named_buffers():
            assert_same(getattr(m_bn, name), value)
    m_bn.eval()
    t_bn.eval()
    m_x, t_x = pair(_batch(shape, dtype, 7), requires_grad=True)
    m_y, t_y = m_bn(m_x), t_bn(t_x)
    assert_same(m_y, t_y)
    backward_both(m_y, t_y)
    assert_same(m_x.grad, t_x.grad)
    for name, value in t_bn.named_buffers():
        assert_same(getattr(m_bn, name), value)


def test_batch_norm_prints_and_saves_as_torch() -> None:
    for kwargs in BN_OPTIONS.values():
        m_bn, t_bn = minigrad.nn.BatchNorm1d(4, **kwargs), torch.nn.BatchNorm1d(4, **kwargs)
        assert repr(m_bn) == repr(t_bn)
        m_state, t_state = m_bn.state_dict(), t_bn.state_dict()
        assert list(m_state) == list(t_state)
        for key in t_state:
            assert_same(m_state[key], t_state[key])
            assert repr(m_state[key]) == repr(t_state[key])
        assert [n for n, _ in m_bn.named_parameters()] == [n for n, _ in t_bn.named_parameters()]
        assert [n for n, _ in m_bn.named_buffers()] == [n for n, _ in t_bn.named_buffers()]

    def model(L: Any) -> Any:
        return L.nn.Sequential(L.nn.Linear(2, 3), L.nn.BatchNorm1d(3), L.nn.Dropout(0.1))

    assert repr(model(minigrad)) == repr(model(torch))


def test_batch_norm_state_dict_round_trip() -> None:
    source = minigrad.nn.BatchNorm1d(3)
    for step in range(2):
        source(minigrad.tensor(_batch((5, 3), seed=step)))
    target = minigrad.nn.BatchNorm1d(3)
    target.load_state_dict(source.state_dict())
    for name, value in source.state_dict().items():
        assert minigrad.equal(target.state_dict()[name], value)
    assert target.num_batches_tracked.item() == 2
    t_target = torch.nn.BatchNorm1d(3)
    t_target.load_state_dict(
        {k: torch.from_numpy(v.numpy()) for k, v in source.state_dict().items()}
    )
    t_target.eval()
    target.eval()
    x = _batch((4, 3), seed=5)
    assert_same(target(minigrad.tensor(x)), t_target(torch.from_numpy(x)))


def test_batch_norm_under_no_grad_still_tracks() -> None:
    def run(L: Any) -> Any:
        bn = L.nn.BatchNorm1d(2)
        with L.no_grad():
            y = bn(L.tensor(_batch((4, 2))))
        return y, bn.running_mean, bn.running_var, bn.num_batches_tracked

    for m, t in zip(run(minigrad), run(torch)):
        assert_same(m, t)


@pytest.mark.parametrize(
    "call",
    [
        lambda L, bn: bn(L.ones(3)),
        lambda L, bn: bn(L.ones(2, 3, 4, 5)),
        lambda L, bn: bn(L.ones(1, 3)),
        lambda L, bn: bn(L.ones(1, 3, 1)),
        lambda L, bn: bn(L.ones(2, 4)),
        lambda L, bn: L.nn.functional.batch_norm(L.ones(2, 3), None, None),
        lambda L, bn: L.nn.functional.batch_norm(L.ones(2, 3), None, None, training=True, eps=0),
        lambda L, bn: L.nn.functional.batch_norm(L.ones(2, 3), L.zeros(3), L.ones(3), eps=-1.0),
    ],
)
def test_batch_norm_refuses_what_torch_refuses(call: Callable[[Any, Any], Any]) -> None:
    m_bn, t_bn = minigrad.nn.BatchNorm1d(3), torch.nn.BatchNorm1d(3)
    assert_same_error(lambda: call(minigrad, m_bn), lambda: call(torch, t_bn))
    # The layer is left as it was (torch counts the refused batch in num_batches_tracked).
    assert m_bn.num_batches_tracked.item() == 0
    assert m_bn.running_mean.tolist() == [0.0, 0.0, 0.0]


def test_batch_norm_allows_one_sample_with_several_positions_and_in_eval() -> None:
    def run(L: Any) -> Any:
        bn = L.nn.BatchNorm1d(3)
        out = [bn(L.tensor(_batch((1, 3, 2))))]
        bn.eval()
        out.append(bn(L.tensor(_batch((1, 3)))))
        return [*out, bn.running_mean, bn.running_var]

    for m, t in zip(run(minigrad), run(torch)):
        assert_same(m, t)


@pytest.mark.parametrize("name", ["batch_norm_train", "batch_norm_train_3d", "batch_norm_eval"])
def test_batch_norm_second_derivatives_match_torch(name: str) -> None:
    # (The values only: torch marks its bias gradient as requiring grad under create_graph,
    # although it does not depend on the inputs; minigrad's does not require grad.)
    _, fn, specs = BY_NAME[name]
    ms, ts = make_inputs(specs, "float64", seed=3)
    v = upstream(tuple(fn(torch, *ts).shape), "float64", 4)
    rng = np.random.default_rng(5)
    u = [rng.standard_normal(tuple(t.shape)) for t in ts if t.requires_grad]
    m_grads, m_hvp = _hvp(minigrad, fn, ms, minigrad.tensor(v), [minigrad.tensor(a) for a in u])
    t_grads, t_hvp = _hvp(torch, fn, ts, torch.from_numpy(v), [torch.from_numpy(a) for a in u])
    for m, t in zip(m_grads, t_grads):
        np.testing.assert_allclose(m.detach().numpy(), t.detach().numpy(), rtol=1e-10, atol=1e-12)
    assert len(m_hvp) == len(t_hvp)
    for m, t in zip(m_hvp, t_hvp):
        if t is None:  # no second derivative (the bias's)
            assert m is None or not np.any(m.numpy())
            continue
        t_values = torch.zeros_like(t).add(t).numpy()
        m_values = np.zeros(t_values.shape) if m is None else m.detach().numpy()
        np.testing.assert_allclose(m_values, t_values, rtol=1e-9, atol=1e-11)


def test_a_model_with_batch_norm_trains_as_with_torch() -> None:
    rng = np.random.default_rng(0)
    x = rng.standard_normal((8, 4)).astype(np.float32)
    y = rng.integers(0, 2, 8)

    def train(L: Any) -> Any:
        model = L.nn.Sequential(
            L.nn.Linear(4, 5), L.nn.BatchNorm1d(5), L.nn.ReLU(), L.nn.Linear(5, 2)
        )
        return model

    m_model, t_model = train(minigrad), train(torch)
    _copy_parameters(m_model, t_model)
    m_opt = minigrad.optim.SGD(m_model.parameters(), lr=0.1, momentum=0.9)
    t_opt = torch.optim.SGD(t_model.parameters(), lr=0.1, momentum=0.9)
    for _ in range(5):
        for L, model, opt in ((minigrad, m_model, m_opt), (torch, t_model, t_opt)):
            opt.zero_grad()
            L.nn.functional.cross_entropy(model(L.tensor(x)), L.tensor(y)).backward()
            opt.step()
    m_model.eval()
    t_model.eval()
    assert_same(m_model(minigrad.tensor(x)), t_model(torch.tensor(x)), rtol=1e-4, atol=1e-5)
    for key, value in t_model.state_dict().items():
        assert_same(m_model.state_dict()[key], value, rtol=1e-4, atol=1e-5)


# -- dropout -----------------------------------------------------------------------------------


def test_dropout_prints_as_torch() -> None:
    for args in [(), (0.2,), (0.0,), (1.0,)]:
        assert repr(minigrad.nn.Dropout(*args)) == repr(torch.nn.Dropout(*args))
    assert repr(minigrad.nn.Dropout(0.3, inplace=True)) == repr(torch.nn.Dropout(0.3, True))
    assert minigrad.nn.Dropout(0.3).state_dict() == {} == torch.nn.Dropout(0.3).state_dict()


@pytest.mark.parametrize("p", [1.5, -0.1, "a"])
def test_dropout_refuses_bad_probabilities_as_torch(p: Any) -> None:
    assert_same_error(lambda: minigrad.nn.Dropout(p), lambda: torch.nn.Dropout(p))
    m, t = pair(np.ones(3, np.float32))
    assert_same_error(
        lambda: minigrad.nn.functional.dropout(m, p), lambda: torch.nn.functional.dropout(t, p)
    )


@pytest.mark.parametrize(
    "call",
    [
        lambda L, x: L.nn.functional.dropout(x, 0.5, training=False),
        lambda L, x: L.nn.functional.dropout(x, 0.0),
        lambda L, x: L.nn.Dropout(0.7).eval()(x),
        lambda L, x: L.nn.functional.dropout(x[:0], 0.5),
    ],
)
def test_dropout_that_changes_nothing_returns_the_input(call: Callable[[Any, Any], Any]) -> None:
    m, t = pair(_batch((3, 4)), requires_grad=True)
    m_out, t_out = call(minigrad, m), call(torch, t)
    assert_same(m_out, t_out)
    assert (m_out is m) == (t_out is t)


def test_dropout_with_p_1_zeroes_everything_as_torch() -> None:
    m, t = pair(_batch((3, 4)), requires_grad=True)
    m_out, t_out = minigrad.nn.functional.dropout(m, 1.0), torch.nn.functional.dropout(t, 1.0)
    assert_same(m_out, t_out)
    assert repr(m_out) == repr(t_out)
    backward_both(m_out, t_out)
    assert_same(m.grad, t.grad)


@pytest.mark.parametrize("p", [0.1, 0.5, 0.8])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_dropout_statistics_scaling_and_gradient(p: float, dtype: str) -> None:
    minigrad.manual_seed(0)
    m, t = pair(_batch((200, 100), dtype), requires_grad=True)
    m_out, t_out = minigrad.nn.Dropout(p)(m), torch.nn.Dropout(p)(t)
    # The same kind of result as torch's (dtype, shape, grad_fn), not the same mask.
    assert str(m_out.dtype) == str(t_out.dtype) and m_out.shape == t_out.shape
    assert type(m_out.grad_fn).__name__ == type(t_out.grad_fn).__name__ == "MulBackward0"
    x, y = m.detach().numpy(), m_out.detach().numpy()
    kept = y != 0
    # Kept elements are scaled by exactly 1 / (1 - p) (as torch computes it), dropped are 0.
    scale = np.asarray(1 / (1 - p)).astype(dtype)
    np.testing.assert_array_equal(y[kept], x[kept] * scale)
    # The share dropped is p, to within 5 standard deviations of a binomial count.
    n = x.size
    assert abs((~kept).sum() - p * n) < 5 * np.sqrt(n * p * (1 - p))
    # The gradient is the mask: zero where dropped, 1 / (1 - p) where kept.
    m_out.sum().backward()
    g = m.grad.numpy()
    np.testing.assert_array_equal(g[~kept], 0)
    np.testing.assert_array_equal(g[kept], scale)
    # The expected value is kept: the mean of dropout(ones) is near 1.
    ones = minigrad.nn.functional.dropout(minigrad.ones(100_000, dtype=m.dtype), p)
    assert abs(ones.mean().item() - 1) < 5 * np.sqrt(p / (1 - p) / 100_000)


def test_dropout_is_repeatable_with_the_seed_and_new_each_call() -> None:
    minigrad.manual_seed(3)
    a = minigrad.nn.functional.dropout(minigrad.ones(50))
    b = minigrad.nn.functional.dropout(minigrad.ones(50))
    minigrad.manual_seed(3)
    again = minigrad.nn.functional.dropout(minigrad.ones(50))
    assert minigrad.equal(a, again)
    assert not minigrad.equal(a, b)


def test_dropout_in_place() -> None:
    minigrad.manual_seed(1)
    m = minigrad.tensor(_batch((10, 10)))
    before = m.numpy().copy()
    out = minigrad.nn.Dropout(0.5, inplace=True)(m)
    assert out is m and m._version == 1
    kept = m.numpy() != 0
    np.testing.assert_array_equal(m.numpy()[kept], before[kept] * np.float32(2))
    t = torch.tensor(_batch((10, 10)))
    assert torch.nn.Dropout(0.5, inplace=True)(t) is t and t._version == 1


def test_dropout_train_and_eval_modes_switch_as_torch() -> None:
    def run(L: Any) -> list[bool]:
        model = L.nn.Sequential(L.nn.Linear(3, 3), L.nn.Dropout(0.5))
        facts = [model[1].training]
        model.eval()
        x = L.ones(2, 3)
        facts += [model[1].training, L.equal(model(x), model[0](x))]
        model.train()
        return facts + [model[1].training]

    assert run(minigrad) == run(torch)
