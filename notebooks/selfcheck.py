"""Self-checks for the notebooks: you predict, run, and check.

Each function takes your answer, works out the right one *now*, with minigrad, and prints either
``Correct! ...`` or ``Not yet: ...`` with a hint that names the usual mistake without giving the
answer away. An answer left as ``...`` only asks you to fill it in: nothing stops Run All.

Answers may be spelled in several ways: a number, a list, a tuple, a NumPy array or a tensor;
``"backward"``, ``"Backward"`` or ``"backward mode"``. The exercises of notebook 8 also take
``strict=True``, which their worked solutions use: then a wrong answer raises ``AssertionError``.
"""

from __future__ import annotations

import base64
import contextlib
import html
import io
import math
import re
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

import minigrad

FILL_IN = "replace the ... with your answer, then run this cell again."


# -- reading answers -------------------------------------------------------------------------


def _report(ok: bool, message: str, strict: bool = False) -> None:
    print(("Correct! " if ok else "Not yet: ") + message)
    if strict and not ok:
        raise AssertionError(message)


def _is_stub(answer: Any) -> bool:
    return answer is ...


def _array(answer: Any) -> np.ndarray | None:
    """The answer as a float array (number, list, tuple, NumPy array, tensor), or None."""
    if isinstance(answer, (str, bytes, bool)) or answer is None or answer is ...:
        return None
    if hasattr(answer, "detach"):  # a minigrad (or PyTorch) tensor
        answer = answer.detach().numpy()
    try:
        array = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return None
    return array


def _same(answer: Any, expected: Any, rtol: float = 1e-4, atol: float = 1e-6) -> bool:
    """Same numbers; a single number matches a tensor whose entries all equal it."""
    mine, want = _array(answer), _array(expected)
    if mine is None or want is None:
        return False
    if mine.shape != want.shape and mine.size != 1:
        return False
    return bool(np.allclose(mine, want, rtol=rtol, atol=atol))


def _word(answer: Any) -> str:
    """A word answer, lower-cased, without spaces, quotes or the word 'mode'."""
    if not isinstance(answer, str):
        return ""
    return re.sub(r"[\s'\"`_.-]|mode", "", answer.lower())


def _shape(answer: Any) -> tuple[int, ...] | None:
    """A shape: a tuple, list, torch.Size, a tensor (its shape), or text such as '(5, 3)'."""
    if hasattr(answer, "shape") and hasattr(answer, "detach"):
        return tuple(int(n) for n in answer.shape)
    if isinstance(answer, str):
        return tuple(int(n) for n in re.findall(r"\d+", answer))
    if isinstance(answer, int) and not isinstance(answer, bool):
        return (answer,)
    if isinstance(answer, (tuple, list)):
        try:
            return tuple(int(n) for n in answer)
        except (TypeError, ValueError):
            return None
    return None


def _names(answer: Any) -> set[str] | None:
    """A set of variable names from a list, a set, or a string such as 'x, y, w'."""
    if isinstance(answer, str):
        return {n for n in re.split(r"[\s,;]+", answer) if n}
    if isinstance(answer, Iterable):
        items = list(answer)
        if all(isinstance(item, str) for item in items):
            return {item.strip() for item in items}
    return None


def _tutorial_network() -> dict[str, Any]:
    minigrad.manual_seed(0)
    x, y = minigrad.ones(5), minigrad.zeros(3)
    w = minigrad.randn(5, 3, requires_grad=True)
    b = minigrad.randn(3, requires_grad=True)
    z = minigrad.matmul(x, w) + b
    loss = minigrad.nn.functional.binary_cross_entropy_with_logits(z, y)
    return {"x": x, "y": y, "w": w, "b": b, "z": z, "loss": loss}


def _nodes(output: Any) -> list[Any]:
    stack = [output.grad_fn] if output.grad_fn is not None else []
    seen: list[Any] = []
    while stack:
        node = stack.pop()
        if node not in seen:
            seen.append(node)
            stack.extend(fn for fn, _ in node.next_functions if fn is not None)
    return seen


def _whole_number(answer: Any) -> int | None:
    array = _array(answer)
    if array is None or array.size != 1 or float(array) != int(float(array)):
        return None
    return int(float(array))


# -- notebook 1 ------------------------------------------------------------------------------


