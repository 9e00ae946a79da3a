# The front door. `make reports` builds every report for the kommuner in params/; `make test` runs every test
# (`make test-fast`: all but the slow ones).
# Both (re)create .venv/ from the pinned, hashed lock when it is missing or older than the lock.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
LOCKED := $(VENV)/.installed-from-lock
STAMP  := $(VENV)/.installed-package

.PHONY: reports test test-fast lint venv lab bench clean hooks

# A changed lock rebuilds the environment from scratch (nothing stale survives) …
$(LOCKED): requirements.lock
	@echo "Setting up $(VENV) from requirements.lock (first time: a few minutes)…"
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed, found " + sys.version'
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -qq --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	touch $(LOCKED)

# … a changed pyproject.toml only re-installs lagesbild itself (editable, seconds).
$(STAMP): $(LOCKED) pyproject.toml
	$(PY) -m pip install -qq --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

venv: $(STAMP)

reports: $(STAMP)
	$(PY) run_all.py --configured

# Both on every logical core (pytest-xdist); tests that share an expensive fixture run on one worker (tests/conftest.py).
# test-fast: the edit-test loop, everything but the slow tests (notebooks, run_all.py, the browser).
PYTEST_WORKERS ?= logical

test: $(STAMP)
	$(PY) -m pytest -q -n $(PYTEST_WORKERS) --dist loadgroup

test-fast: $(STAMP)
	$(PY) -m pytest -q -n $(PYTEST_WORKERS) --dist loadgroup -m "not slow and not browser"

lint: $(STAMP)
	$(PY) -m ruff check .

# ruff and stripped notebook outputs before each commit (.pre-commit-config.yaml)
hooks: $(STAMP)
	$(VENV)/bin/pre-commit install

lab: $(STAMP)
	$(PY) -m jupyter lab notebooks/

bench: $(STAMP)
	$(PY) bench/bench_reports.py

clean:
	rm -rf reports data/processed/*.parquet data/processed/manifest.json
