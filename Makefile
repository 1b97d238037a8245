# Two commands for a fresh machine: `make run` and `make test`.
# Each creates or refreshes the project's own virtual environment (.venv) first.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.genoview-installed

.PHONY: run test venv bench clean lint

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	# torch pinned to the CPU wheel this workplace carries (see DEVELOPERS.md: "Why torch==2.13.0"), unless
	# .venv already has a torch (a GPU workstation's CUDA build): pyproject accepts any torch >= 2.2
	$(PY) -c "import torch" 2>/dev/null || $(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -e ".[test]"
	@touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	@# on Linux, name the missing Qt system libraries (and the apt-get line) instead of Qt's xcb abort
	@$(PY) -m genoview.gui.system_libs
	$(VENV)/bin/genoview $(ARGS)

# the suite in TEST_WORKERS processes (pytest-xdist), each test file kept in one; TEST_WORKERS=0 runs it in this one
TEST_WORKERS ?= 2

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(VENV)/bin/lint-imports
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

bench: $(STAMP)
	$(PY) bench/io_bench.py
	$(PY) bench/gene_bench.py

clean:
	rm -rf $(VENV) build *.egg-info
