# The two commands of the README:
#   make demo   builds Earshot, loads the demo market into the embedded default
#               and serves the web UI and API on http://127.0.0.1:8080
#   make test   builds everything and runs every test (also under ASan+UBSan),
#               then a short pass of every fuzz target (make fuzz)
JOBS ?= $(shell nproc)
BUILD ?= build/release
ASAN_BUILD ?= build/asan
FUZZ_BUILD ?= build/fuzz

DEMO_PORT ?= 8080

.PHONY: demo test deps test-deps build build-asan unit-asan fuzz bench clean

deps:
	@scripts/setup-deps

# The browser tests drive Debian's chromium.
test-deps:
	@scripts/setup-deps --browser

$(BUILD)/build.ninja: | deps
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null

build: deps $(BUILD)/build.ninja
	@cmake --build $(BUILD) -j $(JOBS)

demo: build
	$(BUILD)/earshot demo
	$(BUILD)/earshot serve --port $(DEMO_PORT) --demo-rate 2

$(ASAN_BUILD)/build.ninja: | deps
	@cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DEARSHOT_SANITIZE=ON >/dev/null

# Only the unit tests run under the sanitizers, so only they are built there.
build-asan: deps $(ASAN_BUILD)/build.ninja
	@cmake --build $(ASAN_BUILD) -j $(JOBS) --target unit_tests

unit-asan: build-asan
	cd $(ASAN_BUILD) && ctest --output-on-failure -j $(JOBS) -L unit

# Builds the libFuzzer targets with clang and runs each briefly (scripts/fuzz-smoke).
fuzz: deps
	FUZZ_BUILD=$(FUZZ_BUILD) FUZZ_JOBS=$(JOBS) scripts/fuzz-smoke

test: test-deps build build-asan
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	cd $(ASAN_BUILD) && ctest --output-on-failure -j $(JOBS) -L unit
	@$(MAKE) --no-print-directory fuzz

bench: build
	@echo "see docs/BENCHMARKS.md for the commands"

clean:
	rm -rf build
