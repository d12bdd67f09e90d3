"""The Sphinx extension behind minigrad's course site: what ``docs/conf.py`` cannot say in settings.

At the start of a build (``builder-inited``) it

- copies every ``notebooks/*.ipynb`` into ``docs/notebooks/`` (only the notebooks: helper modules
  such as ``notebooks/selfcheck.py`` stay where they are), maps JupyterLab's collapsed cells
  (``"jupyter": {"source_hidden": true}``) and cells tagged ``solution`` to myst-nb's
  ``hide-input`` tag (``outputs_hidden`` to ``hide-output``), and adds a note that links the
  notebook itself;
- writes the API reference into ``docs/api/`` from the ``__all__`` of minigrad's public modules,
  by public name, so that moving code between minigrad's internal files changes nothing here;
- writes one page per file of the package into ``docs/engine/``, which the README's links to
  those files (in its "Reading the engine" section, included in the site) lead to;
- stages MathJax 3 (from the PyPI package ``django-static-mathjax``) for ``_static/mathjax/``.

When every page has been read (``doctree-resolved``) it links the first mention of each API name
in a notebook's text, and the home page's (inline code such as ```backward()``` or
```torch.no_grad```), to its entry in the API reference.
"""

from __future__ import annotations

import copy
import importlib
import inspect
import json
import os
import re
import shutil
import types
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

DOCS = Path(__file__).resolve().parent.parent
REPO_ROOT = DOCS.parent
# The notebooks shown: notebooks/, or $MINIGRAD_NOTEBOOKS_DIR (as for the tests).
NOTEBOOKS_SOURCE = Path(os.environ.get("MINIGRAD_NOTEBOOKS_DIR") or REPO_ROOT / "notebooks")
NOTEBOOKS_COPY = DOCS / "notebooks"
API_DIR = DOCS / "api"
SOURCE_PAGES_DIR = DOCS / "engine"
MATHJAX_STAGE = DOCS / "_build" / "mathjax-static"

HIDE_INPUT, HIDE_OUTPUT = "hide-input", "hide-output"
SOLUTION_TAG = "solution"
GENERATED_NOTE = ".. Written by docs/_ext/minigrad_site.py at each build: do not edit.\n"

# --- notebooks ------------------------------------------------------------------------------


def site_tags(cell: dict[str, Any]) -> list[str]:
    """The cell's tags with myst-nb's hide tags added where JupyterLab collapses the cell.

    >>> site_tags({"metadata": {"jupyter": {"source_hidden": True}}})
    ['hide-input']
    >>> site_tags({"metadata": {"tags": ["solution"], "jupyter": {"outputs_hidden": True}}})
    ['solution', 'hide-input', 'hide-output']
    >>> site_tags({"metadata": {"tags": ["raises-exception"]}})
    ['raises-exception']
    """
    metadata = cell.get("metadata", {})
    tags = list(metadata.get("tags", []))
    jupyter = metadata.get("jupyter", {})
    wanted = []
    if jupyter.get("source_hidden") or SOLUTION_TAG in tags:
        wanted.append(HIDE_INPUT)
    if jupyter.get("outputs_hidden"):
        wanted.append(HIDE_OUTPUT)
    return tags + [tag for tag in wanted if tag not in tags]


def _notebook_note(name: str) -> dict[str, Any]:
    text = (
        "```{note}\n"
        f"This page is the notebook `notebooks/{name}`, shown with the outputs stored in it. "
        f"{{download}}`Open the notebook itself <../../notebooks/{name}>`, or run it in "
        "JupyterLab with `make lab` from a clone of minigrad.\n"
        "```"
    )
    return {"cell_type": "markdown", "metadata": {"tags": ["site-note"]}, "source": text}