def leaves(answer: Any) -> None:
    """Which of x, y, w, b, z, loss are leaves of the graph?"""
    if _is_stub(answer):
        return _report(False, FILL_IN)
    mine = _names(answer)
    tensors = _tutorial_network()
    if mine is None or not mine <= set(tensors):
        return _report(False, f"give a list of names from {sorted(tensors)}, e.g. ['x', 'z'].")
    expected = {name for name, t in tensors.items() if t.is_leaf}
    made = {name for name, t in tensors.items() if t.grad_fn is not None}
    if mine & made:
        return _report(
            False,
            f"{sorted(mine & made)} came out of an operation: a tensor with a grad_fn was made "
            "by the graph, it does not start it.",
        )
    if mine != expected:
        return _report(
            False,
            "a leaf is any tensor you create yourself, whether or not it requires grad: "
            "requires_grad decides whether it gets a gradient, not whether it is a leaf.",
        )
    return _report(True, f"{sorted(expected)} were created by you; the others by operations.")


def accumulate_grad_nodes(answer: Any) -> None:
    """How many AccumulateGrad nodes does the graph of the tutorial's loss have?"""
    if _is_stub(answer):
        return _report(False, FILL_IN)
    count = _whole_number(answer)
    tensors = _tutorial_network()
    nodes = _nodes(tensors["loss"])
    expected = sum(type(n).__name__ == "AccumulateGrad" for n in nodes)
    leaves_all = sum(t.is_leaf for t in tensors.values())
    if count is None:
        return _report(False, "answer with a whole number.")
    if count == leaves_all:
        return _report(False, "not every leaf gets one: only leaves whose gradient is wanted do.")
    if count == len(nodes):
        return _report(False, "that counts every node; count only those that end at a leaf.")
    if count != expected:
        return _report(False, "one such node per leaf that requires grad: which leaves are those?")
    return _report(True, f"{expected}: one per parameter, w and b.")


# -- notebook 2 ------------------------------------------------------------------------------


def shape_of_w_grad(answer: Any) -> None:
    """What shape does w.grad have in the tutorial's network?"""
    if _is_stub(answer):
        return _report(False, FILL_IN)
    tensors = _tutorial_network()
    tensors["loss"].backward()
    expected = tuple(tensors["w"].grad.shape)
    mine = _shape(answer)
    if mine is None:
        return _report(False, "write the shape as a tuple of whole numbers, e.g. (2, 7).")
    if mine == ():
        return _report(
            False,
            "the loss is a single number, but its gradient has one entry for every number "
            "in the tensor you differentiate with respect to.",
        )
    if mine in {tuple(tensors["z"].shape), tuple(tensors["x"].shape)}:
        return _report(
            False, "that is the shape of another tensor of the network: .grad is shaped like w."
        )
    if mine != expected:
        return _report(False, "a tensor's .grad always has the tensor's own shape.")
    return _report(True, f"{expected}, w's own shape: one partial derivative per weight.")


def grad_after_second_call(answer: Any) -> None:
    """x = tensor([1., 2., 3.]); twice: (x * x).sum().backward(). What is x.grad?"""
    if _is_stub(answer):
        return _report(False, FILL_IN)
    x = minigrad.tensor([1.0, 2.0, 3.0], requires_grad=True)
    for _ in range(2):
        (x * x).sum().backward()
    once = 2 * x.detach()
    if isinstance(answer, str) and any(w in answer.lower() for w in ("error", "fail", "raise")):
        return _report(
            False,
            "each call builds its graph anew (the forward runs again), so nothing has been "
            "freed yet when its backward runs.",
        )
    if _array(answer) is None:
        return _report(False, "write x.grad as a list of three numbers or a tensor.")
    if _same(answer, once):
        return _report(
            False, "that is one call's gradient: does backward overwrite .grad, or add to it?"
        )
    if _same(answer, x * 0):
        return _report(False, "backward does not reset .grad; you have to do that yourself.")
    if not _same(answer, x.grad):
        return _report(False, "the derivative of the sum of x_i² is 2x_i; now, two calls...")
    return _report(True, "the second call added its 2x to the first: .grad accumulates.")


# -- notebook 3 ------------------------------------------------------------------------------


