package api_test

import (
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/parley-api/parley/models"
)

// TestIdempotencyKey retries creates as a client on a bad network would: a retry gets
// the first answer instead of a duplicate, another body with the same key is refused,
// keys are per API key, and a failed attempt can be retried.
func TestIdempotencyKey(t *testing.T) {
	t.Parallel()
	each(t, false, func(t *testing.T, c *client) {
		body := `{"name":"Jonas Gahr Støre","kind":"person","country":"NO"}`
		first := c.do("POST", "/api/v1/actors", body, "Idempotency-Key", "create-store-1")
		var a models.Actor
		first.want(t, 201, &a)
		again := c.do("POST", "/api/v1/actors", body, "Idempotency-Key", "create-store-1")
		if again.Status != 201 || string(again.Body) != string(first.Body) || again.Header.Get("Idempotency-Replayed") != "true" ||
			again.Header.Get("ETag") != first.Header.Get("ETag") {
			t.Fatalf("retry: %d %s %v", again.Status, again.Body, again.Header)
		}
		if n := c.fingerprint()["actors"]; n != 1 {
			t.Fatalf("%d actors after a retried create", n)
		}
		p := c.do("POST", "/api/v1/actors", `{"name":"Someone Else","kind":"person"}`, "Idempotency-Key", "create-store-1").problem(t, 422)
		if !hasField(p, "Idempotency-Key") {
			t.Errorf("reuse with another body: %+v", p)
		}
		c.do("POST", "/api/v1/actors", body, "Idempotency-Key", strings.Repeat("k", 256)).problem(t, 400)
		c.do("POST", "/api/v1/actors", body, "Idempotency-Key", "tab\there").problem(t, 400)

		// A failed attempt keeps nothing: the retry, fixed, goes through.
		c.do("POST", "/api/v1/events", `{"title":"Oslo talks","type":"party","status":"held","date":"2026"}`, "Idempotency-Key", "oslo").problem(t, 422)
		c.do("POST", "/api/v1/events", `{"title":"Oslo talks","type":"meeting","status":"held","date":"2026"}`, "Idempotency-Key", "oslo").want(t, 201, nil)

		// Another API key's requests have keys of their own.
		_, other, err := c.st.CreateKey(t.Context(), "other client", models.ScopeWrite)
		if err != nil {
			t.Fatal(err)
		}
		var b models.Actor
		c.do("POST", "/api/v1/actors", `{"name":"Erna Solberg","kind":"person"}`, "Idempotency-Key", "create-store-1", "Authorization", "Bearer "+other).want(t, 201, &b)
		if b.ID == a.ID {
			t.Fatal("another API key's request replayed the first key's answer")
		}

		// Ten identical requests at once: one create; the others replay it or are told
		// the first is still running.
		const n = 10
		codes := make([]int, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				req, _ := http.NewRequest("POST", c.srv.URL+"/api/v1/actors", strings.NewReader(`{"name":"Espen Barth Eide","kind":"person"}`))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+c.key)
				req.Header.Set("Idempotency-Key", "eide")
				res, err := c.srv.Client().Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				res.Body.Close()
				codes[i] = res.StatusCode
			}()
		}
		wg.Wait()
		for _, code := range codes {
			if code != 201 && code != 409 {
				t.Errorf("concurrent retries: %v", codes)
				break
			}
		}
		if n := c.fingerprint()["actors"]; n != 3 {
			t.Errorf("%d actors, want 3: concurrent retries made duplicates (%v)", n, codes)
		}
	})
}