def site_notebook(notebook: dict[str, Any], name: str) -> dict[str, Any]:
    """The notebook as the site shows it: hide tags mapped, and the note that links the notebook
    put after its first Markdown cell (the one with the title)."""
    result = copy.deepcopy(notebook)
    for cell in result["cells"]:
        tags = site_tags(cell)
        if tags:
            cell.setdefault("metadata", {})["tags"] = tags
    cells = result["cells"]
    first_markdown = next((i for i, c in enumerate(cells) if c["cell_type"] == "markdown"), -1)
    note = _notebook_note(name)
    if (result.get("nbformat"), result.get("nbformat_minor", 0)) >= (4, 5):
        note["id"] = "minigrad-site-note"  # cell ids exist from nbformat 4.5 on
    cells.insert(first_markdown + 1, note)
    return result


def copy_notebooks(source: Path = NOTEBOOKS_SOURCE, target: Path = NOTEBOOKS_COPY) -> list[str]:
    """Copy the notebooks for the site; write only what changed so that Sphinx rebuilds only
    those pages, and remove the copies of notebooks that are gone. Returns the names."""
    target.mkdir(parents=True, exist_ok=True)
    names = []
    for path in sorted(source.glob("*.ipynb")):
        names.append(path.name)
        text = json.dumps(
            site_notebook(json.loads(path.read_text(encoding="utf-8")), path.name),
            indent=1,
            ensure_ascii=False,
        )
        copy_path = target / path.name
        if not copy_path.exists() or copy_path.read_text(encoding="utf-8") != text:
            copy_path.write_text(text, encoding="utf-8")
    for stale in target.iterdir():
        if stale.name not in names:
            if stale.is_dir():
                shutil.rmtree(stale)
            else:
                stale.unlink()
    if not names:
        raise RuntimeError(f"no notebook found in {source}")
    return names


# --- API reference --------------------------------------------------------------------------

# The public modules documented, in the order of the reference. Each name in a module's
# __all__ is documented once, under the first public name met in this order.
PUBLIC_MODULES = [
    "minigrad",
    "minigrad.autograd",
    "minigrad.autograd.functional",
    "minigrad.autograd.forward_ad",
    "minigrad.nn",
    "minigrad.nn.functional",
    "minigrad.nn.init",
    "minigrad.optim",
    "minigrad.utils.data",
    "minigrad.cuda",
    "minigrad.backends.mps",
    "minigrad.viz",
]

# How the names of the top-level namespace are grouped; a name in no group goes to "Operations"
# (callables) or "Types and printing" (anything else), so a new name is never left out.
TOP_LEVEL_GROUPS = {
    "tensor": ["Tensor", "is_tensor", "numel"],
    "creation": [
        "tensor",
        "as_tensor",
        "from_numpy",
        "zeros",
        "ones",
        "empty",
        "full",
        "eye",
        "arange",
        "linspace",
        "zeros_like",
        "ones_like",
        "empty_like",
        "full_like",
        "rand",
        "randn",
        "normal",
        "randint",
        "randperm",
        "rand_like",
        "randn_like",
        "randint_like",
        "manual_seed",
        "seed",
        "initial_seed",
        "Generator",
    ],
    "autograd": [
        "no_grad",
        "enable_grad",
        "set_grad_enabled",
        "is_grad_enabled",
        "set_anomaly_enabled",
        "is_anomaly_enabled",
        "is_anomaly_check_nan_enabled",
    ],
    "devices": ["device", "set_default_device", "get_default_device"],
    "types": [
        "Size",
        "dtype",
        "float32",
        "float64",
        "int64",
        "bool",
        "float",
        "double",
        "long",
        "get_default_dtype",
        "set_default_dtype",
        "promote_types",
        "result_type",
        "set_printoptions",
        "get_printoptions",
        "printoptions",
    ],
}