def requires_grad_under_no_grad(answer: Any) -> None:
    """Inside `with minigrad.no_grad():` z = x @ w + b, w and b requiring grad: z.requires_grad?"""
    if _is_stub(answer):
        return _report(False, FILL_IN)
    tensors = _tutorial_network()
    with minigrad.no_grad():
        z = minigrad.matmul(tensors["x"], tensors["w"]) + tensors["b"]
    if not isinstance(answer, bool):
        return _report(False, "answer True or False.")
    if answer != z.requires_grad:
        return _report(
            False,
            "w requires grad, but inside no_grad() operations record nothing at all: "
            "a result without a record cannot require grad.",
        )
    return _report(
        True, "nothing is recorded inside no_grad(), so z neither requires grad nor has a grad_fn."
    )


def nodes_with_w_frozen(answer: Any) -> None:
    """With w frozen, how many nodes does the graph of the tutorial's loss have?"""
    if _is_stub(answer):
        return _report(False, FILL_IN)
    count = _whole_number(answer)
    full = len(_nodes(_tutorial_network()["loss"]))
    tensors = _tutorial_network()
    tensors["w"].requires_grad_(False)
    x, y, w, b = (tensors[k] for k in "xywb")
    loss = minigrad.nn.functional.binary_cross_entropy_with_logits(minigrad.matmul(x, w) + b, y)
    expected = len(_nodes(loss))
    if count is None:
        return _report(False, "answer with a whole number of nodes.")
    if count == full:
        return _report(False, f"{full} is the graph with w trainable: freezing changes it.")
    if count == full - 1:
        return _report(
            False,
            "w's AccumulateGrad goes, but so does every node whose inputs all need no grad: "
            "which operations took only x and w?",
        )
    if count != expected:
        return _report(
            False, "draw it in your head: only b's path to the loss still needs a record."
        )
    return _report(True, f"{expected} nodes: the loss, the addition, and b's AccumulateGrad.")


# -- notebook 4 ------------------------------------------------------------------------------

_ERROR_WORDS = ("error", "fail", "raise", "exception", "refuse")


def vector_backward(answer: Any) -> None:
    """x = arange(4.); y = x * x; what does y.backward() (no argument) do?"""
    if _is_stub(answer):
        return _report(False, FILL_IN)
    x = minigrad.arange(4.0, requires_grad=True)
    try:
        (x * x).backward()
    except RuntimeError:
        raises = True
    else:
        raises = False
    said_error = isinstance(answer, str) and any(w in answer.lower() for w in _ERROR_WORDS)
    if not isinstance(answer, str) and _array(answer) is not None:
        return _report(
            False,
            "which gradient would that be? y has 4 entries: backward() needs one number to "
            "start from, and there is no single one here.",
        )
    if said_error != raises:
        return _report(False, "backward() starts from the gradient 1 of a single number...")
    return _report(True, "it raises: a vector output needs backward(v), the v of vᵀJ.")


def inp_grad_after_second_call(answer: Any) -> None:
    """The eye(4, 5) experiment: (inp.grad[0, 0], inp.grad[0, 1]) after the second call?"""
    if _is_stub(answer):
        return _report(False, FILL_IN)
    inp = minigrad.eye(4, 5, requires_grad=True)
    out = (inp + 1).pow(2).t()
    for _ in range(2):
        out.backward(minigrad.ones_like(out), retain_graph=True)
    expected = inp.grad
    pair = minigrad.stack([expected[0, 0], expected[0, 1]])
    mine = _array(answer)
    if mine is None or mine.shape not in {(2,), tuple(expected.shape)}:
        return _report(
            False, "give two numbers, (inp.grad[0, 0], inp.grad[0, 1]), or a (4, 5) tensor."
        )
    want = pair if mine.shape == (2,) else expected
    if _same(mine, want / 2):
        return _report(False, "that is after one call: the second call does not replace it.")
    if _same(mine, want * 2):
        return _report(
            False, "each call adds one call's gradient, no more: is it doubled, or squared?"
        )
    if not _same(mine, want):
        return _report(
            False,
            "the derivative of (inp + 1)² is 2(inp + 1): work out one call on and off the "
            "diagonal, then count the calls.",
        )
    return _report(True, "two calls, two times 2(inp + 1): gradients accumulate.")


# -- notebook 5 ------------------------------------------------------------------------------


