package api

import (
	"context"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-contrib/cors"
	"github.com/gin-gonic/gin"
	"github.com/parley-api/parley/models"
	"golang.org/x/time/rate"
)

// securityHeaders sets the headers every response should carry. The API's JSON gets a
// policy that forbids any active content and framing; the Swagger UI (the only HTML
// parley serves) needs its own scripts, so it gets only the generic headers.
func securityHeaders() gin.HandlerFunc {
	return func(c *gin.Context) {
		h := c.Writer.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		if !strings.HasPrefix(c.Request.URL.Path, "/swagger/") {
			h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
		}
		c.Next()
	}
}

// requestTimeout cancels an API request's context after d, so its database work stops
// rather than running on for a client that has long given up. The export and import
// stream for as long as the data takes and are left alone.
func requestTimeout(d time.Duration) gin.HandlerFunc {
	return func(c *gin.Context) {
		route := c.FullPath()
		if d <= 0 || !strings.HasPrefix(route, "/api/") || strings.HasPrefix(route, "/api/v1/export") || route == "/api/v1/import" {
			c.Next()
			return
		}
		ctx, cancel := context.WithTimeout(c.Request.Context(), d)
		defer cancel()
		c.Request = c.Request.WithContext(ctx)
		c.Next()
	}
}

// corsPolicy lets the browser pages of the listed origins call the API ("*" for any);
// without origins it adds nothing, and browsers keep to the same origin.
func corsPolicy(origins []string) gin.HandlerFunc {
	if len(origins) == 0 {
		return func(c *gin.Context) { c.Next() }
	}
	cfg := cors.Config{
		AllowMethods:  []string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"},
		AllowHeaders:  []string{"Authorization", "Content-Type", "If-Match", "If-None-Match", "Idempotency-Key", "X-Request-Id"},
		ExposeHeaders: []string{"ETag", "Link", "Location", "Retry-After", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "X-Parley-Version", "X-Request-Id"},
		MaxAge:        10 * time.Minute,
	}
	if len(origins) == 1 && origins[0] == "*" {
		cfg.AllowAllOrigins = true
	} else {
		cfg.AllowOrigins = origins
	}
	return cors.New(cfg)
}

// limiter keeps one token bucket per client: per API key when the request has one,
// else per client address (which trusts X-Forwarded-For only from configured proxies, so
// rotating that header cannot buy a fresh bucket).
type limiter struct {
	rate  rate.Limit
	burst int
	mu    sync.Mutex
	seen  map[string]*bucket
	swept time.Time
}

type bucket struct {
	lim  *rate.Limiter
	last time.Time
}

// idleBucket is how long an unused bucket is kept; a full one is the same as a new one.
const idleBucket = 10 * time.Minute

func newLimiter(perSecond float64, burst int) *limiter {
	if burst < 1 {
		burst = max(1, int(math.Ceil(perSecond)))
	}
	return &limiter{rate: rate.Limit(perSecond), burst: burst, seen: map[string]*bucket{}, swept: time.Now()}
}

func (l *limiter) bucket(client string, now time.Time) *rate.Limiter {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) > idleBucket {
		for k, b := range l.seen {
			if now.Sub(b.last) > idleBucket {
				delete(l.seen, k)
			}
		}
		l.swept = now
	}
	b := l.seen[client]
	if b == nil {
		b = &bucket{lim: rate.NewLimiter(l.rate, l.burst)}
		l.seen[client] = b
	}
	b.last = now
	return b.lim
}

// middleware answers 429 with Retry-After when the client's bucket is empty, and tells
// every client its budget in the RateLimit-* headers (IETF draft). Health, metrics and
// the documents are not limited.
func (l *limiter) middleware() gin.HandlerFunc {
	return func(c *gin.Context) {
		if !strings.HasPrefix(c.FullPath(), "/api/") {
			c.Next()
			return
		}
		client := "ip:" + c.ClientIP()
		if k := keyOf(c); k != nil {
			client = "key:" + k.ID.String()
		}
		now := time.Now()
		b := l.bucket(client, now)
		h := c.Writer.Header()
		h.Set("RateLimit-Limit", strconv.Itoa(l.burst))
		if !b.AllowN(now, 1) {
			wait := b.ReserveN(now, 1)
			delay := wait.DelayFrom(now)
			wait.CancelAt(now)
			secs := strconv.Itoa(int(math.Ceil(delay.Seconds())))
			h.Set("RateLimit-Remaining", "0")
			h.Set("RateLimit-Reset", secs)
			h.Set("Retry-After", secs)
			fail(c, models.Errorf(models.ETOOMANY, "over the rate limit of %g requests per second (bursts of %d); retry in %s s", float64(l.rate), l.burst, secs))
			return
		}
		tokens := b.TokensAt(now)
		h.Set("RateLimit-Remaining", strconv.Itoa(int(math.Max(0, math.Floor(tokens)))))
		h.Set("RateLimit-Reset", strconv.Itoa(int(math.Ceil((float64(l.burst)-tokens)/float64(l.rate)))))
		c.Next()
	}
}
