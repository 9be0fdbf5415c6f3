# `make run`: install everything and run the service on SQLite with demo data.
# `make test`: install everything and run the test suite (SQLite; set TEST_DATABASE_URL for PostgreSQL).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test install bench bench-sweep translations

ASSETS := service/static/dist/.built-stamp

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -c constraints.txt -e ".[test]"
	touch $(STAMP)

# bpmn-js and the properties panel come from the npm registry, bundled by esbuild.
$(ASSETS): package.json package-lock.json assets/*.js assets/*.mjs
	npm ci --no-audit --no-fund
	npm run build
	touch $(ASSETS)

translations: $(STAMP)
	$(BIN)/pybabel compile --statistics -d service/translations

install: $(STAMP) $(ASSETS) translations

run: install
	$(BIN)/flask --app service init-db
	$(BIN)/flask --app service seed-demo
	$(BIN)/flask --app service run

test: install
	$(BIN)/pytest

bench: install
	$(BIN)/python bench/complete_tasks.py

bench-sweep: install
	$(BIN)/python bench/sweep.py
