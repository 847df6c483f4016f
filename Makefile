# iris-keras: `make train` and `make test` are all the set-up a fresh machine needs.
PYTHON ?= python3
comma := ,
space := $(subst ,, )
# The oldest Python the project accepts: pyproject.toml's requires-python, the version
# `make lock` resolves every lock for (tests/setup/test_locks.py checks the three agree).
PYTHON_FLOOR := 3.11
# The Keras backend: tensorflow (the reference, default), jax or torch. Each has its own
# environment and locks, and the jax and torch ones hold no TensorFlow:
# `make train BACKEND=jax` uses .venv-jax, synced to requirements/jax.txt.
BACKEND ?= tensorflow
BACKENDS := tensorflow jax torch
ifeq ($(filter $(BACKEND),$(BACKENDS) all),)
$(error Received BACKEND=$(BACKEND), expected tensorflow, jax or torch)
endif
ifeq ($(BACKEND),all)
ifneq ($(filter-out lock wheelhouse,$(or $(MAKECMDGOALS),help)),)
$(error Received BACKEND=all for make $(MAKECMDGOALS), expected tensorflow, jax or torch (all is for make lock and make wheelhouse))
endif
endif
# A variable given on the command line that no target reads is a typo (make train EPOCH=5):
# refused in one line. The accepted ones are this file's `?=` variables, PYTHON_FLOOR and VENV
# (an environment outside this checkout, as a clone made by a test uses this checkout's).
ACCEPTED := $(sort PYTHON_FLOOR VENV $(shell sed -n 's/^\(export \)\{0,1\}\([A-Z_]*\) ?=.*/\2/p' $(firstword $(MAKEFILE_LIST))))
UNKNOWN := $(strip $(foreach name,$(.VARIABLES),$(if $(filter command line,$(origin $(name))),$(filter-out $(ACCEPTED),$(name)))))
ifneq ($(UNKNOWN),)
$(error Received $(foreach name,$(UNKNOWN),$(name)=$($(name))), which no target reads; expected one of $(subst $(space),$(comma) ,$(ACCEPTED)))
endif
VENV := $(if $(filter tensorflow,$(BACKEND)),.venv,.venv-$(BACKEND))
BIN := $(VENV)/bin
# Every process make starts runs Keras on $(BACKEND).
export KERAS_BACKEND := $(BACKEND)
# Test workers: pytest-xdist processes (2 fits this 2-core machine).
WORKERS ?= 2
# Seeds per variant in `make study`: 20, so that "19 of 20 seeds" can be checked.
STUDY_SEEDS ?= 20
# The page whose <!-- bench:start/end --> block `make docs-update` rewrites.
SPEED_PAGE ?= docs/speed.md
# The module that registers the Jupyter kernel (`python -m $(KERNEL_MODULE) install`).
KERNEL_MODULE ?= iris_keras.app.kernel

# What ruff lints and formats: the package, the tools beside it, the tests, the book's config.
LINTED := iris_keras tools tests docs/conf.py

export TF_CPP_MIN_LOG_LEVEL ?= 3
export PYTHONHASHSEED ?= 0

# Three layers of dependencies (pyproject.toml), each a superset of the one before, each
# locked per backend in requirements/ with exact versions and hashes (`make lock`):
#   runtime  requirements/$(BACKEND).txt        make train, make study
#   learn    requirements/$(BACKEND)-learn.txt  + make lab, make book, make notebooks, make tensorboard
#   dev      requirements/$(BACKEND)-dev.txt    + make test, make lint, make mutate, make bench
# A target syncs the environment to its layer's lock when the lock is newer than the
# environment; an environment keeps the highest layer it has (make train in a dev
# environment removes nothing). `make install` syncs every time.
lock_of = requirements/$(1)$(if $(filter runtime,$(2)),,-$(2)).txt
RUNTIME := $(VENV)/.installed-runtime
LEARN := $(VENV)/.installed-learn
DEV := $(VENV)/.installed-dev
INSTALLED := $(if $(wildcard $(DEV)),dev,$(if $(wildcard $(LEARN)),learn,$(if $(wildcard $(RUNTIME)),runtime)))
# The layer `make install` syncs: the one the environment has, runtime for a new one.
LAYER ?= $(or $(INSTALLED),runtime)
ifeq ($(filter $(LAYER),runtime learn dev),)
$(error Received LAYER=$(LAYER), expected runtime, learn or dev)
endif
# The higher of layer $(1) and the installed one.
higher = $(if $(filter dev,$(1) $(INSTALLED)),dev,$(if $(filter learn,$(1) $(INSTALLED)),learn,runtime))
layers_up_to = $(if $(filter dev,$(1)),runtime learn dev,$(if $(filter learn,$(1)),runtime learn,runtime))

