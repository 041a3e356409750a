package api

import (
	"context"
	"crypto/sha256"
	"math"
	"slices"
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
		if d <= 0 || !strings.HasPrefix(route, "/api/") || streaming(route) {
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
		ExposeHeaders: []string{"ETag", "Link", "Location", "Retry-After", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "Parley-Total-Edges", "X-Parley-Version", "X-Request-Id"},
		MaxAge:        10 * time.Minute,
	}
	if len(origins) == 1 && origins[0] == "*" {
		cfg.AllowAllOrigins = true
		return cors.New(cfg)
	}
	cfg.AllowOrigins = origins
	allowed := cors.New(cfg)
	return func(c *gin.Context) {
		// gin-contrib/cors refuses a foreign origin with an empty 403; parley answers with
		// the same problem+json as every other refusal. Same-origin requests that carry an
		// Origin are not cross-origin, as the library also holds.
		origin := c.GetHeader("Origin")
		if origin != "" && origin != "http://"+c.Request.Host && origin != "https://"+c.Request.Host && !slices.Contains(origins, origin) {
			fail(c, models.Errorf(models.EFORBIDDEN, "the origin %s may not call this API from a browser (allowed: %s)", origin, strings.Join(origins, ", ")))
			return
		}
		allowed(c)
	}
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
	// good holds the hashes of keys recently accepted, so that a known key still gets
	// through (to authentication, which checks it again) from an address whose bucket
	// others have emptied, while guessed keys from there cost no database look-up.
	good map[[sha256.Size]byte]time.Time
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
	return &limiter{rate: rate.Limit(perSecond), burst: burst, seen: map[string]*bucket{}, swept: time.Now(),
		good: map[[sha256.Size]byte]time.Time{}}
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
		for k, at := range l.good {
			if now.Sub(at) > idleBucket {
				delete(l.good, k)
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

// before runs ahead of authentication and of any database work, so that a client over
// its budget costs nothing: a request without a key takes a token from its address's
// bucket or gets 429; a request with a key only needs the address's bucket not to be
// empty (the key's own bucket is charged once the key is known, by afterAuth), and is
// charged to the address when its key is refused, so that guessing keys counts against
// the client. Health, metrics and the documents are not limited.
func (l *limiter) before() gin.HandlerFunc {
	return func(c *gin.Context) {
		if !strings.HasPrefix(c.FullPath(), "/api/") {
			c.Next()
			return
		}
		now := time.Now()
		ip := l.bucket("ip:"+c.ClientIP(), now)
		if c.GetHeader("Authorization") == "" {
			l.charge(c, ip, now)
			return
		}
		if ip.TokensAt(now) < 1 && !l.known(c.GetHeader("Authorization"), now) {
			l.charge(c, ip, now) // refuses, with the headers
			return
		}
		c.Next()
		if keyOf(c) == nil && c.Writer.Header().Get("WWW-Authenticate") != "" {
			ip.AllowN(now, 1) // the key was refused
		}
	}
}

// afterAuth charges a request made with a valid key to the key's own bucket, so that a
// key spread over many addresses has one budget.
func (l *limiter) afterAuth() gin.HandlerFunc {
	return func(c *gin.Context) {
		k := keyOf(c)
		if k == nil || !strings.HasPrefix(c.FullPath(), "/api/") {
			c.Next()
			return
		}
		now := time.Now()
		l.mu.Lock()
		l.good[sha256.Sum256([]byte(c.GetHeader("Authorization")))] = now
		l.mu.Unlock()
		l.charge(c, l.bucket("key:"+k.ID.String(), now), now)
	}
}

// known reports whether the Authorization header carried a key accepted in the last
// idleBucket.
func (l *limiter) known(authorization string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	at, ok := l.good[sha256.Sum256([]byte(authorization))]
	return ok && now.Sub(at) <= idleBucket
}

// charge takes a token from b and goes on, or answers 429 with Retry-After; either way
// it tells the client its budget in the RateLimit-* headers (IETF draft).
func (l *limiter) charge(c *gin.Context, b *rate.Limiter, now time.Time) {
	h := c.Writer.Header()
	h.Set("RateLimit-Limit", strconv.Itoa(l.burst))
	if !b.AllowN(now, 1) {
		wait := b.ReserveN(now, 1)
		delay := wait.DelayFrom(now)
		wait.CancelAt(now)
		secs := strconv.Itoa(max(1, int(math.Ceil(delay.Seconds()))))
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

// admission bounds the work in flight before any of it reaches the database. Each
// client (address) may have perClient API requests running at once; more is a 429 with
// Retry-After. All clients together may have total requests (but the streaming export
// and import) running at once, the size of the connection pool: a request waits at most
// queueWait for a place, then gets a retryable 503, so that clients queue here, briefly,
// and never for a whole request timeout inside the pool. Zero turns a bound off.
type admission struct {
	perClient int
	total     chan struct{}
	queueWait time.Duration
	mu        sync.Mutex
	running   map[string]int
}

func newAdmission(perClient, total int, queueWait time.Duration) *admission {
	a := &admission{perClient: perClient, queueWait: queueWait, running: map[string]int{}}
	if total > 0 {
		a.total = make(chan struct{}, total)
	}
	return a
}

func (a *admission) middleware() gin.HandlerFunc {
	return func(c *gin.Context) {
		route := c.FullPath()
		if !strings.HasPrefix(route, "/api/") {
			c.Next()
			return
		}
		if a.perClient > 0 {
			client := c.ClientIP()
			a.mu.Lock()
			n := a.running[client]
			if n >= a.perClient {
				a.mu.Unlock()
				c.Header("Retry-After", "1")
				fail(c, models.Errorf(models.ETOOMANY, "%d requests of this client are already running; at most %d may run at once", n, a.perClient))
				return
			}
			a.running[client] = n + 1
			a.mu.Unlock()
			defer func() {
				a.mu.Lock()
				if a.running[client]--; a.running[client] <= 0 {
					delete(a.running, client)
				}
				a.mu.Unlock()
			}()
		}
		if a.total != nil && !streaming(route) {
			t := time.NewTimer(a.queueWait)
			select {
			case a.total <- struct{}{}:
				t.Stop()
				defer func() { <-a.total }()
			case <-t.C:
				c.Header("Retry-After", "1")
				fail(c, models.Errorf(models.EUNAVAILABLE, "the server is at capacity (%d requests running); retry shortly", cap(a.total)))
				return
			case <-c.Request.Context().Done():
				t.Stop()
				fail(c, models.Errorf(models.EUNAVAILABLE, "the request was cancelled while waiting for capacity"))
				return
			}
		}
		c.Next()
	}
}

// streaming reports whether route is the export or import, which stream for as long as
// the data takes.
func streaming(route string) bool {
	return strings.HasPrefix(route, "/api/v1/export") || route == "/api/v1/import"
}
