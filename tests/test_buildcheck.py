"""The self-checks of the build-it-yourself notebooks (10 and 11) refuse the typical mistakes,
each with its own hint, and accept the worked solutions that the notebooks ship.

The notebooks' code is taken from the notebooks themselves: every code cell is run in order,
stubs included (tag ``exercise``), except the checks (tag ``check``), with ``ok = False`` before
each worked solution (tag ``solution``), so that the solutions define the engine. Each
wrong implementation below is one typical mistake, written as a small function or class, or as a
one-line change of the notebook's worked solution (a "mutant", for the longer pieces); each must
be refused with the hint that names its mistake.
"""

from __future__ import annotations

import json
import math
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np
import pytest

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
SCALAR = "10_build_a_scalar_engine.ipynb"
TENSOR = "11_build_a_tensor_engine.ipynb"
sys.path.insert(0, str(NOTEBOOKS))
import buildcheck  # noqa: E402 - lives beside the notebooks

matplotlib.use("Agg")


def _code_cells(name: str) -> list[dict]:
    cells = json.loads((NOTEBOOKS / name).read_text(encoding="utf-8"))["cells"]
    return [cell for cell in cells if cell["cell_type"] == "code"]


def _source(cell: dict) -> str:
    return "".join(cell["source"])


def _tags(cell: dict) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def _run_solutions(name: str) -> dict[str, Any]:
    """The notebook's namespace after running it with every worked solution taking over."""
    namespace: dict[str, Any] = {"__name__": f"notebook_{name[:2]}"}
    for cell in _code_cells(name):
        tags = _tags(cell)
        if "check" in tags:
            continue
        if "solution" in tags:
            namespace["ok"] = False
        exec(compile(_source(cell), f"{name}:{cell['id']}", "exec"), namespace)
    return namespace


@pytest.fixture(scope="module")
def scalar() -> dict[str, Any]:
    return _run_solutions(SCALAR)


@pytest.fixture(scope="module")
def tensor() -> Iterator[dict[str, Any]]:
    namespace = _run_solutions(TENSOR)
    yield namespace
    namespace["GradMode"].enabled = True


def _solution_source(name: str, step: str) -> str:
    (cell,) = [cell for cell in _code_cells(name) if cell.get("id") == f"sol-{step}"]
    return _source(cell)


def _mutant(
    namespace: dict[str, Any], name: str, step: str, old: str, new: str, result: str
) -> Any:
    """The worked solution of ``step`` with ``old`` replaced by ``new``, run in a copy of the
    notebook's namespace (so that only the mutant sees itself); returns its ``result``."""
    source = _solution_source(name, step)
    assert old in source, f"{old!r} is not in the solution of {step}"
    copy = dict(namespace)
    copy["ok"] = False
    # The solutions of apply and backward also install themselves on a class: undo that.
    classes = [namespace[name] for name in ("Tensor", "Function") if name in namespace]
    saved = [dict(vars(cls)) for cls in classes]
    try:
        exec(compile(source.replace(old, new), f"mutant of {step}", "exec"), copy)
    finally:
        for cls, attributes in zip(classes, saved):
            for name in ("backward", "apply"):
                if name in attributes:
                    setattr(cls, name, attributes[name])
    return copy[result]


def _refused(capsys: pytest.CaptureFixture, check: Callable[..., bool], *args: Any) -> str:
    capsys.readouterr()
    assert check(*args) is False
    out = capsys.readouterr().out
    assert "✘" in out and buildcheck.TAKE_OVER in out, out
    return out


def _accepted(capsys: pytest.CaptureFixture, check: Callable[..., bool], *args: Any) -> None:
    capsys.readouterr()
    passed = check(*args)
    out = capsys.readouterr().out
    assert passed is True, out
    assert out.startswith("✔"), out


# --- the notebooks' structure ------------------------------------------------------------------


def _steps(name: str) -> list[str]:
    return [cell["id"][3:] for cell in _code_cells(name) if "exercise" in _tags(cell)]


def test_at_least_15_steps() -> None:
    steps = _steps(SCALAR) + _steps(TENSOR)
    assert len(steps) >= 15, steps


@pytest.mark.parametrize("name", [SCALAR, TENSOR])
def test_every_exercise_has_a_check_and_a_collapsed_solution(name: str) -> None:
    cells = _code_cells(name)
    for k, cell in enumerate(cells):
        if "exercise" not in _tags(cell):
            continue
        step = cell["id"][len("ex-") :]
        check, solution = cells[k + 1], cells[k + 2]
        assert cell["id"] == f"ex-{step}"
        assert "check" in _tags(check) and check["id"] == f"check-{step}"
        assert _source(check).startswith("ok = buildcheck.check_")
        assert "solution" in _tags(solution) and solution["id"] == f"sol-{step}"
        assert solution["metadata"].get("jupyter", {}).get("source_hidden") is True
        assert _source(solution).startswith("if not ok:")
        assert "NotImplementedError" in _source(cell)