def grad_through_detach(answer: Any) -> None:
    """x = arange(4.); u = (x * x).detach(); z = u * x; z.sum().backward(): x.grad?"""
    if _is_stub(answer):
        return _report(False, FILL_IN)
    x = minigrad.arange(4.0, requires_grad=True)
    u = (x * x).detach()
    (u * x).sum().backward()
    v = x.detach()
    if _array(answer) is None:
        return _report(False, "write x.grad as four numbers (a list or a tensor).")
    if _same(answer, 3 * v * v):
        return _report(
            False,
            "that is the derivative of x³, as if u were still x * x: but detach() made u a "
            "constant for the gradient.",
        )
    if _same(answer, 2 * v):
        return _report(False, "that is the derivative of x * x, y's gradient, not z's.")
    if _same(answer, v * 0):
        return _report(False, "detach() cuts u's history, not x's: z still depends on x.")
    if not _same(answer, x.grad):
        return _report(
            False, "treat u as fixed numbers typed in by hand: how does z change with x then?"
        )
    return _report(True, "x.grad is u: the detached u is a constant factor.")


def detach_shares_memory(answer: Any) -> None:
    """b = a * 2 with a = [1., 2., 3.]; b.detach().add_(100.): what are b's values now?"""
    if _is_stub(answer):
        return _report(False, FILL_IN)
    a = minigrad.tensor([1.0, 2.0, 3.0], requires_grad=True)
    b = a * 2
    b.detach().add_(100.0)
    if _array(answer) is None:
        return _report(False, "write b's values as three numbers.")
    if _same(answer, 2 * a.detach()):
        return _report(
            False, "detach() does not copy: the detached tensor and b share the same memory."
        )
    if not _same(answer, b.detach()):
        return _report(False, "add_ adds 100 to every entry of the tensor it is called on...")
    return _report(True, "b changed too: detach() shares memory (use .clone() for a copy).")


# -- notebook 6 ------------------------------------------------------------------------------


def control_flow_f(a: Any) -> Any:
    """d2l's function of §2.5.4 (notebooks 6 and 8)."""
    b = a * 2
    while b.norm() < 1000:
        b = b * 2
    c = b if b.sum() > 0 else 100 * b
    return c


def _grad_of_f(value: float) -> tuple[float, float]:
    a = minigrad.tensor(value, requires_grad=True)
    d = control_flow_f(a)
    d.backward()
    return float(d.item()), float(a.grad.item())


def grad_of_f(answer: Any) -> None:
    """a = tensor(1.5): predict a.grad after f(a).backward()."""
    if _is_stub(answer):
        return _report(False, FILL_IN)
    value, grad = _grad_of_f(1.5)
    mine = _array(answer)
    if mine is None or mine.size != 1:
        return _report(False, "answer with one number.")
    mine = float(mine)
    if math.isclose(mine, 2.0):
        return _report(False, "2 is the first doubling only: how often does the loop run for 1.5?")
    if math.isclose(mine, value, rel_tol=1e-4):
        return _report(False, "that is f(1.5), the value; its slope is asked for.")
    if mine != 0 and math.log2(abs(mine)) % 1 == 0 and not math.isclose(mine, grad):
        return _report(
            False, "a power of 2, right idea: count the doublings until the norm reaches 1000."
        )
    if not math.isclose(mine, grad, rel_tol=1e-4):
        return _report(False, "f multiplies a by a constant: which one, for a = 1.5?")
    return _report(True, f"f(a) = {grad:g} · a here, so a.grad = {grad:g} = f(a)/a.")


def sign_of_grad(answer: Any) -> None:
    """a = tensor(-0.2): is a.grad positive or negative?"""
    if _is_stub(answer):
        return _report(False, FILL_IN)
    _, grad = _grad_of_f(-0.2)
    word = _word(answer)
    mine = _array(answer)
    if word in {"positive", "pos", "+"} or (
        mine is not None and mine.size == 1 and float(mine) > 0
    ):
        sign = 1
    elif word in {"negative", "neg", "-"} or (
        mine is not None and mine.size == 1 and float(mine) < 0
    ):
        sign = -1
    else:
        return _report(False, 'answer "positive" or "negative".')
    if sign != (1 if grad > 0 else -1):
        return _report(
            False,
            "f(a) is negative here, but the sign of a value is not the sign of a slope: "
            "f(a) = c · a, what is the sign of c?",
        )
    return _report(True, "f(a) = c · a with c = 100 · 2^k > 0: the slope is positive.")


# -- notebook 7 ------------------------------------------------------------------------------


