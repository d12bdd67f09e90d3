# minigrad's single entry point. `make lab` and `make test` do all the set-up themselves:
# a virtual environment in .venv, minigrad installed editable with its extras, and the system
# programs the notebooks and tests need (Graphviz's `dot`; Chromium for the browser test).
# Run `make help` for the list of targets.

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

.PHONY: help lab test lint format bench execute-notebooks clean distclean \
	system-packages check-dot check-chromium

help:
	@echo "make lab                open the notebooks in JupyterLab (does all the set-up)"
	@echo "make test               run every test: ruff, unit/oracle/browser tests, nbval"
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
	    echo "Installing python3-venv with $(APT_GET)"; \
	    export DEBIAN_FRONTEND=noninteractive; \
	    $(APT_GET) update -qq && $(APT_GET) install -y -qq python3-venv \
	      && $(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); exit 1; }; \
	  else \
	    echo "Could not create $(VENV): install your system's venv package (Debian: apt-get install python3-venv)." >&2; \
	    exit 1; \
	  fi; \
	fi

# The stamps make a second run skip the install until pyproject.toml changes.
$(VENV)/.installed-notebooks: pyproject.toml | $(BIN)/python
	@echo "Installing minigrad (editable) with the notebook extras into $(VENV)"
	$(BIN)/python -m pip install --quiet --progress-bar off -e '.[notebooks]'
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	@echo "Installing minigrad (editable) with the notebook and test extras into $(VENV)"
	$(BIN)/python -m pip install --quiet --progress-bar off -e '.[test]'
	@touch $@ $(VENV)/.installed-notebooks

# Installs the missing programs named in NEED (pairs command:debian-package) when running as
# root with apt; otherwise leaves them to the check-* targets, which stop with one clear line.
system-packages:
	@missing=""; \
	for pair in $(NEED); do \
	  command -v "$${pair%%:*}" >/dev/null 2>&1 || missing="$$missing $${pair#*:}"; \
	done; \
	if [ -n "$$missing" ] && [ -n "$(is_root)" ] && command -v $(APT_GET) >/dev/null 2>&1; then \
	  echo "Installing$$missing with $(APT_GET)"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  $(APT_GET) update -qq && $(APT_GET) install -y -qq $$missing; \
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
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest tests -n $(PYTEST_WORKERS)
	$(BIN)/pytest --nbval --nbval-current-env --nbval-sanitize-with $(SANITIZE) $(NOTEBOOKS)

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
	rm -rf build dist .pytest_cache .ruff_cache .hypothesis *.egg-info
	find . -path ./$(VENV) -prune -o \( -name __pycache__ -o -name .ipynb_checkpoints \) \
	  -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
