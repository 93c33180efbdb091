// Package server assembles kho's HTTP surface and runs it: the middleware
// every response goes through (request id, structured request log, panic
// recovery, security headers, body limit, Prometheus metrics), the JSON API,
// the reader's pages, and an http.Server with timeouts that drains on
// shutdown. cmd/kho and end-to-end tests build the same router with New.
package server
