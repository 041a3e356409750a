package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
	"github.com/parley-api/parley/store/storetest"
)

// TestStreamingReplica runs parley on a primary and a real hot standby streaming from
// it (two clusters of its own, made with pg_createcluster and pg_basebackup -R). With
// the standby's replay paused, a write on the primary is invisible to the opted-in
// reads (lists, exports, networks), which therefore come from the standby, and visible
// to everything else: the write's own answer, a GET by id, a new API key's look-up, a
// revoked key's, an Idempotency-Key's replay. A request that writes reads its writes.
// A store with a short lag bound skips the paused standby once the bound passes, and
// serves it again once it catches up; a stopped standby is skipped without a failed
// request.
func TestStreamingReplica(t *testing.T) {
	t.Parallel()
	primary, standby := storetest.StreamingReplica(t)
	ctx := context.Background()
	open := func(maxLag time.Duration) *store.Store {
		s, err := store.Open(ctx, primary.URL(), store.Options{ReadReplicas: []string{standby.URL()},
			ReplicaMaxLag: maxLag, ReplicaCheckInterval: 50 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = s.Close() })
		return s
	}
	s := open(time.Hour)       // the standby stays fit while paused
	short := open(time.Second) // the standby is skipped a second after it stops replaying
	if _, err := s.MigrateUp(ctx); err != nil {
		t.Fatal(err)
	}
	c := serveClient(t, s, nil) // its admin key is written on the primary
	storetest.WaitReplayed(t, primary, standby)
	waitFit(t, s, true, "")
	waitFit(t, short, true, "")

	standby.Exec("SELECT pg_wal_replay_pause()")
	var made models.Actor
	c.do(http.MethodPost, "/api/v1/actors", map[string]any{"name": "Lagging Envoy", "kind": "person"}).want(t, http.StatusCreated, &made)
	if made.Slug != "lagging-envoy" {
		t.Fatalf("created %+v", made)
	}
	// The primary serves everything that did not opt in.
	c.get("/api/v1/actors/"+made.ID.String()).want(t, http.StatusOK, nil)
	c.get("/api/v1/actors/lagging-envoy").want(t, http.StatusOK, nil)
	// The opted-in reads come from the paused standby.
	if body := string(c.get("/api/v1/actors?limit=100").want(t, http.StatusOK, nil).Body); strings.Contains(body, "lagging-envoy") {
		t.Fatal("the list read the primary: it shows the actor the paused standby has not replayed")
	}
	if body := string(c.get("/api/v1/export/bundle").want(t, http.StatusOK, nil).Body); strings.Contains(body, "lagging-envoy") {
		t.Fatal("the bundle export read the primary")
	}
	c.get("/api/v1/actors/lagging-envoy/network").want(t, http.StatusNotFound, nil)

	// API keys are looked up on the primary: a new key works at once, a revoked one fails
	// at once, on a write and on an opted-in read alike.
	var key struct {
		Key string `json:"secret"`
		ID  string `json:"id"`
	}
	c.do(http.MethodPost, "/api/v1/keys", map[string]any{"name": "fresh", "scope": "write"}).want(t, http.StatusCreated, &key)
	if key.Key == "" || key.ID == "" {
		t.Fatalf("key answer %+v", key)
	}
	c.do(http.MethodPost, "/api/v1/actors", map[string]any{"name": "Fresh Key Envoy", "kind": "person"},
		"Authorization", "Bearer "+key.Key).want(t, http.StatusCreated, nil)
	c.do(http.MethodDelete, "/api/v1/keys/"+key.ID, nil).want(t, http.StatusOK, nil)
	c.do(http.MethodPost, "/api/v1/actors", map[string]any{"name": "Revoked Key Envoy", "kind": "person"},
		"Authorization", "Bearer "+key.Key).want(t, http.StatusUnauthorized, nil)
	c.do(http.MethodGet, "/api/v1/actors", nil, "Authorization", "Bearer "+key.Key).want(t, http.StatusUnauthorized, nil)

	// An Idempotency-Key's claim and replay read the primary: the retry is answered
	// with the first answer, not a second actor or a conflict.
	var first, again models.Actor
	body := map[string]any{"name": "Retried Envoy", "kind": "person"}
	c.do(http.MethodPost, "/api/v1/actors", body, "Idempotency-Key", "replica-retry-1").want(t, http.StatusCreated, &first)
	r := c.do(http.MethodPost, "/api/v1/actors", body, "Idempotency-Key", "replica-retry-1").want(t, http.StatusCreated, &again)
	if r.Header.Get("Idempotency-Replayed") != "true" || again.ID != first.ID {
		t.Fatalf("retry: replayed=%q, ids %s and %s", r.Header.Get("Idempotency-Replayed"), first.ID, again.ID)
	}

	// A request that opted in and then writes reads its write (from the primary).
	rctx, done := s.ReplicaReads(ctx)
	before, err := s.ListActors(rctx, store.ActorFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if hasSlug(before.Items, "lagging-envoy") {
		t.Fatal("opted-in store read came from the primary")
	}
	if err := s.CreateActor(rctx, &models.Actor{Name: "Own Write Envoy", Kind: models.ActorPerson}); err != nil {
		t.Fatal(err)
	}
	after, err := s.ListActors(rctx, store.ActorFilter{Limit: 100})
	done()
	if err != nil {
		t.Fatal(err)
	}
	if !hasSlug(after.Items, "own-write-envoy") || !hasSlug(after.Items, "lagging-envoy") {
		t.Fatal("after its write, the request still read the standby")
	}

	// Past the lag bound the standby is skipped: the short-bound store's opted-in reads
	// see the primary; the long-bound store still reads the standby.
	waitFit(t, short, false, "")
	sctx, sdone := short.ReplicaReads(ctx)
	got, err := short.ListActors(sctx, store.ActorFilter{Limit: 100})
	sdone()
	if err != nil || !hasSlug(got.Items, "lagging-envoy") {
		t.Fatalf("a standby past the lag bound served a read: %v", err)
	}
	if !s.ReplicaStatus()[0].Fit {
		t.Fatalf("the long bound skipped the standby: %+v", s.ReplicaStatus())
	}

	// Caught up, it serves again.
	standby.Exec("SELECT pg_wal_replay_resume()")
	storetest.WaitReplayed(t, primary, standby)
	waitFit(t, short, true, "")
	if body := string(c.get("/api/v1/actors?limit=100").want(t, http.StatusOK, nil).Body); !strings.Contains(body, "lagging-envoy") {
		t.Fatal("the standby caught up, but the list still lacks the actor")
	}

	// A stopped standby costs no request: the first read that finds it gone goes to
	// the primary and skips it; the checks then keep it skipped.
	standby.Stop()
	for i := range 5 {
		if body := string(c.get("/api/v1/actors?limit=100").want(t, http.StatusOK, nil).Body); !strings.Contains(body, "own-write-envoy") {
			t.Fatalf("read %d with the standby down lacks the actor", i)
		}
		c.get("/api/v1/stats/events?interval=year").want(t, http.StatusOK, nil)
	}
	waitFit(t, s, false, "does not answer")
}

// waitFit waits until the store's only replica's fitness is fit (and, when unfit, its
// reason contains reason).
func waitFit(t *testing.T, s *store.Store, fit bool, reason string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		st := s.ReplicaStatus()
		if len(st) == 1 && st[0].Fit == fit && strings.Contains(st[0].Reason, reason) {
			return
		}
		if time.Now().After(deadline) {
			j, _ := json.Marshal(st)
			t.Fatalf("replica fit=%v (%q) not reached: %s", fit, reason, j)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func hasSlug(actors []models.Actor, slug string) bool {
	for _, a := range actors {
		if a.Slug == slug {
			return true
		}
	}
	return false
}
