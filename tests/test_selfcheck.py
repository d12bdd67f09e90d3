"""notebooks/selfcheck.py: the checks the learner calls from the notebooks.

Each check must accept the right answer in its usual spellings, ask for an answer when the cell
still holds its stub ``...`` (without raising, so that Run All goes on), and answer each common
wrong answer with the hint that names its misconception, never with the right answer itself.
"""

from __future__ import annotations

import importlib.util
import math
import sys
from pathlib import Path

import numpy as np
import pytest

import minigrad

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def _load():
    spec = importlib.util.spec_from_file_location("selfcheck", NOTEBOOKS / "selfcheck.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["selfcheck"] = module
    spec.loader.exec_module(module)
    return module


selfcheck = _load()


def said(capsys, check, *args, **kwargs) -> str:
    check(*args, **kwargs)
    return capsys.readouterr().out


# (check, right answers in several spellings, [(wrong answer, words of its hint), ...])
CASES = [
    (
        selfcheck.leaves,
        [["x", "y", "w", "b"], "x, y, w, b", {"b", "w", "y", "x"}],
        [
            (["w", "b"], "whether or not it requires grad"),
            (["x", "y", "w", "b", "z"], "came out of an operation"),
            (["q"], "give a list of names"),
        ],
    ),
    (
        selfcheck.accumulate_grad_nodes,
        [2, 2.0, np.int64(2)],
        [(4, "not every leaf gets one"), (6, "counts every node"), (3, "which leaves")],
    ),
    (
        selfcheck.shape_of_w_grad,
        [(5, 3), [5, 3], "(5, 3)", "5x3", minigrad.ones(5, 3).shape, minigrad.zeros(5, 3)],
        [((), "one entry for every number"), ((3,), "shaped like w"), ((3, 5), "own shape")],
    ),
    (
        selfcheck.grad_after_second_call,
        [[4, 8, 12], (4.0, 8.0, 12.0), np.array([4, 8, 12]), minigrad.tensor([4.0, 8.0, 12.0])],
        [
            ([2, 4, 6], "overwrite .grad, or add to it"),
            ("an error", "builds its graph anew"),
            ([0, 0, 0], "does not reset"),
            ([1, 1, 1], "2x_i"),
        ],
    ),
    (
        selfcheck.requires_grad_under_no_grad,
        [False],
        [(True, "operations record nothing"), ("no", "True or False")],
    ),
    (
        selfcheck.nodes_with_w_frozen,
        [3, 3.0],
        [(6, "with w trainable"), (5, "so does every node"), (4, "only b's path")],
    ),
    (
        selfcheck.vector_backward,
        ["error", "RuntimeError", "it raises", "It fails"],
        [([0, 2, 4, 6], "no single one"), ("it works", "gradient 1 of a single number")],
    ),
    (
        selfcheck.inp_grad_after_second_call,
        [(8, 4), [8.0, 4.0], 4 * (minigrad.eye(4, 5) + 1)],
        [
            ((4, 2), "after one call"),
            ((16, 8), "doubled, or squared"),
            ((2, 1), "work out one call"),
            ((8,), "give two numbers"),
        ],
    ),
    (
        selfcheck.grad_through_detach,
        [[0, 1, 4, 9], minigrad.tensor([0.0, 1.0, 4.0, 9.0])],
        [
            ([0, 3, 12, 27], "derivative of x³"),
            ([0, 2, 4, 6], "y's gradient"),
            ([0, 0, 0, 0], "not x's"),
            ([1, 1, 1, 1], "fixed numbers"),
        ],
    ),
    (
        selfcheck.detach_shares_memory,
        [[102, 104, 106]],
        [([2, 4, 6], "does not copy"), ([101, 102, 103], "add_ adds")],
    ),
    (
        selfcheck.grad_of_f,
        [1024, 1024.0, minigrad.tensor(1024.0)],
        [
            (2, "first doubling only"),
            (1536, "the value"),
            (512, "count the doublings"),
            (7, "constant"),
        ],
    ),
    (
        selfcheck.sign_of_grad,
        ["positive", "Positive", "+", 819200],
        [("negative", "sign of a slope"), (-1, "sign of a slope"), ("zero", "answer")],
    ),
    (
        selfcheck.grad_of_a_plus_a,
        [[4, 4], 4, minigrad.tensor([4.0, 4.0])],
        [([2, 2], "add up"), ([8, 8], "count the paths"), ([3, 3], "in terms of a")],
    ),
    (
        selfcheck.runs_of_b_node,
        [1],
        [(2, "wait for both"), (4, "complete"), ("once", "whole number")],
    ),
    (
        selfcheck.grad_after_zero_grad,
        [None, "None"],
        [([0, 0, 0], "set_to_none=True"), (minigrad.zeros(3), "set_to_none=True")],
    ),
    (
        selfcheck.momentum_factor,
        [10, 10.0],
        [(0.9, "geometric series"), (1.9, "geometric series"), (1, "plain SGD"), (5, "solve")],
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case[0].__name__)
def test_right_answers_in_every_spelling_are_correct(capsys, case):
    check, rights, _ = case
    for answer in rights:
        assert said(capsys, check, answer).startswith("Correct! "), answer


@pytest.mark.parametrize("case", CASES, ids=lambda case: case[0].__name__)
def test_the_stub_asks_for_an_answer_without_raising(capsys, case):
    check = case[0]
    assert said(capsys, check, ...) == f"Not yet: {selfcheck.FILL_IN}\n"


@pytest.mark.parametrize("case", CASES, ids=lambda case: case[0].__name__)
def test_each_wrong_answer_gets_its_own_hint(capsys, case):
    check, _, wrongs = case
    for answer, hint in wrongs:
        out = said(capsys, check, answer)
        assert out.startswith("Not yet: ") and hint in out, (answer, out)


def test_hints_do_not_give_the_answer_away(capsys):
    # The right answer, as the learner would type it, is never in a hint.
    giveaways = {
        selfcheck.accumulate_grad_nodes: ["2"],
        selfcheck.shape_of_w_grad: ["(5, 3)"],
        selfcheck.grad_after_second_call: ["[4", "12"],
        selfcheck.nodes_with_w_frozen: ["3"],
        selfcheck.inp_grad_after_second_call: ["8"],
        selfcheck.grad_through_detach: ["[0, 1, 4, 9]", "u_i"],
        selfcheck.detach_shares_memory: ["102"],
        selfcheck.grad_of_f: ["1024"],
        selfcheck.grad_of_a_plus_a: ["4"],
        selfcheck.momentum_factor: ["10"],
    }
    for check, _, wrongs in CASES:
        for answer, _ in wrongs:
            out = said(capsys, check, answer)
            for text in giveaways.get(check, []):
                assert text not in out, (check.__name__, answer, out)


# -- the exercises of notebook 8 -------------------------------------------------------------


def test_check_8_accepts_spellings_and_never_names_the_mode(capsys):
    for wide, tall in [("backward", "forward"), ("Backward", "Forward"), ("reverse mode", "fwd")]:
        assert said(capsys, selfcheck.check_8, wide, tall).startswith("Correct!")
    out = said(capsys, selfcheck.check_8, "forward", "forward")
    assert "100 passes for a 2 x 100 Jacobian" in out and "backward" not in out
    out = said(capsys, selfcheck.check_8, "backward", "backward")
    assert "100 passes for a 100 x 2 Jacobian" in out and "forward" not in out
    assert "answer" in said(capsys, selfcheck.check_8, "sideways", "forward")
    with pytest.raises(AssertionError):
        selfcheck.check_8("forward", "forward", strict=True)


def test_check_1_second_derivative(capsys):
    x = minigrad.linspace(-3.0, 3.0, 7, requires_grad=True)
    assert "shaped like x" in said(capsys, selfcheck.check_1, x, ...)
    assert "first derivative" in said(capsys, selfcheck.check_1, x, minigrad.cos(x.detach()))
    assert "mind the sign" in said(capsys, selfcheck.check_1, x, minigrad.sin(x.detach()))
    assert "create_graph" in said(capsys, selfcheck.check_1, x, minigrad.zeros(7))
    assert said(capsys, selfcheck.check_1, x, -minigrad.sin(x.detach())).startswith("Correct!")


def test_check_3_and_4_gradients(capsys):
    minigrad.manual_seed(3)
    a = minigrad.randn(2, 3, requires_grad=True)
    d = selfcheck.control_flow_f(a.detach())
    assert "what does backward need" in said(capsys, selfcheck.check_3, a, ...)
    assert "the values" in said(capsys, selfcheck.check_3, a, d)
    assert "finite difference" in said(capsys, selfcheck.check_3, a, minigrad.ones(2, 3))
    assert said(capsys, selfcheck.check_3, a, d / a.detach()).startswith("Correct!")
    x = minigrad.linspace(-6.0, 6.0, 50, requires_grad=True)
    assert "sin x itself" in said(capsys, selfcheck.check_4, x, minigrad.sin(x.detach()))
    assert said(capsys, selfcheck.check_4, x, minigrad.cos(x.detach())).startswith("Correct!")


def test_check_6_and_7_chain_rule(capsys):
    def right(x):
        return 2 * math.sin(x) / x + math.log(x**2) * math.cos(x) - 1 / x**2

    assert "still returns" in said(capsys, selfcheck.check_6, lambda x: ...)
    assert "three paths" in said(capsys, selfcheck.check_6, lambda x: math.cos(x))
    assert said(capsys, selfcheck.check_6, right).startswith("Correct!")
    assert "forward_value" in said(capsys, selfcheck.check_7, ..., right(2.0))
    assert "backward_value is not" in said(capsys, selfcheck.check_7, right(2.0), 0.5)
    assert said(capsys, selfcheck.check_7, right(2.0), right(2.0)).startswith("Correct!")


def test_check_t1_t3(capsys):
    once = 2 * (minigrad.eye(4, 5) + 1)
    assert "one call's gradient" in said(capsys, selfcheck.check_t1, once)
    assert "(4, 5)" in said(capsys, selfcheck.check_t1, once.t())
    assert said(capsys, selfcheck.check_t1, 3 * once).startswith("Correct!")
    x = minigrad.tensor([1.0, -2.0, 0.5, 3.0, 0.0])
    g = minigrad.tensor([0.1, 0.2, 0.3])
    expected = x.unsqueeze(1) * g
    assert "one row per input" in said(capsys, selfcheck.check_t3, x, expected.t(), expected)
    assert "which entries" in said(capsys, selfcheck.check_t3, x, expected * 2, expected)
    assert said(capsys, selfcheck.check_t3, x, expected, expected).startswith("Correct!")


# -- folded worked solutions ---------------------------------------------------------------


@pytest.fixture
def shown(monkeypatch):
    import IPython.display

    items = []
    monkeypatch.setattr(IPython.display, "display", items.append)
    return items


def test_folded_puts_prints_drawings_and_figures_in_a_closed_details(shown, capsys):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from minigrad.viz import make_dot

    a = minigrad.tensor([1.0, 2.0], requires_grad=True)
    with selfcheck.folded() as out:
        print("the answer is 42")
        out.show(make_dot((a * a).sum(), names={"a": a}))
        figure = plt.figure()
        out.show(figure, alt="a plot")
    assert capsys.readouterr().out == ""  # nothing printed outside the fold
    (item,) = shown
    text = item.data
    assert text.startswith("<details><summary>") and text.endswith("</details>")
    assert "<details open" not in text
    assert "<pre>the answer is 42\n</pre>" in text
    assert 'src="data:image/svg+xml;base64,' in text and 'alt="a plot" src="data:image/png' in text
    assert not plt.fignum_exists(figure.number)  # the figure was closed, not shown again


def test_folded_folds_an_error_but_lets_a_failed_check_fail(shown):
    with selfcheck.folded():
        raise RuntimeError("Trying to backward through the graph a second time")
    assert "<pre>RuntimeError: Trying to backward" in shown[-1].data
    with pytest.raises(AssertionError), selfcheck.folded():
        selfcheck.check_8("forward", "forward", strict=True)
    assert "Not yet" in shown[-1].data


def test_folded_shows_nothing_for_a_silent_solution(shown):
    with selfcheck.folded():
        pass
    assert shown == []
