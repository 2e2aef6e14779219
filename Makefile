# The two commands: `make run` and `make test`. Both install into .venv first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test lint bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

## run: start the embedded default (SQLite + embedded broker + ingest + web) with demo traffic
run: install
	$(BIN)/ioc db upgrade
	$(BIN)/ioc up --demo

## test: the whole suite (SQLite + embedded broker unless IOC_* URLs say otherwise)
test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .

bench: install
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/classify.py

clean:
	rm -rf $(VENV) instance .pytest_cache
