# annotator — the two commands: `make run` and `make test` (plus `make bench`).
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip

.PHONY: run test test-package package bench block-model lint clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(PY)
	$(PIP) install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(PY)
	$(PIP) install --quiet -e ".[test]"
	touch $@ $(VENV)/.installed-run

$(VENV)/.installed-package: pyproject.toml | $(PY)
	$(PIP) install --quiet -e ".[package]"
	touch $@

run: $(VENV)/.installed-run
	$(VENV)/bin/annotator

test: $(VENV)/.installed-test
	QT_QPA_PLATFORM=offscreen $(VENV)/bin/ruff check annotator tests
	$(VENV)/bin/lint-imports
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest

# The one-folder bundle (dist/annotator) and, where dpkg-deb exists, the .deb beside it.
# See packaging/README.md.
package: $(VENV)/.installed-package
	$(VENV)/bin/pyinstaller --noconfirm --clean --log-level WARN --distpath dist \
		--workpath build/pyinstaller packaging/annotator.spec
	@if command -v dpkg-deb >/dev/null 2>&1; then packaging/build_deb.sh dist/annotator dist; \
	else echo "dpkg-deb not found: the bundle is in dist/annotator, no .deb built"; fi

# Builds the bundle in a fresh folder and checks it (a few minutes): kept out of make test.
test-package: $(VENV)/.installed-test $(VENV)/.installed-package
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -m packaging -s tests/packaging

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
