package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/parley-api/parley/api"
	"github.com/parley-api/parley/handlers"
	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
	"github.com/parley-api/parley/store/storetest"
)

// hostileValues is a valid value, in the built-in dataset, for every repeatable query
// parameter. A repeatable parameter the OpenAPI document lists and this table lacks
// fails the test, so a new filter cannot escape the suite.
var hostileValues = map[string]string{
	"actor": "volodymyr-zelensky", "role": "participant", "country": "UA", "location": "abu-dhabi",
	"type": "meeting", "status": "held", "tag": "peace-talks", "source": "meduza-2026-01-23-first-trilateral-talks",
	"include": "participants", "kind": "person", "outlet": "Meduza", "speaker": "volodymyr-zelensky", "speaks_for": "tass",
	"quad_class": "1",
	"supports":   "date",
}

// hostileOverrides replaces a value of hostileValues on the routes whose path ends so:
// statements embed other things than events do.
var hostileOverrides = map[string]map[string]string{"/statements": {"include": "speaker"}}

// hostileIDs fills the path parameter of item routes.
var hostileIDs = map[string]string{
	"/api/v1/actors/": "volodymyr-zelensky", "/api/v1/events/": "abu-dhabi-trilateral-talks",
	"/api/v1/locations/": "abu-dhabi", "/api/v1/sources/": "meduza-2026-01-23-first-trilateral-talks",
}

// hostileRequired completes the endpoints that need a parameter of their own.
var hostileRequired = map[string]string{
	"/api/v1/stats/events": "?interval=year", "/api/v1/export": "?format=ndjson",
}

// repeated is name=value n times.
func repeated(name, value string, n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(name + "=" + value)
	}
	return b.String()
}

// hostileRoutes lists every GET route under /api/v1 with its path filled in, and the
// repeatable parameters the OpenAPI document gives anywhere.
func hostileRoutes(t *testing.T) (paths []string, documented []string) {
	t.Helper()
	h, err := api.New(storetest.Open(t, store.SQLite), nil, api.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range h.(*gin.Engine).Routes() {
		if r.Method != http.MethodGet || !strings.HasPrefix(r.Path, "/api/v1/") || strings.HasPrefix(r.Path, "/api/v1/statements/") {
			continue
		}
		p := r.Path
		for prefix, id := range hostileIDs {
			if strings.HasPrefix(p, prefix+":id") {
				p = prefix + id + strings.TrimPrefix(p, prefix+":id")
			}
		}
		// A kind without an entity of the built-in story gets an id that names nothing:
		// the caps are checked before the look-up.
		p = strings.Replace(p, ":id", models.NewID().String(), 1)
		paths = append(paths, p)
	}
	doc, err := loadSpec()
	if err != nil {
		t.Fatal(err)
	}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			for _, p := range op.Parameters {
				if v := p.Value; v != nil && v.In == "query" && v.Schema != nil && v.Schema.Value.Type.Is("array") {
					if v.Schema.Value.MaxItems == nil || *v.Schema.Value.MaxItems != handlers.MaxValues {
						t.Errorf("%s: the OpenAPI document does not give maxItems %d", v.Name, handlers.MaxValues)
					}
					if !slices.Contains(documented, v.Name) {
						documented = append(documented, v.Name)
					}
				}
			}
		}
	}
	slices.Sort(paths)
	return paths, documented
}

