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


# -- teaching by doing: checkpoints, collapsed solutions, a clean reading path ----------------

CHECKPOINT = "checkpoint"
SOLUTION = "solution"
MAX_VISIBLE_ASSERTS = 15  # over all notebooks, in the cells a learner sees
# The notebooks without exercises must each let the learner predict and check at least twice.
PRACTICE = re.compile(r"^0[1-79]_")
DOT_SOURCE = re.compile(r"print\(\s*[\w.]*\.source\s*\)")
INTERNAL_WORDS = re.compile(r"\bseeds? ?\d{3}\b|\bseed's\b", re.IGNORECASE)


def _collapsed(cell: nbformat.NotebookNode) -> bool:
    return bool(cell.metadata.get("jupyter", {}).get("source_hidden"))


def _tags(cell: nbformat.NotebookNode) -> list[str]:
    return cell.metadata.get("tags", [])


def check_checkpoints(path: Path) -> None:
    """At least two checkpoint cells (01-07, 09); each asks for an answer and, run as stored,
    shows a hint, not an answer."""
    cells = [c for c in _code_cells(_read(path)) if CHECKPOINT in _tags(c)]
    if PRACTICE.match(path.name):
        assert len(cells) >= 2, f"{len(cells)} checkpoint cell(s): at least 2 are needed"
    for cell in cells:
        assert not _collapsed(cell), f"checkpoint cell {cell.get('id')} is collapsed"
        assert "= ..." in cell.source and "selfcheck." in cell.source, (
            f"checkpoint cell {cell.get('id')} has no `answer = ...` stub checked by selfcheck"
        )
        text = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
        assert text.startswith("Not yet: "), (
            f"checkpoint cell {cell.get('id')}, run as stored, should ask for an answer: {text!r}"
        )


def check_solutions_collapsed(path: Path) -> None:
    """Every cell tagged `solution` opens collapsed: a code cell's input and outputs hidden
    (`source_hidden`, `outputs_hidden`), a Markdown cell's text inside a closed <details>."""
    problems = []
    for cell in _read(path).cells:
        if SOLUTION not in _tags(cell):
            continue
        hidden = cell.metadata.get("jupyter", {})
        if cell.cell_type == "markdown":  # JupyterLab shows Markdown even when source_hidden
            text = cell.source.strip()
            closed = re.match(r"<details>\s*<summary>", text) and text.endswith("</details>")
            if not closed or text.count("<details") != 1:
                problems.append(f"solution cell {cell.get('id')} is not inside a closed <details>")
            continue
        if not hidden.get("source_hidden"):
            problems.append(f"solution cell {cell.get('id')} is not collapsed")
        if not hidden.get("outputs_hidden"):
            problems.append(f"solution cell {cell.get('id')} shows its outputs")
        # JupyterLab shows a cell's outputs again when it runs: what a solution prints, draws
        # or raises must be folded into a closed <details> (selfcheck.folded).
        for output in cell.outputs:
            folded = output.output_type == "display_data" and str(
                output.get("data", {}).get("text/html", "")
            ).startswith("<details>")
            if not folded:
                problems.append(
                    f"solution cell {cell.get('id')} shows an unfolded {output.output_type} output"
                )
    assert not problems, "\n".join(problems)


def check_reading_path(paths: list[Path]) -> None:
    """The cells a learner sees (not collapsed): no DOT text dumped, few assert lines, no
    self-check code, no internal words."""
    asserts, problems = 0, []
    for path in paths:
        for cell in _read(path).cells:
            if INTERNAL_WORDS.search(cell.source):
                problems.append(
                    f"{path.name}, {cell.get('id')}: internal words in {cell.source[:60]!r}"
                )
            if cell.cell_type != "code" or _collapsed(cell):
                continue
            if DOT_SOURCE.search(cell.source):
                problems.append(f"{path.name}, {cell.get('id')}: prints DOT text")
            if re.search(r"^def check_", cell.source, re.MULTILINE):
                problems.append(f"{path.name}, {cell.get('id')}: a self-check's code is visible")
            asserts += sum(line.lstrip().startswith("assert") for line in cell.source.splitlines())
    if asserts > MAX_VISIBLE_ASSERTS:
        problems.append(f"{asserts} assert lines in visible cells (at most {MAX_VISIBLE_ASSERTS})")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", notebook_params())
def test_checkpoints_ask_the_learner_to_predict(path: Path | None) -> None:
    check_checkpoints(require_notebook(path))


def test_the_exercises_have_collapsed_solutions() -> None:
    exercises = [p for p in notebook_paths() if "exercises" in p.name]
    assert exercises, "no exercises notebook"
    solutions = [c for c in _read(exercises[0]).cells if SOLUTION in _tags(c)]
    assert len(solutions) >= 11, f"{len(solutions)} solution cells: one group per exercise"


@pytest.mark.parametrize("path", notebook_params())
def test_every_solution_cell_is_collapsed(path: Path | None) -> None:
    check_solutions_collapsed(require_notebook(path))


def test_the_reading_path_is_clean() -> None:
    paths = notebook_paths()
    assert paths
    check_reading_path(paths)


def test_teaching_checks_catch_what_they_claim(tmp_path: Path) -> None:
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "language": "python"}
    checkpoint = nbformat.v4.new_code_cell("answer = ...\nselfcheck.leaves(answer)")
    checkpoint.metadata["tags"] = [CHECKPOINT]
    checkpoint.outputs = [nbformat.v4.new_output("stream", name="stdout", text="Not yet: fill")]
    solution = nbformat.v4.new_code_cell("x = 1")
    solution.metadata["tags"] = [SOLUTION]
    solution.metadata["jupyter"] = {"source_hidden": True}  # outputs still shown
    solution.outputs = [nbformat.v4.new_output("stream", name="stdout", text="Correct! 4")]
    dump = nbformat.v4.new_code_cell("print(dot.source)\n" + "assert True\n" * 16)
    explained = nbformat.v4.new_markdown_cell("<details open><summary>S</summary>x</details>")
    explained.metadata["tags"] = [SOLUTION]
    words = nbformat.v4.new_markdown_cell("## A vector (seed 002's exercise)")
    notebook.cells = [checkpoint, solution, dump, words, explained]
    path = tmp_path / "01_faulty.ipynb"
    nbformat.write(notebook, path)

    with pytest.raises(AssertionError, match="1 checkpoint cell"):
        check_checkpoints(path)
    with pytest.raises(AssertionError, match="shows its outputs") as caught:
        check_solutions_collapsed(path)
    assert "not inside a closed <details>" in str(caught.value)
    assert "shows an unfolded stream output" in str(caught.value)
    solution.metadata["jupyter"] = {}
    nbformat.write(notebook, path)
    with pytest.raises(AssertionError, match="is not collapsed"):
        check_solutions_collapsed(path)
    with pytest.raises(AssertionError) as caught:
        check_reading_path([path])
    assert "prints DOT text" in str(caught.value)
    assert "16 assert lines" in str(caught.value)
    assert "internal words" in str(caught.value)
    # A checkpoint that, run as stored, gives the answer instead of a hint.
    checkpoint.outputs = [nbformat.v4.new_output("stream", name="stdout", text="Correct! 4")]
    second = nbformat.v4.new_code_cell(checkpoint.source)
    second.metadata["tags"] = [CHECKPOINT]
    second.outputs = checkpoint.outputs
    notebook.cells = [checkpoint, second]
    nbformat.write(notebook, path)
    with pytest.raises(AssertionError, match="should ask for an answer"):
        check_checkpoints(path)
