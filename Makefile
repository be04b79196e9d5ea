# Developer and CI entry points. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Benchmarks: the fixed list plus any benchmarks/bench_*.py module that appears later, except the synthetic
# province's (a 1 GB database built at run time: `make bench-province` alone runs it).
BENCHES ?= benchmarks.completion $(patsubst %.py,benchmarks.%,$(notdir $(filter-out benchmarks/bench_province.py,$(wildcard benchmarks/bench_*.py))))
BENCH_PROVINCE_ARGS ?=
PYTEST_ARGS ?=
SYSTEM_PACKAGES ?= postgresql redis-server
# The browser tests drive Debian's chromium; CJK fonts so its screenshots are legible.
# nginx-light: the deployment tests run the project's nginx.conf in front of gunicorn.
TEST_SYSTEM_PACKAGES ?= $(SYSTEM_PACKAGES) chromium fonts-noto-cjk nginx-light
RUNSERVER_ADDR ?= 127.0.0.1:8000

# Tools from the venv first on PATH (ruff, pytest, celery, python).
export PATH := $(CURDIR)/$(BIN):$(PATH)
TEST_ENV := DJANGO_SETTINGS_MODULE=qianjiang_hrss.settings.test
# Local settings fall back to SQLite and eager Celery when these are unset.
LOCAL_ENV := env -u DATABASE_URL -u REDIS_URL DJANGO_SETTINGS_MODULE=qianjiang_hrss.settings.local
WITH_SERVICES := bash scripts/with-services.sh

.PHONY: help venv assets run test test-quick test-system-packages lint format bench bench-province worker beat services-start services-stop system-packages clean distclean

help:
	@echo "make venv      create .venv and install requirements-dev.txt (only when they changed)"
	@echo "make assets   npm ci: ECharts from the npm registry into node_modules/"
	@echo "make run       migrate, load demo data and users, runserver on $(RUNSERVER_ADDR) (SQLite)"
	@echo "make test      ruff + pytest against throwaway PostgreSQL/Redis (PYTEST_ARGS=...): everything, as CI"
	@echo "make test-quick  the same without the browser, worker and deployment tests (PYTEST_ARGS=tests/registers)"
	@echo "make bench     run benchmarks ($(BENCHES)) against throwaway services"
	@echo "make bench-province  build the synthetic province (seeded, ~1 GB, at run time) and measure it"
	@echo "make lint | format | worker | beat | clean | distclean"

venv: $(VENV)/.installed

# Recreate a venv that is missing or half-made (e.g. python3-venv was absent), reinstall when requirements change.
$(VENV)/.installed: requirements.txt requirements-dev.txt
	@if [ ! -x $(BIN)/pip ]; then rm -rf $(VENV) && $(PYTHON) -m venv $(VENV); fi
	$(BIN)/pip install -q --disable-pip-version-check -r requirements-dev.txt
	@touch $@

system-packages:
	bash scripts/ensure-system-packages.sh $(SYSTEM_PACKAGES)

test-system-packages:
	bash scripts/ensure-system-packages.sh $(TEST_SYSTEM_PACKAGES)

# Front-end libraries (ECharts) from the npm registry, exactly as package-lock.json pins them.
assets: node_modules/.installed

# Only the files the pages load are served (vendor/): the package's 46 MB of dist would make every
# collectstatic compress it all (40 s at each container start).
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || bash scripts/ensure-system-packages.sh nodejs npm
	npm ci --no-audit --no-fund --loglevel=error
	bash scripts/vendor-assets.sh
	@touch $@

run: venv assets
	$(LOCAL_ENV) python manage.py migrate --noinput
	# The demo logins first, so the demo's reports and reminders reach their inboxes; printed last, with
	# the address runserver listens on, so they do not scroll away above the demo's output.
	$(LOCAL_ENV) python manage.py load_org_units
	$(LOCAL_ENV) python manage.py create_demo_users --quiet
	$(LOCAL_ENV) python manage.py load_demo
	@$(LOCAL_ENV) python manage.py create_demo_users --print-only --addr $(RUNSERVER_ADDR)
	$(LOCAL_ENV) python manage.py runserver $(RUNSERVER_ADDR)

lint: venv
	ruff check .
	ruff format --check .

format: venv
	ruff format .
	ruff check --fix .

# Lint first (needs no services), then pytest with the services up; with-services.sh always stops them.
test: test-system-packages venv assets lint
	$(TEST_ENV) $(WITH_SERVICES) pytest $(PYTEST_ARGS)

# The developers' lane: no chromium, no real Celery processes, no gunicorn/nginx/compose (tests/deploy), so
# no TEST_SYSTEM_PACKAGES either. CI (.ci/run) runs `make test`, which runs these too.
QUICK_PYTEST_ARGS := -m "not browser and not worker" --ignore=tests/deploy
test-quick: system-packages venv assets lint
	$(TEST_ENV) $(WITH_SERVICES) pytest $(QUICK_PYTEST_ARGS) $(PYTEST_ARGS)

bench: system-packages venv
	$(TEST_ENV) $(WITH_SERVICES) bash -c 'set -e; for m in $(BENCHES); do echo "== $$m"; python -m $$m; done'

bench-province: system-packages venv
	$(TEST_ENV) $(WITH_SERVICES) python -m benchmarks.bench_province $(BENCH_PROVINCE_ARGS)

worker: venv
	celery -A qianjiang_hrss worker -l info

beat: venv
	celery -A qianjiang_hrss beat -l info

# For working by hand: `make services-start; eval "$$(bash scripts/services.sh env)"`.
services-start: system-packages
	bash scripts/services.sh start

services-stop:
	bash scripts/services.sh stop

clean: services-stop
	find . -path ./$(VENV) -prune -o -type d -name __pycache__ -exec rm -rf {} +
	rm -rf .pytest_cache .ruff_cache staticfiles benchmarks/results tests/artifacts/screenshots

distclean: clean
	rm -rf $(VENV) db.sqlite3
