"""Random expression graphs, run in minigrad and in torch (float64): every value and gradient agree.

A hypothesis strategy writes a small *program*: a pool of leaves with shapes that broadcast
together, then a sequence of operations, each reading values already in the pool (so
subexpressions are shared and leaves reused) and adding its result to the pool. Some
operations are detached or run under ``no_grad`` (islands the gradient must not cross), some
write in place into a fresh copy. The same program is interpreted with ``torch`` and with
``minigrad``; the test compares every value of the pool, its ``requires_grad`` and
``grad_fn`` name, and the gradient of every leaf.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import minigrad

# How many examples each property runs (the CI total is their sum: several thousand).
EXAMPLES = {"backward": 1500, "grad": 1000, "second_order": 500}

SETTINGS = {
    "derandomize": True,
    "deadline": None,
    "database": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
}

# --- the operations ------------------------------------------------------------------------
# Each takes the library, a sequence of operand values and an integer parameter, and returns
# the result. Growth is kept in check (exp of a tanh, log of x*x + 1, ...) so that long
# chains stay finite.

UNARY: dict[str, Callable[[Any, Any], Any]] = {
    "neg": lambda lib, a: -a,
    "sin": lambda lib, a: a.sin(),
    "cos": lambda lib, a: lib.cos(a),
    "tanh": lambda lib, a: a.tanh(),
    "sigmoid": lambda lib, a: a.sigmoid(),
    "relu": lambda lib, a: a.relu(),
    "abs": lambda lib, a: a.abs(),
    "square": lambda lib, a: a**2,
    "cube": lambda lib, a: a.pow(3),
    "exp": lambda lib, a: (a.tanh() * 2).exp(),
    "log": lambda lib, a: (a * a + 1).log(),
    "sqrt": lambda lib, a: (a * a + 0.25).sqrt(),
    "reciprocal": lambda lib, a: 1 / (a * a + 0.5),
    "clamp": lambda lib, a: a.clamp(-0.7, 0.9),
    "clone": lambda lib, a: a.clone(),
    "scalar_ops": lambda lib, a: (2.5 - a) * 0.5 + 1,
}

BINARY: dict[str, Callable[[Any, Any, Any], Any]] = {
    "add": lambda lib, a, b: a + b,
    "sub": lambda lib, a, b: a - b,
    "mul": lambda lib, a, b: a * b,
    "div": lambda lib, a, b: a / (b * b + 0.5),
    "pow": lambda lib, a, b: (a * a + 0.5) ** b.tanh(),
    "maximum": lambda lib, a, b: lib.maximum(a, b),
    "minimum": lambda lib, a, b: lib.minimum(a, b),
    "add_alpha": lambda lib, a, b: lib.add(a, b, alpha=-0.5),
    "stack_sum": lambda lib, a, b: _stack_sum(lib, a, b),
}


def _stack_sum(lib: Any, a: Any, b: Any) -> Any:
    shape = lib.broadcast_shapes(a.shape, b.shape)
    return lib.stack([a.expand(shape), b.expand(shape)]).sum(0)


def _where(lib: Any, c: Any, a: Any, b: Any) -> Any:
    return lib.where(c > 0, a, b)


# Operations on one operand whose result shape depends on a parameter `k` (a dim, ...).
def _reduce(name: str) -> Callable[[Any, Any, int], Any]:
    def op(lib: Any, a: Any, k: int) -> Any:
        if name in ("softmax", "log_softmax"):
            return getattr(a, name)(k % max(a.dim(), 1) - (k % 2) * max(a.dim(), 1))
        if a.dim() == 0:
            return getattr(a, name)()
        dim = k % a.dim() - a.dim() if k % 2 else k % a.dim()
        return getattr(a, name)(dim, keepdim=True)

    return op


SHAPED: dict[str, Callable[[Any, Any, int], Any]] = {
    "sum_dim": _reduce("sum"),
    "mean_dim": _reduce("mean"),
    "amax_dim": _reduce("amax"),
    "softmax": _reduce("softmax"),
    "log_softmax": _reduce("log_softmax"),
    "sum_all": lambda lib, a, k: a.sum(),
    "mean_all": lambda lib, a, k: a.mean(),
    "unsqueeze": lambda lib, a, k: a.unsqueeze(0),
    "select_first": lambda lib, a, k: a[0] if a.dim() else a,
    "slice_last": lambda lib, a, k: a[..., :1] if a.dim() else a,
    "expand_full": lambda lib, a, k: a,  # replaced below: needs the family's shape
    "norm": lambda lib, a, k: (a * a + 0.1).norm(),
}


# Views. torch gives a view made under no_grad of a tensor that requires grad
# `requires_grad=True` (with no grad_fn): a quirk tested on its own in test_engine_semantics,
# so views are never put in a no_grad island here.
VIEWS = {"unsqueeze", "select_first", "slice_last", "expand_full"}


def _shape_after(name: str, shape: tuple[int, ...], k: int) -> tuple[int, ...]:
    """The result shape of a SHAPED operation (mirrors the functions above)."""
    if name in ("sum_all", "mean_all", "norm"):
        return ()
    if name == "unsqueeze":
        return (1, *shape)
    if name == "select_first":
        return shape[1:]
    if name == "slice_last":
        return (*shape[:-1], 1) if shape else ()
    if name in ("softmax", "log_softmax") or not shape:
        return shape
    dim = k % len(shape)
    return tuple(1 if i == dim else n for i, n in enumerate(shape))


# --- the strategy --------------------------------------------------------------------------


def _fits(shape: tuple[int, ...], family: tuple[int, ...]) -> bool:
    """Every pool shape is the family's shape with some dims set to 1 (and extra leading 1s),
    so any two pool values broadcast together."""
    if len(shape) > 4:
        return False
    extra = len(shape) - len(family)
    if extra > 0 and any(n != 1 for n in shape[:extra]):
        return False
    return all(n in (1, f) for n, f in zip(reversed(shape), reversed(family)))


# Operation kinds, weighted by repetition.
KINDS = ["unary"] * 4 + ["binary"] * 3 + ["shaped"] * 2 + ["where", "matmul", "inplace"]


@st.composite
def programs(draw: Any, max_ops: int = 8) -> dict[str, Any]:
    family = tuple(draw(st.lists(st.integers(1, 4), min_size=0, max_size=3)))
    n_leaves = draw(st.integers(1, 4))
    leaves = []
    for _ in range(n_leaves):
        rank = draw(st.integers(0, len(family)))
        tail = family[len(family) - rank :]
        shape = tuple(n if draw(st.booleans()) else 1 for n in tail)
        leaves.append({"shape": shape, "requires_grad": draw(st.booleans()) or not leaves})
    shapes = [leaf["shape"] for leaf in leaves]
    ops = []
    for _ in range(draw(st.integers(2, max_ops))):
        k = 0
        pick = st.integers(0, len(shapes) - 1)
        kind = draw(st.sampled_from(KINDS))
        island = draw(st.sampled_from(["", "", "", "", "", "", "detach", "no_grad"]))
        if kind == "unary":
            name, args = draw(st.sampled_from(sorted(UNARY))), [draw(pick)]
            shape = shapes[args[0]]
        elif kind == "binary":
            name, args = draw(st.sampled_from(sorted(BINARY))), [draw(pick), draw(pick)]
            shape = np.broadcast_shapes(shapes[args[0]], shapes[args[1]])
        elif kind == "where":
            name, args = "where", [draw(pick), draw(pick), draw(pick)]
            shape = np.broadcast_shapes(*(shapes[i] for i in args))
        elif kind == "matmul":
            # a @ M with a new square leaf M: keeps a's shape (a must have a dim).
            name, args = "matmul", [draw(pick)]
            shape = shapes[args[0]]
            if not shape:
                continue
        elif kind == "inplace":
            # A fresh copy of a, then copy.add_(b) for a b that broadcasts into it, then mul_.
            name, args = "inplace", [draw(pick), draw(pick)]
            shape = shapes[args[0]]
            if np.broadcast_shapes(shape, shapes[args[1]]) != shape:
                continue
        else:
            name = draw(st.sampled_from(sorted(SHAPED)))
            args = [draw(pick)]
            k = draw(st.integers(0, 7))
            if name == "expand_full":
                shape = np.broadcast_shapes(shapes[args[0]], family)
            else:
                shape = _shape_after(name, shapes[args[0]], k)
        if not _fits(tuple(shape), family):
            continue
        if island == "no_grad" and name in VIEWS:
            island = ""
        ops.append({"kind": kind, "name": name, "args": args, "k": k, "island": island})
        shapes.append(tuple(shape))
    return {
        "family": family,
        "leaves": leaves,
        "ops": ops,
        "seed": draw(st.integers(0, 2**32 - 1)),
    }


# --- the interpreter -----------------------------------------------------------------------


def _new_leaf(lib: Any, array: np.ndarray, requires_grad: bool) -> Any:
    return lib.tensor(array.tolist(), dtype=lib.float64, requires_grad=requires_grad)


def run(lib: Any, program: dict[str, Any]) -> tuple[list[Any], list[Any]]:
    """Build the program's graph with ``lib``: (every value of the pool, every leaf)."""
    rng = np.random.default_rng(program["seed"])
    leaves = [
        _new_leaf(lib, rng.uniform(-2, 2, leaf["shape"]), leaf["requires_grad"])
        for leaf in program["leaves"]
    ]
    pool = list(leaves)
    family = program["family"]
    for op in program["ops"]:
        args = [pool[i] for i in op["args"]]
        kind, name = op["kind"], op["name"]
        extra = rng.uniform(-1, 1, (args[0].shape[-1],) * 2) if kind == "matmul" else None

        def compute(
            kind: str = kind,
            name: str = name,
            args: list[Any] = args,
            extra: Any = extra,
            k: int = op["k"],
        ) -> Any:
            if kind == "unary":
                return UNARY[name](lib, args[0])
            if kind == "binary":
                return BINARY[name](lib, args[0], args[1])
            if kind == "where":
                return _where(lib, *args)
            if kind == "matmul":
                matrix = _new_leaf(lib, extra, True)
                leaves.append(matrix)
                return args[0] @ matrix
            if kind == "inplace":
                out = args[0] * 1
                out.add_(args[1])
                out.mul_(-0.5)
                return out
            if name == "expand_full":
                return args[0].expand(lib.broadcast_shapes(args[0].shape, family))
            return SHAPED[name](lib, args[0], k)

        if op["island"] == "no_grad":
            with lib.no_grad():
                result = compute()
        else:
            result = compute()
            if op["island"] == "detach":
                result = result.detach()
        pool.append(result)
    return pool, leaves