PAGES = {
    "tensor": ("Tensor", "The tensor class: its attributes, its autograd methods, its operations."),
    "creation": ("Creating tensors", "From data, filled with a value, in ranges, and at random."),
    "operations": (
        "Operations",
        "Functions on tensors, under PyTorch's names: ``minigrad.matmul(x, w)`` is "
        "``x.matmul(w)``.",
    ),
    "autograd": (
        "Autograd",
        "Gradients on demand (``minigrad.autograd.grad``), your own ``Function``, the gradient "
        "mode (``no_grad``), checking gradients, Jacobians and forward mode.",
    ),
    "nn": ("Neural networks", "``minigrad.nn``: modules, losses, their functional forms and init."),
    "optim": ("Optimizers", "``minigrad.optim``: stepping parameters with their gradients."),
    "data": (
        "Loading data",
        "``minigrad.utils.data``: datasets and the ``DataLoader`` that batches and shuffles them.",
    ),
    "devices": (
        "Devices",
        "minigrad computes on the CPU: ``minigrad.device``, and ``minigrad.cuda`` and "
        "``minigrad.backends.mps``, which say there is no GPU.",
    ),
    "viz": ("Drawing graphs", "``minigrad.viz``: the graph behind a result, drawn with Graphviz."),
    "types": ("Types and printing", "Shapes, data types and how tensors print."),
}
MODULE_PAGES = {
    "minigrad.autograd": "autograd",
    "minigrad.autograd.functional": "autograd",
    "minigrad.autograd.forward_ad": "autograd",
    "minigrad.nn": "nn",
    "minigrad.nn.functional": "nn",
    "minigrad.nn.init": "nn",
    "minigrad.optim": "optim",
    "minigrad.utils.data": "data",
    "minigrad.cuda": "devices",
    "minigrad.backends.mps": "devices",
    "minigrad.viz": "viz",
}


def public_names(module_name: str) -> list[str]:
    """The names ``module_name`` exports (its ``__all__``, else its names without ``_``),
    submodules excluded."""
    module = importlib.import_module(module_name)
    names = getattr(module, "__all__", None)
    if names is None:
        names = [name for name in vars(module) if not name.startswith("_")]
    return [name for name in names if not isinstance(getattr(module, name), types.ModuleType)]


def _directive(full_name: str, obj: Any) -> str:
    if inspect.isclass(obj):
        return f".. autoclass:: {full_name}\n"
    if callable(obj) and not _is_instance_of_public_class(obj):
        return f".. autofunction:: {full_name}\n"
    return f".. autodata:: {full_name}\n   :annotation:\n"


def _is_instance_of_public_class(obj: Any) -> bool:
    # A dtype object (minigrad.float32) may be callable; it is still data.
    return not (inspect.isfunction(obj) or inspect.isbuiltin(obj) or inspect.ismethod(obj))


def api_entries() -> dict[str, list[tuple[str, str, Any]]]:
    """Page -> [(section, full public name, object)], each object once (aliases of data kept)."""
    pages: dict[str, list[tuple[str, str, Any]]] = {page: [] for page in PAGES}
    seen: set[int] = set()
    group_of = {name: group for group, names in TOP_LEVEL_GROUPS.items() for name in names}
    for module_name in PUBLIC_MODULES:
        module = importlib.import_module(module_name)
        names = public_names(module_name)
        if module_name == "minigrad":
            order = {name: i for i, name in enumerate(sum(TOP_LEVEL_GROUPS.values(), []))}
            names = sorted(names, key=lambda name: (order.get(name, len(order)), name))
        for name in names:
            obj = getattr(module, name)
            is_code = inspect.isclass(obj) or inspect.isfunction(obj) or inspect.isbuiltin(obj)
            if is_code and id(obj) in seen:
                continue
            seen.add(id(obj))
            if module_name == "minigrad":
                page = group_of.get(name) or ("operations" if is_code else "types")
                section = "minigrad"
            else:
                page, section = MODULE_PAGES[module_name], module_name
            pages[page].append((section, f"{module_name}.{name}", obj))
    return pages


