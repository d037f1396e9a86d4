# unionhub: `make run` serves the demo site; `make test` runs the whole suite with lint; `make bench` measures.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
# The demo site and the tests never read a stack's settings (.stack/env, unionhub/envfile.py).
DEV_ENV := DEBUG=true UNIONHUB_ENV_FILE=none

.PHONY: run test bench bench-readme stack ctl backup restore lint format messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.runtime-installed $@

run: $(VENV)/.runtime-installed
	$(DEV_ENV) $(PY) manage.py migrate --no-input -v 0
	$(DEV_ENV) $(PY) manage.py seed_demo
	@echo ""
	@echo "  unionhub is starting on http://127.0.0.1:8000/"
	@echo "  admin:          http://127.0.0.1:8000/admin/"
	@echo "  station finder: http://127.0.0.1:8000/stations/"
	@echo "  Background jobs run in a thread of the web server (no broker configured)."
	@echo ""
	$(DEV_ENV) $(PY) manage.py runserver 127.0.0.1:8000

# The production shape on this machine: PostgreSQL + Redis (started here unless DATABASE_URL/REDIS_URL/
# CELERY_BROKER_URL are yours), DEBUG off, web + worker + beat under supervisord (deploy/supervisord.conf),
# settings in STACK_DIR/env. Variables: PORT (8100), STACK_DIR, STACK_PG_PORT, STACK_REDIS_PORT, STACK_DEMO
# and the sizing ones - README "Production".
stack: $(VENV)/.runtime-installed
	bash .ci/stack

# The running stack's processes, from a second shell: make ctl (status), make ctl CMD="restart worker",
# make ctl CMD="tail -f web" - supervisorctl on the stack's socket.
STACK_DIR ?= $(CURDIR)/.stack
ctl:
	@$(BIN)/supervisorctl -s unix://$(abspath $(STACK_DIR))/supervisor.sock $(or $(CMD),status)

# Back up the database and uploaded files of the site: beside `make stack` its settings (.stack/env), else
# DATABASE_URL, MEDIA_ROOT, SECRET_KEY; into BACKUP_DIR. Restore one (replacing the site's data):
# make restore FILE=backups/unionhub-20261201-030000.dump [YES=1 to answer yes] (README "Backup and restore").
backup: $(VENV)/.runtime-installed
	$(PY) manage.py backup

restore: $(VENV)/.runtime-installed
	@test -n "$(FILE)" || (echo "usage: make restore FILE=backups/unionhub-<time>.dump [YES=1]" && exit 2)
	$(PY) manage.py restore "$(FILE)" $(if $(filter 1 yes true,$(YES)),--no-input)

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(VENV)/.dev-installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Two test processes (pytest-xdist), each with its own test database, media folder and Redis cache database;
# then, alone, the stack tests that share the run's PostgreSQL, Redis and broker with the processes they start
# (marked `serial` by tests/conftest.py). A subset runs as `.venv/bin/pytest tests/…` (DEV_ENV above).
TEST_WORKERS ?= 2
test: lint
	$(DEV_ENV) $(BIN)/pytest -n $(TEST_WORKERS) -m "not serial" $(PYTEST_ARGS)
	$(DEV_ENV) $(BIN)/pytest -m serial tests/stack $(PYTEST_ARGS)

# Benchmarks run on PostgreSQL and Redis: a throwaway pair is started unless DATABASE_URL is set, with
# PostgreSQL durable as in production (fsync, synchronous_commit, full_page_writes on).
# A quick run: make bench BENCH_ARGS="roster_import -- --rows 10000"
# Production-like settings (DEBUG off: no query log), but plain HTTP on loopback.
BENCH_ENV := SECRET_KEY=bench-only-secret-key-not-for-production-0123456789abcdefghij \
	ALLOWED_HOSTS=127.0.0.1,localhost SECURE_SSL_REDIRECT=false SECURE_HSTS_SECONDS=0 LOG_LEVEL=WARNING
# The run's output is kept in bench/RESULTS-latest.txt; `make bench-readme` rewrites the README's "latest run"
# table from it (python -m bench._readme).
bench: SHELL := /bin/bash
bench: $(VENV)/.dev-installed
	@set -o pipefail; if [ -n "$$DATABASE_URL" ]; then $(BENCH_ENV) $(PY) -m bench $(BENCH_ARGS); \
	else $(BENCH_ENV) bash .ci/with-services --durable $(PY) -m bench $(BENCH_ARGS); fi 2>&1 | tee bench/RESULTS-latest.txt

bench-readme: $(VENV)/.dev-installed
	$(PY) -m bench._readme bench/RESULTS-latest.txt README.md

# Regenerate the Chinese catalogue (needs gettext); the compiled .mo is committed so set-up needs none.
# The catalogues in the order Django prefers them (LOCALE_PATHS, then the apps as INSTALLED_APPS lists them).
# makemessages writes each string to the catalogue of the app that uses it (the project's for unionhub, stations
# and the templates), but keeps only the translations that catalogue already had. So a string that moved, or
# one an app now shares, takes its translation from all the catalogues as they were (a compendium, the
# preferred first, then Django's and django-simple-history's for the templates this project overrides),
# exactly, never a fuzzy guess; what no catalogue translated stays empty, for a translator (and a test fails).
PO_FILES := locale/zh_Hans/LC_MESSAGES/django.po \
	$(foreach app,membership casework hardship outreach employment dashboard api,$(app)/locale/zh_Hans/LC_MESSAGES/django.po)

messages: $(VENV)/.dev-installed
	@set -e; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	lib=$$($(PY) -c 'import django, pathlib, simple_history as h; d = pathlib.Path(django.__file__).parent; \
	  print(*(p / "locale/zh_Hans/LC_MESSAGES/django.po" for p in (d / "conf", d / "contrib/admin", pathlib.Path(h.__file__).parent)))'); \
	msgcat --use-first -o "$$tmp/compendium.po" $(PO_FILES) $$lib; \
	$(DEV_ENV) $(PY) manage.py makemessages -l zh_Hans --ignore=.venv --ignore=tests --ignore=bench; \
	for po in $(PO_FILES); do \
	  msgattrib --clear-fuzzy --empty --no-obsolete -o "$$tmp/made.po" "$$po"; \
	  msgmerge --quiet --no-fuzzy-matching --compendium="$$tmp/compendium.po" -o "$$po" "$$tmp/made.po" "$$tmp/made.po"; \
	done
	$(DEV_ENV) $(PY) manage.py compilemessages -l zh_Hans --ignore=.venv

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache
	@echo "(.stack/, the stack's database, is kept: remove it by hand to start over)"
