package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parley-api/parley/api"
	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
	"github.com/parley-api/parley/store/storetest"
)

// faultProxy stands between parley and PostgreSQL. Taking it down drops every
// connection and refuses new ones, as a database restart does, without touching the
// PostgreSQL that other tests share.
type faultProxy struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	down   bool
	conns  map[net.Conn]bool
}

func newFaultProxy(t *testing.T, target string) *faultProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &faultProxy{ln: ln, target: target, conns: map[net.Conn]bool{}}
	t.Cleanup(func() { ln.Close(); p.setDown(true) })
	go p.serve()
	return p
}

func (p *faultProxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		if p.down {
			p.mu.Unlock()
			c.Close()
			continue
		}
		up, err := net.Dial("tcp", p.target)
		if err != nil {
			p.mu.Unlock()
			c.Close()
			continue
		}
		p.conns[c], p.conns[up] = true, true
		p.mu.Unlock()
		go func() { _, _ = io.Copy(up, c); up.Close() }()
		go func() { _, _ = io.Copy(c, up); c.Close() }()
	}
}

func (p *faultProxy) setDown(down bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = down
	if down {
		for c := range p.conns {
			c.Close()
		}
		clear(p.conns)
	}
}

// TestDatabaseRestart runs a steady read and write load while the database goes away
// and comes back: meanwhile the API answers 503 problems (never a 500, never a hang
// past the client's patience), /readyz fails, and afterwards it serves again by itself;
// every write it acknowledged is there.
func TestDatabaseRestart(t *testing.T) {
	t.Parallel()
	raw := storetest.URL(t, store.Postgres)
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	proxy := newFaultProxy(t, u.Host)
	u.Host = proxy.ln.Addr().String()
	ctx := context.Background()
	st, err := store.Open(ctx, u.String(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.MigrateUp(ctx); err != nil {
		t.Fatal(err)
	}
	_, key, err := st.CreateKey(ctx, "load", models.ScopeWrite)
	if err != nil {
		t.Fatal(err)
	}
	h, err := api.New(st, nil, api.Options{RequestTimeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	client := &http.Client{Timeout: 20 * time.Second}

	var (
		mu       sync.Mutex
		acked    []string
		statuses = map[int]int{}
		seq      atomic.Int64
		stop     = make(chan struct{})
		wg       sync.WaitGroup
	)
	record := func(code int) {
		mu.Lock()
		statuses[code]++
		mu.Unlock()
	}
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				var req *http.Request
				if w%2 == 0 {
					body := fmt.Sprintf(`{"name":"Envoy %d","kind":"person"}`, seq.Add(1))
					req, _ = http.NewRequest("POST", srv.URL+"/api/v1/actors", strings.NewReader(body))
					req.Header.Set("Content-Type", "application/json")
					req.Header.Set("Authorization", "Bearer "+key)
				} else {
					req, _ = http.NewRequest("GET", srv.URL+"/api/v1/actors?limit=5", nil)
				}
				res, err := client.Do(req)
				if err != nil {
					t.Errorf("request failed outright: %v", err)
					return
				}
				var a models.Actor
				if res.StatusCode == http.StatusCreated {
					_ = json.NewDecoder(res.Body).Decode(&a)
					mu.Lock()
					acked = append(acked, a.ID.String())
					mu.Unlock()
				} else if res.StatusCode >= 500 && !strings.HasPrefix(res.Header.Get("Content-Type"), api.ProblemContentType) {
					t.Errorf("%d without a problem body", res.StatusCode)
				}
				res.Body.Close()
				record(res.StatusCode)
				time.Sleep(5 * time.Millisecond)
			}
		}()
	}
	ready := func() int {
		res, err := client.Get(srv.URL + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}

	time.Sleep(time.Second)
	proxy.setDown(true)
	time.Sleep(2 * time.Second)
	if code := ready(); code != http.StatusServiceUnavailable {
		t.Errorf("/readyz while the database is down: %d", code)
	}
	mu.Lock()
	during := statuses[http.StatusServiceUnavailable]
	mu.Unlock()
	proxy.setDown(false)
	back := time.Now()
	for ready() != http.StatusOK {
		if time.Since(back) > time.Minute {
			t.Fatal("the API did not serve again within a minute of the database's return")
		}
		time.Sleep(50 * time.Millisecond)
	}
	recovery := time.Since(back)
	time.Sleep(time.Second)
	close(stop)
	wg.Wait()

	t.Logf("statuses %v; 503s during the outage %d; ready again %v after the database returned; %d writes acknowledged", statuses, during, recovery.Round(time.Millisecond), len(acked))
	if during == 0 {
		t.Error("no 503 while the database was down")
	}
	for code := range statuses {
		if code != http.StatusOK && code != http.StatusCreated && code != http.StatusServiceUnavailable {
			t.Errorf("%d answers with status %d", statuses[code], code)
		}
	}
	if len(acked) == 0 {
		t.Fatal("no write was acknowledged")
	}
	for _, id := range acked {
		if _, err := st.GetActor(ctx, id); err != nil {
			t.Errorf("acknowledged actor %s is gone: %v", id, err)
		}
	}
}
