"""Notebook 12 shows what it says: the sources it prints are the current ones, and its
demonstrations print what PyTorch prints.

nbval already fails when a printed source changes; these checks say which one, without a kernel:

* every ``show_minigrad(X)`` cell stored ``inspect.getsource(X)`` of minigrad as it now reads,
  and every ``show_yours(step)`` cell notebook 11's worked solution of that step (each call is
  run again with the notebook's own first cell, and its text must be in the stored output);
* every demonstration cell (id ``torch-...``) uses only ``torch``, ``np`` and ``warnings``, and
  run with PyTorch as ``torch`` prints exactly what the notebook stored (run with minigrad);
* the learner sees no ``assert``.
"""

from __future__ import annotations

import contextlib
import inspect
import io
import json
import linecache
import re
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
import torch

import minigrad

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
NOTEBOOK = NOTEBOOKS / "12_from_your_engine_to_minigrad.ipynb"
sys.path.insert(0, str(NOTEBOOKS))
import your_engine  # noqa: E402 - lives beside the notebooks


def _code_cells() -> list[dict]:
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    return [cell for cell in cells if cell["cell_type"] == "code"]


def _source(cell: dict) -> str:
    return "".join(cell["source"])


def _stdout(cell: dict) -> str:
    return "".join(
        "".join(output["text"])
        for output in cell["outputs"]
        if output["output_type"] == "stream" and output["name"] == "stdout"
    )


def _calls(name: str) -> list[tuple[dict, str]]:
    """(cell, call text) for each line ``name(...)`` in the notebook's code cells."""
    return [
        (cell, call)
        for cell in _code_cells()
        for call in re.findall(rf"^{name}\(.*\)$", _source(cell), re.MULTILINE)
    ]


@pytest.fixture(scope="module")
def first_cell() -> dict:
    """The namespace of the notebook's first cell: its imports and its show_ functions."""
    namespace: dict = {}
    exec(compile(_source(_code_cells()[0]), "<notebook 12, first cell>", "exec"), namespace)
    return namespace


def _printed(call: str, namespace: dict) -> str:
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(call, namespace)
    return printed.getvalue()


@pytest.mark.parametrize("name", ["show_minigrad", "show_yours"])
def test_the_shown_sources_are_the_current_ones(name: str, first_cell: dict) -> None:
    """minigrad's sources as inspect.getsource gives them now; yours as notebook 11 has them."""
    calls = _calls(name)
    assert len(calls) >= 6, calls
    for cell, call in calls:
        assert _printed(call, first_cell) in _stdout(cell), (
            f"cell {cell['id']}: what {call} prints changed: re-execute notebook 12"
        )
    if name == "show_minigrad":  # and they are inspect.getsource's text
        for cell, call in calls:
            obj = eval(call[len("show_minigrad(") : -1], first_cell)
            assert inspect.getsource(obj) in _stdout(cell)


def test_your_engine_is_notebook_11s_worked_solutions() -> None:
    yours = your_engine.load()
    x = yours.Tensor(np.ones((2, 3)))
    w = yours.Tensor(np.arange(3.0), requires_grad=True)
    (x * w).sum().backward()
    assert w.grad.tolist() == [2.0, 2.0, 2.0]
    assert your_engine.step_number("count_dependencies") == 17


DEMOS = [cell for cell in _code_cells() if cell.get("id", "").startswith("torch-")]


def test_there_are_the_four_demonstrations() -> None:
    assert [cell["id"] for cell in DEMOS] == [
        "torch-hooks",
        "torch-version",
        "torch-dtypes",
        "torch-anomaly",
    ]


@pytest.mark.parametrize("cell", DEMOS, ids=lambda cell: cell["id"])
def test_demonstration_prints_what_pytorch_prints(cell: dict) -> None:
    source = _source(cell)
    assert "minigrad" not in source and "yours" not in source
    filename = f"<notebook 12, {cell['id']}>"  # the forward traceback of anomaly mode shows it
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    printed = io.StringIO()
    namespace = {"torch": torch, "np": np, "warnings": warnings}
    try:
        with contextlib.redirect_stdout(printed):
            exec(compile(source, filename, "exec"), namespace)
    finally:
        del linecache.cache[filename]
        torch.autograd.set_detect_anomaly(False)
    assert printed.getvalue() == _stdout(cell)


def test_the_minigrad_run_of_the_demonstrations_is_what_is_stored() -> None:
    """The stored outputs came from minigrad: nbval re-runs them; here, only a sanity check
    that the notebook's ``torch`` is minigrad."""
    first = _source(_code_cells()[0])
    assert "import minigrad as torch" in first
    assert minigrad.tensor([1.0]).dtype is minigrad.float32


def test_no_assert_in_the_cells_a_learner_sees() -> None:
    for cell in _code_cells():
        hidden = cell.get("metadata", {}).get("jupyter", {}).get("source_hidden", False)
        if not hidden:
            assert not re.search(r"^\s*assert\b", _source(cell), re.MULTILINE), cell["id"]