// TestHostileParameterCounts sends every repeatable parameter of every GET endpoint
// with 1 value, the cap, the cap + 1 and 10,000 values, on both databases. Which
// parameters an endpoint takes is found by asking it, not from a list: a parameter it
// does not know is a 400 naming it, a single-valued one a 400 when repeated. The first
// two counts answer 200; more is a 400 problem naming the parameter and the cap; nothing
// is a 5xx or slow, and nothing is written.
func TestHostileParameterCounts(t *testing.T) {
	t.Parallel()
	paths, documented := hostileRoutes(t)
	for _, name := range documented {
		if hostileValues[name] == "" {
			t.Fatalf("the repeatable parameter %q has no value in hostileValues", name)
		}
	}
	names := make([]string, 0, len(hostileValues))
	for name := range hostileValues {
		names = append(names, name)
	}
	slices.Sort(names)
	const bound = 5 * time.Second
	each(t, true, func(t *testing.T, c *client) {
		before := c.fingerprint()
		tested := 0
		send := func(path, query string) (*response, time.Duration) {
			sep := "?"
			if strings.Contains(path, "?") {
				sep = "&"
			}
			start := time.Now()
			r := c.get(path + sep + query)
			took := time.Since(start)
			if r.Status >= 500 || took > bound {
				t.Errorf("GET %s with %.80s…: %d in %v", path, query, r.Status, took)
			}
			return r, took
		}
		for _, path := range paths {
			path += hostileRequired[path]
			for _, name := range names {
				v := hostileValues[name]
				for suffix, o := range hostileOverrides {
					if strings.HasSuffix(path, suffix) && o[name] != "" {
						v = o[name]
					}
				}
				if r, _ := send(path, repeated(name, v, 2)); r.Status == http.StatusBadRequest {
					var p handlers.Problem
					_ = json.Unmarshal(r.Body, &p)
					if slices.ContainsFunc(p.Errors, func(e models.FieldError) bool {
						return e.Field == name && (strings.Contains(e.Message, "not a known parameter") || strings.Contains(e.Message, "must be given once"))
					}) {
						continue
					}
				}
				tested++
				if !documentedOn(t, path, name) {
					t.Errorf("GET %s takes %s, which the OpenAPI document does not list", path, name)
				}
				for _, n := range []int{1, handlers.MaxValues} {
					if r, _ := send(path, repeated(name, v, n)); r.Status != http.StatusOK {
						t.Errorf("GET %s with %d × %s: %d, want 200: %.300s", path, n, name, r.Status, r.Body)
					}
				}
				// As separate parameters and as one comma-separated value.
				over := []string{repeated(name, v, handlers.MaxValues+1), name + "=" + strings.Repeat(v+",", handlers.MaxValues) + v}
				for _, query := range over {
					r, _ := send(path, query)
					p := r.problem(t, http.StatusBadRequest)
					if !hasField(p, name) || !strings.Contains(string(r.Body), fmt.Sprint(handlers.MaxValues)) {
						t.Errorf("GET %s with %d × %s: the problem does not name the parameter and the cap: %s", path, handlers.MaxValues+1, name, r.Body)
					}
				}
				r, _ := send(path, repeated(name, v, 10_000))
				if p := r.problem(t, http.StatusBadRequest); !hasField(p, "query") && !hasField(p, name) {
					t.Errorf("GET %s with 10,000 × %s: %s", path, name, r.Body)
				}
				if len(r.Body) > 64<<10 {
					t.Errorf("GET %s with 10,000 × %s: a %d-byte problem", path, name, len(r.Body))
				}
			}
		}
		if tested < 40 {
			t.Errorf("only %d endpoint × parameter pairs found; the probe is broken", tested)
		}
		t.Logf("%d endpoint × parameter pairs, each at 1, %d, %d and 10,000 values", tested, handlers.MaxValues, handlers.MaxValues+1)
		// A query string over the cap, of parameters each within theirs.
		long := "/api/v1/events?" + repeated("tag", strings.Repeat("x", 200), 45)
		if r := c.get(long); !hasField(r.problem(t, http.StatusBadRequest), "query") {
			t.Errorf("a %d-byte query string: %s", len(long), r.Body)
		}
		if after := c.fingerprint(); !mapsEqual(before, after) {
			t.Errorf("the database changed: %v -> %v", before, after)
		}
	})
}

// documentedOn reports whether the OpenAPI document lists the query parameter name on
// the GET operation that serves path.
func documentedOn(t *testing.T, path, name string) bool {
	t.Helper()
	doc, err := loadSpec()
	if err != nil {
		t.Fatal(err)
	}
	path, _, _ = strings.Cut(path, "?")
	for template, item := range doc.Paths.Map() {
		re := "^" + strings.ReplaceAll(regexp.QuoteMeta(regexp.MustCompile(`\{[^}]+\}`).ReplaceAllString(template, "ID")), "ID", "[^/]+") + "$"
		if item.Get == nil || !regexp.MustCompile(re).MatchString(path) {
			continue
		}
		for _, p := range item.Get.Parameters {
			if p.Value != nil && p.Value.In == "query" && p.Value.Name == name {
				return true
			}
		}
	}
	return false
}

