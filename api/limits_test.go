package api_test

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parley-api/parley/api"
	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
	"github.com/parley-api/parley/store/storetest"
)

func handler(t *testing.T, s *store.Store, opt api.Options) http.Handler {
	t.Helper()
	h, err := api.New(s, nil, opt)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// request sends one request to h from remote (host:port) with header name/value pairs.
func request(h http.Handler, method, path, remote string, hdr ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, nil)
	req.RemoteAddr = remote
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// TestRateLimit spends a client's burst, then expects 429 with Retry-After and the
// RateLimit headers. X-Forwarded-For from an untrusted peer buys no fresh bucket; behind
// a trusted proxy each forwarded client, and each API key, has its own.
func TestRateLimit(t *testing.T) {
	t.Parallel()
	s := storetest.Open(t, store.SQLite)
	_, key, err := s.CreateKey(t.Context(), "limited", models.ScopeRead)
	if err != nil {
		t.Fatal(err)
	}
	// A refill rate so slow that no token comes back during the test.
	opt := api.Options{RateLimit: 0.001, RateBurst: 3, TrustedProxies: []string{"10.0.0.1"}}
	h := handler(t, s, opt)
	// The key is known (accepted once, from elsewhere) before this address runs dry.
	if rec := request(h, "GET", "/api/v1/actors", "192.0.2.99:1", "Authorization", "Bearer "+key); rec.Code != 200 {
		t.Fatalf("key: %d", rec.Code)
	}
	for i := range 3 {
		rec := request(h, "GET", "/api/v1/actors", "192.0.2.7:1234", "X-Forwarded-For", "198.51.100."+strconv.Itoa(i))
		if rec.Code != 200 || rec.Header().Get("RateLimit-Limit") != "3" || rec.Header().Get("RateLimit-Remaining") != strconv.Itoa(2-i) {
			t.Fatalf("request %d: %d, RateLimit-Remaining %q", i+1, rec.Code, rec.Header().Get("RateLimit-Remaining"))
		}
	}
	rec := request(h, "GET", "/api/v1/actors", "192.0.2.7:1234", "X-Forwarded-For", "203.0.113.9")
	retry, _ := strconv.Atoi(rec.Header().Get("Retry-After"))
	if rec.Code != http.StatusTooManyRequests || retry < 1 || rec.Header().Get("RateLimit-Remaining") != "0" ||
		!strings.HasPrefix(rec.Header().Get("Content-Type"), api.ProblemContentType) {
		t.Fatalf("over the limit: %d, Retry-After %q, headers %v", rec.Code, rec.Header().Get("Retry-After"), rec.Header())
	}
	if rec := request(h, "GET", "/healthz", "192.0.2.7:1234"); rec.Code != 200 {
		t.Errorf("health is limited: %d", rec.Code)
	}
	if rec := request(h, "GET", "/api/v1/actors", "192.0.2.7:1234", "Authorization", "Bearer "+key); rec.Code != 200 {
		t.Errorf("a known key shares the address's bucket: %d", rec.Code)
	}
	// Guessed keys from the emptied address are refused before any look-up.
	if rec := request(h, "GET", "/api/v1/actors", "192.0.2.7:1234", "Authorization", "Bearer parley_guess"); rec.Code != http.StatusTooManyRequests {
		t.Errorf("an unknown key from an emptied address: %d, want 429", rec.Code)
	}
	for i := range 4 {
		rec := request(h, "GET", "/api/v1/actors", "10.0.0.1:443", "X-Forwarded-For", "198.51.100.77")
		if want := map[bool]int{true: 200, false: 429}[i < 3]; rec.Code != want {
			t.Errorf("forwarded client, request %d: %d, want %d", i+1, rec.Code, want)
		}
	}
	if rec := request(h, "GET", "/api/v1/actors", "10.0.0.1:443", "X-Forwarded-For", "198.51.100.78"); rec.Code != 200 {
		t.Errorf("another forwarded client shares a bucket: %d", rec.Code)
	}
}

// TestResponseHeaders checks the security headers, and CORS for an allowed origin only.
func TestResponseHeaders(t *testing.T) {
	t.Parallel()
	s := storetest.Open(t, store.SQLite)
	h := handler(t, s, api.Options{CORSOrigins: []string{"https://newsroom.example"}})
	rec := request(h, "GET", "/api/v1/events", "192.0.2.1:1")
	for name, want := range map[string]string{
		"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY",
		"Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
	} {
		if got := rec.Header().Get(name); got != want {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}
	if rec := request(h, "GET", "/swagger/index.html", "192.0.2.1:1"); rec.Code != 200 || rec.Header().Get("Content-Security-Policy") != "" {
		t.Errorf("swagger UI: %d, CSP %q", rec.Code, rec.Header().Get("Content-Security-Policy"))
	}

	pre := request(h, "OPTIONS", "/api/v1/events", "192.0.2.1:1", "Origin", "https://newsroom.example",
		"Access-Control-Request-Method", "PATCH", "Access-Control-Request-Headers", "authorization,if-match")
	if pre.Code/100 != 2 || pre.Header().Get("Access-Control-Allow-Origin") != "https://newsroom.example" ||
		!strings.Contains(pre.Header().Get("Access-Control-Allow-Methods"), "PATCH") {
		t.Errorf("preflight: %d %v", pre.Code, pre.Header())
	}
	get := request(h, "GET", "/api/v1/events", "192.0.2.1:1", "Origin", "https://newsroom.example")
	if get.Header().Get("Access-Control-Allow-Origin") != "https://newsroom.example" || !strings.Contains(get.Header().Get("Access-Control-Expose-Headers"), "Etag") {
		t.Errorf("CORS GET: %v", get.Header())
	}
	for _, method := range []string{"GET", "OPTIONS", "POST"} {
		other := request(h, method, "/api/v1/events", "192.0.2.1:1", "Origin", "https://evil.example", "Access-Control-Request-Method", "GET")
		if other.Header().Get("Access-Control-Allow-Origin") != "" || other.Code != http.StatusForbidden ||
			!strings.HasPrefix(other.Header().Get("Content-Type"), api.ProblemContentType) || !strings.Contains(other.Body.String(), "evil.example") {
			t.Errorf("%s from a foreign origin: %d %v %s, want a 403 problem naming it", method, other.Code, other.Header(), other.Body)
		}
	}
	same := httptest.NewRequest("GET", "/api/v1/events", nil)
	same.Header.Set("Origin", "http://"+same.Host)
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, same)
	if rec.Code != 200 {
		t.Errorf("a same-origin request with Origin: %d", rec.Code)
	}
}

// TestRequestTimeout gives API requests a deadline that has passed before the database is
// asked: they fail fast with 503, while the streaming export is not cut short.
func TestRequestTimeout(t *testing.T) {
	t.Parallel()
	s := storetest.Open(t, store.SQLite)
	h := handler(t, s, api.Options{RequestTimeout: time.Nanosecond})
	rec := request(h, "GET", "/api/v1/events", "192.0.2.1:1")
	if rec.Code != http.StatusServiceUnavailable || !strings.HasPrefix(rec.Header().Get("Content-Type"), api.ProblemContentType) {
		t.Fatalf("timed-out request: %d %s", rec.Code, rec.Body)
	}
	if rec := request(h, "GET", "/api/v1/export?format=ndjson", "192.0.2.1:1"); rec.Code != 200 {
		t.Fatalf("export under the request timeout: %d", rec.Code)
	}
}
