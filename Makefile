# mas.dedicated — the two commands: `make demo` and `make test` (see README.md).
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON      ?= python3
VENV        ?= .venv
BUILD       ?= build
BIN         := $(VENV)/bin
PY          := $(abspath $(BIN))/python
PYVER        = $(shell $(PY) -c 'import sys; print("%d.%d" % sys.version_info[:2])')
COLLECTIONS := $(abspath $(BUILD))/collections
COLL        := $(COLLECTIONS)/ansible_collections/mas/dedicated
SANDBOX_DIR := $(abspath $(BUILD))/sandbox
SANDBOX_READY := $(SANDBOX_DIR)/ready.json
export ANSIBLE_COLLECTIONS_PATH := $(COLLECTIONS)
export ANSIBLE_NOCOLOR := $(if $(CI),1,)
# The machine-wide AWS_CA_BUNDLE breaks rclone and boto3 against the plain-HTTP local S3 server.
unexport AWS_CA_BUNDLE

.PHONY: help setup venv system-deps collection sandbox sandbox-stop demo test sanity units lint integration galaxy-importer compat awx-lint bench bench-cos bench-db2 bench-users bench-onboard bench-overhead bench-scripts clean docs docs-check

help:
	@echo "make demo    set up and run the main playbooks against the local sandbox"
	@echo "make test    set up and run sanity, unit, lint and integration tests"
	@echo "make sandbox / sandbox-stop   start / stop the sandbox alone"
	@echo "make bench   run the benchmarks (BENCH_ARGS='--size-mib 256' for a quicker run)"
	@echo "make docs    render the module, plugin and role docs into docs/collection (antsibull-docs)"

# ---- setup -------------------------------------------------------------------------------------
setup: venv system-deps collection

venv: $(VENV)/.installed
$(VENV)/.installed: requirements.txt test-requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@echo "== installing Python packages into $(VENV)"
	@$(PY) -m pip install --quiet --disable-pip-version-check -r test-requirements.txt
	@touch $@

# rclone reads the remotes the collection writes; shellcheck lets ansible-test sanity check the shell scripts.
# Both come from the distribution when missing.
SYSTEM_TOOLS := rclone shellcheck
system-deps:
	@missing=$$(for t in $(SYSTEM_TOOLS); do command -v $$t >/dev/null 2>&1 || echo $$t; done); \
	if [ -n "$$missing" ]; then \
	  echo "== installing $$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

# ansible-test and ansible-playbook need the collection under ansible_collections/mas/dedicated. ansible-test
# lists files through git, and this checkout ignores build/, so the copy gets a git index of its own.
collection:
	@rm -rf $(COLL) && mkdir -p $(COLL)
	@git ls-files -z --cached --others --exclude-standard | tar --null -T - -cf - | tar -xf - -C $(COLL)
	@cd $(COLL) && git init -q && git add -A

# ---- sandbox -----------------------------------------------------------------------------------
sandbox: venv
	@tests/sandbox/ctl.sh start $(PY) $(SANDBOX_DIR)

sandbox-stop:
	@tests/sandbox/ctl.sh stop $(PY) $(SANDBOX_DIR)

# ---- the two commands --------------------------------------------------------------------------
demo: setup
	@tests/demo/run.sh $(PY) $(SANDBOX_DIR)

test: setup
	@$(MAKE) --no-print-directory sanity units lint integration conformance galaxy-importer compat awx-lint
	@echo "== make test: sanity, units, lint, integration, conformance, galaxy-importer, ansible-core $(OLDEST_ANSIBLE) and the AWX sample all passed"
	@echo "suites: 8 passed, 0 failed"

# ---- parts of make test ------------------------------------------------------------------------
sanity: setup
	@echo "== ansible-test sanity"
	@tests/utils/offline-get-pip.sh $(PY)
	@cd $(COLL) && $(abspath $(BIN))/ansible-test sanity --python $(PYVER) --requirements --color no