def _seeded_grads(values: list[Any], seed: int) -> list[np.ndarray]:
    rng = np.random.default_rng(seed + 1)
    return [rng.uniform(-1, 1, tuple(v.shape)) for v in values]


def _array(t: Any) -> np.ndarray:
    if isinstance(t, torch.Tensor):
        # torch may answer with a lazy "zero tensor" (no storage) that tolist() refuses.
        t = torch.zeros_like(t).add(t.detach())
    return np.array(t.detach().tolist(), dtype=np.float64).reshape(tuple(t.shape))


def assert_close(mine: Any, theirs: Any, what: str) -> None:
    if theirs is None or mine is None:
        assert mine is None and theirs is None, what
        return
    assert tuple(mine.shape) == tuple(theirs.shape), what
    assert str(mine.dtype) == str(theirs.dtype), what
    np.testing.assert_allclose(_array(mine), _array(theirs), rtol=1e-9, atol=1e-11, err_msg=what)


def compare_pools(program: dict[str, Any], mine: list[Any], theirs: list[Any]) -> None:
    for i, (m, t) in enumerate(zip(mine, theirs, strict=True)):
        what = f"value {i} of {program}"
        assert_close(m, t, what)
        assert m.requires_grad == t.requires_grad, what
        assert m.is_leaf == t.is_leaf, what
        names = [None if x.grad_fn is None else x.grad_fn.name() for x in (m, t)]
        assert names[0] == names[1], what


