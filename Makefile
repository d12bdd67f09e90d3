# minigrad's single entry point. `make lab` and `make test` do all the set-up themselves:
# a virtual environment in .venv, minigrad installed editable with its extras, and the system
# programs the notebooks and tests need (Graphviz's `dot`; Chromium for the browser tests).
# `make docs` builds the course site. Run `make help` for the list of targets.
# Installers are quiet: pip's and apt's output goes to the log files in $(LOG_DIR), and only their
# last lines are shown when they fail.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
NOTEBOOKS := notebooks
SANITIZE := $(NOTEBOOKS)/nbval-sanitize.cfg
# Notebooks that `make execute-notebooks` re-executes (override with NB=notebooks/01_....ipynb).
NB ?= $(sort $(wildcard $(NOTEBOOKS)/*.ipynb))
PYTEST_WORKERS ?= 2
# The course site: sources in docs/, built into SITE_DIR (open SITE_DIR/index.html).
SITE_DIR := docs/_build/html
SPHINX_BUILD := $(BIN)/sphinx-build -W --keep-going -q -b html docs $(SITE_DIR)
# The installers' logs (apt's, dpkg's and pip's output).
LOG_DIR ?= build/logs
# The browser tests, run in their own phase (Chromium and JupyterLab, or the built site).
BROWSER_TESTS := tests/test_browser.py tests/test_site.py
# Extra arguments for `jupyter lab`, e.g. `make lab LAB_ARGS="--no-browser --port 8899"`.
LAB_ARGS ?=
# Names of the system programs (overridable, e.g. CHROMIUM=chromium-browser).
DOT ?= dot
CHROMIUM ?= chromium
APT_GET ?= apt-get

# The environment's own kernel wins over any `python3` kernel registered elsewhere for the user.
export JUPYTER_PREFER_ENV_PATH := 1
# The browser test launches this Chromium.
export CHROMIUM
export PIP_DISABLE_PIP_VERSION_CHECK := 1

DOT_MISSING := minigrad draws graphs with Graphviz's dot program, which is not installed: \
install it with `sudo apt-get install graphviz` (Debian/Ubuntu), `brew install graphviz` (macOS) \
or `conda install -c conda-forge python-graphviz` (conda), then run make again
CHROMIUM_MISSING := The browser test needs Chromium ($(CHROMIUM)), which is not installed: \
install it with `sudo apt-get install chromium` (Debian), `brew install --cask chromium` (macOS, \
then set CHROMIUM=/path/to/chromium) or your package manager, then run make again

# The system programs this run needs, as command:debian-package pairs: dot always, chromium
# for the tests.
NEED := $(DOT):graphviz $(if $(filter test check-chromium,$(MAKECMDGOALS)),$(CHROMIUM):chromium)

have = $(shell command -v $(1) 2>/dev/null || true)
is_root := $(filter 0,$(shell id -u 2>/dev/null || true))

# Runs an installer quietly: one line saying what, its output appended to a log, and on failure
# the log's last lines. $(call quietly,what,log file,command)
quietly = echo "  $(1) (log: $(2))"; mkdir -p $(dir $(2)); \
	if ! { $(3); } >>$(2) 2>&1; then \
	  echo "Failed: $(1). The last lines of $(2):" >&2; tail -n 25 $(2) >&2; exit 1; fi

.PHONY: help lab test docs lint format bench execute-notebooks clean distclean \
	system-packages check-dot check-chromium

help:
	@echo "make lab                open the notebooks in JupyterLab (does all the set-up)"
	@echo "make test               run every test: ruff, unit/oracle tests, nbval, the site, browser"
	@echo "make docs               build the course site into $(SITE_DIR) (open index.html)"
	@echo "make lint               ruff check and ruff format --check"
	@echo "make format             ruff format and sort imports"
	@echo "make bench              run the benchmarks (benchmarks/run.py)"
	@echo "make execute-notebooks  re-execute the notebooks in place in a fresh kernel"
	@echo "                        (one notebook: make execute-notebooks NB=notebooks/01_....ipynb)"
	@echo "make clean              remove caches and build output (make distclean: also .venv)"

# --- set-up ---------------------------------------------------------------------------------

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 10))' || { \
	  echo "minigrad needs Python 3.10 or newer; $(PYTHON) is $$($(PYTHON) -V 2>&1)." >&2; exit 1; }
	@echo "Creating the virtual environment $(VENV) with $$($(PYTHON) -V 2>&1)"
	@if ! $(PYTHON) -m venv $(VENV); then \
	  rm -rf $(VENV); \
	  if [ -n "$(is_root)" ] && command -v $(APT_GET) >/dev/null 2>&1; then \
	    echo "Installing python3-venv from Debian's packages with $(APT_GET) (apt may also upgrade"; \
	    echo "system packages it depends on)"; \
	    export DEBIAN_FRONTEND=noninteractive; \
	    $(call quietly,$(APT_GET) update,$(LOG_DIR)/apt.log,$(APT_GET) update); \
	    $(call quietly,$(APT_GET) install python3-venv,$(LOG_DIR)/apt.log,$(APT_GET) install -y python3-venv); \
	    $(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); exit 1; }; \
	  else \
	    echo "Could not create $(VENV): install your system's venv package (Debian: apt-get install python3-venv)." >&2; \
	    exit 1; \
	  fi; \
	fi

# The stamps make a second run skip the install until pyproject.toml changes.
PIP_INSTALL := $(BIN)/python -m pip install --progress-bar off -e
PIP_LOG := $(LOG_DIR)/pip.log

$(VENV)/.installed-notebooks: pyproject.toml | $(BIN)/python
	@echo "Installing minigrad (editable) with the notebook extras into $(VENV): about 95 MB to"
	@echo "download, 430 MB installed"
	@$(call quietly,pip install -e '.[notebooks]',$(PIP_LOG),$(PIP_INSTALL) '.[notebooks]')
	@touch $@

$(VENV)/.installed-docs: pyproject.toml | $(BIN)/python
	@echo "Installing minigrad (editable) with the site's extras into $(VENV): about 370 MB installed"
	@$(call quietly,pip install -e '.[docs]',$(PIP_LOG),$(PIP_INSTALL) '.[docs]')
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	@echo "Installing minigrad (editable) with the notebook, site and test extras into $(VENV):"
	@echo "about 390 MB to download (PyTorch, the tests' oracle, is 190 MB of it), 1.6 GB installed"
	@$(call quietly,pip install -e '.[test]',$(PIP_LOG),$(PIP_INSTALL) '.[test]')
	@touch $@ $(VENV)/.installed-notebooks $(VENV)/.installed-docs

# Installs the missing programs named in NEED (pairs command:debian-package) when running as
# root with apt; otherwise leaves them to the check-* targets, which stop with one clear line.
system-packages:
	@missing=""; \
	for pair in $(NEED); do \
	  command -v "$${pair%%:*}" >/dev/null 2>&1 || missing="$$missing $${pair#*:}"; \
	done; \
	if [ -n "$$missing" ] && [ -n "$(is_root)" ] && command -v $(APT_GET) >/dev/null 2>&1; then \
	  echo "Installing$$missing from Debian's packages with $(APT_GET), as root (Graphviz draws the"; \
	  echo "graphs, Chromium runs the browser tests; apt may also upgrade system packages they"; \
	  echo "depend on)"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  $(call quietly,$(APT_GET) update,$(LOG_DIR)/apt.log,$(APT_GET) update); \
	  $(call quietly,$(APT_GET) install$$missing,$(LOG_DIR)/apt.log,$(APT_GET) install -y $$missing); \
	fi

# These recipes are expanded only after system-packages has run, so they see its installs.
check-dot: system-packages
	$(if $(call have,$(DOT)),@:,$(error $(DOT_MISSING)))

check-chromium: system-packages
	$(if $(call have,$(CHROMIUM)),@:,$(error $(CHROMIUM_MISSING)))

# --- the two commands -----------------------------------------------------------------------

lab: check-dot $(VENV)/.installed-notebooks
	$(BIN)/python tools/lab_command.py $(LAB_ARGS)

test: check-dot check-chromium $(VENV)/.installed-test
	@echo "==> 1/5 lint: ruff check, ruff format --check"
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@echo "==> 2/5 unit and comparison tests (against PyTorch)"
	$(BIN)/pytest tests -n $(PYTEST_WORKERS) $(addprefix --ignore=,$(BROWSER_TESTS))
	@echo "==> 3/5 notebooks: each re-run and compared with its stored outputs (nbval)"
	$(BIN)/pytest --nbval --nbval-current-env --nbval-sanitize-with $(SANITIZE) $(NOTEBOOKS)
	@echo "==> 4/5 course site: make docs (Sphinx warnings are errors)"
	$(SPHINX_BUILD)
	@echo "==> 5/5 browser: the notebooks in JupyterLab, the site from disk (headless Chromium)"
	$(BIN)/pytest $(BROWSER_TESTS) -n $(PYTEST_WORKERS)

docs: $(VENV)/.installed-docs
	$(SPHINX_BUILD)
	@echo "The course site is in $(SITE_DIR): open $(SITE_DIR)/index.html in a browser."

# --- everyday targets -----------------------------------------------------------------------

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-test
	$(BIN)/ruff check --select I --fix .
	$(BIN)/ruff format .

bench: $(VENV)/.installed-test
	$(BIN)/python benchmarks/run.py

execute-notebooks: check-dot $(VENV)/.installed-notebooks
	@test -n "$(NB)" || { echo "No notebook found in $(NOTEBOOKS)/." >&2; exit 1; }
	@for nb in $(NB); do \
	  echo "Executing $$nb"; \
	  $(BIN)/jupyter nbconvert --to notebook --execute --inplace \
	    --ExecutePreprocessor.timeout=600 --ExecutePreprocessor.record_timing=False "$$nb"; \
	done

clean:
	rm -rf build dist .pytest_cache .ruff_cache .hypothesis *.egg-info \
	  docs/_build docs/notebooks docs/api docs/engine
	find . -path ./$(VENV) -prune -o \( -name __pycache__ -o -name .ipynb_checkpoints \) \
	  -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
