# annotator — the two commands: `make run` and `make test` (plus `make bench`).
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip

.PHONY: run test bench block-model lint clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(PY)
	$(PIP) install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(PY)
	$(PIP) install --quiet -e ".[test]"
	touch $@ $(VENV)/.installed-run

run: $(VENV)/.installed-run
	$(VENV)/bin/annotator

test: $(VENV)/.installed-test
	QT_QPA_PLATFORM=offscreen $(VENV)/bin/ruff check annotator tests
	$(VENV)/bin/lint-imports
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest

bench: $(VENV)/.installed-test
	@for script in tests/bench/bench_*.py; do \
		echo "== $$script"; \
		QT_QPA_PLATFORM=offscreen $(PY) $$script || exit 1; \
	done

# The shipped clutter model, from ../shared/ext-news-benchmark's train split and
# tests/data/clutter (see tools/build_block_model.py); commit what it writes.
block-model: $(VENV)/.installed-test
	$(PY) tools/build_block_model.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build dist
