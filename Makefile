# Ertrag: `make run` serves the app (web + worker + beat); `make test` runs every check.
# Both install what is missing first, and only that: a second run is fast.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Development: debug on (settings default it off) unless the environment says otherwise.
export DJANGO_DEBUG ?= true
DEMO ?= 1
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help install run test lint typecheck pytest messages audit bench load clean

help:
	@echo "make run    - set up everything and serve http://127.0.0.1:$(PORT)/ (web, worker, beat)"
	@echo "             (the first start creates the demo user and prints its login; DEMO=0 skips it)"
	@echo "make test   - ruff, mypy and the whole pytest suite"
	@echo "make bench  - performance benchmarks (ratios against same-run baselines)"
	@echo "make load   - 50 API clients for 60 s: zero errors, reports right afterwards"
	@echo "make audit  - the pinned Python and npm packages against known vulnerabilities"
	@echo "make clean  - remove .venv, node_modules and var/"

# ------------------------------------------------------------------ dependencies
$(VENV)/.installed: pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is required"'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	@touch $@

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "Node.js 18+ with npm is required"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

install: $(VENV)/.installed node_modules/.installed
	@$(PY) manage.py compiletranslations --verbosity 0 >/dev/null

# ------------------------------------------------------------------ run
# scripts/run.py migrates, creates the dev admin and the demo (first start only), starts
# the Procfile's web, worker and beat, prints the logins in its final banner once they
# are up, and on Ctrl+C lets each process stop by itself (see its docstring).
run: install
	@mkdir -p var
	@PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(PY) scripts/run.py --port $(PORT) --demo $(DEMO)

# ------------------------------------------------------------------ checks
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: install
	$(VENV)/bin/mypy .

pytest: install
	$(VENV)/bin/pytest -n 2 $(PYTEST_ARGS)

test: lint typecheck pytest

messages: install
	$(PY) manage.py makemessages --locale de --ignore '.venv/*' --ignore 'node_modules/*' --ignore 'var/*' --ignore 'tests/*' --ignore 'test-artifacts/*' --no-obsolete
	$(PY) manage.py compiletranslations

# The pinned set as written: pip-audit reads constraints.txt (every package, dev tools too)
# without installing or resolving it again, so a package installed by hand in .venv does not
# count; npm audit reads package-lock.json's production packages (what the browser gets).
# A finding fails. Vulnerability data that cannot be reached (offline, a proxy that refuses
# the query) is reported as NOT AUDITED and only warns, so it cannot fail CI for unrelated
# work; AUDIT_UNREACHABLE=fail makes it an error on a machine that reaches the services.
audit: install
	@$(PY) scripts/audit.py

# PostgreSQL and Redis of this machine unless DATABASE_URL / REDIS_URL are set. The benches
# only use that server: they make databases of their own (ertrag_bench*) and Redis database 11.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/ertrag_bench
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/11

# Every bench runs, even after one has missed its goal; the target fails at the end.
bench: install
	@$(PY) bench/common.py; \
	failed=""; \
	for script in bench/*.py; do \
		case "$$(basename "$$script")" in _*|common.py|load.py) continue;; esac; \
		DATABASE_URL="$${DATABASE_URL:-$(BENCH_DATABASE_URL)}" \
		REDIS_URL="$${REDIS_URL:-$(BENCH_REDIS_URL)}" \
		$(PY) "$$script" || failed="$$failed $$(basename "$$script" .py)"; \
	done; \
	if [ -n "$$failed" ]; then echo "goals missed or benches failed:$$failed"; exit 1; fi

# 50 API clients for 60 s on gunicorn + PostgreSQL + Redis + a worker: no error allowed,
# and every report equal to a recompute from scratch afterwards.
load: install
	DATABASE_URL="$${DATABASE_URL:-$(BENCH_DATABASE_URL)}" \
	REDIS_URL="$${REDIS_URL:-$(BENCH_REDIS_URL)}" \
	$(PY) bench/load.py

clean:
	rm -rf $(VENV) node_modules var
