"""Self-checks for the build-it-yourself notebooks (10 and 11).

Each ``check_*`` function runs the learner's piece of the engine on small cases whose answers are
computed at check time with minigrad (values and gradients, in float64), adds a central-difference
gradient check, and prints one line: what passed, or a hint that names what is wrong. It never
raises: a stub that raises ``NotImplementedError`` is "not written yet", any other error is
reported. It returns True when the piece is right, False otherwise, so that the notebook's
solution cell can take over (``if not ok: ...``) and the rest of the notebook still runs.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

import minigrad

TAKE_OVER = "  The worked solution below takes over, so that the notebook goes on."
EPS = 1e-6  # step of the central differences
TOL = 1e-6  # tolerance of every comparison


class _HintError(Exception):
    """A check found something wrong; the message is the hint."""


def _report(step: str, passed: str, body: Callable[[], None], take_over: bool = True) -> bool:
    """Run one check: print the outcome, return True if it passed. Never raises."""
    try:
        with np.errstate(all="ignore"):
            body()
    except _HintError as refused:
        print(f"✘ {step}: {refused}")
    except NotImplementedError:
        print(f"… {step}: not written yet (the cell above raises NotImplementedError).")
    except RecursionError:
        print(
            f"✘ {step}: RecursionError (recursion limit): your code calls itself once per node, "
            "and a chain of 10,000 nodes is deeper than Python allows. Use a loop and an "
            "explicit stack instead."
        )
    except Exception as error:  # the learner's code may raise anything
        print(f"✘ {step}: your code raised {type(error).__name__}: {error}")
    else:
        print(f"✔ {step}: {passed}")
        return True
    if take_over:
        print(TAKE_OVER)
    return False


def _close(got: Any, expected: Any) -> bool:
    try:
        got = np.asarray(got, dtype=np.float64)
        expected = np.asarray(expected, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    return got.shape == expected.shape and bool(np.allclose(got, expected, rtol=TOL, atol=TOL))


def _fmt(x: Any) -> str:
    array = np.asarray(x, dtype=np.float64)
    if array.ndim == 0:
        return f"{float(array):.4g}"
    return np.array2string(array, precision=4, separator=", ")


def _t(x: Any, requires_grad: bool = True) -> minigrad.Tensor:
    return minigrad.tensor(np.asarray(x, dtype=np.float64), requires_grad=requires_grad)


# --- notebook 10: a scalar engine ------------------------------------------------------------


def check_value(Value: type) -> bool:
    """Step 1: ``Value(data, parents=(), local_grads=(), op="")`` with ``grad`` starting at 0."""

    def body() -> None:
        leaf = Value(2)
        for name in ("data", "grad", "parents", "local_grads", "op"):
            if not hasattr(leaf, name):
                raise _HintError(f"a Value needs the attribute {name!r} (set it in __init__).")
        if not isinstance(leaf.data, float) or leaf.data != 2.0:
            raise _HintError(
                f"data should be a float: Value(2).data is {leaf.data!r}; store float(data)."
            )
        if leaf.grad != 0.0 or leaf.grad is None:
            raise _HintError(
                f"grad must start at 0.0 (nothing has flowed back yet), not {leaf.grad!r}."
            )
        if tuple(leaf.parents) != () or tuple(leaf.local_grads) != ():
            raise _HintError("a leaf has no parents: parents and local_grads default to ().")
        a, b = Value(1.0), Value(2.0)
        c = Value(3.0, (a, b), (1.0, 1.0), "+")
        if len(c.parents) != 2 or c.parents[0] is not a or c.parents[1] is not b:
            raise _HintError("store the parents you are given, in order (self.parents = parents).")
        if tuple(c.local_grads) != (1.0, 1.0) or c.op != "+":
            raise _HintError("store local_grads and op as given.")

    return _report("Value", "data, grad, parents, local_grads and op are stored.", body)


def _scalar_reference(
    f: Callable, xs: tuple[float, ...], n_inputs: int | None = None
) -> tuple[float, list[float]]:
    """minigrad's value of f(xs) and its partial derivatives, in float64 (the entries of xs
    after the first n_inputs are passed as plain numbers)."""
    n_inputs = len(xs) if n_inputs is None else n_inputs
    leaves = [_t(x) for x in xs[:n_inputs]]
    out = f(*leaves, *xs[n_inputs:])
    out.backward()
    return out.item(), [leaf.grad.item() for leaf in leaves]


def _check_scalar_op(
    Value: type,
    step: str,
    learner: Callable,
    reference: Callable,
    cases: list[tuple[float, ...]],
    mistakes: list[tuple[str, Callable]],
    number_cases: list[tuple[Callable, Callable]] = (),
    n_inputs: int = 2,
) -> bool:
    """Check one operation of the scalar Value: its value, its parents, its local derivatives
    (against minigrad, with named mistakes recognised), and a central-difference check."""

    def values(xs: tuple[float, ...]) -> list[Any]:
        return [Value(x) for x in xs[:n_inputs]] + list(xs[n_inputs:])

    def body() -> None:
        for xs in cases:
            leaves = values(xs)[:n_inputs]
            out = learner(*leaves, *xs[n_inputs:])
            if not isinstance(out, Value):
                raise _HintError(f"return a new Value, not {type(out).__name__}.")
            value, grads = _scalar_reference(reference, xs, n_inputs)
            if not _close(out.data, value):
                raise _HintError(
                    f"wrong value at {xs}: {_fmt(out.data)}, expected {_fmt(value)} (minigrad)."
                )
            parents = tuple(out.parents)
            if len(parents) != len(leaves) or any(
                p is not q for p, q in zip(parents, leaves, strict=False)
            ):
                raise _HintError(
                    f"parents should be the {len(leaves)} input Value(s), in order: "
                    f"got {len(parents)} parent(s)."
                )
            local = [float(g) for g in out.local_grads]
            if _close(local, grads):
                continue
            for hint, wrong in mistakes:
                if _close(local, wrong(*xs)):
                    raise _HintError(hint)
            if _close(local, [-g for g in grads]):
                raise _HintError(
                    f"wrong sign: local derivatives {local} at {xs}, expected {grads}."
                )
            raise _HintError(
                f"wrong local derivative at {xs}: {_fmt(local)}, expected {_fmt(grads)} (minigrad)."
            )
        # Central differences of the learner's own forward, against its local derivatives.
        for xs in cases:
            local = [float(g) for g in learner(*values(xs)).local_grads]
            for k in range(n_inputs):
                up = tuple(x + EPS * (i == k) for i, x in enumerate(xs))
                down = tuple(x - EPS * (i == k) for i, x in enumerate(xs))
                numeric = (learner(*values(up)).data - learner(*values(down)).data) / (2 * EPS)
                if abs(numeric - local[k]) > 1e-5 * max(1.0, abs(numeric)):
                    raise _HintError(
                        f"the central difference {numeric:.6g} disagrees with the local "
                        f"derivative {local[k]:.6g} at {xs}."
                    )
        for make, expected in number_cases:
            try:
                out = make(Value)
            except Exception:  # a number not wrapped, or no reflected operator
                out = None
            if not isinstance(out, Value) or not _close(out.data, expected):
                raise _HintError(
                    "a plain number must work too: wrap it in a Value "
                    "(other = other if isinstance(other, Value) else Value(other)), "
                    "and define the reflected operator (__radd__, __rmul__)."
                )

    return _report(
        step,
        "values and local derivatives agree with minigrad, and with central differences.",
        body,
    )


def check_add(Value: type) -> bool:
    """Step 2: ``a + b`` with local derivatives (1, 1); numbers on either side."""
    return _check_scalar_op(
        Value,
        "add",
        lambda a, b: a + b,
        lambda a, b: a + b,
        [(2.0, -3.0), (0.5, 4.0)],
        [
            ("the local derivatives of a + b are 1 and 1, not 0: a + b grows one for one with a.",
             lambda a, b: [0.0, 0.0]),
            ("those are the local derivatives of a * b: for a + b both are 1.",
             lambda a, b: [b, a]),
        ],
        [(lambda V: V(2.0) + 3, 5.0), (lambda V: 3 + V(2.0), 5.0)],
    )  # fmt: skip


def check_mul(Value: type) -> bool:
    """Step 3: ``a * b`` with local derivatives (b, a)."""
    return _check_scalar_op(
        Value,
        "mul",
        lambda a, b: a * b,
        lambda a, b: a * b,
        [(2.0, -3.0), (0.5, 4.0)],
        [
            ("local derivatives swapped: d(ab)/da = b and d(ab)/db = a, so local_grads = "
             "(other.data, self.data).", lambda a, b: [a, b]),
            ("those are the local derivatives of a + b: for a * b they are (b, a).",
             lambda a, b: [1.0, 1.0]),
        ],
        [(lambda V: V(2.0) * 3, 6.0), (lambda V: 3 * V(2.0), 6.0)],
    )  # fmt: skip


def check_pow(Value: type) -> bool:
    """Step 4: ``a ** n`` for a plain number n, local derivative n a^(n-1)."""

    return _check_scalar_op(
        Value,
        "pow",
        lambda a, n: a**n,
        lambda a, n: a**n,
        [(1.5, 3), (2.0, -1), (4.0, 0.5)],
        [
            ("missing the factor n: d(a^n)/da = n * a^(n-1).",
             lambda a, n: [a ** (n - 1)]),
            ("the exponent must drop by one: d(a^n)/da = n * a^(n-1), not n * a^n.",
             lambda a, n: [n * a**n]),
            ("that is the derivative of n**a (the exponent's): d(a^n)/da = n * a^(n-1).",
             lambda a, n: [n**a * math.log(n) if n > 0 else float("nan")]),
        ],
        n_inputs=1,
    )  # fmt: skip


def check_exp(Value: type) -> bool:
    """Step 5: ``a.exp()``, local derivative exp(a)."""
    return _check_scalar_op(
        Value,
        "exp",
        lambda a: a.exp(),
        lambda a: a.exp(),
        [(0.5,), (-1.0,), (2.0,)],
        [
            ("that is the power rule (a * exp(a - 1)): exp is its own derivative, "
             "d exp(a)/da = exp(a).", lambda a: [a * math.exp(a - 1)]),
            ("the local derivative is exp(a), the result itself, not a.", lambda a: [a]),
            ("the local derivative is exp(a), not 1.", lambda a: [1.0]),
        ],
        n_inputs=1,
    )  # fmt: skip


def check_tanh(Value: type) -> bool:
    """Step 6: ``a.tanh()``, local derivative 1 - tanh(a)^2."""
    return _check_scalar_op(
        Value,
        "tanh",
        lambda a: a.tanh(),
        lambda a: a.tanh(),
        [(0.5,), (-1.0,), (2.0,)],
        [
            ("use t = tanh(a), not a: the local derivative is 1 - t**2, not 1 - a**2.",
             lambda a: [1 - a * a]),
            ("square t: the local derivative is 1 - t**2, not 1 - t.",
             lambda a: [1 - math.tanh(a)]),
            ("wrong sign: the local derivative is 1 - t**2, not t**2 - 1.",
             lambda a: [math.tanh(a) ** 2 - 1]),
        ],
        n_inputs=1,
    )  # fmt: skip


def _central_differences(f: Callable, xs: tuple[float, ...]) -> list[float]:
    """The partial derivatives of f at xs by central differences, f evaluated by minigrad in
    float64 (no graph recorded)."""
    result = []
    with minigrad.no_grad():
        for k in range(len(xs)):
            up = [_t(x + EPS * (i == k), False) for i, x in enumerate(xs)]
            down = [_t(x - EPS * (i == k), False) for i, x in enumerate(xs)]
            result.append((f(*up).item() - f(*down).item()) / (2 * EPS))
    return result


def _parents_first(root: Any) -> list[Any]:
    """The reference order: every node after all its parents, root last (explicit stack)."""
    order, seen, stack = [], set(), [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
        elif id(node) not in seen:
            seen.add(id(node))
            stack.append((node, True))
            stack.extend((parent, False) for parent in reversed(tuple(node.parents)))
    return order


def _chain(Value: type, length: int) -> Any:
    x = Value(0.5)
    for _ in range(length):
        x = x * 1.0
    return x


def check_topo_order(topo_order: Callable, Value: type) -> bool:
    """Step 7: ``topo_order(root)``, every node after its parents, without recursion."""

    def graphs() -> list[Any]:
        a, b = Value(2.0), Value(-3.0)
        first = ((a * b) + a).tanh()
        x = Value(1.5)
        second = x + x * 2.0  # x is reached by a short and by a long path
        return [first, second]

    def body() -> None:
        for root in graphs():
            order = list(topo_order(root))
            expected = _parents_first(root)
            ids = [id(node) for node in order]
            if len(set(ids)) != len(ids):
                raise _HintError(
                    "a node appears twice in the order: keep a set of the nodes already visited."
                )
            missing = {id(node) for node in expected} - set(ids)
            if missing:
                raise _HintError(
                    f"{len(missing)} node(s) missing: follow every parent of every node, "
                    "not only the first."
                )
            if order and order[0] is root and len(order) > 1:
                raise _HintError(
                    "order reversed: the output must come last, after everything it was "
                    "computed from (the backward pass walks the list from the end)."
                )
            position = {id(node): k for k, node in enumerate(order)}
            for node in order:
                for parent in node.parents:
                    if position[id(parent)] > position[id(node)]:
                        raise _HintError(
                            "a node comes before one of its parents: add a node to the order "
                            "only after all its parents are in it."
                        )
        chain = _chain(Value, 10_000)
        if len(list(topo_order(chain))) != len(_parents_first(chain)):
            raise _HintError("the order of a chain of 10,000 multiplications misses nodes.")

    return _report(
        "topo_order",
        "every node comes once, after its parents, even in a chain of 10,000 nodes.",
        body,
    )


def _simulated_grads(root: Any, mistake: str) -> dict[int, float]:
    """The gradients the backward pass gives on the learner's graph, right or with a mistake."""
    order = _parents_first(root)
    grad = {id(node): 0.0 for node in order}
    if mistake != "no seed":
        grad[id(root)] = 1.0
    walk = order if mistake == "forward order" else list(reversed(order))
    for node in walk:
        for parent, local in zip(node.parents, node.local_grads, strict=False):
            if mistake == "overwrite":
                grad[id(parent)] = local * grad[id(node)]
            elif mistake == "no chain":
                grad[id(parent)] += local
            else:
                grad[id(parent)] += local * grad[id(node)]  # chain rule
    return grad


