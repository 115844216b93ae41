# The front door: `make regen` regenerates, `make test` runs every test. Both install what they need.
SHELL := /bin/bash
.DEFAULT_GOAL := regen

JOBS ?= $(shell nproc)
# The Swift toolchain's clang may come first on PATH; the engine is built with g++ unless CXX is given.
ifeq ($(origin CXX),default)
  CXX := g++
endif

DEBIAN_PACKAGES := g++ cmake meson ninja-build pkg-config libyaml-cpp-dev nlohmann-json3-dev \
                   libkainjow-mustache-dev doctest-dev libboost-program-options-dev libgoogle-perftools-dev ccache

BUILD := build
MESON_BUILD := builddir
ASAN_BUILD := build-asan
HF2SWIFT := $(BUILD)/hf2swift

VENV_PYTHON := .venv/bin/python

# hf2swift keeps parsed family documents in a cache (src/parse_cache.h); runs under make keep theirs
# beside the build instead of in ~/.cache.
export HF2SWIFT_CACHE_DIR ?= $(CURDIR)/$(BUILD)/parse-cache

.PHONY: deps build regen check test test-cmake test-meson test-asan clean venv fixtures check-fixtures \
        swift-test api-contract mutation-check walkthrough fuzz bench schema-test hook-test install-hooks \
        probe-config-keys hf-roundtrip test-all

## deps: install the Debian packages the engine needs (apt-get update runs only when something is missing)
deps:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing:" $$missing; \
	  sudo=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq $$missing >/dev/null; \
	fi

$(BUILD)/build.ninja: CMakeLists.txt | deps
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_CXX_COMPILER=$(CXX)

## build: configure and build the engine, its CLI and tests with CMake
build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

## regen: build, then regenerate generated/, families/README.md and the goldens in tests/golden/
regen: build
	tools/regen.sh $(HF2SWIFT)

## check: fail (with a diff) when anything derived from families/ or templates/ is out of date
check: build
	tools/regen.sh $(HF2SWIFT) --check

test-cmake: build
	ctest --test-dir $(BUILD) --output-on-failure

# The Meson build is at -O1 without debug information: it proves meson.build builds and passes the
# tests; the CMake build is the optimised one.
test-meson: deps
	@if [ ! -f $(MESON_BUILD)/build.ninja ]; then CXX=$(CXX) meson setup -Doptimization=1 -Ddebug=false $(MESON_BUILD) >/dev/null; fi
	meson compile -C $(MESON_BUILD) -j $(JOBS)
	meson test -C $(MESON_BUILD) --print-errorlogs

test-asan: deps
	@if [ ! -f $(ASAN_BUILD)/build.ninja ]; then cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_CXX_COMPILER=$(CXX) -DHF2SWIFT_SANITIZE=ON >/dev/null; fi
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --test-dir $(ASAN_BUILD) --output-on-failure -E swift_syntax

## venv: the pinned Python environment (MLX, mlx-lm, torch, transformers) that computes and checks every fixture
venv:
	tools/venv.sh

## fixtures: rebuild every fixture from MLX and mlx-lm (op, runtime, model, config facts) and from
## transformers (model)
fixtures: venv
	$(VENV_PYTHON) tools/make_op_fixtures.py
	$(VENV_PYTHON) tools/make_runtime_fixtures.py
	$(VENV_PYTHON) tools/make_fixtures.py
	$(VENV_PYTHON) tools/make_hf_fixtures.py
	$(VENV_PYTHON) tools/make_config_facts.py

## check-fixtures: recompute every committed fixture with its oracle (MLX, mlx-lm, transformers) and compare
check-fixtures: venv
	$(VENV_PYTHON) tools/make_op_fixtures.py --check
	$(VENV_PYTHON) tools/make_runtime_fixtures.py --check
	$(VENV_PYTHON) tools/make_fixtures.py --check
	$(VENV_PYTHON) tools/make_hf_fixtures.py --check
	$(VENV_PYTHON) tools/make_config_facts.py --check

