# The two commands a newcomer needs: `make demo` and `make test`. Everything installs into .venv.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DB     ?= data/socle.duckdb

.PHONY: demo test docs lint typecheck bench install clean

$(STAMP): pyproject.toml collectors/git/_gitlog.c
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## demo: set up, import the example organisation, refresh, open the dashboard
demo: $(STAMP)
	$(BIN)/socle import --db $(DB) data/examples/*
	$(BIN)/socle refresh --db $(DB) || test $$? -eq 1  # 1 = some packages failed; the rest is stored
	$(BIN)/socle status --db $(DB)
	$(BIN)/socle dashboard --db $(DB)

## test: set up, then ruff, mypy, the documentation build (strict) and pytest (installs chromium for the
## browser test when it can)
test: $(STAMP)
	@sh scripts/ensure-browser
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet
	$(BIN)/pytest

## docs: build the documentation site into build/site (offline; a broken link or reference fails)
docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

## bench: benchmarks, printing figures and ratios against the baseline. The sources are compiled first,
## as a first run would (where PYTHONDONTWRITEBYTECODE is set, every process would compile them again).
bench: $(STAMP)
	$(BIN)/python -m compileall -q collectors analysis dashboard bench
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build/site
