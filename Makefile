# ICLEI assistant: every command the README names, and everything CI runs.
# `make run` and `make test` do their own set-up from a fresh clone.

SHELL := /bin/bash
.DEFAULT_GOAL := help

export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
# Python caches compiled modules (.pyc) on first import. Where the environment turns that
# off, every process compiled Rasa and TensorFlow again: 16 s to import them instead of 6.
unexport PYTHONDONTWRITEBYTECODE
export RASA_PORT ?= 5005
export ACTION_PORT ?= 5055
CLUSTER_PORT ?= 8080
export ACTION_ENDPOINT_URL ?= http://localhost:$(ACTION_PORT)/webhook

# The NLU gate: intent macro-F1 per language on the held-out sets.
MIN_INTENT_F1 ?= 0.95
# The conversation gate: share of conversations passed per category and language.
MIN_CONVERSATION_PASS ?= 0.9

PYTHON_VERSION := 3.10
VENV := .venv
BIN := $(VENV)/bin
MODEL := models/iclei.tar.gz
# Everything the trained model depends on: retrain only when one of these changes.
MODEL_INPUTS := config.yml domain.yml $(shell find data -name '*.yml' 2>/dev/null) \
	$(wildcard bot/nlu/*.py) bot/model_training.py

# uv: the one on PATH if it works (a pyenv shim may not), else a private copy in .tools/.
UV := $(shell uv --version >/dev/null 2>&1 && echo uv || echo .tools/bin/uv)

# Debian packages the tests use: a real PostgreSQL, Redis and nginx (make cluster),
# Chromium for the widget (and a Japanese font for its screenshots).
SYSTEM_PACKAGES := postgresql redis-server nginx chromium fonts-ipafont-gothic

.PHONY: system-deps help setup run serve cluster shell train train-full validate lint format test test-unit test-nlu \
	test-stories test-conversations test-e2e latency bench clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

.tools/bin/uv:
	@python$(PYTHON_VERSION) --version >/dev/null 2>&1 || python3 --version >/dev/null 2>&1 || \
		{ echo "No Python found. Install Python $(PYTHON_VERSION) (e.g. 'pyenv install $(PYTHON_VERSION)')."; exit 1; }
	@echo "Installing uv into .tools/ ..."
	@(python$(PYTHON_VERSION) -m venv .tools 2>/dev/null || python3 -m venv .tools) && \
		.tools/bin/pip install --quiet --disable-pip-version-check uv

$(BIN)/rasa: pyproject.toml uv.lock | $(if $(filter uv,$(UV)),,.tools/bin/uv)
	@python$(PYTHON_VERSION) --version >/dev/null 2>&1 || { \
		echo "Python $(PYTHON_VERSION) is required (Rasa 3.6 needs < 3.11)."; \
		echo "Install it with 'pyenv install $(PYTHON_VERSION)' (a .python-version file selects it)"; \
		echo "or your system's package manager, then run make again."; exit 1; }
	$(UV) sync --frozen --python $(PYTHON_VERSION)
	@touch $@

system-deps: ## install the Debian packages the tests use, only those missing (needs root)
	@missing=""; for p in $(SYSTEM_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then \
		echo "make test needs Debian packages:$$missing. Run 'sudo make system-deps' (or: sudo apt-get install$$missing), then make test again."; \
		exit 1; \
	fi; \
	echo "Installing$$missing ..."; \
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null

setup: $(BIN)/rasa ## install Python 3.10 deps into .venv with uv (from uv.lock)

# Rasa's own check of the files before training is left to `make validate` (stricter, and
# part of `make test`): it loads every file a second time, 4 s of each retrain.
# --incremental: fine-tune the last model when only NLU examples changed (about 20-25 s);
# anything else trains from scratch (bot/incremental_training.py).
$(MODEL): $(BIN)/rasa $(MODEL_INPUTS)
	$(BIN)/python -m bot train --incremental --skip-validation --fixed-model-name iclei --out models
	@touch $@

train: $(MODEL) ## train the model (only when data, domain or config changed; NLU examples only: fine-tune)

train-full: $(BIN)/rasa ## train from scratch, whatever changed (the model CI and `make bench` train)
	$(BIN)/python -m bot train --incremental --from-scratch --skip-validation --fixed-model-name iclei --out models
	@touch $(MODEL)

run: $(MODEL) ## train if needed, start the action server and the Rasa server
	$(BIN)/python -m bot serve

cluster: $(MODEL) ## nginx, 2 Rasa replicas, 2 action servers, PostgreSQL, Redis (CLUSTER_PORT=8080)
	$(BIN)/python -m bot cluster --port $(CLUSTER_PORT)

shell: $(MODEL) ## staff shell: talk to the model, /why explains an answer (EXPLAIN=1: every one)
	$(BIN)/python -m bot shell $(if $(EXPLAIN),--explain,)

validate: setup ## rasa data validate
	$(BIN)/python -m bot validate

lint: setup ## ruff lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup ## ruff format and autofix
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test-unit: setup ## pytest unit tests (no trained model needed)
	$(BIN)/pytest -m "not model" -q

test-nlu: $(MODEL) ## held-out NLU test set per language; fails under the F1 targets
	$(BIN)/python -m bot evaluate-nlu --model $(MODEL) --out results/nlu \
		--min-intent-f1 $(MIN_INTENT_F1) --min-entity-f1 0.90 tests/nlu/en tests/nlu/ja

test-stories: $(MODEL) ## end-to-end test stories, both languages
	$(BIN)/python -m bot test-stories --model $(MODEL) --stories tests/stories \
		--out results/stories --fail-on-prediction-errors --no-plot

test-e2e: $(MODEL) ## the running servers over REST (starts and stops them)
	$(BIN)/pytest -m model -q

test-conversations: $(MODEL) ## the conversation sets: every category, both languages, >= 90 %
	$(BIN)/python -m bot check tests/conversations --min-pass $(MIN_CONVERSATION_PASS)

# System packages first: a missing one stops the run before any test, with the command to run.
test: system-deps ## everything CI runs: system packages, lint, unit, NLU, stories, conversations, e2e
	$(MAKE) --no-print-directory lint validate test-unit test-nlu test-stories test-conversations test-e2e

latency: $(MODEL) ## single-user REST latency (starts and stops the servers)
	$(BIN)/python -m bench.latency

bench: $(MODEL) ## ours vs Rasa's starter: training, start-up, REST load at 1-32 users, NLU and conversation scores (~20 min)
	$(BIN)/python -m bench

clean: ## remove models, results and local databases
	rm -rf models results var .pytest_cache .ruff_cache
