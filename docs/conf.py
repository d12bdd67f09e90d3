"""Sphinx configuration of minigrad's course site (``make docs``).

The site is built from files that live elsewhere in the repository, so that each text exists once:

- the notebooks are copied from ``notebooks/`` into ``docs/notebooks/`` at build time (with
  JupyterLab's collapsed cells and ``solution`` cells mapped to myst-nb's ``hide-input`` tag) and
  rendered from their stored outputs, never re-executed;
- the API reference is written into ``docs/api/`` at build time from the ``__all__`` of
  minigrad's public modules, by public name (``minigrad.Tensor``, ``minigrad.autograd.grad``);
- the home page and "Reading the engine" include sections of the README.

All of that is done by ``docs/_ext/minigrad_site.py``. The site needs no server and nothing from
the internet: MathJax 3 comes from PyPI (``django-static-mathjax``) and is copied into the site.
"""

from __future__ import annotations

import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS / "_ext"))
sys.path.insert(0, str(DOCS.parent))  # minigrad from this checkout, whatever is installed

import minigrad  # noqa: E402

project = "minigrad"
author = "minigrad developers"
copyright = "minigrad developers, MIT License"  # noqa: A001 (Sphinx's own name)
version = release = minigrad.__version__

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.napoleon",
    "sphinx.ext.mathjax",
    "minigrad_site",
]

root_doc = "index"
exclude_patterns = ["_build", "**.ipynb_checkpoints", "_ext", "_static/mathjax/**"]

# --- notebooks (myst-nb) ----------------------------------------------------------------------
nb_execution_mode = "off"  # the stored outputs are the notebooks' test: show them as they are
nb_ipywidgets_js = {}  # a stored widget would otherwise add scripts from a CDN
nb_merge_streams = True
myst_enable_extensions = ["dollarmath", "amsmath"]
myst_heading_anchors = 3

# --- API reference (autodoc) ------------------------------------------------------------------
autodoc_default_options = {"members": True, "member-order": "bysource"}
autodoc_typehints = "description"
autodoc_typehints_format = "short"
autodoc_preserve_defaults = True
autodoc_inherit_docstrings = False  # a method with no docstring of its own shows none
autosummary_generate = False  # minigrad_site writes the pages itself
napoleon_google_docstring = False
napoleon_numpy_docstring = True
add_module_names = True
python_display_short_literal_types = True

# --- HTML -------------------------------------------------------------------------------------
html_theme = "sphinx_book_theme"
html_title = f"minigrad {release}"
html_static_path = ["_static"]
html_css_files = ["minigrad.css"]
html_show_sourcelink = False
html_copy_source = False
# Search works from file://; its result summaries would fetch pages, which a browser refuses there.
html_show_search_summary = False
html_theme_options = {
    "home_page_in_toc": True,
    "show_navbar_depth": 1,
    "use_download_button": False,  # each notebook page links its notebook itself
    "use_fullscreen_button": False,
    "use_repository_button": False,
    "show_toc_level": 2,
}
html_last_updated_fmt = None

# Maths: MathJax 3 from the local copy that minigrad_site puts in _static/mathjax/.
mathjax_path = "mathjax/tex-svg.js"

# The theme's light/dark switch starts from this mode (empty, it logs an error on first load).
html_context = {"default_mode": "light"}
