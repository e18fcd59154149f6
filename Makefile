# One command per job, the same locally and in CI (.ci/run calls `make test`).
SHELL := /bin/bash
VENV ?= .venv
BIN := $(VENV)/bin
PYTHON ?= python3
export NO_MKDOCS_2_WARNING := 1
# Dates in the built site come from git, never from the clock, so two builds of a commit are identical.
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null)
ifneq ($(SOURCE_DATE_EPOCH),)
export SOURCE_DATE_EPOCH
endif

.PHONY: setup serve build check test browser audit bench zensical clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	touch $@

serve: setup  ## live-reloading site at http://127.0.0.1:8000
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

build: setup  ## site/ with --strict; a failed build leaves the previous site/ untouched
	rm -rf .site-build
	$(BIN)/mkdocs build --strict --site-dir .site-build || { rm -rf .site-build; exit 1; }
	rm -rf .site-old; if [ -d site ]; then mv site .site-old; fi; mv .site-build site; rm -rf .site-old

check: setup  ## every check of the build, without MkDocs
	$(BIN)/citepages check

browser:  ## Debian's Chromium for the browser tests
	@[ -x /usr/bin/chromium ] || { echo "installing Debian's chromium"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

test: setup browser
	$(BIN)/pytest

audit: build browser  ## Lighthouse (mobile) on home, a claim page and a study page; fails below the targets
	@command -v npm >/dev/null || { echo "installing Debian's nodejs and npm"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; }
	@[ "$$(node -p 'require("./tests/audit/node_modules/lighthouse/package.json").version' 2>/dev/null)" = 12.2.3 ] || \
	  npm install --prefix tests/audit --no-save --no-package-lock --no-audit --no-fund --loglevel=error lighthouse@12.2.3
	$(BIN)/python tests/audit/audit.py tests/audit/node_modules/.bin/lighthouse site

bench: setup  ## this build vs plain MkDocs vs mkdocs-bibtex on a seeded synthetic site (N = 500 and 5,000; this build alone also at 10,000), and `mkdocs serve`; about 12 min
	$(BIN)/python benchmarks/bench.py

zensical: setup  ## the same site built by Zensical into site-zensical/ (no hooks there: citepages writes its sources first)
	$(BIN)/citepages build --site --out .zensical
	cd .zensical && ../$(BIN)/zensical build --clean
	rm -rf site-zensical && mv .zensical/site site-zensical

clean:
	rm -rf site .site-build .site-old .zensical site-zensical