def grad_of_a_plus_a(answer: Any) -> None:
    """a = tensor([1., 2.]); b = a + a; c = b + b; c.sum().backward(): a.grad?"""
    if _is_stub(answer):
        return _report(False, FILL_IN)
    a = minigrad.tensor([1.0, 2.0], requires_grad=True)
    b = a + a
    (b + b).sum().backward()
    if _array(answer) is None:
        return _report(False, "write a.grad as numbers (one, or a list of two).")
    if _same(answer, a.grad / 2):
        return _report(False, "each use of a tensor sends back its own gradient, and they add up.")
    if _same(answer, a.grad * 2) or _same(answer, a.grad + 1):
        return _report(False, "count the paths from c back to a: two at each addition...")
    if not _same(answer, a.grad):
        return _report(False, "c = b + b and b = a + a: write c in terms of a.")
    return _report(True, "c = 4a: four paths, each contributing 1.")


def runs_of_b_node(answer: Any) -> None:
    """b = a + a; c = b + b: how many times does the backward pass run b's node?"""
    if _is_stub(answer):
        return _report(False, FILL_IN)
    from minigrad.viz import backward_steps

    a = minigrad.tensor([1.0, 2.0], requires_grad=True)
    b = a + a
    c = b + b
    steps = backward_steps(c.sum())
    expected = sum(step.node is b.grad_fn for step in steps)
    count = _whole_number(answer)
    if count is None:
        return _report(False, "answer with a whole number.")
    if count == 2:
        return _report(
            False,
            "two gradients arrive at b's node, but does the engine run it on each arrival, "
            "or wait for both?",
        )
    if count != expected:
        return _report(False, "the engine runs a node when its gradient is complete...")
    return _report(True, "once, with the sum of the two gradients that arrived.")


# -- notebook 9 ------------------------------------------------------------------------------


def grad_after_zero_grad(answer: Any) -> None:
    """After optimizer.zero_grad(), what is w.grad?"""
    if answer is ...:
        return _report(False, FILL_IN)
    w = minigrad.ones(3, requires_grad=True)
    optimizer = minigrad.optim.SGD([w], lr=0.1)
    (w * w).sum().backward()
    optimizer.zero_grad()
    if answer is None or _word(answer) == "none":
        mine_is_none = True
    elif _array(answer) is not None:
        mine_is_none = False
        if w.grad is None and _same(answer, w.detach() * 0):
            return _report(
                False,
                "the name says zero, but zeros are not what is left: PyTorch 2 and minigrad "
                "default to set_to_none=True.",
            )
    else:
        return _report(False, "answer with a value: a tensor, a list or None.")
    if mine_is_none != (w.grad is None):
        return _report(False, "look at zero_grad's default argument, set_to_none.")
    return _report(True, "None: the next backward then writes .grad instead of adding to it.")


def momentum_factor(answer: Any) -> None:
    """SGD with momentum 0.9 on a constant gradient g: each step becomes how many times lr·g?"""
    if _is_stub(answer):
        return _report(False, FILL_IN)
    w = minigrad.zeros(1, requires_grad=True)
    optimizer = minigrad.optim.SGD([w], lr=1.0, momentum=0.9)
    previous = 0.0
    for _ in range(300):
        optimizer.zero_grad()
        w.sum().backward()  # the gradient is 1 at every step
        optimizer.step()
        step, previous = previous - float(w.item()), float(w.item())
    mine = _array(answer)
    if mine is None or mine.size != 1:
        return _report(False, "answer with one number.")
    mine = float(mine)
    if math.isclose(mine, 0.9) or math.isclose(mine, 1.9):
        return _report(
            False,
            "the velocity keeps 0.9 of itself and adds g at every step: it sums a "
            "geometric series, not just the last step.",
        )
    if math.isclose(mine, 1.0):
        return _report(False, "that is plain SGD: momentum carries the past steps along.")
    if not math.isclose(mine, step, rel_tol=1e-3):
        return _report(False, "v ← 0.9 v + g settles where v = 0.9 v + g: solve for v.")
    return _report(True, f"{step:g} = 1 / (1 - 0.9): momentum lengthens a steady step tenfold.")


# -- worked solutions, folded -------------------------------------------------------------


