"""minigrad's tensor printing against PyTorch's own ``repr`` (the oracle).

Every check builds a torch tensor and the same NumPy array, then compares
``format_tensor(array, dtype, tail)`` with ``repr(torch_tensor)`` character for character.
"""

import doctest

import numpy as np
import pytest
import torch

from minigrad import _dtype, _printing
from minigrad._printing import format_tensor

DTYPES = [_dtype.float32, _dtype.float64, _dtype.int64, _dtype.bool]


@pytest.fixture(autouse=True)
def _reset_printoptions():
    """Every test starts and ends with the default options, in both libraries."""
    torch.set_printoptions(profile="default")
    _printing.set_printoptions(profile="default")
    yield
    torch.set_printoptions(profile="default")
    _printing.set_printoptions(profile="default")


def _set_both(**options):
    torch.set_printoptions(**options)
    _printing.set_printoptions(**options)


def _torch_tensor(array, dtype, autograd):
    """The torch tensor holding ``array``; ``autograd`` is None, "leaf" or "op"."""
    t = torch.from_numpy(np.array(array, copy=True)).to(getattr(torch, dtype.name))
    if autograd is not None:
        t.requires_grad_(True)
        if autograd == "op":
            t = t * 1  # keeps every value, -0.0 and nan included; grad_fn=<MulBackward0>
    return t


def _tail(t):
    """The autograd suffix minigrad's Tensor will pass, read from the torch tensor."""
    if t.grad_fn is not None:
        return f"grad_fn=<{type(t.grad_fn).__name__}>"
    if t.requires_grad:
        return "requires_grad=True"
    return None


def _compare(array, dtype, autograd=None, context=""):
    array = np.asarray(array, dtype=dtype.numpy)
    t = _torch_tensor(array, dtype, autograd)
    expected = repr(t)
    assert str(t) == expected
    got = format_tensor(array, dtype, _tail(t))
    assert got == expected, (
        f"{context} shape={array.shape} dtype={dtype} options={_printing.get_printoptions()}\n"
        f"--- minigrad:\n{got}\n--- torch:\n{expected}\n--- array: {array.tolist()!r:.2000}"
    )


# ---------------------------------------------------------------- random tensors


def _random_shape(rng):
    ndim = int(rng.integers(0, 5))
    kind = rng.random()
    if kind < 0.12 and ndim > 0:  # large enough to be summarized (> 1000 elements)
        low, high = {1: (1001, 3000), 2: (33, 80), 3: (11, 20), 4: (6, 10)}[ndim]
        shape = [int(rng.integers(low, high)) for _ in range(ndim)]
        shape[int(rng.integers(ndim))] = int(rng.integers(1, 3)) if ndim > 1 else shape[0]
        while np.prod(shape) <= 1000:
            shape[int(rng.integers(ndim))] += 5
        return tuple(shape)
    if kind < 0.22 and ndim > 0:  # an empty tensor
        shape = [int(rng.integers(0, 4)) for _ in range(ndim)]
        shape[int(rng.integers(ndim))] = 0
        return tuple(shape)
    limit = {0: 1, 1: 30, 2: 12, 3: 6, 4: 4}[ndim]
    return tuple(int(rng.integers(1, limit + 1)) for _ in range(ndim))


def _random_values(rng, shape, dtype):
    size = int(np.prod(shape))
    if dtype is _dtype.bool:
        return rng.random(size).reshape(shape) < rng.random()
    if dtype is _dtype.int64:
        scale = 10 ** int(rng.integers(0, 19))
        return rng.integers(-scale, scale, size=size, endpoint=True).reshape(shape)

    style = rng.integers(5)
    if style == 0:  # whole numbers (printed as "4.")
        scale = 10.0 ** int(rng.integers(0, 13))
        values = np.round(rng.uniform(-scale, scale, size))
    elif style == 1:  # one magnitude, random signs
        values = rng.uniform(-1, 1, size) * 10.0 ** rng.uniform(-10, 12)
    elif style == 2:  # a spread of magnitudes between 1e-10 and 1e12
        low, high = np.sort(rng.uniform(-10, 12, 2))
        values = 10.0 ** rng.uniform(low, high, size) * rng.choice([-1.0, 1.0], size)
    elif style == 3:  # near the switching points 1e-4, 1e8 and ratio 1000
        centre = rng.choice([1e-4, 1e8, 1.0, 1000.0, 9.99995, 0.99995])
        values = centre * (1 + rng.normal(0, 1e-5, size)) * rng.choice([-1.0, 1.0], size)
        values[rng.random(size) < 0.3] = rng.choice([1.0, 1000.0, 1e-4, 1e8])
    else:  # small numbers with a few decimals, some whole
        values = np.round(rng.normal(0, 10, size), int(rng.integers(0, 6)))
    specials = np.array([np.nan, np.inf, -np.inf, 0.0, -0.0, 1.0, 3.0])
    mask = rng.random(size) < rng.choice([0.0, 0.05, 0.3, 1.0])
    values[mask] = rng.choice(specials, int(mask.sum()))
    return values.reshape(shape)


