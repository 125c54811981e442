# OpsDesk — the two commands: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# The demo is a development setup: DEBUG on, embedded SQLite, jobs in-process (no REDIS_URL).
DEMO_ENV := DEBUG=true

.PHONY: install demo run test lint messages clean

install: $(STAMP)

# Re-installs only when pyproject.toml changes; a fresh machine needs just Python 3.11+ and make.
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "OpsDesk needs Python 3.11 or newer (set PYTHON=...)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: install
	$(DEMO_ENV) $(PY) manage.py migrate --no-input
	$(DEMO_ENV) $(PY) manage.py seed_demo
	@echo "OpsDesk is starting on http://127.0.0.1:8000 (Ctrl-C to stop)"
	$(DEMO_ENV) $(PY) manage.py runserver 127.0.0.1:8000

run: install
	$(DEMO_ENV) $(PY) manage.py migrate --no-input
	$(DEMO_ENV) $(PY) manage.py runserver 127.0.0.1:8000

test: install
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check .

messages: install
	$(DEMO_ENV) $(PY) manage.py makemessages -l zh_Hans --ignore=.venv --ignore=tests --ignore=bench --no-obsolete
	$(DEMO_ENV) $(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
