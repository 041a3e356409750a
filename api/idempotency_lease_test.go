package api

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/parley-api/parley/store"
	"github.com/parley-api/parley/store/storetest"
)

// TestIdempotencyKeyReleasedOnPanic: a create that panics is a 500 and leaves its
// Idempotency-Key free, so that the client's retry runs (and is then replayed), instead
// of a 409 "still in progress" for as long as the key lives. No real handler panics on
// purpose, so one stands in for them behind the server's own middleware.
func TestIdempotencyKeyReleasedOnPanic(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		gin.SetMode(gin.ReleaseMode)
		r := gin.New()
		log := slog.New(slog.DiscardHandler)
		r.Use(recovery(log), problems(log), idempotency(s))
		var calls atomic.Int32
		r.POST("/api/v1/actors", func(c *gin.Context) {
			if calls.Add(1) == 1 {
				panic("a bug")
			}
			c.JSON(http.StatusCreated, gin.H{"call": calls.Load()})
		})
		srv := httptest.NewServer(r)
		defer srv.Close()
		send := func() (*http.Response, string) {
			req, _ := http.NewRequest("POST", srv.URL+"/api/v1/actors", strings.NewReader(`{"name":"Pekka Haavisto","kind":"person"}`))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Idempotency-Key", "haavisto-1")
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			b, err := io.ReadAll(res.Body)
			if err != nil {
				t.Fatal(err)
			}
			return res, string(b)
		}
		if res, body := send(); res.StatusCode != http.StatusInternalServerError {
			t.Fatalf("the panicking create: %d %s", res.StatusCode, body)
		}
		res, body := send()
		if res.StatusCode != http.StatusCreated || res.Header.Get("Idempotency-Replayed") != "" {
			t.Fatalf("the retry after a panic: %d %s (replayed %q), want it run", res.StatusCode, body, res.Header.Get("Idempotency-Replayed"))
		}
		again, replay := send()
		if again.StatusCode != http.StatusCreated || again.Header.Get("Idempotency-Replayed") != "true" || replay != body || calls.Load() != 2 {
			t.Fatalf("the next retry: %d %s (replayed %q, %d runs), want the answer replayed", again.StatusCode, replay, again.Header.Get("Idempotency-Replayed"), calls.Load())
		}
	})
}