@pytest.mark.parametrize("name", [SCALAR, TENSOR])
def test_stored_outputs_show_an_unanswered_run(name: str) -> None:
    """What nbval compares: each check ran on the stub and said so, and the solution took over."""
    for cell in _code_cells(name):
        if "check" in _tags(cell):
            text = "".join("".join(output.get("text", "")) for output in cell["outputs"])
            assert "not written yet" in text and buildcheck.TAKE_OVER.strip() in text, cell["id"]


@pytest.mark.parametrize("name", [SCALAR, TENSOR])
def test_a_learner_who_writes_the_solutions_passes_every_check(
    name: str, capsys: pytest.CaptureFixture
) -> None:
    """Run the notebook with each stub replaced by its worked solution, as a learner who got
    everything right would: every check passes, and the solutions then stay unused."""
    cells = _code_cells(name)
    solutions = {cell["id"]: _source(cell) for cell in cells if "solution" in _tags(cell)}
    namespace: dict[str, Any] = {"__name__": f"learner_{name[:2]}"}
    passed = []
    for cell in cells:
        source = _source(cell)
        if "exercise" in _tags(cell):  # the learner's answer: the solution's body
            body = solutions["sol-" + cell["id"][len("ex-") :]].split("\n", 1)[1]
            source = textwrap.dedent(body)
        capsys.readouterr()
        exec(compile(source, f"{name}:{cell['id']}", "exec"), namespace)
        if "check" in _tags(cell):
            assert namespace["ok"] is True, capsys.readouterr().out
            passed.append(capsys.readouterr().out)
    assert passed and all(out.startswith("✔") for out in passed), passed


# --- notebook 10 ------------------------------------------------------------------------------


def _value_class(scalar: dict[str, Any], **changes: Any) -> type:
    """A Value class like the solution, with the given attributes changed in __init__."""
    Value = scalar["Value"]

    def __init__(self, data, parents=(), local_grads=(), op=""):  # noqa: N807
        Value.__init__(self, data, parents, local_grads, op)
        for name, change in changes.items():
            if change is None:
                delattr(self, name)
            else:
                setattr(self, name, change(self, data, parents))

    return type("WrongValue", (Value,), {"__init__": __init__})


def test_value(scalar: dict[str, Any], capsys: pytest.CaptureFixture) -> None:
    check = buildcheck.check_value
    _accepted(capsys, check, scalar["Value"])
    wrong_grad = _value_class(scalar, grad=lambda self, data, parents: None)
    assert "grad must start at 0.0" in _refused(capsys, check, wrong_grad)
    not_float = _value_class(scalar, data=lambda self, data, parents: data)
    assert "data should be a float" in _refused(capsys, check, not_float)
    no_parents = _value_class(scalar, parents=lambda self, data, parents: ())
    assert "store the parents you are given" in _refused(capsys, check, no_parents)
    no_op = _value_class(scalar, op=None)
    assert "needs the attribute 'op'" in _refused(capsys, check, no_op)


def _with(scalar: dict[str, Any], **methods: Callable) -> type:
    return type("V", (scalar["Value"],), methods)


def _binary(local: Callable, value: Callable = lambda a, b: a + b, wrap: bool = True) -> Callable:
    def op(self, other):
        if wrap:
            other = other if isinstance(other, type(self)) else type(self)(other)
        return type(self)(value(self.data, other.data), (self, other), local(self.data, other.data))

    return op


@pytest.mark.parametrize(
    ("local", "value", "wrap", "hint"),
    [
        (lambda a, b: (0.0, 0.0), None, True, "the local derivatives of a + b are 1 and 1, not 0"),
        (lambda a, b: (b, a), None, True, "those are the local derivatives of a * b"),
        (lambda a, b: (-1.0, -1.0), None, True, "wrong sign"),
        (lambda a, b: (1.0, 1.0), lambda a, b: a - b, True, "wrong value"),
        (lambda a, b: (1.0, 1.0), None, False, "a plain number must work too"),
    ],
)
def test_add(scalar, capsys, local, value, wrap, hint) -> None:
    _accepted(capsys, buildcheck.check_add, scalar["Value"])
    op = _binary(local, value or (lambda a, b: a + b), wrap)
    assert hint in _refused(capsys, buildcheck.check_add, _with(scalar, __add__=op, __radd__=op))


