package api

import (
	"database/sql"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/parley-api/parley/models"
	"github.com/prometheus/client_golang/prometheus"
)

const requestIDKey = "request_id"

var requestIDRE = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// requestID propagates a well-formed X-Request-ID or makes a new one.
func requestID() gin.HandlerFunc {
	return func(c *gin.Context) {
		id := c.GetHeader("X-Request-ID")
		if !requestIDRE.MatchString(id) {
			id = models.NewID().String()
		}
		c.Set(requestIDKey, id)
		c.Header("X-Request-ID", id)
		c.Next()
	}
}

// accessLog writes one structured line per request, aborted ones included.
func accessLog(log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		defer func() {
			log.InfoContext(c.Request.Context(), "request",
				"method", c.Request.Method, "path", c.Request.URL.Path, "status", c.Writer.Status(),
				"bytes", c.Writer.Size(), "duration_ms", float64(time.Since(start).Microseconds())/1000,
				"request_id", c.GetString(requestIDKey))
		}()
		c.Next()
	}
}

// recovery turns a panic into a logged 500 problem instead of a dropped connection. A
// handler that fails after it started a response (an export whose client went away, or
// whose query failed half-way) panics with http.ErrAbortHandler: that one goes on to
// net/http, which drops the connection, so the client sees a broken download rather
// than a complete-looking truncated one.
func recovery(log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			if r := recover(); r != nil {
				if r == http.ErrAbortHandler {
					log.WarnContext(c.Request.Context(), "response aborted", "errors", c.Errors.String(), "request_id", c.GetString(requestIDKey))
					panic(r)
				}
				log.ErrorContext(c.Request.Context(), "panic", "panic", fmt.Sprint(r), "request_id", c.GetString(requestIDKey))
				if !c.Writer.Written() {
					writeProblem(c, &models.Error{Code: models.EINTERNAL, Message: "internal error"})
				}
				c.Abort()
			}
		}()
		c.Next()
	}
}

// metrics counts requests and their durations per route and status.
type metrics struct {
	requests   *prometheus.CounterVec
	duration   *prometheus.HistogramVec
	exportRows *prometheus.CounterVec
	importRows *prometheus.CounterVec
}

// Exported counts exported rows per format (handlers.Counters).
func (m *metrics) Exported(format string, rows int) {
	m.exportRows.WithLabelValues(format).Add(float64(rows))
}

// Imported counts committed import records per type and outcome (handlers.Counters).
func (m *metrics) Imported(kind, outcome string, rows int) {
	m.importRows.WithLabelValues(kind, outcome).Add(float64(rows))
}

// poolStats is what the pool gauges read (store.Store.Stats).
type poolStats interface{ Stats() sql.DBStats }

// registerPool exports the database connection pool's figures, read at scrape time.
func registerPool(reg prometheus.Registerer, st poolStats) {
	gauge := func(name, help string, f func(sql.DBStats) float64) prometheus.Collector {
		return prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "parley_db_" + name, Help: help}, func() float64 { return f(st.Stats()) })
	}
	counter := func(name, help string, f func(sql.DBStats) float64) prometheus.Collector {
		return prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "parley_db_" + name, Help: help}, func() float64 { return f(st.Stats()) })
	}
	reg.MustRegister(
		gauge("connections_max", "Most open connections allowed.", func(s sql.DBStats) float64 { return float64(s.MaxOpenConnections) }),
		gauge("connections_open", "Open connections.", func(s sql.DBStats) float64 { return float64(s.OpenConnections) }),
		gauge("connections_in_use", "Connections in use.", func(s sql.DBStats) float64 { return float64(s.InUse) }),
		gauge("connections_idle", "Idle connections.", func(s sql.DBStats) float64 { return float64(s.Idle) }),
		counter("waits_total", "Times a request waited for a connection.", func(s sql.DBStats) float64 { return float64(s.WaitCount) }),
		counter("wait_seconds_total", "Time spent waiting for a connection.", func(s sql.DBStats) float64 { return s.WaitDuration.Seconds() }),
	)
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "parley_http_requests_total", Help: "HTTP requests by route, method and status.",
		}, []string{"route", "method", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "parley_http_request_duration_seconds", Help: "HTTP request latency by route, method and status.",
			Buckets: prometheus.DefBuckets,
		}, []string{"route", "method", "status"}),
		exportRows: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "parley_export_rows_total", Help: "Rows streamed by exports: events per format, records for bundles.",
		}, []string{"format"}),
		importRows: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "parley_import_records_total", Help: "Records of committed imports by type and outcome.",
		}, []string{"type", "outcome"}),
	}
	reg.MustRegister(m.requests, m.duration, m.exportRows, m.importRows)
	return m
}

func (m *metrics) middleware() gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		defer func() {
			route := c.FullPath()
			if route == "" {
				route = "unmatched"
			}
			status := strconv.Itoa(c.Writer.Status())
			m.requests.WithLabelValues(route, c.Request.Method, status).Inc()
			m.duration.WithLabelValues(route, c.Request.Method, status).Observe(time.Since(start).Seconds())
		}()
		c.Next()
	}
}