def _random_case(rng):
    dtype = DTYPES[int(rng.integers(len(DTYPES)))]
    shape = _random_shape(rng)
    array = np.asarray(_random_values(rng, shape, dtype), dtype=dtype.numpy)
    autograd = None
    if dtype.is_floating_point:
        autograd = [None, "leaf", "op"][int(rng.integers(3))]
    return array, dtype, autograd


@pytest.mark.parametrize("seed", range(40))
def test_random_tensors_match_torch(seed):
    rng = np.random.default_rng(seed)
    for i in range(100):
        array, dtype, autograd = _random_case(rng)
        _compare(array, dtype, autograd, context=f"seed={seed} case={i}")


OPTION_VARIANTS = [
    {"precision": 2},
    {"precision": 0},
    {"precision": 7},
    {"sci_mode": False},
    {"sci_mode": True},
    {"linewidth": 40},
    {"linewidth": 120},
    {"linewidth": 10},
    {"threshold": 5},
    {"threshold": 0},
    {"threshold": 5, "edgeitems": 1},
    {"threshold": 5, "edgeitems": 0},
    {"edgeitems": 0},
    {"profile": "full"},
    {"profile": "short"},
    {"profile": "short", "sci_mode": True},
    {"profile": "full", "precision": 2, "linewidth": 50},
    {"precision": 3, "sci_mode": False, "linewidth": 60, "threshold": 20, "edgeitems": 2},
]


@pytest.mark.parametrize("options", OPTION_VARIANTS, ids=str)
def test_random_tensors_with_printoptions_match_torch(options):
    _set_both(**options)
    assert _printing.get_printoptions() == torch._tensor_str.get_printoptions()
    rng = np.random.default_rng(1000 + OPTION_VARIANTS.index(options))
    for i in range(60):
        array, dtype, autograd = _random_case(rng)
        _compare(array, dtype, autograd, context=f"options={options} case={i}")


# ---------------------------------------------------------------- hand-picked cases

F32, F64, I64, B = _dtype.float32, _dtype.float64, _dtype.int64, _dtype.bool
nan, inf = float("nan"), float("inf")