units: setup
	@echo "== ansible-test units"
	@cd $(COLL) && $(abspath $(BIN))/ansible-test units --python $(PYVER) --requirements --color no

lint: setup
	@echo "== ansible-lint --profile=production"
	@cd $(COLL) && $(abspath $(BIN))/ansible-lint --profile=production --offline
	@$(MAKE) --no-print-directory docs-check

# ---- docs: antsibull-docs renders docs/collection from the code; make test checks they still render -------
DOCS_DIR      := docs/collection
DOCS_RENDER    = PATH=$(abspath $(BIN)):$$PATH $(abspath $(BIN))/antsibull-docs collection --use-current --squash-hierarchy \
                 --output-format simplified-rst
YAMLLINT_CONF := {extends: default, rules: {line-length: {max: 160}, truthy: {check-keys: false}, document-start: disable}}

docs: setup
	@echo "== antsibull-docs: rendering into $(DOCS_DIR)"
	@rm -rf $(DOCS_DIR) && mkdir -p $(DOCS_DIR)
	@$(DOCS_RENDER) --dest-dir $(abspath $(DOCS_DIR)) mas.dedicated >/dev/null

# The plugin docs lint cleanly and render without an error; the sample pipeline and AWX definitions are valid
# YAML; a rendering that differs from the committed docs/collection is reported (run make docs to refresh).
docs-check: setup
	@echo "== docs: antsibull-docs lint and render, yamllint of docs/gitops and docs/awx"
	@cd $(COLL) && PATH=$(abspath $(BIN)):$$PATH $(abspath $(BIN))/antsibull-docs lint-collection-docs --plugin-docs .
	@rm -rf $(BUILD)/docs && mkdir -p $(BUILD)/docs
	@$(DOCS_RENDER) --dest-dir $(abspath $(BUILD))/docs mas.dedicated >$(BUILD)/docs.log 2>&1 || { cat $(BUILD)/docs.log; exit 1; }
	@! grep -E 'ERROR|did not return correct DOCUMENTATION' $(BUILD)/docs.log
	@$(BIN)/yamllint -s -d '$(YAMLLINT_CONF)' docs/gitops docs/awx
	@diff -rq $(DOCS_DIR) $(BUILD)/docs >/dev/null 2>&1 || echo "note: docs/collection differs from the code's docs: run make docs"

integration: setup
	@echo "== integration targets against the sandbox"
	@tests/sandbox/ctl.sh start $(PY) $(SANDBOX_DIR)
	@tests/sandbox/ctl.sh config $(PY) $(SANDBOX_DIR) > $(COLL)/tests/integration/integration_config.yml
	@cd $(COLL) && PATH=$(abspath $(BIN)):$$PATH ansible-test integration --python $(PYVER) --color no; \
	  status=$$?; cd $(CURDIR) && tests/sandbox/ctl.sh stop $(PY) $(SANDBOX_DIR); exit $$status

# IBM's own published clients (ibm-cos-sdk, ibm-platform-services, mas-devops) against the sandbox, from a
# virtualenv of their own (never the project's): see tests/conformance/.
CONF_VENV := $(BUILD)/conformance-venv
CONF_PY   := $(abspath $(CONF_VENV))/bin/python
MAXIMO_API_VERSION := 1.0.15
MAXIMO_API_Q       := 1.5.1
MAXIMO_API_DIR     := $(BUILD)/ibm-maximo-api-$(MAXIMO_API_VERSION)
MAXIMOMIZE_VERSION := 0.8.4
MAXIMOMIZE_DIR     := $(BUILD)/maximomize-$(MAXIMOMIZE_VERSION)
.PHONY: conformance
conformance: venv $(CONF_VENV)/.installed $(MAXIMO_API_DIR)/.installed $(MAXIMOMIZE_DIR)/.installed
	@echo "== conformance: IBM's clients and two public clients against the sandbox"
	@MAXIMO_API_DIR=$(abspath $(MAXIMO_API_DIR))/package MAXIMOMIZE_DIR=$(abspath $(MAXIMOMIZE_DIR)) \
	  $(CONF_PY) -m pytest tests/conformance -v -p no:cacheprovider
	@$(MAKE) --no-print-directory test-real-dry-run