# The installer, pinned: uv from requirements/uv.txt (hashes), in its own small environment.
TOOLS := .venv-tools
UV := $(TOOLS)/bin/uv
# uv reads none of pip's configuration. The find-links pip uses here (PIP_FIND_LINKS: this
# machine's folder with PyTorch's CPU wheel) are passed on; where it is unset, nothing is.
FIND_LINKS ?= $(PIP_FIND_LINKS)
# An offline classroom: `make install WHEELHOUSE=folder` installs from that folder alone
# (`make wheelhouse` fills it on a connected machine); no index, no network.
WHEELHOUSE ?=
UV_SOURCES := $(if $(WHEELHOUSE),--offline --no-index --find-links $(abspath $(WHEELHOUSE)),$(foreach links,$(FIND_LINKS),--find-links $(links)))
PIP_SOURCES := $(if $(WHEELHOUSE),--no-index --find-links $(abspath $(WHEELHOUSE)))
export UV_PYTHON_DOWNLOADS := never

.DEFAULT_GOAL := help
# `make lab` and `make tensorboard` serve on this machine only.
HOST ?= 127.0.0.1
LAB_PORT ?= 8888
TENSORBOARD_PORT ?= 6006
TENSORBOARD_LOGDIR ?= runs
LAB_ARGS ?=

.PHONY: help install git-filters train study sweep test test-all test-fast test-notebooks axe lint format notebooks lab exercises
.PHONY: book tensorboard bench bench-study bench-sweep docs-update docs-study docs-atlas lock wheelhouse clean clean-all
.PHONY: mutate mutate-survivors mutation-report

# `make help`: the targets under their `##@ group` headers, in this file's order, aligned.
help:
	@echo "usage: make TARGET [BACKEND=tensorflow|jax|torch]   (BACKEND now: $(BACKEND))"
	@awk 'BEGIN {FS = ":.*## "} \
		/^##@ / {groups++; title[groups] = substr($$0, 5); next} \
		/^[a-z][a-z-]*:.*## / {n++; name[n] = $$1; text[n] = $$2; group[n] = groups; \
			if (length($$1) > width) width = length($$1)} \
		END {line = "    make %-" width "s  %s\n"; \
			for (g = 1; g <= groups; g++) {printf "\n%s\n", title[g]; \
				for (i = 1; i <= n; i++) if (group[i] == g) printf line, name[i], text[i]}}' $(MAKEFILE_LIST)

##@ learn: read and run the tutorial

