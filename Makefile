# The two commands of the README: `make demo` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: setup system-packages demo test lint typecheck test-sqlite test-postgresql messages clean

setup: system-packages $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

system-packages:
	@bash scripts/system-packages.sh

demo: setup
	$(BIN)/yiwang init
	$(BIN)/yiwang db upgrade
	$(BIN)/yiwang demo
	$(BIN)/yiwang serve --host $(HOST) --port $(PORT)

lint: setup
	$(BIN)/ruff check src tests migrations bench

typecheck: setup
	$(BIN)/mypy

test-sqlite: setup
	@echo "== tests on SQLite =="
	YIWANG_TEST_DATABASE=sqlite $(BIN)/pytest -p no:cacheprovider $(PYTEST_ARGS)

test-postgresql: setup
	@bash scripts/ensure-postgres.sh
	@echo "== tests on PostgreSQL =="
	YIWANG_TEST_DATABASE=postgresql $(BIN)/pytest -p no:cacheprovider $(PYTEST_ARGS)

test: lint typecheck test-sqlite test-postgresql

# Refresh the catalogue template and merge new message ids into the .po files.
messages: setup
	$(BIN)/pybabel extract -F babel.cfg -k N_ --no-location --sort-output -o src/yiwang/locale/messages.pot .
	$(BIN)/pybabel update -i src/yiwang/locale/messages.pot -d src/yiwang/locale -l zh_CN --no-fuzzy-matching

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
