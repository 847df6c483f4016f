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
# The page whose <!-- bench:start/end --> block `make docs-update` rewrites.
SPEED_PAGE ?= docs/speed.md

# What ruff lints and formats: the package, the tools beside it, the tests, the book's config.
LINTED := iris_keras tools tests docs/conf.py

export TF_CPP_MIN_LOG_LEVEL ?= 3
export PYTHONHASHSEED ?= 0

.DEFAULT_GOAL := help
# `make lab` and `make tensorboard` serve on this machine only.
HOST ?= 127.0.0.1
LAB_PORT ?= 8888
TENSORBOARD_PORT ?= 6006
TENSORBOARD_LOGDIR ?= runs
LAB_ARGS ?=

.PHONY: help install git-filters train study test test-fast test-notebooks lint format notebooks lab
.PHONY: book tensorboard bench bench-study docs-update lock clean mutate mutate-survivors mutation-report

help: ## show this help
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  make %-15s %s\n", $$1, $$2}'

$(STAMP): $(LOCK) pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "iris-keras needs Python >= 3.11, found " + sys.version.split()[0])'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet --requirement $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation --editable .
	@# Any Python of this environment defaults to its backend, started by make or not.
	echo 'import os; os.environ.setdefault("KERAS_BACKEND", "$(BACKEND)")' \
		> "$$($(BIN)/python -c 'import sysconfig; print(sysconfig.get_path("purelib"))')/iris_keras_backend.pth"
	$(BIN)/python -m iris_keras.app.kernel install
	$(MAKE) --no-print-directory git-filters
	touch $(STAMP)

install: $(STAMP) ## create the environment of BACKEND (.venv, .venv-jax, .venv-torch) from its lock

train: $(STAMP) ## train the article's recipe, then the corrected one (artifacts in runs/)
	$(BIN)/iris-keras train --recipe article
	$(BIN)/iris-keras train --recipe multiclass

study: $(STAMP) ## seed study of every variant (docs/study/, docs/study-jax/ ...), docs/study.md on TF
	$(BIN)/iris-keras study --backend $(BACKEND) --seeds $(STUDY_SEEDS) \
		$(if $(filter tensorflow,$(BACKEND)),--output docs/study --readme docs/study.md,--output docs/study-$(BACKEND))

test: $(STAMP) ## lint, then the whole test suite, notebooks included
	$(MAKE) --no-print-directory lint
	$(BIN)/python -m pytest -n $(WORKERS) --durations=15

test-fast: $(STAMP) ## the suite without the slow tests (full runs, notebooks)
	$(BIN)/python -m pytest -n $(WORKERS) -m "not slow"

test-notebooks: $(STAMP) ## run every notebook as a test, in a fresh kernel of BACKEND's environment
	$(BIN)/python -m pytest -n $(WORKERS) tests/article/test_notebooks.py

notebooks: $(STAMP) ## run every notebook top to bottom in a fresh iris-keras kernel, one line each
	$(BIN)/python -m pytest tests/article/test_notebooks.py -k fresh_kernel -n $(WORKERS) -v --no-header -p no:cacheprovider

# Offline classrooms: no news feed, no update check (nothing leaves the machine).
lab: $(STAMP) ## JupyterLab on 127.0.0.1:8888 (HOST, LAB_PORT) with notebooks/ open, on the project's kernel
	PYTHONPATH=$(CURDIR) $(BIN)/jupyter lab --ip=$(HOST) --port=$(LAB_PORT) --ServerApp.root_dir=notebooks \
		--ServerApp.allow_root=True --ContentsManager.post_save_hook=tools.lab.refresh_git_index \
		--LabApp.news_url=None --LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate \
		$(LAB_ARGS)

# The book of another backend goes to build/book-jax/ or build/book-torch/, its outputs its own.
BOOK := $(if $(filter tensorflow,$(BACKEND)),build/book,build/book-$(BACKEND))

book: $(STAMP) ## the offline HTML book of the whole tutorial, built into build/book/index.html
	rm -rf $(BOOK)-src && mkdir -p build && cp -RL docs $(BOOK)-src
	$(BIN)/python -m sphinx -b html -q -W --keep-going -j $(WORKERS) $(BOOK)-src $(BOOK)

