# ITOps developer and CI entry points.
#   make setup   system packages (Debian, via apt-get when missing) + .venv with the project installed
#   make test    the whole test suite, offscreen
#   make lint    ruff, mypy, import-linter
#   make bench   the benchmarks in bench/
#   make run     demo data, a local province sync server and the desktop app (Xvfb if headless)
#   make dist    PyInstaller one-folder build (dist/itops: itops + itops-desktop) and the Linux tarball
#   make dist-test  make dist, then start the built binaries (~3 min; not part of make test)

SHELL := /bin/bash
.DEFAULT_GOAL := test

PYTHON ?= python3
VENV := .venv
VPY := $(VENV)/bin/python
STAMP := $(VENV)/.stamp
PYTEST_ARGS ?=
PYTEST_WORKERS ?= auto
DEMO_DIR ?= $(HOME)/.local/share/itops-demo

export PIP_DISABLE_PIP_VERSION_CHECK := 1
export PIP_NO_INPUT := 1

.PHONY: setup venv sysdeps test lint bench run dist dist-test

setup: sysdeps venv

sysdeps:
	@bash scripts/ensure-system-deps.sh

venv: $(STAMP)

$(VPY):
	$(PYTHON) -m venv $(VENV)

# Reinstall only when pyproject.toml changed since the last successful install.
$(STAMP): pyproject.toml | $(VPY)
	$(VPY) -m pip install -e '.[test,lint]'
	@touch $@

# pytest's timeout and other options come from [tool.pytest.ini_options] in pyproject.toml. One worker per
# core (pytest-xdist; PYTEST_WORKERS=0 runs in one process); a module's tests stay on one worker, so its
# module-scoped fixtures (a sync tree, a server) are built once.
test: setup
	QT_QPA_PLATFORM=offscreen $(VPY) -m pytest -q -p no:cacheprovider -n $(PYTEST_WORKERS) --dist loadscope $(PYTEST_ARGS)

# Runs all three checkers, then fails if any of them failed.
lint: setup
	@status=0; \
	echo "== ruff";         $(VENV)/bin/ruff check . || status=1; \
	echo "== mypy";         $(VENV)/bin/mypy || status=1; \
	echo "== import-linter"; $(VENV)/bin/lint-imports || status=1; \
	exit $$status

bench: setup
	@if [ -f bench/__main__.py ]; then \
		$(VPY) -m bench; \
	else \
		echo "bench: no bench/__main__.py yet"; \
	fi

run: setup
	DEMO_DIR='$(DEMO_DIR)' bash scripts/run.sh

# PyInstaller takes minutes: the built binaries are tested here, not in `make test`.
dist: setup
	PY=$(VPY) bash installer/build.sh

dist-test: dist
	ITOPS_DIST=dist/itops QT_QPA_PLATFORM=offscreen $(VPY) -m pytest -q -p no:cacheprovider tests/security/test_dist.py