BACKWARD_MISTAKES = {
    "overwrite": "gradient overwritten instead of summed: a value used twice gets a gradient from "
    "each use; add them (parent.grad += ...), do not replace (parent.grad = ...).",
    "no seed": "start with root.grad = 1.0 (d root / d root = 1): with 0 every gradient is 0.",
    "no chain": "chain rule missing: multiply the local derivative by the gradient of the node "
    "(parent.grad += local * node.grad).",
    "forward order": "nodes visited in the wrong order: walk the topological order from the end "
    "(the output) back to the inputs, reversed(order).",
}


def check_backward(backward: Callable, Value: type) -> bool:
    """Step 8: ``backward(root)`` applies the chain rule over the reversed topological order."""

    def cases() -> list[tuple[Any, list[Any], Callable, tuple[float, ...]]]:
        found = []
        a, b = Value(2.0), Value(-0.5)
        found.append(((a * b).tanh() + b, [a, b], lambda a, b: (a * b).tanh() + b, (2.0, -0.5)))
        a = Value(3.0)
        found.append((a + a, [a], lambda a: a + a, (3.0,)))
        a, b = Value(0.7), Value(-1.2)
        c = a * b
        found.append(
            (c * c + a.exp(), [a, b], lambda a, b: (a * b) * (a * b) + a.exp(), (0.7, -1.2))
        )
        return found

    def body() -> None:
        for root, leaves, reference, xs in cases():
            backward(root)
            _, expected = _scalar_reference(reference, xs)
            got = [leaf.grad for leaf in leaves]
            if _close(got, expected):
                numeric = _central_differences(reference, xs)
                if not np.allclose(got, numeric, rtol=1e-5, atol=1e-5):
                    raise _HintError(
                        f"gradients {_fmt(got)} disagree with central differences {_fmt(numeric)}."
                    )
                continue
            got.append(root.grad)
            for mistake, hint in BACKWARD_MISTAKES.items():
                simulated = _simulated_grads(root, mistake)
                if _close(got, [simulated[id(node)] for node in [*leaves, root]]):
                    raise _HintError(hint)
            raise _HintError(f"gradients {_fmt(got[:-1])}, expected {_fmt(expected)} (minigrad).")
        chain = _chain(Value, 10_000)
        backward(chain)

    return _report(
        "backward",
        "the gradients agree with minigrad and with central differences, values used twice "
        "included, and a chain of 10,000 nodes runs.",
        body,
    )


