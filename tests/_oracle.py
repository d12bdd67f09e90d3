"""Helpers shared by the tests that compare minigrad with PyTorch (the oracle).

A test builds the same inputs in both libraries (``pair``), runs the same code with each
library passed in as ``L`` (``L`` is ``minigrad`` or ``torch``: the APIs are the same), and
compares the results with ``assert_same``: values, dtype, shape, ``requires_grad`` and the
name of ``grad_fn``; ``assert_same_graph`` compares whole backward graphs, node by node.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import torch

import minigrad

LIBS = (minigrad, torch)

# The tensors here are tiny: torch's thread pool only adds overhead (up to 100x on a busy
# machine with 2 cores).
torch.set_num_threads(1)

# float32 results agree to rounding; float64 ones to many more digits.
TOLERANCES = {"float32": (2e-5, 1e-6), "float64": (1e-11, 1e-13)}


def dtype_name(t: Any) -> str:
    """'float32' for both torch.float32 and minigrad.float32."""
    return str(t.dtype).removeprefix("torch.")


def to_torch(t: minigrad.Tensor, requires_grad: bool | None = None) -> torch.Tensor:
    """A torch leaf with the same values and dtype as a minigrad tensor (a copy)."""
    array = np.array(t.detach().numpy(), copy=True)
    out = torch.from_numpy(array)
    flag = t.requires_grad if requires_grad is None else requires_grad
    return out.requires_grad_(flag) if flag else out


def to_minigrad(t: torch.Tensor) -> minigrad.Tensor:
    """A minigrad leaf with the same values and dtype as a torch tensor (a copy)."""
    out = minigrad.tensor(t.detach().numpy().copy())
    return out.requires_grad_(True) if t.requires_grad else out


def pair(array: Any, requires_grad: bool = False) -> tuple[minigrad.Tensor, torch.Tensor]:
    """The same NumPy array as a minigrad leaf and a torch leaf (separate copies)."""
    array = np.asarray(array)
    m = minigrad.tensor(np.array(array, copy=True), requires_grad=requires_grad)
    t = torch.from_numpy(np.array(array, copy=True)).requires_grad_(requires_grad)
    return m, t


def grad_fn_name(t: Any) -> str | None:
    return None if t.grad_fn is None else type(t.grad_fn).__name__


def assert_values(m: Any, t: Any, rtol: float | None = None, atol: float | None = None) -> None:
    """Values, shape and dtype of a minigrad tensor equal those of a torch tensor."""
    assert isinstance(m, minigrad.Tensor), f"expected a minigrad Tensor, got {type(m)}"
    assert isinstance(t, torch.Tensor), f"expected a torch Tensor, got {type(t)}"
    assert dtype_name(m) == dtype_name(t), f"dtype {dtype_name(m)} != torch's {dtype_name(t)}"
    assert tuple(m.shape) == tuple(t.shape), f"shape {tuple(m.shape)} != torch's {tuple(t.shape)}"
    default_rtol, default_atol = TOLERANCES.get(dtype_name(t), (0, 0))
    np.testing.assert_allclose(
        m.detach().numpy(),
        t.detach().numpy(),
        rtol=default_rtol if rtol is None else rtol,
        atol=default_atol if atol is None else atol,
        equal_nan=True,
    )


def assert_same(m: Any, t: Any, rtol: float | None = None, atol: float | None = None) -> None:
    """A minigrad tensor agrees with a torch one: values, dtype, shape, requires_grad, grad_fn."""
    assert_values(m, t, rtol, atol)
    assert m.requires_grad == t.requires_grad, (
        f"requires_grad {m.requires_grad} != torch's {t.requires_grad}"
    )
    assert m.is_leaf == t.is_leaf, f"is_leaf {m.is_leaf} != torch's {t.is_leaf}"
    assert grad_fn_name(m) == grad_fn_name(t), (
        f"grad_fn {grad_fn_name(m)} != torch's {grad_fn_name(t)}"
    )


def assert_same_outputs(
    m: Any, t: Any, rtol: float | None = None, atol: float | None = None
) -> None:
    """Like assert_same, for a tensor or a (nested) tuple of tensors and plain values."""
    if isinstance(t, torch.Tensor):
        assert_same(m, t, rtol, atol)
    elif isinstance(t, (tuple, list)):
        assert isinstance(m, (tuple, list)), f"expected a sequence, got {type(m)}"
        assert len(m) == len(t), f"{len(m)} outputs != torch's {len(t)}"
        for mi, ti in zip(m, t):
            assert_same_outputs(mi, ti, rtol, atol)
    elif isinstance(t, torch.Size):
        assert isinstance(m, minigrad.Size), f"expected a minigrad Size, got {type(m)}"
        assert tuple(m) == tuple(t) and repr(m) == repr(t), f"{m!r} != torch's {t!r}"
    elif isinstance(t, torch.dtype):
        assert isinstance(m, minigrad.dtype), f"expected a minigrad dtype, got {type(m)}"
        assert repr(m) == repr(t), f"{m!r} != torch's {t!r}"
    elif isinstance(t, np.ndarray):
        assert isinstance(m, np.ndarray), f"expected an ndarray, got {type(m)}"
        assert m.dtype == t.dtype and m.shape == t.shape, f"{m!r} != torch's {t!r}"
        np.testing.assert_array_equal(m, t)
    else:
        assert type(m) is type(t), f"{type(m)} != torch's {type(t)}"
        if isinstance(t, float) and np.isnan(t):
            assert np.isnan(m), f"{m!r} != torch's {t!r}"
        else:
            assert m == t, f"{m!r} != torch's {t!r}"


def graph_layout(root: Any, leaves: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    """The backward graph from ``root`` as a list of (name, edges, leaf index) rows.

    Nodes are numbered in the order a walk along ``next_functions`` meets them, so two graphs
    with the same shape give the same rows. An edge is (node number or None, input index);
    an ``AccumulateGrad`` row names which of ``leaves`` its ``.variable`` is.
    """
    if root is None:
        return []
    numbers = {root: 0}
    order = [root]
    rows = []
    position = 0
    while position < len(order):
        node = order[position]
        position += 1
        edges = []
        for child, index in node.next_functions:
            if child is None:
                edges.append((None, index))
                continue
            if child not in numbers:
                numbers[child] = len(order)
                order.append(child)
            edges.append((numbers[child], index))
        leaf = None
        if hasattr(node, "variable"):
            leaf = next((i for i, t in enumerate(leaves) if t is node.variable), "other")
        rows.append((node.name(), type(node).__name__, tuple(edges), leaf))
    return rows


def assert_same_graph(
    m: Any, t: Any, m_leaves: Sequence[Any] = (), t_leaves: Sequence[Any] = ()
) -> None:
    """The backward graphs behind two outputs have the same nodes, names and edges."""
    mg = graph_layout(m.grad_fn, m_leaves)
    tg = graph_layout(t.grad_fn, t_leaves)
    assert mg == tg, "graph differs from torch's:\n" + _diff_rows(mg, tg)


def _diff_rows(mg: list[Any], tg: list[Any]) -> str:
    lines = []
    for i in range(max(len(mg), len(tg))):
        a = mg[i] if i < len(mg) else None
        b = tg[i] if i < len(tg) else None
        mark = "  " if a == b else "!!"
        lines.append(f"{mark} {i}: minigrad {a}\n{mark} {i}: torch    {b}")
    return "\n".join(lines)


def upstream(shape: Sequence[int], dtype: str, seed: int = 7) -> np.ndarray:
    """A random upstream gradient, the same for both libraries."""
    rng = np.random.default_rng(seed)
    return rng.standard_normal(tuple(shape)).astype(dtype)


def backward_both(m: Any, t: Any, seed: int = 7) -> None:
    """Backpropagate the same random upstream gradient through both outputs."""
    g = upstream(tuple(t.shape), dtype_name(t), seed)
    m.backward(minigrad.tensor(g))
    t.backward(torch.from_numpy(g))


def raised(fn: Callable[[], Any]) -> tuple[type, str] | None:
    """(type, message) of the exception fn raises, or None."""
    try:
        fn()
    except Exception as error:  # noqa: BLE001 - the point is to capture any error
        return type(error), str(error)
    return None


_TORCH_ONLY_CLASSES = {"TorchRuntimeError": RuntimeError}


def assert_same_error(m_fn: Callable[[], Any], t_fn: Callable[[], Any]) -> tuple[type, str]:
    """Both raise, with the same exception type and the same message."""
    m_err = raised(m_fn)
    t_err = raised(t_fn)
    assert t_err is not None, "torch did not raise: the case is wrong"
    assert m_err is not None, (
        f"minigrad did not raise; torch raised {t_err[0].__name__}: {t_err[1]}"
    )
    t_type = t_err[0]
    # torch raises its own subclasses of the builtin errors (torch.AcceleratorError, ...):
    # the builtin base is what user code catches and what minigrad raises.
    while t_type.__module__.startswith("torch") and t_type.__bases__:
        t_type = t_type.__bases__[0]
    assert m_err[0] is t_type, f"{m_err[0].__name__} != torch's {t_type.__name__}: {t_err[1]}"
    t_message = torch_words(t_err[1])
    assert m_err[1] == t_message, f"message differs:\n minigrad: {m_err[1]}\n torch:    {t_message}"
    return m_err


ADDRESS = re.compile(r"0x[0-9a-fA-F]+")
# What only makes sense inside PyTorch, which minigrad leaves out of the texts it keeps: the
# place in its C++ sources that issued a warning, advice for distributed training, the name of
# a sparse kernel.
_TORCH_INTERNALS = [
    (re.compile(r" ?\(Triggered internally at [^)]*\)"), ""),
    (re.compile(r" If you are using DistributedDataParallel \(DDP\).*as the solution\."), ""),
    (re.compile(r"^permute\(sparse_coo\):"), "permute():"),
]


def torch_words(text: str) -> str:
    """A message or warning of torch's, without what only makes sense inside PyTorch."""
    for pattern, replacement in _TORCH_INTERNALS:
        text = pattern.sub(replacement, text)
    return text


