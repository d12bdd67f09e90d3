"""End to end in a real browser: every notebook runs in JupyterLab as a learner runs it.

JupyterLab is started as ``make lab`` starts it, headless on loopback, on a copy of the notebooks
with their outputs cleared. Debian's Chromium, driven by Playwright (never a downloaded browser),
opens each notebook, waits for the kernel to be idle, clicks Run > Run All Cells, waits until every
code cell has run, saves the notebook and checks:

- every code cell ran, in order (execution counts 1, 2, 3, ...);
- no cell has an error output except the cells tagged ``raises-exception``, each of which has one;
- at least one graph drawn by Graphviz is rendered as SVG in the page;
- in a 1280 x 900 window at 100% zoom, no output image (Graphviz drawing or plot) is wider than
  the notebook's cell area, so none needs scrolling;
- every cell tagged ``solution`` opens collapsed: a code cell's input replaced by a placeholder
  bar, a Markdown cell's text inside a closed ``<details>`` element;
- the kernel is idle at the end and no error dialog is open.

Screenshots of each notebook and of its first graph go to a temporary folder (printed in the test
report; ``MINIGRAD_SCREENSHOT_DIR`` chooses another). A missing Chromium fails the test.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest
from conftest import (
    CHROMIUM_FLAGS,
    LabServer,
    chromium_executable,
    notebook_params,
    notebooks_dir,
    require_notebook,
    start_lab_server,
)
from playwright.sync_api import Browser, Page, sync_playwright

KERNEL_IDLE_TIMEOUT = 90.0  # from opening the page to "Python 3 (ipykernel) | Idle"
RUN_ALL_TIMEOUT = 300.0  # for all cells of one notebook
STALL_SECONDS = 5.0  # kernel idle, nothing queued, yet cells not run: Run All stopped
SAVE_TIMEOUT = 30.0
IDLE_SETTLE_SECONDS = 2.0  # all visible cells ran and the kernel stayed idle this long
RAISES = "raises-exception"

# Read the page's state in one go: the code cells' prompts, the kernel status, open dialogs,
# and the rendered SVG graphs (Graphviz output shown as <img> of image/svg+xml, or inline).
STATE_JS = """
() => {
  const notebook = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook');
  const cells = notebook ? [...notebook.querySelectorAll('.jp-Cell.jp-CodeCell')] : [];
  // A collapsed cell shows a placeholder instead of its input, and so no execution count.
  const prompts = cells.map(cell => cell.querySelector('.jp-InputPlaceholder') ? 'collapsed'
    : (cell.querySelector('.jp-InputPrompt')?.textContent || '').trim());
  const status = document.querySelector('.jp-StatusBar-TextItem[title^="Change kernel"]');
  const dialogs = [...document.querySelectorAll('.jp-Dialog')].map(d => d.innerText);
  const images = [...document.querySelectorAll(
      '.jp-OutputArea-output[data-mime-type="image/svg+xml"] img')].map(img => ({
    width: img.naturalWidth, complete: img.complete,
    graphviz: decodeURIComponent(img.getAttribute('src') || '').includes('class="graph"'),
  }));
  const inline = document.querySelectorAll('.jp-OutputArea-output svg g.graph').length;
  return {prompts, status: status ? status.textContent.trim() : '', dialogs, images, inline};
}
"""


# The width a cell's outputs have (the cell minus its prompt), every output image with its
# natural width in CSS pixels and the index of its cell, and which cells show their input
# collapsed. Cells are listed in notebook order (code and markdown alike).
LAYOUT_JS = """
() => {
  const notebook = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook');
  const cells = [...notebook.querySelectorAll('.jp-Cell')];
  const first = notebook.querySelector('.jp-Cell.jp-CodeCell');
  const prompt = first.querySelector('.jp-InputPrompt');
  const area = first.getBoundingClientRect().width
    - (prompt ? prompt.getBoundingClientRect().width : 0);
  const images = [...notebook.querySelectorAll('.jp-OutputArea-output img')].map(img => ({
    cell: cells.indexOf(img.closest('.jp-Cell')), width: img.naturalWidth,
    complete: img.complete, mime: img.closest('[data-mime-type]')?.dataset.mimeType || '',
  }));
  // Collapsed: a code cell whose input is a placeholder bar; a Markdown cell whose text is
  // inside a closed <details> element.
  const collapsed = cells.map(cell => {
    if (cell.classList.contains('jp-MarkdownCell')) {
      const details = cell.querySelector('.jp-RenderedMarkdown details');
      return !!details && !details.open;
    }
    const placeholder = cell.querySelector('.jp-InputPlaceholder');
    const editor = cell.querySelector('.jp-InputArea');
    return !!placeholder && (!editor || editor.offsetParent === null);
  });
  return {area, images, collapsed, n_cells: cells.length};
}
"""
VIEWPORT = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def screenshot_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    chosen = os.environ.get("MINIGRAD_SCREENSHOT_DIR")
    if chosen:
        path = Path(chosen)
        path.mkdir(parents=True, exist_ok=True)
        return path
    return tmp_path_factory.mktemp("screenshots")


@pytest.fixture(scope="module")
def browser_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabServer]:
    """A lab server on a copy of the notebooks folder whose notebooks have no outputs, so that
    everything the page shows comes from running it in the browser."""
    copy = tmp_path_factory.mktemp("notebooks-under-test") / "notebooks"
    shutil.copytree(
        notebooks_dir(), copy, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__")
    )
    for path in copy.rglob("*.ipynb"):
        notebook = nbformat.read(path, as_version=4)
        for cell in notebook.cells:
            if cell.cell_type == "code":
                cell.outputs = []
                cell.execution_count = None
        nbformat.write(notebook, path)
    with start_lab_server(copy, tmp_path_factory.mktemp("jupyter")) as server:
        yield server


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = chromium_executable()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_FLAGS
        )
        try:
            yield launched
        finally:
            launched.close()


@pytest.mark.parametrize("notebook", notebook_params())
def test_notebook_runs_all_cells_in_jupyterlab(
    notebook: Path | None, browser_lab: LabServer, browser: Browser, screenshot_dir: Path
) -> None:
    notebook = require_notebook(notebook)
    relative = notebook.relative_to(notebooks_dir()).as_posix()
    stem = re.sub(r"[^\w.-]", "_", relative.removesuffix(".ipynb"))
    source = nbformat.read(notebook, as_version=4)
    code_cells = [cell for cell in source.cells if cell.cell_type == "code"]
    tagged = [RAISES in cell.metadata.get("tags", []) for cell in code_cells]
    print(f"screenshots: {screenshot_dir}")

    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1)
    page = context.new_page()
    try:
        # A workspace of its own, so nothing opened earlier is restored beside this notebook.
        address = f"lab/workspaces/{stem}/tree/{urllib.parse.quote(relative)}"
        page.goto(browser_lab.url(address), wait_until="domcontentloaded")
        wait_for_kernel_idle(page, relative)

        page.locator(".lm-MenuBar-item", has_text=re.compile(r"^\s*Run\s*$")).click()
        page.locator('.lm-Menu-item[data-command="runmenu:run-all"]').click()
        state = wait_until_all_cells_ran(page, len(code_cells), relative)

        assert not state["dialogs"], f"{relative}: a dialog is open: {state['dialogs']}"
        assert state["status"].endswith("| Idle"), f"{relative}: kernel is {state['status']!r}"
        graphs = [
            image
            for image in state["images"]
            if image["graphviz"] and image["complete"] and image["width"] > 0
        ]
        assert graphs or state["inline"], (
            f"{relative}: no Graphviz graph rendered as SVG in the page "
            f"(SVG images seen: {state['images']})"
        )

        saved = save_and_read_back(page, browser_lab.root / relative, len(code_cells))
        saved_cells = [cell for cell in saved.cells if cell.cell_type == "code"]
        counts = [cell.execution_count for cell in saved_cells]
        assert counts == list(range(1, len(saved_cells) + 1)), (
            f"{relative}: cells ran out of order or not at all: execution counts {counts}"
        )
        problems = []
        for number, (cell, is_tagged) in enumerate(zip(saved_cells, tagged, strict=True), 1):
            errors = [out for out in cell.outputs if out.output_type == "error"]
            if errors and not is_tagged:
                error = errors[0]
                problems.append(
                    f"code cell {number} raised {error.ename}: {error.evalue} "
                    f"(tag it {RAISES!r} if that is the point)"
                )
            if is_tagged and not errors:
                problems.append(f"code cell {number} is tagged {RAISES!r} but did not raise")
        assert not problems, f"{relative}:\n" + "\n".join(problems)

        final = page.evaluate(STATE_JS)
        assert final["status"].endswith("| Idle"), f"{relative}: kernel is {final['status']!r}"
        check_layout(page.evaluate(LAYOUT_JS), source, relative)
    finally:
        with contextlib.suppress(Exception):
            page.screenshot(path=str(screenshot_dir / f"{stem}.png"))
            first_graph = page.locator(
                '.jp-OutputArea-output[data-mime-type="image/svg+xml"]'
            ).first
            if first_graph.count():
                first_graph.screenshot(path=str(screenshot_dir / f"{stem}-graph.png"))
        context.close()
        shut_down_sessions(browser_lab, relative)


def check_layout(layout: dict[str, Any], source: nbformat.NotebookNode, relative: str) -> None:
    """No output image wider than the cells' area; every solution cell shown collapsed."""
    assert layout["n_cells"] == len(source.cells), f"{relative}: cells in the page: {layout}"
    assert layout["area"] > 300, f"{relative}: cell area of {layout['area']} px?"
    images = [image for image in layout["images"] if image["complete"] and image["width"] > 0]
    assert images, f"{relative}: no output image loaded: {layout['images']}"
    too_wide = [image for image in images if image["width"] > layout["area"]]
    assert not too_wide, (
        f"{relative}: output images wider than the cell area ({layout['area']:.0f} px): {too_wide}"
    )
    open_solutions = [
        index
        for index, cell in enumerate(source.cells)
        if "solution" in cell.metadata.get("tags", []) and not layout["collapsed"][index]
    ]
    assert not open_solutions, f"{relative}: solution cells shown open: {open_solutions}"


