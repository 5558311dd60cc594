# CRPS Tracker: the project's vocabulary. `make run` and `make test` work from a fresh clone.
.DEFAULT_GOAL := help
SHELL := /bin/bash

VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help run test lint format migrate demo worker beat check-deploy clean bench-dashboard bench-detection bench-import bench-broker bench-load bench-pages bench-sweep bench-lighthouse up

help:
	@echo "make run      start the app with demo data at http://$(HOST):$(PORT)/"
	@echo "make test     run the whole test suite"
	@echo "make lint     ruff check and format check, mypy with django-stubs"
	@echo "make worker   start a Celery worker (needs REDIS_URL)"
	@echo "make beat     start the Celery beat scheduler (needs REDIS_URL)"
	@echo "make bench-dashboard  time the dashboard drawn in full (nothing kept) for 30 days and 5 years of history"
	@echo "make bench-detection  score worsening detection on simulated diaries"
	@echo "make bench-import     time reading and importing a 20,000-line diary CSV (writes to the configured database; not production)"
	@echo "make bench-broker     time diary saves with a private Redis up, hung and refusing (writes to the configured database; not production)"
	@echo "make bench-load       100 logged-in patients (think time 4 s on average) through gunicorn (2 workers x 4 threads) and a worker, beside a bare /healthz: req/s, p50/p95/p99 per page, errors (about 2 min; writes to the configured database; not production)"
	@echo "make bench-pages      dashboard, review and report under gunicorn (production settings) against the login page, 30 days and 5 years"
	@echo "make bench-sweep      the nightly sweep of 10,000 patients x 180 days through Celery with 1 and 2 workers, against reading the rows"
	@echo "make bench-lighthouse Lighthouse mobile on the 5-year dashboard, median of 3 runs (needs node 20 and npm)"
	@echo "make up       web + worker + beat together (needs REDIS_URL)"

# The virtualenv, rebuilt when the requirements change.
$(STAMP): requirements.txt requirements-dev.txt
	@python=$$(scripts/find-python) || exit 1; \
	if [ -x $(PY) ] && ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then \
	  echo "$(VENV) has a Python older than 3.12: rebuilding it"; rm -rf $(VENV); fi; \
	if [ ! -x $(PY) ]; then echo "Creating $(VENV) with $$python"; "$$python" -m venv $(VENV) || exit 1; fi
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $(STAMP)

migrate: $(STAMP)
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

run: demo
	@echo "Serving on http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	$(PY) manage.py runserver $(HOST):$(PORT)

test: $(STAMP)  # in parallel, one worker per CPU (at most 4); PYTEST_ARGS="-n 0" runs it in one process
	$(PY) -m pytest -n auto --maxprocesses=4 --dist worksteal $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

worker: $(STAMP)
	$(VENV)/bin/celery -A crps_tracker worker --loglevel=INFO

beat: $(STAMP)
	$(VENV)/bin/celery -A crps_tracker beat --loglevel=INFO

# Server time and figure size of the dashboard, 30 days against 5 years (SQLite unless DATABASE_URL).
bench-dashboard: migrate
	$(PY) manage.py bench_dashboard

# Worsening detection on simulated diaries: sensitivity, delay and false alarms per event kind.
bench-detection: $(STAMP)
	$(PY) manage.py bench_detection --oracle

# Diary CSV import of 20,000 lines: reading alone, and import_diary end to end.
bench-import: migrate
	$(PY) manage.py bench_import

# Diary saves with a private redis-server (127.0.0.1, a free port) up, hung (SIGSTOP) and refusing: median and p95 against up.
bench-broker: migrate
	$(PY) manage.py bench_broker

# 100 logged-in patients (one thread each, exponential think times) against gunicorn (2 gthread workers of 4
# threads, production settings) and a Celery worker, all on 127.0.0.1, beside a bare /healthz on the same server.
# BENCH_LOAD_ARGS="--servers 2x1,4x1,2x4,4x2" compares server layouts; "--redis-down" adds Redis refusing.
bench-load: migrate
	$(PY) manage.py bench_load $(BENCH_LOAD_ARGS)

# Dashboard, clinician review and report under gunicorn with production settings, interleaved rounds,
# each page's median server time as a ratio to the login page's in the same run.
bench-pages: migrate
	$(PY) manage.py bench_pages $(BENCH_PAGES_ARGS)

# The nightly sweep through the real Celery path with 1 and then 2 workers, against reading the same rows.
bench-sweep: migrate
	$(PY) manage.py bench_sweep $(BENCH_SWEEP_ARGS)

# Lighthouse (from npm, into .lighthouse/) against the 5-year dashboard under gunicorn: median of 3 mobile runs.
bench-lighthouse: migrate
	$(PY) manage.py bench_lighthouse $(BENCH_LIGHTHOUSE_ARGS)

# Web, worker and beat together, production-like, against REDIS_URL (and DATABASE_URL if set).
up: migrate
	@test -n "$${REDIS_URL}$${CELERY_BROKER_URL}" || { echo "make up needs REDIS_URL (e.g. redis://127.0.0.1:6379/0)"; exit 1; }
	$(PY) manage.py collectstatic --noinput -v0
	trap 'kill 0' EXIT INT TERM; \
	$(VENV)/bin/celery -A crps_tracker worker --loglevel=INFO & \
	$(VENV)/bin/celery -A crps_tracker beat --loglevel=INFO --schedule /tmp/crps-tracker-beat-schedule & \
	DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-crps_tracker.settings.local} \
	  $(VENV)/bin/gunicorn crps_tracker.wsgi --bind $(HOST):$(PORT) --workers 2 --threads 4 --no-control-socket \
	    --access-logfile - & \
	wait

check-deploy: $(STAMP)
	SECRET_KEY=$${SECRET_KEY:-check-only-$$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')} \
	ALLOWED_HOSTS=$${ALLOWED_HOSTS:-crps.example.org} \
	$(PY) manage.py check --deploy --fail-level WARNING --settings=crps_tracker.settings.production

clean:
	rm -rf $(VENV) staticfiles .pytest_cache test-artifacts .lighthouse
