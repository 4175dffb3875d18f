# flowgate — two commands do everything: `make run` and `make test`.
CARGO ?= cargo

.PHONY: run test test-peer build release bench clean

## Build and start the server with the demo on ./flowgate-data, 127.0.0.1:13000.
run:
	$(CARGO) run --release --bin flowgate -- serve --demo

## Every unit and HTTP integration test (what .ci/run calls).
test:
	$(CARGO) test --no-fail-fast -- --test-threads=2

## The cases that need a live NocoBase 2.x (bridge.md 20-29): start ../shared/nocobase-peer first.
## PEER defaults to its port 13100; PEER_ACCOUNT / PEER_PASSWORD to its root account.
PEER ?= http://127.0.0.1:13100
PEER_ACCOUNT ?= admin@nocobase.com
PEER_PASSWORD ?= admin123
test-peer:
	FLOWGATE_PEER_URL=$(PEER) FLOWGATE_PEER_ACCOUNT=$(PEER_ACCOUNT) FLOWGATE_PEER_PASSWORD=$(PEER_PASSWORD) \
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