def _outputs(pool: list[Any], n_leaves: int) -> list[Any]:
    return [v for v in pool[n_leaves:] if v.requires_grad]


# --- the properties ------------------------------------------------------------------------


@settings(max_examples=EXAMPLES["backward"], **SETTINGS)
@given(programs())
def test_values_and_backward_gradients_match_torch(program: dict[str, Any]) -> None:
    results = {}
    for lib in (torch, minigrad):
        pool, leaves = run(lib, program)
        outputs = _outputs(pool, len(program["leaves"]))
        if outputs:
            grads = [
                lib.tensor(g.tolist(), dtype=lib.float64)
                for g in _seeded_grads(outputs, program["seed"])
            ]
            lib.autograd.backward(outputs, grads)
        results[lib.__name__] = (pool, leaves)
    (mine, my_leaves), (theirs, their_leaves) = results["minigrad"], results["torch"]
    compare_pools(program, mine, theirs)
    for i, (m, t) in enumerate(zip(my_leaves, their_leaves, strict=True)):
        assert_close(m.grad, t.grad, f"grad of leaf {i} of {program}")


@settings(max_examples=EXAMPLES["grad"], **SETTINGS)
@given(programs())
def test_autograd_grad_of_every_leaf_matches_torch(program: dict[str, Any]) -> None:
    results = {}
    for lib in (torch, minigrad):
        pool, leaves = run(lib, program)
        outputs = _outputs(pool, len(program["leaves"]))
        wanted = [leaf for leaf in leaves if leaf.requires_grad]
        loss = sum((v * v).sum() for v in outputs) if outputs else None
        got = lib.autograd.grad(loss, wanted, allow_unused=True) if loss is not None else ()
        results[lib.__name__] = (got, [leaf.grad for leaf in leaves])
    (mine, my_fields), (theirs, their_fields) = results["minigrad"], results["torch"]
    assert len(mine) == len(theirs)
    for i, (m, t) in enumerate(zip(mine, theirs)):
        assert_close(m, t, f"grad {i} of {program}")
    # autograd.grad returns the gradients: no .grad field is touched.
    assert all(f is None for f in my_fields) and all(f is None for f in their_fields)


