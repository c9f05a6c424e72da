# infogap: `make demo` and `make test` install what is missing, build, and run.
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPython_EXECUTABLE=/usr/bin/python3
PY := /usr/bin/python3
DEMO_OUT ?= infogap-demo

.PHONY: all deps build demo test test-quick test-sanitize fuzz-build fuzz fuzz-smoke bench bench-national format clean

all: build

deps:
	@bash scripts/install-deps

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS) -DINFOGAP_WARNINGS_AS_ERRORS=$${INFOGAP_WERROR:-OFF}

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	@bash scripts/demo "$(BUILD)" "$(DEMO_OUT)"

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) --timeout 1500

test-quick: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) -LE slow

# ASan + UBSan build of the C++ suite (no Python module: a plain interpreter cannot load it); runs
# the unit tests and the replay of the fuzz corpora (labels unit, fuzz), not the Python/QGIS/browser ones.
test-sanitize: deps
	cmake -S . -B $(BUILD)-asan -DCMAKE_BUILD_TYPE=Debug -DPython_EXECUTABLE=$(PY) \
	  -DINFOGAP_SANITIZE=address,undefined -DINFOGAP_BUILD_PYTHON=OFF -DINFOGAP_WARNINGS_AS_ERRORS=$${INFOGAP_WERROR:-OFF}
	cmake --build $(BUILD)-asan -j $(JOBS)
	cd $(BUILD)-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --output-on-failure -j $(JOBS) --timeout 1500 -L 'unit|fuzz'

# libFuzzer targets of tests/fuzz (clang): their own build folder, ASan + UBSan, coverage feedback.
# `make fuzz` runs each target FUZZ_SECONDS (default 600) from its seed corpus; `make fuzz-smoke` 20 s.
FUZZ_BUILD ?= $(BUILD)-fuzz
FUZZ_SECONDS ?= 600
fuzz-build: deps
	CC=clang CXX=clang++ cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPython_EXECUTABLE=$(PY) \
	  -DINFOGAP_FUZZ=ON -DINFOGAP_SANITIZE=address,undefined -DINFOGAP_BUILD_PYTHON=OFF -DBUILD_TESTING=OFF \
	  -DINFOGAP_WARNINGS_AS_ERRORS=OFF
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzz_scenario fuzz_csv_households fuzz_geojson_layer

fuzz: fuzz-build
	bash tests/fuzz/run_fuzz.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

fuzz-smoke: fuzz-build
	bash tests/fuzz/run_fuzz.sh $(FUZZ_BUILD) 20

bench: build
	$(PY) tests/benchmarks/run_all.py --build $(BUILD)

# The national set (≈27 M households, ≈1.5 GB, made once in NATIONAL_DIR): coverage, placement of
# 500 speakers + 100 teams and a run with every output, against the province run (not in `make test`).
NATIONAL_DIR ?= $(BUILD)/bench-national
bench-national: build
	$(PY) tests/benchmarks/bench_national.py --build $(BUILD) --data-dir $(NATIONAL_DIR)

format:
	clang-format -i $$(git ls-files '*.cpp' '*.hpp')

clean:
	rm -rf $(BUILD) $(BUILD)-asan $(BUILD)-fuzz
