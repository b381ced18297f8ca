# Organisation Design Workbench — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint bench demo dist dist-test clean check-python check-system

run: $(STAMP)
	@$(BIN)/python tools/check_system.py --screen
	$(BIN)/workbench --demo

test: $(STAMP) check-system
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -n auto --dist loadscope

lint: $(STAMP)
	$(BIN)/ruff check workbench tests benchmarks
	$(BIN)/lint-imports
	$(BIN)/mypy workbench/core

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python benchmarks/run_all.py

demo: $(STAMP)
	$(BIN)/workbench demo demo.owb

# Installers (not part of `make test`: PyInstaller is slow): see README "Building installers".
DIST_STAMP := $(VENV)/.dist-installed

dist: $(DIST_STAMP)
	$(BIN)/python installer/build_dist.py

dist-test: dist
	$(BIN)/python installer/smoke_test.py

$(DIST_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dist]'
	@touch $(DIST_STAMP)

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || \
	 { echo "Python 3.11 or newer is needed (found: $$($(PYTHON) --version 2>&1)). Set PYTHON=python3.x."; exit 1; }

# Qt's system libraries, Debian's chromium + chromium-driver for the browser test and a Java 17
# runtime for the Spark engine test (as root).
check-system: $(STAMP)
	@$(BIN)/python tools/check_system.py --browser --java

$(STAMP): pyproject.toml | check-python
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache
