"""The lesson scripts of tests/lessons/ print the same text with torch and with minigrad.

Each script is a program written with ``import torch``. It runs twice in this process: once as
written, and once with ``torch`` meaning minigrad (its ``import torch``, ``import torch.nn as
nn``, ``from torch.utils.data import DataLoader`` ... import minigrad's modules of the same
name, through the ``__import__`` the script is run with: see ``_torch_docs._importer``). Both
runs start with gradients enabled and anomaly mode off, and take their random numbers from the
same fixed table (``_torch_docs.fixed_random``: the ``k``-th draw of a run takes its values
from ``numpy.random.default_rng(k)``), since the two libraries' generators give different
numbers for the same seed. What a script prints, with memory addresses masked, must be
identical, and so must the warnings it raises (listed after the text). The scripts print
floats with a fixed number of decimals where float32's last bit could show.

A script that needs API another branch is adding is listed in ``PENDING`` (a strict xfail:
it fails loudly once it passes, so the lead removes it from the list when merging); one that
shows a bug of minigrad's, in ``BUGS`` (the same).
"""

from __future__ import annotations

import builtins
import contextlib
import io
import types
import warnings
from pathlib import Path

import pytest
import torch

import minigrad
from tests import _torch_docs
from tests._oracle import sanitize, torch_words

LESSONS_DIR = Path(__file__).parent / "lessons"
LESSONS = sorted(LESSONS_DIR.glob("[0-9]*.py"))
MINIMUM_LESSONS = 20

PENDING: dict[str, str] = {}
# Lessons that show a bug of minigrad's (strict xfail too: it passes once the bug is fixed).
BUGS: dict[str, str] = {}
# No lesson is left out: the list exists for the summary in the terminal report.
EXCLUDED: dict[str, str] = {}


def run_lesson(path: Path, lib: types.ModuleType) -> str:
    """What the script prints when run with ``torch`` meaning ``lib``."""
    namespace = {
        "__name__": "__main__",
        "__file__": str(path),
        "__builtins__": {**vars(builtins), "__import__": _torch_docs._importer(lib)},
    }
    code = compile(path.read_text(), str(path), "exec")
    out = io.StringIO()
    with (
        _torch_docs.fixed_random(lib),
        _torch_docs.default_state(lib),
        contextlib.redirect_stdout(out),
        warnings.catch_warnings(record=True) as caught,
    ):
        warnings.simplefilter("always")
        exec(code, namespace)
    for warning in caught:
        if not issubclass(warning.category, DeprecationWarning):  # torch's lazy imports
            out.write(f"{warning.category.__name__}: {warning.message}\n")
    text = sanitize(out.getvalue())
    return torch_words(text) if lib is torch else text


def _param(path: Path) -> object:
    marks = []
    if path.name in PENDING:
        marks = [pytest.mark.xfail(strict=True, reason=f"pending: {PENDING[path.name]}")]
    elif path.name in BUGS:
        marks = [pytest.mark.xfail(strict=True, reason=f"minigrad bug: {BUGS[path.name]}")]
    return pytest.param(path, id=path.name, marks=marks)


@pytest.mark.parametrize("path", [_param(p) for p in LESSONS])
def test_lesson(path: Path) -> None:
    theirs = run_lesson(path, torch)
    mine = run_lesson(path, minigrad)
    assert theirs.count("\n") >= 3, f"the lesson printed too little under torch:\n{theirs}"
    assert mine == theirs, f"{path.name}: minigrad printed\n{mine}\ntorch printed\n{theirs}"


def test_there_are_enough_lessons_and_the_list_is_current() -> None:
    assert len(LESSONS) >= MINIMUM_LESSONS
    assert sorted({*PENDING, *BUGS} - {p.name for p in LESSONS}) == []
    # Every lesson is a program of its own that imports torch, never minigrad.
    for path in LESSONS:
        text = path.read_text()
        assert "import torch" in text and "minigrad" not in text, path.name