def wait_for_kernel_idle(page: Page, relative: str) -> None:
    """Wait until the status bar reads 'Python 3 (ipykernel) | Idle': Run All clicked before
    the kernel is connected does nothing."""
    deadline = time.monotonic() + KERNEL_IDLE_TIMEOUT
    state: dict[str, Any] = {}
    while time.monotonic() < deadline:
        state = page.evaluate(STATE_JS)
        if state["status"].endswith("| Idle") and state["prompts"]:
            return
        if state["dialogs"]:
            pytest.fail(f"{relative}: a dialog opened instead of the kernel: {state['dialogs']}")
        time.sleep(0.25)
    pytest.fail(f"{relative}: kernel not idle after {KERNEL_IDLE_TIMEOUT:.0f} s: {state}")


def wait_until_all_cells_ran(page: Page, n_code_cells: int, relative: str) -> dict[str, Any]:
    """Wait until every code cell shows an execution count and the kernel is idle. Fail early
    when the kernel is idle with nothing queued but cells not run (Run All stopped on an error)."""
    deadline = time.monotonic() + RUN_ALL_TIMEOUT
    stalled_since: float | None = None
    done_since: float | None = None
    state: dict[str, Any] = {}
    while time.monotonic() < deadline:
        state = page.evaluate(STATE_JS)
        prompts = state["prompts"]
        idle = state["status"].endswith("| Idle")
        # Collapsed cells show no count: the saved notebook's counts are checked afterwards.
        ran = [re.fullmatch(r"\[\d+\]:|collapsed", prompt) is not None for prompt in prompts]
        if idle and len(prompts) == n_code_cells and all(ran):
            done_since = done_since or time.monotonic()
            if time.monotonic() - done_since > IDLE_SETTLE_SECONDS:  # trailing collapsed cells
                return state
            time.sleep(0.25)
            continue
        done_since = None
        if state["dialogs"]:
            pytest.fail(f"{relative}: a dialog opened during Run All: {state['dialogs']}")
        if idle and "[*]:" not in prompts:
            stalled_since = stalled_since or time.monotonic()
            if time.monotonic() - stalled_since > STALL_SECONDS:
                not_run = [number for number, done in enumerate(ran, 1) if not done]
                stderr = page.locator(
                    '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
                ).all_inner_texts()
                last_error = stderr[-1][-1500:] if stderr else "(no error output seen)"
                pytest.fail(
                    f"{relative}: Run All stopped; code cells {not_run} did not run "
                    f"(an untagged cell raised?). Prompts: {prompts}\nLast error:\n{last_error}"
                )
        else:
            stalled_since = None
        time.sleep(0.25)
    pytest.fail(f"{relative}: cells still running after {RUN_ALL_TIMEOUT:.0f} s: {state}")


