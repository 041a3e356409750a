# parley: common tasks. CI runs `make ci` (= bash .ci/run).

GO      ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
# An admin URL: every PostgreSQL test creates and drops its own schema there.
PARLEY_TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable

.PHONY: build test test-pg docs web ci run clean

## build: the static binary ./parley (as in the Dockerfile)
build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "-s -w -X main.version=$(VERSION)" -o parley ./cmd/parley

## test: every test on SQLite (PostgreSQL tests skip without PARLEY_TEST_POSTGRES_URL)
test:
	$(GO) test ./...

## test-pg: every test on SQLite and PostgreSQL
test-pg:
	PARLEY_TEST_POSTGRES_URL='$(PARLEY_TEST_POSTGRES_URL)' $(GO) test -count=1 ./...

## docs: regenerate docs/ (the //go:generate line of cmd/parley/main.go)
docs:
	go generate ./cmd/parley

## web: rebuild the timeline viewer into web/dist (needs Node.js 20.19+; commit web/dist)
web:
	cd web && npm ci --no-audit --no-fund && npm run build

## ci: what CI runs: gofmt, vet, docs freshness, build, race tests on SQLite and PostgreSQL, smoke test
ci:
	bash .ci/run

## run: serve on :8080 with SQLite at ./parley.db
run:
	$(GO) run ./cmd/parley serve

clean:
	rm -f parley
