# Pollcheck: `make run` opens the program on a demo mission, `make test` runs every check.
# Both create .venv themselves and re-install the project when pyproject.toml changes.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO := .demo/demo.pollcheck

.PHONY: run test lint core-test templates clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Pollcheck needs Python 3.11 or newer; set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

$(DEMO): | $(STAMP)
	@mkdir -p $(dir $(DEMO))
	$(BIN)/pollcheck demo $(DEMO)

run: $(STAMP) $(DEMO)
	$(BIN)/pollcheck $(DEMO)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

test: lint
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

core-test: $(STAMP)
	$(BIN)/python -m pytest -m "not gui"

# Rebuild the built-in XLSForm templates from their markdown sources.
templates: $(STAMP)
	$(BIN)/python -m forms.tables resources/templates

clean:
	rm -rf $(VENV) .demo .pytest_cache .ruff_cache .hypothesis
