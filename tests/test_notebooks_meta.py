"""What nbval does not check about the stored notebooks, checked here without running them.

nbval passes a cell that was never executed, does not check that a cell tagged
``raises-exception`` raises, and compares outputs as text: so every code cell must have been run
in order in a fresh kernel, errors must be exactly where they are meant to be, and the compared
outputs must carry no memory address or machine-specific path once sanitized.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import nbformat
import pytest
from conftest import notebook_params, notebook_paths, notebooks_dir, require_notebook, sanitize

RAISES = "raises-exception"
# Output keys nbval never compares (traceback text, images, widget model ids).
NOT_COMPARED = {"image/png", "image/jpeg", "application/vnd.jupyter.widget-view+json"}
ADDRESS = re.compile(r"\b0[xX][0-9a-fA-F]{6,}")
MACHINE_PATH = re.compile(
    r"(?<![\w.])(?:/(?:root|work|home|Users|tmp|private|var/folders|opt)/|[A-Za-z]:\\\\)"
)


def _read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def _code_cells(notebook: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    return [cell for cell in notebook.cells if cell.cell_type == "code"]


def _compared_texts(output: dict[str, Any]) -> list[tuple[str, str]]:
    """The (key, text) pairs of an output that nbval compares."""
    texts = []
    if output["output_type"] == "stream":
        texts.append((output["name"], output["text"]))
    elif output["output_type"] == "error":
        texts += [("ename", output["ename"]), ("evalue", output["evalue"])]
    else:
        for mime, data in output.get("data", {}).items():
            if mime not in NOT_COMPARED and isinstance(data, str):
                texts.append((mime, data))
    return texts


def test_there_are_notebooks() -> None:
    assert notebook_paths(), f"no notebook in {notebooks_dir()}"


@pytest.mark.parametrize("path", notebook_params())
def test_notebook_is_valid_and_runs_on_the_python3_kernel(path: Path | None) -> None:
    notebook = _read(require_notebook(path))
    nbformat.validate(notebook)
    kernelspec = notebook.metadata.get("kernelspec", {})
    assert kernelspec.get("name") == "python3", f"kernelspec is {kernelspec}"
    assert kernelspec.get("language", "python") == "python"


@pytest.mark.parametrize("path", notebook_params())
def test_every_code_cell_ran_in_order_in_a_fresh_kernel(path: Path | None) -> None:
    cells = _code_cells(_read(require_notebook(path)))
    assert cells, "the notebook has no code cell"
    empty = [number for number, cell in enumerate(cells, 1) if not cell.source.strip()]
    assert not empty, f"empty code cells {empty} (never executed): remove them"
    counts = [cell.execution_count for cell in cells]
    assert counts == list(range(1, len(cells) + 1)), (
        f"execution counts {counts}: re-execute it top to bottom (make execute-notebooks NB=...)"
    )


@pytest.mark.parametrize("path", notebook_params())
def test_errors_only_and_always_in_cells_tagged_raises_exception(path: Path | None) -> None:
    problems = []
    for number, cell in enumerate(_code_cells(_read(require_notebook(path))), 1):
        tagged = RAISES in cell.metadata.get("tags", [])
        errors = [output for output in cell.outputs if output.output_type == "error"]
        if errors and not tagged:
            problems.append(
                f"code cell {number} has an error output ({errors[0].ename}) but no {RAISES!r} tag"
            )
        if tagged and not errors:
            problems.append(f"code cell {number} is tagged {RAISES!r} but has no error output")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", notebook_params())
def test_compared_outputs_have_no_address_or_machine_path(path: Path | None) -> None:
    problems = []
    for number, cell in enumerate(_code_cells(_read(require_notebook(path))), 1):
        for output in cell.outputs:
            for key, text in _compared_texts(output):
                clean = sanitize(text)
                for pattern, what in ((ADDRESS, "memory address"), (MACHINE_PATH, "path")):
                    found = pattern.search(clean)
                    if found:
                        start = max(found.start() - 40, 0)
                        problems.append(
                            f"code cell {number}, {key}: {what} {found.group()!r} "
                            f"in ...{clean[start : found.end() + 40]!r}..."
                        )
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", notebook_params())
def test_notebook_shows_at_least_one_graphviz_drawing(path: Path | None) -> None:
    notebook = _read(require_notebook(path))
    drawings = [
        output
        for cell in _code_cells(notebook)
        for output in cell.outputs
        if 'class="graph"' in str(output.get("data", {}).get("image/svg+xml", ""))
    ]
    assert drawings, "no Graphviz drawing (image/svg+xml) among the stored outputs"


def test_meta_checks_catch_what_they_claim(tmp_path: Path) -> None:
    # A notebook with every fault: unexecuted cell, untagged error, address, path.
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "language": "python"}
    first = nbformat.v4.new_code_cell("x", execution_count=1)
    first.outputs = [
        nbformat.v4.new_output(
            "execute_result",
            data={"text/plain": "<Thing at 0x7f3a2c1d5e80> from /work/main/x.py"},
            execution_count=1,
        ),
        nbformat.v4.new_output("error", ename="ValueError", evalue="boom", traceback=[]),
    ]
    second = nbformat.v4.new_code_cell("y", execution_count=None)
    notebook.cells = [first, second]
    path = tmp_path / "faulty.ipynb"
    nbformat.write(notebook, path)

    with pytest.raises(AssertionError, match=r"execution counts \[1, None\]"):
        test_every_code_cell_ran_in_order_in_a_fresh_kernel(path)
    with pytest.raises(AssertionError, match="no 'raises-exception' tag"):
        test_errors_only_and_always_in_cells_tagged_raises_exception(path)
    with pytest.raises(AssertionError, match="path '/work/'") as caught:
        test_compared_outputs_have_no_address_or_machine_path(path)
    # The address alone is fine: the sanitize file rewrites it for nbval.
    assert "memory address" not in str(caught.value)
    with pytest.raises(AssertionError, match="no Graphviz drawing"):
        test_notebook_shows_at_least_one_graphviz_drawing(path)