## swift-test: build the Swift package (reference MLX, runtime, generated models) and run its tests, and
## the runner's refusals of bad arguments and checkpoints
swift-test:
	cd swift && swift build --build-tests
	cd swift && swift test --skip-build
	bash tests/runner_test.sh swift/.build/debug/hf2swift-run
	swift/.build/debug/hf2swift-fuzz-load tests/fuzz/regressions/loader/* >/dev/null

## api-contract: snippets that must (not) type-check against the reference, and its public surface
api-contract:
	bash tests/api_contract/run.sh

## schema-test: families/family.schema.json and the engine agree: every family validates, and the bad
## documents of tests/golden/errors one document shows are rejected by both (jsonschema, pinned venv)
schema-test: build venv
	$(VENV_PYTHON) tests/schema_test.py $(HF2SWIFT)

## install-hooks: a git pre-push hook that refuses a push unless `make check` passes on the commit
install-hooks:
	tools/install-hooks.sh

## hook-test: in a scratch clone, the hook refuses stale generated/ and a broken build, accepts a regen
hook-test:
	bash tests/hook_test.sh

## fuzz: libFuzzer on family documents and templates, then on checkpoints through the loader, each for
## SECONDS (default 60); not part of test
fuzz: deps
	tools/fuzz.sh $(or $(SECONDS),60)
	tools/fuzz_loader.sh $(or $(SECONDS),60)

## bench: time and peak memory of generation, real and synthetic families (a table; nothing asserted)
bench: build
	tools/bench.sh $(HF2SWIFT)

## probe-config-keys: every config key a family leaves unread (ignored, inert, taken from elsewhere) set to
## a value transformers honours leaves transformers' logits unchanged; detect knows every key of every
## transformers fixture's config
probe-config-keys: build venv
	$(VENV_PYTHON) tools/probe_config_keys.py $(HF2SWIFT)

## hf-roundtrip: every real config of tests/data/hf-configs, built tiny by transformers and saved with
## save_pretrained into a scratch directory, runs through hf2swift-run to transformers' logits
hf-roundtrip: venv
	cd swift && swift build --product hf2swift-run
	$(VENV_PYTHON) tools/hf_roundtrip.py swift/.build/debug/hf2swift-run

## mutation-check: real modelling mistakes must fail exactly the fixtures they affect
mutation-check: build
	python3 tools/mutation_check.py $(HF2SWIFT)

## walkthrough: the README's walkthrough (adding MiMo) in a scratch copy, from detect to parity; after
## mutation-check it reuses that check's Swift build
walkthrough: build venv
	python3 tests/walkthrough_test.py $(HF2SWIFT)

## test: both builds with every test, the sanitizer build, the sync check, the schema test, the Swift
## package, the API contract, the fixtures recomputed with both oracles, the config-key probe, real
## configs round-tripped through transformers, the mutation check, the README's walkthrough and the push
## hook; as two chains side by side (TEST_JOBS=1: one after the other), each target's output printed
## whole when it ends
TEST_JOBS ?= 2
test:
	$(MAKE) --no-print-directory -j $(TEST_JOBS) --output-sync=target test-all

# The mutation check and the walkthrough, which reuses its Swift build, are one chain; everything else
# is the other, one target at a time (the Swift package's targets share swift/.build). The other
# chain's links, test runs and Python checks are single-threaded; the mutation check splits each
# build's parity run across the cores, so it takes both once the other chain has ended.
MUTATION_CHAIN := mutation-check walkthrough
MAIN_CHAIN := swift-test api-contract hf-roundtrip test-cmake test-meson test-asan check schema-test \
              check-fixtures probe-config-keys hook-test
test-all: $(MAIN_CHAIN) $(MUTATION_CHAIN)
ifneq ($(filter test-all,$(MAKECMDGOALS)),)
chain = $(if $(word 2,$(1)),$(eval $(word 2,$(1)): | $(firstword $(1)))$(call chain,$(wordlist 2,$(words $(1)),$(1))))
$(call chain,$(MAIN_CHAIN))
$(call chain,$(MUTATION_CHAIN))
endif

clean:
	rm -rf $(BUILD) $(MESON_BUILD) $(ASAN_BUILD) swift/.build
