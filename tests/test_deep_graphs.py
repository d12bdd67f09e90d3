"""Deep graphs: nothing walks the graph by recursion, so depth is limited by memory only.

The 300,000-operation chain runs in a fresh interpreter: if tearing the graph down ever
recursed in C, the crash would take that process down (a clear test failure here) instead
of the test runner. Its gradients are compared with torch's on the same chain.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import weakref
from pathlib import Path
from typing import Any

import numpy as np
import torch

import minigrad

DEPTH = 300_000
TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent


def build_chain(lib: Any, depth: int) -> tuple[Any, Any, Any, Any]:
    """A chain of ``depth`` operations on two new leaves: (x, w, output, first node).

    The first node is returned through a weak reference (holding it keeps nothing alive),
    for minigrad only: torch's nodes take no weak references.
    """
    x = lib.tensor([0.3, -0.2, 0.1], dtype=lib.float64, requires_grad=True)
    w = lib.tensor([1.0, -1.0, 1.0], dtype=lib.float64, requires_grad=True)
    y = build_chain_from(x, w, depth)
    if lib is not minigrad:
        return x, w, y, None
    node = y.grad_fn
    while node.next_functions[0][0].next_functions:  # down the chain, without recursion
        node = node.next_functions[0][0]
    return x, w, y, weakref.ref(node)


def build_chain_from(x: Any, w: Any, depth: int) -> Any:
    """``depth`` operations on x and w, summed.

    A cycle of four operations, two of which save tensors for backward (mul saves both
    operands, sin its input); the sin every 64 steps keeps the values in range.
    """
    y = x * w
    for i in range(1, depth):
        step = i % 4
        if step == 0:
            y = y * w
        elif step == 1:
            y = y + 0.001
        elif step == 2:
            y = -y
        else:
            y = y.sin() if i % 64 == 3 else y - 0.0005
    return y.sum()


def deep_run() -> None:
    """Run inside the child interpreter: chain, backward, drop; print what was observed."""
    import gc

    limit = sys.getrecursionlimit()
    gc.disable()  # the graph must be freed by reference counting alone
    x, w, y, first = build_chain(minigrad, DEPTH)
    y.backward(retain_graph=True)  # saved tensors stay alive: the drop below frees them
    survived = first() is not None
    del y
    print(
        json.dumps(
            {
                "recursion_limit": limit,
                "grads": [x.grad.tolist(), w.grad.tolist()],
                "first_node_alive_before_drop": survived,
                "first_node_alive_after_drop": first() is not None,
            }
        )
    )


def test_300000_op_chain_forward_backward_and_drop_at_the_default_recursion_limit() -> None:
    code = textwrap.dedent(
        f"""
        import sys
        sys.path[:0] = [{str(TESTS)!r}, {str(REPO)!r}]
        from test_deep_graphs import deep_run
        deep_run()
        """
    )
    child = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=600, check=False
    )
    assert child.returncode == 0, (child.returncode, child.stderr[-3000:])
    seen = json.loads(child.stdout.strip().splitlines()[-1])
    assert seen["recursion_limit"] == 1000  # Python's default, untouched
    assert seen["first_node_alive_before_drop"] is True
    assert seen["first_node_alive_after_drop"] is False

    x, w, y, _ = build_chain(torch, DEPTH)
    y.backward()
    np.testing.assert_allclose(seen["grads"], [x.grad.tolist(), w.grad.tolist()], rtol=1e-9)


def test_recursion_limit_is_the_default_here() -> None:
    assert sys.getrecursionlimit() == 1000


def test_deep_chain_autograd_grad_and_second_order() -> None:
    # 6,000 operations (six times the recursion limit), then the graph of the gradient itself.
    results = {}
    for lib in (torch, minigrad):
        x, w, y, _ = build_chain(lib, 6_000)
        gx, gw = lib.autograd.grad(y, [x, w], create_graph=True)
        (gx * gx).sum().backward()
        results[lib.__name__] = [gx.tolist(), gw.tolist(), x.grad.tolist(), w.grad.tolist()]
    for mine, theirs in zip(results["minigrad"], results["torch"], strict=True):
        np.testing.assert_allclose(mine, theirs, rtol=1e-9, atol=1e-12)


def test_deep_graph_freed_by_reference_counting_when_output_dropped() -> None:
    import gc

    gc.disable()
    try:
        x, w, y, first = build_chain(minigrad, 20_000)
        assert first() is not None
        del y
        assert first() is None
    finally:
        gc.enable()


def test_wide_and_deep_graph_backward() -> None:
    # Many branches joining again: the dependency count, not recursion, orders them.
    results = {}
    for lib in (torch, minigrad):
        x = lib.tensor([0.5, 1.5], dtype=lib.float64, requires_grad=True)
        layer = [x * (k + 1) for k in range(4)]
        for _ in range(1_500):
            layer = [layer[k] + 0.5 * layer[(k + 1) % 4].sin() for k in range(4)]
        sum(t.sum() for t in layer).backward()
        results[lib.__name__] = x.grad.tolist()
    np.testing.assert_allclose(results["minigrad"], results["torch"], rtol=1e-9)


def test_drawing_a_deep_graph_does_not_recurse() -> None:
    from minigrad.viz import make_dot

    x, w, y, _ = build_chain(minigrad, 20_000)
    source = make_dot(y, params={"x": x, "w": w}).source
    assert source.count("[label=NegBackward0]") == 5_000
    assert source.count("[label=SinBackward0]") == 20_000 // 64 + 1


def test_gradcheck_of_a_deep_graph() -> None:
    from minigrad.autograd import gradcheck

    def chain(x: Any, w: Any) -> Any:
        return build_chain_from(x, w, 3_000)

    x = minigrad.tensor([0.3, -0.2, 0.1], dtype=minigrad.float64, requires_grad=True)
    w = minigrad.tensor([1.0, -1.0, 1.0], dtype=minigrad.float64, requires_grad=True)
    assert gradcheck(chain, (x, w)) is True
