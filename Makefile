# Comptoir: the two commands are `make run` and `make test`.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
WORKERS ?= 2
STAMP := $(VENV)/.installed

.PHONY: run test lint fmt typecheck bench worker messages clean

# The venv is rebuilt when pyproject.toml changes.
$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is required ($(PYTHON) not found)."; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@echo "Comptoir on http://127.0.0.1:$(PORT)/  (manager@panier-local.test / demo)"
	TASK_BACKEND=$${TASK_BACKEND:-immediate} $(BIN)/gunicorn comptoir.wsgi:application \
		--bind 127.0.0.1:$(PORT) --workers $(WORKERS) --access-logfile - --forwarded-allow-ips=127.0.0.1

test: $(STAMP)
	$(BIN)/python manage.py makemigrations --check --dry-run --verbosity 0
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy comptoir/pricing $(wildcard comptoir/*/services.py)

fmt: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

typecheck: $(STAMP)
	$(BIN)/mypy comptoir/pricing $(wildcard comptoir/*/services.py)

bench: $(STAMP)
	@for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

worker: $(STAMP)
	$(BIN)/python manage.py db_worker

messages: $(STAMP)
	for dir in comptoir comptoir/*/; do \
		if [ -d $$dir/locale ]; then (cd $$dir && $(CURDIR)/$(BIN)/django-admin compilemessages --verbosity 0); fi; \
	done

clean:
	rm -rf $(VENV) var/static