def save_and_read_back(page: Page, path: Path, n_code_cells: int) -> nbformat.NotebookNode:
    """File > Save Notebook, then read the saved file until it holds the run's outputs."""
    deadline = time.monotonic() + SAVE_TIMEOUT
    counts: list[int | None] = []
    saved_at = 0.0
    while time.monotonic() < deadline:
        if time.monotonic() - saved_at > 3.0:  # save again: a late cell may have finished since
            page.locator(".lm-MenuBar-item", has_text=re.compile(r"^\s*File\s*$")).click()
            page.locator('.lm-Menu-item[data-command="docmanager:save"]').click()
            saved_at = time.monotonic()
        with contextlib.suppress(Exception):
            saved = nbformat.read(path, as_version=4)
            counts = [c.execution_count for c in saved.cells if c.cell_type == "code"]
            if len(counts) == n_code_cells and all(count is not None for count in counts):
                return saved
        time.sleep(0.25)
    pytest.fail(f"{path.name}: the saved notebook does not hold the run (counts {counts})")


def shut_down_sessions(server: LabServer, relative: str) -> None:
    """Stop this notebook's kernel so that the next notebook has the machine to itself."""
    with contextlib.suppress(Exception):
        for session in server.api("api/sessions"):
            if session.get("path") == relative:
                server.request(f"api/sessions/{session['id']}", method="DELETE")