# The public npm client ibm-maximo-api (test only, run by tests/conformance/test_ibm_maximo_api.py), fetched once:
# `npm install ibm-maximo-api` fails (it declares http@0.0.0, which does not exist; http, url and buffer are Node
# built-ins), so the package is unpacked from `npm pack` and its one real dependency, q, installed beside it.
$(MAXIMO_API_DIR)/.installed:
	@# Node.js and npm run the client; installed with apt-get when missing, as rclone is (make system-deps).
	@command -v npm >/dev/null 2>&1 || { \
	  echo "== installing npm (Node.js) for the ibm-maximo-api conformance test"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; }
	@command -v npm >/dev/null || { echo "npm (Node.js) is needed for the ibm-maximo-api conformance test"; exit 2; }
	@echo "== fetching ibm-maximo-api $(MAXIMO_API_VERSION) into $(MAXIMO_API_DIR)"
	@rm -rf $(MAXIMO_API_DIR) && mkdir -p $(MAXIMO_API_DIR)
	@cd $(MAXIMO_API_DIR) && npm pack --silent ibm-maximo-api@$(MAXIMO_API_VERSION) >/dev/null \
	  && tar xzf ibm-maximo-api-$(MAXIMO_API_VERSION).tgz \
	  && npm install --prefix . --silent --no-save --no-package-lock --ignore-scripts q@$(MAXIMO_API_Q) >/dev/null
	@test -f $(MAXIMO_API_DIR)/package/maximofactory.js && test -d $(MAXIMO_API_DIR)/node_modules/q
	@touch $@

# The public npm client @maximomize/maximo-api-client (test only, run by tests/conformance/test_maximomize_client.py):
# a plain npm install with its dependencies (axios, ...), into build/ only. It needs npm, installed above.
$(MAXIMOMIZE_DIR)/.installed: $(MAXIMO_API_DIR)/.installed
	@echo "== installing @maximomize/maximo-api-client $(MAXIMOMIZE_VERSION) into $(MAXIMOMIZE_DIR)"
	@rm -rf $(MAXIMOMIZE_DIR) && mkdir -p $(MAXIMOMIZE_DIR)
	@cd $(MAXIMOMIZE_DIR) && npm install --prefix . --silent --no-save --no-package-lock --ignore-scripts \
	  --no-audit --no-fund @maximomize/maximo-api-client@$(MAXIMOMIZE_VERSION) >/dev/null
	@test -f $(MAXIMOMIZE_DIR)/node_modules/@maximomize/maximo-api-client/dist/index.js
	@touch $@

$(CONF_VENV)/.installed: tests/conformance/requirements.txt
	@test -x $(CONF_PY) || $(PY) -m venv $(CONF_VENV)
	@echo "== installing IBM's clients into $(CONF_VENV)"
	@$(CONF_PY) -m pip install --quiet --disable-pip-version-check -r tests/conformance/requirements.txt
	@touch $@

# The behaviour targets against a user's own non-production environment (README: "Running the tests against a real
# environment"): read-only unless REAL_WRITES=1. test-real-dry-run runs the same against a sandbox of its own,
# with sandbox_control off, and checks from the control plane that only reads were sent and writes were undone.
.PHONY: test-real test-real-dry-run
test-real: setup
	@test -n "$(REAL_ENV)" || { echo "give REAL_ENV=path/to/vars.yml (see tests/integration/real-env.example.yml)"; exit 2; }
	@tests/utils/test-real.sh $(PY) $(COLL) $(abspath $(REAL_ENV))

