# iris-keras: `make train` and `make test` are all the set-up a fresh machine needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCK := requirements.lock
# Test workers: pytest-xdist processes (2 fits this 2-core machine).
WORKERS ?= 2
# Seeds per variant in `make study`: 20, so that "19 of 20 seeds" can be checked.
STUDY_SEEDS ?= 20

export TF_CPP_MIN_LOG_LEVEL ?= 3
export PYTHONHASHSEED ?= 0

.DEFAULT_GOAL := help
.PHONY: help install train study test test-fast lint format notebooks bench lock clean mutate mutate-survivors mutation-report

help: ## show this help
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): $(LOCK) pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "iris-keras needs Python >= 3.11, found " + sys.version.split()[0])'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet --requirement $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation --editable .
	touch $(STAMP)

install: $(STAMP) ## create .venv and install the pinned environment (when missing or stale)

train: $(STAMP) ## train the article's recipe, then the corrected one (artifacts in runs/)
	$(BIN)/iris-keras train --recipe article
	$(BIN)/iris-keras train --recipe multiclass

study: $(STAMP) ## seed study of every variant (docs/study/), then the README's results block
	$(BIN)/iris-keras study --seeds $(STUDY_SEEDS) --output docs/study --readme README.md

test: $(STAMP) ## lint, then the whole test suite, notebooks included
	$(BIN)/ruff check iris_keras tests
	$(BIN)/ruff format --check iris_keras tests
	$(BIN)/python -m pytest -n $(WORKERS) --durations=15

test-fast: $(STAMP) ## the suite without the slow tests (full runs, notebooks)
	$(BIN)/python -m pytest -n $(WORKERS) -m "not slow"

notebooks: $(STAMP) ## run every notebook in a fresh kernel, render HTML into notebooks/rendered/
	$(BIN)/jupyter nbconvert --to html --execute --output-dir notebooks/rendered \
		--ExecutePreprocessor.kernel_name=python3 --ExecutePreprocessor.timeout=120 \
		--ExecutePreprocessor.extra_arguments=--IPKernelApp.capture_fd_output=False \
		notebooks/*.ipynb

lint: $(STAMP) ## ruff lint and format check
	$(BIN)/ruff check iris_keras tests
	$(BIN)/ruff format --check iris_keras tests

format: $(STAMP) ## format and fix lint in place
	$(BIN)/ruff format iris_keras tests
	$(BIN)/ruff check --fix iris_keras tests

bench: $(STAMP) ## time the naive listing against ours, side by side; updates the README table
	$(BIN)/python -m iris_keras.bench --repeats 3

# Modules for `make mutate` (paths); empty: every core module (hours on 2 cores).
MODULES ?=

mutate: $(STAMP) ## mutation testing of the core with mutmut (slow; MODULES="iris_keras/x.py ..."); docs/mutation.md
	$(BIN)/python -m iris_keras.mutation run $(MODULES)

mutate-survivors: $(STAMP) ## test again only the survivors of MODULES (after adding tests); docs/mutation.md
	$(BIN)/python -m iris_keras.mutation run --survivors $(MODULES)

mutation-report: $(STAMP) ## rebuild docs/mutation.md from docs/mutation.json and docs/mutation-equivalent.toml
	$(BIN)/python -m iris_keras.mutation report

lock: ## re-resolve requirements.lock from pyproject.toml (needs the network)
	rm -rf /tmp/iris-keras-lock && $(PYTHON) -m venv /tmp/iris-keras-lock
	/tmp/iris-keras-lock/bin/pip install --quiet --upgrade "pip>=24"
	/tmp/iris-keras-lock/bin/pip install --quiet "setuptools>=68" ".[dev]"
	/tmp/iris-keras-lock/bin/pip freeze --all --exclude iris-keras --exclude pip > $(LOCK)

clean: ## remove the environment, runs and caches
	rm -rf $(VENV) runs build *.egg-info .pytest_cache .ruff_cache .hypothesis mutants
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
