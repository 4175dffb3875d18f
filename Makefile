# flowgate — two commands do everything: `make run` and `make test`.
CARGO ?= cargo

.PHONY: run test build release bench clean

## Build and start the server with the demo on ./flowgate-data, 127.0.0.1:13000.
run:
	$(CARGO) run --release --bin flowgate -- serve --demo

## Every unit and HTTP integration test (what .ci/run calls).
test:
	$(CARGO) test --no-fail-fast -- --test-threads=2

build:
	$(CARGO) build

release:
	$(CARGO) build --release

## Release build, then the load benchmark (operations.md §6). Prints figures; exits 0 unless it breaks.
bench: release
	$(CARGO) run --release --bin flowgate-bench

clean:
	$(CARGO) clean