def api_page(page: str, entries: list[tuple[str, str, Any]]) -> str:
    title, intro = PAGES[page]
    lines = [GENERATED_NOTE, f"{title}\n{'=' * len(title)}\n", f"{intro}\n"]
    sections: dict[str, list[tuple[str, Any]]] = {}
    for section, full_name, obj in entries:
        sections.setdefault(section, []).append((full_name, obj))
    for section, members in sections.items():
        if len(sections) > 1:
            lines.append(f"``{section}``\n{'-' * (len(section) + 4)}\n")
        lines.append(".. autosummary::\n   :nosignatures:\n")
        lines += [f"   {full_name}" for full_name, _ in members]
        lines.append("")
        for full_name, obj in members:
            lines.append(_directive(full_name, obj))
    return "\n".join(lines)


def write_api_reference(target: Path = API_DIR) -> None:
    target.mkdir(parents=True, exist_ok=True)
    pages = api_entries()
    written = {"index.rst"}
    index = [
        GENERATED_NOTE,
        "API reference\n=============\n",
        "minigrad's public API, generated from its docstrings. Each name is the one you would "
        "write with PyTorch, with ``minigrad`` for ``torch``; the examples are doctests, run by "
        "``make test``.\n",
        ".. toctree::\n   :maxdepth: 1\n",
    ]
    for page, entries in pages.items():
        if not entries:
            continue
        index.append(f"   {page}")
        _write_if_changed(target / f"{page}.rst", api_page(page, entries))
        written.add(f"{page}.rst")
    _write_if_changed(target / "index.rst", "\n".join(index) + "\n")
    for stale in target.glob("*.rst"):
        if stale.name not in written:
            stale.unlink()


def _write_if_changed(path: Path, text: str) -> None:
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


# Docstring markup that reStructuredText misreads: ``|a|`` (a substitution reference) and a
# word ending in ``_`` outside code (a hyperlink reference, as in ``zeros_``).
_LITERAL_SPLIT = re.compile(r"(``.*?``|`[^`]*`|>>>.*$|\.\.\. .*$)", re.M)
_HOSTILE = re.compile(r"(?<![\w`\\])\|([^|\s][^|]*)\|(?![\w`])|(?<=\w)_(?=[\s,.;:)]|$)", re.M)


def escape_docstring(_app, _what, _name, _obj, _options, lines: list[str]) -> None:
    """autodoc-process-docstring: escape RST-hostile markup outside code, in place."""
    in_doctest = False
    for i, line in enumerate(lines):
        stripped = line.lstrip()
        if stripped.startswith(">>>"):
            in_doctest = True
        elif not stripped:
            in_doctest = False
        if in_doctest or stripped.startswith("..") or line.startswith("    "):
            continue
        parts = _LITERAL_SPLIT.split(line)
        for j in range(0, len(parts), 2):  # the parts outside code
            parts[j] = _HOSTILE.sub(_escape_match, parts[j])
        lines[i] = "".join(parts)


def _escape_match(match: re.Match[str]) -> str:
    if match.group(1) is not None:
        return rf"\|{match.group(1)}\|"
    return r"\_"


# --- minigrad's files, one page each, for the README's links ---------------------------------


def source_docname(relative: str) -> str:
    """The page that shows a file of the package: ``minigrad/tensor.py`` -> ``engine/minigrad/
    tensor.py`` (its docname)."""
    return f"engine/{relative}"


def write_source_pages(target: Path = SOURCE_PAGES_DIR) -> list[str]:
    """One page per ``minigrad/**/*.py``, showing the file with line numbers, so that the README's
    links to the package's files (in "Reading the engine") open in the site."""
    written = set()
    for path in sorted((REPO_ROOT / "minigrad").rglob("*.py")):
        relative = path.relative_to(REPO_ROOT).as_posix()
        page = target / f"{relative}.md"
        page.parent.mkdir(parents=True, exist_ok=True)
        up = "../" * (relative.count("/") + 2)
        _write_if_changed(
            page,
            "---\norphan: true\n---\n\n"
            f"# `{relative}`\n\n"
            f"```{{literalinclude}} {up}{relative}\n:language: python\n:linenos:\n```\n",
        )
        written.add(page)
    for stale in target.rglob("*.md"):
        if stale not in written:
            stale.unlink()
    return sorted(str(page) for page in written)


