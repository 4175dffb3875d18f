# flowgate — two commands do everything: `make run` and `make test`.
CARGO ?= cargo

.PHONY: run test test-nocobase build release bench clean

## Build and start the server with the demo on ./flowgate-data, 127.0.0.1:13000.
run:
	$(CARGO) run --release --bin flowgate -- serve --demo

## Every unit and HTTP integration test (what .ci/run calls).
test:
	$(CARGO) test --no-fail-fast -- --test-threads=2

## The cases that need a live NocoBase 2.x (bridge.md 20-29): start ../shared/nocobase-peer first.
## NOCOBASE_URL defaults to its port 13100; NOCOBASE_ACCOUNT / NOCOBASE_PASSWORD to its root account.
NOCOBASE_URL ?= http://127.0.0.1:13100
NOCOBASE_ACCOUNT ?= admin@nocobase.com
NOCOBASE_PASSWORD ?= admin123
test-nocobase:
	NOCOBASE_URL=$(NOCOBASE_URL) NOCOBASE_ACCOUNT=$(NOCOBASE_ACCOUNT) NOCOBASE_PASSWORD=$(NOCOBASE_PASSWORD) \
		$(CARGO) test --test bridge_peer -- --nocapture

build:
	$(CARGO) build

release:
	$(CARGO) build --release

## Release build, then the load benchmark (operations.md §6). Prints figures; exits 0 unless it breaks.
bench: release
	$(CARGO) run --release --bin flowgate-bench

clean:
	$(CARGO) clean
