# Mulin: `make run` to try it, `make test` for the whole suite. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
# Where links in SMS, e-mails and posters point while `make run` serves (settings.MULIN_BASE_URL).
BASE_URL ?= http://$(HOST):$(PORT)
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
# The suites run on every core (pytest-xdist): each worker has its own test databases
# (pytest-django suffixes their names with _gw0, _gw1…), live server, Chromium and upload
# folders. `make test JOBS=1` runs them in one process each.
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
# --dist loadgroup keeps tests marked with the same xdist_group on one worker (those sharing
# a module-scoped fixture, like the demo's). Every run ends with its 25 slowest tests.
# ARGS passes more to pytest: `make test-sqlite ARGS=tests/activities`.
PYTEST := $(VENV)/bin/pytest -n $(JOBS) --dist loadgroup --durations=25
# pytest exits 5 when it collected no tests: a suite that ran nothing has not passed.
NO_TESTS_FAIL := status=$$?; if [ $$status -eq 5 ]; then echo "pytest collected no tests: failing" >&2; exit 1; fi; exit $$status
# Some machines set PYTHONDONTWRITEBYTECODE: then every pytest process, xdist worker and
# subprocess compiles (and pytest rewrites) every module again. Let Python keep its bytecode.
export PYTHONDONTWRITEBYTECODE :=
# System packages the browser tests, PDFs and translations need (Debian names).
SYSTEM_PACKAGES := chromium fonts-noto-cjk fonts-wqy-microhei gettext

.PHONY: run install test test-sqlite test-postgres test-browser lint format bench messages system-deps clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Mulin needs Python 3.11 or newer")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

system-deps:
	@missing=""; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	test -x /usr/bin/chromium || missing="$$missing chromium"; \
	fc-list 2>/dev/null | grep -qi 'noto sans cjk' || missing="$$missing fonts-noto-cjk"; \
	test -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc || missing="$$missing fonts-wqy-microhei"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing system packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else \
	    echo "Please install:$$missing (e.g. sudo apt-get install$$missing)"; exit 1; \
	  fi; \
	fi

messages: $(VENV)/.installed
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v0

install: $(VENV)/.installed node_modules/.installed messages

run: install
	$(PY) manage.py migrate --no-input -v0
	@# The demo's summary and logins are printed with the address, once the server answers
	@# (scripts/announce.py waits for /healthz); links in SMS and e-mails follow HOST and PORT.
	@echo "Loading the demo (about half a minute the first time)…"
	@summary=$$(mktemp); trap 'rm -f $$summary' EXIT; \
	$(PY) manage.py load_demo > $$summary || exit $$?; \
	export MULIN_BASE_URL=$(BASE_URL); \
	: The task worker, SMS and e-mail, scheduled notices, the periodic jobs start_jobs queued,; \
	: runs beside the server and stops with it.; \
	$(PY) manage.py start_jobs -v0 || exit $$?; \
	$(PY) manage.py db_worker --no-reload -v0 & worker=$$!; \
	$(PY) scripts/announce.py $(BASE_URL) $$summary & announcer=$$!; \
	trap 'kill $$worker $$announcer 2>/dev/null; rm -f $$summary' EXIT; \
	$(PY) manage.py runserver $(HOST):$(PORT)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format: $(VENV)/.installed
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Lint, then the suite on SQLite (with the Chromium browser tests) and on PostgreSQL side by
# side, each on every core; each suite's output is shown whole when it ends (--output-sync).
test: system-deps install lint
	@$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres

test-sqlite: install
	$(PYTEST) -q $(ARGS); $(NO_TESTS_FAIL)

test-postgres: install
	@pg_isready -q -h 127.0.0.1 -p 5432 || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	DATABASE_URL=$(PG_URL) $(PYTEST) -q -m "not browser" --create-db $(ARGS); $(NO_TESTS_FAIL)

test-browser: system-deps install
	$(PYTEST) -q -m browser $(ARGS); $(NO_TESTS_FAIL)

bench: install
	$(PY) bench/bench_import_divisions.py
	DATABASE_URL=$(PG_URL) $(PY) bench/bench_import_divisions.py
	$(PY) bench/bench_area_search.py
	DATABASE_URL=$(PG_URL) $(PY) bench/bench_area_search.py
	$(PY) bench/bench_registry_search.py
	DATABASE_URL=$(PG_URL) $(PY) bench/bench_registry_search.py
	$(PY) bench/bench_census_import.py
	DATABASE_URL=$(PG_URL) $(PY) bench/bench_census_import.py
	$(PY) bench/bench_resident_home.py
	DATABASE_URL=$(PG_URL) $(PY) bench/bench_resident_home.py
	DATABASE_URL=$(PG_URL) $(PY) bench/bench_activity_signup.py
	$(PY) bench/bench_watch_cutoff.py
	DATABASE_URL=$(PG_URL) $(PY) bench/bench_watch_cutoff.py
	$(PY) bench/bench_today_page.py
	DATABASE_URL=$(PG_URL) $(PY) bench/bench_today_page.py
	DATABASE_URL=$(PG_URL) $(PY) bench/meal_orders.py
	DATABASE_URL=$(PG_URL) $(PY) bench/meal_statement.py --scale 0.1
	DATABASE_URL=$(PG_URL) $(PY) bench/fund_ledger.py

clean:
	rm -rf $(VENV) node_modules staticfiles var/mulin.sqlite3*
