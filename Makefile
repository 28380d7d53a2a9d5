# sgn: two commands do everything on a fresh Debian machine: `make run` and `make test`.
SHELL := /bin/bash
SWIFT ?= swift
PREFIX ?= /usr/local
DEBIAN_PACKAGES := liblapack-dev libopenblas-dev liblapacke-dev python3-venv
EXAMPLES := $(wildcard examples/*.json)

.PHONY: run test build setup install bench clean fuzz python-test format format-check

# Installs the LAPACK/BLAS development packages when any is missing (needs root or sudo).
setup:
	@missing=""; for p in $(DEBIAN_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "make: installing Debian packages:$$missing" >&2; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

# The release binary links the Swift standard library and Foundation statically, so it runs
# without the toolchain: its only runtime dependencies are Debian's LAPACK/BLAS libraries
# (README "Installing"; checked by scripts/check-relocatable.sh in `make test`).
build: setup
	$(SWIFT) build -c release --static-swift-stdlib

# Certifies every example: NDJSON certificates go to a file, the summary table to the terminal;
# then writes the SVG charts of every example into plots/ (git-ignored).
run: build
	@mkdir -p .build/run
	@./.build/release/sgn certify examples > .build/run/certificates.ndjson; code=$$?; \
	  echo "certificates: .build/run/certificates.ndjson (batch exit code $$code: some examples are meant not to certify)"; \
	  [ $$code -le 1 ]
	@./.build/release/sgn plot examples --output plots > .build/run/plots.txt 2> .build/run/plots.log; code=$$?; \
	  echo "plots: $$(wc -l < .build/run/plots.txt) SVG files in plots/ (trajectory, band, steps per example; skipped charts: .build/run/plots.log)"; \
	  [ $$code -eq 0 ]

test: setup format-check
	python3 scripts/check-layers.py
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	@python3 -c 'import jsonschema' 2>/dev/null || pip install -q jsonschema
	./.build/debug/sgn certify examples 2>/dev/null | python3 scripts/check-schema.py
	python3 scripts/check-game-schema.py $(EXAMPLES)
	python3 scripts/check-readme-session.py .build/debug/sgn
	$(MAKE) --no-print-directory install PREFIX=$(CURDIR)/.build/install-test
	scripts/check-relocatable.sh .build/install-test/bin/sgn
	./.build/debug/sgn certify examples/gambit --temperature 0.5 2>/dev/null | python3 scripts/check-schema.py

# The Swift sources are formatted by the toolchain's swift-format with the project's .swift-format
# (4-space indentation, 120 columns, one statement per line); `make test` fails on any deviation.
# swift-format does not break string literals or comments: scripts/check-line-length.py fails on
# any tracked .swift line over the configured width.
format:
	$(SWIFT) format format --in-place --recursive Sources Tests Fuzz Package.swift
format-check:
	$(SWIFT) format lint --strict --recursive Sources Tests Fuzz Package.swift
	python3 scripts/check-line-length.py

# Benchmark against the numpy/scipy reference (bench/): not part of `make test` or CI.
# BENCH_REPEAT=n sets the runs per cell; results in docs/benchmarks.generated.md.
bench: build
	python3 bench/run.py

install: build
	install -d $(PREFIX)/bin
	install -m 755 .build/release/sgn $(PREFIX)/bin/sgn

# libFuzzer over the game reader and certifier (Fuzz/, a separate package: never part of the
# normal build or CI). FUZZ_SECONDS bounds the run; findings land in .build-fuzz/artifacts/.
# One BLAS thread: busy-waiting OpenBLAS threads on a loaded machine trip the per-input timeout.
FUZZ_SECONDS ?= 60
fuzz: setup
	$(SWIFT) build -c release --package-path Fuzz --scratch-path .build-fuzz -Xswiftc -sanitize=fuzzer,address
	@mkdir -p .build-fuzz/corpus .build-fuzz/artifacts
	OPENBLAS_NUM_THREADS=1 ./.build-fuzz/release/SGNFuzz .build-fuzz/corpus Fuzz/corpus -dict=Fuzz/json.dict \
	  -max_total_time=$(FUZZ_SECONDS) -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
	  -artifact_prefix=.build-fuzz/artifacts/ -print_final_stats=1

clean:
	rm -rf .build

# The Python package (python/), part of `make test`: a virtual environment under .build
# (git-ignored) with numpy, jax (CPU), pytest and mypy, and cvxpy (cvxpy-base with the Clarabel
# solver: the test-only LMI oracle of the weighted rung, tests/test_lmi_oracle.py); the package is
# type-checked (mypy --strict) and its pytest suite runs against the debug binary. torch tests skip
# when torch is absent; pytest's exit code 5 (no tests collected) fails the target like any other
# non-zero code.
VENV := .build/venv
test: python-test
python-test: setup
	$(SWIFT) build
	@[ -x $(VENV)/bin/python ] || python3 -m venv $(VENV)
	@$(VENV)/bin/python -c 'import numpy, jax, pytest, mypy, jsonschema, cvxpy, clarabel' 2>/dev/null || $(VENV)/bin/pip install -q numpy 'jax[cpu]' pytest mypy jsonschema cvxpy-base clarabel
	$(VENV)/bin/pip install -q ./python
	cd python && ../$(VENV)/bin/python -m mypy src/sgn
	cd python && SGN_BINARY=$(CURDIR)/.build/debug/sgn ../$(VENV)/bin/python -m pytest -q tests