class folded(contextlib.AbstractContextManager):  # noqa: N801 - used like a function
    """Run a worked solution with everything it prints, raises or shows folded into one closed
    ``<details>`` element, which a learner opens with one click: a Run All then shows no answer.

    ``out.show(drawing)`` adds a Graphviz drawing, ``out.show(figure, alt=...)`` a matplotlib
    figure (as a PNG with its alt text; the figure is closed). An exception raised inside is
    written into the fold, as its type and message, instead of stopping the notebook.
    """

    summary = "Output of the solution (click to open)"

    def __init__(self, summary: str | None = None) -> None:
        self.summary = summary or self.summary
        self.parts: list[str] = []
        self._stdout = io.StringIO()
        self._redirect = contextlib.redirect_stdout(self._stdout)

    def __enter__(self) -> folded:
        self._redirect.__enter__()
        return self

    def _flush(self) -> None:
        text = self._stdout.getvalue()
        if text:
            self.parts.append(f"<pre>{html.escape(text)}</pre>")
        self._stdout.seek(0)
        self._stdout.truncate()

    def show(self, item: Any, alt: str = "") -> None:
        """Add a drawing (anything with ``pipe``) or a matplotlib figure to the fold."""
        self._flush()
        if hasattr(item, "pipe"):
            data, mime = item.pipe(format="svg"), "image/svg+xml"
            alt = alt or "a graph drawn by minigrad.viz"
        else:
            buffer = io.BytesIO()
            item.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
            import matplotlib.pyplot as plt

            plt.close(item)
            data, mime = buffer.getvalue(), "image/png"
        encoded = base64.b64encode(data).decode("ascii")
        self.parts.append(f'<img alt="{html.escape(alt)}" src="data:{mime};base64,{encoded}">')

    def __exit__(self, kind: Any, error: Any, traceback: Any) -> bool:
        self._redirect.__exit__(None, None, None)
        self._flush()
        if error is not None:
            self.parts.append(f"<pre>{html.escape(f'{kind.__name__}: {error}')}</pre>")
        if not self.parts:
            return error is not None and not isinstance(error, AssertionError)
        from IPython.display import HTML, display

        body = "\n".join(self.parts)
        display(
            HTML(f"<details><summary>{html.escape(self.summary)}</summary>\n{body}\n</details>")
        )
        return error is not None and not isinstance(error, AssertionError)


# -- notebook 8: the exercises -----------------------------------------------------------------


def _is_tensor(value: Any) -> bool:
    return isinstance(value, minigrad.Tensor)


def check_1(x: Any, d2: Any, strict: bool = False) -> None:
    """Exercise 1: d2 = d/dx of (d/dx sin x), at every point of x, by autograd."""
    if d2 is ... or d2 is None:
        return _report(False, "set d2 to the second derivative, a tensor shaped like x.", strict)
    if not _is_tensor(d2) or d2.shape != x.shape:
        return _report(False, f"d2 should be a tensor of shape {tuple(x.shape)}.", strict)
    v = x.detach().clone().requires_grad_()
    (first,) = minigrad.autograd.grad(minigrad.sin(v).sum(), v, create_graph=True)
    (second,) = minigrad.autograd.grad(first.sum(), v)
    if minigrad.allclose(d2.detach(), first.detach(), atol=1e-5):
        return _report(False, "that is the first derivative; differentiate it once more.", strict)
    if minigrad.allclose(d2.detach(), minigrad.sin(x.detach()), atol=1e-5):
        return _report(
            False, "that is sin x itself: mind the sign a second derivative brings.", strict
        )
    if not minigrad.allclose(d2.detach(), second, atol=1e-5):
        return _report(
            False,
            "the first grad needs create_graph=True, so that its result has a graph to "
            "differentiate again.",
            strict,
        )
    return _report(True, "d2 computed by differentiating twice.", strict)


def check_2(x: Any, strict: bool = False) -> None:
    """Exercise 2: x.grad after two backward calls through the same graph."""
    if x.grad is None:
        return _report(False, "x.grad is None: no backward has run on x yet.", strict)
    v = x.detach().clone().requires_grad_()
    y = (v * v).sum()
    y.backward(retain_graph=True)
    once = v.grad.clone()
    y.backward()
    if minigrad.allclose(x.grad, once):
        return _report(
            False, "x.grad holds one call's gradient: keep the graph for the second call.", strict
        )
    if not minigrad.allclose(x.grad, v.grad):
        return _report(False, "after two backward calls x.grad holds both calls' sum.", strict)
    return _report(True, "the two backward calls accumulated in x.grad.", strict)


