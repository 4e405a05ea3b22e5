# gradwell: two commands on a fresh machine.
#   make serve   set up a virtualenv and run the web service on its embedded defaults
#   make test    set up a virtualenv (with the test tools) and run the test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: serve test test-slow lint bench

lint: $(VENV)/.installed
	$(BIN)/ruff check grader reference web tests bench
	$(BIN)/mypy

# The stamp is rebuilt whenever the dependencies change. torch comes from the
# constraints file as the CPU build (2.13.0), never a CUDA download.
$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[dev]"
	touch $@

serve: $(VENV)/.installed
	$(BIN)/gradwell serve --host $(HOST) --port $(PORT)

test: lint
	$(BIN)/gradwell exercises check
	$(BIN)/pytest -m "not slow" -q

test-slow: $(VENV)/.installed
	$(BIN)/pytest -m slow -q

bench: $(VENV)/.installed
	$(BIN)/python bench/grade_latency.py
	$(BIN)/python bench/sandbox.py