def sanitize(text: str) -> str:
    """Printed text with memory addresses replaced (they differ from run to run)."""
    return ADDRESS.sub("0x...", text)


# -- a table of cases: the same function run on both libraries --------------------------------


class In:
    """How to make one input: its shape, the kind of values, and whether it requires grad.

    kinds: "normal" (standard normal), "positive" (0.5 .. 2), "unit" (0.05 .. 0.95),
    "distinct" (no ties: a permutation of spaced values), "int" (-5 .. 5), "index" (0 .. high-1),
    "bool", "probs" (rows that sum to 1 along the last dim), "binary" (0. or 1.).
    Float kinds take the dtype the test runs with; "int"/"index" are int64, "bool" bool.
    """

    def __init__(self, *shape: int, kind: str = "normal", grad: bool = True, high: int = 3) -> None:
        self.shape = tuple(shape)
        self.kind = kind
        self.grad = grad and kind not in ("int", "index", "bool")
        self.high = high

    def __repr__(self) -> str:
        return f"In{self.shape}:{self.kind}{'*' if self.grad else ''}"

    def array(self, dtype: str, rng: np.random.Generator) -> np.ndarray:
        shape, kind = self.shape, self.kind
        if kind == "int":
            return rng.integers(-5, 6, shape).astype(np.int64)
        if kind == "index":
            return rng.integers(0, self.high, shape).astype(np.int64)
        if kind == "bool":
            return rng.random(shape) > 0.5
        if kind == "normal":
            values = rng.standard_normal(shape)
        elif kind == "positive":
            values = rng.uniform(0.5, 2.0, shape)
        elif kind == "unit":
            values = rng.uniform(0.05, 0.95, shape)
        elif kind == "binary":
            values = (rng.random(shape) > 0.5).astype(float)
        elif kind == "distinct":
            n = int(np.prod(shape))
            values = (rng.permutation(n) - n / 2).reshape(shape) * 0.37 + 0.1
        elif kind == "probs":
            e = rng.uniform(0.1, 1.0, shape)
            values = e / e.sum(axis=-1, keepdims=True)
        else:
            raise ValueError(kind)
        return np.asarray(values, dtype=dtype)


