# Two entry points do all set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install demo test lint typecheck services bench clean

$(STAMP): pyproject.toml
	bash .ci/system-deps.sh
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

services:
	bash .ci/services.sh

lint: install
	$(BIN)/ruff check .

typecheck: install
	$(BIN)/mypy .

# pytest's own exit code is kept: "no tests collected" (5) fails the build like a failure does.
test: install services lint typecheck
	$(BIN)/pytest

demo: install
	bash scripts/demo.sh

bench: install services
	$(BIN)/python bench/products_build.py

clean:
	rm -rf $(VENV) var