DERIVED = [  # (expression, its inputs, the expression: on Values and on minigrad tensors alike)
    ("a - b", (2.0, -3.0), lambda a, b: a - b),
    ("2 - a", (0.5,), lambda a: 2 - a),
    ("-a", (1.5,), lambda a: -a),
    ("a / b", (3.0, -2.0), lambda a, b: a / b),
    ("2 / a", (4.0,), lambda a: 2 / a),
]
DERIVED_MISTAKES = {  # expression -> [(wrong value or gradients, hint)]
    "a - b": [
        (lambda a, b: a + b, "a - b computed as a + b: it is a + (-b)."),
        (lambda a, b: b - a, "a - b computed as b - a: in sub(self, other) it is self + (-other)."),
    ],
    "2 - a": [
        (
            lambda a: a - 2,
            "2 - a computed as a - 2: for 2 - a Python calls a.__rsub__(2), so self is a and "
            "other is 2; return other + (-self).",
        ),
    ],
    "a / b": [
        (lambda a, b: a * b, "a / b computed as a * b: it is a * b**-1."),
        (
            lambda a, b: b / a,
            "a / b computed as b / a: in truediv(self, other) it is self * other**-1.",
        ),
    ],
    "2 / a": [
        (
            lambda a: a / 2,
            "2 / a computed as a / 2: for 2 / a Python calls a.__rtruediv__(2), so self is a "
            "and other is 2; return other * self**-1.",
        ),
    ],
}


