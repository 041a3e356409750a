package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// requestTimeout bounds one request or query of a read workload.
const requestTimeout = 3 * time.Minute

// sample is what one side measured: the units (requests, or events of whole exports
// and imports) done successfully, the latencies of the requests or runs, the time taken
// and the failures.
type sample struct {
	ok        int
	latencies []time.Duration
	elapsed   time.Duration
	errors    int
	firstErr  string
}

func (s *sample) add(o sample) {
	s.ok += o.ok
	s.latencies = append(s.latencies, o.latencies...)
	s.elapsed += o.elapsed
	if s.firstErr == "" {
		s.firstErr = o.firstErr
	}
	s.errors += o.errors
}

func (s *sample) fail(msg string) {
	if s.errors == 0 && s.firstErr == "" {
		s.firstErr = msg
	}
	s.errors++
}

// rate is the successful units per second.
func (s *sample) rate() float64 {
	if s.elapsed <= 0 {
		return 0
	}
	return float64(s.ok) / s.elapsed.Seconds()
}

// percentile gives the p-th percentile (0 < p <= 100) of the latencies in ms.
func (s *sample) percentile(p float64) float64 {
	if len(s.latencies) == 0 {
		return 0
	}
	l := slices.Clone(s.latencies)
	slices.Sort(l)
	i := int(float64(len(l))*p/100+0.5) - 1
	i = max(0, min(i, len(l)-1))
	return float64(l[i].Microseconds()) / 1000
}

// measureRead checks that both sides answer the workload alike, then runs its rounds:
// parley, raw, parley, raw, …
func (e *env) measureRead(ctx context.Context, w readWorkload, clients int, o *options) (Result, error) {
	if err := e.prepare(ctx, &w); err != nil {
		return Result{}, err
	}
	if w.maxClients > 0 {
		clients = min(clients, w.maxClients)
	}
	var parley, raw sample
	if err := e.check(ctx, w); err != nil {
		// A workload that does not answer correctly is not measured: its error is the row.
		parley.fail(err.Error())
	} else {
		for range o.rounds {
			if err := ctx.Err(); err != nil {
				return Result{}, err
			}
			parley.add(e.attack(ctx, w, clients, o.duration))
			raw.add(e.rawLoop(ctx, w, clients, o.duration))
		}
	}
	return result(w.name, clients, &parley, &raw), nil
}

func result(name string, clients int, parley, raw *sample) Result {
	r := Result{Workload: name, Clients: clients, ParleyRPS: parley.rate(), RawRPS: raw.rate(),
		P50ms: parley.percentile(50), P99ms: parley.percentile(99), Errors: parley.errors + raw.errors}
	if r.RawRPS > 0 {
		r.Ratio = r.ParleyRPS / r.RawRPS
	}
	switch {
	case parley.firstErr != "":
		r.FirstError = "parley: " + parley.firstErr
	case raw.firstErr != "":
		r.FirstError = "raw: " + raw.firstErr
	}
	return r
}

// prepare fills in the second page's request from the first: parley's next_cursor, and
// the raw statement's key of the first page's last row.
func (e *env) prepare(ctx context.Context, w *readWorkload) error {
	if w.name != "list-hot-page2" {
		return nil
	}
	first := "/api/v1/events?" + url.Values{"actor": {e.hot}}.Encode()
	body, err := e.get(ctx, first)
	if err != nil {
		return err
	}
	var page struct {
		NextCursor string `json:"next_cursor"`
	}
	if err := json.Unmarshal(body, &page); err != nil {
		return err
	}
	if page.NextCursor == "" {
		return fmt.Errorf("%s has no second page: the data is too small", e.hot)
	}
	w.path = first + "&" + url.Values{"cursor": {page.NextCursor}}.Encode()
	var start time.Time
	var id [16]byte
	err = e.pool.QueryRow(ctx, `SELECT date_start, id FROM (`+actorPage+`) p ORDER BY date_start DESC, id DESC OFFSET 49 LIMIT 1`, e.ids[e.hot]).Scan(&start, &id)
	if err != nil {
		return fmt.Errorf("page 1's last row: %w", err)
	}
	w.args = []any{e.ids[e.hot], start, id}
	return nil
}