EDGE_CASES = [
    # 0-d tensors
    (3.0, F32),
    (-0.0, F32),
    (0.0, F64),
    (nan, F32),
    (-inf, F64),
    (1e-10, F32),
    (1e12, F32),
    (2.5, F64),
    (5, I64),
    (True, B),
    # empty tensors and their suffixes
    ([], F32),
    ([], F64),
    ([], I64),
    ([], B),
    (np.zeros((0, 3)), F32),
    (np.zeros((2, 0, 3)), F64),
    (np.zeros((0, 0, 0, 0)), I64),
    (np.zeros((1, 0)), B),
    # whole-number floats, zeros, nan, inf, negative zero
    ([4.0], F32),
    ([1.0, 2.0, 3.0], F32),
    ([-0.0, 0.0], F32),
    ([-0.0, 1.5], F32),
    ([nan, 1.0], F32),
    ([nan, inf, -inf], F32),
    ([nan, 0.5, -inf], F64),
    ([0.0, 0.0], F64),
    ([16777217.0, 1.0], F64),
    ([16777217.0, 1.0], F32),
    # scientific notation switching
    ([1.0, 1000.0], F32),
    ([1.0, 1000.5], F32),
    ([1.0, 1001.0], F32),
    ([1e8, 2.0e5], F64),
    ([1e8 + 1, 2.0e5], F64),
    ([1e-4, 0.05], F64),
    ([1e-4, 0.05], F32),  # float32(1e-4) is just below 1e-4
    ([9.99996, 1.0], F32),  # rounds to 10.0000: the width grows
    ([-9.99996, 0.001], F64),
    ([1e-10, 1e12, -3.0], F64),
    ([123456.789, 0.5], F32),
    # integers and booleans
    ([2**62, -(2**62), 0], I64),
    ([-1, 10, 100], I64),
    ([[True, False], [False, True]], B),
    # wrapping at the line width and the indentation of nested rows
    (np.arange(100, dtype=np.float64) / 7, F32),
    (np.arange(60).reshape(2, 30), I64),
    (np.linspace(-1e5, 1e5, 150).reshape(5, 30), F64),
    (np.arange(24).reshape(2, 3, 4) - 11.5, F32),
    (np.arange(120).reshape(2, 3, 4, 5) * 1e-7, F32),
    # summarization past 1000 elements
    (np.arange(1001), I64),
    (np.arange(1001, dtype=np.float64) / 3, F32),
    (np.arange(2000).reshape(40, 50), F64),
    (np.arange(1210).reshape(10, 11, 11) * 0.25, F32),
    (np.arange(2401).reshape(7, 7, 7, 7) % 2 == 0, B),
    (np.arange(1000), I64),  # exactly the threshold: not summarized
    # suffixes near the end of a line
    (np.full(6, 1.23456789), F64),
    (np.full(7, 1.23456789), F64),
    (np.full(5, -1.23456789e-6), F64),
    (np.array([[1.5, 2.5], [3.5, 4.5]]), F64),
]


@pytest.mark.parametrize("autograd", [None, "leaf", "op"])
@pytest.mark.parametrize("case", range(len(EDGE_CASES)))
def test_edge_cases_match_torch(case, autograd):
    value, dtype = EDGE_CASES[case]
    if autograd is not None and not dtype.is_floating_point:
        autograd = None  # only floating-point tensors can require grad
    _compare(value, dtype, autograd, context=f"edge case {case}")


def test_suffix_wraps_exactly_at_line_width():
    """Vectors of float64 whose last line ends at every column near the width."""
    for length in range(1, 12):
        for digits in range(1, 8):
            array = np.full(length, 10.0**digits + 0.5)
            for autograd in (None, "leaf", "op"):
                _compare(array, F64, autograd, context=f"length={length} digits={digits}")


@pytest.mark.parametrize("options", OPTION_VARIANTS, ids=str)
def test_edge_cases_with_printoptions_match_torch(options):
    _set_both(**options)
    for case, (value, dtype) in enumerate(EDGE_CASES):
        autograd = "op" if dtype.is_floating_point else None
        _compare(value, dtype, autograd, context=f"options={options} edge case {case}")


# ---------------------------------------------------------------- the options API


def test_get_printoptions_matches_torch_after_each_call():
    calls = [
        {},
        {"precision": 2},
        {"threshold": 5, "sci_mode": True},
        {"edgeitems": 1},  # sci_mode falls back to None when not given
        {"profile": "short"},
        {"profile": "full", "linewidth": 100},
        {"profile": "default"},
    ]
    for options in calls:
        _set_both(**options)
        assert _printing.get_printoptions() == torch._tensor_str.get_printoptions(), options


def test_printoptions_context_manager_restores_options():
    _set_both(precision=3)
    with (
        _printing.printoptions(precision=6, sci_mode=True),
        torch._tensor_str.printoptions(precision=6, sci_mode=True),
    ):
        assert _printing.get_printoptions() == torch._tensor_str.get_printoptions()
        _compare([1.0, 2.5], F32)
    assert _printing.get_printoptions() == torch._tensor_str.get_printoptions()
    assert _printing.get_printoptions()["precision"] == 3
    _compare([1.0, 2.5], F32)


def test_docstring_examples_run():
    result = doctest.testmod(_printing)
    assert result.attempted > 0
    assert result.failed == 0
