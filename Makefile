# The same few verbs for people and CI.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run tour test lint bench bench-service clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## run: the service on the embedded default: SQLite in .lotone/, sample catalog and factory
## network loaded, demo data seeded, http://127.0.0.1:8000 (API docs at /docs)
run: $(STAMP)
	$(BIN)/lotone serve --demo --catalog catalog --host 127.0.0.1 --port 8000

## tour: a five-minute tour of the CLI on the sample catalog
tour: $(STAMP)
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

## bench-service: load test of `lotone serve` on PostgreSQL (loopback, bounded; docs/benchmarks.md)
bench-service: $(STAMP)
	$(BIN)/python benchmarks/bench_service.py

clean:
	rm -rf $(VENV) .lotone .pytest_cache .mypy_cache .ruff_cache .coverage build src/*.egg-info