// get fetches a parley path and insists on a 200.
func (e *env) get(ctx context.Context, path string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, e.base+path, nil) // #nosec G704 -- e.base is the loopback server the harness started; path is one of its own workloads
	if err != nil {
		return nil, err
	}
	resp, err := e.client.Do(req) // #nosec G704 -- the harness's own loopback server (see above)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s: %s", path, resp.Status, truncate(body, 300))
	}
	return body, nil
}

// check runs the workload once on each side (also warming both up) and compares the
// number of items parley answered with the raw statement's rows.
func (e *env) check(ctx context.Context, w readWorkload) error {
	body, err := e.get(ctx, w.path)
	if err != nil {
		return err
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(body, &doc); err != nil {
		return fmt.Errorf("GET %s: %w", w.path, err)
	}
	items := 0
	for _, k := range w.counts {
		var xs []json.RawMessage
		if err := json.Unmarshal(doc[k], &xs); err != nil {
			return fmt.Errorf("GET %s: member %q: %w", w.path, k, err)
		}
		items += len(xs)
	}
	rows, err := e.rawOnce(ctx, w)
	if err != nil {
		return fmt.Errorf("raw: %w", err)
	}
	if w.rowCap > 0 {
		rows = min(rows, w.rowCap)
	}
	if rows != items {
		return fmt.Errorf("parley answered %d items, the raw statement %d rows", items, rows)
	}
	if items == 0 {
		return fmt.Errorf("GET %s answered no items: nothing to measure", w.path)
	}
	return nil
}

// rawOnce runs the workload's statement, reading every row, and returns their number.
func (e *env) rawOnce(ctx context.Context, w readWorkload) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	rows, err := e.pool.Query(ctx, w.sql, w.args...)
	if err != nil {
		return 0, err
	}
	n := 0
	for rows.Next() {
		_ = rows.RawValues()
		n++
	}
	rows.Close()
	return n, rows.Err()
}

// rawLoop runs the statement from clients goroutines back to back for d.
func (e *env) rawLoop(ctx context.Context, w readWorkload, clients int, d time.Duration) sample {
	var (
		mu  sync.Mutex
		out sample
		wg  sync.WaitGroup
	)
	start := time.Now()
	deadline := start.Add(d)
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine sample
			for time.Now().Before(deadline) && ctx.Err() == nil {
				t0 := time.Now()
				_, err := e.rawOnce(ctx, w)
				mine.latencies = append(mine.latencies, time.Since(t0))
				if err != nil {
					mine.fail(err.Error())
				} else {
					mine.ok++
				}
			}
			mu.Lock()
			out.add(mine)
			mu.Unlock()
		}()
	}
	wg.Wait()
	out.elapsed = time.Since(start)
	return out
}

// attack loads parley with vegeta: clients workers at the highest rate they reach, for d.
func (e *env) attack(ctx context.Context, w readWorkload, clients int, d time.Duration) sample {
	atk := vegeta.NewAttacker(vegeta.Workers(uint64(clients)), vegeta.MaxWorkers(uint64(clients)), // #nosec G115 -- clients is 1..1024
		vegeta.Connections(clients), vegeta.MaxConnections(clients), vegeta.KeepAlive(true),
		vegeta.Timeout(requestTimeout), vegeta.MaxBody(512), vegeta.HTTP2(false))
	tr := vegeta.NewStaticTargeter(vegeta.Target{Method: http.MethodGet, URL: e.base + w.path})
	stop := context.AfterFunc(ctx, func() { atk.Stop() })
	defer stop()
	var out sample
	start := time.Now()
	for res := range atk.Attack(tr, vegeta.Rate{Freq: 0}, d, w.name) {
		out.latencies = append(out.latencies, res.Latency)
		switch {
		case res.Code < 200 || res.Code > 299:
			out.fail(fmt.Sprintf("%d %s: %s", res.Code, res.Error, truncate(res.Body, 200)))
		case res.Error != "":
			out.fail(res.Error)
		default:
			out.ok++
		}
	}
	out.elapsed = time.Since(start)
	if err := ctx.Err(); err != nil && out.errors == 0 {
		out.fail(err.Error())
	}
	return out
}

func truncate(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}
