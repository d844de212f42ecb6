# Set-up is part of every target: `make run` and `make test` create the
# virtual environment (.venv) on first use and refresh it when pyproject.toml changes.
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint check clean app dist bench bench-extract bench-tables bench-engine bench-columnar screenshot \
	system-packages java-runtime chromium soak

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

# tests/test_engine_spark.py runs a local Spark, which needs Java 17 or newer.
java-runtime:
	@command -v java >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless; \
	  else \
	    echo "The Spark test needs Java 17+: sudo apt-get install default-jre-headless"; \
	  fi; }

test: lint java-runtime
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

# Headless Chromium opens the HTML snapshot in `make bench` (Debian's package).
chromium:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else \
	    echo "The HTML snapshot timing needs Chromium: sudo apt-get install chromium"; \
	  fi; }

# Every scale target beside its figure: start-up against a bare page, the built-in
# dataset and 10k and 100k synthetic events, the HTML snapshot at 100k in headless
# Chromium, 1M from CSV and Parquet, 10M through the engine (about 20 minutes).
# One JSON object on stdout, then the targets; the figures go into docs/benchmarks.md
# and the targets into README.md. BENCH_ARGS=--quick for the built-in dataset and 10k.
bench: $(STAMP) chromium
	@$(BIN)/python -m bench.run --markdown docs/benchmarks.md --readme README.md $(BENCH_ARGS)

# A long session: the window clicked through 2,000 cycles on the built-in dataset and
# 100k synthetic events; memory of the whole process tree every 250 cycles (stderr),
# then ONE JSON line with the growth after warm-up (figures in docs/benchmarks.md).
# Takes an hour or two: not part of `make test`. SOAK_ARGS="--cycles 500 --sizes builtin" for less.
soak: $(STAMP)
	@$(BIN)/python -m bench.soak $(SOAK_ARGS)

# Extraction from the seed articles: recall, precision and speed as one JSON object
# (method and figures in docs/extraction.md).
bench-extract: $(STAMP)
	@$(BIN)/python -m bench.extract

# Tables of any shape: a 100k-row table against the canonical JSON, and each real-world file.
bench-tables: $(STAMP)
	@$(BIN)/python -m bench.tables

# The query engine on 10M synthetic events in Parquet (cached in the temp folder): open,
# aggregate queries with and without each filter, memory; and 1M loaded into memory.
bench-engine: $(STAMP)
	@$(BIN)/python -m bench.engine

# A million events from CSV and from Parquet: load, ready in the window and its memory,
# each beside its target (docs/benchmarks.md).
bench-columnar: $(STAMP)
	@$(BIN)/python -m bench.columnar

# The double-click app: a one-dir bundle in dist/Chronomap/ (build/PACKAGING.md).
app: $(STAMP)
	$(BIN)/pyinstaller --noconfirm --clean --workpath build/work installer.spec

# The Linux downloads, from that app: dist/Chronomap-VERSION-linux-x86_64.tar.zst
# (portable) and dist/chronomap_VERSION_amd64.deb (build/make_dist.py).
dist: app
	$(BIN)/python build/make_dist.py

# Debian and Ubuntu packages: the libraries the window loads on X11 (the README's list,
# which `make run` needs and the app bundle carries), and the tools
# tests/test_packaging.py checks the downloads with. .ci/run installs them.
WINDOW_PACKAGES := libgl1 libegl1 libglvnd0 libglx0 libgbm1 libxkbcommon0 libxkbcommon-x11-0 \
	libxcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 \
	libxcb-render0 libxcb-render-util0 libxcb-shape0 libxcb-shm0 libxcb-sync1 libxcb-util1 \
	libxcb-xfixes0 libxcb-xkb1 libxcb-dri3-0 libx11-6 libx11-xcb1 libxau6 libxdmcp6 \
	libxcomposite1 libxdamage1 libxext6 libxfixes3 libxrandr2 libxtst6 libxkbfile1 \
	libnss3 libnspr4 libasound2 libfontconfig1 libfreetype6 libpng16-16 zlib1g \
	libdbus-1-3 libglib2.0-0
TEST_TOOLS := desktop-file-utils libxml2-utils shared-mime-info python3-gi zstd dpkg
system-packages:
	@if ! command -v apt-get >/dev/null; then \
	  echo "system-packages: not Debian or Ubuntu; install the equivalents of: $(WINDOW_PACKAGES) $(TEST_TOOLS)"; \
	else \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -q && \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
	    $(WINDOW_PACKAGES) $(TEST_TOOLS); \
	fi

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache dist build/work