def check_derived_ops(Value: type) -> bool:
    """Step 9: ``-a``, ``a - b``, ``2 - a``, ``a / b``, ``2 / a`` from the operations before."""

    def body() -> None:
        for text, xs, reference in DERIVED:
            leaves = [Value(x) for x in xs]
            out = reference(*leaves)  # the same expression, on the learner's Values
            if not hasattr(out, "parents"):  # a Value (of the learner's class or a subclass)
                raise _HintError(f"{text} must give a Value, not {type(out).__name__}.")
            value, grads = _scalar_reference(reference, xs)
            if not _close(out.data, value):
                for wrong, hint in DERIVED_MISTAKES.get(text, []):
                    if _close(out.data, wrong(*xs)):
                        raise _HintError(hint)
                raise _HintError(f"{text} at {xs} gives {_fmt(out.data)}, expected {_fmt(value)}.")
            out.backward()
            got = [leaf.grad for leaf in leaves]
            if _close(got, grads):
                continue
            if any(g == 0 and e != 0 for g, e in zip(got, grads, strict=False)):
                raise _HintError(
                    f"no gradient reaches an input of {text}: build it from the operations "
                    "you have (-a is a * -1); a new Value(-a.data) is a leaf, cut off from a."
                )
            raise _HintError(f"{text}: gradients {_fmt(got)}, expected {_fmt(grads)} (minigrad).")

    return _report(
        "derived operations",
        "values and gradients of -a, a - b, 2 - a, a / b and 2 / a agree with minigrad.",
        body,
    )


# --- notebook 11: a tensor engine ------------------------------------------------------------


class _Ctx:
    """A stand-in for the notebook's Context, so that a Function is checked on its own."""

    def save_for_backward(self, *arrays: Any) -> None:
        self.saved_tensors = arrays


def _as_tuple(grads: Any) -> tuple:
    return grads if isinstance(grads, tuple) else (grads,)


def _check_function(
    Fn: type,
    step: str,
    cases: list[tuple[np.ndarray, ...]],
    reference: Callable,
    mistakes: list[tuple[str, Callable]],
    differentiable: int | None = None,
    shape_hint: str = "",
    take_over: bool = True,
) -> bool:
    """Check a Function's forward and backward on arrays, on its own: forward against minigrad,
    backward as a vector-Jacobian product against minigrad's, named mistakes recognised, and a
    central-difference check of backward against the learner's own forward."""
    rng = np.random.default_rng(19)

    def body() -> None:
        for arrays in cases:
            n = len(arrays) if differentiable is None else differentiable
            ctx = _Ctx()
            out = Fn.forward(ctx, *[a.copy() for a in arrays])
            leaves = [_t(a, requires_grad=k < n) for k, a in enumerate(arrays)]
            expected_out = reference(*leaves)
            if isinstance(out, minigrad.Tensor) or not isinstance(out, (np.ndarray, np.number)):
                raise _HintError(f"forward must return a NumPy array, not {type(out).__name__}.")
            if not np.all(np.isfinite(out)):
                raise _HintError(
                    "forward gives inf or nan: exp of a large number overflows; use a stable "
                    "formula."
                )
            if not _close(out, expected_out.detach().numpy()):
                raise _HintError(
                    f"forward gives {_fmt(out)}, expected {_fmt(expected_out.detach().numpy())}."
                )
            g = rng.standard_normal(np.shape(out))
            expected_out.backward(_t(g, requires_grad=False))
            expected = [leaf.grad.numpy() for leaf in leaves[:n]]
            try:
                grads = _as_tuple(Fn.backward(ctx, g))
            except ValueError as error:
                if shape_hint:
                    raise _HintError(f"{shape_hint} ({error})") from None
                raise
            if len(grads) < n:
                raise _HintError(
                    f"backward must return one gradient per input: {n} expected, "
                    f"{len(grads)} returned."
                )
            grads = [np.asarray(grad, dtype=np.float64) for grad in grads[:n]]
            if all(_close(got, want) for got, want in zip(grads, expected, strict=True)):
                continue
            for hint, wrong in mistakes:
                candidates = _as_tuple(wrong(g, *arrays))
                if all(_close(got, c) for got, c in zip(grads, candidates, strict=False)):
                    raise _HintError(hint)
            for k, (got, want) in enumerate(zip(grads, expected, strict=True)):
                if got.shape != want.shape:
                    raise _HintError(
                        shape_hint
                        or f"the gradient for input {k} has shape {got.shape}, the input has "
                        f"shape {want.shape}: a gradient has the shape of its input."
                    )
                if _close(got, -want):
                    raise _HintError(f"wrong sign in the gradient for input {k}.")
            raise _HintError(
                f"backward gives {_fmt(grads[0])} for input 0, expected {_fmt(expected[0])} "
                "(minigrad)."
            )
        # Central differences: d/dx_i sum(g * f(x)) from the learner's forward.
        arrays = cases[0]
        n = len(arrays) if differentiable is None else differentiable
        ctx = _Ctx()
        out = Fn.forward(ctx, *[a.copy() for a in arrays])
        g = rng.standard_normal(np.shape(out))
        grads = _as_tuple(Fn.backward(ctx, g))
        for k in range(n):
            numeric = np.zeros_like(arrays[k])
            for index in np.ndindex(arrays[k].shape):
                up = [a.copy() for a in arrays]
                down = [a.copy() for a in arrays]
                up[k][index] += EPS
                down[k][index] -= EPS
                f_up = np.sum(g * Fn.forward(_Ctx(), *up))
                f_down = np.sum(g * Fn.forward(_Ctx(), *down))
                numeric[index] = (f_up - f_down) / (2 * EPS)
            if not np.allclose(grads[k], numeric, rtol=1e-5, atol=1e-5):
                raise _HintError(f"backward disagrees with central differences for input {k}.")

    return _report(
        step,
        "forward and backward agree with minigrad, and backward with central differences.",
        body,
        take_over,
    )


