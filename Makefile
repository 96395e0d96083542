# The same few verbs for people and CI.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## run: the main job on the embedded default (a CLI tour of the sample catalog)
run: $(STAMP)
	$(BIN)/python -m lotone.tour

## test: the whole default suite (slow benchmarks excluded)
test: $(STAMP)
	$(BIN)/python -m pytest --cov --cov-report=term:skip-covered -q

## lint: format check, lint and strict typing
lint: $(STAMP)
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

## bench: the benchmarks under benchmarks/ (results go to docs/benchmarks.md)
bench: $(STAMP)
	$(BIN)/python benchmarks/bench_domains.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .coverage build src/*.egg-info