def test_add_needs_radd(scalar, capsys) -> None:
    op = _binary(lambda a, b: (1.0, 1.0))
    out = _refused(capsys, buildcheck.check_add, _with(scalar, __add__=op, __radd__=None))
    assert "define the reflected operator" in out


@pytest.mark.parametrize(
    ("local", "value", "hint"),
    [
        (lambda a, b: (a, b), None, "local derivatives swapped"),
        (lambda a, b: (1.0, 1.0), None, "those are the local derivatives of a + b"),
        (lambda a, b: (-b, -a), None, "wrong sign"),
        (lambda a, b: (b, a), lambda a, b: a + b, "wrong value"),
    ],
)
def test_mul(scalar, capsys, local, value, hint) -> None:
    _accepted(capsys, buildcheck.check_mul, scalar["Value"])
    op = _binary(local, value or (lambda a, b: a * b))
    assert hint in _refused(capsys, buildcheck.check_mul, _with(scalar, __mul__=op, __rmul__=op))


def _unary(value: Callable, local: Callable) -> Callable:
    def op(self, *n):
        return type(self)(value(self.data, *n), (self,), (local(self.data, *n),))

    return op


@pytest.mark.parametrize(
    ("local", "hint"),
    [
        (lambda a, n: a ** (n - 1), "missing the factor n"),
        (lambda a, n: n * a**n, "the exponent must drop by one"),
        (lambda a, n: -n * a ** (n - 1), "wrong sign"),
        (lambda a, n: n**a * math.log(n), "the derivative of n**a"),
    ],
)
def test_pow(scalar, capsys, local, hint) -> None:
    _accepted(capsys, buildcheck.check_pow, scalar["Value"])
    op = _unary(lambda a, n: a**n, local)
    assert hint in _refused(capsys, buildcheck.check_pow, _with(scalar, __pow__=op))


@pytest.mark.parametrize(
    ("local", "hint"),
    [
        (lambda a: a * math.exp(a - 1), "that is the power rule"),
        (lambda a: a, "the result itself, not a"),
        (lambda a: 1.0, "not 1"),
        (lambda a: -math.exp(a), "wrong sign"),
    ],
)
def test_exp(scalar, capsys, local, hint) -> None:
    _accepted(capsys, buildcheck.check_exp, scalar["Value"])
    op = _unary(math.exp, local)
    assert hint in _refused(capsys, buildcheck.check_exp, _with(scalar, exp=op))


@pytest.mark.parametrize(
    ("local", "hint"),
    [
        (lambda a: 1 - a * a, "use t = tanh(a), not a"),
        (lambda a: 1 - math.tanh(a), "square t"),
        (lambda a: math.tanh(a) ** 2 - 1, "wrong sign"),
    ],
)
def test_tanh(scalar, capsys, local, hint) -> None:
    _accepted(capsys, buildcheck.check_tanh, scalar["Value"])
    op = _unary(math.tanh, local)
    assert hint in _refused(capsys, buildcheck.check_tanh, _with(scalar, tanh=op))


def topo_recursive(root):
    order, seen = [], set()

    def visit(node):
        if node not in seen:
            seen.add(node)
            for parent in node.parents:
                visit(parent)
            order.append(node)

    visit(root)
    return order


def topo_no_seen_set(root):
    order, stack = [], [(root, False)]
    while stack:
        node, done = stack.pop()
        if done:
            order.append(node)
        else:
            stack.append((node, True))
            stack.extend((parent, False) for parent in node.parents)
    return order


def topo_root_first(root):
    return list(reversed(buildcheck._parents_first(root)))


def topo_reversed_preorder(root):
    order, seen, stack = [], set(), [root]
    while stack:
        node = stack.pop()
        if node not in seen:
            seen.add(node)
            order.append(node)
            stack.extend(node.parents)
    return order[::-1]


def topo_first_parent_only(root):
    order, node = [], root
    while True:
        order.append(node)
        if not node.parents:
            return order[::-1]
        node = node.parents[0]


@pytest.mark.parametrize(
    ("topo", "hint"),
    [
        (topo_recursive, "RecursionError (recursion limit)"),
        (topo_no_seen_set, "a node appears twice"),
        (topo_root_first, "order reversed"),
        (topo_reversed_preorder, "a node comes before one of its parents"),
        (topo_first_parent_only, "missing: follow every parent"),
    ],
)
def test_topo_order(scalar, capsys, topo, hint) -> None:
    _accepted(capsys, buildcheck.check_topo_order, scalar["topo_order"], scalar["Value"])
    assert hint in _refused(capsys, buildcheck.check_topo_order, topo, scalar["Value"])