def _arrays(*shapes: tuple[int, ...], seed: int = 0) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    return tuple(rng.standard_normal(shape) for shape in shapes)


def check_add_mul(Add: type, Mul: type) -> bool:
    """Step 10: the Functions ``Add`` and ``Mul`` (same shapes; broadcasting comes next)."""
    cases = [_arrays((3,), (3,)), _arrays((2, 3), (2, 3), seed=1)]
    add = _check_function(
        Add,
        "Add",
        cases,
        lambda a, b: a + b,
        [
            ("wrong sign: the gradient of a + b is grad for both inputs.",
             lambda g, a, b: (g, -g)),
            ("multiply by the incoming gradient: backward returns (grad, grad), not ones.",
             lambda g, a, b: (np.ones_like(a), np.ones_like(b))),
        ],
        take_over=False,
    )  # fmt: skip
    mul = _check_function(
        Mul,
        "Mul",
        cases,
        lambda a, b: a * b,
        [
            ("gradients swapped: a's gradient is grad * b and b's is grad * a.",
             lambda g, a, b: (g * a, g * b)),
            ("multiply by the incoming gradient: a's gradient is grad * b, not b.",
             lambda g, a, b: (b, a)),
        ],
        take_over=False,
    )  # fmt: skip
    if not (add and mul):
        print(TAKE_OVER)
    return add and mul


def _reference_sum_to_shape(grad: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    leaf = _t(np.zeros(shape))
    (leaf + _t(np.zeros(grad.shape), requires_grad=False)).backward(_t(grad, False))
    return leaf.grad.numpy()


def check_sum_to_shape(sum_to_shape: Callable) -> bool:
    """Step 11: ``sum_to_shape(grad, shape)`` undoes broadcasting."""
    cases = [((4, 3), (3,)), ((4, 3), (4, 1)), ((2, 4, 3), (4, 1)), ((2, 3), (2, 3)), ((2, 3), ())]

    def body() -> None:
        rng = np.random.default_rng(10)
        for grad_shape, shape in cases:
            grad = rng.standard_normal(grad_shape)
            got = np.asarray(sum_to_shape(grad.copy(), shape))
            expected = _reference_sum_to_shape(grad, shape)
            if got.shape != expected.shape:
                kept = tuple(s for s in shape if s != 1)
                if got.shape == grad.shape and grad.ndim == len(shape):
                    raise _HintError(
                        f"wrong shape after broadcasting: {got.shape} instead of {shape}; a "
                        "dimension of size 1 was stretched by broadcasting: sum over it with "
                        "keepdims=True."
                    )
                if got.shape == grad.shape:
                    raise _HintError(
                        f"wrong shape after broadcasting: the gradient keeps shape {grad.shape}; "
                        f"it must be summed back to the input's shape {shape}."
                    )
                if got.shape[-len(shape) :] != shape and got.shape == kept:
                    raise _HintError(
                        f"wrong shape after broadcasting: {got.shape} instead of {shape}, the "
                        "dimension of size 1 was dropped: sum it with keepdims=True."
                    )
                raise _HintError(
                    f"wrong shape after broadcasting: {got.shape} instead of {shape}: sum the "
                    "leading dimensions away, and the dimensions of size 1 with keepdims=True."
                )
            if not _close(got, expected):
                size = grad.size / max(expected.size, 1)
                if _close(got * size, expected):
                    raise _HintError(
                        "averaged instead of summed: each use of a broadcast value adds its "
                        "gradient, so sum, do not take the mean."
                    )
                raise _HintError(f"wrong values for {grad_shape} -> {shape}: {_fmt(got)}.")

    return _report("sum_to_shape", "every broadcast is undone, as minigrad's backward does.", body)


def check_sum(Sum: type) -> bool:
    """Step 12: the Function ``Sum`` (all elements to one number)."""
    return _check_function(
        Sum,
        "Sum",
        [_arrays((4,)), _arrays((2, 3), seed=2)],
        lambda a: a.sum(),
        [
            ("wrong shape: the gradient of a sum has the shape of its input; spread grad over "
             "it (grad * np.ones(shape)).", lambda g, a: g),
            ("multiply by the incoming gradient: it is grad * ones, not ones.",
             lambda g, a: np.ones_like(a)),
            ("the gradient of a sum is grad for every element, not grad / n (that is a mean).",
             lambda g, a: np.full_like(a, g / a.size)),
        ],
    )  # fmt: skip


def check_matmul(MatMul: type) -> bool:
    """Step 13: the Function ``MatMul`` for a vector or matrix times a matrix."""
    return _check_function(
        MatMul,
        "MatMul",
        [_arrays((4, 3), (3, 2)), _arrays((5,), (5, 3), seed=3)],
        lambda a, b: a @ b,
        [
            ("gradients swapped between the inputs: a's gradient is grad @ b.T, "
             "b's is a.T @ grad.", lambda g, a, b: (a.T @ g, g @ b.T)),
            ("multiply by the incoming gradient: a's gradient is grad @ b.T, not ones @ b.T.",
             lambda g, a, b: (np.ones_like(g) @ b.T, a.T @ np.ones_like(g))),
        ],
        shape_hint="shapes do not fit: a's gradient is grad @ b.T (shape of a), b's is "
        "a.T @ grad (shape of b); for a vector a, b's gradient is np.outer(a, grad)",
    )  # fmt: skip


def check_tanh_function(Tanh: type) -> bool:
    """Step 14: the Function ``Tanh``."""
    return _check_function(
        Tanh,
        "Tanh",
        [_arrays((5,), seed=4), _arrays((2, 3), seed=5)],
        lambda a: a.tanh(),
        [
            ("use t = tanh(x) (save the result): the gradient is grad * (1 - t**2), not "
             "grad * (1 - x**2).", lambda g, x: g * (1 - x * x)),
            ("wrong sign: the gradient is grad * (1 - t**2).",
             lambda g, x: g * (np.tanh(x) ** 2 - 1)),
            ("multiply by the incoming gradient: grad * (1 - t**2).",
             lambda g, x: 1 - np.tanh(x) ** 2),
        ],
    )  # fmt: skip


def _bce(z: minigrad.Tensor, y: minigrad.Tensor) -> minigrad.Tensor:
    return minigrad.nn.functional.binary_cross_entropy_with_logits(z, y)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-z))


