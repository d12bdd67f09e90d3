"""The errors the notebooks show are PyTorch's errors.

Each notebook cell tagged ``raises-exception`` stores the error it raised when the notebook was
last executed (nbval then checks that a new run raises the same). This test checks the stored
error against PyTorch, the oracle: the same code, written with ``torch``, must raise an exception
of the same type with the same message. It also checks that every such cell has an oracle here,
that it really stored an error, that no other cell did, and that no cell stored ``stderr`` output
(warnings carry machine-specific paths; the notebooks catch and print them instead).
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from pathlib import Path

import pytest
import torch

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def _tutorial_network() -> tuple[torch.Tensor, ...]:
    torch.manual_seed(0)
    x = torch.ones(5)
    y = torch.zeros(3)
    w = torch.randn(5, 3, requires_grad=True)
    b = torch.randn(3, requires_grad=True)
    return x, y, w, b


def requires_grad_non_leaf() -> None:
    x, _, w, b = _tutorial_network()
    z = torch.matmul(x, w) + b
    z.requires_grad_(False)


def inplace_leaf() -> None:
    x, y, w, b = _tutorial_network()
    loss = torch.nn.functional.binary_cross_entropy_with_logits(torch.matmul(x, w) + b, y)
    loss.backward()
    w -= 0.1 * w.grad


def non_scalar_backward() -> None:
    x = torch.arange(4.0, requires_grad=True)
    (x * x).backward()


def backward_twice_eye() -> None:
    inp = torch.eye(4, 5, requires_grad=True)
    out = (inp + 1).pow(2).t()
    out.backward(torch.ones_like(out))
    out.backward(torch.ones_like(out))


def detach_inplace() -> None:
    a = torch.tensor([0.0, 1.0, 2.0], requires_grad=True)
    e = a.exp()
    e.detach().zero_()
    e.sum().backward()


def numpy_requires_grad() -> None:
    x = torch.linspace(0.0, 1.0, 5, requires_grad=True)
    (x * x).numpy()


def vector_backward() -> None:
    a = torch.randn(3, requires_grad=True)
    (a * 2048).backward()


def saved_freed() -> None:
    a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    b = torch.tensor([4.0, 5.0, 6.0], requires_grad=True)
    c = a * b
    c.sum().backward()
    c.grad_fn._saved_self  # noqa: B018 - reading it is what raises


def backward_twice_sum() -> None:
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = (x * x).sum()
    y.backward()
    y.backward()


# (notebook, cell id) -> the same experiment in PyTorch.
ORACLES: dict[tuple[str, str], Callable[[], None]] = {
    ("01_tensors_and_graphs.ipynb", "requires-grad-non-leaf"): requires_grad_non_leaf,
    ("03_disabling_tracking.ipynb", "inplace-leaf"): inplace_leaf,
    ("04_jacobians_and_vjp.ipynb", "non-scalar-backward"): non_scalar_backward,
    ("04_jacobians_and_vjp.ipynb", "backward-twice"): backward_twice_eye,
    ("05_detaching.ipynb", "detach-inplace"): detach_inplace,
    ("05_detaching.ipynb", "numpy-requires-grad"): numpy_requires_grad,
    ("06_control_flow.ipynb", "vector-backward"): vector_backward,
    ("07_how_minigrad_works.ipynb", "saved-freed"): saved_freed,
}


# Errors a worked solution shows folded (selfcheck.folded writes "Type: message" into the
# closed <details> of its output, so that a Run All does not show the answer).
FOLDED_ORACLES: dict[tuple[str, str], Callable[[], None]] = {
    ("08_exercises.ipynb", "ex2-backward-twice"): backward_twice_sum,
}


def _notebooks() -> list[Path]:
    return sorted(NOTEBOOKS.glob("*.ipynb"))


def _code_cells(path: Path) -> list[dict]:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [cell for cell in cells if cell["cell_type"] == "code"]


def _raising_cells() -> dict[tuple[str, str], dict]:
    found = {}
    for path in _notebooks():
        for cell in _code_cells(path):
            if "raises-exception" in cell.get("metadata", {}).get("tags", []):
                found[(path.name, cell.get("id", ""))] = cell
    return found


def _errors(cell: dict) -> list[dict]:
    return [output for output in cell.get("outputs", []) if output["output_type"] == "error"]


def test_the_notebooks_are_there() -> None:
    names = [path.name for path in _notebooks()]
    assert len(names) == 12, names
    assert {name for name, _ in ORACLES} <= set(names)


def test_every_raising_cell_has_an_oracle() -> None:
    assert set(_raising_cells()) == set(ORACLES)


@pytest.mark.parametrize("key", sorted(ORACLES), ids=lambda key: f"{key[0][:2]}:{key[1]}")
def test_stored_error_is_pytorchs(key: tuple[str, str]) -> None:
    cell = _raising_cells()[key]
    errors = _errors(cell)
    assert len(errors) == 1, f"{key}: the cell stored {len(errors)} errors; execute the notebook"
    try:
        ORACLES[key]()
    except Exception as error:  # the oracle decides the type
        expected = error
    else:
        pytest.fail(f"{key}: the PyTorch version of the cell did not raise")
    assert errors[0]["ename"] == type(expected).__name__
    assert errors[0]["evalue"] == str(expected)


@pytest.mark.parametrize("path", _notebooks(), ids=lambda path: path.name[:2])
def test_only_tagged_cells_store_errors(path: Path) -> None:
    for index, cell in enumerate(_code_cells(path)):
        tagged = "raises-exception" in cell.get("metadata", {}).get("tags", [])
        if not tagged:
            assert not _errors(cell), f"{path.name}, code cell {index}: an unexpected error"


@pytest.mark.parametrize("path", _notebooks(), ids=lambda path: path.name[:2])
def test_no_stderr_output(path: Path) -> None:
    for index, cell in enumerate(_code_cells(path)):
        for output in cell.get("outputs", []):
            is_stderr = output["output_type"] == "stream" and output["name"] == "stderr"
            assert not is_stderr, f"{path.name}, code cell {index}: {output['text'][:200]}"


MAX_TRACEBACK_LINES = 2  # `%xmode Minimal`: the error's type and message, no internals


def check_short_traceback(cell: dict) -> None:
    for error in _errors(cell):
        text = "\n".join(error.get("traceback", []))
        assert len(error.get("traceback", [])) <= MAX_TRACEBACK_LINES and "minigrad" not in text, (
            f"cell {cell.get('id')}: a long traceback ({len(error['traceback'])} entries); "
            "add `%xmode Minimal` to the notebook's first cell"
        )


@pytest.mark.parametrize("key", sorted(ORACLES), ids=lambda key: f"{key[0][:2]}:{key[1]}")
def test_expected_errors_show_a_short_traceback(key: tuple[str, str]) -> None:
    check_short_traceback(_raising_cells()[key])


def test_short_traceback_check_catches_a_long_one() -> None:
    long = {
        "id": "x",
        "outputs": [
            {
                "output_type": "error",
                "ename": "RuntimeError",
                "evalue": "boom",
                "traceback": ["Cell In[3], line 1", "File minigrad/tensor.py:10", "RuntimeError"],
            }
        ],
    }
    with pytest.raises(AssertionError, match="long traceback"):
        check_short_traceback(long)


def _oracle_error(oracle: Callable[[], None]) -> Exception:
    try:
        oracle()
    except Exception as error:  # the oracle decides the type
        return error
    pytest.fail("the PyTorch version of the cell did not raise")


@pytest.mark.parametrize("key", sorted(FOLDED_ORACLES), ids=lambda key: f"{key[0][:2]}:{key[1]}")
def test_folded_error_is_pytorchs(key: tuple[str, str]) -> None:
    name, cell_id = key
    cells = {cell.get("id"): cell for cell in _code_cells(NOTEBOOKS / name)}
    html_text = "".join(
        "".join(output.get("data", {}).get("text/html", ""))
        for output in cells[cell_id].get("outputs", [])
    )
    assert html_text.startswith("<details>"), f"{key}: no folded output stored"
    expected = _oracle_error(FOLDED_ORACLES[key])
    assert html.escape(f"{type(expected).__name__}: {expected}") in html_text