def link_repository_files(app: Sphinx, doctree: nodes.document) -> None:
    """doctree-read: the README's sections included in the site link files by their path in the
    repository. A link to a file of ``minigrad/`` goes to its page, to a notebook to its page;
    any other file of the repository is not in the site, and its link text stays, unlinked."""
    docname = app.env.docname
    here = (DOCS / docname).parent
    for node in list(doctree.findall(addnodes.pending_xref)):
        if node.get("reftype") != "myst":
            continue
        target = str(node.get("reftarget", "")).split("#", 1)[0]
        if not target or (here / target).exists() or not (REPO_ROOT / target).is_file():
            continue
        path = Path(target)
        if path.parts[0] == "minigrad" and path.suffix == ".py":
            destination = source_docname(target)
        elif path.parts[0] == "notebooks" and path.suffix == ".ipynb" and len(path.parts) == 2:
            destination = f"notebooks/{path.stem}"
        else:
            node.replace_self(node.children or [nodes.Text(target)])
            continue
        reference = addnodes.pending_xref(
            "", refdomain="std", reftype="doc", reftarget="/" + destination, refexplicit=True
        )
        reference += node.children
        node.replace_self(reference)


# Type hints that name Python's builtins: never minigrad's dtypes of the same name
# (``minigrad.bool``, ``minigrad.float``), which the API reference documents too.
BUILTIN_TYPE_NAMES = {"bool", "float", "int", "complex", "object", "list", "tuple", "dict", "str"}


def builtins_are_builtins(app: Sphinx, doctree: nodes.document) -> None:
    for node in doctree.findall(addnodes.pending_xref):
        if node.get("refdomain") == "py" and node.get("reftarget") in BUILTIN_TYPE_NAMES:
            node["py:module"] = None
            node["py:class"] = None
            if "refspecific" in node:  # the Python domain tests its presence, not its value
                del node["refspecific"]


# --- MathJax --------------------------------------------------------------------------------

# What tex-svg.js loads from disk: the TeX extensions it autoloads, its SVG output and its menu.
MATHJAX_PARTS = ["tex-svg.js", "input", "output/svg", "output/svg.js", "ui", "a11y", "adaptors"]


def stage_mathjax(target: Path = MATHJAX_STAGE) -> Path:
    """Copy MathJax 3's ``tex-svg.js`` and what it loads into ``target/mathjax`` (once)."""
    try:
        import mathjax  # the PyPI package django-static-mathjax
    except ImportError as error:
        raise RuntimeError(
            "MathJax is missing: the site bundles it from the PyPI package django-static-mathjax "
            "(`make docs` installs it with pip install -e '.[docs]')"
        ) from error
    source = Path(mathjax.__file__).resolve().parent / "static" / "mathjax" / "es5"
    destination = target / "mathjax"
    if not (destination / "tex-svg.js").exists():
        for part in MATHJAX_PARTS:
            if (source / part).is_dir():
                shutil.copytree(source / part, destination / part, dirs_exist_ok=True)
            else:
                (destination / part).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source / part, destination / part)
    return target


# --- first mentions in the notebooks linked to the API reference -----------------------------

_CODE_NAME = re.compile(r"^(\.?)([A-Za-z_][\w.]*?)(\(.*\))?$")
_TOP = "minigrad."


