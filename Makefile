# The two commands a new user runs: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint bench samples bundle clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $(STAMP)

## Open the desktop app on the bundled sample.
run: $(STAMP)
	$(BIN)/orgmap gui --sample sample

## Install, then the whole test suite, the import contracts and the linter.
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -q

## One table: import, metrics, report and export at 1k, 10k and 100k people, each beside
## the naive way (pandas + networkx) in the same run; `make bench ARGS="--sizes 1m"`.
## The other benchmarks/*_bench.py (layout, canvas, limits, brokerage accuracy...) run alone.
bench: $(STAMP)
	$(BIN)/python benchmarks/table_bench.py $(ARGS)

## Regenerate the bundled sample workbooks.
samples: $(STAMP)
	$(BIN)/python samples/make_samples.py

## A one-folder app for people without Python: dist/orgmap/orgmap (PyInstaller), then
## its smoke test. Copy dist/orgmap anywhere; `dist/orgmap/orgmap` alone opens the app.
BUNDLE_STAMP := $(VENV)/.bundle-installed
$(BUNDLE_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,bench,bundle]'
	touch $(BUNDLE_STAMP)

bundle: $(BUNDLE_STAMP)
	rm -rf dist/orgmap build/pyinstaller
	@start=$$(date +%s); \
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN \
		--distpath dist --workpath build/pyinstaller packaging/orgmap.spec || exit 1; \
	echo "bundle: built dist/orgmap in $$(( $$(date +%s) - start )) s, $$(du -sh dist/orgmap | cut -f1)"
	$(BIN)/python packaging/smoke_bundle.py dist/orgmap

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info build dist

## Fuzz the readers for longer (ORGMAP_FUZZ_EXAMPLES cases per target, default 3000,
## randomized); any failing input is saved under tests/fuzz/regressions/ to commit.
.PHONY: fuzz
fuzz: $(STAMP)
	ORGMAP_FUZZ_LONG=1 $(BIN)/python -m pytest -q tests/fuzz
