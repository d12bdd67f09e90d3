"""The engine you wrote in notebook 11, as its worked solutions have it, for notebook 12.

Nothing is copied here: the code is read from ``11_build_a_tensor_engine.ipynb`` itself, so
that notebook 12 shows exactly what notebook 11 teaches.

* ``solution(step)``: the source of a step's worked solution (``"count_dependencies"``,
  ``"backward"``, ...), as you would have written it, without the ``if not ok:`` around it.
* ``step_number(step)``: the number notebook 11 gives that step (17 for count_dependencies).
* ``load()``: the engine itself (``Tensor``, ``Mul``, ``sum_to_shape``, ``backward``, ...),
  made by running notebook 11's given code, then each step's exercise with its worked
  solution taking over, as in a run where no exercise was written. Nothing else is run: no
  check, no demonstration, no training.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import textwrap
from pathlib import Path
from types import SimpleNamespace

import buildcheck
import numpy as np

NOTEBOOK = Path(__file__).resolve().parent / "11_build_a_tensor_engine.ipynb"
# The cells of notebook 11 that give code (the Tensor, Context, Node, GradMode and Function
# classes; Python's operators; the release that does nothing until step 19). Its first cell's
# imports are given directly: NumPy and buildcheck (for PyTorch's messages).
GIVEN = ("c11-04", "c11-14", "c11-19")


def _cells() -> list[dict]:
    return json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]


def _source(cell: dict) -> str:
    return "".join(cell["source"])


def _solution_cell(step: str) -> dict:
    for cell in _cells():
        if cell.get("id") == f"sol-{step}":
            return cell
    raise KeyError(f"notebook 11 has no worked solution for step {step!r}")


def solution(step: str) -> str:
    """The worked solution of ``step``, dedented, without its first line (``if not ok:``)."""
    lines = _source(_solution_cell(step)).split("\n")
    assert lines[0] == "if not ok:", lines[0]
    return textwrap.dedent("\n".join(lines[1:])).strip("\n")


def step_number(step: str) -> int:
    """The number of the step whose worked solution is ``sol-{step}`` in notebook 11."""
    number = None
    for cell in _cells():
        heading = re.match(r"## Step (\d+)\.", _source(cell))
        if cell["cell_type"] == "markdown" and heading:
            number = int(heading.group(1))
        if cell.get("id") == f"sol-{step}":
            return number
    raise KeyError(step)


def load() -> SimpleNamespace:
    """Your engine: notebook 11's given code and worked solutions, run in one namespace."""
    namespace: dict = {"__name__": "your_engine_11", "np": np, "buildcheck": buildcheck}
    for cell in _cells():
        tags = cell.get("metadata", {}).get("tags", [])
        if cell["cell_type"] != "code":
            continue
        if cell.get("id") in GIVEN or "exercise" in tags or "solution" in tags:
            namespace["ok"] = False  # every worked solution takes over
            with contextlib.redirect_stdout(io.StringIO()):
                exec(compile(_source(cell), f"notebook 11, cell {cell['id']}", "exec"), namespace)
    return SimpleNamespace(**{k: v for k, v in namespace.items() if not k.startswith("__")})
