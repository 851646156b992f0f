# MASIP developer commands. `make demo` runs the demo site; `make test` runs every
# test. Each step leaves a stamp file, so running a target again is fast and
# repeats only what changed (a new lock file, a new package-lock.json).

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
UV_VERSION := 0.13.9
CHROMIUM := /usr/bin/chromium
PDFTOTEXT := /usr/bin/pdftotext
HOST ?= 127.0.0.1
PORT ?= 8000
# Extra arguments for pytest, e.g. `make test PYTEST_ARGS="-n 2 -m 'not e2e'"`.
PYTEST_ARGS ?=
# PYTHON=/path/to/python3.12 is tried first when creating the virtualenv.
PYTHON ?=

# The background worker (django-tasks-db, ADR 0011) runs beside the web server;
# when either stops, or Ctrl+C is pressed, both are stopped.
define RUN_WITH_WORKER
$(PY) manage.py db_worker --no-reload & worker=$$!; \
trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
$(PY) manage.py runserver $(HOST):$(PORT)
endef

# Coverage is measured once per line of code. On SQLite (the default) it
# covers everything but masip/isolation, whose row-level security runs on
# PostgreSQL only, with branches (at least 95%); on PostgreSQL it covers
# masip/isolation alone, lines only, with the sys.monitoring core, which
# keeps the tracer's cost off the rest of that run (at least 90%: what it
# leaves are the early returns for other databases, which the SQLite run
# takes); config/coverage-postgresql.toml. CI runs both.
ON_POSTGRES := $(findstring postgres,$(DATABASE_URL))
COVERAGE_RC := $(if $(ON_POSTGRES),--rcfile=config/coverage-postgresql.toml,)
COVERAGE_OMIT := $(if $(ON_POSTGRES),,--omit='masip/isolation/*')

.PHONY: help install deps demo serve test chromium lint typecheck check clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

install: deps ## Install everything, migrate the database and load the demo data
	$(PY) manage.py migrate --noinput
	$(PY) manage.py demo

deps: $(VENV)/.installed node_modules/.installed ## Install the Python and Node packages only
	@:

demo: install ## Load the demo data and serve it on http://127.0.0.1:8000
	@echo "Serving MASIP on http://$(HOST):$(PORT)/ (sign in with an account listed above, then its code from .venv/bin/masip demo_code EMAIL; Ctrl+C stops it)"
	@$(RUN_WITH_WORKER)

serve: deps ## Serve without reloading the demo data (with the background worker)
	$(PY) manage.py migrate --noinput
	@$(RUN_WITH_WORKER)

# Production-style serving (docs/deployment.md): gunicorn with several workers
# (config/gunicorn.conf.py) and the background worker, which runs as the owner
# (MASIP_MIGRATE_DATABASE_URL) when that is set. Export the production
# environment first (DJANGO_DEBUG=false, the keys, DATABASE_URL...).
.PHONY: serve-production
serve-production: deps ## Serve with gunicorn and the worker (production env first)
	$(PY) manage.py collectstatic --noinput -v 0
	@DATABASE_URL="$${MASIP_MIGRATE_DATABASE_URL:-$${DATABASE_URL:-}}" \
	  $(PY) manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(VENV)/bin/gunicorn -c config/gunicorn.conf.py

test: deps chromium ## Run the whole test suite, browser tests included, with coverage
	$(PY) -m coverage erase $(COVERAGE_RC)
	@# --parallel-mode: each process (pytest-xdist's workers too, with
	@# PYTEST_ARGS="-n 2") writes its own data file; combine joins them.
	$(PY) -m coverage run $(COVERAGE_RC) --parallel-mode -m pytest --durations=25 $(PYTEST_ARGS)
	$(PY) -m coverage combine $(COVERAGE_RC) --quiet
	$(PY) -m coverage report $(COVERAGE_RC) --skip-covered --skip-empty $(COVERAGE_OMIT)
ifeq ($(ON_POSTGRES),)
	@# The access policy is the one door: every branch of it must be exercised.
	$(PY) -m coverage report --include='masip/access/*' --fail-under=100 > /dev/null \
	  || { echo "masip/access/ must have 100% branch coverage:"; \
	       $(PY) -m coverage report --include='masip/access/*' --show-missing; exit 1; }
endif

lint: typecheck ## Lint with ruff, type-check with mypy, scan with bandit
	$(VENV)/bin/ruff check .
	$(VENV)/bin/bandit -q -c pyproject.toml -r masip config --severity-level medium

typecheck: $(VENV)/.installed ## Type-check the Python code with mypy (django-stubs)
	$(VENV)/bin/mypy masip config

check: lint ## What CI checks: lint, Django checks, migrations, access doc, tests
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py access_doc --check
	$(MAKE) test

clean: ## Remove the virtualenv, node_modules and var/ (the local database too)
	rm -rf $(VENV) node_modules var test-results htmlcov .coverage .coverage.* .ruff_cache .mypy_cache *.egg-info build
	rm -f masip/evidence/parsers/_whatsapp_scan.c masip/evidence/parsers/_whatsapp_scan.*.so
	find . -name __pycache__ -type d -not -path './.git/*' -prune -exec rm -rf {} +

# The virtualenv: Python 3.12, uv, then exactly the packages in the lock file.
$(VENV)/.installed: requirements.lock pyproject.toml setup.py masip/evidence/parsers/_whatsapp_scan.pyx
	@if ! $(PY) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))' 2>/dev/null; then \
	  python312=; \
	  for candidate in $(PYTHON) python3.12 $(HOME)/.pyenv/versions/3.12*/bin/python3.12 /usr/local/bin/python3.12 /usr/bin/python3.12; do \
	    if "$$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))' >/dev/null 2>&1; then \
	      python312="$$candidate"; break; \
	    fi; \
	  done; \
	  if [ -z "$$python312" ]; then \
	    echo "error: Python 3.12 not found. Install it (for example 'pyenv install 3.12')" >&2; \
	    echo "       or pass its path: make install PYTHON=/path/to/python3.12" >&2; \
	    exit 1; \
	  fi; \
	  echo "Creating $(VENV) with $$python312"; \
	  rm -rf $(VENV); \
	  "$$python312" -m venv $(VENV); \
	fi
	@if [ "$$($(UV) --version 2>/dev/null | cut -d' ' -f2)" != "$(UV_VERSION)" ]; then \
	  $(PY) -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION); \
	fi
	$(UV) pip sync --python $(PY) requirements.lock
	$(UV) pip install --python $(PY) --no-deps -e .
	@touch $@

# Front-end packages, exactly as package-lock.json records them.
node_modules/.installed: package-lock.json package.json
	@command -v npm >/dev/null || { echo "error: npm not found; install Node.js 20 or newer" >&2; exit 1; }
	npm ci --no-audit --no-fund
	@touch $@

# Debian's Chromium for the browser tests (Playwright drives it; it never
# downloads a browser of its own).
chromium:
	@if [ -x $(CHROMIUM) ] && [ -x $(PDFTOTEXT) ]; then \
	  :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing Debian's chromium and poppler-utils (pdftotext) for the browser tests"; \
	  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium poppler-utils; \
	else \
	  echo "error: $(CHROMIUM) or $(PDFTOTEXT) is missing; the browser tests need both." >&2; \
	  echo "       Install them with: sudo apt-get install chromium poppler-utils" >&2; \
	  echo "       (or run the other tests only: $(PY) -m pytest -m 'not e2e')" >&2; \
	  exit 1; \
	fi