tensorboard: $(STAMP) ## TensorBoard on 127.0.0.1:6006 for runs/ (train --tensorboard)
	$(BIN)/tensorboard --logdir $(TENSORBOARD_LOGDIR) --host $(HOST) --port $(TENSORBOARD_PORT)

# JupyterLab adds the kernel's language_info when it saves; git stores none of it.
git-filters: ## strip notebook outputs in git (nbstripout filter), so saving a notebook leaves git clean
	@if git rev-parse --git-dir >/dev/null 2>&1; then \
		$(BIN)/nbstripout --install && git config filter.nbstripout.extrakeys metadata.language_info; fi

lint: $(STAMP) ## ruff lint and format check; the import contract between the rooms (import-linter)
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)
	$(BIN)/lint-imports

format: $(STAMP) ## format and fix lint in place
	$(BIN)/ruff format $(LINTED)
	$(BIN)/ruff check --fix $(LINTED)

bench: $(STAMP) ## time the naive listing against ours; table in runs/bench/ (tracked files untouched)
	$(BIN)/python -m tools.bench --repeats 3 --strategies

# Seeds per variant of the per-run pool in `make bench-study`: 20, the whole grid (~16 min on
# 2 cores); fewer measure a subset and scale its time to the grid, and the table says so.
PER_RUN_SEEDS ?= 20

bench-study: $(STAMP) ## time the whole seed study, stacked vs the per-run pool vs NumPy; table in runs/bench/
	$(BIN)/python -m tools.bench --study --repeats 3 --seeds $(STUDY_SEEDS) --per-run-seeds $(PER_RUN_SEEDS)

docs-update: $(STAMP) ## rewrite the bench blocks of docs/speed.md (SPEED_PAGE) from runs/bench/*.md
	$(BIN)/python -m tools.bench --update $(SPEED_PAGE)

# jax and torch locks keep every package they share with requirements.lock at its version,
# so the three environments differ only by the backend. `torch==X+cpu` (the CPU build pip
# found on disk) is written `torch==X`: the same pin takes PyPI's build elsewhere.
# Modules for `make mutate` (paths); empty: every core module (hours on 2 cores).
MODULES ?=
SAMPLE ?= 25
SEED ?= 0
JOBS ?= 2
FRESH ?=

mutate: $(STAMP) ## mutation testing with mutmut, SAMPLE mutants per core module (SAMPLE= for all; MODULES, JOBS, FRESH=1); docs/developers/mutation.md
	$(BIN)/python -m tools.mutation run $(if $(SAMPLE),--sample $(SAMPLE) --seed $(SEED)) \
		--jobs $(JOBS) $(if $(FRESH),--fresh) $(MODULES)

mutate-survivors: $(STAMP) ## test again only the survivors of MODULES (after adding tests); docs/developers/mutation.md
	$(BIN)/python -m tools.mutation run --survivors --jobs $(JOBS) $(MODULES)

mutation-report: $(STAMP) ## rebuild docs/developers/mutation.md from docs/developers/mutation.json and docs/developers/mutation-equivalent.toml
	$(BIN)/python -m tools.mutation report

lock: ## re-resolve BACKEND's lock from pyproject.toml (needs the network)
	rm -rf /tmp/iris-keras-lock && $(PYTHON) -m venv /tmp/iris-keras-lock
	/tmp/iris-keras-lock/bin/pip install --quiet --upgrade "pip>=24"
	/tmp/iris-keras-lock/bin/pip install --quiet \
		$(if $(filter tensorflow,$(BACKEND)),,--constraint requirements.lock) \
		"setuptools>=68" ".[dev,$(BACKEND)]"
	/tmp/iris-keras-lock/bin/pip freeze --all --exclude iris-keras --exclude pip \
		| sed -E 's/^(torch==[0-9.]+)\+cpu$$/\1/' > $(LOCK)

clean: ## remove the environment, runs and caches (and the git filter that ran from it)
	@if git config --get filter.nbstripout.clean 2>/dev/null | grep -qF '$(abspath $(VENV))/'; then \
		git config --remove-section filter.nbstripout; git config --remove-section diff.ipynb; fi
	rm -rf $(VENV) runs build *.egg-info .pytest_cache .ruff_cache .hypothesis mutants
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
