# The generator's own tasks. `make` lists them.
PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
SERVICE ?= ../my-service
PORT ?= 8000
WORKERS ?= 2

.DEFAULT_GOAL := help
.PHONY: help service run-service test lint bench

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --editable '.[test]'
	touch $@

service: $(VENV)/.installed ## Generate $(SERVICE) with the default answers and install it
	@test ! -e $(SERVICE) || { echo "$(SERVICE) exists; choose another: make service SERVICE=../other"; exit 1; }
	$(BIN)/copier copy --trust --defaults --vcs-ref HEAD . $(SERVICE)
	PATH="$(BIN):$$PATH" $(MAKE) --no-print-directory -C $(SERVICE) install

run-service: $(VENV)/.installed ## Serve the generated service on http://127.0.0.1:$(PORT)
	PATH="$(BIN):$$PATH" $(MAKE) --no-print-directory -C $(SERVICE) run PORT=$(PORT)

test: $(VENV)/.installed ## Run the generator's test suite (unit, render, generated)
	$(BIN)/pytest -n $(WORKERS)

lint: $(VENV)/.installed ## Lint the generator's own code
	$(BIN)/ruff check scaffold tests hooks bench
	$(BIN)/ruff format --check scaffold tests hooks bench

bench: $(VENV)/.installed ## Benchmark generated services and the generator (Markdown; see BENCHMARKS.md)
	$(BIN)/python -m bench $(BENCH_ARGS)