test-real-dry-run: setup
	@tests/utils/test-real.sh $(PY) $(COLL) --dry-run $(abspath $(BUILD))/sandbox-real

# ---- release checks: what Galaxy / Automation Hub run on upload, the oldest ansible-core claimed, the AWX sample ----
# Each tool lives in a virtualenv of its own under build/, installed once from PyPI (no container runtime needed).
OLDEST_ANSIBLE  := $(shell sed -n 's/^requires_ansible: *">=\([0-9.]*\)".*/\1/p' meta/runtime.yml)
OLDEST_VENV     := $(abspath $(BUILD))/ansible-core-$(OLDEST_ANSIBLE)
IMPORTER_VENV   := $(abspath $(BUILD))/galaxy-importer
DIST            := $(abspath $(BUILD))/dist
AWX_COLLECTIONS := $(abspath $(BUILD))/awx-collections

$(IMPORTER_VENV)/.installed:
	@echo "== installing galaxy-importer into $(IMPORTER_VENV)"
	@rm -rf $(IMPORTER_VENV) && $(PY) -m venv $(IMPORTER_VENV)
	@$(IMPORTER_VENV)/bin/pip install --quiet --disable-pip-version-check 'galaxy-importer>=0.4.44' 2>&1 | grep -v '^WARNING: Location' || true
	@$(IMPORTER_VENV)/bin/python -c 'import galaxy_importer'
	@touch $@

# Builds the tarball as `ansible-galaxy collection build` does for a release and runs galaxy-importer on it with
# tests/utils/galaxy-importer.cfg (ansible-doc, ansible-lint, flake8; ansible-test runs in compat/sanity instead of
# a container). Its errors fail; its warnings are printed.
galaxy-importer: setup $(IMPORTER_VENV)/.installed
	@echo "== galaxy-importer on the built tarball"
	@rm -rf $(DIST) $(BUILD)/galaxy-importer-tmp && mkdir -p $(BUILD)/galaxy-importer-tmp
	@$(abspath $(BIN))/ansible-galaxy collection build $(COLL) --output-path $(DIST) >/dev/null
	@PATH=$(IMPORTER_VENV)/bin:$$PATH GALAXY_IMPORTER_CONFIG=$(CURDIR)/tests/utils/galaxy-importer.cfg \
	  GALAXY_IMPORTER_ANSIBLE_LOCAL_TMP=$(abspath $(BUILD))/galaxy-importer-tmp \
	  GALAXY_IMPORTER_TMP_ROOT_DIR=$(abspath $(BUILD))/galaxy-importer-tmp \
	  $(IMPORTER_VENV)/bin/python -m galaxy_importer.main $(DIST)/mas-dedicated-*.tar.gz >$(BUILD)/galaxy-importer.log 2>&1; \
	  status=$$?; grep -E '^(ERROR|WARNING)' $(BUILD)/galaxy-importer.log; \
	  if [ $$status -ne 0 ] || grep -q '^ERROR' $(BUILD)/galaxy-importer.log; then \
	    echo "galaxy-importer refused $$(basename $(DIST)/*.tar.gz) (log: $(BUILD)/galaxy-importer.log)"; exit 1; fi; \
	  echo "galaxy-importer accepted $$(basename $(DIST)/*.tar.gz) ($$(grep -c '^WARNING' $(BUILD)/galaxy-importer.log) warnings)"

$(OLDEST_VENV)/.installed: meta/runtime.yml
	@echo "== installing ansible-core $(OLDEST_ANSIBLE) into $(OLDEST_VENV)"
	@rm -rf $(OLDEST_VENV) && $(PY) -m venv $(OLDEST_VENV)
	@$(OLDEST_VENV)/bin/pip install --quiet --disable-pip-version-check 'ansible-core==$(OLDEST_ANSIBLE)' 2>&1 | grep -v '^WARNING: Location' || true
	@test -x $(OLDEST_VENV)/bin/ansible-test
	@touch $@