def check_3(a: Any, grad: Any, strict: bool = False) -> None:
    """Exercise 3: the gradient of d2l's f at a matrix a."""
    if grad is ... or grad is None:
        return _report(
            False, "f(a) is not a scalar: what does backward need to start from?", strict
        )
    if not _is_tensor(grad) or grad.shape != a.shape:
        return _report(False, f"the gradient should have a's shape, {tuple(a.shape)}.", strict)
    v = a.detach().clone().requires_grad_()
    d = control_flow_f(v)
    d.sum().backward()
    if minigrad.allclose(grad.detach(), d.detach()):
        return _report(False, "that is f(a), the values, not the gradient.", strict)
    if not minigrad.allclose(grad.detach(), v.grad):
        return _report(
            False,
            "compare one entry with a finite difference: nudge it by a small ε and look how "
            "much the sum of f changes, divided by ε.",
            strict,
        )
    return _report(
        True, "the gradient of the sum of f(a): the same constant in every entry.", strict
    )


def check_4(x: Any, dydx: Any, strict: bool = False) -> None:
    """Exercise 4: the derivative of sin at every point of x, by autograd."""
    if dydx is ... or dydx is None:
        return _report(False, "after y.sum().backward(), where is the derivative stored?", strict)
    if not _is_tensor(dydx) or dydx.shape != x.shape:
        return _report(False, f"dydx should be a tensor of shape {tuple(x.shape)}.", strict)
    v = x.detach().clone().requires_grad_()
    minigrad.sin(v).sum().backward()
    if minigrad.allclose(dydx.detach(), minigrad.sin(x.detach()), atol=1e-5):
        return _report(False, "that is sin x itself, not its derivative.", strict)
    if not minigrad.allclose(dydx.detach(), v.grad, atol=1e-5):
        return _report(False, "differentiate the sum of sin over all the points.", strict)
    return _report(True, "autograd's derivative of sin at every point.", strict)


def _f5(x: Any) -> Any:
    return minigrad.log(x**2) * minigrad.sin(x) + 1 / x


def check_5(x: Any, fx: Any, strict: bool = False) -> None:
    """Exercise 5: f(x) = log(x²) · sin x + 1/x, with minigrad operations."""
    if fx is ... or fx is None:
        return _report(False, "set fx to f(x), computed with minigrad operations.", strict)
    if not _is_tensor(fx) or fx.grad_fn is None:
        return _report(False, "fx has no graph: x needs requires_grad=True.", strict)
    expected = _f5(x.detach())
    if not minigrad.allclose(fx.detach(), expected):
        return _report(False, "fx is not log(x**2) * sin(x) + 1 / x at x.", strict)
    names = {type(node).__name__ for node in _nodes(fx)}
    missing = {"LogBackward0", "SinBackward0", "AddBackward0"} - names
    if missing:
        return _report(
            False, f"the graph has no {sorted(missing)}: use minigrad's log and sin.", strict
        )
    return _report(True, "f(x), with log, sin and + in the graph.", strict)


def check_6(dfdx: Callable[[float], float] | Any, strict: bool = False) -> None:
    """Exercise 6: your chain rule, as a function of a number, against autograd."""
    if dfdx is ... or not callable(dfdx):
        return _report(False, "define dfdx as a function of a number x.", strict)
    for value in [0.5, 1.0, 2.0, 3.0]:
        x = minigrad.tensor(value, dtype=minigrad.float64, requires_grad=True)
        _f5(x).backward()
        try:
            mine = dfdx(value)
            if mine is ...:
                return _report(False, "dfdx still returns ...: " + FILL_IN, strict)
            mine = float(mine)
        except (TypeError, ValueError, ArithmeticError) as error:
            return _report(False, f"dfdx({value}) did not give a number: {error}", strict)
        if not math.isclose(mine, x.grad.item(), rel_tol=1e-6, abs_tol=1e-9):
            return _report(
                False,
                f"at x = {value} your dfdx disagrees with autograd. Sum one product of local "
                "derivatives per path from x to f: three paths.",
                strict,
            )
    return _report(True, "your chain rule agrees with autograd at x = 0.5, 1, 2 and 3.", strict)


