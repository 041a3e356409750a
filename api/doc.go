// Package api is parley's HTTP server: the router, the middleware (request id, logging,
// recovery, metrics, problem+json errors), the OpenAPI endpoints, and start with graceful
// shutdown. It wires handlers to the store and knows no SQL.
package api
