# Two commands set everything up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SEED := corpora/seed/kazakhstan.mt.en.txt

.PHONY: install demo test lint bench screenshot clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@# An editable install leaves the sources uncompiled; a hook then compiles them on every
	@# start when PYTHONDONTWRITEBYTECODE is set (as on CI machines): compile them once here.
	$(BIN)/python -m compileall -q src
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	@echo "== transqa check --source-lang fr $(SEED)"
	-$(BIN)/transqa check --source-lang fr $(SEED)
	@echo
	@echo "== transqa fix --unsafe --diff --source-lang fr $(SEED)"
	$(BIN)/transqa fix --unsafe --diff --source-lang fr $(SEED)

lint: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/mypy

test: $(STAMP) lint
	$(BIN)/pytest

bench: $(STAMP)
	@# up-to-date bytecode, as an installed package has: the start-up figures depend on it
	$(BIN)/python -m compileall -q src
	$(BIN)/python bench/run.py

# Render the eval HTML report in headless Chromium (installs Debian's chromium if missing).
screenshot: $(STAMP)
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)
	sh scripts/screenshot.sh corpora/fr out --unsafe

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache .mypy_cache .ruff_cache