def check_bce_with_logits(BCEWithLogits: type) -> bool:
    """Step 15: the Function ``BinaryCrossEntropyWithLogits(z, y)``, the mean over elements."""
    rng = np.random.default_rng(14)
    z1, z2 = rng.standard_normal(3), np.array([800.0, -800.0, 0.3, -2.0])
    y1, y2 = np.array([0.0, 1.0, 1.0]), np.array([0.0, 1.0, 1.0, 0.0])
    return _check_function(
        BCEWithLogits,
        "BinaryCrossEntropyWithLogits",
        [(z1, y1), (z2, y2)],
        _bce,
        [
            ("divide by the number of elements: the loss is a mean, so the gradient is "
             "grad * (sigmoid(z) - y) / n.", lambda g, z, y: g * (_sigmoid(z) - y)),
            ("wrong sign: the gradient is grad * (sigmoid(z) - y) / n.",
             lambda g, z, y: g * (y - _sigmoid(z)) / z.size),
            ("multiply by the incoming gradient: grad * (sigmoid(z) - y) / n.",
             lambda g, z, y: (_sigmoid(z) - y) / z.size),
        ],
        differentiable=1,
    )  # fmt: skip


def _probe_function(Function: type) -> type:
    """A Function subclass for the checks of ``apply``: records what forward received."""

    class Scale(Function):
        received: list = []

        @staticmethod
        def forward(ctx, a, b):
            Scale.received.append((type(a), type(b)))
            ctx.save_for_backward(a, b)
            return a * b

        @staticmethod
        def backward(ctx, grad):
            a, b = ctx.saved_tensors
            return grad * b, grad * a

    return Scale


def check_apply(Function: type, Tensor: type, GradMode: type) -> bool:
    """Step 16: ``Function.apply``: forward on arrays, a Tensor back, a node recorded only when
    an input requires grad and grad mode is on."""

    def body() -> None:
        Scale = _probe_function(Function)
        a = Tensor([1.0, 2.0], requires_grad=True)
        b = Tensor([3.0, 4.0])
        arrays_only = "forward works on NumPy arrays: call it with t.data, not the Tensors."
        try:
            out = Scale.apply(a, b)
        except Exception:
            if any(kind is not np.ndarray for pair in Scale.received for kind in pair):
                raise _HintError(arrays_only) from None
            raise
        if not isinstance(out, Tensor):
            raise _HintError(f"apply must return a Tensor, not {type(out).__name__}.")
        if any(kind is not np.ndarray for pair in Scale.received for kind in pair):
            raise _HintError(arrays_only)
        if not _close(out.data, [3.0, 8.0]):
            raise _HintError("the result must wrap what forward returned.")
        if not out.requires_grad or out.grad_fn is None:
            raise _HintError(
                "requires_grad spreads: an input requires grad, so the result must have "
                "requires_grad=True and a grad_fn (its Node)."
            )
        node = out.grad_fn
        if node.function is not Scale or list(node.inputs) != [a, b]:
            raise _HintError("record Node(cls, ctx, inputs) with the inputs in order.")
        if node.ctx.saved_tensors[1] is not b.data and not _close(
            node.ctx.saved_tensors[1], b.data
        ):
            raise _HintError("the node must keep the ctx that forward saved into.")
        try:
            plain = Scale.apply(a, 2.0)
            wrapped = all(isinstance(t, Tensor) for t in plain.grad_fn.inputs)
        except Exception:  # a plain number has no .data
            wrapped = False
        if not wrapped:
            raise _HintError("wrap a plain number in a Tensor, so that every input is a Tensor.")
        quiet = Scale.apply(Tensor([1.0]), Tensor([2.0]))
        if quiet.requires_grad or quiet.grad_fn is not None:
            raise _HintError(
                "no input requires grad, so nothing is recorded: requires_grad=False and "
                "grad_fn=None."
            )
        previous = GradMode.enabled
        GradMode.enabled = False
        try:
            off = Scale.apply(a, b)
        finally:
            GradMode.enabled = previous
        if off.requires_grad or off.grad_fn is not None:
            raise _HintError(
                "grad mode is off (GradMode.enabled is False): record nothing, as under no_grad."
            )

    return _report(
        "apply",
        "forward runs on arrays, and a node is recorded exactly when PyTorch would record one.",
        body,
    )


