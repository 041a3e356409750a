package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"syscall"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/parley-api/parley/handlers"
	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	swaggerFiles "github.com/swaggo/files"
	ginSwagger "github.com/swaggo/gin-swagger"
)

// Options tune the server; the zero value serves with the defaults.
type Options struct {
	// MaxImportBytes caps the body of POST /import (0: DefaultMaxImportBytes).
	MaxImportBytes int64
	// PrivateReads makes reads need a key with the read scope (PARLEY_PUBLIC_READ=false).
	PrivateReads bool
	// RateLimit is each client's sustained requests per second (0: no limit), RateBurst
	// the most it may send at once.
	RateLimit float64
	RateBurst int
	// CORSOrigins are the browser origins allowed to call the API ("*": any).
	CORSOrigins []string
	// TrustedProxies are the proxy addresses (or CIDRs) whose X-Forwarded-For is believed;
	// from anyone else the connection's address is the client's.
	TrustedProxies []string
	// RequestTimeout bounds every API request but the streaming export and import (0:
	// none); the request's database work is cancelled with it.
	RequestTimeout time.Duration
	// ClientConcurrency is how many API requests one client (address) may have running
	// at once (0: no bound); more get 429.
	ClientConcurrency int
	// MaxInFlight is how many API requests, but the streaming export and import, may run
	// at once (0: no bound), usually the connection pool's size; a request waits at most
	// QueueWait (default 5 s) for a place, then gets a retryable 503.
	MaxInFlight int
	QueueWait   time.Duration
}

// DefaultQueueWait is how long a request waits for a place under MaxInFlight.
const DefaultQueueWait = 5 * time.Second

// DefaultMaxImportBytes is the import body cap when none is configured.
const DefaultMaxImportBytes = 1 << 30

// New builds parley's HTTP handler over st.
//
//	@title						parley API
//	@version					1.0
//	@description				Diplomatic events: who met whom, where, when, what they said, and which source says so. Errors are RFC 9457 application/problem+json. Every request's cost is bounded: a query string of at most 8192 bytes, at most 50 values per repeatable parameter (repeated or comma-separated); more is a 400 problem naming the parameter and the cap.
//	@license.name				MIT
//	@license.url				https://opensource.org/license/mit
//	@BasePath					/
//	@tag.name					revisions
//	@tag.description			Each entity's history, and the feed of every change to every entity, in order (to mirror parley).
//	@tag.name					research
//	@tag.description			Timelines, counts over time and the co-participation network of the events the /events filters select.
//	@tag.name					export
//	@tag.description			Events as downloads in research formats, and the lossless bundle of everything, which POST /import reads back.
//	@tag.name					keys
//	@tag.description			API keys (admin scope): make, list, revoke.
//	@tag.name					health
//	@tag.description			Liveness, readiness and metrics, for load balancers and monitoring: open to anyone.
//	@accept						json
//	@produce					json
func New(st *store.Store, log *slog.Logger, opt Options) (http.Handler, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.HandleMethodNotAllowed = true
	r.ContextWithFallback = true
	// gin believes X-Forwarded-For from anyone unless told otherwise.
	if err := r.SetTrustedProxies(opt.TrustedProxies); err != nil {
		return nil, fmt.Errorf("trusted proxies: %w", err)
	}

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m := newMetrics(reg)
	registerPool(reg, st)
	// recovery sits inside the access log and metrics, so that a panic is logged and
	// counted as the 500 it becomes.
	// The order is the cost order: whatever refuses a request cheaply (rate and
	// concurrency limits) runs before authentication, which looks the key up.
	r.Use(requestID(), accessLog(log), m.middleware(), recovery(log), problems(log), securityHeaders(),
		corsPolicy(opt.CORSOrigins))
	var lim *limiter
	if opt.RateLimit > 0 {
		lim = newLimiter(opt.RateLimit, opt.RateBurst)
		r.Use(lim.before())
	}
	if opt.ClientConcurrency > 0 || opt.MaxInFlight > 0 {
		wait := opt.QueueWait
		if wait <= 0 {
			wait = DefaultQueueWait
		}
		r.Use(newAdmission(opt.ClientConcurrency, opt.MaxInFlight, wait).middleware())
	}
	r.Use(requestTimeout(opt.RequestTimeout), authenticate(st, opt.PrivateReads))
	if lim != nil {
		r.Use(lim.afterAuth())
	}
	r.Use(idempotency(st), redirects(st))

	r.NoRoute(func(c *gin.Context) {
		writeProblem(c, models.Errorf(models.ENOTFOUND, "no such endpoint: %s", c.Request.URL.Path))
	})
	r.NoMethod(func(c *gin.Context) {
		writeProblem(c, &models.Error{Code: models.EMETHOD, Message: c.Request.Method + " is not allowed here"})
	})

	health := handlers.NewHealth(st)
	r.GET("/healthz", health.Live)
	r.HEAD("/healthz", health.Live)
	r.GET("/readyz", health.Ready)
	r.HEAD("/readyz", health.Ready)
	r.GET("/metrics", metricsHandler(reg))

	docs, err := documentsFor(opt.PrivateReads)
	if err != nil {
		return nil, err
	}
	r.GET("/openapi.json", func(c *gin.Context) { c.Data(http.StatusOK, "application/json", docs.openapi3) })
	// Swagger UI reads the OpenAPI 3 document: its Authorize dialog then takes the bare
	// key (HTTP bearer), and errors show as problem+json. doc.json is the Swagger 2 one.
	ui := ginSwagger.WrapHandler(swaggerFiles.Handler, ginSwagger.URL("/openapi.json"), ginSwagger.PersistAuthorization(true))
	r.GET("/swagger/*any", func(c *gin.Context) {
		if c.Param("any") == "/doc.json" {
			c.Data(http.StatusOK, "application/json; charset=utf-8", docs.swagger2)
			return
		}
		ui(c)
	})
	if err := mountViewer(r); err != nil {
		return nil, err
	}

	v1 := r.Group("/api/v1")
	resources, err := handlers.Resources(st)
	if err != nil {
		return nil, err
	}
	for _, res := range resources {
		base := "/" + res.Kind.Plural
		v1.GET(base, lagging(st, res.List))
		v1.POST(base, res.Create)
		v1.GET(base+"/:id", res.Get)
		v1.PUT(base+"/:id", res.Replace)
		v1.PATCH(base+"/:id", res.Patch)
		v1.DELETE(base+"/:id", res.Delete)
		v1.GET(base+"/:id/revisions", res.Revisions)
		for _, x := range res.Extra {
			if x.Lagging {
				v1.GET(base+x.Path, lagging(st, x.Handle))
			} else {
				v1.GET(base+x.Path, x.Handle)
			}
		}
	}

	merges := handlers.NewMerges(st)
	v1.POST("/actors/:id/merge", merges.Actors)
	v1.POST("/events/:id/merge", merges.Events)
	v1.POST("/locations/:id/merge", merges.Locations)
	v1.POST("/outlets/:id/merge", merges.Outlets)
	v1.POST("/sources/:id/merge", merges.Sources)
	v1.GET("/events/:id/duplicates", lagging(st, merges.EventDuplicates))

	maxImport := opt.MaxImportBytes
	if maxImport <= 0 {
		maxImport = DefaultMaxImportBytes
	}
	export := handlers.NewExport(st, maxImport, m)
	v1.GET("/export", lagging(st, export.Events))
	v1.GET("/export/bundle", lagging(st, export.Bundle))
	v1.POST("/import", export.Import)
	v1.GET("/timeline", lagging(st, handlers.NewTimeline(st).Get))
	v1.GET("/stats/events", lagging(st, handlers.NewStats(st).Events))
	v1.GET("/graph", lagging(st, handlers.NewGraph(st).Get))

	v1.GET("/changes", lagging(st, handlers.NewChanges(st).List))

	keys := handlers.NewKeys(st)
	v1.GET("/keys", keys.List)
	v1.POST("/keys", keys.Create)
	v1.DELETE("/keys/:id", keys.Revoke)

	// HEAD works wherever GET does: the GET handler (some, like the Swagger UI's, refuse
	// any other method, so they see GET), whose body net/http discards for HEAD.
	for _, rt := range r.Routes() {
		if rt.Method == http.MethodGet && !slices.ContainsFunc(r.Routes(), func(o gin.RouteInfo) bool {
			return o.Method == http.MethodHead && o.Path == rt.Path
		}) {
			get := rt.HandlerFunc
			r.HEAD(rt.Path, func(c *gin.Context) {
				c.Request.Method = http.MethodGet
				defer func() { c.Request.Method = http.MethodHead }()
				get(c)
			})
		}
	}
	return r, nil
}

