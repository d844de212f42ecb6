# Set-up is part of every target: `make run` and `make test` create the
# virtual environment (.venv) on first use and refresh it when pyproject.toml changes.
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint check clean app bench bench-extract bench-tables screenshot

$(STAMP): pyproject.toml
	@PY=$$(sh build/find_python.sh) && echo "using $$PY" && \
	  { [ -x $(BIN)/python ] || $$PY -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/chronomap

lint: $(STAMP)
	$(BIN)/ruff check desktop tests build bench
	$(BIN)/ruff format --check desktop tests build bench
	$(BIN)/mypy
	$(BIN)/lint-imports

test: lint
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

# Timings and sizes for the built-in dataset and 10k, 100k and 1M synthetic events:
# one JSON object on stdout, the same figures in docs/benchmarks.md.
bench: $(STAMP)
	@$(BIN)/python -m bench.run --markdown docs/benchmarks.md

# Extraction from the seed articles: recall, precision and speed as one JSON object
# (method and figures in docs/extraction.md).
bench-extract: $(STAMP)
	@$(BIN)/python -m bench.extract

# Tables of any shape: a 100k-row table against the canonical JSON, and each real-world file.
bench-tables: $(STAMP)
	@$(BIN)/python -m bench.tables

# The double-click app: a one-dir bundle in dist/Chronomap/ (build/PACKAGING.md).
app: $(STAMP)
	$(BIN)/pyinstaller --noconfirm --clean --workpath build/work installer.spec

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache dist build/work
