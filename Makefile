# iris-keras: `make train` and `make test` are all the set-up a fresh machine needs.
PYTHON ?= python3
# The Keras backend: tensorflow (the reference, default), jax or torch. Each has its own
# environment and lock file, and the jax and torch ones hold no TensorFlow:
# `make train BACKEND=jax` uses .venv-jax, installed from requirements-jax.lock.
BACKEND ?= tensorflow
ifeq ($(filter $(BACKEND),tensorflow jax torch),)
$(error Received BACKEND=$(BACKEND), expected tensorflow, jax or torch)
endif
VENV := $(if $(filter tensorflow,$(BACKEND)),.venv,.venv-$(BACKEND))
LOCK := $(if $(filter tensorflow,$(BACKEND)),requirements.lock,requirements-$(BACKEND).lock)
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Every process make starts runs Keras on $(BACKEND).
export KERAS_BACKEND := $(BACKEND)
# Test workers: pytest-xdist processes (2 fits this 2-core machine).
WORKERS ?= 2
# Seeds per variant in `make study`: 20, so that "19 of 20 seeds" can be checked.
STUDY_SEEDS ?= 20

export TF_CPP_MIN_LOG_LEVEL ?= 3
export PYTHONHASHSEED ?= 0

.DEFAULT_GOAL := help
.PHONY: help install train study test test-fast test-notebooks lint format notebooks bench lock clean

help: ## show this help
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): $(LOCK) pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "iris-keras needs Python >= 3.11, found " + sys.version.split()[0])'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet --requirement $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation --editable .
	@# Any Python of this environment defaults to its backend, started by make or not.
	echo 'import os; os.environ.setdefault("KERAS_BACKEND", "$(BACKEND)")' \
		> "$$($(BIN)/python -c 'import sysconfig; print(sysconfig.get_path("purelib"))')/iris_keras_backend.pth"
	touch $(STAMP)

install: $(STAMP) ## create the environment of BACKEND (.venv, .venv-jax, .venv-torch) from its lock

train: $(STAMP) ## train the article's recipe, then the corrected one (artifacts in runs/)
	$(BIN)/iris-keras train --recipe article
	$(BIN)/iris-keras train --recipe multiclass

study: $(STAMP) ## seed study of every variant (docs/study/, docs/study-jax/ ...), README block on TF
	$(BIN)/iris-keras study --backend $(BACKEND) --seeds $(STUDY_SEEDS) \
		$(if $(filter tensorflow,$(BACKEND)),--output docs/study --readme README.md,--output docs/study-$(BACKEND))

test: $(STAMP) ## lint, then the whole test suite, notebooks included
	$(BIN)/ruff check iris_keras tests
	$(BIN)/ruff format --check iris_keras tests
	$(BIN)/python -m pytest -n $(WORKERS) --durations=15

test-fast: $(STAMP) ## the suite without the slow tests (full runs, notebooks)
	$(BIN)/python -m pytest -n $(WORKERS) -m "not slow"

test-notebooks: $(STAMP) ## run every notebook as a test, in a fresh kernel of BACKEND's environment
	$(BIN)/python -m pytest -n $(WORKERS) tests/test_notebooks.py

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

# jax and torch locks keep every package they share with requirements.lock at its version,
# so the three environments differ only by the backend. `torch==X+cpu` (the CPU build pip
# found on disk) is written `torch==X`: the same pin takes PyPI's build elsewhere.
lock: ## re-resolve BACKEND's lock from pyproject.toml (needs the network)
	rm -rf /tmp/iris-keras-lock && $(PYTHON) -m venv /tmp/iris-keras-lock
	/tmp/iris-keras-lock/bin/pip install --quiet --upgrade "pip>=24"
	/tmp/iris-keras-lock/bin/pip install --quiet \
		$(if $(filter tensorflow,$(BACKEND)),,--constraint requirements.lock) \
		"setuptools>=68" ".[dev,$(BACKEND)]"
	/tmp/iris-keras-lock/bin/pip freeze --all --exclude iris-keras --exclude pip \
		| sed -E 's/^(torch==[0-9.]+)\+cpu$$/\1/' > $(LOCK)

clean: ## remove the environment, runs and caches
	rm -rf $(VENV) runs build *.egg-info .pytest_cache .ruff_cache .hypothesis
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