# Offline classrooms: no news feed, no update check (nothing leaves the machine), and no
# toast asking about them: the server's switches, and JupyterLab's own settings for its
# notification plugin (tools/jupyterlab-overrides.json, copied into the environment, where
# JupyterLab reads overrides.json). The token is made here, so that make prints the one URL
# to open; the port does not move (port_retries=0), so that URL is the server's.
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings
# Before anything is installed or printed, a busy port stops make in one line naming a free one.
ifneq ($(filter lab,$(MAKECMDGOALS)),)
LAB_PORT_BUSY := $(shell $(PYTHON) -m tools.lab --check-port $(HOST) $(LAB_PORT) 2>&1)
$(if $(LAB_PORT_BUSY),$(error $(LAB_PORT_BUSY)))
endif
# The learner's own copies (`make exercises`), once there are any; else the tracked notebooks.
MY_NOTEBOOKS := my-notebooks
LAB_ROOT := $(if $(wildcard $(MY_NOTEBOOKS)/*.ipynb),$(MY_NOTEBOOKS),notebooks)
lab: $(LEARN) ## JupyterLab on 127.0.0.1:8888 (HOST, LAB_PORT) with notebooks/ open (my-notebooks/ after make exercises); prints the URL
	@mkdir -p $(LAB_SETTINGS) && cp tools/jupyterlab-overrides.json $(LAB_SETTINGS)/overrides.json
	@token=$$($(BIN)/python -c 'import secrets; print(secrets.token_hex(24))') && \
	echo "JupyterLab: open http://$(HOST):$(LAB_PORT)/lab?token=$$token in a browser (Ctrl+C here stops it)" && \
	JUPYTER_TOKEN=$$token PYTHONPATH=$(CURDIR) exec $(BIN)/jupyter lab --ip=$(HOST) --port=$(LAB_PORT) \
		--ServerApp.port_retries=0 --ServerApp.root_dir=$(LAB_ROOT) --ServerApp.allow_root=True \
		--ContentsManager.post_save_hook=tools.lab.refresh_git_index \
		--LabApp.news_url=None --LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate \
		--ServerApp.log_level=WARN --LabApp.log_level=WARN $(LAB_ARGS)

# A learner's answers live in copies of the notebooks, in a folder git ignores: `git pull`
# and `git status` never meet them. A copy the learner already has is never overwritten.
exercises: ## copy the notebooks into my-notebooks/ (git-ignored) to write your answers; keeps any you have
	@mkdir -p $(MY_NOTEBOOKS)
	@for notebook in notebooks/*.ipynb; do copy="$(MY_NOTEBOOKS)/$${notebook#notebooks/}"; \
		if [ -e "$$copy" ]; then echo "kept $$copy: yours, not overwritten"; \
		else cp "$$notebook" "$$copy" && echo "copied $$copy"; fi; done
	@echo "Write your answers in $(MY_NOTEBOOKS)/ (git ignores it); make lab opens it."

# The book of another backend goes to build/book-jax/ or build/book-torch/, its outputs its own.
BOOK := $(if $(filter tensorflow,$(BACKEND)),build/book,build/book-$(BACKEND))

book: $(LEARN) ## the offline HTML book of the whole tutorial, built into build/book/index.html
	@# A clean build: Sphinx never removes the page of a source that was moved or deleted.
	@# The notebooks' outputs are cached apart (build/.jupyter_cache-<backend>), so this
	@# costs the pages, not the notebooks.
	rm -rf $(BOOK)-src $(BOOK) && mkdir -p build && cp -RL docs $(BOOK)-src
	$(BIN)/python -m sphinx -b html -q -W --keep-going -j $(WORKERS) $(BOOK)-src $(BOOK)

notebooks: $(LEARN) ## run every notebook top to bottom in a fresh iris-keras kernel, one line each
	$(BIN)/python -m pytest tests/article/test_notebooks.py -k fresh_kernel -n $(WORKERS) -v --no-header -p no:cacheprovider

study: $(RUNTIME) ## the seed study: 16 variants x STUDY_SEEDS seeds, trained afresh into runs/BACKEND/study/, with a progress bar
	rm -f runs/$(BACKEND)/study/study.csv runs/$(BACKEND)/study/study.json
	$(BIN)/iris-keras study --backend $(BACKEND) --seeds $(STUDY_SEEDS) --output runs/$(BACKEND)/study

# The atlas: learning rate x momentum x batch size x 20 seeds x both recipes, 200 epochs each,
# every epoch recorded (docs/study.md). A rerun trains only the runs not recorded yet.
sweep: $(RUNTIME) ## the atlas: 6,000 runs of every learning rate, momentum and batch size, into runs/BACKEND/sweep/
	$(BIN)/iris-keras sweep --backend $(BACKEND)

# TensorBoard comes with the tensorflow extra: Keras writes its logs on TensorFlow only.
tensorboard: $(LEARN) ## TensorBoard on 127.0.0.1:6006 for runs/ (train --tensorboard)
	@test -x $(BIN)/tensorboard || { echo "TensorBoard is in the TensorFlow environment only: make tensorboard BACKEND=tensorflow" >&2; exit 1; }
	$(BIN)/tensorboard --logdir $(TENSORBOARD_LOGDIR) --host $(HOST) --port $(TENSORBOARD_PORT)

##@ run: train, test and keep the environment

# One line, before anything is created, when $(PYTHON) is missing or older than the floor.
PYTHON_GOAL = make $(or $(firstword $(MAKECMDGOALS)),install)
define check_python
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "make: no Python at PYTHON=$(PYTHON); iris-keras needs Python >= $(PYTHON_FLOOR). Pass one: $(PYTHON_GOAL) PYTHON=/path/to/python3" >&2; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= ($(subst .,$(comma),$(PYTHON_FLOOR)),) else "make: " + sys.executable + " is Python " + sys.version.split()[0] + "; iris-keras needs Python >= $(PYTHON_FLOOR). Pass another: $(PYTHON_GOAL) PYTHON=/path/to/python3")'
endef

$(UV): requirements/uv.txt
	$(check_python)
	test -x $(TOOLS)/bin/python || $(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check $(PIP_SOURCES) \
		--require-hashes --no-deps --requirement requirements/uv.txt
	touch $(UV)

# Syncs $(VENV) to the lock of layer $(1): exactly the lock's packages, at its versions,
# each file checked against its hash; whatever else is installed is removed. Compiled to
# bytecode once, here: a process then imports TensorFlow in about half the time, also
# where Python may not write its caches (PYTHONDONTWRITEBYTECODE, a read-only install). Then the
# project itself, editable, without dependencies (setuptools comes from the lock).
define sync
	$(check_python)
	test -x $(BIN)/python || $(UV) venv --quiet --python $(PYTHON) $(VENV)
	$(UV) pip sync --quiet --python $(BIN)/python --require-hashes --compile-bytecode $(UV_SOURCES) $(call lock_of,$(BACKEND),$(1))
	$(UV) pip install --quiet --python $(BIN)/python $(UV_SOURCES) --no-deps --no-build-isolation --editable .
	@# Any Python of this environment defaults to its backend, started by make or not.
	echo 'import os; os.environ.setdefault("KERAS_BACKEND", "$(BACKEND)")' \
		> "$$($(BIN)/python -c 'import sysconfig; print(sysconfig.get_path("purelib"))')/iris_keras_backend.pth"
	$(if $(filter learn dev,$(1)),$(BIN)/python -m $(KERNEL_MODULE) install)
	$(if $(filter learn dev,$(1)),$(MAKE) --no-print-directory git-filters)
	rm -f $(RUNTIME) $(LEARN) $(DEV)
	touch $(foreach layer,$(call layers_up_to,$(1)),$(VENV)/.installed-$(layer))
endef

$(RUNTIME): $(call lock_of,$(BACKEND),runtime) pyproject.toml | $(UV)
	$(call sync,$(call higher,runtime))

$(LEARN): $(call lock_of,$(BACKEND),learn) pyproject.toml | $(UV)
	$(call sync,$(call higher,learn))

$(DEV): $(call lock_of,$(BACKEND),dev) pyproject.toml | $(UV)
	$(call sync,dev)

install: | $(UV) ## sync BACKEND's environment to its lock exactly (LAYER=runtime|learn|dev; WHEELHOUSE=folder: offline)
	$(call sync,$(LAYER))

# `make train EPOCHS=20 LEARNING_RATE=0.05`: the options of `iris-keras train`, for each
# recipe of RECIPES; ARGS passes any other (ARGS="--units 8,4 --quiet"). A run with other
# settings than its recipe's goes to a folder of its own (docs/cli.md).
RECIPES ?= article multiclass
EPOCHS ?=
BATCH_SIZE ?=
LEARNING_RATE ?=
MOMENTUM ?=
UNITS ?=
SEED ?=
ARGS ?=
TRAIN_OPTIONS = $(if $(EPOCHS),--epochs $(EPOCHS)) $(if $(BATCH_SIZE),--batch-size $(BATCH_SIZE)) \
	$(if $(LEARNING_RATE),--learning-rate $(LEARNING_RATE)) $(if $(MOMENTUM),--momentum $(MOMENTUM)) \
	$(if $(UNITS),--units $(UNITS)) $(if $(SEED),--seed $(SEED)) $(ARGS)

define train_one
	$(BIN)/iris-keras train --recipe $(1) $(strip $(TRAIN_OPTIONS))

endef

train: $(RUNTIME) ## train the article's recipe, then the corrected one (runs/); EPOCHS=, LEARNING_RATE=, MOMENTUM=, BATCH_SIZE=, UNITS=, SEED=, ARGS=
	$(foreach recipe,$(RECIPES),$(call train_one,$(recipe)))

# The tiers (pyproject.toml's markers): `make test` is offline and leaves out the tests
# that download, drive Chromium, build the whole book or run for minutes; `make test-all`
# (CI) runs every one of them.
OFFLINE_TIER := not slow and not network and not browser and not book
PYTEST := $(BIN)/python -m pytest -n $(WORKERS)

test: $(DEV) ## lint, then every offline test, notebooks included (about 5 min on 2 cores)
	$(MAKE) --no-print-directory lint
	$(PYTEST) -m "$(OFFLINE_TIER)" --durations=15

# MARKERS narrows test-all to some tiers (CI runs the other backends without the downloads,
# the browser and the book, which TensorFlow's run covers).
MARKERS ?=
test-all: $(DEV) ## lint, then every test: + slow, network, browser (Chromium) and the whole book (MARKERS=)
	$(MAKE) --no-print-directory lint
	$(PYTEST) $(if $(MARKERS),-m "$(MARKERS)") --durations=25

test-fast: $(DEV) ## the offline tests without the notebooks: the inner loop
	$(PYTEST) -m "$(OFFLINE_TIER) and not notebook"

test-notebooks: $(DEV) ## run every notebook as a test, in a fresh kernel of BACKEND's environment
	$(PYTEST) -m notebook tests/article/test_notebooks.py

# axe-core for the book's accessibility test (tests/browser/test_book_accessibility.py):
# npm's package, the version tools/axe/package-lock.json pins, installed by `npm ci`, which
# checks the file against the lock's sha512 integrity; into tools/axe/node_modules (ignored
# by git). The browser tests run this step; it downloads only when the lock changed.
AXE := tools/axe/node_modules/axe-core/axe.min.js
axe: $(AXE) ## install the pinned axe-core the accessibility test runs (npm ci, checked against its sha512)

$(AXE): tools/axe/package.json tools/axe/package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "make axe: npm not found; install Node.js's npm (Debian: apt-get install npm)" >&2; exit 1; }
	cd tools/axe && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $(AXE)

# JupyterLab adds the kernel's language_info when it saves; git stores none of it. What
# `nbstripout --install` writes, but the command is tools/setup/nbstripout, which takes
# nbstripout from whichever environment of this repository has it (or PATH): deleting or
# rebuilding an environment breaks no filter. Git runs it from the top of the work tree,
# so the path is relative: a moved clone or another worktree runs its own.
NBSTRIPOUT := tools/setup/nbstripout
git-filters: ## strip notebook outputs in git (nbstripout filter), so saving a notebook leaves git clean
	@if git rev-parse --git-dir >/dev/null 2>&1; then \
		git config filter.nbstripout.clean $(NBSTRIPOUT) && \
		git config filter.nbstripout.smudge cat && \
		git config filter.nbstripout.required true && \
		git config filter.nbstripout.extrakeys metadata.language_info && \
		git config diff.ipynb.textconv '$(NBSTRIPOUT) -t' && \
		attributes="$$(git rev-parse --git-path info/attributes)" && mkdir -p "$$(dirname "$$attributes")" && \
		for line in '*.ipynb filter=nbstripout' '*.zpln filter=nbstripout' '*.ipynb diff=ipynb'; do \
			grep -qxF "$$line" "$$attributes" 2>/dev/null || echo "$$line" >> "$$attributes"; done; fi

lint: $(DEV) ## ruff, the import contracts between the rooms (import-linter), mypy; the wheel holds iris_keras and its LICENSE only
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)
	$(BIN)/lint-imports
	$(BIN)/mypy
	rm -rf build/wheel
	$(UV) build --quiet --wheel --no-build-isolation --python $(BIN)/python --out-dir build/wheel
	$(BIN)/check-wheel-contents --toplevel iris_keras build/wheel

format: $(DEV) ## format and fix lint in place
	$(BIN)/ruff format $(LINTED)
	$(BIN)/ruff check --fix $(LINTED)

# pip downloads: uv has no download command. pip's own configuration applies (here its
# find-links, for PyTorch's CPU wheel); each file is checked against the lock's hash.
WHEELHOUSE_DIR := $(or $(WHEELHOUSE),wheelhouse)
WHEELHOUSE_LAYER := $(if $(filter command line environment,$(origin LAYER)),$(LAYER),dev)
define download
	$(PYTHON) -m pip download --quiet --disable-pip-version-check --no-deps --require-hashes \
		--dest $(WHEELHOUSE_DIR) --requirement $(1)

endef

wheelhouse: ## download every wheel BACKEND's locks need (BACKEND=all; LAYER=runtime|learn) into WHEELHOUSE (wheelhouse/)
	$(foreach backend,$(if $(filter all,$(BACKEND)),$(BACKENDS),$(BACKEND)),$(call download,$(call lock_of,$(backend),$(WHEELHOUSE_LAYER))))
	$(call download,requirements/uv.txt)
	@echo "$(WHEELHOUSE_DIR): $$(ls $(WHEELHOUSE_DIR) | wc -l) files, $$(du -sh $(WHEELHOUSE_DIR) | cut -f1)." \
		"Offline: make install BACKEND=... LAYER=$(WHEELHOUSE_LAYER) WHEELHOUSE=$(WHEELHOUSE_DIR)"

# An older git filter ran from one environment's Python: it goes with that environment.
clean: ## remove BACKEND's environment, its runs (runs/BACKEND/) and its book and notebook cache; other backends' are kept
	@if git config --get filter.nbstripout.clean 2>/dev/null | grep -qF '$(abspath $(VENV))/'; then \
		git config --remove-section filter.nbstripout; git config --remove-section diff.ipynb; fi
	rm -rf $(VENV) runs/$(BACKEND) $(BOOK) $(BOOK)-src build/.jupyter_cache-$(BACKEND) build/.jupyter_cache-$(BACKEND).lock build/mutation-$(BACKEND)

clean-all: ## remove every environment, every run, the whole build/ and the tools' caches
	@if git config --get filter.nbstripout.clean 2>/dev/null | grep -qF '$(CURDIR)/.venv'; then \
		git config --remove-section filter.nbstripout; git config --remove-section diff.ipynb; fi
	rm -rf $(foreach backend,$(BACKENDS),$(if $(filter tensorflow,$(backend)),.venv,.venv-$(backend))) $(TOOLS)
	rm -rf runs build *.egg-info .pytest_cache .ruff_cache .mypy_cache .hypothesis mutants tools/axe/node_modules
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

##@ maintain: rewrite tracked files (docs/, the locks); for the project's maintainers

docs-study: $(RUNTIME) ## rewrites tracked docs/study*/, docs/study.md (TF) and iris_keras/study/reference.json: the published seed study, resumed
	$(BIN)/iris-keras study --backend $(BACKEND) --seeds $(STUDY_SEEDS) --reference iris_keras/study/reference.json \
		$(if $(filter tensorflow,$(BACKEND)),--output docs/study --readme docs/study.md,--output docs/study-$(BACKEND))

# The summary a page shows of the atlas, from a TensorFlow atlas (the reference backend):
# trains the runs runs/tensorflow/sweep/ does not have yet, then summarizes it.
ATLAS_SUMMARY ?= docs/atlas/summary.npz
docs-atlas: $(RUNTIME) ## rewrites tracked docs/atlas/summary.npz: the atlas's summary for a page (TensorFlow)
	@test "$(BACKEND)" = tensorflow || { echo "make docs-atlas summarizes a TensorFlow atlas: run it with BACKEND=tensorflow" >&2; exit 1; }
	$(BIN)/iris-keras sweep --backend tensorflow --summary $(ATLAS_SUMMARY)

bench: $(DEV) ## time the naive listing against ours; writes runs/bench/ only (tracked files untouched)
	$(BIN)/python -m tools.bench --repeats 3 --strategies

# Seeds per variant of the per-run pool in `make bench-study`: 4, 64 runs (about a minute and a
# half on 2 cores), compared per run; 20 is the whole grid (~16 min).
PER_RUN_SEEDS ?= 4

bench-study: $(DEV) ## time the whole seed study, stacked vs the per-run pool vs NumPy; writes runs/bench/ only (tracked files untouched)
	$(BIN)/python -m tools.bench --study --repeats 3 --seeds $(STUDY_SEEDS) --per-run-seeds $(PER_RUN_SEEDS)

bench-sweep: $(DEV) ## time the whole atlas against one Keras model per run, per run; writes runs/bench/ only (tracked files untouched)
	$(BIN)/python -m tools.bench --sweep --repeats 1

docs-update: $(DEV) ## rewrites tracked docs/speed.md (SPEED_PAGE): its bench blocks, from runs/bench/*.md
	$(BIN)/python -m tools.bench --update $(SPEED_PAGE)

# Modules for `make mutate` (paths); empty: every core module (hours on 2 cores).
MODULES ?=
SAMPLE ?= 25
MUTANT_SEED ?= 0
JOBS ?= 2
FRESH ?=

mutate: $(DEV) ## rewrites tracked docs/developers/mutation.*: mutmut on SAMPLE mutants a module (MODULES, MUTANT_SEED, JOBS, FRESH=1)
	$(BIN)/python -m tools.mutation run $(if $(SAMPLE),--sample $(SAMPLE) --seed $(MUTANT_SEED)) \
		--jobs $(JOBS) $(if $(FRESH),--fresh) $(MODULES)

mutate-survivors: $(DEV) ## rewrites tracked docs/developers/mutation.*: only MODULES' survivors again (after adding tests)
	$(BIN)/python -m tools.mutation run --survivors --jobs $(JOBS) $(MODULES)

mutation-report: $(DEV) ## rewrites tracked docs/developers/mutation.md from mutation.json and mutation-equivalent.toml
	$(BIN)/python -m tools.mutation report

# `make lock` re-resolves every backend's locks (BACKEND=jax: that one's only), keeping
# each pin the lock already has unless pyproject.toml rules it out (UPGRADE=1: newest
# versions). Universal locks (markers for every OS and every Python >= PYTHON_FLOOR the wheels cover)
# with every file's hash and a note of why each package is there. The dev lock first,
# constrained for jax and torch by TensorFlow's, so the three environments share every
# version they share; then learn and runtime, constrained by their dev lock, so no layer
# differs from the one above it. Torch: requirements/torch-overrides.in.
LOCK_BACKENDS := $(if $(filter command line environment,$(origin BACKEND)),$(if $(filter all,$(BACKEND)),$(BACKENDS),$(BACKEND)),$(BACKENDS))
UPGRADE ?=
COMPILE = $(UV) pip compile --quiet --universal --generate-hashes $(UV_SOURCES) $(if $(UPGRADE),--upgrade) \
	pyproject.toml --group build

define lock_backend
	$(COMPILE) --python-version $(PYTHON_FLOOR) --extra $(1) --extra study --group dev \
		$(if $(filter tensorflow,$(1)),,--constraint requirements/tensorflow-dev.txt) \
		$(if $(filter torch,$(1)),--overrides requirements/torch-overrides.in) \
		--custom-compile-command "make lock BACKEND=$(1)" --output-file $(call lock_of,$(1),dev)
	$(COMPILE) --python-version $(PYTHON_FLOOR) --extra $(1) --group learn --constraint $(call lock_of,$(1),dev) \
		$(if $(filter torch,$(1)),--overrides requirements/torch-overrides.in) \
		--custom-compile-command "make lock BACKEND=$(1)" --output-file $(call lock_of,$(1),learn)
	$(COMPILE) --python-version $(PYTHON_FLOOR) --extra $(1) --constraint $(call lock_of,$(1),dev) \
		$(if $(filter torch,$(1)),--overrides requirements/torch-overrides.in) \
		--custom-compile-command "make lock BACKEND=$(1)" --output-file $(call lock_of,$(1),runtime)

endef

lock: | $(UV) ## rewrites tracked requirements/*.txt: re-resolved from pyproject.toml (BACKEND=, UPGRADE=1; needs the network)
	$(UV) pip compile --quiet --universal --generate-hashes requirements/uv.in \
		--custom-compile-command "make lock" --output-file requirements/uv.txt
	$(foreach backend,$(LOCK_BACKENDS),$(call lock_backend,$(backend)))
