"""PyTorch's documentation as a test suite: every ``>>>`` example of torch's docstrings for
autograd, the autograd methods of Tensor, the layers, losses, ``functional``, ``init`` and
``Module`` methods minigrad has, and its optimizers, run under torch and under minigrad (with
``torch`` bound to minigrad); the printed text must be identical. How the examples are
collected, run with fixed random numbers, and compared: ``tests/_torch_docs.py``.

An example is either compared, or listed below with its reason:

- ``EXCLUDED``: it needs what minigrad does not have (CUDA, complex numbers, ``torch.compile``,
  convolutions, ...), shows a difference that stays (``docs/differences.md``), or does not run
  under torch itself; not run.
- ``PENDING`` (API being added), ``MISSING`` (API nobody is adding yet) and ``STAYS`` (a
  difference kept): strict xfails, so an entry shows up (XPASS, a failure) once it passes.
  All three are empty today: every example that is run prints identically.

The terminal summary (``tests/conftest.py``) reports how many examples were compared,
identical, pending, missing and excluded.
"""

from __future__ import annotations

import pytest

from tests import _torch_docs as docs

EXCLUDED = {
    "torch.autograd.graph.save_on_cpu": "CUDA tensors (device='cuda'); torch without CUDA "
    "raises 'Torch not compiled with CUDA enabled'",
    "torch.nn.Module.to": "CUDA devices, float16 and complex128 (torch.cdouble) parameters",
    "torch.autograd.graph.region_activation_memory_budget": "torch.compile regions; torch "
    "itself raises in eager mode",
    "torch.autograd.grad_mode.enforce_grad_layout_policy": "the memory layout (strides) of "
    "gradients of torch's strided tensors",
    "torch.autograd.function.FunctionCtx.save_for_forward": "does not run under torch: the "
    "statements after the class are indented into its body (NameError: name 'Func' is not "
    "defined)",
    "torch.optim.Optimizer.load_state_dict": "a fragment that does not run under torch: "
    "`optimizer = ...`, lr_scheduler objects and files written by torch.save",
    "torch.nn.NLLLoss[1]": "nn.Conv2d: minigrad has no convolution layers",
    "torch.nn.CrossEntropyLoss[3]": "a difference that stays (docs/differences.md): float32's "
    "last bit. The softmax of the example's target sums to exactly 1 in minigrad, to 1 within "
    "rounding in torch (printed tensor([1., 1., 1.]) and tensor([1.0000, 1.0000, 1.0000])), and "
    ".item() shows all the digits of a float32 loss that differs in its last bit",
    "torch.nn.Dropout": "the random mask is drawn inside torch's C++ kernel, which the fixed "
    "random numbers cannot replace: the outputs differ",
}

PENDING: dict[str, str] = {}
MISSING: dict[str, str] = {}
# Differences that stay (docs/differences.md) are excluded above, with their reason.
STAYS: dict[str, str] = {}

# The examples are compared one by one, but those of one docstring run in order in one
# namespace: an excluded example is not run, so the others must not need it.
SKIP = frozenset(EXCLUDED)
NAMES = docs.example_names()
MINIMUM_IDENTICAL = 45


def _param(name: str) -> object:
    reason = PENDING.get(name) or MISSING.get(name) or STAYS.get(name)
    if reason is None:
        return pytest.param(name, id=name)
    kind = "pending" if name in PENDING else "missing" if name in MISSING else "stays"
    return pytest.param(
        name, id=name, marks=pytest.mark.xfail(strict=True, reason=f"{kind}: {reason}")
    )


def _output(name: str, lib: str) -> str:
    doc = docs.docstring_of(name)
    return docs.outputs(doc, lib, SKIP)[name]


@pytest.mark.parametrize("name", [_param(n) for n in NAMES if n not in EXCLUDED])
def test_torch_doc_example(name: str) -> None:
    theirs = _output(name, "torch")
    mine = _output(name, "minigrad")
    assert mine == theirs, f"{name}: minigrad printed\n{mine}\ntorch printed\n{theirs}"


def test_the_lists_name_collected_examples() -> None:
    # A list entry that names no example (torch renamed it, a typo) would hide nothing and
    # count for nothing: each must name a collected example, and only one list.
    listed = [*EXCLUDED, *PENDING, *MISSING, *STAYS]
    assert sorted(set(listed) - set(NAMES)) == []
    assert len(listed) == len(set(listed))
    assert all(reason.strip() for reason in [*EXCLUDED.values(), *PENDING.values()])


def test_enough_examples_are_compared() -> None:
    compared = [n for n in NAMES if n not in EXCLUDED]
    expected_identical = [n for n in compared if n not in {*PENDING, *MISSING, *STAYS}]
    assert len(expected_identical) >= MINIMUM_IDENTICAL, expected_identical
    # The collection covers each part the suite promises.
    for prefix in ("torch.autograd.", "torch.Tensor.", "torch.nn.", "torch.optim."):
        assert any(n.startswith(prefix) for n in expected_identical), prefix


def test_random_numbers_are_the_same_for_both() -> None:
    # The fixed table gives torch and minigrad the same numbers, draw by draw, whatever the
    # library's own generator (a layer's initialisation included).
    import torch

    import minigrad

    with docs.fixed_random(torch):
        t = [torch.randn(2, 3), torch.rand(4), torch.nn.Linear(3, 2).weight.detach()]
    with docs.fixed_random(minigrad):
        m = [minigrad.randn(2, 3), minigrad.rand(4), minigrad.nn.Linear(3, 2).weight.detach()]
    for a, b in zip(m, t):
        assert repr(a) == repr(b)
    # ... and the patch is gone afterwards.
    assert not torch.equal(torch.randn(2, 3), t[0])
    assert "uniform_" not in vars(torch.Tensor)


def test_an_example_that_differs_fails() -> None:
    # The comparison sees a difference in a printed value, an error and the final state.
    doc = docs.Docstring("check", [["x = torch.tensor([1.0, 2.0])\n", "x.sum()\n"]])
    import torch

    import minigrad

    same = docs.run_docstring(doc, torch, frozenset()), docs.run_docstring(doc, minigrad, SKIP)
    assert same[0] == same[1] and "tensor(3.)" in same[0]["check"]
    bad = docs.Docstring("check", [["x = torch.tensor([1.0, 2.0])\n", "x.no_such_method()\n"]])
    text = docs.run_docstring(bad, torch, frozenset())["check"]
    assert "AttributeError: 'Tensor' object has no attribute 'no_such_method'" in text
    assert "x = tensor([1., 2.])" in text


def test_an_example_leaves_no_global_state_behind() -> None:
    # Examples switch gradients off and seed the generator: the next test must not see it.
    import torch

    import minigrad

    doc = docs.Docstring(
        "state", [["_ = torch.set_grad_enabled(False)\n", "_ = torch.manual_seed(3)\n"]]
    )
    for lib in (torch, minigrad):
        lib.manual_seed(11)
        expected = lib.randn(4)
        lib.manual_seed(11)
        docs.run_docstring(doc, lib, frozenset())
        assert lib.is_grad_enabled()
        assert lib.equal(lib.randn(4), expected)