// metricsHandler serves reg's metrics to Prometheus.
//
//	@Summary		Metrics
//	@Description	Requests by route and status with their durations, the database pool, rows exported and imported, and the Go runtime, in the Prometheus text format.
//	@ID				getMetrics
//	@Tags			health
//	@Produce		plain
//	@Success		200	{string}	string	"Prometheus text exposition format"
//	@Router			/metrics [get]
func metricsHandler(reg *prometheus.Registry) gin.HandlerFunc {
	return gin.WrapH(promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
}

// lagging lets a GET route's reads go to a read replica (store.ReplicaReads): lists,
// exports and aggregates, which may be up to the replicas' lag bound behind the primary.
// Every other route, a GET by id, an API key's look-up, an Idempotency-Key claim, and
// every write, reads from the primary, so a client sees a write it was just answered
// for. The reads of one request share one transaction on one replica.
func lagging(st *store.Store, h gin.HandlerFunc) gin.HandlerFunc {
	return func(c *gin.Context) {
		if c.Request.Method != http.MethodGet {
			h(c)
			return
		}
		ctx, done := st.ReplicaReads(c.Request.Context())
		defer done()
		c.Request = c.Request.WithContext(ctx)
		h(c)
	}
}

// Listen opens the server's address. It comes before the database is migrated and
// seeded, so that a taken port stops the server before it writes anything, with a
// message that says what to do.
func Listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if errors.Is(err, syscall.EADDRINUSE) {
		return nil, fmt.Errorf("%s is already in use (another parley, or another program, listens there): stop it, or choose another address with --addr or PARLEY_ADDR, e.g. --addr :8081", addr)
	}
	return ln, err
}

// Serve serves on ln until ctx is cancelled, then stops accepting connections and
// waits up to 15 s for requests in flight to finish (their contexts are not cancelled
// with ctx: a drained request completes), then cancels and closes what is left.
func Serve(ctx context.Context, ln net.Listener, h http.Handler, log *slog.Logger) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		// A response must be written within a minute; the streaming export and import
		// push their deadline on at every flush, so only a client that stops reading
		// for a minute is cut off.
		WriteTimeout: handlers.StreamWriteWindow,
		IdleTimeout:  120 * time.Second,
	}
	base, cancelBase := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelBase()
	srv.BaseContext = func(net.Listener) context.Context { return base }
	log.Info("listening", "addr", ln.Addr().String())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		log.Warn("requests still running after 15 s: cancelling them", "error", err)
		cancelBase()
		_ = srv.Close()
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