def _backward(scalar: dict[str, Any], mistake: str) -> Callable:
    topo_order = scalar["topo_order"]

    def backward(root):
        order = topo_order(root)
        root.grad = 0.0 if mistake == "no seed" else 1.0
        for node in order if mistake == "forward order" else reversed(order):
            for parent, local in zip(node.parents, node.local_grads):
                if mistake == "overwrite":
                    parent.grad = local * node.grad
                elif mistake == "no chain":
                    parent.grad += local
                else:
                    parent.grad += local * node.grad

    return backward


def backward_recursive(root):
    def push(node, grad):  # each path's contribution, pushed on at once
        node.grad += grad
        for parent, local in zip(node.parents, node.local_grads):
            push(parent, local * grad)

    push(root, 1.0)


@pytest.mark.parametrize(
    ("mistake", "hint"),
    [
        ("overwrite", "gradient overwritten instead of summed"),
        ("no seed", "start with root.grad = 1.0"),
        ("no chain", "chain rule missing"),
        ("forward order", "nodes visited in the wrong order"),
    ],
)
def test_backward(scalar, capsys, mistake, hint) -> None:
    Value = scalar["Value"]
    _accepted(capsys, buildcheck.check_backward, scalar["backward"], Value)
    out = _refused(capsys, buildcheck.check_backward, _backward(scalar, mistake), Value)
    assert hint in out


def test_backward_by_recursion(scalar, capsys) -> None:
    """Pushing each gradient on at once by recursion is right on small graphs (the sums come
    out the same) but fails on the 10,000-node chain."""
    out = _refused(capsys, buildcheck.check_backward, backward_recursive, scalar["Value"])
    assert "RecursionError (recursion limit)" in out


def test_a_stub_is_not_written_yet(scalar, capsys) -> None:
    def stub(root):
        raise NotImplementedError("step 8: write backward")

    capsys.readouterr()
    assert buildcheck.check_backward(stub, scalar["Value"]) is False
    assert "not written yet" in capsys.readouterr().out


def _derived(scalar: dict[str, Any], **wrong: Callable) -> type:
    """A Value class with the solution's derived operations, some replaced by wrong ones."""
    names = {"neg": "__neg__", "sub": "__sub__", "rsub": "__rsub__"}
    names |= {"truediv": "__truediv__", "rtruediv": "__rtruediv__"}
    methods = {names[name]: method for name, method in wrong.items()}
    return type("V", (scalar["Value"],), methods)


@pytest.mark.parametrize(
    ("wrong", "hint"),
    [
        ({"sub": lambda self, other: self + other}, "a - b computed as a + b"),
        ({"sub": lambda self, other: other + (-self)}, "a - b computed as b - a"),
        ({"rsub": lambda self, other: self + (-other)}, "2 - a computed as a - 2"),
        ({"truediv": lambda self, other: self * other}, "a / b computed as a * b"),
        ({"rtruediv": lambda self, other: self * other**-1}, "2 / a computed as a / 2"),
        ({"neg": lambda self: type(self)(-self.data)}, "no gradient reaches an input of a - b"),
    ],
)
def test_derived_ops(scalar, capsys, wrong, hint) -> None:
    _accepted(capsys, buildcheck.check_derived_ops, scalar["Value"])
    assert hint in _refused(capsys, buildcheck.check_derived_ops, _derived(scalar, **wrong))


# --- notebook 11 ------------------------------------------------------------------------------


def _function(base: type, forward: Callable, backward: Callable) -> type:
    return type(
        "Wrong", (base,), {"forward": staticmethod(forward), "backward": staticmethod(backward)}
    )


def _mul_forward(ctx, a, b):
    ctx.save_for_backward(a, b)
    return a * b