def check_7(forward_value: Any, backward_value: Any, strict: bool = False) -> None:
    """Exercise 7: f'(2) computed forward and backward."""
    x = minigrad.tensor(2.0, dtype=minigrad.float64, requires_grad=True)
    _f5(x).backward()
    for name, value in [("forward_value", forward_value), ("backward_value", backward_value)]:
        number = _array(value)
        if value is ... or number is None or number.size != 1:
            return _report(False, f"set {name} to your number for f'(2).", strict)
        if not math.isclose(float(number), x.grad.item(), rel_tol=1e-6):
            return _report(
                False,
                f"{name} is not f'(2): check each intermediate's derivative, one at a time.",
                strict,
            )
    return _report(True, "both directions give the same f'(2).", strict)


def _mode(answer: Any) -> str | None:
    word = _word(answer)
    if word in {"backward", "reverse", "bwd", "backprop", "vjp"}:
        return "backward"
    if word in {"forward", "fwd", "jvp", "tangent"}:
        return "forward"
    return None


def check_8(wide: Any, tall: Any, strict: bool = False) -> None:
    """Exercise 8: which mode for a wide (2 x 100) and a tall (100 x 2) Jacobian?"""
    if wide is ... or tall is ...:
        return _report(False, 'answer each with "forward" or "backward".', strict)
    for name, answer, (m, n) in [("wide", wide, (2, 100)), ("tall", tall, (100, 2))]:
        mode = _mode(answer)
        if mode is None:
            return _report(False, f'{name}: answer "forward" or "backward".', strict)
        passes = {"backward": m, "forward": n}  # one pass per row, or per column
        if passes[mode] > min(passes.values()):
            return _report(
                False,
                f"{name}: that mode needs {passes[mode]} passes for a {m} x {n} Jacobian. "
                "Does one pass give a row or a column?",
                strict,
            )
    return _report(
        True, "the mode with fewer passes: one per output backward, one per input forward.", strict
    )


def check_t1(prediction: Any, strict: bool = False) -> None:
    """Tutorial question 1: inp.grad after three calls of the eye(4, 5) experiment."""
    if prediction is ... or not _is_tensor(prediction):
        return _report(
            False, "write the prediction as a tensor made from minigrad.eye(4, 5).", strict
        )
    inp = minigrad.eye(4, 5, requires_grad=True)
    out = (inp + 1).pow(2).t()
    out.backward(minigrad.ones_like(out), retain_graph=True)
    once = inp.grad.clone()
    for _ in range(2):
        out.backward(minigrad.ones_like(out), retain_graph=True)
    if prediction.shape != inp.shape:
        return _report(False, "inp.grad has inp's shape, (4, 5), not out's.", strict)
    if minigrad.allclose(prediction, once):
        return _report(False, "that is one call's gradient; each call adds it again.", strict)
    if not minigrad.allclose(prediction, inp.grad):
        return _report(False, "work out one call first: the derivative of (inp + 1)².", strict)
    return _report(True, "three calls, each adding the same gradient.", strict)


def check_t2(x: Any, y: Any, w: Any, b: Any, strict: bool = False) -> None:
    """Tutorial question 2: only b learns."""
    if w.requires_grad:
        return _report(False, "w still requires grad: freeze it first.", strict)
    if w.grad is not None:
        return _report(False, "w.grad is set: a gradient from before freezing?", strict)
    if b.grad is None:
        return _report(
            False, "b.grad is None: compute the loss with the frozen w and backward.", strict
        )
    v = b.detach().clone().requires_grad_()
    z = minigrad.matmul(x, w.detach()) + v
    minigrad.nn.functional.binary_cross_entropy_with_logits(z, y).backward()
    if not minigrad.allclose(b.grad, v.grad):
        return _report(
            False, "b.grad is not one backward's gradient: zero it before backward.", strict
        )
    return _report(True, "only b got a gradient.", strict)


def check_t3(x: Any, w_grad: Any, expected: Any, strict: bool = False) -> None:
    """Tutorial question 3: w.grad from x and b.grad alone."""
    if w_grad is ... or not _is_tensor(w_grad):
        return _report(False, "w_grad should be a tensor of shape (5, 3).", strict)
    if w_grad.shape != expected.shape:
        return _report(
            False, "w_grad needs one row per input (5) and one column per output (3).", strict
        )
    if not minigrad.allclose(w_grad, expected):
        return _report(
            False, "which entries of x and b.grad does W[i, j] touch in z = xW + b?", strict
        )
    return _report(True, "w.grad[i, j] = x[i] * b.grad[j].", strict)
