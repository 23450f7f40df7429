# Two commands on a fresh clone: `make demo` and `make test`. Each creates or refreshes .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_DIR ?= demo

.PHONY: demo test lint typecheck unit bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall whenever the project's metadata changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

demo: $(VENV)/.installed
	$(BIN)/advocacy demo $(DEMO_DIR)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests benchmarks tools
	$(BIN)/ruff format --check src tests benchmarks tools
	$(BIN)/lint-imports --no-cache  # the layer contracts in pyproject.toml (docs/architecture.md)

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy

# The suite runs on every core with pytest-xdist; --dist loadfile keeps a module's tests on one
# worker, so its module fixtures (a workspace, a live server, Chromium) are built once.
# `make unit PYTEST_XDIST=-n0` runs it in one process.
PYTEST_XDIST ?= -n auto --dist loadfile

unit: $(VENV)/.installed-dev
	$(BIN)/python -m pytest $(PYTEST_XDIST) $(PYTEST_ARGS)

test: lint typecheck unit

bench: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/startup.py
	$(BIN)/python benchmarks/import.py
	$(BIN)/python benchmarks/metrics.py

clean:
	rm -rf $(VENV) $(DEMO_DIR) .pytest_cache .mypy_cache .ruff_cache