@pytest.mark.parametrize(
    ("which", "backward", "hint"),
    [
        ("Add", lambda ctx, g: (g, -g), "wrong sign"),
        ("Add", lambda ctx, g: (np.ones_like(g), np.ones_like(g)), "multiply by the incoming"),
        ("Add", lambda ctx, g: g, "one gradient per input"),
        ("Mul", lambda ctx, g: (g * ctx.saved_tensors[0], g * ctx.saved_tensors[1]), "swapped"),
        ("Mul", lambda ctx, g: (ctx.saved_tensors[1], ctx.saved_tensors[0]), "multiply by the"),
        ("Mul", lambda ctx, g: (g * ctx.saved_tensors[1], -g * ctx.saved_tensors[0]), "sign"),
    ],
)
def test_add_mul(tensor, capsys, which, backward, hint) -> None:
    Add, Mul, Function = tensor["Add"], tensor["Mul"], tensor["Function"]
    _accepted_output = buildcheck.check_add_mul
    capsys.readouterr()
    assert _accepted_output(Add, Mul) is True
    if which == "Add":
        Add = _function(Function, lambda ctx, a, b: a + b, backward)
    else:
        Mul = _function(Function, _mul_forward, backward)
    out = _refused(capsys, buildcheck.check_add_mul, Add, Mul)
    assert f"✘ {which}: " in out and hint in out


def sum_unchanged(grad, shape):
    return grad


def sum_leading_only(grad, shape):
    while grad.ndim > len(shape):
        grad = grad.sum(axis=0)
    return grad


def sum_without_keepdims(grad, shape):
    grad = sum_leading_only(grad, shape)
    for axis in reversed(range(len(shape))):
        if shape[axis] == 1 and grad.shape[axis] != 1:
            grad = grad.sum(axis=axis)
    return grad


def mean_to_shape(grad, shape):
    while grad.ndim > len(shape):
        grad = grad.mean(axis=0)
    for axis, size in enumerate(shape):
        if size == 1 and grad.shape[axis] != 1:
            grad = grad.mean(axis=axis, keepdims=True)
    return grad


@pytest.mark.parametrize(
    ("wrong", "hint"),
    [
        (sum_unchanged, "the gradient keeps shape (4, 3)"),
        (sum_leading_only, "a dimension of size 1 was stretched by broadcasting"),
        (sum_without_keepdims, "the dimension of size 1 was dropped"),
        (mean_to_shape, "averaged instead of summed"),
    ],
)
def test_sum_to_shape(tensor, capsys, wrong, hint) -> None:
    _accepted(capsys, buildcheck.check_sum_to_shape, tensor["sum_to_shape"])
    out = _refused(capsys, buildcheck.check_sum_to_shape, wrong)
    assert "wrong shape after broadcasting" in out or "averaged" in out
    assert hint in out


def _sum_forward(ctx, a):
    ctx.shape = a.shape
    return a.sum()


@pytest.mark.parametrize(
    ("backward", "hint"),
    [
        (lambda ctx, g: g, "wrong shape: the gradient of a sum has the shape of its input"),
        (lambda ctx, g: np.ones(ctx.shape), "multiply by the incoming gradient"),
        (lambda ctx, g: np.full(ctx.shape, g / math.prod(ctx.shape)), "not grad / n"),
    ],
)
def test_sum(tensor, capsys, backward, hint) -> None:
    _accepted(capsys, buildcheck.check_sum, tensor["Sum"])
    wrong = _function(tensor["Function"], _sum_forward, backward)
    assert hint in _refused(capsys, buildcheck.check_sum, wrong)


def _saved_ab(ctx):
    return ctx.saved_tensors


@pytest.mark.parametrize(
    ("backward", "hint"),
    [
        (lambda ctx, g: (g @ _saved_ab(ctx)[1], _saved_ab(ctx)[0].T @ g), "shapes do not fit"),
        (lambda ctx, g: (_saved_ab(ctx)[0].T @ g, g @ _saved_ab(ctx)[1].T), "swapped"),
        (
            lambda ctx, g: (g @ _saved_ab(ctx)[1].T, _saved_ab(ctx)[0].T @ g),
            "for a vector a, b's gradient is np.outer(a, grad)",
        ),
        (
            lambda ctx, g: (
                np.ones_like(g) @ _saved_ab(ctx)[1].T,
                _saved_ab(ctx)[0].T @ np.ones_like(g),
            ),
            "multiply by the incoming gradient",
        ),
    ],
)
def test_matmul(tensor, capsys, backward, hint) -> None:
    _accepted(capsys, buildcheck.check_matmul, tensor["MatMul"])

    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return a @ b

    wrong = _function(tensor["Function"], forward, backward)
    assert hint in _refused(capsys, buildcheck.check_matmul, wrong)


