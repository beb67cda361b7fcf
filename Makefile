# The two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# Exported: development links in e-mails (BASE_URL) default to this port.
export PORT ?= 5000
export FLASK_APP := wsgi

.PHONY: run test lint bench install install-dev translations catalogues clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Compile the nb and en catalogues (.mo files are build output, not committed).
catalogues: $(VENV)/.installed
	$(BIN)/pybabel compile -d matchmaking/translations

run: $(VENV)/.installed catalogues
	$(BIN)/flask db upgrade
	$(BIN)/flask demo load --if-empty
	@echo "Serving on http://127.0.0.1:$(PORT) (stop with Ctrl-C)"
	$(BIN)/flask run --host 127.0.0.1 --port $(PORT)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

test: $(VENV)/.installed-dev catalogues lint
	$(BIN)/pytest

bench: $(VENV)/.installed-dev
	$(BIN)/python bench/engine.py
	$(BIN)/python bench/web.py

# After changing strings: extract them, merge them into both catalogues and
# list what still lacks Norwegian (scripts/translate.py FILE.json fills it in).
translations: $(VENV)/.installed-dev
	$(BIN)/python scripts/translate.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
