# Why Random Weights — every command a contributor needs. `make help` lists them.
# The two the README promises: `make serve` (build with every figure, serve with live reload on
# 127.0.0.1:8000) and `make test` (the whole suite). Both install what they need first.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
PYSTAMP := $(VENV)/.installed
NODESTAMP := node_modules/.installed
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1
# one BLAS thread per process: the build and the tests parallelize across processes instead
export OPENBLAS_NUM_THREADS := 1
export OMP_NUM_THREADS := 1

.PHONY: help deps serve site test test-fast audit lint format bench browser clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 14

$(PYSTAMP): requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

$(NODESTAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

deps: $(PYSTAMP) $(NODESTAMP)  ## create .venv and node_modules from the pinned lock files

serve: deps  ## build the site with every figure and serve it on 127.0.0.1:8000 with live reload
	$(BIN)/mkdocs serve --dirty -a 127.0.0.1:8000

site: deps  ## build the site into site/ (strict: any warning fails)
	$(BIN)/mkdocs build --strict

browser:  ## install Debian's chromium if it is missing (needs root or sudo)
	@command -v chromium >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; }

lint: deps  ## ruff lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: deps  ## apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: deps browser lint site  ## the whole suite: strict build, claims, code blocks, faults, browser, lint
	$(BIN)/pytest --codeblocks -n 2 --dist loadfile tests docs README.md CONTRIBUTING.md

test-fast: deps  ## claims, integrity and engine unit tests: no build, no browser (one page: pytest tests/test_<slug>.py)
	$(BIN)/pytest -q -n 2 --dist loadfile tests -m "not browser and not build"

audit: deps  ## claim tests at several seed offsets: spread per claim, and mutants that survive
	$(PY) tools/audit.py

bench: deps browser site  ## the build, page-weight and playground benchmark tables
	$(PY) tools/bench.py
	$(PY) tools/bench_playground.py site
	$(PY) tools/bench_lighthouse.py site

clean:  ## remove the built site and every cache (not .venv or node_modules)
	rm -rf site .cache .pytest_cache