def api_index(objects: Iterable[str]) -> dict[str, str]:
    """Map each way a notebook may write a documented name to its full name: the full name,
    with ``torch.`` for ``minigrad.`` (the notebooks' ``import minigrad as torch``), the name
    after ``minigrad.``, and the last part alone (top level first, then ``Tensor``'s members,
    then the rest in the reference's order).

    >>> index = api_index(["minigrad.Tensor.backward", "minigrad.autograd.backward",
    ...                    "minigrad.no_grad", "minigrad.autograd.grad", "minigrad.Tensor.grad"])
    >>> index["backward"], index["torch.no_grad"], index["autograd.grad"]
    ('minigrad.Tensor.backward', 'minigrad.no_grad', 'minigrad.autograd.grad')
    >>> index["grad"]
    'minigrad.Tensor.grad'
    """
    objects = list(objects)

    def rank(full: str) -> tuple[int, int]:
        rest = full[len(_TOP) :]
        if "." not in rest:
            return (0, objects.index(full))
        if rest.startswith("Tensor."):
            return (1, objects.index(full))
        return (2, objects.index(full))

    index: dict[str, str] = {}
    for full in sorted((o for o in objects if o.startswith(_TOP)), key=rank):
        rest = full[len(_TOP) :]
        for key in (full, "torch." + rest, rest, rest.rsplit(".", 1)[-1]):
            index.setdefault(key, full)
    return index


def resolve_mention(text: str, index: dict[str, str]) -> str | None:
    """The full API name that an inline-code mention such as ``loss.backward()``, ``.grad`` or
    ``torch.no_grad()`` refers to, or None.

    >>> index = api_index(["minigrad.Tensor.backward", "minigrad.Tensor.grad", "minigrad.no_grad"])
    >>> [resolve_mention(t, index) for t in ["loss.backward()", ".grad", "no_grad", "x + 1"]]
    ['minigrad.Tensor.backward', 'minigrad.Tensor.grad', 'minigrad.no_grad', None]
    """
    match = _CODE_NAME.match(text.strip())
    if not match:
        return None
    dot, name, _call = match.groups()
    if dot:
        return index.get(f"minigrad.Tensor.{name}")
    if name in index:
        return index[name]
    if "." in name:  # a variable's method: loss.backward()
        head, last = name.split(".", 1)[0], name.rsplit(".", 1)[-1]
        if head not in ("minigrad", "torch"):
            return index.get(f"minigrad.Tensor.{last}")
    return None


def link_first_mentions(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if not (docname.startswith("notebooks/") or docname == "index"):
        return
    domain = app.env.get_domain("py")
    objects = {name: entry for name, entry in domain.objects.items() if not entry.aliased}
    index = api_index(objects)
    linked: set[str] = set()
    for literal in list(doctree.findall(nodes.literal)):
        if isinstance(literal.parent, nodes.reference | nodes.literal_block):
            continue
        if any(isinstance(a, nodes.title) for a in _ancestors(literal)):
            continue
        full = resolve_mention(literal.astext(), index)
        if full is None or full in linked:
            continue
        linked.add(full)
        entry = objects[full]
        uri = app.builder.get_relative_uri(docname, entry.docname) + "#" + entry.node_id
        reference = nodes.reference("", "", internal=True, refuri=uri, reftitle=full)
        reference["classes"].append("api-link")
        literal.replace_self(reference)
        reference.append(literal)


def _ancestors(node: nodes.Node) -> Iterable[nodes.Node]:
    while node.parent is not None:
        node = node.parent
        yield node


# --- wiring ---------------------------------------------------------------------------------


def _builder_inited(app: Sphinx) -> None:
    copy_notebooks()
    write_api_reference()
    write_source_pages()


def _config_inited(app: Sphinx, config: Any) -> None:
    config.html_static_path = [*config.html_static_path, str(stage_mathjax())]


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("config-inited", _config_inited)
    app.connect("builder-inited", _builder_inited)
    app.connect("autodoc-process-docstring", escape_docstring)
    app.connect("doctree-read", link_repository_files)
    app.connect("doctree-read", builtins_are_builtins)
    app.connect("doctree-resolved", link_first_mentions)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
