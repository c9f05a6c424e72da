# infogap: `make demo` and `make test` install what is missing, build, and run.
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPython_EXECUTABLE=/usr/bin/python3
PY := /usr/bin/python3
DEMO_OUT ?= infogap-demo

.PHONY: all deps build demo test test-quick test-sanitize bench format clean

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

test-sanitize: deps
	cmake -S . -B $(BUILD)-asan -DCMAKE_BUILD_TYPE=Debug -DINFOGAP_SANITIZE=address,undefined -DINFOGAP_BUILD_PYTHON=OFF
	cmake --build $(BUILD)-asan -j $(JOBS)
	cd $(BUILD)-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j $(JOBS) -L unit

bench: build
	$(PY) tests/benchmarks/run_all.py --build $(BUILD)

format:
	clang-format -i $$(git ls-files '*.cpp' '*.hpp')

clean:
	rm -rf $(BUILD) $(BUILD)-asan
