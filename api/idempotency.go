package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/parley-api/parley/handlers"
	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
)

// idempotentRoutes are the creates an Idempotency-Key makes safe to retry: every kind's
// collection. Key creation is not among them: its answer holds a secret, which must not
// be stored.
var idempotentRoutes = func() map[string]bool {
	out := map[string]bool{}
	for _, k := range models.Kinds {
		out["/api/v1/"+k.Plural] = true
	}
	return out
}()

// replayedHeaders are the response headers a replay repeats.
var replayedHeaders = []string{"Content-Type", "Location", "ETag"}

// idempotency makes a POST create with an Idempotency-Key header safe to retry: the first
// request runs and its successful answer is kept for 24 hours (per API key); a retry
// with the same key and body gets that answer again, marked Idempotency-Replayed, instead
// of a duplicate; the same key with another body is a 422, and a retry while the first
// is still running a 409. A failed request keeps nothing, so it can be retried: the key
// is released in a defer, so a panic releases it too, and a key whose process died is
// free again once its lease (store.IdempotencyLease, or twice the request's time limit
// when that is longer) has run out.
func idempotency(st *store.Store) gin.HandlerFunc {
	return func(c *gin.Context) {
		key := c.GetHeader("Idempotency-Key")
		if key == "" || c.Request.Method != http.MethodPost || !idempotentRoutes[c.FullPath()] {
			c.Next()
			return
		}
		if len(key) > 255 || !printable(key) {
			fail(c, &models.Error{Code: models.EINVALID, Message: "invalid Idempotency-Key",
				Fields: []models.FieldError{{Field: "Idempotency-Key", Message: "must be 1 to 255 printable ASCII characters"}}})
			return
		}
		owner := "anonymous"
		if k := keyOf(c); k != nil {
			owner = k.ID.String()
		}
		body, err := io.ReadAll(io.LimitReader(c.Request.Body, handlers.MaxBodyBytes+1))
		if err != nil {
			fail(c, models.Errorf(models.EINVALID, "could not read the body"))
			return
		}
		c.Request.Body = io.NopCloser(bytes.NewReader(body))
		sum := sha256.Sum256([]byte(c.Request.Method + " " + c.Request.URL.Path + "\n" + string(body)))
		ctx := c.Request.Context()
		lease := store.IdempotencyLease
		if deadline, ok := ctx.Deadline(); ok {
			lease = max(lease, 2*time.Until(deadline))
		}
		stored, err := st.ClaimIdempotencyKey(ctx, owner, key, hex.EncodeToString(sum[:]), lease)
		if err != nil {
			fail(c, err)
			return
		}
		if stored != nil {
			for k, v := range stored.Header {
				c.Header(k, v)
			}
			c.Header("Idempotency-Replayed", "true")
			c.Data(stored.Status, stored.Header["Content-Type"], stored.Body)
			c.Abort()
			return
		}
		w := &capture{ResponseWriter: c.Writer}
		c.Writer = w
		finished := false
		// Deferred, so that a handler that panics releases its key on the way out. The
		// client may be gone (or the request timed out): that is when it retries, so the
		// outcome is recorded regardless, else the key would stay "in progress".
		defer func() {
			ctx := context.WithoutCancel(ctx)
			if status := w.Status(); finished && status >= 200 && status < 300 && len(c.Errors) == 0 {
				r := store.StoredResponse{Status: status, Header: map[string]string{}, Body: w.buf.Bytes()}
				for _, h := range replayedHeaders {
					if v := w.Header().Get(h); v != "" {
						r.Header[h] = v
					}
				}
				if err := st.CompleteIdempotencyKey(ctx, owner, key, r); err == nil {
					return
				}
			}
			_ = st.ReleaseIdempotencyKey(ctx, owner, key)
		}()
		c.Next()
		finished = true
	}
}

func printable(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// capture keeps a copy of the response body it passes on.
type capture struct {
	gin.ResponseWriter
	buf bytes.Buffer
}

func (w *capture) Write(b []byte) (int, error) {
	w.buf.Write(b)
	return w.ResponseWriter.Write(b)
}

func (w *capture) WriteString(s string) (int, error) {
	w.buf.WriteString(s)
	return w.ResponseWriter.WriteString(s)
}
