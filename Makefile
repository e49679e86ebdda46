# The two commands a new user runs: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint bench samples clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $(STAMP)

## Open the desktop app on the bundled sample.
run: $(STAMP)
	$(BIN)/orgmap gui samples/sample-org.xlsx

## Install, then the whole test suite, the import contracts and the linter.
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -q

## Scale runs at 1k, 10k and 100k people; each prints a table.
bench: $(STAMP)
	@for b in benchmarks/*_bench.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

## Regenerate the bundled sample workbooks.
samples: $(STAMP)
	$(BIN)/python samples/make_samples.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info

## Fuzz the readers for longer (ORGMAP_FUZZ_EXAMPLES cases per target, default 3000,
## randomized); any failing input is saved under tests/fuzz/regressions/ to commit.
.PHONY: fuzz
fuzz: $(STAMP)
	ORGMAP_FUZZ_LONG=1 $(BIN)/python -m pytest -q tests/fuzz