def make_inputs(specs: Sequence[In], dtype: str, seed: int = 0) -> tuple[list[Any], list[Any]]:
    """The inputs of a case in both libraries: (minigrad tensors, torch tensors)."""
    rng = np.random.default_rng(seed)
    ms, ts = [], []
    for spec in specs:
        m, t = pair(spec.array(dtype, rng), spec.grad)
        ms.append(m)
        ts.append(t)
    return ms, ts


def first_differentiable(out: Any) -> Any:
    """The output to backpropagate from: itself, or the first of a tuple that requires grad."""
    if isinstance(out, (tuple, list)):
        return next((o for o in out if getattr(o, "requires_grad", False)), None)
    return out if getattr(out, "requires_grad", False) else None


def check_case(
    fn: Callable[..., Any],
    specs: Sequence[In],
    dtype: str,
    seed: int = 0,
    rtol: float | None = None,
    atol: float | None = None,
) -> None:
    """Run fn on both libraries and compare outputs, graphs and gradients."""
    ms, ts = make_inputs(specs, dtype, seed)
    m_out = fn(minigrad, *ms)
    t_out = fn(torch, *ts)
    assert_same_outputs(m_out, t_out, rtol, atol)
    m_root, t_root = first_differentiable(m_out), first_differentiable(t_out)
    assert (m_root is None) == (t_root is None)
    if t_root is None:
        return
    assert_same_graph(m_root, t_root, ms, ts)
    g = upstream(tuple(t_root.shape), dtype_name(t_root))
    t_err = raised(lambda: t_root.backward(torch.from_numpy(g)))
    m_err = raised(lambda: m_root.backward(minigrad.tensor(g)))
    if t_err is not None:
        # Backward is refused (a saved tensor was modified in place, ...): the same error.
        assert m_err == t_err, f"backward: minigrad raised {m_err}, torch raised {t_err}"
        return
    assert m_err is None, f"minigrad's backward raised {m_err}"
    grad_rtol, grad_atol = TOLERANCES[dtype]
    for i, (m, t) in enumerate(zip(ms, ts)):
        if not t.requires_grad:
            continue
        if t.grad is None:
            assert m.grad is None, f"input {i}: torch has no grad, minigrad has {m.grad}"
            continue
        assert m.grad is not None, f"input {i}: minigrad has no grad"
        try:
            assert_values(
                m.grad,
                t.grad,
                rtol if rtol is not None else grad_rtol * 10,
                atol if atol is not None else grad_atol * 10,
            )
        except AssertionError as error:
            raise AssertionError(f"gradient of input {i}: {error}") from None