def check_count_dependencies(count_dependencies: Callable, Tensor: type) -> bool:
    """Step 17: ``count_dependencies(root)``: for each node, the number of edges into it."""

    def graphs() -> Iterator[tuple[Any, dict | None]]:  # built one at a time
        a = Tensor([1.0, 2.0], requires_grad=True)
        b = a * 2.0
        c = b * 3.0
        d = b + c
        e = d * d
        root = e.sum()
        yield root, {root.grad_fn: 0, e.grad_fn: 1, d.grad_fn: 2, c.grad_fn: 1, b.grad_fn: 2}
        y = Tensor([1.0], requires_grad=True) * 1.0
        for _ in range(10_000):
            y = y * 1.0
        yield y, None

    def body() -> None:
        for root, expected in graphs():
            counts = count_dependencies(root.grad_fn)
            if expected is None:  # the 10,000-node chain
                if len(counts) != 10_001:
                    raise _HintError(f"a chain of 10,001 nodes gave {len(counts)} counts.")
                continue
            if counts.get(root.grad_fn) != 0:
                raise _HintError("the root belongs in the counts too, with 0 edges into it.")
            for node, count in expected.items():
                if node not in counts:
                    raise _HintError(
                        f"{node.name()} missing: count every node reachable from the root."
                    )
                if counts[node] < count:
                    raise _HintError(
                        f"{node.name()} used twice counts {counts[node]}: an input used twice is "
                        "two edges; count each edge, not each node."
                    )
                if counts[node] > count:
                    raise _HintError(
                        f"{node.name()} counts {counts[node]} instead of {count}: a node was "
                        "expanded twice; push a node on the stack only the first time you see it."
                    )

    return _report(
        "count_dependencies",
        "every node's count of incoming edges is right, in a 10,000-node chain too.",
        body,
    )


FREED = (
    "Trying to backward through the graph a second time (or directly access saved tensors after "
    "they have already been freed). Saved intermediate values of the graph are freed when you "
    "call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward "
    "through the graph a second time or if you need to access saved tensors after calling "
    "backward."
)
SCALAR_ONLY = "grad can be implicitly created only for scalar outputs"


def check_backward_tensor(backward: Callable, Tensor: type) -> bool:
    """Step 18: the engine, ``backward(tensor, gradient=None)``."""

    def body() -> None:
        rng = np.random.default_rng(17)
        X0, w0 = rng.standard_normal((4, 3)), rng.standard_normal(3)
        # 1. A broadcast: w of shape (3,) used in every row of X.
        X, w = Tensor(X0), Tensor(w0, requires_grad=True)
        h = X * w
        loss = h.tanh().sum()
        backward(loss)
        mw = _t(w0)
        (_t(X0, False) * mw).tanh().sum().backward()
        if w.grad is None:
            raise _HintError("w.grad is None: a leaf receives its gradient in .grad.")
        if np.shape(w.grad) != (3,):
            raise _HintError(
                f"wrong shape after broadcasting: w.grad has shape {np.shape(w.grad)}, w has "
                "shape (3,): pass each gradient through sum_to_shape before it reaches an input."
            )
        if not _close(w.grad, mw.grad.numpy()):
            raise _HintError(
                f"w.grad is {_fmt(w.grad)}, minigrad gives {_fmt(mw.grad.numpy())}: the "
                "gradient from backward(ctx, grad) must go to the node of each input."
            )
        numeric = np.zeros(3)
        with minigrad.no_grad():
            for j in range(3):
                step = np.eye(3)[j] * EPS
                up = (_t(X0, False) * _t(w0 + step, False)).tanh().sum().item()
                down = (_t(X0, False) * _t(w0 - step, False)).tanh().sum().item()
                numeric[j] = (up - down) / (2 * EPS)
        if not np.allclose(w.grad, numeric, rtol=1e-5, atol=1e-5):
            raise _HintError(f"w.grad disagrees with central differences {_fmt(numeric)}.")
        if h.grad is not None or loss.grad is not None:
            raise _HintError(
                "gradient kept on interior nodes: only leaves keep .grad; an interior tensor's "
                "gradient lives in the engine's buffer for one backward call."
            )
        # 2. A value used twice: b reaches the sum by two edges.
        a = Tensor([1.0, -2.0], requires_grad=True)
        b = a * 3.0
        backward((b + b).sum())
        if not _close(a.grad, [6.0, 6.0]):
            raise _HintError(
                f"a.grad is {_fmt(a.grad)} instead of [6, 6]: the gradient overwritten instead "
                "of summed; add each incoming gradient to the node's buffer, and run the node "
                "when its count reaches 0."
            )
        # 3. Leaves accumulate over backward calls.
        a = Tensor([1.0, 2.0], requires_grad=True)
        backward((a + a).sum())
        backward((a + a).sum())
        if not _close(a.grad, [4.0, 4.0]):
            raise _HintError(
                f"a.grad is {_fmt(a.grad)} after two backward calls giving 2 each: a leaf's "
                ".grad accumulates, a.grad = a.grad + g, over the uses of the leaf and over "
                "backward calls (PyTorch's rule)."
            )

        # 4. A non-scalar output, with and without the vector v.
        x0, v0 = np.array([1.0, 2.0, 3.0]), np.array([0.1, 1.0, 10.0])
        x = Tensor(x0, requires_grad=True)
        y = x * x
        try:
            backward(y)
        except RuntimeError as error:
            if str(error) != SCALAR_ONLY:
                raise _HintError(f"raise RuntimeError({SCALAR_ONLY!r}), as PyTorch does.") from None
        else:
            raise _HintError(
                "a non-scalar output needs a vector v: without one, raise "
                f"RuntimeError({SCALAR_ONLY!r})."
            )
        x = Tensor(x0, requires_grad=True)
        backward(x * x, Tensor(v0))
        if not _close(x.grad, 2 * x0 * v0):
            raise _HintError(
                f"backward(y, v) gives {_fmt(x.grad)}, expected v^T J = 2 x v = "
                f"{_fmt(2 * x0 * v0)}: start from the given gradient instead of ones."
            )

    return _report(
        "backward (the engine)",
        "leaf gradients, broadcasting, values used twice, v^T J and accumulation agree with "
        "minigrad and central differences; interior tensors keep no .grad.",
        body,
    )


