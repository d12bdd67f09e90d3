"""The course site that ``make docs`` builds, opened from disk in a real browser with no network.

Debian's Chromium, driven by Playwright (never a downloaded browser), opens the built site from
``file://`` while every request that is not for a file is aborted and recorded, and checks that:

- every page loads with no script error, and nothing was requested from the network;
- every internal link (``href`` and ``src``, fragments included) resolves to a file of the site;
- every notebook has its page, each page shows all the images its notebook stores, and cells that
  JupyterLab shows collapsed are collapsed;
- a page with maths shows formulas typeset by MathJax, not TeX source;
- the search finds ``backward``;
- the API entry of ``Tensor.backward`` shows its example.

Screenshots of the home page, a notebook page and an API page go to a temporary folder
(``MINIGRAD_SCREENSHOT_DIR`` chooses another). The site must have been built first (``make docs``,
which ``make test`` runs); ``MINIGRAD_SITE_DIR`` tests another build.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import re
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from types import ModuleType
from urllib.parse import unquote, urldefrag, urlparse

import pytest
from conftest import (
    CHROMIUM_FLAGS,
    REPO_ROOT,
    SITE_DIR,
    chromium_executable,
    notebook_paths,
    screenshot_folder,
)
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

MATHJAX_TIMEOUT_MS = 20_000
SEARCH_TIMEOUT_MS = 30_000
# Folders of the build that hold assets, not pages.
ASSET_FOLDERS = {"_static", "_images", "_downloads", "_sources", "_sphinx_design_static"}
IMAGE_MIME_TYPES = ("image/png", "image/jpeg", "image/svg+xml", "image/gif")


def site_dir() -> Path:
    override = os.environ.get("MINIGRAD_SITE_DIR")
    return Path(override).resolve() if override else SITE_DIR


def load_site_extension() -> ModuleType:
    """Import ``docs/_ext/minigrad_site.py``, the build's own code, to test its helpers."""
    path = REPO_ROOT / "docs" / "_ext" / "minigrad_site.py"
    spec = importlib.util.spec_from_file_location("minigrad_site", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("minigrad_site", module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def site() -> Path:
    root = site_dir()
    if not (root / "index.html").is_file():
        pytest.fail(f"the course site is not built in {root}: run `make docs` first")
    return root


def site_pages(root: Path) -> list[Path]:
    return sorted(
        path
        for path in root.rglob("*.html")
        if not ASSET_FOLDERS.intersection(path.relative_to(root).parts)
    )


def notebook_page(root: Path, notebook: Path) -> Path:
    return root / "notebooks" / f"{notebook.stem}.html"


# --- without a browser: links, pages for every notebook, the build's helpers ----------------


class _LinksAndIds(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("id", "name"):
            if values.get(name):
                self.ids.add(values[name] or "")
        for name in ("href", "src"):
            value = values.get(name)
            if value and not (tag == "link" and values.get("rel") == "preconnect"):
                self.links.append(value)


def _parse(path: Path, cache: dict[Path, _LinksAndIds]) -> _LinksAndIds:
    if path not in cache:
        parser = _LinksAndIds()
        parser.feed(path.read_text(encoding="utf-8", errors="replace"))
        cache[path] = parser
    return cache[path]


def broken_links(root: Path) -> list[str]:
    """Every internal link of every page that does not lead to a file of the site, or to an
    anchor that its page does not have."""
    cache: dict[Path, _LinksAndIds] = {}
    problems = []
    for page in site_pages(root):
        for link in _parse(page, cache).links:
            parsed = urlparse(link)
            if parsed.scheme in ("http", "https", "mailto", "data", "javascript"):
                continue
            if parsed.scheme or parsed.netloc:
                problems.append(f"{page.relative_to(root)}: {link} (not a relative link)")
                continue
            target_path, fragment = urldefrag(link)
            target_path = unquote(urlparse(target_path).path)
            target = (page.parent / target_path).resolve() if target_path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.is_relative_to(root.resolve()) or not target.is_file():
                problems.append(f"{page.relative_to(root)}: {link} (no such file)")
            elif fragment and target.suffix == ".html":
                if unquote(fragment) not in _parse(target, cache).ids:
                    problems.append(f"{page.relative_to(root)}: {link} (no such anchor)")
    return problems


def test_every_internal_link_resolves(site: Path) -> None:
    problems = broken_links(site)
    assert not problems, "broken links:\n" + "\n".join(problems[:50])


def test_every_notebook_has_its_page_in_the_navigation(site: Path) -> None:
    notebooks = notebook_paths()
    assert notebooks
    index = (site / "index.html").read_text(encoding="utf-8")
    for notebook in notebooks:
        assert notebook_page(site, notebook).is_file(), f"no page for {notebook.name}"
        assert f'href="notebooks/{notebook.stem}.html"' in index, f"{notebook.stem} not in home"
        # The note's link downloads the notebook itself, unchanged.
        page = notebook_page(site, notebook).read_text(encoding="utf-8")
        downloads = re.findall(r'href="(\.\./_downloads/[^"]+\.ipynb)"', page)
        assert downloads, f"{notebook.stem}: no link to the notebook"
        linked = (notebook_page(site, notebook).parent / downloads[0]).resolve()
        assert linked.read_bytes() == notebook.read_bytes()


def test_the_reading_page_and_the_home_page_include_the_readme() -> None:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    for marker in ("reading-the-engine", "what-minigrad-is"):
        start, end = f"<!-- {marker}:start -->", f"<!-- {marker}:end -->"
        assert readme.count(start) == readme.count(end) == 1, f"README lacks {marker} markers"
        assert readme.index(start) < readme.index(end)
        assert marker.replace("-", "_") in (REPO_ROOT / "docs").joinpath(
            "reading_the_engine.md" if marker == "reading-the-engine" else "index.md"
        ).read_text().replace("-", "_")


def test_collapsed_and_solution_cells_become_hide_input() -> None:
    minigrad_site = load_site_extension()
    notebook = {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {},
        "cells": [
            {"cell_type": "markdown", "id": "a", "metadata": {}, "source": "# Title"},
            {"cell_type": "code", "id": "b", "metadata": {"jupyter": {"source_hidden": True}}},
            {"cell_type": "code", "id": "c", "metadata": {"tags": ["solution"]}},
            {"cell_type": "code", "id": "d", "metadata": {"tags": ["raises-exception"]}},
        ],
    }
    site_notebook = minigrad_site.site_notebook(notebook, "01_title.ipynb")
    tags = [cell["metadata"].get("tags", []) for cell in site_notebook["cells"]]
    assert tags == [[], ["site-note"], ["hide-input"], ["solution", "hide-input"], tags[4]]
    assert tags[4] == ["raises-exception"]
    assert "01_title.ipynb" in site_notebook["cells"][1]["source"]
    assert notebook["cells"][1]["metadata"] == {"jupyter": {"source_hidden": True}}, "a copy"


def test_first_mentions_resolve_to_the_api() -> None:
    minigrad_site = load_site_extension()
    index = minigrad_site.api_index(
        ["minigrad.tensor", "minigrad.Tensor.backward", "minigrad.Tensor.grad", "minigrad.no_grad"]
    )
    mentions = ["loss.backward()", ".grad", "torch.no_grad()", "minigrad.tensor", "x.foo()"]
    resolved = [minigrad_site.resolve_mention(text, index) for text in mentions]
    assert resolved == [
        "minigrad.Tensor.backward",
        "minigrad.Tensor.grad",
        "minigrad.no_grad",
        "minigrad.tensor",
        None,
    ]


def test_the_api_reference_documents_every_public_name(site: Path) -> None:
    minigrad_site = load_site_extension()
    entries = minigrad_site.api_entries().values()
    documented = {full for page_entries in entries for _, full, _ in page_entries}
    reference = "".join(path.read_text() for path in (site / "api").glob("*.html"))
    missing = [name for name in sorted(documented) if f'id="{name}"' not in reference]
    assert not missing, f"not in the API pages: {missing}"
    for name in ("minigrad.Tensor", "minigrad.tensor", "minigrad.autograd.grad"):
        assert name in documented
    for name in ("minigrad.autograd.Function", "minigrad.nn.Linear", "minigrad.optim.SGD"):
        assert name in documented
    assert "minigrad.viz.make_dot" in documented


def test_the_docstring_hook_escapes_rst_hostile_markup() -> None:
    minigrad_site = load_site_extension()
    lines = ["The norm |x| and zeros_ fill in place.", ">>> abs(x)  # |x|", "``|x|`` and `a_`"]
    minigrad_site.escape_docstring(None, "function", "f", None, {}, lines)
    assert lines == [
        r"The norm \|x\| and zeros\_ fill in place.",
        ">>> abs(x)  # |x|",
        "``|x|`` and `a_`",
    ]


# --- in the browser ---------------------------------------------------------------------------


class OfflineSite:
    """One browser context on the site: network requests aborted and recorded, errors kept."""

    def __init__(self, context: BrowserContext, root: Path):
        self.context = context
        self.root = root
        self.blocked: list[str] = []
        self.errors: list[str] = []
        context.route("**/*", self._route)

    def _route(self, route, request) -> None:  # noqa: ANN001 (Playwright's types)
        if request.url.startswith("file://"):
            route.continue_()
        else:
            self.blocked.append(request.url)
            route.abort()

    def open(self, path: Path | str, suffix: str = "", page: Page | None = None) -> Page:
        """Open a page of the site, in a new tab or in ``page``; ``suffix`` is a query or a
        fragment (``?q=...``, ``#id``). Script errors are kept in :attr:`errors`."""
        if page is None:
            page = self.context.new_page()
            page.on("pageerror", lambda error: self.errors.append(f"{page.url}: {error}"))
            page.on(
                "console",
                lambda message: (
                    self.errors.append(f"{page.url}: console {message.type}: {message.text}")
                    if message.type == "error"
                    else None
                ),
            )
        target = self.root / path if isinstance(path, str) else path
        page.goto(target.as_uri() + suffix, wait_until="load")
        return page


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = chromium_executable()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def offline(browser: Browser, site: Path) -> Iterator[OfflineSite]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, offline=True)
    offline_site = OfflineSite(context, site)
    yield offline_site
    context.close()
    assert not offline_site.blocked, f"requests left the disk: {offline_site.blocked}"


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return screenshot_folder(tmp_path_factory, "site-screenshots")


# The site's pages in four parts, so that parallel workers share them.
PAGE_PARTS = ["notebooks", "api", "engine", "others"]


def _part(root: Path, path: Path) -> str:
    first = path.relative_to(root).parts[0]
    return first if first in PAGE_PARTS else "others"


def test_the_page_parts_cover_the_site(site: Path) -> None:
    parts = {_part(site, path) for path in site_pages(site)}
    assert parts == set(PAGE_PARTS), parts
    assert len(site_pages(site)) >= len(notebook_paths()) + 3


@pytest.mark.parametrize("part", PAGE_PARTS)
def test_every_page_loads_offline_with_no_error(
    offline: OfflineSite, site: Path, part: str
) -> None:
    pages = [path for path in site_pages(site) if _part(site, path) == part]
    assert pages, f"no page in {part}"
    page = None
    for path in pages:
        page = offline.open(path, page=page)
        title = page.title()
        assert title and "404" not in title, f"{path}: title {title!r}"
        assert page.locator("main, article, [role=main]").count(), f"{path}: no main content"
    assert not offline.errors, "\n".join(offline.errors)


def _image_outputs(notebook: Path) -> int:
    data = json.loads(notebook.read_text(encoding="utf-8"))
    count = 0
    for cell in data["cells"]:
        for output in cell.get("outputs", []):
            if any(mime in output.get("data", {}) for mime in IMAGE_MIME_TYPES):
                count += 1
    return count


IMAGES_JS = """
() => [...document.querySelectorAll('article img, main img')].map(img => ({
  src: img.getAttribute('src'), complete: img.complete, width: img.naturalWidth,
}))
"""
COLLAPSED_JS = """
() => [...document.querySelectorAll('.cell.tag_hide-input')].map(cell => {
  const details = cell.querySelector('details');
  return {collapsed: !!details && !details.open};
})
"""


@pytest.mark.parametrize("notebook", notebook_paths(), ids=lambda path: path.stem)
def test_every_notebook_page_shows_its_images(
    offline: OfflineSite, site: Path, notebook: Path
) -> None:
    page = offline.open(notebook_page(site, notebook))
    images = page.evaluate(IMAGES_JS)
    broken = [image["src"] for image in images if not image["complete"] or image["width"] <= 0]
    assert not broken, f"{notebook.stem}: images that do not show: {broken}"
    expected = _image_outputs(notebook)
    output_images = [image for image in images if "_images/" in (image["src"] or "")]
    assert len(output_images) >= expected, (
        f"{notebook.stem}: {expected} image outputs stored, {len(output_images)} shown"
    )
    # Code cells only: a Markdown solution is folded in its own <details> (myst-nb renders no
    # input area to hide for Markdown).
    hidden = sum(
        1
        for cell in json.loads(notebook.read_text())["cells"]
        if cell["cell_type"] == "code" and "hide-input" in load_site_extension().site_tags(cell)
    )
    collapsed = page.evaluate(COLLAPSED_JS)
    assert len(collapsed) == hidden, f"{notebook.stem}: {hidden} collapsed cells, {collapsed}"
    assert all(cell["collapsed"] for cell in collapsed), f"{notebook.stem}: {collapsed}"
    assert not offline.errors, "\n".join(offline.errors)


MATH_JS = """
() => {
  const maths = [...document.querySelectorAll('span.math, div.math')];
  return {
    count: maths.length,
    typeset: maths.filter(m => m.querySelector('mjx-container svg')).length,
    raw: maths.filter(m => !m.querySelector('mjx-container')).map(m => m.textContent).slice(0, 5),
  };
}
"""


def _pages_with_maths(root: Path) -> list[Path]:
    return [p for p in site_pages(root) if 'class="math' in p.read_text(encoding="utf-8")]


def test_maths_is_typeset_not_shown_as_tex(offline: OfflineSite, site: Path) -> None:
    pages = _pages_with_maths(site)
    assert pages, "no page has maths: the check would prove nothing"
    for path in pages:
        page = offline.open(path)
        with contextlib.suppress(PlaywrightTimeoutError):  # the assertion below says what failed
            page.wait_for_function(
                "() => window.MathJax && MathJax.startup && MathJax.startup.promise"
                " && document.querySelector('mjx-container')",
                timeout=MATHJAX_TIMEOUT_MS,
            )
            page.evaluate("() => MathJax.startup.promise")
        maths = page.evaluate(MATH_JS)
        assert maths["count"] and maths["typeset"] == maths["count"], (
            f"{path.relative_to(site)}: {maths['count']} formulas, {maths['typeset']} typeset; "
            f"TeX left as text: {maths['raw']}"
        )
        visible_text = page.inner_text("article")
        assert "\\mathbb" not in visible_text and "\\(" not in visible_text, path
        page.close()
    assert not offline.errors, "\n".join(offline.errors)


def test_search_finds_backward(offline: OfflineSite) -> None:
    page = offline.open("search.html", "?q=backward")
    results = page.locator("#search-results ul.search li")
    results.first.wait_for(timeout=SEARCH_TIMEOUT_MS)
    hrefs = [results.nth(i).locator("a").first.get_attribute("href") for i in range(5)]
    texts = page.locator("#search-results").inner_text()
    assert "backward" in texts, texts[:500]
    assert any(href and href.startswith("api/") for href in hrefs), hrefs
    assert not offline.errors, "\n".join(offline.errors)


def test_the_api_entry_of_tensor_backward_shows_its_example(
    offline: OfflineSite, site: Path
) -> None:
    page = offline.open(site / "api" / "tensor.html", "#minigrad.Tensor.backward")
    entry = page.locator('dl:has(> dt[id="minigrad.Tensor.backward"]) > dd').first
    examples = entry.locator(".doctest, .highlight-pycon, .highlight-python").first
    assert examples.count(), "Tensor.backward's entry shows no example"
    text = examples.inner_text()
    assert ">>>" in text and ".backward(" in text, text
    assert entry.locator(".highlight span").count() > 3, "the example is not highlighted as code"
    assert not offline.errors, "\n".join(offline.errors)


def test_screenshots_of_the_home_a_notebook_and_an_api_page(
    offline: OfflineSite, site: Path, screenshots: Path
) -> None:
    first_notebook = notebook_paths()[0]
    shots = {
        "site-home": ("index.html", ""),
        "site-notebook": (f"notebooks/{first_notebook.stem}.html", ""),
        "site-api": ("api/tensor.html", "#minigrad.Tensor.backward"),
    }
    for name, (path, suffix) in shots.items():
        page = offline.open(path, suffix)
        if page.locator(".math").count():
            page.evaluate("() => window.MathJax ? MathJax.startup.promise : null")
        target = screenshots / f"{name}.png"
        page.screenshot(path=str(target))
        assert target.stat().st_size > 10_000, f"{target} is nearly empty"
        page.close()
    print(f"screenshots of the site in {screenshots}")


def test_the_site_copies_only_the_notebooks(tmp_path: Path) -> None:
    # Helper modules beside the notebooks (selfcheck.py, buildcheck.py) are not pages; copies of
    # notebooks that are gone are removed.
    minigrad_site = load_site_extension()
    source, target = tmp_path / "notebooks", tmp_path / "copies"
    source.mkdir()
    notebook = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": []}
    (source / "10_new.ipynb").write_text(json.dumps(notebook))
    (source / "selfcheck.py").write_text("def check(): ...\n")
    (source / "README.md").write_text("# The notebooks\n")
    target.mkdir()
    (target / "99_gone.ipynb").write_text("{}")
    assert minigrad_site.copy_notebooks(source, target) == ["10_new.ipynb"]
    assert sorted(path.name for path in target.iterdir()) == ["10_new.ipynb"]
    copied = json.loads((target / "10_new.ipynb").read_text())
    assert copied["cells"][0]["metadata"]["tags"] == ["site-note"]
