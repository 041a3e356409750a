package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/parley-api/parley/api"
	"github.com/parley-api/parley/handlers"
	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/seed"
	"github.com/parley-api/parley/store"
	"github.com/parley-api/parley/store/storetest"
)

// client drives one test server over real HTTP and checks every response against the
// OpenAPI 3 document the server publishes, so the docs cannot drift from the code.
type client struct {
	t      *testing.T
	srv    *httptest.Server
	st     *store.Store
	router routers.Router
	// key is an admin key's secret, sent with every request that does not set its own
	// Authorization header (an empty value sends none).
	key string
}

var (
	specOnce sync.Once
	specDoc  *openapi3.T
	specErr  error
)

func loadSpec() (*openapi3.T, error) {
	specOnce.Do(func() {
		openapi3filter.RegisterBodyDecoder("application/problem+json", openapi3filter.JSONBodyDecoder)
		b, err := api.OpenAPI3()
		if err != nil {
			specErr = err
			return
		}
		specDoc, specErr = openapi3.NewLoader().LoadFromData(b)
		if specErr == nil {
			specErr = specDoc.Validate(context.Background())
		}
	})
	return specDoc, specErr
}

// each runs fn against a fresh server per database; seeded loads the built-in dataset.
func each(t *testing.T, seeded bool, fn func(t *testing.T, c *client)) {
	t.Helper()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		fn(t, newClient(t, s, seeded))
	})
}

func newClient(t *testing.T, s *store.Store, seeded bool) *client {
	t.Helper()
	if seeded {
		if _, err := seed.Load(context.Background(), s); err != nil {
			t.Fatalf("seed: %v", err)
		}
	}
	return serveClient(t, s, nil)
}

// serveClient starts a server over s that logs to log (nil: nowhere) and returns its client.
func serveClient(t *testing.T, s *store.Store, log *slog.Logger) *client {
	t.Helper()
	h, err := api.New(s, log, api.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	doc, err := loadSpec()
	if err != nil {
		t.Fatalf("openapi: %v", err)
	}
	// Route against a copy pointing at this server.
	local := *doc
	local.Servers = openapi3.Servers{{URL: srv.URL}}
	router, err := gorillamux.NewRouter(&local)
	if err != nil {
		t.Fatal(err)
	}
	_, key, err := s.CreateKey(context.Background(), "tests", models.ScopeAdmin)
	if err != nil {
		t.Fatal(err)
	}
	return &client{t: t, srv: srv, st: s, router: router, key: key}
}

type response struct {
	Status int
	Header http.Header
	Body   []byte
}

// do sends a request; body may be nil, a string or []byte (sent as is) or any value
// (JSON-encoded). hdr are name/value pairs.
func (c *client) do(method, path string, body any, hdr ...string) *response {
	c.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			c.t.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, c.srv.URL+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer "+c.key)
	if method == http.MethodPut || method == http.MethodPatch || method == http.MethodDelete {
		// Changes need If-Match; tests about something else overwrite knowingly. Tests of
		// the precondition pass their own (an empty value sends an empty header).
		req.Header.Set("If-Match", "*")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	if req.Header.Get("Authorization") == "" {
		req.Header.Del("Authorization")
	}
	res, err := c.srv.Client().Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	out, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	r := &response{Status: res.StatusCode, Header: res.Header, Body: out}
	c.validate(req, r)
	return r
}

// validate checks a response of a documented route against the spec: status documented,
// content type and body schema.
func (c *client) validate(req *http.Request, r *response) {
	c.t.Helper()
	vreq := req.Clone(context.Background())
	vreq.Body = http.NoBody
	route, params, err := c.router.FindRoute(vreq)
	if err != nil {
		return // an undocumented path, e.g. a 404 for a typo: the problem shape is checked by the tests
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: vreq, PathParams: params, Route: route},
		Status:                 r.Status,
		Header:                 r.Header,
		Options:                &openapi3filter.Options{IncludeResponseStatus: true},
	}
	in.SetBodyBytes(r.Body)
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" && mt != api.ProblemContentType {
		// A download (NDJSON, GEXF, CSV, …): check the status and headers only.
		in.Options.ExcludeResponseBody = true
	}
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		c.t.Errorf("%s %s -> %d does not match the OpenAPI document: %v\nbody: %.500s", req.Method, req.URL.Path, r.Status, err, r.Body)
	}
}

func (c *client) get(path string) *response { c.t.Helper(); return c.do(http.MethodGet, path, nil) }

// ok asserts the status and decodes the body into v (when v is not nil).
func (r *response) want(t *testing.T, status int, v any) *response {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d; body: %s", r.Status, status, r.Body)
	}
	if v != nil {
		if err := json.Unmarshal(r.Body, v); err != nil {
			t.Fatalf("decode %T: %v; body: %s", v, err, r.Body)
		}
	}
	return r
}

// problem asserts an RFC 9457 error with the status and returns it.
func (r *response) problem(t *testing.T, status int) handlers.Problem {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d; body: %s", r.Status, status, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, api.ProblemContentType) {
		t.Fatalf("Content-Type %q, want %s", ct, api.ProblemContentType)
	}
	var p handlers.Problem
	if err := json.Unmarshal(r.Body, &p); err != nil {
		t.Fatalf("problem body: %v: %s", err, r.Body)
	}
	if p.Status != status || p.Title == "" || !strings.HasPrefix(p.Type, "urn:parley:problem:") || p.Detail == "" {
		t.Fatalf("incomplete problem: %+v", p)
	}
	return p
}

func hasField(p handlers.Problem, field string) bool {
	for _, e := range p.Errors {
		if e.Field == field {
			return true
		}
	}
	return false
}

// fingerprint summarises the database, to prove a rejected request wrote nothing.
func (c *client) fingerprint() map[string]int64 {
	c.t.Helper()
	fp, err := c.st.Fingerprint(context.Background())
	if err != nil {
		c.t.Fatal(err)
	}
	return fp
}

func q(kv ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return "?" + v.Encode()
}