@settings(max_examples=EXAMPLES["second_order"], **SETTINGS)
@given(programs(max_ops=5))
def test_second_order_gradients_match_torch(program: dict[str, Any]) -> None:
    results = {}
    for lib in (torch, minigrad):
        pool, leaves = run(lib, program)
        outputs = _outputs(pool, len(program["leaves"]))
        wanted = [leaf for leaf in leaves if leaf.requires_grad]
        first: tuple[Any, ...] = ()
        if outputs:
            loss = sum(v.sum() for v in outputs)
            first = lib.autograd.grad(loss, wanted, create_graph=True, allow_unused=True)
            differentiable = [g for g in first if g is not None and g.requires_grad]
            if differentiable:
                sum((g * g).sum() for g in differentiable).backward()
        results[lib.__name__] = (first, [leaf.grad for leaf in leaves])
    (my_first, my_second), (their_first, their_second) = results["minigrad"], results["torch"]
    for i, (m, t) in enumerate(zip(my_first, their_first, strict=True)):
        assert_close(m, t, f"first-order grad {i} of {program}")
    # Where a first derivative is piecewise constant (relu, abs, clamp, max), torch still
    # records a graph for it and its second pass leaves zeros; minigrad records none and leaves
    # None. The values are the same: compare with None read as zeros.
    for i, (m, t) in enumerate(zip(my_second, their_second, strict=True)):
        if (m is None) != (t is None):
            present = t if m is None else m
            assert not _array(present).any(), f"second-order grad of leaf {i} of {program}"
        else:
            assert_close(m, t, f"second-order grad of leaf {i} of {program}")