@pytest.mark.parametrize(
    ("save_input", "backward", "hint"),
    [
        (True, lambda ctx, g: g * (1 - ctx.saved_tensors[0] ** 2), "use t = tanh(x)"),
        (False, lambda ctx, g: g * (ctx.saved_tensors[0] ** 2 - 1), "wrong sign"),
        (False, lambda ctx, g: 1 - ctx.saved_tensors[0] ** 2, "multiply by the incoming"),
    ],
)
def test_tanh_function(tensor, capsys, save_input, backward, hint) -> None:
    _accepted(capsys, buildcheck.check_tanh_function, tensor["Tanh"])

    def forward(ctx, x):
        t = np.tanh(x)
        ctx.save_for_backward(x if save_input else t)
        return t

    wrong = _function(tensor["Function"], forward, backward)
    assert hint in _refused(capsys, buildcheck.check_tanh_function, wrong)


def _bce_forward(ctx, z, y):
    ctx.save_for_backward(z, y)
    return np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z))))


def _bce_naive_forward(ctx, z, y):
    ctx.save_for_backward(z, y)
    s = 1 / (1 + np.exp(-z))
    return np.mean(-(y * np.log(s) + (1 - y) * np.log(1 - s)))


def _sigmoid(z):
    return 0.5 * (1 + np.tanh(z / 2))


def _bce_backward(ctx, g):
    z, y = ctx.saved_tensors
    return g * (_sigmoid(z) - y) / z.size, None


@pytest.mark.parametrize(
    ("forward", "backward", "hint"),
    [
        (_bce_naive_forward, _bce_backward, "forward gives inf or nan"),
        (
            _bce_forward,
            lambda ctx, g: (g * (_sigmoid(ctx.saved_tensors[0]) - ctx.saved_tensors[1]), None),
            "divide by the number of elements",
        ),
        (
            _bce_forward,
            lambda ctx, g: (
                g * (ctx.saved_tensors[1] - _sigmoid(ctx.saved_tensors[0])) / 3,
                None,
            ),
            "wrong sign",
        ),
        (
            _bce_forward,
            lambda ctx, g: ((_sigmoid(ctx.saved_tensors[0]) - ctx.saved_tensors[1]) / 3, None),
            "multiply by the incoming gradient",
        ),
    ],
)
def test_bce_with_logits(tensor, capsys, forward, backward, hint) -> None:
    check = buildcheck.check_bce_with_logits
    _accepted(capsys, check, tensor["BinaryCrossEntropyWithLogits"])
    wrong = _function(tensor["Function"], forward, backward)
    assert hint in _refused(capsys, check, wrong)


APPLY_MUTANTS = [
    (
        "*(t.data for t in inputs)",
        "*inputs",
        "forward works on NumPy arrays",
    ),
    (
        "GradMode.enabled and any(t.requires_grad for t in inputs)",
        "True",
        "no input requires grad, so nothing is recorded",
    ),
    (
        "GradMode.enabled and any(",
        "any(",
        "grad mode is off",
    ),
    (
        "result.requires_grad = True",
        "pass",
        "requires_grad spreads",
    ),
    (
        "inputs = [t if isinstance(t, Tensor) else Tensor(t) for t in inputs]",
        "pass",
        "wrap a plain number in a Tensor",
    ),
]


@pytest.mark.parametrize(("old", "new", "hint"), APPLY_MUTANTS)
def test_apply(tensor, capsys, old, new, hint) -> None:
    Function, Tensor, GradMode = tensor["Function"], tensor["Tensor"], tensor["GradMode"]
    _accepted(capsys, buildcheck.check_apply, Function, Tensor, GradMode)
    apply = _mutant(tensor, TENSOR, "apply", old, new, "apply")
    Wrong = type("WrongFunction", (Function,), {"apply": classmethod(apply)})
    assert hint in _refused(capsys, buildcheck.check_apply, Wrong, Tensor, GradMode)


def count_recursive(root):
    counts = {root: 0}

    def visit(node):
        for t in node.inputs:
            child = t.grad_fn
            if child is not None:
                first = child not in counts
                counts[child] = counts.get(child, 0) + 1
                if first:
                    visit(child)

    visit(root)
    return counts


@pytest.mark.parametrize(
    ("old", "new", "hint"),
    [
        (
            "counts[child] += 1  # one more edge into child",
            "counts[child] = 1",
            "an input used twice is two edges",
        ),
        (
            "counts[child] += 1  # one more edge into child",
            "counts[child] += 1\n                stack.append(child)  # expanded at every edge",
            "a node was expanded twice",
        ),
        ("counts = {root: 0}", "counts = {}", "the root belongs in the counts"),
    ],
)
def test_count_dependencies(tensor, capsys, old, new, hint) -> None:
    check, Tensor = buildcheck.check_count_dependencies, tensor["Tensor"]
    _accepted(capsys, check, tensor["count_dependencies"], Tensor)
    wrong = _mutant(tensor, TENSOR, "count_dependencies", old, new, "count_dependencies")
    assert hint in _refused(capsys, check, wrong, Tensor)