func mapsEqual(a, b map[string]int64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// worstQuery is the most a request may ask of /graph within the caps: every repeatable
// filter at its cap, and tags that force the all-of sub-query to do real work.
func worstQuery(actors []string) string {
	var parts []string
	for i := range handlers.MaxValues {
		parts = append(parts, fmt.Sprintf("tag=t%d", i))
	}
	for _, a := range actors[:handlers.MaxValues] {
		parts = append(parts, "actor="+a)
	}
	parts = append(parts, "match=all", "country=UA", "country=RU", "type=meeting", "type=call")
	return strings.Join(parts, "&")
}

// TestPoolExhaustion runs 25 concurrent worst-case requests from 25 addresses against
// PostgreSQL with 2,000 events, with the limits parley serve sets, and then expects an
// ordinary request to answer within a second. Every answer is a 200, a 429 or a
// retryable 503; none is a 500 or takes the request timeout.
func TestPoolExhaustion(t *testing.T) {
	if testing.Short() {
		t.Skip("loads 2,000 events")
	}
	t.Parallel()
	ctx := context.Background()
	url := storetest.URL(t, store.Postgres)
	setup, err := store.Open(ctx, url, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := setup.MigrateUp(ctx); err != nil {
		t.Fatal(err)
	}
	_ = setup.Close()
	storetest.LoadScale(t, url, 2000)
	st, err := store.Open(ctx, url, store.Options{StatementTimeout: 30 * time.Second, MaxOpenConns: 20})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	h, err := api.New(st, nil, api.Options{RateLimit: 20, RateBurst: 40, ClientConcurrency: 8, MaxInFlight: 20,
		RequestTimeout: 30 * time.Second, TrustedProxies: []string{"127.0.0.1"}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	actors := make([]string, handlers.MaxValues)
	for i := range actors {
		actors[i] = fmt.Sprintf("actor-%d", i+1)
	}
	get := func(path, client string) (int, time.Duration) {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		req.Header.Set("X-Forwarded-For", client)
		start := time.Now()
		res, err := srv.Client().Do(req)
		if err != nil {
			t.Error(err)
			return 0, 0
		}
		_ = res.Body.Close()
		if res.StatusCode == http.StatusServiceUnavailable && res.Header.Get("Retry-After") == "" {
			t.Errorf("503 without Retry-After")
		}
		return res.StatusCode, time.Since(start)
	}
	worst := []string{"/api/v1/graph?", "/api/v1/events?", "/api/v1/stats/events?interval=day&group_by=actor&", "/api/v1/timeline?"}
	var wg sync.WaitGroup
	var mu sync.Mutex
	statuses := map[int]int{}
	var slowest time.Duration
	for i := range 25 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			code, took := get(worst[i%len(worst)]+worstQuery(actors), fmt.Sprintf("198.51.100.%d", i+1))
			mu.Lock()
			statuses[code]++
			slowest = max(slowest, took)
			mu.Unlock()
		}()
	}
	time.Sleep(50 * time.Millisecond)
	code, took := get("/api/v1/events?actor=actor-7&limit=20", "203.0.113.1")
	wg.Wait()
	t.Logf("25 worst-case requests: %v, slowest %v; an ordinary request meanwhile: %d in %v", statuses, slowest, code, took)
	if code != http.StatusOK || took > time.Second {
		t.Errorf("an ordinary request during the attack: %d in %v, want 200 within 1 s", code, took)
	}
	for s := range statuses {
		if s != http.StatusOK && s != http.StatusTooManyRequests && s != http.StatusServiceUnavailable {
			t.Errorf("worst-case requests: %v", statuses)
		}
	}
	if slowest > 10*time.Second {
		t.Errorf("the slowest worst-case request took %v", slowest)
	}
	// One client may not have more than 8 requests running: its 25 concurrent ones
	// get 429 beyond that, before any database work.
	statuses = map[int]int{}
	for i := range 25 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			code, _ := get(worst[i%len(worst)]+worstQuery(actors), "192.0.2.200")
			mu.Lock()
			statuses[code]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	if statuses[http.StatusOK]+statuses[http.StatusTooManyRequests] != 25 {
		t.Errorf("one client's 25 concurrent requests: %v", statuses)
	}
	t.Logf("one client's 25 concurrent worst-case requests: %v", statuses)
}

// TestAuthFailuresAreLimited sends 100 requests with unknown keys from one address:
// after the burst they get 429 without a key look-up, so guessing keys is rate-limited.
func TestAuthFailuresAreLimited(t *testing.T) {
	t.Parallel()
	s := storetest.Open(t, store.SQLite)
	h := handler(t, s, api.Options{RateLimit: 1, RateBurst: 10})
	counts := map[int]int{}
	for i := range 100 {
		rec := request(h, "GET", "/api/v1/events", "192.0.2.50:1", "Authorization", fmt.Sprintf("Bearer parley_guess%d", i))
		counts[rec.Code]++
	}
	if counts[http.StatusUnauthorized] > 11 || counts[http.StatusTooManyRequests] < 89 {
		t.Errorf("100 unknown keys: %v, want at most the burst (10) of 401 and the rest 429", counts)
	}
}

// TestHeadWhereverGet sends HEAD to every GET route: the same status and headers as
// GET, and no body.
func TestHeadWhereverGet(t *testing.T) {
	t.Parallel()
	paths, _ := hostileRoutes(t)
	paths = append(paths, "/healthz", "/readyz", "/metrics", "/openapi.json", "/swagger/index.html")
	each(t, true, func(t *testing.T, c *client) {
		for _, path := range paths {
			path += hostileRequired[path]
			get, head := c.get(path), c.do(http.MethodHead, path, nil)
			if head.Status != get.Status || len(head.Body) != 0 ||
				head.Header.Get("Content-Type") != get.Header.Get("Content-Type") {
				t.Errorf("HEAD %s: %d %q (%d bytes); GET: %d %q", path, head.Status, head.Header.Get("Content-Type"), len(head.Body), get.Status, get.Header.Get("Content-Type"))
			}
		}
	})
}
