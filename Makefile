# `make run`: install everything and run the service on SQLite with demo data.
# `make test`: install everything and run the test suite (SQLite; set TEST_DATABASE_URL for PostgreSQL).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test install bench bench-sweep translations fonts

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

# The approval form (审批表) PDF needs a Chinese font from Debian's packages.
CJK_FONT := /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc

fonts:
	@test -e $(CJK_FONT) || test -e /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc || \
	  { if [ "$$(id -u)" = 0 ]; then apt-get install -y -q fonts-wqy-zenhei || \
	      { apt-get update -q && apt-get install -y -q fonts-wqy-zenhei; }; \
	    else sudo apt-get install -y -q fonts-wqy-zenhei; fi; }

install: $(STAMP) $(ASSETS) translations fonts

run: install
	$(BIN)/flask --app service init-db
	$(BIN)/flask --app service seed-demo
	$(BIN)/flask --app service seed-demo-households
	$(BIN)/flask --app service run

test: install
	$(BIN)/pytest

bench: install
	$(BIN)/python bench/complete_tasks.py

bench-sweep: install
	$(BIN)/python bench/sweep.py
