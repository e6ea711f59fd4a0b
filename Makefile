# The two commands users need: `make run` and `make test`. Each creates .venv when it is missing
# or older than pyproject.toml, so a fresh clone needs nothing installed by hand.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8501
# 127.0.0.1 keeps the dashboard on this machine; ADDRESS=0.0.0.0 serves it to a wall display.
ADDRESS ?= 127.0.0.1

.PHONY: run test bench lint browser postgres clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Incident Atlas needs Python 3.11 or newer ($(PYTHON) is older); run: make PYTHON=python3.11 ..."; exit 1; }
	@echo "Setting up $(VENV) (first run only; about a minute)..."
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $(STAMP)

# dashboard.serve is `streamlit run dashboard/app.py` that loads the incidents while it starts.
run: $(STAMP)
	$(BIN)/python -m dashboard.serve --server.port $(PORT) --server.address $(ADDRESS) --server.headless true

browser: $(STAMP)
	@$(BIN)/python scripts/ensure_browser.py

# PostgreSQL's server programs, for the throwaway server the store tests start (not for make run).
postgres: $(STAMP)
	@$(BIN)/python scripts/ensure_postgres.py

test: $(STAMP) browser postgres
	$(BIN)/python -m pytest -n 2 --dist loadgroup

bench: $(STAMP)
	@for script in bench/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) .pytest_cache tests/artifacts