def test_count_dependencies_by_recursion(tensor, capsys) -> None:
    out = _refused(capsys, buildcheck.check_count_dependencies, count_recursive, tensor["Tensor"])
    assert "RecursionError (recursion limit)" in out


BACKWARD_MUTANTS = [
    (
        "child = t.grad_fn",
        "t.grad = grad\n                    child = t.grad_fn",
        "gradient kept on interior nodes",
    ),
    (
        "buffers[child] + grad if child in buffers else grad",
        "grad",
        "overwritten instead of summed",
    ),
    (
        "grad = sum_to_shape(np.asarray(grad), t.shape)",
        "grad = np.asarray(grad)",
        "wrong shape after broadcasting",
    ),
    (
        'raise RuntimeError("grad can be implicitly created only for scalar outputs")',
        "pass",
        "a non-scalar output needs a vector v",
    ),
    (
        "t.grad = grad if t.grad is None else t.grad + grad",
        "t.grad = grad",
        "a leaf's .grad accumulates",
    ),
    (
        "elif isinstance(gradient, Tensor):\n            gradient = gradient.data",
        "else:\n            gradient = np.ones_like(tensor.data)",
        "start from the given gradient instead of ones",
    ),
]


@pytest.mark.parametrize(("old", "new", "hint"), BACKWARD_MUTANTS)
def test_backward_tensor(tensor, capsys, old, new, hint) -> None:
    check, Tensor = buildcheck.check_backward_tensor, tensor["Tensor"]
    _accepted(capsys, check, tensor["backward"], Tensor)
    wrong = _mutant(tensor, TENSOR, "backward", old, new, "backward")
    assert hint in _refused(capsys, check, wrong, Tensor)


@pytest.mark.parametrize(
    ("old", "new", "hint"),
    [
        ("node.ctx.free()", "pass", "saved tensors not freed"),
        ("if not retain_graph:", "if True:", "retain_graph=True ignored"),
        ("node.ctx.free()", "node.ctx._saved = None", "not PyTorch's RuntimeError"),
        ("if not retain_graph:", "if retain_graph:", "condition inverted"),
    ],
)
def test_release(tensor, capsys, old, new, hint) -> None:
    check, Tensor = buildcheck.check_release, tensor["Tensor"]
    _accepted(capsys, check, tensor["backward"], Tensor)
    original = tensor["release"]
    tensor["release"] = _mutant(tensor, TENSOR, "release", old, new, "release")
    try:  # the engine looks release up each time it runs a node
        assert hint in _refused(capsys, check, tensor["backward"], Tensor)
    finally:
        tensor["release"] = original


class NoGradAlwaysOn:
    def __init__(self, GradMode):
        self.GradMode = GradMode

    def __enter__(self):
        self.GradMode.enabled = False

    def __exit__(self, *exception):
        self.GradMode.enabled = True  # not the state it found


class NoGradNeverOff(NoGradAlwaysOn):
    def __enter__(self):
        self.previous = self.GradMode.enabled

    def __exit__(self, *exception):
        self.GradMode.enabled = self.previous


class NoGradSwallows(NoGradNeverOff):
    def __enter__(self):
        self.previous = self.GradMode.enabled
        self.GradMode.enabled = False

    def __exit__(self, *exception):
        self.GradMode.enabled = self.previous
        return True


class NoGradNoRestore(NoGradNeverOff):
    def __enter__(self):
        self.GradMode.enabled = False

    def __exit__(self, *exception):
        pass


@pytest.mark.parametrize(
    ("wrong", "hint"),
    [
        (NoGradAlwaysOn, "nested no_grad()"),
        (NoGradNeverOff, "inside no_grad(), GradMode.enabled must be False"),
        (NoGradSwallows, "an exception inside the block was swallowed"),
        (NoGradNoRestore, "after the with-block, grad mode must be back on"),
    ],
)
def test_no_grad(tensor, capsys, wrong, hint) -> None:
    GradMode, Tensor = tensor["GradMode"], tensor["Tensor"]
    _accepted(capsys, buildcheck.check_no_grad, tensor["no_grad"], GradMode, Tensor)
    manager = type(
        wrong.__name__, (wrong,), {"__init__": lambda self: wrong.__init__(self, GradMode)}
    )
    assert hint in _refused(capsys, buildcheck.check_no_grad, manager, GradMode, Tensor)
    assert GradMode.enabled