def _second_backward(backward: Callable, Tensor: type, retain_graph: bool) -> Exception | None:
    """Run backward twice through a graph with saved tensors; return what the second raised."""
    x = Tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    backward(y, retain_graph=retain_graph)
    try:
        backward(y)
    except Exception as error:  # the learner's engine may raise anything
        return error
    if retain_graph and not _close(x.grad, [4.0, 8.0]):
        raise _HintError(f"x.grad is {_fmt(x.grad)} after two backward calls, expected [4, 8].")
    return None


def check_release(backward: Callable, Tensor: type) -> bool:
    """Step 19: saved tensors freed after backward, the second-backward error, retain_graph."""

    def body() -> None:
        freed = _second_backward(backward, Tensor, retain_graph=False)
        kept = _second_backward(backward, Tensor, retain_graph=True)
        if freed is None and kept is not None:
            raise _HintError(
                "condition inverted: free the saved tensors when retain_graph is False, keep "
                "them when it is True."
            )
        if freed is None:
            raise _HintError(
                "saved tensors not freed: a second backward through the same graph must raise "
                "'Trying to backward through the graph a second time ...'."
            )
        if kept is not None:
            raise _HintError(
                "retain_graph=True ignored: with it, keep the saved tensors, so that a second "
                "backward works."
            )
        if not isinstance(freed, RuntimeError) or str(freed) != FREED:
            raise _HintError(
                f"the second backward raised {type(freed).__name__}, not PyTorch's "
                "RuntimeError: free the saved tensors with node.ctx.free(), whose saved_tensors "
                "then raises it."
            )
        x = Tensor([1.0, 2.0], requires_grad=True)
        y = (x + x).sum()  # Add and Sum save no tensors: PyTorch lets this run twice
        backward(y)
        try:
            backward(y)
        except RuntimeError:
            raise _HintError(
                "(x + x).sum() saved no tensors, so PyTorch lets it run backward twice: free "
                "with ctx.free(), which forgets only tensors that were saved."
            ) from None

    return _report(
        "release",
        "saved tensors are freed after backward unless retain_graph=True, with PyTorch's error.",
        body,
    )


def check_no_grad(no_grad: type, GradMode: type, Tensor: type) -> bool:
    """Step 20: the context manager ``no_grad``."""

    def body() -> None:
        start = GradMode.enabled
        try:
            GradMode.enabled = True
            x = Tensor([1.0], requires_grad=True)
            with no_grad():
                if GradMode.enabled:
                    raise _HintError("inside no_grad(), GradMode.enabled must be False.")
                y = x * 2.0
            if y.requires_grad:
                raise _HintError("an operation under no_grad() must give requires_grad=False.")
            if not GradMode.enabled:
                raise _HintError("after the with-block, grad mode must be back on.")
            with no_grad():
                with no_grad():
                    pass
                if GradMode.enabled:
                    raise _HintError(
                        "nested no_grad(): leaving the inner block switched grad mode back on; "
                        "remember the previous state in __enter__ and restore it in __exit__."
                    )
            try:
                with no_grad():
                    raise KeyError("probe")
            except KeyError:
                pass
            else:
                raise _HintError(
                    "an exception inside the block was swallowed: __exit__ must not return True."
                )
            if not GradMode.enabled:
                raise _HintError("after an exception in the block, grad mode must be back on.")
        finally:
            GradMode.enabled = start

    return _report("no_grad", "grad mode is off inside, restored after, nested too.", body)


# --- data and comparisons --------------------------------------------------------------------


def two_moons(n: int, noise: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles (as scikit-learn's ``make_moons``), labels 0 and 1."""
    rng = np.random.default_rng(seed)
    t_outer = np.linspace(0, np.pi, n // 2)
    t_inner = np.linspace(0, np.pi, n - n // 2)
    X = np.concatenate(
        [
            np.stack([np.cos(t_outer), np.sin(t_outer)], axis=1),
            np.stack([1 - np.cos(t_inner), 0.5 - np.sin(t_inner)], axis=1),
        ]
    )
    X = X + rng.normal(scale=noise, size=X.shape)
    y = np.concatenate([np.zeros(n // 2), np.ones(n - n // 2)])
    return X, y


def max_difference(mine: dict[str, Any], theirs: dict[str, Any]) -> float:
    """The largest absolute difference between two dicts of arrays with the same keys."""
    assert mine.keys() == theirs.keys(), (sorted(mine), sorted(theirs))
    worst = 0.0
    for key in theirs:
        a, b = np.asarray(mine[key], float), np.asarray(theirs[key], float)
        assert a.shape == b.shape, f"{key}: shape {a.shape}, minigrad's {b.shape}"
        worst = max(worst, float(np.max(np.abs(a - b), initial=0.0)))
    return worst


def check_matches_minigrad(mine: dict[str, Any], theirs: dict[str, Any], what: str = "") -> None:
    """Assert that every number of ``mine`` equals minigrad's (``theirs``, same keys) within
    1e-6, and say so. Unlike the step checks this one raises: it is the notebook's claim."""
    worst = max_difference(mine, theirs)
    assert worst < TOL, f"your engine differs from minigrad by {worst:.3g}"
    print(f"{what or ', '.join(theirs)}: equal to minigrad's within 1e-6")