# sanity and units run with the project venv's ansible-core (the newest release when installed); compat runs them
# again with the oldest version meta/runtime.yml claims.
compat: setup $(OLDEST_VENV)/.installed
	@echo "== ansible-core $(OLDEST_ANSIBLE) (the oldest claimed, against $$($(BIN)/ansible --version | sed -n '1s/.*core \([0-9.]*\).*/\1/p') above): sanity and units"
	@tests/utils/offline-get-pip.sh $(OLDEST_VENV)/bin/python
	@cd $(COLL) && $(OLDEST_VENV)/bin/ansible-test sanity --python $(PYVER) --requirements --color no
	@cd $(COLL) && $(OLDEST_VENV)/bin/ansible-test units --python $(PYVER) --requirements --color no

# awx.awx is not on Galaxy's mirror here: the `ansible` package on PyPI bundles it, so only that collection is taken
# from its wheel. The sample project is linted against the real awx.awx argument specs (docs/awx/project/.ansible-lint).
$(AWX_COLLECTIONS)/.installed:
	@echo "== awx.awx from the ansible package on PyPI into $(AWX_COLLECTIONS)"
	@rm -rf $(AWX_COLLECTIONS) $(BUILD)/wheels && mkdir -p $(BUILD)/wheels
	@$(PY) -m pip download --quiet --disable-pip-version-check --no-deps --dest $(BUILD)/wheels 'ansible>=10' 2>&1 | grep -v '^WARNING: Location' || true
	@$(PY) tests/utils/collection_from_wheel.py $$(ls $(BUILD)/wheels/ansible-*.whl) awx.awx $(AWX_COLLECTIONS)
	@rm -rf $(BUILD)/wheels && touch $@

awx-lint: setup $(AWX_COLLECTIONS)/.installed $(IMPORTER_VENV)/.installed
	@echo "== the sample AWX project: ansible-lint (with awx.awx), yamllint; ansible-builder create of the EE sample"
	@cd $(COLL)/docs/awx/project && ANSIBLE_COLLECTIONS_PATH=$(COLLECTIONS):$(AWX_COLLECTIONS) \
	  $(abspath $(BIN))/ansible-lint --offline -c .ansible-lint
	@$(BIN)/yamllint -s -d '$(YAMLLINT_CONF)' docs/awx/project docs/awx/execution-environment.yml
	@rm -rf $(BUILD)/ee-context && $(IMPORTER_VENV)/bin/ansible-builder create -f docs/awx/execution-environment.yml \
	  -c $(BUILD)/ee-context --output-filename Containerfile >/dev/null && grep -q downloads.rclone.org $(BUILD)/ee-context/Containerfile

# Benchmarks print their figures and ratios against baselines measured in the same run (not part of make test).
bench: bench-cos bench-db2 bench-users bench-onboard bench-overhead bench-scripts

bench-cos: setup
	@$(PY) tests/benchmarks/cos_bench.py $(BENCH_ARGS)

bench-db2: setup
	@$(PY) tests/benchmarks/db2_export_bench.py $(DB2_BENCH_ARGS)

bench-users: setup
	@$(PY) tests/benchmarks/users_bench.py $(BENCH_USERS_ARGS)

bench-onboard: setup
	@$(PY) tests/benchmarks/onboard_bench.py $(BENCH_ONBOARD_ARGS)

bench-overhead: setup
	@$(PY) tests/benchmarks/task_overhead_bench.py $(BENCH_OVERHEAD_ARGS)

bench-scripts: setup
	@$(PY) tests/benchmarks/scripts_bench.py $(BENCH_SCRIPTS_ARGS)

clean:
	@-tests/sandbox/ctl.sh stop $(PY) $(SANDBOX_DIR) 2>/dev/null
	rm -rf $(BUILD) tests/output