def test_every_check_is_tested() -> None:
    """Each check of buildcheck is called by one of the notebooks' check cells."""
    called = {
        _source(cell).split("buildcheck.")[1].split("(")[0]
        for name in (SCALAR, TENSOR)
        for cell in _code_cells(name)
        if "check" in _tags(cell)
    }
    defined = {name for name in dir(buildcheck) if name.startswith("check_")}
    defined.remove("check_matches_minigrad")  # not a step's check: tested above
    assert called == defined


# --- the comparisons and drawings the notebooks show ------------------------------------------


def test_check_matches_minigrad_raises_beyond_1e_6(capsys) -> None:
    buildcheck.check_matches_minigrad({"w": [1.0, 2.0]}, {"w": np.array([1.0, 2.0 + 5e-7])})
    assert capsys.readouterr().out == "w: equal to minigrad's within 1e-6\n"
    with pytest.raises(AssertionError, match="differs from minigrad by 2e-06"):
        buildcheck.check_matches_minigrad({"w": [1.0, 2.0]}, {"w": [1.0, 2.000002]})
    with pytest.raises(AssertionError, match="shape"):
        buildcheck.check_matches_minigrad({"w": [1.0, 2.0]}, {"w": [[1.0, 2.0]]})


def test_the_scalar_drawing(scalar) -> None:
    """The drawing of the neuron: one box per Value, numbered in topological order, so that its
    DOT text is the same on every run."""
    source = scalar["dot"].source
    assert source.count("->") == 9 and source.count("[label=") == 10
    assert 'v9 [label="tanh | data 0.7071 | grad 1.0000"]' in source
    assert 'v0 [label="x1 | data 2.0000 | grad -1.5000"]' in source
    names = {value: name for name, value in scalar["v"].items()}
    assert scalar["draw"](scalar["o"], names).source == source


def test_the_tensor_drawing(tensor) -> None:
    source = tensor["dot"].source
    for name in ["BinaryCrossEntropyWithLogitsBackward0", "AddBackward0", "MatMulBackward0"]:
        assert source.count(f"[label={name} ") == 1, name
    assert 'n0 [label="loss\\n()" fillcolor=darkolivegreen1]' in source
    assert 'label="w\\n(5, 3)" fillcolor=lightblue' in source
    assert "0x" not in source


def test_the_learners_engine_gives_pytorchs_figures(tensor) -> None:
    """The tutorial's network in notebook 11 (the learner's engine, on the numbers of notebooks
    1 and 2) gives PyTorch's loss, w.grad and b.grad for the same numbers. (PyTorch's own
    generator, seeded with 0, draws other numbers: the notebooks take minigrad's.)"""
    torch = pytest.importorskip("torch")
    x, y = torch.ones(5), torch.zeros(3)
    w = torch.tensor(tensor["w_start"], requires_grad=True)
    b = torch.tensor(tensor["b_start"], requires_grad=True)
    loss = torch.nn.functional.binary_cross_entropy_with_logits(torch.matmul(x, w) + b, y)
    loss.backward()

    Tensor, BCE = tensor["Tensor"], tensor["BinaryCrossEntropyWithLogits"]
    mine_w = Tensor(tensor["w_start"], requires_grad=True)
    mine_b = Tensor(tensor["b_start"], requires_grad=True)
    mine = BCE.apply(Tensor(np.ones(5)) @ mine_w + mine_b, Tensor(np.zeros(3)))
    mine.backward()
    assert abs(mine.data.item() - loss.item()) < 1e-6
    assert np.abs(mine_w.grad - w.grad.numpy()).max() < 1e-6
    assert np.abs(mine_b.grad - b.grad.numpy()).max() < 1e-6


def test_the_learners_two_moons_run_is_pytorchs(tensor) -> None:
    """The two-moons training of notebook 11, redone in PyTorch (float64, the same data, start,
    learning rate and steps): the same 300 losses within 1e-6."""
    torch = pytest.importorskip("torch")
    X = torch.tensor(tensor["X_moons"])
    Y = torch.tensor(tensor["labels"][:, None])
    params = [torch.tensor(p, requires_grad=True) for p in tensor["start"]]
    losses = []
    for _ in range(tensor["steps"]):
        loss = torch.nn.functional.binary_cross_entropy_with_logits(tensor["mlp"](params, X), Y)
        loss.backward()
        with torch.no_grad():
            for p in params:
                p -= tensor["lr"] * p.grad
                p.grad = None
        losses.append(loss.item())
    assert len(losses) == len(tensor["losses"]) == 300
    assert max(abs(a - b) for a, b in zip(losses, tensor["losses"], strict=True)) < 1e-6
